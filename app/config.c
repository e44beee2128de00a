/*
 * config.c — reading the station's INI file with inih.
 *
 * inih calls a handler for each "key = value"; Debian's shared libinih is
 * built without INI_HANDLER_LINENO, so the handler is not told the line. We
 * feed inih through our own line reader (ini_parse_stream), which counts the
 * lines: inih handles each line before it asks for the next, so the reader's
 * count is the line of the key being handled. The reader also sees section
 * headers, which inih does not report (a section with no keys would
 * otherwise go unchecked), and lines too long for inih's buffer (which inih
 * would split into two lines).
 *
 * The file is read into a copy of the configuration; `cfg` changes only when
 * the whole file is good.
 *
 * Error ids (E100–E149), one per kind of error:
 *   E100 cannot read the file          E101 not "key = value" nor "[section]"
 *   E102 line too long                 E103 key before any section
 *   E104 unknown section               E105 unknown key
 *   E106 value too long for its field  E107 bad station id
 *   E108 not a whole number            E109 number out of range
 *   E110 bad language                  E111 bad yes/no value
 *   E112 bad scanner type              E113 bad keyboard layout
 *   E114 bad scanner suffix            E115 too many scanners
 *   E116 bad scanner name              E117 scanner section given twice
 *   E118 bad printer type              E119 bad label size
 *   E120 bad printer dpi               E121 bad sync target
 *   E122 bad site id                   E123 out of memory
 *   E124 bad renderer                  E125 a key given twice in a section
 *   E126 a NUL byte in the file        E127 a section given twice
 *   E128 not a time zone of the system
 *
 * Nothing is given twice: a second [station] or a second `id =` would
 * silently win over the first, so it is an error naming both lines.
 */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "tz.h"

#define MAX_LINE 1100 /* fits a 512-byte path with its key and spacing */
#define MAX_FILE_BYTES (1024 * 1024)

void config_defaults(struct config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->station_id, sizeof cfg->station_id, "SH01-S01");
    snprintf(cfg->site, sizeof cfg->site, "SH01");
    cfg->idle_logout_min = 10;
    cfg->lang = LANG_EN;
    cfg->fullscreen = false;
    cfg->calibration_pct = 5;
    snprintf(cfg->timezone, sizeof cfg->timezone, "UTC");
    snprintf(cfg->printer.type, sizeof cfg->printer.type, "folder");
    snprintf(cfg->printer.label.size, sizeof cfg->printer.label.size, "4x6");
    cfg->printer.label.dpi = 203;
    cfg->sync.batch_size = 500;
    cfg->sync.interval_s = 60;
    cfg->backup.keep_days = 7;
    cfg->backup.hour = 0;
    cfg->backup.after_start_s = 60;
    snprintf(cfg->display.renderer, sizeof cfg->display.renderer, "auto");
    cfg->retention.days = 90;
    cfg->retention.warn_free_mb = 1024;
    cfg->retention.min_free_mb = 64;
    cfg->camera.preview_fps = CAMERA_PREVIEW_FPS;
    cfg->camera.preview_width = CAMERA_PREVIEW_WIDTH;
    cfg->camera.stall_ms = CAMERA_STALL_MS;
}

/* ---- parsing state -------------------------------------------------------- */

struct parse {
    struct config cfg;              /* being filled; copied out on success */
    const char *name;               /* file name for messages */
    const char *next;               /* reader position */
    int line;                       /* line the reader handed out last */
    int err_line;                   /* line of the first error, 0 when none */
    char err[256];                  /* its message, "E1NN: FILE:LINE: …" */
    struct scanner_opts *scanner; /* the [scanner.NAME] being read */
    bool seen[SCANNERS_MAX]; /* scanner sections met in this file */
    /* every section and key met so far, with its line: nothing twice */
    struct {
        char name[96]; /* "station" for a section, "station.id" for a key */
        int line;
    } met[256];
    int nmet;
};

/* The line `name` was met on, or 0; records it at the current line when it
 * was not. */
static int met_before(struct parse *p, const char *name)
{
    for (int i = 0; i < p->nmet; i++)
        if (strcmp(p->met[i].name, name) == 0)
            return p->met[i].line;
    if (p->nmet < (int)(sizeof p->met / sizeof p->met[0])) {
        snprintf(p->met[p->nmet].name, sizeof p->met[p->nmet].name, "%s", name);
        p->met[p->nmet++].line = p->line;
    }
    return 0;
}

__attribute__((format(printf, 3, 4))) static int fail(struct parse *p, int id, const char *fmt, ...)
{
    if (p->err_line) /* the first error is the one to fix */
        return 0;
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    p->err_line = p->line;
    snprintf(p->err, sizeof p->err, "E%d: %s:%d: %s", id, p->name, p->line, msg);
    return 0;
}

/* ---- values ----------------------------------------------------------- */

static bool id_ok(const char *s, size_t maxlen)
{
    size_t n = strlen(s);
    if (n == 0 || n > maxlen)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-'))
            return false;
    }
    return true;
}

/* A decimal integer, whole string, no sign games. */
static int parse_int(const char *s, long *out)
{
    if (!*s)
        return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end || errno || (s[0] != '-' && (s[0] < '0' || s[0] > '9')))
        return -1;
    *out = v;
    return 0;
}

static int parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return *out = true, 0;
        if (strcasecmp(s, no[i]) == 0)
            return *out = false, 0;
    }
    return -1;
}

enum vtype { V_TEXT, V_ID, V_SITE, V_INT, V_BOOL, V_LANG, V_CHOICE, V_TARGET, V_TZ };

/* One key of one section: where it goes and what it accepts. */
struct key_spec {
    const char *key;
    enum vtype type;
    size_t offset, size; /* into the section's struct; size of a text field */
    long min, max;       /* V_INT */
    const char *choices; /* V_CHOICE: "a|b|c"; V_INT with choices: allowed numbers */
    int err_id;          /* for a value not among the choices */
};

#define TEXT(s, f) V_TEXT, offsetof(s, f), sizeof(((s *)0)->f), 0, 0, NULL, 0
#define CHOICE(s, f, list, id) V_CHOICE, offsetof(s, f), sizeof(((s *)0)->f), 0, 0, list, id
#define INT(s, f, lo, hi) V_INT, offsetof(s, f), 0, lo, hi, NULL, 0

static const struct key_spec station_keys[] = {
    {"id", V_ID, offsetof(struct config, station_id), sizeof(((struct config *)0)->station_id)},
    {"site", V_SITE, offsetof(struct config, site), sizeof(((struct config *)0)->site)},
    {"idle_logout_min", INT(struct config, idle_logout_min, 0, 1440)},
    {"lang", V_LANG, offsetof(struct config, lang)},
    {"fullscreen", V_BOOL, offsetof(struct config, fullscreen)},
    {"rules", TEXT(struct config, rules_path)},
    {"font", TEXT(struct config, font_path)},
    {"calibration_pct", INT(struct config, calibration_pct, 0, 100)},
    {"timezone", V_TZ, offsetof(struct config, timezone), sizeof(((struct config *)0)->timezone)},
    {NULL},
};

static const struct key_spec scanner_keys[] = {
    {"type", CHOICE(struct scanner_opts, type, "usb-hid|hid-pos|serial|evdev|wedge", 112)},
    {"device", TEXT(struct scanner_opts, device)},
    {"layout", CHOICE(struct scanner_opts, layout, "us|de|fr", 113)},
    {"suffix", CHOICE(struct scanner_opts, suffix, "enter|tab", 114)},
    {"baud", INT(struct scanner_opts, baud, 1, 4000000)},
    {NULL},
};

static const struct key_spec printer_keys[] = {
    {"type", CHOICE(struct printer_opts, type, "zpl-tcp|zpl-usb|cups|folder", 118)},
    {"address", TEXT(struct printer_opts, address)},
    {"device", TEXT(struct printer_opts, device)},
    {"queue", TEXT(struct printer_opts, queue)},
    {"size", CHOICE(struct printer_opts, label.size, "4x6|4x3|2x1", 119)},
    {"dpi", V_INT, offsetof(struct printer_opts, label.dpi), 0, 203, 300, "203|300", 120},
    {"lang", CHOICE(struct printer_opts, label.lang, "en|zh", 110)},
    {NULL},
};

static const struct key_spec sync_keys[] = {
    {"target", V_TARGET, offsetof(struct sync_opts, target),
     sizeof(((struct sync_opts *)0)->target)},
    {"batch_size", INT(struct sync_opts, batch_size, 1, 10000)},
    {"interval_s", INT(struct sync_opts, interval_s, 1, 86400)},
    {"credentials", TEXT(struct sync_opts, credentials)},
    /* E745: a bad sslmode (the id is sync's, E700–E749). */
    {"sslmode", CHOICE(struct sync_opts, sslmode,
                       "disable|allow|prefer|require|verify-ca|verify-full", 745)},
    {"sslrootcert", TEXT(struct sync_opts, sslrootcert)},
    {"sslcert", TEXT(struct sync_opts, sslcert)},
    {"sslkey", TEXT(struct sync_opts, sslkey)},
    {NULL},
};

static const struct key_spec backup_keys[] = {
    {"dir", TEXT(struct backup_opts, dir)},
    {"keep_days", INT(struct backup_opts, keep_days, 0, 3650)},
    {"hour", INT(struct backup_opts, hour, 0, 23)},
    {"after_start_s", INT(struct backup_opts, after_start_s, 0, 86400)},
    {NULL},
};

static const struct key_spec display_keys[] = {
    {"renderer", CHOICE(struct display_opts, renderer, "auto|software|opengl", 124)},
    {NULL},
};

static const struct key_spec retention_keys[] = {
    {"days", INT(struct retention_opts, days, 0, 36500)},
    {"warn_free_mb", INT(struct retention_opts, warn_free_mb, 0, 1000000000)},
    {"min_free_mb", INT(struct retention_opts, min_free_mb, 0, 1000000000)},
    {NULL},
};

static const struct key_spec camera_keys[] = {
    {"pipeline", TEXT(struct config, camera_pipeline)},
    {"preview_fps", INT(struct config, camera.preview_fps, 1, 30)},
    {"stall_ms", INT(struct config, camera.stall_ms, 100, 60000)},
    {NULL},
};

static bool in_choices(const char *list, const char *value)
{
    size_t n = strlen(value);
    for (const char *p = list; *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && memcmp(p, value, n) == 0)
            return true;
        p += len + (bar ? 1 : 0);
    }
    return false;
}

static int set_value(struct parse *p, const char *section, const struct key_spec *k, void *base,
                     const char *value)
{
    char *field = (char *)base + k->offset;
    size_t n = strlen(value);
    if (k->size && n >= k->size)
        return fail(p, 106, "[%s] %s: value is %zu characters, at most %zu fit", section, k->key, n,
                    k->size - 1);
    switch (k->type) {
    case V_ID:
    case V_SITE:
        if (!id_ok(value, k->size - 1))
            return fail(p, k->type == V_ID ? 107 : 122,
                        "[%s] %s: \"%s\" must be 1 to %zu letters, digits or '-'", section, k->key,
                        value, k->size - 1);
        memcpy(field, value, n + 1);
        return 1;
    case V_TEXT: memcpy(field, value, n + 1); return 1;
    case V_TZ: {
        /* A zone the system's database has: days and hours are counted in it. */
        struct tz *z = NULL;
        char why[200];
        if (tz_load(value, &z, why, sizeof why) != 0)
            return fail(p, 128, "[%s] %s: \"%s\" is not a time zone in %s (an IANA name such as"
                        " Asia/Shanghai)", section, k->key, value, TZ_DIR);
        tz_free(z);
        memcpy(field, value, n + 1);
        return 1;
    }
    case V_CHOICE:
        if (!in_choices(k->choices, value))
            return fail(p, k->err_id, "[%s] %s: \"%s\" is not one of %s", section, k->key, value,
                        k->choices);
        memcpy(field, value, n + 1);
        return 1;
    case V_TARGET:
        if (n && strncmp(value, "postgresql://", 13) != 0 &&
            strncmp(value, "postgres://", 11) != 0 &&
            (strncmp(value, "spool:", 6) != 0 || !value[6]))
            return fail(p, 121, "[%s] %s: \"%s\" is neither spool:DIR nor a postgresql:// URL",
                        section, k->key, value);
        memcpy(field, value, n + 1);
        return 1;
    case V_INT: {
        long v;
        if (parse_int(value, &v))
            return fail(p, 108, "[%s] %s: \"%s\" is not a whole number", section, k->key, value);
        if (k->choices) {
            char num[24];
            snprintf(num, sizeof num, "%ld", v);
            if (!in_choices(k->choices, num))
                return fail(p, k->err_id, "[%s] %s: %ld is not one of %s", section, k->key, v,
                            k->choices);
        } else if (v < k->min || v > k->max)
            return fail(p, 109, "[%s] %s: %ld is out of range %ld to %ld", section, k->key, v,
                        k->min, k->max);
        *(int *)(void *)field = (int)v;
        return 1;
    }
    case V_BOOL: {
        bool b;
        if (parse_bool(value, &b))
            return fail(p, 111, "[%s] %s: \"%s\" is not true or false", section, k->key, value);
        *(bool *)(void *)field = b;
        return 1;
    }
    case V_LANG: {
        int l = lang_from_name(value);
        if (l < 0)
            return fail(p, 110, "[%s] %s: \"%s\" is not a language: en or zh", section, k->key,
                        value);
        *(enum lang *)(void *)field = (enum lang)l;
        return 1;
    }
    }
    return fail(p, 105, "[%s] %s: unknown key", section, k->key);
}

/* ---- sections ------------------------------------------------------------ */

/* Start [scanner.NAME]: find or make its entry. Returns 0 on error. */
static int begin_scanner(struct parse *p, const char *name)
{
    size_t n = strlen(name);
    static const char name_chars[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    if (n == 0 || n >= sizeof p->cfg.scanners[0].name || strspn(name, name_chars) != n)
        return fail(p, 116, "[scanner.%s]: a scanner name is 1 to %zu letters, digits, '-' or '_'",
                    name, sizeof p->cfg.scanners[0].name - 1);
    for (int i = 0; i < p->cfg.nscanners; i++) {
        if (strcmp(p->cfg.scanners[i].name, name) == 0) {
            if (p->seen[i])
                return fail(p, 117, "[scanner.%s] is given twice", name);
            p->seen[i] = true;
            p->scanner = &p->cfg.scanners[i];
            return 1;
        }
    }
    if (p->cfg.nscanners >= SCANNERS_MAX)
        return fail(p, 115, "[scanner.%s]: at most %d scanners", name, SCANNERS_MAX);
    struct scanner_opts *s = &p->cfg.scanners[p->cfg.nscanners];
    memset(s, 0, sizeof *s);
    memcpy(s->name, name, n + 1); /* n < sizeof s->name, checked above */
    snprintf(s->type, sizeof s->type, "wedge");
    snprintf(s->layout, sizeof s->layout, "us");
    snprintf(s->suffix, sizeof s->suffix, "enter");
    s->baud = 9600;
    p->seen[p->cfg.nscanners] = true;
    p->scanner = s;
    p->cfg.nscanners++;
    return 1;
}

/* A section header line, seen by the reader. */
static void begin_section(struct parse *p, const char *name)
{
    p->scanner = NULL;
    if (strcmp(name, "station") == 0 || strcmp(name, "printer") == 0 || strcmp(name, "sync") == 0 ||
        strcmp(name, "backup") == 0 || strcmp(name, "display") == 0 ||
        strcmp(name, "retention") == 0 || strcmp(name, "camera") == 0) {
        int first = met_before(p, name);
        if (first)
            fail(p, 127, "[%s] is given twice (first on line %d): merge the two", name, first);
        return;
    }
    if (strncmp(name, "scanner.", 8) == 0) {
        begin_scanner(p, name + 8);
        return;
    }
    fail(p, 104,
         "[%s]: unknown section; known are [station], [scanner.NAME], [printer], "
         "[sync], [backup], [display], [retention], [camera]",
         name);
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
    struct parse *p = user;
    const struct key_spec *keys;
    void *base;
    if (!section[0])
        return fail(p, 103, "%s: a key before any [section]", key);
    if (strcmp(section, "station") == 0)
        keys = station_keys, base = &p->cfg;
    else if (strcmp(section, "printer") == 0)
        keys = printer_keys, base = &p->cfg.printer;
    else if (strcmp(section, "sync") == 0)
        keys = sync_keys, base = &p->cfg.sync;
    else if (strcmp(section, "backup") == 0)
        keys = backup_keys, base = &p->cfg.backup;
    else if (strcmp(section, "display") == 0)
        keys = display_keys, base = &p->cfg.display;
    else if (strcmp(section, "retention") == 0)
        keys = retention_keys, base = &p->cfg.retention;
    else if (strcmp(section, "camera") == 0)
        keys = camera_keys, base = &p->cfg;
    else if (strncmp(section, "scanner.", 8) == 0 && p->scanner)
        keys = scanner_keys, base = p->scanner;
    else
        return 0; /* an unknown or bad section: already reported at its header */
    for (; keys->key; keys++)
        if (strcmp(keys->key, key) == 0) {
            char name[96];
            snprintf(name, sizeof name, "%s.%s", section, key);
            int first = met_before(p, name);
            if (first)
                return fail(p, 125, "[%s] %s is given twice (first on line %d)", section, key,
                            first);
            return set_value(p, section, keys, base, value);
        }
    return fail(p, 105, "[%s] %s: unknown key", section, key);
}

/* inih's fgets-style reader over the text in memory, counting lines. */
static char *reader(char *buf, int size, void *user)
{
    struct parse *p = user;
    if (!*p->next)
        return NULL;
    const char *nl = strchr(p->next, '\n');
    size_t len = nl ? (size_t)(nl - p->next) + 1 : strlen(p->next);
    const char *line = p->next;
    p->next += len;
    p->line++;

    size_t content = len;
    while (content > 0 && (line[content - 1] == '\n' || line[content - 1] == '\r'))
        content--;
    if (size < 3 || content + 2 > (size_t)size) {
        /* inih would read the rest as a line of its own; say so instead. */
        fail(p, 102, "line is %zu characters long, at most %d fit", content,
             size < 3 ? 0 : size - 2);
        snprintf(buf, (size_t)size, "\n");
        return buf;
    }
    memcpy(buf, line, content); /* a CR before the LF is dropped here */
    buf[content] = '\n';
    buf[content + 1] = 0;

    /* A section header: "[name]" after optional blanks (and a BOM on line 1). */
    const char *s = buf;
    if (p->line == 1 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
        (unsigned char)s[2] == 0xBF)
        s += 3;
    s += strspn(s, " \t");
    if (*s == '[') {
        const char *end = strchr(s, ']');
        if (end) {
            /* Exactly what inih will pass as the section: no trimming. */
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)(end - s - 1), s + 1);
            begin_section(p, name);
        }
    }
    return buf;
}

int config_load_string(const char *text, const char *name, struct config *cfg, char *err,
                       size_t errlen)
{
    struct parse *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "E123: %s: out of memory", name);
        return -1;
    }
    p->cfg = *cfg;
    p->name = name ? name : "config";
    p->next = text;

    /* Debian's libinih reads its options from globals at run time; the
     * station reads its configuration once, at start, before any thread.
     * ini_max_line (default 200) is too short for a 512-byte path; it is only
     * ever raised, and a build that ignores it still has overlong lines
     * caught by our reader. */
    if (ini_max_line < MAX_LINE)
        ini_max_line = MAX_LINE;
    /* No value needs two lines, and an indented "  key = value" in a
     * hand-edited file must stay a key, not become part of the one above. */
    ini_allow_multiline = false;

    int rc = ini_parse_stream(reader, p, handler, p);
    int result = 0;
    if (rc == -2) {
        snprintf(err, errlen, "E123: %s: out of memory", p->name);
        result = -1;
    } else if (rc > 0 && (!p->err_line || rc < p->err_line)) {
        /* inih found a line that is neither a key nor a section before any
         * error of ours (our handler's errors are at p->err_line). */
        snprintf(err, errlen, "E101: %s:%d: not \"key = value\" nor \"[section]\"", p->name, rc);
        result = -1;
    } else if (p->err_line) {
        snprintf(err, errlen, "%s", p->err);
        result = -1;
    }
    if (result == 0) {
        *cfg = p->cfg;
        config_camera_opts(cfg, &cfg->camera);
        if (errlen)
            err[0] = 0;
    }
    free(p);
    return result;
}

int config_load(const char *path, struct config *cfg, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "E100: %s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    char *buf = malloc(MAX_FILE_BYTES + 1);
    size_t n = buf ? fread(buf, 1, MAX_FILE_BYTES + 1, f) : 0;
    int rc = -1;
    if (!buf)
        snprintf(err, errlen, "E123: %s: out of memory", path);
    else if (ferror(f))
        snprintf(err, errlen, "E100: %s: cannot read: %s", path, strerror(errno));
    else if (n > MAX_FILE_BYTES)
        snprintf(err, errlen, "E100: %s: larger than %d bytes", path, MAX_FILE_BYTES);
    else if (memchr(buf, 0, n)) {
        /* Text after a NUL would be read by nobody: the file is not what it
         * seems. */
        const char *nul = memchr(buf, 0, n);
        int line = 1;
        for (const char *c = buf; c < nul; c++)
            line += *c == '\n';
        snprintf(err, errlen, "E126: %s:%d: a NUL byte: not a text file", path, line);
    } else {
        buf[n] = 0;
        rc = config_load_string(buf, path, cfg, err, errlen);
    }
    free(buf);
    fclose(f);
    return rc;
}

void config_printer_opts(const struct config *cfg, struct printer_opts *out)
{
    *out = cfg->printer;
    snprintf(out->label.font_path, sizeof out->label.font_path, "%s", cfg->font_path);
    /* The label in the printer's language, else the station's. */
    if (!out->label.lang[0])
        snprintf(out->label.lang, sizeof out->label.lang, "%s", lang_name(cfg->lang));
}

void config_camera_opts(const struct config *cfg, struct camera_opts *out)
{
    *out = cfg->camera;
    out->pipeline = cfg->camera_pipeline[0] ? cfg->camera_pipeline : NULL;
}

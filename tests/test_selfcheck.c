/*
 * test_selfcheck.c — `triage selfcheck` on this machine.
 *
 *   1. As it is (no display, no /dev/dri, no /dev/input here), a new station with no
 *      data folder yet: exit 1, one line per check 850–859 each with its id, what this
 *      machine lacks as E lines, and no data folder or database made.
 *   2. A folder printer and a spool target, with a database: those lines and the
 *      database's are ok; the dummy video driver is called what it is, invisible.
 *   3. What is wrong, said so: a USB scanner not connected, a serial one not there, a
 *      printer that refuses, a spool folder that cannot be, a damaged database.
 *   4. Head office on PostgreSQL (a throwaway cluster with TLS): reached with a
 *      configured sslmode that does not require TLS is a warning; verify-full against
 *      its CA is ok; a CA that did not sign the server's certificate, no sslmode and no
 *      CA (verify-full is the default), a wrong password, nobody listening: E856 with
 *      the sync's own id (E718, E711, E712).
 *   5. The camera: a videotestsrc pipeline gives its picture; a pipeline that does not
 *      parse, and a device that is not there, are E860 with the cause.
 *   6. The same checks on the running station's service screen (F6, admins): a
 *      supervisor is refused and audited, an admin's visit is audited, the lines come
 *      from the check thread (the station's own video, the dummy driver, in red; the
 *      database in green) in English and in Chinese, and "Check again" runs them anew.
 * When a triage user exists, root's selfcheck judges access for it: the test's
 * folders are then given to it.
 */
#include <glob.h>
#include <grp.h>
#include <pwd.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_image.h>

#include "sync_fixture.h"
#include "theme.h"

static char tmp[512];

/* Give path to the triage user when root's selfcheck would judge for it. */
static void own(const char *path)
{
    struct passwd *pw = geteuid() == 0 ? getpwnam("triage") : NULL;
    if (pw && chown(path, pw->pw_uid, pw->pw_gid) != 0)
        fprintf(stderr, "cannot give %s to triage\n", path);
}

/* Run selfcheck with `conf` over `data`; `env` is put before the command. */
static int selfcheck(const char *env, const char *conf, const char *data, char **out)
{
    char cmd[3000];
    snprintf(cmd, sizeof cmd,
             "env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER %s '%s' --config '%s'"
             " --data '%s' selfcheck",
             env ? env : "", harness_triage(), conf, data);
    return harness_sh(cmd, NULL, out, NULL);
}

/* The line of check `id` (e.g. "855"), copied to buf; "" when none. With several
 * (scanners), the n-th (0-based). */
static const char *line_of(const char *out, const char *id, int n, char *buf, size_t len)
{
    buf[0] = 0;
    for (const char *p = out; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) : strlen(p);
        if (l > 4 && strncmp(p + 1, id, 3) == 0 && p[4] == ' ' && n-- == 0) {
            snprintf(buf, len, "%.*s", (int)l, p);
            break;
        }
        p = nl ? nl + 1 : NULL;
    }
    return buf;
}

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

#define CHECK_LINE(out, id, prefix)                                                              \
    do {                                                                                       \
        char l_[1200];                                                                         \
        line_of(out, id, 0, l_, sizeof l_);                                                    \
        if (!CHECK(starts(l_, prefix)))                                                        \
            fprintf(stderr, "  wanted \"%s…\", got \"%s\"\n", prefix, l_);                     \
    } while (0)

static bool have_nodes(const char *pattern)
{
    glob_t g;
    bool any = glob(pattern, 0, NULL, &g) == 0 && g.gl_pathc > 0;
    globfree(&g);
    return any;
}

static void as_is(void)
{
    char conf[700], data[700], *out = NULL;
    snprintf(conf, sizeof conf, "%s/empty.conf", tmp);
    snprintf(data, sizeof data, "%s/new-station", tmp);
    harness_write_file(conf, "; defaults: folder printer, spool under the data folder\n");
    CHECK_INT(selfcheck(NULL, conf, data, &out), 1);
    printf("%s", out ? out : "");

    /* Every line: an id of the range and what it is about. */
    regex_t re;
    regcomp(&re, "^[IWE]8(5[0-9]|60) (ok )?[^:]+: .+$", REG_EXTENDED | REG_NOSUB);
    int lines = 0;
    char *copy = strdup(out ? out : "");
    for (char *save, *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        lines++;
        if (!CHECK(regexec(&re, l, 0, NULL, 0) == 0))
            fprintf(stderr, "  not a selfcheck line: %s\n", l);
    }
    free(copy);
    regfree(&re);
    CHECK_INT(lines, 11);
    static const char *const ids[] = {"850", "851", "852", "853", "854", "855",
                                      "856", "857", "858", "859", "860"};
    char l[1200];
    for (int i = 0; i < 11; i++)
        if (!CHECK(line_of(out, ids[i], 0, l, sizeof l)[0] != 0))
            fprintf(stderr, "  no line for check %s\n", ids[i]);

    /* What this machine lacks. */
    if (!have_nodes("/dev/dri/card*")) {
        CHECK_LINE(out, "852", "E852 /dev/dri: no /dev/dri/card*");
        if (!getenv("DISPLAY") || !*getenv("DISPLAY"))
            CHECK_LINE(out, "851", "E851 video: no video driver starts");
    }
    if (!have_nodes("/dev/input/event*"))
        CHECK_LINE(out, "853", "E853 input: no /dev/input/event*");
    CHECK_LINE(out, "854", "I854 ok scanners: none configured");
    CHECK_LINE(out, "855", "I855 ok printer folder: ");
    CHECK_LINE(out, "856", "I856 ok head office: spool folder ");
    CHECK_LINE(out, "857", "W857 data: ");
    CHECK_LINE(out, "859", "E859 database: ");
    CHECK(strstr(line_of(out, "859", 0, l, sizeof l), "missing") != NULL);
    CHECK_LINE(out, "860", "I860 ok camera: none configured");
    /* nothing made */
    struct stat st;
    CHECK(stat(data, &st) != 0);
    free(out);
}

static void folder_and_spool(char *data, size_t datalen)
{
    char conf[700], spool[700], cmd[2000], text[1500], *out = NULL;
    snprintf(data, datalen, "%s/station", tmp);
    snprintf(spool, sizeof spool, "%s/spool", tmp);
    snprintf(conf, sizeof conf, "%s/station.conf", tmp);
    mkdir(spool, 0700);
    own(spool);
    snprintf(text, sizeof text,
             "[station]\nid = SH01-S05\n[printer]\ntype = folder\n[sync]\ntarget = spool:%s\n",
             spool);
    harness_write_file(conf, text);
    snprintf(cmd, sizeof cmd,
             "echo 123456 | '%s' --data '%s' operator add --badge 1 --name A --role admin"
             " >/dev/null && chmod 700 '%s'",
             harness_triage(), data, data);
    CHECK_INT(harness_sh(cmd, NULL, NULL, NULL), 0);
    snprintf(cmd, sizeof cmd, "chown -R triage:triage '%s' 2>/dev/null; true", data);
    if (geteuid() == 0 && getpwnam("triage"))
        harness_sh(cmd, NULL, NULL, NULL);
    int rc = selfcheck(NULL, conf, data, &out);
    printf("%s", out ? out : "");
    if (!have_nodes("/dev/dri/card*") || !have_nodes("/dev/input/event*"))
        CHECK_INT(rc, 1); /* this machine has no screen or input for a station */
    char want[900];
    snprintf(want, sizeof want, "I855 ok printer folder: %s/labels (made at the first label)",
             data);
    CHECK_LINE(out, "855", want);
    snprintf(want, sizeof want, "I856 ok head office: spool folder %s writable", spool);
    CHECK_LINE(out, "856", want);
    CHECK_LINE(out, "857", "I857 ok data: ");
    CHECK_LINE(out, "858", "I858 ok disk: ");
    CHECK_LINE(out, "859", "I859 ok database: ");
    char l[1200];
    CHECK(strstr(line_of(out, "859", 0, l, sizeof l), "quick_check ok, schema "));
    free(out);

    /* The dummy driver draws nothing anyone sees. */
    selfcheck("SDL_VIDEODRIVER=dummy", conf, data, &out);
    CHECK_LINE(out, "851", "E851 video: SDL runs dummy: nothing would be seen");
    free(out);
}

static void wrong_things(const char *data)
{
    char conf[700], text[1500], *out = NULL;
    snprintf(conf, sizeof conf, "%s/wrong.conf", tmp);
    snprintf(text, sizeof text,
             "[scanner.desk]\ntype = usb-hid\ndevice = 05e0:1200\n"
             "[scanner.gun]\ntype = serial\ndevice = /dev/ttyTRIAGE-NONE\n"
             "[scanner.front]\ntype = wedge\n"
             "[printer]\ntype = zpl-tcp\naddress = 127.0.0.1:1\n"
             "[sync]\ntarget = spool:%s/empty.conf/spool\n",
             tmp);
    harness_write_file(conf, text);
    CHECK_INT(selfcheck(NULL, conf, data, &out), 1);
    printf("%s", out ? out : "");
    char l[1200];
    line_of(out, "854", 0, l, sizeof l);
    CHECK(starts(l, "E854 scanner desk: usb-hid 05e0:1200: not connected"));
    line_of(out, "854", 1, l, sizeof l);
    CHECK(starts(l, "E854 scanner gun: serial /dev/ttyTRIAGE-NONE: not there"));
    line_of(out, "854", 2, l, sizeof l);
    CHECK(starts(l, "I854 ok scanner front: keyboard wedge"));
    CHECK_LINE(out, "855", "E855 printer zpl-tcp: 127.0.0.1:1: ");
    CHECK(strstr(line_of(out, "855", 0, l, sizeof l), "E652") != NULL);
    CHECK_LINE(out, "856", "E856 head office: spool folder ");
    free(out);

    /* A damaged database: reported, not repaired, not replaced. */
    char broken[700], cmd[2000];
    snprintf(broken, sizeof broken, "%s/broken", tmp);
    snprintf(cmd, sizeof cmd,
             "mkdir -m 700 '%s' && head -c 20000 /dev/urandom > '%s/triage.db'", broken,
             broken);
    CHECK_INT(harness_sh(cmd, NULL, NULL, NULL), 0);
    own(broken);
    snprintf(cmd, sizeof cmd, "%s/broken/triage.db", tmp);
    own(cmd);
    char *before = harness_read_file(cmd, NULL);
    CHECK_INT(selfcheck(NULL, conf, broken, &out), 1);
    CHECK_LINE(out, "859", "E859 database: ");
    char *after = harness_read_file(cmd, NULL);
    CHECK(before && after && memcmp(before, after, 20000) == 0);
    free(before);
    free(after);
    free(out);
}

/* 4. Head office on PostgreSQL, with and without TLS. */
static void head_office(const char *data)
{
    glob_t g;
    if (glob("/usr/lib/postgresql/*/bin/initdb", 0, NULL, &g) != 0) {
        printf("test_selfcheck: PostgreSQL not installed: the head-office checks are left out\n");
        return;
    }
    globfree(&g);
    struct pgc cluster;
    if (!CHECK_INT(pgc_setup(&cluster), 0))
        return;
    PGconn *admin = pgc_admin(&cluster);
    if (!CHECK(admin != NULL) || !CHECK_INT(pgc_load_schema(admin), 0) ||
        !CHECK_INT(pgc_add_station(admin, "st_sc", "pw-sc-1", "SH01-S05", "SH01"), 0))
        return;

    /* A CA, the server's certificate for localhost, another CA. */
    char ssl[700], cmd[4000];
    snprintf(ssl, sizeof ssl, "%s/ssl", tmp);
    snprintf(cmd, sizeof cmd,
             "set -e; mkdir -p %1$s; cd %1$s;"
             " openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=test-ca"
             "  -keyout ca.key -out ca.crt 2>/dev/null;"
             " openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=other-ca"
             "  -keyout other.key -out other.crt 2>/dev/null;"
             " openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout server.key"
             "  -out server.csr 2>/dev/null;"
             " printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > san.ext;"
             " openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2"
             "  -extfile san.ext -out server.crt 2>/dev/null;"
             " cp server.crt server.key %2$s/; chmod 600 %2$s/server.key;"
             " %3$s chown postgres %2$s/server.crt %2$s/server.key",
             ssl, cluster.dir, cluster.as_postgres ? "" : "true ||");
    if (!CHECK_INT(harness_sh(cmd, NULL, NULL, NULL), 0))
        return;
    char sql[1200];
    snprintf(sql, sizeof sql, "ALTER SYSTEM SET ssl_cert_file = '%s/server.crt'", cluster.dir);
    CHECK_INT(pgc_exec(admin, sql), 0);
    snprintf(sql, sizeof sql, "ALTER SYSTEM SET ssl_key_file = '%s/server.key'", cluster.dir);
    CHECK_INT(pgc_exec(admin, sql), 0);
    CHECK_INT(pgc_exec(admin, "ALTER SYSTEM SET ssl = on"), 0);
    CHECK(pgc_value(admin, "SELECT pg_reload_conf()::int") == 1);
    usleep(300000);
    PQfinish(admin);

    char pass[700], conf[700], text[3000], *out = NULL, l[1200];
    snprintf(pass, sizeof pass, "%s/pgpass", tmp);
    harness_write_file(pass, "pw-sc-1\n");
    chmod(pass, 0600);
    own(pass);
    snprintf(conf, sizeof conf, "%s/ho.conf", tmp);
    struct {
        const char *sync; /* the [sync] lines after target and credentials */
        const char *host;
        const char *want;   /* the line starts so */
        const char *within; /* and holds this */
    } cases[] = {
        {"sslmode = prefer\n", "127.0.0.1", "W856 head office: postgresql://st_sc@127.0.0.1:",
         "TLS is not required (sslmode prefer)"},
        /* No sslmode: verify-full, and no CA to verify head office with. */
        {"", "localhost", "E856 head office: postgresql://st_sc@localhost:", "E718"},
        {"sslmode = verify-full\nsslrootcert = %s/ca.crt\n", "localhost",
         "I856 ok head office: postgresql://st_sc@localhost:", "reached with TLS (sslmode verify-full)"},
        {"sslmode = verify-full\nsslrootcert = %s/other.crt\n", "localhost",
         "E856 head office: postgresql://st_sc@localhost:", "E718"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char extra[800];
        snprintf(extra, sizeof extra, cases[i].sync, ssl);
        snprintf(text, sizeof text,
                 "[station]\nid = SH01-S05\n[sync]\ntarget = postgresql://st_sc@%s:%d/postgres\n"
                 "credentials = %s\n%s",
                 cases[i].host, cluster.port, pass, extra);
        harness_write_file(conf, text);
        selfcheck(NULL, conf, data, &out);
        line_of(out, "856", 0, l, sizeof l);
        if (!CHECK(starts(l, cases[i].want) && strstr(l, cases[i].within)))
            fprintf(stderr, "  case %zu: %s\n", i, l);
        free(out);
    }
    /* A wrong password; nobody listening. */
    harness_write_file(pass, "not-the-password\n");
    snprintf(text, sizeof text,
             "[sync]\ntarget = postgresql://st_sc@localhost:%d/postgres\ncredentials = %s\n"
             "sslrootcert = %s/ca.crt\n",
             cluster.port, pass, ssl);
    harness_write_file(conf, text);
    selfcheck(NULL, conf, data, &out);
    CHECK(strstr(line_of(out, "856", 0, l, sizeof l), "E711"));
    CHECK(starts(l, "E856 "));
    free(out);
    snprintf(text, sizeof text,
             "[sync]\ntarget = postgresql://st_sc@127.0.0.1:%d/postgres\ncredentials = %s\n",
             free_port(), pass);
    harness_write_file(conf, text);
    selfcheck(NULL, conf, data, &out);
    CHECK(strstr(line_of(out, "856", 0, l, sizeof l), "E712"));
    CHECK(starts(l, "E856 "));
    printf("%s\n", l);
    free(out);
}

/* 5. The camera's line. */
static void camera(const char *data)
{
    static const struct {
        const char *pipeline, *want, *also;
    } cases[] = {
        {"videotestsrc is-live=true ! video/x-raw,width=320,height=240,framerate=10/1 ! jpegenc"
         " ! appsink name=sink",
         "I860 ok camera: a 320x240 JPEG picture of ", " ms after the start"},
        {"videotestsrc ! nosuchelement ! appsink name=sink", "E860 camera: E951: ", NULL},
        {"v4l2src device=/dev/triage-no-camera ! image/jpeg ! appsink name=sink",
         "E860 camera: /dev/triage-no-camera: not there for ", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char conf[700], text[1500], l[1200], *out = NULL;
        snprintf(conf, sizeof conf, "%s/camera%zu.conf", tmp, i);
        snprintf(text, sizeof text, "[camera]\npipeline = %s\n", cases[i].pipeline);
        harness_write_file(conf, text);
        selfcheck(NULL, conf, data, &out);
        line_of(out, "860", 0, l, sizeof l);
        if (!CHECK(starts(l, cases[i].want)) ||
            (cases[i].also && !CHECK(strstr(l, cases[i].also) != NULL)))
            fprintf(stderr, "  camera case %zu: \"%s\"\n", i, l);
        free(out);
    }
}

/* The colour at (x, y) of a PNG screenshot (0xRRGGBB), or 0xFFFFFFFF. */
static uint32_t shot_pixel(const char *path, int x, int y)
{
    SDL_Surface *img = IMG_Load(path);
    SDL_Surface *rgb = img ? SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_RGB888, 0) : NULL;
    uint32_t px = 0xFFFFFFFFu;
    if (rgb && x < rgb->w && y < rgb->h)
        px = ((const uint32_t *)((const char *)rgb->pixels + y * rgb->pitch))[x] & 0xFFFFFFu;
    SDL_FreeSurface(rgb);
    SDL_FreeSurface(img);
    return px;
}

/* 6. The service screen of the running station, in script mode. */
static void service_screen(const char *data)
{
    char conf[700], script[700], shots[700], cmd[3000], text[1500], *err = NULL;
    snprintf(conf, sizeof conf, "%s/service.conf", tmp);
    snprintf(script, sizeof script, "%s/service.script", tmp);
    snprintf(shots, sizeof shots, "%s/service-shots", tmp);
    snprintf(text, sizeof text,
             "[station]\nid = SH01-S05\n[printer]\ntype = folder\n[sync]\ntarget = spool:%s/spool\n",
             tmp);
    harness_write_file(conf, text);
    snprintf(cmd, sizeof cmd,
             "echo 654321 | '%s' --data '%s' operator add --badge 2 --name S --role supervisor"
             " >/dev/null",
             harness_triage(), data);
    CHECK_INT(harness_sh(cmd, NULL, NULL, NULL), 0);
    /* Badge 1 is the admin folder_and_spool added, PIN 123456. */
    harness_write_file(script, "scan 2\ntext 654321\nkey Return\nexpect scan\n"
                               "key F6\nexpect scan\nkey F12\n"
                               "scan 1\ntext 123456\nkey Return\nexpect scan\n"
                               "key F6\nexpect service\nshot service-en\n"
                               "key F1\nkey r\nexpect service\nshot service-zh\n"
                               "key Escape\nexpect scan\nquit\n");
    snprintf(cmd, sizeof cmd,
             "env -u DISPLAY -u WAYLAND_DISPLAY SDL_VIDEODRIVER=dummy '%s' --config '%s' --data"
             " '%s' --script '%s' --shots '%s'",
             harness_triage(), conf, data, script, shots);
    CHECK_INT(harness_sh(cmd, NULL, NULL, &err), 0);
    const char *log = err ? err : "";
    CHECK(strstr(log, "I203 service_denied by 2") != NULL);
    CHECK(strstr(log, "I203 service_opened by 1") != NULL);
    CHECK(strstr(log, "E923") == NULL); /* both audit rows written */
    /* The checks ran twice (opened, then R), off the UI thread, each line logged: the
     * station's own window, never SDL's video started again. */
    int videos = 0;
    for (const char *p = log; (p = strstr(p, "I870 service screen: E851 video: the station runs "
                                          "dummy, renderer software: nothing is seen"));
         p++)
        videos++;
    CHECK_INT(videos, 2);
    CHECK(strstr(log, "I870 service screen: I859 database: ") != NULL);
    CHECK(strstr(log, "I870 service screen: I855 printer folder: ") != NULL);
    if (strstr(log, "I870") == NULL)
        fprintf(stderr, "%s", log);
    free(err);
    /* Row 2 (video) red, row 10 (database) green, in both languages: the pill of
     * row i is at y = CONTENT_Y0 + 104 + 40 i, from x = CONTENT_X0 + 32. */
    static const char *const langs[] = {"en", "zh"};
    for (int l = 0; l < 2; l++) {
        char path[800];
        snprintf(path, sizeof path, "%s/service-%s.png", shots, langs[l]);
        int px = CONTENT_X0 + 32 + 12, y = CONTENT_Y0 + 104 + 20;
        CHECK_INT(shot_pixel(path, px, y + 1 * 40), C_ERR_SOFT);
        CHECK_INT(shot_pixel(path, px, y + 9 * 40), C_OK_SOFT);
    }
}

int main(void)
{
    snprintf(tmp, sizeof tmp, "%s", harness_tmpdir());
    own(tmp);
    char data[700];
    as_is();
    folder_and_spool(data, sizeof data);
    wrong_things(data);
    head_office(data);
    camera(data);
    service_screen(data);
    return harness_done();
}

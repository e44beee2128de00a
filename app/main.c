/*
 * main.c — the command line (docs/cli.md).
 *
 *   triage [global options]                  run the station
 *   triage [global options] SUBCOMMAND …     operator add|list|disable|
 *                                            enable|unlock|reset-pin,
 *                                            import-manifest, export, stats,
 *                                            sync, audit verify, parse,
 *                                            rules check
 * Global options come before a subcommand and apply to it. Errors go to
 * stderr with an id and a non-zero exit status. Only the station and
 * `operator add` may make a database, and only in an empty or new data
 * folder (datadir.h).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "backup.h"
#include "audit.h"
#include "codes.h"
#include "config.h"
#include "datadir.h"
#include "log.h"
#include "manifest.h"
#include "operators.h"
#include "rules.h"
#include "run.h"
#include "script.h"
#include "selfcheck.h"
#include "atomic_file.h"
#include "buf.h"
#include "stats_html.h"
#include "stats_pg.h"
#include "stats_query.h"
#include "tz.h"
#include "store.h"
#include "sync.h"

#ifndef TRIAGE_VERSION
#define TRIAGE_VERSION "0.1.0"
#endif

#define SYSTEM_CONFIG "/etc/triage/triage.conf"

static const char usage_text[] =
    "usage: triage [--config FILE] [--data DIR] [--rules FILE] [--lang en|zh]\n"
    "              [--windowed WxH | --fullscreen] [--script FILE] [--shots DIR]\n"
    "                                  run the station (fullscreen by default)\n"
    "       triage operator add --badge B --name N --role grader|supervisor|admin\n"
    "                                  add an operator; the PIN is read from stdin\n"
    "       triage operator list | disable B | enable B | unlock B | reset-pin B\n"
    "                                  manage operators (reset-pin: the new PIN on stdin)\n"
    "       triage import-manifest FILE.csv   load expected returns\n"
    "       triage export [--format ndjson|csv]   every inspection, one per line/row\n"
    "       triage stats [--from DATE] [--to DATE] [--format table|csv|json]\n"
    "                    [--source station|postgresql://…] [--site S]\n"
    "       triage report [--from DATE] [--to DATE] [--site S]\n"
    "                     [--source station|postgresql://…] --out FILE.html\n"
    "                                  the quality report: one HTML file with charts\n"
    "       triage sync [--once]        push outcomes, pull manifests\n"
    "       triage audit verify [--source postgresql://…]\n"
    "                                  check the audit chain (exit 1: broken)\n"
    "       triage parse TEXT           how a scanned code is understood (JSON)\n"
    "       triage rules check FILE     validate a rules file\n"
    "       triage backup FILE          a consistent copy of the database, taken while the\n"
    "                                  station runs; never overwrites FILE\n"
    "       triage selfcheck            display, input, scanners, printer, head office, disk\n"
    "                                  and database: one line each; exit 1 if the station\n"
    "                                  lacks something\n"
    "       triage --help | --version\n"
    "\n"
    "Global options come before a subcommand: triage --data /var/lib/triage export\n"
    "  --config FILE   INI configuration (default " SYSTEM_CONFIG " when it exists)\n"
    "  --data DIR      where triage.db and labels/ live (default ./var)\n"
    "  --rules FILE    grading rules JSON (default: the built-in demo rules)\n"
    "  --lang en|zh    language of the screens\n"
    "  --script FILE   run headless from a script of events (docs/script.md)\n"
    "  --shots DIR     where a script's `shot NAME` saves NAME.png\n"
    "  --verbose       log debug lines too\n";

struct globals {
    const char *config_path;
    const char *data_dir;
    const char *rules_path;
    const char *script;
    const char *shots;
    int lang; /* -1 = from the config */
    int width, height;
    int fullscreen; /* -1 = from the config */
    struct config cfg;
    struct rules *rules;
};

static int fail(const char *id, const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", id);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return 1;
}

static int usage_error(const char *what)
{
    fprintf(stderr, "E900: %s\n(see triage --help)\n", what);
    return 2;
}

static int load_config(struct globals *g)
{
    char err[512];
    config_defaults(&g->cfg);
    const char *path = g->config_path;
    if (!path && access(SYSTEM_CONFIG, F_OK) == 0)
        path = SYSTEM_CONFIG;
    if (path && config_load(path, &g->cfg, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    if (g->lang >= 0)
        g->cfg.lang = (enum lang)g->lang;
    if (g->fullscreen >= 0)
        g->cfg.fullscreen = g->fullscreen;
    return 0;
}

static int load_rules(struct globals *g)
{
    char err[512];
    const char *path = g->rules_path ? g->rules_path : g->cfg.rules_path[0] ? g->cfg.rules_path : NULL;
    int rc = path ? rules_load_file(path, &g->rules, err, sizeof err)
                  : rules_load_string(rules_builtin_json, "built-in rules", &g->rules, err,
                                      sizeof err);
    if (rc != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    return 0;
}

/* Open the station's database for a command: `use` says whether the
 * command may make one (DATADIR_CREATE: only in an empty or new folder) or
 * needs it there (DATADIR_READ). */
static int open_store(struct globals *g, enum datadir_use use, struct store **st)
{
    char err[1024];
    struct datadir d;
    if (datadir_open(g->data_dir, use, &d, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    datadir_close(&d);
    if (store_open(d.db_path, g->cfg.station_id, st, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    return 0;
}

/* Read a PIN from stdin: its first line. At a terminal nothing typed is
 * shown, and a new PIN is asked twice. Returns 0, or 1 after printing the
 * error. */
static int read_pin(const char *badge, bool confirm, char *pin, size_t len)
{
    bool tty = isatty(STDIN_FILENO);
    struct termios saved, quiet;
    bool echo_off = tty && tcgetattr(STDIN_FILENO, &saved) == 0;
    if (echo_off) {
        quiet = saved;
        quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
        quiet.c_lflag |= ICANON;
        echo_off = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
    int rc = 0;
    char again[64] = "";
    if (tty)
        fprintf(stderr, "PIN for %s: ", badge);
    if (!fgets(pin, (int)len, stdin)) {
        rc = fail("E903", "no PIN on standard input%s", "");
    } else if (tty && confirm) {
        fprintf(stderr, "\nthe same PIN again: ");
        if (!fgets(again, sizeof again, stdin) ||
            strcspn(again, "\r\n") != strcspn(pin, "\r\n") ||
            strncmp(again, pin, strcspn(pin, "\r\n")) != 0)
            rc = fail("E914", "the two PINs differ: nothing changed%s", "");
    }
    if (echo_off) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        fputc('\n', stderr);
    }
    memset(again, 0, sizeof again);
    pin[strcspn(pin, "\r\n")] = 0;
    return rc;
}

/* ---- subcommands ------------------------------------------------------- */

/* triage operator list: one line per operator, tab-separated, after a
 * header: badge, name, role, state. */
static int cmd_operator_list(struct globals *g)
{
    struct store *st;
    if (open_store(g, DATADIR_READ, &st))
        return 1;
    struct operator_row *rows = NULL;
    int n = 0;
    char err[512];
    int rc = operators_list(st, &rows, &n, err, sizeof err);
    store_close(st);
    if (rc != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    int64_t now = clock_wall_ms();
    printf("badge\tname\trole\tstate\n");
    for (int i = 0; i < n; i++) {
        const struct operator_row *r = &rows[i];
        char state[160];
        if (r->disabled) {
            snprintf(state, sizeof state, "disabled");
        } else if (r->locked_until > now) {
            char when[32];
            time_t t = (time_t)(r->locked_until / 1000);
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
            snprintf(state, sizeof state, "locked until %s (lock %d in a row)", when, r->locks);
        } else if (r->failures > 0) {
            snprintf(state, sizeof state, "active, %d wrong PIN%s in a row", r->failures,
                     r->failures == 1 ? "" : "s");
        } else {
            snprintf(state, sizeof state, "active");
        }
        printf("%s\t%s\t%s\t%s\n", r->op.badge, r->op.name, role_name(r->op.role), state);
    }
    free(rows);
    return fflush(stdout) == 0 ? 0 : fail("E905", "cannot write the list%s", "");
}

/* triage operator disable|enable|unlock|reset-pin B */
static int cmd_operator_change(struct globals *g, const char *what, const char *badge)
{
    char pin[64] = "", err[512];
    bool reset = !strcmp(what, "reset-pin");
    struct store *st;
    if (open_store(g, DATADIR_READ, &st))
        return 1;
    if (reset && read_pin(badge, true, pin, sizeof pin) != 0) {
        memset(pin, 0, sizeof pin);
        store_close(st);
        return 1;
    }
    int rc = !strcmp(what, "disable")  ? operators_set_disabled(st, badge, true, NULL, err,
                                                                 sizeof err)
             : !strcmp(what, "enable") ? operators_set_disabled(st, badge, false, NULL, err,
                                                                sizeof err)
             : !strcmp(what, "unlock") ? operators_unlock(st, badge, NULL, err, sizeof err)
                                       : operators_reset_pin(st, badge, pin, NULL, err,
                                                             sizeof err);
    memset(pin, 0, sizeof pin);
    store_close(st);
    if (rc != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    printf("operator %s %s\n", badge,
           reset                       ? "has a new PIN (and is unlocked)"
           : !strcmp(what, "disable") ? "disabled"
           : !strcmp(what, "enable")  ? "enabled"
                                      : "unlocked");
    return 0;
}

static int cmd_operator(struct globals *g, int argc, char **argv)
{
    if (argc == 1 && !strcmp(argv[0], "list"))
        return cmd_operator_list(g);
    if (argc >= 1 && (!strcmp(argv[0], "disable") || !strcmp(argv[0], "enable") ||
                      !strcmp(argv[0], "unlock") || !strcmp(argv[0], "reset-pin"))) {
        if (argc != 2)
            return usage_error("operator disable|enable|unlock|reset-pin takes one BADGE");
        return cmd_operator_change(g, argv[0], argv[1]);
    }
    if (argc < 1 || strcmp(argv[0], "add") != 0)
        return usage_error("operator needs: add --badge B --name N --role R, list, disable B,"
                           " enable B, unlock B or reset-pin B");
    struct operator_info op = {0};
    const char *badge = NULL, *name = NULL, *role = NULL;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && !strcmp(argv[i], "--badge"))
            badge = argv[++i];
        else if (i + 1 < argc && !strcmp(argv[i], "--name"))
            name = argv[++i];
        else if (i + 1 < argc && !strcmp(argv[i], "--role"))
            role = argv[++i];
        else
            return usage_error("operator add takes --badge B --name N --role R");
    }
    if (!badge || !name || !role)
        return usage_error("operator add needs --badge, --name and --role");
    int r = role_from_name(role);
    if (r < 0)
        return fail("E902", "unknown role \"%s\" (grader, supervisor, admin)", role);
    snprintf(op.badge, sizeof op.badge, "%s", badge);
    snprintf(op.name, sizeof op.name, "%s", name);
    op.role = (enum role)r;
    char pin[64] = "";
    if (read_pin(badge, true, pin, sizeof pin) != 0)
        return 1;
    if (!operators_pin_ok(pin)) { /* before any database is made for it */
        memset(pin, 0, sizeof pin);
        fprintf(stderr, "E154: a PIN is %d to %d digits\n", OPERATORS_PIN_MIN, OPERATORS_PIN_MAX);
        return 1;
    }
    struct store *st;
    if (open_store(g, DATADIR_CREATE, &st)) {
        memset(pin, 0, sizeof pin);
        return 1;
    }
    char err[512];
    int rc = operators_add(st, &op, pin, err, sizeof err);
    memset(pin, 0, sizeof pin);
    store_close(st);
    if (rc != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    printf("operator %s (%s, %s) added\n", op.badge, op.name, role_name(op.role));
    return 0;
}

/* A row whose RMA already has an outcome: "W418: FILE:LINE: …" on stderr. */
static void print_kept(void *arg, const char *msg)
{
    (void)arg;
    fprintf(stderr, "%s\n", msg);
}

static int cmd_import_manifest(struct globals *g, int argc, char **argv)
{
    if (argc != 1)
        return usage_error("import-manifest needs one FILE.csv");
    struct store *st;
    if (open_store(g, DATADIR_READ, &st))
        return 1;
    char err[512];
    int kept = 0;
    int n = manifest_import(st, argv[0], print_kept, NULL, &kept, err, sizeof err);
    store_close(st);
    if (n < 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    if (kept)
        printf("imported %d expected returns from %s; %d not applied: already graded (W418)\n", n,
               argv[0], kept);
    else
        printf("imported %d expected returns from %s\n", n, argv[0]);
    return 0;
}

static int cmd_export(struct globals *g, int argc, char **argv)
{
    enum export_format fmt = EXPORT_NDJSON;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--format") && i + 1 < argc) {
            const char *f = argv[++i];
            if (!strcmp(f, "ndjson"))
                fmt = EXPORT_NDJSON;
            else if (!strcmp(f, "csv"))
                fmt = EXPORT_CSV;
            else
                return fail("E904", "unknown export format \"%s\" (ndjson, csv)", f);
        } else {
            return usage_error("export takes [--format ndjson|csv]");
        }
    }
    struct store *st;
    if (open_store(g, DATADIR_READ, &st))
        return 1;
    char err[512];
    int rc = store_export(st, stdout, fmt, err, sizeof err);
    store_close(st);
    if (rc != 0 || fflush(stdout) != 0) {
        fprintf(stderr, "%s\n", rc ? err : "E905: cannot write the export");
        return 1;
    }
    return 0;
}

/* What `stats` and `report` read: a range of the site's days, from the
 * station's database or head office's PostgreSQL (one site or all). */
struct stats_args {
    const char *from, *to, *source, *site, *out;
    enum stats_format fmt;
};

/* Compute the report the arguments ask for into *r (the zone stays loaded in
 * *z for r->range). Returns 0, or 1 with the error printed. */
static int compute_stats(struct globals *g, const struct stats_args *a, struct stats_report *r,
                         struct tz **z, char *what, size_t whatlen)
{
    char err[512];
    bool station = !a->source || !strcmp(a->source, "station");
    if (!station && strncmp(a->source, "postgresql://", 13) != 0 &&
        strncmp(a->source, "postgres://", 11) != 0)
        return fail("E773", "--source \"%s\" is neither station nor a postgresql:// URL",
                    a->source);
    if (station && a->site && a->site[0] && strcmp(a->site, g->cfg.site) != 0)
        return fail("E774", "the station's database holds site %s only (--site is for head"
                            " office)",
                    g->cfg.site);
    /* The station counts days in its own zone; head office in each site's. */
    if (tz_load(station ? g->cfg.timezone : "UTC", z, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    struct stats_range range;
    int64_t now = clock_wall_ms();
    if (stats_range_parse(a->from, a->to, tz_day(*z, now), &range, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    range.tz = station ? *z : NULL;
    int rc;
    if (station) {
        struct store *st;
        if (open_store(g, DATADIR_READ, &st))
            return 1;
        rc = stats_compute(st, &range, r, err, sizeof err);
        bool empty_db = rc == 0 && store_count_inspections(st) == 0;
        store_close(st);
        if (empty_db)
            fprintf(stderr, "W758: the database holds no inspections yet\n");
        snprintf(what, whatlen, "station %s", g->cfg.station_id);
    } else {
        rc = stats_compute_pg(a->source, a->site, &range, r, err, sizeof err);
        if (a->site && a->site[0])
            snprintf(what, whatlen, "head office, site %s", a->site);
        else
            snprintf(what, whatlen, "head office, every site");
    }
    if (rc != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    char d1[16], d2[16];
    if (r->total == 0)
        fprintf(stderr, "W759: no inspections between %s and %s\n",
                stats_day_text(range.from_day, d1, sizeof d1),
                stats_day_text(range.to_day, d2, sizeof d2));
    return 0;
}

/* The options stats and report share; 0, or the exit status of a usage error. */
static int parse_stats_args(int argc, char **argv, bool report, struct stats_args *a)
{
    memset(a, 0, sizeof *a);
    a->fmt = STATS_TABLE;
    for (int i = 0; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!report && !strcmp(argv[i], "--format") && v) {
            i++;
            if (!strcmp(v, "table"))
                a->fmt = STATS_TABLE;
            else if (!strcmp(v, "csv"))
                a->fmt = STATS_CSV;
            else if (!strcmp(v, "json"))
                a->fmt = STATS_JSON;
            else
                return fail("E757", "unknown stats format \"%s\" (table, csv, json)", v);
        } else if (!strcmp(argv[i], "--from") && v) {
            a->from = argv[++i];
        } else if (!strcmp(argv[i], "--to") && v) {
            a->to = argv[++i];
        } else if (!strcmp(argv[i], "--source") && v) {
            a->source = argv[++i];
        } else if (!strcmp(argv[i], "--site") && v) {
            a->site = argv[++i];
        } else if (report && !strcmp(argv[i], "--out") && v) {
            a->out = argv[++i];
        } else {
            return usage_error(report ? "report takes [--from YYYY-MM-DD] [--to YYYY-MM-DD]"
                                        " [--site S] [--source station|postgresql://…]"
                                        " --out FILE.html"
                                      : "stats takes [--from YYYY-MM-DD] [--to YYYY-MM-DD]"
                                        " [--format table|csv|json]"
                                        " [--source station|postgresql://…] [--site S]");
        }
    }
    if (report && !a->out)
        return usage_error("report needs --out FILE.html");
    return 0;
}

static int cmd_stats(struct globals *g, int argc, char **argv)
{
    struct stats_args a;
    int rc = parse_stats_args(argc, argv, false, &a);
    if (rc)
        return rc;
    struct stats_report *r = malloc(sizeof *r);
    if (!r)
        return fail("E754", "%s", "out of memory");
    struct tz *z = NULL;
    char what[128];
    rc = compute_stats(g, &a, r, &z, what, sizeof what);
    if (rc == 0 && stats_print(r, a.fmt, stdout) != 0) {
        fprintf(stderr, "E760: cannot write the statistics\n");
        rc = 1;
    }
    free(r);
    tz_free(z);
    return rc;
}

/* triage report: the same numbers as stats, as one HTML page, written
 * whole or not at all. */
static int cmd_report(struct globals *g, int argc, char **argv)
{
    struct stats_args a;
    int rc = parse_stats_args(argc, argv, true, &a);
    if (rc)
        return rc;
    struct stats_report *r = malloc(sizeof *r);
    if (!r)
        return fail("E754", "%s", "out of memory");
    struct tz *z = NULL;
    char what[128], made[40], err[512];
    rc = compute_stats(g, &a, r, &z, what, sizeof what);
    if (rc == 0) {
        struct buf page = {0};
        bool station = !a.source || !strcmp(a.source, "station");
        struct stats_html_source src = {g->cfg.station_id,
                                        station ? NULL : a.site ? a.site : "",
                                        time_rfc3339(clock_wall_ms(), made, sizeof made)};
        stats_html(r, g->cfg.lang, &src, &page);
        static const struct atomic_file_ids ids = {{"E775", "E775", "E775", "E775", "E775", "E775"}};
        size_t len = 0;
        char *text = buf_take(&page, &len);
        if (!text || atomic_file_put(a.out, text, len, &ids, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", text ? err : "E754: out of memory");
            rc = 1;
        } else {
            fprintf(stderr, "I770 report %s: %lld inspections, %s\n", a.out,
                    (long long)r->total, what);
        }
        free(text);
        buf_free(&page);
    }
    free(r);
    tz_free(z);
    return rc;
}

/* triage sync [--once]: one round (exit 1 when it could not finish), or
 * rounds every [sync] interval_s until SIGINT/SIGTERM. */
static int cmd_sync(struct globals *g, int argc, char **argv)
{
    bool once = false;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--once"))
            once = true;
        else
            return usage_error("sync takes [--once]");
    }
    char path[1024], err[1024], target[600];
    struct datadir d;
    if (datadir_open(g->data_dir, DATADIR_READ, &d, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    snprintf(path, sizeof path, "%s", d.db_path);
    struct sync_options so = {.db_path = path,
                              .station = g->cfg.station_id,
                              .site = g->cfg.site,
                              .timezone = g->cfg.timezone,
                              .data_dir = g->data_dir,
                              .cfg = &g->cfg.sync};
    sync_target(&so, target, sizeof target);
    if (once) {
        struct sync_status st;
        if (sync_run_once(&so, &st, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        printf("sync %s: %lld outcomes sent (%lld already there, %lld conflicts), %d manifest"
               " rows applied, %d rejected, %lld waiting\n",
               strncmp(target, "spool:", 6) == 0 ? target : "postgresql", (long long)st.pushed,
               (long long)st.resent, (long long)st.conflicts, st.manifests, st.rejected,
               (long long)st.waiting);
        if (st.conflicts > 0)
            fprintf(stderr, "W706: %lld outcomes were already at head office with other"
                            " content: alerts raised there (triage.sync_alerts)\n",
                    (long long)st.conflicts);
        if (st.rejected > 0)
            fprintf(stderr, "W707: %d manifest rows rejected (see the log lines E707)\n",
                    st.rejected);
        return 0;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* the worker inherits the mask */
    struct sync *s;
    if (sync_start(&so, &s, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    int sig = 0;
    sigwait(&set, &sig);
    sync_stop(s);
    return 0;
}

/* triage audit verify [--source postgresql://…]: exit 0 intact, 1 broken
 * (the first broken row's id and what is wrong on stderr) or unreadable. */
static int cmd_audit(struct globals *g, int argc, char **argv)
{
    const char *source = NULL;
    if (argc < 1 || strcmp(argv[0], "verify") != 0)
        return usage_error("audit needs: verify [--source postgresql://…]");
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--source") && i + 1 < argc)
            source = argv[++i];
        else
            return usage_error("audit verify takes [--source postgresql://…]");
    }
    char err[1024];
    if (source) {
        /* Head office's copy of this station's chain, checked there. */
        if (strncmp(source, "postgresql://", 13) != 0 && strncmp(source, "postgres://", 11) != 0)
            return fail("E916", "--source is a postgresql:// URL, not \"%s\"", source);
        char verdict[600];
        int rc = sync_pg_audit_verify(source, &g->cfg.sync, g->cfg.station_id, verdict,
                                      sizeof verdict, err, sizeof err);
        if (rc < 0) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        if (rc > 0) {
            fprintf(stderr, "%s\n", verdict);
            return 1;
        }
        printf("%s\n", verdict);
        return 0;
    }
    struct store *st;
    if (open_store(g, DATADIR_READ, &st))
        return 1;
    struct audit_verdict v;
    int rc = audit_verify(st, &v, err, sizeof err);
    store_close(st);
    if (rc != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    if (!v.intact) {
        fprintf(stderr, "%s\n", v.problem);
        return 1;
    }
    printf("audit chain intact: %lld rows, %lld inspections\n", (long long)v.rows,
           (long long)v.inspections);
    return 0;
}

static int cmd_parse(int argc, char **argv)
{
    if (argc != 1)
        return usage_error("parse needs one TEXT");
    char data[1024];
    int n = script_unescape(argv[0], data, sizeof data);
    if (n < 0)
        return fail("E906", "bad escape in \"%s\"", argv[0]);
    struct scanned_code code;
    codes_parse(data, (size_t)n, &code);
    char json[2048];
    if (codes_to_json(&code, json, sizeof json) < 0)
        return fail("E907", "code too long to show%s", "");
    printf("%s\n", json);
    return 0;
}

static int cmd_rules(int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[0], "check") != 0)
        return usage_error("rules needs: check FILE");
    struct rules *r;
    char err[512];
    if (rules_load_file(argv[1], &r, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    int checks = 0;
    for (int i = 0; i < r->ncategories; i++)
        checks += r->categories[i].nchecks;
    printf("%s: rules version %s, %d categories, %d checks, return window %d days: ok\n",
           argv[1], r->version, r->ncategories, checks, r->return_window_days);
    rules_free(r);
    return 0;
}

/* triage backup FILE: the station's database copied online (app/store/backup.h). */
static int cmd_backup(struct globals *g, int argc, char **argv)
{
    if (argc != 1)
        return usage_error("backup needs one FILE");
    char path[1024], err[512];
    snprintf(path, sizeof path, "%s/triage.db", g->data_dir);
    struct backup_info info;
    if (backup_take(path, argv[0], &info, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    printf("backup %s: %lld inspections, %lld KiB, schema %d, quick_check ok\n", argv[0],
           (long long)info.inspections, (long long)(info.bytes / 1024), info.schema);
    return 0;
}

/* triage selfcheck: one line per check (app/selfcheck.h); exit 1 when one failed. */
static int cmd_selfcheck(struct globals *g, int argc, char **argv)
{
    (void)argv;
    if (argc != 0)
        return usage_error("selfcheck takes no arguments");
    struct selfcheck_options so = {.data_dir = g->data_dir, .cfg = &g->cfg};
    return selfcheck_run(&so, stdout) > 0 ? 1 : 0;
}

/* ---- the station ------------------------------------------------------- */

static int cmd_run(struct globals *g)
{
    struct run_options opt = {
        .data_dir = g->data_dir,
        .cfg = &g->cfg,
        .rules = g->rules,
        .script = g->script,
        .shots = g->shots,
        .width = g->width,
        .height = g->height,
        .fullscreen = g->cfg.fullscreen,
        .lang = g->cfg.lang,
    };
    return run_station(&opt);
}

int main(int argc, char **argv)
{
    struct globals g = {.data_dir = "var", .lang = -1, .fullscreen = -1};
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_text, stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("triage %s\n", TRIAGE_VERSION);
            return 0;
        } else if (!strcmp(a, "--verbose")) {
            log_set_level(LOG_DEBUG);
        } else if (!strcmp(a, "--fullscreen")) {
            g.fullscreen = 1;
        } else if (!v) {
            return usage_error("an option needs a value");
        } else if (!strcmp(a, "--config")) {
            g.config_path = v, i++;
        } else if (!strcmp(a, "--data")) {
            g.data_dir = v, i++;
        } else if (!strcmp(a, "--rules")) {
            g.rules_path = v, i++;
        } else if (!strcmp(a, "--script")) {
            g.script = v, i++;
        } else if (!strcmp(a, "--shots")) {
            g.shots = v, i++;
        } else if (!strcmp(a, "--lang")) {
            g.lang = lang_from_name(v), i++;
            if (g.lang < 0)
                return fail("E908", "unknown language \"%s\" (en, zh)", v);
        } else if (!strcmp(a, "--windowed")) {
            if (sscanf(v, "%dx%d", &g.width, &g.height) != 2 || g.width < 320 ||
                g.height < 200 || g.width > 8192 || g.height > 8192)
                return fail("E909", "--windowed needs WxH, e.g. 1280x800, not \"%s\"", v);
            g.fullscreen = 0, i++;
        } else {
            return fail("E900", "unknown option %s (see triage --help)", a);
        }
    }
    if (load_config(&g))
        return 1;
    int rest = argc - i - 1;
    char **args = argv + i + 1;
    const char *cmd = i < argc ? argv[i] : NULL;
    if (!cmd) {
        if (load_rules(&g))
            return 1;
        int rc = cmd_run(&g);
        rules_free(g.rules);
        return rc;
    }
    if (!strcmp(cmd, "operator"))
        return cmd_operator(&g, rest, args);
    if (!strcmp(cmd, "import-manifest"))
        return cmd_import_manifest(&g, rest, args);
    if (!strcmp(cmd, "export"))
        return cmd_export(&g, rest, args);
    if (!strcmp(cmd, "stats"))
        return cmd_stats(&g, rest, args);
    if (!strcmp(cmd, "report"))
        return cmd_report(&g, rest, args);
    if (!strcmp(cmd, "parse"))
        return cmd_parse(rest, args);
    if (!strcmp(cmd, "sync"))
        return cmd_sync(&g, rest, args);
    if (!strcmp(cmd, "audit"))
        return cmd_audit(&g, rest, args);
    if (!strcmp(cmd, "rules"))
        return cmd_rules(rest, args);
    if (!strcmp(cmd, "backup"))
        return cmd_backup(&g, rest, args);
    if (!strcmp(cmd, "selfcheck"))
        return cmd_selfcheck(&g, rest, args);
    return fail("E900", "unknown command \"%s\" (see triage --help)", cmd);
}

/*
 * sync_fixture.h — shared by the sync tests and the sync benchmark (included
 * into each; the build makes one program per file and links only harness.o).
 *
 *  - a throwaway PostgreSQL cluster on 127.0.0.1 and a random free port:
 *    initdb as the postgres user when we are root (initdb refuses root),
 *    as ourselves otherwise; the superuser logs in over the Unix socket
 *    (trust), everyone else over TCP with a SCRAM password; fsync off (the
 *    cluster is thrown away; a `pg_ctl -m immediate` still loses nothing
 *    committed, since the OS keeps the pages). Stopped and removed at exit.
 *  - stations: a store filled with generated inspections.
 */
#ifndef TRIAGE_SYNC_FIXTURE_H
#define TRIAGE_SYNC_FIXTURE_H

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <glob.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "log.h"
#include "photos.h"
#include "store.h"
#include "store_internal.h" /* store_db: generation turns durability off */

struct pgc {
    char bindir[256];
    char dir[256];  /* cluster folder (data/, socket, log) */
    int port;
    bool as_postgres; /* we are root: run the server as postgres */
    bool running;
};

static struct pgc *pgc_atexit_cluster;

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return ntohs(a.sin_port);
}

/* Run a server command as the cluster's owner; returns the exit status. */
static __attribute__((unused)) int pgc_cmd(struct pgc *c, const char *fmt, const char *arg)
{
    char inner[1500], cmd[2000];
    snprintf(inner, sizeof inner, fmt, c->bindir, c->dir, arg ? arg : "");
    if (c->as_postgres)
        snprintf(cmd, sizeof cmd, "runuser -u postgres -- %s >>'%s/cmd.log' 2>&1", inner,
                 c->dir);
    else
        snprintf(cmd, sizeof cmd, "%s >>'%s/cmd.log' 2>&1", inner, c->dir);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

static __attribute__((unused)) int pgc_start_server(struct pgc *c)
{
    char opts[600];
    snprintf(opts, sizeof opts,
             "-k %s -p %d -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
             " -c synchronous_commit=off -c max_connections=40",
             c->dir, c->port);
    char fmt[900];
    snprintf(fmt, sizeof fmt, "%%s/pg_ctl -D %%s/data -o \"%s\" -w -t 30 -l %%s/server.log start",
             opts);
    /* pg_ctl's -l wants the log path; format takes bindir, dir, then dir again */
    char inner[1500], cmd[2000];
    snprintf(inner, sizeof inner, fmt, c->bindir, c->dir, c->dir);
    if (c->as_postgres)
        snprintf(cmd, sizeof cmd, "runuser -u postgres -- %s >>'%s/cmd.log' 2>&1", inner, c->dir);
    else
        snprintf(cmd, sizeof cmd, "%s >>'%s/cmd.log' 2>&1", inner, c->dir);
    int rc = system(cmd);
    c->running = rc == 0;
    return rc == 0 ? 0 : -1;
}

/* mode: "fast" or "immediate" */
static __attribute__((unused)) int pgc_stop_server(struct pgc *c, const char *mode)
{
    int rc = pgc_cmd(c, "%s/pg_ctl -D %s/data -w -t 30 -m %s stop", mode);
    c->running = false;
    return rc;
}

static void pgc_cleanup(void)
{
    struct pgc *c = pgc_atexit_cluster;
    if (!c)
        return;
    if (c->running)
        pgc_stop_server(c, "immediate");
    if (!getenv("KEEP_TMP")) {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", c->dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", c->dir);
    }
}

/* Make and start the cluster. Exits 77 (skipped) when PostgreSQL is not
 * installed; returns -1 when it is but does not start. */
static __attribute__((unused)) int pgc_setup(struct pgc *c)
{
    memset(c, 0, sizeof *c);
    glob_t g;
    if (glob("/usr/lib/postgresql/*/bin/initdb", 0, NULL, &g) != 0 || g.gl_pathc == 0)
        harness_skip("PostgreSQL server binaries not installed (packaging/deps.sh test)");
    snprintf(c->bindir, sizeof c->bindir, "%.*s", (int)(strlen(g.gl_pathv[g.gl_pathc - 1]) - 7),
             g.gl_pathv[g.gl_pathc - 1]);
    globfree(&g);
    c->as_postgres = geteuid() == 0;
    snprintf(c->dir, sizeof c->dir, "/tmp/triage-pg-XXXXXX");
    if (!mkdtemp(c->dir))
        return -1;
    pgc_atexit_cluster = c;
    atexit(pgc_cleanup);
    if (c->as_postgres) {
        struct passwd *pw = getpwnam("postgres");
        if (!pw || chown(c->dir, pw->pw_uid, pw->pw_gid) != 0)
            return -1;
    }
    char pwfile[300];
    snprintf(pwfile, sizeof pwfile, "%s/pw", c->dir);
    harness_write_file(pwfile, "postgres-secret\n");
    if (c->as_postgres) {
        struct passwd *pw = getpwnam("postgres");
        if (chown(pwfile, pw->pw_uid, pw->pw_gid) != 0)
            return -1;
    }
    if (pgc_cmd(c, "%s/initdb -D %s/data --no-sync -U postgres --auth-local=trust"
                   " --auth-host=scram-sha-256 --pwfile=%s",
                pwfile) != 0)
        return -1;
    for (int tries = 0; tries < 5; tries++) {
        c->port = free_port();
        if (c->port > 0 && pgc_start_server(c) == 0)
            return 0;
    }
    return -1;
}

/* A superuser connection over the Unix socket. */
static __attribute__((unused)) PGconn *pgc_admin(struct pgc *c)
{
    char ci[400];
    snprintf(ci, sizeof ci, "host=%s port=%d user=postgres dbname=postgres", c->dir, c->port);
    PGconn *conn = PQconnectdb(ci);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "admin connection: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return NULL;
    }
    PQclear(PQexec(conn, "SET client_min_messages = warning"));
    return conn;
}

/* Run SQL on conn; returns 0 or -1 (message on stderr). */
static __attribute__((unused)) int pgc_exec(PGconn *conn, const char *sql)
{
    PGresult *r = PQexec(conn, sql);
    ExecStatusType s = PQresultStatus(r);
    int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? 0 : -1;
    if (rc)
        fprintf(stderr, "SQL failed: %s\n  in: %.200s\n", PQerrorMessage(conn), sql);
    PQclear(r);
    return rc;
}

/* The first value of a query as a number; -1 on error. */
static __attribute__((unused)) long long pgc_value(PGconn *conn, const char *sql)
{
    PGresult *r = PQexec(conn, sql);
    long long v = -1;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
        v = atoll(PQgetvalue(r, 0, 0));
    else if (PQresultStatus(r) != PGRES_TUPLES_OK)
        fprintf(stderr, "SQL failed: %s\n  in: %.200s\n", PQerrorMessage(conn), sql);
    PQclear(r);
    return v;
}

/* Load sync/headoffice.sql (found from the source tree). */
static __attribute__((unused)) int pgc_load_schema(PGconn *conn)
{
    char *sql = harness_read_file("sync/headoffice.sql", NULL);
    if (!sql)
        return -1;
    int rc = pgc_exec(conn, sql);
    free(sql);
    return rc;
}

/* A station login: role `role` with `password`, registered for station/site. */
static __attribute__((unused)) int pgc_add_station(PGconn *conn, const char *role,
                                                   const char *password, const char *station,
                                                   const char *site)
{
    char sql[600];
    snprintf(sql, sizeof sql,
             "CREATE ROLE \"%s\" LOGIN PASSWORD '%s' IN ROLE triage_station;"
             " SELECT triage.register_station('%s', '%s', '%s')",
             role, password, station, site, role);
    return pgc_exec(conn, sql);
}

/* ---- stations -------------------------------------------------------------- */

/* A JPEG of `size` bytes (at least 4): SOI, bytes drawn from *seed, EOI;
 * malloc'd. */
static __attribute__((unused)) unsigned char *fixture_jpeg(size_t size, unsigned *seed)
{
    unsigned char *j = malloc(size);
    if (!j)
        return NULL;
    for (size_t i = 0; i < size; i++)
        j[i] = (unsigned char)(rand_r(seed) >> 7);
    j[0] = 0xFF, j[1] = 0xD8, j[size - 2] = 0xFF, j[size - 1] = 0xD9;
    return j;
}

/* Append n generated inspections to the store at db_path (made when missing),
 * numbered from the store's next seq; `salt` varies the content. Each gets
 * `photos` evidence photos of photo_bytes bytes, taken (photos_put) for its
 * first answer before its commit, as the photo screen does. */
static __attribute__((unused)) int fixture_add_inspections_photos(const char *db_path,
                                                                  const char *station, int n,
                                                                  int salt, int photos,
                                                                  size_t photo_bytes)
{
    struct store *st;
    char err[300];
    if (store_open(db_path, station, &st, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    unsigned seed = (unsigned)salt * 7919u + 1;
    /* Generation only: the tests are not about the station's durability. */
    sqlite3_exec(store_db(st), "PRAGMA synchronous=OFF", NULL, NULL, NULL);
    static const char *const disp[] = {"restock", "open_box", "refurbish", "scrap"};
    static const char *const cats[] = {"phone", "apparel", "appliance"};
    int64_t t0 = 1795000000000LL; /* 2026-11 */
    for (int i = 0; i < n; i++) {
        struct inspection in;
        memset(&in, 0, sizeof in);
        int k = i * 7 + salt * 13;
        snprintf(in.rma, sizeof in.rma, "RMA-%d-%d", salt, i);
        snprintf(in.order_id, sizeof in.order_id, "ORD-%d", k);
        snprintf(in.sku, sizeof in.sku, "PH-%03d", k % 17);
        snprintf(in.gtin, sizeof in.gtin, "0400638133393%d", k % 10);
        snprintf(in.serial, sizeof in.serial, "SN%08d", k);
        snprintf(in.description, sizeof in.description, "Item \"%d\" 手机, line\\%d", k, i);
        snprintf(in.reason, sizeof in.reason, "%s", k % 3 ? "defective" : "changed_mind");
        snprintf(in.category, sizeof in.category, "%s", cats[k % 3]);
        snprintf(in.operator_badge, sizeof in.operator_badge, "%d", 1001 + k % 4);
        in.started_at = t0 + (int64_t)i * 60000 + salt * 1000;
        in.finished_at = in.started_at + 30000 + k % 50000;
        in.grade = (enum grade)(1 + k % 4);
        for (int a = 0; a < ASPECT_COUNT; a++)
            in.aspect_grade[a] = (enum grade)(1 + (k + a) % 4);
        snprintf(in.disposition, sizeof in.disposition, "%s", disp[k % 4]);
        in.responsibility = (enum responsibility)(k % RESP_COUNT);
        in.ndefects = k % 3;
        for (int d = 0; d < in.ndefects; d++)
            snprintf(in.defects[d], sizeof in.defects[d], "D%d", d + k % 5);
        in.nanswers = 2;
        snprintf(in.answers[0].check, sizeof in.answers[0].check, "screen");
        snprintf(in.answers[0].answer, sizeof in.answers[0].answer, "ok");
        snprintf(in.answers[1].check, sizeof in.answers[1].check, "power");
        snprintf(in.answers[1].answer, sizeof in.answers[1].answer, k % 2 ? "ok" : "dead");
        snprintf(in.rules_version, sizeof in.rules_version, "2026-11");
        in.late = k % 5 == 0;
        /* Every kind of item check; what was scanned with a quote and a GS
         * in it; units of an RMA, now and then one more than expected. */
        static const enum item_check checks[] = {ITEM_CHECK_MATCHED, ITEM_CHECK_MISMATCHED,
                                                 ITEM_CHECK_UNVERIFIED, ITEM_CHECK_SKIPPED,
                                                 ITEM_CHECK_BLIND};
        in.item_check = checks[(k / 7) % 5];
        in.mismatch = in.item_check == ITEM_CHECK_MISMATCHED;
        in.blind = in.item_check == ITEM_CHECK_BLIND;
        in.wrong_item = in.mismatch && k % 2;
        if (in.item_check != ITEM_CHECK_SKIPPED)
            snprintf(in.scanned_item, sizeof in.scanned_item, "]C1 \"%d\"\x1d" "21SN%d", k, i);
        in.units = 1 + k % 3;
        in.unit = 1 + i % in.units;
        if (k % 11 == 0) {
            in.extra_unit = true;
            in.unit = in.units + 1;
        }
        /* The grading policy: a check not asked now and then, every reason
         * check, return type and resolution, and an override with its
         * reason (the suggestion differs from what was confirmed). */
        if (k % 4 == 0) {
            in.nskipped = 1;
            snprintf(in.skipped[0], sizeof in.skipped[0], "seal");
        }
        in.reason_check = (enum reason_check)(k % REASON_CHECK_COUNT);
        in.return_type = (enum return_type)(k % RETURN_TYPE_COUNT);
        in.resolution = (enum resolution)((k / 3) % RESOLUTION_COUNT);
        in.responsibility_suggested = in.responsibility;
        if (k % 6 == 1) {
            in.responsibility_suggested = (enum responsibility)((k + 1) % RESP_COUNT);
            snprintf(in.responsibility_reason, sizeof in.responsibility_reason, "carrier_report");
        }
        for (int p = 0; p < photos && p < INSP_MAX_PHOTOS; p++) {
            unsigned char *jpeg = fixture_jpeg(photo_bytes, &seed);
            int rc =
                jpeg ? photos_put(st, jpeg, photo_bytes, "screen", 0, &in.photos[p], err, sizeof err)
                     : -1;
            free(jpeg);
            if (rc != 0) {
                fprintf(stderr, "%s\n", jpeg ? err : "out of memory");
                store_close(st);
                return -1;
            }
            in.nphotos = p + 1;
        }
        if (store_commit_inspection(st, &in, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            store_close(st);
            return -1;
        }
    }
    store_close(st);
    return 0;
}

/* fixture_add_inspections_photos without photos. */
static __attribute__((unused)) int fixture_add_inspections(const char *db_path, const char *station,
                                                           int n, int salt)
{
    return fixture_add_inspections_photos(db_path, station, n, salt, 0, 0);
}

/* The station's export (as `triage export` prints it), malloc'd. */
static __attribute__((unused)) char *fixture_export(const char *db_path, const char *station)
{
    struct store *st;
    char err[300];
    if (store_open(db_path, station, &st, err, sizeof err) != 0)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int rc = f ? store_export(st, f, EXPORT_NDJSON, err, sizeof err) : -1;
    if (f)
        fclose(f);
    store_close(st);
    if (rc != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* `triage --config conf --data dir sync --once` (the real binary), killed
 * with SIGKILL after ms milliseconds. Returns 1 when the signal ended it (it
 * had not finished), 0 when it had exited already. */
static __attribute__((unused)) int fixture_kill_sync(const char *conf, const char *dir, int ms)
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        dup2(fd, 1);
        dup2(fd, 2);
        execl(harness_triage(), "triage", "--config", conf, "--data", dir, "sync", "--once",
              (char *)NULL);
        _exit(127);
    }
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) ? 1 : 0;
}

/* Change one byte of the photo file at path, keeping its size (what a
 * retouch would do); the original is kept as "<path>.kept". 0 or -1. */
static __attribute__((unused)) int fixture_tamper_photo(const char *path)
{
    char kept[1600];
    snprintf(kept, sizeof kept, "%.1500s.kept", path);
    size_t len;
    char *bytes = harness_read_file(path, &len);
    int rc = bytes && len > 4 && rename(path, kept) == 0 ? 0 : -1;
    FILE *f = rc == 0 ? fopen(path, "wb") : NULL;
    if (f) {
        bytes[len / 2] ^= 0x5a;
        rc = fwrite(bytes, 1, len, f) == len ? 0 : -1;
        rc = fclose(f) == 0 ? rc : -1;
    } else {
        rc = -1;
    }
    free(bytes);
    return rc;
}

/* A photo the station's export names: entry n of the record of seq. */
struct fixture_photo {
    long long seq;
    int n;
    char file[64];
    char sha256[65];
};

/* Every photo the station's export names, in seq and n order (malloc'd,
 * *count of them); NULL with *count = -1 when the export cannot be read. */
static __attribute__((unused)) struct fixture_photo *fixture_photos(const char *db_path,
                                                                    const char *station, int *count)
{
    char *exp = fixture_export(db_path, station);
    *count = -1;
    if (!exp)
        return NULL;
    struct fixture_photo *list = NULL;
    int n = 0, cap = 0;
    for (char *line = strtok(exp, "\n"); line; line = strtok(NULL, "\n")) {
        cJSON *o = cJSON_Parse(line), *p;
        int k = 0;
        cJSON_ArrayForEach(p, cJSON_GetObjectItem(o, "photos"))
        {
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                list = realloc(list, (size_t)cap * sizeof *list);
            }
            struct fixture_photo *f = &list[n++];
            f->seq = (long long)cJSON_GetObjectItem(o, "seq")->valuedouble;
            f->n = ++k;
            snprintf(f->file, sizeof f->file, "%s", cJSON_GetObjectItem(p, "file")->valuestring);
            snprintf(f->sha256, sizeof f->sha256, "%s",
                     cJSON_GetObjectItem(p, "sha256")->valuestring);
        }
        cJSON_Delete(o);
    }
    free(exp);
    *count = n;
    return list;
}

#endif

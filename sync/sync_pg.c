/*
 * sync_pg.c — the PostgreSQL transport: target "postgresql://…" (libpq).
 *
 * Head office runs sync/headoffice.sql. A batch is one call of
 * triage.push_outcomes(station, epoch, first, last, records jsonb): a single
 * statement, so one transaction on the server, which inserts with ON CONFLICT
 * DO NOTHING keyed by (station, epoch, seq), raises an alert for a key that
 * comes back with different content, and advances the station's watermark.
 * The station counts the batch as delivered only when the call's result (so
 * its COMMIT) came back; a batch whose answer was lost is simply sent again
 * and found already there. A batch whose records name photos is one
 * transaction of its own: BEGIN, push_outcomes, triage.push_photo for each
 * photo (its bytes checked against the record on the station first, sent as
 * binary bytea), COMMIT; delivered once COMMIT returned.
 *
 * Connection: the target URL as libpq takes it, plus, from [sync]: the
 * password from the credentials file (refused unless it is the station
 * user's own and nobody else may read or write it), sslmode (verify-full
 * unless configured otherwise: head office's certificate must be signed by
 * sslrootcert and name the host; a weaker mode is logged as W732 at every
 * connection), sslrootcert, sslcert, sslkey (a client certificate per
 * station; libpq itself refuses a key file others may read). A connection
 * that goes quiet is given up after 30 s (TCP user timeout, keepalives), a
 * statement after 120 s, so a round never hangs for good. libpq is used
 * asynchronously (PQconnectStartParams, PQsendQueryParams) and every wait is
 * a poll(2) of 100 ms that also looks at opt->stop: the station shuts down
 * at once even while head office does not answer.
 */
#include <errno.h>
#include "pq_fns.h"
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "sync.h"
#include "text.h"

#define CONNECT_TIMEOUT_MS 10000

struct pg {
    PGconn *conn;
    const atomic_bool *stop;
    char station[40];
    char timezone[64]; /* to tell head office once, then "" */
    struct buf batch;  /* the batch as one JSON array */
    struct buf photo;  /* the photo being sent */
};

/* Wait until conn's socket is readable (or writable), up to deadline (a
 * clock_mono_ms value, 0 = none). 0 ready, -1 socket error, -2 stopped,
 * -3 timed out. */
static int wait_socket(PGconn *conn, bool for_write, const atomic_bool *stop, int64_t deadline)
{
    int fd = PQsocket(conn);
    if (fd < 0)
        return -1;
    for (;;) {
        if (stop && atomic_load(stop))
            return -2;
        if (deadline && clock_mono_ms() >= deadline)
            return -3;
        struct pollfd p = {.fd = fd, .events = for_write ? POLLOUT : POLLIN};
        int n = poll(&p, 1, 100);
        if (n > 0)
            return 0;
        if (n < 0 && errno != EINTR)
            return -1;
    }
}

/* libpq's message without its trailing newline, and its first line only. */
static const char *first_line(const char *msg, char *buf, size_t buflen)
{
    snprintf(buf, buflen, "%s", msg ? msg : "");
    buf[strcspn(buf, "\n")] = 0;
    return buf;
}

/* Read the password from `path`: the first line. The file must be a plain
 * file of the station's own user that nobody else may read or write (mode
 * 0600 or 0400). */
static int read_credentials(const char *path, char *out, size_t outlen, char *err, size_t errlen)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        set_err(err, errlen, "E714: cannot read the credentials file %s: %s", path,
                strerror(errno));
        return -1;
    }
    if (!S_ISREG(sb.st_mode) || (sb.st_mode & (S_IRWXG | S_IRWXO))) {
        set_err(err, errlen,
                "E713: the credentials file %s may be read or written by others (mode %04o);"
                " chmod 600 it",
                path, (unsigned)(sb.st_mode & 07777));
        return -1;
    }
    if (sb.st_uid != geteuid()) {
        set_err(err, errlen,
                "E713: the credentials file %s belongs to uid %u, not to the station's user"
                " (uid %u); chown it",
                path, (unsigned)sb.st_uid, (unsigned)geteuid());
        return -1;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        set_err(err, errlen, "E714: cannot read the credentials file %s: %s", path,
                strerror(errno));
        return -1;
    }
    char line[512] = "";
    bool got = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    line[strcspn(line, "\r\n")] = 0;
    if (!got || !line[0]) {
        set_err(err, errlen, "E714: the credentials file %s has no password on its first line",
                path);
        return -1;
    }
    snprintf(out, outlen, "%s", line);
    memset(line, 0, sizeof line);
    return 0;
}

static int pg_open(const struct sync_options *opt, const char *target, void **state, char *err,
                   size_t errlen)
{
    const struct sync_opts *c = opt->cfg;
    char password[512] = "", appname[64], msg[300];
    if (pq_load(err, errlen) != 0)
        return -1;
    if (c && c->credentials[0] &&
        read_credentials(c->credentials, password, sizeof password, err, errlen) < 0)
        return -1;
    if (c && ((c->sslcert[0] != 0) != (c->sslkey[0] != 0))) {
        set_err(err, errlen,
                "E719: [sync] sslcert and sslkey go together (a client"
                " certificate and its key)");
        return -1;
    }
    snprintf(appname, sizeof appname, "triage %s", opt->station ? opt->station : "");

    const char *keys[20], *vals[20];
    int n = 0;
#define KV(k, v) (keys[n] = (k), vals[n] = (v), n++)
    /* Head office is authenticated unless the configuration says otherwise:
     * libpq's own default (prefer) would fall back to plain text silently. */
    const char *sslmode = c && c->sslmode[0] ? c->sslmode : "verify-full";
    if (strcmp(sslmode, "verify-full") != 0)
        log_warn("W732", "[sync] sslmode = %s: head office's identity is %s", sslmode,
                 strcmp(sslmode, "verify-ca") == 0
                     ? "checked against the CA, not the host name"
                     : "not checked, and the connection may be read or changed on the way");
    KV("dbname", target); /* expanded: the URL's own settings come first */
    if (password[0])
        KV("password", password);
    KV("sslmode", sslmode);
    if (c && c->sslrootcert[0])
        KV("sslrootcert", c->sslrootcert);
    if (c && c->sslcert[0])
        KV("sslcert", c->sslcert);
    if (c && c->sslkey[0])
        KV("sslkey", c->sslkey);
    KV("application_name", appname);
    KV("client_encoding", "UTF8");
    KV("connect_timeout", "10");
    KV("keepalives_idle", "15");
    KV("tcp_user_timeout", "30000");
    KV("options", "-c statement_timeout=120000");
    keys[n] = vals[n] = NULL;
#undef KV
    PGconn *conn = PQconnectStartParams(keys, vals, 1);
    memset(password, 0, sizeof password);
    if (!conn) {
        set_err(err, errlen, "E710: out of memory");
        return -1;
    }
    int64_t deadline = clock_mono_ms() + CONNECT_TIMEOUT_MS;
    PostgresPollingStatusType ps = PGRES_POLLING_WRITING;
    int w = 0;
    while (PQstatus(conn) != CONNECTION_BAD && ps != PGRES_POLLING_OK &&
           ps != PGRES_POLLING_FAILED) {
        w = wait_socket(conn, ps == PGRES_POLLING_WRITING, opt->stop, deadline);
        if (w < 0)
            break;
        ps = PQconnectPoll(conn);
    }
    if (w == -2 || w == -3) {
        set_err(err, errlen,
                w == -2 ? "E726: sync stopped while connecting to head office"
                        : "E712: cannot reach head office: no answer in %d s",
                CONNECT_TIMEOUT_MS / 1000);
        PQfinish(conn);
        return -1;
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        const char *m = PQerrorMessage(conn);
        if (strstr(m, "password authentication failed") || PQconnectionNeedsPassword(conn))
            set_err(err, errlen,
                    "E711: head office refused the login (wrong password or"
                    " user?): %s",
                    first_line(m, msg, sizeof msg));
        else if (strstr(m, "SSL") || strstr(m, "certificate"))
            set_err(err, errlen, "E718: TLS with head office failed: %s",
                    first_line(m, msg, sizeof msg));
        else
            set_err(err, errlen, "E712: cannot reach head office: %s",
                    first_line(m, msg, sizeof msg));
        PQfinish(conn);
        return -1;
    }
    struct pg *pg = calloc(1, sizeof *pg);
    if (!pg) {
        PQfinish(conn);
        set_err(err, errlen, "E710: out of memory");
        return -1;
    }
    pg->conn = conn;
    pg->stop = opt->stop;
    snprintf(pg->timezone, sizeof pg->timezone, "%s", opt->timezone ? opt->timezone : "");
    if (PQsetnonblocking(conn, 1) != 0) {
        set_err(err, errlen, "E712: cannot use the connection to head office");
        PQfinish(conn);
        free(pg);
        return -1;
    }
    snprintf(pg->station, sizeof pg->station, "%s", opt->station ? opt->station : "");
    *state = pg;
    return 0;
}

/* "E7xx: what: server message" from a failed result; the server's own id
 * (E740…) is kept when it has one. */
static void result_error(struct pg *pg, PGresult *res, const char *id, const char *what, char *err,
                         size_t errlen)
{
    char msg[300];
    const char *m = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!m)
        m = PQerrorMessage(pg->conn);
    first_line(m, msg, sizeof msg);
    if (PQstatus(pg->conn) != CONNECTION_OK)
        set_err(err, errlen, "%s: %s: the connection to head office was lost: %s", id, what, msg);
    else
        set_err(err, errlen, "%s: %s: %s", id, what, msg);
}

/* PQexecParams, but waiting in poll(2) so that opt->stop is seen; lengths
 * and formats as PQexecParams takes them (NULL: every parameter text).
 * Returns the last result (NULL when stopped or the connection broke). */
static PGresult *exec_params_as(struct pg *pg, const char *sql, int n, const char *const *params,
                                const int *lengths, const int *formats, bool *stopped)
{
    *stopped = false;
    if (!PQsendQueryParams(pg->conn, sql, n, NULL, params, lengths, formats, 0))
        return NULL;
    int f;
    while ((f = PQflush(pg->conn)) == 1) {
        int w = wait_socket(pg->conn, true, pg->stop, 0);
        if (w == -2)
            *stopped = true;
        if (w < 0)
            return NULL;
    }
    if (f < 0)
        return NULL;
    PGresult *last = NULL, *r;
    for (;;) {
        while (PQisBusy(pg->conn)) {
            int w = wait_socket(pg->conn, false, pg->stop, 0);
            if (w == -2)
                *stopped = true;
            if (w < 0 || !PQconsumeInput(pg->conn)) {
                PQclear(last);
                return NULL;
            }
        }
        if (!(r = PQgetResult(pg->conn)))
            break;
        PQclear(last);
        last = r;
    }
    return last;
}

static PGresult *exec_params(struct pg *pg, const char *sql, int n, const char *const *params,
                             bool *stopped)
{
    return exec_params_as(pg, sql, n, params, NULL, NULL, stopped);
}

/* The error of a query that gave no result: stopped, or the connection. */
static void no_result_error(struct pg *pg, bool stopped, const char *id, const char *what,
                            char *err, size_t errlen);

static int pg_watermark(void *state, const char *station, const char *epoch, int64_t *wm, char *err,
                        size_t errlen)
{
    struct pg *pg = state;
    const char *params[2] = {station, epoch};
    bool stopped;
    PGresult *res;
    if (pg->timezone[0]) {
        /* The site's zone, for head office's days: said once a connection. A
         * head office that cannot take it still gets the outcomes. */
        const char *tzp[2] = {station, pg->timezone};
        res = exec_params(pg, "SELECT triage.set_station_timezone($1, $2)", 2, tzp, &stopped);
        if (res && PQresultStatus(res) != PGRES_TUPLES_OK) {
            char msg[200];
            log_warn("W708", "head office did not take the time zone %s: %s", pg->timezone,
                     first_line(PQresultErrorMessage(res), msg, sizeof msg));
        }
        PQclear(res);
        pg->timezone[0] = 0;
        if (!res) {
            no_result_error(pg, stopped, "E716", "telling head office the station's time zone", err,
                            errlen);
            return -1;
        }
    }
    res = exec_params(pg, "SELECT triage.station_watermark($1, $2)", 2, params, &stopped);
    if (!res) {
        no_result_error(pg, stopped, "E716", "asking head office how far it has this station", err,
                        errlen);
        return -1;
    }
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        result_error(pg, res, "E716", "asking head office how far it has this station", err,
                     errlen);
        PQclear(res);
        return -1;
    }
    *wm = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return 0;
}

/* Send one batch as a JSON array to the head-office function that `sql`
 * calls ($1 station, $2 epoch, $3 first, $4 last, $5 the array), and read the
 * n numbers of its one result row into v. Errors carry `id` and say what was
 * being sent (`noun` first..last). */
static int push_json_batch(struct pg *pg, const struct sync_batch *b, const char *sql,
                           const char *id, const char *noun, int n, int64_t *v, char *err,
                           size_t errlen)
{
    size_t need = 2;
    for (int i = 0; i < b->count; i++)
        need += b->lens[i] + 1;
    buf_reset(&pg->batch);
    buf_reserve(&pg->batch, need);
    buf_add(&pg->batch, "[", 1);
    for (int i = 0; i < b->count; i++) {
        if (i)
            buf_add(&pg->batch, ",", 1);
        buf_add(&pg->batch, b->records[i], b->lens[i]);
    }
    buf_add(&pg->batch, "]", 1);
    if (pg->batch.oom) {
        set_err(err, errlen, "E710: out of memory");
        return -1;
    }
    char first[24], last[24];
    snprintf(first, sizeof first, "%lld", (long long)b->first);
    snprintf(last, sizeof last, "%lld", (long long)b->last);
    const char *params[5] = {b->station, b->epoch, first, last, pg->batch.data};
    bool stopped;
    PGresult *res = exec_params(pg, sql, 5, params, &stopped);
    char what[80];
    snprintf(what, sizeof what, "sending %s %s..%s", noun, first, last);
    if (!res) {
        no_result_error(pg, stopped, id, what, err, errlen);
        return -1;
    }
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1 || PQnfields(res) != n) {
        result_error(pg, res, id, what, err, errlen);
        PQclear(res);
        return -1;
    }
    for (int i = 0; i < n; i++)
        v[i] = strtoll(PQgetvalue(res, 0, i), NULL, 10);
    PQclear(res);
    return 0;
}

/* A statement of the batch's own transaction (BEGIN, COMMIT) that returns
 * no rows. 0, or -1 with `id` in err. */
static int exec_command(struct pg *pg, const char *sql, const char *id, const char *what, char *err,
                        size_t errlen)
{
    bool stopped;
    PGresult *res = exec_params(pg, sql, 0, NULL, &stopped);
    if (!res) {
        no_result_error(pg, stopped, id, what, err, errlen);
        return -1;
    }
    int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
    if (rc < 0)
        result_error(pg, res, id, what, err, errlen);
    PQclear(res);
    return rc;
}

/* Photo p of the batch, its bytes checked against its record first, to
 * triage.push_photo in the transaction under way; its outcome is inserted
 * already. Adds to out's photo counts. 0, or -1 with "E7xx: …" in err. */
static int push_photo(struct pg *pg, const struct sync_batch *b, const struct sync_photo *p,
                      struct sync_push_result *out, char *err, size_t errlen)
{
    int got = sync_photo_load(b->data_dir, p, &pg->photo, err, errlen);
    if (got != 0)
        return got < 0 ? -1 : 0; /* 1: removed by retention (W727), not sent */
    char seq[24], n[16], what[120];
    snprintf(seq, sizeof seq, "%lld", (long long)p->seq);
    snprintf(n, sizeof n, "%d", p->n);
    snprintf(what, sizeof what, "sending photo %d of seq %s", p->n, seq);
    const char *params[7] = {b->station, b->epoch, seq, n, p->check, p->sha256, pg->photo.data};
    const int lengths[7] = {0, 0, 0, 0, 0, 0, (int)pg->photo.len};
    const int formats[7] = {0, 0, 0, 0, 0, 0, 1}; /* the JPEG as it is: bytea, binary */
    bool stopped;
    PGresult *res = exec_params_as(pg,
                                   "SELECT inserted, duplicates, conflicts FROM triage.push_photo("
                                   "$1, $2, $3::bigint, $4::integer, $5, $6, $7::bytea)",
                                   7, params, lengths, formats, &stopped);
    if (!res) {
        no_result_error(pg, stopped, "E727", what, err, errlen);
        return -1;
    }
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1 || PQnfields(res) != 3) {
        result_error(pg, res, "E727", what, err, errlen);
        PQclear(res);
        return -1;
    }
    out->photos +=
        strtoll(PQgetvalue(res, 0, 0), NULL, 10) + strtoll(PQgetvalue(res, 0, 1), NULL, 10);
    out->photo_conflicts += strtoll(PQgetvalue(res, 0, 2), NULL, 10);
    PQclear(res);
    return 0;
}

static int pg_push(void *state, const struct sync_batch *b, struct sync_push_result *out, char *err,
                   size_t errlen)
{
    struct pg *pg = state;
    /* A batch with photos is one transaction: its outcomes, then each
     * photo; acknowledged once COMMIT returned. Without photos, the one
     * call is its own transaction. */
    bool photos = b->nphotos > 0;
    if (photos &&
        exec_command(pg, "BEGIN", "E715", "starting a batch with photos", err, errlen) < 0)
        return -1;
    int64_t v[4];
    int rc = push_json_batch(pg, b,
                             "SELECT inserted, duplicates, conflicts, watermark FROM"
                             " triage.push_outcomes($1, $2, $3::bigint, $4::bigint, $5::json)",
                             "E715", "seq", 4, v, err, errlen);
    for (int i = 0; photos && rc == 0 && i < b->nphotos; i++)
        rc = push_photo(pg, b, &b->photos[i], out, err, errlen);
    if (photos && rc == 0)
        rc = exec_command(pg, "COMMIT", "E727", "committing a batch with photos", err, errlen);
    if (photos && rc != 0 && PQstatus(pg->conn) == CONNECTION_OK) {
        char ignored[200];
        exec_command(pg, "ROLLBACK", "E715", "rolling back", ignored, sizeof ignored);
    }
    if (rc != 0)
        return -1;
    out->inserted = v[0];
    out->duplicates = v[1];
    out->conflicts = v[2];
    out->watermark = v[3];
    return 0;
}

static int pg_audit_watermark(void *state, const char *station, const char *epoch, int64_t *wm,
                              char *err, size_t errlen)
{
    struct pg *pg = state;
    const char *params[2] = {station, epoch};
    bool stopped;
    PGresult *res = exec_params(pg, "SELECT triage.audit_watermark($1, $2)", 2, params, &stopped);
    if (!res) {
        no_result_error(pg, stopped, "E733", "asking head office how far it has the audit log", err,
                        errlen);
        return -1;
    }
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        result_error(pg, res, "E733", "asking head office how far it has the audit log", err,
                     errlen);
        PQclear(res);
        return -1;
    }
    *wm = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return 0;
}

static int pg_push_audit(void *state, const struct sync_batch *b, struct sync_push_result *out,
                         char *err, size_t errlen)
{
    int64_t v[5];
    if (push_json_batch(state, b,
                        "SELECT inserted, duplicates, conflicts, broken, watermark FROM"
                        " triage.push_audit($1, $2, $3::bigint, $4::bigint, $5::jsonb)",
                        "E734", "audit rows", 5, v, err, errlen) < 0)
        return -1;
    out->inserted = v[0];
    out->duplicates = v[1];
    out->conflicts = v[2];
    out->broken = v[3];
    out->watermark = v[4];
    return 0;
}

static int pg_pull(void *state, const char *station, char *since, size_t sincelen,
                   const struct sync_manifest_cb *cb,
                   int (*apply)(void *arg, void (*kept)(void *karg, int index, const char *msg),
                                void *karg),
                   char *err, size_t errlen)
{
    struct pg *pg = state;
    /* Rows are stamped when their transaction writes them, which may commit
     * after a later stamp was already pulled: look back five minutes each
     * time. Applying a row again changes nothing. */
    const char *params[2] = {station, since};
    bool stopped;
    PGresult *res = exec_params(
        pg,
        "SELECT rma, order_id, sku, gtin, serial, description, reason, delivered_at,"
        " quantity::text,"
        " to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
        " FROM triage.manifests_since($1, CASE WHEN $2 = '' THEN '-infinity'::timestamptz"
        " ELSE $2::timestamptz - interval '5 minutes' END)",
        2, params, &stopped);
    if (!res) {
        no_result_error(pg, stopped, "E717", "pulling manifests", err, errlen);
        return -1;
    }
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        result_error(pg, res, "E717", "pulling manifests", err, errlen);
        PQclear(res);
        return -1;
    }
    int n = PQntuples(res);
    char mark[64] = "";
    for (int i = 0; i < n; i++) {
        const char *f[MANIFEST_FIELDS];
        for (int k = 0; k < MANIFEST_FIELDS; k++)
            f[k] = PQgetvalue(res, i, k);
        char where[120];
        snprintf(where, sizeof where, "rma \"%.60s\" (head office)", f[0]);
        cb->row(cb->arg, f, where);
        snprintf(mark, sizeof mark, "%s", PQgetvalue(res, i, MANIFEST_FIELDS));
    }
    PQclear(res);
    if (apply(cb->arg, NULL, NULL) != 0) {
        set_err(err, errlen, "E708: the pulled manifest could not be stored");
        return -1;
    }
    if (n > 0 && strcmp(mark, since) > 0)
        snprintf(since, sincelen, "%s", mark);
    return 0;
}

static void no_result_error(struct pg *pg, bool stopped, const char *id, const char *what,
                            char *err, size_t errlen)
{
    char msg[300];
    if (stopped)
        set_err(err, errlen, "E726: %s: sync stopped before head office answered", what);
    else
        set_err(err, errlen, "%s: %s: the connection to head office was lost: %s", id, what,
                first_line(PQerrorMessage(pg->conn), msg, sizeof msg));
}

static void pg_close(void *state)
{
    struct pg *pg = state;
    if (!pg)
        return;
    PQfinish(pg->conn);
    buf_free(&pg->batch);
    buf_free(&pg->photo);
    free(pg);
}

int sync_pg_audit_verify(const char *url, const struct sync_opts *cfg, const char *station,
                         char *verdict, size_t vlen, char *err, size_t errlen)
{
    struct sync_options opt = {.station = station, .cfg = cfg};
    void *state = NULL;
    if (pg_open(&opt, url, &state, err, errlen) != 0)
        return -1;
    struct pg *pg = state;
    const char *params[1] = {station};
    bool stopped;
    PGresult *res = exec_params(pg, "SELECT epoch, id, problem FROM triage.audit_verify($1)", 1,
                                params, &stopped);
    int rc = -1;
    if (!res) {
        no_result_error(pg, stopped, "E735", "checking the audit chain at head office", err,
                        errlen);
    } else if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        result_error(pg, res, "E735", "checking the audit chain at head office", err, errlen);
    } else if (PQntuples(res) == 0) {
        snprintf(verdict, vlen, "head office's audit chain of station %s is intact", station);
        rc = 0;
    } else {
        snprintf(verdict, vlen, "E736: head office, station %s, epoch %s: audit row %s: %s",
                 station, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2));
        rc = 1;
    }
    PQclear(res);
    pg_close(pg);
    return rc;
}

const struct sync_transport sync_pg_transport = {
    .name = "postgresql",
    .open = pg_open,
    .watermark = pg_watermark,
    .push = pg_push,
    .audit_watermark = pg_audit_watermark,
    .push_audit = pg_push_audit,
    .pull = pg_pull,
    .close = pg_close,
};

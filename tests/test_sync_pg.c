/*
 * test_sync_pg.c — sync to a real PostgreSQL that the test starts, with
 * faults: a wrong password, a credentials file others can read, TLS demanded
 * of a server without it, a loopback proxy that cuts connections at random
 * points, the server stopped with `pg_ctl -m immediate` mid-batch, the
 * station (the real binary) killed with SIGKILL during `triage sync --once`,
 * acknowledged batches sent again, a key sent again with other content, two
 * stations syncing at once, and a manifest pull with malformed rows, units
 * and a row for an RMA already graded. Head office holds the item check and
 * the unit of every outcome as columns, and a head office made by the schema
 * released before them upgrades in place.
 * At the end, for every station, head office holds exactly its inspections:
 * no gap, no duplicate, the same records as the station's export.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <time.h>

#include "db_file.h"
#include "sync.h"
#include "sync_fixture.h"

static struct pgc cluster;
static PGconn *admin;
static char tmp[512];

static void msleep(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- a loopback TCP proxy that cuts connections ------------------------------ */

struct proxy {
    int listen_fd;
    int port;
    int upstream_port;
    atomic_bool stop;
    atomic_int cut_max; /* 0 = never cut; else cut after rand() % cut_max bytes */
    atomic_int cuts;
    pthread_t thread;
    unsigned seed;
};

struct relay {
    struct proxy *px;
    int a, b;
    long limit; /* bytes in both directions before the cut; -1 = none */
};

static void *relay_main(void *arg)
{
    struct relay *r = arg;
    char buf[16384];
    long moved = 0;
    struct pollfd p[2] = {{.fd = r->a, .events = POLLIN}, {.fd = r->b, .events = POLLIN}};
    while (!atomic_load(&r->px->stop)) {
        int n = poll(p, 2, 200);
        if (n < 0 && errno != EINTR)
            break;
        if (n <= 0)
            continue;
        bool done = false;
        for (int i = 0; i < 2 && !done; i++) {
            if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t got = read(p[i].fd, buf, sizeof buf);
            if (got <= 0) {
                done = true;
                break;
            }
            ssize_t take = got;
            if (r->limit >= 0 && moved + got > r->limit)
                take = r->limit - moved;
            if (take > 0 && write(p[1 - i].fd, buf, (size_t)take) != take) {
                done = true;
                break;
            }
            moved += take;
            if (take < got) { /* the cut: mid-message, both ways, with a reset */
                atomic_fetch_add(&r->px->cuts, 1);
                struct linger lg = {1, 0};
                setsockopt(r->a, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
                setsockopt(r->b, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
                done = true;
            }
        }
        if (done)
            break;
    }
    close(r->a);
    close(r->b);
    free(r);
    return NULL;
}

static void *proxy_main(void *arg)
{
    struct proxy *px = arg;
    while (!atomic_load(&px->stop)) {
        struct pollfd p = {.fd = px->listen_fd, .events = POLLIN};
        if (poll(&p, 1, 100) <= 0)
            continue;
        int c = accept(px->listen_fd, NULL, NULL);
        if (c < 0)
            continue;
        int u = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET,
                                .sin_port = htons((uint16_t)px->upstream_port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        if (u < 0 || connect(u, (struct sockaddr *)&a, sizeof a) != 0) {
            close(c);
            if (u >= 0)
                close(u);
            continue;
        }
        struct relay *r = malloc(sizeof *r);
        r->px = px;
        r->a = c;
        r->b = u;
        int m = atomic_load(&px->cut_max);
        r->limit = m > 0 ? (long)(rand_r(&px->seed) % m) : -1;
        pthread_t t;
        pthread_attr_t at;
        pthread_attr_init(&at);
        pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&t, &at, relay_main, r) != 0) {
            close(c);
            close(u);
            free(r);
        }
        pthread_attr_destroy(&at);
    }
    return NULL;
}

static int proxy_start(struct proxy *px, int upstream_port, unsigned seed)
{
    memset(px, 0, sizeof *px);
    px->upstream_port = upstream_port;
    px->seed = seed;
    px->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(px->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (bind(px->listen_fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        listen(px->listen_fd, 16) != 0 ||
        getsockname(px->listen_fd, (struct sockaddr *)&a, &len) != 0)
        return -1;
    px->port = ntohs(a.sin_port);
    return pthread_create(&px->thread, NULL, proxy_main, px);
}

static void proxy_stop(struct proxy *px)
{
    atomic_store(&px->stop, true);
    pthread_join(px->thread, NULL);
    close(px->listen_fd);
    msleep(250); /* relays notice the stop flag */
}

/* ---- stations ------------------------------------------------------------------ */

struct station {
    const char *id, *site, *role;
    char dir[600], db[700], creds[700], conf[700];
    char target[300];
    struct sync_opts cfg;
    int count; /* inspections made */
};

static void station_init(struct station *s, const char *id, const char *site, const char *role,
                         int port, int batch)
{
    memset(s, 0, sizeof *s);
    s->id = id, s->site = site, s->role = role;
    snprintf(s->dir, sizeof s->dir, "%s/%s", tmp, id);
    mkdir(s->dir, 0755);
    snprintf(s->db, sizeof s->db, "%s/triage.db", s->dir);
    snprintf(s->creds, sizeof s->creds, "%s/pgpass", s->dir);
    harness_write_file(s->creds, "pw-for-station\n");
    chmod(s->creds, 0600);
    memset(&s->cfg, 0, sizeof s->cfg);
    snprintf(s->cfg.target, sizeof s->cfg.target,
             "postgresql://%s@127.0.0.1:%d/postgres", role, port);
    snprintf(s->cfg.credentials, sizeof s->cfg.credentials, "%.255s", s->creds);
    s->cfg.batch_size = batch;
    s->cfg.interval_s = 60;
    /* The test cluster has no TLS (test_tls sets it up for one station). */
    snprintf(s->cfg.sslmode, sizeof s->cfg.sslmode, "disable");
    snprintf(s->conf, sizeof s->conf, "%s/triage.conf", s->dir);
    char text[1500];
    snprintf(text, sizeof text,
             "[station]\nid = %s\nsite = %s\n[sync]\ntarget = %s\ncredentials = %s\n"
             "batch_size = %d\nsslmode = disable\n",
             id, site, s->cfg.target, s->creds, batch);
    harness_write_file(s->conf, text);
}

static void station_target_port(struct station *s, int port)
{
    snprintf(s->cfg.target, sizeof s->cfg.target, "postgresql://%s@127.0.0.1:%d/postgres",
             s->role, port);
}

static struct sync_options station_opts(struct station *s)
{
    struct sync_options o = {.db_path = s->db, .station = s->id, .site = s->site,
                             .data_dir = s->dir, .cfg = &s->cfg};
    return o;
}

static int station_sync(struct station *s, struct sync_status *st, char *err, size_t errlen)
{
    struct sync_options o = station_opts(s);
    return sync_run_once(&o, st, err, errlen);
}

static void add(struct station *s, int n)
{
    CHECK(fixture_add_inspections(s->db, s->id, n, s->count + 1) == 0);
    s->count += n;
}

/* Head office holds exactly the station's export: every seq 1..n once, the
 * same records, and a watermark of n. */
static void verify_station(struct station *s)
{
    char *exp = fixture_export(s->db, s->id);
    CHECK(exp != NULL);
    if (!exp)
        return;
    const char *params[2] = {exp, s->id};
    PGresult *r = PQexecParams(
        admin,
        "WITH e AS (SELECT l::jsonb AS r FROM regexp_split_to_table($1, E'\\n') l WHERE l <> ''),"
        " o AS (SELECT * FROM triage.outcomes WHERE station = $2)"
        " SELECT (SELECT count(*) FROM e), (SELECT count(*) FROM o),"
        "  (SELECT count(DISTINCT seq) FROM o), (SELECT coalesce(max(seq), 0) FROM o),"
        "  (SELECT count(*) FROM e FULL JOIN o ON o.epoch = e.r->>'epoch'"
        "      AND o.seq = (e.r->>'seq')::bigint WHERE o.record IS DISTINCT FROM e.r),"
        "  (SELECT coalesce(max(w.seq), 0) FROM triage.station_watermarks w WHERE w.station = $2),"
        "  (SELECT count(*) FROM o WHERE o.site IS DISTINCT FROM (SELECT site FROM"
        "      triage.stations WHERE station = $2))",
        2, NULL, params, NULL, NULL, 0);
    CHECK(PQresultStatus(r) == PGRES_TUPLES_OK);
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
        printf("# %s: export %s, head office %s rows (%s distinct, max seq %s), %s differ,"
               " watermark %s\n",
               s->id, PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2),
               PQgetvalue(r, 0, 3), PQgetvalue(r, 0, 4), PQgetvalue(r, 0, 5));
        CHECK_INT(atoll(PQgetvalue(r, 0, 0)), s->count);
        CHECK_INT(atoll(PQgetvalue(r, 0, 1)), s->count);
        CHECK_INT(atoll(PQgetvalue(r, 0, 2)), s->count);
        CHECK_INT(atoll(PQgetvalue(r, 0, 3)), s->count);
        CHECK_INT(atoll(PQgetvalue(r, 0, 4)), 0);
        CHECK_INT(atoll(PQgetvalue(r, 0, 5)), s->count);
        CHECK_INT(atoll(PQgetvalue(r, 0, 6)), 0);
    } else {
        fprintf(stderr, "%s", PQerrorMessage(admin));
    }
    PQclear(r);
    free(exp);
}

/* Head office holds the station's audit chain exactly once: ids 1..n with
 * no gap and no duplicate, the same hash as the station's row n, and
 * triage.audit_verify finds nothing broken. */
static void verify_audit(struct station *s)
{
    char sql[600];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM triage.audit a JOIN triage.stations t USING (station)"
             " WHERE t.db_role = '%s'",
             s->role);
    long long n = pgc_value(admin, sql);
    snprintf(sql, sizeof sql,
             "SELECT count(DISTINCT (epoch, id)) FROM triage.audit a JOIN triage.stations t"
             " USING (station) WHERE t.db_role = '%s'",
             s->role);
    CHECK(n > 0);
    CHECK_INT(pgc_value(admin, sql), n);
    snprintf(sql, sizeof sql,
             "SELECT max(id) FROM triage.audit a JOIN triage.stations t USING (station)"
             " WHERE t.db_role = '%s'",
             s->role);
    CHECK_INT(pgc_value(admin, sql), n);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM triage.audit_verify('%s')", s->id);
    CHECK_INT(pgc_value(admin, sql), 0);
    char q[200];
    snprintf(q, sizeof q, "SELECT hash FROM audit WHERE id = %lld", n);
    char *mine = db_file_text(s->db, q);
    snprintf(sql, sizeof sql,
             "SELECT a.hash FROM triage.audit a JOIN triage.stations t USING (station)"
             " WHERE t.db_role = '%s' AND a.id = %lld",
             s->role, n);
    PGresult *r = PQexec(admin, sql);
    CHECK(mine && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
          strcmp(PQgetvalue(r, 0, 0), mine) == 0);
    PQclear(r);
    free(mine);
    printf("# %s: head office holds audit rows 1..%lld, intact\n", s->id, n);
}

/* Sync until a round finishes (at most `tries` rounds). Returns rounds failed. */
static int sync_until_done(struct station *s, int tries)
{
    char err[300];
    struct sync_status st;
    int failed = 0;
    for (int i = 0; i < tries; i++) {
        if (station_sync(s, &st, err, sizeof err) == 0)
            return failed;
        failed++;
    }
    CHECK(!"sync never finished");
    fprintf(stderr, "last error: %s\n", err);
    return failed;
}

/* ---- the tests --------------------------------------------------------------------- */

static void test_refusals(struct station *a)
{
    char err[300];
    struct sync_status st;
    /* 1: wrong password */
    harness_write_file(a->creds, "not-the-password\n");
    CHECK(station_sync(a, &st, err, sizeof err) != 0);
    CHECK(strncmp(err, "E711:", 5) == 0);
    printf("# wrong password: %s\n", err);
    /* 2: a credentials file every user can read, one its group can read,
     * one of another user */
    harness_write_file(a->creds, "pw-for-station\n");
    chmod(a->creds, 0644);
    CHECK(station_sync(a, &st, err, sizeof err) != 0);
    CHECK(strncmp(err, "E713:", 5) == 0);
    chmod(a->creds, 0640);
    CHECK(station_sync(a, &st, err, sizeof err) != 0);
    CHECK(strncmp(err, "E713:", 5) == 0);
    chmod(a->creds, 0600);
    CHECK(chown(a->creds, 65534, 65534) == 0);
    CHECK(station_sync(a, &st, err, sizeof err) != 0);
    CHECK(strncmp(err, "E713:", 5) == 0 && strstr(err, "uid 65534"));
    printf("# credentials of another user: %s\n", err);
    CHECK(chown(a->creds, geteuid(), getegid()) == 0);
    /* 3: TLS demanded, the server has none: the option reaches libpq; and
     * without sslmode the station demands it too (verify-full) */
    snprintf(a->cfg.sslmode, sizeof a->cfg.sslmode, "verify-full");
    CHECK(station_sync(a, &st, err, sizeof err) != 0);
    CHECK(strncmp(err, "E718:", 5) == 0);
    printf("# verify-full against a server without TLS: %s\n", err);
    a->cfg.sslmode[0] = 0;
    CHECK(station_sync(a, &st, err, sizeof err) != 0);
    CHECK(strncmp(err, "E718:", 5) == 0);
    printf("# no sslmode configured: %s\n", err);
    snprintf(a->cfg.sslmode, sizeof a->cfg.sslmode, "disable");
    /* 4: a client certificate without its key */
    snprintf(a->cfg.sslcert, sizeof a->cfg.sslcert, "/nonexistent.crt");
    CHECK(station_sync(a, &st, err, sizeof err) != 0);
    CHECK(strncmp(err, "E719:", 5) == 0);
    a->cfg.sslcert[0] = 0;
    /* 5: a role may push only for the station it is registered to */
    const char *id = a->id;
    a->id = "SH09-S09";
    CHECK(station_sync(a, &st, err, sizeof err) != 0);
    CHECK(strstr(err, "E740") != NULL);
    a->id = id;
    /* 6: the station role cannot change or read outcomes directly */
    char ci[300];
    snprintf(ci, sizeof ci, "host=127.0.0.1 port=%d user=%s password=pw-for-station dbname=postgres",
             cluster.port, a->role);
    PGconn *c = PQconnectdb(ci);
    CHECK(PQstatus(c) == CONNECTION_OK);
    PGresult *r = PQexec(c, "UPDATE triage.outcomes SET grade = 'A'");
    CHECK(PQresultStatus(r) == PGRES_FATAL_ERROR);
    PQclear(r);
    r = PQexec(c, "DELETE FROM triage.outcomes");
    CHECK(PQresultStatus(r) == PGRES_FATAL_ERROR);
    PQclear(r);
    r = PQexec(c, "SELECT count(*) FROM triage.outcomes");
    CHECK(PQresultStatus(r) == PGRES_FATAL_ERROR);
    PQclear(r);
    PQfinish(c);
}

static void test_proxy_cuts(struct station *a)
{
    struct proxy px;
    CHECK(proxy_start(&px, cluster.port, 12345) == 0);
    atomic_store(&px.cut_max, 400000);
    station_target_port(a, px.port);
    int failed = sync_until_done(a, 300);
    printf("# proxy: %d connections cut, %d rounds failed before one finished\n",
           atomic_load(&px.cuts), failed);
    CHECK(atomic_load(&px.cuts) > 0);
    proxy_stop(&px);
    station_target_port(a, cluster.port);
    verify_station(a);
}

struct bg_sync {
    struct station *s;
    int rc;
    char err[300];
    struct sync_status st;
};

static void *bg_sync_main(void *arg)
{
    struct bg_sync *b = arg;
    b->rc = station_sync(b->s, &b->st, b->err, sizeof b->err);
    return NULL;
}

static void test_server_crash(struct station *a)
{
    unsigned seed = 777;
    for (int round = 0; round < 3; round++) {
        add(a, 1500);
        struct bg_sync b = {.s = a};
        pthread_t t;
        pthread_create(&t, NULL, bg_sync_main, &b);
        msleep(20 + (int)(rand_r(&seed) % 120));
        CHECK(pgc_stop_server(&cluster, "immediate") == 0);
        pthread_join(t, NULL);
        printf("# pg_ctl -m immediate during sync: round %s%s\n",
               b.rc == 0 ? "had finished" : "failed: ", b.rc == 0 ? "" : b.err);
        if (round == 0) { /* head office down: a clear error, nothing moves */
            struct sync_status st;
            char err[300];
            CHECK(station_sync(a, &st, err, sizeof err) != 0);
            CHECK(strncmp(err, "E712:", 5) == 0);
            printf("# head office down: %s\n", err);
        }
        CHECK(pgc_start_server(&cluster) == 0);
        PQfinish(admin);
        admin = pgc_admin(&cluster);
        sync_until_done(a, 5);
    }
    verify_station(a);
}

static void test_station_killed(struct station *b)
{
    unsigned seed = 4242;
    int killed = 0;
    for (int round = 0; round < 4; round++) {
        add(b, 2000);
        killed += fixture_kill_sync(b->conf, b->dir, 30 + (int)(rand_r(&seed) % 200));
    }
    printf("# station killed with SIGKILL during sync: %d of 4 times mid-round\n", killed);
    char cmd[2000], *out = NULL, *errs = NULL;
    /* `triage sync --once` that cannot finish: a non-zero exit and the id */
    harness_write_file(b->creds, "wrong\n");
    snprintf(cmd, sizeof cmd, "'%s' --config '%s' --data '%s' sync --once", harness_triage(),
             b->conf, b->dir);
    CHECK_INT(harness_sh(cmd, NULL, &out, &errs), 1);
    CHECK(errs && strstr(errs, "E711:"));
    free(out), free(errs);
    out = errs = NULL;
    harness_write_file(b->creds, "pw-for-station\n");
    snprintf(cmd, sizeof cmd, "'%s' --config '%s' --data '%s' sync --once", harness_triage(),
             b->conf, b->dir);
    int rc = harness_sh(cmd, NULL, &out, &errs);
    CHECK_INT(rc, 0);
    if (rc != 0)
        fprintf(stderr, "%s%s", out ? out : "", errs ? errs : "");
    else
        printf("# %s", out ? out : "\n");
    free(out);
    free(errs);
    /* `triage export` is what head office must hold. */
    snprintf(cmd, sizeof cmd, "'%s' --config '%s' --data '%s' export", harness_triage(), b->conf,
             b->dir);
    char *bin_export = NULL;
    CHECK_INT(harness_sh(cmd, NULL, &bin_export, NULL), 0);
    char *lib_export = fixture_export(b->db, b->id);
    CHECK(bin_export && lib_export && strcmp(bin_export, lib_export) == 0);
    free(bin_export);
    free(lib_export);
    verify_station(b);
}

static void test_resend(struct station *a)
{
    char err[300];
    struct sync_status st;
    /* Head office forgets its watermark (e.g. restored): the station sends
     * everything again; nothing is doubled and nothing alerts. */
    CHECK(pgc_exec(admin, "DELETE FROM triage.station_watermarks WHERE station = 'SH01-S01'") ==
          0);
    CHECK(station_sync(a, &st, err, sizeof err) == 0);
    CHECK_INT(st.pushed, a->count);
    CHECK_INT(st.resent, a->count);
    CHECK_INT(st.conflicts, 0);
    /* An acknowledged batch sent again through the transport itself. */
    struct sync_options o = station_opts(a);
    void *ts = NULL;
    CHECK(sync_pg_transport.open(&o, a->cfg.target, &ts, err, sizeof err) == 0);
    char *exp = fixture_export(a->db, a->id);
    CHECK(exp != NULL);
    const char *recs[3];
    size_t lens[3];
    char *line = exp;
    for (int i = 0; i < 3; i++) {
        char *nl = strchr(line, '\n');
        recs[i] = line;
        lens[i] = (size_t)(nl - line);
        line = nl + 1;
    }
    char epoch[40] = "";
    const char *e = strstr(exp, "\"epoch\":\"");
    snprintf(epoch, sizeof epoch, "%.32s", e + 9);
    struct sync_batch b = {.station = a->id, .epoch = epoch, .first = 1, .last = 3, .count = 3,
                           .records = recs, .lens = lens};
    struct sync_push_result res;
    CHECK(ts && sync_pg_transport.push(ts, &b, &res, err, sizeof err) == 0);
    CHECK_INT(res.inserted, 0);
    CHECK_INT(res.duplicates, 3);
    CHECK_INT(res.conflicts, 0);
    /* The same key with other content: an alert, the first content kept. */
    char tampered[4096];
    snprintf(tampered, sizeof tampered, "%.*s", (int)lens[1], recs[1]);
    char *g = strstr(tampered, "\"grade\":\"");
    CHECK(g != NULL);
    if (g)
        g[9] = g[9] == 'A' ? 'B' : 'A';
    recs[1] = tampered;
    lens[1] = strlen(tampered);
    CHECK(sync_pg_transport.push(ts, &b, &res, err, sizeof err) == 0);
    CHECK_INT(res.conflicts, 1);
    CHECK_INT(res.duplicates, 2);
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM triage.sync_alerts WHERE seq = 2"), 1);
    /* sent a third time: still one alert, not two */
    CHECK(sync_pg_transport.push(ts, &b, &res, err, sizeof err) == 0);
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM triage.sync_alerts"), 1);
    /* a batch that claims another station's records is refused whole */
    struct sync_batch other = b;
    other.station = "SH02-S01";
    CHECK(sync_pg_transport.push(ts, &other, &res, err, sizeof err) != 0);
    sync_pg_transport.close(ts);
    free(exp);
    verify_station(a); /* the tampered content never replaced the first */
}

static void test_two_at_once(struct station *a, struct station *c)
{
    add(a, 3000);
    add(c, 3000);
    struct bg_sync ba = {.s = a}, bc = {.s = c};
    pthread_t ta, tc;
    pthread_create(&ta, NULL, bg_sync_main, &ba);
    pthread_create(&tc, NULL, bg_sync_main, &bc);
    pthread_join(ta, NULL);
    pthread_join(tc, NULL);
    CHECK_INT(ba.rc, 0);
    CHECK_INT(bc.rc, 0);
    if (ba.rc || bc.rc)
        fprintf(stderr, "%s / %s\n", ba.err, bc.err);
    /* The same station twice at once (the worker and a cron job): the lock
     * makes one wait for the other. */
    add(a, 500);
    struct bg_sync b1 = {.s = a}, b2 = {.s = a};
    pthread_create(&ta, NULL, bg_sync_main, &b1);
    pthread_create(&tc, NULL, bg_sync_main, &b2);
    pthread_join(ta, NULL);
    pthread_join(tc, NULL);
    CHECK_INT(b1.rc, 0);
    CHECK_INT(b2.rc, 0);
    CHECK_INT(b1.st.pushed + b2.st.pushed, 500);
    verify_station(a);
    verify_station(c);
}

static int count_manifest(const char *db, const char *where)
{
    sqlite3 *h;
    int n = -1;
    if (sqlite3_open(db, &h) == SQLITE_OK) {
        char sql[300];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM manifest WHERE %s", where);
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
            n = sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
    }
    sqlite3_close(h);
    return n;
}

static void test_manifest_pull(struct station *a)
{
    char err[300];
    struct sync_status st;
    CHECK(pgc_exec(admin,
                   "INSERT INTO triage.manifests (site, rma, order_id, sku, description, reason,"
                   " delivered_at) SELECT 'SH01', 'RMA-M' || i, 'O' || i, 'PH-00' || (i % 9),"
                   " '手机 ' || i, 'defective', date '2026-11-01' + i FROM generate_series(1, 50) i;"
                   "INSERT INTO triage.manifests (site, rma, sku) VALUES"
                   " ('SH01', 'RMA-BAD-1', ''),"
                   " ('SH01', 'RMA-BAD-2', 'PH-1'),"
                   " ('SH01', repeat('R', 80), 'PH-1'),"
                   " ('SH02', 'RMA-OTHER-SITE', 'PH-1');"
                   "UPDATE triage.manifests SET description = repeat('x', 300)"
                   " WHERE rma = 'RMA-BAD-2'") == 0);
    CHECK(station_sync(a, &st, err, sizeof err) == 0);
    printf("# manifest pull: %d applied, %d rejected\n", st.manifests, st.rejected);
    CHECK_INT(st.manifests, 50);
    CHECK_INT(st.rejected, 3);
    CHECK_INT(count_manifest(a->db, "rma LIKE 'RMA-M%'"), 50);
    CHECK_INT(count_manifest(a->db, "rma LIKE 'RMA-BAD%' OR rma = 'RMA-OTHER-SITE'"), 0);
    CHECK_INT(count_manifest(a->db, "rma = 'RMA-M7' AND delivered_at = '2026-11-08'"), 1);
    /* a change at head office arrives on the next round */
    CHECK(pgc_exec(admin, "UPDATE triage.manifests SET reason = 'damaged' WHERE rma = 'RMA-M7'") ==
          0);
    CHECK(station_sync(a, &st, err, sizeof err) == 0);
    CHECK_INT(count_manifest(a->db, "rma = 'RMA-M7' AND reason = 'damaged'"), 1);

    /* Units: the quantity comes down with the row. */
    CHECK(pgc_exec(admin, "INSERT INTO triage.manifests (site, rma, sku, quantity) VALUES"
                          " ('SH01', 'RMA-Q3', 'AP-TEE', 3)") == 0);
    CHECK(station_sync(a, &st, err, sizeof err) == 0);
    CHECK_INT(count_manifest(a->db, "rma = 'RMA-Q3' AND quantity = 3"), 1);
    CHECK_INT(count_manifest(a->db, "rma = 'RMA-M7' AND quantity = 1"), 1);
    int rejected_before = st.rejected; /* the bad rows, pulled again in the look-back */

    /* A row for an RMA the station has graded (RMA-1-5 is one of its
     * generated outcomes): never applied, reported as a rejected row with
     * W418 and audited; the other rows of the pull are applied. */
    CHECK(pgc_exec(admin, "INSERT INTO triage.manifests (site, rma, sku, reason) VALUES"
                          " ('SH01', 'RMA-1-5', 'PH-005', 'defective'),"
                          " ('SH01', 'RMA-M51', 'PH-051', 'defective')") == 0);
    CHECK(station_sync(a, &st, err, sizeof err) == 0);
    CHECK_INT(st.rejected, rejected_before + 1);
    CHECK_INT(count_manifest(a->db, "rma = 'RMA-1-5'"), 0);
    CHECK_INT(count_manifest(a->db, "rma = 'RMA-M51'"), 1);
    sqlite3 *h;
    int audited = -1;
    if (sqlite3_open(a->db, &h) == SQLITE_OK) {
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(h, "SELECT count(*) FROM audit WHERE event = 'manifest_reject'"
                                  " AND detail LIKE '%RMA-1-5%W418%'",
                               -1, &s, NULL) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW)
            audited = sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
    }
    sqlite3_close(h);
    CHECK(audited >= 1);
}

/* Head office holds the item check and the unit of every outcome, as
 * columns equal to the record's fields, and counts the wrong-item rate over
 * the items checked against the manifest. */
static void test_new_fields(void)
{
    CHECK_INT(pgc_value(admin,
                        "SELECT count(*) FROM triage.outcomes WHERE"
                        " item_check IS DISTINCT FROM record->>'item_check'"
                        " OR scanned_item IS DISTINCT FROM record->>'scanned_item'"
                        " OR wrong_item IS DISTINCT FROM (record->>'wrong_item')::boolean"
                        " OR unit IS DISTINCT FROM (record->>'unit')::integer"
                        " OR units IS DISTINCT FROM (record->>'units')::integer"
                        " OR extra_unit IS DISTINCT FROM (record->>'extra_unit')::boolean"),
              0);
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM triage.outcomes WHERE item_check IS NULL"
                               " OR scanned_item IS NULL OR unit IS NULL OR units IS NULL"),
              0);
    CHECK_INT(pgc_value(admin, "SELECT count(DISTINCT item_check) FROM triage.outcomes"), 5);
    CHECK(pgc_value(admin, "SELECT count(*) FROM triage.outcomes WHERE wrong_item") > 0);
    CHECK(pgc_value(admin, "SELECT count(*) FROM triage.outcomes WHERE extra_unit"
                           " AND unit > units") > 0);
    CHECK_INT(pgc_value(admin, "SELECT max(units) FROM triage.outcomes"), 3);
    CHECK(pgc_value(admin, "SELECT count(*) FROM triage.outcomes WHERE scanned_item LIKE"
                           " '%\"%' || chr(29) || '21SN%'") > 0);
    CHECK_INT(pgc_value(admin, "SELECT sum(verified) FROM triage.stats_site_day"),
              pgc_value(admin, "SELECT count(*) FROM triage.stats_outcomes"
                               " WHERE item_check IN ('matched', 'mismatched')"));
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM triage.current_outcomes"
                               " WHERE item_check IS NULL"),
              0);

    /* The grading policy, as columns equal to the record's fields ("" in
     * the record is NULL here), every outcome exactly once. */
    CHECK_INT(pgc_value(admin,
                        "SELECT count(*) FROM triage.outcomes WHERE"
                        " skipped IS DISTINCT FROM record->'skipped'"
                        " OR reason IS DISTINCT FROM record->>'reason'"
                        " OR reason_check IS DISTINCT FROM record->>'reason_check'"
                        " OR responsibility_suggested IS DISTINCT FROM"
                        "    record->>'responsibility_suggested'"
                        " OR responsibility_reason IS DISTINCT FROM"
                        "    nullif(record->>'responsibility_reason', '')"
                        " OR return_type IS DISTINCT FROM nullif(record->>'return_type', '')"
                        " OR resolution IS DISTINCT FROM nullif(record->>'resolution', '')"),
              0);
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM triage.outcomes WHERE reason_check IS NULL"
                               " OR skipped IS NULL"),
              0);
    CHECK_INT(pgc_value(admin, "SELECT count(DISTINCT reason_check) FROM triage.outcomes"), 3);
    CHECK_INT(pgc_value(admin, "SELECT count(DISTINCT resolution) FROM triage.outcomes"), 6);
    CHECK_INT(pgc_value(admin, "SELECT count(DISTINCT return_type) FROM triage.outcomes"), 2);
    CHECK(pgc_value(admin, "SELECT count(*) FROM triage.outcomes WHERE skipped ? 'seal'") > 0);
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM (SELECT station, epoch, seq FROM"
                               " triage.outcomes GROUP BY 1, 2, 3 HAVING count(*) > 1) d"),
              0);
    /* Overrides: each with its reason, counted per grader. */
    CHECK_INT(pgc_value(admin, "SELECT coalesce(sum(overrides), 0) FROM triage.stats_overrides"),
              pgc_value(admin, "SELECT count(*) FROM triage.stats_outcomes WHERE"
                               " responsibility_reason = 'carrier_report'"));
    CHECK(pgc_value(admin, "SELECT coalesce(sum(overrides), 0) FROM triage.stats_overrides") > 0);
    CHECK_INT(pgc_value(admin, "SELECT coalesce(sum(inspections), 0) FROM"
                               " triage.stats_override_reasons WHERE reason <> 'carrier_report'"),
              0);
    CHECK_INT(pgc_value(admin, "SELECT sum(inspections) FROM triage.stats_resolutions"),
              pgc_value(admin, "SELECT count(*) FROM triage.stats_outcomes"));
}

/* A head office made by the schema as released before the item check
 * upgrades by loading sync/headoffice.sql: the new columns are added, the
 * outcomes it held stay (their new columns NULL, counted as checked), and
 * the views and the manifest pull work with them. */
static void test_upgrade(void)
{
    CHECK(pgc_exec(admin, "CREATE DATABASE upgrade") == 0);
    char ci[400];
    snprintf(ci, sizeof ci, "host=%s port=%d user=postgres dbname=upgrade", cluster.dir,
             cluster.port);
    PGconn *up = PQconnectdb(ci);
    if (!CHECK(PQstatus(up) == CONNECTION_OK)) {
        PQfinish(up);
        return;
    }
    PQclear(PQexec(up, "SET client_min_messages = warning"));
    char *old = harness_read_file("tests/headoffice_released.sql", NULL);
    CHECK(old && pgc_exec(up, old) == 0);
    free(old);
    CHECK(pgc_exec(up,
                   "INSERT INTO triage.stations VALUES ('SH09-S01', 'SH09', 'nobody');"
                   "INSERT INTO triage.outcomes (station, epoch, seq, site, plate, operator,"
                   " started_at, finished_at, grade, mismatch, record) VALUES ('SH09-S01', 'e',"
                   " 1, 'SH09', 'SH09-S01-000001', '1001', now(), now(), 'B', true, '{}');"
                   "INSERT INTO triage.manifests (site, rma, sku) VALUES ('SH09', 'RMA-OLD',"
                   " 'PH-1')") == 0);
    CHECK(pgc_load_schema(up) == 0);
    CHECK(pgc_load_schema(up) == 0); /* and again: harmless */
    CHECK_INT(pgc_value(up, "SELECT count(*) FROM triage.outcomes WHERE item_check IS NULL"
                            " AND unit IS NULL"),
              1);
    CHECK_INT(pgc_value(up, "SELECT count(*) FROM triage.stats_outcomes WHERE item_check IS NULL"),
              1);
    CHECK_INT(pgc_value(up, "SELECT sum(verified) FROM triage.stats_site_day"), 1);
    CHECK_INT(pgc_value(up, "SELECT round(100 * sum(mismatch_rate)) FROM triage.stats_site_day"),
              100);
    CHECK_INT(pgc_value(up, "SELECT quantity FROM triage.manifests WHERE rma = 'RMA-OLD'"), 1);
    CHECK_INT(pgc_value(up, "SELECT count(*) FROM information_schema.columns WHERE"
                            " table_schema = 'triage' AND table_name = 'outcomes' AND column_name"
                            " IN ('item_check', 'scanned_item', 'wrong_item', 'unit', 'units',"
                            " 'extra_unit', 'skipped', 'reason', 'reason_check',"
                            " 'responsibility_suggested', 'responsibility_reason', 'return_type',"
                            " 'resolution')"),
              13);
    /* The outcome it held counts as recorded before the policy. */
    CHECK_INT(pgc_value(up, "SELECT count(*) FROM triage.outcomes WHERE reason_check IS NULL"
                            " AND resolution IS NULL"),
              1);
    CHECK_INT(pgc_value(up, "SELECT sum(policy_inspections) FROM triage.stats_overrides"), 0);
    CHECK_INT(pgc_value(up, "SELECT sum(inspections) FROM triage.stats_resolutions"
                            " WHERE resolution = 'none'"),
              1);
    /* The pull's function returns the quantity. */
    CHECK(pgc_exec(up, "UPDATE triage.stations SET db_role = 'postgres'") == 0);
    CHECK_INT(pgc_value(up, "SELECT quantity FROM triage.manifests_since('SH09-S01',"
                            " '-infinity')"),
              1);
    PQfinish(up);
}

/* TLS for real: a CA, a server certificate for "localhost", a client
 * certificate for the station's role; the server accepts that role only over
 * TLS with its certificate (pg_hba "cert"), and the station asks for
 * verify-full. A station that trusts another CA is refused with E718. */
static void test_tls(void)
{
    if (!harness_have("openssl")) {
        printf("# TLS part skipped: no openssl command\n");
        return;
    }
    char ssl[600], cmd[8000];
    snprintf(ssl, sizeof ssl, "%s/ssl", tmp);
    snprintf(cmd, sizeof cmd,
             "set -e; mkdir -p %1$s; cd %1$s;"
             " openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=triage-test-ca"
             "  -keyout ca.key -out ca.crt;"
             " openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=other-ca"
             "  -keyout other.key -out other.crt;"
             " openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout server.key"
             "  -out server.csr;"
             " printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > san.ext;"
             " openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2"
             "  -extfile san.ext -out server.crt;"
             " openssl req -newkey rsa:2048 -nodes -subj /CN=st_sh01_tls -keyout client.key"
             "  -out client.csr;"
             " openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2"
             "  -out client.crt;"
             " chmod 600 *.key; cp server.crt server.key ca.crt %2$s/;"
             " chmod 600 %2$s/server.key;"
             " %3$s chown postgres %2$s/server.crt %2$s/server.key %2$s/ca.crt;"
             " { echo 'hostssl postgres st_sh01_tls 127.0.0.1/32 cert';"
             "   echo 'hostssl postgres st_sh01_tls ::1/128 cert';"
             "   cat %2$s/data/pg_hba.conf; } > %2$s/hba.new;"
             " cat %2$s/hba.new > %2$s/data/pg_hba.conf",
             ssl, cluster.dir, cluster.as_postgres ? "" : "true ||");
    char *out = NULL, *errs = NULL;
    int rc = harness_sh(cmd, NULL, &out, &errs);
    CHECK_INT(rc, 0);
    if (rc != 0) {
        fprintf(stderr, "%s%s", out ? out : "", errs ? errs : "");
        free(out), free(errs);
        return;
    }
    free(out), free(errs);
    static const char *const settings[][2] = {
        {"ssl_cert_file", "server.crt"}, {"ssl_key_file", "server.key"}, {"ssl_ca_file", "ca.crt"}};
    char sql[1500];
    for (int i = 0; i < 3; i++) { /* ALTER SYSTEM: one statement at a time */
        snprintf(sql, sizeof sql, "ALTER SYSTEM SET %s = '%s/%s'", settings[i][0], cluster.dir,
                 settings[i][1]);
        CHECK(pgc_exec(admin, sql) == 0);
    }
    CHECK(pgc_exec(admin, "ALTER SYSTEM SET ssl = on") == 0);
    CHECK(pgc_value(admin, "SELECT pg_reload_conf()::int") == 1);
    msleep(300);
    CHECK(pgc_exec(admin, "CREATE ROLE st_sh01_tls LOGIN IN ROLE triage_station;"
                          " SELECT triage.register_station('SH01-S09', 'SH01', 'st_sh01_tls')") ==
          0);
    struct station t;
    station_init(&t, "SH01-S09", "SH01", "st_sh01_tls", cluster.port, 200);
    snprintf(t.cfg.target, sizeof t.cfg.target, "postgresql://st_sh01_tls@localhost:%d/postgres",
             cluster.port);
    t.cfg.credentials[0] = 0; /* the certificate is the login */
    snprintf(t.cfg.sslmode, sizeof t.cfg.sslmode, "verify-full");
    snprintf(t.cfg.sslrootcert, sizeof t.cfg.sslrootcert, "%.200s/ca.crt", ssl);
    snprintf(t.cfg.sslcert, sizeof t.cfg.sslcert, "%.200s/client.crt", ssl);
    snprintf(t.cfg.sslkey, sizeof t.cfg.sslkey, "%.200s/client.key", ssl);
    add(&t, 450);
    char err[300];
    struct sync_status st;
    rc = station_sync(&t, &st, err, sizeof err);
    CHECK_INT(rc, 0);
    if (rc != 0)
        fprintf(stderr, "TLS sync: %s\n", err);
    CHECK_INT(st.pushed, 450);
    verify_station(&t);
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a"
                               " USING (pid) WHERE a.usename = 'st_sh01_tls' AND s.ssl"),
              0); /* the round closed its connection */
    /* trusting another CA: refused before any outcome moves */
    snprintf(t.cfg.sslrootcert, sizeof t.cfg.sslrootcert, "%.200s/other.crt", ssl);
    add(&t, 5);
    CHECK(station_sync(&t, &st, err, sizeof err) != 0);
    CHECK(strncmp(err, "E718:", 5) == 0);
    printf("# TLS: verify-full with a client certificate synced 450; another CA: %s\n", err);
    /* without the client certificate the role cannot log in at all */
    snprintf(t.cfg.sslrootcert, sizeof t.cfg.sslrootcert, "%.200s/ca.crt", ssl);
    t.cfg.sslcert[0] = t.cfg.sslkey[0] = 0;
    CHECK(station_sync(&t, &st, err, sizeof err) != 0);
    snprintf(t.cfg.sslcert, sizeof t.cfg.sslcert, "%.200s/client.crt", ssl);
    snprintf(t.cfg.sslkey, sizeof t.cfg.sslkey, "%.200s/client.key", ssl);
    CHECK(station_sync(&t, &st, err, sizeof err) == 0);
    verify_station(&t);
}

/* A head office that accepts the connection and never answers: the worker
 * is stopped at once anyway (the station's shutdown is never held up). */
static void test_stop_while_waiting(struct station *a)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    CHECK(bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 && listen(fd, 4) == 0 &&
          getsockname(fd, (struct sockaddr *)&sa, &len) == 0);
    struct sync_opts silent = a->cfg;
    snprintf(silent.target, sizeof silent.target, "postgresql://%s@127.0.0.1:%d/postgres",
             a->role, ntohs(sa.sin_port));
    struct sync_options o = station_opts(a);
    o.cfg = &silent;
    struct sync *w = NULL;
    char err[300];
    CHECK(sync_start(&o, &w, err, sizeof err) == 0);
    msleep(400); /* connected, waiting for the server's first byte */
    int64_t t0 = clock_mono_ms();
    sync_stop(w);
    int64_t took = clock_mono_ms() - t0;
    printf("# sync_stop while head office is silent: %lld ms\n", (long long)took);
    CHECK(took < 1000);
    close(fd);
}

/* A station renamed with outcomes still waiting under its earlier id: they
 * go under that id, the new ones under the new id, every one once, and the
 * audit chain goes on across the rename. Head office registered the new id
 * to the same login and kept the earlier one. */
static void test_renamed(void)
{
    CHECK(pgc_add_station(admin, "st_sh01_s07", "pw-for-station", "SH01-S07", "SH01") == 0);
    struct station r;
    station_init(&r, "SH01-S07", "SH01", "st_sh01_s07", cluster.port, 8);
    add(&r, 30);
    char err[300];
    struct sync_status st;
    CHECK(station_sync(&r, &st, err, sizeof err) == 0);
    add(&r, 10); /* graded, not sent yet */
    /* Renamed: the new id names it from now on (W206), numbering goes on. */
    CHECK(pgc_exec(admin, "SELECT triage.register_station('SH01-S08', 'SH01', 'st_sh01_s07')") ==
          0);
    r.id = "SH01-S08";
    CHECK(fixture_add_inspections(r.db, r.id, 20, 99) == 0);
    int rc = station_sync(&r, &st, err, sizeof err);
    CHECK_INT(rc, 0);
    if (rc != 0)
        fprintf(stderr, "  renamed station: %s\n", err);
    CHECK_INT(st.pushed, 30);
    CHECK_INT(st.waiting, 0);
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM triage.outcomes WHERE station = 'SH01-S07'"),
              40);
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM triage.outcomes WHERE station = 'SH01-S08'"
                               " AND seq BETWEEN 41 AND 60"),
              20);
    CHECK_INT(pgc_value(admin, "SELECT count(DISTINCT seq) FROM triage.outcomes"
                               " WHERE station IN ('SH01-S07', 'SH01-S08')"),
              60);
    CHECK(station_sync(&r, &st, err, sizeof err) == 0);
    CHECK_INT(st.pushed, 0); /* nothing twice */
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM triage.audit_verify('SH01-S08')"), 0);
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM triage.sync_alerts"
                               " WHERE station IN ('SH01-S07', 'SH01-S08')"),
              0);
    printf("# renamed station: 40 outcomes under its earlier id, 20 under the new one, the"
           " audit chain intact across both\n");
}

/* `triage audit verify --source postgresql://…`: head office's copy of the
 * chain, checked there by a reporting login; then a row changed at head
 * office is found there. */
static void test_verify_at_head_office(struct station *a)
{
    CHECK(pgc_exec(admin, "CREATE ROLE bi_audit LOGIN PASSWORD 'pw-for-bi' IN ROLE triage_bi") ==
          0);
    char creds[700], conf[700], text[1500], c[3000];
    snprintf(creds, sizeof creds, "%s/bi.pass", tmp);
    harness_write_file(creds, "pw-for-bi\n");
    chmod(creds, 0600);
    snprintf(conf, sizeof conf, "%s/bi.conf", tmp);
    snprintf(text, sizeof text,
             "[station]\nid = %s\n[sync]\ncredentials = %s\nsslmode = disable\n", a->id, creds);
    harness_write_file(conf, text);
    snprintf(c, sizeof c,
             "'%s' --config '%s' --data '%s' audit verify --source"
             " postgresql://bi_audit@127.0.0.1:%d/postgres",
             harness_triage(), conf, a->dir, cluster.port);
    char *out = NULL, *errs = NULL;
    CHECK_INT(harness_sh(c, NULL, &out, &errs), 0);
    CHECK(out && strstr(out, "intact"));
    free(out), free(errs);
    out = errs = NULL;
    CHECK(pgc_exec(admin, "ALTER TABLE triage.audit DISABLE TRIGGER audit_append_only;"
                          " UPDATE triage.audit SET actor = 'someone' WHERE station = 'SH01-S01'"
                          " AND id = 3;"
                          " ALTER TABLE triage.audit ENABLE TRIGGER audit_append_only") == 0);
    CHECK_INT(harness_sh(c, NULL, &out, &errs), 1);
    CHECK(errs && strstr(errs, "E736") && strstr(errs, "audit row 3"));
    printf("# head office's copy changed: %s", errs ? errs : "\n");
    free(out), free(errs);
}

static void test_views(void)
{
    CHECK(pgc_value(admin, "SELECT sum(inspections) FROM triage.grades_by_site_day") ==
          pgc_value(admin, "SELECT count(*) FROM triage.outcomes"));
    CHECK(pgc_value(admin, "SELECT count(*) FROM triage.grader_throughput") > 0);
    CHECK(pgc_value(admin, "SELECT sum(inspections) FROM triage.responsibility_split") ==
          pgc_value(admin, "SELECT count(*) FROM triage.outcomes"));
    CHECK(pgc_value(admin, "SELECT sum(inspections) FROM triage.disposition_split") ==
          pgc_value(admin, "SELECT count(*) FROM triage.outcomes"));
    CHECK(pgc_value(admin, "SELECT count(DISTINCT site) FROM triage.grades_by_site_day") == 2);
}

int main(void)
{
    log_set_level(LOG_ERROR);
    snprintf(tmp, sizeof tmp, "%s", harness_tmpdir());
    if (pgc_setup(&cluster) != 0) {
        CHECK(!"the PostgreSQL cluster did not start");
        return harness_done();
    }
    admin = pgc_admin(&cluster);
    CHECK(admin != NULL);
    if (!admin)
        return harness_done();
    CHECK(pgc_load_schema(admin) == 0);
    CHECK(pgc_load_schema(admin) == 0); /* loading it again is harmless */
    CHECK(pgc_add_station(admin, "st_sh01_s01", "pw-for-station", "SH01-S01", "SH01") == 0);
    CHECK(pgc_add_station(admin, "st_sh01_s02", "pw-for-station", "SH01-S02", "SH01") == 0);
    CHECK(pgc_add_station(admin, "st_sh02_s01", "pw-for-station", "SH02-S01", "SH02") == 0);

    struct station a, b, c;
    station_init(&a, "SH01-S01", "SH01", "st_sh01_s01", cluster.port, 100);
    station_init(&b, "SH02-S01", "SH02", "st_sh02_s01", cluster.port, 50);
    station_init(&c, "SH01-S02", "SH01", "st_sh01_s02", cluster.port, 500);
    add(&a, 3000);

    test_refusals(&a);
    test_proxy_cuts(&a);
    test_server_crash(&a);
    test_station_killed(&b);
    test_resend(&a);
    test_two_at_once(&a, &c);
    test_manifest_pull(&a);
    test_tls();
    test_stop_while_waiting(&a);
    test_renamed();

    verify_station(&a);
    verify_station(&b);
    verify_station(&c);
    test_new_fields();
    verify_audit(&a);
    verify_audit(&b);
    verify_audit(&c);
    test_verify_at_head_office(&a);
    test_views();
    test_upgrade();
    PQfinish(admin);
    return harness_done();
}

/*
 * test_sync_pg_photos.c — evidence photos to a real PostgreSQL that the
 * test starts (tests/sync_fixture.h), loaded with sync/headoffice.sql.
 *
 * Inspections with photos taken through photos_put and saved with
 * store_commit_inspection, synced in batches that mix outcomes with photos
 * and without: triage.photos holds each photo once, keyed (station, epoch,
 * seq, n), its bytes equal to the station's file — also after `triage sync
 * --once` (the real binary) was killed with SIGKILL in the middle of
 * rounds, and after acknowledged batches were sent again. A photo changed
 * on the station before its sync is refused there (E738) and its outcome
 * is not sent without it; one of an outcome sent again with other content
 * is an alert, not stored. Head office itself refuses bytes that are not
 * the record's SHA-256 (E743), a photo its record does not name (E744) and
 * a login pushing for another station (E740); a head office of the earlier
 * release gets the table in place.
 */
#include <time.h>

#include "sync.h"
#include "sync_fixture.h"

static struct pgc cluster;
static PGconn *admin;
static char tmp[512];

struct station {
    const char *id, *role;
    char dir[600], db[700], creds[700], conf[700];
    struct sync_opts cfg;
    int count;
};

static void station_init(struct station *s, const char *id, const char *role, int batch)
{
    memset(s, 0, sizeof *s);
    s->id = id, s->role = role;
    snprintf(s->dir, sizeof s->dir, "%s/%s", tmp, id);
    mkdir(s->dir, 0755);
    snprintf(s->db, sizeof s->db, "%s/triage.db", s->dir);
    snprintf(s->creds, sizeof s->creds, "%s/pgpass", s->dir);
    harness_write_file(s->creds, "pw-for-station\n");
    chmod(s->creds, 0600);
    snprintf(s->cfg.target, sizeof s->cfg.target, "postgresql://%s@127.0.0.1:%d/postgres", role,
             cluster.port);
    snprintf(s->cfg.credentials, sizeof s->cfg.credentials, "%.255s", s->creds);
    snprintf(s->cfg.sslmode, sizeof s->cfg.sslmode, "disable"); /* the test cluster has no TLS */
    s->cfg.batch_size = batch;
    s->cfg.interval_s = 60;
    snprintf(s->conf, sizeof s->conf, "%s/triage.conf", s->dir);
    char text[1500];
    snprintf(text, sizeof text,
             "[station]\nid = %s\nsite = SH01\n[sync]\ntarget = %s\ncredentials = %s\n"
             "batch_size = %d\nsslmode = disable\n",
             id, s->cfg.target, s->creds, batch);
    harness_write_file(s->conf, text);
}

static int station_sync(struct station *s, struct sync_status *st, char *err, size_t errlen)
{
    struct sync_options o = {
        .db_path = s->db, .station = s->id, .site = "SH01", .data_dir = s->dir, .cfg = &s->cfg};
    return sync_run_once(&o, st, err, errlen);
}

static void add(struct station *s, int n, int photos, size_t bytes)
{
    CHECK(fixture_add_inspections_photos(s->db, s->id, n, s->count + 1, photos, bytes) == 0);
    s->count += n;
}

/* Head office holds each photo the station's export names exactly once,
 * with the bytes of the station's file, and no other photo of the
 * station; and every outcome. Returns the photos it holds. */
static int verify_photos(struct station *s)
{
    int want_n;
    struct fixture_photo *want = fixture_photos(s->db, s->id, &want_n);
    CHECK(want_n >= 0);
    const char *params[1] = {s->id};
    PGresult *r = PQexecParams(admin,
                               "SELECT seq, n, sha256, jpeg, size,"
                               " encode(sha256(jpeg), 'hex') = sha256"
                               " FROM triage.photos WHERE station = $1 ORDER BY seq, n",
                               1, NULL, params, NULL, NULL, 1);
    CHECK(PQresultStatus(r) == PGRES_TUPLES_OK);
    int rows = PQresultStatus(r) == PGRES_TUPLES_OK ? PQntuples(r) : 0;
    int same = 0;
    for (int i = 0; i < rows && i < want_n; i++) {
        /* binary results: int8, int4, text, bytea, int4, bool */
        const unsigned char *b = (const unsigned char *)PQgetvalue(r, i, 0);
        long long seq = 0;
        for (int k = 0; k < 8; k++)
            seq = seq << 8 | b[k];
        b = (const unsigned char *)PQgetvalue(r, i, 1);
        int n = b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
        char path[1200];
        snprintf(path, sizeof path, "%s/%s", s->dir, want[i].file);
        size_t len;
        char *bytes = harness_read_file(path, &len);
        if (bytes && seq == want[i].seq && n == want[i].n && PQgetlength(r, i, 2) == 64 &&
            memcmp(PQgetvalue(r, i, 2), want[i].sha256, 64) == 0 &&
            (size_t)PQgetlength(r, i, 3) == len && memcmp(PQgetvalue(r, i, 3), bytes, len) == 0 &&
            *PQgetvalue(r, i, 5) == 1)
            same++;
        else
            fprintf(stderr, "photo row %d (seq %lld n %d) differs from the station's\n", i, seq, n);
        free(bytes);
    }
    PQclear(r);
    char sql[400];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM triage.photos_missing WHERE station = '%s'",
             s->id);
    long long missing = pgc_value(admin, sql);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM triage.outcomes WHERE station = '%s'", s->id);
    long long outcomes = pgc_value(admin, sql);
    printf("# %s: %d photos named, head office holds %d (%d the same bytes), %lld missing,"
           " %lld outcomes\n",
           s->id, want_n, rows, same, missing, outcomes);
    CHECK_INT(rows, want_n);
    CHECK_INT(same, want_n);
    CHECK_INT(missing, 0);
    CHECK_INT(outcomes, s->count);
    free(want);
    return same;
}

static void test_plain(struct station *a)
{
    char err[300];
    struct sync_status st;
    add(a, 30, 2, 30000);
    add(a, 20, 0, 0);
    add(a, 9, 1, 50000);
    CHECK_INT(station_sync(a, &st, err, sizeof err), 0);
    CHECK_INT(st.pushed, 59);
    CHECK_INT(st.photos, 69);
    CHECK_INT(verify_photos(a), 69);
    /* An outcome's photos, as head office lists them. */
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM triage.outcome_photos"
                               " WHERE plate = 'SH01-S01-000007' AND check_id = 'screen'"),
              2);
    CHECK_INT(pgc_value(admin, "SELECT sum(size) FROM triage.outcome_photos"
                               " WHERE plate = 'SH01-S01-000055'"),
              50000);
    /* Head office forgets how far it got: every batch again, nothing twice. */
    CHECK(pgc_exec(admin, "UPDATE triage.station_watermarks SET seq = 0") == 0);
    CHECK_INT(station_sync(a, &st, err, sizeof err), 0);
    CHECK_INT(st.resent, 59);
    CHECK_INT(st.photos, 69); /* each found there already */
    CHECK_INT(verify_photos(a), 69);
}

/* `triage sync --once` killed with SIGKILL mid-round, more arriving. */
static void test_killed(struct station *b)
{
    unsigned seed = 4711;
    int killed = 0;
    for (int round = 0; round < 5; round++) {
        add(b, 40, 1 + round % 2, 150000);
        killed += fixture_kill_sync(b->conf, b->dir, 40 + (int)(rand_r(&seed) % 250));
    }
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM triage.photos WHERE station = '%s'", b->id);
    printf("# triage sync --once killed with SIGKILL %d of 5 times; head office held %lld"
           " photos then\n",
           killed, pgc_value(admin, sql));
    CHECK(killed > 0);
    char cmd[2000], *out = NULL, *errs = NULL;
    snprintf(cmd, sizeof cmd, "'%s' --config '%s' --data '%s' sync --once", harness_triage(),
             b->conf, b->dir);
    int rc = harness_sh(cmd, NULL, &out, &errs);
    CHECK_INT(rc, 0);
    if (rc != 0)
        fprintf(stderr, "%s%s", out ? out : "", errs ? errs : "");
    free(out), free(errs);
    int n;
    free(fixture_photos(b->db, b->id, &n));
    CHECK_INT(verify_photos(b), n);
}

/* Changed on the station: refused there; its outcome is not sent
 * without it; put back, it goes. */
static void test_tampered(struct station *c)
{
    char err[300];
    struct sync_status st;
    add(c, 5, 1, 20000);
    int n;
    struct fixture_photo *ph = fixture_photos(c->db, c->id, &n);
    CHECK_INT(n, 5);
    if (n != 5) {
        free(ph);
        return;
    }
    char path[1200], kept[1300];
    snprintf(path, sizeof path, "%s/%s", c->dir, ph[3].file);
    snprintf(kept, sizeof kept, "%s.kept", path);
    CHECK_INT(fixture_tamper_photo(path), 0);
    CHECK_INT(station_sync(c, &st, err, sizeof err), -1);
    printf("# a photo changed on the station: %s\n", err);
    CHECK(strncmp(err, "E738:", 5) == 0 && strstr(err, ph[3].file));
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM triage.outcomes WHERE station = '%s'", c->id);
    CHECK_INT(pgc_value(admin, sql), 2); /* batch_size 2: 1..2 went; 3..4 waits, 3 too */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM triage.photos WHERE station = '%s'", c->id);
    CHECK_INT(pgc_value(admin, sql), 2);
    CHECK(rename(kept, path) == 0);
    CHECK_INT(station_sync(c, &st, err, sizeof err), 0);
    CHECK_INT(verify_photos(c), 5);
    free(ph);
}

/* A station sends seq 1 again with other content, naming another photo:
 * head office keeps the first outcome and its photo, and alerts both. */
static void test_conflict(struct station *c)
{
    char err[300];
    char *exp = fixture_export(c->db, c->id);
    CHECK(exp != NULL);
    if (!exp)
        return;
    char *rec = strtok(exp, "\n");
    unsigned seed = 11;
    unsigned char *jpeg = fixture_jpeg(3000, &seed);
    char sha[65], path[1200];
    sync_sha256_hex(jpeg, 3000, sha);
    snprintf(path, sizeof path, "%s/photos/other-1.jpg", c->dir);
    FILE *f = fopen(path, "wb");
    CHECK(f && fwrite(jpeg, 1, 3000, f) == 3000);
    if (f)
        fclose(f);
    free(jpeg);
    /* The record of seq 1 with the other photo's name and hash. */
    char other[8192];
    char *file = strstr(rec, "\"file\":\""), *hash = strstr(rec, "\"sha256\":\"");
    CHECK(file && hash && hash > file);
    if (!file || !hash || hash < file) {
        free(exp);
        return;
    }
    char *file_end = strchr(file + 8, '"'), *hash_end = strchr(hash + 10, '"');
    snprintf(other, sizeof other, "%.*sphotos/other-1.jpg%.*s%s%s", (int)(file + 8 - rec), rec,
             (int)(hash + 10 - file_end), file_end, sha, hash_end);
    const char *recs[1] = {other};
    size_t lens[1] = {strlen(other)};
    char epoch[64];
    char *e = strstr(rec, "\"epoch\":\"");
    snprintf(epoch, sizeof epoch, "%.32s", e ? e + 9 : "");
    struct sync_batch b = {.station = c->id,
                           .epoch = epoch,
                           .first = 1,
                           .last = 1,
                           .count = 1,
                           .records = recs,
                           .lens = lens,
                           .data_dir = c->dir};
    struct sync_photo *photos = NULL;
    CHECK_INT(sync_photos_of(&b, &photos, &b.nphotos, err, sizeof err), 0);
    CHECK_INT(b.nphotos, 1);
    b.photos = photos;
    struct sync_options o = {
        .db_path = c->db, .station = c->id, .site = "SH01", .data_dir = c->dir, .cfg = &c->cfg};
    void *ts = NULL;
    CHECK(sync_pg_transport.open(&o, c->cfg.target, &ts, err, sizeof err) == 0);
    struct sync_push_result res = {0};
    CHECK(ts && sync_pg_transport.push(ts, &b, &res, err, sizeof err) == 0);
    CHECK_INT(res.conflicts, 1);
    CHECK_INT(res.photo_conflicts, 1);
    CHECK_INT(res.photos, 0);
    if (ts)
        sync_pg_transport.close(ts);
    free(photos);
    free(exp);
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM triage.sync_alerts WHERE station ="
                               " 'SH01-S03' AND seq = 1 AND kind = 'photo_conflict'"),
              1);
    verify_photos(c); /* the first photo kept, nothing added */
}

/* What a station login may do with push_photo, called directly. */
static void test_head_office_refuses(struct station *a)
{
    char ci[300];
    snprintf(ci, sizeof ci,
             "host=127.0.0.1 port=%d user=%s password=pw-for-station dbname=postgres"
             " sslmode=disable",
             cluster.port, a->role);
    PGconn *c = PQconnectdb(ci);
    if (!CHECK(PQstatus(c) == CONNECTION_OK)) {
        PQfinish(c);
        return;
    }
    char epoch[64];
    PGresult *r = PQexec(admin, "SELECT epoch, (record->'photos'->0->>'sha256')"
                                " FROM triage.outcomes WHERE plate = 'SH01-S01-000001'");
    CHECK(PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1);
    snprintf(epoch, sizeof epoch, "%s", PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : "");
    PQclear(r);
    unsigned seed = 3;
    unsigned char *jpeg = fixture_jpeg(1000, &seed);
    char sha[65];
    sync_sha256_hex(jpeg, 1000, sha);
    static const char *const cases[][3] = {
        /* station, sha256 named, id expected */
        {"SH01-S01", "0000000000000000000000000000000000000000000000000000000000000000", "E743"},
        {"SH01-S01", NULL, "E744"}, /* the bytes' own hash, but not the record's photo */
        {"SH01-S02", NULL, "E740"}, /* another station's */
    };
    for (int i = 0; i < 3; i++) {
        const char *params[7] = {
            cases[i][0],       epoch, "1", "1", "screen", cases[i][1] ? cases[i][1] : sha,
            (const char *)jpeg};
        int lengths[7] = {0, 0, 0, 0, 0, 0, 1000}, formats[7] = {0, 0, 0, 0, 0, 0, 1};
        r = PQexecParams(c,
                         "SELECT * FROM triage.push_photo($1, $2, $3::bigint, $4::integer, $5,"
                         " $6, $7::bytea)",
                         7, NULL, params, lengths, formats, 0);
        const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        printf("# push_photo as %s: %s\n", cases[i][0], m ? m : "(stored)");
        CHECK(PQresultStatus(r) == PGRES_FATAL_ERROR && m && strncmp(m, cases[i][2], 4) == 0);
        PQclear(r);
    }
    free(jpeg);
    /* Nor may it touch the table. */
    r = PQexec(c, "SELECT count(*) FROM triage.photos");
    CHECK(PQresultStatus(r) == PGRES_FATAL_ERROR);
    PQclear(r);
    PQfinish(c);
    /* Photos are append-only, for the owner too. */
    r = PQexec(admin, "DELETE FROM triage.photos");
    const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
    CHECK(PQresultStatus(r) == PGRES_FATAL_ERROR && m && strncmp(m, "E746", 4) == 0);
    PQclear(r);
}

/* A head office of the earlier release gets the table and the function. */
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
    CHECK_INT(pgc_value(up, "SELECT count(*) FROM pg_tables WHERE schemaname = 'triage'"
                            " AND tablename = 'photos'"),
              0);
    CHECK(pgc_load_schema(up) == 0);
    CHECK(pgc_load_schema(up) == 0);
    CHECK_INT(pgc_value(up, "SELECT count(*) FROM information_schema.columns WHERE"
                            " table_schema = 'triage' AND table_name = 'photos' AND column_name"
                            " IN ('station', 'epoch', 'seq', 'n', 'check_id', 'sha256', 'size',"
                            " 'jpeg', 'received_at')"),
              9);
    CHECK_INT(pgc_value(up, "SELECT count(*) FROM pg_proc WHERE proname = 'push_photo' AND"
                            " has_function_privilege('triage_station', oid, 'EXECUTE')"),
              1);
    PQfinish(up);
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
    CHECK(pgc_add_station(admin, "st_sh01_s01", "pw-for-station", "SH01-S01", "SH01") == 0);
    CHECK(pgc_add_station(admin, "st_sh01_s02", "pw-for-station", "SH01-S02", "SH01") == 0);
    CHECK(pgc_add_station(admin, "st_sh01_s03", "pw-for-station", "SH01-S03", "SH01") == 0);
    struct station a, b, c;
    station_init(&a, "SH01-S01", "st_sh01_s01", 16);
    station_init(&b, "SH01-S02", "st_sh01_s02", 10);
    station_init(&c, "SH01-S03", "st_sh01_s03", 2);
    test_plain(&a);
    test_killed(&b);
    test_tampered(&c);
    test_conflict(&c);
    test_head_office_refuses(&a);
    test_upgrade();
    PQfinish(admin);
    return harness_done();
}

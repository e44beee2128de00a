/*
 * test_sync_spool.c — the spool transport (target spool:DIR).
 *
 * Batch files are complete, their checksums right, their ranges contiguous
 * and disjoint, and together they hold exactly the station's export — also
 * after the syncing process was killed with SIGKILL at random moments, after
 * a crash between the rename and the bookkeeping, and with two stations
 * writing into one spool at once. Each batch's header says the station's
 * time zone (left out when none is configured). Manifests dropped into the inbox: bad rows
 * rejected with their id, the rest applied, the file moved aside; a file
 * that is not CSV at all moved to inbox/rejected.
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <time.h>

#include "config.h"
#include "sync.h"
#include "sync_fixture.h"

static char tmp[512];

static void msleep(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

struct station {
    const char *id;
    const char *timezone; /* [station] timezone, NULL: none configured */
    char dir[600], db[700];
    struct sync_opts cfg;
    int count;
};

static void station_init(struct station *s, const char *id, const char *spool, int batch)
{
    memset(s, 0, sizeof *s);
    s->id = id;
    snprintf(s->dir, sizeof s->dir, "%s/%s", tmp, id);
    mkdir(s->dir, 0755);
    snprintf(s->db, sizeof s->db, "%s/triage.db", s->dir);
    snprintf(s->cfg.target, sizeof s->cfg.target, "spool:%s", spool);
    s->cfg.batch_size = batch;
    s->cfg.interval_s = 60;
}

static int station_sync(struct station *s, struct sync_status *st, char *err, size_t errlen)
{
    struct sync_options o = {.db_path = s->db,
                             .station = s->id,
                             .site = "SH01",
                             .timezone = s->timezone,
                             .data_dir = s->dir,
                             .cfg = &s->cfg};
    return sync_run_once(&o, st, err, errlen);
}

static void add(struct station *s, int n)
{
    CHECK(fixture_add_inspections(s->db, s->id, n, s->count + 1) == 0);
    s->count += n;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Check every batch file of the station in spool/outcomes: header, checksum,
 * ranges 1..count without gap or overlap, the records = the export. Returns
 * the number of files. */
static int verify_spool(struct station *s, const char *spool)
{
    char out[700];
    snprintf(out, sizeof out, "%s/outcomes", spool);
    DIR *d = opendir(out);
    CHECK(d != NULL);
    if (!d)
        return 0;
    char *names[20000];
    int n = 0, temps = 0;
    struct dirent *de;
    size_t plen = strlen(s->id);
    while ((de = readdir(d)) && n < 20000) {
        if (strncmp(de->d_name, ".tmp-", 5) == 0 && strncmp(de->d_name + 5, s->id, plen) == 0)
            temps++;
        if (strncmp(de->d_name, s->id, plen) == 0 && de->d_name[plen] == '_')
            names[n++] = strdup(de->d_name);
    }
    closedir(d);
    CHECK_INT(temps, 0);
    qsort(names, (size_t)n, sizeof *names, name_cmp);
    char *exp = fixture_export(s->db, s->id);
    CHECK(exp != NULL);
    const char *want = exp ? exp : "";
    long long next = 1;
    int bad = 0;
    for (int i = 0; i < n; i++) {
        char path[1000];
        snprintf(path, sizeof path, "%s/%s", out, names[i]);
        size_t len;
        char *text = harness_read_file(path, &len);
        char *nl = text ? strchr(text, '\n') : NULL;
        if (!nl) {
            bad++;
            free(text);
            continue;
        }
        *nl = 0;
        cJSON *h = cJSON_Parse(text);
        const char *body = nl + 1;
        size_t blen = len - (size_t)(body - text);
        char hex[65];
        sync_sha256_hex(body, blen, hex);
        cJSON *first = cJSON_GetObjectItem(h, "first_seq"),
              *last = cJSON_GetObjectItem(h, "last_seq");
        cJSON *count = cJSON_GetObjectItem(h, "count"), *sum = cJSON_GetObjectItem(h, "sha256");
        cJSON *station = cJSON_GetObjectItem(h, "station");
        /* The station's zone, for head office's days; left out when none. */
        cJSON *zone = cJSON_GetObjectItem(h, "timezone");
        bool zone_ok = s->timezone ? cJSON_IsString(zone) && !strcmp(zone->valuestring, s->timezone)
                                   : zone == NULL;
        int lines = 0;
        for (const char *p = body; p < body + blen; p++)
            lines += *p == '\n';
        bool ok = h && zone_ok && cJSON_IsNumber(first) && cJSON_IsNumber(last) &&
                  cJSON_IsNumber(count) && cJSON_IsString(sum) && cJSON_IsString(station) &&
                  strcmp(station->valuestring, s->id) == 0 && strcmp(sum->valuestring, hex) == 0 &&
                  (long long)first->valuedouble == next &&
                  (long long)last->valuedouble - (long long)first->valuedouble + 1 ==
                      (long long)count->valuedouble &&
                  lines == (int)count->valuedouble && blen > 0 && body[blen - 1] == '\n' &&
                  strncmp(want, body, blen) == 0;
        if (!ok) {
            bad++;
            fprintf(stderr, "bad batch file %s (expected first seq %lld)\n", names[i], next);
        } else {
            next = (long long)last->valuedouble + 1;
            want += blen;
        }
        cJSON_Delete(h);
        free(text);
    }
    CHECK_INT(bad, 0);
    CHECK_INT(next - 1, s->count);
    CHECK(*want == 0); /* every exported line is in some file */
    printf("# %s: %d batch files, seq 1..%lld, checksums right\n", s->id, n, next - 1);
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(exp);
    return n;
}

static void test_plain(struct station *a, const char *spool)
{
    char err[300];
    struct sync_status st;
    add(a, 1234);
    CHECK(station_sync(a, &st, err, sizeof err) == 0);
    CHECK_INT(st.pushed, 1234);
    CHECK_INT(st.waiting, 0);
    CHECK_INT(verify_spool(a, spool), 13);
    /* nothing new: no new file */
    CHECK(station_sync(a, &st, err, sizeof err) == 0);
    CHECK_INT(st.pushed, 0);
    CHECK_INT(verify_spool(a, spool), 13);
}

/* A crash after the rename, before sent_seq moved: the same range is
 * written again, with the same name and bytes: no overlapping file. */
static void test_redo_after_rename(struct station *a, const char *spool)
{
    char err[300];
    struct sync_status st;
    add(a, 40);
    sqlite3 *h;
    CHECK(sqlite3_open(a->db, &h) == SQLITE_OK);
    /* what the interrupted round had written down before its file */
    char sql[1000];
    snprintf(sql, sizeof sql, "UPDATE sync_state SET intent_last = %d WHERE target = 'spool:%s'",
             a->count - 10, spool);
    CHECK(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK);
    CHECK(sqlite3_changes(h) == 1);
    sqlite3_close(h);
    CHECK(station_sync(a, &st, err, sizeof err) == 0);
    CHECK_INT(st.pushed, 40);
    verify_spool(a, spool); /* ranges ..1264 then 1265..1274: contiguous */
}

static void test_killed(struct station *a, const char *spool)
{
    unsigned seed = 99;
    int killed = 0;
    add(a, 3000);
    a->cfg.batch_size = 20;
    for (int round = 0; round < 6; round++) {
        pid_t pid = fork();
        if (pid == 0) {
            char err[300];
            struct sync_status st;
            _exit(station_sync(a, &st, err, sizeof err) == 0 ? 0 : 1);
        }
        msleep(10 + (int)(rand_r(&seed) % 80));
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        killed += WIFSIGNALED(status);
        if (round == 3)
            add(a, 500); /* more arrive between crashes */
    }
    printf("# killed the syncing process %d of 6 times\n", killed);
    CHECK(killed > 0);
    char err[300];
    struct sync_status st;
    CHECK(station_sync(a, &st, err, sizeof err) == 0);
    verify_spool(a, spool);
}

static void test_two_stations(struct station *a, struct station *b, const char *spool)
{
    add(a, 700);
    add(b, 900);
    pid_t pa = fork();
    if (pa == 0) {
        char err[300];
        struct sync_status st;
        _exit(station_sync(a, &st, err, sizeof err) == 0 ? 0 : 1);
    }
    pid_t pb = fork();
    if (pb == 0) {
        char err[300];
        struct sync_status st;
        _exit(station_sync(b, &st, err, sizeof err) == 0 ? 0 : 1);
    }
    int sa, sb;
    waitpid(pa, &sa, 0);
    waitpid(pb, &sb, 0);
    CHECK(WIFEXITED(sa) && WEXITSTATUS(sa) == 0);
    CHECK(WIFEXITED(sb) && WEXITSTATUS(sb) == 0);
    verify_spool(a, spool);
    verify_spool(b, spool);
}

static int count_rows(const char *db, const char *sql)
{
    sqlite3 *h;
    int n = -1;
    if (sqlite3_open(db, &h) == SQLITE_OK) {
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
            n = sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
    }
    sqlite3_close(h);
    return n;
}

static void test_inbox(struct station *a, const char *spool)
{
    char path[900], err[300];
    struct sync_status st;
    snprintf(path, sizeof path, "%s/inbox/2026-11-23-a.csv", spool);
    CHECK(harness_write_file(path, "rma,order_id,sku,gtin,serial,description,reason,delivered_at\n"
                                   "RMA-IN-1,O1,PH-001,,,\"Phone, black\",defective,2026-11-20\n"
                                   "RMA-IN-2,O2,,,,no sku,defective,2026-11-20\n"
                                   "RMA-IN-3,O3,PH-003,,,ok,defective,2026-13-45\n"
                                   "RMA-IN-4,O4,PH-004,,,\"手机 \"\"pro\"\"\",changed_mind,\n"
                                   "RMA-IN-5,O5,PH-005,,,too,many,2026-11-20,x\n"
                                   "RMA-IN-6,O6,PH-006,,,last,defective,2026-11-21\n"));
    snprintf(path, sizeof path, "%s/inbox/2026-11-23-b.csv", spool);
    CHECK(harness_write_file(path, "rma,sku\nRMA-X,\"unterminated\n"));
    snprintf(path, sizeof path, "%s/inbox/notes.txt", spool);
    CHECK(harness_write_file(path, "not a manifest\n"));
    CHECK(station_sync(a, &st, err, sizeof err) == 0);
    printf("# inbox: %d rows applied, %d rejected\n", st.manifests, st.rejected);
    CHECK_INT(st.manifests, 3);
    CHECK_INT(st.rejected, 4); /* three rows, one file */
    CHECK_INT(count_rows(a->db, "SELECT count(*) FROM manifest WHERE rma LIKE 'RMA-IN-%'"), 3);
    CHECK_INT(count_rows(a->db, "SELECT count(*) FROM manifest WHERE rma IN ('RMA-IN-1',"
                                " 'RMA-IN-4', 'RMA-IN-6')"),
              3);
    CHECK_INT(count_rows(a->db, "SELECT count(*) FROM audit WHERE event = 'manifest_reject'"), 4);
    snprintf(path, sizeof path, "%s/inbox/2026-11-23-a.csv", spool);
    CHECK(access(path, F_OK) != 0);
    snprintf(path, sizeof path, "%s/inbox/done/2026-11-23-a.csv", spool);
    CHECK(access(path, F_OK) == 0);
    snprintf(path, sizeof path, "%s/inbox/done/2026-11-23-a.csv.rejected.txt", spool);
    char *rep = harness_read_file(path, NULL);
    CHECK(rep && strstr(rep, "line 3: E409") && strstr(rep, "line 4: E410") &&
          strstr(rep, "line 6: E407"));
    free(rep);
    snprintf(path, sizeof path, "%s/inbox/rejected/2026-11-23-b.csv.error.txt", spool);
    char *e = harness_read_file(path, NULL);
    CHECK(e && strstr(e, "E413"));
    free(e);
    snprintf(path, sizeof path, "%s/inbox/notes.txt", spool);
    CHECK(access(path, F_OK) == 0); /* not a .csv: left alone */
    /* the next round finds nothing new */
    CHECK(station_sync(a, &st, err, sizeof err) == 0);
    CHECK_INT(st.manifests, 0);
    CHECK_INT(st.rejected, 0);

    /* Units, a quantity that is not one, and a row for an RMA this station
     * has graded (RMA-1-3, one of its generated outcomes): not applied,
     * listed with its line; a file without a description column keeps the
     * description the station holds. */
    snprintf(path, sizeof path, "%s/inbox/2026-11-24.csv", spool);
    CHECK(harness_write_file(path, "rma,sku,reason,quantity\n"
                                   "RMA-IN-7,AP-TEE,changed_mind,2\n"
                                   "RMA-1-3,PH-003,defective,1\n"
                                   "RMA-IN-8,AP-TEE,changed_mind,0\n"
                                   "RMA-IN-1,PH-001,damaged,\n"));
    CHECK(station_sync(a, &st, err, sizeof err) == 0);
    CHECK_INT(st.manifests, 2);
    CHECK_INT(st.rejected, 2);
    CHECK_INT(count_rows(a->db, "SELECT quantity FROM manifest WHERE rma = 'RMA-IN-7'"), 2);
    CHECK_INT(count_rows(a->db, "SELECT count(*) FROM manifest WHERE rma IN ('RMA-1-3',"
                                " 'RMA-IN-8')"),
              0);
    CHECK_INT(count_rows(a->db, "SELECT count(*) FROM manifest WHERE rma = 'RMA-IN-1' AND"
                                " reason = 'damaged' AND description = 'Phone, black' AND"
                                " quantity = 1"),
              1);
    snprintf(path, sizeof path, "%s/inbox/done/2026-11-24.csv.rejected.txt", spool);
    rep = harness_read_file(path, NULL);
    CHECK(rep && strstr(rep, "line 3: W418: RMA-1-3 already has an outcome") &&
          strstr(rep, "line 4: E417"));
    free(rep);
    CHECK_INT(count_rows(a->db, "SELECT count(*) FROM audit WHERE event = 'manifest_reject'"
                                " AND detail LIKE '2026-11-24.csv:3: W418%'"),
              1);
}

/* Every new field of the record is in the batch files, as exported. */
static void test_new_fields(struct station *a, const char *spool)
{
    char pattern[700];
    snprintf(pattern, sizeof pattern, "%s/outcomes/%s_*.ndjson", spool, a->id);
    glob_t g;
    if (!CHECK(glob(pattern, 0, NULL, &g) == 0 && g.gl_pathc > 0))
        return;
    int seen[5] = {0}, wrong = 0, extra = 0, lines = 0, overrides = 0;
    static const char *const checks[5] = {"matched", "mismatched", "unverified", "skipped",
                                          "blind"};
    for (size_t f = 0; f < g.gl_pathc; f++) {
        char *text = harness_read_file(g.gl_pathv[f], NULL);
        char *line = text ? strchr(text, '\n') : NULL; /* after the header */
        while (line && *++line) {
            char *end = strchr(line, '\n');
            if (end)
                *end = 0;
            cJSON *r = cJSON_Parse(line);
            const cJSON *ic = cJSON_GetObjectItem(r, "item_check");
            for (int k = 0; k < 5; k++)
                seen[k] += cJSON_IsString(ic) && !strcmp(ic->valuestring, checks[k]);
            CHECK(cJSON_IsString(cJSON_GetObjectItem(r, "scanned_item")));
            CHECK(cJSON_IsNumber(cJSON_GetObjectItem(r, "unit")) &&
                  cJSON_IsNumber(cJSON_GetObjectItem(r, "units")));
            wrong += cJSON_IsTrue(cJSON_GetObjectItem(r, "wrong_item"));
            /* The grading policy's fields, every one in every record. */
            CHECK(cJSON_IsArray(cJSON_GetObjectItem(r, "skipped")));
            CHECK(cJSON_IsString(cJSON_GetObjectItem(r, "reason_check")) &&
                  cJSON_IsString(cJSON_GetObjectItem(r, "responsibility_reason")) &&
                  cJSON_IsString(cJSON_GetObjectItem(r, "return_type")) &&
                  cJSON_IsString(cJSON_GetObjectItem(r, "resolution")));
            CHECK(cJSON_HasObjectItem(r, "reason") &&
                  cJSON_HasObjectItem(r, "responsibility_suggested"));
            const cJSON *why = cJSON_GetObjectItem(r, "responsibility_reason");
            overrides += cJSON_IsString(why) && why->valuestring[0];
            extra += cJSON_IsTrue(cJSON_GetObjectItem(r, "extra_unit"));
            lines++;
            cJSON_Delete(r);
            line = end;
        }
        free(text);
    }
    globfree(&g);
    CHECK_INT(lines, a->count);
    for (int k = 0; k < 5; k++)
        if (!CHECK(seen[k] > 0))
            fprintf(stderr, "  no item_check \"%s\" in the batches\n", checks[k]);
    CHECK(wrong > 0 && extra > 0 && overrides > 0);
}

/* The [sync] keys for TLS and batches. */
static void test_config_keys(void)
{
    struct config cfg;
    char err[300];
    config_defaults(&cfg);
    CHECK(config_load_string("[sync]\ntarget = postgresql://st@ho/triage\nsslmode = verify-full\n"
                             "sslrootcert = /etc/triage/ca.crt\nsslcert = /etc/triage/s.crt\n"
                             "sslkey = /etc/triage/s.key\ncredentials = /etc/triage/pgpass\n",
                             "t.conf", &cfg, err, sizeof err) == 0);
    CHECK_STR(cfg.sync.sslmode, "verify-full");
    CHECK_STR(cfg.sync.sslkey, "/etc/triage/s.key");
    config_defaults(&cfg);
    CHECK(config_load_string("[sync]\n\nsslmode = verify\n", "t.conf", &cfg, err, sizeof err) != 0);
    CHECK(strncmp(err, "E745: t.conf:3:", 15) == 0);
    CHECK(config_load_string("[sync]\ntarget = ftp://x\n", "t.conf", &cfg, err, sizeof err) != 0);
    CHECK(strncmp(err, "E121:", 5) == 0);
}

static void test_backoff(void)
{
    /* 1 s, 2 s, 4 s … capped, each drawn from [d/2, d] */
    for (int f = 1; f <= 12; f++) {
        int64_t d = 1000;
        for (int i = 1; i < f && d < 60000; i++)
            d *= 2;
        if (d > 60000)
            d = 60000;
        for (int k = 0; k < 50; k++) {
            int64_t got = sync_backoff_ms(f, 1000, 60000);
            if (!CHECK(got >= d / 2 && got <= d))
                break;
        }
    }
}

static atomic_int status_calls;

static void on_status(void *arg)
{
    (void)arg;
    atomic_fetch_add(&status_calls, 1);
}

/* Wait up to ms for cond(status); returns the last status seen. */
static bool wait_status(struct sync *w, struct sync_status *st, int ms,
                        bool (*cond)(const struct sync_status *, int64_t), int64_t arg)
{
    for (int waited = 0; waited <= ms; waited += 10) {
        sync_get_status(w, st);
        if (cond(st, arg))
            return true;
        msleep(10);
    }
    return false;
}

static bool synced_after(const struct sync_status *st, int64_t since)
{
    return st->last_ok_ms >= since && st->waiting == 0 && !st->last_error[0];
}

static bool waiting_is(const struct sync_status *st, int64_t n)
{
    return st->waiting == n;
}

static bool failed_twice(const struct sync_status *st, int64_t unused)
{
    (void)unused;
    return st->failures >= 2;
}

/* The worker thread: a round at start, a recount after a save, a round when
 * kicked, the status callback, and backoff after failures. */
static void test_worker(struct station *a, const char *spool)
{
    struct sync_options o = {.db_path = a->db,
                             .station = a->id,
                             .site = "SH01",
                             .timezone = a->timezone,
                             .data_dir = a->dir,
                             .cfg = &a->cfg,
                             .on_status = on_status};
    a->cfg.interval_s = 3600;
    add(a, 50);
    struct sync *w = NULL;
    char err[300];
    int64_t t0 = clock_wall_ms();
    CHECK(sync_start(&o, &w, err, sizeof err) == 0);
    struct sync_status st;
    CHECK(wait_status(w, &st, 10000, synced_after, t0));
    CHECK(atomic_load(&status_calls) > 0);
    add(a, 7); /* the station saved more */
    sync_recount(w);
    CHECK(wait_status(w, &st, 5000, waiting_is, 7));
    int64_t t1 = clock_wall_ms();
    sync_kick(w);
    CHECK(wait_status(w, &st, 10000, synced_after, t1));
    sync_stop(w);
    verify_spool(a, spool);

    /* A target that cannot work: errors with their id, failures counted,
     * retried after a backoff (1 s, then 2 s) rather than at the interval. */
    struct sync_opts bad = a->cfg;
    snprintf(bad.target, sizeof bad.target, "spool:/proc/no-such-place");
    o.cfg = &bad;
    CHECK(sync_start(&o, &w, err, sizeof err) == 0);
    CHECK(wait_status(w, &st, 8000, failed_twice, 0));
    CHECK(strncmp(st.last_error, "E720:", 5) == 0);
    CHECK_INT(st.waiting, a->count); /* a new target has none of them yet */
    sync_stop(w);
    printf("# worker: %d status reports; a bad target: \"%s\"\n", atomic_load(&status_calls),
           st.last_error);
}

int main(void)
{
    log_set_level(LOG_ERROR);
    snprintf(tmp, sizeof tmp, "%s", harness_tmpdir());
    char spool[600];
    snprintf(spool, sizeof spool, "%s/spool", tmp);
    struct station a, b;
    station_init(&a, "SH01-S01", spool, 100);
    station_init(&b, "SH01-S02", spool, 64);
    a.timezone = "Asia/Shanghai";
    test_backoff();
    test_config_keys();
    test_plain(&a, spool);
    test_redo_after_rename(&a, spool);
    test_killed(&a, spool);
    test_two_stations(&a, &b, spool);
    test_inbox(&a, spool);
    test_new_fields(&a, spool);
    test_worker(&a, spool);
    return harness_done();
}

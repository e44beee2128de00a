/*
 * bench_sync.c — 100,000 pending outcomes to PostgreSQL on loopback.
 *
 *   bench sync_100k_s <s> s         a station with 100,000 outcomes waiting:
 *                                   `triage sync --once` work (sync_run_once,
 *                                   default batch_size 500), start to finish
 *   bench sync_vs_copy_ratio <r> x  that time over a plain COPY of the same
 *                                   rows (every outcomes column, the record
 *                                   as jsonb) into a fresh table shaped like
 *                                   triage.outcomes (same columns and primary
 *                                   key), in the same run. Target: at most 3.
 *   bench sync_photos_1k_s <s> s    another station with 1,000 outcomes waiting,
 *                                   each with one 200 KB photo: the same round,
 *                                   photos into triage.photos with their
 *                                   outcomes
 */
#include <cjson/cJSON.h>

#include "sync.h"
#include "sync_fixture.h"

#define N 100000
#define N_PHOTOS 1000
#define PHOTO_BYTES 200000

static const char *const text_cols[] = {
    "station", "epoch", "seq", "plate", "rma", "order_id", "sku", "gtin", "serial",
    "category", "operator", "started_at", "finished_at", "grade", "cosmetic", "functional",
    "completeness", "disposition", "responsibility", "defects", "answers", "rules_version",
    "late", "mismatch", "supersedes", "blind"};
#define NCOLS ((int)(sizeof text_cols / sizeof *text_cols))

/* Append s to the COPY text, escaped (COPY text format: \\ \t \n \r). */
static void put_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '\\': fputs("\\\\", f); break;
        case '\t': fputs("\\t", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        default: fputc(*s, f);
        }
    }
}

/* COPY text of every export line: the outcomes columns, in table order. */
static char *copy_text(const char *ndjson, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    const char *line = ndjson;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        char *rec = strndup(line, n);
        cJSON *o = cJSON_Parse(rec);
        for (int i = 0; i < NCOLS; i++) {
            if (i == 3)
                fputs("SH01\t", f); /* site, after seq */
            cJSON *v = cJSON_GetObjectItemCaseSensitive(o, text_cols[i]);
            if (!v || cJSON_IsNull(v)) {
                fputs("\\N", f);
            } else if (cJSON_IsString(v)) {
                put_escaped(f, v->valuestring);
            } else if (cJSON_IsBool(v)) {
                fputs(cJSON_IsTrue(v) ? "t" : "f", f);
            } else if (cJSON_IsNumber(v)) {
                fprintf(f, "%lld", (long long)v->valuedouble);
            } else {
                char *t = cJSON_PrintUnformatted(v);
                put_escaped(f, t);
                free(t);
            }
            fputc('\t', f);
        }
        put_escaped(f, rec); /* record */
        fputc('\n', f);
        cJSON_Delete(o);
        free(rec);
        line += n + (nl ? 1 : 0);
    }
    fclose(f);
    return buf;
}

int main(void)
{
    log_set_level(LOG_ERROR);
    struct pgc c;
    if (pgc_setup(&c) != 0) {
        fprintf(stderr, "bench_sync: PostgreSQL did not start\n");
        return 1;
    }
    PGconn *admin = pgc_admin(&c);
    if (!admin || pgc_load_schema(admin) != 0 ||
        pgc_add_station(admin, "st_bench", "bench-pw", "SH01-S01", "SH01") != 0)
        return 1;
    const char *dir = harness_tmpdir();
    char db[600], creds[600];
    snprintf(db, sizeof db, "%s/triage.db", dir);
    snprintf(creds, sizeof creds, "%s/pgpass", dir);
    harness_write_file(creds, "bench-pw\n");
    chmod(creds, 0600);
    if (fixture_add_inspections(db, "SH01-S01", N, 1) != 0)
        return 1;

    struct sync_opts cfg = {.batch_size = 500, .interval_s = 60};
    snprintf(cfg.target, sizeof cfg.target, "postgresql://st_bench@127.0.0.1:%d/postgres", c.port);
    snprintf(cfg.credentials, sizeof cfg.credentials, "%.255s", creds);
    snprintf(cfg.sslmode, sizeof cfg.sslmode, "disable"); /* the throwaway cluster has no TLS */
    struct sync_options o = {.db_path = db, .station = "SH01-S01", .site = "SH01",
                             .data_dir = dir, .cfg = &cfg};
    char err[300];
    struct sync_status st;
    int64_t t0 = clock_mono_ns();
    int rc = sync_run_once(&o, &st, err, sizeof err);
    double sync_s = (double)(clock_mono_ns() - t0) / 1e9;
    if (rc != 0 || st.pushed != N) {
        fprintf(stderr, "bench_sync: sync failed: %s (%lld pushed)\n", err, (long long)st.pushed);
        return 1;
    }

    char *exp = fixture_export(db, "SH01-S01");
    size_t len;
    char *text = copy_text(exp, &len);
    free(exp);
    if (pgc_exec(admin, "CREATE TABLE copy_bench (LIKE triage.outcomes INCLUDING DEFAULTS"
                        " INCLUDING CONSTRAINTS INCLUDING INDEXES)") != 0)
        return 1;
    t0 = clock_mono_ns();
    PGresult *r = PQexec(admin, "COPY copy_bench (station, epoch, seq, site, plate, rma,"
                                " order_id, sku, gtin, serial, category, operator, started_at,"
                                " finished_at, grade, cosmetic, functional, completeness,"
                                " disposition, responsibility, defects, answers, rules_version,"
                                " late, mismatch, supersedes, blind, record) FROM STDIN");
    int ok = PQresultStatus(r) == PGRES_COPY_IN;
    PQclear(r);
    for (size_t off = 0; ok && off < len; off += 65536)
        ok = PQputCopyData(admin, text + off, (int)(len - off < 65536 ? len - off : 65536)) == 1;
    ok = ok && PQputCopyEnd(admin, NULL) == 1;
    r = PQgetResult(admin);
    ok = ok && PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    double copy_s = (double)(clock_mono_ns() - t0) / 1e9;
    free(text);
    if (!ok || pgc_value(admin, "SELECT count(*) FROM copy_bench") != N) {
        fprintf(stderr, "bench_sync: COPY failed: %s\n", PQerrorMessage(admin));
        return 1;
    }
    printf("bench sync_100k_s %.2f s\n", sync_s);
    printf("bench sync_vs_copy_ratio %.2f x\n", sync_s / copy_s);
    fflush(stdout);
    fprintf(stderr, "bench_sync: COPY of the same rows %.2f s\n", copy_s);

    /* Outcomes with evidence: a station of their own. */
    char pdir[700], pdb[800];
    snprintf(pdir, sizeof pdir, "%s/photos-station", dir);
    mkdir(pdir, 0700);
    snprintf(pdb, sizeof pdb, "%s/triage.db", pdir);
    if (pgc_add_station(admin, "st_bench2", "bench-pw", "SH01-S02", "SH01") != 0 ||
        fixture_add_inspections_photos(pdb, "SH01-S02", N_PHOTOS, 2, 1, PHOTO_BYTES) != 0)
        return 1;
    snprintf(cfg.target, sizeof cfg.target, "postgresql://st_bench2@127.0.0.1:%d/postgres", c.port);
    struct sync_options po = {
        .db_path = pdb, .station = "SH01-S02", .site = "SH01", .data_dir = pdir, .cfg = &cfg};
    t0 = clock_mono_ns();
    rc = sync_run_once(&po, &st, err, sizeof err);
    double photos_s = (double)(clock_mono_ns() - t0) / 1e9;
    if (rc != 0 || st.pushed != N_PHOTOS || st.photos != N_PHOTOS ||
        pgc_value(admin, "SELECT count(*) FROM triage.photos WHERE station = 'SH01-S02'") !=
            N_PHOTOS) {
        fprintf(stderr, "bench_sync: sync with photos failed: %s (%lld pushed, %lld photos)\n", err,
                (long long)st.pushed, (long long)st.photos);
        return 1;
    }
    PQfinish(admin);
    printf("bench sync_photos_1k_s %.2f s\n", photos_s);
    return 0;
}

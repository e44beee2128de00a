/*
 * test_sync_photos.c — evidence photos through the spool (target
 * spool:DIR), and retention of photos, on real files.
 *
 * Inspections with photos taken through photos_put and saved with
 * store_commit_inspection. The spool holds each photo once, beside its
 * batch (NAME.photos/<plate>-<n>.jpg), with its SHA-256 and size in the
 * batch's header and the same bytes as the station's file — also after a
 * crash between the rename and the bookkeeping, and after `triage sync
 * --once` (the real binary) was killed with SIGKILL in the middle of
 * rounds. A photo changed or removed on the station before its sync stops
 * the round with E738 or E737, and its outcome waits. Retention, run by the
 * station itself ([retention] days), removes the photos of outcomes the
 * spool acknowledged and no other, and the photos taken that nothing names
 * once they are a day old; an outcome sent again after retention goes
 * without the photos it let go of (W727).
 */
#include <dirent.h>
#include <sys/time.h>
#include <time.h>

#include "draft.h"
#include "outbox.h"
#include "retention.h"
#include "sync.h"
#include "sync_fixture.h"

static char tmp[512];

struct station {
    const char *id;
    char dir[600], db[700], conf[700], spool[700];
    struct sync_opts cfg;
    int count;
};

static void station_init(struct station *s, const char *id, int batch)
{
    memset(s, 0, sizeof *s);
    s->id = id;
    snprintf(s->dir, sizeof s->dir, "%s/%s", tmp, id);
    mkdir(s->dir, 0755);
    snprintf(s->db, sizeof s->db, "%s/triage.db", s->dir);
    snprintf(s->spool, sizeof s->spool, "%s/spool-%s", tmp, id);
    snprintf(s->cfg.target, sizeof s->cfg.target, "spool:%.500s", s->spool);
    s->cfg.batch_size = batch;
    s->cfg.interval_s = 60;
    snprintf(s->conf, sizeof s->conf, "%s/%s.conf", tmp, id);
    char text[1600];
    snprintf(text, sizeof text,
             "[station]\nid = %s\nsite = SH01\ncalibration_pct = 0\n[sync]\ntarget = %s\n"
             "batch_size = %d\n[retention]\ndays = 5\n",
             id, s->cfg.target, batch);
    harness_write_file(s->conf, text);
}

static int station_sync(struct station *s, struct sync_status *st, char *err, size_t errlen)
{
    struct sync_options o = {
        .db_path = s->db, .station = s->id, .site = "SH01", .data_dir = s->dir, .cfg = &s->cfg};
    return sync_run_once(&o, st, err, errlen);
}

/* n inspections with `photos` photos of `bytes` bytes each. */
static void add(struct station *s, int n, int photos, size_t bytes)
{
    CHECK(fixture_add_inspections_photos(s->db, s->id, n, s->count + 1, photos, bytes) == 0);
    s->count += n;
}

/* The binary on the station's folder with its configuration. */
static int triage(struct station *s, const char *args, char **out, char **err)
{
    char cmd[2500];
    snprintf(cmd, sizeof cmd, "SDL_VIDEODRIVER= DISPLAY= '%s' --config '%s' --data '%s' %s",
             harness_triage(), s->conf, s->dir, args);
    return harness_sh(cmd, NULL, out, err);
}

/* The bytes of a file and their SHA-256; NULL when it cannot be read. */
static char *file_sha(const char *path, char hex[65], size_t *len)
{
    size_t n = 0;
    char *data = harness_read_file(path, &n);
    if (data)
        sync_sha256_hex(data, n, hex);
    if (len)
        *len = n;
    return data;
}

/* The spool holds each photo the station's export names exactly once: in
 * the photo list of the header of the batch file that holds its outcome,
 * with its SHA-256 and size, as a file beside that batch with the same
 * bytes as the station's; and no other photo file of the station (no
 * second copy, no temporary file). `pruned` photos (removed by retention
 * before a resend) may be missing. Returns how many photos it found. */
static int verify_spool(struct station *s, int pruned)
{
    int want_n;
    struct fixture_photo *want = fixture_photos(s->db, s->id, &want_n);
    CHECK(want_n >= 0);
    int *seen = calloc((size_t)(want_n > 0 ? want_n : 1), sizeof *seen);
    char out[800];
    snprintf(out, sizeof out, "%s/outcomes", s->spool);
    DIR *d = opendir(out);
    CHECK(d != NULL);
    int listed = 0, files = 0, bad = 0, temps = 0;
    size_t plen = strlen(s->id);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (strncmp(de->d_name, s->id, plen) != 0 || de->d_name[plen] != '_')
            continue;
        char path[1200];
        snprintf(path, sizeof path, "%s/%s", out, de->d_name);
        if (len > 7 && strcmp(de->d_name + len - 7, ".photos") == 0) {
            DIR *pd = opendir(path);
            struct dirent *pe;
            while (pd && (pe = readdir(pd))) {
                if (pe->d_name[0] != '.')
                    files++;
                else if (strcmp(pe->d_name, ".") && strcmp(pe->d_name, ".."))
                    temps++;
            }
            if (pd)
                closedir(pd);
            continue;
        }
        char *text = harness_read_file(path, NULL);
        char *nl = text ? strchr(text, '\n') : NULL;
        if (nl)
            *nl = 0;
        cJSON *h = nl ? cJSON_Parse(text) : NULL, *p;
        long long first = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(h, "first_seq"));
        long long last = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(h, "last_seq"));
        cJSON_ArrayForEach(p, cJSON_GetObjectItem(h, "photos"))
        {
            listed++;
            long long seq = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(p, "seq"));
            int n = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(p, "n"));
            const char *file = cJSON_GetStringValue(cJSON_GetObjectItem(p, "file"));
            const char *sha = cJSON_GetStringValue(cJSON_GetObjectItem(p, "sha256"));
            double size = cJSON_GetNumberValue(cJSON_GetObjectItem(p, "size"));
            int k = 0;
            while (k < want_n && (want[k].seq != seq || want[k].n != n))
                k++;
            char fpath[1400], hex[65] = "", mine[65] = "";
            snprintf(fpath, sizeof fpath, "%s/%s", out, file ? file : "");
            size_t flen = 0, mlen = 0;
            char *bytes = file_sha(fpath, hex, &flen);
            char spath[1400];
            snprintf(spath, sizeof spath, "%s/%s", s->dir, k < want_n ? want[k].file : "");
            char *station_bytes = file_sha(spath, mine, &mlen);
            bool ok =
                k < want_n && seq >= first && seq <= last && file && sha && bytes &&
                strcmp(sha, want[k].sha256) == 0 && strcmp(hex, sha) == 0 && (size_t)size == flen &&
                (!station_bytes || (mlen == flen && memcmp(bytes, station_bytes, flen) == 0)) &&
                strncmp(file, de->d_name, len - 7) == 0;
            if (!ok) {
                bad++;
                fprintf(stderr, "bad photo entry seq %lld n %d in %s\n", seq, n, de->d_name);
            } else {
                seen[k]++;
            }
            free(bytes);
            free(station_bytes);
        }
        cJSON_Delete(h);
        free(text);
    }
    if (d)
        closedir(d);
    int once = 0, twice = 0;
    for (int k = 0; k < want_n; k++)
        once += seen[k] == 1, twice += seen[k] > 1;
    printf("# %s: %d photos named, %d listed in headers, %d files beside the batches\n", s->id,
           want_n, listed, files);
    CHECK_INT(bad, 0);
    CHECK_INT(twice, 0);
    CHECK_INT(temps, 0);
    CHECK_INT(files, listed); /* no file the headers do not list */
    CHECK_INT(once, want_n - pruned);
    free(seen);
    free(want);
    return once;
}

/* Outcomes with photos and without, in batches that hold both. */
static void test_plain(struct station *a)
{
    char err[300];
    struct sync_status st;
    add(a, 21, 2, 20000);
    add(a, 7, 0, 0);
    add(a, 10, 1, 30000);
    CHECK_INT(station_sync(a, &st, err, sizeof err), 0);
    CHECK_INT(st.pushed, 38);
    CHECK_INT(st.photos, 52);
    CHECK_INT(verify_spool(a, 0), 52);
    /* A batch without photos (seqs 22..28) has the header it always had,
     * and no photos folder. */
    glob_t g;
    char pattern[1400];
    snprintf(pattern, sizeof pattern, "%s/outcomes/%s_*_000000000022-000000000028.*", a->spool,
             a->id);
    CHECK(glob(pattern, 0, NULL, &g) == 0 && g.gl_pathc == 1);
    char *text = g.gl_pathc == 1 ? harness_read_file(g.gl_pathv[0], NULL) : NULL;
    CHECK(text && strncmp(text, "{\"triage_batch\":1,", 18) == 0 &&
          !strstr(strtok(text, "\n"), "\"photos\""));
    free(text);
    globfree(&g);
    /* Nothing new: nothing written again. */
    CHECK_INT(station_sync(a, &st, err, sizeof err), 0);
    CHECK_INT(st.photos, 0);
}

/* A crash after the rename, before sent_seq moved: the same batch and the
 * same photos again, under the same names. */
static void test_redo_after_rename(struct station *a)
{
    char err[300];
    struct sync_status st;
    add(a, 14, 1, 25000);
    CHECK_INT(station_sync(a, &st, err, sizeof err), 0);
    sqlite3 *h;
    CHECK(sqlite3_open(a->db, &h) == SQLITE_OK);
    char sql[1200];
    snprintf(sql, sizeof sql,
             "UPDATE sync_state SET sent_seq = %d, intent_last = %d WHERE target = '%s'",
             a->count - 14, a->count - 7, a->cfg.target);
    CHECK(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK);
    CHECK(sqlite3_changes(h) == 1);
    sqlite3_close(h);
    CHECK_INT(station_sync(a, &st, err, sizeof err), 0);
    CHECK_INT(st.pushed, 14);
    CHECK_INT(st.photos, 14);
    verify_spool(a, 0);
}

/* `triage sync --once` killed with SIGKILL at random moments of its rounds,
 * more outcomes arriving between; then a round that finishes. */
static void test_killed(struct station *b)
{
    unsigned seed = 77;
    int killed = 0;
    for (int round = 0; round < 5; round++) {
        add(b, 60, 1 + round % 2, 60000);
        killed += fixture_kill_sync(b->conf, b->dir, 20 + (int)(rand_r(&seed) % 150));
    }
    printf("# triage sync --once killed with SIGKILL %d of 5 times\n", killed);
    CHECK(killed > 0);
    char *out = NULL, *errs = NULL;
    int rc = triage(b, "sync --once", &out, &errs);
    CHECK_INT(rc, 0);
    if (rc != 0)
        fprintf(stderr, "%s%s", out ? out : "", errs ? errs : "");
    free(out), free(errs);
    int n;
    free(fixture_photos(b->db, b->id, &n));
    CHECK_INT(verify_spool(b, 0), n);
}

/* Changed or missing on the station: the round stops with the id, the
 * outcome waits (and those after it); once put back, it goes. */
static void test_tampered(struct station *c)
{
    char err[300];
    struct sync_status st;
    add(c, 6, 1, 40000);
    int n;
    struct fixture_photo *ph = fixture_photos(c->db, c->id, &n);
    CHECK_INT(n, 6);
    if (n != 6) {
        free(ph);
        return;
    }
    char path[1400], save[1500];
    snprintf(path, sizeof path, "%s/%s", c->dir, ph[2].file);
    snprintf(save, sizeof save, "%s.kept", path);
    CHECK_INT(fixture_tamper_photo(path), 0);
    CHECK_INT(station_sync(c, &st, err, sizeof err), -1);
    printf("# a photo changed on the station: %s\n", err);
    CHECK(strncmp(err, "E738:", 5) == 0 && strstr(err, ph[2].file));
    CHECK_INT(st.pushed, 2); /* batch_size 1: seqs 1 and 2 went, 3 waits */
    struct store *s;
    CHECK_INT(store_open(c->db, c->id, &s, err, sizeof err), 0);
    struct outbox_progress p;
    CHECK_INT(outbox_progress(s, c->cfg.target, &p, err, sizeof err), 0);
    CHECK_INT(p.sent_seq, 2);
    store_close(s);
    /* Missing altogether: E737. */
    CHECK(unlink(path) == 0);
    CHECK_INT(station_sync(c, &st, err, sizeof err), -1);
    printf("# a photo missing on the station: %s\n", err);
    CHECK(strncmp(err, "E737:", 5) == 0 && strstr(err, ph[2].file));
    CHECK_INT(st.pushed, 0);
    /* `triage sync --once` says so and exits 1. */
    char *out = NULL, *errs = NULL;
    CHECK_INT(triage(c, "sync --once", &out, &errs), 1);
    CHECK(errs && strstr(errs, "E737"));
    free(out), free(errs);
    /* Put back: the rest goes, each photo once. */
    CHECK(rename(save, path) == 0);
    CHECK_INT(station_sync(c, &st, err, sizeof err), 0);
    CHECK_INT(st.pushed, 4);
    CHECK_INT(verify_spool(c, 0), 6);
    free(ph);
}

/* A file's modification time, days ago. */
static void age(const char *path, int days)
{
    struct timeval tv[2];
    gettimeofday(&tv[0], NULL);
    tv[0].tv_sec -= (time_t)days * 86400;
    tv[1] = tv[0];
    CHECK(utimes(path, tv) == 0);
}

/* Retention run by the station: [retention] days = 5, outcomes of the
 * fixture's November (weeks old). */
static void test_retention(struct station *r)
{
    char err[300];
    struct sync_status st;
    add(r, 8, 2, 10000);
    CHECK_INT(station_sync(r, &st, err, sizeof err), 0);
    add(r, 3, 1, 10000); /* not at head office: kept whatever their age */
    /* Takes: one retaken (named by nothing, two days old), one of a
     * grader's unfinished inspection (its draft names it, as old), one
     * named by nothing but taken just now. */
    struct store *s;
    CHECK_INT(store_open(r->db, r->id, &s, err, sizeof err), 0);
    unsigned seed = 5;
    unsigned char *jpeg = fixture_jpeg(5000, &seed);
    struct photo_ref orphan, drafted, fresh;
    CHECK_INT(photos_put(s, jpeg, 5000, "screen", 0, &orphan, err, sizeof err), 0);
    CHECK_INT(photos_put(s, jpeg, 5000, "screen", 0, &drafted, err, sizeof err), 0);
    CHECK_INT(photos_put(s, jpeg, 5000, "screen", 0, &fresh, err, sizeof err), 0);
    free(jpeg);
    struct draft *dr = calloc(1, sizeof *dr);
    snprintf(dr->insp.rma, sizeof dr->insp.rma, "RMA-DRAFT");
    snprintf(dr->insp.operator_badge, sizeof dr->insp.operator_badge, "1001");
    dr->insp.nanswers = 1;
    snprintf(dr->insp.answers[0].check, sizeof dr->insp.answers[0].check, "screen");
    snprintf(dr->insp.answers[0].answer, sizeof dr->insp.answers[0].answer, "ok");
    dr->insp.photos[0] = drafted;
    dr->insp.nphotos = 1;
    CHECK_INT(store_put_draft(s, "1001", dr, err, sizeof err), 0);
    free(dr);
    store_close(s);
    char p_orphan[1200], p_drafted[1200], p_fresh[1200];
    snprintf(p_orphan, sizeof p_orphan, "%s/%s", r->dir, orphan.file);
    snprintf(p_drafted, sizeof p_drafted, "%s/%s", r->dir, drafted.file);
    snprintf(p_fresh, sizeof p_fresh, "%s/%s", r->dir, fresh.file);
    age(p_orphan, 2);
    age(p_drafted, 2);

    int n;
    struct fixture_photo *ph = fixture_photos(r->db, r->id, &n);
    CHECK_INT(n, 19);
    /* The station runs with its spool out of reach (a file where the folder
     * should be), so that its own sync worker acknowledges nothing more
     * meanwhile. */
    char aside[800], script[800];
    snprintf(aside, sizeof aside, "%s.aside", r->spool);
    CHECK(rename(r->spool, aside) == 0 && harness_write_file(r->spool, "not a folder\n"));
    snprintf(script, sizeof script, "%s/quit.script", tmp);
    harness_write_file(script, "quit\n");
    char args[900];
    snprintf(args, sizeof args, "--script '%s'", script);
    char *out = NULL, *errs = NULL;
    CHECK_INT(triage(r, args, &out, &errs), 0);
    CHECK(unlink(r->spool) == 0 && rename(aside, r->spool) == 0);
    printf("# retention: %s", errs && strstr(errs, "I947") ? strstr(errs, "I947") : "(no I947)\n");
    CHECK(errs && strstr(errs, "16 photos older than 5 days"));
    free(out), free(errs);
    int kept = 0, gone = 0;
    for (int k = 0; k < n; k++) {
        char path[1200];
        snprintf(path, sizeof path, "%s/%s", r->dir, ph[k].file);
        bool there = access(path, F_OK) == 0;
        if (ph[k].seq <= 8)
            gone += !there;
        else
            kept += there;
    }
    CHECK_INT(gone, 16); /* acknowledged and old: removed */
    CHECK_INT(kept, 3);  /* not acknowledged: every one kept */
    CHECK(access(p_orphan, F_OK) != 0);
    CHECK(access(p_drafted, F_OK) == 0);
    CHECK(access(p_fresh, F_OK) == 0);

    /* Head office asks for everything again (its copy lost): the records
     * go, with the photos still on the station; those retention let go of
     * are missing on purpose (W727), not lost. */
    CHECK_INT(store_open(r->db, r->id, &s, err, sizeof err), 0);
    CHECK_INT(outbox_mark_sent(s, r->cfg.target, 0, 0, err, sizeof err), 0);
    CHECK_INT(retention_photos_gone(s), 8);
    store_close(s);
    char cmd[1500];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/outcomes'", r->spool);
    CHECK_INT(system(cmd), 0);
    CHECK_INT(station_sync(r, &st, err, sizeof err), 0);
    CHECK_INT(st.pushed, 11);
    CHECK_INT(st.photos, 3);
    CHECK_INT(verify_spool(r, 16), 3);
    free(ph);
}

int main(void)
{
    log_set_level(LOG_ERROR);
    snprintf(tmp, sizeof tmp, "%s", harness_tmpdir());
    struct station a, b, c, r;
    station_init(&a, "SH01-S01", 7);
    station_init(&b, "SH01-S02", 8);
    station_init(&c, "SH01-S03", 1);
    station_init(&r, "SH01-S04", 4);
    test_plain(&a);
    test_redo_after_rename(&a);
    test_killed(&b);
    test_tampered(&c);
    test_retention(&r);
    return harness_done();
}

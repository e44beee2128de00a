/*
 * test_photos.c — evidence photos in the store (app/store/photos.h): a photo
 * is on disk for good when photos_put returns (its SHA-256 that of its
 * bytes); a save names it photos/<plate>-<n>.jpg before its COMMIT, the
 * record and the row say so, the take name goes; a save that fails leaves
 * the inspection's names as they were and a retry works; what is not a
 * JPEG, a file changed since it was taken, a photo of a check not answered
 * and a name outside photos/ are refused with their ids. A real SQLite file
 * in a temporary data folder.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_file.h"
#include "harness.h"
#include "photos.h"
#include "store.h"

static char dir[512], db[600];

/* A small JPEG-shaped byte string: SOI, some bytes, EOI. */
static size_t jpeg_bytes(unsigned char *out, size_t n, unsigned char fill)
{
    memset(out, fill, n);
    out[0] = 0xFF, out[1] = 0xD8, out[n - 2] = 0xFF, out[n - 1] = 0xD9;
    return n;
}

static bool exists(const char *rel)
{
    char path[1200];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    return stat(path, &sb) == 0;
}

static void base_inspection(struct inspection *in)
{
    memset(in, 0, sizeof *in);
    snprintf(in->rma, sizeof in->rma, "RMA-1");
    snprintf(in->sku, sizeof in->sku, "PH-1");
    snprintf(in->category, sizeof in->category, "phone");
    snprintf(in->operator_badge, sizeof in->operator_badge, "1001");
    in->started_at = 1764000000000;
    in->finished_at = in->started_at + 60000;
    in->grade = GRADE_A;
    in->nanswers = 2;
    snprintf(in->answers[0].check, sizeof in->answers[0].check, "carton");
    snprintf(in->answers[0].answer, sizeof in->answers[0].answer, "crushed");
    snprintf(in->answers[1].check, sizeof in->answers[1].check, "screen");
    snprintf(in->answers[1].answer, sizeof in->answers[1].answer, "light");
}

static void test_put(struct store *st)
{
    char err[256];
    unsigned char buf[4096];
    struct photo_ref p;
    size_t n = jpeg_bytes(buf, sizeof buf, 0x42);
    CHECK_INT(photos_put(st, buf, n, "carton", 0, &p, err, sizeof err), 0);
    CHECK(strncmp(p.file, "photos/take-", 12) == 0);
    CHECK(exists(p.file));
    char hex[65];
    photos_sha256_hex(buf, n, hex);
    CHECK_STR(p.sha256, hex);
    CHECK_STR(p.check, "carton");
    CHECK(photos_ref_valid(&p));
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, p.file);
    size_t len = 0;
    char *back = harness_read_file(path, &len);
    CHECK(back && len == n && memcmp(back, buf, n) == 0);
    free(back);
    /* Two takes never share a name. */
    struct photo_ref q;
    CHECK_INT(photos_put(st, buf, n, "carton", 0, &q, err, sizeof err), 0);
    CHECK(strcmp(p.file, q.file) != 0);

    /* Not a JPEG: refused, nothing written. */
    memcpy(buf, "\x89PNG", 4);
    CHECK_INT(photos_put(st, buf, n, "carton", 0, &q, err, sizeof err), -1);
    CHECK(strncmp(err, "E966", 4) == 0);
    CHECK_STR(q.file, "");
    CHECK_INT(photos_put(st, buf, 1, "carton", 0, &q, err, sizeof err), -1);
    jpeg_bytes(buf, sizeof buf, 0x42);
    CHECK_INT(photos_put(st, buf, n, "", 0, &q, err, sizeof err), -1);
    CHECK(strncmp(err, "E967", 4) == 0);

    /* The disk nearly full: photos give way first (a floor no disk has). */
    CHECK_INT(photos_put(st, buf, n, "carton", 1 << 30, &q, err, sizeof err), -1);
    CHECK(strncmp(err, "E979", 4) == 0);
    CHECK_STR(q.file, "");
    CHECK_INT(photos_put(st, buf, n, "carton", 1, &q, err, sizeof err), 0);

    /* Names outside photos/ are not the station's. */
    struct photo_ref bad = p;
    snprintf(bad.file, sizeof bad.file, "photos/../triage.db");
    CHECK(!photos_ref_valid(&bad));
    snprintf(bad.file, sizeof bad.file, "labels/x.jpg");
    CHECK(!photos_ref_valid(&bad));
    bad = p;
    bad.sha256[3] = 'G';
    CHECK(!photos_ref_valid(&bad));
}

static void test_commit(struct store *st)
{
    char err[256];
    unsigned char a[3000], b[5000];
    struct inspection in;
    base_inspection(&in);
    in.nphotos = 2;
    CHECK_INT(
        photos_put(st, a, jpeg_bytes(a, sizeof a, 1), "carton", 0, &in.photos[0], err, sizeof err),
        0);
    CHECK_INT(
        photos_put(st, b, jpeg_bytes(b, sizeof b, 2), "screen", 0, &in.photos[1], err, sizeof err),
        0);
    struct photo_ref takes[2] = {in.photos[0], in.photos[1]};
    if (!CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), 0))
        fprintf(stderr, "  %s\n", err);
    char want[80];
    snprintf(want, sizeof want, "photos/%s-1.jpg", in.plate);
    CHECK_STR(in.photos[0].file, want);
    CHECK(exists(want));
    snprintf(want, sizeof want, "photos/%s-2.jpg", in.plate);
    CHECK_STR(in.photos[1].file, want);
    CHECK(exists(want));
    CHECK(!exists(takes[0].file) && !exists(takes[1].file));
    CHECK_STR(in.photos[1].sha256, takes[1].sha256);

    /* The record (and so the outbox and the export) and the row say so. */
    char *rec = db_file_text(db, "SELECT record FROM inspections WHERE seq = 1");
    cJSON *o = rec ? cJSON_Parse(rec) : NULL;
    cJSON *photos = cJSON_GetObjectItemCaseSensitive(o, "photos");
    CHECK_INT(cJSON_GetArraySize(photos), 2);
    cJSON *first = cJSON_GetArrayItem(photos, 0);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(first, "check")), "carton");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(first, "file")),
              in.photos[0].file);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(first, "sha256")),
              takes[0].sha256);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(o, "photos_waived")), 0);
    cJSON_Delete(o);
    char *out = db_file_text(db, "SELECT payload FROM outbox WHERE seq = 1");
    CHECK(rec && out && strcmp(rec, out) == 0);
    free(rec);
    free(out);
    struct inspection back;
    CHECK_INT(store_find_inspection(st, in.plate, &back), 0);
    CHECK_INT(back.nphotos, 2);
    CHECK_STR(back.photos[1].file, in.photos[1].file);
    CHECK_STR(back.photos[1].sha256, in.photos[1].sha256);
}

static void test_refused(struct store *st)
{
    char err[256];
    unsigned char a[2000];
    struct inspection in;

    /* A photo of a check that was not answered. */
    base_inspection(&in);
    in.nphotos = 1;
    CHECK_INT(
        photos_put(st, a, jpeg_bytes(a, sizeof a, 3), "power", 0, &in.photos[0], err, sizeof err),
        0);
    CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), -1);
    CHECK(strncmp(err, "E978", 4) == 0);
    /* A waiver names who. */
    base_inspection(&in);
    in.nwaived = 1;
    snprintf(in.waived[0].check, sizeof in.waived[0].check, "carton");
    snprintf(in.waived[0].by, sizeof in.waived[0].by, "2001");
    CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), 0);
    struct inspection back;
    CHECK_INT(store_find_inspection(st, in.plate, &back), 0);
    CHECK_INT(back.nwaived, 1);
    CHECK_STR(back.waived[0].by, "2001");

    /* The file changed after it was taken: the save fails, the inspection
     * keeps its take names, and nothing is saved. */
    base_inspection(&in);
    in.nphotos = 1;
    CHECK_INT(
        photos_put(st, a, jpeg_bytes(a, sizeof a, 4), "carton", 0, &in.photos[0], err, sizeof err),
        0);
    struct photo_ref take = in.photos[0];
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, take.file);
    CHECK(harness_write_file(path, "\xff\xd8 not the picture \xff\xd9"));
    int64_t before = store_count_inspections(st);
    CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), -1);
    CHECK(strncmp(err, "E973", 4) == 0);
    CHECK_STR(in.photos[0].file, take.file);
    CHECK_STR(in.plate, "");
    CHECK_INT(store_count_inspections(st), before);
    /* Put right (the photo taken again), the same inspection saves. */
    CHECK_INT(
        photos_put(st, a, jpeg_bytes(a, sizeof a, 5), "carton", 0, &in.photos[0], err, sizeof err),
        0);
    CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), 0);
    CHECK_INT(store_count_inspections(st), before + 1);
    char want[80];
    snprintf(want, sizeof want, "photos/%s-1.jpg", in.plate);
    CHECK_STR(in.photos[0].file, want);
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s", harness_tmpdir());
    snprintf(db, sizeof db, "%s/triage.db", dir);
    struct store *st = NULL;
    char err[256];
    if (!CHECK_INT(store_open(db, "SH01-S01", &st, err, sizeof err), 0)) {
        fprintf(stderr, "%s\n", err);
        return harness_done();
    }
    CHECK_STR(photos_data_dir(st), dir);
    test_put(st);
    test_commit(st);
    test_refused(st);
    store_close(st);
    return harness_done();
}

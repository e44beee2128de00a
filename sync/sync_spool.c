/*
 * sync_spool.c — the spool transport: target "spool:DIR", no server needed.
 *
 * Outcomes: one file per batch, DIR/outcomes/STATION_EPOCH_FIRST-LAST.ndjson
 * (seqs zero-padded to 12 digits, so names sort in seq order). Line 1 is the
 * batch header, a JSON object:
 *   {"triage_batch":1,"station":"SH01-S03","epoch":"…","first_seq":1,
 *    "last_seq":500,"count":500,"timezone":"Asia/Shanghai","sha256":"<hex>"}
 * (timezone: the station's [station] timezone when it wrote the file, left
 * out when none is configured; whatever loads the batch into head office
 * tells it with set_station_timezone, as a PostgreSQL station does at each
 * connection) and each further line is one export record, in seq order. sha256 covers
 * every byte after the header line (the records, each ending in "\n").
 * Files appear atomically (atomic_file.h): written to
 * DIR/outcomes/.tmp-NAME.XXXXXX, fsync'ed, renamed, then the folder is
 * fsync'ed; a reader never sees half a file.
 * Whatever picks files up may move them away; the same range is written
 * again only when the station crashed before it recorded the rename (then
 * with the same name and the same records).
 *
 * Photos: the photos a batch's records name go beside it, into
 * DIR/outcomes/STATION_EPOCH_FIRST-LAST.photos/<plate>-<n>.jpg, each
 * checked against its record, written atomically and synced before the
 * batch file is renamed into place; the header then ends with their list,
 * "photos":[{"seq","n","check","file","sha256","size"}] (file relative to
 * DIR/outcomes). A batch written again writes the same names and bytes.
 *
 * The audit chain (audit.h) goes the same way, into DIR/audit/: files
 * STATION_EPOCH_FIRST-LAST.ndjson of audit rows (ids zero-padded to 12
 * digits), whose header is {"triage_audit":1,"station":…,"epoch":…,
 * "first_id":…,"last_id":…,"count":…,"sha256":…} and whose lines are the
 * rows as JSON objects {id, at, actor, authorised_by, event, subject,
 * detail, hash}.
 *
 * Manifests: CSV files (manifest.h format) dropped into DIR/inbox as NAME.csv, read
 * in name order. Bad rows are rejected with their id and line, the rest are
 * applied in one transaction; then the file moves to DIR/inbox/done/ (with
 * NAME.rejected.txt listing the rejected rows, if any). A file that cannot
 * be read as CSV at all moves to DIR/inbox/rejected/ with NAME.error.txt.
 * Drop files by writing elsewhere and renaming into inbox/, so that a half-
 * written file is never read.
 */
#include <ctype.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "buf.h"
#include "log.h"
#include "manifest.h"
#include "sync.h"
#include "text.h"

struct spool {
    char dir[512];
    char out[600], audit[600], inbox[600], done[640], rejected[640];
    char station[40];
    char timezone[64]; /* said in each outcomes batch's header; "" = not said */
    struct buf photo; /* the photo being copied */
};

/* An IANA zone name as the header can hold it unescaped ("Asia/Shanghai",
 * "Etc/GMT+8", "America/Port-au-Prince"). */
static bool zone_name_ok(const char *z)
{
    if (!z || !z[0] || strlen(z) >= 64)
        return false;
    for (const char *p = z; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("/_+-", *p))
            return false;
    return true;
}

static int mkdir_p(const char *path)
{
    char buf[700];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = 0;
            if (mkdir(buf, 0755) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    return mkdir(buf, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

/* Remove temporary files whose names start with `prefix` left in dir by a
 * process that died (the caller holds the station's sync lock, so none is
 * being written). */
static void remove_stale_temps(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strncmp(de->d_name, prefix, strlen(prefix)) == 0) {
            char path[1000];
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            if (unlink(path) == 0)
                log_warn("W720", "removed an unfinished batch file %s", path);
        }
    }
    closedir(d);
}

static int spool_open(const struct sync_options *opt, const char *target, void **state, char *err,
                      size_t errlen)
{
    struct spool *sp = calloc(1, sizeof *sp);
    if (!sp) {
        set_err(err, errlen, "E710: out of memory");
        return -1;
    }
    snprintf(sp->dir, sizeof sp->dir, "%s", target + 6);
    snprintf(sp->out, sizeof sp->out, "%s/outcomes", sp->dir);
    snprintf(sp->audit, sizeof sp->audit, "%s/audit", sp->dir);
    snprintf(sp->inbox, sizeof sp->inbox, "%s/inbox", sp->dir);
    snprintf(sp->done, sizeof sp->done, "%s/done", sp->inbox);
    snprintf(sp->rejected, sizeof sp->rejected, "%s/rejected", sp->inbox);
    snprintf(sp->station, sizeof sp->station, "%s", opt->station ? opt->station : "");
    if (zone_name_ok(opt->timezone))
        snprintf(sp->timezone, sizeof sp->timezone, "%s", opt->timezone);
    const char *dirs[] = {sp->out, sp->audit, sp->done, sp->rejected};
    for (int i = 0; i < 4; i++)
        if (mkdir_p(dirs[i]) != 0) {
            set_err(err, errlen, "E720: cannot create the spool folder %s: %s", dirs[i],
                    strerror(errno));
            free(sp);
            return -1;
        }
    char prefix[64];
    snprintf(prefix, sizeof prefix, ".tmp-%s_", sp->station);
    remove_stale_temps(sp->out, prefix);
    remove_stale_temps(sp->audit, prefix);
    *state = sp;
    return 0;
}

static int spool_watermark(void *state, const char *station, const char *epoch, int64_t *wm,
                           char *err, size_t errlen)
{
    (void)state, (void)station, (void)epoch, (void)err, (void)errlen;
    *wm = -1;
    return 1; /* the spool keeps no watermark: the station's own counts */
}

/* The spool's ids for the steps of writing a batch file. */
static const struct atomic_file_ids batch_ids = {{
    [ATOMIC_FILE_CREATE] = "E721",
    [ATOMIC_FILE_WRITE] = "E721",
    [ATOMIC_FILE_SYNC] = "E721",
    [ATOMIC_FILE_CLOSE] = "E721",
    [ATOMIC_FILE_RENAME] = "E722",
    [ATOMIC_FILE_SYNC_DIR] = "E722",
}};

/* Write batch b into dir as one file named base + ".ndjson", its header
 * naming it `kind` ("triage_batch" with first_seq/last_seq, or
 * "triage_audit" with first_id/last_id), when zone is not "" the station's
 * time zone, and ending with `extra` (members of its own, from ",", or ""). */
static int write_batch(const char *dir, const char *base, const char *kind, const char *range,
                       const char *zone, const char *extra, const struct sync_batch *b,
                       struct sync_push_result *res, char *err, size_t errlen)
{
    char path[900];
    snprintf(path, sizeof path, "%s/%s.ndjson", dir, base);

    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    for (int i = 0; i < b->count; i++) {
        crypto_hash_sha256_update(&h, (const unsigned char *)b->records[i], b->lens[i]);
        crypto_hash_sha256_update(&h, (const unsigned char *)"\n", 1);
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, digest);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    char tz[96] = "";
    if (zone[0])
        snprintf(tz, sizeof tz, "\"timezone\":\"%s\",", zone);
    struct buf header = {0};
    buf_printf(&header,
               "{\"%s\":1,\"station\":\"%s\",\"epoch\":\"%s\",\"first_%s\":%lld,"
               "\"last_%s\":%lld,\"count\":%d,%s\"sha256\":\"%s\"%s}\n",
               kind, b->station, b->epoch, range, (long long)b->first, range, (long long)b->last,
               b->count, tz, hex, extra);
    if (header.oom) {
        buf_free(&header);
        set_err(err, errlen, "E710: out of memory");
        return -1;
    }

    struct atomic_file *f;
    if (atomic_file_open(path, &batch_ids, &f, err, errlen) != 0) {
        buf_free(&header);
        return -1;
    }
    int rc = atomic_file_write(f, header.data, header.len, err, errlen);
    buf_free(&header);
    for (int i = 0; rc == 0 && i < b->count; i++) {
        rc = atomic_file_write(f, b->records[i], b->lens[i], err, errlen);
        if (rc == 0)
            rc = atomic_file_write(f, "\n", 1, err, errlen);
    }
    if (rc != 0) {
        atomic_file_abort(f);
        return -1;
    }
    if (atomic_file_commit(f, err, errlen) != 0)
        return -1;
    res->inserted = b->count;
    res->duplicates = res->conflicts = res->broken = 0;
    res->watermark = -1;
    return 0;
}

/* The batch's name without ".ndjson": STATION_EPOCH_FIRST-LAST. */
static void batch_base(const struct sync_batch *b, char *out, size_t len)
{
    snprintf(out, len, "%s_%s_%012lld-%012lld", b->station, b->epoch, (long long)b->first,
             (long long)b->last);
}

/* One photo's entry in the batch header. */
static bool list_photo(cJSON *list, const struct sync_photo *p, const char *file, size_t size,
                       const char *sha256)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(list, o)) {
        cJSON_Delete(o);
        return false;
    }
    return cJSON_AddNumberToObject(o, "seq", (double)p->seq) &&
           cJSON_AddNumberToObject(o, "n", p->n) && cJSON_AddStringToObject(o, "check", p->check) &&
           cJSON_AddStringToObject(o, "file", file) &&
           cJSON_AddStringToObject(o, "sha256", sha256) &&
           cJSON_AddNumberToObject(o, "size", (double)size);
}

/* The photos of batch b beside its file, before the file itself: each one
 * checked against its record, then written atomically as
 * DIR/outcomes/BASE.photos/<plate>-<n>.jpg (the folder made, and synced
 * into its parent, first); a resend writes the same names with the same
 * bytes. Their list for the header into *extra (",\"photos\":[…]"; "" for
 * a batch without photos), malloc'd. */
static int write_photos(struct spool *sp, const struct sync_batch *b, const char *base,
                        char **extra, int64_t *sent, char *err, size_t errlen)
{
    *extra = NULL;
    *sent = 0;
    if (b->nphotos == 0) {
        *extra = strdup("");
        if (!*extra)
            set_err(err, errlen, "E710: out of memory");
        return *extra ? 0 : -1;
    }
    char dir[900];
    snprintf(dir, sizeof dir, "%s/%s.photos", sp->out, base);
    cJSON *list = cJSON_CreateArray();
    bool made = false;
    int rc = list ? 0 : -1;
    if (!list)
        set_err(err, errlen, "E710: out of memory");
    for (int i = 0; rc == 0 && i < b->nphotos; i++) {
        const struct sync_photo *p = &b->photos[i];
        int got = sync_photo_load(b->data_dir, p, &sp->photo, err, errlen);
        if (got < 0) {
            rc = -1;
            break;
        }
        if (got == 1)
            continue; /* removed by retention (W727): listed nowhere */
        if (!made) {
            if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
                set_err(err, errlen, "E721: cannot make the photos folder %s: %s", dir,
                        strerror(errno));
                rc = -1;
                break;
            }
            remove_stale_temps(dir, ".tmp-");
            if (atomic_file_sync_dir(sp->out) != 0) {
                set_err(err, errlen, "E722: cannot sync the folder %s: %s", sp->out,
                        strerror(errno));
                rc = -1;
                break;
            }
            made = true;
        }
        const char *name = strrchr(p->file, '/') + 1; /* photos/<name>, checked */
        char path[1200], file[400];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        snprintf(file, sizeof file, "%s.photos/%s", base, name);
        if (atomic_file_put(path, sp->photo.data, sp->photo.len, &batch_ids, err, errlen) != 0) {
            rc = -1;
            break;
        }
        if (!list_photo(list, p, file, sp->photo.len, p->sha256)) {
            set_err(err, errlen, "E710: out of memory");
            rc = -1;
            break;
        }
        (*sent)++;
    }
    char *text = rc == 0 ? cJSON_PrintUnformatted(list) : NULL;
    cJSON_Delete(list);
    if (rc == 0 && !text) {
        set_err(err, errlen, "E710: out of memory");
        rc = -1;
    }
    if (rc == 0 && asprintf(extra, ",\"photos\":%s", text) < 0) {
        *extra = NULL;
        set_err(err, errlen, "E710: out of memory");
        rc = -1;
    }
    free(text);
    return rc;
}

static int spool_push(void *state, const struct sync_batch *b, struct sync_push_result *res,
                      char *err, size_t errlen)
{
    struct spool *sp = state;
    char base[200], *extra;
    int64_t photos;
    batch_base(b, base, sizeof base);
    if (write_photos(sp, b, base, &extra, &photos, err, errlen) != 0)
        return -1;
    int rc = write_batch(sp->out, base, "triage_batch", "seq", sp->timezone, extra, b, res, err, errlen);
    free(extra);
    if (rc == 0)
        res->photos = photos;
    return rc;
}

static int spool_push_audit(void *state, const struct sync_batch *b, struct sync_push_result *res,
                            char *err, size_t errlen)
{
    struct spool *sp = state;
    char base[200];
    batch_base(b, base, sizeof base);
    return write_batch(sp->audit, base, "triage_audit", "id", "", "", b, res, err, errlen);
}

/* ---- manifests from the inbox ------------------------------------------------ */

struct inbox_file {
    const struct sync_manifest_cb *cb;
    const char *name;
    FILE *report; /* NAME.rejected.txt, opened at the first rejected row */
    char report_path[1400];
    int rejected;
    const struct manifest_file *file; /* the rows read, once read */
};

/* A row listed in NAME.rejected.txt. */
static void report_line(struct inbox_file *f, long line, const char *msg)
{
    if (!f->report)
        f->report = fopen(f->report_path, "w");
    if (f->report)
        fprintf(f->report, "line %ld: %s\n", line, msg);
    f->rejected++;
}

static void on_reject(void *arg, long line, const char *msg)
{
    struct inbox_file *f = arg;
    char where[400];
    snprintf(where, sizeof where, "%s:%ld", f->name, line);
    f->cb->reject(f->cb->arg, where, msg);
    report_line(f, line, msg);
}

/* A row not applied, its RMA already graded (the round has logged it). */
static void on_kept(void *arg, int index, const char *msg)
{
    struct inbox_file *f = arg;
    if (index >= 0 && index < f->file->nrows)
        report_line(f, f->file->lines[index], msg);
}

/* Move `name` from the inbox into `dir`, not overwriting an earlier one. */
static int move_aside(struct spool *sp, const char *dir, const char *name, char *dst, size_t dstlen)
{
    char src[1024];
    snprintf(src, sizeof src, "%s/%s", sp->inbox, name);
    snprintf(dst, dstlen, "%s/%s", dir, name);
    for (int i = 1; access(dst, F_OK) == 0 && i < 1000; i++)
        snprintf(dst, dstlen, "%s/%s.%d", dir, name, i);
    if (rename(src, dst) != 0)
        return -1;
    atomic_file_sync_dir(dir);
    atomic_file_sync_dir(sp->inbox);
    return 0;
}

static int is_csv(const struct dirent *de)
{
    size_t n = strlen(de->d_name);
    return de->d_name[0] != '.' && n > 4 && strcmp(de->d_name + n - 4, ".csv") == 0;
}

static int spool_pull(void *state, const char *station, char *since, size_t sincelen,
                      const struct sync_manifest_cb *cb,
                      int (*apply)(void *arg, void (*kept)(void *karg, int index, const char *msg),
                                   void *karg),
                      char *err, size_t errlen)
{
    struct spool *sp = state;
    (void)station, (void)since, (void)sincelen;
    struct dirent **list = NULL;
    int n = scandir(sp->inbox, &list, is_csv, alphasort);
    if (n < 0) {
        set_err(err, errlen, "E724: cannot read %s: %s", sp->inbox, strerror(errno));
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        char path[1024], dst[1400], perr[400];
        snprintf(path, sizeof path, "%s/%s", sp->inbox, name);
        struct inbox_file f = {.cb = cb, .name = name};
        snprintf(f.report_path, sizeof f.report_path, "%s/%s.rejected.txt", sp->done, name);
        struct manifest_file file;
        if (manifest_read(path, &file, on_reject, &f, perr, sizeof perr) != 0) {
            if (f.report)
                fclose(f.report), unlink(f.report_path);
            if (move_aside(sp, sp->rejected, name, dst, sizeof dst) == 0) {
                char epath[1500];
                snprintf(epath, sizeof epath, "%s.error.txt", dst);
                FILE *ef = fopen(epath, "w");
                if (ef)
                    fprintf(ef, "%s\n", perr), fclose(ef);
            }
            log_error("E723", "manifest file rejected, moved to %s: %s", sp->rejected, perr);
            cb->reject(cb->arg, name, perr);
            continue;
        }
        for (int r = 0; r < file.nrows; r++) {
            struct manifest_row *m = &file.rows[r];
            const char *fields[MANIFEST_FIELDS];
            char quantity[16];
            snprintf(quantity, sizeof quantity, "%d", m->quantity);
            for (int c = 0; c < MANIFEST_FIELDS; c++) {
                size_t size;
                /* A column the file lacks is not given: the station keeps its own. */
                fields[c] = !(file.columns & (1u << c)) ? NULL
                            : c == MF_QUANTITY
                                ? quantity
                                : manifest_field_at(m, (enum manifest_field)c, &size);
            }
            char where[400];
            snprintf(where, sizeof where, "%s:%ld", name, file.lines[r]);
            cb->row(cb->arg, fields, where);
        }
        f.file = &file;
        int applied = apply(cb->arg, on_kept, &f);
        manifest_file_free(&file);
        if (f.report)
            fclose(f.report);
        if (applied != 0) {
            set_err(err, errlen, "E708: the manifest %s could not be stored; kept in the inbox",
                    name);
            rc = -1;
            break;
        }
        if (move_aside(sp, sp->done, name, dst, sizeof dst) != 0) {
            set_err(err, errlen, "E724: %s applied but not moved to %s: %s", name, sp->done,
                    strerror(errno));
            rc = -1;
            break;
        }
        log_info("I721", "manifest %s applied (%d rows rejected)", name, f.rejected);
    }
    for (int i = 0; i < n; i++)
        free(list[i]);
    free(list);
    return rc;
}

static void spool_close(void *state)
{
    struct spool *sp = state;
    if (sp)
        buf_free(&sp->photo);
    free(sp);
}

const struct sync_transport sync_spool_transport = {
    .name = "spool",
    .open = spool_open,
    .watermark = spool_watermark,
    .push = spool_push,
    .audit_watermark = spool_watermark,
    .push_audit = spool_push_audit,
    .pull = spool_pull,
    .close = spool_close,
};

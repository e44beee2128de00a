/*
 * sync_photos.c — the evidence photos that go with a batch of outcomes
 * (sync.h): which photos its records name, and each one's bytes, read from
 * the station's data folder and checked against the record before a
 * transport sends them.
 *
 * A record names its photos in "photos": [{"check", "file", "sha256"}]
 * (docs/export.md), the files "photos/<plate>-<n>.jpg" of the data folder.
 * The record is what the audit chain covers, so its SHA-256 is the judge: a
 * photo whose bytes differ was changed after it was saved, and is never
 * sent as the evidence (E738); a photo that is missing stops the round too
 * (E737), unless retention removed it on purpose (W727).
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "photos.h"
#include "sync.h"
#include "text.h"

/* The records' own spelling of a list of photos that is not empty (the
 * export writes no spaces). */
#define PHOTOS_KEY "\"photos\":[{"

/* Append the photos of one record (seq) to *list. 0, or -1 with err set. */
static int record_photos(const char *rec, int64_t seq, struct sync_photo **list, int *n, int *cap,
                         char *err, size_t errlen)
{
    cJSON *o = cJSON_Parse(rec);
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "photos"), *item;
    int k = 0, rc = 0;
    cJSON_ArrayForEach(item, a)
    {
        k++;
        if (*n == *cap) {
            int ncap = *cap ? *cap * 2 : 64;
            struct sync_photo *grown = realloc(*list, (size_t)ncap * sizeof *grown);
            if (!grown) {
                set_err(err, errlen, "E710: out of memory");
                rc = -1;
                break;
            }
            *list = grown, *cap = ncap;
        }
        struct sync_photo *p = &(*list)[*n];
        memset(p, 0, sizeof *p);
        p->seq = seq;
        p->n = k;
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(item, "check"),
                    *f = cJSON_GetObjectItemCaseSensitive(item, "file"),
                    *h = cJSON_GetObjectItemCaseSensitive(item, "sha256");
        struct photo_ref ref = {{0}};
        bool fits = cJSON_IsString(c) && cJSON_IsString(f) && cJSON_IsString(h) &&
                    strlen(c->valuestring) < sizeof ref.check &&
                    strlen(f->valuestring) < sizeof ref.file &&
                    strlen(h->valuestring) < sizeof ref.sha256;
        if (fits) {
            snprintf(ref.check, sizeof ref.check, "%s", c->valuestring);
            snprintf(ref.file, sizeof ref.file, "%s", f->valuestring);
            snprintf(ref.sha256, sizeof ref.sha256, "%s", h->valuestring);
        }
        if (!fits || !photos_ref_valid(&ref)) {
            set_err(err, errlen,
                    "E739: outcome seq %lld names photo %d as \"%.64s\", not a photo of the"
                    " station's photos folder",
                    (long long)seq, k, cJSON_IsString(f) ? f->valuestring : "");
            rc = -1;
            break;
        }
        memcpy(p->check, ref.check, sizeof p->check);
        memcpy(p->file, ref.file, sizeof p->file);
        memcpy(p->sha256, ref.sha256, sizeof p->sha256);
        (*n)++;
    }
    cJSON_Delete(o);
    return rc;
}

int sync_photos_of(const struct sync_batch *b, struct sync_photo **out, int *n, char *err,
                   size_t errlen)
{
    struct sync_photo *list = NULL;
    int count = 0, cap = 0;
    for (int i = 0; i < b->count; i++) {
        if (!memmem(b->records[i], b->lens[i], PHOTOS_KEY, strlen(PHOTOS_KEY)))
            continue;
        if (record_photos(b->records[i], b->first + i, &list, &count, &cap, err, errlen) < 0) {
            free(list);
            *out = NULL, *n = 0;
            return -1;
        }
    }
    *out = list;
    *n = count;
    return 0;
}

int sync_photo_load(const char *data_dir, const struct sync_photo *p, struct buf *into, char *err,
                    size_t errlen)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", data_dir, p->file);
    buf_reset(into);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && p->pruned) {
        log_warn("W727", "photo %s of outcome seq %lld was removed by retention: sent without it",
                 p->file, (long long)p->seq);
        return 1;
    }
    struct stat sb;
    int saved = 0;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > PHOTO_MAX_BYTES ||
        buf_reserve(into, (size_t)sb.st_size) != 0) {
        saved = fd < 0 ? errno : !S_ISREG(sb.st_mode) ? EISDIR : EFBIG;
        if (into->oom)
            saved = ENOMEM;
    } else {
        size_t want = (size_t)sb.st_size;
        while (into->len < want) {
            ssize_t r = read(fd, into->data + into->len, want - into->len);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                saved = r < 0 ? errno : EIO; /* shorter than it was a moment ago */
                break;
            }
            into->len += (size_t)r;
        }
    }
    if (fd >= 0)
        close(fd);
    char msg[1500];
    if (saved) {
        snprintf(msg, sizeof msg,
                 "photo %s of outcome seq %lld cannot be read (%s): the outcome waits for its"
                 " evidence",
                 path, (long long)p->seq, strerror(saved));
        log_error("E737", "%s", msg);
        set_err(err, errlen, "E737: %s", msg);
        return -1;
    }
    char hex[65];
    photos_sha256_hex(into->data, into->len, hex);
    if (strcmp(hex, p->sha256) != 0) {
        snprintf(msg, sizeof msg,
                 "photo %s of outcome seq %lld is not the one saved (its SHA-256 is %.12s…, the"
                 " record's %.12s…): not sent, the outcome waits",
                 path, (long long)p->seq, hex, p->sha256);
        log_error("E738", "%s", msg);
        set_err(err, errlen, "E738: %s", msg);
        return -1;
    }
    return 0;
}

/*
 * photos.c — evidence photos on the station (photos.h): the JPEG files in
 * the data folder's photos/, their names for good at commit, and the JSON
 * lists of them an inspection's row and record carry.
 *
 * Files: photos/take-<ms>-<n>.jpg while the inspection is graded (made with
 * O_EXCL, so two takes never share a name), photos/<plate>-<n>.jpg once it
 * is saved. A take name that no draft nor inspection names any more (a
 * photo retaken, an inspection discarded) is left for retention to remove.
 */
#include "photos.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "atomic_file.h"
#include "log.h"
#include "store_internal.h"
#include "text.h"

#define PHOTOS_DIR "photos"

const char *photos_data_dir(const struct store *st)
{
    return store_dir(st);
}

void photos_sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, data, len);
    sodium_bin2hex(hex, 65, d, sizeof d);
}

static int is_jpeg(const unsigned char *b, size_t len)
{
    return len >= 4 && b[0] == 0xFF && b[1] == 0xD8 && b[len - 2] == 0xFF && b[len - 1] == 0xD9;
}

int photos_ref_valid(const struct photo_ref *p)
{
    size_t n = strnlen(p->file, sizeof p->file);
    size_t pre = strlen(PHOTOS_DIR "/");
    if (n >= sizeof p->file || n <= pre + 4 || strncmp(p->file, PHOTOS_DIR "/", pre) != 0 ||
        strcmp(p->file + n - 4, ".jpg") != 0 || strchr(p->file + pre, '/') ||
        strstr(p->file, "..") || p->file[pre] == '.')
        return 0;
    if (strnlen(p->sha256, sizeof p->sha256) != 64)
        return 0;
    for (int i = 0; i < 64; i++)
        if (!strchr("0123456789abcdef", p->sha256[i]))
            return 0;
    return strnlen(p->check, sizeof p->check) > 0 &&
           strnlen(p->check, sizeof p->check) < sizeof p->check;
}

/* "<data dir>/<name>" into out[cap]; 0, or -1 when it does not fit. */
static int data_path(const struct store *st, const char *name, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s/%s", store_dir(st), name);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* photos/ in the data folder, made when missing (mode 0700: the station's
 * own, like the database). 0, or -1 with E965 in err. */
static int photos_mkdir(const struct store *st, char *err, size_t errlen)
{
    char dir[1100];
    if (data_path(st, PHOTOS_DIR, dir, sizeof dir) < 0 ||
        (mkdir(dir, 0700) != 0 && errno != EEXIST)) {
        set_err(err, errlen, "E965: cannot make the photos folder %s: %s", dir, strerror(errno));
        return -1;
    }
    return 0;
}

int photos_put(struct store *st, const void *jpeg, size_t len, const char *check, int min_free_mb,
               struct photo_ref *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    struct statvfs v;
    if (min_free_mb > 0 && statvfs(store_dir(st), &v) == 0) {
        unsigned long long free_mb = (unsigned long long)v.f_bavail * v.f_frsize / (1024 * 1024);
        if (free_mb < (unsigned long long)min_free_mb) {
            set_err(err, errlen,
                    "E979: the disk of %s has %llu MB free, under [retention] min_free_mb (%d):"
                    " no photo is taken, the room left is for saves",
                    store_dir(st), free_mb, min_free_mb);
            return -1;
        }
    }
    if (len > PHOTO_MAX_BYTES || !is_jpeg(jpeg, len)) {
        set_err(err, errlen, "E966: the photo is not a JPEG of at most %u bytes (%zu bytes)",
                PHOTO_MAX_BYTES, len);
        return -1;
    }
    if (strnlen(check, sizeof out->check) >= sizeof out->check || !check[0]) {
        set_err(err, errlen, "E967: a photo's check id must be 1 to %zu bytes",
                sizeof out->check - 1);
        return -1;
    }
    if (photos_mkdir(st, err, errlen) < 0)
        return -1;
    /* A name of its own: O_EXCL, the next number when taken. */
    char path[1100];
    int fd = -1;
    long long ms = (long long)clock_wall_ms();
    for (int n = 1; fd < 0 && n < 1000; n++) {
        snprintf(out->file, sizeof out->file, PHOTOS_DIR "/take-%lld-%03d.jpg",
                 ms % 10000000000000LL, n);
        if (data_path(st, out->file, path, sizeof path) < 0)
            break;
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        set_err(err, errlen, "E968: cannot make a photo file in %s/" PHOTOS_DIR ": %s",
                store_dir(st), strerror(errno));
        memset(out, 0, sizeof *out);
        return -1;
    }
    const unsigned char *p = jpeg;
    size_t left = len;
    int rc = 0;
    while (left > 0 && rc == 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            rc = -1;
        else
            p += w, left -= (size_t)w;
    }
    if (rc == 0 && fsync(fd) != 0)
        rc = -1;
    int saved = errno;
    if (close(fd) != 0 && rc == 0)
        rc = -1, saved = errno;
    char dir[1100];
    if (rc == 0 &&
        (data_path(st, PHOTOS_DIR, dir, sizeof dir) < 0 || atomic_file_sync_dir(dir) < 0))
        rc = -1, saved = errno;
    if (rc < 0) {
        set_err(err, errlen, "E969: cannot write the photo %s: %s", path, strerror(saved));
        unlink(path);
        memset(out, 0, sizeof *out);
        return -1;
    }
    snprintf(out->check, sizeof out->check, "%s", check);
    photos_sha256_hex(jpeg, len, out->sha256);
    return 0;
}

int photos_settle(struct store *st, struct inspection *insp, char *err, size_t errlen)
{
    if (insp->nphotos == 0)
        return 0;
    char dir[1100];
    if (photos_mkdir(st, err, errlen) < 0 || data_path(st, PHOTOS_DIR, dir, sizeof dir) < 0)
        return -1;
    for (int k = 0; k < insp->nphotos; k++) {
        struct photo_ref *p = &insp->photos[k];
        char final[128], from[1100], to[1100];
        int n = snprintf(final, sizeof final, PHOTOS_DIR "/%s-%d.jpg", insp->plate, k + 1);
        if (n < 0 || (size_t)n >= sizeof p->file || data_path(st, p->file, from, sizeof from) < 0 ||
            data_path(st, final, to, sizeof to) < 0) {
            set_err(err, errlen, "E970: the path of photo %s is too long", p->file);
            return -1;
        }
        if (strcmp(p->file, final) != 0) {
            /* A name left by an attempt that did not commit is this seq's:
             * it is replaced. */
            if (unlink(to) != 0 && errno != ENOENT) {
                set_err(err, errlen, "E971: cannot replace %s: %s", to, strerror(errno));
                return -1;
            }
            if (link(from, to) != 0) {
                set_err(err, errlen, "E972: cannot keep photo %s as %s: %s", from, final,
                        strerror(errno));
                return -1;
            }
        }
        /* What the record says must be what is on disk: the file's bytes
         * are hashed again, the hash the capture gave checked. */
        FILE *f = fopen(to, "rb");
        unsigned char buf[65536];
        crypto_hash_sha256_state h;
        crypto_hash_sha256_init(&h);
        size_t got;
        while (f && (got = fread(buf, 1, sizeof buf, f)) > 0)
            crypto_hash_sha256_update(&h, buf, got);
        bool read_ok = f && !ferror(f);
        if (f)
            fclose(f);
        unsigned char d[crypto_hash_sha256_BYTES];
        crypto_hash_sha256_final(&h, d);
        char hex[65];
        sodium_bin2hex(hex, sizeof hex, d, sizeof d);
        if (!read_ok || strcmp(hex, p->sha256) != 0) {
            set_err(err, errlen, "E973: photo %s is not the one taken (%s)", final,
                    read_ok ? "its SHA-256 differs" : "it cannot be read");
            return -1;
        }
        memcpy(p->file, final, (size_t)n + 1); /* n < sizeof p->file, checked above */
    }
    if (atomic_file_sync_dir(dir) < 0) {
        set_err(err, errlen, "E974: cannot make the photos' names durable in %s: %s", dir,
                strerror(errno));
        return -1;
    }
    return 0;
}

void photos_forget_takes(struct store *st, const struct photo_ref *takes, int n)
{
    for (int k = 0; k < n; k++) {
        char path[1100];
        if (strncmp(takes[k].file, PHOTOS_DIR "/take-", strlen(PHOTOS_DIR "/take-")) != 0 ||
            data_path(st, takes[k].file, path, sizeof path) < 0)
            continue;
        if (unlink(path) != 0 && errno != ENOENT)
            log_warn("W975", "cannot remove %s (it stays as a copy): %s", path, strerror(errno));
    }
}

/* ---- JSON ------------------------------------------------------------------ */

cJSON *photos_to_cjson(const struct inspection *in)
{
    cJSON *a = cJSON_CreateArray();
    for (int k = 0; a && k < in->nphotos && k < INSP_MAX_PHOTOS; k++) {
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(a, o) ||
            !cJSON_AddStringToObject(o, "check", in->photos[k].check) ||
            !cJSON_AddStringToObject(o, "file", in->photos[k].file) ||
            !cJSON_AddStringToObject(o, "sha256", in->photos[k].sha256)) {
            if (o && cJSON_GetArraySize(a) <= k)
                cJSON_Delete(o); /* not in the array: a does not own it */
            cJSON_Delete(a);
            return NULL;
        }
    }
    return a;
}

cJSON *photos_waived_to_cjson(const struct inspection *in)
{
    cJSON *a = cJSON_CreateArray();
    for (int k = 0; a && k < in->nwaived && k < INSP_MAX_PHOTOS; k++) {
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(a, o) ||
            !cJSON_AddStringToObject(o, "check", in->waived[k].check) ||
            !cJSON_AddStringToObject(o, "by", in->waived[k].by)) {
            if (o && cJSON_GetArraySize(a) <= k)
                cJSON_Delete(o); /* not in the array: a does not own it */
            cJSON_Delete(a);
            return NULL;
        }
    }
    return a;
}

/* A JSON item's string member into dst[cap] ("" when missing). */
static void get_member(const cJSON *o, const char *key, char *dst, size_t cap)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    snprintf(dst, cap, "%s", cJSON_IsString(v) ? v->valuestring : "");
}

void photos_from_json(const char *photos, const char *waived, struct inspection *out)
{
    out->nphotos = out->nwaived = 0;
    cJSON *a = photos ? cJSON_Parse(photos) : NULL, *item;
    cJSON_ArrayForEach(item, a)
    {
        if (out->nphotos >= INSP_MAX_PHOTOS || !cJSON_IsObject(item))
            continue;
        struct photo_ref *p = &out->photos[out->nphotos++];
        get_member(item, "check", p->check, sizeof p->check);
        get_member(item, "file", p->file, sizeof p->file);
        get_member(item, "sha256", p->sha256, sizeof p->sha256);
    }
    cJSON_Delete(a);
    a = waived ? cJSON_Parse(waived) : NULL;
    cJSON_ArrayForEach(item, a)
    {
        if (out->nwaived >= INSP_MAX_PHOTOS || !cJSON_IsObject(item))
            continue;
        struct photo_waiver *w = &out->waived[out->nwaived++];
        get_member(item, "check", w->check, sizeof w->check);
        get_member(item, "by", w->by, sizeof w->by);
    }
    cJSON_Delete(a);
}

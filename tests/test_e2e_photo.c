/*
 * test_e2e_photo.c — evidence photos end to end: the real binary in script
 * mode with a camera of GStreamer's videotestsrc ([camera] pipeline). A
 * required photo for a crushed carton goes to the photo screen, Return takes
 * it (and a retake replaces it), an optional one is passed over with Tab;
 * the saved JPEG is in DATA/photos named by the plate, decodes at the
 * camera's size, and its SHA-256 is the record's; the label counts it; the
 * audit chain verifies. Without a camera, and with one whose frames are not
 * JPEG, the photo screen says so with an id, Tab and Return cannot pass the
 * required photo over, and only a supervisor's badge and PIN waive it: the
 * record names who, the audit log has the row. Screenshots in English and
 * Chinese.
 */
#include <SDL_image.h>
#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "photos.h"

static char data[600], tmp[512], cmd[4096];

#define CAMERA_OK                                                                                  \
    "videotestsrc is-live=true pattern=ball ! video/x-raw,width=1280,height=720,framerate=30/1"    \
    " ! jpegenc ! image/jpeg ! appsink name=sink max-buffers=1 drop=true"
/* A camera whose frames are not JPEG (raw video): no picture can be taken. */
#define CAMERA_RAW                                                                                 \
    "videotestsrc is-live=true ! video/x-raw,width=320,height=240,framerate=30/1 ! appsink"        \
    " name=sink"

static int triage(const char *conf, const char *args, const char *input, char **out, char **err)
{
    snprintf(cmd, sizeof cmd, "SDL_VIDEODRIVER= DISPLAY= '%s' --config '%s/%s' --data '%s' %s",
             harness_triage(), tmp, conf, data, args);
    return harness_sh(cmd, input, out, err);
}

static void write_conf(const char *name, const char *pipeline)
{
    char path[700], text[1024];
    snprintf(path, sizeof path, "%s/%s", tmp, name);
    snprintf(text, sizeof text, "[station]\nid = SH01-S07\n%s%s\n",
             pipeline ? "[camera]\npipeline = " : "", pipeline ? pipeline : "");
    harness_write_file(path, text);
}

/* Run a script of lines; 0 when the station exited 0. */
static int run_script(const char *conf, const char *name, const char *lang, const char *lines)
{
    char path[700], args[2600];
    snprintf(path, sizeof path, "%s/%s.script", tmp, name);
    harness_write_file(path, lines);
    snprintf(args, sizeof args,
             "--rules tests/e2e/photo-rules.json --lang %s --script '%s' --shots '%s/shots'", lang,
             path, tmp);
    char *err = NULL;
    int rc = triage(conf, args, NULL, NULL, &err);
    if (rc != 0)
        fprintf(stderr, "%s", err ? err : "");
    free(err);
    return rc;
}

/* The export record of `plate` (cJSON_Delete it), or NULL. */
static cJSON *record(const char *conf, int seq)
{
    char *out = NULL;
    cJSON *found = NULL;
    if (triage(conf, "export", NULL, &out, NULL) != 0)
        return NULL;
    for (char *line = out ? strtok(out, "\n") : NULL; line && !found; line = strtok(NULL, "\n")) {
        cJSON *o = cJSON_Parse(line);
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "seq");
        if (cJSON_IsNumber(s) && (int)s->valuedouble == seq)
            found = o;
        else
            cJSON_Delete(o);
    }
    free(out);
    return found;
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "(not a string)";
}

static bool shot_ok(const char *name)
{
    char p[800];
    size_t len = 0;
    snprintf(p, sizeof p, "%s/shots/%s.png", tmp, name);
    char *png = harness_read_file(p, &len);
    bool ok = png && len > 1000 && !memcmp(png, "\x89PNG", 4);
    free(png);
    return ok;
}

/* The live view's box on a shot: how many of its pixels are not the dark
 * background (the ball and its trail of videotestsrc, or nothing). */
static int live_pixels(const char *name)
{
    char p[800];
    snprintf(p, sizeof p, "%s/shots/%s.png", tmp, name);
    SDL_Surface *s = IMG_Load(p),
                *c = s ? SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGB888, 0) : NULL;
    int n = -1;
    if (c) {
        n = 0;
        /* The view: x 32..792, y 220..648 at 1280x800 (screen_photo.c). */
        for (int y = 230; y < 640; y += 2)
            for (int x = 40; x < 780; x += 2) {
                uint32_t px = ((uint32_t *)((uint8_t *)c->pixels + y * c->pitch))[x] & 0xFFFFFF;
                n += px != 0x0F172A && px != 0x000000;
            }
    }
    SDL_FreeSurface(c);
    SDL_FreeSurface(s);
    return n;
}

static const char login_grader[] =
    "expect login\nscan 1001\ntext 123456\nkey Return\nexpect scan\n";

static void test_camera(void)
{
    write_conf("camera.conf", CAMERA_OK);
    char script[2048];
    snprintf(script, sizeof script,
             "%s"
             "scan RMA-PH1\nexpect item\nkey Return\nexpect check\n"
             "key 2\nexpect photo\nshot photo-live\nkey Return\nexpect check\n"
             /* a retake: back to the carton, crushed again, another picture */
             "key Escape\nexpect check\nkey 2\nexpect photo\nshot photo-retake\nkey Return\n"
             "expect check\n"
             /* the screen cracked: an optional photo, passed over */
             "key 2\nexpect photo\nkey Tab\nexpect summary\nkey Return\nexpect scan\n"
             "scan RMA-PH2\nexpect item\nkey Return\nexpect check\nkey 2\nexpect photo\n"
             "shot photo-live-zh\nkey Escape\nexpect check\nkey 1\nkey 1\nexpect summary\n"
             "key Return\nexpect scan\nquit\n",
             login_grader);
    CHECK_INT(run_script("camera.conf", "camera", "en", script), 0);
    CHECK(shot_ok("photo-live") && shot_ok("photo-retake"));
    CHECK(live_pixels("photo-live") > 20); /* the ball, drawn in the live view */

    cJSON *r = record("camera.conf", 1);
    const cJSON *photos = cJSON_GetObjectItemCaseSensitive(r, "photos");
    CHECK_INT(cJSON_GetArraySize(photos), 1); /* the retake replaced the first */
    const cJSON *p = cJSON_GetArrayItem(photos, 0);
    CHECK_STR(str(p, "check"), "carton");
    CHECK_STR(str(p, "file"), "photos/SH01-S07-000001-1.jpg");
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r, "photos_waived")), 0);
    char path[900];
    snprintf(path, sizeof path, "%s/%s", data, str(p, "file"));
    size_t len = 0;
    char *jpeg = harness_read_file(path, &len);
    char hex[65] = "";
    if (jpeg)
        photos_sha256_hex(jpeg, len, hex);
    CHECK_STR(hex, str(p, "sha256"));
    SDL_Surface *img = jpeg ? IMG_Load_RW(SDL_RWFromConstMem(jpeg, (int)len), 1) : NULL;
    CHECK(img && img->w == 1280 && img->h == 720);
    SDL_FreeSurface(img);
    free(jpeg);
    cJSON_Delete(r);
    /* The second return's photo was left (Escape, then intact): none. */
    r = record("camera.conf", 2);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r, "photos")), 0);
    cJSON_Delete(r);

    snprintf(path, sizeof path, "%s/labels/SH01-S07-000001.zpl", data);
    char *zpl = harness_read_file(path, NULL);
    CHECK(zpl && strstr(zpl, "PHOTOS 1"));
    free(zpl);
    CHECK_INT(triage("camera.conf", "audit verify", NULL, NULL, NULL), 0);
}

/* No camera, or one that stopped: the required photo is waived only by a
 * supervisor, recorded and audited. */
static void test_waived(const char *conf, const char *pipeline, const char *rma, int seq,
                        const char *lang, const char *shot, const char *id)
{
    write_conf(conf, pipeline);
    char script[2048];
    snprintf(script, sizeof script,
             "%s"
             "scan %s\nexpect item\nkey Return\nexpect check\nkey 2\nexpect photo\n"
             "key Return\nexpect photo\nshot %s\nkey Tab\nexpect photo\n"
             "key F3\nexpect photo\nscan 2001\ntext 246810\nkey Return\nexpect check\n"
             "key 1\nexpect summary\nkey Return\nexpect scan\nquit\n",
             login_grader, rma, shot);
    CHECK_INT(run_script(conf, shot, lang, script), 0);
    CHECK(shot_ok(shot));
    cJSON *r = record(conf, seq);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r, "photos")), 0);
    const cJSON *w = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r, "photos_waived"), 0);
    CHECK_STR(str(w, "check"), "carton");
    CHECK_STR(str(w, "by"), "2001");
    cJSON_Delete(r);
    char db[700], sql[300];
    snprintf(db, sizeof db, "%s/triage.db", data);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit WHERE event = 'photo_waived' AND badge = '1001'"
             " AND authorised_by = '2001' AND subject = '%s' AND detail LIKE '%%%s%%'",
             rma, id);
    sqlite3 *h = NULL;
    sqlite3_stmt *s = NULL;
    int n = -1;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(h);
    CHECK_INT(n, 1);
}

int main(void)
{
    snprintf(tmp, sizeof tmp, "%s", harness_tmpdir());
    snprintf(data, sizeof data, "%s/data", tmp);
    char path[700];
    write_conf("none.conf", NULL);
    CHECK_INT(triage("none.conf", "operator add --badge 1001 --name Ana --role grader", "123456\n",
                     NULL, NULL),
              0);
    CHECK_INT(triage("none.conf", "operator add --badge 2001 --name Sam --role supervisor",
                     "246810\n", NULL, NULL),
              0);
    snprintf(path, sizeof path, "%s/manifest.csv", tmp);
    harness_write_file(path, "rma,order_id,sku,gtin,serial,description,reason,delivered_at\n"
                             "RMA-PH1,O-1,PH-1,,,Phone,,\nRMA-PH2,O-2,PH-1,,,Phone,,\n"
                             "RMA-PH3,O-3,PH-1,,,Phone,,\nRMA-PH4,O-4,PH-1,,,Phone,,\n");
    char args[800];
    snprintf(args, sizeof args, "import-manifest '%s'", path);
    CHECK_INT(triage("none.conf", args, NULL, NULL, NULL), 0);

    test_camera();
    test_waived("none.conf", NULL, "RMA-PH3", 3, "en", "photo-no-camera", "E934");
    test_waived("raw.conf", CAMERA_RAW, "RMA-PH4", 4, "zh", "photo-no-jpeg-zh", "E957");
    CHECK_INT(triage("none.conf", "audit verify", NULL, NULL, NULL), 0);
    return harness_done();
}

/*
 * test_camera.c — the camera driver (drivers/camera/camera.h) end to end on
 * GStreamer's videotestsrc: the live view at about the rate asked, of the
 * size asked, showing the colour bars; pictures that are whole JPEGs of the
 * camera's size and always a frame newer than the call; and every bad camera
 * with its id and without a hang: a pipeline that does not parse (E951), no
 * appsink named sink (E952), one that cannot start (E953), a camera that
 * stalls and comes back (E958), that ends (E956) or fails mid-stream (E955),
 * frames that are raw video or PNG (E957), and JPEG checks on bytes.
 */
#include <SDL.h>
#include <SDL_image.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "camera.h"
#include "harness.h"
#include "log.h"

#define BARS_720                                                                                   \
    "videotestsrc is-live=true ! video/x-raw,width=1280,height=720,framerate=30/1 ! jpegenc ! "    \
    "image/jpeg ! appsink name=sink max-buffers=1 drop=true"
#define SMALL(pattern, rate, tail)                                                                 \
    "videotestsrc is-live=true " pattern " ! video/x-raw,width=320,height=240,framerate=" rate     \
    " ! " tail

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static atomic_int wakes;
static void on_wake(void *arg)
{
    (void)arg;
    atomic_fetch_add(&wakes, 1);
}

static struct camera *open_cam(const char *pipeline, int fps, int stall_ms, char *err,
                               size_t errlen)
{
    struct camera_opts o = {.pipeline = pipeline, .preview_fps = fps, .stall_ms = stall_ms};
    struct camera *cam = NULL;
    if (camera_open(&o, on_wake, NULL, &cam, err, errlen) != 0)
        return NULL;
    return cam;
}

/* Wait up to ms for the state `want`; its text into err. */
static bool wait_state(struct camera *cam, enum camera_state want, int ms, char *err, size_t errlen)
{
    for (int t = 0; t < ms; t += 10) {
        if (camera_state(cam, err, errlen) == want)
            return true;
        sleep_ms(10);
    }
    return camera_state(cam, err, errlen) == want;
}

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Each channel of an XRGB8888 pixel clearly on (> 150) or off (< 80) as
 * `rgb` says ("110": red and green on, blue off). */
static bool colour_is(uint32_t px, const char *rgb)
{
    for (int c = 0; c < 3; c++) {
        int v = (px >> (16 - 8 * c)) & 0xFF;
        if (rgb[c] == '1' ? v <= 150 : v >= 80)
            return false;
    }
    return true;
}

static SDL_Surface *decode(const unsigned char *jpeg, size_t len)
{
    return IMG_Load_RW(SDL_RWFromConstMem(jpeg, (int)len), 1);
}

/* The live view: 5 frames a second of a 30 fps camera, 640 wide with the
 * aspect kept, showing SMPTE colour bars; then two pictures. */
static void test_live_view(void)
{
    char err[400];
    atomic_store(&wakes, 0);
    struct camera *cam = open_cam(BARS_720, 5, 0, err, sizeof err);
    if (!cam && strstr(err, "videotestsrc"))
        harness_skip("GStreamer has no videotestsrc (gstreamer1.0-plugins-base)");
    CHECK(cam != NULL);
    if (!cam) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    CHECK(wait_state(cam, CAMERA_OK, 10000, err, sizeof err));
    CHECK_STR(err, "");

    uint64_t serial = 0;
    uint32_t *px = NULL;
    size_t cap = 0;
    int w = 0, h = 0;
    for (int t = 0; t < 5000 && camera_preview(cam, &serial, &px, &cap, &w, &h) != 1; t += 10)
        sleep_ms(10);
    CHECK(serial > 0);
    CHECK_INT(w, 640);
    CHECK_INT(h, 360);
    CHECK(cap >= (size_t)w * (size_t)h * 4);
    CHECK_INT(camera_preview(cam, &serial, &px, &cap, &w, &h), 0); /* nothing newer yet */

    /* The top two thirds: seven bars, white, yellow, cyan, green, magenta,
     * red, blue. */
    static const char *const bars[7] = {"111", "110", "011", "010", "101", "100", "001"};
    if (px && w == 640 && h == 360) {
        for (int i = 0; i < 7; i++) {
            int x = (2 * i + 1) * w / 14, y = h / 4;
            uint32_t p = px[y * w + x];
            if (!CHECK(colour_is(p, bars[i])))
                fprintf(stderr, "  bar %d at %d,%d: %06x\n", i, x, y, p & 0xFFFFFF);
        }
    }

    /* About the rate asked over 3 s: 15 at 5 a second, never more than that. */
    uint64_t first = serial;
    int64_t t0 = clock_mono_ms();
    while (clock_mono_ms() - t0 < 3000) {
        camera_preview(cam, &serial, &px, &cap, &w, &h);
        sleep_ms(5);
    }
    uint64_t frames = serial - first;
    if (!CHECK(frames >= 5 && frames <= 17))
        fprintf(stderr, "  %llu live-view frames in 3 s at preview_fps 5\n",
                (unsigned long long)frames);
    CHECK(atomic_load(&wakes) >= (int)frames);

    /* A picture: the camera's JPEG as it is, 1280x720. */
    unsigned char *jpeg = NULL;
    size_t len = 0;
    CHECK_INT(camera_capture(cam, 3000, &jpeg, &len, err, sizeof err), 0);
    CHECK(len > 1000);
    if (jpeg && len > 4) {
        CHECK(jpeg[0] == 0xFF && jpeg[1] == 0xD8);
        CHECK(jpeg[len - 2] == 0xFF && jpeg[len - 1] == 0xD9);
        SDL_Surface *s = decode(jpeg, len);
        CHECK(s != NULL);
        if (s) {
            CHECK_INT(s->w, 1280);
            CHECK_INT(s->h, 720);
            SDL_FreeSurface(s);
        }
        CHECK_INT(camera_check_jpeg(jpeg, len, err, sizeof err), 0);
        /* Cut short, or not decodable between good markers: E957. */
        CHECK_INT(camera_check_jpeg(jpeg, len / 2, err, sizeof err), -1);
        CHECK(starts(err, "E957: "));
        unsigned char junk[64] = {0xFF, 0xD8, 0x12, 0x34};
        junk[62] = 0xFF, junk[63] = 0xD9;
        CHECK_INT(camera_check_jpeg(junk, sizeof junk, err, sizeof err), -1);
        CHECK(starts(err, "E957: "));
        CHECK(strstr(err, "does not decode") != NULL);
        CHECK_INT(camera_check_jpeg(jpeg + 2, len - 2, err, sizeof err), -1);
        CHECK(starts(err, "E957: "));
    }
    free(jpeg);
    free(px);
    camera_close(cam);
}

/* Each picture is a frame that came after the call: with a moving ball at
 * 5 frames a second, two pictures in a row are two different frames. */
static void test_newer_frames(void)
{
    char err[400];
    struct camera *cam = open_cam(SMALL("pattern=ball", "5/1", "jpegenc ! appsink name=sink"), 0, 0,
                                  err, sizeof err);
    CHECK(cam != NULL);
    if (!cam)
        return;
    CHECK(wait_state(cam, CAMERA_OK, 10000, err, sizeof err));
    unsigned char *a = NULL, *b = NULL;
    size_t alen = 0, blen = 0;
    CHECK_INT(camera_capture(cam, 3000, &a, &alen, err, sizeof err), 0);
    CHECK_INT(camera_capture(cam, 3000, &b, &blen, err, sizeof err), 0);
    CHECK(a && b && (alen != blen || memcmp(a, b, alen) != 0));
    SDL_Surface *sa = a ? decode(a, alen) : NULL, *sb = b ? decode(b, blen) : NULL;
    CHECK(sa && sb && sa->w == 320 && sb->h == 240);
    SDL_FreeSurface(sa);
    SDL_FreeSurface(sb);
    free(a);
    free(b);
    camera_close(cam);
}

static void open_fails(const char *pipeline, const char *id, const char *also)
{
    char err[400] = "";
    struct camera_opts o = {.pipeline = pipeline};
    struct camera *cam = (struct camera *)&o; /* camera_open sets it */
    int rc = camera_open(&o, on_wake, NULL, &cam, err, sizeof err);
    CHECK_INT(rc, -1);
    CHECK(cam == NULL);
    if (!CHECK(starts(err, id)) || (also && !CHECK(strstr(err, also) != NULL)))
        fprintf(stderr, "  pipeline \"%s\": %s\n", pipeline ? pipeline : "(null)", err);
    camera_close(cam);
}

static void test_bad_pipelines(void)
{
    open_fails(NULL, "E951: ", "no camera pipeline");
    open_fails("", "E951: ", "no camera pipeline");
    open_fails("videotestsrc ! nosuchelement ! appsink name=sink", "E951: ", "does not parse");
    open_fails("videotestsrc ! ! appsink name=sink", "E951: ", "does not parse");
    open_fails("videotestsrc nosuchproperty=1 ! jpegenc ! appsink name=sink", "E951: ", NULL);
    open_fails("videotestsrc ! jpegenc ! fakesink", "E952: ", "no appsink named sink");
    open_fails("videotestsrc ! jpegenc ! appsink name=other", "E952: ", NULL);
    open_fails("videotestsrc ! jpegenc ! fakesink name=sink", "E952: ", "not an appsink");
    open_fails("filesrc location=/nonexistent/camera ! appsink name=sink",
               "E953: ", "cannot start");
    open_fails("v4l2src device=/dev/triage-no-camera ! image/jpeg ! appsink name=sink",
               "E953: ", NULL);
    camera_close(NULL);
}

/* A camera that gives a frame every 4 s with stall_ms 500: stalled between
 * frames (E958, and a picture times out), OK again when the next comes. */
static void test_stall(void)
{
    char err[400];
    struct camera *cam = open_cam(SMALL("pattern=ball", "1/4", "jpegenc ! appsink name=sink"), 0,
                                  500, err, sizeof err);
    CHECK(cam != NULL);
    if (!cam)
        return;
    CHECK(wait_state(cam, CAMERA_OK, 5000, err, sizeof err));
    CHECK(wait_state(cam, CAMERA_STALLED, 3000, err, sizeof err));
    CHECK(starts(err, "E958: "));
    unsigned char *jpeg = NULL;
    size_t len = 0;
    CHECK_INT(camera_capture(cam, 300, &jpeg, &len, err, sizeof err), -1);
    CHECK(starts(err, "E958: "));
    CHECK(jpeg == NULL && len == 0);
    CHECK(wait_state(cam, CAMERA_OK, 6000, err, sizeof err));
    camera_close(cam);
}

/* A camera that ends (num-buffers: end of stream, as when it is unplugged)
 * or fails mid-stream: FAILED with its id; pictures and the live view say so. */
static void gone(const char *pipeline, const char *id)
{
    char err[400];
    struct camera *cam = open_cam(pipeline, 0, 0, err, sizeof err);
    CHECK(cam != NULL);
    if (!cam) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    if (!CHECK(wait_state(cam, CAMERA_FAILED, 8000, err, sizeof err)) || !CHECK(starts(err, id)))
        fprintf(stderr, "  %s: %s\n", pipeline, err);
    unsigned char *jpeg = NULL;
    size_t len = 0;
    CHECK_INT(camera_capture(cam, 1000, &jpeg, &len, err, sizeof err), -1);
    CHECK(starts(err, id));
    CHECK(jpeg == NULL);
    uint64_t serial = 0;
    uint32_t *px = NULL;
    size_t cap = 0;
    int w, h;
    CHECK_INT(camera_preview(cam, &serial, &px, &cap, &w, &h), -1);
    free(px);
    camera_close(cam);
}

static void test_gone(void)
{
    gone("videotestsrc is-live=true num-buffers=15 ! video/x-raw,width=320,height=240,"
         "framerate=30/1 ! jpegenc ! appsink name=sink",
         "E956: ");
    gone("videotestsrc is-live=true ! video/x-raw,width=320,height=240,framerate=30/1 ! jpegenc !"
         " identity error-after=15 ! appsink name=sink",
         "E955: ");
}

/* Frames that are not JPEG: a picture is refused (E957), the camera counts
 * as stalled with E957, and no live-view frame appears. */
static void not_jpeg(const char *pipeline, const char *what)
{
    char err[400];
    struct camera *cam = open_cam(pipeline, 0, 500, err, sizeof err);
    CHECK(cam != NULL);
    if (!cam)
        return;
    unsigned char *jpeg = NULL;
    size_t len = 0;
    CHECK_INT(camera_capture(cam, 5000, &jpeg, &len, err, sizeof err), -1);
    CHECK(starts(err, "E957: "));
    CHECK(jpeg == NULL);
    if (!CHECK(wait_state(cam, CAMERA_STALLED, 3000, err, sizeof err)) ||
        !CHECK(starts(err, "E957: ")) || !CHECK(strstr(err, what) != NULL))
        fprintf(stderr, "  %s: %s\n", pipeline, err);
    uint64_t serial = 0;
    uint32_t *px = NULL;
    size_t cap = 0;
    int w, h;
    CHECK_INT(camera_preview(cam, &serial, &px, &cap, &w, &h), 0);
    free(px);
    camera_close(cam);
}

static void test_not_jpeg(void)
{
    not_jpeg(SMALL("", "30/1", "appsink name=sink"), "video/x-raw");
    not_jpeg(SMALL("", "10/1", "pngenc ! appsink name=sink"), "image/png");
}

int main(void)
{
    log_set_level(LOG_ERROR);
    alarm(300); /* a hang is a failure, never a stuck suite */
    test_live_view();
    test_newer_frames();
    test_bad_pipelines();
    test_stall();
    test_gone();
    test_not_jpeg();
    return harness_done();
}

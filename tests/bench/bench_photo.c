/*
 * bench_photo.c — evidence photos as the grader meets them, on the real
 * modules the station runs (the core, the UI drawing in software, the
 * camera on GStreamer's videotestsrc at 1280x720 and 30 frames a second, the
 * store writing to a real data folder):
 *   photo_capture_ms          p50 from Return on the photo screen (through
 *                             SDL's queue and the core) to the photo durable
 *                             on disk (camera_capture, photos_put: written,
 *                             fsync'ed with its folder) and the core told
 *   photo_capture_p99_ms      the same, p99
 *   photo_event_to_frame_p99_ms  an input event to a rendered frame on the
 *                             photo screen while its live view runs (new
 *                             camera frames uploaded as they come), to set
 *                             beside event_to_frame_p99_ms of bench_station
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "camera.h"
#include "harness.h"
#include "log.h"
#include "photos.h"
#include "ports.h"
#include "rules.h"
#include "station.h"
#include "store.h"
#include "ui.h"

#define PIPELINE                                                                                   \
    "videotestsrc is-live=true pattern=ball ! video/x-raw,width=1280,height=720,framerate=30/1"    \
    " ! jpegenc ! image/jpeg ! appsink name=sink max-buffers=1 drop=true"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double percentile(double *v, int n, double p)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[(int)(p * (n - 1) + 0.5)];
}

static struct store *st;
static struct station *s;
static struct ui *ui;
static struct camera *cam;
static uint64_t serial;
static uint32_t *pixels;
static size_t cap;

static void die(const char *what, const char *err)
{
    fprintf(stderr, "bench: %s: %s\n", what, err);
    exit(1);
}

/* What the main loop does with the core's effects that matter here: a PIN
 * checked, a photo taken (as run.c's do_take_photo), the rest ignored. */
static void carry_out(struct effects *fx)
{
    for (int e = 0; e < fx->n; e++) {
        struct effect *x = &fx->fx[e];
        struct event ans = {.now = clock_wall_ms()};
        if (x->type == FX_CHECK_PIN) {
            ans = ports_check_pin(st, x, clock_wall_ms());
        } else if (x->type == FX_PHOTO_TAKE) {
            unsigned char *jpeg = NULL;
            size_t len = 0;
            char err[256];
            if (camera_capture(cam, 3000, &jpeg, &len, err, sizeof err) != 0 ||
                photos_put(st, jpeg, len, x->subject, 64, &ans.photo, err, sizeof err) != 0)
                die("photo", err);
            free(jpeg);
            ans.type = EV_PHOTO_TAKEN;
        } else {
            continue;
        }
        struct effects more;
        station_handle(s, &ans, &more);
        carry_out(&more);
        return;
    }
}

/* One input through SDL's queue, the core, the live view and a frame. */
static void step(const char *key, const char *text)
{
    if (key)
        ui_inject_key(ui, key);
    else
        ui_inject_text(ui, text);
    struct event evs[8];
    bool quit;
    int k = ui_poll(ui, 0, clock_wall_ms(), evs, 8, &quit);
    struct effects fx;
    for (int j = 0; j < k; j++) {
        station_handle(s, &evs[j], &fx);
        carry_out(&fx);
    }
    int w, h;
    if (camera_preview(cam, &serial, &pixels, &cap, &w, &h) == 1)
        ui_camera_frame(ui, pixels, w, h);
    struct view v;
    station_view(s, &v);
    ui_render(ui, &v, NULL);
}

int main(void)
{
    char data[600], path[700], err[256];
    snprintf(data, sizeof data, "%s/data", harness_tmpdir());
    snprintf(path, sizeof path,
             "echo 123456 | '%s' --data '%s' operator add --badge 1001 --name B"
             " --role grader >/dev/null",
             harness_triage(), data);
    if (system(path) != 0)
        die("seeding", "operator add failed");
    snprintf(path, sizeof path, "%s/triage.db", data);
    struct rules *rules;
    if (store_open(path, "SH01-S01", &st, err, sizeof err) != 0)
        die("store", err);
    if (rules_load_file("tests/e2e/photo-rules.json", &rules, err, sizeof err) != 0)
        die("rules", err);
    struct ui_options uo = {.headless = true};
    if (ui_open(&uo, &ui, err, sizeof err) != 0)
        die("ui", err);
    struct camera_opts co = {.pipeline = PIPELINE};
    if (camera_open(&co, NULL, NULL, &cam, err, sizeof err) != 0)
        die("camera", err);
    struct station_settings ss = {"SH01-S01", 0, LANG_EN, rules};
    struct station_ports ports = ports_over_store(st);
    s = station_new(&ss, &ports);

    step(NULL, "1001");
    step("Return", NULL);
    step(NULL, "123456");
    step("Return", NULL);
    enum { N = 40, M = 400 };
    static double take[N], frame[M];
    for (int i = 0; i < N; i++) {
        char rma[32];
        snprintf(rma, sizeof rma, "RMA-B%d", i);
        struct event ev = {.type = EV_SCAN, .now = clock_wall_ms(), .len = strlen(rma)};
        memcpy(ev.text, rma, ev.len + 1);
        struct effects fx;
        station_handle(s, &ev, &fx); /* blind: its category is chosen, */
        step(NULL, "1");
        step("Return", NULL); /* no item scan */
        step(NULL, "2");      /* crushed: the photo screen */
        if (station_screen(s) != SCREEN_PHOTO)
            die("flow, the photo screen did not come up; the screen is",
                screen_name(station_screen(s)));
        if (i == 0)
            for (int j = 0; j < M; j++) { /* the live view runs meanwhile */
                int64_t t0 = clock_mono_ns();
                step("Tab", NULL); /* refused (required): the message changes, a frame */
                frame[j] = (double)(clock_mono_ns() - t0) / 1e6;
            }
        int64_t t0 = clock_mono_ns();
        step("Return", NULL);
        take[i] = (double)(clock_mono_ns() - t0) / 1e6;
        struct view v;
        station_view(s, &v);
        if (station_screen(s) != SCREEN_CHECK || v.insp->nphotos != 1)
            die("flow", "the photo was not taken");
        /* Back to the scan screen: nothing is saved. */
        for (int k = 0; k < 8 && station_screen(s) != SCREEN_SCAN; k++)
            step("Escape", NULL);
        if (station_screen(s) != SCREEN_SCAN)
            die("flow", "the scan screen did not come back");
    }
    printf("bench photo_capture_ms %.1f ms\n", percentile(take, N, 0.5));
    printf("bench photo_capture_p99_ms %.1f ms\n", percentile(take, N, 0.99));
    printf("bench photo_event_to_frame_p99_ms %.2f ms\n", percentile(frame, M, 0.99));
    station_free(s);
    camera_close(cam);
    free(pixels);
    ui_close(ui);
    rules_free(rules);
    store_close(st);
    return 0;
}

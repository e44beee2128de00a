/*
 * bench_camera.c — the camera driver on videotestsrc, 1280x720 JPEG at 30 fps.
 *
 *   bench camera_capture_ms <p50> ms       camera_capture: from the call to the JPEG in
 *   bench camera_capture_p99_ms <p99> ms   hand (waits for the next frame, then checks it
 *                                          decodes); half a frame interval is the floor
 *   bench camera_preview_cpu_pct <pct> %   CPU of the camera's own threads (pull, live-view
 *                                          decode and scale to 640 at 5 fps) while the live
 *                                          view runs, in % of one core; the test source's
 *                                          and jpegenc's threads are not counted
 *
 * RUNS pictures, each at a random point between frames.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "camera.h"
#include "log.h"

#define RUNS 200
#define CPU_SECONDS 10

#define PIPELINE                                                                                   \
    "videotestsrc is-live=true pattern=ball ! video/x-raw,width=1280,height=720,framerate=30/1 "   \
    "! jpegenc ! image/jpeg ! appsink name=sink max-buffers=1 drop=true"

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    log_set_level(LOG_ERROR);
    struct camera_opts o = {.pipeline = PIPELINE, .preview_fps = 5, .preview_width = 640};
    struct camera *cam = NULL;
    char err[400];
    if (camera_open(&o, NULL, NULL, &cam, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    for (int t = 0; t < 10000 && camera_state(cam, err, sizeof err) != CAMERA_OK; t += 10)
        sleep_ms(10);
    if (camera_state(cam, err, sizeof err) != CAMERA_OK) {
        fprintf(stderr, "camera did not start: %s\n", err);
        camera_close(cam);
        return 1;
    }

    /* The live view alone: what the camera's threads cost. */
    uint64_t serial = 0;
    uint32_t *px = NULL;
    size_t cap = 0;
    int w, h;
    double cpu0 = camera_cpu_ms(cam);
    int64_t t0 = clock_mono_ns();
    while (clock_mono_ns() - t0 < (int64_t)CPU_SECONDS * 1000000000) {
        camera_preview(cam, &serial, &px, &cap, &w, &h);
        sleep_ms(16); /* a screen refresh */
    }
    double wall_ms = (double)(clock_mono_ns() - t0) / 1e6;
    double cpu_pct = (camera_cpu_ms(cam) - cpu0) / wall_ms * 100.0;
    free(px);

    int64_t ns[RUNS];
    srand(1);
    for (int i = 0; i < RUNS; i++) {
        sleep_ms(rand() % 34);
        unsigned char *jpeg = NULL;
        size_t len = 0;
        int64_t a = clock_mono_ns();
        if (camera_capture(cam, 3000, &jpeg, &len, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            camera_close(cam);
            return 1;
        }
        ns[i] = clock_mono_ns() - a;
        free(jpeg);
    }
    camera_close(cam);
    qsort(ns, RUNS, sizeof *ns, cmp_i64);
    printf("bench camera_capture_ms %.1f ms\n", (double)ns[RUNS / 2] / 1e6);
    printf("bench camera_capture_p99_ms %.1f ms\n", (double)ns[RUNS * 99 / 100] / 1e6);
    printf("bench camera_preview_cpu_pct %.1f %%\n", cpu_pct);
    return 0;
}

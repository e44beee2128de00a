/*
 * camera.c — the camera over one GStreamer pipeline (camera.h).
 *
 * gst_parse_launch makes the pipeline from the configuration's text; its
 * appsink `sink` is set to keep only the newest frame (max-buffers=1,
 * drop=true), so a picture is never an old frame that waited in a queue.
 *
 * Two threads:
 *   pull     takes every frame from the appsink (a 50 ms timeout a turn),
 *            keeps the newest as a GstSample reference (no copy), pops the
 *            bus's errors and end of stream, and works out the state from the
 *            time of the last usable frame. A frame is usable when its caps
 *            are image/jpeg (or say nothing), its bytes start with SOI and end
 *            with EOI, and the last live-view decode did not fail.
 *   preview  decodes the newest frame at most preview_fps times a second
 *            (SDL2_image), scales it to preview_width by averaging the source
 *            pixels under each target pixel, and publishes it as XRGB8888.
 * camera_capture waits on the same condition variable for a frame newer than
 * the one there at the call, and checks that it is a whole JPEG that decodes.
 *
 * Ownership: the pipeline, the appsink and the bus belong to the pull thread
 * while it runs (camera_open and camera_close before and after); everything
 * under `mu` is shared. Decoding happens outside the lock. wake() is called
 * with no lock held.
 *
 * Error ids (E951–E964):
 *   E951 no pipeline, or it does not parse   E952 no appsink named sink
 *   E953 the pipeline cannot start           E954 out of memory, no thread
 *   E955 a pipeline error (camera gone)      E956 end of stream (camera gone)
 *   E957 a frame is not a JPEG               E958 no frame for stall_ms / in time
 *   I959 frames come (first, or again)
 */
#include "camera.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL.h>
#include <SDL_image.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>

#include "log.h"
#include "text.h"

#define PULL_TICK_MS 50

struct camera {
    struct camera_opts o;
    char *pipeline_text;
    GstElement *pipeline;
    GstAppSink *sink;
    GstBus *bus;
    void (*wake)(void *arg);
    void *arg;

    pthread_t pull_thread, preview_thread;
    bool pull_started, preview_started;
    atomic_bool stop;

    pthread_mutex_t mu;
    pthread_cond_t cv; /* a new frame, a new state, or stop */
    int64_t open_ms;
    GstSample *latest;                   /* the newest frame, NULL before the first */
    uint64_t frame_serial;               /* frames pulled so far */
    int64_t last_frame_ms, last_good_ms; /* 0: none yet */
    char bad_why[200];                   /* why the last unusable frame was so */
    bool undecodable;                    /* the last live-view decode failed */
    enum camera_state state;
    char err[320]; /* "E95x: …" when not OK */

    uint32_t *pv; /* the live view, pv_w x pv_h XRGB8888 */
    int pv_w, pv_h;
    uint64_t pv_serial;
};

/* ---- once per process ---------------------------------------------------- */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static char init_err[200];

static void init_libs(void)
{
    GError *gerr = NULL;
    if (!gst_init_check(NULL, NULL, &gerr)) {
        snprintf(init_err, sizeof init_err, "GStreamer cannot start: %s",
                 gerr ? gerr->message : "unknown error");
        g_clear_error(&gerr);
        return;
    }
    /* Loads the JPEG decoder now, before two threads could both ask for it. */
    if (!(IMG_Init(IMG_INIT_JPG) & IMG_INIT_JPG))
        snprintf(init_err, sizeof init_err, "SDL2_image has no JPEG decoder: %s", IMG_GetError());
}

/* ---- JPEG ---------------------------------------------------------------- */

/* SOI first, EOI last (zero padding after it allowed). */
static bool jpeg_markers(const unsigned char *d, size_t n, char *why, size_t whylen)
{
    if (n < 4 || d[0] != 0xFF || d[1] != 0xD8) {
        snprintf(why, whylen, "%zu bytes that do not start with SOI FFD8", n);
        return false;
    }
    while (n > 4 && d[n - 1] == 0)
        n--;
    if (d[n - 2] != 0xFF || d[n - 1] != 0xD9) {
        snprintf(why, whylen, "%zu bytes that do not end with EOI FFD9 (cut short?)", n);
        return false;
    }
    return true;
}

/* The frame decoded, as SDL2_image gives it; NULL with why. */
static SDL_Surface *jpeg_decode(const unsigned char *d, size_t n, char *why, size_t whylen)
{
    SDL_RWops *rw = SDL_RWFromConstMem(d, (int)n);
    SDL_Surface *s = rw ? IMG_LoadTyped_RW(rw, 1, "JPG") : NULL;
    if (!s)
        snprintf(why, whylen, "it does not decode: %s", IMG_GetError());
    return s;
}

int camera_check_jpeg(const unsigned char *data, size_t len, char *err, size_t errlen)
{
    char why[200];
    pthread_once(&init_once, init_libs);
    if (!jpeg_markers(data, len, why, sizeof why)) {
        set_err(err, errlen, "E957: the camera's frame is not a JPEG: %s", why);
        return -1;
    }
    SDL_Surface *s = jpeg_decode(data, len, why, sizeof why);
    if (!s) {
        set_err(err, errlen, "E957: the camera's frame is not a JPEG: %s", why);
        return -1;
    }
    SDL_FreeSurface(s);
    return 0;
}

/* Is the sample's media a JPEG at a glance (caps and markers)? */
static bool sample_usable(GstSample *s, char *why, size_t whylen)
{
    GstCaps *caps = gst_sample_get_caps(s);
    if (caps && gst_caps_get_size(caps) > 0) {
        const char *media = gst_structure_get_name(gst_caps_get_structure(caps, 0));
        if (strcmp(media, "image/jpeg") != 0) {
            snprintf(why, whylen, "the appsink gets %s, not image/jpeg", media);
            return false;
        }
    }
    GstBuffer *b = gst_sample_get_buffer(s);
    GstMapInfo m;
    if (!b || !gst_buffer_map(b, &m, GST_MAP_READ)) {
        snprintf(why, whylen, "a frame without data");
        return false;
    }
    bool ok = jpeg_markers(m.data, m.size, why, whylen);
    gst_buffer_unmap(b, &m);
    return ok;
}

/* ---- state --------------------------------------------------------------- */

static void wake(struct camera *cam)
{
    if (cam->wake)
        cam->wake(cam->arg);
}

/* Under mu: OK, STALLED or FAILED, with its id and text (logged). Returns true
 * when the state or its reason changed (the caller wakes). A FAILED camera
 * stays so. */
__attribute__((format(printf, 4, 5))) static bool
set_state(struct camera *cam, enum camera_state st, const char *id, const char *fmt, ...)
{
    if (cam->state == CAMERA_FAILED)
        return false;
    if (cam->state == st && (st == CAMERA_OK || !strncmp(cam->err, id, 4)))
        return false; /* the same state for the same reason */
    char msg[280];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cam->state = st;
    if (st == CAMERA_OK) {
        cam->err[0] = 0;
        log_info(id, "%s", msg);
    } else {
        snprintf(cam->err, sizeof cam->err, "%s: %s", id, msg);
        log_msg(st == CAMERA_FAILED ? LOG_ERROR : LOG_WARN, id, "%s", msg);
    }
    pthread_cond_broadcast(&cam->cv);
    return true;
}

/* Under mu: the state from the times of the last frames. */
static bool update_state(struct camera *cam, int64_t now)
{
    int64_t since = cam->last_good_ms ? cam->last_good_ms : cam->open_ms;
    if (now - since >= cam->o.stall_ms) {
        if (cam->last_frame_ms > since)
            return set_state(cam, CAMERA_STALLED, "E957",
                             "the camera's frames are not JPEG (%s): check that the pipeline ends"
                             " in image/jpeg before the appsink",
                             cam->bad_why);
        return set_state(cam, CAMERA_STALLED, "E958",
                         "no frame from the camera for %d ms: is it covered, busy or unplugged?",
                         cam->o.stall_ms);
    }
    if (cam->last_good_ms)
        return set_state(cam, CAMERA_OK, "I959", "camera: JPEG frames come");
    return false;
}

/* Bus errors and end of stream: the camera is gone. Under mu. */
static bool read_bus(struct camera *cam)
{
    bool changed = false;
    GstMessage *msg;
    while ((msg = gst_bus_pop_filtered(cam->bus, GST_MESSAGE_ERROR | GST_MESSAGE_EOS))) {
        if (GST_MESSAGE_TYPE(msg) == GST_MESSAGE_ERROR) {
            GError *gerr = NULL;
            gst_message_parse_error(msg, &gerr, NULL);
            changed |= set_state(cam, CAMERA_FAILED, "E955", "the camera failed: %s (%s)",
                                 gerr ? gerr->message : "error", GST_MESSAGE_SRC_NAME(msg));
            g_clear_error(&gerr);
        } else {
            changed |= set_state(cam, CAMERA_FAILED, "E956",
                                 "the camera stopped giving frames (end of stream): unplugged?");
        }
        gst_message_unref(msg);
    }
    return changed;
}

/* ---- the pull thread ----------------------------------------------------- */

static void *pull_main(void *arg)
{
    struct camera *cam = arg;
    while (!atomic_load(&cam->stop)) {
        GstSample *s = gst_app_sink_try_pull_sample(cam->sink, PULL_TICK_MS * GST_MSECOND);
        char why[200] = "";
        bool usable = s && sample_usable(s, why, sizeof why);
        int64_t now = clock_mono_ms();
        GstSample *old = NULL;
        pthread_mutex_lock(&cam->mu);
        if (s) {
            old = cam->latest;
            cam->latest = s;
            cam->frame_serial++;
            cam->last_frame_ms = now;
            if (usable && !cam->undecodable)
                cam->last_good_ms = now;
            else if (!usable)
                snprintf(cam->bad_why, sizeof cam->bad_why, "%s", why);
            pthread_cond_broadcast(&cam->cv);
        }
        bool changed = read_bus(cam);
        if (!s && gst_app_sink_is_eos(cam->sink))
            changed |= set_state(cam, CAMERA_FAILED, "E956",
                                 "the camera stopped giving frames (end of stream): unplugged?");
        changed |= update_state(cam, now);
        bool failed = cam->state == CAMERA_FAILED;
        pthread_mutex_unlock(&cam->mu);
        if (old)
            gst_sample_unref(old);
        if (changed)
            wake(cam);
        if (failed)
            break;
    }
    return NULL;
}

/* ---- the preview thread -------------------------------------------------- */

/* Scale src (XRGB8888, sw x sh, `pitch` bytes a row) to dw x dh by the
 * average of the source pixels under each target pixel. */
static void scale_xrgb(const SDL_Surface *src, uint32_t *dst, int dw, int dh)
{
    int sw = src->w, sh = src->h;
    for (int y = 0; y < dh; y++) {
        int y0 = (int)((int64_t)y * sh / dh), y1 = (int)((int64_t)(y + 1) * sh / dh);
        if (y1 <= y0)
            y1 = y0 + 1;
        for (int x = 0; x < dw; x++) {
            int x0 = (int)((int64_t)x * sw / dw), x1 = (int)((int64_t)(x + 1) * sw / dw);
            if (x1 <= x0)
                x1 = x0 + 1;
            uint32_t r = 0, g = 0, b = 0, n = 0;
            for (int sy = y0; sy < y1; sy++) {
                const uint32_t *row =
                    (const uint32_t *)(const void *)((const uint8_t *)src->pixels +
                                                     (size_t)sy * (size_t)src->pitch);
                for (int sx = x0; sx < x1; sx++) {
                    uint32_t p = row[sx];
                    r += (p >> 16) & 0xFF;
                    g += (p >> 8) & 0xFF;
                    b += p & 0xFF;
                    n++;
                }
            }
            dst[(size_t)y * (size_t)dw + (size_t)x] = (r / n) << 16 | (g / n) << 8 | (b / n);
        }
    }
}

/* The sample as a live-view frame in *out (malloc'd, *w x *h); false with why. */
static bool preview_frame(struct camera *cam, GstSample *s, uint32_t **out, int *w, int *h,
                          char *why, size_t whylen)
{
    GstBuffer *b = gst_sample_get_buffer(s);
    GstMapInfo m;
    if (!b || !gst_buffer_map(b, &m, GST_MAP_READ)) {
        snprintf(why, whylen, "a frame without data");
        return false;
    }
    SDL_Surface *dec = jpeg_decode(m.data, m.size, why, whylen);
    gst_buffer_unmap(b, &m);
    if (!dec)
        return false;
    SDL_Surface *xrgb = SDL_ConvertSurfaceFormat(dec, SDL_PIXELFORMAT_RGB888, 0);
    SDL_FreeSurface(dec);
    if (!xrgb) {
        snprintf(why, whylen, "cannot convert the frame: %s", SDL_GetError());
        return false;
    }
    int dw = cam->o.preview_width;
    int dh = (int)(((int64_t)xrgb->h * dw + xrgb->w / 2) / xrgb->w);
    if (dh < 1)
        dh = 1;
    uint32_t *px = malloc((size_t)dw * (size_t)dh * sizeof *px);
    bool ok = px && SDL_LockSurface(xrgb) == 0;
    if (ok) {
        scale_xrgb(xrgb, px, dw, dh);
        SDL_UnlockSurface(xrgb);
        *out = px, *w = dw, *h = dh;
    } else {
        free(px);
        snprintf(why, whylen, "out of memory for the live view");
    }
    SDL_FreeSurface(xrgb);
    return ok;
}

static struct timespec abs_ms(int64_t mono_ms)
{
    struct timespec ts = {.tv_sec = mono_ms / 1000, .tv_nsec = (long)(mono_ms % 1000) * 1000000};
    return ts;
}

static void *preview_main(void *arg)
{
    struct camera *cam = arg;
    int period = 1000 / cam->o.preview_fps;
    uint64_t decoded = 0;
    int64_t next_due = 0;
    pthread_mutex_lock(&cam->mu);
    while (!atomic_load(&cam->stop)) {
        int64_t now = clock_mono_ms();
        if (cam->state == CAMERA_FAILED || cam->frame_serial == decoded) {
            pthread_cond_wait(&cam->cv, &cam->mu);
            continue;
        }
        if (now < next_due) {
            struct timespec ts = abs_ms(next_due);
            pthread_cond_timedwait(&cam->cv, &cam->mu, &ts);
            continue;
        }
        GstSample *s = gst_sample_ref(cam->latest);
        decoded = cam->frame_serial;
        pthread_mutex_unlock(&cam->mu);

        /* A frame the pull thread found unusable is not decoded: it said why. */
        uint32_t *px = NULL;
        int w = 0, h = 0;
        char why[200] = "";
        bool usable = sample_usable(s, why, sizeof why);
        bool ok = usable && preview_frame(cam, s, &px, &w, &h, why, sizeof why);
        gst_sample_unref(s);
        pthread_mutex_lock(&cam->mu);
        if (!usable)
            continue;
        next_due = now + period;
        cam->undecodable = !ok;
        if (ok) {
            free(cam->pv);
            cam->pv = px, cam->pv_w = w, cam->pv_h = h;
            cam->pv_serial++;
            pthread_mutex_unlock(&cam->mu);
            wake(cam);
            pthread_mutex_lock(&cam->mu);
        } else {
            snprintf(cam->bad_why, sizeof cam->bad_why, "%s", why);
        }
    }
    pthread_mutex_unlock(&cam->mu);
    return NULL;
}

/* ---- the API ------------------------------------------------------------- */

/* The error the bus holds after a failed start, for the message. */
static void start_error(GstBus *bus, char *out, size_t outlen)
{
    snprintf(out, outlen, "the pipeline refused to play");
    GstMessage *msg = gst_bus_pop_filtered(bus, GST_MESSAGE_ERROR);
    if (!msg)
        return;
    GError *gerr = NULL;
    gst_message_parse_error(msg, &gerr, NULL);
    if (gerr)
        snprintf(out, outlen, "%s (%s)", gerr->message, GST_MESSAGE_SRC_NAME(msg));
    g_clear_error(&gerr);
    gst_message_unref(msg);
}

int camera_open(const struct camera_opts *o, void (*wake_fn)(void *arg), void *arg,
                struct camera **out, char *err, size_t errlen)
{
    *out = NULL;
    if (!o || !o->pipeline || !o->pipeline[0]) {
        set_err(err, errlen, "E951: no camera pipeline is configured ([camera] pipeline)");
        return -1;
    }
    pthread_once(&init_once, init_libs);
    if (init_err[0]) {
        set_err(err, errlen, "E953: %s", init_err);
        return -1;
    }
    struct camera *cam = calloc(1, sizeof *cam);
    if (!cam || !(cam->pipeline_text = strdup(o->pipeline))) {
        free(cam);
        set_err(err, errlen, "E954: out of memory opening the camera");
        return -1;
    }
    cam->o = *o;
    cam->o.pipeline = cam->pipeline_text;
    if (cam->o.preview_fps <= 0)
        cam->o.preview_fps = CAMERA_PREVIEW_FPS;
    if (cam->o.preview_fps > 1000)
        cam->o.preview_fps = 1000;
    if (cam->o.preview_width <= 0)
        cam->o.preview_width = CAMERA_PREVIEW_WIDTH;
    if (cam->o.stall_ms <= 0)
        cam->o.stall_ms = CAMERA_STALL_MS;
    cam->wake = wake_fn;
    cam->arg = arg;
    cam->state = CAMERA_STARTING;
    pthread_mutex_init(&cam->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&cam->cv, &ca);
    pthread_condattr_destroy(&ca);

    GError *gerr = NULL;
    GstElement *top =
        gst_parse_launch_full(cam->pipeline_text, NULL, GST_PARSE_FLAG_FATAL_ERRORS, &gerr);
    if (!top) {
        set_err(err, errlen, "E951: the camera pipeline does not parse: %s",
                gerr ? gerr->message : "unknown error");
        g_clear_error(&gerr);
        camera_close(cam);
        return -1;
    }
    g_clear_error(&gerr);
    if (GST_IS_PIPELINE(top)) {
        cam->pipeline = top;
    } else {
        /* A single element: give it a pipeline, and with it a bus and a clock. */
        cam->pipeline = gst_pipeline_new(NULL);
        gst_bin_add(GST_BIN(cam->pipeline), top);
    }
    GstElement *sink = gst_bin_get_by_name(GST_BIN(cam->pipeline), "sink");
    if (!sink || !GST_IS_APP_SINK(sink)) {
        set_err(err, errlen,
                "E952: the camera pipeline has no appsink named sink%s: end it in"
                " \"! appsink name=sink\"",
                sink ? " (an element named sink is there, but not an appsink)" : "");
        if (sink)
            gst_object_unref(sink);
        camera_close(cam);
        return -1;
    }
    cam->sink = GST_APP_SINK(sink);
    /* Only the newest frame waits: a picture is never an old one. */
    gst_app_sink_set_max_buffers(cam->sink, 1);
    gst_app_sink_set_drop(cam->sink, TRUE);
    gst_app_sink_set_emit_signals(cam->sink, FALSE);
    cam->bus = gst_element_get_bus(cam->pipeline);

    if (gst_element_set_state(cam->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
        char why[280];
        start_error(cam->bus, why, sizeof why);
        set_err(err, errlen, "E953: the camera cannot start: %s", why);
        camera_close(cam);
        return -1;
    }
    cam->open_ms = clock_mono_ms();
    if (pthread_create(&cam->pull_thread, NULL, pull_main, cam) != 0) {
        set_err(err, errlen, "E954: the camera's thread cannot start");
        camera_close(cam);
        return -1;
    }
    cam->pull_started = true;
    if (pthread_create(&cam->preview_thread, NULL, preview_main, cam) != 0) {
        set_err(err, errlen, "E954: the camera's live-view thread cannot start");
        camera_close(cam);
        return -1;
    }
    cam->preview_started = true;
    *out = cam;
    return 0;
}

void camera_close(struct camera *cam)
{
    if (!cam)
        return;
    atomic_store(&cam->stop, true);
    pthread_mutex_lock(&cam->mu);
    pthread_cond_broadcast(&cam->cv);
    pthread_mutex_unlock(&cam->mu);
    if (cam->pull_started)
        pthread_join(cam->pull_thread, NULL);
    if (cam->preview_started)
        pthread_join(cam->preview_thread, NULL);
    if (cam->pipeline) {
        gst_element_set_state(cam->pipeline, GST_STATE_NULL);
        gst_object_unref(cam->pipeline);
    }
    if (cam->sink)
        gst_object_unref(cam->sink);
    if (cam->bus)
        gst_object_unref(cam->bus);
    if (cam->latest)
        gst_sample_unref(cam->latest);
    pthread_cond_destroy(&cam->cv);
    pthread_mutex_destroy(&cam->mu);
    free(cam->pv);
    free(cam->pipeline_text);
    free(cam);
}

enum camera_state camera_state(struct camera *cam, char *err, size_t errlen)
{
    pthread_mutex_lock(&cam->mu);
    enum camera_state st = cam->state;
    set_err(err, errlen, "%s", st == CAMERA_OK ? "" : cam->err);
    pthread_mutex_unlock(&cam->mu);
    return st;
}

int camera_preview(struct camera *cam, uint64_t *serial, uint32_t **pixels, size_t *cap, int *w,
                   int *h)
{
    int rc = 0;
    pthread_mutex_lock(&cam->mu);
    if (cam->state == CAMERA_FAILED) {
        rc = -1;
    } else if (cam->pv && cam->pv_serial > *serial) {
        size_t need = (size_t)cam->pv_w * (size_t)cam->pv_h * sizeof **pixels;
        if (*cap < need) {
            uint32_t *p = realloc(*pixels, need);
            if (!p) {
                pthread_mutex_unlock(&cam->mu);
                return -1;
            }
            *pixels = p, *cap = need;
        }
        memcpy(*pixels, cam->pv, need);
        *w = cam->pv_w, *h = cam->pv_h;
        *serial = cam->pv_serial;
        rc = 1;
    }
    pthread_mutex_unlock(&cam->mu);
    return rc;
}

int camera_capture(struct camera *cam, int timeout_ms, unsigned char **jpeg, size_t *len, char *err,
                   size_t errlen)
{
    *jpeg = NULL;
    *len = 0;
    int64_t deadline = clock_mono_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    struct timespec ts = abs_ms(deadline);
    pthread_mutex_lock(&cam->mu);
    uint64_t first = cam->frame_serial;
    while (cam->frame_serial == first && cam->state != CAMERA_FAILED && clock_mono_ms() < deadline)
        pthread_cond_timedwait(&cam->cv, &cam->mu, &ts);
    if (cam->state == CAMERA_FAILED) {
        set_err(err, errlen, "%s", cam->err);
        pthread_mutex_unlock(&cam->mu);
        return -1;
    }
    if (cam->frame_serial == first) {
        pthread_mutex_unlock(&cam->mu);
        set_err(err, errlen, "E958: no frame from the camera within %d ms: it stalls", timeout_ms);
        return -1;
    }
    GstSample *s = gst_sample_ref(cam->latest);
    pthread_mutex_unlock(&cam->mu);

    int rc = -1;
    GstBuffer *b = gst_sample_get_buffer(s);
    GstMapInfo m;
    if (!b || !gst_buffer_map(b, &m, GST_MAP_READ)) {
        set_err(err, errlen, "E957: the camera's frame is not a JPEG: a frame without data");
    } else {
        if (camera_check_jpeg(m.data, m.size, err, errlen) == 0) {
            if (!(*jpeg = malloc(m.size ? m.size : 1))) {
                set_err(err, errlen, "E954: out of memory for a picture of %zu bytes", m.size);
            } else {
                memcpy(*jpeg, m.data, m.size);
                *len = m.size;
                rc = 0;
            }
        }
        gst_buffer_unmap(b, &m);
    }
    gst_sample_unref(s);
    return rc;
}

double camera_cpu_ms(struct camera *cam)
{
    double ms = 0;
    pthread_t threads[2] = {cam->pull_thread, cam->preview_thread};
    bool started[2] = {cam->pull_started, cam->preview_started};
    for (int i = 0; i < 2; i++) {
        clockid_t cid;
        struct timespec ts;
        if (started[i] && pthread_getcpuclockid(threads[i], &cid) == 0 &&
            clock_gettime(cid, &ts) == 0)
            ms += (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
    }
    return ms;
}

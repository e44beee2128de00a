/*
 * camera.h — the station's camera: one GStreamer pipeline that gives JPEG
 * frames, a live view decoded off the UI thread, and pictures taken as the
 * camera gave them (prefix camera_).
 *
 * The pipeline comes from the configuration ([camera] pipeline) in
 * gst-launch syntax and ends in an appsink named `sink` that gives
 * image/jpeg, e.g. on a station
 *     v4l2src device=/dev/video0 ! image/jpeg,width=1280,height=720
 *       ! appsink name=sink max-buffers=1 drop=true
 * and in the tests
 *     videotestsrc is-live=true ! video/x-raw,width=1280,height=720,framerate=30/1
 *       ! jpegenc ! image/jpeg ! appsink name=sink max-buffers=1 drop=true
 *
 * Two threads of the camera's own: one pulls every frame from the appsink,
 * watches the bus (errors, end of stream) and the time since the last frame
 * (stall); the other decodes at most preview_fps frames a second for the
 * live view. Callers only copy under a mutex. The caller's `wake` is called
 * from those threads; it must be quick and must not call back into the
 * camera (ui_wake fits).
 *
 * README.md in this folder says which hardware and how it is tested.
 * Error ids E951–E964 (ERRORS.md).
 */
#ifndef TRIAGE_CAMERA_H
#define TRIAGE_CAMERA_H

#include <stddef.h>
#include <stdint.h>

struct camera_opts {
    const char *pipeline; /* gst-launch syntax, ends in appsink name=sink giving image/jpeg */
    int preview_fps;      /* live view frames decoded per second (default 5) */
    int preview_width;    /* live view frames scaled to this width (default 640), aspect kept */
    int stall_ms;         /* no frame for this long = stalled (default 2000) */
};

#define CAMERA_PREVIEW_FPS 5
#define CAMERA_PREVIEW_WIDTH 640
#define CAMERA_STALL_MS 2000

enum camera_state { CAMERA_STARTING, CAMERA_OK, CAMERA_STALLED, CAMERA_FAILED };

struct camera;

/* Start the pipeline; frames are pulled on the camera's own threads. wake(arg)
 * (may be NULL) is called from those threads when a new preview frame or a
 * state change is there. Options of 0 take the defaults above. Returns 0, or
 * -1 with "E95x: …" in err: no pipeline or one that does not parse (E951),
 * no appsink named sink (E952), the pipeline cannot start (E953), out of
 * memory or no thread (E954). */
int camera_open(const struct camera_opts *o, void (*wake)(void *arg), void *arg,
                struct camera **out, char *err, size_t errlen);

/* Stop the pipeline and the threads, free everything. NULL is fine. */
void camera_close(struct camera *cam);

/* The state now, and when not OK the error text with its id ("E95x: …";
 * STARTING: ""). Thread-safe.
 *   STARTING  no frame yet (for less than stall_ms)
 *   OK        JPEG frames come
 *   STALLED   no usable frame for stall_ms: none at all (E958), or frames
 *             that are not JPEG (E957); back to OK when good frames come
 *   FAILED    the camera is gone for good: a pipeline error (E955) or the
 *             end of the stream (E956, a camera unplugged) */
enum camera_state camera_state(struct camera *cam, char *err, size_t errlen);

/* The newest preview frame when newer than *serial (start with 0): copies it
 * as 32-bit XRGB8888 (SDL_PIXELFORMAT_RGB888; rows of w pixels, no padding)
 * into *pixels (realloc'd as needed; *cap its size in bytes), sets *w, *h
 * and *serial. Returns 1 copied, 0 nothing newer, -1 the camera has failed
 * or out of memory. Thread-safe and quick: a copy under a mutex, never a
 * decode. */
int camera_preview(struct camera *cam, uint64_t *serial, uint32_t **pixels, size_t *cap, int *w,
                   int *h);

/* Take a picture: the first JPEG frame that arrives after the call (never an
 * older one), waiting at most timeout_ms. The JPEG as the camera gave it (no
 * re-encoding), malloc'd into *jpeg and *len (the caller frees). Returns 0,
 * or -1 with "E95x: …" in err: no frame in time (E958), the camera is gone
 * (its E955 or E956), the frame is not a JPEG (E957: no SOI FFD8, no EOI
 * FFD9, or it does not decode), out of memory (E954). */
int camera_capture(struct camera *cam, int timeout_ms, unsigned char **jpeg, size_t *len, char *err,
                   size_t errlen);

/* CPU time the camera's own threads have used so far, in milliseconds
 * (the bench's figure; GStreamer's streaming threads are not counted). */
double camera_cpu_ms(struct camera *cam);

/* 0 when `data` is a whole JPEG: SOI FFD8 first, EOI FFD9 last (trailing
 * zero bytes allowed), and it decodes; else -1 with "E957: …" in err. */
int camera_check_jpeg(const unsigned char *data, size_t len, char *err, size_t errlen);

#endif

/*
 * run.c — the station's main loop.
 *
 * Events come from the UI (keys, text, touches), the scanners and the clock
 * — or from a script, which is just another event source. Each goes to the
 * core; the core's effects are carried out here, in order: a save commits to
 * the store (which queues the label in the same transaction), wakes the
 * print worker and answers the core with EV_SAVED or EV_SAVE_FAILED; a
 * reprint queues a reprint job; a PIN check goes to its own thread
 * (pin_worker.h), whose answer comes back as EV_LOGIN_RESULT — at once in
 * script mode, which waits for it, so scripts stay deterministic. The screen
 * is drawn only when something changed.
 */
#include "run.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backup_worker.h"
#include "camera.h"
#include "audit.h"
#include "datadir.h"
#include "log.h"
#include "operators.h"
#include "photos.h"
#include "pin_worker.h"
#include "ports.h"
#include "print_worker.h"
#include "printer.h"
#include "printq.h"
#include "tz.h"
#include "scanner.h"
#include "script.h"
#include "selfcheck_worker.h"
#include "service.h"
#include "station.h"
#include "stats_worker.h"
#include "store.h"
#include "sync.h"
#include "ui.h"
#include "upkeep.h"

#define QUEUE_MAX 64

struct app {
    const struct run_options *opt;
    struct store *store;
    struct station *station;
    struct ui *ui;
    struct pworker *printer; /* the print worker thread; owns the printer */
    struct ui_status status;
    struct scanners *scanners;     /* hardware scanners' thread; NULL when none configured */
    unsigned scanners_gen;         /* their state as last shown */
    struct sworker *stats;         /* statistics thread; started on first use */
    struct ckworker *checks;       /* the service screen's checks; started on first use */
    struct service_report service; /* their last answer, for EV_SELFCHECK_DONE */
    struct tz *tz;                 /* the site's time zone ([station] timezone) */
    struct pinworker *pins;        /* PIN check thread; started on first use */
    bool pins_failed;              /* it could not start: PINs are checked on this thread */
    struct sync *sync;             /* head-office sync thread (sync/sync.h); NULL when off */
    struct bworker *backup;        /* daily backup thread (backup_worker.h); NULL when off */
    struct datadir datadir;        /* the data folder, locked for this station */
    struct upkeep upkeep;          /* free disk, WAL, retention (upkeep.h) */
    struct camera *camera;         /* open while the photo screen wants it (follow_camera) */
    int64_t camera_wanted;         /* when the photo screen was last up (mono ms) */
    int64_t camera_retry;          /* a camera that would not open: not before then (mono ms) */
    char camera_said[192];         /* what the core was last told of the camera (EV_CAMERA) */
    uint64_t camera_serial;        /* the live view's newest frame handed to the UI */
    uint32_t *camera_pixels;
    size_t camera_cap;
    int64_t last_input_mono; /* when someone last did something (mono ms) */
    char db_path[1024];
    int64_t now;        /* station time, Unix ms */
    int64_t clock_skew; /* script mode: station time minus wall time */
    bool dirty;
    bool script_mode;

    struct event queue[QUEUE_MAX];
    int qhead, qlen;
};

static void enqueue(struct app *app, const struct event *ev)
{
    if (app->qlen == QUEUE_MAX) {
        log_error("E920", "event queue full; event dropped");
        return;
    }
    app->queue[(app->qhead + app->qlen++) % QUEUE_MAX] = *ev;
}

static int64_t station_now(const struct app *app)
{
    return clock_wall_ms() + app->clock_skew;
}

static void refresh_printer_status(struct app *app);
static void refresh_sync_status(struct app *app);

/* What stands between a saved outcome and its label and head office, for
 * the words the core says with "Saved": the printer's trouble and the labels
 * waiting (the queue itself, so the new label counts), a failing sync. */
static void save_troubles(struct app *app, struct event *ev)
{
    refresh_printer_status(app);
    refresh_sync_status(app);
    const struct ui_status *s = &app->status;
    for (int i = 0; i < s->ndevices; i++)
        if (s->devices[i].printer && !s->devices[i].ok)
            snprintf(ev->printer_trouble, sizeof ev->printer_trouble, "%s", s->devices[i].state);
    int waiting = printq_waiting(app->store);
    ev->labels_waiting = waiting > 0 ? waiting : s->labels_waiting;
    if (s->sync_error[0]) {
        int idlen = s->sync_error[0] == 'E' ? (int)strcspn(s->sync_error, ":") : 0;
        snprintf(ev->sync_trouble, sizeof ev->sync_trouble, "%.*s", idlen > 5 ? 5 : idlen,
                 s->sync_error);
        if (!ev->sync_trouble[0])
            snprintf(ev->sync_trouble, sizeof ev->sync_trouble, "E700");
    }
}

static void do_save(struct app *app, const struct inspection *insp)
{
    struct inspection rec = *insp;
    char err[256];
    struct event ev = {.now = app->now};
    if (store_commit_inspection(app->store, &rec, err, sizeof err) == 0) {
        log_info("I201", "saved %s", rec.plate);
        pworker_kick(app->printer); /* the commit queued its label */
        sync_recount(app->sync);    /* one more waiting: the screen says so */
        ev.type = EV_SAVED;
        ev.seq = rec.seq;
        snprintf(ev.plate, sizeof ev.plate, "%s", rec.plate);
        save_troubles(app, &ev);
    } else {
        log_error("E921", "inspection not saved, will retry: %s", err);
        ev.type = EV_SAVE_FAILED;
        snprintf(ev.text, sizeof ev.text, "%s", err);
        ev.len = strlen(ev.text);
    }
    enqueue(app, &ev);
}

/* A grader asked for a saved label again: a reprint job. The worker sends. */
static void do_reprint(struct app *app, const struct effect *e)
{
    char err[256];
    if (printq_add(app->store, e->subject, "reprint", app->now, NULL, err, sizeof err) != 0) {
        log_error("E922", "label %s not queued: %s", e->subject, err);
        return;
    }
    log_info("I202", "label %s queued again (reprint) for %s", e->subject, e->actor);
    pworker_kick(app->printer);
}

static void notify_ui(void *ctx);

/* Check a PIN on its thread; the answer is enqueued when it is there (in
 * script mode at once). */
static void do_check_pin(struct app *app, struct effect *e)
{
    char err[512];
    if (!app->pins && !app->pins_failed &&
        pinworker_start(app->db_path, notify_ui, app->ui, &app->pins, err, sizeof err) != 0) {
        log_error("E940", "%s; PINs are checked on the main thread", err);
        app->pins_failed = true;
    }
    if (!app->pins) {
        struct event ev = ports_check_pin(app->store, e, app->now);
        enqueue(app, &ev);
    } else {
        pinworker_check(app->pins, e, app->now);
        if (app->script_mode) {
            struct event ev;
            pinworker_wait_idle(app->pins);
            if (pinworker_take(app->pins, &ev))
                enqueue(app, &ev);
        }
    }
    explicit_bzero(e->pin, sizeof e->pin);
}

/* Bring the screen's printer line and label count up to the worker's view. */
static void refresh_printer_status(struct app *app)
{
    if (!app->printer)
        return;
    struct pworker_status ps;
    pworker_status(app->printer, &ps);
    struct ui_status *s = &app->status;
    int i = 0;
    while (i < s->ndevices && strcmp(s->devices[i].name, "printer") != 0)
        i++;
    if (i == s->ndevices) {
        if (s->ndevices == UI_MAX_DEVICES)
            return;
        s->ndevices++;
        snprintf(s->devices[i].name, sizeof s->devices[i].name, "printer");
        s->devices[i].printer = true;
    }
    const char *state = printer_state_name(ps.state);
    bool ok = ps.state == PRINTER_READY;
    char code[8] = ""; /* "E652: …" → "E652" */
    if (!ok && ps.detail[0] == 'E' && strlen(ps.detail) >= 5 && ps.detail[4] == ':')
        snprintf(code, sizeof code, "%.4s", ps.detail);
    if (strcmp(s->devices[i].state, state) != 0 || s->devices[i].ok != ok ||
        strcmp(s->devices[i].code, code) != 0 || s->labels_waiting != ps.waiting) {
        snprintf(s->devices[i].state, sizeof s->devices[i].state, "%s", state);
        snprintf(s->devices[i].code, sizeof s->devices[i].code, "%s", code);
        s->devices[i].ok = ok;
        s->labels_waiting = ps.waiting;
        app->dirty = true;
    }
}

/* Bring the screen's sync chip (waiting, last success, last error with its
 * id) up to the sync worker's status. */
static void refresh_sync_status(struct app *app)
{
    if (!app->sync)
        return;
    struct sync_status st;
    sync_get_status(app->sync, &st);
    struct ui_status *s = &app->status;
    char last_ok[32] = "";
    if (st.last_ok_ms > 0) {
        time_t t = (time_t)(st.last_ok_ms / 1000);
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(last_ok, sizeof last_ok, "%H:%M", &tm);
    }
    int waiting = st.waiting < 0 ? 0 : st.waiting > INT_MAX ? INT_MAX : (int)st.waiting;
    if (s->outbox_waiting != waiting || strcmp(s->sync_last_ok, last_ok) != 0 ||
        strncmp(s->sync_error, st.last_error, sizeof s->sync_error - 1) != 0) {
        s->outbox_waiting = waiting;
        snprintf(s->sync_last_ok, sizeof s->sync_last_ok, "%s", last_ok);
        snprintf(s->sync_error, sizeof s->sync_error, "%.*s", (int)sizeof s->sync_error - 1,
                 st.last_error);
        app->dirty = true;
    }
}

/* Statistics are computed by their own thread (stats_worker.h): never here. */
static void do_stats(struct app *app, const struct effect *e)
{
    char err[512];
    if (!app->stats &&
        sworker_start(app->db_path, notify_ui, app->ui, &app->stats, err, sizeof err) != 0) {
        log_error("E939", "%s", err);
        return;
    }
    if (e->type == FX_STATS_QUERY)
        sworker_query(app->stats, &e->range);
    else
        sworker_list(app->stats, &e->range, e->dim, e->key, e->offset);
}

/* The grader's unfinished inspection, kept or forgotten at once (durable,
 * like a save: a power cut keeps the last answer). A failure costs only what
 * a crash then would: the station goes on. */
static void do_draft(struct app *app, const struct effect *e)
{
    char err[256];
    int rc = e->type == FX_DRAFT_SAVE
                 ? store_put_draft(app->store, e->actor, e->draft, err, sizeof err)
                 : store_drop_draft(app->store, e->actor, err, sizeof err);
    if (rc != 0)
        log_error("E944", "unfinished inspection of %s not %s: %s", e->actor,
                  e->type == FX_DRAFT_SAVE ? "kept" : "removed", err);
}

/* An admin's change at the operators screen: the store audits it with the
 * admin as actor; the answer tells the screen to read the list again. */
static void do_manage_operator(struct app *app, const struct effect *e)
{
    char err[300] = "";
    int rc = !strcmp(e->action, "unlock")
                 ? operators_unlock(app->store, e->subject, e->actor, err, sizeof err)
                 : operators_set_disabled(app->store, e->subject, !strcmp(e->action, "disable"),
                                          e->actor, err, sizeof err);
    struct event ev = {.type = EV_OPERATOR_DONE, .now = app->now};
    if (rc == 0) {
        log_info("I948", "operator %s: %s by %s", e->subject, e->action, e->actor);
    } else {
        log_error("E948", "operator %s not changed: %s", e->subject, err);
        snprintf(ev.text, sizeof ev.text, "%s", err);
        ev.len = strlen(ev.text);
    }
    enqueue(app, &ev);
}

/* ---- the camera ----------------------------------------------------------
 *
 * The camera runs only while it is wanted: it is opened when the photo
 * screen comes up and closed CAMERA_LINGER_MS after the screen was last up
 * (a run of photos keeps it), so a station that takes no photos spends
 * nothing on it. The core hears of its state (EV_CAMERA) whenever the words
 * change; the UI gets its newest frame while the photo screen is up. A
 * camera that fails (unplugged) is closed and opened again after
 * CAMERA_RETRY_MS.
 */
#define CAMERA_LINGER_MS 60000
#define CAMERA_RETRY_MS 3000
#define CAMERA_TAKE_MS 3000 /* the longest a picture may take to come */
#define CAMERA_NONE "E934: this station has no camera ([camera] pipeline)"

static void dispatch(struct app *app, const struct event *first);

/* Tell the core what the camera is doing ("" it gives pictures), when that changed. */
static void camera_say(struct app *app, const char *why)
{
    if (strcmp(app->camera_said, why) == 0)
        return;
    snprintf(app->camera_said, sizeof app->camera_said, "%s", why);
    if (why[0])
        log_warn("W934", "the camera gives no picture: %s", why);
    struct event ev = {.type = EV_CAMERA, .now = app->now};
    snprintf(ev.text, sizeof ev.text, "%s", why);
    ev.len = strlen(ev.text);
    dispatch(app, &ev);
}

static void camera_stop(struct app *app)
{
    camera_close(app->camera);
    app->camera = NULL;
    app->camera_serial = 0;
    ui_camera_frame(app->ui, NULL, 0, 0);
    app->dirty = true;
}

/* Open, follow and close the camera as the screen wants it; hand the UI the
 * live view's newest frame. After every event and every wake-up. */
static void follow_camera(struct app *app)
{
    struct camera_opts o;
    config_camera_opts(app->opt->cfg, &o);
    if (!o.pipeline) {
        camera_say(app, CAMERA_NONE);
        return;
    }
    int64_t mono = clock_mono_ms();
    bool wanted = station_screen(app->station) == SCREEN_PHOTO;
    if (wanted)
        app->camera_wanted = mono;
    if (!app->camera && wanted && mono >= app->camera_retry) {
        char err[192];
        if (camera_open(&o, notify_ui, app->ui, &app->camera, err, sizeof err) != 0) {
            app->camera_retry = mono + CAMERA_RETRY_MS;
            camera_say(app, err);
            return;
        }
    }
    if (!app->camera)
        return;
    if (!wanted && mono - app->camera_wanted >= CAMERA_LINGER_MS) {
        camera_stop(app);
        return;
    }
    char err[192] = "";
    enum camera_state cs = camera_state(app->camera, err, sizeof err);
    camera_say(app, cs == CAMERA_OK || cs == CAMERA_STARTING ? "" : err);
    if (cs == CAMERA_FAILED) {
        camera_stop(app);
        app->camera_retry = mono + CAMERA_RETRY_MS;
        return;
    }
    int w, h;
    if (wanted && camera_preview(app->camera, &app->camera_serial, &app->camera_pixels,
                                 &app->camera_cap, &w, &h) == 1) {
        ui_camera_frame(app->ui, app->camera_pixels, w, h);
        app->dirty = true;
    }
}

/* How long the main loop may wait before follow_camera has work: a
 * lingering camera's close. */
static int64_t camera_next_ms(const struct app *app)
{
    if (!app->camera)
        return INT64_MAX;
    int64_t left = app->camera_wanted + CAMERA_LINGER_MS - clock_mono_ms();
    return left < 0 ? 0 : left;
}

/* The camera's picture, as the camera gave it (malloc'd into *jpeg). 0, or
 * -1 with "E9xx: …" in err. */
static int take_picture(struct app *app, unsigned char **jpeg, size_t *len, char *err,
                        size_t errlen)
{
    *jpeg = NULL;
    *len = 0;
    if (!app->camera) {
        snprintf(err, errlen, "%s", app->camera_said[0] ? app->camera_said : CAMERA_NONE);
        return -1;
    }
    return camera_capture(app->camera, CAMERA_TAKE_MS, jpeg, len, err, errlen);
}

/* A photo for check e->subject: the camera's picture, kept for good by the
 * store (photos.h) before the core hears of it (EV_PHOTO_TAKEN); or why not
 * (EV_PHOTO_FAILED). The inspection itself is untouched either way. */
static void do_take_photo(struct app *app, const struct effect *e)
{
    struct event ev = {.type = EV_PHOTO_FAILED, .now = app->now};
    unsigned char *jpeg = NULL;
    size_t len = 0;
    char err[256];
    if (take_picture(app, &jpeg, &len, err, sizeof err) == 0 &&
        photos_put(app->store, jpeg, len, e->subject, app->opt->cfg->retention.min_free_mb,
                   &ev.photo, err, sizeof err) == 0) {
        ev.type = EV_PHOTO_TAKEN;
        log_info("I935", "photo %s taken for check %s by %s (%zu bytes)", ev.photo.file, e->subject,
                 e->actor, len);
    } else {
        log_error("E935", "no photo for check %s: %s", e->subject, err);
        snprintf(ev.text, sizeof ev.text, "%s", err);
        ev.len = strlen(ev.text);
    }
    free(jpeg);
    enqueue(app, &ev);
}

/* The service screen's checks run on their own thread (selfcheck_worker.h),
 * with the station's video and the print worker's view of the printer. */
static void do_selfcheck(struct app *app)
{
    char err[300], video[128];
    if (!app->checks && ckworker_start(app->opt->data_dir, app->opt->cfg, notify_ui, app->ui,
                                       &app->checks, err, sizeof err) != 0) {
        log_error("E950", "%s", err);
        struct event ev = {.type = EV_SELFCHECK_DONE, .now = app->now};
        enqueue(app, &ev); /* no lines: the screen says the checks did not run */
        return;
    }
    struct pworker_status ps = {0};
    pworker_status(app->printer, &ps);
    struct printer_status printer = {.state = ps.state};
    snprintf(printer.detail, sizeof printer.detail, "%s", ps.detail);
    snprintf(video, sizeof video, "%s, renderer %s", ui_driver(app->ui), ui_renderer(app->ui));
    ckworker_check(app->checks, video, &printer, ps.waiting, app->now);
}

static void carry_out(struct app *app, struct effects *fx)
{
    for (int i = 0; i < fx->n; i++) {
        struct effect *e = &fx->fx[i];
        switch (e->type) {
        case FX_CHECK_PIN: do_check_pin(app, e); break;
        case FX_SAVE: do_save(app, e->insp); break;
        case FX_REPRINT: do_reprint(app, e); break;
        case FX_AUDIT:
            if (store_audit_authorised(app->store, app->now, e->actor, e->authorised_by, e->action,
                                       e->subject, e->detail) != 0)
                log_error("E923", "audit entry \"%s\" not written", e->action);
            log_info("I203", "%s%s%s by %s%s%s", e->action, e->subject[0] ? " " : "", e->subject,
                     e->actor, e->authorised_by[0] ? ", authorised by " : "", e->authorised_by);
            break;
        case FX_BEEP_OK:
        case FX_BEEP_ERROR: break; /* the station has no speaker driver yet: the screen says it */
        case FX_STATS_QUERY:
        case FX_STATS_LIST: do_stats(app, e); break;
        case FX_DRAFT_SAVE:
        case FX_DRAFT_DROP: do_draft(app, e); break;
        case FX_MANAGE_OPERATOR: do_manage_operator(app, e); break;
        case FX_PHOTO_TAKE: do_take_photo(app, e); break;
        case FX_SELFCHECK: do_selfcheck(app); break;
        }
    }
}

/* Hand one event to the core, then everything it led to. */
static void dispatch(struct app *app, const struct event *first)
{
    enqueue(app, first);
    struct effects fx;
    while (app->qlen > 0) {
        struct event ev = app->queue[app->qhead];
        app->qhead = (app->qhead + 1) % QUEUE_MAX;
        app->qlen--;
        ev.now = app->now;
        if (station_handle(app->station, &ev, &fx))
            app->dirty = true;
        carry_out(app, &fx);
    }
}

/* The checks' answer, when there is one, to the core. */
static void take_selfcheck(struct app *app)
{
    if (!ckworker_take(app->checks, &app->service))
        return;
    struct event ev = {.type = EV_SELFCHECK_DONE, .now = app->now, .selfcheck = &app->service};
    dispatch(app, &ev);
}

static void render(struct app *app)
{
    struct view v;
    station_view(app->station, &v);
    if (v.screen == SCREEN_STATS) {
        sworker_fill_view(app->stats, &v);
        /* How far the shown rows can scroll is the layout's to say; the core
         * keeps its scroll within it. */
        station_stats_scroll_limit(app->station, ui_stats_scroll_max(&v));
        station_view(app->station, &v);
        sworker_fill_view(app->stats, &v);
    }
    ui_render(app->ui, &v, &app->status);
    app->dirty = false;
}

/* Time passes: tick the core if it asked to be woken by now. */
static void tick(struct app *app)
{
    if (station_next_deadline(app->station) <= app->now) {
        struct event ev = {.type = EV_TICK, .now = app->now};
        dispatch(app, &ev);
    }
}

/* Hand what the UI has to the core; poll with `timeout_ms`. */
static bool pump_ui(struct app *app, int timeout_ms)
{
    struct event evs[16];
    bool quit = false;
    int n = ui_poll(app->ui, timeout_ms, app->now, evs, 16, &quit);
    app->now = station_now(app);
    if (n > 0)
        app->last_input_mono = clock_mono_ms();
    for (int i = 0; i < n; i++)
        dispatch(app, &evs[i]);
    return quit;
}

/* The data folder's upkeep (upkeep.h); the top bar's disk chip follows it. */
static void upkeep(struct app *app)
{
    int64_t now = clock_mono_ms();
    if (upkeep_step(&app->upkeep, now, now - app->last_input_mono)) {
        app->status.disk_low_mb = app->upkeep.disk_low_mb;
        app->dirty = true;
    }
}

/* Hand up to `max` completed scans of the hardware scanners to the core.
 * Returns how many. */
static int pump_scanners(struct app *app, int max)
{
    struct scan_code code;
    int n = 0;
    while (n < max && scanners_take(app->scanners, &code)) {
        struct event ev = {.type = EV_SCAN, .now = app->now, .len = code.len};
        memcpy(ev.text, code.text, code.len + 1); /* len <= SCAN_MAX_CODE < sizeof ev.text */
        snprintf(ev.source, sizeof ev.source, "%s", code.source);
        dispatch(app, &ev);
        n++;
    }
    return n;
}

/* Bring each hardware scanner's line in the top bar up to its state. */
static void refresh_scanner_status(struct app *app)
{
    if (!app->scanners)
        return;
    unsigned gen = scanners_generation(app->scanners);
    if (gen == app->scanners_gen)
        return;
    app->scanners_gen = gen;
    struct scanner_state st[SCANNERS_MAX];
    int n = scanners_states(app->scanners, st, SCANNERS_MAX);
    struct ui_status *s = &app->status;
    for (int k = 0; k < n && k < SCANNERS_MAX; k++) {
        int i = 0;
        while (i < s->ndevices && strcmp(s->devices[i].name, st[k].name) != 0)
            i++;
        if (i == s->ndevices) {
            if (s->ndevices == UI_MAX_DEVICES)
                continue;
            s->ndevices++;
            snprintf(s->devices[i].name, sizeof s->devices[i].name, "%.31s", st[k].name);
        }
        snprintf(s->devices[i].state, sizeof s->devices[i].state, "%.15s", st[k].state);
        s->devices[i].ok = strcmp(st[k].state, "ready") == 0;
        /* In "error" the detail starts with the error id ("E580 …"): on screen for support. */
        const char *d = st[k].detail;
        bool has_id = !s->devices[i].ok && d[0] == 'E' && d[1] >= '0' && d[1] <= '9' &&
                      d[2] >= '0' && d[2] <= '9' && d[3] >= '0' && d[3] <= '9';
        snprintf(s->devices[i].code, sizeof s->devices[i].code, "%.4s", has_id ? d : "");
    }
    app->dirty = true;
}

/* ---- interactive ------------------------------------------------------- */

static int run_interactive(struct app *app)
{
    bool quit = false;
    while (!quit) {
        service_alive();
        app->now = station_now(app);
        tick(app);
        if (app->dirty)
            render(app);
        int64_t deadline = station_next_deadline(app->station);
        int64_t ms = upkeep_next_ms(&app->upkeep, clock_mono_ms());
        if (deadline != INT64_MAX && deadline - app->now < ms)
            ms = deadline - app->now;
        int64_t camera_ms = camera_next_ms(app);
        if (camera_ms < ms)
            ms = camera_ms;
        int timeout = ms < 0 ? 0 : ms > 60000 ? 60000 : (int)ms;
        timeout = service_wait_ms(timeout);
        quit = pump_ui(app, timeout);
        struct event answer;
        if (pinworker_take(app->pins, &answer))
            dispatch(app, &answer);
        if (sworker_poll(app->stats))
            app->dirty = true;
        take_selfcheck(app);
        pump_scanners(app, INT_MAX);
        refresh_scanner_status(app);
        refresh_printer_status(app);
        refresh_sync_status(app);
        follow_camera(app);
        upkeep(app);
    }
    return 0;
}

/* ---- script ------------------------------------------------------------ */

static int shot(struct app *app, const char *name)
{
    char path[1024], err[256];
    const char *dir = app->opt->shots;
    char fallback[600];
    if (!dir) {
        snprintf(fallback, sizeof fallback, "%s/shots", app->opt->data_dir);
        dir = fallback;
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        log_error("E924", "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    if (snprintf(path, sizeof path, "%s/%s.png", dir, name) >= (int)sizeof path) {
        log_error("E936", "shot path too long: %s/%s.png", dir, name);
        return -1;
    }
    /* The photo screen's live view: its first frame, so that the shot shows it. */
    int64_t until = clock_mono_ms() + 2000;
    while (app->camera && app->camera_serial == 0 && clock_mono_ms() < until) {
        if (pump_ui(app, 20))
            break;
        follow_camera(app);
    }
    render(app);
    if (ui_screenshot(app->ui, path, err, sizeof err) != 0) {
        log_error("E925", "%s", err);
        return -1;
    }
    log_info("I204", "shot %s", path);
    return 0;
}

/*
 * `wait MS`. Without hardware scanners station time moves on at once: a
 * script never sleeps for real. With them, it waits in real time up to MS
 * for the next scan, delivers it and stops there (one scan a wait, so a
 * script can `expect` the screen each scan leads to); either way station
 * time moves on by MS. Returns true when the window was closed.
 */
static bool script_wait(struct app *app, int64_t ms)
{
    int64_t start = clock_mono_ms();
    bool quit = false;
    while (app->scanners) {
        app->now = station_now(app);
        if (pump_scanners(app, 1) > 0)
            break;
        refresh_scanner_status(app);
        tick(app);
        if (app->dirty)
            render(app);
        int64_t left = start + ms - clock_mono_ms();
        if (left <= 0 || quit)
            break;
        quit = pump_ui(app, left > 1000 ? 1000 : (int)left);
    }
    int64_t waited = clock_mono_ms() - start;
    if (waited < ms)
        app->clock_skew += ms - waited;
    app->now = station_now(app);
    refresh_scanner_status(app);
    tick(app);
    return quit;
}

static int run_script(struct app *app)
{
    FILE *f = fopen(app->opt->script, "r");
    if (!f) {
        log_error("E926", "cannot read script %s: %s", app->opt->script, strerror(errno));
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int lineno = 0, status = 0;
    bool done = false;
    /* Whole lines, however long: a long one is refused with its id, never
     * split into a command and a tail. */
    while (!done && (len = getline(&line, &cap, f)) >= 0) {
        service_alive();
        lineno++;
        struct script_cmd cmd;
        char err[256];
        if (script_check_line(line, (size_t)len, lineno, err, sizeof err) != 0 ||
            script_parse_line(line, lineno, &cmd, err, sizeof err) != 0) {
            log_error("E927", "%s: %s", app->opt->script, err);
            status = 1;
            break;
        }
        app->now = station_now(app);
        struct event ev = {.now = app->now};
        switch (cmd.op) {
        case SC_NONE: continue;
        case SC_SCAN:
            ev.type = EV_SCAN;
            memcpy(ev.text, cmd.arg, cmd.len + 1);
            ev.len = cmd.len;
            snprintf(ev.source, sizeof ev.source, "script");
            dispatch(app, &ev);
            break;
        case SC_KEY:
            if (ui_inject_key(app->ui, cmd.arg) != 0) {
                log_error("E928", "%s:%d: unknown key \"%s\"", app->opt->script, lineno, cmd.arg);
                status = 1;
                done = true;
            }
            break;
        case SC_TEXT: ui_inject_text(app->ui, cmd.arg); break;
        case SC_TAP: ui_inject_tap(app->ui, cmd.x, cmd.y); break;
        case SC_WAIT:
            if (script_wait(app, cmd.ms))
                done = true;
            break;
        case SC_SHOT:
            if (shot(app, cmd.arg) != 0) {
                status = 1;
                done = true;
            }
            break;
        case SC_EXPECT: {
            /* let what is queued in the UI arrive first */
            pump_ui(app, 0);
            const char *is = screen_name(station_screen(app->station));
            if (strcmp(is, cmd.arg) != 0) {
                log_error("E929", "%s:%d: expected screen %s, the station shows %s",
                          app->opt->script, lineno, cmd.arg, is);
                status = 3;
                done = true;
            }
            break;
        }
        case SC_QUIT: done = true; break;
        }
        if (pump_ui(app, 0))
            done = true;
        /* A script sees the numbers its keys asked for: wait for them. */
        sworker_wait_idle(app->stats);
        if (sworker_poll(app->stats))
            app->dirty = true;
        ckworker_wait_idle(app->checks);
        take_selfcheck(app);
        refresh_printer_status(app);
        refresh_sync_status(app);
        follow_camera(app);
        tick(app);
        if (app->dirty)
            render(app);
    }
    free(line);
    fclose(f);
    if (station_has_unsaved(app->station))
        log_warn("W201", "script ended with an inspection not yet saved");
    return status;
}

/* ---- wiring ------------------------------------------------------------ */

/* Workers, scanners and sync wake the main loop's wait: ctx is the ui. */
static void notify_ui(void *ctx)
{
    ui_wake(ctx);
}

/* A screen to draw on: X, Wayland, a console video driver asked for, or a
 * DRM card (/dev/dri/card*) for the console. */
static bool have_display(void)
{
    const char *drv = getenv("SDL_VIDEODRIVER");
    if (drv && *drv)
        return strcmp(drv, "dummy") != 0 && strcmp(drv, "offscreen") != 0;
    const char *x = getenv("DISPLAY"), *w = getenv("WAYLAND_DISPLAY");
    if ((x && *x) || (w && *w))
        return true;
    char card[32];
    for (int i = 0; i < 8; i++) {
        snprintf(card, sizeof card, "/dev/dri/card%d", i);
        if (access(card, F_OK) == 0)
            return true;
    }
    return false;
}

/*
 * Before anything else: the data folder is this station's alone (locked),
 * holds a database or may get one (datadir.h); the database is whole
 * (quick_check), can be written, and the disk has room. Each refusal says
 * why and what to do, with its id. Returns 0, or -1 (logged).
 */
static int open_data(struct app *app, char *path, size_t pathlen)
{
    const struct run_options *opt = app->opt;
    char err[1500];
    if (datadir_open(opt->data_dir, DATADIR_STATION, &app->datadir, err, sizeof err) != 0) {
        log_error("E930", "%s", err);
        return -1;
    }
    snprintf(path, pathlen, "%s", app->datadir.db_path);
    int64_t free_mb = datadir_free_mb(opt->data_dir);
    if (free_mb >= 0 && free_mb < opt->cfg->retention.min_free_mb) {
        log_error("E949",
                  "only %lld MB free on the disk of %s, less than the %d MB the station"
                  " needs to start ([retention] min_free_mb): make room first",
                  (long long)free_mb, opt->data_dir, opt->cfg->retention.min_free_mb);
        return -1;
    }
    if (datadir_check_writable(opt->data_dir, err, sizeof err) != 0) {
        log_error("E947", "%s", err);
        return -1;
    }
    if (store_open(path, opt->cfg->station_id, &app->store, err, sizeof err) != 0) {
        bool damaged = strstr(err, "malformed") || strstr(err, "E206") || strstr(err, "E205");
        log_error("E931", "%s%s%s", err, damaged ? "; " : "",
                  damaged ? datadir_restore_hint() : "");
        return -1;
    }
    if (store_quick_check(app->store, err, sizeof err) != 0) {
        log_error("E945", "%s: %s", err, datadir_restore_hint());
        return -1;
    }
    if (store_writable(app->store, err, sizeof err) != 0) {
        log_error("E947", "%s", err);
        return -1;
    }
    return 0;
}

int run_station(const struct run_options *opt)
{
    struct app app = {.opt = opt, .script_mode = opt->script != NULL, .datadir.lock_fd = -1};
    char path[1024], err[512];
    int status = 1;

    service_open();
    if (open_data(&app, path, sizeof path) != 0)
        goto out;
    /* The configuration said which renderer ("" in a hand-made one: auto). */
    int renderer = ui_renderer_from_name(opt->cfg->display.renderer);
    struct ui_options uo = {
        .width = opt->width,
        .height = opt->height,
        .fullscreen = opt->fullscreen,
        .headless = app.script_mode && !have_display(),
        .renderer = renderer < 0 ? UI_RENDERER_AUTO : (enum ui_renderer)renderer,
        .font_path = opt->cfg->font_path[0] ? opt->cfg->font_path : NULL,
    };
    if (ui_open(&uo, &app.ui, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        goto out;
    }
    /* The site's time zone: its days and "today" on the statistics screen. */
    if (tz_load(opt->cfg->timezone, &app.tz, err, sizeof err) != 0) {
        log_error("E946", "%s", err);
        goto out;
    }
    struct station_settings ss = {
        .station_id = opt->cfg->station_id,
        .idle_logout_min = opt->cfg->idle_logout_min,
        .lang = opt->lang,
        .rules = opt->rules,
        .calibration_pct = opt->cfg->calibration_pct,
        .tz = app.tz,
        .data_dir = opt->data_dir,
    };
    snprintf(app.db_path, sizeof app.db_path, "%s", path);
    {
        struct sync_options so = {.data_dir = opt->data_dir, .cfg = &opt->cfg->sync};
        char target[600];
        upkeep_init(&app.upkeep, app.store, opt->data_dir, opt->cfg,
                    sync_target(&so, target, sizeof target));
        app.last_input_mono = clock_mono_ms();
        upkeep(&app);
    }
    struct station_ports ports = ports_over_store(app.store);
    app.station = station_new(&ss, &ports);
    if (!app.station) {
        log_error("E933", "out of memory");
        goto out;
    }
    app.now = station_now(&app);
    render(&app);
    /* The first frame is up: what the screen does not need for it starts now,
     * so a station shows itself as soon as it can (the label fonts alone take
     * milliseconds to open). */
    struct printer *printer = NULL;
    struct printer_opts pcfg;
    config_printer_opts(opt->cfg, &pcfg);
    pcfg.label.rules = opt->rules; /* defect, reason and category names on the labels */
    if (printer_open(&pcfg, opt->data_dir, &printer, err, sizeof err) != 0) {
        log_error("E932", "%s", err);
        goto out;
    }
    /* The worker owns the printer from here. */
    struct pworker_options po = {.notify = notify_ui, .notify_ctx = app.ui};
    if (pworker_start(path, printer, &po, &app.printer, err, sizeof err) != 0) {
        log_error("E937", "%s", err);
        goto out;
    }
    refresh_printer_status(&app);
    /* Hardware scanners run in their own thread and wake the UI's wait. */
    if (scanners_open(opt->cfg->scanners, opt->cfg->nscanners, notify_ui, app.ui, &app.scanners,
                      err, sizeof err) != 0) {
        log_error("E938", "%s", err);
        goto out;
    }
    refresh_scanner_status(&app);
    follow_camera(&app); /* the core learns whether there is a camera */
    /* Outcomes to head office on a thread of its own (own database
     * connection; it only reads the outbox and writes its bookkeeping). A
     * script runs it only when the configuration names a target, so demo and
     * test scripts do not fill a spool by surprise. */
    if (!app.script_mode || opt->cfg->sync.target[0]) {
        struct sync_options so = {.db_path = path,
                                  .station = opt->cfg->station_id,
                                  .site = opt->cfg->site,
                                  .timezone = opt->cfg->timezone,
                                  .data_dir = opt->data_dir,
                                  .cfg = &opt->cfg->sync,
                                  .on_status = notify_ui,
                                  .arg = app.ui};
        if (sync_start(&so, &app.sync, err, sizeof err) != 0) {
            log_error("E728", "%s", err);
            goto out;
        }
    }
    /* Daily backups on a thread of their own; a script only when the configuration
     * names a folder. */
    if ((!app.script_mode || opt->cfg->backup.dir[0]) &&
        bworker_start(path, opt->data_dir, &opt->cfg->backup, &app.backup, err, sizeof err) != 0)
        log_error("E892", "the station runs without daily backups: %s", err);
    log_info("I200", "ready: station %s, rules %s, video %s", opt->cfg->station_id,
             opt->rules->version, ui_driver(app.ui));
    service_ready("ready");
    status = app.script_mode ? run_script(&app) : run_interactive(&app);
out:
    service_stopping();
    bworker_stop(app.backup);
    sync_stop(app.sync);
    pinworker_stop(app.pins);
    sworker_stop(app.stats);
    ckworker_stop(app.checks);
    scanners_close(app.scanners);
    camera_close(app.camera);
    free(app.camera_pixels);
    station_free(app.station);
    tz_free(app.tz);
    /* Labels due now get a few seconds to go out (a script's all of them);
     * the rest wait in the queue for the next start. Before ui_close: the
     * worker draws labels with SDL_ttf, which ui_close may shut down. */
    pworker_stop(app.printer, app.script_mode ? 10000 : 3000);
    ui_close(app.ui);
    upkeep_finish(&app.upkeep);
    store_close(app.store);
    datadir_close(&app.datadir);
    return status;
}

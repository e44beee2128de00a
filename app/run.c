/*
 * run.c — the station's main loop.
 *
 * Events come from the UI (keys, text, touches), the scanners and the clock
 * — or from a script, which is just another event source. Each goes to the
 * core; the core's effects are carried out here, in order: a save commits to
 * the store and answers the core with EV_SAVED or EV_SAVE_FAILED, and only
 * the core's FX_PRINT_LABEL after EV_SAVED produces the label. The screen is
 * drawn only when something changed.
 */
#include "run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "ports.h"
#include "printer.h"
#include "script.h"
#include "station.h"
#include "store.h"
#include "ui.h"

#define QUEUE_MAX 64

struct app {
    const struct run_options *opt;
    struct store *store;
    struct station *station;
    struct ui *ui;
    struct printer *printer;
    struct ui_status status;
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

static int64_t station_now(const struct app *app) { return clock_wall_ms() + app->clock_skew; }

static void do_save(struct app *app, const struct inspection *insp)
{
    struct inspection rec = *insp;
    char err[256];
    struct event ev = {.now = app->now};
    if (store_commit_inspection(app->store, &rec, err, sizeof err) == 0) {
        log_info("I201", "saved %s", rec.plate);
        ev.type = EV_SAVED;
        ev.seq = rec.seq;
        snprintf(ev.plate, sizeof ev.plate, "%s", rec.plate);
    } else {
        log_error("E921", "inspection not saved, will retry: %s", err);
        ev.type = EV_SAVE_FAILED;
        snprintf(ev.text, sizeof ev.text, "%s", err);
        ev.len = strlen(ev.text);
    }
    enqueue(app, &ev);
}

static void do_print(struct app *app, const struct inspection *insp)
{
    char err[256];
    if (printer_print(app->printer, insp, err, sizeof err) == 0)
        log_info("I202", "label %s printed", insp->plate);
    else
        log_error("E922", "label %s not printed: %s", insp->plate, err);
}

static void carry_out(struct app *app, const struct effects *fx)
{
    for (int i = 0; i < fx->n; i++) {
        const struct effect *e = &fx->fx[i];
        switch (e->type) {
        case FX_SAVE:
            do_save(app, e->insp);
            break;
        case FX_PRINT_LABEL:
            do_print(app, e->insp);
            break;
        case FX_AUDIT:
            if (store_audit(app->store, app->now, e->detail, e->text, "") != 0)
                log_error("E923", "audit entry \"%s\" not written", e->text);
            log_info("I203", "%s %s", e->text, e->detail);
            break;
        case FX_BEEP_OK:
        case FX_BEEP_ERROR:
            break; /* the station has no speaker driver yet: the screen says it */
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

static void render(struct app *app)
{
    struct view v;
    station_view(app->station, &v);
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
    for (int i = 0; i < n; i++)
        dispatch(app, &evs[i]);
    return quit;
}

/* ---- interactive ------------------------------------------------------- */

static int run_interactive(struct app *app)
{
    bool quit = false;
    while (!quit) {
        app->now = station_now(app);
        tick(app);
        if (app->dirty)
            render(app);
        int64_t deadline = station_next_deadline(app->station);
        int timeout = -1;
        if (deadline != INT64_MAX) {
            int64_t ms = deadline - app->now;
            timeout = ms < 0 ? 0 : ms > 60000 ? 60000 : (int)ms;
        }
        quit = pump_ui(app, timeout);
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
    render(app);
    if (ui_screenshot(app->ui, path, err, sizeof err) != 0) {
        log_error("E925", "%s", err);
        return -1;
    }
    log_info("I204", "shot %s", path);
    return 0;
}

static int run_script(struct app *app)
{
    FILE *f = fopen(app->opt->script, "r");
    if (!f) {
        log_error("E926", "cannot read script %s: %s", app->opt->script, strerror(errno));
        return 1;
    }
    char line[1024];
    int lineno = 0, status = 0;
    bool done = false;
    while (!done && fgets(line, sizeof line, f)) {
        lineno++;
        struct script_cmd cmd;
        char err[256];
        if (script_parse_line(line, lineno, &cmd, err, sizeof err) != 0) {
            log_error("E927", "%s: %s", app->opt->script, err);
            status = 1;
            break;
        }
        app->now = station_now(app);
        struct event ev = {.now = app->now};
        switch (cmd.op) {
        case SC_NONE:
            continue;
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
        case SC_TEXT:
            ui_inject_text(app->ui, cmd.arg);
            break;
        case SC_TAP:
            ui_inject_tap(app->ui, cmd.x, cmd.y);
            break;
        case SC_WAIT:
            /* Station time moves on at once; a script never sleeps for real. */
            app->clock_skew += cmd.ms;
            app->now = station_now(app);
            tick(app);
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
        case SC_QUIT:
            done = true;
            break;
        }
        if (pump_ui(app, 0))
            done = true;
        tick(app);
        if (app->dirty)
            render(app);
    }
    fclose(f);
    if (station_has_unsaved(app->station))
        log_warn("W201", "script ended with an inspection not yet saved");
    return status;
}

/* ---- wiring ------------------------------------------------------------ */

static bool have_display(void)
{
    const char *drv = getenv("SDL_VIDEODRIVER");
    if (drv && *drv)
        return strcmp(drv, "dummy") != 0 && strcmp(drv, "offscreen") != 0;
    const char *x = getenv("DISPLAY"), *w = getenv("WAYLAND_DISPLAY");
    return (x && *x) || (w && *w) || access("/dev/dri/card0", F_OK) == 0;
}

int run_station(const struct run_options *opt)
{
    struct app app = {.opt = opt, .script_mode = opt->script != NULL};
    char path[1024], err[512];
    int status = 1;

    if (mkdir(opt->data_dir, 0755) != 0 && errno != EEXIST) {
        log_error("E930", "cannot create data folder %s: %s", opt->data_dir, strerror(errno));
        return 1;
    }
    snprintf(path, sizeof path, "%s/triage.db", opt->data_dir);
    if (store_open(path, opt->cfg->station_id, &app.store, err, sizeof err) != 0) {
        log_error("E931", "%s", err);
        return 1;
    }
    if (printer_open(&opt->cfg->printer, opt->data_dir, &app.printer, err, sizeof err) != 0) {
        log_error("E932", "%s", err);
        goto out;
    }
    struct ui_options uo = {
        .width = opt->width,
        .height = opt->height,
        .fullscreen = opt->fullscreen,
        .headless = app.script_mode && !have_display(),
        .font_path = opt->cfg->font_path[0] ? opt->cfg->font_path : NULL,
    };
    if (ui_open(&uo, &app.ui, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        goto out;
    }
    struct station_settings ss = {
        .station_id = opt->cfg->station_id,
        .idle_logout_min = opt->cfg->idle_logout_min,
        .lang = opt->lang,
        .rules = opt->rules,
    };
    struct station_ports ports = ports_over_store(app.store);
    app.station = station_new(&ss, &ports);
    if (!app.station) {
        log_error("E933", "out of memory");
        goto out;
    }
    app.now = station_now(&app);
    render(&app);
    log_info("I200", "ready: station %s, rules %s, video %s", opt->cfg->station_id,
             opt->rules->version, ui_driver(app.ui));
    status = app.script_mode ? run_script(&app) : run_interactive(&app);
out:
    station_free(app.station);
    ui_close(app.ui);
    printer_close(app.printer);
    store_close(app.store);
    return status;
}

/*
 * ui.c — the window, the frame, input into events, injected input, screenshots.
 *
 * Frames: each ui_render lays the view out (layout.c), paints it into a
 * 1280x800 target texture (paint.c) and copies that to the window, scaled by
 * SDL_RenderSetLogicalSize (letterboxed when the screen's shape differs). The
 * texture outlives the frame, so a screenshot reads it at any time and an
 * exposed window is repainted without laying anything out again.
 *
 * Input: text arrives only as SDL_TEXTINPUT (so a key that types is never
 * sent twice), named keys as SDL_KEYDOWN, touches as SDL_FINGERUP and clicks
 * as SDL_MOUSEBUTTONUP. Touches and clicks are hit-tested against the last
 * frame's layout, so what is touched is what was drawn. On kmsdrm a touch
 * arrives only as finger events (normalised to the window, windowID 0): SDL's
 * renderer maps them to the logical viewport, and we scale by 1280x800. Mouse
 * events SDL synthesises from touches (which == SDL_TOUCH_MOUSEID) and touch
 * events synthesised from the mouse (touchId == SDL_MOUSE_TOUCHID) are
 * ignored, so one touch is one event.
 *
 * Waiting: on drivers that can block (x11, wayland) ui_poll sleeps in
 * SDL_WaitEventTimeout. The others only poll, and SDL 2.26's own wait would
 * wake every millisecond, so:
 *   - kmsdrm (SDL reads /dev/input/event* itself): we open the same devices
 *     read-only and sleep in poll(2) on them. Every open file of an evdev
 *     device gets its own copy of each event, so draining ours takes nothing
 *     from SDL; a touch or a key wakes us at once. Rescanned every 10 s for
 *     devices plugged in later.
 *   - dummy, offscreen (headless): nothing arrives but injected events, which
 *     are queued before ui_poll is called, wake-ups and signals, which end a
 *     poll(2) at once: sleep in 1 s steps.
 *
 * Wake-ups: ui_wake, from any thread, pushes this ui's own SDL user event
 * (its type registered by ui_open) and writes a byte into this ui's pipe, so
 * whichever way ui_poll sleeps it returns at once.
 *   - anything else, or no access to /dev/input: poll with a back-off, 2 ms
 *     while someone is working, up to 50 ms after ten idle seconds.
 */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#endif

#include <SDL.h>
#include <SDL_image.h>

#include "draw.h"
#include "layout.h"
#include "log.h"
#include "theme.h"
#include "utf8.h"

struct ui {
    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Texture *frame; /* the last frame, 1280x800; NULL if the renderer cannot */
    bool have_frame;
    struct draw *draw;
    struct lay lay; /* the last frame's layout: what a touch hits */
    char driver[32];
    char renderer[32];
    bool real_wait;
    bool evdev_wait; /* kmsdrm: wait in poll(2) on our own evdev fds */
    bool no_input;   /* dummy/offscreen: nothing to poll for, sleep long */
    int evfd[32];
    int nevfd;
    Uint64 evdev_scanned;
    bool headless;
    bool sdl_inited;
    Uint64 last_input; /* SDL ticks of the last input, for the poll back-off */
    /* Set by ui_open, read by ui_wake from any thread, changed by nobody. */
    Uint32 wake_type; /* the SDL user event of this ui's wake-ups; 0: none */
    int wake_pipe[2]; /* [0] polled by the sleeps below, [1] written by ui_wake */
};

/* ---- open / close ------------------------------------------------------- */

static bool driver_is(const char *drv, const char *name)
{
    return drv && strcmp(drv, name) == 0;
}

/* Why SDL found no screen, in a sentence: what a person can check. */
static void no_display(char *err, size_t errlen, const char *why)
{
    const char *display = getenv("DISPLAY"), *wayland = getenv("WAYLAND_DISPLAY");
    const char *forced = getenv("SDL_VIDEODRIVER");
    char dri[96];
    if (access("/dev/dri/card0", F_OK) != 0)
        snprintf(dri, sizeof dri, "no /dev/dri/card0");
    else if (access("/dev/dri/card0", R_OK | W_OK) != 0)
        snprintf(dri, sizeof dri, "/dev/dri/card0 not accessible (join the video group)");
    else
        snprintf(dri, sizeof dri, "/dev/dri/card0 present");
    const char *input = access("/dev/input", F_OK) != 0 ? ", no /dev/input"
                        : access("/dev/input", R_OK) != 0
                            ? ", /dev/input not readable (join the input group)"
                            : "";
    snprintf(err, errlen,
             "E801: no display: %s (DISPLAY %s, WAYLAND_DISPLAY %s, SDL_VIDEODRIVER %s, %s%s). "
             "Run it under X (xvfb-run make run), or headless with --script FILE.",
             why, display && display[0] ? display : "unset",
             wayland && wayland[0] ? wayland : "unset", forced && forced[0] ? forced : "unset", dri,
             input);
}

/* This ui's wake-ups: its own SDL user event type and pipe. Without
 * either, ui_wake does what the other can. */
static void wake_open(struct ui *ui)
{
#ifdef __linux__
    if (pipe2(ui->wake_pipe, O_NONBLOCK | O_CLOEXEC) != 0)
        ui->wake_pipe[0] = ui->wake_pipe[1] = -1;
#endif
    Uint32 type = SDL_RegisterEvents(1);
    ui->wake_type = type != (Uint32)-1 ? type : 0;
}

int ui_open(const struct ui_options *opt, struct ui **out, char *err, size_t errlen)
{
    *out = NULL;
    struct ui *ui = calloc(1, sizeof *ui);
    if (!ui) {
        snprintf(err, errlen, "E800: out of memory");
        return -1;
    }
    ui->headless = opt->headless;
    ui->wake_pipe[0] = ui->wake_pipe[1] = -1;
    if (opt->headless) {
        /* The environment's SDL_VIDEODRIVER beats a plain hint; this beats both. */
        SDL_SetHintWithPriority(SDL_HINT_VIDEODRIVER, "dummy", SDL_HINT_OVERRIDE);
    } else if (!getenv("SDL_VIDEODRIVER") && !getenv("WAYLAND_DISPLAY")) {
        /* No Wayland compositor: do not probe for one (its client library
         * prints its own complaint); X11, then the console. */
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "x11,kmsdrm");
    }
    /* We handle touch ourselves: no mouse events made from touches, and back. */
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");

    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        if (opt->headless)
            snprintf(err, errlen, "E800: cannot start SDL video (dummy driver): %s",
                     SDL_GetError());
        else
            no_display(err, errlen, SDL_GetError());
        free(ui);
        return -1;
    }
    ui->sdl_inited = true;
    wake_open(ui);
    const char *drv = SDL_GetCurrentVideoDriver();
    snprintf(ui->driver, sizeof ui->driver, "%s", drv ? drv : "?");
    /* SDL 2.26 falls back to an invisible offscreen window when it finds no
     * screen; for a station that asked for one, that is no display. */
    const char *forced = getenv("SDL_VIDEODRIVER");
    if (!opt->headless && (driver_is(drv, "offscreen") || driver_is(drv, "dummy")) &&
        !(forced && strstr(forced, drv))) {
        char why[96];
        snprintf(why, sizeof why, "SDL found only the \"%s\" driver", ui->driver);
        no_display(err, errlen, why);
        ui_close(ui);
        return -1;
    }
    ui->real_wait = driver_is(drv, "x11") || driver_is(drv, "wayland") ||
                    driver_is(drv, "windows") || driver_is(drv, "cocoa");
    ui->evdev_wait = driver_is(drv, "kmsdrm");
    /* Without a screen (dummy, offscreen) no input can arrive but what is
     * injected, wake-ups and signals, which all end a sleep at once. */
    ui->no_input = opt->headless || driver_is(drv, "dummy") || driver_is(drv, "offscreen");

    int w = opt->width > 0 ? opt->width : UI_W, h = opt->height > 0 ? opt->height : UI_H;
    Uint32 flags = SDL_WINDOW_RESIZABLE;
    if (opt->fullscreen)
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    ui->win =
        SDL_CreateWindow("triage", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (!ui->win) {
        snprintf(err, errlen, "E802: cannot open a window on \"%s\": %s", ui->driver,
                 SDL_GetError());
        goto fail;
    }
    if (!opt->headless) {
        ui->ren = SDL_CreateRenderer(ui->win, -1, SDL_RENDERER_TARGETTEXTURE);
        if (!ui->ren)
            log_warn("W800", "no accelerated renderer (%s): drawing in software", SDL_GetError());
    }
    if (!ui->ren)
        ui->ren = SDL_CreateRenderer(ui->win, -1, SDL_RENDERER_SOFTWARE);
    if (!ui->ren) {
        snprintf(err, errlen, "E803: cannot create a renderer: %s", SDL_GetError());
        goto fail;
    }
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(ui->ren, &info) == 0)
        snprintf(ui->renderer, sizeof ui->renderer, "%s", info.name);
    SDL_RenderSetLogicalSize(ui->ren, UI_W, UI_H);
    ui->frame =
        SDL_CreateTexture(ui->ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, UI_W, UI_H);
    if (!ui->frame)
        log_warn("W801", "renderer %s has no target textures (%s): no screenshots", ui->renderer,
                 SDL_GetError());
    ui->draw = draw_open(ui->ren, opt->font_path, err, errlen);
    if (!ui->draw)
        goto fail;
    if (driver_is(drv, "kmsdrm"))
        SDL_ShowCursor(SDL_DISABLE); /* a touch station: no pointer */
    SDL_StartTextInput();
    ui->last_input = SDL_GetTicks64();
    log_info("I800", "video driver %s, renderer %s, font %s", ui->driver, ui->renderer,
             draw_font_path(ui->draw));
    *out = ui;
    return 0;
fail:
    ui_close(ui);
    return -1;
}

static void evdev_close(struct ui *ui);

void ui_close(struct ui *ui)
{
    if (!ui)
        return;
    evdev_close(ui);
    for (int i = 0; i < 2; i++)
        if (ui->wake_pipe[i] >= 0)
            close(ui->wake_pipe[i]);
    draw_close(ui->draw);
    if (ui->frame)
        SDL_DestroyTexture(ui->frame);
    if (ui->ren)
        SDL_DestroyRenderer(ui->ren);
    if (ui->win)
        SDL_DestroyWindow(ui->win);
    if (ui->sdl_inited) {
        SDL_StopTextInput();
        /* Counted, like SDL_Init: other parts of the process may still use SDL. */
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        if (SDL_WasInit(SDL_INIT_EVERYTHING) == 0)
            SDL_Quit();
    }
    free(ui);
}

const char *ui_driver(const struct ui *ui)
{
    return ui ? ui->driver : "";
}

/* ---- frames ------------------------------------------------------------- */

/* Copy the kept frame to the window and show it. */
static void present(struct ui *ui)
{
    SDL_SetRenderDrawColor(ui->ren, 0, 0, 0, 255);
    SDL_RenderClear(ui->ren); /* the letterbox bars */
    SDL_RenderCopy(ui->ren, ui->frame, NULL, NULL);
    SDL_RenderPresent(ui->ren);
}

void ui_render(struct ui *ui, const struct view *view, const struct ui_status *status)
{
    lay_build(view, &ui->lay);
    if (ui->lay.overflow)
        log_warn("W802", "screen %d has more than %d items; some are not shown", view->screen,
                 LAY_MAX);
    draw_begin_frame(ui->draw);
    if (ui->frame) {
        SDL_SetRenderTarget(ui->ren, ui->frame);
        paint_lay(ui->draw, &ui->lay, status);
        SDL_SetRenderTarget(ui->ren, NULL);
        ui->have_frame = true;
        present(ui);
    } else {
        SDL_SetRenderDrawColor(ui->ren, 0, 0, 0, 255);
        SDL_RenderClear(ui->ren);
        paint_lay(ui->draw, &ui->lay, status);
        SDL_RenderPresent(ui->ren);
    }
}

int ui_screenshot(struct ui *ui, const char *path, char *err, size_t errlen)
{
    if (!ui->frame || !ui->have_frame) {
        snprintf(err, errlen, "E805: no frame to save to %s (%s)", path,
                 ui->frame ? "nothing drawn yet" : "the renderer keeps no frames");
        return -1;
    }
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, UI_W, UI_H, 24, SDL_PIXELFORMAT_RGB24);
    if (!s) {
        snprintf(err, errlen, "E806: out of memory for a screenshot: %s", SDL_GetError());
        return -1;
    }
    int rc = 0;
    SDL_SetRenderTarget(ui->ren, ui->frame);
    if (SDL_RenderReadPixels(ui->ren, NULL, SDL_PIXELFORMAT_RGB24, s->pixels, s->pitch) != 0) {
        snprintf(err, errlen, "E807: cannot read the frame: %s", SDL_GetError());
        rc = -1;
    }
    SDL_SetRenderTarget(ui->ren, NULL);
    if (rc == 0 && IMG_SavePNG(s, path) != 0) {
        snprintf(err, errlen, "E808: cannot write %s: %s", path, IMG_GetError());
        rc = -1;
    }
    SDL_FreeSurface(s);
    return rc;
}

/* ---- input -------------------------------------------------------------- */

static enum key map_key(SDL_Keycode k)
{
    switch (k) {
    case SDLK_RETURN:
    case SDLK_RETURN2:
    case SDLK_KP_ENTER: return KEY_ENTER;
    case SDLK_ESCAPE:
    case SDLK_AC_BACK: return KEY_ESCAPE;
    case SDLK_BACKSPACE:
    case SDLK_KP_BACKSPACE: return KEY_BACKSPACE;
    case SDLK_TAB:
    case SDLK_KP_TAB: return KEY_TAB;
    case SDLK_UP: return KEY_UP;
    case SDLK_DOWN: return KEY_DOWN;
    case SDLK_LEFT: return KEY_LEFT;
    case SDLK_RIGHT: return KEY_RIGHT;
    case SDLK_F1: return KEY_LANG;
    case SDLK_F2: return KEY_STATS;
    case SDLK_F3: return KEY_OVERRIDE;
    case SDLK_F4: return KEY_OPERATORS;
    case SDLK_F5: return KEY_REPRINT;
    case SDLK_F12: return KEY_LOGOUT;
    default: return KEY_NONE;
    }
}

/* Keys that may repeat while held; a held Return must not confirm twice. */
static bool may_repeat(enum key k)
{
    return k == KEY_BACKSPACE || k == KEY_UP || k == KEY_DOWN || k == KEY_LEFT || k == KEY_RIGHT;
}

static bool hit(struct ui *ui, int x, int y, int64_t now, struct event *out)
{
    const struct lay_item *it = lay_hit(&ui->lay, x, y);
    if (!it)
        return false;
    ui_action_event(&it->w.act, now, out);
    return true;
}

/* One SDL event into at most one station event. Returns 1 when *out was filled. */
static int translate(struct ui *ui, const SDL_Event *e, int64_t now, struct event *out, bool *quit)
{
    memset(out, 0, sizeof *out);
    switch (e->type) {
    case SDL_QUIT: *quit = true; return 0;
    case SDL_WINDOWEVENT:
        switch (e->window.event) {
        case SDL_WINDOWEVENT_CLOSE: *quit = true; break;
        case SDL_WINDOWEVENT_EXPOSED:
        case SDL_WINDOWEVENT_SIZE_CHANGED:
        case SDL_WINDOWEVENT_RESTORED:
        case SDL_WINDOWEVENT_SHOWN:
            if (ui->have_frame)
                present(ui);
            break;
        default: break;
        }
        return 0;
    case SDL_TEXTINPUT: {
        size_t len = strnlen(e->text.text, sizeof e->text.text);
        if (len == 0)
            return 0;
        ui->last_input = SDL_GetTicks64();
        out->type = EV_TEXT;
        out->now = now;
        memcpy(out->text, e->text.text, len);
        out->text[len] = 0;
        out->len = len;
        return 1;
    }
    case SDL_KEYDOWN: {
        enum key k = map_key(e->key.keysym.sym);
        if (k == KEY_NONE || (e->key.repeat && !may_repeat(k)))
            return 0; /* printable keys arrive as SDL_TEXTINPUT */
        ui->last_input = SDL_GetTicks64();
        out->type = EV_KEY;
        out->key = k;
        out->now = now;
        return 1;
    }
    case SDL_MOUSEBUTTONUP:
        if (e->button.which == SDL_TOUCH_MOUSEID || e->button.button != SDL_BUTTON_LEFT)
            return 0;
        ui->last_input = SDL_GetTicks64();
        /* The renderer has already mapped the position to logical pixels. */
        return hit(ui, e->button.x, e->button.y, now, out) ? 1 : 0;
    case SDL_FINGERDOWN: ui->last_input = SDL_GetTicks64(); return 0;
    case SDL_FINGERUP: {
        if (e->tfinger.touchId == SDL_MOUSE_TOUCHID)
            return 0;
        ui->last_input = SDL_GetTicks64();
        /* Normalised to the logical viewport by the renderer's event watch. */
        int x = (int)(e->tfinger.x * UI_W), y = (int)(e->tfinger.y * UI_H);
        return hit(ui, x, y, now, out) ? 1 : 0;
    }
    default: return 0;
    }
}

/* ---- waiting ------------------------------------------------------------ */

static void evdev_close(struct ui *ui)
{
#ifdef __linux__
    for (int i = 0; i < ui->nevfd; i++)
        close(ui->evfd[i]);
#endif
    ui->nevfd = 0;
}

/* Open every /dev/input/event* we may read, for poll(2) only. */
static void evdev_scan(struct ui *ui)
{
    evdev_close(ui);
    ui->evdev_scanned = SDL_GetTicks64();
#ifdef __linux__
    DIR *dir = opendir("/dev/input");
    if (!dir)
        return;
    struct dirent *de;
    while ((de = readdir(dir)) && ui->nevfd < (int)(sizeof ui->evfd / sizeof *ui->evfd)) {
        if (strncmp(de->d_name, "event", 5) != 0)
            continue;
        char path[300];
        snprintf(path, sizeof path, "/dev/input/%s", de->d_name);
        int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd >= 0)
            ui->evfd[ui->nevfd++] = fd;
    }
    closedir(dir);
#endif
}

static void wake_drain(struct ui *ui)
{
    char b[64];
    while (read(ui->wake_pipe[0], b, sizeof b) > 0)
        ;
}

/* Sleep up to ms, or until ui_wake. */
static void wake_sleep(struct ui *ui, Uint32 ms)
{
#ifdef __linux__
    if (ui->wake_pipe[0] >= 0) {
        struct pollfd p = {.fd = ui->wake_pipe[0], .events = POLLIN};
        if (poll(&p, 1, (int)ms) > 0)
            wake_drain(ui);
        return;
    }
#endif
    SDL_Delay(ms);
}

/* Sleep until an input device has something or ms pass. False when there
 * is no device to wait on (the caller sleeps instead). */
static bool evdev_sleep(struct ui *ui, Uint32 ms)
{
#ifdef __linux__
    if (!ui->evdev_wait)
        return false;
    if (ui->nevfd == 0 || SDL_GetTicks64() - ui->evdev_scanned > 10000)
        evdev_scan(ui);
    if (ui->nevfd == 0)
        return false;
    struct pollfd p[sizeof ui->evfd / sizeof *ui->evfd + 1];
    for (int i = 0; i < ui->nevfd; i++)
        p[i] = (struct pollfd){.fd = ui->evfd[i], .events = POLLIN};
    nfds_t np = (nfds_t)ui->nevfd;
    if (ui->wake_pipe[0] >= 0)
        p[np++] = (struct pollfd){.fd = ui->wake_pipe[0], .events = POLLIN};
    int r = poll(p, np, (int)ms);
    if (r > 0 && np > (nfds_t)ui->nevfd && (p[ui->nevfd].revents & POLLIN))
        wake_drain(ui);
    bool gone = false;
    for (int i = 0; r > 0 && i < ui->nevfd; i++) {
        if (p[i].revents & (POLLERR | POLLHUP | POLLNVAL))
            gone = true;
        if (p[i].revents & POLLIN) {
            char buf[1024]; /* our copy of the events; SDL reads its own */
            while (read(p[i].fd, buf, sizeof buf) > 0)
                ;
        }
    }
    if (gone)
        evdev_scan(ui); /* a device was unplugged */
    return true;
#else
    (void)ui;
    (void)ms;
    return false;
#endif
}

/* Wait up to timeout_ms (-1 forever) for one SDL event. */
static bool wait_event(struct ui *ui, int timeout_ms, SDL_Event *e)
{
    if (timeout_ms == 0)
        return SDL_PollEvent(e) == 1;
    if (ui->real_wait)
        return timeout_ms < 0 ? SDL_WaitEvent(e) == 1 : SDL_WaitEventTimeout(e, timeout_ms) == 1;
    Uint64 start = SDL_GetTicks64();
    for (;;) {
        if (SDL_PollEvent(e) == 1)
            return true;
        Uint64 now = SDL_GetTicks64();
        Uint64 idle = now - ui->last_input;
        Uint32 backoff = idle < 2000 ? 2 : idle < 10000 ? 10 : 50;
        Uint32 step = ui->no_input ? 1000 : ui->evdev_wait ? 250 : backoff;
        if (timeout_ms > 0) {
            Uint64 waited = now - start;
            if (waited >= (Uint64)timeout_ms)
                return false;
            if ((Uint64)step > (Uint64)timeout_ms - waited)
                step = (Uint32)((Uint64)timeout_ms - waited);
        }
        /* kmsdrm without a device we may watch: poll like the others. */
        if (!evdev_sleep(ui, step))
            wake_sleep(ui, ui->evdev_wait && step > backoff ? backoff : step);
    }
}

void ui_wake(struct ui *ui)
{
    if (!ui)
        return;
    if (ui->wake_type) {
        SDL_Event e;
        memset(&e, 0, sizeof e);
        e.type = ui->wake_type;
        SDL_PushEvent(&e); /* thread-safe; a full queue just drops it */
    }
    if (ui->wake_pipe[1] >= 0) { /* and end a poll(2) sleep at once */
        ssize_t w = write(ui->wake_pipe[1], "", 1);
        (void)w;
    }
}

int ui_poll(struct ui *ui, int timeout_ms, int64_t now, struct event *out, int max, bool *quit)
{
    int n = 0;
    if (max <= 0)
        return 0;
    SDL_Event e;
    Uint64 start = SDL_GetTicks64();
    int left = timeout_ms;
    for (;;) {
        bool got = wait_event(ui, left, &e);
        bool woken = false;
        while (got) {
            if (ui->wake_type && e.type == ui->wake_type) {
                woken = true; /* ui_wake: return to the caller */
                got = SDL_PollEvent(&e) == 1;
                continue;
            }
            n += translate(ui, &e, now, &out[n], quit);
            if (n >= max)
                return n; /* the rest waits in SDL's queue for the next call */
            got = SDL_PollEvent(&e) == 1;
        }
        /* Only SDL's own business (window, motion): keep waiting. */
        if (n > 0 || *quit || timeout_ms == 0 || woken)
            return n;
        if (timeout_ms > 0) {
            Uint64 waited = SDL_GetTicks64() - start;
            if (waited >= (Uint64)timeout_ms)
                return n;
            left = timeout_ms - (int)waited;
        }
    }
}

/* ---- injected input ----------------------------------------------------- */

static Uint32 window_id(struct ui *ui)
{
    return SDL_GetWindowID(ui->win);
}

int ui_inject_key(struct ui *ui, const char *sdl_key_name)
{
    SDL_Keycode k = sdl_key_name ? SDL_GetKeyFromName(sdl_key_name) : SDLK_UNKNOWN;
    if (k == SDLK_UNKNOWN)
        return -1;
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.windowID = window_id(ui);
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = k;
    e.key.keysym.scancode = SDL_GetScancodeFromKey(k);
    SDL_PushEvent(&e);
    /* A key that types (its keycode is its character) also gives text, as a keyboard would. */
    if (!(k & SDLK_SCANCODE_MASK) && k >= 0x20 && k != 0x7F) {
        SDL_Event t;
        memset(&t, 0, sizeof t);
        t.type = SDL_TEXTINPUT;
        t.text.windowID = window_id(ui);
        if (utf8_encode((uint32_t)k, t.text.text) > 0)
            SDL_PushEvent(&t);
    }
    e.type = SDL_KEYUP;
    e.key.state = SDL_RELEASED;
    SDL_PushEvent(&e);
    return 0;
}

void ui_inject_text(struct ui *ui, const char *utf8)
{
    if (!utf8)
        return;
    const size_t room = sizeof(((SDL_TextInputEvent *)0)->text) - 1;
    size_t len = strlen(utf8), pos = 0;
    while (pos < len) {
        size_t n = len - pos < room ? len - pos : room;
        /* Never split a character: back up to the start of one. */
        n = utf8_cut(utf8 + pos, n);
        if (n == 0)
            break;
        SDL_Event t;
        memset(&t, 0, sizeof t);
        t.type = SDL_TEXTINPUT;
        t.text.windowID = window_id(ui);
        memcpy(t.text.text, utf8 + pos, n);
        t.text.text[n] = 0;
        SDL_PushEvent(&t);
        pos += n;
    }
}

void ui_inject_tap(struct ui *ui, int x, int y)
{
    /* Finger positions are normalised to the window; the renderer maps them
     * back to the logical viewport, so go the other way here. With a
     * 1280x800 window this is simply x/1280, y/800. */
    int wx = 0, wy = 0, ww = 0, wh = 0;
    SDL_RenderLogicalToWindow(ui->ren, (float)x + 0.5f, (float)y + 0.5f, &wx, &wy);
    SDL_GetWindowSize(ui->win, &ww, &wh);
    float nx = ww > 0 ? ((float)wx + 0.5f) / (float)ww : ((float)x + 0.5f) / UI_W;
    float ny = wh > 0 ? ((float)wy + 0.5f) / (float)wh : ((float)y + 0.5f) / UI_H;
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_FINGERDOWN;
    e.tfinger.touchId = 1;
    e.tfinger.fingerId = 0;
    e.tfinger.x = nx;
    e.tfinger.y = ny;
    e.tfinger.pressure = 1.0f;
    e.tfinger.windowID = window_id(ui);
    e.tfinger.timestamp = SDL_GetTicks();
    SDL_PushEvent(&e);
    e.type = SDL_FINGERUP;
    e.tfinger.pressure = 0.0f;
    SDL_PushEvent(&e);
}

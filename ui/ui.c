/*
 * ui.c — the window, the renderer, the frame, input into events, injected
 * input, screenshots.
 *
 * Renderer: decided before the window exists, because SDL loads OpenGL when
 * it makes the window's renderer or framebuffer, and Mesa's software OpenGL
 * (llvmpipe) maps libLLVM: some 36 MiB and a slower first frame, for a UI
 * that draws flat 2D. Software means SDL's software renderer *and* the
 * window's framebuffer without OpenGL (SDL_HINT_FRAMEBUFFER_ACCELERATION
 * "0"; the render driver hint alone still gives the framebuffer to OpenGL).
 * Auto picks software without loading anything when there is no GPU to
 * draw: no /dev/dri/renderD*, none we may open, a virtual one (vgem, vkms),
 * or Mesa told to draw in software (LIBGL_ALWAYS_SOFTWARE, GALLIUM_DRIVER).
 * Otherwise it tries OpenGL and asks it who draws (GL_RENDERER); when that
 * is Mesa's software rasteriser after all, it starts over in software. The
 * choice and its reason are logged (I800).
 *
 * Frames: each ui_render lays the view out (layout.c) and paints it
 * (paint.c). Drawn in software into a window of exactly 1280x800, it is
 * painted straight into the window's surface, which keeps it: no copy of
 * the frame, 4 MB less. Otherwise it is painted into a 1280x800 target
 * texture that is copied into the letterbox rectangle of the window
 * (ui_letterbox: scaled to fit, centred, bars around). A screenshot reads
 * whichever holds the last frame; an exposed window is shown again from the
 * texture, or painted again from the kept layout. A renderer without
 * target textures paints straight into the window, through SDL's logical
 * size for that frame only.
 *
 * Fullscreen: a borderless window the size of the display, created where
 * the display is. Under X without a window manager nobody else resizes or
 * places a window, and a 1280x800 window on a 1024x600 screen would hang
 * off its edges; there the window is not marked fullscreen either, since
 * SDL would then wait 100 ms for a manager to answer.
 *
 * Input: text arrives only as SDL_TEXTINPUT (so a key that types is never
 * sent twice), named keys as SDL_KEYDOWN, touches as SDL_FINGERUP and clicks
 * as SDL_MOUSEBUTTONUP. Touches and clicks are hit-tested against the last
 * frame's layout, so what is touched is what was drawn. Clicks arrive in
 * window pixels and touches normalised to the window (on kmsdrm only as
 * finger events, windowID 0); both are mapped back through the letterbox
 * rectangle here (ui_window_to_screen), and a touch on a bar hits nothing.
 * The renderer has no logical size, so SDL leaves both as they came. Mouse
 * events SDL synthesises from touches (which == SDL_TOUCH_MOUSEID) and
 * touch events synthesised from the mouse (touchId == SDL_MOUSE_TOUCHID) are
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
 *   - anything else, or no access to /dev/input: poll with a back-off, 2 ms
 *     while someone is working, up to 50 ms after ten idle seconds.
 *
 * Wake-ups: ui_wake, from any thread, pushes this ui's own SDL user event
 * (its type registered by ui_open) and writes a byte into this ui's pipe, so
 * whichever way ui_poll sleeps it returns at once.
 */
#include "ui.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
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
    SDL_Texture *frame;      /* 1280x800, painted and then scaled into the window; NULL
                                while frames go straight to the window (direct) or
                                when the renderer cannot (no_targets) */
    bool direct;             /* software renderer: paint straight into a 1280x800 window */
    bool placed;             /* fullscreen placed by us: X without a window manager */
    bool no_targets;         /* the renderer has no target textures */
    bool have_frame;         /* something was drawn */
    bool frame_direct;       /* ... and it went straight to the window, not into frame */
    struct ui_status status; /* the last frame's status, to paint it again */
    bool has_status;
    struct draw *draw;
    struct lay lay; /* the last frame's layout: what a touch hits */
    char driver[32];
    char renderer[32];
    char renderer_why[160]; /* why this renderer, for I800 */
    char gl_name[96];       /* OpenGL's GL_RENDERER, or "" */
    bool real_wait;
    bool evdev_wait; /* kmsdrm: wait in poll(2) on our own evdev fds */
    bool no_input;   /* dummy/offscreen: nothing to poll for, sleep long */
    int evfd[32];
    int nevfd;
    Uint64 evdev_scanned;
    bool headless;
    bool sdl_inited;
    Uint64 last_input; /* SDL ticks of the last input, for the poll back-off */
    bool drag_down, dragged; /* a press that may become a drag (scrolling) */
    float drag_y;            /* where the press (or the last scrolled row) was */
    /* Set by ui_open, read by ui_wake from any thread, changed by nobody. */
    Uint32 wake_type; /* the SDL user event of this ui's wake-ups; 0: none */
    int wake_pipe[2]; /* [0] polled by the sleeps below, [1] written by ui_wake */
};

/* ---- geometry ----------------------------------------------------------- */

struct ui_rect ui_letterbox(int w, int h)
{
    struct ui_rect r = {0, 0, UI_W, UI_H};
    if (w <= 0 || h <= 0)
        return r;
    if ((long)w * UI_H <= (long)h * UI_W) { /* as wide as the window: bars above and below */
        r.w = w;
        r.h = (int)(((long)w * UI_H + UI_W / 2) / UI_W);
    } else { /* as high as the window: bars left and right */
        r.h = h;
        r.w = (int)(((long)h * UI_W + UI_H / 2) / UI_H);
    }
    r.x = (w - r.w) / 2;
    r.y = (h - r.h) / 2;
    return r;
}

bool ui_window_to_screen(int w, int h, float wx, float wy, int *x, int *y)
{
    struct ui_rect r = ui_letterbox(w, h);
    float fx = (wx - (float)r.x) * (float)UI_W / (float)r.w;
    float fy = (wy - (float)r.y) * (float)UI_H / (float)r.h;
    if (!(fx >= 0 && fx < UI_W && fy >= 0 && fy < UI_H)) /* a bar (or NaN) */
        return false;
    *x = (int)fx;
    *y = (int)fy;
    return true;
}

/* ---- the renderer's name ------------------------------------------------ */

static const char *const renderer_names[] = {"auto", "software", "opengl"};

int ui_renderer_from_name(const char *name)
{
    for (int i = 0; name && i < (int)(sizeof renderer_names / sizeof *renderer_names); i++)
        if (strcmp(name, renderer_names[i]) == 0)
            return i;
    return -1;
}

const char *ui_renderer_name(enum ui_renderer r)
{
    return (unsigned)r < sizeof renderer_names / sizeof *renderer_names ? renderer_names[r] : "?";
}

/* ---- open / close ------------------------------------------------------- */

static bool driver_is(const char *drv, const char *name)
{
    return drv && strcmp(drv, name) == 0;
}

#ifdef __linux__
/* Whether this process is in the group `name` (root counts as in every group). */
static bool in_group(const char *name)
{
    if (geteuid() == 0)
        return true;
    struct group *g = getgrnam(name);
    if (!g)
        return false;
    if (getegid() == g->gr_gid)
        return true;
    gid_t gids[256];
    int n = getgroups(sizeof gids / sizeof *gids, gids);
    for (int i = 0; i < n; i++)
        if (gids[i] == g->gr_gid)
            return true;
    return false;
}

/* Count the entries of dir starting with prefix, and those we may open with
 * `mode`; the first one's name into first. */
static int count_devices(const char *dir, const char *prefix, int mode, int *usable, char *first,
                         size_t firstlen)
{
    int n = 0;
    *usable = 0;
    if (firstlen)
        first[0] = 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
            continue;
        char path[300];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (n++ == 0 && firstlen)
            snprintf(first, firstlen, "%s", path);
        if (access(path, mode) == 0)
            (*usable)++;
    }
    closedir(d);
    return n;
}
#endif

/* What a station on the console (kmsdrm) needs and lacks, in a few words:
 * a DRM card it may open, input devices it may read, the groups video and
 * input that give both. */
static void console_facts(char *out, size_t n)
{
#ifdef __linux__
    char first[300];
    int usable;
    int cards = count_devices("/dev/dri", "card", R_OK | W_OK, &usable, first, sizeof first);
    size_t len = 0;
    if (cards == 0)
        len += (size_t)snprintf(out + len, n - len, "no /dev/dri/card* (no screen driver)");
    else if (usable == 0)
        len += (size_t)snprintf(out + len, n - len, "%s not accessible", first);
    else
        len += (size_t)snprintf(out + len, n - len, "%s present", first);
    int inputs = count_devices("/dev/input", "event", R_OK, &usable, first, 0);
    if (len < n) {
        if (inputs == 0)
            len += (size_t)snprintf(out + len, n - len, ", no /dev/input/event*");
        else
            len += (size_t)snprintf(out + len, n - len, ", %d of %d /dev/input/event* readable",
                                    usable, inputs);
    }
    bool video = in_group("video"), input = in_group("input");
    if (len < n && (!video || !input))
        snprintf(out + len, n - len, ", not in group%s %s%s%s", !video && !input ? "s" : "",
                 video ? "" : "video", !video && !input ? " and " : "", input ? "" : "input");
#else
    snprintf(out, n, "no console video on this system");
#endif
}

/* Why SDL found no screen, in a sentence: what a person can check. */
static void no_display(char *err, size_t errlen, const char *why)
{
    const char *display = getenv("DISPLAY"), *wayland = getenv("WAYLAND_DISPLAY");
    const char *forced = getenv("SDL_VIDEODRIVER");
    char console[400];
    console_facts(console, sizeof console);
    snprintf(err, errlen,
             "E801: no display: %s (DISPLAY %s, WAYLAND_DISPLAY %s, SDL_VIDEODRIVER %s; console: "
             "%s). Run it under X (DISPLAY), on the console (a DRM card, the video and input "
             "groups), or headless with --script FILE.",
             why, display && display[0] ? display : "unset",
             wayland && wayland[0] ? wayland : "unset", forced && forced[0] ? forced : "unset",
             console);
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

/* OpenGL's own name for who draws (GL_RENDERER), with its context current. */
static void gl_renderer_name(char *out, size_t n)
{
    typedef const unsigned char *(*get_string_fn)(unsigned int);
    get_string_fn get_string = (get_string_fn)(uintptr_t)SDL_GL_GetProcAddress("glGetString");
    const unsigned char *s = get_string ? get_string(0x1F01 /* GL_RENDERER */) : NULL;
    snprintf(out, n, "%s", s ? (const char *)s : "?");
}

static bool gl_is_software(const char *gl_name)
{
    static const char *const soft[] = {"llvmpipe", "softpipe", "Software Rasterizer", "swrast",
                                       "SWR"};
    for (size_t i = 0; i < sizeof soft / sizeof *soft; i++)
        if (strstr(gl_name, soft[i]))
            return true;
    return false;
}

#ifdef __linux__
/* Ask OpenGL who would draw, in a child process: a hidden 1x1 window's
 * context tells its GL_RENDERER through a pipe. Whatever the answer, this
 * process has loaded nothing of OpenGL. False when no context could be made
 * (or the child took more than 5 s). Called before SDL_Init here. */
static bool probe_gl(char *name, size_t n)
{
    int p[2];
    name[0] = 0;
    if (pipe2(p, O_CLOEXEC) != 0)
        return false;
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return false;
    }
    if (pid == 0) {
        char buf[96] = "";
        close(p[0]);
        if (SDL_Init(SDL_INIT_VIDEO) == 0) {
            SDL_Window *w =
                SDL_CreateWindow("probe", 0, 0, 1, 1, SDL_WINDOW_OPENGL | SDL_WINDOW_HIDDEN);
            if (w && SDL_GL_CreateContext(w))
                gl_renderer_name(buf, sizeof buf);
        }
        ssize_t wr = write(p[1], buf, strlen(buf));
        (void)wr;
        _exit(0); /* nothing of the parent's (atexit, stdio buffers) runs here */
    }
    close(p[1]);
    size_t len = 0;
    Uint64 start = SDL_GetTicks64();
    for (;;) {
        Uint64 waited = SDL_GetTicks64() - start;
        struct pollfd pf = {.fd = p[0], .events = POLLIN};
        if (waited >= 5000 || poll(&pf, 1, (int)(5000 - waited)) <= 0)
            break;
        ssize_t r = read(p[0], name + len, n - 1 - len);
        if (r <= 0)
            break;
        len += (size_t)r;
        if (len >= n - 1)
            break;
    }
    name[len] = 0;
    close(p[0]);
    kill(pid, SIGKILL); /* gone already, or stuck */
    waitpid(pid, NULL, 0);
    return len > 0 && strcmp(name, "?") != 0;
}
#endif

/* Auto, before anything is loaded: is there a GPU that OpenGL would draw
 * with? False, with the reason in why, when OpenGL could only be Mesa's
 * software rasteriser; true when it is worth asking OpenGL itself. */
static bool gpu_present(char *why, size_t n)
{
    const char *sw = getenv("LIBGL_ALWAYS_SOFTWARE");
    if (sw && sw[0] && strcmp(sw, "0") != 0 && strcmp(sw, "false") != 0) {
        snprintf(why, n, "auto: LIBGL_ALWAYS_SOFTWARE is set");
        return false;
    }
    const char *gallium = getenv("GALLIUM_DRIVER");
    if (gallium &&
        (strstr(gallium, "llvmpipe") || strstr(gallium, "softpipe") || strstr(gallium, "swr"))) {
        snprintf(why, n, "auto: GALLIUM_DRIVER=%s draws in software", gallium);
        return false;
    }
#ifdef __linux__
    DIR *d = opendir("/dev/dri");
    struct dirent *de;
    int nodes = 0;
    char node[64] = "", denied[64] = "", kernel[64] = "";
    while (d && (de = readdir(d))) {
        if (strncmp(de->d_name, "renderD", 7) != 0)
            continue;
        nodes++;
        char path[300];
        snprintf(path, sizeof path, "/dev/dri/%s", de->d_name);
        if (access(path, R_OK | W_OK) != 0) {
            snprintf(denied, sizeof denied, "%.40s", de->d_name);
            continue;
        }
        /* The kernel driver behind it: /sys/class/drm/renderD128/device/driver -> …/i915 */
        char link[300], target[300];
        snprintf(link, sizeof link, "/sys/class/drm/%s/device/driver", de->d_name);
        ssize_t len = readlink(link, target, sizeof target - 1);
        const char *drv = "?";
        if (len > 0) {
            target[len] = 0;
            const char *slash = strrchr(target, '/');
            drv = slash ? slash + 1 : target;
        }
        /* Virtual devices with no GPU behind them: Mesa would draw in software. */
        if (strcmp(drv, "vgem") == 0 || strcmp(drv, "vkms") == 0)
            continue;
        snprintf(node, sizeof node, "%.40s", de->d_name);
        snprintf(kernel, sizeof kernel, "%.40s", drv);
        break;
    }
    if (d)
        closedir(d);
    if (node[0]) {
        /* Under X or Wayland a child can ask OpenGL who draws without a
         * mode set; on the console (kmsdrm) it could not, and SDL needs
         * OpenGL ES there for any renderer anyway. */
        const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
        char gl_name[96];
        if (!(x && x[0]) && !(wl && wl[0])) {
            snprintf(why, n, "auto: GPU at /dev/dri/%.40s (%.40s)", node, kernel);
            return true;
        }
        if (!probe_gl(gl_name, sizeof gl_name)) {
            snprintf(why, n, "auto: /dev/dri/%.40s (%.40s) but no OpenGL context", node, kernel);
            return false;
        }
        if (gl_is_software(gl_name)) {
            snprintf(why, n, "auto: OpenGL here is %.60s", gl_name);
            return false;
        }
        snprintf(why, n, "auto: GPU at /dev/dri/%.40s (%.40s)", node, kernel);
        return true;
    }
    if (denied[0])
        snprintf(why, n, "auto: /dev/dri/%.40s not accessible (join the render group)", denied);
    else if (nodes > 0)
        snprintf(why, n, "auto: no GPU (only virtual render nodes)");
    else
        snprintf(why, n, "auto: no GPU (no /dev/dri/renderD*)");
    return false;
#else
    snprintf(why, n, "auto: OpenGL");
    return true;
#endif
}

/* Before the window exists: software both for the renderer and for the
 * window's framebuffer, or neither. Plain hints, so SDL_RENDER_DRIVER and
 * SDL_FRAMEBUFFER_ACCELERATION in the environment still win. */
static void renderer_hints(bool software)
{
    if (software) {
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    } else {
        SDL_ResetHint(SDL_HINT_RENDER_DRIVER);
        SDL_ResetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION);
    }
}

/* Under X: does a window manager run? (EWMH: the root window names the
 * manager's check window in _NET_SUPPORTING_WM_CHECK.) Asked through the
 * libX11 that SDL has loaded, on a connection of its own. When it cannot
 * tell, it says yes. */
static bool x11_window_manager(void)
{
    /* Xlib's signatures; Display is opaque here, XIDs and Atoms are unsigned long. */
    typedef void *(*open_fn)(const char *);
    typedef int (*close_fn)(void *);
    typedef unsigned long (*atom_fn)(void *, const char *, int);
    typedef unsigned long (*root_fn)(void *);
    typedef int (*prop_fn)(void *, unsigned long, unsigned long, long, long, int, unsigned long,
                           unsigned long *, int *, unsigned long *, unsigned long *,
                           unsigned char **);
    typedef int (*free_fn)(void *);
    void *lib = SDL_LoadObject("libX11.so.6");
    if (!lib)
        return true;
    open_fn x_open = (open_fn)(uintptr_t)SDL_LoadFunction(lib, "XOpenDisplay");
    close_fn x_close = (close_fn)(uintptr_t)SDL_LoadFunction(lib, "XCloseDisplay");
    atom_fn x_atom = (atom_fn)(uintptr_t)SDL_LoadFunction(lib, "XInternAtom");
    root_fn x_root = (root_fn)(uintptr_t)SDL_LoadFunction(lib, "XDefaultRootWindow");
    prop_fn x_prop = (prop_fn)(uintptr_t)SDL_LoadFunction(lib, "XGetWindowProperty");
    free_fn x_free = (free_fn)(uintptr_t)SDL_LoadFunction(lib, "XFree");
    bool wm = true;
    void *d = x_open && x_close && x_atom && x_root && x_prop && x_free ? x_open(NULL) : NULL;
    if (d) {
        /* only_if_exists: no atom means nobody ever set it */
        unsigned long check = x_atom(d, "_NET_SUPPORTING_WM_CHECK", 1);
        wm = false;
        if (check != 0) {
            unsigned long type = 0, n = 0, after = 0;
            int format = 0;
            unsigned char *data = NULL;
            if (x_prop(d, x_root(d), check, 0, 1, 0, 33 /* XA_WINDOW */, &type, &format, &n, &after,
                       &data) == 0 /* Success */
                && n == 1 && format == 32)
                wm = true;
            if (data)
                x_free(data);
        }
        x_close(d);
    }
    SDL_UnloadObject(lib);
    return wm;
}

/* The window. Fullscreen covers the display, placed and sized by us: under
 * X without a window manager nobody else would, and SDL's own fullscreen
 * there waits 100 ms for a manager's answer that never comes, so it gets a
 * plain borderless window of the display's size at its place. */
static int open_window(struct ui *ui, const struct ui_options *opt, bool gl, char *err,
                       size_t errlen)
{
    int x = (int)SDL_WINDOWPOS_CENTERED, y = (int)SDL_WINDOWPOS_CENTERED;
    int w = opt->width > 0 ? opt->width : UI_W, h = opt->height > 0 ? opt->height : UI_H;
    Uint32 flags = gl ? SDL_WINDOW_OPENGL : 0;
    SDL_Rect b;
    if (opt->fullscreen && !opt->headless && SDL_GetDisplayBounds(0, &b) == 0 && b.w > 0 &&
        b.h > 0) {
        x = b.x, y = b.y, w = b.w, h = b.h;
        flags |= SDL_WINDOW_BORDERLESS;
        if (!driver_is(ui->driver, "x11") || x11_window_manager())
            flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
        else
            ui->placed = true;
    } else {
        flags |= SDL_WINDOW_RESIZABLE;
    }
    ui->win = SDL_CreateWindow("triage", x, y, w, h, flags);
    if (!ui->win) {
        snprintf(err, errlen, "E802: cannot open a window on \"%s\": %s", ui->driver,
                 SDL_GetError());
        return -1;
    }
    return 0;
}

/* The 1280x800 frame texture, made when first needed. False when the
 * renderer has none (W801 says so once). */
static bool frame_texture(struct ui *ui)
{
    if (!ui->frame && !ui->no_targets) {
        ui->frame = SDL_CreateTexture(ui->ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET,
                                      UI_W, UI_H);
        if (!ui->frame) {
            ui->no_targets = true;
            log_warn("W801", "renderer %s has no target textures (%s): no screenshots",
                     ui->renderer, SDL_GetError());
        }
    }
    return ui->frame != NULL;
}

static int open_renderer(struct ui *ui, bool gl, char *err, size_t errlen)
{
    if (gl) {
        ui->ren =
            SDL_CreateRenderer(ui->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_TARGETTEXTURE);
        if (!ui->ren)
            log_warn("W800", "no accelerated renderer (%s): drawing in software", SDL_GetError());
    }
    if (!ui->ren)
        ui->ren = SDL_CreateRenderer(ui->win, -1, SDL_RENDERER_SOFTWARE);
    if (!ui->ren) {
        snprintf(err, errlen, "E803: cannot create a renderer: %s", SDL_GetError());
        return -1;
    }
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(ui->ren, &info) == 0)
        snprintf(ui->renderer, sizeof ui->renderer, "%s", info.name);
    ui->gl_name[0] = 0;
    if (strncmp(ui->renderer, "opengl", 6) == 0)
        gl_renderer_name(ui->gl_name, sizeof ui->gl_name);
    return 0;
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
    /* Typed and scanned characters are taken as they come, never composed
     * into others (X's compose table would turn a scanner's "^1" on a layout
     * with dead keys into "¹"): the locale's table, thousands of lines that X
     * would parse at every start before the first frame, is not read. An
     * XCOMPOSEFILE of the environment is kept. */
    if (!opt->headless)
        setenv("XCOMPOSEFILE", "/dev/null", 0);
    /* We handle touch ourselves: no mouse events made from touches, and back. */
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");

    /* The renderer, decided before SDL can load anything for a window. */
    enum ui_renderer want = opt->headless ? UI_RENDERER_SOFTWARE : opt->renderer;
    bool gl;
    if (want == UI_RENDERER_AUTO) {
        gl = gpu_present(ui->renderer_why, sizeof ui->renderer_why);
    } else {
        gl = want == UI_RENDERER_OPENGL;
        snprintf(ui->renderer_why, sizeof ui->renderer_why, "%s",
                 opt->headless ? "headless" : "[display] renderer");
    }
    renderer_hints(!gl);

    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        if (opt->headless)
            snprintf(err, errlen, "E800: cannot start SDL video (dummy driver): %s",
                     SDL_GetError());
        else {
            const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
            char why[300];
            if (!(x && x[0]) && !(wl && wl[0]))
                snprintf(why, sizeof why,
                         "no X or Wayland display, and the console driver cannot start "
                         "(SDL: %.200s)",
                         SDL_GetError());
            else
                snprintf(why, sizeof why, "SDL: %.250s", SDL_GetError());
            no_display(err, errlen, why);
        }
        free(ui);
        return -1;
    }
    ui->sdl_inited = true;
    wake_open(ui);
    const char *drv = SDL_GetCurrentVideoDriver();
    snprintf(ui->driver, sizeof ui->driver, "%s", drv ? drv : "?");
    /* SDL 2.26 falls back to an invisible offscreen window when it finds no
     * screen; for a station that asked for one, that is no display. Asked
     * for by name in SDL_VIDEODRIVER, it is what someone wanted. */
    const char *forced = getenv("SDL_VIDEODRIVER");
    if (!opt->headless && (driver_is(drv, "offscreen") || driver_is(drv, "dummy"))) {
        if (!(forced && strstr(forced, ui->driver))) {
            char why[96];
            snprintf(why, sizeof why, "SDL found only the \"%s\" driver", ui->driver);
            no_display(err, errlen, why);
            ui_close(ui);
            return -1;
        }
        log_warn("W803", "video driver %s (SDL_VIDEODRIVER): nothing is shown on a screen",
                 ui->driver);
    }
    ui->real_wait = driver_is(drv, "x11") || driver_is(drv, "wayland") ||
                    driver_is(drv, "windows") || driver_is(drv, "cocoa");
    ui->evdev_wait = driver_is(drv, "kmsdrm");
    /* Without a screen (dummy, offscreen) no input can arrive but what is
     * injected, wake-ups and signals, which all end a sleep at once. */
    ui->no_input = opt->headless || driver_is(drv, "dummy") || driver_is(drv, "offscreen");

    if (open_window(ui, opt, gl, err, errlen) != 0 || open_renderer(ui, gl, err, errlen) != 0)
        goto fail;
    if (ui->gl_name[0] && gl_is_software(ui->gl_name)) {
        if (want == UI_RENDERER_AUTO) {
            /* No GPU after all: start over in software. */
            snprintf(ui->renderer_why, sizeof ui->renderer_why,
                     "auto: OpenGL here is %.60s, software", ui->gl_name);
            SDL_DestroyRenderer(ui->ren);
            SDL_DestroyWindow(ui->win);
            ui->ren = NULL;
            ui->win = NULL;
            renderer_hints(true);
            gl = false;
            if (open_window(ui, opt, gl, err, errlen) != 0 ||
                open_renderer(ui, gl, err, errlen) != 0)
                goto fail;
        } else {
            log_warn("W804",
                     "OpenGL here is %s, which draws in software: [display] renderer = auto "
                     "draws the same for less memory",
                     ui->gl_name);
        }
    }
    /* Software drawing into a window of exactly 1280x800 needs no copy of
     * the frame: the window's own surface keeps it. */
    int ow = 0, oh = 0;
    ui->direct = strcmp(ui->renderer, "software") == 0 &&
                 SDL_GetRendererOutputSize(ui->ren, &ow, &oh) == 0 && ow == UI_W && oh == UI_H;
    if (!ui->direct)
        frame_texture(ui);
    ui->draw = draw_open(ui->ren, opt->font_path, err, errlen);
    if (!ui->draw)
        goto fail;
    if (driver_is(drv, "kmsdrm"))
        SDL_ShowCursor(SDL_DISABLE); /* a touch station: no pointer */
    SDL_StartTextInput();
    ui->last_input = SDL_GetTicks64();
    int ww = 0, wh = 0;
    SDL_GetWindowSize(ui->win, &ww, &wh);
    struct ui_rect r = ui_letterbox(ww, wh);
    log_info(
        "I800",
        "video driver %s, renderer %s%s%s%s (%s), window %dx%d%s, screen %dx%d at %d,%d, font %s",
        ui->driver, ui->renderer, ui->gl_name[0] ? " (" : "", ui->gl_name,
        ui->gl_name[0] ? ")" : "", ui->renderer_why, ww, wh,
        !opt->fullscreen || opt->headless ? ""
        : ui->placed                      ? " fullscreen (no window manager)"
                                          : " fullscreen",
        r.w, r.h, r.x, r.y, draw_font_path(ui->draw));
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

const char *ui_renderer(const struct ui *ui)
{
    return ui ? ui->renderer : "";
}

/* ---- frames ------------------------------------------------------------- */

static void clear_bars(struct ui *ui)
{
    SDL_SetRenderDrawColor(ui->ren, (UI_BAR_RGB >> 16) & 0xFF, (UI_BAR_RGB >> 8) & 0xFF,
                           UI_BAR_RGB & 0xFF, 255);
    SDL_RenderClear(ui->ren);
}

/* Paint the last layout (ui->lay, ui->status) and show it: straight into
 * the window when that is 1280x800 and drawn in software; else into the
 * frame texture, copied into the window's letterbox rectangle; else,
 * without target textures, into the window scaled by SDL for this frame
 * only (with a logical size SDL would also move input events, which are
 * mapped here: translate). */
static void paint(struct ui *ui)
{
    const struct ui_status *status = ui->has_status ? &ui->status : NULL;
    int w = 0, h = 0;
    if (SDL_GetRendererOutputSize(ui->ren, &w, &h) != 0)
        SDL_GetWindowSize(ui->win, &w, &h);
    draw_begin_frame(ui->draw);
    ui->frame_direct = ui->direct && w == UI_W && h == UI_H;
    if (ui->frame_direct) {
        SDL_SetRenderTarget(ui->ren, NULL);
        paint_lay(ui->draw, &ui->lay, status);
    } else if (frame_texture(ui)) {
        SDL_SetRenderTarget(ui->ren, ui->frame);
        paint_lay(ui->draw, &ui->lay, status);
        SDL_SetRenderTarget(ui->ren, NULL);
        struct ui_rect r = ui_letterbox(w, h);
        SDL_Rect dst = {r.x, r.y, r.w, r.h};
        if (r.w != w || r.h != h)
            clear_bars(ui);
        SDL_RenderCopy(ui->ren, ui->frame, NULL, &dst);
    } else {
        SDL_RenderSetLogicalSize(ui->ren, UI_W, UI_H);
        clear_bars(ui);
        paint_lay(ui->draw, &ui->lay, status);
        SDL_RenderPresent(ui->ren);
        SDL_RenderSetLogicalSize(ui->ren, 0, 0);
        ui->have_frame = true;
        return;
    }
    SDL_RenderPresent(ui->ren);
    ui->have_frame = true;
}

/* The window was exposed or resized: show the last frame again. */
static void show_again(struct ui *ui)
{
    if (!ui->have_frame)
        return;
    int w = 0, h = 0;
    if (ui->frame && !ui->frame_direct && SDL_GetRendererOutputSize(ui->ren, &w, &h) == 0) {
        struct ui_rect r = ui_letterbox(w, h); /* only copy it */
        SDL_Rect dst = {r.x, r.y, r.w, r.h};
        clear_bars(ui);
        SDL_RenderCopy(ui->ren, ui->frame, NULL, &dst);
        SDL_RenderPresent(ui->ren);
        return;
    }
    paint(ui); /* from the kept layout; texts come from the cache */
}

void ui_camera_frame(struct ui *ui, const uint32_t *pixels, int w, int h)
{
    draw_set_camera(ui->draw, pixels, w, h);
}

void ui_render(struct ui *ui, const struct view *view, const struct ui_status *status)
{
    lay_build(view, &ui->lay);
    if (ui->lay.overflow)
        log_warn("W802", "screen %d has more than %d items; some are not shown", view->screen,
                 LAY_MAX);
    ui->has_status = status != NULL;
    if (status)
        ui->status = *status;
    paint(ui);
}

int ui_screenshot(struct ui *ui, const char *path, char *err, size_t errlen)
{
    /* The last frame is in the window (direct) or in the frame texture. */
    SDL_Texture *from = ui->frame_direct ? NULL : ui->frame;
    if (!ui->have_frame || (!ui->frame_direct && !ui->frame)) {
        snprintf(err, errlen, "E805: no frame to save to %s (%s)", path,
                 !ui->have_frame ? "nothing drawn yet" : "the renderer keeps no frames");
        return -1;
    }
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, UI_W, UI_H, 24, SDL_PIXELFORMAT_RGB24);
    if (!s) {
        snprintf(err, errlen, "E806: out of memory for a screenshot: %s", SDL_GetError());
        return -1;
    }
    int rc = 0;
    SDL_Rect all = {0, 0, UI_W, UI_H};
    SDL_SetRenderTarget(ui->ren, from);
    if (SDL_RenderReadPixels(ui->ren, &all, SDL_PIXELFORMAT_RGB24, s->pixels, s->pitch) != 0) {
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
    case SDLK_F6: return KEY_SERVICE;
    case SDLK_F12: return KEY_LOGOUT;
    case SDLK_PAGEUP: return KEY_PAGEUP;
    case SDLK_PAGEDOWN: return KEY_PAGEDOWN;
    default: return KEY_NONE;
    }
}

/* Keys that may repeat while held; a held Return must not confirm twice. */
static bool may_repeat(enum key k)
{
    return k == KEY_BACKSPACE || k == KEY_UP || k == KEY_DOWN || k == KEY_LEFT || k == KEY_RIGHT ||
           k == KEY_PAGEUP || k == KEY_PAGEDOWN;
}

/* A point of the window (pixels) on the last frame's layout: the event of
 * what is there. False on a bar or on nothing that acts. */
static bool hit(struct ui *ui, float wx, float wy, int64_t now, struct event *out)
{
    int w = 0, h = 0, x, y;
    SDL_GetWindowSize(ui->win, &w, &h);
    if (!ui_window_to_screen(w, h, wx, wy, &x, &y))
        return false;
    const struct lay_item *it = lay_hit(&ui->lay, x, y);
    if (!it)
        return false;
    ui_action_event(&it->w.act, now, out);
    return true;
}

/* A drag (a finger or the mouse held down and moved) scrolls: every
 * DRAG_ROW_PX of the screen's height moved is one row, the content following
 * the finger (moved up: later rows). A press that moved less is a tap. */
#define DRAG_ROW_PX 60

static void drag_start(struct ui *ui, float wy)
{
    ui->drag_down = true;
    ui->dragged = false;
    ui->drag_y = wy;
}

/* The window's pixels to the 1280x800 screen's, vertically. */
static float to_screen_y(struct ui *ui, float wy)
{
    int w = 0, h = 0, x, y;
    SDL_GetWindowSize(ui->win, &w, &h);
    if (!ui_window_to_screen(w, h, 0.5f * (float)w, wy, &x, &y))
        return wy;
    return (float)y;
}

static int drag_move(struct ui *ui, float wy, int64_t now, struct event *out)
{
    if (!ui->drag_down)
        return 0;
    float moved = to_screen_y(ui, ui->drag_y) - to_screen_y(ui, wy);
    int rows = (int)(moved / DRAG_ROW_PX);
    if (rows == 0)
        return 0;
    ui->dragged = true;
    ui->drag_y = wy;
    ui->last_input = SDL_GetTicks64();
    out->type = EV_SCROLL;
    out->pick = rows;
    out->now = now;
    return 1;
}

/* The press ended: true when it was a drag. */
static bool drag_end(struct ui *ui)
{
    bool dragged = ui->drag_down && ui->dragged;
    ui->drag_down = ui->dragged = false;
    return dragged;
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
        case SDL_WINDOWEVENT_SHOWN: show_again(ui); break;
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
    case SDL_MOUSEWHEEL:
        if (e->wheel.which == SDL_TOUCH_MOUSEID || e->wheel.y == 0)
            return 0;
        ui->last_input = SDL_GetTicks64();
        out->type = EV_SCROLL; /* the wheel away from the user: back */
        out->pick = e->wheel.y > 0 ? -3 : 3;
        out->now = now;
        return 1;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.which != SDL_TOUCH_MOUSEID && e->button.button == SDL_BUTTON_LEFT)
            drag_start(ui, (float)e->button.y);
        return 0;
    case SDL_MOUSEMOTION:
        if (e->motion.which == SDL_TOUCH_MOUSEID || !(e->motion.state & SDL_BUTTON_LMASK))
            return 0;
        return drag_move(ui, (float)e->motion.y, now, out);
    case SDL_FINGERMOTION: {
        if (e->tfinger.touchId == SDL_MOUSE_TOUCHID)
            return 0;
        int w = 0, h = 0;
        SDL_GetWindowSize(ui->win, &w, &h);
        return drag_move(ui, e->tfinger.y * (float)h, now, out);
    }
    case SDL_MOUSEBUTTONUP:
        if (e->button.which == SDL_TOUCH_MOUSEID || e->button.button != SDL_BUTTON_LEFT)
            return 0;
        ui->last_input = SDL_GetTicks64();
        if (drag_end(ui))
            return 0; /* the end of a drag, not a tap */
        /* Window pixels (the renderer has no logical size to map them to). */
        return hit(ui, (float)e->button.x + 0.5f, (float)e->button.y + 0.5f, now, out) ? 1 : 0;
    case SDL_FINGERDOWN: {
        ui->last_input = SDL_GetTicks64();
        int w = 0, h = 0;
        SDL_GetWindowSize(ui->win, &w, &h);
        if (e->tfinger.touchId != SDL_MOUSE_TOUCHID)
            drag_start(ui, e->tfinger.y * (float)h);
        return 0;
    }
    case SDL_FINGERUP: {
        if (e->tfinger.touchId == SDL_MOUSE_TOUCHID)
            return 0;
        ui->last_input = SDL_GetTicks64();
        if (drag_end(ui))
            return 0; /* the end of a drag, not a tap */
        /* Normalised to the window, whichever window (kmsdrm says 0): ours. */
        int w = 0, h = 0;
        SDL_GetWindowSize(ui->win, &w, &h);
        return hit(ui, e->tfinger.x * (float)w, e->tfinger.y * (float)h, now, out) ? 1 : 0;
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
    /* The middle of logical pixel (x, y) on the window, normalised to the
     * window as a touch screen sends it. */
    int ww = 0, wh = 0;
    SDL_GetWindowSize(ui->win, &ww, &wh);
    if (ww <= 0 || wh <= 0)
        ww = UI_W, wh = UI_H;
    struct ui_rect r = ui_letterbox(ww, wh);
    float nx = ((float)r.x + ((float)x + 0.5f) * (float)r.w / UI_W) / (float)ww;
    float ny = ((float)r.y + ((float)y + 0.5f) * (float)r.h / UI_H) / (float)wh;
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

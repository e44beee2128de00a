/*
 * test_display_x11.c — the station on a real X server (Xvfb, no window
 * manager, no GPU), seen from outside:
 *
 *  - The renderer: with `renderer = auto` no OpenGL is mapped into the
 *    station (no libLLVM, no libGL*, no Mesa DRI driver, /proc/PID/maps) and
 *    the log names the software renderer; with `renderer = opengl` Mesa is
 *    mapped. With a render node that is no GPU (a stand-in file in a private
 *    mount namespace, root only), auto asks OpenGL in a child process and
 *    still maps nothing.
 *  - Fullscreen at 1024x600 and 1920x1080: one window at 0,0 the size of the
 *    screen (also where the root window claims a window manager), and a screenshot of the X root
 * window (XGetImage) shows the 1280x800 screen whole, scaled and centred: bars of UI_BAR_RGB at the
 *    sides, the layout's colours where the scaled layout puts them. The
 *    screenshots are kept as $BUILD/tests/display-WxH.png.
 *  - Touches on the letterboxed screen: a finger event normalised to the
 *    window, as a touch screen sends it, at a button's place reaches that
 *    button; on a bar it reaches nothing; a click does the same.
 *
 * Each X server is an Xvfb of its own (-displayfd picks a free display).
 * Skipped (77) where Xvfb is not installed.
 */
#include <SDL.h>
#include <SDL_image.h>
#include <X11/Xlib.h>
#include <X11/Xatom.h>
#include <X11/Xutil.h>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "layout.h"
#include "log.h"
#include "station.h"
#include "theme.h"
#include "ui.h"

/* LeakSanitizer (make check): SDL's X11 driver asks libdbus for a session
 * bus (screensaver, input methods); with none here libdbus keeps what it
 * allocated for the attempt. Not the station's memory. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libdbus-1.so\n";
}

/* ---- an X server of our own --------------------------------------------- */

struct xvfb {
    pid_t pid;
    char display[16]; /* ":N" */
    int w, h;
};

static bool xvfb_start(struct xvfb *x, int w, int h)
{
    int p[2];
    memset(x, 0, sizeof *x);
    if (pipe(p) != 0)
        return false;
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        char fd[16], screen[32];
        snprintf(fd, sizeof fd, "%d", p[1]);
        snprintf(screen, sizeof screen, "%dx%dx24", w, h);
        /* -br: a black root window, so nothing counts as drawn before it is */
        execlp("Xvfb", "Xvfb", "-displayfd", fd, "-screen", "0", screen, "-nolisten", "tcp", "-br",
               "-noreset", (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    char buf[16] = "";
    size_t len = 0;
    struct pollfd pf = {.fd = p[0], .events = POLLIN};
    while (len < sizeof buf - 1 && poll(&pf, 1, 10000) > 0) {
        ssize_t r = read(p[0], buf + len, sizeof buf - 1 - len);
        if (r <= 0)
            break;
        len += (size_t)r;
        if (memchr(buf, '\n', len))
            break;
    }
    close(p[0]);
    buf[len] = 0;
    if (pid < 0 || len == 0) {
        if (pid > 0) {
            kill(pid, SIGTERM);
            waitpid(pid, NULL, 0);
        }
        return false;
    }
    x->pid = pid;
    x->w = w;
    x->h = h;
    snprintf(x->display, sizeof x->display, ":%d", atoi(buf));
    return true;
}

static void xvfb_stop(struct xvfb *x)
{
    if (x->pid > 0) {
        kill(x->pid, SIGTERM);
        waitpid(x->pid, NULL, 0);
    }
    x->pid = 0;
}

/* ---- the station as a process ---------------------------------------------- */

/* Run `sh -c CMD` in a process group of its own; CMD ends in `exec triage …`,
 * so the pid is the station's. */
static pid_t spawn_sh(const char *cmd)
{
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static void stop(pid_t pid)
{
    if (pid <= 0)
        return;
    kill(pid, SIGTERM);
    for (int i = 0; i < 300; i++) {
        if (waitpid(pid, NULL, WNOHANG) == pid)
            return;
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* Wait until the file at path holds needle (or the process ended, or 15 s). */
static bool wait_log(const char *path, const char *needle, pid_t pid)
{
    for (int i = 0; i < 1500; i++) {
        char *text = harness_read_file(path, NULL);
        bool found = text && strstr(text, needle);
        free(text);
        if (found)
            return true;
        if (waitpid(pid, NULL, WNOHANG) == pid)
            return false;
        usleep(10000);
    }
    return false;
}

static char *read_maps(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
    return harness_read_file(path, NULL);
}

/* Mesa's OpenGL in a process: libLLVM, libGL*, a DRI driver. */
static bool maps_opengl(const char *maps)
{
    return maps && (strstr(maps, "libLLVM") || strstr(maps, "libGL") || strstr(maps, "/dri/"));
}

static bool have_render_node(void)
{
    DIR *d = opendir("/dev/dri");
    bool found = false;
    struct dirent *de;
    while (d && (de = readdir(d)))
        found |= strncmp(de->d_name, "renderD", 7) == 0;
    if (d)
        closedir(d);
    return found;
}

static const char *tmp;
static char data[600];

static void write_conf(const char *name, const char *renderer, char *path, size_t n)
{
    snprintf(path, n, "%s/%s.conf", tmp, name);
    char text[200];
    snprintf(text, sizeof text, "[station]\nid = SH01-S09\n\n[display]\nrenderer = %s\n", renderer);
    harness_write_file(path, text);
}

/* Start the station on display x with the given configuration; its stderr
 * goes to log. */
static pid_t station(const struct xvfb *x, const char *conf, const char *args, const char *log)
{
    char cmd[3000];
    snprintf(cmd, sizeof cmd,
             "exec env -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER -u SDL_RENDER_DRIVER "
             "-u SDL_FRAMEBUFFER_ACCELERATION DISPLAY=%s '%s' --config '%s' --data '%s' %s "
             "2>'%s'",
             x->display, harness_triage(), conf, data, args, log);
    return spawn_sh(cmd);
}

/* ---- renderer ------------------------------------------------------------- */

static void test_renderer(const struct xvfb *x)
{
    char conf[700], log[700];
    bool gpu = have_render_node();

    /* auto */
    write_conf("auto", "auto", conf, sizeof conf);
    snprintf(log, sizeof log, "%s/auto.log", tmp);
    pid_t pid = station(x, conf, "--windowed 1280x800", log);
    if (CHECK(wait_log(log, " I200 ", pid))) {
        usleep(200000); /* a frame or two on screen */
        char *maps = read_maps(pid);
        char *text = harness_read_file(log, NULL);
        CHECK(text && strstr(text, " I800 video driver x11, renderer "));
        CHECK(text && strstr(text, "(auto: "));
        if (!gpu) {
            /* No GPU here: the software renderer, and nothing of OpenGL mapped. */
            CHECK(text && strstr(text, "renderer software (auto: no GPU (no /dev/dri/renderD*))"));
            CHECK(maps && !strstr(maps, "libLLVM"));
            CHECK(maps && !strstr(maps, "libGL"));
            CHECK(maps && !strstr(maps, "/dri/"));
        } else if (text && strstr(text, "renderer software")) {
            CHECK(!maps_opengl(maps)); /* software chosen before anything was loaded */
        }
        if (maps && maps_opengl(maps) && !gpu)
            fprintf(stderr, "  OpenGL mapped with renderer = auto:\n%s\n", text ? text : "");
        free(maps);
        free(text);
    }
    stop(pid);

    /* opengl, asked for: Mesa is loaded (here llvmpipe, so W804 says so). */
    write_conf("opengl", "opengl", conf, sizeof conf);
    snprintf(log, sizeof log, "%s/opengl.log", tmp);
    pid = station(x, conf, "--windowed 1280x800", log);
    if (CHECK(wait_log(log, " I200 ", pid))) {
        char *maps = read_maps(pid);
        char *text = harness_read_file(log, NULL);
        if (text && strstr(text, " W800 ")) {
            printf("test_display_x11: skipped: renderer = opengl: no OpenGL context on this X "
                   "server (%s)\n",
                   strstr(text, " W800 ") + 1);
        } else {
            CHECK(text && strstr(text, " I800 video driver x11, renderer opengl"));
            CHECK(maps_opengl(maps));
            if (!gpu) {
                CHECK(maps && strstr(maps, "libLLVM"));
                CHECK(text && strstr(text, " W804 OpenGL here is llvmpipe"));
            }
        }
        free(maps);
        free(text);
    }
    stop(pid);

    /* software, asked for. */
    write_conf("software", "software", conf, sizeof conf);
    snprintf(log, sizeof log, "%s/software.log", tmp);
    pid = station(x, conf, "--windowed 1280x800", log);
    if (CHECK(wait_log(log, " I200 ", pid))) {
        char *maps = read_maps(pid);
        char *text = harness_read_file(log, NULL);
        CHECK(text && strstr(text, "renderer software ([display] renderer)"));
        CHECK(!maps_opengl(maps));
        free(maps);
        free(text);
    }
    stop(pid);

    /* A render node that is no GPU (a plain file over /dev in a private mount
     * namespace): auto asks OpenGL in a child, which answers llvmpipe, and
     * the station itself still maps nothing of it. */
    if (gpu || geteuid() != 0 || !harness_have("unshare")) {
        printf("test_display_x11: a render node that is no GPU: not tried (%s)\n",
               gpu ? "this machine has render nodes" : "needs root and unshare");
        return;
    }
    char up[700], work[700], node[800];
    snprintf(up, sizeof up, "%s/dev-up", tmp);
    snprintf(work, sizeof work, "%s/dev-work", tmp);
    snprintf(node, sizeof node, "%s/dri", up);
    mkdir(up, 0755);
    mkdir(work, 0755);
    mkdir(node, 0755);
    snprintf(node, sizeof node, "%s/dri/renderD128", up);
    harness_write_file(node, "");
    char wrap[2200];
    snprintf(wrap, sizeof wrap,
             "exec unshare -m sh -c 'mount -t overlay overlay -o "
             "lowerdir=/dev,upperdir=%s,workdir=%s /dev && exec \"$0\" \"$@\"'",
             up, work);
    char probe[2200];
    snprintf(probe, sizeof probe,
             "unshare -m sh -c 'mount -t overlay overlay -o "
             "lowerdir=/dev,upperdir=%s,workdir=%s /dev && test -e "
             "/dev/dri/renderD128' 2>/dev/null",
             up, work);
    if (harness_sh(probe, NULL, NULL, NULL) != 0) {
        printf("test_display_x11: a render node that is no GPU: not tried (no overlay mount)\n");
        return;
    }
    write_conf("auto", "auto", conf, sizeof conf);
    snprintf(log, sizeof log, "%s/node.log", tmp);
    char cmd[6000];
    snprintf(cmd, sizeof cmd,
             "%s env -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER -u SDL_RENDER_DRIVER "
             "-u SDL_FRAMEBUFFER_ACCELERATION DISPLAY=%s '%s' --config '%s' --data '%s' "
             "--windowed 1280x800 2>'%s'",
             wrap, x->display, harness_triage(), conf, data, log);
    pid = spawn_sh(cmd);
    if (CHECK(wait_log(log, " I200 ", pid))) {
        char *maps = read_maps(pid);
        char *text = harness_read_file(log, NULL);
        CHECK(text && strstr(text, "renderer software (auto: OpenGL here is llvmpipe"));
        CHECK(!maps_opengl(maps));
        free(maps);
        free(text);
    }
    stop(pid);
}

/* ---- screenshots ----------------------------------------------------------- */

struct shot {
    int w, h;
    uint32_t *px; /* 0xRRGGBB */
};

static bool grab(const struct xvfb *x, struct shot *s)
{
    Display *d = XOpenDisplay(x->display);
    if (!d)
        return false;
    Window root = DefaultRootWindow(d);
    XImage *img = XGetImage(d, root, 0, 0, (unsigned)x->w, (unsigned)x->h, AllPlanes, ZPixmap);
    bool ok = false;
    if (img) {
        s->w = x->w;
        s->h = x->h;
        s->px = realloc(s->px, (size_t)s->w * (size_t)s->h * sizeof *s->px);
        if (s->px) {
            for (int y = 0; y < s->h; y++)
                for (int i = 0; i < s->w; i++) {
                    unsigned long p = XGetPixel(img, i, y);
                    s->px[(size_t)y * (size_t)s->w + (size_t)i] =
                        (uint32_t)(((p & img->red_mask) >> 16) << 16 |
                                   ((p & img->green_mask) >> 8) << 8 | (p & img->blue_mask));
                }
            ok = true;
        }
        XDestroyImage(img);
    }
    XCloseDisplay(d);
    return ok;
}

static bool save_png(const struct shot *s, const char *path)
{
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, s->w, s->h, 24, SDL_PIXELFORMAT_RGB24);
    if (!surf)
        return false;
    for (int y = 0; y < s->h; y++) {
        unsigned char *row = (unsigned char *)surf->pixels + (size_t)y * (size_t)surf->pitch;
        for (int i = 0; i < s->w; i++) {
            uint32_t p = s->px[(size_t)y * (size_t)s->w + (size_t)i];
            row[3 * i] = (unsigned char)(p >> 16);
            row[3 * i + 1] = (unsigned char)(p >> 8);
            row[3 * i + 2] = (unsigned char)p;
        }
    }
    bool ok = IMG_SavePNG(surf, path) == 0;
    SDL_FreeSurface(surf);
    return ok;
}

static bool near(uint32_t a, uint32_t b)
{
    for (int sh = 0; sh <= 16; sh += 8) {
        int d = (int)((a >> sh) & 0xFF) - (int)((b >> sh) & 0xFF);
        if (d < -6 || d > 6)
            return false;
    }
    return true;
}

/* A point of the 1280x800 layout and the colour it has on the login screen. */
struct probe {
    const char *what;
    float lx, ly; /* logical; < 0: a point of the screen (bars) given in fractions of r */
    uint32_t rgb;
};

/* The screen point of logical (lx, ly): the middle of its scaled pixel. */
static void to_screen(struct ui_rect r, float lx, float ly, int *sx, int *sy)
{
    *sx = r.x + (int)((lx + 0.5f) * (float)r.w / UI_W);
    *sy = r.y + (int)((ly + 0.5f) * (float)r.h / UI_H);
}

/* The login screen's PIN step as the station draws it at start. */
static struct view login_view(void)
{
    struct view v;
    memset(&v, 0, sizeof v);
    v.screen = SCREEN_LOGIN;
    v.lang = LANG_EN;
    v.station_id = "SH01-S09";
    v.input = "";
    return v;
}

static const struct ui_widget *find_key(const struct ui_widget *w, int n, enum event_type type,
                                        enum key key, const char *text)
{
    for (int i = 0; i < n; i++)
        if (w[i].has_event && w[i].act.type == type && (type != EV_KEY || w[i].act.key == key) &&
            (!text || strcmp(w[i].act.text, text) == 0))
            return &w[i];
    return NULL;
}

/* Every probe right on the screenshot; the first wrong one into why. */
static bool shot_right(const struct shot *s, const struct probe *p, int np, struct ui_rect r,
                       char *why, size_t n)
{
    for (int i = 0; i < np; i++) {
        int sx, sy;
        to_screen(r, p[i].lx, p[i].ly, &sx, &sy);
        uint32_t got = s->px[(size_t)sy * (size_t)s->w + (size_t)sx];
        if (!near(got, p[i].rgb)) {
            snprintf(why, n, "%s at %d,%d (logical %.0f,%.0f): %06X, want %06X", p[i].what, sx, sy,
                     p[i].lx, p[i].ly, got, p[i].rgb);
            return false;
        }
    }
    return true;
}

/* The top-level windows the X server shows: how many, and the first's geometry. */
static int mapped_windows(const struct xvfb *x, int *wx, int *wy, int *ww, int *wh)
{
    Display *d = XOpenDisplay(x->display);
    if (!d)
        return -1;
    Window root = DefaultRootWindow(d), parent, *kids = NULL;
    unsigned nkids = 0;
    int n = 0;
    if (XQueryTree(d, root, &root, &parent, &kids, &nkids)) {
        for (unsigned i = 0; i < nkids; i++) {
            XWindowAttributes a;
            if (XGetWindowAttributes(d, kids[i], &a) && a.map_state == IsViewable) {
                if (n++ == 0)
                    *wx = a.x, *wy = a.y, *ww = a.width, *wh = a.height;
            }
        }
        XFree(kids);
    }
    XCloseDisplay(d);
    return n;
}

/* Say (or stop saying) on the root window that a window manager runs, as
 * an EWMH manager does: _NET_SUPPORTING_WM_CHECK names a window. */
static void claim_window_manager(const struct xvfb *x, bool on)
{
    Display *d = XOpenDisplay(x->display);
    if (!d)
        return;
    Window root = DefaultRootWindow(d);
    Atom check = XInternAtom(d, "_NET_SUPPORTING_WM_CHECK", False);
    if (on)
        XChangeProperty(d, root, check, XA_WINDOW, 32, PropModeReplace,
                        (const unsigned char *)&root, 1);
    else
        XDeleteProperty(d, root, check);
    XSync(d, False);
    XCloseDisplay(d);
}

/* Fullscreen at the X server's size. With `wm`, the root window claims a
 * window manager (none acts): the station then asks for SDL's fullscreen,
 * placed at the display all the same. */
static void test_fullscreen(const struct xvfb *x, bool wm)
{
    struct ui_rect r = ui_letterbox(x->w, x->h);
    /* The bars: 1024x600 → 32 px left and right; 1920x1080 → 96 px. */
    CHECK_INT(r.y, 0);
    CHECK_INT(r.h, x->h);
    CHECK(r.x > 0);

    struct ui_widget w[UI_MAX_WIDGETS];
    struct view v = login_view();
    int n = ui_layout(&v, w, UI_MAX_WIDGETS);
    const struct ui_widget *seven = find_key(w, n, EV_TEXT, KEY_NONE, "7");
    const struct ui_widget *lang = find_key(w, n, EV_KEY, KEY_LANG, NULL);
    const struct ui_widget *ok = find_key(w, n, EV_KEY, KEY_ENTER, NULL);
    if (!CHECK(seven && lang && ok))
        return;
    const struct probe probes[] = {
        {"top bar, left end", 4, 4, C_TOPBAR},
        {"top bar, right end", 1275, 68, C_TOPBAR},
        {"background, left margin", 12, 450, C_BG},
        {"background, right margin", 1268, 450, C_BG},
        {"background, bottom margin", 640, 792, C_BG},
        {"login card", 640, 700, C_CARD},
        {"OK button", (float)ok->x + 20, (float)ok->y + 20, C_PRIMARY},
        {"number pad key 7", (float)seven->x + 12, (float)seven->y + 12, C_PAD},
        {"language button", (float)lang->x + 12, (float)lang->y + 12, C_SECONDARY},
    };
    const int np = (int)(sizeof probes / sizeof *probes);

    char conf[700], log[700], png[700];
    write_conf("full", "auto", conf, sizeof conf);
    snprintf(log, sizeof log, "%s/full-%dx%d%s.log", tmp, x->w, x->h, wm ? "-wm" : "");
    claim_window_manager(x, wm);
    pid_t pid = station(x, conf, "--fullscreen", log);
    struct shot s = {0};
    char why[200] = "the station did not start";
    bool right = false;
    if (CHECK(wait_log(log, " I200 ", pid))) {
        /* The frame is on the X server a moment after the station says ready. */
        for (int i = 0; i < 300 && !right; i++) {
            if (grab(x, &s))
                right = shot_right(&s, probes, np, r, why, sizeof why);
            if (!right)
                usleep(10000);
        }
    }
    if (!CHECK(right))
        fprintf(stderr, "  %dx%d: %s\n", x->w, x->h, why);
    if (s.px) {
        const char *build = getenv("BUILD");
        snprintf(png, sizeof png, "%s/tests/display-%dx%d%s.png", build ? build : "build", x->w,
                 x->h, wm ? "-wm" : "");
        if (!CHECK(save_png(&s, png)))
            fprintf(stderr, "  cannot write %s: %s\n", png, IMG_GetError());
        /* Bars of UI_BAR_RGB left and right, the whole height; the layout's
         * own edges right beside them. */
        int bad = 0;
        for (int y = 0; y < s.h; y += 5) {
            for (int i = 0; i < r.x; i += 3) {
                bad += !near(s.px[(size_t)y * (size_t)s.w + (size_t)i], UI_BAR_RGB);
                bad += !near(s.px[(size_t)y * (size_t)s.w + (size_t)(s.w - 1 - i)], UI_BAR_RGB);
            }
        }
        CHECK_INT(bad, 0);
        CHECK(near(s.px[(size_t)300 * (size_t)s.w + (size_t)(r.x - 1)], UI_BAR_RGB));
        CHECK(!near(s.px[(size_t)300 * (size_t)s.w + (size_t)(r.x + 1)], UI_BAR_RGB));
        CHECK(near(s.px[(size_t)300 * (size_t)s.w + (size_t)(r.x + r.w)], UI_BAR_RGB));
        CHECK(!near(s.px[(size_t)300 * (size_t)s.w + (size_t)(r.x + r.w - 2)], UI_BAR_RGB));
        /* Not clipped at the top or the bottom: the top bar's first row and
         * the background's last. */
        CHECK(near(s.px[(size_t)r.x + 2], C_TOPBAR));
        CHECK(near(s.px[(size_t)(s.h - 1) * (size_t)s.w + (size_t)(r.x + r.w / 2)], C_BG));
    }
    free(s.px);
    /* One window, placed over the whole screen by the station itself. */
    int wx = -1, wy = -1, ww = 0, wh = 0;
    CHECK_INT(mapped_windows(x, &wx, &wy, &ww, &wh), 1);
    char geo[64], want[64];
    snprintf(geo, sizeof geo, "%dx%d+%d+%d", ww, wh, wx, wy);
    snprintf(want, sizeof want, "%dx%d+0+0", x->w, x->h);
    CHECK_STR(geo, want);
    char *text = harness_read_file(log, NULL);
    char line[120];
    snprintf(line, sizeof line, "window %dx%d fullscreen%s, screen %dx%d at %d,%d", x->w, x->h,
             wm ? "" : " (no window manager)", r.w, r.h, r.x, r.y);
    if (!CHECK(text && strstr(text, line)))
        fprintf(stderr, "  want \"%s\" in:\n%s\n", line, text ? text : "");
    free(text);
    stop(pid);
    claim_window_manager(x, false);
}

/* ---- touches on the letterboxed screen ------------------------------------- */

static Uint32 find_window_id(void)
{
    for (Uint32 id = 1; id < 64; id++)
        if (SDL_GetWindowFromID(id))
            return id;
    return 0;
}

/* A finger down and up at (nx, ny), normalised to the window, windowID 0 as
 * the console's touch screens send it. */
static void finger(float nx, float ny)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_FINGERDOWN;
    e.tfinger.touchId = 3;
    e.tfinger.fingerId = 1;
    e.tfinger.x = nx;
    e.tfinger.y = ny;
    e.tfinger.pressure = 1.0f;
    SDL_PushEvent(&e);
    e.type = SDL_FINGERUP;
    e.tfinger.pressure = 0;
    SDL_PushEvent(&e);
}

static int poll_events(struct ui *ui, struct event *evs, int max)
{
    bool quit = false;
    int n = ui_poll(ui, 0, 4321, evs, max, &quit);
    CHECK(!quit);
    return n;
}

static void test_touch(const struct xvfb *x)
{
    setenv("DISPLAY", x->display, 1);
    unsetenv("SDL_VIDEODRIVER");
    unsetenv("WAYLAND_DISPLAY");
    struct ui *ui = NULL;
    char err[600];
    struct ui_options opt = {.fullscreen = true, .renderer = UI_RENDERER_AUTO};
    if (!CHECK_INT(ui_open(&opt, &ui, err, sizeof err), 0)) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK_STR(ui_driver(ui), "x11");
    if (!have_render_node())
        CHECK_STR(ui_renderer(ui), "software");
    struct view v = login_view();
    v.login_step = LOGIN_STEP_PIN;
    ui_render(ui, &v, NULL);
    struct event evs[8];
    SDL_Delay(50);
    poll_events(ui, evs, 8); /* the window's own events */

    struct ui_widget w[UI_MAX_WIDGETS];
    int n = ui_layout(&v, w, UI_MAX_WIDGETS);
    const struct ui_widget *seven = find_key(w, n, EV_TEXT, KEY_NONE, "7");
    const struct ui_widget *ok = find_key(w, n, EV_KEY, KEY_ENTER, NULL);
    if (!CHECK(seven && ok)) {
        ui_close(ui);
        return;
    }
    /* Where the letterbox puts a logical point, worked out here by hand:
     * scale = height / 800, the screen centred across the width. */
    const float scale = (float)x->h / UI_H, left = ((float)x->w - UI_W * scale) / 2;
    float cx = (float)seven->x + (float)seven->w / 2, cy = (float)seven->y + (float)seven->h / 2;
    finger((left + cx * scale) / (float)x->w, cy * scale / (float)x->h);
    int k = poll_events(ui, evs, 8);
    CHECK_INT(k, 1);
    if (k == 1) {
        CHECK_INT(evs[0].type, EV_TEXT);
        CHECK_STR(evs[0].text, "7");
        CHECK_INT(evs[0].now, 4321);
    }
    /* Near the OK button's far corner, still on it. */
    cx = (float)ok->x + (float)ok->w - 3;
    cy = (float)ok->y + (float)ok->h - 3;
    finger((left + cx * scale) / (float)x->w, cy * scale / (float)x->h);
    k = poll_events(ui, evs, 8);
    CHECK_INT(k, 1);
    if (k == 1) {
        CHECK_INT(evs[0].type, EV_KEY);
        CHECK_INT(evs[0].key, KEY_ENTER);
    }
    /* The same point taken as if the screen filled the window: not the
     * button (the letterbox matters). */
    finger(cx / UI_W, cy / UI_H);
    k = poll_events(ui, evs, 8);
    CHECK(k == 0 || evs[0].type != EV_KEY || evs[0].key != KEY_ENTER);
    /* On a bar: nothing, even in line with a button. */
    finger(left / 2 / (float)x->w, ((float)ok->y + 10) * scale / (float)x->h);
    finger(((float)x->w - left / 2) / (float)x->w, ((float)ok->y + 10) * scale / (float)x->h);
    CHECK_INT(poll_events(ui, evs, 8), 0);
    /* A click, in window pixels, lands on the same button. */
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEBUTTONUP;
    e.button.windowID = find_window_id();
    e.button.button = SDL_BUTTON_LEFT;
    e.button.state = SDL_RELEASED;
    e.button.clicks = 1;
    e.button.x = (int)(left + ((float)seven->x + 10) * scale);
    e.button.y = (int)(((float)seven->y + 10) * scale);
    SDL_PushEvent(&e);
    k = poll_events(ui, evs, 8);
    CHECK_INT(k, 1);
    if (k == 1)
        CHECK_STR(evs[0].text, "7");
    /* ui_inject_tap (scripts) goes the same way. */
    ui_inject_tap(ui, ok->x + 1, ok->y + 1);
    k = poll_events(ui, evs, 8);
    CHECK_INT(k, 1);
    if (k == 1)
        CHECK_INT(evs[0].key, KEY_ENTER);
    ui_close(ui);
}

int main(void)
{
    if (!harness_have("Xvfb"))
        harness_skip("Xvfb is not installed (packaging/deps.sh test installs xvfb)");
    log_set_level(LOG_WARN);
    tmp = harness_tmpdir();
    snprintf(data, sizeof data, "%s/data", tmp);

    struct xvfb x;
    if (!xvfb_start(&x, 1280, 800))
        harness_skip("Xvfb does not start here");
    test_renderer(&x);
    xvfb_stop(&x);

    static const int sizes[][2] = {{1024, 600}, {1920, 1080}};
    for (int i = 0; i < 2; i++) {
        if (!CHECK(xvfb_start(&x, sizes[i][0], sizes[i][1])))
            continue;
        test_fullscreen(&x, false);
        if (i == 0)
            test_fullscreen(&x, true);
        test_touch(&x);
        xvfb_stop(&x);
    }
    return harness_done();
}

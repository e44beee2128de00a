/*
 * bench_x11.c — what the station costs on a real X display, measured from
 * outside, side by side with a browser kiosk showing the same screen:
 *
 *   x11_first_frame_ms   process start to the first frame on the X screen:
 *                        a few pixels of the root window, read with XGetImage
 *                        every 2 ms from the start, show the screen's colours
 *   x11_pss_mib          memory (PSS, /proc/PID/smaps_rollup) of every process
 *                        of the program, on the scan screen after a login typed
 *                        through XTest as a keyboard-wedge scanner would
 *   x11_idle_cpu_pct     share of one core used over 3 s of that static screen
 *                        (every thread, /proc/PID/task/N/schedstat)
 *   chromium_*           the same for a Chromium kiosk showing an equivalent
 *                        static page of the scan screen (same colours, same
 *                        places, same font), written here
 *   vs_chromium_*_x      Chromium's figure over the station's
 *
 * The station runs as a station does: fullscreen, interactive, `[display]
 * renderer = auto`, on an Xvfb of 1280x800 (no GPU, no window manager).
 * A warm-up of each, then 5 runs each, alternating; medians.
 * Without Chromium (Debian's `chromium`; tests/bench/run.sh installs it
 * when it runs as root) the comparison is left out and says so.
 */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>
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
#include "log.h"
#include "theme.h"

enum { RUNS = 5, IDLE_MS = 3000 };

static const char *tmp;
static char display[16];
static Display *dpy;

/* ---- an X server -------------------------------------------------------- */

static pid_t xvfb_start(int w, int h)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        char fd[16], screen[32];
        snprintf(fd, sizeof fd, "%d", p[1]);
        snprintf(screen, sizeof screen, "%dx%dx24", w, h);
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
    if (len == 0)
        return -1;
    snprintf(display, sizeof display, ":%d", atoi(buf));
    return pid;
}

/* ---- pixels on the screen ------------------------------------------------ */

struct point {
    int x, y;
    uint32_t rgb;
};

/* Points both screens share (login and scan, and the page): the top bar,
 * the background left and right of the cards, a card. */
static const struct point first_frame[] = {
    {4, 4, C_TOPBAR},
    {12, 450, C_BG},
    {1268, 450, C_BG},
    {300, 170, C_CARD},
};
/* Only the scan screen: its card where the login screen has the gap
 * between two keys of the number pad. */
static const struct point scan_screen[] = {
    {864, 200, C_CARD},
    {870, 440, C_DISABLED},
};

static uint32_t pixel(int x, int y)
{
    XImage *img = XGetImage(dpy, DefaultRootWindow(dpy), x, y, 1, 1, AllPlanes, ZPixmap);
    if (!img)
        return 0xFFFFFFFFu;
    unsigned long p = XGetPixel(img, 0, 0);
    uint32_t rgb = (uint32_t)(((p & img->red_mask) >> 16) << 16 |
                              ((p & img->green_mask) >> 8) << 8 | (p & img->blue_mask));
    XDestroyImage(img);
    return rgb;
}

static bool near(uint32_t a, uint32_t b)
{
    for (int sh = 0; sh <= 16; sh += 8) {
        int d = (int)((a >> sh) & 0xFF) - (int)((b >> sh) & 0xFF);
        if (d < -8 || d > 8)
            return false;
    }
    return true;
}

/* Poll the points every 2 ms until all show their colours; the time since
 * t0 in ms, or -1 after timeout_ms. */
static double wait_pixels(const struct point *p, int n, int64_t t0, int timeout_ms)
{
    for (;;) {
        bool all = true;
        for (int i = 0; i < n && all; i++)
            all = near(pixel(p[i].x, p[i].y), p[i].rgb);
        int64_t now = clock_mono_ns();
        if (all)
            return (double)(now - t0) / 1e6;
        if ((now - t0) / 1000000 > timeout_ms)
            return -1;
        usleep(2000);
    }
}

/* ---- processes of a program ---------------------------------------------- */

/* Seconds since boot (the clock of /proc/PID/stat's start times). */
static double boot_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_BOOTTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The processes of a program started at `since` (boot_s): their executable
 * lies under `prefix`, and they are root itself, in its process group, or
 * started after it (a browser's crash handlers leave both group and
 * session). Runs never overlap, so nothing else matches. */
static int program_pids(pid_t root, const char *prefix, double since, pid_t *out, int max)
{
    pid_t pgid = getpgid(root);
    long hz = sysconf(_SC_CLK_TCK);
    int n = 0;
    DIR *d = opendir("/proc");
    struct dirent *de;
    while (d && (de = readdir(d)) && n < max) {
        pid_t pid = (pid_t)atoi(de->d_name);
        if (pid <= 0)
            continue;
        char path[64], exe[512], buf[1024];
        snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
        ssize_t len = readlink(path, exe, sizeof exe - 1);
        if (len <= 0)
            continue;
        exe[len] = 0;
        if (strncmp(exe, prefix, strlen(prefix)) != 0)
            continue;
        bool ours = pid == root || (pgid > 0 && getpgid(pid) == pgid);
        snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
        FILE *f = fopen(path, "r");
        if (!ours && f) {
            size_t got = fread(buf, 1, sizeof buf - 1, f);
            buf[got] = 0;
            /* after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt
             * majflt cmajflt utime stime cutime cstime priority nice threads
             * itrealvalue starttime */
            const char *rp = strrchr(buf, ')');
            unsigned long long start = 0;
            if (rp && sscanf(rp + 2,
                             "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d "
                             "%*d %*d %*d %*d %*d %llu",
                             &start) == 1)
                ours = hz > 0 && (double)start / (double)hz >= since - 0.05;
        }
        if (f)
            fclose(f);
        if (ours)
            out[n++] = pid;
    }
    if (d)
        closedir(d);
    return n;
}

static double pss_mib(const pid_t *pids, int n)
{
    double kb = 0;
    for (int i = 0; i < n; i++) {
        char path[64], line[256];
        snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pids[i]);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        double v;
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "Pss: %lf kB", &v) == 1) {
                kb += v;
                break;
            }
        fclose(f);
    }
    return kb / 1024.0;
}

/* CPU time of every thread of the processes, in ns (schedstat: exact). */
static long long cpu_ns(const pid_t *pids, int n)
{
    long long sum = 0;
    for (int i = 0; i < n; i++) {
        char path[300];
        snprintf(path, sizeof path, "/proc/%d/task", (int)pids[i]);
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "/proc/%d/task/%s/schedstat", (int)pids[i], e->d_name);
            FILE *f = fopen(path, "r");
            long long ns = 0;
            if (f && fscanf(f, "%lld", &ns) == 1)
                sum += ns;
            if (f)
                fclose(f);
        }
        if (d)
            closedir(d);
    }
    return sum;
}

/* Memory and idle CPU of the program's processes, settled. */
static void measure(pid_t root, const char *prefix, double since, double *pss, double *cpu)
{
    pid_t pids[256];
    int n = program_pids(root, prefix, since, pids, 256);
    *pss = pss_mib(pids, n);
    long long c0 = cpu_ns(pids, n);
    int64_t w0 = clock_mono_ns();
    usleep(IDLE_MS * 1000);
    long long c1 = cpu_ns(pids, n);
    *cpu = 100.0 * (double)(c1 - c0) / (double)(clock_mono_ns() - w0);
}

static pid_t spawn(char *const argv[], const char *err_path)
{
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        int null = open("/dev/null", O_WRONLY);
        int err = err_path ? open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644) : null;
        dup2(null, 1);
        dup2(err >= 0 ? err : null, 2);
        setenv("DISPLAY", display, 1);
        unsetenv("WAYLAND_DISPLAY");
        unsetenv("SDL_VIDEODRIVER");
        unsetenv("SDL_RENDER_DRIVER");
        unsetenv("SDL_FRAMEBUFFER_ACCELERATION");
        execvp(argv[0], argv);
        _exit(127);
    }
    return pid;
}

/* End a process group: TERM, then KILL after 5 s. */
static void stop_group(pid_t pid)
{
    kill(-pid, SIGTERM);
    for (int i = 0; i < 500; i++) {
        if (waitpid(pid, NULL, WNOHANG) == pid) {
            kill(-pid, SIGKILL); /* helpers left behind */
            return;
        }
        usleep(10000);
    }
    kill(-pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* ---- the station ------------------------------------------------------------ */

static char data[700], conf[700], station_exe[1024];

static void seed(void)
{
    char cmd[3000];
    snprintf(data, sizeof data, "%s/data", tmp);
    snprintf(conf, sizeof conf, "%s/station.conf", tmp);
    harness_write_file(conf, "[station]\nid = SH01-S01\n\n[display]\nrenderer = auto\n");
    snprintf(cmd, sizeof cmd,
             "echo 123456 | '%s' --config '%s' --data '%s' operator add --badge 1001 --name "
             "'Ana Grader' --role grader >/dev/null",
             harness_triage(), conf, data);
    if (system(cmd) != 0) {
        fprintf(stderr, "bench_x11: seeding failed\n");
        exit(1);
    }
    if (!realpath(harness_triage(), station_exe)) {
        fprintf(stderr, "bench_x11: no %s\n", harness_triage());
        exit(1);
    }
}

static void type_keysym(KeySym k)
{
    KeyCode c = XKeysymToKeycode(dpy, k);
    XTestFakeKeyEvent(dpy, c, True, CurrentTime);
    XTestFakeKeyEvent(dpy, c, False, CurrentTime);
    XSync(dpy, False);
    usleep(5000);
}

static void type_text(const char *s)
{
    for (; *s; s++)
        type_keysym(*s == '\n' ? XK_Return : (KeySym)(unsigned char)*s);
}

/* The one top-level window on the screen gets the keyboard (there is no
 * window manager to give it). */
static void focus_window(void)
{
    Window root = DefaultRootWindow(dpy), parent, *kids = NULL;
    unsigned n = 0;
    if (XQueryTree(dpy, root, &root, &parent, &kids, &n)) {
        for (unsigned i = 0; i < n; i++) {
            XWindowAttributes a;
            if (XGetWindowAttributes(dpy, kids[i], &a) && a.map_state == IsViewable) {
                XSetInputFocus(dpy, kids[i], RevertToPointerRoot, CurrentTime);
                break;
            }
        }
        XFree(kids);
    }
    XSync(dpy, False);
}

struct figures {
    double first_ms, pss, cpu;
};

static bool run_station(struct figures *f, bool first)
{
    char log[800];
    snprintf(log, sizeof log, "%s/station.log", tmp);
    char *argv[] = {station_exe, "--config", conf, "--data", data, "--fullscreen", NULL};
    double since = boot_s();
    int64_t t0 = clock_mono_ns();
    pid_t pid = spawn(argv, log);
    f->first_ms = wait_pixels(first_frame, 4, t0, 20000);
    bool ok = f->first_ms >= 0;
    if (!ok)
        fprintf(stderr, "bench_x11: no first frame of the station on the screen\n");
    if (ok) {
        focus_window();
        type_text("1001\n123456\n"); /* as a wedge scanner and the PIN pad's keys */
        ok = wait_pixels(scan_screen, 2, clock_mono_ns(), 10000) >= 0;
        if (!ok)
            fprintf(stderr,
                    "bench_x11: the login typed through XTest did not reach the scan screen "
                    "(%06X at %d,%d; %06X at %d,%d; see %s)\n",
                    pixel(scan_screen[0].x, scan_screen[0].y), scan_screen[0].x, scan_screen[0].y,
                    pixel(scan_screen[1].x, scan_screen[1].y), scan_screen[1].x, scan_screen[1].y,
                    log);
    }
    if (ok) {
        usleep(500000);
        measure(pid, station_exe, since, &f->pss, &f->cpu);
    }
    if (first) {
        char *text = harness_read_file(log, NULL);
        const char *i800 = text ? strstr(text, " I800 ") : NULL;
        if (i800)
            fprintf(stderr, "bench_x11: station%.*s\n", (int)strcspn(i800, "\n"), i800);
        free(text);
    }
    stop_group(pid);
    return ok;
}

/* ---- Chromium ------------------------------------------------------------------ */

/* The scan screen as a page: the station's colours, places and font. */
static const char page_html[] =
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>triage</title><style>\n"
    "html,body{margin:0;width:1280px;height:800px;overflow:hidden;background:#EEF2F6;"
    "font-family:'WenQuanYi Micro Hei',sans-serif;color:#0F172A}\n"
    "div{position:absolute;box-sizing:border-box}\n"
    ".top{left:0;top:0;width:1280px;height:72px;background:#0F172A;color:#fff;font-size:24px;"
    "line-height:72px}\n"
    ".card{background:#fff;border:2px solid #D5DCE5;border-radius:20px;"
    "box-shadow:0 4px 0 #DCE2EA}\n"
    ".c{text-align:center}\n"
    "</style></head><body>\n"
    "<div class=top><div style='left:32px;font-weight:bold;font-size:28px'>SH01-S01</div>"
    "<div style='left:268px;top:29px;width:14px;height:14px;border-radius:7px;"
    "background:#4ADE80'></div><div style='left:292px'>Ana Grader &middot; Grader</div>"
    "<div style='left:1042px;top:29px;width:14px;height:14px;border-radius:7px;"
    "background:#4ADE80'></div><div style='left:1066px;color:#CBD5E1'>printer</div>"
    "<div style='left:1156px;top:16px;width:92px;height:40px;line-height:40px;"
    "border-radius:14px;background:#1E293B;font-weight:bold' class=c>EN</div></div>\n"
    "<div class=card style='left:32px;top:156px;width:1216px;height:508px'></div>\n"
    "<div class=c style='left:32px;top:250px;width:1216px;height:72px;font-size:56px;"
    "font-weight:bold;line-height:72px'>Scan the return label</div>\n"
    "<div class=c style='left:32px;top:330px;width:1216px;font-size:28px;color:#475569'>"
    "RMA barcode, QR code or GS1 label</div>\n"
    "<div class=c style='left:196px;top:410px;width:640px;height:104px;background:#F8FAFC;"
    "border:2px solid #94A3B8;border-radius:16px;font-size:28px;color:#475569;"
    "line-height:100px'>Waiting for scanner...</div>\n"
    "<div class=c style='left:852px;top:410px;width:232px;height:104px;background:#E2E8F0;"
    "border-radius:16px;font-size:28px;font-weight:bold;color:#475569;line-height:104px'>"
    "Continue</div>\n"
    "<div class=c style='left:32px;top:534px;width:1216px;font-size:24px;color:#475569'>"
    "Typed by hand? Press Enter when done</div>\n"
    "<div class=card style='left:32px;top:688px;width:600px;height:88px;font-size:28px;"
    "color:#475569;line-height:84px;padding-left:28px'>Nothing saved yet</div>\n"
    "<div class=card style='left:992px;top:688px;width:256px;height:88px;font-size:28px;"
    "line-height:84px'><b style='position:absolute;left:80px'>Log out</b>"
    "<span style='position:absolute;right:20px;font-size:24px;color:#475569'>F12</span></div>\n"
    "</body></html>\n";

static char chromium[512], chromium_dir[512], page_url[900];

static bool find_chromium(void)
{
    static const char *const names[] = {"chromium", "chromium-browser"};
    for (int i = 0; i < 2; i++)
        if (harness_have(names[i])) {
            snprintf(chromium, sizeof chromium, "%s", names[i]);
            return true;
        }
    return false;
}

static bool run_chromium(struct figures *f, int run)
{
    char profile[800], arg[900];
    snprintf(profile, sizeof profile, "%s/chromium-%d", tmp, run);
    mkdir(profile, 0700);
    snprintf(arg, sizeof arg, "--user-data-dir=%s", profile);
    char *argv[] = {chromium, "--kiosk", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-quic",
                    /* no window manager to make the kiosk window fill the screen */
                    "--window-position=0,0", "--window-size=1280,800", arg, page_url, NULL};
    double since = boot_s();
    int64_t t0 = clock_mono_ns();
    pid_t pid = spawn(argv, NULL);
    f->first_ms = wait_pixels(first_frame, 4, t0, 30000);
    bool ok = f->first_ms >= 0 && wait_pixels(scan_screen, 2, t0, 30000) >= 0;
    if (!ok)
        fprintf(stderr, "bench_x11: chromium did not show the page\n");
    if (ok) {
        if (!chromium_dir[0]) { /* the browser's own binary, behind any wrapper script */
            char path[64], exe[512];
            snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
            ssize_t len = readlink(path, exe, sizeof exe - 1);
            if (len > 0) {
                exe[len] = 0;
                char *slash = strrchr(exe, '/');
                if (slash)
                    slash[1] = 0;
                snprintf(chromium_dir, sizeof chromium_dir, "%s", exe);
            }
        }
        usleep(2000000); /* let it settle as a kiosk would */
        measure(pid, chromium_dir[0] ? chromium_dir : "/", since, &f->pss, &f->cpu);
    }
    stop_group(pid);
    char cmd[900];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", profile);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_x11: cannot remove %s\n", profile);
    return ok;
}

/* ---- figures ---------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(void)
{
    if (!harness_have("Xvfb")) {
        printf("bench x11: skipped: Xvfb is not installed\n");
        return 0;
    }
    tmp = harness_tmpdir();
    seed();
    pid_t xvfb = xvfb_start(1280, 800);
    if (xvfb < 0 || !(dpy = XOpenDisplay(display))) {
        fprintf(stderr, "bench_x11: Xvfb does not start\n");
        return 1;
    }
    bool browser = find_chromium();
    if (!browser)
        printf("bench chromium: comparison skipped: chromium is not installed "
               "(apt-get install chromium)\n");
    char page[800];
    snprintf(page, sizeof page, "%s/scan.html", tmp);
    harness_write_file(page, page_html);
    snprintf(page_url, sizeof page_url, "file://%s", page);

    struct figures st[RUNS], ch[RUNS], warm;
    int status = 0;
    /* Warm-up: caches, fonts, the browser's first-start work. */
    if (!run_station(&warm, true) || (browser && !run_chromium(&warm, 99))) {
        fprintf(stderr, "bench_x11: the warm-up did not reach the scan screen\n");
        status = 1;
    }
    for (int i = 0; i < RUNS && status == 0; i++) {
        if (!run_station(&st[i], false) || (browser && !run_chromium(&ch[i], i))) {
            fprintf(stderr, "bench_x11: run %d did not reach the scan screen\n", i + 1);
            status = 1;
        }
    }
    if (status == 0) {
        double v[RUNS];
        fprintf(stderr, "bench_x11: runs (first frame ms / PSS MiB / idle CPU %%):");
        for (int i = 0; i < RUNS; i++)
            fprintf(stderr, " station %.0f/%.1f/%.2f%s", st[i].first_ms, st[i].pss, st[i].cpu,
                    browser ? "" : ";");
        if (browser)
            for (int i = 0; i < RUNS; i++)
                fprintf(stderr, " chromium %.0f/%.1f/%.2f;", ch[i].first_ms, ch[i].pss, ch[i].cpu);
        fprintf(stderr, "\n");
        double first, pss, cpu;
        for (int i = 0; i < RUNS; i++)
            v[i] = st[i].first_ms;
        first = median(v, RUNS);
        for (int i = 0; i < RUNS; i++)
            v[i] = st[i].pss;
        pss = median(v, RUNS);
        for (int i = 0; i < RUNS; i++)
            v[i] = st[i].cpu;
        cpu = median(v, RUNS);
        printf("bench x11_first_frame_ms %.1f ms\n", first);
        printf("bench x11_pss_mib %.1f MiB\n", pss);
        printf("bench x11_idle_cpu_pct %.4f %%\n", cpu);
        if (browser) {
            double cfirst, cpss, ccpu;
            for (int i = 0; i < RUNS; i++)
                v[i] = ch[i].first_ms;
            cfirst = median(v, RUNS);
            for (int i = 0; i < RUNS; i++)
                v[i] = ch[i].pss;
            cpss = median(v, RUNS);
            for (int i = 0; i < RUNS; i++)
                v[i] = ch[i].cpu;
            ccpu = median(v, RUNS);
            printf("bench chromium_first_frame_ms %.1f ms\n", cfirst);
            printf("bench chromium_pss_mib %.1f MiB\n", cpss);
            printf("bench chromium_idle_cpu_pct %.4f %%\n", ccpu);
            printf("bench vs_chromium_first_frame_x %.1f x\n", cfirst / first);
            printf("bench vs_chromium_pss_x %.1f x\n", cpss / pss);
        }
    }
    XCloseDisplay(dpy);
    kill(xvfb, SIGTERM);
    waitpid(xvfb, NULL, 0);
    return status;
}

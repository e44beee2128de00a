/*
 * selfcheck.c — `triage selfcheck` (selfcheck.h).
 *
 * Access is judged from the mode bits, owner and group of each device node against
 * the station's user and its groups (ACLs are not looked at: a system service gets no
 * seat ACLs, its groups are what count). The video check starts SDL's video subsystem
 * the way the station does (SDL_VIDEODRIVER when set, else x11 or kmsdrm) and reports
 * the driver SDL really picked: a station must never run on an invisible one.
 */
#include "selfcheck.h"

#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_image.h>

#include "backup.h"
#include "camera.h"
#include "log.h"
#include "printer.h"
#include "sync.h"

#define MAX_GROUPS 64
#define DISK_FAIL_MIB 200
#define DISK_WARN_MIB 1024
#define CAMERA_CHECK_MS 5000 /* the first picture, from the start of the pipeline */

struct check {
    FILE *out;
    const struct selfcheck_options *opt;
    int failed;
    /* the user whose access is judged */
    char user[64];
    uid_t uid;
    gid_t gids[MAX_GROUPS];
    int ngids;
    bool kmsdrm; /* the station would draw through kmsdrm (no X, no Wayland) */
};

/* One line of the report. `id` is the line's id, "I85x" (fine), "W85x" (works,
 * but wants a look) or "E85x" (the station cannot work so): its letter is the
 * verdict. */
__attribute__((format(printf, 4, 5))) static void line(struct check *c, const char *id,
                                                       const char *what, const char *fmt, ...)
{
    char text[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (c->out)
        fprintf(c->out, "%s %s%s: %s\n", id, id[0] == 'I' ? "ok " : "", what, text);
    if (c->opt->on_line)
        c->opt->on_line(c->opt->line_ctx, id, what, text);
    if (id[0] == 'E')
        c->failed++;
}

/* May the user open `st` for `want` (R_OK, W_OK, both)? */
static bool may(const struct check *c, const struct stat *st, int want)
{
    if (c->uid == 0)
        return true;
    mode_t bits;
    if (st->st_uid == c->uid)
        bits = (st->st_mode >> 6) & 7;
    else {
        bool member = false;
        for (int i = 0; i < c->ngids; i++)
            member |= st->st_gid == c->gids[i];
        bits = member ? (st->st_mode >> 3) & 7 : st->st_mode & 7;
    }
    return (!(want & R_OK) || (bits & 4)) && (!(want & W_OK) || (bits & 2)) &&
           (!(want & X_OK) || (bits & 1));
}

static bool may_path(const struct check *c, const char *path, int want)
{
    struct stat st;
    return stat(path, &st) == 0 && may(c, &st, want);
}

static const char *group_name(gid_t gid, char *buf, size_t len)
{
    struct group *g = getgrgid(gid);
    if (g)
        snprintf(buf, len, "%s", g->gr_name);
    else
        snprintf(buf, len, "%u", (unsigned)gid);
    return buf;
}

/* 850: as root, judge for the station's user triage; else for ourselves. */
static void check_user(struct check *c)
{
    struct passwd *pw = NULL;
    if (geteuid() == 0)
        pw = getpwnam("triage");
    if (!pw)
        pw = getpwuid(geteuid());
    c->uid = pw ? pw->pw_uid : geteuid();
    snprintf(c->user, sizeof c->user, "%s", pw ? pw->pw_name : "?");
    c->ngids = MAX_GROUPS;
    if (!pw || getgrouplist(pw->pw_name, pw->pw_gid, c->gids, &c->ngids) < 0) {
        c->ngids = getgroups(MAX_GROUPS, c->gids);
        if (c->ngids < 0)
            c->ngids = 0;
    }
    char groups[400] = "", name[64];
    for (int i = 0; i < c->ngids; i++)
        snprintf(groups + strlen(groups), sizeof groups - strlen(groups), "%s%s", i ? " " : "",
                 group_name(c->gids[i], name, sizeof name));
    if (geteuid() == 0 && c->uid == 0)
        line(c, "W850", "user",
             "no user triage (make install creates it): access is checked for root, who may"
             " open everything");
    else
        line(c, "I850", "user", "access checked for %s (uid %u; groups %s)", c->user,
             (unsigned)c->uid, groups);
}

/* 851 in the running station: its own window. */
static bool check_running_video(struct check *c)
{
    const char *video = c->opt->video;
    if (!video)
        return false;
    c->kmsdrm = strncmp(video, "kmsdrm", 6) == 0;
    if (!strncmp(video, "dummy", 5) || !strncmp(video, "offscreen", 9))
        line(c, "E851", "video", "the station runs %s: nothing is seen", video);
    else
        line(c, "I851", "video", "%s (the station's window)", video);
    return true;
}

/* 851: start SDL's video as the station would and see what it picked. */
static void check_video(struct check *c)
{
    if (check_running_video(c))
        return;
    const char *forced = getenv("SDL_VIDEODRIVER");
    const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    bool forced_set = forced && *forced;
    c->kmsdrm = forced_set ? strstr(forced, "kmsdrm") != NULL : !(x && *x) && !(wl && *wl);
    if (!forced_set && !(wl && *wl))
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "x11,kmsdrm");
    char where[300];
    snprintf(where, sizeof where, "SDL_VIDEODRIVER %s, DISPLAY %s, WAYLAND_DISPLAY %s",
             forced_set ? forced : "unset", x && *x ? x : "unset", wl && *wl ? wl : "unset");
    if (SDL_VideoInit(NULL) != 0) {
        line(c, "E851", "video",
             "no video driver starts (%s): %s; without X the station draws through kmsdrm,"
             " which needs /dev/dri/card* with a connected screen",
             where, SDL_GetError());
        return;
    }
    const char *drv = SDL_GetCurrentVideoDriver();
    SDL_DisplayMode mode;
    char screen[64] = "no screen";
    if (SDL_GetNumVideoDisplays() > 0 && SDL_GetDesktopDisplayMode(0, &mode) == 0)
        snprintf(screen, sizeof screen, "screen %dx%d", mode.w, mode.h);
    if (!drv || !strcmp(drv, "dummy") || !strcmp(drv, "offscreen"))
        line(c, "E851", "video", "SDL runs %s: nothing would be seen (%s)", drv ? drv : "no driver",
             where);
    else
        line(c, "I851", "video", "%s, %s", drv, screen);
    SDL_VideoQuit();
}

static int by_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* The names in `dir` starting with `prefix`, sorted; returns how many (at most max). */
static int list_nodes(const char *dir, const char *prefix, char names[][32], int max)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d)) && n < max;)
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 && strlen(e->d_name) < 32)
            snprintf(names[n++], 32, "%.31s", e->d_name);
    if (d)
        closedir(d);
    qsort(names, (size_t)n, 32, by_name);
    return n;
}

/* 852: the DRM devices. */
static void check_dri(struct check *c)
{
    char names[16][32];
    int n = list_nodes("/dev/dri", "card", names, 16);
    bool missing = c->kmsdrm; /* an error for kmsdrm, else a warning */
    if (n == 0) {
        line(c, missing ? "E852" : "W852", "/dev/dri",
             "no /dev/dri/card*: no DRM driver for the screen%s",
             c->kmsdrm ? " (kmsdrm needs one)" : " (the X server draws without it)");
        return;
    }
    char ok[300] = "", denied[300] = "", path[64];
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "/dev/dri/%.31s", names[i]);
        char *list = may_path(c, path, R_OK | W_OK) ? ok : denied;
        snprintf(list + strlen(list), 300 - strlen(list), "%s%.31s", *list ? " " : "", names[i]);
    }
    if (!ok[0])
        line(c, missing ? "E852" : "W852", "/dev/dri",
             "%s not read-write for %s: add the user to group video", denied, c->user);
    else
        line(c, "I852", "/dev/dri", "%s read-write for %s%s%s", ok, c->user,
             denied[0] ? "; not: " : "", denied);
}

/* The kernel's name of /dev/input/eventN. */
static void input_name(const char *node, char *out, size_t len)
{
    char path[128];
    snprintf(path, sizeof path, "/sys/class/input/%.31s/device/name", node);
    FILE *f = fopen(path, "r");
    out[0] = 0;
    if (f) {
        if (fgets(out, (int)len, f))
            out[strcspn(out, "\n")] = 0;
        fclose(f);
    }
}

/* 853: touch screen and keyboards: the station (kmsdrm) reads /dev/input/event*. */
static void check_input(struct check *c)
{
    char names[64][32];
    int n = list_nodes("/dev/input", "event", names, 64);
    bool missing = c->kmsdrm; /* an error for kmsdrm, else a warning */
    if (n == 0) {
        line(c, missing ? "E853" : "W853", "input",
             "no /dev/input/event*: no touch screen or keyboard%s",
             c->kmsdrm ? "" : " (under X the X server reads them)");
        return;
    }
    char ok[600] = "", denied[300] = "", path[64], name[100];
    int readable = 0;
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "/dev/input/%.31s", names[i]);
        if (may_path(c, path, R_OK)) {
            readable++;
            input_name(names[i], name, sizeof name);
            snprintf(ok + strlen(ok), sizeof ok - strlen(ok), "%s%.31s (%.60s)", *ok ? ", " : "",
                     names[i], name[0] ? name : "?");
        } else {
            snprintf(denied + strlen(denied), sizeof denied - strlen(denied), "%s%.31s",
                     *denied ? " " : "", names[i]);
        }
    }
    if (readable == 0)
        line(c, missing ? "E853" : "W853", "input",
             "%d devices, none readable by %s: add the user to group"
             " input",
             n, c->user);
    else
        line(c, "I853", "input", "%d of %d devices readable by %s: %s", readable, n, c->user, ok);
}

/* Read a short sysfs attribute into out ("" when missing). */
static void sysfs_attr(const char *dev, const char *attr, char *out, size_t len)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "/sys/bus/usb/devices/%s/%s", dev, attr);
    FILE *f = fopen(path, "r");
    out[0] = 0;
    if (f) {
        if (fgets(out, (int)len, f))
            out[strcspn(out, "\n")] = 0;
        fclose(f);
    }
}

/* A USB device by "VID:PID" ("any": the first with a HID interface). Returns true and
 * its /dev/bus/usb node when found. */
static bool find_usb(const char *want, bool hid_any, char *node, size_t nodelen)
{
    unsigned vid = 0, pid = 0;
    bool any = !*want || !strcmp(want, "any");
    if (!any && sscanf(want, "%x:%x", &vid, &pid) != 2)
        return false;
    DIR *d = opendir("/sys/bus/usb/devices");
    bool found = false;
    for (struct dirent *e; d && !found && (e = readdir(d));) {
        if (e->d_name[0] == '.' || strchr(e->d_name, ':'))
            continue; /* interfaces are "1-1:1.0" */
        char v[16], p[16], bus[16], dev[16];
        sysfs_attr(e->d_name, "idVendor", v, sizeof v);
        sysfs_attr(e->d_name, "idProduct", p, sizeof p);
        if (!v[0])
            continue;
        bool match = !any && strtoul(v, NULL, 16) == vid && strtoul(p, NULL, 16) == pid;
        if (any && hid_any) {
            char cls[16], iface[300];
            snprintf(iface, sizeof iface, "%s:1.0", e->d_name);
            sysfs_attr(iface, "bInterfaceClass", cls, sizeof cls);
            match = !strcmp(cls, "03");
        }
        if (!match)
            continue;
        sysfs_attr(e->d_name, "busnum", bus, sizeof bus);
        sysfs_attr(e->d_name, "devnum", dev, sizeof dev);
        snprintf(node, nodelen, "/dev/bus/usb/%03d/%03d", atoi(bus), atoi(dev));
        found = true;
    }
    if (d)
        closedir(d);
    return found;
}

/* 854: each configured scanner. */
static void check_scanners(struct check *c, const struct config *cfg)
{
    if (cfg->nscanners == 0) {
        line(c, "I854", "scanners",
             "none configured: a keyboard-wedge scanner types into the window");
        return;
    }
    for (int i = 0; i < cfg->nscanners; i++) {
        const struct scanner_opts *s = &cfg->scanners[i];
        char what[80], node[64];
        snprintf(what, sizeof what, "scanner %s", s->name);
        if (!strcmp(s->type, "wedge")) {
            line(c, "I854", what, "keyboard wedge: types into the window");
        } else if (!strcmp(s->type, "usb-hid") || !strcmp(s->type, "hid-pos")) {
            if (!find_usb(s->device, true, node, sizeof node))
                line(c, "E854", what, "%s %s: not connected", s->type,
                     s->device[0] ? s->device : "any");
            else if (!may_path(c, node, R_OK | W_OK))
                line(c, "E854", what,
                     "%s %s at %s: not read-write for %s (udev rules"
                     " 70-triage-scanners.rules, group plugdev)",
                     s->type, s->device, node, c->user);
            else
                line(c, "I854", what, "%s %s at %s", s->type, s->device, node);
        } else {
            bool serial = !strcmp(s->type, "serial");
            int want = serial ? R_OK | W_OK : R_OK;
            struct stat st;
            if (stat(s->device, &st) != 0)
                line(c, "E854", what, "%s %s: not there", s->type, s->device);
            else if (!may(c, &st, want))
                line(c, "E854", what, "%s %s: not %s for %s (group %s)", s->type, s->device,
                     serial ? "read-write" : "readable", c->user, serial ? "dialout" : "input");
            else
                line(c, "I854", what, "%s %s", s->type, s->device);
        }
    }
}

/* A folder the user can make files in, or, when it does not exist yet, whose nearest
 * existing parent lets the user make it. */
static bool writable_or_makeable(const struct check *c, const char *dir, bool *exists)
{
    struct stat st;
    *exists = stat(dir, &st) == 0;
    if (*exists)
        return S_ISDIR(st.st_mode) && may(c, &st, W_OK | X_OK);
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", dir);
    for (char *slash; (slash = strrchr(parent, '/'));) {
        *slash = 0;
        const char *p = parent[0] ? parent : "/";
        if (stat(p, &st) == 0)
            return S_ISDIR(st.st_mode) && may(c, &st, W_OK | X_OK);
        if (!parent[0])
            break;
    }
    return stat(".", &st) == 0 && may(c, &st, W_OK | X_OK);
}

/* 855: the printer. The folder printer is judged without opening it (that would make
 * the folder); the others are asked for their status. */
static void check_printer(struct check *c, const struct selfcheck_options *opt)
{
    const struct printer_opts *p = &opt->cfg->printer;
    char what[64];
    snprintf(what, sizeof what, "printer %s", p->type);
    if (!strcmp(p->type, "folder")) {
        char dir[PATH_MAX];
        bool exists;
        snprintf(dir, sizeof dir, "%s/labels", opt->data_dir);
        if (writable_or_makeable(c, dir, &exists))
            line(c, "I855", what, "%s %s", dir, exists ? "writable" : "(made at the first label)");
        else
            line(c, "E855", what, "%s: not writable for %s", dir, c->user);
        return;
    }
    const char *where = !strcmp(p->type, "zpl-tcp") ? p->address
                        : !strcmp(p->type, "cups")  ? p->queue
                                                    : p->device;
    const struct printer_status *seen = opt->printer;
    if (seen) { /* the print worker's: it owns the printer */
        char waiting[64] = "";
        if (opt->labels_waiting > 0)
            snprintf(waiting, sizeof waiting, "; %d labels waiting", opt->labels_waiting);
        line(c, seen->state == PRINTER_READY ? "I855" : "E855", what,
             "%s: %s%s%s (the print worker's last look)%s", where, printer_state_name(seen->state),
             seen->detail[0] ? ": " : "", seen->detail, waiting);
        return;
    }
    struct printer *pr = NULL;
    char err[512];
    int timeout = opt->timeout_ms > 0 ? opt->timeout_ms : 3000;
    if (printer_open_timeout(p, opt->data_dir, timeout, &pr, err, sizeof err) != 0) {
        line(c, "E855", what, "%s: %s", where, err);
        return;
    }
    struct printer_status st = {0};
    int rc = printer_status(pr, &st);
    printer_close(pr);
    if (rc == 0 && st.state == PRINTER_READY)
        line(c, "I855", what, "%s: ready", where);
    else
        line(c, "E855", what, "%s: %s%s%s", where,
             rc == 0 ? printer_state_name(st.state) : "no status", st.detail[0] ? ": " : "",
             st.detail);
}

/* 856: head office. */
static void check_head_office(struct check *c, const struct selfcheck_options *opt)
{
    const struct config *cfg = opt->cfg;
    struct sync_options so = {.station = cfg->station_id,
                              .site = cfg->site,
                              .data_dir = opt->data_dir,
                              .cfg = &cfg->sync};
    char target[600];
    sync_target(&so, target, sizeof target);
    if (!strncmp(target, "spool:", 6)) {
        bool exists;
        if (writable_or_makeable(c, target + 6, &exists))
            line(c, "I856", "head office", "spool folder %s %s", target + 6,
                 exists ? "writable" : "(made by the first sync)");
        else
            line(c, "E856", "head office", "spool folder %s: not writable for %s", target + 6,
                 c->user);
        return;
    }
    /* The URL without a password that may be in it. */
    char shown[600];
    snprintf(shown, sizeof shown, "%s", target);
    char *at = strchr(shown, '@'), *colon = strstr(shown, "://");
    if (at && colon) {
        char *pw = strchr(colon + 3, ':');
        if (pw && pw < at)
            memmove(pw, at, strlen(at) + 1);
    }
    void *state = NULL;
    char err[512];
    if (sync_pg_transport.open(&so, target, &state, err, sizeof err) != 0) {
        line(c, "E856", "head office", "%s: %s", shown, err);
        return;
    }
    sync_pg_transport.close(state);
    /* The mode sync used: the configuration's, else verify-full (it wins
     * over one in the URL). */
    const char *mode = cfg->sync.sslmode[0] ? cfg->sync.sslmode : "verify-full";
    bool tls_required =
        !strcmp(mode, "require") || !strcmp(mode, "verify-ca") || !strcmp(mode, "verify-full");
    if (!tls_required)
        line(c, "W856", "head office",
             "%s reached, but TLS is not required (sslmode %s): set [sync] sslmode ="
             " verify-full and sslrootcert",
             shown, mode);
    else
        line(c, "I856", "head office", "%s reached with TLS (sslmode %s)", shown, mode);
}

/* 857 and 858: the data folder and its disk. */
static void check_data(struct check *c, const char *data_dir)
{
    struct stat st;
    bool exists;
    if (!writable_or_makeable(c, data_dir, &exists))
        line(c, "E857", "data", "%s: not writable for %s", data_dir, c->user);
    else if (!exists)
        line(c, "W857", "data",
             "%s does not exist yet (the first start or operator add"
             " makes it)",
             data_dir);
    else if (stat(data_dir, &st) == 0 && (st.st_mode & 077))
        line(c, "W857", "data",
             "%s is open to others (mode %04o): it holds PIN hashes;"
             " chmod 700",
             data_dir, (unsigned)(st.st_mode & 07777));
    else
        line(c, "I857", "data", "%s writable for %s", data_dir, c->user);

    /* The disk: of the folder, or of its nearest existing parent. */
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", data_dir);
    struct statvfs vfs;
    while (statvfs(path, &vfs) != 0) {
        char *slash = strrchr(path, '/');
        if (!slash || slash == path) {
            snprintf(path, sizeof path, "%s", slash == path ? "/" : ".");
            if (statvfs(path, &vfs) != 0) {
                line(c, "E858", "disk", "cannot tell the free space for %s: %s", data_dir,
                     strerror(errno));
                return;
            }
            break;
        }
        *slash = 0;
    }
    unsigned long long free_mib = (unsigned long long)vfs.f_bavail * vfs.f_frsize / (1024 * 1024);
    unsigned long long total_mib = (unsigned long long)vfs.f_blocks * vfs.f_frsize / (1024 * 1024);
    if (free_mib < DISK_FAIL_MIB)
        line(c, "E858", "disk",
             "%llu MiB free of %llu MiB at %s: the station needs at least 200 MiB", free_mib,
             total_mib, path);
    else if (free_mib < DISK_WARN_MIB)
        line(c, "W858", "disk", "%llu MiB free of %llu MiB at %s: less than 1 GiB left", free_mib,
             total_mib, path);
    else
        line(c, "I858", "disk", "%llu MiB free of %llu MiB at %s", free_mib, total_mib, path);
}

/* 859: the database, read-only; a missing one is reported, never made. */
static void check_database(struct check *c, const char *data_dir)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/triage.db", data_dir);
    struct stat st;
    if (stat(path, &st) != 0) {
        line(c, "E859", "database",
             "%s missing: add the first operator (triage --data %s operator add …), which"
             " makes it",
             path, data_dir);
        return;
    }
    struct backup_check chk;
    char err[512];
    if (backup_check(path, false, &chk, err, sizeof err) != 0)
        line(c, "E859", "database", "%s", err);
    else if (!chk.ok)
        line(c, "E859", "database", "%s fails quick_check: %s (README: Backup and restore)", path,
             chk.detail);
    else if (!may(c, &st, R_OK | W_OK))
        line(c, "E859", "database", "%s: not read-write for %s", path, c->user);
    else
        line(c, "I859", "database", "%s: quick_check ok, schema %d, %lld inspections", path,
             chk.schema, (long long)chk.inspections);
}

/* 860: the camera, when one is configured: its device is the user's (when the pipeline
 * names one), it starts and a picture comes within CAMERA_CHECK_MS. */
static void check_camera(struct check *c, const struct config *cfg)
{
    struct camera_opts o;
    config_camera_opts(cfg, &o);
    if (!o.pipeline) {
        line(c, "I860", "camera", "none configured: no photos can be taken");
        return;
    }
    const char *dev = strstr(o.pipeline, "device=");
    if (dev) {
        char path[256];
        dev += 7;
        snprintf(path, sizeof path, "%.*s", (int)strcspn(dev, " \t!"), dev);
        if (path[0] == '/' && !may_path(c, path, R_OK | W_OK)) {
            line(c, "E860", "camera", "%s: %s for %s (group video)", path,
                 access(path, F_OK) == 0 ? "not read-write" : "not there", c->user);
            return;
        }
    }
    char err[400];
    struct camera *cam = NULL;
    int64_t t0 = clock_mono_ms();
    if (camera_open(&o, NULL, NULL, &cam, err, sizeof err) != 0) {
        line(c, "E860", "camera", "%s", err);
        return;
    }
    unsigned char *jpeg = NULL;
    size_t len = 0;
    if (camera_capture(cam, CAMERA_CHECK_MS, &jpeg, &len, err, sizeof err) != 0) {
        line(c, "E860", "camera", "%s", err);
    } else {
        long long ms = (long long)(clock_mono_ms() - t0);
        SDL_Surface *s = IMG_Load_RW(SDL_RWFromConstMem(jpeg, (int)len), 1);
        line(c, "I860", "camera", "a %dx%d JPEG picture of %zu KiB, %lld ms after the start",
             s ? s->w : 0, s ? s->h : 0, (len + 1023) / 1024, ms);
        SDL_FreeSurface(s);
    }
    free(jpeg);
    camera_close(cam);
}

int selfcheck_run(const struct selfcheck_options *opt, FILE *out)
{
    struct check c = {.out = out, .opt = opt};
    check_user(&c);
    check_video(&c);
    check_dri(&c);
    check_input(&c);
    check_scanners(&c, opt->cfg);
    check_printer(&c, opt);
    check_head_office(&c, opt);
    check_data(&c, opt->data_dir);
    check_database(&c, opt->data_dir);
    check_camera(&c, opt->cfg);
    fflush(out);
    return c.failed;
}

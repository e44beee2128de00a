/*
 * scanners.c — the scanner manager: every configured hardware scanner, in
 * one thread of its own (prefix scanners_).
 *
 * The manager knows a scanner only through its kind's scan_kind_ops
 * (scan_kind.h): it makes one struct per configured scanner, runs the
 * thread, keeps each scanner's state and the queue of completed codes, and
 * dispatches what the USB bus reports. The I/O of each kind is in that
 * kind's file; the libusb plumbing in scan_usb.c.
 *
 * The thread sleeps in poll(2) on the devices the path kinds have open,
 * libusb's file descriptors, and a pipe that stops it. Once a loop turn it
 * ticks the USB scanners, hands devices that arrived to USB scanners
 * without one (one scanner per device), tries again to open path scanners
 * whose device is missing (every SCAN_RETRY_MS, so a re-plugged scanner is
 * back within a second), and drops half codes that stalled.
 *
 * Completed codes go into a locked queue, and `wake` tells the main loop.
 * A half code — the scanner stalls (no data for SCAN_STALL_MS), is pulled
 * out, or sends a bad report — is logged with its error id and dropped.
 *
 * Ownership: every scanner's struct belongs to the thread, except its
 * decoder (dec_mu: the thread and scanners_inject_report) and `st`, the
 * queue and `gen` (mu: the thread and the main loop). Lock order dec_mu →
 * mu.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "scan_kind.h"
#include "scan_usb.h"
#include "scanner.h"

#define QUEUE_MAX 256
#define MAX_POLL 64

/* Every kind this station runs, by [scanner.NAME] type. */
static const struct scan_kind_ops *const kinds[] = {
    &scan_usbhid_kind,
    &scan_hidpos_kind,
    &scan_serial_kind,
    &scan_evdev_kind,
};

struct scanners {
    int n;
    struct scan_dev *d[SCANNERS_MAX];
    void (*wake)(void *ctx);
    void *wake_ctx;

    pthread_t thread;
    bool started;
    atomic_bool stop;
    int stop_pipe[2];

    struct scan_usb *usb; /* NULL without USB scanners, or when libusb cannot start */

    pthread_mutex_t mu;
    struct scan_code queue[QUEUE_MAX];
    int qhead, qlen;
    bool full_said;
    unsigned gen;
};

bool scanner_is_hardware(const struct scanner_opts *c)
{
    return strcmp(c->type, "wedge") != 0;
}

static void wake(struct scanners *m)
{
    if (m->wake)
        m->wake(m->wake_ctx);
}

/* ---- state and queue ----------------------------------------------------- */

void scan_dev_state(struct scan_dev *d, const char *state, const char *detail)
{
    struct scanners *m = d->m;
    bool changed;
    pthread_mutex_lock(&m->mu);
    changed = strcmp(d->st.state, state) != 0 || strcmp(d->st.detail, detail) != 0;
    if (changed) {
        snprintf(d->st.state, sizeof d->st.state, "%s", state);
        snprintf(d->st.detail, sizeof d->st.detail, "%s", detail);
        m->gen++;
    }
    pthread_mutex_unlock(&m->mu);
    if (!changed)
        return;
    if (strcmp(state, "ready") == 0)
        log_info("I570", "scanner %s ready: %s", d->cfg.name, detail);
    else
        log_warn("W570", "scanner %s %s: %s", d->cfg.name, state, detail);
    wake(m);
}

static void sink_code(void *ctx, const char *text, size_t len)
{
    struct scan_dev *d = ctx;
    struct scanners *m = d->m;
    bool full;
    bool say = false;
    pthread_mutex_lock(&m->mu);
    full = m->qlen == QUEUE_MAX;
    if (full) {
        say = !m->full_said; /* once until the queue drains, not once a scan */
        m->full_said = true;
    } else {
        struct scan_code *c = &m->queue[(m->qhead + m->qlen++) % QUEUE_MAX];
        snprintf(c->source, sizeof c->source, "%s", d->cfg.name);
        memcpy(c->text, text, len);
        c->text[len] = 0;
        c->len = len;
        c->ready_ns = clock_mono_ns();
        d->st.codes++;
    }
    pthread_mutex_unlock(&m->mu);
    if (say)
        log_error("E589", "scanner %s: %d scans wait for the station; this one is dropped",
                  d->cfg.name, QUEUE_MAX);
    wake(m);
}

static void sink_reject(void *ctx, const char *id, const char *why)
{
    struct scan_dev *d = ctx;
    pthread_mutex_lock(&d->m->mu);
    d->st.rejected++;
    snprintf(d->st.last_reject, sizeof d->st.last_reject, "%s", id);
    pthread_mutex_unlock(&d->m->mu);
    log_error(id, "scanner %s: %s", d->cfg.name, why);
}

/* ---- decoders ------------------------------------------------------------ */

void scan_dev_feed(struct scan_dev *d, const uint8_t *data, size_t len)
{
    pthread_mutex_lock(&d->dec_mu);
    d->ops->feed(d, data, len);
    d->last_data = clock_mono_ms();
    pthread_mutex_unlock(&d->dec_mu);
}

void scan_dev_abort(struct scan_dev *d, const char *id, const char *why)
{
    pthread_mutex_lock(&d->dec_mu);
    d->ops->abort(d, id, why);
    pthread_mutex_unlock(&d->dec_mu);
}

void scan_dev_reset(struct scan_dev *d)
{
    pthread_mutex_lock(&d->dec_mu);
    d->ops->reset(d);
    pthread_mutex_unlock(&d->dec_mu);
}

static bool pending(struct scan_dev *d)
{
    pthread_mutex_lock(&d->dec_mu);
    bool p = d->ops->pending(d);
    pthread_mutex_unlock(&d->dec_mu);
    return p;
}

void scanners_inject_report(struct scanners *m, int i, const uint8_t *report, size_t len)
{
    if (m && i >= 0 && i < m->n)
        scan_dev_feed(m->d[i], report, len);
}

/* ---- path kinds ---------------------------------------------------------- */

int scan_dev_check_path(const struct scan_dev *d, char *err, size_t errlen)
{
    if (d->cfg.device[0] == '/')
        return 0;
    snprintf(err, errlen,
             "E590: [scanner.%s] device = %s: a %s scanner is a "
             "device path (e.g. /dev/ttyACM0)",
             d->cfg.name, d->cfg.device, d->cfg.type);
    return -1;
}

int scan_dev_open_path(struct scan_dev *d, int flags, const char *id)
{
    int fd = open(d->cfg.device, flags);
    if (fd >= 0)
        return fd;
    int e = errno;
    char detail[96];
    snprintf(detail, sizeof detail, "%s%s%.60s: %.24s", e == ENOENT ? "" : id,
             e == ENOENT ? "" : " ", d->cfg.device, strerror(e));
    if (e != ENOENT)
        log_error(id, "scanner %s: cannot open %s", d->cfg.name, detail + 5);
    scan_dev_state(d, e == ENOENT ? "offline" : "error", detail);
    return -1;
}

void scan_dev_lost(struct scan_dev *d, const char *why)
{
    if (d->fd < 0)
        return;
    d->ops->release(d);
    d->fd = -1;
    scan_dev_abort(d, "E575", "the scanner was disconnected mid-code");
    d->next_try = clock_mono_ms() + SCAN_RETRY_MS;
    scan_dev_state(d, "offline", why);
}

/* ---- USB hotplug dispatch ------------------------------------------------ */

/* A device is there (arrived, or listed while looking): the first USB
 * scanner without a device that takes it has it. */
static void usb_arrived(void *ctx, struct libusb_device *dev)
{
    struct scanners *m = ctx;
    for (int i = 0; i < m->n; i++)
        if (m->d[i]->usb == dev)
            return; /* one scanner per device */
    for (int i = 0; i < m->n; i++) {
        struct scan_dev *d = m->d[i];
        if (d->ops->attach && !d->usb && d->ops->attach(d, m->usb, dev))
            return;
    }
}

static void usb_left(void *ctx, struct libusb_device *dev)
{
    struct scanners *m = ctx;
    for (int i = 0; i < m->n; i++)
        if (m->d[i]->usb == dev && m->d[i]->ops->detach)
            m->d[i]->ops->detach(m->d[i]);
}

/* ---- the thread ---------------------------------------------------------- */

static void *thread_main(void *arg)
{
    struct scanners *m = arg;
    scan_usb_listen(m->usb);
    struct pollfd pfd[MAX_POLL];
    struct scan_dev *owner[MAX_POLL];
    while (!atomic_load(&m->stop)) {
        int64_t now = clock_mono_ms();
        /* Idle, the thread wakes once a second (retrying missing path
         * scanners); sooner when a half code may turn into a stall. */
        int timeout = SCAN_RETRY_MS;
        bool looking = false;
        for (int i = 0; i < m->n; i++) {
            struct scan_dev *d = m->d[i];
            if (d->ops->tick)
                d->ops->tick(d, now);
            looking |= d->ops->attach && !d->usb;
        }
        if (m->usb)
            scan_usb_service(m->usb, looking, now);
        for (int i = 0; i < m->n; i++) {
            struct scan_dev *d = m->d[i];
            if (d->ops->open && d->fd < 0 && now >= d->next_try) {
                d->next_try = now + SCAN_RETRY_MS;
                d->ops->open(d);
            }
            /* A scanner types a code in one burst: a half code that stops is
             * a stall (or a cable pulled where we cannot see it). */
            if (pending(d)) {
                if (now - d->last_data >= SCAN_STALL_MS)
                    scan_dev_abort(d, "E574", "the scanner stopped mid-code");
                else if (SCAN_STALL_MS - (now - d->last_data) < timeout)
                    timeout = (int)(SCAN_STALL_MS - (now - d->last_data)) + 1;
            }
        }

        int nfd = 0;
        pfd[nfd++] = (struct pollfd){.fd = m->stop_pipe[0], .events = POLLIN};
        int first_dev = nfd;
        for (int i = 0; i < m->n && nfd < MAX_POLL; i++)
            if (m->d[i]->fd >= 0) {
                owner[nfd] = m->d[i];
                pfd[nfd++] = (struct pollfd){.fd = m->d[i]->fd, .events = POLLIN};
            }
        int first_usb = nfd;
        if (m->usb)
            nfd += scan_usb_pollfds(m->usb, pfd + nfd, MAX_POLL - nfd, &timeout);
        int r = poll(pfd, (nfds_t)nfd, timeout);
        if (r < 0 && errno != EINTR)
            usleep(10000);
        if (m->usb)
            scan_usb_handle(m->usb, 0);
        for (int k = first_dev; k < first_usb; k++) {
            struct scan_dev *d = owner[k];
            if (d->fd != pfd[k].fd || !pfd[k].revents)
                continue;
            if (pfd[k].revents & POLLIN)
                d->ops->input(d);
            else if (pfd[k].revents & (POLLHUP | POLLERR | POLLNVAL))
                scan_dev_lost(d, "disconnected");
        }
    }
    return NULL;
}

/* ---- opening and closing ------------------------------------------------- */

static const struct scan_kind_ops *kind_of(const char *type)
{
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(kinds[i]->type, type) == 0)
            return kinds[i];
    return NULL;
}

/* Make scanner m->d[m->n] from cfg. 0, or -1 with "E59x: …" in err. */
static int add_scanner(struct scanners *m, const struct scanner_opts *cfg, char *err, size_t errlen)
{
    const struct scan_kind_ops *ops = kind_of(cfg->type);
    if (!ops) {
        snprintf(err, errlen,
                 "E593: [scanner.%s] type = %s: not a scanner kind (usb-hid, hid-pos, serial, "
                 "evdev or wedge)",
                 cfg->name, cfg->type);
        return -1;
    }
    struct scan_dev *d = calloc(1, ops->size);
    if (!d) {
        snprintf(err, errlen, "E591: out of memory");
        return -1;
    }
    d->ops = ops;
    d->cfg = *cfg;
    d->fd = -1;
    d->m = m;
    pthread_mutex_init(&d->dec_mu, NULL);
    d->sink = (struct scan_sink){.ctx = d, .code = sink_code, .reject = sink_reject};
    memcpy(d->st.name, cfg->name, sizeof d->st.name);
    memcpy(d->st.type, cfg->type, sizeof d->st.type);
    d->st.name[sizeof d->st.name - 1] = d->st.type[sizeof d->st.type - 1] = 0;
    snprintf(d->st.state, sizeof d->st.state, "offline");
    snprintf(d->st.detail, sizeof d->st.detail, "not found yet");
    m->d[m->n++] = d;
    return ops->init(d, err, errlen);
}

int scanners_open(const struct scanner_opts *cfgs, int n, void (*wake_fn)(void *ctx),
                  void *wake_ctx, struct scanners **out, char *err, size_t errlen)
{
    *out = NULL;
    int hw = 0;
    for (int i = 0; i < n; i++)
        hw += scanner_is_hardware(&cfgs[i]);
    if (hw == 0)
        return 0;
    struct scanners *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "E591: out of memory");
        return -1;
    }
    pthread_mutex_init(&m->mu, NULL);
    m->stop_pipe[0] = m->stop_pipe[1] = -1;
    m->wake = wake_fn;
    m->wake_ctx = wake_ctx;
    bool need_usb = false;
    for (int i = 0; i < n && m->n < SCANNERS_MAX; i++) {
        if (!scanner_is_hardware(&cfgs[i]))
            continue;
        if (add_scanner(m, &cfgs[i], err, errlen) != 0)
            goto fail;
        need_usb |= m->d[m->n - 1]->ops->attach != NULL;
    }
    if (pipe2(m->stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        snprintf(err, errlen, "E591: cannot make a pipe: %s", strerror(errno));
        goto fail;
    }
    if (need_usb) {
        struct scan_usb_hooks hooks = {.ctx = m, .arrived = usb_arrived, .left = usb_left};
        m->usb = scan_usb_start(&hooks); /* NULL: its USB scanners stay offline */
    }
    if (pthread_create(&m->thread, NULL, thread_main, m) != 0) {
        snprintf(err, errlen, "E591: cannot start the scanner thread");
        goto fail;
    }
    m->started = true;
    *out = m;
    return 0;
fail:
    scanners_close(m);
    return -1;
}

void scanners_close(struct scanners *m)
{
    if (!m)
        return;
    if (m->started) {
        atomic_store(&m->stop, true);
        ssize_t w = write(m->stop_pipe[1], "x", 1);
        (void)w;
        pthread_join(m->thread, NULL);
    }
    /* Release every device before freeing any scanner: releasing a USB one
     * handles libusb events, whose hotplug callback looks at them all. */
    for (int i = 0; i < m->n; i++)
        m->d[i]->ops->release(m->d[i]);
    scan_usb_stop(m->usb);
    for (int i = 0; i < m->n; i++) {
        pthread_mutex_destroy(&m->d[i]->dec_mu);
        free(m->d[i]);
    }
    if (m->stop_pipe[0] >= 0)
        close(m->stop_pipe[0]);
    if (m->stop_pipe[1] >= 0)
        close(m->stop_pipe[1]);
    pthread_mutex_destroy(&m->mu);
    free(m);
}

int scanners_take(struct scanners *m, struct scan_code *out)
{
    if (!m)
        return 0;
    int got = 0;
    pthread_mutex_lock(&m->mu);
    if (m->qlen > 0) {
        *out = m->queue[m->qhead];
        m->qhead = (m->qhead + 1) % QUEUE_MAX;
        m->qlen--;
        if (m->qlen == 0)
            m->full_said = false;
        got = 1;
    }
    pthread_mutex_unlock(&m->mu);
    return got;
}

unsigned scanners_generation(struct scanners *m)
{
    if (!m)
        return 0;
    pthread_mutex_lock(&m->mu);
    unsigned g = m->gen;
    pthread_mutex_unlock(&m->mu);
    return g;
}

int scanners_states(struct scanners *m, struct scanner_state *out, int max)
{
    if (!m)
        return 0;
    pthread_mutex_lock(&m->mu);
    for (int i = 0; i < m->n && i < max; i++)
        out[i] = m->d[i]->st;
    pthread_mutex_unlock(&m->mu);
    return m->n;
}

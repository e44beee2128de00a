/*
 * print_fake.h — a fake ZPL printer on 127.0.0.1 for the print tests, and
 * what those tests share (inspections to print, checking ZPL with an
 * independent renderer). Header-only: each test program includes it once.
 *
 * The fake listens on a port of its own (an ephemeral one, kept across
 * restarts with SO_REUSEADDR) and serves one connection at a time in a
 * thread. Modes:
 *   FAKE_RECORD   read to EOF; "~HS" gets a ready status, anything else is a
 *                 job: recorded when it ends in ^XZ (a whole label; a line
 *                 end may follow), then close
 *   FAKE_STALL    accept and never read (the connection is kept open)
 *   FAKE_DROP     read 64 bytes, then reset the connection mid-job
 *   FAKE_GARBAGE  read to EOF, answer 100 KiB of noise (not a status), close;
 *                 nothing is recorded: a device that talks noise printed nothing
 * fake_stop() closes the listening socket: connections are refused until
 * fake_start() again on the same port.
 */
#ifndef TRIAGE_PRINT_FAKE_H
#define TRIAGE_PRINT_FAKE_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "inspection.h"
#include "log.h"

#define FAKE_MAX_JOBS 256
#define FAKE_UNUSED __attribute__((unused)) /* not every test uses every helper */

enum fake_mode { FAKE_RECORD, FAKE_STALL, FAKE_DROP, FAKE_GARBAGE };

struct fake_printer {
    int port;
    int lfd;
    pthread_t thread;
    bool running;
    pthread_mutex_t mu;
    enum fake_mode mode;
    int njobs;
    char *jobs[FAKE_MAX_JOBS];
    size_t lens[FAKE_MAX_JOBS];
    int connections, status_queries, dropped, garbage;
    int stalled[64];
    int nstalled;
    const char *hs_reply; /* what ~HS gets; NULL = fake_hs_ready */
};

static const char fake_hs_ready[] = "\x02" "030,0,0,1245,000,0,0,0,000,0,0,0\x03\r\n"
                                    "\x02" "000,0,0,0,0,2,4,0,00000000,1,000\x03\r\n"
                                    "\x02" "1234,0\x03\r\n";

/* Read to EOF (at most 8 MiB, 5 s without data). malloc'd, NUL-terminated. */
static FAKE_UNUSED char *fake_read_all(int fd, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 5000) <= 0)
            break;
        if (n == cap) {
            if (cap >= 8u << 20)
                break;
            cap *= 2;
            buf = realloc(buf, cap + 1);
        }
        ssize_t r = recv(fd, buf + n, cap - n, 0);
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

static FAKE_UNUSED void fake_reset(int fd)
{
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(fd);
}

static FAKE_UNUSED void fake_serve(struct fake_printer *f, int fd)
{
    pthread_mutex_lock(&f->mu);
    enum fake_mode mode = f->mode;
    f->connections++;
    pthread_mutex_unlock(&f->mu);
    if (mode == FAKE_STALL) {
        pthread_mutex_lock(&f->mu);
        if (f->nstalled < 64)
            f->stalled[f->nstalled++] = fd;
        else
            close(fd);
        pthread_mutex_unlock(&f->mu);
        return;
    }
    if (mode == FAKE_DROP) {
        char buf[64];
        ssize_t r = recv(fd, buf, sizeof buf, 0);
        (void)r;
        pthread_mutex_lock(&f->mu);
        f->dropped++;
        pthread_mutex_unlock(&f->mu);
        fake_reset(fd);
        return;
    }
    size_t len = 0;
    char *data = fake_read_all(fd, &len);
    if (mode == FAKE_GARBAGE) {
        static char noise[100 * 1024];
        for (size_t i = 0; i < sizeof noise; i++)
            noise[i] = (char)(i * 7 + 13);
        ssize_t w = send(fd, noise, sizeof noise, MSG_NOSIGNAL);
        (void)w;
        pthread_mutex_lock(&f->mu);
        f->garbage++;
        pthread_mutex_unlock(&f->mu);
        free(data);
        close(fd);
        return;
    }
    if (len == 3 && memcmp(data, "~HS", 3) == 0) {
        const char *reply = f->hs_reply ? f->hs_reply : fake_hs_ready;
        ssize_t w = send(fd, reply, strlen(reply), MSG_NOSIGNAL);
        (void)w;
        pthread_mutex_lock(&f->mu);
        f->status_queries++;
        pthread_mutex_unlock(&f->mu);
        free(data);
        close(fd);
        return;
    }
    size_t end = len;
    while (end > 0 && (data[end - 1] == '\n' || data[end - 1] == '\r'))
        end--;
    bool whole = end >= 3 && memcmp(data + end - 3, "^XZ", 3) == 0;
    pthread_mutex_lock(&f->mu);
    if (whole && f->njobs < FAKE_MAX_JOBS) {
        f->jobs[f->njobs] = data;
        f->lens[f->njobs++] = len;
        data = NULL;
    }
    pthread_mutex_unlock(&f->mu);
    free(data);
    close(fd); /* only now: the sender waits for this close */
}

static FAKE_UNUSED void *fake_main(void *arg)
{
    struct fake_printer *f = arg;
    for (;;) {
        pthread_mutex_lock(&f->mu);
        bool running = f->running;
        pthread_mutex_unlock(&f->mu);
        if (!running)
            break;
        struct pollfd p = {.fd = f->lfd, .events = POLLIN};
        if (poll(&p, 1, 20) <= 0)
            continue;
        int fd = accept(f->lfd, NULL, NULL);
        if (fd >= 0)
            fake_serve(f, fd);
    }
    return NULL;
}

/* Listen on 127.0.0.1:f->port (0 = pick one, then kept in f->port). */
static FAKE_UNUSED bool fake_start(struct fake_printer *f)
{
    f->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(f->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)f->port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(f->lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(f->lfd, 16) != 0) {
        fprintf(stderr, "fake printer: cannot listen on %d: %s\n", f->port, strerror(errno));
        close(f->lfd);
        return false;
    }
    socklen_t al = sizeof a;
    getsockname(f->lfd, (struct sockaddr *)&a, &al);
    f->port = ntohs(a.sin_port);
    f->running = true;
    pthread_create(&f->thread, NULL, fake_main, f);
    return true;
}

static FAKE_UNUSED void fake_init(struct fake_printer *f)
{
    memset(f, 0, sizeof *f);
    pthread_mutex_init(&f->mu, NULL);
}

static FAKE_UNUSED void fake_set_mode(struct fake_printer *f, enum fake_mode m)
{
    pthread_mutex_lock(&f->mu);
    f->mode = m;
    pthread_mutex_unlock(&f->mu);
}

/* Stop listening (refuse from now on) and reset stalled connections. */
static FAKE_UNUSED void fake_stop(struct fake_printer *f)
{
    if (!f->running)
        return;
    pthread_mutex_lock(&f->mu);
    f->running = false;
    pthread_mutex_unlock(&f->mu);
    pthread_join(f->thread, NULL);
    close(f->lfd);
    f->lfd = -1;
    pthread_mutex_lock(&f->mu);
    for (int i = 0; i < f->nstalled; i++)
        fake_reset(f->stalled[i]);
    f->nstalled = 0;
    pthread_mutex_unlock(&f->mu);
}

static FAKE_UNUSED int fake_njobs(struct fake_printer *f)
{
    pthread_mutex_lock(&f->mu);
    int n = f->njobs;
    pthread_mutex_unlock(&f->mu);
    return n;
}

static FAKE_UNUSED void fake_free(struct fake_printer *f)
{
    fake_stop(f);
    for (int i = 0; i < f->njobs; i++)
        free(f->jobs[i]);
    f->njobs = 0;
}

/* How many recorded jobs carry plate's QR payload start "P=<plate>|". */
static FAKE_UNUSED int fake_count_plate(struct fake_printer *f, const char *plate)
{
    char key[64];
    snprintf(key, sizeof key, "P=%s|", plate);
    int n = 0;
    pthread_mutex_lock(&f->mu);
    for (int i = 0; i < f->njobs; i++)
        if (strstr(f->jobs[i], key))
            n++;
    pthread_mutex_unlock(&f->mu);
    return n;
}

static FAKE_UNUSED int64_t test_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static FAKE_UNUSED void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* An inspection to print: i picks the texts; zh adds a Chinese description. */
static FAKE_UNUSED void print_insp(struct inspection *in, int i, bool zh)
{
    memset(in, 0, sizeof *in);
    snprintf(in->rma, sizeof in->rma, "RMA-%d", 5000 + i);
    snprintf(in->sku, sizeof in->sku, "PH-IP15-128-BLK");
    snprintf(in->description, sizeof in->description, "%s",
             zh ? "小米空气净化器4 Pro 家用卧室除甲醛 外包装有轻微压痕 配件齐全 说明书 保修卡 发票均在箱内"
                : "Cordless vacuum cleaner with two batteries, wall mount and crevice tool");
    snprintf(in->category, sizeof in->category, "phone");
    snprintf(in->operator_badge, sizeof in->operator_badge, "G1001");
    in->finished_at = 1795430467000LL + i * 60000LL;
    in->started_at = in->finished_at - 90000;
    in->grade = i % 2 ? GRADE_B : GRADE_A;
    in->aspect_grade[ASPECT_COSMETIC] = in->grade;
    in->aspect_grade[ASPECT_FUNCTIONAL] = GRADE_A;
    in->aspect_grade[ASPECT_COMPLETENESS] = GRADE_A;
    snprintf(in->disposition, sizeof in->disposition, "%s", i % 2 ? "open_box" : "restock");
    if (i % 2) {
        in->ndefects = 1;
        snprintf(in->defects[0], sizeof in->defects[0], "SCR-L");
    }
    snprintf(in->rules_version, sizeof in->rules_version, "2026-11");
    in->late = i % 3 == 0;
}

/*
 * Render each ZPL file with zpl-renderer-js (Node) next to it as .render.png,
 * all in one run of node (it takes a second to start). An entry of `files`
 * that starts with "-" is passed as options ("--mm W H --dpmm N") for the
 * files after it; w_in, h_in and dpi are for those before any.
 * Installs the renderer into tests/zpl/node_modules from its lock file when
 * missing (npm ci). Returns false (and says why) when it cannot.
 */
static FAKE_UNUSED bool zpl_render_as(const char *const *files, int n, double w_in, double h_in,
                                      int dpi)
{
    if (!harness_have("node") || !harness_have("npm")) {
        fprintf(stderr, "node/npm missing (packaging/deps.sh test installs them)\n");
        return false;
    }
    char *out = NULL, *err = NULL;
    if (access("tests/zpl/node_modules/zpl-renderer-js/package.json", R_OK) != 0) {
        int rc = harness_sh("npm ci --prefix tests/zpl --no-audit --no-fund 2>&1", NULL, &out,
                            &err);
        if (rc != 0) {
            fprintf(stderr, "npm ci --prefix tests/zpl failed (%d): %s%s\n", rc, out ? out : "",
                    err ? err : "");
            free(out);
            free(err);
            return false;
        }
        free(out);
        free(err);
        out = err = NULL;
    }
    /* Two node processes, half the files each (the renderer takes ~0.3 s a label). */
    size_t cap = 512;
    for (int i = 0; i < n; i++)
        cap += 2 * strlen(files[i]) + 8;
    char *cmd = malloc(cap), *half = malloc(cap);
    char defaults[96];
    snprintf(defaults, sizeof defaults, "--mm %.1f %.1f --dpmm %d", w_in * 25.4, h_in * 25.4,
             dpi >= 290 ? 12 : 8);
    const char *opt_now = defaults;
    snprintf(cmd, cap, "node tests/zpl/render.cjs %s", defaults);
    half[0] = 0;
    char *to = cmd;
    for (int i = 0; i < n; i++) {
        bool opt = files[i][0] == '-'; /* "--mm W H --dpmm N" for the files after it */
        if (i == n / 2 && n >= 8) {
            snprintf(half, cap, "node tests/zpl/render.cjs %s", opt_now);
            to = half;
        }
        if (opt)
            opt_now = files[i];
        strcat(to, opt ? " " : " '");
        strcat(to, files[i]);
        strcat(to, opt ? "" : "'");
    }
    if (half[0]) {
        char *both = malloc(2 * cap + 64);
        snprintf(both, 2 * cap + 64, "%s & p=$!; %s; r=$?; wait $p && exit $r", cmd, half);
        free(cmd);
        cmd = both;
    }
    free(half);
    int rc = harness_sh(cmd, NULL, &out, &err);
    if (rc != 0)
        fprintf(stderr, "%s: exit %d\n%s%s\n", cmd, rc, out ? out : "", err ? err : "");
    free(cmd);
    free(out);
    free(err);
    return rc == 0;
}

/* The same for 4x6 labels at 203 dpi. */
static FAKE_UNUSED bool zpl_render(const char *const *files, int n)
{
    return zpl_render_as(files, n, 4, 6, 203);
}

/* zbarimg on png: true when it reads the Code 128 `plate` and the QR
 * `payload` (NULL: a label without a QR). */
static FAKE_UNUSED bool zbar_reads(const char *png, const char *plate, const char *payload)
{
    char cmd[1024], want[1100];
    char *out = NULL;
    snprintf(cmd, sizeof cmd, "zbarimg --nodbus -q '%s'", png);
    int rc = harness_sh(cmd, NULL, &out, NULL);
    bool ok = rc == 0 && out;
    snprintf(want, sizeof want, "CODE-128:%s\n", plate);
    if (ok && !strstr(out, want)) {
        fprintf(stderr, "%s: no Code 128 %s in:\n%s\n", png, plate, out);
        ok = false;
    }
    snprintf(want, sizeof want, "QR-Code:%s\n", payload ? payload : "");
    if (ok && payload && !strstr(out, want)) {
        fprintf(stderr, "%s: no QR %s in:\n%s\n", png, payload, out);
        ok = false;
    }
    if (rc != 0)
        fprintf(stderr, "zbarimg %s: exit %d\n", png, rc);
    free(out);
    return ok;
}

/* The field data of the first `cmd` (e.g. "^BC") in zpl, after `skip`
 * characters ("QA," for ^BQ): the text between ^FD and ^FS. "" when none. */
static FAKE_UNUSED void zpl_field(const char *zpl, const char *cmd, size_t skip, char *out,
                                  size_t outlen)
{
    out[0] = 0;
    const char *c = strstr(zpl, cmd);
    const char *fd = c ? strstr(c, "^FD") : NULL;
    const char *fs = fd ? strstr(fd, "^FS") : NULL;
    if (!fs || (size_t)(fs - fd) < 3 + skip)
        return;
    size_t n = (size_t)(fs - fd) - 3 - skip;
    if (n >= outlen)
        n = outlen - 1;
    memcpy(out, fd + 3 + skip, n);
    out[n] = 0;
}

/*
 * Every ZPL job in jobs[0..n) through zpl-renderer-js (4x6 at 203 dpi), each
 * read back with zbarimg: the Code 128 must give the plate the job's ^BC
 * carries, the QR the payload its ^BQ carries. Identical jobs (a resent
 * label) are checked once. Returns how many failed (n when it cannot render).
 */
static FAKE_UNUSED int zpl_check_jobs(char *const *jobs, const size_t *lens, int n,
                                      const char *dir, const char *tag)
{
    char(*names)[600] = calloc((size_t)n + 1, sizeof *names);
    const char **files = calloc((size_t)n + 1, sizeof *files);
    int nf = 0, bad = 0;
    int *which = calloc((size_t)n + 1, sizeof *which);
    for (int i = 0; i < n; i++) {
        bool dup = false;
        for (int j = 0; j < i && !dup; j++)
            dup = lens[j] == lens[i] && memcmp(jobs[j], jobs[i], lens[i]) == 0;
        if (dup)
            continue;
        snprintf(names[nf], sizeof names[nf], "%s/%s-%d.zpl", dir, tag, i);
        FILE *fp = fopen(names[nf], "wb");
        if (fp) {
            fwrite(jobs[i], 1, lens[i], fp);
            fclose(fp);
        }
        files[nf] = names[nf];
        which[nf++] = i;
    }
    if (!zpl_render(files, nf)) {
        bad = n;
    } else {
        for (int k = 0; k < nf; k++) {
            char plate[64], payload[600], png[700];
            zpl_field(jobs[which[k]], "^BC", 0, plate, sizeof plate);
            zpl_field(jobs[which[k]], "^BQ", 3, payload, sizeof payload);
            snprintf(png, sizeof png, "%s/%s-%d.render.png", dir, tag, which[k]);
            if (!plate[0] || !payload[0] || !zbar_reads(png, plate, payload)) {
                fprintf(stderr, "%s: job %d (%s) does not read back\n", tag, which[k], plate);
                bad++;
            }
        }
    }
    free(names);
    free(files);
    free(which);
    return bad;
}

#endif

/*
 * prn_tcp.c — a ZPL printer on raw TCP (port 9100, "JetDirect" style).
 *
 * One connection per job: connect (non-blocking, bounded), write the ZPL
 * (each wait for room bounded), half-close, then read until the printer
 * closes its side. That last step is what tells "the printer read the whole
 * job" from "the kernel buffered it": a printer that accepts and never
 * reads leaves us waiting for its close, and we fail by the timeout; a
 * printer that drops the connection mid-job resets it, and recv() says so.
 * Bytes the printer sends back (status, garbage) are read and dropped, at
 * most 64 KiB of them, so a chatty peer cannot keep us forever either.
 *
 * Every failure leaves the job unsent from the queue's point of view; the
 * queue retries it. No signal is raised (MSG_NOSIGNAL).
 */
#include "printer.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BACKCHANNEL_MAX (64 * 1024)

struct prn_tcp {
    struct prn base;
    char host[256];
    char port[8];
    int timeout_ms;
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* poll one fd for `events` up to ms. 1 ready, 0 timeout, -errno. */
static int wait_fd(int fd, short events, int ms)
{
    struct pollfd p = {.fd = fd, .events = events};
    for (;;) {
        int n = poll(&p, 1, ms);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        return n;
    }
}

/* Connect within the timeout. Returns the socket, or -errno with err set. */
static int tcp_connect(struct prn_tcp *t, char *err, size_t errlen)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res = NULL;
    int gai = getaddrinfo(t->host, t->port, &hints, &res);
    if (gai != 0) {
        snprintf(err, errlen, "E651: printer %.80s: %.60s", t->host, gai_strerror(gai));
        return -EHOSTUNREACH;
    }
    int rc = -ECONNREFUSED;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                        ai->ai_protocol);
        if (fd < 0) {
            rc = -errno;
            snprintf(err, errlen, "E658: cannot make a socket: %s", strerror(errno));
            continue;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            freeaddrinfo(res);
            return fd;
        }
        if (errno == EINPROGRESS) {
            int w = wait_fd(fd, POLLOUT, t->timeout_ms);
            int soerr = 0;
            socklen_t len = sizeof soerr;
            if (w > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 && soerr == 0) {
                freeaddrinfo(res);
                return fd;
            }
            if (w == 0) {
                rc = -ETIMEDOUT;
                snprintf(err, errlen, "E653: printer %.80s:%s does not answer (no connection in %d ms)",
                         t->host, t->port, t->timeout_ms);
            } else {
                rc = soerr ? -soerr : w < 0 ? w : -EIO;
                snprintf(err, errlen, "E652: printer %.80s:%s: cannot connect: %s", t->host, t->port,
                         strerror(-rc));
            }
        } else {
            rc = -errno;
            snprintf(err, errlen, "E652: printer %.80s:%s: cannot connect: %s", t->host, t->port,
                     strerror(-rc));
        }
        close(fd);
    }
    freeaddrinfo(res);
    return rc;
}

/* Write all of buf, waiting at most timeout_ms for each bit of room. */
static int send_all(struct prn_tcp *t, int fd, const char *buf, size_t len, char *err,
                    size_t errlen)
{
    size_t off = 0;
    while (off < len) {
        ssize_t n = send(fd, buf + off, len - off, MSG_NOSIGNAL);
        if (n > 0) {
            off += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int w = wait_fd(fd, POLLOUT, t->timeout_ms);
            if (w > 0)
                continue;
            snprintf(err, errlen,
                     "E655: printer %.80s:%s stopped reading (%zu of %zu bytes sent in time)",
                     t->host, t->port, off, len);
            return w == 0 ? -ETIMEDOUT : w;
        }
        int rc = n < 0 ? -errno : -EPIPE;
        snprintf(err, errlen, "E654: printer %.80s:%s closed the connection mid-job (%zu of %zu bytes): %s",
                 t->host, t->port, off, len, strerror(-rc));
        return rc;
    }
    return 0;
}

/* After our half-close: read (and drop) until the printer closes. Keeps what
 * it read in `back` (up to backlen - 1 bytes, NUL-terminated) when given. */
static int wait_close(struct prn_tcp *t, int fd, char *back, size_t backlen, int timeout_ms,
                      char *err, size_t errlen)
{
    size_t got = 0, kept = 0;
    int64_t deadline = mono_ms() + timeout_ms;
    char buf[2048];
    for (;;) {
        int64_t left = deadline - mono_ms();
        int w = left > 0 ? wait_fd(fd, POLLIN, (int)left) : 0;
        if (w == 0) {
            snprintf(err, errlen, "E656: printer %.80s:%s did not confirm the job (no close in %d ms)",
                     t->host, t->port, timeout_ms);
            return -ETIMEDOUT;
        }
        if (w < 0)
            return w;
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n == 0) {
            if (back && backlen)
                back[kept] = 0;
            return 0;
        }
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            int rc = -errno;
            snprintf(err, errlen, "E654: printer %.80s:%s dropped the connection: %s", t->host,
                     t->port, strerror(-rc));
            return rc;
        }
        if (back && backlen) {
            size_t room = backlen - 1 - kept;
            size_t take = (size_t)n < room ? (size_t)n : room;
            memcpy(back + kept, buf, take);
            kept += take;
            back[kept] = 0;
        }
        got += (size_t)n;
        if (got > BACKCHANNEL_MAX) {
            snprintf(err, errlen, "E660: printer %.80s:%s sends more than %d bytes back; not a printer?",
                     t->host, t->port, BACKCHANNEL_MAX);
            return -EPROTO;
        }
    }
}

static int tcp_send(struct prn *base, const struct prn_job *job, char *err, size_t errlen)
{
    struct prn_tcp *t = (struct prn_tcp *)base;
    char scratch[8];
    if (!err || !errlen)
        err = scratch, errlen = sizeof scratch;
    if (!job->zpl || !job->zpl_len) {
        snprintf(err, errlen, "E640: job %s has no ZPL for printer %.80s", job->name ? job->name : "",
                 t->host);
        return -EINVAL;
    }
    int fd = tcp_connect(t, err, errlen);
    if (fd < 0)
        return fd;
    int rc = send_all(t, fd, job->zpl, job->zpl_len, err, errlen);
    if (rc == 0 && shutdown(fd, SHUT_WR) != 0) {
        rc = -errno;
        snprintf(err, errlen, "E654: printer %.80s:%s: %s", t->host, t->port, strerror(-rc));
    }
    if (rc == 0)
        rc = wait_close(t, fd, NULL, 0, t->timeout_ms, err, errlen);
    close(fd);
    return rc;
}

/* Split a ~HS reply into its three strings: each STX … ETX. Returns how many. */
static int hs_strings(char *reply, char *str[3])
{
    int n = 0;
    char *p = reply;
    while (n < 3) {
        char *stx = strchr(p, '\x02');
        if (!stx)
            break;
        char *etx = strchr(stx + 1, '\x03');
        if (!etx)
            break;
        *etx = 0;
        str[n++] = stx + 1;
        p = etx + 1;
    }
    return n;
}

/* Field i (0-based) of a comma-separated string, as an int; -1 when missing. */
static int hs_field(const char *s, int i)
{
    for (; i > 0 && s; i--) {
        s = strchr(s, ',');
        if (s)
            s++;
    }
    if (!s || *s < '0' || *s > '9')
        return -1;
    return atoi(s);
}

/*
 * ~HS (ZPL II Programming Guide): three strings, each <STX>…<ETX><CR><LF>.
 * String 1 "aaa,b,c,dddd,eee,f,g,h,iii,j,k,l": b paper out, c pause.
 * String 2 "mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www": o head up, p ribbon out.
 */
static int tcp_status(struct prn *base, struct printer_status *st)
{
    struct prn_tcp *t = (struct prn_tcp *)base;
    memset(st, 0, sizeof *st);
    char err[512] = "";
    int fd = tcp_connect(t, err, sizeof err);
    if (fd < 0) {
        st->state = PRINTER_OFFLINE;
        snprintf(st->detail, sizeof st->detail, "%.150s", err);
        return 0;
    }
    char reply[512];
    int tmo = t->timeout_ms < 3000 ? t->timeout_ms : 3000;
    int rc = send_all(t, fd, "~HS", 3, err, sizeof err);
    if (rc == 0)
        shutdown(fd, SHUT_WR);
    if (rc == 0)
        rc = wait_close(t, fd, reply, sizeof reply, tmo, err, sizeof err);
    close(fd);
    if (rc == -EPROTO) /* a flood of bytes: not a status either */
        snprintf(err, sizeof err,
                 "E659: printer %.80s:%s answered ~HS with something that is not a status",
                 t->host, t->port);
    if (rc != 0) {
        /* Reachable but silent: some print servers do not answer ~HS. */
        st->state = rc == -ETIMEDOUT ? PRINTER_READY : PRINTER_ERROR;
        snprintf(st->detail, sizeof st->detail, "%.150s", rc == -ETIMEDOUT ? "" : err);
        return 0;
    }
    char *s[3] = {0};
    if (hs_strings(reply, s) < 2 || hs_field(s[0], 1) < 0 || hs_field(s[1], 2) < 0) {
        st->state = PRINTER_ERROR;
        snprintf(st->detail, sizeof st->detail,
                 "E659: printer %.80s:%s answered ~HS with something that is not a status", t->host,
                 t->port);
        return 0;
    }
    if (hs_field(s[0], 1) == 1 || hs_field(s[1], 3) == 1) {
        st->state = PRINTER_PAPER_OUT;
        snprintf(st->detail, sizeof st->detail, "%s",
                 hs_field(s[0], 1) == 1 ? "out of labels" : "out of ribbon");
    } else if (hs_field(s[1], 2) == 1) {
        st->state = PRINTER_PAUSED;
        snprintf(st->detail, sizeof st->detail, "head open");
    } else if (hs_field(s[0], 2) == 1) {
        st->state = PRINTER_PAUSED;
        snprintf(st->detail, sizeof st->detail, "paused");
    } else {
        st->state = PRINTER_READY;
    }
    return 0;
}

static void tcp_close(struct prn *base) { free(base); }

static const struct prn_ops tcp_ops = {
    .type = "zpl-tcp",
    .formats = PRN_ZPL,
    .send = tcp_send,
    .status = tcp_status,
    .close = tcp_close,
};

struct prn *prn_tcp_open(const char *address, int timeout_ms, char *err, size_t errlen)
{
    char scratch[8];
    if (!err || !errlen)
        err = scratch, errlen = sizeof scratch;
    if (!address || !*address || strlen(address) >= 256) {
        snprintf(err, errlen, "E650: printer address \"%.60s\" is not host[:port]",
                 address ? address : "");
        return NULL;
    }
    struct prn_tcp *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "E657: out of memory");
        return NULL;
    }
    t->base.ops = &tcp_ops;
    t->timeout_ms = timeout_ms > 0 ? timeout_ms : PRINTER_TIMEOUT_MS;
    const char *port = "9100";
    char host[256];
    snprintf(host, sizeof host, "%s", address);
    if (host[0] == '[') { /* [v6]:port */
        char *close_br = strchr(host, ']');
        if (!close_br || (close_br[1] && close_br[1] != ':')) {
            free(t);
            snprintf(err, errlen, "E650: printer address \"%.60s\" is not [v6addr]:port", address);
            return NULL;
        }
        *close_br = 0;
        if (close_br[1] == ':')
            port = close_br + 2;
        memmove(host, host + 1, strlen(host));
    } else {
        char *colon = strchr(host, ':');
        if (colon && !strchr(colon + 1, ':')) { /* one colon: host:port */
            *colon = 0;
            port = colon + 1;
        }
    }
    char *end = NULL;
    long pn = strtol(port, &end, 10);
    if (!host[0] || !*port || *end || pn < 1 || pn > 65535) {
        free(t);
        snprintf(err, errlen, "E650: printer address \"%.60s\": bad host or port", address);
        return NULL;
    }
    snprintf(t->host, sizeof t->host, "%s", host);
    snprintf(t->port, sizeof t->port, "%ld", pn);
    return &t->base;
}

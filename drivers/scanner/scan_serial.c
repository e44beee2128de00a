/*
 * scan_serial.c — the serial kind: scanners on a tty, read through termios,
 * and their decoder (prefix serframe_), plus the termios speed table.
 *
 * Hardware: USB scanners in CDC-ACM ("USB serial") mode, which appear as
 * /dev/ttyACMn (e.g. Honeywell VID 0c2e), and RS-232 scanners on
 * /dev/ttyS* or a USB adapter. [scanner.NAME] device is the path, baud the
 * speed (ignored by CDC-ACM, needed on RS-232). A udev rule with
 * ENV{ID_MM_DEVICE_IGNORE}="1" keeps ModemManager off the port.
 *
 * Protocol: raw bytes, 8N1, no flow control, no echo. The scanner sends a
 * code followed by CR, LF or CR LF (its "suffix" setting). Either ends a
 * code; an empty line between them is nothing. GS (0x1D, GS1 FNC1), RS
 * (0x1E) and EOT (0x04) belong to GS1 and ISO/IEC 15434 data and are kept,
 * as is Tab; any other control byte means line noise or a wrong baud rate,
 * and the code is rejected (E578), as is one that is not UTF-8 (E579).
 * A missing device is "offline" and looked for every second; a read error
 * or hang-up is a disconnection (E585).
 *
 * Tested: the framer by table in tests/test_scan_decode.c and by libFuzzer
 * (tests/fuzz/fuzz_serial.c); the device against a CDC-ACM scanner that
 * umockdev emulates on a real PTY, so termios runs as on a station
 * (tests/test_scan_serial.c, tests/devices/acm.*).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "log.h"
#include "scan_kind.h"
#include "scanner.h"
#include "text.h"

void serframe_init(struct serframe *f)
{
    memset(f, 0, sizeof *f);
}

bool serframe_pending(const struct serframe *f)
{
    return f->len > 0 || f->bad || f->overlong;
}

static void reject(const struct scan_sink *s, const char *id, const char *why)
{
    if (s && s->reject)
        s->reject(s->ctx, id, why);
}

static void reset(struct serframe *f)
{
    f->len = 0;
    f->bad = f->overlong = false;
    f->why_id = NULL;
    f->why[0] = 0;
}

void serframe_abort(struct serframe *f, const char *id, const char *why, const struct scan_sink *s)
{
    if (serframe_pending(f)) {
        char msg[160];
        snprintf(msg, sizeof msg, "%.100s; %zu bytes discarded", why, f->len);
        reject(s, id, msg);
    }
    reset(f);
}


const char *scan_text_problem(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c < 0x20 && c != 0x1D && c != 0x1E && c != 0x04 && c != '\t') || c == 0x7F)
            return "E578";
    }
    return utf8_valid(text, len) ? NULL : "E579";
}

static void end_code(struct serframe *f, const struct scan_sink *s)
{
    if (f->overlong)
        reject(s, "E573", "code longer than any barcode; discarded");
    else if (f->bad)
        reject(s, f->why_id, f->why);
    else if (f->len > 0) {
        if (!utf8_valid((const char *)f->buf, f->len))
            reject(s, "E579", "code is not UTF-8 (wrong scanner character set?); discarded");
        else if (s && s->code) {
            f->buf[f->len] = 0;
            s->code(s->ctx, f->buf, f->len);
        }
    }
    reset(f);
}

void serframe_feed(struct serframe *f, const uint8_t *bytes, size_t n, const struct scan_sink *s)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t c = bytes[i];
        if (c == '\r' || c == '\n') {
            end_code(f, s);
            continue;
        }
        if ((c < 0x20 && c != 0x1D && c != 0x1E && c != 0x04 && c != '\t') || c == 0x7F) {
            if (!f->bad) {
                f->bad = true;
                f->why_id = "E578";
                snprintf(f->why, sizeof f->why,
                         "control byte 0x%02X in a code (line noise or wrong baud rate?); "
                         "discarded",
                         c);
            }
            continue;
        }
        if (f->len >= SCAN_MAX_CODE) {
            f->overlong = true;
            continue;
        }
        f->buf[f->len++] = (char)c;
    }
}

unsigned serial_speed(int baud)
{
    static const struct {
        int baud;
        unsigned speed;
    } speeds[] = {
        {1200, B1200},     {2400, B2400},     {4800, B4800},     {9600, B9600},
        {19200, B19200},   {38400, B38400},   {57600, B57600},   {115200, B115200},
        {230400, B230400}, {460800, B460800}, {921600, B921600},
    };
    for (size_t i = 0; i < sizeof speeds / sizeof *speeds; i++)
        if (speeds[i].baud == baud)
            return speeds[i].speed;
    return 0;
}

/* ---- the kind ------------------------------------------------------------ */

struct serial_dev {
    struct scan_dev base;
    struct serframe dec;
};

static void serial_reset(struct scan_dev *d)
{
    serframe_init(&((struct serial_dev *)d)->dec);
}

static int serial_init(struct scan_dev *d, char *err, size_t errlen)
{
    serial_reset(d);
    if (scan_dev_check_path(d, err, errlen) != 0)
        return -1;
    if (serial_speed(d->cfg.baud) == 0) {
        snprintf(err, errlen,
                 "E592: [scanner.%s] baud = %d is not a serial speed "
                 "(1200 … 921600)",
                 d->cfg.name, d->cfg.baud);
        return -1;
    }
    return 0;
}

static void serial_feed(struct scan_dev *d, const uint8_t *data, size_t len)
{
    serframe_feed(&((struct serial_dev *)d)->dec, data, len, &d->sink);
}

static void serial_abort(struct scan_dev *d, const char *id, const char *why)
{
    serframe_abort(&((struct serial_dev *)d)->dec, id, why, &d->sink);
}

static bool serial_pending(struct scan_dev *d)
{
    return serframe_pending(&((struct serial_dev *)d)->dec);
}

static void serial_open(struct scan_dev *d)
{
    char detail[96];
    unsigned speed = serial_speed(d->cfg.baud);
    int fd = scan_dev_open_path(d, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC, "E584");
    if (fd < 0)
        return;
    /* Raw bytes at the configured speed, 8N1, no flow control, no echo. */
    struct termios tio;
    if (tcgetattr(fd, &tio) == 0) {
        cfmakeraw(&tio);
        tio.c_cflag |= CLOCAL | CREAD;
        tio.c_cflag &= ~(tcflag_t)(CSTOPB | CRTSCTS);
        tio.c_cc[VMIN] = 1;
        tio.c_cc[VTIME] = 0;
        cfsetispeed(&tio, speed);
        cfsetospeed(&tio, speed);
        if (tcsetattr(fd, TCSANOW, &tio) != 0) {
            log_error("E584", "scanner %s: cannot configure %s: %s", d->cfg.name, d->cfg.device,
                      strerror(errno));
            close(fd);
            scan_dev_state(d, "error", "E584 cannot configure");
            return;
        }
    } else {
        log_warn("W572", "scanner %s: %s is not a terminal; reading it as it is", d->cfg.name,
                 d->cfg.device);
    }
    d->fd = fd;
    scan_dev_reset(d);
    snprintf(detail, sizeof detail, "%.70s %d baud", d->cfg.device, d->cfg.baud);
    scan_dev_state(d, "ready", detail);
}

static void serial_input(struct scan_dev *d)
{
    uint8_t buf[512];
    for (;;) {
        ssize_t n = read(d->fd, buf, sizeof buf);
        if (n > 0) {
            scan_dev_feed(d, buf, (size_t)n);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        log_error("E585", "scanner %s: %s: %s", d->cfg.name, d->cfg.device,
                  n == 0 ? "disconnected" : strerror(errno));
        scan_dev_lost(d, "disconnected");
        return;
    }
}

static void serial_release(struct scan_dev *d)
{
    if (d->fd >= 0)
        close(d->fd);
    d->fd = -1;
}

const struct scan_kind_ops scan_serial_kind = {
    .type = "serial",
    .size = sizeof(struct serial_dev),
    .init = serial_init,
    .reset = serial_reset,
    .feed = serial_feed,
    .abort = serial_abort,
    .pending = serial_pending,
    .open = serial_open,
    .input = serial_input,
    .release = serial_release,
};

/*
 * test_scan_serial.c — a CDC-ACM scanner on /dev/ttyACM0, emulated by
 * umockdev-run with a tty script (tests/devices/acm.*): a real PTY, so the
 * driver's termios set-up (raw, 115200 baud) runs as on a station.
 * The scanner sends GS1-128 data with GS separators ending in CR LF, a plain
 * RMA ending in CR, GS1 DataMatrix data ending in LF, a line garbled by
 * control bytes (rejected, E578) and half a code that never ends (E574).
 */
#include "scan_util.h"

int main(int argc, char **argv)
{
    (void)argc;
    const char *args[] = {"-d", "tests/devices/acm.umockdev", "-s",
                          "/dev/ttyACM0=tests/devices/acm.script", NULL};
    under_umockdev_run(argv, args);

    struct scanner_opts cfg = scfg("acm", "serial", "/dev/ttyACM0", "us");
    cfg.baud = 115200;
    struct scanners *m = NULL;
    char err[256] = "";
    CHECK_INT(scanners_open(&cfg, 1, NULL, NULL, &m, err, sizeof err), 0);
    if (!m) {
        fprintf(stderr, "%s\n", err);
        return harness_done();
    }
    CHECK(wait_state(m, "acm", "ready", 3000));
    const char *want[] = {"]C10109501101530003\x1d"
                          "10LOT-7\x1d"
                          "21SER-1\x1d"
                          "17271231",
                          "RMA-1004", "]d2010950110153000321A1"};
    struct got g = {0};
    CHECK_INT(wait_codes(m, &g, 3, 5000), 3);
    for (int i = 0; i < g.n && i < 3; i++) {
        CHECK_STR(g.c[i].text, want[i]);
        CHECK_STR(g.c[i].source, "acm");
    }
    /* The garbled line, then the half code once the scanner has been quiet. */
    usleep((SCAN_STALL_MS + 600) * 1000);
    struct scanner_state st = {0};
    state_of(m, "acm", &st);
    CHECK_INT(st.rejected, 2);
    CHECK_STR(st.last_reject, "E574");
    CHECK_INT(st.codes, 3);
    struct scan_code extra;
    CHECK_INT(scanners_take(m, &extra), 0);
    scanners_close(m);
    return harness_done();
}

/*
 * test_scan_evdev.c — a keyboard-wedge scanner seen as an evdev device,
 * emulated by umockdev-run with an evemu event file (tests/devices/evdev-kbd.*):
 * the driver grabs it (EVIOCGRAB), tracks Shift, types "Rma-7" and Enter into
 * one code, and drops the trailing half code "x" as a stall (E574).
 */
#include "scan_util.h"

int main(int argc, char **argv)
{
    (void)argc;
    const char *args[] = {"-d", "tests/devices/evdev-kbd.umockdev", "-e",
                          "/dev/input/event9=tests/devices/evdev-kbd.events", NULL};
    under_umockdev_run(argv, args);

    struct scanner_opts cfg = scfg("wedge", "evdev", "/dev/input/event9", "us");
    struct scanners *m = NULL;
    char err[256] = "";
    CHECK_INT(scanners_open(&cfg, 1, NULL, NULL, &m, err, sizeof err), 0);
    if (!m) {
        fprintf(stderr, "%s\n", err);
        return harness_done();
    }
    CHECK(wait_state(m, "wedge", "ready", 3000));
    struct got g = {0};
    CHECK_INT(wait_codes(m, &g, 1, 5000), 1);
    if (g.n > 0)
        CHECK_STR(g.c[0].text, "Rma-7");
    usleep((SCAN_STALL_MS + 600) * 1000);
    struct scanner_state st = {0};
    state_of(m, "wedge", &st);
    CHECK_INT(st.rejected, 1);
    CHECK_STR(st.last_reject, "E574");
    scanners_close(m);
    return harness_done();
}

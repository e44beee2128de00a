/*
 * test_scan_usb.c — USB scanners through libusb against emulated devices
 * (umockdev-run replaying the ioctl scripts in tests/devices, written by
 * tests/devices/gen.py):
 *   us   a boot-keyboard scanner, US layout: capitals, digits, doubled characters
 *   de   the same set up for German (QWERTZ): Y/Z swapped, '-' and '_' moved
 *   pos  a HID POS scanner: a GS1-128 message across three reports, AIM id kept
 *
 * umockdev-run's replay allows one URB in flight in the whole process, so
 * each device runs in a umockdev-run of its own (several scanners at once
 * are tested in test_scan_hotplug). A script replays from the top after its
 * last line, so a scanner repeats its codes: the first round is checked.
 */
#include <sys/wait.h>

#include "scan_util.h"

struct phase {
    const char *name, *dev, *node, *ioctl, *type, *id, *layout;
    const char *codes[4];
};

static const struct phase phases[] = {
    {"us",
     "tests/devices/kbd-us.umockdev",
     "/dev/bus/usb/001/002",
     "tests/devices/kbd-us.ioctl",
     "usb-hid",
     "05e0:1200",
     "us",
     {"Ab-112233", "RMA-1001", "SN-0077Zz", NULL}},
    {"de",
     "tests/devices/kbd-de.umockdev",
     "/dev/bus/usb/001/003",
     "tests/devices/kbd-de.ioctl",
     "usb-hid",
     "05e0:1300",
     "de",
     {"Yz-99_Zy", "RMA-1002", NULL}},
    {"pos",
     "tests/devices/pos.umockdev",
     "/dev/bus/usb/001/004",
     "tests/devices/pos.ioctl",
     "hid-pos",
     "0c2e:0b61",
     "us",
     {"]C10109501101530003"
      "10BATCH-42\x1d"
      "21SERIAL-0001\x1d"
      "17271231",
      "]Q1RMA-1003", NULL}},
};

static void run_phase(const struct phase *p)
{
    struct scanner_opts cfg = scfg(p->name, p->type, p->id, p->layout);
    struct scanners *m = NULL;
    char err[256] = "";
    CHECK_INT(scanners_open(&cfg, 1, NULL, NULL, &m, err, sizeof err), 0);
    if (!m) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    CHECK(wait_state(m, p->name, "ready", 3000));
    int want = 0;
    while (p->codes[want])
        want++;
    struct got g = {0};
    CHECK_INT(wait_codes(m, &g, want, 5000), want);
    for (int i = 0; i < g.n && i < want; i++) {
        CHECK_STR(g.c[i].text, p->codes[i]);
        CHECK_INT(g.c[i].len, strlen(p->codes[i]));
        CHECK_STR(g.c[i].source, p->name);
    }
    struct scanner_state st = {0};
    state_of(m, p->name, &st);
    CHECK_INT(st.rejected, 0);
    scanners_close(m);
}

int main(int argc, char **argv)
{
    if (argc == 2 && getenv("TRIAGE_UMOCKDEV")) { /* one phase, under umockdev-run */
        for (size_t i = 0; i < sizeof phases / sizeof *phases; i++)
            if (strcmp(argv[1], phases[i].name) == 0)
                run_phase(&phases[i]);
        return harness_done();
    }
    if (!harness_have("umockdev-run"))
        harness_skip("umockdev-run is not installed (apt-get install umockdev)");
    setenv("TRIAGE_UMOCKDEV", "1", 1);
    asan_allow_preload();
    setenv("LSAN_OPTIONS", "suppressions=tests/devices/lsan-replay.supp:print_suppressions=0", 1);
    for (size_t i = 0; i < sizeof phases / sizeof *phases; i++) {
        const struct phase *p = &phases[i];
        char ioctl[256];
        snprintf(ioctl, sizeof ioctl, "%s=%s", p->node, p->ioctl);
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            execlp("umockdev-run", "umockdev-run", "-d", p->dev, "-i", ioctl, "--", argv[0],
                   p->name, (char *)NULL);
            _exit(127);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        if (!CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0))
            fprintf(stderr, "phase %s failed (status %d)\n", p->name, status);
    }
    return harness_done();
}

/*
 * test_scan_hotplug.c — USB scanners coming and going (libusb hotplug under
 * umockdev-wrapper, with interactive virtual devices from vusb.h):
 *   1. the station starts with no scanner: "offline";
 *   2. a boot-keyboard scanner is plugged in: "ready", and it scans;
 *   3. a second scanner (HID POS) is plugged in beside it: both scan;
 *   4. the first is pulled out mid-code: "offline", the half code is
 *      rejected with E575 and never delivered, the other still scans;
 *   5. it is plugged in again: "ready" within a second, and scans;
 *   6. a half code that just stops (stall): rejected with E574.
 */
#include "scan_util.h"
#include "vusb.h"

static struct got g;

static const char *next_code(struct scanners *m, int ms)
{
    int before = g.n;
    if (wait_codes(m, &g, before + 1, ms) > before)
        return g.c[before].text;
    return "(none)";
}

int main(int argc, char **argv)
{
    (void)argc;
    under_umockdev_wrapper(argv);
    UMockdevTestbed *tb = umockdev_testbed_new();
    struct vusb kbd, pos;
    vusb_init(&kbd, tb, 2, VUSB_BOOT_KBD_DESC("0012"), 8);
    vusb_init(&pos, tb, 3, VUSB_HIDPOS_DESC, 64);

    struct scanner_opts cfg[2] = {scfg("kbd", "usb-hid", "05e0:1200", "us"),
                                    scfg("pos", "hid-pos", "0c2e:0b61", "us")};
    struct scanners *m = NULL;
    char err[256] = "";
    CHECK_INT(scanners_open(cfg, 2, NULL, NULL, &m, err, sizeof err), 0);
    if (!m) {
        fprintf(stderr, "%s\n", err);
        return harness_done();
    }
    /* 1 */
    g_usleep(200000);
    CHECK_STR(state_of(m, "kbd", NULL), "offline");
    CHECK_STR(state_of(m, "pos", NULL), "offline");

    /* 2 */
    int64_t t0 = clock_mono_ms();
    CHECK(vusb_plug(&kbd));
    CHECK(wait_state(m, "kbd", "ready", 3000));
    int64_t took = clock_mono_ms() - t0;
    CHECK(took < 1000);
    vusb_type(&kbd, "RMA-0042\n");
    CHECK_STR(next_code(m, 3000), "RMA-0042");
    CHECK_STR(g.c[g.n - 1].source, "kbd");

    /* 3 */
    CHECK(vusb_plug(&pos));
    CHECK(wait_state(m, "pos", "ready", 3000));
    uint8_t r[64] = {2, 8, ']', 'Q', '1', 'R', 'M', 'A', '-', '0', '0', '4', '3'};
    vusb_report(&pos, r);
    vusb_type(&kbd, "SN-77\n");
    const char *a = next_code(m, 3000), *b = next_code(m, 3000);
    CHECK((strcmp(a, "]Q1RMA-0043") == 0 && strcmp(b, "SN-77") == 0) ||
          (strcmp(b, "]Q1RMA-0043") == 0 && strcmp(a, "SN-77") == 0));

    /* 4 */
    vusb_type(&kbd, "HALF-CO");
    CHECK(vusb_drained(&kbd, 3000));
    g_usleep(50000);
    vusb_unplug(&kbd);
    CHECK(wait_state(m, "kbd", "offline", 3000));
    struct scanner_state st = {0};
    state_of(m, "kbd", &st);
    CHECK_INT(st.rejected, 1);
    CHECK_STR(st.last_reject, "E575");
    CHECK_STR(state_of(m, "pos", NULL), "ready");
    uint8_t r2[64] = {2, 4, ']', 'C', '0', 'P', 'O', 'S', '2'};
    vusb_report(&pos, r2);
    CHECK_STR(next_code(m, 3000), "]C0POS2");

    /* 5 */
    t0 = clock_mono_ms();
    CHECK(vusb_plug(&kbd));
    CHECK(wait_state(m, "kbd", "ready", 3000));
    took = clock_mono_ms() - t0;
    if (!CHECK(took < 1000))
        fprintf(stderr, "re-plug took %lld ms\n", (long long)took);
    vusb_type(&kbd, "BACK-1\n");
    CHECK_STR(next_code(m, 3000), "BACK-1");

    /* 6 */
    vusb_type(&kbd, "STALL");
    CHECK(vusb_drained(&kbd, 3000));
    g_usleep((SCAN_STALL_MS + 400) * 1000);
    state_of(m, "kbd", &st);
    CHECK_INT(st.rejected, 2);
    CHECK_STR(st.last_reject, "E574");
    vusb_type(&kbd, "AFTER\n");
    CHECK_STR(next_code(m, 3000), "AFTER");

    /* Nothing else came: no half code was ever delivered. */
    struct scan_code extra;
    CHECK_INT(scanners_take(m, &extra), 0);
    CHECK_INT(g.n, 6);

    scanners_close(m);
    vusb_unplug(&pos);
    vusb_unplug(&kbd);
    g_object_unref(tb);
    return harness_done();
}

/*
 * test_print_usb.c — a USB label printer under umockdev receives a label
 * over bulk OUT.
 *
 * The parent lays out a label (ZPL), writes an emulated Zebra printer
 * (tests/devices/zebra-zd420.umockdev: VID 0a5f PID 0164, one interface of
 * class 7 "printer", bulk OUT 0x01 and bulk IN 0x82) and an ioctl script
 * that expects exactly that label, 4096 bytes per URB as prn_usb.c sends
 * it, then runs itself as a child under umockdev-run. umockdev compares
 * every submitted URB with the script (type, endpoint, length, data), so a
 * send that returns 0 delivered the label byte for byte. The child also
 * checks that a different job is refused by the device, and that a printer
 * that is not plugged in is an error with its id. Without umockdev-run the
 * test is skipped, never passed. The label is also rendered by
 * zpl-renderer-js and read back with zbarimg.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "label.h"
#include "print_fake.h"
#include "printer.h"

static int child(const char *dir)
{
    char path[600], err[512];
    snprintf(path, sizeof path, "%s/job.zpl", dir);
    size_t len = 0;
    char *zpl = harness_read_file(path, &len);
    CHECK(zpl != NULL);
    if (!zpl)
        return harness_done();
    struct prn *t = prn_usb_open("0a5f:0164", 2000, err, sizeof err);
    CHECK(t != NULL && strcmp(prn_type(t), "zpl-usb") == 0);
    struct prn_job job = {.name = "SH01-S01-000001", .zpl = zpl, .zpl_len = len};
    int rc = prn_send(t, &job, err, sizeof err);
    if (!CHECK_INT(rc, 0))
        fprintf(stderr, "send: %s\n", err);
    prn_close(t);

    /* "any": the first printer-class device; a wrong job is refused by the
     * emulated device (its data is not what the script expects) */
    t = prn_usb_open("any", 2000, err, sizeof err);
    CHECK(t != NULL);
    char other[4096];
    memset(other, 'x', sizeof other);
    struct prn_job bad = {.name = "X", .zpl = other, .zpl_len = sizeof other};
    rc = prn_send(t, &bad, err, sizeof err);
    CHECK(rc < 0 && strncmp(err, "E671:", 5) == 0);
    prn_close(t);

    /* nothing of that id is plugged in */
    t = prn_usb_open("1234:5678", 500, err, sizeof err);
    CHECK(t != NULL);
    CHECK(prn_send(t, &job, err, sizeof err) < 0);
    CHECK(strncmp(err, "E667:", 5) == 0);
    struct printer_status st;
    CHECK_INT(prn_status(t, &st), 0);
    CHECK(st.state == PRINTER_OFFLINE);
    prn_close(t);
    free(zpl);
    return harness_done();
}

static void hex(FILE *f, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02X", p[i]);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "child") == 0)
        return child(argv[2]);
    if (!harness_have("umockdev-run"))
        harness_skip("umockdev-run missing (packaging/deps.sh test installs umockdev)");

    /* bad device texts */
    char err[512];
    CHECK(prn_usb_open("zebra", 100, err, sizeof err) == NULL && strncmp(err, "E666:", 5) == 0);
    CHECK(prn_usb_open("0a5f:0164x", 100, err, sizeof err) == NULL);

    const char *dir = harness_tmpdir();
    struct label_spec spec;
    label_spec_parse(&spec, "4x6", 203, NULL, err, sizeof err);
    struct label_maker *m = label_maker_open(&spec, err, sizeof err);
    if (!CHECK(m != NULL))
        return harness_done();
    struct inspection in;
    print_insp(&in, 3, true);
    snprintf(in.plate, sizeof in.plate, "SH01-S01-000001");
    char *zpl = NULL;
    size_t len = 0;
    CHECK_INT(label_zpl(m, &in, &zpl, &len), 0);
    label_maker_close(m);
    if (!zpl)
        return harness_done();
    CHECK(len > 4096); /* several URBs */
    char *jobs[1] = {zpl};
    CHECK_INT(zpl_check_jobs(jobs, &len, 1, dir, "usb"), 0);

    char path[600];
    snprintf(path, sizeof path, "%s/job.zpl", dir);
    FILE *f = fopen(path, "wb");
    fwrite(zpl, 1, len, f);
    fclose(f);

    /* The ioctl script: one completed bulk OUT URB (type 3, endpoint 1) per chunk. */
    snprintf(path, sizeof path, "%s/zebra.ioctl", dir);
    f = fopen(path, "w");
    fprintf(f, "USBDEVFS_GET_CAPABILITIES 0 0F000000\n");
    for (size_t off = 0; off < len; off += 4096) {
        size_t n = len - off < 4096 ? len - off : 4096;
        fprintf(f, "USBDEVFS_REAPURBNDELAY 0 3 1 0 0 %zu %zu 0 ", n, n);
        hex(f, (const unsigned char *)zpl + off, n);
        fprintf(f, "\n");
    }
    fclose(f);
    free(zpl);

    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "ASAN_OPTIONS=verify_asan_link_order=0 umockdev-run"
             " --device tests/devices/zebra-zd420.umockdev"
             " --ioctl /dev/bus/usb/001/005='%s/zebra.ioctl' -- /proc/%d/exe child '%s' 2>&1",
             dir, (int)getpid(), dir);
    char *out = NULL;
    int rc = harness_sh(cmd, NULL, &out, NULL);
    /* the child's own summary line says how its checks went */
    if (!CHECK_INT(rc, 0) || !out || !CHECK(strstr(out, " passed, 0 failed") != NULL))
        fprintf(stderr, "under umockdev:\n%s\n", out ? out : "");
    free(out);
    return harness_done();
}

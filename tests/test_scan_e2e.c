/*
 * test_scan_e2e.c — the real triage binary with a USB scanner, end to end.
 *
 * Under umockdev-wrapper this test makes a testbed with an interactive
 * boot-keyboard scanner (vusb.h) and starts build/triage on it, configured
 * with [scanner.usb] (type usb-hid, 05e0:1200). The scanner types the
 * grader's badge, the return's RMA and the item's GTIN; the script only
 * waits for them and checks the screens (the PIN and the answers are typed on
 * the pad, as a grader would). Then: one inspection saved, by that operator,
 * for that RMA, and the scanner shown "ready" in the log.
 */
#include <signal.h>
#include <sys/wait.h>

#include "scan_util.h"
#include "vusb.h"

static char data[600], cmd[4096];

static int triage(const char *args, const char *input, char **out, char **err)
{
    snprintf(cmd, sizeof cmd, "SDL_VIDEODRIVER= DISPLAY= '%s' --data '%s' %s", harness_triage(),
             data, args);
    return harness_sh(cmd, input, out, err);
}

static const char script[] = "# a USB scanner logs in and scans; the pad types PIN and answers\n"
                             "expect login\n"
                             "wait 10000\n" /* the badge */
                             "expect login\n"
                             "text 123456\n"
                             "key Return\n"
                             "expect scan\n"
                             "wait 10000\n" /* the RMA */
                             "expect item\n"
                             "wait 10000\n" /* the item's GTIN */
                             "expect check\n"
                             "key 2\nkey 1\nkey 1\nkey 1\nkey 1\n"
                             "expect summary\n"
                             "key Return\n"
                             "expect scan\n";

int main(int argc, char **argv)
{
    (void)argc;
    under_umockdev_wrapper(argv);
    const char *tmp = harness_tmpdir();
    snprintf(data, sizeof data, "%s/data", tmp);
    char path[700], text[2048];

    /* Set up before the testbed exists: an operator and the manifest. */
    CHECK_INT(triage("operator add --badge 1001 --name 'Ana Grader' --role grader", "123456\n",
                     NULL, NULL),
              0);
    snprintf(path, sizeof path, "%s/manifest.csv", tmp);
    harness_write_file(path, "rma,order_id,sku,gtin,serial,description,reason,delivered_at\n"
                             "RMA-E2E-1,O-1,PH-IP15-128,0195949038488,,Phone,defective,\n");
    snprintf(text, sizeof text, "import-manifest '%s'", path);
    CHECK_INT(triage(text, NULL, NULL, NULL), 0);

    char conf[700], scr[700];
    snprintf(conf, sizeof conf, "%s/triage.conf", tmp);
    harness_write_file(conf, "[station]\nid = SH01-S01\n\n"
                             "[scanner.usb]\ntype = usb-hid\ndevice = 05e0:1200\n"
                             "layout = us\nsuffix = enter\n");
    snprintf(scr, sizeof scr, "%s/usb.script", tmp);
    harness_write_file(scr, script);

    UMockdevTestbed *tb = umockdev_testbed_new();
    struct vusb kbd;
    vusb_init(&kbd, tb, 2, VUSB_BOOT_KBD_DESC("0012"), 8);
    CHECK(vusb_plug(&kbd));

    /* The station, in the background: this process serves the scanner. */
    char errfile[700];
    snprintf(errfile, sizeof errfile, "%s/stderr.log", tmp);
    snprintf(cmd, sizeof cmd,
             "SDL_VIDEODRIVER= DISPLAY= exec '%s' --config '%s' --data '%s' --script '%s' "
             "2>'%s' >/dev/null",
             harness_triage(), conf, data, scr, errfile);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    /* A grader scans: badge, then the return label, then the item. */
    g_usleep(300000);
    vusb_type(&kbd, "1001\n");
    g_usleep(300000);
    vusb_type(&kbd, "RMA-E2E-1\n");
    g_usleep(300000);
    vusb_type(&kbd, "0195949038488\n");

    int status = -1;
    for (int i = 0; i < 600; i++) { /* at most 60 s */
        if (waitpid(pid, &status, WNOHANG) == pid)
            break;
        g_usleep(100000);
    }
    if (!WIFEXITED(status) && !WIFSIGNALED(status)) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    char *log = harness_read_file(errfile, NULL);
    if (!CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0))
        fprintf(stderr, "triage exited with status %d:\n%s\n", status, log ? log : "");
    CHECK(log && strstr(log, "I570 scanner usb ready: 05e0:1200"));
    CHECK(log && strstr(log, "saved SH01-S01-000001"));
    CHECK(log && !strstr(log, " E57") && !strstr(log, " E58"));
    free(log);
    vusb_unplug(&kbd);
    g_object_unref(tb);

    /* What was saved: the scanned RMA, graded by the scanned badge. */
    char *out = NULL;
    CHECK_INT(triage("export", NULL, &out, NULL), 0);
    CHECK(out && strstr(out, "\"rma\":\"RMA-E2E-1\""));
    CHECK(out && strstr(out, "\"operator\":\"1001\""));
    CHECK(out && strstr(out, "\"gtin\":\"00195949038488\""));
    free(out);
    return harness_done();
}

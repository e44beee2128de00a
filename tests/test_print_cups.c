/*
 * test_print_cups.c — a label through CUPS: a raw queue whose device is the
 * fake 9100 printer receives the ZPL, byte for byte.
 *
 * The test starts a cupsd of its own (foreground, its own cupsd.conf and
 * cups-files.conf, spool, cache and state folders in a temporary folder,
 * listening only on a Unix socket there), so the machine's cupsd is neither
 * needed nor touched; libcups is pointed at it with CUPS_SERVER. A raw queue
 * (`lpadmin -m raw -v socket://127.0.0.1:PORT`) is made in it; the CUPS
 * transport sends the job, cupsd's socket backend delivers it to the fake.
 * A second queue has a driver (CUPS's sample Zebra ZPL driver): it is sent
 * the PNG, and CUPS's filters (imagetoraster, rastertolabel) make the ZPL
 * the fake receives: rendered, it still reads back, so the PNG went through
 * at the label's true size (ppi, media).
 * Also: status of the queue, a queue that does not exist, a stopped cupsd.
 * Every label the fake got is rendered by zpl-renderer-js and read back.
 * Without cupsd and lpadmin (packages cups, cups-bsd) the test is skipped.
 */
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "label.h"
#include "print_fake.h"
#include "printer.h"

static pid_t cupsd_pid;

static void stop_cupsd(void)
{
    if (cupsd_pid > 0) {
        kill(cupsd_pid, SIGTERM);
        waitpid(cupsd_pid, NULL, 0);
        cupsd_pid = 0;
    }
}

static bool write_file(const char *dir, const char *name, const char *text)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return harness_write_file(path, text);
}

/* Start cupsd in dir; wait until it answers on dir/cups.sock. */
static bool start_cupsd(const char *dir, const char *sock)
{
    char text[2048], cmd[1024];
    snprintf(text, sizeof text,
             "Listen %s\nLogLevel warn\nBrowsing Off\nMaxLogSize 0\nErrorPolicy retry-job\n"
             "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
             "<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n"
             "<Policy default>\n  JobPrivateAccess default\n  JobPrivateValues default\n"
             "  SubscriptionPrivateAccess default\n  SubscriptionPrivateValues default\n"
             "  <Limit All>\n    Order allow,deny\n    Allow all\n  </Limit>\n</Policy>\n",
             sock);
    if (!write_file(dir, "cupsd.conf", text))
        return false;
    /* As root cupsd runs filters and backends as lp; as anyone else, as that
     * user (as CUPS's own test suite does). */
    char user[64] = "lp", group[64] = "lp", sysgroup[64] = "root";
    if (getuid() != 0) {
        struct passwd *pw = getpwuid(getuid());
        struct group *gr = getgrgid(getgid());
        if (pw)
            snprintf(user, sizeof user, "%s", pw->pw_name);
        if (gr) {
            snprintf(group, sizeof group, "%s", gr->gr_name);
            snprintf(sysgroup, sizeof sysgroup, "%s", gr->gr_name);
        }
    }
    snprintf(text, sizeof text,
             "ServerRoot %s\nRequestRoot %s/spool\nCacheDir %s/cache\nStateDir %s/state\n"
             "TempDir %s/tmp\nErrorLog %s/error_log\nAccessLog %s/access_log\n"
             "PageLog %s/page_log\nUser %s\nGroup %s\nSystemGroup %s\n",
             dir, dir, dir, dir, dir, dir, dir, dir, user, group, sysgroup);
    if (!write_file(dir, "cups-files.conf", text))
        return false;
    for (const char *sub = "spool\0cache\0state\0tmp\0"; *sub; sub += strlen(sub) + 1) {
        char path[700];
        snprintf(path, sizeof path, "%s/%s", dir, sub);
        mkdir(path, 0755);
    }
    char conf[700], files[700];
    snprintf(conf, sizeof conf, "%s/cupsd.conf", dir);
    snprintf(files, sizeof files, "%s/cups-files.conf", dir);
    cupsd_pid = fork();
    if (cupsd_pid == 0) {
        char log[700];
        snprintf(log, sizeof log, "%s/cupsd.out", dir);
        if (!freopen(log, "w", stdout) || !freopen(log, "a", stderr))
            _exit(126);
        execlp("cupsd", "cupsd", "-f", "-c", conf, "-s", files, (char *)NULL);
        _exit(127);
    }
    atexit(stop_cupsd);
    int64_t end = test_ms() + 10000;
    snprintf(cmd, sizeof cmd, "lpstat -h '%s' -r 2>&1", sock);
    while (test_ms() < end) {
        char *out = NULL;
        int rc = harness_sh(cmd, NULL, &out, NULL);
        bool up = rc == 0 && out && strstr(out, "scheduler is running");
        free(out);
        if (up)
            return true;
        if (waitpid(cupsd_pid, NULL, WNOHANG) == cupsd_pid) {
            cupsd_pid = 0;
            break;
        }
        sleep_ms(50);
    }
    snprintf(cmd, sizeof cmd, "%s/cupsd.out", dir);
    char *log = harness_read_file(cmd, NULL);
    fprintf(stderr, "cupsd did not start:\n%s\n", log ? log : "");
    free(log);
    return false;
}

int main(void)
{
    if (!harness_have("cupsd") && access("/usr/sbin/cupsd", X_OK) != 0)
        harness_skip("cupsd missing (packaging/deps.sh test installs cups)");
    if (!harness_have("lpadmin") && access("/usr/sbin/lpadmin", X_OK) != 0)
        harness_skip("lpadmin missing (packaging/deps.sh test installs cups-bsd)");
    setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 0);
    if (!strstr(getenv("PATH"), "sbin")) {
        char path[2048];
        snprintf(path, sizeof path, "%s:/usr/sbin:/sbin", getenv("PATH"));
        setenv("PATH", path, 1);
    }
    const char *dir = harness_tmpdir();
    chmod(dir, 0755); /* cupsd runs its backends as lp */
    char sock[700], err[512], cmd[1400];
    snprintf(sock, sizeof sock, "%s/cups.sock", dir);
    if (!CHECK(start_cupsd(dir, sock)))
        return harness_done();
    setenv("CUPS_SERVER", sock, 1); /* libcups: this cupsd, not the system's */

    struct fake_printer f;
    fake_init(&f);
    CHECK(fake_start(&f));
    snprintf(cmd, sizeof cmd,
             "lpadmin -h '%s' -p zebra -E -v socket://127.0.0.1:%d -m raw 2>&1", sock, f.port);
    char *out = NULL;
    if (!CHECK_INT(harness_sh(cmd, NULL, &out, NULL), 0))
        fprintf(stderr, "%s\n%s\n", cmd, out ? out : "");
    free(out);

    struct label_spec spec;
    label_spec_parse(&spec, "4x6", 203, NULL, err, sizeof err);
    struct label_maker *m = label_maker_open(&spec, err, sizeof err);
    if (!CHECK(m != NULL))
        return harness_done();
    struct inspection in;
    print_insp(&in, 4, true);
    snprintf(in.plate, sizeof in.plate, "SH01-S02-000004");
    char *zpl = NULL;
    void *png = NULL;
    size_t zlen = 0, plen = 0;
    CHECK_INT(label_zpl(m, &in, &zpl, &zlen), 0);
    CHECK_INT(label_png_mem(m, &in, &png, &plen, err, sizeof err), 0);
    label_maker_close(m);

    struct prn *t = prn_cups_open("zebra", 3000, err, sizeof err);
    CHECK(t != NULL && strcmp(prn_type(t), "cups") == 0);
    struct printer_status st;
    CHECK_INT(prn_status(t, &st), 0);
    CHECK_INT(st.state, PRINTER_READY);
    struct prn_job job = {.name = in.plate, .zpl = zpl, .zpl_len = zlen, .png = png,
                          .png_len = plen};
    int rc = prn_send(t, &job, err, sizeof err);
    if (!CHECK_INT(rc, 0))
        fprintf(stderr, "%s\n", err);
    /* cupsd hands it to its socket backend, which delivers it to the fake */
    int64_t end = test_ms() + 15000;
    while (fake_njobs(&f) < 1 && test_ms() < end)
        sleep_ms(20);
    CHECK_INT(fake_njobs(&f), 1);
    if (f.njobs == 1)
        CHECK(f.lens[0] == zlen && memcmp(f.jobs[0], zpl, zlen) == 0);
    CHECK_INT(zpl_check_jobs(f.jobs, f.lens, f.njobs, dir, "cups"), 0);
    prn_close(t);

    /* A queue with a driver (CUPS's own Zebra ZPL driver, sample.drv): it gets
     * the PNG, at the label's true size, and its filters (imagetoraster,
     * rastertolabel) make the ZPL the printer receives. */
    snprintf(cmd, sizeof cmd,
             "lpadmin -h '%s' -p zebra-drv -E -v socket://127.0.0.1:%d"
             " -m drv:///sample.drv/zebra.ppd 2>&1",
             sock, f.port);
    out = NULL;
    if (!CHECK_INT(harness_sh(cmd, NULL, &out, NULL), 0))
        fprintf(stderr, "%s\n%s\n", cmd, out ? out : "");
    free(out);
    t = prn_cups_open("zebra-drv", 3000, err, sizeof err);
    job.dpi = 203;
    rc = prn_send(t, &job, err, sizeof err);
    if (!CHECK_INT(rc, 0))
        fprintf(stderr, "%s\n", err);
    end = test_ms() + 20000;
    while (fake_njobs(&f) < 2 && test_ms() < end)
        sleep_ms(20);
    if (CHECK_INT(fake_njobs(&f), 2)) {
        CHECK(f.lens[1] != zlen || memcmp(f.jobs[1], zpl, zlen) != 0); /* CUPS's own ZPL */
        CHECK(strstr(f.jobs[1], "^XA") != NULL);
        /* ... and it still reads back: the PNG went through at its true size */
        char path[700], rendered[700], payload[LABEL_PAYLOAD_MAX];
        snprintf(path, sizeof path, "%s/drv.zpl", dir);
        FILE *fp = fopen(path, "wb");
        if (fp) {
            fwrite(f.jobs[1], 1, f.lens[1], fp);
            fclose(fp);
        }
        const char *files[1] = {path};
        snprintf(rendered, sizeof rendered, "%s/drv.render.png", dir);
        label_payload(&in, payload, sizeof payload);
        if (CHECK(zpl_render(files, 1)))
            CHECK(zbar_reads(rendered, in.plate, payload));
    }
    prn_close(t);

    /* a queue that is not there */
    t = prn_cups_open("nosuch", 3000, err, sizeof err);
    CHECK(prn_send(t, &job, err, sizeof err) < 0);
    CHECK(strncmp(err, "E681:", 5) == 0);
    CHECK_INT(prn_status(t, &st), 0);
    CHECK_INT(st.state, PRINTER_OFFLINE);
    prn_close(t);

    /* cupsd gone: an error with its id, quickly */
    stop_cupsd();
    t = prn_cups_open("zebra", 1000, err, sizeof err);
    int64_t t0 = test_ms();
    CHECK(prn_send(t, &job, err, sizeof err) < 0);
    CHECK(strncmp(err, "E681:", 5) == 0);
    CHECK(test_ms() - t0 < 3000);
    prn_close(t);

    free(zpl);
    free(png);
    fake_free(&f);
    return harness_done();
}

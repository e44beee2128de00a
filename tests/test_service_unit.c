/*
 * test_service_unit.c — the installed unit under a real systemd: a user manager of
 * the test's own in a private mount namespace (tests/service_user_manager.sh) runs a
 * variant of the unit that `make install` put into a DESTDIR:
 *   - the station is "activating" while it runs but is not ready yet (it waits for its
 *     configuration, a FIFO the script fills), and "active" only after READY=1;
 *   - idle for three watchdog intervals, it is not restarted: the loop's pings arrive;
 *   - when its main loop hangs, the watchdog kills it and Restart=on-failure brings a
 *     new one up (a new main PID, NRestarts 1);
 *   - `systemctl stop` ends it cleanly (STOPPING=1, exit 0).
 *
 * The variant differs from the installed unit only where a test must: ExecStart and
 * --config point into the DESTDIR and --data into the state folder (%S); no User= or
 * Group= (a user manager runs everything as itself); WatchdogSec=2s, RestartSec=1s;
 * the dummy video driver; stderr to a file; no leak check in sanitizer builds
 * (LeakSanitizer needs ptrace, which the sandbox forbids); and
 * TRIAGE_TEST_HANG_ON_SIGUSR2=1, the test hook that lets SIGUSR2 stop the main loop
 * (app/service.h: without that variable, which no production unit sets, the signal is
 * not handled at all). The sandboxing that this machine's user manager cannot set up
 * is left out by the script, which says which.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

/* The value of "key=" in the script's output (the last one), or "". */
static const char *value(const char *out, const char *key, char *buf, size_t buflen)
{
    buf[0] = 0;
    size_t n = strlen(key);
    for (const char *p = out; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len > n && strncmp(p, key, n) == 0 && p[n] == '=')
            snprintf(buf, buflen, "%.*s", (int)(len - n - 1), p + n + 1);
        p = nl ? nl + 1 : NULL;
    }
    return buf;
}

int main(void)
{
    /* The test's folder must be where the unit's sandbox still shows it:
     * PrivateTmp= hides /tmp and /var/tmp, ProtectHome= /home and /root, and the
     * tree may be checked out in any of them. /var/lib is none of those (the test
     * runs as root, see below); else the build folder. Set before anything makes
     * the folder. */
    const char *build = getenv("BUILD");
    char tests_dir[PATH_MAX], abs[PATH_MAX];
    snprintf(tests_dir, sizeof tests_dir, "%s/tests", build ? build : "build");
    if (!realpath(tests_dir, abs))
        harness_skip("no build/tests folder");
    if (mkdir("/var/lib/triage-tests", 0700) == 0 || access("/var/lib/triage-tests", W_OK) == 0)
        setenv("TMPDIR", "/var/lib/triage-tests", 1);
    else
        setenv("TMPDIR", abs, 1);
    const char *dir = harness_tmpdir();

    if (!harness_have("systemctl") || !harness_have("systemd-run") ||
        access("/lib/systemd/systemd", X_OK) != 0 || !harness_have("make"))
        harness_skip("needs systemd (/lib/systemd/systemd, systemctl, systemd-run) and make");
    if (harness_sh("unshare -m true", NULL, NULL, NULL) != 0)
        harness_skip("cannot make a private mount namespace (unshare -m): not root?");
    char root[600], cmd[16384], *out = NULL, *err = NULL;
    snprintf(root, sizeof root, "%s/root", dir);

    snprintf(cmd, sizeof cmd,
             "env -u MAKELEVEL make --no-print-directory -s install DESTDIR='%s'"
             " PREFIX=/usr/local BUILD='%s'",
             root, build ? build : "build");
    if (!CHECK_INT(harness_sh(cmd, NULL, NULL, &err), 0)) {
        fprintf(stderr, "%s\n", err ? err : "");
        return harness_done();
    }
    free(err);

    /* The variant of the installed unit, named per run. */
    char name[64], unit[700], conf[700];
    snprintf(name, sizeof name, "triage-test-%d.service", (int)getpid());
    snprintf(unit, sizeof unit, "%s/%s", dir, name);
    snprintf(conf, sizeof conf, "%s/triage.conf", dir);
    snprintf(cmd, sizeof cmd,
             "sed -e 's|^ExecStart=/usr/local/bin/triage --config /etc/triage/triage.conf"
             " --data /var/lib/triage|ExecStart=%s/usr/local/bin/triage --config"
             " %s/etc/triage/triage.conf --data %%S/triage|'"
             " -e '/^User=/d' -e '/^Group=/d'"
             " -e 's|^WatchdogSec=.*|WatchdogSec=2s|' -e 's|^RestartSec=.*|RestartSec=1s|'"
             " -e 's|^Environment=SDL_VIDEODRIVER=kmsdrm$|Environment=SDL_VIDEODRIVER=dummy"
             " TRIAGE_TEST_HANG_ON_SIGUSR2=1|'"
             " -e '/^\\[Service\\]/a StandardError=append:%s/station.log'"
             " -e '/^\\[Service\\]/a Environment=ASAN_OPTIONS=detect_leaks=0'"
             " '%s/usr/local/lib/systemd/system/triage.service' > '%s'"
             " && grep -q '^ExecStart=%s/usr/local/bin/triage' '%s'"
             " && grep -q '^Environment=SDL_VIDEODRIVER=dummy' '%s'"
             " && mv '%s/etc/triage/triage.conf' '%s' && mkfifo '%s/etc/triage/triage.conf'",
             root, root, dir, root, unit, root, unit, unit, root, conf, root);
    if (!CHECK_INT(harness_sh(cmd, NULL, NULL, NULL), 0))
        return harness_done();

    snprintf(cmd, sizeof cmd,
             "timeout 150 unshare -m sh tests/service_user_manager.sh '%s' '%s' '%s'"
             " '%s/etc/triage/triage.conf'",
             dir, unit, conf, root);
    int rc = harness_sh(cmd, NULL, &out, &err);
    printf("%s", out ? out : "");
    CHECK_INT(rc, 0);
    char v[512], pid1[32], pid2[32];
    if (!CHECK_STR(value(out, "error", v, sizeof v), ""))
        fprintf(stderr, "%s\n", err ? err : "");

    /* Most of the hardening is kept even here. */
    CHECK(atoi(value(out, "kept", v, sizeof v)) >= 20);
    /* Not ready: activating, though the station's process runs. */
    CHECK_STR(value(out, "before_ready", v, sizeof v), "activating/start");
    CHECK_STR(value(out, "after_ready", v, sizeof v), "active/running");
    CHECK_STR(value(out, "state_dir_mode", v, sizeof v), "700");
    value(out, "pid1", pid1, sizeof pid1);
    CHECK(atoi(pid1) > 0);
    char want[128];
    snprintf(want, sizeof want, "active pid=%s restarts=0", pid1);
    CHECK_STR(value(out, "idle", v, sizeof v), want);
    value(out, "pid2", pid2, sizeof pid2);
    CHECK(atoi(pid2) > 0 && strcmp(pid1, pid2) != 0);
    CHECK_STR(value(out, "restarted", v, sizeof v), "active restarts=1");
    CHECK_STR(value(out, "watchdog_logged", v, sizeof v), "1");
    CHECK_STR(value(out, "stopped", v, sizeof v), "inactive/success");

    /* The station's own account of it. */
    char path[700];
    snprintf(path, sizeof path, "%s/station.log", dir);
    char *log = harness_read_file(path, NULL);
    CHECK(log && strstr(log, "I880 watchdog"));
    CHECK(log && strstr(log, "W880 test hook"));
    int ready = 0;
    for (const char *p = log; p && (p = strstr(p, " I200 ready")); p++)
        ready++;
    if (!CHECK_INT(ready, 2))
        fprintf(stderr, "station log:\n%s\n", log ? log : "");
    free(log);
    free(out);
    free(err);
    return harness_done();
}

/*
 * test_install.c — `make install` into a DESTDIR: every file where systemd and udev
 * look for it, with its mode; the unit passes `systemd-analyze verify` and carries its
 * hardening and watchdog; systemd-sysusers and systemd-tmpfiles, run on the DESTDIR as
 * on the live system, make the triage user in its groups and /var/lib/triage 0700 owned
 * by it; a second install keeps an edited /etc/triage/triage.conf; PREFIX moves the
 * binary and the unit's ExecStart with it.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

static char root[600];

/* `make install` with DESTDIR=dest and PREFIX=prefix; output in *out. */
static int make_install(const char *dest, const char *prefix, char **out)
{
    const char *build = getenv("BUILD");
    char cmd[1600];
    snprintf(cmd, sizeof cmd,
             "env -u MAKELEVEL make --no-print-directory install DESTDIR='%s' PREFIX='%s'"
             " BUILD='%s' 2>&1",
             dest, prefix, build ? build : "build");
    return harness_sh(cmd, NULL, out, NULL);
}

/* Mode bits of root/path, -1 when missing; *type gets S_IFMT bits. */
static int mode_of(const char *path, int *type)
{
    char full[1200];
    snprintf(full, sizeof full, "%s%s", root, path);
    struct stat st;
    if (stat(full, &st) != 0)
        return -1;
    if (type)
        *type = (int)(st.st_mode & S_IFMT);
    return (int)(st.st_mode & 07777);
}

static char *read_in_root(const char *path)
{
    char full[1200];
    snprintf(full, sizeof full, "%s%s", root, path);
    return harness_read_file(full, NULL);
}

/* The line of `text` that begins with `key`, copied to out ("" when none). */
static const char *line_of(const char *text, const char *key, char *out, size_t outlen)
{
    out[0] = 0;
    size_t n = strlen(key);
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len >= n && strncmp(p, key, n) == 0) {
            snprintf(out, outlen, "%.*s", (int)len, p);
            return out;
        }
        p = nl ? nl + 1 : NULL;
    }
    return out;
}

static void check_files(void)
{
    static const struct {
        const char *path;
        int mode;
    } files[] = {
        {"/usr/local/bin/triage", 0755},
        {"/usr/local/lib/systemd/system/triage.service", 0644},
        {"/usr/local/lib/udev/rules.d/70-triage-scanners.rules", 0644},
        {"/usr/local/lib/udev/rules.d/71-triage-printers.rules", 0644},
        {"/usr/local/lib/sysusers.d/triage.conf", 0644},
        {"/usr/local/lib/tmpfiles.d/triage.conf", 0644},
        {"/usr/local/share/doc/triage/README.md", 0644},
        {"/usr/local/share/doc/triage/ERRORS.md", 0644},
        {"/etc/triage/triage.conf", 0644},
        {"/etc/triage/triage.conf.example", 0644},
    };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        int type = 0;
        int mode = mode_of(files[i].path, &type);
        if (!CHECK_INT(mode, files[i].mode) || !CHECK(type == S_IFREG))
            fprintf(stderr, "  file %s\n", files[i].path);
    }
    char *conf = read_in_root("/etc/triage/triage.conf");
    char *shipped = harness_read_file("packaging/triage.conf", NULL);
    CHECK(conf && shipped && strcmp(conf, shipped) == 0);
    free(conf);
    free(shipped);
}

/* The unit: notify + watchdog + bounded restarts + hardening, ExecStart under PREFIX. */
static void check_unit(const char *prefix_bin)
{
    char *unit = read_in_root("/usr/local/lib/systemd/system/triage.service");
    if (!CHECK(unit != NULL))
        return;
    char line[600], want[600];
    snprintf(want, sizeof want,
             "ExecStart=%s --config /etc/triage/triage.conf --data /var/lib/triage --fullscreen",
             prefix_bin);
    CHECK_STR(line_of(unit, "ExecStart=", line, sizeof line), want);
    static const char *const must[] = {
        "Type=notify",
        "NotifyAccess=main",
        "WatchdogSec=30s",
        "Restart=on-failure",
        "StartLimitIntervalSec=10min",
        "StartLimitBurst=5",
        "User=triage",
        "Group=triage",
        "StateDirectory=triage",
        "StateDirectoryMode=0700",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "PrivateTmp=yes",
        "ProtectKernelTunables=yes",
        "ProtectKernelModules=yes",
        "ProtectControlGroups=yes",
        "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK",
        "RestrictNamespaces=yes",
        "LockPersonality=yes",
        "SystemCallArchitectures=native",
        "CapabilityBoundingSet=",
        "DevicePolicy=closed",
        "DeviceAllow=char-drm rw",
        "DeviceAllow=char-input rw",
        "DeviceAllow=char-usb_device rw",
        "DeviceAllow=char-ttyACM rw",
    };
    for (size_t i = 0; i < sizeof must / sizeof *must; i++) {
        char key[100];
        const char *eq = strchr(must[i], '=');
        snprintf(key, sizeof key, "%.*s", (int)(eq - must[i] + 1), must[i]);
        /* DeviceAllow= appears several times: look for the whole line. */
        bool found = false;
        for (const char *p = unit; (p = strstr(p, must[i])); p++)
            if ((p == unit || p[-1] == '\n') && (p[strlen(must[i])] == '\n'))
                found = true;
        if (!CHECK(found))
            fprintf(stderr, "  unit line %s (has: %s)\n", must[i],
                    line_of(unit, key, line, sizeof line));
    }
    /* Never restart forever, never on success. */
    CHECK(strstr(unit, "Restart=always") == NULL);
    free(unit);
}

/*
 * systemd-analyze verify: the installed unit with only its ExecStart pointed at the
 * installed binary inside DESTDIR (verify checks that the program exists). It must
 * pass without a single message; a unit with a mistyped key is the control that
 * verify does complain on this machine.
 */
static void check_verify(void)
{
    const char *tmp = harness_tmpdir();
    char cmd[3000], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s/verify' && sed 's|^ExecStart=/usr/local/bin/triage|ExecStart=%s/usr/"
             "local/bin/triage|' '%s/usr/local/lib/systemd/system/triage.service' >"
             " '%s/verify/triage.service' && systemd-analyze verify '%s/verify/triage.service'",
             tmp, root, root, tmp, tmp);
    int rc = harness_sh(cmd, NULL, &out, &err);
    CHECK_INT(rc, 0);
    bool quiet = err && err[0] == 0 && out && out[0] == 0;
    if (!CHECK(quiet))
        fprintf(stderr, "  systemd-analyze verify said: %s%s\n", out ? out : "", err ? err : "");
    free(out);
    free(err);

    snprintf(cmd, sizeof cmd,
             "sed 's|^NoNewPrivileges=yes|NoNewPrivilege=yes|' '%s/verify/triage.service' >"
             " '%s/verify/triage-typo.service' && systemd-analyze verify"
             " '%s/verify/triage-typo.service'",
             tmp, tmp, tmp);
    harness_sh(cmd, NULL, NULL, &err);
    CHECK(err && strstr(err, "NoNewPrivilege"));
    free(err);
}

/* systemd-sysusers and systemd-tmpfiles on the DESTDIR, by the names postinst uses. */
static void check_user_and_state_dir(void)
{
    char cmd[1500], *out = NULL;
    snprintf(cmd, sizeof cmd,
             "systemd-sysusers --root='%s' triage.conf && systemd-tmpfiles --root='%s'"
             " --create triage.conf",
             root, root);
    CHECK_INT(harness_sh(cmd, NULL, NULL, NULL), 0);

    char path[700];
    snprintf(path, sizeof path, "%s/etc/passwd", root);
    FILE *f = fopen(path, "r");
    struct passwd *pw = NULL;
    long uid = -1, gid = -1;
    char shell[100] = "", home[200] = "";
    while (f && (pw = fgetpwent(f)))
        if (strcmp(pw->pw_name, "triage") == 0) {
            uid = pw->pw_uid, gid = pw->pw_gid;
            snprintf(shell, sizeof shell, "%s", pw->pw_shell);
            snprintf(home, sizeof home, "%s", pw->pw_dir);
            break;
        }
    if (f)
        fclose(f);
    CHECK(uid > 0 && uid < 1000); /* a system user */
    CHECK_STR(shell, "/usr/sbin/nologin");
    CHECK_STR(home, "/var/lib/triage");

    static const char *const groups[] = {"video", "input", "plugdev", "dialout", "lp"};
    for (size_t i = 0; i < sizeof groups / sizeof *groups; i++) {
        snprintf(cmd, sizeof cmd, "grep -E '^%s:[^:]*:[0-9]+:(.*,)?triage(,|$)' '%s/etc/group'",
                 groups[i], root);
        if (!CHECK_INT(harness_sh(cmd, NULL, NULL, NULL), 0))
            fprintf(stderr, "  triage not in group %s\n", groups[i]);
    }
    free(out);

    snprintf(path, sizeof path, "%s/var/lib/triage", root);
    struct stat st;
    CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
    CHECK_INT(st.st_mode & 07777, 0700);
    CHECK_INT(st.st_uid, uid);
    CHECK_INT(st.st_gid, gid);
}

static void check_second_install(void)
{
    char path[700], example[700], *out = NULL;
    snprintf(path, sizeof path, "%s/etc/triage/triage.conf", root);
    snprintf(example, sizeof example, "%s/etc/triage/triage.conf.example", root);
    const char *edited = "[station]\nid = SH07-S12\nsite = SH07\n";
    CHECK(harness_write_file(path, edited));
    CHECK(harness_write_file(example, "an old example\n"));
    CHECK_INT(make_install(root, "/usr/local", &out), 0);
    CHECK(out && strstr(out, "kept"));
    free(out);
    char *conf = harness_read_file(path, NULL);
    CHECK_STR(conf ? conf : "", edited);
    free(conf);
    char *ex = harness_read_file(example, NULL);
    char *shipped = harness_read_file("packaging/triage.conf", NULL);
    CHECK(ex && shipped && strcmp(ex, shipped) == 0); /* the example is always the new one */
    free(ex);
    free(shipped);
}

int main(void)
{
    if (!harness_have("make") || !harness_have("systemd-analyze") ||
        !harness_have("systemd-sysusers") || !harness_have("systemd-tmpfiles"))
        harness_skip("needs make, systemd-analyze, systemd-sysusers and systemd-tmpfiles");
    snprintf(root, sizeof root, "%s/root", harness_tmpdir());

    char *out = NULL;
    int rc = make_install(root, "/usr/local", &out);
    if (!CHECK_INT(rc, 0))
        fprintf(stderr, "%s\n", out ? out : "");
    free(out);
    check_files();
    check_unit("/usr/local/bin/triage");
    check_verify();

    /* The shipped configuration is one the station accepts. */
    char cmd[4000];
    snprintf(cmd, sizeof cmd, "'%s/usr/local/bin/triage' --config '%s/etc/triage/triage.conf'"
             " parse RMA-1", root, root);
    CHECK_INT(harness_sh(cmd, NULL, NULL, NULL), 0);

    if (geteuid() == 0)
        check_user_and_state_dir();
    else
        printf("test_install: not root: the user and /var/lib/triage are not made in DESTDIR\n");
    check_second_install();

    /* PREFIX=/usr: the binary and the unit's ExecStart move with it. */
    char usr[700];
    snprintf(usr, sizeof usr, "%s/usr-root", harness_tmpdir());
    CHECK_INT(make_install(usr, "/usr", NULL), 0);
    snprintf(cmd, sizeof cmd,
             "test -x '%s/usr/bin/triage' && grep -qx 'ExecStart=/usr/bin/triage --config"
             " /etc/triage/triage.conf --data /var/lib/triage --fullscreen'"
             " '%s/usr/lib/systemd/system/triage.service' && test -f"
             " '%s/usr/lib/sysusers.d/triage.conf' && test -f"
             " '%s/usr/lib/udev/rules.d/70-triage-scanners.rules'",
             usr, usr, usr, usr);
    CHECK_INT(harness_sh(cmd, NULL, NULL, NULL), 0);
    return harness_done();
}

/*
 * test_install_deb.c — `make deb`, installed on this machine with dpkg and removed again:
 *   - the package holds exactly the files `make install PREFIX=/usr` installs, the
 *     configuration as a conffile, its dependencies from the binary's libraries;
 *   - dpkg -i makes the triage system user in its groups and /var/lib/triage 0700;
 *     the station runs as that user and can make its database there;
 *   - an edited /etc/triage/triage.conf survives a reinstall;
 *   - --purge keeps a data folder that holds a database (and the user who owns it);
 *   - dpkg -r keeps the configuration and the user; --purge then leaves the machine as
 *     it was: /etc/passwd, /etc/group, /etc/shadow and /etc/gshadow byte for byte (a group
 *     that systemd-sysusers had to create because it was missing here is removed by the
 *     test, as the package never deletes a system group).
 * Needs root (dpkg). It refuses to touch a machine where triage is installed, or a
 * triage user or folder exists, unless its own marker says an interrupted run of this
 * test left them, which it then removes first: the test can run any number of times.
 */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

#define MARKER "/var/tmp/triage-test-deb.installed"

static const char *const account_files[] = {"/etc/passwd", "/etc/group", "/etc/shadow",
                                            "/etc/gshadow"};
#define NACCOUNT (sizeof account_files / sizeof *account_files)
static const char *const station_groups[] = {"video", "input", "plugdev", "dialout", "lp"};
#define NGROUPS (sizeof station_groups / sizeof *station_groups)

/* dpkg, waiting up to a minute for another dpkg or apt to finish. */
static int dpkg(const char *args, char **out)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd,
             "export DEBIAN_FRONTEND=noninteractive; i=0; while :; do"
             " dpkg %s >\"$T.dpkg\" 2>&1; rc=$?; cat \"$T.dpkg\";"
             " if [ $rc -ne 0 ] && grep -q 'lock' \"$T.dpkg\" && [ $i -lt 60 ]; then"
             " i=$((i+1)); sleep 1; continue; fi; rm -f \"$T.dpkg\"; exit $rc; done",
             args);
    char full[1400];
    snprintf(full, sizeof full, "T='%s/dpkg'; %s", harness_tmpdir(), cmd);
    return harness_sh(full, NULL, out, NULL);
}

static bool installed(void)
{
    char *out = NULL;
    harness_sh("dpkg-query -W -f='${Status}' triage 2>/dev/null", NULL, &out, NULL);
    bool yes = out && strstr(out, "installed") && !strstr(out, "not-installed") &&
               !strstr(out, "config-files");
    bool any = out && *out && !strstr(out, "not-installed");
    free(out);
    return yes || any;
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* The machine as it must be when no triage is there. */
static bool machine_clean(void)
{
    return !installed() && !getpwnam("triage") && !getgrnam("triage") &&
           !exists("/etc/triage") && !exists("/var/lib/triage") && !exists("/usr/bin/triage") &&
           !exists("/usr/lib/systemd/system/triage.service");
}

/* Remove what an interrupted run of this test left behind. */
static void clean_up_after_interrupted_run(void)
{
    dpkg("--purge triage", NULL);
    harness_sh("rm -rf /var/lib/triage /etc/triage; userdel triage; groupdel triage", NULL, NULL,
               NULL);
    char *list = harness_read_file(MARKER, NULL);
    /* The marker's lines name the groups that run created. */
    for (char *save, *g = list ? strtok_r(list, "\n", &save) : NULL; g;
         g = strtok_r(NULL, "\n", &save)) {
        char cmd[200];
        snprintf(cmd, sizeof cmd, "groupdel '%s'", g);
        harness_sh(cmd, NULL, NULL, NULL);
    }
    free(list);
    unlink(MARKER);
}

static bool in_group(const char *group, const char *user)
{
    struct group *gr = getgrnam(group);
    for (char **m = gr ? gr->gr_mem : NULL; m && *m; m++)
        if (strcmp(*m, user) == 0)
            return true;
    return false;
}

/* The package's files equal `make install PREFIX=/usr`'s, by path, mode and content. */
static void check_same_as_make_install(const char *deb)
{
    const char *tmp = harness_tmpdir();
    const char *build = getenv("BUILD");
    char cwd[600], cmd[3000], *out = NULL;
    if (!getcwd(cwd, sizeof cwd))
        snprintf(cwd, sizeof cwd, ".");
    snprintf(cmd, sizeof cmd,
             "set -e; cd '%s'; rm -rf inst ex; env -u MAKELEVEL make -C '%s' --no-print-directory"
             " -s install DESTDIR='%s/inst' PREFIX=/usr BUILD='%s' >/dev/null;"
             " dpkg-deb -x '%s/%s' ex;"
             " list() { (cd \"$1\" && find . -type f -printf '%%m %%p\\n' | sort &&"
             "   find . -type f | sort | xargs sha256sum); };"
             " list inst > inst.list; list ex > ex.list; diff inst.list ex.list",
             tmp, cwd, tmp, build ? build : "build", cwd, deb);
    int rc = harness_sh(cmd, NULL, &out, NULL);
    if (!CHECK_INT(rc, 0))
        fprintf(stderr, "  make install and the package differ:\n%s\n", out ? out : "");
    free(out);
}

int main(void)
{
    if (geteuid() != 0)
        harness_skip("installs a package with dpkg: needs root");
    if (!harness_have("dpkg") || !harness_have("dpkg-deb") || !harness_have("make") ||
        !harness_have("userdel") || !harness_have("runuser"))
        harness_skip("needs dpkg, dpkg-deb, make, userdel and runuser");
    if (exists(MARKER))
        clean_up_after_interrupted_run();
    if (!machine_clean())
        harness_skip("triage is installed here, or a triage user or /etc/triage or "
                     "/var/lib/triage exists: not touched");

    /* make deb: the package's path is the last line. */
    char *out = NULL, make[700];
    const char *build = getenv("BUILD");
    snprintf(make, sizeof make,
             "env -u MAKELEVEL make --no-print-directory -s deb BUILD='%s' 2>&1 | tail -n 1",
             build ? build : "build");
    int rc = harness_sh(make, NULL, &out, NULL);
    char deb[600] = "";
    if (out)
        sscanf(out, "%599s", deb);
    free(out);
    if (!CHECK_INT(rc, 0) || !CHECK(strstr(deb, ".deb") && exists(deb)))
        return harness_done();
    check_same_as_make_install(deb);

    char cmd[1600];
    snprintf(cmd, sizeof cmd, "dpkg-deb -f '%s' Package Depends; dpkg-deb -I '%s' conffiles",
             deb, deb);
    harness_sh(cmd, NULL, &out, NULL);
    CHECK(out && strstr(out, "Package: triage"));
    CHECK(out && strstr(out, "libsqlite3-0") && strstr(out, "libsdl2-2.0-0") &&
          strstr(out, "libsystemd0") && strstr(out, "systemd"));
    CHECK(out && strstr(out, "/etc/triage/triage.conf\n"));
    free(out);

    /* The accounts as they are, and the groups the package may have to create. */
    char *before[NACCOUNT];
    for (size_t i = 0; i < NACCOUNT; i++)
        before[i] = harness_read_file(account_files[i], NULL);
    char created[200] = "";
    for (size_t i = 0; i < NGROUPS; i++)
        if (!getgrnam(station_groups[i]))
            snprintf(created + strlen(created), sizeof created - strlen(created), "%s\n",
                     station_groups[i]);
    CHECK(harness_write_file(MARKER, created));

    /* Install. */
    snprintf(cmd, sizeof cmd, "-i '%s'", deb);
    rc = dpkg(cmd, &out);
    if (!CHECK_INT(rc, 0))
        fprintf(stderr, "%s\n", out ? out : "");
    free(out);
    CHECK_INT(harness_sh("/usr/bin/triage --version", NULL, NULL, NULL), 0);
    CHECK(exists("/usr/lib/systemd/system/triage.service"));
    CHECK(exists("/usr/lib/udev/rules.d/70-triage-scanners.rules"));
    CHECK(exists("/etc/triage/triage.conf") && exists("/etc/triage/triage.conf.example"));
    struct passwd *pw = getpwnam("triage");
    CHECK(pw && pw->pw_uid < 1000 && strcmp(pw->pw_shell, "/usr/sbin/nologin") == 0 &&
          strcmp(pw->pw_dir, "/var/lib/triage") == 0);
    uid_t uid = pw ? pw->pw_uid : (uid_t)-1;
    for (size_t i = 0; i < NGROUPS; i++)
        if (!CHECK(in_group(station_groups[i], "triage")))
            fprintf(stderr, "  triage is not in group %s\n", station_groups[i]);
    struct stat st;
    CHECK(stat("/var/lib/triage", &st) == 0 && S_ISDIR(st.st_mode) &&
          (st.st_mode & 07777) == 0700 && st.st_uid == uid);

    /* The station's user makes its database in its folder. */
    rc = harness_sh("cd / && runuser -u triage -- /usr/bin/triage --data /var/lib/triage"
                    " operator add --badge 9001 --name Test --role admin",
                    "123456\n", &out, NULL);
    CHECK_INT(rc, 0);
    free(out);
    CHECK(stat("/var/lib/triage/triage.db", &st) == 0 && st.st_uid == uid);

    /* An edited configuration survives a reinstall. */
    const char *edited = "[station]\nid = SH09-S01\nsite = SH09\n";
    CHECK(harness_write_file("/etc/triage/triage.conf", edited));
    snprintf(cmd, sizeof cmd, "-i '%s'", deb);
    CHECK_INT(dpkg(cmd, NULL), 0);
    char *conf = harness_read_file("/etc/triage/triage.conf", NULL);
    CHECK_STR(conf ? conf : "", edited);
    free(conf);

    /* Purge with a database: the data and its owner stay. */
    rc = dpkg("--purge triage", &out);
    CHECK_INT(rc, 0);
    CHECK(out && strstr(out, "holds a station database: kept"));
    free(out);
    CHECK(!installed() && !exists("/usr/bin/triage") && !exists("/etc/triage"));
    CHECK(exists("/var/lib/triage/triage.db") && getpwnam("triage"));
    harness_sh("rm -rf /var/lib/triage && userdel triage", NULL, NULL, NULL);

    /* Again without a database: remove keeps configuration and user, purge the rest. */
    snprintf(cmd, sizeof cmd, "-i '%s'", deb);
    CHECK_INT(dpkg(cmd, NULL), 0);
    CHECK_INT(dpkg("-r triage", NULL), 0);
    CHECK(!exists("/usr/bin/triage") && !exists("/usr/lib/systemd/system/triage.service"));
    CHECK(exists("/etc/triage/triage.conf") && getpwnam("triage"));
    CHECK_INT(dpkg("--purge triage", NULL), 0);

    /* As it was. */
    for (char *save, *g = strtok_r(created, "\n", &save); g; g = strtok_r(NULL, "\n", &save)) {
        snprintf(cmd, sizeof cmd, "groupdel '%s'", g);
        CHECK_INT(harness_sh(cmd, NULL, NULL, NULL), 0);
    }
    CHECK(machine_clean());
    for (size_t i = 0; i < NACCOUNT; i++) {
        char *now = harness_read_file(account_files[i], NULL);
        if (!CHECK(before[i] && now && strcmp(before[i], now) == 0))
            fprintf(stderr, "  %s differs from before the test\n", account_files[i]);
        free(now);
        free(before[i]);
    }
    unlink(MARKER);
    return harness_done();
}

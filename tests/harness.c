/*
 * harness.c — counting checks, temporary folders, running commands.
 */
#include "harness.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int passed, failed;
static char tmpdir[512];

extern const char *__progname;

bool harness_check(bool ok, const char *expr, const char *file, int line)
{
    if (ok)
        passed++;
    else {
        failed++;
        fprintf(stderr, "FAIL %s:%d: %s\n", file, line, expr);
    }
    return ok;
}

bool harness_check_str(const char *got, const char *want, const char *expr, const char *file,
                       int line)
{
    bool ok = got && want && strcmp(got, want) == 0;
    if (!ok && got != want) {
        failed++;
        fprintf(stderr, "FAIL %s:%d: %s is \"%s\", want \"%s\"\n", file, line, expr,
                got ? got : "(null)", want ? want : "(null)");
        return false;
    }
    passed++;
    return true;
}

bool harness_check_int(long long got, long long want, const char *expr, const char *file,
                       int line)
{
    if (got == want) {
        passed++;
        return true;
    }
    failed++;
    fprintf(stderr, "FAIL %s:%d: %s is %lld, want %lld\n", file, line, expr, got, want);
    return false;
}

int harness_done(void)
{
    printf("%s: %d passed, %d failed\n", __progname, passed, failed);
    fflush(stdout);
    return failed ? 1 : 0;
}

void harness_skip(const char *why)
{
    printf("%s: skipped: %s\n", __progname, why);
    fflush(stdout);
    exit(77);
}

static void remove_tmpdir(void)
{
    if (tmpdir[0] && !getenv("KEEP_TMP")) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        int rc = system(cmd);
        (void)rc;
    }
}

const char *harness_tmpdir(void)
{
    if (!tmpdir[0]) {
        const char *base = getenv("TMPDIR");
        snprintf(tmpdir, sizeof tmpdir, "%s/triage-%s-XXXXXX", base ? base : "/tmp",
                 __progname);
        if (!mkdtemp(tmpdir)) {
            perror("mkdtemp");
            exit(1);
        }
        atexit(remove_tmpdir);
    }
    return tmpdir;
}

const char *harness_triage(void)
{
    static char path[512];
    if (!path[0]) {
        const char *build = getenv("BUILD");
        snprintf(path, sizeof path, "%s/triage", build ? build : "build");
        char *abs = realpath(path, NULL);
        if (abs) {
            snprintf(path, sizeof path, "%s", abs);
            free(abs);
        }
    }
    return path;
}

char *harness_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n < 2) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = 0;
    if (len)
        *len = n;
    return buf;
}

bool harness_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok;
}

int harness_sh(const char *cmd, const char *input, char **out, char **err)
{
    const char *dir = harness_tmpdir();
    char in_path[600], out_path[600], err_path[600];
    static int counter;
    counter++;
    snprintf(in_path, sizeof in_path, "%s/.sh%d.in", dir, counter);
    snprintf(out_path, sizeof out_path, "%s/.sh%d.out", dir, counter);
    snprintf(err_path, sizeof err_path, "%s/.sh%d.err", dir, counter);
    if (!harness_write_file(in_path, input ? input : ""))
        return -1;
    size_t need = strlen(cmd) + 2000;
    char *full = malloc(need);
    if (!full)
        return -1;
    snprintf(full, need, "( %s ) <'%s' >'%s' 2>'%s'", cmd, in_path, out_path, err_path);
    int status = system(full);
    free(full);
    if (out)
        *out = harness_read_file(out_path, NULL);
    if (err)
        *err = harness_read_file(err_path, NULL);
    unlink(in_path);
    unlink(out_path);
    unlink(err_path);
    if (status == -1)
        return -1;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return -1;
}

bool harness_have(const char *prog)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "command -v '%s' >/dev/null 2>&1", prog);
    return system(cmd) == 0;
}

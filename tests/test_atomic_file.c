/*
 * test_atomic_file.c — files that appear whole or not at all: the bytes and
 * mode of a written file, many small writes and one large one, replacing a
 * file, and each failing step with its caller's id and nothing left behind
 * (the folder missing, a folder squatting the name, a write past the file
 * size limit, an abort).
 */
#include "atomic_file.h"
#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

static const struct atomic_file_ids ids = {{"E1", "E2", "E3", "E4", "E5", "E6"}};

/* Names in dir, sorted, one per line. */
static void list_dir(const char *dir, char *out, size_t outlen)
{
    struct dirent **names;
    out[0] = 0;
    int n = scandir(dir, &names, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
            size_t o = strlen(out);
            snprintf(out + o, outlen - o, "%s\n", names[i]->d_name);
        }
        free(names[i]);
    }
    if (n >= 0)
        free(names);
}

static void test_put(const char *dir)
{
    char path[600], err[600] = "", listing[1024];
    snprintf(path, sizeof path, "%s/a.txt", dir);
    CHECK_INT(atomic_file_put(path, "hello\n", 6, &ids, err, sizeof err), 0);
    size_t n = 0;
    char *got = harness_read_file(path, &n);
    CHECK(got && n == 6 && memcmp(got, "hello\n", 6) == 0);
    free(got);
    struct stat sb;
    CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0644);
    /* Again: the new content replaces the old. */
    CHECK_INT(atomic_file_put(path, "bye", 3, &ids, err, sizeof err), 0);
    got = harness_read_file(path, &n);
    CHECK(got && n == 3 && memcmp(got, "bye", 3) == 0);
    free(got);
    /* Empty is a file too. */
    snprintf(path, sizeof path, "%s/empty", dir);
    CHECK_INT(atomic_file_put(path, "", 0, NULL, err, sizeof err), 0);
    CHECK(stat(path, &sb) == 0 && sb.st_size == 0);
    list_dir(dir, listing, sizeof listing);
    CHECK_STR(listing, "a.txt\nempty\n");
}

/* Many small pieces and big ones, through the buffer and around it. */
static void test_pieces(const char *dir)
{
    char path[600], err[600] = "";
    snprintf(path, sizeof path, "%s/big.ndjson", dir);
    size_t big = 200000;
    char *block = malloc(big);
    if (!CHECK(block != NULL))
        return;
    for (size_t i = 0; i < big; i++)
        block[i] = (char)('a' + i % 26);
    struct atomic_file *f = NULL;
    CHECK_INT(atomic_file_open(path, &ids, &f, err, sizeof err), 0);
    size_t want = 0;
    int bad = 0;
    for (int i = 0; i < 30000 && f; i++) { /* 30000 lines of 11 bytes */
        char line[16];
        snprintf(line, sizeof line, "%010d\n", i);
        bad += atomic_file_write(f, line, 11, err, sizeof err) != 0;
        want += 11;
    }
    CHECK_INT(bad, 0);
    CHECK_INT(atomic_file_write(f, block, big, err, sizeof err), 0);
    want += big;
    CHECK_INT(atomic_file_write(f, "end\n", 4, err, sizeof err), 0);
    want += 4;
    /* Nothing under the final name before the commit. */
    struct stat sb;
    CHECK(stat(path, &sb) != 0 && errno == ENOENT);
    CHECK_INT(atomic_file_commit(f, err, sizeof err), 0);
    size_t n = 0;
    char *got = harness_read_file(path, &n);
    CHECK_INT(n, want);
    CHECK(got && memcmp(got, "0000000000\n0000000001\n", 22) == 0);
    CHECK(got && memcmp(got + 30000 * 11, block, big) == 0);
    CHECK(got && memcmp(got + n - 4, "end\n", 4) == 0);
    free(got);
    free(block);
}

static void test_failures(const char *dir)
{
    char path[600], err[600], listing[1024];

    /* The folder is not there: the create step's id. */
    snprintf(path, sizeof path, "%s/missing/x.png", dir);
    CHECK_INT(atomic_file_put(path, "x", 1, &ids, err, sizeof err), -ENOENT);
    CHECK(strncmp(err, "E1: cannot create a temporary file in ", 38) == 0);

    /* A folder squats the final name: the rename step fails, no temp is left. */
    char sub[600];
    snprintf(sub, sizeof sub, "%s/fail", dir);
    CHECK(mkdir(sub, 0755) == 0);
    snprintf(path, sizeof path, "%s/fail/x.png", dir);
    CHECK(mkdir(path, 0755) == 0);
    CHECK(atomic_file_put(path, "x", 1, &ids, err, sizeof err) < 0);
    CHECK(strncmp(err, "E5: cannot rename ", 18) == 0 && strstr(err, "x.png"));
    list_dir(sub, listing, sizeof listing);
    CHECK_STR(listing, "x.png\n");

    /* Without ids, the message alone. */
    CHECK(atomic_file_put(path, "x", 1, NULL, err, sizeof err) < 0);
    CHECK(strncmp(err, "cannot rename ", 14) == 0);

    /* A write the system refuses (past the file size limit): the write step. */
    struct rlimit old, small = {.rlim_cur = 1000};
    CHECK(getrlimit(RLIMIT_FSIZE, &old) == 0);
    small.rlim_max = old.rlim_max;
    signal(SIGXFSZ, SIG_IGN);
    snprintf(path, sizeof path, "%s/fail/too-big", dir);
    static char big[100000];
    CHECK(setrlimit(RLIMIT_FSIZE, &small) == 0);
    int rc = atomic_file_put(path, big, sizeof big, &ids, err, sizeof err);
    setrlimit(RLIMIT_FSIZE, &old);
    CHECK_INT(rc, -EFBIG);
    CHECK(strncmp(err, "E2: cannot write ", 17) == 0);
    list_dir(sub, listing, sizeof listing);
    CHECK_STR(listing, "x.png\n");

    /* Given up: nothing stays. */
    struct atomic_file *f = NULL;
    snprintf(path, sizeof path, "%s/fail/abandoned", dir);
    CHECK_INT(atomic_file_open(path, &ids, &f, err, sizeof err), 0);
    CHECK_INT(atomic_file_write(f, "x", 1, err, sizeof err), 0);
    list_dir(sub, listing, sizeof listing);
    CHECK(strstr(listing, ".tmp-abandoned.") != NULL);
    atomic_file_abort(f);
    atomic_file_abort(NULL);
    list_dir(sub, listing, sizeof listing);
    CHECK_STR(listing, "x.png\n");

    /* A bare name goes to the current folder; an empty name is refused. */
    CHECK_INT(atomic_file_put("", "x", 1, &ids, err, sizeof err), -EINVAL);
    snprintf(path, sizeof path, "%s/", dir);
    CHECK_INT(atomic_file_put(path, "x", 1, &ids, err, sizeof err), -EINVAL);

    CHECK_INT(atomic_file_sync_dir(dir), 0);
    snprintf(path, sizeof path, "%s/missing", dir);
    CHECK_INT(atomic_file_sync_dir(path), -ENOENT);
}

int main(void)
{
    const char *dir = harness_tmpdir();
    test_put(dir);
    test_pieces(dir);
    test_failures(dir);
    return harness_done();
}

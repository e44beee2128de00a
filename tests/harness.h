/*
 * harness.h — the test harness: checks that count, and helpers for tests
 * that run the real binary in a temporary folder.
 *
 * Each test program calls CHECK… as often as it likes and ends with
 * `return harness_done();`, which prints "<name>: N passed, N failed" and
 * exits non-zero on any failure. A test that cannot run on this machine calls
 * harness_skip(why), which prints "skipped: why" and exits 77: never a pass.
 */
#ifndef TRIAGE_HARNESS_H
#define TRIAGE_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool harness_check(bool ok, const char *expr, const char *file, int line);
bool harness_check_str(const char *got, const char *want, const char *expr, const char *file,
                       int line);
bool harness_check_int(long long got, long long want, const char *expr, const char *file,
                       int line);

#define CHECK(cond) harness_check((cond), #cond, __FILE__, __LINE__)
#define CHECK_STR(got, want) harness_check_str((got), (want), #got, __FILE__, __LINE__)
#define CHECK_INT(got, want) harness_check_int((long long)(got), (long long)(want), #got, __FILE__, __LINE__)

/* Print the summary line; returns the exit status (0 all passed, 1 otherwise). */
int harness_done(void);

/* Exit 77 with "skipped: why". */
_Noreturn void harness_skip(const char *why);

/* A fresh empty folder under $TMPDIR, removed at exit unless KEEP_TMP is set. */
const char *harness_tmpdir(void);

/* Path of the built triage binary ($BUILD/triage, default build/triage). */
const char *harness_triage(void);

/*
 * Run a shell command, feeding `input` (may be NULL) on stdin; capture stdout
 * and stderr (each malloc'd, may be NULL pointers to ignore). Returns the exit
 * status, 128+signal when killed, -1 when it could not run.
 */
int harness_sh(const char *cmd, const char *input, char **out, char **err);

/* Read a whole file; malloc'd, NULL when missing. *len may be NULL. */
char *harness_read_file(const char *path, size_t *len);
bool harness_write_file(const char *path, const char *text);

/* True when `prog` is on PATH. */
bool harness_have(const char *prog);

#endif

/*
 * script.h — the headless script format (docs/script.md).
 *
 * One event per line; '#' starts a comment; blank lines are skipped.
 *   scan TEXT   key NAME   text UTF8   tap X Y   wait MS   shot NAME
 *   expect SCREEN   quit
 * TEXT of `scan` and `text` takes C escapes: \x1d, \t, \n, \r, \\, \e.
 * Parsing is pure; running a script is main's job.
 */
#ifndef TRIAGE_SCRIPT_H
#define TRIAGE_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

enum script_op { SC_NONE, SC_SCAN, SC_KEY, SC_TEXT, SC_TAP, SC_WAIT, SC_SHOT, SC_EXPECT, SC_QUIT };

struct script_cmd {
    enum script_op op;
    char arg[512]; /* unescaped text, key name, shot name or screen name */
    size_t len;    /* bytes in arg (scan text may hold any byte but NUL) */
    int x, y;      /* tap */
    int64_t ms;    /* wait */
};

/*
 * Parse one line (without its newline). Returns 0 with cmd->op set (SC_NONE
 * for a blank or comment line), or -1 with "E18N: line N: …" in err.
 */
int script_parse_line(const char *line, int lineno, struct script_cmd *cmd, char *err,
                      size_t errlen);

/* A line as read (len bytes, which may hold a NUL): 0, or -1 with "E189:
 * line N: …" in err. Lines have no length limit; script_parse_line refuses
 * an argument longer than any command takes (E188), never cuts it. */
int script_check_line(const char *line, size_t len, int lineno, char *err, size_t errlen);

/* Decode C escapes of `in` into out (at most outcap-1 bytes, NUL-terminated).
 * Returns the decoded length, or -1 on a bad escape or overflow. */
int script_unescape(const char *in, char *out, size_t outcap);

#endif

/*
 * test_script.c — the headless script format, line by line.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "script.h"

static const struct {
    const char *line;
    int rc;
    enum script_op op;
    const char *arg; /* expected argument, or the error id when rc < 0 */
    size_t len;
    int x, y;
    long long ms;
} cases[] = {
    /*  0 */ {"", 0, SC_NONE, "", 0, 0, 0, 0},
    /*  1 */ {"   # a comment\n", 0, SC_NONE, "", 0, 0, 0, 0},
    /*  2 */ {"scan RMA-0001\n", 0, SC_SCAN, "RMA-0001", 8, 0, 0, 0},
    /*  3 */ {"scan ]C10109506000134352\\x1d21ABC\r\n", 0, SC_SCAN, "]C10109506000134352\x1d" "21ABC", 25, 0, 0, 0},
    /*  4 */ {"scan a\\tb\\\\c", 0, SC_SCAN, "a\tb\\c", 5, 0, 0, 0},
    /*  5 */ {"text 质量 ok", 0, SC_TEXT, "质量 ok", 9, 0, 0, 0},
    /*  6 */ {"key Return", 0, SC_KEY, "Return", 6, 0, 0, 0},
    /*  7 */ {"key F2 # statistics", 0, SC_KEY, "F2", 2, 0, 0, 0},
    /*  8 */ {"tap 640 400", 0, SC_TAP, "", 0, 640, 400, 0},
    /*  9 */ {"wait 1500", 0, SC_WAIT, "", 0, 0, 0, 1500},
    /* 10 */ {"shot summary-zh", 0, SC_SHOT, "summary-zh", 10, 0, 0, 0},
    /* 11 */ {"expect check\n", 0, SC_EXPECT, "check", 5, 0, 0, 0},
    /* 12 */ {"quit\n", 0, SC_QUIT, "", 0, 0, 0, 0},
    /* 13 */ {"\tquit", 0, SC_QUIT, "", 0, 0, 0, 0},
    /* 14 */ {"scan bad\\q", -1, SC_NONE, "E180", 0, 0, 0, 0},
    /* 15 */ {"scan \\x00", -1, SC_NONE, "E180", 0, 0, 0, 0},
    /* 16 */ {"scan", -1, SC_NONE, "E181", 0, 0, 0, 0},
    /* 17 */ {"key", -1, SC_NONE, "E182", 0, 0, 0, 0},
    /* 18 */ {"expect nowhere", -1, SC_NONE, "E183", 0, 0, 0, 0},
    /* 19 */ {"shot ../escape", -1, SC_NONE, "E184", 0, 0, 0, 0},
    /* 20 */ {"tap 1280 10", -1, SC_NONE, "E185", 0, 0, 0, 0},
    /* 21 */ {"tap 10", -1, SC_NONE, "E185", 0, 0, 0, 0},
    /* 22 */ {"tap x y", -1, SC_NONE, "E185", 0, 0, 0, 0},
    /* 23 */ {"wait -5", -1, SC_NONE, "E186", 0, 0, 0, 0},
    /* 24 */ {"wait soon", -1, SC_NONE, "E186", 0, 0, 0, 0},
    /* 25 */ {"jump 3", -1, SC_NONE, "E187", 0, 0, 0, 0},
};

int main(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct script_cmd cmd;
        char err[256] = "";
        int rc = script_parse_line(cases[i].line, (int)i + 1, &cmd, err, sizeof err);
        if (!CHECK_INT(rc, cases[i].rc))
            fprintf(stderr, "  case %zu: %s\n", i, err);
        if (rc < 0) {
            CHECK(strncmp(err, cases[i].arg, 4) == 0);
            char want[32];
            snprintf(want, sizeof want, "line %zu:", i + 1);
            CHECK(strstr(err, want) != NULL);
            continue;
        }
        CHECK_INT(cmd.op, cases[i].op);
        if (cases[i].op == SC_SCAN || cases[i].op == SC_TEXT || cases[i].op == SC_KEY ||
            cases[i].op == SC_SHOT || cases[i].op == SC_EXPECT) {
            CHECK_INT(cmd.len, cases[i].len);
            CHECK(memcmp(cmd.arg, cases[i].arg, cases[i].len + 1) == 0);
        }
        CHECK_INT(cmd.x, cases[i].x);
        CHECK_INT(cmd.y, cases[i].y);
        CHECK_INT(cmd.ms, cases[i].ms);
    }
    char out[8];
    CHECK_INT(script_unescape("\\x1d\\x41", out, sizeof out), 2);
    CHECK(out[0] == 0x1d && out[1] == 'A');
    CHECK_INT(script_unescape("12345678", out, sizeof out), -1); /* does not fit */

    /* Nothing is cut: a scan of 512 bytes, a key name of 600, a line of 3,000
     * after its command, are refused whole; 511 bytes fit. */
    static char line[4000];
    struct script_cmd cmd;
    char err[256];
    static const struct {
        const char *word;
        size_t n;
        int rc;
        const char *id;
    } longs[] = {
        {"scan ", 511, 0, ""},     /* 1 */
        {"scan ", 512, -1, "E180"}, /* 2 */
        {"text ", 2047, -1, "E180"},/* 3 */
        {"scan ", 3000, -1, "E188"},/* 4 */
        {"key ", 600, -1, "E188"},  /* 5 */
        {"shot ", 511, 0, ""},     /* 6 */
    };
    for (size_t i = 0; i < sizeof longs / sizeof *longs; i++) {
        size_t w = strlen(longs[i].word);
        memcpy(line, longs[i].word, w);
        memset(line + w, 'a', longs[i].n);
        line[w + longs[i].n] = 0;
        err[0] = 0;
        int rc = script_parse_line(line, 7, &cmd, err, sizeof err);
        if (!CHECK_INT(rc, longs[i].rc) || (rc && !CHECK(strncmp(err, longs[i].id, 4) == 0)))
            fprintf(stderr, "  long case %zu: %s\n", i + 1, err);
        if (rc == 0)
            CHECK_INT(cmd.len, longs[i].n);
    }
    /* A NUL inside a line as read. */
    static const char with_nul[] = "scan ab\0cd\n";
    CHECK_INT(script_check_line(with_nul, sizeof with_nul - 1, 9, err, sizeof err), -1);
    CHECK(strncmp(err, "E189: line 9:", 13) == 0);
    CHECK_INT(script_check_line("scan abcd\n", 10, 9, err, sizeof err), 0);
    return harness_done();
}

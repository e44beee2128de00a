/*
 * script.c — parsing the headless script format.
 */
#include "script.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "station.h"

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int script_unescape(const char *in, char *out, size_t outcap)
{
    size_t n = 0;
    for (const char *p = in; *p; p++) {
        int c = (unsigned char)*p;
        if (c == '\\') {
            p++;
            switch (*p) {
            case 'x': {
                int hi = hexval(p[1]), lo = hi >= 0 ? hexval(p[2]) : -1;
                if (hi < 0)
                    return -1;
                if (lo < 0) {
                    c = hi;
                    p += 1;
                } else {
                    c = hi * 16 + lo;
                    p += 2;
                }
                if (c == 0)
                    return -1;
                break;
            }
            case 't': c = '\t'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 'e': c = 0x1b; break;
            case '\\': c = '\\'; break;
            case '"': c = '"'; break;
            case '\'': c = '\''; break;
            default: return -1;
            }
        }
        if (n + 1 >= outcap)
            return -1;
        out[n++] = (char)c;
    }
    out[n] = 0;
    return (int)n;
}

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

int script_check_line(const char *line, size_t len, int lineno, char *err, size_t errlen)
{
    if (memchr(line, 0, len)) {
        snprintf(err, errlen, "E189: line %d: a NUL byte (use \\x escapes, never a raw NUL)",
                 lineno);
        return -1;
    }
    return 0;
}

int script_parse_line(const char *line, int lineno, struct script_cmd *cmd, char *err,
                      size_t errlen)
{
    memset(cmd, 0, sizeof *cmd);
    const char *p = skip_space(line);
    if (*p == 0 || *p == '#' || *p == '\r' || *p == '\n')
        return 0;
    char word[16];
    size_t w = 0;
    while (p[w] && !strchr(" \t\r\n", p[w]) && w < sizeof word - 1) {
        word[w] = p[w];
        w++;
    }
    word[w] = 0;
    const char *rest = skip_space(p + w);
    /* The argument runs to the end of the line; a trailing CR is not part of it.
     * Never cut: an argument too long for any command is an error. */
    size_t alen = strlen(rest);
    while (alen && (rest[alen - 1] == '\r' || rest[alen - 1] == '\n'))
        alen--;
    if (alen >= sizeof cmd->arg * 4) {
        snprintf(err, errlen, "E188: line %d: %zu bytes after \"%s\": longer than any command"
                              " takes",
                 lineno, alen, word);
        return -1;
    }
    char arg[sizeof cmd->arg * 4];
    memcpy(arg, rest, alen);
    arg[alen] = 0;

    if (!strcmp(word, "scan") || !strcmp(word, "text")) {
        cmd->op = word[0] == 's' ? SC_SCAN : SC_TEXT;
        int n = script_unescape(arg, cmd->arg, sizeof cmd->arg);
        if (n < 0) {
            snprintf(err, errlen, "E180: line %d: bad escape or text too long in \"%s\"", lineno,
                     arg);
            return -1;
        }
        if (n == 0) {
            snprintf(err, errlen, "E181: line %d: %s needs text", lineno, word);
            return -1;
        }
        cmd->len = (size_t)n;
        return 0;
    }
    if (!strcmp(word, "key") || !strcmp(word, "shot") || !strcmp(word, "expect")) {
        cmd->op = word[0] == 'k' ? SC_KEY : word[0] == 's' ? SC_SHOT : SC_EXPECT;
        /* one word: the name; trailing comments and spaces are not part of it */
        char *end = arg + strcspn(arg, " \t#");
        *end = 0;
        if (!arg[0]) {
            snprintf(err, errlen, "E182: line %d: %s needs a name", lineno, word);
            return -1;
        }
        if (strlen(arg) >= sizeof cmd->arg) {
            snprintf(err, errlen, "E188: line %d: a %s name of %zu bytes: at most %zu", lineno,
                     word, strlen(arg), sizeof cmd->arg - 1);
            return -1;
        }
        if (cmd->op == SC_EXPECT && screen_from_name(arg) < 0) {
            snprintf(err, errlen,
                     "E183: line %d: unknown screen \"%s\" (login, resume, scan, item, check, "
                     "summary, stats, operators)",
                     lineno, arg);
            return -1;
        }
        if (cmd->op == SC_SHOT && (strchr(arg, '/') || arg[0] == '.')) {
            snprintf(err, errlen, "E184: line %d: a shot name is a file name, not a path: \"%s\"",
                     lineno, arg);
            return -1;
        }
        cmd->len = strlen(arg); /* < sizeof cmd->arg, checked above */
        memcpy(cmd->arg, arg, cmd->len + 1);
        return 0;
    }
    if (!strcmp(word, "tap")) {
        char *e1, *e2;
        long x = strtol(arg, &e1, 10);
        long y = strtol(e1, &e2, 10);
        if (e1 == arg || e2 == e1 || *skip_space(e2) || x < 0 || y < 0 || x >= 1280 || y >= 800) {
            snprintf(err, errlen, "E185: line %d: tap needs X Y within 1280x800, got \"%s\"",
                     lineno, arg);
            return -1;
        }
        cmd->op = SC_TAP;
        cmd->x = (int)x;
        cmd->y = (int)y;
        return 0;
    }
    if (!strcmp(word, "wait")) {
        char *e;
        long long ms = strtoll(arg, &e, 10);
        if (e == arg || *skip_space(e) || ms < 0 || ms > 7LL * 24 * 3600 * 1000) {
            snprintf(err, errlen, "E186: line %d: wait needs milliseconds, got \"%s\"", lineno,
                     arg);
            return -1;
        }
        cmd->op = SC_WAIT;
        cmd->ms = ms;
        return 0;
    }
    if (!strcmp(word, "quit")) {
        cmd->op = SC_QUIT;
        return 0;
    }
    snprintf(err, errlen, "E187: line %d: unknown command \"%s\"", lineno, word);
    return -1;
}

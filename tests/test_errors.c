/*
 * test_errors.c — ERRORS.md lists every id the code emits, and no other.
 *
 * Reads every .c, .h and .sql file under app/, drivers/, ui/ and sync/ and
 * collects the ids (E123, W123, I123) the way the modules emit them:
 *
 *  - A string literal that starts with an id followed by ':', ' ', a
 *    full-width colon or the literal's end: "E123: …" in an error buffer,
 *    log_error("E123", …), a table of ids, a screen text "W759：…". In SQL,
 *    a quoted literal 'E740: …' (RAISE EXCEPTION). Comments do not count.
 *  - Ids made from a number: a module whose error function formats "E%d"
 *    passes the number as an argument. numeric_rules below says, per file,
 *    which call and which argument carries it; every whole number from 100
 *    to 999 in that argument is an id (both sides of a ?: count). A file
 *    that formats an id from a number and has no rule fails the test: add
 *    its rule.
 *
 * ERRORS.md lists an id with a table row whose first cell is that id alone:
 * "| E123 | what | what to do |" (a range such as "E100–E149" lists nothing).
 * Each emitted id without such a row fails,
 * with the file and line that emits it; each row whose id nothing emits
 * fails, with its line in ERRORS.md; an id with two rows fails. The last
 * lines name the missing and the stale ids on one line each.
 *
 * Run from the top of the repository (make test does). With --list it
 * prints every emitted id and where, and checks nothing.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

/* How a file builds ids from numbers: calls of `callee` carry the number in
 * argument `arg` (0-based). The callee "{" stands for a brace initializer
 * that starts with a string: its member `arg` is the number. */
struct numeric_rule {
    const char *file;
    const char *callee;
    int arg;
};

static const struct numeric_rule numeric_rules[] = {
    {"app/config.c", "fail", 1},       /* fail(p, 115, …) */
    {"app/config.c", "CHOICE", 3},     /* CHOICE(struct, field, "a|b", 112) in the key tables */
    {"app/config.c", "{", 7},          /* a struct key_spec written out: its err_id */
    {"app/core/rules.c", "fail", 1},   /* fail(v, 342, …) */
    {"app/core/rules.c", "get_id", 4}, /* get_id(v, obj, key, max, e_missing, e_bad) */
    {"app/core/rules.c", "get_id", 5},
    {"app/core/codes.c", "set_error", 1}, /* set_error(c, 510, …) */
};
#define NRULES (sizeof numeric_rules / sizeof *numeric_rules)

static const char *const roots[] = {"app", "drivers", "ui", "sync"};

/* ---- what was found ---------------------------------------------------- */

struct site {
    char id[5];
    char file[160];
    int line;
};

struct sites {
    struct site *v;
    size_t n, cap;
};

static void add_site(struct sites *s, const char *id, const char *file, int line)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        struct site *v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            fprintf(stderr, "out of memory\n");
            exit(1);
        }
        s->v = v;
        s->cap = cap;
    }
    struct site *e = &s->v[s->n++];
    memcpy(e->id, id, 4);
    e->id[4] = 0;
    snprintf(e->file, sizeof e->file, "%s", file);
    e->line = line;
}

static int site_cmp(const void *a, const void *b)
{
    const struct site *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (!c)
        c = strcmp(x->file, y->file);
    return c ? c : x->line - y->line;
}

/* Index of the first site with this id, or -1. `s` is sorted. */
static long find_id(const struct sites *s, const char *id)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(s->v[mid].id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n && strcmp(s->v[lo].id, id) == 0 ? (long)lo : -1;
}

static bool is_id_at(const char *p)
{
    return (p[0] == 'E' || p[0] == 'W' || p[0] == 'I') && isdigit((unsigned char)p[1]) &&
           isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]);
}

/* ---- reading a source file ---------------------------------------------- */

static int line_at(const char *text, const char *p)
{
    int line = 1;
    for (const char *q = text; q < p; q++)
        line += *q == '\n';
    return line;
}

/* A string literal's text starts with an id that ends where an id ends. */
static void literal_id(const char *lit, size_t len, const char *file, int line, struct sites *out)
{
    if (len < 4 || !is_id_at(lit))
        return;
    if (len == 4 || lit[4] == ':' || lit[4] == ' ' ||
        (len >= 7 && memcmp(lit + 4, "\xef\xbc\x9a", 3) == 0)) /* U+FF1A '：' */
        add_site(out, lit, file, line);
}

/*
 * Walk a C or SQL text: collect the ids that start string literals, and
 * return the "code view", a copy with comments and the insides of string
 * and character literals blanked (newlines kept), for the numeric rules.
 * The caller frees it.
 */
static char *scan_literals(const char *text, bool sql, const char *file, struct sites *out)
{
    size_t n = strlen(text);
    char *code = malloc(n + 1);
    if (!code)
        return NULL;
    memcpy(code, text, n + 1);
    size_t i = 0;
    while (i < n) {
        char c = text[i];
        if (c == '/' && text[i + 1] == '*') {
            const char *end = strstr(text + i + 2, "*/");
            size_t stop = end ? (size_t)(end - text) + 2 : n;
            for (; i < stop; i++)
                if (code[i] != '\n')
                    code[i] = ' ';
            continue;
        }
        if ((!sql && c == '/' && text[i + 1] == '/') || (sql && c == '-' && text[i + 1] == '-')) {
            for (; i < n && text[i] != '\n'; i++)
                code[i] = ' ';
            continue;
        }
        if (c == '"' || c == '\'') {
            size_t start = ++i;
            for (; i < n; i++) {
                if (!sql && text[i] == '\\' && i + 1 < n) {
                    code[i] = code[i + 1] = ' ';
                    i++;
                    continue;
                }
                if (text[i] == c) {
                    if (sql && text[i + 1] == c) { /* '' inside a SQL literal */
                        code[i] = code[i + 1] = ' ';
                        i++;
                        continue;
                    }
                    break;
                }
                if (text[i] == '\n' && !sql)
                    break; /* not a literal after all (a stray quote) */
                if (code[i] != '\n')
                    code[i] = ' ';
            }
            if (c == '"' || sql)
                literal_id(text + start, i - start, file, line_at(text, text + start), out);
            i++;
            continue;
        }
        i++;
    }
    return code;
}

static bool ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* The whole numbers 100..999 in code[from, to): ids of a numeric rule. */
static int numbers_in(const char *code, const char *text, size_t from, size_t to, const char *file,
                      struct sites *out)
{
    int found = 0;
    for (size_t i = from; i < to; i++) {
        if (!isdigit((unsigned char)code[i]) ||
            (i > 0 && (ident_char(code[i - 1]) || code[i - 1] == '.')))
            continue;
        size_t j = i;
        while (j < to && isdigit((unsigned char)code[j]))
            j++;
        if (j - i == 3 && code[i] != '0' && !(j < to && (ident_char(code[j]) || code[j] == '.'))) {
            char id[5] = {'E', code[i], code[i + 1], code[i + 2], 0};
            add_site(out, id, file, line_at(text, text + i));
            found++;
        }
        i = j;
    }
    return found;
}

/* From `open` (a '(' or '{' in code), find the bounds of top-level member
 * `arg`. Returns false when there are fewer members. */
static bool member_bounds(const char *code, size_t open, int arg, size_t *from, size_t *to)
{
    int depth = 0, member = 0;
    size_t start = open + 1;
    for (size_t i = open; code[i]; i++) {
        char c = code[i];
        if (c == '(' || c == '[' || c == '{') {
            depth++;
            continue;
        }
        if (c == ')' || c == ']' || c == '}') {
            if (--depth == 0) {
                if (member == arg) {
                    *from = start, *to = i;
                    return true;
                }
                return false;
            }
            continue;
        }
        if (c == ',' && depth == 1) {
            if (member == arg) {
                *from = start, *to = i;
                return true;
            }
            member++;
            start = i + 1;
        }
    }
    return false;
}

/* Apply one numeric rule to a file's code view. Returns how many ids. */
static int apply_rule(const struct numeric_rule *r, const char *code, const char *text,
                      const char *file, struct sites *out)
{
    int found = 0;
    size_t len = strlen(r->callee);
    bool brace = strcmp(r->callee, "{") == 0;
    for (const char *p = code; (p = strstr(p, r->callee)); p += len) {
        size_t at = (size_t)(p - code), open;
        if (brace) {
            const char *q = p + 1;
            while (*q == ' ' || *q == '\t' || *q == '\n')
                q++;
            if (*q != '"')
                continue;
            open = at;
        } else {
            if (at > 0 && ident_char(code[at - 1]))
                continue;
            const char *q = p + len;
            if (ident_char(*q))
                continue;
            while (*q == ' ' || *q == '\t')
                q++;
            if (*q != '(')
                continue;
            open = (size_t)(q - code);
        }
        size_t from, to;
        if (member_bounds(code, open, r->arg, &from, &to))
            found += numbers_in(code, text, from, to, file, out);
    }
    return found;
}

/* Does the file format an id from a number ("E%d", "W%03d" …)? */
static bool formats_numeric_id(const char *text)
{
    for (const char *p = text; (p = strchr(p, '"')); p++)
        if ((p[1] == 'E' || p[1] == 'W' || p[1] == 'I') && p[2] == '%')
            return true;
    return false;
}

static int rule_hits[NRULES];

static void scan_file(const char *path, struct sites *out)
{
    size_t n = strlen(path);
    bool sql = n > 4 && strcmp(path + n - 4, ".sql") == 0;
    char *text = harness_read_file(path, NULL);
    if (!CHECK(text != NULL)) {
        fprintf(stderr, "  cannot read %s\n", path);
        return;
    }
    char *code = scan_literals(text, sql, path, out);
    if (!CHECK(code != NULL)) {
        free(text);
        return;
    }
    bool ruled = false;
    for (size_t r = 0; r < NRULES; r++) {
        if (strcmp(numeric_rules[r].file, path) != 0)
            continue;
        ruled = true;
        rule_hits[r] += apply_rule(&numeric_rules[r], code, text, path, out);
    }
    if (!sql && !ruled)
        harness_check(!formats_numeric_id(text),
                      "formats an id from a number: add how it passes the number to "
                      "numeric_rules in tests/test_errors.c",
                      path, 0);
    free(code);
    free(text);
}

static int path_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every .c, .h and .sql file under dir, in name order. */
static void scan_tree(const char *dir, struct sites *out)
{
    DIR *d = opendir(dir);
    if (!CHECK(d != NULL)) {
        fprintf(stderr, "  cannot open folder %s (run from the top of the repository)\n", dir);
        return;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 32;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn)
                break;
            names = nn;
        }
        size_t need = strlen(dir) + strlen(e->d_name) + 2;
        if (!(names[count] = malloc(need)))
            break;
        snprintf(names[count++], need, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    qsort(names, count, sizeof *names, path_cmp);
    for (size_t i = 0; i < count; i++) {
        struct stat st;
        const char *p = names[i];
        size_t n = strlen(p);
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
            scan_tree(p, out);
        else if ((n > 2 && (strcmp(p + n - 2, ".c") == 0 || strcmp(p + n - 2, ".h") == 0)) ||
                 (n > 4 && strcmp(p + n - 4, ".sql") == 0))
            scan_file(p, out);
        free(names[i]);
    }
    free(names);
}

/* ---- ERRORS.md ---------------------------------------------------------- */

/* The ids of ERRORS.md's table rows (first cell one id), with their lines. */
static void read_listed(const char *text, struct sites *out)
{
    int line = 1;
    for (const char *p = text; *p; line++) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len > 1 && p[0] == '|') {
            const char *c = p + 1, *end = memchr(c, '|', len - 1);
            if (end) {
                while (c < end && *c == ' ')
                    c++;
                const char *e = end;
                while (e > c && e[-1] == ' ')
                    e--;
                if (e - c == 4 && is_id_at(c))
                    add_site(out, c, "ERRORS.md", line);
            }
        }
        p += len + (nl ? 1 : 0);
    }
}

/* ---- the scanner's own cases -------------------------------------------- */

static void check_scanner(void)
{
    static const struct {
        const char *text;
        bool sql;
        const char *want; /* the ids found, in order, space-separated */
    } cases[] = {
        /*  0 */ {"log_error(\"E921\", \"inspection not saved\");", false, "E921"},
        /*  1 */ {"set_err(err, n, \"E564: save failed\");", false, "E564"},
        /*  2 */ {"/* E211 in a comment */ // E212 too", false, ""},
        /*  3 */ {"x = \"see E219\"; y = \"E2199\";", false, ""},
        /*  4 */ {"t = \"W759\xef\xbc\x9a%s\"; u = \"I650 label\";", false, "W759 I650"},
        /*  5 */ {"RAISE EXCEPTION 'E740: role % is not registered'; -- 'E741: no'", true, "E740"},
        /*  6 */ {"q = 'it''s'; r = 'E746: append-only';", true, "E746"},
        /*  7 */ {"c = '\"'; s = \"E931: x\";", false, "E931"},
        /*  8 */ {"s = \"a \\\" E100: b\"; t = \"E101\";", false, "E101"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct sites s = {0};
        char *code = scan_literals(cases[i].text, cases[i].sql, "case", &s);
        char got[64] = "";
        for (size_t k = 0; k < s.n; k++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", k ? " " : "", s.v[k].id);
        if (!CHECK_STR(got, cases[i].want))
            fprintf(stderr, "  literal case %zu\n", i);
        free(code);
        free(s.v);
    }

    static const struct {
        const char *text;
        struct numeric_rule rule;
        const char *want;
    } numeric[] = {
        /*  0 */ {"return fail(p, 115, \"at most %d (100 max)\", 200);", {"f", "fail", 1}, "E115"},
        /*  1 */ {"fail(p, k->type == V_ID ? 107 : 122, \"x\");", {"f", "fail", 1}, "E107 E122"},
        /*  2 */ {"static int fail(struct parse *p, int id, ...)", {"f", "fail", 1}, ""},
        /*  3 */ {"{\"type\", CHOICE(struct s, type, \"a|b\", 112)},", {"f", "CHOICE", 3}, "E112"},
        /*  4 */ {"{\"dpi\", V_INT, 0, 0, 203, 300, \"203|300\", 120},", {"f", "{", 7}, "E120"},
        /*  5 */ {"get_id(v, obj, \"id\", MAX_ID_LEN, 331, 332);", {"f", "get_id", 5}, "E332"},
        /*  6 */ {"unfail(p, 115); fail (p, 0x123);", {"f", "fail", 1}, ""},
        /*  7 */ {"fail(p, 1234); fail(p, 1.5e2); fail(p, 099);", {"f", "fail", 1}, ""},
    };
    for (size_t i = 0; i < sizeof numeric / sizeof *numeric; i++) {
        struct sites s = {0};
        char *code = scan_literals(numeric[i].text, false, "case", &s);
        free(s.v);
        s = (struct sites){0};
        apply_rule(&numeric[i].rule, code, numeric[i].text, "case", &s);
        char got[64] = "";
        for (size_t k = 0; k < s.n; k++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", k ? " " : "", s.v[k].id);
        if (!CHECK_STR(got, numeric[i].want))
            fprintf(stderr, "  numeric case %zu\n", i);
        free(code);
        free(s.v);
    }
    CHECK(formats_numeric_id("snprintf(b, n, \"E%d: %s\", id, msg);"));
    CHECK(!formats_numeric_id("snprintf(b, n, \"E123: %s\", msg);"));
}

/* ---- main ------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    bool list = argc > 1 && strcmp(argv[1], "--list") == 0;
    if (!list)
        check_scanner();

    struct sites emitted = {0};
    for (size_t i = 0; i < sizeof roots / sizeof *roots; i++)
        scan_tree(roots[i], &emitted);
    qsort(emitted.v, emitted.n, sizeof *emitted.v, site_cmp);

    if (list) {
        for (size_t i = 0; i < emitted.n; i++)
            printf("%s %s:%d\n", emitted.v[i].id, emitted.v[i].file, emitted.v[i].line);
        free(emitted.v);
        return 0;
    }

    for (size_t r = 0; r < NRULES; r++)
        if (!CHECK(rule_hits[r] > 0))
            fprintf(stderr,
                    "  %s no longer builds ids with %s (argument %d): update "
                    "numeric_rules\n",
                    numeric_rules[r].file, numeric_rules[r].callee, numeric_rules[r].arg);

    char *doc = harness_read_file("ERRORS.md", NULL);
    if (!CHECK(doc != NULL)) {
        fprintf(stderr, "  cannot read ERRORS.md (run from the top of the repository)\n");
        free(emitted.v);
        return harness_done();
    }
    struct sites listed = {0};
    read_listed(doc, &listed);
    free(doc);
    qsort(listed.v, listed.n, sizeof *listed.v, site_cmp);

    /* Every emitted id has a row. */
    char missing[4096] = "", stale[4096] = "";
    int nmissing = 0, nstale = 0, distinct = 0;
    for (size_t i = 0; i < emitted.n; i++) {
        if (i > 0 && strcmp(emitted.v[i].id, emitted.v[i - 1].id) == 0)
            continue;
        distinct++;
        const struct site *e = &emitted.v[i];
        bool ok = find_id(&listed, e->id) >= 0;
        char what[80];
        snprintf(what, sizeof what, "%s is emitted here but has no line in ERRORS.md", e->id);
        if (!harness_check(ok, what, e->file, e->line)) {
            nmissing++;
            size_t m = strlen(missing);
            snprintf(missing + m, sizeof missing - m, " %s", e->id);
        }
    }
    CHECK(distinct > 100); /* the scanner found the code's ids at all */

    /* Every row names an emitted id, once. */
    for (size_t i = 0; i < listed.n; i++) {
        const struct site *l = &listed.v[i];
        if (i > 0 && strcmp(l->id, listed.v[i - 1].id) == 0) {
            char what[80];
            snprintf(what, sizeof what, "%s has a line already (line %d)", l->id,
                     listed.v[i - 1].line);
            harness_check(false, what, "ERRORS.md", l->line);
            continue;
        }
        bool ok = find_id(&emitted, l->id) >= 0;
        char what[80];
        snprintf(what, sizeof what, "%s has a line here but no code emits it", l->id);
        if (!harness_check(ok, what, "ERRORS.md", l->line)) {
            nstale++;
            size_t m = strlen(stale);
            snprintf(stale + m, sizeof stale - m, " %s", l->id);
        }
    }

    if (nmissing)
        fprintf(stderr, "test_errors: emitted but missing from ERRORS.md (%d):%s\n", nmissing,
                missing);
    if (nstale)
        fprintf(stderr, "test_errors: in ERRORS.md but emitted nowhere (%d):%s\n", nstale, stale);
    free(emitted.v);
    free(listed.v);
    return harness_done();
}

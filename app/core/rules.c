/*
 * rules.c — loading, validating and applying the grading rules.
 *
 * The file is parsed with cJSON, then walked once to build a `struct rules`
 * that owns copies of every string it keeps (cJSON's tree is freed before
 * returning). Validation is complete: a rules file that loads can be used
 * without further checks by the station, the store and the label; nothing in
 * it can make a save fail (ids fit their fields, are UTF-8 and hold no
 * control character).
 *
 * Strictness. Before cJSON sees the text, one scan refuses bytes that are
 * not UTF-8 and the escape \u0000 (which would silently end a string).
 * cJSON keeps a key given twice as two members and finds only the first:
 * every object's members are compared with their siblings (E344). Each
 * object's builder lists the keys it knows; any other is E343.
 *
 * Error positions. cJSON reports where a syntax error is, but keeps no
 * positions for values. For a semantic error we know the JSON path of the
 * offending value (we walk the tree along it), so we walk the *source text*
 * along the same path with a tiny skipping scanner (the text is known to be
 * valid JSON by then) and report the line where that value starts. A step of
 * the path may name the n-th member of a key (a key given twice). When the
 * path ends at a key that is missing, the line is that of the object that
 * lacks it. Messages read "E3NN: FILE:LINE: PATH: what is wrong".
 *
 * Conditions are evaluated in three values (holds, does not, not known yet):
 * a check not answered yet is not known, so the checklist's progress counts
 * the checks that may still be asked. A check that can never be asked is
 * found by walking the checklist over every reachable combination of the
 * answers its conditions look at (bounded; beyond the bound nothing is
 * refused).
 *
 * Error ids (E300–E399), one per distinct error:
 *   E300 cannot read file            E301 file too large
 *   E302 JSON syntax error           E303 top level is not an object
 *   E304 version missing/not string  E305 version empty or too long
 *   E306 bad return_window_days      E307 categories missing/not an array
 *   E308 categories empty            E309 category not an object
 *   E310 category id missing         E311 category id empty/too long
 *   E312 duplicate category id       E313 text not an object
 *   E314 text language not a string  E315 text has no "en" or "zh"
 *   E316 match missing/not an array  E317 bad glob in match
 *   E318 checks missing/not array    E319 checks empty
 *   E320 too many checks             E321 check not an object
 *   E322 check id missing            E323 check id empty/too long
 *   E324 duplicate check id          E325 aspect missing/not string
 *   E326 unknown aspect              E327 answers missing/not array
 *   E328 answers empty               E329 too many answers
 *   E330 answer not an object        E331 answer id missing
 *   E332 answer id empty/too long    E333 duplicate answer id
 *   E334 grade missing/not string    E335 unknown grade
 *   E336 defect not a string         E337 defect empty/too long
 *   E338 bad responsibility          E339 disposition missing/not object
 *   E340 disposition lacks a grade   E341 unknown disposition
 *   E342 out of memory               E343 unknown key
 *   E344 key given twice             E345 not UTF-8
 *   E346 NUL in a string, control character in an id
 *   E347 condition not an object     E348 condition names no check
 *   E349 condition names no answer   E350 bad value for a condition key
 *   E351 condition names no category E352 condition values not a list
 *   E353 when names a later check    E354 check can never be asked
 *   E355 end not a boolean           E356 bad photo
 *   E357 bad image                   E358 reasons not an array
 *   E359 reason not an object        E360 bad reason id
 *   E361 duplicate reason id         E362 quality not a boolean
 *   E363 confirmed_when not an array E364 defects not an object
 *   E365 bad defect code in defects  E366 bad override_reasons
 *   E367 override not an object      E368 bad override id
 *   E369 duplicate override id       E370 bad rules table or rule
 *   E371 bad then                    E372 bad return_type
 *   E373 bad resolution              E374 key not allowed in a condition
 *   E375 when on a category's first check
 *   E376 image cannot be opened      E377 image not a regular file
 *   E378 image not a PNG or JPEG     E379 image cut short or damaged
 */
#include "rules.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "utf8.h"

/* Field sizes the rest of the station stores these in (inspection.h). */
#define MAX_VERSION_LEN 31  /* inspection.rules_version[32] */
#define MAX_CATEGORY_LEN 63 /* inspection.category[64] */
#define MAX_ID_LEN                                                                                 \
    31                    /* answer_ref.check[32], answer_ref.answer[32], skipped[][32],           \
                             responsibility_reason[32] */
#define MAX_DEFECT_LEN 15 /* inspection.defects[][16] */
#define MAX_GLOB_LEN 63   /* a SKU is at most 63 characters */
#define MAX_REASON_LEN 63 /* inspection.reason[64] */
#define MAX_IMAGE_LEN 255
#define MAX_IMAGE_BYTES (16 * 1024 * 1024)
/* Answers are offered as number keys 1..n; a tenth could not be typed. */
#define MAX_ANSWERS 9
#define MAX_REASONS 64
#define MAX_RULES 256
#define MAX_FILE_BYTES (4 * 1024 * 1024)
#define MAX_WINDOW_DAYS 3650
#define MAX_DEPTH 12
/* The most answer combinations the never-asked walk keeps at one check. */
#define MAX_WALK_STATES 4096

static const char *const dispositions[] = {"restock",          "open_box",  "refurbish",
                                           "return_to_vendor", "liquidate", "scrap"};

/* One step of a JSON path: an object key (its nth member of that name, 0 the
 * first), or an array index when key is NULL. */
struct step {
    const char *key;
    int index;
    int nth;
};

struct vctx {
    const char *src; /* the JSON text, for locating errors */
    size_t srclen;
    const char *name; /* file name for messages */
    const char *dir;  /* the rules file's folder (images are looked for); NULL: none */
    char *err;
    size_t errlen;
    int depth;
    struct step path[MAX_DEPTH];
    const cJSON *root;     /* for looking up category ids */
    const cJSON *cat_json; /* the category being built, for its checks' ids */
    struct rules *rules;   /* being built: the categories so far */
};

/* ---- the text before parsing ------------------------------------------------ */

static int line_of(const char *src, const char *pos)
{
    int line = 1;
    for (const char *p = src; p < pos; p++)
        if (*p == '\n')
            line++;
    return line;
}

/* Refuse bytes that are not UTF-8 (E345) and the escape \u0000 (E346): the
 * first would reach the database and fail every save that uses it, the
 * second would cut a string short without a word. */
static int scan_text(const char *src, size_t len, const char *name, char *err, size_t errlen)
{
    bool in_string = false;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)src[i];
        if (c >= 0x80) {
            size_t n = utf8_decode(src + i, len - i, NULL);
            if (!n) {
                snprintf(err, errlen, "E345: %s:%d: the text is not UTF-8 (byte 0x%02X)", name,
                         line_of(src, src + i), c);
                return -1;
            }
            i += n;
            continue;
        }
        if (c == '"')
            in_string = !in_string;
        else if (in_string && c == '\\' && i + 1 < len) {
            if (src[i + 1] == 'u' && i + 5 < len && src[i + 2] == '0' && src[i + 3] == '0' &&
                src[i + 4] == '0' && src[i + 5] == '0') {
                snprintf(err, errlen, "E346: %s:%d: a string holds \\u0000, which would end it",
                         name, line_of(src, src + i));
                return -1;
            }
            i += 2;
            continue;
        }
        i++;
    }
    return 0;
}

/* ---- locating a JSON path in the source text ---------------------------- */

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* p at the opening quote; returns just after the closing quote. */
static const char *skip_string(const char *p, const char *end)
{
    for (p++; p < end; p++) {
        if (*p == '\\')
            p++;
        else if (*p == '"')
            return p + 1;
    }
    return end;
}

/* p at the first character of any value; returns just after it. */
static const char *skip_value(const char *p, const char *end)
{
    if (p >= end)
        return end;
    if (*p == '"')
        return skip_string(p, end);
    if (*p != '{' && *p != '[') {
        while (p < end && !strchr(",}] \t\r\n", *p))
            p++;
        return p;
    }
    int depth = 0;
    while (p < end) {
        if (*p == '"') {
            p = skip_string(p, end);
            continue;
        }
        if (*p == '{' || *p == '[')
            depth++;
        else if (*p == '}' || *p == ']') {
            if (--depth == 0)
                return p + 1;
        }
        p++;
    }
    return end;
}

/* Does the JSON string at p (opening quote) spell `key`? Handles the simple
 * escapes and \u00XX; other escapes never match. */
static int key_equals(const char *p, const char *end, const char *key)
{
    const char *k = key;
    for (p++; p < end && *p != '"'; p++) {
        char c = *p;
        if (c == '\\' && p + 1 < end) {
            p++;
            switch (*p) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'u':
                if (end - p >= 5 && p[1] == '0' && p[2] == '0') {
                    c = (char)strtol((char[]){p[3], p[4], 0}, NULL, 16);
                    p += 4;
                } else
                    return 0;
                break;
            default: c = *p; break;
            }
        }
        if (*k != c)
            return 0;
        k++;
    }
    return *k == 0;
}

/* The start of the value at `path[0..depth)` in src, or of the deepest
 * object or array on that path that exists. */
static const char *locate(const char *src, size_t len, const struct step *path, int depth)
{
    const char *end = src + len;
    const char *p = skip_ws(src, end);
    for (int d = 0; d < depth && p < end; d++) {
        const char *found = NULL;
        if (path[d].key && *p == '{') {
            const char *q = skip_ws(p + 1, end);
            int seen = 0;
            while (q < end && *q == '"') {
                int match = key_equals(q, end, path[d].key);
                q = skip_ws(skip_string(q, end), end);
                if (q < end && *q == ':')
                    q = skip_ws(q + 1, end);
                if (match && seen++ == path[d].nth) {
                    found = q;
                    break;
                }
                q = skip_ws(skip_value(q, end), end);
                if (q < end && *q == ',')
                    q = skip_ws(q + 1, end);
            }
        } else if (!path[d].key && *p == '[') {
            const char *q = skip_ws(p + 1, end);
            for (int i = 0; q < end && *q != ']'; i++) {
                if (i == path[d].index) {
                    found = q;
                    break;
                }
                q = skip_ws(skip_value(q, end), end);
                if (q < end && *q == ',')
                    q = skip_ws(q + 1, end);
            }
        }
        if (!found)
            break;
        p = found;
    }
    return p;
}

/* ---- error reporting ----------------------------------------------------- */

static void push_key_nth(struct vctx *v, const char *key, int nth)
{
    if (v->depth < MAX_DEPTH)
        v->path[v->depth] = (struct step){key, 0, nth};
    v->depth++;
}

static void push_key(struct vctx *v, const char *key)
{
    push_key_nth(v, key, 0);
}

static void push_index(struct vctx *v, int index)
{
    if (v->depth < MAX_DEPTH)
        v->path[v->depth] = (struct step){NULL, index, 0};
    v->depth++;
}

static void pop(struct vctx *v)
{
    v->depth--;
}

static void format_path(const struct vctx *v, char *out, size_t outlen)
{
    size_t n = 0;
    out[0] = 0;
    int depth = v->depth < MAX_DEPTH ? v->depth : MAX_DEPTH;
    for (int i = 0; i < depth && n < outlen; i++) {
        int w;
        if (v->path[i].key)
            w = snprintf(out + n, outlen - n, "%s%.40s", i ? "." : "", v->path[i].key);
        else
            w = snprintf(out + n, outlen - n, "[%d]", v->path[i].index);
        if (w < 0)
            break;
        n += (size_t)w;
    }
}

/* Write "E3NN: FILE:LINE: PATH: message" for the value at the current path.
 * Always returns -1. */
__attribute__((format(printf, 3, 4))) static int fail(struct vctx *v, int id, const char *fmt, ...)
{
    char msg[256], path[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    format_path(v, path, sizeof path);
    int depth = v->depth < MAX_DEPTH ? v->depth : MAX_DEPTH;
    int line = line_of(v->src, locate(v->src, v->srclen, v->path, depth));
    snprintf(v->err, v->errlen, "E%d: %s:%d: %s%s%s", id, v->name, line, path, path[0] ? ": " : "",
             msg);
    return -1;
}

static int oom(struct vctx *v)
{
    return fail(v, 342, "out of memory");
}

/* ---- keys ------------------------------------------------------------------ */

/* Whether `key` is one of the NULL-terminated `known`. */
static bool key_known(const char *key, const char *const *known)
{
    for (; *known; known++)
        if (strcmp(key, *known) == 0)
            return true;
    return false;
}

/* Every member of obj: not given twice (E344), and one of `known` (E343;
 * known NULL: any key). The first offender in file order is reported. */
static int check_members(struct vctx *v, const cJSON *obj, const char *const *known)
{
    for (const cJSON *m = obj->child; m; m = m->next) {
        int nth = 0;
        for (const cJSON *p = obj->child; p != m; p = p->next)
            nth += strcmp(p->string, m->string) == 0;
        if (nth) {
            push_key_nth(v, m->string, nth);
            return fail(v, 344, "\"%.40s\" is given twice: the station would use only one",
                        m->string);
        }
        if (known && !key_known(m->string, known)) {
            char list[200] = "";
            for (size_t n = 0; *known && n + 1 < sizeof list; known++)
                n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", *known);
            push_key(v, m->string);
            return fail(v, 343, "unknown key \"%.40s\"; known here: %s", m->string, list);
        }
    }
    return 0;
}

/* A key given twice anywhere below obj (texts, conditions, defects …): E344. */
static int check_duplicates(struct vctx *v, const cJSON *node)
{
    if (cJSON_IsObject(node)) {
        if (check_members(v, node, NULL))
            return -1;
        for (const cJSON *m = node->child; m; m = m->next) {
            push_key(v, m->string);
            if (check_duplicates(v, m))
                return -1;
            pop(v);
        }
    } else if (cJSON_IsArray(node)) {
        int i = 0;
        for (const cJSON *m = node->child; m; m = m->next, i++) {
            push_index(v, i);
            if (check_duplicates(v, m))
                return -1;
            pop(v);
        }
    }
    return 0;
}

/* ---- building ------------------------------------------------------------ */

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static void text_free(struct text *t)
{
    for (int i = 0; i < LANG_COUNT; i++)
        free((char *)t->s[i]);
}

/* A language tag as a text's key: "en", "zh", "fr", "zh-TW", "pt-BR" … */
static bool lang_tag(const char *k)
{
    size_t n = 0;
    while (k[n] >= 'a' && k[n] <= 'z')
        n++;
    if (n < 2 || n > 3)
        return false;
    for (const char *p = k + n; *p;) {
        if (*p++ != '-')
            return false;
        size_t m = 0;
        while ((p[m] >= 'a' && p[m] <= 'z') || (p[m] >= 'A' && p[m] <= 'Z') ||
               (p[m] >= '0' && p[m] <= '9'))
            m++;
        if (m < 1 || m > 8)
            return false;
        p += m;
    }
    return true;
}

/* A text object {"en": …, "zh": …}; other languages are allowed and not
 * kept. The key is pushed by the caller. */
static int build_text(struct vctx *v, const cJSON *obj, struct text *out)
{
    if (!cJSON_IsObject(obj))
        return fail(v, 313, "must be an object of language to text, e.g. {\"en\": \"…\"}");
    if (check_members(v, obj, NULL))
        return -1;
    for (const cJSON *m = obj->child; m; m = m->next)
        if (!lang_tag(m->string)) {
            push_key(v, m->string);
            return fail(v, 343,
                        "unknown key \"%.40s\": a text's keys are languages (\"en\", \"zh\")",
                        m->string);
        }
    int have = 0;
    for (const cJSON *m = obj->child; m; m = m->next) {
        int l = lang_from_name(m->string);
        push_key(v, m->string);
        if (!cJSON_IsString(m) || (l >= 0 && !m->valuestring[0])) {
            fail(v, 314, "must be a non-empty string");
            return -1;
        }
        pop(v);
        if (l < 0)
            continue;
        if (!(out->s[l] = dup_str(m->valuestring)))
            return oom(v);
        have++;
    }
    if (!have)
        return fail(v, 315, "needs an \"en\" or \"zh\" text");
    return 0;
}

/* An id holds no control character: it is printed, stored and sent. The key
 * is pushed. */
static int check_id_chars(struct vctx *v, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return fail(v, 346, "an id cannot hold a control character (0x%02X)", *p);
    return 0;
}

/* A required string member `key` of `obj`, 1..maxlen bytes, no control
 * character. The key stays pushed on failure (the caller returns at once). */
static const char *get_id(struct vctx *v, const cJSON *obj, const char *key, size_t maxlen,
                          int e_missing, int e_bad)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(obj, key);
    push_key(v, key);
    if (!cJSON_IsString(s)) {
        fail(v, e_missing, s ? "must be a string" : "is missing");
        return NULL;
    }
    size_t n = strlen(s->valuestring);
    if (n == 0 || n > maxlen) {
        fail(v, e_bad, "must be 1 to %zu characters, not %zu", maxlen, n);
        return NULL;
    }
    if (check_id_chars(v, s->valuestring))
        return NULL;
    pop(v);
    return s->valuestring;
}

/* ---- conditions ------------------------------------------------------------ */

/* What a condition may look at, where it stands. */
enum cond_scope {
    SCOPE_WHEN,      /* a check's when: the checks before it */
    SCOPE_CONFIRMED, /* a reason's confirmed_when: no reason_check, no responsibility */
    SCOPE_RESP_RULE, /* responsibility_rules: no responsibility */
    SCOPE_RES_RULE,  /* resolution_rules: everything */
};

static const struct {
    const char *name;
    enum cond_key key;
    enum aspect aspect;
} cond_keys[] = {
    {"grade", CK_GRADE, 0},
    {"cosmetic", CK_ASPECT, ASPECT_COSMETIC},
    {"functional", CK_ASPECT, ASPECT_FUNCTIONAL},
    {"completeness", CK_ASPECT, ASPECT_COMPLETENESS},
    {"category", CK_CATEGORY, 0},
    {"item_check", CK_ITEM_CHECK, 0},
    {"late", CK_LATE, 0},
    {"reason", CK_REASON, 0},
    {"reason_check", CK_REASON_CHECK, 0},
    {"responsibility", CK_RESPONSIBILITY, 0},
};
#define NUM_COND_KEYS ((int)(sizeof cond_keys / sizeof *cond_keys))

static void cond_free(struct rules_cond *c)
{
    for (int i = 0; i < c->nclauses; i++) {
        struct rules_clause *k = &c->clauses[i];
        free(k->check);
        for (int j = 0; j < k->nvalues; j++)
            free(k->values[j]);
        free(k->values);
    }
    free(c->clauses);
    c->clauses = NULL;
    c->nclauses = 0;
}

static int check_index(const struct rules_category *cat, const char *id)
{
    for (int i = 0; cat && i < cat->nchecks; i++)
        if (strcmp(cat->checks[i].id, id) == 0)
            return i;
    return -1;
}

static int answer_index(const struct rules_check *chk, const char *id)
{
    for (int i = 0; i < chk->nanswers; i++)
        if (strcmp(chk->answers[i].id, id) == 0)
            return i;
    return -1;
}

/* Whether a category of that id is in the file (all of them, built or not). */
static bool category_in_file(const struct vctx *v, const char *id)
{
    const cJSON *cats = cJSON_GetObjectItemCaseSensitive(v->root, "categories"), *c;
    cJSON_ArrayForEach(c, cats)
    {
        const cJSON *cid = cJSON_GetObjectItemCaseSensitive(c, "id");
        if (cJSON_IsString(cid) && strcmp(cid->valuestring, id) == 0)
            return true;
    }
    return false;
}

/* Whether the category's JSON has a check of that id (built or not yet). */
static bool json_has_check(const cJSON *cat, const char *id)
{
    const cJSON *checks = cJSON_GetObjectItemCaseSensitive(cat, "checks"), *c;
    cJSON_ArrayForEach(c, checks)
    {
        const cJSON *cid = cJSON_GetObjectItemCaseSensitive(c, "id");
        if (cJSON_IsString(cid) && strcmp(cid->valuestring, id) == 0)
            return true;
    }
    return false;
}

/* For a check key: whether a category in scope has the check (and, when
 * answer is not NULL, the answer in it). cat NULL: any category built. */
static bool scope_has(const struct vctx *v, const struct rules_category *cat, int upto,
                      const char *check, const char *answer)
{
    for (int c = 0; c < (cat ? 1 : v->rules->ncategories); c++) {
        const struct rules_category *k = cat ? cat : &v->rules->categories[c];
        int i = check_index(k, check);
        if (i < 0 || (upto >= 0 && i >= upto))
            continue;
        if (!answer || answer_index(&k->checks[i], answer) >= 0)
            return true;
    }
    return false;
}

static const char *scope_words(enum cond_scope scope)
{
    switch (scope) {
    case SCOPE_WHEN: return "a check's when";
    case SCOPE_CONFIRMED: return "confirmed_when";
    case SCOPE_RESP_RULE: return "responsibility_rules";
    case SCOPE_RES_RULE: return "resolution_rules";
    }
    return "";
}

/* One value of a clause: its bit (enumerated keys) or its string. The value
 * is pushed (as its index) by the caller. */
static int clause_value(struct vctx *v, struct rules_clause *k, const cJSON *val,
                        const struct rules_category *cat, int upto)
{
    const char *s = cJSON_IsString(val) ? val->valuestring : NULL;
    int bit = -1;
    switch (k->key) {
    case CK_CHECK:
        if (!s)
            return fail(v, 349, "must be an answer id of check \"%s\" or \"skipped\"", k->check);
        if (strcmp(s, "skipped") != 0 && !scope_has(v, cat, upto, k->check, s))
            return fail(v, 349, "check \"%s\" has no answer \"%.40s\"", k->check, s);
        break;
    case CK_GRADE:
    case CK_ASPECT:
        if (!s || !s[0] || s[1] || grade_from_char(s[0]) == GRADE_NONE)
            return fail(v, 350, "must be a grade: \"A\", \"B\", \"C\" or \"X\"");
        bit = grade_from_char(s[0]);
        break;
    case CK_CATEGORY:
        if (!s)
            return fail(v, 350, "must be a category id");
        if (!category_in_file(v, s))
            return fail(v, 351, "there is no category \"%.40s\"", s);
        break;
    case CK_ITEM_CHECK:
        bit = s ? item_check_from_name(s) : -1;
        if (bit < 0)
            return fail(v, 350,
                        "must be \"matched\", \"mismatched\", \"unverified\", \"skipped\" or "
                        "\"blind\"");
        break;
    case CK_LATE:
        if (!cJSON_IsBool(val))
            return fail(v, 350, "must be true or false");
        bit = cJSON_IsTrue(val) ? 1 : 0;
        break;
    case CK_REASON:
        if (!s || !s[0] || strlen(s) > MAX_REASON_LEN)
            return fail(v, 350, "must be a declared reason of 1 to %d characters", MAX_REASON_LEN);
        break;
    case CK_REASON_CHECK:
        bit = s ? reason_check_from_name(s) : -1;
        if (bit < 0)
            return fail(v, 350, "must be \"confirmed\", \"not_found\" or \"none\"");
        break;
    case CK_RESPONSIBILITY:
        bit = !s ? -1 : strcmp(s, "none") == 0 ? RESP_NONE : responsibility_from_name(s);
        if (bit < 0 || (s && !s[0]))
            return fail(v, 350,
                        "must be \"none\", \"merchant\", \"logistics\", \"customer\" or "
                        "\"platform\"");
        break;
    }
    if (bit >= 0) {
        k->mask |= 1u << bit;
        return 0;
    }
    char norm[MAX_REASON_LEN + 1];
    const char *keep = k->key == CK_REASON ? rules_reason_normalise(s, norm, sizeof norm) : s;
    if (!(k->values[k->nvalues] = dup_str(keep)))
        return oom(v);
    k->nvalues++;
    return 0;
}

/*
 * A condition object into *out. cat: the category whose checks it may name
 * (NULL: any category's, for the top-level rules and the reasons); upto >= 0:
 * only checks before that index (a check's when). The key holding it is
 * pushed by the caller.
 */
static int build_cond(struct vctx *v, const cJSON *obj, struct rules_cond *out,
                      enum cond_scope scope, const struct rules_category *cat, int upto)
{
    if (!cJSON_IsObject(obj))
        return fail(v, 347,
                    "a condition is an object of key to a list of values, e.g. "
                    "{\"power\": [\"no\"]}");
    if (check_members(v, obj, NULL))
        return -1;
    int n = cJSON_GetArraySize(obj);
    if (n > 0 && !(out->clauses = calloc((size_t)n, sizeof *out->clauses)))
        return oom(v);
    for (const cJSON *m = obj->child; m; m = m->next) {
        struct rules_clause *k = &out->clauses[out->nclauses++];
        push_key(v, m->string);
        int ck = -1;
        for (int i = 0; i < NUM_COND_KEYS && ck < 0; i++)
            if (strcmp(m->string, cond_keys[i].name) == 0)
                ck = i;
        if (ck >= 0) {
            k->key = cond_keys[ck].key;
            k->aspect = cond_keys[ck].aspect;
            if ((k->key == CK_RESPONSIBILITY && scope != SCOPE_RES_RULE) ||
                (k->key == CK_REASON_CHECK && scope == SCOPE_CONFIRMED))
                return fail(v, 374, "\"%s\" cannot be a condition in %s", m->string,
                            scope_words(scope));
        } else {
            k->key = CK_CHECK;
            if (!(k->check = dup_str(m->string)))
                return oom(v);
            bool exists = scope_has(v, cat, -1, m->string, NULL) ||
                          (scope == SCOPE_WHEN && json_has_check(v->cat_json, m->string));
            if (!exists)
                return fail(v, 348,
                            "no check \"%.40s\"%s: a condition's keys are check ids or grade, "
                            "cosmetic, functional, completeness, category, item_check, late, "
                            "reason, reason_check%s",
                            m->string, cat ? " in this category" : " in any category",
                            scope == SCOPE_RES_RULE ? ", responsibility" : "");
            if (upto >= 0 && !scope_has(v, cat, upto, m->string, NULL))
                return fail(v, 353,
                            "check \"%.40s\" is not before this one: a check's when can only "
                            "look at the answers given before it",
                            m->string);
        }
        int nv = cJSON_GetArraySize(m);
        if (!cJSON_IsArray(m) || nv == 0)
            return fail(v, 352, "must be a non-empty list of values, e.g. [\"A\", \"B\"]");
        if (!(k->values = calloc((size_t)nv, sizeof *k->values)))
            return oom(v);
        int i = 0;
        for (const cJSON *val = m->child; val; val = val->next, i++) {
            push_index(v, i);
            if (clause_value(v, k, val, cat, upto))
                return -1;
            pop(v);
        }
        pop(v);
    }
    return 0;
}

/* ---- evaluating conditions ------------------------------------------------- */

/* What a condition is evaluated over. */
struct ectx {
    const struct rules *r;
    const struct rules_category *cat;
    const int *answers; /* per check of cat */
    int upto;           /* the checks [0, upto) are looked at */
    enum item_check item_check;
    bool late;
    const char *reason; /* normalised; "" none */
    enum responsibility resp;
    bool walking; /* the never-asked walk: facts beyond the checklist may be anything */
    bool graded;  /* grade[] and pending[] hold the grades (computed, or the walk's) */
    enum grade grade[1 + ASPECT_COUNT]; /* [0] overall, [1 + aspect] each aspect's */
    bool pending[1 + ASPECT_COUNT];     /* a check of it is not answered yet */
};

static void ectx_grades(struct ectx *e)
{
    if (e->graded)
        return;
    e->graded = true;
    memset(e->grade, 0, sizeof e->grade);
    memset(e->pending, 0, sizeof e->pending);
    for (int i = 0; e->cat && e->answers && i < e->upto && i < e->cat->nchecks; i++) {
        const struct rules_check *chk = &e->cat->checks[i];
        int slot = 1 + (int)chk->aspect, a = e->answers[i];
        if (a == RULES_PENDING) {
            e->pending[0] = e->pending[slot] = true;
            continue;
        }
        if (a < 0 || a >= chk->nanswers)
            continue;
        enum grade g = chk->answers[a].grade;
        if (g > e->grade[0])
            e->grade[0] = g;
        if (g > e->grade[slot])
            e->grade[slot] = g;
    }
}

static bool has_value(const struct rules_clause *k, const char *s)
{
    for (int i = 0; i < k->nvalues; i++)
        if (strcmp(k->values[i], s) == 0)
            return true;
    return false;
}

static int cond_holds(struct ectx *e, const struct rules_cond *c);

/* The reason check over e: an enum reason_check, or -1 when not known yet;
 * *cond (may be NULL) the confirmed_when that decided it, -1 none. */
static int reason_check_of(struct ectx *e, int *cond)
{
    int dummy;
    if (!cond)
        cond = &dummy;
    *cond = -1;
    const struct rules_reason *rr = rules_reason(e->r, e->reason);
    if (!rr || !rr->quality)
        return REASON_CHECK_NONE;
    bool unknown = false;
    for (int k = 0; k < rr->nconfirmed; k++) {
        int h = cond_holds(e, &rr->confirmed_when[k]);
        if (h == 1) {
            *cond = k;
            return REASON_CHECK_CONFIRMED;
        }
        unknown |= h < 0;
    }
    if (unknown)
        return -1;
    *cond = rr->nconfirmed > 0 ? 0 : -1;
    return REASON_CHECK_NOT_FOUND;
}

/* One clause: 1 holds, 0 does not, -1 not known yet. */
static int clause_holds(struct ectx *e, const struct rules_clause *k)
{
    switch (k->key) {
    case CK_CHECK: {
        int i = check_index(e->cat, k->check);
        if (i < 0 || i >= e->upto)
            return 0; /* a check this category does not have holds no value */
        const struct rules_check *chk = &e->cat->checks[i];
        int a = e->answers ? e->answers[i] : RULES_PENDING;
        if (a == RULES_PENDING)
            return -1;
        if (a < 0 || a >= chk->nanswers)
            return has_value(k, "skipped");
        return has_value(k, chk->answers[a].id);
    }
    case CK_GRADE:
    case CK_ASPECT: {
        ectx_grades(e);
        int slot = k->key == CK_GRADE ? 0 : 1 + (int)k->aspect;
        if (e->pending[slot])
            return -1;
        return (int)((k->mask >> e->grade[slot]) & 1u);
    }
    case CK_CATEGORY: return e->cat && has_value(k, e->cat->id);
    case CK_ITEM_CHECK: return e->walking ? 1 : (int)((k->mask >> e->item_check) & 1u);
    case CK_LATE: return e->walking ? 1 : (int)((k->mask >> (e->late ? 1 : 0)) & 1u);
    case CK_REASON: return e->walking ? 1 : e->reason[0] && has_value(k, e->reason);
    case CK_REASON_CHECK: {
        if (e->walking)
            return 1;
        int rc = reason_check_of(e, NULL);
        return rc < 0 ? -1 : (int)((k->mask >> rc) & 1u);
    }
    case CK_RESPONSIBILITY: return (int)((k->mask >> e->resp) & 1u);
    }
    return 0;
}

static int cond_holds(struct ectx *e, const struct rules_cond *c)
{
    int result = 1;
    for (int i = 0; i < c->nclauses; i++) {
        int h = clause_holds(e, &c->clauses[i]);
        if (h == 0)
            return 0;
        if (h < 0)
            result = -1;
    }
    return result;
}

/* e over facts, looking at the checks [0, upto); norm holds the normalised
 * reason (MAX_REASON_LEN + 1 bytes). */
static void ectx_init(struct ectx *e, const struct rules *r, const struct rules_facts *f, int upto,
                      char *norm)
{
    memset(e, 0, sizeof *e);
    e->r = r;
    e->cat = f->cat;
    e->answers = f->answers;
    e->upto = upto;
    e->item_check = (unsigned)f->item_check < ITEM_CHECK_COUNT ? f->item_check : ITEM_CHECK_NONE;
    e->late = f->late;
    e->reason = rules_reason_normalise(f->reason, norm, MAX_REASON_LEN + 1);
    e->resp = (unsigned)f->responsibility < RESP_COUNT ? f->responsibility : RESP_NONE;
}

int rules_cond_eval(const struct rules *rules, const struct rules_cond *c,
                    const struct rules_facts *facts)
{
    struct ectx e;
    char norm[MAX_REASON_LEN + 1];
    ectx_init(&e, rules, facts, facts->cat ? facts->cat->nchecks : 0, norm);
    return cond_holds(&e, c);
}

/* ---- the checklist --------------------------------------------------------- */

static const char *const answer_keys[] = {"id",  "text",  "grade", "defect", "responsibility",
                                          "end", "photo", NULL};
static const char *const check_keys[] = {"id",   "aspect",       "text",  "answers",
                                         "when", "instructions", "image", NULL};
static const char *const category_keys[] = {
    "id", "name", "match", "checks", "disposition", "responsibility_rules", "resolution_rules",
    NULL};
static const char *const top_keys[] = {
    "version",          "return_window_days",   "categories",       "reasons", "defects",
    "override_reasons", "responsibility_rules", "resolution_rules", NULL};
static const char *const grade_keys[] = {"A", "B", "C", "X", NULL};
static const char *const reason_keys[] = {"id", "text", "quality", "confirmed_when", NULL};
static const char *const override_keys[] = {"id", "text", NULL};
static const char *const resp_rule_keys[] = {"when", "then", NULL};
static const char *const res_rule_keys[] = {"when", "return_type", "resolution", NULL};

static int build_answer(struct vctx *v, const cJSON *obj, struct rules_answer *a,
                        const struct rules_answer *siblings, int nsiblings)
{
    if (!cJSON_IsObject(obj))
        return fail(v, 330, "an answer must be an object");
    if (check_members(v, obj, answer_keys))
        return -1;
    const char *id = get_id(v, obj, "id", MAX_ID_LEN, 331, 332);
    if (!id)
        return -1;
    for (int i = 0; i < nsiblings; i++)
        if (strcmp(siblings[i].id, id) == 0) {
            push_key(v, "id");
            return fail(v, 333, "answer id \"%s\" is used twice in this check", id);
        }
    if (!(a->id = dup_str(id)))
        return oom(v);

    push_key(v, "text");
    if (build_text(v, cJSON_GetObjectItemCaseSensitive(obj, "text"), &a->text))
        return -1;
    pop(v);

    const cJSON *g = cJSON_GetObjectItemCaseSensitive(obj, "grade");
    push_key(v, "grade");
    if (!cJSON_IsString(g))
        return fail(v, 334, g ? "must be a string: \"A\", \"B\", \"C\" or \"X\"" : "is missing");
    a->grade =
        g->valuestring[0] && !g->valuestring[1] ? grade_from_char(g->valuestring[0]) : GRADE_NONE;
    if (a->grade == GRADE_NONE)
        return fail(v, 335, "\"%.20s\" is not a grade: use \"A\", \"B\", \"C\" or \"X\"",
                    g->valuestring);
    pop(v);

    const cJSON *d = cJSON_GetObjectItemCaseSensitive(obj, "defect");
    if (d && !cJSON_IsNull(d)) {
        push_key(v, "defect");
        if (!cJSON_IsString(d))
            return fail(v, 336, "must be a string (a defect code)");
        size_t n = strlen(d->valuestring);
        if (n == 0 || n > MAX_DEFECT_LEN)
            return fail(v, 337, "a defect code is 1 to %d characters, not %zu", MAX_DEFECT_LEN, n);
        if (check_id_chars(v, d->valuestring))
            return -1;
        pop(v);
        if (!(a->defect = dup_str(d->valuestring)))
            return oom(v);
    }

    const cJSON *r = cJSON_GetObjectItemCaseSensitive(obj, "responsibility");
    a->responsibility = RESP_NONE;
    if (r && !cJSON_IsNull(r)) {
        push_key(v, "responsibility");
        int resp =
            cJSON_IsString(r) && r->valuestring[0] ? responsibility_from_name(r->valuestring) : -1;
        if (resp <= 0)
            return fail(v, 338,
                        "must be \"merchant\", \"logistics\", \"customer\" or "
                        "\"platform\"");
        a->responsibility = (enum responsibility)resp;
        pop(v);
    }

    const cJSON *end = cJSON_GetObjectItemCaseSensitive(obj, "end");
    if (end) {
        push_key(v, "end");
        if (!cJSON_IsBool(end))
            return fail(v, 355, "must be true or false");
        a->end = cJSON_IsTrue(end);
        pop(v);
    }

    const cJSON *photo = cJSON_GetObjectItemCaseSensitive(obj, "photo");
    if (photo) {
        push_key(v, "photo");
        const char *p = cJSON_IsString(photo) ? photo->valuestring : "";
        a->photo = !strcmp(p, "required") ? 2 : !strcmp(p, "optional") ? 1 : 0;
        if (!a->photo)
            return fail(v, 356, "must be \"required\" or \"optional\"");
        pop(v);
    }
    return 0;
}

/* ---- images ---------------------------------------------------------------- */

/* An image's path under the rules file's folder (an absolute one as it is).
 * Returns -1 when it does not fit. */
static int image_join(const char *dir, const char *image, char *out, size_t outlen)
{
    int n;
    if (image[0] == '/' || !dir[0])
        n = snprintf(out, outlen, "%s", image);
    else
        n = snprintf(out, outlen, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", image);
    return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/* The CRC of a PNG chunk (ISO 3309, as zlib's crc32). */
static uint32_t png_crc(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    while (n--) {
        c ^= *p++;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* What is wrong with a PNG, from its first bytes (head, hn of them) and its
 * last ones (tail, tn); NULL when nothing. */
static const char *png_fault(const unsigned char *head, size_t hn, const unsigned char *tail,
                             size_t tn)
{
    static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};
    if (hn < 33 || be32(head + 8) != 13 || memcmp(head + 12, "IHDR", 4) != 0)
        return "no whole header (IHDR)";
    if (be32(head + 29) != png_crc(head + 12, 17) || be32(head + 16) == 0 || be32(head + 20) == 0)
        return "its header (IHDR) is damaged";
    if (hn < 45 || tn < sizeof iend || memcmp(tail + tn - sizeof iend, iend, sizeof iend) != 0)
        return "no end chunk (IEND)";
    return NULL;
}

/* The same for a JPEG: its first marker segment must be whole, its last
 * bytes the end of image (FF D9), zero bytes after it allowed. */
static const char *jpeg_fault(const unsigned char *head, size_t hn, const unsigned char *tail,
                              size_t tn, off_t size)
{
    if (hn < 6 || head[3] < 0xC0 || head[3] == 0xFF || ((unsigned)head[4] << 8 | head[5]) < 2 ||
        4 + ((off_t)head[4] << 8 | head[5]) > size)
        return "no whole first marker segment";
    while (tn > 2 && tail[tn - 1] == 0)
        tn--;
    if (tn < 2 || tail[tn - 2] != 0xFF || tail[tn - 1] != 0xD9)
        return "no end of image (EOI)";
    return NULL;
}

/* Where the last n bytes of a file of `size` bytes start. */
static off_t tail_at(off_t size, size_t n)
{
    return size > (off_t)n ? size - (off_t)n : 0;
}

/* The reference picture of a check, as the station will open it (E376–E379):
 * a readable regular file of at most MAX_IMAGE_BYTES that is a PNG (its
 * signature, a whole IHDR chunk with its CRC, the IEND chunk at the end) or
 * a JPEG (SOI, a whole first marker segment, EOI at the end). Only the first
 * and the last bytes are read: a file cut short is refused, its pixels are
 * the screen's business. The key "image" is pushed. */
static int check_image_file(struct vctx *v, const char *image)
{
    char path[RULES_MAX_IMAGE_PATH];
    if (image_join(v->dir, image, path, sizeof path))
        return fail(v, 376, "the path of the image under \"%s\" is longer than %d bytes", v->dir,
                    RULES_MAX_IMAGE_PATH - 1);
    /* Not blocking: a FIFO must not stop the load. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return fail(v, 376, "cannot open \"%s\": %s", path, strerror(errno));
    struct stat sb;
    unsigned char head[64], tail[16];
    ssize_t hn = -1, tn = -1;
    int rc = 0;
    if (fstat(fd, &sb) != 0)
        rc = fail(v, 376, "cannot read \"%s\": %s", path, strerror(errno));
    else if (S_ISDIR(sb.st_mode))
        rc = fail(v, 377, "\"%s\" is a folder, not a file", path);
    else if (!S_ISREG(sb.st_mode))
        rc = fail(v, 377, "\"%s\" is not a regular file", path);
    else if (sb.st_size > MAX_IMAGE_BYTES)
        rc = fail(v, 377, "\"%s\" is larger than 16 MiB", path);
    else if ((hn = pread(fd, head, sizeof head, 0)) < 0 ||
             (tn = pread(fd, tail, sizeof tail, tail_at(sb.st_size, sizeof tail))) < 0)
        rc = fail(v, 376, "cannot read \"%s\": %s", path, strerror(errno));
    close(fd);
    if (rc)
        return rc;
    const char *fault;
    static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    const char *kind;
    if (hn >= 8 && memcmp(head, png_sig, 8) == 0) {
        kind = "PNG";
        fault = png_fault(head, (size_t)hn, tail, (size_t)tn);
    } else if (hn >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF) {
        kind = "JPEG";
        fault = jpeg_fault(head, (size_t)hn, tail, (size_t)tn, sb.st_size);
    } else
        return fail(v, 378, "\"%s\" is neither a PNG nor a JPEG file", path);
    if (fault)
        return fail(v, 379, "\"%s\" is a %s file cut short or damaged: %s", path, kind, fault);
    return 0;
}

int rules_image_path(const struct rules *rules, const struct rules_check *c, char *out,
                     size_t outlen)
{
    if (!rules || !rules->dir || !c || !c->image || image_join(rules->dir, c->image, out, outlen)) {
        if (outlen)
            out[0] = 0;
        return -1;
    }
    return 0;
}

static int build_check(struct vctx *v, const cJSON *obj, struct rules_category *cat, int index)
{
    struct rules_check *c = &cat->checks[index];
    if (!cJSON_IsObject(obj))
        return fail(v, 321, "a check must be an object");
    if (check_members(v, obj, check_keys))
        return -1;
    const char *id = get_id(v, obj, "id", MAX_ID_LEN, 322, 323);
    if (!id)
        return -1;
    for (int i = 0; i < index; i++)
        if (strcmp(cat->checks[i].id, id) == 0) {
            push_key(v, "id");
            return fail(v, 324, "check id \"%s\" is used twice in this category", id);
        }
    if (!(c->id = dup_str(id)))
        return oom(v);

    const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, "aspect");
    push_key(v, "aspect");
    if (!cJSON_IsString(a))
        return fail(v, 325, a ? "must be a string" : "is missing");
    int aspect = aspect_from_name(a->valuestring);
    if (aspect < 0)
        return fail(v, 326,
                    "\"%.40s\" is not an aspect: use \"cosmetic\", \"functional\" or "
                    "\"completeness\"",
                    a->valuestring);
    c->aspect = (enum aspect)aspect;
    pop(v);

    push_key(v, "text");
    if (build_text(v, cJSON_GetObjectItemCaseSensitive(obj, "text"), &c->text))
        return -1;
    pop(v);

    const cJSON *answers = cJSON_GetObjectItemCaseSensitive(obj, "answers");
    push_key(v, "answers");
    if (!cJSON_IsArray(answers))
        return fail(v, 327, answers ? "must be an array" : "is missing");
    int n = cJSON_GetArraySize(answers);
    if (n == 0)
        return fail(v, 328, "a check needs at least one answer");
    if (n > MAX_ANSWERS)
        return fail(v, 329, "%d answers; at most %d (keys 1 to %d)", n, MAX_ANSWERS, MAX_ANSWERS);
    if (!(c->answers = calloc((size_t)n, sizeof *c->answers)))
        return oom(v);
    const cJSON *item;
    int i = 0;
    cJSON_ArrayForEach(item, answers)
    {
        push_index(v, i);
        c->nanswers = i + 1;
        if (build_answer(v, item, &c->answers[i], c->answers, i))
            return -1;
        pop(v);
        i++;
    }
    pop(v);

    const cJSON *when = cJSON_GetObjectItemCaseSensitive(obj, "when");
    if (when) {
        push_key(v, "when");
        /* Every checklist asks its first question: an inspection always
         * has an answer, so a grade. */
        if (index == 0)
            return fail(v, 375,
                        "the first check of a category is always asked: it cannot have "
                        "a when");
        c->has_when = true;
        if (build_cond(v, when, &c->when, SCOPE_WHEN, cat, index))
            return -1;
        pop(v);
    }
    const cJSON *instr = cJSON_GetObjectItemCaseSensitive(obj, "instructions");
    if (instr) {
        push_key(v, "instructions");
        if (build_text(v, instr, &c->instructions))
            return -1;
        pop(v);
    }
    const cJSON *image = cJSON_GetObjectItemCaseSensitive(obj, "image");
    if (image) {
        push_key(v, "image");
        size_t len = cJSON_IsString(image) ? strlen(image->valuestring) : 0;
        if (len == 0 || len > MAX_IMAGE_LEN)
            return fail(v, 357, "must be the path of a PNG or JPEG file, 1 to %d characters",
                        MAX_IMAGE_LEN);
        if (check_id_chars(v, image->valuestring))
            return -1;
        if (v->dir && check_image_file(v, image->valuestring))
            return -1;
        if (!(c->image = dup_str(image->valuestring)))
            return oom(v);
        pop(v);
    }
    return 0;
}

static int build_disposition(struct vctx *v, const cJSON *obj, struct rules_category *cat)
{
    push_key(v, "disposition");
    if (!cJSON_IsObject(obj))
        return fail(v, 339,
                    obj ? "must be an object mapping A, B, C and X to a disposition"
                        : "is missing");
    if (check_members(v, obj, grade_keys))
        return -1;
    for (int g = GRADE_A; g <= GRADE_X; g++) {
        const char *gname = grade_name((enum grade)g);
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(obj, gname);
        push_key(v, gname);
        if (!d)
            return fail(v, 340, "grade %s has no disposition", gname);
        size_t k = 0, nd = sizeof dispositions / sizeof *dispositions;
        while (cJSON_IsString(d) && k < nd && strcmp(d->valuestring, dispositions[k]) != 0)
            k++;
        if (!cJSON_IsString(d) || k == nd)
            return fail(v, 341,
                        "must be one of restock, open_box, refurbish, return_to_vendor, "
                        "liquidate, scrap");
        if (!(cat->disposition[g] = dup_str(dispositions[k])))
            return oom(v);
        pop(v);
    }
    pop(v);
    return 0;
}

/* A decision table (responsibility_rules or resolution_rules) of `obj`, if
 * it has one. cat: the category whose checks its conditions name (NULL: the
 * top level). */
static int build_table(struct vctx *v, const cJSON *obj, bool resolution,
                       const struct rules_category *cat, struct rules_rule **out, int *nout)
{
    const char *key = resolution ? "resolution_rules" : "responsibility_rules";
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!arr)
        return 0;
    push_key(v, key);
    int n = cJSON_GetArraySize(arr);
    if (!cJSON_IsArray(arr) || n > MAX_RULES)
        return fail(v, 370, "must be an array of at most %d rules", MAX_RULES);
    if (n > 0 && !(*out = calloc((size_t)n, sizeof **out)))
        return oom(v);
    int i = 0;
    for (const cJSON *item = arr->child; item; item = item->next, i++) {
        push_index(v, i);
        struct rules_rule *rule = &(*out)[(*nout)++];
        if (!cJSON_IsObject(item))
            return fail(v, 370,
                        resolution ? "a rule is an object {\"when\": …, \"return_type\": "
                                     "…, \"resolution\": …}"
                                   : "a rule is an object {\"when\": …, \"then\": …}");
        if (check_members(v, item, resolution ? res_rule_keys : resp_rule_keys))
            return -1;
        const cJSON *when = cJSON_GetObjectItemCaseSensitive(item, "when");
        if (when) {
            push_key(v, "when");
            if (build_cond(v, when, &rule->when, resolution ? SCOPE_RES_RULE : SCOPE_RESP_RULE, cat,
                           -1))
                return -1;
            pop(v);
        }
        if (!resolution) {
            const cJSON *then = cJSON_GetObjectItemCaseSensitive(item, "then");
            push_key(v, "then");
            const char *s = cJSON_IsString(then) ? then->valuestring : NULL;
            int r = !s || !s[0] ? -1 : !strcmp(s, "none") ? RESP_NONE : responsibility_from_name(s);
            if (r < 0)
                return fail(v, 371,
                            then ? "must be \"merchant\", \"logistics\", \"customer\", "
                                   "\"platform\" or \"none\""
                                 : "is missing: the responsibility this rule gives");
            rule->then = (enum responsibility)r;
            pop(v);
        } else {
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(item, "return_type");
            push_key(v, "return_type");
            int rt =
                cJSON_IsString(t) && t->valuestring[0] ? return_type_from_name(t->valuestring) : -1;
            if (rt <= 0)
                return fail(v, 372, t ? "must be \"quality\" or \"non_quality\"" : "is missing");
            rule->return_type = (enum return_type)rt;
            pop(v);
            const cJSON *res = cJSON_GetObjectItemCaseSensitive(item, "resolution");
            push_key(v, "resolution");
            int rs = cJSON_IsString(res) && res->valuestring[0]
                         ? resolution_from_name(res->valuestring)
                         : -1;
            if (rs <= 0)
                return fail(v, 373,
                            res ? "must be \"refund\", \"partial_refund\", \"exchange\", "
                                  "\"repair\", \"reject\" or \"investigate\""
                                : "is missing");
            rule->resolution = (enum resolution)rs;
            pop(v);
        }
        pop(v);
    }
    pop(v);
    return 0;
}

/* ---- checks that can never be asked ------------------------------------------ */

/* One way through the checklist so far, as far as the conditions look:
 * the answers of the checks some `when` names, the grades if some `when`
 * looks at grades, whether an answer ended the checklist. */
struct walk_state {
    signed char a[INSP_MAX_ANSWERS];
    unsigned char g[1 + ASPECT_COUNT];
    unsigned char ended;
};

static int walk_cmp(const void *x, const void *y)
{
    return memcmp(x, y, sizeof(struct walk_state));
}

/* Walk cat's checklist over every combination of answers that its
 * conditions tell apart; a check asked in none of them is E354. The
 * category is pushed. Gives up (refusing nothing) past MAX_WALK_STATES. */
static int walk_category(struct vctx *v, const struct rules_category *cat)
{
    int n = cat->nchecks;
    bool ref[INSP_MAX_ANSWERS] = {false}, grades = false, branches = false;
    for (int j = 0; j < n; j++) {
        const struct rules_check *chk = &cat->checks[j];
        for (int a = 0; a < chk->nanswers; a++)
            branches |= chk->answers[a].end;
        if (!chk->has_when)
            continue;
        branches = true;
        for (int k = 0; k < chk->when.nclauses; k++) {
            const struct rules_clause *cl = &chk->when.clauses[k];
            if (cl->key == CK_CHECK) {
                int i = check_index(cat, cl->check);
                if (i >= 0)
                    ref[i] = true;
            }
            grades |= cl->key == CK_GRADE || cl->key == CK_ASPECT;
        }
    }
    if (!branches)
        return 0;
    size_t ncur = 1, cap = MAX_WALK_STATES * MAX_ANSWERS;
    struct walk_state *cur = calloc(cap, sizeof *cur), *next = calloc(cap, sizeof *next);
    int rc = 0;
    if (!cur || !next) {
        rc = oom(v);
        goto out;
    }
    for (int j = 0; j < n; j++) {
        const struct rules_check *chk = &cat->checks[j];
        size_t nnext = 0;
        bool asked = false;
        for (size_t s = 0; s < ncur; s++) {
            struct walk_state st = cur[s];
            int h = 1;
            if (st.ended)
                h = 0;
            else if (chk->has_when) {
                int answers[INSP_MAX_ANSWERS];
                for (int k = 0; k < n; k++)
                    answers[k] = st.a[k];
                struct ectx e = {.r = v->rules,
                                 .cat = cat,
                                 .answers = answers,
                                 .upto = j,
                                 .reason = "",
                                 .walking = true,
                                 .graded = true};
                for (int g = 0; g <= ASPECT_COUNT; g++)
                    e.grade[g] = (enum grade)st.g[g];
                h = cond_holds(&e, &chk->when);
            }
            if (h == 0) {
                st.a[j] = ref[j] ? RULES_SKIPPED : 0;
                next[nnext++] = st;
                continue;
            }
            asked = true;
            for (int a = 0; a < chk->nanswers; a++) {
                struct walk_state t = st;
                t.a[j] = (signed char)(ref[j] ? a : 0);
                if (grades) {
                    unsigned char g = (unsigned char)chk->answers[a].grade;
                    if (g > t.g[0])
                        t.g[0] = g;
                    if (g > t.g[1 + chk->aspect])
                        t.g[1 + chk->aspect] = g;
                }
                t.ended |= chk->answers[a].end;
                next[nnext++] = t;
            }
        }
        if (!asked) {
            push_key(v, "checks");
            push_index(v, j);
            if (chk->has_when)
                push_key(v, "when");
            rc = fail(v, 354,
                      chk->has_when
                          ? "check \"%s\" can never be asked: its when never holds after the "
                            "answers before it can be given (or an answer with end comes first)"
                          : "check \"%s\" can never be asked: every way to it passes an answer "
                            "with \"end\": true",
                      chk->id);
            goto out;
        }
        qsort(next, nnext, sizeof *next, walk_cmp);
        size_t u = 0;
        for (size_t s = 0; s < nnext; s++)
            if (u == 0 || walk_cmp(&next[u - 1], &next[s]) != 0)
                next[u++] = next[s];
        if (u > MAX_WALK_STATES)
            goto out; /* too many ways to tell apart: refuse nothing */
        struct walk_state *t = cur;
        cur = next;
        next = t;
        ncur = u;
    }
out:
    free(cur);
    free(next);
    return rc;
}

static int build_category(struct vctx *v, const cJSON *obj, struct rules_category *cat,
                          const struct rules_category *siblings, int nsiblings)
{
    if (!cJSON_IsObject(obj))
        return fail(v, 309, "a category must be an object");
    if (check_members(v, obj, category_keys))
        return -1;
    v->cat_json = obj;
    const char *id = get_id(v, obj, "id", MAX_CATEGORY_LEN, 310, 311);
    if (!id)
        return -1;
    for (int i = 0; i < nsiblings; i++)
        if (strcmp(siblings[i].id, id) == 0) {
            push_key(v, "id");
            return fail(v, 312, "category id \"%s\" is used twice", id);
        }
    if (!(cat->id = dup_str(id)))
        return oom(v);

    push_key(v, "name");
    if (build_text(v, cJSON_GetObjectItemCaseSensitive(obj, "name"), &cat->name))
        return -1;
    pop(v);

    const cJSON *match = cJSON_GetObjectItemCaseSensitive(obj, "match");
    push_key(v, "match");
    if (!cJSON_IsArray(match))
        return fail(v, 316, match ? "must be an array of SKU patterns" : "is missing");
    int n = cJSON_GetArraySize(match);
    if (n > 0 && !(cat->match = calloc((size_t)n, sizeof *cat->match)))
        return oom(v);
    const cJSON *item;
    int i = 0;
    cJSON_ArrayForEach(item, match)
    {
        push_index(v, i);
        size_t len = cJSON_IsString(item) ? strlen(item->valuestring) : 0;
        if (len == 0 || len > MAX_GLOB_LEN)
            return fail(v, 317, "a SKU pattern is a string of 1 to %d characters", MAX_GLOB_LEN);
        if (!(cat->match[i] = dup_str(item->valuestring)))
            return oom(v);
        cat->nmatch = ++i;
        pop(v);
    }
    pop(v);

    const cJSON *checks = cJSON_GetObjectItemCaseSensitive(obj, "checks");
    push_key(v, "checks");
    if (!cJSON_IsArray(checks))
        return fail(v, 318, checks ? "must be an array" : "is missing");
    n = cJSON_GetArraySize(checks);
    if (n == 0)
        return fail(v, 319, "a category needs at least one check");
    if (n > INSP_MAX_ANSWERS)
        return fail(v, 320, "%d checks; at most %d", n, INSP_MAX_ANSWERS);
    if (!(cat->checks = calloc((size_t)n, sizeof *cat->checks)))
        return oom(v);
    i = 0;
    cJSON_ArrayForEach(item, checks)
    {
        push_index(v, i);
        cat->nchecks = i + 1;
        if (build_check(v, item, cat, i))
            return -1;
        pop(v);
        i++;
    }
    pop(v);
    if (walk_category(v, cat))
        return -1;

    if (build_disposition(v, cJSON_GetObjectItemCaseSensitive(obj, "disposition"), cat))
        return -1;
    if (build_table(v, obj, false, cat, &cat->resp_rules, &cat->nresp_rules) ||
        build_table(v, obj, true, cat, &cat->res_rules, &cat->nres_rules))
        return -1;
    v->cat_json = NULL;
    return 0;
}

/* ---- reasons, defects, override reasons ---------------------------------------- */

static int build_reasons(struct vctx *v, const cJSON *root, struct rules *r)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "reasons");
    if (!arr)
        return 0;
    push_key(v, "reasons");
    int n = cJSON_GetArraySize(arr);
    if (!cJSON_IsArray(arr) || n > MAX_REASONS)
        return fail(v, 358, "must be an array of at most %d reasons", MAX_REASONS);
    if (n > 0 && !(r->reasons = calloc((size_t)n, sizeof *r->reasons)))
        return oom(v);
    int i = 0;
    for (const cJSON *obj = arr->child; obj; obj = obj->next, i++) {
        push_index(v, i);
        struct rules_reason *rr = &r->reasons[r->nreasons++];
        if (!cJSON_IsObject(obj))
            return fail(v, 359,
                        "a reason must be an object {\"id\": …, \"text\": …, \"quality\": …}");
        if (check_members(v, obj, reason_keys))
            return -1;
        const char *id = get_id(v, obj, "id", MAX_REASON_LEN, 360, 360);
        if (!id)
            return -1;
        char norm[MAX_REASON_LEN + 1];
        rules_reason_normalise(id, norm, sizeof norm);
        push_key(v, "id");
        if (!norm[0])
            return fail(v, 360, "a reason id needs a letter or digit");
        for (int k = 0; k < i; k++)
            if (strcmp(r->reasons[k].id, norm) == 0)
                return fail(v, 361, "reason \"%s\" is listed twice", norm);
        pop(v);
        if (!(rr->id = dup_str(norm)))
            return oom(v);
        push_key(v, "text");
        if (build_text(v, cJSON_GetObjectItemCaseSensitive(obj, "text"), &rr->text))
            return -1;
        pop(v);
        const cJSON *q = cJSON_GetObjectItemCaseSensitive(obj, "quality");
        if (q) {
            push_key(v, "quality");
            if (!cJSON_IsBool(q))
                return fail(v, 362, "must be true (the product was at fault) or false");
            rr->quality = cJSON_IsTrue(q);
            pop(v);
        }
        const cJSON *cw = cJSON_GetObjectItemCaseSensitive(obj, "confirmed_when");
        if (cw) {
            push_key(v, "confirmed_when");
            int nc = cJSON_GetArraySize(cw);
            if (!cJSON_IsArray(cw))
                return fail(v, 363,
                            "must be an array of conditions; any one holding confirms "
                            "the reason");
            if (nc > 0 && !(rr->confirmed_when = calloc((size_t)nc, sizeof *rr->confirmed_when)))
                return oom(v);
            int k = 0;
            for (const cJSON *c = cw->child; c; c = c->next, k++) {
                push_index(v, k);
                rr->nconfirmed++;
                if (build_cond(v, c, &rr->confirmed_when[k], SCOPE_CONFIRMED, NULL, -1))
                    return -1;
                pop(v);
            }
            pop(v);
        }
        pop(v);
    }
    pop(v);
    return 0;
}

static int build_defects(struct vctx *v, const cJSON *root, struct rules *r)
{
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(root, "defects");
    if (!obj)
        return 0;
    push_key(v, "defects");
    if (!cJSON_IsObject(obj))
        return fail(v, 364,
                    "must be an object of defect code to its words, e.g. "
                    "{\"CRK\": {\"en\": \"Cracked screen\"}}");
    if (check_members(v, obj, NULL))
        return -1;
    int n = cJSON_GetArraySize(obj);
    if (n > 0 && !(r->defects = calloc((size_t)n, sizeof *r->defects)))
        return oom(v);
    for (const cJSON *m = obj->child; m; m = m->next) {
        struct rules_defect *d = &r->defects[r->ndefects++];
        push_key(v, m->string);
        size_t len = strlen(m->string);
        if (len == 0 || len > MAX_DEFECT_LEN)
            return fail(v, 365, "a defect code is 1 to %d characters, not %zu", MAX_DEFECT_LEN,
                        len);
        if (check_id_chars(v, m->string))
            return -1;
        if (!(d->code = dup_str(m->string)))
            return oom(v);
        if (build_text(v, m, &d->text))
            return -1;
        pop(v);
    }
    pop(v);
    return 0;
}

/* Why a grader may confirm another responsibility, when the file gives none. */
static const struct {
    const char *id, *en, *zh;
} builtin_overrides[] = {
    {"carrier_report", "Carrier damage report", "物流破损报告"},
    {"customer_statement", "Customer statement", "客户说明"},
    {"photo_evidence", "Photos of the damage", "破损照片"},
    {"merchant_evidence", "Merchant's evidence", "商家证据"},
    {"supervisor_decision", "Supervisor's decision", "主管决定"},
};

static int build_overrides(struct vctx *v, const cJSON *root, struct rules *r)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "override_reasons");
    if (!arr) {
        int n = (int)(sizeof builtin_overrides / sizeof *builtin_overrides);
        if (!(r->overrides = calloc((size_t)n, sizeof *r->overrides)))
            return oom(v);
        for (int i = 0; i < n; i++) {
            struct rules_override *o = &r->overrides[r->noverrides++];
            if (!(o->id = dup_str(builtin_overrides[i].id)) ||
                !(o->text.s[LANG_EN] = dup_str(builtin_overrides[i].en)) ||
                !(o->text.s[LANG_ZH] = dup_str(builtin_overrides[i].zh)))
                return oom(v);
        }
        return 0;
    }
    push_key(v, "override_reasons");
    int n = cJSON_GetArraySize(arr);
    if (!cJSON_IsArray(arr) || n < 1 || n > RULES_MAX_OVERRIDES)
        return fail(v, 366, "must be an array of 1 to %d reasons (keys 1 to %d on the summary)",
                    RULES_MAX_OVERRIDES, RULES_MAX_OVERRIDES);
    if (!(r->overrides = calloc((size_t)n, sizeof *r->overrides)))
        return oom(v);
    int i = 0;
    for (const cJSON *obj = arr->child; obj; obj = obj->next, i++) {
        push_index(v, i);
        struct rules_override *o = &r->overrides[r->noverrides++];
        if (!cJSON_IsObject(obj))
            return fail(v, 367, "an override reason is an object {\"id\": …, \"text\": …}");
        if (check_members(v, obj, override_keys))
            return -1;
        const char *id = get_id(v, obj, "id", MAX_ID_LEN, 368, 368);
        if (!id)
            return -1;
        for (int k = 0; k < i; k++)
            if (strcmp(r->overrides[k].id, id) == 0) {
                push_key(v, "id");
                return fail(v, 369, "override reason \"%s\" is listed twice", id);
            }
        if (!(o->id = dup_str(id)))
            return oom(v);
        push_key(v, "text");
        if (build_text(v, cJSON_GetObjectItemCaseSensitive(obj, "text"), &o->text))
            return -1;
        pop(v);
        pop(v);
    }
    pop(v);
    return 0;
}

static int build_rules(struct vctx *v, const cJSON *root, struct rules *r)
{
    if (!cJSON_IsObject(root))
        return fail(v, 303, "the rules must be a JSON object");
    if (check_duplicates(v, root) || check_members(v, root, top_keys))
        return -1;

    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "version");
    push_key(v, "version");
    if (!cJSON_IsString(ver))
        return fail(v, 304, ver ? "must be a string" : "is missing");
    size_t vl = strlen(ver->valuestring);
    if (vl == 0 || vl > MAX_VERSION_LEN)
        return fail(v, 305, "must be 1 to %d characters, not %zu", MAX_VERSION_LEN, vl);
    if (check_id_chars(v, ver->valuestring))
        return -1;
    if (!(r->version = dup_str(ver->valuestring)))
        return oom(v);
    pop(v);

    const cJSON *days = cJSON_GetObjectItemCaseSensitive(root, "return_window_days");
    r->return_window_days = 7;
    if (days) {
        push_key(v, "return_window_days");
        double d = cJSON_IsNumber(days) ? days->valuedouble : -1;
        if (!(d >= 1 && d <= MAX_WINDOW_DAYS) || d != (double)(int)d)
            return fail(v, 306, "must be a whole number of days from 1 to %d", MAX_WINDOW_DAYS);
        r->return_window_days = (int)d;
        pop(v);
    }

    const cJSON *cats = cJSON_GetObjectItemCaseSensitive(root, "categories");
    push_key(v, "categories");
    if (!cJSON_IsArray(cats))
        return fail(v, 307, cats ? "must be an array" : "is missing");
    int n = cJSON_GetArraySize(cats);
    if (n == 0)
        return fail(v, 308, "at least one category is needed");
    if (!(r->categories = calloc((size_t)n, sizeof *r->categories)))
        return oom(v);
    const cJSON *item;
    int i = 0;
    cJSON_ArrayForEach(item, cats)
    {
        push_index(v, i);
        r->ncategories = i + 1;
        if (build_category(v, item, &r->categories[i], r->categories, i))
            return -1;
        pop(v);
        i++;
    }
    pop(v);

    /* What names the categories' checks comes after them. */
    if (build_reasons(v, root, r) || build_defects(v, root, r) || build_overrides(v, root, r) ||
        build_table(v, root, false, NULL, &r->resp_rules, &r->nresp_rules) ||
        build_table(v, root, true, NULL, &r->res_rules, &r->nres_rules))
        return -1;
    return 0;
}

/* ---- public -------------------------------------------------------------- */

static void table_free(struct rules_rule *t, int n)
{
    for (int i = 0; i < n; i++)
        cond_free(&t[i].when);
    free(t);
}

void rules_free(struct rules *rules)
{
    if (!rules)
        return;
    for (int c = 0; c < rules->ncategories; c++) {
        struct rules_category *cat = &rules->categories[c];
        free(cat->id);
        text_free(&cat->name);
        for (int m = 0; m < cat->nmatch; m++)
            free(cat->match[m]);
        free(cat->match);
        for (int k = 0; k < cat->nchecks; k++) {
            struct rules_check *chk = &cat->checks[k];
            free(chk->id);
            text_free(&chk->text);
            for (int a = 0; a < chk->nanswers; a++) {
                free(chk->answers[a].id);
                text_free(&chk->answers[a].text);
                free(chk->answers[a].defect);
            }
            free(chk->answers);
            cond_free(&chk->when);
            text_free(&chk->instructions);
            free(chk->image);
        }
        free(cat->checks);
        for (int g = 0; g <= GRADE_X; g++)
            free(cat->disposition[g]);
        table_free(cat->resp_rules, cat->nresp_rules);
        table_free(cat->res_rules, cat->nres_rules);
    }
    free(rules->categories);
    for (int i = 0; i < rules->nreasons; i++) {
        struct rules_reason *rr = &rules->reasons[i];
        free(rr->id);
        text_free(&rr->text);
        for (int k = 0; k < rr->nconfirmed; k++)
            cond_free(&rr->confirmed_when[k]);
        free(rr->confirmed_when);
    }
    free(rules->reasons);
    for (int i = 0; i < rules->ndefects; i++) {
        free(rules->defects[i].code);
        text_free(&rules->defects[i].text);
    }
    free(rules->defects);
    for (int i = 0; i < rules->noverrides; i++) {
        free(rules->overrides[i].id);
        text_free(&rules->overrides[i].text);
    }
    free(rules->overrides);
    table_free(rules->resp_rules, rules->nresp_rules);
    table_free(rules->res_rules, rules->nres_rules);
    free(rules->version);
    free(rules->dir);
    free(rules);
}

/* A short, printable excerpt of the text at p for syntax-error messages. */
static void excerpt(const char *p, const char *end, char *out, size_t outlen)
{
    size_t n = 0;
    while (p < end && *p && *p != '\n' && n + 1 < outlen && n < 20) {
        unsigned char c = (unsigned char)*p++;
        out[n++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    out[n] = 0;
}

/* True when the text ends inside a string, object or array: the file was
 * cut short (cJSON then points at its last byte, which is not the culprit). */
static int ends_open(const char *p, const char *end)
{
    int depth = 0;
    while (p < end) {
        if (*p == '"') {
            for (p++; p < end && *p != '"'; p++)
                if (*p == '\\')
                    p++;
            if (p >= end)
                return 1; /* an unterminated string */
            p++;
            continue;
        }
        if (*p == '{' || *p == '[')
            depth++;
        else if (*p == '}' || *p == ']')
            depth--;
        p++;
    }
    return depth > 0;
}

/* rules_load_string, with the folder images are looked for in (NULL: none). */
static int load_text(const char *json, const char *name, const char *dir, struct rules **out,
                     char *err, size_t errlen)
{
    *out = NULL;
    if (errlen)
        err[0] = 0;
    if (!name)
        name = "rules";
    /* cJSON does not skip a UTF-8 byte-order mark; editors on Windows write one. */
    if ((unsigned char)json[0] == 0xEF && (unsigned char)json[1] == 0xBB &&
        (unsigned char)json[2] == 0xBF)
        json += 3;
    size_t len = strlen(json);
    if (scan_text(json, len, name, err, errlen))
        return -1;

    const char *stop = NULL;
    cJSON *root = cJSON_ParseWithOpts(json, &stop, 1);
    if (!root) {
        if (!stop || stop < json || stop > json + len)
            stop = json + len;
        /* cJSON's position is at the culprit, or one past it when a string
         * was expected (it had consumed the first byte). */
        const char *at = stop, *end = json + len;
        if (at > json && (at >= end || strchr(" \t\r\n", *at)) && !strchr(" \t\r\n", at[-1]))
            at--;
        char near[32];
        excerpt(at, end, near, sizeof near);
        if (stop + 1 >= end && ends_open(json, end)) {
            const char *last = end;
            while (last > json && strchr(" \t\r\n", last[-1]))
                last--;
            snprintf(err, errlen, "E302: %s:%d: JSON syntax error: the file ends too soon", name,
                     line_of(json, last > json ? last - 1 : json));
        } else if (near[0])
            snprintf(err, errlen, "E302: %s:%d: JSON syntax error near \"%s\"", name,
                     line_of(json, at), near);
        else
            snprintf(err, errlen, "E302: %s:%d: JSON syntax error", name, line_of(json, at));
        return -1;
    }

    struct vctx v = {.src = json,
                     .srclen = len,
                     .name = name,
                     .dir = dir,
                     .err = err,
                     .errlen = errlen,
                     .root = root};
    struct rules *r = calloc(1, sizeof *r);
    v.rules = r;
    int rc = r ? build_rules(&v, root, r) : oom(&v);
    cJSON_Delete(root);
    if (rc == 0 && dir && !(r->dir = dup_str(dir)))
        rc = oom(&v);
    if (rc) {
        rules_free(r);
        return -1;
    }
    *out = r;
    return 0;
}

int rules_load_string(const char *json, const char *name, struct rules **out, char *err,
                      size_t errlen)
{
    return load_text(json, name, NULL, out, err, errlen);
}

int rules_load_file(const char *path, struct rules **out, char *err, size_t errlen)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "E300: %s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    struct buf text = {0};
    int rc = -1;
    for (;;) {
        if (buf_reserve(&text, 65536) != 0) {
            snprintf(err, errlen, "E342: %s: out of memory", path);
            goto out;
        }
        size_t r = fread(text.data + text.len, 1, text.cap - text.len - 1, f);
        text.len += r;
        if (text.len > MAX_FILE_BYTES) {
            snprintf(err, errlen, "E301: %s: larger than %d bytes", path, MAX_FILE_BYTES);
            goto out;
        }
        if (r == 0)
            break;
    }
    if (ferror(f)) {
        snprintf(err, errlen, "E300: %s: cannot read: %s", path, strerror(errno));
        goto out;
    }
    text.data[text.len] = 0;
    const char *buf = text.data;
    size_t n = text.len;
    if (memchr(buf, 0, n)) {
        /* A NUL would silently end the text cJSON sees; call it what it is. */
        const char *z = memchr(buf, 0, n);
        snprintf(err, errlen, "E302: %s:%d: JSON syntax error: NUL byte in file", path,
                 line_of(buf, z));
        goto out;
    }
    /* Images are looked for beside the file: its folder as the path names it. */
    const char *slash = strrchr(path, '/');
    size_t dl = slash ? (slash == path ? 1 : (size_t)(slash - path)) : 0;
    char *dir = malloc(dl + 1);
    if (!dir) {
        snprintf(err, errlen, "E342: %s: out of memory", path);
        goto out;
    }
    memcpy(dir, path, dl);
    dir[dl] = 0;
    rc = load_text(buf, path, dir, out, err, errlen);
    free(dir);
out:
    buf_free(&text);
    fclose(f);
    return rc;
}

const struct rules_category *rules_match(const struct rules *rules, const char *sku)
{
    if (!rules || !sku)
        return NULL;
    for (int c = 0; c < rules->ncategories; c++)
        for (int m = 0; m < rules->categories[c].nmatch; m++)
            if (fnmatch(rules->categories[c].match[m], sku, 0) == 0)
                return &rules->categories[c];
    return NULL;
}

const struct rules_category *rules_category(const struct rules *rules, const char *id)
{
    if (!rules || !id)
        return NULL;
    for (int c = 0; c < rules->ncategories; c++)
        if (strcmp(rules->categories[c].id, id) == 0)
            return &rules->categories[c];
    return NULL;
}

void rules_grade(const struct rules_category *cat, const int *answers, struct grade_result *out)
{
    memset(out, 0, sizeof *out);
    out->grade = GRADE_NONE;
    out->responsibility = RESP_NONE;
    out->reason_cond = -1;
    out->resp_rule = RULE_FROM_ANSWERS;
    out->resp_check = -1;
    enum grade resp_grade = GRADE_NONE;
    for (int i = 0; cat && answers && i < cat->nchecks; i++) {
        const struct rules_check *chk = &cat->checks[i];
        /* A check not asked (RULES_SKIPPED) counts toward no grade; any
         * other index out of range cannot come from the station: skip it
         * rather than read outside the rules. */
        if (answers[i] < 0 || answers[i] >= chk->nanswers)
            continue;
        const struct rules_answer *a = &chk->answers[answers[i]];
        if (a->grade > out->grade)
            out->grade = a->grade;
        if (a->grade > out->aspect[chk->aspect])
            out->aspect[chk->aspect] = a->grade;
        /* Strictly worse only: the first in file order wins among equals. */
        if (a->responsibility != RESP_NONE && a->grade > resp_grade) {
            resp_grade = a->grade;
            out->responsibility = a->responsibility;
            out->resp_check = i;
        }
        if (a->defect && out->ndefects < INSP_MAX_DEFECTS) {
            int seen = 0;
            for (int d = 0; d < out->ndefects && !seen; d++)
                seen = strcmp(out->defects[d], a->defect) == 0;
            if (!seen)
                out->defects[out->ndefects++] = a->defect;
        }
    }
    out->disposition = cat && out->grade != GRADE_NONE ? cat->disposition[out->grade] : NULL;
}

/* The first rule of the category's table, then of the top level's, whose
 * condition holds: its index (*in_category says which table), or -1. */
static int first_match(struct ectx *e, const struct rules_rule *cat_rules, int ncat,
                       const struct rules_rule *top, int ntop, bool *in_category)
{
    for (int i = 0; i < ncat; i++)
        if (cond_holds(e, &cat_rules[i].when) == 1) {
            *in_category = true;
            return i;
        }
    for (int i = 0; i < ntop; i++)
        if (cond_holds(e, &top[i].when) == 1) {
            *in_category = false;
            return i;
        }
    return -1;
}

void rules_decide(const struct rules *rules, const struct rules_facts *facts,
                  struct grade_result *out)
{
    rules_grade(facts->cat, facts->answers, out);
    if (!rules || !facts->cat)
        return;
    struct ectx e;
    char norm[MAX_REASON_LEN + 1];
    ectx_init(&e, rules, facts, facts->cat->nchecks, norm);
    out->reason = rules_reason(rules, e.reason);
    int rc = reason_check_of(&e, &out->reason_cond);
    out->reason_check = rc < 0 ? REASON_CHECK_NONE : (enum reason_check)rc;
    const struct rules_category *cat = facts->cat;
    bool in_cat = false;
    int i = first_match(&e, cat->resp_rules, cat->nresp_rules, rules->resp_rules,
                        rules->nresp_rules, &in_cat);
    if (i >= 0) {
        out->responsibility = (in_cat ? cat->resp_rules : rules->resp_rules)[i].then;
        out->resp_rule = i;
        out->resp_rule_in_category = in_cat;
    }
}

void rules_resolve(const struct rules *rules, const struct rules_facts *facts,
                   struct resolution_result *out)
{
    memset(out, 0, sizeof *out);
    out->rule = -1;
    if (!rules || !facts->cat)
        return;
    struct ectx e;
    char norm[MAX_REASON_LEN + 1];
    ectx_init(&e, rules, facts, facts->cat->nchecks, norm);
    const struct rules_category *cat = facts->cat;
    bool in_cat = false;
    int i = first_match(&e, cat->res_rules, cat->nres_rules, rules->res_rules, rules->nres_rules,
                        &in_cat);
    if (i >= 0) {
        const struct rules_rule *rule = &(in_cat ? cat->res_rules : rules->res_rules)[i];
        out->return_type = rule->return_type;
        out->resolution = rule->resolution;
        out->rule = i;
        out->rule_in_category = in_cat;
    }
}

/* ---- branching ------------------------------------------------------------------ */

int rules_check_asked(const struct rules *rules, const struct rules_facts *facts, int i)
{
    const struct rules_category *cat = facts->cat;
    if (!cat || i < 0 || i >= cat->nchecks)
        return 0;
    bool may_have_ended = false;
    for (int k = 0; k < i; k++) {
        const struct rules_check *chk = &cat->checks[k];
        int a = facts->answers ? facts->answers[k] : RULES_PENDING;
        if (a >= 0 && a < chk->nanswers && chk->answers[a].end)
            return 0;
        if (a == RULES_PENDING)
            for (int j = 0; j < chk->nanswers; j++)
                may_have_ended |= chk->answers[j].end;
    }
    int h = 1;
    if (cat->checks[i].has_when) {
        struct ectx e;
        char norm[MAX_REASON_LEN + 1];
        ectx_init(&e, rules, facts, i, norm);
        h = cond_holds(&e, &cat->checks[i].when);
    }
    if (h == 0)
        return 0;
    return may_have_ended ? -1 : h;
}

int rules_next_check(const struct rules *rules, const struct rules_facts *facts, int *answers,
                     int after)
{
    const struct rules_category *cat = facts->cat;
    if (!cat)
        return 0;
    int n = cat->nchecks;
    if (after < -1)
        after = -1;
    for (int j = after + 1; j < n; j++)
        answers[j] = RULES_PENDING;
    struct rules_facts f = *facts;
    f.answers = answers;
    for (int j = after + 1; j < n; j++) {
        if (rules_check_asked(rules, &f, j) != 0)
            return j;
        answers[j] = RULES_SKIPPED;
    }
    return n;
}

int rules_expected_checks(const struct rules *rules, const struct rules_facts *facts)
{
    const struct rules_category *cat = facts->cat;
    if (!cat || !facts->answers)
        return 0;
    /* The answers given, and the questions still open each given its first
     * answer (in rules files the usual one): the checks asked that way. */
    int predicted[INSP_MAX_ANSWERS];
    struct rules_facts f = *facts;
    f.answers = predicted;
    int count = 0;
    for (int i = 0; i < cat->nchecks; i++)
        predicted[i] = facts->answers[i];
    for (int i = 0; i < cat->nchecks; i++) {
        if (predicted[i] == RULES_PENDING)
            predicted[i] = rules_check_asked(rules, &f, i) != 0 ? 0 : RULES_SKIPPED;
        count += predicted[i] >= 0;
    }
    return count;
}

/* ---- why ------------------------------------------------------------------------------ */

int rules_findings(const struct rules *rules, const struct rules_facts *facts,
                   const struct rules_cond *c, struct rules_finding *out, int max)
{
    if (!c || !facts->cat)
        return 0;
    struct ectx e;
    char norm[MAX_REASON_LEN + 1];
    ectx_init(&e, rules, facts, facts->cat->nchecks, norm);
    ectx_grades(&e);
    int n = 0;
    for (int i = 0; i < c->nclauses && n < max; i++) {
        const struct rules_clause *k = &c->clauses[i];
        struct rules_finding *f = &out[n];
        memset(f, 0, sizeof *f);
        f->key = k->key;
        switch (k->key) {
        case CK_CHECK: {
            int ci = check_index(facts->cat, k->check);
            if (ci < 0)
                continue;
            f->check = &facts->cat->checks[ci];
            int a = facts->answers ? facts->answers[ci] : RULES_SKIPPED;
            f->answer = a >= 0 && a < f->check->nanswers ? &f->check->answers[a] : NULL;
            break;
        }
        case CK_GRADE: f->grade = e.grade[0]; break;
        case CK_ASPECT:
            f->aspect = k->aspect;
            f->grade = e.grade[1 + k->aspect];
            break;
        case CK_ITEM_CHECK: f->item_check = e.item_check; break;
        case CK_LATE: f->late = e.late; break;
        case CK_RESPONSIBILITY: f->responsibility = e.resp; break;
        case CK_REASON_CHECK:
        case CK_REASON:
        case CK_CATEGORY: continue;
        }
        n++;
    }
    return n;
}

const struct rules_cond *rules_reason_cond(const struct grade_result *g)
{
    if (!g->reason || g->reason_cond < 0 || g->reason_cond >= g->reason->nconfirmed)
        return NULL;
    return &g->reason->confirmed_when[g->reason_cond];
}

const struct rules_cond *rules_resp_cond(const struct rules *rules,
                                         const struct rules_category *cat,
                                         const struct grade_result *g)
{
    if (g->resp_rule < 0)
        return NULL;
    if (g->resp_rule_in_category)
        return cat && g->resp_rule < cat->nresp_rules ? &cat->resp_rules[g->resp_rule].when : NULL;
    return rules && g->resp_rule < rules->nresp_rules ? &rules->resp_rules[g->resp_rule].when
                                                      : NULL;
}

/* ---- words ------------------------------------------------------------------------ */

char *rules_reason_normalise(const char *reason, char *out, size_t outlen)
{
    if (!outlen)
        return out;
    const char *p = reason ? reason : "";
    while (*p == ' ' || *p == '\t')
        p++;
    size_t n = strlen(p);
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    if (n >= outlen)
        n = utf8_cut(p, outlen - 1);
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        out[i] = c == ' ' || c == '-' ? '_' : c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    out[n] = 0;
    return out;
}

const struct rules_reason *rules_reason(const struct rules *rules, const char *declared)
{
    if (!rules || !declared || !declared[0])
        return NULL;
    char norm[MAX_REASON_LEN + 1];
    rules_reason_normalise(declared, norm, sizeof norm);
    for (int i = 0; i < rules->nreasons; i++)
        if (strcmp(rules->reasons[i].id, norm) == 0)
            return &rules->reasons[i];
    return NULL;
}

const struct text *rules_defect_text(const struct rules *rules, const char *code)
{
    for (int i = 0; rules && code && i < rules->ndefects; i++)
        if (strcmp(rules->defects[i].code, code) == 0)
            return &rules->defects[i].text;
    return NULL;
}

const struct rules_override *rules_override(const struct rules *rules, const char *id)
{
    for (int i = 0; rules && id && i < rules->noverrides; i++)
        if (strcmp(rules->overrides[i].id, id) == 0)
            return &rules->overrides[i];
    return NULL;
}

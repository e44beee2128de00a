/*
 * rules.c — loading, validating and applying the grading rules.
 *
 * The file is parsed with cJSON, then walked once to build a `struct rules`
 * that owns copies of every string it keeps (cJSON's tree is freed before
 * returning). Validation is complete: a rules file that loads can be used
 * without further checks by the station, the store and the label.
 *
 * Error positions. cJSON reports where a syntax error is, but keeps no
 * positions for values. For a semantic error we know the JSON path of the
 * offending value (we walk the tree along it), so we walk the *source text*
 * along the same path with a tiny skipping scanner (the text is known to be
 * valid JSON by then) and report the line where that value starts. When the
 * path ends at a key that is missing, the line is that of the object that
 * lacks it. Messages read "E3NN: FILE:LINE: PATH: what is wrong".
 *
 * Error ids (E300–E349), one per distinct error:
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
 *   E342 out of memory
 */
#include "rules.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* Field sizes the rest of the station stores these in (inspection.h). */
#define MAX_VERSION_LEN 31  /* inspection.rules_version[32] */
#define MAX_CATEGORY_LEN 63 /* inspection.category[64] */
#define MAX_ID_LEN 31       /* answer_ref.check[32], answer_ref.answer[32] */
#define MAX_DEFECT_LEN 15   /* inspection.defects[][16] */
#define MAX_GLOB_LEN 63     /* a SKU is at most 63 characters */
/* Answers are offered as number keys 1..n; a tenth could not be typed. */
#define MAX_ANSWERS 9
#define MAX_FILE_BYTES (4 * 1024 * 1024)
#define MAX_WINDOW_DAYS 3650
#define MAX_DEPTH 12

static const char *const dispositions[] = {"restock",          "open_box",  "refurbish",
                                           "return_to_vendor", "liquidate", "scrap"};

/* One step of a JSON path: an object key, or an array index when key is NULL. */
struct step {
    const char *key;
    int index;
};

struct vctx {
    const char *src; /* the JSON text, for locating errors */
    size_t srclen;
    const char *name; /* file name for messages */
    char *err;
    size_t errlen;
    int depth;
    struct step path[MAX_DEPTH];
};

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
 * escapes and \u00XX; keys we look for are plain ASCII. */
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
            while (q < end && *q == '"') {
                int match = key_equals(q, end, path[d].key);
                q = skip_ws(skip_string(q, end), end);
                if (q < end && *q == ':')
                    q = skip_ws(q + 1, end);
                if (match) {
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

static int line_of(const char *src, const char *pos)
{
    int line = 1;
    for (const char *p = src; p < pos; p++)
        if (*p == '\n')
            line++;
    return line;
}

/* ---- error reporting ----------------------------------------------------- */

static void push_key(struct vctx *v, const char *key)
{
    if (v->depth < MAX_DEPTH)
        v->path[v->depth] = (struct step){key, 0};
    v->depth++;
}

static void push_index(struct vctx *v, int index)
{
    if (v->depth < MAX_DEPTH)
        v->path[v->depth] = (struct step){NULL, index};
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
            w = snprintf(out + n, outlen - n, "%s%s", i ? "." : "", v->path[i].key);
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

/* A text object {"en": …, "zh": …}; other languages are ignored. The key is
 * pushed by the caller. */
static int build_text(struct vctx *v, const cJSON *obj, struct text *out)
{
    if (!cJSON_IsObject(obj))
        return fail(v, 313, "must be an object of language to text, e.g. {\"en\": \"…\"}");
    int have = 0;
    for (int l = 0; l < LANG_COUNT; l++) {
        const char *lname = lang_name((enum lang)l);
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(obj, lname);
        if (!s)
            continue;
        push_key(v, lname);
        if (!cJSON_IsString(s) || !s->valuestring[0]) {
            fail(v, 314, "must be a non-empty string");
            pop(v);
            return -1;
        }
        pop(v);
        if (!(out->s[l] = dup_str(s->valuestring)))
            return oom(v);
        have++;
    }
    if (!have)
        return fail(v, 315, "needs an \"en\" or \"zh\" text");
    return 0;
}

/* A required string member `key` of `obj`, 1..maxlen bytes. The key stays
 * pushed on failure (the caller returns at once). */
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
    pop(v);
    return s->valuestring;
}

static int build_answer(struct vctx *v, const cJSON *obj, struct rules_answer *a,
                        const struct rules_answer *siblings, int nsiblings)
{
    if (!cJSON_IsObject(obj))
        return fail(v, 330, "an answer must be an object");
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
    return 0;
}

static int build_check(struct vctx *v, const cJSON *obj, struct rules_check *c,
                       const struct rules_check *siblings, int nsiblings)
{
    if (!cJSON_IsObject(obj))
        return fail(v, 321, "a check must be an object");
    const char *id = get_id(v, obj, "id", MAX_ID_LEN, 322, 323);
    if (!id)
        return -1;
    for (int i = 0; i < nsiblings; i++)
        if (strcmp(siblings[i].id, id) == 0) {
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
    return 0;
}

static int build_disposition(struct vctx *v, const cJSON *obj, struct rules_category *cat)
{
    push_key(v, "disposition");
    if (!cJSON_IsObject(obj))
        return fail(v, 339,
                    obj ? "must be an object mapping A, B, C and X to a disposition"
                        : "is missing");
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

static int build_category(struct vctx *v, const cJSON *obj, struct rules_category *cat,
                          const struct rules_category *siblings, int nsiblings)
{
    if (!cJSON_IsObject(obj))
        return fail(v, 309, "a category must be an object");
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
        if (build_check(v, item, &cat->checks[i], cat->checks, i))
            return -1;
        pop(v);
        i++;
    }
    pop(v);

    return build_disposition(v, cJSON_GetObjectItemCaseSensitive(obj, "disposition"), cat);
}

static int build_rules(struct vctx *v, const cJSON *root, struct rules *r)
{
    if (!cJSON_IsObject(root))
        return fail(v, 303, "the rules must be a JSON object");

    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "version");
    push_key(v, "version");
    if (!cJSON_IsString(ver))
        return fail(v, 304, ver ? "must be a string" : "is missing");
    size_t vl = strlen(ver->valuestring);
    if (vl == 0 || vl > MAX_VERSION_LEN)
        return fail(v, 305, "must be 1 to %d characters, not %zu", MAX_VERSION_LEN, vl);
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
    return 0;
}

/* ---- public -------------------------------------------------------------- */

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
        }
        free(cat->checks);
        for (int g = 0; g <= GRADE_X; g++)
            free(cat->disposition[g]);
    }
    free(rules->categories);
    free(rules->version);
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

int rules_load_string(const char *json, const char *name, struct rules **out, char *err,
                      size_t errlen)
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

    struct vctx v = {.src = json, .srclen = len, .name = name, .err = err, .errlen = errlen};
    struct rules *r = calloc(1, sizeof *r);
    int rc = r ? build_rules(&v, root, r) : oom(&v);
    cJSON_Delete(root);
    if (rc) {
        rules_free(r);
        return -1;
    }
    *out = r;
    return 0;
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
    rc = rules_load_string(buf, path, out, err, errlen);
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
    enum grade resp_grade = GRADE_NONE;
    for (int i = 0; cat && answers && i < cat->nchecks; i++) {
        const struct rules_check *chk = &cat->checks[i];
        /* An index out of range cannot come from the station; skip it
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

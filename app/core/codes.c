/*
 * codes.c — what a scanned code means.
 *
 * Order of understanding (first that fits wins):
 *   1. an AIM symbology identifier "]Xm" (ISO/IEC 15424) is split off;
 *   2. GS1 symbologies (]C1 GS1-128, ]d2 GS1 DataMatrix, ]Q3 GS1 QR, ]e0 GS1
 *      DataBar, ]J1 GS1 DotCode) carry a GS1 element string, raw or in
 *      human-readable "(01)…" form; EAN/UPC symbologies (]E0, ]E3, ]E4) carry
 *      a GTIN with its check digit;
 *   3. otherwise, by the form of the text: "(NN)…" GS1 human-readable form,
 *      an http(s) URL (GS1 Digital Link, or a return link naming an RMA),
 *      "RMA:<code>", an RMA code, a GTIN-8/12/13/14 with a valid check
 *      digit, a GS1 element string without AIM id (it contains GS, or is
 *      "00"/"01"/"02" + a valid key and parses cleanly), a plate;
 *   4. else CODE_UNKNOWN, with the text kept for the station to judge.
 *
 * Malformed GS1 data is CODE_UNKNOWN with `error` set and no fields filled:
 * half a code must never be taken for a whole one.
 *
 * Error ids (E500–E549):
 *   E500 GS1 data does not start with an AI    E501 unknown Application Identifier
 *   E502 predefined-length field cut short     E503 GTIN check digit wrong
 *   E504 SSCC check digit wrong                E505 numeric field with non-digits
 *   E506 not a valid YYMMDD date               E507 field too long
 *   E508 field too short                       E509 character outside GS1 CSET 82
 *   E510 AI with no data                       E511 malformed "(AI)" form
 *   E512 one AI given twice with two values    E513 EAN/UPC data of wrong length
 *   E514 EAN/UPC check digit wrong             E515 bad GTIN/SSCC in a Digital Link
 *   E516 Digital Link AI without a value
 */
#include "codes.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

#define GS 0x1d
#define PLATE_MAX 47 /* struct scanned_code.plate[48] */

/* ---- small helpers ----------------------------------------------------- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}
static bool is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
static bool is_alnum(char c)
{
    return is_digit(c) || is_alpha(c);
}
static char to_upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return false;
    return n > 0;
}

static bool starts_ci(const char *s, size_t n, const char *prefix)
{
    size_t p = strlen(prefix);
    if (n < p)
        return false;
    for (size_t i = 0; i < p; i++)
        if (to_upper(s[i]) != to_upper(prefix[i]))
            return false;
    return true;
}

/* The n bytes at s spell `word` (reads s only when the lengths agree). */
static bool equals(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && memcmp(s, word, n) == 0;
}

/* Copy n bytes into a field of `size` bytes; the caller has checked n < size. */
static void set_field(char *dst, size_t size, const char *src, size_t n)
{
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
}

__attribute__((format(printf, 3, 4))) static int set_error(struct scanned_code *c, int id,
                                                           const char *fmt, ...)
{
    char msg[112];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(c->error, sizeof c->error, "E%d: %s", id, msg);
    return -1;
}

/* A printable excerpt of scanned bytes, for messages. */
static const char *show(const char *s, size_t n, char *buf, size_t buflen)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 4 < buflen; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == GS) {
            memcpy(buf + o, "<GS>", 4);
            o += 4;
        } else
            buf[o++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    buf[o] = 0;
    return buf;
}

bool codes_gs1_check_ok(const char *digits, size_t n)
{
    /* GS1 General Specifications §7.9.1: weights 3,1,3,… from the digit
     * next to the check digit leftwards; check = (10 - sum mod 10) mod 10. */
    if (!digits || n < 2 || !all_digits(digits, n))
        return false;
    int sum = 0, weight = 3;
    for (size_t i = n - 1; i-- > 0;) {
        sum += (digits[i] - '0') * weight;
        weight = 4 - weight;
    }
    return (10 - sum % 10) % 10 == digits[n - 1] - '0';
}

static int check_digit_of(const char *digits, size_t n)
{
    int sum = 0, weight = 3;
    for (size_t i = n - 1; i-- > 0;) {
        sum += (digits[i] - '0') * weight;
        weight = 4 - weight;
    }
    return (10 - sum % 10) % 10;
}

/* ---- forms of plain text -------------------------------------------------- */

/* "RMA-0001", "rma-0001", "RMA0001", "RMA 123-AB": the prefix RMA, then an
 * optional '-' or ' ', then letters, digits and '-', starting with a letter or
 * digit. Without a separator the body must start with a digit, so words that
 * merely begin with "rma" are not taken for codes. */
static bool rma_like(const char *s, size_t n)
{
    if (n < 4 || n > 63 || !starts_ci(s, n, "RMA"))
        return false;
    size_t i = 3;
    if (s[i] == '-' || s[i] == ' ')
        i++;
    else if (!is_digit(s[i]))
        return false;
    if (i >= n || !is_alnum(s[i]))
        return false;
    for (; i < n; i++)
        if (!is_alnum(s[i]) && s[i] != '-')
            return false;
    return true;
}

/* A value explicitly labelled as an RMA ("RMA:x", "?rma=x"): letters, digits,
 * '-' and ' ', 1..63 characters, starting with a letter or digit. */
static bool rma_value_ok(const char *s, size_t n)
{
    if (n < 1 || n > 63 || !is_alnum(s[0]))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_alnum(s[i]) && s[i] != '-' && s[i] != ' ')
            return false;
    return true;
}

static void set_rma(struct scanned_code *c, const char *s, size_t n)
{
    set_field(c->rma, sizeof c->rma, s, n);
    for (char *p = c->rma; *p; p++)
        *p = to_upper(*p);
}

/* "<station>-<seq>" as plate_format writes it: station of letters, digits and
 * '-' (1..31), then 6 or more digits (seq is zero-padded to 6). */
static bool plate_like(const char *s, size_t n)
{
    if (n > PLATE_MAX)
        return false;
    size_t dash = n;
    while (dash > 0 && s[dash - 1] != '-')
        dash--;
    if (dash < 2 || dash - 1 > 31) /* dash is one past the last '-' */
        return false;
    size_t digits = n - dash;
    if (digits < 6 || digits > 10 || !all_digits(s + dash, digits))
        return false;
    for (size_t i = 0; i + 1 < dash; i++)
        if (!is_alnum(s[i]) && s[i] != '-')
            return false;
    return is_alnum(s[0]);
}

/* ---- GS1 Application Identifiers -------------------------------------- */

enum ai_check { AI_PLAIN, AI_KEY, AI_DATE };

/*
 * Application Identifiers (GS1 General Specifications §3.2, "GS1 Application
 * Identifiers in numerical order"). `ai` is the AI, or the prefix of a family
 * (e.g. "31" for 3100–3199) when strlen(ai) < ai_len. `predefined` marks the
 * AIs whose length is predefined by their first two digits (§7.8.5, Figure
 * 7.8.5-2: 00–04, 11–20, 31–36, 41): they need no GS after them. All others
 * end at GS or at the end of the data, even when their length is fixed.
 * `cset`: 'N' digits only, 'X' GS1 AI encodable character set 82 (§7.11).
 */
struct ai_def {
    const char *ai;
    unsigned char ai_len, min, max;
    char cset;
    bool predefined;
    enum ai_check check;
};

static const struct ai_def ai_table[] = {
    {"00", 2, 18, 18, 'N', true, AI_KEY},   /* SSCC */
    {"01", 2, 14, 14, 'N', true, AI_KEY},   /* GTIN */
    {"02", 2, 14, 14, 'N', true, AI_KEY},   /* GTIN of contained trade items */
    {"10", 2, 1, 20, 'X', false, AI_PLAIN}, /* batch or lot */
    {"11", 2, 6, 6, 'N', true, AI_DATE},    /* production date */
    {"12", 2, 6, 6, 'N', true, AI_DATE},    /* due date */
    {"13", 2, 6, 6, 'N', true, AI_DATE},    /* packaging date */
    {"15", 2, 6, 6, 'N', true, AI_DATE},    /* best before */
    {"16", 2, 6, 6, 'N', true, AI_DATE},    /* sell by */
    {"17", 2, 6, 6, 'N', true, AI_DATE},    /* expiration date */
    {"20", 2, 2, 2, 'N', true, AI_PLAIN},   /* internal product variant */
    {"21", 2, 1, 20, 'X', false, AI_PLAIN}, /* serial number */
    {"22", 2, 1, 20, 'X', false, AI_PLAIN}, /* consumer product variant */
    {"235", 3, 1, 28, 'X', false, AI_PLAIN},
    {"240", 3, 1, 30, 'X', false, AI_PLAIN},
    {"241", 3, 1, 30, 'X', false, AI_PLAIN},
    {"242", 3, 1, 6, 'N', false, AI_PLAIN},
    {"243", 3, 1, 20, 'X', false, AI_PLAIN},
    {"250", 3, 1, 30, 'X', false, AI_PLAIN},
    {"251", 3, 1, 30, 'X', false, AI_PLAIN},
    {"253", 3, 13, 30, 'X', false, AI_PLAIN},
    {"254", 3, 1, 20, 'X', false, AI_PLAIN},
    {"255", 3, 13, 25, 'N', false, AI_PLAIN},
    {"30", 2, 1, 8, 'N', false, AI_PLAIN},
    {"31", 4, 6, 6, 'N', true, AI_PLAIN}, /* trade measures 310n–316n */
    {"32", 4, 6, 6, 'N', true, AI_PLAIN},
    {"33", 4, 6, 6, 'N', true, AI_PLAIN},
    {"34", 4, 6, 6, 'N', true, AI_PLAIN},
    {"35", 4, 6, 6, 'N', true, AI_PLAIN},
    {"36", 4, 6, 6, 'N', true, AI_PLAIN},
    {"37", 2, 1, 8, 'N', false, AI_PLAIN},
    {"390", 4, 1, 15, 'N', false, AI_PLAIN},
    {"391", 4, 4, 18, 'N', false, AI_PLAIN},
    {"392", 4, 1, 15, 'N', false, AI_PLAIN},
    {"393", 4, 4, 18, 'N', false, AI_PLAIN},
    {"394", 4, 4, 4, 'N', false, AI_PLAIN},
    {"395", 4, 6, 6, 'N', false, AI_PLAIN},
    {"400", 3, 1, 30, 'X', false, AI_PLAIN}, /* customer's purchase order */
    {"401", 3, 1, 30, 'X', false, AI_PLAIN},
    {"402", 3, 17, 17, 'N', false, AI_PLAIN},
    {"403", 3, 1, 30, 'X', false, AI_PLAIN},
    {"410", 3, 13, 13, 'N', true, AI_PLAIN},
    {"411", 3, 13, 13, 'N', true, AI_PLAIN},
    {"412", 3, 13, 13, 'N', true, AI_PLAIN},
    {"413", 3, 13, 13, 'N', true, AI_PLAIN},
    {"414", 3, 13, 13, 'N', true, AI_PLAIN},
    {"415", 3, 13, 13, 'N', true, AI_PLAIN},
    {"416", 3, 13, 13, 'N', true, AI_PLAIN},
    {"417", 3, 13, 13, 'N', true, AI_PLAIN},
    {"420", 3, 1, 20, 'X', false, AI_PLAIN},
    {"421", 3, 4, 12, 'X', false, AI_PLAIN},
    {"422", 3, 3, 3, 'N', false, AI_PLAIN},
    {"423", 3, 4, 15, 'N', false, AI_PLAIN},
    {"424", 3, 3, 3, 'N', false, AI_PLAIN},
    {"425", 3, 4, 15, 'N', false, AI_PLAIN},
    {"426", 3, 3, 3, 'N', false, AI_PLAIN},
    {"427", 3, 1, 3, 'X', false, AI_PLAIN},
    {"430", 4, 1, 70, 'X', false, AI_PLAIN}, /* ship-to / return-to details 430n–433n */
    {"431", 4, 1, 70, 'X', false, AI_PLAIN},
    {"432", 4, 1, 70, 'X', false, AI_PLAIN},
    {"433", 4, 1, 70, 'X', false, AI_PLAIN},
    {"7001", 4, 13, 13, 'N', false, AI_PLAIN},
    {"7002", 4, 1, 30, 'X', false, AI_PLAIN},
    {"7003", 4, 10, 10, 'N', false, AI_PLAIN},
    {"7004", 4, 1, 4, 'N', false, AI_PLAIN},
    {"7005", 4, 1, 12, 'X', false, AI_PLAIN},
    {"7006", 4, 6, 6, 'N', false, AI_PLAIN},
    {"7007", 4, 6, 12, 'N', false, AI_PLAIN},
    {"7008", 4, 1, 3, 'X', false, AI_PLAIN},
    {"7009", 4, 1, 10, 'X', false, AI_PLAIN},
    {"7010", 4, 1, 2, 'X', false, AI_PLAIN},
    {"7020", 4, 1, 20, 'X', false, AI_PLAIN},
    {"7021", 4, 1, 20, 'X', false, AI_PLAIN},
    {"7022", 4, 1, 20, 'X', false, AI_PLAIN},
    {"7023", 4, 1, 30, 'X', false, AI_PLAIN},
    {"703", 4, 4, 30, 'X', false, AI_PLAIN}, /* 7030–7039 */
    {"710", 3, 1, 20, 'X', false, AI_PLAIN},
    {"711", 3, 1, 20, 'X', false, AI_PLAIN},
    {"712", 3, 1, 20, 'X', false, AI_PLAIN},
    {"713", 3, 1, 20, 'X', false, AI_PLAIN},
    {"714", 3, 1, 20, 'X', false, AI_PLAIN},
    {"715", 3, 1, 20, 'X', false, AI_PLAIN},
    {"723", 4, 3, 30, 'X', false, AI_PLAIN}, /* 7230–7239 */
    {"8001", 4, 14, 14, 'N', false, AI_PLAIN},
    {"8002", 4, 1, 20, 'X', false, AI_PLAIN},
    {"8003", 4, 15, 30, 'X', false, AI_PLAIN},
    {"8004", 4, 1, 30, 'X', false, AI_PLAIN},
    {"8005", 4, 6, 6, 'N', false, AI_PLAIN},
    {"8006", 4, 18, 18, 'N', false, AI_PLAIN},
    {"8007", 4, 1, 34, 'X', false, AI_PLAIN},
    {"8008", 4, 9, 12, 'N', false, AI_PLAIN},
    {"8009", 4, 1, 50, 'X', false, AI_PLAIN},
    {"8010", 4, 1, 30, 'X', false, AI_PLAIN},
    {"8011", 4, 1, 12, 'N', false, AI_PLAIN},
    {"8012", 4, 1, 20, 'X', false, AI_PLAIN},
    {"8013", 4, 1, 25, 'X', false, AI_PLAIN},
    {"8017", 4, 18, 18, 'N', false, AI_PLAIN},
    {"8018", 4, 18, 18, 'N', false, AI_PLAIN},
    {"8019", 4, 1, 10, 'N', false, AI_PLAIN},
    {"8020", 4, 1, 25, 'X', false, AI_PLAIN}, /* payment slip reference */
    {"8026", 4, 18, 18, 'N', false, AI_PLAIN},
    {"8110", 4, 1, 70, 'X', false, AI_PLAIN},
    {"8111", 4, 4, 4, 'N', false, AI_PLAIN},
    {"8112", 4, 1, 70, 'X', false, AI_PLAIN},
    {"8200", 4, 1, 70, 'X', false, AI_PLAIN},
    {"90", 2, 1, 30, 'X', false, AI_PLAIN},
    {"91", 2, 1, 90, 'X', false, AI_PLAIN}, /* 91–99 company internal */
    {"92", 2, 1, 90, 'X', false, AI_PLAIN},
    {"93", 2, 1, 90, 'X', false, AI_PLAIN},
    {"94", 2, 1, 90, 'X', false, AI_PLAIN},
    {"95", 2, 1, 90, 'X', false, AI_PLAIN},
    {"96", 2, 1, 90, 'X', false, AI_PLAIN},
    {"97", 2, 1, 90, 'X', false, AI_PLAIN},
    {"98", 2, 1, 90, 'X', false, AI_PLAIN},
    {"99", 2, 1, 90, 'X', false, AI_PLAIN},
};

/* The AI that `s` (n bytes) starts with, or NULL. */
static const struct ai_def *ai_lookup(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof ai_table / sizeof *ai_table; i++) {
        const struct ai_def *d = &ai_table[i];
        size_t p = strlen(d->ai);
        if (n >= d->ai_len && memcmp(s, d->ai, p) == 0 &&
            (p == d->ai_len || all_digits(s + p, d->ai_len - p)))
            return d;
    }
    return NULL;
}

/* The AI spelled exactly by s (n bytes), or NULL: "01", "3103", … */
static const struct ai_def *ai_exact(const char *s, size_t n)
{
    const struct ai_def *d = ai_lookup(s, n);
    return d && d->ai_len == n ? d : NULL;
}

/* GS1 AI encodable character set 82 (GS1 General Specifications §7.11, Figure 7.11-1). */
static bool cset82(char c)
{
    return is_alnum(c) || (c && strchr("!\"%&'()*+,-./:;<=>?_", c));
}

/* YYMMDD (§7.12): month 01–12, day 00–31 within the month; DD 00 means the
 * last day of the month. The century of YY is not needed for validity
 * except for 29 February, where 20YY decides. */
static bool date_ok(const char *s)
{
    int yy = (s[0] - '0') * 10 + (s[1] - '0');
    int mm = (s[2] - '0') * 10 + (s[3] - '0');
    int dd = (s[4] - '0') * 10 + (s[5] - '0');
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mm < 1 || mm > 12 || dd > mdays[mm - 1])
        return false;
    if (mm == 2 && dd == 29 && yy % 4 != 0)
        return false;
    return true;
}

/* Validate one element string (AI + value) and keep what the station needs.
 * `ai` is the AI's digits (ai_len of them). */
static int gs1_element(struct scanned_code *c, const struct ai_def *d, const char *ai,
                       const char *v, size_t n)
{
    char b1[48];
    int ai_len = d->ai_len;
    if (n == 0)
        return set_error(c, 510, "AI (%.*s) has no data", ai_len, ai);
    if (n > d->max)
        return set_error(c, 507, "AI (%.*s) holds at most %d characters, got %zu", ai_len, ai,
                         d->max, n);
    if (n < d->min) {
        if (d->predefined)
            return set_error(c, 502, "AI (%.*s) needs %d digits, data ends after %zu", ai_len, ai,
                             d->min, n);
        return set_error(c, 508, "AI (%.*s) needs at least %d characters, got %zu", ai_len, ai,
                         d->min, n);
    }
    for (size_t i = 0; i < n; i++) {
        if (d->cset == 'N' && !is_digit(v[i]))
            return set_error(c, 505, "AI (%.*s) takes digits only: \"%s\"", ai_len, ai,
                             show(v, n, b1, sizeof b1));
        if (d->cset == 'X' && !cset82(v[i]))
            return set_error(c, 509, "AI (%.*s): character 0x%02x is not allowed in GS1 data",
                             ai_len, ai, (unsigned char)v[i]);
    }
    if (d->check == AI_DATE && !date_ok(v))
        return set_error(c, 506, "AI (%.*s): %.6s is not a date (YYMMDD)", ai_len, ai, v);
    if (d->check == AI_KEY && !codes_gs1_check_ok(v, n))
        return set_error(c, ai[1] == '0' ? 504 : 503, "%s %.*s: wrong check digit (should be %d)",
                         ai[1] == '0' ? "SSCC" : "GTIN", (int)n, v, check_digit_of(v, n));

    /* Keep the fields the station uses; a repeated AI must repeat its value
     * (GS1 General Specifications §4.14, duplicate AIs). */
    char *field = NULL;
    size_t size = 0;
    size_t al = (size_t)ai_len; /* compare only the AI's own digits */
    if (equals(ai, al, "00"))
        field = c->sscc, size = sizeof c->sscc;
    else if (equals(ai, al, "01") || equals(ai, al, "02"))
        field = c->gtin, size = sizeof c->gtin;
    else if (equals(ai, al, "10"))
        field = c->batch, size = sizeof c->batch;
    else if (equals(ai, al, "17"))
        field = c->expiry, size = sizeof c->expiry;
    else if (equals(ai, al, "21"))
        field = c->serial, size = sizeof c->serial;
    else if ((equals(ai, al, "400") || equals(ai, al, "8020")) && rma_like(v, n)) {
        /* A customer PO or payment slip reference that is an RMA: the
         * return label carries its authorisation in GS1 form. */
        char up[64];
        set_field(up, sizeof up, v, n);
        for (char *p = up; *p; p++)
            *p = to_upper(*p);
        if (c->rma[0] && strcmp(c->rma, up) != 0)
            return set_error(c, 512, "two different RMAs: %s and %s", c->rma, up);
        set_field(c->rma, sizeof c->rma, up, n);
        return 0;
    }
    if (field) {
        if (field[0] && (strlen(field) != n || memcmp(field, v, n) != 0))
            return set_error(c, 512, "AI (%.*s) given twice with different values", ai_len, ai);
        set_field(field, size, v, n);
    }
    return 0;
}

/* A raw element string: AIs back to back, GS after variable-length fields
 * (GS1 General Specifications §7.8.5; FNC1 is transmitted as GS, §5.4.3.4). */
static int gs1_parse_raw(struct scanned_code *c, const char *s, size_t n)
{
    char b1[48];
    size_t i = 0;
    int count = 0;
    while (i < n) {
        if (s[i] == GS) { /* a leading FNC1, a separator, or a trailing one */
            i++;
            continue;
        }
        if (n - i < 2 || !is_digit(s[i]) || !is_digit(s[i + 1]))
            return set_error(c, 500, "not a GS1 element string at \"%s\"",
                             show(s + i, n - i < 12 ? n - i : 12, b1, sizeof b1));
        const struct ai_def *d = ai_lookup(s + i, n - i);
        if (!d) {
            size_t k = 0;
            while (k < 4 && i + k < n && is_digit(s[i + k]))
                k++;
            return set_error(c, 501, "unknown Application Identifier (%.*s…)", (int)k, s + i);
        }
        const char *ai = s + i;
        i += d->ai_len;
        size_t len;
        if (d->predefined) {
            len = n - i < d->max ? n - i : d->max;
            const char *gs = memchr(s + i, GS, len);
            if (gs)
                len = (size_t)(gs - (s + i));
        } else {
            const char *gs = memchr(s + i, GS, n - i);
            len = gs ? (size_t)(gs - (s + i)) : n - i;
        }
        if (gs1_element(c, d, ai, s + i, len))
            return -1;
        i += len;
        count++;
    }
    if (!count)
        return set_error(c, 500, "empty GS1 element string");
    return 0;
}

/* Human-readable form "(01)09506000134352(21)ABC" (§4.15). A value runs to
 * the next "(" that opens a 2–4 digit AI followed by ")". */
static size_t hri_ai_at(const char *s, size_t n, size_t i)
{
    /* Length of "(digits)" at i, or 0. */
    if (i >= n || s[i] != '(')
        return 0;
    size_t k = 1;
    while (i + k < n && k <= 5 && is_digit(s[i + k]))
        k++;
    if (k < 3 || k > 5 || i + k >= n || s[i + k] != ')')
        return 0;
    return k + 1;
}

static int gs1_parse_hri(struct scanned_code *c, const char *s, size_t n)
{
    char b1[48];
    size_t i = 0;
    while (i < n) {
        size_t h = hri_ai_at(s, n, i);
        if (!h)
            return set_error(c, 511, "expected \"(AI)\" at \"%s\"",
                             show(s + i, n - i < 12 ? n - i : 12, b1, sizeof b1));
        const char *ai = s + i + 1;
        const struct ai_def *d = ai_exact(ai, h - 2);
        if (!d)
            return set_error(c, 501, "unknown Application Identifier (%.*s)", (int)(h - 2), ai);
        i += h;
        size_t end = i;
        while (end < n && !hri_ai_at(s, n, end))
            end++;
        if (gs1_element(c, d, ai, s + i, end - i))
            return -1;
        i = end;
    }
    return 0;
}

/* ---- URLs: GS1 Digital Link and return links ---------------------------- */

static int hexval(char c)
{
    if (is_digit(c))
        return c - '0';
    c = to_upper(c);
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Percent-decode s (n bytes) into out; '+' is a space when `plus`. Returns
 * the decoded length, or (size_t)-1 when it does not fit. */
static size_t url_decode(const char *s, size_t n, char *out, size_t outlen, bool plus)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            ch = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else if (ch == '+' && plus)
            ch = ' ';
        if (o + 1 >= outlen)
            return (size_t)-1;
        out[o++] = ch;
    }
    out[o] = 0;
    return o;
}

struct seg {
    const char *s;
    size_t n;
};

/* One AI and its (still encoded) value from a Digital Link path or query. */
static int dl_element(struct scanned_code *c, const char *ai, size_t ailen, const char *v,
                      size_t vn)
{
    const struct ai_def *d = ai_exact(ai, ailen);
    if (!d)
        return set_error(c, 501, "unknown Application Identifier (%.*s) in the link",
                         (int)(ailen > 8 ? 8 : ailen), ai);
    char buf[128];
    size_t n = url_decode(v, vn, buf, sizeof buf, false);
    if (n == (size_t)-1)
        return set_error(c, 507, "AI (%.*s) holds at most %d characters", (int)ailen, ai, d->max);
    if (d->check == AI_KEY) {
        /* GS1 Digital Link 1.2 §4.4: a GTIN may be written as 8, 12, 13 or
         * 14 digits; it means the same as its 14-digit form. */
        size_t want = d->max;
        bool len_ok = d->max == 14 ? (n == 8 || n == 12 || n == 13 || n == 14) : n == want;
        if (!all_digits(buf, n) || !len_ok)
            return set_error(c, 515, "AI (%.*s) in the link needs %zu digits", (int)ailen, ai,
                             want);
        char padded[20];
        memset(padded, '0', want - n);
        memcpy(padded + (want - n), buf, n);
        return gs1_element(c, d, ai, padded, want);
    }
    return gs1_element(c, d, ai, buf, n);
}

/* Returns 1 when the URL was understood (kind set, or error set), 0 when it
 * is a URL we do not know, in which case nothing was changed. */
static int parse_url(struct scanned_code *c, const char *s, size_t n)
{
    size_t i = starts_ci(s, n, "https://") ? 8 : 7;
    while (i < n && s[i] != '/' && s[i] != '?' && s[i] != '#') /* host */
        i++;
    size_t path = i;
    while (i < n && s[i] != '?' && s[i] != '#')
        i++;
    size_t path_end = i, query = i < n && s[i] == '?' ? i + 1 : i;
    size_t query_end = query;
    while (query_end < n && s[query_end] != '#')
        query_end++;

    struct seg segs[32];
    int nseg = 0;
    for (size_t p = path; p < path_end && nseg < 32;) {
        while (p < path_end && s[p] == '/')
            p++;
        size_t q = p;
        while (q < path_end && s[q] != '/')
            q++;
        if (q > p)
            segs[nseg++] = (struct seg){s + p, q - p};
        p = q;
    }

    /* GS1 Digital Link 1.2 §4: …/01/{gtin}[/22/{cpv}][/10/{lot}][/21/{serial}]
     * or …/00/{sscc}, after any path prefix; more AIs in the query. */
    int primary = -1;
    for (int k = 0; k + 1 < nseg && primary < 0; k++)
        if ((equals(segs[k].s, segs[k].n, "01") || equals(segs[k].s, segs[k].n, "00")) &&
            all_digits(segs[k + 1].s, segs[k + 1].n))
            primary = k;
    if (primary >= 0) {
        c->gs1 = true;
        for (int k = primary; k < nseg; k += 2) {
            if (k + 1 >= nseg)
                return set_error(c, 516, "AI (%.*s) in the link has no value",
                                 (int)(segs[k].n > 8 ? 8 : segs[k].n), segs[k].s);
            if (dl_element(c, segs[k].s, segs[k].n, segs[k + 1].s, segs[k + 1].n))
                return -1;
        }
    }

    /* Query: numeric keys are AIs (in a Digital Link); "rma" names the RMA. */
    for (size_t p = query; p < query_end;) {
        size_t q = p;
        while (q < query_end && s[q] != '&')
            q++;
        const char *eq = memchr(s + p, '=', q - p);
        if (eq) {
            size_t kn = (size_t)(eq - (s + p)), vn = q - p - kn - 1;
            if (equals(s + p, kn, "rma") || equals(s + p, kn, "RMA")) {
                char buf[128];
                size_t dn = url_decode(eq + 1, vn, buf, sizeof buf, true);
                if (dn != (size_t)-1 && rma_value_ok(buf, dn) && !c->rma[0])
                    set_rma(c, buf, dn);
            } else if (primary >= 0 && all_digits(s + p, kn)) {
                if (dl_element(c, s + p, kn, eq + 1, vn))
                    return -1;
            }
        }
        p = q + 1;
    }

    /* A return link: a path segment that is an RMA code, last one first. */
    for (int k = nseg - 1; k >= 0 && !c->rma[0] && primary < 0; k--) {
        char buf[128];
        size_t dn = url_decode(segs[k].s, segs[k].n, buf, sizeof buf, false);
        if (dn != (size_t)-1 && rma_like(buf, dn))
            set_rma(c, buf, dn);
    }
    return c->rma[0] || primary >= 0;
}

/* ---- the whole code ------------------------------------------------------ */

static void clear_fields(struct scanned_code *c)
{
    c->kind = CODE_UNKNOWN;
    c->rma[0] = c->gtin[0] = c->serial[0] = c->batch[0] = 0;
    c->expiry[0] = c->sscc[0] = c->plate[0] = 0;
}

/* Kind from what a GS1 parse found; on error, nothing but the error. */
static void finish_gs1(struct scanned_code *c, int rc)
{
    if (rc) {
        clear_fields(c);
        return;
    }
    if (c->rma[0])
        c->kind = CODE_RMA;
    else if (c->sscc[0])
        c->kind = CODE_SSCC;
    else if (c->gtin[0] || c->serial[0])
        c->kind = CODE_ITEM;
    else
        c->kind = CODE_UNKNOWN;
}

static void set_gtin(struct scanned_code *c, const char *s, size_t n)
{
    memset(c->gtin, '0', 14 - n);
    memcpy(c->gtin + (14 - n), s, n);
    c->gtin[14] = 0;
    c->kind = CODE_ITEM;
}

/* EAN/UPC symbologies (AIM ]E0 EAN-13 or UPC-A as 13 digits, ]E3 EAN-13 with
 * add-on, ]E4 EAN-8): a GTIN with its check digit. */
static void parse_ean(struct scanned_code *c, const char *s, size_t n, char mod)
{
    char b1[48];
    size_t len = n;
    if (mod == '3' && (n == 15 || n == 18))
        len = 13; /* the add-on is not part of the GTIN */
    if (!all_digits(s, n) || (len != 8 && len != 12 && len != 13)) {
        set_error(c, 513, "EAN/UPC data \"%s\" is not 8, 12 or 13 digits",
                  show(s, n < 20 ? n : 20, b1, sizeof b1));
        return;
    }
    if (!codes_gs1_check_ok(s, len)) {
        set_error(c, 514, "EAN/UPC %.*s: wrong check digit (should be %d)", (int)len, s,
                  check_digit_of(s, len));
        return;
    }
    set_gtin(c, s, len);
}

static bool is_gs1_symbology(const char *sym)
{
    static const char *const ids[] = {"]C1", "]d2", "]Q3", "]e0", "]J1"};
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
        if (strcmp(sym, ids[i]) == 0)
            return true;
    return false;
}

/* Text without AIM id that looks like a raw element string: it contains GS,
 * or it starts with an SSCC or GTIN whose check digit is right. The caller
 * accepts it only if it then parses without error. */
static bool looks_raw_gs1(const char *s, size_t n)
{
    if (n < 4 || !is_digit(s[0]) || !is_digit(s[1]))
        return false;
    if (memchr(s, GS, n))
        return true;
    if ((s[0] == '0' && (s[1] == '1' || s[1] == '2')) && n >= 16)
        return codes_gs1_check_ok(s + 2, 14);
    if (s[0] == '0' && s[1] == '0' && n >= 20)
        return codes_gs1_check_ok(s + 2, 18);
    return false;
}

void codes_parse(const char *data, size_t len, struct scanned_code *out)
{
    struct scanned_code *c = out;
    memset(c, 0, sizeof *c);
    if (!data)
        len = 0;
    /* Scanners end a code with CR, LF or Tab; keyboards add stray spaces. */
    while (len > 0 && data[len - 1] && strchr("\r\n\t ", data[len - 1]))
        len--;
    while (len > 0 && (data[0] == ' ' || data[0] == '\t'))
        data++, len--;

    /* AIM symbology identifier (ISO/IEC 15424): ']', code letter, modifier. */
    if (len >= 3 && data[0] == ']' && is_alpha(data[1]) && is_alnum(data[2])) {
        memcpy(c->symbology, data, 3);
        data += 3;
        len -= 3;
    }

    /* The text as scanned, cut at a UTF-8 character boundary to fit. */
    size_t tn = len < sizeof c->text - 1 ? len : sizeof c->text - 1;
    if (tn < len)
        tn = utf8_cut(data, tn);
    for (size_t i = 0; i < tn; i++)
        c->text[i] = data[i] ? data[i] : '?';
    c->text[tn] = 0;

    const char *s = data;
    size_t n = len;
    if (n == 0)
        return;

    if (is_gs1_symbology(c->symbology)) {
        c->gs1 = true;
        if (s[0] == '(')
            finish_gs1(c, gs1_parse_hri(c, s, n));
        else
            finish_gs1(c, gs1_parse_raw(c, s, n));
        return;
    }
    if (c->symbology[1] == 'E' && c->symbology[2] != '1' && c->symbology[2] != '2') {
        parse_ean(c, s, n, c->symbology[2]);
        return;
    }

    /* Human-readable GS1: "(01)…". */
    if (hri_ai_at(s, n, 0)) {
        c->gs1 = true;
        finish_gs1(c, gs1_parse_hri(c, s, n));
        return;
    }

    if (starts_ci(s, n, "http://") || starts_ci(s, n, "https://")) {
        int rc = parse_url(c, s, n);
        if (rc < 0 || c->gs1) {
            finish_gs1(c, rc < 0 ? -1 : 0);
            return;
        }
        if (rc > 0)
            c->kind = CODE_RMA;
        return;
    }

    if (starts_ci(s, n, "RMA:")) {
        if (rma_value_ok(s + 4, n - 4)) {
            set_rma(c, s + 4, n - 4);
            c->kind = CODE_RMA;
        }
        return;
    }

    if (rma_like(s, n)) {
        set_rma(c, s, n);
        c->kind = CODE_RMA;
        return;
    }

    if ((n == 8 || n == 12 || n == 13 || n == 14) && codes_gs1_check_ok(s, n)) {
        set_gtin(c, s, n);
        return;
    }

    if (looks_raw_gs1(s, n)) {
        struct scanned_code trial = *c;
        trial.gs1 = true;
        if (gs1_parse_raw(&trial, s, n) == 0) {
            *c = trial;
            finish_gs1(c, 0);
            return;
        }
        /* Not GS1 after all: fall through to the other forms. */
    }

    if (plate_like(s, n)) {
        set_field(c->plate, sizeof c->plate, s, n);
        c->kind = CODE_PLATE;
    }
}

const char *code_kind_name(enum code_kind kind)
{
    switch (kind) {
    case CODE_RMA: return "rma";
    case CODE_ITEM: return "item";
    case CODE_PLATE: return "plate";
    case CODE_SSCC: return "sscc";
    case CODE_UNKNOWN:
    default: return "unknown";
    }
}

/* ---- JSON ---------------------------------------------------------------- */

struct jw {
    char *out;
    size_t cap, n;
    bool full;
};

static void jw_raw(struct jw *w, const char *s, size_t n)
{
    if (w->full || w->n + n >= w->cap) {
        w->full = true;
        return;
    }
    memcpy(w->out + w->n, s, n);
    w->n += n;
    w->out[w->n] = 0;
}

static void jw_lit(struct jw *w, const char *s)
{
    jw_raw(w, s, strlen(s));
}

/* A JSON string (RFC 8259 §7): control characters as \u00XX (GS is
 * \u001d), invalid UTF-8 bytes as U+FFFD so the output is always valid. */
static void jw_str(struct jw *w, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    jw_lit(w, "\"");
    for (size_t i = 0; i < n;) {
        unsigned char ch = p[i];
        char esc[8];
        if (ch == '"' || ch == '\\') {
            esc[0] = '\\', esc[1] = (char)ch;
            jw_raw(w, esc, 2);
            i++;
        } else if (ch < 0x20 || ch == 0x7f) {
            const char *shortf = ch == '\n'   ? "\\n"
                                 : ch == '\r' ? "\\r"
                                 : ch == '\t' ? "\\t"
                                              : NULL;
            if (shortf)
                jw_lit(w, shortf);
            else {
                snprintf(esc, sizeof esc, "\\u%04x", ch);
                jw_lit(w, esc);
            }
            i++;
        } else {
            size_t k = utf8_decode(s + i, n - i, NULL);
            if (k == 0) {
                jw_lit(w, "\\ufffd");
                i++;
            } else {
                jw_raw(w, (const char *)p + i, k);
                i += k;
            }
        }
    }
    jw_lit(w, "\"");
}

static void jw_field(struct jw *w, const char *key, const char *value)
{
    if (!value[0])
        return;
    jw_lit(w, ",\"");
    jw_lit(w, key);
    jw_lit(w, "\":");
    jw_str(w, value);
}

int codes_to_json(const struct scanned_code *code, char *out, size_t outlen)
{
    if (!out || outlen == 0)
        return -1;
    struct jw w = {out, outlen, 0, false};
    out[0] = 0;
    jw_lit(&w, "{\"kind\":");
    jw_str(&w, code_kind_name(code->kind));
    jw_field(&w, "symbology", code->symbology);
    jw_lit(&w, code->gs1 ? ",\"gs1\":true" : ",\"gs1\":false");
    jw_field(&w, "rma", code->rma);
    jw_field(&w, "gtin", code->gtin);
    jw_field(&w, "serial", code->serial);
    jw_field(&w, "batch", code->batch);
    jw_field(&w, "expiry", code->expiry);
    jw_field(&w, "sscc", code->sscc);
    jw_field(&w, "plate", code->plate);
    jw_field(&w, "text", code->text);
    jw_field(&w, "error", code->error);
    jw_lit(&w, "}");
    if (w.full) {
        out[0] = 0;
        return -1;
    }
    return (int)w.n;
}

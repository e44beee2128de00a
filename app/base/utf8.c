/*
 * utf8.c — UTF-8 text (utf8.h).
 *
 * The table of RFC 3629 §4 in code: a lead byte 0xC2–0xDF starts two bytes,
 * 0xE0–0xEF three, 0xF0–0xF4 four; 0x80–0xC1 and 0xF5–0xFF never start a
 * sequence. The second byte narrows 0xE0 (no overlong), 0xED (no
 * surrogates), 0xF0 (no overlong) and 0xF4 (nothing past U+10FFFF).
 */
#include "utf8.h"

#include <string.h>

static bool is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

size_t utf8_decode(const char *str, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (n == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        if (cp)
            *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v;
    unsigned char lo = 0x80, hi = 0xBF; /* the range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if (!is_cont(s[i]))
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (cp)
        *cp = v;
    return len;
}

uint32_t utf8_at(const char *s, size_t *len)
{
    uint32_t cp = 0;
    size_t n = 0;
    if (*s) {
        n = utf8_decode(s, strnlen(s, UTF8_MAX), &cp);
        if (n == 0)
            n = 1, cp = UTF8_REPLACEMENT_CP;
    }
    if (len)
        *len = n;
    return cp;
}

size_t utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp < 0x110000) {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        return 4;
    }
    return 0;
}

bool utf8_valid(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if ((unsigned char)s[i] < 0x80) { /* the common case, without a call */
            i++;
            continue;
        }
        size_t k = utf8_decode(s + i, n - i, NULL);
        if (k == 0)
            return false;
        i += k;
    }
    return true;
}

size_t utf8_next(const char *s, size_t n, size_t at)
{
    if (at >= n)
        return n;
    at++;
    while (at < n && is_cont((unsigned char)s[at]))
        at++;
    return at;
}

size_t utf8_prev(const char *s, size_t at)
{
    if (at == 0)
        return 0;
    do
        at--;
    while (at > 0 && is_cont((unsigned char)s[at]));
    return at;
}

size_t utf8_cut(const char *s, size_t at)
{
    while (at > 0 && is_cont((unsigned char)s[at]))
        at--;
    return at;
}

size_t utf8_offset(const char *s, size_t count)
{
    size_t i = 0;
    while (count-- > 0 && s[i]) {
        i++;
        while (is_cont((unsigned char)s[i]))
            i++;
    }
    return i;
}

size_t utf8_clean(const char *in, char *out, size_t outlen)
{
    size_t o = 0, n = strlen(in);
    if (outlen == 0)
        return 0;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_decode(in + i, n - i, NULL);
        const char *piece = in + i;
        size_t plen = k;
        if (k == 0)
            piece = UTF8_REPLACEMENT, plen = sizeof UTF8_REPLACEMENT - 1, k = 1;
        if (o + plen + 1 > outlen)
            break;
        memcpy(out + o, piece, plen);
        o += plen;
        i += k;
    }
    out[o] = 0;
    return o;
}

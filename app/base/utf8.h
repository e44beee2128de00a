/*
 * utf8.h — UTF-8 text: decode, encode, check, move between characters, cut
 * and clean. The one place the station knows how UTF-8 is built.
 *
 * "Well-formed" is RFC 3629 §4: no overlong forms, no surrogates
 * (U+D800–U+DFFF), nothing past U+10FFFF, no sequence cut short. Decoding
 * and checking hold to it; the boundary helpers (utf8_next, utf8_prev,
 * utf8_cut, utf8_offset) only look at lead and continuation bytes, so they
 * are meant for text already checked or cleaned, and never step outside
 * the bytes they are given on text that is not.
 *
 * Pure functions over caller memory: no allocation, no state, any thread.
 */
#ifndef TRIAGE_UTF8_H
#define TRIAGE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* U+FFFD REPLACEMENT CHARACTER, what a broken byte becomes. */
#define UTF8_REPLACEMENT "\xEF\xBF\xBD"
#define UTF8_REPLACEMENT_CP 0xFFFDu

/* Longest encoding of one code point, in bytes. */
#define UTF8_MAX 4

/* Decode the well-formed sequence at s[0..n): returns its length (1..4) and
 * the code point in *cp (cp may be NULL), or 0 when the bytes there are not
 * well-formed or n is 0 (*cp is then untouched). Reads at most n bytes. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* The code point at s in NUL-terminated text: 0 at the NUL (*len 0),
 * U+FFFD for a byte that does not begin a well-formed sequence (*len 1),
 * else the code point and its length. len may be NULL. Reads no further
 * than the NUL. */
uint32_t utf8_at(const char *s, size_t *len);

/* Encode cp into out[0..UTF8_MAX): returns the length 1..4, or 0 (nothing
 * written) for a surrogate or a value past U+10FFFF. Writes no NUL. */
size_t utf8_encode(uint32_t cp, char *out);

/* Whether s[0..n) is well-formed UTF-8. */
bool utf8_valid(const char *s, size_t n);

/* The offset after the character that starts at s[at], at < n: the next
 * byte that is not a continuation byte, or n. */
size_t utf8_next(const char *s, size_t n, size_t at);

/* The start of the character that ends at offset `at`: at moved back over
 * continuation bytes to the lead byte before it; 0 when at is 0. */
size_t utf8_prev(const char *s, size_t at);

/* Where to cut s to at most `at` bytes without splitting a character: at,
 * moved back while s[at] is a continuation byte (s[at] must be readable,
 * e.g. the NUL). */
size_t utf8_cut(const char *s, size_t at);

/* The byte offset after the first `count` characters of NUL-terminated s
 * (strlen(s) when it has fewer). */
size_t utf8_offset(const char *s, size_t count);

/* Copy NUL-terminated `in` into out[outlen] as well-formed UTF-8: each byte
 * that does not begin a well-formed sequence becomes U+FFFD; the copy stops
 * at a character boundary when out is full. out is always NUL-terminated
 * when outlen > 0. Returns the bytes written, NUL not counted. */
size_t utf8_clean(const char *in, char *out, size_t outlen);

#endif

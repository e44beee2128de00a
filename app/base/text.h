/*
 * text.h — small text helpers every module uses: error messages into a
 * caller's buffer, and UTF-8 checks.
 */
#ifndef TRIAGE_TEXT_H
#define TRIAGE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* printf into err[errlen] ("E123: …"); err may be NULL or errlen 0. */
void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Whether s[0..n) is well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing past U+10FFFF). */
bool utf8_valid(const char *s, size_t n);

#endif

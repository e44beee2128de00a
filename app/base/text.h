/*
 * text.h — error messages into a caller's buffer. It brings utf8.h along,
 * the UTF-8 helpers every module that handles text uses.
 */
#ifndef TRIAGE_TEXT_H
#define TRIAGE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "utf8.h"

/* printf into err[errlen] ("E123: …"); err may be NULL or errlen 0. */
void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif

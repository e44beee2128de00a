/*
 * cups_fns.c — libcups, loaded when first needed (cups_fns.h).
 */
#include "cups_fns.h"

#include <stdio.h>

#include "libload.h"

void *cups_addr[CUPS_NFNS];

#define CUPS_FN_NAME(f) #f,
static const char *const names[] = {CUPS_FNS(CUPS_FN_NAME) NULL};
#undef CUPS_FN_NAME

static struct libload lib = {
    .soname = "libcups.so.2", .names = names, .addr = cups_addr, .once = PTHREAD_ONCE_INIT};

int cups_load(char *err, size_t errlen)
{
    char why[300];
    if (libload(&lib, why, sizeof why) == 0)
        return 0;
    snprintf(err, errlen, "E661: a CUPS printer needs libcups (apt-get install libcups2): %s", why);
    return -1;
}

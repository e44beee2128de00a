/*
 * pq_fns.c — libpq, loaded when first needed (pq_fns.h).
 */
#include "pq_fns.h"

#include <stdio.h>

#include "libload.h"

void *pq_addr[PQ_NFNS];

#define PQ_FN_NAME(f) #f,
static const char *const names[] = {PQ_FNS(PQ_FN_NAME) NULL};
#undef PQ_FN_NAME

static struct libload lib = {
    .soname = "libpq.so.5", .names = names, .addr = pq_addr, .once = PTHREAD_ONCE_INIT};

int pq_load(char *err, size_t errlen)
{
    char why[300];
    if (libload(&lib, why, sizeof why) == 0)
        return 0;
    snprintf(err, errlen,
             "E705: head office on PostgreSQL needs libpq (apt-get install libpq5): %s", why);
    return -1;
}

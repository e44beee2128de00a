/*
 * libload.h — a shared library loaded when it is first needed, not at start.
 *
 * A library the station needs only for some configurations and only after
 * its first frame (libpq for head office on PostgreSQL, libcups for a CUPS
 * printer) costs every start the time the dynamic linker takes to load it
 * and everything it pulls in (TLS, Kerberos, LDAP, Avahi: about half the
 * libraries of the process). Such a library is opened with dlopen the first
 * time it is used instead, its functions found by name into a table of
 * addresses; the callers keep calling them by their own names, which a
 * header turns into calls through the table (sync/pq_fns.h,
 * drivers/printer/cups_fns.h).
 */
#ifndef TRIAGE_LIBLOAD_H
#define TRIAGE_LIBLOAD_H

#include <pthread.h>
#include <stddef.h>

struct libload {
    const char *soname;       /* "libpq.so.5" */
    const char *const *names; /* the functions, NULL-terminated */
    void **addr;              /* where their addresses go, one per name */
    pthread_once_t once;      /* PTHREAD_ONCE_INIT */
    int rc;                   /* 0 loaded, -1 not */
    char error[300];          /* why not */
};

/* Load lib once (any thread, any number of times): 0 when it and every one of
 * its functions are there; -1 with "cannot load …: why" in err. */
int libload(struct libload *lib, char *err, size_t errlen);

#endif

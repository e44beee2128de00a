/*
 * libload.c — a shared library loaded when it is first needed (libload.h).
 *
 * pthread_once makes the first caller load it while any other waits; the
 * outcome stays for the life of the process (a library that is not installed
 * does not come later). The handle is never closed.
 */
#include "libload.h"

#include <dlfcn.h>
#include <stdio.h>

/* pthread_once takes no argument: the library being loaded is handed over
 * here, under the once's own serialisation. */
static struct libload *loading;

static void load(void)
{
    struct libload *lib = loading;
    lib->rc = -1;
    void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(lib->error, sizeof lib->error, "cannot load %s: %s", lib->soname, dlerror());
        return;
    }
    for (int i = 0; lib->names[i]; i++) {
        void *f = dlsym(h, lib->names[i]);
        if (!f) {
            snprintf(lib->error, sizeof lib->error, "cannot load %s: no %s in it", lib->soname,
                     lib->names[i]);
            return;
        }
        lib->addr[i] = f;
    }
    lib->rc = 0;
}

int libload(struct libload *lib, char *err, size_t errlen)
{
    static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&mu); /* one library's once at a time owns `loading` */
    loading = lib;
    pthread_once(&lib->once, load);
    pthread_mutex_unlock(&mu);
    if (lib->rc != 0 && err && errlen)
        snprintf(err, errlen, "%s", lib->error);
    return lib->rc;
}

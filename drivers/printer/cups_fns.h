/*
 * cups_fns.h — libcups, loaded the first time a CUPS printer is used
 * (libload.h), not at the station's start.
 *
 * Include it instead of <cups/cups.h>: the functions below keep their names
 * and become calls through the loaded table. cups_load() must have returned
 * 0 before the first of them (prn_cups_open calls it). A function used here
 * is added to CUPS_FNS.
 */
#ifndef TRIAGE_CUPS_FNS_H
#define TRIAGE_CUPS_FNS_H

#include <cups/cups.h>
#include <stddef.h>

#define CUPS_FNS(X)                                                                                \
    X(cupsAddOption)                                                                               \
    X(cupsCancelJob2)                                                                              \
    X(cupsCreateJob)                                                                               \
    X(cupsEncryption)                                                                              \
    X(cupsFinishDocument)                                                                          \
    X(cupsFreeDests)                                                                               \
    X(cupsFreeOptions)                                                                             \
    X(cupsGetNamedDest)                                                                            \
    X(cupsGetOption)                                                                               \
    X(cupsLastErrorString)                                                                         \
    X(cupsServer)                                                                                  \
    X(cupsStartDocument)                                                                           \
    X(cupsWriteRequestData)                                                                        \
    X(httpClose)                                                                                   \
    X(httpConnect2)                                                                                \
    X(ippPort)

/* The functions' types, taken before their names are redirected. */
#define CUPS_FN_TYPE(f) typedef __typeof__(f) cups_fn_##f;
CUPS_FNS(CUPS_FN_TYPE)
#undef CUPS_FN_TYPE
#define CUPS_FN_INDEX(f) CUPS_I_##f,
enum { CUPS_FNS(CUPS_FN_INDEX) CUPS_NFNS };
#undef CUPS_FN_INDEX

extern void *cups_addr[CUPS_NFNS];

/* Load libcups.so.2 (once): 0, or -1 with "E661: …" in err. */
int cups_load(char *err, size_t errlen);

#define cupsAddOption ((cups_fn_cupsAddOption *)cups_addr[CUPS_I_cupsAddOption])
#define cupsCancelJob2 ((cups_fn_cupsCancelJob2 *)cups_addr[CUPS_I_cupsCancelJob2])
#define cupsCreateJob ((cups_fn_cupsCreateJob *)cups_addr[CUPS_I_cupsCreateJob])
#define cupsEncryption ((cups_fn_cupsEncryption *)cups_addr[CUPS_I_cupsEncryption])
#define cupsFinishDocument ((cups_fn_cupsFinishDocument *)cups_addr[CUPS_I_cupsFinishDocument])
#define cupsFreeDests ((cups_fn_cupsFreeDests *)cups_addr[CUPS_I_cupsFreeDests])
#define cupsFreeOptions ((cups_fn_cupsFreeOptions *)cups_addr[CUPS_I_cupsFreeOptions])
#define cupsGetNamedDest ((cups_fn_cupsGetNamedDest *)cups_addr[CUPS_I_cupsGetNamedDest])
#define cupsGetOption ((cups_fn_cupsGetOption *)cups_addr[CUPS_I_cupsGetOption])
#define cupsLastErrorString ((cups_fn_cupsLastErrorString *)cups_addr[CUPS_I_cupsLastErrorString])
#define cupsServer ((cups_fn_cupsServer *)cups_addr[CUPS_I_cupsServer])
#define cupsStartDocument ((cups_fn_cupsStartDocument *)cups_addr[CUPS_I_cupsStartDocument])
#define cupsWriteRequestData                                                                       \
    ((cups_fn_cupsWriteRequestData *)cups_addr[CUPS_I_cupsWriteRequestData])
#define httpClose ((cups_fn_httpClose *)cups_addr[CUPS_I_httpClose])
#define httpConnect2 ((cups_fn_httpConnect2 *)cups_addr[CUPS_I_httpConnect2])
#define ippPort ((cups_fn_ippPort *)cups_addr[CUPS_I_ippPort])

#endif

/*
 * pq_fns.h — libpq, loaded the first time head office on PostgreSQL is
 * reached (libload.h), not at the station's start.
 *
 * Include it instead of <libpq-fe.h>: the PQ functions below keep their
 * names and become calls through the loaded table. pq_load() must have
 * returned 0 before the first of them (sync_pg.c and stats_pg.c call it
 * before they connect). A function used here is added to PQ_FNS.
 */
#ifndef TRIAGE_PQ_FNS_H
#define TRIAGE_PQ_FNS_H

#include <libpq-fe.h>
#include <stddef.h>

#define PQ_FNS(X)                                                                                  \
    X(PQclear)                                                                                     \
    X(PQconnectPoll)                                                                               \
    X(PQconnectStartParams)                                                                        \
    X(PQconnectdb)                                                                                 \
    X(PQconnectionNeedsPassword)                                                                   \
    X(PQconsumeInput)                                                                              \
    X(PQerrorMessage)                                                                              \
    X(PQexec)                                                                                      \
    X(PQexecParams)                                                                                \
    X(PQfinish)                                                                                    \
    X(PQflush)                                                                                     \
    X(PQgetResult)                                                                                 \
    X(PQgetisnull)                                                                                 \
    X(PQgetvalue)                                                                                  \
    X(PQisBusy)                                                                                    \
    X(PQnfields)                                                                                   \
    X(PQntuples)                                                                                   \
    X(PQresultErrorField)                                                                          \
    X(PQresultErrorMessage)                                                                        \
    X(PQresultStatus)                                                                              \
    X(PQsendQueryParams)                                                                           \
    X(PQsetnonblocking)                                                                            \
    X(PQsocket)                                                                                    \
    X(PQstatus)

/* The functions' types, taken before their names are redirected. */
#define PQ_FN_TYPE(f) typedef __typeof__(f) pq_fn_##f;
PQ_FNS(PQ_FN_TYPE)
#undef PQ_FN_TYPE
#define PQ_FN_INDEX(f) PQ_I_##f,
enum { PQ_FNS(PQ_FN_INDEX) PQ_NFNS };
#undef PQ_FN_INDEX

extern void *pq_addr[PQ_NFNS];

/* Load libpq.so.5 (once): 0, or -1 with "E705: …" in err. */
int pq_load(char *err, size_t errlen);

#define PQclear ((pq_fn_PQclear *)pq_addr[PQ_I_PQclear])
#define PQconnectPoll ((pq_fn_PQconnectPoll *)pq_addr[PQ_I_PQconnectPoll])
#define PQconnectStartParams ((pq_fn_PQconnectStartParams *)pq_addr[PQ_I_PQconnectStartParams])
#define PQconnectdb ((pq_fn_PQconnectdb *)pq_addr[PQ_I_PQconnectdb])
#define PQconnectionNeedsPassword                                                                  \
    ((pq_fn_PQconnectionNeedsPassword *)pq_addr[PQ_I_PQconnectionNeedsPassword])
#define PQconsumeInput ((pq_fn_PQconsumeInput *)pq_addr[PQ_I_PQconsumeInput])
#define PQerrorMessage ((pq_fn_PQerrorMessage *)pq_addr[PQ_I_PQerrorMessage])
#define PQexec ((pq_fn_PQexec *)pq_addr[PQ_I_PQexec])
#define PQexecParams ((pq_fn_PQexecParams *)pq_addr[PQ_I_PQexecParams])
#define PQfinish ((pq_fn_PQfinish *)pq_addr[PQ_I_PQfinish])
#define PQflush ((pq_fn_PQflush *)pq_addr[PQ_I_PQflush])
#define PQgetResult ((pq_fn_PQgetResult *)pq_addr[PQ_I_PQgetResult])
#define PQgetisnull ((pq_fn_PQgetisnull *)pq_addr[PQ_I_PQgetisnull])
#define PQgetvalue ((pq_fn_PQgetvalue *)pq_addr[PQ_I_PQgetvalue])
#define PQisBusy ((pq_fn_PQisBusy *)pq_addr[PQ_I_PQisBusy])
#define PQnfields ((pq_fn_PQnfields *)pq_addr[PQ_I_PQnfields])
#define PQntuples ((pq_fn_PQntuples *)pq_addr[PQ_I_PQntuples])
#define PQresultErrorField ((pq_fn_PQresultErrorField *)pq_addr[PQ_I_PQresultErrorField])
#define PQresultErrorMessage ((pq_fn_PQresultErrorMessage *)pq_addr[PQ_I_PQresultErrorMessage])
#define PQresultStatus ((pq_fn_PQresultStatus *)pq_addr[PQ_I_PQresultStatus])
#define PQsendQueryParams ((pq_fn_PQsendQueryParams *)pq_addr[PQ_I_PQsendQueryParams])
#define PQsetnonblocking ((pq_fn_PQsetnonblocking *)pq_addr[PQ_I_PQsetnonblocking])
#define PQsocket ((pq_fn_PQsocket *)pq_addr[PQ_I_PQsocket])
#define PQstatus ((pq_fn_PQstatus *)pq_addr[PQ_I_PQstatus])

#endif

/*
 * stats_query.h — the store's half of the statistics: one read transaction
 * that fills a stats_report (stats_report.h has the definitions), and the
 * inspections behind one bar of a chart.
 */
#ifndef TRIAGE_STATS_QUERY_H
#define TRIAGE_STATS_QUERY_H

#include <stddef.h>

#include "stats_report.h"

struct store;

/*
 * Compute the report of a range. Reads only (one read transaction, so the
 * numbers are one consistent snapshot); safe on its own connection in a
 * worker thread. Returns 0, or -1 with "E75x: …" in err. An empty range is
 * not an error: total is 0.
 */
int stats_compute(struct store *st, const struct stats_range *range, struct stats_report *out,
                  char *err, size_t errlen);

/* The inspections behind one bar, newest first: the page of STATS_LIST_MAX
 * rows from `offset` on (0 = the newest), and how many there are in all, so
 * that a list reaches every inspection. Returns 0 or -1 with err. */
int stats_list_query(struct store *st, const struct stats_range *range, enum stats_dim dim,
                     const char *key, int64_t offset, struct stats_list *out, char *err,
                     size_t errlen);

#endif

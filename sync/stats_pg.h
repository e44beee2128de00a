/*
 * stats_pg.h — the statistics of head office: the same report as the
 * station's stats_compute (app/core/stats_report.h has the definitions),
 * computed in PostgreSQL from head office's statistics views
 * (sync/headoffice.sql: stats_outcomes and the views beside it), for one
 * site or all of them. `triage stats --source postgresql://…` and `triage
 * report --source postgresql://…` print it.
 *
 * Days are each site's own (its stations' time zone); the range is of those
 * local days. Head office knows no operator names: graders are their
 * badges. Error ids E770–E779.
 */
#ifndef TRIAGE_STATS_PG_H
#define TRIAGE_STATS_PG_H

#include <stddef.h>

#include "stats_report.h"

/*
 * Compute the report of range (its tz is not used: every site counts its
 * own days) from head office at `conninfo` (a postgresql:// URL or libpq
 * keywords; the password as libpq finds it: the URL, PGPASSWORD, ~/.pgpass),
 * for `site` or, when NULL or "", every site. Returns 0, or -1 with
 * "E77x: …" in err: cannot connect (E770), a query failed (E771), an unknown
 * site (E772), out of memory (E754).
 */
int stats_compute_pg(const char *conninfo, const char *site, const struct stats_range *range,
                     struct stats_report *out, char *err, size_t errlen);

#endif

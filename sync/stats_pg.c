/*
 * stats_pg.c — head office's report (stats_pg.h): one query per measure over
 * the statistics views of sync/headoffice.sql, in one read-only snapshot,
 * the rows put into the same struct stats_report the station fills, and the
 * end both computations share (stats_finish, stats_rank_*), so that the two
 * order, cut and round alike.
 *
 * The range's outcomes are read once from stats_outcomes (the outcomes that
 * count, with their site's local day and hour) into a temporary table of
 * the transaction, and their steps into another; every measure is then one
 * query over those. The UTC window around the range's local days (a day
 * either side: zones lie within ±14 h) lets PostgreSQL read one site's
 * month from outcomes_site_finished. The login needs TEMP on the database
 * (PUBLIC has it unless revoked).
 */
#include "stats_pg.h"

#include "pq_fns.h"
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "text.h"

/* The rows of the range (and site) in stats_outcomes, as "o". */
#define RANGE_WHERE                                                                                \
    " o.day BETWEEN $1::date AND $2::date"                                                         \
    " AND o.finished_at >= ($1::date - 1)::timestamp AT TIME ZONE 'UTC'"                           \
    " AND o.finished_at < ($2::date + 2)::timestamp AT TIME ZONE 'UTC'"

struct q {
    PGconn *conn;
    const char *params[3];
    int nparams;
    bool site;
    char *err;
    size_t errlen;
};

/* Run `sql` (its "%s" is the site condition, " AND o.site = $3" or "").
 * Returns the result (PQclear it), or NULL with E771 in err. */
static PGresult *run(struct q *q, const char *sql)
{
    char text[4096];
    const char *cond = q->site ? " AND o.site = $3" : "";
    snprintf(text, sizeof text, sql, cond, cond); /* a query may name it twice */
    static const Oid types[3] = {25, 25, 25};     /* text: a query need not use them all */
    PGresult *res = PQexecParams(q->conn, text, q->nparams, types, q->params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_COMMAND_OK) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s", PQresultErrorMessage(res));
        msg[strcspn(msg, "\n")] = 0;
        set_err(q->err, q->errlen, "E771: head office's statistics: %s", msg);
        PQclear(res);
        return NULL;
    }
    return res;
}

static int64_t num(PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? 0 : strtoll(PQgetvalue(res, row, col), NULL, 10);
}

static double real(PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? 0 : strtod(PQgetvalue(res, row, col), NULL);
}

static const char *text_of(PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? "" : PQgetvalue(res, row, col);
}

/* The columns a category or SKU group reads, after its key. */
#define GROUP_COLS                                                                                 \
    " count(*), count(*) FILTER (WHERE jsonb_array_length(o.defects) > 0),"                        \
    " count(*) FILTER (WHERE o.late), count(*) FILTER (WHERE o.mismatch),"                         \
    " count(*) FILTER (WHERE coalesce(o.item_check, 'matched') IN ('matched',"                     \
    " 'mismatched')), count(*) FILTER (WHERE o.grade = 'A'),"                                      \
    " count(*) FILTER (WHERE o.grade = 'B'), count(*) FILTER (WHERE o.grade = 'C'),"               \
    " count(*) FILTER (WHERE o.grade = 'X'),"                                                      \
    " count(*) FILTER (WHERE o.responsibility IS NULL OR o.responsibility = ''),"                  \
    " count(*) FILTER (WHERE o.responsibility = 'merchant'),"                                      \
    " count(*) FILTER (WHERE o.responsibility = 'logistics'),"                                     \
    " count(*) FILTER (WHERE o.responsibility = 'customer'),"                                      \
    " count(*) FILTER (WHERE o.responsibility = 'platform')"

static void group_from(PGresult *res, int row, struct stats_group *g)
{
    memset(g, 0, sizeof *g);
    snprintf(g->key, sizeof g->key, "%s", text_of(res, row, 0));
    g->n = num(res, row, 1);
    g->with_defects = num(res, row, 2);
    g->late = num(res, row, 3);
    g->mismatch = num(res, row, 4);
    g->verified = num(res, row, 5);
    for (int k = 0; k < 4; k++)
        g->grades[GRADE_A + k] = num(res, row, 6 + k);
    static const enum responsibility order[RESP_COUNT] = {RESP_NONE, RESP_MERCHANT, RESP_LOGISTICS,
                                                          RESP_CUSTOMER, RESP_PLATFORM};
    for (int k = 0; k < RESP_COUNT; k++)
        g->resp[order[k]] = num(res, row, 10 + k);
}

/* Categories or SKUs (`col`), every one, ranked by stats_rank_*. */
static int read_groups(struct q *q, struct stats_report *r, bool skus)
{
    char sql[2048];
    snprintf(sql, sizeof sql,
             "SELECT coalesce(o.%s, ''), " GROUP_COLS " FROM stats_range o GROUP BY 1",
             skus ? "sku" : "category");
    PGresult *res = run(q, sql);
    if (!res)
        return -1;
    int n = PQntuples(res);
    struct stats_group *g = calloc(n ? (size_t)n : 1, sizeof *g);
    if (!g) {
        PQclear(res);
        set_err(q->err, q->errlen, "E754: out of memory computing statistics");
        return -1;
    }
    for (int i = 0; i < n; i++)
        group_from(res, i, &g[i]);
    PQclear(res);
    if (skus)
        stats_rank_skus(r, g, (size_t)n);
    else
        stats_rank_categories(r, g, (size_t)n);
    free(g);
    return 0;
}

static int read_totals(struct q *q, struct stats_report *r)
{
    PGresult *res =
        run(q, "SELECT count(*), count(*) FILTER (WHERE o.grade = 'A'),"
               " count(*) FILTER (WHERE o.grade = 'B'), count(*) FILTER (WHERE o.grade = 'C'),"
               " count(*) FILTER (WHERE o.grade = 'X'), count(*) FILTER (WHERE o.late),"
               " count(*) FILTER (WHERE o.mismatch),"
               " count(*) FILTER (WHERE coalesce(o.item_check, 'matched') IN ('matched',"
               " 'mismatched')), count(*) FILTER (WHERE jsonb_array_length(o.defects) > 0),"
               " count(*) FILTER (WHERE o.calibration_due),"
               " count(*) FILTER (WHERE o.calibration_due AND NOT EXISTS (SELECT 1 FROM"
               " triage.outcomes c WHERE c.station = o.station AND c.epoch = o.epoch"
               " AND c.calibrates = o.plate)),"
               " count(*) FILTER (WHERE o.reason_check = 'confirmed'),"
               " count(*) FILTER (WHERE o.reason_check = 'not_found')"
               " FROM stats_range o");
    if (!res)
        return -1;
    r->total = num(res, 0, 0);
    for (int k = 0; k < 4; k++)
        r->grades[GRADE_A + k] = num(res, 0, 1 + k);
    r->late = num(res, 0, 5);
    r->mismatch = num(res, 0, 6);
    r->verified = num(res, 0, 7);
    r->with_defects = num(res, 0, 8);
    r->cal_due = num(res, 0, 9);
    r->cal_pending = num(res, 0, 10);
    r->reason_confirmed = num(res, 0, 11);
    r->reason_not_found = num(res, 0, 12);
    PQclear(res);
    res = run(q, "SELECT count(*) FROM triage.stats_superseded o WHERE" RANGE_WHERE "%s");
    if (!res)
        return -1;
    r->superseded = num(res, 0, 0);
    PQclear(res);
    return 0;
}

static int read_days(struct q *q, struct stats_report *r)
{
    PGresult *res = run(q, "SELECT o.day - $1::date, coalesce(o.responsibility, ''), count(*)"
                           " FROM stats_range o GROUP BY 1, 2");
    if (!res)
        return -1;
    for (int i = 0; i < PQntuples(res); i++) {
        int64_t d = num(res, i, 0), n = num(res, i, 2);
        int resp = responsibility_from_name(text_of(res, i, 1));
        if (d < 0 || d >= r->ndays)
            continue;
        r->per_day[d] += n;
        r->resp[resp < 0 ? RESP_NONE : resp] += n;
        r->resp_day[d][resp < 0 ? RESP_NONE : resp] += n;
    }
    PQclear(res);
    return 0;
}

/* The grading policy's return types and resolutions ("" and unknown: none). */
static int read_resolutions(struct q *q, struct stats_report *r)
{
    PGresult *res = run(q, "SELECT coalesce(o.return_type, ''), coalesce(o.resolution, ''),"
                           " o.day - $1::date, count(*) FROM stats_range o GROUP BY 1, 2, 3");
    if (!res)
        return -1;
    for (int i = 0; i < PQntuples(res); i++) {
        int rt = return_type_from_name(text_of(res, i, 0));
        int rs = resolution_from_name(text_of(res, i, 1));
        int64_t d = num(res, i, 2), n = num(res, i, 3);
        if (d < 0 || d >= r->ndays)
            continue;
        r->return_types[rt < 0 ? 0 : rt] += n;
        r->resolutions[rs < 0 ? 0 : rs] += n;
        r->resolution_day[d][rs < 0 ? 0 : rs] += n;
    }
    PQclear(res);
    return 0;
}

/* Every disposition and defect code seen, for stats_finish. */
static int read_counts(struct q *q, const char *sql, struct stats_count **out, int *n)
{
    PGresult *res = run(q, sql);
    if (!res)
        return -1;
    *n = PQntuples(res);
    *out = calloc(*n ? (size_t)*n : 1, sizeof **out);
    if (!*out) {
        PQclear(res);
        set_err(q->err, q->errlen, "E754: out of memory computing statistics");
        return -1;
    }
    for (int i = 0; i < *n; i++) {
        snprintf((*out)[i].key, sizeof(*out)[i].key, "%s", text_of(res, i, 0));
        (*out)[i].n = num(res, i, 1);
    }
    PQclear(res);
    return 0;
}

static int read_reasons(struct q *q, struct stats_report *r, struct stats_reason **out, int *n)
{
    PGresult *res = run(q, "SELECT coalesce(o.reason, m.reason), count(*),"
                           " count(*) FILTER (WHERE o.functional = 'A'),"
                           " count(*) FILTER (WHERE o.functional IN ('B', 'C', 'X')),"
                           " count(*) FILTER (WHERE o.functional IS NULL OR o.functional = ''),"
                           " count(*) FILTER (WHERE o.grade = 'A'),"
                           " count(*) FILTER (WHERE o.reason_check = 'confirmed'),"
                           " count(*) FILTER (WHERE o.reason_check = 'not_found')"
                           " FROM stats_range o LEFT JOIN triage.manifests m"
                           " ON m.site = o.site AND m.rma = o.rma"
                           " WHERE coalesce(o.reason, m.reason, '') <> '' GROUP BY 1");
    if (!res)
        return -1;
    *n = PQntuples(res);
    *out = calloc(*n ? (size_t)*n : 1, sizeof **out);
    if (!*out) {
        PQclear(res);
        set_err(q->err, q->errlen, "E754: out of memory computing statistics");
        return -1;
    }
    for (int i = 0; i < *n; i++) {
        struct stats_reason *x = &(*out)[i];
        snprintf(x->reason, sizeof x->reason, "%s", text_of(res, i, 0));
        x->n = num(res, i, 1);
        x->functions_ok = num(res, i, 2);
        x->function_fault = num(res, i, 3);
        x->no_function = num(res, i, 4);
        x->no_fault = num(res, i, 5);
        x->confirmed = num(res, i, 6);
        x->not_found = num(res, i, 7);
        if (!strcmp(x->reason, "defective"))
            r->defective_functions_ok = x->functions_ok;
    }
    PQclear(res);
    return 0;
}

static int read_graders(struct q *q, struct stats_report *r)
{
    PGresult *res = run(q, "SELECT o.operator, count(*), count(DISTINCT o.local_hour),"
                           " percentile_cont(0.5) WITHIN GROUP (ORDER BY o.dur_s),"
                           " count(*) FILTER (WHERE o.grade = 'A'),"
                           " count(*) FILTER (WHERE o.grade = 'B'),"
                           " count(*) FILTER (WHERE o.grade = 'C'),"
                           " count(*) FILTER (WHERE o.grade = 'X'),"
                           " count(*) FILTER (WHERE o.reason_check IS NOT NULL),"
                           " count(*) FILTER (WHERE o.reason_check IS NOT NULL"
                           " AND coalesce(o.responsibility, '')"
                           " <> coalesce(o.responsibility_suggested, ''))"
                           " FROM stats_range o GROUP BY 1");
    if (!res)
        return -1;
    for (int i = 0; i < PQntuples(res); i++) {
        int gi = stats_grader_index(r, text_of(res, i, 0));
        if (gi < 0)
            continue;
        struct stats_grader *g = &r->graders[gi];
        g->n = num(res, i, 1);
        g->active_hours = num(res, i, 2);
        g->median_s = real(res, i, 3);
        for (int k = 0; k < 4; k++)
            g->grades[GRADE_A + k] = num(res, i, 4 + k);
        g->policy_n = num(res, i, 8);
        g->policy_overrides = num(res, i, 9);
        r->policy_n += g->policy_n;
        r->policy_overrides += g->policy_overrides;
    }
    PQclear(res);
    /* Steps: the station's, then each grader's. */
    res = run(q, "SELECT s.key, count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY s.ms)"
                 " / 1000, '' FROM stats_range_steps s GROUP BY 1"
                 " UNION ALL SELECT s.key, count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY"
                 " s.ms) / 1000, s.operator FROM stats_range_steps s GROUP BY s.operator, 1");
    if (!res)
        return -1;
    for (int i = 0; i < PQntuples(res); i++) {
        const char *op = text_of(res, i, 3);
        struct stats_step *steps = r->steps;
        int *nsteps = &r->nsteps;
        if (op[0]) {
            int gi = stats_grader_index(r, op);
            if (gi < 0)
                continue;
            steps = r->graders[gi].steps;
            nsteps = &r->graders[gi].nsteps;
        }
        if (*nsteps >= STATS_MAX_STEPS)
            continue;
        struct stats_step *st = &steps[(*nsteps)++];
        snprintf(st->check, sizeof st->check, "%s", text_of(res, i, 0));
        st->n = num(res, i, 1);
        st->median_s = real(res, i, 2);
    }
    PQclear(res);
    return 0;
}

static int read_pairs(struct q *q, struct stats_report *r, int64_t (*m)[4][4])
{
    PGresult *res = run(q, "SELECT o.first_grader, o.first_grade, o.regrader, o.regrade"
                           " FROM triage.stats_calibration_pairs o WHERE" RANGE_WHERE "%s");
    if (!res)
        return -1;
    for (int i = 0; i < PQntuples(res); i++) {
        int ri = stats_grader_index(r, text_of(res, i, 2));
        int fi = stats_grader_index(r, text_of(res, i, 0));
        stats_add_pair(r, m, fi, ri, grade_from_char(text_of(res, i, 1)[0]),
                       grade_from_char(text_of(res, i, 3)[0]));
    }
    PQclear(res);
    return 0;
}

/* The range's outcomes (stats_range) and their steps (stats_range_steps),
 * temporary tables of the transaction. */
static int fill_range(struct q *q)
{
    PGresult *res =
        run(q, "CREATE TEMP TABLE stats_range ON COMMIT DROP AS SELECT o.site,"
               " o.station, o.epoch, o.plate, o.rma, o.sku, o.category, o.operator,"
               " o.grade, o.functional, o.disposition, o.responsibility, o.defects, o.reason,"
               " o.reason_check, o.responsibility_suggested, o.return_type,"
               " o.resolution, o.responsibility_reason,"
               " o.late, o.mismatch, o.item_check, o.calibration_due, o.day,"
               " o.local_hour, extract(epoch FROM o.finished_at - o.started_at)::float8"
               " AS dur_s, o.step_ms FROM triage.stats_outcomes o"
               " WHERE" RANGE_WHERE "%s");
    if (!res)
        return -1;
    PQclear(res);
    res = run(q, "CREATE TEMP TABLE stats_range_steps ON COMMIT DROP AS SELECT o.operator,"
                 " s.key, s.value::float8 AS ms FROM stats_range o"
                 " CROSS JOIN LATERAL jsonb_each_text(o.step_ms) AS s");
    if (!res)
        return -1;
    PQclear(res);
    return 0;
}

/* The zone the days are in: the site's, or every site's when they agree. */
static int read_zone(struct q *q, struct stats_report *r)
{
    PGresult *res = run(q, "SELECT count(DISTINCT o.timezone), min(o.timezone), count(*)"
                           " FROM triage.site_zones o WHERE true%s");
    if (!res)
        return -1;
    if (q->site && num(res, 0, 2) == 0) {
        PQclear(res);
        set_err(q->err, q->errlen, "E772: head office has no site \"%s\"", q->params[2]);
        return -1;
    }
    snprintf(r->timezone, sizeof r->timezone, "%s",
             num(res, 0, 0) == 1   ? text_of(res, 0, 1)
             : num(res, 0, 0) == 0 ? "UTC"
                                   : "site time");
    PQclear(res);
    return 0;
}

int stats_compute_pg(const char *conninfo, const char *site, const struct stats_range *range,
                     struct stats_report *r, char *err, size_t errlen)
{
    int64_t t0 = clock_mono_ns();
    memset(r, 0, sizeof *r);
    r->kappa = NAN;
    if (stats_range_check(range, err, errlen) < 0)
        return -1;
    r->range = *range;
    r->range.tz = NULL;
    r->ndays = (int)(range->to_day - range->from_day + 1);
    if (pq_load(err, errlen) != 0)
        return -1;
    PGconn *conn = PQconnectdb(conninfo);
    if (PQstatus(conn) != CONNECTION_OK) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(conn));
        msg[strcspn(msg, "\n")] = 0;
        set_err(err, errlen, "E770: cannot reach head office: %s", msg);
        PQfinish(conn);
        return -1;
    }
    char from[16], to[16];
    struct q q = {.conn = conn,
                  .params = {stats_day_text(range->from_day, from, sizeof from),
                             stats_day_text(range->to_day, to, sizeof to), site},
                  .nparams = site && site[0] ? 3 : 2,
                  .site = site && site[0],
                  .err = err,
                  .errlen = errlen};
    struct stats_count *disp = NULL, *defects = NULL, *overrides = NULL;
    struct stats_reason *reasons = NULL;
    int ndisp = 0, ndefects = 0, noverrides = 0, nreasons = 0, rc = -1;
    int64_t(*m)[4][4] = calloc(STATS_MAX_GRADERS, sizeof *m);
    if (!m) {
        set_err(err, errlen, "E754: out of memory computing statistics");
        goto out;
    }
    /* One snapshot for every query; the range's outcomes read once. */
    PGresult *begin = PQexec(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ");
    bool began = PQresultStatus(begin) == PGRES_COMMAND_OK;
    PQclear(begin);
    if (!began) {
        set_err(err, errlen, "E771: head office's statistics: %s", PQerrorMessage(conn));
        goto out;
    }
    if (read_zone(&q, r) < 0 || fill_range(&q) < 0 || read_totals(&q, r) < 0 ||
        read_days(&q, r) < 0 || read_resolutions(&q, r) < 0 ||
        read_counts(&q,
                    "SELECT coalesce(o.disposition, ''), count(*) FROM stats_range o GROUP BY 1",
                    &disp, &ndisp) < 0 ||
        read_counts(&q,
                    "SELECT d.code, count(*) FROM stats_range o CROSS JOIN LATERAL"
                    " jsonb_array_elements_text(o.defects) AS d(code) GROUP BY 1",
                    &defects, &ndefects) < 0 ||
        read_counts(&q,
                    "SELECT coalesce(o.responsibility_reason, ''), count(*) FROM stats_range o"
                    " WHERE o.reason_check IS NOT NULL AND coalesce(o.responsibility, '')"
                    " <> coalesce(o.responsibility_suggested, '') GROUP BY 1",
                    &overrides, &noverrides) < 0 ||
        read_reasons(&q, r, &reasons, &nreasons) < 0 || read_groups(&q, r, false) < 0 ||
        read_groups(&q, r, true) < 0 || read_graders(&q, r) < 0 || read_pairs(&q, r, m) < 0)
        goto out;
    const struct stats_seen seen = {.disp = disp,
                                    .ndisp = ndisp,
                                    .defects = defects,
                                    .ndefects = ndefects,
                                    .overrides = overrides,
                                    .noverrides = noverrides,
                                    .reasons = reasons,
                                    .nreasons = nreasons};
    stats_finish(r, &seen, m);
    rc = 0;
out:
    PQclear(PQexec(conn, "COMMIT"));
    PQfinish(conn);
    free(disp);
    free(defects);
    free(overrides);
    free(reasons);
    free(m);
    r->compute_ms = (double)(clock_mono_ns() - t0) / 1e6;
    return rc;
}

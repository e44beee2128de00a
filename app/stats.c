/*
 * stats.c — a date range's grading statistics (definitions in stats.h).
 *
 * One read transaction, one pass: the range's rows are read in finished_at
 * order from the covering index inspections_stats (store.c), which holds
 * every column the report needs, so the wide `record` column is never
 * touched. Counting happens in C on the way; medians sort each grader's
 * durations once at the end. Calibration records are few (calibration_pct of
 * the outcomes): their first grades are looked up by plate afterwards.
 */
#include "stats.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "store.h"
#include "text.h"

#define DAY_MS 86400000LL
#define MAX_REASONS_SEEN 64
#define MAX_DEFECTS_SEEN 128
#define MAX_DISP_SEEN 16

static const char *const dim_names[SD_COUNT] = {
    "none", "day", "grade", "disposition", "responsibility", "defect", "reason", "grader",
    "late", "mismatch"};

const char *stats_dim_name(enum stats_dim d)
{
    return (unsigned)d < SD_COUNT ? dim_names[d] : "?";
}

/* ---- ranges -------------------------------------------------------------- */

char *stats_day_text(int64_t day, char *out, size_t outlen)
{
    time_t t = (time_t)(day * 86400);
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        snprintf(out, outlen, "?");
    else
        strftime(out, outlen, "%Y-%m-%d", &tm);
    return out;
}

int stats_range_check(const struct stats_range *r, char *err, size_t errlen)
{
    char a[16], b[16];
    if (r->from_day > r->to_day) {
        set_err(err, errlen, "E751: the range is reversed: %s is after %s",
                stats_day_text(r->from_day, a, sizeof a), stats_day_text(r->to_day, b, sizeof b));
        return -1;
    }
    if (r->to_day - r->from_day + 1 > STATS_MAX_DAYS) {
        set_err(err, errlen, "E752: the range %s to %s is longer than %d days",
                stats_day_text(r->from_day, a, sizeof a), stats_day_text(r->to_day, b, sizeof b),
                STATS_MAX_DAYS);
        return -1;
    }
    return 0;
}

static int parse_day(const char *what, const char *text, int64_t *day, char *err, size_t errlen)
{
    int64_t ms;
    if (strlen(text) != 10 || time_parse_date(text, &ms) != 0) {
        set_err(err, errlen, "E750: %s \"%s\" is not a date (YYYY-MM-DD)", what, text);
        return -1;
    }
    *day = time_day(ms);
    return 0;
}

int stats_range_parse(const char *from, const char *to, int64_t today, struct stats_range *out,
                      char *err, size_t errlen)
{
    out->to_day = today;
    if (to && parse_day("--to", to, &out->to_day, err, errlen) < 0)
        return -1;
    out->from_day = out->to_day - 29;
    if (from && parse_day("--from", from, &out->from_day, err, errlen) < 0)
        return -1;
    return stats_range_check(out, err, errlen);
}

/* ---- kappa, medians ------------------------------------------------------ */

double stats_kappa(const int64_t *m, int k)
{
    double n = 0, diag = 0;
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++) {
            n += (double)m[i * k + j];
            if (i == j)
                diag += (double)m[i * k + j];
        }
    if (n <= 0)
        return NAN;
    double pe = 0;
    for (int c = 0; c < k; c++) {
        double row = 0, col = 0;
        for (int j = 0; j < k; j++) {
            row += (double)m[c * k + j];
            col += (double)m[j * k + c];
        }
        pe += (row / n) * (col / n);
    }
    double po = diag / n;
    if (pe >= 1.0 - 1e-12)
        return NAN;
    return (po - pe) / (1.0 - pe);
}

/* Hoare's selection: afterwards v[k] holds the k-th smallest, everything
 * before it is <= it and everything after >= it. Average O(n), no sort. */
static void select_kth(int32_t *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        int32_t pivot = v[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                int32_t t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return;
    }
}

/* Median in seconds of n values in ms (reordered in place); 0 for none. */
static double median_s(int32_t *v, size_t n)
{
    if (n == 0)
        return 0;
    size_t lo = (n - 1) / 2, hi = n / 2;
    select_kth(v, n, lo);
    double a = v[lo], b = a;
    if (hi != lo) {
        int32_t m = v[hi];
        for (size_t i = hi + 1; i < n; i++)
            if (v[i] < m)
                m = v[i];
        b = m;
    }
    return (a + b) / 2.0 / 1000.0;
}

/* A growing array of durations (ms). */
struct durs {
    int32_t *v;
    size_t n, cap;
};

static bool durs_add(struct durs *d, int64_t ms)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 256;
        int32_t *v = realloc(d->v, cap * sizeof *v);
        if (!v)
            return false;
        d->v = v;
        d->cap = cap;
    }
    if (ms < 0)
        ms = 0;
    if (ms > INT32_MAX)
        ms = INT32_MAX;
    d->v[d->n++] = (int32_t)ms;
    return true;
}

/* ---- the pass ------------------------------------------------------------ */

struct step_acc {
    char check[32];
    struct durs d;
};

struct grader_acc {
    int64_t last_hour;
    struct durs d;
    int nsteps;
    struct step_acc steps[STATS_MAX_STEPS];
    int64_t m[4][4]; /* own grade x the other's */
};

struct work {
    struct grader_acc g[STATS_MAX_GRADERS];
    struct step_acc steps[STATS_MAX_STEPS];
    int nsteps;
    struct stats_count defects[MAX_DEFECTS_SEEN];
    int ndefects;
    struct stats_count disp[MAX_DISP_SEEN];
    int ndisp;
    struct stats_reason reasons[MAX_REASONS_SEEN];
    int nreasons;
    /* calibration records: plate re-graded, re-grader, re-grade */
    struct cal {
        char plate[48];
        int grader; /* index into report graders, or -1 */
        char badge[64];
        enum grade grade;
    } *cals;
    size_t ncals, capcals;
    char (*due)[48]; /* plates chosen for a re-grade */
    size_t ndue, capdue;
    bool oom;
};

static void work_free(struct work *w)
{
    for (int i = 0; i < STATS_MAX_GRADERS; i++) {
        free(w->g[i].d.v);
        for (int s = 0; s < w->g[i].nsteps; s++)
            free(w->g[i].steps[s].d.v);
    }
    for (int s = 0; s < w->nsteps; s++)
        free(w->steps[s].d.v);
    free(w->cals);
    free(w->due);
}

static const char *col_text(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? (const char *)t : "";
}

/* Count `key` in a small table (linear: these tables hold a handful). */
static void count_key(struct stats_count *t, int *n, int cap, const char *key)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(t[i].key, key) == 0) {
            t[i].n++;
            return;
        }
    if (*n < cap) {
        snprintf(t[*n].key, sizeof t[*n].key, "%s", key);
        t[(*n)++].n = 1;
    }
}

static struct step_acc *step_slot(struct step_acc *t, int *n, const char *check, size_t len)
{
    for (int i = 0; i < *n; i++)
        if (strlen(t[i].check) == len && memcmp(t[i].check, check, len) == 0)
            return &t[i];
    if (*n >= STATS_MAX_STEPS || len >= sizeof t[0].check)
        return NULL;
    struct step_acc *s = &t[(*n)++];
    memcpy(s->check, check, len);
    s->check[len] = 0;
    return s;
}

/* Defect codes from the stored JSON array of plain strings, e.g. ["SCR-L","WEAR"]. */
static void count_defects(struct work *w, const char *json)
{
    const char *p = json;
    while ((p = strchr(p, '"'))) {
        const char *e = strchr(p + 1, '"');
        if (!e)
            break;
        char code[32];
        size_t len = (size_t)(e - p - 1);
        if (len < sizeof code) {
            memcpy(code, p + 1, len);
            code[len] = 0;
            count_key(w->defects, &w->ndefects, MAX_DEFECTS_SEEN, code);
        }
        p = e + 1;
    }
}

/* Step times from the stored JSON object of check → ms, e.g. {"screen":4200}. */
static void add_steps(struct work *w, struct grader_acc *g, const char *json)
{
    const char *p = json;
    while ((p = strchr(p, '"'))) {
        const char *e = strchr(p + 1, '"');
        if (!e || e[1] != ':')
            break;
        long long ms = strtoll(e + 2, NULL, 10);
        size_t len = (size_t)(e - p - 1);
        struct step_acc *all = step_slot(w->steps, &w->nsteps, p + 1, len);
        struct step_acc *mine = g ? step_slot(g->steps, &g->nsteps, p + 1, len) : NULL;
        if ((all && !durs_add(&all->d, ms)) || (mine && !durs_add(&mine->d, ms)))
            w->oom = true;
        p = e + 1;
    }
}

static int grader_index(struct stats_report *r, const char *badge)
{
    for (int i = 0; i < r->ngraders; i++)
        if (strcmp(r->graders[i].badge, badge) == 0)
            return i;
    if (r->ngraders >= STATS_MAX_GRADERS)
        return -1;
    struct stats_grader *g = &r->graders[r->ngraders];
    snprintf(g->badge, sizeof g->badge, "%s", badge);
    return r->ngraders++;
}

static void reason_add(struct work *w, const char *reason, const char *functional, const char *grade)
{
    struct stats_reason *x = NULL;
    for (int i = 0; i < w->nreasons && !x; i++)
        if (strcmp(w->reasons[i].reason, reason) == 0)
            x = &w->reasons[i];
    if (!x) {
        if (w->nreasons >= MAX_REASONS_SEEN)
            return;
        x = &w->reasons[w->nreasons++];
        snprintf(x->reason, sizeof x->reason, "%s", reason);
    }
    x->n++;
    if (!functional[0])
        x->no_function++;
    else if (functional[0] == 'A')
        x->functions_ok++;
    else
        x->function_fault++;
    if (grade[0] == 'A')
        x->no_fault++;
}

static int cmp_count(const void *a, const void *b)
{
    const struct stats_count *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->key, y->key);
}

static int cmp_reason(const void *a, const void *b)
{
    const struct stats_reason *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->reason, y->reason);
}

static int grade_idx(enum grade g) { return g >= GRADE_A && g <= GRADE_X ? (int)g - (int)GRADE_A : -1; }

static int read_rows(sqlite3 *db, const struct stats_range *range, struct stats_report *r,
                     struct work *w, char *err, size_t errlen)
{
    static const char sql[] =
        "SELECT finished_at, operator, started_at, grade, functional, disposition,"
        " responsibility, reason, late, mismatch, calibration_due, calibrates, plate, defects,"
        " step_ms FROM inspections INDEXED BY inspections_stats"
        " WHERE finished_at >= ?1 AND finished_at < ?2";
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        set_err(err, errlen, "E753: cannot read the inspections: %s", sqlite3_errmsg(db));
        return -1;
    }
    sqlite3_bind_int64(s, 1, range->from_day * DAY_MS);
    sqlite3_bind_int64(s, 2, (range->to_day + 1) * DAY_MS);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && !w->oom) {
        int64_t finished = sqlite3_column_int64(s, 0);
        const char *op = col_text(s, 1);
        int64_t started = sqlite3_column_int64(s, 2);
        enum grade g = grade_from_char(col_text(s, 3)[0]);
        const char *calibrates = col_text(s, 11);
        int gi = grader_index(r, op);
        if (calibrates[0]) {
            if (w->ncals == w->capcals) {
                size_t cap = w->capcals ? w->capcals * 2 : 64;
                void *p = realloc(w->cals, cap * sizeof *w->cals);
                if (!p) {
                    w->oom = true;
                    break;
                }
                w->cals = p;
                w->capcals = cap;
            }
            struct cal *c = &w->cals[w->ncals++];
            snprintf(c->plate, sizeof c->plate, "%s", calibrates);
            snprintf(c->badge, sizeof c->badge, "%s", op);
            c->grader = gi;
            c->grade = g;
            continue;
        }
        r->total++;
        int64_t day = finished / DAY_MS - range->from_day;
        if (day >= 0 && day < r->ndays)
            r->per_day[day]++;
        if (g >= GRADE_A && g <= GRADE_X)
            r->grades[g]++;
        count_key(w->disp, &w->ndisp, MAX_DISP_SEEN, col_text(s, 5));
        int resp = responsibility_from_name(col_text(s, 6));
        r->resp[resp < 0 ? 0 : resp]++;
        const char *reason = col_text(s, 7);
        const char *functional = col_text(s, 4);
        if (reason[0]) {
            reason_add(w, reason, functional, col_text(s, 3));
            if (strcmp(reason, "defective") == 0 && functional[0] == 'A')
                r->defective_functions_ok++;
        }
        r->late += sqlite3_column_int(s, 8) != 0;
        r->mismatch += sqlite3_column_int(s, 9) != 0;
        if (sqlite3_column_int(s, 10)) {
            if (w->ndue == w->capdue) {
                size_t cap = w->capdue ? w->capdue * 2 : 64;
                void *p = realloc(w->due, cap * sizeof *w->due);
                if (!p) {
                    w->oom = true;
                    break;
                }
                w->due = p;
                w->capdue = cap;
            }
            snprintf(w->due[w->ndue++], sizeof *w->due, "%s", col_text(s, 12));
        }
        const char *defects = col_text(s, 13);
        if (defects[0] && defects[1] && defects[1] != ']') {
            r->with_defects++;
            count_defects(w, defects);
        }
        struct grader_acc *ga = gi >= 0 ? &w->g[gi] : NULL;
        if (ga) {
            struct stats_grader *sg = &r->graders[gi];
            if (sg->n == 0 || ga->last_hour != finished / 3600000) {
                sg->active_hours++;
                ga->last_hour = finished / 3600000;
            }
            sg->n++;
            if (g >= GRADE_A && g <= GRADE_X)
                sg->grades[g]++;
            if (!durs_add(&ga->d, finished - started))
                w->oom = true;
        }
        add_steps(w, ga, col_text(s, 14));
    }
    sqlite3_finalize(s);
    if (w->oom) {
        set_err(err, errlen, "E754: out of memory computing statistics");
        return -1;
    }
    if (rc != SQLITE_DONE) {
        set_err(err, errlen, "E753: cannot read the inspections: %s", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

/* First grades of the calibration records, agreement, and what is still due. */
static int read_calibration(sqlite3 *db, struct stats_report *r, struct work *w, char *err,
                            size_t errlen)
{
    sqlite3_stmt *first = NULL, *done = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(db, "SELECT operator, grade FROM inspections WHERE plate = ?1", -1,
                           &first, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT 1 FROM inspections WHERE calibrates = ?1 LIMIT 1", -1,
                           &done, NULL) != SQLITE_OK) {
        set_err(err, errlen, "E755: cannot read calibration records: %s", sqlite3_errmsg(db));
        goto out;
    }
    for (size_t i = 0; i < w->ncals; i++) {
        struct cal *c = &w->cals[i];
        sqlite3_bind_text(first, 1, c->plate, -1, SQLITE_STATIC);
        if (sqlite3_step(first) == SQLITE_ROW) {
            int gi = grader_index(r, col_text(first, 0));
            int a = grade_idx(grade_from_char(col_text(first, 1)[0])), b = grade_idx(c->grade);
            if (a >= 0 && b >= 0) {
                r->cal_pairs++;
                r->cal_agree += a == b;
                r->cal_matrix[a][b]++;
                if (gi >= 0) {
                    r->graders[gi].cal_pairs++;
                    r->graders[gi].cal_agree += a == b;
                    w->g[gi].m[a][b]++;
                }
                if (c->grader >= 0 && c->grader != gi) {
                    r->graders[c->grader].cal_pairs++;
                    r->graders[c->grader].cal_agree += a == b;
                    w->g[c->grader].m[b][a]++;
                }
            }
        }
        sqlite3_reset(first);
    }
    r->cal_due = (int64_t)w->ndue;
    for (size_t i = 0; i < w->ndue; i++) {
        sqlite3_bind_text(done, 1, w->due[i], -1, SQLITE_STATIC);
        if (sqlite3_step(done) != SQLITE_ROW)
            r->cal_pending++;
        sqlite3_reset(done);
    }
    rc = 0;
out:
    sqlite3_finalize(first);
    sqlite3_finalize(done);
    return rc;
}

static void fill_names(sqlite3 *db, struct stats_report *r)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, "SELECT name FROM operators WHERE badge = ?1", -1, &s, NULL) !=
        SQLITE_OK)
        return;
    for (int i = 0; i < r->ngraders; i++) {
        sqlite3_bind_text(s, 1, r->graders[i].badge, -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW)
            snprintf(r->graders[i].name, sizeof r->graders[i].name, "%s", col_text(s, 0));
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
}

static void finish_steps(struct step_acc *acc, int nacc, struct stats_step *out, int *nout)
{
    *nout = 0;
    for (int i = 0; i < nacc && *nout < STATS_MAX_STEPS; i++) {
        struct stats_step *o = &out[(*nout)++];
        snprintf(o->check, sizeof o->check, "%s", acc[i].check);
        o->n = (int64_t)acc[i].d.n;
        o->median_s = median_s(acc[i].d.v, acc[i].d.n);
    }
}

static int cmp_grader(const void *a, const void *b)
{
    const struct stats_grader *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->badge, y->badge);
}

int stats_compute(struct store *st, const struct stats_range *range, struct stats_report *r,
                  char *err, size_t errlen)
{
    int64_t t0 = clock_mono_ns();
    memset(r, 0, sizeof *r);
    r->kappa = NAN;
    if (stats_range_check(range, err, errlen) < 0)
        return -1;
    r->range = *range;
    r->ndays = (int)(range->to_day - range->from_day + 1);
    sqlite3 *db = store_db(st);
    struct work *w = calloc(1, sizeof *w);
    if (!w) {
        set_err(err, errlen, "E754: out of memory computing statistics");
        return -1;
    }
    int rc = -1;
    /* Map the file rather than copy pages through read(2): the range's part
     * of the index is read whole. A no-op where mmap is unavailable. */
    sqlite3_exec(db, "PRAGMA mmap_size = 268435456", NULL, NULL, NULL);
    /* One snapshot for every query below. */
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        set_err(err, errlen, "E753: cannot read the inspections: %s", sqlite3_errmsg(db));
        goto out;
    }
    if (read_rows(db, range, r, w, err, errlen) < 0 ||
        read_calibration(db, r, w, err, errlen) < 0)
        goto end;
    fill_names(db, r);

    /* Medians and kappas. */
    for (int i = 0; i < r->ngraders; i++) {
        struct stats_grader *g = &r->graders[i];
        g->median_s = median_s(w->g[i].d.v, w->g[i].d.n);
        g->items_per_hour = g->active_hours ? (double)g->n / (double)g->active_hours : 0;
        finish_steps(w->g[i].steps, w->g[i].nsteps, g->steps, &g->nsteps);
        g->kappa = stats_kappa(&w->g[i].m[0][0], 4);
    }
    finish_steps(w->steps, w->nsteps, r->steps, &r->nsteps);
    r->kappa = stats_kappa(&r->cal_matrix[0][0], 4);
    /* Graders with no outcomes of their own in the range (only re-grades) stay listed. */
    qsort(r->graders, (size_t)r->ngraders, sizeof *r->graders, cmp_grader);

    qsort(w->disp, (size_t)w->ndisp, sizeof *w->disp, cmp_count);
    r->ndisp = w->ndisp < STATS_MAX_DISP ? w->ndisp : STATS_MAX_DISP;
    memcpy(r->disp, w->disp, (size_t)r->ndisp * sizeof *r->disp);
    qsort(w->defects, (size_t)w->ndefects, sizeof *w->defects, cmp_count);
    r->ndefects = w->ndefects < STATS_TOP ? w->ndefects : STATS_TOP;
    memcpy(r->defects, w->defects, (size_t)r->ndefects * sizeof *r->defects);
    qsort(w->reasons, (size_t)w->nreasons, sizeof *w->reasons, cmp_reason);
    r->nreasons = w->nreasons < STATS_MAX_REASONS ? w->nreasons : STATS_MAX_REASONS;
    memcpy(r->reasons, w->reasons, (size_t)r->nreasons * sizeof *r->reasons);
    if (r->total > 0) {
        r->late_rate = (double)r->late / (double)r->total;
        r->mismatch_rate = (double)r->mismatch / (double)r->total;
    }
    rc = 0;
end:
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
out:
    work_free(w);
    free(w);
    r->compute_ms = (double)(clock_mono_ns() - t0) / 1e6;
    return rc;
}

/* ---- drill-down ---------------------------------------------------------- */

int stats_list_query(struct store *st, const struct stats_range *range, enum stats_dim dim,
                     const char *key, struct stats_list *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->range = *range;
    out->dim = dim;
    snprintf(out->key, sizeof out->key, "%s", key ? key : "");
    if (stats_range_check(range, err, errlen) < 0)
        return -1;
    int64_t from = range->from_day * DAY_MS, to = (range->to_day + 1) * DAY_MS;
    const char *cond;
    switch (dim) {
    case SD_DAY: {
        int64_t ms;
        if (!key || time_parse_date(key, &ms) != 0) {
            set_err(err, errlen, "E750: day \"%s\" is not a date (YYYY-MM-DD)", key ? key : "");
            return -1;
        }
        if (ms > from)
            from = ms;
        if (ms + DAY_MS < to)
            to = ms + DAY_MS;
        cond = "1";
        break;
    }
    case SD_GRADE: cond = "grade = ?3"; break;
    case SD_DISPOSITION: cond = "coalesce(disposition, '') = ?3"; break;
    case SD_RESPONSIBILITY: cond = "coalesce(responsibility, '') = ?3"; break;
    case SD_DEFECT:
        cond = "EXISTS (SELECT 1 FROM json_each(defects) WHERE json_each.value = ?3)";
        break;
    case SD_REASON: cond = "coalesce(reason, '') = ?3"; break;
    case SD_GRADER: cond = "operator = ?3"; break;
    case SD_LATE: cond = "late"; break;
    case SD_MISMATCH: cond = "mismatch"; break;
    default: cond = "1"; break;
    }
    char sql[600];
    snprintf(sql, sizeof sql,
             "SELECT plate, operator, coalesce(sku, ''), coalesce(disposition, ''), finished_at,"
             " grade, count(*) OVER () FROM inspections INDEXED BY inspections_stats"
             " WHERE finished_at >= ?1 AND finished_at < ?2 AND calibrates IS NULL AND %s"
             " ORDER BY finished_at DESC LIMIT %d",
             cond, STATS_LIST_MAX);
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        set_err(err, errlen, "E756: cannot list the inspections: %s", sqlite3_errmsg(db));
        return -1;
    }
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, to);
    if (strstr(cond, "?3"))
        sqlite3_bind_text(s, 3, key ? key : "", -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct stats_row *row = &out->rows[out->nrows++];
        snprintf(row->plate, sizeof row->plate, "%s", col_text(s, 0));
        snprintf(row->operator_badge, sizeof row->operator_badge, "%s", col_text(s, 1));
        snprintf(row->sku, sizeof row->sku, "%s", col_text(s, 2));
        snprintf(row->disposition, sizeof row->disposition, "%s", col_text(s, 3));
        row->finished_at = sqlite3_column_int64(s, 4);
        row->grade = grade_from_char(col_text(s, 5)[0]);
        out->total = sqlite3_column_int64(s, 6);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        set_err(err, errlen, "E756: cannot list the inspections: %s", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

/* ---- printing ------------------------------------------------------------ */

static cJSON *num_or_null(double v)
{
    return isnan(v) ? cJSON_CreateNull() : cJSON_CreateNumber(round(v * 1000) / 1000);
}

static cJSON *steps_json(const struct stats_step *steps, int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "check", steps[i].check);
        cJSON_AddNumberToObject(o, "n", (double)steps[i].n);
        cJSON_AddItemToObject(o, "median_s", num_or_null(steps[i].median_s));
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

static cJSON *report_json(const struct stats_report *r)
{
    char day[16];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "from", stats_day_text(r->range.from_day, day, sizeof day));
    cJSON_AddStringToObject(o, "to", stats_day_text(r->range.to_day, day, sizeof day));
    cJSON_AddNumberToObject(o, "inspections", (double)r->total);
    cJSON *pd = cJSON_AddArrayToObject(o, "per_day");
    for (int i = 0; i < r->ndays; i++) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "day", stats_day_text(r->range.from_day + i, day, sizeof day));
        cJSON_AddNumberToObject(d, "n", (double)r->per_day[i]);
        cJSON_AddItemToArray(pd, d);
    }
    cJSON *gr = cJSON_AddObjectToObject(o, "grades");
    for (int g = GRADE_A; g <= GRADE_X; g++)
        cJSON_AddNumberToObject(gr, grade_name((enum grade)g), (double)r->grades[g]);
    cJSON *dp = cJSON_AddObjectToObject(o, "dispositions");
    for (int i = 0; i < r->ndisp; i++)
        cJSON_AddNumberToObject(dp, r->disp[i].key[0] ? r->disp[i].key : "none",
                                (double)r->disp[i].n);
    cJSON *rs = cJSON_AddObjectToObject(o, "responsibility");
    for (int i = 0; i < RESP_COUNT; i++)
        cJSON_AddNumberToObject(rs, i ? responsibility_name((enum responsibility)i) : "none",
                                (double)r->resp[i]);
    cJSON *df = cJSON_AddArrayToObject(o, "top_defects");
    for (int i = 0; i < r->ndefects; i++) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "code", r->defects[i].key);
        cJSON_AddNumberToObject(d, "n", (double)r->defects[i].n);
        cJSON_AddItemToArray(df, d);
    }
    cJSON_AddNumberToObject(o, "with_defects", (double)r->with_defects);
    cJSON *re = cJSON_AddArrayToObject(o, "reasons");
    for (int i = 0; i < r->nreasons; i++) {
        const struct stats_reason *x = &r->reasons[i];
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "reason", x->reason);
        cJSON_AddNumberToObject(d, "n", (double)x->n);
        cJSON_AddNumberToObject(d, "functions_ok", (double)x->functions_ok);
        cJSON_AddNumberToObject(d, "function_fault", (double)x->function_fault);
        cJSON_AddNumberToObject(d, "no_function_checks", (double)x->no_function);
        cJSON_AddNumberToObject(d, "no_fault", (double)x->no_fault);
        cJSON_AddItemToArray(re, d);
    }
    cJSON_AddNumberToObject(o, "declared_defective_functions_ok", (double)r->defective_functions_ok);
    cJSON_AddNumberToObject(o, "late", (double)r->late);
    cJSON_AddNumberToObject(o, "mismatch", (double)r->mismatch);
    cJSON_AddItemToObject(o, "late_rate", num_or_null(r->late_rate));
    cJSON_AddItemToObject(o, "mismatch_rate", num_or_null(r->mismatch_rate));
    cJSON_AddItemToObject(o, "steps", steps_json(r->steps, r->nsteps));
    cJSON *ga = cJSON_AddArrayToObject(o, "graders");
    for (int i = 0; i < r->ngraders; i++) {
        const struct stats_grader *g = &r->graders[i];
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "badge", g->badge);
        cJSON_AddStringToObject(d, "name", g->name);
        cJSON_AddNumberToObject(d, "inspections", (double)g->n);
        cJSON_AddNumberToObject(d, "active_hours", (double)g->active_hours);
        cJSON_AddItemToObject(d, "items_per_hour", num_or_null(g->items_per_hour));
        cJSON_AddItemToObject(d, "median_s", num_or_null(g->median_s));
        cJSON *gg = cJSON_AddObjectToObject(d, "grades");
        for (int k = GRADE_A; k <= GRADE_X; k++)
            cJSON_AddNumberToObject(gg, grade_name((enum grade)k), (double)g->grades[k]);
        cJSON_AddItemToObject(d, "steps", steps_json(g->steps, g->nsteps));
        cJSON_AddNumberToObject(d, "calibration_pairs", (double)g->cal_pairs);
        cJSON_AddItemToObject(d, "agreement",
                              g->cal_pairs ? num_or_null((double)g->cal_agree / (double)g->cal_pairs)
                                           : cJSON_CreateNull());
        cJSON_AddItemToObject(d, "kappa", num_or_null(g->kappa));
        cJSON_AddItemToArray(ga, d);
    }
    cJSON *ca = cJSON_AddObjectToObject(o, "calibration");
    cJSON_AddNumberToObject(ca, "due", (double)r->cal_due);
    cJSON_AddNumberToObject(ca, "pending", (double)r->cal_pending);
    cJSON_AddNumberToObject(ca, "pairs", (double)r->cal_pairs);
    cJSON_AddItemToObject(ca, "agreement",
                          r->cal_pairs ? num_or_null((double)r->cal_agree / (double)r->cal_pairs)
                                       : cJSON_CreateNull());
    cJSON_AddItemToObject(ca, "kappa", num_or_null(r->kappa));
    return o;
}

static void csv_row(FILE *f, const char *section, const char *key, const char *sub, double v)
{
    if (isnan(v))
        fprintf(f, "%s,%s,%s,\r\n", section, key, sub);
    else
        fprintf(f, "%s,%s,%s,%.10g\r\n", section, key, sub, round(v * 1000) / 1000);
}

static void print_csv(const struct stats_report *r, FILE *f)
{
    char day[16];
    fputs("section,key,sub,value\r\n", f);
    fprintf(f, "range,from,,%s\r\n", stats_day_text(r->range.from_day, day, sizeof day));
    fprintf(f, "range,to,,%s\r\n", stats_day_text(r->range.to_day, day, sizeof day));
    csv_row(f, "total", "inspections", "", (double)r->total);
    for (int i = 0; i < r->ndays; i++)
        csv_row(f, "per_day", stats_day_text(r->range.from_day + i, day, sizeof day), "",
                (double)r->per_day[i]);
    for (int g = GRADE_A; g <= GRADE_X; g++)
        csv_row(f, "grade", grade_name((enum grade)g), "", (double)r->grades[g]);
    for (int i = 0; i < r->ndisp; i++)
        csv_row(f, "disposition", r->disp[i].key[0] ? r->disp[i].key : "none", "",
                (double)r->disp[i].n);
    for (int i = 0; i < RESP_COUNT; i++)
        csv_row(f, "responsibility", i ? responsibility_name((enum responsibility)i) : "none", "",
                (double)r->resp[i]);
    for (int i = 0; i < r->ndefects; i++)
        csv_row(f, "defect", r->defects[i].key, "", (double)r->defects[i].n);
    for (int i = 0; i < r->nreasons; i++) {
        const struct stats_reason *x = &r->reasons[i];
        csv_row(f, "reason", x->reason, "n", (double)x->n);
        csv_row(f, "reason", x->reason, "functions_ok", (double)x->functions_ok);
        csv_row(f, "reason", x->reason, "function_fault", (double)x->function_fault);
        csv_row(f, "reason", x->reason, "no_function_checks", (double)x->no_function);
        csv_row(f, "reason", x->reason, "no_fault", (double)x->no_fault);
    }
    csv_row(f, "total", "declared_defective_functions_ok", "", (double)r->defective_functions_ok);
    csv_row(f, "total", "late", "", (double)r->late);
    csv_row(f, "total", "mismatch", "", (double)r->mismatch);
    csv_row(f, "total", "late_rate", "", r->late_rate);
    csv_row(f, "total", "mismatch_rate", "", r->mismatch_rate);
    for (int i = 0; i < r->nsteps; i++)
        csv_row(f, "step_median_s", r->steps[i].check, "", r->steps[i].median_s);
    for (int i = 0; i < r->ngraders; i++) {
        const struct stats_grader *g = &r->graders[i];
        csv_row(f, "grader", g->badge, "inspections", (double)g->n);
        csv_row(f, "grader", g->badge, "items_per_hour", g->items_per_hour);
        csv_row(f, "grader", g->badge, "median_s", g->median_s);
        for (int k = GRADE_A; k <= GRADE_X; k++) {
            char sub[16];
            snprintf(sub, sizeof sub, "grade_%s", grade_name((enum grade)k));
            csv_row(f, "grader", g->badge, sub, (double)g->grades[k]);
        }
        for (int k = 0; k < g->nsteps; k++) {
            char sub[48];
            snprintf(sub, sizeof sub, "step_%s_median_s", g->steps[k].check);
            csv_row(f, "grader", g->badge, sub, g->steps[k].median_s);
        }
        csv_row(f, "grader", g->badge, "calibration_pairs", (double)g->cal_pairs);
        csv_row(f, "grader", g->badge, "agreement",
                g->cal_pairs ? (double)g->cal_agree / (double)g->cal_pairs : NAN);
        csv_row(f, "grader", g->badge, "kappa", g->kappa);
    }
    csv_row(f, "calibration", "due", "", (double)r->cal_due);
    csv_row(f, "calibration", "pending", "", (double)r->cal_pending);
    csv_row(f, "calibration", "pairs", "", (double)r->cal_pairs);
    csv_row(f, "calibration", "agreement", "",
            r->cal_pairs ? (double)r->cal_agree / (double)r->cal_pairs : NAN);
    csv_row(f, "calibration", "kappa", "", r->kappa);
}

static double pct(int64_t n, int64_t total) { return total ? 100.0 * (double)n / (double)total : 0; }

static void print_table(const struct stats_report *r, FILE *f)
{
    char a[16], b[16];
    fprintf(f, "Statistics %s to %s (UTC days)\n\n", stats_day_text(r->range.from_day, a, sizeof a),
            stats_day_text(r->range.to_day, b, sizeof b));
    fprintf(f, "Inspections            %lld\n", (long long)r->total);
    fprintf(f, "Late returns           %lld (%.1f%%)\n", (long long)r->late, 100 * r->late_rate);
    fprintf(f, "Item mismatches        %lld (%.1f%%)\n", (long long)r->mismatch,
            100 * r->mismatch_rate);
    fprintf(f, "Declared defective, every function check passed: %lld\n\n",
            (long long)r->defective_functions_ok);
    fprintf(f, "Per day\n");
    for (int i = 0; i < r->ndays; i++)
        fprintf(f, "  %s  %6lld\n", stats_day_text(r->range.from_day + i, a, sizeof a),
                (long long)r->per_day[i]);
    fprintf(f, "\nGrades\n");
    for (int g = GRADE_A; g <= GRADE_X; g++)
        fprintf(f, "  %-18s %8lld  %5.1f%%\n", grade_name((enum grade)g), (long long)r->grades[g],
                pct(r->grades[g], r->total));
    fprintf(f, "\nDispositions\n");
    for (int i = 0; i < r->ndisp; i++)
        fprintf(f, "  %-18s %8lld  %5.1f%%\n", r->disp[i].key[0] ? r->disp[i].key : "none",
                (long long)r->disp[i].n, pct(r->disp[i].n, r->total));
    fprintf(f, "\nResponsibility\n");
    for (int i = 0; i < RESP_COUNT; i++)
        fprintf(f, "  %-18s %8lld  %5.1f%%\n",
                i ? responsibility_name((enum responsibility)i) : "none", (long long)r->resp[i],
                pct(r->resp[i], r->total));
    fprintf(f, "\nTop defect codes\n");
    for (int i = 0; i < r->ndefects; i++)
        fprintf(f, "  %-18s %8lld\n", r->defects[i].key, (long long)r->defects[i].n);
    fprintf(f, "\nDeclared reason      n   functions OK  function fault  no function checks  "
               "grade A\n");
    for (int i = 0; i < r->nreasons; i++) {
        const struct stats_reason *x = &r->reasons[i];
        fprintf(f, "  %-16s %6lld %12lld %15lld %19lld %8lld\n", x->reason, (long long)x->n,
                (long long)x->functions_ok, (long long)x->function_fault,
                (long long)x->no_function, (long long)x->no_fault);
    }
    fprintf(f, "\nMedian seconds per checklist step\n");
    for (int i = 0; i < r->nsteps; i++)
        fprintf(f, "  %-18s %8.1f  (%lld)\n", r->steps[i].check, r->steps[i].median_s,
                (long long)r->steps[i].n);
    fprintf(f, "\nGrader            items  items/h  median s     A     B     C     X  "
               "re-graded  agree  kappa\n");
    for (int i = 0; i < r->ngraders; i++) {
        const struct stats_grader *g = &r->graders[i];
        char agree[16] = "-", kappa[16] = "-";
        if (g->cal_pairs)
            snprintf(agree, sizeof agree, "%.0f%%", pct(g->cal_agree, g->cal_pairs));
        if (!isnan(g->kappa))
            snprintf(kappa, sizeof kappa, "%.2f", g->kappa);
        fprintf(f, "  %-14s %7lld %8.1f %9.1f %5lld %5lld %5lld %5lld %10lld %6s %6s\n", g->badge,
                (long long)g->n, g->items_per_hour, g->median_s, (long long)g->grades[GRADE_A],
                (long long)g->grades[GRADE_B], (long long)g->grades[GRADE_C],
                (long long)g->grades[GRADE_X], (long long)g->cal_pairs, agree, kappa);
    }
    fprintf(f, "\nCalibration: %lld chosen for a blind re-grade, %lld still pending, %lld pairs",
            (long long)r->cal_due, (long long)r->cal_pending, (long long)r->cal_pairs);
    if (r->cal_pairs)
        fprintf(f, ", %.0f%% identical", pct(r->cal_agree, r->cal_pairs));
    if (!isnan(r->kappa))
        fprintf(f, ", kappa %.2f", r->kappa);
    fprintf(f, "\n");
}

int stats_print(const struct stats_report *r, enum stats_format fmt, FILE *out)
{
    if (fmt == STATS_JSON) {
        cJSON *o = report_json(r);
        char *text = o ? cJSON_Print(o) : NULL;
        cJSON_Delete(o);
        if (!text)
            return -1;
        fputs(text, out);
        fputc('\n', out);
        free(text);
    } else if (fmt == STATS_CSV) {
        print_csv(r, out);
    } else {
        print_table(r, out);
    }
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

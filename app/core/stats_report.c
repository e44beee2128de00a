/*
 * stats_report.c — the pure half of the statistics (definitions in
 * stats_report.h): date ranges, Cohen's kappa, medians, and printing a
 * report as a table, CSV or JSON. The SQL that fills a report lives in the
 * store (stats_query.c).
 */
#include "stats_report.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "text.h"
#include "tz.h"

static const char *const dim_names[SD_COUNT] = {
    "none",   "day",    "grade", "disposition", "responsibility", "defect",
    "reason", "grader", "late",  "mismatch",    "category",       "sku"};

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

void stats_range_bounds(const struct stats_range *r, int64_t *from_ms, int64_t *to_ms)
{
    *from_ms = tz_day_start(r->tz, r->from_day);
    *to_ms = tz_day_start(r->tz, r->to_day + 1);
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
double stats_median_s(int32_t *v, size_t n)
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

/* ---- categories and SKUs ------------------------------------------------- */

static int cmp_group_n(const void *a, const void *b)
{
    const struct stats_group *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* Highest defect rate first, compared exactly (a/b > c/d as a*d > c*b). */
static int cmp_group_rate(const void *a, const void *b)
{
    const struct stats_group *x = a, *y = b;
    int64_t l = x->with_defects * y->n, r = y->with_defects * x->n;
    if (l != r)
        return l > r ? -1 : 1;
    return cmp_group_n(a, b);
}

static void group_finish(struct stats_group *g)
{
    g->defect_rate = g->n ? (double)g->with_defects / (double)g->n : 0;
}

void stats_rank_skus(struct stats_report *r, struct stats_group *skus, size_t n)
{
    r->nskus = (int64_t)n;
    if (n == 0) { /* skus may be NULL */
        r->ntop_skus = r->ndefect_skus = 0;
        return;
    }
    for (size_t i = 0; i < n; i++)
        group_finish(&skus[i]);
    qsort(skus, n, sizeof *skus, cmp_group_n);
    r->ntop_skus = n < STATS_TOP_SKUS ? (int)n : STATS_TOP_SKUS;
    memcpy(r->top_skus, skus, (size_t)r->ntop_skus * sizeof *skus);
    /* Those with enough inspections to say something, by rate. */
    size_t k = 0;
    while (k < n && skus[k].n >= STATS_SKU_MIN)
        k++;
    qsort(skus, k, sizeof *skus, cmp_group_rate);
    r->ndefect_skus = k < STATS_TOP_SKUS ? (int)k : STATS_TOP_SKUS;
    memcpy(r->defect_skus, skus, (size_t)r->ndefect_skus * sizeof *skus);
}

void stats_rank_categories(struct stats_report *r, struct stats_group *cats, size_t n)
{
    if (n == 0) { /* cats may be NULL */
        r->ncategories = 0;
        return;
    }
    for (size_t i = 0; i < n; i++)
        group_finish(&cats[i]);
    qsort(cats, n, sizeof *cats, cmp_group_n);
    r->ncategories = n < STATS_MAX_CATEGORIES ? (int)n : STATS_MAX_CATEGORIES;
    memcpy(r->categories, cats, (size_t)r->ncategories * sizeof *cats);
}

/* ---- the shared end of a computation -------------------------------------- */

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

static int cmp_step(const void *a, const void *b)
{
    return strcmp(((const struct stats_step *)a)->check, ((const struct stats_step *)b)->check);
}

static int cmp_grader(const void *a, const void *b)
{
    const struct stats_grader *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->badge, y->badge);
}

int stats_grader_index(struct stats_report *r, const char *badge)
{
    for (int i = 0; i < r->ngraders; i++)
        if (strcmp(r->graders[i].badge, badge) == 0)
            return i;
    if (r->ngraders >= STATS_MAX_GRADERS)
        return -1;
    struct stats_grader *g = &r->graders[r->ngraders];
    memset(g, 0, sizeof *g);
    snprintf(g->badge, sizeof g->badge, "%s", badge);
    g->kappa = NAN;
    return r->ngraders++;
}

static int grade_idx(enum grade g)
{
    return g >= GRADE_A && g <= GRADE_X ? (int)g - (int)GRADE_A : -1;
}

void stats_add_pair(struct stats_report *r, int64_t (*m)[4][4], int fi, int ri, enum grade first,
                    enum grade regrade)
{
    int a = grade_idx(first), b = grade_idx(regrade);
    if (a < 0 || b < 0)
        return;
    r->cal_pairs++;
    r->cal_agree += a == b;
    r->cal_matrix[a][b]++;
    if (fi >= 0) {
        r->graders[fi].cal_pairs++;
        r->graders[fi].cal_agree += a == b;
        m[fi][a][b]++;
    }
    if (ri >= 0 && ri != fi) {
        r->graders[ri].cal_pairs++;
        r->graders[ri].cal_agree += a == b;
        m[ri][b][a]++;
    }
}

/* Sort `n` counts most first and keep at most `cap` of them in out. */
static int rank_counts(struct stats_count *v, int n, struct stats_count *out, int cap)
{
    if (n <= 0) /* v may be NULL */
        return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_count);
    int k = n < cap ? n : cap;
    memcpy(out, v, (size_t)k * sizeof *v);
    return k;
}

void stats_finish(struct stats_report *r, const struct stats_seen *seen, int64_t (*m)[4][4])
{
    for (int i = 0; i < r->ngraders; i++) {
        struct stats_grader *g = &r->graders[i];
        g->items_per_hour = g->active_hours ? (double)g->n / (double)g->active_hours : 0;
        g->override_rate = g->policy_n ? (double)g->policy_overrides / (double)g->policy_n : 0;
        g->kappa = stats_kappa(&m[i][0][0], 4);
        qsort(g->steps, (size_t)g->nsteps, sizeof *g->steps, cmp_step);
    }
    qsort(r->steps, (size_t)r->nsteps, sizeof *r->steps, cmp_step);
    r->kappa = stats_kappa(&r->cal_matrix[0][0], 4);
    /* Graders with no outcomes of their own in the range (only re-grades) stay listed. */
    qsort(r->graders, (size_t)r->ngraders, sizeof *r->graders, cmp_grader);
    r->ndisp = rank_counts(seen->disp, seen->ndisp, r->disp, STATS_MAX_DISP);
    r->ndefects = rank_counts(seen->defects, seen->ndefects, r->defects, STATS_TOP);
    r->noverride_reasons =
        rank_counts(seen->overrides, seen->noverrides, r->override_reasons, STATS_MAX_REASONS);
    r->nreasons = 0;
    if (seen->nreasons > 0) {
        qsort(seen->reasons, (size_t)seen->nreasons, sizeof *seen->reasons, cmp_reason);
        r->nreasons = seen->nreasons < STATS_MAX_REASONS ? seen->nreasons : STATS_MAX_REASONS;
        memcpy(r->reasons, seen->reasons, (size_t)r->nreasons * sizeof *seen->reasons);
    }
    r->late_rate = r->total > 0 ? (double)r->late / (double)r->total : 0;
    r->mismatch_rate = r->verified > 0 ? (double)r->mismatch / (double)r->verified : 0;
}

/* ---- printing ------------------------------------------------------------ */

static const char *resp_key(int i)
{
    return i ? responsibility_name((enum responsibility)i) : "none";
}

static const char *resolution_key(int i)
{
    return i ? resolution_name((enum resolution)i) : "none";
}

static cJSON *group_json(const struct stats_group *g, const char *what)
{
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, what, g->key[0] ? g->key : "none");
    cJSON_AddNumberToObject(d, "inspections", (double)g->n);
    cJSON_AddNumberToObject(d, "with_defects", (double)g->with_defects);
    cJSON_AddNumberToObject(d, "defect_rate", round(g->defect_rate * 10000) / 10000);
    cJSON_AddNumberToObject(d, "late", (double)g->late);
    cJSON_AddNumberToObject(d, "mismatch", (double)g->mismatch);
    cJSON_AddNumberToObject(d, "verified", (double)g->verified);
    cJSON *gr = cJSON_AddObjectToObject(d, "grades");
    for (int k = GRADE_A; k <= GRADE_X; k++)
        cJSON_AddNumberToObject(gr, grade_name((enum grade)k), (double)g->grades[k]);
    cJSON *rs = cJSON_AddObjectToObject(d, "responsibility");
    for (int k = 0; k < RESP_COUNT; k++)
        cJSON_AddNumberToObject(rs, resp_key(k), (double)g->resp[k]);
    return d;
}

static cJSON *groups_json(const struct stats_group *g, int n, const char *what)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(a, group_json(&g[i], what));
    return a;
}

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
    cJSON_AddStringToObject(o, "timezone", r->timezone);
    cJSON_AddNumberToObject(o, "inspections", (double)r->total);
    cJSON_AddNumberToObject(o, "superseded", (double)r->superseded);
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
    cJSON *rd = cJSON_AddArrayToObject(o, "responsibility_per_day");
    for (int i = 0; i < r->ndays; i++) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "day", stats_day_text(r->range.from_day + i, day, sizeof day));
        for (int k = 0; k < RESP_COUNT; k++)
            cJSON_AddNumberToObject(d, resp_key(k), (double)r->resp_day[i][k]);
        cJSON_AddItemToArray(rd, d);
    }
    cJSON *zd = cJSON_AddArrayToObject(o, "resolution_per_day");
    for (int i = 0; i < r->ndays; i++) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "day", stats_day_text(r->range.from_day + i, day, sizeof day));
        for (int k = 0; k < RESOLUTION_COUNT; k++)
            cJSON_AddNumberToObject(d, resolution_key(k), (double)r->resolution_day[i][k]);
        cJSON_AddItemToArray(zd, d);
    }
    cJSON_AddItemToObject(o, "categories", groups_json(r->categories, r->ncategories, "category"));
    cJSON_AddNumberToObject(o, "skus", (double)r->nskus);
    cJSON_AddItemToObject(o, "top_skus", groups_json(r->top_skus, r->ntop_skus, "sku"));
    cJSON_AddNumberToObject(o, "sku_min_for_rate", STATS_SKU_MIN);
    cJSON_AddItemToObject(o, "top_skus_by_defect_rate",
                          groups_json(r->defect_skus, r->ndefect_skus, "sku"));
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
        cJSON_AddNumberToObject(d, "confirmed", (double)x->confirmed);
        cJSON_AddNumberToObject(d, "not_found", (double)x->not_found);
        cJSON_AddItemToArray(re, d);
    }
    cJSON_AddNumberToObject(o, "declared_defective_functions_ok",
                            (double)r->defective_functions_ok);
    cJSON_AddNumberToObject(o, "late", (double)r->late);
    cJSON_AddNumberToObject(o, "mismatch", (double)r->mismatch);
    cJSON_AddNumberToObject(o, "verified", (double)r->verified);
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
                              g->cal_pairs
                                  ? num_or_null((double)g->cal_agree / (double)g->cal_pairs)
                                  : cJSON_CreateNull());
        cJSON_AddItemToObject(d, "kappa", num_or_null(g->kappa));
        cJSON_AddNumberToObject(d, "policy_inspections", (double)g->policy_n);
        cJSON_AddNumberToObject(d, "overrides", (double)g->policy_overrides);
        cJSON_AddItemToObject(d, "override_rate",
                              g->policy_n ? num_or_null(g->override_rate) : cJSON_CreateNull());
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
    cJSON *po = cJSON_AddObjectToObject(o, "policy");
    cJSON_AddNumberToObject(po, "inspections", (double)r->policy_n);
    cJSON_AddNumberToObject(po, "overrides", (double)r->policy_overrides);
    cJSON_AddItemToObject(po, "override_rate",
                          r->policy_n
                              ? num_or_null((double)r->policy_overrides / (double)r->policy_n)
                              : cJSON_CreateNull());
    cJSON_AddNumberToObject(po, "reason_confirmed", (double)r->reason_confirmed);
    cJSON_AddNumberToObject(po, "reason_not_found", (double)r->reason_not_found);
    cJSON *orz = cJSON_AddArrayToObject(po, "override_reasons");
    for (int i = 0; i < r->noverride_reasons; i++) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(
            d, "reason", r->override_reasons[i].key[0] ? r->override_reasons[i].key : "none");
        cJSON_AddNumberToObject(d, "n", (double)r->override_reasons[i].n);
        cJSON_AddItemToArray(orz, d);
    }
    cJSON *rz = cJSON_AddObjectToObject(po, "resolutions");
    for (int i = 0; i < RESOLUTION_COUNT; i++)
        cJSON_AddNumberToObject(rz, resolution_key(i), (double)r->resolutions[i]);
    cJSON *rt = cJSON_AddObjectToObject(po, "return_types");
    for (int i = 0; i < RETURN_TYPE_COUNT; i++)
        cJSON_AddNumberToObject(rt, i ? return_type_name((enum return_type)i) : "none",
                                (double)r->return_types[i]);
    return o;
}

static void csv_row(FILE *f, const char *section, const char *key, const char *sub, double v)
{
    if (isnan(v))
        fprintf(f, "%s,%s,%s,\r\n", section, key, sub);
    else
        fprintf(f, "%s,%s,%s,%.10g\r\n", section, key, sub, round(v * 1000) / 1000);
}

/* A CSV key is quoted when it holds a comma, a quote or a line break. */
static void csv_key(FILE *f, const char *key)
{
    if (!key[0]) {
        fputs("none", f);
        return;
    }
    if (!strpbrk(key, ",\"\r\n")) {
        fputs(key, f);
        return;
    }
    fputc('"', f);
    for (const char *p = key; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

static void csv_groups(FILE *f, const char *section, const struct stats_group *g, int n)
{
    for (int i = 0; i < n; i++) {
        static const char *const subs[] = {"inspections", "with_defects", "late", "mismatch",
                                           "verified"};
        const int64_t v[] = {g[i].n, g[i].with_defects, g[i].late, g[i].mismatch, g[i].verified};
        for (int k = 0; k < 5; k++) {
            fprintf(f, "%s,", section);
            csv_key(f, g[i].key);
            fprintf(f, ",%s,%lld\r\n", subs[k], (long long)v[k]);
        }
        fprintf(f, "%s,", section);
        csv_key(f, g[i].key);
        fprintf(f, ",defect_rate,%.10g\r\n", round(g[i].defect_rate * 10000) / 10000);
        for (int k = GRADE_A; k <= GRADE_X; k++) {
            fprintf(f, "%s,", section);
            csv_key(f, g[i].key);
            fprintf(f, ",grade_%s,%lld\r\n", grade_name((enum grade)k), (long long)g[i].grades[k]);
        }
        for (int k = 0; k < RESP_COUNT; k++) {
            fprintf(f, "%s,", section);
            csv_key(f, g[i].key);
            fprintf(f, ",responsibility_%s,%lld\r\n", resp_key(k), (long long)g[i].resp[k]);
        }
    }
}

static void print_csv(const struct stats_report *r, FILE *f)
{
    char day[16];
    fputs("section,key,sub,value\r\n", f);
    fprintf(f, "range,from,,%s\r\n", stats_day_text(r->range.from_day, day, sizeof day));
    fprintf(f, "range,to,,%s\r\n", stats_day_text(r->range.to_day, day, sizeof day));
    fprintf(f, "range,timezone,,%s\r\n", r->timezone);
    csv_row(f, "total", "inspections", "", (double)r->total);
    csv_row(f, "total", "superseded", "", (double)r->superseded);
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
    for (int i = 0; i < r->ndays; i++)
        for (int k = 0; k < RESP_COUNT; k++)
            csv_row(f, "responsibility_day", stats_day_text(r->range.from_day + i, day, sizeof day),
                    resp_key(k), (double)r->resp_day[i][k]);
    csv_groups(f, "category", r->categories, r->ncategories);
    csv_row(f, "total", "skus", "", (double)r->nskus);
    csv_groups(f, "sku", r->top_skus, r->ntop_skus);
    csv_groups(f, "sku_by_defect_rate", r->defect_skus, r->ndefect_skus);
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
    csv_row(f, "total", "verified", "", (double)r->verified);
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
    /* The grading policy. */
    csv_row(f, "policy", "inspections", "", (double)r->policy_n);
    csv_row(f, "policy", "overrides", "", (double)r->policy_overrides);
    csv_row(f, "policy", "override_rate", "",
            r->policy_n ? (double)r->policy_overrides / (double)r->policy_n : NAN);
    for (int i = 0; i < r->nreasons; i++) {
        csv_row(f, "reason_check", r->reasons[i].reason, "confirmed",
                (double)r->reasons[i].confirmed);
        csv_row(f, "reason_check", r->reasons[i].reason, "not_found",
                (double)r->reasons[i].not_found);
    }
    for (int i = 0; i < r->noverride_reasons; i++)
        csv_row(f, "override_reason",
                r->override_reasons[i].key[0] ? r->override_reasons[i].key : "none", "",
                (double)r->override_reasons[i].n);
    for (int i = 0; i < RESOLUTION_COUNT; i++)
        csv_row(f, "resolution", resolution_key(i), "", (double)r->resolutions[i]);
    for (int i = 0; i < r->ndays; i++)
        for (int k = 0; k < RESOLUTION_COUNT; k++)
            csv_row(f, "resolution_day", stats_day_text(r->range.from_day + i, day, sizeof day),
                    resolution_key(k), (double)r->resolution_day[i][k]);
    for (int i = 0; i < RETURN_TYPE_COUNT; i++)
        csv_row(f, "return_type", i ? return_type_name((enum return_type)i) : "none", "",
                (double)r->return_types[i]);
    for (int i = 0; i < r->ngraders; i++) {
        const struct stats_grader *g = &r->graders[i];
        csv_row(f, "grader_policy", g->badge, "inspections", (double)g->policy_n);
        csv_row(f, "grader_policy", g->badge, "overrides", (double)g->policy_overrides);
        csv_row(f, "grader_policy", g->badge, "override_rate",
                g->policy_n ? g->override_rate : NAN);
    }
}

static double pct(int64_t n, int64_t total)
{
    return total ? 100.0 * (double)n / (double)total : 0;
}

static void table_group(FILE *f, const struct stats_group *g)
{
    fprintf(f, "  %-18s %6lld %13lld %11.1f%% %6lld %11lld\n", g->key[0] ? g->key : "none",
            (long long)g->n, (long long)g->with_defects, 100 * g->defect_rate, (long long)g->late,
            (long long)g->mismatch);
}

static void print_table(const struct stats_report *r, FILE *f)
{
    char a[16], b[16];
    fprintf(f, "Statistics %s to %s (days in %s)\n\n",
            stats_day_text(r->range.from_day, a, sizeof a),
            stats_day_text(r->range.to_day, b, sizeof b), r->timezone);
    fprintf(f, "Inspections            %lld\n", (long long)r->total);
    fprintf(f, "Re-graded (not counted) %lld\n", (long long)r->superseded);
    fprintf(f, "Late returns           %lld (%.1f%%)\n", (long long)r->late, 100 * r->late_rate);
    fprintf(f, "Item mismatches        %lld of %lld verified (%.1f%%)\n", (long long)r->mismatch,
            (long long)r->verified, 100 * r->mismatch_rate);
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
    fprintf(f, "\nCategory             items  with defects  defect rate   late  wrong item\n");
    for (int i = 0; i < r->ncategories; i++)
        table_group(f, &r->categories[i]);
    fprintf(f, "\nTop SKUs by returns (%lld SKUs)\n", (long long)r->nskus);
    for (int i = 0; i < r->ntop_skus; i++)
        table_group(f, &r->top_skus[i]);
    fprintf(f, "\nTop SKUs by defect rate (at least %d items)\n", STATS_SKU_MIN);
    for (int i = 0; i < r->ndefect_skus; i++)
        table_group(f, &r->defect_skus[i]);
    fprintf(f, "\nDeclared reason      n   functions OK  function fault  no function checks  "
               "grade A\n");
    for (int i = 0; i < r->nreasons; i++) {
        const struct stats_reason *x = &r->reasons[i];
        fprintf(f, "  %-16s %6lld %12lld %15lld %19lld %8lld\n", x->reason, (long long)x->n,
                (long long)x->functions_ok, (long long)x->function_fault, (long long)x->no_function,
                (long long)x->no_fault);
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

    fprintf(f,
            "\nGrading policy: %lld outcomes recorded with it, %lld with another responsibility"
            " than suggested (%.1f%%)\n",
            (long long)r->policy_n, (long long)r->policy_overrides,
            pct(r->policy_overrides, r->policy_n));
    fprintf(f, "\nDeclared reason   declared  confirmed  not found\n");
    for (int i = 0; i < r->nreasons; i++) {
        const struct stats_reason *x = &r->reasons[i];
        fprintf(f, "  %-16s %7lld %10lld %10lld\n", x->reason, (long long)x->n,
                (long long)x->confirmed, (long long)x->not_found);
    }
    fprintf(f, "\nOverride reasons\n");
    for (int i = 0; i < r->noverride_reasons; i++)
        fprintf(f, "  %-18s %8lld  %5.1f%%\n",
                r->override_reasons[i].key[0] ? r->override_reasons[i].key : "none",
                (long long)r->override_reasons[i].n,
                pct(r->override_reasons[i].n, r->policy_overrides));
    fprintf(f, "\nResolutions\n");
    for (int i = 0; i < RESOLUTION_COUNT; i++)
        fprintf(f, "  %-18s %8lld  %5.1f%%\n", resolution_key(i), (long long)r->resolutions[i],
                pct(r->resolutions[i], r->total));
    fprintf(f, "\nReturn types\n");
    for (int i = 0; i < RETURN_TYPE_COUNT; i++)
        fprintf(f, "  %-18s %8lld  %5.1f%%\n", i ? return_type_name((enum return_type)i) : "none",
                (long long)r->return_types[i], pct(r->return_types[i], r->total));
    fprintf(f, "\nOverrides per grader\n");
    for (int i = 0; i < r->ngraders; i++) {
        const struct stats_grader *g = &r->graders[i];
        fprintf(f, "  %-14s %6lld of %6lld  %5.1f%%\n", g->badge, (long long)g->policy_overrides,
                (long long)g->policy_n, pct(g->policy_overrides, g->policy_n));
    }
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

/*
 * stats_query.c — a date range's grading statistics (definitions in
 * stats_report.h).
 *
 * One read transaction, one pass: the range's rows are read in finished_at
 * order from the covering index inspections_stats (stats_schema, below),
 * which holds every column the report needs, so the wide `record` column is
 * never touched. Counting happens in C on the way; medians sort each grader's
 * durations once at the end. Calibration records are few (calibration_pct of
 * the outcomes): their first grades are looked up by plate afterwards.
 */
#include "stats_query.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "store.h"
#include "store_internal.h"
#include "text.h"
#include "tz.h"

#define DAY_MS 86400000LL

/* The indexes the statistics read: a covering index so that a date range's
 * numbers are read from the index alone (never the wide record column), and
 * the calibration records by the plate they re-grade. The text is as it was
 * released, double spaces included: a database made today is the same as
 * one made then (tests/test_store.c). */
const char *stats_schema(int version)
{
    if (version == 8)
        /* Override reasons: the covering index takes responsibility_reason. */
        return "DROP INDEX inspections_stats;"
               "CREATE INDEX inspections_stats ON inspections (finished_at, operator, started_at,"
               " grade, functional, disposition, responsibility, reason, late, mismatch,"
               " calibration_due, calibrates, plate, defects, step_ms, item_check, reason_check,"
               " responsibility_suggested, return_type, resolution, category, sku,"
               " responsibility_reason);";
    if (version == 7)
        /* The grading policy's columns (reasons found against declared,
         * overrides per grader, resolutions and return types), categories and
         * SKUs: the covering index takes them too; the re-grades that
         * replaced an outcome by the plate they name. */
        return "DROP INDEX inspections_stats;"
               "CREATE INDEX inspections_stats ON inspections (finished_at, operator, started_at,"
               " grade, functional, disposition, responsibility, reason, late, mismatch,"
               " calibration_due, calibrates, plate, defects, step_ms, item_check, reason_check,"
               " responsibility_suggested, return_type, resolution, category, sku);"
               "CREATE INDEX inspections_supersedes ON inspections (supersedes)"
               " WHERE supersedes IS NOT NULL;";
    if (version == 6)
        /* The wrong-item rate counts the items checked against the manifest:
         * the covering index takes item_check too. */
        return "DROP INDEX inspections_stats;"
               "CREATE INDEX inspections_stats ON inspections (finished_at, operator, started_at,"
               " grade, functional, disposition, responsibility, reason, late, mismatch,"
               " calibration_due, calibrates, plate, defects, step_ms, item_check);";
    if (version != 3)
        return NULL;
    return "CREATE INDEX inspections_stats ON inspections (finished_at, operator, started_at,"
           " grade,  functional, disposition, responsibility, reason, late, mismatch,"
           " calibration_due,  calibrates, plate, defects, step_ms);"
           "CREATE INDEX inspections_calibrates ON inspections (calibrates)"
           "  WHERE calibrates IS NOT NULL;";
}
#define MAX_REASONS_SEEN 64
#define MAX_DEFECTS_SEEN 128
#define MAX_DISP_SEEN 16

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

/* ---- groups (categories, SKUs) by key ---------------------------------------- */

/* The groups seen so far and an open-addressing index over them. */
struct gmap {
    struct stats_group *v;
    size_t n, cap;
    int32_t *slot; /* index into v + 1; 0 = empty */
    size_t nslot;  /* a power of two, at least twice n */
};

static uint32_t hash_text(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void gmap_free(struct gmap *m)
{
    free(m->v);
    free(m->slot);
}

static bool gmap_grow(struct gmap *m)
{
    size_t nslot = m->nslot ? m->nslot * 2 : 256;
    int32_t *slot = calloc(nslot, sizeof *slot);
    if (!slot)
        return false;
    for (size_t i = 0; i < m->n; i++) {
        size_t k = hash_text(m->v[i].key) & (nslot - 1);
        while (slot[k])
            k = (k + 1) & (nslot - 1);
        slot[k] = (int32_t)i + 1;
    }
    free(m->slot);
    m->slot = slot;
    m->nslot = nslot;
    return true;
}

/* The group of `key` (cut to the field's size), made when new; NULL when out
 * of memory. */
static struct stats_group *gmap_get(struct gmap *m, const char *key)
{
    char k[sizeof m->v->key];
    snprintf(k, sizeof k, "%s", key);
    if (m->nslot) {
        for (size_t i = hash_text(k) & (m->nslot - 1); m->slot[i]; i = (i + 1) & (m->nslot - 1))
            if (strcmp(m->v[m->slot[i] - 1].key, k) == 0)
                return &m->v[m->slot[i] - 1];
    }
    if ((m->n + 1) * 2 > m->nslot && !gmap_grow(m))
        return NULL;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        struct stats_group *v = realloc(m->v, cap * sizeof *v);
        if (!v)
            return NULL;
        m->v = v;
        m->cap = cap;
    }
    struct stats_group *g = &m->v[m->n];
    memset(g, 0, sizeof *g);
    memcpy(g->key, k, sizeof k);
    size_t i = hash_text(k) & (m->nslot - 1);
    while (m->slot[i])
        i = (i + 1) & (m->nslot - 1);
    m->slot[i] = (int32_t)++m->n;
    return g;
}

/* One outcome into its group. */
static void group_add(struct stats_group *g, enum grade grade, int resp, bool defects, bool late,
                      bool mismatch, bool verified)
{
    g->n++;
    g->with_defects += defects;
    g->late += late;
    g->mismatch += mismatch;
    g->verified += verified;
    if (grade >= GRADE_A && grade <= GRADE_X)
        g->grades[grade]++;
    g->resp[resp]++;
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
};

struct work {
    struct grader_acc g[STATS_MAX_GRADERS];
    int64_t m[STATS_MAX_GRADERS][4][4]; /* per grader: own grade x the other's */
    struct step_acc steps[STATS_MAX_STEPS];
    int nsteps;
    struct stats_count defects[MAX_DEFECTS_SEEN];
    int ndefects;
    struct stats_count disp[MAX_DISP_SEEN];
    int ndisp;
    struct stats_reason reasons[MAX_REASONS_SEEN];
    int nreasons;
    struct stats_count overrides[MAX_REASONS_SEEN]; /* override reasons */
    int noverrides;
    /* calibration records: plate re-graded, re-grader, re-grade */
    struct cal {
        char plate[48];
        int grader; /* index into report graders, or -1 */
        char badge[64];
        enum grade grade;
    } * cals;
    size_t ncals, capcals;
    char (*due)[48]; /* plates chosen for a re-grade */
    size_t ndue, capdue;
    struct gmap cats, skus;
    char (*superseded)[48]; /* plates a re-grade replaced, sorted */
    size_t nsuperseded;
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
    free(w->superseded);
    gmap_free(&w->cats);
    gmap_free(&w->skus);
}

static int cmp_plate(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* The plates some re-grade replaced (few: a partial index holds them). */
static int read_superseded(sqlite3 *db, struct work *w, char *err, size_t errlen)
{
    sqlite3_stmt *s = NULL;
    size_t cap = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT DISTINCT supersedes FROM inspections"
                           " WHERE supersedes IS NOT NULL",
                           -1, &s, NULL) != SQLITE_OK) {
        set_err(err, errlen, "E753: cannot read the inspections: %s", sqlite3_errmsg(db));
        return -1;
    }
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (w->nsuperseded == cap) {
            cap = cap ? cap * 2 : 64;
            void *p = realloc(w->superseded, cap * sizeof *w->superseded);
            if (!p) {
                w->oom = true;
                break;
            }
            w->superseded = p;
        }
        const unsigned char *t = sqlite3_column_text(s, 0);
        snprintf(w->superseded[w->nsuperseded++], sizeof *w->superseded, "%s",
                 t ? (const char *)t : "");
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
    if (w->nsuperseded)
        qsort(w->superseded, w->nsuperseded, sizeof *w->superseded, cmp_plate);
    return 0;
}

static bool is_superseded(const struct work *w, const char *plate)
{
    return w->nsuperseded &&
           bsearch(plate, w->superseded, w->nsuperseded, sizeof *w->superseded, cmp_plate);
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

static void reason_add(struct work *w, const char *reason, const char *functional,
                       const char *grade, const char *reason_check)
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
    x->confirmed += strcmp(reason_check, "confirmed") == 0;
    x->not_found += strcmp(reason_check, "not_found") == 0;
}

static int read_rows(sqlite3 *db, const struct stats_range *range, struct stats_report *r,
                     struct work *w, char *err, size_t errlen)
{
    static const char sql[] =
        "SELECT finished_at, operator, started_at, grade, functional, disposition,"
        " responsibility, reason, late, mismatch, calibration_due, calibrates, plate, defects,"
        " step_ms, item_check, reason_check, responsibility_suggested, return_type, resolution,"
        " category, sku, responsibility_reason FROM inspections INDEXED BY inspections_stats"
        " WHERE finished_at >= ?1 AND finished_at < ?2";
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        set_err(err, errlen, "E753: cannot read the inspections: %s", sqlite3_errmsg(db));
        return -1;
    }
    /* Where each local day starts: rows come in finished_at order, so a
     * cursor over the days finds each row's day. */
    int64_t *starts = malloc(((size_t)r->ndays + 1) * sizeof *starts);
    if (!starts) {
        sqlite3_finalize(s);
        set_err(err, errlen, "E754: out of memory computing statistics");
        return -1;
    }
    for (int i = 0; i <= r->ndays; i++)
        starts[i] = tz_day_start(range->tz, range->from_day + i);
    sqlite3_bind_int64(s, 1, starts[0]);
    sqlite3_bind_int64(s, 2, starts[r->ndays]);
    int day = 0, rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && !w->oom) {
        int64_t finished = sqlite3_column_int64(s, 0);
        const char *op = col_text(s, 1);
        int64_t started = sqlite3_column_int64(s, 2);
        enum grade g = grade_from_char(col_text(s, 3)[0]);
        const char *calibrates = col_text(s, 11);
        if (!calibrates[0] && is_superseded(w, col_text(s, 12))) {
            r->superseded++;
            continue;
        }
        int gi = stats_grader_index(r, op);
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
        while (day + 1 < r->ndays && finished >= starts[day + 1])
            day++;
        r->per_day[day]++;
        if (g >= GRADE_A && g <= GRADE_X)
            r->grades[g]++;
        count_key(w->disp, &w->ndisp, MAX_DISP_SEEN, col_text(s, 5));
        int resp = responsibility_from_name(col_text(s, 6));
        if (resp < 0)
            resp = RESP_NONE;
        r->resp[resp]++;
        r->resp_day[day][resp]++;
        const char *reason = col_text(s, 7);
        const char *functional = col_text(s, 4);
        const char *reason_check = col_text(s, 16);
        if (reason[0]) {
            reason_add(w, reason, functional, col_text(s, 3), reason_check);
            if (strcmp(reason, "defective") == 0 && functional[0] == 'A')
                r->defective_functions_ok++;
        }
        /* The grading policy, for the outcomes recorded with it. */
        bool policy = reason_check[0] != 0;
        bool overridden = policy && strcmp(col_text(s, 6), col_text(s, 17)) != 0;
        r->policy_n += policy;
        r->policy_overrides += overridden;
        r->reason_confirmed += strcmp(reason_check, "confirmed") == 0;
        r->reason_not_found += strcmp(reason_check, "not_found") == 0;
        int rt = return_type_from_name(col_text(s, 18)),
            res = resolution_from_name(col_text(s, 19));
        r->return_types[rt < 0 ? 0 : rt]++;
        r->resolutions[res < 0 ? 0 : res]++;
        r->resolution_day[day][res < 0 ? 0 : res]++;
        if (overridden)
            count_key(w->overrides, &w->noverrides, MAX_REASONS_SEEN, col_text(s, 22));
        if (gi >= 0) {
            r->graders[gi].policy_n += policy;
            r->graders[gi].policy_overrides += overridden;
        }
        bool late = sqlite3_column_int(s, 8) != 0, mismatch = sqlite3_column_int(s, 9) != 0;
        r->late += late;
        r->mismatch += mismatch;
        /* Checked against the manifest; a record from before item_check
         * was recorded counts as checked, as it always did. */
        const char *check = col_text(s, 15);
        bool verified = !check[0] || !strcmp(check, "matched") || !strcmp(check, "mismatched");
        r->verified += verified;
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
        bool has_defects = defects[0] && defects[1] && defects[1] != ']';
        if (has_defects) {
            r->with_defects++;
            count_defects(w, defects);
        }
        struct stats_group *cat = gmap_get(&w->cats, col_text(s, 20));
        struct stats_group *sku = gmap_get(&w->skus, col_text(s, 21));
        if (!cat || !sku) {
            w->oom = true;
            break;
        }
        group_add(cat, g, resp, has_defects, late, mismatch, verified);
        group_add(sku, g, resp, has_defects, late, mismatch, verified);
        struct grader_acc *ga = gi >= 0 ? &w->g[gi] : NULL;
        if (ga) {
            struct stats_grader *sg = &r->graders[gi];
            int64_t hour = tz_hour(range->tz, finished);
            if (sg->n == 0 || ga->last_hour != hour) {
                sg->active_hours++;
                ga->last_hour = hour;
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
    free(starts);
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
        sqlite3_prepare_v2(db, "SELECT 1 FROM inspections WHERE calibrates = ?1 LIMIT 1", -1, &done,
                           NULL) != SQLITE_OK) {
        set_err(err, errlen, "E755: cannot read calibration records: %s", sqlite3_errmsg(db));
        goto out;
    }
    for (size_t i = 0; i < w->ncals; i++) {
        struct cal *c = &w->cals[i];
        sqlite3_bind_text(first, 1, c->plate, -1, SQLITE_STATIC);
        if (sqlite3_step(first) == SQLITE_ROW)
            stats_add_pair(r, w->m, stats_grader_index(r, col_text(first, 0)), c->grader,
                           grade_from_char(col_text(first, 1)[0]), c->grade);
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
        o->median_s = stats_median_s(acc[i].d.v, acc[i].d.n);
    }
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
    snprintf(r->timezone, sizeof r->timezone, "%s", tz_name(range->tz));
    sqlite3 *db = store_db(st);
    struct work *w = calloc(1, sizeof *w);
    if (!w) {
        set_err(err, errlen, "E754: out of memory computing statistics");
        return -1;
    }
    int rc = -1;
    /* One snapshot for every query below. */
    if (store_read_begin(st) != SQLITE_OK) {
        set_err(err, errlen, "E753: cannot read the inspections: %s", sqlite3_errmsg(db));
        goto out;
    }
    if (read_superseded(db, w, err, errlen) < 0 || read_rows(db, range, r, w, err, errlen) < 0 ||
        read_calibration(db, r, w, err, errlen) < 0)
        goto end;
    fill_names(db, r);

    /* Medians; the rest is the end both computations share. */
    for (int i = 0; i < r->ngraders; i++) {
        struct stats_grader *g = &r->graders[i];
        g->median_s = stats_median_s(w->g[i].d.v, w->g[i].d.n);
        finish_steps(w->g[i].steps, w->g[i].nsteps, g->steps, &g->nsteps);
    }
    finish_steps(w->steps, w->nsteps, r->steps, &r->nsteps);
    const struct stats_seen seen = {.disp = w->disp,
                                    .ndisp = w->ndisp,
                                    .defects = w->defects,
                                    .ndefects = w->ndefects,
                                    .overrides = w->overrides,
                                    .noverrides = w->noverrides,
                                    .reasons = w->reasons,
                                    .nreasons = w->nreasons};
    stats_finish(r, &seen, w->m);
    stats_rank_categories(r, w->cats.v, w->cats.n);
    stats_rank_skus(r, w->skus.v, w->skus.n);
    rc = 0;
end:
    store_read_end(st);
out:
    work_free(w);
    free(w);
    r->compute_ms = (double)(clock_mono_ns() - t0) / 1e6;
    return rc;
}

/* ---- drill-down ---------------------------------------------------------- */

int stats_list_query(struct store *st, const struct stats_range *range, enum stats_dim dim,
                     const char *key, int64_t offset, struct stats_list *out, char *err,
                     size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->range = *range;
    out->dim = dim;
    out->offset = offset < 0 ? 0 : offset;
    snprintf(out->key, sizeof out->key, "%s", key ? key : "");
    if (stats_range_check(range, err, errlen) < 0)
        return -1;
    int64_t from, to;
    stats_range_bounds(range, &from, &to);
    const char *cond;
    switch (dim) {
    case SD_DAY: {
        int64_t ms;
        if (!key || time_parse_date(key, &ms) != 0) {
            set_err(err, errlen, "E750: day \"%s\" is not a date (YYYY-MM-DD)", key ? key : "");
            return -1;
        }
        int64_t a = tz_day_start(range->tz, time_day(ms)),
                b = tz_day_start(range->tz, time_day(ms) + 1);
        if (a > from)
            from = a;
        if (b < to)
            to = b;
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
    case SD_CATEGORY: cond = "coalesce(category, '') = ?3"; break;
    case SD_SKU: cond = "coalesce(sku, '') = ?3"; break;
    default: cond = "1"; break;
    }
    /* The outcomes the report counts (stats_report.h): no calibration
     * record, none a re-grade replaced; one page of them, newest first. */
    char sql[900];
    snprintf(sql, sizeof sql,
             "SELECT plate, operator, coalesce(sku, ''), coalesce(disposition, ''), finished_at,"
             " grade, count(*) OVER () FROM inspections i INDEXED BY inspections_stats"
             " WHERE finished_at >= ?1 AND finished_at < ?2 AND calibrates IS NULL AND %s"
             " AND NOT EXISTS (SELECT 1 FROM inspections n WHERE n.supersedes = i.plate)"
             " ORDER BY finished_at DESC, seq DESC LIMIT %d OFFSET ?4",
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
    sqlite3_bind_int64(s, 4, out->offset);
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
    if (out->nrows == 0 && out->offset > 0) {
        /* Past the end: how many there are, so that the screen can go back. */
        struct stats_list probe;
        if (stats_list_query(st, range, dim, key, 0, &probe, err, errlen) < 0)
            return -1;
        out->total = probe.total;
    }
    return 0;
}

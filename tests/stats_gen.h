/*
 * stats_gen.h — generated inspections with known answers, for the
 * statistics tests (test_report.c, test_stats_pg.c).
 *
 * A month (October 2026) of a site in Asia/Shanghai (UTC+8, no daylight
 * saving since 1991): outcomes of three categories and eight SKUs by five
 * graders, some re-graded (a later outcome supersedes the first), some
 * chosen for a blind re-grade and re-graded by another grader (calibration
 * records), a few just outside the month on either side, and three on the
 * day boundary of 2026-10-10/11 (15:59:59Z, 16:00:00Z and 23:30:00Z, the
 * last two on the 11th local). Whole seconds, as the export record keeps.
 *
 * Beside the database, every record is kept here (struct gen), and
 * gen_expect() counts them again by the definitions in stats_report.h,
 * independently of the code under test: the test compares the two.
 */
#ifndef TRIAGE_STATS_GEN_H
#define TRIAGE_STATS_GEN_H

#include <stdio.h>
#include <string.h>

#include "inspection.h"
#include "store.h"

#define GEN_MAX 900
#define GEN_TZ_OFFSET_S (8 * 3600)
#define GEN_GRADERS 5
#define GEN_SKUS 8

struct gen_rec {
    struct inspection in;
    bool superseded; /* a later outcome replaced it */
};

struct gen {
    int n;
    struct gen_rec r[GEN_MAX];
    int64_t from_day, to_day; /* the month's local days */
    uint64_t rng;
};

static const char *const gen_graders[GEN_GRADERS] = {"G1", "G2", "G3", "G4", "G5"};
static const char *const gen_skus[GEN_SKUS] = {"PH-A", "PH-B", "PH-C", "AP-D",
                                               "AP-E", "SA-F", "SA-G", "SA-H"};
static const char *const gen_reasons[] = {"defective", "changed_mind", "damaged", ""};
static const char *const gen_codes[] = {"SCR-L", "DOA", "WEAR", "NOBOX"};
static const char *const gen_checks[] = {"screen", "power", "box"};
/* Override reasons given ("": none given). */
static const char *const gen_override_reasons[4] = {"carrier_damage", "photo_evidence",
                                                    "customer_admits", ""};

static uint32_t gen_rnd(struct gen *g, uint32_t n)
{
    g->rng ^= g->rng << 13;
    g->rng ^= g->rng >> 7;
    g->rng ^= g->rng << 17;
    return (uint32_t)(g->rng % n);
}

static const char *gen_category(const char *sku)
{
    return sku[0] == 'P' ? "phone" : sku[0] == 'A' ? "apparel" : "appliance";
}

/* Commit one inspection; keep it. */
static struct gen_rec *gen_commit(struct gen *g, struct store *st, struct inspection *in)
{
    char err[256];
    if (g->n >= GEN_MAX || store_commit_inspection(st, in, err, sizeof err) != 0) {
        fprintf(stderr, "  generate: %s\n", g->n >= GEN_MAX ? "too many" : err);
        return NULL;
    }
    struct gen_rec *r = &g->r[g->n++];
    memset(r, 0, sizeof *r);
    r->in = *in;
    return r;
}

/* An outcome finished at `finished` (Unix seconds). */
static void gen_outcome(struct gen *g, struct inspection *in, int i, int64_t finished)
{
    memset(in, 0, sizeof *in);
    snprintf(in->rma, sizeof in->rma, "RMA-%d", i);
    const char *sku = gen_skus[(gen_rnd(g, 3) == 0) ? 0 : gen_rnd(g, GEN_SKUS)];
    snprintf(in->sku, sizeof in->sku, "%s", sku);
    snprintf(in->category, sizeof in->category, "%s", gen_category(sku));
    snprintf(in->operator_badge, sizeof in->operator_badge, "%s",
             gen_graders[gen_rnd(g, GEN_GRADERS)]);
    snprintf(in->reason, sizeof in->reason, "%s", gen_reasons[gen_rnd(g, 4)]);
    in->finished_at = finished * 1000;
    in->started_at = in->finished_at - (20 + (int64_t)gen_rnd(g, 300)) * 1000;
    /* SA-H breaks often: it leads the defect rates. */
    in->grade =
        !strcmp(sku, "SA-H") && gen_rnd(g, 4) ? GRADE_X : (enum grade)(GRADE_A + gen_rnd(g, 4));
    uint32_t f = gen_rnd(g, 4);
    in->aspect_grade[ASPECT_FUNCTIONAL] = f == 3 ? GRADE_NONE : f == 0 ? GRADE_A : in->grade;
    snprintf(in->disposition, sizeof in->disposition, "%s",
             in->grade == GRADE_A ? "restock"
             : gen_rnd(g, 2)      ? "refurbish"
                                  : "scrap");
    in->responsibility = (enum responsibility)gen_rnd(g, RESP_COUNT);
    in->late = gen_rnd(g, 7) == 0;
    in->mismatch = gen_rnd(g, 9) == 0;
    static const enum item_check others[] = {ITEM_CHECK_MATCHED, ITEM_CHECK_SKIPPED,
                                             ITEM_CHECK_UNVERIFIED, ITEM_CHECK_MATCHED};
    in->item_check = in->mismatch ? ITEM_CHECK_MISMATCHED : others[gen_rnd(g, 4)];
    in->ndefects = in->grade == GRADE_A ? 0 : 1 + (int)gen_rnd(g, 2);
    for (int k = 0; k < in->ndefects; k++)
        snprintf(in->defects[k], sizeof in->defects[k], "%s", gen_codes[(i + k) % 4]);
    /* The grading policy, from i alone (the generator's sequence stays as
     * it was): the reason check, a quarter of the outcomes given another
     * responsibility than the suggested one (with a reason, or none), the
     * resolution and the return type. */
    static const enum reason_check checks[3] = {REASON_CHECK_CONFIRMED, REASON_CHECK_NOT_FOUND,
                                                REASON_CHECK_NONE};
    in->reason_check = in->reason[0] ? checks[i % 3] : REASON_CHECK_NONE;
    in->responsibility_suggested =
        i % 4 == 0 ? (enum responsibility)((in->responsibility + 1) % RESP_COUNT)
                   : in->responsibility;
    if (i % 4 == 0)
        snprintf(in->responsibility_reason, sizeof in->responsibility_reason, "%s",
                 gen_override_reasons[(i / 4) % 4]);
    in->resolution = (enum resolution)(i % RESOLUTION_COUNT);
    in->return_type = (enum return_type)(i % RETURN_TYPE_COUNT);
    in->nanswers = 3;
    for (int k = 0; k < 3; k++) {
        snprintf(in->answers[k].check, sizeof in->answers[k].check, "%s", gen_checks[k]);
        snprintf(in->answers[k].answer, sizeof in->answers[k].answer, "ok");
        in->step_ms[k] = 1000 + (int32_t)gen_rnd(g, 20000);
    }
}

/* Fill st with the month; returns false when a commit failed. */
static bool gen_fill(struct gen *g, struct store *st)
{
    memset(g, 0, sizeof *g);
    g->rng = 0x9E3779B97F4A7C15ULL;
    int64_t oct1_ms;
    time_parse_date("2026-10-01", &oct1_ms);
    g->from_day = time_day(oct1_ms);
    g->to_day = g->from_day + 30;
    /* The month's first local instant in UTC seconds. */
    int64_t start = oct1_ms / 1000 - GEN_TZ_OFFSET_S;
    int idx = 0;
    struct inspection in;
    for (int i = 0; i < 600; i++, idx++) {
        /* From a day before the month to a day after it. */
        int64_t t = start - 86400 + (int64_t)gen_rnd(g, 33 * 86400);
        gen_outcome(g, &in, idx, t);
        in.calibration_due = gen_rnd(g, 8) == 0;
        if (!gen_commit(g, st, &in))
            return false;
    }
    /* The day boundary in Shanghai: 2026-10-10T15:59:59Z is the 10th,
     * 16:00:00Z and 23:30:00Z the 11th. */
    int64_t oct10_ms;
    time_parse_date("2026-10-10", &oct10_ms);
    const int64_t edges[] = {oct10_ms / 1000 + 15 * 3600 + 3599, oct10_ms / 1000 + 16 * 3600,
                             oct10_ms / 1000 + 23 * 3600 + 1800};
    for (int k = 0; k < 3; k++, idx++) {
        gen_outcome(g, &in, idx, edges[k]);
        if (!gen_commit(g, st, &in))
            return false;
    }
    /* Re-grades: a later outcome of the same RMA supersedes the first. */
    int first_n = g->n;
    for (int i = 0; i < first_n; i += 17) {
        struct gen_rec *old = &g->r[i];
        gen_outcome(g, &in, 5000 + i, old->in.finished_at / 1000 + 3600 + gen_rnd(g, 86400));
        snprintf(in.rma, sizeof in.rma, "%s", old->in.rma);
        snprintf(in.sku, sizeof in.sku, "%s", old->in.sku);
        snprintf(in.category, sizeof in.category, "%s", old->in.category);
        snprintf(in.reason, sizeof in.reason, "%s", old->in.reason);
        snprintf(in.supersedes, sizeof in.supersedes, "%s", old->in.plate);
        old->superseded = true;
        if (!gen_commit(g, st, &in))
            return false;
    }
    /* Blind re-grades of half the outcomes chosen for one, by another grader. */
    int n_now = g->n;
    for (int i = 0, k = 0; i < n_now; i++) {
        struct gen_rec *o = &g->r[i];
        if (!o->in.calibration_due || (k++ % 2))
            continue;
        memset(&in, 0, sizeof in);
        snprintf(in.rma, sizeof in.rma, "%s", o->in.rma);
        snprintf(in.category, sizeof in.category, "%s", o->in.category);
        const char *other = o->in.operator_badge;
        while (!strcmp(other, o->in.operator_badge))
            other = gen_graders[gen_rnd(g, GEN_GRADERS)];
        snprintf(in.operator_badge, sizeof in.operator_badge, "%s", other);
        in.grade = gen_rnd(g, 10) < 7 ? o->in.grade : (enum grade)(GRADE_A + gen_rnd(g, 4));
        in.finished_at = o->in.finished_at + (int64_t)(1 + gen_rnd(g, 48)) * 3600 * 1000;
        in.started_at = in.finished_at - 60000;
        snprintf(in.calibrates, sizeof in.calibrates, "%s", o->in.plate);
        if (!gen_commit(g, st, &in))
            return false;
    }
    return true;
}

/* ---- the same numbers, counted again here -------------------------------- */

struct gen_expect {
    int64_t total, superseded, late, mismatch, verified, with_defects, cal_due, cal_pairs,
        cal_agree;
    int64_t per_day[31];
    int64_t resp_day[31][RESP_COUNT];
    int64_t grades[GRADE_X + 1];
    int64_t cat_n[3], cat_defects[3]; /* phone, apparel, appliance */
    int64_t sku_n[GEN_SKUS], sku_defects[GEN_SKUS];
    int64_t grader_n[GEN_GRADERS], grader_hours[GEN_GRADERS];
    /* The grading policy. */
    int64_t reason_n[3], reason_confirmed[3], reason_not_found[3]; /* gen_reasons[0..2] */
    int64_t policy_n, overrides, grader_policy[GEN_GRADERS], grader_overrides[GEN_GRADERS];
    int64_t override_reason[4]; /* by gen_override_reasons */
    int64_t resolutions[RESOLUTION_COUNT], return_types[RETURN_TYPE_COUNT];
    int64_t resolution_day[31][RESOLUTION_COUNT];
};

static int64_t gen_local_day(int64_t ms)
{
    int64_t s = ms / 1000 + GEN_TZ_OFFSET_S;
    return s / 86400;
}

static int gen_index(const char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], name))
            return i;
    return -1;
}

static void gen_expect(const struct gen *g, struct gen_expect *e)
{
    memset(e, 0, sizeof *e);
    static int64_t hours[GEN_GRADERS][GEN_MAX];
    int nh[GEN_GRADERS] = {0};
    for (int i = 0; i < g->n; i++) {
        const struct inspection *in = &g->r[i].in;
        int64_t day = gen_local_day(in->finished_at) - g->from_day;
        if (day < 0 || day > 30)
            continue;
        if (in->calibrates[0]) {
            /* A pair: the first grade by plate. */
            for (int k = 0; k < g->n; k++)
                if (!strcmp(g->r[k].in.plate, in->calibrates)) {
                    e->cal_pairs++;
                    e->cal_agree += g->r[k].in.grade == in->grade;
                }
            continue;
        }
        if (g->r[i].superseded) {
            e->superseded++;
            continue;
        }
        e->total++;
        e->per_day[day]++;
        e->resp_day[day][in->responsibility]++;
        e->grades[in->grade]++;
        e->late += in->late;
        e->mismatch += in->mismatch;
        e->verified +=
            in->item_check == ITEM_CHECK_MATCHED || in->item_check == ITEM_CHECK_MISMATCHED;
        e->with_defects += in->ndefects > 0;
        e->cal_due += in->calibration_due;
        static const char *const cats[3] = {"phone", "apparel", "appliance"};
        int c = gen_index(cats, 3, in->category), s = gen_index(gen_skus, GEN_SKUS, in->sku);
        e->cat_n[c]++;
        e->cat_defects[c] += in->ndefects > 0;
        e->sku_n[s]++;
        e->sku_defects[s] += in->ndefects > 0;
        int gi = gen_index(gen_graders, GEN_GRADERS, in->operator_badge);
        e->grader_n[gi]++;
        int ri = gen_index(gen_reasons, 3, in->reason);
        if (ri >= 0) {
            e->reason_n[ri]++;
            e->reason_confirmed[ri] += in->reason_check == REASON_CHECK_CONFIRMED;
            e->reason_not_found[ri] += in->reason_check == REASON_CHECK_NOT_FOUND;
        }
        /* Every record is made with the policy (its reason check is kept,
         * "none" included). */
        bool overridden = in->responsibility != in->responsibility_suggested;
        e->policy_n++;
        e->grader_policy[gi]++;
        e->overrides += overridden;
        e->grader_overrides[gi] += overridden;
        if (overridden)
            e->override_reason[gen_index(gen_override_reasons, 4, in->responsibility_reason)]++;
        e->resolutions[in->resolution]++;
        e->return_types[in->return_type]++;
        e->resolution_day[day][in->resolution]++;
        int64_t hour = (in->finished_at / 1000 + GEN_TZ_OFFSET_S) / 3600;
        bool seen = false;
        for (int k = 0; k < nh[gi] && !seen; k++)
            seen = hours[gi][k] == hour;
        if (!seen) {
            hours[gi][nh[gi]++] = hour;
            e->grader_hours[gi]++;
        }
    }
}

#endif

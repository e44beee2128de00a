/*
 * stats_report.h — grading statistics for supervisors: the numbers behind the
 * station's stats screen, `triage stats`, and (as SQL) head office's views.
 *
 * One function computes a date range's report (stats_compute); the screen and
 * the command line both print what it returns, so they agree by
 * construction. The report is a plain struct of fixed-size arrays: no heap,
 * safe to hand from a worker thread to the UI by pointer.
 *
 * Definitions (what a supervisor reads on the screen, tests check; head
 * office's stats_* views in sync/headoffice.sql say the same in SQL):
 *  - A day is a calendar day of the site's time zone ([station] timezone,
 *    tz.h; UTC when none is set); a range is from_day..to_day inclusive, in
 *    local days since 1970-01-01, at most STATS_MAX_DAYS long. "Today" is
 *    the site's today.
 *  - An inspection belongs to the day it was finished (finished_at).
 *  - What counts: an outcome that stands. Calibration records (blind
 *    re-grades, `calibrates` set) are not outcomes: they are left out of
 *    every count except the agreement ones. An outcome that a re-grade
 *    replaced (another inspection's `supersedes` names its plate) is
 *    superseded: left out of every count, its re-grade counts instead, so an
 *    item counts once, with its latest word (`superseded` says how many were
 *    left out).
 *  - Items per hour: a grader's inspections divided by the number of
 *    distinct clock hours (the site's local hours) in which they finished at
 *    least one.
 *  - Medians: of finished_at - started_at (per inspection) and of step_ms
 *    (per checklist step), in seconds; for an even count, the mean of the
 *    two middle values.
 *  - Agreement: pairs (first grade, blind re-grade) whose re-grade was
 *    finished in the range. A grader's pairs are those they took part in,
 *    either side. Cohen's kappa over the 4x4 table of grades A, B, C, X:
 *    kappa = (po - pe) / (1 - pe); undefined (NAN) when pe = 1 or no pairs.
 *  - Reasons against findings: "functions OK" = the functional sub-grade is A
 *    (every function check passed); "function fault" = worse than A; "no
 *    function checks" = the category has none. Confirmed / not found: the
 *    reason check the rules recorded (docs/rules.md).
 *  - Overrides: outcomes recorded with the grading policy (reason_check
 *    set) whose confirmed responsibility is not the suggested one; the
 *    override rate is their share of the outcomes recorded with the policy.
 *    Override reasons: the overrides by the reason the grader gave (its id
 *    in the rules; "" when none was given), most first.
 *  - Resolutions and return types: per outcome, the one the rules decided
 *    ("none" when they decided nothing or the record is from before the
 *    policy); resolution over time: per day, the outcomes of each.
 *  - Late rate: late / inspections. Wrong-item rate: mismatch / verified,
 *    where verified counts the items checked against the manifest
 *    (item_check matched or mismatched; records from before the check was
 *    recorded count as checked).
 *  - Categories and SKUs: grouped by the inspection's category and SKU
 *    ("" is "none"). Defect rate: the share with at least one defect code.
 *    Top SKUs by returns: most inspections first; by defect rate: highest
 *    rate first among the SKUs with at least STATS_SKU_MIN inspections in
 *    the range (fewer say nothing); ties: more inspections, then the SKU.
 *  - Responsibility over time: per day, the outcomes of each responsibility.
 *
 * The report types and the pure maths live here, in the core; the queries
 * that fill a report are the store's (stats_query.h) and, at head office,
 * sync/stats_pg.h over the views of sync/headoffice.sql. A measure is one
 * field of struct stats_report, counted in stats_query.c's one pass and in
 * one query of stats_pg.c (over its view), ended by stats_finish, printed by
 * stats_print and by its section of the quality report (stats_html.c); the
 * screen, `triage stats`, `triage report` and head office all read that one
 * field. Error ids E750–E799.
 */
#ifndef TRIAGE_STATS_REPORT_H
#define TRIAGE_STATS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "inspection.h"

#define STATS_MAX_DAYS 366
#define STATS_TOP 10 /* top defect codes */
#define STATS_MAX_DISP 8
#define STATS_MAX_REASONS 16
#define STATS_MAX_GRADERS 256 /* every grader of a site, however many */
#define STATS_MAX_STEPS 24
#define STATS_MAX_CATEGORIES 24
#define STATS_TOP_SKUS 20
#define STATS_SKU_MIN 5   /* inspections a SKU needs to rank by defect rate */
#define STATS_LIST_MAX 48 /* rows of a list fetched at once (one page) */

struct tz;

/* A date range: local days of the zone tz (NULL: UTC) since 1970-01-01,
 * inclusive. The zone is borrowed: it outlives every range that names it. */
struct stats_range {
    int64_t from_day, to_day;
    const struct tz *tz;
};

/* The UTC instants a range covers: [*from_ms, *to_ms). */
void stats_range_bounds(const struct stats_range *r, int64_t *from_ms, int64_t *to_ms);

/* What a bar of a chart stands for (drill-down: the inspections behind it). */
enum stats_dim {
    SD_NONE,
    SD_DAY,            /* key: "YYYY-MM-DD" */
    SD_GRADE,          /* key: "A".."X" */
    SD_DISPOSITION,    /* key: disposition id */
    SD_RESPONSIBILITY, /* key: responsibility name, "" = none */
    SD_DEFECT,         /* key: defect code */
    SD_REASON,         /* key: declared reason */
    SD_GRADER,         /* key: badge */
    SD_LATE,           /* key ignored */
    SD_MISMATCH,       /* key ignored */
    SD_CATEGORY,       /* key: category, "" = none */
    SD_SKU,            /* key: SKU, "" = none */
    SD_COUNT
};
const char *stats_dim_name(enum stats_dim d); /* "day", "grade", … */

struct stats_count {
    char key[32];
    int64_t n;
};

struct stats_reason {
    char reason[32];
    int64_t n;
    int64_t functions_ok;   /* functional sub-grade A */
    int64_t function_fault; /* functional sub-grade B, C or X */
    int64_t no_function;    /* no functional checks */
    int64_t no_fault;       /* overall grade A */
    /* The grading policy (docs/rules.md): the reason check recorded. n is
     * how often the reason was declared. */
    int64_t confirmed; /* reason_check confirmed */
    int64_t not_found; /* reason_check not_found */
};

/* The outcomes of one category or one SKU. */
struct stats_group {
    char key[64];
    int64_t n;
    int64_t with_defects; /* at least one defect code */
    double defect_rate;   /* with_defects / n */
    int64_t late, mismatch, verified;
    int64_t grades[GRADE_X + 1]; /* by enum grade */
    int64_t resp[RESP_COUNT];    /* by enum responsibility */
};

struct stats_step {
    char check[32];
    int64_t n;
    double median_s;
};

struct stats_grader {
    char badge[64];
    char name[64];
    int64_t n;
    int64_t active_hours;
    double items_per_hour;
    double median_s;
    int64_t grades[GRADE_X + 1]; /* by enum grade; [0] unused */
    int nsteps;
    struct stats_step steps[STATS_MAX_STEPS];
    int64_t cal_pairs, cal_agree;
    double kappa; /* NAN when undefined */
    /* The grading policy: the outcomes recorded with it (a suggestion kept),
     * those whose confirmed responsibility differs from the suggestion, and
     * their share: policy_overrides / policy_n (0 when policy_n is 0). */
    int64_t policy_n;
    int64_t policy_overrides;
    double override_rate;
};

struct stats_report {
    struct stats_range range;
    char timezone[64]; /* the zone the days are counted in */
    int ndays;
    int64_t total;      /* outcomes in the range */
    int64_t superseded; /* outcomes a re-grade replaced: not counted */
    int64_t per_day[STATS_MAX_DAYS];
    int64_t resp_day[STATS_MAX_DAYS][RESP_COUNT];             /* responsibility over time */
    int64_t resolution_day[STATS_MAX_DAYS][RESOLUTION_COUNT]; /* resolution over time */
    int64_t grades[GRADE_X + 1];                              /* by enum grade */
    int ndisp;
    struct stats_count disp[STATS_MAX_DISP]; /* most first */
    int64_t resp[RESP_COUNT];                /* by enum responsibility */
    int ndefects;
    struct stats_count defects[STATS_TOP]; /* most first */
    int64_t with_defects;                  /* outcomes with at least one defect */
    int nreasons;
    struct stats_reason reasons[STATS_MAX_REASONS]; /* most first */
    int64_t defective_functions_ok; /* declared "defective", every function check passed */
    /* The grading policy (records made before it count as none of these
     * but in resolutions[RESOLUTION_NONE] and return_types[NONE]). */
    int64_t policy_n;                           /* outcomes recorded with the policy */
    int64_t policy_overrides;                   /* … with another responsibility than suggested */
    int64_t reason_confirmed, reason_not_found; /* reason checks, all reasons */
    int noverride_reasons;
    struct stats_count override_reasons[STATS_MAX_REASONS]; /* overrides by reason, most first */
    int64_t resolutions[RESOLUTION_COUNT];                  /* by enum resolution */
    int64_t return_types[RETURN_TYPE_COUNT];                /* by enum return_type */
    int64_t late, mismatch, blind;
    /* Items checked against the manifest (item_check matched or mismatched;
     * records from before the check was recorded count as checked): the
     * wrong-item rate counts only these. */
    int64_t verified;
    double late_rate;     /* share of total, 0..1; 0 when total is 0 */
    double mismatch_rate; /* mismatch / verified, 0..1; 0 when none was verified */
    int ncategories;
    struct stats_group categories[STATS_MAX_CATEGORIES]; /* most first */
    int64_t nskus;                                       /* distinct SKUs */
    int ntop_skus;
    struct stats_group top_skus[STATS_TOP_SKUS]; /* by inspections */
    int ndefect_skus;
    struct stats_group defect_skus[STATS_TOP_SKUS]; /* by defect rate, n >= STATS_SKU_MIN */
    int nsteps;
    struct stats_step steps[STATS_MAX_STEPS]; /* all graders */
    int ngraders;
    struct stats_grader graders[STATS_MAX_GRADERS]; /* most inspections first */
    /* calibration */
    int64_t cal_due;     /* outcomes in the range chosen for a blind re-grade */
    int64_t cal_pending; /* of those, not re-graded yet */
    int64_t cal_pairs, cal_agree;
    int64_t cal_matrix[4][4]; /* [first grade A..X][re-grade A..X] */
    double kappa;             /* NAN when undefined */
    double compute_ms;        /* how long stats_compute took */
};

/* One inspection behind a bar. */
struct stats_row {
    char plate[48];
    char operator_badge[64];
    char sku[64];
    char disposition[24];
    int64_t finished_at;
    enum grade grade;
};

/* One page of the inspections behind a bar: rows offset .. offset+nrows-1
 * of all `total`, newest first. */
struct stats_list {
    struct stats_range range;
    enum stats_dim dim;
    char key[64];
    int64_t total;  /* how many match */
    int64_t offset; /* the first row's place among them, 0 = the newest */
    int nrows;
    struct stats_row rows[STATS_LIST_MAX];
};

/*
 * Make a range from the command line's --from and --to (either may be NULL:
 * from defaults to 29 days before `to`, to defaults to `today`). Dates are
 * YYYY-MM-DD. Returns 0, or -1 with "E75x: …" in err: not a date (E750),
 * reversed (E751), longer than STATS_MAX_DAYS (E752).
 */
int stats_range_parse(const char *from, const char *to, int64_t today, struct stats_range *out,
                      char *err, size_t errlen);

/* The same, with `today` the site's today. */

/* Check a range (reversed, too long): 0, or -1 with E751/E752 in err. */
int stats_range_check(const struct stats_range *r, char *err, size_t errlen);

/* "YYYY-MM-DD" of a day number into out (at least 11 bytes). Returns out. */
char *stats_day_text(int64_t day, char *out, size_t outlen);

/* Median in seconds of n durations in ms (reordered in place); 0 for none. */
double stats_median_s(int32_t *v, size_t n);

/* Cohen's kappa of a k x k agreement table (row: one rater, column: the
 * other); NAN when undefined (no pairs, or chance agreement is 1). */
double stats_kappa(const int64_t *matrix, int k);

enum stats_format { STATS_TABLE, STATS_CSV, STATS_JSON };

/* Print a report for `triage stats`. Returns 0, or -1 when writing failed. */
int stats_print(const struct stats_report *r, enum stats_format fmt, FILE *out);

/* Finish the SKU rankings from every SKU's group (n of them, reordered):
 * fills nskus, top_skus and defect_skus by the definitions above. Both
 * computations (the station's and head office's) end with it. */
void stats_rank_skus(struct stats_report *r, struct stats_group *skus, size_t n);

/* Sort and cut the categories: fills ncategories and categories. */
void stats_rank_categories(struct stats_report *r, struct stats_group *cats, size_t n);

/*
 * The end both computations share, so that they order and cut alike:
 * dispositions (most first, at most STATS_MAX_DISP), defect codes (at most
 * STATS_TOP) and reasons (at most STATS_MAX_REASONS) from every one seen
 * (reordered), steps by check id, kappas from the agreement tables
 * (m[grader] as filled by stats_add_pair, in the report's grader order
 * before this call), graders most inspections first (ties by badge), the
 * override reasons (at most STATS_MAX_REASONS, most first, from
 * `overrides`), and the late and wrong-item rates.
 */
struct stats_seen {
    struct stats_count *disp, *defects, *overrides;
    int ndisp, ndefects, noverrides;
    struct stats_reason *reasons;
    int nreasons;
};
void stats_finish(struct stats_report *r, const struct stats_seen *seen, int64_t (*m)[4][4]);

/* One calibration pair: the first grade (by grader index fi, -1 unknown)
 * and the blind re-grade (by ri). Counts toward the station's and each
 * side's agreement (once when both are the same grader); m as above. */
void stats_add_pair(struct stats_report *r, int64_t (*m)[4][4], int fi, int ri, enum grade first,
                    enum grade regrade);

/* The index of a grader in r->graders, added when new; -1 when full. */
int stats_grader_index(struct stats_report *r, const char *badge);

#endif

/*
 * test_stats.c — statistics: the numbers against an independent computation,
 * kappa against a hand-worked example, `triage stats` (formats, bad input),
 * and the stats screen captured by script in both languages; role checks
 * through the real binary.
 *
 * The database is generated through the store's own commit path: 2,400
 * inspections over 40 days by 5 graders with known random facts, 6% chosen
 * for a blind re-grade, most of those re-graded by another grader. The test
 * keeps every generated row and computes what the report must say from them
 * here (counting, sorting, its own kappa), never through the store's stats_query.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "db_file.h"
#include "harness.h"
#include "log.h"
#include "stats_query.h"
#include "store.h"

#define N 2400
#define DAYS 40
#define DAY_MS 86400000LL
#define NOPS 5

static const char *const ops[NOPS] = {"G1", "G2", "G3", "G4", "S9"};
static const char *const reasons[] = {"defective", "changed_mind", "not_as_described",
                                      "damaged_in_transit", ""};
static const char *const defect_codes[] = {"SCR-L", "SCR-D", "DOA", "WEAR", "NOBOX", "CRK"};
static const char *const checks[] = {"screen", "body", "power", "touch", "box"};

/* The facts of one generated row, as the test remembers them. */
struct row {
    char plate[48];
    int op;
    int64_t started, finished;
    enum grade grade;
    enum grade functional; /* GRADE_NONE: no function checks */
    int disp;              /* index into disp_names */
    enum responsibility resp;
    int reason;
    bool late, mismatch, due;
    enum item_check check; /* MISMATCHED exactly when mismatch */
    int ndef;
    int def[3];
    int nsteps;
    int32_t step[5];
    int calibrates; /* index of the row re-graded, or -1 */
};

static const char *const disp_names[] = {"restock", "open_box", "refurbish", "return_to_vendor",
                                         "scrap"};
static struct row rows[N + N / 10];
static int nrows;
static uint64_t rng = 88172645463325252ULL;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static struct inspection to_insp(const struct row *r)
{
    struct inspection in;
    memset(&in, 0, sizeof in);
    snprintf(in.rma, sizeof in.rma, "RMA-%d", (int)(r - rows));
    snprintf(in.sku, sizeof in.sku, "PH-TEST");
    snprintf(in.category, sizeof in.category, "phone");
    snprintf(in.operator_badge, sizeof in.operator_badge, "%s", ops[r->op]);
    snprintf(in.reason, sizeof in.reason, "%s", reasons[r->reason]);
    snprintf(in.disposition, sizeof in.disposition, "%s", disp_names[r->disp]);
    snprintf(in.rules_version, sizeof in.rules_version, "test");
    in.started_at = r->started;
    in.finished_at = r->finished;
    in.grade = r->grade;
    in.aspect_grade[ASPECT_COSMETIC] = r->grade;
    in.aspect_grade[ASPECT_FUNCTIONAL] = r->functional;
    in.responsibility = r->resp;
    in.late = r->late;
    in.mismatch = r->mismatch;
    in.item_check = r->check;
    in.calibration_due = r->due;
    in.ndefects = r->ndef;
    for (int i = 0; i < r->ndef; i++)
        snprintf(in.defects[i], sizeof in.defects[i], "%s", defect_codes[r->def[i]]);
    in.nanswers = r->nsteps;
    for (int i = 0; i < r->nsteps; i++) {
        snprintf(in.answers[i].check, sizeof in.answers[i].check, "%s", checks[i]);
        snprintf(in.answers[i].answer, sizeof in.answers[i].answer, "ok");
        in.step_ms[i] = r->step[i];
    }
    if (r->calibrates >= 0)
        snprintf(in.calibrates, sizeof in.calibrates, "%s", rows[r->calibrates].plate);
    return in;
}

static void commit(struct store *st, struct row *r)
{
    struct inspection in = to_insp(r);
    char err[256];
    if (!CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), 0))
        fprintf(stderr, "  %s\n", err);
    snprintf(r->plate, sizeof r->plate, "%s", in.plate);
}

static int64_t today;
static int paged; /* ranges whose lists were read page by page */

static void generate(struct store *st)
{
    int64_t t0 = (today - DAYS + 1) * DAY_MS;
    for (int i = 0; i < N; i++) {
        struct row *r = &rows[nrows++];
        memset(r, 0, sizeof *r);
        r->calibrates = -1;
        r->op = (int)rnd(NOPS);
        /* Spread over the 40 days, with the exact range edges hit too. */
        r->finished = i == 0   ? (today - 29) * DAY_MS        /* first ms of the range */
                      : i == 1 ? (today - 29) * DAY_MS - 1    /* last ms before it */
                      : i == 2 ? (today + 1) * DAY_MS - 1     /* last ms of today */
                               : t0 + (int64_t)rnd(DAYS * 24) * 3600000LL + rnd(3600000);
        int64_t dur = 20000 + rnd(200000);
        r->started = r->finished - dur;
        r->grade = (enum grade)(GRADE_A + rnd(4));
        uint32_t f = rnd(5);
        r->functional = f == 4 ? GRADE_NONE : (enum grade)(GRADE_A + (f < 2 ? 0 : f - 1));
        if (r->functional > r->grade)
            r->functional = r->grade;
        r->disp = (int)rnd(5);
        r->resp = (enum responsibility)rnd(RESP_COUNT);
        r->reason = (int)rnd(5);
        r->late = rnd(10) == 0;
        r->mismatch = rnd(14) == 0;
        /* Of the rest, some matched, some not verifiable, some not scanned,
         * some blind: only matched and mismatched items are verified. */
        static const enum item_check others[] = {ITEM_CHECK_MATCHED, ITEM_CHECK_MATCHED,
                                                 ITEM_CHECK_UNVERIFIED, ITEM_CHECK_SKIPPED,
                                                 ITEM_CHECK_BLIND};
        r->check = r->mismatch ? ITEM_CHECK_MISMATCHED : others[rnd(5)];
        r->due = rnd(100) < 6;
        r->ndef = (int)rnd(3);
        for (int k = 0; k < r->ndef; k++)
            r->def[k] = (int)(k == 0 ? rnd(6) : (r->def[0] + 1 + rnd(5)) % 6);
        r->nsteps = 3 + (int)rnd(3);
        for (int k = 0; k < r->nsteps; k++)
            r->step[k] = 1000 + (int32_t)rnd(30000);
        commit(st, r);
    }
    /* Blind re-grades of most due rows, by another grader, agreeing 70%. */
    for (int i = 0; i < N; i++) {
        if (!rows[i].due || rnd(4) == 0)
            continue;
        struct row *r = &rows[nrows++];
        *r = rows[i];
        r->op = (rows[i].op + 1 + (int)rnd(NOPS - 1)) % NOPS;
        r->due = false;
        r->calibrates = i;
        r->finished = rows[i].finished + 600000;
        r->started = r->finished - 60000;
        if (rnd(10) >= 7)
            r->grade = (enum grade)(GRADE_A + (rows[i].grade % 4));
        commit(st, r);
    }
}

/* ---- the independent computation --------------------------------------- */

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Median of values in ms, in seconds, by sorting (the module selects). */
static double median_of(int *v, int n)
{
    if (n == 0)
        return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_int);
    return ((double)v[(n - 1) / 2] + (double)v[n / 2]) / 2000.0;
}

static bool in_range(const struct row *r, int64_t from, int64_t to)
{
    return r->finished >= from * DAY_MS && r->finished < (to + 1) * DAY_MS;
}

/* Kappa by the textbook: po and pe from marginal proportions. */
static double kappa_of(double m[4][4])
{
    double n = 0, po = 0, pe = 0, row[4] = {0}, col[4] = {0};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            n += m[i][j];
            row[i] += m[i][j];
            col[j] += m[i][j];
            if (i == j)
                po += m[i][j];
        }
    if (n == 0)
        return NAN;
    po /= n;
    for (int k = 0; k < 4; k++)
        pe += row[k] / n * col[k] / n;
    return pe >= 1 ? NAN : (po - pe) / (1 - pe);
}

static bool close_to(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return fabs(a - b) < 1e-9;
}

static void check_report(struct store *st, int64_t from, int64_t to)
{
    struct stats_range range = {from, to};
    static struct stats_report r;
    char err[256];
    if (!CHECK_INT(stats_compute(st, &range, &r, err, sizeof err), 0)) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    int64_t total = 0, per_day[STATS_MAX_DAYS] = {0}, grades[5] = {0}, disp[5] = {0};
    int64_t resp[RESP_COUNT] = {0}, defs[6] = {0}, late = 0, mism = 0, verified = 0, with_def = 0, dfo = 0;
    int64_t rn[5] = {0}, rok[5] = {0}, rfault[5] = {0}, rnone[5] = {0}, rA[5] = {0}, due = 0;
    static int durs[NOPS][N], steps_all[5][N * 2], steps_op[NOPS][5][N];
    int nd[NOPS] = {0}, ns_all[5] = {0}, ns_op[NOPS][5] = {{0}};
    int64_t opn[NOPS] = {0}, opgrades[NOPS][5] = {{0}};
    static bool hour_seen[NOPS][STATS_MAX_DAYS * 24 + 48];
    memset(hour_seen, 0, sizeof hour_seen);
    int64_t hours[NOPS] = {0};
    for (int i = 0; i < nrows; i++) {
        const struct row *x = &rows[i];
        if (!in_range(x, from, to) || x->calibrates >= 0)
            continue;
        total++;
        per_day[x->finished / DAY_MS - from]++;
        grades[x->grade]++;
        disp[x->disp]++;
        resp[x->resp]++;
        late += x->late;
        mism += x->mismatch;
        verified += x->check == ITEM_CHECK_MATCHED || x->check == ITEM_CHECK_MISMATCHED;
        due += x->due;
        with_def += x->ndef > 0;
        for (int k = 0; k < x->ndef; k++)
            defs[x->def[k]]++;
        if (reasons[x->reason][0]) {
            rn[x->reason]++;
            if (x->functional == GRADE_NONE)
                rnone[x->reason]++;
            else if (x->functional == GRADE_A)
                rok[x->reason]++;
            else
                rfault[x->reason]++;
            rA[x->reason] += x->grade == GRADE_A;
            if (x->reason == 0 && x->functional == GRADE_A)
                dfo++;
        }
        opn[x->op]++;
        opgrades[x->op][x->grade]++;
        durs[x->op][nd[x->op]++] = (int)(x->finished - x->started);
        int64_t h = x->finished / 3600000 - from * 24;
        if (!hour_seen[x->op][h]) {
            hour_seen[x->op][h] = true;
            hours[x->op]++;
        }
        for (int k = 0; k < x->nsteps; k++) {
            steps_all[k][ns_all[k]++] = x->step[k];
            steps_op[x->op][k][ns_op[x->op][k]++] = x->step[k];
        }
    }
    CHECK_INT(r.total, total);
    CHECK_INT(r.ndays, to - from + 1);
    for (int d = 0; d < r.ndays; d++)
        if (!CHECK_INT(r.per_day[d], per_day[d]))
            break;
    for (int g = GRADE_A; g <= GRADE_X; g++)
        CHECK_INT(r.grades[g], grades[g]);
    for (int k = 0; k < 5; k++) {
        int64_t got = -1;
        for (int j = 0; j < r.ndisp; j++)
            if (!strcmp(r.disp[j].key, disp_names[k]))
                got = r.disp[j].n;
        CHECK_INT(got, disp[k] ? disp[k] : -1);
    }
    for (int k = 0; k < RESP_COUNT; k++)
        CHECK_INT(r.resp[k], resp[k]);
    CHECK_INT(r.late, late);
    CHECK_INT(r.mismatch, mism);
    CHECK(close_to(r.late_rate, total ? (double)late / (double)total : 0));
    CHECK_INT(r.verified, verified);
    CHECK(verified < total); /* the rate is not over every outcome */
    CHECK(close_to(r.mismatch_rate, verified ? (double)mism / (double)verified : 0));
    CHECK_INT(r.with_defects, with_def);
    CHECK_INT(r.ndefects, 6);
    for (int j = 0; j < r.ndefects; j++) {
        int k = 0;
        while (k < 6 && strcmp(defect_codes[k], r.defects[j].key))
            k++;
        CHECK(k < 6 && r.defects[j].n == defs[k]);
        if (j > 0)
            CHECK(r.defects[j].n <= r.defects[j - 1].n); /* most first */
    }
    CHECK_INT(r.defective_functions_ok, dfo);
    CHECK_INT(r.nreasons, 4);
    for (int j = 0; j < r.nreasons; j++) {
        int k = 0;
        while (k < 4 && strcmp(reasons[k], r.reasons[j].reason))
            k++;
        if (!CHECK(k < 4))
            continue;
        CHECK_INT(r.reasons[j].n, rn[k]);
        CHECK_INT(r.reasons[j].functions_ok, rok[k]);
        CHECK_INT(r.reasons[j].function_fault, rfault[k]);
        CHECK_INT(r.reasons[j].no_function, rnone[k]);
        CHECK_INT(r.reasons[j].no_fault, rA[k]);
    }
    CHECK_INT(r.nsteps, 5);
    for (int j = 0; j < r.nsteps; j++) {
        int k = 0;
        while (k < 5 && strcmp(checks[k], r.steps[j].check))
            k++;
        if (!CHECK(k < 5))
            continue;
        CHECK_INT(r.steps[j].n, ns_all[k]);
        CHECK(close_to(r.steps[j].median_s, median_of(steps_all[k], ns_all[k])));
    }

    /* Calibration pairs: the re-grade finished in the range. */
    double m[4][4] = {{0}}, mo[NOPS][4][4] = {{{0}}};
    int64_t pairs = 0, agree = 0, opairs[NOPS] = {0}, oagree[NOPS] = {0}, pending = 0;
    for (int i = 0; i < nrows; i++) {
        const struct row *x = &rows[i];
        if (x->calibrates < 0 || !in_range(x, from, to))
            continue;
        const struct row *o = &rows[x->calibrates];
        int a = o->grade - 1, b = x->grade - 1;
        pairs++;
        agree += a == b;
        m[a][b]++;
        mo[o->op][a][b]++;
        mo[x->op][b][a]++;
        opairs[o->op]++;
        opairs[x->op]++;
        oagree[o->op] += a == b;
        oagree[x->op] += a == b;
    }
    for (int i = 0; i < N; i++) {
        if (!rows[i].due || !in_range(&rows[i], from, to))
            continue;
        bool done = false;
        for (int j = N; j < nrows && !done; j++)
            done = rows[j].calibrates == i;
        pending += !done;
    }
    CHECK_INT(r.cal_due, due);
    CHECK_INT(r.cal_pending, pending);
    CHECK_INT(r.cal_pairs, pairs);
    CHECK_INT(r.cal_agree, agree);
    CHECK(close_to(r.kappa, kappa_of(m)));
    if (to - from >= 29)
        CHECK(pairs > 20); /* the test means something */

    for (int o = 0; o < NOPS; o++) {
        const struct stats_grader *g = NULL;
        for (int j = 0; j < r.ngraders; j++)
            if (!strcmp(r.graders[j].badge, ops[o]))
                g = &r.graders[j];
        if (!CHECK(g != NULL))
            continue;
        CHECK_INT(g->n, opn[o]);
        CHECK_INT(g->active_hours, hours[o]);
        CHECK(close_to(g->items_per_hour, hours[o] ? (double)opn[o] / (double)hours[o] : 0));
        CHECK(close_to(g->median_s, median_of(durs[o], nd[o])));
        for (int k = GRADE_A; k <= GRADE_X; k++)
            CHECK_INT(g->grades[k], opgrades[o][k]);
        CHECK_INT(g->cal_pairs, opairs[o]);
        CHECK_INT(g->cal_agree, oagree[o]);
        CHECK(close_to(g->kappa, kappa_of(mo[o])));
        for (int j = 0; j < g->nsteps; j++) {
            int k = 0;
            while (k < 5 && strcmp(checks[k], g->steps[j].check))
                k++;
            if (CHECK(k < 5))
                CHECK(close_to(g->steps[j].median_s, median_of(steps_op[o][k], ns_op[o][k])));
        }
        if (o == 0)
            CHECK_STR(g->name, "Grace One");
    }
    /* Drill-down: the grade B bar lists exactly the grade B outcomes. */
    static struct stats_list l;
    CHECK_INT(stats_list_query(st, &range, SD_GRADE, "B", 0, &l, err, sizeof err), 0);
    CHECK_INT(l.total, grades[GRADE_B]);
    CHECK_INT(l.nrows, grades[GRADE_B] < STATS_LIST_MAX ? grades[GRADE_B] : STATS_LIST_MAX);
    for (int i = 1; i < l.nrows; i++)
        CHECK(l.rows[i].finished_at <= l.rows[i - 1].finished_at && l.rows[i].grade == GRADE_B);
    /* Page by page the list reaches every one of them, each once, newest first. */
    if (grades[GRADE_B] > STATS_LIST_MAX) {
        paged++;
        int64_t seen = 0, last = INT64_MAX;
        static char plates[4096][48];
        for (int64_t off = 0; off < grades[GRADE_B] + STATS_LIST_MAX; off += STATS_LIST_MAX) {
            CHECK_INT(stats_list_query(st, &range, SD_GRADE, "B", off, &l, err, sizeof err), 0);
            CHECK_INT(l.offset, off);
            CHECK_INT(l.total, grades[GRADE_B]);
            for (int i = 0; i < l.nrows && seen < 4096; i++) {
                CHECK(l.rows[i].finished_at <= last && l.rows[i].grade == GRADE_B);
                last = l.rows[i].finished_at;
                for (int64_t k = 0; k < seen; k++)
                    if (!strcmp(plates[k], l.rows[i].plate))
                        CHECK(!"a row listed twice");
                snprintf(plates[seen++], sizeof plates[0], "%s", l.rows[i].plate);
            }
        }
        CHECK_INT(seen, grades[GRADE_B]);
    }
    CHECK_INT(stats_list_query(st, &range, SD_DEFECT, "DOA", 0, &l, err, sizeof err), 0);
    CHECK_INT(l.total, defs[2]);
}

/* ---- kappa by hand --------------------------------------------------------- */

static void test_kappa(void)
{
    /* Two raters, 50 items, yes/no (A/B): 20 both A, 5 A-B, 10 B-A, 15 both B.
     * po = 35/50 = 0.70; rater 1 says A 25/50, rater 2 30/50;
     * pe = 0.5 * 0.6 + 0.5 * 0.4 = 0.50; kappa = (0.70 - 0.50) / (1 - 0.50) = 0.40. */
    int64_t m[16] = {0};
    m[0 * 4 + 0] = 20, m[0 * 4 + 1] = 5, m[1 * 4 + 0] = 10, m[1 * 4 + 1] = 15;
    CHECK(fabs(stats_kappa(m, 4) - 0.40) < 1e-12);
    /* Three grades, worked by hand:
     * rows A: 10 2 3 | B: 1 12 2 | C: 2 1 17 (n = 50);
     * po = 39/50 = 0.78; row totals 15 15 20, column totals 13 15 22;
     * pe = (15*13 + 15*15 + 20*22) / 2500 = 860/2500 = 0.344;
     * kappa = (0.78 - 0.344) / 0.656 = 0.664634… */
    int64_t k3[9] = {10, 2, 3, 1, 12, 2, 2, 1, 17};
    CHECK(fabs(stats_kappa(k3, 3) - 0.436 / 0.656) < 1e-12);
    int64_t same[16] = {0};
    same[0] = 9; /* everyone said A: chance agreement is 1, kappa undefined */
    CHECK(isnan(stats_kappa(same, 4)));
    int64_t none[16] = {0};
    CHECK(isnan(stats_kappa(none, 4)));
    int64_t perfect[16] = {0};
    perfect[0] = 4, perfect[5] = 6;
    CHECK(fabs(stats_kappa(perfect, 4) - 1.0) < 1e-12);
}

static void test_ranges(void)
{
    struct stats_range r;
    char err[256];
    int64_t t = 20415; /* 2025-11-23 */
    CHECK_INT(stats_range_parse(NULL, NULL, t, &r, err, sizeof err), 0);
    CHECK(r.from_day == t - 29 && r.to_day == t);
    CHECK_INT(stats_range_parse("2026-11-01", "2026-11-23", t, &r, err, sizeof err), 0);
    CHECK_INT(r.to_day - r.from_day, 22);
    static const char *const bad[] = {"2026-02-30", "2026-13-01", "yesterday", "2026-1-1", "",
                                      "2026-11-01x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CHECK_INT(stats_range_parse(bad[i], NULL, t, &r, err, sizeof err), -1);
        CHECK(strncmp(err, "E750:", 5) == 0);
    }
    CHECK_INT(stats_range_parse("2026-11-23", "2026-11-01", t, &r, err, sizeof err), -1);
    CHECK(strncmp(err, "E751:", 5) == 0);
    CHECK_INT(stats_range_parse("2024-01-01", "2026-01-01", t, &r, err, sizeof err), -1);
    CHECK(strncmp(err, "E752:", 5) == 0);
}

/* ---- the command line and the screen --------------------------------------- */

static char data[600], cmd[4096];

static int triage(const char *args, const char *input, char **out, char **err)
{
    snprintf(cmd, sizeof cmd, "SDL_VIDEODRIVER= DISPLAY= '%s' --data '%s' %s", harness_triage(),
             data, args);
    return harness_sh(cmd, input, out, err);
}

static void test_cli(const struct stats_report *want)
{
    char *out = NULL, *err = NULL;
    CHECK_INT(triage("stats --format json", NULL, &out, &err), 0);
    cJSON *j = cJSON_Parse(out ? out : "");
    if (CHECK(j != NULL)) {
        cJSON *n = cJSON_GetObjectItemCaseSensitive(j, "inspections");
        CHECK(cJSON_IsNumber(n) && (int64_t)n->valuedouble == want->total);
        cJSON *cal = cJSON_GetObjectItemCaseSensitive(j, "calibration");
        cJSON *k = cJSON_GetObjectItemCaseSensitive(cal, "kappa");
        CHECK(cJSON_IsNumber(k) && fabs(k->valuedouble - want->kappa) < 0.001);
        CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "per_day")), 30);
    }
    cJSON_Delete(j);
    free(out);
    free(err);
    char line[64];
    CHECK_INT(triage("stats --format csv", NULL, &out, &err), 0);
    snprintf(line, sizeof line, "\r\ntotal,inspections,,%lld\r\n", (long long)want->total);
    CHECK(out && strncmp(out, "section,key,sub,value\r\n", 23) == 0 && strstr(out, line));
    free(out);
    free(err);
    CHECK_INT(triage("stats", NULL, &out, &err), 0);
    CHECK(out && strstr(out, "Inspections") && strstr(out, "kappa"));
    free(out);
    free(err);

    static const struct {
        const char *args, *id;
    } bad[] = {
        {"stats --from 2026-02-30", "E750:"},
        {"stats --to tomorrow", "E750:"},
        {"stats --from 2026-11-23 --to 2026-11-01", "E751:"},
        {"stats --from 2020-01-01 --to 2026-01-01", "E752:"},
        {"stats --format xml", "E757:"},
        {"stats --bogus", "E900:"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int rc = triage(bad[i].args, NULL, &out, &err);
        if (!CHECK(rc != 0 && err && strstr(err, bad[i].id)))
            fprintf(stderr, "  %s: rc %d, %s\n", bad[i].args, rc, err ? err : "");
        free(out);
        free(err);
    }
    /* A range with nothing in it: a notice, zeros, success. */
    CHECK_INT(triage("stats --from 2001-01-01 --to 2001-01-31 --format json", NULL, &out, &err),
              0);
    CHECK(err && strstr(err, "W759"));
    CHECK(out && strstr(out, "\"inspections\":\t0"));
    free(out);
    free(err);
}

static void test_empty_db(void)
{
    char saved[600];
    snprintf(saved, sizeof saved, "%s", data);
    snprintf(data, sizeof data, "%s/empty", harness_tmpdir());
    char *out = NULL, *err = NULL;
    /* No station there: an error, and no database made by reading. */
    CHECK_INT(triage("stats", NULL, &out, &err), 1);
    CHECK(err && strstr(err, "E911"));
    CHECK(out && !out[0]);
    free(out);
    free(err);
    /* A station with nobody's inspections yet. */
    CHECK_INT(triage("operator add --badge 1001 --name A --role grader", "123456\n", NULL, NULL),
              0);
    CHECK_INT(triage("stats", NULL, &out, &err), 0);
    CHECK(err && strstr(err, "W758"));
    CHECK(out && strstr(out, "Inspections            0"));
    free(out);
    free(err);
    snprintf(data, sizeof data, "%s", saved);
}

static bool png_ok(const char *path, size_t *len, char **bytes)
{
    *bytes = harness_read_file(path, len);
    return *bytes && *len > 1000 && memcmp(*bytes, "\x89PNG", 4) == 0;
}

static void test_screen(void)
{
    char shots[700], script[700], text[2048];
    snprintf(shots, sizeof shots, "%s/shots", harness_tmpdir());
    snprintf(text, sizeof text, "mkdir -p '%s/en' '%s/zh'", shots, shots);
    CHECK_INT(harness_sh(text, NULL, NULL, NULL), 0);
    snprintf(script, sizeof script, "%s/stats.script", harness_tmpdir());
    /* Supervisor: F2 opens statistics; periods, pages, a bar, a row. */
    char from[16], to[16];
    stats_day_text(today - 13, from, sizeof from);
    stats_day_text(today - 3, to, sizeof to);
    snprintf(text, sizeof text,
             "scan 2001\ntext 246810\nkey Return\nexpect scan\n"
             "key F2\nexpect stats\nkey 3\nshot stats-overview\n"
             "tap 132 256\nshot stats-outcomes\ntap 132 392\nshot stats-defects\n"
             "tap 132 528\nshot stats-graders\ntap 132 596\nshot stats-steps\n"
             "tap 132 188\nkey 2\nshot stats-7d\n"
             "tap 1100 520\nshot stats-list\ntap 700 266\nshot stats-detail\n"
             "key F5\nkey Escape\nkey Escape\n"
             "key 4\ntext 2026-11-23 2026-11-01\nkey Return\nshot stats-reversed\n"
             "text 2026-02-30\nkey Return\nshot stats-baddate\n"
             "text %s %s\nkey Return\ntap 132 528\nshot stats-custom\n"
             "key Escape\nexpect scan\nquit\n",
             from, to);
    CHECK(harness_write_file(script, text));
    const char *langs[] = {"en", "zh"};
    char *png[2] = {NULL, NULL};
    size_t len[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        char args[2000], *out = NULL, *err = NULL;
        snprintf(args, sizeof args, "--lang %s --script '%s' --shots '%s/%s'", langs[i], script,
                 shots, langs[i]);
        int rc = triage(args, NULL, &out, &err);
        if (!CHECK_INT(rc, 0))
            fprintf(stderr, "%s\n", err ? err : "");
        CHECK(err && strstr(err, "stats_opened"));
        CHECK(err && strstr(err, "reprint"));
        free(out);
        free(err);
        static const char *const names[] = {"stats-overview", "stats-outcomes", "stats-defects",
                                            "stats-graders",  "stats-steps",    "stats-7d",
                                            "stats-list",     "stats-detail",   "stats-reversed",
                                            "stats-baddate",  "stats-custom"};
        for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
            char path[900], *b = NULL;
            size_t n = 0;
            snprintf(path, sizeof path, "%s/%s/%s.png", shots, langs[i], names[k]);
            if (!CHECK(png_ok(path, &n, &b)))
                fprintf(stderr, "  missing or not a PNG: %s\n", path);
            if (k == 0) {
                png[i] = b;
                len[i] = n;
            } else {
                free(b);
            }
        }
    }
    /* The same screen in two languages: two different pictures. */
    CHECK(png[0] && png[1] && (len[0] != len[1] || memcmp(png[0], png[1], len[0]) != 0));
    free(png[0]);
    free(png[1]);
}

static void test_roles(void)
{
    char script[700], text[512], *out = NULL, *err = NULL, args[1200];
    snprintf(script, sizeof script, "%s/grader.script", harness_tmpdir());
    snprintf(text, sizeof text,
             "scan 1001\ntext 123456\nkey Return\nexpect scan\nkey F2\nexpect scan\nquit\n");
    CHECK(harness_write_file(script, text));
    snprintf(args, sizeof args, "--script '%s'", script);
    CHECK_INT(triage(args, NULL, &out, &err), 0);
    CHECK(err && strstr(err, "stats_denied"));
    free(out);
    free(err);
    /* The refusal is in the audit log, with the badge. */
    char path[700];
    snprintf(path, sizeof path, "%s/triage.db", data);
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int n = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db,
                           "SELECT count(*) FROM audit WHERE event = 'stats_denied' AND badge = "
                           "'1001'",
                           -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    CHECK_INT(n, 1);
}

/* Calibration through the real binary: a grader grades (calibration_pct 100:
 * chosen, the label says RE-GRADE), another scans the plate and re-grades it
 * blind; the re-grade is a calibration record with no label of its own. */
static void test_calibration_e2e(void)
{
    char saved[600], conf[700], script[700], manifest[700], args[2600];
    snprintf(saved, sizeof saved, "%s", data);
    snprintf(data, sizeof data, "%s/calib", harness_tmpdir());
    snprintf(conf, sizeof conf, "%s/calib.conf", harness_tmpdir());
    snprintf(script, sizeof script, "%s/calib.script", harness_tmpdir());
    snprintf(manifest, sizeof manifest, "%s/calib.csv", harness_tmpdir());
    CHECK(harness_write_file(conf, "[station]\nid = SH01-S01\ncalibration_pct = 100\n"));
    CHECK(harness_write_file(manifest,
                             "rma,order_id,sku,gtin,serial,description,reason,delivered_at\n"
                             "RMA-1001,SO-1,PH-IP15-128-BLK,0195142354101,,Phone,defective,\n"));
    CHECK(harness_write_file(script, "scan 1001\ntext 123456\nkey Return\nscan RMA-1001\n"
                                     "scan 0195142354101\nexpect check\n"
                                     "wait 3000\nkey 1\nwait 2000\nkey 1\nwait 1500\nkey 1\n"
                                     "wait 1000\nkey 1\nwait 800\nkey 1\nexpect summary\n"
                                     "key Return\nexpect scan\nkey F12\n"
                                     "scan 1002\ntext 654321\nkey Return\n"
                                     "scan SH01-S01-000001\nexpect check\n"
                                     "key 1\nkey 2\nkey 1\nkey 1\nkey 1\nexpect summary\n"
                                     "key Return\nexpect scan\nquit\n"));
    CHECK_INT(triage("operator add --badge 1001 --name 'Ana Grader' --role grader", "123456\n",
                     NULL, NULL),
              0);
    CHECK_INT(triage("operator add --badge 1002 --name 'Wang Fang' --role grader", "654321\n",
                     NULL, NULL),
              0);
    snprintf(args, sizeof args, "import-manifest '%s'", manifest);
    CHECK_INT(triage(args, NULL, NULL, NULL), 0);
    char *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "--config '%s' --script '%s'", conf, script);
    if (!CHECK_INT(triage(args, NULL, &out, &err), 0))
        fprintf(stderr, "%s\n", err ? err : "");
    CHECK(err && strstr(err, "calibration_start SH01-S01-000001"));
    free(out);
    free(err);
    CHECK_INT(triage("export", NULL, &out, &err), 0);
    char *second = out ? strchr(out, '\n') : NULL;
    if (CHECK(second != NULL)) {
        *second++ = 0;
        cJSON *a = cJSON_Parse(out), *b = cJSON_Parse(second);
        CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "calibration_due")));
        cJSON *steps = cJSON_GetObjectItemCaseSensitive(a, "step_ms");
        CHECK_INT(cJSON_GetArraySize(steps), 5);
        cJSON *screen = cJSON_GetObjectItemCaseSensitive(steps, "screen");
        cJSON *box = cJSON_GetObjectItemCaseSensitive(steps, "box");
        CHECK(cJSON_IsNumber(screen) && screen->valuedouble >= 3000 && screen->valuedouble < 3600);
        CHECK(cJSON_IsNumber(box) && box->valuedouble >= 800 && box->valuedouble < 1400);
        cJSON *cal = cJSON_GetObjectItemCaseSensitive(b, "calibrates");
        CHECK(cJSON_IsString(cal) && !strcmp(cal->valuestring, "SH01-S01-000001"));
        CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(b, "supersedes")));
        CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(b, "calibration_due")));
        cJSON *op = cJSON_GetObjectItemCaseSensitive(b, "operator");
        CHECK(cJSON_IsString(op) && !strcmp(op->valuestring, "1002"));
        cJSON_Delete(a);
        cJSON_Delete(b);
    }
    free(out);
    free(err);
    /* The first label says RE-GRADE; the re-grade printed none. */
    char path[900];
    snprintf(path, sizeof path, "%s/labels/SH01-S01-000001.zpl", data);
    char *zpl = harness_read_file(path, NULL);
    CHECK(zpl && strstr(zpl, "RE-GRADE"));
    free(zpl);
    snprintf(path, sizeof path, "%s/labels/SH01-S01-000002.zpl", data);
    zpl = harness_read_file(path, NULL);
    CHECK(zpl == NULL);
    free(zpl);
    CHECK_INT(triage("stats --format json", NULL, &out, &err), 0);
    cJSON *j = cJSON_Parse(out ? out : "");
    cJSON *cal = cJSON_GetObjectItemCaseSensitive(j, "calibration");
    cJSON *pairs = cJSON_GetObjectItemCaseSensitive(cal, "pairs");
    CHECK(cJSON_IsNumber(pairs) && pairs->valuedouble == 1);
    cJSON *n = cJSON_GetObjectItemCaseSensitive(j, "inspections");
    CHECK(cJSON_IsNumber(n) && n->valuedouble == 1); /* the re-grade is not an outcome */
    cJSON_Delete(j);
    free(out);
    free(err);
    snprintf(data, sizeof data, "%s", saved);
}

int main(void)
{
    test_kappa();
    test_ranges();

    snprintf(data, sizeof data, "%s/data", harness_tmpdir());
    CHECK_INT(triage("operator add --badge 1001 --name 'Ana Grader' --role grader", "123456\n",
                     NULL, NULL),
              0);
    CHECK_INT(triage("operator add --badge 2001 --name 'Sam Supervisor' --role supervisor",
                     "246810\n", NULL, NULL),
              0);
    CHECK_INT(triage("operator add --badge G1 --name 'Grace One' --role grader", "111111\n",
                     NULL, NULL),
              0);
    char path[700], err[256];
    snprintf(path, sizeof path, "%s/triage.db", data);
    struct store *st = NULL;
    if (!CHECK_INT(store_open(path, NULL, &st, err, sizeof err), 0)) {
        fprintf(stderr, "%s\n", err);
        return harness_done();
    }
    today = time_day(clock_wall_ms());
    /* An empty database first: zeros, no crash. */
    static struct stats_report empty;
    struct stats_range r30 = {today - 29, today};
    CHECK_INT(stats_compute(st, &r30, &empty, err, sizeof err), 0);
    CHECK_INT(empty.total, 0);
    CHECK_INT(empty.ngraders, 0);
    CHECK(isnan(empty.kappa));
    struct stats_range rev = {today, today - 1};
    CHECK_INT(stats_compute(st, &rev, &empty, err, sizeof err), -1);
    CHECK(strncmp(err, "E751:", 5) == 0);

    generate(st);
    /* Generated outcomes are not waiting for labels: the screen test would
     * otherwise print all of them first. */
    db_file_exec(path, "UPDATE print_jobs SET done_at = 1 WHERE done_at IS NULL");
    check_report(st, today - 29, today); /* 30 days */
    check_report(st, today - 6, today);  /* 7 days */
    check_report(st, today, today);      /* today */
    check_report(st, today - 39, today - 20);
    static struct stats_report want;
    CHECK_INT(stats_compute(st, &r30, &want, err, sizeof err), 0);
    store_close(st);

    test_cli(&want);
    test_empty_db();
    test_screen();
    test_roles();
    test_calibration_e2e();
    CHECK(paged > 0);
    return harness_done();
}

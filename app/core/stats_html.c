/*
 * stats_html.c — the quality report as one HTML page (stats_html.h).
 *
 * Charts are SVG written here: vertical bars over days, bars stacked by
 * party, and horizontal bars in table cells. Every text from data (a SKU, a
 * category, a badge) is escaped. The page's words are in the table below,
 * English and Chinese.
 */
#include "stats_html.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum hs {
    H_TITLE,
    H_RANGE,
    H_SOURCE,
    H_DAYS_IN,
    H_MADE,
    H_INSPECTIONS,
    H_REGRADED,
    H_LATE,
    H_WRONG,
    H_WITH_DEFECTS,
    H_AGREEMENT,
    H_PER_DAY,
    H_GRADES,
    H_GRADES_DISP,
    H_PAIRS_N,
    H_SRC_STATION,
    H_SRC_SITE,
    H_SRC_ALL,
    H_DISPOSITIONS,
    H_REASONS,
    H_REASON,
    H_DECLARED,
    H_CONFIRMED,
    H_NOT_FOUND,
    H_NOT_CHECKED,
    H_CONFIRMED_SHARE,
    H_ALL_REASONS,
    H_REASONS_NOTE,
    H_DEFECTIVE_OK,
    H_OVERRIDES,
    H_OVERRIDE_LINE,
    H_POLICY_N,
    H_OVERRIDES_N,
    H_OVERRIDE_RATE,
    H_OVERRIDE_REASONS,
    H_OVERRIDE_REASON,
    H_NO_REASON,
    H_RESOLUTIONS,
    H_RESOLUTION,
    H_RETURN_TYPE,
    H_RES_TIME,
    H_SHARE,
    H_RESP_TIME,
    H_RESP_SPLIT,
    H_RESP_CATEGORY,
    H_RESP_SKU,
    H_CATEGORY,
    H_SKU,
    H_ITEMS,
    H_DEFECT_RATE,
    H_TOP_DEFECT_SKUS,
    H_TOP_DEFECT_SKUS_NOTE,
    H_TOP_DEFECTS,
    H_CODE,
    H_LATE_WRONG,
    H_LATE_N,
    H_WRONG_N,
    H_VERIFIED,
    H_GRADERS,
    H_GRADER,
    H_PER_HOUR,
    H_MEDIAN,
    H_PAIRS,
    H_KAPPA,
    H_STATION,
    H_CAL_LINE,
    H_STEPS,
    H_STEP,
    H_NONE,
    H_NO_DATA,
    H_DEFINITIONS,
    H_DEF_TEXT,
    H_COUNT
};

static const char *const words[H_COUNT][LANG_COUNT] = {
    [H_TITLE] = {"Quality report", "质量报告"},
    [H_RANGE] = {"%s to %s", "%s 至 %s"},
    [H_SOURCE] = {"Source", "数据来源"},
    [H_DAYS_IN] = {"Days in", "日期按时区"},
    [H_MADE] = {"Made", "生成时间"},
    [H_INSPECTIONS] = {"Returns inspected", "质检件数"},
    [H_REGRADED] = {"Re-graded (counted once)", "复检（只计一次）"},
    [H_LATE] = {"Late returns", "逾期退货"},
    [H_WRONG] = {"Wrong item", "商品不符"},
    [H_WITH_DEFECTS] = {"With defects", "有缺陷"},
    [H_AGREEMENT] = {"Grader agreement", "质检一致率"},
    [H_PER_DAY] = {"Returns per day", "每日退货质检件数"},
    [H_GRADES] = {"Grades", "等级分布"},
    [H_GRADES_DISP] = {"Grades and where items go", "等级与商品去向"},
    [H_PAIRS_N] = {"pairs", "对"},
    [H_SRC_STATION] = {"station %s", "质检站 %s"},
    [H_SRC_SITE] = {"head office, site %s", "总部，站点 %s"},
    [H_SRC_ALL] = {"head office, every site", "总部，全部站点"},
    [H_DISPOSITIONS] = {"Where items go", "商品去向"},
    [H_REASONS] = {"Declared reason against what was found", "申报退货原因与实际检查结果"},
    [H_REASON] = {"Declared reason", "申报原因"},
    [H_DECLARED] = {"Declared", "申报件数"},
    [H_CONFIRMED] = {"Confirmed", "属实"},
    [H_NOT_FOUND] = {"Not found", "未发现"},
    [H_NOT_CHECKED] = {"Not checked", "未核查"},
    [H_CONFIRMED_SHARE] = {"Confirmed share", "属实比例"},
    [H_ALL_REASONS] = {"Every reason", "全部原因"},
    [H_REASONS_NOTE] =
        {"Confirmed: the inspection found what the customer declared; not found: "
         "it did not (the rules' reason check). Not checked: recorded before the "
         "grading policy, or the rules check nothing for this reason. The share "
         "confirmed is of those checked.",
         "属实：质检发现了顾客申报的问题；未发现：质检未发现（规则的原因核查）。"
         "未核查：评级政策启用前的记录，或规则不核查此原因。属实比例按已核查件数计算。"},
    [H_DEFECTIVE_OK] = {"Declared defective, yet every function check passed: %lld.",
                        "申报故障但所有功能检查均通过：%lld 件。"},
    [H_OVERRIDES] = {"Overrides of the suggested responsibility", "更改系统建议的责任方"},
    [H_OVERRIDE_LINE] = {"%lld of %lld outcomes graded with the grading policy (%.1f%%) were "
                         "given another responsibility than the rules suggested.",
                         "%lld 件（共 %lld 件按评级政策质检，占 %.1f%%）"
                         "确认的责任方与规则建议的不同。"},
    [H_POLICY_N] = {"With the policy", "按政策质检"},
    [H_OVERRIDES_N] = {"Overrides", "更改次数"},
    [H_OVERRIDE_RATE] = {"Override rate", "更改率"},
    [H_OVERRIDE_REASONS] = {"Why graders overrode", "更改原因"},
    [H_OVERRIDE_REASON] = {"Reason given", "所选原因"},
    [H_NO_REASON] = {"no reason given", "未给出原因"},
    [H_RESOLUTIONS] = {"Resolutions and return types", "处理方式与退货类型"},
    [H_RESOLUTION] = {"Resolution", "处理方式"},
    [H_RETURN_TYPE] = {"Return type", "退货类型"},
    [H_RES_TIME] = {"Resolutions over time", "处理方式趋势"},
    [H_SHARE] = {"Share", "占比"},
    [H_RESP_TIME] = {"Responsibility over time", "责任方趋势"},
    [H_RESP_SPLIT] = {"Responsibility (root cause)", "责任方（根本原因）"},
    [H_RESP_CATEGORY] = {"Responsibility by category", "各品类的责任方"},
    [H_RESP_SKU] = {"Top SKUs by returns, and who is responsible", "退货最多的 SKU 及责任方"},
    [H_CATEGORY] = {"Category", "品类"},
    [H_SKU] = {"SKU", "SKU"},
    [H_ITEMS] = {"Returns", "件数"},
    [H_DEFECT_RATE] = {"Defect rate", "缺陷率"},
    [H_TOP_DEFECT_SKUS] = {"Top SKUs by defect rate", "缺陷率最高的 SKU"},
    [H_TOP_DEFECT_SKUS_NOTE] = {"SKUs with at least %d returns in the range.",
                                "仅含本期退货不少于 %d 件的 SKU。"},
    [H_TOP_DEFECTS] = {"Top defect codes", "最常见缺陷代码"},
    [H_CODE] = {"Code", "代码"},
    [H_LATE_WRONG] = {"Late and wrong-item rates", "逾期与商品不符比例"},
    [H_LATE_N] = {"Late", "逾期"},
    [H_WRONG_N] = {"Wrong item", "商品不符"},
    [H_VERIFIED] = {"Checked against the manifest", "已核对清单"},
    [H_GRADERS] = {"Grader agreement and speed", "质检员一致性与效率"},
    [H_GRADER] = {"Grader", "质检员"},
    [H_PER_HOUR] = {"Per hour", "每小时"},
    [H_MEDIAN] = {"Median s", "中位秒数"},
    [H_PAIRS] = {"Re-graded", "复检对数"},
    [H_KAPPA] = {"Kappa", "Kappa"},
    [H_STATION] = {"Whole station", "全部"},
    [H_CAL_LINE] = {"Blind re-grades: %lld chosen, %lld still to re-grade, %lld pairs compared.",
                    "盲评复检：抽取 %lld 件，待复检 %lld 件，已比对 %lld 对。"},
    [H_STEPS] = {"Median seconds per checklist step", "每个检查步骤的中位用时（秒）"},
    [H_STEP] = {"Step", "步骤"},
    [H_NONE] = {"none", "无"},
    [H_NO_DATA] = {"No inspections in this range.", "此期间没有质检记录。"},
    [H_DEFINITIONS] = {"How the numbers are counted", "统计口径"},
    [H_DEF_TEXT] =
        {"Every returned item counts once, with its latest outcome: an outcome a re-grade "
         "replaced is left out, blind calibration re-grades count only toward agreement. Days "
         "are calendar days of the site's time zone. The wrong-item rate counts only the items "
         "checked against the manifest. Defect rate: the share with at least one defect code. "
         "Agreement: first grade against blind re-grade; kappa is Cohen's kappa over grades A, "
         "B, C, X. These are the numbers of triage stats --format json for the same range and "
         "source.",
         "每件退货只计一次，以最新结果为准：被复检取代的结果不计，盲评校准复检只用于一致性统计。"
         "日期为站点时区的自然日。商品不符比例只计已核对清单的商品。缺陷率：至少有一个缺陷代码的比"
         "例。"
         "一致率：首次评级与盲评复检相比；Kappa 为 A、B、C、X 四级的 Cohen's kappa。"
         "与相同期间和数据来源的 triage stats --format json 数字一致。"},
};

static const char *W(enum lang l, enum hs id)
{
    return words[id][(unsigned)l < LANG_COUNT ? l : LANG_EN];
}

static const char *resp_words(enum lang l, int r)
{
    static const char *const en[RESP_COUNT] = {"none", "merchant", "logistics", "customer",
                                               "platform"};
    static const char *const zh[RESP_COUNT] = {"无", "商家", "物流", "顾客", "平台"};
    return (unsigned)r < RESP_COUNT ? (l == LANG_ZH ? zh[r] : en[r]) : "";
}

static const char *resolution_words(enum lang l, int r)
{
    static const char *const en[RESOLUTION_COUNT] = {"not decided", "refund", "partial refund",
                                                     "exchange",    "repair", "reject the return",
                                                     "investigate"};
    static const char *const zh[RESOLUTION_COUNT] = {"未决定", "退款",     "部分退款", "换货",
                                                     "维修",   "拒绝退货", "调查处理"};
    return (unsigned)r < RESOLUTION_COUNT ? (l == LANG_ZH ? zh[r] : en[r]) : "";
}

static const char *return_type_words(enum lang l, int t)
{
    static const char *const en[RETURN_TYPE_COUNT] = {
        "not decided", "quality (seller pays shipping)", "non-quality (customer pays shipping)"};
    static const char *const zh[RETURN_TYPE_COUNT] = {"未决定", "质量问题（卖家承担运费）",
                                                      "非质量问题（顾客承担运费）"};
    return (unsigned)t < RETURN_TYPE_COUNT ? (l == LANG_ZH ? zh[t] : en[t]) : "";
}

/* Parties in the order the page shows them, and their colours. */
static const enum responsibility parties[RESP_COUNT] = {RESP_MERCHANT, RESP_LOGISTICS,
                                                        RESP_CUSTOMER, RESP_PLATFORM, RESP_NONE};
static const char *const party_colors[RESP_COUNT] = {"#7c3aed", "#0e7490", "#b45309", "#1d4ed8",
                                                     "#94a3b8"};
static const char *const grade_colors[4] = {"#15803d", "#1d4ed8", "#b45309", "#b91c1c"};
/* Resolutions in the order the page shows them, and their colours. */
static const enum resolution outcomes_order[RESOLUTION_COUNT] = {
    RESOLUTION_REFUND, RESOLUTION_PARTIAL_REFUND, RESOLUTION_EXCHANGE, RESOLUTION_REPAIR,
    RESOLUTION_REJECT, RESOLUTION_INVESTIGATE,    RESOLUTION_NONE};
static const char *const resolution_colors[RESOLUTION_COUNT] = {
    "#15803d", "#65a30d", "#0e7490", "#7c3aed", "#b91c1c", "#b45309", "#94a3b8"};
#define PARTS_MAX 8 /* the most parts a column of a chart stacks */

/* What a chart over days stacks. */
enum day_split { SPLIT_NONE, SPLIT_PARTIES, SPLIT_RESOLUTIONS };

/* ---- text ------------------------------------------------------------------ */

static void esc(struct buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': buf_adds(b, "&lt;"); break;
        case '>': buf_adds(b, "&gt;"); break;
        case '&': buf_adds(b, "&amp;"); break;
        case '"': buf_adds(b, "&quot;"); break;
        case '\'': buf_adds(b, "&#39;"); break;
        default: buf_add(b, s, 1); break;
        }
    }
}

/* A key from data, or "none" for "". */
static void key(struct buf *b, enum lang l, const char *k)
{
    if (k[0])
        esc(b, k);
    else
        buf_adds(b, W(l, H_NONE));
}

static void pct(struct buf *b, double share)
{
    buf_printf(b, "%.1f%%", 100 * share);
}

static double share(int64_t n, int64_t of)
{
    return of ? (double)n / (double)of : 0;
}

/* ---- charts ---------------------------------------------------------------- */

/* A step of 1, 2 or 5 × 10^k so that max takes about 4 of them. */
static double nice_step(double max)
{
    if (max <= 0)
        return 1;
    double raw = max / 4, p = pow(10, floor(log10(raw)));
    double m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/* Columns over days: n of them, each a stack of up to PARTS_MAX parts
 * (nparts 1: one part in colors[0]). Labels every few columns. */
static void columns_svg(struct buf *b, int n, int nparts, const double (*v)[PARTS_MAX],
                        const char *const *colors, const char *const *labels, const char *title)
{
    const int W0 = 960, H0 = 260, left = 48, bottom = 40, top = 12;
    const double pw = W0 - left - 8, ph = H0 - bottom - top;
    double max = 0;
    for (int i = 0; i < n; i++) {
        double t = 0;
        for (int k = 0; k < nparts; k++)
            t += v[i][k];
        if (t > max)
            max = t;
    }
    double step = nice_step(max), top_v = step * ceil(max / step);
    if (top_v <= 0)
        top_v = step;
    buf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", W0, H0);
    esc(b, title);
    buf_adds(b, "\">");
    for (double g = 0; g <= top_v + step / 2; g += step) {
        double y = top + ph - ph * g / top_v;
        buf_printf(b,
                   "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                   "<text x=\"%d\" y=\"%.1f\" class=\"axis\" text-anchor=\"end\">%g</text>",
                   left, W0 - 8, y, y, left - 6, y + 4, g);
    }
    double cw = n ? pw / n : pw, bw = cw * 0.72;
    int every = n > 45 ? 7 : n > 20 ? 3 : n > 10 ? 2 : 1;
    for (int i = 0; i < n; i++) {
        double x = left + i * cw + (cw - bw) / 2, y = top + ph;
        for (int k = 0; k < nparts; k++) {
            double h = ph * v[i][k] / top_v;
            if (h <= 0)
                continue;
            y -= h;
            buf_printf(b,
                       "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                       x, y, bw, h, colors[k]);
        }
        if (i % every == 0)
            buf_printf(b,
                       "<text x=\"%.1f\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">%s</text>",
                       x + bw / 2, H0 - bottom + 18, labels[i]);
    }
    buf_adds(b, "</svg>");
}

/* A horizontal bar in a table cell: share 0..1 of its width. */
static void hbar(struct buf *b, double s, const char *color)
{
    if (s < 0)
        s = 0;
    if (s > 1)
        s = 1;
    buf_printf(b,
               "<svg class=\"bar\" viewBox=\"0 0 200 14\" preserveAspectRatio=\"none\">"
               "<rect width=\"200\" height=\"14\" fill=\"#eef2f6\"/>"
               "<rect width=\"%.1f\" height=\"14\" fill=\"%s\"/></svg>",
               200 * s, color);
}

/* A 100% bar of parts (their counts), in colors. */
static void mixbar(struct buf *b, const int64_t *parts, int n, const char *const *colors)
{
    int64_t total = 0;
    for (int k = 0; k < n; k++)
        total += parts[k];
    buf_adds(b, "<svg class=\"bar\" viewBox=\"0 0 200 14\" preserveAspectRatio=\"none\">"
                "<rect width=\"200\" height=\"14\" fill=\"#eef2f6\"/>");
    double x = 0;
    for (int k = 0; k < n && total > 0; k++) {
        double w = 200.0 * (double)parts[k] / (double)total;
        if (w > 0)
            buf_printf(b, "<rect x=\"%.2f\" width=\"%.2f\" height=\"14\" fill=\"%s\"/>", x, w,
                       colors[k]);
        x += w;
    }
    buf_adds(b, "</svg>");
}

/* The colours of a chart's parts and what they stand for. */
static void legend(struct buf *b, enum lang l, enum day_split by)
{
    buf_adds(b, "<p class=\"legend\">");
    int n = by == SPLIT_PARTIES ? RESP_COUNT : RESOLUTION_COUNT;
    for (int k = 0; k < n; k++)
        buf_printf(b, "<span><i style=\"background:%s\"></i>%s</span>",
                   by == SPLIT_PARTIES ? party_colors[k] : resolution_colors[k],
                   by == SPLIT_PARTIES ? resp_words(l, parties[k])
                                       : resolution_words(l, outcomes_order[k]));
    buf_adds(b, "</p>");
}

/* A row of a table of counts: the label, the count, its share of total and its bar. */
static void share_row(struct buf *b, const char *label, int64_t n, int64_t total, const char *color)
{
    double s = share(n, total);
    buf_adds(b, "<tr><th>");
    esc(b, label);
    buf_printf(b, "</th><td class=\"n\">%lld</td><td class=\"n\">", (long long)n);
    pct(b, s);
    buf_adds(b, "</td><td>");
    hbar(b, s, color);
    buf_adds(b, "</td></tr>");
}

/* ---- sections -------------------------------------------------------------------- */

static void section(struct buf *b, const char *id, const char *title)
{
    buf_printf(b, "<section id=\"%s\"><h2>", id);
    esc(b, title);
    buf_adds(b, "</h2>");
}

static void tile(struct buf *b, const char *label, const char *value, const char *sub)
{
    buf_adds(b, "<div class=\"tile\"><div class=\"label\">");
    esc(b, label);
    buf_adds(b, "</div><div class=\"value\">");
    esc(b, value);
    buf_adds(b, "</div><div class=\"sub\">");
    esc(b, sub);
    buf_adds(b, "</div></div>");
}

static void tiles(struct buf *b, const struct stats_report *r, enum lang l)
{
    char v[64], s[96];
    buf_adds(b, "<div class=\"tiles\">");
    snprintf(v, sizeof v, "%lld", (long long)r->total);
    snprintf(s, sizeof s, "%s: %lld", W(l, H_REGRADED), (long long)r->superseded);
    tile(b, W(l, H_INSPECTIONS), v, s);
    snprintf(v, sizeof v, "%.1f%%", 100 * r->late_rate);
    snprintf(s, sizeof s, "%lld / %lld", (long long)r->late, (long long)r->total);
    tile(b, W(l, H_LATE), v, s);
    snprintf(v, sizeof v, "%.1f%%", 100 * r->mismatch_rate);
    snprintf(s, sizeof s, "%lld / %lld", (long long)r->mismatch, (long long)r->verified);
    tile(b, W(l, H_WRONG), v, s);
    snprintf(v, sizeof v, "%.1f%%", 100 * share(r->with_defects, r->total));
    snprintf(s, sizeof s, "%lld / %lld", (long long)r->with_defects, (long long)r->total);
    tile(b, W(l, H_WITH_DEFECTS), v, s);
    if (r->cal_pairs) {
        snprintf(v, sizeof v, "%.0f%%", 100 * share(r->cal_agree, r->cal_pairs));
        if (isnan(r->kappa))
            snprintf(s, sizeof s, "%lld %s", (long long)r->cal_pairs, W(l, H_PAIRS_N));
        else
            snprintf(s, sizeof s, "%lld %s · kappa %.2f", (long long)r->cal_pairs, W(l, H_PAIRS_N),
                     r->kappa);
    } else {
        snprintf(v, sizeof v, "—");
        snprintf(s, sizeof s, "0 %s", W(l, H_PAIRS_N));
    }
    tile(b, W(l, H_AGREEMENT), v, s);
    buf_adds(b, "</div>");
}

static void per_day(struct buf *b, const struct stats_report *r, enum lang l, enum day_split by)
{
    static double v[STATS_MAX_DAYS][PARTS_MAX];
    char labels[STATS_MAX_DAYS][8];
    const char *lp[STATS_MAX_DAYS];
    for (int i = 0; i < r->ndays; i++) {
        char day[16];
        stats_day_text(r->range.from_day + i, day, sizeof day);
        snprintf(labels[i], sizeof labels[i], "%.5s", day + 5);
        lp[i] = labels[i];
        memset(v[i], 0, sizeof v[i]);
        if (by == SPLIT_NONE)
            v[i][0] = (double)r->per_day[i];
        for (int k = 0; by == SPLIT_PARTIES && k < RESP_COUNT; k++)
            v[i][k] = (double)r->resp_day[i][parties[k]];
        for (int k = 0; by == SPLIT_RESOLUTIONS && k < RESOLUTION_COUNT; k++)
            v[i][k] = (double)r->resolution_day[i][outcomes_order[k]];
    }
    static const char *const one[1] = {"#1d4ed8"};
    int nparts = by == SPLIT_PARTIES ? RESP_COUNT : by == SPLIT_RESOLUTIONS ? RESOLUTION_COUNT : 1;
    const char *const *colors = by == SPLIT_PARTIES       ? party_colors
                                : by == SPLIT_RESOLUTIONS ? resolution_colors
                                                          : one;
    enum hs title = by == SPLIT_PARTIES       ? H_RESP_TIME
                    : by == SPLIT_RESOLUTIONS ? H_RES_TIME
                                              : H_PER_DAY;
    columns_svg(b, r->ndays, nparts, (const double(*)[PARTS_MAX])v, colors, lp, W(l, title));
}

static void grades(struct buf *b, const struct stats_report *r, enum lang l)
{
    buf_adds(b, "<div class=\"two\"><div><h3>");
    esc(b, W(l, H_GRADES));
    buf_adds(b, "</h3><table>");
    for (int g = GRADE_A; g <= GRADE_X; g++)
        share_row(b, grade_name((enum grade)g), r->grades[g], r->total, grade_colors[g - GRADE_A]);
    buf_adds(b, "</table></div><div><h3>");
    esc(b, W(l, H_DISPOSITIONS));
    buf_adds(b, "</h3><table>");
    for (int i = 0; i < r->ndisp; i++)
        share_row(b, r->disp[i].key[0] ? r->disp[i].key : W(l, H_NONE), r->disp[i].n, r->total,
                  "#1d4ed8");
    buf_adds(b, "</table></div></div>");
}

/* Per declared reason: how often, and what the reason check found. */
static void reasons(struct buf *b, const struct stats_report *r, enum lang l)
{
    static const char *const colors[3] = {"#15803d", "#b91c1c", "#cbd5e1"};
    buf_printf(b,
               "<table><tr class=\"h\"><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
               "<th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
               "<th></th></tr>",
               W(l, H_REASON), W(l, H_DECLARED), W(l, H_CONFIRMED), W(l, H_NOT_FOUND),
               W(l, H_NOT_CHECKED), W(l, H_CONFIRMED_SHARE));
    for (int i = 0; i < r->nreasons; i++) {
        const struct stats_reason *x = &r->reasons[i];
        int64_t unchecked = x->n - x->confirmed - x->not_found;
        buf_adds(b, "<tr><th>");
        key(b, l, x->reason);
        buf_printf(b,
                   "</th><td class=\"n\">%lld</td><td class=\"n\">%lld</td><td class=\"n\">%lld"
                   "</td><td class=\"n\">%lld</td><td class=\"n\">",
                   (long long)x->n, (long long)x->confirmed, (long long)x->not_found,
                   (long long)unchecked);
        if (x->confirmed + x->not_found)
            pct(b, share(x->confirmed, x->confirmed + x->not_found));
        else
            buf_adds(b, "—");
        buf_adds(b, "</td><td>");
        const int64_t parts[3] = {x->confirmed, x->not_found, unchecked};
        mixbar(b, parts, 3, colors);
        buf_adds(b, "</td></tr>");
    }
    buf_printf(b,
               "<tr class=\"total\"><th>%s</th><td></td><td class=\"n\">%lld</td>"
               "<td class=\"n\">%lld</td><td></td><td class=\"n\">",
               W(l, H_ALL_REASONS), (long long)r->reason_confirmed, (long long)r->reason_not_found);
    if (r->reason_confirmed + r->reason_not_found)
        pct(b, share(r->reason_confirmed, r->reason_confirmed + r->reason_not_found));
    buf_adds(b, "</td><td></td></tr>");
    buf_adds(b, "</table><p class=\"legend\">");
    const enum hs names[3] = {H_CONFIRMED, H_NOT_FOUND, H_NOT_CHECKED};
    for (int k = 0; k < 3; k++)
        buf_printf(b, "<span><i style=\"background:%s\"></i>%s</span>", colors[k], W(l, names[k]));
    char line[200];
    snprintf(line, sizeof line, W(l, H_DEFECTIVE_OK), (long long)r->defective_functions_ok);
    buf_adds(b, "</p><p class=\"note\">");
    esc(b, W(l, H_REASONS_NOTE));
    buf_adds(b, " ");
    esc(b, line);
    buf_adds(b, "</p>");
}

/* Overrides of the suggested responsibility: per grader, and why. */
static void overrides(struct buf *b, const struct stats_report *r, enum lang l)
{
    char line[300];
    snprintf(line, sizeof line, W(l, H_OVERRIDE_LINE), (long long)r->policy_overrides,
             (long long)r->policy_n, 100 * share(r->policy_overrides, r->policy_n));
    buf_adds(b, "<p>");
    esc(b, line);
    buf_printf(
        b,
        "</p><div class=\"two\"><div><table><tr class=\"h\"><th>%s</th><th class=\"n\">%s</th>"
        "<th class=\"n\">%s</th><th class=\"n\">%s</th><th></th></tr>",
        W(l, H_GRADER), W(l, H_POLICY_N), W(l, H_OVERRIDES_N), W(l, H_OVERRIDE_RATE));
    for (int i = -1; i < r->ngraders; i++) {
        const struct stats_grader *g = i < 0 ? NULL : &r->graders[i];
        int64_t n = g ? g->policy_n : r->policy_n,
                o = g ? g->policy_overrides : r->policy_overrides;
        if (g && n == 0)
            continue; /* graded nothing with the policy in the range */
        buf_adds(b, g ? "<tr><th>" : "<tr class=\"total\"><th>");
        esc(b, g ? g->badge : W(l, H_STATION));
        buf_printf(b, "</th><td class=\"n\">%lld</td><td class=\"n\">%lld</td><td class=\"n\">",
                   (long long)n, (long long)o);
        if (n)
            pct(b, share(o, n));
        else
            buf_adds(b, "—");
        buf_adds(b, "</td><td>");
        hbar(b, share(o, n), "#b45309");
        buf_adds(b, "</td></tr>");
    }
    buf_printf(
        b,
        "</table></div><div><h3>%s</h3><table><tr class=\"h\"><th>%s</th><th class=\"n\">%s</th>"
        "<th class=\"n\">%s</th><th></th></tr>",
        W(l, H_OVERRIDE_REASONS), W(l, H_OVERRIDE_REASON), W(l, H_OVERRIDES_N), W(l, H_SHARE));
    for (int i = 0; i < r->noverride_reasons; i++) {
        const struct stats_count *c = &r->override_reasons[i];
        double s = share(c->n, r->policy_overrides);
        buf_adds(b, "<tr><th>");
        if (c->key[0])
            esc(b, c->key);
        else
            esc(b, W(l, H_NO_REASON));
        buf_printf(b, "</th><td class=\"n\">%lld</td><td class=\"n\">", (long long)c->n);
        pct(b, s);
        buf_adds(b, "</td><td>");
        hbar(b, s, "#b45309");
        buf_adds(b, "</td></tr>");
    }
    buf_adds(b, "</table></div></div>");
}

/* What the customers get, and who pays the shipping; over time. */
static void resolutions(struct buf *b, const struct stats_report *r, enum lang l)
{
    buf_printf(b, "<div class=\"two\"><div><h3>%s</h3><table>", W(l, H_RESOLUTION));
    for (int k = 0; k < RESOLUTION_COUNT; k++)
        share_row(b, resolution_words(l, outcomes_order[k]), r->resolutions[outcomes_order[k]],
                  r->total, resolution_colors[k]);
    buf_printf(b, "</table></div><div><h3>%s</h3><table>", W(l, H_RETURN_TYPE));
    static const enum return_type types[RETURN_TYPE_COUNT] = {
        RETURN_TYPE_QUALITY, RETURN_TYPE_NON_QUALITY, RETURN_TYPE_NONE};
    static const char *const type_colors[RETURN_TYPE_COUNT] = {"#b91c1c", "#0e7490", "#94a3b8"};
    for (int k = 0; k < RETURN_TYPE_COUNT; k++)
        share_row(b, return_type_words(l, types[k]), r->return_types[types[k]], r->total,
                  type_colors[k]);
    buf_printf(b, "</table></div></div><h3>%s</h3>", W(l, H_RES_TIME));
    legend(b, l, SPLIT_RESOLUTIONS);
    per_day(b, r, l, SPLIT_RESOLUTIONS);
}

/* A table of categories or SKUs: returns, defect rate, late, wrong item and
 * who is responsible. */
static void groups(struct buf *b, const struct stats_group *g, int n, enum lang l, enum hs what,
                   bool by_rate)
{
    buf_printf(
        b,
        "<table><tr class=\"h\"><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th><th></th>"
        "<th class=\"n\">%s</th><th class=\"n\">%s</th><th>%s</th></tr>",
        W(l, what), W(l, H_ITEMS), W(l, H_DEFECT_RATE), W(l, H_LATE_N), W(l, H_WRONG_N),
        W(l, H_RESP_SPLIT));
    for (int i = 0; i < n; i++) {
        buf_adds(b, "<tr><th>");
        key(b, l, g[i].key);
        buf_printf(b, "</th><td class=\"n\">%lld</td><td class=\"n\">", (long long)g[i].n);
        pct(b, g[i].defect_rate);
        buf_adds(b, "</td><td>");
        hbar(b, g[i].defect_rate, by_rate ? "#b91c1c" : "#f59e0b");
        buf_printf(b, "</td><td class=\"n\">%lld · ", (long long)g[i].late);
        pct(b, share(g[i].late, g[i].n));
        buf_printf(b, "</td><td class=\"n\">%lld · ", (long long)g[i].mismatch);
        pct(b, share(g[i].mismatch, g[i].verified));
        buf_adds(b, "</td><td>");
        int64_t parts[RESP_COUNT];
        for (int k = 0; k < RESP_COUNT; k++)
            parts[k] = g[i].resp[parties[k]];
        mixbar(b, parts, RESP_COUNT, party_colors);
        buf_adds(b, "</td></tr>");
    }
    buf_adds(b, "</table>");
}

static void resp_split(struct buf *b, const struct stats_report *r, enum lang l)
{
    buf_adds(b, "<table>");
    for (int k = 0; k < RESP_COUNT; k++)
        share_row(b, resp_words(l, parties[k]), r->resp[parties[k]], r->total, party_colors[k]);
    buf_adds(b, "</table>");
}

static void defects(struct buf *b, const struct stats_report *r, enum lang l)
{
    buf_printf(b, "<table><tr class=\"h\"><th>%s</th><th class=\"n\">%s</th><th></th></tr>",
               W(l, H_CODE), W(l, H_ITEMS));
    int64_t max = r->ndefects ? r->defects[0].n : 1;
    for (int i = 0; i < r->ndefects; i++) {
        buf_adds(b, "<tr><th>");
        esc(b, r->defects[i].key);
        buf_printf(b, "</th><td class=\"n\">%lld</td><td>", (long long)r->defects[i].n);
        hbar(b, share(r->defects[i].n, max), "#b91c1c");
        buf_adds(b, "</td></tr>");
    }
    buf_adds(b, "</table>");
}

static void late_wrong(struct buf *b, const struct stats_report *r, enum lang l)
{
    buf_printf(
        b,
        "<table><tr class=\"h\"><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th><th></th>"
        "<th class=\"n\">%s</th><th class=\"n\">%s</th><th></th></tr>",
        W(l, H_CATEGORY), W(l, H_ITEMS), W(l, H_LATE_N), W(l, H_VERIFIED), W(l, H_WRONG_N));
    for (int i = -1; i < r->ncategories; i++) {
        int64_t n = i < 0 ? r->total : r->categories[i].n;
        int64_t late = i < 0 ? r->late : r->categories[i].late;
        int64_t ver = i < 0 ? r->verified : r->categories[i].verified;
        int64_t wrong = i < 0 ? r->mismatch : r->categories[i].mismatch;
        buf_adds(b, i < 0 ? "<tr class=\"total\"><th>" : "<tr><th>");
        if (i < 0)
            esc(b, W(l, H_STATION));
        else
            key(b, l, r->categories[i].key);
        buf_printf(b, "</th><td class=\"n\">%lld</td><td class=\"n\">%lld · ", (long long)n,
                   (long long)late);
        pct(b, share(late, n));
        buf_adds(b, "</td><td>");
        hbar(b, share(late, n), "#b45309");
        buf_printf(b, "</td><td class=\"n\">%lld</td><td class=\"n\">%lld · ", (long long)ver,
                   (long long)wrong);
        pct(b, share(wrong, ver));
        buf_adds(b, "</td><td>");
        hbar(b, share(wrong, ver), "#b91c1c");
        buf_adds(b, "</td></tr>");
    }
    buf_adds(b, "</table>");
}

static void graders(struct buf *b, const struct stats_report *r, enum lang l)
{
    buf_printf(b,
               "<table><tr class=\"h\"><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
               "<th class=\"n\">%s</th><th>%s</th><th class=\"n\">%s</th>"
               "<th class=\"n\">%s</th><th class=\"n\">%s</th></tr>",
               W(l, H_GRADER), W(l, H_ITEMS), W(l, H_PER_HOUR), W(l, H_MEDIAN), W(l, H_GRADES),
               W(l, H_PAIRS), W(l, H_AGREEMENT), W(l, H_KAPPA));
    for (int i = -1; i < r->ngraders; i++) {
        const struct stats_grader *g = i < 0 ? NULL : &r->graders[i];
        buf_adds(b, g ? "<tr><th>" : "<tr class=\"total\"><th>");
        if (!g) {
            esc(b, W(l, H_STATION));
        } else {
            esc(b, g->name[0] ? g->name : g->badge);
            if (g->name[0]) {
                buf_adds(b, " <small>");
                esc(b, g->badge);
                buf_adds(b, "</small>");
            }
        }
        int64_t n = g ? g->n : r->total, pairs = g ? g->cal_pairs : r->cal_pairs;
        int64_t agree = g ? g->cal_agree : r->cal_agree;
        double kappa = g ? g->kappa : r->kappa;
        buf_printf(b, "</th><td class=\"n\">%lld</td>", (long long)n);
        if (g)
            buf_printf(b, "<td class=\"n\">%.1f</td><td class=\"n\">%.1f</td><td>",
                       g->items_per_hour, g->median_s);
        else
            buf_adds(b, "<td class=\"n\">—</td><td class=\"n\">—</td><td>");
        const int64_t *gr = g ? g->grades : r->grades;
        mixbar(b, gr + GRADE_A, 4, grade_colors);
        buf_printf(b, "</td><td class=\"n\">%lld</td><td class=\"n\">", (long long)pairs);
        if (pairs)
            pct(b, share(agree, pairs));
        else
            buf_adds(b, "—");
        if (isnan(kappa))
            buf_adds(b, "</td><td class=\"n\">—</td></tr>");
        else
            buf_printf(b, "</td><td class=\"n\">%.2f</td></tr>", kappa);
    }
    buf_adds(b, "</table><p class=\"note\">");
    char line[256];
    snprintf(line, sizeof line, W(l, H_CAL_LINE), (long long)r->cal_due, (long long)r->cal_pending,
             (long long)r->cal_pairs);
    esc(b, line);
    buf_adds(b, "</p>");
}

static void steps(struct buf *b, const struct stats_report *r, enum lang l)
{
    buf_printf(
        b,
        "<table><tr class=\"h\"><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th><th></th>"
        "</tr>",
        W(l, H_STEP), W(l, H_ITEMS), W(l, H_MEDIAN));
    double max = 0;
    for (int i = 0; i < r->nsteps; i++)
        if (r->steps[i].median_s > max)
            max = r->steps[i].median_s;
    for (int i = 0; i < r->nsteps; i++) {
        buf_adds(b, "<tr><th>");
        esc(b, r->steps[i].check);
        buf_printf(b, "</th><td class=\"n\">%lld</td><td class=\"n\">%.1f</td><td>",
                   (long long)r->steps[i].n, r->steps[i].median_s);
        hbar(b, max > 0 ? r->steps[i].median_s / max : 0, "#1d4ed8");
        buf_adds(b, "</td></tr>");
    }
    buf_adds(b, "</table>");
}

static const char style[] =
    "@page{size:A4;margin:14mm 12mm}"
    "*{box-sizing:border-box}"
    "html{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "body{font-family:'Noto Sans','DejaVu Sans','WenQuanYi Micro Hei','Noto Sans CJK SC',"
    "sans-serif;color:#0f172a;margin:24px auto;max-width:1000px;font-size:13px;line-height:1.4}"
    "h1{font-size:26px;margin:0 0 4px}h2{font-size:18px;margin:0 0 8px;border-bottom:2px solid "
    "#1d4ed8;padding-bottom:4px}h3{font-size:14px;margin:10px 0 4px}"
    ".meta{color:#475569;margin:0 0 16px}.meta b{color:#0f172a}"
    "section{margin:0 0 22px;break-inside:avoid;page-break-inside:avoid}"
    ".tiles{display:flex;gap:10px;margin:0 0 20px;break-inside:avoid}"
    ".tile{flex:1;border:1px solid #d5dce5;border-radius:10px;padding:8px 12px}"
    ".tile .label{color:#475569;font-size:12px}.tile .value{font-size:24px;font-weight:700}"
    ".tile .sub{color:#475569;font-size:11px}"
    "table{border-collapse:collapse;width:100%}th,td{padding:3px 6px;text-align:left;"
    "border-bottom:1px solid #eef2f6;vertical-align:middle}th{font-weight:600;white-space:nowrap}"
    "tr.h th{color:#475569;font-weight:600;font-size:12px}"
    "td.n,th.n{text-align:right;white-space:nowrap}tr.total th,tr.total td{background:#f8fafc}"
    "small{color:#475569;font-weight:400}"
    ".two{display:flex;gap:24px}.two>div{flex:1}"
    "svg.chart{width:100%;height:auto;display:block}"
    "svg.bar{width:100%;min-width:80px;max-width:200px;height:14px;display:block}"
    ".grid{stroke:#e2e8f0;stroke-width:1}.axis{font-size:11px;fill:#475569}"
    ".legend span{margin-right:14px;white-space:nowrap}.legend i{display:inline-block;width:10px;"
    "height:10px;margin-right:4px;border-radius:2px}"
    ".note{color:#475569;font-size:12px}"
    "@media print{body{margin:0;max-width:none}}";

void stats_html(const struct stats_report *r, enum lang l, const struct stats_html_source *src,
                struct buf *b)
{
    char a[16], z[16], range[64];
    stats_day_text(r->range.from_day, a, sizeof a);
    stats_day_text(r->range.to_day, z, sizeof z);
    snprintf(range, sizeof range, W(l, H_RANGE), a, z);
    buf_printf(b,
               "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
               "<meta name=\"viewport\" content=\"width=device-width\"><title>",
               l == LANG_ZH ? "zh-CN" : "en");
    esc(b, W(l, H_TITLE));
    buf_adds(b, " ");
    esc(b, range);
    buf_printf(b, "</title><style>%s</style></head><body>\n<h1>", style);
    esc(b, W(l, H_TITLE));
    buf_adds(b, " · ");
    esc(b, range);
    buf_adds(b, "</h1><p class=\"meta\">");
    char what[160] = "";
    if (src && src->site == NULL)
        snprintf(what, sizeof what, W(l, H_SRC_STATION), src->station ? src->station : "");
    else if (src && src->site[0])
        snprintf(what, sizeof what, W(l, H_SRC_SITE), src->site);
    else if (src)
        snprintf(what, sizeof what, "%s", W(l, H_SRC_ALL));
    buf_printf(b, "%s: <b>", W(l, H_SOURCE));
    esc(b, what);
    buf_printf(b, "</b> · %s: <b>", W(l, H_DAYS_IN));
    esc(b, r->timezone);
    buf_printf(b, "</b> · %s: ", W(l, H_MADE));
    esc(b, src && src->made_at ? src->made_at : "");
    buf_adds(b, "</p>\n");
    tiles(b, r, l);
    if (r->total == 0) {
        buf_adds(b, "<p>");
        esc(b, W(l, H_NO_DATA));
        buf_adds(b, "</p>");
    }
    section(b, "per-day", W(l, H_PER_DAY));
    per_day(b, r, l, SPLIT_NONE);
    buf_adds(b, "</section>\n");
    section(b, "grades", W(l, H_GRADES_DISP));
    grades(b, r, l);
    buf_adds(b, "</section>\n");
    section(b, "reasons", W(l, H_REASONS));
    reasons(b, r, l);
    buf_adds(b, "</section>\n");
    section(b, "responsibility", W(l, H_RESP_TIME));
    legend(b, l, SPLIT_PARTIES);
    per_day(b, r, l, SPLIT_PARTIES);
    resp_split(b, r, l);
    buf_adds(b, "</section>\n");
    section(b, "resolutions", W(l, H_RESOLUTIONS));
    resolutions(b, r, l);
    buf_adds(b, "</section>\n");
    section(b, "overrides", W(l, H_OVERRIDES));
    overrides(b, r, l);
    buf_adds(b, "</section>\n");
    section(b, "by-category", W(l, H_RESP_CATEGORY));
    groups(b, r->categories, r->ncategories, l, H_CATEGORY, false);
    buf_adds(b, "</section>\n");
    section(b, "by-sku", W(l, H_RESP_SKU));
    groups(b, r->top_skus, r->ntop_skus, l, H_SKU, false);
    buf_adds(b, "</section>\n");
    section(b, "defect-skus", W(l, H_TOP_DEFECT_SKUS));
    groups(b, r->defect_skus, r->ndefect_skus, l, H_SKU, true);
    char note[128];
    snprintf(note, sizeof note, W(l, H_TOP_DEFECT_SKUS_NOTE), STATS_SKU_MIN);
    buf_adds(b, "<p class=\"note\">");
    esc(b, note);
    buf_adds(b, "</p></section>\n");
    section(b, "defects", W(l, H_TOP_DEFECTS));
    defects(b, r, l);
    buf_adds(b, "</section>\n");
    section(b, "late-wrong", W(l, H_LATE_WRONG));
    late_wrong(b, r, l);
    buf_adds(b, "</section>\n");
    section(b, "graders", W(l, H_GRADERS));
    graders(b, r, l);
    buf_adds(b, "</section>\n");
    section(b, "steps", W(l, H_STEPS));
    steps(b, r, l);
    buf_adds(b, "</section>\n");
    section(b, "definitions", W(l, H_DEFINITIONS));
    buf_adds(b, "<p class=\"note\">");
    esc(b, W(l, H_DEF_TEXT));
    buf_adds(b, "</p></section>\n</body></html>\n");
}

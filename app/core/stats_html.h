/*
 * stats_html.h — the quality report (`triage report`): one report
 * (stats_report.h) as one self-contained HTML page, in English or Chinese.
 *
 * Self-contained: the charts are inline SVG, the style one <style> element;
 * no script, no image, no font or anything else fetched, so that the file
 * reads the same in any browser, offline, years later. Printable: A4 pages,
 * a section never split across two, colours kept in print.
 *
 * Every number it shows is a number of the report, the same that `triage
 * stats --format json` prints for the same range and source: the page only
 * lays them out (shares are the report's counts divided as stats_report.h
 * defines). One section per measure, in this order: returns per day,
 * grades and dispositions, declared reason against what was found (per
 * reason: declared, confirmed, not found), responsibility over time,
 * resolutions and return types (and resolutions over time), overrides of
 * the suggested responsibility (per grader, and why), responsibility by
 * category, by SKU, top SKUs by defect rate, top defect codes, late and
 * wrong-item rates, grader agreement and time per step.
 */
#ifndef TRIAGE_STATS_HTML_H
#define TRIAGE_STATS_HTML_H

#include "buf.h"
#include "lang.h"
#include "stats_report.h"

/* Where the numbers come from, said on the page. */
struct stats_html_source {
    const char *station; /* the station's id, when site is NULL */
    const char *site;    /* NULL: the station's database; else head office's, "" every site */
    const char *made_at; /* when the report was made, RFC 3339 */
};

/* Append the page to out. */
void stats_html(const struct stats_report *r, enum lang lang, const struct stats_html_source *src,
                struct buf *out);

#endif

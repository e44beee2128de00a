/*
 * draft.h — an inspection not finished yet, as it is kept between answers.
 *
 * While a grader answers a checklist, the inspection so far is kept in the
 * station's database after every answer (a draft: never sent, counted or
 * exported), so that neither a logout, an idle logout, a restart nor a
 * power cut loses it: at the same grader's next login the station offers it
 * back (the resume screen). The core makes a draft (FX_DRAFT_SAVE), the
 * store keeps its JSON, one per grader, and the core reads it back through
 * its ports. This module turns a draft into JSON and back. Pure.
 */
#ifndef TRIAGE_DRAFT_H
#define TRIAGE_DRAFT_H

#include <stdbool.h>
#include <stdint.h>

#include "inspection.h"

struct draft {
    /* The inspection so far: what is inspected, its flags and item check;
     * answers[0..nanswers) are the checks answered, in checklist order, with
     * their step_ms. Grades and defects are made again at the summary. */
    struct inspection insp;
    struct manifest_row expected; /* the manifest's row, when has_expected */
    bool has_expected;
    bool item_scanned; /* the item's code was scanned */
    int64_t saved_at;  /* Unix ms, station time: when it was kept last */
};

/* The draft as one line of JSON: malloc'd (the caller frees it), NULL when
 * out of memory. */
char *draft_to_json(const struct draft *d);

/* Read a draft back from draft_to_json's text. Texts too long for their
 * fields are cut at a character boundary. 0, or -1 when json is not a draft
 * (out is then zeroed). */
int draft_from_json(const char *json, struct draft *out);

#endif

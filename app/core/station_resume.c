/*
 * station_resume.c — the resume screen: right after a login, the inspection
 * this grader left unfinished (a logout, an idle logout, F12, a restart or a
 * power cut) is offered back.
 *
 * Return continues it at the question where it stopped (the check screen,
 * its answers kept); Escape discards it (audited: draft_discard, the grader
 * as actor, the RMA as subject) and goes to the scan screen. The draft is
 * read at the login (station_login.c) into st->resume. Should the rules have
 * changed meanwhile, the answers are kept as far as the checklist still has
 * them (same check, same answer, in order); a category that is gone is
 * chosen again.
 */
#include <stdio.h>
#include <string.h>

#include "station_int.h"

void resume_entry(struct station *st, struct effects *fx)
{
    (void)fx;
    st->draft_kept = false;
}

/* The draft's answers back into st->answers, as far as the checklist still
 * asks them in the same order (same check, same answer; the checks it skips
 * now are passed over). Returns the index of the first check to ask, or
 * cat->nchecks when every question is answered. */
static int restore_answers(struct station *st, const struct inspection *in)
{
    const struct rules_category *cat = st->cat;
    struct rules_facts f;
    st_facts(st, &f);
    int n = 0, i = rules_next_check(st->set.rules, &f, st->answers, -1);
    while (i < cat->nchecks && n < in->nanswers) {
        const struct rules_check *chk = &cat->checks[i];
        if (strcmp(chk->id, in->answers[n].check) != 0)
            break;
        int k = 0;
        while (k < chk->nanswers && strcmp(chk->answers[k].id, in->answers[n].answer) != 0)
            k++;
        if (k == chk->nanswers)
            break;
        st->answers[i] = k;
        st->step_by_check[i] = in->step_ms[n++];
        i = rules_next_check(st->set.rules, &f, st->answers, i);
    }
    return i;
}

static void go_on(struct station *st, struct effects *fx)
{
    const struct draft *d = &st->resume;
    st_start_inspection(st);
    struct inspection *in = &st->insp;
    int64_t started = d->insp.started_at;
    *in = d->insp;
    in->started_at = started ? started : st->now;
    COPY(in->station, st->set.station_id);
    COPY(in->operator_badge, st->op.badge);
    COPY(in->rules_version, st->set.rules->version);
    in->nanswers = 0; /* made again at the summary */
    st->expected = d->expected;
    st->has_expected = d->has_expected;
    st->item_scanned = d->item_scanned;
    st->units_left = 0;
    /* A re-grade goes back to the outcome it re-grades. */
    if (in->supersedes[0] &&
        st->ports.find_inspection(st->ports.ctx, in->supersedes, &st->existing) == 0)
        st->existing_all_graded = false;
    st_use_category(st, rules_category(st->set.rules, in->category));
    st_say(st, MSG_DRAFT_RESUMED, in->rma, 0);
    st->draft_kept = true; /* it is in the store: backing out forgets it */
    if (!st->cat) {
        st_item_open(st, ITEM_PICK_CATEGORY, fx);
        return;
    }
    st->check_index = restore_answers(st, &d->insp);
    memset(in->step_ms, 0, sizeof in->step_ms);
    station_goto(st, SCREEN_CHECK, fx); /* all answered: the last question again */
}

static void discard(struct station *st, struct effects *fx)
{
    const struct inspection *in = &st->resume.insp;
    struct effect *e = st_emit(fx, FX_DRAFT_DROP);
    if (e)
        COPY(e->actor, st->op.badge);
    char detail[128];
    snprintf(detail, sizeof detail, "unit %d of %d, %d answers", inspection_unit(in),
             inspection_units(in), in->nanswers);
    st_audit(st, fx, "draft_discard", in->rma, detail);
    st_say(st, MSG_DRAFT_DISCARDED, in->rma, 0);
    station_goto(st, SCREEN_SCAN, fx);
}

bool resume_run(struct station *st, const struct event *ev, struct effects *fx)
{
    if (ev->type != EV_KEY)
        return false;
    switch (ev->key) {
    case KEY_ENTER: go_on(st, fx); return true;
    case KEY_ESCAPE: discard(st, fx); return true;
    default: return false;
    }
}

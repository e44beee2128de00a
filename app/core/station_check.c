/*
 * station_check.c — the check screen: the category's checklist, one
 * question at a time, answered with keys 1..n or a touch.
 *
 * Branching: after each answer the next question is the first later check
 * whose `when` holds over the answers so far, unless the answer ended the
 * checklist (`end`); the checks passed over are skipped (rules_next_check).
 * Each answer records how long its question was shown (step_ms), and the
 * inspection so far is kept as the grader's draft (on entry and after every
 * answer or step back). Escape steps back to the question asked before (the
 * later answers are open again); on the first it
 * leaves: to the item screen (a re-grade: back to the outcome it re-grades;
 * another product than the manifest's: back to choosing its category), or,
 * in a blind re-grade, to the scan screen (the plate stays due for someone
 * else). The last answer goes on to the summary. An answer that asks for a
 * photo (`photo`: optional or required) goes to the photo screen first,
 * which comes back here (or to the summary) once the photo is dealt with.
 */
#include <stdint.h>

#include "station_int.h"

void check_entry(struct station *st, struct effects *fx)
{
    st->step_started = st->now;
    /* The question to ask: the one at check_index, or the next one asked
     * after it; every later answer is open again. */
    struct rules_facts f;
    st_facts(st, &f);
    int at = st->check_index < 0 ? 0 : st->check_index;
    int next = rules_next_check(st->set.rules, &f, st->answers, at - 1);
    if (next >= st->cat->nchecks) {
        /* Nothing left to ask from there: the last question answered. */
        int last = st_last_answered(st, st->cat->nchecks);
        next = last >= 0 ? rules_next_check(st->set.rules, &f, st->answers, last - 1) : 0;
    }
    st->check_index = next;
    st_draft_keep(st, fx);
}

/* Whether going back to the item screen asks for the category again. */
static bool category_was_picked(const struct station *st)
{
    return st->insp.blind || st->insp.wrong_item || !st->has_expected ||
           !rules_match(st->set.rules, st->expected.sku);
}

/* Back from the first question. */
static void leave(struct station *st, struct effects *fx)
{
    if (st->insp.calibrates[0]) {
        /* Leaving a blind re-grade: it stays due for someone else. */
        station_goto(st, SCREEN_SCAN, fx);
    } else if (st->insp.supersedes[0]) {
        /* A re-grade: back to the outcome it re-grades, the RMA's manifest
         * row and its item as they were. */
        st_item_open(st, ITEM_EXISTING, fx);
    } else if (st->insp.wrong_item) {
        /* Another product: its category again; the scan stands. */
        st_item_open(st, ITEM_PICK_CATEGORY, fx);
    } else {
        st_reset_item(st);
        st_item_open(st, category_was_picked(st) ? ITEM_PICK_CATEGORY : ITEM_IDENTIFY, fx);
    }
}

void st_check_answered(struct station *st, int answered, struct effects *fx)
{
    /* Branching: the next check whose `when` holds, unless this answer
     * ended the checklist; those passed over are skipped. */
    struct rules_facts f;
    st_facts(st, &f);
    st->check_index = rules_next_check(st->set.rules, &f, st->answers, answered);
    if (st->check_index >= st->cat->nchecks)
        station_goto(st, SCREEN_SUMMARY, fx); /* its entry keeps the draft */
    else if (st->screen == SCREEN_CHECK)
        st_draft_keep(st, fx);
    else
        station_goto(st, SCREEN_CHECK, fx); /* its entry keeps the draft */
}

bool check_run(struct station *st, const struct event *ev, struct effects *fx)
{
    const struct rules_check *chk = &st->cat->checks[st->check_index];
    int pick = st_typed_choice(ev);
    if (pick >= 0) {
        if (pick >= chk->nanswers)
            return false;
        int64_t took = st->now - st->step_started;
        st->step_by_check[st->check_index] =
            (int32_t)(took < 1 ? 1 : took > INT32_MAX ? INT32_MAX : took);
        st->step_started = st->now;
        st->answers[st->check_index] = pick;
        if (chk->answers[pick].photo) {
            /* The answer asks for a photo: the camera first. */
            st->photo_check = st->check_index;
            station_goto(st, SCREEN_PHOTO, fx);
        } else {
            st_check_answered(st, st->check_index, fx);
        }
        return true;
    }
    if (ev->type == EV_KEY && ev->key == KEY_ESCAPE) {
        st->step_started = st->now;
        st_say(st, MSG_NONE, NULL, 0);
        /* Back to the question asked before this one, skipped ones passed over. */
        int prev = st_last_answered(st, st->check_index);
        if (prev >= 0) {
            struct rules_facts f;
            st_facts(st, &f);
            st->check_index = rules_next_check(st->set.rules, &f, st->answers, prev - 1);
            st_draft_keep(st, fx);
        } else {
            leave(st, fx);
        }
        return true;
    }
    return false;
}

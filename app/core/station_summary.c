/*
 * station_summary.c — the summary screen: the grade, the disposition and
 * the responsibility, confirmed with Return.
 *
 * Steps (enum save_state): IDLE (choosing the responsibility) → PENDING
 * (FX_SAVE asked, waiting for the store) → back to scan on EV_SAVED, or
 * FAILED on EV_SAVE_FAILED: the inspection is kept and retried every
 * STATION_SAVE_RETRY_MS (on a tick) or at once on Return; nothing else
 * leaves the screen. The commit queues the label: a save asks for no print,
 * and removes the grader's draft in the same transaction.
 */
#include <stdio.h>

#include "station_int.h"

void summary_entry(struct station *st, struct effects *fx)
{
    rules_grade(st->cat, st->answers, &st->result);
    struct inspection *in = &st->insp;
    in->grade = st->result.grade;
    for (int a = 0; a < ASPECT_COUNT; a++)
        in->aspect_grade[a] = st->result.aspect[a];
    COPY(in->disposition, st->result.disposition);
    in->responsibility = st->result.responsibility;
    in->ndefects = st->result.ndefects;
    for (int i = 0; i < st->result.ndefects; i++)
        COPY(in->defects[i], st->result.defects[i]);
    in->nanswers = st->cat->nchecks;
    for (int i = 0; i < st->cat->nchecks; i++) {
        COPY(in->answers[i].check, st->cat->checks[i].id);
        COPY(in->answers[i].answer, st->cat->checks[i].answers[st->answers[i]].id);
    }
    st->save_state = SAVE_IDLE;
    st_draft_keep(st, fx); /* every question answered: kept until saved */
}

/* Whether an outcome is chosen for a blind re-grade: calibration_pct of them,
 * by a hash of what identifies it (FNV-1a), so the choice is reproducible in
 * tests and not something a grader can predict or steer. Calibration records
 * and corrections are never chosen. */
static bool chosen_for_calibration(const struct station *st, const struct inspection *in)
{
    if (st->set.calibration_pct <= 0 || in->calibrates[0] || in->supersedes[0])
        return false;
    if (st->set.calibration_pct >= 100)
        return true;
    char buf[256];
    int n = snprintf(buf, sizeof buf, "%s|%s|%s|%lld|%lld", in->station, in->operator_badge,
                     in->rma, (long long)in->started_at, (long long)in->finished_at);
    uint32_t h = 2166136261u;
    for (int i = 0; i < n && i < (int)sizeof buf; i++) {
        h ^= (unsigned char)buf[i];
        h *= 16777619u;
    }
    return (int)(h % 100) < st->set.calibration_pct;
}

static void request_save(struct station *st, struct effects *fx)
{
    st->save_state = SAVE_PENDING;
    struct effect *e = st_emit(fx, FX_SAVE);
    if (e)
        e->insp = &st->insp;
}

static bool saved(struct station *st, const struct event *ev, struct effects *fx)
{
    COPY(st->insp.plate, ev->plate);
    st->insp.seq = ev->seq;
    st->save_state = SAVE_IDLE;
    st->draft_kept = false; /* the commit removed the draft with it */
    COPY(st->last_plate, ev->plate);
    st->saved_count++;
    /* Saved, and in the same words what still waits: a label the printer
     * cannot take now comes first, then outcomes head office cannot get. */
    if (st->insp.calibrates[0])
        st_say(st, MSG_CALIBRATION_SAVED, st->insp.calibrates, 0); /* no label of its own */
    else if (ev->printer_trouble[0]) {
        st_say(st, MSG_SAVED_LABEL_WAITING, ev->plate,
               ev->labels_waiting > 0 ? ev->labels_waiting : 1);
        COPY(st->msg_detail, ev->printer_trouble);
    } else if (ev->sync_trouble[0]) {
        st_say(st, MSG_SAVED_SYNC_FAILING, ev->plate, 0);
        COPY(st->msg_detail, ev->sync_trouble);
    } else if (st->units_left > 0)
        st_say(st, MSG_SAVED_MORE, ev->plate, st->units_left);
    else
        st_say(st, MSG_SAVED, ev->plate, 0);
    st_emit(fx, FX_BEEP_OK);
    station_goto(st, SCREEN_SCAN, fx);
    return true;
}

/* Choosing the responsibility, confirming, going back to the checklist. */
static bool choose(struct station *st, const struct event *ev, struct effects *fx)
{
    if (ev->type == EV_PICK && ev->pick >= 0 && ev->pick < RESP_COUNT) {
        st->insp.responsibility = (enum responsibility)ev->pick;
        return true;
    }
    if (ev->type != EV_KEY)
        return false;
    switch (ev->key) {
    case KEY_LEFT:
    case KEY_UP:
        st->insp.responsibility =
            (enum responsibility)((st->insp.responsibility + RESP_COUNT - 1) % RESP_COUNT);
        return true;
    case KEY_RIGHT:
    case KEY_DOWN:
    case KEY_TAB:
        st->insp.responsibility =
            (enum responsibility)((st->insp.responsibility + 1) % RESP_COUNT);
        return true;
    case KEY_ENTER:
        st->insp.finished_at = st->now;
        st->insp.calibration_due = chosen_for_calibration(st, &st->insp);
        request_save(st, fx);
        return true;
    case KEY_ESCAPE:
        st->check_index = st->cat->nchecks - 1;
        station_goto(st, SCREEN_CHECK, fx);
        return true;
    default:
        return false;
    }
}

bool summary_run(struct station *st, const struct event *ev, struct effects *fx)
{
    switch (st->save_state) {
    case SAVE_IDLE:
        return choose(st, ev, fx);
    case SAVE_PENDING:
    case SAVE_FAILED:
        if (ev->type == EV_SAVED)
            return saved(st, ev, fx);
        if (ev->type == EV_SAVE_FAILED) {
            st->save_state = SAVE_FAILED;
            st->retry_at = st->now + STATION_SAVE_RETRY_MS;
            st_say(st, MSG_SAVE_FAILED, ev->text, 0);
            st_emit(fx, FX_BEEP_ERROR);
            return true;
        }
        if (st->save_state == SAVE_PENDING)
            return false;
        /* Failed: kept until saved, retried on time or on Return. */
        if (ev->type == EV_TICK && st->now >= st->retry_at) {
            st->retry_at = st->now + STATION_SAVE_RETRY_MS;
            request_save(st, fx);
            return true;
        }
        if (ev->type == EV_KEY && ev->key == KEY_ENTER) {
            request_save(st, fx);
            return true;
        }
        return false;
    }
    return false;
}

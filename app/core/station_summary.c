/*
 * station_summary.c — the summary screen: the grade, the disposition, the
 * declared reason against what was found, the responsibility (suggested by
 * the rules from the evidence) and the resolution, confirmed with Return.
 *
 * Confirming another responsibility than the suggested one first asks why
 * (SUMMARY_OVERRIDE_REASON: the rules' override reasons as keys 1..n); the
 * reason is recorded with the inspection, and once saved the override is
 * audited (responsibility_override: the grader, the plate, from what to
 * what, the reason). The resolution follows the responsibility chosen.
 *
 * Steps (enum save_state): IDLE (choosing the responsibility) → PENDING
 * (FX_SAVE asked, waiting for the store) → back to scan on EV_SAVED, or
 * FAILED on EV_SAVE_FAILED: the inspection is kept and retried every
 * STATION_SAVE_RETRY_MS (on a tick) or at once on Return; nothing else
 * leaves the screen. The commit queues the label: a save asks for no print,
 * and removes the grader's draft in the same transaction.
 *
 * Overriding what the rules decided (F3): a supervisor or admin, or a grader
 * with one's authorisation (st_authorise), picks another grade with keys 1..4
 * (A, B, C, X; enum summary_step PICK_GRADE); the disposition follows the
 * category's for that grade. Audited as "grade_override" with both badges.
 */
#include <string.h>

#include <stdio.h>

#include "station_int.h"

/* The return type and resolution for the responsibility now chosen. */
static void resolve(struct station *st)
{
    struct rules_facts f;
    st_facts(st, &f);
    struct resolution_result res;
    rules_resolve(st->set.rules, &f, &res);
    st->insp.return_type = res.return_type;
    st->insp.resolution = res.resolution;
}

void summary_entry(struct station *st, struct effects *fx)
{
    struct rules_facts f;
    st_facts(st, &f);
    rules_decide(st->set.rules, &f, &st->result);
    struct inspection *in = &st->insp;
    in->grade = st->result.grade;
    for (int a = 0; a < ASPECT_COUNT; a++)
        in->aspect_grade[a] = st->result.aspect[a];
    COPY(in->disposition, st->result.disposition);
    in->responsibility = st->result.responsibility;
    in->responsibility_suggested = st->result.responsibility;
    in->responsibility_reason[0] = 0;
    in->reason_check = st->result.reason_check;
    in->ndefects = st->result.ndefects;
    for (int i = 0; i < st->result.ndefects; i++)
        COPY(in->defects[i], st->result.defects[i]);
    st_compact_answers(st, st->cat->nchecks, in);
    st_photos_prune(st); /* only the photos of the answers as they stand */
    resolve(st);
    st->check_index = st->cat->nchecks;
    st->summary_step = SUMMARY_CHOOSING;
    st->save_state = SAVE_IDLE;
    st_draft_keep(st, fx); /* every question answered: kept until saved */
}

/* Another grade than the rules': the disposition goes with it. */
static void override_grade(struct station *st, enum grade g, struct effects *fx)
{
    struct inspection *in = &st->insp;
    char detail[160];
    const char *disp = st->cat && st->cat->disposition[g] ? st->cat->disposition[g] : "";
    snprintf(detail, sizeof detail, "%s -> %s; disposition %s -> %s", grade_name(in->grade),
             grade_name(g), in->disposition[0] ? in->disposition : "none",
             disp[0] ? disp : "none");
    st_audit_authorised(st, fx, "grade_override", in->rma, detail, st->authorised_by);
    char change[16];
    snprintf(change, sizeof change, "%s → %s", grade_name(in->grade), grade_name(g));
    in->grade = g;
    COPY(in->disposition, disp);
    st->summary_step = SUMMARY_CHOOSING;
    st_say(st, MSG_GRADE_OVERRIDDEN, change, 0);
}

static bool pick_grade(struct station *st, const struct event *ev, struct effects *fx)
{
    int pick = st_typed_choice(ev);
    if (pick >= 0 && pick < 4) {
        override_grade(st, (enum grade)(GRADE_A + pick), fx);
        return true;
    }
    if (ev->type == EV_KEY && ev->key == KEY_ESCAPE) {
        st->summary_step = SUMMARY_CHOOSING;
        st_say(st, MSG_NONE, NULL, 0);
        return true;
    }
    return false;
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
    /* The grader confirmed another responsibility than the rules' suggestion:
     * the audit says who, on which plate, from what to what, and why. */
    const struct inspection *in = &st->insp;
    if (in->responsibility != in->responsibility_suggested) {
        char detail[160];
        snprintf(detail, sizeof detail, "suggested %s, confirmed %s: %s",
                 in->responsibility_suggested ? responsibility_name(in->responsibility_suggested)
                                              : "none",
                 in->responsibility ? responsibility_name(in->responsibility) : "none",
                 in->responsibility_reason);
        st_audit(st, fx, "responsibility_override", ev->plate, detail);
    }
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

/* The inspection is confirmed as it stands: saved — unless a required photo
 * is missing (a draft resumed, say): then the photo screen asks for it. (A
 * step that must come before the save, such as someone authorising an
 * override, goes here.) */
static void confirm(struct station *st, struct effects *fx)
{
    int missing = st_photo_missing(st);
    if (missing >= 0) {
        /* A required photo is neither taken nor waived: never saved so. */
        st->photo_check = missing;
        station_goto(st, SCREEN_PHOTO, fx);
        st->photo_from_summary = true;
        st_say(st, MSG_PHOTO_REQUIRED, NULL, 0);
        return;
    }
    st->insp.finished_at = st->now;
    st->insp.calibration_due = chosen_for_calibration(st, &st->insp);
    resolve(st);
    request_save(st, fx);
}

static void set_responsibility(struct station *st, enum responsibility r)
{
    st->insp.responsibility = r;
    st->summary_step = SUMMARY_CHOOSING;
    resolve(st);
}

/* Choosing the responsibility, confirming, going back to the checklist;
 * after Return on another responsibility than the suggested one, the
 * override reason (keys 1..n). */
static bool choose(struct station *st, const struct event *ev, struct effects *fx)
{
    if (ev->type == EV_AUTHORISED && ev->pick == AUTH_OVERRIDE_GRADE) {
        st->summary_step = SUMMARY_PICK_GRADE;
        st_say(st, MSG_PICK_GRADE, NULL, 0);
        return true;
    }
    if (st->summary_step == SUMMARY_PICK_GRADE)
        return pick_grade(st, ev, fx);
    if (ev->type == EV_PICK && ev->pick >= 0 && ev->pick < RESP_COUNT) {
        set_responsibility(st, (enum responsibility)ev->pick);
        return true;
    }
    if (st->summary_step == SUMMARY_OVERRIDE_REASON) {
        int pick = ev->type == EV_PICK ? ev->pick - SUMMARY_PICK_OVERRIDE
                   : ev->type == EV_TEXT ? st_typed_choice(ev)
                                         : -1;
        if (pick >= 0 && pick < st->set.rules->noverrides) {
            COPY(st->insp.responsibility_reason, st->set.rules->overrides[pick].id);
            confirm(st, fx);
            return true;
        }
        if (ev->type == EV_KEY && ev->key == KEY_ESCAPE) {
            st->summary_step = SUMMARY_CHOOSING;
            return true;
        }
    }
    if (ev->type != EV_KEY)
        return false;
    switch (ev->key) {
    case KEY_LEFT:
    case KEY_UP:
        set_responsibility(
            st, (enum responsibility)((st->insp.responsibility + RESP_COUNT - 1) % RESP_COUNT));
        return true;
    case KEY_RIGHT:
    case KEY_DOWN:
    case KEY_TAB:
        set_responsibility(st,
                           (enum responsibility)((st->insp.responsibility + 1) % RESP_COUNT));
        return true;
    case KEY_ENTER:
        if (st->insp.responsibility != st->insp.responsibility_suggested) {
            /* Another responsibility than the rules suggest: why? */
            st->summary_step = SUMMARY_OVERRIDE_REASON;
            return true;
        }
        st->insp.responsibility_reason[0] = 0;
        confirm(st, fx);
        return true;
    case KEY_ESCAPE:
        st->check_index = st_last_answered(st, st->cat->nchecks);
        station_goto(st, SCREEN_CHECK, fx);
        return true;
    case KEY_OVERRIDE:
        /* A blind re-grade's grade is the re-grader's own judgement: nothing
         * to override. */
        if (st->insp.calibrates[0])
            return false;
        if (st_may(st, AUTH_OVERRIDE_GRADE, NULL)) {
            st->summary_step = SUMMARY_PICK_GRADE;
            st_say(st, MSG_PICK_GRADE, NULL, 0);
        } else {
            st_authorise(st, AUTH_OVERRIDE_GRADE, st->insp.rma);
        }
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

/*
 * station_photo.c — the photo screen: evidence for an answer that asks for
 * it (`"photo": "required"` or `"optional"` in the rules), taken with the
 * camera after the answer is chosen on the check screen.
 *
 * The screen shows the camera's live view (drawn by the UI; the core only
 * knows whether the camera works, EV_CAMERA). Return (or a touch) asks for
 * the picture, FX_PHOTO_TAKE; the answer comes back as EV_PHOTO_TAKEN (the
 * file is on disk for good already, with its SHA-256) and the checklist goes
 * on, or as EV_PHOTO_FAILED: the error is shown, the inspection stays as it
 * is, and Return tries again. One photo per check: taking another (a retake:
 * Escape from the next question comes back here by answering again)
 * replaces it. Tab goes on without a new picture: with an optional photo,
 * or keeping the one taken before. Escape goes back to the question, its
 * answer open again.
 *
 * A required photo cannot be passed over: the inspection cannot be saved
 * without it (the summary sends the grader back here). Only when the camera
 * gives no pictures (its state says so, or the last picture asked for here
 * failed) may a supervisor or admin waive it at the station (F3;
 * a grader needs one's badge and PIN, st_authorise): the waiver is recorded
 * with the inspection (photos_waived: the check and who) and audited as
 * "photo_waived".
 */
#include <string.h>

#include <stdio.h>

#include "station_int.h"

int st_photo_asked(const struct station *st, int i)
{
    if (!st->cat || i < 0 || i >= st->cat->nchecks || st->answers[i] < 0 ||
        st->answers[i] >= st->cat->checks[i].nanswers)
        return 0;
    return st->cat->checks[i].answers[st->answers[i]].photo;
}

/* The index in insp.photos of check i's photo, or -1. */
static int photo_index(const struct station *st, int i)
{
    if (!st->cat || i < 0 || i >= st->cat->nchecks)
        return -1;
    for (int k = 0; k < st->insp.nphotos; k++)
        if (strcmp(st->insp.photos[k].check, st->cat->checks[i].id) == 0)
            return k;
    return -1;
}

const struct photo_ref *st_photo_of(const struct station *st, int i)
{
    int k = photo_index(st, i);
    return k < 0 ? NULL : &st->insp.photos[k];
}

bool st_camera_fails(const struct station *st)
{
    return st->camera_error[0] || st->photo_failed;
}

static int waiver_of(const struct station *st, int i)
{
    for (int k = 0; k < st->insp.nwaived; k++)
        if (strcmp(st->insp.waived[k].check, st->cat->checks[i].id) == 0)
            return k;
    return -1;
}

/* The index in cat of check `id`, or -1. */
static int check_by_id(const struct station *st, const char *id)
{
    for (int i = 0; st->cat && i < st->cat->nchecks; i++)
        if (strcmp(st->cat->checks[i].id, id) == 0)
            return i;
    return -1;
}

void st_photos_prune(struct station *st)
{
    struct inspection *in = &st->insp;
    int n = 0;
    for (int k = 0; k < in->nphotos; k++)
        if (st_photo_asked(st, check_by_id(st, in->photos[k].check)))
            in->photos[n++] = in->photos[k];
    in->nphotos = n;
    n = 0;
    for (int k = 0; k < in->nwaived; k++)
        if (st_photo_asked(st, check_by_id(st, in->waived[k].check)) == 2)
            in->waived[n++] = in->waived[k];
    in->nwaived = n;
}

int st_photo_missing(const struct station *st)
{
    for (int i = 0; st->cat && i < st->cat->nchecks; i++)
        if (st_photo_asked(st, i) == 2 && !st_photo_of(st, i) && waiver_of(st, i) < 0)
            return i;
    return -1;
}

/* The photo is dealt with: on with the checklist, or back to the summary
 * that sent the grader here. */
static void done(struct station *st, struct effects *fx)
{
    if (st->photo_from_summary)
        station_goto(st, SCREEN_SUMMARY, fx);
    else
        st_check_answered(st, st->photo_check, fx);
}

void photo_entry(struct station *st, struct effects *fx)
{
    (void)fx;
    st->photo_step = PHOTO_LIVE;
    st->photo_from_summary = false;
    st->photo_failed = false;
    if (st->camera_error[0] && st_photo_asked(st, st->photo_check) == 2)
        st_say(st, MSG_CAMERA_MISSING, st->camera_error, 0);
}

/* The photo taken: kept with the inspection (replacing an earlier one of the
 * same check, and a waiver of it), and on with the checklist. */
static void taken(struct station *st, const struct photo_ref *p, struct effects *fx)
{
    struct inspection *in = &st->insp;
    int k = photo_index(st, st->photo_check);
    if (k < 0 && in->nphotos < INSP_MAX_PHOTOS)
        k = in->nphotos++;
    struct photo_ref *slot = k < 0 ? NULL : &in->photos[k];
    if (!slot) {
        st_say(st, MSG_PHOTO_FAILED, "E557: the inspection has as many photos as it may keep", 0);
        st->photo_step = PHOTO_LIVE;
        return;
    }
    *slot = *p;
    COPY(slot->check, st->cat->checks[st->photo_check].id);
    int w = waiver_of(st, st->photo_check);
    if (w >= 0) {
        memmove(&in->waived[w], &in->waived[w + 1],
                (size_t)(in->nwaived - w - 1) * sizeof in->waived[0]);
        in->nwaived--;
    }
    st->photo_step = PHOTO_LIVE;
    st_say(st, MSG_PHOTO_TAKEN, NULL, in->nphotos);
    st_emit(fx, FX_BEEP_OK);
    done(st, fx);
}

/* A required photo goes without: recorded and audited with who allowed it. */
static void waive(struct station *st, const char *by, struct effects *fx)
{
    struct inspection *in = &st->insp;
    int w = waiver_of(st, st->photo_check);
    if (w < 0 && in->nwaived < INSP_MAX_PHOTOS)
        w = in->nwaived++;
    if (w < 0)
        return;
    COPY(in->waived[w].check, st->cat->checks[st->photo_check].id);
    COPY(in->waived[w].by, by);
    char detail[256];
    snprintf(detail, sizeof detail, "check %s without its required photo: %s",
             st->cat->checks[st->photo_check].id, st->camera_error);
    /* Who waived it is the authorising badge, or the operator when they may. */
    st_audit_authorised(st, fx, "photo_waived", in->rma, detail,
                        strcmp(by, st->op.badge) != 0 ? by : NULL);
    st_say(st, MSG_PHOTO_WAIVED, by, 0);
    done(st, fx);
}

static void take(struct station *st, struct effects *fx)
{
    if (st->camera_error[0]) {
        st_say(st, MSG_CAMERA_MISSING, st->camera_error, 0);
        st_emit(fx, FX_BEEP_ERROR);
        return;
    }
    struct effect *e = st_emit(fx, FX_PHOTO_TAKE);
    if (!e)
        return;
    COPY(e->actor, st->op.badge);
    COPY(e->subject, st->cat->checks[st->photo_check].id);
    st->photo_step = PHOTO_TAKING;
}

bool photo_run(struct station *st, const struct event *ev, struct effects *fx)
{
    int asked = st_photo_asked(st, st->photo_check);
    if (st->photo_step == PHOTO_TAKING) {
        if (ev->type == EV_PHOTO_TAKEN) {
            taken(st, &ev->photo, fx);
            return true;
        }
        if (ev->type == EV_PHOTO_FAILED) {
            st->photo_step = PHOTO_LIVE;
            st->photo_failed = true;
            st_say(st, MSG_PHOTO_FAILED, ev->text, 0);
            st_emit(fx, FX_BEEP_ERROR);
            return true;
        }
        return false; /* nothing else until the camera answers */
    }
    if (ev->type == EV_AUTHORISED && ev->pick == AUTH_WAIVE_PHOTO) {
        waive(st, ev->op.badge, fx);
        return true;
    }
    bool key = ev->type == EV_KEY;
    if ((key && ev->key == KEY_ENTER) || (ev->type == EV_PICK && ev->pick == PHOTO_PICK_TAKE)) {
        take(st, fx);
        return true;
    }
    if ((key && ev->key == KEY_TAB) || (ev->type == EV_PICK && ev->pick == PHOTO_PICK_ON)) {
        if (asked == 2 && !st_photo_of(st, st->photo_check)) {
            st_say(st, MSG_PHOTO_REQUIRED, NULL, 0);
            st_emit(fx, FX_BEEP_ERROR);
        } else {
            done(st, fx);
        }
        return true;
    }
    if ((key && ev->key == KEY_OVERRIDE) || (ev->type == EV_PICK && ev->pick == PHOTO_PICK_WAIVE)) {
        if (asked != 2 || !st_camera_fails(st)) {
            /* Only a required photo the camera cannot take may be waived. */
            st_say(st, MSG_PHOTO_REQUIRED, NULL, 0);
            return true;
        }
        if (st_may(st, AUTH_WAIVE_PHOTO, NULL))
            waive(st, st->op.badge, fx);
        else
            st_authorise(st, AUTH_WAIVE_PHOTO, st->insp.rma);
        return true;
    }
    if (key && ev->key == KEY_ESCAPE) {
        /* Back to the question: its answer is open again. */
        st->answers[st->photo_check] = RULES_PENDING;
        st->check_index = st->photo_check;
        st_say(st, MSG_NONE, NULL, 0);
        station_goto(st, SCREEN_CHECK, fx);
        return true;
    }
    return false;
}

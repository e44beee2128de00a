/*
 * station_scan.c — the scan screen: waiting for a return's code.
 *
 * A return id (an RMA, or any id the manifest knows) starts an inspection
 * of its next unit on the item screen, or, when every unit it expects has an
 * outcome, shows its latest outcome there (reprint, re-grade, one more
 * unit); a saved plate shows that inspection there (reprint, re-grade), or
 * starts its blind re-grade when it is due for one by another grader. F2
 * opens the statistics for a supervisor, F4 the operators and F6 the service
 * screen for an admin.
 */
#include <string.h>

#include "codes.h"
#include "station_int.h"

/* Start the next unit of a return, or, when every unit of it has an outcome,
 * show its latest outcome: a second scan never makes a second outcome by
 * itself. */
static void begin_return(struct station *st, const char *rma, const struct manifest_row *row,
                         struct effects *fx)
{
    int units = row && row->quantity > 0 ? row->quantity : 1;
    struct rma_units u = {0};
    if (st->ports.rma_units &&
        st->ports.rma_units(st->ports.ctx, row ? row->rma : rma, units, st->op.badge, &u) < 0) {
        st_say(st, MSG_STORE_ERROR, NULL, 0);
        st_emit(fx, FX_BEEP_ERROR);
        return;
    }
    if (st->ports.rma_units && u.next == 0 && u.has_latest) {
        st_start_inspection(st);
        st->existing = u.latest;
        st->existing_all_graded = true;
        st->existing_units = units;
        st->existing_extra = (u.highest > units ? u.highest : units) + 1;
        /* Kept for one more unit, should the grader ask for it. */
        st->has_expected = row != NULL;
        if (row)
            st->expected = *row;
        else
            memset(&st->expected, 0, sizeof st->expected);
        st_item_open(st, ITEM_EXISTING, fx);
        st_say(st, MSG_ALL_GRADED, row ? row->rma : rma, units);
        return;
    }
    st_start_return(st, rma, row, u.next > 0 ? u.next : 1, units, false);
    int left = units - u.graded - 1;
    st->units_left = left > 0 ? left : 0;
    st_item_open(st, st->cat ? ITEM_IDENTIFY : ITEM_PICK_CATEGORY, fx);
    if (!st->cat)
        st_say(st, MSG_PICK_CATEGORY, NULL, 0);
}

/* A plate chosen for a blind re-grade, scanned by another grader, and not
 * re-graded yet: this grader re-grades it blind. */
static bool calibration_wanted(struct station *st, const struct inspection *old)
{
    if (!old->calibration_due || old->calibrates[0] || !st->ports.find_calibration)
        return false;
    if (strcmp(old->operator_badge, st->op.badge) == 0)
        return false;
    return st->ports.find_calibration(st->ports.ctx, old->plate) == 1;
}

static void begin_calibration(struct station *st, struct effects *fx)
{
    const struct inspection *old = &st->existing;
    st_start_from_existing(st);
    COPY(st->insp.calibrates, old->plate);
    st_audit(st, fx, "calibration_start", old->plate, NULL);
    st_use_category(st, rules_category(st->set.rules, old->category));
    if (st->cat) {
        station_goto(st, SCREEN_CHECK, fx);
        st_say(st, MSG_CALIBRATION, old->plate, 0);
    } else {
        st_item_open(st, ITEM_PICK_CATEGORY, fx);
        st_say(st, MSG_PICK_CATEGORY, NULL, 0);
    }
}

static void scan_code(struct station *st, const char *data, size_t len, struct effects *fx)
{
    struct scanned_code code;
    codes_parse(data, len, &code);
    struct manifest_row row;
    int rc;
    switch (code.kind) {
    case CODE_RMA:
        rc = st->ports.find_manifest(st->ports.ctx, code.rma, &row);
        if (rc < 0)
            break;
        begin_return(st, code.rma, rc == 0 ? &row : NULL, fx);
        return;
    case CODE_PLATE:
        rc = st->ports.find_inspection(st->ports.ctx, code.plate, &st->existing);
        if (rc < 0)
            break;
        if (rc == 0) {
            if (calibration_wanted(st, &st->existing)) {
                begin_calibration(st, fx);
                return;
            }
            st_start_inspection(st);
            st->existing_all_graded = false;
            st_item_open(st, ITEM_EXISTING, fx);
            return;
        }
        st_say(st, MSG_UNKNOWN_CODE, code.plate, 0);
        st_emit(fx, FX_BEEP_ERROR);
        return;
    default:
        /* Head office may issue return ids of any form: the manifest decides. */
        rc = st->ports.find_manifest(st->ports.ctx, code.text, &row);
        if (rc == 0) {
            begin_return(st, code.text, &row, fx);
            return;
        }
        if (rc < 0)
            break;
        st_say(st, MSG_UNKNOWN_CODE, code.error[0] ? code.error : code.text, 0);
        st_emit(fx, FX_BEEP_ERROR);
        return;
    }
    st_say(st, MSG_STORE_ERROR, NULL, 0);
    st_emit(fx, FX_BEEP_ERROR);
}

bool scan_run(struct station *st, const struct event *ev, struct effects *fx)
{
    char code[sizeof ev->text];
    size_t len;
    if (st_submitted_code(st, ev, code, sizeof code, &len)) {
        st_clear_input(st);
        scan_code(st, code, len, fx);
        return true;
    }
    if (ev->type == EV_KEY && ev->key == KEY_ESCAPE) {
        st_clear_input(st);
        return true;
    }
    if (ev->type == EV_KEY && (ev->key == KEY_OPERATORS || ev->key == KEY_SERVICE)) {
        /* Managing operators and the station's service are an admin's, not a
         * supervisor's. */
        bool ops = ev->key == KEY_OPERATORS;
        if (st->op.role == ROLE_ADMIN) {
            station_goto(st, ops ? SCREEN_OPERATORS : SCREEN_SERVICE, fx);
        } else {
            st_say(st, MSG_NOT_ALLOWED, NULL, 0);
            st_audit(st, fx, ops ? "operators_denied" : "service_denied", NULL, NULL);
            st_emit(fx, FX_BEEP_ERROR);
        }
        return true;
    }
    if (ev->type == EV_KEY && ev->key == KEY_STATS) {
        if (station_is_supervisor(st)) {
            station_goto(st, SCREEN_STATS, fx);
        } else {
            st_say(st, MSG_NOT_ALLOWED, NULL, 0);
            st_audit(st, fx, "stats_denied", NULL, NULL);
            st_emit(fx, FX_BEEP_ERROR);
        }
        return true;
    }
    return st_edit_input(st, ev);
}

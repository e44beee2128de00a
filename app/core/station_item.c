/*
 * station_item.c — the item screen: which item this is.
 *
 * Steps (enum item_step), set by whoever opens the screen (st_item_open):
 *   IDENTIFY        the item's code is compared with the manifest (GTIN,
 *                   serial); Return goes on without one.
 *   PICK_CATEGORY   a blind receipt or an unknown SKU: keys 1..n choose the
 *                   category; then IDENTIFY, or the checklist when the item
 *                   is already identified.
 *   EXISTING        a saved plate was scanned: F5 reprints its label, Return
 *                   re-grades it (a new inspection that supersedes it). A
 *                   grader re-grades another grader's outcome only when a
 *                   supervisor or admin authorises it (st_authorise); the
 *                   audit row "regrade" then names both.
 */
#include <string.h>

#include "codes.h"
#include "station_int.h"

void st_item_open(struct station *st, enum item_step step, struct effects *fx)
{
    st->item_step = step;
    station_goto(st, SCREEN_ITEM, fx);
}

/* Left-pad a GTIN-8/12/13 to 14 digits; other text unchanged. */
static void gtin14(const char *in, char out[15])
{
    size_t n = strlen(in);
    bool digits = n > 0 && n <= 14;
    for (size_t i = 0; i < n && digits; i++)
        digits = in[i] >= '0' && in[i] <= '9';
    if (!digits || n == 14) {
        station_copy(out, 15, in);
        return;
    }
    memset(out, '0', 14 - n);
    memcpy(out + 14 - n, in, n);
    out[14] = 0;
}

static void item_scanned(struct station *st, const char *data, size_t len, struct effects *fx)
{
    struct scanned_code code;
    codes_parse(data, len, &code);
    if (code.kind == CODE_RMA || code.kind == CODE_SSCC) {
        st_say(st, MSG_UNKNOWN_CODE, code.text, 0);
        st_emit(fx, FX_BEEP_ERROR);
        return;
    }
    /* On an item, "SN-123456" is a serial even though it has a plate's shape. */
    if (code.kind == CODE_PLATE)
        code.kind = CODE_UNKNOWN;
    const char *gtin = code.gtin;
    const char *serial = code.serial[0] ? code.serial : (code.kind == CODE_ITEM ? "" : code.text);
    bool mismatch = false;
    if (st->has_expected) {
        char want[15];
        gtin14(st->expected.gtin, want);
        if (st->expected.gtin[0] && gtin[0] && strcmp(want, gtin) != 0)
            mismatch = true;
        if (st->expected.serial[0] && serial[0] && strcmp(st->expected.serial, serial) != 0)
            mismatch = true;
        /* A code that is neither the expected GTIN nor the expected serial. */
        if (!gtin[0] && serial[0] && !st->expected.serial[0] && st->expected.gtin[0] &&
            strcmp(serial, st->expected.gtin) != 0)
            mismatch = true;
    }
    if (gtin[0])
        COPY(st->insp.gtin, gtin);
    if (serial[0])
        COPY(st->insp.serial, serial);
    st->insp.mismatch = st->insp.mismatch || mismatch;
    st->item_scanned = true;
    if (mismatch) {
        st_say(st, MSG_ITEM_MISMATCH, code.text, 0);
        st_emit(fx, FX_BEEP_ERROR);
    } else {
        st_say(st, st->has_expected ? MSG_ITEM_OK : MSG_NONE, NULL, 0);
    }
    /* The item is identified: go on to the checklist (if we know which). */
    if (st->cat)
        station_goto(st, SCREEN_CHECK, fx);
}

static void begin_regrade(struct station *st, struct effects *fx)
{
    const struct inspection *old = &st->existing;
    st_start_from_existing(st);
    COPY(st->insp.supersedes, old->plate);
    st_use_category(st, rules_category(st->set.rules, old->category));
    if (st->cat) {
        station_goto(st, SCREEN_CHECK, fx);
    } else {
        st->item_step = ITEM_PICK_CATEGORY;
        st_say(st, MSG_PICK_CATEGORY, NULL, 0);
    }
}

/* Re-grade st->existing, allowed by `authorised_by` ("" when the operator
 * may alone). */
static void regrade(struct station *st, const char *authorised_by, struct effects *fx)
{
    char by[sizeof st->authorised_by], detail[96] = "";
    COPY(by, authorised_by);
    if (strcmp(st->existing.operator_badge, st->op.badge) != 0)
        snprintf(detail, sizeof detail, "graded by %s", st->existing.operator_badge);
    st_audit_authorised(st, fx, "regrade", st->existing.plate, detail, by);
    begin_regrade(st, fx);
    COPY(st->authorised_by, by); /* the new inspection's: begin_regrade started it afresh */
}

static bool existing_run(struct station *st, const struct event *ev, struct effects *fx)
{
    if (ev->type == EV_AUTHORISED && ev->pick == AUTH_REGRADE) {
        regrade(st, ev->op.badge, fx);
        return true;
    }
    if (ev->type != EV_KEY)
        return false;
    switch (ev->key) {
    case KEY_REPRINT:
        st_reprint(st, &st->existing, fx);
        return true;
    case KEY_ENTER:
        if (st_may(st, AUTH_REGRADE, st->existing.operator_badge))
            regrade(st, NULL, fx);
        else
            st_authorise(st, AUTH_REGRADE, st->existing.plate);
        return true;
    case KEY_ESCAPE:
        station_goto(st, SCREEN_SCAN, fx);
        return true;
    default:
        return false;
    }
}

bool item_run(struct station *st, const struct event *ev, struct effects *fx)
{
    if (st->item_step == ITEM_EXISTING)
        return existing_run(st, ev, fx);
    if (ev->type == EV_KEY && ev->key == KEY_ESCAPE) {
        if (st->input_len) {
            st_clear_input(st);
        } else {
            st_say(st, MSG_NONE, NULL, 0);
            station_goto(st, SCREEN_SCAN, fx);
        }
        return true;
    }
    char code[sizeof ev->text];
    size_t len;
    if (st_submitted_code(st, ev, code, sizeof code, &len)) {
        if (ev->type != EV_SCAN)
            st_clear_input(st); /* what was typed is submitted; a scan leaves it */
        item_scanned(st, code, len, fx);
        return true;
    }
    if (st->item_step == ITEM_PICK_CATEGORY) {
        int pick = st_typed_choice(ev);
        if (pick >= 0) {
            if (pick < st->set.rules->ncategories) {
                st_use_category(st, &st->set.rules->categories[pick]);
                st_say(st, MSG_NONE, NULL, 0);
                st->item_step = ITEM_IDENTIFY;
                if (st->item_scanned)
                    station_goto(st, SCREEN_CHECK, fx);
            }
            return true;
        }
        return ev->type == EV_KEY && ev->key == KEY_BACKSPACE ? st_edit_input(st, ev) : false;
    }
    if (ev->type == EV_KEY && ev->key == KEY_ENTER && st->cat) {
        station_goto(st, SCREEN_CHECK, fx);
        return true;
    }
    return st_edit_input(st, ev);
}

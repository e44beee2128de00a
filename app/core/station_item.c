/*
 * station_item.c — the item screen: which item this is.
 *
 * Steps (enum item_step), set by whoever opens the screen (st_item_open):
 *   IDENTIFY        the item's code is compared with the manifest (GTIN,
 *                   serial, SKU) and what was found is recorded (item_check,
 *                   scanned_item): the same item goes on to the checklist;
 *                   another serial of the product goes on too, flagged as a
 *                   mismatch; another product asks for the category of the
 *                   item in hand (PICK_CATEGORY, wrong_item). Return goes on
 *                   without a scan (item_check "skipped").
 *   PICK_CATEGORY   a blind receipt, an unknown SKU or another product than
 *                   the manifest's: keys 1..n choose the category; then
 *                   IDENTIFY, or the checklist when the item is already
 *                   identified.
 *   EXISTING        a saved outcome is shown (a plate scanned, or the latest
 *                   outcome of an RMA whose units are all graded): F5
 *                   reprints its label, Return re-grades it (a new inspection
 *                   that supersedes it), and for an RMA all graded "+" (or
 *                   the button) receives one more unit than expected. A
 *                   grader re-grades another grader's outcome only when a
 *                   supervisor or admin authorises it (st_authorise); the
 *                   audit row "regrade" then names both.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "station_int.h"
#include "utf8.h"

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

/* Whether text is shaped like a SKU of the rules: it matches a category's
 * SKU pattern that is more than a bare wildcard. */
static bool looks_like_sku(const struct rules *rules, const char *text)
{
    for (int c = 0; c < rules->ncategories; c++) {
        const struct rules_category *cat = &rules->categories[c];
        for (int m = 0; m < cat->nmatch; m++) {
            const char *p = cat->match[m];
            if (strspn(p, "*?") == strlen(p))
                continue;
            if (fnmatch(p, text, 0) == 0)
                return true;
        }
    }
    return false;
}

/* What the scanned code says about the item against the manifest's row:
 * MATCHED (its serial, GTIN or SKU), MISMATCHED (another value of the same
 * kind; *wrong when it names another product: GTIN or SKU), UNVERIFIED
 * (the row has nothing of that kind). */
static enum item_check compare(const struct station *st, const struct scanned_code *code,
                               const char *serial, bool *wrong)
{
    const struct manifest_row *ex = &st->expected;
    const char *gtin = code->gtin;
    bool matched = false, differs = false;
    *wrong = false;
    if (gtin[0] && ex->gtin[0]) {
        char want[15];
        gtin14(ex->gtin, want);
        if (strcmp(want, gtin) == 0)
            matched = true;
        else
            differs = *wrong = true;
    }
    if (serial[0] && !*wrong) {
        if (ex->serial[0] && strcmp(serial, ex->serial) == 0)
            matched = true;
        else if (!gtin[0] && strcmp(serial, ex->sku) == 0)
            matched = true; /* the product's own SKU */
        else if (!gtin[0] && looks_like_sku(st->set.rules, serial))
            differs = *wrong = true; /* another product's SKU */
        else if (ex->serial[0])
            differs = true; /* another unit of the product */
    }
    if (differs)
        return ITEM_CHECK_MISMATCHED;
    return matched ? ITEM_CHECK_MATCHED : ITEM_CHECK_UNVERIFIED;
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
    /* Kept as scanned, whatever it is; bytes that are not UTF-8 become U+FFFD. */
    char text[sizeof st->insp.scanned_item];
    utf8_clean(code.text, text, sizeof text);
    char serial[sizeof st->insp.serial];
    utf8_clean(code.serial[0] ? code.serial : code.kind == CODE_ITEM ? "" : text, serial,
               sizeof serial);

    /* A scan again replaces the one before. */
    bool was_wrong = st->insp.wrong_item;
    st_reset_item(st);
    struct inspection *in = &st->insp;
    bool wrong = false;
    enum item_check check = ITEM_CHECK_BLIND;
    if (st->has_expected && !in->blind)
        check = compare(st, &code, serial, &wrong);
    COPY(in->scanned_item, text);
    if (wrong) {
        /* Another product: its own codes, not the manifest's. */
        COPY(in->gtin, code.gtin);
        COPY(in->serial, serial);
    } else {
        if (code.gtin[0])
            COPY(in->gtin, code.gtin);
        if (serial[0])
            COPY(in->serial, serial);
    }
    in->item_check = check;
    in->wrong_item = wrong;
    in->mismatch = check == ITEM_CHECK_MISMATCHED;
    st->item_scanned = true;

    if (wrong) {
        /* Grade what is in hand: its category, as for a blind receipt. */
        st_use_category(st, NULL);
        st->item_step = ITEM_PICK_CATEGORY;
        st_say(st, MSG_ITEM_WRONG, text, 0);
        st_emit(fx, FX_BEEP_ERROR);
        return;
    }
    switch (check) {
    case ITEM_CHECK_MISMATCHED:
        st_say(st, MSG_ITEM_MISMATCH, text, 0);
        st_emit(fx, FX_BEEP_ERROR);
        break;
    case ITEM_CHECK_MATCHED: st_say(st, MSG_ITEM_OK, NULL, 0); break;
    case ITEM_CHECK_UNVERIFIED: st_say(st, MSG_ITEM_UNVERIFIED, text, 0); break;
    default: st_say(st, MSG_NONE, NULL, 0); break;
    }
    /* The manifest's product after all: its category again. */
    if (was_wrong && st->cat)
        st->item_step = ITEM_IDENTIFY;
    /* The item is identified: go on to the checklist (if we know which). */
    if (st->cat && st->item_step != ITEM_PICK_CATEGORY)
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

/* One more unit of an RMA whose units are all graded: asked for, audited,
 * flagged on the record. */
static void begin_extra_unit(struct station *st, struct effects *fx)
{
    char rma[sizeof st->existing.rma];
    COPY(rma, st->existing.rma);
    st_start_return(st, rma, st->has_expected ? &st->expected : NULL, st->existing_extra,
                    st->existing_units, true);
    st->units_left = 0;
    char detail[96];
    snprintf(detail, sizeof detail, "unit %d, %d expected", st->insp.unit, st->insp.units);
    st_audit(st, fx, "extra_unit", rma, detail);
    st_item_open(st, st->cat ? ITEM_IDENTIFY : ITEM_PICK_CATEGORY, fx);
    st_say(st, MSG_EXTRA_UNIT, rma, st->insp.unit);
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
    bool plus = ev->type == EV_TEXT && ev->len == 1 && ev->text[0] == '+';
    if ((plus || (ev->type == EV_PICK && ev->pick == ITEM_PICK_EXTRA)) &&
        st->existing_all_graded) {
        begin_extra_unit(st, fx);
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
        st_draft_drop(st, fx); /* a re-grade left at its first question */
        station_goto(st, SCREEN_SCAN, fx);
        return true;
    default:
        return false;
    }
}

/* Escape: typed text first; after another product was scanned, back to
 * scanning the item; else back to the scan screen, the inspection dropped. */
static void item_back(struct station *st, struct effects *fx)
{
    if (st->input_len) {
        st_clear_input(st);
        return;
    }
    if (st->item_step == ITEM_PICK_CATEGORY && st->insp.wrong_item) {
        st_reset_item(st);
        st->item_step = st->cat ? ITEM_IDENTIFY : ITEM_PICK_CATEGORY;
        st_say(st, MSG_NONE, NULL, 0);
        return;
    }
    st_say(st, MSG_NONE, NULL, 0);
    st_draft_drop(st, fx);
    station_goto(st, SCREEN_SCAN, fx);
}

bool item_run(struct station *st, const struct event *ev, struct effects *fx)
{
    if (st->item_step == ITEM_EXISTING)
        return existing_run(st, ev, fx);
    if (ev->type == EV_KEY && ev->key == KEY_ESCAPE) {
        item_back(st, fx);
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
                if (!st->insp.wrong_item)
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
        if (!st->item_scanned) {
            /* Gone on without a scan: recorded as such, never as verified. */
            st_reset_item(st);
            if (!st->insp.blind) {
                st->insp.item_check = ITEM_CHECK_SKIPPED;
                st_say(st, MSG_ITEM_SKIPPED, NULL, 0);
            }
        }
        station_goto(st, SCREEN_CHECK, fx);
        return true;
    }
    return st_edit_input(st, ev);
}

/*
 * test_station_truth.c — the station core records what happened: the item
 * check of every kind of scan (table), units of one RMA, scanning an RMA
 * again, a re-grade with Back, and unfinished inspections kept as drafts
 * (after every answer, through F12, the idle logout and a restart) and
 * offered back on the resume screen. Pure: the core alone; the store is a
 * table here, and drafts go through their JSON as they do in the database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draft.h"
#include "harness.h"
#include "log.h"
#include "rules.h"
#include "station.h"
#include "station_int.h"

static int64_t T0; /* 2026-11-23T09:00:00Z */

static const struct manifest_row manifest[] = {
    /* a phone: GTIN and serial */
    {"RMA-P", "O-1", "PH-IP15-128", "0195949038488", "SNP-1", "Phone 15", "defective", "2026-11-20",
     1},
    /* a jacket: GTIN, no serial */
    {"RMA-J", "O-2", "AP-JKT-M", "4012345000122", "", "Rain jacket M", "not_as_described",
     "2026-11-20", 1},
    /* a blender: serial, no GTIN */
    {"RMA-B", "O-3", "SA-BLND", "", "BL-1", "Blender", "defective", "2026-11-20", 1},
    /* a scarf: neither */
    {"RMA-N", "O-4", "AP-SCF", "", "", "Scarf", "No longer needed", "2026-11-20", 0},
    /* another jacket, for the re-grade */
    {"RMA-J2", "O-7", "AP-JKT-L", "4012345000139", "", "Rain jacket L", "defective", "2026-11-20",
     1},
    /* three T-shirts */
    {"RMA-T", "O-5", "AP-TEE", "4012345000290", "", "T-shirt", "changed_mind", "2026-11-20", 3},
};

/* ---- the store, as a table ----------------------------------------------- */

static struct inspection saved[64];
static int nsaved;
static struct {
    char badge[64];
    char *json;
} drafts[8];
static int ndrafts;
static struct effect audits[64];
static int naudits;
static int draft_saves, draft_drops;

static int find_draft_index(const char *badge)
{
    for (int i = 0; i < ndrafts; i++)
        if (!strcmp(drafts[i].badge, badge))
            return i;
    return -1;
}

static void drop_draft(const char *badge)
{
    int i = find_draft_index(badge);
    if (i < 0)
        return;
    free(drafts[i].json);
    drafts[i] = drafts[--ndrafts];
}

static int fake_find_operator(void *ctx, const char *badge, struct operator_info *op)
{
    (void)ctx;
    if (strcmp(badge, "1001") && strcmp(badge, "1002"))
        return 1;
    memset(op, 0, sizeof *op);
    snprintf(op->badge, sizeof op->badge, "%s", badge);
    snprintf(op->name, sizeof op->name, "%s", badge[3] == '1' ? "Ana" : "Wang");
    return 0;
}

static int fake_find_manifest(void *ctx, const char *rma, struct manifest_row *out)
{
    (void)ctx;
    for (size_t i = 0; i < sizeof manifest / sizeof *manifest; i++)
        if (!strcmp(manifest[i].rma, rma)) {
            *out = manifest[i];
            return 0;
        }
    return 1;
}

static int fake_find_inspection(void *ctx, const char *plate, struct inspection *out)
{
    (void)ctx;
    for (int i = 0; i < nsaved; i++)
        if (!strcmp(saved[i].plate, plate)) {
            *out = saved[i];
            return 0;
        }
    return 1;
}

static bool superseded(const char *plate)
{
    for (int i = 0; i < nsaved; i++)
        if (!strcmp(saved[i].supersedes, plate))
            return true;
    return false;
}

static int fake_rma_units(void *ctx, const char *rma, int units, const char *badge,
                          struct rma_units *out)
{
    (void)ctx;
    memset(out, 0, sizeof *out);
    bool graded[16] = {false}, held[16] = {false};
    for (int i = 0; i < nsaved; i++) {
        const struct inspection *in = &saved[i];
        if (strcmp(in->rma, rma) || in->calibrates[0])
            continue;
        if (in->unit >= 1 && in->unit <= units && in->unit < 16)
            graded[in->unit] = true;
        if (in->unit > out->highest)
            out->highest = in->unit;
        if (!superseded(in->plate)) {
            out->latest = *in;
            out->has_latest = true;
        }
    }
    for (int i = 0; i < ndrafts; i++) {
        struct draft d;
        if (strcmp(drafts[i].badge, badge) && draft_from_json(drafts[i].json, &d) == 0 &&
            !strcmp(d.insp.rma, rma) && d.insp.unit < 16)
            held[d.insp.unit] = true;
    }
    for (int u = 1; u <= units && u < 16; u++)
        out->graded += graded[u];
    for (int u = 1; u <= units && u < 16 && !out->next; u++)
        if (!graded[u] && !held[u])
            out->next = u;
    for (int u = 1; u <= units && u < 16 && !out->next; u++)
        if (!graded[u])
            out->next = u;
    return 0;
}

static int fake_find_draft(void *ctx, const char *badge, struct draft *out)
{
    (void)ctx;
    int i = find_draft_index(badge);
    if (i < 0)
        return 1;
    return draft_from_json(drafts[i].json, out) == 0 ? 0 : -1;
}

static struct rules *rules;
static struct station *st;
static struct effects fx;
static int64_t now;

static struct station *new_station(void)
{
    static struct station_settings set;
    set = (struct station_settings){"SH01-S01", 10, LANG_EN, rules, 0};
    struct station_ports ports = {.find_operator = fake_find_operator,
                                  .find_manifest = fake_find_manifest,
                                  .find_inspection = fake_find_inspection,
                                  .rma_units = fake_rma_units,
                                  .find_draft = fake_find_draft};
    return station_new(&set, &ports);
}

/* ---- events, and the effects carried out as the store would -------------- */

static void send(struct event ev)
{
    ev.now = now;
    station_handle(st, &ev, &fx);
    for (int i = 0; i < fx.n; i++) {
        const struct effect *e = &fx.fx[i];
        if (e->type == FX_DRAFT_SAVE) {
            draft_saves++;
            char *json = draft_to_json(e->draft);
            if (!CHECK(json != NULL))
                continue;
            int k = find_draft_index(e->actor);
            if (k < 0 && ndrafts < 8) {
                k = ndrafts++;
                snprintf(drafts[k].badge, sizeof drafts[k].badge, "%s", e->actor);
                drafts[k].json = NULL;
            }
            if (k >= 0) {
                free(drafts[k].json);
                drafts[k].json = json;
            } else {
                free(json);
            }
        } else if (e->type == FX_DRAFT_DROP) {
            draft_drops++;
            drop_draft(e->actor);
        } else if (e->type == FX_AUDIT && naudits < 64) {
            audits[naudits++] = *e;
        }
    }
}
static void scan(const char *s)
{
    struct event ev = {.type = EV_SCAN};
    snprintf(ev.text, sizeof ev.text, "%s", s);
    ev.len = strlen(ev.text);
    send(ev);
}
static void text(const char *s)
{
    struct event ev = {.type = EV_TEXT};
    snprintf(ev.text, sizeof ev.text, "%s", s);
    ev.len = strlen(ev.text);
    send(ev);
}
static void key(enum key k)
{
    send((struct event){.type = EV_KEY, .key = k});
}
static void pick(int n)
{
    send((struct event){.type = EV_PICK, .pick = n});
}
static void tick(void)
{
    send((struct event){.type = EV_TICK});
}

static const struct effect *find_fx(enum effect_type t)
{
    for (int i = 0; i < fx.n; i++)
        if (fx.fx[i].type == t)
            return &fx.fx[i];
    return NULL;
}

static const struct effect *last_audit(const char *action)
{
    for (int i = naudits - 1; i >= 0; i--)
        if (!strcmp(audits[i].action, action))
            return &audits[i];
    return NULL;
}

static struct view view(void)
{
    struct view v;
    station_view(st, &v);
    return v;
}

static enum screen screen(void)
{
    return station_screen(st);
}

static void login_as(const char *badge)
{
    scan(badge);
    text("123456");
    key(KEY_ENTER);
    const struct effect *c = find_fx(FX_CHECK_PIN);
    if (!CHECK(c != NULL))
        return;
    struct event ev = {.type = EV_LOGIN_RESULT, .login = LOGIN_OK};
    snprintf(ev.op.badge, sizeof ev.op.badge, "%s", badge);
    snprintf(ev.op.name, sizeof ev.op.name, "%s", badge);
    ev.op.role = ROLE_GRADER;
    send(ev);
}

/* Answer every remaining question with key 1 (the best answer). */
static void answer_rest(void)
{
    for (int guard = 0; screen() == SCREEN_CHECK && guard < 40; guard++)
        text("1");
}

/* Confirm the summary; the store commits (and removes the grader's draft in
 * the same transaction) and the core hears EV_SAVED. Returns the record. */
static const struct inspection *confirm_and_save_at(int line)
{
    key(KEY_ENTER);
    const struct effect *save = find_fx(FX_SAVE);
    if (!CHECK(save != NULL) || nsaved >= 64) {
        fprintf(stderr, "  no save asked for (line %d, screen %s)\n", line, screen_name(screen()));
        return NULL;
    }
    struct inspection rec = *save->insp;
    rec.seq = nsaved + 1;
    snprintf(rec.station, sizeof rec.station, "SH01-S01");
    snprintf(rec.plate, sizeof rec.plate, "SH01-S01-%06d", nsaved + 1);
    if (!rec.unit)
        rec.unit = 1;
    if (!rec.units)
        rec.units = 1;
    saved[nsaved++] = rec;
    drop_draft(rec.operator_badge);
    struct event ev = {.type = EV_SAVED, .seq = rec.seq};
    snprintf(ev.plate, sizeof ev.plate, "%s", rec.plate);
    send(ev);
    CHECK_INT(screen(), SCREEN_SCAN);
    return &saved[nsaved - 1];
}

#define confirm_and_save() confirm_and_save_at(__LINE__)

/* From wherever the inspection is, back to the scan screen. */
static void back_to_scan(void)
{
    for (int guard = 0; screen() != SCREEN_SCAN && guard < 40; guard++)
        key(KEY_ESCAPE);
    CHECK_INT(screen(), SCREEN_SCAN);
}

/* ---- the item check, case by case ---------------------------------------- */

static void test_item_check_table(void)
{
    static const struct {
        const char *rma;
        const char *code; /* NULL: Return without a scan */
        enum item_check check;
        bool wrong;
        enum screen then; /* check, or item to choose the category */
        enum msg msg;
        const char *gtin, *serial; /* what the record carries */
    } cases[] = {
        /* 0 the expected GTIN, as EAN-13 */
        {"RMA-P", "0195949038488", ITEM_CHECK_MATCHED, false, SCREEN_CHECK, MSG_ITEM_OK,
         "00195949038488", "SNP-1"},
        /* 1 the same with its AIM symbology id */
        {"RMA-P", "]E00195949038488", ITEM_CHECK_MATCHED, false, SCREEN_CHECK, MSG_ITEM_OK,
         "00195949038488", "SNP-1"},
        /* 2 GS1: GTIN and serial, both the manifest's */
        {"RMA-P",
         "]C10100195949038488\x1d"
         "21SNP-1",
         ITEM_CHECK_MATCHED, false, SCREEN_CHECK, MSG_ITEM_OK, "00195949038488", "SNP-1"},
        /* 3 GS1: the product, another serial */
        {"RMA-P",
         "]C10100195949038488\x1d"
         "21SNP-9",
         ITEM_CHECK_MISMATCHED, false, SCREEN_CHECK, MSG_ITEM_MISMATCH, "00195949038488", "SNP-9"},
        /* 4 the serial alone */
        {"RMA-P", "SNP-1", ITEM_CHECK_MATCHED, false, SCREEN_CHECK, MSG_ITEM_OK, "0195949038488",
         "SNP-1"},
        /* 5 another serial alone: another unit of the product, straight on */
        {"RMA-P", "SNP-2", ITEM_CHECK_MISMATCHED, false, SCREEN_CHECK, MSG_ITEM_MISMATCH,
         "0195949038488", "SNP-2"},
        /* 6 a jacket's GTIN on a phone return: another product */
        {"RMA-P", "4012345000122", ITEM_CHECK_MISMATCHED, true, SCREEN_ITEM, MSG_ITEM_WRONG,
         "04012345000122", ""},
        /* 7 a phone's GTIN on a jacket return: another product */
        {"RMA-J", "0195949038488", ITEM_CHECK_MISMATCHED, true, SCREEN_ITEM, MSG_ITEM_WRONG,
         "00195949038488", ""},
        /* 8 the jacket's own GTIN */
        {"RMA-J", "4012345000122", ITEM_CHECK_MATCHED, false, SCREEN_CHECK, MSG_ITEM_OK,
         "04012345000122", ""},
        /* 9 a serial, but the manifest has none to compare */
        {"RMA-J", "JK-000042", ITEM_CHECK_UNVERIFIED, false, SCREEN_CHECK, MSG_ITEM_UNVERIFIED,
         "4012345000122", "JK-000042"},
        /* 10 the jacket's own SKU label */
        {"RMA-J", "AP-JKT-M", ITEM_CHECK_MATCHED, false, SCREEN_CHECK, MSG_ITEM_OK, "4012345000122",
         "AP-JKT-M"},
        /* 11 another product's SKU label */
        {"RMA-J", "PH-IP15-128", ITEM_CHECK_MISMATCHED, true, SCREEN_ITEM, MSG_ITEM_WRONG, "",
         "PH-IP15-128"},
        /* 12 a GTIN where the manifest has none */
        {"RMA-N", "0195949038488", ITEM_CHECK_UNVERIFIED, false, SCREEN_CHECK, MSG_ITEM_UNVERIFIED,
         "00195949038488", ""},
        /* 13 a blender's serial: matched; a GTIN on it cannot be compared */
        {"RMA-B", "BL-1", ITEM_CHECK_MATCHED, false, SCREEN_CHECK, MSG_ITEM_OK, "", "BL-1"},
        {"RMA-B", "0195949038488", ITEM_CHECK_UNVERIFIED, false, SCREEN_CHECK, MSG_ITEM_UNVERIFIED,
         "00195949038488", "BL-1"},
        /* 15 Return without a scan: skipped, never verified */
        {"RMA-P", NULL, ITEM_CHECK_SKIPPED, false, SCREEN_CHECK, MSG_ITEM_SKIPPED, "0195949038488",
         "SNP-1"},
        /* 16 neither a serial, a GTIN nor any form: kept as scanned, as UTF-8 */
        {"RMA-B",
         "ab\xff"
         "cd",
         ITEM_CHECK_MISMATCHED, false, SCREEN_CHECK, MSG_ITEM_MISMATCH, "",
         "ab\xEF\xBF\xBD"
         "cd"},
        /* 17 a GS1 code that does not parse: kept as scanned */
        {"RMA-N", "]C101095949038488021SER123", ITEM_CHECK_UNVERIFIED, false, SCREEN_CHECK,
         MSG_ITEM_UNVERIFIED, "", "01095949038488021SER123"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        scan(cases[i].rma);
        bool ok = CHECK_INT(screen(), SCREEN_ITEM);
        if (cases[i].code)
            scan(cases[i].code);
        else
            key(KEY_ENTER);
        struct view v = view();
        ok = CHECK_INT(screen(), cases[i].then) && ok;
        ok = CHECK_INT(v.insp->item_check, cases[i].check) && ok;
        ok = CHECK_INT(v.insp->wrong_item, cases[i].wrong) && ok;
        ok = CHECK_INT(v.insp->mismatch, cases[i].check == ITEM_CHECK_MISMATCHED) && ok;
        ok = CHECK_INT(v.msg, cases[i].msg) && ok;
        ok = CHECK_STR(v.insp->gtin, cases[i].gtin) && ok;
        ok = CHECK_STR(v.insp->serial, cases[i].serial) && ok;
        /* What was scanned is kept as scanned (UTF-8), or "" without a scan. */
        const char *want = !cases[i].code            ? ""
                           : cases[i].code[0] == ']' ? cases[i].code + 3
                                                     : cases[i].code;
        if (i == 16)
            want = "ab\xEF\xBF\xBD"
                   "cd";
        ok = CHECK_STR(v.insp->scanned_item, want) && ok;
        ok = CHECK_INT(v.picking_category, cases[i].wrong) && ok;
        if (!ok)
            fprintf(stderr, "  item check case %zu\n", i);
        back_to_scan();
    }
    CHECK_INT(nsaved, 0); /* nothing was saved by any of it */
}

/* Another product: graded as what it is; the record says so. */
static void test_wrong_product(void)
{
    scan("RMA-J");
    scan("]E00195949038488"); /* a phone */
    CHECK_INT(screen(), SCREEN_ITEM);
    CHECK(view().picking_category);
    CHECK(view().category == NULL);
    /* Escape: scan again; the manifest's category is back. */
    key(KEY_ESCAPE);
    CHECK_INT(screen(), SCREEN_ITEM);
    CHECK(!view().picking_category);
    CHECK_STR(view().category->id, "apparel");
    CHECK_INT(view().insp->item_check, ITEM_CHECK_NONE);
    CHECK_STR(view().insp->scanned_item, "");
    scan("]E00195949038488");
    text("1"); /* phone */
    CHECK_INT(screen(), SCREEN_CHECK);
    CHECK_STR(view().category->id, "phone");
    CHECK_INT(view().check_count, 5); /* the phone's checklist, not the jacket's */
    /* Back from the first question: the category again, the scan stands. */
    key(KEY_ESCAPE);
    CHECK_INT(screen(), SCREEN_ITEM);
    CHECK(view().picking_category && view().insp->wrong_item);
    text("1");
    answer_rest();
    CHECK_INT(screen(), SCREEN_SUMMARY);
    const struct inspection *r = confirm_and_save();
    if (!r)
        return;
    CHECK_STR(r->category, "phone");
    CHECK_STR(r->sku, "AP-JKT-M"); /* what was expected */
    CHECK_STR(r->gtin, "00195949038488");
    CHECK_STR(r->scanned_item, "0195949038488");
    CHECK(r->wrong_item && r->mismatch);
    CHECK_INT(r->item_check, ITEM_CHECK_MISMATCHED);
    CHECK_STR(r->description, "Rain jacket M"); /* the manifest's words, kept apart */
}

/* A blind receipt is blind, scanned or not. */
static void test_blind(void)
{
    scan("RMA-404");
    CHECK(view().picking_category);
    scan("0195949038488");
    CHECK_INT(screen(), SCREEN_ITEM);
    CHECK_INT(view().insp->item_check, ITEM_CHECK_BLIND);
    text("1");
    CHECK_INT(screen(), SCREEN_CHECK);
    answer_rest();
    const struct inspection *r = confirm_and_save();
    if (!r)
        return;
    CHECK_INT(r->item_check, ITEM_CHECK_BLIND);
    CHECK_STR(r->scanned_item, "0195949038488");
    CHECK(r->blind && !r->mismatch);
    CHECK_INT(r->unit, 1);
    CHECK_INT(r->units, 1);
    /* Its RMA again: its outcome, nothing new. */
    scan("RMA-404");
    CHECK_INT(screen(), SCREEN_ITEM);
    CHECK(view().existing && !strcmp(view().existing->plate, r->plate));
    CHECK_INT(view().msg, MSG_ALL_GRADED);
    back_to_scan();
}

/* ---- units and scanning an RMA again -------------------------------------- */

static void test_units(void)
{
    int before = nsaved;
    for (int u = 1; u <= 3; u++) {
        scan("RMA-T");
        struct view v = view();
        CHECK_INT(screen(), SCREEN_ITEM);
        CHECK(v.existing == NULL);
        CHECK_INT(v.insp->unit, u);
        CHECK_INT(v.insp->units, 3);
        CHECK_INT(v.units_left, 3 - u);
        key(KEY_ENTER);
        answer_rest();
        const struct inspection *r = confirm_and_save();
        if (!r)
            return;
        CHECK_INT(r->unit, u);
        CHECK_INT(r->units, 3);
        CHECK(!r->extra_unit);
        if (u < 3) {
            CHECK_INT(view().msg, MSG_SAVED_MORE);
            CHECK_INT(view().msg_num, 3 - u);
        } else {
            CHECK_INT(view().msg, MSG_SAVED);
        }
    }
    CHECK_INT(nsaved, before + 3);

    /* Every unit graded: the latest outcome, never a new one by itself. */
    scan("RMA-T");
    struct view v = view();
    CHECK_INT(screen(), SCREEN_ITEM);
    CHECK(v.existing && !strcmp(v.existing->plate, saved[nsaved - 1].plate));
    CHECK(v.all_units_graded);
    CHECK_INT(v.msg, MSG_ALL_GRADED);
    CHECK_STR(v.msg_arg, "RMA-T");
    CHECK_INT(v.msg_num, 3);
    text("1"); /* digits do nothing here */
    key(KEY_REPRINT);
    const struct effect *p = find_fx(FX_REPRINT);
    CHECK(p && !strcmp(p->subject, saved[nsaved - 1].plate));
    CHECK(find_fx(FX_SAVE) == NULL);
    key(KEY_ESCAPE);
    CHECK_INT(screen(), SCREEN_SCAN);
    CHECK_INT(nsaved, before + 3);

    /* One more unit only when asked for: flagged, audited. */
    scan("RMA-T");
    text("+");
    CHECK_INT(screen(), SCREEN_ITEM);
    CHECK_INT(view().msg, MSG_EXTRA_UNIT);
    CHECK_INT(view().insp->unit, 4);
    CHECK_INT(view().insp->units, 3);
    CHECK(view().insp->extra_unit);
    const struct effect *a = last_audit("extra_unit");
    CHECK(a && !strcmp(a->subject, "RMA-T") && !strcmp(a->actor, "1001"));
    key(KEY_ENTER);
    answer_rest();
    const struct inspection *r = confirm_and_save();
    CHECK(r && r->extra_unit && r->unit == 4 && r->units == 3);
    /* And one more again: unit 5 (by touch this time). */
    scan("RMA-T");
    pick(ITEM_PICK_EXTRA);
    CHECK_INT(view().insp->unit, 5);
    back_to_scan();

    /* A single unit: scanning it again shows it. */
    scan("RMA-P");
    key(KEY_ENTER);
    answer_rest();
    r = confirm_and_save();
    scan("RMA-P");
    CHECK(view().existing && r && !strcmp(view().existing->plate, r->plate));
    CHECK(view().all_units_graded);
    back_to_scan();
}

/* Another grader's unfinished unit is not given out twice. */
static void test_units_between_graders(void)
{
    /* RMA-T2: three units, none graded; grader 1002 stops at unit 1. */
    static const struct manifest_row tee2 = {"RMA-T2",  "O-6",          "AP-TEE",     "", "",
                                             "T-shirt", "changed_mind", "2026-11-20", 3};
    struct draft d = {0};
    snprintf(d.insp.rma, sizeof d.insp.rma, "RMA-T2");
    snprintf(d.insp.category, sizeof d.insp.category, "apparel");
    d.insp.unit = 1;
    d.insp.units = 3;
    d.expected = tee2;
    d.has_expected = true;
    struct rma_units u;
    snprintf(drafts[ndrafts].badge, sizeof drafts[ndrafts].badge, "1002");
    drafts[ndrafts++].json = draft_to_json(&d);
    fake_rma_units(NULL, "RMA-T2", 3, "1001", &u);
    CHECK_INT(u.next, 2);
    CHECK_INT(u.graded, 0);
    fake_rma_units(NULL, "RMA-T2", 3, "1002", &u);
    CHECK_INT(u.next, 1); /* their own draft holds nothing from them */
    drop_draft("1002");
}

/* ---- a re-grade keeps the RMA's manifest row ------------------------------ */

static void test_regrade_back(void)
{
    /* The jacket graded as a jacket. */
    scan("RMA-J2");
    scan("4012345000139");
    answer_rest();
    const struct inspection *first = confirm_and_save();
    if (!first)
        return;
    char plate[48];
    snprintf(plate, sizeof plate, "%s", first->plate);

    /* Its plate, Return: a re-grade; Back at question 1 goes back to the
     * outcome, never to a blind receipt. */
    scan(plate);
    key(KEY_ENTER);
    CHECK_INT(screen(), SCREEN_CHECK);
    CHECK(view().expected && !strcmp(view().expected->rma, "RMA-J2"));
    key(KEY_ESCAPE);
    struct view v = view();
    CHECK_INT(screen(), SCREEN_ITEM);
    CHECK(v.existing && !strcmp(v.existing->plate, plate));
    CHECK(!v.picking_category);
    CHECK(v.msg != MSG_PICK_CATEGORY);
    key(KEY_ENTER); /* re-grade after all */
    CHECK_INT(screen(), SCREEN_CHECK);
    CHECK_STR(view().category->id, "apparel");
    text("2");
    key(KEY_ESCAPE);
    key(KEY_ESCAPE);
    CHECK(view().existing != NULL);
    key(KEY_ENTER);
    answer_rest();
    const struct inspection *r = confirm_and_save();
    if (!r)
        return;
    CHECK_STR(r->supersedes, plate);
    CHECK_STR(r->category, "apparel");
    CHECK_STR(r->sku, "AP-JKT-L");
    CHECK(!r->blind);
    CHECK_INT(r->item_check, ITEM_CHECK_MATCHED); /* the item was identified then */
    CHECK_STR(r->scanned_item, "4012345000139");

    /* Scanning the RMA again: its latest outcome is the re-grade. */
    scan("RMA-J2");
    CHECK(view().existing && !strcmp(view().existing->plate, r->plate));
    back_to_scan();
}

/* ---- drafts ---------------------------------------------------------------- */

static void test_drafts(void)
{
    static const struct manifest_row *phone = &manifest[0];
    (void)phone;
    draft_saves = draft_drops = 0;
    scan("RMA-B");
    scan("BL-1");
    CHECK_INT(screen(), SCREEN_CHECK);
    CHECK_INT(draft_saves, 1); /* kept as the checklist begins */
    text("3");                 /* housing broken */
    text("2");                 /* so the outer carton is asked: crushed */
    CHECK_INT(screen(), SCREEN_PHOTO); /* its photo is required: taken */
    key(KEY_ENTER);
    struct event photo = {.type = EV_PHOTO_TAKEN};
    snprintf(photo.photo.check, sizeof photo.photo.check, "carton");
    snprintf(photo.photo.file, sizeof photo.photo.file, "photos/take-1-001.jpg");
    memset(photo.photo.sha256, 'a', 64);
    send(photo);
    CHECK_INT(screen(), SCREEN_CHECK);
    CHECK_INT(draft_saves, 3); /* and after every answer */
    struct draft d;
    CHECK_INT(fake_find_draft(NULL, "1001", &d), 0);
    CHECK_INT(d.insp.nanswers, 2);
    CHECK_STR(d.insp.answers[0].answer, "broken");
    CHECK_STR(d.insp.scanned_item, "BL-1");
    CHECK_INT(d.insp.item_check, ITEM_CHECK_MATCHED);
    CHECK(d.has_expected && !strcmp(d.expected.rma, "RMA-B"));

    /* F12 asks first; Escape goes on. */
    key(KEY_LOGOUT);
    CHECK_INT(screen(), SCREEN_CHECK);
    CHECK(view().confirm_logout);
    text("1"); /* nothing else is taken meanwhile */
    CHECK_INT(view().check_index, 2);
    key(KEY_ESCAPE);
    CHECK(!view().confirm_logout);
    CHECK_INT(screen(), SCREEN_CHECK);
    /* F12, then Return: logged out, the draft kept. */
    key(KEY_LOGOUT);
    key(KEY_ENTER);
    CHECK_INT(screen(), SCREEN_LOGIN);
    const struct effect *a = last_audit("logout");
    CHECK(a && !strcmp(a->actor, "1001") && strstr(a->detail, "RMA-B"));
    CHECK_INT(draft_drops, 0);
    CHECK_INT(ndrafts, 1);

    /* Another grader: no resume for them. */
    login_as("1002");
    CHECK_INT(screen(), SCREEN_SCAN);
    key(KEY_LOGOUT); /* nothing in progress: no question */
    CHECK_INT(screen(), SCREEN_LOGIN);

    /* A power cut: the station is gone; a new one, the same store. */
    station_free(st);
    st = new_station();
    login_as("1001");
    CHECK_INT(screen(), SCREEN_RESUME);
    struct view v = view();
    CHECK(v.draft && !strcmp(v.draft->insp.rma, "RMA-B"));
    CHECK_INT(v.draft->insp.nanswers, 2);
    key(KEY_ENTER);
    CHECK_INT(screen(), SCREEN_CHECK);
    CHECK_INT(view().check_index, 2); /* where it stopped */
    CHECK_INT(view().msg, MSG_DRAFT_RESUMED);
    CHECK_STR(view().category->id, "appliance");
    text("1"); /* runs: so the warranty seal is not asked */
    text("1");
    CHECK_INT(screen(), SCREEN_SUMMARY);
    const struct inspection *r = confirm_and_save();
    if (!r)
        return;
    CHECK_INT(r->nanswers, 4);
    CHECK_STR(r->answers[0].answer, "broken"); /* the answers given before the cut */
    CHECK_STR(r->answers[1].answer, "crushed");
    CHECK_INT(r->nphotos, 1); /* the crushed carton's photo, kept by the draft */
    CHECK_STR(r->answers[2].check, "runs");
    CHECK_INT(r->nskipped, 1);
    CHECK_STR(r->skipped[0], "seal");
    CHECK_INT(r->grade, GRADE_X);
    CHECK_INT(r->responsibility_suggested, RESP_LOGISTICS); /* the carton's evidence */
    CHECK_STR(r->scanned_item, "BL-1");
    CHECK_INT(r->item_check, ITEM_CHECK_MATCHED);
    CHECK(r->step_ms[0] > 0 && r->step_ms[1] > 0 && r->step_ms[3] > 0);
    CHECK_INT(ndrafts, 0); /* the save removed it */

    /* The idle logout keeps it; Escape on the resume screen discards it. */
    scan("RMA-N");
    key(KEY_ENTER);
    text("1");
    now += 11 * 60000;
    tick();
    CHECK_INT(screen(), SCREEN_LOGIN);
    CHECK_INT(view().msg, MSG_LOGGED_OUT);
    CHECK_INT(ndrafts, 1);
    login_as("1001");
    CHECK_INT(screen(), SCREEN_RESUME);
    int drops = draft_drops;
    key(KEY_ESCAPE);
    CHECK_INT(screen(), SCREEN_SCAN);
    CHECK_INT(draft_drops, drops + 1);
    CHECK_INT(ndrafts, 0);
    a = last_audit("draft_discard");
    CHECK(a && !strcmp(a->actor, "1001") && !strcmp(a->subject, "RMA-N"));
    CHECK_INT(view().msg, MSG_DRAFT_DISCARDED);

    /* Backing out of an inspection forgets its draft without a question. */
    scan("RMA-N");
    key(KEY_ENTER);
    CHECK_INT(ndrafts, 1);
    key(KEY_ESCAPE);
    CHECK_INT(screen(), SCREEN_ITEM);
    key(KEY_ESCAPE);
    CHECK_INT(screen(), SCREEN_SCAN);
    CHECK_INT(ndrafts, 0);

    /* Stopped at the summary: resumed at the last question, answers kept. */
    scan("RMA-N");
    key(KEY_ENTER);
    answer_rest();
    CHECK_INT(screen(), SCREEN_SUMMARY);
    key(KEY_LOGOUT);
    CHECK(view().confirm_logout);
    key(KEY_LOGOUT);
    CHECK_INT(screen(), SCREEN_LOGIN);
    login_as("1001");
    key(KEY_ENTER);
    CHECK_INT(screen(), SCREEN_CHECK);
    CHECK_INT(view().check_pos, view().check_count); /* the last question asked */
    int asked = view().check_count;
    text("1");
    CHECK_INT(screen(), SCREEN_SUMMARY);
    r = confirm_and_save();
    CHECK(r && r->nanswers == asked);

    /* A draft made under rules that no longer have its category. */
    struct draft old = {0};
    snprintf(old.insp.rma, sizeof old.insp.rma, "RMA-N");
    snprintf(old.insp.category, sizeof old.insp.category, "furniture");
    old.insp.nanswers = 1;
    snprintf(old.insp.answers[0].check, sizeof old.insp.answers[0].check, "legs");
    snprintf(old.insp.answers[0].answer, sizeof old.insp.answers[0].answer, "ok");
    old.expected = manifest[3];
    old.has_expected = true;
    snprintf(drafts[ndrafts].badge, sizeof drafts[ndrafts].badge, "1001");
    drafts[ndrafts++].json = draft_to_json(&old);
    key(KEY_LOGOUT);
    login_as("1001");
    CHECK_INT(screen(), SCREEN_RESUME);
    key(KEY_ENTER);
    CHECK_INT(screen(), SCREEN_ITEM);
    CHECK(view().picking_category);
    back_to_scan();
    CHECK_INT(ndrafts, 0);
}

/* The resume screen is a state of the machine: entered after the login,
 * left for the check screen or the scan screen. */
static char trace_buf[512];
static void on_trace(void *ctx, enum screen s, enum station_phase p)
{
    (void)ctx;
    static const char *const phase[] = {"entry", "run", "exit"};
    size_t n = strlen(trace_buf);
    snprintf(trace_buf + n, sizeof trace_buf - n, "%s%s:%s", n ? " " : "", phase[p],
             screen_name(s));
}

static void test_resume_state(void)
{
    CHECK(station_states[SCREEN_RESUME].entry != NULL && station_states[SCREEN_RESUME].run);
    CHECK_STR(screen_name(SCREEN_RESUME), "resume");
    CHECK_INT(screen_from_name("resume"), SCREEN_RESUME);
    scan("RMA-N");
    key(KEY_ENTER);
    text("1");
    key(KEY_LOGOUT);
    key(KEY_ENTER);
    scan("1001");
    text("123456");
    key(KEY_ENTER);
    station_set_trace(st, on_trace, NULL);
    trace_buf[0] = 0;
    struct event ev = {.type = EV_LOGIN_RESULT, .login = LOGIN_OK};
    snprintf(ev.op.badge, sizeof ev.op.badge, "1001");
    send(ev);
    CHECK_STR(trace_buf, "run:login exit:login entry:resume");
    trace_buf[0] = 0;
    key(KEY_ENTER);
    CHECK_STR(trace_buf, "run:resume exit:resume entry:check");
    station_set_trace(st, NULL, NULL);
    back_to_scan();
}

int main(void)
{
    if (time_parse_rfc3339("2026-11-23T09:00:00Z", &T0) != 0)
        return 1;
    now = T0;
    char err[256];
    if (!CHECK(rules_load_string(rules_builtin_json, "builtin", &rules, err, sizeof err) == 0)) {
        fprintf(stderr, "%s\n", err);
        return harness_done();
    }
    st = new_station();
    login_as("1001");
    CHECK_INT(screen(), SCREEN_SCAN);
    test_item_check_table();
    test_wrong_product();
    test_blind();
    test_units();
    test_units_between_graders();
    test_regrade_back();
    test_drafts();
    test_resume_state();
    station_free(st);
    for (int i = 0; i < ndrafts; i++)
        free(drafts[i].json);
    rules_free(rules);
    return harness_done();
}

/*
 * test_station_photo.c — the station core asks for evidence: an answer with
 * "photo" goes to the photo screen; Return asks for the picture
 * (FX_PHOTO_TAKE) and EV_PHOTO_TAKEN keeps it with the inspection; a failed
 * picture keeps the inspection as it was; a required photo cannot be passed
 * over, and without a camera only a supervisor waives it (audited, recorded
 * with who); an optional one can; a retake replaces; a photo whose answer
 * changed is not saved; a draft keeps the photos; the summary refuses to save
 * with a required photo missing. Pure: the core alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draft.h"
#include "harness.h"
#include "log.h"
#include "rules.h"
#include "station.h"

static struct station *st;
static struct effects fx;
static int64_t now;

/* ---- look-ups ---------------------------------------------------------- */

static int find_operator(void *ctx, const char *badge, struct operator_info *op)
{
    (void)ctx;
    if (strcmp(badge, "1001") && strcmp(badge, "2001"))
        return 1;
    memset(op, 0, sizeof *op);
    snprintf(op->badge, sizeof op->badge, "%s", badge);
    op->role = badge[0] == '2' ? ROLE_SUPERVISOR : ROLE_GRADER;
    return 0;
}

static int find_manifest(void *ctx, const char *rma, struct manifest_row *out)
{
    (void)ctx;
    if (strncmp(rma, "RMA-", 4))
        return 1;
    memset(out, 0, sizeof *out);
    snprintf(out->rma, sizeof out->rma, "%s", rma);
    snprintf(out->sku, sizeof out->sku, "PH-IP15-128");
    return 0;
}

static struct draft kept; /* the last FX_DRAFT_SAVE, through its JSON */
static bool has_kept;

static int find_draft(void *ctx, const char *badge, struct draft *out)
{
    (void)ctx;
    if (!has_kept || strcmp(kept.insp.operator_badge, badge))
        return 1;
    *out = kept;
    return 0;
}

/* ---- events -------------------------------------------------------------- */

static void carry_out(void)
{
    for (int i = 0; i < fx.n; i++)
        if (fx.fx[i].type == FX_DRAFT_SAVE) {
            char *json = draft_to_json(fx.fx[i].draft);
            has_kept = json && draft_from_json(json, &kept) == 0;
            free(json);
        } else if (fx.fx[i].type == FX_DRAFT_DROP) {
            has_kept = false;
        }
}

static void send(struct event ev)
{
    ev.now = now += 1000;
    station_handle(st, &ev, &fx);
    carry_out();
}
static void key(enum key k)
{
    send((struct event){.type = EV_KEY, .key = k});
}
static void text(const char *s)
{
    struct event ev = {.type = EV_TEXT, .len = strlen(s)};
    snprintf(ev.text, sizeof ev.text, "%s", s);
    send(ev);
}
static void scan(const char *s)
{
    struct event ev = {.type = EV_SCAN, .len = strlen(s)};
    snprintf(ev.text, sizeof ev.text, "%s", s);
    send(ev);
}
static void pick(int p)
{
    send((struct event){.type = EV_PICK, .pick = p});
}
static void camera(const char *why)
{
    struct event ev = {.type = EV_CAMERA};
    snprintf(ev.text, sizeof ev.text, "%s", why);
    send(ev);
}
static void pin_result(enum pin_purpose purpose, const char *badge, enum role role)
{
    struct event ev = {.type = EV_LOGIN_RESULT, .purpose = purpose, .login = LOGIN_OK};
    snprintf(ev.op.badge, sizeof ev.op.badge, "%s", badge);
    ev.op.role = role;
    send(ev);
}
static void taken(const char *check, const char *file, char hexdigit)
{
    struct event ev = {.type = EV_PHOTO_TAKEN};
    snprintf(ev.photo.check, sizeof ev.photo.check, "%s", check);
    snprintf(ev.photo.file, sizeof ev.photo.file, "%s", file);
    memset(ev.photo.sha256, hexdigit, 64);
    send(ev);
}

static const struct effect *find_fx(enum effect_type t)
{
    for (int i = 0; i < fx.n; i++)
        if (fx.fx[i].type == t)
            return &fx.fx[i];
    return NULL;
}

static struct view view(void)
{
    struct view v;
    station_view(st, &v);
    return v;
}

static const char *screen(void)
{
    return screen_name(station_screen(st));
}

static void login(const char *badge, enum role role)
{
    text(badge);
    key(KEY_ENTER);
    text("123456");
    key(KEY_ENTER);
    pin_result(PIN_LOGIN, badge, role);
}

/* A new return scanned, the item passed over: the first question. */
static void start(const char *rma)
{
    scan(rma);
    key(KEY_ENTER);
    CHECK_STR(screen(), "check");
}

/* ---- the tests ------------------------------------------------------------ */

static void test_required_photo_taken(void)
{
    login("1001", ROLE_GRADER);
    camera("");
    start("RMA-1");
    text("2"); /* carton crushed: a photo is required */
    CHECK_STR(screen(), "photo");
    struct view v = view();
    CHECK(v.photo_required);
    CHECK(v.photo_check && !strcmp(v.photo_check->id, "carton"));
    CHECK(v.photo_answer && !strcmp(v.photo_answer->id, "crushed"));
    CHECK(v.photo_taken == NULL);
    /* Tab does not pass a required photo over. */
    key(KEY_TAB);
    CHECK_STR(screen(), "photo");
    CHECK_INT(view().msg, MSG_PHOTO_REQUIRED);
    CHECK_STR(msg_error_id(MSG_PHOTO_REQUIRED), "E555");
    /* Return asks for the picture, for this check. */
    key(KEY_ENTER);
    const struct effect *e = find_fx(FX_PHOTO_TAKE);
    CHECK(e && !strcmp(e->subject, "carton") && !strcmp(e->actor, "1001"));
    CHECK(view().photo_taking);
    key(KEY_ENTER); /* nothing else meanwhile */
    CHECK(find_fx(FX_PHOTO_TAKE) == NULL);
    /* It failed: said, the inspection as it was, Return again. */
    struct event failed = {.type = EV_PHOTO_FAILED};
    snprintf(failed.text, sizeof failed.text, "E955: the camera stalled");
    send(failed);
    CHECK_STR(screen(), "photo");
    CHECK_INT(view().msg, MSG_PHOTO_FAILED);
    CHECK_STR(msg_error_id(MSG_PHOTO_FAILED), "E561");
    CHECK_INT(view().insp->nphotos, 0);
    /* The camera did not give one: a supervisor may now waive it. */
    CHECK(view().photo_waivable);
    key(KEY_ENTER);
    CHECK(find_fx(FX_PHOTO_TAKE) != NULL);
    taken("carton", "photos/take-1-001.jpg", 'a');
    CHECK_STR(screen(), "check");
    CHECK_INT(view().check_index, 1);
    CHECK_INT(view().insp->nphotos, 1);
    CHECK_STR(view().insp->photos[0].file, "photos/take-1-001.jpg");
    /* The draft names the photo. */
    CHECK(has_kept && kept.insp.nphotos == 1 && !strcmp(kept.insp.photos[0].check, "carton"));

    /* Screen light: an optional photo, Tab goes on without one. */
    text("2");
    CHECK_STR(screen(), "photo");
    CHECK(!view().photo_required);
    key(KEY_TAB);
    CHECK_STR(screen(), "summary");
    CHECK_INT(view().insp->nphotos, 1);
    key(KEY_ENTER);
    e = find_fx(FX_SAVE);
    CHECK(e && e->insp);
    if (e && e->insp) {
        CHECK_INT(e->insp->nphotos, 1);
        CHECK_STR(e->insp->photos[0].check, "carton");
        CHECK_INT(e->insp->nwaived, 0);
    }
    struct event ok = {.type = EV_SAVED, .seq = 1};
    snprintf(ok.plate, sizeof ok.plate, "SH01-S01-000001");
    send(ok);
    CHECK_STR(screen(), "scan");
}

static void test_retake_and_changed_answer(void)
{
    start("RMA-2");
    text("2");
    key(KEY_ENTER);
    taken("carton", "photos/take-2-001.jpg", 'b');
    CHECK_STR(screen(), "check");
    /* Back to the carton, crushed again: the photo kept is shown, a retake
     * replaces it. */
    key(KEY_ESCAPE);
    CHECK_INT(view().check_index, 0);
    text("2");
    CHECK_STR(screen(), "photo");
    CHECK(view().photo_taken && !strcmp(view().photo_taken->file, "photos/take-2-001.jpg"));
    key(KEY_ENTER);
    taken("carton", "photos/take-2-002.jpg", 'c');
    CHECK_INT(view().insp->nphotos, 1);
    CHECK_STR(view().insp->photos[0].file, "photos/take-2-002.jpg");
    /* Back again, and Escape on the photo screen: the question is open. */
    key(KEY_ESCAPE);
    text("2");
    key(KEY_ESCAPE);
    CHECK_STR(screen(), "check");
    CHECK_INT(view().check_index, 0);
    /* Intact after all: the carton's photo is not saved with it. */
    text("1");
    text("1");
    CHECK_STR(screen(), "summary");
    CHECK_INT(view().insp->nphotos, 0);
    key(KEY_ENTER);
    const struct effect *e = find_fx(FX_SAVE);
    CHECK(e && e->insp && e->insp->nphotos == 0);
    struct event ok = {.type = EV_SAVED, .seq = 2};
    snprintf(ok.plate, sizeof ok.plate, "SH01-S01-000002");
    send(ok);
}

static void test_no_camera_waiver(void)
{
    camera("E934: this station has no camera ([camera] pipeline)");
    start("RMA-3");
    text("2");
    CHECK_STR(screen(), "photo");
    struct view v = view();
    CHECK(v.photo_waivable);
    CHECK_INT(v.msg, MSG_CAMERA_MISSING);
    CHECK_STR(msg_error_id(MSG_CAMERA_MISSING), "E556");
    /* Return cannot take one. */
    key(KEY_ENTER);
    CHECK(find_fx(FX_PHOTO_TAKE) == NULL);
    CHECK_STR(screen(), "photo");
    /* A grader may not waive it alone: a supervisor's badge and PIN. */
    key(KEY_OVERRIDE);
    CHECK_INT(view().auth_action, AUTH_WAIVE_PHOTO);
    text("2001");
    key(KEY_ENTER);
    text("654321");
    key(KEY_ENTER);
    const struct effect *e = find_fx(FX_CHECK_PIN);
    CHECK(e && e->purpose == PIN_AUTHORISE);
    pin_result(PIN_AUTHORISE, "2001", ROLE_SUPERVISOR);
    CHECK_STR(screen(), "check");
    CHECK_INT(view().insp->nwaived, 1);
    CHECK_STR(view().insp->waived[0].check, "carton");
    CHECK_STR(view().insp->waived[0].by, "2001");
    bool audited = false;
    for (int i = 0; i < fx.n; i++)
        if (fx.fx[i].type == FX_AUDIT && !strcmp(fx.fx[i].action, "photo_waived")) {
            audited = !strcmp(fx.fx[i].actor, "1001") && !strcmp(fx.fx[i].authorised_by, "2001") &&
                      strstr(fx.fx[i].detail, "E934") != NULL;
        }
    CHECK(audited);
    text("1");
    key(KEY_ENTER);
    e = find_fx(FX_SAVE);
    CHECK(e && e->insp && e->insp->nwaived == 1 && e->insp->nphotos == 0);
    struct event ok = {.type = EV_SAVED, .seq = 3};
    snprintf(ok.plate, sizeof ok.plate, "SH01-S01-000003");
    send(ok);
}

static void test_waiver_only_without_camera(void)
{
    camera("");
    start("RMA-4");
    text("2");
    CHECK(!view().photo_waivable);
    pick(PHOTO_PICK_WAIVE);
    CHECK_STR(screen(), "photo");
    CHECK_INT(view().auth_action, AUTH_NONE);
    CHECK_INT(view().msg, MSG_PHOTO_REQUIRED);
    pick(PHOTO_PICK_TAKE);
    CHECK(find_fx(FX_PHOTO_TAKE) != NULL);
    taken("carton", "photos/take-4-001.jpg", 'd');
    CHECK_STR(screen(), "check");
    text("1");
    key(KEY_ENTER);
    struct event ok = {.type = EV_SAVED, .seq = 4};
    snprintf(ok.plate, sizeof ok.plate, "SH01-S01-000004");
    send(ok);
}

/* A draft resumed after a restart keeps its photo; one whose required photo
 * went missing is sent back to the photo screen before it can be saved. */
static void test_resumed_draft(void)
{
    start("RMA-5");
    text("2");
    key(KEY_ENTER);
    taken("carton", "photos/take-5-001.jpg", 'e');
    key(KEY_LOGOUT);
    key(KEY_ENTER); /* log out, the inspection kept */
    CHECK_STR(screen(), "login");
    CHECK(has_kept && kept.insp.nphotos == 1);
    /* The photo left the draft (as if it was never taken). */
    kept.insp.nphotos = 0;
    login("1001", ROLE_GRADER);
    CHECK_STR(screen(), "resume");
    key(KEY_ENTER);
    CHECK_STR(screen(), "check");
    text("1");
    CHECK_STR(screen(), "summary");
    key(KEY_ENTER);
    CHECK(find_fx(FX_SAVE) == NULL);
    CHECK_STR(screen(), "photo");
    CHECK_INT(view().msg, MSG_PHOTO_REQUIRED);
    key(KEY_ENTER);
    taken("carton", "photos/take-5-002.jpg", 'f');
    CHECK_STR(screen(), "summary");
    key(KEY_ENTER);
    const struct effect *e = find_fx(FX_SAVE);
    CHECK(e && e->insp && e->insp->nphotos == 1);
}

int main(void)
{
    if (time_parse_rfc3339("2026-11-23T09:00:00Z", &now) != 0)
        return 1;
    struct rules *rules;
    char err[256];
    /* The rules of the photo tests: a crushed carton's photo is required, a
     * cracked screen's optional. */
    if (!CHECK(rules_load_file("tests/e2e/photo-rules.json", &rules, err, sizeof err) == 0)) {
        fprintf(stderr, "%s\n", err);
        return harness_done();
    }
    struct station_settings set = {
        .station_id = "SH01-S01", .idle_logout_min = 60, .lang = LANG_EN, .rules = rules};
    struct station_ports ports = {
        .find_operator = find_operator, .find_manifest = find_manifest, .find_draft = find_draft};
    st = station_new(&set, &ports);
    test_required_photo_taken();
    test_retake_and_changed_answer();
    test_no_camera_waiver();
    test_waiver_only_without_camera();
    test_resumed_draft();
    station_free(st);
    rules_free(rules);
    return harness_done();
}

/*
 * draft.c — an unfinished inspection as JSON and back (draft.h).
 *
 *   {"draft":1,"saved_at":…,"item_scanned":true,
 *    "insp":{"rma":…,"order_id":…,…,"answers":[["screen","light",4200],…]},
 *    "expected":{"rma":…,…,"quantity":3} or null}
 *
 * Every key is written; a reader takes what it knows and leaves the rest of
 * the record at zero, so a draft kept by an older station still reads.
 */
#include "draft.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define DRAFT_FORMAT 1

/* ---- writing ------------------------------------------------------------- */

static bool add_text(cJSON *o, const char *key, const char *value)
{
    return cJSON_AddStringToObject(o, key, value) != NULL;
}

static cJSON *insp_json(const struct inspection *in)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    bool ok = add_text(o, "rma", in->rma) && add_text(o, "order_id", in->order_id) &&
              add_text(o, "sku", in->sku) && add_text(o, "gtin", in->gtin) &&
              add_text(o, "serial", in->serial) && add_text(o, "description", in->description) &&
              add_text(o, "reason", in->reason) && add_text(o, "category", in->category) &&
              add_text(o, "operator", in->operator_badge) &&
              cJSON_AddNumberToObject(o, "started_at", (double)in->started_at) &&
              add_text(o, "rules_version", in->rules_version) &&
              cJSON_AddBoolToObject(o, "late", in->late) &&
              cJSON_AddBoolToObject(o, "mismatch", in->mismatch) &&
              cJSON_AddBoolToObject(o, "blind", in->blind) &&
              add_text(o, "supersedes", in->supersedes) &&
              add_text(o, "calibrates", in->calibrates) &&
              add_text(o, "item_check", item_check_name(in->item_check)) &&
              add_text(o, "scanned_item", in->scanned_item) &&
              cJSON_AddBoolToObject(o, "wrong_item", in->wrong_item) &&
              cJSON_AddNumberToObject(o, "unit", in->unit) &&
              cJSON_AddNumberToObject(o, "units", in->units) &&
              cJSON_AddBoolToObject(o, "extra_unit", in->extra_unit) &&
              cJSON_AddNumberToObject(o, "responsibility", in->responsibility);
    cJSON *answers = ok ? cJSON_AddArrayToObject(o, "answers") : NULL;
    ok = answers != NULL;
    for (int i = 0; ok && i < in->nanswers && i < INSP_MAX_ANSWERS; i++) {
        cJSON *a = cJSON_CreateArray();
        ok = a && cJSON_AddItemToArray(a, cJSON_CreateString(in->answers[i].check)) &&
             cJSON_AddItemToArray(a, cJSON_CreateString(in->answers[i].answer)) &&
             cJSON_AddItemToArray(a, cJSON_CreateNumber(in->step_ms[i])) &&
             cJSON_AddItemToArray(answers, a);
        if (!ok)
            cJSON_Delete(a); /* not attached: answers does not own it */
    }
    /* The photos taken so far (their files are on disk already) and the
     * required ones waived: [check, file, sha256] and [check, by]. */
    cJSON *photos = ok ? cJSON_AddArrayToObject(o, "photos") : NULL;
    ok = photos != NULL;
    for (int i = 0; ok && i < in->nphotos && i < INSP_MAX_PHOTOS; i++) {
        cJSON *a = cJSON_CreateArray();
        ok = a && cJSON_AddItemToArray(a, cJSON_CreateString(in->photos[i].check)) &&
             cJSON_AddItemToArray(a, cJSON_CreateString(in->photos[i].file)) &&
             cJSON_AddItemToArray(a, cJSON_CreateString(in->photos[i].sha256)) &&
             cJSON_AddItemToArray(photos, a);
        if (!ok)
            cJSON_Delete(a);
    }
    cJSON *waived = ok ? cJSON_AddArrayToObject(o, "photos_waived") : NULL;
    ok = waived != NULL;
    for (int i = 0; ok && i < in->nwaived && i < INSP_MAX_PHOTOS; i++) {
        cJSON *a = cJSON_CreateArray();
        ok = a && cJSON_AddItemToArray(a, cJSON_CreateString(in->waived[i].check)) &&
             cJSON_AddItemToArray(a, cJSON_CreateString(in->waived[i].by)) &&
             cJSON_AddItemToArray(waived, a);
        if (!ok)
            cJSON_Delete(a);
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *row_json(const struct manifest_row *r)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    if (!(add_text(o, "rma", r->rma) && add_text(o, "order_id", r->order_id) &&
          add_text(o, "sku", r->sku) && add_text(o, "gtin", r->gtin) &&
          add_text(o, "serial", r->serial) && add_text(o, "description", r->description) &&
          add_text(o, "reason", r->reason) && add_text(o, "delivered_at", r->delivered_at) &&
          cJSON_AddNumberToObject(o, "quantity", r->quantity))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

char *draft_to_json(const struct draft *d)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    char *text = NULL;
    cJSON *insp = insp_json(&d->insp);
    cJSON *expected = d->has_expected ? row_json(&d->expected) : cJSON_CreateNull();
    if (!insp || !expected) {
        cJSON_Delete(insp);
        cJSON_Delete(expected);
        goto out;
    }
    if (!cJSON_AddNumberToObject(o, "draft", DRAFT_FORMAT) ||
        !cJSON_AddNumberToObject(o, "saved_at", (double)d->saved_at) ||
        !cJSON_AddBoolToObject(o, "item_scanned", d->item_scanned) ||
        !cJSON_AddItemToObject(o, "insp", insp)) {
        cJSON_Delete(insp);
        cJSON_Delete(expected);
        goto out;
    }
    if (!cJSON_AddItemToObject(o, "expected", expected)) {
        cJSON_Delete(expected);
        goto out;
    }
    text = cJSON_PrintUnformatted(o);
out:
    cJSON_Delete(o);
    return text;
}

/* ---- reading ------------------------------------------------------------- */

/* Copy a string member into dst[cap], cut at a character boundary. */
static void get_text(const cJSON *o, const char *key, char *dst, size_t cap)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    const char *s = cJSON_IsString(v) ? v->valuestring : "";
    size_t n = strlen(s);
    if (n >= cap)
        n = utf8_cut(s, cap - 1);
    memcpy(dst, s, n);
    dst[n] = 0;
}

static double get_num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static bool get_bool(const cJSON *o, const char *key)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static int get_int(const cJSON *o, const char *key, int lo, int hi)
{
    double v = get_num(o, key);
    return v < lo ? lo : v > hi ? hi : (int)v;
}

static void read_insp(const cJSON *o, struct inspection *in)
{
    get_text(o, "rma", in->rma, sizeof in->rma);
    get_text(o, "order_id", in->order_id, sizeof in->order_id);
    get_text(o, "sku", in->sku, sizeof in->sku);
    get_text(o, "gtin", in->gtin, sizeof in->gtin);
    get_text(o, "serial", in->serial, sizeof in->serial);
    get_text(o, "description", in->description, sizeof in->description);
    get_text(o, "reason", in->reason, sizeof in->reason);
    get_text(o, "category", in->category, sizeof in->category);
    get_text(o, "operator", in->operator_badge, sizeof in->operator_badge);
    in->started_at = (int64_t)get_num(o, "started_at");
    get_text(o, "rules_version", in->rules_version, sizeof in->rules_version);
    in->late = get_bool(o, "late");
    in->mismatch = get_bool(o, "mismatch");
    in->blind = get_bool(o, "blind");
    get_text(o, "supersedes", in->supersedes, sizeof in->supersedes);
    get_text(o, "calibrates", in->calibrates, sizeof in->calibrates);
    char check[16];
    get_text(o, "item_check", check, sizeof check);
    int c = item_check_from_name(check);
    in->item_check = c < 0 ? ITEM_CHECK_NONE : (enum item_check)c;
    get_text(o, "scanned_item", in->scanned_item, sizeof in->scanned_item);
    in->wrong_item = get_bool(o, "wrong_item");
    in->unit = get_int(o, "unit", 0, 1000000);
    in->units = get_int(o, "units", 0, MANIFEST_MAX_QUANTITY);
    in->extra_unit = get_bool(o, "extra_unit");
    in->responsibility = (enum responsibility)get_int(o, "responsibility", 0, RESP_COUNT - 1);
    const cJSON *answers = cJSON_GetObjectItemCaseSensitive(o, "answers"), *a;
    cJSON_ArrayForEach(a, answers)
    {
        if (in->nanswers >= INSP_MAX_ANSWERS || !cJSON_IsArray(a))
            break;
        const cJSON *chk = cJSON_GetArrayItem(a, 0), *ans = cJSON_GetArrayItem(a, 1),
                    *ms = cJSON_GetArrayItem(a, 2);
        if (!cJSON_IsString(chk) || !cJSON_IsString(ans))
            break;
        struct answer_ref *ref = &in->answers[in->nanswers];
        snprintf(ref->check, sizeof ref->check, "%s", chk->valuestring);
        snprintf(ref->answer, sizeof ref->answer, "%s", ans->valuestring);
        double v = cJSON_IsNumber(ms) ? ms->valuedouble : 0;
        in->step_ms[in->nanswers++] = v < 0 ? 0 : v > INT32_MAX ? INT32_MAX : (int32_t)v;
    }
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(o, "photos"))
    {
        const cJSON *chk = cJSON_GetArrayItem(a, 0), *file = cJSON_GetArrayItem(a, 1),
                    *sha = cJSON_GetArrayItem(a, 2);
        if (in->nphotos >= INSP_MAX_PHOTOS || !cJSON_IsString(chk) || !cJSON_IsString(file) ||
            !cJSON_IsString(sha))
            break;
        struct photo_ref *p = &in->photos[in->nphotos++];
        snprintf(p->check, sizeof p->check, "%s", chk->valuestring);
        snprintf(p->file, sizeof p->file, "%s", file->valuestring);
        snprintf(p->sha256, sizeof p->sha256, "%s", sha->valuestring);
    }
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(o, "photos_waived"))
    {
        const cJSON *chk = cJSON_GetArrayItem(a, 0), *by = cJSON_GetArrayItem(a, 1);
        if (in->nwaived >= INSP_MAX_PHOTOS || !cJSON_IsString(chk) || !cJSON_IsString(by))
            break;
        struct photo_waiver *w = &in->waived[in->nwaived++];
        snprintf(w->check, sizeof w->check, "%s", chk->valuestring);
        snprintf(w->by, sizeof w->by, "%s", by->valuestring);
    }
}

int draft_from_json(const char *json, struct draft *out)
{
    memset(out, 0, sizeof *out);
    cJSON *o = json ? cJSON_Parse(json) : NULL;
    const cJSON *insp = cJSON_GetObjectItemCaseSensitive(o, "insp");
    if (!cJSON_IsObject(o) || get_num(o, "draft") != DRAFT_FORMAT || !cJSON_IsObject(insp)) {
        cJSON_Delete(o);
        return -1;
    }
    out->saved_at = (int64_t)get_num(o, "saved_at");
    out->item_scanned = get_bool(o, "item_scanned");
    read_insp(insp, &out->insp);
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(o, "expected");
    if (cJSON_IsObject(ex)) {
        struct manifest_row *r = &out->expected;
        out->has_expected = true;
        get_text(ex, "rma", r->rma, sizeof r->rma);
        get_text(ex, "order_id", r->order_id, sizeof r->order_id);
        get_text(ex, "sku", r->sku, sizeof r->sku);
        get_text(ex, "gtin", r->gtin, sizeof r->gtin);
        get_text(ex, "serial", r->serial, sizeof r->serial);
        get_text(ex, "description", r->description, sizeof r->description);
        get_text(ex, "reason", r->reason, sizeof r->reason);
        get_text(ex, "delivered_at", r->delivered_at, sizeof r->delivered_at);
        r->quantity = get_int(ex, "quantity", 0, MANIFEST_MAX_QUANTITY);
    }
    cJSON_Delete(o);
    return 0;
}

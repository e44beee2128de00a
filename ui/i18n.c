/*
 * i18n.c — the string table of i18n.h laid out in memory, and its lookups.
 *
 * The texts are packed one after another as the members of one constant
 * struct, each exactly as long as its text; the table proper holds their
 * offsets. So the whole table is read-only data with no pointers in it, and
 * a row's texts are found with one index.
 */
#include "i18n.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

_Static_assert(LANG_COUNT == 2, "I18N_TABLE rows hold English and Chinese: add a column");

static const struct texts {
#define I18N_MEMBERS(id, en, zh)                                                                   \
    char id##_key[sizeof #id];                                                                     \
    char id##_en[sizeof en];                                                                       \
    char id##_zh[sizeof zh];
    I18N_TABLE(I18N_MEMBERS)
#undef I18N_MEMBERS
} texts = {
#define I18N_TEXTS(id, en, zh) #id, en, zh,
    I18N_TABLE(I18N_TEXTS)
#undef I18N_TEXTS
};

_Static_assert(sizeof(struct texts) <= UINT16_MAX, "the texts outgrew 16-bit offsets");

static const struct {
    uint16_t key, text[LANG_COUNT];
} rows[S_COUNT] = {
#define I18N_ROW(id, en, zh)                                                                       \
    [id] = {offsetof(struct texts, id##_key),                                                      \
            {offsetof(struct texts, id##_en), offsetof(struct texts, id##_zh)}},
    I18N_TABLE(I18N_ROW)
#undef I18N_ROW
};

static const char *at(uint16_t offset)
{
    return (const char *)&texts + offset;
}

/* How a message uses the view's msg_arg and msg_num. MA_UNSET marks a
 * message the table below lacks. */
enum msg_args {
    MA_UNSET,
    MA_NONE,
    MA_STR,
    MA_NUM,
    MA_OPT_STR, /* ": arg" appended when set */
    MA_STR_NUM, /* the argument, then the number */
    MA_STR_STATE_NUM, /* the argument, the detail as a device state in words, the number */
    MA_STR_DETAIL,    /* the argument, then the detail */
};

static const struct {
    enum str id;
    enum msg_args args;
} messages[MSG_COUNT] = {
    [MSG_SAVED] = {S_MSG_SAVED, MA_STR},
    [MSG_UNKNOWN_CODE] = {S_MSG_UNKNOWN_CODE, MA_STR},
    [MSG_BAD_PIN] = {S_MSG_BAD_PIN, MA_NONE},
    [MSG_LOCKED] = {S_MSG_LOCKED, MA_NUM},
    [MSG_SAVE_FAILED] = {S_MSG_SAVE_FAILED, MA_STR},
    [MSG_NOT_ALLOWED] = {S_MSG_NOT_ALLOWED, MA_NONE},
    [MSG_ITEM_OK] = {S_MSG_ITEM_OK, MA_NONE},
    [MSG_ITEM_MISMATCH] = {S_MSG_ITEM_MISMATCH, MA_STR},
    [MSG_PICK_CATEGORY] = {S_MSG_PICK_CATEGORY, MA_NONE},
    [MSG_LOGGED_OUT] = {S_MSG_LOGGED_OUT, MA_NONE},
    [MSG_STORE_ERROR] = {S_MSG_STORE_ERROR, MA_OPT_STR},
    [MSG_REPRINTED] = {S_MSG_REPRINTED, MA_STR},
    [MSG_CALIBRATION] = {S_MSG_CALIBRATION, MA_STR},
    [MSG_CALIBRATION_SAVED] = {S_MSG_CALIBRATION_SAVED, MA_STR},
    [MSG_STATS_BAD_DATE] = {S_MSG_STATS_BAD_DATE, MA_STR},
    [MSG_STATS_REVERSED] = {S_MSG_STATS_REVERSED, MA_NONE},
    [MSG_STATS_TOO_LONG] = {S_MSG_STATS_TOO_LONG, MA_NUM},
    [MSG_ITEM_WRONG] = {S_MSG_ITEM_WRONG, MA_STR},
    [MSG_ITEM_UNVERIFIED] = {S_MSG_ITEM_UNVERIFIED, MA_STR},
    [MSG_ITEM_SKIPPED] = {S_MSG_ITEM_SKIPPED, MA_NONE},
    [MSG_ALL_GRADED] = {S_MSG_ALL_GRADED, MA_STR_NUM},
    [MSG_EXTRA_UNIT] = {S_MSG_EXTRA_UNIT, MA_STR_NUM},
    [MSG_SAVED_MORE] = {S_MSG_SAVED_MORE, MA_STR_NUM},
    [MSG_DRAFT_RESUMED] = {S_MSG_DRAFT_RESUMED, MA_STR},
    [MSG_DRAFT_DISCARDED] = {S_MSG_DRAFT_DISCARDED, MA_STR},
    [MSG_CODE_TOO_LONG] = {S_MSG_CODE_TOO_LONG, MA_NUM},
    [MSG_AUTH_NEEDED] = {S_MSG_AUTH_NEEDED, MA_NONE},
    [MSG_AUTHORISED] = {S_MSG_AUTHORISED, MA_STR},
    [MSG_PICK_GRADE] = {S_MSG_PICK_GRADE, MA_NONE},
    [MSG_GRADE_OVERRIDDEN] = {S_MSG_GRADE_OVERRIDDEN, MA_STR},
    [MSG_OPERATOR_CHANGED] = {S_MSG_OPERATOR_CHANGED, MA_STR},
    [MSG_SAVED_LABEL_WAITING] = {S_MSG_SAVED_LABEL_WAITING, MA_STR_STATE_NUM},
    [MSG_SAVED_SYNC_FAILING] = {S_MSG_SAVED_SYNC_FAILING, MA_STR_DETAIL},
    [MSG_PHOTO_TAKEN] = {S_MSG_PHOTO_TAKEN, MA_NUM},
    [MSG_PHOTO_FAILED] = {S_MSG_PHOTO_FAILED, MA_STR},
    [MSG_PHOTO_REQUIRED] = {S_MSG_PHOTO_REQUIRED, MA_NONE},
    [MSG_CAMERA_MISSING] = {S_MSG_CAMERA_MISSING, MA_STR},
    [MSG_PHOTO_WAIVED] = {S_MSG_PHOTO_WAIVED, MA_STR},
};

const char *i18n_raw(enum str id, enum lang lang)
{
    if ((unsigned)id >= S_COUNT || (unsigned)lang >= LANG_COUNT)
        return NULL;
    return at(rows[id].text[lang]);
}

const char *i18n_key(enum str id)
{
    return (unsigned)id < S_COUNT ? at(rows[id].key) : "";
}

const char *tr(enum lang lang, enum str id)
{
    if ((unsigned)id >= S_COUNT)
        return "";
    return at(rows[id].text[(unsigned)lang < LANG_COUNT ? lang : LANG_EN]);
}

char *trf(char *out, size_t outlen, enum lang lang, enum str id, ...)
{
    va_list ap;
    va_start(ap, id);
    vsnprintf(out, outlen, tr(lang, id), ap);
    va_end(ap);
    return out;
}

enum str i18n_msg_str(enum msg m)
{
    if ((unsigned)m >= MSG_COUNT || messages[m].args == MA_UNSET)
        return S_COUNT;
    return messages[m].id;
}

char *i18n_msg(char *out, size_t outlen, enum lang lang, enum msg m, const char *arg, int num)
{
    return i18n_msg_detail(out, outlen, lang, m, arg, num, "");
}

char *i18n_msg_detail(char *out, size_t outlen, enum lang lang, enum msg m, const char *arg,
                      int num, const char *detail)
{
    if (outlen == 0)
        return out;
    out[0] = 0;
    enum str id = i18n_msg_str(m);
    if (id == S_COUNT)
        return out;
    const char *fmt = tr(lang, id);
    if (!arg)
        arg = "";
    switch (messages[m].args) {
    case MA_UNSET: break;
    case MA_NONE: snprintf(out, outlen, "%s", fmt); break;
    case MA_STR: snprintf(out, outlen, fmt, arg); break;
    case MA_NUM: snprintf(out, outlen, fmt, num); break;
    case MA_STR_NUM: snprintf(out, outlen, fmt, arg, num); break;
    case MA_STR_STATE_NUM:
        snprintf(out, outlen, fmt, arg, i18n_device_state(lang, detail ? detail : ""), num);
        break;
    case MA_STR_DETAIL: snprintf(out, outlen, fmt, arg, detail ? detail : ""); break;
    case MA_OPT_STR:
        if (arg[0])
            snprintf(out, outlen, "%s%s%s", fmt, tr(lang, S_DETAIL_SEP), arg);
        else
            snprintf(out, outlen, "%s", fmt);
        break;
    }
    return out;
}

/* A word from data (a rules or manifest id, a driver's state) and its row. */
struct word {
    char word[24];
    enum str id;
};

static const char *word_text(enum lang lang, const struct word *known, size_t n, const char *w)
{
    if (!w)
        return "";
    for (size_t i = 0; i < n; i++)
        if (strcmp(w, known[i].word) == 0)
            return tr(lang, known[i].id);
    return w;
}

const char *i18n_disposition(enum lang lang, const char *id)
{
    static const struct word known[] = {
        {"restock", S_DISP_RESTOCK},     {"open_box", S_DISP_OPEN_BOX},
        {"refurbish", S_DISP_REFURBISH}, {"return_to_vendor", S_DISP_RETURN_TO_VENDOR},
        {"liquidate", S_DISP_LIQUIDATE}, {"scrap", S_DISP_SCRAP},
    };
    return word_text(lang, known, sizeof known / sizeof *known, id);
}

const char *i18n_reason(enum lang lang, const char *id)
{
    char norm[sizeof((struct word *)0)->word];
    size_t n = 0;
    for (const char *p = id ? id : ""; *p && n + 1 < sizeof norm; p++)
        norm[n++] = *p == ' ' || *p == '-' ? '_' : (char)tolower((unsigned char)*p);
    norm[n] = 0;
    static const struct word known[] = {
        {"no_longer_needed", S_REASON_NO_LONGER_NEEDED},
        {"defective", S_REASON_DEFECTIVE},
        {"not_as_described", S_REASON_NOT_AS_DESCRIBED},
        {"changed_mind", S_REASON_CHANGED_MIND},
        {"damaged_in_transit", S_REASON_DAMAGED_IN_TRANSIT},
        {"damaged", S_REASON_DAMAGED},
        {"wrong_item", S_REASON_WRONG_ITEM},
        {"wrong_size", S_REASON_WRONG_SIZE},
    };
    const char *w = word_text(lang, known, sizeof known / sizeof *known, norm);
    return w == norm ? id : w; /* not known: as the manifest words it */
}

const char *i18n_device_state(enum lang lang, const char *state)
{
    static const struct word known[] = {
        {"ready", S_STATE_READY}, {"offline", S_STATE_OFFLINE},     {"error", S_STATE_ERROR},
        {"busy", S_STATE_BUSY},   {"paper out", S_STATE_PAPER_OUT}, {"paused", S_STATE_PAUSED},
    };
    return word_text(lang, known, sizeof known / sizeof *known, state);
}

const char *i18n_responsibility(enum lang lang, enum responsibility r)
{
    static const enum str ids[RESP_COUNT] = {S_RESP_NONE, S_RESP_MERCHANT, S_RESP_LOGISTICS,
                                             S_RESP_CUSTOMER, S_RESP_PLATFORM};
    return (unsigned)r < RESP_COUNT ? tr(lang, ids[r]) : "";
}

const char *i18n_resolution(enum lang lang, enum resolution r)
{
    static const enum str ids[RESOLUTION_COUNT] = {
        S_RES_NONE,   S_RES_REFUND, S_RES_PARTIAL_REFUND, S_RES_EXCHANGE,
        S_RES_REPAIR, S_RES_REJECT, S_RES_INVESTIGATE};
    return (unsigned)r < RESOLUTION_COUNT ? tr(lang, ids[r]) : "";
}

const char *i18n_return_type(enum lang lang, enum return_type t)
{
    switch (t) {
    case RETURN_TYPE_QUALITY: return tr(lang, S_RT_QUALITY);
    case RETURN_TYPE_NON_QUALITY: return tr(lang, S_RT_NON_QUALITY);
    default: return "";
    }
}

const char *i18n_role(enum lang lang, enum role r)
{
    switch (r) {
    case ROLE_GRADER: return tr(lang, S_ROLE_GRADER);
    case ROLE_SUPERVISOR: return tr(lang, S_ROLE_SUPERVISOR);
    case ROLE_ADMIN: return tr(lang, S_ROLE_ADMIN);
    }
    return "";
}

const char *i18n_item_check(enum lang lang, enum item_check c, bool wrong)
{
    switch (c) {
    case ITEM_CHECK_MATCHED: return tr(lang, S_CHECK_MATCHED);
    case ITEM_CHECK_MISMATCHED: return tr(lang, wrong ? S_CHECK_WRONG : S_CHECK_MISMATCHED);
    case ITEM_CHECK_UNVERIFIED: return tr(lang, S_CHECK_UNVERIFIED);
    case ITEM_CHECK_BLIND: return tr(lang, S_CHECK_BLIND);
    case ITEM_CHECK_SKIPPED: return tr(lang, S_CHECK_SKIPPED);
    default: return tr(lang, S_DASH);
    }
}

const char *i18n_aspect(enum lang lang, enum aspect a)
{
    static const enum str ids[ASPECT_COUNT] = {S_ASPECT_COSMETIC, S_ASPECT_FUNCTIONAL,
                                               S_ASPECT_COMPLETENESS};
    return (unsigned)a < ASPECT_COUNT ? tr(lang, ids[a]) : "";
}

/*
 * i18n.h — every text the screen shows, in English and Simplified Chinese.
 *
 * One table indexed by string id and language (i18n.c). Texts with
 * arguments are printf formats; both languages of an id take the same
 * conversions in the same order (tests/test_ui.c checks it). Texts that come
 * from the rules file (categories, checks, answers) are not here: they carry
 * their own languages (text_get()).
 */
#ifndef TRIAGE_UI_I18N_H
#define TRIAGE_UI_I18N_H

#include <stddef.h>

#include "inspection.h"
#include "lang.h"
#include "station.h"

enum str {
    S_NOT_LOGGED_IN,
    S_LANG_NAME,  /* this language's own name: "English", "中文" */
    S_LANG_SHORT, /* "EN", "中文" */
    S_OK,
    S_BACK,
    S_CONTINUE,
    S_CONFIRM,
    S_RETRY,
    S_TYPE_HINT, /* under an input field: "Type, then press Enter" */

    S_LOGIN_BADGE_TITLE,
    S_LOGIN_BADGE_SUB,
    S_LOGIN_BADGE_WAIT,
    S_LOGIN_HELLO, /* %s: the badge's name */
    S_LOGIN_PIN_TITLE,
    S_LOGIN_PIN_SUB,
    S_LOGIN_PIN_EMPTY,
    S_LOGIN_CHECKING,

    S_SCAN_TITLE,
    S_SCAN_SUB,
    S_SCAN_WAITING,
    S_SCAN_LAST,
    S_SCAN_NONE_YET,
    S_SCAN_COUNT, /* %d: saved this session */
    S_LOGOUT,
    S_STATS,

    S_ITEM_EXPECTED,
    S_ITEM_SKU,
    S_ITEM_RMA,
    S_ITEM_ORDER,
    S_ITEM_REASON,
    S_ITEM_DELIVERED,
    S_ITEM_CATEGORY,
    S_ITEM_NO_CATEGORY,
    S_BADGE_LATE,
    S_BADGE_MISMATCH,
    S_BADGE_BLIND,
    S_BADGE_REGRADE, /* a blind re-grade (calibration) */
    S_ITEM_SCAN_TITLE,
    S_ITEM_SCAN_WAITING,
    S_ITEM_SCANNED,
    S_ITEM_BLIND_TITLE,
    S_ITEM_BLIND_SUB, /* %s: the RMA */
    S_PICK_TITLE,
    S_PICK_SUB, /* %s: the RMA */
    S_EXISTING_TITLE,
    S_EXISTING_WHEN, /* %s: time, %s: badge */
    S_REGRADE,
    S_REPRINT,

    S_QUESTION_OF, /* %d of %d */

    S_GRADE,
    S_DISPOSITION,
    S_DEFECTS,
    S_NO_DEFECTS,
    S_RESPONSIBILITY,
    S_SUGGESTED, /* %s: the suggested responsibility */
    S_SAVING,
    S_NOT_SAVED,
    S_NOT_SAVED_HINT,
    S_GRADE_NONE, /* an aspect without checks */

    S_ASPECT_COSMETIC,
    S_ASPECT_FUNCTIONAL,
    S_ASPECT_COMPLETENESS,

    S_RESP_NONE,
    S_RESP_MERCHANT,
    S_RESP_LOGISTICS,
    S_RESP_CUSTOMER,
    S_RESP_PLATFORM,

    S_ROLE_GRADER,
    S_ROLE_SUPERVISOR,
    S_ROLE_ADMIN,

    S_DISP_RESTOCK,
    S_DISP_OPEN_BOX,
    S_DISP_REFURBISH,
    S_DISP_RETURN_TO_VENDOR,
    S_DISP_LIQUIDATE,
    S_DISP_SCRAP,

    S_STATS_TITLE,
    S_STATS_SOON,

    S_STATUS_LABELS, /* %d */
    S_STATUS_OUTBOX, /* %d */
    S_STATUS_SYNC_ERROR,
    S_STATUS_SYNCED, /* %s: time of the last finished sync */
    S_STATE_READY,
    S_STATE_OFFLINE,
    S_STATE_ERROR,
    S_STATE_BUSY,
    S_STATE_PAPER_OUT, /* a printer out of labels or ribbon */
    S_STATE_PAUSED,    /* a printer paused or with its head open */

    S_COUNT
};

/* The text of `id` in `lang`. Never NULL. */
const char *tr(enum lang lang, enum str id);

/* The text of `id` formatted with printf arguments into out. Returns out. */
char *trf(char *out, size_t outlen, enum lang lang, enum str id, ...);

/* The words of a core message with its argument and number, without the
 * error id (the caller shows msg_error_id() beside it). Returns out. */
char *i18n_msg(char *out, size_t outlen, enum lang lang, enum msg m, const char *arg, int num);

/* A disposition id from the rules ("open_box") in words; the id itself when
 * it is not one the station knows. */
const char *i18n_disposition(enum lang lang, const char *id);
const char *i18n_responsibility(enum lang lang, enum responsibility r);
const char *i18n_role(enum lang lang, enum role r);
const char *i18n_aspect(enum lang lang, enum aspect a);
/* A device state word from a driver ("ready", "offline", …); itself when unknown. */
const char *i18n_device_state(enum lang lang, const char *state);

/* The raw table entries, for tests: the format of a string id or a message
 * (NULL when missing). */
const char *i18n_raw(enum str id, enum lang lang);
const char *i18n_msg_raw(enum msg m, enum lang lang);

#endif

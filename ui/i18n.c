/*
 * i18n.c — the string table: one row per string id, one column per language.
 *
 * Designated initialisers keep a row attached to its id whatever the order of
 * the enum; a missing entry falls back to English and then to "" (and fails
 * the test that checks the table is complete).
 */
#include "i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const table[S_COUNT][LANG_COUNT] = {
    [S_NOT_LOGGED_IN] = {"Not logged in", "未登录"},
    [S_LANG_NAME] = {"English", "中文"},
    [S_LANG_SHORT] = {"EN", "中文"},
    [S_OK] = {"OK", "确定"},
    [S_BACK] = {"Back", "返回"},
    [S_CONTINUE] = {"Continue", "继续"},
    [S_CONFIRM] = {"Confirm", "确认"},
    [S_RETRY] = {"Retry now", "立即重试"},
    [S_TYPE_HINT] = {"Typed by hand? Press Enter when done", "手动输入后按回车键"},

    [S_LOGIN_BADGE_TITLE] = {"Scan your badge", "请扫描工牌"},
    [S_LOGIN_BADGE_SUB] = {"or type its number and tap OK", "或输入工牌号后点“确定”"},
    [S_LOGIN_BADGE_WAIT] = {"Waiting for badge...", "等待扫描工牌…"},
    [S_LOGIN_HELLO] = {"Hello, %s", "%s，您好"},
    [S_LOGIN_PIN_TITLE] = {"Enter your PIN", "请输入 PIN 码"},
    [S_LOGIN_PIN_SUB] = {"Then tap OK", "输入后点“确定”"},
    [S_LOGIN_PIN_EMPTY] = {"PIN", "PIN 码"},
    [S_LOGIN_CHECKING] = {"Checking your PIN...", "正在核对 PIN 码…"},

    [S_SCAN_TITLE] = {"Scan the return label", "请扫描退货标签"},
    [S_SCAN_SUB] = {"RMA barcode, QR code or GS1 label", "RMA 条码、二维码或 GS1 标签"},
    [S_SCAN_WAITING] = {"Waiting for scanner...", "等待扫描…"},
    [S_SCAN_LAST] = {"Last saved", "上一件已保存"},
    [S_SCAN_NONE_YET] = {"Nothing saved yet", "尚未保存任何商品"},
    [S_SCAN_COUNT] = {"%d saved this session", "本次登录已保存 %d 件"},
    [S_LOGOUT] = {"Log out", "退出登录"},
    [S_STATS] = {"Statistics", "统计"},

    [S_ITEM_EXPECTED] = {"Expected item", "预期商品"},
    [S_ITEM_SKU] = {"SKU", "SKU"},
    [S_ITEM_RMA] = {"RMA", "RMA"},
    [S_ITEM_ORDER] = {"Order", "订单号"},
    [S_ITEM_REASON] = {"Declared reason", "申报退货原因"},
    [S_ITEM_DELIVERED] = {"Delivered", "签收日期"},
    [S_ITEM_CATEGORY] = {"Category", "品类"},
    [S_ITEM_NO_CATEGORY] = {"No category yet", "尚未选择品类"},
    [S_BADGE_LATE] = {"LATE", "逾期"},
    [S_BADGE_MISMATCH] = {"MISMATCH", "不符"},
    [S_BADGE_BLIND] = {"BLIND", "盲收"},
    [S_BADGE_REGRADE] = {"RE-GRADE", "盲评复检"},
    [S_ITEM_SCAN_TITLE] = {"Scan the item's barcode or serial", "请扫描商品条码或序列号"},
    [S_ITEM_SCAN_WAITING] = {"Waiting for scanner...", "等待扫描…"},
    [S_ITEM_SCANNED] = {"Item scanned", "商品已扫描"},
    [S_ITEM_BLIND_TITLE] = {"Blind receipt", "盲收"},
    [S_ITEM_BLIND_SUB] = {"%s is not in the manifest", "%s 不在退货清单中"},
    [S_PICK_TITLE] = {"Choose the category", "请选择品类"},
    [S_PICK_SUB] = {"%s: no checklist matches this item", "%s：没有与此商品匹配的检查单"},
    [S_EXISTING_TITLE] = {"Already graded", "已质检"},
    [S_EXISTING_WHEN] = {"%s by %s", "%s，质检员 %s"},
    [S_REGRADE] = {"Re-grade", "重新质检"},
    [S_REPRINT] = {"Reprint label", "重印标签"},

    [S_QUESTION_OF] = {"Question %d of %d", "第 %d 题，共 %d 题"},

    [S_GRADE] = {"Overall grade", "总评等级"},
    [S_DISPOSITION] = {"Goes to", "去向"},
    [S_DEFECTS] = {"Defects", "缺陷"},
    [S_NO_DEFECTS] = {"No defects", "无缺陷"},
    [S_RESPONSIBILITY] = {"Responsibility", "责任方"},
    [S_SUGGESTED] = {"Suggested: %s", "建议：%s"},
    [S_SAVING] = {"Saving...", "正在保存…"},
    [S_NOT_SAVED] = {"Not saved yet — retrying", "尚未保存 — 正在重试"},
    [S_NOT_SAVED_HINT] = {"The inspection is kept on this screen until it is saved.",
                          "保存成功之前，本次质检会一直保留在此界面。"},
    [S_GRADE_NONE] = {"—", "—"},

    [S_ASPECT_COSMETIC] = {"Cosmetic", "外观"},
    [S_ASPECT_FUNCTIONAL] = {"Functional", "功能"},
    [S_ASPECT_COMPLETENESS] = {"Completeness", "完整性"},

    [S_RESP_NONE] = {"None", "无"},
    [S_RESP_MERCHANT] = {"Merchant", "商家"},
    [S_RESP_LOGISTICS] = {"Logistics", "物流"},
    [S_RESP_CUSTOMER] = {"Customer", "顾客"},
    [S_RESP_PLATFORM] = {"Platform", "平台"},

    [S_ROLE_GRADER] = {"Grader", "质检员"},
    [S_ROLE_SUPERVISOR] = {"Supervisor", "主管"},
    [S_ROLE_ADMIN] = {"Admin", "管理员"},

    [S_DISP_RESTOCK] = {"Restock", "重新上架"},
    [S_DISP_OPEN_BOX] = {"Open box", "开箱特价"},
    [S_DISP_REFURBISH] = {"Refurbish", "翻新"},
    [S_DISP_RETURN_TO_VENDOR] = {"Return to vendor", "退回供应商"},
    [S_DISP_LIQUIDATE] = {"Liquidate", "清仓处理"},
    [S_DISP_SCRAP] = {"Scrap", "报废"},

    [S_STATS_TITLE] = {"Statistics", "统计"},
    [S_STATS_SOON] = {"Grading charts for supervisors will appear here.",
                      "主管查看的质检统计图表将显示在这里。"},

    [S_STATUS_LABELS] = {"Labels %d", "待打印 %d"},
    [S_STATUS_OUTBOX] = {"Outbox %d", "待上传 %d"},
    [S_STATUS_SYNC_ERROR] = {"Sync error", "同步出错"},
    [S_STATUS_SYNCED] = {"Sent %s", "已上传 %s"},
    [S_STATE_READY] = {"ready", "就绪"},
    [S_STATE_OFFLINE] = {"offline", "离线"},
    [S_STATE_ERROR] = {"error", "错误"},
    [S_STATE_BUSY] = {"busy", "忙碌"},
    [S_STATE_PAPER_OUT] = {"out of labels", "缺纸"},
    [S_STATE_PAUSED] = {"paused", "已暂停"},
};

/* How a message uses the view's msg_arg and msg_num. */
enum msg_args { MA_NONE, MA_STR, MA_NUM, MA_OPT_STR /* ": arg" appended when arg is set */ };

static const struct {
    enum msg_args args;
    const char *text[LANG_COUNT];
} messages[MSG_COUNT] = {
    [MSG_NONE] = {MA_NONE, {"", ""}},
    [MSG_SAVED] = {MA_STR, {"Saved %s", "已保存 %s"}},
    [MSG_UNKNOWN_CODE] = {MA_STR, {"Unknown code: %s", "无法识别的条码：%s"}},
    [MSG_UNKNOWN_BADGE] = {MA_STR, {"Unknown badge: %s", "未知工牌：%s"}},
    [MSG_BAD_PIN] = {MA_NUM, {"Wrong PIN — %d tries left", "PIN 码错误，还可再试 %d 次"}},
    [MSG_LOCKED] = {MA_NUM, {"Badge locked — try again in %d min", "工牌已锁定，请 %d 分钟后再试"}},
    [MSG_SAVE_FAILED] = {MA_STR, {"Not saved: %s", "未保存：%s"}},
    [MSG_NOT_ALLOWED] = {MA_NONE, {"Statistics need a supervisor login", "查看统计需要主管登录"}},
    [MSG_ITEM_OK] = {MA_NONE, {"Item matches the manifest", "商品与退货清单一致"}},
    [MSG_ITEM_MISMATCH] = {MA_STR, {"Not the expected item: %s", "与预期商品不符：%s"}},
    [MSG_PICK_CATEGORY] = {MA_NONE,
                           {"No checklist for this item: choose the category",
                            "此商品没有对应的检查单：请选择品类"}},
    [MSG_LOGGED_OUT] = {MA_NONE, {"Logged out after being idle", "长时间未操作，已自动退出"}},
    [MSG_STORE_ERROR] = {MA_OPT_STR, {"Lookup failed", "查询失败"}},
    [MSG_REPRINTED] = {MA_STR, {"Label printed again: %s", "已重新打印标签：%s"}},
    [MSG_CALIBRATION] = {MA_STR,
                         {"Blind re-grade of %s: grade it as you find it",
                          "%s 盲评复检：请按实际情况评级"}},
    [MSG_CALIBRATION_SAVED] = {MA_STR, {"Re-grade of %s saved (calibration)",
                                        "已保存 %s 的复检（校准记录）"}},
    [MSG_STATS_BAD_DATE] = {MA_STR, {"Not a date: %s (type YYYY-MM-DD YYYY-MM-DD)",
                                     "日期无效：%s（请输入 YYYY-MM-DD YYYY-MM-DD）"}},
    [MSG_STATS_REVERSED] = {MA_NONE, {"The range is reversed: its start is after its end",
                                      "日期范围颠倒：开始日期晚于结束日期"}},
    [MSG_STATS_TOO_LONG] = {MA_NUM, {"The range is longer than %d days",
                                     "日期范围超过 %d 天"}},
};

const char *i18n_raw(enum str id, enum lang lang)
{
    if ((unsigned)id >= S_COUNT || (unsigned)lang >= LANG_COUNT)
        return NULL;
    return table[id][lang];
}

const char *i18n_msg_raw(enum msg m, enum lang lang)
{
    if ((unsigned)m >= MSG_COUNT || (unsigned)lang >= LANG_COUNT)
        return NULL;
    return messages[m].text[lang];
}

const char *tr(enum lang lang, enum str id)
{
    if ((unsigned)id >= S_COUNT)
        return "";
    if ((unsigned)lang < LANG_COUNT && table[id][lang])
        return table[id][lang];
    return table[id][LANG_EN] ? table[id][LANG_EN] : "";
}

char *trf(char *out, size_t outlen, enum lang lang, enum str id, ...)
{
    va_list ap;
    va_start(ap, id);
    vsnprintf(out, outlen, tr(lang, id), ap);
    va_end(ap);
    return out;
}

char *i18n_msg(char *out, size_t outlen, enum lang lang, enum msg m, const char *arg, int num)
{
    if (outlen == 0)
        return out;
    out[0] = 0;
    if ((unsigned)m >= MSG_COUNT)
        return out;
    const char *fmt = i18n_msg_raw(m, lang);
    if (!fmt)
        fmt = messages[m].text[LANG_EN] ? messages[m].text[LANG_EN] : "";
    if (!arg)
        arg = "";
    switch (messages[m].args) {
    case MA_NONE: snprintf(out, outlen, "%s", fmt); break;
    case MA_STR: snprintf(out, outlen, fmt, arg); break;
    case MA_NUM: snprintf(out, outlen, fmt, num); break;
    case MA_OPT_STR:
        if (arg[0])
            snprintf(out, outlen, "%s%s%s", fmt, lang == LANG_ZH ? "：" : ": ", arg);
        else
            snprintf(out, outlen, "%s", fmt);
        break;
    }
    return out;
}

const char *i18n_disposition(enum lang lang, const char *id)
{
    static const struct {
        const char *id;
        enum str s;
    } known[] = {
        {"restock", S_DISP_RESTOCK},     {"open_box", S_DISP_OPEN_BOX},
        {"refurbish", S_DISP_REFURBISH}, {"return_to_vendor", S_DISP_RETURN_TO_VENDOR},
        {"liquidate", S_DISP_LIQUIDATE}, {"scrap", S_DISP_SCRAP},
    };
    if (!id)
        return "";
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strcmp(id, known[i].id) == 0)
            return tr(lang, known[i].s);
    return id;
}

const char *i18n_responsibility(enum lang lang, enum responsibility r)
{
    static const enum str ids[RESP_COUNT] = {S_RESP_NONE, S_RESP_MERCHANT, S_RESP_LOGISTICS,
                                             S_RESP_CUSTOMER, S_RESP_PLATFORM};
    return (unsigned)r < RESP_COUNT ? tr(lang, ids[r]) : "";
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

const char *i18n_aspect(enum lang lang, enum aspect a)
{
    static const enum str ids[ASPECT_COUNT] = {S_ASPECT_COSMETIC, S_ASPECT_FUNCTIONAL,
                                               S_ASPECT_COMPLETENESS};
    return (unsigned)a < ASPECT_COUNT ? tr(lang, ids[a]) : "";
}

const char *i18n_device_state(enum lang lang, const char *state)
{
    static const struct {
        const char *word;
        enum str s;
    } known[] = {
        {"ready", S_STATE_READY},
        {"offline", S_STATE_OFFLINE},
        {"error", S_STATE_ERROR},
        {"busy", S_STATE_BUSY},
        {"paper out", S_STATE_PAPER_OUT},
        {"paused", S_STATE_PAUSED},
    };
    if (!state)
        return "";
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strcmp(state, known[i].word) == 0)
            return tr(lang, known[i].s);
    return state;
}

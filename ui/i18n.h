/*
 * i18n.h — every text the screens show, statistics included, in English and
 * Simplified Chinese: one table (I18N_TABLE below), one lookup (tr()).
 *
 * Each row of the table is a string id with its English and its Chinese
 * text. The table makes both the ids (enum str, here) and the texts
 * (i18n.c), so a row cannot lose a language and an id cannot be given twice:
 * either fails to compile. Texts with arguments are printf formats; both
 * languages of an id take the same conversions in the same order.
 * tests/test_ui.c checks every row (both texts non-empty, valid UTF-8, the
 * same conversions, every character in the font, no two rows alike, every
 * id used) and that the screens' sources hold no words of their own.
 *
 * The core's messages (enum msg) are rows here too (S_MSG_…); i18n_msg()
 * finds a message's row and fills in its argument. Texts that come from the
 * rules file (categories, checks, answers, defects) are not here: they carry
 * their own languages (text_get()).
 */
#ifndef TRIAGE_UI_I18N_H
#define TRIAGE_UI_I18N_H

#include <stddef.h>

#include "inspection.h"
#include "lang.h"
#include "station.h"

/* clang-format off */
#define I18N_TABLE(X) \
    /* ---- every screen ---- */ \
    X(S_NOT_LOGGED_IN,       "Not logged in", "未登录") \
    X(S_LANG_NAME,           "English", "中文") /* this language's own name */ \
    X(S_LANG_SHORT,          "EN", "中文") \
    X(S_OK,                  "OK", "确定") \
    X(S_BACK,                "Back", "返回") \
    X(S_CONTINUE,            "Continue", "继续") \
    X(S_CONFIRM,             "Confirm", "确认") \
    X(S_RETRY,               "Retry now", "立即重试") \
    X(S_TYPE_HINT,           "Typed by hand? Press Enter when done", "手动输入后按回车键") \
    X(S_WAITING_SCANNER,     "Waiting for scanner...", "等待扫描…") /* an empty scan field */ \
    X(S_DASH,                "—", "—") /* nothing to show: no grade, no value */ \
    X(S_WHEN_BY,             "%s by %s", "%s，质检员 %s") /* %s: time, %s: badge */ \
    X(S_DETAIL_SEP,          ": ", "：") /* between a message and its detail */ \
    \
    /* ---- login ---- */ \
    X(S_LOGIN_BADGE_TITLE,   "Scan your badge", "请扫描工牌") \
    X(S_LOGIN_BADGE_SUB,     "or type its number and tap OK", "或输入工牌号后点“确定”") \
    X(S_LOGIN_BADGE_WAIT,    "Waiting for badge...", "等待扫描工牌…") \
    X(S_LOGIN_HELLO,         "Badge %s", "工牌 %s") /* %s: the badge, never its name */ \
    X(S_LOGIN_PIN_TITLE,     "Enter your PIN", "请输入 PIN 码") \
    X(S_LOGIN_PIN_SUB,       "Then tap OK", "输入后点“确定”") \
    X(S_LOGIN_PIN_EMPTY,     "PIN", "PIN 码") \
    X(S_LOGIN_CHECKING,      "Checking your PIN...", "正在核对 PIN 码…") \
    \
    /* ---- scan ---- */ \
    X(S_SCAN_TITLE,          "Scan the return label", "请扫描退货标签") \
    X(S_SCAN_SUB,            "RMA barcode, QR code or GS1 label", "RMA 条码、二维码或 GS1 标签") \
    X(S_SCAN_LAST,           "Last saved", "上一件已保存") \
    X(S_SCAN_NONE_YET,       "Nothing saved yet", "尚未保存任何商品") \
    X(S_SCAN_COUNT,          "%d saved this session", "本次登录已保存 %d 件") \
    X(S_LOGOUT,              "Log out", "退出登录") \
    X(S_STATS,               "Statistics", "统计") \
    \
    /* ---- item ---- */ \
    X(S_ITEM_EXPECTED,       "Expected item", "预期商品") \
    X(S_ITEM_SKU,            "SKU", "SKU") \
    X(S_ITEM_RMA,            "RMA", "RMA") \
    X(S_ITEM_ORDER,          "Order", "订单号") \
    X(S_ITEM_REASON,         "Declared reason", "申报退货原因") \
    X(S_ITEM_DELIVERED,      "Delivered", "签收日期") \
    X(S_ITEM_CATEGORY,       "Category", "品类") \
    X(S_ITEM_NO_CATEGORY,    "No category yet", "尚未选择品类") \
    X(S_BADGE_LATE,          "LATE", "逾期") \
    X(S_BADGE_MISMATCH,      "MISMATCH", "不符") \
    X(S_BADGE_BLIND,         "BLIND", "盲收") \
    X(S_BADGE_REGRADE,       "RE-GRADE", "盲评复检") /* a blind re-grade (calibration) */ \
    X(S_BADGE_WRONG_ITEM,    "WRONG ITEM", "错发商品") /* another product than the manifest's */ \
    X(S_BADGE_UNIT,          "Unit %d of %d", "第 %d/%d 件") /* %d: this unit, %d: units expected */ \
    X(S_BADGE_EXTRA,         "EXTRA UNIT", "超出数量") /* one more unit than expected */ \
    X(S_ITEM_SCAN_TITLE,     "Scan the item's barcode or serial", "请扫描商品条码或序列号") \
    X(S_ITEM_BLIND_TITLE,    "Blind receipt", "盲收") \
    X(S_ITEM_BLIND_SUB,      "%s is not in the manifest", "%s 不在退货清单中") /* %s: the RMA */ \
    X(S_PICK_TITLE,          "Choose the category", "请选择品类") \
    X(S_PICK_SUB,            "%s: no checklist matches this item", "%s：没有与此商品匹配的检查单") \
    X(S_EXISTING_TITLE,      "Already graded", "已质检") \
    X(S_ITEM_UNITS_LEFT,     "%d more expected after this one", "此后还应收到 %d 件") \
    X(S_ITEM_CHECK,          "Item", "商品核对") /* what the item check found */ \
    X(S_CHECK_MATCHED,       "Matches the manifest", "与清单一致") \
    X(S_CHECK_MISMATCHED,    "Another serial", "序列号不符") \
    X(S_CHECK_WRONG,         "Another product", "不是清单上的商品") \
    X(S_CHECK_UNVERIFIED,    "Not verifiable", "无法核对") \
    X(S_CHECK_SKIPPED,       "Not scanned", "未扫描") \
    X(S_CHECK_BLIND,         "Not in the manifest", "不在清单中") \
    X(S_WRONG_SUB,           "Expected %s, scanned %s: choose the category of the item in hand", \
                             "预期 %s，扫描到 %s：请按手中的商品选择品类") \
    X(S_EXPECTED_SCANNED,    "Expected %s · scanned %s", "预期 %s · 扫描到 %s") \
    X(S_EXTRA_UNIT,          "One more unit", "再收一件") \
    X(S_REGRADE,             "Re-grade", "重新质检") \
    X(S_REPRINT,             "Reprint label", "重印标签") \
    X(S_OVERRIDE_GRADE,      "Change grade", "更改等级") \
    X(S_RULES_GRADE,         "Rules: %s", "规则：%s") /* %s: the grade the rules decided */ \
    X(S_AUTH_TITLE,          "Supervisor or admin", "主管或管理员授权") \
    X(S_AUTH_REGRADE,        "Re-grade %s, graded by another grader", "重新质检 %s（其他质检员的结果）") \
    X(S_AUTH_OVERRIDE_GRADE, "Change the grade of %s", "更改 %s 的等级") \
    X(S_AUTH_DISCARD_DRAFT,  "Discard the unfinished inspection %s", "放弃未完成的质检 %s") \
    X(S_AUTH_BADGE,          "Scan or type the badge", "请扫描或输入工牌") \
    X(S_AUTH_PIN,            "PIN of badge %s", "工牌 %s 的 PIN 码") \
    X(S_CANCEL,              "Cancel", "取消") \
    X(S_OPERATORS,           "Operators", "操作员") \
    X(S_OPERATORS_SUB,       "Up and Down choose; U unlocks; D disables or enables. New PINs: triage operator reset-pin", \
                             "上下键选择；U 解锁；D 停用或启用。新 PIN 码：triage operator reset-pin") \
    X(S_OP_BADGE,            "Badge", "工牌") \
    X(S_OP_NAME,             "Name", "姓名") \
    X(S_OP_ROLE,             "Role", "角色") \
    X(S_OP_STATE,            "State", "状态") \
    X(S_OP_ACTIVE,           "Active", "正常") \
    X(S_OP_DISABLED,         "Disabled", "已停用") \
    X(S_OP_LOCKED,           "Locked, %d min left", "已锁定，还剩 %d 分钟") \
    X(S_OP_FAILURES,         "Active, %d wrong PINs", "正常，PIN 码错误 %d 次") \
    X(S_OP_UNLOCK,           "Unlock", "解锁") \
    X(S_OP_DISABLE,          "Disable", "停用") \
    X(S_OP_ENABLE,           "Enable", "启用") \
    X(S_OP_NONE,             "No operators", "没有操作员") \
    X(S_SERVICE,             "Service", "维护") \
    X(S_SERVICE_SUB,         "The station's own checks, as triage selfcheck. Up and Down scroll; R checks again", \
                             "本工位的自检，与 triage selfcheck 相同。上下键滚动；R 重新检查") \
    X(S_SERVICE_CHECKING,    "Checking…", "正在检查…") \
    X(S_SERVICE_CHECKED,     "Checked %s: %d of %d need attention", "检查于 %s：%d 项需要处理，共 %d 项") /* %s: time */ \
    X(S_SERVICE_NOT_RUN,     "The checks could not run (see the log)", "无法运行自检（请查看日志）") \
    X(S_SERVICE_AGAIN,       "Check again", "重新检查") \
    X(S_SERVICE_OK,          "OK", "正常") \
    X(S_SERVICE_WARN,        "Look", "注意") \
    X(S_SERVICE_ERR,         "Fault", "故障") \
    X(S_CHECK_USER,          "User", "用户") \
    X(S_CHECK_VIDEO,         "Video", "显示") \
    X(S_CHECK_INPUT,         "Input devices", "输入设备") \
    X(S_CHECK_SCANNER,       "Scanner", "扫描枪") \
    X(S_CHECK_PRINTER,       "Printer", "打印机") \
    X(S_CHECK_HEAD_OFFICE,   "Head office", "总部") \
    X(S_CHECK_DATA,          "Data folder", "数据目录") \
    X(S_CHECK_DISK,          "Disk", "磁盘") \
    X(S_CHECK_DATABASE,      "Database", "数据库") \
    \
    /* ---- resume ---- */ \
    X(S_RESUME_TITLE,        "You left an inspection unfinished", "您有一件未完成的质检") \
    X(S_RESUME_ANSWERED,     "%d of %d questions answered", "已回答 %d 题，共 %d 题") \
    X(S_RESUME_SAVED,        "Last answer %s", "最后作答于 %s") /* %s: date and time */ \
    X(S_RESUME_HINT,         "Continue where you stopped, or discard it and scan the next return.", \
                             "可以从中断处继续，或放弃后扫描下一件退货。") \
    X(S_DISCARD,             "Discard", "放弃") \
    \
    /* ---- logging out in the middle of an inspection ---- */ \
    X(S_LOGOUT_TITLE,        "Log out now?", "现在退出登录？") \
    X(S_LOGOUT_KEPT,         "The inspection of %s is kept and offered again at your next login.", \
                             "%s 的质检会保留，下次登录时可以继续。") \
    X(S_KEEP_GRADING,        "Keep grading", "继续质检") \
    \
    /* ---- check ---- */ \
    X(S_QUESTION_OF,         "Question %d of %d", "第 %d 题，共 %d 题") \
    X(S_PICTURE_MISSING,     "Reference picture not found", "找不到参考图片") \
    \
    /* ---- summary ---- */ \
    X(S_GRADE,               "Overall grade", "总评等级") \
    X(S_DISPOSITION,         "Goes to", "去向") \
    X(S_DEFECTS,             "Defects", "缺陷") \
    X(S_NO_DEFECTS,          "No defects", "无缺陷") \
    X(S_RESPONSIBILITY,      "Responsibility", "责任方") \
    X(S_SUGGESTED,           "Suggested: %s", "建议：%s") /* %s: the responsibility */ \
    X(S_SUGGESTED_WHY,       "Suggested: %s — %s", "建议：%s — %s") /* %s: responsibility, %s: why */ \
    X(S_RESOLUTION,          "Resolution", "处理方式") \
    X(S_OVERRIDE_TITLE,      "Why %s and not %s as suggested?", "为什么是%s，而不是建议的%s？") \
    X(S_OVERRIDE_HINT,       "Choose the reason: 1 to %d", "请选择原因：1 至 %d") \
    /* the declared reason against what was found */ \
    X(S_REASON_DECLARED,     "Declared: %s", "申报：%s") \
    X(S_REASON_CONFIRMED,    "Declared: %s — confirmed: %s", "申报：%s — 属实：%s") \
    X(S_REASON_CONFIRMED_BARE, "Declared: %s — confirmed", "申报：%s — 属实") \
    X(S_REASON_NOT_FOUND,    "Declared: %s — not found: %s", "申报：%s — 未发现：%s") \
    X(S_REASON_NOT_FOUND_BARE, "Declared: %s — not found", "申报：%s — 未发现") \
    X(S_REASON_NOT_QUALITY,  "Declared: %s — not a quality reason", "申报：%s — 非质量原因") \
    X(S_REASON_NONE,         "No reason declared", "未申报退货原因") \
    X(S_FOUND_COSMETIC_OK,   "no cosmetic damage", "外观无损伤") \
    X(S_FOUND_FUNCTIONAL_OK, "every function check passed", "所有功能检查均通过") \
    X(S_FOUND_COMPLETENESS_OK, "nothing missing", "配件齐全") \
    X(S_FOUND_ASPECT,        "%s grade %s", "%s%s级") /* %s: aspect, %s: grade */ \
    X(S_FOUND_NO_ASPECT,     "%s: not checked", "%s：未检查") \
    X(S_FOUND_GRADE,         "overall grade %s", "总评 %s级") \
    X(S_FOUND_ANSWER,        "%s: %s", "%s：%s") /* %s: a check, %s: its answer */ \
    X(S_FOUND_NOT_ASKED,     "%s: not asked", "%s：未询问") \
    X(S_FOUND_LATE,          "returned late", "逾期退回") \
    X(S_FOUND_IN_TIME,       "returned in time", "按时退回") \
    X(S_LIST_SEP,            ", ", "，") \
    X(S_SAVING,              "Saving...", "正在保存…") \
    X(S_NOT_SAVED,           "Not saved yet — retrying", "尚未保存 — 正在重试") \
    X(S_NOT_SAVED_HINT,      "The inspection is kept on this screen until it is saved.", \
                             "保存成功之前，本次质检会一直保留在此界面。") \
    \
    /* ---- words for the core's enums and ids ---- */ \
    X(S_ASPECT_COSMETIC,     "Cosmetic", "外观") \
    X(S_ASPECT_FUNCTIONAL,   "Functional", "功能") \
    X(S_ASPECT_COMPLETENESS, "Completeness", "完整性") \
    X(S_RESP_NONE,           "None", "无") \
    X(S_RESP_MERCHANT,       "Merchant", "商家") \
    X(S_RESP_LOGISTICS,      "Logistics", "物流") \
    X(S_RESP_CUSTOMER,       "Customer", "顾客") \
    X(S_RESP_PLATFORM,       "Platform", "平台") \
    X(S_ROLE_GRADER,         "Grader", "质检员") \
    X(S_ROLE_SUPERVISOR,     "Supervisor", "主管") \
    X(S_ROLE_ADMIN,          "Admin", "管理员") \
    X(S_DISP_RESTOCK,        "Restock", "重新上架") \
    X(S_DISP_OPEN_BOX,       "Open box", "开箱特价") \
    X(S_DISP_REFURBISH,      "Refurbish", "翻新") \
    X(S_DISP_RETURN_TO_VENDOR, "Return to vendor", "退回供应商") \
    X(S_DISP_LIQUIDATE,      "Liquidate", "清仓处理") \
    X(S_DISP_SCRAP,          "Scrap", "报废") \
    /* declared return reasons of the manifest */ \
    X(S_REASON_DEFECTIVE,    "Defective", "故障") \
    X(S_REASON_NOT_AS_DESCRIBED, "Not as described", "与描述不符") \
    X(S_REASON_CHANGED_MIND, "Changed mind", "不想要了") \
    X(S_REASON_DAMAGED_IN_TRANSIT, "Damaged in transit", "运输损坏") \
    X(S_REASON_DAMAGED,      "Damaged", "损坏") \
    X(S_REASON_WRONG_ITEM,   "Wrong item sent", "发错商品") \
    X(S_REASON_WRONG_SIZE,   "Wrong size", "尺码不合适") \
    X(S_REASON_NO_LONGER_NEEDED, "No longer needed", "不再需要") \
    X(S_RES_NONE,            "Not decided", "未决定") \
    X(S_RES_REFUND,          "Refund", "退款") \
    X(S_RES_PARTIAL_REFUND,  "Partial refund", "部分退款") \
    X(S_RES_EXCHANGE,        "Exchange", "换货") \
    X(S_RES_REPAIR,          "Repair", "维修") \
    X(S_RES_REJECT,          "Reject the return", "拒绝退货") \
    X(S_RES_INVESTIGATE,     "Investigate", "调查处理") \
    X(S_RT_QUALITY,          "Quality return: the seller pays shipping", "质量问题退货：运费由卖家承担") \
    X(S_RT_NON_QUALITY,      "Non-quality return: the customer pays shipping", \
                             "非质量问题退货：运费由顾客承担") \
    \
    /* ---- the top bar: devices and queues ---- */ \
    X(S_STATUS_LABELS,       "Labels %d", "待打印 %d") \
    X(S_STATUS_PRINTER,      "printer", "打印机") \
    X(S_STATUS_OUTBOX,       "Outbox %d", "待上传 %d") \
    X(S_STATUS_SYNC_ERROR,   "Sync error", "同步出错") \
    X(S_STATUS_SYNCED,       "Sent %s", "已上传 %s") /* %s: time of the last finished sync */ \
    X(S_STATUS_DISK_LOW,     "Disk low: %d MB free", "磁盘空间不足：剩余 %d MB") \
    X(S_STATE_READY,         "ready", "就绪") \
    X(S_STATE_OFFLINE,       "offline", "离线") \
    X(S_STATE_ERROR,         "error", "错误") \
    X(S_STATE_BUSY,          "busy", "忙碌") \
    X(S_STATE_PAPER_OUT,     "out of labels", "缺纸") /* out of labels or ribbon */ \
    X(S_STATE_PAUSED,        "paused", "已暂停") /* paused or with its head open */ \
    \
    /* ---- the core's messages (enum msg), in the message bar ---- */ \
    X(S_MSG_SAVED,           "Saved %s", "已保存 %s") \
    X(S_MSG_UNKNOWN_CODE,    "Unknown code: %s", "无法识别的条码：%s") \
    X(S_MSG_BAD_PIN,         "Badge or PIN not recognised", "工牌或 PIN 码不正确") \
    X(S_MSG_LOCKED,          "Badge locked — try again in %d min", "工牌已锁定，请 %d 分钟后再试") \
    X(S_MSG_SAVE_FAILED,     "Not saved: %s", "未保存：%s") \
    X(S_MSG_NOT_ALLOWED,     "Only a supervisor or admin may do this", "只有主管或管理员可以执行此操作") \
    X(S_MSG_ITEM_OK,         "Item matches the manifest", "商品与退货清单一致") \
    X(S_MSG_ITEM_MISMATCH,   "Not the expected item: %s", "与预期商品不符：%s") \
    X(S_MSG_PICK_CATEGORY,   "No checklist for this item: choose the category", \
                             "此商品没有对应的检查单：请选择品类") \
    X(S_MSG_LOGGED_OUT,      "Logged out after being idle", "长时间未操作，已自动退出") \
    X(S_MSG_STORE_ERROR,     "Lookup failed", "查询失败") /* ": detail" is appended */ \
    X(S_MSG_REPRINTED,       "Label printed again: %s", "已重新打印标签：%s") \
    X(S_MSG_CALIBRATION,     "Blind re-grade of %s: grade it as you find it", \
                             "%s 盲评复检：请按实际情况评级") \
    X(S_MSG_CALIBRATION_SAVED, "Re-grade of %s saved (calibration)", "已保存 %s 的复检（校准记录）") \
    X(S_MSG_STATS_BAD_DATE,  "Not a date: %s (type YYYY-MM-DD YYYY-MM-DD)", \
                             "日期无效：%s（请输入 YYYY-MM-DD YYYY-MM-DD）") \
    X(S_MSG_STATS_REVERSED,  "The range is reversed: its start is after its end", \
                             "日期范围颠倒：开始日期晚于结束日期") \
    X(S_MSG_STATS_TOO_LONG,  "The range is longer than %d days", "日期范围超过 %d 天") \
    X(S_MSG_ITEM_WRONG,      "Another product: %s — choose the category of the item in hand", \
                             "不是预期的商品：%s，请按手中的商品选择品类") \
    X(S_MSG_ITEM_UNVERIFIED, "Scanned %s: the manifest has nothing of that kind to compare", \
                             "已扫描 %s：退货清单中没有可比对的信息") \
    X(S_MSG_ITEM_SKIPPED,    "Item not scanned: recorded as not verified", "未扫描商品：记录为未核对") \
    X(S_MSG_ALL_GRADED,      "%s: every unit is graded (%d); this is its latest outcome", \
                             "%s：全部 %d 件已质检，以下为最新结果") \
    X(S_MSG_EXTRA_UNIT,      "%s: unit %d, one more than expected", "%s：第 %d 件，超出预期数量") \
    X(S_MSG_SAVED_MORE,      "Saved %s — %d more units of this return expected", \
                             "已保存 %s，此退货还应收到 %d 件") \
    X(S_MSG_DRAFT_RESUMED,   "Going on with %s where you stopped", "继续 %s 的质检") \
    X(S_MSG_DRAFT_DISCARDED, "Unfinished inspection of %s discarded", "已放弃 %s 的未完成质检") \
    X(S_MSG_CODE_TOO_LONG,   "Code too long: at most %d characters here", "条码过长：此处最多 %d 个字符") \
    X(S_MSG_AUTH_NEEDED,     "A supervisor or admin must allow this: scan their badge, then their PIN", \
                             "需要主管或管理员授权：请扫描其工牌并输入 PIN 码") \
    X(S_MSG_AUTHORISED,      "Allowed by %s", "已由 %s 授权") \
    X(S_MSG_PICK_GRADE,      "Choose the grade: 1 A, 2 B, 3 C, 4 X", "请选择等级：1 A、2 B、3 C、4 X") \
    X(S_MSG_GRADE_OVERRIDDEN, "Grade changed: %s", "等级已更改：%s") \
    X(S_MSG_OPERATOR_CHANGED, "Operator %s changed", "操作员 %s 已更改") \
    X(S_MSG_SAVED_LABEL_WAITING, "Saved %s — label waiting: printer %s (%d waiting)", \
                             "已保存 %s — 标签等待打印：打印机%s（%d 张待打印）") \
    X(S_MSG_SAVED_SYNC_FAILING, "Saved %s — not sent to head office: sync error %s", \
                             "已保存 %s — 未上传总部：同步出错 %s") \
    X(S_MSG_PHOTO_TAKEN,     "Photo taken (%d with this item)", "已拍照（此商品共 %d 张）") \
    X(S_MSG_PHOTO_FAILED,    "No photo taken: %s", "未拍到照片：%s") \
    X(S_MSG_PHOTO_REQUIRED,  "This answer needs a photo before the item can be saved", \
                             "此答案需要照片，拍照后才能保存") \
    X(S_MSG_CAMERA_MISSING,  "The camera gives no picture: %s", "相机无画面：%s") \
    X(S_MSG_PHOTO_WAIVED,    "Photo waived by %s", "已由 %s 批准免拍照片") \
    \
    /* ---- photo ---- */ \
    X(S_PHOTO_TITLE,         "Take a photo", "拍照") \
    X(S_PHOTO_REQUIRED,      "Required: the item cannot be saved without it", "必拍：没有照片无法保存") \
    X(S_PHOTO_OPTIONAL,      "Optional: Tab goes on without one", "可选：按 Tab 可不拍照继续") \
    X(S_PHOTO_TAKE,          "Take photo", "拍照") \
    X(S_PHOTO_RETAKE,        "Take again", "重拍") \
    X(S_PHOTO_SKIP,          "Without photo", "不拍照") \
    X(S_PHOTO_KEEP,          "Keep this one", "保留已拍照片") \
    X(S_PHOTO_WAIVE,         "Waive (supervisor)", "免拍（需主管）") \
    X(S_PHOTO_TAKING,        "Taking the photo...", "正在拍照…") \
    X(S_PHOTO_HAS_ONE,       "A photo of this answer is kept: taking another replaces it", \
                             "此答案已有照片：重拍将替换它") \
    X(S_PHOTO_NO_CAMERA,     "No picture from the camera", "相机无画面") \
    X(S_PHOTO_WAIVE_HINT,    "Without a camera, a supervisor may let the item go on without its photo (F3)", \
                             "相机不可用时，主管可批准不拍照继续（F3）") \
    X(S_PHOTO_COUNT,         "Photos: %d", "照片：%d 张") \
    X(S_STATS_PHOTO_TAKEN,   "photo", "有照片") /* an answer's evidence, in the detail */ \
    X(S_STATS_PHOTO_WAIVED,  "photo waived by %s", "已由 %s 批准免拍") /* %s: a badge */ \
    \
    /* ---- statistics (supervisors) ---- */ \
    X(S_STATS_TODAY,         "Today", "今天") \
    X(S_STATS_7D,            "7 days", "近 7 天") \
    X(S_STATS_30D,           "30 days", "近 30 天") \
    X(S_STATS_CUSTOM,        "Custom", "自定义") \
    X(S_STATS_PAGE_OVERVIEW, "Overview", "概览") \
    X(S_STATS_PAGE_OUTCOMES, "Outcomes", "去向与责任") \
    X(S_STATS_PAGE_DEFECTS,  "Defects", "缺陷与原因") \
    X(S_STATS_PAGE_GRADERS,  "Graders", "质检员") \
    X(S_STATS_PAGE_TREND,    "Over time", "责任趋势") \
    X(S_STATS_PAGE_PRODUCTS, "Products", "品类与SKU") \
    X(S_STATS_RESP_PER_DAY,  "Who is responsible, day by day", "每日责任方分布") \
    X(S_STATS_ROWS_OF,       "%d–%d of %d · ↑↓", "第 %d–%d 行，共 %d 行 · ↑↓") \
    X(S_STATS_CATEGORIES,    "Categories", "品类") \
    X(S_STATS_TOP_SKUS,      "Top SKUs by returns", "退货最多的 SKU") \
    X(S_STATS_DEFECT_SKUS,   "Top SKUs by defect rate (5 or more returns)", \
                             "缺陷率最高的 SKU（至少 5 件退货）") \
    X(S_STATS_COL_DEFECT_RATE, "With defects", "有缺陷") \
    X(S_STATS_COL_LATE,      "Late", "逾期") \
    X(S_STATS_STEPS_SPREAD,  "Fastest and slowest grader", "最快与最慢的质检员") \
    X(S_STATS_STEP_SPREAD,   "%s %.1f s – %s %.1f s (%d graders)", "%s %.1f 秒 – %s %.1f 秒（%d 名质检员）") \
    X(S_STATS_LIST_ROWS,     "%d–%d of %d, newest first · ↑↓ or drag; tap one to open it", \
                             "第 %d–%d 件，共 %d 件，最新在前 · ↑↓ 或拖动；点击查看详情") \
    X(S_STATS_LIST_TAP,      "Newest first; tap one to open it", "最新在前，点击查看详情") \
    X(S_STATS_DIM_CATEGORY,  "Category %s", "品类 %s") \
    X(S_STATS_DIM_SKU,       "SKU %s", "SKU %s") \
    X(S_STATS_PAGE_STEPS,    "Steps", "步骤用时") \
    X(S_STATS_INSPECTIONS,   "Inspections", "质检件数") \
    X(S_STATS_LATE,          "Late returns", "逾期退货") \
    X(S_STATS_MISMATCH,      "Wrong item", "商品不符") \
    X(S_STATS_DEFECTIVE_OK,  "\"Defective\", works", "申报故障实测正常") \
    X(S_STATS_PER_DAY,       "Inspections per day", "每日质检件数") \
    X(S_STATS_GRADES,        "Grades", "等级分布") \
    X(S_STATS_DISPOSITIONS,  "Where items go", "商品去向") \
    X(S_STATS_RESPONSIBILITY, "Who is responsible", "责任方") \
    X(S_STATS_TOP_DEFECTS,   "Top defects", "最常见缺陷") \
    X(S_STATS_REASONS,       "Declared reason against what was found", "申报退货原因与实际检查结果") \
    X(S_STATS_CONFIRMED,     "Confirmed", "属实") /* the declared reason was found */ \
    X(S_STATS_NOT_FOUND,     "Not found", "未发现") \
    X(S_STATS_NOT_CHECKED,   "Not checked", "未核对") /* not a quality reason, or none */ \
    X(S_STATS_NO_DATA,       "W759: no inspections from %s to %s", "W759：%s 至 %s 没有质检记录") \
    X(S_STATS_COMPUTING,     "Counting...", "正在统计…") \
    X(S_STATS_FROM,          "From", "从") \
    X(S_STATS_TO,            "to", "到") \
    X(S_STATS_TYPE_RANGE,    "or type dates, Enter", "或输入日期后回车") \
    X(S_STATS_COL_ITEMS,     "Items", "件数") \
    X(S_STATS_COL_PER_HOUR,  "Per hour", "每小时") \
    X(S_STATS_COL_MEDIAN,    "Median", "中位用时") \
    X(S_STATS_COL_AGREE,     "Agree", "一致率") \
    X(S_STATS_COL_KAPPA,     "Kappa", "Kappa") \
    X(S_STATS_COL_OVERRIDES, "Overrides", "改判责任") /* responsibility other than suggested */ \
    X(S_STATS_COL_GRADES,    "Grades", "等级") \
    X(S_STATS_STATION,       "Whole station", "全站") \
    X(S_STATS_CAL_LINE,      "Blind re-grades: %lld pairs, %s identical, kappa %s; %lld still to re-grade", \
                             "盲评复检：%lld 对，一致 %s，kappa %s；待复检 %lld 件") \
    X(S_STATS_CAL_NONE,      "No blind re-grades in this range yet; %lld waiting", \
                             "此时间范围内尚无盲评复检；待复检 %lld 件") \
    X(S_STATS_STEPS_TITLE,   "Median seconds per checklist step", "每个检查步骤的中位用时") \
    X(S_STATS_SECONDS,       "%.1f s", "%.1f 秒") \
    X(S_STATS_LIST_TITLE,    "%s: %lld inspections", "%s：共 %lld 件") \
    X(S_STATS_TAP_HINT,      "Tap a bar to list its inspections", "点击柱形可查看对应的质检记录") \
    X(S_STATS_DIM_DAY,       "Day %s", "%s 当天") \
    X(S_STATS_DIM_GRADE,     "Grade %s", "等级 %s") \
    X(S_STATS_DIM_DEFECT,    "Defect %s", "缺陷 %s") \
    X(S_STATS_DIM_REASON,    "Declared: %s", "申报原因：%s") \
    X(S_STATS_DIM_GRADER,    "Grader %s", "质检员 %s") \
    X(S_STATS_ANSWERS,       "Answers", "检查结果")
/* clang-format on */

enum str {
#define I18N_ID(id, en, zh) id,
    I18N_TABLE(I18N_ID)
#undef I18N_ID
    S_COUNT
};

/* The text of `id` in `lang` (English for an unknown language, "" for an
 * unknown id). Never NULL. */
const char *tr(enum lang lang, enum str id);

/* The text of `id` formatted with printf arguments into out. Returns out. */
char *trf(char *out, size_t outlen, enum lang lang, enum str id, ...);

/* The words of a core message with its argument and number, without the
 * error id (the caller shows msg_error_id() beside it); "" for MSG_NONE.
 * Returns out. */
char *i18n_msg(char *out, size_t outlen, enum lang lang, enum msg m, const char *arg, int num);
/* The same with the view's msg_detail (a device state, an error id), which
 * MSG_SAVED_LABEL_WAITING and MSG_SAVED_SYNC_FAILING name. */
char *i18n_msg_detail(char *out, size_t outlen, enum lang lang, enum msg m, const char *arg,
                      int num, const char *detail);

/* The row of a core message; S_COUNT for MSG_NONE and for a message the
 * table lacks. */
enum str i18n_msg_str(enum msg m);

/* A disposition id from the rules ("open_box") in words; the id itself when
 * it is not one the station knows. */
const char *i18n_disposition(enum lang lang, const char *id);
/* A declared return reason from the manifest ("defective") in words; the id
 * itself when unknown. The reason is matched as the rules match it: lower
 * case, spaces and hyphens as "_" ("No longer needed" → no_longer_needed). */
const char *i18n_reason(enum lang lang, const char *id);
const char *i18n_responsibility(enum lang lang, enum responsibility r);
const char *i18n_resolution(enum lang lang, enum resolution r);
/* "" for RETURN_TYPE_NONE. */
const char *i18n_return_type(enum lang lang, enum return_type t);
const char *i18n_role(enum lang lang, enum role r);
const char *i18n_aspect(enum lang lang, enum aspect a);
/* What an item check found, in words (wrong: another product). */
const char *i18n_item_check(enum lang lang, enum item_check c, bool wrong);
/* A device state word from a driver ("ready", "offline", …); itself when unknown. */
const char *i18n_device_state(enum lang lang, const char *state);

/* The table itself, for tests: a row's text (NULL for an id or language out
 * of range) and its id's name ("S_OK"). */
const char *i18n_raw(enum str id, enum lang lang);
const char *i18n_key(enum str id);

#endif

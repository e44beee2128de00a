/*
 * label.c — the item label: layout, ZPL II writer, PNG painter.
 *
 * Three stages, so both outputs show one label:
 *   1. layout_label() (4x6, 4x3 or 2x1) turns an inspection into a list of items (boxes, text
 *      lines, a Code 128, a QR) in printer dots. All text is measured and,
 *      when too long, wrapped or shortened with "…" here, with the TTF font.
 *      The barcodes are encoded here with zint (their size decides where
 *      they go).
 *   2. zpl_write() prints the list as ZPL II.
 *   3. paint() draws the list into an 8-bit grey surface (0 black … 255
 *      white) that IMG_SavePNG writes.
 *
 * The maker owns the fonts, one TTF_Font per size the layout uses (changing
 * a font's size flushes its glyph cache), the canvas, and the layout scratch.
 * Coordinates in the layout code are those of a 203-dpi label; D() scales
 * them to the maker's dpi.
 */
#include "label.h"

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zint.h>

#include "buf.h"
#include "file_map.h"
#include "log.h"
#include "utf8.h"

#define DESIGN_DPI 203
#define ELLIPSIS "\xE2\x80\xA6" /* U+2026 */
#define LAYOUT_MAX_ITEMS 96
#define LAYOUT_ARENA 16384
#define TEXT_MAX 1024 /* bytes of one text before fitting, NUL included */

/* Font sizes of the 203-dpi design, in dots (the em height). */
enum font_slot { F_CAPTION, F_BODY, F_VALUE, F_PLATE, F_SUB, F_DISP, F_GRADE, F_GRADE_S, F_COUNT };
static const struct {
    int size;
    bool bold;
} font_design[F_COUNT] = {
    [F_CAPTION] = {22, true}, [F_BODY] = {30, true}, [F_VALUE] = {34, true},
    [F_PLATE] = {46, true},    [F_SUB] = {70, true},  [F_DISP] = {60, true},
    [F_GRADE] = {230, true},   [F_GRADE_S] = {130, true}, /* the 4x3 label's grade */
};

/* Where the baseline sits in a text cell of height h (ZPL's ^A0 cell): the
 * PNG puts the TTF baseline there so both renderings line up. */
#define BASELINE_RATIO 0.80

/* How far below its ^FO a printer draws a ^BQ symbol (the ^BY height). */
#define QR_DROP 10

enum item_kind { IT_BOX, IT_TEXT, IT_CODE128, IT_QR };

struct item {
    enum item_kind kind;
    int x, y, w, h;   /* box; text: the cell (h = font size); barcode: its extent */
    int thick;        /* IT_BOX: border; >= min(w, h) / 2 fills the box */
    int font;         /* IT_TEXT: font slot */
    char align;       /* IT_TEXT: 'L', 'C', 'R' within w */
    bool reverse;     /* IT_TEXT: white on the black box under it */
    int module;       /* barcodes: dots per module */
    const char *text; /* IT_TEXT: one line, fitted; barcodes: the data */
};

struct layout {
    int n;
    bool full; /* ran out of items or arena: a bug in the layout, reported */
    struct item it[LAYOUT_MAX_ITEMS];
    struct item spare; /* written to when it[] is full */
    size_t used;
    char arena[LAYOUT_ARENA];
    struct zint_symbol *code128, *qr; /* encoded; owned here */
};

enum label_size { SIZE_4X6, SIZE_4X3, SIZE_2X1 };

struct label_maker {
    enum label_size size;
    int dpi, width, height; /* dots */
    double scale;           /* dpi / DESIGN_DPI */
    char font_path[512];
    struct file_map font_file; /* every size opens from this one mapping */
    bool ttf_inited;
    TTF_Font *font[F_COUNT];
    int font_px[F_COUNT];
    int ellipsis_w[F_COUNT];
    SDL_Surface *canvas; /* INDEX8, grey palette; made on first use */
    struct layout lay;
    enum lang lang;            /* the label's words */
    const struct rules *rules; /* names of defects, reasons, categories; may be NULL */
    char err[256];
};

/* ------------------------------------------------------------------ words */

/* What the label says besides the inspection's own data, in each language
 * (label.h). English stays printable ASCII: it is sent as ZPL text. */
enum label_word {
    LW_STATION, LW_GRADE, LW_COSMETIC, LW_FUNCTIONAL, LW_COMPLETENESS, LW_DEFECTS, LW_NONE,
    LW_RMA, LW_SKU, LW_EXPECTED_SKU, LW_SERIAL, LW_CATEGORY, LW_GRADER, LW_DESCRIPTION,
    LW_SCANNED, LW_RULES, LW_RESPONSIBILITY, LW_RESOLUTION, LW_DECLARED,
    LW_LATE, LW_WRONG_ITEM, LW_MISMATCH, LW_BLIND, LW_REGRADE, LW_UNIT, LW_EXTRA, LW_PHOTOS,
    LW_RESP_NONE, LW_RESP_MERCHANT, LW_RESP_LOGISTICS, LW_RESP_CUSTOMER, LW_RESP_PLATFORM,
    LW_RES_NONE, LW_RES_REFUND, LW_RES_PARTIAL_REFUND, LW_RES_EXCHANGE, LW_RES_REPAIR,
    LW_RES_REJECT, LW_RES_INVESTIGATE, LW_RT_QUALITY, LW_RT_NON_QUALITY,
    LW_RC_CONFIRMED, LW_RC_NOT_FOUND, LW_RC_NOT_QUALITY, LW_REASON_NONE,
    LW_COUNT
};

static const char *const label_words[LW_COUNT][LANG_COUNT] = {
    [LW_STATION] = {"STATION", "工作站"},
    [LW_GRADE] = {"GRADE", "等级"},
    [LW_COSMETIC] = {"COSMETIC", "外观"},
    [LW_FUNCTIONAL] = {"FUNCTIONAL", "功能"},
    [LW_COMPLETENESS] = {"COMPLETENESS", "完整性"},
    [LW_DEFECTS] = {"DEFECTS", "缺陷"},
    [LW_NONE] = {"none", "无"},
    [LW_RMA] = {"RMA", "RMA"},
    [LW_SKU] = {"SKU", "SKU"},
    [LW_EXPECTED_SKU] = {"EXPECTED SKU", "预期SKU"},
    [LW_SERIAL] = {"S/N", "序列号"},
    [LW_CATEGORY] = {"CATEGORY", "品类"},
    [LW_GRADER] = {"GRADER", "质检员"},
    [LW_DESCRIPTION] = {"DESCRIPTION", "描述"},
    [LW_SCANNED] = {"SCANNED", "扫描到"},
    [LW_RULES] = {"RULES", "规则"},
    [LW_RESPONSIBILITY] = {"RESPONSIBILITY", "责任方"},
    [LW_RESOLUTION] = {"RESOLUTION", "处理方式"},
    [LW_DECLARED] = {"DECLARED", "申报原因"},
    [LW_LATE] = {"LATE", "逾期"},
    [LW_WRONG_ITEM] = {"WRONG ITEM", "错发商品"},
    [LW_MISMATCH] = {"MISMATCH", "不符"},
    [LW_BLIND] = {"BLIND", "盲收"},
    [LW_REGRADE] = {"RE-GRADE", "复检"},
    [LW_UNIT] = {"UNIT", "件"},
    [LW_EXTRA] = {"EXTRA", "超出"},
    [LW_PHOTOS] = {"PHOTOS", "照片"},
    [LW_RESP_NONE] = {"NONE", "无"},
    [LW_RESP_MERCHANT] = {"MERCHANT", "商家"},
    [LW_RESP_LOGISTICS] = {"LOGISTICS", "物流"},
    [LW_RESP_CUSTOMER] = {"CUSTOMER", "顾客"},
    [LW_RESP_PLATFORM] = {"PLATFORM", "平台"},
    [LW_RES_NONE] = {"-", "-"},
    [LW_RES_REFUND] = {"REFUND", "退款"},
    [LW_RES_PARTIAL_REFUND] = {"PARTIAL REFUND", "部分退款"},
    [LW_RES_EXCHANGE] = {"EXCHANGE", "换货"},
    [LW_RES_REPAIR] = {"REPAIR", "维修"},
    [LW_RES_REJECT] = {"REJECT", "拒绝退货"},
    [LW_RES_INVESTIGATE] = {"INVESTIGATE", "调查处理"},
    [LW_RT_QUALITY] = {"QUALITY", "质量问题"},
    [LW_RT_NON_QUALITY] = {"NON-QUALITY", "非质量问题"},
    [LW_RC_CONFIRMED] = {"CONFIRMED", "属实"},
    [LW_RC_NOT_FOUND] = {"NOT FOUND", "未发现"},
    [LW_RC_NOT_QUALITY] = {"NOT A QUALITY REASON", "非质量原因"},
    [LW_REASON_NONE] = {"none", "未申报"},
};

static const char *lw(const struct label_maker *m, enum label_word w)
{
    return label_words[w][(unsigned)m->lang < LANG_COUNT ? m->lang : LANG_EN];
}

static const char *resp_word(const struct label_maker *m, enum responsibility r)
{
    return (unsigned)r < RESP_COUNT ? lw(m, (enum label_word)(LW_RESP_NONE + r)) : "";
}

static const char *resolution_word(const struct label_maker *m, enum resolution r)
{
    return (unsigned)r < RESOLUTION_COUNT ? lw(m, (enum label_word)(LW_RES_NONE + r)) : "";
}

/* The resolution and the return type: "REFUND · QUALITY"; "-" when none. */
static void resolution_words(const struct label_maker *m, const struct inspection *insp, char *out,
                             size_t outlen)
{
    const char *res = resolution_word(m, insp->resolution);
    if (insp->return_type == RETURN_TYPE_QUALITY || insp->return_type == RETURN_TYPE_NON_QUALITY)
        snprintf(out, outlen, "%s / %s", res,
                 lw(m, insp->return_type == RETURN_TYPE_QUALITY ? LW_RT_QUALITY
                                                                : LW_RT_NON_QUALITY));
    else
        snprintf(out, outlen, "%s", res);
}

/* The declared reason against what was found: "Defective: NOT FOUND". */
static void reason_words(const struct label_maker *m, const struct inspection *insp, char *out,
                         size_t outlen)
{
    if (!insp->reason[0]) {
        snprintf(out, outlen, "%s", lw(m, LW_REASON_NONE));
        return;
    }
    const struct rules_reason *r = rules_reason(m->rules, insp->reason);
    const char *name = r ? text_get(&r->text, m->lang) : insp->reason;
    switch (insp->reason_check) {
    case REASON_CHECK_CONFIRMED: snprintf(out, outlen, "%s: %s", name, lw(m, LW_RC_CONFIRMED)); break;
    case REASON_CHECK_NOT_FOUND: snprintf(out, outlen, "%s: %s", name, lw(m, LW_RC_NOT_FOUND)); break;
    default:
        if (r && !r->quality)
            snprintf(out, outlen, "%s: %s", name, lw(m, LW_RC_NOT_QUALITY));
        else
            snprintf(out, outlen, "%s", name);
        break;
    }
}

/* The defects in words (the rules' names, else the codes), joined by sep. */
static void defect_words(const struct label_maker *m, const struct inspection *insp,
                         const char *sep, char *out, size_t outlen)
{
    out[0] = 0;
    int nd = insp->ndefects < 0 ? 0 : insp->ndefects > INSP_MAX_DEFECTS ? INSP_MAX_DEFECTS
                                                                          : insp->ndefects;
    for (int i = 0; i < nd; i++) {
        char code[sizeof insp->defects[0] + 1];
        snprintf(code, sizeof code, "%.*s", (int)sizeof insp->defects[0], insp->defects[i]);
        const struct text *t = rules_defect_text(m->rules, code);
        size_t o = strlen(out);
        snprintf(out + o, outlen - o, "%s%s", o ? sep : "", t ? text_get(t, m->lang) : code);
    }
}

/* The category in words: its name in the rules, else its id. */
static const char *category_words(const struct label_maker *m, const struct inspection *insp)
{
    const struct rules_category *c = rules_category(m->rules, insp->category);
    return c ? text_get(&c->name, m->lang) : insp->category;
}

/* A disposition in the label's words. */
static void disposition_words(const struct label_maker *m, const char *disposition, char *out,
                              size_t outlen)
{
    static const struct {
        const char *id, *zh;
    } zh[] = {
        {"restock", "重新上架"},  {"open_box", "开箱特价"},          {"refurbish", "翻新"},
        {"return_to_vendor", "退回供应商"}, {"rtv", "退回供应商"}, {"liquidate", "清仓处理"},
        {"scrap", "报废"},
    };
    for (size_t i = 0; m->lang == LANG_ZH && i < sizeof zh / sizeof *zh; i++)
        if (strcmp(disposition, zh[i].id) == 0) {
            snprintf(out, outlen, "%s", zh[i].zh);
            return;
        }
    label_disposition_words(disposition, out, outlen);
}

/* ---------------------------------------------------------------- errors */

static int fail(struct label_maker *m, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct label_maker *m, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->err, sizeof m->err, fmt, ap);
    va_end(ap);
    return rc;
}

static void copy_err(char *err, size_t errlen, const char *text)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", text);
}

static int D(const struct label_maker *m, int design_dots)
{
    return (int)lround(design_dots * m->scale);
}

/* ------------------------------------------------------------------- text */

/* Copy `in` to `out` as text that SDL_ttf counts as we do: valid UTF-8 (a
 * bad byte becomes U+FFFD), control characters and tabs a space; leading
 * and trailing spaces go. Cut at a character boundary when out is too small. */
static void text_clean(const char *in, char *out, size_t outlen)
{
    if (!outlen)
        return;
    while (*in == ' ')
        in++;
    size_t n = utf8_clean(in, out, outlen), o = 0;
    for (size_t i = 0; i < n;) { /* in place: o never passes i */
        uint32_t cp = 0;
        size_t k = utf8_decode(out + i, n - i, &cp);
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
            out[o++] = ' ';
        } else {
            memmove(out + o, out + i, k);
            o += k;
        }
        i += k;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = 0;
}

/* Code point that ends just before s + off (valid UTF-8), 0 at the start. */
static uint32_t code_before(const char *s, size_t off)
{
    return off ? utf8_at(s + utf8_prev(s, off), NULL) : 0;
}

/* Scripts written without spaces between words break anywhere. */
static bool breaks_anywhere(uint32_t cp)
{
    return cp >= 0x2E80;
}

/* True when ZPL font 0 can print `s` as it is: printable ASCII other than the
 * three characters ZPL treats as commands or escapes, plus "…". */
static bool zpl_native_text(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0xA6) {
            p += 2;
            continue;
        }
        if (*p < 0x20 || *p > 0x7E || *p == '^' || *p == '~' || *p == '\\')
            return false;
    }
    return true;
}

/* ---------------------------------------------------------------- payload */

/* Append `v` to out as a payload value: printable ASCII without the
 * separators; anything else becomes ".". */
static void payload_value(char *out, size_t outlen, size_t *o, const char *v)
{
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        char c = (char)*p;
        if (*p <= 0x20 || *p >= 0x7F || strchr("|,=^~\\", c))
            c = '.';
        if (*o + 1 < outlen)
            out[*o] = c;
        (*o)++;
    }
}

static void payload_text(char *out, size_t outlen, size_t *o, const char *t)
{
    for (; *t; t++) {
        if (*o + 1 < outlen)
            out[*o] = *t;
        (*o)++;
    }
}

static const char *grade_or_dash(enum grade g)
{
    const char *s = grade_name(g);
    return *s ? s : "-";
}

int label_payload(const struct inspection *insp, char *out, size_t outlen)
{
    size_t o = 0;
    payload_text(out, outlen, &o, "TRIAGE1|P=");
    payload_value(out, outlen, &o, insp->plate);
    payload_text(out, outlen, &o, "|G=");
    payload_text(out, outlen, &o, grade_or_dash(insp->grade));
    payload_text(out, outlen, &o, "|C=");
    payload_text(out, outlen, &o, grade_or_dash(insp->aspect_grade[ASPECT_COSMETIC]));
    payload_text(out, outlen, &o, "|F=");
    payload_text(out, outlen, &o, grade_or_dash(insp->aspect_grade[ASPECT_FUNCTIONAL]));
    payload_text(out, outlen, &o, "|K=");
    payload_text(out, outlen, &o, grade_or_dash(insp->aspect_grade[ASPECT_COMPLETENESS]));
    payload_text(out, outlen, &o, "|D=");
    int nd = insp->ndefects < 0 ? 0 : insp->ndefects > INSP_MAX_DEFECTS ? INSP_MAX_DEFECTS
                                                                          : insp->ndefects;
    bool first = true;
    for (int i = 0; i < nd; i++) {
        char code[sizeof insp->defects[0] + 1];
        snprintf(code, sizeof code, "%.*s", (int)sizeof insp->defects[0], insp->defects[i]);
        if (!code[0])
            continue;
        if (!first)
            payload_text(out, outlen, &o, ",");
        payload_value(out, outlen, &o, code);
        first = false;
    }
    payload_text(out, outlen, &o, "|DSP=");
    payload_value(out, outlen, &o, insp->disposition);
    payload_text(out, outlen, &o, "|R=");
    payload_value(out, outlen, &o, insp->rules_version);
    /* Later keys, each only when set (readers ignore keys they do not know). */
    if (insp->responsibility > RESP_NONE && insp->responsibility < RESP_COUNT) {
        payload_text(out, outlen, &o, "|RSP=");
        payload_text(out, outlen, &o, responsibility_name(insp->responsibility));
    }
    if (insp->return_type > RETURN_TYPE_NONE && insp->return_type < RETURN_TYPE_COUNT) {
        payload_text(out, outlen, &o, "|RT=");
        payload_text(out, outlen, &o, return_type_name(insp->return_type));
    }
    if (insp->resolution > RESOLUTION_NONE && insp->resolution < RESOLUTION_COUNT) {
        payload_text(out, outlen, &o, "|RES=");
        payload_text(out, outlen, &o, resolution_name(insp->resolution));
    }
    if (insp->reason_check == REASON_CHECK_CONFIRMED ||
        insp->reason_check == REASON_CHECK_NOT_FOUND) {
        payload_text(out, outlen, &o, "|RC=");
        payload_text(out, outlen, &o, reason_check_name(insp->reason_check));
    }
    if (o + 1 > outlen || o >= LABEL_PAYLOAD_MAX) {
        if (outlen)
            out[0] = 0;
        return -ENOSPC;
    }
    out[o] = 0;
    return (int)o;
}

char *label_disposition_words(const char *disposition, char *out, size_t outlen)
{
    static const struct {
        const char *id, *words;
    } known[] = {
        {"rtv", "RETURN TO VENDOR"},
        {"return_to_vendor", "RETURN TO VENDOR"},
        {"open_box", "OPEN BOX"},
    };
    if (!outlen)
        return out;
    for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
        if (strcmp(disposition, known[i].id) == 0) {
            snprintf(out, outlen, "%s", known[i].words);
            return out;
        }
    }
    size_t o = 0;
    for (const char *p = disposition; *p && o + 1 < outlen; p++) {
        char c = *p;
        if (c == '_' || c == '-')
            c = ' ';
        else if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        out[o++] = c;
    }
    out[o] = 0;
    return out;
}

/* ------------------------------------------------------------------ maker */

int label_spec_parse(struct label_spec *spec, const char *size, int dpi, const char *font_path,
                     char *err, size_t errlen)
{
    double w = 0, h = 0;
    char extra;
    if (!size || sscanf(size, "%lfx%lf%c", &w, &h, &extra) != 2 || !(w > 0) || !(h > 0) ||
        w > 20 || h > 40) {
        if (err && errlen)
            snprintf(err, errlen, "E611: label size \"%s\" is not WxH in inches (e.g. 4x6)",
                     size ? size : "");
        return -EINVAL;
    }
    spec->width_in = w;
    spec->height_in = h;
    spec->dpi = dpi;
    spec->font_path = font_path;
    spec->lang = LANG_EN;
    spec->rules = NULL;
    return 0;
}

int label_spec_from_opts(struct label_spec *spec, const struct label_opts *opts, char *err,
                         size_t errlen)
{
    int rc = label_spec_parse(spec, opts->size[0] ? opts->size : "4x6",
                              opts->dpi > 0 ? opts->dpi : 203,
                              opts->font_path[0] ? opts->font_path : NULL, err, errlen);
    if (rc == 0) {
        int l = lang_from_name(opts->lang);
        spec->lang = l < 0 ? LANG_EN : (enum lang)l;
        spec->rules = opts->rules;
    }
    return rc;
}

struct label_maker *label_maker_open(const struct label_spec *spec, char *err, size_t errlen)
{
    struct label_maker *m = calloc(1, sizeof *m);
    if (!m) {
        copy_err(err, errlen, "E604: out of memory");
        return NULL;
    }
    /* Three layouts, each drawn for any dpi. */
    bool w4 = fabs(spec->width_in - 4) < 0.01, w2 = fabs(spec->width_in - 2) < 0.01;
    bool known = true;
    if (w4 && fabs(spec->height_in - 6) < 0.01)
        m->size = SIZE_4X6;
    else if (w4 && fabs(spec->height_in - 3) < 0.01)
        m->size = SIZE_4X3;
    else if (w2 && fabs(spec->height_in - 1) < 0.01)
        m->size = SIZE_2X1;
    else
        known = false;
    if (!known || spec->dpi < 150 || spec->dpi > 600) {
        if (err && errlen)
            snprintf(err, errlen, "E602: label size %gx%g in at %d dpi is not supported (4x6, "
                                  "4x3 and 2x1 at 150-600 dpi are)",
                     spec->width_in, spec->height_in, spec->dpi);
        free(m);
        return NULL;
    }
    m->dpi = spec->dpi;
    m->lang = (unsigned)spec->lang < LANG_COUNT ? spec->lang : LANG_EN;
    m->rules = spec->rules;
    m->scale = (double)spec->dpi / DESIGN_DPI;
    m->width = (int)lround(spec->width_in * spec->dpi);
    m->height = (int)lround(spec->height_in * spec->dpi);
    snprintf(m->font_path, sizeof m->font_path, "%s",
             spec->font_path && *spec->font_path ? spec->font_path : LABEL_FONT_DEFAULT);

    if (TTF_Init() != 0) {
        if (err && errlen)
            snprintf(err, errlen, "E601: cannot start SDL_ttf: %s", TTF_GetError());
        free(m);
        return NULL;
    }
    m->ttf_inited = true;
    if (file_map_open(m->font_path, &m->font_file) != 0) {
        if (err && errlen)
            snprintf(err, errlen, "E600: cannot open font %s: %s", m->font_path, strerror(errno));
        label_maker_close(m);
        return NULL;
    }
    for (int i = 0; i < F_COUNT; i++) {
        m->font_px[i] = D(m, font_design[i].size);
        /* Every size from the one mapping (SDL_ttf frees the RWops). */
        SDL_RWops *rw = SDL_RWFromConstMem(m->font_file.data, (int)m->font_file.len);
        m->font[i] = rw ? TTF_OpenFontIndexRW(rw, 1, m->font_px[i], 0) : NULL;
        if (!m->font[i]) {
            if (err && errlen)
                snprintf(err, errlen, "E600: cannot open font %s: %s", m->font_path,
                         TTF_GetError());
            label_maker_close(m);
            return NULL;
        }
        TTF_SetFontStyle(m->font[i], font_design[i].bold ? TTF_STYLE_BOLD : TTF_STYLE_NORMAL);
        TTF_SetFontHinting(m->font[i], TTF_HINTING_LIGHT);
        int h;
        if (TTF_SizeUTF8(m->font[i], ELLIPSIS, &m->ellipsis_w[i], &h) != 0)
            m->ellipsis_w[i] = m->font_px[i];
    }
    return m;
}

void label_maker_close(struct label_maker *m)
{
    if (!m)
        return;
    /* TTF_Init/TTF_Quit count; if someone quit once too often, SDL_ttf has
     * already freed our fonts' faces with the FreeType library and closing
     * them would crash: leave them (a bug elsewhere, reported once). */
    bool ttf_alive = TTF_WasInit() > 0;
    if (m->ttf_inited && !ttf_alive)
        log_error("E612", "SDL_ttf was shut down before the label maker was closed");
    for (int i = 0; i < F_COUNT && ttf_alive; i++)
        if (m->font[i])
            TTF_CloseFont(m->font[i]);
    if (m->canvas)
        SDL_FreeSurface(m->canvas);
    if (m->lay.code128)
        ZBarcode_Delete(m->lay.code128);
    if (m->lay.qr)
        ZBarcode_Delete(m->lay.qr);
    if (m->ttf_inited && ttf_alive)
        TTF_Quit();
    file_map_close(&m->font_file);
    free(m);
}

int label_width_dots(const struct label_maker *m) { return m->width; }
int label_height_dots(const struct label_maker *m) { return m->height; }
const char *label_maker_error(const struct label_maker *m) { return m ? m->err : ""; }

/* ----------------------------------------------------------------- layout */

static struct item *lay_add(struct layout *L, enum item_kind kind)
{
    if (L->n >= LAYOUT_MAX_ITEMS) {
        L->full = true;
        return &L->spare;
    }
    struct item *it = &L->it[L->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    return it;
}

static const char *lay_store(struct layout *L, const char *s, size_t n)
{
    if (L->used + n + 1 > sizeof L->arena) {
        L->full = true;
        return "";
    }
    char *p = L->arena + L->used;
    memcpy(p, s, n);
    p[n] = 0;
    L->used += n + 1;
    return p;
}

static void lay_box(struct layout *L, int x, int y, int w, int h, int thick)
{
    struct item *it = lay_add(L, IT_BOX);
    it->x = x, it->y = y, it->w = w, it->h = h, it->thick = thick;
}

static void lay_fill(struct layout *L, int x, int y, int w, int h)
{
    lay_box(L, x, y, w, h, w < h ? w : h);
}

/* Width in dots of `s` in font slot f. */
static int text_width(struct label_maker *m, int f, const char *s)
{
    int w = 0, h = 0;
    if (!*s || TTF_SizeUTF8(m->font[f], s, &w, &h) != 0)
        return 0;
    return w;
}

/* Bytes of the longest prefix of s narrower than `width` dots. */
static size_t fit_prefix(struct label_maker *m, int f, const char *s, int width)
{
    int extent = 0, count = 0;
    if (width <= 0 || !*s || TTF_MeasureUTF8(m->font[f], s, width, &extent, &count) != 0)
        return 0;
    return utf8_offset(s, (size_t)count);
}

/* A text line of cleaned UTF-8 `s` (n bytes) that fits in w, shortened with
 * "…" when it does not. */
static struct item *lay_line_n(struct label_maker *m, struct layout *L, int x, int y, int w,
                               int f, char align, const char *s, size_t n)
{
    char buf[TEXT_MAX + sizeof ELLIPSIS];
    if (n >= TEXT_MAX) /* not from lay_line/lay_lines; cut at a character */
        n = utf8_cut(s, TEXT_MAX - 1);
    memcpy(buf, s, n);
    buf[n] = 0;
    size_t fit = fit_prefix(m, f, buf, w);
    if (fit < n) {
        /* Shorten: the prefix that leaves room for "…", without trailing spaces. */
        size_t keep = fit_prefix(m, f, buf, w - m->ellipsis_w[f] - 1);
        while (keep > 0 && buf[keep - 1] == ' ')
            keep--;
        memcpy(buf + keep, ELLIPSIS, sizeof ELLIPSIS);
        n = keep + sizeof ELLIPSIS - 1;
    }
    struct item *it = lay_add(L, IT_TEXT);
    it->x = x, it->y = y, it->w = w, it->h = m->font_px[f];
    it->font = f;
    it->align = align;
    it->text = lay_store(L, buf, n);
    return it;
}

static struct item *lay_line(struct label_maker *m, struct layout *L, int x, int y, int w, int f,
                             char align, const char *text)
{
    char clean[TEXT_MAX];
    text_clean(text, clean, sizeof clean);
    return lay_line_n(m, L, x, y, w, f, align, clean, strlen(clean));
}

/* Wrap `text` into at most max_lines lines of w dots, line_h apart; the last
 * line is shortened with "…" when text remains. Breaks at the last space that
 * fits, or anywhere in scripts without spaces. Returns the lines used. */
static int lay_lines(struct label_maker *m, struct layout *L, int x, int y, int w, int line_h,
                     int max_lines, int f, const char *text)
{
    char clean[TEXT_MAX];
    text_clean(text, clean, sizeof clean);
    const char *rest = clean;
    int line = 0;
    for (; line < max_lines; line++) {
        while (*rest == ' ')
            rest++;
        if (!*rest)
            break;
        size_t len = strlen(rest);
        size_t fit = fit_prefix(m, f, rest, w);
        if (fit >= len || line == max_lines - 1 || fit == 0) {
            lay_line_n(m, L, x, y + line * line_h, w, f, 'L', rest, len);
            line++;
            break;
        }
        size_t brk = fit;
        if (!breaks_anywhere(utf8_at(rest + fit, NULL)) &&
            !breaks_anywhere(code_before(rest, fit))) {
            size_t sp = fit;
            while (sp > 0 && rest[sp] != ' ')
                sp--;
            if (sp > 0)
                brk = sp;
        }
        size_t end = brk;
        while (end > 0 && rest[end - 1] == ' ')
            end--;
        lay_line_n(m, L, x, y + line * line_h, w, f, 'L', rest, end);
        rest += brk;
    }
    return line;
}

static struct zint_symbol *encode(struct label_maker *m, int symbology, const char *data, int *rc)
{
    struct zint_symbol *sym = ZBarcode_Create();
    if (!sym) {
        *rc = fail(m, -ENOMEM, "E615: out of memory for a barcode");
        return NULL;
    }
    sym->symbology = symbology;
    sym->input_mode = DATA_MODE;
    sym->warn_level = WARN_FAIL_ALL;
    sym->scale = 0.5f; /* 1 pixel per module: paint() scales it to dots */
    sym->show_hrt = 0;
    if (symbology == BARCODE_QRCODE)
        sym->option_1 = 3; /* error correction Q, as ZPL's "QA," */
    int zrc = ZBarcode_Encode(sym, (const unsigned char *)data, (int)strlen(data));
    if (zrc >= ZINT_ERROR) {
        *rc = fail(m, -EINVAL, "%s: cannot encode %s: %s",
                   symbology == BARCODE_QRCODE ? "E606" : "E605",
                   symbology == BARCODE_QRCODE ? "the QR code" : "the plate as Code 128",
                   sym->errtxt);
        ZBarcode_Delete(sym);
        return NULL;
    }
    *rc = 0;
    return sym;
}

static bool plate_usable(const char *plate)
{
    if (!*plate)
        return false;
    for (const unsigned char *p = (const unsigned char *)plate; *p; p++)
        if (*p <= 0x20 || *p >= 0x7F || strchr("^~\\>", *p))
            return false;
    return true;
}

static void lay_reset(struct layout *L)
{
    if (L->code128)
        ZBarcode_Delete(L->code128);
    if (L->qr)
        ZBarcode_Delete(L->qr);
    L->code128 = L->qr = NULL;
    L->n = 0;
    L->used = 0;
    L->full = false;
}

/* Local date and time of the inspection, "2026-11-23 10:41". */
static void label_date(const struct inspection *insp, char *out, size_t outlen)
{
    int64_t ms = insp->finished_at ? insp->finished_at : insp->started_at;
    if (ms <= 0) {
        snprintf(out, outlen, "%s", "");
        return;
    }
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    if (!localtime_r(&secs, &tm) || !strftime(out, outlen, "%Y-%m-%d %H:%M", &tm))
        snprintf(out, outlen, "%s", "");
}

/* Start a layout: check the plate, then the header line (station left, date
 * right) at text_y with a rule under it at rule_y. */
static int lay_header(struct label_maker *m, struct layout *L, const struct inspection *insp,
                      int text_y, int rule_y, bool with_grader)
{
    const int W = m->width, M = D(m, 20);
    const int x0 = M, cw = W - 2 * M;
    char buf[512], date[40];
    lay_reset(L);
    if (!plate_usable(insp->plate))
        return fail(m, -EINVAL, "E603: plate \"%.47s\" is empty or has characters a label "
                                "barcode cannot carry",
                    insp->plate);
    label_date(insp, date, sizeof date);
    int date_w = text_width(m, F_BODY, date) + D(m, 4);
    if (with_grader && insp->operator_badge[0])
        snprintf(buf, sizeof buf, "%s %s  %s %.63s", lw(m, LW_STATION), insp->station,
                 lw(m, LW_GRADER), insp->operator_badge);
    else
        snprintf(buf, sizeof buf, "%s %s", lw(m, LW_STATION), insp->station);
    lay_line(m, L, x0, text_y, cw - date_w - D(m, 16), F_BODY, 'L', buf);
    if (*date)
        lay_line(m, L, W - M - date_w, text_y, date_w, F_BODY, 'R', date);
    lay_fill(L, x0, rule_y, cw, D(m, 3));
    return 0;
}

/* The plate's Code 128, centred at y, h high, with the widest module up to
 * 0.02 in that keeps 10-module quiet zones. 0 or rc. */
static int lay_plate_code(struct label_maker *m, struct layout *L, const char *plate, int y,
                          int h)
{
    int rc;
    const int W = m->width;
    L->code128 = encode(m, BARCODE_CODE128, plate, &rc);
    if (!L->code128)
        return rc;
    int modules = L->code128->width;
    int module = (int)lround(m->dpi * 0.02);
    while (module > 1 && (modules + 20) * module > W)
        module--;
    if ((modules + 20) * module > W)
        return fail(m, -EINVAL, "E607: plate %s is too long for a Code 128 on this label", plate);
    struct item *bc = lay_add(L, IT_CODE128);
    bc->module = module;
    bc->w = modules * module;
    bc->h = h;
    bc->x = (W - bc->w) / 2;
    bc->y = y;
    bc->text = lay_store(L, plate, strlen(plate));
    return 0;
}

/* How a label size draws its flags, in 203-dpi design dots: boxes h high,
 * pad wider than their word, gap apart; the word in font slot `font`, its
 * cell centred in the box and lowered by dy. */
struct flag_style {
    int h, font, pad, gap, dy;
};

/* The most flags a label shows. */
#define LABEL_MAX_FLAGS 8

/* The flags of insp that a label shows, in this order, as words and as
 * initials (in Chinese: the short words); returns how many. The one list
 * for every label size. unit holds the unit's words and initials ("UNIT
 * 2/3", "2/3"); photos the count of evidence photos ("PHOTOS 2", "P2"). */
static int label_flags(const struct label_maker *m, const struct inspection *insp,
                       const char *words[LABEL_MAX_FLAGS], const char *initials[LABEL_MAX_FLAGS],
                       char unit_words[32], char unit_short[16], char photo_words[32],
                       char photo_short[16])
{
    bool zh = m->lang == LANG_ZH;
    int n = 0;
    if (insp->late)
        words[n] = lw(m, LW_LATE), initials[n++] = zh ? lw(m, LW_LATE) : "L";
    /* Another product than the manifest's; another unit of the product. */
    if (insp->wrong_item)
        words[n] = lw(m, LW_WRONG_ITEM), initials[n++] = zh ? "错发" : "W";
    else if (insp->mismatch)
        words[n] = lw(m, LW_MISMATCH), initials[n++] = zh ? lw(m, LW_MISMATCH) : "M";
    if (insp->blind)
        words[n] = lw(m, LW_BLIND), initials[n++] = zh ? lw(m, LW_BLIND) : "B";
    /* Chosen for a blind re-grade: another grader scans this plate. */
    if (insp->calibration_due)
        words[n] = lw(m, LW_REGRADE), initials[n++] = zh ? lw(m, LW_REGRADE) : "R";
    /* One unit of several that the RMA expects. */
    if (inspection_units(insp) > 1 || insp->extra_unit) {
        snprintf(unit_short, 16, "%d/%d", inspection_unit(insp) % 100000,
                 inspection_units(insp) % 100000);
        if (zh)
            snprintf(unit_words, 32, "%s%s", unit_short, lw(m, LW_UNIT));
        else
            snprintf(unit_words, 32, "%s %s", lw(m, LW_UNIT), unit_short);
        words[n] = unit_words, initials[n++] = unit_short;
    }
    if (insp->extra_unit)
        words[n] = lw(m, LW_EXTRA), initials[n++] = zh ? lw(m, LW_EXTRA) : "E";
    /* Evidence photos kept with the outcome (at head office with it). */
    if (insp->nphotos > 0) {
        int k = insp->nphotos % 100;
        snprintf(photo_words, 32, zh ? "%s%d张" : "%s %d", lw(m, LW_PHOTOS), k);
        snprintf(photo_short, 16, zh ? "照%d" : "P%d", k);
        words[n] = photo_words, initials[n++] = photo_short;
    }
    return n;
}

/* White-on-black flags (label_flags) from x rightwards at y, up to max_x;
 * when the words do not fit, their initials (L, W, M, B, R, 2/3, E, P2).
 * Returns the x after the last. */
static int lay_flags(struct label_maker *m, struct layout *L, const struct inspection *insp,
                     int x, int y, const struct flag_style *st, int max_x)
{
    const char *flags[LABEL_MAX_FLAGS], *initials[LABEL_MAX_FLAGS];
    char unit_words[32], unit_short[16], photo_words[32], photo_short[16];
    int nflags =
        label_flags(m, insp, flags, initials, unit_words, unit_short, photo_words, photo_short);
    int h = D(m, st->h), f = st->font, pad = D(m, st->pad), gap = D(m, st->gap);
    int total = 0;
    for (int i = 0; i < nflags; i++)
        total += text_width(m, f, flags[i]) + pad + gap;
    if (x + total > max_x)
        memcpy(flags, initials, sizeof flags);
    for (int i = 0; i < nflags; i++) {
        int w = text_width(m, f, flags[i]) + pad;
        lay_fill(L, x, y, w, h);
        lay_line(m, L, x, y + (h - m->font_px[f]) / 2 + D(m, st->dy), w, f, 'C', flags[i])
            ->reverse = true;
        x += w + gap;
    }
    return x;
}

/* A caption and its value on one line: the caption in the small font in a
 * column cap_w wide, the value after it. Returns the value's item. */
static struct item *lay_pair(struct label_maker *m, struct layout *L, int x, int y, int w,
                             int cap_w, int f, const char *caption, const char *value)
{
    lay_line(m, L, x, y + (m->font_px[f] - m->font_px[F_CAPTION]) / 2 + D(m, 2), cap_w - D(m, 6),
             F_CAPTION, 'L', caption);
    return lay_line(m, L, x + cap_w, y, w - cap_w, f, 'L', *value ? value : "-");
}

/*
 * The 4x6 label, in 203-dpi design dots (812 x 1218):
 *
 *   18  STATION SH01-S03                2026-11-23 10:41
 *   56  ─────────────────────────────────────────────
 *   70  ▌▌▌ ▌▌ ▌▌▌▌ Code 128 of the plate ▌ ▌▌▌ ▌▌▌▌ ▌
 *  238          SH01-S03-000042
 *  296  ─────────────────────────────────────────────
 *  308  ┌───────┐ ┌ COSMETIC ─────────────────── B ┐
 *       │ GRADE │ ├ FUNCTIONAL ───────────────── A ┤
 *       │   B   │ ├ COMPLETENESS ─────────────── A ┤
 *  584  └───────┘ └────────────────────────────────┘
 *  594  ┃              OPEN BOX                      ┃
 *  672  RESPONSIBILITY            RESOLUTION
 *       LOGISTICS                 REFUND / QUALITY
 *  736  DECLARED  Defective: NOT FOUND
 *  772  ─────────────────────────────────────────────
 *  778  DEFECTS (2 lines)                    [ QR ]
 *       RMA / SKU / S/N / CATEGORY / GRADER  RULES 2026-12
 * 1050  DESCRIPTION (2 lines, any script)
 * 1160  [LATE] [WRONG ITEM | MISMATCH] [BLIND] [RE-GRADE] [UNIT 2/3] [EXTRA] [PHOTOS 2]
 *
 * For another product than the manifest's (WRONG ITEM) the SKU reads
 * EXPECTED SKU and the description's place holds the code SCANNED.
 */
static int layout_4x6(struct label_maker *m, const struct inspection *insp, struct layout *L)
{
    const int W = m->width;
    const int M = D(m, 20);
    const int x0 = M, cw = W - 2 * M;
    char buf[512];
    int rc;

    if ((rc = lay_header(m, L, insp, D(m, 18), D(m, 56), false)) != 0)
        return rc;

    /* Code 128 of the plate: the widest module up to 0.02 in (GS1 logistics
     * labels allow 0.0195-0.04 in) that keeps 10-module quiet zones. */
    if ((rc = lay_plate_code(m, L, insp->plate, D(m, 70), D(m, 160))) != 0)
        return rc;
    lay_line(m, L, x0, D(m, 238), cw, F_PLATE, 'C', insp->plate);
    lay_fill(L, x0, D(m, 296), cw, D(m, 3));

    /* The grade, very large, white on black. */
    int gy = D(m, 308), gside = D(m, 276);
    lay_fill(L, x0, gy, gside, gside);
    lay_line(m, L, x0, gy + D(m, 10), gside, F_CAPTION, 'C', lw(m, LW_GRADE))->reverse = true;
    const char *g = grade_name(insp->grade);
    lay_line(m, L, x0, gy + D(m, 40), gside, F_GRADE, 'C', *g ? g : "-")->reverse = true;

    /* Sub-grades, one row each. */
    const char *const aspect_caption[ASPECT_COUNT] = {lw(m, LW_COSMETIC), lw(m, LW_FUNCTIONAL),
                                                      lw(m, LW_COMPLETENESS)};
    int sx = x0 + gside + D(m, 14), sw = W - M - sx, row = gside / ASPECT_COUNT;
    lay_box(L, sx, gy, sw, gside, D(m, 3));
    for (int a = 0; a < ASPECT_COUNT; a++) {
        int ry = gy + a * row;
        if (a)
            lay_fill(L, sx, ry, sw, D(m, 2));
        lay_line(m, L, sx + D(m, 16), ry + (row - m->font_px[F_VALUE]) / 2 + D(m, 2),
                 sw - D(m, 110), F_VALUE, 'L', aspect_caption[a]);
        const char *sg = grade_name(insp->aspect_grade[a]);
        lay_line(m, L, sx + sw - D(m, 96), ry + (row - m->font_px[F_SUB]) / 2 + D(m, 4),
                 D(m, 76), F_SUB, 'C', *sg ? sg : "-");
    }

    /* Disposition in words. */
    int dy = D(m, 594), dh = D(m, 70);
    lay_box(L, x0, dy, cw, dh, D(m, 6));
    disposition_words(m, insp->disposition, buf, sizeof buf);
    lay_line(m, L, x0 + D(m, 16), dy + (dh - m->font_px[F_DISP]) / 2 + D(m, 4),
             cw - D(m, 32), F_DISP, 'C', *buf ? buf : "-");

    /* Who is responsible, what the customer gets; the declared reason
     * against what was found. */
    int half = (cw - D(m, 16)) / 2, by = D(m, 672);
    lay_line(m, L, x0, by, half, F_CAPTION, 'L', lw(m, LW_RESPONSIBILITY));
    lay_line(m, L, x0, by + D(m, 24), half, F_VALUE, 'L', resp_word(m, insp->responsibility));
    lay_line(m, L, x0 + half + D(m, 16), by, half, F_CAPTION, 'L', lw(m, LW_RESOLUTION));
    resolution_words(m, insp, buf, sizeof buf);
    lay_line(m, L, x0 + half + D(m, 16), by + D(m, 24), half, F_VALUE, 'L', buf);
    reason_words(m, insp, buf, sizeof buf);
    lay_pair(m, L, x0, D(m, 736), cw, D(m, 150), F_BODY, lw(m, LW_DECLARED), buf);
    lay_fill(L, x0, D(m, 772), cw, D(m, 2));

    /* The QR in the right column; its quiet zone of 4 modules is kept clear. */
    int label_payload_len;
    char payload[LABEL_PAYLOAD_MAX];
    label_payload_len = label_payload(insp, payload, sizeof payload);
    if (label_payload_len < 0)
        return fail(m, -EINVAL, "E613: QR payload too long");
    L->qr = encode(m, BARCODE_QRCODE, payload, &rc);
    if (!L->qr)
        return rc;
    int qcol_x = D(m, 564), qcol_w = W - M - qcol_x + D(m, 8);
    int qmod = qcol_w / (L->qr->width + 8);
    if (qmod > D(m, 6))
        qmod = D(m, 6);
    if (qmod < 1)
        return fail(m, -EINVAL, "E614: the QR code does not fit the label");
    struct item *qr = lay_add(L, IT_QR);
    qr->module = qmod;
    qr->w = qr->h = L->qr->width * qmod;
    qr->x = qcol_x + (qcol_w - qr->w) / 2;
    qr->y = D(m, 778) + 2 * qmod;
    qr->text = lay_store(L, payload, (size_t)label_payload_len);
    snprintf(buf, sizeof buf, "%s %s", lw(m, LW_RULES),
             *insp->rules_version ? insp->rules_version : "-");
    lay_line(m, L, qcol_x, qr->y + qr->h + D(m, 10), qcol_w, F_CAPTION, 'C', buf);

    /* Details in the left column: the defects in words, then one line each. */
    int tx = x0, tw = qcol_x - D(m, 12) - x0, y = D(m, 778);
    defect_words(m, insp, "  ", buf, sizeof buf);
    lay_line(m, L, tx, y, tw, F_CAPTION, 'L', lw(m, LW_DEFECTS));
    int lines = lay_lines(m, L, tx, y + D(m, 24), tw, D(m, 36), 2, F_BODY,
                          buf[0] ? buf : lw(m, LW_NONE));
    y += D(m, 24) + (lines ? lines : 1) * D(m, 36) + D(m, 6);
    const int cap = D(m, 150), step = D(m, 34);
    lay_pair(m, L, tx, y, tw, cap, F_BODY, lw(m, LW_RMA), insp->rma);
    /* Another product than the manifest's: the SKU is what was expected,
     * not what the label is on. */
    lay_pair(m, L, tx, y + step, tw, cap, F_BODY,
             lw(m, insp->wrong_item ? LW_EXPECTED_SKU : LW_SKU), insp->sku);
    lay_pair(m, L, tx, y + 2 * step, tw, cap, F_BODY, lw(m, LW_SERIAL), insp->serial);
    lay_pair(m, L, tx, y + 3 * step, tw, cap, F_BODY, lw(m, LW_CATEGORY),
             category_words(m, insp));
    lay_pair(m, L, tx, y + 4 * step, tw, cap, F_BODY, lw(m, LW_GRADER), insp->operator_badge);

    /* Description, full width, two lines; for another product, the code
     * scanned from the item in hand instead of the manifest's words. */
    y = D(m, 1054);
    lay_fill(L, x0, y - D(m, 6), cw, D(m, 2));
    lay_line(m, L, x0, y, cw, F_CAPTION, 'L', lw(m, insp->wrong_item ? LW_SCANNED : LW_DESCRIPTION));
    if (insp->wrong_item)
        lay_lines(m, L, x0, y + D(m, 26), cw, D(m, 36), 2, F_BODY,
                  *insp->scanned_item ? insp->scanned_item : "-");
    else
        lay_lines(m, L, x0, y + D(m, 26), cw, D(m, 36), 2, F_BODY,
                  *insp->description ? insp->description : "-");

    /* Flags, white on black, only when set. */
    static const struct flag_style flags_4x6 = {.h = 50, .font = F_VALUE, .pad = 32, .gap = 14,
                                                .dy = 3};
    lay_flags(m, L, insp, x0, D(m, 1160), &flags_4x6, W - M);

    if (L->full)
        return fail(m, -EOVERFLOW, "E618: label layout out of room");
    return 0;
}

/* The QR of insp's payload, as large as fits a side x side box (quiet zone
 * of 4 modules kept inside it), at most max_mod dots a module. 0 or rc. */
static int lay_payload_qr(struct label_maker *m, struct layout *L, const struct inspection *insp,
                          int x, int y, int side, int max_mod, struct item **out)
{
    int rc;
    char payload[LABEL_PAYLOAD_MAX];
    int n = label_payload(insp, payload, sizeof payload);
    if (n < 0)
        return fail(m, -EINVAL, "E613: QR payload too long");
    L->qr = encode(m, BARCODE_QRCODE, payload, &rc);
    if (!L->qr)
        return rc;
    int qmod = side / (L->qr->width + 8);
    if (qmod > max_mod)
        qmod = max_mod;
    if (qmod < 1)
        return fail(m, -EINVAL, "E614: the QR code does not fit the label");
    struct item *qr = lay_add(L, IT_QR);
    qr->module = qmod;
    qr->w = qr->h = L->qr->width * qmod;
    qr->x = x + (side - qr->w) / 2;
    qr->y = y + 4 * qmod;
    qr->text = lay_store(L, payload, (size_t)n);
    *out = qr;
    return 0;
}

/*
 * The 4x3 label, in 203-dpi design dots (812 x 609): what the 4x6 shows,
 * tighter: the grader in the header, details on one line each in two
 * columns (the resolution without the return type, which the QR carries),
 * the category and the description on one line.
 *
 *   12  STATION SH01-S03  GRADER 1001   2026-11-23 10:41
 *   48  ─────────────────────────────────────────────
 *   56  ▌▌▌ ▌▌ ▌▌▌▌ Code 128 of the plate ▌ ▌▌▌ ▌▌▌▌ ▌
 *  160          SH01-S03-000042
 *  214  ┌──────┐ ┌ COSMETIC ──── B ┐  [ QR ]
 *       │GRADE │ ├ FUNCTIONAL ── A ┤
 *       │  B   │ ├ COMPLETENESS  A ┤
 *  378  └──────┘ └─────────────────┘  RULES 2026-12
 *  384  ┃          OPEN BOX         ┃
 *  440  RMA …                      RESPONSIBILITY LOGISTICS
 *  472  SKU …                      RESOLUTION REFUND
 *  504  S/N …                      DEFECTS Light scratches
 *  536  DECLARED Defective: NOT FOUND
 *  572  flags, the category / the description (any script)
 */
static int layout_4x3(struct label_maker *m, const struct inspection *insp, struct layout *L)
{
    const int W = m->width;
    const int M = D(m, 20);
    const int x0 = M, cw = W - 2 * M;
    char buf[768], part[512];
    int rc;

    if ((rc = lay_header(m, L, insp, D(m, 12), D(m, 48), true)) != 0)
        return rc;
    if ((rc = lay_plate_code(m, L, insp->plate, D(m, 56), D(m, 100))) != 0)
        return rc;
    lay_line(m, L, x0, D(m, 160), cw, F_PLATE, 'C', insp->plate);
    lay_fill(L, x0, D(m, 206), cw, D(m, 3));

    /* Grade, sub-grades, QR in one band. */
    int gy = D(m, 214), gside = D(m, 164);
    lay_fill(L, x0, gy, gside, gside);
    lay_line(m, L, x0, gy + D(m, 6), gside, F_CAPTION, 'C', lw(m, LW_GRADE))->reverse = true;
    const char *g = grade_name(insp->grade);
    lay_line(m, L, x0, gy + D(m, 30), gside, F_GRADE_S, 'C', *g ? g : "-")->reverse = true;
    int qside = D(m, 200), qx = W - M - qside;
    const char *const aspect_caption[ASPECT_COUNT] = {lw(m, LW_COSMETIC), lw(m, LW_FUNCTIONAL),
                                                      lw(m, LW_COMPLETENESS)};
    int sx = x0 + gside + D(m, 12), sw = qx - D(m, 8) - sx, row = gside / ASPECT_COUNT;
    lay_box(L, sx, gy, sw, gside, D(m, 3));
    for (int a = 0; a < ASPECT_COUNT; a++) {
        int ry = gy + a * row;
        if (a)
            lay_fill(L, sx, ry, sw, D(m, 2));
        lay_line(m, L, sx + D(m, 10), ry + (row - m->font_px[F_BODY]) / 2 + D(m, 2),
                 sw - D(m, 70), F_BODY, 'L', aspect_caption[a]);
        const char *sg = grade_name(insp->aspect_grade[a]);
        lay_line(m, L, sx + sw - D(m, 56), ry + (row - m->font_px[F_PLATE]) / 2 + D(m, 3),
                 D(m, 46), F_PLATE, 'C', *sg ? sg : "-");
    }
    struct item *qr = NULL;
    if ((rc = lay_payload_qr(m, L, insp, qx, gy - D(m, 6), qside - D(m, 24), D(m, 5), &qr)) != 0)
        return rc;
    snprintf(buf, sizeof buf, "%s %s", lw(m, LW_RULES),
             *insp->rules_version ? insp->rules_version : "-");
    lay_line(m, L, qx - D(m, 10), qr->y + qr->h + D(m, 6), qside, F_CAPTION, 'C', buf);

    /* Disposition in words, left of the QR's caption. */
    int dy = D(m, 384), dh = D(m, 52), dw = qx - D(m, 8) - x0;
    lay_box(L, x0, dy, dw, dh, D(m, 5));
    disposition_words(m, insp->disposition, buf, sizeof buf);
    lay_line(m, L, x0 + D(m, 10), dy + (dh - m->font_px[F_PLATE]) / 2 + D(m, 3), dw - D(m, 20),
             F_PLATE, 'C', *buf ? buf : "-");

    /* Details in two columns, a caption and its value a line: the item's on
     * the left, the decisions on the right; each caption column as wide as
     * its widest caption. */
    const int colw = D(m, 360), x1 = x0 + colw + D(m, 16), colw1 = W - M - x1;
    const int step = D(m, 32), y0 = D(m, 440);
    const char *sku_cap = lw(m, insp->wrong_item ? LW_EXPECTED_SKU : LW_SKU);
    const char *lcap[3] = {lw(m, LW_RMA), sku_cap, lw(m, LW_SERIAL)};
    const char *rcap[3] = {lw(m, LW_RESPONSIBILITY), lw(m, LW_RESOLUTION), lw(m, LW_DEFECTS)};
    int cap = 0, cap1 = 0;
    for (int i = 0; i < 3; i++) {
        int a = text_width(m, F_CAPTION, lcap[i]), b = text_width(m, F_CAPTION, rcap[i]);
        cap = a > cap ? a : cap;
        cap1 = b > cap1 ? b : cap1;
    }
    cap += D(m, 14);
    cap1 += D(m, 14);
    lay_pair(m, L, x0, y0, colw, cap, F_BODY, lcap[0], insp->rma);
    lay_pair(m, L, x0, y0 + step, colw, cap, F_BODY, lcap[1], insp->sku);
    lay_pair(m, L, x0, y0 + 2 * step, colw, cap, F_BODY, lcap[2], insp->serial);
    lay_pair(m, L, x1, y0, colw1, cap1, F_BODY, rcap[0], resp_word(m, insp->responsibility));
    lay_pair(m, L, x1, y0 + step, colw1, cap1, F_BODY, rcap[1],
             resolution_word(m, insp->resolution));
    defect_words(m, insp, " ", part, sizeof part);
    lay_pair(m, L, x1, y0 + 2 * step, colw1, cap1, F_BODY, rcap[2],
             part[0] ? part : lw(m, LW_NONE));
    reason_words(m, insp, part, sizeof part);
    lay_pair(m, L, x0, y0 + 3 * step, cw, text_width(m, F_CAPTION, lw(m, LW_DECLARED)) + D(m, 14),
             F_BODY, lw(m, LW_DECLARED), part);
    lay_fill(L, x0, D(m, 568), cw, D(m, 2));
    static const struct flag_style flags_4x3 = {.h = 36, .font = F_BODY, .pad = 20, .gap = 10,
                                                .dy = 2};
    int fx = lay_flags(m, L, insp, x0, D(m, 572), &flags_4x3, W - M);
    int desc_x = fx > x0 ? fx + D(m, 4) : x0;
    /* The category, then the description; for another product, what was
     * scanned (the room is short: the code matters most). */
    if (insp->wrong_item)
        snprintf(buf, sizeof buf, "%s %.255s", lw(m, LW_SCANNED),
                 *insp->scanned_item ? insp->scanned_item : "-");
    else
        snprintf(buf, sizeof buf, "%.63s / %.255s", category_words(m, insp),
                 *insp->description ? insp->description : "-");
    lay_line(m, L, desc_x, D(m, 575), W - M - desc_x, F_BODY, 'L', buf);
    if (L->full)
        return fail(m, -EOVERFLOW, "E618: label layout out of room");
    return 0;
}

/*
 * The 2x1 label (406 x 203 design dots): for the item itself, not the
 * carton. The plate as Code 128 and text, the grade white on black, the
 * disposition with the resolution and the sub-grades; the QR does not fit
 * and is left out (the plate leads to everything else).
 *
 *    8  ▌▌▌ ▌▌ ▌▌▌▌ Code 128 of the plate ▌▌▌
 *   84        SH01-S03-000042
 *  126  ┌───┐ OPEN BOX / REFUND
 *       │ B │ C B  F A  K A   LATE
 *  196  └───┘
 */
static int layout_2x1(struct label_maker *m, const struct inspection *insp, struct layout *L)
{
    const int W = m->width;
    const int M = D(m, 10);
    const int x0 = M, cw = W - 2 * M;
    char buf[256];
    int rc;

    lay_reset(L);
    if (!plate_usable(insp->plate))
        return fail(m, -EINVAL, "E603: plate \"%.47s\" is empty or has characters a label "
                                "barcode cannot carry",
                    insp->plate);
    if ((rc = lay_plate_code(m, L, insp->plate, D(m, 8), D(m, 72))) != 0)
        return rc;
    lay_line(m, L, x0, D(m, 84), cw, F_BODY, 'C', insp->plate);
    int gy = D(m, 124), gside = D(m, 70);
    lay_fill(L, x0, gy, gside, gside);
    const char *g = grade_name(insp->grade);
    lay_line(m, L, x0, gy + (gside - m->font_px[F_SUB]) / 2 + D(m, 4), gside, F_SUB, 'C',
             *g ? g : "-")
        ->reverse = true;
    int tx = x0 + gside + D(m, 10), tw = W - M - tx;
    disposition_words(m, insp->disposition, buf, sizeof buf);
    if (!buf[0])
        snprintf(buf, sizeof buf, "-");
    int df = F_BODY;
    if (insp->resolution > RESOLUTION_NONE && insp->resolution < RESOLUTION_COUNT) {
        /* With the resolution; tighter, in the smaller font, when the two
         * do not fit the large one. */
        char disp[256];
        memcpy(disp, buf, sizeof disp);
        snprintf(buf, sizeof buf, "%.200s / %s", disp, resolution_word(m, insp->resolution));
        if (text_width(m, F_BODY, buf) > tw) {
            snprintf(buf, sizeof buf, "%.200s/%s", disp, resolution_word(m, insp->resolution));
            df = F_CAPTION;
        }
    }
    lay_line(m, L, tx, gy + (df == F_BODY ? 0 : D(m, 4)), tw, df, 'L', buf);
    static const char aspect_letter[ASPECT_COUNT] = {'C', 'F', 'K'};
    size_t o = 0;
    buf[0] = 0;
    for (int a = 0; a < ASPECT_COUNT; a++) {
        const char *sg = grade_name(insp->aspect_grade[a]);
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%c%s", a ? " " : "", aspect_letter[a],
                              *sg ? sg : "-");
    }
    int sgw = text_width(m, F_VALUE, buf) + D(m, 4);
    if (sgw > tw)
        sgw = tw;
    lay_line(m, L, tx, gy + D(m, 36), sgw, F_VALUE, 'L', buf);
    static const struct flag_style flags_2x1 = {.h = 30, .font = F_CAPTION, .pad = 20,
                                                .gap = 10, .dy = 2};
    lay_flags(m, L, insp, tx + sgw + D(m, 8), gy + D(m, 36), &flags_2x1, W - M);
    if (L->full)
        return fail(m, -EOVERFLOW, "E618: label layout out of room");
    return 0;
}

/* The layout of the maker's size. */
static int layout_label(struct label_maker *m, const struct inspection *insp, struct layout *L)
{
    switch (m->size) {
    case SIZE_4X3:
        return layout_4x3(m, insp, L);
    case SIZE_2X1:
        return layout_2x1(m, insp, L);
    case SIZE_4X6:
        break;
    }
    return layout_4x6(m, insp, L);
}

/* ------------------------------------------------------------ text raster */

/* Render a text item: the glyph coverage (0..255) in a surface, and where its
 * top-left goes on the label. Returns NULL with the error in m. */
static SDL_Surface *render_text(struct label_maker *m, const struct item *it, int *px, int *py)
{
    static const SDL_Color white = {255, 255, 255, 255};
    TTF_Font *f = m->font[it->font];
    SDL_Surface *s = TTF_RenderUTF8_Blended(f, it->text, white);
    if (!s) {
        fail(m, -EIO, "E609: cannot render text \"%.40s\": %s", it->text, TTF_GetError());
        return NULL;
    }
    int x = it->x;
    if (it->align == 'C')
        x += (it->w - s->w) / 2;
    else if (it->align == 'R')
        x += it->w - s->w;
    if (x < it->x)
        x = it->x;
    *px = x;
    *py = it->y + (int)lround(it->h * BASELINE_RATIO) - TTF_FontAscent(f);
    return s;
}

/* Coverage of pixel (x, y) of a TTF_RenderUTF8_Blended surface (ARGB8888). */
static inline unsigned coverage(const SDL_Surface *s, int x, int y)
{
    const Uint32 *row = (const Uint32 *)((const Uint8 *)s->pixels + (size_t)y * s->pitch);
    return (row[x] & s->format->Amask) >> s->format->Ashift;
}

/* ------------------------------------------------------------------- ZPL */

/* A repeat count in ZPL's ASCII compression (ZPL II Programming Guide, ~DG
 * "data compression scheme"): G..Y are 1..19, g..z are 20..400; they add. */
static void zpl_run(struct buf *b, char c, int n)
{
    while (n > 0) {
        char code[4];
        int k = 0, chunk = n > 419 ? 400 : n;
        if (chunk >= 20)
            code[k++] = (char)('g' + chunk / 20 - 1);
        if (chunk % 20)
            code[k++] = (char)('G' + chunk % 20 - 1);
        if (chunk == 1)
            k = 0; /* a single character needs no count */
        code[k++] = c;
        buf_add(b, code, (size_t)k);
        n -= chunk;
    }
}

/* One row of hex digits, compressed: runs counted, trailing zeros as ",",
 * a row equal to the one before as ":". */
static void zpl_gf_row(struct buf *b, const Uint8 *row, const Uint8 *prev, int bpr)
{
    static const char hex[] = "0123456789ABCDEF";
    if (prev && memcmp(row, prev, (size_t)bpr) == 0) {
        buf_add(b, ":", 1);
        return;
    }
    int end = 2 * bpr; /* nibbles up to the last non-zero one */
    while (end > 0 && ((row[(end - 1) / 2] >> ((end - 1) % 2 ? 0 : 4)) & 15) == 0)
        end--;
    int i = 0;
    while (i < end) {
        int v = (row[i / 2] >> (i % 2 ? 0 : 4)) & 15, j = i + 1;
        while (j < end && ((row[j / 2] >> (j % 2 ? 0 : 4)) & 15) == v)
            j++;
        zpl_run(b, hex[v], j - i);
        i = j;
    }
    if (end < 2 * bpr)
        buf_add(b, ",", 1);
}

/* A text line the printer has no font for, as a ^GFA graphic of the very
 * glyphs the PNG shows (coverage >= 50% prints). */
static int zpl_text_raster(struct label_maker *m, struct buf *b, const struct item *it)
{
    int x, y;
    SDL_Surface *s = render_text(m, it, &x, &y);
    if (!s)
        return -EIO;
    /* Crop to the item's width and to the rows and columns that print. */
    int cx0 = 0, cx1 = s->w, cy0 = s->h, cy1 = 0;
    if (x + cx1 > it->x + it->w)
        cx1 = it->x + it->w - x;
    if (cx1 < 0)
        cx1 = 0;
    int minx = cx1, maxx = -1;
    for (int r = 0; r < s->h; r++)
        for (int c = cx0; c < cx1; c++)
            if (coverage(s, c, r) >= 128) {
                if (r < cy0)
                    cy0 = r;
                cy1 = r + 1;
                if (c < minx)
                    minx = c;
                if (c > maxx)
                    maxx = c;
            }
    if (maxx < 0) { /* nothing prints */
        SDL_FreeSurface(s);
        return 0;
    }
    cx0 = minx, cx1 = maxx + 1;
    int w = cx1 - cx0, h = cy1 - cy0, bpr = (w + 7) / 8;
    Uint8 *bits = calloc((size_t)bpr * 2, 1);
    if (!bits) {
        SDL_FreeSurface(s);
        return fail(m, -ENOMEM, "E616: out of memory for a text graphic");
    }
    Uint8 *row = bits, *prev = bits + bpr;
    buf_printf(b, "^FO%d,%d^GFA,%d,%d,%d,", x + cx0, y + cy0, bpr * h, bpr * h, bpr);
    for (int r = 0; r < h; r++) {
        memset(row, 0, (size_t)bpr);
        for (int c = 0; c < w; c++)
            if (coverage(s, cx0 + c, cy0 + r) >= 128)
                row[c / 8] |= (Uint8)(0x80 >> (c % 8));
        zpl_gf_row(b, row, r ? prev : NULL, bpr);
        Uint8 *t = prev;
        prev = row, row = t;
    }
    buf_printf(b, "%s^FS\n", it->reverse ? "^FR" : "");
    free(bits);
    SDL_FreeSurface(s);
    return 0;
}

static int zpl_write(struct label_maker *m, const struct layout *L, struct buf *b)
{
    /* ^CI28: field data is UTF-8. ^PW/^LL: the label in dots. ^LH0,0: no
     * home offset. ^PON: normal orientation. */
    buf_printf(b, "^XA\n^CI28\n^PW%d\n^LL%d\n^LH0,0\n^PON\n", m->width, m->height);
    for (int i = 0; i < L->n; i++) {
        const struct item *it = &L->it[i];
        switch (it->kind) {
        case IT_BOX: {
            int t = it->thick;
            if (t > it->w / 2 || t > it->h / 2)
                t = it->w < it->h ? it->w : it->h;
            buf_printf(b, "^FO%d,%d^GB%d,%d,%d,B,0^FS\n", it->x, it->y, it->w, it->h, t);
            break;
        }
        case IT_TEXT:
            if (!*it->text)
                break;
            if (zpl_native_text(it->text)) {
                /* ^A0 at the cell height; ^FB aligns the line. Font 0 has
                 * widths of its own, so the block reaches as far as the text
                 * can grow without moving (to the margin on the side it grows
                 * to): the line never wraps onto a second line. */
                int margin = D(m, 20), x = it->x, w = it->w;
                if (it->align == 'L') {
                    w = m->width - margin - x;
                } else if (it->align == 'R') {
                    x = margin;
                    w = it->x + it->w - margin;
                } else {
                    int e = it->x - margin;
                    if (m->width - margin - (it->x + it->w) < e)
                        e = m->width - margin - (it->x + it->w);
                    if (e > 0)
                        x -= e, w += 2 * e;
                }
                if (w < it->w)
                    x = it->x, w = it->w;
                buf_printf(b, "^FO%d,%d^A0N,%d,%d^FB%d,1,0,%c,0%s^FD%s^FS\n", x, it->y, it->h,
                           it->h, w, it->align, it->reverse ? "^FR" : "", it->text);
            } else {
                int rc = zpl_text_raster(m, b, it);
                if (rc)
                    return rc;
            }
            break;
        case IT_CODE128:
            /* ^BY module width; ^BC normal, height, no interpretation line
             * (the plate is printed as text below), no check digit, mode A
             * (automatic subset switching, as zint does for the PNG). */
            buf_printf(b, "^FO%d,%d^BY%d,3,%d^BCN,%d,N,N,N,A^FD%s^FS\n", it->x, it->y,
                       it->module, it->h, it->h, it->text);
            break;
        case IT_QR:
            /* ^BQ normal, model 2, magnification; field data "QA,": error
             * correction Q, automatic data mode. Printers (and renderers
             * following them) draw a QR lower than its ^FO by the ^BY bar
             * height: set that to 10 dots and raise the origin as much. */
            buf_printf(b, "^FO%d,%d^BY2,3,%d^BQN,2,%d^FDQA,%s^FS\n", it->x, it->y - QR_DROP,
                       QR_DROP, it->module, it->text);
            break;
        }
    }
    buf_printf(b, "^PQ1\n^XZ\n");
    if (b->oom)
        return fail(m, -ENOMEM, "E617: out of memory for the ZPL");
    return 0;
}

int label_zpl(struct label_maker *m, const struct inspection *insp, char **zpl, size_t *len)
{
    *zpl = NULL;
    if (len)
        *len = 0;
    m->err[0] = 0;
    int rc = layout_label(m, insp, &m->lay);
    struct buf b = {0};
    if (rc == 0 && buf_reserve(&b, 8192) != 0)
        rc = fail(m, -ENOMEM, "E617: out of memory for the ZPL");
    if (rc == 0)
        rc = zpl_write(m, &m->lay, &b);
    if (rc) {
        buf_free(&b);
        return rc;
    }
    *zpl = buf_take(&b, len);
    return 0;
}

/* ------------------------------------------------------------------- PNG */

static void fill_rect(SDL_Surface *c, int x, int y, int w, int h, Uint8 v)
{
    if (x < 0)
        w += x, x = 0;
    if (y < 0)
        h += y, y = 0;
    if (x + w > c->w)
        w = c->w - x;
    if (y + h > c->h)
        h = c->h - y;
    for (int r = 0; r < h; r++)
        memset((Uint8 *)c->pixels + (size_t)(y + r) * c->pitch + x, v, w > 0 ? (size_t)w : 0);
}

static void paint_text(struct label_maker *m, SDL_Surface *c, const struct item *it, int *rc)
{
    int x, y;
    SDL_Surface *s = render_text(m, it, &x, &y);
    if (!s) {
        *rc = -EIO;
        return;
    }
    int xmax = it->x + it->w < c->w ? it->x + it->w : c->w;
    for (int r = 0; r < s->h; r++) {
        int ty = y + r;
        if (ty < 0 || ty >= c->h)
            continue;
        Uint8 *dst = (Uint8 *)c->pixels + (size_t)ty * c->pitch;
        for (int col = 0; col < s->w; col++) {
            int tx = x + col;
            if (tx < 0 || tx >= xmax)
                continue;
            unsigned a = coverage(s, col, r);
            if (!a)
                continue;
            unsigned d = dst[tx];
            dst[tx] = (Uint8)(it->reverse ? d + ((255 - d) * a + 127) / 255
                                          : d - (d * a + 127) / 255);
        }
    }
    SDL_FreeSurface(s);
}

/* Draw a zint symbol's modules (1 pixel each in its bitmap) as module-sized
 * squares, or for a linear symbol as bars of the item's height. */
static int paint_symbol(struct label_maker *m, SDL_Surface *c, struct zint_symbol *sym,
                        const struct item *it)
{
    int zrc = ZBarcode_Buffer(sym, 0);
    if (zrc >= ZINT_ERROR || !sym->bitmap)
        return fail(m, -EIO, "%s: cannot draw the barcode: %s",
                    it->kind == IT_QR ? "E621" : "E620", sym->errtxt);
    int px = sym->bitmap_width / (sym->width ? sym->width : 1);
    if (px < 1)
        px = 1;
    bool linear = it->kind == IT_CODE128;
    int rows = linear ? 1 : sym->bitmap_height / px;
    for (int r = 0; r < rows; r++) {
        const unsigned char *row = sym->bitmap + (size_t)(r * px) * sym->bitmap_width * 3;
        for (int col = 0; col < sym->width; col++) {
            if (row[(size_t)col * px * 3] >= 128)
                continue; /* light module */
            fill_rect(c, it->x + col * it->module, it->y + r * it->module, it->module,
                      linear ? it->h : it->module, 0);
        }
    }
    return 0;
}

static int paint(struct label_maker *m, const struct layout *L)
{
    if (!m->canvas) {
        m->canvas = SDL_CreateRGBSurfaceWithFormat(0, m->width, m->height, 8,
                                                   SDL_PIXELFORMAT_INDEX8);
        if (!m->canvas)
            return fail(m, -ENOMEM, "E608: cannot make a %dx%d canvas: %s", m->width, m->height,
                        SDL_GetError());
        SDL_Color grey[256];
        for (int i = 0; i < 256; i++)
            grey[i] = (SDL_Color){(Uint8)i, (Uint8)i, (Uint8)i, 255};
        SDL_SetPaletteColors(m->canvas->format->palette, grey, 0, 256);
    }
    SDL_Surface *c = m->canvas;
    fill_rect(c, 0, 0, c->w, c->h, 255);
    int rc = 0;
    for (int i = 0; i < L->n && rc == 0; i++) {
        const struct item *it = &L->it[i];
        switch (it->kind) {
        case IT_BOX: {
            int t = it->thick;
            if (t * 2 >= it->w || t * 2 >= it->h) {
                fill_rect(c, it->x, it->y, it->w, it->h, 0);
            } else {
                fill_rect(c, it->x, it->y, it->w, t, 0);
                fill_rect(c, it->x, it->y + it->h - t, it->w, t, 0);
                fill_rect(c, it->x, it->y, t, it->h, 0);
                fill_rect(c, it->x + it->w - t, it->y, t, it->h, 0);
            }
            break;
        }
        case IT_TEXT:
            if (*it->text)
                paint_text(m, c, it, &rc);
            break;
        case IT_CODE128:
            rc = paint_symbol(m, c, L->code128, it);
            break;
        case IT_QR:
            rc = paint_symbol(m, c, L->qr, it);
            break;
        }
    }
    return rc;
}

static int render_png(struct label_maker *m, const struct inspection *insp)
{
    m->err[0] = 0;
    int rc = layout_label(m, insp, &m->lay);
    if (rc == 0)
        rc = paint(m, &m->lay);
    return rc;
}

int label_png(struct label_maker *m, const struct inspection *insp, const char *path, char *err,
              size_t errlen)
{
    int rc = render_png(m, insp);
    if (rc == 0 && IMG_SavePNG(m->canvas, path) != 0)
        rc = fail(m, -EIO, "E610: cannot write %s: %s", path, IMG_GetError());
    if (rc)
        copy_err(err, errlen, m->err);
    return rc;
}

/* An SDL_RWops that appends to a struct buf (buf.h): IMG_SavePNG_RW into memory. */
static size_t mem_write(SDL_RWops *rw, const void *p, size_t size, size_t num)
{
    struct buf *b = rw->hidden.unknown.data1;
    buf_add(b, p, size * num);
    return b->oom ? 0 : num;
}
static Sint64 mem_size(SDL_RWops *rw) { return (Sint64)((struct buf *)rw->hidden.unknown.data1)->len; }
static Sint64 mem_seek(SDL_RWops *rw, Sint64 off, int whence)
{
    struct buf *b = rw->hidden.unknown.data1;
    /* Only "where am I" is needed: the PNG writer appends. */
    return (off == 0 && (whence == RW_SEEK_CUR || whence == RW_SEEK_END)) ? (Sint64)b->len : -1;
}
static size_t mem_read(SDL_RWops *rw, void *p, size_t size, size_t num)
{
    (void)rw, (void)p, (void)size, (void)num;
    return 0;
}
static int mem_close(SDL_RWops *rw)
{
    SDL_FreeRW(rw);
    return 0;
}

int label_png_mem(struct label_maker *m, const struct inspection *insp, void **png, size_t *len,
                  char *err, size_t errlen)
{
    *png = NULL;
    *len = 0;
    int rc = render_png(m, insp);
    struct buf b = {0};
    if (rc == 0) {
        SDL_RWops *rw = SDL_AllocRW();
        if (!rw) {
            rc = fail(m, -ENOMEM, "E622: out of memory");
        } else {
            rw->type = SDL_RWOPS_UNKNOWN;
            rw->hidden.unknown.data1 = &b;
            rw->write = mem_write;
            rw->size = mem_size;
            rw->seek = mem_seek;
            rw->read = mem_read;
            rw->close = mem_close;
            if (IMG_SavePNG_RW(m->canvas, rw, 1) != 0 || b.oom)
                rc = fail(m, -EIO, "E619: cannot encode the PNG: %s",
                          b.oom ? "out of memory" : IMG_GetError());
        }
    }
    if (rc) {
        buf_free(&b);
        copy_err(err, errlen, m->err);
        return rc;
    }
    *png = buf_take(&b, len);
    return 0;
}

int label_text_lines(struct label_maker *m, const struct inspection *insp,
                     void (*fn)(void *ctx, const struct label_text_line *line), void *ctx)
{
    m->err[0] = 0;
    int rc = layout_label(m, insp, &m->lay);
    if (rc)
        return rc;
    for (int i = 0; i < m->lay.n; i++) {
        const struct item *it = &m->lay.it[i];
        if (it->kind != IT_TEXT)
            continue;
        struct label_text_line line = {
            .text = it->text, .x = it->x, .y = it->y, .w = it->w, .h = it->h,
            .ink_w = text_width(m, it->font, it->text), .reverse = it->reverse,
            .native = zpl_native_text(it->text),
        };
        fn(ctx, &line);
    }
    return 0;
}

/*
 * label.h — the item label: one layout, two renderings.
 *
 * A label is laid out once per inspection into a list of boxes, text lines
 * and barcodes in printer dots; the same list is then either written as ZPL II
 * (label_zpl) or painted into an 8-bit grey SDL surface and saved as PNG
 * (label_png, label_png_mem). So the preview and the print show the same
 * label: same positions, same line breaks, same shortened texts.
 *
 * The label speaks one language (label_spec.lang: [printer] lang, else the
 * station's): its captions, flags, dispositions, responsibility, resolution
 * and the reason check are words of that language, and the rules give the
 * words of defects, declared reasons and categories (codes when they have
 * none). Chinese words, like any text that is not printable ASCII, go to
 * the printer as graphics.
 *
 * What a 4x6 label shows, top to bottom: station and date (finished_at in
 * the station's local time, "2026-11-23 10:41"); a Code 128 of the plate with
 * the plate in text under it; the overall grade very large in a black box
 * beside the three sub-grades; the disposition in words; who is responsible
 * and the resolution (with the return type); the declared reason against
 * what was found ("Defective: NOT FOUND"); defects in words, RMA, SKU,
 * serial, category and grader beside the QR code; the description (any
 * script); the flags
 * LATE / WRONG ITEM or MISMATCH / BLIND / RE-GRADE / UNIT 2/3 / EXTRA when
 * set (WRONG ITEM: another product than the manifest's, whose SKU is then
 * printed as the EXPECTED SKU and whose scanned code replaces the
 * description; MISMATCH: another unit of the product; RE-GRADE: the item is
 * chosen for a blind re-grade by another grader; UNIT 2/3: unit 2 of the 3
 * the RMA expects; EXTRA: one unit more than expected). Every size draws
 * the same flags with the same code, as words, or as initials (L, W, M, B,
 * R, 2/3, E) where the words do not fit.
 *
 * Text too long for its box is shortened visibly with "…" (U+2026), never
 * drawn past the box in the PNG. Widths are measured with the TTF font the
 * maker holds, so both outputs break and shorten lines at the same places.
 * ZPL's font 0 has widths of its own (CG Triumvirate Bold Condensed on a
 * Zebra is narrower; some renderers draw "-" much wider): each ^FB block
 * reaches to the margin on the side its line grows to, so a line is never
 * wrapped onto a second one by the printer.
 *
 * ZPL (ZPL II Programming Guide): ^XA … ^XZ, ^CI28 (UTF-8), ^PW/^LL from the
 * size and dpi, ^BC for the Code 128 (automatic subsets), ^BQ model 2 for the
 * QR with field data "QA," (error correction Q, automatic input), ^GB boxes,
 * ^A0 + ^FB for printable ASCII text (and "…"). A text line with any other
 * character (Chinese, Cyrillic, "^", "~", "\") is sent as a ^GFA raster
 * graphic rendered from the same TTF font, compressed with ZPL's ASCII
 * run-length scheme; barcodes always stay native ZPL commands.
 *
 * QR payload (version 1 of the format): fields joined by "|", the first the
 * format tag, the others KEY=VALUE in this order:
 *
 *     TRIAGE1|P=SH01-S03-000042|G=B|C=B|F=A|K=A|D=SCR-L,NOBOX|DSP=open_box|R=2026-11
 *
 *     P    plate
 *     G    overall grade           A, B, C, X, or - when none
 *     C    cosmetic sub-grade      same letters
 *     F    functional sub-grade
 *     K    completeness sub-grade
 *     D    defect codes, comma-separated, in the inspection's order; may be empty
 *     DSP  disposition id from the rules (restock, open_box, refurbish, …)
 *     R    rules version; may be empty
 *   and, each only when set: RSP the responsibility (merchant, logistics,
 *   customer, platform), RT the return type (quality, non_quality), RES the
 *   resolution (refund, partial_refund, exchange, repair, reject,
 *   investigate), RC the reason check (confirmed, not_found):
 *
 *     TRIAGE1|P=…|R=2026-12|RSP=logistics|RT=quality|RES=refund|RC=confirmed
 *
 * Values hold only printable ASCII without "|", ",", "=", "^", "~" and "\";
 * any other byte is written as "." so the payload always splits cleanly and
 * is safe inside a ZPL field. Readers split on "|", then on the first "=",
 * ignore keys they do not know (later versions may add keys at the end) and
 * check the tag. The payload is at most LABEL_PAYLOAD_MAX - 1 bytes.
 *
 * Sizes: the 4x6 inch layout is drawn from a 203-dpi design scaled to the
 * spec's dpi, so 300 dpi (1200x1800 dots) needs nothing more. 4x3 and 2x1
 * have layouts of their own (label.c): the 4x3 shows the same fields,
 * tighter (details, responsibility with resolution and the description on
 * one line each); the 2x1, for the item itself, shows the plate (Code 128
 * and text), the grade, the disposition with the resolution, the sub-grades
 * and the flags, and no QR. Other sizes are refused (E602).
 *
 * Error ids E600–E629 (E630–E649 are the folder printer's, printer.h):
 *   E600 the font cannot be opened           E601 TTF_Init failed
 *   E602 unsupported label size or dpi       E603 the plate is missing or unusable
 *   E604 out of memory (maker)               E605 the plate cannot be a Code 128
 *   E606 the payload cannot be a QR code     E607 the Code 128 does not fit the label
 *   E608 the canvas cannot be made           E609 text cannot be rendered
 *   E610 the PNG file cannot be written      E611 bad size text ("4x6")
 *   E612 SDL_ttf was shut down (TTF_Quit) before label_maker_close: each
 *        TTF_Init needs exactly one TTF_Quit, SDL_ttf counts them
 *   E613 the QR payload is too long          E614 the QR code does not fit the label
 *   E615 out of memory (barcode)             E616 out of memory (text graphic)
 *   E617 out of memory (ZPL)                 E618 layout out of room (a bug)
 *   E619 the PNG cannot be encoded in memory E620 the Code 128 cannot be drawn
 *   E621 the QR code cannot be drawn         E622 out of memory (PNG in memory)
 *
 * Not thread-safe: use one maker per thread.
 */
#ifndef TRIAGE_LABEL_H
#define TRIAGE_LABEL_H

#include <stddef.h>

#include "inspection.h"
#include "lang.h"
#include "rules.h"

#define LABEL_FONT_DEFAULT "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
#define LABEL_PAYLOAD_MAX 512

struct label_spec {
    double width_in;           /* 4 */
    double height_in;          /* 6 */
    int dpi;                   /* 203 or 300 */
    const char *font_path;     /* TTF/TTC with CJK glyphs; NULL = LABEL_FONT_DEFAULT */
    enum lang lang;            /* the label's words: captions, flags, dispositions … */
    const struct rules *rules; /* defect, reason and category names; NULL: the codes */
};

/* The label as the station's configuration asks for it ([printer] size and
 * dpi, [station] font): the label module's own options, filled by the
 * application from its configuration. Empty fields take the defaults. */
struct label_opts {
    char size[8];              /* "4x6", "4x3", "2x1"; "" = 4x6 */
    int dpi;                   /* 203 or 300; 0 = 203 */
    char font_path[512];       /* TTF/TTC with CJK glyphs; "" = LABEL_FONT_DEFAULT */
    char lang[4];              /* "en", "zh" ([printer] lang, else the station's); "" = en */
    const struct rules *rules; /* the station's rules, for names; NULL: codes */
};

struct label_maker;

/* Fill `spec` from `opts`, the defaults for its empty fields; spec->font_path
 * then points into opts. Returns 0, or -EINVAL with "E611: …" in err. */
int label_spec_from_opts(struct label_spec *spec, const struct label_opts *opts, char *err,
                         size_t errlen);

/* Fill `spec` from a size text "WxH" in inches ("4x6", "4x3", "2x1") and a dpi;
 * font_path is stored as given (may be NULL); English, no rules. Returns 0,
 * or -EINVAL with "E611: …" in err. Says nothing about whether the size is
 * supported. */
int label_spec_parse(struct label_spec *spec, const char *size, int dpi, const char *font_path,
                     char *err, size_t errlen);

/* Open a maker: checks the size, opens the font at the sizes the layout uses
 * (kept open for every label it makes). Returns NULL with "E6NN: …" in err. */
struct label_maker *label_maker_open(const struct label_spec *spec, char *err, size_t errlen);

/* Close a maker; NULL is fine. */
void label_maker_close(struct label_maker *m);

/* Label width and height in dots (812 x 1218 for 4x6 at 203 dpi). */
int label_width_dots(const struct label_maker *m);
int label_height_dots(const struct label_maker *m);

/* The text of the last error of `m` ("E6NN: …"), or "" when none. */
const char *label_maker_error(const struct label_maker *m);

/* The ZPL II of insp's label into *zpl (malloc'd, NUL-terminated; the caller
 * frees it) and its length into *len (len may be NULL). Returns 0, or a
 * negative errno code with the reason in label_maker_error(m); *zpl is then
 * NULL. insp->plate must be set (printable ASCII without "^", "~", "\", ">"). */
int label_zpl(struct label_maker *m, const struct inspection *insp, char **zpl, size_t *len);

/* Draw insp's label and save it as a PNG (8-bit grey) at `path`, written in
 * place (the folder printer makes it atomic). Returns 0, or a negative errno
 * code with "E6NN: …" in err (err may be NULL). */
int label_png(struct label_maker *m, const struct inspection *insp, const char *path, char *err,
              size_t errlen);

/* The same PNG into memory: *png malloc'd (the caller frees it), *len its
 * size. Returns 0, or a negative errno code with "E6NN: …" in err. */
int label_png_mem(struct label_maker *m, const struct inspection *insp, void **png, size_t *len,
                  char *err, size_t errlen);

/* One text line of a label as laid out (for tests and tools). */
struct label_text_line {
    const char *text; /* UTF-8, as printed, "…" included when shortened */
    int x, y, w, h;   /* its box in dots; h is the font size */
    int ink_w;        /* width the text takes in the TTF font; <= w */
    int reverse;      /* white on black */
    int native;       /* printed with ZPL font 0 (else as a ^GFA graphic) */
};

/* Lay out insp's label and call fn for each text line, top to bottom as
 * drawn. Returns 0, or a negative errno code (label_maker_error(m)). */
int label_text_lines(struct label_maker *m, const struct inspection *insp,
                     void (*fn)(void *ctx, const struct label_text_line *line), void *ctx);

/* The QR payload (format above) into out. Returns its length (>= 0), or
 * -ENOSPC when it does not fit in outlen (out then holds "" if outlen > 0). */
int label_payload(const struct inspection *insp, char *out, size_t outlen);

/* A disposition id in words for people: "open_box" → "OPEN BOX",
 * "rtv" → "RETURN TO VENDOR". Writes into out; returns out. */
char *label_disposition_words(const char *disposition, char *out, size_t outlen);

#endif

/*
 * test_print_sizes.c — every label size and dpi the [printer] config takes,
 * read back from both renderings.
 *
 * Table: sizes 4x6, 4x3, 2x1 at 203 and 300 dpi, each with an English, a
 * Chinese and an overlong inspection. For each: the PNG (our painter) and
 * the ZPL rendered by zpl-renderer-js (an independent renderer) are read by
 * zbarimg: the Code 128 gives the plate, the QR the payload (2x1 labels
 * carry no QR). Every text line fits its box; the overlong description is
 * cut with "…" on the label; the overlong one carries every flag, RE-GRADE
 * included, and still reads back.
 *
 * Two more per row, with the demo rules: a decided inspection (a carrier's
 * damage confirmed, refunded, a unit of several) on a label in Chinese, and
 * the same on one in English: the responsibility, the resolution, the
 * declared reason against what was found, the serial, the grader and the
 * defects in words of the label's language, the policy in the QR payload;
 * the Chinese one rendered by the independent renderer and decoded too.
 */
#include <math.h>

#include "label.h"
#include "print_fake.h"

#define ELLIPSIS "\xE2\x80\xA6"

struct size_row {
    const char *size;
    double w, h;
    int dpi;
    bool qr;
};

static const struct size_row sizes[] = {
    /* 0 */ {"4x6", 4, 6, 203, true},
    /* 1 */ {"4x6", 4, 6, 300, true},
    /* 2 */ {"4x3", 4, 3, 203, true},
    /* 3 */ {"4x3", 4, 3, 300, true},
    /* 4 */ {"2x1", 2, 1, 203, false},
    /* 5 */ {"2x1", 2, 1, 300, false},
};
#define NSIZES ((int)(sizeof sizes / sizeof *sizes))
#define NINSP 5 /* English, Chinese, overlong; a decided one in Chinese, in English */

struct fit {
    int lines, over, cut;
};

static void on_line(void *ctx, const struct label_text_line *l)
{
    struct fit *f = ctx;
    f->lines++;
    if (l->ink_w > l->w)
        f->over++;
    if (strstr(l->text, ELLIPSIS))
        f->cut++;
}

/* The texts of a label's lines, joined by "|". */
struct texts {
    char all[4096];
};

static void on_text(void *ctx, const struct label_text_line *l)
{
    struct texts *t = ctx;
    size_t n = strlen(t->all);
    snprintf(t->all + n, sizeof t->all - n, "%s|", l->text);
}

static void make(struct inspection *in, int k, int row)
{
    print_insp(in, k, k == 1);
    if (k >= 3) { /* decided by the demo rules */
        snprintf(in->category, sizeof in->category, "phone");
        snprintf(in->serial, sizeof in->serial, "F2LXK9Q1N72P");
        snprintf(in->operator_badge, sizeof in->operator_badge, "1001");
        snprintf(in->reason, sizeof in->reason, "Damaged");
        in->grade = in->aspect_grade[ASPECT_COSMETIC] = GRADE_X;
        snprintf(in->disposition, sizeof in->disposition, "return_to_vendor");
        in->ndefects = 1;
        snprintf(in->defects[0], sizeof in->defects[0], "CRK");
        in->reason_check = REASON_CHECK_CONFIRMED;
        in->responsibility = in->responsibility_suggested = RESP_LOGISTICS;
        in->return_type = RETURN_TYPE_QUALITY;
        in->resolution = RESOLUTION_REFUND;
        in->unit = 2;
        in->units = 3;
        in->late = false;
        snprintf(in->rules_version, sizeof in->rules_version, "2026-12");
    }
    snprintf(in->station, sizeof in->station, "SH01-S0%d", row);
    plate_format(in->plate, sizeof in->plate, in->station, 100 * row + k + 1);
    if (k == 2) { /* overlong everything */
        snprintf(in->description, sizeof in->description, "%s",
                 "Bosch Serie 6 cordless vacuum cleaner with two batteries, wall mount, crevice "
                 "tool, upholstery nozzle, soft dusting brush and a charger for EU sockets, grey");
        snprintf(in->rma, sizeof in->rma, "RMA-2026-11-23-SHANGHAI-WAREHOUSE-RETURNS-0001234");
        in->mismatch = in->blind = in->late = in->calibration_due = true;
    }
}

int main(void)
{
    if (!harness_have("zbarimg"))
        harness_skip("zbarimg missing (packaging/deps.sh test installs zbar-tools)");
    const char *dir = harness_tmpdir();
    char err[256];
    struct rules *rules = NULL;
    if (!CHECK_INT(rules_load_file("demo/rules.json", &rules, err, sizeof err), 0))
        fprintf(stderr, "%s\n", err);
    static char opts[NSIZES][64], zfiles[NSIZES][NINSP][600];
    static struct inspection allins[NSIZES][NINSP];
    const char *all[NSIZES * (NINSP + 1)];
    int nall = 0;
    for (int r = 0; r < NSIZES; r++) {
        const struct size_row *sz = &sizes[r];
        struct label_spec spec;
        CHECK_INT(label_spec_parse(&spec, sz->size, sz->dpi, NULL, err, sizeof err), 0);
        struct label_maker *m = label_maker_open(&spec, err, sizeof err);
        if (!CHECK(m != NULL)) {
            fprintf(stderr, "row %d: %s\n", r, err);
            continue;
        }
        CHECK_INT(label_width_dots(m), (int)lround(sz->w * sz->dpi));
        CHECK_INT(label_height_dots(m), (int)lround(sz->h * sz->dpi));
        /* The decided inspection's labels: Chinese and English, with the rules. */
        struct label_spec zs = spec, es = spec;
        zs.lang = LANG_ZH;
        zs.rules = es.rules = rules;
        struct label_maker *mz = label_maker_open(&zs, err, sizeof err);
        struct label_maker *me = label_maker_open(&es, err, sizeof err);
        CHECK(mz && me);
        char names[NINSP][600];
        const char *files[NINSP];
        struct inspection ins[NINSP];
        for (int k = 0; k < NINSP; k++) {
            make(&ins[k], k, r);
            struct label_maker *mk = k == 3 ? mz : k == 4 ? me : m;
            if (!mk)
                continue;
            struct fit f = {0};
            CHECK_INT(label_text_lines(mk, &ins[k], on_line, &f), 0);
            CHECK(f.lines >= 3);
            CHECK_INT(f.over, 0);
            if (k == 2 && sz->qr && !CHECK(f.cut > 0)) /* 2x1 shows no description */
                fprintf(stderr, "row %d: nothing cut on the overlong label\n", r);
            void *png = NULL;
            size_t plen = 0;
            char *zpl = NULL;
            size_t zlen = 0;
            CHECK_INT(label_png_mem(mk, &ins[k], &png, &plen, err, sizeof err), 0);
            CHECK_INT(label_zpl(mk, &ins[k], &zpl, &zlen), 0);
            char path[700], payload[LABEL_PAYLOAD_MAX];
            snprintf(path, sizeof path, "%s/%s-%d-%d.png", dir, sz->size, sz->dpi, k);
            FILE *fp = fopen(path, "wb");
            if (png)
                fwrite(png, 1, plen, fp);
            fclose(fp);
            label_payload(&ins[k], payload, sizeof payload);
            if (!CHECK(zbar_reads(path, ins[k].plate, sz->qr ? payload : NULL)))
                fprintf(stderr, "row %d/%d: our PNG does not read back\n", r, k);
            snprintf(names[k], sizeof names[k], "%s/%s-%d-%d.zpl", dir, sz->size, sz->dpi, k);
            files[k] = names[k];
            fp = fopen(names[k], "wb");
            if (zpl)
                fwrite(zpl, 1, zlen, fp);
            fclose(fp);
            char pw[32];
            snprintf(pw, sizeof pw, "^PW%d", label_width_dots(m));
            CHECK(zpl && strstr(zpl, pw));
            CHECK(sz->qr == (zpl && strstr(zpl, "^BQ") != NULL));
            if (k == 1 && sz->qr) /* Chinese goes as a graphic, barcodes stay native */
                CHECK(zpl && strstr(zpl, "^GFA") && strstr(zpl, "^BC"));
            /* Every flag on every size, RE-GRADE too (initials where words do not fit). */
            if (k == 2 && !CHECK(zpl && (strstr(zpl, "^FR^FDRE-GRADE^FS") ||
                                         (!sz->qr && strstr(zpl, "^FR^FDR^FS")))))
                fprintf(stderr, "row %d: no RE-GRADE flag\n", r);
            if (k >= 3) {
                /* The policy in the payload; the words on the label. */
                CHECK(!sz->qr || strstr(payload, "|RSP=logistics|RT=quality|RES=refund|"
                                                 "RC=confirmed"));
                struct texts t = {""};
                label_text_lines(mk, &ins[k], on_text, &t);
                bool big = sz->qr; /* 4x6 and 4x3: everything; 2x1: the resolution */
                bool tall = sz->h > 5; /* the 4x6 has the return type too */
                bool ok;
                if (k == 3)
                    ok = zpl && strstr(t.all, "退款") && strstr(zpl, "^GFA") &&
                         !strstr(zpl, "REFUND") &&
                         (!big || (strstr(t.all, "物流") && strstr(t.all, "屏幕破裂") &&
                                   strstr(t.all, "到货破损") && strstr(t.all, "属实") &&
                                   (!tall || strstr(t.all, "质量问题")) &&
                                   strstr(t.all, "F2LXK9Q1N72P") &&
                                   strstr(t.all, "1001") && strstr(t.all, "手机") &&
                                   !strstr(t.all, "RESPONSIBILITY") && !strstr(t.all, "CRK")));
                else
                    ok = zpl && strstr(zpl, "^FDRETURN TO VENDOR") && strstr(t.all, "REFUND") &&
                         (!big || (strstr(zpl, "^FDLOGISTICS^FS") &&
                                   strstr(t.all, "Cracked screen") &&
                                   strstr(t.all, "Arrived damaged: CONFIRMED") &&
                                   strstr(t.all, "1001") && strstr(t.all, "F2LXK9Q1N72P") &&
                                   (!tall || strstr(t.all, "REFUND / QUALITY")) &&
                                   strstr(t.all, "Phone") && strstr(t.all, "UNIT 2/3")));
                if (!CHECK(ok))
                    fprintf(stderr, "row %d/%d: the label lacks a word of the policy: %s\n", r, k,
                            t.all);
            }
            free(png);
            free(zpl);
        }
        snprintf(opts[r], sizeof opts[r], "--mm %.1f %.1f --dpmm %d", sz->w * 25.4,
                 sz->h * 25.4, sz->dpi >= 290 ? 12 : 8);
        all[nall++] = opts[r];
        for (int k = 0; k < NINSP; k++) {
            snprintf(zfiles[r][k], sizeof zfiles[r][k], "%s", files[k]);
            all[nall++] = zfiles[r][k];
            allins[r][k] = ins[k];
        }
        label_maker_close(m);
        label_maker_close(mz);
        label_maker_close(me);
    }
    /* The ZPL of every row through the independent renderer, in one run. */
    if (CHECK(zpl_render_as(all, nall, 4, 6, 203))) {
        for (int r = 0; r < NSIZES; r++)
            for (int k = 0; k < NINSP; k++) {
                const struct size_row *sz = &sizes[r];
                char png[700], payload[LABEL_PAYLOAD_MAX];
                snprintf(png, sizeof png, "%s/%s-%d-%d.render.png", dir, sz->size, sz->dpi, k);
                label_payload(&allins[r][k], payload, sizeof payload);
                if (!CHECK(zbar_reads(png, allins[r][k].plate, sz->qr ? payload : NULL)))
                    fprintf(stderr, "row %d/%d: the rendered ZPL does not read back\n", r, k);
            }
    }
    /* sizes without a layout still say so */
    struct label_spec spec;
    CHECK_INT(label_spec_parse(&spec, "3x2", 203, NULL, err, sizeof err), 0);
    CHECK(label_maker_open(&spec, err, sizeof err) == NULL && strncmp(err, "E602:", 5) == 0);
    rules_free(rules);
    return harness_done();
}

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
#define NINSP 3

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

static void make(struct inspection *in, int k, int row)
{
    print_insp(in, k, k == 1);
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
        char names[NINSP][600];
        const char *files[NINSP];
        struct inspection ins[NINSP];
        for (int k = 0; k < NINSP; k++) {
            make(&ins[k], k, r);
            struct fit f = {0};
            CHECK_INT(label_text_lines(m, &ins[k], on_line, &f), 0);
            CHECK(f.lines >= 3);
            CHECK_INT(f.over, 0);
            if (k == 2 && sz->qr && !CHECK(f.cut > 0)) /* 2x1 shows no description */
                fprintf(stderr, "row %d: nothing cut on the overlong label\n", r);
            void *png = NULL;
            size_t plen = 0;
            char *zpl = NULL;
            size_t zlen = 0;
            CHECK_INT(label_png_mem(m, &ins[k], &png, &plen, err, sizeof err), 0);
            CHECK_INT(label_zpl(m, &ins[k], &zpl, &zlen), 0);
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
    return harness_done();
}

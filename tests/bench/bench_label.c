/*
 * bench_label.c — time to make one item label.
 *
 *   bench label_zpl_ms <median> ms    layout + ZPL II text (target < 2 ms)
 *   bench label_png_ms <median> ms    layout + paint + PNG file (target < 20 ms)
 *
 * Median of RUNS labels each, after a few warm-up labels (the fonts' glyph
 * caches fill on the first ones, as they do on a station after its first
 * label). The inspection carries a Chinese description, so the ZPL includes
 * a ^GFA raster line, the slow path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "label.h"
#include "log.h"

#define RUNS 200
#define WARMUP 5

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static double median_ms(int64_t *ns, int n)
{
    qsort(ns, (size_t)n, sizeof *ns, cmp_i64);
    int64_t mid = n % 2 ? ns[n / 2] : (ns[n / 2 - 1] + ns[n / 2]) / 2;
    return (double)mid / 1e6;
}

int main(void)
{
    struct label_spec spec = {.width_in = 4, .height_in = 6, .dpi = 203, .font_path = NULL};
    char err[256];
    struct label_maker *m = label_maker_open(&spec, err, sizeof err);
    if (!m) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    struct inspection in;
    memset(&in, 0, sizeof in);
    snprintf(in.station, sizeof in.station, "SH01-S03");
    snprintf(in.rma, sizeof in.rma, "RMA-2026-000123");
    snprintf(in.sku, sizeof in.sku, "PH-IP13-128-BLK");
    snprintf(in.category, sizeof in.category, "phone");
    snprintf(in.description, sizeof in.description,
             "Apple iPhone 13 128GB 午夜色 全新未拆封 带原装充电线和耳机");
    in.finished_at = 1795430467000LL;
    in.grade = GRADE_B;
    in.aspect_grade[ASPECT_COSMETIC] = GRADE_B;
    in.aspect_grade[ASPECT_FUNCTIONAL] = GRADE_A;
    in.aspect_grade[ASPECT_COMPLETENESS] = GRADE_A;
    snprintf(in.disposition, sizeof in.disposition, "open_box");
    in.ndefects = 2;
    snprintf(in.defects[0], sizeof in.defects[0], "SCR-L");
    snprintf(in.defects[1], sizeof in.defects[1], "NOBOX");
    snprintf(in.rules_version, sizeof in.rules_version, "2026-11");
    in.late = true;

    char path[600];
    snprintf(path, sizeof path, "%s/label.png", harness_tmpdir());
    static int64_t zpl_ns[RUNS], png_ns[RUNS];
    for (int i = -WARMUP; i < RUNS; i++) {
        in.seq = 42 + i + WARMUP;
        plate_format(in.plate, sizeof in.plate, in.station, in.seq);
        char *zpl = NULL;
        int64_t t0 = clock_mono_ns();
        int rc = label_zpl(m, &in, &zpl, NULL);
        int64_t t1 = clock_mono_ns();
        free(zpl);
        if (rc == 0)
            rc = label_png(m, &in, path, err, sizeof err);
        int64_t t2 = clock_mono_ns();
        if (rc) {
            fprintf(stderr, "%s\n", *err ? err : label_maker_error(m));
            label_maker_close(m);
            return 1;
        }
        if (i >= 0) {
            zpl_ns[i] = t1 - t0;
            png_ns[i] = t2 - t1;
        }
    }
    printf("bench label_zpl_ms %.3f ms\n", median_ms(zpl_ns, RUNS));
    printf("bench label_png_ms %.3f ms\n", median_ms(png_ns, RUNS));
    label_maker_close(m);
    return 0;
}

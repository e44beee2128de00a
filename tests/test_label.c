/*
 * test_label.c — the item label (ZPL and PNG) and the folder printer.
 *
 * Table-driven: each row is an inspection; for each we check the QR payload,
 * the ZPL text, that every text line fits its box, and that zbarimg reads
 * the PNG back: the Code 128 gives the plate, the QR the payload. Then the
 * folder printer: both files, atomically, no temporary files left; the
 * station's printer from its config; the flags (RE-GRADE among them) on
 * every label size; and the label font the configuration names.
 * Without zbarimg the test is skipped, never passed.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "harness.h"
#include "label.h"
#include "printer.h"

#define ELLIPSIS "\xE2\x80\xA6"

static const char long_ascii[] =
    "Bosch Serie 6 cordless vacuum cleaner with two batteries, wall mount, crevice tool, "
    "upholstery nozzle, soft dusting brush and a charger for EU sockets, grey, model "
    "BCS611AM, bought as a gift";
static const char long_zh[] =
    "小米空气净化器4 Pro 家用卧室除甲醛除菌除过敏原 智能联动 静音 "
    "大面积适用 含原装滤芯一枚 外包装有轻微压痕 配件齐全 说明书 保修卡 发票均在箱内";

struct row {
    const char *name;
    int64_t seq;
    const char *rma, *sku, *category, *description;
    enum grade grade, cos, fun, kit;
    const char *defects; /* space-separated */
    const char *disposition, *rules;
    bool late, mismatch, blind;
    const char *payload;  /* expected, or NULL to skip the exact check */
    int desc_lines;       /* lines the description takes (at most 2) */
    bool desc_cut;        /* the description does not fit two lines */
};

static const struct row rows[] = {
    /* 0: plain ASCII, grade A, nothing wrong */
    {"ascii-A", 1, "RMA-0001", "AP-KETTLE-17", "small_appliance", "Electric kettle 1.7 l",
     GRADE_A, GRADE_A, GRADE_A, GRADE_A, "", "restock", "2026-11", false, false, false,
     "TRIAGE1|P=SH01-S03-000001|G=A|C=A|F=A|K=A|D=|DSP=restock|R=2026-11", 1, false},
    /* 1: the example of label.h, Chinese description, late */
    {"zh-B", 42, "RMA-2026-000123", "PH-IP13-128-BLK", "phone",
     "Apple iPhone 13 128GB 午夜色 屏幕轻微划痕", GRADE_B, GRADE_B, GRADE_A, GRADE_A,
     "SCR-L NOBOX", "open_box", "2026-11", true, false, false,
     "TRIAGE1|P=SH01-S03-000042|G=B|C=B|F=A|K=A|D=SCR-L,NOBOX|DSP=open_box|R=2026-11", 1,
     false},
    /* 2: every field too long, many defects, grade C, mismatch and blind */
    {"long-C", 123456,
     "RMA-2026-11-23-SHANGHAI-WAREHOUSE-RETURNS-000000000123456789-EXTRA-LONG",
     "AP-VAC-BOSCH-SERIE6-BCS611AM-GREY-EU-PLUG-WITH-ACCESSORIES-0001",
     "small_appliance_cordless_vacuum_cleaners_and_accessories", long_ascii, GRADE_C, GRADE_C,
     GRADE_B, GRADE_C,
     "SCR-L SCR-H DENT CRK-CASE NOBOX NOMANUAL NOCHARGER BATT-WEAK MOTOR-NOISE SMELL STAIN "
     "MISSING-PART-A MISSING-PART-B WRONG-ITEM USED-HEAVY OTHER-DEFECT",
     "refurbish", "2026-11b", false, true, true, NULL, 2, true},
    /* 3: scrap, long Chinese description, all flags */
    {"zh-X", 999999, "RMA-0099", "HA-PURIFIER-4PRO", "home", long_zh, GRADE_X, GRADE_X,
     GRADE_X, GRADE_B, "CRK", "scrap", "2026-11", true, true, true,
     "TRIAGE1|P=SH01-S03-999999|G=X|C=X|F=X|K=B|D=CRK|DSP=scrap|R=2026-11", 2, true},
    /* 4: separators and non-ASCII inside payload values become ".";
     *    an aspect without checks is "-"; ZPL command characters in text */
    {"odd-chars", 7, "RMA^7~x", "SKU|A=B", "apparel", "T-shirt ^XZ size ~M\\L, 纯棉",
     GRADE_B, GRADE_NONE, GRADE_B, GRADE_A, "TEAR|1 COL=OR", "return_to_vendor", "v,1",
     false, false, false,
     "TRIAGE1|P=SH01-S03-000007|G=B|C=-|F=B|K=A|D=TEAR.1,COL.OR|DSP=return_to_vendor|R=v.1",
     1, false},
};

static void fill(struct inspection *in, const struct row *r)
{
    memset(in, 0, sizeof *in);
    snprintf(in->station, sizeof in->station, "SH01-S03");
    in->seq = r->seq;
    plate_format(in->plate, sizeof in->plate, in->station, in->seq);
    snprintf(in->rma, sizeof in->rma, "%s", r->rma);
    snprintf(in->sku, sizeof in->sku, "%s", r->sku);
    snprintf(in->category, sizeof in->category, "%s", r->category);
    snprintf(in->description, sizeof in->description, "%s", r->description);
    in->finished_at = 1795430467000LL; /* 2026-11-23 10:41:07 UTC */
    in->started_at = in->finished_at - 95000;
    in->grade = r->grade;
    in->aspect_grade[ASPECT_COSMETIC] = r->cos;
    in->aspect_grade[ASPECT_FUNCTIONAL] = r->fun;
    in->aspect_grade[ASPECT_COMPLETENESS] = r->kit;
    char defects[512];
    snprintf(defects, sizeof defects, "%s", r->defects);
    for (char *save = NULL, *d = strtok_r(defects, " ", &save);
         d && in->ndefects < INSP_MAX_DEFECTS; d = strtok_r(NULL, " ", &save))
        snprintf(in->defects[in->ndefects++], sizeof in->defects[0], "%s", d);
    snprintf(in->disposition, sizeof in->disposition, "%s", r->disposition);
    snprintf(in->rules_version, sizeof in->rules_version, "%s", r->rules);
    in->late = r->late;
    in->mismatch = r->mismatch;
    in->blind = r->blind;
}

/* zbarimg's lines for a PNG; true when `want` is one of them. */
static bool zbar_has(const char *out, const char *want)
{
    size_t n = strlen(want);
    for (const char *p = out; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len == n && memcmp(p, want, n) == 0)
            return true;
        p = nl ? nl + 1 : NULL;
    }
    return false;
}

static bool decodes(const char *png, const char *plate, const char *payload)
{
    char cmd[1024];
    char *out = NULL;
    snprintf(cmd, sizeof cmd, "zbarimg --nodbus --raw -q '%s'", png);
    int rc = harness_sh(cmd, NULL, &out, NULL);
    bool ok = CHECK_INT(rc, 0);
    ok = CHECK(zbar_has(out, plate)) && ok;
    if (payload) /* NULL: a label without a QR */
        ok = CHECK(zbar_has(out, payload)) && ok;
    if (!ok)
        fprintf(stderr, "  zbarimg %s said:\n%s\n", png, out ? out : "(nothing)");
    free(out);
    return ok;
}

/* PNG width and height from its IHDR chunk. */
static bool png_size(const void *png, size_t len, int *w, int *h)
{
    const unsigned char *p = png;
    if (len < 24 || memcmp(p, "\x89PNG\r\n\x1a\n", 8) != 0 || memcmp(p + 12, "IHDR", 4) != 0)
        return false;
    *w = (p[16] << 24) | (p[17] << 16) | (p[18] << 8) | p[19];
    *h = (p[20] << 24) | (p[21] << 16) | (p[22] << 8) | p[23];
    return true;
}

struct lines {
    int n, overflow, cut;
    int desc_lines, desc_cut;
    bool after_desc_caption;
    char all[8192];
};

static void on_line(void *ctx, const struct label_text_line *l)
{
    struct lines *s = ctx;
    s->n++;
    if (l->ink_w > l->w) {
        s->overflow++;
        fprintf(stderr, "  overflow: \"%s\" is %d dots in a %d-dot box\n", l->text, l->ink_w,
                l->w);
    }
    size_t tl = strlen(l->text);
    bool cut = tl >= 3 && strcmp(l->text + tl - 3, ELLIPSIS) == 0;
    s->cut += cut;
    if (s->after_desc_caption && strcmp(l->text, "LATE") && strcmp(l->text, "MISMATCH") &&
        strcmp(l->text, "BLIND")) {
        s->desc_lines++;
        s->desc_cut += cut;
    }
    if (strcmp(l->text, "DESCRIPTION") == 0)
        s->after_desc_caption = true;
    size_t o = strlen(s->all);
    snprintf(s->all + o, sizeof s->all - o, "%s\n", l->text);
}

static bool contains(const char *hay, const char *needle)
{
    return hay && strstr(hay, needle) != NULL;
}

/* True when one line of text holds both a and then b. */
static bool line_with(const char *text, const char *a, const char *b)
{
    for (const char *p = text; (p = strstr(p, a)); p++) {
        const char *nl = strchr(p, '\n'), *q = strstr(p, b);
        if (q && (!nl || q < nl))
            return true;
    }
    return false;
}

static bool ascii_only(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

static void test_rows(struct label_maker *m)
{
    const char *dir = harness_tmpdir();
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        const struct row *r = &rows[i];
        fprintf(stderr, "row %zu: %s\n", i, r->name);
        struct inspection in;
        fill(&in, r);

        /* The payload. */
        char payload[LABEL_PAYLOAD_MAX];
        int plen = label_payload(&in, payload, sizeof payload);
        CHECK(plen > 0);
        CHECK_INT(plen, strlen(payload));
        if (r->payload)
            CHECK_STR(payload, r->payload);
        CHECK(strncmp(payload, "TRIAGE1|P=", 10) == 0);

        /* The ZPL. */
        char *zpl = NULL;
        size_t zlen = 0;
        CHECK_INT(label_zpl(m, &in, &zpl, &zlen), 0);
        if (!CHECK(zpl != NULL))
            continue;
        CHECK_INT(zlen, strlen(zpl));
        CHECK(strncmp(zpl, "^XA", 3) == 0);
        CHECK(zlen > 4 && strcmp(zpl + zlen - 4, "^XZ\n") == 0);
        CHECK(contains(zpl, "^CI28"));
        CHECK(contains(zpl, "^PW812\n"));
        CHECK(contains(zpl, "^LL1218\n"));
        char want[LABEL_PAYLOAD_MAX + 64];
        snprintf(want, sizeof want, "^BCN,");
        const char *bc = strstr(zpl, want);
        snprintf(want, sizeof want, "^FD%s^FS", in.plate);
        CHECK(bc && strstr(bc, want) && strstr(bc, want) < strchr(bc, '\n'));
        const char *bq = strstr(zpl, "^BQN,2,");
        snprintf(want, sizeof want, "^FDQA,%s^FS", payload);
        CHECK(bq && strstr(bq, want) && strstr(bq, want) < strchr(bq, '\n'));
        /* Every field ends; ZPL command characters only as commands. */
        int fd = 0, fs = 0;
        for (const char *p = zpl; (p = strstr(p, "^FD")); p += 3)
            fd++;
        for (const char *p = zpl; (p = strstr(p, "^FS")); p += 3)
            fs++;
        CHECK(fd > 10 && fd <= fs);
        CHECK(!contains(zpl, "~"));
        CHECK(!contains(zpl, "^FDT-shirt ^XZ"));
        /* Grade letter large, disposition in words, flags only when set. */
        snprintf(want, sizeof want, "^FR^FD%s^FS", grade_name(r->grade));
        CHECK(line_with(zpl, "^A0N,230,230^FB", want));
        char words[64];
        label_disposition_words(r->disposition, words, sizeof words);
        snprintf(want, sizeof want, "^FD%s^FS", words);
        CHECK(contains(zpl, want));
        CHECK(contains(zpl, "^FR^FDLATE^FS") == r->late);
        CHECK(contains(zpl, "^FR^FDMISMATCH^FS") == r->mismatch);
        CHECK(contains(zpl, "^FR^FDBLIND^FS") == r->blind);
        CHECK(contains(zpl, "^FD2026-11-23 10:41^FS"));
        /* ASCII text goes as text, anything else as a graphic. */
        if (strcmp(r->name, "ascii-A") == 0) {
            CHECK(contains(zpl, "^FDElectric kettle 1.7 l^FS"));
            CHECK(!contains(zpl, "^GFA"));
        }
        if (!ascii_only(r->description))
            CHECK(contains(zpl, "^GFA,"));
        bool utf8_ok = true; /* no UTF-8 in the ZPL but "…" */
        for (const unsigned char *p = (const unsigned char *)zpl; *p; p++) {
            if (p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0xA6)
                p += 2;
            else if (*p >= 0x80)
                utf8_ok = false;
        }
        CHECK(utf8_ok);
        if (strcmp(r->name, "long-C") == 0) {
            CHECK(!contains(zpl, r->description));
            CHECK(!contains(zpl, r->rma));
            CHECK(contains(zpl, ELLIPSIS "^FS"));
            CHECK(contains(zpl, "^FDRMA-2026-11-23-"));
        }

        /* Every line fits its box; long text is cut visibly. */
        struct lines lines;
        memset(&lines, 0, sizeof lines);
        CHECK_INT(label_text_lines(m, &in, on_line, &lines), 0);
        CHECK(lines.n >= 15);
        CHECK_INT(lines.overflow, 0);
        CHECK_INT(lines.desc_lines, r->desc_lines);
        CHECK_INT(lines.desc_cut, r->desc_cut);
        if (strcmp(r->name, "long-C") == 0) {
            CHECK(lines.cut >= 4); /* description, defects, RMA, SKU, category */
            CHECK(contains(lines.all, "SCR-L  SCR-H"));
        }
        if (strcmp(r->name, "zh-X") == 0)
            CHECK(contains(lines.all, "小米空气净化器4"));

        /* The PNG reads back. */
        char path[600], err[256] = "";
        snprintf(path, sizeof path, "%s/%s.png", dir, r->name);
        int rc = label_png(m, &in, path, err, sizeof err);
        if (!CHECK_INT(rc, 0))
            fprintf(stderr, "  %s\n", err);
        size_t n = 0;
        char *png = harness_read_file(path, &n);
        int w = 0, h = 0;
        CHECK(png && png_size(png, n, &w, &h));
        CHECK_INT(w, 812);
        CHECK_INT(h, 1218);
        free(png);
        decodes(path, in.plate, payload);
        free(zpl);
    }
}

static void test_errors(struct label_maker *m)
{
    struct inspection in;
    fill(&in, &rows[0]);
    char *zpl = (char *)"x", err[256];

    /* A label needs a plate a barcode can carry. */
    in.plate[0] = 0;
    CHECK(label_zpl(m, &in, &zpl, NULL) < 0);
    CHECK(zpl == NULL);
    CHECK(strncmp(label_maker_error(m), "E603:", 5) == 0);
    snprintf(in.plate, sizeof in.plate, "SH01^XZ-000001");
    CHECK(label_png(m, &in, "/nonexistent/x.png", err, sizeof err) < 0);
    CHECK(strncmp(err, "E603:", 5) == 0);

    /* A PNG that cannot be written. */
    fill(&in, &rows[0]);
    CHECK_INT(label_png(m, &in, "/nonexistent-dir/x.png", err, sizeof err), -EIO);
    CHECK(strncmp(err, "E610:", 5) == 0);

    /* The payload into a buffer too small. */
    char small[20] = "junk";
    CHECK_INT(label_payload(&in, small, sizeof small), -ENOSPC);
    CHECK_STR(small, "");

    /* Sizes and fonts. */
    struct label_spec spec;
    CHECK_INT(label_spec_parse(&spec, "4x6", 203, NULL, err, sizeof err), 0);
    CHECK(spec.width_in == 4 && spec.height_in == 6 && spec.dpi == 203);
    CHECK_INT(label_spec_parse(&spec, "4 by 6", 203, NULL, err, sizeof err), -EINVAL);
    CHECK(strncmp(err, "E611:", 5) == 0);
    CHECK_INT(label_spec_parse(&spec, "3x2", 203, NULL, err, sizeof err), 0); /* no layout */
    CHECK(label_maker_open(&spec, err, sizeof err) == NULL);
    CHECK(strncmp(err, "E602:", 5) == 0);
    label_spec_parse(&spec, "4x6", 203, "/nonexistent/font.ttf", err, sizeof err);
    CHECK(label_maker_open(&spec, err, sizeof err) == NULL);
    CHECK(strncmp(err, "E600:", 5) == 0);
    label_maker_close(NULL);

    char words[64];
    CHECK_STR(label_disposition_words("open_box", words, sizeof words), "OPEN BOX");
    CHECK_STR(label_disposition_words("rtv", words, sizeof words), "RETURN TO VENDOR");
    CHECK_STR(label_disposition_words("liquidate", words, sizeof words), "LIQUIDATE");
}

/* The same layout at 300 dpi: 1200 x 1800 dots, and it still scans. */
static void test_300dpi(void)
{
    struct label_spec spec = {.width_in = 4, .height_in = 6, .dpi = 300};
    char err[256];
    struct label_maker *m = label_maker_open(&spec, err, sizeof err);
    if (!CHECK(m != NULL)) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK_INT(label_width_dots(m), 1200);
    CHECK_INT(label_height_dots(m), 1800);
    struct inspection in;
    fill(&in, &rows[1]);
    char *zpl = NULL;
    CHECK_INT(label_zpl(m, &in, &zpl, NULL), 0);
    CHECK(contains(zpl, "^PW1200\n") && contains(zpl, "^LL1800\n"));
    free(zpl);
    char path[600], payload[LABEL_PAYLOAD_MAX];
    snprintf(path, sizeof path, "%s/300dpi.png", harness_tmpdir());
    CHECK_INT(label_png(m, &in, path, err, sizeof err), 0);
    label_payload(&in, payload, sizeof payload);
    decodes(path, in.plate, payload);
    label_maker_close(m);
}

/* Names in dir, sorted, one per line. */
static void list_dir(const char *dir, char *out, size_t outlen)
{
    struct dirent **names;
    out[0] = 0;
    int n = scandir(dir, &names, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
            size_t o = strlen(out);
            snprintf(out + o, outlen - o, "%s\n", names[i]->d_name);
        }
        free(names[i]);
    }
    if (n >= 0)
        free(names);
}

static void test_folder(struct label_maker *m)
{
    char dir[600], err[256] = "";
    snprintf(dir, sizeof dir, "%s/data/labels", harness_tmpdir());
    struct prn *p = prn_folder_open(dir, err, sizeof err);
    if (!CHECK(p != NULL)) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK_STR(prn_type(p), "folder");
    CHECK(prn_wants(p) == (PRN_ZPL | PRN_PNG));
    struct printer_status st;
    CHECK_INT(prn_status(p, &st), 0);
    CHECK_INT(st.state, PRINTER_READY);

    struct inspection in;
    fill(&in, &rows[1]);
    char *zpl = NULL;
    size_t zlen = 0;
    void *png = NULL;
    size_t plen = 0;
    CHECK_INT(label_zpl(m, &in, &zpl, &zlen), 0);
    CHECK_INT(label_png_mem(m, &in, &png, &plen, err, sizeof err), 0);
    int w = 0, h = 0;
    CHECK(png_size(png, plen, &w, &h) && w == 812 && h == 1218);
    struct prn_job job = {.name = in.plate, .zpl = zpl, .zpl_len = zlen, .png = png,
                              .png_len = plen};
    for (int round = 0; round < 2; round++) { /* the second is a reprint */
        CHECK_INT(prn_send(p, &job, err, sizeof err), 0);
        char listing[1024];
        list_dir(dir, listing, sizeof listing);
        CHECK_STR(listing, "SH01-S03-000042.png\nSH01-S03-000042.zpl\n");
    }
    char path[700];
    snprintf(path, sizeof path, "%s/%s.zpl", dir, in.plate);
    size_t n = 0;
    char *got = harness_read_file(path, &n);
    CHECK(got && n == zlen && memcmp(got, zpl, n) == 0);
    free(got);
    snprintf(path, sizeof path, "%s/%s.png", dir, in.plate);
    got = harness_read_file(path, &n);
    CHECK(got && n == plen && memcmp(got, png, n) == 0);
    free(got);
    struct stat sb;
    CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0644);
    char payload[LABEL_PAYLOAD_MAX];
    label_payload(&in, payload, sizeof payload);
    decodes(path, in.plate, payload);

    /* ZPL alone is fine; nothing at all, or a name that is a path, is not. */
    struct prn_job only_zpl = {.name = "SH01-S03-000043", .zpl = "^XA^XZ\n", .zpl_len = 7};
    CHECK_INT(prn_send(p, &only_zpl, err, sizeof err), 0);
    struct prn_job empty = {.name = "SH01-S03-000044"};
    CHECK_INT(prn_send(p, &empty, err, sizeof err), -EINVAL);
    CHECK(strncmp(err, "E640:", 5) == 0);
    static const char *const bad_names[] = {"../escape", ".hidden", "", "a/b", "a b", NULL};
    for (int i = 0; i < 6; i++) {
        struct prn_job bad = only_zpl;
        bad.name = bad_names[i];
        CHECK_INT(prn_send(p, &bad, err, sizeof err), -EINVAL);
        CHECK(strncmp(err, "E638:", 5) == 0);
    }
    char listing[1024];
    list_dir(dir, listing, sizeof listing);
    CHECK_STR(listing, "SH01-S03-000042.png\nSH01-S03-000042.zpl\nSH01-S03-000043.zpl\n");

    /* A rename that fails (a folder squats the name): the error, and the
     * temporary file is gone too. */
    snprintf(path, sizeof path, "%s/SH01-S03-000050.png", dir);
    CHECK(mkdir(path, 0755) == 0);
    struct prn_job squat = job;
    squat.name = "SH01-S03-000050";
    CHECK(prn_send(p, &squat, err, sizeof err) < 0);
    CHECK(strncmp(err, "E636:", 5) == 0);
    list_dir(dir, listing, sizeof listing);
    CHECK_STR(listing, "SH01-S03-000042.png\nSH01-S03-000042.zpl\nSH01-S03-000043.zpl\n"
                       "SH01-S03-000050.png\n");

    /* The folder gone: an error with its id, no stray files, status says so. */
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK_INT(harness_sh(cmd, NULL, NULL, NULL), 0);
    CHECK(prn_send(p, &job, err, sizeof err) < 0);
    CHECK(strncmp(err, "E632:", 5) == 0);
    CHECK_INT(prn_status(p, &st), 0);
    CHECK_INT(st.state, PRINTER_ERROR);
    CHECK(strncmp(st.detail, "E642:", 5) == 0);
    prn_close(p);
    prn_close(NULL);

    /* A folder that cannot be made. */
    snprintf(path, sizeof path, "%s/file", harness_tmpdir());
    harness_write_file(path, "x");
    snprintf(dir, sizeof dir, "%s/file/labels", harness_tmpdir());
    CHECK(prn_folder_open(dir, err, sizeof err) == NULL);
    CHECK(strncmp(err, "E630:", 5) == 0);
    free(zpl);
    free(png);
}

/* The station's printer: from the [printer] config to DATA/labels. */
static void test_station_printer(void)
{
    char data[600], err[256] = "";
    snprintf(data, sizeof data, "%s/station-data", harness_tmpdir());
    struct printer_opts cfg;
    memset(&cfg, 0, sizeof cfg);
    snprintf(cfg.type, sizeof cfg.type, "folder");
    snprintf(cfg.label.size, sizeof cfg.label.size, "4x6");
    cfg.label.dpi = 203;
    struct printer *p = NULL;
    int rc = printer_open(&cfg, data, &p, err, sizeof err);
    if (!CHECK_INT(rc, 0)) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    struct printer_status st;
    CHECK_INT(printer_status(p, &st), 0);
    CHECK_INT(st.state, PRINTER_READY);
    struct inspection in;
    fill(&in, &rows[3]);
    CHECK_INT(printer_print(p, &in, err, sizeof err), 0);
    char dir[700], listing[1024], path[800], payload[LABEL_PAYLOAD_MAX];
    snprintf(dir, sizeof dir, "%s/labels", data);
    list_dir(dir, listing, sizeof listing);
    CHECK_STR(listing, "SH01-S03-999999.png\nSH01-S03-999999.zpl\n");
    snprintf(path, sizeof path, "%s/SH01-S03-999999.png", dir);
    label_payload(&in, payload, sizeof payload);
    decodes(path, in.plate, payload);
    snprintf(path, sizeof path, "%s/SH01-S03-999999.zpl", dir);
    char *zpl = harness_read_file(path, NULL);
    CHECK(zpl && strncmp(zpl, "^XA", 3) == 0 && contains(zpl, payload));
    free(zpl);
    in.plate[0] = 0; /* a label needs its plate */
    CHECK(printer_print(p, &in, err, sizeof err) < 0);
    CHECK(strncmp(err, "E603:", 5) == 0);
    printer_close(p);
    printer_close(NULL);

    /* Unknown printer types, unusable addresses and sizes not built yet say so. */
    snprintf(cfg.type, sizeof cfg.type, "laser");
    CHECK(printer_open(&cfg, data, &p, err, sizeof err) < 0);
    CHECK(p == NULL && strncmp(err, "E643:", 5) == 0);
    snprintf(cfg.type, sizeof cfg.type, "zpl-tcp");
    CHECK(printer_open(&cfg, data, &p, err, sizeof err) < 0);
    CHECK(p == NULL && strncmp(err, "E650:", 5) == 0);
    snprintf(cfg.type, sizeof cfg.type, "folder");
    snprintf(cfg.label.size, sizeof cfg.label.size, "3x2"); /* 4x3 and 2x1: test_print_sizes.c */
    CHECK(printer_open(&cfg, data, &p, err, sizeof err) < 0);
    CHECK(p == NULL && strncmp(err, "E602:", 5) == 0);
}

/* Reversed (white on black) text lines of a label, "|"-separated. */
struct flag_lines {
    char reversed[512];
};

static void on_flag_line(void *ctx, const struct label_text_line *l)
{
    struct flag_lines *f = ctx;
    if (!l->reverse)
        return;
    size_t o = strlen(f->reversed);
    snprintf(f->reversed + o, sizeof f->reversed - o, "|%s", l->text);
}

/* The flags on every label size: RE-GRADE (an item chosen for a blind
 * re-grade) is drawn by the same code as LATE, MISMATCH and BLIND, on the
 * 4x6, the 4x3 and the 2x1 alike. The flag is text: found in the ZPL and
 * among the label's reversed lines; the barcodes of the same label still
 * read back with zbarimg. */
static void test_flags_every_size(void)
{
    static const struct {
        const char *size;
        bool qr;
        const char *all_flags; /* every flag set: how they show, in order */
    } sizes[] = {
        /* 0 */ {"4x6", true, "LATE|MISMATCH|BLIND|RE-GRADE"},
        /* 1 */ {"4x3", true, "LATE|MISMATCH|BLIND|RE-GRADE"},
        /* 2 the words do not fit: initials */ {"2x1", false, "L|M|B|R"},
    };
    char err[256], path[700], payload[LABEL_PAYLOAD_MAX];
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        fprintf(stderr, "flags on %s\n", sizes[i].size);
        struct label_spec spec;
        CHECK_INT(label_spec_parse(&spec, sizes[i].size, 203, NULL, err, sizeof err), 0);
        struct label_maker *m = label_maker_open(&spec, err, sizeof err);
        if (!CHECK(m != NULL)) {
            fprintf(stderr, "  %s\n", err);
            continue;
        }
        struct inspection in;
        fill(&in, &rows[0]); /* no flags */
        char *zpl = NULL;
        CHECK_INT(label_zpl(m, &in, &zpl, NULL), 0);
        CHECK(zpl && !contains(zpl, "RE-GRADE"));
        free(zpl);

        /* Only RE-GRADE. */
        in.calibration_due = true;
        zpl = NULL;
        CHECK_INT(label_zpl(m, &in, &zpl, NULL), 0);
        if (!CHECK(contains(zpl, "^FR^FDRE-GRADE^FS")))
            fprintf(stderr, "  no RE-GRADE in the %s ZPL\n", sizes[i].size);
        free(zpl);
        struct flag_lines fl = {""};
        CHECK_INT(label_text_lines(m, &in, on_flag_line, &fl), 0);
        CHECK(strstr(fl.reversed, "|RE-GRADE") != NULL);
        snprintf(path, sizeof path, "%s/regrade-%s.png", harness_tmpdir(), sizes[i].size);
        CHECK_INT(label_png(m, &in, path, err, sizeof err), 0);
        label_payload(&in, payload, sizeof payload);
        decodes(path, in.plate, sizes[i].qr ? payload : NULL);

        /* Every flag, in one order, by the same code. */
        in.late = in.mismatch = in.blind = true;
        memset(&fl, 0, sizeof fl);
        struct lines lines;
        memset(&lines, 0, sizeof lines);
        CHECK_INT(label_text_lines(m, &in, on_flag_line, &fl), 0);
        CHECK_INT(label_text_lines(m, &in, on_line, &lines), 0);
        CHECK_INT(lines.overflow, 0);
        char want[128];
        snprintf(want, sizeof want, "|%s", sizes[i].all_flags);
        if (!CHECK(strstr(fl.reversed, want) != NULL))
            fprintf(stderr, "  %s flags: %s\n", sizes[i].size, fl.reversed);
        label_maker_close(m);
    }
}

/* Another product than the manifest's, another serial, and the units of an
 * RMA, on every size: WRONG ITEM (W) with the expected SKU and the scanned
 * code, MISMATCH (M) only for another serial, UNIT 2/3 (2/3), EXTRA (E);
 * the barcodes still read back. */
static void test_item_check_flags(void)
{
    static const struct {
        const char *size;
        bool qr, words, details; /* the flags as words; SKU and scanned code shown */
    } sizes[] = {
        {"4x6", true, true, true},
        {"4x3", true, true, true},
        {"2x1", false, false, false},
    };
    char err[256], path[700], payload[LABEL_PAYLOAD_MAX];
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        struct label_spec spec;
        CHECK_INT(label_spec_parse(&spec, sizes[i].size, 203, NULL, err, sizeof err), 0);
        struct label_maker *m = label_maker_open(&spec, err, sizeof err);
        if (!CHECK(m != NULL))
            continue;
        struct inspection in;
        fill(&in, &rows[0]);
        in.wrong_item = in.mismatch = true;
        in.item_check = ITEM_CHECK_MISMATCHED;
        snprintf(in.scanned_item, sizeof in.scanned_item, "0195949038488");
        snprintf(in.category, sizeof in.category, "phone");
        in.unit = 2;
        in.units = 3;
        struct flag_lines fl = {""};
        struct lines lines;
        memset(&lines, 0, sizeof lines);
        CHECK_INT(label_text_lines(m, &in, on_flag_line, &fl), 0);
        CHECK_INT(label_text_lines(m, &in, on_line, &lines), 0);
        CHECK_INT(lines.overflow, 0);
        const char *want = sizes[i].words ? "|WRONG ITEM|UNIT 2/3" : "|W|2/3";
        if (!CHECK(strstr(fl.reversed, want) != NULL))
            fprintf(stderr, "  %s flags: %s\n", sizes[i].size, fl.reversed);
        CHECK(!strstr(fl.reversed, "MISMATCH") && !strstr(fl.reversed, "|M|"));
        char *zpl = NULL;
        CHECK_INT(label_zpl(m, &in, &zpl, NULL), 0);
        if (sizes[i].details) {
            CHECK(contains(zpl, "EXPECTED SKU") && contains(zpl, "AP-KETTLE-17"));
            CHECK(contains(zpl, "0195949038488"));
            /* The manifest's words are not the item's. */
            CHECK(!contains(zpl, "Electric kettle"));
        }
        free(zpl);
        snprintf(path, sizeof path, "%s/wrong-%s.png", harness_tmpdir(), sizes[i].size);
        CHECK_INT(label_png(m, &in, path, err, sizeof err), 0);
        label_payload(&in, payload, sizeof payload);
        decodes(path, in.plate, sizes[i].qr ? payload : NULL);

        /* Another serial of the product: MISMATCH, the description as it is. */
        in.wrong_item = false;
        memset(&fl, 0, sizeof fl);
        CHECK_INT(label_text_lines(m, &in, on_flag_line, &fl), 0);
        CHECK(strstr(fl.reversed, sizes[i].words ? "|MISMATCH|UNIT 2/3" : "|M|2/3") != NULL);
        CHECK(!strstr(fl.reversed, "WRONG"));
        zpl = NULL;
        CHECK_INT(label_zpl(m, &in, &zpl, NULL), 0);
        CHECK(!contains(zpl, "EXPECTED SKU"));
        if (sizes[i].details)
            CHECK(contains(zpl, "Electric kettle"));
        free(zpl);

        /* One unit more than expected; one unit of one: no unit flag. */
        in.mismatch = false;
        in.unit = 4;
        in.extra_unit = true;
        memset(&fl, 0, sizeof fl);
        CHECK_INT(label_text_lines(m, &in, on_flag_line, &fl), 0);
        CHECK(strstr(fl.reversed, sizes[i].words ? "|UNIT 4/3|EXTRA" : "|4/3|E") != NULL);
        in.unit = in.units = 1;
        in.extra_unit = false;
        memset(&fl, 0, sizeof fl);
        CHECK_INT(label_text_lines(m, &in, on_flag_line, &fl), 0);
        CHECK_STR(fl.reversed, sizes[i].size[2] == '6' || sizes[i].size[2] == '3' ? "|GRADE|A"
                                                                                   : "|A");
        label_maker_close(m);
    }
}

/* A copy of the file at `from` as `to`. */
static bool copy_file(const char *from, const char *to)
{
    size_t n = 0;
    char *data = harness_read_file(from, &n);
    FILE *f = data ? fopen(to, "wb") : NULL;
    bool ok = f && fwrite(data, 1, n, f) == n;
    if (f)
        ok = fclose(f) == 0 && ok;
    free(data);
    return ok;
}

/* Width in dots of the first text line of a label (the station line). */
static void on_first_line(void *ctx, const struct label_text_line *l)
{
    int *w = ctx;
    if (*w < 0)
        *w = l->ink_w;
}

/* The label font is the one the configuration names ([station] font): from
 * the configuration file, through the printer's options, to the label
 * drawn; a font that cannot be opened is an error at start (E600), not a
 * quiet fall back to another one. */
static void test_configured_font(void)
{
    const char *tmp = harness_tmpdir();
    char font[600], data[600], conf[1400], err[512] = "";
    snprintf(font, sizeof font, "%s/station-font.ttc", tmp);
    if (!CHECK(copy_file(LABEL_FONT_DEFAULT, font)))
        return;
    snprintf(data, sizeof data, "%s/font-data", tmp);
    snprintf(conf, sizeof conf, "[station]\nfont = %s\n[printer]\ntype = folder\nsize = 4x3\n",
             font);
    struct config cfg;
    config_defaults(&cfg);
    if (!CHECK_INT(config_load_string(conf, "font.conf", &cfg, err, sizeof err), 0)) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    struct printer_opts po;
    config_printer_opts(&cfg, &po);
    CHECK_STR(po.label.font_path, font);
    CHECK_STR(po.label.size, "4x3");
    struct printer *p = NULL;
    if (!CHECK_INT(printer_open(&po, data, &p, err, sizeof err), 0)) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    struct inspection in;
    fill(&in, &rows[1]);
    CHECK_INT(printer_print(p, &in, err, sizeof err), 0);
    printer_close(p);
    char path[800], payload[LABEL_PAYLOAD_MAX];
    snprintf(path, sizeof path, "%s/labels/%s.png", data, in.plate);
    label_payload(&in, payload, sizeof payload);
    decodes(path, in.plate, payload);

    /* The font file gone: the printer does not open, and says which font. */
    CHECK(unlink(font) == 0);
    CHECK(printer_open(&po, data, &p, err, sizeof err) < 0);
    CHECK(p == NULL && strncmp(err, "E600:", 5) == 0 && strstr(err, font));

    /* Another typeface measures otherwise: the layout uses the one named. */
    static const char other[] = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
    if (access(other, R_OK) != 0) {
        printf("# second typeface skipped: %s is not installed\n", other);
        return;
    }
    struct label_opts lo = {.size = "4x6", .dpi = 203};
    int w_default = -1, w_other = -1;
    struct label_spec spec;
    CHECK_INT(label_spec_from_opts(&spec, &lo, err, sizeof err), 0);
    CHECK(spec.font_path == NULL); /* "" is the default */
    struct label_maker *m = label_maker_open(&spec, err, sizeof err);
    CHECK(m && label_text_lines(m, &in, on_first_line, &w_default) == 0);
    label_maker_close(m);
    snprintf(lo.font_path, sizeof lo.font_path, "%s", other);
    CHECK_INT(label_spec_from_opts(&spec, &lo, err, sizeof err), 0);
    CHECK_STR(spec.font_path, other);
    m = label_maker_open(&spec, err, sizeof err);
    CHECK(m && label_text_lines(m, &in, on_first_line, &w_other) == 0);
    CHECK(w_default > 0 && w_other > 0 && w_default != w_other);
    snprintf(path, sizeof path, "%s/other-font.png", tmp);
    CHECK(m && label_png(m, &in, path, err, sizeof err) == 0);
    decodes(path, in.plate, payload);
    label_maker_close(m);
}

int main(void)
{
    if (!harness_have("zbarimg"))
        harness_skip("zbarimg not installed (apt-get install zbar-tools)");
    setenv("TZ", "UTC", 1);
    tzset();
    struct label_spec spec;
    char err[256];
    label_spec_parse(&spec, "4x6", 203, NULL, err, sizeof err);
    struct label_maker *m = label_maker_open(&spec, err, sizeof err);
    if (!m) {
        fprintf(stderr, "%s\n", err);
        CHECK(!"label_maker_open");
        return harness_done();
    }
    CHECK_INT(label_width_dots(m), 812);
    CHECK_INT(label_height_dots(m), 1218);
    test_rows(m);
    test_errors(m);
    test_300dpi();
    test_folder(m);
    test_station_printer();
    test_flags_every_size();
    test_item_check_flags();
    test_configured_font();
    label_maker_close(m);
    return harness_done();
}

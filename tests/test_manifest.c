/*
 * test_manifest.c — manifest CSV files: good and bad ones (table-driven),
 * error ids and line numbers, RFC 4180 quoting, a byte order mark, CRLF,
 * all-or-nothing import, the demo manifest, and the one row check that rows
 * from head office go through too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "log.h"
#include "manifest.h"
#include "manifest_row.h"
#include "store.h"

#define H "rma,order_id,sku,gtin,serial,description,reason,delivered_at\n"

static char path_buf[700];

/* Write `len` bytes (strlen when 0) to a file in the temp folder. */
static const char *write_case(const char *name, const char *text, size_t len)
{
    snprintf(path_buf, sizeof path_buf, "%s/%s", harness_tmpdir(), name);
    FILE *f = fopen(path_buf, "wb");
    if (!f)
        return NULL;
    fwrite(text, 1, len ? len : strlen(text), f);
    fclose(f);
    return path_buf;
}

static void test_good(void)
{
    static const struct {
        const char *text;
        int nrows;
        int row;             /* which row to look at */
        const char *rma, *sku, *description, *delivered_at;
    } good[] = {
        /* 1: the smallest file */
        {"rma,sku\nRMA-1,PH-1\n", 1, 0, "RMA-1", "PH-1", "", ""},
        /* 2: columns in another order, CRLF */
        {"sku,delivered_at,rma\r\nPH-1,2026-11-20,RMA-1\r\nAP-2,,RMA-2\r\n", 2, 1, "RMA-2",
         "AP-2", "", ""},
        /* 3: a UTF-8 byte order mark */
        {"\xEF\xBB\xBFrma,sku\nRMA-1,PH-1\n", 1, 0, "RMA-1", "PH-1", "", ""},
        /* 4: RFC 4180 quoting: comma, doubled quote, line break */
        {H "RMA-1,,KT-1,,,\"Kettle, 1.7 L \"\"steel\"\"\nsecond line\",,2026-11-20\n", 1, 0,
         "RMA-1", "KT-1", "Kettle, 1.7 L \"steel\"\nsecond line", "2026-11-20"},
        /* 5: a header and nothing else */
        {H, 0, -1, NULL, NULL, NULL, NULL},
        /* 6: blank lines, and no line break at the end */
        {"rma,sku\n\nRMA-1,PH-1\n\n\nRMA-2,PH-2", 2, 1, "RMA-2", "PH-2", "", ""},
        /* 7: Chinese */
        {"rma,sku,description\nRMA-1,PH-1,手机 6.67英寸 256GB 绿色\n", 1, 0, "RMA-1", "PH-1",
         "手机 6.67英寸 256GB 绿色", ""},
        /* 8: header names in capitals */
        {"RMA,SKU,Description\nRMA-1,PH-1,x\n", 1, 0, "RMA-1", "PH-1", "x", ""},
        /* 9: spaces around unquoted fields are trimmed */
        {"rma , sku\n RMA-1 , PH-1 \n", 1, 0, "RMA-1", "PH-1", "", ""},
        /* 10: quoted empty fields, a quoted rma */
        {H "\"RMA-1\",\"\",\"PH-1\",\"\",\"\",\"\",\"\",\"\"\n", 1, 0, "RMA-1", "PH-1", "", ""},
        /* 11: a lone CR ends lines too */
        {"rma,sku\rRMA-1,PH-1\rRMA-2,PH-2\r", 2, 1, "RMA-2", "PH-2", "", ""},
        /* 12: leap day */
        {"rma,sku,delivered_at\nRMA-1,PH-1,2028-02-29\n", 1, 0, "RMA-1", "PH-1", "",
         "2028-02-29"},
        /* 13: a tab and a CRLF inside a quoted description are text */
        {"rma,sku,description\nRMA-1,PH-1,\"a\tb\r\nc\"\n", 1, 0, "RMA-1", "PH-1",
         "a\tb\r\nc", ""},
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        char err[512] = "", name[32];
        struct manifest_row *rows = NULL;
        int n = -1;
        snprintf(name, sizeof name, "good_%zu.csv", i + 1);
        const char *path = write_case(name, good[i].text, 0);
        int rc = manifest_parse_file(path, &rows, &n, err, sizeof err);
        if (!CHECK_INT(rc, 0))
            fprintf(stderr, "  good case %zu: %s\n", i + 1, err);
        CHECK_INT(n, good[i].nrows);
        if (rc == 0 && good[i].row >= 0 && good[i].row < n) {
            const struct manifest_row *r = &rows[good[i].row];
            CHECK_STR(r->rma, good[i].rma);
            CHECK_STR(r->sku, good[i].sku);
            CHECK_STR(r->description, good[i].description);
            CHECK_STR(r->delivered_at, good[i].delivered_at);
        }
        free(rows);
    }

    /* A description of exactly 255 bytes fits; 256 does not (bad case below). */
    char text[600];
    snprintf(text, sizeof text, "rma,sku,description\nRMA-1,PH-1,%0255d\n", 7);
    struct manifest_row *rows = NULL;
    int n = 0;
    char err[512];
    CHECK_INT(manifest_parse_file(write_case("255.csv", text, 0), &rows, &n, err, sizeof err), 0);
    CHECK_INT(n, 1);
    CHECK(rows && strlen(rows[0].description) == 255);
    free(rows);
}

static void test_bad(void)
{
    char long_rma[200], long_desc[600];
    snprintf(long_rma, sizeof long_rma, "rma,sku\nRMA-1,PH-1\n%064d,PH-2\n", 1);
    snprintf(long_desc, sizeof long_desc, "rma,sku,description\nRMA-1,PH-1,%0256d\n", 7);
    static const char nul_text[] = "rma,sku\nRMA-1,PH\0-1\n";

    const struct {
        const char *text;
        size_t len;     /* 0: strlen */
        const char *id;
        long line;      /* 0: no line in the message */
    } bad[] = {
        {"", 0, "E403", 0},                                           /* 1: empty */
        {"\n\n", 0, "E403", 0},                                       /* 2: blank */
        {"rma,sku,colour\nRMA-1,PH-1,red\n", 0, "E404", 1},           /* 3: unknown column */
        {"rma,sku,\nRMA-1,PH-1,\n", 0, "E404", 1},                    /* 4: empty column name */
        {"rma,sku,rma\n", 0, "E405", 1},                              /* 5: column twice */
        {"rma,description\nRMA-1,x\n", 0, "E406", 1},                 /* 6: no sku column */
        {"sku\nPH-1\n", 0, "E406", 1},                                /* 7: no rma column */
        {"rma,sku\nRMA-1,PH-1\nRMA-2\n", 0, "E407", 3},               /* 8: too few fields */
        {"rma,sku\nRMA-1,PH-1,x\n", 0, "E407", 2},                    /* 9: too many */
        {"rma,sku\nRMA-1,PH-1\n,PH-2\n", 0, "E408", 3},               /* 10: empty rma */
        {"rma,sku\r\nRMA-1,PH-1\r\n\r\nRMA-2,\r\n", 0, "E409", 4},    /* 11: empty sku, CRLF */
        {"rma,sku,delivered_at\nRMA-1,PH-1,2026-02-30\n", 0, "E410", 2}, /* 12: no such day */
        {"rma,sku,delivered_at\nRMA-1,PH-1,23/11/2026\n", 0, "E410", 2}, /* 13: other format */
        {"rma,sku,delivered_at\nRMA-1,PH-1,2026-11-23T10:00\n", 0, "E410", 2}, /* 14 */
        {long_rma, 0, "E411", 3},                                     /* 15: rma 64 bytes */
        {long_desc, 0, "E411", 2},                                    /* 16: 256 bytes */
        {"rma,sku\nRMA-1,PH-1\nRMA-2,PH-2\nRMA-1,PH-3\n", 0, "E412", 4}, /* 17: duplicate */
        {"rma,sku\nRMA-1,\"PH-1\"x\n", 0, "E413", 2},                 /* 18: text after quote */
        {"rma,sku\nRMA-1,PH-1\nRMA-2,\"PH-2\n\n", 0, "E413", 3},      /* 19: quote not closed */
        {"rma,sku\nRMA-1,PH\xC3\x28-1\n", 0, "E414", 2},              /* 20: not UTF-8 */
        {nul_text, sizeof nul_text - 1, "E415", 2},                   /* 21: NUL byte */
        /* 22: a quoted field over lines 2–4; the bad row starts on line 5 */
        {"rma,sku,description\nRMA-1,PH-1,\"one\ntwo\nthree\"\nRMA-2,PH-2,\"x\",\n", 0, "E407",
         5},
        /* 23: the error after a byte order mark and blank lines keeps its line */
        {"\xEF\xBB\xBFrma,sku\n\n\nRMA-1,\n", 0, "E409", 4},
        /* 24: a quoted field spanning lines, then a duplicate of it */
        {"rma,sku\n\"RMA-\n1\",PH-1\n\"RMA-\n1\",PH-2\n", 0, "E412", 4},
        /* 25: a control character (ESC) in a field */
        {"rma,sku,description\nRMA-1,PH-1,red\x1b[0m\n", 0, "E415", 2},
        /* 26: a delivered_at too long to be a date */
        {"rma,sku,delivered_at\nRMA-1,PH-1,2026-11-23T10:00:00.000Z\n", 0, "E410", 2},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char err[512] = "", name[32], want[700];
        struct manifest_row *rows = (struct manifest_row *)1;
        int n = -1;
        snprintf(name, sizeof name, "bad_%zu.csv", i + 1);
        const char *path = write_case(name, bad[i].text, bad[i].len);
        CHECK_INT(manifest_parse_file(path, &rows, &n, err, sizeof err), -1);
        CHECK(rows == NULL);
        CHECK_INT(n, 0);
        if (bad[i].line)
            snprintf(want, sizeof want, "%s: %s:%ld: ", bad[i].id, path, bad[i].line);
        else
            snprintf(want, sizeof want, "%s: %s: ", bad[i].id, path);
        if (!CHECK(strncmp(err, want, strlen(want)) == 0))
            fprintf(stderr, "  bad case %zu: got \"%s\", want \"%s…\"\n", i + 1, err, want);
    }
    char err[512];
    struct manifest_row *rows;
    int n;
    CHECK_INT(manifest_parse_file("/nonexistent/m.csv", &rows, &n, err, sizeof err), -1);
    CHECK(strncmp(err, "E400: /nonexistent/m.csv: ", 26) == 0);
    /* The duplicate names where the first one was. */
    write_case("dup.csv", "rma,sku\nRMA-1,PH-1\nRMA-2,PH-2\nRMA-1,PH-3\n", 0);
    manifest_parse_file(path_buf, &rows, &n, err, sizeof err);
    CHECK(strstr(err, "first on line 2") != NULL);
}

static void test_import(void)
{
    char err[512], db[700];
    snprintf(db, sizeof db, "%s/triage.db", harness_tmpdir());
    struct store *st;
    if (!CHECK_INT(store_open(db, "SH01-S03", &st, err, sizeof err), 0))
        return;
    struct manifest_row row;

    /* Three good rows, then a bad one: nothing is imported. */
    const char *path = write_case("partial.csv",
                                  H "RMA-1,SO-1,PH-1,,,Phone,defective,2026-11-20\n"
                                    "RMA-2,SO-2,AP-1,,,Jacket,changed_mind,2026-11-21\n"
                                    "RMA-3,SO-3,KT-1,,,Kettle,defective,2026-11-22\n"
                                    "RMA-4,SO-4,,,,No SKU,defective,2026-11-22\n",
                                  0);
    CHECK_INT(manifest_import(st, path, NULL, NULL, NULL, err, sizeof err), -1);
    CHECK(strncmp(err, "E409: ", 6) == 0 && strstr(err, "partial.csv:5: "));
    CHECK_INT(store_find_manifest(st, "RMA-1", &row), 1);
    CHECK_INT(store_find_manifest(st, "RMA-3", &row), 1);

    /* Fixed: all of it. */
    path = write_case("fixed.csv",
                      H "RMA-1,SO-1,PH-1,,,Phone,defective,2026-11-20\n"
                        "RMA-2,SO-2,AP-1,,,Jacket,changed_mind,2026-11-21\n"
                        "RMA-3,SO-3,KT-1,,,Kettle,defective,2026-11-22\n"
                        "RMA-4,SO-4,SA-1,,,Blender,defective,2026-11-22\n",
                      0);
    CHECK_INT(manifest_import(st, path, NULL, NULL, NULL, err, sizeof err), 4);
    CHECK_INT(store_find_manifest(st, "RMA-4", &row), 0);
    CHECK_STR(row.description, "Blender");
    CHECK_STR(row.delivered_at, "2026-11-22");

    /* A later file replaces the fields it has of rows with the same RMA and
     * keeps the others (it has no description column). */
    path = write_case("update.csv", "rma,sku,reason\nRMA-2,AP-9,wrong_item\n", 0);
    CHECK_INT(manifest_import(st, path, NULL, NULL, NULL, err, sizeof err), 1);
    CHECK_INT(store_find_manifest(st, "RMA-2", &row), 0);
    CHECK_STR(row.sku, "AP-9");
    CHECK_STR(row.reason, "wrong_item");
    CHECK_STR(row.description, "Jacket");
    CHECK_INT(row.quantity, 1);

    /* The demo manifest. */
    int n = manifest_import(st, "demo/manifest.csv", NULL, NULL, NULL, err, sizeof err);
    if (!CHECK(n >= 20))
        fprintf(stderr, "  demo/manifest.csv: %s\n", n < 0 ? err : "too few rows");
    store_close(st);
}

/* GS1 General Specifications §7.9: the mod-10 check digit of GTIN-8/12/13/14. */
static bool gtin_ok(const char *g)
{
    size_t n = strlen(g);
    if (n != 8 && n != 12 && n != 13 && n != 14)
        return false;
    int sum = 0;
    for (size_t i = 0; i < n - 1; i++) {
        if (g[i] < '0' || g[i] > '9')
            return false;
        sum += (g[i] - '0') * ((n - 1 - i) % 2 ? 3 : 1);
    }
    return (10 - sum % 10) % 10 == g[n - 1] - '0';
}

static void test_demo(void)
{
    struct manifest_row *rows = NULL;
    int n = 0;
    char err[512];
    if (!CHECK_INT(manifest_parse_file("demo/manifest.csv", &rows, &n, err, sizeof err), 0)) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK(n >= 24);
    int phones = 0, apparel = 0, appliances = 0, late = 0, recent = 0, chinese = 0,
        serials = 0;
    int64_t today;
    time_parse_date("2026-11-23", &today);
    static const char *const reasons[] = {"defective", "not_as_described", "changed_mind",
                                          "damaged_in_transit", "wrong_item"};
    for (int i = 0; i < n; i++) {
        const struct manifest_row *r = &rows[i];
        char want[16];
        snprintf(want, sizeof want, "RMA-%d", 1001 + i);
        CHECK_STR(r->rma, want);
        if (!strncmp(r->sku, "PH-", 3))
            phones++;
        else if (!strncmp(r->sku, "AP-", 3) || !strncmp(r->sku, "SH-", 3))
            apparel++;
        else if (!strncmp(r->sku, "SA-", 3) || !strncmp(r->sku, "KT-", 3))
            appliances++;
        if (r->gtin[0] && !CHECK(gtin_ok(r->gtin)))
            fprintf(stderr, "  %s: bad GTIN %s\n", r->rma, r->gtin);
        bool known = false;
        for (size_t k = 0; k < sizeof reasons / sizeof *reasons; k++)
            known |= strcmp(r->reason, reasons[k]) == 0;
        CHECK(known);
        int64_t day;
        if (CHECK(time_parse_date(r->delivered_at, &day) == 0)) {
            int64_t age = (today - day) / 86400000;
            late += age > 7;
            recent += age <= 7;
        }
        for (const char *p = r->description; *p; p++)
            if ((unsigned char)*p >= 0xE4) {
                chinese++;
                break;
            }
        serials += r->serial[0] != 0;
    }
    CHECK_INT(phones + apparel + appliances, n);
    CHECK(phones >= 5 && apparel >= 5 && appliances >= 5);
    CHECK(late >= 3);
    CHECK(recent > late);
    CHECK(chinese >= 1);
    CHECK(serials >= 5);
    free(rows);
}

/* Many rows: the duplicate check and line counting keep up. */
static void test_large(void)
{
    enum { N = 20000 };
    size_t cap = (size_t)N * 80 + 100, len = 0;
    char *text = malloc(cap);
    len += (size_t)snprintf(text + len, cap - len, H);
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(text + len, cap - len,
                                "RMA-%06d,SO-%d,PH-%d,,,\"Phone, %d\",defective,2026-11-20\n", i,
                                i, i % 97, i);
    const char *path = write_case("large.csv", text, len);
    struct manifest_row *rows = NULL;
    int n = 0;
    char err[512];
    int64_t t0 = clock_mono_ms();
    CHECK_INT(manifest_parse_file(path, &rows, &n, err, sizeof err), 0);
    int64_t ms = clock_mono_ms() - t0;
    CHECK_INT(n, N);
    printf("parsed %d rows in %lld ms\n", n, (long long)ms);
    free(rows);
    /* The same with a duplicate of row 10 as the last line. */
    len += (size_t)snprintf(text + len, cap - len, "RMA-000010,SO,PH-1,,,,,\n");
    path = write_case("large_dup.csv", text, len);
    CHECK_INT(manifest_parse_file(path, &rows, &n, err, sizeof err), -1);
    char want[64];
    snprintf(want, sizeof want, ":%d: ", N + 2);
    CHECK(strncmp(err, "E412", 4) == 0 && strstr(err, want) && strstr(err, "first on line 12"));
    free(text);
}

/* The one row check (manifest_row.h) that every way in uses: rows as head
 * office sends them (eight texts), and rows already in a struct. */
static void test_row_check(void)
{
    char long_rma[80], long_desc[300], long_gtin[40];
    snprintf(long_rma, sizeof long_rma, "RMA-%060d", 1); /* 64 bytes */
    snprintf(long_desc, sizeof long_desc, "%0256d", 7);
    snprintf(long_gtin, sizeof long_gtin, "%032d", 4);
    static const char *const zh = "手机 6.67英寸 256GB 绿色";
    const struct {
        const char *f[MANIFEST_FIELDS]; /* rma, order_id, sku, gtin, serial, description,
                                           reason, delivered_at; NULL = "" */
        int id;                         /* 0 = good */
        const char *field;              /* named in the message, or NULL */
    } cases[] = {
        /* 0 */ {{"RMA-1", "O1", "PH-1", "06901234567892", "SN1", "Phone", "defective",
                  "2026-11-20"}, 0, NULL},
        /* 1 only rma and sku */ {{"RMA-1", NULL, "PH-1"}, 0, NULL},
        /* 2 */ {{"RMA-1", NULL, "PH-1", NULL, NULL, zh}, 0, NULL},
        /* 3 line breaks and a tab */ {{"RMA-1", NULL, "PH-1", NULL, NULL, "a\tb\r\nc"}, 0,
                                        NULL},
        /* 4 */ {{NULL, "O1", "PH-1"}, 408, "rma"},
        /* 5 */ {{"RMA-1", "O1", ""}, 409, "sku"},
        /* 6 rma first */ {{"", NULL, ""}, 408, "rma"},
        /* 7 */
        {{"RMA-1", NULL, "PH-1", NULL, NULL, NULL, NULL, "2026-02-30"}, 410, "delivered_at"},
        /* 8 */
        {{"RMA-1", NULL, "PH-1", NULL, NULL, NULL, NULL, "20/11/2026"}, 410, "delivered_at"},
        /* 9 too long for a date */
        {{"RMA-1", NULL, "PH-1", NULL, NULL, NULL, NULL, "2026-11-20T10:00:00Z"}, 410,
         "delivered_at"},
        /* 10 */ {{long_rma, NULL, "PH-1"}, 411, "rma"},
        /* 11 */ {{"RMA-1", NULL, "PH-1", long_gtin}, 411, "gtin"},
        /* 12 */ {{"RMA-1", NULL, "PH-1", NULL, NULL, long_desc}, 411, "description"},
        /* 13 */ {{"RMA-1", NULL, "PH\xC3\x28-1"}, 414, "sku"},
        /* 14 a surrogate */ {{"RMA-1", NULL, "PH-1", NULL, NULL, "\xED\xA0\x80"}, 414,
                              "description"},
        /* 15 */ {{"RMA-1", NULL, "PH-1", NULL, NULL, NULL, "bad\x07"}, 415, "reason"},
        /* 16 */ {{"RMA\x1b-1", NULL, "PH-1"}, 415, "rma"},
        /* 17 a field's fault before the row's */ {{"", NULL, "", NULL, "\x01"}, 415, "serial"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct manifest_row row;
        char err[300] = "", want[16];
        int id = manifest_row_fill(&row, cases[i].f, err, sizeof err);
        bool ok = CHECK_INT(id, cases[i].id);
        if (cases[i].id) {
            snprintf(want, sizeof want, "E%d: ", cases[i].id);
            ok = CHECK(strncmp(err, want, strlen(want)) == 0) && ok;
            ok = CHECK(strstr(err, cases[i].field) != NULL) && ok;
        } else {
            ok = CHECK_STR(row.rma, cases[i].f[0]) && ok;
            ok = CHECK_STR(row.description, cases[i].f[5] ? cases[i].f[5] : "") && ok;
            ok = CHECK_INT(manifest_row_check(&row, err, sizeof err), 0) && ok;
        }
        if (!ok)
            fprintf(stderr, "  row case %zu: %s\n", i, err);
    }

    /* A struct filled some other way: a field without its NUL is too long. */
    struct manifest_row row = {.rma = "RMA-1", .sku = "PH-1"};
    char err[300];
    CHECK_INT(manifest_row_check(&row, err, sizeof err), 0);
    memset(row.gtin, '7', sizeof row.gtin);
    CHECK_INT(manifest_row_check(&row, err, sizeof err), 411);
    CHECK(strncmp(err, "E411: gtin is 32 bytes long", 27) == 0);
    CHECK_INT(manifest_row_check(&row, NULL, 0), 411); /* err may be NULL */

    /* Field names, both ways; the CSV header takes them in any case. */
    for (int f = 0; f < MANIFEST_FIELDS; f++) {
        const char *name = manifest_field_name((enum manifest_field)f);
        CHECK_INT(manifest_field_find(name, strlen(name)), f);
    }
    CHECK_INT(manifest_field_find("Delivered_At", 12), MF_DELIVERED_AT);
    CHECK_INT(manifest_field_find("rmax", 4), -1);
    CHECK_INT(manifest_field_find("rm", 2), -1);
    size_t size = 0;
    CHECK(manifest_field_at(&row, MF_DESCRIPTION, &size) == row.description &&
          size == sizeof row.description);
}

int main(void)
{
    test_good();
    test_bad();
    test_import();
    test_demo();
    test_large();
    test_row_check();
    return harness_done();
}

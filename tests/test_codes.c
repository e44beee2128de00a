/*
 * test_codes.c — scanned-code parsing: RMA forms, GS1 element strings (raw,
 * human-readable, Digital Link), GTINs, plates, unknown data, JSON output,
 * and random bytes that must never crash or break an invariant.
 */
#include "codes.h"
#include "harness.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GS "\x1d"

/* Input as a string literal, its length taken by sizeof (may hold NUL). */
#define IN(s) s, sizeof(s) - 1

static const struct code_case {
    const char *in;
    size_t len;
    enum code_kind kind;
    const char *rma, *gtin, *serial; /* "" = must be empty; NULL = not checked */
    const char *error;               /* prefix, e.g. "E503"; "" = no error */
    const char *more;                /* "field=value;…" of the other fields, or NULL */
} cases[] = {
    /* ---- RMA codes ---- */
    /* 0 */ {IN("RMA-0001"), CODE_RMA, "RMA-0001", "", "", "", "text=RMA-0001;gs1=0"},
    /* 1 */ {IN("rma-0001"), CODE_RMA, "RMA-0001", "", "", "", "text=rma-0001"},
    /* 2 */ {IN("RMA0001"), CODE_RMA, "RMA0001", "", "", "", NULL},
    /* 3 */ {IN("RMA 123-AB"), CODE_RMA, "RMA 123-AB", "", "", "", NULL},
    /* 4 not a plate */ {IN("RMA-000001"), CODE_RMA, "RMA-000001", "", "", "", "plate="},
    /* 5 scanner suffix */ {IN("RMA-0001\r\n"), CODE_RMA, "RMA-0001", "", "", "", "text=RMA-0001"},
    /* 6 */ {IN("  rma-7x "), CODE_RMA, "RMA-7X", "", "", "", NULL},
    /* 7 */ {IN("]C0RMA-0001"), CODE_RMA, "RMA-0001", "", "", "", "symbology=]C0;text=RMA-0001"},
    /* 8 */ {IN("]Q1rma-0002"), CODE_RMA, "RMA-0002", "", "", "", "symbology=]Q1"},
    /* 9 a word, not a code */ {IN("RMADILLO"), CODE_UNKNOWN, "", "", "", "", "text=RMADILLO"},
    /* 10 */ {IN("RMA-"), CODE_UNKNOWN, "", "", "", "", NULL},
    /* 11 */ {IN("RMA"), CODE_UNKNOWN, "", "", "", "", NULL},
    /* 12 */ {IN("RMA--1"), CODE_UNKNOWN, "", "", "", "", NULL},
    /* 13 */ {IN("RMA-00_1"), CODE_UNKNOWN, "", "", "", "", NULL},
    /* 14 63 characters */
    {IN("RMA-12345678901234567890123456789012345678901234567890123456789"), CODE_RMA, NULL, "", "",
     "", NULL},
    /* 15 64 characters: too long for an RMA */
    {IN("RMA-123456789012345678901234567890123456789012345678901234567890"), CODE_UNKNOWN, "", "",
     "", "", NULL},
    /* 16 */ {IN("RMA:RMA-0001"), CODE_RMA, "RMA-0001", "", "", "", NULL},
    /* 17 */ {IN("rma:rma-0042"), CODE_RMA, "RMA-0042", "", "", "", NULL},
    /* 18 */ {IN("RMA:"), CODE_UNKNOWN, "", "", "", "", NULL},
    /* 19 */ {IN("RMA:<script>"), CODE_UNKNOWN, "", "", "", "", NULL},
    /* 20 */ {IN("RMA-0001\0X"), CODE_UNKNOWN, "", "", "", "", "text=RMA-0001?X"},

    /* ---- return links ---- */
    /* 21 */
    {IN("https://returns.example.com/r/RMA-0001"), CODE_RMA, "RMA-0001", "", "", "", "gs1=0"},
    /* 22 */
    {IN("https://shop.example/returns?order=5&rma=rma-0002"), CODE_RMA, "RMA-0002", "", "", "",
     NULL},
    /* 23 */ {IN("HTTPS://X.EXAMPLE/R/RMA-0003?utm=1#top"), CODE_RMA, "RMA-0003", "", "", "", NULL},
    /* 24 */
    {IN("https://example.com/help"), CODE_UNKNOWN, "", "", "", "", "text=https://example.com/help"},
    /* 25 */ {IN("https://example.com/r/RMA%2D0004"), CODE_RMA, "RMA-0004", "", "", "", NULL},
    /* 26 */ {IN("https://example.com/?rma=RMA+55"), CODE_RMA, "RMA 55", "", "", "", NULL},
    /* 27 */ {IN("]Q1http://x.example/r/rma-0005/"), CODE_RMA, "RMA-0005", "", "", "", NULL},
    /* 28 */ {IN("https://"), CODE_UNKNOWN, "", "", "", "", NULL},
    /* 29 */ {IN("https://x/?rma=%"), CODE_UNKNOWN, "", "", "", "", NULL},

    /* ---- GS1 element strings, raw (GS1 General Specifications §7.8) ---- */
    /* 30 */
    {IN("]C10109506000134352"), CODE_ITEM, "", "09506000134352", "", "", "gs1=1;symbology=]C1"},
    /* 31 a predefined-length AI needs no GS */
    {IN("]C1010950600013435221ABC123"), CODE_ITEM, "", "09506000134352", "ABC123", "", NULL},
    /* 32 */
    {IN("]d2010950600013435210LOT7" GS "1726123121SN1"), CODE_ITEM, "", "09506000134352", "SN1", "",
     "batch=LOT7;expiry=261231"},
    /* 33 RMA in AI 400 */ {IN("]C1400RMA-0009"), CODE_RMA, "RMA-0009", "", "", "", "gs1=1"},
    /* 34 RMA in AI 8020 */ {IN("]C18020rma-0010"), CODE_RMA, "RMA-0010", "", "", "", NULL},
    /* 35 a PO that is no RMA */ {IN("]C1400PO12345"), CODE_UNKNOWN, "", "", "", "", "gs1=1"},
    /* 36 */
    {IN("]C10109506000134352400RMA-0011"), CODE_RMA, "RMA-0011", "09506000134352", "", "", NULL},
    /* 37 SSCC */
    {IN("]C100006141411234567890"), CODE_SSCC, "", "", "", "", "sscc=006141411234567890"},
    /* 38 */ {IN("]C100006141411234567891"), CODE_UNKNOWN, "", "", "", "E504", "sscc="},
    /* 39 */ {IN("]C10109506000134353"), CODE_UNKNOWN, "", "", "", "E503", "gs1=1"},
    /* 40 cut short */ {IN("]C1010950600013435"), CODE_UNKNOWN, "", "", "", "E502", NULL},
    /* 41 FNC1 in first position arrives as GS */
    {IN("]C1" GS "0109506000134352"), CODE_ITEM, "", "09506000134352", "", "", NULL},
    /* 42 serial of 21 characters */
    {IN("]C121ABCDEFGHIJKLMNOPQRSTU"), CODE_UNKNOWN, "", "", "", "E507", NULL},
    /* 43 20 fit */
    {IN("]C121ABCDEFGHIJKLMNOPQRST"), CODE_ITEM, "", "", "ABCDEFGHIJKLMNOPQRST", "", NULL},
    /* 44 doubled GS */ {IN("]C121ABC" GS GS "10X"), CODE_ITEM, "", "", "ABC", "", "batch=X"},
    /* 45 */ {IN("]C117261332"), CODE_UNKNOWN, "", "", "", "E506", NULL},
    /* 46 */ {IN("]C117260230"), CODE_UNKNOWN, "", "", "", "E506", NULL},
    /* 47 leap day */ {IN("]C117240229"), CODE_UNKNOWN, "", "", "", "", "expiry=240229"},
    /* 48 */ {IN("]C117250229"), CODE_UNKNOWN, "", "", "", "E506", NULL},
    /* 49 day 00 = end of month */
    {IN("]C117261200"), CODE_UNKNOWN, "", "", "", "", "expiry=261200"},
    /* 50 */ {IN("]C1RMA-0001"), CODE_UNKNOWN, "", "", "", "E500", NULL},
    /* 51 */ {IN("]C19"), CODE_UNKNOWN, "", "", "", "E500", NULL},
    /* 52 */ {IN("]C1"), CODE_UNKNOWN, "", "", "", "", "symbology=]C1;text="},
    /* 53 space is not GS1 data */
    {IN("]C1010950600013435221AB C"), CODE_UNKNOWN, "", "", "", "E509", NULL},
    /* 54 unassigned AI */ {IN("]C114123456"), CODE_UNKNOWN, "", "", "", "E501", NULL},
    /* 55 */ {IN("]C101ABCDEFGHIJKLMN"), CODE_UNKNOWN, "", "", "", "E505", NULL},
    /* 56 */ {IN("]C110"), CODE_UNKNOWN, "", "", "", "E510", NULL},
    /* 57 */ {IN("]C110" GS "21X"), CODE_UNKNOWN, "", "", "", "E510", NULL},
    /* 58 the same AI twice, same value */
    {IN("]C10109506000134352" GS "0109506000134352"), CODE_ITEM, "", "09506000134352", "", "",
     NULL},
    /* 59 two GTINs */
    {IN("]C101095060001343520195012345678903"), CODE_UNKNOWN, "", "", "", "E512", NULL},
    /* 60 trade measure, 4-digit AI */
    {IN("]e001095060001343523103000123"), CODE_ITEM, "", "09506000134352", "", "", NULL},
    /* 61 */ {IN("]e00109506000134352310300012"), CODE_UNKNOWN, "", "", "", "E502", NULL},
    /* 62 402 is not predefined: it needs GS after it */
    {IN("]C140212345678901234567" GS "21S"), CODE_ITEM, "", "", "S", "", NULL},
    /* 63 */
    {IN("]C140212345678901234567"
        "21S"),
     CODE_UNKNOWN, "", "", "", "E507", NULL},
    /* 64 */ {IN("]C1" GS GS), CODE_UNKNOWN, "", "", "", "E500", NULL},
    /* 65 binary after a GS1 AIM id */
    {IN("]C1\x01\x02\xff"), CODE_UNKNOWN, "", "", "", "E500", NULL},
    /* 66 */ {IN("]C10109506000134352\xff"), CODE_UNKNOWN, "", "", "", "E500", NULL},
    /* 67 */ {IN("]C121\xc3\xa9"), CODE_UNKNOWN, "", "", "", "E509", NULL},
    /* 68 */ {IN("]J10109506000134352"), CODE_ITEM, "", "09506000134352", "", "", NULL},

    /* ---- human-readable "(AI)" form (§4.15) ---- */
    /* 69 */
    {IN("(01)09506000134352(21)ABC"), CODE_ITEM, "", "09506000134352", "ABC", "",
     "gs1=1;symbology="},
    /* 70 */
    {IN("(01)09506000134352(10)LOT(17)261231"), CODE_ITEM, "", "09506000134352", "", "",
     "batch=LOT;expiry=261231"},
    /* 71 */ {IN("(01)0950600013435"), CODE_UNKNOWN, "", "", "", "E502", NULL},
    /* 72 */ {IN("(400)RMA-0012"), CODE_RMA, "RMA-0012", "", "", "", NULL},
    /* 73 not the form */ {IN("(01"), CODE_UNKNOWN, "", "", "", "", NULL},
    /* 74 */ {IN("(99)"), CODE_UNKNOWN, "", "", "", "E510", NULL},
    /* 75 a parenthesis inside a value */
    {IN("(01)09506000134352(21)A(B)C"), CODE_ITEM, "", "09506000134352", "A(B)C", "", NULL},
    /* 76 */ {IN("(19)123456"), CODE_UNKNOWN, "", "", "", "E501", NULL},
    /* 77 */ {IN("]Q3(01)09506000134352(21)X1"), CODE_ITEM, "", "09506000134352", "X1", "", NULL},
    /* 78 */ {IN("(01)09506000134352junk(21"), CODE_UNKNOWN, "", "", "", "E507", NULL},
    /* 79 */ {IN("(01)09506000134352(21)"), CODE_UNKNOWN, "", "", "", "E510", NULL},

    /* ---- raw element strings without an AIM id ---- */
    /* 80 */
    {IN("010950600013435221SERIAL9"), CODE_ITEM, "", "09506000134352", "SERIAL9", "", "gs1=1"},
    /* 81 bad check digit: then it is just text */
    {IN("010950600013435321X"), CODE_UNKNOWN, "", "", "", "", "gs1=0"},
    /* 82 GS says GS1 */
    {IN("10LOT" GS "0109506000134352"), CODE_ITEM, "", "09506000134352", "", "", "batch=LOT"},
    /* 83 */ {IN("12345678901234567"), CODE_UNKNOWN, "", "", "", "", NULL},
    /* 84 looks like GS1 but is not: no error, kept as text */
    {IN("0109506000134352-A"), CODE_UNKNOWN, "", "", "", "", "text=0109506000134352-A"},

    /* ---- GS1 Digital Link ---- */
    /* 85 */
    {IN("https://id.gs1.org/01/09506000134352/21/ABC123"), CODE_ITEM, "", "09506000134352",
     "ABC123", "", "gs1=1"},
    /* 86 GTIN-13 in the link */
    {IN("https://example.com/01/9506000134352"), CODE_ITEM, "", "09506000134352", "", "", NULL},
    /* 87 */
    {IN("https://brand.example/gs1/01/09506000134352/10/LOT%2F1?17=261231&linkType=x"), CODE_ITEM,
     "", "09506000134352", "", "", "batch=LOT/1;expiry=261231"},
    /* 88 */
    {IN("https://id.gs1.org/01/09506000134353"), CODE_UNKNOWN, "", "", "", "E503", "gs1=1"},
    /* 89 */ {IN("https://id.gs1.org/01/1234"), CODE_UNKNOWN, "", "", "", "E515", NULL},
    /* 90 */
    {IN("https://id.gs1.org/01/09506000134352/21"), CODE_UNKNOWN, "", "", "", "E516", NULL},
    /* 91 */
    {IN("https://id.gs1.org/00/006141411234567890"), CODE_SSCC, "", "", "", "",
     "sscc=006141411234567890"},
    /* 92 */
    {IN("https://id.gs1.org/01/09506000134352?rma=RMA-0013"), CODE_RMA, "RMA-0013",
     "09506000134352", "", "", NULL},
    /* 93 */
    {IN("https://id.gs1.org/01/09506000134352/77/x"), CODE_UNKNOWN, "", "", "", "E501", NULL},
    /* 94 */
    {IN("https://id.gs1.org/01/09506000134352?17=261399"), CODE_UNKNOWN, "", "", "", "E506", NULL},
    /* 95 */
    {IN("https://id.gs1.org/01/09506000134352/21/%E4%B8%AD"), CODE_UNKNOWN, "", "", "", "E509",
     NULL},

    /* ---- plain GTINs and EAN/UPC symbologies ---- */
    /* 96 EAN-13 */ {IN("4006381333931"), CODE_ITEM, "", "04006381333931", "", "", "gs1=0"},
    /* 97 EAN-8 */ {IN("96385074"), CODE_ITEM, "", "00000096385074", "", "", NULL},
    /* 98 UPC-A */ {IN("036000291452"), CODE_ITEM, "", "00036000291452", "", "", NULL},
    /* 99 GTIN-14 */ {IN("09506000134352"), CODE_ITEM, "", "09506000134352", "", "", NULL},
    /* 100 a number that is no GTIN */ {IN("4006381333932"), CODE_UNKNOWN, "", "", "", "", NULL},
    /* 101 */ {IN("]E04006381333931"), CODE_ITEM, "", "04006381333931", "", "", "symbology=]E0"},
    /* 102 */ {IN("]E04006381333932"), CODE_UNKNOWN, "", "", "", "E514", NULL},
    /* 103 */ {IN("]E496385074"), CODE_ITEM, "", "00000096385074", "", "", NULL},
    /* 104 */ {IN("]E0123"), CODE_UNKNOWN, "", "", "", "E513", NULL},
    /* 105 add-on dropped */
    {IN("]E3400638133393112"), CODE_ITEM, "", "04006381333931", "", "", NULL},
    /* 106 */ {IN("]E0RMA-0001"), CODE_UNKNOWN, "", "", "", "E513", NULL},

    /* ---- plates ---- */
    /* 107 */ {IN("SH01-S03-000042"), CODE_PLATE, "", "", "", "", "plate=SH01-S03-000042"},
    /* 108 */ {IN("SH01-S03-1234567"), CODE_PLATE, "", "", "", "", "plate=SH01-S03-1234567"},
    /* 109 */ {IN("S-000001"), CODE_PLATE, "", "", "", "", NULL},
    /* 110 */ {IN("]C0SH01-S03-000042\r"), CODE_PLATE, "", "", "", "", NULL},
    /* 111 */ {IN("-000001"), CODE_UNKNOWN, "", "", "", "", NULL},
    /* 112 */ {IN("SH01-S03-00042"), CODE_UNKNOWN, "", "", "", "", NULL},
    /* 113 */ {IN("SH01_S03-000042"), CODE_UNKNOWN, "", "", "", "", NULL},
    /* 114 station of 32 characters */
    {IN("ABCDEFGHIJABCDEFGHIJABCDEFGHIJAB-000001"), CODE_UNKNOWN, "", "", "", "", NULL},
    /* 115 */ {IN("SH01-S03-00004A"), CODE_UNKNOWN, "", "", "", "", NULL},

    /* ---- everything else ---- */
    /* 116 */ {IN(""), CODE_UNKNOWN, "", "", "", "", "text=;symbology=;gs1=0"},
    /* 117 */ {IN("hello world"), CODE_UNKNOWN, "", "", "", "", "text=hello world"},
    /* 118 too short for an AIM id */
    {IN("]X"), CODE_UNKNOWN, "", "", "", "", "text=]X;symbology="},
    /* 119 */ {IN("\x01\x02\xff\xfe"), CODE_UNKNOWN, "", "", "", "", NULL},
    /* 120 */ {IN("SN-99 8877"), CODE_UNKNOWN, "", "", "", "", "text=SN-99 8877"},
    /* 121 */ {IN("\r\n"), CODE_UNKNOWN, "", "", "", "", "text="},
    /* 122 */ {IN("]]]"), CODE_UNKNOWN, "", "", "", "", "text=]]]"},
};

/* Check "field=value;field=value" against the other fields. */
static bool more_ok(const struct scanned_code *c, const char *more, char *why, size_t whylen)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", more);
    for (char *save, *kv = strtok_r(buf, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(kv, '=');
        *eq = 0;
        const char *want = eq + 1, *got;
        char gs1[2] = {c->gs1 ? '1' : '0', 0};
        if (!strcmp(kv, "text"))
            got = c->text;
        else if (!strcmp(kv, "symbology"))
            got = c->symbology;
        else if (!strcmp(kv, "batch"))
            got = c->batch;
        else if (!strcmp(kv, "expiry"))
            got = c->expiry;
        else if (!strcmp(kv, "sscc"))
            got = c->sscc;
        else if (!strcmp(kv, "plate"))
            got = c->plate;
        else if (!strcmp(kv, "gs1"))
            got = gs1;
        else
            got = "(no such field)";
        if (strcmp(got, want) != 0) {
            snprintf(why, whylen, "%s is \"%s\", want \"%s\"", kv, got, want);
            return false;
        }
    }
    return true;
}

static void test_table(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct code_case *t = &cases[i];
        struct scanned_code c;
        codes_parse(t->in, t->len, &c);
        char why[300] = "";
        bool ok = true;
        if (c.kind != t->kind)
            snprintf(why, sizeof why, "kind %s, want %s", code_kind_name(c.kind),
                     code_kind_name(t->kind)),
                ok = false;
        else if (t->rma && strcmp(c.rma, t->rma))
            snprintf(why, sizeof why, "rma \"%s\", want \"%s\"", c.rma, t->rma), ok = false;
        else if (t->gtin && strcmp(c.gtin, t->gtin))
            snprintf(why, sizeof why, "gtin \"%s\", want \"%s\"", c.gtin, t->gtin), ok = false;
        else if (t->serial && strcmp(c.serial, t->serial))
            snprintf(why, sizeof why, "serial \"%s\", want \"%s\"", c.serial, t->serial),
                ok = false;
        else if (t->error[0] ? strncmp(c.error, t->error, strlen(t->error)) != 0 : c.error[0])
            snprintf(why, sizeof why, "error \"%s\", want \"%s\"", c.error, t->error), ok = false;
        else if (t->more && !more_ok(&c, t->more, why, sizeof why))
            ok = false;
        if (!CHECK(ok))
            fprintf(stderr, "  case %zu: %s (error \"%s\")\n", i, why, c.error);
    }
}

static void test_check_digits(void)
{
    static const struct {
        const char *digits;
        bool ok;
    } rows[] = {
        {"09506000134352", true},
        {"09506000134353", false},
        {"4006381333931", true},
        {"96385074", true},
        {"036000291452", true},
        {"006141411234567890", true},
        {"106141411234567897", true},
        {"106141411234567896", false},
        {"00", true},
        {"01", false},
        {"0", false},
        {"", false},
        {"0950600013435X", false},
        {"95012345678903", true},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        if (!CHECK(codes_gs1_check_ok(rows[i].digits, strlen(rows[i].digits)) == rows[i].ok))
            fprintf(stderr, "  row %zu: %s\n", i, rows[i].digits);
    CHECK(!codes_gs1_check_ok(NULL, 5));
}

/* The text is cut to its field at a character boundary. */
static void test_lengths(void)
{
    char big[1000];
    memset(big, 'a', sizeof big);
    struct scanned_code c;
    codes_parse(big, sizeof big, &c);
    CHECK_INT(c.kind, CODE_UNKNOWN);
    CHECK_INT(strlen(c.text), sizeof c.text - 1);

    /* 254 ASCII bytes and a 3-byte character: the character does not fit. */
    memset(big, 'b', 254);
    memcpy(big + 254, "\xe4\xb8\xad", 3);
    codes_parse(big, 257, &c);
    CHECK_INT(strlen(c.text), 254);

    /* A long GS1 string parses in full even though text is cut. */
    char gs1[400];
    size_t n = (size_t)sprintf(gs1, "]C10109506000134352");
    for (int i = 0; i < 20; i++)
        n += (size_t)sprintf(gs1 + n, "91ABCDEFGHIJ" GS);
    n += (size_t)sprintf(gs1 + n, "21LAST");
    codes_parse(gs1, n, &c);
    CHECK_INT(c.kind, CODE_ITEM);
    CHECK_STR(c.serial, "LAST");
    CHECK_STR(c.error, "");

    codes_parse(NULL, 5, &c);
    CHECK_INT(c.kind, CODE_UNKNOWN);
}

static void test_json(void)
{
    static const struct {
        const char *in;
        size_t len;
        const char *want;
    } rows[] = {
        {IN("rma-0001"),
         "{\"kind\":\"rma\",\"gs1\":false,\"rma\":\"RMA-0001\",\"text\":\"rma-0001\"}"},
        {IN("]C110LOT" GS "0109506000134352"),
         "{\"kind\":\"item\",\"symbology\":\"]C1\",\"gs1\":true,\"gtin\":\"09506000134352\","
         "\"batch\":\"LOT\",\"text\":\"10LOT\\u001d0109506000134352\"}"},
        {IN("]C10109506000134353"),
         "{\"kind\":\"unknown\",\"symbology\":\"]C1\",\"gs1\":true,\"text\":\"0109506000134353\","
         "\"error\":\"E503: GTIN 09506000134353: wrong check digit (should be 2)\"}"},
        {IN("a\"b\\c\td"), "{\"kind\":\"unknown\",\"gs1\":false,\"text\":\"a\\\"b\\\\c\\td\"}"},
        {IN("\xff\xc3(\xe4\xb8\xad"),
         "{\"kind\":\"unknown\",\"gs1\":false,\"text\":\"\\ufffd\\ufffd(\xe4\xb8\xad\"}"},
        {IN("SH01-S03-000042"),
         "{\"kind\":\"plate\",\"gs1\":false,\"plate\":\"SH01-S03-000042\",\"text\":"
         "\"SH01-S03-000042\"}"},
        {IN("]C100006141411234567890"),
         "{\"kind\":\"sscc\",\"symbology\":\"]C1\",\"gs1\":true,\"sscc\":\"006141411234567890\","
         "\"text\":\"00006141411234567890\"}"},
        {IN(""), "{\"kind\":\"unknown\",\"gs1\":false}"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        struct scanned_code c;
        char out[1024];
        codes_parse(rows[i].in, rows[i].len, &c);
        int n = codes_to_json(&c, out, sizeof out);
        if (!CHECK_STR(out, rows[i].want))
            fprintf(stderr, "  row %zu\n", i);
        CHECK_INT(n, strlen(rows[i].want));
    }
    /* Too small a buffer: -1, never a cut object. Exactly enough: fits. */
    struct scanned_code c;
    codes_parse(IN("RMA-0001"), &c);
    char out[200];
    int need = codes_to_json(&c, out, sizeof out);
    CHECK(need > 0);
    CHECK_INT(codes_to_json(&c, out, (size_t)need), -1);
    CHECK_STR(out, "");
    CHECK_INT(codes_to_json(&c, out, (size_t)need + 1), need);
    CHECK_INT(codes_to_json(&c, out, 0), -1);
    CHECK_STR(code_kind_name((enum code_kind)99), "unknown");
}

/* Random input: no crash (the sanitizers watch), and the result always
 * keeps its promises. */
static void test_random(void)
{
    static const char alphabet[] = "0123456789" GS "()]CdQeE134RMArma-: /?=&%.hpts"
                                   "\x00\xff\x80\xc3\r\n";
    unsigned seed = 12345;
    int broken = 0;
    char data[300];
    for (int round = 0; round < 200000 && broken < 5; round++) {
        size_t len = (size_t)(seed = seed * 1103515245 + 12345) >> 16;
        len %= sizeof data;
        bool raw = round % 3 == 0; /* a third are any bytes at all */
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245 + 12345;
            unsigned r = seed >> 16;
            data[i] = raw ? (char)(r & 0xff) : alphabet[r % (sizeof alphabet - 1)];
        }
        /* Some start like the forms above, to get deep into each parser. */
        static const char *const starts[] = {"]C1",
                                             "]d201",
                                             "(01)",
                                             "https://id.gs1.org/01/",
                                             "RMA-",
                                             "]E0",
                                             "0109506000134352",
                                             "http://x/?rma="};
        if (round % 2 && len > 24) {
            const char *s = starts[(round / 2) % 8];
            memcpy(data, s, strlen(s));
        }
        /* An exact-size heap copy: AddressSanitizer sees any read past it. */
        char *exact = malloc(len ? len : 1);
        memcpy(exact, data, len);
        struct scanned_code c;
        codes_parse(exact, len, &c);
        free(exact);
        char json[2048];
        int n = codes_to_json(&c, json, sizeof json);
        cJSON *parsed = n > 0 ? cJSON_Parse(json) : NULL;
        bool ok = n > 0 && parsed && strlen(c.text) < sizeof c.text &&
                  (!c.error[0] || c.kind == CODE_UNKNOWN) && (c.kind != CODE_RMA || c.rma[0]) &&
                  (c.kind != CODE_ITEM || c.gtin[0] || c.serial[0]) &&
                  (c.kind != CODE_SSCC || c.sscc[0]) && (c.kind != CODE_PLATE || c.plate[0]) &&
                  (!c.gtin[0] || (strlen(c.gtin) == 14 && codes_gs1_check_ok(c.gtin, 14))) &&
                  (!c.sscc[0] || (strlen(c.sscc) == 18 && codes_gs1_check_ok(c.sscc, 18))) &&
                  (!c.error[0] || (c.error[0] == 'E' && c.error[1] == '5'));
        cJSON_Delete(parsed);
        if (!ok) {
            broken++;
            fprintf(stderr, "  random round %d broke an invariant: %s\n", round, json);
        }
    }
    CHECK_INT(broken, 0);
}

int main(void)
{
    test_table();
    test_check_digits();
    test_lengths();
    test_json();
    test_random();
    return harness_done();
}

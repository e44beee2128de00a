/*
 * test_utf8.c — the UTF-8 module: decoding against the table of RFC 3629
 * §4 (every boundary of every row, overlong forms, surrogates, past
 * U+10FFFF, cut sequences), encoding both ways, the boundary helpers,
 * cleaning, and every code point round-tripped.
 */
#include "harness.h"
#include "utf8.h"

#include <stdio.h>
#include <string.h>

/* Input as a string literal, its length taken by sizeof (may hold NUL). */
#define IN(s) s, sizeof(s) - 1

static const struct decode_case {
    const char *in;
    size_t n;
    size_t len;  /* what utf8_decode returns; 0 = not well-formed */
    uint32_t cp; /* when len > 0 */
} decode_cases[] = {
    /* ---- one byte ---- */
    /* 0 */ {IN("A"), 1, 'A'},
    /* 1 NUL is a character */ {"\0", 1, 1, 0},
    /* 2 */ {IN("\x7F"), 1, 0x7F},
    /* ---- two bytes: C2..DF 80..BF ---- */
    /* 3 */ {IN("\xC2\x80"), 2, 0x80},
    /* 4 */ {IN("\xC3\xA9"), 2, 0xE9},
    /* 5 */ {IN("\xDF\xBF"), 2, 0x7FF},
    /* 6 overlong "/" */ {IN("\xC0\xAF"), 0, 0},
    /* 7 overlong */ {IN("\xC1\xBF"), 0, 0},
    /* 8 second byte not a continuation */ {IN("\xC3\x28"), 0, 0},
    /* 9 cut */ {IN("\xC3"), 0, 0},
    /* ---- three bytes ---- */
    /* 10 E0 A0..BF */ {IN("\xE0\xA0\x80"), 3, 0x800},
    /* 11 overlong */ {IN("\xE0\x9F\xBF"), 0, 0},
    /* 12 */ {IN("\xE2\x80\xA6"), 3, 0x2026},
    /* 13 */ {IN("\xE4\xB8\xAD"), 3, 0x4E2D},
    /* 14 ED 80..9F */ {IN("\xED\x9F\xBF"), 3, 0xD7FF},
    /* 15 surrogate D800 */ {IN("\xED\xA0\x80"), 0, 0},
    /* 16 surrogate DFFF */ {IN("\xED\xBF\xBF"), 0, 0},
    /* 17 */ {IN("\xEE\x80\x80"), 3, 0xE000},
    /* 18 */ {IN("\xEF\xBF\xBD"), 3, 0xFFFD},
    /* 19 */ {IN("\xEF\xBF\xBF"), 3, 0xFFFF},
    /* 20 cut */ {IN("\xE4\xB8"), 0, 0},
    /* 21 third byte not a continuation */ {IN("\xE4\xB8\x41"), 0, 0},
    /* ---- four bytes ---- */
    /* 22 F0 90..BF */ {IN("\xF0\x90\x80\x80"), 4, 0x10000},
    /* 23 overlong */ {IN("\xF0\x8F\xBF\xBF"), 0, 0},
    /* 24 */ {IN("\xF0\x9F\x98\x80"), 4, 0x1F600},
    /* 25 F4 80..8F */ {IN("\xF4\x8F\xBF\xBF"), 4, 0x10FFFF},
    /* 26 past U+10FFFF */ {IN("\xF4\x90\x80\x80"), 0, 0},
    /* 27 lead past F4 */ {IN("\xF5\x80\x80\x80"), 0, 0},
    /* 28 */ {IN("\xF8\x88\x80\x80\x80"), 0, 0},
    /* 29 */ {IN("\xFF"), 0, 0},
    /* 30 cut */ {IN("\xF0\x9F\x98"), 0, 0},
    /* ---- stray bytes ---- */
    /* 31 lone continuation */ {IN("\x80"), 0, 0},
    /* 32 */ {IN("\xBF"), 0, 0},
    /* 33 only the first sequence counts */ {IN("\xC3\xA9\xFF"), 2, 0xE9},
    /* 34 n = 0 */ {"A", 0, 0, 0},
};

static void test_decode(void)
{
    for (size_t i = 0; i < sizeof decode_cases / sizeof *decode_cases; i++) {
        const struct decode_case *c = &decode_cases[i];
        uint32_t cp = 0xDEAD;
        size_t len = utf8_decode(c->in, c->n, &cp);
        if (!CHECK_INT(len, c->len))
            fprintf(stderr, "  decode case %zu\n", i);
        if (c->len && !CHECK_INT(cp, c->cp))
            fprintf(stderr, "  decode case %zu\n", i);
        if (!c->len)
            CHECK_INT(cp, 0xDEAD); /* untouched */
        CHECK_INT(utf8_decode(c->in, c->n, NULL), c->len);
        /* One character alone is valid exactly when it decodes whole. */
        if (c->n)
            CHECK(utf8_valid(c->in, c->n) == (c->len == c->n));
    }
}

static const struct valid_case {
    const char *in;
    size_t n;
    bool ok;
} valid_cases[] = {
    /* 0 */ {IN(""), true},
    /* 1 */ {IN("RMA-0001"), true},
    /* 2 */ {IN("Apple iPhone 13 \xE5\x8D\x88\xE5\xA4\x9C\xE8\x89\xB2"), true},
    /* 3 */ {IN("a\0b"), true},
    /* 4 */ {IN("ok \xF0\x9F\x98\x80 ok"), true},
    /* 5 broken in the middle */ {IN("ab\xE4\xB8!!"), false},
    /* 6 cut at the end */ {IN("abc\xE4"), false},
    /* 7 surrogate pair as CESU-8 */ {IN("\xED\xA0\xBD\xED\xB8\x80"), false},
    /* 8 Latin-1 */ {IN("caf\xE9"), false},
};

static void test_valid(void)
{
    for (size_t i = 0; i < sizeof valid_cases / sizeof *valid_cases; i++)
        if (!CHECK(utf8_valid(valid_cases[i].in, valid_cases[i].n) == valid_cases[i].ok))
            fprintf(stderr, "  valid case %zu\n", i);
    /* n bounds the check: a prefix cut before a broken byte is fine. */
    CHECK(utf8_valid("abc\xFF", 3));
}

static void test_encode(void)
{
    static const struct {
        uint32_t cp;
        const char *want; /* NULL: refused */
    } cases[] = {
        /* 0 */ {0, "\0"},
        /* 1 */ {'A', "A"},
        /* 2 */ {0x7F, "\x7F"},
        /* 3 */ {0x80, "\xC2\x80"},
        /* 4 */ {0x7FF, "\xDF\xBF"},
        /* 5 */ {0x800, "\xE0\xA0\x80"},
        /* 6 */ {0x4E2D, "\xE4\xB8\xAD"},
        /* 7 */ {0xD7FF, "\xED\x9F\xBF"},
        /* 8 */ {0xD800, NULL},
        /* 9 */ {0xDFFF, NULL},
        /* 10 */ {0xE000, "\xEE\x80\x80"},
        /* 11 */ {0xFFFF, "\xEF\xBF\xBF"},
        /* 12 */ {0x10000, "\xF0\x90\x80\x80"},
        /* 13 */ {0x10FFFF, "\xF4\x8F\xBF\xBF"},
        /* 14 */ {0x110000, NULL},
        /* 15 */ {0xFFFFFFFF, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char out[UTF8_MAX + 1] = "zzzzz";
        size_t n = utf8_encode(cases[i].cp, out);
        size_t want = cases[i].want ? (cases[i].cp ? strlen(cases[i].want) : 1) : 0;
        if (!CHECK_INT(n, want))
            fprintf(stderr, "  encode case %zu\n", i);
        if (cases[i].want)
            CHECK(memcmp(out, cases[i].want, n) == 0);
        else
            CHECK(out[0] == 'z'); /* nothing written */
    }
    /* Every scalar value goes there and back. */
    int bad = 0;
    for (uint32_t cp = 0; cp < 0x110000; cp++) {
        char out[UTF8_MAX];
        size_t n = utf8_encode(cp, out);
        bool scalar = cp < 0xD800 || cp > 0xDFFF;
        uint32_t back = 0;
        if (scalar ? (n == 0 || utf8_decode(out, n, &back) != n || back != cp) : n != 0)
            bad++;
    }
    CHECK_INT(bad, 0);
}

static void test_at(void)
{
    size_t len = 9;
    CHECK_INT(utf8_at("", &len), 0);
    CHECK_INT(len, 0);
    CHECK_INT(utf8_at("\xE4\xB8\xAD!", &len), 0x4E2D);
    CHECK_INT(len, 3);
    CHECK_INT(utf8_at("\xE4\xB8", &len), UTF8_REPLACEMENT_CP); /* cut by the NUL */
    CHECK_INT(len, 1);
    CHECK_INT(utf8_at("\x80x", &len), UTF8_REPLACEMENT_CP);
    CHECK_INT(len, 1);
    CHECK_INT(utf8_at("x", NULL), 'x');
}

/* "a中€😀" : a(0) 中(1..3) €(4..6) 😀(7..10), 11 bytes. */
#define MIX "a\xE4\xB8\xAD\xE2\x82\xAC\xF0\x9F\x98\x80"

static void test_boundaries(void)
{
    static const struct {
        size_t at, next, prev, cut;
    } cases[] = {
        /* 0 */ {0, 1, 0, 0},
        /* 1 */ {1, 4, 0, 1},
        /* 2 */ {2, 4, 1, 1},
        /* 3 */ {3, 4, 1, 1},
        /* 4 */ {4, 7, 1, 4},
        /* 5 */ {5, 7, 4, 4},
        /* 6 */ {7, 11, 4, 7},
        /* 7 */ {9, 11, 7, 7},
        /* 8 */ {10, 11, 7, 7},
        /* 9 */ {11, 11, 7, 11},
    };
    const char *s = MIX;
    CHECK_INT(strlen(s), 11);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        bool ok = CHECK_INT(utf8_next(s, 11, cases[i].at), cases[i].next);
        ok = CHECK_INT(utf8_prev(s, cases[i].at), cases[i].prev) && ok;
        ok = CHECK_INT(utf8_cut(s, cases[i].at), cases[i].cut) && ok;
        if (!ok)
            fprintf(stderr, "  boundary case %zu\n", i);
    }
    /* next never passes n, even inside a sequence cut short. */
    CHECK_INT(utf8_next(s, 3, 1), 3);
    CHECK_INT(utf8_next("\x80\x80\x80", 3, 0), 3);
    /* prev stops at the start on text that is only continuation bytes. */
    CHECK_INT(utf8_prev("\x80\x80\x80", 3), 0);

    static const struct {
        size_t count, off;
    } offsets[] = {{0, 0}, {1, 1}, {2, 4}, {3, 7}, {4, 11}, {5, 11}, {100, 11}};
    for (size_t i = 0; i < sizeof offsets / sizeof *offsets; i++)
        if (!CHECK_INT(utf8_offset(s, offsets[i].count), offsets[i].off))
            fprintf(stderr, "  offset case %zu\n", i);
}

static void test_clean(void)
{
    static const struct {
        const char *in;
        size_t outlen;
        const char *want;
    } cases[] = {
        /* 0 */ {"", 16, ""},
        /* 1 */ {"plain", 16, "plain"},
        /* 2 */ {"caf\xE9", 16, "caf" UTF8_REPLACEMENT},
        /* 3 one mark per bad byte */ {"\xC0\xAF", 16, UTF8_REPLACEMENT UTF8_REPLACEMENT},
        /* 4 cut sequence */ {"x\xE4\xB8", 16, "x" UTF8_REPLACEMENT UTF8_REPLACEMENT},
        /* 5 surrogate */ {"\xED\xA0\x80", 16, UTF8_REPLACEMENT UTF8_REPLACEMENT UTF8_REPLACEMENT},
        /* 6 good text kept */ {MIX, 16, MIX},
        /* 7 full: a whole character only */ {MIX, 6, "a\xE4\xB8\xAD"},
        /* 8 */ {MIX, 5, "a\xE4\xB8\xAD"},
        /* 9 */ {MIX, 4, "a"},
        /* 10 */ {"abc", 1, ""},
        /* 11 the mark does not fit */ {"a\xFF", 4, "a"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char out[32];
        memset(out, 'z', sizeof out);
        size_t n = utf8_clean(cases[i].in, out, cases[i].outlen);
        bool ok = CHECK_STR(out, cases[i].want);
        ok = CHECK_INT(n, strlen(cases[i].want)) && ok;
        ok = CHECK(utf8_valid(out, n)) && ok;
        ok = CHECK(out[cases[i].outlen] == 'z') && ok; /* nothing past outlen */
        if (!ok)
            fprintf(stderr, "  clean case %zu\n", i);
    }
    char none = 'z';
    CHECK_INT(utf8_clean("abc", &none, 0), 0);
    CHECK(none == 'z');
}

int main(void)
{
    test_decode();
    test_valid();
    test_encode();
    test_at();
    test_boundaries();
    test_clean();
    return harness_done();
}

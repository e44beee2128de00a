/*
 * test_scan_decode.c — the scanner decoders without hardware, table-driven:
 * keyboard layouts (HID Usage Tables page 0x07 → characters for us/de/fr),
 * boot-keyboard reports, HID POS reports, serial framing, evdev key codes
 * and events, and the manager's configuration checks and queue.
 */
#include <linux/input.h>

#include "hid_keymap.h"
#include "scan_util.h"

/* ---- a sink that records --------------------------------------------- */

struct rec {
    int ncodes, nrejects;
    char codes[8][SCAN_MAX_CODE + 8];
    char last_id[8];
};

static void rec_code(void *ctx, const char *text, size_t len)
{
    struct rec *r = ctx;
    if (r->ncodes < 8) {
        memcpy(r->codes[r->ncodes], text, len);
        r->codes[r->ncodes][len] = 0;
    }
    r->ncodes++;
}

static void rec_reject(void *ctx, const char *id, const char *why)
{
    struct rec *r = ctx;
    (void)why;
    r->nrejects++;
    snprintf(r->last_id, sizeof r->last_id, "%s", id);
}

static struct rec R;
static const struct scan_sink SINK = {&R, rec_code, rec_reject};

static void rec_reset(void)
{
    memset(&R, 0, sizeof R);
}

/* ---- layouts ------------------------------------------------------------ */

static void test_keymap(void)
{
    static const struct {
        const char *layout;
        uint8_t usage, mods;
        uint32_t want;
    } rows[] = {
        /* 0 */ {"us", 0x04, 0, 'a'},
        /* 1 */ {"us", 0x04, HID_MOD_LSHIFT, 'A'},
        /* 2 */ {"us", 0x1D, HID_MOD_RSHIFT, 'Z'},
        /* 3 */ {"us", 0x1E, 0, '1'},
        /* 4 */ {"us", 0x27, 0, '0'},
        /* 5 */ {"us", 0x2D, 0, '-'},
        /* 6 */ {"us", 0x2D, HID_MOD_LSHIFT, '_'},
        /* 7 */ {"us", 0x30, HID_MOD_LCTRL, 0x1D}, /* Ctrl+] = GS */
        /* 8 */ {"us", 0x3A, 0, 0},                /* F1: no character */
        /* 9 */ {"us", 0x59, 0, '1'},              /* keypad 1 */
        /* 10 */ {"us", 0x2C, 0, ' '},
        /* 11 */ {"de", 0x1C, 0, 'z'},
        /* 12 */ {"de", 0x1D, 0, 'y'},
        /* 13 */ {"de", 0x1D, HID_MOD_LSHIFT, 'Y'},
        /* 14 */ {"de", 0x38, 0, '-'},
        /* 15 */ {"de", 0x38, HID_MOD_LSHIFT, '_'},
        /* 16 */ {"de", 0x2D, 0, 0xDF},           /* ß */
        /* 17 */ {"de", 0x14, HID_MOD_RALT, '@'}, /* AltGr+Q */
        /* 18 */ {"de", 0x34, 0, 0xE4},           /* ä */
        /* 19 */ {"de", 0x1F, HID_MOD_LSHIFT, '"'},
        /* 20 */ {"de", 0x24, HID_MOD_LSHIFT, '/'},
        /* 21 */ {"fr", 0x04, 0, 'q'},
        /* 22 */ {"fr", 0x14, 0, 'a'},
        /* 23 */ {"fr", 0x1A, 0, 'z'},
        /* 24 */ {"fr", 0x1D, 0, 'w'},
        /* 25 */ {"fr", 0x33, 0, 'm'},
        /* 26 */ {"fr", 0x10, 0, ','},
        /* 27 */ {"fr", 0x1E, 0, '&'},
        /* 28 */ {"fr", 0x1E, HID_MOD_LSHIFT, '1'},
        /* 29 */ {"fr", 0x27, HID_MOD_RALT, '@'},
        /* 30 */ {"fr", 0x23, 0, '-'},
        /* 31 */ {"fr", 0x1F, 0, 0xE9},              /* é */
        /* 32 */ {"fr", 0x08, HID_MOD_RALT, 0x20AC}, /* € */
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        int l = hid_layout_from_name(rows[i].layout);
        uint32_t got = hid_usage_to_char(l, rows[i].usage, rows[i].mods);
        if (!CHECK_INT(got, rows[i].want))
            fprintf(stderr, "  keymap row %zu\n", i);
    }
    CHECK_INT(hid_layout_from_name("xx"), -1);
    CHECK_INT(hid_usage_to_char(7, 0x04, 0), 0);
}

/* ---- boot keyboard reports -------------------------------------------- */

static void key(struct hidboot *d, uint8_t mods, uint8_t u)
{
    uint8_t r[8] = {mods, 0, u};
    hidboot_feed(d, r, 8, &SINK);
}

static void release(struct hidboot *d)
{
    uint8_t r[8] = {0};
    hidboot_feed(d, r, 8, &SINK);
}

static void test_boot(void)
{
    struct hidboot d;
    /* capitals, digits, a doubled letter with the release between */
    rec_reset();
    hidboot_init(&d, HID_LAYOUT_US, SCAN_SUFFIX_ENTER);
    key(&d, 0x02, 0x04), release(&d); /* A */
    key(&d, 0, 0x05), release(&d);    /* b */
    key(&d, 0, 0x05), release(&d);    /* b */
    key(&d, 0, 0x1E), release(&d);    /* 1 */
    key(&d, 0, 0x28), release(&d);    /* Enter */
    CHECK_INT(R.ncodes, 1);
    CHECK_STR(R.codes[0], "Abb1");
    /* a key held over two reports is one press */
    rec_reset();
    key(&d, 0, 0x06), key(&d, 0, 0x06), release(&d), key(&d, 0, 0x28);
    CHECK_STR(R.codes[0], "c");
    /* two keys in one report, in slot order, then Enter in the same report */
    rec_reset();
    release(&d);
    uint8_t two[8] = {0, 0, 0x07, 0x08, 0x28};
    hidboot_feed(&d, two, 8, &SINK);
    release(&d);
    CHECK_INT(R.ncodes, 1);
    CHECK_STR(R.codes[0], "de");
    /* German: ä ö ü as UTF-8 */
    rec_reset();
    hidboot_init(&d, HID_LAYOUT_DE, SCAN_SUFFIX_ENTER);
    key(&d, 0, 0x34), release(&d), key(&d, 0x02, 0x33), release(&d), key(&d, 0, 0x28);
    CHECK_STR(R.codes[0], "\xc3\xa4\xc3\x96");
    /* Tab as the suffix; Enter inside such a code has no character */
    rec_reset();
    hidboot_init(&d, HID_LAYOUT_US, SCAN_SUFFIX_TAB);
    key(&d, 0, 0x04), release(&d), key(&d, 0, 0x2B), release(&d);
    CHECK_STR(R.codes[0], "a");
    key(&d, 0, 0x04), release(&d), key(&d, 0, 0x28), release(&d), key(&d, 0, 0x2B);
    CHECK_INT(R.ncodes, 1);
    CHECK_INT(R.nrejects, 1);
    CHECK_STR(R.last_id, "E572");
    /* an unknown usage (F1) rejects the code at its end, E572 */
    rec_reset();
    hidboot_init(&d, HID_LAYOUT_US, SCAN_SUFFIX_ENTER);
    key(&d, 0, 0x04), release(&d), key(&d, 0, 0x3A), release(&d), key(&d, 0, 0x28);
    CHECK_INT(R.ncodes, 0);
    CHECK_STR(R.last_id, "E572");
    /* rollover error mid-code: E571, the half code is gone */
    rec_reset();
    key(&d, 0, 0x04), release(&d);
    uint8_t roll[8] = {0, 0, 1, 1, 1, 1, 1, 1};
    hidboot_feed(&d, roll, 8, &SINK);
    key(&d, 0, 0x28);
    CHECK_INT(R.ncodes, 0);
    CHECK_STR(R.last_id, "E571");
    /* malformed (truncated) report: E570, half code dropped */
    rec_reset();
    key(&d, 0, 0x04), release(&d);
    uint8_t shortr[5] = {0, 0, 0x05};
    hidboot_feed(&d, shortr, 5, &SINK);
    CHECK_STR(R.last_id, "E570");
    CHECK(!hidboot_pending(&d));
    release(&d), key(&d, 0, 0x28);
    CHECK_INT(R.ncodes, 0);
    /* longer than any barcode: E573 */
    rec_reset();
    for (int i = 0; i < SCAN_MAX_CODE + 20; i++)
        key(&d, 0, 0x1E), release(&d);
    key(&d, 0, 0x28);
    CHECK_INT(R.ncodes, 0);
    CHECK_STR(R.last_id, "E573");
    /* exactly SCAN_MAX_CODE is fine */
    rec_reset();
    for (int i = 0; i < SCAN_MAX_CODE; i++)
        key(&d, 0, 0x1E), release(&d);
    key(&d, 0, 0x28);
    CHECK_INT(R.ncodes, 1);
    CHECK_INT(strlen(R.codes[0]), SCAN_MAX_CODE);
    /* abort with a half code: one rejection; without: none */
    rec_reset();
    key(&d, 0, 0x04), release(&d);
    hidboot_abort(&d, "E575", "unplugged", &SINK);
    hidboot_abort(&d, "E575", "unplugged", &SINK);
    CHECK_INT(R.nrejects, 1);
    CHECK_STR(R.last_id, "E575");
    /* an empty code (Enter alone) is nothing */
    rec_reset();
    key(&d, 0, 0x28), release(&d);
    CHECK_INT(R.ncodes + R.nrejects, 0);
}

/* ---- HID POS ------------------------------------------------------------ */

static void pos(struct hidpos *d, const char *aim, const char *data, size_t n, int more)
{
    uint8_t r[64] = {HIDPOS_REPORT_ID, (uint8_t)n};
    if (aim)
        memcpy(r + 2, aim, 3);
    memcpy(r + HIDPOS_HEADER, data, n);
    r[63] = (uint8_t)more;
    hidpos_feed(d, r, 64, &SINK);
}

static void test_hidpos(void)
{
    struct hidpos d;
    hidpos_init(&d);
    rec_reset();
    pos(&d, "]C1", "0109501101530003", 16, 1);
    pos(&d, "]C1", "10LOT\x1d", 6, 1);
    pos(&d, "]C1", "21S1", 4, 0);
    CHECK_INT(R.ncodes, 1);
    CHECK_STR(R.codes[0], "]C10109501101530003"
                          "10LOT\x1d"
                          "21S1");
    /* no AIM id */
    rec_reset();
    pos(&d, NULL, "RMA-9", 5, 0);
    CHECK_STR(R.codes[0], "RMA-9");
    /* another report id is not scanned data */
    rec_reset();
    uint8_t other[64] = {4, 1, 2, 3};
    hidpos_feed(&d, other, 64, &SINK);
    CHECK_INT(R.ncodes + R.nrejects, 0);
    /* a length that does not fit: E576, the message so far dropped */
    rec_reset();
    pos(&d, "]C1", "01", 2, 1);
    uint8_t bad[64] = {2, 200, ']', 'C', '1'};
    hidpos_feed(&d, bad, 64, &SINK);
    CHECK_STR(R.last_id, "E576");
    CHECK(!hidpos_pending(&d));
    CHECK_INT(R.ncodes, 0);
    /* too short, a bad AIM id, a NUL in the data */
    rec_reset();
    uint8_t tiny[3] = {2, 0, 0};
    hidpos_feed(&d, tiny, 3, &SINK);
    pos(&d, "xx1", "A", 1, 0);
    pos(&d, "]C1", "A\0B", 3, 0);
    CHECK_INT(R.nrejects, 3);
    CHECK_INT(R.ncodes, 0);
    /* longer than any barcode across many reports: E573 */
    rec_reset();
    char chunk[58];
    memset(chunk, '7', sizeof chunk);
    for (int i = 0; i < 12; i++)
        pos(&d, "]C0", chunk, sizeof chunk, 1);
    pos(&d, "]C0", chunk, 1, 0);
    CHECK_INT(R.ncodes, 0);
    CHECK_STR(R.last_id, "E573");
    /* the scanner stops mid-message */
    rec_reset();
    pos(&d, "]C0", "ABC", 3, 1);
    CHECK(hidpos_pending(&d));
    hidpos_abort(&d, "E574", "stalled", &SINK);
    CHECK_STR(R.last_id, "E574");
    pos(&d, "]C0", "NEW", 3, 0);
    CHECK_STR(R.codes[0], "]C0NEW");
}

/* ---- serial --------------------------------------------------------------- */

static void test_serial(void)
{
    static const struct {
        const char *in;
        int ncodes, nrejects;
        const char *first, *id;
    } rows[] = {
        /* 0 */ {"RMA-1\r\n", 1, 0, "RMA-1", NULL},
        /* 1 */ {"RMA-1\n", 1, 0, "RMA-1", NULL},
        /* 2 */ {"RMA-1\r", 1, 0, "RMA-1", NULL},
        /* 3 */ {"\r\n\r\nX\r\n\n", 1, 0, "X", NULL},
        /* 4 */
        {"]C101\x1d"
         "10A\r\n",
         1, 0,
         "]C101\x1d"
         "10A",
         NULL},
        /* 5 */
        {"Gr\xc3\xb6\xc3\x9f"
         "e\r",
         1, 0,
         "Gr\xc3\xb6\xc3\x9f"
         "e",
         NULL},
        /* 6 */
        {"A\x01"
         "B\r",
         0, 1, NULL, "E578"},
        /* 7 */
        {"A\xff"
         "B\r",
         0, 1, NULL, "E579"},
        /* 8 */ {"\xc0\xaf\r", 0, 1, NULL, "E579"}, /* overlong UTF-8 */
        /* 9 */ {"\xe2\x82\r", 0, 1, NULL, "E579"}, /* truncated UTF-8 */
        /* 10 */ {"A\rB\r", 2, 0, "A", NULL},
        /* 11 */ {"A\x7f\r", 0, 1, NULL, "E578"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        struct serframe f;
        /* all at once, then byte by byte: the same result */
        for (int bytewise = 0; bytewise < 2; bytewise++) {
            serframe_init(&f);
            rec_reset();
            size_t n = strlen(rows[i].in);
            if (bytewise)
                for (size_t k = 0; k < n; k++)
                    serframe_feed(&f, (const uint8_t *)rows[i].in + k, 1, &SINK);
            else
                serframe_feed(&f, (const uint8_t *)rows[i].in, n, &SINK);
            bool ok = R.ncodes == rows[i].ncodes && R.nrejects == rows[i].nrejects &&
                      (!rows[i].first || strcmp(R.codes[0], rows[i].first) == 0) &&
                      (!rows[i].id || strcmp(R.last_id, rows[i].id) == 0);
            if (!CHECK(ok))
                fprintf(stderr, "  serial row %zu (bytewise %d): %d codes, %d rejects\n", i,
                        bytewise, R.ncodes, R.nrejects);
        }
    }
    /* overlong, and a half code at abort */
    struct serframe f;
    serframe_init(&f);
    rec_reset();
    char big[SCAN_MAX_CODE + 50];
    memset(big, 'x', sizeof big);
    serframe_feed(&f, (const uint8_t *)big, sizeof big, &SINK);
    serframe_feed(&f, (const uint8_t *)"\r", 1, &SINK);
    CHECK_STR(R.last_id, "E573");
    CHECK_INT(R.ncodes, 0);
    serframe_feed(&f, (const uint8_t *)"HALF", 4, &SINK);
    serframe_abort(&f, "E575", "gone", &SINK);
    CHECK_STR(R.last_id, "E575");
    CHECK_INT(R.nrejects, 2);
    CHECK(serial_speed(115200) != 0);
    CHECK_INT(serial_speed(12345), 0);
}

/* ---- evdev ------------------------------------------------------------------ */

static void test_evdev(void)
{
    CHECK_INT(evdev_key_to_usage(KEY_A), 0x04);
    CHECK_INT(evdev_key_to_usage(KEY_Z), 0x1D);
    CHECK_INT(evdev_key_to_usage(KEY_1), 0x1E);
    CHECK_INT(evdev_key_to_usage(KEY_0), 0x27);
    CHECK_INT(evdev_key_to_usage(KEY_ENTER), 0x28);
    CHECK_INT(evdev_key_to_usage(KEY_KPENTER), 0x58);
    CHECK_INT(evdev_key_to_usage(KEY_102ND), 0x64);
    CHECK_INT(evdev_key_to_usage(KEY_F1), 0);
    CHECK_INT(evdev_key_to_mod(KEY_LEFTSHIFT), HID_MOD_LSHIFT);
    CHECK_INT(evdev_key_to_mod(KEY_RIGHTALT), HID_MOD_RALT);
    CHECK_INT(evdev_key_to_mod(KEY_A), 0);
    /* through the same framing as HID: Shift+r, m, a, Enter on a German layout */
    struct hidkeys k;
    hidkeys_init(&k, HID_LAYOUT_DE, SCAN_SUFFIX_ENTER);
    rec_reset();
    hidkeys_press(&k, evdev_key_to_usage(KEY_Y), HID_MOD_LSHIFT, &SINK); /* QWERTZ: Z */
    hidkeys_press(&k, evdev_key_to_usage(KEY_SLASH), 0, &SINK);          /* '-' */
    hidkeys_press(&k, evdev_key_to_usage(KEY_ENTER), 0, &SINK);
    CHECK_STR(R.codes[0], "Z-");

    /* input events as read(2) gives them: Shift held for R, autorepeat and
     * lock keys type nothing, SYN and MSC events are not keys */
    static const struct {
        unsigned short type, code;
        int value;
    } evs[] = {
        {EV_MSC, MSC_SCAN, 0x700e1}, {EV_KEY, KEY_LEFTSHIFT, 1}, {EV_KEY, KEY_R, 1},
        {EV_SYN, SYN_REPORT, 0},     {EV_KEY, KEY_R, 0},         {EV_KEY, KEY_LEFTSHIFT, 0},
        {EV_KEY, KEY_M, 1},          {EV_KEY, KEY_M, 2},         {EV_KEY, KEY_M, 0},
        {EV_KEY, KEY_CAPSLOCK, 1},   {EV_KEY, KEY_CAPSLOCK, 0},  {EV_KEY, KEY_A, 1},
        {EV_KEY, KEY_A, 0},          {EV_KEY, KEY_ENTER, 1},     {EV_KEY, KEY_ENTER, 0},
    };
    struct input_event buf[sizeof evs / sizeof *evs];
    memset(buf, 0, sizeof buf);
    for (size_t i = 0; i < sizeof evs / sizeof *evs; i++) {
        buf[i].type = evs[i].type;
        buf[i].code = evs[i].code;
        buf[i].value = evs[i].value;
    }
    struct evdev_keys ek;
    evdev_keys_init(&ek, HID_LAYOUT_US, SCAN_SUFFIX_ENTER);
    rec_reset();
    /* in two reads, split after the first event of "m" */
    evdev_keys_feed(&ek, buf, 7 * sizeof *buf, &SINK);
    CHECK(evdev_keys_pending(&ek));
    evdev_keys_feed(&ek, buf + 7, sizeof buf - 7 * sizeof *buf, &SINK);
    CHECK_INT(R.ncodes, 1);
    CHECK_STR(R.codes[0], "Rma");
    CHECK_INT(R.nrejects, 0);
    CHECK(!evdev_keys_pending(&ek));
    /* a trailing part of a record is not a key; a half code is dropped by abort */
    rec_reset();
    evdev_keys_feed(&ek, buf + 11, sizeof *buf + 5, &SINK); /* 'a' down, then 5 bytes */
    CHECK(evdev_keys_pending(&ek));
    evdev_keys_abort(&ek, "E574", "stalled", &SINK);
    CHECK_INT(R.ncodes, 0);
    CHECK_INT(R.nrejects, 1);
    CHECK_STR(R.last_id, "E574");
    CHECK(!evdev_keys_pending(&ek));
}

/* ---- the manager without devices ----------------------------------------- */

static int wakes;
static void on_wake(void *ctx)
{
    (void)ctx;
    __atomic_add_fetch(&wakes, 1, __ATOMIC_SEQ_CST);
}

static void test_manager(void)
{
    struct scanners *m = (struct scanners *)1;
    char err[256];
    struct scanner_opts c[2] = {scfg("w", "wedge", "", "us"), scfg("x", "usb-hid", "zz", "us")};
    /* only a wedge: nothing to run */
    CHECK_INT(scanners_open(c, 1, NULL, NULL, &m, err, sizeof err), 0);
    CHECK(m == NULL);
    /* a bad USB id, a serial scanner without a path, a bad baud rate */
    CHECK_INT(scanners_open(c, 2, NULL, NULL, &m, err, sizeof err), -1);
    CHECK(strncmp(err, "E590", 4) == 0);
    c[1] = scfg("s", "serial", "ttyACM0", "us");
    CHECK_INT(scanners_open(c, 2, NULL, NULL, &m, err, sizeof err), -1);
    CHECK(strncmp(err, "E590", 4) == 0);
    c[1] = scfg("s", "serial", "/dev/nonexistent-tty", "us");
    c[1].baud = 12345;
    CHECK_INT(scanners_open(c, 2, NULL, NULL, &m, err, sizeof err), -1);
    CHECK(strncmp(err, "E592", 4) == 0);
    /* a type no kind has */
    c[1] = scfg("k", "keyboard", "/dev/input/event0", "us");
    CHECK_INT(scanners_open(c, 2, NULL, NULL, &m, err, sizeof err), -1);
    CHECK(strncmp(err, "E593", 4) == 0);

    /* a scanner that is not there shows offline; its decoder still feeds
     * the queue (the path a completed transfer takes) and wakes the loop */
    c[1] = scfg("gone", "usb-hid", "1234:5678", "us");
    CHECK_INT(scanners_open(c, 2, on_wake, NULL, &m, err, sizeof err), 0);
    CHECK(m != NULL);
    if (!m)
        return;
    CHECK_STR(state_of(m, "gone", NULL), "offline");
    uint8_t a[8] = {0, 0, 0x04}, up[8] = {0}, enter[8] = {0, 0, 0x28};
    scanners_inject_report(m, 0, a, 8);
    scanners_inject_report(m, 0, up, 8);
    scanners_inject_report(m, 0, enter, 8);
    struct scan_code code;
    CHECK_INT(scanners_take(m, &code), 1);
    CHECK_STR(code.text, "a");
    CHECK_STR(code.source, "gone");
    CHECK(__atomic_load_n(&wakes, __ATOMIC_SEQ_CST) >= 1);
    CHECK_INT(scanners_take(m, &code), 0);
    scanners_close(m);
    scanners_close(NULL);

    /* an evdev scanner's decoder takes input events the same way */
    c[1] = scfg("ev", "evdev", "/dev/nonexistent-event", "de");
    CHECK_INT(scanners_open(&c[1], 1, NULL, NULL, &m, err, sizeof err), 0);
    if (CHECK(m != NULL)) {
        struct input_event ev[4];
        memset(ev, 0, sizeof ev);
        unsigned short keys[4] = {KEY_Y, KEY_Y, KEY_ENTER, KEY_ENTER};
        for (int i = 0; i < 4; i++) {
            ev[i].type = EV_KEY;
            ev[i].code = keys[i];
            ev[i].value = i % 2 == 0;
        }
        scanners_inject_report(m, 0, (const uint8_t *)ev, sizeof ev);
        CHECK_INT(scanners_take(m, &code), 1);
        CHECK_STR(code.text, "z"); /* QWERTZ */
        CHECK_STR(code.source, "ev");
        CHECK(wait_state(m, "ev", "offline", 3000));
    }
    scanners_close(m);

    /* a serial scanner that cannot be opened: "error", its id first for the screen */
    c[1] = scfg("dir", "serial", "/", "us");
    CHECK_INT(scanners_open(&c[1], 1, NULL, NULL, &m, err, sizeof err), 0);
    struct scanner_state st = {0};
    if (CHECK(m && wait_state(m, "dir", "error", 3000))) {
        state_of(m, "dir", &st);
        CHECK(strncmp(st.detail, "E584 /", 6) == 0);
    }
    scanners_close(m);
}

int main(void)
{
    test_keymap();
    test_boot();
    test_hidpos();
    test_serial();
    test_evdev();
    test_manager();
    return harness_done();
}

/*
 * hid_keymap.c — keyboard usages (HID Usage Tables 1.4, chapter 10,
 * Keyboard/Keypad page 0x07) to characters for the US, German (T1, QWERTZ)
 * and French (AZERTY) layouts.
 *
 * Letters sit at usages 0x04 ('a') … 0x1D ('z') on the US layout; DE swaps
 * Y and Z, FR swaps A/Q and Z/W and moves M to the US ';' key. The digit
 * row and the punctuation keys (0x1E–0x38, 0x64 "Non-US \ and |") differ
 * more, so each layout has its own table for them. Dead keys (DE ^ ´, FR ^)
 * give their spacing character: a scanner types them as data.
 *
 * Ctrl with a key whose character is '@'…'_' or a letter gives the control
 * character (the ASCII convention scanners use for GS: Ctrl+] = 0x1D).
 */
#include "hid_keymap.h"

#include <stdbool.h>
#include <string.h>

int hid_layout_from_name(const char *name)
{
    static const char *const names[HID_LAYOUT_COUNT] = {"us", "de", "fr"};
    for (int i = 0; name && i < HID_LAYOUT_COUNT; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

/* plain, shifted, AltGr for one key */
struct keychars {
    uint8_t usage;
    uint32_t plain, shift, altgr;
};

/* Usages 0x1E–0x38 and 0x64 (HID Usage Tables 1.4, table 12). */
static const struct keychars us_keys[] = {
    {0x1E, '1', '!', 0}, {0x1F, '2', '@', 0},  {0x20, '3', '#', 0},  {0x21, '4', '$', 0},
    {0x22, '5', '%', 0}, {0x23, '6', '^', 0},  {0x24, '7', '&', 0},  {0x25, '8', '*', 0},
    {0x26, '9', '(', 0}, {0x27, '0', ')', 0},  {0x2D, '-', '_', 0},  {0x2E, '=', '+', 0},
    {0x2F, '[', '{', 0}, {0x30, ']', '}', 0},  {0x31, '\\', '|', 0}, {0x32, '#', '~', 0},
    {0x33, ';', ':', 0}, {0x34, '\'', '"', 0}, {0x35, '`', '~', 0},  {0x36, ',', '<', 0},
    {0x37, '.', '>', 0}, {0x38, '/', '?', 0},  {0x64, '\\', '|', 0}, {0, 0, 0, 0},
};

/* German T1 (DIN 2137): QWERTZ, AltGr for {[]}\~@|€ */
static const struct keychars de_keys[] = {
    {0x1E, '1', '!', 0},   {0x1F, '2', '"', 0xB2}, {0x20, '3', 0xA7, 0xB3}, {0x21, '4', '$', 0},
    {0x22, '5', '%', 0},   {0x23, '6', '&', 0},    {0x24, '7', '/', '{'},   {0x25, '8', '(', '['},
    {0x26, '9', ')', ']'}, {0x27, '0', '=', '}'},  {0x2D, 0xDF, '?', '\\'}, {0x2E, 0xB4, '`', 0},
    {0x2F, 0xFC, 0xDC, 0}, {0x30, '+', '*', '~'},  {0x31, '#', '\'', 0},    {0x32, '#', '\'', 0},
    {0x33, 0xF6, 0xD6, 0}, {0x34, 0xE4, 0xC4, 0},  {0x35, '^', 0xB0, 0},    {0x36, ',', ';', 0},
    {0x37, '.', ':', 0},   {0x38, '-', '_', 0},    {0x64, '<', '>', '|'},   {0, 0, 0, 0},
};

/* French AZERTY: digits need Shift */
static const struct keychars fr_keys[] = {
    {0x1E, '&', '1', 0},    {0x1F, 0xE9, '2', '~'},  {0x20, '"', '3', '#'},  {0x21, '\'', '4', '{'},
    {0x22, '(', '5', '['},  {0x23, '-', '6', '|'},   {0x24, 0xE8, '7', '`'}, {0x25, '_', '8', '\\'},
    {0x26, 0xE7, '9', '^'}, {0x27, 0xE0, '0', '@'},  {0x2D, ')', 0xB0, ']'}, {0x2E, '=', '+', '}'},
    {0x2F, '^', 0xA8, 0},   {0x30, '$', 0xA3, 0xA4}, {0x31, '*', 0xB5, 0},   {0x32, '*', 0xB5, 0},
    {0x33, 'm', 'M', 0},    {0x34, 0xF9, '%', 0},    {0x35, 0xB2, 0, 0},     {0x36, ';', '.', 0},
    {0x37, ':', '/', 0},    {0x38, '!', 0xA7, 0},    {0x64, '<', '>', 0},    {0x10, ',', '?', 0},
    {0, 0, 0, 0},
};

static const struct keychars *const layout_keys[HID_LAYOUT_COUNT] = {us_keys, de_keys, fr_keys};

/* The letter at a letter usage (0x04–0x1D) on a layout, lower case; 0 when
 * that key is not a letter there (FR 'm' position). */
static uint32_t letter(int layout, uint8_t usage)
{
    char c = (char)('a' + (usage - 0x04));
    if (layout == HID_LAYOUT_DE) {
        if (c == 'y')
            c = 'z';
        else if (c == 'z')
            c = 'y';
    } else if (layout == HID_LAYOUT_FR) {
        switch (c) {
        case 'a': c = 'q'; break;
        case 'q': c = 'a'; break;
        case 'w': c = 'z'; break;
        case 'z': c = 'w'; break;
        case 'm': return 0; /* the ',' key on AZERTY: in fr_keys */
        default: break;
        }
    }
    return (uint32_t)c;
}

static uint32_t altgr_letter(int layout, uint32_t lower)
{
    if (layout == HID_LAYOUT_DE)
        return lower == 'q' ? '@' : lower == 'e' ? 0x20AC : lower == 'm' ? 0xB5 : 0;
    if (layout == HID_LAYOUT_FR)
        return lower == 'e' ? 0x20AC : 0;
    return 0;
}

static uint32_t plain_char(int layout, uint8_t usage, bool shift, bool altgr)
{
    if (usage >= 0x04 && usage <= 0x1D) {
        uint32_t c = letter(layout, usage);
        if (c) {
            if (altgr)
                return altgr_letter(layout, c);
            return shift ? c - 'a' + 'A' : c;
        }
    }
    for (const struct keychars *k = layout_keys[layout]; k->usage; k++)
        if (k->usage == usage)
            return altgr ? k->altgr : shift ? k->shift : k->plain;
    if (altgr)
        return 0;
    if (usage == 0x2C)
        return ' ';
    /* Keypad (num lock on): the same on every layout but DE's decimal comma. */
    switch (usage) {
    case 0x54: return '/';
    case 0x55: return '*';
    case 0x56: return '-';
    case 0x57: return '+';
    case 0x62: return '0';
    case 0x63: return layout == HID_LAYOUT_DE ? ',' : '.';
    default: break;
    }
    if (usage >= 0x59 && usage <= 0x61)
        return (uint32_t)('1' + (usage - 0x59));
    return 0;
}

uint32_t hid_usage_to_char(int layout, uint8_t usage, uint8_t mods)
{
    if (layout < 0 || layout >= HID_LAYOUT_COUNT)
        return 0;
    bool shift = mods & (0x02 | 0x20);
    bool altgr = mods & 0x40;
    bool ctrl = mods & (0x01 | 0x10);
    if (ctrl) {
        uint32_t c = plain_char(layout, usage, shift, false);
        if (c >= 'a' && c <= 'z')
            c -= 'a' - 'A';
        return c >= '@' && c <= '_' ? c & 0x1F : 0;
    }
    return plain_char(layout, usage, shift, altgr);
}

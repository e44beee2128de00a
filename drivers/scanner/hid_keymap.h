/*
 * hid_keymap.h — keyboard usages to characters, per keyboard layout.
 *
 * A HID keyboard (and a scanner that acts as one) sends key positions, not
 * characters: Keyboard/Keypad usage page 0x07 of the HID Usage Tables 1.4,
 * chapter 10. Which character a position makes is the layout the scanner was
 * set up for, so the station must be told (`layout = us | de | fr`).
 */
#ifndef TRIAGE_HID_KEYMAP_H
#define TRIAGE_HID_KEYMAP_H

#include <stdint.h>

enum hid_layout { HID_LAYOUT_US, HID_LAYOUT_DE, HID_LAYOUT_FR, HID_LAYOUT_COUNT };

/* "us", "de", "fr" → layout; -1 when unknown. */
int hid_layout_from_name(const char *name);

/* Usage ids with a meaning of their own (HID Usage Tables, page 0x07). */
#define HID_USAGE_ERR_ROLLOVER 0x01
#define HID_USAGE_POST_FAIL 0x02
#define HID_USAGE_ERR_UNDEFINED 0x03
#define HID_USAGE_ENTER 0x28
#define HID_USAGE_TAB 0x2B
#define HID_USAGE_KP_ENTER 0x58

/*
 * The Unicode code point that `usage` makes on `layout` with the modifier
 * byte `mods` (Shift: 0x02/0x20, AltGr: 0x40). 0 when the key makes no
 * character (a function key, an unassigned usage, Ctrl held).
 */
uint32_t hid_usage_to_char(int layout, uint8_t usage, uint8_t mods);

#endif

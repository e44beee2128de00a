/*
 * theme.h — the look of the station: colours, sizes and the screen grid.
 *
 * One calm light theme with high contrast for reading at arm's length:
 * slate text on white cards over a pale background, one blue primary action
 * per screen, grades in fixed colours (A green, B blue, C amber, X red).
 * Every colour pair used for text has a contrast ratio of at least 4.5:1
 * (WCAG AA); body text is 7:1 or more.
 *
 * Geometry is in logical pixels of the 1280x800 screen (ui.h UI_W, UI_H).
 */
#ifndef TRIAGE_UI_THEME_H
#define TRIAGE_UI_THEME_H

#include <stdint.h>

/* Colours as 0xRRGGBB. */
#define C_BG 0xEEF2F6u /* screen background */
#define C_CARD 0xFFFFFFu
#define C_CARD_BORDER 0xD5DCE5u
#define C_SHADOW 0xDCE2EAu
#define C_TEXT 0x0F172Au  /* 17:1 on white */
#define C_MUTED 0x475569u /* 7.5:1 on white */
#define C_FAINT 0x94A3B8u /* placeholders only, never information */
#define C_FIELD 0xF8FAFCu
#define C_FIELD_BORDER 0x94A3B8u

#define C_TOPBAR 0x0F172Au
#define C_TOPBAR_TEXT 0xFFFFFFu
#define C_TOPBAR_MUTED 0xCBD5E1u
#define C_TOPBAR_CHIP 0x1E293Bu

#define C_PRIMARY 0x1D4ED8u /* white text on it: 6.7:1 */
#define C_PRIMARY_SOFT 0xDBEAFEu
#define C_ON_PRIMARY 0xFFFFFFu
#define C_SECONDARY 0xFFFFFFu
#define C_PAD 0xFFFFFFu
#define C_DISABLED 0xE2E8F0u

#define C_OK 0x15803Du
#define C_OK_SOFT 0xDCFCE7u
#define C_OK_TEXT 0x14532Du
#define C_ERR 0xB91C1Cu
#define C_ERR_SOFT 0xFEE2E2u
#define C_ERR_TEXT 0x7F1D1Du
#define C_INFO_SOFT 0xDBEAFEu
#define C_INFO_TEXT 0x1E3A8Au
#define C_WARN 0xB45309u
#define C_WARN_SOFT 0xFEF3C7u
#define C_WARN_TEXT 0x78350Fu

/* Grades: strong colour for the letter, soft one for its tile. */
#define C_GRADE_A 0x15803Du
#define C_GRADE_A_SOFT 0xDCFCE7u
#define C_GRADE_B 0x1D4ED8u
#define C_GRADE_B_SOFT 0xDBEAFEu
#define C_GRADE_C 0xB45309u
#define C_GRADE_C_SOFT 0xFEF3C7u
#define C_GRADE_X 0xB91C1Cu
#define C_GRADE_X_SOFT 0xFEE2E2u

/* Font sizes in px. Nothing on screen is smaller than FS_SMALL. */
#define FS_SMALL 24
#define FS_BODY 28
#define FS_LARGE 36
#define FS_TITLE 48
#define FS_HERO 56
#define FS_PAD 52
#define FS_GRADE 200

/* Corner radii. */
#define R_CARD 20
#define R_BUTTON 16
#define R_PILL 14

/* The screen grid. */
#define TOPBAR_H 72
#define MSG_Y TOPBAR_H
#define MSG_H 64
#define MARGIN 32
#define GAP 16
#define CONTENT_X0 MARGIN
#define CONTENT_X1 (1280 - MARGIN)
#define CONTENT_Y0 (MSG_Y + MSG_H + 20)
#define CONTENT_Y1 (800 - 24)
#define CONTENT_W (CONTENT_X1 - CONTENT_X0)
#define BUTTON_H 88   /* a bottom-row button */
#define BOTTOM_Y (CONTENT_Y1 - BUTTON_H) /* the top of the bottom row */
#define MIN_TARGET 64 /* the smallest touch target, either side */

#endif

/*
 * codes.h — what a scanned code means.
 *
 * A scanner delivers text, optionally led by an AIM symbology identifier
 * ("]C1" GS1-128, "]d2" GS1 DataMatrix, "]Q3" GS1 QR, "]E0" EAN-13, …). This
 * module says what that text is: a return authorisation (RMA), a GTIN, a
 * serial number, a plate printed by a station, an SSCC, or unknown. GS1
 * element strings are split into their Application Identifiers (GS1 General
 * Specifications §3, §7.8) with GS (0x1D) as separator after variable-length
 * fields. Pure functions; no I/O.
 */
#ifndef TRIAGE_CODES_H
#define TRIAGE_CODES_H

#include <stdbool.h>
#include <stddef.h>

enum code_kind {
    CODE_UNKNOWN,
    CODE_RMA,    /* a return authorisation: "RMA-0001", or a GS1/QR form carrying one */
    CODE_ITEM,   /* identifies an item: a GTIN and/or a serial */
    CODE_PLATE,  /* a plate printed by a station: "SH01-S03-000042" */
    CODE_SSCC,   /* a logistic unit (parcel) */
};

struct scanned_code {
    enum code_kind kind;
    char symbology[4]; /* AIM id without data, e.g. "]C1", or "" */
    bool gs1;          /* data was a GS1 element string or GS1 Digital Link */
    char rma[64];
    char gtin[15];     /* always 14 digits when set (GTIN-8/12/13 are left-padded) */
    char serial[64];
    char batch[24];
    char expiry[7];    /* YYMMDD */
    char sscc[19];
    char plate[48];
    char text[256];    /* the data without the AIM id, GS shown as-is */
    char error[128];   /* "E5xx: …" when part of the code was malformed, else "" */
};

/* Understand `len` bytes of scanned data. Never fails: unknown data gives
 * CODE_UNKNOWN, and malformed GS1 gives CODE_UNKNOWN with `error` set. */
void codes_parse(const char *data, size_t len, struct scanned_code *out);

/* True when `digits` (n digits) ends in a correct GS1 mod-10 check digit. */
bool codes_gs1_check_ok(const char *digits, size_t n);

/* JSON for `triage parse`: {"kind":"rma","symbology":"]C1","rma":…}. Fields
 * that are empty are left out. Returns bytes written (not counting NUL), or
 * -1 when out is too small. */
int codes_to_json(const struct scanned_code *code, char *out, size_t outlen);

/* "unknown", "rma", "item", "plate", "sscc". */
const char *code_kind_name(enum code_kind kind);

#endif

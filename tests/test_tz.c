/*
 * test_tz.c — local days and hours from the system's zone files (tz.h):
 * Shanghai (UTC+8: 23:30 UTC is the next local day), Berlin across both
 * daylight-saving changes (a 23-hour and a 25-hour day) and far past the
 * file's last transition (the footer's rule), São Paulo's skipped midnight
 * of 2018-11-04 (the day starts at 01:00), Kathmandu's quarter hour, UTC,
 * NULL, and names that are not zones (E766).
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "log.h"
#include "tz.h"

static int64_t at(const char *rfc3339)
{
    int64_t ms = 0;
    if (time_parse_rfc3339(rfc3339, &ms) != 0)
        fprintf(stderr, "  bad time %s\n", rfc3339);
    return ms;
}

static int64_t day(const char *date)
{
    int64_t ms = 0;
    time_parse_date(date, &ms);
    return time_day(ms);
}

static struct tz *load(const char *name)
{
    struct tz *z = NULL;
    char err[256];
    if (!CHECK_INT(tz_load(name, &z, err, sizeof err), 0))
        fprintf(stderr, "  %s: %s\n", name, err);
    return z;
}

int main(void)
{
    struct tz *sh = load("Asia/Shanghai");
    CHECK_STR(tz_name(sh), "Asia/Shanghai");
    CHECK_INT(tz_offset_ms(sh, at("2026-10-10T23:30:00Z")), 8 * 3600000LL);
    CHECK_INT(tz_day(sh, at("2026-10-10T23:30:00Z")), day("2026-10-11"));
    CHECK_INT(tz_day(sh, at("2026-10-10T15:59:59Z")), day("2026-10-10"));
    CHECK_INT(tz_day(sh, at("2026-10-10T16:00:00Z")), day("2026-10-11"));
    CHECK_INT(tz_day_start(sh, day("2026-10-11")), at("2026-10-10T16:00:00Z"));
    CHECK_INT(tz_hour(sh, at("2026-10-10T23:30:00Z")),
              (at("2026-10-11T07:00:00Z")) / 3600000);
    /* 1988 still had summer time in China (+9). */
    CHECK_INT(tz_offset_ms(sh, at("1988-07-01T00:00:00Z")), 9 * 3600000LL);

    struct tz *be = load("Europe/Berlin");
    CHECK_INT(tz_day_start(be, day("2026-03-29")), at("2026-03-28T23:00:00Z"));
    CHECK_INT(tz_day_start(be, day("2026-03-30")), at("2026-03-29T22:00:00Z")); /* 23 hours */
    CHECK_INT(tz_day_start(be, day("2026-10-25")), at("2026-10-24T22:00:00Z"));
    CHECK_INT(tz_day_start(be, day("2026-10-26")), at("2026-10-25T23:00:00Z")); /* 25 hours */
    CHECK_INT(tz_offset_ms(be, at("2026-07-01T12:00:00Z")), 2 * 3600000LL);
    CHECK_INT(tz_offset_ms(be, at("2026-12-01T12:00:00Z")), 1 * 3600000LL);
    /* Past the file's transitions: the rule "CET-1CEST,M3.5.0,M10.5.0/3". */
    CHECK_INT(tz_offset_ms(be, at("2090-07-01T12:00:00Z")), 2 * 3600000LL);
    CHECK_INT(tz_offset_ms(be, at("2090-01-15T12:00:00Z")), 1 * 3600000LL);
    CHECK_INT(tz_offset_ms(be, at("2090-03-26T00:59:59Z")), 1 * 3600000LL); /* last Sunday */
    CHECK_INT(tz_offset_ms(be, at("2090-03-26T01:00:00Z")), 2 * 3600000LL);
    CHECK_INT(tz_offset_ms(be, at("2090-10-29T00:59:59Z")), 2 * 3600000LL);
    CHECK_INT(tz_offset_ms(be, at("2090-10-29T01:00:00Z")), 1 * 3600000LL);

    /* São Paulo moved its clock from 00:00 to 01:00 on 2018-11-04. */
    struct tz *sp = load("America/Sao_Paulo");
    CHECK_INT(tz_day_start(sp, day("2018-11-04")), at("2018-11-04T03:00:00Z"));
    CHECK_INT(tz_day(sp, at("2018-11-04T02:59:59Z")), day("2018-11-03"));
    CHECK_INT(tz_day(sp, at("2018-11-04T03:00:00Z")), day("2018-11-04"));

    /* Kathmandu, UTC+5:45: its hours are not UTC's hours moved. */
    struct tz *kt = load("Asia/Kathmandu");
    CHECK_INT(tz_hour(kt, at("2026-01-01T00:14:59Z")), at("2026-01-01T05:00:00Z") / 3600000);
    CHECK_INT(tz_hour(kt, at("2026-01-01T00:15:00Z")), at("2026-01-01T06:00:00Z") / 3600000);

    /* UTC, and NULL for UTC. */
    struct tz *utc = load("UTC");
    CHECK_INT(tz_offset_ms(utc, at("2026-06-01T00:00:00Z")), 0);
    CHECK_INT(tz_day_start(NULL, 20000), 20000 * 86400000LL);
    CHECK_INT(tz_day(NULL, -1), -1);
    CHECK_STR(tz_name(NULL), "UTC");

    /* Not zones. */
    static const char *const bad[] = {"Asia/Atlantis", "../../etc/passwd", "/etc/passwd", "",
                                      "Asia/Shang hai", "zone.tab"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct tz *z = (struct tz *)1;
        char err[256] = "";
        CHECK_INT(tz_load(bad[i], &z, err, sizeof err), -1);
        CHECK(z == NULL);
        if (!CHECK(strncmp(err, "E766: ", 6) == 0))
            fprintf(stderr, "  %s: %s\n", bad[i], err);
    }
    /* A file that is cut short. */
    static const unsigned char cut[] = "TZif2\0\0\0";
    struct tz *z = NULL;
    char err[256];
    CHECK_INT(tz_parse("cut", cut, sizeof cut, &z, err, sizeof err), -1);
    CHECK(strncmp(err, "E766: ", 6) == 0);

    tz_free(sh);
    tz_free(be);
    tz_free(sp);
    tz_free(kt);
    tz_free(utc);
    tz_free(NULL);
    return harness_done();
}

/*
 * tz.c — local days and hours in a site's time zone (tz.h), from the TZif
 * files of the system's zone database (RFC 8536).
 *
 * A zone is its list of transitions (UTC seconds, the offset in force from
 * each on), the offset before the first, and the footer's POSIX TZ rule
 * (RFC 8536 section 3.3) for the instants after the last transition. Debian
 * ships "fat" files with transitions up to 2037; a "slim" file leaves the
 * recurring daylight-saving rule to the footer, which is read here in its
 * usual "Mm.w.d[/time]" form (a "Jn" or "n" rule is not used by any zone of
 * the database: such a footer counts as its standard offset only).
 */
#include "tz.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define DAY_MS 86400000LL
#define HOUR_MS 3600000LL

struct rule_day {
    int month, week, wday; /* Mm.w.d: month 1..12, week 1..5 (5 = last), 0 = Sunday */
    int32_t secs;          /* local time of day of the change (may be < 0 or > 24 h) */
};

struct tz {
    char name[64];
    int n;
    int64_t *at;  /* transitions, UTC seconds, ascending */
    int32_t *off; /* offset in seconds from at[i] on */
    int32_t off0; /* before the first transition */
    bool has_rule, has_dst;
    int32_t std_off, dst_off; /* footer: seconds east of UTC */
    struct rule_day start, end;
};

/* ---- reading the file ---------------------------------------------------- */

static int64_t be(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v = v << 8 | p[i];
    if (bytes == 4)
        return (int64_t)(int32_t)(uint32_t)v;
    return (int64_t)v;
}

struct counts {
    int64_t isut, isstd, leap, time, type, chars;
};

static bool read_counts(const unsigned char *p, size_t len, struct counts *c)
{
    if (len < 44 || memcmp(p, "TZif", 4) != 0)
        return false;
    c->isut = be(p + 20, 4), c->isstd = be(p + 24, 4), c->leap = be(p + 28, 4);
    c->time = be(p + 32, 4), c->type = be(p + 36, 4), c->chars = be(p + 40, 4);
    return c->isut >= 0 && c->isstd >= 0 && c->leap >= 0 && c->time >= 0 && c->type > 0 &&
           c->type <= 256 && c->chars >= 0 && c->time < 100000;
}

static size_t block_size(const struct counts *c, int tbytes)
{
    return (size_t)(c->time * tbytes + c->time + c->type * 6 + c->chars +
                    c->leap * (tbytes + 4) + c->isstd + c->isut);
}

/* POSIX TZ pieces: a name ("CET" or "<+08>"), an offset "[+-]hh[:mm[:ss]]". */
static const char *skip_name(const char *p)
{
    if (*p == '<') {
        const char *e = strchr(p, '>');
        return e ? e + 1 : NULL;
    }
    const char *s = p;
    while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
        p++;
    return p - s >= 3 ? p : NULL;
}

static const char *read_hms(const char *p, int32_t *secs)
{
    int sign = 1;
    if (*p == '+' || *p == '-')
        sign = *p++ == '-' ? -1 : 1;
    if (*p < '0' || *p > '9')
        return NULL;
    long h = strtol(p, (char **)&p, 10), m = 0, s = 0;
    if (*p == ':') {
        m = strtol(p + 1, (char **)&p, 10);
        if (*p == ':')
            s = strtol(p + 1, (char **)&p, 10);
    }
    if (h > 167 || m > 59 || s > 59)
        return NULL;
    *secs = (int32_t)(sign * (h * 3600 + m * 60 + s));
    return p;
}

static const char *read_rule_day(const char *p, struct rule_day *d)
{
    if (*p != 'M')
        return NULL;
    char *e;
    d->month = (int)strtol(p + 1, &e, 10);
    if (*e != '.')
        return NULL;
    d->week = (int)strtol(e + 1, &e, 10);
    if (*e != '.')
        return NULL;
    d->wday = (int)strtol(e + 1, &e, 10);
    if (d->month < 1 || d->month > 12 || d->week < 1 || d->week > 5 || d->wday < 0 || d->wday > 6)
        return NULL;
    d->secs = 7200;
    p = e;
    if (*p == '/' && !(p = read_hms(p + 1, &d->secs)))
        return NULL;
    return p;
}

/* The footer "std offset [dst [offset] ,start[/time],end[/time]]". */
static void read_footer(struct tz *z, const char *p)
{
    int32_t std;
    if (!(p = skip_name(p)) || !(p = read_hms(p, &std)))
        return;
    z->has_rule = true;
    z->std_off = -std; /* POSIX counts west of Greenwich */
    if (!*p)
        return;
    if (!(p = skip_name(p)))
        return;
    int32_t dst = std - 3600;
    if (*p && *p != ',' && !(p = read_hms(p, &dst)))
        return;
    if (*p != ',' || !(p = read_rule_day(p + 1, &z->start)) || *p != ',' ||
        !(p = read_rule_day(p + 1, &z->end)))
        return;
    z->dst_off = -dst;
    z->has_dst = true;
}

int tz_parse(const char *name, const unsigned char *data, size_t len, struct tz **out, char *err,
             size_t errlen)
{
    *out = NULL;
    struct counts c;
    if (!read_counts(data, len, &c)) {
        set_err(err, errlen, "E766: time zone \"%s\": not a TZif file", name);
        return -1;
    }
    const unsigned char *p = data + 44;
    size_t left = len - 44;
    int tbytes = 4;
    size_t size = block_size(&c, 4);
    if (size > left) {
        set_err(err, errlen, "E766: time zone \"%s\": the TZif file is cut short", name);
        return -1;
    }
    if (data[4] >= '2') { /* the 64-bit block after the 32-bit one */
        p += size;
        left -= size;
        if (!read_counts(p, left, &c)) {
            set_err(err, errlen, "E766: time zone \"%s\": not a TZif file", name);
            return -1;
        }
        p += 44;
        left -= 44;
        tbytes = 8;
        size = block_size(&c, 8);
        if (size > left) {
            set_err(err, errlen, "E766: time zone \"%s\": the TZif file is cut short", name);
            return -1;
        }
    }
    struct tz *z = calloc(1, sizeof *z);
    if (!z || !(z->at = malloc((size_t)(c.time + 1) * sizeof *z->at)) ||
        !(z->off = malloc((size_t)(c.time + 1) * sizeof *z->off))) {
        tz_free(z);
        set_err(err, errlen, "E766: time zone \"%s\": out of memory", name);
        return -1;
    }
    snprintf(z->name, sizeof z->name, "%s", name);
    const unsigned char *times = p, *idx = p + c.time * tbytes, *types = idx + c.time;
    z->n = (int)c.time;
    for (int64_t i = 0; i < c.time; i++) {
        int t = idx[i];
        if (t >= c.type) {
            tz_free(z);
            set_err(err, errlen, "E766: time zone \"%s\": a transition names no type", name);
            return -1;
        }
        z->at[i] = be(times + i * tbytes, tbytes);
        z->off[i] = (int32_t)be(types + t * 6, 4);
    }
    z->off0 = (int32_t)be(types, 4); /* type 0 before the first transition */
    if (tbytes == 8) {
        const char *f = (const char *)p + size;
        size_t flen = left - size;
        if (flen >= 2 && f[0] == '\n') {
            char footer[128];
            const char *e = memchr(f + 1, '\n', flen - 1);
            size_t n = e ? (size_t)(e - f - 1) : 0;
            if (n > 0 && n < sizeof footer) {
                memcpy(footer, f + 1, n);
                footer[n] = 0;
                read_footer(z, footer);
            }
        }
    }
    *out = z;
    return 0;
}

int tz_load(const char *name, struct tz **out, char *err, size_t errlen)
{
    *out = NULL;
    if (!name || !name[0] || name[0] == '/' || strstr(name, "..") || strlen(name) > 60) {
        set_err(err, errlen, "E766: \"%s\" is not a time zone name (e.g. Asia/Shanghai)",
                name ? name : "");
        return -1;
    }
    for (const char *c = name; *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '/' || *c == '_' || *c == '-' || *c == '+')) {
            set_err(err, errlen, "E766: \"%s\" is not a time zone name (e.g. Asia/Shanghai)",
                    name);
            return -1;
        }
    char path[128];
    snprintf(path, sizeof path, "%s/%s", TZ_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        set_err(err, errlen, "E766: time zone \"%s\" is not in %s (%s)", name, TZ_DIR,
                strerror(errno));
        return -1;
    }
    unsigned char *buf = malloc(1 << 17);
    size_t len = buf ? fread(buf, 1, 1 << 17, f) : 0;
    fclose(f);
    int rc = buf ? tz_parse(name, buf, len, out, err, errlen) : -1;
    if (!buf)
        set_err(err, errlen, "E766: time zone \"%s\": out of memory", name);
    free(buf);
    return rc;
}

void tz_free(struct tz *z)
{
    if (!z)
        return;
    free(z->at);
    free(z->off);
    free(z);
}

const char *tz_name(const struct tz *z) { return z ? z->name : "UTC"; }

/* ---- the footer's rule ----------------------------------------------------- */

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int64_t year_of(int64_t day)
{
    int64_t z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153, m = mp < 10 ? mp + 3 : mp - 9;
    return yoe + era * 400 + (m <= 2);
}

/* The local day of rule day d in year y. */
static int64_t rule_date(const struct rule_day *d, int64_t y)
{
    int64_t first = days_from_civil(y, d->month, 1);
    int wday_first = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
    int64_t day = first + (d->wday - wday_first + 7) % 7 + 7 * (d->week - 1);
    int mdays = (int)(days_from_civil(d->month == 12 ? y + 1 : y, d->month == 12 ? 1 : d->month + 1,
                                      1) -
                      first);
    while (day - first >= mdays)
        day -= 7;
    return day;
}

static int32_t rule_offset(const struct tz *z, int64_t t)
{
    if (!z->has_dst)
        return z->std_off;
    int64_t y = year_of((t + z->std_off) / 86400 - ((t + z->std_off) % 86400 < 0));
    /* The changes in UTC: start is given in standard time, end in daylight time. */
    int64_t s = rule_date(&z->start, y) * 86400 + z->start.secs - z->std_off;
    int64_t e = rule_date(&z->end, y) * 86400 + z->end.secs - z->dst_off;
    bool dst = s < e ? t >= s && t < e : !(t >= e && t < s);
    return dst ? z->dst_off : z->std_off;
}

/* ---- look-ups ---------------------------------------------------------------- */

int64_t tz_offset_ms(const struct tz *z, int64_t utc_ms)
{
    if (!z)
        return 0;
    int64_t t = utc_ms >= 0 ? utc_ms / 1000 : (utc_ms - 999) / 1000;
    if (z->n == 0 || t >= z->at[z->n - 1]) {
        if (z->has_rule && (z->n == 0 || t >= z->at[z->n - 1]))
            return (int64_t)rule_offset(z, t) * 1000;
        return (int64_t)(z->n ? z->off[z->n - 1] : z->off0) * 1000;
    }
    if (t < z->at[0])
        return (int64_t)z->off0 * 1000;
    int lo = 0, hi = z->n - 1; /* at[lo] <= t < at[hi] */
    while (hi - lo > 1) {
        int mid = lo + (hi - lo) / 2;
        if (z->at[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return (int64_t)z->off[lo] * 1000;
}

static int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : (a - b + 1) / b; }

int64_t tz_day(const struct tz *z, int64_t utc_ms)
{
    return floor_div(utc_ms + tz_offset_ms(z, utc_ms), DAY_MS);
}

int64_t tz_hour(const struct tz *z, int64_t utc_ms)
{
    return floor_div(utc_ms + tz_offset_ms(z, utc_ms), HOUR_MS);
}

int64_t tz_day_start(const struct tz *z, int64_t day)
{
    int64_t local = day * DAY_MS;
    if (!z)
        return local;
    /* Offsets lie within ±26 hours: the day starts inside (lo, hi]. The
     * usual case is found at once; a skipped midnight by searching. */
    int64_t guess = local - tz_offset_ms(z, local - tz_offset_ms(z, local));
    if (tz_day(z, guess) == day && tz_day(z, guess - 1) < day)
        return guess;
    int64_t lo = local - 26 * HOUR_MS, hi = local + 26 * HOUR_MS;
    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        if (tz_day(z, mid) >= day)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

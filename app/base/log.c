/*
 * log.c — one line per notable event on stderr, and the clocks.
 */
#define _POSIX_C_SOURCE 200809L
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;

void log_set_level(enum log_level level) { min_level = level; }

static const char *level_name(enum log_level level)
{
    switch (level) {
    case LOG_DEBUG: return "debug";
    case LOG_INFO: return "info";
    case LOG_WARN: return "warn";
    case LOG_ERROR: return "error";
    }
    return "?";
}

void log_msg(enum log_level level, const char *id, const char *fmt, ...)
{
    if (level < min_level)
        return;
    char line[1024];
    char stamp[40];
    int64_t now = clock_wall_ms();
    struct tm tm;
    time_t secs = (time_t)(now / 1000);
    gmtime_r(&secs, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    int n = snprintf(line, sizeof line, "%s.%03dZ %s %s ", stamp, (int)(now % 1000),
                     level_name(level), id ? id : "-");
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    line[len++] = '\n';
    /* One write(2) a line keeps lines from threads whole. */
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}

int64_t clock_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t clock_mono_ms(void) { return clock_mono_ns() / 1000000; }

char *time_rfc3339(int64_t ms, char *out, size_t outlen)
{
    struct tm tm;
    time_t secs = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    gmtime_r(&secs, &tm);
    strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return out;
}

/* Days from civil date, proleptic Gregorian (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dim[m - 1];
}

static int parse_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int parse_ymd(const char *t, int64_t *ms)
{
    int y, m, d;
    if (parse_digits(t, 4, &y) || t[4] != '-' || parse_digits(t + 5, 2, &m) || t[7] != '-' ||
        parse_digits(t + 8, 2, &d))
        return -1;
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return -1;
    *ms = days_from_civil(y, (unsigned)m, (unsigned)d) * 86400000;
    return 0;
}

int time_parse_date(const char *text, int64_t *ms)
{
    if (!text || strlen(text) != 10)
        return -1;
    return parse_ymd(text, ms);
}

int time_parse_rfc3339(const char *t, int64_t *ms)
{
    int64_t day;
    int hh, mm, ss, frac = 0;
    if (!t || strlen(t) < 20 || parse_ymd(t, &day) || (t[10] != 'T' && t[10] != ' ') ||
        parse_digits(t + 11, 2, &hh) || t[13] != ':' || parse_digits(t + 14, 2, &mm) ||
        t[16] != ':' || parse_digits(t + 17, 2, &ss))
        return -1;
    const char *p = t + 19;
    if (*p == '.') {
        int digits = 0;
        for (p++; *p >= '0' && *p <= '9'; p++, digits++)
            if (digits < 3)
                frac = frac * 10 + (*p - '0');
        for (; digits < 3; digits++)
            frac *= 10;
    }
    if (strcmp(p, "Z") != 0 || hh > 23 || mm > 59 || ss > 60)
        return -1;
    *ms = day + ((int64_t)hh * 3600 + mm * 60 + ss) * 1000 + frac;
    return 0;
}

int64_t time_day(int64_t ms)
{
    return ms >= 0 ? ms / 86400000 : (ms - 86399999) / 86400000;
}

/*
 * log.h — the station's log and clock.
 *
 * Every notable event is one line on stderr:
 *     <RFC 3339 UTC time> <level> <id> <text>
 * e.g. "2026-11-23T10:41:07.120Z info I201 saved SH01-S03-000042".
 * Ids are unique across the code base so a support call can grep for them:
 * E-ids are errors (see ERRORS.md for the ranges each module owns), W-ids
 * warnings, I-ids information.
 */
#ifndef TRIAGE_LOG_H
#define TRIAGE_LOG_H

#include <stddef.h>
#include <stdint.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Lines below this level are not written. Default LOG_INFO. */
void log_set_level(enum log_level level);

/* Write one log line. `id` is "E123"-style; thread-safe (one write(2) a line). */
void log_msg(enum log_level level, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_info(id, ...)  log_msg(LOG_INFO, id, __VA_ARGS__)
#define log_warn(id, ...)  log_msg(LOG_WARN, id, __VA_ARGS__)
#define log_error(id, ...) log_msg(LOG_ERROR, id, __VA_ARGS__)

/* Wall clock, milliseconds since the Unix epoch (UTC). */
int64_t clock_wall_ms(void);

/* Monotonic clock in milliseconds, for intervals and benchmarks. */
int64_t clock_mono_ms(void);

/* Monotonic clock in nanoseconds. */
int64_t clock_mono_ns(void);

/* Format `ms` (Unix epoch milliseconds, UTC) as RFC 3339 with seconds,
 * "2026-11-23T10:41:07Z", into out (at least 32 bytes). Returns out. */
char *time_rfc3339(int64_t ms, char *out, size_t outlen);

/* Parse "YYYY-MM-DD" as midnight UTC into *ms. Returns 0, or -1 when it is not
 * a valid calendar date. */
int time_parse_date(const char *text, int64_t *ms);

/* Parse RFC 3339 "YYYY-MM-DDTHH:MM:SS[.fff]Z" into *ms. Returns 0 or -1. */
int time_parse_rfc3339(const char *text, int64_t *ms);

/* Days since the Unix epoch of a UTC time in ms (floor). */
int64_t time_day(int64_t ms);

#endif

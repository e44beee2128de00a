/*
 * tz.h — a site's time zone: local days and hours of UTC instants, read from
 * the system's time zone database (TZif files under /usr/share/zoneinfo,
 * RFC 8536) without touching the process's TZ or locale, so any thread may
 * use a loaded zone at any time.
 *
 * A zone is loaded once (tz_load) and then only read: every function below
 * is a pure look-up over its transitions, safe to share between threads. A
 * NULL zone everywhere means UTC.
 *
 * Days are counted like time_day: whole local days since 1970-01-01, so a
 * local day d runs from the UTC instant tz_day_start(z, d) up to
 * tz_day_start(z, d + 1). A day a shift of the clock makes shorter or longer
 * than 24 hours is still one day.
 */
#ifndef TRIAGE_TZ_H
#define TRIAGE_TZ_H

#include <stddef.h>
#include <stdint.h>

struct tz;

/* Where zone files are looked up: /usr/share/zoneinfo. */
#define TZ_DIR "/usr/share/zoneinfo"

/*
 * Load the zone named `name` (an IANA name: "Asia/Shanghai", "UTC",
 * "Europe/Berlin") from TZ_DIR. Returns 0 with *out (free with tz_free), or
 * -1 with "E766: …" in err: a name that is not a zone of the database
 * (absolute, "..", not a file there) or a file that is not TZif.
 */
int tz_load(const char *name, struct tz **out, char *err, size_t errlen);

/* The same from a file's bytes (tests). `name` is what tz_name returns. */
int tz_parse(const char *name, const unsigned char *data, size_t len, struct tz **out, char *err,
             size_t errlen);

void tz_free(struct tz *z); /* NULL is fine */

/* The zone's name as loaded; "UTC" for NULL. */
const char *tz_name(const struct tz *z);

/* Milliseconds to add to a UTC instant to get the local wall clock. */
int64_t tz_offset_ms(const struct tz *z, int64_t utc_ms);

/* The local day (days since 1970-01-01 on the local calendar) of an instant. */
int64_t tz_day(const struct tz *z, int64_t utc_ms);

/* The local hour (hours since 1970-01-01T00 on the local clock) of an instant. */
int64_t tz_hour(const struct tz *z, int64_t utc_ms);

/* The UTC instant at which local day `day` begins (its first local instant,
 * midnight or, where the clock skips midnight, the first time it shows). */
int64_t tz_day_start(const struct tz *z, int64_t day);

#endif

/*
 * Wall-clock timestamps as PostgreSQL logs them and as a DBA types them:
 * "2026-11-23 06:40:01.123 UTC", "2026-11-23T06:40:01Z",
 * "2026-11-23 06:40:01+01:00". Shared by the log parser and --at.
 */
#ifndef DBPOD_TIMESTAMP_H
#define DBPOD_TIMESTAMP_H

#include <stddef.h>
#include <time.h>

/* Parse "YYYY-MM-DD[ T]HH:MM:SS[.fraction]" followed by an optional zone:
 * " UTC", " GMT", "Z", "+HH", "+HHMM", "+HH:MM" (or "-"), with or without a
 * space before it. Without a zone the time is taken as UTC.
 * On success *when is seconds since the epoch, *end (if not NULL) points
 * after what was parsed and *zone (if not NULL) is 1 when a zone was given,
 * 0 when none, -1 when a zone name follows that is not known (then the
 * time is taken as UTC and *end points after the name).
 * Returns 0 or -EINVAL. */
int dbp_timestamp_parse(const char *s, double *when, const char **end, int *zone);

/* "-5m", "-30s", "-1h30m", "-2d", "-90": seconds before an end.
 * Returns 0 or -EINVAL. */
int dbp_time_parse_relative(const char *s, double *secs);

/* "06:40:01", "06:40": that time of the day (UTC) of end_t, or of the day
 * before when that would be more than a minute after end_t. Returns 0 or
 * -EINVAL. */
int dbp_time_parse_clock(const char *s, double end_t, double *when);

/* A time as a DBA gives it to --at, --from, --to, --around: a clock time
 * (above), relative to end_t ("-5m"), epoch seconds ("1763880001",
 * "@1763880001.5"), or a timestamp with an optional known zone
 * (dbp_timestamp_parse). Returns 0 or -EINVAL. */
int dbp_time_parse_when(const char *s, double end_t, double *when);

/* The same for a recording that runs from first_t to end_t: a clock time
 * is taken on the day of the span that holds it (a minute of slack at
 * either end), else on the day that brings it nearest the span -- never
 * on a day before it when the span's own day is nearer. Returns 0 or
 * -EINVAL. */
int dbp_time_parse_in_span(const char *s, double first_t, double end_t, double *when);

/*
 * Every time dbpod prints is UTC, in text as in JSON, whatever TZ says.
 * A recording is read on another machine than the one that made it, and
 * its times are set beside the database's log (initdb takes log_timezone
 * from the container, which runs in UTC unless TZ is set), kubectl's and
 * the node's journal: UTC is the one zone they all can be put in. A time
 * in the TZ of whoever ran dbpod would also differ between the live
 * view and the post-mortem of the same recording. Text says "UTC" where
 * a time stands alone; the man pages say it for the ps columns.
 */

/* when (seconds since the epoch) formatted by strftime(3) in UTC and the
 * C locale into buf; the number of seconds when the time cannot be shown
 * (out of range, or buf too small). Returns buf. */
const char *dbp_time_utc(double when, const char *fmt, char *buf, size_t size)
	__attribute__((format(strftime, 2, 0)));

/* "2026-11-23 06:40:01" (UTC) into buf; the number of seconds when the
 * time cannot be shown. */
const char *dbp_time_format(double when, char *buf, size_t size);

/* "06:40:01": the time of day (UTC), for a column or a message that
 * gives the date once; the number of seconds when it cannot be shown. */
const char *dbp_time_clock(double when, char *buf, size_t size);

/* Seconds since the epoch as ISO 8601 UTC: "2026-11-23T06:40:01Z" (the
 * number of seconds when the time cannot be shown). For JSON and for
 * messages. */
const char *dbp_iso_time(time_t when, char *buf, size_t size);

#endif

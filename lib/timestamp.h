/*
 * Wall-clock timestamps as PostgreSQL logs them and as a DBA types them:
 * "2026-11-23 06:40:01.123 UTC", "2026-11-23T06:40:01Z",
 * "2026-11-23 06:40:01+01:00". Shared by the log parser and --at.
 */
#ifndef DBPOD_TIMESTAMP_H
#define DBPOD_TIMESTAMP_H

/* Parse "YYYY-MM-DD[ T]HH:MM:SS[.fraction]" followed by an optional zone:
 * " UTC", " GMT", "Z", "+HH", "+HHMM", "+HH:MM" (or "-"), with or without a
 * space before it. Without a zone the time is taken as UTC.
 * On success *when is seconds since the epoch, *end (if not NULL) points
 * after what was parsed and *zone (if not NULL) is 1 when a zone was given,
 * 0 when none, -1 when a zone name follows that is not known (then the
 * time is taken as UTC and *end points after the name).
 * Returns 0 or -EINVAL. */
int dbp_timestamp_parse(const char *s, double *when, const char **end, int *zone);

#endif

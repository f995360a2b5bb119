/*
 * Timestamps: calendar time with a zone into seconds since the epoch,
 * without touching the process's TZ (timegm works in UTC), and back into
 * text, always in UTC (timestamp.h says why).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "timestamp.h"

/* Days in month mo (1-12) of year y, Gregorian. */
static int days_in(int y, int mo)
{
	static const unsigned char days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[mo - 1];
}

/* n decimal digits at *s into *out, *s moved past them. Returns 0, or
 * -EINVAL when one of them is not a digit (*s left where it was). */
static int digits(const char **s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*s)[i]))
			return -EINVAL;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*out = v;
	return 0;
}

/* "+HH", "+HHMM", "+HH:MM": seconds east of UTC, *s moved past it.
 * Returns 0, or -EINVAL when *s holds no such offset. */
static int offset(const char **s, long *secs)
{
	const char *p = *s;
	int sign, h, m = 0;

	if (*p != '+' && *p != '-')
		return -EINVAL;
	sign = *p++ == '-' ? -1 : 1;
	if (digits(&p, 2, &h) < 0 || h > 23)
		return -EINVAL;
	if (*p == ':')
		p++;
	if (isdigit((unsigned char)*p) && digits(&p, 2, &m) < 0)
		return -EINVAL;
	*secs = sign * (h * 3600L + m * 60L);
	*s = p;
	return 0;
}

int dbp_timestamp_parse(const char *s, double *when, const char **end, int *zone)
{
	struct tm tm;
	int y, mo, d, h, mi, se, z = 0;
	double frac = 0;
	long off = 0;
	time_t t;
	const char *p = s;

	if (digits(&p, 4, &y) < 0 || *p++ != '-' || digits(&p, 2, &mo) < 0 || *p++ != '-' ||
	    digits(&p, 2, &d) < 0 || (*p != ' ' && *p != 'T') || !*p++ ||
	    digits(&p, 2, &h) < 0 || *p++ != ':' || digits(&p, 2, &mi) < 0 || *p++ != ':' ||
	    digits(&p, 2, &se) < 0)
		return -EINVAL;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in(y, mo) || h > 23 || mi > 59 || se > 60)
		return -EINVAL;	/* 2026-02-30 is no date: timegm would make it 03-02 */
	if (*p == '.' || *p == ',') {
		double scale = 0.1;

		for (p++; isdigit((unsigned char)*p); p++, scale /= 10)
			frac += (*p - '0') * scale;
	}
	if (*p == 'Z') {
		p++;
		z = 1;
	} else if (offset(&p, &off) == 0) {
		z = 1;
	} else if (*p == ' ' && (p[1] == '+' || p[1] == '-')) {
		const char *q = p + 1;

		if (offset(&q, &off) == 0) {
			p = q;
			z = 1;
		}
	} else if (*p == ' ' && isupper((unsigned char)p[1])) {
		const char *q = p + 1;
		size_t n = 0;

		while (isalpha((unsigned char)q[n]))
			n++;
		if ((n == 3 && (!strncmp(q, "UTC", 3) || !strncmp(q, "GMT", 3))) ||
		    (n == 1 && *q == 'Z')) {
			z = 1;
			p = q + n;
		} else if (n >= 2 && n <= 5) {
			/* a zone name we cannot resolve (CET, EST...): taken as UTC */
			z = -1;
			p = q + n;
		}
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -EINVAL;
	*when = (double)t - (double)off + frac;
	if (end)
		*end = p;
	if (zone)
		*zone = z;
	return 0;
}

int dbp_time_parse_relative(const char *s, double *secs)
{
	double total = 0;

	if (*s++ != '-' || !*s)
		return -EINVAL;
	while (*s) {
		char *end;
		double v;

		if (!isdigit((unsigned char)*s) && *s != '.')
			return -EINVAL;
		v = strtod(s, &end);
		if (end == s || !(v >= 0 && v < 1e9))
			return -EINVAL;
		switch (*end) {
		case 's': case '\0': break;
		case 'm': v *= 60; break;
		case 'h': v *= 3600; break;
		case 'd': v *= 86400; break;
		default: return -EINVAL;
		}
		total += v;
		s = *end ? end + 1 : end;
	}
	*secs = total;
	return 0;
}

int dbp_time_parse_clock(const char *s, double end_t, double *when)
{
	unsigned h, m, sec = 0;
	int n = 0, k = 0;
	double day, t;

	if (!isdigit((unsigned char)*s) || sscanf(s, "%2u:%2u%n", &h, &m, &n) != 2)
		return -EINVAL;
	if (s[n] == ':' && sscanf(s + n, ":%2u%n", &sec, &k) == 1)
		n += k;
	if (s[n] || h > 23 || m > 59 || sec > 60)
		return -EINVAL;
	day = (double)((long long)end_t / 86400 * 86400);
	t = day + h * 3600 + m * 60 + sec;
	*when = t > end_t + 60 ? t - 86400 : t;
	return 0;
}

int dbp_time_parse_when(const char *s, double end_t, double *when)
{
	const char *end;
	char *e;
	double v;
	int zone;

	if (strchr(s, ':') && !strchr(s, '-') && dbp_time_parse_clock(s, end_t, when) == 0)
		return 0;
	if (*s == '-') {
		if (dbp_time_parse_relative(s, &v) < 0)
			return -EINVAL;
		*when = end_t - v;
		return 0;
	}
	if (*s == '@')
		s++;
	if (isdigit((unsigned char)*s)) {
		v = strtod(s, &e);
		if (*e == '\0' && e != s) {
			if (!(v >= 0 && v < 1e13))
				return -EINVAL;
			*when = v;
			return 0;
		}
	}
	if (dbp_timestamp_parse(s, &v, &end, &zone) < 0 || *end || zone < 0)
		return -EINVAL;
	*when = v;
	return 0;
}

/* fmt is checked where it is written: the header gives dbp_time_utc
 * strftime's format attribute */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
const char *dbp_time_utc(double when, const char *fmt, char *buf, size_t size)
{
	struct tm tm;

	/* the range first: a double beyond time_t's is undefined to convert.
	 * gmtime_r, never localtime_r: the output does not depend on TZ, and
	 * strftime runs in the C locale (dbpod never calls setlocale), so %b
	 * is "Nov" on every machine */
	if (when > -1e15 && when < 1e15) {
		time_t t = (time_t)when;

		if (gmtime_r(&t, &tm) && strftime(buf, size, fmt, &tm))
			return buf;
	}
	snprintf(buf, size, "%.0f", when);
	return buf;
}
#pragma GCC diagnostic pop

const char *dbp_time_format(double when, char *buf, size_t size)
{
	return dbp_time_utc(when, "%Y-%m-%d %H:%M:%S", buf, size);
}

const char *dbp_time_clock(double when, char *buf, size_t size)
{
	return dbp_time_utc(when, "%H:%M:%S", buf, size);
}

const char *dbp_iso_time(time_t when, char *buf, size_t size)
{
	return dbp_time_utc((double)when, "%Y-%m-%dT%H:%M:%SZ", buf, size);
}

/* How far t is from [a, b] */
static double span_distance(double t, double a, double b)
{
	return t < a ? a - t : t > b ? t - b : 0;
}

int dbp_time_parse_in_span(const char *s, double first_t, double end_t, double *when)
{
	double t, best = 0, d, bestd = -1;

	if (!(strchr(s, ':') && !strchr(s, '-')) || dbp_time_parse_clock(s, end_t, &t) < 0)
		return dbp_time_parse_when(s, end_t, when);
	if (first_t > end_t)
		first_t = end_t;
	/* the time of day t names, on each day from the one before the
	 * span's first to the one after its last */
	t -= (double)((long long)t / 86400 * 86400);
	for (double day = (double)((long long)first_t / 86400 * 86400) - 86400;
	     day <= end_t + 86400; day += 86400) {
		d = span_distance(day + t, first_t - 60, end_t + 60);
		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = day + t;
		}
	}
	*when = best;
	return 0;
}

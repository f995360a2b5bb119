/*
 * Numbers as people write them (numparse.h).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"

int dbp_parse_integer(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	/* strtoll skips leading space; a number given is the whole word */
	if (!s || !*s || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end || !isdigit((unsigned char)end[-1]))
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int dbp_parse_real(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	if (!s || !*s || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || isnan(v) || isinf(v))
		return -EINVAL;
	if (errno == ERANGE || !(v >= min && v <= max))
		return -ERANGE;
	*out = v;
	return 0;
}

int dbp_parse_quantity(const char *s, int milli, long long *out)
{
	static const struct { const char *sfx; double mul; } sfx[] = {
		{ "Ki", 1024.0 }, { "Mi", 1048576.0 }, { "Gi", 1073741824.0 },
		{ "Ti", 1099511627776.0 }, { "Pi", 1125899906842624.0 },
		{ "Ei", 1152921504606846976.0 },
		{ "k", 1e3 }, { "M", 1e6 }, { "G", 1e9 }, { "T", 1e12 }, { "P", 1e15 },
		{ "E", 1e18 }, { "m", 1e-3 }, { "", 1.0 },
	};
	char *end;
	double v;

	if (!s || !*s || strchr(" \t", *s))
		return -EINVAL;
	v = strtod(s, &end);
	if (end == s || v < 0 || v != v)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++)
		if (!strcmp(end, sfx[i].sfx)) {
			v *= sfx[i].mul * (milli ? 1000.0 : 1.0);
			if (v > 9e18)
				return -EINVAL;
			/* round up, as Kubernetes does */
			*out = (long long)v + ((double)(long long)v < v);
			return 0;
		}
	return -EINVAL;
}

int dbp_parse_bytes(const char *s, long long *out)
{
	char *end;
	double v, mul = 1;

	if (!s || !*s || strchr(" \t", *s))
		return -EINVAL;
	v = strtod(s, &end);
	if (end == s || v < 0 || v != v)
		return -EINVAL;
	switch (*end | 0x20) {
	case 'k': mul = 1024.0; end++; break;
	case 'm': mul = 1048576.0; end++; break;
	case 'g': mul = 1073741824.0; end++; break;
	case 't': mul = 1099511627776.0; end++; break;
	case 'b': break;
	default:
		if (*end)
			return -EINVAL;
	}
	if ((*end | 0x20) == 'b')
		end++;
	if (*end || v * mul > 9e18)
		return -EINVAL;
	*out = (long long)(v * mul);
	return 0;
}

int dbp_parse_duration(const char *s, long long *seconds)
{
	double total = 0;
	const char *p = s;

	if (!s || !*s)
		return -EINVAL;
	while (*p) {
		char *end;
		double v = strtod(p, &end), mul;

		if (end == p || v < 0 || v != v)
			return -EINVAL;
		p = end;
		if (!strncmp(p, "ms", 2))
			mul = 1e-3, p += 2;
		else if (!strncmp(p, "us", 2))
			mul = 1e-6, p += 2;
		else if (!strncmp(p, "ns", 2))
			mul = 1e-9, p += 2;
		else if (*p == 'h')
			mul = 3600, p++;
		else if (*p == 'm')
			mul = 60, p++;
		else if (*p == 's')
			mul = 1, p++;
		else
			return -EINVAL;
		total += v * mul;
		if (total > 9e15)
			return -EINVAL;
	}
	*seconds = (long long)total;
	return 0;
}

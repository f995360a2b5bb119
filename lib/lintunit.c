/*
 * The lint model's lists, and the database a unit runs.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lintunit.h"

struct dbp_unit *dbp_units_add(struct dbp_units *u, enum dbp_unit_kind kind)
{
	struct dbp_unit *ni = realloc(u->items, (u->n + 1) * sizeof(*ni));
	struct dbp_unit *x;

	if (!ni)
		return NULL;
	u->items = ni;
	x = &u->items[u->n++];
	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->img.init = -1;
	x->grace = DBP_UNSET;
	x->mem_limit = x->mem_request = DBP_UNSET;
	return x;
}

void dbp_units_free(struct dbp_units *u)
{
	for (size_t i = 0; i < u->n; i++) {
		dbp_image_free(&u->items[i].img);
		free(u->items[i].init_file);
	}
	free(u->items);
	u->items = NULL;
	u->n = 0;
}

void dbp_lintfile_free(struct dbp_lintfile *f)
{
	dbp_units_free(&f->units);
	dbp_ignores_free(&f->ignores);
}

void dbp_unit_guess_db(struct dbp_unit *u, char **env, const char *image_ref)
{
	struct dbp_image *img = &u->img;

	if (dbp_image_db_from_words(img, img->entrypoint, "Entrypoint") ||
	    dbp_image_db_from_words(img, img->cmd, "Cmd"))
		return;
	for (char **e = env; e && *e; e++)
		if (dbp_image_db_from_env_entry(img, *e))
			return;
	dbp_image_db_from_ref(img, image_ref);
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

int dbp_unit_runs_shell_string(const struct dbp_unit *u)
{
	char *const *v = u->img.entrypoint ? u->img.entrypoint : u->img.cmd;
	const char *b;

	if (!v || !v[0])
		return 0;
	b = strrchr(v[0], '/') ? strrchr(v[0], '/') + 1 : v[0];
	return (!strcmp(b, "sh") || !strcmp(b, "bash") || !strcmp(b, "dash") || !strcmp(b, "ash")) &&
	       ((v[1] && !strcmp(v[1], "-c")) || (!v[1] && u->img.cmd && u->img.entrypoint));
}

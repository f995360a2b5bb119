/*
 * The lint model's lists, and the database a unit runs.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "lintunit.h"

struct dbp_unit *dbp_units_add(struct dbp_units *u, enum dbp_unit_kind kind)
{
	struct dbp_unit *x;

	if (dbp_grow((void **)&u->items, &u->cap, u->n + 1, sizeof(*u->items)) < 0)
		return NULL;
	x = &u->items[u->n++];
	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->img.init = -1;
	x->img.stop_timeout = -1;
	x->grace = x->probe_grace = DBP_UNSET;
	x->mem_limit = x->mem_request = DBP_UNSET;
	return x;
}

void dbp_units_free(struct dbp_units *u)
{
	for (size_t i = 0; i < u->n; i++) {
		dbp_image_free(&u->items[i].img);
		free(u->items[i].init_file);
		free(u->items[i].missing_program);
	}
	free(u->items);
	u->items = NULL;
	u->n = u->cap = 0;
}

void dbp_lintfile_free(struct dbp_lintfile *f)
{
	dbp_units_free(&f->units);
	dbp_ignores_free(&f->ignores);
	free(f->crs);
	f->crs = NULL;
	f->ncrs = f->capcrs = 0;
}

int dbp_lintfile_add_unit(struct dbp_lintfile *f, enum dbp_unit_kind kind,
			  const struct dbp_pos *at, struct dbp_unit **u)
{
	if (f->units.n >= DBP_LINT_MAX_UNITS) {
		snprintf(f->why, sizeof(f->why), "more than %d containers to judge (dbpod's limit)",
			 DBP_LINT_MAX_UNITS);
		if (at) {
			f->err_line = at->line;
			f->err_column = at->column;
		}
		return -EINVAL;
	}
	*u = dbp_units_add(&f->units, kind);
	return *u ? 0 : -ENOMEM;
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

/*
 * The lint model's lists, and the database a unit runs.
 */
#include "config.h"

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

static void strv_free(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

void dbp_units_free(struct dbp_units *u)
{
	for (size_t i = 0; i < u->n; i++) {
		struct dbp_image *m = &u->items[i].img;

		free(m->name);
		strv_free(m->entrypoint);
		strv_free(m->cmd);
		strv_free(m->argv);
		free(m->stop_signal);
		free(m->user);
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

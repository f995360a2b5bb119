/*
 * The files an image holds, by path.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "imagefiles.h"

static const char *base(const char *s)
{
	const char *b = strrchr(s, '/');

	return b ? b + 1 : s;
}

int dbp_image_files_add(struct dbp_image_files *f, const char *path, const char *text,
			const char *from)
{
	struct dbp_image_file nf = { strdup(path), strdup(text), strdup(from ? from : path) };

	if (!nf.path || !nf.text || !nf.from)
		goto nomem;
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->items[i].path, path)) {
			free(f->items[i].path);
			free(f->items[i].text);
			free(f->items[i].from);
			f->items[i] = nf;
			return 0;
		}
	if (dbp_grow((void **)&f->items, &f->cap, f->n + 1, sizeof(*f->items)) < 0)
		goto nomem;
	f->items[f->n++] = nf;
	return 0;
nomem:
	free(nf.path);
	free(nf.text);
	free(nf.from);
	return -ENOMEM;
}

void dbp_image_files_free(struct dbp_image_files *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->items[i].path);
		free(f->items[i].text);
		free(f->items[i].from);
	}
	free(f->items);
	f->items = NULL;
	f->n = f->cap = 0;
}

const struct dbp_image_file *dbp_image_file_find(const struct dbp_image_files *f,
						 const char *prog)
{
	const struct dbp_image_file *hit = NULL;

	for (size_t i = 0; f && prog && i < f->n; i++) {
		const char *p = f->items[i].path;

		if (!strcmp(p, prog))
			return &f->items[i];
		/* a bare name is looked up in PATH: any directory will do;
		 * ./start.sh is the WORKDIR's */
		if (!strcmp(base(p), base(prog)) &&
		    (!strchr(prog, '/') || !strncmp(prog, "./", 2) || !strchr(p, '/')))
			hit = &f->items[i];
	}
	return hit;
}

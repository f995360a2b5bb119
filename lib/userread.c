/* User names from a root's /etc/passwd (userread.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "safeopen.h"
#include "slurp.h"
#include "userread.h"

int dbp_passwd_name(const char *text, unsigned uid, char *name, size_t size)
{
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *c1 = strchr(l, ':'), *c2, *eol = strchr(l, '\n');
		char *end;
		unsigned long v;

		if (!c1 || (eol && c1 > eol) || !(c2 = strchr(c1 + 1, ':')) || (eol && c2 > eol))
			continue;
		v = strtoul(c2 + 1, &end, 10);
		if (end == c2 + 1 || *end != ':' || v != uid || c1 == l)
			continue;
		snprintf(name, size, "%.*s", (int)(c1 - l), l);
		return 0;
	}
	return -ENOENT;
}

int dbp_users_load(struct dbp_users *u, const char *root)
{
	size_t len;
	int fd, rc;

	memset(u, 0, sizeof(*u));
	fd = dbp_open_regular(root, "/etc/passwd", NULL);
	if (fd < 0)
		return fd;
	rc = dbp_slurp_fd_max(fd, 4u << 20, &u->text, &len);
	if (rc < 0)
		u->text = NULL;
	return rc < 0 ? rc : 0;
}

void dbp_users_free(struct dbp_users *u)
{
	free(u->text);
	free(u->names);
	memset(u, 0, sizeof(*u));
}

const char *dbp_users_name(struct dbp_users *u, uid_t uid)
{
	struct dbp_user_name *nn;

	/* a table has few users: a short list beats a rescan per process */
	for (size_t i = 0; i < u->n; i++)
		if (u->names[i].uid == uid)
			return u->names[i].name;
	nn = realloc(u->names, (u->n + 1) * sizeof(*nn));
	if (!nn)
		return "?";
	u->names = nn;
	nn = &u->names[u->n++];
	nn->uid = uid;
	if (!u->text || dbp_passwd_name(u->text, uid, nn->name, sizeof(nn->name)) < 0)
		snprintf(nn->name, sizeof(nn->name), "%u", (unsigned)uid);
	return nn->name;
}

void dbp_table_user_names(struct dbp_table *t, const char *root)
{
	struct dbp_users u;

	dbp_users_load(&u, root);
	for (size_t i = 0; i < t->n; i++) {
		struct dbp_proc *p = &t->procs[i];

		snprintf(p->user, sizeof(p->user), "%s", dbp_users_name(&u, p->uid));
	}
	dbp_users_free(&u);
}

/*
 * .dbpod.yaml: read with libyaml, found the way .editorconfig and
 * .hadolint.yaml are, but only within the project, and only when it is
 * yours or root's: a file someone else planted on the way up must not
 * silence lint.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lintconfig.h"
#include "lintunit.h"
#include "rules_overcommit.h"
#include "yamldoc.h"

int dbp_threshold_parse(const char *s)
{
	if (!s)
		return -EINVAL;
	if (!strcmp(s, "none"))
		return DBP_OK;
	if (!strcmp(s, "info"))
		return DBP_INFO;
	if (!strcmp(s, "warning"))
		return DBP_WARNING;
	if (!strcmp(s, "critical"))
		return DBP_CRITICAL;
	return -EINVAL;
}

static int bad(yaml_node_t *n, const char *key, const char *want, char *why, size_t whysize)
{
	snprintf(why, whysize, "line %d: %s: %s expected", n ? (int)n->start_mark.line + 1 : 0,
		 key, want);
	return -EINVAL;
}

static int ignores(yaml_document_t *d, yaml_node_t *n, struct dbp_lintconfig *c,
		   char *why, size_t whysize)
{
	size_t len = 1;

	if (dbp_yaml_str(n)) {
		c->ignore = strdup(dbp_yaml_str(n));	/* "DBI601,DBI602" */
		return c->ignore ? 0 : -ENOMEM;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return bad(n, "ignore", "a list of finding ids", why, whysize);
	for (size_t i = 0; i < dbp_yaml_len(n); i++) {
		const char *s = dbp_yaml_str(dbp_yaml_item(d, n, i));

		if (!s)
			return bad(dbp_yaml_item(d, n, i), "ignore", "a finding id", why, whysize);
		len += strlen(s) + 1;
	}
	c->ignore = calloc(1, len);
	if (!c->ignore)
		return -ENOMEM;
	for (size_t i = 0, o = 0; i < dbp_yaml_len(n); i++) {
		const char *s = dbp_yaml_str(dbp_yaml_item(d, n, i));

		o += (size_t)sprintf(c->ignore + o, "%s%s", i ? "," : "", s);
	}
	return 0;
}

static int severities(yaml_document_t *d, yaml_node_t *n, struct dbp_lintconfig *c,
		      char *why, size_t whysize)
{
	size_t np;

	if (n->type != YAML_MAPPING_NODE)
		return bad(n, "severity", "a mapping of finding ids to severities", why, whysize);
	np = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	c->overrides = calloc(np ? np : 1, sizeof(*c->overrides));
	if (!c->overrides)
		return -ENOMEM;
	for (size_t i = 0; i < np; i++) {
		yaml_node_pair_t *p = &n->data.mapping.pairs.start[i];
		const char *id = dbp_yaml_str(yaml_document_get_node(d, p->key));
		yaml_node_t *vn = yaml_document_get_node(d, p->value);
		int sev = dbp_severity_parse(dbp_yaml_str(vn));

		if (!id || strlen(id) >= sizeof(c->overrides[0].id))
			return bad(vn, "severity", "a finding id", why, whysize);
		if (sev != DBP_INFO && sev != DBP_WARNING && sev != DBP_CRITICAL)
			return bad(vn, "severity", "info, warning or critical", why, whysize);
		snprintf(c->overrides[i].id, sizeof(c->overrides[i].id), "%s", id);
		c->overrides[i].severity = (enum dbp_severity)sev;
		c->n_overrides++;
	}
	return 0;
}

static yaml_node_t *get2(yaml_document_t *d, yaml_node_t *root, const char *a, const char *b)
{
	yaml_node_t *n = dbp_yaml_get(d, root, a);

	return n ? n : dbp_yaml_get(d, root, b);
}

int dbp_lintconfig_parse(const char *text, size_t len, struct dbp_lintconfig *c,
			 char *why, size_t whysize)
{
	struct dbp_yaml y;
	yaml_document_t *d;
	yaml_node_t *root, *n;
	int line, col, rc = 0;

	memset(c, 0, sizeof(*c));
	c->threshold = c->profile = -1;
	c->min_grace = -1;
	rc = dbp_yaml_load(text, len, &y, why, whysize, &line, &col);
	if (rc < 0) {
		if (rc == -EINVAL) {
			char tmp[256];

			snprintf(tmp, sizeof(tmp), "line %d: %s", line, why);
			snprintf(why, whysize, "%s", tmp);
		}
		return rc;
	}
	root = dbp_yaml_root(&y, 0);
	d = y.n ? &y.docs[0] : NULL;
	if (!root) {
		dbp_yaml_free(&y);
		return 0;	/* an empty file */
	}
	if (root->type != YAML_MAPPING_NODE) {
		rc = bad(root, "the file", "a mapping (ignore:, severity:, ...)", why, whysize);
		goto out;
	}
	/* a key dbpod does not read is a typo whose setting would silently
	 * not apply ("ignroe:") */
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
	     p++) {
		static const char *const known[] = {
			"ignore", "severity", "failure-threshold", "failure_threshold",
			"profile", "min-grace-period", "min_grace_period",
		};
		yaml_node_t *kn = yaml_document_get_node(d, p->key);
		const char *k = dbp_yaml_str(kn);
		size_t i = 0;

		while (k && i < sizeof(known) / sizeof(known[0]) && strcmp(k, known[i]))
			i++;
		if (!k || i == sizeof(known) / sizeof(known[0])) {
			snprintf(why, whysize, "line %lu: unknown key '%.64s': the keys are ignore, "
				 "severity, failure-threshold, profile and min-grace-period",
				 kn ? (unsigned long)kn->start_mark.line + 1 : 0UL, k ? k : "?");
			rc = -EINVAL;
			goto out;
		}
	}
	if ((n = dbp_yaml_get(d, root, "ignore")) && (rc = ignores(d, n, c, why, whysize)) < 0)
		goto out;
	if ((n = dbp_yaml_get(d, root, "severity")) && (rc = severities(d, n, c, why, whysize)) < 0)
		goto out;
	if ((n = get2(d, root, "failure-threshold", "failure_threshold")) &&
	    (c->threshold = dbp_threshold_parse(dbp_yaml_str(n))) < 0) {
		rc = bad(n, "failure-threshold", "info, warning, critical or none", why, whysize);
		goto out;
	}
	if ((n = dbp_yaml_get(d, root, "profile")) &&
	    (!dbp_yaml_str(n) || (c->profile = dbp_profile_parse(dbp_yaml_str(n))) < 0)) {
		rc = bad(n, "profile", "postgres, mysql, mongodb, redis or generic", why, whysize);
		goto out;
	}
	if ((n = get2(d, root, "min-grace-period", "min_grace_period"))) {
		const char *s = dbp_yaml_str(n);

		/* seconds, or a duration */
		if (dbp_parse_integer(s, 0, 86400, &c->min_grace) < 0 &&
		    (!s || dbp_parse_duration(s, &c->min_grace) < 0))
			c->min_grace = -1;
		if (c->min_grace < 0 || c->min_grace > 86400) {
			c->min_grace = -1;
			rc = bad(n, "min-grace-period", "seconds (0 to 86400) or a duration such as 2m",
				 why, whysize);
		}
	}
out:
	dbp_yaml_free(&y);
	if (rc == -ENOMEM)
		snprintf(why, whysize, "out of memory");
	if (rc < 0)
		dbp_lintconfig_free(c);
	return rc;
}

void dbp_lintconfig_free(struct dbp_lintconfig *c)
{
	free(c->ignore);
	free(c->overrides);
	c->ignore = NULL;
	c->overrides = NULL;
	c->n_overrides = 0;
}

/* the parent of an absolute path, in place; 0 at "/" */
static int up(char *cur)
{
	char *slash = strrchr(cur, '/');

	if (!strcmp(cur, "/"))
		return 0;
	if (slash == cur)
		cur[1] = '\0';
	else
		*slash = '\0';
	return 1;
}

static int exists(const char *dir, const char *name, char *path, size_t size)
{
	struct stat st;

	return (size_t)snprintf(path, size, "%s/%s", strcmp(dir, "/") ? dir : "", name) < size &&
	       lstat(path, &st) == 0;
}

int dbp_lintconfig_find(const char *dir, char *path, size_t size)
{
	char cur[PATH_MAX], root[PATH_MAX], git[PATH_MAX + 8];

	if (!realpath(dir, cur))
		return 0;
	/* the project's root: the nearest directory that holds .git */
	memcpy(root, cur, sizeof(root));
	while (!exists(root, ".git", git, sizeof(git)))
		if (!up(root)) {
			memcpy(root, cur, sizeof(root));
			break;
		}
	for (;;) {
		if (exists(cur, ".dbpod.yaml", path, size))
			return 1;
		if (!strcmp(cur, root) || !up(cur))
			return 0;
	}
}

int dbp_lintconfig_trusted(const struct stat *st, uid_t uid, char *why, size_t whysize)
{
	char name[64] = "";
	struct passwd *pw;

	if (st->st_uid != uid && st->st_uid != 0) {
		if ((pw = getpwuid(st->st_uid)))
			snprintf(name, sizeof(name), " (%s)", pw->pw_name);
		snprintf(why, whysize, "it is owned by uid %u%s, neither you nor root",
			 (unsigned)st->st_uid, name);
		return 0;
	}
	/* a link's own mode says nothing: the file it names is refused
	 * when opened */
	if (!S_ISLNK(st->st_mode) && (st->st_mode & S_IWOTH)) {
		snprintf(why, whysize, "anyone may write it (mode %04o)",
			 (unsigned)(st->st_mode & 07777));
		return 0;
	}
	return 1;
}

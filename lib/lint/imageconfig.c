/*
 * Inspect JSON into the image model. The input is judged strictly (see
 * jsonstrict.h): a CI gate that reads `{...} garbage` as fine, or a
 * number where the command should be as no command, says OK about an
 * image it never read.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "grow.h"
#include "imagechain.h"
#include "imageconfig.h"
#include "jsonstrict.h"

struct ctx {
	char *why;
	size_t whysize;
};

static int nomem(struct ctx *c)
{
	snprintf(c->why, c->whysize, "out of memory");
	return -ENOMEM;
}

static void strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

/* Member readers: each checks the type and names the member when it is
 * wrong. `at` is the path of the object ("[1].Config"). */
static int type_error(struct ctx *c, const char *at, const char *key, const char *want,
		      struct json_object *v)
{
	snprintf(c->why, c->whysize, "%s%s%s: %s expected, not %s", at, *at ? "." : "", key,
		 want, json_type_to_name(json_object_get_type(v)));
	return -EINVAL;
}

/* NULL (absent or null) or the member, which must have type t */
static int member(struct ctx *c, struct json_object *o, const char *at, const char *key,
		  json_type t, const char *want, struct json_object **v)
{
	*v = NULL;
	if (!json_object_object_get_ex(o, key, v) || json_object_is_type(*v, json_type_null)) {
		*v = NULL;
		return 0;
	}
	if (!json_object_is_type(*v, t))
		return type_error(c, at, key, want, *v);
	return 0;
}

static int str_member(struct ctx *c, struct json_object *o, const char *at, const char *key,
		      char **out)
{
	struct json_object *v;

	*out = NULL;
	if (member(c, o, at, key, json_type_string, "a string", &v) < 0)
		return -EINVAL;
	if (v && *json_object_get_string(v) && !(*out = strdup(json_object_get_string(v))))
		return nomem(c);
	return 0;
}

/* An array of strings, or (accept_string) one string as a one-word
 * argv; NULL for absent or null. */
static int strv_member(struct ctx *c, struct json_object *o, const char *at, const char *key,
		       int accept_string, char ***out)
{
	struct json_object *v;
	size_t n;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (accept_string && json_object_is_type(v, json_type_string)) {
		*out = calloc(2, sizeof(char *));
		if (!*out || !((*out)[0] = strdup(json_object_get_string(v))))
			return nomem(c);
		return 0;
	}
	if (!json_object_is_type(v, json_type_array))
		return type_error(c, at, key, accept_string ? "an array of strings or a string" :
				  "an array of strings", v);
	n = json_object_array_length(v);
	*out = calloc(n + 1, sizeof(char *));
	if (!*out)
		return nomem(c);
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(v, i);

		if (!json_object_is_type(e, json_type_string)) {
			snprintf(c->why, c->whysize, "%s%s%s[%zu]: a string expected, not %s", at,
				 *at ? "." : "", key, i, json_type_to_name(json_object_get_type(e)));
			return -EINVAL;
		}
		if (!((*out)[i] = strdup(json_object_get_string(e))))
			return nomem(c);
	}
	return 0;
}

/* A program whose path names the server it is for:
 * /opt/bitnami/scripts/postgresql/run.sh, /usr/lib/postgresql/16/bin/...
 * (a directory named exactly as a server is) */
static int db_from_path(struct dbp_image *img, const char *path, const char *what)
{
	static const struct { const char *dir; enum dbp_db db; } dirs[] = {
		{ "postgresql", DBP_DB_POSTGRES }, { "postgres", DBP_DB_POSTGRES },
		{ "mysql", DBP_DB_MYSQL }, { "mariadb", DBP_DB_MYSQL },
		{ "mongodb", DBP_DB_MONGODB }, { "redis", DBP_DB_REDIS }, { "valkey", DBP_DB_REDIS },
	};
	const char *last = strrchr(path, '/');

	for (const char *p = path; last && p < last;) {
		const char *e = strchr(p, '/');
		size_t n = (size_t)(e - p);

		for (size_t k = 0; k < sizeof(dirs) / sizeof(dirs[0]); k++)
			if (n == strlen(dirs[k].dir) && !strncmp(p, dirs[k].dir, n)) {
				img->db = dirs[k].db;
				snprintf(img->db_hint, sizeof(img->db_hint), "%s %.50s", what, path);
				return 1;
			}
		p = e + 1;
	}
	return 0;
}

/* Database from the words of the command (any word, so that
 * "docker-entrypoint.sh postgres" and "gosu redis redis-server" count),
 * from the words inside a shell-form string ("exec postgres -D /d"),
 * the programs that start a server (pg_ctl, mysqld_safe), and the
 * directory of the program itself (bitnami's
 * /opt/bitnami/scripts/redis/entrypoint.sh). */
int dbp_image_db_from_words(struct dbp_image *img, char **v, const char *what)
{
	static const struct { const char *name; enum dbp_db db; } starters[] = {
		{ "pg_ctl", DBP_DB_POSTGRES }, { "pg_ctlcluster", DBP_DB_POSTGRES },
		{ "mysqld_safe", DBP_DB_MYSQL },
	};

	for (char **w = v; w && *w; w++) {
		char *copy = strdup(*w), *save = NULL;

		/* quoted text in a shell string is data, not a command:
		 * `echo "waiting for mysqld"` runs no server */
		for (char *p = copy, q = 0; p && *p; p++) {
			if (!q && (*p == '"' || *p == '\'')) {
				q = *p;
			} else if (q && *p == q) {
				q = 0;
			} else if (q) {
				*p = ' ';
			}
		}

		for (char *tok = copy ? strtok_r(copy, " \t\n;&|()", &save) : NULL; tok;
		     tok = strtok_r(NULL, " \t\n;&|()", &save)) {
			struct dbp_class c;

			const char *b = strrchr(tok, '/') ? strrchr(tok, '/') + 1 : tok;

			dbp_classify_name(tok, &c);
			if (c.kind == DBP_KIND_DATABASE) {
				img->db = c.db;
				snprintf(img->db_hint, sizeof(img->db_hint), "%s %s", what, c.name);
				free(copy);
				return 1;
			}
			for (size_t k = 0; k < sizeof(starters) / sizeof(starters[0]); k++)
				if (!strcmp(b, starters[k].name)) {
					img->db = starters[k].db;
					snprintf(img->db_hint, sizeof(img->db_hint), "%s %s", what, b);
					free(copy);
					return 1;
				}
		}
		free(copy);
	}
	return v && v[0] && db_from_path(img, v[0], what);
}

static const struct {
	const char *prefix;
	enum dbp_db db;
} env_hints[] = {
	{ "PG_MAJOR=", DBP_DB_POSTGRES }, { "PG_VERSION=", DBP_DB_POSTGRES },
	{ "PGDATA=", DBP_DB_POSTGRES }, { "POSTGRES_", DBP_DB_POSTGRES },
	{ "MYSQL_MAJOR=", DBP_DB_MYSQL }, { "MYSQL_VERSION=", DBP_DB_MYSQL },
	{ "MARIADB_VERSION=", DBP_DB_MYSQL }, { "MARIADB_MAJOR=", DBP_DB_MYSQL },
	{ "MONGO_VERSION=", DBP_DB_MONGODB }, { "MONGO_MAJOR=", DBP_DB_MONGODB },
	{ "REDIS_VERSION=", DBP_DB_REDIS }, { "VALKEY_VERSION=", DBP_DB_REDIS },
};

int dbp_image_db_from_env_entry(struct dbp_image *img, const char *e)
{
	for (size_t k = 0; e && k < sizeof(env_hints) / sizeof(env_hints[0]); k++) {
		size_t pl = strlen(env_hints[k].prefix);

		if (strncmp(e, env_hints[k].prefix, pl))
			continue;
		img->db = env_hints[k].db;
		/* the name only: the value may be a password */
		snprintf(img->db_hint, sizeof(img->db_hint), "Env %.*s",
			 (int)strcspn(e, "="), e);
		return 1;
	}
	return 0;
}

static void db_from_env(struct dbp_image *img, struct json_object *env)
{
	size_t n = env && json_object_is_type(env, json_type_array) ?
		   json_object_array_length(env) : 0;

	for (size_t i = 0; i < n; i++)
		if (dbp_image_db_from_env_entry(img,
				json_object_get_string(json_object_array_get_idx(env, i))))
			return;
}

/* Image names that run a database server. The name (a repository's last
 * component, without tag or digest) is split at - _ . into words: one
 * word starts with a server's name (postgresql, mariadb, mongodb,
 * redismod) or is a distribution of one (spilo, timescaledb, postgis:
 * PostgreSQL), and no word names a program that only works beside or
 * against a server -- postgres-operator, mongo-express, mysqld-exporter,
 * redis-commander run none. */
static const struct {
	const char *word;
	enum dbp_db db;
	int prefix;		/* a word that starts with it counts */
	const char *init;	/* the init the image runs as PID 1 itself */
	int stop_fast;		/* its entrypoint turns the stop into a fast shutdown */
} db_names[] = {
	{ "postgres", DBP_DB_POSTGRES, 1, NULL, 0 },
	{ "mysql", DBP_DB_MYSQL, 1, NULL, 0 },
	{ "mariadb", DBP_DB_MYSQL, 1, NULL, 0 },
	{ "mongo", DBP_DB_MONGODB, 1, NULL, 0 },
	{ "redis", DBP_DB_REDIS, 1, NULL, 0 },
	{ "valkey", DBP_DB_REDIS, 1, NULL, 0 },
	{ "timescaledb", DBP_DB_POSTGRES, 0, NULL, 0 },
	{ "postgis", DBP_DB_POSTGRES, 0, NULL, 0 },
	/* Zalando's: launch.sh execs dumb-init, and its trap hands the stop
	 * to runit and Patroni, which stops PostgreSQL fast */
	{ "spilo", DBP_DB_POSTGRES, 0, "dumb-init", 1 },
};

static const char *const tool_words[] = {
	"operator", "exporter", "controller", "backup", "backups", "commander", "express",
	"admin", "ui", "gui", "web", "client", "cli", "proxy", "router", "agent", "monitor",
	"metrics", "dump", "tools", "toolbox", "migrate", "migration", "migrations", "init",
	"sidecar", "webhook", "insight", "insights", "redisinsight", "bouncer", "healthcheck",
	"connector",
};

/* The entry of db_names the name len bytes long runs, or -1. */
static int db_of_name(const char *name, size_t len)
{
	int hit = -1;

	for (size_t at = 0; at < len;) {
		size_t n = strcspn(name + at, "-_.:@");

		if (at + n > len)
			n = len - at;
		for (size_t t = 0; t < sizeof(tool_words) / sizeof(tool_words[0]); t++)
			if (n == strlen(tool_words[t]) && !strncmp(name + at, tool_words[t], n))
				return -1;
		for (size_t w = 0; hit < 0 && w < sizeof(db_names) / sizeof(db_names[0]); w++) {
			size_t wl = strlen(db_names[w].word);

			if ((n == wl || (db_names[w].prefix && n > wl)) &&
			    !strncmp(name + at, db_names[w].word, wl))
				hit = (int)w;
		}
		at += n + 1;
	}
	return hit;
}

int dbp_image_db_from_ref(struct dbp_image *img, const char *ref)
{
	const char *name;
	size_t n;
	int w;

	if (!ref)
		return 0;
	/* the repository's last component, without tag or digest */
	name = strrchr(ref, '/');
	name = name ? name + 1 : ref;
	n = strcspn(name, ":@");
	w = db_of_name(name, n);
	if (w < 0)
		return 0;
	img->db = db_names[w].db;
	img->image_init = db_names[w].init;
	img->image_stop_fast = db_names[w].stop_fast;
	snprintf(img->db_hint, sizeof(img->db_hint), "image %.*s", (int)n, name);
	return 1;
}

static void db_from_labels(struct dbp_image *img, struct json_object *labels)
{
	static const char *const keys[] = {
		"org.opencontainers.image.title", "org.opencontainers.image.ref.name",
		"org.opencontainers.image.source", "org.opencontainers.image.url",
	};

	if (!labels || !json_object_is_type(labels, json_type_object))
		return;
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		struct json_object *v;
		const char *s, *last;
		size_t n;
		int w;

		if (!json_object_object_get_ex(labels, keys[k], &v))
			continue;
		s = json_object_get_string(v);
		if (!s)
			continue;
		/* a title, or a URL's last component (.../bitnami/postgresql) */
		n = strlen(s);
		while (n && s[n - 1] == '/')
			n--;
		last = s;
		for (size_t i = 0; i < n; i++)
			if (s[i] == '/')
				last = s + i + 1;
		w = db_of_name(last, n - (size_t)(last - s));
		if (w >= 0) {
			img->db = db_names[w].db;
			snprintf(img->db_hint, sizeof(img->db_hint), "Label %s", keys[k]);
			return;
		}
	}
}

/* One inspect object being read into img: its members are read in the
 * order of members[], and the first that is wrong names itself. */
struct one {
	struct ctx *c;
	struct json_object *o;		/* the inspect object */
	struct json_object *cfg;	/* its Config (config in OCI), NULL for null */
	struct json_object *hc;		/* its HostConfig: a container's */
	struct json_object *env, *labels;	/* Config's Env and Labels */
	struct dbp_image *img;
	size_t idx;			/* its place in the input, from 0 */
	const char *at;			/* its path ("[1]"), "" for the input */
	char cat[64];			/* Config's path ("[1].Config") */
};

/* HostConfig, and Config (docker, podman) or config (an OCI image
 * config): what the object is */
static int parse_config(struct one *p)
{
	struct ctx *c = p->c;
	const char *at = p->at;

	if (member(c, p->o, at, "HostConfig", json_type_object, "an object", &p->hc) < 0)
		return -EINVAL;
	if (json_object_object_get_ex(p->o, "Config", &p->cfg)) {
		p->img->source = p->hc ? DBP_SRC_CONTAINER : DBP_SRC_IMAGE;
		snprintf(p->cat, sizeof(p->cat), "%s%sConfig", at, *at ? "." : "");
		return member(c, p->o, at, "Config", json_type_object, "an object", &p->cfg);
	}
	if (json_object_object_get_ex(p->o, "config", &p->cfg)) {
		p->img->source = DBP_SRC_OCI;
		snprintf(p->cat, sizeof(p->cat), "%s%sconfig", at, *at ? "." : "");
		return member(c, p->o, at, "config", json_type_object, "an object", &p->cfg);
	}
	snprintf(c->why, c->whysize, "%s%snot an inspect object: no \"Config\" "
		 "(docker/podman inspect) or \"config\" (OCI image config)",
		 at, *at ? ": " : "");
	return -EINVAL;
}

/* RepoTags[0], Name or Id: the name findings give; "image N" else */
static int parse_name(struct one *p)
{
	struct ctx *c = p->c;
	struct dbp_image *img = p->img;
	struct json_object *tags;
	char **strv = NULL;

	if (member(c, p->o, p->at, "RepoTags", json_type_array, "an array of strings", &tags) < 0)
		return -EINVAL;
	if (tags && json_object_array_length(tags)) {
		if (strv_member(c, p->o, p->at, "RepoTags", 0, &strv) < 0) {
			strv_free(strv);
			return -EINVAL;
		}
		img->name = strdup(strv[0]);
		strv_free(strv);
		if (!img->name)
			return nomem(c);
	}
	if (!img->name && str_member(c, p->o, p->at, "Name", &img->name) < 0)
		return -EINVAL;
	/* docker names a container "/pg"; `docker ps` and podman say "pg" */
	if (img->name && img->name[0] == '/' && img->name[1])
		memmove(img->name, img->name + 1, strlen(img->name));
	if (!img->name && str_member(c, p->o, p->at, "Id", &img->name) < 0)
		return -EINVAL;
	if (!img->name && asprintf(&img->name, "image %zu", p->idx + 1) < 0) {
		img->name = NULL;
		return nomem(c);
	}
	return 0;
}

/* Config's Entrypoint, Cmd and User ("Config": null is an image with
 * nothing set) */
static int parse_command(struct one *p)
{
	if (p->cfg && (strv_member(p->c, p->cfg, p->cat, "Entrypoint", 1, &p->img->entrypoint) < 0 ||
		       strv_member(p->c, p->cfg, p->cat, "Cmd", 1, &p->img->cmd) < 0 ||
		       str_member(p->c, p->cfg, p->cat, "User", &p->img->user) < 0))
		return -EINVAL;
	return 0;
}

/* docker keeps StopSignal in Config as a name; podman prints a
 * container's as a number */
static int parse_stop_signal(struct one *p)
{
	struct dbp_image *img = p->img;
	struct json_object *v;

	if (!p->cfg || !json_object_object_get_ex(p->cfg, "StopSignal", &v) ||
	    json_object_is_type(v, json_type_null))
		return 0;
	if (json_object_is_type(v, json_type_int)) {
		if (asprintf(&img->stop_signal, "%lld", (long long)json_object_get_int64(v)) < 0) {
			img->stop_signal = NULL;
			return nomem(p->c);
		}
	} else if (json_object_is_type(v, json_type_string)) {
		if (*json_object_get_string(v) &&
		    !(img->stop_signal = strdup(json_object_get_string(v))))
			return nomem(p->c);
	} else {
		return type_error(p->c, p->cat, "StopSignal", "a signal name or number", v);
	}
	return 0;
}

/* docker's --stop-timeout and podman's (10 unless set) */
static int parse_stop_timeout(struct one *p)
{
	struct json_object *v;
	int64_t st;

	if (!p->cfg || !json_object_object_get_ex(p->cfg, "StopTimeout", &v) ||
	    json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return type_error(p->c, p->cat, "StopTimeout", "a number of seconds", v);
	st = json_object_get_int64(v);
	/* docker: -1 waits forever; give it a day */
	p->img->stop_timeout = st < 0 ? 86400 : st > 86400 * 7 ? 86400 * 7 : (int)st;
	return 0;
}

/* A container's: what PID 1 really got, the runtime's Path and Args
 * (podman puts its init there; docker keeps the entrypoint there and
 * adds docker-init behind HostConfig.Init) */
static int parse_pid1(struct one *p)
{
	struct ctx *c = p->c;
	struct dbp_image *img = p->img;
	struct json_object *v;
	char hat[64], *path = NULL, **strv = NULL;

	if (img->source != DBP_SRC_CONTAINER)
		return 0;
	if (str_member(c, p->o, p->at, "Path", &path) < 0 ||
	    strv_member(c, p->o, p->at, "Args", 0, &strv) < 0) {
		free(path);
		strv_free(strv);
		return -EINVAL;
	}
	if (path) {
		size_t n = 0;

		while (strv && strv[n])
			n++;
		img->argv = calloc(n + 2, sizeof(char *));
		if (!img->argv) {
			free(path);
			strv_free(strv);
			return nomem(c);
		}
		img->argv[0] = path;
		for (size_t i = 0; i < n; i++)
			img->argv[i + 1] = strv[i];
		free(strv);
	} else {
		strv_free(strv);
	}
	snprintf(hat, sizeof(hat), "%s%sHostConfig", p->at, *p->at ? "." : "");
	if (member(c, p->hc, hat, "Init", json_type_boolean, "true, false or null", &v) < 0)
		return -EINVAL;
	/* podman prints null where docker prints false */
	img->init = v ? json_object_get_boolean(v) : 0;
	return 0;
}

/* Config's Env (each a string; never a value in a message) and Labels */
static int parse_env_labels(struct one *p)
{
	if (p->cfg && (member(p->c, p->cfg, p->cat, "Env", json_type_array, "an array of strings",
			      &p->env) < 0 ||
		       member(p->c, p->cfg, p->cat, "Labels", json_type_object, "an object",
			      &p->labels) < 0))
		return -EINVAL;
	if (!p->cfg)
		p->env = p->labels = NULL;
	for (size_t i = 0; p->env && i < json_object_array_length(p->env); i++) {
		struct json_object *e = json_object_array_get_idx(p->env, i);

		if (!json_object_is_type(e, json_type_string)) {
			/* the index only: never an environment value */
			snprintf(p->c->why, p->c->whysize, "%s.Env[%zu]: a string expected",
				 p->cat, i);
			return -EINVAL;
		}
		/* set at all, tini signals its child's group */
		if (!strncmp(json_object_get_string(e), "TINI_KILL_PROCESS_GROUP=", 24))
			p->img->tini_kill_group = 1;
	}
	return 0;
}

/* No member of its own: the database, from the command's words, else
 * the environment, else the labels */
static int guess_db(struct one *p)
{
	struct dbp_image *img = p->img;

	if (!dbp_image_db_from_words(img, img->argv, "Path") &&
	    !dbp_image_db_from_words(img, img->entrypoint, "Entrypoint") &&
	    !dbp_image_db_from_words(img, img->cmd, "Cmd")) {
		db_from_env(img, p->env);
		if (!img->db)
			db_from_labels(img, p->labels);
	}
	return 0;
}

/* The members of an inspect object, in the order they are read */
static const struct {
	const char *keys;
	int (*parse)(struct one *p);
} members[] = {
	{ "HostConfig, Config or config", parse_config },
	{ "RepoTags, Name, Id", parse_name },
	{ "Entrypoint, Cmd, User", parse_command },
	{ "StopSignal", parse_stop_signal },
	{ "StopTimeout", parse_stop_timeout },
	{ "Path, Args, HostConfig.Init", parse_pid1 },
	{ "Env, Labels", parse_env_labels },
	{ "", guess_db },
};

static int parse_one(struct ctx *c, struct json_object *o, struct dbp_image *img,
		     size_t idx, const char *at)
{
	struct one p = { .c = c, .o = o, .img = img, .idx = idx, .at = at };
	int rc;

	img->init = -1;
	img->stop_timeout = -1;
	if (!json_object_is_type(o, json_type_object)) {
		snprintf(c->why, c->whysize, "%s: an inspect object expected, not %s",
			 *at ? at : "the input", json_type_to_name(json_object_get_type(o)));
		return -EINVAL;
	}
	for (size_t k = 0; k < sizeof(members) / sizeof(members[0]); k++)
		if ((rc = members[k].parse(&p)) < 0)
			return rc;
	return 0;
}

/* one top-level value: an object, or an array of objects; several values
 * are named "value N" in messages */
static int add_value(struct ctx *c, struct json_object *root, struct dbp_images *out,
		     size_t value_no, size_t nvalues)
{
	int arr = json_object_is_type(root, json_type_array);
	size_t n = arr ? json_object_array_length(root) : 1;

	if (!n) {
		snprintf(c->why, c->whysize, "an empty array: no image or container to judge");
		return -EINVAL;
	}
	if (dbp_grow((void **)&out->items, &out->cap, out->n + n, sizeof(*out->items)) < 0)
		return nomem(c);
	for (size_t i = 0; i < n; i++) {
		char at[48] = "";

		if (nvalues > 1)
			snprintf(at, sizeof(at), "value %zu", value_no + 1);
		if (arr)
			snprintf(at + strlen(at), sizeof(at) - strlen(at), "%s[%zu]", *at ? " " : "", i);
		memset(&out->items[out->n], 0, sizeof(out->items[0]));
		out->n++;
		if (parse_one(c, arr ? json_object_array_get_idx(root, i) : root,
			      &out->items[out->n - 1], out->n - 1, at) < 0)
			return -EINVAL;
	}
	return 0;
}

int dbp_images_parse(const char *text, size_t len, struct dbp_images *out,
		     char *why, size_t whysize)
{
	struct ctx c = { why, whysize };
	size_t pos = 0, start, end, nvalues = 0;
	int rc = 0, more;

	memset(out, 0, sizeof(*out));
	/* the whole input first: trailing garbage fails before anything is judged */
	while ((more = dbp_json_next_value(text, len, &pos, &start, &end, why, whysize)) == 1)
		nvalues++;
	if (more < 0)
		return -EINVAL;
	if (!nvalues) {
		snprintf(why, whysize, "no JSON value in the input");
		return -EINVAL;
	}
	pos = 0;
	for (size_t k = 0; k < nvalues && rc == 0; k++) {
		struct json_tokener *tok = json_tokener_new_ex(DBP_JSON_MAX_DEPTH + 1);
		struct json_object *root;

		dbp_json_next_value(text, len, &pos, &start, &end, why, whysize);
		if (!tok)
			return nomem(&c);
		root = json_tokener_parse_ex(tok, text + start, (int)(end - start));
		if (!root && json_tokener_get_error(tok) == json_tokener_continue)
			root = json_tokener_parse_ex(tok, "", 1);	/* a bare number ends here */
		json_tokener_free(tok);
		if (!root && strncmp(text + start, "null", 4))
			rc = nomem(&c);
		else
			rc = add_value(&c, root, out, k, nvalues);
		json_object_put(root);
	}
	if (rc < 0)
		dbp_images_free(out);
	return rc;
}

void dbp_image_free(struct dbp_image *m)
{
	dbp_image_files_free(&m->files);
	free(m->name);
	strv_free(m->entrypoint);
	strv_free(m->cmd);
	strv_free(m->argv);
	free(m->stop_signal);
	free(m->user);
	free(m->image_ref);
}

void dbp_images_free(struct dbp_images *imgs)
{
	for (size_t i = 0; i < imgs->n; i++)
		dbp_image_free(&imgs->items[i]);
	free(imgs->items);
	imgs->items = NULL;
	imgs->n = imgs->cap = 0;
}

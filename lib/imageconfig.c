#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "imageconfig.h"

static char **strv_from(struct json_object *arr)
{
	size_t n;
	char **v;

	if (!arr || !json_object_is_type(arr, json_type_array))
		return NULL;
	n = json_object_array_length(arr);
	v = calloc(n + 1, sizeof(char *));
	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(arr, i));

		v[i] = strdup(s ? s : "");
	}
	return v;
}

static void strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

static char *str_of(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	if (!*json_object_get_string(v))
		return NULL;
	return strdup(json_object_get_string(v));
}

/* Database from the words of the command (any word, so that
 * "docker-entrypoint.sh postgres" and "gosu redis redis-server" count),
 * and from the words inside a shell-form string ("exec postgres -D /d"). */
static int db_from_words(struct dbp_image *img, char **v, const char *what)
{
	for (char **w = v; w && *w; w++) {
		char *copy = strdup(*w), *save = NULL;

		for (char *tok = copy ? strtok_r(copy, " \t\n;&|()", &save) : NULL; tok;
		     tok = strtok_r(NULL, " \t\n;&|()", &save)) {
			struct dbp_class c;

			dbp_classify_name(tok, &c);
			if (c.kind == DBP_KIND_DATABASE) {
				img->db = c.db;
				snprintf(img->db_hint, sizeof(img->db_hint), "%s %s", what, c.name);
				free(copy);
				return 1;
			}
		}
		free(copy);
	}
	return 0;
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

static void db_from_env(struct dbp_image *img, struct json_object *env)
{
	size_t n = env && json_object_is_type(env, json_type_array) ?
		   json_object_array_length(env) : 0;

	for (size_t i = 0; i < n; i++) {
		const char *e = json_object_get_string(json_object_array_get_idx(env, i));

		for (size_t k = 0; e && k < sizeof(env_hints) / sizeof(env_hints[0]); k++) {
			size_t pl = strlen(env_hints[k].prefix);

			if (strncmp(e, env_hints[k].prefix, pl))
				continue;
			img->db = env_hints[k].db;
			/* the name only: the value may be a password */
			snprintf(img->db_hint, sizeof(img->db_hint), "Env %.*s",
				 (int)strcspn(e, "="), e);
			return;
		}
	}
}

static void db_from_labels(struct dbp_image *img, struct json_object *labels)
{
	static const char *const keys[] = {
		"org.opencontainers.image.title", "org.opencontainers.image.ref.name",
		"org.opencontainers.image.source", "org.opencontainers.image.url",
	};
	static const struct { const char *word; enum dbp_db db; } words[] = {
		{ "postgres", DBP_DB_POSTGRES }, { "mysql", DBP_DB_MYSQL },
		{ "mariadb", DBP_DB_MYSQL }, { "mongo", DBP_DB_MONGODB },
		{ "redis", DBP_DB_REDIS }, { "valkey", DBP_DB_REDIS },
	};

	if (!labels || !json_object_is_type(labels, json_type_object))
		return;
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		struct json_object *v;
		const char *s;

		if (!json_object_object_get_ex(labels, keys[k], &v))
			continue;
		s = json_object_get_string(v);
		for (size_t w = 0; s && w < sizeof(words) / sizeof(words[0]); w++)
			if (strstr(s, words[w].word)) {
				img->db = words[w].db;
				snprintf(img->db_hint, sizeof(img->db_hint), "Label %s", keys[k]);
				return;
			}
	}
}

static int parse_one(struct json_object *o, struct dbp_image *img, size_t idx)
{
	struct json_object *cfg = NULL, *hc, *v, *tags;

	memset(img, 0, sizeof(*img));
	img->init = -1;
	if (!json_object_is_type(o, json_type_object))
		return -EINVAL;
	if (json_object_object_get_ex(o, "Config", &cfg)) {
		img->source = json_object_object_get_ex(o, "HostConfig", &hc) ?
			      DBP_SRC_CONTAINER : DBP_SRC_IMAGE;
	} else if (json_object_object_get_ex(o, "config", &cfg)) {
		img->source = DBP_SRC_OCI;
	} else {
		return -EINVAL;
	}
	if (!json_object_is_type(cfg, json_type_object))
		return -EINVAL;

	if (json_object_object_get_ex(o, "RepoTags", &tags) &&
	    json_object_is_type(tags, json_type_array) && json_object_array_length(tags))
		img->name = strdup(json_object_get_string(json_object_array_get_idx(tags, 0)));
	if (!img->name)
		img->name = str_of(o, "Name");
	if (!img->name)
		img->name = str_of(o, "Id");
	if (!img->name && asprintf(&img->name, "image %zu", idx + 1) < 0)
		img->name = NULL;

	if (json_object_object_get_ex(cfg, "Entrypoint", &v))
		img->entrypoint = strv_from(v);
	if (json_object_object_get_ex(cfg, "Cmd", &v))
		img->cmd = strv_from(v);
	/* docker keeps StopSignal in Config; podman may print a number */
	if (json_object_object_get_ex(cfg, "StopSignal", &v) &&
	    !json_object_is_type(v, json_type_null)) {
		const char *s = json_object_get_string(v);

		if (s && *s)
			img->stop_signal = strdup(s);
	}
	img->user = str_of(cfg, "User");
	if (img->source == DBP_SRC_CONTAINER &&
	    json_object_object_get_ex(o, "HostConfig", &hc) &&
	    json_object_object_get_ex(hc, "Init", &v))
		img->init = json_object_is_type(v, json_type_boolean) ?
			    json_object_get_boolean(v) : 0;

	if (!db_from_words(img, img->entrypoint, "Entrypoint") &&
	    !db_from_words(img, img->cmd, "Cmd")) {
		db_from_env(img, json_object_object_get_ex(cfg, "Env", &v) ? v : NULL);
		if (!img->db)
			db_from_labels(img, json_object_object_get_ex(cfg, "Labels", &v) ? v : NULL);
	}
	return 0;
}

int dbp_images_parse(const char *text, struct dbp_images *out, const char **why)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *root;
	size_t n;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!tok) {
		*why = "out of memory";
		return -ENOMEM;
	}
	root = json_tokener_parse_ex(tok, text, (int)strlen(text) + 1);
	if (!root || json_tokener_get_error(tok) != json_tokener_success) {
		*why = root ? "trailing data after the JSON value" :
		       json_tokener_error_desc(json_tokener_get_error(tok));
		json_object_put(root);
		json_tokener_free(tok);
		return -EINVAL;
	}
	json_tokener_free(tok);
	n = json_object_is_type(root, json_type_array) ? json_object_array_length(root) : 1;
	if (!n) {
		*why = "an empty array: no image or container to judge";
		json_object_put(root);
		return -EINVAL;
	}
	out->items = calloc(n, sizeof(*out->items));
	if (!out->items) {
		json_object_put(root);
		*why = "out of memory";
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_is_type(root, json_type_array) ?
					json_object_array_get_idx(root, i) : root;

		out->n++;
		if (parse_one(o, &out->items[i], i) < 0) {
			*why = "not an inspect object: no \"Config\" (docker/podman inspect) "
			       "or \"config\" (OCI image config)";
			rc = -EINVAL;
			break;
		}
	}
	json_object_put(root);
	if (rc < 0)
		dbp_images_free(out);
	return rc;
}

void dbp_images_free(struct dbp_images *imgs)
{
	for (size_t i = 0; i < imgs->n; i++) {
		struct dbp_image *m = &imgs->items[i];

		free(m->name);
		strv_free(m->entrypoint);
		strv_free(m->cmd);
		free(m->stop_signal);
		free(m->user);
	}
	free(imgs->items);
	imgs->items = NULL;
	imgs->n = 0;
}

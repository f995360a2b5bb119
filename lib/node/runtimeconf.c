/*
 * The runtime daemons' command lines and configuration files (see
 * runtimeconf.h for the options and keys, and where each is defined).
 *
 * A command line is the daemon's, read from /proc; a configuration file
 * is whoever administers the node's: both are taken as they come, values
 * measured before they are copied, and a value that is not a plain path
 * is not taken.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "jsonstrict.h"
#include "runtimeconf.h"

#define DEFAULT_GRAPHROOT "/var/lib/containers/storage"
#define DEFAULT_RUNROOT "/run/containers/storage"
#define DEFAULT_DRIVER "overlay"
#define DEFAULT_DOCKER "/var/lib/docker"
#define DEFAULT_CONTAINERD_STATE "/run/containerd"
#define DEFAULT_CONTAINERD_ROOT "/var/lib/containerd"

static int take(const char *v, char *out, size_t size)
{
	size_t n = strlen(v);

	if (n >= size) {
		out[0] = '\0';
		return -ENAMETOOLONG;
	}
	memcpy(out, v, n + 1);
	return 0;
}

/* Does argv[*i] set option name (with its dashes), as "NAME VALUE" or
 * "NAME=VALUE"? *value then points at the value and *i past it. A short
 * option (one dash, one letter) also takes "-gVALUE", as pflag does. */
static int option_value(char *const *argv, size_t *i, const char *name, const char **value)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n))
		return 0;
	if (a[n] == '=') {
		*value = a + n + 1;
		return 1;
	}
	if (a[n] == '\0') {
		if (!argv[*i + 1])
			return 0;
		*value = argv[++*i];
		return 1;
	}
	if (n == 2 && name[0] == '-' && name[1] != '-') {
		*value = a + n;
		return 1;
	}
	return 0;
}

/* One option of a table: its spellings and where its value goes. */
_Static_assert(sizeof(((struct dbp_daemon_args *)0)->data_root) == 256 &&
	       sizeof(((struct dbp_daemon_args *)0)->config) == 256 &&
	       sizeof(((struct dbp_daemon_args *)0)->root) == 256 &&
	       sizeof(((struct dbp_daemon_args *)0)->state) == 256,
	       "args_parse copies at most 256 bytes into each field");

struct opt {
	const char *names[4];
	size_t field;		/* offsetof in struct dbp_daemon_args */
};

static int args_parse(char *const *argv, const struct opt *opts, size_t nopts,
		      struct dbp_daemon_args *a)
{
	int rc = 0;

	memset(a, 0, sizeof(*a));
	if (!argv || !argv[0])
		return 0;
	for (size_t i = 1; argv[i]; i++) {
		const char *v = NULL;

		/* "--": what follows is not the daemon's options */
		if (!strcmp(argv[i], "--"))
			break;
		for (size_t o = 0; o < nopts && !v; o++)
			for (size_t k = 0; k < 4 && opts[o].names[k] && !v; k++)
				if (option_value(argv, &i, opts[o].names[k], &v)) {
					/* the last one given wins, as with pflag and Go's flag */
					int r = take(v, (char *)a + opts[o].field, 256);

					if (r < 0)
						rc = r;
				}
	}
	return rc;
}

int dbp_dockerd_args_parse(char *const *argv, struct dbp_daemon_args *a)
{
	static const struct opt opts[] = {
		{ { "--data-root", "--graph", "-g", NULL }, offsetof(struct dbp_daemon_args, data_root) },
		{ { "--config-file", NULL }, offsetof(struct dbp_daemon_args, config) },
	};

	return args_parse(argv, opts, sizeof(opts) / sizeof(opts[0]), a);
}

int dbp_containerd_args_parse(char *const *argv, struct dbp_daemon_args *a)
{
	static const struct opt opts[] = {
		{ { "--root", "-root", NULL }, offsetof(struct dbp_daemon_args, root) },
		{ { "--state", "-state", NULL }, offsetof(struct dbp_daemon_args, state) },
		{ { "--config", "-config", "-c", "--c" }, offsetof(struct dbp_daemon_args, config) },
	};

	return args_parse(argv, opts, sizeof(opts) / sizeof(opts[0]), a);
}

struct json_object *dbp_json_parse_strict(const char *text, size_t len)
{
	size_t pos = 0, start = 0, end = 0, more_start, more_end;
	struct json_tokener *tok;
	struct json_object *o;
	char why[160];

	if (!text || dbp_json_next_value(text, len, &pos, &start, &end, why, sizeof(why)) != 1 ||
	    dbp_json_next_value(text, len, &pos, &more_start, &more_end, why, sizeof(why)) != 0 ||
	    end - start > (size_t)0x7fffffff)
		return NULL;
	tok = json_tokener_new_ex(DBP_JSON_MAX_DEPTH);
	if (!tok)
		return NULL;
	o = json_tokener_parse_ex(tok, text + start, (int)(end - start));
	json_tokener_free(tok);
	return o;
}

const char *dbp_json_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* A path a daemon would take: absolute, printable, no newline. */
static int plain_path(const char *v, size_t n)
{
	if (!n || v[0] != '/')
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < ' ' || v[i] == 0x7f)
			return 0;
	return 1;
}

int dbp_docker_config_data_root(const char *text, size_t len, char *out, size_t size)
{
	struct json_object *o = dbp_json_parse_strict(text, len), *v = NULL;
	int rc;

	out[0] = '\0';
	if (!o || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return -EINVAL;
	}
	if (!json_object_object_get_ex(o, "data-root", &v))
		json_object_object_get_ex(o, "graph", &v);
	if (!v)
		rc = -ENOENT;
	else if (!json_object_is_type(v, json_type_string) ||
		 !plain_path(json_object_get_string(v), (size_t)json_object_get_string_len(v)))
		rc = -EINVAL;
	else
		rc = take(json_object_get_string(v), out, size);
	json_object_put(o);
	return rc;
}

/* ---- TOML, as much as finding one string value takes ---- */

struct toml {
	const char *s, *end;
};

static void skip_ws(struct toml *t)
{
	while (t->s < t->end && (*t->s == ' ' || *t->s == '\t'))
		t->s++;
}

static void skip_line(struct toml *t)
{
	const char *nl = memchr(t->s, '\n', (size_t)(t->end - t->s));

	t->s = nl ? nl + 1 : t->end;
}

static int starts(const struct toml *t, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(t->end - t->s) >= n && !memcmp(t->s, lit, n);
}

/* Past a string that starts at t->s (basic, literal, or either kind of
 * multi-line one, which may span lines). -EINVAL when it does not end. */
static int skip_string(struct toml *t)
{
	if (starts(t, "\"\"\"") || starts(t, "'''")) {
		char close[4];

		memcpy(close, t->s, 3);
		close[3] = '\0';
		for (t->s += 3; t->s < t->end; t->s++) {
			/* an escape takes the next byte, if there is one */
			if (close[0] == '"' && *t->s == '\\' && t->s + 1 < t->end) {
				t->s++;
				continue;
			}
			if (starts(t, close)) {
				t->s += 3;
				/* up to two more quotes belong to the string */
				while (t->s < t->end && *t->s == close[0])
					t->s++;
				return 0;
			}
		}
		return -EINVAL;
	}
	{
		char q = *t->s;

		for (t->s++; t->s < t->end && *t->s != '\n'; t->s++) {
			if (q == '"' && *t->s == '\\' && t->s + 1 < t->end) {
				t->s++;
				continue;
			}
			if (*t->s == q) {
				t->s++;
				return 0;
			}
		}
	}
	return -EINVAL;
}

/* Past a value that is not wanted: an array or inline table may span
 * lines, and a string in it may hold brackets. */
static int skip_value(struct toml *t)
{
	int depth = 0;

	while (t->s < t->end) {
		char c = *t->s;

		if (c == '"' || c == '\'') {
			if (skip_string(t) < 0)
				return -EINVAL;
			continue;
		}
		if (c == '#') {
			skip_line(t);
			if (!depth)
				return 0;
			continue;
		}
		if (c == '\n' && !depth) {
			t->s++;
			return 0;
		}
		if (c == '[' || c == '{')
			depth++;
		else if ((c == ']' || c == '}') && depth)
			depth--;
		t->s++;
	}
	return 0;
}

/* A single-line string's value into out: printable ASCII only, which
 * every path a daemon takes is. */
static int string_value(struct toml *t, char *out, size_t size)
{
	char q = *t->s;
	size_t n = 0;

	if (starts(t, "\"\"\"") || starts(t, "'''"))
		return -EINVAL;
	for (t->s++; t->s < t->end && *t->s != '\n'; t->s++) {
		unsigned char c = (unsigned char)*t->s;

		if (c == (unsigned char)q) {
			if (n >= size)
				return -ENAMETOOLONG;
			out[n] = '\0';
			return 0;
		}
		if (q == '"' && c == '\\') {
			if (++t->s >= t->end)
				return -EINVAL;
			switch (*t->s) {
			case '\\': c = '\\'; break;
			case '"': c = '"'; break;
			/* a control character is no part of a path */
			default: return -EINVAL;
			}
		}
		if (c < ' ' || c >= 0x7f)
			return -EINVAL;
		if (n + 1 >= size)
			return -ENAMETOOLONG;
		out[n++] = (char)c;
	}
	return -EINVAL;
}

/* The text between [ and ] (or [[ and ]]) of a header line, trimmed. */
static void header(struct toml *t, const char **name, size_t *len)
{
	const char *a, *b;

	t->s++;
	if (t->s < t->end && *t->s == '[')
		t->s++;
	a = t->s;
	while (t->s < t->end && *t->s != ']' && *t->s != '\n') {
		if (*t->s == '"' || *t->s == '\'') {
			if (skip_string(t) < 0)
				break;
			continue;
		}
		t->s++;
	}
	b = t->s;
	while (a < b && (*a == ' ' || *a == '\t'))
		a++;
	while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
		b--;
	*name = a;
	*len = (size_t)(b - a);
	skip_line(t);
}

int dbp_toml_string(const char *text, size_t len, const char *table, const char *key,
		    char *out, size_t size)
{
	struct toml t = { text, text + len };
	const char *cur = "";
	size_t curlen = 0;

	out[0] = '\0';
	if (!text)
		return -ENOENT;
	while (t.s < t.end) {
		const char *k;
		size_t klen;

		skip_ws(&t);
		if (t.s >= t.end)
			break;
		if (*t.s == '\n' || *t.s == '\r' || *t.s == '#') {
			skip_line(&t);
			continue;
		}
		if (*t.s == '[') {
			header(&t, &cur, &curlen);
			continue;
		}
		/* key = value: a bare or quoted key, compared as written */
		k = t.s;
		if (*t.s == '"' || *t.s == '\'') {
			if (skip_string(&t) < 0)
				return -ENOENT;
		} else {
			while (t.s < t.end && *t.s != '=' && *t.s != ' ' && *t.s != '\t' && *t.s != '\n')
				t.s++;
		}
		klen = (size_t)(t.s - k);
		skip_ws(&t);
		if (t.s >= t.end || *t.s != '=') {
			skip_line(&t);
			continue;
		}
		t.s++;
		skip_ws(&t);
		if (t.s >= t.end)
			break;
		if (curlen == strlen(table) && !memcmp(cur, table, curlen) &&
		    klen == strlen(key) && !memcmp(k, key, klen)) {
			int rc;

			if (*t.s != '"' && *t.s != '\'')
				return -EINVAL;
			rc = string_value(&t, out, size);
			if (rc < 0)
				out[0] = '\0';
			return rc;
		}
		if (skip_value(&t) < 0)
			return -ENOENT;
	}
	return -ENOENT;
}

void dbp_runtime_dirs_default(struct dbp_runtime_dirs *d)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->graphroot, sizeof(d->graphroot), "%s", DEFAULT_GRAPHROOT);
	snprintf(d->runroot, sizeof(d->runroot), "%s", DEFAULT_RUNROOT);
	snprintf(d->driver, sizeof(d->driver), "%s", DEFAULT_DRIVER);
	snprintf(d->storage_from, sizeof(d->storage_from), "default");
	dbp_runtime_dirs_add_docker(d, DEFAULT_DOCKER, "default");
	dbp_runtime_dirs_add_containerd(d, DEFAULT_CONTAINERD_STATE, DEFAULT_CONTAINERD_ROOT,
					"default");
}

/* path into dst when it fits whole: a cut path is another directory */
static int dir_set(char *dst, size_t size, const char *path)
{
	if (!path || path[0] != '/' || strlen(path) >= size)
		return 0;
	memcpy(dst, path, strlen(path) + 1);
	return 1;
}

int dbp_runtime_dirs_add_docker(struct dbp_runtime_dirs *d, const char *data_root,
				const char *from)
{
	struct dbp_runtime_dir *r;

	for (size_t i = 0; i < d->ndocker; i++)
		if (!strcmp(d->docker[i].path, data_root))
			return 0;
	if (d->ndocker >= DBP_RUNTIME_DIRS_MAX)
		return 0;
	r = &d->docker[d->ndocker];
	memset(r, 0, sizeof(*r));
	if (!dir_set(r->path, sizeof(r->path), data_root))
		return 0;
	snprintf(r->from, sizeof(r->from), "%s", from ? from : "");
	d->ndocker++;
	return 1;
}

int dbp_runtime_dirs_add_containerd(struct dbp_runtime_dirs *d, const char *state,
				    const char *root, const char *from)
{
	struct dbp_runtime_dir *r;

	for (size_t i = 0; i < d->ncontainerd; i++)
		if (!strcmp(d->containerd[i].path, state) && !strcmp(d->containerd[i].root, root))
			return 0;
	if (d->ncontainerd >= DBP_RUNTIME_DIRS_MAX)
		return 0;
	r = &d->containerd[d->ncontainerd];
	memset(r, 0, sizeof(*r));
	if (!dir_set(r->path, sizeof(r->path), state) || !dir_set(r->root, sizeof(r->root), root))
		return 0;
	snprintf(r->from, sizeof(r->from), "%s", from ? from : "");
	d->ncontainerd++;
	return 1;
}

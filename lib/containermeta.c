/*
 * Container names and images from containers/storage and docker's state
 * (see containermeta.h for the files and why containerd's are not read).
 */
#include "config.h"

#include <fcntl.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "container.h"
#include "containermeta.h"
#include "jsonstrict.h"
#include "path.h"
#include "safeopen.h"
#include "sigset.h"

#define DEFAULT_GRAPHROOT "/var/lib/containers/storage"
#define DEFAULT_RUNROOT "/run/containers/storage"
#define DEFAULT_DRIVER "overlay"
#define DEFAULT_DOCKER "/var/lib/docker"

/* the containers/storage container lists, in the order they are searched */
enum { LIST_STABLE, LIST_VOLATILE, LIST_TRANSIENT, NLISTS };

struct store_file {
	struct json_object *json;	/* NULL: absent or unreadable */
	int err;			/* 0, or why it could not be read */
	char path[512];
};

struct dbp_meta {
	char *root;
	char graphroot[256], runroot[256], driver[64], docker[256];
	int loaded, images_loaded;
	struct store_file lists[NLISTS];
	struct store_file images;
};

struct dbp_meta *dbp_meta_open(const char *root, const struct dbp_meta_paths *paths)
{
	struct dbp_meta *s = calloc(1, sizeof(*s));
	struct dbp_meta_paths none = { 0 };

	if (!s)
		return NULL;
	if (!paths)
		paths = &none;
	s->root = root ? strdup(root) : NULL;
	if (root && !s->root) {
		free(s);
		return NULL;
	}
	snprintf(s->graphroot, sizeof(s->graphroot), "%s",
		 paths->storage_graphroot ? paths->storage_graphroot : DEFAULT_GRAPHROOT);
	snprintf(s->runroot, sizeof(s->runroot), "%s",
		 paths->storage_runroot ? paths->storage_runroot : DEFAULT_RUNROOT);
	snprintf(s->driver, sizeof(s->driver), "%s",
		 paths->storage_driver ? paths->storage_driver : DEFAULT_DRIVER);
	snprintf(s->docker, sizeof(s->docker), "%s",
		 paths->docker_root ? paths->docker_root : DEFAULT_DOCKER);
	return s;
}

void dbp_meta_close(struct dbp_meta *s)
{
	if (!s)
		return;
	for (int i = 0; i < NLISTS; i++)
		json_object_put(s->lists[i].json);
	json_object_put(s->images.json);
	free(s->root);
	free(s);
}

/* The regular file at root + path, whole, up to max bytes, parsed as one
 * JSON value. Returns the value, or NULL with *err: -ENOENT (absent), the
 * open or read errno, -EFBIG past max, -EINVAL for what is not JSON. */
static struct json_object *read_json(const char *root, const char *path, size_t max, int *err)
{
	struct json_object *o = NULL;
	struct json_tokener *tok;
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap;
	int fd = dbp_open_regular(root, path, NULL);

	*err = 0;
	if (fd < 0) {
		*err = fd == -DBP_ENOTREG ? -EINVAL : fd;
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		*err = -errno;
		goto out;
	}
	/* the size is checked again while reading: the runtime rewrites
	 * these files (atomically, by rename, but a hostile one need not) */
	if ((size_t)st.st_size > max) {
		*err = -EFBIG;
		goto out;
	}
	cap = (size_t)st.st_size + 1;
	buf = malloc(cap);
	if (!buf) {
		*err = -ENOMEM;
		goto out;
	}
	for (;;) {
		ssize_t r;

		if (len == cap) {
			char *nb;

			if (cap > max) {
				*err = -EFBIG;
				goto out;
			}
			cap = cap > max / 2 ? max + 1 : cap * 2;
			nb = realloc(buf, cap);
			if (!nb) {
				*err = -ENOMEM;
				goto out;
			}
			buf = nb;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*err = -errno;
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len > max) {
		*err = -EFBIG;
		goto out;
	}
	/* one strict JSON value and nothing after it but whitespace (a NUL
	 * byte is not whitespace): the validator every JSON input of dbpod
	 * goes through */
	{
		size_t pos = 0, start = 0, end = 0, more_start, more_end;
		char why[160];

		if (dbp_json_next_value(buf, len, &pos, &start, &end, why, sizeof(why)) != 1 ||
		    dbp_json_next_value(buf, len, &pos, &more_start, &more_end, why, sizeof(why)) != 0) {
			*err = -EINVAL;
			goto out;
		}
		tok = json_tokener_new_ex(DBP_JSON_MAX_DEPTH);
		if (!tok) {
			*err = -ENOMEM;
			goto out;
		}
		o = json_tokener_parse_ex(tok, buf + start, (int)(end - start));
	}
	json_tokener_free(tok);
	if (!o)
		*err = -EINVAL;
out:
	free(buf);
	close(fd);
	return o;
}

/* One of containers/storage's JSON arrays at f->path; a store not in use
 * (no file) is no error. */
static void load_array(struct dbp_meta *s, struct store_file *f)
{
	f->json = read_json(s->root, f->path, DBP_META_MAX_STORE, &f->err);
	if (f->json && !json_object_is_type(f->json, json_type_array)) {
		json_object_put(f->json);
		f->json = NULL;
		f->err = -EINVAL;
	}
	if (f->err == -ENOENT)
		f->err = 0;
}

static void load_list(struct dbp_meta *s, struct store_file *f, const char *dir,
		      const char *file)
{
	snprintf(f->path, sizeof(f->path), "%s/%s-containers/%s", dir, s->driver, file);
	load_array(s, f);
}

static void load_lists(struct dbp_meta *s)
{
	if (s->loaded)
		return;
	s->loaded = 1;
	load_list(s, &s->lists[LIST_STABLE], s->graphroot, "containers.json");
	load_list(s, &s->lists[LIST_VOLATILE], s->graphroot, "volatile-containers.json");
	load_list(s, &s->lists[LIST_TRANSIENT], s->runroot, "volatile-containers.json");
}

static void load_images(struct dbp_meta *s)
{
	struct store_file *f = &s->images;

	if (s->images_loaded)
		return;
	s->images_loaded = 1;
	snprintf(f->path, sizeof(f->path), "%s/%s-images/images.json", s->graphroot, s->driver);
	load_array(s, f);
}

static void note_error(struct dbp_container_meta *m, int err, const char *path)
{
	if (!err || m->err)
		return;
	m->err = err;
	snprintf(m->err_file, sizeof(m->err_file), "%s", path);
}

/* A name or image as the runtimes allow them: printable ASCII, no space,
 * and whole (a cut name would be another container's). */
static int take_value(const char *v, char *out, size_t size)
{
	size_t n;

	if (!v)
		return 0;
	n = strlen(v);
	if (!n || n >= size)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (v[i] <= ' ' || v[i] > '~')
			return 0;
	memcpy(out, v, n + 1);
	return 1;
}

static const char *str_member(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static const char *first_name(struct json_object *o)
{
	struct json_object *names, *n;

	if (!json_object_object_get_ex(o, "names", &names) ||
	    !json_object_is_type(names, json_type_array) ||
	    json_object_array_length(names) < 1)
		return NULL;
	n = json_object_array_get_idx(names, 0);
	return n && json_object_is_type(n, json_type_string) ? json_object_get_string(n) : NULL;
}

static struct json_object *find_id(struct json_object *list, const char *id)
{
	size_t n = json_object_array_length(list);

	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(list, i);
		const char *eid;

		if (!e || !json_object_is_type(e, json_type_object))
			continue;
		eid = str_member(e, "id");
		if (eid && !strcmp(eid, id))
			return e;
	}
	return NULL;
}

/* The stop signal podman put in the OCI spec of container id, or 0. */
static int storage_stop_signal(struct dbp_meta *s, const char *id)
{
	struct json_object *o, *ann;
	const char *v;
	char path[512];
	int err, sig = 0;

	snprintf(path, sizeof(path), "%s/%s-containers/%s/userdata/config.json", s->graphroot,
		 s->driver, id);
	o = read_json(s->root, path, DBP_META_MAX_CONFIG, &err);
	if (o && json_object_is_type(o, json_type_object) &&
	    json_object_object_get_ex(o, "annotations", &ann) &&
	    json_object_is_type(ann, json_type_object) &&
	    (v = str_member(ann, "org.opencontainers.image.stopSignal")))
		sig = dbp_signal_parse(v);
	json_object_put(o);
	return sig > 0 ? sig : 0;
}

/* containers/storage: names[0] (else metadata's "name"), metadata's
 * "image-name" (else the image's first name in images.json). */
static int from_storage(struct dbp_meta *s, const char *id, struct dbp_container_meta *m)
{
	struct json_object *e = NULL, *meta = NULL;
	const char *md, *image_id;

	load_lists(s);
	for (int i = 0; i < NLISTS && !e; i++) {
		note_error(m, s->lists[i].err, s->lists[i].path);
		if (s->lists[i].json)
			e = find_id(s->lists[i].json, id);
	}
	if (!e)
		return 0;
	m->source = "containers-storage";
	md = str_member(e, "metadata");
	if (md && strlen(md) <= DBP_META_MAX_CONFIG) {
		struct json_tokener *tok = json_tokener_new_ex(DBP_JSON_MAX_DEPTH);

		if (tok) {
			meta = json_tokener_parse_ex(tok, md, (int)strlen(md));
			json_tokener_free(tok);
		}
		if (meta && !json_object_is_type(meta, json_type_object)) {
			json_object_put(meta);
			meta = NULL;
		}
	}
	if (!take_value(first_name(e), m->name, sizeof(m->name)) && meta)
		take_value(str_member(meta, "name"), m->name, sizeof(m->name));
	if (meta)
		take_value(str_member(meta, "image-name"), m->image, sizeof(m->image));
	m->stop_signal = storage_stop_signal(s, id);
	image_id = str_member(e, "image");
	if (!m->image[0] && image_id && image_id[0]) {
		struct json_object *img;

		load_images(s);
		note_error(m, s->images.err, s->images.path);
		img = s->images.json ? find_id(s->images.json, image_id) : NULL;
		if (img)
			take_value(first_name(img), m->image, sizeof(m->image));
	}
	json_object_put(meta);
	return 1;
}

/* docker: "Name" without its leading slash, "Config"."Image". */
static int from_docker(struct dbp_meta *s, const char *id, struct dbp_container_meta *m)
{
	struct json_object *o, *cfg;
	const char *name;
	char path[512];
	int err;

	snprintf(path, sizeof(path), "%s/containers/%s/config.v2.json", s->docker, id);
	o = read_json(s->root, path, DBP_META_MAX_CONFIG, &err);
	if (!o) {
		if (err != -ENOENT && err != -ENOTDIR)
			note_error(m, err, path);
		return 0;
	}
	if (!json_object_is_type(o, json_type_object)) {
		note_error(m, -EINVAL, path);
		json_object_put(o);
		return 0;
	}
	m->source = "docker";
	name = str_member(o, "Name");
	if (name && name[0] == '/')
		name++;
	take_value(name, m->name, sizeof(m->name));
	if (json_object_object_get_ex(o, "Config", &cfg) &&
	    json_object_is_type(cfg, json_type_object)) {
		const char *stop = str_member(cfg, "StopSignal");
		int sig = stop && *stop ? dbp_signal_parse(stop) : SIGTERM;

		take_value(str_member(cfg, "Image"), m->image, sizeof(m->image));
		m->stop_signal = sig > 0 ? sig : 0;
	}
	json_object_put(o);
	return 1;
}

int dbp_meta_lookup(struct dbp_meta *s, const char *id, struct dbp_container_meta *m)
{
	size_t n;

	memset(m, 0, sizeof(*m));
	m->source = "";
	/* the ID goes into a path (docker's): nothing but hex gets there */
	n = id ? strlen(id) : 0;
	if (n != 64 || strspn(id, "0123456789abcdef") != n)
		return -EINVAL;
	if (from_storage(s, id, m) || from_docker(s, id, m))
		return 1;
	return 0;
}

int dbp_container_read(int pid, struct dbp_container *c)
{
	char path[64], text[16384];
	int rc;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	rc = dbp_path_read(NULL, path, text, sizeof(text));
	return rc < 0 ? rc : dbp_container_parse(text, strlen(text), c);
}

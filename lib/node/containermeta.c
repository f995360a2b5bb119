/*
 * Container names, images, stop signals and grace periods from the
 * runtimes' state: containers/storage and podman's bolt_state.db, docker's
 * data roots, and containerd's states (containerdmeta.c); see
 * containermeta.h for the files.
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

#include "boltread.h"
#include "container.h"
#include "containerdmeta.h"
#include "containermeta.h"
#include "jsonstrict.h"
#include "path.h"
#include "runtimeconf.h"
#include "runtimeread.h"
#include "sigset.h"

/* the containers/storage container lists, in the order they are searched */
enum { LIST_STABLE, LIST_VOLATILE, LIST_TRANSIENT, NLISTS };

struct store_file {
	struct json_object *json;	/* NULL: absent or unreadable */
	int err;			/* 0, or why it could not be read */
	char path[512];
};

struct dbp_meta {
	char *root;
	struct dbp_runtime_dirs dirs;
	int loaded, images_loaded;
	struct store_file lists[NLISTS];
	struct store_file images;
};

struct dbp_meta *dbp_meta_open(const char *root, const struct dbp_runtime_dirs *dirs)
{
	struct dbp_meta *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->root = root ? strdup(root) : NULL;
	if (root && !s->root) {
		free(s);
		return NULL;
	}
	if (dirs)
		s->dirs = *dirs;
	else
		dbp_runtime_dirs_default(&s->dirs);
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

/* One of containers/storage's JSON arrays at f->path; a store not in use
 * (no file) is no error. */
static void load_array(struct dbp_meta *s, struct store_file *f)
{
	f->json = dbp_runtime_json_read(s->root, f->path, DBP_META_MAX_STORE, &f->err);
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
	snprintf(f->path, sizeof(f->path), "%s/%s-containers/%s", dir, s->dirs.driver, file);
	load_array(s, f);
}

static void load_lists(struct dbp_meta *s)
{
	if (s->loaded)
		return;
	s->loaded = 1;
	load_list(s, &s->lists[LIST_STABLE], s->dirs.graphroot, "containers.json");
	load_list(s, &s->lists[LIST_VOLATILE], s->dirs.graphroot, "volatile-containers.json");
	load_list(s, &s->lists[LIST_TRANSIENT], s->dirs.runroot, "volatile-containers.json");
}

static void load_images(struct dbp_meta *s)
{
	struct store_file *f = &s->images;

	if (s->images_loaded)
		return;
	s->images_loaded = 1;
	snprintf(f->path, sizeof(f->path), "%s/%s-images/images.json", s->dirs.graphroot, s->dirs.driver);
	load_array(s, f);
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
		const char *eid = dbp_json_str(e, "id");

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

	snprintf(path, sizeof(path), "%s/%s-containers/%s/userdata/config.json", s->dirs.graphroot,
		 s->dirs.driver, id);
	o = dbp_runtime_json_read(s->root, path, DBP_META_MAX_CONFIG, &err);
	if (o && json_object_is_type(o, json_type_object) &&
	    json_object_object_get_ex(o, "annotations", &ann) &&
	    (v = dbp_json_str(ann, "org.opencontainers.image.stopSignal")))
		sig = dbp_signal_parse(v);
	json_object_put(o);
	return sig > 0 ? sig : 0;
}

/* The longest grace period taken from a runtime's record: a year; what
 * is past it (or negative: docker's "wait for ever") is not a grace
 * period dbpod can judge with, and is left unknown. */
#define GRACE_MAX (365 * 86400)

/* podman's own record of the container: the JSON of bucket ctr/<ID>,
 * key "config", of <graphroot>/libpod/bolt_state.db, whose "stopTimeout"
 * and "stopSignal" (a number) `podman stop` uses. The signal stands in
 * when the OCI spec (written when the container first starts) does not
 * say. */
static void podman_config(struct dbp_meta *s, const char *id, struct dbp_container_meta *m)
{
	struct dbp_bolt_query q = { .path = { "ctr", id, "config" }, .n = 3 };
	struct json_object *o, *v;
	char db[DBP_RUNTIME_PATH_MAX + 32];
	int rc;

	snprintf(db, sizeof(db), "%s/libpod/bolt_state.db", s->dirs.graphroot);
	rc = dbp_bolt_file_query(s->root, db, &q, 1);
	if (rc < 0 && rc != -ENOENT)
		dbp_meta_note_error(m, rc, db);
	if (rc < 0 || q.rc < 0 || q.bucket)
		goto out;
	o = dbp_json_parse_strict(q.val, q.len);
	if (!o || !json_object_is_type(o, json_type_object)) {
		dbp_meta_note_error(m, -EINVAL, db);
	} else {
		if (json_object_object_get_ex(o, "stopTimeout", &v) &&
		    json_object_is_type(v, json_type_int) && json_object_get_int64(v) >= 0 &&
		    json_object_get_int64(v) <= GRACE_MAX) {
			m->grace = (int)json_object_get_int64(v);
			m->grace_source = "bolt_state.db config stopTimeout";
		}
		if (!m->stop_signal && json_object_object_get_ex(o, "stopSignal", &v) &&
		    json_object_is_type(v, json_type_int) && json_object_get_int64(v) >= 1 &&
		    json_object_get_int64(v) <= DBP_NSIG) {
			m->stop_signal = (int)json_object_get_int64(v);
			m->stop_source = "bolt_state.db config stopSignal";
		}
	}
	json_object_put(o);
out:
	dbp_bolt_query_free(&q, 1);
}

/* containers/storage: names[0] (else metadata's "name"), metadata's
 * "image-name" (else the image's first name in images.json). */
static int from_storage(struct dbp_meta *s, const char *id, struct dbp_container_meta *m)
{
	struct json_object *e = NULL, *meta = NULL;
	const char *md, *image_id;

	load_lists(s);
	for (int i = 0; i < NLISTS && !e; i++) {
		dbp_meta_note_error(m, s->lists[i].err, s->lists[i].path);
		if (s->lists[i].json)
			e = find_id(s->lists[i].json, id);
	}
	if (!e)
		return 0;
	m->source = "containers-storage";
	md = dbp_json_str(e, "metadata");
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
	if (!dbp_meta_take(first_name(e), m->name, sizeof(m->name)) && meta)
		dbp_meta_take(dbp_json_str(meta, "name"), m->name, sizeof(m->name));
	if (meta)
		dbp_meta_take(dbp_json_str(meta, "image-name"), m->image, sizeof(m->image));
	m->stop_signal = storage_stop_signal(s, id);
	if (m->stop_signal)
		m->stop_source = "OCI spec annotation org.opencontainers.image.stopSignal";
	podman_config(s, id, m);
	if (!m->stop_signal)
		snprintf(m->stop_unknown, sizeof(m->stop_unknown), "neither its OCI spec in %.200s "
			 "(%.32s-containers/<ID>/userdata/config.json) nor podman's bolt_state.db "
			 "says (a CRI-O container, or podman's state unreadable)",
			 s->dirs.graphroot, s->dirs.driver);
	image_id = dbp_json_str(e, "image");
	if (!m->image[0] && image_id && image_id[0]) {
		struct json_object *img;

		load_images(s);
		dbp_meta_note_error(m, s->images.err, s->images.path);
		img = s->images.json ? find_id(s->images.json, image_id) : NULL;
		if (img)
			dbp_meta_take(first_name(img), m->image, sizeof(m->image));
	}
	json_object_put(meta);
	return 1;
}

/* docker: "Name" without its leading slash, "Config"."Image",
 * "Config"."StopSignal" (absent: SIGTERM) and "Config"."StopTimeout"
 * (absent: docker's 10 s, which the caller assumes). */
static int from_docker(struct dbp_meta *s, const struct dbp_runtime_dir *d, const char *id,
		       struct dbp_container_meta *m)
{
	struct json_object *o, *cfg, *v;
	const char *name;
	char path[512];
	int err;

	snprintf(path, sizeof(path), "%s/containers/%s/config.v2.json", d->path, id);
	o = dbp_runtime_json_read(s->root, path, DBP_META_MAX_CONFIG, &err);
	if (!o) {
		if (err != -ENOENT && err != -ENOTDIR)
			dbp_meta_note_error(m, err, path);
		return 0;
	}
	if (!json_object_is_type(o, json_type_object)) {
		dbp_meta_note_error(m, -EINVAL, path);
		json_object_put(o);
		return 0;
	}
	m->source = "docker";
	m->runtime = "docker";
	name = dbp_json_str(o, "Name");
	if (name && name[0] == '/')
		name++;
	dbp_meta_take(name, m->name, sizeof(m->name));
	if (json_object_object_get_ex(o, "Config", &cfg) &&
	    json_object_is_type(cfg, json_type_object)) {
		const char *stop = dbp_json_str(cfg, "StopSignal");
		int sig = stop && *stop ? dbp_signal_parse(stop) : SIGTERM;

		dbp_meta_take(dbp_json_str(cfg, "Image"), m->image, sizeof(m->image));
		m->stop_signal = sig > 0 ? sig : 0;
		m->stop_source = stop && *stop ? "config.v2.json Config.StopSignal" :
			"config.v2.json without Config.StopSignal: SIGTERM, docker's default";
		if (!m->stop_signal)
			snprintf(m->stop_unknown, sizeof(m->stop_unknown),
				 "its Config.StopSignal in %.200s is no signal dbpod knows", path);
		if (json_object_object_get_ex(cfg, "StopTimeout", &v) &&
		    json_object_is_type(v, json_type_int) && json_object_get_int64(v) >= 0 &&
		    json_object_get_int64(v) <= GRACE_MAX) {
			m->grace = (int)json_object_get_int64(v);
			m->grace_source = "config.v2.json Config.StopTimeout";
		}
	}
	json_object_put(o);
	return 1;
}

int dbp_meta_lookup(struct dbp_meta *s, const char *id, struct dbp_container_meta *m)
{
	size_t n;

	memset(m, 0, sizeof(*m));
	m->source = "";
	m->runtime = "";
	m->grace = -1;
	/* the ID goes into paths: nothing but hex gets there */
	n = id ? strlen(id) : 0;
	if (n != 64 || strspn(id, "0123456789abcdef") != n)
		return -EINVAL;
	if (from_storage(s, id, m))
		return 1;
	for (size_t i = 0; i < s->dirs.ndocker; i++)
		if (from_docker(s, &s->dirs.docker[i], id, m))
			return 1;
	for (size_t i = 0; i < s->dirs.ncontainerd; i++) {
		if (!dbp_containerd_lookup(s->root, &s->dirs.containerd[i], id, m))
			continue;
		/* dockerd's own namespace, and none of its data roots has the
		 * container: its stop signal and grace are in a config.v2.json
		 * dbpod did not find */
		if (!strcmp(m->runtime, "docker")) {
			char roots[200] = "";
			size_t len = 0;

			for (size_t k = 0; k < s->dirs.ndocker && len < sizeof(roots); k++)
				len += (size_t)snprintf(roots + len, sizeof(roots) - len, "%s%s",
							k ? ", " : "", s->dirs.docker[k].path);
			m->stop_signal = 0;
			m->stop_source = NULL;
			snprintf(m->stop_unknown, sizeof(m->stop_unknown),
				 "docker's config.v2.json for it is in none of the data roots "
				 "dbpod knows (%s): dockerd's --data-root was not seen", roots);
		}
		return 1;
	}
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

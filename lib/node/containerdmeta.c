/*
 * containerd's state of a container: the task bundle's OCI spec for its
 * name, image and pod, and meta.db for the stop signal containerd sends
 * and the kubelet's grace period (see containermeta.h for the files and
 * where each field is defined).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "boltread.h"
#include "containerdmeta.h"
#include "numparse.h"
#include "path.h"
#include "runtimeconf.h"
#include "runtimeread.h"
#include "sigset.h"

#define LABEL_STOP_SIGNAL "io.containerd.image.config.stop-signal"
#define CRI_EXTENSION "io.cri-containerd.container.metadata"
#define GRACE_ANNOTATION "io.kubernetes.pod.terminationGracePeriod"

/* ---- the CRI plugin's record ---- */

static int varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (*p >= end)
			return -EINVAL;
		*v |= (uint64_t)(**p & 0x7f) << shift;
		if (!(*(*p)++ & 0x80))
			return 0;
	}
	return -EINVAL;
}

/* The value (field 2) of a protobuf Any, the type URL (field 1) aside. */
static int any_value(const char *any, size_t len, const char **val, size_t *vlen)
{
	const uint8_t *p = (const uint8_t *)any, *end = p + len;

	*val = NULL;
	while (p < end) {
		uint64_t key, n;

		if (varint(&p, end, &key) < 0)
			return -EINVAL;
		switch (key & 7) {
		case 0:
			if (varint(&p, end, &n) < 0)
				return -EINVAL;
			break;
		case 2:
			if (varint(&p, end, &n) < 0 || n > (uint64_t)(end - p))
				return -EINVAL;
			if (key >> 3 == 2) {
				*val = (const char *)p;
				*vlen = (size_t)n;
			}
			p += n;
			break;
		default:
			return -EINVAL;
		}
	}
	return *val ? 0 : -EINVAL;
}

static struct json_object *member(struct json_object *o, const char *key, json_type type)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type))
		return NULL;
	return v;
}

int dbp_cri_record_parse(const char *any, size_t len, struct dbp_cri_record *r)
{
	struct json_object *o, *md, *cfg, *v;
	const char *val, *s;
	size_t vlen = 0;
	int rc = -EINVAL;

	memset(r, 0, sizeof(*r));
	r->grace = -1;
	if (!any || any_value(any, len, &val, &vlen) < 0)
		return -EINVAL;
	o = dbp_json_parse_strict(val, vlen);
	if (!o || !json_object_is_type(o, json_type_object))
		goto out;
	s = dbp_json_str(o, "Version");
	md = member(o, "Metadata", json_type_object);
	if (!s || strcmp(s, "v1") || !md)
		goto out;
	s = dbp_json_str(md, "StopSignal");
	if (s && strlen(s) < sizeof(r->stop_signal))
		snprintf(r->stop_signal, sizeof(r->stop_signal), "%s", s);
	else if (s)
		goto out;
	cfg = member(md, "Config", json_type_object);
	dbp_meta_take(dbp_json_str(member(cfg, "metadata", json_type_object), "name"),
		      r->name, sizeof(r->name));
	if (!r->name[0])
		dbp_meta_take(dbp_json_str(md, "Name"), r->name, sizeof(r->name));
	v = member(cfg, "labels", json_type_object);
	dbp_meta_take(dbp_json_str(v, "io.kubernetes.pod.name"), r->pod_name, sizeof(r->pod_name));
	dbp_meta_take(dbp_json_str(v, "io.kubernetes.pod.namespace"), r->pod_namespace,
		      sizeof(r->pod_namespace));
	s = dbp_json_str(member(cfg, "annotations", json_type_object), GRACE_ANNOTATION);
	if (s) {
		long long g;

		/* the kubelet writes terminationGracePeriodSeconds in decimal */
		if (dbp_parse_integer(s, 0, 365LL * 86400, &g) == 0)
			r->grace = (int)g;
	}
	rc = 0;
out:
	json_object_put(o);
	return rc;
}

/* ---- the task bundle ---- */

/* Where the shims keep a running task's bundle, below the state
 * directory: the v2 runtime's, then the old v1 linux runtime's. */
static const char *const task_dirs[] = {
	"io.containerd.runtime.v2.task", "io.containerd.runtime.v1.linux",
};

/* A namespace containerd accepts: letters, digits, '.', '_', '-', at
 * most 76 bytes, a letter or digit first (containerd namespaces/
 * validate.go); no "." or "..". */
static int namespace_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 76 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
			      (s[0] >= '0' && s[0] <= '9')))
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

static void from_spec(struct json_object *spec, struct dbp_container_meta *m)
{
	struct json_object *ann = member(spec, "annotations", json_type_object);

	if (!ann)
		return;
	dbp_meta_take(dbp_json_str(ann, "io.kubernetes.cri.container-name"), m->name,
		      sizeof(m->name));
	dbp_meta_take(dbp_json_str(ann, "io.kubernetes.cri.image-name"), m->image,
		      sizeof(m->image));
	dbp_meta_take(dbp_json_str(ann, "io.kubernetes.cri.sandbox-name"), m->pod_name,
		      sizeof(m->pod_name));
	dbp_meta_take(dbp_json_str(ann, "io.kubernetes.cri.sandbox-namespace"), m->pod_namespace,
		      sizeof(m->pod_namespace));
}

/* ---- meta.db ---- */

enum { Q_CONTAINER, Q_LABEL, Q_IMAGE, Q_CRI, NQ };

static void from_metadb(const char *root, const struct dbp_runtime_dir *d, const char *id,
			struct dbp_container_meta *m)
{
	struct dbp_bolt_query q[NQ];
	char db[DBP_RUNTIME_PATH_MAX + 64];
	const char *ns = m->ctr_namespace;
	int rc, sig;

	memset(q, 0, sizeof(q));
	for (int i = 0; i < NQ; i++) {
		q[i].path[0] = "v1";
		q[i].path[1] = ns;
		q[i].path[2] = "containers";
		q[i].path[3] = id;
		q[i].n = 4;
	}
	q[Q_LABEL].path[4] = "labels";
	q[Q_LABEL].path[5] = LABEL_STOP_SIGNAL;
	q[Q_LABEL].n = 6;
	q[Q_IMAGE].path[4] = "image";
	q[Q_IMAGE].n = 5;
	q[Q_CRI].path[4] = "extensions";
	q[Q_CRI].path[5] = CRI_EXTENSION;
	q[Q_CRI].n = 6;
	snprintf(db, sizeof(db), "%s/io.containerd.metadata.v1.bolt/meta.db", d->root);
	rc = dbp_bolt_file_query(root, db, q, NQ);
	if (rc < 0) {
		if (rc != -ENOENT)
			dbp_meta_note_error(m, rc, db);
		snprintf(m->stop_unknown, sizeof(m->stop_unknown),
			 rc == -ENOENT ? "containerd's metadata %.200s is not there" :
			 rc == -EAGAIN ? "containerd's metadata %.200s changed under each of three reads" :
			 "containerd's metadata %.200s could not be read (%s)", db, strerror(-rc));
		return;
	}
	if (q[Q_CONTAINER].rc < 0 || !q[Q_CONTAINER].bucket) {
		snprintf(m->stop_unknown, sizeof(m->stop_unknown),
			 "containerd's metadata %.200s has no container %.12s in namespace %.76s%s", db,
			 id, ns, q[Q_CONTAINER].rc == -ENOENT ? "" : " that dbpod can read");
		goto out;
	}
	if (!m->image[0] && q[Q_IMAGE].rc == 0 && !q[Q_IMAGE].bucket)
		dbp_meta_take(q[Q_IMAGE].val, m->image, sizeof(m->image));
	if (q[Q_CRI].rc == 0 && !q[Q_CRI].bucket) {
		struct dbp_cri_record r;

		if (dbp_cri_record_parse(q[Q_CRI].val, q[Q_CRI].len, &r) < 0) {
			dbp_meta_note_error(m, -EINVAL, db);
			snprintf(m->stop_unknown, sizeof(m->stop_unknown),
				 "the CRI plugin's record of it in %.200s is not the JSON containerd "
				 "1.6 writes", db);
			goto out;
		}
		if (!m->name[0])
			snprintf(m->name, sizeof(m->name), "%s", r.name);
		if (!m->pod_name[0])
			snprintf(m->pod_name, sizeof(m->pod_name), "%s", r.pod_name);
		if (!m->pod_namespace[0])
			snprintf(m->pod_namespace, sizeof(m->pod_namespace), "%s", r.pod_namespace);
		if (r.grace >= 0) {
			m->grace = r.grace;
			m->grace_kubelet = 1;
			m->grace_source = "meta.db CRI record, annotation " GRACE_ANNOTATION;
		}
		/* StopContainer sends the record's StopSignal, SIGTERM when the
		 * image set none (the image's own config is consulted only for
		 * containers made before containerd 1.2 wrote the field) */
		sig = r.stop_signal[0] ? dbp_signal_parse(r.stop_signal) : SIGTERM;
		if (sig > 0) {
			m->stop_signal = sig;
			m->stop_source = r.stop_signal[0] ? "meta.db CRI record StopSignal" :
				"meta.db CRI record without StopSignal: SIGTERM, containerd's default";
		} else {
			snprintf(m->stop_unknown, sizeof(m->stop_unknown),
				 "the CRI plugin's StopSignal '%.31s' is no signal dbpod knows",
				 r.stop_signal);
		}
		goto out;
	}
	if (q[Q_LABEL].rc == 0 && !q[Q_LABEL].bucket) {
		sig = dbp_signal_parse(q[Q_LABEL].val);
		if (sig > 0) {
			m->stop_signal = sig;
			m->stop_source = "meta.db label " LABEL_STOP_SIGNAL;
		} else {
			snprintf(m->stop_unknown, sizeof(m->stop_unknown),
				 "its label " LABEL_STOP_SIGNAL " is no signal dbpod knows");
		}
		goto out;
	}
	snprintf(m->stop_unknown, sizeof(m->stop_unknown),
		 "containerd records no stop signal for it (no label " LABEL_STOP_SIGNAL
		 ", no CRI record): the client that stops it chooses");
out:
	dbp_bolt_query_free(q, NQ);
}

int dbp_containerd_lookup(const char *root, const struct dbp_runtime_dir *d, const char *id,
			  struct dbp_container_meta *m)
{
	for (size_t k = 0; k < sizeof(task_dirs) / sizeof(task_dirs[0]); k++) {
		char dir[DBP_RUNTIME_PATH_MAX + 64], full[4096];
		struct dirent *e;
		DIR *dp;

		snprintf(dir, sizeof(dir), "%s/%s", d->path, task_dirs[k]);
		dp = opendir(dbp_path(root, dir, full, sizeof(full)));
		if (!dp) {
			if (errno != ENOENT && errno != ENOTDIR)
				dbp_meta_note_error(m, -errno, dir);
			continue;
		}
		while ((e = readdir(dp))) {
			char spec[DBP_RUNTIME_PATH_MAX + 256];
			struct json_object *o;
			int err;

			if (!namespace_ok(e->d_name))
				continue;
			snprintf(spec, sizeof(spec), "%s/%s/%s/config.json", dir, e->d_name, id);
			o = dbp_runtime_json_read(root, spec, DBP_META_MAX_CONFIG, &err);
			if (!o && (err == -ENOENT || err == -ENOTDIR))
				continue;
			snprintf(m->ctr_namespace, sizeof(m->ctr_namespace), "%s", e->d_name);
			closedir(dp);
			m->source = "containerd";
			/* the "moby" namespace is dockerd's */
			m->runtime = strcmp(m->ctr_namespace, "moby") ? "containerd" : "docker";
			if (o && json_object_is_type(o, json_type_object))
				from_spec(o, m);
			else
				dbp_meta_note_error(m, o ? -EINVAL : err, spec);
			json_object_put(o);
			from_metadb(root, d, id, m);
			return 1;
		}
		closedir(dp);
	}
	return 0;
}

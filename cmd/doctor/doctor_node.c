/*
 * dbpod doctor --all-containers: node mode.
 *
 * One reading of the node's /proc (noderead.h) grouped by PID namespace;
 * each namespace other than dbpod's own is judged by doctor's own run
 * (doctor.h, doctor_run.c) on its table, renumbered as it sees itself, with its PID 1's
 * cgroup, environment and root standing in for dbpod's (dbp_live_target),
 * so that the verdict is the one dbpod gives inside that container. The
 * container is named from its PID 1's cgroup (container.h) and, where the
 * runtime's state is readable, its name and image (containermeta.h), found
 * where the runtimes' daemons were configured to keep it (runtimeread.h).
 *
 * What a stop will do is judged with what the runtime will really do: the
 * stop signal and grace period it records for the container, else its
 * defaults, each said with where it comes from. A container whose runtime
 * is known but whose stop signal cannot be read is judged with every
 * signal it may plausibly be stopped with (SIGTERM, SIGINT, SIGQUIT), so
 * that no graceful verdict stands that one of them contradicts.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "classify.h"
#include "node/container.h"
#include "node/containermeta.h"
#include "doctor.h"
#include "node/noderead.h"
#include "node/runtimelogread.h"
#include "node/runtimeread.h"
#include "pglogread.h"
#include "safeopen.h"
#include "sigset.h"
#include "timestamp.h"

/* node mode reads every foreign process's status (for its NSpid) */
#define WANT (DBP_HAVE_STATUS | DBP_WANT_STATUS_ALL | DBP_HAVE_OOM)

struct ctr {
	const struct dbp_pidns *ns;
	struct dbp_container id;	/* from its PID 1's cgroup; id "" when none */
	struct dbp_container_meta meta;	/* name and image where the runtime says */
	const char *runtime;		/* the cgroup's, else the runtime state's; "" unknown */
	char runtime_unknown[1024];	/* why runtime is "" */
	int stop_signal;		/* judged alone: 0 when several are */
	const char *stop_from;		/* "option", "runtime", or NULL */
	int stop_unread;		/* its runtime is known, its stop signal not: SIGQUIT judged too */
	int grace;			/* seconds judged with */
	const char *grace_from;		/* grace_choose's words */
	const char *grace_source;	/* the record it was read from, or NULL */
	enum dbp_db db;
	/* its output as the runtime keeps it: the log of a server that
	 * writes to a pipe (PostgreSQL, Redis), read for its time budgets */
	struct dbp_runtime_output log;
	const char *root;			/* for load_log: --root, */
	const struct dbp_runtime_dirs *dirs;	/* where the runtimes keep state */
	struct doctor_run d;
};

/* The runtime's copy of the container's output, read only when the
 * server's evidence finds its log is a pipe (struct dbp_runtime_output) */
static int load_log(struct dbp_runtime_output *rt, void *arg)
{
	const struct ctr *c = arg;

	return dbp_runtime_output_read(c->root, c->dirs, &c->id, &c->meta, c->runtime,
				       DBP_PGLOG_TAIL, rt);
}

struct node_run {
	struct dbp_node node;
	struct dbp_runtime_dirs dirs;	/* where the runtimes' state was looked for */
	struct ctr *c;
	size_t n;
	size_t without_db, gone;
	time_t when;
	int status;
};

/* The database a namespace runs, by its first server process. */
static enum dbp_db ns_database(const struct dbp_table *t)
{
	struct dbp_class c;

	for (size_t i = 0; i < t->n; i++) {
		if (t->procs[i].state == 'Z' || t->procs[i].kthread)
			continue;
		dbp_classify(&t->procs[i], &c);
		if (c.kind == DBP_KIND_DATABASE)
			return c.db;
	}
	return DBP_DB_NONE;
}

/* The runtime state directories node mode read, for a message: those of
 * runtime, or all for "". */
static void dirs_text(const struct dbp_runtime_dirs *d, const char *runtime, char *buf,
		      size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < d->ndocker && len < size && (!*runtime || !strcmp(runtime, "docker")); i++)
		len += (size_t)snprintf(buf + len, size - len, "%sdocker %s", len ? ", " : "",
					d->docker[i].path);
	for (size_t i = 0; i < d->ncontainerd && len < size &&
	     (!*runtime || !strcmp(runtime, "containerd")); i++)
		len += (size_t)snprintf(buf + len, size - len, "%scontainerd %s", len ? ", " : "",
					d->containerd[i].path);
	if (len < size && (!strcmp(runtime, "podman") || !strcmp(runtime, "cri-o") || !*runtime))
		snprintf(buf + len, size - len, "%scontainers/storage %s", len ? ", " : "",
			 d->graphroot);
}

/* Why the container's runtime is not known, for the JSON. */
static void runtime_unknown(struct ctr *c, const struct dbp_runtime_dirs *dirs)
{
	char read[400];

	if (!c->id.id[0]) {
		snprintf(c->runtime_unknown, sizeof(c->runtime_unknown),
			 "its PID 1's cgroup names no container: no container runtime dbpod knows "
			 "started it");
		return;
	}
	dirs_text(dirs, "", read, sizeof(read));
	snprintf(c->runtime_unknown, sizeof(c->runtime_unknown),
		 "the cgroup path names no runtime (the kubelet's cgroupfs driver: containerd or "
		 "cri-dockerd) and no runtime state dbpod read has the container (%.380s)%s%.100s%s%s",
		 read, c->meta.err ? "; " : "", c->meta.err ? c->meta.err_file : "",
		 c->meta.err ? ": " : "", c->meta.err ? strerror(-c->meta.err) : "");
}

/* The grace period a stop of c gets, and where that comes from: --grace
 * (o's); in a pod the kubelet's (recorded, else Kubernetes' 30 s),
 * whatever the runtime's own setting; the runtime's record; its default. */
static void grace_choose(struct ctr *c, const struct dbp_opts *o)
{
	int pod = c->id.pod_uid[0] || c->meta.pod_name[0];

	c->grace_source = NULL;
	if (o->grace_given) {
		c->grace = o->grace;
		c->grace_from = "option";
	} else if (c->meta.grace >= 0 && c->meta.grace_kubelet) {
		c->grace = c->meta.grace;
		c->grace_from = "kubelet";
		c->grace_source = c->meta.grace_source;
	} else if (pod || !strcmp(c->runtime, "cri-o")) {
		c->grace = DBP_GRACE_KUBERNETES;
		c->grace_from = "kubernetes-default";
	} else if (c->meta.grace >= 0) {
		c->grace = c->meta.grace;
		c->grace_from = "runtime";
		c->grace_source = c->meta.grace_source;
	} else if (!strcmp(c->runtime, "docker")) {
		c->grace = DBP_GRACE_DOCKER;
		c->grace_from = "docker-default";
	} else if (!strcmp(c->runtime, "podman")) {
		c->grace = DBP_GRACE_PODMAN;
		c->grace_from = "podman-default";
	} else if (!strcmp(c->runtime, "containerd")) {
		c->grace = DBP_GRACE_NERDCTL;
		c->grace_from = "nerdctl-default";
	} else {
		c->grace = o->grace;
		c->grace_from = "dbpod-default";
	}
}

/* The stop signal c is judged with: --stop-signal (o's); the runtime's
 * record; for a container whose record is unread, every plausible one; for
 * a namespace no runtime made, SIGTERM and SIGINT as dbpod inside judges. */
static void stop_choose(struct ctr *c, const struct dbp_runtime_dirs *dirs,
			const struct dbp_opts *o)
{
	char read[300];

	c->stop_unread = 0;
	if (o->stop_signal_given) {
		c->stop_signal = o->stop_signal;
		c->stop_from = "option";
	} else if (c->meta.stop_signal) {
		c->stop_signal = c->meta.stop_signal;
		c->stop_from = "runtime";
	} else if (c->id.id[0]) {
		c->stop_unread = 1;
		dirs_text(dirs, c->runtime, read, sizeof(read));
		if (c->meta.stop_unknown[0])
			;
		else if (!c->runtime[0])
			snprintf(c->meta.stop_unknown, sizeof(c->meta.stop_unknown),
				 "its runtime is not known (runtime_unknown)");
		else if (!strcmp(c->runtime, "cri-o") && !strcmp(c->meta.source, "containers-storage"))
			snprintf(c->meta.stop_unknown, sizeof(c->meta.stop_unknown),
				 "CRI-O keeps it in its own state, which dbpod does not read");
		else
			snprintf(c->meta.stop_unknown, sizeof(c->meta.stop_unknown),
				 "none of the %s state dbpod read has the container (%.250s)%s%.100s%s%s",
				 c->runtime, read, c->meta.err ? "; " : "",
				 c->meta.err ? c->meta.err_file : "", c->meta.err ? ": " : "",
				 c->meta.err ? strerror(-c->meta.err) : "");
	}
}

/* The options container c is judged with: o's, with the stop signal and
 * grace period its runtime gives it (or o's where given: stop_choose,
 * grace_choose). */
static void ctr_opts(const struct ctr *c, const struct dbp_opts *o, struct dbp_opts *co)
{
	*co = *o;
	if (c->stop_signal) {
		co->stop_signal = c->stop_signal;
		co->stop_signal_given = 1;
	}
	co->stop_signal_unread = c->stop_unread;
	co->grace = c->grace;
}

static int judge_node(struct node_run *r, const struct doctor_node_opts *no,
		      const struct dbp_opts *o)
{
	struct dbp_meta *meta;
	int rc;

	memset(r, 0, sizeof(*r));
	r->when = time(NULL);
	rc = dbp_node_read(&r->node, WANT);
	if (rc < 0)
		return rc;
	r->c = calloc(r->node.n ? r->node.n : 1, sizeof(*r->c));
	/* the runtimes as their daemons (in dbpod's own namespace, the
	 * host's with hostPID) were configured, their files below --root */
	dbp_runtime_dirs_read(o->root, &r->node.own, &r->dirs);
	meta = dbp_meta_open(o->root, &r->dirs);
	if (!r->c || !meta) {
		dbp_meta_close(meta);
		return -ENOMEM;
	}
	for (size_t k = 0; k < r->node.n; k++) {
		const struct dbp_pidns *ns = &r->node.ns[k];
		struct ctr *c = &r->c[r->n];
		struct dbp_opts co;

		/* its PID 1 exited while dbpod read: the kernel is ending it */
		if (!ns->init_host_pid) {
			r->gone++;
			continue;
		}
		c->db = ns_database(&ns->table);
		if (c->db == DBP_DB_NONE && !no->all) {
			r->without_db++;
			continue;
		}
		c->ns = ns;
		c->meta.grace = -1;
		c->meta.source = c->meta.runtime = "";
		if (dbp_container_read(ns->init_host_pid, &c->id) == 0 && c->id.id[0])
			dbp_meta_lookup(meta, c->id.id, &c->meta);
		c->runtime = c->id.runtime && c->id.runtime[0] ? c->id.runtime : c->meta.runtime;
		if (!c->runtime[0])
			runtime_unknown(c, &r->dirs);
		/* the signal and grace its runtime stops it with; --stop-signal
		 * and --grace override them. The checks are handed a copy of
		 * the options holding this container's */
		stop_choose(c, &r->dirs, o);
		grace_choose(c, o);
		ctr_opts(c, o, &co);
		if ((c->db == DBP_DB_POSTGRES || c->db == DBP_DB_REDIS) && c->id.id[0]) {
			c->root = o->root;
			c->dirs = &r->dirs;
			c->log.load = load_log;
			c->log.load_arg = c;
			co.runtime_log = &c->log;
		}
		dbp_live_target(&ns->table, WANT, ns->init_host_pid);
		doctor_judge(&c->d, &co);
		dbp_live_unshare();
		/* the text is the rules' only: its file's name stays */
		dbp_runtime_output_release(&c->log);
		if (c->d.status > r->status)
			r->status = c->d.status;
		r->n++;
	}
	dbp_meta_close(meta);
	return 0;
}

static void free_node(struct node_run *r)
{
	for (size_t i = 0; i < r->n; i++)
		doctor_free(&r->c[i].d);
	free(r->c);
	dbp_node_free(&r->node);
}

static const char *status_name(int status)
{
	static const char *const names[] = { "ok", "warning", "critical", "unknown" };

	return status >= 0 && status <= 3 ? names[status] : "unknown";
}

/* ---- text ---- */

static void text(FILE *out, struct node_run *r, const struct dbp_opts *o)
{
	struct dbp_text t;
	char when[32], sev[32];

	dbp_text_init(&t, o);
	t.out = out;
	if (out != stdout)
		t.color = 0;
	fprintf(out, "dbpod doctor --all-containers, %s UTC\n\n",
		dbp_time_format((double)r->when, when, sizeof(when)));
	fprintf(out, "%-12s  %-20s %-10s %7s  %-13s %-8s %-7s %-8s  %s\n", "CONTAINER", "NAME",
		"PIDNS", "PID1", "DATABASE", "STOP", "GRACE", "STATUS", "WORST FINDING");
	for (size_t i = 0; i < r->n; i++) {
		const struct ctr *c = &r->c[i];
		const struct dbp_finding *w = c->d.all.n ? &c->d.all.items[0] : NULL;
		char name[64], id[13], msg[512], stop[24], grace[16];

		snprintf(id, sizeof(id), "%.12s", c->id.id[0] ? c->id.id : "-");
		dbp_text_safe(c->meta.name[0] ? c->meta.name : "-", name, 21);
		if (w && w->severity > DBP_INFO)
			dbp_text_safe(w->message, msg, t.width > 126 ? (size_t)t.width - 96 : 30);
		/* "?": not known, every plausible signal judged; "s?": the
		 * runtime's default grace assumed (the legend says so) */
		if (c->stop_signal)
			dbp_signal_name(c->stop_signal, stop, sizeof(stop));
		else
			snprintf(stop, sizeof(stop), "?");
		snprintf(grace, sizeof(grace), "%ds%s", c->grace,
			 strstr(c->grace_from, "default") ? "?" : "");
		fprintf(out, "%-12s  %-20s %-10llu %7d  %-13s %-8s %-7s %-8s  %s%s%s\n", id, name,
			c->ns->ino, (int)c->ns->init_host_pid, c->db ? dbp_db_name(c->db) : "-", stop,
			grace, dbp_text_severity(&t, dbp_report_status(&c->d.all), sev, sizeof(sev)),
			w && w->severity > DBP_INFO ? w->id : "-", w && w->severity > DBP_INFO ? " " : "",
			w && w->severity > DBP_INFO ? msg : "");
	}
	fprintf(out, "\n%zu judged", r->n);
	if (r->without_db)
		fprintf(out, "; %zu PID namespace%s without a database not judged (--all)",
			r->without_db, r->without_db == 1 ? "" : "s");
	if (r->gone)
		fprintf(out, "; %zu gone while dbpod read (PID 1 exited)", r->gone);
	if (r->node.unreadable)
		fprintf(out, "; %zu process%s whose PID namespace could not be read "
			"(CAP_SYS_PTRACE)", r->node.unreadable, r->node.unreadable == 1 ? "" : "es");
	fprintf(out, ".\n");
	{
		int unknown_stop = 0, assumed_grace = 0;

		for (size_t i = 0; i < r->n; i++) {
			unknown_stop |= !r->c[i].stop_signal;
			assumed_grace |= !!strstr(r->c[i].grace_from, "default");
		}
		if (unknown_stop)
			fprintf(out, "STOP ?: not read from a runtime; every signal it may be "
				"stopped with is judged.\n");
		if (assumed_grace)
			fprintf(out, "GRACE s?: no grace period recorded; the runtime's default "
				"is assumed (--grace=SECONDS to set one).\n");
	}
	fprintf(out, "`dbpod doctor` inside a container, or --format=json, for the findings and "
		"where each value was read.\n\n");
	fprintf(out, "Status: %s\n", dbp_text_severity(&t, r->status == 0 ? DBP_OK :
		r->status == 1 ? DBP_WARNING : r->status == 2 ? DBP_CRITICAL : DBP_UNKNOWN,
		sev, sizeof(sev)));
}

/* ---- JSON ---- */

static struct json_object *str_or_null(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

/* The stop signal judged, where it was read, or why it is unknown and
 * which were judged instead. */
static void stop_json(struct json_object *j, const struct ctr *c)
{
	struct json_object *judged = json_object_new_array();
	char sn[24];

	json_object_object_add(j, "stop_signal", c->stop_signal ? json_object_new_string(
		dbp_signal_name(c->stop_signal, sn, sizeof(sn))) : NULL);
	json_object_object_add(j, "stop_signal_from", str_or_null(c->stop_from));
	json_object_object_add(j, "stop_signal_source", c->stop_from &&
			       !strcmp(c->stop_from, "runtime") ? str_or_null(c->meta.stop_source) : NULL);
	json_object_object_add(j, "stop_signal_unknown", c->stop_signal ? NULL :
			       c->stop_unread ? str_or_null(c->meta.stop_unknown) :
			       json_object_new_string("no runtime stops it: SIGTERM and SIGINT are "
						      "judged, as dbpod inside does"));
	if (c->stop_signal) {
		json_object_array_add(judged, json_object_new_string(sn));
	} else {
		json_object_array_add(judged, json_object_new_string("SIGTERM"));
		json_object_array_add(judged, json_object_new_string("SIGINT"));
		if (c->stop_unread)
			json_object_array_add(judged, json_object_new_string("SIGQUIT"));
	}
	json_object_object_add(j, "stop_signals_judged", judged);
}

/* Where node mode looked for the runtimes' state, and why there. */
static struct json_object *dirs_json(const struct dbp_runtime_dirs *d)
{
	struct json_object *o = json_object_new_object(), *a, *e;

	a = json_object_new_array();
	for (size_t i = 0; i < d->ndocker; i++) {
		e = json_object_new_object();
		json_object_object_add(e, "data_root", json_object_new_string(d->docker[i].path));
		json_object_object_add(e, "from", json_object_new_string(d->docker[i].from));
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "docker", a);
	a = json_object_new_array();
	for (size_t i = 0; i < d->ncontainerd; i++) {
		e = json_object_new_object();
		json_object_object_add(e, "state", json_object_new_string(d->containerd[i].path));
		json_object_object_add(e, "root", json_object_new_string(d->containerd[i].root));
		json_object_object_add(e, "from", json_object_new_string(d->containerd[i].from));
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "containerd", a);
	e = json_object_new_object();
	json_object_object_add(e, "graphroot", json_object_new_string(d->graphroot));
	json_object_object_add(e, "runroot", json_object_new_string(d->runroot));
	json_object_object_add(e, "driver", json_object_new_string(d->driver));
	json_object_object_add(e, "from", json_object_new_string(d->storage_from));
	json_object_object_add(o, "containers_storage", e);
	if (d->err) {
		e = json_object_new_object();
		json_object_object_add(e, "file", json_object_new_string(d->err_file));
		json_object_object_add(e, "error", json_object_new_string(strerror(-d->err)));
		json_object_object_add(o, "error", e);
	}
	return o;
}

static struct json_object *node_json(struct node_run *r)
{
	struct json_object *o = json_object_new_object(), *list = json_object_new_array();

	json_object_object_add(o, "dbpod", json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(o, "command", json_object_new_string("doctor"));
	json_object_object_add(o, "mode", json_object_new_string("all-containers"));
	json_object_object_add(o, "status", json_object_new_string(status_name(r->status)));
	for (size_t i = 0; i < r->n; i++) {
		struct ctr *c = &r->c[i];
		struct json_object *j = doctor_json(&c->d);

		/* who it is, so that a person can find it again */
		json_object_object_add(j, "pidns", json_object_new_uint64(c->ns->ino));
		json_object_object_add(j, "host_pid1", json_object_new_int(c->ns->init_host_pid));
		json_object_object_add(j, "container_id", str_or_null(c->id.id));
		json_object_object_add(j, "runtime", str_or_null(c->runtime));
		if (!c->runtime[0])
			json_object_object_add(j, "runtime_unknown", str_or_null(c->runtime_unknown));
		json_object_object_add(j, "pod_uid", str_or_null(c->id.pod_uid));
		json_object_object_add(j, "qos", str_or_null(dbp_pod_qos_name(c->id.qos)));
		json_object_object_add(j, "container_name", str_or_null(c->meta.name));
		json_object_object_add(j, "image", str_or_null(c->meta.image));
		json_object_object_add(j, "pod_name", str_or_null(c->meta.pod_name));
		json_object_object_add(j, "pod_namespace", str_or_null(c->meta.pod_namespace));
		json_object_object_add(j, "containerd_namespace", str_or_null(c->meta.ctr_namespace));
		stop_json(j, c);
		json_object_object_add(j, "grace_seconds", json_object_new_int(c->grace));
		json_object_object_add(j, "grace_from", str_or_null(c->grace_from));
		json_object_object_add(j, "grace_source", str_or_null(c->grace_source));
		/* the runtime's log file read for the server's, which logs to
		 * a pipe, or why none was: null where the server's own log
		 * was read (or no server's) */
		if (c->log.wanted) {
			struct json_object *e = json_object_new_object();

			json_object_object_add(e, "path", c->log.used ? str_or_null(c->log.path) : NULL);
			json_object_object_add(e, "rotated", c->log.used && c->log.rotated[0] ?
					       str_or_null(c->log.rotated) : NULL);
			json_object_object_add(e, "unread", c->log.used ? NULL :
					       str_or_null(c->log.missing));
			json_object_object_add(j, "runtime_log", e);
		} else {
			json_object_object_add(j, "runtime_log", NULL);
		}
		if (c->meta.err) {
			/* a runtime file that is there but could not be read */
			struct json_object *e = json_object_new_object();

			json_object_object_add(e, "file", json_object_new_string(c->meta.err_file));
			json_object_object_add(e, "error", json_object_new_string(strerror(-c->meta.err)));
			json_object_object_add(j, "runtime_error", e);
		}
		json_object_object_add(j, "database", c->db ? json_object_new_string(dbp_db_id(c->db)) : NULL);
		json_object_array_add(list, j);
	}
	json_object_object_add(o, "containers", list);
	json_object_object_add(o, "runtime_dirs", dirs_json(&r->dirs));
	json_object_object_add(o, "namespaces_without_database", json_object_new_uint64(r->without_db));
	json_object_object_add(o, "namespaces_gone", json_object_new_uint64(r->gone));
	{
		/* which: their inodes, for a person comparing two runs */
		struct json_object *gone = json_object_new_array();

		for (size_t k = 0; k < r->node.n; k++)
			if (!r->node.ns[k].init_host_pid)
				json_object_array_add(gone, json_object_new_uint64(r->node.ns[k].ino));
		json_object_object_add(o, "gone_pidns", gone);
	}
	json_object_object_add(o, "processes_unreadable", json_object_new_uint64(r->node.unreadable));
	json_object_object_add(o, "processes_own_namespace", json_object_new_uint64(r->node.self_procs));
	return o;
}

/* ---- Prometheus ---- */

static int prometheus(FILE *out, struct node_run *r)
{
	struct dbp_metrics all;
	int rc = 0;

	dbp_metrics_init(&all);
	for (size_t i = 0; i < r->n && rc == 0; i++) {
		struct ctr *c = &r->c[i];
		struct dbp_metrics m;
		char ino[32], *labels;
		const char *kv[] = {
			"pidns", ino, "container_id", c->id.id, "pod_uid", c->id.pod_uid,
			"container_name", c->meta.name, "image", c->meta.image, NULL
		};

		snprintf(ino, sizeof(ino), "%llu", c->ns->ino);
		labels = dbp_metrics_labels(kv);
		dbp_metrics_init(&m);
		doctor_metrics(&c->d, &m);
		rc = labels ? dbp_metrics_merge_labeled(&all, &m, labels) : -ENOMEM;
		free(labels);
		dbp_metrics_free(&m);
	}
	dbp_metric(&all, "dbpod_node_pid_namespaces", "gauge",
		   "PID namespaces dbpod's node mode saw, other than its own.",
		   (double)r->n, "state", "judged", NULL);
	dbp_metric(&all, "dbpod_node_pid_namespaces", "gauge",
		   "PID namespaces dbpod's node mode saw, other than its own.",
		   (double)r->without_db, "state", "without_database", NULL);
	dbp_metric(&all, "dbpod_node_pid_namespaces", "gauge",
		   "PID namespaces dbpod's node mode saw, other than its own.",
		   (double)r->gone, "state", "gone", NULL);
	dbp_metric(&all, "dbpod_node_processes_unreadable", "gauge",
		   "Processes whose PID namespace node mode could not read (no CAP_SYS_PTRACE).",
		   (double)r->node.unreadable, NULL);
	if (rc == 0)
		rc = dbp_metrics_render(out, &all);
	dbp_metrics_free(&all);
	return rc;
}

/* ---- one run, written where it goes ---- */

static void render(FILE *out, struct node_run *r, const struct dbp_opts *o)
{
	switch (o->format) {
	case DBP_FORMAT_JSON: {
		struct json_object *j = node_json(r);

		dbp_json_print(out, j, out == stdout && isatty(STDOUT_FILENO));
		json_object_put(j);
		break;
	}
	case DBP_FORMAT_PROMETHEUS:
		prometheus(out, r);
		break;
	case DBP_FORMAT_ONELINE:
		/* each container's findings after its name, else its short
		 * id, else its PID namespace (a namespace no runtime made) */
		for (size_t i = 0; i < r->n; i++) {
			char id[32];

			if (r->c[i].id.id[0])
				snprintf(id, sizeof(id), "%.12s", r->c[i].id.id);
			else
				snprintf(id, sizeof(id), "pidns:%llu", r->c[i].ns->ino);
			dbp_oneline_findings(out, &r->c[i].d.all,
					     r->c[i].meta.name[0] ? r->c[i].meta.name : id);
		}
		break;
	case DBP_FORMAT_TEXT:
		text(out, r, o);
		break;
	}
}

/* FILE replaced whole or not at all: a textfile collector that reads it
 * mid-write would drop every series (node-exporter reads *.prom only, so
 * the temporary name does not end in .prom). Both names are in dir, the
 * directory opened once at the start (safeopen.h): the temporary file is
 * new (O_EXCL, never through a link) and renamed over name, which
 * replaces whatever stands there rather than writing into it. */
static int write_atomically(struct dbp_outdir *dir, const char *name, struct node_run *r,
			    const struct dbp_opts *o)
{
	char tmp[4096];
	FILE *f;
	int fd, rc = 0;

	fd = dbp_outdir_replace_begin(dir, name, tmp, sizeof(tmp));
	if (fd < 0)
		return fd;
	if (!(f = fdopen(fd, "w"))) {
		rc = -errno;
		close(fd);
		dbp_outdir_file_unlink(dir, tmp);
		return rc;
	}
	render(f, r, o);
	if (fflush(f) || ferror(f))
		rc = errno ? -errno : -EIO;
	if (rc)
		dbp_outdir_file_unlink(dir, tmp);
	else
		rc = dbp_outdir_replace_commit(dir, tmp, name, fileno(f));
	if (fclose(f) && !rc)
		rc = -errno;
	return rc;
}

static volatile sig_atomic_t stop_asked;

static void on_stop(int sig)
{
	(void)sig;
	stop_asked = 1;
}

int doctor_node(const struct doctor_node_opts *no, const struct dbp_opts *o)
{
	struct dbp_outdir dir = { .fd = -1 };
	const char *name = NULL;
	int status = DBP_EXIT_UNKNOWN;

	/* -o FILE's directory, opened and judged once, before any run: a
	 * refusal is said at once, and --every writes every run there */
	if (o->out_file) {
		int rc = dbp_outdir_open(&dir, o->out_file, &name);

		if (rc < 0) {
			warnx("cannot write '%s': %s", o->out_file, dbp_outdir_strerror(&dir, rc));
			return DBP_EXIT_UNKNOWN;
		}
	}
	if (no->every > 0) {
		/* finish the file being written, then go: a DaemonSet's pod
		 * stops with SIGTERM */
		struct sigaction sa = { .sa_handler = on_stop };

		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
	}
	do {
		struct node_run r;
		struct timespec start, now;
		int rc;

		clock_gettime(CLOCK_MONOTONIC, &start);
		rc = judge_node(&r, no, o);
		if (rc < 0) {
			warnx("cannot read the node's processes from /proc: %s", strerror(-rc));
			status = DBP_EXIT_UNKNOWN;
		} else {
			status = r.status;
			if (!o->out_file)
				render(stdout, &r, o);
			else if ((rc = write_atomically(&dir, name, &r, o)) < 0) {
				dbp_warnx("cannot write '%s': %s", o->out_file,
					  dbp_outdir_strerror(&dir, rc));
				status = DBP_EXIT_UNKNOWN;
			}
			fflush(stdout);
		}
		free_node(&r);
		if (no->every <= 0)
			break;
		/* the next run --every seconds after this one began */
		clock_gettime(CLOCK_MONOTONIC, &now);
		for (long left = no->every * 1000L - ((now.tv_sec - start.tv_sec) * 1000L +
			(now.tv_nsec - start.tv_nsec) / 1000000L); left > 0 && !stop_asked; left -= 100) {
			struct timespec ts = { 0, 100 * 1000000L };

			nanosleep(&ts, NULL);
		}
	} while (!stop_asked);
	dbp_outdir_close(&dir);
	return status;
}

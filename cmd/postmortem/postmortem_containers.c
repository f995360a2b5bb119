/*
 * dbpod postmortem on a node recording (snapshot --all-containers): which
 * containers it holds, and --container, the one to read.
 *
 * A container is a PID namespace of the node, named by its namespace
 * lines (container ID, runtime, pod, name, image, where the recorder could
 * tell). The kernel gives the inode of an ended namespace to the next, so
 * a namespace is its inode and its PID 1; a container restarted in place
 * (docker restart, podman restart: the same ID) is several namespaces, one
 * after the other, read together as one container whose PIDs were reused.
 */
#include "config.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postmortem.h"
#include "rec/recread.h"
#include "timestamp.h"

/* Does arg name n: its container ID or a prefix of it (as docker ps and
 * crictl print 12 digits), its name, or its PID namespace's inode (the
 * PIDNS of doctor --all-containers, for a namespace no runtime names)? */
static int names(const struct dbp_rec_pidns *n, const char *arg)
{
	size_t len = strlen(arg);
	char *end;
	unsigned long long v;

	if (!len)
		return 0;
	if (n->id[0] && len <= 64 && strspn(arg, "0123456789abcdef") == len &&
	    !strncmp(n->id, arg, len))
		return 1;
	if (n->name[0] && !strcmp(n->name, arg))
		return 1;
	v = strtoull(arg, &end, 10);
	return arg[0] >= '0' && arg[0] <= '9' && !*end && v == n->ino;
}

/* One container, restarted or not: the same ID. */
static int same_container(const struct dbp_rec_pidns *a, const struct dbp_rec_pidns *b)
{
	return a == b || (a->id[0] && !strcmp(a->id, b->id));
}

/* The table of namespaces which (all when NULL) on f, for a person to
 * pick one: what the namespace lines say, and when they said it. */
static void list(FILE *f, const struct dbp_recording *rec, const size_t *which, size_t n)
{
	char a[32], b[32], name[64], image[64];

	fprintf(f, "  %-11s %-12s %-20s %-24s %s\n", "PIDNS", "CONTAINER", "NAME", "IMAGE",
		"NAMED (UTC)");
	for (size_t i = 0; i < n; i++) {
		const struct dbp_rec_pidns *p = &rec->pidns[which ? which[i] : i];

		fprintf(f, "  %-11llu %-12.12s %-20s %-24s %s .. %s\n", p->ino, p->id[0] ? p->id : "-",
			dbp_text_safe(p->name[0] ? p->name : "-", name, 21),
			dbp_text_safe(p->image[0] ? p->image : "-", image, 25),
			dbp_time_format(p->first, a, sizeof(a)), dbp_time_clock(p->last, b, sizeof(b)));
	}
}

int pm_containers_read(struct pm_ctx *c)
{
	int rc;

	if (c->containers_read)
		return 0;
	rc = dbp_recording_namespaces(&c->rec);
	if (rc < 0) {
		warnx("cannot read the recording: out of memory");
		return -1;
	}
	c->containers_read = 1;
	return 0;
}

int pm_containers_select(struct pm_ctx *c, const struct pm_opts *o)
{
	const char *arg = o->container;
	struct dbp_recording *rec = &c->rec;
	size_t *sel;
	size_t n = 0;

	if (!rec->all_containers) {
		dbp_warnx("--container '%s': %s records one PID namespace, numbered as it numbers "
		      "itself; --container reads one container of a node recording (dbpod "
		      "snapshot --all-containers): read this one without it", arg, o->files[0]);
		return -1;
	}
	if (pm_containers_read(c) < 0)
		return -1;
	if (!rec->npidns) {
		dbp_warnx("--container '%s': the recording holds no container, only the node's "
		      "own processes: read it without --container", arg);
		return -1;
	}
	sel = calloc(rec->npidns, sizeof(*sel));
	if (!sel) {
		warnx("out of memory");
		return -1;
	}
	for (size_t i = 0; i < rec->npidns; i++)
		if (names(&rec->pidns[i], arg))
			sel[n++] = i;
	if (!n) {
		dbp_warnx("--container '%s': no container of the recording has that ID, name or PID "
		      "namespace; it holds:", arg);
		list(stderr, rec, NULL, rec->npidns);
		free(sel);
		return -1;
	}
	for (size_t i = 1; i < n; i++) {
		if (same_container(&rec->pidns[sel[0]], &rec->pidns[sel[i]]))
			continue;
		dbp_warnx("--container '%s' names %zu containers of the recording; give one's "
		      "container ID (or its PIDNS when it has none):", arg, n);
		list(stderr, rec, sel, n);
		free(sel);
		return -1;
	}
	c->pidns = sel;
	c->npidns = n;
	return 0;
}

int pm_containers_refuse(struct pm_ctx *c, const char *why)
{
	dbp_warnx("%s; the recording holds these (--container ID|NAME):", why);
	if (pm_containers_read(c) == 0)
		list(stderr, &c->rec, NULL, c->rec.npidns);
	return DBP_EXIT_UNKNOWN;
}

/* ---- what each container did, for the summary ---- */

/* Its processes in the replay (a replay of the whole node), and its
 * PID 1 as the recording holds it. */
struct ctr_facts {
	size_t procs, live;
	double first, last;
	const struct dbp_rec_proc *pid1;
};

static void facts(const struct pm_ctx *c, size_t idx, struct ctr_facts *f)
{
	const struct dbp_recording *rec = &c->rec;
	const struct dbp_rec_pidns *n = &rec->pidns[idx];

	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < rec->nprocs; i++) {
		const struct dbp_rec_proc *rp = &rec->procs[i];

		if (rp->pidns != (long)idx)
			continue;
		f->procs++;
		f->live += dbp_rec_proc_alive(rp, c->last_t);
		if (!f->first || rp->first < f->first)
			f->first = rp->first;
		if (rp->last > f->last)
			f->last = rp->last;
		if (n->pid1 && rp->rec_pid == n->pid1 && rp->start == n->pid1_start)
			f->pid1 = rp;
	}
}

#define CTR_WIDE 120	/* columns for the one-row layout and PID 1's words */

void pm_containers_text(const struct dbp_text *t, const struct pm_ctx *c)
{
	const struct dbp_recording *rec = &c->rec;
	char a[32], b[32], name[64], cmd[64];

	dbp_text_field(t, "Containers", "%zu PID namespace%s besides the node's own; the PIDs "
		       "above are the node's, --container ID|NAME reads one container in its own",
		       rec->npidns, rec->npidns == 1 ? "" : "s");
	if (!rec->npidns)
		return;
	/* a row is 84 columns and PID 1's words: on a narrower terminal the
	 * name, times and PID 1 go on a wrapped line under PIDNS, CONTAINER
	 * and PROCS */
	if (t->width >= CTR_WIDE)
		fprintf(t->out, "\n%-11s %-12s %-20s %5s %-19s %-8s  %s\n", "PIDNS", "CONTAINER",
			"NAME", "PROCS", "FIRST SEEN", "LAST", "PID 1");
	else
		fprintf(t->out, "\n%-11s %-12s %5s\n%12s%s\n", "PIDNS", "CONTAINER", "PROCS", "",
			"NAME, FIRST .. LAST, PID 1");
	for (size_t i = 0; i < rec->npidns; i++) {
		const struct dbp_rec_pidns *n = &rec->pidns[i];
		struct ctr_facts f;
		const struct dbp_proc *p1;
		char line[256];

		facts(c, i, &f);
		p1 = f.pid1 ? dbp_rec_proc_at(f.pid1, f.pid1->first) : NULL;
		dbp_text_safe(n->name[0] ? n->name : "-", name, 21);
		if (f.first)
			dbp_time_format(f.first, a, sizeof(a));
		if (f.last)
			dbp_time_clock(f.last, b, sizeof(b));
		if (p1)
			dbp_text_safe(dbp_proc_name(p1), cmd, 17);
		if (t->width >= CTR_WIDE) {
			fprintf(t->out, "%-11llu %-12.12s %-20s %5zu %-19s %-8s  %s%s\n", n->ino,
				n->id[0] ? n->id : "-", name, f.procs, f.first ? a : "-",
				f.last ? b : "-", p1 ? cmd : "(not recorded)",
				!f.pid1 ? "" : f.pid1->gone ? ", gone: the namespace ended" :
				", to the end");
			continue;
		}
		fprintf(t->out, "%-11llu %-12.12s %5zu\n", n->ino, n->id[0] ? n->id : "-", f.procs);
		snprintf(line, sizeof(line), "%s, %s .. %s, %s%s", name, f.first ? a : "-",
			 f.last ? b : "-", p1 ? cmd : "(not recorded)",
			 !f.pid1 ? "" : f.pid1->gone ? ", gone: the namespace ended" : ", to the end");
		dbp_text_wrap(t, 12, "            ", line);
	}
}

static struct json_object *str_or_null(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

struct json_object *pm_container_json(const struct pm_ctx *c, size_t idx)
{
	const struct dbp_rec_pidns *n = &c->rec.pidns[idx];
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "pidns", json_object_new_uint64(n->ino));
	json_object_object_add(o, "host_pid1", n->pid1 ? json_object_new_int(n->pid1) : NULL);
	json_object_object_add(o, "container_id", str_or_null(n->id));
	json_object_object_add(o, "runtime", str_or_null(n->runtime));
	json_object_object_add(o, "pod_uid", str_or_null(n->pod_uid));
	json_object_object_add(o, "qos", str_or_null(n->qos));
	json_object_object_add(o, "container_name", str_or_null(n->name));
	json_object_object_add(o, "image", str_or_null(n->image));
	json_object_object_add(o, "named_from", pm_json_time(n->first));
	json_object_object_add(o, "named_to", pm_json_time(n->last));
	return o;
}

struct json_object *pm_containers_json(const struct pm_ctx *c)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < c->rec.npidns; i++) {
		struct json_object *o = pm_container_json(c, i);
		struct ctr_facts f;

		facts(c, i, &f);
		json_object_object_add(o, "processes_seen", json_object_new_int64((int64_t)f.procs));
		json_object_object_add(o, "processes_at_end", json_object_new_int64((int64_t)f.live));
		json_object_object_add(o, "first_seen", f.first ? pm_json_time(f.first) : NULL);
		json_object_object_add(o, "last_seen", f.last ? pm_json_time(f.last) : NULL);
		json_object_object_add(o, "pid1_gone", f.pid1 ? json_object_new_boolean(f.pid1->gone) : NULL);
		json_object_array_add(a, o);
	}
	return a;
}

/*
 * dbpod oomscore: who the OOM killer takes first, and why.
 *
 * The live process table in kill order, the container's cgroup memory
 * picture (read through the root prefix), and the rules of
 * lib/rules_oomscore.c. From the postmaster's environment only
 * PG_OOM_ADJUST_FILE and PG_OOM_ADJUST_VALUE are read.
 */
#include "config.h"

#include <stddef.h>
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroupread.h"
#include "classify.h"
#include "dbpod.h"
#include "numparse.h"
#include "path.h"
#include "procenv.h"
#include "procread.h"
#include "rules_oomscore.h"

/* oomscore's own options; doctor judges with their defaults */
struct own_opts {
	double warn;			/* -w, --warning */
	double crit;			/* -c, --critical */
	pid_t *pids;			/* PID... */
	size_t npids;
};

static const struct own_opts own_defaults = { .warn = 80, .crit = 90 };

/* what the parser fills: the shared options first (check_alone) */
struct opts {
	struct dbp_opts g;
	struct own_opts own;
};
/* check_alone reads the command's options from the shared ones it is handed */
_Static_assert(offsetof(struct opts, g) == 0, "struct opts begins with its struct dbp_opts");

static const struct argp_option options[] = {
	{ "warning", 'w', "PERCENT", 0,
	  "Warn when the working set reaches PERCENT of the memory limit (default 80)", 0 },
	{ "critical", 'c', "PERCENT", 0,
	  "Critical when the working set reaches PERCENT of the memory limit (default 90)", 0 },
	{ 0 }
};

static double parse_pct(struct argp_state *state, const char *opt, const char *arg)
{
	char num[32];
	size_t len = strlen(arg);
	double v = 0;

	/* "80" or "80%" */
	snprintf(num, sizeof(num), "%.*s", (int)(len && arg[len - 1] == '%' ? len - 1 : len), arg);
	if (len >= sizeof(num) || dbp_parse_real(num, 0, 1000, &v) < 0 || v <= 0)
		argp_error(state, "%s takes a percentage above 0, not '%s'", opt, arg);
	return v;
}

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct opts *o = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		dbp_argp_share(state, &o->g);
		break;
	case 'w':
		o->own.warn = parse_pct(state, "--warning", arg);
		break;
	case 'c':
		o->own.crit = parse_pct(state, "--critical", arg);
		break;
	case ARGP_KEY_ARG:
		dbp_argp_live_pid(state, arg, &o->own.pids, &o->own.npids);
		break;
	case ARGP_KEY_END:
		if (o->own.warn > o->own.crit)
			argp_error(state, "--warning (%g%%) is above --critical (%g%%)",
				   o->own.warn, o->own.crit);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	options, parse, "[PID...]",
	"Show the processes in the order the OOM killer would take them "
	"(oom_score, oom_score_adj, RSS), the Kubernetes QoS class their "
	"oom_score_adj implies, and the container's cgroup memory picture: "
	"limit, usage, working set, swap, memory.oom.group and the OOM kills "
	"already recorded. With PIDs: those processes only.",
	dbp_global_child, NULL, NULL
};

struct view {
	const struct dbp_table *t;	/* NULL: not readable */
	pid_t cg_of;			/* the cgroup is this process's, not dbpod's; 0 dbpod's */
	const struct dbp_oom_input *in;	/* in->only: the PIDs asked for */
	int procs;			/* the process list in the JSON: --format=json */
	size_t *order;
	size_t norder;
	struct dbp_qos_reading qos;
};

static void text_cgroup(const struct dbp_text *t, const struct dbp_cgroup_mem *cg)
{
	char b1[32], b2[32];
	double pct = dbp_oom_working_pct(cg);

	if (!cg) {
		dbp_text_field(t, "Cgroup", "not found (see DBO301)");
		return;
	}
	if (!cg->version) {
		dbp_text_field(t, "Cgroup", "%s", cg->unmounted ?
			       "not mounted here: the limit cannot be read" :
			       "no memory controller: no container memory limit");
		return;
	}
	dbp_text_field(t, "Cgroup", "v%d %s (%s%s%s)", cg->version, cg->path, cg->dir,
		       cg->fallback ? ", the mount's root: the path is not below it" : "",
		       cg->from_host ? ", the host's hierarchy: the container mounts none" : "");
	dbp_text_field(t, "Limit", "%s", (cg->have & DBP_CG_LIMIT) ?
		       dbp_cgroup_bytes(cg->limit, b1, sizeof(b1)) : "unknown");
	if (cg->have & DBP_CG_USAGE) {
		dbp_text_field(t, "Usage", "%s", dbp_cgroup_bytes(cg->usage, b1, sizeof(b1)));
		if (pct >= 0)
			dbp_text_field(t, "Working set", "%s (%.0f%% of the limit)",
				       dbp_cgroup_bytes(dbp_cgroup_working_set(cg), b2, sizeof(b2)), pct);
		else
			dbp_text_field(t, "Working set", "%s",
				       dbp_cgroup_bytes(dbp_cgroup_working_set(cg), b2, sizeof(b2)));
	}
	if (cg->have & DBP_CG_SWAP)
		dbp_text_field(t, cg->version == 1 ? "Memory+swap" : "Swap limit", "%s",
			       dbp_cgroup_bytes(cg->swap_limit, b1, sizeof(b1)));
	if (cg->have & DBP_CG_OOM_GROUP)
		dbp_text_field(t, "oom.group", "%d%s", cg->oom_group,
			       cg->oom_group ? " (one OOM kill takes every process)" : "");
	{
		char ev[160];
		size_t n = 0;

		ev[0] = '\0';
#define EV(flag, name, val) \
	do { \
		if ((cg->have & (flag)) && n < sizeof(ev)) \
			n += (size_t)snprintf(ev + n, sizeof(ev) - n, "%s%s %" PRIu64, \
					      n ? ", " : "", (name), (val)); \
	} while (0)
		EV(DBP_CG_OOM, "oom", cg->oom);
		EV(DBP_CG_OOM_KILL, "oom_kill", cg->oom_kill);
		EV(DBP_CG_GROUP_KILL, "oom_group_kill", cg->oom_group_kill);
		EV(DBP_CG_FAILCNT, "failcnt", cg->failcnt);
#undef EV
		dbp_text_field(t, "OOM events", "%s", n ? ev : "not readable");
	}
}

static void text_facts(const struct dbp_text *t, void *arg)
{
	const struct view *v = arg;
	char buf[4096];

	text_cgroup(t, v->in->cg);
	if (v->cg_of)
		dbp_text_field(t, "", "the cgroup of PID %d, the database (dbpod runs in "
			       "another)", (int)v->cg_of);
	if (v->qos.pid)
		dbp_text_field(t, "QoS", "%s (oom_score_adj %d of PID %d)",
			       dbp_qos_name(v->qos.qos), v->qos.adj, (int)v->qos.pid);
	if (!v->t)
		return;
	fputc('\n', t->out);
	fprintf(t->out, "%5s %-8s %9s %9s %10s  %s\n", "PID", "USER", "OOM_SCORE",
		"OOM_ADJ", "RSS", "COMMAND");
	for (size_t i = 0; i < v->norder; i++) {
		const struct dbp_proc *p = &v->t->procs[v->order[i]];
		char score[16], user[9], cmd[256];

		if (!dbp_pid_selected(v->in->only, v->in->nonly, p->pid))
			continue;
		if (p->oom_adj == -1000)
			snprintf(score, sizeof(score), "never");
		else
			snprintf(score, sizeof(score), "%d", p->oom_score);
		/* one line per process: the command cut at the terminal's width,
		 * every byte of it and of the user name made safe for text */
		dbp_proc_cmdline(p, buf, sizeof(buf));
		fprintf(t->out, "%5d %-8s %9s %9d %7lu MB  %s\n", (int)p->pid,
			dbp_text_safe(p->user, user, sizeof(user)), score,
			p->oom_adj, (p->rss_kb + 512) / 1024,
			dbp_text_safe(buf, cmd, t->width > 60 ? (size_t)t->width - 46 : 15));
	}
	fputs("In kill order: the OOM killer takes the highest oom_score first "
	      "(\"never\": oom_score_adj -1000).\n", t->out);
}

static struct json_object *u64_or_null(int have, uint64_t v)
{
	if (!have)
		return NULL;
	if (v == DBP_CG_UNLIMITED)
		return json_object_new_string("max");
	return json_object_new_uint64(v);
}

static struct json_object *json_cgroup(const struct dbp_cgroup_mem *cg)
{
	struct json_object *o;
	struct json_object *ev;
	double pct;

	if (!cg)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "version", json_object_new_int(cg->version));
	json_object_object_add(o, "unmounted", json_object_new_boolean(cg->unmounted));
	if (!cg->version)
		return o;
	json_object_object_add(o, "from_host", json_object_new_boolean(cg->from_host));
	json_object_object_add(o, "path", json_object_new_string(cg->path));
	json_object_object_add(o, "dir", json_object_new_string(cg->dir));
	json_object_object_add(o, "mount_root_fallback", json_object_new_boolean(cg->fallback));
	json_object_object_add(o, "limit_bytes", u64_or_null(cg->have & DBP_CG_LIMIT, cg->limit));
	json_object_object_add(o, "usage_bytes", u64_or_null(cg->have & DBP_CG_USAGE, cg->usage));
	json_object_object_add(o, "inactive_file_bytes",
			       u64_or_null(cg->have & DBP_CG_INACTIVE, cg->inactive_file));
	json_object_object_add(o, "working_set_bytes",
			       u64_or_null(cg->have & DBP_CG_USAGE, dbp_cgroup_working_set(cg)));
	pct = dbp_oom_working_pct(cg);
	json_object_object_add(o, "working_set_percent",
			       pct >= 0 ? json_object_new_double(pct) : NULL);
	json_object_object_add(o, cg->version == 1 ? "memsw_limit_bytes" : "swap_limit_bytes",
			       u64_or_null(cg->have & DBP_CG_SWAP, cg->swap_limit));
	json_object_object_add(o, "oom_group", (cg->have & DBP_CG_OOM_GROUP) ?
			       json_object_new_int(cg->oom_group) : NULL);
	ev = json_object_new_object();
	if (cg->version == 2)
		json_object_object_add(ev, "oom", u64_or_null(cg->have & DBP_CG_OOM, cg->oom));
	json_object_object_add(ev, "oom_kill", u64_or_null(cg->have & DBP_CG_OOM_KILL, cg->oom_kill));
	if (cg->version == 2)
		json_object_object_add(ev, "oom_group_kill",
				       u64_or_null(cg->have & DBP_CG_GROUP_KILL, cg->oom_group_kill));
	else
		json_object_object_add(ev, "failcnt", u64_or_null(cg->have & DBP_CG_FAILCNT, cg->failcnt));
	json_object_object_add(o, "events", ev);
	return o;
}

static struct json_object *json_facts(const struct view *v)
{
	struct json_object *o = json_object_new_object();
	struct json_object *procs = json_object_new_array();
	struct json_object *q = json_object_new_object();
	const struct dbp_pg_oom_env *e = v->in->pg_env;

	json_object_object_add(o, "cgroup", json_cgroup(v->in->cg));
	/* beside the database or on the host: whose cgroup was read */
	json_object_object_add(o, "cgroup_of_pid", v->cg_of ? json_object_new_int(v->cg_of) : NULL);
	json_object_object_add(o, "node_memory_bytes", v->in->mem_total ?
			       json_object_new_uint64(v->in->mem_total) : NULL);
	json_object_object_add(q, "class", json_object_new_string(dbp_qos_name(v->qos.qos)));
	json_object_object_add(q, "pid", v->qos.pid ? json_object_new_int(v->qos.pid) : NULL);
	json_object_object_add(q, "oom_score_adj", v->qos.pid ? json_object_new_int(v->qos.adj) : NULL);
	json_object_object_add(q, "implied_request_bytes",
			       dbp_qos_request(v->qos.adj, v->in->mem_total) && v->qos.pid ?
			       json_object_new_uint64(dbp_qos_request(v->qos.adj, v->in->mem_total)) :
			       NULL);
	json_object_object_add(o, "qos", q);
	if (v->in->postmaster) {
		struct json_object *pm = json_object_new_object();

		json_object_object_add(pm, "pid", json_object_new_int(v->in->postmaster));
		json_object_object_add(pm, "environ_readable",
				       json_object_new_boolean(e && e->rc == 0));
		/* the only two values of environ dbpod ever prints */
		json_object_object_add(pm, "PG_OOM_ADJUST_FILE", e && e->file_set ?
				       json_object_new_string(e->file) : NULL);
		json_object_object_add(pm, "PG_OOM_ADJUST_VALUE", e && e->value_set ?
				       json_object_new_string(e->value) : NULL);
		json_object_object_add(o, "postmaster", pm);
	} else {
		json_object_object_add(o, "postmaster", NULL);
	}
	/* only JSON prints the process list (see signals' json_facts) */
	for (size_t i = 0; v->t && v->procs && i < v->norder; i++) {
		const struct dbp_proc *p = &v->t->procs[v->order[i]];
		struct json_object *jp;

		if (!dbp_pid_selected(v->in->only, v->in->nonly, p->pid))
			continue;
		jp = dbp_proc_json(v->t, p);
		json_object_object_add(jp, "kill_rank", json_object_new_int((int)i + 1));
		json_object_object_add(jp, "oom_score", json_object_new_int(p->oom_score));
		json_object_object_add(jp, "oom_score_adj", json_object_new_int(p->oom_adj));
		json_object_object_add(jp, "rss_kb", json_object_new_uint64(p->rss_kb));
		json_object_object_add(jp, "qos", json_object_new_string(
			dbp_qos_name(dbp_qos_from_adj(p->oom_adj))));
		json_object_array_add(procs, jp);
	}
	json_object_object_add(o, "processes", procs);
	return o;
}

/* The view and what it points into, kept for the text renderer. */
struct state {
	struct view v;		/* first: text_facts gets the state as its view */
	struct dbp_table t;
	struct dbp_cgroup_mem cg;
	struct dbp_pg_oom_env pg_env;
	struct dbp_oom_input in;
};

static void state_free(void *arg)
{
	struct state *s = arg;

	explicit_bzero(&s->pg_env, sizeof(s->pg_env));
	dbp_table_free(&s->t);
	free(s->v.order);
	free(s);
}

static int judge(struct dbp_result *res, const struct dbp_opts *o, const struct own_opts *own)
{
	struct state *s = calloc(1, sizeof(*s));
	struct dbp_report *r = &res->report;
	uint64_t kb;
	int trc, crc;

	dbp_result_init(res, "oomscore");
	if (!s)
		return -ENOMEM;
	res->view = s;
	res->view_free = state_free;
	dbp_table_init(&s->t);
	s->in.warn_pct = own->warn;
	s->in.crit_pct = own->crit;
	s->in.only = own->npids ? own->pids : NULL;
	s->in.nonly = own->npids;
	s->in.partial = dbp_proc_view_partial();

	trc = dbp_live_table(&s->t, DBP_HAVE_OOM);
	if (trc < 0)
		warnx("cannot read the process table from /proc: %s", strerror(-trc));
	crc = dbp_live_cgroup_read(trc < 0 ? NULL : &s->t, o, &s->cg, &s->v.cg_of);
	if (crc < 0) {
		char cgfile[64];

		if (dbp_live_target_init())
			snprintf(cgfile, sizeof(cgfile), "/proc/%d/cgroup", (int)dbp_live_target_init());
		else
			snprintf(cgfile, sizeof(cgfile), "/proc/self/cgroup");
		dbp_warnx("cannot read '%s%s': %s",
			  o->root && !dbp_live_target_init() ? o->root : "",
			  cgfile, crc == -EINVAL ? "not in the kernel's format" : strerror(-crc));
		s->in.cg_err = crc;
	} else {
		char dir[512];

		s->in.cg = &s->cg;
		/* the cgroup's path is named by whoever made the container */
		dbp_text_safe(s->cg.dir, dir, sizeof(dir));
		for (size_t i = 0; i < s->cg.nerrors; i++)
			dbp_warnx("cannot read %s in '%s': %s", s->cg.errors[i].file, dir,
				  s->cg.errors[i].err == -EINVAL ? "not in the kernel's format" :
				  strerror(-s->cg.errors[i].err));
	}
	if (trc < 0 && crc < 0) {
		/* nothing to judge: the rules say so, there are no facts */
		dbp_rules_oomscore(NULL, &s->in, r);
		return -EIO;
	}
	/* MemTotal is in kB; Burstable's request is a share of it */
	if (dbp_path_read_key(o->root, "/proc/meminfo", "MemTotal:", &kb) == 0)
		s->in.mem_total = kb * 1024;

	s->v.t = trc < 0 ? NULL : &s->t;
	s->v.in = &s->in;
	s->v.procs = o->format == DBP_FORMAT_JSON;
	if (s->v.t) {
		s->v.order = calloc(s->t.n ? s->t.n : 1, sizeof(*s->v.order));
		if (!s->v.order)
			return -ENOMEM;
		s->v.norder = dbp_oom_order(&s->t, s->v.order, s->t.n);
		{
			const struct dbp_proc *pm = dbp_postmaster_find(&s->t, 0, NULL);

			s->in.postmaster = pm ? pm->pid : 0;
		}
		if (s->in.postmaster) {
			dbp_pg_oom_env_read(NULL, dbp_proc_fspid(dbp_table_find(&s->t, s->in.postmaster)),
					    &s->pg_env);
			s->in.pg_env = &s->pg_env;
		}
		dbp_oom_qos_source(&s->t, s->in.postmaster, &s->v.qos);
	}

	dbp_rules_oomscore(s->v.t, &s->in, r);
	dbp_cgroup_metrics(s->in.cg, &res->metrics);
	res->facts = json_facts(&s->v);
	res->text_facts = text_facts;
	return 0;
}

int check_oomscore(struct dbp_result *res, const struct dbp_opts *o)
{
	return judge(res, o, &own_defaults);
}

/* the command's run: g is the shared part of its struct opts */
static int check_alone(struct dbp_result *res, const struct dbp_opts *g)
{
	return judge(res, g, &((const struct opts *)g)->own);
}

int cmd_oomscore(int argc, char **argv, const struct dbp_opts *o)
{
	struct opts opts = { .g = *o, .own = own_defaults };
	int rc;

	dbp_argp_parse(&argp, argc, argv, &opts, &opts.g);
	rc = dbp_run_check("oomscore", check_alone, &opts.g);
	free(opts.own.pids);
	return rc;
}

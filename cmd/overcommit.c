/*
 * dbpod overcommit: memory overcommit and the kernel's memory settings,
 * judged for the database that runs.
 *
 * Everything but the process table (for the profile) is read through the
 * root prefix: /proc/meminfo, /proc/sys/vm, transparent huge pages and the
 * cgroup's limit.
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
#include "node/container.h"
#include "dbpod.h"
#include "meminforead.h"
#include "procread.h"
#include "rules_overcommit.h"

/* what the parser fills: the shared options first (check_alone), then
 * overcommit's own, which doctor leaves at -1 */
struct opts {
	struct dbp_opts g;
	int profile;			/* --profile; -1: detect */
};
/* check_alone reads the command's options from the shared ones it is handed */
_Static_assert(offsetof(struct opts, g) == 0, "struct opts begins with its struct dbp_opts");

enum { OPT_PROFILE = 0x300 };

static const struct argp_option options[] = {
	{ "profile", OPT_PROFILE, "PROFILE", 0,
	  "Judge for postgres, redis, mongodb, mysql or generic (default: the "
	  "database server that runs, else generic)", 0 },
	{ 0 }
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct opts *o = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		dbp_argp_share(state, &o->g);
		break;
	case OPT_PROFILE:
		o->profile = dbp_profile_parse(arg);
		if (o->profile < 0)
			argp_error(state, "unknown profile '%s': use postgres, redis, mongodb, "
				   "mysql or generic", arg);
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	options, parse, NULL,
	"Read vm.overcommit_memory, overcommit_ratio and overcommit_kbytes, "
	"CommitLimit and Committed_AS, swap, huge pages, transparent huge pages, "
	"vm.swappiness, vm.panic_on_oom and the container's memory limit, and "
	"judge them for the database that runs (or --profile).",
	dbp_global_child, NULL, NULL
};

struct view {
	const struct dbp_overcommit_input *in;
	pid_t detected_pid;
	int detected;
};

static const char *mode_name(int mode)
{
	return mode == 0 ? "heuristic" : mode == 1 ? "always overcommit" :
	       "never overcommit (strict accounting)";
}

static void text_facts(const struct dbp_text *t, void *arg)
{
	const struct view *v = arg;
	const struct dbp_vm *vm = v->in->vm;
	const struct dbp_meminfo *mi = v->in->mi;
	int64_t room;
	char b[32];

	if (v->detected && v->detected_pid)
		dbp_text_field(t, "Profile", "%s (detected: PID %d)",
			       dbp_profile_name(v->in->profile), (int)v->detected_pid);
	else
		dbp_text_field(t, "Profile", "%s%s", dbp_profile_name(v->in->profile),
			       v->in->profile_unseen ? " (not detected: /proc hides other "
			       "users' processes)" :
			       v->detected ? " (no database server runs)" : "");
	if (vm->have & DBP_VM_OVERCOMMIT)
		dbp_text_field(t, "Overcommit", "vm.overcommit_memory = %d (%s)",
			       vm->overcommit_memory, mode_name(vm->overcommit_memory));
	if (vm->have & DBP_VM_RATIO)
		dbp_text_field(t, "", "vm.overcommit_ratio = %" PRIu64 ", overcommit_kbytes = %"
			       PRIu64, vm->overcommit_ratio, vm->overcommit_kbytes);
	if (mi) {
		dbp_text_field(t, "Memory", "%" PRIu64 " MiB, swap %" PRIu64 " MiB, huge pages %"
			       PRIu64 " MiB", mi->mem_total / 1024, mi->swap_total / 1024,
			       dbp_meminfo_hugetlb_kb(mi) / 1024);
		if (vm->have & (DBP_VM_RATIO | DBP_VM_KBYTES))
			dbp_text_field(t, "CommitLimit", "%" PRIu64 " MiB, Committed_AS %"
				       PRIu64 " MiB%s", dbp_commit_limit_kb(mi, vm) / 1024,
				       mi->committed_as / 1024,
				       vm->overcommit_memory == 2 ? " (enforced)" :
				       " (not enforced outside mode 2)");
		if (dbp_commit_headroom_kb(mi, vm, &room) == 0)
			dbp_text_field(t, "Headroom", "%s%" PRIu64 " MiB left to promise",
				       room < 0 ? "-" : "",
				       (uint64_t)(room < 0 ? -room : room) / 1024);
	}
	if (vm->have & DBP_VM_THP)
		dbp_text_field(t, "THP", "enabled %s, defrag %s", vm->thp_enabled,
			       (vm->have & DBP_VM_DEFRAG) ? vm->thp_defrag : "?");
	if (vm->have & DBP_VM_SWAPPINESS)
		dbp_text_field(t, "Swappiness", "%d", vm->swappiness);
	if (vm->have & DBP_VM_PANIC)
		dbp_text_field(t, "panic_on_oom", "%d", vm->panic_on_oom);
	if (v->in->cg && v->in->cg->version && (v->in->cg->have & DBP_CG_LIMIT))
		dbp_text_field(t, "Cgroup limit", "%s",
			       dbp_cgroup_bytes(v->in->cg->limit, b, sizeof(b)));
	dbp_text_field(t, "Note", "these settings are the node's: /proc/sys/vm is not "
		       "namespaced, a container reads the host's values and cannot change "
		       "them.");
}

static struct json_object *u64j(int have, uint64_t v)
{
	return have ? json_object_new_uint64(v) : NULL;
}

static struct json_object *json_facts(const struct view *v)
{
	const struct dbp_vm *vm = v->in->vm;
	const struct dbp_meminfo *mi = v->in->mi;
	const struct dbp_cgroup_mem *cg = v->in->cg;
	struct json_object *o = json_object_new_object();
	struct json_object *s = json_object_new_object();
	struct json_object *m = json_object_new_object();
	int64_t room;

	json_object_object_add(o, "profile", json_object_new_string(dbp_profile_name(v->in->profile)));
	json_object_object_add(o, "profile_detected", json_object_new_boolean(v->detected));
	json_object_object_add(o, "profile_pid", v->detected_pid ?
			       json_object_new_int(v->detected_pid) : NULL);
	json_object_object_add(o, "processes_hidden", json_object_new_boolean(v->in->profile_unseen));
	json_object_object_add(o, "kubernetes_node", json_object_new_boolean(v->in->kubelet));
	json_object_object_add(s, "overcommit_memory", (vm->have & DBP_VM_OVERCOMMIT) ?
			       json_object_new_int(vm->overcommit_memory) : NULL);
	json_object_object_add(s, "overcommit_ratio", u64j(vm->have & DBP_VM_RATIO, vm->overcommit_ratio));
	json_object_object_add(s, "overcommit_kbytes", u64j(vm->have & DBP_VM_KBYTES, vm->overcommit_kbytes));
	json_object_object_add(s, "swappiness", (vm->have & DBP_VM_SWAPPINESS) ?
			       json_object_new_int(vm->swappiness) : NULL);
	json_object_object_add(s, "panic_on_oom", (vm->have & DBP_VM_PANIC) ?
			       json_object_new_int(vm->panic_on_oom) : NULL);
	json_object_object_add(s, "thp_enabled", (vm->have & DBP_VM_THP) ?
			       json_object_new_string(vm->thp_enabled) : NULL);
	json_object_object_add(s, "thp_defrag", (vm->have & DBP_VM_DEFRAG) ?
			       json_object_new_string(vm->thp_defrag) : NULL);
	json_object_object_add(o, "settings", s);
	if (mi) {
		json_object_object_add(m, "mem_total_kb", json_object_new_uint64(mi->mem_total));
		json_object_object_add(m, "swap_total_kb", u64j(mi->have & DBP_MI_SWAPTOTAL, mi->swap_total));
		json_object_object_add(m, "hugetlb_kb", json_object_new_uint64(dbp_meminfo_hugetlb_kb(mi)));
		json_object_object_add(m, "commit_limit_kb",
				       u64j(mi->have & DBP_MI_COMMITLIM, mi->commit_limit));
		json_object_object_add(m, "commit_limit_computed_kb",
				       u64j(vm->have & (DBP_VM_RATIO | DBP_VM_KBYTES),
					    dbp_commit_limit_kb(mi, vm)));
		json_object_object_add(m, "committed_as_kb", u64j(mi->have & DBP_MI_COMMITTED, mi->committed_as));
		/* CommitLimit - Committed_AS: negative when more is promised */
		json_object_object_add(m, "headroom_kb", dbp_commit_headroom_kb(mi, vm, &room) == 0 ?
				       json_object_new_int64(room) : NULL);
		json_object_object_add(o, "meminfo", m);
	} else {
		json_object_put(m);
		json_object_object_add(o, "meminfo", NULL);
	}
	json_object_object_add(o, "cgroup_limit_bytes",
			       cg && cg->version && (cg->have & DBP_CG_LIMIT) ?
			       (cg->limit == DBP_CG_UNLIMITED ? json_object_new_string("max") :
				json_object_new_uint64(cg->limit)) : NULL);
	json_object_object_add(o, "scope", json_object_new_string("node"));
	return o;
}

struct state {
	struct view v;		/* first: text_facts gets the state as its view */
	struct dbp_meminfo mi;
	struct dbp_vm vm;
	struct dbp_cgroup_mem cg;
	pid_t cg_of;			/* the cgroup is this process's, not dbpod's; 0 dbpod's */
	struct dbp_overcommit_input in;
};

static void state_free(void *arg)
{
	free(arg);
}

static void metrics(struct dbp_metrics *m, const struct state *s)
{
	const struct dbp_meminfo *mi = s->in.mi;
	int64_t room;

	if (s->vm.have & DBP_VM_OVERCOMMIT)
		dbp_metric(m, "dbpod_vm_overcommit_memory", "gauge",
			   "vm.overcommit_memory of the node: 0 heuristic, 1 always, 2 never.",
			   s->vm.overcommit_memory, NULL);
	if (!mi)
		return;
	if ((mi->have & DBP_MI_COMMITLIM) && (mi->have & DBP_MI_COMMITTED)) {
		dbp_metric(m, "dbpod_commit_limit_bytes", "gauge",
			   "CommitLimit of the node (enforced only with vm.overcommit_memory=2).",
			   (double)mi->commit_limit * 1024, NULL);
		dbp_metric(m, "dbpod_committed_as_bytes", "gauge",
			   "Committed_AS: the memory the node has promised now.",
			   (double)mi->committed_as * 1024, NULL);
	}
	/* the same number as the text and JSON views: from the CommitLimit
	 * the settings give, which the rules judge */
	if (dbp_commit_headroom_kb(mi, &s->vm, &room) == 0)
		dbp_metric(m, "dbpod_commit_headroom_bytes", "gauge",
			   "CommitLimit (as the vm settings give it) minus Committed_AS "
			   "(negative when overcommitted).", (double)room * 1024, NULL);
}

static int judge(struct dbp_result *res, const struct dbp_opts *o, int profile)
{
	struct state *s = calloc(1, sizeof(*s));
	struct dbp_table t;
	char envbuf[256];
	int rc, mrc, vrc;

	dbp_result_init(res, "overcommit");
	if (!s)
		return -ENOMEM;
	res->view = s;
	res->view_free = state_free;
	s->v.in = &s->in;
	if (profile >= 0) {
		s->in.profile = (enum dbp_profile)profile;
	}
	/* the table: for the profile, and for whose cgroup is the database's */
	dbp_table_init(&t);
	rc = dbp_live_table(&t, 0);
	if (profile < 0) {
		s->v.detected = 1;
		if (rc < 0)
			warnx("cannot read the process table from /proc: %s; judging as generic",
			      strerror(-rc));
		else
			s->in.profile = dbp_profile_detect(&t, &s->v.detected_pid);
		/* "no database server runs" is not what a hidden table says */
		s->in.profile_unseen = !s->v.detected_pid && dbp_proc_view_partial();
	}
	mrc = dbp_meminfo_read(o->root, &s->mi);
	if (mrc < 0)
		dbp_warnx("cannot read '%s/proc/meminfo': %s", o->root ? o->root : "",
			  mrc == -EINVAL ? "no MemTotal in it" : strerror(-mrc));
	else
		s->in.mi = &s->mi;
	vrc = dbp_vm_read(o->root, &s->vm);
	for (size_t i = 0; i < s->vm.nerrors; i++)
		dbp_warnx("cannot read '%s%s': %s", o->root ? o->root : "", s->vm.errors[i].file,
			  s->vm.errors[i].err == -EINVAL ? "not in the kernel's format" :
			  strerror(-s->vm.errors[i].err));
	s->in.vm = &s->vm;
	if (mrc < 0 && (vrc < 0 || !s->vm.have)) {
		/* nothing to judge: the rules say so, there are no facts */
		dbp_table_free(&t);
		dbp_rules_overcommit(&s->in, &res->report);
		return -EIO;
	}
	if (dbp_live_cgroup_read(rc < 0 ? NULL : &t, o, &s->cg, &s->cg_of) == 0)
		s->in.cg = &s->cg;
	dbp_table_free(&t);
	/* a pod's cgroup, or the variable the kubelet puts in every container
	 * (the cgroup says nothing from inside a cgroup namespace) */
	s->in.kubelet = (s->in.cg && dbp_container_path_in_pod(s->cg.path)) ||
			dbp_live_getenv("KUBERNETES_SERVICE_HOST", envbuf, sizeof(envbuf));

	dbp_rules_overcommit(&s->in, &res->report);
	metrics(&res->metrics, s);
	res->facts = json_facts(&s->v);
	res->text_facts = text_facts;
	return 0;
}

int check_overcommit(struct dbp_result *res, const struct dbp_opts *o)
{
	return judge(res, o, -1);
}

/* the command's run: g is the shared part of its struct opts */
static int check_alone(struct dbp_result *res, const struct dbp_opts *g)
{
	return judge(res, g, ((const struct opts *)g)->profile);
}

int cmd_overcommit(int argc, char **argv, const struct dbp_opts *o)
{
	struct opts opts = { .g = *o, .profile = -1 };

	dbp_argp_parse(&argp, argc, argv, &opts, &opts.g);
	return dbp_run_check("overcommit", check_alone, &opts.g);
}

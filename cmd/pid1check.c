/*
 * dbpod pid1check: judge PID 1 of the PID namespace dbpod runs in.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbpod.h"
#include "procread.h"
#include "rules_pid1.h"
#include "stopread.h"

/* pid1check has no options of its own: its input is the shared ones */
static error_t parse(int key, char *arg, struct argp_state *state)
{
	if (key == ARGP_KEY_INIT) {
		dbp_argp_share(state, state->input);
		return 0;
	}
	if (key != ARGP_KEY_ARG)
		return ARGP_ERR_UNKNOWN;
	argp_error(state, "unexpected argument '%s'", arg);
	return 0;
}

static const struct argp argp = {
	NULL, parse, NULL,
	"Judge PID 1 of this PID namespace (a container's, when run through "
	"kubectl exec or docker exec): is it an init, a shell or the database "
	"server itself; does it handle the stop signal; who does it adopt; is "
	"it reaping zombies.",
	dbp_stop_signal_children, NULL, NULL
};

struct view {
	struct dbp_table t;
	struct dbp_pid1_input in;
	struct dbp_pid1_facts f;
	char tkg[16];		/* TINI_KILL_PROCESS_GROUP of PID 1 */
	struct dbp_shell_script scripts[DBP_CHAIN_MAX];	/* the chain's shells' traps */
};

static const char *describe(const struct dbp_proc *p, char *buf, size_t size)
{
	struct dbp_class c;

	dbp_classify(p, &c);
	if (c.kind == DBP_KIND_DATABASE)
		snprintf(buf, size, "%d %s (%s server)", (int)p->pid, dbp_proc_name(p),
			 dbp_db_name(c.db));
	else if (c.kind == DBP_KIND_OTHER)
		snprintf(buf, size, "%d %s", (int)p->pid, dbp_proc_name(p));
	else
		snprintf(buf, size, "%d %s (%s)", (int)p->pid, dbp_proc_name(p),
			 dbp_kind_name(c.kind));
	return buf;
}

static const char *stop_text(enum dbp_disposition d)
{
	switch (d) {
	case DBP_DISP_CAUGHT: return "caught by PID 1 (it has a handler)";
	case DBP_DISP_BLOCKED: return "blocked by PID 1 and read with sigwait/signalfd, as inits do";
	case DBP_DISP_IGNORED: return "IGNORED by PID 1: the stop request is dropped";
	case DBP_DISP_DEFAULT: return "no handler in PID 1: the kernel drops it";
	case DBP_DISP_WAITING: return "PID 1 waits for signals in sigtimedwait, as tini does "
		"(the set it waits for needs root to read): taken as received";
	case DBP_DISP_UNKNOWN: break;
	}
	return "unknown (PID 1's status is not readable)";
}

static const char *forward_text(enum dbp_init_forward fw)
{
	switch (fw) {
	case DBP_FWD_CHILD: return "; the init forwards it to its child only";
	case DBP_FWD_GROUP: return "; the init forwards it to the child's process group";
	case DBP_FWD_SERVICES: return "; the supervisor stops its services its own way";
	case DBP_FWD_NONE: break;
	}
	return "";
}

static void text_facts(const struct dbp_text *t, void *arg)
{
	const struct view *v = arg;
	const struct dbp_pid1_facts *f = &v->f;
	char buf[4096], sn[24];
	size_t len = 0;

	if (!f->pid1) {
		dbp_text_field(t, "PID 1", "not visible");
		return;
	}
	dbp_text_field(t, "PID 1", "%s, user %s", strchr(describe(f->pid1, buf, sizeof(buf)), ' ') + 1,
		       f->pid1->user);
	dbp_text_field(t, "", "%s", dbp_proc_cmdline(f->pid1, buf, sizeof(buf)));
	for (size_t k = 0; k < f->nstops; k++)
		dbp_text_field(t, k ? "" : "Stop signal", "%s: %s%s",
			       dbp_signal_name(f->stop_signals[k], sn, sizeof(sn)),
			       stop_text(f->stops[k]), forward_text(f->forward));
	if (f->nstops > 1)
		dbp_text_field(t, "", "(the image's STOPSIGNAL cannot be seen from inside: "
			       "--stop-signal=SIG judges one)");
	buf[0] = '\0';
	for (size_t i = 0; i < f->chain_len && len < sizeof(buf) - 200; i++) {
		char d[160];

		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
					i ? " -> " : "", describe(f->chain[i], d, sizeof(d)));
	}
	dbp_text_field(t, "Chain", "%s", buf);
	if (f->service && f->service != f->chain[f->chain_len - 1])
		dbp_text_field(t, "Service", "%s", describe(f->service, buf, sizeof(buf)));
	dbp_text_field(t, "Zombies", "%zu", f->zombies);
	dbp_text_field(t, "Adopted", "%zu process%s not part of the service",
		       f->adopted, f->adopted == 1 ? "" : "es");
	dbp_text_field(t, "From outside", "%zu process%s besides dbpod", f->outside,
		       f->outside == 1 ? "" : "es");
}

static struct json_object *json_facts(const struct view *v)
{
	const struct dbp_pid1_facts *f = &v->f;
	const struct dbp_table *t = &v->t;
	struct json_object *o = json_object_new_object();
	struct json_object *chain, *adopted;
	char sn[24];

	json_object_object_add(o, "stop_signal",
			       json_object_new_string(dbp_signal_name(f->nstops ? f->stop_signals[0] :
								       v->in.stop_signal, sn, sizeof(sn))));
	json_object_object_add(o, "processes", json_object_new_int((int)t->n));
	if (!f->pid1) {
		json_object_object_add(o, "pid1", NULL);
		return o;
	}
	{
		struct json_object *p1 = dbp_proc_json(t, f->pid1);
		const char *fw[] = { "none", "child", "group", "services" };

		struct json_object *disp = json_object_new_object();

		json_object_object_add(p1, "stop_signal_disposition",
				       json_object_new_string(dbp_disposition_name(f->stop)));
		for (size_t k = 0; k < f->nstops; k++)
			json_object_object_add(disp, dbp_signal_name(f->stop_signals[k], sn, sizeof(sn)),
					       json_object_new_string(dbp_disposition_name(f->stops[k])));
		json_object_object_add(p1, "stop_signal_dispositions", disp);
		json_object_object_add(p1, "forwards_to", json_object_new_string(fw[f->forward]));
		json_object_object_add(o, "pid1", p1);
	}
	chain = json_object_new_array();
	adopted = json_object_new_array();
	for (size_t i = 0; i < f->chain_len; i++)
		json_object_array_add(chain, dbp_proc_json(t, f->chain[i]));
	json_object_object_add(o, "chain", chain);
	json_object_object_add(o, "service", f->service ? dbp_proc_json(t, f->service) : NULL);
	json_object_object_add(o, "zombies", json_object_new_int((int)f->zombies));
	for (size_t i = 0; i < t->n; i++)
		if (dbp_pid1_is_foreign_child(t, f, &t->procs[i]))
			json_object_array_add(adopted, dbp_proc_json(t, &t->procs[i]));
	json_object_object_add(o, "adopted", adopted);
	json_object_object_add(o, "from_outside", json_object_new_int((int)f->outside));
	return o;
}

static void view_free(void *arg)
{
	struct view *v = arg;

	dbp_table_free(&v->t);
	free(v);
}

static void metrics(struct dbp_metrics *m, const struct view *v)
{
	const struct dbp_pid1_facts *f = &v->f;

	dbp_metric(m, "dbpod_pid1_zombies", "gauge",
		   "Zombie processes waiting for PID 1 to reap them.", (double)f->zombies, NULL);
	dbp_metric(m, "dbpod_pid1_adopted_processes", "gauge",
		   "Children of PID 1 that are not part of the service.", (double)f->adopted, NULL);
	dbp_metric(m, "dbpod_pid1_is_init", "gauge",
		   "1 when PID 1 is a known init (tini, dumb-init, ...).",
		   f->pid1_class.kind == DBP_KIND_INIT, NULL);
	for (size_t k = 0; k < f->nstops; k++) {
		char sn[24];

		dbp_metric(m, "dbpod_pid1_stop_signal_received", "gauge",
			   "1 when PID 1 catches, blocks or waits for the stop signal.",
			   f->stops[k] == DBP_DISP_CAUGHT || f->stops[k] == DBP_DISP_BLOCKED ||
			   f->stops[k] == DBP_DISP_WAITING, "signal",
			   dbp_signal_name(f->stop_signals[k], sn, sizeof(sn)), NULL);
	}
}

int check_pid1(struct dbp_result *res, const struct dbp_opts *o)
{
	struct view *v = calloc(1, sizeof(*v));
	int rc;

	dbp_result_init(res, "pid1check");
	if (!v)
		return -ENOMEM;
	dbp_table_init(&v->t);
	res->view = v;
	res->view_free = view_free;
	rc = dbp_read_table(res, &v->t, DBP_HAVE_STATUS);
	if (rc < 0)
		return rc;
	dbp_pid1_input_read(NULL, &v->t, o->stop_signal, o->stop_signal_given, &v->in,
			    v->tkg);
	dbp_shell_scripts_read(NULL, &v->t, &v->in, v->scripts);
	v->in.stop_signal_unread = o->stop_signal_unread;
	dbp_rules_pid1(&v->t, &v->in, &res->report, &v->f);
	res->facts = json_facts(v);
	res->text_facts = text_facts;
	metrics(&res->metrics, v);
	return 0;
}

int cmd_pid1check(int argc, char **argv, const struct dbp_opts *o)
{
	struct dbp_opts g = *o;

	dbp_argp_parse(&argp, argc, argv, &g, &g);
	return dbp_run_check("pid1check", check_pid1, &g);
}

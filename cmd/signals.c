/*
 * dbpod signals: signal dispositions in names, and what a stop will do.
 */
#include "config.h"

#include <stddef.h>
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dbpod.h"
#include "procread.h"
#include "procstatus.h"
#include "rules_signals.h"
#include "stopread.h"

#define RECHECK_MS 300

/* signals' own options; doctor judges with their defaults */
struct own_opts {
	int all;			/* -a, --all */
	pid_t *pids;			/* PID... */
	size_t npids;
};

static const struct own_opts own_defaults;

/* what the parser fills: the shared options first (check_alone) */
struct opts {
	struct dbp_opts g;
	struct own_opts own;
};
/* check_alone reads the command's options from the shared ones it is handed */
_Static_assert(offsetof(struct opts, g) == 0, "struct opts begins with its struct dbp_opts");

static const struct argp_option options[] = {
	{ "all", 'a', NULL, 0, "List and judge every process, not only those a stop "
	  "reaches or that are worth a word", 0 },
	{ 0 }
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct opts *o = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		dbp_argp_share(state, &o->g);
		break;
	case 'a':
		o->own.all = 1;
		break;
	case ARGP_KEY_ARG:
		dbp_argp_live_pid(state, arg, &o->own.pids, &o->own.npids);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	options, parse, "[PID...]",
	"Show who catches, ignores and blocks which signals (decoded from "
	"/proc/PID/status), follow the stop signal from the runtime to the "
	"database server, and predict whether a stop ends gracefully or in "
	"SIGKILL. Without PIDs: every process worth a word; with PIDs: the "
	"full picture of those.",
	dbp_stop_grace_children, NULL, NULL
};

struct view {
	const struct dbp_table *t;
	const struct dbp_signals_input *in;
	const struct dbp_pid1_facts *f;
	const struct dbp_stop_path *sp;	/* nsp paths, one per stop signal judged */
	const size_t *nsp;
	const struct own_opts *own;	/* --all, the PIDs asked for */
	int procs;			/* the process list in the JSON: --format=json */
};

static const char *short_disp(enum dbp_disposition d)
{
	switch (d) {
	case DBP_DISP_CAUGHT: return "catch";
	case DBP_DISP_IGNORED: return "ign";
	case DBP_DISP_BLOCKED: return "block";
	case DBP_DISP_WAITING: return "wait";
	case DBP_DISP_DEFAULT: return "-";
	case DBP_DISP_UNKNOWN: break;
	}
	return "?";
}

static const char *prediction(const struct dbp_stop_path *sp)
{
	switch (sp->outcome) {
	case DBP_OUT_GRACEFUL: return "graceful: the service shuts down cleanly";
	case DBP_OUT_RISKY: return "at risk: the service is SIGKILLed unless its shutdown is done in time";
	case DBP_OUT_UNCERTAIN: return "uncertain: something dbpod cannot read decides";
	case DBP_OUT_TERMINATED: return "terminated at once by the signal's default action";
	case DBP_OUT_SIGKILL:
		/* a shutdown that is under way but longer than the grace
		 * (DBS207) is not one that never starts */
		if (sp->grace == 0)
			return "SIGKILL: a grace period of 0 s leaves no time for a shutdown";
		return sp->budget.over ? "SIGKILL: the shutdown takes longer than the grace period" :
					 "SIGKILL: the service does not stop by itself";
	case DBP_OUT_CRASH: return "crash: the database stops without a clean shutdown, "
				   "crash recovery on the next start";
	case DBP_OUT_UNKNOWN: break;
	}
	return "unknown: the path could not be read";
}

static const int columns[] = { SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGPIPE, SIGCHLD };

static void text_table(const struct dbp_text *t, const struct view *v)
{
	char sn[24];

	fprintf(t->out, "%5s %5s %-8s %-15s", "PID", "PPID", "USER", "COMMAND");
	for (size_t c = 0; c < sizeof(columns) / sizeof(columns[0]); c++) {
		char h[16];

		int judged = 0;

		for (size_t k = 0; k < v->f->nstops; k++)
			judged |= columns[c] == v->f->stop_signals[k];
		snprintf(h, sizeof(h), "%s%s", dbp_signal_name(columns[c], sn, sizeof(sn)) + 3,
			 judged ? "*" : "");
		fprintf(t->out, c + 1 < sizeof(columns) / sizeof(columns[0]) ? " %-5s" : " %s", h);
	}
	fputc('\n', t->out);
	for (size_t i = 0; i < v->t->n; i++) {
		const struct dbp_proc *p = &v->t->procs[i];

		if (p->kthread)
			continue;
		if (!v->own->npids && !v->own->all && !dbp_signals_notable(v->t, v->f, v->in, p))
			continue;
		if (!dbp_pid_selected(v->own->pids, v->own->npids, p->pid))
			continue;
		char user[9], name[16];

		/* names come from outside: escaped and cut to a whole character */
		fprintf(t->out, "%5d %5d %-8s %-15s", (int)p->pid, (int)p->ppid,
			dbp_text_safe(p->user, user, sizeof(user)),
			dbp_text_safe(dbp_proc_name(p), name, sizeof(name)));
		for (size_t c = 0; c < sizeof(columns) / sizeof(columns[0]); c++)
			fprintf(t->out, c + 1 < sizeof(columns) / sizeof(columns[0]) ? " %-5s" : " %s",
				short_disp(dbp_disposition(&p->sig, p->have & DBP_HAVE_STATUS,
							   columns[c])));
		fputc('\n', t->out);
	}
	fputs("catch: handler  ign: ignored  block: blocked  wait: sigtimedwait  "
	      "-: default action\n", t->out);
}

static void text_detail(const struct dbp_text *t, const struct view *v, const struct dbp_proc *p)
{
	char buf[1024];

	fputc('\n', t->out);
	dbp_text_field(t, "PID", "%d %s, user %s, parent %d", (int)p->pid, dbp_proc_name(p),
		       p->user, (int)p->ppid);
	{
		char cmd[1024];

		/* a newline in argv must show as \n, not break the line */
		dbp_text_field(t, "", "%s", dbp_text_safe(dbp_proc_cmdline(p, cmd, sizeof(cmd)),
							  buf, sizeof(buf)));
	}
	if (!(p->have & DBP_HAVE_STATUS)) {
		dbp_text_field(t, "", "signal masks not readable");
		return;
	}
	dbp_text_sigmasks(t, &p->sig);
	if (p->sig.waiting)
		dbp_text_field(t, "  waits for", "%s", p->sig.waiting == 2 ?
			       dbp_sigmask_names(p->sig.waited, " ", buf, sizeof(buf)) :
			       "(in sigtimedwait; the set needs root to read)");
	dbp_text_field(t, "  pending", "%s",
		       dbp_sigmask_names(p->sig.pending | p->sig.shpending, " ", buf, sizeof(buf)));
	(void)v;
}

static void text_facts(const struct dbp_text *t, void *arg)
{
	const struct view *v = arg;
	char sn[24], first[40], when[64];

	if (!*v->nsp)
		dbp_text_field(t, "Stop", "not predicted: this is the host, not a container");
	if (*v->nsp > 1)
		dbp_text_field(t, "Stop signal", "not known from inside the container: "
			       "%s judged (--stop-signal=SIG for one); %d s grace period",
			       *v->nsp > 2 ? "SIGTERM, SIGINT and SIGQUIT" : "SIGTERM and SIGINT",
			       v->sp[0].grace);
	for (size_t k = 0; k < *v->nsp; k++) {
		const struct dbp_stop_path *sp = &v->sp[k];

		if (*v->nsp > 1)
			fputc('\n', t->out);
		dbp_text_field(t, *v->nsp > 1 ? "Stop with" : "Stop signal", "%s",
			       dbp_signal_name(sp->signal, sn, sizeof(sn)));
		if (*v->nsp == 1)
			dbp_text_field(t, "Grace", "%d s", sp->grace);
		for (size_t i = 0; i < sp->nsteps; i++) {
			snprintf(first, sizeof(first), "%13s%zu. ", "", i + 1);
			dbp_text_wrap(t, 16, first, sp->steps[i]);
		}
		dbp_text_field(t, "Prediction", "%s (%s)", prediction(sp),
			       dbp_when_text(sp, when, sizeof(when)));
		if (sp->budget.have_estimate && sp->budget.worst_seconds > 0)
			dbp_text_field(t, "Stop time", "about %.1f s of the %d s it has; %.1f s "
				       "%s", sp->budget.seconds, sp->bound, sp->budget.worst_seconds,
				       sp->budget.redis ? "with a snapshot as large as its memory" :
				       "with all of shared_buffers dirty");
		else if (sp->budget.have_estimate)
			dbp_text_field(t, "Stop time", "about %.1f s of the %d s it has",
				       sp->budget.seconds, sp->bound);
		else if (sp->budget.judged)
			dbp_text_wrap(t, 13, "Stop time    ", sp->budget.basis);
	}
	fputc('\n', t->out);
	text_table(t, v);
	for (size_t k = 0; k < v->own->npids; k++) {
		const struct dbp_proc *p = dbp_table_find(v->t, v->own->pids[k]);

		if (p)
			text_detail(t, v, p);
	}
}

static struct json_object *json_facts(const struct view *v)
{
	struct json_object *o = json_object_new_object();
	struct json_object *paths = json_object_new_array();
	struct json_object *procs = json_object_new_array();

	/* stop_path: the first (the --stop-signal one, or SIGTERM's) */
	json_object_object_add(o, "stop_path", *v->nsp ? dbp_stop_path_json(&v->sp[0], 0) : NULL);
	json_object_object_add(o, "host", json_object_new_boolean(v->in->pid1.host));
	for (size_t k = 0; k < *v->nsp; k++)
		json_object_array_add(paths, dbp_stop_path_json(&v->sp[k], 0));
	json_object_object_add(o, "stop_paths", paths);

	/* the process list is printed only as JSON (doctor's text reads the
	 * stop paths alone): thousands of objects are not worth building for
	 * nothing */
	if (!v->procs) {
		json_object_put(procs);
		return o;
	}
	for (size_t i = 0; i < v->t->n; i++) {
		const struct dbp_proc *p = &v->t->procs[i];
		struct json_object *jp;

		if (p->kthread)
			continue;
		if (!dbp_pid_selected(v->own->pids, v->own->npids, p->pid))
			continue;
		jp = dbp_proc_json(v->t, p);
		json_object_object_add(jp, "signals", dbp_proc_signals_json(p));
		json_object_object_add(jp, "stop_signal_disposition",
			json_object_new_string(dbp_disposition_name(
				dbp_disposition(&p->sig, p->have & DBP_HAVE_STATUS,
						v->f->stop_signals[0]))));
		json_object_array_add(procs, jp);
	}
	json_object_object_add(o, "processes", procs);
	return o;
}

/* Read again, a moment later, the status of the processes the rules want
 * a second look at (signals pending while blocked): a signal pending for
 * an instant is normal. Returns 1 when later holds a second reading, 0
 * when none was wanted, or -ENOMEM. */
static int recheck(const struct dbp_table *t, const struct dbp_signals_input *in,
		   const struct own_opts *own, struct dbp_table *later)
{
	struct timespec ts = { 0, RECHECK_MS * 1000000L };
	pid_t *pids = calloc(t->n ? t->n : 1, sizeof(*pids));
	size_t n = pids ? dbp_signals_recheck_pids(t, in, own->npids ? own->pids : NULL, own->npids,
						   pids, t->n) : 0;
	int rc;

	if (!pids)
		return -ENOMEM;
	if (!n) {
		free(pids);
		return 0;
	}
	nanosleep(&ts, NULL);
	rc = dbp_status_read_pids(NULL, pids, n, later);
	free(pids);
	if (rc < 0)
		return rc;
	dbp_signals_recheck_match(t, later);
	return 1;
}

/* The view and what it points into, kept for the text renderer. */
struct state {
	struct view v;		/* first: text_facts gets the state as its view */
	struct dbp_table t, later;
	struct dbp_signals_input in;
	struct dbp_pid1_facts f;
	struct dbp_stop_path sp[DBP_STOP_MAX];
	size_t nsp;
	struct dbp_stop_inputs read;
	char tkg[16];
};

static void state_free(void *arg)
{
	struct state *s = arg;

	dbp_stop_inputs_free(&s->read);
	dbp_table_free(&s->later);
	dbp_table_free(&s->t);
	free(s);
}

static void metrics(struct dbp_metrics *m, const struct state *s)
{
	for (size_t k = 0; k < s->nsp; k++) {
		char sn[24];
		const struct dbp_stop_path *sp = &s->sp[k];

		dbp_signal_name(sp->signal, sn, sizeof(sn));
		dbp_metric(m, "dbpod_stop_path_graceful", "gauge",
			   "1 when a stop of the container with this signal is predicted to "
			   "end in a clean shutdown.",
			   sp->outcome == DBP_OUT_GRACEFUL, "signal", sn, NULL);
		dbp_metric(m, "dbpod_stop_path_sigkill", "gauge",
			   "1 when a stop of the container with this signal is predicted to "
			   "end in SIGKILL.",
			   sp->outcome == DBP_OUT_SIGKILL, "signal", sn, NULL);
		dbp_metric(m, "dbpod_stop_path_crash", "gauge",
			   "1 when a stop with this signal is predicted to leave the database "
			   "needing crash recovery without a SIGKILL (an immediate shutdown, an "
			   "adopted child that exits non-zero).",
			   sp->outcome == DBP_OUT_CRASH, "signal", sn, NULL);
	}
	if (!s->nsp)
		return;		/* the host: no stop predicted */
	dbp_metric(m, "dbpod_stop_grace_period_seconds", "gauge",
		   "The grace period the prediction assumes.", s->sp[0].grace, NULL);
	for (size_t k = 0; k < s->nsp; k++) {
		char sn[24];

		if (!s->sp[k].budget.have_estimate)
			continue;
		dbp_metric(m, "dbpod_stop_seconds_estimate", "gauge",
			   "How long a graceful stop with this signal takes, estimated from the "
			   "server's log: PostgreSQL's checkpoints, Redis's saves, MariaDB's past "
			   "shutdowns (compare with "
			   "dbpod_stop_grace_period_seconds).",
			   s->sp[k].budget.seconds, "signal",
			   dbp_signal_name(s->sp[k].signal, sn, sizeof(sn)), NULL);
	}
	if (s->sp[0].recovery.have_estimate)
		dbp_metric(m, "dbpod_recovery_seconds_estimate", "gauge",
			   "How long PostgreSQL's crash recovery would take if the server were "
			   "killed now, estimated from pg_control, pg_wal and the log's last "
			   "recovery.", s->sp[0].recovery.seconds, NULL);
	if (s->f.service_class.db == DBP_DB_POSTGRES)
		dbp_metric(m, "dbpod_postgres_client_sessions", "gauge",
			   "PostgreSQL client backends connected, which a smart shutdown waits for.",
			   (double)s->sp[0].clients, NULL);
}

static int judge(struct dbp_result *res, const struct dbp_opts *o, const struct own_opts *own)
{
	struct state *s = calloc(1, sizeof(*s));
	int rc;

	dbp_result_init(res, "signals");
	if (!s)
		return -ENOMEM;
	s->v = (struct view){ &s->t, &s->in, &s->f, s->sp, &s->nsp, own,
			      o->format == DBP_FORMAT_JSON };
	dbp_table_init(&s->t);
	dbp_table_init(&s->later);
	res->view = s;
	res->view_free = state_free;
	/* every process's masks only where they are all shown: the JSON
	 * process list, --all, the PIDs asked for */
	rc = dbp_read_table(res, &s->t, DBP_HAVE_STATUS |
			    (own->all || own->npids || o->format == DBP_FORMAT_JSON ?
			     DBP_WANT_STATUS_ALL : 0));
	if (rc < 0)
		return rc;
	dbp_pid1_input_read(NULL, &s->t, o->stop_signal, o->stop_signal_given,
			    &s->in.pid1, s->tkg);
	s->in.pid1.stop_signal_unread = o->stop_signal_unread;
	s->in.grace = o->grace;
	s->in.judge_all = own->all;
	s->in.runtime_log = o->runtime_log;
	dbp_stop_inputs_read(NULL, &s->t, &s->in, &s->read);
	if (recheck(&s->t, &s->in, own, &s->later) > 0) {
		s->in.recheck = &s->later;
		s->in.recheck_ms = RECHECK_MS;
	}
	dbp_rules_signals_asked(&s->t, &s->in, own->pids, own->npids, &res->report);
	dbp_rules_signals(&s->t, &s->in, &res->report, &s->f, s->sp, &s->nsp,
			  own->npids ? own->pids : NULL, own->npids);
	res->facts = json_facts(&s->v);
	res->text_facts = text_facts;
	metrics(&res->metrics, s);
	return 0;
}

int check_signals(struct dbp_result *res, const struct dbp_opts *o)
{
	return judge(res, o, &own_defaults);
}

/* the command's run: g is the shared part of its struct opts */
static int check_alone(struct dbp_result *res, const struct dbp_opts *g)
{
	return judge(res, g, &((const struct opts *)g)->own);
}

int cmd_signals(int argc, char **argv, const struct dbp_opts *o)
{
	struct opts opts = { .g = *o };
	int rc;

	dbp_argp_parse(&argp, argc, argv, &opts, &opts.g);
	rc = dbp_run_check("signals", check_alone, &opts.g);
	free(opts.own.pids);
	return rc;
}

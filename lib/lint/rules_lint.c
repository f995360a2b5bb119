/*
 * lint rules over the lint model. The image rules run on the unit's image
 * (with the profile's database when one is given) and their findings are
 * then placed on the line that decided them.
 */
#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbperror.h"
#include "qos.h"
#include "rules_image.h"
#include "rules_lint.h"
#include "sigset.h"

static const struct {
	const char *id, *title;
} titles[] = {
	{ "DBI600", "The input cannot be read" },
	{ "DBI601", "Shell form: /bin/sh stays PID 1" },
	{ "DBI602", "A shell-script entrypoint must exec the service" },
	{ "DBI603", "No init in front of a database server" },
	{ "DBI604", "PostgreSQL stop signal is not SIGINT" },
	{ "DBI605", "su or sudo stays resident in the command" },
	{ "DBI606", "No command: PID 1 cannot be told" },
	{ "DBI607", "Shell-form CMD under an exec-form ENTRYPOINT" },
	{ "DBI608", "ENTRYPOINT resets the base image's CMD" },
	{ "DBI609", "The entrypoint script never execs its command" },
	{ "DBI610", "PostgreSQL started as root refuses to run" },
	{ "DBI611", "PG_OOM_ADJUST_* set so that it does nothing" },
	{ "DBI612", "An init is installed but not PID 1" },
	{ "DBI613", "The predicted stop ends in SIGKILL, a crash or a cut-short shutdown" },
	{ "DBI614", "The server is started as a daemon or a background job nothing waits for" },
	{ "DBI615", "supervisord stops the database with a signal it does not shut down cleanly on" },
	{ "DBI616", "supervisord SIGKILLs the database before it can stop" },
	{ "DBI617", "The command starts a program nothing in the image creates" },
	{ "DBI690", "An inline ignore without a reason" },
	{ "DBK701", "Grace period shorter than the database's shutdown" },
	{ "DBK702", "PostgreSQL's stop depends on the image's STOPSIGNAL" },
	{ "DBK703", "shareProcessNamespace: pause is PID 1" },
	{ "DBK704", "The service shares another PID namespace" },
	{ "DBK705", "A livenessProbe on a database without a startupProbe" },
	{ "DBK706", "A preStop hook runs pg_ctl as root, which it refuses" },
	{ "DBK707", "A Helm template: render it first" },
	{ "DBK708", "A database operator's custom resource is not judged" },
	{ "DBK709", "A probe's own grace period cuts the database's stop short" },
	{ "DBO306", "Guaranteed QoS without PG_OOM_ADJUST_FILE" },
	{ "DBO307", "A database in BestEffort or Burstable QoS" },
	{ "DBO309", "No memory limit" },
};

const char *dbp_lint_title(const char *id)
{
	for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
		if (!strcmp(titles[i].id, id))
			return titles[i].title;
	return "dbpod finding";
}

int dbp_lint_ids_unknown(const char *ids, char *bad, size_t size)
{
	for (const char *p = ids; p && *p; ) {
		size_t n = strcspn(p, ",");
		int known = 0;

		for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]) && !known; i++)
			known = strlen(titles[i].id) == n && !strncmp(titles[i].id, p, n);
		if (!known && n) {
			snprintf(bad, size, "%.*s", (int)n, p);
			return 1;
		}
		p += n;
		p += *p == ',';
	}
	return 0;
}

static const struct dbp_pos *first_set(const struct dbp_pos *a, const struct dbp_pos *b,
				       const struct dbp_pos *c)
{
	return a->line ? a : b->line ? b : c;
}

/* the line that decided an image finding */
static const struct dbp_pos *where(const struct dbp_unit *u, const char *id)
{
	if (!strcmp(id, "DBI604"))
		return first_set(&u->stop_signal_at, &u->at, &u->at);
	if (!strcmp(id, "DBI607"))
		return first_set(&u->cmd_at, &u->entrypoint_at, &u->at);
	if (!strcmp(id, "DBI603") && u->kind != DBP_UNIT_DOCKERFILE)
		return &u->at;
	if (!strcmp(id, "DBI601") || !strcmp(id, "DBI602") || !strcmp(id, "DBI603") ||
	    !strcmp(id, "DBI605") || !strcmp(id, "DBI609") || !strcmp(id, "DBI613") ||
	    !strcmp(id, "DBI614"))
		return first_set(&u->entrypoint_at, &u->cmd_at, &u->at);
	return &u->at;
}

static struct dbp_finding *add(struct dbp_report *r, const char *file, const struct dbp_pos *at,
			       const char *id, enum dbp_severity sev, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static struct dbp_finding *add(struct dbp_report *r, const char *file, const struct dbp_pos *at,
			       const char *id, enum dbp_severity sev, const char *fmt, ...)
{
	char msg[1024];
	struct dbp_finding *f;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f = dbp_report_add(r, id, sev, 0, "%s", msg);
	dbp_finding_locate(f, file, at->line, at->column);
	return f;
}

/* what each server does before it exits, which takes the time */
static const char *const shutdown_work[] = {
	[DBP_DB_NONE] = "",
	[DBP_DB_POSTGRES] = "a PostgreSQL fast shutdown writes a checkpoint: operators allow "
			    "minutes",
	[DBP_DB_MYSQL] = "InnoDB flushes its dirty pages and its log before the server exits",
	[DBP_DB_MONGODB] = "mongod writes a WiredTiger checkpoint before it exits",
	[DBP_DB_REDIS] = "Redis saves an RDB snapshot before it exits when save points are set",
};

/* Does the server shut down cleanly on sig? (PostgreSQL: SIGINT, a fast
 * shutdown; mysqld's signal thread waits for TERM and QUIT; Redis and
 * mongod stop on TERM and INT) */
static int clean_stop_signal(enum dbp_db db, int sig)
{
	switch (db) {
	case DBP_DB_POSTGRES:
		return sig == SIGINT;
	case DBP_DB_MYSQL:
		return sig == SIGTERM || sig == SIGQUIT;
	case DBP_DB_MONGODB:
	case DBP_DB_REDIS:
		return sig == SIGTERM || sig == SIGINT;
	case DBP_DB_NONE:
		break;
	}
	return 1;
}

/* One unit being judged for what its file adds to the image: what every
 * deployment rule reads. */
struct deploy {
	const struct dbp_unit *u;
	const struct dbp_image *img;	/* with the database the rules found */
	const struct dbp_image_facts *facts;
	const struct dbp_lint_opts *o;
	const char *file;
	const char *n, *dbn;		/* the image's name, the database's */
	int db, pg;			/* a database server runs; PostgreSQL */
	long long grace;		/* the deployment's, else its default */
};

/* DBI615, DBI616: supervisord as PID 1 stops a database's program with
 * the program's stopsignal (TERM unless set) and SIGKILLs it stopwaitsecs
 * later (10 unless set), whatever the runtime's grace period. */
static void supervisor_rules(const struct deploy *d, struct dbp_report *r)
{
	const struct dbp_unit *u = d->u;
	const struct dbp_image *img = d->img;
	const struct dbp_image_facts *facts = d->facts;
	const struct dbp_lint_opts *o = d->o;
	const char *file = d->file;
	const struct dbp_supervisor *sup = &facts->chain.supervisor;
	const struct dbp_pos *at = first_set(&u->entrypoint_at, &u->cmd_at, &u->at);
	const char *dbn = dbp_db_name(img->db);
	struct dbp_finding *x;
	char sn[24];
	int switcher = 0;

	if (!facts->chain.have_supervisor || !sup->read || img->db == DBP_DB_NONE)
		return;
	dbp_signal_name(sup->stopsignal, sn, sizeof(sn));
	if (!clean_stop_signal(img->db, sup->stopsignal)) {
		int pg = img->db == DBP_DB_POSTGRES;

		x = add(r, file, at, "DBI615", DBP_WARNING,
			"%s: supervisord stops [program:%s] (%s) with %s%s: %s", img->name,
			sup->program, sup->conf, sn, sup->stopsignal_set ? "" :
			" (no stopsignal: supervisord's default)",
			pg && sup->stopsignal == SIGTERM ? "for PostgreSQL a smart shutdown, which "
			"waits for every client to disconnect and so often runs into "
			"supervisord's SIGKILL." :
			pg && sup->stopsignal == SIGQUIT ? "for PostgreSQL an immediate shutdown, "
			"with crash recovery on the next start." :
			"the server does not shut down on it, and supervisord SIGKILLs it when "
			"stopwaitsecs ends.");
		dbp_finding_advise(x, "set `stopsignal=%s` in [program:%s]%s.",
				   pg ? "INT" : "TERM", sup->program,
				   pg ? " (a fast shutdown, as the official image's STOPSIGNAL)" : "");
	}
	/* su or sudo between supervisord and the server cut the stop
	 * their own way (DBI605); stopwaitsecs bounds it only without */
	for (size_t i = 0; i < facts->chain.t.n; i++) {
		struct dbp_class c;

		dbp_classify(&facts->chain.t.procs[i], &c);
		switcher |= c.kind == DBP_KIND_SWITCHER;
	}
	if (!switcher && sup->stopwaitsecs < o->min_grace) {
		x = add(r, file, at, "DBI616", DBP_WARNING,
			"%s: supervisord SIGKILLs [program:%s] (%s) %d s after its stop signal "
			"(stopwaitsecs%s), and the %s server needs %lld s to stop cleanly (%s).",
			img->name, sup->program, sup->conf, sup->stopwaitsecs,
			sup->stopwaitsecs_set ? "" : " unset: supervisord's default", dbn,
			o->min_grace, shutdown_work[img->db]);
		dbp_finding_advise(x, "set `stopwaitsecs=%lld` (or more) in [program:%s], and "
				   "give the container a grace period at least as long (`docker stop "
				   "-t`, stop_grace_period, terminationGracePeriodSeconds).",
				   o->min_grace, sup->program);
	}
}

/* DBI608: an ENTRYPOINT in the stage drops the base image's CMD */
static void rule_cmd_reset(const struct deploy *d, struct dbp_report *r)
{
	struct dbp_finding *x;

	if (!d->u->cmd_reset)
		return;
	x = add(r, d->file, &d->u->entrypoint_at, "DBI608", DBP_WARNING,
		"%s: ENTRYPOINT in this stage resets the CMD of the base image, and no "
		"CMD follows: the container runs the entrypoint with no arguments.",
		d->n);
	dbp_finding_advise(x, "repeat the CMD after the ENTRYPOINT (`CMD [\"%s\"]`).",
			   d->db ? dbp_db_server(d->img->db) : "...");
}

/* DBI617: the command starts a program nothing in the image creates */
static void rule_missing_program(const struct deploy *d, struct dbp_report *r)
{
	const struct dbp_unit *u = d->u;
	struct dbp_finding *x;

	if (!u->missing_program)
		return;
	x = add(r, d->file, first_set(&u->entrypoint_at, &u->cmd_at, &u->at), "DBI617",
		DBP_CRITICAL, "%s: the command starts `%s`, which nothing in this image "
		"creates: %s, no COPY or ADD from the build context puts it there and no "
		"RUN names it. The container fails at start (exec: no such file or "
		"directory).", d->n, u->missing_program, u->missing_scratch ?
		"the image starts FROM scratch, empty" :
		"the official image it starts from has no such file");
	dbp_finding_advise(x, "COPY the program to `%s` (check its name, the COPY's "
			   "destination and the WORKDIR), or start what the image does "
			   "hold.", u->missing_program);
}

/* DBI610: the PostgreSQL server started as root, which it refuses */
static void rule_pg_root(const struct deploy *d, struct dbp_report *r)
{
	const struct dbp_unit *u = d->u;
	const struct dbp_image_facts *facts = d->facts;
	struct dbp_finding *x;

	if (!d->pg || !u->user_root || d->img->command_unknown || !facts->argv || !facts->argc ||
	    !facts->pid1 || (strcmp(facts->pid1, "postgres") && strcmp(facts->pid1, "postmaster")))
		return;
	x = add(r, d->file, first_set(&u->user_at, &u->at, &u->at), "DBI610", DBP_CRITICAL,
		"%s: PostgreSQL is started directly as %s: it refuses (\"root\" execution of "
		"the PostgreSQL server is not permitted) and the container exits at once.",
		d->n, d->img->user ? d->img->user : "root (no USER)");
	dbp_finding_advise(x, "`USER postgres` before CMD, or an entrypoint that switches "
			   "user with gosu or su-exec and execs postgres.");
}

/* DBI611: PG_OOM_ADJUST_FILE and PG_OOM_ADJUST_VALUE that do not work
 * together */
static void rule_pg_oom_env(const struct deploy *d, struct dbp_report *r)
{
	const struct dbp_unit *u = d->u;
	struct dbp_finding *x;

	if (u->pg_oom_file < 0) {
		x = add(r, d->file, &u->env_at, "DBI611", DBP_WARNING,
			"%s: PG_OOM_ADJUST_FILE names a file other than /proc/self/oom_score_adj: "
			"each PostgreSQL child writes PG_OOM_ADJUST_VALUE there, and nothing else "
			"moves its OOM score.", d->n);
		dbp_finding_advise(x, "set PG_OOM_ADJUST_FILE=/proc/self/oom_score_adj.");
	} else if (!u->pg_oom_file && u->pg_oom_value) {
		x = add(r, d->file, &u->env_at, "DBI611", DBP_INFO,
			"%s: PG_OOM_ADJUST_VALUE is set without PG_OOM_ADJUST_FILE, so PostgreSQL "
			"ignores it.", d->n);
		dbp_finding_advise(x, "add PG_OOM_ADJUST_FILE=/proc/self/oom_score_adj.");
	}
}

/* DBI612: an init installed in the image and not PID 1 */
static void rule_init_unused(const struct deploy *d, struct dbp_report *r)
{
	const struct dbp_unit *u = d->u;
	struct dbp_finding *x;

	if (!u->init_installed || d->facts->init || d->img->command_unknown)
		return;
	x = add(r, d->file, first_set(&u->entrypoint_at, &u->cmd_at, &u->at), "DBI612",
		DBP_WARNING, "%s: an init (tini, dumb-init or catatonit) is installed in the "
		"image, but PID 1 is `%s`: it is not used.", d->n,
		d->facts->pid1 ? d->facts->pid1 : "?");
	dbp_finding_advise(x, "put it first: `ENTRYPOINT [\"tini\", \"--\", ...]`.");
}

/* DBK701: a grace period shorter than the server's clean stop */
static void rule_grace(const struct deploy *d, struct dbp_report *r)
{
	const struct dbp_unit *u = d->u;
	struct dbp_finding *x;

	if (!d->db || d->grace >= d->o->min_grace)
		return;
	x = add(r, d->file, u->grace_at.line ? &u->grace_at : &u->at, "DBK701",
		d->grace == 0 ? DBP_CRITICAL : DBP_WARNING,
		"%s: the %s server gets %s%lld s between the stop signal and SIGKILL; "
		"it needs %lld s to stop cleanly (%s).", d->n, d->dbn,
		u->grace != DBP_UNSET ? "" : u->kind == DBP_UNIT_COMPOSE ?
		"Compose's default of " : "Kubernetes' default of ", d->grace, d->o->min_grace,
		shutdown_work[d->img->db]);
	dbp_finding_advise(x, u->kind == DBP_UNIT_COMPOSE ?
		"set `stop_grace_period: %llds` (or more) on the service." :
		"set `terminationGracePeriodSeconds: %lld` (or more) in the pod spec.",
		(long long)d->o->min_grace);
}

/* DBK702: Kubernetes sends the image's STOPSIGNAL, and no preStop stops
 * PostgreSQL fast */
static void rule_k8s_pg_stop(const struct deploy *d, struct dbp_report *r)
{
	const struct dbp_unit *u = d->u;
	const struct dbp_image *img = d->img;
	struct dbp_finding *x;

	if (u->kind != DBP_UNIT_K8S || !d->pg || img->stop_signal || u->prestop == 2 ||
	    (img->command_unknown && img->image_stop_fast))
		return;
	x = add(r, d->file, &u->at, "DBK702", DBP_INFO,
		"%s: Kubernetes stops the container with the image's STOPSIGNAL (SIGINT "
		"in the official postgres image, SIGTERM -- a smart shutdown that waits for "
		"every client -- in most others)%s.", d->n,
		u->prestop ? "; the preStop hook does not stop PostgreSQL fast" :
		"; no preStop hook stops PostgreSQL fast");
	/* pg_ctl refuses to run as root, which the official image's
	 * preStop runs as; it finds PGDATA in the image's environment */
	dbp_finding_advise(x, "add `lifecycle: {preStop: {exec: {command: [\"gosu\", "
		"\"postgres\", \"pg_ctl\", \"stop\", \"-m\", \"fast\"]}}}` (as the "
		"server's user: pg_ctl refuses root) or, on Kubernetes 1.33+ with "
		"ContainerStopSignals, `lifecycle: {stopSignal: SIGINT}`.");
}

/* DBK705: a livenessProbe without a startupProbe kills a recovery */
static void rule_k8s_startup_probe(const struct deploy *d, struct dbp_report *r)
{
	/* what a start after a crash (or a restore, a clone) spends its
	 * time on before the server answers */
	static const char *const recovery[] = {
		[DBP_DB_NONE] = "",
		[DBP_DB_POSTGRES] = "replays the WAL since the last checkpoint (crash "
				    "recovery)",
		[DBP_DB_MYSQL] = "runs InnoDB crash recovery",
		[DBP_DB_MONGODB] = "recovers WiredTiger from its journal",
		[DBP_DB_REDIS] = "loads its RDB or AOF file",
	};
	const struct dbp_unit *u = d->u;
	struct dbp_finding *x;

	if (u->kind != DBP_UNIT_K8S || !d->db || !u->liveness || u->startup)
		return;
	x = add(r, d->file, &u->liveness_at, "DBK705", DBP_WARNING,
		"%s: a livenessProbe and no startupProbe: after a crash the %s server "
		"%s before it answers, and the kubelet kills it if that takes longer "
		"than about %lld s (initialDelaySeconds + failureThreshold x "
		"periodSeconds) -- mid-recovery, and again on every restart.",
		d->n, d->dbn, recovery[d->img->db], u->liveness_window);
	dbp_finding_advise(x, "add a startupProbe with the same check and a "
		"failureThreshold x periodSeconds long enough for a crash recovery "
		"(CloudNativePG allows an hour); the livenessProbe only starts once it "
		"has passed.");
}

/* DBK709: a failed livenessProbe (or startupProbe) stops the container
 * with the probe's own terminationGracePeriodSeconds where it sets one,
 * not the pod's: the same stop as DBK701's, with a shorter grace, and it
 * comes when the server is slow -- mid-checkpoint, mid-recovery */
static void rule_k8s_probe_grace(const struct deploy *d, struct dbp_report *r)
{
	const struct dbp_unit *u = d->u;
	struct dbp_finding *x;

	if (u->kind != DBP_UNIT_K8S || !d->db || u->probe_grace == DBP_UNSET ||
	    u->probe_grace >= d->o->min_grace)
		return;
	x = add(r, d->file, &u->probe_grace_at, "DBK709", DBP_WARNING,
		"%s: when its %s fails, the kubelet stops the %s server with the "
		"probe's own terminationGracePeriodSeconds, %lld s, not the pod's %lld s; "
		"it needs %lld s to stop cleanly (%s). A probe fails when the server is "
		"slow or busy: the stop is cut short by SIGKILL, and the restart runs a "
		"crash recovery the probe then waits on.", d->n, u->probe_grace_of, d->dbn,
		u->probe_grace, d->grace, d->o->min_grace, shutdown_work[d->img->db]);
	dbp_finding_advise(x, "remove terminationGracePeriodSeconds from the %s (the "
		"pod's then applies) or set it to %lld or more.", u->probe_grace_of,
		(long long)d->o->min_grace);
}

/* DBK706: a preStop hook that runs pg_ctl as root, which it refuses */
static void rule_k8s_prestop_root(const struct deploy *d, struct dbp_report *r)
{
	const struct dbp_unit *u = d->u;
	struct dbp_finding *x;

	if (u->kind != DBP_UNIT_K8S || !d->pg || !u->prestop_root)
		return;
	x = add(r, d->file, &u->prestop_at, "DBK706", DBP_WARNING,
		"%s: the preStop hook runs pg_ctl as root (%s): pg_ctl refuses to run as "
		"root, the hook fails, and the container is stopped with the image's "
		"STOPSIGNAL instead (SIGTERM, a smart shutdown, in most images).", d->n,
		u->prestop_root == 1 ? "securityContext.runAsUser: 0" :
		"the official postgres image has no USER, and a hook runs as the "
		"container's user");
	dbp_finding_advise(x, "run it as the server's user: `[\"gosu\", \"postgres\", "
		"\"pg_ctl\", \"stop\", \"-m\", \"fast\"]` (or `su postgres -c`), or "
		"`lifecycle: {stopSignal: SIGINT}` on Kubernetes 1.33+.");
}

/* DBK703 (a pod's shared namespace) and DBK704 (Compose's pid: host or
 * service:...): the command is not PID 1 of its own namespace */
static void rule_shared_pid(const struct deploy *d, struct dbp_report *r)
{
	const struct dbp_unit *u = d->u;
	struct dbp_finding *x;

	if (u->share_pid == 1) {
		x = add(r, d->file, &u->pid_at, "DBK703", DBP_INFO,
			"%s: shareProcessNamespace: the pause process is PID 1 and reaps orphans; "
			"the stop signal still goes to each container's own first process, so that "
			"process must handle it.", d->n);
		dbp_finding_advise(x, "nothing to do if the first process is the database "
			"server or an entrypoint that execs it.");
	} else if (u->share_pid > 1) {
		x = add(r, d->file, &u->pid_at, "DBK704",
			u->share_pid == 3 && d->db ? DBP_WARNING : DBP_INFO,
			"%s: `pid: %s`: the service runs in %s PID namespace, so its command is not "
			"PID 1 there.", d->n, u->share_pid == 3 ? "host" : "service:...",
			u->share_pid == 3 ? "the host's" : "another service's");
		dbp_finding_advise(x, "give a database its own PID namespace (drop `pid:`) and "
			"`init: true`.");
	}
}

/* DBO309: a database without a memory limit */
static void rule_mem_limit(const struct deploy *d, struct dbp_report *r)
{
	const struct dbp_unit *u = d->u;
	struct dbp_finding *x;

	if (!d->db || u->mem_limit != DBP_UNSET)
		return;
	x = add(r, d->file, u->memory_at.line ? &u->memory_at : &u->at, "DBO309", DBP_WARNING,
		"%s: no memory limit: the %s server competes with everything on the node "
		"and the node's OOM killer, not a limit it was sized for, decides.",
		d->n, d->dbn);
	dbp_finding_advise(x, u->kind == DBP_UNIT_COMPOSE ?
		"set `mem_limit` (or deploy.resources.limits.memory) to what the server "
		"is configured for (shared_buffers, work_mem x connections)." :
		"set resources.limits.memory and an equal resources.requests.memory "
		"(Guaranteed QoS).");
}

/* DBO307: a pod's QoS class that puts the server first in the OOM
 * killer's way */
static void rule_k8s_qos(const struct deploy *d, struct dbp_report *r)
{
	const struct dbp_unit *u = d->u;
	struct dbp_finding *x;

	if (u->kind != DBP_UNIT_K8S || !d->db ||
	    (u->qos != DBP_QOS_BESTEFFORT && u->qos != DBP_QOS_BURSTABLE))
		return;
	x = add(r, d->file, &u->memory_at, "DBO307",
		u->qos == DBP_QOS_BESTEFFORT ? DBP_CRITICAL : DBP_WARNING,
		"%s: the pod's QoS class is %s: its processes get oom_score_adj %s, so under "
		"node memory pressure the %s server is among the first the OOM killer takes%s.",
		d->n, dbp_qos_name((enum dbp_qos)u->qos),
		u->qos == DBP_QOS_BESTEFFORT ? "1000" : "2..999 (1000 - 1000 x request / node memory)",
		d->dbn, u->qos == DBP_QOS_BURSTABLE && d->pg ?
		", and the postmaster cannot lower its own score" : "");
	dbp_finding_advise(x, "set requests equal to limits for CPU and memory in every "
		"container of the pod (Guaranteed: oom_score_adj -997).");
}

/* DBO306: Guaranteed QoS without PG_OOM_ADJUST_FILE leaves the
 * postmaster no better protected than a backend */
static void rule_k8s_pg_oom(const struct deploy *d, struct dbp_report *r)
{
	const struct dbp_unit *u = d->u;
	struct dbp_finding *x;

	if (u->kind != DBP_UNIT_K8S || !d->pg || u->qos != DBP_QOS_GUARANTEED ||
	    u->pg_oom_file == 1)
		return;
	x = add(r, d->file, &u->env_at, "DBO306", DBP_WARNING,
		"%s: Guaranteed QoS gives every process oom_score_adj -997, and without "
		"PG_OOM_ADJUST_FILE the backends keep it: the postmaster is no better "
		"protected than any backend.", d->n);
	dbp_finding_advise(x, "set env PG_OOM_ADJUST_FILE=/proc/self/oom_score_adj and "
		"PG_OOM_ADJUST_VALUE=0 on the container.");
}

/* What a unit's file adds to its image, in the order the findings are
 * added. deployment: judged only for a Compose service or a Kubernetes
 * container -- a Dockerfile or inspect JSON has no deployment. */
static const struct deploy_rule {
	const char *ids;	/* the findings it may add */
	int deployment;
	void (*judge)(const struct deploy *d, struct dbp_report *r);
} unit_rules[] = {
	{ "DBI608", 0, rule_cmd_reset },
	{ "DBI617", 0, rule_missing_program },
	{ "DBI610", 0, rule_pg_root },
	{ "DBI611", 0, rule_pg_oom_env },
	{ "DBI612", 0, rule_init_unused },
	{ "DBI615 DBI616", 0, supervisor_rules },
	{ "DBK701", 1, rule_grace },
	{ "DBK702", 1, rule_k8s_pg_stop },
	{ "DBK705", 1, rule_k8s_startup_probe },
	{ "DBK706", 1, rule_k8s_prestop_root },
	{ "DBK709", 1, rule_k8s_probe_grace },
	{ "DBK703 DBK704", 1, rule_shared_pid },
	{ "DBO309", 1, rule_mem_limit },
	{ "DBO307", 1, rule_k8s_qos },
	{ "DBO306", 1, rule_k8s_pg_oom },
};

static void deploy_rules(const struct dbp_unit *u, const struct dbp_image *img,
			 const struct dbp_image_facts *facts, const struct dbp_lint_opts *o,
			 const char *file, struct dbp_report *r)
{
	struct deploy d = {
		.u = u, .img = img, .facts = facts, .o = o, .file = file,
		.n = img->name, .dbn = dbp_db_name(img->db),
		.db = img->db != DBP_DB_NONE, .pg = img->db == DBP_DB_POSTGRES,
		.grace = u->grace != DBP_UNSET ? u->grace : u->grace_default,
	};
	int deployment = u->kind != DBP_UNIT_DOCKERFILE && u->kind != DBP_UNIT_INSPECT;

	for (size_t k = 0; k < sizeof(unit_rules) / sizeof(unit_rules[0]); k++)
		if (deployment || !unit_rules[k].deployment)
			unit_rules[k].judge(&d, r);
}

void dbp_rules_lint_file(const struct dbp_lintfile *lf, const char *file, struct dbp_report *r)
{
	const char *name = strcmp(file, "-") ? file : "standard input";
	struct dbp_finding *x;

	if (lf->template_docs) {
		x = add(r, file, &lf->template_at, "DBK707", DBP_UNKNOWN,
			"%s is a Helm template ({{ ... }} at line %d): it is Kubernetes YAML "
			"only once Helm renders it, so %s with template actions %s not "
			"judged%s.", name, lf->template_at.line,
			lf->template_docs == 1 ? "the document" : "the documents",
			lf->template_docs == 1 ? "is" : "are",
			lf->units.n ? "; the others are" : "");
		dbp_finding_advise(x, "render it first and lint what Kubernetes will get: "
			"`helm template RELEASE CHART -f values.yaml | dbpod lint -` (or `helm "
			"template --output-dir DIR` and lint the files there).");
	}
	for (size_t i = 0; i < lf->ncrs; i++) {
		const struct dbp_operator_cr *cr = &lf->crs[i];
		const char *at = strstr(cr->made, "NAME");
		char get[160];

		x = add(r, file, &cr->at, "DBK708", DBP_INFO,
			"%s %s (%s) is a database operator's custom resource: the operator "
			"makes the %s pods from it -- their grace period, preStop, probes, "
			"resources and stop -- and none of that is in this file, so nothing here "
			"is judged.", cr->kind, cr->name, cr->api, dbp_db_name((enum dbp_db)cr->db));
		if (at)
			snprintf(get, sizeof(get), "%.*s%s%s", (int)(at - cr->made), cr->made,
				 cr->name, at + 4);
		else
			snprintf(get, sizeof(get), "%s", cr->made);
		dbp_finding_advise(x, "lint what the operator made: `kubectl get %s -o yaml | "
			"dbpod lint -`, and check the operator's own stop settings "
			"(CloudNativePG: stopDelay, smartShutdownTimeout; Zalando: "
			"pod_terminate_grace_period).", get);
		x->database = dbp_db_id((enum dbp_db)cr->db);
	}
}

void dbp_rules_lint_unjudged(const char *path, const struct dbp_lintfile *lf,
			     struct dbp_report *r)
{
	const char *name = strcmp(path, "-") ? path : "standard input";
	struct dbp_finding *x;

	x = dbp_report_add(r, "DBI600", DBP_UNKNOWN, 0, "%s cannot be judged: %s.", name, lf->why);
	dbp_finding_advise(x, "give dbpod lint a Dockerfile, a Compose file, Kubernetes "
		"YAML (kubectl, Helm or kustomize output) or inspect JSON; --kind "
		"names the kind when it cannot be told.");
	dbp_finding_locate(x, path, lf->err_line, lf->err_column);
}

void dbp_rules_lint(const struct dbp_unit *u, const struct dbp_lint_opts *o,
		    const char *file, struct dbp_report *r, struct dbp_image_facts *out)
{
	struct dbp_image img = u->img;
	struct dbp_image_facts local, *facts = out ? out : &local;
	struct dbp_image_opts io = { o->stop_signal, o->grace, o->grace >= 0 ? "--grace" : NULL,
				     o->generic || o->profile };
	size_t first = r->n;

	if (o->generic)
		img.db = DBP_DB_NONE;
	else if (o->profile)
		img.db = o->profile;
	/* the grace period the deployment gives, else its runtime's default
	 * (Compose 10 s, Kubernetes 30 s; docker stop 10 s for an image) */
	if (io.grace < 0 && u->kind != DBP_UNIT_DOCKERFILE && u->kind != DBP_UNIT_INSPECT) {
		io.grace = u->grace != DBP_UNSET ? (int)(u->grace > 86400 * 7 ? 86400 * 7 : u->grace) :
			   u->grace_default;
		io.grace_from = u->kind == DBP_UNIT_COMPOSE ?
			(u->grace != DBP_UNSET ? "stop_grace_period" : "Compose's default") :
			(u->grace != DBP_UNSET ? "terminationGracePeriodSeconds" :
			 "Kubernetes' default");
	}
	dbp_rules_image(&img, &io, r, facts);
	img.db = facts->db;
	for (size_t i = first; i < r->n; i++) {
		const struct dbp_pos *at = where(u, r->items[i].id);

		dbp_finding_locate(&r->items[i], file, at->line, at->column);
	}
	deploy_rules(u, &img, facts, o, file, r);
	for (size_t i = first; i < r->n; i++)
		r->items[i].database = img.db ? dbp_db_id(img.db) : NULL;
	if (!out)
		dbp_image_facts_free(facts);
}

/* The inline ignores of a file, applied to its findings (lintignore.h
 * parses them): the judgement of what they silence, and DBI690. */
size_t dbp_ignores_apply(struct dbp_report *r, size_t first, const struct dbp_ignores *l,
			 const char *file, int honour)
{
	size_t kept = first, dropped = 0, end = r->n;
	struct dbp_ignore_index ix;

	if (!honour)
		return 0;
	/* thousands of findings against thousands of ignores: an index */
	if (dbp_ignore_index_build(l, &ix) < 0)
		r->nomem = 1;
	for (size_t i = first; i < end; i++) {
		struct dbp_finding *f = &r->items[i];
		int drop = f->file && !strcmp(f->file, file) &&
			   dbp_ignore_index_covers(&ix, f->id, f->line);

		if (drop) {
			free(f->message);
			free(f->advice);
			free(f->file);
			dropped++;
			continue;
		}
		r->items[kept++] = *f;
	}
	r->n = kept;
	dbp_ignore_index_free(&ix);
	for (size_t k = 0; k < l->n; k++) {
		const struct dbp_ignore *ig = &l->items[k];
		struct dbp_finding *x;

		if (ig->reason && *ig->reason)
			continue;
		x = dbp_report_add(r, "DBI690", DBP_WARNING, 0,
			"An inline ignore of %s gives no reason, so it silences nothing.", ig->ids);
		dbp_finding_advise(x, "say why: `# dbpod ignore=%s reason: ...` (or the "
			"annotation `dbpod.io/ignore: \"%s: ...\"`), or fix what it hides.",
			ig->ids, ig->ids);
		dbp_finding_locate(x, file, ig->line, ig->column);
	}
	return dropped;
}

/*
 * imagecheck rules. What will be PID 1 follows from Entrypoint + Cmd the
 * way the runtime builds argv: Entrypoint's words, then Cmd's; a shell
 * form is ["/bin/sh", "-c", "STRING"].
 */
#include "config.h"

#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_image.h"
#include "sigset.h"

#define INIT_FIX \
	"run an init as PID 1: `ENTRYPOINT [\"tini\", \"--\", \"docker-entrypoint.sh\"]` " \
	"(or dumb-init) in the image; at run time `docker run --init`, `init: true` in " \
	"compose, or `shareProcessNamespace: true` in a Kubernetes pod (Kubernetes has " \
	"no --init)"

static const char *base(const char *s)
{
	const char *b = strrchr(s, '/');

	return b ? b + 1 : s;
}

static int is_shell(const char *w)
{
	static const char *const shells[] = { "sh", "bash", "dash", "ash", "zsh", "ksh", "busybox" };

	for (size_t i = 0; i < sizeof(shells) / sizeof(shells[0]); i++)
		if (!strcmp(base(w), shells[i]))
			return 1;
	return 0;
}

static int is_init(const char *w)
{
	struct dbp_class c;

	/* podman run --init bind-mounts catatonit there */
	if (!strcmp(base(w), "podman-init"))
		return 1;
	dbp_classify_name(w, &c);
	return c.kind == DBP_KIND_INIT;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* "su -c", "sudo -u x", "exec su-exec" is fine: su-exec and gosu exec */
static int has_word(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = s; (p = strstr(p, w)); p += n) {
		int start = p == s || p[-1] == ' ' || p[-1] == '/' || p[-1] == ';' || p[-1] == '&';
		int end = p[n] == '\0' || p[n] == ' ';

		if (start && end)
			return 1;
	}
	return 0;
}

int dbp_script_execs(const char *text)
{
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *p = l + strspn(l, " \t");

		if (strncmp(p, "exec", 4) || (p[4] != ' ' && p[4] != '\t'))
			continue;
		p += 4 + strspn(p + 4, " \t");
		/* `exec >log 2>&1` only redirects */
		while (*p && (strchr("<>&", *p) || (isdigit((unsigned char)*p) && strchr("<>", p[1])))) {
			p += strcspn(p, " \t\n");
			p += strspn(p, " \t");
		}
		if (*p && *p != '\n' && *p != '#' && *p != ';')
			return 1;
	}
	return -1;
}

static void build_argv(const struct dbp_image *img, struct dbp_image_facts *f)
{
	size_t n = 0, k = 0;

	if (img->argv) {
		/* a container: what the runtime really ran */
		for (char **w = img->argv; *w; w++)
			n++;
		f->argv = calloc(n + 1, sizeof(char *));
		for (size_t i = 0; f->argv && i < n; i++)
			f->argv[k++] = img->argv[i];
		f->argc = k;
		return;
	}

	for (char **w = img->entrypoint; w && *w; w++)
		n++;
	for (char **w = img->cmd; w && *w; w++)
		n++;
	f->argv = calloc(n + 1, sizeof(char *));
	if (!f->argv)
		return;
	for (char **w = img->entrypoint; w && *w; w++)
		f->argv[k++] = *w;
	for (char **w = img->cmd; w && *w; w++)
		f->argv[k++] = *w;
	f->argc = k;
}

void dbp_image_facts_free(struct dbp_image_facts *f)
{
	free(f->argv);
	f->argv = NULL;
	dbp_chain_free(&f->chain);
	f->nsp = 0;
}

static enum dbp_severity outcome_severity(const struct dbp_image_facts *f,
					  const struct dbp_stop_path *sp)
{
	/* the server the chain ends in, or a database image whose server
	 * the chain does not show (`pg_ctl start && tail -f` under sh) */
	int db = (f->pf.service && f->pf.service_class.kind == DBP_KIND_DATABASE) ||
		 f->db != DBP_DB_NONE;

	switch (sp->outcome) {
	case DBP_OUT_GRACEFUL:
		return DBP_OK;
	case DBP_OUT_SIGKILL:
	case DBP_OUT_CRASH:
		return db ? DBP_CRITICAL : DBP_WARNING;
	case DBP_OUT_TERMINATED:
		return db ? DBP_CRITICAL : DBP_INFO;
	case DBP_OUT_RISKY:
		return DBP_WARNING;
	case DBP_OUT_UNCERTAIN:
	case DBP_OUT_UNKNOWN:
		break;
	}
	return DBP_INFO;
}

enum dbp_severity dbp_image_stop_severity(const struct dbp_image_facts *f)
{
	enum dbp_severity worst = DBP_OK;

	if (!f->nsp)
		return DBP_UNKNOWN;
	for (size_t k = 0; k < f->nsp; k++) {
		enum dbp_severity s = outcome_severity(f, &f->sp[k]);

		if (s > worst)
			worst = s;
	}
	return worst;
}

/* A stop finding's severity: the predicted stop's when there is one
 * (ok: a graceful stop, no finding), else what the cause alone says. */
static enum dbp_severity stop_finding_severity(const struct dbp_image_facts *f,
					       enum dbp_severity unpredicted)
{
	enum dbp_severity s = dbp_image_stop_severity(f);

	return s == DBP_UNKNOWN ? unpredicted : s;
}

/* The stop the chain PID 1 runs will see, per signal judged: into f. */
static void predict(const struct dbp_image *img, const struct dbp_image_opts *o,
		    struct dbp_image_facts *f)
{
	struct dbp_chain_in ci;
	struct dbp_signals_input in;
	const char *init = NULL;
	int sig = 0;

	memset(&ci, 0, sizeof(ci));
	/* the runtime's init in front: docker run --init, init: true, a pod
	 * with shareProcessNamespace; podman shows its own in Path already */
	if (img->init == 1 && f->argc && !is_init(f->argv[0]))
		init = img->init_name ? img->init_name : "docker-init";
	if (img->command_unknown) {
		if (dbp_chain_unknown(img->image_ref, &f->chain) < 0) {
			dbp_chain_free(&f->chain);
			return;
		}
	} else {
		ci.argv = f->argv;
		ci.init = init;
		ci.files = img->files.read ? &img->files : NULL;
		ci.tini_kill_group = img->tini_kill_group;
		ci.official_entrypoint = img->entrypoint_official;
		if (dbp_chain_build(&ci, &f->chain) < 0 || !f->chain.t.n) {
			dbp_chain_free(&f->chain);
			return;
		}
	}
	if (o && o->stop_signal > 0)
		sig = o->stop_signal;
	else if (img->stop_signal)
		sig = f->stop_signal > 0 ? f->stop_signal : 0;
	else if (!img->stop_signal_from_image)
		sig = SIGTERM;		/* none set: the runtimes send SIGTERM */
	f->stop_signal_known = sig > 0;
	dbp_chain_signals_input(&f->chain, sig, f->grace, img->tini_kill_group, &in);
	dbp_pid1_examine(&f->chain.t, &in.pid1, &f->pf);
	for (size_t k = 0; k < f->pf.nstops; k++)
		dbp_stop_path(&f->chain.t, &in, &f->pf, f->pf.stop_signals[k], &f->sp[k]);
	f->nsp = f->pf.nstops;
	/* in points at f->chain's scripts, which outlive this call; the
	 * stop paths keep no pointer into in */
}

/* One image being judged: what every rule reads. The facts grow as the
 * rules run (the shell form, the init, the script), in the table's order
 * (image_rules). */
struct judge {
	const struct dbp_image *img;
	const struct dbp_image_opts *o;
	struct dbp_image_facts *f;
	int db;			/* a database server runs (f->db) */
	const char *dbn;	/* its name */
	const char *shell_string;	/* what a shell form's `sh -c` runs, else NULL */
	enum dbp_severity sev;	/* a stop finding's: the predicted stop's, else by db */
};

/* DBI613: what each predicted stop does, when it is not graceful; two
 * signals judged (the image's is not known) that end alike are one
 * finding */
static void rule_stop(struct judge *j, struct dbp_report *r)
{
	const struct dbp_image *img = j->img;
	const struct dbp_image_facts *f = j->f;

	for (size_t k = 0; k < f->nsp; k++) {
		const struct dbp_stop_path *sp = &f->sp[k];
		enum dbp_severity sev = outcome_severity(f, sp);
		/* the step that decides: before "the runtime SIGKILLs every
		 * process when the grace period ends", what let it come to that */
		const char *what = sp->nsteps > 1 && sp->outcome == DBP_OUT_SIGKILL &&
				   sp->when == DBP_WHEN_GRACE ? sp->steps[sp->nsteps - 2] :
				   sp->nsteps ? sp->steps[sp->nsteps - 1] : "";
		struct dbp_finding *x;
		char sn[24], sn2[24] = "";
		int same = 0;

		/* a chain not followed to its end (a script not read, a
		 * program not known) is said by DBI602 and the chain's notes */
		if (sev == DBP_OK || sp->outcome == DBP_OUT_UNKNOWN)
			continue;
		if (k > 0 && f->sp[0].outcome == sp->outcome && f->sp[0].when == sp->when)
			continue;
		if (k + 1 < f->nsp && f->sp[k + 1].outcome == sp->outcome &&
		    f->sp[k + 1].when == sp->when) {
			same = 1;
			dbp_signal_name(f->sp[k + 1].signal, sn2, sizeof(sn2));
		}
		dbp_signal_name(sp->signal, sn, sizeof(sn));
		if (sev == DBP_INFO) {
			x = dbp_report_add(r, "DBI613", DBP_INFO, 0,
				"%s: on stop with %s%s%s: %s. dbpod cannot tell what happens "
				"next: %s decides.", img->name, sn, same ? " or " : "", sn2, what,
				sp->unread ? sp->unread : "a handler");
			dbp_finding_advise(x, "check a running container with `dbpod signals`, "
				"which reads what each process does with the signal.");
			continue;
		}
		x = dbp_report_add(r, "DBI613", sev, 0,
			"%s: on stop with %s%s%s%s (%d s grace period, %s): %s. %s",
			img->name, sn, same ? " or " : "", sn2,
			f->stop_signal_known ? "" : same ? " (the image's stop signal is not known "
			"here: both are judged)" : " (one of the two usual stop signals: the "
			"image's is not known here)", sp->grace, f->grace_from, what,
			dbp_stop_consequence(sp));
		dbp_finding_advise(x, "%s", dbp_stop_advice(&f->pf, sp));
	}
}

/* The server's command for advice (`CMD ["mariadbd", ...]`): the one
 * the chain runs, else the database's usual one. */
static const char *server_command(const struct dbp_image_facts *f)
{
	for (size_t i = f->chain.t.n; i-- > 0;) {
		struct dbp_class c;

		dbp_classify(&f->chain.t.procs[i], &c);
		if (c.kind == DBP_KIND_DATABASE)
			return c.name;
	}
	return dbp_db_server(f->db);
}

/* DBI614: a shell of the chain starts the server so that it does not
 * wait for it -- a daemon PID 1 adopts (pg_ctl start), or a background
 * job it never waits for -- so no exec makes the server PID 1 and the
 * stop reaches it only if PID 1 passes it on. */
static void rule_daemon(struct judge *j, struct dbp_report *r)
{
	const struct dbp_image *img = j->img;
	const struct dbp_image_facts *f = j->f;
	enum dbp_severity sev = stop_finding_severity(f, f->db ? DBP_CRITICAL : DBP_WARNING);
	const char *server = server_command(f);
	struct dbp_finding *x;

	if (!f->chain.start.how || sev == DBP_OK)
		return;
	if (f->chain.start.how == 1)
		x = dbp_report_add(r, "DBI614", sev, 0,
			"%s: `%.60s` (%s, line %d) starts %s as a daemon: %s forks it off and "
			"returns, the shell goes on, and PID 1 adopts the server. No exec can "
			"make it PID 1 or the shell's child, and the stop signal reaches it "
			"only if PID 1 passes it on.", img->name, f->chain.start.command,
			f->chain.start.source, f->chain.start.line, server, f->chain.start.what);
	else
		x = dbp_report_add(r, "DBI614", sev, 0,
			"%s: `%.60s` (%s, line %d) starts %s in the background and nothing waits "
			"for it: the shell waits on another command, and the stop signal "
			"reaches the server only if the shell passes it on.", img->name,
			f->chain.start.command, f->chain.start.source, f->chain.start.line,
			server);
	dbp_finding_advise(x, "run the server itself in the foreground, as the last "
		"command, with exec (`exec %s ...`, through gosu or su-exec to switch "
		"users), or in exec form (`CMD [\"%s\", ...]`); pg_ctl start and service "
		"... start are for hosts whose init system stops the server.", server, server);
}

/* DBI603 is about a server that is PID 1 and so adopts the container's
 * orphans: where the chain shows PID 1, only when it is the server; where
 * the command is the image's (Compose, Kubernetes), or server flags for
 * its entrypoint, as the official images run it, unless the image is
 * known to run its own init. */
static int server_is_pid1(const struct dbp_image *img, const struct dbp_image_facts *f)
{
	const struct dbp_proc *p1;
	struct dbp_class c;

	if (img->command_unknown)
		return 1;
	/* server flags handed to the image's entrypoint, which the official
	 * images' run the server with (`command: --max-connections=500`) */
	if (img->args_to_image && img->cmd[0] && img->cmd[0][0] == '-')
		return 1;
	p1 = f->chain.t.n ? dbp_table_find(&f->chain.t, 1) : NULL;
	if (!p1)
		return 0;
	dbp_classify(p1, &c);
	return c.kind == DBP_KIND_DATABASE;
}

/* DBI604 is about the signal the runtime sends the server: not where a
 * shell drops it, nor where a trap, su or a supervisor sends one of its
 * own choosing. Where the stop path stops before the server (a script
 * not read), the runtime's signal may still reach it. */
static int signal_reaches_server(const struct dbp_image_facts *f)
{
	if (!f->nsp)
		return 1;
	for (size_t k = 0; k < f->nsp; k++) {
		const struct dbp_stop_path *sp = &f->sp[k];

		if (sp->server_signal == sp->signal && !sp->passed_on)
			return 1;
		if (sp->outcome == DBP_OUT_UNKNOWN && !sp->server_signal && !sp->passed_on &&
		    !sp->dropped_by_pid1)
			return 1;
	}
	return 0;
}

/* DBI605: su or sudo resident on the chain -- in the command, a script's
 * exec, a supervisord program's command -- as the predicted table shows
 * it; the command's words where the chain was not followed to its end
 * (a su that only starts something and returns is no finding). */
static void rule_switcher(struct judge *j, struct dbp_report *r)
{
	const struct dbp_image *img = j->img;
	const struct dbp_image_facts *f = j->f;
	struct dbp_finding *x;
	const char *what = NULL, *where = "";
	char buf[96];

	if (img->command_unknown)
		return;
	for (size_t i = 0; !what && i < f->chain.t.n; i++) {
		const struct dbp_proc *p = &f->chain.t.procs[i];
		struct dbp_class c;

		dbp_classify(p, &c);
		if (c.kind != DBP_KIND_SWITCHER || !strcmp(c.name, "runuser"))
			continue;
		buf[0] = '\0';
		for (size_t k = 0, at = 0; p->argv && p->argv[k] && at + 1 < sizeof(buf); k++)
			at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%s%s", k ? " " : "",
					       p->argv[k]);
		what = buf;
		where = p->pid == 1 ? " as PID 1" : f->chain.have_supervisor ?
			" in supervisord's program" : " in the chain PID 1 runs";
	}
	for (size_t i = 0; !what && (!f->chain.t.n || f->chain.unread) && i < f->argc; i++) {
		const char *w = f->argv[i];

		if (!strcmp(base(w), "su") || !strcmp(base(w), "sudo") ||
		    ((i > 0 && !strcmp(f->argv[i - 1], "-c")) &&
		     (has_word(w, "su") || has_word(w, "sudo"))))
			what = w;
	}
	if (!what)
		return;
	x = dbp_report_add(r, "DBI605", DBP_WARNING, 0,
		"%s: su or sudo stays resident%s (`%.60s`). They fork and stay as the "
		"service's parent instead of exec'ing it, and pass signals on their own "
		"way: su sends SIGTERM and SIGKILLs 2 s later, sudo relays.", img->name, where,
		what);
	dbp_finding_advise(x, "switch users with a tool that execs: `gosu`, "
		"`su-exec`, `setpriv --reuid`, or `USER` in the Dockerfile.");
}

/* DBI606: neither Entrypoint nor Cmd: nothing else can be judged */
static void rule_no_command(struct judge *j, struct dbp_report *r)
{
	struct dbp_finding *x = dbp_report_add(r, "DBI606", DBP_UNKNOWN, 0,
		"%s: neither Entrypoint nor Cmd is set: the container gets its "
		"command at run time, and dbpod cannot tell what will be PID 1.",
		j->img->name);

	dbp_finding_advise(x, "inspect the container rather than the image, or "
		"check the running container with `dbpod pid1check`.");
}

/* DBI601: a shell form that does not exec leaves /bin/sh as PID 1 (a
 * fact for the rules after it, whether or not the stop is graceful) */
static void rule_shell_form(struct judge *j, struct dbp_report *r)
{
	struct dbp_image_facts *f = j->f;
	const char *s = j->shell_string;
	struct dbp_finding *x;

	if (!s || !strncmp(s, "exec ", 5) || dbp_script_execs(s) >= 0)
		return;
	f->shell_form = 1;
	f->pid1 = "sh";
	if (j->sev == DBP_OK)
		return;
	x = dbp_report_add(r, "DBI601", j->sev, 0,
		"%s: the command is in shell form (`/bin/sh -c \"%.60s%s\"`): "
		"/bin/sh becomes PID 1 and stays there -- dash, /bin/sh on Debian "
		"and Ubuntu, does not exec even a single command -- and a shell "
		"neither handles nor forwards SIGTERM: the container is SIGKILLed "
		"at the end of the grace period%s.", j->img->name, s,
		strlen(s) > 60 ? "..." : "",
		j->db ? ", the database without a clean shutdown" : "");
	if (f->chain.start.how == 1)
		dbp_finding_advise(x, "`%s` forks the server off and returns, so "
			"`exec` at the start of the string would not help: run the "
			"server itself in the foreground, in exec form: `CMD [\"%s\", "
			"...]` (or `ENTRYPOINT [\"docker-entrypoint.sh\"]`).",
			f->chain.start.what, server_command(f));
	else
		dbp_finding_advise(x, "use the exec form, `CMD [\"%s\", ...]` or "
			"`ENTRYPOINT [\"docker-entrypoint.sh\"]`, or start the string "
			"with `exec` so that the shell replaces itself.",
			server_command(f));
}

/* DBI607: a shell string handed to an entrypoint that is neither a shell
 * nor a script passing it on: Cmd's /bin/sh runs below the entrypoint */
static void rule_cmd_shell_form(struct judge *j, struct dbp_report *r)
{
	const struct dbp_image *img = j->img;
	char **cmd = img->cmd;
	struct dbp_finding *x;

	if (j->shell_string || !img->entrypoint || !img->entrypoint[0] || !cmd || !cmd[0] ||
	    !cmd[1] || !is_shell(cmd[0]) || strcmp(cmd[1], "-c") ||
	    is_shell(img->entrypoint[0]) || (cmd[2] && !strncmp(cmd[2], "exec ", 5)) ||
	    j->sev == DBP_OK)
		return;
	x = dbp_report_add(r, "DBI607", j->sev, 0,
		"%s: Cmd is in shell form (`/bin/sh -c \"%.60s%s\"`) under the "
		"exec-form Entrypoint `%s`: the entrypoint runs /bin/sh, which runs "
		"the command as its child without exec, so the stop signal reaches "
		"the shell and not the %s.", img->name, cmd[2] ? cmd[2] : "",
		cmd[2] && strlen(cmd[2]) > 60 ? "..." : "", img->entrypoint[0],
		j->db ? "database server" : "service");
	dbp_finding_advise(x, "write CMD in exec form too: `CMD [\"%s\", ...]`.",
			   server_command(j->f));
}

/* No finding: the init in front of the command, a fact DBI609, DBI602
 * and DBI603 read. `docker run --init` puts docker-init (tini) in front
 * of argv; podman shows its init in Path already; a command not known
 * here (Compose, Kubernetes) has the runtime's, or the image's own
 * (spilo). */
static void fact_init(struct judge *j, struct dbp_report *r)
{
	const struct dbp_image *img = j->img;
	struct dbp_image_facts *f = j->f;

	(void)r;
	if (img->command_unknown) {
		if (img->init == 1) {
			f->init = 1;
			f->pid1 = img->init_name ? img->init_name : "docker-init";
		} else if (img->image_init) {
			f->init = 1;
			f->pid1 = img->image_init;
		}
		return;
	}
	if (is_init(f->argv[0]))
		f->init = 1;
	if (img->init == 1 && !f->init) {
		f->init = 1;
		f->pid1 = img->init_name ? img->init_name : "docker-init";
	}
}

/* DBI609 (the script was read and never execs) and DBI602 (a script not
 * read): a shell script as PID 1 */
static void rule_script(struct judge *j, struct dbp_report *r)
{
	const struct dbp_image *img = j->img;
	struct dbp_image_facts *f = j->f;
	const char *script;
	struct dbp_finding *x;

	if (f->shell_form || f->init)
		return;
	script = f->argc > 1 && is_shell(f->argv[0]) ? f->argv[1] : f->argv[0];
	if (img->script_execs < 0 && (ends_with(f->argv[0], ".sh") || is_shell(f->argv[0]))) {
		f->script = 1;
		if (j->sev == DBP_OK)
			return;
		x = dbp_report_add(r, "DBI609", j->sev, 0,
			"%s: the entrypoint script `%s` was read and never execs its "
			"command: the shell stays PID 1, does not forward the stop "
			"signal, and the %s is SIGKILLed at the end of the grace "
			"period.", img->name, script, j->db ? "database server" : "service");
		dbp_finding_advise(x, "end the script with `exec \"$@\"` (or `exec` "
			"the server), as the official database images do.");
	} else if (img->script_execs == 0 && (!f->chain.t.n || f->chain.pid1_unread) &&
		   (ends_with(f->argv[0], ".sh") ||
		    (is_shell(f->argv[0]) && f->argc > 1 && f->argv[1][0] != '-'))) {
		f->script = 1;
		x = dbp_report_add(r, "DBI602", DBP_INFO, 0,
			"%s: PID 1 is a shell script (`%s`). Unless it ends with `exec` of "
			"the long-running command, the shell stays as PID 1, does not "
			"forward SIGTERM, and the service is SIGKILLed on stop.", img->name,
			script);
		dbp_finding_advise(x, "end the script with `exec \"$@\"` (as the official "
			"database images do) and check a running container with `dbpod "
			"pid1check`.");
	}
}

/* DBI603: the orphans a server PID 1 adopts: a risk to the running
 * database, not to its stop, which DBI613 judges */
static void rule_no_init(struct judge *j, struct dbp_report *r)
{
	const struct dbp_image *img = j->img;
	int pg = j->f->db == DBP_DB_POSTGRES;
	struct dbp_finding *x;

	if (!j->db || j->f->init || !server_is_pid1(img, j->f))
		return;
	x = dbp_report_add(r, "DBI603", DBP_WARNING, 0,
		"%s: no init runs in front of the %s server%s. The server becomes "
		"PID 1 and adopts every orphan in the container%s.", img->name, j->dbn,
		img->init_hint ? img->init_hint : img->source == DBP_SRC_CONTAINER ?
		(img->init == 0 ? " (HostConfig.Init is false)" : "") :
		" (an image: `--init` at run time would add one)",
		pg ? "; when an adopted process such as a left-behind psql dies from "
		     "a signal, PostgreSQL terminates every session and runs crash "
		     "recovery" : ", and does not reap them");
	dbp_finding_advise(x, "%s.", INIT_FIX);
}

/* DBI604: PostgreSQL's stop signal, where the runtime's reaches the
 * server and an image's own STOPSIGNAL is not merely unknown here */
static void rule_pg_stop_signal(struct judge *j, struct dbp_report *r)
{
	const struct dbp_image *img = j->img;
	const struct dbp_image_opts *o = j->o;
	const struct dbp_image_facts *f = j->f;
	int given = o && o->stop_signal > 0;
	struct dbp_finding *x;

	if (f->db != DBP_DB_POSTGRES || f->stop_signal == SIGINT ||
	    (img->stop_signal_from_image && !img->stop_signal && !given) ||
	    !signal_reaches_server(f))
		return;
	x = dbp_report_add(r, "DBI604", DBP_WARNING, 0,
		"%s: the stop signal is %s%s. %s", img->name,
		given ? "what --stop-signal gives" :
		img->stop_signal ? img->stop_signal : "SIGTERM",
		given ? "" : img->stop_signal ? "" : " (no StopSignal set)",
		f->stop_signal == SIGTERM ?
		"For PostgreSQL that is a smart shutdown, which waits for every "
		"client to disconnect and so often outlives the grace period and "
		"ends in SIGKILL." :
		f->stop_signal == SIGQUIT ?
		"For PostgreSQL that is an immediate shutdown: no checkpoint, crash "
		"recovery on every start." :
		f->stop_signal < 0 ? "dbpod does not know that signal." :
		"PostgreSQL does not shut down on it.");
	dbp_finding_advise(x, "`STOPSIGNAL SIGINT` in the Dockerfile, as the "
		"official postgres image has: a fast shutdown disconnects the "
		"sessions, writes the shutdown checkpoint and exits.");
}

/* The rules in the order they add their findings (the report sorts them
 * later; the facts some set are read by the ones after). command_known:
 * judged only where the image's command is known here -- a Compose
 * service or a pod without a command runs the image's, which the
 * Dockerfile's lint judges, and only what the runtime adds is judged. */
static const struct image_rule {
	const char *ids;	/* the findings it may add; "" a fact only */
	int command_known;
	void (*judge)(struct judge *j, struct dbp_report *r);
} image_rules[] = {
	{ "DBI601", 1, rule_shell_form },
	{ "DBI607", 1, rule_cmd_shell_form },
	{ "", 0, fact_init },
	{ "DBI609 DBI602", 1, rule_script },
	{ "DBI614", 1, rule_daemon },
	{ "DBI613", 0, rule_stop },
	{ "DBI603", 0, rule_no_init },
	{ "DBI604", 0, rule_pg_stop_signal },
	{ "DBI605", 0, rule_switcher },
};

/* The stop signal the runtime sends and the grace period it allows */
static void stop_facts(const struct dbp_image *img, const struct dbp_image_opts *o,
		       struct dbp_image_facts *f)
{
	f->stop_signal = img->stop_signal ? dbp_signal_parse(img->stop_signal) : SIGTERM;
	if (f->stop_signal < 0)
		f->stop_signal = -1;
	if (o && o->stop_signal > 0)
		f->stop_signal = o->stop_signal;
	/* the grace period: what the runtime is told, the image's
	 * StopTimeout, docker's and podman's 10 s */
	if (o && o->grace >= 0) {
		f->grace = o->grace;
		f->grace_from = o->grace_from ? o->grace_from : "--grace";
	} else if (img->stop_timeout >= 0) {
		f->grace = img->stop_timeout;
		f->grace_from = "StopTimeout";
	} else {
		f->grace = DBP_DOCKER_GRACE;
		f->grace_from = "docker stop's default";
	}
}

/* The facts every rule reads: the command's words, the stop signal, the
 * grace period, the database, and the stop predicted. */
static void judge_start(struct judge *j, const struct dbp_image *img,
			const struct dbp_image_opts *o, struct dbp_image_facts *f)
{
	memset(j, 0, sizeof(*j));
	j->img = img;
	j->o = o;
	j->f = f;
	memset(f, 0, sizeof(*f));
	dbp_table_init(&f->chain.t);
	build_argv(img, f);
	stop_facts(img, o, f);
	f->db = img->db;
	snprintf(f->db_hint, sizeof(f->db_hint), "%s", img->db_hint);
	if ((!img->command_unknown && f->argv && f->argc) ||
	    (img->command_unknown && f->grace == 0)) {
		/* a command not known here tells its stop only where any
		 * would end alike: a grace period of 0 */
		predict(img, o, f);
		/* the database is what runs, not what the environment of a
		 * shared base suggests (PGDATA in a MariaDB image) */
		if (f->chain.db && !(o && o->db_given)) {
			f->db = f->chain.db;
			snprintf(f->db_hint, sizeof(f->db_hint), "%s", f->chain.db_hint);
		}
	}
	j->db = f->db != DBP_DB_NONE;
	j->dbn = dbp_db_name(f->db);
	if (img->command_unknown || !f->argv || !f->argc)
		return;
	f->pid1 = base(f->argv[0]);
	/* a shell form, in the entrypoint or handed by Cmd to an entrypoint
	 * script that execs "$@" */
	if (f->argc >= 2 && is_shell(f->argv[0]) && !strcmp(f->argv[1], "-c"))
		j->shell_string = f->argc > 2 ? f->argv[2] : "";
	else if (f->argc >= 3 && ends_with(f->argv[0], ".sh") && is_shell(f->argv[1]) &&
		 !strcmp(f->argv[2], "-c"))
		j->shell_string = f->argc > 3 ? f->argv[3] : "";
	j->sev = stop_finding_severity(f, j->db ? DBP_CRITICAL : DBP_WARNING);
}

void dbp_rules_image(const struct dbp_image *img, const struct dbp_image_opts *o,
		     struct dbp_report *r, struct dbp_image_facts *f)
{
	struct judge j;

	judge_start(&j, img, o, f);
	if (!img->command_unknown && (!f->argv || !f->argc)) {
		rule_no_command(&j, r);
		return;
	}
	for (size_t k = 0; k < sizeof(image_rules) / sizeof(image_rules[0]); k++)
		if (!image_rules[k].command_known || !img->command_unknown)
			image_rules[k].judge(&j, r);
}

void dbp_rules_image_unjudged(const char *name, const char *file, const char *why,
			      struct dbp_report *r)
{
	struct dbp_finding *x = dbp_report_add(r, "DBI600", DBP_UNKNOWN, 0,
		"%s cannot be judged: %s.", name, why);

	/* located at the file, as lint's DBI600 is: its heading names it */
	if (file)
		dbp_finding_locate(x, file, 0, 0);

	dbp_finding_advise(x, "feed it the JSON of `docker image inspect IMAGE`, "
		"`docker inspect CONTAINER`, `podman inspect`, or `skopeo inspect "
		"--config docker://IMAGE`.");
}

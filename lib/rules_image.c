/*
 * imagecheck rules. What will be PID 1 follows from Entrypoint + Cmd the
 * way the runtime builds argv: Entrypoint's words, then Cmd's; a shell
 * form is ["/bin/sh", "-c", "STRING"].
 */
#include "config.h"

#include <ctype.h>
#include <signal.h>
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
}

void dbp_rules_image(const struct dbp_image *img, struct dbp_report *r,
		     struct dbp_image_facts *f)
{
	struct dbp_finding *x;
	int db = img->db != DBP_DB_NONE;
	const char *dbn = dbp_db_name(img->db);
	const char *shell_string = NULL;

	memset(f, 0, sizeof(*f));
	build_argv(img, f);
	f->stop_signal = img->stop_signal ? dbp_signal_parse(img->stop_signal) : SIGTERM;
	if (f->stop_signal < 0)
		f->stop_signal = -1;
	if (img->command_unknown) {
		/* Compose or Kubernetes without a command: the image's runs,
		 * which the Dockerfile's lint judges; only what the runtime
		 * adds is judged here */
		if (img->init == 1) {
			f->init = 1;
			f->pid1 = img->init_name ? img->init_name : "docker-init";
		}
		goto db_rules;
	}
	if (!f->argv || !f->argc) {
		x = dbp_report_add(r, "DBI606", DBP_UNKNOWN, 0,
			"%s: neither Entrypoint nor Cmd is set: the container gets its "
			"command at run time, and dbpod cannot tell what will be PID 1.",
			img->name);
		dbp_finding_advise(x, "inspect the container rather than the image, or "
			"check the running container with `dbpod pid1check`.");
		return;
	}
	f->pid1 = base(f->argv[0]);

	/* a shell form, in the entrypoint or handed by Cmd to an entrypoint
	 * script that execs "$@" */
	if (f->argc >= 2 && is_shell(f->argv[0]) && !strcmp(f->argv[1], "-c"))
		shell_string = f->argc > 2 ? f->argv[2] : "";
	else if (f->argc >= 3 && ends_with(f->argv[0], ".sh") && is_shell(f->argv[1]) &&
		 !strcmp(f->argv[2], "-c"))
		shell_string = f->argc > 3 ? f->argv[3] : "";
	/* a script that ends by exec'ing its program replaces the shell */
	if (shell_string && strncmp(shell_string, "exec ", 5) && dbp_script_execs(shell_string) < 0) {
		f->shell_form = 1;
		f->pid1 = "sh";
		x = dbp_report_add(r, "DBI601", db ? DBP_CRITICAL : DBP_WARNING, 0,
			"%s: the command is in shell form (`/bin/sh -c \"%.60s%s\"`): "
			"/bin/sh becomes PID 1 and stays there -- dash, /bin/sh on Debian "
			"and Ubuntu, does not exec even a single command -- and a shell "
			"neither handles nor forwards SIGTERM: the container is SIGKILLed "
			"at the end of the grace period%s.", img->name, shell_string,
			strlen(shell_string) > 60 ? "..." : "",
			db ? ", the database without a clean shutdown" : "");
		dbp_finding_advise(x, "use the exec form, `CMD [\"%s\", ...]` or "
			"`ENTRYPOINT [\"docker-entrypoint.sh\"]`, or start the string with "
			"`exec` so that the shell replaces itself.",
			db ? dbp_db_name(img->db) : "program");
	}

	/* a shell string handed to an entrypoint that is neither a shell nor
	 * a script passing it on: Cmd's /bin/sh runs below the entrypoint */
	if (!shell_string && img->entrypoint && img->entrypoint[0] && img->cmd &&
	    img->cmd[0] && img->cmd[1] && is_shell(img->cmd[0]) && !strcmp(img->cmd[1], "-c") &&
	    !is_shell(img->entrypoint[0]) &&
	    (!img->cmd[2] || strncmp(img->cmd[2], "exec ", 5))) {
		x = dbp_report_add(r, "DBI607", db ? DBP_CRITICAL : DBP_WARNING, 0,
			"%s: Cmd is in shell form (`/bin/sh -c \"%.60s%s\"`) under the "
			"exec-form Entrypoint `%s`: the entrypoint runs /bin/sh, which runs "
			"the command as its child without exec, so the stop signal reaches "
			"the shell and not the %s.", img->name, img->cmd[2] ? img->cmd[2] : "",
			img->cmd[2] && strlen(img->cmd[2]) > 60 ? "..." : "", img->entrypoint[0],
			db ? "database server" : "service");
		dbp_finding_advise(x, "write CMD in exec form too: `CMD [\"%s\", ...]`.",
				   db ? dbp_db_name(img->db) : "program");
	}

	if (is_init(f->argv[0]))
		f->init = 1;
	if (img->init == 1 && !f->init) {
		/* `docker run --init` puts docker-init (tini) in front of argv;
		 * podman shows its init in Path already */
		f->init = 1;
		f->pid1 = img->init_name ? img->init_name : "docker-init";
	}
	if (!f->shell_form && !f->init && img->script_execs < 0 &&
	    (ends_with(f->argv[0], ".sh") || is_shell(f->argv[0]))) {
		f->script = 1;
		x = dbp_report_add(r, "DBI609", db ? DBP_CRITICAL : DBP_WARNING, 0,
			"%s: the entrypoint script `%s` was read and never execs its "
			"command: the shell stays PID 1, does not forward the stop signal, "
			"and the %s is SIGKILLed at the end of the grace period.", img->name,
			f->argc > 1 && is_shell(f->argv[0]) ? f->argv[1] : f->argv[0],
			db ? "database server" : "service");
		dbp_finding_advise(x, "end the script with `exec \"$@\"` (or `exec` the "
			"server), as the official database images do.");
	} else if (!f->shell_form && !f->init && img->script_execs == 0 &&
	    (ends_with(f->argv[0], ".sh") ||
	     (is_shell(f->argv[0]) && f->argc > 1 && f->argv[1][0] != '-'))) {
		f->script = 1;
		x = dbp_report_add(r, "DBI602", DBP_INFO, 0,
			"%s: PID 1 is a shell script (`%s`). Unless it ends with `exec` of "
			"the long-running command, the shell stays as PID 1, does not "
			"forward SIGTERM, and the service is SIGKILLed on stop.", img->name,
			f->argc > 1 && is_shell(f->argv[0]) ? f->argv[1] : f->argv[0]);
		dbp_finding_advise(x, "end the script with `exec \"$@\"` (as the official "
			"database images do) and check a running container with `dbpod "
			"pid1check`.");
	}

db_rules:
	if (db && !f->init) {
		int pg = img->db == DBP_DB_POSTGRES;
		enum dbp_severity sev = img->init == 0 && pg ? DBP_CRITICAL : DBP_WARNING;

		x = dbp_report_add(r, "DBI603", sev, 0,
			"%s: no init runs in front of the %s server%s. The server becomes "
			"PID 1 and adopts every orphan in the container%s.", img->name, dbn,
			img->init_hint ? img->init_hint : img->source == DBP_SRC_CONTAINER ?
			(img->init == 0 ? " (HostConfig.Init is false)" : "") :
			" (an image: `--init` at run time would add one)",
			pg ? "; when an adopted process such as a left-behind psql dies from "
			     "a signal, PostgreSQL terminates every session and runs crash "
			     "recovery" : ", and does not reap them");
		dbp_finding_advise(x, "%s.", INIT_FIX);
	}

	if (img->db == DBP_DB_POSTGRES && f->stop_signal != SIGINT &&
	    !(img->stop_signal_from_image && !img->stop_signal)) {
		x = dbp_report_add(r, "DBI604", DBP_WARNING, 0,
			"%s: the stop signal is %s%s. %s", img->name,
			img->stop_signal ? img->stop_signal : "SIGTERM",
			img->stop_signal ? "" : " (no StopSignal set)",
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

	for (size_t i = 0; !img->command_unknown && i < f->argc; i++) {
		const char *w = f->argv[i];

		if (!strcmp(base(w), "su") || !strcmp(base(w), "sudo") ||
		    ((i > 0 && !strcmp(f->argv[i - 1], "-c")) &&
		     (has_word(w, "su") || has_word(w, "sudo")))) {
			x = dbp_report_add(r, "DBI605", DBP_WARNING, 0,
				"%s: the command runs su or sudo (`%.60s`). They fork and stay "
				"resident as the service's parent instead of exec'ing it, and "
				"pass signals on their own way.", img->name, w);
			dbp_finding_advise(x, "switch users with a tool that execs: `gosu`, "
				"`su-exec`, `setpriv --reuid`, or `USER` in the Dockerfile.");
			break;
		}
	}
}

void dbp_rules_image_unjudged(const char *name, const char *why, struct dbp_report *r)
{
	struct dbp_finding *x = dbp_report_add(r, "DBI600", DBP_UNKNOWN, 0,
		"%s cannot be judged: %s.", name, why);

	dbp_finding_advise(x, "feed it the JSON of `docker image inspect IMAGE`, "
		"`docker inspect CONTAINER`, `podman inspect`, or `skopeo inspect "
		"--config docker://IMAGE`.");
}

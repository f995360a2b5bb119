/*
 * The predicted chain of an image: each step either execs (the process
 * stays, its program changes: exec, gosu, setpriv, a `bash -c` string's
 * last command) or stays resident and runs a child (an init, su, a shell
 * without exec). The dispositions below are what the programs set,
 * read off /proc/PID/status of each running on Debian 12 (tini 0.19,
 * dumb-init 1.2.5, catatonit 0.1.7, util-linux 2.38 su and runuser, bash
 * 5.2, dash 0.5.12, PostgreSQL 15, MariaDB 10.11, Redis 7.0).
 */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "imagechain.h"
#include "shscript.h"
#include "sigset.h"
#include "supervisorconf.h"

#define SIG(n) (1ULL << ((n) - 1))
#define ALL (~0ULL & ~(SIG(SIGKILL) | SIG(SIGSTOP)))

static const struct {
	const char *name;	/* a canonical name of classify.c */
	uint64_t caught, ignored, blocked;
} profiles[] = {
	/* HUP INT QUIT USR1 USR2 TERM CHLD; PIPE ALRM TTIN TTOU URG XFSZ */
	{ "postgres", 0x14a07ULL, 0x1703000ULL, 0 },
	{ "postmaster", 0x14a07ULL, 0x1703000ULL, 0 },
	/* every thread blocks everything; a signal thread sigwaits */
	{ "mysqld", 0, 0, ALL },
	{ "mariadbd", 0, 0, ALL },
	/* a signal thread sigwaits HUP INT QUIT TERM USR1 */
	{ "mongod", 0, SIG(SIGPIPE), SIG(SIGHUP) | SIG(SIGINT) | SIG(SIGQUIT) | SIG(SIGTERM) |
				       SIG(SIGUSR1) },
	{ "redis-server", SIG(SIGINT) | SIG(SIGTERM) | SIG(SIGSEGV) | SIG(SIGBUS) | SIG(SIGFPE) |
			  SIG(SIGILL), SIG(SIGHUP) | SIG(SIGPIPE), 0 },
	{ "valkey-server", SIG(SIGINT) | SIG(SIGTERM) | SIG(SIGSEGV) | SIG(SIGBUS) | SIG(SIGFPE) |
			   SIG(SIGILL), SIG(SIGHUP) | SIG(SIGPIPE), 0 },
	/* tini blocks all but the synchronous ones and sigtimedwaits */
	{ "tini", 0, SIG(SIGTTIN) | SIG(SIGTTOU),
	  ALL & ~(SIG(SIGTTIN) | SIG(SIGTTOU) | SIG(SIGFPE) | SIG(SIGILL) | SIG(SIGSEGV) |
		  SIG(SIGBUS) | SIG(SIGABRT) | SIG(SIGTRAP) | SIG(SIGSYS)) },
	{ "tini-static", 0, SIG(SIGTTIN) | SIG(SIGTTOU),
	  ALL & ~(SIG(SIGTTIN) | SIG(SIGTTOU) | SIG(SIGFPE) | SIG(SIGILL) | SIG(SIGSEGV) |
		  SIG(SIGBUS) | SIG(SIGABRT) | SIG(SIGTRAP) | SIG(SIGSYS)) },
	{ "docker-init", 0, SIG(SIGTTIN) | SIG(SIGTTOU),
	  ALL & ~(SIG(SIGTTIN) | SIG(SIGTTOU) | SIG(SIGFPE) | SIG(SIGILL) | SIG(SIGSEGV) |
		  SIG(SIGBUS) | SIG(SIGABRT) | SIG(SIGTRAP) | SIG(SIGSYS)) },
	{ "catatonit", 0, 0, 0xfffffffe3ffbfa07ULL },
	{ "podman-init", 0, 0, 0xfffffffe3ffbfa07ULL },
	{ "dumb-init", 0x7ffbfeffULL, 0, 0 },
	{ "supervisord", SIG(SIGHUP) | SIG(SIGINT) | SIG(SIGQUIT) | SIG(SIGTERM) | SIG(SIGUSR2) |
			 SIG(SIGCHLD), 0, 0 },
	/* util-linux: su catches INT QUIT TERM, runuser -u only TERM (it
	 * blocks INT: SIGKILL at the grace, measured) */
	{ "su", SIG(SIGINT) | SIG(SIGQUIT) | SIG(SIGTERM), 0, 0xfffffffe7ffb9ef9ULL },
	{ "runuser", SIG(SIGTERM), 0, 0xfffffffe7ffb9effULL },
	{ "sudo", SIG(SIGHUP) | SIG(SIGINT) | SIG(SIGQUIT) | SIG(SIGTERM) | SIG(SIGUSR1) |
		  SIG(SIGUSR2) | SIG(SIGCHLD) | SIG(SIGCONT) | SIG(SIGTSTP) | SIG(SIGWINCH), 0, 0 },
};

static const char *base(const char *s)
{
	const char *b = strrchr(s, '/');

	return b ? b + 1 : s;
}

/* ---- the files ---- */

int dbp_image_files_add(struct dbp_image_files *f, const char *path, const char *text,
			const char *from)
{
	struct dbp_image_file nf = { strdup(path), strdup(text), strdup(from ? from : path) };

	if (!nf.path || !nf.text || !nf.from)
		goto nomem;
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->items[i].path, path)) {
			free(f->items[i].path);
			free(f->items[i].text);
			free(f->items[i].from);
			f->items[i] = nf;
			return 0;
		}
	if (dbp_grow((void **)&f->items, &f->cap, f->n + 1, sizeof(*f->items)) < 0)
		goto nomem;
	f->items[f->n++] = nf;
	return 0;
nomem:
	free(nf.path);
	free(nf.text);
	free(nf.from);
	return -ENOMEM;
}

void dbp_image_files_free(struct dbp_image_files *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->items[i].path);
		free(f->items[i].text);
		free(f->items[i].from);
	}
	free(f->items);
	f->items = NULL;
	f->n = f->cap = 0;
}

const struct dbp_image_file *dbp_image_file_find(const struct dbp_image_files *f,
						 const char *prog)
{
	const struct dbp_image_file *hit = NULL;

	for (size_t i = 0; f && prog && i < f->n; i++) {
		const char *p = f->items[i].path;

		if (!strcmp(p, prog))
			return &f->items[i];
		/* a bare name is looked up in PATH: any directory will do;
		 * ./start.sh is the WORKDIR's */
		if (!strcmp(base(p), base(prog)) &&
		    (!strchr(prog, '/') || !strncmp(prog, "./", 2) || !strchr(p, '/')))
			hit = &f->items[i];
	}
	return hit;
}

/* ---- building ---- */

struct builder {
	struct dbp_chain *c;
	const struct dbp_chain_in *in;
	pid_t next;		/* the next PID to give */
	pid_t ppid;		/* the parent of the next process */
	pid_t pgrp, sid;
	uint64_t ign;		/* ignored dispositions the next process inherits */
	const char *ran[8];	/* the script files run so far, to tell a re-run */
	size_t nran;
	const char *daemon;	/* a server a shell started as a daemon, to add as
				 * PID 1's adopted child once the chain is built */
	int nomem;
};

static void note(struct dbp_chain *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct dbp_chain *c, const char *fmt, ...)
{
	va_list ap;

	if (c->nnotes >= DBP_CHAIN_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(c->notes[c->nnotes++], sizeof(c->notes[0]), fmt, ap);
	va_end(ap);
}

static void strv_free(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

static size_t strv_len(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* a new vector of v[from..] (and then tail, when given) */
static char **strv_slice(char *const *v, size_t from, char *const *tail)
{
	size_t n = strv_len(v), m = strv_len(tail), k = 0;
	char **r;

	if (from > n)
		from = n;
	r = calloc(n - from + m + 1, sizeof(char *));
	if (!r)
		return NULL;
	for (size_t i = from; i < n; i++)
		if (!(r[k++] = strdup(v[i])))
			goto nomem;
	for (size_t i = 0; i < m; i++)
		if (!(r[k++] = strdup(tail[i])))
			goto nomem;
	return r;
nomem:
	strv_free(r);
	return NULL;
}

/* "a b c" for messages, cut */
static const char *words(char *const *v, char *buf, size_t size)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; v && v[i] && at + 1 < size; i++)
		at += (size_t)snprintf(buf + at, size - at, "%s%s", i ? " " : "", v[i]);
	if (at >= size && size > 4)
		memcpy(buf + size - 4, "...", 4);
	return buf;
}

/* Add a process running argv (comm: its name as the kernel would give
 * it); known: its dispositions are in profiles[] or given in m. */
static struct dbp_proc *add(struct builder *b, char *const *argv, const char *comm,
			    const struct dbp_sigmasks *m)
{
	struct dbp_proc *p;

	if (b->c->t.n >= DBP_CHAIN_MAX)
		return NULL;
	p = dbp_table_add(&b->c->t);
	if (!p) {
		b->nomem = 1;
		return NULL;
	}
	p->pid = b->next++;
	p->ppid = b->ppid;
	p->pgrp = b->pgrp ? b->pgrp : p->pid;
	p->sid = b->sid ? b->sid : p->pid;
	p->state = 'S';
	p->start_ticks = (unsigned long long)p->pid * 100;
	snprintf(p->comm, sizeof(p->comm), "%s", comm);
	snprintf(p->user, sizeof(p->user), "?");
	if (dbp_proc_set_argv(p, (const char *const *)argv) < 0)
		b->nomem = 1;
	p->have = DBP_HAVE_CMDLINE;
	if (m) {
		p->sig = *m;
		p->sig.ignored |= b->ign;
		p->have |= DBP_HAVE_STATUS;
	}
	b->ppid = p->pid;
	return p;
}

static int profile_of(const char *name, struct dbp_sigmasks *m)
{
	struct dbp_class c;

	/* c.name is a canonical name only for a known program (else it
	 * points into dbp_classify_name's own stack) */
	dbp_classify_name(name, &c);
	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if ((c.kind != DBP_KIND_OTHER && !strcmp(c.name, profiles[i].name)) ||
		    !strcmp(base(name), profiles[i].name)) {
			m->caught = profiles[i].caught;
			m->ignored = profiles[i].ignored;
			m->blocked = profiles[i].blocked;
			return 1;
		}
	return 0;
}

/* The options of an init end at "--" or at the first word that is not
 * one; valued: its short options that take the next word, and the long
 * options that do (dumb-init's --rewrite 1:0) when given without "=". */
static size_t after_options(char *const *argv, const char *valued)
{
	static const char *const long_valued[] = { "--rewrite" };
	size_t i = 1;

	while (argv[i] && argv[i][0] == '-' && argv[i][1]) {
		int takes = 0;

		if (!strcmp(argv[i], "--"))
			return i + 1;
		if (argv[i][1] != '-')
			takes = !argv[i][2] && strchr(valued, argv[i][1]);
		for (size_t k = 0; k < sizeof(long_valued) / sizeof(long_valued[0]); k++)
			takes |= !strcmp(argv[i], long_valued[k]);
		i += takes && argv[i + 1] ? 2 : 1;
	}
	return i;
}

/* The interpreter a script file names on its #! line ("#!/usr/bin/env
 * bash" names bash), or NULL. */
static char *shebang(const char *text)
{
	char line[128], *save = NULL, *w;

	if (strncmp(text, "#!", 2))
		return NULL;
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(text + 2, "\n"), text + 2);
	w = strtok_r(line, " \t", &save);
	/* #!/usr/bin/env bash, #!/usr/bin/env -S bash -e */
	while (w && (!strcmp(base(w), "env") || !strcmp(w, "-S")))
		w = strtok_r(NULL, " \t", &save);
	return w ? strdup(w) : NULL;
}

static int is_shell_name(const char *prog)
{
	struct dbp_class c;

	dbp_classify_name(prog, &c);
	return c.kind == DBP_KIND_SHELL;
}

/* The words of run with the script's arguments put in for "$@" and $1,
 * and its own path (self, when known) for $0 and $BASH_SOURCE. */
static char **expand(char *const *run, char *const *args, const char *self)
{
	size_t n = strv_len(run), m = strv_len(args), k = 0;
	char **r = calloc(n * (m + 1) + 1, sizeof(char *));

	if (!r)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *w = run[i];

		if (self && (!strcmp(w, "$0") || !strcmp(w, "${0}") || !strcmp(w, "$BASH_SOURCE") ||
			     !strcmp(w, "${BASH_SOURCE}") || !strcmp(w, "${BASH_SOURCE[0]}"))) {
			if (!(r[k++] = strdup(self)))
				goto nomem;
		} else if (!strcmp(w, "$1") || !strcmp(w, "${1}")) {
			if (m && !(r[k++] = strdup(args[0])))
				goto nomem;
		} else if (dbp_sh_is_args_word(w)) {
			for (size_t j = 0; j < m; j++)
				if (!(r[k++] = strdup(args[j])))
					goto nomem;
		} else if (!(r[k++] = strdup(w))) {
			goto nomem;
		}
	}
	return r;
nomem:
	strv_free(r);
	return NULL;
}

static struct dbp_shell_script *script_slot(struct builder *b, const struct dbp_proc *p,
					    const char *source)
{
	struct dbp_shell_script *sc;

	if (b->c->nscripts >= DBP_CHAIN_MAX)
		return NULL;
	sc = &b->c->scripts[b->c->nscripts++];
	memset(sc, 0, sizeof(*sc));
	sc->pid = p->pid;
	snprintf(sc->source, sizeof(sc->source), "%s", source);
	return sc;
}

/* The docker-library images' docker-entrypoint.sh ends with `exec "$@"`
 * (through gosu when it starts as root): an image config carries no
 * script, and this one is known by its name and the server it is given. */
static int official_entrypoint(const char *script, char *const *args)
{
	if (strcmp(base(script), "docker-entrypoint.sh") || !args)
		return 0;
	/* "postgres", or a command that runs one: "/bin/sh -c 'redis-server ...'" */
	for (size_t i = 0; args[i]; i++) {
		char *copy = strdup(args[i]), *save = NULL;
		int db = 0;

		for (char *w = copy ? strtok_r(copy, " \t;&|", &save) : NULL; w && !db;
		     w = strtok_r(NULL, " \t;&|", &save)) {
			struct dbp_class c;

			dbp_classify_name(w, &c);
			db = c.kind == DBP_KIND_DATABASE;
		}
		free(copy);
		if (db)
			return 1;
	}
	return 0;
}

/* A shell: argv[0] a shell running -c TEXT or a script, or a script file
 * itself. Returns what runs next (the process stays when *stays is 0,
 * else it is a child of the shell), or NULL with the chain ended. */
static char **shell(struct builder *b, char **argv, int *exec_next)
{
	const struct dbp_image_file *file = NULL;
	char *interp = NULL, *cstring = NULL, **args = NULL, **next = NULL, *script = NULL;
	char comm[64], what[200], buf[160];
	struct dbp_sh_script sh;
	struct dbp_sigmasks m;
	struct dbp_proc *p;
	struct dbp_shell_script *sc;
	size_t i = 1;
	int bash;

	*exec_next = 0;
	if (is_shell_name(argv[0])) {
		interp = strdup(argv[0]);
		for (; argv[i] && (argv[i][0] == '-' || argv[i][0] == '+') && argv[i][1]; i++) {
			if (!strcmp(argv[i], "--")) {
				i++;
				break;
			}
			if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "+o")) && argv[i + 1]) {
				i++;
				continue;
			}
			if (argv[i][0] == '-' && argv[i][1] != '-' && strchr(argv[i], 'c') && argv[i + 1]) {
				cstring = argv[++i];
				i++;
				break;
			}
		}
		if (cstring) {
			/* sh -c TEXT [$0 [ARGS...]] */
			args = strv_slice(argv, argv[i] ? i + 1 : i, NULL);
			snprintf(comm, sizeof(comm), "%s", base(argv[0]));
			snprintf(what, sizeof(what), "`%s -c`", base(argv[0]));
		} else if (argv[i]) {
			script = argv[i];
			args = strv_slice(argv, i + 1, NULL);
		} else {
			note(b->c, "%s reads commands from its standard input", base(argv[0]));
			b->c->unread = "an interactive shell";
			goto stays_unread;
		}
	} else {
		/* a script run by its #! interpreter */
		script = argv[0];
		args = strv_slice(argv, 1, NULL);
	}
	if (!args)
		goto nomem;
	if (script) {
		file = dbp_image_file_find(b->in->files, script);
		if (!interp && file)
			interp = shebang(file->text);
		if (!interp)
			interp = strdup("/bin/sh");
		snprintf(comm, sizeof(comm), "%s", base(script));
		snprintf(what, sizeof(what), "%s", base(script));
		if (!file && (official_entrypoint(script, args) ||
			      (b->c->t.n == 0 && b->in->official_entrypoint))) {
			note(b->c, "%s is not read here: taken to end with `exec \"$@\"` as the "
			     "official images' does, so that `%s` replaces it", base(script),
			     words(args, buf, sizeof(buf)));
			free(interp);
			return args;
		}
		if (!file) {
			note(b->c, "%s is run but not read (%s)", base(script),
			     b->in->files ? "the build context does not hold it" :
			     "an image's configuration holds no scripts");
			b->c->unread = "the entrypoint script";
			goto stays_unread;
		}
		if (!is_shell_name(interp)) {
			note(b->c, "%s is a %s script: dbpod follows only shell scripts", base(script),
			     base(interp));
			b->c->unread = "the entrypoint script";
			goto stays_unread;
		}
	}
	if (!interp)
		goto nomem;
	bash = !strcmp(base(interp), "bash");
	{
		int rerun = 0;

		for (size_t k = 0; file && k < b->nran; k++)
			rerun |= b->ran[k] == file->path;
		if (file && b->nran < sizeof(b->ran) / sizeof(b->ran[0]))
			b->ran[b->nran++] = file->path;
		if (dbp_sh_parse_script(cstring ? cstring : file->text, file ? file->path : NULL,
					rerun, &sh) < 0)
			goto nomem;
	}
	if (sh.daemon.server) {
		/* the server is forked off: PID 1 adopts it once the starter
		 * exits, and the shell waits for something else */
		note(b->c, "%s starts %s as a daemon (`%s`, line %d): %s does not wait for it, "
		     "and PID 1 adopts it", what, sh.daemon.server, sh.daemon.what, sh.daemon.line,
		     base(interp));
		if (!b->daemon)
			b->daemon = sh.daemon.server;
		if (!b->c->start.how) {
			b->c->start.how = 1;
			snprintf(b->c->start.what, sizeof(b->c->start.what), "%s", sh.daemon.what);
			snprintf(b->c->start.command, sizeof(b->c->start.command), "%s", sh.daemon.how);
			snprintf(b->c->start.source, sizeof(b->c->start.source), "%s",
				 file ? file->from : "its -c command");
			b->c->start.line = sh.daemon.line;
		}
	}
	if (sh.run.words && !(next = expand(sh.run.words, args, file ? file->path : NULL))) {
		dbp_sh_free(&sh);
		goto nomem;
	}
	if (next && !next[0]) {
		/* `exec "$@"` with no arguments */
		strv_free(next);
		next = NULL;
	}
	if (next && (sh.run.exec || (bash && cstring && sh.run.last && !sh.trapped))) {
		/* exec keeps ignored dispositions and resets caught ones */
		b->ign |= sh.ignored;
		{
			char raw[120];

			words(sh.run.words, raw, sizeof(raw));
			if (sh.run.self)
				note(b->c, "%s hands itself over with `exec %s`: `%s` replaces the "
				     "shell", what, raw, words(next, buf, sizeof(buf)));
			else if (sh.run.exec)
				note(b->c, "%s ends with `exec %s`: `%s` replaces the shell", what,
				     raw, words(next, buf, sizeof(buf)));
			else
				note(b->c, "%s runs only `%s`, which bash -c execs itself", what,
				     words(next, buf, sizeof(buf)));
		}
		dbp_sh_free(&sh);
		free(interp);
		strv_free(args);
		*exec_next = 1;
		return next;
	}
	/* the shell stays: bash and dash catch SIGINT while they wait for a
	 * child (and CHLD), and whatever the script traps */
	memset(&m, 0, sizeof(m));
	m.caught = SIG(SIGINT) | SIG(SIGCHLD) | sh.trapped;
	m.ignored = sh.ignored | (bash ? SIG(SIGQUIT) : 0);
	m.ignored &= ~m.caught;
	{
		char **pv = script ? strv_slice((char *[]){ interp, script, NULL }, 0, args) :
				     strv_slice(argv, 0, NULL);

		p = pv ? add(b, pv, comm, &m) : NULL;
		strv_free(pv);
	}
	if (!p) {
		dbp_sh_free(&sh);
		strv_free(next);
		goto nomem;
	}
	sc = script_slot(b, p, file ? file->from : "its -c command");
	if (sc) {
		sc->read = 1;
		sc->trapped = sh.trapped | sh.ignored;
		memcpy(sc->traps, sh.traps, sizeof(sc->traps));
		sc->ntraps = sh.ntraps;
		sc->background = next ? sh.run.background : -1;
	}
	if (next)
		note(b->c, "%s runs `%s` as its child%s and stays", what,
		     words(next, buf, sizeof(buf)), sh.run.background ? " in the background" : "");
	else
		note(b->c, "%s runs no program dbpod follows (no exec, no server) and stays",
		     what);
	if (next && sh.run.background && !sh.run.waited && !b->c->start.how) {
		struct dbp_class c;
		struct dbp_start st;
		size_t skip = 0, k;

		while ((k = dbp_exec_wrapper_skip(next + skip)) > 0 && next[skip + k])
			skip += k;
		dbp_classify_name(next[skip], &c);
		dbp_server_start(next + skip, &st);
		if (c.kind == DBP_KIND_DATABASE || st.how == DBP_START_CHILD) {
			/* started with & and never waited for: the shell waits on
			 * something else, as it would for a daemon */
			b->c->start.how = 2;
			snprintf(b->c->start.what, sizeof(b->c->start.what), "%s &", base(next[skip]));
			words(sh.run.words, b->c->start.command, sizeof(b->c->start.command));
			snprintf(b->c->start.source, sizeof(b->c->start.source), "%s",
				 file ? file->from : "its -c command");
			b->c->start.line = sh.run.line;
		}
	}
	/* a background job of a non-interactive shell starts with SIGINT
	 * and SIGQUIT ignored */
	b->ign |= sh.ignored | (sh.run.background ? SIG(SIGINT) | SIG(SIGQUIT) : 0);
	dbp_sh_free(&sh);
	free(interp);
	strv_free(args);
	return next;

stays_unread:
	{
		char **pv = script && interp ? strv_slice((char *[]){ interp, script, NULL }, 0, args) :
						strv_slice(argv, 0, NULL);

		p = pv ? add(b, pv, script ? base(script) : base(argv[0]), NULL) : NULL;
		strv_free(pv);
		if (p && (sc = script_slot(b, p, script ? script : "its commands")))
			sc->read = 0;
		if (p && p->pid == 1)
			b->c->pid1_unread = 1;
	}
	free(interp);
	strv_free(args);
	return NULL;
nomem:
	free(interp);
	strv_free(args);
	b->nomem = 1;
	return NULL;
}

/* su [-s SHELL] [-c CMD] USER, runuser -u USER [--] CMD, sudo [-u U] CMD:
 * what the switcher runs as its child. */
static char **switched(const char *name, char **argv)
{
	const char *shell = "/bin/sh", *cmd = NULL;
	size_t i = 1;

	if (!strcmp(name, "sudo")) {
		static const char valued[] = "ugCDhprtU";

		i = after_options(argv, valued);
		return argv[i] ? strv_slice(argv, i, NULL) : NULL;
	}
	for (; argv[i]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if ((!strcmp(argv[i], "-c") || !strcmp(argv[i], "--command")) && argv[i + 1])
			cmd = argv[++i];
		else if (!strncmp(argv[i], "--command=", 10))
			cmd = argv[i] + 10;
		else if ((!strcmp(argv[i], "-s") || !strcmp(argv[i], "--shell")) && argv[i + 1])
			shell = argv[++i];
		else if (!strncmp(argv[i], "--shell=", 8))
			shell = argv[i] + 8;
		else if ((!strcmp(argv[i], "-u") || !strcmp(argv[i], "-g") || !strcmp(argv[i], "-G") ||
			  !strcmp(argv[i], "--user") || !strcmp(argv[i], "--group")) && argv[i + 1])
			i++;
	}
	if (cmd) {
		char *v[] = { (char *)shell, (char *)"-c", (char *)cmd, NULL };

		return strv_slice(v, 0, NULL);
	}
	/* runuser -u USER -- CMD */
	return argv[i] && !strcmp(name, "runuser") ? strv_slice(argv, i, NULL) : NULL;
}

/* Is path one of the files an [include] files= value names (globs,
 * blank-separated, relative to the directory of conf)? */
static int included(const char *files, const char *conf, const char *path)
{
	char copy[256], *save = NULL;

	snprintf(copy, sizeof(copy), "%s", files);
	for (char *g = strtok_r(copy, " \t", &save); g; g = strtok_r(NULL, " \t", &save)) {
		char full[512];

		if (*g == '/')
			snprintf(full, sizeof(full), "%s", g);
		else
			snprintf(full, sizeof(full), "%.*s/%s",
				 (int)(strrchr(conf, '/') ? strrchr(conf, '/') - conf : 0), conf, g);
		if (!fnmatch(full, path, FNM_PATHNAME))
			return 1;
	}
	return 0;
}

/* supervisord: its program from the configuration the image copies --
 * the file it is told (or its defaults), the files that one includes,
 * or, when that one is not the image's own (a base image's, the
 * package's, which includes the .conf files of /etc/supervisor/conf.d), the program
 * files copied under /etc/supervisor*. The program that runs a
 * database server, else the only one. */
static char **supervised(struct builder *b, char **argv)
{
	static const char *const defaults[] = {
		"/etc/supervisord.conf", "/etc/supervisor/supervisord.conf",
	};
	const char *conf = dbp_supervisor_conf_arg(argv);
	const struct dbp_image_file *f = NULL, *from = NULL;
	struct dbp_supervisor *s = &b->c->supervisor;
	char inc[256] = "";
	char **r;

	for (size_t i = 0; !f && i < (conf ? 1 : sizeof(defaults) / sizeof(defaults[0])); i++)
		f = dbp_image_file_find(b->in->files, conf ? conf : defaults[i]);
	memset(s, 0, sizeof(*s));
	if (f && dbp_supervisor_parse(f->text, NULL, s, inc, sizeof(inc)) == 0 && s->command[0])
		from = f;
	for (size_t i = 0; !from && b->in->files && i < b->in->files->n; i++) {
		const struct dbp_image_file *g = &b->in->files->items[i];
		char skip[16];

		if (g == f || !strstr(g->text, "[program:") ||
		    (f ? !*inc || !included(inc, f->path, g->path) :
		     strncmp(g->path, "/etc/supervisor", 15)))
			continue;
		memset(s, 0, sizeof(*s));
		if (dbp_supervisor_parse(g->text, NULL, s, skip, sizeof(skip)) == 0 && s->command[0])
			from = g;
	}
	if (!from) {
		note(b->c, f ? "%s names no one program supervisord runs" :
		     "supervisord's configuration (%s) is not read", f ? f->path :
		     conf ? conf : defaults[0]);
		b->c->unread = "the supervisor's configuration";
		return NULL;
	}
	snprintf(s->conf, sizeof(s->conf), "%s", from->path);
	s->read = 1;
	b->c->have_supervisor = 1;
	if (f)
		note(b->c, "supervisord runs [program:%s] from %s", s->program, from->path);
	else
		note(b->c, "supervisord runs [program:%s] from %s, which its configuration "
		     "(%s, not in the build context) is taken to include", s->program, from->path,
		     conf ? conf : defaults[0]);
	/* command= as supervisord's shlex splits it: quotes hold words */
	r = dbp_split_words(s->command);
	if (!r)
		note(b->c, "[program:%s]'s command has an unbalanced quote", s->program);
	return r;
}

static void build(struct builder *b, char **argv)
{
	char buf[160];

	for (int depth = 0; argv && argv[0] && depth < 24 && !b->nomem; depth++) {
		const char *name = base(argv[0]);
		struct dbp_class c;
		struct dbp_sigmasks m;
		struct dbp_proc *p;
		char **next = NULL;
		size_t skip;
		int stays = 0;

		if (strchr(argv[0], '$')) {
			struct dbp_class kc;

			/* "${DB_SBIN_DIR}/mariadbd": the directory is the
			 * container's, the program a known one */
			dbp_classify_name(argv[0], &kc);
			if (!strchr(name, '$') && kc.kind != DBP_KIND_OTHER) {
				note(b->c, "the program `%s` is taken as %s (its directory is known "
				     "only when the container runs)", argv[0], name);
			} else {
				note(b->c, "the program `%s` is known only when the container runs",
				     argv[0]);
				b->c->unread = "the program the entrypoint runs";
				break;
			}
		}
		if ((skip = dbp_exec_wrapper_skip(argv)) > 0) {
			note(b->c, "%s execs `%s`", name, argv[skip] ? words(argv + skip, buf, sizeof(buf)) :
			     "nothing");
			next = argv[skip] ? strv_slice(argv, skip, NULL) : NULL;
			strv_free(argv);
			argv = next;
			continue;
		}
		dbp_classify_name(argv[0], &c);
		if (c.kind == DBP_KIND_SHELL || dbp_image_file_find(b->in->files, argv[0]) ||
		    (c.kind == DBP_KIND_OTHER && strlen(name) > 3 &&
		     !strcmp(name + strlen(name) - 3, ".sh"))) {
			int exec_next;

			next = shell(b, argv, &exec_next);
			strv_free(argv);
			argv = next;
			continue;
		}
		{
			struct dbp_start st;

			dbp_server_start(argv, &st);
			if (st.how == DBP_START_CHILD) {
				/* mysqld_safe, a sh script: `trap '' 1 2 3 15`, then
				 * mysqld as its child, restarted when it dies */
				char *v[] = { (char *)st.server, NULL };

				memset(&m, 0, sizeof(m));
				m.ignored = SIG(SIGHUP) | SIG(SIGINT) | SIG(SIGQUIT) | SIG(SIGTERM);
				m.caught = SIG(SIGCHLD);
				if (!add(b, argv, name, &m))
					break;
				note(b->c, "%s stays as the parent of %s, ignoring HUP, INT, QUIT and "
				     "TERM", name, st.server);
				b->ign |= m.ignored;
				strv_free(argv);
				argv = strv_slice(v, 0, NULL);
				continue;
			}
		}
		if (!profile_of(argv[0], &m)) {
			add(b, argv, name, NULL);
			note(b->c, "what %s does with signals is not known to dbpod", name);
			if (!b->c->unread)
				b->c->unread = "the program's signal handling";
			break;
		}
		p = add(b, argv, name, &m);
		if (!p)
			break;
		if (c.kind == DBP_KIND_DATABASE)
			break;
		if (c.kind == DBP_KIND_SWITCHER) {
			next = switched(c.name, argv);
			note(b->c, "%s stays as the parent of %s", c.name,
			     next ? words(next, buf, sizeof(buf)) : "a login shell");
			stays = 1;
		} else if (c.kind == DBP_KIND_INIT && !strcmp(c.name, "supervisord")) {
			next = supervised(b, argv);
			stays = 1;
		} else if (c.kind == DBP_KIND_INIT) {
			size_t i = after_options(argv, !strcmp(c.name, "dumb-init") ? "r" : "pe");

			next = argv[i] ? strv_slice(argv, i, NULL) : NULL;
			note(b->c, "%s runs `%s` as its child", c.name,
			     next ? words(next, buf, sizeof(buf)) : "nothing");
			stays = 1;
			/* tini puts its child in a process group of its own,
			 * dumb-init in a session of its own */
			b->pgrp = b->next;
			if (!strcmp(c.name, "dumb-init"))
				b->sid = b->next;
		}
		strv_free(argv);
		argv = next;
		if (!stays)
			break;
	}
	strv_free(argv);
}

/* An empty predicted table in out, and a builder that fills it from PID 1 */
static void chain_start(struct dbp_chain *out, const struct dbp_chain_in *in, struct builder *b)
{
	memset(out, 0, sizeof(*out));
	dbp_table_init(&out->t);
	out->t.predicted = 1;
	out->t.hz = 100;
	memset(b, 0, sizeof(*b));
	b->c = out;
	b->in = in;
	b->next = 1;
}

int dbp_chain_build(const struct dbp_chain_in *in, struct dbp_chain *out)
{
	struct builder b;
	char **argv;

	chain_start(out, in, &b);
	if (in->init && !strcmp(in->init, "pause")) {
		/* shareProcessNamespace: pause is PID 1, and the container's
		 * first process enters beside it (PPID 0) */
		char *v[] = { (char *)"/pause", NULL };
		struct dbp_sigmasks m = { 0 };

		m.caught = SIG(SIGINT) | SIG(SIGTERM) | SIG(SIGCHLD);
		add(&b, v, "pause", &m);
		b.ppid = 0;
		b.pgrp = b.sid = 0;
		argv = strv_slice(in->argv, 0, NULL);
	} else if (in->init) {
		/* docker run --init: docker-init (tini) -- ENTRYPOINT CMD */
		char *v[] = { (char *)in->init, (char *)"--", NULL };

		argv = strv_slice(v, 0, in->argv);
	} else {
		argv = strv_slice(in->argv, 0, NULL);
	}
	if (!argv)
		return -ENOMEM;
	build(&b, argv);
	if (b.daemon && out->t.n && !b.nomem) {
		/* the daemonised server: adopted by PID 1, in a session of its
		 * own (pg_ctl and the init scripts setsid) */
		char *v[] = { (char *)b.daemon, NULL };
		struct dbp_sigmasks m;

		b.ppid = 1;
		b.pgrp = b.sid = 0;
		b.ign = 0;
		if (profile_of(b.daemon, &m))
			add(&b, v, b.daemon, &m);
	}
	if (b.nomem)
		return -ENOMEM;
	dbp_table_sort(&out->t);
	if (out->t.n) {
		const struct dbp_proc *chain[DBP_CHAIN_MAX];
		size_t n = dbp_table_chain(&out->t, chain, DBP_CHAIN_MAX);
		struct dbp_class c;

		/* the server at the end of the chain from PID 1 (a daemon
		 * PID 1 adopted is preferred to the shell's other child) */
		if (n) {
			dbp_classify(chain[n - 1], &c);
			/* else the server below a starter that stays
			 * (mysqld_safe), which ends the walk */
			for (size_t i = out->t.n; c.kind != DBP_KIND_DATABASE && i-- > 0;)
				dbp_classify(&out->t.procs[i], &c);
			if (c.kind == DBP_KIND_DATABASE) {
				out->db = c.db;
				snprintf(out->db_hint, sizeof(out->db_hint), "runs %s", c.name);
			}
		}
	}
	return 0;
}

int dbp_chain_unknown(const char *what, struct dbp_chain *out)
{
	static const struct dbp_chain_in none = { NULL, NULL, NULL, 0, 0 };
	struct builder b;
	char *v[] = { (char *)"entrypoint", NULL };

	chain_start(out, &none, &b);
	add(&b, v, "entrypoint", NULL);
	if (b.nomem)
		return -ENOMEM;
	note(out, "PID 1 runs the image's own command%s%s%s, which is not known here",
	     what ? " (" : "", what ? what : "", what ? ")" : "");
	out->unread = "the image's command";
	dbp_table_sort(&out->t);
	return 0;
}

void dbp_chain_free(struct dbp_chain *c)
{
	dbp_table_free(&c->t);
}

void dbp_chain_signals_input(const struct dbp_chain *c, int stop_signal, int grace,
			     int tini_kill_group, struct dbp_signals_input *in)
{
	memset(in, 0, sizeof(*in));
	in->pid1.stop_signal = stop_signal > 0 ? stop_signal : SIGTERM;
	in->pid1.stop_signal_given = stop_signal > 0;
	in->pid1.tini_kill_group = tini_kill_group ? "1" : NULL;
	in->pid1.scripts = c->scripts;
	in->pid1.nscripts = c->nscripts;
	in->grace = grace;
	if (c->have_supervisor)
		in->supervisor = &c->supervisor;
}

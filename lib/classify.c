/*
 * Program kinds by name. The name is taken from comm (what the kernel
 * calls the executable; for a script it is the script's name) and from the
 * basename of argv[0] (for a script: its interpreter), so that both a
 * "#!/bin/bash" entrypoint and "python3 /usr/bin/supervisord" are known.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"

struct known {
	const char *name;
	enum dbp_kind kind;
	enum dbp_db db;
};

static const struct known known[] = {
	{ "postgres", DBP_KIND_DATABASE, DBP_DB_POSTGRES },
	{ "postmaster", DBP_KIND_DATABASE, DBP_DB_POSTGRES },
	{ "mysqld", DBP_KIND_DATABASE, DBP_DB_MYSQL },
	{ "mariadbd", DBP_KIND_DATABASE, DBP_DB_MYSQL },
	{ "mongod", DBP_KIND_DATABASE, DBP_DB_MONGODB },
	{ "redis-server", DBP_KIND_DATABASE, DBP_DB_REDIS },
	{ "valkey-server", DBP_KIND_DATABASE, DBP_DB_REDIS },

	{ "tini", DBP_KIND_INIT, 0 },
	{ "tini-static", DBP_KIND_INIT, 0 },
	{ "docker-init", DBP_KIND_INIT, 0 },	/* tini, as docker run --init ships it */
	{ "dumb-init", DBP_KIND_INIT, 0 },
	{ "catatonit", DBP_KIND_INIT, 0 },
	/* podman run --init bind-mounts catatonit at /run/podman-init: comm
	 * and argv[0] are "podman-init" */
	{ "podman-init", DBP_KIND_INIT, 0 },
	{ "pause", DBP_KIND_INIT, 0 },		/* Kubernetes shareProcessNamespace */
	{ "s6-svscan", DBP_KIND_INIT, 0 },
	{ "runsvdir", DBP_KIND_INIT, 0 },
	{ "runit", DBP_KIND_INIT, 0 },
	{ "systemd", DBP_KIND_INIT, 0 },
	{ "init", DBP_KIND_INIT, 0 },
	{ "supervisord", DBP_KIND_INIT, 0 },
	{ "patroni", DBP_KIND_INIT, 0 },	/* supervises its postmaster */

	{ "su", DBP_KIND_SWITCHER, 0 },
	{ "sudo", DBP_KIND_SWITCHER, 0 },
	{ "runuser", DBP_KIND_SWITCHER, 0 },

	{ "sh", DBP_KIND_SHELL, 0 },
	{ "bash", DBP_KIND_SHELL, 0 },
	{ "dash", DBP_KIND_SHELL, 0 },
	{ "ash", DBP_KIND_SHELL, 0 },
	{ "zsh", DBP_KIND_SHELL, 0 },
	{ "ksh", DBP_KIND_SHELL, 0 },
	{ "mksh", DBP_KIND_SHELL, 0 },
	{ "busybox", DBP_KIND_SHELL, 0 },
};

static const struct known *lookup(const char *name)
{
	if (!name || !*name)
		return NULL;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(name, known[i].name))
			return &known[i];
	return NULL;
}

static void set(struct dbp_class *c, const struct known *k)
{
	c->kind = k->kind;
	c->db = k->db;
	c->name = k->name;
}

static void classify(const struct dbp_proc *p, struct dbp_class *c)
{
	const struct known *kc = lookup(p->comm);
	const struct known *ka = lookup(dbp_proc_name(p));

	c->kind = DBP_KIND_OTHER;
	c->db = DBP_DB_NONE;
	c->name = dbp_proc_name(p);

	/* PostgreSQL children retitle themselves "postgres: walwriter" but
	 * keep comm "postgres" */
	if (p->argv && p->argv[0] && !strncmp(p->argv[0], "postgres:", 9)) {
		set(c, &known[0]);	/* "postgres" */
		return;
	}
	/* comm first for what scripts cannot be (servers, inits, su);
	 * argv[0] first for shells, which run scripts under the script's comm */
	if (kc && kc->kind != DBP_KIND_SHELL) {
		set(c, kc);
		return;
	}
	if (ka) {
		set(c, ka);
		return;
	}
	if (kc)
		set(c, kc);
}

void dbp_classify(const struct dbp_proc *p, struct dbp_class *c)
{
	if (!p->cls.valid) {
		classify(p, c);
		return;
	}
	c->kind = (enum dbp_kind)p->cls.kind;
	c->db = (enum dbp_db)p->cls.db;
	/* the canonical name from known[], else the process's own (which
	 * points into argv, and a copy of the table moves argv) */
	c->name = p->cls.name ? p->cls.name : dbp_proc_name(p);
}

void dbp_classify_remember(struct dbp_proc *p)
{
	struct dbp_class c;

	classify(p, &c);
	p->cls.kind = (unsigned char)c.kind;
	p->cls.db = (unsigned char)c.db;
	p->cls.name = NULL;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (c.name == known[i].name)
			p->cls.name = known[i].name;
	p->cls.valid = 1;
}

void dbp_table_sort(struct dbp_table *t)
{
	dbp_table_order(t);
	for (size_t i = 0; i < t->n; i++)
		dbp_classify_remember(&t->procs[i]);
}

void dbp_classify_name(const char *path, struct dbp_class *c)
{
	struct dbp_proc p;
	const char *b = strrchr(path, '/');

	memset(&p, 0, sizeof(p));
	snprintf(p.comm, sizeof(p.comm), "%s", b ? b + 1 : path);
	dbp_classify(&p, c);
}

/* The programs that exec what follows them: how many words they take
 * before the command (gosu's USER, chroot's DIR, taskset's mask), and
 * which of their short options take the next word as a value. */
static const struct {
	const char *name;
	int positional;
	const char *valued;
} wrappers[] = {
	{ "gosu", 1, "" }, { "su-exec", 1, "" }, { "s6-setuidgid", 1, "" },
	{ "setpriv", 0, "" }, { "env", 0, "uCS" }, { "nice", 0, "n" },
	{ "ionice", 0, "cnp" }, { "chroot", 1, "" }, { "setsid", 0, "" },
	{ "taskset", 1, "" }, { "numactl", 0, "mNCpPil" }, { "stdbuf", 0, "ioe" },
	{ "chpst", 0, "uUe/nlLmdofpc" }, { "nohup", 0, "" }, { "command", 0, "" },
};

size_t dbp_exec_wrapper_skip(char *const *argv)
{
	const char *b;

	if (!argv || !argv[0])
		return 0;
	b = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	for (size_t k = 0; k < sizeof(wrappers) / sizeof(wrappers[0]); k++) {
		size_t i = 1;

		if (strcmp(b, wrappers[k].name))
			continue;
		while (argv[i] && argv[i][0] == '-' && argv[i][1]) {
			if (!strcmp(argv[i], "--")) {
				i++;
				break;
			}
			i += argv[i][1] != '-' && !argv[i][2] && strchr(wrappers[k].valued, argv[i][1]) &&
			     argv[i + 1] ? 2 : 1;
		}
		/* env NAME=VALUE... CMD */
		while (!strcmp(b, "env") && argv[i] && strchr(argv[i], '=') && argv[i][0] != '=')
			i++;
		for (int p = 0; p < wrappers[k].positional && argv[i]; p++)
			i++;
		return i;
	}
	return 0;
}

/* The server an init script or a service name starts ("postgresql",
 * "postgresql@16-main", "mariadb"), or NULL. */
static const struct {
	const char *prefix;
	const char *server;
	enum dbp_db db;
} services[] = {
	{ "postgresql", "postgres", DBP_DB_POSTGRES }, { "mysql", "mysqld", DBP_DB_MYSQL },
	{ "mariadb", "mariadbd", DBP_DB_MYSQL }, { "redis", "redis-server", DBP_DB_REDIS },
	{ "mongod", "mongod", DBP_DB_MONGODB }, { "valkey", "valkey-server", DBP_DB_REDIS },
};

static int has_arg(char *const *argv, const char *w)
{
	for (size_t i = 1; argv[i]; i++)
		if (!strcmp(argv[i], w))
			return 1;
	return 0;
}

void dbp_server_start(char *const *argv, struct dbp_start *out)
{
	const char *b;
	size_t skip;

	memset(out, 0, sizeof(*out));
	while (argv && argv[0] && (skip = dbp_exec_wrapper_skip(argv)) > 0)
		argv += skip;
	if (!argv || !argv[0])
		return;
	b = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	if ((!strcmp(b, "pg_ctl") || !strcmp(b, "pg_ctlcluster")) &&
	    (has_arg(argv, "start") || has_arg(argv, "restart"))) {
		out->how = DBP_START_DAEMON;
		out->server = "postgres";
		out->db = DBP_DB_POSTGRES;
		snprintf(out->what, sizeof(out->what), "%s start", b);
	} else if (!strcmp(b, "mysqld_safe")) {
		out->how = DBP_START_CHILD;
		out->server = "mysqld";
		out->db = DBP_DB_MYSQL;
		snprintf(out->what, sizeof(out->what), "mysqld_safe");
	} else if ((!strcmp(b, "redis-server") || !strcmp(b, "valkey-server")) && argv[1]) {
		for (size_t i = 1; argv[i]; i++)
			if ((!strcmp(argv[i], "--daemonize") && argv[i + 1] &&
			     !strcmp(argv[i + 1], "yes")) || !strcmp(argv[i], "--daemonize=yes")) {
				out->how = DBP_START_DAEMON;
				out->server = !strcmp(b, "redis-server") ? "redis-server" : "valkey-server";
				out->db = DBP_DB_REDIS;
				snprintf(out->what, sizeof(out->what), "%s --daemonize yes", b);
			}
	} else if (!strcmp(b, "mongod") && has_arg(argv, "--fork")) {
		out->how = DBP_START_DAEMON;
		out->server = "mongod";
		out->db = DBP_DB_MONGODB;
		snprintf(out->what, sizeof(out->what), "mongod --fork");
	} else {
		/* service NAME start, rc-service NAME start, /etc/init.d/NAME start */
		const char *name = NULL;

		if ((!strcmp(b, "service") || !strcmp(b, "rc-service")) && argv[1] && argv[2] &&
		    !strcmp(argv[2], "start"))
			name = argv[1];
		else if (!strncmp(argv[0], "/etc/init.d/", 12) && argv[1] && !strcmp(argv[1], "start"))
			name = b;
		for (size_t k = 0; name && k < sizeof(services) / sizeof(services[0]); k++)
			if (!strncmp(name, services[k].prefix, strlen(services[k].prefix))) {
				out->how = DBP_START_DAEMON;
				out->server = services[k].server;
				out->db = services[k].db;
				snprintf(out->what, sizeof(out->what), "%s%s start",
					 name == b ? "/etc/init.d/" : "service ", name);
				break;
			}
	}
}

const char *dbp_kind_name(enum dbp_kind k)
{
	switch (k) {
	case DBP_KIND_DATABASE: return "database server";
	case DBP_KIND_INIT: return "init";
	case DBP_KIND_SHELL: return "shell";
	case DBP_KIND_SWITCHER: return "user switcher";
	case DBP_KIND_OTHER: break;
	}
	return "program";
}

static const struct {
	const char *name, *id, *server;
} dbs[] = {
	[DBP_DB_NONE] = { "none", "none", "program" },
	[DBP_DB_POSTGRES] = { "PostgreSQL", "postgresql", "postgres" },
	[DBP_DB_MYSQL] = { "MySQL/MariaDB", "mysql", "mysqld" },
	[DBP_DB_MONGODB] = { "MongoDB", "mongodb", "mongod" },
	[DBP_DB_REDIS] = { "Redis", "redis", "redis-server" },
};

const char *dbp_db_server(enum dbp_db d)
{
	return (size_t)d < sizeof(dbs) / sizeof(dbs[0]) ? dbs[d].server : "program";
}

const char *dbp_db_name(enum dbp_db d)
{
	return (size_t)d < sizeof(dbs) / sizeof(dbs[0]) ? dbs[d].name : "none";
}

const char *dbp_db_id(enum dbp_db d)
{
	return (size_t)d < sizeof(dbs) / sizeof(dbs[0]) ? dbs[d].id : "none";
}

const char *dbp_pg_datadir_arg(const struct dbp_proc *p)
{
	if (!p->argv)
		return NULL;
	for (size_t i = 0; p->argv[i]; i++) {
		if (!strcmp(p->argv[i], "-D") && p->argv[i + 1])
			return p->argv[i + 1];
		if (!strncmp(p->argv[i], "-D", 2) && p->argv[i][2])
			return p->argv[i] + 2;
	}
	return NULL;
}

/* A PostgreSQL child retitles argv[0]: "postgres: checkpointer",
 * "postgres: main: walwriter" (cluster_name), "postgres: app db [local] idle" */
int dbp_pg_retitled(const struct dbp_proc *p)
{
	return p->argv && p->argv[0] && !strncmp(p->argv[0], "postgres:", 9);
}

int dbp_pg_standalone(const struct dbp_proc *p)
{
	struct dbp_class c;

	dbp_classify(p, &c);
	/* postgres insists on --single as the first argument */
	return c.db == DBP_DB_POSTGRES && !dbp_pg_retitled(p) && p->argv && p->argv[0] &&
	       p->argv[1] && !strcmp(p->argv[1], "--single");
}

const struct dbp_proc *dbp_table_db_process(const struct dbp_table *t, pid_t postmaster)
{
	const struct dbp_proc *src = postmaster ? dbp_table_find(t, postmaster) : NULL;

	for (size_t i = 0; !src && i < t->n; i++) {
		struct dbp_class c;

		dbp_classify(&t->procs[i], &c);
		if (c.kind == DBP_KIND_DATABASE && t->procs[i].state != 'Z')
			src = &t->procs[i];
	}
	return src ? src : dbp_table_find(t, 1);
}

int dbp_is_postmaster(const struct dbp_table *t, const struct dbp_proc *p)
{
	struct dbp_class c;
	const struct dbp_proc *parent;

	if (p->state == 'Z' || p->kthread)
		return 0;
	dbp_classify(p, &c);
	/* the name says PostgreSQL; a child's title or --single says it is not
	 * the postmaster */
	if (c.db != DBP_DB_POSTGRES || dbp_pg_retitled(p) || dbp_pg_standalone(p))
		return 0;
	parent = dbp_table_find(t, p->ppid);
	if (parent && parent != p) {
		dbp_classify(parent, &c);
		if (c.db == DBP_DB_POSTGRES)
			return 0;
	}
	/* what it is: a server names its data directory, or has the children
	 * every running postmaster forks (checkpointer, background writer) */
	if (dbp_pg_datadir_arg(p))
		return 1;
	for (size_t i = 0; i < t->n; i++)
		if (t->procs[i].ppid == p->pid && t->procs[i].pid != p->pid &&
		    dbp_pg_retitled(&t->procs[i]))
			return 1;
	return 0;
}

static size_t children_of(const struct dbp_table *t, pid_t pid)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++)
		n += t->procs[i].ppid == pid && t->procs[i].pid != pid && t->procs[i].state != 'Z';
	return n;
}

const struct dbp_proc *dbp_postmaster_find(const struct dbp_table *t, pid_t near,
					   size_t *count)
{
	const struct dbp_proc *best = NULL, *anc = NULL;
	size_t n = 0, most = 0;

	for (size_t i = 0; i < t->n; i++) {
		const struct dbp_proc *p = &t->procs[i];
		size_t k;

		if (!dbp_is_postmaster(t, p))
			continue;
		n++;
		if (near && !anc && dbp_table_is_ancestor(t, p->pid, near))
			anc = p;
		k = children_of(t, p->pid);
		/* most children; on a tie the lower PID (PID 1 first) */
		if (!best || k > most || (k == most && p->pid < best->pid)) {
			best = p;
			most = k;
		}
	}
	if (count)
		*count = n;
	return anc ? anc : best;
}

/* Scan an init's own options (they end at "--" or the first word that is
 * not an option) for a flag; `with_value` lists the short options that
 * take a separate value, which must be skipped. */
static int init_has_flag(const struct dbp_proc *p, char flag, const char *long_flag,
			 const char *with_value)
{
	for (char **a = p->argv ? p->argv + 1 : NULL; a && *a; a++) {
		const char *o = *a;

		if (o[0] != '-' || !strcmp(o, "--") || !o[1])
			break;
		if (o[1] == '-') {
			if (long_flag && !strcmp(o + 2, long_flag))
				return 1;
			continue;	/* --opt=value keeps its value */
		}
		for (const char *c = o + 1; *c; c++) {
			if (*c == flag)
				return 1;
			if (strchr(with_value, *c)) {
				/* "-e143" holds its value, "-e 143" takes the next word */
				if (!c[1] && a[1])
					a++;
				break;
			}
		}
	}
	return 0;
}

enum dbp_init_forward dbp_init_forwarding(const struct dbp_proc *p,
					  const char *env_kill_group)
{
	struct dbp_class c;

	dbp_classify(p, &c);
	if (c.kind != DBP_KIND_INIT)
		return DBP_FWD_NONE;
	if (!strcmp(c.name, "tini") || !strcmp(c.name, "tini-static") ||
	    !strcmp(c.name, "docker-init")) {
		/* tini signals the child's group with -g, or when
		 * TINI_KILL_PROCESS_GROUP is set at all (tini tests getenv()
		 * != NULL); -p SIGNAL and -e CODE take values */
		if (env_kill_group || init_has_flag(p, 'g', NULL, "pe"))
			return DBP_FWD_GROUP;
		return DBP_FWD_CHILD;
	}
	if (!strcmp(c.name, "catatonit") || !strcmp(c.name, "podman-init"))
		return init_has_flag(p, 'g', NULL, "") ? DBP_FWD_GROUP : DBP_FWD_CHILD;
	if (!strcmp(c.name, "dumb-init")) {
		/* setsid mode is the default: signals go to the child's group;
		 * -c / --single-child sends them to the child alone; -r s:r
		 * (--rewrite) takes a value */
		return init_has_flag(p, 'c', "single-child", "r") ? DBP_FWD_CHILD : DBP_FWD_GROUP;
	}
	if (!strcmp(c.name, "pause"))
		return DBP_FWD_NONE;	/* the pause process forwards nothing: the kubelet signals each container */
	return DBP_FWD_SERVICES;
}

/* The next link below p: a database server child if there is one, else the
 * oldest child. */
static const struct dbp_proc *next_link(const struct dbp_table *t, const struct dbp_proc *p)
{
	const struct dbp_proc *kids[64];
	size_t n = dbp_table_children(t, p->pid, kids, 64);

	if (n > 64)
		n = 64;
	for (size_t i = 0; i < n; i++) {
		struct dbp_class c;

		if (kids[i]->pid == t->self)
			continue;
		dbp_classify(kids[i], &c);
		if (c.kind == DBP_KIND_DATABASE)
			return kids[i];
	}
	for (size_t i = 0; i < n; i++)
		if (kids[i]->pid != t->self && !dbp_table_is_ancestor(t, kids[i]->pid, t->self))
			return kids[i];
	return NULL;
}

size_t dbp_table_chain(const struct dbp_table *t, const struct dbp_proc **chain, size_t max)
{
	const struct dbp_proc *p = dbp_table_find(t, 1);
	size_t n = 0;

	while (p && n < max) {
		struct dbp_class c;

		chain[n++] = p;
		dbp_classify(p, &c);
		if (c.kind != DBP_KIND_INIT && c.kind != DBP_KIND_SHELL &&
		    c.kind != DBP_KIND_SWITCHER)
			break;
		p = next_link(t, p);
	}
	return n;
}

const struct dbp_proc *dbp_chain_service(const struct dbp_table *t,
					 const struct dbp_proc *const *chain, size_t n,
					 struct dbp_class *c)
{
	const struct dbp_proc *service;
	struct dbp_class c1;

	if (!n)
		return NULL;
	service = chain[n - 1];
	dbp_classify(service, c);
	dbp_classify(chain[0], &c1);
	/* The Kubernetes pause process has no children: each container's
	 * main process enters from outside (PPID 0). Take the database
	 * server among those as the service. */
	if (n == 1 && !strcmp(c1.name, "pause")) {
		for (size_t i = 0; i < t->n; i++) {
			const struct dbp_proc *q = &t->procs[i];
			struct dbp_class qc;

			dbp_classify(q, &qc);
			if (q->ppid == 0 && q->pid != 1 && qc.kind == DBP_KIND_DATABASE) {
				*c = qc;
				return q;
			}
		}
	}
	return service;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

long dbp_table_stop_candidates(const struct dbp_table *t, unsigned char *mark)
{
	const struct dbp_proc *chain[DBP_CHAIN_MAX];
	size_t nchain = dbp_table_chain(t, chain, DBP_CHAIN_MAX), ngroups = 0;
	struct dbp_class c1 = { 0 };
	pid_t *groups = NULL;
	long count = 0;

	memset(mark, 0, t->n);
	if (nchain)
		dbp_classify(chain[0], &c1);
	/* an init may signal its children's process groups */
	if (c1.kind == DBP_KIND_INIT) {
		groups = malloc((t->n ? t->n : 1) * sizeof(*groups));
		if (!groups)
			return -ENOMEM;
		for (size_t i = 0; i < t->n; i++)
			if (t->procs[i].ppid == 1 && t->procs[i].pid != 1)
				groups[ngroups++] = t->procs[i].pgrp;
		qsort(groups, ngroups, sizeof(*groups), cmp_pid);
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct dbp_proc *p = &t->procs[i];
		struct dbp_class c;

		if (p->kthread || (p->pid == t->self && p->pid != 1))
			continue;
		dbp_classify(p, &c);
		if (p->pid == 1 || p->ppid == 0 || c.kind != DBP_KIND_OTHER ||
		    (p->ppid == 1 && (c1.kind == DBP_KIND_INIT || c1.kind == DBP_KIND_DATABASE)) ||
		    (ngroups && bsearch(&p->pgrp, groups, ngroups, sizeof(*groups), cmp_pid)))
			mark[i] = 1;
		/* the wrappers that start a server */
		if (c.kind == DBP_KIND_DATABASE) {
			size_t hops = 0;

			for (const struct dbp_proc *a = dbp_table_find(t, p->ppid);
			     a && a->pid > 1 && a->ppid != a->pid && hops < t->n;
			     a = dbp_table_find(t, a->ppid), hops++)
				mark[a - t->procs] = 1;
		}
	}
	for (size_t k = 0; k < nchain; k++)
		mark[chain[k] - t->procs] = 1;
	free(groups);
	for (size_t i = 0; i < t->n; i++)
		count += mark[i];
	return count;
}

/*
 * Shell traps and supervisord's configuration, read for the stop path.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "procenv.h"
#include "procread.h"
#include "safeopen.h"
#include "sigset.h"
#include "pglogread.h"
#include "mariadbread.h"
#include "redisread.h"
#include "stopread.h"

/* The regular file at path, whole, up to max bytes: never a FIFO, a
 * device or a link (safeopen.h) */
static int open_read(const char *root, const char *path, size_t max, char **out)
{
	int fd = dbp_open_regular(root, path, NULL);
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int rc = 0;

	if (fd < 0)
		return fd == -DBP_ENOTREG ? -EINVAL : fd;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out;
	}
	if ((size_t)st.st_size > max) {
		rc = -EFBIG;
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		rc = -ENOMEM;
		goto out;
	}
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*out = buf;
out:
	close(fd);
	return rc;
}

int dbp_read_small_file(const char *procfs, const struct dbp_proc *p, const char *path,
			size_t max, char **out)
{
	char buf[4096];
	int rc = -ENOENT;

	if (!path || path[0] != '/')
		return -EINVAL;
	if (p) {
		/* as the process sees the path: its symlinks inside its root */
		snprintf(buf, sizeof(buf), "%s/%d/root", procfs ? procfs : "/proc",
			 (int)dbp_proc_fspid(p));
		rc = open_read(buf, path, max, out);
		if (rc == 0 || rc == -EINVAL || rc == -EFBIG || p->host_pid)
			return rc;
	}
	/* no permission for /proc/PID/root (no CAP_SYS_PTRACE): dbpod most
	 * likely runs in the same container, where the path is the same. Not
	 * for a process of another namespace (node mode), whose paths are not
	 * this one's. */
	{
		int rc2 = open_read(NULL, path, max, out);

		return rc2 == -ENOENT && rc != -ENOENT ? rc : rc2;
	}
}

int dbp_shell_script_read(const char *procfs, const struct dbp_proc *p,
			  struct dbp_shell_script *out)
{
	char *text = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	out->pid = p->pid;
	if (!p->argv || !p->argv[0]) {
		snprintf(out->source, sizeof(out->source), "the command line of PID %d",
			 (int)p->pid);
		return 0;
	}
	/* sh -c TEXT [NAME ARGS...], options before -c (bash -ec, sh -x -c) */
	for (char **a = p->argv + 1; *a && (*a)[0] == '-'; a++) {
		if (!strcmp(*a, "--"))
			break;
		if ((*a)[1] != '-' && strchr(*a, 'c')) {
			if (!a[1])
				break;
			snprintf(out->source, sizeof(out->source), "its -c command");
			return dbp_shell_script_text(a[1], out);
		}
	}
	{
		char **a = p->argv + 1;

		while (*a && (*a)[0] == '-' && strcmp(*a, "--"))
			a++;
		if (*a && !strcmp(*a, "--"))
			a++;
		if (!*a)
			return -EINVAL;	/* reads commands from stdin: interactive */
		snprintf(out->source, sizeof(out->source), "%s", *a);
		if ((*a)[0] != '/')
			return 0;	/* relative to a cwd we do not know */
		rc = dbp_read_small_file(procfs, p, *a, DBP_STOPREAD_MAX, &text);
		if (rc < 0)
			return 0;
		rc = dbp_shell_script_text(text, out);
		free(text);
		return rc;
	}
}

int dbp_shell_script_text(const char *text, struct dbp_shell_script *out)
{
	struct dbp_sh_script sh;
	int rc = dbp_sh_parse(text, &sh);

	if (rc < 0)
		return rc;
	out->read = 1;
	out->trapped = sh.trapped | sh.ignored;
	memcpy(out->traps, sh.traps, sizeof(out->traps));
	out->ntraps = sh.ntraps;
	out->background = sh.run.words ? sh.run.background : -1;
	dbp_sh_free(&sh);
	return 0;
}

/* ---- supervisord ---- */

int dbp_supervisor_read(const char *procfs, const struct dbp_proc *sup,
			const struct dbp_proc *service, struct dbp_supervisor *out)
{
	/* supervisord's search path without its cwd-relative entries */
	static const char *const defaults[] = {
		"/etc/supervisord.conf", "/etc/supervisor/supervisord.conf",
	};
	const char *conf = dbp_supervisor_conf_arg(sup->argv);
	const char *name = service ? dbp_proc_name(service) : NULL;
	char *text = NULL, includes[512];
	int rc = -ENOENT;

	memset(out, 0, sizeof(*out));
	if (conf) {
		snprintf(out->conf, sizeof(out->conf), "%s", conf);
		rc = conf[0] == '/' ? dbp_read_small_file(procfs, sup, conf,
							   DBP_STOPREAD_MAX, &text) : -ENOENT;
	} else {
		for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]) && rc < 0; i++) {
			snprintf(out->conf, sizeof(out->conf), "%s", defaults[i]);
			rc = dbp_read_small_file(procfs, sup, defaults[i], DBP_STOPREAD_MAX,
						 &text);
		}
	}
	if (rc < 0)
		return rc;
	rc = dbp_supervisor_parse(text, name, out, includes, sizeof(includes));
	free(text);
	if (rc == 0) {
		out->read = 1;
		return 0;
	}
	/* [include] files= globs, relative to the config file */
	if (includes[0]) {
		char dir[160], *save = NULL, *w;

		snprintf(dir, sizeof(dir), "%s", out->conf);
		if (strrchr(dir, '/'))
			*strrchr(dir, '/') = '\0';
		for (w = strtok_r(includes, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
			char pat[1024];
			glob_t g;

			if (w[0] == '/')
				snprintf(pat, sizeof(pat), "%s/%d/root%s", procfs ? procfs : "/proc",
					 (int)dbp_proc_fspid(sup), w);
			else
				snprintf(pat, sizeof(pat), "%s/%d/root%s/%s",
					 procfs ? procfs : "/proc", (int)dbp_proc_fspid(sup), dir, w);
			if (glob(pat, 0, NULL, &g) != 0) {
				/* no /proc/PID/root: the same container (not so
				 * for another namespace's process) */
				if (sup->host_pid)
					continue;
				if (w[0] == '/')
					snprintf(pat, sizeof(pat), "%s", w);
				else
					snprintf(pat, sizeof(pat), "%s/%s", dir, w);
				if (glob(pat, 0, NULL, &g) != 0)
					continue;
			}
			for (size_t i = 0; i < g.gl_pathc && !out->read; i++) {
				char inc[16];

				text = NULL;
				if (open_read(NULL, g.gl_pathv[i], DBP_STOPREAD_MAX, &text) < 0)
					continue;
				if (dbp_supervisor_parse(text, name, out, inc, sizeof(inc)) == 0) {
					const char *shown = strstr(g.gl_pathv[i], "/root/");

					out->read = 1;
					snprintf(out->conf, sizeof(out->conf), "%s",
						 shown && !strncmp(g.gl_pathv[i], "/proc/", 6) ?
						 shown + 5 : g.gl_pathv[i]);
				}
				free(text);
			}
			globfree(&g);
		}
	}
	return out->read ? 0 : -ENOENT;
}

size_t dbp_shell_scripts_read(const char *procfs, const struct dbp_table *t,
			      struct dbp_pid1_input *in, struct dbp_shell_script *store)
{
	const struct dbp_proc *chain[DBP_CHAIN_MAX];
	size_t nchain = dbp_table_chain(t, chain, DBP_CHAIN_MAX), n = 0;

	for (size_t i = 0; i < nchain && n < DBP_CHAIN_MAX; i++) {
		struct dbp_class c;

		dbp_classify(chain[i], &c);
		if (c.kind == DBP_KIND_SHELL &&
		    dbp_shell_script_read(procfs, chain[i], &store[n]) == 0)
			n++;
	}
	in->scripts = store;
	in->nscripts = n;
	return n;
}

int dbp_stop_inputs_read(const char *procfs, const struct dbp_table *t,
			 struct dbp_signals_input *in, struct dbp_stop_inputs *store)
{
	const struct dbp_proc *chain[DBP_CHAIN_MAX], *service;
	size_t nchain = dbp_table_chain(t, chain, DBP_CHAIN_MAX);
	struct dbp_class c1, cs;

	memset(store, 0, sizeof(*store));
	store->nscripts = dbp_shell_scripts_read(procfs, t, &in->pid1, store->scripts);
	service = dbp_chain_service(t, chain, nchain, &cs);
	if (nchain) {
		dbp_classify(chain[0], &c1);
		if (!strcmp(c1.name, "supervisord")) {
			dbp_supervisor_read(procfs, chain[0], service != chain[0] ? service : NULL,
					    &store->supervisor);
			in->supervisor = &store->supervisor;
		}
	}
	dbp_evidence_init(&store->pg);
	if (service && cs.db == DBP_DB_POSTGRES) {
		int rc = dbp_pg_evidence_read(procfs, service, &store->pg);

		if (rc == 0)
			rc = dbp_pg_evidence_runtime(&store->pg, in->runtime_log);
		if (rc < 0)
			return rc;
		in->pg = &store->pg;
	}
	dbp_redis_evidence_init(&store->redis);
	if (service && cs.db == DBP_DB_REDIS) {
		int rc = dbp_redis_evidence_read_chain(procfs, service, chain, nchain,
						       store->supervisor.read ?
						       store->supervisor.command : NULL,
						       &store->redis);

		if (rc == 0)
			rc = dbp_redis_evidence_runtime(&store->redis, in->runtime_log);
		if (rc < 0)
			return rc;
		in->redis = &store->redis;
	}
	dbp_mariadb_evidence_init(&store->mariadb);
	if (service && cs.db == DBP_DB_MYSQL) {
		int rc = dbp_mariadb_evidence_read(procfs, service, &store->mariadb);

		if (rc == 0)
			rc = dbp_mariadb_evidence_runtime(&store->mariadb, in->runtime_log);
		if (rc < 0)
			return rc;
		in->mariadb = &store->mariadb;
	}
	return 0;
}

void dbp_stop_inputs_free(struct dbp_stop_inputs *store)
{
	dbp_evidence_free(&store->pg);
	dbp_redis_evidence_free(&store->redis);
	dbp_mariadb_evidence_free(&store->mariadb);
}

void dbp_pid1_input_read(const char *procfs, const struct dbp_table *t, int stop_signal,
			 int stop_signal_given, struct dbp_pid1_input *in, char tkg[16])
{
	const struct dbp_proc *p1 = dbp_table_find(t, 1);

	in->stop_signal = stop_signal;
	in->stop_signal_given = stop_signal_given;
	in->hidepid = dbp_proc_hidepid() > 0;
	/* a table of another namespace (node mode) is a container's */
	in->host = !t->foreign && !t->predicted && !procfs && dbp_pidns_initial() > 0;
	in->tini_kill_group = NULL;
	if (p1 && dbp_init_forwarding(p1, NULL) == DBP_FWD_CHILD &&
	    strcmp(p1->comm, "catatonit") &&
	    dbp_environ_get(procfs, dbp_proc_fspid(p1), "TINI_KILL_PROCESS_GROUP", tkg, 16) == 0)
		in->tini_kill_group = tkg;
}

/* A running Redis server's evidence for the stop's budget (redisread.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbperror.h"
#include "pglogread.h"	/* dbp_runtime_output_parse */
#include "redisread.h"
#include "safeopen.h"
#include "slurp.h"
#include "stopinput.h"

/* path as the server resolves it: relative to its working directory */
static int server_path(const char *cwd, const char *path, char *out, size_t size)
{
	int n = path[0] == '/' ? snprintf(out, size, "%s", path) :
		snprintf(out, size, "%s/%s", cwd, path);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* Redis's process title in place of the command line: one argument
 * with the address after a space ("redis-server *:6379"), and the rest
 * of the old arguments' space zeroed, which reads as empty arguments
 * (two of them: `--save ""` ends in one) */
static int is_title(char *const *argv)
{
	size_t n = 0;

	if (!argv || !argv[0] || strchr(argv[0], ' '))
		return 1;
	while (argv[n])
		n++;
	return n >= 3 && !argv[n - 1][0] && !argv[n - 2][0];
}

/* The configuration file of the command line (its first argument when
 * that is no option: config.c), then the options after it */
/* The configuration file and options of argv (the server's own, or the
 * part of a launcher's from redis-server on) */
static void read_conf(const char *root, const char *cwd, char *const *argv,
		      struct dbp_redis_evidence *ev)
{
	char *text = NULL;
	int fd, rc;

	if (argv[1] && argv[1][0] && argv[1][0] != '-' &&
	    server_path(cwd, argv[1], ev->conf_path, sizeof(ev->conf_path)) == 0) {
		fd = dbp_open_in_root(root, ev->conf_path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
		rc = fd < 0 ? fd : dbp_slurp_fd_max(fd, DBP_REDIS_CONF_MAX, &text, NULL);
		if (rc < 0)
			ev->conf_err = rc;
		else
			dbp_redis_conf_parse(&ev->conf, text);
		free(text);
	}
	dbp_redis_conf_args(&ev->conf, argv + 1);
}

/* The snapshot file's size: dbfilename in the working directory, which
 * is dir */
static void read_rdb(const char *root, const char *cwd, struct dbp_redis_evidence *ev)
{
	const char *name = ev->conf.dbfilename[0] ? ev->conf.dbfilename : "dump.rdb";
	struct stat st;
	int rc = server_path(cwd, name, ev->rdb_path, sizeof(ev->rdb_path));

	if (rc == 0)
		rc = dbp_stat_in_root(root, ev->rdb_path, 1, &st);
	if (rc == 0 && !S_ISREG(st.st_mode))
		rc = -DBP_ENOTREG;
	ev->rdb_err = rc;
	ev->rdb_bytes = rc == 0 ? (long long)st.st_size : 0;
}

static int parse_text(void *log, const char *text)
{
	return dbp_redislog_parse(log, text);
}

/* The log's last DBP_REDISLOG_TAIL bytes; fd is closed */
static int parse_log(int fd, struct dbp_redis_evidence *ev)
{
	return dbp_slurp_tail_parse(fd, DBP_REDISLOG_TAIL, parse_text, &ev->log);
}

/* The logfile of the configuration (Redis opens it anew for every line,
 * so no descriptor shows it); else standard output, Redis's default and
 * a container's way, when it is a regular file */
static int read_log(const char *procfs, pid_t fspid, const char *root, const char *cwd,
		    struct dbp_redis_evidence *ev)
{
	mode_t type = 0;
	int fd;

	if (ev->conf.logfile[0]) {
		if (server_path(cwd, ev->conf.logfile, ev->log_path, sizeof(ev->log_path)) < 0)
			return -ENAMETOOLONG;
		ev->log_where = "the logfile of its configuration";
		fd = dbp_open_in_root(root, ev->log_path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
		return fd < 0 ? fd : parse_log(fd, ev);
	}
	fd = dbp_open_proc_fd(procfs, fspid, 1, ev->log_path, sizeof(ev->log_path), &type);
	if (fd == -DBP_ENOTREG)
		ev->log_pipe = S_ISFIFO(type) || S_ISSOCK(type);
	if (fd == -DBP_ENOTREG)
		ev->log_missing = ev->log_pipe ?
			(ev->title ? "it logs to its standard output, a pipe: the runtime keeps that "
				     "log (`docker logs`, `kubectl logs`); a logfile its configuration "
				     "may name cannot be seen, its command line being its process title" :
				     "it logs to its standard output, a pipe: the runtime keeps that "
				     "log (`docker logs`, `kubectl logs`)") :
			(ev->title ? "its standard output is not a file, and a logfile its "
				     "configuration may name cannot be seen, its command line being "
				     "its process title" :
				     "its standard output is not a file, and no logfile is configured");
	if (fd < 0)
		return fd;
	ev->log_where = "its standard output";
	return parse_log(fd, ev);
}

int dbp_redis_evidence_read(const char *procfs, const struct dbp_proc *srv,
			    struct dbp_redis_evidence *ev)
{
	return dbp_redis_evidence_read_chain(procfs, srv, NULL, 0, NULL, ev);
}

/* Where in argv redis-server (or valkey-server) is run: its index, or -1 */
static int server_index(char *const *argv)
{
	for (int i = 0; argv && argv[i] && i < 64; i++) {
		const char *b = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];

		if (!strcmp(b, "redis-server") || !strcmp(b, "valkey-server"))
			return i;
	}
	return -1;
}

int dbp_redis_evidence_read_chain(const char *procfs, const struct dbp_proc *srv,
				  const struct dbp_proc *const *chain, size_t nchain,
				  const char *command, struct dbp_redis_evidence *ev)
{
	char *const *argv = srv->argv, line[1024], *words[65];
	pid_t fspid = dbp_proc_fspid(srv);
	char link[64], root[64], cwd[PATH_MAX];
	ssize_t n;
	int rc;

	if (!procfs)
		procfs = "/proc";
	snprintf(root, sizeof(root), "%s/%d/root", procfs, (int)fspid);
	snprintf(link, sizeof(link), "%s/%d/cwd", procfs, (int)fspid);
	n = readlink(link, cwd, sizeof(cwd) - 1);
	cwd[n > 0 ? n : 0] = '\0';
	ev->rss_kb = srv->rss_kb;
	if (is_title(srv->argv)) {
		ev->title = 1;
		argv = NULL;
		/* the nearest launcher that ran it with its arguments; an
		 * argument that is a shell's -c text is not split here */
		for (size_t i = nchain; i-- > 0 && !argv;) {
			int k = chain[i] != srv ? server_index(chain[i]->argv) : -1;

			if (k < 0)
				continue;
			argv = chain[i]->argv + k;
			snprintf(ev->args_from, sizeof(ev->args_from), "%s (PID %d)",
				 dbp_proc_name(chain[i]), (int)chain[i]->pid);
		}
		if (!argv && command && strlen(command) < sizeof(line)) {
			int nw, k;

			strcpy(line, command);
			nw = dbp_redis_split_args(line, words, 64);
			words[nw > 0 ? nw : 0] = NULL;
			if (nw > 0 && (k = server_index(words)) >= 0) {
				argv = words + k;
				snprintf(ev->args_from, sizeof(ev->args_from),
					 "supervisord's program");
			}
		}
	}
	if (argv)
		read_conf(root, cwd, argv, ev);
	if (n > 0)
		read_rdb(root, cwd, ev);
	else
		ev->rdb_err = n < 0 ? -errno : -ENOENT;
	rc = read_log(procfs, fspid, root, cwd, ev);
	if (rc == -ENOMEM)
		return rc;
	ev->log_read = rc == 0;
	ev->log_err = rc == -DBP_ENOTREG ? 0 : rc;
	return 0;
}

int dbp_redis_evidence_runtime(struct dbp_redis_evidence *ev,
			       struct dbp_runtime_output *rt)
{
	return dbp_runtime_output_parse(rt, ev->log_pipe, &ev->log_read, ev->log_err,
					&ev->log_missing, ev->log_path, sizeof(ev->log_path),
					&ev->log_where, parse_text, &ev->log);
}

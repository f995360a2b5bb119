/* A running MariaDB server's evidence for the stop's budget (mariadbread.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbperror.h"
#include "mariadbread.h"
#include "pglogread.h"	/* dbp_runtime_output_parse */
#include "safeopen.h"
#include "slurp.h"

/* The option files read so far, their includes followed */
struct conf_walk {
	const char *root;
	struct dbp_mariadb_evidence *ev;
	int files;
	int depth;
};

static void read_conf_file(struct conf_walk *w, const char *path);

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "!includedir DIR": its *.cnf files in the order of their names, as
 * my_dir gives them */
static void read_conf_dir(struct conf_walk *w, const char *dir)
{
	char *names[DBP_MARIADB_CONF_FILES], path[PATH_MAX];
	size_t n = 0;
	struct dirent *d;
	DIR *dp;
	int dfd = dbp_open_in_root(w->root, dir, O_RDONLY | O_DIRECTORY);

	if (dfd < 0)
		return;
	if (!(dp = fdopendir(dfd))) {
		close(dfd);
		return;
	}
	while ((d = readdir(dp)) && n < DBP_MARIADB_CONF_FILES) {
		size_t len = strlen(d->d_name);

		if (len > 4 && !strcmp(d->d_name + len - 4, ".cnf") && (names[n] = strdup(d->d_name)))
			n++;
	}
	closedir(dp);
	qsort(names, n, sizeof(names[0]), by_name);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(dir);

		if ((size_t)snprintf(path, sizeof(path), "%s%s%s", dir,
				     len && dir[len - 1] == '/' ? "" : "/", names[i]) < sizeof(path))
			read_conf_file(w, path);
		free(names[i]);
	}
}

static void include(void *arg, int dir, const char *path)
{
	struct conf_walk *w = arg;

	if (w->depth >= 4)
		return;
	w->depth++;
	if (dir)
		read_conf_dir(w, path);
	else
		read_conf_file(w, path);
	w->depth--;
}

static void read_conf_file(struct conf_walk *w, const char *path)
{
	char *text = NULL;
	size_t used;
	int fd;

	if (w->files >= DBP_MARIADB_CONF_FILES)
		return;
	fd = dbp_open_in_root(w->root, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (fd < 0 || dbp_slurp_fd_max(fd, DBP_MARIADB_CONF_MAX, &text, NULL) < 0)
		return;
	w->files++;
	used = strlen(w->ev->conf_read);
	snprintf(w->ev->conf_read + used, sizeof(w->ev->conf_read) - used, "%s%s",
		 used ? ", " : "", path);
	dbp_mariadb_conf_parse(&w->ev->conf, text, path, include, w);
	free(text);
}

static int parse_text(void *log, const char *text)
{
	return dbp_mariadblog_parse(log, text);
}

/* The log's last DBP_MARIADBLOG_TAIL bytes; fd is closed */
static int parse_log(int fd, struct dbp_mariadb_evidence *ev)
{
	return dbp_slurp_tail_parse(fd, DBP_MARIADBLOG_TAIL, parse_text, &ev->log);
}

/* Standard error when it is a regular file (the file log_error names,
 * reopened onto it, or whatever the server's starter sent it to); else
 * the log_error of its configuration, resolved in its root */
static int read_log(const char *procfs, pid_t fspid, const char *root, const char *cwd,
		    struct dbp_mariadb_evidence *ev)
{
	const struct dbp_mariadb_conf *c = &ev->conf;
	mode_t type = 0;
	int fd, fd2, n;

	fd2 = dbp_open_proc_fd(procfs, fspid, 2, ev->log_path, sizeof(ev->log_path), &type);
	if (fd2 >= 0) {
		ev->log_where = "its standard error";
		return parse_log(fd2, ev);
	}
	/* standard error unread (hidepid, a process gone): log_error yet */
	ev->log_path[0] = '\0';
	if (c->log_error[0]) {
		/* a relative log_error is the data directory's */
		n = c->log_error[0] == '/' ?
			snprintf(ev->log_path, sizeof(ev->log_path), "%s", c->log_error) :
			snprintf(ev->log_path, sizeof(ev->log_path), "%s/%s",
				 c->datadir[0] ? c->datadir : cwd, c->log_error);
		if (n < 0 || (size_t)n >= sizeof(ev->log_path))
			return -ENAMETOOLONG;
		ev->log_where = "the log_error of its configuration";
		fd = dbp_open_in_root(root, ev->log_path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
		return fd < 0 ? fd : parse_log(fd, ev);
	}
	if (fd2 != -DBP_ENOTREG)
		return fd2;
	if (c->log_error_set)
		ev->log_missing = "log_error is set without a file name (DATADIR/HOSTNAME.err), "
				  "which dbpod does not guess";
	else if (S_ISFIFO(type) || S_ISSOCK(type)) {
		ev->stderr_pipe = 1;
		ev->log_missing = "it logs to its standard error, a pipe: the runtime keeps that "
				  "log (`docker logs`, `kubectl logs`)";
	}
	else
		ev->log_missing = "its standard error is not a file, and no log_error is configured";
	return -DBP_ENOTREG;
}

int dbp_mariadb_evidence_read(const char *procfs, const struct dbp_proc *srv,
			      struct dbp_mariadb_evidence *ev)
{
	pid_t fspid = dbp_proc_fspid(srv);
	char link[64], root[64], cwd[PATH_MAX];
	struct dbp_mariadb_conf args;
	struct conf_walk w;
	ssize_t n;
	int rc;

	if (!procfs)
		procfs = "/proc";
	snprintf(root, sizeof(root), "%s/%d/root", procfs, (int)fspid);
	snprintf(link, sizeof(link), "%s/%d/cwd", procfs, (int)fspid);
	n = readlink(link, cwd, sizeof(cwd) - 1);
	cwd[n > 0 ? n : 0] = '\0';
	/* the command line first, for its --defaults-file; its options
	 * then override the files' */
	dbp_mariadb_conf_init(&args);
	dbp_mariadb_conf_args(&args, srv->argv);
	w = (struct conf_walk){ .root = root, .ev = ev };
	if (args.defaults_file[0]) {
		read_conf_file(&w, args.defaults_file);
	} else {
		read_conf_file(&w, "/etc/my.cnf");
		read_conf_file(&w, "/etc/mysql/my.cnf");
	}
	dbp_mariadb_conf_args(&ev->conf, srv->argv);
	rc = read_log(procfs, fspid, root, cwd, ev);
	if (rc == -ENOMEM)
		return rc;
	ev->log_read = rc == 0;
	ev->log_err = rc == -DBP_ENOTREG ? 0 : rc;
	return 0;
}

int dbp_mariadb_evidence_runtime(struct dbp_mariadb_evidence *ev,
				 struct dbp_runtime_output *rt)
{
	return dbp_runtime_output_parse(rt, ev->stderr_pipe, &ev->log_read, ev->log_err,
					&ev->log_missing, ev->log_path, sizeof(ev->log_path),
					&ev->log_where, parse_text, &ev->log);
}

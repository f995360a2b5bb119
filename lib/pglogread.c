/* The PostgreSQL log reader (pglogread.h): the file whole, then the
 * parser of pglog.c; and, for the recorder, where a running server logs. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pglogread.h"
#include "slurp.h"

int dbp_pglog_read(struct dbp_pglog *log, const char *path)
{
	char *buf;
	int rc = dbp_slurp(path, &buf, NULL);

	if (rc < 0)
		return rc;
	log->cut = rc == 1;
	rc = dbp_pglog_parse(log, buf);
	free(buf);
	return rc;
}

/* ---- where the server logs ---- */

struct pg_task {
	pid_t pid, ppid;
	int postgres;		/* comm postgres or postmaster */
};

/* pid and ppid of /proc/PID/stat, and whether its comm is PostgreSQL's;
 * the comm is in parentheses and may hold ") " itself: the last ')' ends it */
static int task_read(const char *procfs, pid_t pid, struct pg_task *t)
{
	char path[320], buf[512], *open_, *close_;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%d/stat", procfs, (int)pid);
	if (!(f = fopen(path, "re")))
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	open_ = strchr(buf, '(');
	close_ = strrchr(buf, ')');
	if (!open_ || !close_ || close_ < open_ || !close_[1] || !close_[2])
		return -1;
	*close_ = '\0';
	t->pid = pid;
	t->postgres = !strcmp(open_ + 1, "postgres") || !strcmp(open_ + 1, "postmaster");
	/* after ") ": the state, then the ppid */
	t->ppid = (pid_t)strtol(close_ + 4, NULL, 10);
	return 0;
}

/* The regular file behind /proc/PID/fd/FD into buf (not one deleted) */
static int fd_file(const char *procfs, pid_t pid, const char *fd, char *buf, size_t size)
{
	char path[320];
	struct stat st;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%d/fd/%s", procfs, (int)pid, fd);
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return -1;
	n = readlink(path, buf, size - 1);
	if (n <= 0 || (size_t)n >= size - 1)
		return -1;
	buf[n] = '\0';
	if (buf[0] != '/' || strstr(buf, " (deleted)"))
		return -1;
	return 0;
}

/* Is pid the logging collector ("postgres: logger" in its command line)? */
static int is_logger(const char *procfs, pid_t pid)
{
	char path[320], buf[64];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%d/cmdline", procfs, (int)pid);
	if (!(f = fopen(path, "re")))
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return !strncmp(buf, "postgres: logger", 16);
}

/* The log file the collector pid holds: a stderr .log first */
static int logger_file(const char *procfs, pid_t pid, char *buf, size_t size)
{
	char path[320], cand[1024];
	struct dirent *de;
	DIR *d;
	int found = -1;

	snprintf(path, sizeof(path), "%s/%d/fd", procfs, (int)pid);
	if (!(d = opendir(path)))
		return -1;
	while ((de = readdir(d))) {
		size_t len;

		if (de->d_name[0] == '.' || fd_file(procfs, pid, de->d_name, cand, sizeof(cand)) < 0)
			continue;
		len = strlen(cand);
		if (len > 4 && !strcmp(cand + len - 4, ".log")) {
			snprintf(buf, size, "%s", cand);
			found = 0;
			break;
		}
		if (found < 0 && ((len > 4 && !strcmp(cand + len - 4, ".csv")) ||
				  (len > 5 && !strcmp(cand + len - 5, ".json")))) {
			snprintf(buf, size, "%s", cand);
			found = 0;
		}
	}
	closedir(d);
	return found;
}

int dbp_pglog_locate(const char *procfs, char *buf, size_t size)
{
	struct pg_task *t = NULL, *nt;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int rc = -ENOENT;

	if (!procfs)
		procfs = "/proc";
	if (!(d = opendir(procfs)))
		return -errno;
	while ((de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || pid <= 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			if (!(nt = realloc(t, cap * sizeof(*t)))) {
				rc = -ENOMEM;
				goto out;
			}
			t = nt;
		}
		if (task_read(procfs, (pid_t)pid, &t[n]) == 0)
			n++;
	}
	for (size_t i = 0; i < n && rc < 0; i++) {
		int parent_pg = 0;

		if (!t[i].postgres)
			continue;
		for (size_t k = 0; k < n; k++)
			if (t[k].pid == t[i].ppid)
				parent_pg = t[k].postgres;
		if (parent_pg)
			continue;
		if (fd_file(procfs, t[i].pid, "2", buf, size) == 0) {
			rc = 0;
			break;
		}
		for (size_t k = 0; k < n && rc < 0; k++)
			if (t[k].ppid == t[i].pid && t[k].postgres && is_logger(procfs, t[k].pid) &&
			    logger_file(procfs, t[k].pid, buf, size) == 0)
				rc = 0;
	}
out:
	closedir(d);
	free(t);
	return rc;
}

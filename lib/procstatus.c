#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "classify.h"
#include "procstatus.h"
#include "sigset.h"

int dbp_status_parse(const char *text, struct dbp_proc *p)
{
	int name = 0, state = 0, masks = 0;

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *v = strchr(l, ':');
		size_t klen;

		if (!v)
			continue;
		klen = (size_t)(v - l);
		v++;
		while (*v == '\t' || *v == ' ')
			v++;
#define KEY(k) (klen == sizeof(k) - 1 && !strncmp(l, k, klen))
		if (KEY("Name")) {
			/* the kernel escapes '\n' and '\\' in Name; a comm may
			 * hold spaces and ')' — that is why this parser reads
			 * status and not the second field of stat */
			size_t n = strcspn(v, "\n");

			if (n >= sizeof(p->comm))
				n = sizeof(p->comm) - 1;
			memcpy(p->comm, v, n);
			p->comm[n] = '\0';
			p->cls.valid = 0;
			name = 1;
		} else if (KEY("State")) {
			p->state = *v;
			state = 1;
		} else if (KEY("PPid")) {
			p->ppid = (pid_t)strtol(v, NULL, 10);
		} else if (KEY("Uid")) {
			/* real, effective, saved, filesystem */
			char *end;

			strtoul(v, &end, 10);
			p->uid = (uid_t)strtoul(end, NULL, 10);
		} else if (KEY("VmRSS")) {
			p->rss_kb = strtoul(v, NULL, 10);
		} else if (KEY("SigPnd")) {
			masks += !dbp_sigmask_parse(v, &p->sig.pending);
		} else if (KEY("ShdPnd")) {
			masks += !dbp_sigmask_parse(v, &p->sig.shpending);
		} else if (KEY("SigBlk")) {
			masks += !dbp_sigmask_parse(v, &p->sig.blocked);
		} else if (KEY("SigIgn")) {
			masks += !dbp_sigmask_parse(v, &p->sig.ignored);
		} else if (KEY("SigCgt")) {
			masks += !dbp_sigmask_parse(v, &p->sig.caught);
		}
#undef KEY
	}
	if (masks == 5)
		p->have |= DBP_HAVE_STATUS;
	return name && state ? 0 : -EINVAL;
}

int dbp_status_text(const char *procfs, pid_t pid, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%d/status", procfs ? procfs : "/proc", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return errno == ESRCH ? -ESRCH : -errno;
	if (n == 0)
		return -ESRCH;	/* a process that exited while we opened it */
	buf[n] = '\0';
	return 0;
}

int dbp_status_read(const char *procfs, pid_t pid, struct dbp_proc *p)
{
	char buf[8192];
	int rc = dbp_status_text(procfs, pid, buf, sizeof(buf));

	if (rc < 0)
		return rc;
	p->pid = pid;
	return dbp_status_parse(buf, p);
}

int dbp_status_read_pids(const char *procfs, const pid_t *pids, size_t n,
			 struct dbp_table *out)
{
	int got = 0;

	for (size_t i = 0; i < n; i++) {
		struct dbp_proc *q = dbp_table_add(out);

		if (!q)
			return -ENOMEM;
		if (dbp_status_read(procfs, pids[i], q) < 0) {
			out->n--;	/* gone, or not ours to read */
			continue;
		}
		got++;
	}
	dbp_table_sort(out);
	return got;
}

/* the last number on a "NSpid:\t4242\t7\t1" line */
static pid_t last_number(const char *v)
{
	long last = -1;

	for (;;) {
		char *end;
		long n;

		while (*v == ' ' || *v == '\t')
			v++;
		if (*v < '0' || *v > '9')
			break;
		n = strtol(v, &end, 10);
		if (n < 0 || n > 4194304)	/* PID_MAX_LIMIT */
			return -1;
		last = n;
		v = end;
	}
	return (pid_t)last;
}

int dbp_status_nsids(const char *text, struct dbp_nsinfo *ns)
{
	int have = 0;

	ns->pid = ns->pgrp = ns->sid = 0;
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (!strncmp(l, "NSpid:", 6)) {
			ns->pid = last_number(l + 6);
			have = ns->pid > 0;
		} else if (!strncmp(l, "NSpgid:", 7)) {
			ns->pgrp = last_number(l + 7);
		} else if (!strncmp(l, "NSsid:", 6)) {
			ns->sid = last_number(l + 6);
		}
	}
	if (ns->pgrp < 0)
		ns->pgrp = 0;
	if (ns->sid < 0)
		ns->sid = 0;
	return have ? 0 : -EINVAL;
}

long dbp_status_tgid(const char *text)
{
	const char *v = strstr(text, "\nTgid:");
	char *end;
	long tgid;

	if (!v)
		return -1;
	tgid = strtol(v + 6, &end, 10);
	return end > v + 6 && tgid > 0 ? tgid : -1;
}

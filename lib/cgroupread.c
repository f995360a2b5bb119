/*
 * The reader of the memory picture of this process's cgroup, v1 or v2,
 * through the root prefix (cgroupread.h).
 *
 * Finding the directory: /proc/self/cgroup names the cgroup relative to
 * the hierarchy's root as this process's cgroup namespace sees it. Inside
 * a container without a cgroup namespace (docker on v1, older runtimes)
 * it names the host's path ("/docker/ID", "/kubepods/..."), which does not
 * exist under the container's mount: the container's own cgroup is then
 * mounted at the root of the hierarchy, which is what the kernel's cgroup
 * namespace shows as well, so the mount root is read instead.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cgroupread.h"
#include "path.h"

/* A limit this close to 2^63 is the kernel's PAGE_COUNTER_MAX (LONG_MAX
 * pages' worth, rounded to the page size): v1's way of saying "none". */
#define V1_UNLIMITED_FROM (UINT64_C(1) << 62)

int dbp_cgroup_parse_self(const char *text, char *v2, size_t v2size,
			  char *v1mem, size_t v1size)
{
	int lines = 0;

	if (v2size)
		v2[0] = '\0';
	if (v1size)
		v1mem[0] = '\0';
	while (text && *text) {
		const char *eol = strchr(text, '\n');
		size_t len = eol ? (size_t)(eol - text) : strlen(text);
		const char *c1 = memchr(text, ':', len);
		const char *c2 = c1 ? memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - text)) : NULL;

		if (c1 && c2 && c1 > text) {
			const char *ctl = c1 + 1, *path = c2 + 1;
			size_t clen = (size_t)(c2 - ctl), plen = len - (size_t)(path - text);

			lines++;
			if (clen == 0 && c1 - text == 1 && text[0] == '0') {
				snprintf(v2, v2size, "%.*s", (int)plen, path);
			} else {
				/* a comma-separated controller list: "memory" exactly */
				for (const char *w = ctl; w < c2;) {
					const char *e = memchr(w, ',', (size_t)(c2 - w));

					if (!e)
						e = c2;
					if (e - w == 6 && !strncmp(w, "memory", 6))
						snprintf(v1mem, v1size, "%.*s", (int)plen, path);
					w = e + 1;
				}
			}
		}
		if (!eol)
			break;
		text = eol + 1;
	}
	return lines ? 0 : -EINVAL;
}

uint64_t dbp_cgroup_v1_limit(uint64_t raw)
{
	return raw >= V1_UNLIMITED_FROM ? DBP_CG_UNLIMITED : raw;
}

static int is_dir(const char *root, const char *path)
{
	char full[4096];
	struct stat st;

	return stat(dbp_path(root, path, full, sizeof(full)), &st) == 0 && S_ISDIR(st.st_mode);
}

static void note_error(struct dbp_cgroup_mem *m, const char *file, int err)
{
	if (m->nerrors >= DBP_CG_MAX_ERRORS)
		return;
	snprintf(m->errors[m->nerrors].file, sizeof(m->errors[0].file), "%s", file);
	m->errors[m->nerrors++].err = err;
}

/* A file of the cgroup's directory. Absent files are not errors where the
 * kernel leaves them out: the v2 root cgroup has no memory.max/current,
 * swap files need swap accounting, older kernels lack some keys. */
static int rd_u64(struct dbp_cgroup_mem *m, const char *root, const char *file,
		  uint64_t *val, int absent_ok)
{
	char p[1200];
	int rc;

	snprintf(p, sizeof(p), "%s/%s", m->dir, file);
	rc = dbp_path_read_u64(root, p, val);
	if (rc == -ERANGE)	/* "max" */
		return 0;
	if (rc < 0 && !(rc == -ENOENT && absent_ok))
		note_error(m, file, rc);
	return rc;
}

static int rd_key(struct dbp_cgroup_mem *m, const char *root, const char *file,
		  const char *key, uint64_t *val, int absent_ok)
{
	char p[1200], label[64];
	int rc;

	snprintf(p, sizeof(p), "%s/%s", m->dir, file);
	rc = dbp_path_read_key(root, p, key, val);
	if (rc < 0 && !(rc == -ENOENT && absent_ok)) {
		snprintf(label, sizeof(label), "%s %s", file, key);
		note_error(m, label, rc);
	}
	return rc;
}

static void read_v2(struct dbp_cgroup_mem *m, const char *root, const char *mount)
{
	int at_root = !strcmp(m->dir, mount);
	uint64_t v;
	int rc;
	char p[1200];

	/* the cgroup's own memory.max, then its ancestors' up to the mount:
	 * the lowest one is the limit that triggers the OOM killer */
	rc = rd_u64(m, root, "memory.max", &v, at_root);
	if (rc == 0) {
		m->limit = v;
		m->have |= DBP_CG_LIMIT;
	} else if (rc == -ENOENT && at_root) {
		m->limit = DBP_CG_UNLIMITED;	/* the root cgroup has no limit */
		m->have |= DBP_CG_LIMIT;
	}
	if (m->have & DBP_CG_LIMIT) {
		size_t mlen = strlen(mount);
		char *slash;

		snprintf(p, sizeof(p), "%s", m->dir);
		while ((slash = strrchr(p, '/')) && (size_t)(slash - p) >= mlen) {
			char f[1300];

			*slash = '\0';
			snprintf(f, sizeof(f), "%s/memory.max", p);
			if (dbp_path_read_u64(root, f, &v) == 0 && v < m->limit)
				m->limit = v;
		}
	}
	if (rd_u64(m, root, "memory.current", &m->usage, at_root) == 0)
		m->have |= DBP_CG_USAGE;
	if (rd_key(m, root, "memory.stat", "inactive_file", &m->inactive_file, at_root) == 0)
		m->have |= DBP_CG_INACTIVE;
	if (rd_u64(m, root, "memory.swap.max", &m->swap_limit, 1) == 0)
		m->have |= DBP_CG_SWAP;
	if (rd_u64(m, root, "memory.oom.group", &v, 1) == 0) {
		if (v > 1) {
			note_error(m, "memory.oom.group", -EINVAL);
		} else {
			m->oom_group = (int)v;
			m->have |= DBP_CG_OOM_GROUP;
		}
	}
	if (rd_key(m, root, "memory.events", "oom", &m->oom, at_root) == 0)
		m->have |= DBP_CG_OOM;
	if (rd_key(m, root, "memory.events", "oom_kill", &m->oom_kill, at_root) == 0)
		m->have |= DBP_CG_OOM_KILL;
	/* oom_group_kill: Linux 5.19 and later */
	if (rd_key(m, root, "memory.events", "oom_group_kill", &m->oom_group_kill, 1) == 0)
		m->have |= DBP_CG_GROUP_KILL;
}

static void read_v1(struct dbp_cgroup_mem *m, const char *root)
{
	char p[1200];
	uint64_t v;

	if (rd_u64(m, root, "memory.limit_in_bytes", &v, 0) == 0) {
		m->limit = dbp_cgroup_v1_limit(v);
		m->have |= DBP_CG_LIMIT;
		/* an ancestor's lower limit applies too (use_hierarchy) */
		snprintf(p, sizeof(p), "%s/memory.stat", m->dir);
		if (dbp_path_read_key(root, p, "hierarchical_memory_limit", &v) == 0 &&
		    dbp_cgroup_v1_limit(v) < m->limit)
			m->limit = dbp_cgroup_v1_limit(v);
	}
	if (rd_u64(m, root, "memory.usage_in_bytes", &m->usage, 0) == 0)
		m->have |= DBP_CG_USAGE;
	if (rd_key(m, root, "memory.stat", "total_inactive_file", &m->inactive_file, 0) == 0)
		m->have |= DBP_CG_INACTIVE;
	/* memsw files exist only with swap accounting (swapaccount=1) */
	if (rd_u64(m, root, "memory.memsw.limit_in_bytes", &v, 1) == 0) {
		m->swap_limit = dbp_cgroup_v1_limit(v);
		m->have |= DBP_CG_SWAP;
	}
	/* oom_kill in memory.oom_control: Linux 4.13 and later */
	if (rd_key(m, root, "memory.oom_control", "oom_kill", &m->oom_kill, 1) == 0)
		m->have |= DBP_CG_OOM_KILL;
	if (rd_u64(m, root, "memory.failcnt", &m->failcnt, 0) == 0)
		m->have |= DBP_CG_FAILCNT;
}

/* Does the v2 hierarchy mounted at mount offer the memory controller? */
static int v2_has_memory(const char *root, const char *mount)
{
	char p[256], buf[512];

	snprintf(p, sizeof(p), "%s/cgroup.controllers", mount);
	if (dbp_path_read(root, p, buf, sizeof(buf)) < 0)
		return 0;
	for (char *w = strtok(buf, " \n"); w; w = strtok(NULL, " \n"))
		if (!strcmp(w, "memory"))
			return 1;
	return 0;
}

static void set_dir(struct dbp_cgroup_mem *m, const char *root, const char *mount)
{
	snprintf(m->dir, sizeof(m->dir), "%s%s", mount, strcmp(m->path, "/") ? m->path : "");
	if (!is_dir(root, m->dir)) {
		snprintf(m->dir, sizeof(m->dir), "%s", mount);
		m->fallback = 1;
	}
}

/* Is any cgroup hierarchy mounted at /sys/fs/cgroup below root? Without
 * one, "no memory controller" would be a guess: the process is in a
 * cgroup, whose limit cannot be seen from here. */
static int hierarchy_mounted(const char *root)
{
	char buf[512];

	return is_dir(root, "/sys/fs/cgroup/memory") ||
	       dbp_path_read(root, "/sys/fs/cgroup/cgroup.controllers", buf, sizeof(buf)) >= 0 ||
	       dbp_path_read(root, "/sys/fs/cgroup/unified/cgroup.controllers", buf,
			     sizeof(buf)) >= 0;
}

/* the picture of the cgroup that text (a /proc/PID/cgroup) names, with
 * the hierarchy read below root */
static int mem_read(const char *root, const char *text, struct dbp_cgroup_mem *m)
{
	char v2[512], v1[512];
	int rc;

	rc = dbp_cgroup_parse_self(text, v2, sizeof(v2), v1, sizeof(v1));
	if (rc < 0)
		return rc;

	if (v1[0] && is_dir(root, "/sys/fs/cgroup/memory")) {
		m->version = 1;
		snprintf(m->path, sizeof(m->path), "%s", v1);
		set_dir(m, root, "/sys/fs/cgroup/memory");
		read_v1(m, root);
	} else if (v2[0]) {
		/* unified alone at /sys/fs/cgroup, or beside v1 (hybrid) */
		const char *mount = v2_has_memory(root, "/sys/fs/cgroup") ? "/sys/fs/cgroup" :
				    v2_has_memory(root, "/sys/fs/cgroup/unified") ?
				    "/sys/fs/cgroup/unified" : NULL;

		if (!mount) {
			m->unmounted = !hierarchy_mounted(root);
			return 0;
		}
		m->version = 2;
		snprintf(m->path, sizeof(m->path), "%s", v2);
		set_dir(m, root, mount);
		read_v2(m, root, mount);
	} else if (v1[0]) {
		m->unmounted = !hierarchy_mounted(root);
	}
	return 0;
}

int dbp_cgroup_mem_read(const char *root, struct dbp_cgroup_mem *m)
{
	char text[4096];
	int rc;

	memset(m, 0, sizeof(*m));
	rc = dbp_path_read(root, "/proc/self/cgroup", text, sizeof(text));
	return rc < 0 ? rc : mem_read(root, text, m);
}

int dbp_cgroup_differs(pid_t pid)
{
	char mine[4096], theirs[4096], path[64];
	int rc;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	rc = dbp_path_read("", "/proc/self/cgroup", mine, sizeof(mine));
	if (rc >= 0)
		rc = dbp_path_read("", path, theirs, sizeof(theirs));
	if (rc < 0)
		return rc;
	return strcmp(mine, theirs) != 0;
}

int dbp_cgroup_mem_read_of(const char *procfs, pid_t pid, struct dbp_cgroup_mem *m)
{
	char root[4096], path[64], text[4096];
	size_t plen;
	int rc;

	memset(m, 0, sizeof(*m));
	if (!procfs)
		procfs = "/proc";
	snprintf(path, sizeof(path), "/%d/cgroup", (int)pid);
	rc = dbp_path_read(procfs, path, text, sizeof(text));
	if (rc < 0)
		return rc;
	/* the hierarchy as pid's container mounts it, which is where dbpod
	 * run inside that container would read it (and fall back to the
	 * mount's root the same way) */
	snprintf(root, sizeof(root), "%s/%d/root", procfs, (int)pid);
	rc = mem_read(root, text, m);
	if (rc < 0 || m->version || !m->unmounted)
		return rc;
	/* the container mounts no hierarchy: the host's has its cgroup at
	 * the path /proc/PID/cgroup names, as seen from dbpod's cgroup
	 * namespace (the host's root is procfs's parent: "" for /proc) --
	 * unless that path leads outside dbpod's namespace ("/..") */
	plen = strlen(procfs);
	if (strstr(text, ":/..") || plen < 5 || strcmp(procfs + plen - 5, "/proc"))
		return rc;
	snprintf(root, sizeof(root), "%.*s", (int)(plen - 5), procfs);
	memset(m, 0, sizeof(*m));
	rc = mem_read(root, text, m);
	m->from_host = 1;
	return rc;
}

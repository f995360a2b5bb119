/*
 * A temporary fixture tree for the readers that take a root prefix
 * (--root): ft_put writes a file below it, creating its directories.
 * Use ft_setup and ft_teardown as the cmocka group fixtures.
 */
#ifndef DBPOD_TEST_FIXTURETREE_H
#define DBPOD_TEST_FIXTURETREE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char ft_root[64];

static inline void ft_put(const char *rel, const char *content)
{
	char p[512], cmd[600];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s%s')\"", ft_root, rel);
	assert_int_equal(system(cmd), 0);
	snprintf(p, sizeof(p), "%s%s", ft_root, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

/* A fixture /proc entry for a server's evidence: PID/cwd -> cwd,
 * PID/root -> "/", PID/fd/FD -> target (a log on standard error or
 * output) */
static inline void ft_proc(int pid, const char *cwd, int fd, const char *target)
{
	char dir[512], link[600];

	snprintf(dir, sizeof(dir), "%s/proc/%d/fd", ft_root, pid);
	snprintf(link, sizeof(link), "mkdir -p '%s'", dir);
	assert_int_equal(system(link), 0);
	snprintf(link, sizeof(link), "%s/proc/%d/cwd", ft_root, pid);
	assert_int_equal(symlink(cwd, link), 0);
	snprintf(link, sizeof(link), "%s/proc/%d/root", ft_root, pid);
	assert_int_equal(symlink("/", link), 0);
	snprintf(link, sizeof(link), "%s/proc/%d/fd/%d", ft_root, pid, fd);
	assert_int_equal(symlink(target, link), 0);
}

static inline int ft_setup(void **state)
{
	(void)state;
	snprintf(ft_root, sizeof(ft_root), "/tmp/dbpod-fixture.XXXXXX");
	return mkdtemp(ft_root) ? 0 : -1;
}

static inline int ft_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", ft_root);
	return system(cmd) == 0 ? 0 : -1;
}

#endif

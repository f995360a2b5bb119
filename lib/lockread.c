/*
 * Readers for the lock file check (see lockread.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lockread.h"
#include "path.h"

int dbp_lockfile_read(const char *root, const char *path, char *buf, size_t size,
		      size_t *len, uid_t *owner)
{
	char full[4096];
	struct stat st;
	size_t got = 0;
	int fd, rc = 0;

	fd = open(dbp_path(root, path, full, sizeof(full)), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out;
	}
	*owner = st.st_uid;
	for (;;) {
		ssize_t r;

		if (got == size) {
			char c;

			if (read(fd, &c, 1) > 0)
				rc = -EFBIG;
			break;
		}
		r = read(fd, buf + got, size - got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	*len = got;
out:
	close(fd);
	return rc;
}

int dbp_proc_root_differs(pid_t pid)
{
	char path[64];
	struct stat mine, theirs;

	snprintf(path, sizeof(path), "/proc/%d/root", (int)pid);
	if (stat(path, &theirs) < 0)
		return -errno;
	if (stat("/proc/self/root", &mine) < 0)
		return -errno;
	return mine.st_dev != theirs.st_dev || mine.st_ino != theirs.st_ino;
}

int dbp_pid_alive(pid_t pid)
{
	if (pid <= 0)
		return 0;
	if (kill(pid, 0) == 0)
		return 1;
	return errno == EPERM;
}

int dbp_proc_cwd(pid_t pid, char *buf, size_t size)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/cwd", (int)pid);
	n = readlink(path, buf, size - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

int dbp_shm_stat(int id, struct dbp_shm *s)
{
	struct shmid_ds ds;

	memset(s, 0, sizeof(*s));
	s->id = id;
	if (id < 0)
		return -ENOENT;
	if (shmctl(id, IPC_STAT, &ds) < 0)
		return errno == EINVAL || errno == EIDRM ? -ENOENT : -errno;
	s->key = (unsigned long)(unsigned int)ds.shm_perm.__key;
	s->uid = ds.shm_perm.uid;
	s->mode = ds.shm_perm.mode & 0777;
	s->marked_destroy = !!(ds.shm_perm.mode & SHM_DEST);
	s->nattch = (unsigned long)ds.shm_nattch;
	s->cpid = ds.shm_cpid;
	s->lpid = ds.shm_lpid;
	s->size = ds.shm_segsz;
	return 0;
}

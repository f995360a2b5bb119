/*
 * The naive floor of a process-table sampler: what any ps-like loop must
 * do at the least -- list /proc, and for each process open, read and
 * close /proc/PID/stat and /proc/PID/cmdline and stat /proc/PID (for the
 * owner). Prints the CPU time per sample in milliseconds.
 *
 *   naive [SAMPLES]
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static double cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static long slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size);
	close(fd);
	return (long)n;
}

int main(int argc, char **argv)
{
	int samples = argc > 1 ? atoi(argv[1]) : 50;
	static char buf[65536];
	long procs = 0;
	double t0;

	t0 = cpu_ms();
	for (int i = 0; i < samples; i++) {
		DIR *d = opendir("/proc");
		struct dirent *de;

		if (!d)
			return 1;
		procs = 0;
		while ((de = readdir(d))) {
			char path[300];
			struct stat st;

			if (de->d_name[0] < '1' || de->d_name[0] > '9')
				continue;
			snprintf(path, sizeof(path), "/proc/%s", de->d_name);
			if (stat(path, &st) < 0)
				continue;
			snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
			slurp(path, buf, sizeof(buf));
			snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
			slurp(path, buf, sizeof(buf));
			procs++;
		}
		closedir(d);
	}
	printf("%.3f %ld\n", (cpu_ms() - t0) / samples, procs);
	return 0;
}

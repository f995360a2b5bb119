/*
 * A recording compressed as `dbpod snapshot --compress` rotates it
 * (recgz.h: gzip members and an index), for the reader's benchmark
 * (bench/reader-bench.sh):
 *
 *   bench/reccompress week.jsonl week.jsonl.gz
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rec/recgz.h"

int main(int argc, char **argv)
{
	int in, out, rc;

	if (argc != 3) {
		fprintf(stderr, "usage: reccompress RECORDING OUT.gz\n");
		return 2;
	}
	in = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		perror(argv[1]);
		return 1;
	}
	out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		perror(argv[2]);
		return 1;
	}
	rc = dbp_recgz_write(in, out, DBP_RECGZ_LEVEL);
	if (rc < 0 || close(out) < 0) {
		fprintf(stderr, "reccompress: %s\n", strerror(rc < 0 ? -rc : 5));
		return 1;
	}
	close(in);
	return 0;
}

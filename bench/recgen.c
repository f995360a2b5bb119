/*
 * A synthetic recording for the reader's benchmark (bench/reader-bench.sh):
 * DAYS of a PostgreSQL with NPROCS processes sampled every second, as
 * `dbpod snapshot -o` writes it -- a key every 300 s, and deltas in which
 * CHANGES backends retitle themselves every second and a short-lived psql
 * is born and gone every 10 s. Writes the recording to stdout and, to
 * stderr, a PostgreSQL log line about one of those psql processes dying
 * in the middle of the run, for --log.
 *
 *   bench/recgen DAYS NPROCS CHANGES > week.jsonl 2> pg.log
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define T0 1795000000.0
#define SIG "\"sig\":{\"pnd\":\"0000000000000000\",\"shd\":\"0000000000000000\"," \
	"\"blk\":\"0000000000000000\",\"ign\":\"0000000001001000\",\"cgt\":\"0000000000014a07\"}"

static const char *title(long i, long t)
{
	static char b[128];

	snprintf(b, sizeof(b), "postgres: app appdb 10.0.%ld.%ld(%ld) %s", i / 200, i % 200,
		 40000 + i, (i + t) % 3 ? "idle" : "SELECT");
	return b;
}

static void proc(long pid, long t, int first)
{
	if (pid == 1)
		printf("%s{\"pid\":1,\"start\":2,\"ppid\":0,\"uid\":999,\"user\":\"postgres\","
		       "\"state\":\"S\",\"comm\":\"postgres\",\"args\":[\"postgres\",\"-D\","
		       "\"/var/lib/postgresql/data\",\"-c\",\"config_file=/etc/postgresql/postgresql.conf\"],"
		       SIG ",\"oom_adj\":-900}", first ? "" : ",");
	else
		printf(",{\"pid\":%ld,\"start\":%ld,\"ppid\":1,\"uid\":999,\"user\":\"postgres\","
		       "\"state\":\"S\",\"comm\":\"postgres\",\"args\":[\"%s\"]," SIG ",\"oom_adj\":0}",
		       pid, 100 + pid, title(pid, t));
}

int main(int argc, char **argv)
{
	long days = argc > 1 ? atol(argv[1]) : 7, nprocs = argc > 2 ? atol(argv[2]) : 477;
	long changes = argc > 3 ? atol(argv[3]) : 8, secs = days * 86400, last_pid = 1000;
	long crash_t = secs / 2 - (secs / 2) % 10 + 5;

	printf("{\"k\":\"header\",\"dbpod_recording\":1,\"dbpod\":\"bench\",\"hostname\":\"pg-0\","
	       "\"boot_time\":1794990000,\"clock_ticks\":100,\"pid_ns\":4026532801,\"interval\":1.000,"
	       "\"started\":%.3f,\"file_index\":0,\"redacted\":true,\"keyframe\":300.000,"
	       "\"pid_max\":4194304}\n", T0);
	for (long t = 0; t < secs; t++) {
		long psql = t % 10 == 1 ? last_pid + 1 : 0, born = 0;

		/* a psql every 10 s (seen once), and 3 more PIDs that nobody sees */
		if (t % 10 == 1) {
			last_pid += 1;
			born = 1;
		}
		if (t % 10 == 5)
			last_pid += 3;
		if (t % 300 == 0) {
			printf("{\"k\":\"key\",\"t\":%.3f,\"seq\":%ld,\"last_pid\":%ld,\"born\":%ld,"
			       "\"threads\":0,\"procs\":[", T0 + t, t + 1, last_pid, t ? 0L : nprocs);
			for (long p = 1; p <= nprocs; p++)
				proc(p, t, p == 1);
			printf("]}\n");
			continue;
		}
		printf("{\"k\":\"delta\",\"t\":%.3f,\"seq\":%ld,\"last_pid\":%ld,\"born\":%ld,"
		       "\"threads\":0,\"new\":[", T0 + t, t + 1, last_pid, born);
		if (psql)
			printf("{\"pid\":%ld,\"start\":%ld,\"ppid\":1,\"uid\":0,\"user\":\"root\","
			       "\"state\":\"S\",\"comm\":\"psql\",\"args\":[\"psql\",\"-c\",\"SELECT 1\"],"
			       SIG "}", psql, (long)(t * 100));
		printf("],\"gone\":[");
		if (t % 10 == 2)
			printf("[%ld,%ld]", last_pid, (long)((t - 1) * 100));
		printf("],\"changed\":[");
		for (long c = 0; c < changes; c++) {
			long p = 2 + (t * changes + c) % (nprocs - 1);

			printf("%s{\"pid\":%ld,\"start\":%ld,\"args\":[\"%s\"]}", c ? "," : "", p,
			       100 + p, title(p, t + 1));
		}
		printf("]}\n");
		if (t == crash_t) {
			time_t when = (time_t)(T0 + t);
			char ts[32];

			strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", gmtime(&when));
			/* one of the three PIDs handed out at t and never seen */
			fprintf(stderr, "%s.500 UTC [1] LOG:  server process (PID %ld) was terminated "
				"by signal 13: Broken pipe\n", ts, last_pid - 1);
		}
	}
	printf("{\"k\":\"end\",\"t\":%.3f,\"samples\":%ld,\"reason\":\"SIGTERM\"}\n", T0 + secs, secs);
	return 0;
}

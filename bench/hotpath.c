/*
 * CPU per sample of libproc2's pids API (dbp_table_read_live, what the
 * one-shot checks use) and of the recorder's sampler (dbp_sampler_take,
 * with the delta), and the sampler's memory over many samples.
 *
 *   hotpath libproc2 SAMPLES
 *   hotpath sampler SAMPLES      prints ms/sample, processes, held, RSS
 *                                (kB) after 10 samples and at the end
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "procread.h"
#include "procstatus.h"
#include "rec/sampler.h"

static double cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static unsigned long rss_kb(void)
{
	struct dbp_proc p;

	memset(&p, 0, sizeof(p));
	return dbp_status_read(NULL, getpid(), &p) == 0 ? p.rss_kb : 0;
}

int main(int argc, char **argv)
{
	int samples = argc > 2 ? atoi(argv[2]) : 50;
	double t0;

	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "libproc2")) {
		size_t n = 0;

		t0 = cpu_ms();
		for (int i = 0; i < samples; i++) {
			struct dbp_table t;

			dbp_table_init(&t);
			if (dbp_table_read_live(&t, DBP_HAVE_STATUS | DBP_HAVE_OOM) < 0)
				return 1;
			n = t.n;
			dbp_table_free(&t);
		}
		printf("%.3f %zu\n", (cpu_ms() - t0) / samples, n);
		return 0;
	}
	if (!strcmp(argv[1], "sampler")) {
		struct dbp_sampler *s;
		const struct dbp_table *cur, *prev;
		struct dbp_delta d;
		struct dbp_sampler_stats st;
		unsigned long rss10 = 0;

		if (dbp_sampler_new(&s, NULL) < 0)
			return 1;
		dbp_delta_init(&d);
		/* the first sample opens everything and reads status: not
		 * the steady state */
		dbp_sampler_take(s, 1, &cur, &prev);
		t0 = cpu_ms();
		for (int i = 0; i < samples; i++) {
			if (dbp_sampler_take(s, 0, &cur, &prev) < 0 ||
			    dbp_delta_compute(prev, cur, 1, &d) < 0)
				return 1;
			if (i == 9)
				rss10 = rss_kb();
		}
		dbp_sampler_stats(s, &st);
		printf("%.3f %zu %zu %lu %lu\n", (cpu_ms() - t0) / samples, cur->n, st.held,
		       rss10, rss_kb());
		dbp_delta_free(&d);
		dbp_sampler_free(s);
		return 0;
	}
	return 2;
}

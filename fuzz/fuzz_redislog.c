/* libFuzzer: Redis logs and configurations -- the log's line prefix and
 * the saves timed from it, redis.conf's directives with their quotes,
 * the same text as a command line's arguments -- and the stop's time
 * budget worked out from them (a save with no length, an end before its
 * start, an RDB file of any size). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "redislog.h"
#include "rules_budget.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *argv[65], *copy;
	struct dbp_redis_evidence ev;
	struct dbp_stop_budget b;
	size_t n = 0;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	dbp_redis_evidence_init(&ev);
	dbp_redislog_parse(&ev.log, text);
	dbp_redis_conf_parse(&ev.conf, text);
	ev.log_read = 1;
	ev.rdb_bytes = (long long)size * 4096;
	ev.rss_kb = size;
	dbp_redis_stop_budget(&ev, 30, &b);
	dbp_redis_evidence_free(&ev);
	/* the lines again as a command line's arguments */
	if ((copy = strdup(text))) {
		for (char *save = NULL, *a = strtok_r(copy, "\n", &save); a && n < 64;
		     a = strtok_r(NULL, "\n", &save))
			argv[n++] = a;
		argv[n] = NULL;
		dbp_redis_conf_init(&ev.conf);
		dbp_redis_conf_args(&ev.conf, argv);
		free(copy);
	}
	free(text);
	return 0;
}

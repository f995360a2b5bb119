/* libFuzzer: a container's output as its runtime keeps it -- docker's
 * json-file lines and the CRI format of the kubelet and podman's
 * k8s-file, partial lines to join, streams that interleave -- turned back
 * into text, cut to a bound taken from the input, and handed to
 * PostgreSQL's and Redis's log parsers as node mode does. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "node/runtimelog.h"
#include "pglog.h"
#include "redislog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the first byte picks the format and the bound */
	enum dbp_runtime_log_format f;
	struct dbp_runtime_log_text t;
	size_t max;

	if (size < 1)
		return 0;
	f = data[0] & 1 ? DBP_RUNTIME_LOG_CRI : DBP_RUNTIME_LOG_JSON_FILE;
	max = data[0] & 2 ? (size_t)(data[0] >> 2) : size + 16;
	if (dbp_runtime_log_parse(f, (const char *)data + 1, size - 1, max, &t) < 0)
		return 0;
	if (strlen(t.text) != t.len || t.len > max)
		abort();
	{
		struct dbp_pglog pg;
		struct dbp_redislog rl;

		dbp_pglog_init(&pg);
		dbp_pglog_parse(&pg, t.text);
		dbp_pglog_free(&pg);
		dbp_redislog_init(&rl);
		dbp_redislog_parse(&rl, t.text);
		dbp_redislog_free(&rl);
	}
	dbp_runtime_log_text_free(&t);
	return 0;
}

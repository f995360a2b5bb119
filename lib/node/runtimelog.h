/*
 * A container's output as its runtime keeps it on the node, turned back
 * into the text the container wrote: a parser, text in, text out
 * (runtimelogread.h finds and reads the file). Node mode hands that text
 * to the log parsers of the database it runs (pglog.h, redislog.h) when
 * the server logs to its standard error or output, a pipe to the runtime,
 * whose log dbpod inside the container cannot see.
 *
 *   docker's json-file driver
 *       one JSON object a line, {"log":"text\n","stream":"stderr",
 *       "time":"2026-12-07T13:59:10.123456789Z"}; a "log" without its
 *       final newline is part of a line, continued by the stream's next
 *       entry (docker cuts lines of more than 16 KB; moby
 *       daemon/logger/jsonfilelog/jsonlog, daemon/logger/copier.go)
 *   the CRI format: the kubelet's /var/log/pods (containerd, CRI-O) and
 *   podman's k8s-file driver (conmon writes it)
 *       "TIME STREAM TAGS TEXT" a line: TIME RFC 3339 with nanoseconds,
 *       STREAM stdout or stderr, TAGS "F" (a full line) or "P" (part of a
 *       line the stream's next entry continues), further tags after ':'
 *       (kubernetes pkg/kubelet/kuberuntime/logs/logs.go parseCRILog)
 *
 * Both streams are kept, in the order their lines ended: PostgreSQL logs
 * to standard error, Redis to standard output, and `docker logs` shows
 * them together too. A line that is neither format (a torn first line, a
 * corrupt entry) is skipped and counted; a NUL byte the container wrote
 * is dropped (the log parsers read C strings).
 */
#ifndef DBPOD_RUNTIMELOG_H
#define DBPOD_RUNTIMELOG_H

#include <stddef.h>

enum dbp_runtime_log_format {
	DBP_RUNTIME_LOG_JSON_FILE,	/* docker json-file */
	DBP_RUNTIME_LOG_CRI,		/* the kubelet's and podman's k8s-file */
};

struct dbp_runtime_log_text {
	char *text;			/* malloc'd, NUL-terminated: the container's lines */
	size_t len;
	size_t entries;			/* the format's lines read */
	size_t skipped;			/* lines that were not the format's */
	int cut;			/* text was cut to its last max bytes */
};

/* The output in (len bytes) of the format holds, its partial lines joined,
 * into out: the last max bytes of it, from the start of a line (out->cut
 * set when more came). Returns 0 or -ENOMEM (out then empty). */
int dbp_runtime_log_parse(enum dbp_runtime_log_format format, const char *in, size_t len,
			  size_t max, struct dbp_runtime_log_text *out);

void dbp_runtime_log_text_free(struct dbp_runtime_log_text *out);

#endif

/* libFuzzer: MariaDB error logs and option files -- the log's line
 * prefix (MariaDB's and MySQL 8's) and the shutdowns timed from it, an
 * option file's sections, comments and quotes, the same text as a
 * command line's arguments -- and the stop's time budget worked out from
 * them (a shutdown with no end, an end before its start). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mariadblog.h"
#include "rules_budget.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void no_include(void *arg, int dir, const char *path)
{
	(void)arg;
	(void)dir;
	(void)path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *argv[66], *copy;
	struct dbp_mariadb_evidence ev;
	struct dbp_stop_budget b;
	size_t n = 1;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	dbp_mariadb_evidence_init(&ev);
	dbp_mariadblog_parse(&ev.log, text);
	dbp_mariadb_conf_parse(&ev.conf, text, "my.cnf", no_include, NULL);
	ev.log_read = 1;
	dbp_mariadb_stop_budget(&ev, 30, &b);
	dbp_mariadb_stop_budget(&ev, 0, &b);
	dbp_mariadb_evidence_free(&ev);
	/* the lines again as a command line's arguments */
	if ((copy = strdup(text))) {
		argv[0] = "mariadbd";
		for (char *save = NULL, *a = strtok_r(copy, "\n", &save); a && n < 65;
		     a = strtok_r(NULL, "\n", &save))
			argv[n++] = a;
		argv[n] = NULL;
		dbp_mariadb_conf_init(&ev.conf);
		dbp_mariadb_conf_args(&ev.conf, argv);
		free(copy);
	}
	free(text);
	return 0;
}

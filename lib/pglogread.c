/* The PostgreSQL log reader (pglogread.h): the file whole, then the
 * parser of pglog.c. */
#include "config.h"

#include <stdlib.h>

#include "pglogread.h"
#include "slurp.h"

int dbp_pglog_read(struct dbp_pglog *log, const char *path)
{
	char *buf;
	int rc = dbp_slurp(path, &buf, NULL);

	if (rc < 0)
		return rc;
	log->cut = rc == 1;
	rc = dbp_pglog_parse(log, buf);
	free(buf);
	return rc;
}

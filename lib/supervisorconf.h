/*
 * supervisord's configuration text read for the stop path: a parser,
 * shared by the live reader (stopread: the file PID 1 runs with) and the
 * static chain (imagechain: the file an image copies).
 */
#ifndef DBPOD_SUPERVISORCONF_H
#define DBPOD_SUPERVISORCONF_H

#include <stddef.h>

#include "stopinput.h"	/* struct dbp_supervisor */

/* supervisord.conf text: the [program:x] that runs `service` (a word of
 * its command is the service's name; service NULL: a word names a
 * database server; else the only program). Fills
 * program, command, stopsignal (SIGTERM by default), stopwaitsecs (10);
 * returns 0, or -ENOENT when no program matches. includes: the [include]
 * files= value, copied into buf (empty when none). */
int dbp_supervisor_parse(const char *text, const char *service, struct dbp_supervisor *out,
			 char *includes, size_t size);

/* The configuration file supervisord's argv names (-c FILE,
 * -cFILE, --configuration[=]FILE), or NULL for its default paths. */
const char *dbp_supervisor_conf_arg(char *const *argv);

#endif

/*
 * A Compose file (docker-compose.yml, compose.yaml) into lint units, one
 * per service: the command as Compose builds it (a string is split into
 * words the way a shell would, but no shell runs it), init, stop_signal,
 * stop_grace_period (default 10 s), mem_limit and deploy.resources, pid,
 * and environment names.
 */
#ifndef DBPOD_COMPOSE_H
#define DBPOD_COMPOSE_H

#include "lintunit.h"
#include "yamldoc.h"

/* Is this YAML a Compose file? (a top-level "services" mapping) */
int dbp_compose_detect(struct dbp_yaml *y);

/* Read it into out->units; returns 0, or -EINVAL with out->why and
 * out->err_line set (a value of the wrong type), or -ENOMEM. */
int dbp_compose_read(struct dbp_yaml *y, struct dbp_lintfile *out);

#endif

/*
 * A Dockerfile's final stage as a lint unit: ENTRYPOINT and CMD as the
 * image config will hold them (shell form as SHELL + string, CMD reset by
 * an ENTRYPOINT), what is inherited from an earlier stage or an official
 * database image, STOPSIGNAL and USER with ARG/ENV references resolved,
 * ENV names, an init installed, and the entrypoint script read from the
 * build context to see whether it execs.
 */
#ifndef DBPOD_DOCKERUNIT_H
#define DBPOD_DOCKERUNIT_H

#include <stddef.h>

#include "lintunit.h"
#include "shscript.h"	/* dbp_script_execs */

/* Read a Dockerfile's text into out (one unit, and the inline ignores);
 * context is the build context's directory where the entrypoint script is
 * looked for (NULL: not read). Returns 0, or -EINVAL/-ENOMEM with out->why. */
int dbp_dockerfile_read(const char *text, size_t len, const char *context,
			struct dbp_lintfile *out);

#endif

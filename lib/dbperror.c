/* dbpod's error code beyond errno (dbperror.h). */
#include "config.h"

#include <string.h>

#include "dbperror.h"

const char *dbp_open_strerror(int err)
{
	if (err == -DBP_ENOTREG || err == DBP_ENOTREG)
		return "not a regular file";
	if (err == -DBP_EIPCNS || err == DBP_EIPCNS)
		return "it is in the server's IPC namespace, which dbpod does not share "
		       "(run dbpod lockfile inside the database's container to see it)";
	return strerror(err < 0 ? -err : err);
}

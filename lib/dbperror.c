/* dbpod's error codes beyond errno (dbperror.h). */
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
	if (err == -DBP_ELINKS || err == DBP_ELINKS)
		return "it has more than one hard link";
	if (err == -DBP_EOWNER || err == DBP_EOWNER)
		return "it belongs to another user";
	if (err == -DBP_EDIRWRITABLE || err == DBP_EDIRWRITABLE)
		return "its directory is writable by users other than its owner";
	return strerror(err < 0 ? -err : err);
}

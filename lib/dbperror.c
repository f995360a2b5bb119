/* dbpod's error code beyond errno (dbperror.h). */
#include "config.h"

#include <string.h>

#include "dbperror.h"

const char *dbp_open_strerror(int err)
{
	if (err == -DBP_ENOTREG || err == DBP_ENOTREG)
		return "not a regular file";
	return strerror(err < 0 ? -err : err);
}

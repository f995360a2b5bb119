/* BSD process accounting records (acct.h). */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <linux/acct.h>

#include "acct.h"

#define AHZ_TICKS 100.0		/* AHZ: the unit of ac_etime in version 3 */

_Static_assert(sizeof(struct acct_v3) == DBP_ACCT_RECORD, "acct_v3 is 64 bytes");

int dbp_acct_parse(const void *buf, size_t len, struct dbp_acct_rec *r)
{
	struct acct_v3 a;
	size_t n;

	if (len < sizeof(a))
		return -EINVAL;
	memcpy(&a, buf, sizeof(a));
	if ((a.ac_version & 0x7f) != 3)		/* 0x80 is ACCT_BYTEORDER */
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	r->pid = (pid_t)a.ac_pid;
	r->ppid = (pid_t)a.ac_ppid;
	r->uid = a.ac_uid;
	r->gid = a.ac_gid;
	n = strnlen(a.ac_comm, sizeof(a.ac_comm));
	memcpy(r->comm, a.ac_comm, n);
	r->comm[n] = '\0';
	r->start = (double)a.ac_btime;
	/* a float the kernel builds by hand (encode_float): ticks of AHZ */
	r->elapsed = a.ac_etime >= 0 && a.ac_etime < 1e12 ? (double)a.ac_etime / AHZ_TICKS : 0;
	r->end = r->start + r->elapsed;
	/* ac_exitcode is the wait status: the signal in the low 7 bits,
	 * or the exit status in the next 8 */
	if ((a.ac_flag & AXSIG) || (a.ac_exitcode & 0x7f)) {
		r->signal = (int)(a.ac_exitcode & 0x7f);
		r->exit_code = -1;
	} else {
		r->exit_code = (int)((a.ac_exitcode >> 8) & 0xff);
	}
	r->core = !!(a.ac_flag & ACORE);
	r->forked = !!(a.ac_flag & AFORK);
	return 0;
}

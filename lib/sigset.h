/*
 * Signal numbers, names and the 64-bit masks of /proc/PID/status.
 *
 * The masks are 16 hex digits; bit N-1 stands for signal N. Real-time
 * signals have no fixed names: the kernel's range starts at 32, but glibc
 * keeps 32 and 33 for its threads, so its SIGRTMIN is 34 (musl's is 35).
 * We print and parse SIGRTMIN+n relative to this libc, as kill(1) does, and
 * show the libc-internal ones as SIG32, SIG33.
 */
#ifndef DBPOD_SIGSET_H
#define DBPOD_SIGSET_H

#include <stddef.h>
#include <stdint.h>

#define DBP_NSIG 64

/* Parse a mask as the kernel prints it; returns 0 or -EINVAL. */
int dbp_sigmask_parse(const char *hex, uint64_t *mask);

static inline int dbp_sigmask_has(uint64_t mask, int sig)
{
	return sig >= 1 && sig <= DBP_NSIG && (mask >> (sig - 1)) & 1;
}

/* "SIGTERM" for 15; "SIGRT32" style for real-time signals. buf may be used. */
const char *dbp_signal_name(int sig, char *buf, size_t size);

/* A name ("TERM", "SIGTERM", "sigterm", "SIGRTMIN+3") or a number ("15");
 * returns the signal number or -EINVAL. */
int dbp_signal_parse(const char *s);

/* The names in mask, separated by sep, into buf; "-" when empty. */
const char *dbp_sigmask_names(uint64_t mask, const char *sep, char *buf, size_t size);



/* What a process does with a signal, from its masks. */
enum dbp_disposition {
	DBP_DISP_UNKNOWN = 0,	/* masks not readable */
	DBP_DISP_CAUGHT,	/* a handler is installed (SigCgt) */
	DBP_DISP_BLOCKED,	/* blocked and not ignored: read with sigwait/signalfd, or pending forever */
	DBP_DISP_IGNORED,	/* SIG_IGN (SigIgn); survives exec */
	DBP_DISP_DEFAULT,	/* SIG_DFL: the default action; dropped if sent to a namespace's PID 1 */
	DBP_DISP_WAITING,	/* in sigtimedwait with a set that could not be read: taken as received */
};

struct dbp_sigmasks;
enum dbp_disposition dbp_disposition(const struct dbp_sigmasks *m, int have, int sig);
const char *dbp_disposition_name(enum dbp_disposition d);	/* "caught" */

#endif

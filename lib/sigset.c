/*
 * Signal names and masks. Names come from our own table rather than
 * sigabbrev_np(), which is glibc 2.32+ only and absent on musl.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "proctable.h"
#include "numparse.h"
#include "sigset.h"

/* Linux numbering on x86, arm, arm64, riscv, ppc, s390 (not alpha, mips,
 * sparc, parisc, which dbpod does not target). */
static const char *const names[32] = {
	[1] = "HUP", [2] = "INT", [3] = "QUIT", [4] = "ILL", [5] = "TRAP",
	[6] = "ABRT", [7] = "BUS", [8] = "FPE", [9] = "KILL", [10] = "USR1",
	[11] = "SEGV", [12] = "USR2", [13] = "PIPE", [14] = "ALRM",
	[15] = "TERM", [16] = "STKFLT", [17] = "CHLD", [18] = "CONT",
	[19] = "STOP", [20] = "TSTP", [21] = "TTIN", [22] = "TTOU",
	[23] = "URG", [24] = "XCPU", [25] = "XFSZ", [26] = "VTALRM",
	[27] = "PROF", [28] = "WINCH", [29] = "IO", [30] = "PWR", [31] = "SYS",
};

int dbp_sigmask_parse(const char *hex, uint64_t *mask)
{
	uint64_t v = 0;
	int n = 0;

	if (!hex)
		return -EINVAL;
	while (*hex == ' ' || *hex == '\t')
		hex++;
	/* 16 hex digits, then the end of the line (the text may go on) */
	for (; isxdigit((unsigned char)*hex); hex++, n++) {
		if (n == 16)
			return -EINVAL;
		v = v << 4 | (uint64_t)(isdigit((unsigned char)*hex) ? *hex - '0' :
					 tolower((unsigned char)*hex) - 'a' + 10);
	}
	if (!n || (*hex && !isspace((unsigned char)*hex)))
		return -EINVAL;
	*mask = v;
	return 0;
}

const char *dbp_signal_name(int sig, char *buf, size_t size)
{
	if (sig >= 1 && sig < 32 && names[sig])
		snprintf(buf, size, "SIG%s", names[sig]);
	else if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		snprintf(buf, size, "SIGRTMIN+%d", sig - SIGRTMIN);
	else
		snprintf(buf, size, "SIG%d", sig);
	return buf;
}

int dbp_signal_parse(const char *s)
{
	char *end;
	long v;

	if (!s || !*s)
		return -EINVAL;
	if (isdigit((unsigned char)*s)) {
		long long n;

		if (dbp_parse_integer(s, 1, DBP_NSIG, &n) < 0)
			return -EINVAL;
		return (int)n;
	}
	if (!strncasecmp(s, "SIG", 3)) {
		s += 3;
		/* "SIG33", as dbp_signal_name prints the libc-internal ones */
		if (isdigit((unsigned char)*s))
			return dbp_signal_parse(s);
	}
	for (int i = 1; i < 32; i++)
		if (names[i] && !strcasecmp(s, names[i]))
			return i;
	if (!strcasecmp(s, "IOT"))
		return SIGABRT;
	if (!strcasecmp(s, "POLL"))
		return SIGIO;
	if (!strncasecmp(s, "RTMIN", 5) || !strncasecmp(s, "RTMAX", 5)) {
		int base = toupper((unsigned char)s[4]) == 'N' ? SIGRTMIN : SIGRTMAX;
		const char *r = s + 5;

		if (!*r)
			return base;
		if ((*r != '+' && *r != '-') || !isdigit((unsigned char)r[1]))
			return -EINVAL;
		errno = 0;
		v = strtol(r, &end, 10);
		if (errno || *end || base + v < SIGRTMIN || base + v > SIGRTMAX)
			return -EINVAL;
		return base + (int)v;
	}
	return -EINVAL;
}

const char *dbp_sigmask_names(uint64_t mask, const char *sep, char *buf, size_t size)
{
	size_t len = 0;
	char nb[24];

	if (!size)
		return buf;
	buf[0] = '\0';
	for (int sig = 1; sig <= DBP_NSIG; sig++) {
		int w;

		if (!dbp_sigmask_has(mask, sig))
			continue;
		w = snprintf(buf + len, size - len, "%s%s", len ? sep : "",
			     dbp_signal_name(sig, nb, sizeof(nb)));
		if (w < 0 || (size_t)w >= size - len) {
			/* mark the cut instead of ending mid-name */
			if (size > 4)
				strcpy(buf + size - 4, "...");
			return buf;
		}
		len += (size_t)w;
	}
	if (!len)
		snprintf(buf, size, "-");
	return buf;
}

enum dbp_disposition dbp_disposition(const struct dbp_sigmasks *m, int have, int sig)
{
	if (!have)
		return DBP_DISP_UNKNOWN;
	if (dbp_sigmask_has(m->caught, sig))
		return DBP_DISP_CAUGHT;
	/* A blocked signal is never discarded as ignored: the kernel's
	 * sig_ignored() returns false for a signal in blocked or
	 * real_blocked (the mask saved by sigtimedwait), so it stays
	 * pending, and sigwait/sigtimedwait/signalfd take it. tini with an
	 * inherited SIG_IGN for SIGTERM still receives and forwards it
	 * (measured: clean shutdown in under a second). */
	if (dbp_sigmask_has(m->blocked, sig))
		return DBP_DISP_BLOCKED;
	if (m->waiting == 2 && dbp_sigmask_has(m->waited, sig))
		return DBP_DISP_BLOCKED;
	/* in sigtimedwait with a set we could not read: the waited signals
	 * were blocked before the call (POSIX requires it), so a waiter is
	 * taken as receiving them even when they are also ignored */
	if (m->waiting == 1)
		return DBP_DISP_WAITING;
	if (dbp_sigmask_has(m->ignored, sig))
		return DBP_DISP_IGNORED;
	return DBP_DISP_DEFAULT;
}

const char *dbp_disposition_name(enum dbp_disposition d)
{
	switch (d) {
	case DBP_DISP_CAUGHT: return "caught";
	case DBP_DISP_BLOCKED: return "blocked";
	case DBP_DISP_IGNORED: return "ignored";
	case DBP_DISP_DEFAULT: return "default";
	case DBP_DISP_WAITING: return "waiting";
	case DBP_DISP_UNKNOWN: break;
	}
	return "unknown";
}

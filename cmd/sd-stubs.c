/*
 * Linked into the static binary only (--enable-static-binary).
 *
 * Debian's libproc2.a calls libsystemd's sd-login functions to fill the
 * PIDS_SD_* items, and no static libsystemd exists. dbpod never asks for
 * those items, so these stand-ins are never reached; if they were, they
 * answer as sd-login does when systemd is absent: a negative errno.
 */
#include "config.h"

#include <errno.h>
#include <sys/types.h>

int sd_pid_get_machine_name(pid_t pid, char **name);
int sd_pid_get_owner_uid(pid_t pid, uid_t *uid);
int sd_pid_get_session(pid_t pid, char **session);
int sd_pid_get_slice(pid_t pid, char **slice);
int sd_pid_get_unit(pid_t pid, char **unit);
int sd_pid_get_user_unit(pid_t pid, char **unit);
int sd_session_get_seat(const char *session, char **seat);

int sd_pid_get_machine_name(pid_t pid, char **name) { (void)pid; (void)name; return -ENOSYS; }
int sd_pid_get_owner_uid(pid_t pid, uid_t *uid) { (void)pid; (void)uid; return -ENOSYS; }
int sd_pid_get_session(pid_t pid, char **session) { (void)pid; (void)session; return -ENOSYS; }
int sd_pid_get_slice(pid_t pid, char **slice) { (void)pid; (void)slice; return -ENOSYS; }
int sd_pid_get_unit(pid_t pid, char **unit) { (void)pid; (void)unit; return -ENOSYS; }
int sd_pid_get_user_unit(pid_t pid, char **unit) { (void)pid; (void)unit; return -ENOSYS; }
int sd_session_get_seat(const char *session, char **seat) { (void)session; (void)seat; return -ENOSYS; }

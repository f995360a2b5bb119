/*
 * User names, from the /etc/passwd of the root being judged: dbpod's own
 * for a live table, a container's (/proc/PID/root) in node mode.
 *
 * NSS (getpwuid) is never asked: a static dbpod, copied into a container
 * or onto a node, would load the host's libnss_* modules into a binary
 * built against another glibc, and crash (libnss_systemd did, for a uid
 * the host's passwd lacks). The names dbpod shows are those the judged
 * root's own `ps` would show from its files; a uid with no line there
 * (an LDAP user, a container's uid the node does not know) is shown as
 * its number.
 */
#ifndef DBPOD_USERREAD_H
#define DBPOD_USERREAD_H

#include <stddef.h>
#include <sys/types.h>

#include "proctable.h"

/* The name of uid in the text of an /etc/passwd, into name (size bytes);
 * 0, or -ENOENT when no line has that uid. */
int dbp_passwd_name(const char *text, unsigned uid, char *name, size_t size);

/* One passwd file, read once, and the names already looked up in it. */
struct dbp_users {
	char *text;			/* the file, NUL-terminated; NULL: none read */
	struct dbp_user_name {
		uid_t uid;
		char name[33];
	} *names;
	size_t n;
};

/* Read root + /etc/passwd (root "" or "/proc/PID/root") as a regular
 * file, at most 4 MiB (a passwd past that is not one): 0, or a negative
 * errno; without it every name is the uid's number. */
int dbp_users_load(struct dbp_users *u, const char *root);
void dbp_users_free(struct dbp_users *u);

/* The name of uid, or its number: valid until u is freed. */
const char *dbp_users_name(struct dbp_users *u, uid_t uid);

/* Set every process's user of t from root's passwd. */
void dbp_table_user_names(struct dbp_table *t, const char *root);

#endif

/*
 * Command lines hold passwords (psql "password=...", connection URIs,
 * mysql -pSECRET). Everything dbpod shows of a command line goes through
 * dbp_redact first.
 */
#ifndef DBPOD_REDACT_H
#define DBPOD_REDACT_H

/* Replace secrets in s, in place, by "***"; s never grows, and the time
 * is linear in its length. Covers KEY=VALUE and --KEY=VALUE where KEY
 * contains pass, pwd, secret, token or auth (any case); the word after
 * such a --KEY (--requirepass VALUE, --masterauth VALUE); a value in
 * quotes ("a b", 'a b', \"a b\") inside its quotes; the password of a
 * URI's user:password@; mysql -pVALUE, redis-cli -a VALUE and mongosh -p
 * VALUE from the word that names the client to the end of its command
 * (;, &&, |, a backquote), so inside a shell string too; and the
 * credentials of an "Authorization: Bearer VALUE" header. Every renderer
 * calls it (render.c, render_ci.c): it is the one boundary. */
void dbp_redact(char *s);

/* The same over an argv (NULL-terminated), in place, where a secret flag
 * and its value are separate words: {"--password", "x"}; a masked word
 * becomes "***" (which needs room: words shorter than 3 are starred). */
void dbp_redact_argv(char **argv);

#endif

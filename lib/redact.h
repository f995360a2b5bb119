/*
 * Command lines hold passwords (psql "password=...", connection URIs,
 * mysql -pSECRET). Everything dbpod shows of a command line goes through
 * dbp_redact first.
 */
#ifndef DBPOD_REDACT_H
#define DBPOD_REDACT_H

/* Replace secrets in s, in place, by "***"; s never grows. Covers
 * KEY=VALUE and --KEY=VALUE where KEY contains pass, pwd, secret or token
 * (any case); the word after such a --KEY (--requirepass VALUE); the
 * password of a URI's user:password@; mysql -pVALUE, redis-cli -a VALUE
 * and mongosh -p VALUE, by argv[0]. */
void dbp_redact(char *s);

/* The same over an argv (NULL-terminated), in place, where a secret flag
 * and its value are separate words: {"--password", "x"}; a masked word
 * becomes "***" (which needs room: words shorter than 3 are starred). */
void dbp_redact_argv(char **argv);

#endif

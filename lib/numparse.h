/*
 * Numbers as people write them: on the command line (a PID, seconds, a
 * count) and in the deployment formats (Kubernetes quantities, Compose
 * sizes and durations). Parsers: text in, a number out, 0 or a negative
 * errno, nothing printed. cmd/common.c's dbp_argp_* wrap the first two
 * with the one message style of the options.
 */
#ifndef DBPOD_NUMPARSE_H
#define DBPOD_NUMPARSE_H

/* The whole of s as a decimal integer from min to max: an optional sign,
 * digits, nothing before or after. Returns 0, -EINVAL when s is not such
 * a number, -ERANGE when it is outside min..max. */
int dbp_parse_integer(const char *s, long long min, long long max, long long *out);

/* The whole of s as a decimal number (a fraction or an exponent allowed,
 * not NaN or infinity) from min to max. Returns 0, -EINVAL or -ERANGE. */
int dbp_parse_real(const char *s, double min, double max, double *out);

/* Sizes and durations as the deployment formats write them; each returns
 * 0 and the value, or -EINVAL. Kubernetes quantities: "512Mi", "1G",
 * "1e9", "500m" (milli; *out in thousandths when milli is set, for CPU). */
int dbp_parse_quantity(const char *s, int milli, long long *out);
/* Compose/Docker byte sizes: "512m", "1g", "1024", "2gb" (powers of 1024). */
int dbp_parse_bytes(const char *s, long long *out);
/* Compose durations: "1m30s", "10s", "1h", "500ms" (whole seconds, down). */
int dbp_parse_duration(const char *s, long long *seconds);

#endif

/*
 * supervisord's configuration, for the stop path: which [program:x] runs
 * the service, with which stopsignal and stopwaitsecs.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "sigset.h"
#include "supervisorconf.h"
#include "textlines.h"

/* Does a word of the command name the service (NULL: any database
 * server, or the official entrypoint given one)? */
static int command_runs(const char *cmd, const char *service)
{
	const char *s = cmd;

	while (*s) {
		const char *e, *b;
		size_t n;

		while (isspace((unsigned char)*s))
			s++;
		e = s;
		while (*e && !isspace((unsigned char)*e))
			e++;
		b = s;
		for (const char *q = s; q < e; q++)
			if (*q == '/')
				b = q + 1;
		n = (size_t)(e - b);
		if (!service && n) {
			char w[64];
			struct dbp_class c;

			snprintf(w, sizeof(w), "%.*s", (int)(n < 63 ? n : 63), b);
			w[strcspn(w, "'\"")] = '\0';
			dbp_classify_name(w, &c);
			if (c.kind == DBP_KIND_DATABASE)
				return 1;
		} else if (n && n == strlen(service) && !strncmp(b, service, n)) {
			return 1;
		}
		s = e;
	}
	return 0;
}

struct prog {
	char name[64];
	char command[256];
	int stopsignal, stopwaitsecs, runs;
	int stopsignal_set, stopwaitsecs_set;
};

int dbp_supervisor_parse(const char *text, const char *service, struct dbp_supervisor *out,
			 char *includes, size_t size)
{
	char *copy = strdup(text ? text : ""), *line, *save = NULL;
	struct prog cur = { "", "", 0, 0, 0, 0, 0 }, match = cur, only = cur;
	size_t nprog = 0;
	int in_prog = 0, in_include = 0;

	if (!copy)
		return -ENOMEM;
	if (includes && size)
		includes[0] = '\0';
	for (line = strtok_r(copy, "\n", &save); ; line = strtok_r(NULL, "\n", &save)) {
		char *l = line ? dbp_trim(line) : NULL;

		if (!l || *l == '[') {
			/* the section before ends */
			if (in_prog) {
				nprog++;
				only = cur;
				if (cur.runs && !match.name[0])
					match = cur;
			}
			if (!l)
				break;
			in_prog = !strncmp(l, "[program:", 9) && strchr(l, ']');
			in_include = !strncmp(l, "[include]", 9);
			if (in_prog) {
				char *e = strchr(l, ']');

				*e = '\0';
				memset(&cur, 0, sizeof(cur));
				snprintf(cur.name, sizeof(cur.name), "%s", l + 9);
				cur.stopsignal = SIGTERM;
				cur.stopwaitsecs = 10;
			}
			continue;
		}
		if (*l == ';' || *l == '#' || !*l)
			continue;
		{
			char *eq = strchr(l, '='), *k, *v, *c;

			if (!eq)
				continue;
			*eq = '\0';
			k = dbp_trim(l);
			v = dbp_trim(eq + 1);
			/* an inline comment starts at " ;" */
			c = strstr(v, " ;");
			if (c) {
				*c = '\0';
				v = dbp_trim(v);
			}
			if (in_include && !strcmp(k, "files") && includes)
				snprintf(includes, size, "%s", v);
			if (!in_prog)
				continue;
			if (!strcmp(k, "command")) {
				cur.runs = command_runs(v, service);
				snprintf(cur.command, sizeof(cur.command), "%s", v);
			} else if (!strcmp(k, "stopsignal")) {
				char sig[32];
				int n;

				snprintf(sig, sizeof(sig), "%s", v);
				n = dbp_signal_parse(sig);
				if (n > 0) {
					cur.stopsignal = n;
					cur.stopsignal_set = 1;
				}
			} else if (!strcmp(k, "stopwaitsecs")) {
				char *end;
				long n = strtol(v, &end, 10);

				if (end != v && !*end && n >= 0 && n <= 86400 * 7) {
					cur.stopwaitsecs = (int)n;
					cur.stopwaitsecs_set = 1;
				}
			}
		}
	}
	free(copy);
	if (!match.name[0] && nprog == 1)
		match = only;
	if (!match.name[0])
		return -ENOENT;
	snprintf(out->program, sizeof(out->program), "%s", match.name);
	snprintf(out->command, sizeof(out->command), "%s", match.command);
	out->stopsignal = match.stopsignal;
	out->stopwaitsecs = match.stopwaitsecs;
	out->stopsignal_set = match.stopsignal_set;
	out->stopwaitsecs_set = match.stopwaitsecs_set;
	return 0;
}

/* supervisord's -c FILE / --configuration=FILE / --configuration FILE */
const char *dbp_supervisor_conf_arg(char *const *argv)
{
	for (char *const *a = argv && argv[0] ? argv + 1 : NULL; a && *a; a++) {
		if ((!strcmp(*a, "-c") || !strcmp(*a, "--configuration")) && a[1])
			return a[1];
		if (!strncmp(*a, "--configuration=", 16))
			return *a + 16;
		if (!strncmp(*a, "-c", 2) && (*a)[2])
			return *a + 2;
	}
	return NULL;
}


/*
 * Dockerfile stages, evaluated as BuildKit dispatches them, into the lint
 * model. Only what decides PID 1, the stop signal and memory is followed.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dockerfile.h"
#include "dockerunit.h"
#include "grow.h"
#include "imagechain.h"
#include "safeopen.h"
#include "slurp.h"

/* What the official images set (docker-library), for FROM postgres:16 */
static const struct {
	const char *repo, *entrypoint, *cmd, *stop;
} official[] = {
	{ "postgres", "docker-entrypoint.sh", "postgres", "SIGINT" },
	{ "mysql", "docker-entrypoint.sh", "mysqld", NULL },
	{ "mariadb", "docker-entrypoint.sh", "mariadbd", NULL },
	{ "mongo", "docker-entrypoint.sh", "mongod", NULL },
	{ "redis", "docker-entrypoint.sh", "redis-server", NULL },
};

/* Base images that set no STOPSIGNAL (the distributions' own): an image
 * FROM them is stopped with SIGTERM unless it says otherwise. FROM any
 * other image the signal is inherited and not known here. */
static const char *const plain_bases[] = {
	"debian", "ubuntu", "alpine", "busybox", "scratch", "fedora", "centos",
	"rockylinux", "almalinux", "oraclelinux", "amazonlinux", "archlinux",
	"ubi8", "ubi9", "ubi8-minimal", "ubi9-minimal", "leap", "tumbleweed",
	"minideb",	/* bitnami's Debian */
};

/* What the build context may give: files up to this size (a script, a
 * supervisord.conf), this many in all, and a directory copied whole
 * walked this deep and this wide. A FIFO, a device or a link is never
 * read, and nothing outside the context is opened. */
#define CONTEXT_FILE_MAX (256 * 1024)
#define CONTEXT_FILES_MAX 128
#define CONTEXT_BYTES_MAX (16 * 1024 * 1024)
/* a tree copied to / (bitnami's COPY rootfs /) holds its scripts at
 * rootfs/opt/bitnami/scripts/postgresql/run.sh: five levels */
#define CONTEXT_DEPTH_MAX 8
#define CONTEXT_ENTRIES_MAX 1000

struct stage {
	char name[64];
	char ref[128];		/* FROM's image or stage, as resolved */
	char *base;
	char **ep, **cmd, **env, **shell;
	char *stop, *user;
	struct dbp_pos from_at, ep_at, cmd_at, stop_at, user_at, env_at;
	int cmd_set;		/* CMD in this stage (ENTRYPOINT resets an inherited one) */
	int cmd_reset;
	int official;		/* the ENTRYPOINT is an official image's, which execs */
	int stop_unknown;	/* the STOPSIGNAL is a base image's that is not known */
	int init_installed;
	int pg_oom_file, pg_oom_value;
	char *workdir;
	size_t *copies, ncopies, capcopies;	/* this stage's and its ancestors' COPY and ADD */
	size_t *runs, nruns, capruns;		/* and RUN */
	int base_known;		/* the base's whole content is known: scratch, or an
				 * official database image */
	int content_unknown;	/* something not from the context lands in it:
				 * COPY --from, ADD of a URL or an archive */
};

static void strv_free(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

static size_t strv_len(char **v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

static char **strv_dup(char **v)
{
	size_t n = strv_len(v);
	char **c;

	if (!v)
		return NULL;
	c = calloc(n + 1, sizeof(char *));
	for (size_t i = 0; c && i < n; i++)
		c[i] = strdup(v[i]);
	return c;
}

static char **strv_push(char **v, const char *s)
{
	size_t n = strv_len(v);
	char **nv = realloc(v, (n + 2) * sizeof(char *));

	if (!nv)
		return v;
	nv[n] = strdup(s);
	nv[n + 1] = NULL;
	return nv;
}

static void stage_free(struct stage *s)
{
	free(s->base);
	strv_free(s->ep);
	strv_free(s->cmd);
	strv_free(s->env);
	strv_free(s->shell);
	free(s->stop);
	free(s->user);
	free(s->workdir);
	free(s->copies);
	free(s->runs);
	memset(s, 0, sizeof(*s));
}

/* idx at the end of *list (nothing without memory: a list is a hint) */
static void index_push(size_t **list, size_t *n, size_t *cap, size_t idx)
{
	if (dbp_grow((void **)list, cap, *n + 1, sizeof(**list)) < 0)
		return;
	(*list)[(*n)++] = idx;
}

/* FROM an earlier stage: that stage, held in s, becomes this one whole
 * (its FROM's position, its COPY and ADD too), but for its name and a CMD
 * of its own. */
static void stage_inherit(struct stage *s, const char *name)
{
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->cmd_set = 0;
	s->cmd_reset = 0;
}

/* the value of NAME (n bytes) in "NAME=VALUE" lists, env first */
static const char *lookup(char **env, char **args, const char *name, size_t n)
{
	for (int pass = 0; pass < 2; pass++)
		for (char **e = pass ? args : env; e && *e; e++)
			if (!strncmp(*e, name, n) && (*e)[n] == '=')
				return *e + n + 1;
	return NULL;
}

struct buf {
	char *s;
	size_t n, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (!b->s)
		return;
	if (b->n + n + 1 > b->cap) {
		char *nb = realloc(b->s, (b->n + n + 1) * 2);

		if (!nb) {
			free(b->s);
			b->s = NULL;
			return;
		}
		b->s = nb;
		b->cap = (b->n + n + 1) * 2;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

/* $VAR, ${VAR}, ${VAR:-default}, ${VAR:+alt}; the escape character keeps a
 * $ literal. An unknown variable is empty, as in BuildKit. */
static char *subst(const char *s, char **env, char **args, char esc)
{
	struct buf b = { calloc(1, 1), 0, 1 };

	for (const char *p = s; b.s && *p;) {
		if (*p == esc && p[1] == '$') {
			put(&b, "$", 1);
			p += 2;
		} else if (*p == '$' && p[1] == '{' && strchr(p, '}')) {
			const char *nm = p + 2, *end = strchr(p, '}');
			size_t n = strcspn(nm, ":}");
			const char *v = lookup(env, args, nm, n);
			int op = nm[n] == ':' ? nm[n + 1] : 0;

			if (op == '-' || op == '+') {
				int set = v && *v;

				if (op == '-' && set)
					put(&b, v, strlen(v));
				else if ((op == '-' && !set) || (op == '+' && set))
					put(&b, nm + n + 2, (size_t)(end - (nm + n + 2)));
			} else if (v) {
				put(&b, v, strlen(v));
			}
			p = end + 1;
		} else if (*p == '$' && (isalpha((unsigned char)p[1]) || p[1] == '_')) {
			size_t n = 1;
			const char *v;

			while (isalnum((unsigned char)p[1 + n]) || p[1 + n] == '_')
				n++;
			v = lookup(env, args, p + 1, n);
			if (v)
				put(&b, v, strlen(v));
			p += 1 + n;
		} else {
			put(&b, p, 1);
			p++;
		}
	}
	return b.s;
}

/* words of "K=V K2=\"v 2\"" or the legacy "K V" of ENV and ARG */
/* Set NAME=VALUE in *list: a name set before is replaced (lookup finds
 * the first entry); keep_old leaves an existing value alone (ARG NAME
 * without a default). Takes kv. */
static void set_var(char ***list, char *kv, int keep_old)
{
	size_t n = strcspn(kv, "=");

	for (char **e = *list; e && *e; e++)
		if (!strncmp(*e, kv, n) && (*e)[n] == '=') {
			if (keep_old) {
				free(kv);
			} else {
				free(*e);
				*e = kv;
			}
			return;
		}
	*list = strv_push(*list, kv);
	free(kv);
}

/* ENV and ARG: "K=V K2=\"v 2\"" or ENV's legacy "K V". Every reference
 * is resolved against the variables as they were before the instruction
 * (`ENV a=bye b=$a` gives b the old a, as Docker does); the new values
 * are set once all are read. */
static void assignments(const char *args, char ***list, int legacy_ok, char esc,
			char **env, char **argl)
{
	const char *p = args;
	size_t sp = strcspn(args, " \t");
	char **fresh = NULL;

	if (legacy_ok && !memchr(args, '=', sp) && args[sp]) {
		char *v = subst(args + sp + strspn(args + sp, " \t"), env, argl, esc), *kv;

		if (v && asprintf(&kv, "%.*s=%s", (int)sp, args, v) >= 0)
			set_var(list, kv, 0);
		free(v);
		return;
	}
	while (*p) {
		char word[4096];
		size_t o = 0;
		char q = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		while (*p && (q || (*p != ' ' && *p != '\t'))) {
			if (q && *p == q)
				q = 0;
			else if (!q && (*p == '"' || *p == '\''))
				q = *p;
			else if (*p == esc && p[1] && q != '\'') {
				p++;
				if (o < sizeof(word) - 1)
					word[o++] = *p;
			} else if (o < sizeof(word) - 1) {
				word[o++] = *p;
			}
			p++;
		}
		word[o] = '\0';
		if (o) {
			char *v = subst(word, env, argl, esc);

			if (v)
				fresh = strv_push(fresh, v);
			free(v);
		}
	}
	for (char **f = fresh; f && *f; f++) {
		char *kv;

		/* ARG NAME without a default: known, empty, unless set */
		if (!strchr(*f, '=')) {
			if (asprintf(&kv, "%s=", *f) >= 0)
				set_var(list, kv, 1);
		} else if ((kv = strdup(*f))) {
			set_var(list, kv, 0);
		}
	}
	strv_free(fresh);
}

static int has_token(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = s; (p = strstr(p, w)); p += n) {
		int start = p == s || !(isalnum((unsigned char)p[-1]) || p[-1] == '-' || p[-1] == '_');
		int end = !(isalnum((unsigned char)p[n]) || p[n] == '_');

		if (start && end)
			return 1;
	}
	return 0;
}

static int mentions_init(const char *s)
{
	return s && (has_token(s, "tini") || has_token(s, "dumb-init") || has_token(s, "catatonit"));
}

/* shell form: SHELL's words (default /bin/sh -c) + the string */
static char **command_of(const struct dbp_dinstr *in, char **shell)
{
	char **v;

	if (in->json)
		return strv_dup(in->json);
	v = shell ? strv_dup(shell) : strv_push(strv_push(NULL, "/bin/sh"), "-c");
	return strv_push(v, in->args);
}

static void set_pos(struct dbp_pos *p, const struct dbp_dinstr *in)
{
	p->line = in->line;
	p->column = in->column;
}

/* FROM's image or stage (*ref) and its AS name (*as), the ARGs before the
 * first FROM resolved; both point into *buf (malloc'd), NULL when FROM
 * names none. */
static void from_words(const struct dbp_dinstr *in, char **gargs, char esc, char **buf,
		       const char **ref, const char **as)
{
	char *a = subst(in->args, NULL, gargs, esc), *r, *save = NULL;

	*buf = a;
	*ref = *as = NULL;
	for (r = a ? strtok_r(a, " \t", &save) : NULL; r && !strncmp(r, "--", 2);
	     r = strtok_r(NULL, " \t", &save))
		;	/* --platform= */
	if (r) {
		char *x = strtok_r(NULL, " \t", &save);

		*ref = r;
		if (x && !strcasecmp(x, "AS"))
			*as = strtok_r(NULL, " \t", &save);
	}
}

/* A stage of the final stage's chain starts: from the stage before it in
 * the chain, which cur holds (inherit), or from an image. */
static void from(struct stage *cur, int inherit, const struct dbp_dinstr *in, char **gargs,
		 char esc)
{
	char *a;
	const char *ref, *as;

	from_words(in, gargs, esc, &a, &ref, &as);
	if (inherit) {
		stage_inherit(cur, as ? as : "");
	} else {
		stage_free(cur);
		set_pos(&cur->from_at, in);
		snprintf(cur->name, sizeof(cur->name), "%s", as ? as : "");
	}
	if (ref)
		snprintf(cur->ref, sizeof(cur->ref), "%s", ref);
	if (ref && !inherit) {
		cur->base = strdup(ref);
		cur->stop_unknown = 1;
		for (size_t i = 0; i < sizeof(official) / sizeof(official[0]); i++) {
			const char *name = strrchr(ref, '/') ? strrchr(ref, '/') + 1 : ref;
			size_t n = strcspn(name, ":@");

			if (n == strlen(official[i].repo) && !strncmp(name, official[i].repo, n) &&
			    (name == ref || !strncmp(ref, "library/", 8) ||
			     !strncmp(ref, "docker.io/", 10))) {
				cur->ep = strv_push(NULL, official[i].entrypoint);
				cur->cmd = strv_push(NULL, official[i].cmd);
				cur->stop = official[i].stop ? strdup(official[i].stop) : NULL;
				cur->official = 1;
				cur->stop_unknown = 0;
				cur->base_known = 1;
			}
		}
		cur->base_known |= !strcmp(ref, "scratch");
		for (size_t i = 0; i < sizeof(plain_bases) / sizeof(plain_bases[0]); i++) {
			const char *name = strrchr(ref, '/') ? strrchr(ref, '/') + 1 : ref;
			size_t n = strcspn(name, ":@");

			if (n == strlen(plain_bases[i]) && !strncmp(name, plain_bases[i], n))
				cur->stop_unknown = 0;
		}
	}
	free(a);
}

/* Which stage each FROM starts from: the first earlier stage of that name
 * (names compared without case, as BuildKit does), found in a hash table
 * so that a hundred thousand stages cost no more than their text. */
struct stages {
	size_t n;
	char **name;		/* [stage]: its AS name (cut to 63 bytes), NULL none */
	int *parent;		/* [stage]: the stage it starts from, -1 an image */
	int *slot;		/* [cap]: a named stage, -1 empty */
	size_t cap;
};

static size_t name_hash(const char *s)
{
	size_t h = 14695981039346656037ULL;

	while (*s)
		h = (h ^ (unsigned char)tolower((unsigned char)*s++)) * 1099511628211ULL;
	return h;
}

/* the slot of name, or of the empty slot where it would go */
static size_t name_slot(const struct stages *t, const char *name)
{
	size_t i = name_hash(name) & (t->cap - 1);

	while (t->slot[i] >= 0 && strcasecmp(t->name[t->slot[i]], name))
		i = (i + 1) & (t->cap - 1);
	return i;
}

static int stages_read(const struct dbp_dockerfile *df, char **gargs, struct stages *t)
{
	size_t k = 0;

	t->cap = 16;
	while (t->cap < 2 * t->n)
		t->cap *= 2;
	t->name = calloc(t->n, sizeof(*t->name));
	t->parent = calloc(t->n, sizeof(*t->parent));
	t->slot = malloc(t->cap * sizeof(*t->slot));
	if (!t->name || !t->parent || !t->slot)
		return -ENOMEM;
	memset(t->slot, 0xff, t->cap * sizeof(*t->slot));
	for (size_t i = 0; i < df->n; i++) {
		const char *ref, *as;
		char *a;
		size_t at;

		if (strcmp(df->items[i].keyword, "FROM"))
			continue;
		from_words(&df->items[i], gargs, df->escape, &a, &ref, &as);
		t->parent[k] = -1;
		if (ref && strlen(ref) < 64 && t->slot[at = name_slot(t, ref)] >= 0)
			t->parent[k] = t->slot[at];
		if (as && *as) {
			t->name[k] = strndup(as, 63);
			if (!t->name[k]) {
				free(a);
				return -ENOMEM;
			}
			if (t->slot[at = name_slot(t, t->name[k])] < 0)
				t->slot[at] = (int)k;
		}
		free(a);
		k++;
	}
	return 0;
}

static void stages_free(struct stages *t)
{
	for (size_t i = 0; t->name && i < t->n; i++)
		free(t->name[i]);
	free(t->name);
	free(t->parent);
	free(t->slot);
}

static void env_flags(struct stage *cur, const struct dbp_dinstr *in)
{
	for (char **e = cur->env; e && *e; e++) {
		if (!strncmp(*e, "PG_OOM_ADJUST_FILE=", 19)) {
			cur->pg_oom_file = !strcmp(*e + 19, "/proc/self/oom_score_adj") ? 1 : -1;
			set_pos(&cur->env_at, in);
		} else if (!strncmp(*e, "PG_OOM_ADJUST_VALUE=", 20)) {
			cur->pg_oom_value = 1;
			set_pos(&cur->env_at, in);
		}
	}
}

static void dispatch(struct stage *cur, const struct dbp_dinstr *in, size_t idx, char ***args,
		     char **gargs, char esc)
{
	const char *k = in->keyword;

	if (!strcmp(k, "ARG")) {
		assignments(in->args, args, 0, esc, cur->env, *args);
		/* ARG NAME takes the value of a global ARG NAME=... */
		for (char **a = *args; a && *a; a++) {
			size_t n = strcspn(*a, "=");
			const char *g = (*a)[n + 1] ? NULL : lookup(NULL, gargs, *a, n);
			char *kv;

			if (g && asprintf(&kv, "%.*s=%s", (int)n, *a, g) >= 0) {
				free(*a);
				*a = kv;
			}
		}
	} else if (!strcmp(k, "ENV")) {
		assignments(in->args, &cur->env, 1, esc, cur->env, *args);
		env_flags(cur, in);
	} else if (!strcmp(k, "ENTRYPOINT")) {
		strv_free(cur->ep);
		cur->ep = command_of(in, cur->shell);
		set_pos(&cur->ep_at, in);
		cur->official = 0;
		/* BuildKit: an ENTRYPOINT resets a CMD not set in this stage */
		if (!cur->cmd_set) {
			/* a shell-form ENTRYPOINT ignores CMD anyway */
			cur->cmd_reset = cur->cmd != NULL && in->json;
			strv_free(cur->cmd);
			cur->cmd = NULL;
		}
	} else if (!strcmp(k, "CMD")) {
		strv_free(cur->cmd);
		cur->cmd = command_of(in, cur->shell);
		set_pos(&cur->cmd_at, in);
		cur->cmd_set = 1;
		cur->cmd_reset = 0;
	} else if (!strcmp(k, "STOPSIGNAL")) {
		free(cur->stop);
		cur->stop = subst(in->args, cur->env, *args, esc);
		cur->stop_unknown = 0;
		set_pos(&cur->stop_at, in);
	} else if (!strcmp(k, "WORKDIR")) {
		char *w = subst(in->args, cur->env, *args, esc), *nw = NULL;

		/* a relative WORKDIR is relative to the one before */
		if (w && w[0] != '/' && asprintf(&nw, "%s/%s", cur->workdir ? cur->workdir : "",
						 w) >= 0) {
			free(w);
			w = nw;
		}
		free(cur->workdir);
		cur->workdir = w;
	} else if (!strcmp(k, "USER")) {
		free(cur->user);
		cur->user = subst(in->args, cur->env, *args, esc);
		set_pos(&cur->user_at, in);
	} else if (!strcmp(k, "SHELL") && in->json) {
		strv_free(cur->shell);
		cur->shell = strv_dup(in->json);
	} else if (!strcmp(k, "RUN") || !strcmp(k, "COPY") || !strcmp(k, "ADD")) {
		if (strcmp(k, "RUN")) {
			index_push(&cur->copies, &cur->ncopies, &cur->capcopies, idx);
			/* from another stage or image, a URL, an archive ADD
			 * unpacks: what lands is not in the context */
			if ((in->args && (strstr(in->args, "--from") || strstr(in->args, "://"))) ||
			    (!strcmp(k, "ADD") && in->args && (strstr(in->args, ".tar") ||
			      strstr(in->args, ".tgz") || strstr(in->args, ".zip"))))
				cur->content_unknown = 1;
			for (char **j = in->json; j && *j; j++)
				if (!strncmp(*j, "--from", 6) || strstr(*j, "://"))
					cur->content_unknown = 1;
		} else {
			index_push(&cur->runs, &cur->nruns, &cur->capruns, idx);
		}
		if (mentions_init(in->args))
			cur->init_installed = 1;
		for (char **h = in->heredocs; h && *h; h++)
			if (!strcmp(k, "RUN") && mentions_init(*h))
				cur->init_installed = 1;
	}
}

static int is_shell_word(const char *w)
{
	static const char *const shells[] = { "sh", "bash", "dash", "ash", "zsh", "ksh" };
	const char *b = strrchr(w, '/') ? strrchr(w, '/') + 1 : w;

	for (size_t i = 0; i < sizeof(shells) / sizeof(shells[0]); i++)
		if (!strcmp(b, shells[i]))
			return 1;
	return 0;
}

/* ---- the files a stage copies from the build context ---- */

struct collect {
	struct dbp_image_files *files;
	const char *context;
	char *real_context;	/* realpath of context */
	size_t entries;		/* directory entries looked at */
	size_t bytes;		/* text kept */
	char **created;		/* every path a COPY or ADD puts in the image, read or not */
	size_t ncreated, capcreated;
	int unknown;		/* a source not followed: what it creates is not known */
	int nomem;
};

/* path is created in the image (a file, a directory, a binary not read) */
static void created(struct collect *c, const char *path)
{
	if (c->ncreated >= CONTEXT_ENTRIES_MAX) {
		c->unknown = 1;
		return;
	}
	if (dbp_grow((void **)&c->created, &c->capcreated, c->ncreated + 1,
		     sizeof(*c->created)) < 0 || !(c->created[c->ncreated] = strdup(path))) {
		c->nomem = 1;
		return;
	}
	c->ncreated++;
}

/* path ("/scripts/start.sh") resolves inside the context: checked before
 * anything is opened, because where openat2 is missing (Linux before
 * 5.6) dbp_open_in_root follows a link wherever it points. A link to an
 * absolute path is refused too, though BuildKit would read it inside the
 * context: a script not read is a stop not told, never a wrong one. */
static int in_context(const struct collect *c, const char *path)
{
	char full[4200], *real;
	size_t n;
	int ok;

	if (!c->real_context)
		return 0;
	snprintf(full, sizeof(full), "%s%s", c->context, path);
	real = realpath(full, NULL);
	if (!real)
		return 0;
	n = strlen(c->real_context);
	ok = !strncmp(real, c->real_context, n) && (real[n] == '\0' || real[n] == '/' ||
						   !strcmp(c->real_context, "/"));
	free(real);
	return ok;
}

/* text of a regular file open at fd, at most CONTEXT_FILE_MAX bytes and
 * without a NUL (a binary is not a script); NULL otherwise. Closes fd. */
static char *read_text(int fd)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return NULL;
	}
	if (dbp_slurp_fd_max(fd, CONTEXT_FILE_MAX, &buf, &len) != 0 || memchr(buf, '\0', len)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void keep(struct collect *c, const char *dest, char *text, const char *src)
{
	char from[300];

	if (!text)
		return;
	snprintf(from, sizeof(from), "the build context's %.250s", src);
	if (c->files->n < CONTEXT_FILES_MAX && c->bytes + strlen(text) <= CONTEXT_BYTES_MAX) {
		if (dbp_image_files_add(c->files, dest, text, from) < 0)
			c->nomem = 1;
		else
			c->bytes += strlen(text);
	}
	free(text);
}

/* dir/name as a path in the image: "/" and "/opt" both join without a
 * doubled slash ("/launch.sh", not "//launch.sh", which no command
 * names). NULL without memory. */
static char *image_path(const char *dir, const char *name)
{
	char *p = NULL;

	while (*name == '/')
		name++;
	if (asprintf(&p, "%s/%s", strcmp(dir, "/") ? dir : "", name) < 0)
		return NULL;
	return p;
}

/* the regular files below the directory open at dfd, copied to dest */
static void walk_dir(struct collect *c, int dfd, const char *src, const char *dest, int depth)
{
	DIR *d = fdopendir(dfd);
	struct dirent *e;

	if (!d) {
		close(dfd);
		return;
	}
	while ((e = readdir(d)) && !c->nomem) {
		struct stat st;
		char *s2 = NULL, *d2 = NULL;
		int fd;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (c->entries++ >= CONTEXT_ENTRIES_MAX) {
			c->unknown = 1;
			break;
		}
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (asprintf(&s2, "%s/%s", src, e->d_name) < 0 ||
		    !(d2 = image_path(dest, e->d_name))) {
			free(s2);
			c->nomem = 1;
			break;
		}
		/* whatever it is lands in the image; a link is copied as a
		 * link, and nothing is read through it */
		created(c, d2);
		if (S_ISREG(st.st_mode) && c->files->n < CONTEXT_FILES_MAX) {
			fd = openat(dirfd(d), e->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
				    O_NOCTTY | O_CLOEXEC);
			if (fd >= 0)
				keep(c, d2, read_text(fd), s2);
		} else if (S_ISDIR(st.st_mode) && depth < CONTEXT_DEPTH_MAX &&
			   (fd = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					O_CLOEXEC)) >= 0) {
			walk_dir(c, fd, s2, d2, depth + 1);
		} else if (S_ISDIR(st.st_mode)) {
			c->unknown = 1;		/* deeper than is walked */
		}
		free(s2);
		free(d2);
	}
	closedir(d);
}

/* One source of a COPY: a file, a directory or a glob (in its last
 * component), inside the context only -- docker refuses a source
 * outside it, and so does this: no "..", and the path is resolved with
 * the context as its root. */
static void copy_source(struct collect *c, const char *src, const char *dest, int into_dir)
{
	char path[1024], *slash;
	const char *pat;
	struct stat st;
	int fd;

	while (*src == '/')
		src++;
	while (!strncmp(src, "./", 2))
		src += 2;
	if (!*src || !strcmp(src, ".") || strstr(src, "..") || strstr(src, "://") ||
	    strlen(src) + 1 >= sizeof(path)) {
		c->unknown = 1;	/* what a source not followed creates is not known */
		return;
	}
	/* absolute: the context is the root it is resolved in */
	snprintf(path, sizeof(path), "/%s", src);
	if (strpbrk(path, "*?[")) {
		DIR *d;
		struct dirent *e;

		slash = strrchr(path, '/');
		pat = slash + 1;
		*slash = '\0';
		if (strpbrk(path, "*?[") || !in_context(c, *path ? path : "/")) {
			c->unknown = 1;	/* a glob in a directory name: not followed */
			return;
		}
		fd = dbp_open_in_root(c->context, *path ? path : "/", O_RDONLY | O_DIRECTORY);
		if (fd < 0 || !(d = fdopendir(fd))) {
			if (fd >= 0)
				close(fd);
			c->unknown = 1;
			return;
		}
		while ((e = readdir(d)) && c->entries++ < CONTEXT_ENTRIES_MAX) {
			char s2[1300], d2[1300];

			if (e->d_name[0] == '.' || fnmatch(pat, e->d_name, 0))
				continue;
			snprintf(s2, sizeof(s2), "%s/%s", path, e->d_name);
			snprintf(d2, sizeof(d2), "%s/%s", strcmp(dest, "/") ? dest : "", e->d_name);
			copy_source(c, s2, d2, 0);
		}
		closedir(d);
		return;
	}
	/* what stands there, resolved inside the context, before opening:
	 * a FIFO would block an open, a device act on it */
	if (!in_context(c, path) || dbp_stat_in_root(c->context, path, 1, &st) < 0) {
		c->unknown = 1;
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		created(c, dest);
		fd = dbp_open_in_root(c->context, path, O_RDONLY | O_DIRECTORY);
		if (fd >= 0)
			walk_dir(c, fd, path + 1, dest, 1);
		else
			c->unknown = 1;
		return;
	}
	{
		char d2[1300];
		const char *b = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

		snprintf(d2, sizeof(d2), "%s%s%s", into_dir && !strcmp(dest, "/") ? "" : dest,
			 into_dir ? "/" : "", into_dir ? b : "");
		created(c, d2);
		if (!S_ISREG(st.st_mode) || c->files->n >= CONTEXT_FILES_MAX)
			return;
		fd = dbp_open_in_root(c->context, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
		if (fd >= 0)
			keep(c, d2, read_text(fd), path + 1);
	}
}

/* COPY/ADD [--opts] SRC... DEST, or its JSON form: the files it puts in
 * the image that can be read, into c. */
static void copy_files(struct collect *c, const struct dbp_dinstr *in, const char *workdir)
{
	char *copy = NULL, *save = NULL, *w[64], dest[1024];
	size_t nw = 0, first = 0, nh = 0;
	int into_dir;

	if (in->json) {
		while (in->json[nw] && nw < 64)
			nw++;
		memcpy(w, in->json, nw * sizeof(char *));
	} else {
		copy = strdup(in->args);
		for (char *t = copy ? strtok_r(copy, " \t", &save) : NULL; t && nw < 64;
		     t = strtok_r(NULL, " \t", &save))
			w[nw++] = t;
	}
	/* options: --chown=, --chmod=, --link, --from= (another stage or
	 * image: not in the context) */
	while (first < nw && !strncmp(w[first], "--", 2)) {
		if (!strncmp(w[first], "--from", 6)) {
			free(copy);
			return;
		}
		first++;
	}
	if (nw - first < 2) {
		free(copy);
		return;
	}
	if (w[nw - 1][0] == '/' || !workdir)
		snprintf(dest, sizeof(dest), "%s%s", w[nw - 1][0] == '/' ? "" : "/", w[nw - 1]);
	else
		snprintf(dest, sizeof(dest), "%s/%s", workdir, w[nw - 1]);
	into_dir = dest[strlen(dest) - 1] == '/' || nw - first > 2;
	/* `COPY start.sh .`: the WORKDIR itself, a directory */
	for (size_t n = strlen(dest); n >= 2 && !strcmp(dest + n - 2, "/."); n = strlen(dest)) {
		dest[n - 1] = '\0';
		into_dir = 1;
	}
	while (strlen(dest) > 1 && dest[strlen(dest) - 1] == '/')
		dest[strlen(dest) - 1] = '\0';
	for (size_t k = first; k + 1 < nw && !c->nomem; k++) {
		if (!strncmp(w[k], "<<", 2)) {
			/* COPY <<EOF /start.sh: the heredoc is the file */
			if (in->heredocs && in->heredocs[nh]) {
				if (c->files->n < CONTEXT_FILES_MAX &&
				    dbp_image_files_add(c->files, dest, in->heredocs[nh], "a heredoc") < 0)
					c->nomem = 1;
				nh++;
			}
			created(c, dest);
			continue;
		}
		if (c->context)
			copy_source(c, w[k], dest, into_dir);
		else
			c->unknown = 1;
	}
	free(copy);
}

/* Does a RUN of the stage or the ones it comes from name prog's file
 * (ln -s, curl -o, a heredoc that writes it)? Then it may make it. */
static int created_by_run(const struct dbp_dockerfile *df, const struct stage *fin,
			  const char *prog)
{
	const char *b = strrchr(prog, '/') ? strrchr(prog, '/') + 1 : prog;

	for (size_t k = 0; k < fin->nruns; k++) {
		const struct dbp_dinstr *in = &df->items[fin->runs[k]];

		if (in->args && has_token(in->args, b))
			return 1;
		for (char **j = in->json; j && *j; j++)
			if (has_token(*j, b))
				return 1;
		for (char **h = in->heredocs; h && *h; h++)
			if (has_token(*h, b))
				return 1;
	}
	return 0;
}

/* The program the image's command starts (an absolute path, or ./ one
 * in the WORKDIR), where everything the image holds is known -- FROM
 * scratch or an official database image, with only what the context
 * gives added: when nothing creates it, into u->missing_program. The
 * official images' own programs live in system directories and
 * /usr/local/bin, which are not judged. */
static void missing_program(struct dbp_unit *u, const struct collect *c, const char *prog,
			    const char *workdir, const char *ref)
{
	static const char *const system[] = {
		"/bin/", "/sbin/", "/usr/", "/lib", "/etc/", "/opt/", "/var/", "/run/", "/proc/",
	};
	char path[1024];
	int scratch = !strcmp(ref, "scratch");

	if (!strncmp(prog, "./", 2))
		snprintf(path, sizeof(path), "%s/%s", workdir && strcmp(workdir, "/") ? workdir : "",
			 prog + 2);
	else if (prog[0] == '/')
		snprintf(path, sizeof(path), "%s", prog);
	else
		return;		/* found in PATH, which a package may fill */
	if (strchr(path, '$'))
		return;
	for (size_t i = 0; !scratch && i < sizeof(system) / sizeof(system[0]); i++)
		if (!strncmp(path, system[i], strlen(system[i])))
			return;
	if (!scratch && strstr(path, "docker-entrypoint"))
		return;
	for (size_t k = 0; k < c->ncreated; k++)
		if (!strcmp(c->created[k], path))
			return;
	u->missing_program = strdup(path);
	u->missing_scratch = scratch;
}

static int to_unit(const struct dbp_dockerfile *df, struct stage *fin, size_t nst,
		   const char *context, struct dbp_lintfile *out)
{
	struct dbp_unit *u = dbp_units_add(&out->units, DBP_UNIT_DOCKERFILE);
	char **argv0;
	const char *prog = NULL;

	if (!u)
		return -ENOMEM;
	if (asprintf(&u->img.name, "stage %zu (FROM %s%s%s)", nst, fin->ref[0] ? fin->ref : "?",
		     fin->name[0] ? " AS " : "", fin->name) < 0) {
		u->img.name = NULL;
		return -ENOMEM;
	}
	u->img.entrypoint = fin->ep;
	u->img.cmd = fin->cmd;
	u->img.stop_signal = fin->stop;
	u->img.user = fin->user;
	fin->ep = fin->cmd = NULL;
	fin->stop = fin->user = NULL;
	u->img.command_unknown = !u->img.entrypoint && !u->img.cmd;
	u->at = fin->from_at;
	u->entrypoint_at = fin->ep_at;
	u->cmd_at = fin->cmd_at;
	u->stop_signal_at = fin->stop_at;
	u->user_at = fin->user_at;
	u->env_at = fin->env_at;
	u->init_installed = fin->init_installed;
	u->cmd_reset = fin->cmd_reset;
	u->pg_oom_file = fin->pg_oom_file;
	u->pg_oom_value = fin->pg_oom_value;
	u->user_root = !u->img.user || !strcmp(u->img.user, "root") || !strcmp(u->img.user, "0") ||
		       !strncmp(u->img.user, "root:", 5) || !strncmp(u->img.user, "0:", 2);
	dbp_unit_guess_db(u, fin->env, fin->base);

	u->img.stop_signal_from_image = !u->img.stop_signal && fin->stop_unknown;
	for (char **e = fin->env; e && *e; e++)
		if (!strncmp(*e, "TINI_KILL_PROCESS_GROUP=", 24))
			u->img.tini_kill_group = 1;
	argv0 = u->img.entrypoint ? u->img.entrypoint : u->img.cmd;
	if (argv0 && argv0[0]) {
		prog = argv0[0];
		if (is_shell_word(prog) && argv0[1] && argv0[1][0] != '-')
			prog = argv0[1];
	}
	{
		struct collect c = { &u->img.files, context, context ? realpath(context, NULL) : NULL,
				     0, 0, NULL, 0, 0, 0, 0 };

		u->img.files.read = 1;
		for (size_t k = 0; k < fin->ncopies && !c.nomem; k++)
			copy_files(&c, &df->items[fin->copies[k]], fin->workdir);
		if (!c.nomem && prog && !fin->official && fin->base_known && !fin->content_unknown &&
		    !c.unknown && !created_by_run(df, fin, prog))
			missing_program(u, &c, prog, fin->workdir, fin->ref);
		for (size_t k = 0; k < c.ncreated; k++)
			free(c.created[k]);
		free(c.created);
		free(c.real_context);
		if (c.nomem)
			return -ENOMEM;
	}
	if (fin->official && u->img.entrypoint) {
		u->img.script_execs = 1;	/* the official docker-entrypoint.sh execs "$@" */
		u->img.entrypoint_official = 1;
	} else if (prog) {
		const struct dbp_image_file *f = dbp_image_file_find(&u->img.files, prog);

		if (f) {
			u->img.script_execs = dbp_script_execs(f->text);
			u->init_file = strdup(f->from);
		}
	}
	return 0;
}

int dbp_dockerfile_read(const char *text, size_t len, const char *context,
			struct dbp_lintfile *out)
{
	struct dbp_dockerfile df;
	struct stages t = { 0, NULL, NULL, NULL, 0 };
	struct stage cur;
	unsigned char *chain = NULL;
	size_t k = 0;
	char **gargs = NULL, **args = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&cur, 0, sizeof(cur));
	rc = dbp_dockerfile_parse(text, len, &df, out->why, sizeof(out->why));
	if (rc < 0) {
		/* the parser names the line in its reason */
		if (sscanf(out->why, "line %d:", &out->err_line) == 1)
			out->err_column = 1;
		return rc;
	}
	for (size_t i = 0; i < df.n; i++) {
		if (!strcmp(df.items[i].keyword, "FROM"))
			t.n++;
		else if (!t.n && !strcmp(df.items[i].keyword, "ARG"))
			assignments(df.items[i].args, &gargs, 0, df.escape, NULL, gargs);
	}
	if (!t.n) {
		snprintf(out->why, sizeof(out->why), "no FROM: not a Dockerfile");
		rc = -EINVAL;
	}
	if (rc == 0)
		rc = stages_read(&df, gargs, &t);
	/* Only the final stage becomes a unit: of the others, only those it
	 * starts from, each from the one before, matter. They are evaluated
	 * in order, each taking the one before over whole: never a copy per
	 * stage, whatever a stage holds or how many there are. */
	if (rc == 0 && !(chain = calloc(t.n, 1)))
		rc = -ENOMEM;
	for (long s = rc == 0 ? (long)t.n - 1 : -1; s >= 0; s = t.parent[s])
		chain[s] = 1;
	for (size_t i = 0; i < df.n && rc == 0; i++) {
		const struct dbp_dinstr *in = &df.items[i];

		if (!strcmp(in->keyword, "FROM")) {
			strv_free(args);
			args = NULL;
			if (chain[k])
				from(&cur, t.parent[k] >= 0, in, gargs, df.escape);
			k++;
		} else if (k && chain[k - 1]) {
			dispatch(&cur, in, i, &args, gargs, df.escape);
		}
	}
	if (rc == 0)
		rc = to_unit(&df, &cur, t.n, context, out);
	if (rc == 0) {
		out->ignores = df.ignores;
		memset(&df.ignores, 0, sizeof(df.ignores));
	}
	stage_free(&cur);
	stages_free(&t);
	free(chain);
	strv_free(args);
	strv_free(gargs);
	dbp_dockerfile_free(&df);
	if (rc == -ENOMEM)
		snprintf(out->why, sizeof(out->why), "out of memory");
	if (rc < 0)
		dbp_lintfile_free(out);
	return rc;
}

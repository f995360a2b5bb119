/*
 * Shell scripts read for a stop: traps and the command that runs the
 * service. The lexer splits the text into simple commands the way a
 * shell tokenises it (quotes, escapes, $(...), `...`, ${...},
 * here-documents, comments, line continuations); the rest reads those
 * commands' words.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "classify.h"
#include "shscript.h"
#include "sigset.h"

/* what ends a command */
enum sep {
	SEP_END = 0,	/* the end of the text */
	SEP_SEMI,	/* ; ;; or a newline */
	SEP_BG,		/* & */
	SEP_PIPE,	/* | */
	SEP_LIST,	/* && || */
	SEP_OPEN,	/* ( */
	SEP_CLOSE,	/* ) */
};

struct cmd {
	char **w;
	size_t n, cap;
	int line;
	int depth;		/* inside ( ), { }, if/case/while/for blocks */
	enum sep before, after;
	int pattern;		/* a case pattern ("postgres)"), not a command */
};

struct cmds {
	struct cmd *c;
	size_t n, cap;
};

struct lexer {
	const char *p;
	int line;
	struct cmds *out;
	struct cmd cur;
	char *word;
	size_t wn, wcap;
	int in_word;
	int depth, parens;
	enum sep last_sep;
	/* here-documents whose bodies start at the next newline */
	struct {
		char delim[64];
		int tabs;
	} hd[4];
	size_t nhd;
	int want_delim;		/* the word after a bare << is the delimiter */
	int want_tabs;
	int nomem;
};

/* generous bounds: a script is at most DBP_STOPREAD_MAX bytes; a fuzzer
 * must not make one allocation per byte grow without end */
#define WORD_MAX 4096
#define CMDS_MAX 20000

static void put(struct lexer *l, char c)
{
	if (l->nomem || l->wn >= WORD_MAX)
		return;
	if (l->wn + 2 > l->wcap) {
		size_t cap = l->wcap ? l->wcap * 2 : 64;
		char *nw = realloc(l->word, cap);

		if (!nw) {
			l->nomem = 1;
			return;
		}
		l->word = nw;
		l->wcap = cap;
	}
	l->word[l->wn++] = c;
	l->word[l->wn] = '\0';
	l->in_word = 1;
}

static const char *const openers[] = { "if", "case", "while", "until", "for", "select", "{" };
static const char *const closers[] = { "fi", "esac", "done", "}" };

static int among(const char *w, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(w, list[i]))
			return 1;
	return 0;
}

static void end_word(struct lexer *l)
{
	char *w;

	if (!l->in_word || l->nomem)
		return;
	l->in_word = 0;
	w = strdup(l->wn ? l->word : "");
	l->wn = 0;
	if (l->word)
		l->word[0] = '\0';
	if (!w) {
		l->nomem = 1;
		return;
	}
	/* a here-document: "<<EOF", "<<-'EOM'", or "<<" and the next word */
	if (l->want_delim || (!strncmp(w, "<<", 2) && w[2] != '<')) {
		const char *d = l->want_delim ? w : w + 2;
		int tabs = l->want_delim ? l->want_tabs : 0;

		if (!l->want_delim && *d == '-') {
			tabs = 1;
			d++;
		}
		if (!*d && !l->want_delim) {
			l->want_delim = 1;
			l->want_tabs = tabs;
		} else {
			l->want_delim = 0;
			if (l->nhd < sizeof(l->hd) / sizeof(l->hd[0])) {
				snprintf(l->hd[l->nhd].delim, sizeof(l->hd[0].delim), "%s", d);
				l->hd[l->nhd++].tabs = tabs;
			}
		}
	}
	/* block keywords in command position */
	if (!l->cur.n) {
		if (among(w, openers, sizeof(openers) / sizeof(openers[0])))
			l->depth++;
		else if (among(w, closers, sizeof(closers) / sizeof(closers[0])) && l->depth > 0)
			l->depth--;
	}
	if (l->cur.n + 2 > l->cur.cap) {
		size_t cap = l->cur.cap ? l->cur.cap * 2 : 8;
		char **nw = realloc(l->cur.w, cap * sizeof(char *));

		if (!nw) {
			free(w);
			l->nomem = 1;
			return;
		}
		l->cur.w = nw;
		l->cur.cap = cap;
	}
	if (!l->cur.n) {
		l->cur.line = l->line;
		l->cur.depth = l->depth;
	}
	l->cur.w[l->cur.n++] = w;
	l->cur.w[l->cur.n] = NULL;
}

static void free_cmd(struct cmd *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->w[i]);
	free(c->w);
	memset(c, 0, sizeof(*c));
}

static void end_cmd(struct lexer *l, enum sep s)
{
	end_word(l);
	if (l->nomem)
		return;
	if (!l->cur.n || l->out->n >= CMDS_MAX) {
		free_cmd(&l->cur);
		l->last_sep = s;
		return;
	}
	if (l->out->n + 1 > l->out->cap) {
		size_t cap = l->out->cap ? l->out->cap * 2 : 16;
		struct cmd *nc = realloc(l->out->c, cap * sizeof(*nc));

		if (!nc) {
			l->nomem = 1;
			free_cmd(&l->cur);
			return;
		}
		l->out->c = nc;
		l->out->cap = cap;
	}
	l->cur.before = l->last_sep;
	l->cur.after = s;
	l->out->c[l->out->n++] = l->cur;
	memset(&l->cur, 0, sizeof(l->cur));
	l->last_sep = s;
}

/* Copy a balanced $( ... ) or ${ ... } starting at l->p (on the $) into
 * the word: a command substitution is data of the word it stands in. */
static void copy_balanced(struct lexer *l, char open, char close)
{
	int depth = 0;
	char q = 0;

	for (; *l->p; l->p++) {
		char c = *l->p;

		put(l, c);
		if (c == '\n')
			l->line++;
		if (q) {
			if (c == q)
				q = 0;
			else if (c == '\\' && q == '"' && l->p[1])
				put(l, *++l->p);
			continue;
		}
		if (c == '\'' || c == '"') {
			q = c;
		} else if (c == '\\' && l->p[1]) {
			put(l, *++l->p);
		} else if (c == open) {
			depth++;
		} else if (c == close && --depth == 0) {
			l->p++;
			return;
		}
	}
}

/* At a newline: skip the bodies of the here-documents started on the
 * line just ended. */
static void skip_heredocs(struct lexer *l)
{
	for (size_t k = 0; k < l->nhd; k++) {
		while (*l->p) {
			const char *s = l->p, *e = strchr(s, '\n');
			size_t n = e ? (size_t)(e - s) : strlen(s);

			if (l->hd[k].tabs)
				while (n && *s == '\t')
					s++, n--;
			l->p = e ? e + 1 : s + n;
			l->line++;
			if (n == strlen(l->hd[k].delim) && !strncmp(s, l->hd[k].delim, n))
				break;
		}
	}
	l->nhd = 0;
}

static int lex(const char *text, struct cmds *out)
{
	struct lexer l;

	memset(&l, 0, sizeof(l));
	memset(out, 0, sizeof(*out));
	l.p = text ? text : "";
	l.line = 1;
	l.out = out;
	l.last_sep = SEP_SEMI;
	while (*l.p && !l.nomem) {
		char c = *l.p;

		if (c == '\\' && l.p[1] == '\n') {
			l.p += 2;
			l.line++;
		} else if (c == '#' && !l.in_word) {
			while (*l.p && *l.p != '\n')
				l.p++;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			end_word(&l);
			l.p++;
		} else if (c == '\n') {
			end_cmd(&l, SEP_SEMI);
			l.p++;
			l.line++;
			if (l.nhd)
				skip_heredocs(&l);
		} else if (c == ';') {
			end_cmd(&l, SEP_SEMI);
			l.p += l.p[1] == ';' ? 2 : 1;
		} else if (c == '&' && l.p[1] == '&') {
			end_cmd(&l, SEP_LIST);
			l.p += 2;
		} else if (c == '&' && ((l.in_word && l.wn && strchr("<>", l.word[l.wn - 1])) ||
					l.p[1] == '>')) {
			put(&l, c);	/* 2>&1, &>file */
			l.p++;
		} else if (c == '&') {
			end_cmd(&l, SEP_BG);
			l.p++;
		} else if (c == '|') {
			end_cmd(&l, l.p[1] == '|' ? SEP_LIST : SEP_PIPE);
			l.p += l.p[1] == '|' ? 2 : 1;
		} else if (c == '(') {
			end_cmd(&l, SEP_OPEN);
			l.parens++;
			l.depth++;
			l.p++;
		} else if (c == ')') {
			end_cmd(&l, SEP_CLOSE);
			if (l.parens > 0) {
				l.parens--;
				if (l.depth > 0)
					l.depth--;
			} else {
				/* no ( open: a case pattern ends here, with the
				 * alternatives before it ("postgres|mysqld)") */
				for (size_t k = out->n; k-- > 0;) {
					out->c[k].pattern = 1;
					if (out->c[k].before != SEP_PIPE)
						break;
				}
			}
			l.p++;
		} else if (c == '\'') {
			put(&l, '\0');	/* '' is a word, empty */
			l.wn--;
			for (l.p++; *l.p && *l.p != '\''; l.p++) {
				if (*l.p == '\n')
					l.line++;
				put(&l, *l.p);
			}
			if (*l.p)
				l.p++;
		} else if (c == '"') {
			put(&l, '\0');
			l.wn--;
			for (l.p++; *l.p && *l.p != '"';) {
				if (*l.p == '\\' && l.p[1] && strchr("\"\\$`\n", l.p[1])) {
					if (l.p[1] == '\n')
						l.line++;
					else
						put(&l, l.p[1]);
					l.p += 2;
				} else if (*l.p == '$' && (l.p[1] == '(' || l.p[1] == '{')) {
					l.p++;
					put(&l, '$');
					copy_balanced(&l, *l.p, *l.p == '(' ? ')' : '}');
				} else {
					if (*l.p == '\n')
						l.line++;
					put(&l, *l.p++);
				}
			}
			if (*l.p)
				l.p++;
		} else if (c == '\\') {
			if (l.p[1])
				put(&l, l.p[1]);
			l.p += l.p[1] ? 2 : 1;
		} else if (c == '$' && (l.p[1] == '(' || l.p[1] == '{')) {
			l.p++;
			put(&l, '$');
			copy_balanced(&l, *l.p, *l.p == '(' ? ')' : '}');
		} else if (c == '`') {
			put(&l, c);
			for (l.p++; *l.p && *l.p != '`'; l.p++) {
				if (*l.p == '\\' && l.p[1])
					put(&l, *l.p++);
				if (*l.p == '\n')
					l.line++;
				put(&l, *l.p);
			}
			if (*l.p)
				put(&l, *l.p++);
		} else {
			put(&l, c);
			l.p++;
		}
	}
	if (!l.nomem)
		end_cmd(&l, SEP_END);
	free_cmd(&l.cur);
	free(l.word);
	return l.nomem ? -ENOMEM : 0;
}

static void cmds_free(struct cmds *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		free_cmd(&cs->c[i]);
	free(cs->c);
	memset(cs, 0, sizeof(*cs));
}

/* ---- the words of one command ---- */

static const char *base(const char *s)
{
	const char *b = strrchr(s, '/');

	return b ? b + 1 : s;
}

static int is_assignment(const char *w)
{
	if (!isalpha((unsigned char)*w) && *w != '_')
		return 0;
	while (isalnum((unsigned char)*w) || *w == '_')
		w++;
	return *w == '=' || (*w == '+' && w[1] == '=');
}

/* a redirection: "returns 2" when the target is the next word */
static int redirection(const char *w)
{
	const char *p = w;

	if (*p == '&' && p[1] == '>')
		p += 2;
	else {
		while (isdigit((unsigned char)*p))
			p++;
		if (*p != '<' && *p != '>')
			return 0;
		while (*p == '<' || *p == '>' || *p == '&' || *p == '|')
			p++;
	}
	return *p ? 1 : 2;
}

/* The words of c that make its command: without the keywords before it,
 * assignments and redirections. Points into c's words; NULL-terminated
 * into v (at most max - 1). */
static size_t command_words(const struct cmd *c, char **v, size_t max)
{
	static const char *const keywords[] = {
		"if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "time",
		"fi", "done", "esac",
	};
	size_t i = 0, n = 0;

	while (i < c->n && among(c->w[i], keywords, sizeof(keywords) / sizeof(keywords[0])))
		i++;
	while (i < c->n && is_assignment(c->w[i]))
		i++;
	for (; i < c->n && n + 1 < max; i++) {
		int r = redirection(c->w[i]);

		if (r == 2)
			i++;
		if (r)
			continue;
		v[n++] = c->w[i];
	}
	v[n] = NULL;
	return n;
}

int dbp_sh_is_args_word(const char *w)
{
	return !strcmp(w, "$@") || !strcmp(w, "${@}") || !strcmp(w, "$*") || !strcmp(w, "${*}") ||
	       !strcmp(w, "$1") || !strcmp(w, "${1}");
}

/* ---- traps ---- */

static int sig_word(const char *w)
{
	static const char *const not_signals[] = { "EXIT", "ERR", "DEBUG", "RETURN", "0" };
	char buf[32];
	int sig;

	if (strlen(w) >= sizeof(buf))
		return 0;
	for (size_t i = 0; i < sizeof(not_signals) / sizeof(not_signals[0]); i++)
		if (!strcasecmp(w, not_signals[i]))
			return 0;
	snprintf(buf, sizeof(buf), "%s", w);
	sig = dbp_signal_parse(buf);
	return sig > 0 && sig <= DBP_NSIG ? sig : 0;
}

static void join(char **v, size_t n, char *buf, size_t size)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && at + 1 < size; i++)
		at += (size_t)snprintf(buf + at, size - at, "%s%s", i ? " " : "", v[i]);
	if (at >= size && size > 4)
		memcpy(buf + size - 4, "...", 4);
}

/* The same, a word with blanks in single quotes, as it was written
 * (su postgres -c 'pg_ctl start') */
static void join_quoted(char **v, size_t n, char *buf, size_t size)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && at + 1 < size; i++) {
		int q = strpbrk(v[i], " \t") != NULL;

		at += (size_t)snprintf(buf + at, size - at, "%s%s%s%s", i ? " " : "", q ? "'" : "",
				       v[i], q ? "'" : "");
	}
	if (at >= size && size > 4)
		memcpy(buf + size - 4, "...", 4);
}

/* a target of kill that stands for a process the script knows: $pid,
 * "$!", %1, $(jobs -p), `cat pidfile` */
static int kill_target(const char *w)
{
	return *w == '$' || *w == '%' || *w == '`';
}

struct action {
	int sends, waits;
	char how[64];
};

static void read_action(const char *text, const char *script, int depth, struct action *a);

/* su USER -c STRING, runuser ... -c STRING: the string is what runs */
static const char *dash_c_string(char **v)
{
	for (size_t i = 1; v[i]; i++)
		if ((!strcmp(v[i], "-c") || !strcmp(v[i], "--command")) && v[i + 1])
			return v[i + 1];
	return NULL;
}

static void read_command(char **v, size_t n, const char *script, int depth, struct action *a)
{
	size_t skip;

	if (!n)
		return;
	/* gosu postgres pg_ctl ..., env X=1 kill ... */
	while (n && (skip = dbp_exec_wrapper_skip(v)) > 0 && skip < n) {
		v += skip;
		n -= skip;
	}
	if (!strcmp(base(v[0]), "su") || !strcmp(base(v[0]), "runuser") || !strcmp(base(v[0]), "sudo")) {
		const char *s = dash_c_string(v);

		if (s && depth < 3) {
			read_action(s, script, depth + 1, a);
			return;
		}
		/* runuser -u U -- CMD, sudo -u U CMD */
		for (size_t i = 1; i < n; i++) {
			if (!strcmp(v[i], "--") || v[i][0] != '-') {
				size_t k = !strcmp(v[i], "--") ? i + 1 : i;

				/* sudo -u USER: the value of -u is not the command */
				if (k == i && i > 1 && (!strcmp(v[i - 1], "-u") || !strcmp(v[i - 1], "-g")))
					continue;
				read_command(v + k, n - k, script, depth, a);
				return;
			}
		}
		return;
	}
	if (!strcmp(v[0], "wait")) {
		a->waits = 1;
		return;
	}
	if (!strcmp(v[0], "kill")) {
		int sig = SIGTERM;
		size_t i = 1;

		for (; i < n && v[i][0] == '-' && v[i][1]; i++) {
			if (!strcmp(v[i], "--")) {
				i++;
				break;
			}
			if ((!strcmp(v[i], "-s") || !strcmp(v[i], "-n")) && i + 1 < n) {
				sig = sig_word(v[++i]);
			} else if (!strcmp(v[i], "-l") || !strcmp(v[i], "-L")) {
				return;
			} else {
				sig = sig_word(v[i] + 1);
			}
		}
		for (; sig > 0 && i < n; i++)
			if (kill_target(v[i])) {
				a->sends = sig;
				join(v, n, a->how, sizeof(a->how));
				return;
			}
		return;
	}
	if (!strcmp(base(v[0]), "sv")) {
		/* runit: `sv stop patroni` has runsv send the service SIGTERM
		 * (and SIGCONT); with -v or -w SECONDS, and for force-stop, sv
		 * waits until it is down */
		int wait = 0, stop = 0;

		for (size_t i = 1; i < n; i++) {
			if (!strcmp(v[i], "-v"))
				wait = 1;
			else if (!strcmp(v[i], "-w") && i + 1 < n)
				wait = 1, i++;
			else if (!strcmp(v[i], "stop") || !strcmp(v[i], "down") ||
				 !strcmp(v[i], "d") || !strcmp(v[i], "term"))
				stop = 1;
			else if (!strcmp(v[i], "force-stop") || !strcmp(v[i], "force-shutdown"))
				stop = wait = 1;
			else if (v[i][0] != '-')
				break;
		}
		if (stop) {
			a->sends = SIGTERM;
			a->waits |= wait;
			join(v, n, a->how, sizeof(a->how));
		}
		return;
	}
	if (!strcmp(base(v[0]), "pg_ctl") || !strcmp(base(v[0]), "pg_ctlcluster")) {
		int stop = 0, sig = SIGINT, wait = 1;

		for (size_t i = 1; i < n; i++) {
			const char *m = NULL;

			if (!strcmp(v[i], "stop"))
				stop = 1;
			else if (!strcmp(v[i], "-W") || !strcmp(v[i], "--no-wait"))
				wait = 0;
			else if ((!strcmp(v[i], "-m") || !strcmp(v[i], "--mode")) && i + 1 < n)
				m = v[++i];
			else if (!strncmp(v[i], "--mode=", 7))
				m = v[i] + 7;
			else if (!strncmp(v[i], "-m", 2) && v[i][2])
				m = v[i] + 2;
			if (m)
				sig = *m == 's' ? SIGTERM : *m == 'i' ? SIGQUIT : SIGINT;
		}
		if (stop) {
			a->sends = sig;
			a->waits |= wait;
			join(v, n, a->how, sizeof(a->how));
		}
	}
}

/* The body of the function name in script ("name() {", "function name"),
 * malloc'd; NULL when there is none. */
static char *function_body(const char *script, const char *name)
{
	size_t n = strlen(name);

	if (!script || !n)
		return NULL;
	for (const char *p = script; (p = strstr(p, name)); p += n) {
		const char *q = p + n, *open, *e;
		int start = p == script || strchr(" \t\n;", p[-1]), depth = 0;
		char quote = 0;

		if (!start)
			continue;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == '(') {
			q++;
			while (*q == ' ' || *q == '\t')
				q++;
			if (*q != ')')
				continue;
		} else if (!(p - script >= 9 && !strncmp(p - 9, "function ", 9))) {
			continue;
		}
		open = strchr(q, '{');
		if (!open || open - q > 64)
			continue;
		for (e = open; *e; e++) {
			if (quote) {
				if (*e == quote)
					quote = 0;
				continue;
			}
			if (*e == '\'' || *e == '"')
				quote = *e;
			else if (*e == '{')
				depth++;
			else if (*e == '}' && --depth == 0)
				return strndup(open + 1, (size_t)(e - open - 1));
		}
		return NULL;
	}
	return NULL;
}

/* What the action text of a trap does: whom it signals, whether it
 * waits. A single word that names a function of the script is read
 * through that function's body. */
static void read_action(const char *text, const char *script, int depth, struct action *a)
{
	struct cmds cs;

	if (depth > 3 || lex(text, &cs) < 0)
		return;
	for (size_t i = 0; i < cs.n; i++) {
		char *v[64];
		size_t n = command_words(&cs.c[i], v, 64);
		char *body;

		if (n == 1 && (body = function_body(script, v[0]))) {
			read_action(body, script, depth + 1, a);
			free(body);
			continue;
		}
		read_command(v, n, script, depth, a);
	}
	cmds_free(&cs);
}

static void add_trap(struct dbp_sh_script *s, char **v, size_t n, const char *script)
{
	size_t i = 1;
	const char *action;
	uint64_t sigs = 0;
	int reset;

	if (i < n && !strcmp(v[i], "--"))
		i++;
	if (i >= n || (v[i][0] == '-' && v[i][1]))	/* trap -p, trap -l */
		return;
	/* trap SIG (one signal, no action) resets it, as trap - SIG does */
	reset = n - i == 1 || !strcmp(v[i], "-");
	action = reset && n - i == 1 ? "-" : v[i++];
	for (; i < n; i++) {
		int sig = sig_word(v[i]);

		if (sig)
			sigs |= 1ULL << (sig - 1);
	}
	if (!sigs)
		return;
	/* a later trap replaces an earlier one for the same signals */
	for (size_t k = 0; k < s->ntraps; k++)
		s->traps[k].sigs &= ~sigs;
	s->trapped &= ~sigs;
	s->ignored &= ~sigs;
	if (reset)
		return;
	if (s->ntraps < DBP_SH_TRAPS_MAX) {
		struct dbp_sh_trap *t = &s->traps[s->ntraps++];
		struct action a;

		memset(t, 0, sizeof(*t));
		memset(&a, 0, sizeof(a));
		t->sigs = sigs;
		t->ignore = !*action;
		if (*action) {
			read_action(action, script, 0, &a);
			t->sends = a.sends;
			t->waits = a.waits;
			memcpy(t->how, a.how, sizeof(t->how));
		}
	}
	if (*action)
		s->trapped |= sigs;
	else
		s->ignored |= sigs;
}

/* ---- the command that runs the service ---- */

/* A program worth following: a database server, an init, a user
 * switcher, a shell, or the script's own arguments -- through the
 * wrappers that exec what follows them. */
static int runs_service(char **v, size_t n)
{
	size_t skip;
	struct dbp_class c;

	while (n && (skip = dbp_exec_wrapper_skip(v)) > 0) {
		if (skip >= n)
			return 0;
		v += skip;
		n -= skip;
	}
	if (!n)
		return 0;
	if (dbp_sh_is_args_word(v[0]))
		return 1;
	/* another script: an entrypoint that hands over to the image's own */
	if (strlen(base(v[0])) > 3 && !strcmp(base(v[0]) + strlen(base(v[0])) - 3, ".sh"))
		return 1;
	dbp_classify_name(v[0], &c);
	if (c.kind == DBP_KIND_OTHER) {
		/* mysqld_safe stays as mysqld's parent */
		struct dbp_start st;

		dbp_server_start(v, &st);
		return st.how == DBP_START_CHILD;
	}
	return 1;
}

/* exec [-cl] [-a NAME] [--] CMD: the index of CMD, or 0 when the exec
 * only redirects */
static size_t exec_command(char **v, size_t n)
{
	size_t i = 1;

	while (i < n && v[i][0] == '-') {
		if (!strcmp(v[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(v[i], "-a"))
			i++;
		i++;
	}
	return i < n ? i : 0;
}

static int set_run(struct dbp_sh_run *r, char **v, size_t n)
{
	char **w = calloc(n + 1, sizeof(char *));

	if (!w)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!(w[i] = strdup(v[i]))) {
			for (size_t k = 0; k < i; k++)
				free(w[k]);
			free(w);
			return -ENOMEM;
		}
	for (char **o = r->words; o && *o; o++)
		free(*o);
	free(r->words);
	r->words = w;
	r->waited = 0;
	r->self = 0;
	return 0;
}

/* ---- variables: NAME=word and NAME=$(command -v PROG), in text order ---- */

#define VARS_MAX 32

struct vars {
	char *name[VARS_MAX], *value[VARS_MAX];
	size_t n;
};

static void vars_free(struct vars *vs)
{
	for (size_t i = 0; i < vs->n; i++) {
		free(vs->name[i]);
		free(vs->value[i]);
	}
	vs->n = 0;
}

/* the program `command -v PROG`, `which PROG` or `type -P PROG` names in
 * the command substitution s ("$(command -v postgres)"), or NULL */
static char *lookup_of(const char *s)
{
	size_t n = strlen(s);
	char inner[256], *w[8], *save = NULL;
	size_t nw = 0;

	if (n > 3 && !strncmp(s, "$(", 2) && s[n - 1] == ')')
		snprintf(inner, sizeof(inner), "%.*s", (int)(n - 3), s + 2);
	else if (n > 2 && s[0] == '`' && s[n - 1] == '`')
		snprintf(inner, sizeof(inner), "%.*s", (int)(n - 2), s + 1);
	else
		return NULL;
	for (char *t = strtok_r(inner, " \t", &save); t && nw < 8; t = strtok_r(NULL, " \t", &save))
		if (!redirection(t))
			w[nw++] = t;
	if (nw == 3 && ((!strcmp(w[0], "command") && !strcmp(w[1], "-v")) ||
			(!strcmp(w[0], "type") && !strcmp(w[1], "-P"))))
		return strpbrk(w[2], "$`\"'") ? NULL : strdup(w[2]);
	if (nw == 2 && !strcmp(w[0], "which"))
		return strpbrk(w[1], "$`\"'") ? NULL : strdup(w[1]);
	return NULL;
}

/* NAME=VALUE: a plain word, or the program a lookup names; any other
 * value makes NAME unknown again */
static void vars_set(struct vars *vs, const char *a)
{
	size_t nl = 0, i;
	const char *v;
	char *val;

	while (isalnum((unsigned char)a[nl]) || a[nl] == '_')
		nl++;
	if (a[nl] != '=')
		return;		/* NAME+=...: an array or a string grown */
	v = a + nl + 1;
	val = !strpbrk(v, "$`()") ? strdup(v) : lookup_of(v);
	for (i = 0; i < vs->n; i++)
		if (strlen(vs->name[i]) == nl && !strncmp(vs->name[i], a, nl))
			break;
	if (i < vs->n) {
		free(vs->value[i]);
		vs->value[i] = val;
		return;
	}
	if (!val)
		return;
	if (vs->n >= VARS_MAX || !(vs->name[vs->n] = strndup(a, nl))) {
		free(val);
		return;
	}
	vs->value[vs->n++] = val;
}

/* the value of $NAME or ${NAME} when w is exactly that, or NULL */
static const char *vars_get(const struct vars *vs, const char *w)
{
	const char *nm;
	size_t nl;

	if (w[0] != '$')
		return NULL;
	nm = w + 1 + (w[1] == '{');
	nl = strspn(nm, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
	if (!nl || (w[1] == '{' ? strcmp(nm + nl, "}") : nm[nl] != '\0'))
		return NULL;
	for (size_t i = 0; i < vs->n; i++)
		if (strlen(vs->name[i]) == nl && !strncmp(vs->name[i], nm, nl))
			return vs->value[i];
	return NULL;
}

/* v with the known variables put in, a value split at blanks as an
 * unquoted expansion is (an empty one is no word): into out, at most
 * max - 1 words; the strings point into v or into vs */
static size_t vars_expand(const struct vars *vs, char **v, size_t n, char **out, size_t max,
			  char *split, size_t splitsize)
{
	size_t k = 0, at = 0;

	for (size_t i = 0; i < n && k + 1 < max; i++) {
		const char *val = vars_get(vs, v[i]);
		char *save = NULL, *t;
		size_t len;

		if (!val) {
			out[k++] = v[i];
			continue;
		}
		len = strlen(val);
		if (at + len + 1 > splitsize) {
			out[k++] = v[i];
			continue;
		}
		memcpy(split + at, val, len + 1);
		for (t = strtok_r(split + at, " \t", &save); t && k + 1 < max;
		     t = strtok_r(NULL, " \t", &save))
			out[k++] = t;
		at += len + 1;
	}
	out[k] = NULL;
	return k;
}

/* Is the exec'd command v the script itself again? */
static int runs_self(char **v, size_t n, const char *self)
{
	for (size_t i = 0; i < n; i++) {
		const char *w = v[i];

		if (!strcmp(w, "$0") || !strcmp(w, "${0}") || !strcmp(w, "$BASH_SOURCE") ||
		    !strcmp(w, "${BASH_SOURCE}") || !strcmp(w, "${BASH_SOURCE[0]}"))
			return 1;
		if (self && (!strcmp(w, self) ||
			     (strchr(w, '/') && !strchr(w, '$') && !strcmp(base(w), base(self)))))
			return 1;
	}
	return 0;
}

/* Does v (through wrappers, and inside su's, runuser's, sudo's or a
 * shell's -c string) start a server as a daemon? Into d. */
static int starts_daemon(char **v, size_t n, int depth, struct dbp_sh_daemon *d);

static int daemon_in_text(const char *text, int depth, struct dbp_sh_daemon *d)
{
	struct cmds cs;
	int hit = 0;

	if (depth > 3 || lex(text, &cs) < 0)
		return 0;
	for (size_t i = 0; i < cs.n && !hit; i++) {
		char *v[64];
		size_t n = command_words(&cs.c[i], v, 64);

		hit = n && starts_daemon(v, n, depth + 1, d);
	}
	cmds_free(&cs);
	return hit;
}

static int starts_daemon(char **v, size_t n, int depth, struct dbp_sh_daemon *d)
{
	struct dbp_start st;
	struct dbp_class c;
	size_t skip;

	while (n && (skip = dbp_exec_wrapper_skip(v)) > 0 && skip < n) {
		v += skip;
		n -= skip;
	}
	if (!n)
		return 0;
	dbp_classify_name(v[0], &c);
	if (c.kind == DBP_KIND_SWITCHER || c.kind == DBP_KIND_SHELL) {
		const char *cs = dash_c_string(v);

		if (cs)
			return daemon_in_text(cs, depth, d);
		/* sudo -u USER CMD, runuser -u USER -- CMD */
		for (size_t i = 1; c.kind == DBP_KIND_SWITCHER && i < n; i++)
			if (!strcmp(v[i], "--") || (v[i][0] != '-' &&
			    !(i > 1 && (!strcmp(v[i - 1], "-u") || !strcmp(v[i - 1], "-g"))))) {
				size_t k = !strcmp(v[i], "--") ? i + 1 : i;

				return k < n && starts_daemon(v + k, n - k, depth + 1, d);
			}
		return 0;
	}
	dbp_server_start(v, &st);
	if (st.how != DBP_START_DAEMON)
		return 0;
	d->server = st.server;
	d->db = (int)st.db;
	memcpy(d->what, st.what, sizeof(d->what));
	return 1;
}


/* Is name a function the text defines ("name() {", "function name")? */
static int function_named(const struct cmds *cs, const char *name)
{
	for (size_t i = 0; i < cs->n; i++) {
		const struct cmd *c = &cs->c[i];

		if ((c->n == 1 && c->after == SEP_OPEN && !strcmp(c->w[0], name)) ||
		    (c->n >= 2 && !strcmp(c->w[0], "function") && !strcmp(c->w[1], name)))
			return 1;
	}
	return 0;
}

/* Shell builtins: a command that is none of these runs a program. */
static int builtin(const char *w)
{
	static const char *const b[] = {
		":", "true", "false", "echo", "printf", "set", "export", "local", "declare",
		"typeset", "readonly", "unset", "shift", "cd", "source", ".", "eval", "return",
		"exit", "wait", "trap", "read", "umask", "ulimit", "test", "[", "[[", "break",
		"continue", "alias", "type", "hash", "getopts", "let", "times", "shopt", "pushd",
		"popd", "dirs", "case", "for", "select", "in", "function", "sleep",
	};

	return among(w, b, sizeof(b) / sizeof(b[0])) || strchr(w, '(') != NULL;
}

/* The assignments of c that stay set: NAME=VALUE alone, or after
 * export, local, readonly, declare or typeset (not `NAME=V cmd`, which
 * sets it for cmd only). */
static void assignments(const struct cmd *c, struct vars *vs)
{
	static const char *const setters[] = { "export", "local", "readonly", "declare", "typeset" };
	size_t i = 0;

	while (i < c->n && (!strcmp(c->w[i], "then") || !strcmp(c->w[i], "else") ||
			    !strcmp(c->w[i], "do") || !strcmp(c->w[i], "{")))
		i++;
	if (i < c->n && among(c->w[i], setters, sizeof(setters) / sizeof(setters[0])))
		i++;
	for (size_t k = i; k < c->n; k++)
		if (!is_assignment(c->w[k]) && c->w[k][0] != '-')
			return;
	for (; i < c->n; i++)
		if (is_assignment(c->w[i]))
			vars_set(vs, c->w[i]);
}

static int parse(const char *text, const char *self, int rerun, int expand,
		 struct dbp_sh_script *out)
{
	struct cmds cs;
	struct vars vs = { { NULL }, { NULL }, 0 };
	size_t last_real = 0;
	int rc, fallback = 0;

	memset(out, 0, sizeof(*out));
	rc = lex(text, &cs);
	if (rc < 0) {
		cmds_free(&cs);
		return rc;
	}
	for (size_t i = 0; i < cs.n; i++)
		if (!cs.c[i].pattern)
			last_real = i;
	for (size_t i = 0; i < cs.n && rc == 0; i++) {
		const struct cmd *c = &cs.c[i];
		char *raw[256], *v[256], split[1024];
		size_t n, k;
		int handover = 0;

		if (c->pattern)
			continue;
		n = command_words(c, raw, 256);
		if (expand)
			assignments(c, &vs);
		if (!n)
			continue;
		if (expand)
			n = vars_expand(&vs, raw, n, v, 256, split, sizeof(split));
		else
			memcpy(v, raw, (n + 1) * sizeof(char *));
		if (!n)
			continue;
		if (!strcmp(v[0], "trap")) {
			add_trap(out, v, n, text);
			continue;
		}
		if ((!strcmp(v[0], "wait") || !strcmp(v[0], "fg")) && out->run.words)
			out->run.waited = 1;
		if (!strcmp(v[0], "exec")) {
			k = exec_command(v, n);
			if (!k)
				continue;	/* exec >log 2>&1 */
			if (expand && runs_self(v + k, n - k, self)) {
				if (rerun)
					continue;	/* the branch that handed it over */
				handover = 1;
			}
			rc = set_run(&out->run, v + k, n - k);
			out->run.exec = 1;
			out->run.self = handover;
			fallback = 0;
		} else if (function_named(&cs, v[0])) {
			continue;	/* a function's definition or a call of it */
		} else {
			k = !strcmp(v[0], "command") || !strcmp(v[0], "nohup") ? 1 : 0;
			if (k >= n || builtin(v[k]))
				continue;
			if (starts_daemon(v + k, n - k, 0, &out->daemon)) {
				join_quoted(v + k, n - k, out->daemon.how, sizeof(out->daemon.how));
				out->daemon.line = c->line;
				continue;
			}
			/* a program the chain knows how to follow; else, as long
			 * as there is none, the last program the script runs,
			 * which is what the shell waits on at its end */
			if (runs_service(v + k, n - k))
				fallback = 0;
			else if (out->run.words && !fallback)
				continue;
			else
				fallback = 1;
			rc = set_run(&out->run, v + k, n - k);
			out->run.exec = 0;
		}
		out->run.background = c->after == SEP_BG;
		out->run.last = i == last_real && !c->depth && c->after != SEP_BG &&
				c->after != SEP_PIPE && c->before != SEP_PIPE && c->after != SEP_LIST &&
				c->before != SEP_LIST;
		out->run.line = c->line;
		if (handover)
			break;	/* the script is replaced: nothing after it runs */
	}
	cmds_free(&cs);
	vars_free(&vs);
	if (rc < 0)
		dbp_sh_free(out);
	return rc;
}

int dbp_sh_parse(const char *text, struct dbp_sh_script *out)
{
	return parse(text, NULL, 0, 0, out);
}

int dbp_sh_parse_script(const char *text, const char *self, int rerun,
			struct dbp_sh_script *out)
{
	return parse(text, self, rerun, 1, out);
}

void dbp_sh_free(struct dbp_sh_script *s)
{
	for (char **w = s->run.words; w && *w; w++)
		free(*w);
	free(s->run.words);
	s->run.words = NULL;
}

const struct dbp_sh_trap *dbp_sh_trap_for(const struct dbp_sh_trap *traps, size_t n, int sig)
{
	if (sig < 1 || sig > DBP_NSIG)
		return NULL;
	for (size_t k = n; k-- > 0;)
		if (traps[k].sigs & (1ULL << (sig - 1)))
			return &traps[k];
	return NULL;
}

uint64_t dbp_shell_traps(const char *text)
{
	struct dbp_sh_script s;
	uint64_t m;

	if (dbp_sh_parse(text, &s) < 0)
		return 0;
	m = s.trapped | s.ignored;
	dbp_sh_free(&s);
	return m;
}

char **dbp_split_words(const char *s)
{
	size_t len = strlen(s), n = 0;
	char **v = calloc(len / 2 + 2, sizeof(char *));
	char *w = malloc(len + 1);
	const char *p = s;

	if (!v || !w)
		goto fail;
	while (*p) {
		size_t o = 0;
		char q = 0;
		int any = 0;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		while (*p && (q || !strchr(" \t\n", *p))) {
			if (q && *p == q) {
				q = 0;
			} else if (!q && (*p == '"' || *p == '\'')) {
				q = *p;
				any = 1;
			} else if (*p == '\\' && q != '\'' && p[1]) {
				w[o++] = *++p;
			} else {
				w[o++] = *p;
			}
			p++;
		}
		if (q)
			goto fail;
		if (o || any) {
			v[n] = strndup(w, o);
			if (!v[n++])
				goto fail;
		}
	}
	free(w);
	return v;
fail:
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
	free(w);
	return NULL;
}

int dbp_script_execs(const char *text)
{
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *p = l + strspn(l, " \t");

		if (strncmp(p, "exec", 4) || (p[4] != ' ' && p[4] != '\t'))
			continue;
		p += 4 + strspn(p + 4, " \t");
		/* `exec >log 2>&1` only redirects */
		while (*p && (strchr("<>&", *p) || (isdigit((unsigned char)*p) && strchr("<>", p[1])))) {
			p += strcspn(p, " \t\n");
			p += strspn(p, " \t");
		}
		if (*p && *p != '\n' && *p != '#' && *p != ';')
			return 1;
	}
	return -1;
}

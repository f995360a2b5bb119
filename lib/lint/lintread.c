/*
 * Which reader an input goes to, and the inspect JSON as lint units.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compose.h"
#include "dockerunit.h"
#include "k8s.h"
#include "lintread.h"
#include "yamldoc.h"

static const char *const kind_names[] = { "auto", "dockerfile", "compose", "kubernetes", "inspect" };

const char *dbp_lint_kind_name(enum dbp_lint_kind k)
{
	return (size_t)k < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[k] : "?";
}

int dbp_lint_kind_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (!strcmp(s, kind_names[i]))
			return (int)i;
	return -EINVAL;
}

/* the first instruction is FROM or ARG (after comments and blank lines) */
static int looks_like_dockerfile(const char *text, size_t len)
{
	size_t i = 0;

	while (i < len) {
		while (i < len && isspace((unsigned char)text[i]))
			i++;
		if (i < len && text[i] == '#') {
			while (i < len && text[i] != '\n')
				i++;
			continue;
		}
		break;
	}
	return (len - i > 5 && !strncasecmp(text + i, "FROM", 4) && isspace((unsigned char)text[i + 4])) ||
	       (len - i > 4 && !strncasecmp(text + i, "ARG", 3) && isspace((unsigned char)text[i + 3]));
}

static enum dbp_lint_kind by_name(const char *name)
{
	const char *b = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;

	if (!fnmatch("Dockerfile*", b, 0) || !fnmatch("Containerfile*", b, 0) ||
	    !fnmatch("*.[Dd]ockerfile", b, 0) || !fnmatch("*.[Cc]ontainerfile", b, 0))
		return DBP_LINT_DOCKERFILE;
	if (!fnmatch("*.json", b, 0))
		return DBP_LINT_INSPECT;
	return DBP_LINT_AUTO;
}

static int line_of(const char *text, size_t off)
{
	int line = 1;

	for (size_t i = 0; i < off; i++)
		line += text[i] == '\n';
	return line;
}

static int read_inspect(const char *text, size_t len, struct dbp_lintfile *out)
{
	struct dbp_images imgs;
	int rc = dbp_images_parse(text, len, &imgs, out->why, sizeof(out->why));
	size_t first = 0;

	if (rc < 0)
		return rc;
	/* where the first value starts; arrays' items are not located finer */
	while (first < len && isspace((unsigned char)text[first]))
		first++;
	for (size_t i = 0; i < imgs.n; i++) {
		struct dbp_unit *u;

		if ((rc = dbp_lintfile_add_unit(out, DBP_UNIT_INSPECT, NULL, &u)) < 0) {
			dbp_images_free(&imgs);
			return rc;
		}
		u->img = imgs.items[i];
		memset(&imgs.items[i], 0, sizeof(imgs.items[i]));
		u->at.line = line_of(text, first);
		u->at.column = 1;
	}
	dbp_images_free(&imgs);
	return 0;
}

/* ---- Helm templates ---- */

/* The column (1-based) of a template action, {{, on the line of n bytes
 * at l -- outside quotes and after no comment -- or 0. *block is set
 * when the line opens a block scalar (`command: |`), whose lines are
 * text, not YAML: a Go template in a ConfigMap's script is no Helm. */
static int template_action(const char *l, size_t n, int *block)
{
	char q = 0;
	size_t last = 0;
	int col = 0;

	*block = 0;
	for (size_t i = 0; i < n; i++) {
		char c = l[i];

		if (q) {
			if (c == q)
				q = 0;
			continue;
		}
		if ((c == '"' || c == '\'') && (i == 0 || strchr(" \t:[{,-", l[i - 1])))
			q = c;
		else if (c == '#' && (i == 0 || l[i - 1] == ' ' || l[i - 1] == '\t'))
			break;
		else if (c == '{' && i + 1 < n && l[i + 1] == '{' && !col)
			col = (int)i + 1;
		if (!isspace((unsigned char)c))
			last = i + 1;
	}
	/* ends with | or > and its indicators: a block scalar starts */
	while (last > 0 && (isdigit((unsigned char)l[last - 1]) || l[last - 1] == '-' ||
			    l[last - 1] == '+'))
		last--;
	*block = last > 0 && (l[last - 1] == '|' || l[last - 1] == '>') &&
		 (last == 1 || l[last - 2] == ' ' || l[last - 2] == ':');
	return col;
}

static int blank(const char *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (l[i] != ' ' && l[i] != '\t' && l[i] != '\r')
			return 0;
	return 1;
}

static size_t indent_of(const char *l, size_t n)
{
	size_t i = 0;

	while (i < n && (l[i] == ' ' || l[i] == '-'))
		i++;
	return i;
}

/* A copy of text without the YAML documents (between --- lines) that hold
 * Helm template actions: their lines are left empty, so that the others
 * keep their line numbers. *ndocs: how many; *at: the first action. NULL
 * without memory. */
static char *untemplated(const char *text, size_t len, size_t *ndocs, struct dbp_pos *at)
{
	char *copy = malloc(len + 1);
	size_t line_no = 0;

	*ndocs = 0;
	memset(at, 0, sizeof(*at));
	if (!copy)
		return NULL;
	memcpy(copy, text, len);
	copy[len] = '\0';
	for (size_t start = 0; start <= len;) {
		size_t end = start, block_indent = 0;
		int block = 0, in_doc_template = 0;

		/* the document: up to a line that is --- */
		for (size_t p = start; p <= len;) {
			size_t e = p;
			int opens, col;

			while (e < len && text[e] != '\n')
				e++;
			if (p > start && e - p >= 3 && !strncmp(text + p, "---", 3) &&
			    (e - p == 3 || text[p + 3] == ' ' || text[p + 3] == '\t')) {
				end = p;
				break;
			}
			line_no++;
			if (block && (blank(text + p, e - p) ||
				      indent_of(text + p, e - p) > block_indent)) {
				p = e + 1;
				end = p > len ? len : p;
				continue;	/* inside a block scalar */
			}
			block = 0;
			col = template_action(text + p, e - p, &opens);
			if (col && !in_doc_template) {
				in_doc_template = 1;
				if (!at->line) {
					at->line = (int)line_no;
					at->column = col;
				}
			}
			if (opens) {
				block = 1;
				block_indent = indent_of(text + p, e - p);
			}
			p = e + 1;
			end = p > len ? len : p;
		}
		if (in_doc_template) {
			(*ndocs)++;
			for (size_t k = start; k < end; k++)
				if (copy[k] != '\n')
					copy[k] = ' ';
		}
		if (end >= len)
			break;
		/* past the --- line */
		start = end;
		while (start < len && text[start] != '\n')
			start++;
		start++;
		line_no++;
	}
	return copy;
}

int dbp_lint_read(const char *name, const char *text, size_t len, const char *context,
		  enum dbp_lint_kind kind, struct dbp_lintfile *out, enum dbp_lint_kind *got)
{
	struct dbp_yaml y;
	size_t i = 0;
	char *plain = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (kind == DBP_LINT_AUTO)
		kind = by_name(name);
	/* a Helm template is YAML only once rendered: its documents with
	 * {{ }} are left out, the others read (a JSON text starts with {
	 * and ", never with {{) */
	while (i < len && isspace((unsigned char)text[i]))
		i++;
	if ((kind == DBP_LINT_AUTO && !looks_like_dockerfile(text, len) &&
	     !(i < len && text[i] == '[') && !(i + 1 < len && text[i] == '{' && text[i + 1] != '{')) ||
	    kind == DBP_LINT_K8S || kind == DBP_LINT_COMPOSE) {
		plain = untemplated(text, len, &out->template_docs, &out->template_at);
		if (!plain)
			return -ENOMEM;
		if (out->template_docs) {
			text = plain;
			if (kind == DBP_LINT_AUTO)
				kind = DBP_LINT_K8S;
		} else {
			free(plain);
			plain = NULL;
		}
	}
	if (kind == DBP_LINT_AUTO && i < len && (text[i] == '{' || text[i] == '['))
		kind = DBP_LINT_INSPECT;
	if (kind == DBP_LINT_AUTO && looks_like_dockerfile(text, len))
		kind = DBP_LINT_DOCKERFILE;
	*got = kind;
	if (kind == DBP_LINT_DOCKERFILE)
		return dbp_dockerfile_read(text, len, context, out);
	if (kind == DBP_LINT_INSPECT)
		return read_inspect(text, len, out);
	rc = dbp_yaml_load(text, len, &y, out->why, sizeof(out->why), &out->err_line,
			   &out->err_column);
	if (rc < 0) {
		free(plain);
		return rc;
	}
	if (kind == DBP_LINT_AUTO)
		kind = dbp_compose_detect(&y) ? DBP_LINT_COMPOSE :
		       dbp_k8s_detect(&y) ? DBP_LINT_K8S : DBP_LINT_AUTO;
	*got = kind;
	if (kind == DBP_LINT_COMPOSE)
		rc = dbp_compose_read(&y, out);
	else if (kind == DBP_LINT_K8S)
		rc = dbp_k8s_read(&y, out);
	else {
		snprintf(out->why, sizeof(out->why), "neither a Dockerfile, a Compose file (no "
			 "services:), Kubernetes (no apiVersion: and kind:) nor inspect JSON");
		rc = -EINVAL;
	}
	if (rc == 0)
		rc = dbp_yaml_ignores(text, len, &y, &out->ignores);
	if (rc == -ENOMEM)
		snprintf(out->why, sizeof(out->why), "out of memory");
	dbp_yaml_free(&y);
	free(plain);
	if (rc < 0) {
		int l = out->err_line, c = out->err_column;
		char why[sizeof(out->why)];

		memcpy(why, out->why, sizeof(why));
		dbp_lintfile_free(out);
		memset(out, 0, sizeof(*out));
		memcpy(out->why, why, sizeof(why));
		out->err_line = l;
		out->err_column = c;
	}
	return rc;
}

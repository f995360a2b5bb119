/* The timeline as an SVG picture (render_svg.h). */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "classify.h"
#include "redact.h"
#include "render_svg.h"
#include "sigset.h"

#define LABEL_W 330		/* the process labels, left of the plot */
#define RIGHT_M 24
#define PLOT_W (DBP_SVG_WIDTH - LABEL_W - RIGHT_M)
#define TOP 118			/* title, subtitle, axis */
#define ROW_H 22
#define INDENT 14
#define FONT "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"

#define C_SERVER "#3b6ea5"	/* the postmaster and its server processes */
#define C_FOREIGN "#e08a1e"	/* a child of the postmaster that is not one */
#define C_CULPRIT "#c62828"
#define C_OTHER "#8a8a8a"
#define C_LOG "#6a3d9a"
#define CRASH_FONT 13		/* px: the crash line's label, bold */

struct row {
	const struct dbp_rec_proc *rp;
	int depth;
	long parent;			/* index in rows, -1 none */
	const struct dbp_tl_event *born, *exit;
	int culprit, taken;		/* the crash's culprit, or taken down by it */
};

struct svg {
	FILE *out;
	const struct dbp_recording *rec;
	const struct dbp_timeline *tl;
	double from, to;
	struct row *rows;
	size_t n;
	size_t left_out;		/* processes not drawn (DBP_SVG_ROWS_MAX) */
	const struct dbp_rec_proc *pm;	/* of the first crash, else NULL */
};

/* s redacted and escaped for XML text and attributes, into buf (cut) */
static const char *xml(const char *s, char *buf, size_t size)
{
	char *tmp = strdup(s ? s : "");
	size_t n = 0;

	if (!tmp) {
		buf[0] = '\0';
		return buf;
	}
	dbp_redact(tmp);
	for (const unsigned char *p = (const unsigned char *)tmp; *p && n + 7 < size; p++) {
		const char *rep = NULL;

		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&apos;"; break;
		default: break;
		}
		if (rep) {
			memcpy(buf + n, rep, strlen(rep));
			n += strlen(rep);
		} else if (*p < 0x20 || *p == 0x7f) {
			buf[n++] = ' ';	/* XML 1.0 has no place for control bytes */
		} else {
			buf[n++] = (char)*p;
		}
	}
	buf[n] = '\0';
	free(tmp);
	return buf;
}

static double xof(const struct svg *g, double t)
{
	double span = g->to - g->from > 0 ? g->to - g->from : 1;

	if (t < g->from)
		t = g->from;
	if (t > g->to)
		t = g->to;
	return LABEL_W + (t - g->from) / span * PLOT_W;
}

/* The width a bold label of font_px takes at most: 0.75 em a character
 * (DejaVu Sans Bold's capitals and digits are narrower, and a fallback
 * font near DejaVu's 0.7 em fits too). */
static double label_width(const char *label, int font_px)
{
	return (double)strlen(label) * font_px * 0.75;
}

static double yof(size_t row)
{
	return TOP + (double)row * ROW_H + ROW_H / 2.0;
}

/* "07:40:03" or "07:40:03.25" when the step is under a second */
static const char *clock_text(double t, int frac, char *buf, size_t size)
{
	time_t s = (time_t)t;
	struct tm tm;

	gmtime_r(&s, &tm);
	if (frac)
		snprintf(buf, size, "%02d:%02d:%05.2f", tm.tm_hour, tm.tm_min,
			 tm.tm_sec + (t - (double)s));
	else
		snprintf(buf, size, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
	return buf;
}

static int is_postgres(const struct dbp_proc *p)
{
	struct dbp_class c;

	dbp_classify(p, &c);
	return c.db == DBP_DB_POSTGRES;
}

static const struct dbp_proc *last_p(const struct dbp_rec_proc *rp)
{
	return &rp->v[rp->nv - 1].p;
}

static int overlaps(const struct svg *g, const struct dbp_rec_proc *rp)
{
	return rp->first <= g->to && (!rp->gone || rp->last >= g->from - 3 * g->rec->interval);
}

static long row_of(const struct svg *g, const struct dbp_rec_proc *rp)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->rows[i].rp == rp)
			return (long)i;
	return -1;
}

/* The processes to draw: the postmaster of the crash and its children
 * first, then those with an event in the window, then their parents, up
 * to the cap */
static int pick_rows(struct svg *g)
{
	const struct dbp_recording *rec = g->rec;
	size_t cap = DBP_SVG_ROWS_MAX;

	g->rows = calloc(cap, sizeof(*g->rows));
	if (!g->rows)
		return -ENOMEM;
	for (int pass = 0; pass < 3; pass++) {
		for (size_t i = 0; i < rec->nprocs; i++) {
			const struct dbp_rec_proc *rp = &rec->procs[i];
			int want = 0;

			if (row_of(g, rp) >= 0 || !overlaps(g, rp))
				continue;
			if (pass == 0) {
				want = rp == g->pm;
				for (size_t k = 0; k < g->tl->ncrashes && !want; k++)
					want = g->tl->crashes[k].culprit == rp;
			} else if (pass == 1) {
				want = g->pm && last_p(rp)->ppid == g->pm->pid;
			} else {
				for (size_t k = 0; k < g->tl->n && !want; k++)
					want = g->tl->ev[k].rp == rp && g->tl->ev[k].kind != DBP_TL_CRASH;
			}
			if (!want)
				continue;
			if (g->n == cap) {
				g->left_out++;
				continue;
			}
			g->rows[g->n++].rp = rp;
		}
	}
	/* the parents of those drawn, so that each hangs in its tree */
	for (size_t i = 0; i < g->n && g->n < cap; i++) {
		const struct dbp_rec_proc *pp = dbp_recording_find(rec, last_p(g->rows[i].rp)->ppid,
								   g->rows[i].rp->last);

		if (pp && row_of(g, pp) < 0 && overlaps(g, pp))
			g->rows[g->n++].rp = pp;
	}
	return 0;
}

static int cmp_start(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->rp->start != y->rp->start)
		return x->rp->start < y->rp->start ? -1 : 1;
	return x->rp->pid < y->rp->pid ? -1 : x->rp->pid > y->rp->pid;
}

/* Rows in tree order: each under its parent (its last parent drawn),
 * siblings by start */
static int tree_order(struct svg *g)
{
	struct row *sorted = calloc(g->n ? g->n : 1, sizeof(*sorted));
	size_t *stack = calloc(g->n ? g->n : 1, sizeof(*stack));
	unsigned char *done = calloc(g->n ? g->n : 1, 1);
	size_t out = 0;

	if (!sorted || !stack || !done) {
		free(sorted);
		free(stack);
		free(done);
		return -ENOMEM;
	}
	qsort(g->rows, g->n, sizeof(*g->rows), cmp_start);
	for (size_t i = 0; i < g->n; i++) {
		g->rows[i].parent = -1;
		for (size_t k = 0; k < g->n; k++)
			if (k != i && g->rows[k].rp->pid == last_p(g->rows[i].rp)->ppid &&
			    g->rows[k].rp->first <= g->rows[i].rp->last)
				g->rows[i].parent = (long)k;
	}
	/* depth-first from each root; a cycle (a corrupt recording) is cut
	 * by done[] */
	for (size_t r = 0; r < g->n; r++) {
		size_t sp = 0;

		if (g->rows[r].parent >= 0 || done[r])
			continue;
		stack[sp++] = r;
		while (sp) {
			size_t i = stack[--sp];

			if (done[i])
				continue;
			done[i] = 1;
			sorted[out] = g->rows[i];
			sorted[out].depth = g->rows[i].parent >= 0 ? 1 : 0;
			for (long p = g->rows[i].parent, d = 0; p >= 0 && d < 8; p = g->rows[p].parent, d++)
				sorted[out].depth = (int)d + 1;
			out++;
			/* children pushed last-first, so that the earliest comes next */
			for (size_t k = g->n; k-- > 0;)
				if (!done[k] && g->rows[k].parent == (long)i)
					stack[sp++] = k;
		}
	}
	for (size_t i = 0; i < g->n; i++)
		if (!done[i])
			sorted[out++] = g->rows[i];
	memcpy(g->rows, sorted, g->n * sizeof(*sorted));
	free(sorted);
	free(stack);
	free(done);
	for (size_t i = 0; i < g->tl->n; i++) {
		const struct dbp_tl_event *e = &g->tl->ev[i];
		long r = e->rp && e->kind != DBP_TL_CRASH ? row_of(g, e->rp) : -1;

		if (r < 0)
			continue;
		if (e->kind == DBP_TL_BORN)
			g->rows[r].born = e;
		if (e->kind == DBP_TL_EXIT) {
			g->rows[r].exit = e;
			g->rows[r].culprit = e->culprit;
			g->rows[r].taken = e->crash && !e->culprit;
		}
	}
	return 0;
}

/* What a process is called on its row: PostgreSQL's own title for its
 * processes ("checkpointer", "postgres postgres [local] SELECT"), else
 * its name */
static const char *label(const struct dbp_proc *p, char *buf, size_t size)
{
	size_t n;

	dbp_proc_cmdline(p, buf, size);
	if (is_postgres(p) && !strncmp(buf, "postgres: ", 10)) {
		memmove(buf, buf + 10, strlen(buf + 10) + 1);
		for (n = strlen(buf); n && buf[n - 1] == ' '; n--)
			buf[n - 1] = '\0';
		/* the label column is 330 px at 13 px: about 40 characters in
		 * all, with the PID, the indent and the user */
		if (n > 26)
			strcpy(buf + 23, "...");
		return buf;
	}
	return dbp_proc_name(p);
}

static const char *row_color(const struct svg *g, const struct row *r)
{
	const struct dbp_proc *p = last_p(r->rp);

	if (r->culprit)
		return C_CULPRIT;
	if (is_postgres(p))
		return C_SERVER;
	if (g->pm && p->ppid == g->pm->pid)
		return C_FOREIGN;
	return C_OTHER;
}

/* A band from lo to hi on row y: where a time lies when not exact */
static void band(const struct svg *g, double lo, double hi, double y)
{
	if (hi <= lo || xof(g, hi) - xof(g, lo) < 1.5)
		return;
	fprintf(g->out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" fill=\"#000\" "
		"fill-opacity=\"0.10\"><title>between these two times</title></rect>\n",
		xof(g, lo), y - 7, xof(g, hi) - xof(g, lo));
}

static void draw_axis(const struct svg *g, double bottom)
{
	static const double steps[] = { 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600,
					900, 1800, 3600, 7200, 21600, 43200, 86400 };
	double span = g->to - g->from, step = steps[sizeof(steps) / sizeof(steps[0]) - 1];
	char b[32];

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (span / steps[i] <= 10) {
			step = steps[i];
			break;
		}
	fprintf(g->out, "<g id=\"axis\" font-size=\"12\" fill=\"#333\">\n");
	fprintf(g->out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
		LABEL_W, TOP - 10, LABEL_W + PLOT_W, TOP - 10);
	for (double t = ceil(g->from / step) * step; t <= g->to + 1e-9; t += step) {
		double x = xof(g, t);

		fprintf(g->out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
			x, TOP - 10, x, bottom);
		/* the last label inside the page */
		fprintf(g->out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>\n", x, TOP - 16,
			x > DBP_SVG_WIDTH - 40 ? "end" : "middle", clock_text(t, step < 1, b, sizeof(b)));
	}
	fprintf(g->out, "<text x=\"10\" y=\"%d\">times in UTC</text>\n", TOP - 16);
	fprintf(g->out, "</g>\n");
}

static void draw_row(const struct svg *g, size_t i)
{
	const struct row *r = &g->rows[i];
	const struct dbp_proc *p = last_p(r->rp);
	double y = yof(i), x0, x1;
	char name[128], user[96], sn[24], lbl[320], cmd[256];
	const char *color = row_color(g, r);

	x0 = xof(g, r->born ? r->born->t : r->rp->first);
	x1 = r->exit ? xof(g, r->exit->t) : r->rp->gone ? xof(g, r->rp->last) : xof(g, g->to);
	if (r->rp->first <= g->from && !r->born)
		x0 = xof(g, g->from);
	snprintf(lbl, sizeof(lbl), "PID %d %s%s%s%s", (int)r->rp->pid, xml(label(p, cmd, sizeof(cmd)), name, sizeof(name)),
		 p->have & DBP_HAVE_STATUS ? " (" : "", p->have & DBP_HAVE_STATUS ?
		 xml(p->user, user, sizeof(user)) : "", p->have & DBP_HAVE_STATUS ? ")" : "");
	fprintf(g->out, "<g class=\"process\" data-pid=\"%d\">\n", (int)r->rp->pid);
	if (i % 2)
		fprintf(g->out, "<rect x=\"0\" y=\"%.1f\" width=\"%d\" height=\"%d\" fill=\"#f6f6f6\"/>\n",
			y - ROW_H / 2.0, DBP_SVG_WIDTH, ROW_H);
	fprintf(g->out, "<text %sx=\"%d\" y=\"%.1f\" font-size=\"13\" fill=\"%s\"%s>%s%s</text>\n",
		r->culprit ? "id=\"culprit-label\" " : "", 10 + INDENT * r->depth, y + 4.5,
		r->culprit ? C_CULPRIT : "#111", r->culprit ? " font-weight=\"bold\"" : "", lbl,
		r->culprit ? " \xe2\x80\x94 culprit" : "");
	fprintf(g->out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"8\" rx=\"2\" fill=\"%s\"/>\n",
		x0, y - 4, x1 - x0 > 1 ? x1 - x0 : 1, color);
	if (r->born && r->born->t >= g->from) {
		band(g, r->born->lo, r->born->hi, y);
		fprintf(g->out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#fff\" stroke=\"%s\" "
			"stroke-width=\"2\"><title>born</title></circle>\n", x0, y, color);
	}
	for (size_t k = 0; k < g->tl->n; k++) {
		const struct dbp_tl_event *e = &g->tl->ev[k];

		if (e->rp != r->rp || e->kind != DBP_TL_REPARENT)
			continue;
		fprintf(g->out, "<path d=\"M%.1f %.1f l5 5 l-5 5 l-5 -5 z\" fill=\"%s\"><title>parent "
			"%d -&gt; %d%s</title></path>\n", xof(g, e->t), y - 5, C_FOREIGN,
			(int)e->rp->v[e->v - 1].p.ppid, (int)e->rp->v[e->v].p.ppid,
			e->rp->v[e->v].p.ppid == 1 ? " (adopted by PID 1)" : "");
		fprintf(g->out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"%s\">adopted by %d</text>\n",
			xof(g, e->t) + 7, y - 6, C_FOREIGN, (int)e->rp->v[e->v].p.ppid);
	}
	if (r->exit && r->exit->t <= g->to) {
		const struct dbp_acct_rec *a = r->exit->acct;

		band(g, r->exit->lo, r->exit->hi, y);
		if (a && a->signal) {
			fprintf(g->out, "<g class=\"death\" stroke=\"%s\" stroke-width=\"3\"><line x1=\"%.1f\" "
				"y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
				"y2=\"%.1f\"/><title>killed by signal %d</title></g>\n", C_CULPRIT, x1 - 6, y - 6,
				x1 + 6, y + 6, x1 - 6, y + 6, x1 + 6, y - 6, a->signal);
			fprintf(g->out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" font-weight=\"bold\" "
				"fill=\"%s\">%s</text>\n", x1 + 9, y + 4.5, C_CULPRIT,
				dbp_signal_name(a->signal, sn, sizeof(sn)));
		} else {
			fprintf(g->out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#222\" "
				"stroke-width=\"2\"><title>exited%s</title></line>\n", x1, y - 7, x1, y + 7,
				r->taken ? ", taken down by the crash" : "");
			if (a && a->exit_code > 0)
				fprintf(g->out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#444\">"
					"exit %d</text>\n", x1 + 4, y + 4, a->exit_code);
		}
	}
	fprintf(g->out, "</g>\n");
}

int dbp_timeline_svg(FILE *out, const struct dbp_recording *rec, const struct dbp_timeline *tl,
		     double from, double to, const char *title)
{
	struct svg g = { out, rec, tl, from, to, NULL, 0, 0, NULL };
	size_t nlog = 0;
	double bottom, h, lane;
	char a[32], b[32], buf[1024];
	int rc;

	if (to <= from)
		g.to = from + 1;
	g.pm = tl->ncrashes ? tl->crashes[0].pm : NULL;
	if ((rc = pick_rows(&g)) < 0 || (rc = tree_order(&g)) < 0) {
		free(g.rows);
		return rc;
	}
	for (size_t i = 0; i < tl->n; i++)
		nlog += tl->ev[i].kind == DBP_TL_LOG;
	bottom = TOP + (double)g.n * ROW_H;
	lane = bottom + 22;
	h = lane + 30 + (double)nlog * 18 + 70;
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%.0f\" "
		"viewBox=\"0 0 %d %.0f\" font-family=\"%s\">\n", DBP_SVG_WIDTH, h, DBP_SVG_WIDTH, h, FONT);
	fprintf(out, "<title>%s</title>\n", xml(title, buf, sizeof(buf)));
	fprintf(out, "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n");
	fprintf(out, "<text x=\"10\" y=\"26\" font-size=\"18\" font-weight=\"bold\" fill=\"#111\">%s</text>\n",
		xml(title, buf, sizeof(buf)));
	{
		time_t s = (time_t)g.from;
		struct tm tm;

		gmtime_r(&s, &tm);
		strftime(a, sizeof(a), "%Y-%m-%d", &tm);
	}
	if (tl->ncrashes) {
		const struct dbp_crash *c = &tl->crashes[0];
		const struct dbp_proc *cp = c->culprit ? last_p(c->culprit) : NULL;
		char culprit[256] = "", name[128];

		if (cp || c->acct)
			snprintf(culprit, sizeof(culprit), "; culprit PID %d %s%s",
				 (int)(cp ? c->culprit->pid : c->acct->pid),
				 xml(cp ? dbp_proc_name(cp) : c->acct->comm, name, sizeof(name)),
				 c->likely ? " (likely)" : c->have_log ? " (server log)" : "");
		else if (c->have_log)
			snprintf(culprit, sizeof(culprit), "; culprit PID %d (server log)", (int)c->log.pid);
		fprintf(out, "<text x=\"10\" y=\"50\" font-size=\"14\" fill=\"%s\">PostgreSQL crash-restart "
			"on %s at %s UTC: every child of the postmaster (PID %d) ended%s</text>\n",
			C_CULPRIT, a, clock_text(c->when, 1, b, sizeof(b)), (int)c->pm->pid, culprit);
	} else {
		fprintf(out, "<text x=\"10\" y=\"50\" font-size=\"14\" fill=\"#333\">%s: no crash-restart "
			"in this window</text>\n", a);
	}
	fprintf(out, "<text x=\"10\" y=\"70\" font-size=\"12\" fill=\"#555\">%zu process%s drawn%s; "
		"a grey band is where a time is known only to lie between two times</text>\n", g.n,
		g.n == 1 ? "" : "es", g.left_out ? " (more in the text and JSON timeline)" : "");
	draw_axis(&g, lane);
	for (size_t i = 0; i < g.n; i++)
		draw_row(&g, i);
	/* the crashes, across every row */
	for (size_t i = 0; i < tl->ncrashes; i++) {
		const struct dbp_crash *c = &tl->crashes[i];
		double x = xof(&g, c->when);
		char label[64];
		int end;

		if (c->when < g.from || c->when > g.to)
			continue;
		snprintf(label, sizeof(label), "CRASH-RESTART %s", clock_text(c->when, 1, b, sizeof(b)));
		/* right of the line unless it would run past the picture's
		 * width (then it is cut off): then left of it, ending there */
		end = x + 4 + label_width(label, CRASH_FONT) > DBP_SVG_WIDTH;
		fprintf(out, "<g id=\"crash-marker%s\" class=\"crash\"><line x1=\"%.1f\" y1=\"%d\" "
			"x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>"
			"<text x=\"%.1f\" y=\"%d\" font-size=\"%d\" font-weight=\"bold\" fill=\"%s\" "
			"text-anchor=\"%s\">%s</text></g>\n", i ? "-more" : "", x, TOP - 8,
			x, lane + 8, C_CULPRIT, end ? x - 4 : x + 4, TOP - 32, CRASH_FONT,
			C_CULPRIT, end ? "end" : "start", label);
	}
	/* the server log's lines on the same axis, numbered, listed below */
	fprintf(out, "<text x=\"10\" y=\"%.1f\" font-size=\"13\" fill=\"%s\">server log</text>\n",
		lane + 4.5, C_LOG);
	fprintf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-opacity=\"0.4\"/>\n",
		LABEL_W, lane, LABEL_W + PLOT_W, lane, C_LOG);
	for (size_t i = 0, k = 0; i < tl->n; i++) {
		const struct dbp_tl_event *e = &tl->ev[i];
		double x;

		if (e->kind != DBP_TL_LOG)
			continue;
		k++;
		x = xof(&g, e->t);
		fprintf(out, "<g class=\"log-line\"><path d=\"M%.1f %.1f l6 10 l-12 0 z\" fill=\"%s\"/>"
			"<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"%s\" text-anchor=\"middle\">%zu"
			"</text></g>\n", x, lane - 5, C_LOG, x, lane + 17, C_LOG, k);
		fprintf(out, "<text x=\"10\" y=\"%.1f\" font-size=\"12\" fill=\"#222\">[%zu] %s line %zu: %s"
			"</text>\n", lane + 30 + (double)(k - 1) * 18, k, clock_text(e->t, 1, a, sizeof(a)),
			e->log->line, xml(e->log->text, buf, sizeof(buf)));
	}
	/* the legend */
	{
		double y = h - 30;

		fprintf(out, "<g id=\"legend\" font-size=\"12\" fill=\"#222\">"
			"<rect x=\"10\" y=\"%.1f\" width=\"24\" height=\"8\" fill=\"%s\"/>"
			"<text x=\"40\" y=\"%.1f\">PostgreSQL</text>"
			"<rect x=\"130\" y=\"%.1f\" width=\"24\" height=\"8\" fill=\"%s\"/>"
			"<text x=\"160\" y=\"%.1f\">not a server process</text>"
			"<rect x=\"310\" y=\"%.1f\" width=\"24\" height=\"8\" fill=\"%s\"/>"
			"<text x=\"340\" y=\"%.1f\">culprit</text>"
			"<rect x=\"410\" y=\"%.1f\" width=\"24\" height=\"8\" fill=\"%s\"/>"
			"<text x=\"440\" y=\"%.1f\">other</text>"
			"<text x=\"510\" y=\"%.1f\">o born   | exited   X killed by a signal   "
			"&#9670; parent changed</text></g>\n",
			y - 4, C_SERVER, y + 4, y - 4, C_FOREIGN, y + 4, y - 4, C_CULPRIT, y + 4, y - 4,
			C_OTHER, y + 4, y + 4);
	}
	fprintf(out, "</svg>\n");
	free(g.rows);
	return ferror(out) ? -EIO : 0;
}

/*
 * The timeline as a picture (postmortem --timeline --format=svg): a
 * self-contained SVG of the incident for a post-mortem document, 1200
 * px wide and legible in print -- the process tree over time (a lifeline
 * per process, indented under its parent), births, exits and deaths by
 * a signal marked on them, the uncertainty of a time shown as a band
 * between the two times it lies between, each crash-restart as a
 * vertical line with its culprit labelled, and the server log's crash
 * lines on the same axis. No script, no external font or image: it
 * renders the same in a browser, an office suite and on paper.
 *
 * Strings from outside (command names, users, log lines) are redacted
 * and escaped for XML here, at the rendering boundary (render.h).
 */
#ifndef DBPOD_RENDER_SVG_H
#define DBPOD_RENDER_SVG_H

#include <stdio.h>

#include "recording.h"
#include "timeline.h"

#define DBP_SVG_WIDTH 1200
#define DBP_SVG_ROWS_MAX 40	/* processes drawn; the rest are counted */

/* Write the SVG of tl (built from rec for [from, to]) to out; title
 * heads it. Returns 0, or a negative errno when out cannot be written. */
int dbp_timeline_svg(FILE *out, const struct dbp_recording *rec, const struct dbp_timeline *tl,
		     double from, double to, const char *title);

#endif

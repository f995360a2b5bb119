/*
 * Escaping of bytes from outside for text and JSON (escape.h).
 *
 * One UTF-8 decoder decides what is a character: the shortest form only,
 * no UTF-16 surrogates, nothing above U+10FFFF (RFC 3629), so that an
 * overlong "\xc0\x8a" can never stand in for a newline.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

/* The length of the valid UTF-8 sequence at s (at most n bytes) and its
 * code point, or 0 when s[0] does not start one. */
static size_t utf8_char(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Code points above ASCII that a terminal acts on or that reorder a line. */
static int cp_is_control(uint32_t c)
{
	return (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029 ||
	       c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069);
}

/* The text form of the character or byte at s: into out (at least 8
 * bytes, NUL-terminated); returns how many bytes of s it takes. */
static size_t text_unit(const unsigned char *s, size_t n, char *out)
{
	static const char named[] = "\aa\bb\tt\nn\vv\ff\rr\033e";
	uint32_t cp;
	size_t len = utf8_char(s, n, &cp);

	if (len == 1 && cp >= 0x20 && cp != 0x7f) {
		out[0] = (char)cp;
		out[1] = '\0';
		return 1;
	}
	if (len == 1) {
		const char *k = cp ? memchr(named, (int)cp, sizeof(named) - 1) : NULL;

		/* the table pairs each byte with its letter: look at even places */
		if (k && (k - named) % 2 == 0)
			snprintf(out, 8, "\\%c", k[1]);
		else
			snprintf(out, 8, "\\x%02x", (unsigned)cp);
		return 1;
	}
	if (len == 0) {
		snprintf(out, 8, "\\x%02x", (unsigned)s[0]);
		return 1;
	}
	if (cp_is_control(cp)) {
		snprintf(out, 8, "\\u%04x", (unsigned)cp);
		return len;
	}
	memcpy(out, s, len);
	out[len] = '\0';
	return len;
}

const char *dbp_escape_text(const char *s, char *buf, size_t size)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p), o = 0;

	if (!size)
		return buf;
	buf[0] = '\0';
	while (n) {
		char u[8];
		size_t used, ul;

		/* printable ASCII stands for itself: most of every text, and
		 * not worth text_unit's work per byte */
		if (*p >= 0x20 && *p < 0x7f) {
			u[0] = (char)*p;
			u[1] = '\0';
			used = ul = 1;
		} else {
			used = text_unit(p, n, u);
			ul = strlen(u);
		}
		if (o + ul >= size) {
			/* cut: step back to make room for "..." after a whole unit */
			if (size > 4) {
				while (o > size - 4) {
					o--;
					/* never leave half a UTF-8 character or escape */
					while (o > 0 && ((unsigned char)buf[o] & 0xc0) == 0x80)
						o--;
				}
				/* an escape cut short would read as another escape */
				for (size_t b = o; b > 0 && o - b < 6; b--)
					if (buf[b - 1] == '\\') {
						o = b - 1;
						break;
					}
				memcpy(buf + o, "...", 4);
			} else {
				buf[o] = '\0';
			}
			return buf;
		}
		memcpy(buf + o, u, ul + 1);
		o += ul;
		p += used;
		n -= used;
	}
	return buf;
}

char *dbp_escape_text_dup(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	/* the longest form is 4 characters for a byte (\xff) */
	size_t size = n * 4 + 1;
	char *buf = malloc(size);

	if (!buf)
		return NULL;
	return (char *)dbp_escape_text(s, buf, size);
}

int dbp_escape_text_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);

	while (n) {
		char u[8];
		size_t used = text_unit(p, n, u);

		if (strlen(u) != used || memcmp(u, p, used))
			return 0;
		p += used;
		n -= used;
	}
	return 1;
}

char *dbp_escape_json(const char *json)
{
	const unsigned char *p = (const unsigned char *)json;
	size_t n = strlen(json), o = 0;
	/* the longest form is 6 characters for a byte (\udcff) */
	char *out = malloc(n * 6 + 1);

	if (!out)
		return NULL;
	while (n) {
		uint32_t cp;
		size_t len = utf8_char(p, n, &cp);

		if (len == 0) {
			o += (size_t)sprintf(out + o, "\\udc%02x", (unsigned)p[0]);
			len = 1;
		} else if (cp == 0x7f || (len > 1 && (cp <= 0x9f || cp == 0x2028 || cp == 0x2029))) {
			o += (size_t)sprintf(out + o, "\\u%04x", (unsigned)cp);
		} else {
			memcpy(out + o, p, len);
			o += len;
		}
		p += len;
		n -= len;
	}
	out[o] = '\0';
	return out;
}

/* A hex digit's value, or -EINVAL when c is none. */
static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -EINVAL;
}

/* The \uXXXX escape at s as a number, or -EINVAL when s holds none. */
static long u_escape(const char *s)
{
	long v = 0;

	if (s[0] != '\\' || s[1] != 'u')
		return -EINVAL;
	for (int i = 2; i < 6; i++) {
		int h = hexval(s[i]);

		if (h < 0)
			return -EINVAL;
		v = v * 16 + h;
	}
	return v;
}

size_t dbp_json_unescape_bytes(char *json)
{
	size_t i = 0, o = 0;
	long prev = -1;		/* the \u escape just copied, for surrogate pairs */

	while (json[i]) {
		if (json[i] != '\\') {
			json[o++] = json[i++];
			prev = -1;
			continue;
		}
		{
			long v = u_escape(json + i);

			if (v >= 0xdc80 && v <= 0xdcff && !(prev >= 0xd800 && prev <= 0xdbff)) {
				json[o++] = (char)(v & 0xff);
				i += 6;
				prev = -1;
				continue;
			}
			if (v >= 0) {
				memmove(json + o, json + i, 6);
				o += 6;
				i += 6;
				prev = v;
				continue;
			}
		}
		/* any other escape is two characters: "\\" must not be taken
		 * for the start of a \u that follows it */
		json[o++] = json[i++];
		if (json[i])
			json[o++] = json[i++];
		prev = -1;
	}
	json[o] = '\0';
	return o;
}

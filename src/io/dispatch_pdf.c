/*
 * dispatch_pdf.c - the monthly return as PDF (see dispatch_pdf.h).
 *
 * The page follows the Excel layout: title, the unit line, a bordered
 * table of seven columns (类别 merged down each section, then two
 * numbered items per row), the signature line and the note.  Each row is
 * as tall as its longest wrapped cell; a table that does not fit goes on
 * to a new page with the header repeated.
 */
#include "dispatch_pdf.h"
#include "dispatch_form.h"
#include "../lib/clock.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <string.h>

#define PAGE_W 841.89 /* A4 landscape, points */
#define PAGE_H 595.28
#define MARGIN 36.0
#define PAD 3.0
/* Noto Serif CJK SC (思源宋体): the 宋体 face of government forms.  The
 * Sans face is not used: Debian 12's cairo 1.16 drops the glyph 如 of
 * "Noto Sans CJK SC" Regular when it subsets the font (checked against
 * every GB 2312 character; the Serif faces lose none). */
#define FONT "Noto Serif CJK SC"

/* Column widths in the xlsx's units, scaled to the page. */
static const double COLS[7] = {16, 5, 34, 16, 5, 34, 16};

struct pen {
	cairo_t *cr;
	PangoLayout *layout;
	double x[8]; /* column edges */
};

static void font(struct pen *p, double size, bool bold)
{
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, FONT);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(p->layout, fd);
	pango_font_description_free(fd);
}

/* Lays text out in a box `w` wide; returns its height. */
static double measure(struct pen *p, const char *text, double w, PangoAlignment align)
{
	pango_layout_set_width(p->layout, (int)(w * PANGO_SCALE));
	pango_layout_set_wrap(p->layout, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(p->layout, align);
	pango_layout_set_text(p->layout, text, -1);
	int pw, ph;
	pango_layout_get_size(p->layout, &pw, &ph);
	return (double)ph / PANGO_SCALE;
}

/* Draws text in the box, vertically centred. */
static void text_in(struct pen *p, const char *text, double x, double y, double w, double h,
		    PangoAlignment align)
{
	double th = measure(p, text, w - 2 * PAD, align);
	cairo_move_to(p->cr, x + PAD, y + (h - th) / 2);
	pango_cairo_show_layout(p->cr, p->layout);
}

static void box(struct pen *p, double x0, double y0, double x1, double y1)
{
	cairo_rectangle(p->cr, x0, y0, x1 - x0, y1 - y0);
	cairo_stroke(p->cr);
}

static double header(struct pen *p, double y)
{
	const double h = 20;
	font(p, 9, true);
	cairo_set_source_rgb(p->cr, 0.867, 0.922, 0.969);
	cairo_rectangle(p->cr, p->x[0], y, p->x[7] - p->x[0], h);
	cairo_fill(p->cr);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	for (int c = 0; c < 7; c++) {
		box(p, p->x[c], y, p->x[c + 1], y + h);
		text_in(p, FORM_HEADS[c], p->x[c], y, p->x[c + 1] - p->x[c], h, PANGO_ALIGN_CENTER);
	}
	font(p, 9, false);
	return y + h;
}

/* The height of one table row of up to two items. */
static double row_height(struct pen *p, const struct form_item *a, const struct form_item *b)
{
	double h = 18;
	const struct form_item *it[2] = {a, b};
	for (int k = 0; k < 2 && it[k]; k++) {
		int c = k ? 4 : 1;
		double t1 = measure(p, it[k]->label, p->x[c + 2] - p->x[c + 1] - 2 * PAD, PANGO_ALIGN_LEFT);
		double t2 = measure(p, it[k]->value, p->x[c + 3] - p->x[c + 2] - 2 * PAD, PANGO_ALIGN_CENTER);
		if (t1 + 2 * PAD > h)
			h = t1 + 2 * PAD;
		if (t2 + 2 * PAD > h)
			h = t2 + 2 * PAD;
	}
	return h;
}

static void item_cells(struct pen *p, const struct form_item *it, int c, double y, double h)
{
	char no[8];
	snprintf(no, sizeof no, "%d", it ? it->no : 0);
	for (int k = 0; k < 3; k++)
		box(p, p->x[c + k], y, p->x[c + k + 1], y + h);
	if (!it)
		return;
	text_in(p, no, p->x[c], y, p->x[c + 1] - p->x[c], h, PANGO_ALIGN_CENTER);
	text_in(p, it->label, p->x[c + 1], y, p->x[c + 2] - p->x[c + 1], h, PANGO_ALIGN_LEFT);
	text_in(p, it->value, p->x[c + 2], y, p->x[c + 3] - p->x[c + 2], h, PANGO_ALIGN_CENTER);
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	buf_add(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

/* The section's name, in the merged first column of its rows on this page. */
static void section_cell(struct pen *p, int s, double y0, double y1)
{
	if (y1 <= y0)
		return;
	box(p, p->x[0], y0, p->x[1], y1);
	text_in(p, FORM_SECTION_NAMES[s], p->x[0], y0, p->x[1] - p->x[0], y1 - y0, PANGO_ALIGN_CENTER);
}

int dispatch_pdf(const struct dispatch_return *d, int64_t now, struct buf *out,
		 struct ql_error *err)
{
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(to_buf, out, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, FORM_TITLE);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "清零");
	char stamp[40];
	clock_format_rfc3339(now, stamp, sizeof stamp);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, stamp);
	struct pen p = {.cr = cairo_create(surface)};
	p.layout = pango_cairo_create_layout(p.cr);
	double total = 0, unit;
	for (int c = 0; c < 7; c++)
		total += COLS[c];
	unit = (PAGE_W - 2 * MARGIN) / total;
	p.x[0] = MARGIN;
	for (int c = 0; c < 7; c++)
		p.x[c + 1] = p.x[c] + COLS[c] * unit;
	cairo_set_line_width(p.cr, 0.6);
	cairo_set_source_rgb(p.cr, 0, 0, 0);

	char line[512];
	double y = MARGIN, width = PAGE_W - 2 * MARGIN;
	font(&p, 16, true);
	double h = measure(&p, FORM_TITLE, width, PANGO_ALIGN_CENTER);
	cairo_move_to(p.cr, MARGIN, y);
	pango_cairo_show_layout(p.cr, p.layout);
	y += h + 8;
	font(&p, 9, false);
	form_info_line(d, now, line, sizeof line);
	h = measure(&p, line, width, PANGO_ALIGN_LEFT);
	cairo_move_to(p.cr, MARGIN, y);
	pango_cairo_show_layout(p.cr, p.layout);
	y += h + 6;
	y = header(&p, y);

	struct form_item items[FORM_MAX_ITEMS];
	int n = form_items(d, items);
	for (int s = 1; s <= FORM_SECTIONS; s++) {
		const struct form_item *sec[FORM_MAX_ITEMS];
		int k = 0;
		for (int i = 0; i < n; i++)
			if (items[i].section == s)
				sec[k++] = &items[i];
		double top = y;
		for (int i = 0; i < k; i += 2) {
			const struct form_item *b = i + 1 < k ? sec[i + 1] : NULL;
			double rh = row_height(&p, sec[i], b);
			if (y + rh > PAGE_H - MARGIN) {
				section_cell(&p, s, top, y);
				cairo_show_page(p.cr);
				y = header(&p, MARGIN);
				top = y;
			}
			item_cells(&p, sec[i], 1, y, rh);
			item_cells(&p, b, 4, y, rh);
			y += rh;
		}
		section_cell(&p, s, top, y);
	}
	y += 12;
	form_signature_line(d, line, sizeof line);
	h = measure(&p, line, width, PANGO_ALIGN_LEFT);
	double note_h = measure(&p, FORM_NOTE, width, PANGO_ALIGN_LEFT);
	if (y + h + 6 + note_h > PAGE_H - MARGIN / 2) {
		cairo_show_page(p.cr);
		y = MARGIN;
	}
	measure(&p, line, width, PANGO_ALIGN_LEFT);
	cairo_move_to(p.cr, MARGIN, y);
	pango_cairo_show_layout(p.cr, p.layout);
	y += h + 6;
	measure(&p, FORM_NOTE, width, PANGO_ALIGN_LEFT);
	cairo_move_to(p.cr, MARGIN, y);
	pango_cairo_show_layout(p.cr, p.layout);

	g_object_unref(p.layout);
	cairo_destroy(p.cr);
	cairo_surface_finish(surface);
	cairo_status_t st = cairo_surface_status(surface);
	cairo_surface_destroy(surface);
	if (st != CAIRO_STATUS_SUCCESS)
		return ql_fail(err, QLE_INTERNAL, "pdf", NULL, "生成 PDF 失败：%s", cairo_status_to_string(st));
	return 0;
}

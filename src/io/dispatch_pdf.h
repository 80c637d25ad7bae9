/*
 * dispatch_pdf.h - the monthly return as a PDF page in the form's layout,
 * set in Chinese with cairo + pango (Noto CJK from Debian's fonts).
 */
#ifndef QL_DISPATCH_PDF_H
#define QL_DISPATCH_PDF_H

#include <stdint.h>

#include "../core/error.h"
#include "../lib/buf.h"
#include "../store/store.h"

/* Writes an A4 landscape PDF into out; `now` dates the form. */
int dispatch_pdf(const struct dispatch_return *d, int64_t now, struct buf *out,
		 struct ql_error *err);

#endif

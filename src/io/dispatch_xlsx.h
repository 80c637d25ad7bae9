/*
 * dispatch_xlsx.h - the monthly return as an Excel workbook in the form's
 * own layout (seed 001's attachment).
 */
#ifndef QL_DISPATCH_XLSX_H
#define QL_DISPATCH_XLSX_H

#include <stdint.h>

#include "../core/error.h"
#include "../lib/buf.h"
#include "../store/store.h"

/* Writes the workbook into out; `now` dates the form (填表时间). */
int dispatch_xlsx(const struct dispatch_return *d, int64_t now, struct buf *out,
		  struct ql_error *err);

#endif

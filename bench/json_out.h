/* SPDX-License-Identifier: MIT */
/* Writing the benchmarks' Google Benchmark JSON. */
#ifndef CANSIM_BENCH_JSON_OUT_H
#define CANSIM_BENCH_JSON_OUT_H

#include <jansson.h>
#include <stddef.h>

/* Writes doc to path, indented, reals with `precision` significant digits, a final newline:
 * whole to path.tmp, then renamed, so that a reader never sees half a file. Returns 0, or -1
 * with "<prog>: <path>: ..." on stderr. */
int bench_json_write(const json_t *doc, const char *path, const char *prog, int precision);

/* The local time as Google Benchmark writes its context's date (2026-01-01T00:00:00+01:00). */
void bench_json_date(char *buf, size_t size);

/* The first object of the array list whose "name" is name, or NULL. */
json_t *bench_json_find(const json_t *list, const char *name);

/* Sets key of o to the real v. */
void bench_json_real(json_t *o, const char *key, double v);

#endif

/* SPDX-License-Identifier: MIT */
/* What the bench programs share in reading their command lines: number parsing, the usage-error
 * message, and the command line quoted back for the record. */
#ifndef CANSIM_BENCH_OPTIONS_H
#define CANSIM_BENCH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

/* Prints "<prog>: <what> '<value>'" (when what is not NULL), then "Try '<prog> --help'.", on
 * stderr; returns 2, the usage-error exit status. */
int bench_usage_error(const char *prog, const char *what, const char *value);

/* A decimal integer of digits only (no sign, no blanks) in [lo, hi] into *out. */
bool bench_parse_uint(const char *s, unsigned long long lo, unsigned long long hi,
                      unsigned long long *out);
/* The same for an int. */
bool bench_parse_int(const char *s, int lo, int hi, int *out);
/* A number (strtod's syntax, nothing after it) in [lo, hi] into *out. */
bool bench_parse_real(const char *s, double lo, double hi, double *out);

/* snprintf that reports truncation instead of warning about it at compile time. */
bool bench_format(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The command line as one string, arguments with shell metacharacters single-quoted. */
void bench_command_line(int argc, char **argv, char *buf, size_t size);

#endif

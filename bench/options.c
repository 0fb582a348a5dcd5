/* SPDX-License-Identifier: MIT */
/* What the bench programs share in reading their command lines. */
#include "options.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int bench_usage_error(const char *prog, const char *what, const char *value)
{
    if (what)
        fprintf(stderr, "%s: %s '%s'\n", prog, what, value);
    fprintf(stderr, "Try '%s --help'.\n", prog);
    return 2;
}

bool bench_parse_uint(const char *s, unsigned long long lo, unsigned long long hi,
                      unsigned long long *out)
{
    char *end;
    errno = 0;
    const unsigned long long v = strtoull(s, &end, 10);
    if (*s < '0' || *s > '9' || errno || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

bool bench_parse_int(const char *s, int lo, int hi, int *out)
{
    unsigned long long v;
    if (lo < 0 || hi < lo ||
        !bench_parse_uint(s, (unsigned long long)lo, (unsigned long long)hi, &v))
        return false;
    *out = (int)v;
    return true;
}

bool bench_parse_real(const char *s, double lo, double hi, double *out)
{
    char *end;
    const double v = strtod(s, &end);
    if (end == s || *end || !(v >= lo && v <= hi))
        return false;
    *out = v;
    return true;
}

bool bench_format(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const int k = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return k >= 0 && (size_t)k < size;
}

void bench_command_line(int argc, char **argv, char *buf, size_t size)
{
    static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                "-_=./,:+%@";
    size_t at = 0;
    buf[0] = '\0';
    for (int i = 0; i < argc && at < size; i++) {
        const char *a = argv[i];
        const bool is_plain = a[0] && strspn(a, plain) == strlen(a);
        const char *sep = i ? " " : "";
        const int k = is_plain ? snprintf(buf + at, size - at, "%s%s", sep, a)
                               : snprintf(buf + at, size - at, "%s'%s'", sep, a);
        at += k > 0 ? (size_t)k : 0;
    }
}

/* SPDX-License-Identifier: MIT */
/* Writing the benchmarks' Google Benchmark JSON. */
#define _POSIX_C_SOURCE 200809L
#include "json_out.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int bench_json_write(const json_t *doc, const char *path, const char *prog, int precision)
{
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp) {
        fprintf(stderr, "%s: %s: path too long\n", prog, path);
        return -1;
    }
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "%s: %s: %s\n", prog, tmp, strerror(errno));
        return -1;
    }
    const int e = json_dumpf(doc, f, JSON_INDENT(2) | JSON_REAL_PRECISION(precision));
    fputc('\n', f);
    if (fclose(f) != 0 || e != 0 || rename(tmp, path) != 0) {
        fprintf(stderr, "%s: %s: write failed\n", prog, path);
        unlink(tmp);
        return -1;
    }
    return 0;
}

void bench_json_date(char *buf, size_t size)
{
    const time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    if (!strftime(buf, size, "%Y-%m-%dT%H:%M:%S%z", &tm)) {
        buf[0] = '\0';
        return;
    }
    const size_t n = strlen(buf); /* +0100 -> +01:00 */
    if (n >= 5 && n + 2 < size) {
        memmove(buf + n - 1, buf + n - 2, 3);
        buf[n - 2] = ':';
    }
}

void bench_json_real(json_t *o, const char *key, double v)
{
    json_object_set_new(o, key, json_real(v));
}

json_t *bench_json_find(const json_t *list, const char *name)
{
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *b = json_array_get(list, i);
        const char *n = json_string_value(json_object_get(b, "name"));
        if (n && strcmp(n, name) == 0)
            return b;
    }
    return NULL;
}

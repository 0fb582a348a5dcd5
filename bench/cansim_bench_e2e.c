/* SPDX-License-Identifier: MIT */
/* cansim-bench's end-to-end part: cansim-bench-render run as a child, and its document merged with
 * the kernel part's into one. */
#define _GNU_SOURCE
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cansim_bench.h"
#include "machine.h"
#include "program.h"

#ifndef CANSIM_BENCH_RENDER_PATH
#define CANSIM_BENCH_RENDER_PATH "cansim-bench-render"
#endif

/* Runs cansim-bench-render with its output on ours; returns its exit status, or -1 when it could
 * not be started or died. */
static int run_render(const Options *o, const char *json_path)
{
    char settle_s[32];
    snprintf(settle_s, sizeof settle_s, "%d", o->settle_s);
    char *args[12];
    int n = 0;
    args[n++] = CANSIM_BENCH_RENDER_PATH;
    args[n++] = "--json";
    args[n++] = (char *)json_path;
    args[n++] = "--settle";
    args[n++] = settle_s;
    if (o->is_quick)
        args[n++] = "--quick";
    if (o->cpu) {
        args[n++] = "--cpu";
        args[n++] = (char *)o->cpu;
    }
    args[n] = NULL;
    return bench_run_program("cansim-bench", args);
}

/* Returns the render benchmark's document, or NULL when it failed. */
json_t *bench_run_e2e(const Options *o)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/cansim-bench-XXXXXX", dir && *dir ? dir : "/tmp");
    const int fd = mkstemp(path);
    if (fd < 0) {
        fprintf(stderr, "cansim-bench: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    close(fd);
    json_t *doc = NULL;
    const int rc = run_render(o, path);
    if (rc == 0) {
        json_error_t err;
        doc = json_load_file(path, 0, &err);
        if (!doc)
            fprintf(stderr, "cansim-bench: %s: %d:%d: %s\n", path, err.line, err.column, err.text);
    } else if (rc > 0) {
        fprintf(stderr, "cansim-bench: %s exited with status %d\n", CANSIM_BENCH_RENDER_PATH, rc);
    }
    unlink(path);
    return doc;
}

/* Context: the harness's (or the render benchmark's alone), the other's keys added; a key both
 * carry with different values keeps the first and adds the render one as e2e_<key>. */
json_t *bench_merge(json_t *kernels, json_t *e2e, const char *command, double bg_share)
{
    json_t *ctx = json_object();
    json_t *benchmarks = json_array();
    json_t *doc = json_object();
    json_object_set_new(doc, "context", ctx);
    json_object_set_new(doc, "benchmarks", benchmarks);
    json_t *parts[2] = {kernels, e2e};
    for (int p = 0; p < 2; p++) {
        if (!parts[p])
            continue;
        json_t *from = json_object_get(parts[p], "context");
        for (void *it = json_object_iter(from); it; it = json_object_iter_next(from, it)) {
            const char *key = json_object_iter_key(it);
            json_t *v = json_object_iter_value(it);
            const json_t *have = json_object_get(ctx, key);
            if (!have) {
                json_object_set(ctx, key, v);
            } else if (!json_equal(have, v)) {
                char e2e_key[128];
                snprintf(e2e_key, sizeof e2e_key, "e2e_%s", key);
                json_object_set(ctx, e2e_key, v);
            }
        }
        json_array_extend(benchmarks, json_object_get(parts[p], "benchmarks"));
    }
    char model[128];
    bench_cpu_model(model, sizeof model);
    json_object_set_new(ctx, "cpu_model", json_string(model));
    json_object_set_new(ctx, "compiler", json_string(CANSIM_BENCH_COMPILER));
    json_object_set_new(ctx, "cansim_bench_command", json_string(command));
    if (kernels)
        json_object_set_new(ctx, "kernels_background_cpu_share", json_real(bg_share));
    return doc;
}

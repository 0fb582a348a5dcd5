/* SPDX-License-Identifier: MIT */
/* cansim-bench-render's Google Benchmark JSON: the context, then one record per mode with its
 * medians, counters and same-run ratios. */
#define _GNU_SOURCE
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cansim/cansim.h>

#include "json_out.h"
#include "machine.h"
#include "render_bench.h"

#ifndef CANSIM_BUILD_TYPE
#define CANSIM_BUILD_TYPE "unknown"
#endif

/* Google Benchmark's schema, written with jansson. */
int render_write_json(const Bench *b, const Derived *d, const char *exe)
{
    char date[64];
    char host[256] = "";
    bench_json_date(date, sizeof date);
    gethostname(host, sizeof host - 1);
    double load[3] = {0, 0, 0};
    getloadavg(load, 3);
    json_t *context = json_pack(
        "{s:s, s:s, s:s, s:i, s:i, s:b, s:[f,f,f], s:s, s:s, s:s, s:I, s:i, s:i, s:f, s:i, s:i, "
        "s:b, s:f, s:i}",
        "date", date, "host_name", host, "executable", exe, "num_cpus",
        (int)sysconf(_SC_NPROCESSORS_ONLN), "mhz_per_cpu", bench_cpu_mhz(), "cpu_scaling_enabled",
        bench_cpu_scaling_enabled(), "load_avg", load[0], load[1], load[2], "library_build_type",
        CANSIM_BUILD_TYPE, "cansim_version", cansim_version(), "cansim_cpu",
        cansim_cpu_name(b->main_cpu_flags), "partition_frames", (json_int_t)b->main_partition,
        "n_profiles", b->n_profiles, "n_taps", b->n_taps, "input_seconds", b->seconds, "rate_hz",
        b->rate_hz, "threads", b->n_threads, "quick", b->is_quick, "settle_s", b->settle_s,
        "settle_timeouts", b->n_settle_timeouts);
    json_t *list = json_array();
    for (int i = 0; context && list && i < b->n_modes; i++) {
        const Mode *m = &b->modes[i];
        const Stats *s = &b->stats[i];
        if (s->n == 0 || s->has_failed)
            continue;
        const double w = bench_median(s->wall, s->n);
        const double secs = render_mode_seconds(b, m);
        json_t *o =
            json_pack("{s:s, s:i, s:i, s:s, s:s, s:i, s:i, s:i, s:i, s:f, s:f, s:s}", "name",
                      m->name, "family_index", i, "per_family_instance_index", 0, "run_name",
                      m->name, "run_type", "iteration", "repetitions", s->n, "repetition_index", 0,
                      "threads", m->n_threads, "iterations", 1, "real_time", w, "cpu_time",
                      bench_median(s->cpu, s->n), "time_unit", "s");
        if (!o || json_array_append_new(list, o)) {
            json_decref(list);
            list = NULL;
            break;
        }
        bench_json_real(o, "real_time_min", bench_min(s->wall, s->n));
        bench_json_real(o, "real_time_max", bench_max(s->wall, s->n));
        bench_json_real(o, "sys_time", bench_median(s->sys, s->n));
        bench_json_real(o, "rtf", b->n_profiles * secs / w);
        bench_json_real(o, "peak_rss_mb", bench_median(s->rss_mb, s->n));
        bench_json_real(o, "background_cpu_share", bench_median(s->bg, s->n));
        if (!m->is_compute_only)
            bench_json_real(o, "bytes_per_second",
                            b->n_profiles * secs * b->rate_hz * 2.0 * sizeof(float) / w);
        if (m->kind == KIND_RENDER)
            bench_json_real(o, "partition_frames", (double)s->partition_frames);
        if (!strcmp(m->key, "full")) {
            bench_json_real(o, "ratio_vs_io_floor", d->full_vs_floor);
            bench_json_real(o, "ratio_vs_io_floor_serial", d->full_vs_floor_1);
            bench_json_real(o, "target_ratio_vs_io_floor", TARGET_FULL_VS_FLOOR);
        } else if (!strcmp(m->key, "compute")) {
            bench_json_real(o, "ratio_vs_io_floor", d->compute_vs_floor);
            bench_json_real(o, "speedup_vs_naive", d->naive_speedup);
            if (b->n_threads == 2)
                bench_json_real(o, "speedup_vs_1_thread", d->thread_speedup);
        } else if (!strcmp(m->key, "compute_1")) {
            bench_json_real(o, "speedup_vs_naive", d->naive_speedup_1);
            bench_json_real(o, "target_speedup_vs_naive", TARGET_NAIVE_SPEEDUP);
        } else if (!strcmp(m->key, "compute_2")) {
            bench_json_real(o, "speedup_vs_1_thread", d->thread_speedup);
        } else if (!strcmp(m->key, "naive")) {
            bench_json_real(o, "ratio_vs_compute", d->naive_speedup);
        } else if (!strcmp(m->key, "naive_1")) {
            bench_json_real(o, "ratio_vs_compute", d->naive_speedup_1);
        } else if (!strcmp(m->key, "long")) {
            bench_json_real(o, "peak_rss_mb_short_input", render_med_rss(b, "compute"));
            bench_json_real(o, "target_peak_rss_mb", TARGET_LONG_RSS_MB);
        }
        if (!strcmp(m->key, b->n_threads == 2 ? "compute" : "compute_2"))
            bench_json_real(o, "target_speedup_vs_1_thread", TARGET_THREAD_SPEEDUP);
    }
    json_t *doc =
        context && list ? json_pack("{s:o, s:o}", "context", context, "benchmarks", list) : NULL;
    if (!doc) {
        json_decref(context);
        json_decref(list);
    }
    if (!doc) {
        fprintf(stderr, "cansim-bench-render: %s: out of memory\n", b->json_path);
        return -1;
    }
    const int e = bench_json_write(doc, b->json_path, "cansim-bench-render", 9);
    json_decref(doc);
    return e;
}

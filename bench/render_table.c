/* SPDX-License-Identifier: MIT */
/* cansim-bench-render's report on stdout: each mode's medians, the same-run ratios, the targets. */
#include <stdio.h>
#include <string.h>

#include <cansim/cansim.h>

#include "options.h"
#include "render_bench.h"

static const char *verdict(double value, double target, bool is_max)
{
    if (value <= 0.0)
        return "not measured";
    return (is_max ? value <= target : value >= target) ? "met" : "MISSED";
}

static void print_target(const char *what, double value, const char *unit, double target,
                         bool is_max, const char *note)
{
    printf("  %-46s %8.2f %-2s  %-12s %s\n", what, value, unit, verdict(value, target, is_max),
           note);
}

void render_print_table(const Bench *b, const Derived *d)
{
    const int t = b->n_threads;
    char what[96], note[96];
    printf("\ncansim-bench-render %s: %d profiles x %d taps (full 2x2), %g s stereo %d Hz float "
           "WAV,\n%d repetitions (medians), %d threads, kernels %s, partition %zu frames\n\n",
           cansim_version(), b->n_profiles, b->n_taps, b->seconds, b->rate_hz, b->n_reps, t,
           cansim_cpu_name(b->main_cpu_flags), b->main_partition);
    printf("%-11s %3s %8s %17s %8s %7s %8s %7s %5s %6s\n", "mode", "thr", "wall s", "(min .. max)",
           "cpu s", "sys s", "RTF", "RSS MB", "bg %", "part");
    double worst_bg = 0.0;
    for (int i = 0; i < b->n_modes; i++) {
        const Mode *m = &b->modes[i];
        const Stats *s = &b->stats[i];
        if (s->n == 0 || s->has_failed) {
            printf("%-11s %3d   failed\n", m->key, m->n_threads);
            continue;
        }
        const double w = bench_median(s->wall, s->n);
        const double bg = 100.0 * bench_median(s->bg, s->n);
        if (w >= 0.5) /* /proc/stat counts 10 ms ticks: shorter runs give no usable share */
            worst_bg = bg > worst_bg ? bg : worst_bg;
        char part[16] = "-";
        if (m->kind == KIND_RENDER)
            bench_format(part, sizeof part, "%zu", s->partition_frames);
        printf("%-11s %3d %8.3f (%6.3f .. %6.3f) %8.3f %7.3f %8.0f %7.1f %5.1f %6s\n", m->key,
               m->n_threads, w, bench_min(s->wall, s->n), bench_max(s->wall, s->n),
               bench_median(s->cpu, s->n), bench_median(s->sys, s->n),
               b->n_profiles * render_mode_seconds(b, m) / w, bench_median(s->rss_mb, s->n), bg,
               part);
    }
    printf("(RTF = profiles x input seconds / wall; bg = other processes' share of the machine's "
           "CPU\n meanwhile, from /proc/stat; part = partition frames)\n");
    if (worst_bg > 10.0)
        printf("warning: other processes used up to %.0f%% of the machine during a mode; its "
               "figures\n         are inflated (see min .. max)\n",
               worst_bg);
    printf("\nratios (same run, medians of wall time)\n");
    const struct {
        const char *what;
        int n_threads;
        double value;
    } rows[] = {
        {"full / io_floor", t, d->full_vs_floor},       {"full / io_floor", 1, d->full_vs_floor_1},
        {"compute / io_floor", t, d->compute_vs_floor}, {"naive / compute", t, d->naive_speedup},
        {"naive / compute", 1, d->naive_speedup_1},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (i > 0 && rows[i].n_threads == rows[i - 1].n_threads &&
            !strcmp(rows[i].what, rows[i - 1].what))
            continue;
        bench_format(what, sizeof what, "%s, %d thread%s", rows[i].what, rows[i].n_threads,
                     rows[i].n_threads == 1 ? "" : "s");
        printf("  %-46s %8.2f\n", what, rows[i].value);
    }
    printf("  %-46s %8.2f\n", "compute, 1 thread / 2 threads", d->thread_speedup);
    printf("  %-46s %8.3f\n", "level matched, translation / without", d->tr_full);
    printf("\ntargets (reported, never asserted)\n");
    bench_format(what, sizeof what, "full <= %.2f x io floor (%d thread%s)", TARGET_FULL_VS_FLOOR,
                 t, t == 1 ? "" : "s");
    print_target(what, d->full_vs_floor, "x", TARGET_FULL_VS_FLOOR, true, "");
    bench_format(what, sizeof what, "compute >= %.1f x faster than naive (1 thread)",
                 TARGET_NAIVE_SPEEDUP);
    bench_format(note, sizeof note, "(%.2f x at %d thread%s)", d->naive_speedup, t,
                 t == 1 ? "" : "s");
    print_target(what, d->naive_speedup_1, "x", TARGET_NAIVE_SPEEDUP, false, note);
    bench_format(what, sizeof what, "2 threads >= %.1f x faster than 1 (compute)",
                 TARGET_THREAD_SPEEDUP);
    print_target(what, d->thread_speedup, "x", TARGET_THREAD_SPEEDUP, false, "");
    bench_format(what, sizeof what, "peak RSS, %g s input < %.0f MB", b->long_seconds,
                 TARGET_LONG_RSS_MB);
    bench_format(note, sizeof note, "(%.1f MB at %g s)", render_med_rss(b, "compute"), b->seconds);
    if (render_stats_of(b, "long"))
        print_target(what, render_med_rss(b, "long"), "MB", TARGET_LONG_RSS_MB, true, note);
    else
        printf("  %-46s %11s  not run (--long)\n", what, "");
}

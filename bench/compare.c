/* SPDX-License-Identifier: MIT */
/* cansim-bench --compare: judges two benchmark files by ratios measured within each run, which
 * hold on a noisy shared machine where absolute times drift by tens of percent. */
#include "compare.h"

#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "json_out.h"

/* The ratios judged. Each is measured within one run, so a slower clock or lost time slices move
 * its numerator and denominator alike. */
static const struct {
    const char *key;
    bool is_higher_better;
    bool is_render;
} metrics[] = {
    {"speedup_vs_c", true, false},       /* kernel: C median / version median, alternated */
    {"ratio_vs_io_floor", false, true},  /* render: wall / the I/O floor's wall */
    {"speedup_vs_naive", true, true},    /* render: one renderer per profile / a shared one */
    {"speedup_vs_1_thread", true, true}, /* render: 1 thread / 2 threads, compute only */
};

/* Ratios are judged only from quiet runs. Other processes on a core that shares resources with
 * ours slow some C references and not their SIMD versions (on the project's VM, interleave2_ms_c
 * 32 -> 47 ns with the other vCPU busy, its AVX2 version unmoved: a speedup 45% higher), and a
 * render thread waiting for a busy core can cost 10x. Kernels: the share of the machine others
 * used during the kernel timings (context kernels_background_cpu_share; one busy neighbour on
 * two cores is 50%). Renders: cansim-bench-render's background_cpu_share of each mode. */
#define MAX_KERNEL_BACKGROUND 0.25
#define MAX_RENDER_BACKGROUND 0.10
#define N_METRICS             (sizeof metrics / sizeof metrics[0])

typedef struct Doc {
    const char *path;
    json_t *root;
    json_t *benchmarks; /* borrowed from root */
    bool is_quick;
    double kernels_background; /* 0 when not recorded */
} Doc;

static int load(Doc *d, const char *path)
{
    json_error_t err;
    d->path = path;
    d->root = json_load_file(path, 0, &err);
    if (!d->root) {
        if (err.line > 0)
            fprintf(stderr, "cansim-bench: %s:%d:%d: %s\n", path, err.line, err.column, err.text);
        else
            fprintf(stderr, "cansim-bench: %s: %s\n", path, err.text);
        return -1;
    }
    d->benchmarks = json_object_get(d->root, "benchmarks");
    if (!json_is_array(d->benchmarks)) {
        fprintf(stderr, "cansim-bench: %s: no \"benchmarks\" array (not Google Benchmark JSON)\n",
                path);
        return -1;
    }
    const json_t *ctx = json_object_get(d->root, "context");
    d->is_quick = json_is_true(json_object_get(ctx, "quick"));
    d->kernels_background = json_number_value(json_object_get(ctx, "kernels_background_cpu_share"));
    return 0;
}

static const char *name_of(const json_t *b)
{
    return json_string_value(json_object_get(b, "name"));
}

static const json_t *find(const Doc *d, const char *name)
{
    return bench_json_find(d->benchmarks, name);
}

/* A positive number under key, else 0. */
static double number(const json_t *b, const char *key)
{
    const json_t *v = json_object_get(b, key);
    const double x = json_is_number(v) ? json_number_value(v) : 0.0;
    return x > 0.0 ? x : 0.0;
}

/* Raw real_time new / base when both use one unit: information only. */
static void time_ratio(const json_t *b, const json_t *n, char *out, size_t size)
{
    const char *ub = json_string_value(json_object_get(b, "time_unit"));
    const char *un = json_string_value(json_object_get(n, "time_unit"));
    const double tb = number(b, "real_time");
    const double tn = number(n, "real_time");
    if (ub && un && strcmp(ub, un) == 0 && tb > 0.0 && tn > 0.0)
        snprintf(out, size, "%.2f", tn / tb);
    else
        snprintf(out, size, "-");
}

/* How far apart a kernel's speedups over its repetitions were: max / min - 1 (0 if unknown). */
static double spread_of(const json_t *b)
{
    const double lo = number(b, "speedup_vs_c_min");
    const double hi = number(b, "speedup_vs_c_max");
    return lo > 0.0 && hi > lo ? hi / lo - 1.0 : 0.0;
}

/* Why a ratio both files carry is not judged, or NULL when it is; "" to leave it out. A C
 * version's speedup_vs_c is 1 by definition. A --quick render lasts tens of ms: startup and
 * noise, not throughput. */
static const char *why_not_judged(const char *name, size_t m, const Doc *base, const json_t *b,
                                  const Doc *cur, const json_t *n, double threshold, char *buf,
                                  size_t size)
{
    double bg;
    double max_bg;
    if (!metrics[m].is_render) {
        if (strstr(name, "_c/"))
            return "";
        /* A speedup whose own repetitions (passes seconds apart) disagree by more than the
         * threshold can't carry a verdict at that threshold. */
        const double spread = fmax(spread_of(b), spread_of(n));
        if (spread > threshold) {
            snprintf(buf, size, "not judged: unstable (repetitions %.0f%% apart)", 100.0 * spread);
            return buf;
        }
        bg = fmax(base->kernels_background, cur->kernels_background);
        max_bg = MAX_KERNEL_BACKGROUND;
    } else {
        if (base->is_quick || cur->is_quick)
            return "not judged: --quick run";
        bg = fmax(json_number_value(json_object_get(b, "background_cpu_share")),
                  json_number_value(json_object_get(n, "background_cpu_share")));
        max_bg = MAX_RENDER_BACKGROUND;
    }
    if (bg > max_bg) {
        snprintf(buf, size, "not judged: machine busy (others %.0f%%)", 100.0 * bg);
        return buf;
    }
    return NULL;
}

static void context_line(const char *what, const Doc *d)
{
    const json_t *ctx = json_object_get(d->root, "context");
    const char *date = json_string_value(json_object_get(ctx, "date"));
    const char *host = json_string_value(json_object_get(ctx, "host_name"));
    const char *cpu = json_string_value(json_object_get(ctx, "cansim_cpu"));
    printf("  %-4s %s (%s, %s, cpu %s%s; others used %.0f%% during the kernel timings)\n", what,
           d->path, date ? date : "no date", host ? host : "no host", cpu ? cpu : "?",
           d->is_quick ? ", --quick" : "", 100.0 * d->kernels_background);
}

int cansim_bench_compare(const char *base_path, const char *new_path, double threshold)
{
    Doc base = {0};
    Doc cur = {0};
    int status = 2;
    if (load(&base, base_path) < 0 || load(&cur, new_path) < 0)
        goto done;

    printf("cansim-bench --compare\n");
    context_line("base", &base);
    context_line("new", &cur);
    printf("A regression is a same-run ratio worse by more than %.0f%% (--threshold %.2f);\n"
           "change: + better, - worse. time n/b is the raw real_time ratio new / base, for\n"
           "information only: absolute times drift on a shared machine. Ratios are judged only\n"
           "from quiet runs (other processes at most %.0f%% of the machine during the kernel\n"
           "timings, %.0f%% during a render), renders only from full runs.\n\n",
           100.0 * threshold, threshold, 100.0 * MAX_KERNEL_BACKGROUND,
           100.0 * MAX_RENDER_BACKGROUND);
    printf("%-40s %-20s %10s %10s %8s %9s\n", "benchmark", "ratio", "base", "new", "change",
           "time n/b");

    unsigned n_common = 0;
    unsigned n_judged = 0;
    unsigned n_unjudged = 0;
    unsigned n_regressions = 0;
    unsigned n_only_base = 0;
    for (size_t i = 0; i < json_array_size(base.benchmarks); i++) {
        const json_t *b = json_array_get(base.benchmarks, i);
        const char *name = name_of(b);
        if (!name)
            continue;
        const json_t *n = find(&cur, name);
        if (!n) {
            n_only_base++;
            printf("%-40s only in base\n", name);
            continue;
        }
        n_common++;
        char tr[32];
        time_ratio(b, n, tr, sizeof tr);
        bool has_row = false;
        for (size_t m = 0; m < N_METRICS; m++) {
            const double vb = number(b, metrics[m].key);
            const double vn = number(n, metrics[m].key);
            char why_buf[80];
            const char *why =
                why_not_judged(name, m, &base, b, &cur, n, threshold, why_buf, sizeof why_buf);
            if (vb <= 0.0 || vn <= 0.0 || (why && !*why))
                continue;
            const double change = metrics[m].is_higher_better ? vn / vb : vb / vn;
            const bool is_regression = !why && change < 1.0 - threshold;
            n_judged += !why;
            n_unjudged += why != NULL;
            n_regressions += is_regression;
            printf("%-40s %-20s %10.3f %10.3f %+7.1f%% %9s%s%s\n", has_row ? "" : name,
                   metrics[m].key, vb, vn, 100.0 * (change - 1.0), tr, why ? "  " : "",
                   why             ? why
                   : is_regression ? "  REGRESSION"
                                   : "");
            has_row = true;
        }
        if (!has_row)
            printf("%-40s %-20s %10s %10s %8s %9s\n", name, "-", "", "", "", tr);
    }
    unsigned n_only_new = 0;
    for (size_t i = 0; i < json_array_size(cur.benchmarks); i++) {
        const json_t *b = json_array_get(cur.benchmarks, i);
        const char *name = name_of(b);
        if (name && !find(&base, name)) {
            n_only_new++;
            printf("%-40s only in new\n", name);
        }
    }

    if (n_common == 0) {
        fprintf(stderr, "cansim-bench: %s and %s have no benchmark in common\n", base_path,
                new_path);
        goto done;
    }
    printf("\n%u benchmarks in common (%u only in base, %u only in new), %u ratios judged: ",
           n_common, n_only_base, n_only_new, n_judged);
    if (n_regressions)
        printf("%u REGRESSION%s past %.0f%%\n", n_regressions, n_regressions > 1 ? "S" : "",
               100.0 * threshold);
    else
        printf("no regression past %.0f%%\n", 100.0 * threshold);
    if (n_unjudged)
        printf(
            "%u ratios not judged (a busy machine, unstable repetitions, or renders of a --quick\n"
            "run): compare full runs from a quiet machine to judge them\n",
            n_unjudged);
    status = n_regressions ? 1 : 0;
done:
    json_decref(base.root);
    json_decref(cur.root);
    return status;
}

/* SPDX-License-Identifier: MIT */
/* cansim-bench's kernel part: the checkasm harness run in this process (check, then time), and
 * its summaries on stdout (each level against C; the real FFTs against FFTW). */
#define _GNU_SOURCE
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cansim_bench.h"
#include "checkasm.h"
#include "json_out.h"
#include "machine.h"

/* Runs the harness: check, then time. Returns its status; *doc gets the timings when it is 0,
 * *bg_share the share of the machine other processes used meanwhile. */
int bench_run_kernels(const Options *o, char *argv0, json_t **doc, double *bg_share)
{
    char function[512];
    char cpu[64];
    char seed[64];
    char duration[64];
    char reps[64];
    char *args[12];
    int n = 0;
    args[n++] = argv0;
    args[n++] = "--bench";
    if (o->filter) {
        snprintf(function, sizeof function, "--function=%s", o->filter);
        args[n++] = function;
    }
    if (o->cpu) {
        snprintf(cpu, sizeof cpu, "--cpu=%s", o->cpu);
        args[n++] = cpu;
    }
    if (o->seed) {
        snprintf(seed, sizeof seed, "--seed=%s", o->seed);
        args[n++] = seed;
    }
    if (o->duration_ms) {
        snprintf(duration, sizeof duration, "--duration=%s", o->duration_ms);
        args[n++] = duration;
    }
    if (o->repetitions) {
        snprintf(reps, sizeof reps, "--repetitions=%s", o->repetitions);
        args[n++] = reps;
    }
    if (o->is_quick)
        args[n++] = "--quick";
    args[n] = NULL;

    const double busy0 = bench_machine_busy_s();
    const double own0 = bench_now_s(CLOCK_PROCESS_CPUTIME_ID);
    const double wall0 = bench_now_s(CLOCK_MONOTONIC);
    const int rc = checkasm_run(n, args);
    const double wall = bench_now_s(CLOCK_MONOTONIC) - wall0;
    const double others =
        bench_machine_busy_s() - busy0 - (bench_now_s(CLOCK_PROCESS_CPUTIME_ID) - own0);
    *bg_share = wall > 0.0 && others > 0.0 ? others / (wall * bench_cpu_count()) : 0.0;
    if (rc == 0) {
        *doc = checkasm_json();
        if (!*doc)
            return 1;
    }
    return rc;
}

/* One line per kernel and size: each level's median ns per call and speedup over C, then the
 * fastest version's throughput. Names are <kernel>_<isa>/<n>. */
void bench_print_kernel_summary(const json_t *doc)
{
    static const char *const isas[] = {"c", "avx2", "avx512", "neon"};
    enum { N_ISAS = sizeof isas / sizeof isas[0] };
    const json_t *list = json_object_get(doc, "benchmarks");
    bool has_isa[N_ISAS] = {false};
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *b = json_array_get(list, i);
        const char *name = json_string_value(json_object_get(b, "name"));
        const char *slash = name ? strchr(name, '/') : NULL;
        for (size_t k = 0; slash && k < N_ISAS; k++) {
            const size_t len = strlen(isas[k]);
            if ((size_t)(slash - name) > len + 1 && slash[-(long)len - 1] == '_' &&
                strncmp(slash - len, isas[k], len) == 0)
                has_isa[k] = true;
        }
    }
    printf("\nsummary: median ns per call (speedup over C, same run); throughput of the "
           "fastest\n");
    printf("%-16s %6s", "kernel", "n");
    for (size_t k = 0; k < N_ISAS; k++) {
        char head[32];
        snprintf(head, sizeof head, "%s ns", isas[k]);
        if (has_isa[k])
            printf(" %10s %7s", head, k ? "(x C)" : "");
    }
    printf(" %9s %8s\n", "GFLOP/s", "GB/s");
    /* Rows in the harness's order (kernel, n, level): a row ends where the C entry repeats. */
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *b = json_array_get(list, i);
        const char *name = json_string_value(json_object_get(b, "name"));
        const char *slash = name ? strchr(name, '/') : NULL;
        if (!slash || (size_t)(slash - name) < 3 || strncmp(slash - 2, "_c", 2) != 0)
            continue;
        const int klen = (int)(slash - name) - 2;
        printf("%-16.*s %6s", klen, name, slash + 1);
        double gflops = 0.0;
        double bytes = 0.0;
        double best_ns = 0.0;
        for (size_t k = 0; k < N_ISAS; k++) {
            if (!has_isa[k])
                continue;
            char want[160];
            snprintf(want, sizeof want, "%.*s_%s%s", klen, name, isas[k], slash);
            const json_t *v = bench_json_find(list, want);
            const double ns = json_number_value(json_object_get(v, "real_time"));
            if (!v || ns <= 0.0) {
                printf(" %10s %7s", "-", "");
                continue;
            }
            if (k)
                printf(" %10.1f %6.2fx", ns, json_number_value(json_object_get(v, "speedup_vs_c")));
            else
                printf(" %10.1f %7s", ns, "");
            if (best_ns == 0.0 || ns < best_ns) {
                best_ns = ns;
                gflops = json_number_value(json_object_get(v, "GFLOPS"));
                bytes = json_number_value(json_object_get(v, "bytes_per_second"));
            }
        }
        if (gflops > 0.0)
            printf(" %9.1f %8.1f\n", gflops, bytes / 1e9);
        else
            printf(" %9s %8.1f\n", "-", bytes / 1e9);
    }
}

/* The real FFTs against FFTW's float plans, timed in the same run: per size, the forward plus
 * inverse pair (rfft + irfft, the engine's cost per block and output) of FFTW's ESTIMATE and
 * MEASURE plans and of each version, with its ratio to each. */
static double real_time_of(const json_t *list, const char *kernel, const char *isa, size_t n)
{
    char want[96];
    snprintf(want, sizeof want, "%s_%s/%zu", kernel, isa, n);
    return json_number_value(json_object_get(bench_json_find(list, want), "real_time"));
}

void bench_print_fft_summary(const json_t *doc)
{
    static const char *const isas[] = {"c", "avx2", "avx512"};
    const json_t *list = json_object_get(doc, "benchmarks");
    bool has_header = false;
    for (size_t n = 128; n <= 131072; n *= 2) {
        const double est = real_time_of(list, "rfft", "fftw_estimate", n) +
                           real_time_of(list, "irfft", "fftw_estimate", n);
        const double mea = real_time_of(list, "rfft", "fftw_measure", n) +
                           real_time_of(list, "irfft", "fftw_measure", n);
        if (est <= 0.0 || mea <= 0.0)
            continue;
        if (!has_header) {
            printf("\nreal FFTs: forward + inverse pair, median ns (FFTW float plans and each "
                   "version, same run;\nx est, x meas: FFTW's time over the version's)\n");
            printf("%6s %10s %10s", "n", "fftw est", "fftw meas");
            for (size_t k = 0; k < 3; k++)
                printf(" %9s%-4s %6s %6s", "", isas[k], "x est", "x meas");
            printf("\n");
            has_header = true;
        }
        printf("%6zu %10.0f %10.0f", n, est, mea);
        for (size_t k = 0; k < 3; k++) {
            const double f = real_time_of(list, "rfft", isas[k], n);
            const double i = real_time_of(list, "irfft", isas[k], n);
            if (f > 0.0 && i > 0.0)
                printf(" %13.0f %5.2fx %5.2fx", f + i, est / (f + i), mea / (f + i));
            else
                printf(" %13s %6s %6s", "-", "", "");
        }
        printf("\n");
    }
}

/* SPDX-License-Identifier: MIT */
/* cansim-bench: every kernel version checked against C and then timed (the checkasm harness), the
 * end-to-end render benchmark (cansim-bench-render, run as a child), one Google Benchmark JSON;
 * and --compare of two such files by their same-run ratios. */
#define _GNU_SOURCE
#include <jansson.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cansim_bench.h"
#include "compare.h"
#include "json_out.h"
#include "machine.h"
#include "options.h"

int main(int argc, char **argv)
{
    Options o = {0};
    const int e = bench_parse_args(&o, argc, argv);
    if (e >= 0)
        return e;
    if (o.is_compare)
        return cansim_bench_compare(argv[optind], argv[optind + 1], o.threshold);

    setvbuf(stdout, NULL, _IOLBF, 0);
    const double t0 = bench_now_s(CLOCK_MONOTONIC);
    char command[8192];
    bench_command_line(argc, argv, command, sizeof command);
    char model[128];
    bench_cpu_model(model, sizeof model);
    printf("cansim-bench %s (%s): %s\n%s, %d cpus\n", CANSIM_BENCH_VERSION, CANSIM_BENCH_COMPILER,
           command, model, bench_cpu_count());

    json_t *kernels = NULL;
    double bg_share = 0.0;
    int status = 0;
    if (o.has_kernels) {
        printf("\n== kernels: each version checked against C, then timed (median of alternating "
               "runs with C) ==\n");
        if (o.settle_s > 0 && !bench_settle(o.settle_s))
            printf("cansim-bench: the machine stayed busy for %d s; timing anyway\n", o.settle_s);
        const int rc = bench_run_kernels(&o, argv[0], &kernels, &bg_share);
        if (rc == 2) {
            if (o.filter)
                fprintf(stderr, "cansim-bench: --filter '%s' selects no kernel (nor 'render')\n",
                        o.filter);
            return 2;
        }
        if (rc != 0) {
            printf("\ncansim-bench: KERNEL CHECK FAILED (the FAIL lines above name the kernel, "
                   "level, size and seed);\nno timings written\n");
            return 1;
        }
        bench_print_kernel_summary(kernels);
        bench_print_fft_summary(kernels);
        printf("other processes used %.0f%% of the machine during the kernel timings\n",
               100.0 * bg_share);
    }

    json_t *e2e = NULL;
    if (o.has_e2e) {
        printf("\n== end to end: %s%s ==\n", "cansim-bench-render", o.is_quick ? " --quick" : "");
        e2e = bench_run_e2e(&o);
        if (!e2e) {
            printf("cansim-bench: END-TO-END BENCHMARK FAILED\n");
            status = 1;
        }
    }

    json_t *doc = bench_merge(kernels, e2e, command, bg_share);
    const size_t n_benchmarks = json_array_size(json_object_get(doc, "benchmarks"));
    printf("\n== cansim-bench: %zu benchmarks (%zu kernel, %zu end to end) in %.1f s ==\n",
           n_benchmarks, json_array_size(json_object_get(kernels, "benchmarks")),
           json_array_size(json_object_get(e2e, "benchmarks")), bench_now_s(CLOCK_MONOTONIC) - t0);
    if (o.json_path) {
        if (bench_json_write(doc, o.json_path, "cansim-bench", 10) < 0)
            status = 1;
        else
            printf("wrote %s\n", o.json_path);
    }
    json_decref(doc);
    json_decref(kernels);
    json_decref(e2e);
    return status;
}

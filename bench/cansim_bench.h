/* SPDX-License-Identifier: MIT */
/* cansim-bench's options and the functions of its parts (options, kernels, end to end). */
#ifndef CANSIM_BENCH_CANSIM_BENCH_H
#define CANSIM_BENCH_CANSIM_BENCH_H

#include <jansson.h>
#include <stdbool.h>

#ifndef CANSIM_BENCH_VERSION
#define CANSIM_BENCH_VERSION "unknown"
#endif
#ifndef CANSIM_BENCH_COMPILER
#define CANSIM_BENCH_COMPILER "unknown compiler"
#endif

#define DEFAULT_SETTLE_S 20

typedef struct Options {
    const char *json_path;
    const char *filter;
    const char *cpu;
    const char *seed;
    const char *duration_ms;
    const char *repetitions;
    double threshold;
    int settle_s;
    bool is_quick;
    bool has_kernels;
    bool has_e2e;
    bool is_compare;
} Options;

/* cansim_bench_options.c: fills o (zeroed) from the command line; returns -1 to go on, else the
 * exit status. With --compare, argv[optind] and argv[optind + 1] are the two files. */
int bench_parse_args(Options *o, int argc, char **argv);

/* cansim_bench_kernels.c: runs the harness, check then time. Returns its status; *doc gets the
 * timings when it is 0, *bg_share the share of the machine other processes used meanwhile. */
int bench_run_kernels(const Options *o, char *argv0, json_t **doc, double *bg_share);
/* One line per kernel and size: each level's median ns per call and speedup over C. */
void bench_print_kernel_summary(const json_t *doc);
/* The real FFTs' forward + inverse pairs against FFTW's plans, when the run timed them. */
void bench_print_fft_summary(const json_t *doc);

/* cansim_bench_e2e.c: the render benchmark's document, or NULL when it failed. */
json_t *bench_run_e2e(const Options *o);
/* One document of both parts (either may be NULL), with this run's context added. */
json_t *bench_merge(json_t *kernels, json_t *e2e, const char *command, double bg_share);

#endif

/* SPDX-License-Identifier: MIT */
/* The kernel harness's shared interface: the run, dispatch walk, inputs, guarded outputs, checks,
 * timing. */
#ifndef CANSIM_CHECKASM_H
#define CANSIM_CHECKASM_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kernels.h"

/* The harness as a library (cansim_checkasm_lib): cansim-checkasm's main and cansim-bench both
 * call it. Runs what the command line asks (cansim-checkasm --help): every selected version
 * checked against C at every level up to --cpu, and with --bench timed too. Prints its progress,
 * failures and table on stdout. Returns the exit status: 0 all passed, 1 a check failed (or the
 * --json file could not be written), 2 bad usage or nothing selected. Once per process. */
int checkasm_run(int argc, char **argv);

/* After checkasm_run(): the timings as a Google Benchmark JSON document (context plus one
 * benchmark per version and size, with the counters speedup_vs_c, c_real_time, ns_per_element,
 * GFLOPS, bytes_per_second); the caller owns it (json_decref). NULL when out of memory. */
json_t *checkasm_json(void);

/* One entry point per family file, called once per CPU level. */
void checkasm_check_cmac(void);
void checkasm_check_interleave(void);
void checkasm_check_gain(void);
void checkasm_check_midside(void);
void checkasm_check_vmath(void);
void checkasm_check_truepeak(void);
void checkasm_check_rfft(void);
void checkasm_check_wdot(void);
void checkasm_check_dither(void);
void checkasm_check_pack_pcm(void);

/* The table of the level under test, and the C table (cansim_kernels_init(&k, 0)). */
const CansimKernels *checkasm_kernels(void);
const CansimKernels *checkasm_ref(void);

/* Any kernel pointer, for identity only. */
typedef void CheckasmFn(void);

/* True when fn is a version of `kernel` that no lower level installed and the filters select it.
 * It then becomes the current function "<kernel>_<isa>", and the PRNG is reseeded from the seed
 * and that name, so --seed=N --function=NAME replays exactly the inputs of a full run. */
bool checkasm_check_func(CheckasmFn *fn, const char *kernel);
#define check_func(fn, kernel) checkasm_check_func((CheckasmFn *)(fn), (kernel))

/* Ends the current function: prints its verdict and counts it. */
void checkasm_report(void);

bool checkasm_bench_enabled(void);
bool checkasm_quick(void);

/* Describes the call being checked ("pattern=huge-tiny offsets=3,0"); printed with failures. */
void checkasm_set_context(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* PRNG (xorshift64*, seeded through splitmix64). */
uint64_t checkasm_rand(void);
double checkasm_randu(void); /* uniform in [0, 1) */
float checkasm_randn(void);  /* standard normal */
size_t checkasm_rand_below(size_t bound);

/* Input value patterns. Every family runs every pattern. */
enum CheckasmPattern {
    CHECKASM_NORMAL,      /* standard normal */
    CHECKASM_ZEROS,       /* +0 and -0 */
    CHECKASM_FULL_SCALE,  /* +-1 exactly */
    CHECKASM_IMPULSE,     /* zeros with one or two unit impulses */
    CHECKASM_DENORMAL,    /* mostly subnormal, some normal */
    CHECKASM_HUGE_TINY,   /* normal values scaled by 2^-60 .. 2^60, mixed */
    CHECKASM_ALTERNATING, /* +m, -m, +m, ... */
    CHECKASM_N_PATTERNS
};
const char *checkasm_pattern_name(int pattern);
void checkasm_fill(float *buf, size_t n, int pattern);
/* A random gain from the same families of values (1, -1, 0, 2^+-60, subnormal, normal). */
float checkasm_rand_gain(void);

/* An input of n floats at `offset` floats past a 64-byte boundary, ending exactly at the end of
 * its allocation so an over-read faults under ASan. Release with checkasm_free_input(). */
float *checkasm_input(size_t n, size_t offset);
void checkasm_free_input(float *p, size_t offset);

/* An output of n floats at `offset` floats past a 64-byte boundary, between canary zones. The
 * output itself is filled with canaries too, so an unwritten element shows up as a mismatch. */
typedef struct CheckasmOutput {
    float *p;
    size_t n;
    unsigned char *base;
    size_t size;
} CheckasmOutput;
void checkasm_output(CheckasmOutput *o, size_t n, size_t offset);
/* Fails the current function if a canary outside the output changed; n is the kernel's, for
 * the message. Returns true if intact. */
bool checkasm_check_guards(const CheckasmOutput *o, const char *name, size_t n);
void checkasm_free_output(CheckasmOutput *o);

/* Bit-exact comparison of n floats; reports the first mismatches. Returns true on a match. */
bool checkasm_check_exact(const char *name, size_t n, const float *ref, const float *got,
                          size_t count);
/* |ref - got| <= bound, where both may also be equal infinities. Reports and returns false
 * otherwise. index and n go into the message. */
bool checkasm_check_bound(const char *name, size_t n, size_t index, float ref, float got,
                          double bound);
/* Records a failure that is not a value mismatch. */
void checkasm_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Timing. A loop calls the kernel `iters` times with the arguments in ctx; the harness times
 * whole loops so the clock's cost disappears. ctx_ref holds the same arguments with the C
 * version, used when the C version of this size has not been timed yet in this run. */
typedef void CheckasmBenchLoop(void *ctx, unsigned iters);
typedef struct CheckasmBenchUnits {
    const char *unit;      /* what n counts: "bin", "frame", "sample" */
    double flops_per_unit; /* 0 when flops are not the point */
    double bytes_per_unit; /* bytes read plus bytes written */
} CheckasmBenchUnits;
void checkasm_bench(size_t n, CheckasmBenchLoop *loop, void *ctx, void *ctx_ref,
                    const CheckasmBenchUnits *units);

/* An outside implementation of the current function's job (a library's, such as FFTW's), timed
 * like a version, in alternation with the C version (ctx_ref), and recorded as <kernel>_<name>
 * at the C level. Only while the C version is checked with --bench: set up nothing costly
 * unless checkasm_bench_other_wanted(). */
bool checkasm_bench_other_wanted(void);
void checkasm_bench_other(const char *name, size_t n, CheckasmBenchLoop *loop, void *ctx,
                          void *ctx_ref, const CheckasmBenchUnits *units);

/* Sizes the engine uses: padded bin counts round_up(B + 1, 16) for partition sizes
 * B = 256, 1024, 2048, 4096 (the cost model picks 4096 for a drawer of profiles, 2048 for one). */
#define CHECKASM_NB_256  272
#define CHECKASM_NB_1024 1040
#define CHECKASM_NB_2048 2064
#define CHECKASM_NB_4096 4112

#endif

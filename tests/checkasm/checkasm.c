/* SPDX-License-Identifier: MIT */
/* The kernel harness: climbs the dispatch levels, checks each new kernel version against C and
 * times it against C in the same run. cansim-checkasm and cansim-bench both drive it. */
#include "checkasm.h"

#include <errno.h>
#include <float.h>
#include <fnmatch.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_SEEN          64
#define MAX_PRINTED_FAILS 8
#define GUARD_BYTES       256
#define CANARY            0xa5
#define SAMPLE_NS         25000.0 /* one timed loop: the clock read costs ~0.1% of it */
#define MIN_SAMPLES       5
#define MAX_SAMPLES       20000
#define QUICK_DURATION_MS 20
#define DURATION_MS       50
#define REPETITIONS       5
#define QUICK_REPETITIONS 3
#define MAX_REPETITIONS   99
#define TWO_PI            6.283185307179586

typedef struct Level {
    const char *name;
    unsigned flags;
} Level;

static const Level levels[] = {
    {"c", 0},
    {"avx2", CANSIM_CPU_AVX2},
    {"avx512", CANSIM_CPU_AVX2 | CANSIM_CPU_AVX512},
    {"neon", CANSIM_CPU_NEON},
};
#define N_LEVELS (sizeof(levels) / sizeof(levels[0]))

static void check_table(void);

static const struct {
    const char *name;
    void (*check)(void);
} families[] = {
    {"table", check_table},
    {"cmac", checkasm_check_cmac},
    {"interleave", checkasm_check_interleave},
    {"gain", checkasm_check_gain},
    {"midside", checkasm_check_midside},
    {"vmath", checkasm_check_vmath},
    {"truepeak", checkasm_check_truepeak},
    {"rfft", checkasm_check_rfft},
    {"wdot", checkasm_check_wdot},
    {"dither", checkasm_check_dither},
    {"pack_pcm", checkasm_check_pack_pcm},
};
#define N_FAMILIES (sizeof(families) / sizeof(families[0]))

typedef struct BenchRecord {
    char name[64]; /* kernel_isa */
    char kernel[32];
    size_t level;
    size_t n;
    double median_ns;
    double c_ns; /* the C version's median, timed in alternation with this one */
    double cpu_ns;
    double speedup; /* c_ns / median_ns; after aggregate(), the median over the repetitions */
    double speedup_min;
    double speedup_max;
    unsigned repetitions;
    unsigned long long iterations;
    CheckasmBenchUnits units;
} BenchRecord;

static struct {
    /* options */
    unsigned long long seed;
    const char *test_pattern;
    const char *func_pattern;
    const char *json_path;
    bool list;
    bool bench;
    bool quick;
    double duration_ns;
    unsigned n_reps;
    unsigned cpu_cap;
    const char *argv0;

    /* the walk */
    unsigned host_flags;
    unsigned rep; /* the pass over every level: one per repetition of the timings */
    size_t level;
    CansimKernels kernels;
    CansimKernels ref;
    struct {
        const char *kernel;
        CheckasmFn *fn;
    } seen[MAX_SEEN];
    size_t n_seen;

    /* the current function */
    bool open;
    char name[64];
    const char *kernel;
    unsigned fails;
    char context[160];

    unsigned passed;
    unsigned failed;
    char failed_names[MAX_SEEN][64];
    size_t n_failed_names;
    uint64_t rng;

    BenchRecord *records;
    size_t n_records;
    size_t cap_records;
} state;

/* ---- PRNG ---- */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static void reseed(const char *name)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a of the name, mixed into the seed */
    for (const char *c = name; *c; c++)
        h = (h ^ (unsigned char)*c) * 0x100000001b3u;
    uint64_t x = state.seed ^ h;
    state.rng = splitmix64(&x) | 1;
}

uint64_t checkasm_rand(void)
{
    uint64_t x = state.rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    state.rng = x;
    return x * 0x2545f4914f6cdd1du;
}

double checkasm_randu(void)
{
    return (double)(checkasm_rand() >> 11) * 0x1p-53;
}

size_t checkasm_rand_below(size_t bound)
{
    return bound ? (size_t)(checkasm_rand() % bound) : 0;
}

float checkasm_randn(void)
{
    const double u1 = 1.0 - checkasm_randu(); /* (0, 1] */
    const double u2 = checkasm_randu();
    return (float)(sqrt(-2.0 * log(u1)) * cos(TWO_PI * u2));
}

/* ---- patterns ---- */

static const char *const pattern_names[CHECKASM_N_PATTERNS] = {
    "normal", "zeros", "full-scale", "impulse", "denormal", "huge-tiny", "alternating",
};

const char *checkasm_pattern_name(int pattern)
{
    return pattern >= 0 && pattern < CHECKASM_N_PATTERNS ? pattern_names[pattern] : "?";
}

static float from_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static float rand_subnormal(void)
{
    const uint64_t r = checkasm_rand();
    const uint32_t mant = (uint32_t)(r & 0x7fffffu);
    return from_bits((uint32_t)((r >> 63) << 31) | (mant ? mant : 1u));
}

void checkasm_fill(float *buf, size_t n, int pattern)
{
    switch (pattern) {
    case CHECKASM_ZEROS:
        for (size_t i = 0; i < n; i++)
            buf[i] = (checkasm_rand() & 1) ? -0.0f : 0.0f;
        break;
    case CHECKASM_FULL_SCALE:
        for (size_t i = 0; i < n; i++)
            buf[i] = (checkasm_rand() & 1) ? -1.0f : 1.0f;
        break;
    case CHECKASM_IMPULSE:
        memset(buf, 0, n * sizeof *buf);
        for (int k = 0; k < 2 && n; k++)
            buf[checkasm_rand_below(n)] = (checkasm_rand() & 1) ? -1.0f : 1.0f;
        break;
    case CHECKASM_DENORMAL:
        for (size_t i = 0; i < n; i++)
            buf[i] = (checkasm_rand() & 3) ? rand_subnormal() : checkasm_randn();
        break;
    case CHECKASM_HUGE_TINY:
        /* 2^+-60 keeps every sum of a few products below FLT_MAX. */
        for (size_t i = 0; i < n; i++)
            buf[i] = ldexpf(checkasm_randn(), (int)checkasm_rand_below(121) - 60);
        break;
    case CHECKASM_ALTERNATING: {
        const float m = fabsf(checkasm_randn()) + 0.5f;
        for (size_t i = 0; i < n; i++)
            buf[i] = (i & 1) ? -m : m;
        break;
    }
    default:
        for (size_t i = 0; i < n; i++)
            buf[i] = checkasm_randn();
        break;
    }
}

float checkasm_rand_gain(void)
{
    switch (checkasm_rand_below(8)) {
    case 0:
        return 1.0f;
    case 1:
        return -1.0f;
    case 2:
        return (checkasm_rand() & 1) ? -0.0f : 0.0f;
    case 3:
        return 0x1p60f;
    case 4:
        return 0x1p-60f;
    case 5:
        return rand_subnormal();
    default:
        return checkasm_randn();
    }
}

/* ---- buffers ---- */

static void *xalloc(size_t size)
{
    void *p = NULL;
    if (posix_memalign(&p, CANSIM_ALIGN, size ? size : 1) != 0) {
        fprintf(stderr, "checkasm: out of memory\n");
        exit(2);
    }
    return p;
}

float *checkasm_input(size_t n, size_t offset)
{
    float *base = xalloc((offset + n) * sizeof(float));
    return base + offset;
}

void checkasm_free_input(float *p, size_t offset)
{
    free(p - offset);
}

void checkasm_output(CheckasmOutput *o, size_t n, size_t offset)
{
    o->size = 2 * GUARD_BYTES + (offset + n) * sizeof(float);
    o->base = xalloc(o->size);
    memset(o->base, CANARY, o->size);
    o->p = (float *)(void *)(o->base + GUARD_BYTES) + offset;
    o->n = n;
}

static bool canaries_intact(const unsigned char *from, const unsigned char *to, size_t *where)
{
    for (const unsigned char *c = from; c < to; c++) {
        if (*c != CANARY) {
            *where = (size_t)(c - from);
            return false;
        }
    }
    return true;
}

bool checkasm_check_guards(const CheckasmOutput *o, const char *name, size_t n)
{
    const unsigned char *lo = (const unsigned char *)o->p;
    const unsigned char *hi = (const unsigned char *)(o->p + o->n);
    size_t at = 0;
    if (!canaries_intact(o->base, lo, &at)) {
        checkasm_fail("%s: n=%zu: overwrote guard byte %zu before the output", name, n,
                      (size_t)(lo - o->base) - at);
        return false;
    }
    if (!canaries_intact(hi, o->base + o->size, &at)) {
        checkasm_fail("%s: n=%zu: overwrote guard byte %zu past the output", name, n, at + 1);
        return false;
    }
    return true;
}

void checkasm_free_output(CheckasmOutput *o)
{
    free(o->base);
    o->base = NULL;
    o->p = NULL;
}

/* ---- reporting ---- */

void checkasm_set_context(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(state.context, sizeof state.context, fmt, ap);
    va_end(ap);
}

void checkasm_fail(const char *fmt, ...)
{
    state.fails++;
    if (state.fails > MAX_PRINTED_FAILS)
        return;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL %s ", state.name);
    vprintf(fmt, ap);
    printf(" (%s) seed=%llu\n", state.context, state.seed);
    va_end(ap);
    if (state.fails == MAX_PRINTED_FAILS)
        printf("FAIL %s: further failures not shown\n", state.name);
}

/* Distance in representable floats; -0 and +0 are one apart. */
static unsigned long long ulp_diff(float a, float b)
{
    uint32_t ua;
    uint32_t ub;
    memcpy(&ua, &a, sizeof ua);
    memcpy(&ub, &b, sizeof ub);
    const int64_t ia = (ua >> 31) ? -(int64_t)(ua & 0x7fffffffu) - 1 : (int64_t)ua;
    const int64_t ib = (ub >> 31) ? -(int64_t)(ub & 0x7fffffffu) - 1 : (int64_t)ub;
    return (unsigned long long)(ia > ib ? ia - ib : ib - ia);
}

static uint32_t bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static void fail_value(const char *name, size_t n, size_t index, float ref, float got, double bound)
{
    char b[48] = "";
    if (bound >= 0)
        snprintf(b, sizeof b, " bound=%.3e", bound);
    checkasm_fail("%s: n=%zu index=%zu: ref=%.9g (0x%08x) new=%.9g (0x%08x) diff=%llu ulp%s", name,
                  n, index, (double)ref, (unsigned)bits(ref), (double)got, (unsigned)bits(got),
                  ulp_diff(ref, got), b);
}

bool checkasm_check_exact(const char *name, size_t n, const float *ref, const float *got,
                          size_t count)
{
    bool ok = true;
    for (size_t i = 0; i < count; i++) {
        if (bits(ref[i]) != bits(got[i])) {
            fail_value(name, n, i, ref[i], got[i], -1);
            ok = false;
            if (state.fails >= MAX_PRINTED_FAILS)
                break;
        }
    }
    return ok;
}

bool checkasm_check_bound(const char *name, size_t n, size_t index, float ref, float got,
                          double bound)
{
    if (ref == got || (isfinite(ref) && isfinite(got) && fabs((double)ref - (double)got) <= bound))
        return true;
    fail_value(name, n, index, ref, got, bound);
    return false;
}

static bool matches(const char *pattern, const char *s)
{
    return !pattern || fnmatch(pattern, s, 0) == 0;
}

static void close_function(void)
{
    if (!state.open)
        return;
    state.open = false;
    if (state.rep > 0 && !state.fails)
        return; /* counted and printed in the first pass */
    if (state.fails) {
        state.failed++;
        if (state.n_failed_names < MAX_SEEN)
            memcpy(state.failed_names[state.n_failed_names++], state.name, sizeof state.name);
        printf(" - %-24s FAILED (%u failure%s)\n", state.name, state.fails,
               state.fails > 1 ? "s" : "");
    } else {
        state.passed++;
        printf(" - %-24s OK\n", state.name);
    }
    fflush(stdout);
}

static bool open_function(const char *kernel)
{
    char name[64];
    snprintf(name, sizeof name, "%s_%s", kernel, levels[state.level].name);
    if (!matches(state.func_pattern, kernel) && !matches(state.func_pattern, name))
        return false;
    if (state.list) {
        printf("%s\n", name);
        return false;
    }
    close_function();
    memcpy(state.name, name, sizeof name);
    state.kernel = kernel;
    state.open = true;
    state.fails = 0;
    state.context[0] = '\0';
    reseed(name);
    return true;
}

bool checkasm_check_func(CheckasmFn *fn, const char *kernel)
{
    for (size_t i = 0; i < state.n_seen; i++)
        if (state.seen[i].fn == fn && strcmp(state.seen[i].kernel, kernel) == 0)
            return false;
    if (state.n_seen == MAX_SEEN) {
        fprintf(stderr, "checkasm: more than %d kernel versions\n", MAX_SEEN);
        exit(2);
    }
    state.seen[state.n_seen].kernel = kernel;
    state.seen[state.n_seen].fn = fn;
    state.n_seen++;
    return open_function(kernel);
}

void checkasm_report(void)
{
    close_function();
}

const CansimKernels *checkasm_kernels(void)
{
    return &state.kernels;
}

const CansimKernels *checkasm_ref(void)
{
    return &state.ref;
}

bool checkasm_bench_enabled(void)
{
    return state.bench;
}

bool checkasm_quick(void)
{
    return state.quick;
}

/* ---- the table ---- */

_Static_assert(sizeof(CansimKernels) == 17 * sizeof(CheckasmFn *),
               "CansimKernels gained or lost a slot: update check_table()");

/* Every slot set at every level, and init depends only on its arguments: two tables initialised
 * from different garbage come out identical. */
static void check_table(void)
{
    if (!open_function("table"))
        return;
    const unsigned flags = levels[state.level].flags;
    CansimKernels a;
    CansimKernels b;
    memset(&a, 0, sizeof a);
    memset(&b, 0xff, sizeof b);
    cansim_kernels_init(&a, flags);
    cansim_kernels_init(&b, flags);
    checkasm_set_context("flags=0x%x", flags);
#define SLOT(s)                                                                                    \
    if (!a.s)                                                                                      \
        checkasm_fail("slot " #s " is NULL");
    SLOT(cmac)
    SLOT(cmac2x2)
    SLOT(deinterleave2)
    SLOT(interleave2)
    SLOT(gain)
    SLOT(sumdiff)
    SLOT(interleave2_ms)
    SLOT(cexp)
    SLOT(vlog)
    SLOT(truepeak2)
    SLOT(peak)
    SLOT(rfft)
    SLOT(irfft)
    SLOT(wlanes)
    SLOT(gain_dither)
    SLOT(pack_pcm16)
    SLOT(pack_pcm24)
#undef SLOT
    if (memcmp(&a, &b, sizeof a) != 0)
        checkasm_fail("init left a slot unassigned or depends on more than its arguments");
    checkasm_report();
}

/* ---- timing ---- */

static double now_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a;
    const double y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Loops of about SAMPLE_NS each, so the clock's cost disappears. */
static unsigned calibrate(CheckasmBenchLoop *loop, void *ctx)
{
    unsigned iters = 1;
    for (;;) {
        const double t0 = now_ns(CLOCK_MONOTONIC);
        loop(ctx, iters);
        const double t = now_ns(CLOCK_MONOTONIC) - t0;
        if (t >= SAMPLE_NS || iters >= (1u << 24))
            return iters;
        iters = t > 0 && SAMPLE_NS / t < 2 ? (unsigned)(iters * (SAMPLE_NS / t)) + 1 : 2 * iters;
    }
}

typedef struct Timer {
    CheckasmBenchLoop *loop;
    void *ctx;
    unsigned iters;
    size_t count;
    double cpu_ns;
    double *samples; /* ns per call */
} Timer;

static void take_sample(Timer *t)
{
    const double cpu0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
    const double t0 = now_ns(CLOCK_MONOTONIC);
    t->loop(t->ctx, t->iters);
    const double t1 = now_ns(CLOCK_MONOTONIC);
    t->cpu_ns += now_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0;
    t->samples[t->count++] = (t1 - t0) / t->iters;
}

static double median_of(double *x, size_t n)
{
    qsort(x, n, sizeof *x, cmp_double);
    return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

/* Times the version until the duration is spent; the median of the per-call times resists
 * interruptions. With ctx_ref, the C version is timed too, sample for sample in alternation with
 * it, so that a neighbour's burst or a clock change on a shared machine reaches both alike and
 * their ratio (what cansim-bench --compare judges) holds where absolute times drift. */
static void measure(CheckasmBenchLoop *loop, void *ctx, void *ctx_ref, BenchRecord *r)
{
    Timer t[2] = {{.loop = loop, .ctx = ctx}, {.loop = loop, .ctx = ctx_ref}};
    const size_t n_timers = ctx_ref ? 2 : 1;
    for (size_t i = 0; i < n_timers; i++) {
        t[i].iters = calibrate(loop, t[i].ctx);
        t[i].samples = malloc(MAX_SAMPLES * sizeof *t[i].samples);
        if (!t[i].samples) {
            fprintf(stderr, "checkasm: out of memory\n");
            exit(2);
        }
    }
    const double start = now_ns(CLOCK_MONOTONIC);
    for (size_t round = 0;
         t[0].count < MAX_SAMPLES &&
         (t[0].count < MIN_SAMPLES || now_ns(CLOCK_MONOTONIC) - start < state.duration_ns);
         round++) {
        for (size_t i = 0; i < n_timers; i++) /* each goes first in turn */
            take_sample(&t[(round + i) % n_timers]);
    }
    r->median_ns = median_of(t[0].samples, t[0].count);
    r->c_ns = ctx_ref ? median_of(t[1].samples, t[1].count) : r->median_ns;
    r->iterations = (unsigned long long)t[0].count * t[0].iters;
    r->cpu_ns = t[0].cpu_ns / (double)r->iterations;
    for (size_t i = 0; i < n_timers; i++)
        free(t[i].samples);
}

static BenchRecord *new_record(void)
{
    if (state.n_records == state.cap_records) {
        state.cap_records = state.cap_records ? 2 * state.cap_records : 64;
        BenchRecord *r = realloc(state.records, state.cap_records * sizeof *r);
        if (!r) {
            fprintf(stderr, "checkasm: out of memory\n");
            exit(2);
        }
        state.records = r;
    }
    BenchRecord *r = &state.records[state.n_records++];
    memset(r, 0, sizeof *r);
    return r;
}

/* A version that failed its check is not timed: its figures would mean nothing. */
void checkasm_bench(size_t n, CheckasmBenchLoop *loop, void *ctx, void *ctx_ref,
                    const CheckasmBenchUnits *units)
{
    if (!state.bench || !state.open || state.fails)
        return;
    BenchRecord *r = new_record();
    memcpy(r->name, state.name, sizeof r->name);
    snprintf(r->kernel, sizeof r->kernel, "%s", state.kernel);
    r->level = state.level;
    r->n = n;
    r->units = *units;
    measure(loop, ctx, state.level ? ctx_ref : NULL, r);
    r->speedup = r->median_ns > 0 ? r->c_ns / r->median_ns : 0;
    r->repetitions = 1;
}

bool checkasm_bench_other_wanted(void)
{
    return state.bench && state.open && !state.fails && state.level == 0;
}

void checkasm_bench_other(const char *name, size_t n, CheckasmBenchLoop *loop, void *ctx,
                          void *ctx_ref, const CheckasmBenchUnits *units)
{
    if (!checkasm_bench_other_wanted())
        return;
    BenchRecord *r = new_record();
    snprintf(r->name, sizeof r->name, "%s_%s", state.kernel, name);
    snprintf(r->kernel, sizeof r->kernel, "%s", state.kernel);
    r->level = 0;
    r->n = n;
    r->units = *units;
    measure(loop, ctx, ctx_ref, r);
    r->speedup = r->median_ns > 0 ? r->c_ns / r->median_ns : 0;
    r->repetitions = 1;
}

static double speedup(const BenchRecord *r)
{
    return r->speedup;
}

static int cmp_record(const void *a, const void *b)
{
    const BenchRecord *x = a;
    const BenchRecord *y = b;
    const int k = strcmp(x->kernel, y->kernel);
    if (k)
        return k;
    if (x->n != y->n)
        return x->n < y->n ? -1 : 1;
    if (x->level != y->level)
        return (x->level > y->level) - (x->level < y->level);
    return strcmp(x->name, y->name); /* outside implementations share the C level */
}

static bool same_benchmark(const BenchRecord *a, const BenchRecord *b)
{
    return a->n == b->n && strcmp(a->name, b->name) == 0;
}

/* One record per version and size: the median over the repetitions of each figure. Each
 * repetition is a separate pass over every kernel, a second or more apart, so a burst on a
 * shared machine shorter than a pass (one can slow a C reference alone by 25%) reaches one
 * repetition, and the median ignores it. */
static void aggregate(void)
{
    if (!state.n_records)
        return;
    qsort(state.records, state.n_records, sizeof *state.records, cmp_record);
    size_t out = 0;
    for (size_t i = 0; i < state.n_records;) {
        size_t j = i + 1;
        while (j < state.n_records && same_benchmark(&state.records[j], &state.records[i]))
            j++;
        double v[3][MAX_REPETITIONS];
        BenchRecord r = state.records[i];
        const size_t k = j - i < MAX_REPETITIONS ? j - i : MAX_REPETITIONS;
        double cpu = 0;
        r.iterations = 0;
        r.speedup_min = r.speedup;
        r.speedup_max = r.speedup;
        for (size_t m = 0; m < k; m++) {
            const BenchRecord *x = &state.records[i + m];
            v[0][m] = x->median_ns;
            v[1][m] = x->c_ns;
            v[2][m] = x->speedup;
            r.speedup_min = x->speedup < r.speedup_min ? x->speedup : r.speedup_min;
            r.speedup_max = x->speedup > r.speedup_max ? x->speedup : r.speedup_max;
            cpu += x->cpu_ns * (double)x->iterations;
            r.iterations += x->iterations;
        }
        r.median_ns = median_of(v[0], k);
        r.c_ns = median_of(v[1], k);
        r.speedup = median_of(v[2], k);
        r.cpu_ns = cpu / (double)r.iterations;
        r.repetitions = (unsigned)k;
        state.records[out++] = r;
        i = j;
    }
    state.n_records = out;
}

static void print_bench(void)
{
    printf("\n%-24s %7s %12s %12s %8s %10s %9s %8s\n", "benchmark", "n", "median ns", "c ns",
           "vs c", "ns/unit", "GFLOP/s", "GB/s");
    for (size_t i = 0; i < state.n_records; i++) {
        const BenchRecord *r = &state.records[i];
        const double units_per_ns = (double)r->n / r->median_ns;
        char flops[16] = "-";
        if (r->units.flops_per_unit > 0)
            snprintf(flops, sizeof flops, "%.2f", units_per_ns * r->units.flops_per_unit);
        printf("%-24s %7zu %12.1f %12.1f %7.2fx %10.4f %9s %8.2f\n", r->name, r->n, r->median_ns,
               r->c_ns, speedup(r), r->median_ns / (double)r->n, flops,
               units_per_ns * r->units.bytes_per_unit);
    }
    printf("median ns per call; c ns: the C version's, timed in alternation with this one;\n"
           "vs c: c ns / median ns. Each figure is the median of %u repetitions (passes over\n"
           "every kernel). units: cmac bins (8 flops each), cmac2x2 bins (32 flops: four complex\n"
           "MACs), (de)interleave2 frames, gain samples, sumdiff bins (2 flops), interleave2_ms\n"
           "frames (4 flops), cexp bins (with a restoring copy), vlog values, truepeak2 stereo\n"
           "frames at factor 4 (208 flops: 4 phases of 13 taps); GB/s: bytes read + written\n",
           state.n_reps);
}

/* ---- JSON (Google Benchmark's schema, written with jansson) ---- */

static double cpu_mhz(void)
{
    double mhz = 0;
    FILE *f = fopen("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", "r");
    if (f) {
        double khz = 0;
        if (fscanf(f, "%lf", &khz) == 1)
            mhz = khz / 1000;
        fclose(f);
    }
    if (mhz > 0)
        return mhz;
    f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return 0;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        const char *colon = strchr(line, ':');
        if (strncmp(line, "cpu MHz", 7) == 0 && colon) {
            mhz = strtod(colon + 1, NULL);
            break;
        }
    }
    fclose(f);
    return mhz;
}

static bool cpu_scaling(void)
{
    FILE *f = fopen("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "r");
    if (!f)
        return false;
    char gov[64] = "";
    const bool ok = fgets(gov, sizeof gov, f) != NULL;
    fclose(f);
    return ok && strncmp(gov, "performance", 11) != 0;
}

static const char *top_level_name(void)
{
    const char *name = "c";
    for (size_t i = 0; i < N_LEVELS; i++) {
        const unsigned fl = levels[i].flags;
        if (!(fl & ~state.host_flags) && !(fl & ~state.cpu_cap))
            name = levels[i].name;
    }
    return name;
}

json_t *checkasm_json(void)
{
    char date[40] = "";
    const time_t t = time(NULL);
    struct tm tm;
    if (localtime_r(&t, &tm) && strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S%z", &tm)) {
        const size_t len = strlen(date); /* +hhmm to +hh:mm, as Google Benchmark writes it */
        if (len >= 5) {
            memmove(date + len - 1, date + len - 2, 3);
            date[len - 2] = ':';
        }
    }
    char host[256] = "";
    if (gethostname(host, sizeof host - 1) != 0)
        snprintf(host, sizeof host, "unknown");
#if defined(NDEBUG)
    const char *build = "release";
#else
    const char *build = "debug";
#endif
    json_t *context = json_pack(
        "{s:s, s:s, s:s, s:I, s:f, s:b, s:s, s:s, s:b, s:f, s:I, s:I}", "date", date, "host_name",
        host, "executable", state.argv0 ? state.argv0 : "", "num_cpus",
        (json_int_t)sysconf(_SC_NPROCESSORS_ONLN), "mhz_per_cpu", round(cpu_mhz()),
        "cpu_scaling_enabled", cpu_scaling(), "library_build_type", build, "cansim_cpu",
        top_level_name(), "quick", state.quick, "duration_ms", round(state.duration_ns / 1e6),
        "repetitions", (json_int_t)state.n_reps, "seed", (json_int_t)state.seed);
    json_t *list = json_array();
    for (size_t i = 0; context && list && i < state.n_records; i++) {
        const BenchRecord *r = &state.records[i];
        char name[96];
        snprintf(name, sizeof name, "%s/%zu", r->name, r->n);
        const double per_ns = (double)r->n / r->median_ns;
        json_t *b = json_pack(
            "{s:s, s:s, s:s, s:I, s:i, s:i, s:I, s:f, s:f, s:s, s:s, s:I, s:f, s:f, s:f, s:f, "
            "s:f, s:f}",
            "name", name, "run_name", name, "run_type", "iteration", "repetitions",
            (json_int_t)r->repetitions, "repetition_index", 0, "threads", 1, "iterations",
            (json_int_t)r->iterations, "real_time", r->median_ns, "cpu_time", r->cpu_ns,
            "time_unit", "ns", "unit", r->units.unit, "n", (json_int_t)r->n, "ns_per_element",
            r->median_ns / (double)r->n, "bytes_per_second", per_ns * r->units.bytes_per_unit * 1e9,
            "c_real_time", r->c_ns, "speedup_vs_c_min", r->speedup_min, "speedup_vs_c_max",
            r->speedup_max, "speedup_vs_c", speedup(r));
        char per_unit[64];
        snprintf(per_unit, sizeof per_unit, "%ss_per_ns", r->units.unit);
        if (b && r->units.flops_per_unit > 0)
            json_object_set_new(b, "GFLOPS", json_real(per_ns * r->units.flops_per_unit));
        if (b)
            json_object_set_new(b, per_unit, json_real(per_ns));
        if (!b || json_array_append_new(list, b)) {
            json_decref(list);
            list = NULL;
        }
    }
    if (!context || !list) {
        json_decref(context);
        json_decref(list);
        return NULL;
    }
    return json_pack("{s:o, s:o}", "context", context, "benchmarks", list);
}

static int write_json(void)
{
    FILE *f = fopen(state.json_path, "w");
    if (!f) {
        fprintf(stderr, "checkasm: %s: %s\n", state.json_path, strerror(errno));
        return -1;
    }
    json_t *doc = checkasm_json();
    const int e = doc ? json_dumpf(doc, f, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) : -1;
    json_decref(doc);
    if (fclose(f) != 0 || e) {
        fprintf(stderr, "checkasm: %s: write failed\n", state.json_path);
        return -1;
    }
    return 0;
}

/* ---- the run ---- */

static void usage(FILE *f)
{
    fprintf(f,
            "Checks every kernel version the dispatch can choose against the C reference.\n"
            "Usage: cansim-checkasm [options]\n"
            "  --seed=N          PRNG seed [default: from the clock]\n"
            "  --test=PATTERN    families, wildcards (table, cmac, interleave, gain,\n"
            "                    midside, vmath, truepeak, rfft, wdot, dither,\n"
            "                    pack_pcm)\n"
            "  --function=PATTERN  functions to run, wildcards on 'cmac' or 'cmac_avx2'\n"
            "  --cpu=LEVEL       highest level: auto, c, avx2, avx512, neon [default: auto]\n"
            "  --list            list the functions that would run\n"
            "  --bench           time every version too (median ns per call; each SIMD\n"
            "                    version alternates with C, for the ratio to C)\n"
            "  --duration=MS     time budget per function, size and repetition\n"
            "                    [default: %d, with --quick %d]\n"
            "  --repetitions=N   passes over every kernel; figures are medians\n"
            "                    [default: %d, with --quick %d]\n"
            "  --quick           fewer sizes, shorter timing (for smoke tests)\n"
            "  --json=FILE       write the timings in Google Benchmark's JSON schema\n"
            "Exit status: 0 if every check passed, 1 if one failed, 2 on bad usage.\n",
            DURATION_MS, QUICK_DURATION_MS, REPETITIONS, QUICK_REPETITIONS);
}

static bool parse_cpu(const char *s, unsigned *cap)
{
    if (strcmp(s, "auto") == 0) {
        *cap = ~0u;
        return true;
    }
    for (size_t i = 0; i < N_LEVELS; i++) {
        if (strcmp(s, levels[i].name) == 0) {
            *cap = levels[i].flags;
            return true;
        }
    }
    return false;
}

static bool parse_ull(const char *s, unsigned long long *out)
{
    char *end = NULL;
    errno = 0;
    const unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || *s == '-')
        return false;
    *out = v;
    return true;
}

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv)
{
    state.duration_ns = DURATION_MS * 1e6;
    state.n_reps = REPETITIONS;
    state.cpu_cap = ~0u;
    state.seed = (unsigned long long)now_ns(CLOCK_REALTIME) ^ (unsigned long long)getpid();
    state.seed &= 0xffffffffu; /* short enough to type back in */
    bool have_duration = false;
    bool have_reps = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        unsigned long long v;
        if (strncmp(a, "--seed=", 7) == 0 && parse_ull(a + 7, &v)) {
            state.seed = v;
        } else if (strncmp(a, "--test=", 7) == 0) {
            state.test_pattern = a + 7;
        } else if (strncmp(a, "--function=", 11) == 0) {
            state.func_pattern = a + 11;
        } else if (strncmp(a, "--cpu=", 6) == 0 && parse_cpu(a + 6, &state.cpu_cap)) {
            continue;
        } else if (strcmp(a, "--list") == 0) {
            state.list = true;
        } else if (strcmp(a, "--bench") == 0) {
            state.bench = true;
        } else if (strcmp(a, "--quick") == 0) {
            state.quick = true;
        } else if (strncmp(a, "--duration=", 11) == 0 && parse_ull(a + 11, &v) && v > 0 &&
                   v <= 3600000) {
            state.duration_ns = (double)v * 1e6;
            have_duration = true;
        } else if (strncmp(a, "--repetitions=", 14) == 0 && parse_ull(a + 14, &v) && v > 0 &&
                   v <= MAX_REPETITIONS) {
            state.n_reps = (unsigned)v;
            have_reps = true;
        } else if (strncmp(a, "--json=", 7) == 0 && a[7]) {
            state.json_path = a + 7;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "cansim-checkasm: bad option '%s'\nTry 'cansim-checkasm --help'.\n", a);
            return 2;
        }
    }
    if (state.quick && !have_duration)
        state.duration_ns = QUICK_DURATION_MS * 1e6;
    if (state.quick && !have_reps)
        state.n_reps = QUICK_REPETITIONS;
    if (state.json_path)
        state.bench = true;
    return -1;
}

int checkasm_run(int argc, char **argv)
{
    if (state.argv0) {
        fprintf(stderr, "checkasm: checkasm_run called twice\n");
        return 2;
    }
    state.argv0 = argv[0];
    const int e = parse_args(argc, argv);
    if (e >= 0)
        return e;
    setvbuf(stdout, NULL, _IOLBF, 0);

    /* Both the reference and the candidates run in the engine's denormal mode. */
    const unsigned fpu = cansim_fpu_ftz_enter();
    state.host_flags = cansim_cpu_detect();
    cansim_kernels_init(&state.ref, 0);

    if (!state.list)
        printf("cansim-checkasm: seed=%llu, cpu=%s, testing up to %s\n", state.seed,
               cansim_cpu_level_name(state.host_flags), top_level_name());

    /* With --bench, every pass after the first repeats the timings (and the checks, which cost
     * little and see the same inputs). */
    const unsigned n_passes = state.bench && !state.list ? state.n_reps : 1;
    for (state.rep = 0; state.rep < n_passes && !state.failed; state.rep++) {
        state.n_seen = 0;
        for (size_t l = 0; l < N_LEVELS; l++) {
            const unsigned flags = levels[l].flags;
            if ((flags & ~state.host_flags) || (flags & ~state.cpu_cap))
                continue;
            state.level = l;
            cansim_kernels_init(&state.kernels, flags);
            for (size_t f = 0; f < N_FAMILIES; f++) {
                if (!matches(state.test_pattern, families[f].name))
                    continue;
                families[f].check();
                close_function();
            }
        }
    }
    cansim_fpu_restore(fpu);
    aggregate();

    if (state.list)
        return 0;
    if (state.passed + state.failed == 0) {
        fprintf(stderr, "cansim-checkasm: no function matched --test/--function\n");
        return 2;
    }
    int status = state.failed ? 1 : 0;
    if (state.bench) {
        print_bench();
        if (state.json_path && write_json() < 0)
            status = 1;
    }
    if (state.failed) {
        printf("FAILED:");
        for (size_t i = 0; i < state.n_failed_names; i++)
            printf(" %s", state.failed_names[i]);
        printf("\nfailures reproduce with --seed=%llu\n", state.seed);
    }
    printf("%u passed, %u failed\n", state.passed, state.failed);
    return status;
}

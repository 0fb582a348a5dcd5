/* SPDX-License-Identifier: MIT */
/* cansim-bench: every kernel version checked against C and then timed (the checkasm harness), the
 * end-to-end render benchmark (cansim-bench-render, run as a child), one Google Benchmark JSON;
 * and --compare of two such files by their same-run ratios. */
#define _GNU_SOURCE
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <jansson.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "checkasm.h"
#include "compare.h"
#include "machine.h"

#ifndef CANSIM_BENCH_RENDER_PATH
#define CANSIM_BENCH_RENDER_PATH "cansim-bench-render"
#endif
#ifndef CANSIM_BENCH_VERSION
#define CANSIM_BENCH_VERSION "unknown"
#endif
#ifndef CANSIM_BENCH_COMPILER
#define CANSIM_BENCH_COMPILER "unknown compiler"
#endif

#define DEFAULT_SETTLE_S 20

extern char **environ;

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

static void cpu_model(char *buf, size_t size)
{
    snprintf(buf, size, "unknown cpu");
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f)) {
        const char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon) {
            snprintf(buf, size, "%s", colon + 2);
            buf[strcspn(buf, "\n")] = '\0';
            break;
        }
    }
    if (f)
        fclose(f);
}

/* The command line as one string, arguments with shell metacharacters single-quoted. */
static void command_line(int argc, char **argv, char *buf, size_t size)
{
    static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                "-_=./,:+%@";
    size_t at = 0;
    buf[0] = '\0';
    for (int i = 0; i < argc && at < size; i++) {
        const char *a = argv[i];
        const bool is_plain = a[0] && strspn(a, plain) == strlen(a);
        const char *sep = i ? " " : "";
        const int k = is_plain ? snprintf(buf + at, size - at, "%s%s", sep, a)
                               : snprintf(buf + at, size - at, "%s'%s'", sep, a);
        at += k > 0 ? (size_t)k : 0;
    }
}

/* ------------------------------------------------------------------ the kernel part */

/* Runs the harness: check, then time. Returns its status; *doc gets the timings when it is 0,
 * *bg_share the share of the machine other processes used meanwhile. */
static int run_kernels(const Options *o, char *argv0, json_t **doc, double *bg_share)
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
static void print_kernel_summary(const json_t *doc)
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
            const json_t *v = NULL;
            for (size_t j = 0; j < json_array_size(list); j++) {
                const json_t *x = json_array_get(list, j);
                const char *n = json_string_value(json_object_get(x, "name"));
                if (n && strcmp(n, want) == 0)
                    v = x;
            }
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
    for (size_t j = 0; j < json_array_size(list); j++) {
        const json_t *x = json_array_get(list, j);
        const char *name = json_string_value(json_object_get(x, "name"));
        if (name && strcmp(name, want) == 0)
            return json_number_value(json_object_get(x, "real_time"));
    }
    return 0.0;
}

static void print_fft_summary(const json_t *doc)
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

/* ------------------------------------------------------------------ the end-to-end part */

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

    fflush(stdout);
    fflush(stderr);
    pid_t pid;
    const int e = posix_spawn(&pid, args[0], NULL, NULL, args, environ);
    if (e) {
        fprintf(stderr, "cansim-bench: cannot run %s: %s\n", args[0], strerror(e));
        return -1;
    }
    int st;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "cansim-bench: waitpid: %s\n", strerror(errno));
            return -1;
        }
    }
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    fprintf(stderr, "cansim-bench: %s died (status 0x%x)\n", args[0], (unsigned)st);
    return -1;
}

/* Returns the render benchmark's document, or NULL when it failed. */
static json_t *run_e2e(const Options *o)
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

/* ------------------------------------------------------------------ the merged document */

/* Context: the harness's (or the render benchmark's alone), the other's keys added; a key both
 * carry with different values keeps the first and adds the render one as e2e_<key>. */
static json_t *merge(json_t *kernels, json_t *e2e, const char *command, double bg_share)
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
    cpu_model(model, sizeof model);
    json_object_set_new(ctx, "cpu_model", json_string(model));
    json_object_set_new(ctx, "compiler", json_string(CANSIM_BENCH_COMPILER));
    json_object_set_new(ctx, "cansim_bench_command", json_string(command));
    if (kernels)
        json_object_set_new(ctx, "kernels_background_cpu_share", json_real(bg_share));
    return doc;
}

/* Written whole to path.tmp, then renamed: a reader never sees half a file. */
static int write_doc(const json_t *doc, const char *path)
{
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp) {
        fprintf(stderr, "cansim-bench: %s: path too long\n", path);
        return -1;
    }
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "cansim-bench: %s: %s\n", tmp, strerror(errno));
        return -1;
    }
    const int e = json_dumpf(doc, f, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    fputc('\n', f);
    if (fclose(f) != 0 || e != 0 || rename(tmp, path) != 0) {
        fprintf(stderr, "cansim-bench: %s: write failed\n", path);
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ options */

static void print_help(void)
{
    printf(
        "cansim-bench checks every kernel version against its C reference at every CPU level\n"
        "this machine has, times it (medians, ns per element, GFLOP/s, GB/s, speedup over C\n"
        "from the same run), runs the end-to-end render benchmark, and writes one Google\n"
        "Benchmark JSON. --compare judges two such files.\n"
        "\n"
        "Usage: cansim-bench [options]\n"
        "       cansim-bench --compare BASE.json NEW.json [--threshold F]\n"
        "\n"
        "Run:\n"
        "  --quick           CI: engine sizes only, short timings, a short render [< 60 s]\n"
        "  --filter PATTERN  kernels to run, wildcards on 'cmac' or 'cmac_avx2'; 'render'\n"
        "                    selects the end-to-end part (skipped when PATTERN names only\n"
        "                    kernels)                                 [default: everything]\n"
        "  --cpu LEVEL       highest level: auto c avx2 avx512 neon   [default: auto]\n"
        "  --no-e2e          skip the end-to-end render benchmark\n"
        "  --seed N          the kernel check's PRNG seed             [default: from the clock]\n"
        "  --duration MS     timing budget per kernel version, size and repetition\n"
        "                                                             [default: 50, quick 20]\n"
        "  --repetitions N   passes over every kernel, seconds apart; figures are medians\n"
        "                                                             [default: 5, quick 3]\n"
        "  --settle S        wait up to S s for a quiet machine (other processes below 10%%\n"
        "                    CPU) before the kernels and before each render run\n"
        "                                                             [default: %d, quick 0]\n"
        "  --json FILE       write the merged Google Benchmark JSON\n"
        "\n"
        "Compare:\n"
        "  --compare BASE NEW  match benchmarks by name and judge the ratios each run measured\n"
        "                    itself: a kernel's speedup_vs_c; the renders' ratio_vs_io_floor,\n"
        "                    speedup_vs_naive and speedup_vs_1_thread. Shown, not judged:\n"
        "                    ratios from a busy machine, speedups whose repetitions disagree\n"
        "                    by more than the threshold, renders of --quick runs. Raw time\n"
        "                    ratios are shown, never judged.\n"
        "  --threshold F     a ratio worse by more than F is a regression [default: %.2f]\n"
        "\n"
        "  -h, --help        this help\n"
        "\n"
        "Exit status: 0 success; 1 a kernel failed its check, a part failed, or (--compare) a\n"
        "regression; 2 usage error or an unreadable file.\n",
        DEFAULT_SETTLE_S, CANSIM_COMPARE_THRESHOLD);
}

static int usage_error(const char *what, const char *value)
{
    if (what)
        fprintf(stderr, "cansim-bench: %s '%s'\n", what, value);
    fputs("Try 'cansim-bench --help'.\n", stderr);
    return 2;
}

static bool is_cpu_name(const char *s)
{
    static const char *const names[] = {"auto", "c", "avx2", "avx512", "neon"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i]) == 0)
            return true;
    return false;
}

static bool is_uint(const char *s, unsigned long long max)
{
    char *end;
    errno = 0;
    const unsigned long long v = strtoull(s, &end, 10);
    return *s >= '0' && *s <= '9' && !errno && *end == '\0' && v <= max;
}

/* Returns -1 to go on, else the exit status. */
static int parse_args(Options *o, int argc, char **argv)
{
    enum {
        O_QUICK = 256,
        O_JSON,
        O_FILTER,
        O_CPU,
        O_NO_E2E,
        O_SEED,
        O_DURATION,
        O_REPETITIONS,
        O_SETTLE,
        O_COMPARE,
        O_THRESHOLD
    };
    static const struct option opts[] = {
        {"quick", no_argument, NULL, O_QUICK},
        {"json", required_argument, NULL, O_JSON},
        {"filter", required_argument, NULL, O_FILTER},
        {"cpu", required_argument, NULL, O_CPU},
        {"no-e2e", no_argument, NULL, O_NO_E2E},
        {"seed", required_argument, NULL, O_SEED},
        {"duration", required_argument, NULL, O_DURATION},
        {"repetitions", required_argument, NULL, O_REPETITIONS},
        {"settle", required_argument, NULL, O_SETTLE},
        {"compare", no_argument, NULL, O_COMPARE},
        {"threshold", required_argument, NULL, O_THRESHOLD},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool has_settle = false;
    bool has_threshold = false;
    bool is_no_e2e = false;
    o->threshold = CANSIM_COMPARE_THRESHOLD;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case O_QUICK:
            o->is_quick = true;
            break;
        case O_JSON:
            o->json_path = optarg;
            break;
        case O_FILTER:
            o->filter = optarg;
            break;
        case O_CPU:
            if (!is_cpu_name(optarg))
                return usage_error("bad value for --cpu:", optarg);
            o->cpu = optarg;
            break;
        case O_NO_E2E:
            is_no_e2e = true;
            break;
        case O_SEED:
            if (!is_uint(optarg, ~0ull))
                return usage_error("bad value for --seed:", optarg);
            o->seed = optarg;
            break;
        case O_DURATION:
            if (!is_uint(optarg, 3600000) || strtoull(optarg, NULL, 10) == 0)
                return usage_error("bad value for --duration:", optarg);
            o->duration_ms = optarg;
            break;
        case O_REPETITIONS:
            if (!is_uint(optarg, 99) || strtoull(optarg, NULL, 10) == 0)
                return usage_error("bad value for --repetitions:", optarg);
            o->repetitions = optarg;
            break;
        case O_SETTLE:
            if (!is_uint(optarg, 3600))
                return usage_error("bad value for --settle:", optarg);
            o->settle_s = atoi(optarg);
            has_settle = true;
            break;
        case O_COMPARE:
            o->is_compare = true;
            break;
        case O_THRESHOLD:
            o->threshold = strtod(optarg, &end);
            if (end == optarg || *end || !(o->threshold > 0.0 && o->threshold < 1.0))
                return usage_error("bad value for --threshold (a fraction in (0, 1)):", optarg);
            has_threshold = true;
            break;
        case 'h':
            print_help();
            return 0;
        default:
            return usage_error(NULL, NULL);
        }
    }
    if (o->is_compare) {
        if (argc - optind != 2)
            return usage_error("--compare takes two files, got", argc > optind ? argv[optind] : "");
        return -1;
    }
    if (has_threshold)
        return usage_error("--threshold goes with", "--compare");
    if (optind < argc)
        return usage_error("unexpected argument", argv[optind]);
    if (!has_settle)
        o->settle_s = o->is_quick ? 0 : DEFAULT_SETTLE_S;
    /* 'render' (or a pattern matching it) selects the end-to-end part; a pattern that starts
     * with it names nothing else. */
    const bool is_render = o->filter && strncmp(o->filter, "render", 6) == 0;
    o->has_kernels = !is_render;
    o->has_e2e = !is_no_e2e && (!o->filter || is_render || fnmatch(o->filter, "render", 0) == 0);
    if (!o->has_kernels && !o->has_e2e)
        return usage_error("nothing to run: --no-e2e with --filter", o->filter);
    return -1;
}

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    Options o = {0};
    const int e = parse_args(&o, argc, argv);
    if (e >= 0)
        return e;
    if (o.is_compare)
        return cansim_bench_compare(argv[optind], argv[optind + 1], o.threshold);

    setvbuf(stdout, NULL, _IOLBF, 0);
    const double t0 = bench_now_s(CLOCK_MONOTONIC);
    char command[8192];
    command_line(argc, argv, command, sizeof command);
    char model[128];
    cpu_model(model, sizeof model);
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
        const int rc = run_kernels(&o, argv[0], &kernels, &bg_share);
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
        print_kernel_summary(kernels);
        print_fft_summary(kernels);
        printf("other processes used %.0f%% of the machine during the kernel timings\n",
               100.0 * bg_share);
    }

    json_t *e2e = NULL;
    if (o.has_e2e) {
        printf("\n== end to end: %s%s ==\n", "cansim-bench-render", o.is_quick ? " --quick" : "");
        e2e = run_e2e(&o);
        if (!e2e) {
            printf("cansim-bench: END-TO-END BENCHMARK FAILED\n");
            status = 1;
        }
    }

    json_t *doc = merge(kernels, e2e, command, bg_share);
    const size_t n_benchmarks = json_array_size(json_object_get(doc, "benchmarks"));
    printf("\n== cansim-bench: %zu benchmarks (%zu kernel, %zu end to end) in %.1f s ==\n",
           n_benchmarks, json_array_size(json_object_get(kernels, "benchmarks")),
           json_array_size(json_object_get(e2e, "benchmarks")), bench_now_s(CLOCK_MONOTONIC) - t0);
    if (o.json_path) {
        if (write_doc(doc, o.json_path) < 0)
            status = 1;
        else
            printf("wrote %s\n", o.json_path);
    }
    json_decref(doc);
    json_decref(kernels);
    json_decref(e2e);
    return status;
}

/* SPDX-License-Identifier: MIT */
/* cansim-bench's command line: its help, its options, and what they select. */
#define _GNU_SOURCE
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cansim_bench.h"
#include "compare.h"
#include "options.h"

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
    return bench_usage_error("cansim-bench", what, value);
}

static bool is_cpu_name(const char *s)
{
    static const char *const names[] = {"auto", "c", "avx2", "avx512", "neon"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i]) == 0)
            return true;
    return false;
}

int bench_parse_args(Options *o, int argc, char **argv)
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
        unsigned long long v;
        bool ok = true;
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
            ok = is_cpu_name(optarg);
            o->cpu = optarg;
            break;
        case O_NO_E2E:
            is_no_e2e = true;
            break;
        case O_SEED: /* the numbers the harness takes are passed on as they were written */
            ok = bench_parse_uint(optarg, 0, ~0ull, &v);
            o->seed = optarg;
            break;
        case O_DURATION:
            ok = bench_parse_uint(optarg, 1, 3600000, &v);
            o->duration_ms = optarg;
            break;
        case O_REPETITIONS:
            ok = bench_parse_uint(optarg, 1, 99, &v);
            o->repetitions = optarg;
            break;
        case O_SETTLE:
            ok = bench_parse_int(optarg, 0, 3600, &o->settle_s);
            has_settle = true;
            break;
        case O_COMPARE:
            o->is_compare = true;
            break;
        case O_THRESHOLD:
            if (!bench_parse_real(optarg, 0.0, 1.0, &o->threshold) || o->threshold <= 0.0 ||
                o->threshold >= 1.0)
                return usage_error("bad value for --threshold (a fraction in (0, 1)):", optarg);
            has_threshold = true;
            break;
        case 'h':
            print_help();
            return 0;
        default:
            return usage_error(NULL, NULL);
        }
        if (!ok) {
            char what[64];
            bench_format(what, sizeof what, "bad value for --%s:", opts[c - O_QUICK].name);
            return usage_error(what, optarg);
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

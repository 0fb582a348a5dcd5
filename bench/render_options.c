/* SPDX-License-Identifier: MIT */
/* cansim-bench-render's command line: its help, its options and their defaults. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include <cansim/cansim.h>

#include "machine.h"
#include "options.h"
#include "render_bench.h"

#ifndef CANSIM_BENCH_WORKDIR
#define CANSIM_BENCH_WORKDIR "render-work"
#endif

static void print_help(void)
{
    printf("cansim-bench-render measures end-to-end renders against their I/O floor, each mode\n"
           "in its own process, and reports medians, same-run ratios and peak RSS.\n"
           "\n"
           "Usage: cansim-bench-render [options]\n"
           "\n"
           "Material (made once with cansim-synth, reused when present):\n"
           "  --workdir DIR      material and scratch outputs\n"
           "                     [default: %s]\n"
           "  --seconds S        mix length                               [default: 180]\n"
           "  --profiles N       4-channel random-IR profiles             [default: 16]\n"
           "  --taps N           taps per filter                          [default: 4096]\n"
           "  --rate HZ          sample rate                              [default: 48000]\n"
           "\n"
           "Runs:\n"
           "  --reps N           repetitions per mode (figures are medians) [default: 5]\n"
           "  --threads N        renderer and io_floor threads            [default: all cores]\n"
           "  --partition N      renderer partition size                  [default: cost model]\n"
           "  --cpu LEVEL        highest kernel level: auto c avx2 avx512 [default: auto]\n"
           "  --only LIST        modes, comma-separated: full compute io_floor io_floor_1 naive\n"
           "                     naive_1 compute_1 compute_2 long level_full level_full_tr\n"
           "                     (level matched, without and with the translation)\n"
           "                                                              [default: all]\n"
           "  --long             also render a long input, compute only (peak RSS)\n"
           "  --long-seconds S   its length (implies --long)              [default: 3600]\n"
           "  --settle S         wait up to S s before each run for the machine to be quiet\n"
           "                     (other processes below 10%% CPU)          [default: 20]\n"
           "  --quick            CI smoke: 20 s, 4 profiles, 3 reps, --settle 0\n"
           "\n"
           "Output:\n"
           "  --json FILE        Google Benchmark JSON of the medians\n"
           "  -h, --help         this help\n"
           "\n"
           "Targets are printed next to the figures, never asserted: the exit status is 0\n"
           "unless something failed (1), or 2 for a usage error.\n",
           CANSIM_BENCH_WORKDIR);
}

static int usage_error(const char *what, const char *value)
{
    return bench_usage_error("cansim-bench-render", what, value);
}

static bool parse_seconds(const char *s, double *out)
{
    return bench_parse_real(s, 1.0, 86400.0, out);
}

int render_parse_args(Bench *b, int argc, char **argv)
{
    b->workdir = CANSIM_BENCH_WORKDIR;
    b->seconds = 180.0;
    b->long_seconds = 3600.0;
    b->rate_hz = 48000;
    b->n_profiles = 16;
    b->n_taps = 4096;
    b->n_reps = 5;
    b->cpu_mask = ~0u;
    enum {
        O_WORKDIR = 256,
        O_SECONDS,
        O_PROFILES,
        O_TAPS,
        O_RATE,
        O_REPS,
        O_THREADS,
        O_PARTITION,
        O_ONLY,
        O_LONG,
        O_LONG_SECONDS,
        O_QUICK,
        O_JSON,
        O_SETTLE,
        O_CPU
    };
    static const struct option opts[] = {
        {"workdir", required_argument, NULL, O_WORKDIR},
        {"seconds", required_argument, NULL, O_SECONDS},
        {"profiles", required_argument, NULL, O_PROFILES},
        {"taps", required_argument, NULL, O_TAPS},
        {"rate", required_argument, NULL, O_RATE},
        {"reps", required_argument, NULL, O_REPS},
        {"threads", required_argument, NULL, O_THREADS},
        {"partition", required_argument, NULL, O_PARTITION},
        {"only", required_argument, NULL, O_ONLY},
        {"long", no_argument, NULL, O_LONG},
        {"long-seconds", required_argument, NULL, O_LONG_SECONDS},
        {"quick", no_argument, NULL, O_QUICK},
        {"json", required_argument, NULL, O_JSON},
        {"settle", required_argument, NULL, O_SETTLE},
        {"cpu", required_argument, NULL, O_CPU},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool has_seconds = false, has_profiles = false, has_reps = false, has_settle = false;
    int part = 0;
    int settle_s = 20;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        bool ok = true;
        switch (c) {
        case O_WORKDIR:
            b->workdir = optarg;
            break;
        case O_SECONDS:
            ok = parse_seconds(optarg, &b->seconds);
            has_seconds = true;
            break;
        case O_PROFILES:
            ok = bench_parse_int(optarg, 1, 999, &b->n_profiles);
            has_profiles = true;
            break;
        case O_TAPS:
            ok = bench_parse_int(optarg, 1, (int)CANSIM_MAX_TAPS, &b->n_taps);
            break;
        case O_RATE:
            ok = bench_parse_int(optarg, 8000, 384000, &b->rate_hz);
            break;
        case O_REPS:
            ok = bench_parse_int(optarg, 1, 64, &b->n_reps);
            has_reps = true;
            break;
        case O_THREADS:
            ok = bench_parse_int(optarg, 1, 1024, &b->n_threads);
            break;
        case O_PARTITION:
            ok = bench_parse_int(optarg, 64, 65536, &part);
            break;
        case O_ONLY:
            b->only = optarg;
            break;
        case O_LONG:
            b->has_long = true;
            break;
        case O_LONG_SECONDS:
            ok = parse_seconds(optarg, &b->long_seconds);
            b->has_long = true;
            break;
        case O_QUICK:
            b->is_quick = true;
            break;
        case O_JSON:
            b->json_path = optarg;
            break;
        case O_SETTLE:
            ok = bench_parse_int(optarg, 0, 3600, &settle_s);
            has_settle = true;
            break;
        case O_CPU:
            ok = cansim_cpu_mask_from_name(optarg, &b->cpu_mask) == 0;
            break;
        case 'h':
            print_help();
            return 0;
        default:
            return usage_error(NULL, NULL);
        }
        if (!ok) {
            char what[64];
            bench_format(what, sizeof what, "bad value for --%s:", opts[c - O_WORKDIR].name);
            return usage_error(what, optarg);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument", argv[optind]);
    if (b->only && !render_only_is_valid(b->only))
        return usage_error("unknown mode in --only", b->only);
    if (b->is_quick) {
        b->seconds = has_seconds ? b->seconds : 20.0;
        b->n_profiles = has_profiles ? b->n_profiles : 4;
        b->n_reps = has_reps ? b->n_reps : 3;
        settle_s = has_settle ? settle_s : 0;
    }
    b->settle_s = settle_s;
    b->partition_frames = (size_t)part;
    b->n_cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
    b->n_cpus = b->n_cpus > 0 ? b->n_cpus : 1;
    if (!b->n_threads)
        b->n_threads = bench_cpu_count();
    return -1;
}

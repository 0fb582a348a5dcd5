/* SPDX-License-Identifier: MIT */
/* The command line: one parser for every command, its numbers and levels checked, and the
 * one-line usage error every wrong argument ends in. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "shard.h"

int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("cansim: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'cansim --help'.\n", stderr);
    return EXIT_USAGE;
}

static bool parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    const long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

int parse_cpu_level(const char *name, const char *source, unsigned *mask)
{
#if defined(__x86_64__) || defined(__i386__)
    static const char *const levels[] = {"auto", "c", "avx2", "avx512"};
    static const char list[] = "auto, c, avx2, avx512";
#elif defined(__aarch64__) || defined(__arm__)
    static const char *const levels[] = {"auto", "c", "neon"};
    static const char list[] = "auto, c, neon";
#else
    static const char *const levels[] = {"auto", "c"};
    static const char list[] = "auto, c";
#endif
    bool is_known = false;
    for (size_t i = 0; i < sizeof levels / sizeof *levels; i++)
        is_known = is_known || !strcmp(name, levels[i]);
    if (!is_known || cansim_cpu_mask_from_name(name, mask))
        return usage_error("%s: unknown CPU level '%s' (%s on this machine)", source, name, list);
    return EXIT_OK;
}

/* One parser for every command; each command then checks what it needs. */
int parse_options(int argc, char **argv, Options *o)
{
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'},
        {"profiles", required_argument, NULL, 'p'},
        {"profiles-dir", required_argument, NULL, 'D'},
        {"on", required_argument, NULL, 'O'},
        {"target", required_argument, NULL, 'G'},
        {"rate", required_argument, NULL, 'A'},
        {"recursive", no_argument, NULL, 'r'},
        {"resampler", required_argument, NULL, 'S'},
        {"force", no_argument, NULL, 'F'},
        {"dry-run", no_argument, NULL, 'N'},
        {"shard", required_argument, NULL, 'H'},
        {"gain-group", required_argument, NULL, 'g'},
        {"json", no_argument, NULL, 'J'},
        {"crossfeed", required_argument, NULL, 'X'},
        {"format", required_argument, NULL, 'f'},
        {"threads", required_argument, NULL, 't'},
        {"tail", no_argument, NULL, 'T'},
        {"cpu", required_argument, NULL, 'C'},
        {"partition", required_argument, NULL, 'P'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"level", required_argument, NULL, 'L'},
        {"ceiling", required_argument, NULL, 'E'},
        {"level-scope", required_argument, NULL, 'Z'},
        {"memory", required_argument, NULL, 'M'},
        {"report", required_argument, NULL, 'R'},
        {"translation", required_argument, NULL, 'Y'},
        {"page", no_argument, NULL, 'W'},
        {"flac-level", required_argument, NULL, 'K'},
        {NULL, 0, NULL, 0},
    };
    long v;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:p:f:t:rqvh", longs, NULL)) != -1) {
        switch (c) {
        case 'D':
            o->profiles_dir = optarg;
            break;
        case 'O':
            o->on = optarg;
            break;
        case 'G':
            o->target = optarg;
            break;
        case 'K':
            if (!parse_int(optarg, 0, 8, &v))
                return usage_error("--flac-level takes a compression level from 0 to 8, not "
                                   "'%s'",
                                   optarg);
            o->flac_level = (int)v;
            break;
        case 'A':
            if (!parse_int(optarg, 8000, 384000, &v))
                return usage_error("--rate takes a rate from 8000 to 384000 Hz, not '%s'", optarg);
            o->rate_hz = (double)v;
            o->out_rate_hz = (double)v;
            break;
        case 'r':
            o->is_recursive = true;
            break;
        case 'S':
            if (cansim_resampler_from_name(optarg, &o->resampler))
                return usage_error("--resampler takes best, medium or fast, not '%s'", optarg);
            break;
        case 'F':
            o->is_force = true;
            break;
        case 'g':
            if (!strcmp(optarg, "auto"))
                o->gain_group = GAIN_GROUP_AUTO;
            else if (!strcmp(optarg, "dir"))
                o->gain_group = GAIN_GROUP_DIR;
            else if (!strcmp(optarg, "none"))
                o->gain_group = GAIN_GROUP_NONE;
            else if (!strcmp(optarg, "all"))
                o->gain_group = GAIN_GROUP_ALL;
            else
                return usage_error("--gain-group takes auto, dir, none or all, not '%s'", optarg);
            break;
        case 'N':
            o->is_dry_run = true;
            break;
        case 'H':
            if (shard_parse(optarg, &o->shard_i, &o->shard_n, &o->is_shard_auto))
                return usage_error("--shard takes I/N with 1 <= I <= N, auto or auto/N, not "
                                   "'%s'",
                                   optarg);
            break;
        case 'J':
            o->is_json = true;
            break;
        case 'W':
            o->has_page = true;
            break;
        case 'X': {
            CansimDiag diag;
            if (cansim_crossfeed_parse(optarg, &o->crossfeed, &diag))
                return usage_error("%s", diag.msg);
            break;
        }
        case 'o':
            if (o->output_dir)
                return usage_error("-o given twice ('%s', then '%s')", o->output_dir, optarg);
            /* "out/" is "out": the paths made from it carry no "//". */
            for (size_t k = strlen(optarg); k > 1 && optarg[k - 1] == '/'; k--)
                optarg[k - 1] = '\0';
            o->output_dir = optarg;
            break;
        case 'p':
            o->profiles = optarg;
            break;
        case 'f':
            if (cansim_format_from_name(optarg, &o->format))
                return usage_error("unknown format '%s'", optarg);
            break;
        case 't':
            /* Any count is taken; more than the job's CPUs is capped to them (threads.h). */
            if (!parse_int(optarg, 1, 1000000000, &v))
                return usage_error("--threads takes a number of threads (1 or more), not '%s'",
                                   optarg);
            o->n_threads = (int)v;
            break;
        case 'T':
            o->has_tail = true;
            break;
        case 'C':
            o->cpu = optarg;
            break;
        case 'P':
            if (!parse_int(optarg, 64, 65536, &v) || (v & (v - 1)))
                return usage_error("--partition takes a power of two in 64..65536, not '%s'",
                                   optarg);
            o->partition_frames = (size_t)v;
            break;
        case 'L': {
            char *end;
            if (!strcmp(optarg, "match")) {
                o->level_mode = CANSIM_LEVEL_MATCH;
            } else if (!strcmp(optarg, "off")) {
                o->level_mode = CANSIM_LEVEL_OFF;
            } else {
                errno = 0;
                const double x = strtod(optarg, &end);
                if (errno || end == optarg || *end || !(x >= -70.0 && x <= 0.0))
                    return usage_error("--level takes match, off or a loudness from -70 to 0 "
                                       "LUFS, not '%s'",
                                       optarg);
                o->level_mode = CANSIM_LEVEL_TARGET;
                o->level_lufs = x;
            }
            break;
        }
        case 'Y':
            if (strcmp(optarg, "on") && strcmp(optarg, "off"))
                return usage_error("--translation takes on or off, not '%s'", optarg);
            o->has_translation = !strcmp(optarg, "on");
            break;
        case 'E': {
            char *end;
            if (!strcmp(optarg, "off")) {
                o->has_ceiling = false;
                break;
            }
            errno = 0;
            const double x = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(x >= -20.0 && x <= 0.0))
                return usage_error("--ceiling takes off or a true peak from -20 to 0 dBTP, not "
                                   "'%s'",
                                   optarg);
            o->has_ceiling = true;
            o->ceiling_dbtp = x;
            break;
        }
        case 'Z':
            if (!strcmp(optarg, "drawer"))
                o->level_scope = CANSIM_LEVEL_SCOPE_DRAWER;
            else if (!strcmp(optarg, "profile"))
                o->level_scope = CANSIM_LEVEL_SCOPE_PROFILE;
            else
                return usage_error("--level-scope takes drawer or profile, not '%s'", optarg);
            break;
        case 'M': {
            char *end;
            errno = 0;
            const double x = strtod(optarg, &end);
            const double unit = !strcmp(end, "G")   ? 1073741824.0
                                : !strcmp(end, "M") ? 1048576.0
                                : !*end             ? 1.0
                                                    : 0.0;
            if (errno || end == optarg || unit == 0.0 || !(x >= 0.0 && x * unit < 0x1p62))
                return usage_error("--memory takes a size in bytes, or with M or G, not '%s'",
                                   optarg);
            o->memory_bytes = (size_t)(x * unit);
            o->has_memory = true;
            break;
        }
        case 'R':
            o->report = optarg;
            break;
        case 'q':
            o->verbosity = 0;
            break;
        case 'v':
            o->verbosity = 2;
            break;
        case 'h':
            print_help();
            return -1;
        /* A short option inside a cluster (-qx) is optopt; argv[optind - 1] is the cluster. */
        case ':':
            if (optopt > 0 && optopt < 128 && strncmp(argv[optind - 1], "--", 2))
                return usage_error("option '-%c' needs a value", optopt);
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            if (optopt > 0 && optopt < 128 && strncmp(argv[optind - 1], "--", 2))
                return usage_error("unknown option '-%c'", optopt);
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    o->inputs = argv + optind;
    o->n_inputs = argc - optind;
    return EXIT_OK;
}

/* SPDX-License-Identifier: MIT */
/* The cansim command: parses arguments, loads profiles, renders inputs, turns failures into
 * one-line messages and exit codes (0 all done, 1 some inputs failed, 2 usage). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cansim/cansim.h>

enum { EXIT_OK = 0, EXIT_PARTIAL = 1, EXIT_USAGE = 2 };

typedef struct Options {
    const char *output_dir;
    const char *profiles;
    const char *cpu;
    CansimFormat format;
    int n_threads;
    size_t partition_frames;
    bool has_tail;
    int verbosity; /* 0 quiet, 1 normal, 2 verbose */
    char **inputs;
    int n_inputs;
} Options;

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("cansim: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'cansim --help'.\n", stderr);
    return EXIT_USAGE;
}

static void print_help(void)
{
    fputs(
        "cansim renders a mix through a drawer of headphone profiles at once.\n"
        "\n"
        "Usage: cansim render INPUT... -o DIR -p PROFILE[,PROFILE...] [options]\n"
        "       cansim --help | --version\n"
        "\n"
        "Writes DIR/<input name>/<profile id>.<ext> for every input and profile: the input\n"
        "filtered by the profile's 2x2 matrix, sample-aligned, same length and rate, stereo.\n"
        "A PROFILE is an impulse-response audio file: 1 channel (same filter on both sides),\n"
        "2 channels (L->L, R->R) or 4 channels (L->L, L->R, R->L, R->R).\n"
        "\n"
        "Output:\n"
        "  -o, --output DIR       where the renders go (created if missing)   [required]\n"
        "  -f, --format F         same|wav16|wav24|wav32f|flac16|flac24         [default: same]\n"
        "      --tail             keep the filter's tail (n_taps - 1 more frames) [default: cut]\n"
        "\n"
        "Profiles:\n"
        "  -p, --profiles LIST    comma-separated impulse-response files        [required]\n"
        "\n"
        "Engine:\n"
        "  -t, --threads N        worker threads                        [default: all cores]\n"
        "      --cpu LEVEL        auto|c|avx2|avx512: cap the SIMD kernels     [default: auto]\n"
        "      --partition N      partition size in frames, a power of two in 64..65536\n"
        "                         [default: chosen by the cost model]\n"
        "\n"
        "Messages:\n"
        "  -q, --quiet            only errors\n"
        "  -v, --verbose          one line per output, and the engine's choices\n"
        "  -h, --help             this help\n"
        "  -V, --version          versions of cansim, its libraries, and the CPU level\n"
        "\n"
        "Environment:\n"
        "  CANSIM_CPU             as --cpu, which takes precedence\n"
        "  OMP_NUM_THREADS        as --threads, which takes precedence\n"
        "\n"
        "Exit status: 0 all outputs written, 1 some inputs or outputs failed (the rest were\n"
        "written), 2 usage error.\n",
        stdout);
}

static void print_version(void)
{
    char deps[512];
    cansim_dependency_versions(deps, sizeof deps);
    printf("cansim %s\n%s\ncpu: %s\n", cansim_version(), deps,
           cansim_cpu_name(cansim_cpu_flags()));
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

static int parse_render(int argc, char **argv, Options *o)
{
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'},
        {"profiles", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},
        {"threads", required_argument, NULL, 't'},
        {"tail", no_argument, NULL, 'T'},
        {"cpu", required_argument, NULL, 'C'},
        {"partition", required_argument, NULL, 'P'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    long v;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:p:f:t:qvh", longs, NULL)) != -1) {
        switch (c) {
        case 'o':
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
            if (!parse_int(optarg, 1, 1024, &v))
                return usage_error("--threads takes a number from 1 to 1024, not '%s'", optarg);
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
        case 'q':
            o->verbosity = 0;
            break;
        case 'v':
            o->verbosity = 2;
            break;
        case 'h':
            print_help();
            return -1;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    o->inputs = argv + optind;
    o->n_inputs = argc - optind;
    if (o->n_inputs == 0)
        return usage_error("%s", "no input given");
    if (!o->output_dir)
        return usage_error("%s", "no output directory given (-o DIR)");
    if (!o->profiles || !*o->profiles)
        return usage_error("%s", "no profiles given (-p PROFILE[,PROFILE...])");
    return EXIT_OK;
}

typedef struct Progress {
    const char *input;
    bool is_tty;
    double t0;
    int64_t last_shown;
} Progress;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void show_progress(void *user, int64_t n_done, int64_t n_total)
{
    Progress *p = user;
    if (!p->is_tty || n_total <= 0 || n_done - p->last_shown < n_total / 200)
        return;
    p->last_shown = n_done;
    fprintf(stderr, "\r\033[K%s: %3d%%", p->input, (int)(100 * n_done / n_total));
}

/* Splits LIST at commas and loads each profile; a failure is reported and ends the run. */
static int load_profiles(const char *list, CansimProfile ***out, size_t *n_out)
{
    char *copy = strdup(list);
    size_t cap = 1;
    for (const char *c = list; *c; c++)
        cap += *c == ',';
    CansimProfile **ps = calloc(cap, sizeof *ps);
    if (!copy || !ps) {
        free(copy);
        free(ps);
        fputs("cansim: out of memory\n", stderr);
        return EXIT_PARTIAL;
    }
    size_t n = 0;
    int rc = EXIT_OK;
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        CansimDiag d;
        if (cansim_profile_load_ir(&ps[n], tok, &d)) {
            fprintf(stderr, "cansim: %s\n", d.msg);
            rc = EXIT_USAGE;
            break;
        }
        n++;
    }
    free(copy);
    if (!rc && n == 0)
        rc = usage_error("%s", "no profiles given (-p PROFILE[,PROFILE...])");
    *out = ps;
    *n_out = n;
    return rc;
}

static int cmd_render(int argc, char **argv)
{
    Options o = {.format = CANSIM_FORMAT_SAME, .verbosity = 1};
    int rc = parse_render(argc, argv, &o);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    const char *cpu = o.cpu ? o.cpu : getenv("CANSIM_CPU");
    unsigned cpu_mask = ~0u;
    if (cpu && cansim_cpu_mask_from_name(cpu, &cpu_mask))
        return usage_error("unknown CPU level '%s' (auto, c, avx2, avx512)", cpu);

    CansimProfile **profiles = NULL;
    size_t n_profiles = 0;
    CansimRender *r = NULL;
    CansimOutputResult *results = NULL;
    rc = load_profiles(o.profiles, &profiles, &n_profiles);
    if (rc)
        goto done;

    Progress prog = {.is_tty = o.verbosity > 0 && isatty(STDERR_FILENO)};
    CansimRenderConfig cfg = cansim_render_default_config();
    cfg.profiles = (const CansimProfile *const *)profiles;
    cfg.n_profiles = n_profiles;
    cfg.cpu_mask = cpu_mask;
    cfg.n_threads = o.n_threads;
    cfg.partition_frames = o.partition_frames;
    cfg.has_tail = o.has_tail;
    cfg.format = o.format;
    cfg.progress = show_progress;
    cfg.progress_user = &prog;
    CansimDiag d;
    if (cansim_render_open(&r, &cfg, &d)) {
        fprintf(stderr, "cansim: %s\n", d.msg);
        rc = EXIT_USAGE;
        goto done;
    }
    if (o.verbosity >= 2)
        fprintf(stderr, "cansim: %zu profiles, partition %zu frames, kernels %s\n", n_profiles,
                cansim_render_partition_frames(r), cansim_cpu_name(cansim_render_cpu_flags(r)));
    results = calloc(n_profiles, sizeof *results);
    if (!results) {
        fputs("cansim: out of memory\n", stderr);
        rc = EXIT_PARTIAL;
        goto done;
    }
    int n_failed = 0, n_written = 0;
    const double t0 = now_s();
    for (int i = 0; i < o.n_inputs; i++) {
        prog.input = o.inputs[i];
        prog.last_shown = 0;
        const int e = cansim_render_file(r, o.inputs[i], o.output_dir, results, &d);
        if (prog.is_tty)
            fputs("\r\033[K", stderr);
        if (e && d.msg[0]) {
            /* The input itself failed: one line, whatever the number of profiles. */
            fprintf(stderr, "cansim: %s\n", d.msg);
            n_failed++;
            continue;
        }
        for (size_t j = 0; j < n_profiles; j++) {
            if (results[j].status) {
                fprintf(stderr, "cansim: %s\n", results[j].diag.msg);
                n_failed++;
            } else {
                n_written++;
                if (o.verbosity >= 2)
                    fprintf(stderr, "cansim: wrote %s (%" PRId64 " frames)\n", results[j].path,
                            results[j].n_frames);
            }
        }
    }
    if (o.verbosity >= 1)
        fprintf(stderr, "cansim: %d output%s written, %d failed, %.2f s\n", n_written,
                n_written == 1 ? "" : "s", n_failed, now_s() - t0);
    rc = n_failed ? EXIT_PARTIAL : EXIT_OK;
done:
    free(results);
    cansim_render_close(&r);
    for (size_t j = 0; j < n_profiles; j++)
        cansim_profile_close(&profiles[j]);
    free(profiles);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("%s", "no command given (render)");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        print_help();
        return EXIT_OK;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        print_version();
        return EXIT_OK;
    }
    if (!strcmp(cmd, "render"))
        return cmd_render(argc - 1, argv + 1);
    return usage_error("unknown command '%s'", cmd);
}

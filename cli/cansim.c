/* SPDX-License-Identifier: MIT */
/* The cansim command: parses arguments, loads profiles, renders inputs, turns failures into
 * one-line messages and exit codes (0 all done, 1 some inputs failed, 2 usage). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sndfile.h>

#include "cli.h"
#include "translation_report.h" /* translation */
#include "outputs.h"
#include "page.h"
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

static void print_help(void)
{
    fputs("cansim renders a mix through a drawer of headphone profiles at once.\n"
          "\n"
          "Usage: cansim render INPUT... -o DIR [-p PROFILES] [options]\n"
          "       cansim status INPUT... -o DIR [the same options] [--report FILE] [--page]\n"
          "       cansim profiles [--json] [--profiles-dir DIR]\n"
          "       cansim design PROFILE -o OUT.wav|.w64|.rf64|.caf|.aiff [--rate HZ] [--target T]\n"
          "                     [--on P]\n"
          "       cansim --help | --version\n"
          "\n"
          "render writes DIR/<relative path>/<profile id>.<ext> for every input and profile: the\n"
          "input through the profile's 2x2 filter matrix, sample-aligned, same length and rate,\n"
          "stereo. An INPUT may be a folder (-r: with its subfolders); outputs mirror the inputs'\n"
          "tree below their common folder (mix.wav -> DIR/mix/, stems/a/kick.wav -> DIR/a/kick/).\n"
          "Each input's folder keeps a manifest: a rerun renders only what is missing or stale.\n"
          "design writes a profile's filter as an impulse-response WAV (float; 2 channels\n"
          "L->L, R->R, or 4 with cross paths) for other convolvers.\n"
          "\n"
          "Profiles:\n"
          "  -p, --profiles LIST    comma list of: tags (all, open, closed, in-ear, earbud, tws,\n"
          "                         iem, loudspeakers); a profile id or a unique part of one\n"
          "                         (hd-650); a file: profile .ini, AutoEq measurement .csv, or\n"
          "                         impulse-response audio (a path with commas that exists as\n"
          "                         given is one item)                             [default: all]\n"
          "      --on PROFILE       the headphone you listen on: its coloration is removed\n"
          "      --target T         the neutral reference: harman, diffuse-field, or a CSV file\n"
          "                                                                  [default: harman]\n"
          "      --crossfeed C      bs2b (700 Hz, 4.5 dB), cmoy (700 Hz, 6 dB), jmeier (650 Hz,\n"
          "                         9.5 dB), HZ:DB (300-2000 Hz, 1-15 dB), or off: for every\n"
          "                         profile                   [default: what each profile says]\n"
          "      --profiles-dir DIR the bundled profiles     [default: installed or source tree]\n"
          "\n",
          stdout);
    fputs(
        "Output:\n"
        "  -o, --output DIR       render: where the renders go (created); design: the file\n"
        "  -f, --format F         same|wav16|wav24|wav32f|flac16|flac24|aiff16|aiff24\n"
        "                         same: the input's; flac24 for a lossy input (MP3, Ogg)\n"
        "                         (wav24 past FLAC's rates), wav for RF64\n"
        "                         (16-bit: TPDF dither)                       [default: same]\n"
        "      --tail             keep the filter's tail (n_taps - 1 more frames) [default: cut]\n"
        "      --level L          match (each output at the input's integrated loudness), off\n"
        "                         (the filter's own gain), or a target in LUFS, -70..0\n"
        "                                                                 [default: match]\n"
        "      --ceiling C        true-peak ceiling of integer and FLAC outputs in dBTP, -20..0,\n"
        "                         or off; float outputs stay at or under 0 dBFS unless off\n"
        "                                                                    [default: -1]\n"
        "      --page             also write DIR/<input>/index.html: an offline audition page\n"
        "                         to switch between the renders while the mix plays\n"
        "      --report FILE      the render report (JSON), or auto: DIR/<input>/report.json\n"
        "                                                                  [default: auto]\n"
        "      --rate HZ          render: convert every output to HZ (libsamplerate) [default:\n"
        "                         each input's rate]; design: the filter's rate [48000]\n"
        "      --resampler R      best, medium or fast (libsamplerate's sinc converters)\n"
        "                                                                   [default: best]\n"
        "\n",
        stdout);
    fputs("Batches:\n"
          "  -r, --recursive        search folders given as INPUT in their subfolders too\n"
          "      --force            render everything again, up to date or not, and replace\n"
          "                         files in DIR that cansim did not write (never an input)\n"
          "      --dry-run          print what would be rendered and why; write nothing\n"
          "      --shard I/N        render only shard I of N (gain groups, or inputs when each is\n"
          "                         its own, dealt by a hash of their path), so N machines can\n"
          "                         share one DIR; auto: I and N from the job array (SLURM, AWS\n"
          "                         Batch, GitLab); auto/N: N given (a Kubernetes Indexed Job)\n"
          "      --gain-group G     dir: the inputs found in one folder share one gain per\n"
          "                         profile (a song's stems stay summable; the ceiling lowers\n"
          "                         them all), and an input named on its own is its own group;\n"
          "                         none: each input its own; all: the whole batch one group\n"
          "                                                                    [default: dir]\n"
          "\n",
          stdout);
    fputs("status plans the batch as render would and renders nothing: it lists the outputs\n"
          "missing or stale per input (with the shard to run again, under --shard), and exits 0\n"
          "only when the whole batch is complete; --json: one JSON document. Then --report FILE\n"
          "writes the run's report and --page the pages missing (the job after a job array).\n"
          "\n",
          stdout);
    fputs("Engine:\n"
          "  -t, --threads N        worker threads, at most the CPUs the process may use\n"
          "                         [default: those CPUs: the affinity mask, the cgroup's CPU\n"
          "                         quota and SLURM_CPUS_PER_TASK, whichever is least]\n"
          "      --cpu LEVEL        cap the SIMD kernels: auto|c|avx2|avx512 on x86, auto|c|neon\n"
          "                         on Arm (a level the CPU lacks caps at what it has)\n"
          "                                                                   [default: auto]\n"
          "      --partition N      partition size in frames, a power of two in 64..65536\n"
          "                         [default: chosen by the cost model]\n"
          "\n"
          "Messages:\n"
          "  -q, --quiet            only errors\n"
          "  -v, --verbose          one line per output, and the engine's choices\n"
          "      --json             profiles: a JSON list instead of the table; render: JSON\n"
          "                         lines on stdout (progress, one per input, a summary)\n"
          "  -h, --help             this help\n"
          "  -V, --version          versions of cansim, its libraries, and the CPU level\n"
          "\n"
          "Environment:\n"
          "  CANSIM_CPU             as --cpu, which takes precedence\n"
          "  CANSIM_PROFILES_DIR    as --profiles-dir, which takes precedence\n"
          "  OMP_NUM_THREADS        as --threads (capped alike), which takes precedence\n"
          "  SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX, CI_NODE_INDEX\n"
          "                         the job array's task, for --shard auto (docs/schedulers.md)\n"
          "\n"
          "Exit status: 0 all outputs written, 1 some inputs or outputs failed (the rest were\n"
          "written), 2 usage error, 130/143 stopped by SIGINT/SIGTERM (rerun to continue).\n",
          stdout);
}

static void print_version(void)
{
    char deps[512];
    cansim_dependency_versions(deps, sizeof deps);
    printf("cansim %s\n%s\ncpu: %s\n", cansim_version(), deps, cansim_cpu_name(cansim_cpu_flags()));
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
        {"report", required_argument, NULL, 'R'},
        {"page", no_argument, NULL, 'W'},
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
            if (!strcmp(optarg, "dir"))
                o->gain_group = GAIN_GROUP_DIR;
            else if (!strcmp(optarg, "none"))
                o->gain_group = GAIN_GROUP_NONE;
            else if (!strcmp(optarg, "all"))
                o->gain_group = GAIN_GROUP_ALL;
            else
                return usage_error("--gain-group takes dir, none or all, not '%s'", optarg);
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

/* The drawer, the selection and the design options every command shares. */
int check_targets(const Drawer *d, const CansimDesignConfig *design)
{
    /* A bad --target should stop the run before any rendering: design one profile of the GRAS
     * rig (every target exists for it) now, a selected one when there is one, so the message
     * names a profile the user asked for. A target that only another rig lacks fails those
     * profiles' renders instead. */
    if (!design->target)
        return EXIT_OK;
    const CansimProfile *probe_of = NULL;
    for (size_t pass = 0; pass < 2 && !probe_of; pass++) {
        const CansimProfile *const *list =
            pass ? (const CansimProfile *const *)d->all : d->selected;
        const size_t n = pass ? d->n_bundled : d->n_selected;
        for (size_t i = 0; i < n && !probe_of; i++) {
            CansimProfileInfo info;
            cansim_profile_info(list[i], &info);
            if (info.is_curve && !info.has_hrtf && !strcmp(info.rig, "gras"))
                probe_of = list[i];
        }
    }
    CansimProfile *probe = NULL;
    CansimDiag diag;
    if (probe_of && cansim_profile_design(&probe, probe_of, design, 48000, &diag)) {
        fprintf(stderr, "cansim: %s\n", diag.msg);
        return EXIT_USAGE;
    }
    cansim_profile_close(&probe);
    return EXIT_OK;
}

int open_drawer(const Options *o, Drawer *d, CansimDesignConfig *design)
{
    int rc = drawer_open(d, o->profiles_dir);
    if (rc)
        return rc;
    *design = cansim_design_default_config();
    design->targets_dir = d->targets_dir;
    design->crossfeed = o->crossfeed;
    if (o->target)
        design->target = o->target;
    if (o->on) {
        rc = drawer_find(d, o->on, &design->on);
        if (rc)
            return rc;
        CansimProfileInfo info;
        cansim_profile_info(design->on, &info);
        if (!info.is_curve) {
            fprintf(stderr,
                    "cansim: %s: --on needs a measured headphone, not an impulse response\n",
                    o->on);
            return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

/* The render report (JSON), one object per input:
 *   input          path of the input
 *   input_lufs     its integrated loudness, LUFS (libebur128; mono counted as dual mono);
 *                  null below the -70 LUFS gate
 *   level          "match", "off" or "target";  target_lufs: the level aimed at, or null
 *   ceiling_dbtp   the true-peak ceiling of integer and FLAC outputs, or null (--ceiling off)
 *   notices        list of sentences (e.g. the input is below the gate)
 *   outputs        one object per profile:
 *     profile, file, format ("wav16" ... "aiff24")
 *     loudness_lufs      integrated loudness of the output, LUFS
 *     loudness_source    "measured" (libebur128 on the output: integer and FLAC outputs,
 *                        and float outputs through long filters) or "predicted" (from the
 *                        input's spectra: float outputs through headphone-length filters)
 *     true_peak_dbtp     true peak, dBTP (integer and FLAC outputs; else null)
 *     sample_peak_dbfs   sample peak, dBFS (float outputs; else null)
 *     gain_db            gain applied on top of the profile's filter, dB
 *     correction_db      the part of gain_db set after measuring the output, dB
 *     limited_by_ceiling true when the gain was lowered to hold the ceiling
 *     dithered           true for 16-bit outputs (TPDF, +-1 LSB)
 *     status             "ok", "limited" (held by the ceiling, so under the target) or "failed"
 *     error              the failure's message, or null
 * Values that are -inf (silence) are null. The whole run (--report FILE, --json) is
 * {"cansim": version, "inputs": [ ... ]}. */
static json_t *num(double v)
{
    if (!isfinite(v))
        return json_null();
    return json_real((double)(long long)(v * 100.0 + (v < 0 ? -0.5 : 0.5)) / 100.0);
}

json_t *input_report(const Options *o, const char *input, const CansimProfile *const *p,
                     const CansimOutputResult *res, size_t n)
{
    static const char *const modes[] = {"off", "match", "target"};
    json_t *in = json_object();
    json_t *notices = json_array();
    json_t *outs = json_array();
    /* The input's facts come with every rendered output; kept ones carry none. */
    const CansimOutputResult *first = n ? &res[0] : NULL;
    for (size_t j = 0; j < n && first->is_skipped; j++)
        first = &res[j];
    json_object_set_new(in, "input", json_string(input));
    json_object_set_new(in, "input_lufs", num(first ? first->input_lufs : (double)NAN));
    json_object_set_new(in, "level", json_string(modes[o->level_mode]));
    json_object_set_new(in, "target_lufs", num(first ? first->target_lufs : (double)NAN));
    json_object_set_new(in, "ceiling_dbtp", o->has_ceiling ? num(o->ceiling_dbtp) : json_null());
    if (first && first->is_below_gate)
        json_array_append_new(notices, json_string("input is below the -70 LUFS gate: rendered "
                                                   "at the filter's own gain"));
    for (size_t j = 0; j < n; j++) {
        const CansimOutputResult *r = &res[j];
        json_t *x = json_object();
        json_object_set_new(x, "profile", json_string(cansim_profile_id(p[j])));
        json_object_set_new(x, "file", json_string(r->path));
        json_object_set_new(x, "format", json_string(r->format));
        json_object_set_new(x, "loudness_lufs", num(r->status ? (double)NAN : r->loudness_lufs));
        /* Neither measured nor predicted (--level off on float outputs): no source. */
        json_object_set_new(x, "loudness_source",
                            r->is_measured               ? json_string("measured")
                            : isfinite(r->loudness_lufs) ? json_string("predicted")
                                                         : json_null());
        json_object_set_new(x, "true_peak_dbtp", r->is_true_peak ? num(r->peak_db) : json_null());
        json_object_set_new(x, "sample_peak_dbfs",
                            !r->is_true_peak && !r->status ? num(r->peak_db) : json_null());
        json_object_set_new(x, "gain_db", num(r->gain_db));
        json_object_set_new(x, "correction_db", num(r->correction_db));
        json_object_set_new(x, "limited_by_ceiling", json_boolean(r->is_limited));
        json_object_set_new(x, "dithered", json_boolean(r->is_dithered));
        /* unmatched: complete, but not at the level asked (the notice says why). */
        const bool is_unmatched = !r->status && r->notice == CANSIM_ELEVEL;
        json_object_set_new(x, "status",
                            json_string(r->status       ? "failed"
                                        : is_unmatched  ? "unmatched"
                                        : r->is_limited ? "limited"
                                                        : "ok"));
        json_object_set_new(x, "error", r->status ? json_string(r->diag.msg) : json_null());
        json_object_set_new(x, "notice", is_unmatched ? json_string(r->diag.msg) : json_null());
        json_object_set_new(x, "translation", translation_entry(r)); /* translation */
        json_array_append_new(outs, x);
    }
    json_object_set_new(in, "notices", notices);
    json_object_set_new(in, "outputs", outs);
    translation_section(in); /* translation */
    return in;
}

static void print_db(double v, const char *unit)
{
    if (isfinite(v))
        fprintf(stderr, " %7.2f %s", v, unit);
    else
        fprintf(stderr, "    -inf %s", unit);
}

/* A gain as the summary shows it: no "-0.00"; a ceiling's cut under 0.005 dB gets the decimals
 * it needs, so "limited" never stands beside a gain of zero. */
static void print_gain(double gain_db, bool is_limited)
{
    const double r = round(gain_db * 100.0) / 100.0;
    int digits = 2;
    while (is_limited && digits < 9 && gain_db != 0.0 && fabs(gain_db) < 0.5 * pow(10.0, -digits))
        digits++;
    if (digits > 2)
        fprintf(stderr, "  gain %+.*f dB", digits, gain_db);
    else
        fprintf(stderr, "  gain %+6.2f dB", r + 0.0);
}

/* An output kept from an earlier run: what its report entry (from the manifest) says. */
static void print_kept(const CansimProfile *p, const json_t *e)
{
    const char *format = json_string_value(json_object_get(e, "format"));
    fprintf(stderr, "  %-36s %-7s", cansim_profile_id(p), format ? format : "");
    const json_t *lufs = json_object_get(e, "loudness_lufs");
    const json_t *tp = json_object_get(e, "true_peak_dbtp");
    const json_t *sp = json_object_get(e, "sample_peak_dbfs");
    const json_t *gain = json_object_get(e, "gain_db");
    if (!json_is_number(gain)) {
        fputs("  kept (up to date)\n", stderr);
        return;
    }
    print_db(json_is_number(lufs) ? json_number_value(lufs) : -(double)INFINITY, "LUFS");
    if (json_is_number(tp))
        print_db(json_number_value(tp), "dBTP");
    else
        print_db(json_is_number(sp) ? json_number_value(sp) : -(double)INFINITY, "dBFS");
    print_gain(json_number_value(gain), json_is_true(json_object_get(e, "limited_by_ceiling")));
    fputs(" (kept, up to date)\n", stderr);
}

/* The readable summary: one line per output. */
void print_summary(const char *input, const CansimProfile *const *p, const CansimOutputResult *res,
                   size_t n, const json_t *outs)
{
    if (!n)
        return;
    /* Found among the rendered outputs: kept ones carry no levels. */
    const CansimOutputResult *first = &res[0];
    for (size_t j = 0; j < n && first->is_skipped; j++)
        first = &res[j];
    const bool is_measured_input =
        isfinite(first->input_lufs) || first->is_below_gate || !isnan(first->target_lufs);
    fprintf(stderr, "%s: input", input);
    if (first->is_skipped)
        fputs(" (every output kept)", stderr);
    else if (is_measured_input)
        print_db(first->input_lufs, "LUFS");
    else
        fputs(" loudness not measured (--level off)", stderr);
    fputc('\n', stderr);
    if (first->is_below_gate)
        fprintf(stderr,
                "  note - %s is below the -70 LUFS gate: rendered at the filter's own "
                "gain\n",
                input);
    /* By group, each under its title when there is more than one. */
    unsigned groups = 0;
    for (size_t j = 0; j < n; j++)
        groups |= res[j].status ? 0u : 1u << profile_group(p[j]);
    const bool has_titles = (groups & (groups - 1)) != 0;
    for (size_t k = 0; k < (size_t)N_GROUPS * n; k++) {
        const size_t j = k % n;
        const int g = (int)(k / n);
        const CansimOutputResult *r = &res[j];
        if (profile_group(p[j]) != g || r->status)
            continue;
        if (has_titles && (groups & (1u << g))) {
            fprintf(stderr, "  %s:\n", group_title(g));
            groups &= ~(1u << g);
        }
        if (r->is_skipped) {
            print_kept(p[j], json_array_get(outs, j));
            continue;
        }
        fprintf(stderr, "  %-36s %-7s", cansim_profile_id(p[j]), r->format);
        const bool has_loudness = r->is_measured || isfinite(r->loudness_lufs);
        if (has_loudness)
            print_db(r->loudness_lufs, "LUFS");
        else
            fputs("       - LUFS", stderr);
        print_db(r->peak_db, r->is_true_peak ? "dBTP" : "dBFS");
        print_gain(r->gain_db, r->is_limited);
        fprintf(stderr, "%s%s\n",
                !has_loudness    ? " (loudness not measured)"
                : r->is_measured ? ""
                                 : " (loudness predicted)",
                r->is_limited ? " (limited by the ceiling)" : "");
        if (r->notice == CANSIM_ELEVEL)
            fprintf(stderr, "  note - %s: %s\n", cansim_profile_id(p[j]), r->diag.msg);
    }
}

static int cmd_profiles(int argc, char **argv)
{
    Options o = {.verbosity = 1};
    int rc = parse_options(argc, argv, &o);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    if (o.n_inputs)
        return usage_error("unexpected argument '%s'", o.inputs[0]);
    Drawer d;
    CansimDesignConfig design;
    if ((rc = open_drawer(&o, &d, &design)) ||
        (rc = drawer_select(&d, o.profiles ? o.profiles : "all")) ||
        (rc = check_targets(&d, &design))) {
        drawer_close(&d);
        return rc;
    }
    json_t *list = o.is_json ? json_array() : NULL;
    if (!o.is_json)
        printf("%-36s %-36s %-8s %-7s %-16s %s\n", "ID", "NAME", "GROUP", "RIG", "TAGS", "SOURCE");
    /* By group (open, closed, in-ear, speakers, other), by id within each. */
    for (int g = 0; g < N_GROUPS; g++)
        for (size_t i = 0; i < d.n_selected; i++) {
            if (profile_group(d.selected[i]) != g)
                continue;
            CansimProfileInfo info;
            cansim_profile_info(d.selected[i], &info);
            if (!o.is_json) {
                printf("%-36s %-36s %-8s %-7s %-16s %.*s\n", info.id, info.name, group_name(g),
                       info.rig,
                       info.tags[0]   ? info.tags
                       : info.form[0] ? info.form
                                      : "-",
                       (int)strcspn(info.source, ";"), info.source);
                continue;
            }
            json_array_append_new(
                list,
                json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id", info.id,
                          "name", info.name, "group", group_name(g), "back", info.back, "form",
                          info.form, "rig", info.rig, "tags", info.tags, "source", info.source,
                          "credit", info.credit, "notes", info.notes, "hrtf", info.has_hrtf));
        }
    if (list) {
        char *text = json_dumps(list, JSON_INDENT(2) | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(6));
        if (text)
            puts(text);
        else
            rc = EXIT_PARTIAL;
        free(text);
        json_decref(list);
    }
    drawer_close(&d);
    return rc;
}

/* The container design writes, by the output's extension, always 32-bit float: a filter's taps
 * pass full scale, so FLAC (integers only) and the rest are refused (0). */
static int ir_format(const char *path)
{
    static const struct {
        const char *ext;
        int format;
    } known[] = {
        {"wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT},   {"wave", SF_FORMAT_WAV | SF_FORMAT_FLOAT},
        {"w64", SF_FORMAT_W64 | SF_FORMAT_FLOAT},   {"rf64", SF_FORMAT_RF64 | SF_FORMAT_FLOAT},
        {"caf", SF_FORMAT_CAF | SF_FORMAT_FLOAT},   {"aif", SF_FORMAT_AIFF | SF_FORMAT_FLOAT},
        {"aiff", SF_FORMAT_AIFF | SF_FORMAT_FLOAT},
    };
    const char *base = strrchr(path, '/');
    const char *dot = strrchr(base ? base + 1 : path, '.');
    for (size_t i = 0; dot && i < sizeof known / sizeof *known; i++)
        if (!strcasecmp(dot + 1, known[i].ext))
            return known[i].format;
    return 0;
}

/* Writes a designed profile (see ir_format()): 2 channels (L->L, R->R) without cross paths,
 * else 4 (L->L, L->R, R->L, R->R), the IR-file layout cansim itself reads. */
static int write_ir(const CansimProfile *p, const char *path, int format)
{
    const size_t n = cansim_profile_n_taps(p);
    const float *cells[4];
    for (int c = 0; c < 4; c++)
        cells[c] = cansim_profile_taps(p, c);
    const bool has_cross = cells[CANSIM_CELL_LR] || cells[CANSIM_CELL_RL];
    const int n_ch = has_cross ? 4 : 2;
    const int map2[2] = {CANSIM_CELL_LL, CANSIM_CELL_RR};
    float *buf = calloc(n * (size_t)n_ch, sizeof *buf);
    char part[4200];
    for (size_t i = 0; buf && i < n; i++)
        for (int ch = 0; ch < n_ch; ch++) {
            const float *cell = cells[has_cross ? ch : map2[ch]];
            buf[i * (size_t)n_ch + (size_t)ch] = cell ? cell[i] : 0.0f;
        }
    SF_INFO info = {.samplerate = (int)cansim_profile_rate(p), .channels = n_ch, .format = format};
    const int fd = buf ? open_unique_part(path, part, sizeof part) : -1;
    SNDFILE *sf = fd >= 0 ? sf_open_fd(fd, SFM_WRITE, &info, 1) : NULL;
    if (!sf) {
        fprintf(stderr, "cansim: %s: %s\n", path,
                !buf     ? "out of memory"
                : fd < 0 ? strerror(errno)
                         : sf_strerror(NULL));
        if (fd >= 0)
            unlink(part);
        free(buf);
        return EXIT_PARTIAL;
    }
    const bool is_ok = sf_writef_float(sf, buf, (sf_count_t)n) == (sf_count_t)n;
    const int ce = sf_close(sf);
    free(buf);
    if (!is_ok || ce || rename(part, path)) {
        fprintf(stderr, "cansim: %s: cannot write the filter\n", path);
        unlink(part);
        return EXIT_PARTIAL;
    }
    return EXIT_OK;
}

static int cmd_design(int argc, char **argv)
{
    Options o = {.verbosity = 1, .rate_hz = 48000};
    int rc = parse_options(argc, argv, &o);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    if (o.n_inputs != 1)
        return usage_error("%s", "design takes one profile");
    if (!o.output_dir)
        return usage_error("%s", "no output file given (-o OUT.wav)");
    const int format = ir_format(o.output_dir);
    if (!format)
        return usage_error("-o %s: design writes 32-bit float .wav, .w64, .rf64, .caf or .aiff "
                           "(chosen by the name; FLAC holds no float taps)",
                           o.output_dir);
    struct stat in_st, out_st;
    if (!stat(o.inputs[0], &in_st) && !stat(o.output_dir, &out_st) &&
        in_st.st_dev == out_st.st_dev && in_st.st_ino == out_st.st_ino)
        return usage_error("-o %s: is the profile %s itself", o.output_dir, o.inputs[0]);
    Drawer d;
    CansimDesignConfig design;
    const CansimProfile *p;
    CansimProfile *fir = NULL;
    CansimDiag diag;
    if ((rc = open_drawer(&o, &d, &design)) || (rc = drawer_find(&d, o.inputs[0], &p)))
        goto done;
    if (cansim_profile_design(&fir, p, &design, o.rate_hz, &diag)) {
        fprintf(stderr, "cansim: %s\n", diag.msg);
        rc = EXIT_PARTIAL;
        goto done;
    }
    rc = write_ir(fir, o.output_dir, format);
    if (!rc && o.verbosity >= 1)
        fprintf(stderr, "cansim: wrote %s (%zu taps at %g Hz)\n", o.output_dir,
                cansim_profile_n_taps(fir), o.rate_hz);
done:
    cansim_profile_close(&fir);
    drawer_close(&d);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("%s", "no command given (render, status, profiles, design)");
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
    if (!strcmp(cmd, "status"))
        return cmd_status(argc - 1, argv + 1);
    if (!strcmp(cmd, "profiles"))
        return cmd_profiles(argc - 1, argv + 1);
    if (!strcmp(cmd, "design"))
        return cmd_design(argc - 1, argv + 1);
    return usage_error("unknown command '%s'", cmd);
}

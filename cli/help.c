/* SPDX-License-Identifier: MIT */
/* What cansim --help and --version print. */
#include <stdio.h>

#include "cli.h"

void print_help(void)
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
        "      --level-scope S    drawer (every render of an input or gain group at the level\n"
        "                         the most limited one reaches under the ceiling: matched to\n"
        "                         each other) or profile (each lowered on its own)\n"
        "                                                              [default: drawer]\n"
        "      --memory SIZE      hold outputs in memory (bytes, or with M or G) until their\n"
        "                         final gain is known; past it, a float file beside them\n"
        "                                                                  [default: 2G]\n"
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

void print_version(void)
{
    char deps[512];
    cansim_dependency_versions(deps, sizeof deps);
    printf("cansim %s\n%s\ncpu: %s\n", cansim_version(), deps, cansim_cpu_name(cansim_cpu_flags()));
}

/* SPDX-License-Identifier: MIT */
/* cansim-bench-render's material: the mix and the random-IR profiles, made once with cansim-synth
 * and reused, and the scratch outputs cleared between runs. */
#define _GNU_SOURCE
#include <errno.h>
#include <sndfile.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "options.h"
#include "program.h"
#include "render_bench.h"

#ifndef CANSIM_SYNTH_PATH
#define CANSIM_SYNTH_PATH "cansim-synth"
#endif

int render_mkdir_p(const char *path)
{
    char buf[4096];
    if (!bench_format(buf, sizeof buf, "%s", path))
        return -1;
    for (char *p = buf + 1;; p++) {
        const char c = *p;
        if (c != '/' && c != '\0')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) && errno != EEXIST)
            return -1;
        *p = c;
        if (c == '\0')
            return 0;
    }
}

static bool file_matches(const char *path, int64_t n_frames, int n_channels, int rate_hz)
{
    SF_INFO info = {0};
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    if (!sf)
        return false;
    sf_close(sf);
    return info.frames == n_frames && info.channels == n_channels && info.samplerate == rate_hz;
}

/* Runs cansim-synth into path.part, then renames, so an interrupted run is never reused. */
static int synth(const char *path, char *const *args)
{
    char part[4096 + 8];
    char *argv[16];
    int n = 0;
    bench_format(part, sizeof part, "%s.part", path);
    argv[n++] = (char *)CANSIM_SYNTH_PATH;
    argv[n++] = args[0];
    argv[n++] = part;
    for (int i = 1; args[i] && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    if (bench_run_program("cansim-bench-render", argv) != 0) {
        fprintf(stderr, "cansim-bench-render: %s failed for %s\n", argv[0], path);
        unlink(part);
        return -1;
    }
    return rename(part, path);
}

static int ensure_mix(const char *path, double seconds, int rate_hz)
{
    if (file_matches(path, (int64_t)(seconds * rate_hz), 2, rate_hz))
        return 0;
    char s[32], r[32];
    bench_format(s, sizeof s, "%g", seconds);
    bench_format(r, sizeof r, "%d", rate_hz);
    fprintf(stderr, "cansim-bench-render: generating %s (%g s)\n", path, seconds);
    char *args[] = {"mix", "--seconds", s, "--rate", r, NULL};
    return synth(path, args);
}

static int ensure_ir(const char *path, int n_taps, int seed, int rate_hz)
{
    if (file_matches(path, n_taps, 4, rate_hz))
        return 0;
    char t[32], sd[32], r[32];
    bench_format(t, sizeof t, "%d", n_taps);
    bench_format(sd, sizeof sd, "%d", seed);
    bench_format(r, sizeof r, "%d", rate_hz);
    char *args[] = {"ir", "--kind", "random", "--taps", t, "--channels",
                    "4",  "--seed", sd,       "--rate", r, NULL};
    return synth(path, args);
}

/* The mix(es) and one 4-channel random IR per profile, seeds 1..n, ids p00..; the outputs go to a
 * per-process directory so that concurrent runs sharing a workdir cannot collide. */
int render_prepare_material(Bench *b)
{
    char dir[4096];
    bool ok = bench_format(b->mix, sizeof b->mix, "%s/mix-%gs-%d.wav", b->workdir, b->seconds,
                           b->rate_hz) &&
              bench_format(b->mix_long, sizeof b->mix_long, "%s/mix-%gs-%d.wav", b->workdir,
                           b->long_seconds, b->rate_hz) &&
              bench_format(dir, sizeof dir, "%s/ir-%d-%d", b->workdir, b->n_taps, b->rate_hz) &&
              bench_format(b->out_dir, sizeof b->out_dir, "%s/out-%ld", b->workdir, (long)getpid());
    b->irs = calloc((size_t)b->n_profiles, sizeof *b->irs);
    for (int j = 0; ok && b->irs && j < b->n_profiles; j++)
        ok = bench_format(b->irs[j], sizeof b->irs[j], "%s/p%02d.wav", dir, j);
    if (!ok || !b->irs) {
        fprintf(stderr, "cansim-bench-render: %s: path too long\n", b->workdir);
        return -1;
    }
    if (render_mkdir_p(dir)) {
        fprintf(stderr, "cansim-bench-render: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    if (ensure_mix(b->mix, b->seconds, b->rate_hz) ||
        (b->has_long && ensure_mix(b->mix_long, b->long_seconds, b->rate_hz)))
        return -1;
    for (int j = 0; j < b->n_profiles; j++)
        if (ensure_ir(b->irs[j], b->n_taps, j + 1, b->rate_hz))
            return -1;
    return 0;
}

/* Removes whatever a mode wrote, then flushes other dirty pages, so that every repetition starts
 * from the same page-cache state (outside the timed region). */
void render_clean_outputs(const Bench *b)
{
    char path[8400];
    const char *subs[] = {"full", "floor"};
    char stem[256];
    const char *base = strrchr(b->mix, '/');
    bench_format(stem, sizeof stem, "%s", base ? base + 1 : b->mix);
    char *dot = strrchr(stem, '.');
    if (dot)
        *dot = '\0';
    for (int j = 0; j < b->n_profiles; j++) {
        bench_format(path, sizeof path, "%s/full/%s/p%02d.wav", b->out_dir, stem, j);
        unlink(path);
        bench_format(path, sizeof path, "%s/full/%s/p%02d.wav.part", b->out_dir, stem, j);
        unlink(path);
        bench_format(path, sizeof path, "%s/floor/p%02d.wav", b->out_dir, j);
        unlink(path);
    }
    bench_format(path, sizeof path, "%s/full/%s", b->out_dir, stem);
    rmdir(path);
    for (int i = 0; i < 2; i++) {
        bench_format(path, sizeof path, "%s/%s", b->out_dir, subs[i]);
        rmdir(path);
    }
    rmdir(b->out_dir);
    sync();
}

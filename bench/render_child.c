/* SPDX-License-Identifier: MIT */
/* cansim-bench-render's children: each repetition of each mode runs in a fresh process, which
 * times the renderer (full, compute, naive) or the I/O floor and reports through a pipe. */
#define _GNU_SOURCE
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cansim/cansim.h>

#include "machine.h"
#include "options.h"
#include "render_bench.h"

/* The compute modes' source: the input file read as cansim_render_file() reads it. */
typedef struct Input {
    SNDFILE *sf;
    int n_channels;
} Input;

static int64_t read_input(void *user, float *frames, size_t n, CansimDiag *diag)
{
    const Input *in = user;
    SNDFILE *sf = in->sf;
    size_t got = 0;
    while (got < n) {
        const sf_count_t k =
            sf_readf_float(sf, frames + got * (size_t)in->n_channels, (sf_count_t)(n - got));
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    if (sf_error(sf)) {
        bench_format(diag->msg, sizeof diag->msg, "read failed: %s", sf_strerror(sf));
        return CANSIM_EIO;
    }
    return (int64_t)got;
}

/* compute and naive: the input file streamed through the renderer with nothing written (no
 * sink), as cansim_render_file() streams it (open, read, every sample checked, the engine), but
 * without the outputs' files. */
static int render_compute(CansimRender *r, const char *path, CansimDiag *diag)
{
    SF_INFO info = {0};
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    if (!sf) {
        bench_format(diag->msg, sizeof diag->msg, "%s: %s", path, sf_strerror(NULL));
        return CANSIM_EIO;
    }
    Input in = {.sf = sf, .n_channels = info.channels};
    const CansimStreamIO io = {.read = read_input,
                               .read_user = &in,
                               .n_channels = info.channels,
                               .rate_hz = info.samplerate,
                               .n_in_frames = info.frames,
                               .n_out_frames = -1};
    const int e = cansim_render_stream(r, &io, diag);
    sf_close(sf);
    return e;
}

/* full, compute and naive: the render timed alone (cansim_render_file, or the stream with no
 * sink); profiles are loaded and renderers opened before the clock starts. */
static void child_render(const Bench *b, const Mode *m, Sample *s)
{
    const size_t n = (size_t)b->n_profiles;
    CansimProfile **owned = calloc(n, sizeof *owned);
    const CansimProfile **prof = calloc(n, sizeof *prof);
    CansimOutputResult *res = calloc(n, sizeof *res);
    CansimDiag diag = {{0}};
    char dir[8200];
    if (!owned || !prof || !res) {
        render_fail(s, "setup", "out of memory");
        goto done;
    }
    for (size_t j = 0; j < n; j++) {
        const int e = cansim_profile_load_ir(&owned[j], b->irs[j], &diag);
        if (e) {
            render_fail(s, cansim_strerror(e), diag.msg);
            goto done;
        }
        prof[j] = owned[j];
    }
    bench_format(dir, sizeof dir, "%s/full", b->out_dir);
    const size_t n_groups = m->is_naive ? n : 1;
    const size_t per_group = m->is_naive ? 1 : n;
    for (size_t g = 0; g < n_groups; g++) {
        CansimRenderConfig cfg = cansim_render_default_config();
        cfg.profiles = prof + g * per_group;
        cfg.n_profiles = per_group;
        cfg.engine.n_threads = m->n_threads;
        cfg.engine.partition_frames = b->partition_frames;
        cfg.engine.cpu_mask = b->cpu_mask;
        cfg.output.format = CANSIM_FORMAT_WAV32F;
        cfg.level.mode = m->level_mode;
        cfg.level.has_translation = m->has_translation;
        CansimRender *r = NULL;
        int e = cansim_render_open(&r, &cfg, &diag);
        if (e) {
            render_fail(s, cansim_strerror(e), diag.msg);
            goto done;
        }
        if (g == 0) {
            s->partition_frames = cansim_render_partition_frames(r);
            s->cpu_flags = cansim_render_cpu_flags(r);
        }
        const Mark m0 = render_mark_now();
        const char *mix = m->is_long ? b->mix_long : b->mix;
        e = m->is_compute_only ? render_compute(r, mix, &diag)
                               : cansim_render_file(r, mix, dir, NULL, res, &diag);
        render_sample_add(s, &m0);
        cansim_render_close(&r);
        if (e) {
            render_fail(s, cansim_strerror(e), diag.msg[0] ? diag.msg : res[0].diag.msg);
            goto done;
        }
    }
done:
    for (size_t j = 0; owned && j < n; j++)
        cansim_profile_close(&owned[j]);
    free(owned);
    free(prof);
    free(res);
}
/* One repetition of one mode in a fresh process, so that ru_maxrss is this mode's own peak. */
int render_run_child(const Bench *b, const Mode *m, Sample *s, double *rss_mb)
{
    int fd[2];
    memset(s, 0, sizeof *s);
    if (pipe(fd))
        return -1;
    fflush(NULL);
    const pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        close(fd[0]);
        Sample cs = {0};
        if (m->kind == KIND_FLOOR)
            render_child_floor(b, m, &cs);
        else
            child_render(b, m, &cs);
        const ssize_t w = write(fd[1], &cs, sizeof cs);
        _exit(w == (ssize_t)sizeof cs && cs.status == 0 ? 0 : 1);
    }
    close(fd[1]);
    size_t got = 0;
    while (got < sizeof *s) {
        const ssize_t k = read(fd[0], (char *)s + got, sizeof *s - got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd[0]);
    int st = 0;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) < 0)
        return -1;
    *rss_mb = (double)ru.ru_maxrss / 1024.0; /* Linux reports kilobytes */
    if (got != sizeof *s) {
        bench_format(s->msg, sizeof s->msg, "child died (status 0x%x)", (unsigned)st);
        s->status = -1;
    }
    return s->status;
}

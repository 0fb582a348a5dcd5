/* SPDX-License-Identifier: MIT */
/* cansim-bench-render's I/O floor: the renderer's reads, writes and threads with nothing
 * computed, the figure each render is measured against. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sndfile.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "render_bench.h"

/* The I/O floor: the renderer's own structure with nothing computed. The calling thread reads
 * one chunk, then n_threads threads (the caller among them) each write the chunk unchanged to
 * their share of the outputs, then all wait for each other: the renderer's parallel region
 * minus the arithmetic. n_threads = 1 is the plain serial copy. */
typedef struct Floor {
    SNDFILE **outs;
    int n_outs;
    int n_threads;
    const float *buf;
    sf_count_t n_frames;
    bool is_done;
    pthread_barrier_t go;
    pthread_barrier_t done;
} Floor;

typedef struct FloorWorker {
    Floor *f;
    int id;
    bool has_error;
} FloorWorker;

static bool floor_share(const Floor *f, int id)
{
    bool ok = true;
    for (int j = id; j < f->n_outs; j += f->n_threads)
        ok = sf_writef_float(f->outs[j], f->buf, f->n_frames) == f->n_frames && ok;
    return ok;
}

static void *floor_worker(void *arg)
{
    FloorWorker *w = arg;
    const Floor *f = w->f;
    for (;;) {
        pthread_barrier_wait(&w->f->go);
        if (f->is_done)
            return NULL;
        w->has_error |= !floor_share(f, w->id);
        pthread_barrier_wait(&w->f->done);
    }
}

void render_child_floor(const Bench *b, const Mode *m, Sample *s)
{
    const int nt = m->n_threads;
    char dir[8200];
    char path[8300];
    bench_format(dir, sizeof dir, "%s/floor", b->out_dir);
    if (render_mkdir_p(dir)) {
        render_fail(s, dir, strerror(errno));
        return;
    }
    Floor *f = calloc(1, sizeof *f);
    float *buf = malloc(2 * FLOOR_CHUNK_FRAMES * sizeof *buf);
    pthread_t *th = calloc((size_t)nt, sizeof *th);
    FloorWorker *ws = calloc((size_t)nt, sizeof *ws);
    if (f)
        f->outs = calloc((size_t)b->n_profiles, sizeof *f->outs);
    if (!f || !f->outs || !buf || !th || !ws) {
        render_fail(s, "setup", "out of memory");
        return;
    }
    f->n_outs = b->n_profiles;
    f->n_threads = nt;
    f->buf = buf;
    pthread_barrier_init(&f->go, NULL, (unsigned)nt);
    pthread_barrier_init(&f->done, NULL, (unsigned)nt);
    for (int i = 1; i < nt; i++) {
        ws[i] = (FloorWorker){.f = f, .id = i};
        if (pthread_create(&th[i], NULL, floor_worker, &ws[i])) {
            /* The started workers wait at a barrier that can never fill; the child exits. */
            render_fail(s, "floor", "cannot start a thread");
            return;
        }
    }
    const Mark m0 = render_mark_now();
    SF_INFO info = {0};
    SNDFILE *in = sf_open(b->mix, SFM_READ, &info);
    if (!in)
        render_fail(s, b->mix, sf_strerror(NULL));
    for (int j = 0; j < f->n_outs && in; j++) {
        SF_INFO oi = {.samplerate = info.samplerate,
                      .channels = info.channels,
                      .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
        bench_format(path, sizeof path, "%s/p%02d.wav", dir, j);
        if (!(f->outs[j] = sf_open(path, SFM_WRITE, &oi))) {
            render_fail(s, path, sf_strerror(NULL));
            break;
        }
        /* As the renderer writes its outputs: no PEAK chunk. */
        sf_command(f->outs[j], SFC_SET_ADD_PEAK_CHUNK, NULL, SF_FALSE);
    }
    bool ok = true;
    while (!s->status) {
        sf_count_t got = 0;
        while (got < FLOOR_CHUNK_FRAMES) {
            const sf_count_t k =
                sf_readf_float(in, buf + got * info.channels, FLOOR_CHUNK_FRAMES - got);
            if (k <= 0)
                break;
            got += k;
        }
        if (got == 0)
            break;
        f->n_frames = got;
        pthread_barrier_wait(&f->go);
        ok = floor_share(f, 0) && ok;
        pthread_barrier_wait(&f->done);
    }
    f->is_done = true;
    pthread_barrier_wait(&f->go);
    for (int j = 0; j < f->n_outs; j++)
        if (f->outs[j] && sf_close(f->outs[j]))
            ok = false;
    if (in)
        sf_close(in);
    render_sample_add(s, &m0);
    for (int i = 1; i < nt; i++) {
        pthread_join(th[i], NULL);
        ok = ok && !ws[i].has_error;
    }
    if (!ok && !s->status)
        render_fail(s, dir, "write failed");
    pthread_barrier_destroy(&f->go);
    pthread_barrier_destroy(&f->done);
    free(f->outs);
    free(f);
    free(buf);
    free(th);
    free(ws);
}

/* SPDX-License-Identifier: MIT */
/* An interleaved buffer in memory through every profile: a memory source and sink around the
 * engine, run as every in-memory render is (render_stream.c). */
#include <string.h>

#include "engine.h"

typedef struct MemSource {
    const float *in;
    int n_channels;
    int64_t n_frames;
    int64_t pos;
} MemSource;

static int64_t mem_read(void *ctx, float *frames, size_t n, CansimDiag *diag)
{
    MemSource *s = ctx;
    const int64_t left = s->n_frames - s->pos;
    const size_t k = (int64_t)n < left ? n : (size_t)left;
    const float *src = s->in + (size_t)s->pos * (size_t)s->n_channels;
    const int e = cansim_check_finite(src, k, s->n_channels, s->pos, "input buffer", diag);
    if (e)
        return e;
    memcpy(frames, src, k * (size_t)s->n_channels * sizeof *frames);
    s->pos += (int64_t)k;
    return (int64_t)k;
}

typedef struct MemSink {
    float *const *outs;
    const CansimLane *lanes;
} MemSink;

static int mem_write(void *ctx, size_t lane, float *frames, size_t n, CansimDiag *diag)
{
    (void)diag;
    const MemSink *s = ctx;
    memcpy(s->outs[lane] + 2 * (size_t)s->lanes[lane].n_done, frames, 2 * n * sizeof *frames);
    return CANSIM_OK;
}

int cansim_render_buffer(CansimRender *r, const float *in, int n_channels, int64_t n_frames,
                         double rate_hz, float *const *outs, int64_t n_out_frames, CansimDiag *diag)
{
    if (n_channels < 1 || n_channels > 2)
        return cansim_diag_set(diag, CANSIM_EINVAL, "input buffer: %d channels (1 or 2)",
                               n_channels);
    if (n_frames < 0 || n_out_frames < 0 || (n_frames && !in) || !outs)
        return cansim_diag_set(diag, CANSIM_EINVAL, "input buffer: bad arguments");
    if (!cansim_rate_is_valid(rate_hz))
        return cansim_diag_set(diag, CANSIM_ERATE, "input buffer: rate %g Hz", rate_hz);
    MemSource src = {.in = in, .n_channels = n_channels, .n_frames = n_frames};
    MemSink sink = {.outs = outs, .lanes = r->lanes};
    const CansimStream s = {.read = mem_read,
                            .read_ctx = &src,
                            .n_channels = n_channels,
                            .n_out = n_out_frames,
                            .n_expected = n_frames,
                            .write = mem_write,
                            .write_ctx = &sink};
    return cansim_render_run(r, rate_hz, &s, diag);
}

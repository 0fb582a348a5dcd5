/* SPDX-License-Identifier: MIT */
/* A caller's stream through every profile: the caller's source and sink around the engine, and
 * the run every in-memory render shares (cansim_render_buffer() is one). */
#include "engine.h"

typedef struct UserSource {
    const CansimStreamIO *io;
    int64_t pos;
} UserSource;

static int64_t user_read(void *ctx, float *frames, size_t n, CansimDiag *diag)
{
    UserSource *s = ctx;
    const int64_t got = s->io->read(s->io->read_user, frames, n, diag);
    if (got < 0)
        return got;
    if ((uint64_t)got > n)
        return cansim_diag_set(diag, CANSIM_EINVAL,
                               "input stream: the source gave %lld frames for %zu asked",
                               (long long)got, n);
    const int e =
        cansim_check_finite(frames, (size_t)got, s->io->n_channels, s->pos, "input stream", diag);
    if (e)
        return e;
    s->pos += got;
    return got;
}

static int user_write(void *ctx, size_t lane, float *frames, size_t n, CansimDiag *diag)
{
    const CansimStreamIO *io = ctx;
    return io->write ? io->write(io->write_user, lane, frames, n, diag) : CANSIM_OK;
}

int cansim_render_run(CansimRender *r, double rate_hz, const CansimStream *s, CansimDiag *diag)
{
    if (s->n_channels < 1 || s->n_channels > 2)
        return cansim_diag_set(diag, CANSIM_EINVAL, "input: %d channels (1 or 2)", s->n_channels);
    if (!cansim_rate_is_valid(rate_hz))
        return cansim_diag_set(diag, CANSIM_ERATE, "input: rate %g Hz", rate_hz);
    int e = cansim_engine_begin(r, rate_hz, diag);
    if (e)
        return e;
    e = cansim_engine_run(r, s, diag);
    for (size_t j = 0; j < r->cfg.n_profiles && !e; j++)
        if (r->lanes[j].status) {
            e = r->lanes[j].status;
            if (diag)
                *diag = r->lanes[j].diag;
        }
    return e;
}

int cansim_render_stream(CansimRender *r, const CansimStreamIO *io, CansimDiag *diag)
{
    if (!io || !io->read ||
        !cansim_reserved_is_zero(io->reserved, sizeof io->reserved / sizeof *io->reserved))
        return cansim_diag_set(diag, CANSIM_EINVAL, "input stream: bad arguments");
    UserSource src = {.io = io};
    const CansimStream s = {.read = user_read,
                            .read_ctx = &src,
                            .n_channels = io->n_channels,
                            .n_out = io->n_out_frames < 0 ? -1 : io->n_out_frames,
                            .n_expected = io->n_in_frames,
                            .write = user_write,
                            .write_ctx = (void *)io};
    return cansim_render_run(r, io->rate_hz, &s, diag);
}

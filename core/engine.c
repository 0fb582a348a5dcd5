/* SPDX-License-Identifier: MIT */
/* The engine: one input through every profile by uniformly partitioned overlap-save
 * convolution, the input transformed once per block, profiles in parallel (the render's one
 * OpenMP region). */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "meter.h"
#include "kernels.h"

/* Input chunks are at least this many frames: one parallel region per chunk, so its cost and
 * the per-write overhead of libsndfile are spread over enough work. */
#define CHUNK_FRAMES 16384
#define SLOT_PLANES  8

/* The engine's transforms are the rfft kernels (N = 2B is a power of two in their range): the
 * spectra come out split and in natural order as cmac wants them, the signal is read and
 * written in place of FFTW's interleaved copies, and the output is the same at any thread
 * count. The twiddle table is made once here and only read afterwards. */
static int make_plans(CansimRender *r)
{
    const size_t n_tw = cansim_rfft_table_size(r->n_fft);
    if (!n_tw)
        return CANSIM_EINTERNAL;
    if (!(r->tw = cansim_alloc_floats(n_tw)))
        return CANSIM_ENOMEM;
    cansim_rfft_table(r->tw, r->n_fft);
    return CANSIM_OK;
}

/* x (2B real) to split spectrum re/im (nb bins, the padding zeroed); z: 2 nb floats of scratch. */
static void forward_fft(const CansimRender *r, const float *x, float *re, float *im, float *z)
{
    r->k.rfft(re, im, x, z, r->tw, r->n_fft);
}

/* Unnormalised: the filters have 1/N folded in (filters.c). */
static void inverse_fft(const CansimRender *r, const float *re, const float *im, float *x, float *z)
{
    r->k.irfft(x, re, im, z, r->tw, r->n_fft);
}

int cansim_engine_init(CansimRender *r)
{
    r->n_fft = 2 * r->n_part;
    r->n_bins = cansim_round_up(r->n_part + 1, CANSIM_PAD);
    r->n_chunk_blocks = r->n_part >= CHUNK_FRAMES ? 1 : CHUNK_FRAMES / r->n_part;
    r->n_chunk = r->n_chunk_blocks * r->n_part;
    r->n_out_frames =
        r->n_chunk * (r->n_chunk >= CANSIM_IO_FRAMES ? 1 : CANSIM_IO_FRAMES / r->n_chunk);
    for (int c = 0; c < 2; c++)
        if (!(r->planar[c] = cansim_alloc_floats(r->n_part + r->n_chunk)))
            return CANSIM_ENOMEM;
    if (!(r->in_buf = cansim_alloc_floats(2 * r->n_chunk)))
        return CANSIM_ENOMEM;
    if (!(r->z_fwd = cansim_alloc_floats(2 * r->n_bins * ((size_t)r->n_threads + 1))))
        return CANSIM_ENOMEM;
    for (size_t j = 0; j < r->cfg.n_profiles; j++) {
        CansimLane *l = &r->lanes[j];
        l->acc = cansim_alloc_floats(4 * r->n_bins);
        l->time = cansim_alloc_floats(2 * r->n_fft);
        /* The output chunk keeps room before it for the sink (the true-peak kernel's history). */
        l->out_base = cansim_alloc_floats(CANSIM_SINK_PREFIX + 2 * r->n_out_frames);
        l->out = l->out_base ? l->out_base + CANSIM_SINK_PREFIX : NULL;
        l->z = cansim_alloc_floats(2 * r->n_bins);
        if (!l->acc || !l->time || !l->out || !l->z)
            return CANSIM_ENOMEM;
    }
    return make_plans(r);
}

void cansim_engine_free(CansimRender *r)
{
    cansim_hold_pool_free(&r->hold);
    cansim_filters_free(&r->cache, r->cfg.n_profiles);
    cansim_free(r->fdl);
    if (r->lanes)
        for (size_t j = 0; j < r->cfg.n_profiles; j++) {
            cansim_free(r->lanes[j].acc);
            cansim_free(r->lanes[j].time);
            cansim_free(r->lanes[j].out_base);
            cansim_free(r->lanes[j].z);
        }
    cansim_free(r->planar[0]);
    cansim_free(r->planar[1]);
    cansim_free(r->in_buf);
    cansim_free(r->z_fwd);
    cansim_free(r->tw);
}

int cansim_engine_begin(CansimRender *r, double rate_hz, CansimDiag *diag)
{
    const CansimFilterSpec spec = {.profiles = r->profiles,
                                   .n_profiles = r->cfg.n_profiles,
                                   .design = r->cfg.design,
                                   .k = &r->k,
                                   .tw = r->tw,
                                   .n_part = r->n_part,
                                   .n_fft = r->n_fft,
                                   .n_bins = r->n_bins,
                                   .z = r->z_fwd + 2 * r->n_bins * (size_t)r->n_threads};
    const CansimFilterSet *s;
    const int e = cansim_filters_get(&r->cache, &spec, rate_hz, &s, diag);
    if (e)
        return e;
    r->filters = s->filters;
    r->has_ms = s->has_ms;
    /* Block t reads the spectra of blocks t - n_parts + 1 .. t, and a chunk's blocks are all
     * transformed before any profile runs. */
    r->n_slots = r->n_chunk_blocks + s->max_parts - 1;
    if (r->n_slots > r->n_fdl_slots) {
        size_t n_fdl;
        cansim_free(r->fdl);
        r->fdl = NULL;
        r->n_fdl_slots = 0;
        if (cansim_mul_size(r->n_slots, SLOT_PLANES * r->n_bins, &n_fdl))
            r->fdl = cansim_alloc_floats(n_fdl);
        if (!r->fdl)
            return cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory for the delay line");
        r->n_fdl_slots = r->n_slots;
    } else {
        memset(r->fdl, 0, r->n_slots * SLOT_PLANES * r->n_bins * sizeof(float));
    }
    memset(r->planar[0], 0, r->n_part * sizeof(float));
    memset(r->planar[1], 0, r->n_part * sizeof(float));
    r->t = 0;
    for (size_t j = 0; j < r->cfg.n_profiles; j++) {
        CansimLane *l = &r->lanes[j];
        l->n_done = 0;
        l->n_held = 0;
        l->n_total = INT64_MAX;
        l->status = r->filters[j].status;
        l->diag = r->filters[j].diag;
        l->gain = 1.0f;
    }
    return CANSIM_OK;
}

int cansim_check_finite(const float *x, size_t n_frames, int n_channels, int64_t frame0,
                        const char *name, CansimDiag *diag)
{
    const size_t n = n_frames * (size_t)n_channels;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return cansim_diag_set(diag, CANSIM_EDATA, "%s: sample at frame %lld is %s", name,
                                   (long long)(frame0 + (int64_t)(i / (size_t)n_channels)),
                                   isnan(x[i]) ? "NaN" : "infinite");
    return CANSIM_OK;
}

/* ------------------------------------------------------------------ the render loop */

static float *slot(const CansimRender *r, int64_t t)
{
    return r->fdl + (size_t)(t % (int64_t)r->n_slots) * SLOT_PLANES * r->n_bins;
}

/* Forward transform of block t (chunk-local b) of channel ch; mono feeds both inputs. */
static void forward_block(const CansimRender *r, size_t b, int ch, int n_channels)
{
    const size_t nb = r->n_bins;
    float *x = slot(r, r->t + (int64_t)b) + 2 * (size_t)ch * nb;
    forward_fft(r, r->planar[ch] + b * r->n_part, x, x + nb,
                r->z_fwd + 2 * nb * (size_t)omp_get_thread_num());
    if (n_channels == 1)
        memcpy(x + 2 * nb, x, 2 * nb * sizeof *x);
}

/* Mid and side spectra of block b, for the filters that run in mid/side. */
static void midside_block(const CansimRender *r, size_t b)
{
    const size_t nb = r->n_bins;
    float *x = slot(r, r->t + (int64_t)b);
    r->k.sumdiff(x + 4 * nb, x + 6 * nb, x, x + 2 * nb, nb);
    r->k.sumdiff(x + 5 * nb, x + 7 * nb, x + nb, x + 3 * nb, nb);
}

/* One block of one profile: Y = sum over partitions of X(t - q) H(q), then the inverse
 * transforms; the last B samples of each are valid (overlap-save). */
static void lane_block(const CansimRender *r, size_t j, int64_t t, float *out)
{
    const CansimFilter *f = &r->filters[j];
    CansimLane *l = &r->lanes[j];
    const size_t nb = r->n_bins;
    const size_t n = r->n_fft;
    /* acc holds a sum once a partition went in: the first full one sets it (no clearing pass) */
    bool has_acc = false;
    for (size_t q = 0; q < f->n_parts && (int64_t)q <= t; q++) {
        const unsigned mask = f->mask[q];
        const float *x = slot(r, t - (int64_t)q) + (f->is_ms ? 4 * nb : 0);
        const float *h = f->h + q * 8 * nb;
        if (mask == 0xF) {
            r->k.cmac2x2(l->acc, x, h, nb, has_acc);
            has_acc = true;
            continue;
        }
        if (!has_acc)
            memset(l->acc, 0, 4 * nb * sizeof *l->acc);
        has_acc = true;
        for (unsigned c = 0; c < 4; c++) {
            if (!(mask & (1u << c)))
                continue;
            const size_t in = c >> 1, o = c & 1;
            float *y = l->acc + 2 * o * nb;
            r->k.cmac(y, y + nb, x + 2 * in * nb, x + 2 * in * nb + nb, h + 2 * c * nb,
                      h + (2 * c + 1) * nb, nb);
        }
    }
    if (!has_acc)
        memset(l->acc, 0, 4 * nb * sizeof *l->acc);
    for (size_t o = 0; o < 2; o++) {
        float *y = l->acc + 2 * o * nb;
        if (f->out_mask & (1u << o))
            inverse_fft(r, y, y + nb, l->time + o * n, l->z);
        else
            memset(l->time + o * n + r->n_part, 0, r->n_part * sizeof(float));
    }
    if (f->is_ms)
        r->k.interleave2_ms(out, l->time + r->n_part, l->time + n + r->n_part, l->gain, r->n_part);
    else
        r->k.interleave2(out, l->time + r->n_part, l->time + n + r->n_part, l->gain, r->n_part);
}

/* Renders the lane's blocks of this chunk into the sink's destination, or into out, which is
 * given to the sink when it is full or the lane is done. */
static void lane_chunk(const CansimRender *r, size_t j, size_t n_blocks, const CansimStream *s)
{
    CansimLane *l = &r->lanes[j];
    if (l->status || l->n_done + (int64_t)l->n_held >= l->n_total)
        return;
    const int64_t want = l->n_total - l->n_done - (int64_t)l->n_held;
    const size_t n_frames =
        (int64_t)(n_blocks * r->n_part) < want ? n_blocks * r->n_part : (size_t)want;
    const size_t n_run = (n_frames + r->n_part - 1) / r->n_part;
    float *dest = !l->n_held && s->dest ? s->dest(s->write_ctx, j, n_run * r->n_part) : NULL;
    float *out = dest ? dest : l->out + 2 * l->n_held;
    for (size_t b = 0; b < n_run; b++)
        lane_block(r, j, r->t + (int64_t)b, out + 2 * b * r->n_part);
    const size_t n = dest ? n_frames : l->n_held + n_frames;
    const bool is_last = (int64_t)n_frames == want;
    if (!dest && !is_last && n + r->n_chunk <= r->n_out_frames) {
        l->n_held = n;
        return;
    }
    l->n_held = 0;
    l->status = s->write(s->write_ctx, j, dest ? dest : l->out, n, &l->diag);
    if (!l->status)
        l->n_done += (int64_t)n;
}

static void process_chunk(CansimRender *r, size_t n_blocks, int n_channels, const CansimStream *s)
{
    const CansimRender *cr = r;
    const int n_fwd = (int)n_blocks * n_channels;
    const int n_lanes = (int)r->cfg.n_profiles;
    int meter_err = 0;
#pragma omp parallel num_threads(r->n_threads) default(none)                                       \
    shared(cr, n_fwd, n_lanes, n_blocks, n_channels, s, meter_err)
    {
        const unsigned fpu = cansim_fpu_ftz_enter();
#pragma omp for schedule(dynamic, 1)
        for (int i = 0; i < n_fwd; i++)
            forward_block(cr, (size_t)(i / n_channels), i % n_channels, n_channels);
        if (cr->has_ms) {
#pragma omp for schedule(static)
            for (int b = 0; b < (int)n_blocks; b++)
                midside_block(cr, (size_t)b);
        }
        /* Job -1 meters the input's chunk (level match): first, so the lanes fill around it. */
#pragma omp for schedule(dynamic, 1)
        for (int j = -1; j < n_lanes; j++) {
            if (j >= 0)
                lane_chunk(cr, (size_t)j, n_blocks, s);
            else if (cr->in_meter && cr->n_in_chunk &&
                     cansim_meter_add(cr->in_meter, cr->in_buf, cr->n_in_chunk))
                meter_err = 1;
        }
        cansim_fpu_restore(fpu);
    }
    r->in_meter_err |= meter_err;
    /* The last B input frames are the next chunk's history. */
    for (int c = 0; c < n_channels; c++)
        memmove(r->planar[c], r->planar[c] + n_blocks * r->n_part, r->n_part * sizeof(float));
    r->t += (int64_t)n_blocks;
}

static bool all_done(const CansimRender *r)
{
    for (size_t j = 0; j < r->cfg.n_profiles; j++)
        if (!r->lanes[j].status && r->lanes[j].n_done < r->lanes[j].n_total)
            return false;
    return true;
}

/* Past the input's end, only the blocks some lane still needs. */
static size_t blocks_needed(const CansimRender *r)
{
    int64_t need = 0;
    const int64_t start = r->t * (int64_t)r->n_part;
    for (size_t j = 0; j < r->cfg.n_profiles; j++)
        if (!r->lanes[j].status && r->lanes[j].n_total - start > need)
            need = r->lanes[j].n_total - start;
    const int64_t nbk = (need + (int64_t)r->n_part - 1) / (int64_t)r->n_part;
    return nbk < (int64_t)r->n_chunk_blocks ? (size_t)nbk : r->n_chunk_blocks;
}

int cansim_engine_run(CansimRender *r, const CansimStream *s, CansimDiag *diag)
{
    const size_t nc = r->n_chunk;
    const int n_channels = s->n_channels;
    int64_t n_in = 0;
    bool is_eof = false;
    for (size_t j = 0; j < r->cfg.n_profiles && s->n_out >= 0; j++)
        r->lanes[j].n_total = s->n_out;
    while (!all_done(r)) {
        size_t n_read = 0;
        if (!is_eof) {
            const int64_t got = s->read(s->read_ctx, r->in_buf, nc, diag);
            if (got < 0)
                return (int)got;
            n_read = (size_t)got;
            n_in += got;
            is_eof = n_read < nc;
            if (is_eof && s->n_out < 0)
                for (size_t j = 0; j < r->cfg.n_profiles; j++)
                    r->lanes[j].n_total =
                        n_in + (r->cfg.engine.has_tail ? (int64_t)r->filters[j].n_taps - 1 : 0);
            if (all_done(r))
                break;
        }
        float *l = r->planar[0] + r->n_part;
        float *rr = r->planar[1] + r->n_part;
        if (n_channels == 2)
            r->k.deinterleave2(l, rr, r->in_buf, n_read);
        else
            memcpy(l, r->in_buf, n_read * sizeof *l);
        memset(l + n_read, 0, (nc - n_read) * sizeof *l);
        if (n_channels == 2)
            memset(rr + n_read, 0, (nc - n_read) * sizeof *rr);
        const size_t n_blocks = is_eof ? blocks_needed(r) : r->n_chunk_blocks;
        r->n_in_chunk = n_read;
        process_chunk(r, n_blocks, n_channels, s);
        if (r->cfg.progress && r->cfg.progress(r->cfg.progress_user, n_in, s->n_expected))
            return cansim_diag_set(diag, CANSIM_ECANCELED, "canceled");
    }
    return CANSIM_OK;
}

/* SPDX-License-Identifier: MIT */
/* The render graph: one input through every profile by uniformly partitioned overlap-save
 * convolution, the input transformed once per block, profiles in parallel (the one place
 * OpenMP appears). */
#include <ebur128.h>
#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audio_io.h"
#include "output.h"
#include "kernels.h"
#include "loudness.h"
#include "resample.h"
#include "translation.h" /* translation */

_Static_assert(CANSIM_CPU_AVX2 == (1u << 0) && CANSIM_CPU_AVX512 == (1u << 1),
               "public and kernel CPU flags must agree");

/* Input chunks are at least this many frames: one parallel region per chunk, so its cost and
 * the per-write overhead of libsndfile are spread over enough work. */
#define CHUNK_FRAMES 16384

/* One profile's matrix at the render's rate, as partition spectra. */
typedef struct Filter {
    size_t n_taps;
    size_t n_parts;
    float *h;            /* n_parts x 8 planes x nb: per cell X->Y its re and im planes */
    unsigned char *mask; /* per partition: bit c set when cell c has a nonzero tap there */
    unsigned out_mask;   /* bit o set when some cell feeds output o */
    bool is_short;       /* 99.9 % of its energy within SHORT_FILTER_S: loudness predicts well */
    bool is_ms;          /* symmetric (LL = RR, LR = RL != 0): runs as mid and side cells */
    int status;          /* a profile that cannot be realised at this rate fails its outputs */
    CansimDiag diag;
    float *level_w;        /* the loudness prediction's per-bin weights (loudness.h) */
    CansimTrWeights *tr_w; /* translation: its per-bin weights (translation.h) */
} Filter;

/* Every profile realised at one rate. A few rates stay cached, so a batch that alternates
 * rates designs each (profile, rate) once. */
typedef struct FilterSet {
    double rate_hz; /* 0: unused */
    Filter *filters;
    size_t max_parts;
    bool has_ms; /* some filter runs as mid/side, so blocks need mid/side spectra */
    uint64_t last_used;
} FilterSet;

#define N_CACHED_RATES 4
/* A lane's status while its output is left alone (CansimFileOptions.skip): positive, so no
 * error code, and nonzero, so the render passes it by. */
#define LANE_SKIPPED 1
/* Level matching predicts an output's loudness from the input's short-time spectra (100 ms
 * hop); a filter whose energy lasts much longer than that (a room) smears it across gating
 * blocks, so float outputs through such filters are measured instead (loudness.c). */
#define SHORT_FILTER_S 0.02
#define SLOT_PLANES    8

/* One profile's running state; in the parallel region only its own task touches it. */
typedef struct Lane {
    float *acc;  /* 4 planes x nb: Y_L re, im, Y_R re, im */
    float *time; /* 2 x N: inverse transforms of Y_L and Y_R */
    float *out;  /* 2 x chunk: interleaved output of the current chunk */
    float *z;    /* 2 nb floats: the inverse transform's scratch (N floats used) */
    int64_t n_done;
    int64_t n_total; /* INT64_MAX while the input's length is unknown */
    int status;
    CansimDiag diag;
    float gain;           /* level gain, applied as the output is interleaved */
    ebur128_state *meter; /* exact loudness and true peak of the written output, or NULL */
    uint32_t peak_bits;   /* sample peak of the written output (cansim_peak_bits) */
    float *out_base;      /* out - TP_PREFIX: out's allocation */
    bool has_tp;          /* integer and FLAC outputs: true peak by the truepeak2 kernel */
    float tp_max;         /* the interpolated peak so far */
    float tp_hist[2 * CANSIM_TP_HISTORY]; /* the last frames written, for the next chunk */
} Lane;

/* Floats before a lane's output chunk: the true-peak history, rounded up to keep alignment. */
#define TP_PREFIX 64

struct CansimRender {
    CansimRenderConfig cfg;
    const CansimProfile **profiles;
    CansimKernels k;
    unsigned cpu_flags;
    int n_threads;
    size_t n_part; /* B: partition and block size in frames */
    size_t n_fft;  /* N = 2B */
    size_t n_bins; /* B + 1 rounded up to CANSIM_PAD; the padding bins stay zero */
    size_t n_chunk_blocks;
    size_t n_chunk;   /* frames per chunk */
    float *tw;        /* the real FFTs' twiddle table for N */
    float *planar[2]; /* B frames of history, then the chunk */
    float *in_buf;    /* interleaved input of one chunk */
    float *z_fwd;     /* per thread (and one for setup): 2 nb floats, the forward's scratch */
    float *fdl;       /* frequency-domain delay line: n_slots x 8 planes x nb: L re, L im,
                         R re, R im, then (when has_ms) L+R re, im, L-R re, im */
    bool has_ms;
    size_t n_slots;
    size_t n_fdl_slots; /* allocated */
    FilterSet sets[N_CACHED_RATES];
    uint64_t clock;
    const Filter *filters;   /* the current input's set */
    ebur128_state *in_meter; /* meters the input as it streams (level match), or NULL */
    size_t n_in_chunk;       /* input frames in the current chunk */
    int in_meter_err;
    Lane *lanes;
    int64_t t;                           /* index of the next input block */
    float tp_coefs[CANSIM_TP_MAX_COEFS]; /* the true-peak filter at the current rate */
    int tp_factor;                       /* its oversampling: 4, 2 or 1 (BS.1770, libebur128) */
};

/* Where a lane's output goes: called from the parallel region, one lane per call. */
typedef int SinkFn(void *ctx, size_t lane, const float *frames, size_t n, CansimDiag *diag);
/* Reads up to n frames; fewer means the end. Negative on error, diag set. */
typedef int64_t SourceFn(void *ctx, float *frames, size_t n, CansimDiag *diag);

/* ------------------------------------------------------------------ cost model */

/* Partition size by cost per input frame (documented in the README):
 *   cost(B) = [ 2 fft(2B) + sum_j ( outs_j fft(2B) + cells_j ceil(taps_j / B) nb(B) c_bin )
 *               + (1 + n_profiles) c_block ] / B,      fft(N) = c_fft(N) N log2 N
 * The constants are ns measured on this project's machine: FFTW's interleaved real transforms
 * run at 0.07 ns per N log2 N up to N = 16384 and 0.1 beyond, where they leave L2;
 * cansim-checkasm --bench gives cmac at 0.06 ns a bin in L1, 0.17 in L2, and the engine's
 * working set sits between. Only their ratios matter. */
#define COST_BIN   0.12
#define COST_BLOCK 400.

static double fft_cost(double n)
{
    return (n <= 16384 ? 0.07 : 0.1) * n * log2(n);
}

static size_t choose_partition(const CansimRenderConfig *cfg)
{
    double best = HUGE_VAL;
    size_t best_b = 64;
    for (size_t b = 64; b <= 65536; b *= 2) {
        const double fft = fft_cost(2.0 * (double)b);
        const double nb = (double)cansim_round_up(b + 1, CANSIM_PAD);
        double cost = 2.0 * fft + COST_BLOCK;
        for (size_t j = 0; j < cfg->n_profiles; j++) {
            size_t n_taps;
            unsigned cells;
            cansim_profile_shape(cfg->profiles[j], &n_taps, &cells);
            const int n_cells = __builtin_popcount(cells);
            const unsigned outs = ((cells >> 2) | cells) & 3u;
            const double parts = ceil((double)n_taps / (double)b);
            cost += (double)__builtin_popcount(outs) * fft + n_cells * parts * nb * COST_BIN +
                    COST_BLOCK;
        }
        cost /= (double)b;
        if (cost < best) {
            best = cost;
            best_b = b;
        }
    }
    return best_b;
}

/* ------------------------------------------------------------------ setup */

CansimRenderConfig cansim_render_default_config(void)
{
    return (CansimRenderConfig){
        .cpu_mask = ~0u, .format = CANSIM_FORMAT_SAME, .level_lufs = -14.0, .ceiling_dbtp = -1.0};
}

static void set_free(FilterSet *s, size_t n_profiles)
{
    for (size_t j = 0; s->filters && j < n_profiles; j++) {
        cansim_free(s->filters[j].h);
        free(s->filters[j].mask);
        cansim_free(s->filters[j].level_w);
        cansim_translation_weights_free(&s->filters[j].tr_w); /* translation */
    }
    free(s->filters);
    memset(s, 0, sizeof *s);
}

void cansim_render_close(CansimRender **rp)
{
    if (!rp || !*rp)
        return;
    CansimRender *r = *rp;
    for (int i = 0; i < N_CACHED_RATES; i++)
        set_free(&r->sets[i], r->cfg.n_profiles);
    cansim_free(r->fdl);
    if (r->lanes)
        for (size_t j = 0; j < r->cfg.n_profiles; j++) {
            cansim_free(r->lanes[j].acc);
            cansim_free(r->lanes[j].time);
            cansim_free(r->lanes[j].out_base);
            cansim_free(r->lanes[j].z);
        }
    free(r->lanes);
    cansim_free(r->planar[0]);
    cansim_free(r->planar[1]);
    cansim_free(r->in_buf);
    cansim_free(r->z_fwd);
    cansim_free(r->tw);
    free(r->profiles);
    free(r);
    *rp = NULL;
}

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

/* Unnormalised: filter_build folds 1/N into the filters. */
static void inverse_fft(const CansimRender *r, const float *re, const float *im, float *x, float *z)
{
    r->k.irfft(x, re, im, z, r->tw, r->n_fft);
}

int cansim_render_open(CansimRender **out, const CansimRenderConfig *cfg, CansimDiag *diag)
{
    *out = NULL;
    if (!cfg || !cfg->profiles || cfg->n_profiles == 0)
        return cansim_diag_set(diag, CANSIM_EINVAL, "no profiles to render");
    if (cfg->n_threads < 0)
        return cansim_diag_set(diag, CANSIM_EINVAL, "negative thread count %d", cfg->n_threads);
    const size_t b = cfg->partition_frames;
    if (b && (b < 64 || b > 65536 || (b & (b - 1))))
        return cansim_diag_set(diag, CANSIM_EINVAL,
                               "partition size %zu is not a power of two in 64..65536", b);
    if (cansim_format_name(cfg->format)[0] == 'u')
        return cansim_diag_set(diag, CANSIM_EINVAL, "unknown output format %d", (int)cfg->format);
    if (cfg->level_mode < CANSIM_LEVEL_OFF || cfg->level_mode > CANSIM_LEVEL_TARGET)
        return cansim_diag_set(diag, CANSIM_EINVAL, "unknown level mode %d", (int)cfg->level_mode);
    if (cfg->level_mode == CANSIM_LEVEL_TARGET &&
        !(cfg->level_lufs >= -70.0 && cfg->level_lufs <= 0.0))
        return cansim_diag_set(diag, CANSIM_EINVAL, "level %g LUFS is outside -70..0",
                               cfg->level_lufs);
    if (cfg->rate_hz != 0.0 && !cansim_rate_is_valid(cfg->rate_hz))
        return cansim_diag_set(diag, CANSIM_ERATE, "rate %g Hz is outside 8000-384000 Hz",
                               cfg->rate_hz);
    if ((unsigned)cfg->resampler > CANSIM_RESAMPLER_FAST)
        return cansim_diag_set(diag, CANSIM_EINVAL, "unknown resampler %d", (int)cfg->resampler);
    if (cfg->has_ceiling && !(cfg->ceiling_dbtp >= -20.0 && cfg->ceiling_dbtp <= 0.0))
        return cansim_diag_set(diag, CANSIM_EINVAL, "ceiling %g dBTP is outside -20..0",
                               cfg->ceiling_dbtp);
    for (size_t j = 0; j < cfg->n_profiles; j++) {
        if (!cfg->profiles[j])
            return cansim_diag_set(diag, CANSIM_EINVAL, "profile %zu is NULL", j);
        /* An impulse response too long at the rate asked is refused before anything runs. */
        if (cfg->rate_hz != 0.0 && cansim_profile_check_rate(cfg->profiles[j], cfg->rate_hz, diag))
            return CANSIM_EPROFILE;
        for (size_t i = 0; i < j; i++)
            if (!strcmp(cansim_profile_id(cfg->profiles[i]), cansim_profile_id(cfg->profiles[j])))
                return cansim_diag_set(diag, CANSIM_EINVAL,
                                       "two profiles are named '%s'; their outputs would collide",
                                       cansim_profile_id(cfg->profiles[j]));
    }

    CansimRender *r = calloc(1, sizeof *r);
    if (!r)
        return cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory");
    r->cfg = *cfg;
    r->profiles = calloc(cfg->n_profiles, sizeof *r->profiles);
    r->lanes = calloc(cfg->n_profiles, sizeof *r->lanes);
    if (!r->profiles || !r->lanes)
        goto nomem;
    memcpy(r->profiles, cfg->profiles, cfg->n_profiles * sizeof *r->profiles);
    r->cfg.profiles = r->profiles;

    r->cpu_flags = cansim_cpu_detect() & cfg->cpu_mask;
    cansim_kernels_init(&r->k, r->cpu_flags);
    r->n_threads = cfg->n_threads ? cfg->n_threads : omp_get_max_threads();

    r->n_part = b ? b : choose_partition(cfg);
    r->n_fft = 2 * r->n_part;
    r->n_bins = cansim_round_up(r->n_part + 1, CANSIM_PAD);
    r->n_chunk_blocks = r->n_part >= CHUNK_FRAMES ? 1 : CHUNK_FRAMES / r->n_part;
    r->n_chunk = r->n_chunk_blocks * r->n_part;

    for (int c = 0; c < 2; c++)
        if (!(r->planar[c] = cansim_alloc_floats(r->n_part + r->n_chunk)))
            goto nomem;
    if (!(r->in_buf = cansim_alloc_floats(2 * r->n_chunk)))
        goto nomem;
    if (!(r->z_fwd = cansim_alloc_floats(2 * r->n_bins * ((size_t)r->n_threads + 1))))
        goto nomem;
    for (size_t j = 0; j < cfg->n_profiles; j++) {
        Lane *l = &r->lanes[j];
        l->acc = cansim_alloc_floats(4 * r->n_bins);
        l->time = cansim_alloc_floats(2 * r->n_fft);
        /* The output chunk keeps room before it for the true-peak kernel's history. */
        l->out_base = cansim_alloc_floats(TP_PREFIX + 2 * r->n_chunk);
        l->out = l->out_base ? l->out_base + TP_PREFIX : NULL;
        l->z = cansim_alloc_floats(2 * r->n_bins);
        if (!l->acc || !l->time || !l->out || !l->z)
            goto nomem;
    }
    const int e = make_plans(r);
    if (e) {
        cansim_render_close(&r);
        return cansim_diag_set(diag, e, "cannot plan a %zu-point FFT", 2 * b);
    }
    *out = r;
    return CANSIM_OK;
nomem:
    cansim_render_close(&r);
    return cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory");
}

size_t cansim_render_partition_frames(const CansimRender *r)
{
    return r->n_part;
}

unsigned cansim_render_cpu_flags(const CansimRender *r)
{
    return r->cpu_flags;
}

/* Partition spectra of one profile; 1/N of the inverse transform is folded in here. */
static int filter_build(CansimRender *r, Filter *f, const CansimProfile *p, float *scratch)
{
    const size_t b = r->n_part;
    const size_t nb = r->n_bins;
    f->n_taps = cansim_profile_n_taps(p);
    f->n_parts = (f->n_taps + b - 1) / b;
    size_t n_h;
    if (!cansim_mul_size(f->n_parts, 8 * nb, &n_h))
        return CANSIM_ENOMEM;
    f->h = cansim_alloc_floats(n_h);
    f->mask = calloc(f->n_parts, 1);
    if (!f->h || !f->mask)
        return CANSIM_ENOMEM;
    const float scale = 1.0f / (float)r->n_fft;
    f->out_mask = 0;
    /* A symmetric matrix [a b; b a] is diagonal in mid/side: L+R through (a+b)/2 and L-R
     * through (a-b)/2, then L = M + S, R = M - S. Two cells instead of four, so crossfeed costs
     * what a plain profile does. */
    const float *cells[4];
    for (int c = 0; c < 4; c++)
        cells[c] = cansim_profile_taps(p, c);
    const size_t nt = f->n_taps;
    double e_all = 0.0, e_head = 0.0;
    const size_t n_head = (size_t)(SHORT_FILTER_S * cansim_profile_rate(p));
    for (int c = 0; c < 4; c++)
        for (size_t i = 0; cells[c] && i < nt; i++) {
            const double v = (double)cells[c][i] * (double)cells[c][i];
            e_all += v;
            e_head += i < n_head ? v : 0.0;
        }
    f->is_short = e_head >= 0.999 * e_all;
    f->is_ms = cells[CANSIM_CELL_LR] && cells[CANSIM_CELL_LL] && cells[CANSIM_CELL_RR] &&
               cells[CANSIM_CELL_RL] &&
               !memcmp(cells[CANSIM_CELL_LL], cells[CANSIM_CELL_RR], nt * sizeof(float)) &&
               !memcmp(cells[CANSIM_CELL_LR], cells[CANSIM_CELL_RL], nt * sizeof(float));
    float *ms[2] = {NULL, NULL};
    if (f->is_ms) {
        ms[0] = cansim_alloc_floats(nt);
        ms[1] = cansim_alloc_floats(nt);
        if (!ms[0] || !ms[1]) {
            cansim_free(ms[0]);
            cansim_free(ms[1]);
            return CANSIM_ENOMEM;
        }
        for (size_t i = 0; i < nt; i++) {
            const double a = (double)cells[CANSIM_CELL_LL][i];
            const double b2 = (double)cells[CANSIM_CELL_LR][i];
            ms[0][i] = (float)(0.5 * (a + b2));
            ms[1][i] = (float)(0.5 * (a - b2));
        }
        cells[CANSIM_CELL_LL] = ms[0];
        cells[CANSIM_CELL_RR] = ms[1];
        cells[CANSIM_CELL_LR] = cells[CANSIM_CELL_RL] = NULL;
    }
    for (int c = 0; c < 4; c++) {
        const float *taps = cells[c];
        if (!taps)
            continue;
        for (size_t q = 0; q < f->n_parts; q++) {
            const size_t off = q * b;
            const size_t len = f->n_taps - off < b ? f->n_taps - off : b;
            bool is_zero = true;
            for (size_t i = 0; i < len && is_zero; i++)
                is_zero = taps[off + i] == 0.0f;
            if (is_zero)
                continue;
            memset(scratch, 0, r->n_fft * sizeof *scratch);
            for (size_t i = 0; i < len; i++)
                scratch[i] = taps[off + i] * scale;
            float *re = f->h + (q * 8 + 2 * (size_t)c) * nb;
            forward_fft(r, scratch, re, re + nb, r->z_fwd + 2 * nb * (size_t)r->n_threads);
            f->mask[q] |= (unsigned char)(1u << c);
            f->out_mask |= 1u << (c & 1);
        }
    }
    cansim_free(ms[0]);
    cansim_free(ms[1]);
    return CANSIM_OK;
}

/* Realises every profile at rate_hz into s. A profile that fails is recorded in its filter, not
 * returned: only its outputs fail. */
static int set_build(CansimRender *r, FilterSet *s, double rate_hz)
{
    s->filters = calloc(r->cfg.n_profiles, sizeof *s->filters);
    float *scratch = cansim_alloc_floats(r->n_fft);
    int e = (s->filters && scratch) ? CANSIM_OK : CANSIM_ENOMEM;
    s->max_parts = 1;
    for (size_t j = 0; j < r->cfg.n_profiles && !e; j++) {
        Filter *f = &s->filters[j];
        const CansimProfile *p;
        CansimProfile *owned;
        f->status = cansim_profile_at_rate(r->profiles[j], r->cfg.design, rate_hz, &r->k, &p,
                                           &owned, &f->diag);
        if (f->status == CANSIM_ENOMEM)
            e = CANSIM_ENOMEM;
        if (f->status)
            continue;
        e = filter_build(r, f, p, scratch);
        if (!e) {
            const float *cells[4];
            size_t nbp;
            for (int c = 0; c < 4; c++)
                cells[c] = cansim_profile_taps(p, c);
            e = cansim_level_weights(cells, cansim_profile_n_taps(p), rate_hz, &f->level_w, &nbp);
            if (!e) /* translation */
                e = cansim_translation_weights(cells, cansim_profile_n_taps(p), rate_hz, &f->tr_w);
        }
        cansim_profile_close(&owned);
        s->has_ms = s->has_ms || f->is_ms;
        if (f->n_parts > s->max_parts)
            s->max_parts = f->n_parts;
    }
    cansim_free(scratch);
    s->rate_hz = rate_hz;
    return e;
}

/* Makes the filters for rate_hz current (from the cache, or built) and resets the stream. */
static int stream_begin(CansimRender *r, double rate_hz, CansimDiag *diag)
{
    FilterSet *s = NULL;
    for (int i = 0; i < N_CACHED_RATES && !s; i++)
        if (r->sets[i].rate_hz == rate_hz)
            s = &r->sets[i];
    if (!s) {
        s = &r->sets[0];
        for (int i = 1; i < N_CACHED_RATES; i++)
            if (r->sets[i].last_used < s->last_used)
                s = &r->sets[i];
        set_free(s, r->cfg.n_profiles);
        if (set_build(r, s, rate_hz)) {
            set_free(s, r->cfg.n_profiles);
            return cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory for the filters");
        }
    }
    s->last_used = ++r->clock;
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
    /* True peak as libebur128 measures it: 4x oversampled below 96 kHz, 2x below 192 kHz. */
    r->tp_factor = rate_hz < 96000.0 ? 4 : rate_hz < 192000.0 ? 2 : 1;
    cansim_truepeak_coefs(r->tp_coefs, r->tp_factor);
    for (size_t j = 0; j < r->cfg.n_profiles; j++) {
        Lane *l = &r->lanes[j];
        l->n_done = 0;
        l->n_total = INT64_MAX;
        l->status = r->filters[j].status;
        l->diag = r->filters[j].diag;
        l->gain = 1.0f;
        l->peak_bits = 0;
        l->has_tp = false;
        l->tp_max = 0.0f;
        memset(l->tp_hist, 0, sizeof l->tp_hist);
    }
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
    const Filter *f = &r->filters[j];
    Lane *l = &r->lanes[j];
    const size_t nb = r->n_bins;
    const size_t n = r->n_fft;
    memset(l->acc, 0, 4 * nb * sizeof *l->acc);
    for (size_t q = 0; q < f->n_parts && (int64_t)q <= t; q++) {
        const unsigned mask = f->mask[q];
        const float *x = slot(r, t - (int64_t)q) + (f->is_ms ? 4 * nb : 0);
        const float *h = f->h + q * 8 * nb;
        if (mask == 0xF) {
            r->k.cmac2x2(l->acc, x, h, nb);
            continue;
        }
        for (unsigned c = 0; c < 4; c++) {
            if (!(mask & (1u << c)))
                continue;
            const size_t in = c >> 1, o = c & 1;
            float *y = l->acc + 2 * o * nb;
            r->k.cmac(y, y + nb, x + 2 * in * nb, x + 2 * in * nb + nb, h + 2 * c * nb,
                      h + (2 * c + 1) * nb, nb);
        }
    }
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

static void lane_chunk(const CansimRender *r, size_t j, size_t n_blocks, SinkFn *sink,
                       void *sink_ctx)
{
    Lane *l = &r->lanes[j];
    if (l->status || l->n_done >= l->n_total)
        return;
    const int64_t want = l->n_total - l->n_done;
    const size_t n_frames =
        (int64_t)(n_blocks * r->n_part) < want ? n_blocks * r->n_part : (size_t)want;
    const size_t n_run = (n_frames + r->n_part - 1) / r->n_part;
    for (size_t b = 0; b < n_run; b++)
        lane_block(r, j, r->t + (int64_t)b, l->out + 2 * b * r->n_part);
    l->status = sink(sink_ctx, j, l->out, n_frames, &l->diag);
    if (!l->status)
        l->n_done += (int64_t)n_frames;
}

static void process_chunk(CansimRender *r, size_t n_blocks, int n_channels, SinkFn *sink,
                          void *sink_ctx)
{
    const CansimRender *cr = r;
    const int n_fwd = (int)n_blocks * n_channels;
    const int n_lanes = (int)r->cfg.n_profiles;
    int meter_err = 0;
#pragma omp parallel num_threads(r->n_threads) default(none)                                       \
    shared(cr, n_fwd, n_lanes, n_blocks, n_channels, sink, sink_ctx, meter_err)
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
                lane_chunk(cr, (size_t)j, n_blocks, sink, sink_ctx);
            else if (cr->in_meter && cr->n_in_chunk &&
                     ebur128_add_frames_float(cr->in_meter, cr->in_buf, cr->n_in_chunk))
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

/* Streams the source through every lane. n_out < 0: each lane's length is the input's, plus
 * its tail when the config asks; otherwise exactly n_out frames. */
static int stream_run(CansimRender *r, SourceFn *src, void *src_ctx, int n_channels, int64_t n_out,
                      int64_t n_expected, SinkFn *sink, void *sink_ctx, CansimDiag *diag)
{
    const size_t nc = r->n_chunk;
    int64_t n_in = 0;
    bool is_eof = false;
    for (size_t j = 0; j < r->cfg.n_profiles && n_out >= 0; j++)
        r->lanes[j].n_total = n_out;
    while (!all_done(r)) {
        size_t n_read = 0;
        if (!is_eof) {
            const int64_t got = src(src_ctx, r->in_buf, nc, diag);
            if (got < 0)
                return (int)got;
            n_read = (size_t)got;
            n_in += got;
            is_eof = n_read < nc;
            if (is_eof && n_out < 0)
                for (size_t j = 0; j < r->cfg.n_profiles; j++)
                    r->lanes[j].n_total =
                        n_in + (r->cfg.has_tail ? (int64_t)r->filters[j].n_taps - 1 : 0);
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
        /* Past the input's end, run only the blocks some lane still needs. */
        size_t n_blocks = r->n_chunk_blocks;
        if (is_eof) {
            int64_t need = 0;
            const int64_t start = r->t * (int64_t)r->n_part;
            for (size_t j = 0; j < r->cfg.n_profiles; j++)
                if (!r->lanes[j].status && r->lanes[j].n_total - start > need)
                    need = r->lanes[j].n_total - start;
            const int64_t nbk = (need + (int64_t)r->n_part - 1) / (int64_t)r->n_part;
            n_blocks = nbk < (int64_t)n_blocks ? (size_t)nbk : n_blocks;
        }
        r->n_in_chunk = n_read;
        process_chunk(r, n_blocks, n_channels, sink, sink_ctx);
        if (r->cfg.progress && r->cfg.progress(r->cfg.progress_user, n_in, n_expected))
            return cansim_diag_set(diag, CANSIM_ECANCELED, "canceled");
    }
    return CANSIM_OK;
}

/* ------------------------------------------------------------------ buffers */

typedef struct MemSource {
    const float *in;
    int n_channels;
    int64_t n_frames;
    int64_t pos;
} MemSource;

static int check_finite(const float *x, size_t n_frames, int n_channels, int64_t frame0,
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

static int64_t mem_read(void *ctx, float *frames, size_t n, CansimDiag *diag)
{
    MemSource *s = ctx;
    const int64_t left = s->n_frames - s->pos;
    const size_t k = (int64_t)n < left ? n : (size_t)left;
    const float *src = s->in + (size_t)s->pos * (size_t)s->n_channels;
    const int e = check_finite(src, k, s->n_channels, s->pos, "input buffer", diag);
    if (e)
        return e;
    memcpy(frames, src, k * (size_t)s->n_channels * sizeof *frames);
    s->pos += (int64_t)k;
    return (int64_t)k;
}

typedef struct MemSink {
    float *const *outs;
    const Lane *lanes;
} MemSink;

static int mem_write(void *ctx, size_t lane, const float *frames, size_t n, CansimDiag *diag)
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
    int e = stream_begin(r, rate_hz, diag);
    if (e)
        return e;
    MemSource src = {.in = in, .n_channels = n_channels, .n_frames = n_frames};
    MemSink sink = {.outs = outs, .lanes = r->lanes};
    e = stream_run(r, mem_read, &src, n_channels, n_out_frames, n_frames, mem_write, &sink, diag);
    for (size_t j = 0; j < r->cfg.n_profiles && !e; j++)
        if (r->lanes[j].status) {
            e = r->lanes[j].status;
            if (diag)
                *diag = r->lanes[j].diag;
        }
    return e;
}

/* ------------------------------------------------------------------ files */

typedef struct FileSource {
    SNDFILE *sf;
    const char *path;
    int n_channels;
    int64_t pos;
    int64_t n_frames; /* announced by the file: fewer at the end is a truncation */
} FileSource;

static int64_t file_read(void *ctx, float *frames, size_t n, CansimDiag *diag)
{
    FileSource *s = ctx;
    size_t got = 0;
    while (got < n) {
        const sf_count_t k =
            sf_readf_float(s->sf, frames + got * (size_t)s->n_channels, (sf_count_t)(n - got));
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    if (sf_error(s->sf))
        return cansim_audio_read_error(s->sf, s->path, s->pos + (int64_t)got, s->n_frames, diag);
    int e = check_finite(frames, got, s->n_channels, s->pos, s->path, diag);
    if (e)
        return e;
    s->pos += (int64_t)got;
    if (got < n && (e = cansim_audio_check_end(s->path, s->pos, s->n_frames, diag)))
        return e;
    return (int64_t)got;
}

/* Temporary names (output.c) are unique per process and call; "" when there is none. */
typedef struct FileOut {
    SNDFILE *sf;
    char path[4096];
    char part[4096 + 64];
    char raw[4096 + 64]; /* integer outputs: the float intermediate, before gain and dither */
} FileOut;

typedef struct FileSink {
    FileOut *outs;
    Lane *lanes;
    bool is_compute_only;
    const CansimRender *r;
} FileSink;

/* The true peak of a lane's chunk (frames is its out buffer, with TP_PREFIX floats before it),
 * its history carried over from the chunk before. */
static void track_true_peak(const CansimRender *r, Lane *l, float *frames, size_t n)
{
    const size_t h = CANSIM_TP_HISTORY;
    memcpy(frames - 2 * h, l->tp_hist, sizeof l->tp_hist);
    const float p = r->k.truepeak2(frames, n, r->tp_coefs, r->tp_factor);
    if (p > l->tp_max)
        l->tp_max = p;
    if (n >= h) {
        memcpy(l->tp_hist, frames + 2 * (n - h), sizeof l->tp_hist);
    } else {
        memmove(l->tp_hist, l->tp_hist + 2 * n, 2 * (h - n) * sizeof(float));
        memcpy(l->tp_hist + 2 * (h - n), frames, 2 * n * sizeof(float));
    }
}

/* The true peak of a lane's output in dBTP: the larger of the interpolated and the sample
 * peak (libebur128's rule: phase 0 lags, so a peak in the last frames is a sample peak). */
static double lane_true_peak_db(const Lane *l)
{
    float sp;
    memcpy(&sp, &l->peak_bits, sizeof sp);
    return 20.0 * log10((double)(l->tp_max > sp ? l->tp_max : sp));
}

static int file_write(void *ctx, size_t lane, const float *frames, size_t n, CansimDiag *diag)
{
    FileSink *s = ctx;
    if (s->is_compute_only)
        return CANSIM_OK;
    FileOut *o = &s->outs[lane];
    Lane *l = &s->lanes[lane];
    if (l->meter && ebur128_add_frames_float(l->meter, frames, n))
        return cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory for the meter", o->path);
    l->peak_bits = cansim_peak_bits(frames, 2 * n, l->peak_bits);
    if (l->has_tp)
        track_true_peak(s->r, l, (float *)frames, n);
    const sf_count_t k = sf_writef_float(o->sf, frames, (sf_count_t)n);
    if (k != (sf_count_t)n)
        return cansim_diag_set(diag, CANSIM_EIO, "%s: write failed: %s", o->path,
                               sf_strerror(o->sf));
    return CANSIM_OK;
}

static int make_dirs(const char *path, CansimDiag *diag)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return cansim_diag_set(diag, CANSIM_EINVAL, "%s: path too long", path);
    for (char *p = buf + 1;; p++) {
        const char c = *p;
        if (c != '/' && c != '\0')
            continue;
        *p = '\0';
        struct stat st;
        if (mkdir(buf, 0777) && errno != EEXIST)
            return cansim_diag_set(diag, CANSIM_EIO, "%s: cannot create directory: %s", buf,
                                   strerror(errno));
        if (stat(buf, &st) || !S_ISDIR(st.st_mode))
            return cansim_diag_set(diag, CANSIM_EIO, "%s: not a directory", buf);
        *p = c;
        if (c == '\0')
            break;
    }
    return CANSIM_OK;
}

static void fail_all(CansimRender *r, CansimOutputResult *results, int e, const CansimDiag *d)
{
    for (size_t j = 0; j < r->cfg.n_profiles && results; j++)
        if (!results[j].status) {
            results[j].status = e;
            results[j].diag = *d;
        }
}

/* Integer and FLAC outputs cannot hold full scale after dither: without a ceiling they are held
 * just under it. */
#define FULL_SCALE_GUARD_DBTP (-0.01)
/* An output further than this from its target, with no ceiling to explain it, is reported as
 * not at its level (a prediction is well within it, loudness.c). */
#define LEVEL_NOTICE_LU 0.5
/* Inputs under this loudness have their float outputs measured, not predicted. */
#define NEAR_GATE_LUFS (-60.0)
/* A seed per profile position, so dither is the same from run to run at any thread count. */
#define DITHER_SEED 0x63616E73696D2335ull

/* The level plan's gain of one output: the predicted loudness change change_db (output -
 * input, loudness.c) undone (match) or moved to the target, or 0 (off, below the gate, or no
 * prediction). */
static double planned_gain_db(const CansimRender *r, double change_db, double input_lufs,
                              bool is_below_gate)
{
    if (is_below_gate || !isfinite(change_db))
        return 0.0;
    if (r->cfg.level_mode == CANSIM_LEVEL_MATCH)
        return -change_db;
    if (r->cfg.level_mode == CANSIM_LEVEL_TARGET)
        return r->cfg.level_lufs - (input_lufs + change_db);
    return 0.0;
}

/* The highest true peak an output may have (dBTP): the ceiling, and for integer and FLAC
 * outputs, without one, just under full scale (they cannot hold it after dither); float
 * outputs without a ceiling have none (HUGE_VAL). */
static double output_ceiling_db(const CansimRender *r, bool is_float_out)
{
    if (is_float_out)
        return r->cfg.has_ceiling ? r->cfg.ceiling_dbtp : HUGE_VAL;
    return r->cfg.has_ceiling && r->cfg.ceiling_dbtp < FULL_SCALE_GUARD_DBTP
               ? r->cfg.ceiling_dbtp
               : FULL_SCALE_GUARD_DBTP;
}

/* An output's peak in dB: its true peak when the lane tracked it, else its sample peak. */
static double lane_peak_db(const Lane *l)
{
    if (l->has_tp)
        return lane_true_peak_db(l);
    float peak;
    memcpy(&peak, &l->peak_bits, sizeof peak);
    return 20.0 * log10((double)peak);
}

/* A complete output not at the level asked gets CANSIM_ELEVEL in its notice, with the reason:
 * an input under the gate with a level target, or an output through this profile still under
 * the gate (or off its target) with nothing else to explain it (the ceiling says is_limited). */
static void level_notice(const CansimRender *r, bool is_below_gate, double target,
                         CansimOutputResult *res)
{
    const CansimLevelMode mode = r->cfg.level_mode;
    if (mode == CANSIM_LEVEL_OFF || res->is_limited)
        return;
    if (is_below_gate) {
        if (mode == CANSIM_LEVEL_TARGET)
            res->notice = cansim_diag_set(&res->diag, CANSIM_ELEVEL,
                                          "level not matched: the input is below the -70 LUFS "
                                          "gate, so the output stays at the filter's own gain, "
                                          "not at %.1f LUFS",
                                          target);
        return;
    }
    if (!(res->loudness_lufs > -70.0))
        res->notice = cansim_diag_set(&res->diag, CANSIM_ELEVEL,
                                      "level not matched: through this profile the input is "
                                      "below the -70 LUFS gate before gain, so the output "
                                      "stays at the filter's own gain, not at %.1f LUFS",
                                      target);
    else if (isfinite(target) && fabs(res->loudness_lufs - target) > LEVEL_NOTICE_LU)
        res->notice = cansim_diag_set(&res->diag, CANSIM_ELEVEL,
                                      "level not matched: the output is at %.1f LUFS, not at "
                                      "%.1f LUFS",
                                      res->loudness_lufs, target);
}

/* Renames a complete temporary file to its final name. */
static int finish_rename(const char *tmp, const char *path, CansimDiag *diag)
{
    if (rename(tmp, path))
        return cansim_diag_set(diag, CANSIM_EIO, "%s: cannot rename to %s: %s", tmp, path,
                               strerror(errno));
    return CANSIM_OK;
}

/* A float output rewritten, losslessly, at corr_db (the ceiling's or the exact loudness's
 * correction): o->part is replaced by the rewritten temporary file. */
static int rewrite_float(FileOut *o, int sf_format, int rate_hz, double corr_db, CansimDiag *diag)
{
    char fix[sizeof o->part];
    const int e = cansim_level_finish(o->part, o->path, "fix", fix, sizeof fix, sf_format, rate_hz,
                                      pow(10.0, corr_db / 20.0), false, 0, diag);
    if (e)
        return e;
    unlink(o->part);
    snprintf(o->part, sizeof o->part, "%s", fix);
    return CANSIM_OK;
}

/* After the render: measures (or takes the prediction), applies the ceiling and the exact
 * loudness correction, and leaves the output complete under o->part. */
static int finish_output(const CansimRender *r, size_t j, FileOut *o, int sf_format, int rate_hz,
                         bool is_float_out, double target, bool is_below_gate, double gain_db,
                         double pred_lufs, uint64_t seed, CansimOutputResult *res)
{
    Lane *l = &r->lanes[j];
    const bool is_leveled = r->cfg.level_mode != CANSIM_LEVEL_OFF && !is_below_gate;
    double corr_db = 0.0;
    const double peak_db = lane_peak_db(l);
    const double ceiling = output_ceiling_db(r, is_float_out);
    res->is_true_peak = l->has_tp;
    if (is_float_out) {
        res->is_measured = false;
        res->loudness_lufs = pred_lufs + gain_db;
        double lufs;
        if (l->meter && !ebur128_loudness_global(l->meter, &lufs) && isfinite(lufs)) {
            /* A long filter's output, measured: the exact correction replaces the prediction. */
            res->is_measured = true;
            res->loudness_lufs = lufs;
            if (is_leveled && isfinite(target) && fabs(target - lufs) > 0.01)
                corr_db = target - lufs;
        }
        if (peak_db + corr_db > ceiling) {
            corr_db = ceiling - peak_db;
            res->is_limited = true;
        }
        res->loudness_lufs += corr_db;
        res->peak_db = peak_db + corr_db;
        res->correction_db = corr_db;
        res->gain_db = gain_db + corr_db;
        level_notice(r, is_below_gate, target, res);
        return corr_db == 0.0 ? CANSIM_OK : rewrite_float(o, sf_format, rate_hz, corr_db, &l->diag);
    }
    double lufs = -HUGE_VAL;
    if (ebur128_loudness_global(l->meter, &lufs))
        lufs = -HUGE_VAL;
    /* The exact correction: loudness scales with the gain (BS.1770 is quadratic). */
    if (is_leveled && isfinite(lufs) && isfinite(target))
        corr_db = target - lufs;
    if (isfinite(peak_db) && peak_db + corr_db > ceiling) {
        corr_db = ceiling - peak_db;
        res->is_limited = true;
    }
    res->is_measured = true;
    res->loudness_lufs = lufs + corr_db;
    res->peak_db = peak_db + corr_db;
    res->is_dithered = (sf_format & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_16;
    res->correction_db = corr_db;
    res->gain_db = gain_db + corr_db;
    level_notice(r, is_below_gate, target, res);
    return cansim_level_finish(o->raw, o->path, NULL, o->part, sizeof o->part, sf_format, rate_hz,
                               pow(10.0, corr_db / 20.0), res->is_dithered,
                               seed + 0x9E3779B97F4A7C15ull * (uint64_t)j, &l->diag);
}

/* A gain group member's output, rendered at the group's gain and measured, waiting for the
 * group's ceiling before it is finished and renamed (render_input with pend). */
typedef struct Pending {
    FileOut o;
    int status;
    int sf_format;
    int rate_hz;
    bool is_float_out;
    bool is_true_peak; /* peak_db is a true peak (integer and FLAC outputs, or a ceiling) */
    double peak_db;    /* true peak, else sample peak */
    double lufs;       /* measured integrated loudness */
    double gain_db;    /* the gain it was rendered at */
    uint64_t seed;
} Pending;

static int render_input(CansimRender *r, const char *input_path, const char *output_dir,
                        const CansimFileOptions *opt, const double *fixed_gain_db, Pending *pend,
                        CansimOutputResult *results, CansimDiag *diag);

int cansim_render_file(CansimRender *r, const char *input_path, const char *output_dir,
                       CansimOutputResult *results, CansimDiag *diag)
{
    return render_input(r, input_path, output_dir, NULL, NULL, NULL, results, diag);
}

int cansim_render_file_with(CansimRender *r, const char *input_path, const char *output_dir,
                            const CansimFileOptions *opt, CansimOutputResult *results,
                            CansimDiag *diag)
{
    return render_input(r, input_path, output_dir, opt, NULL, NULL, results, diag);
}

/* Renders one input. fixed_gain_db (per profile) replaces the level plan: no analysis, no
 * exact correction. pend (per profile) defers the finish: outputs stay as intermediates,
 * measured, for finish_pending(). */
static int render_input(CansimRender *r, const char *input_path, const char *output_dir,
                        const CansimFileOptions *opt, const double *fixed_gain_db, Pending *pend,
                        CansimOutputResult *results, CansimDiag *diag)
{
    const CansimFileOptions no_opt = {0};
    if (!opt)
        opt = &no_opt;
    const size_t n_prof = r->cfg.n_profiles;
    CansimDiag local;
    if (!diag)
        diag = &local;
    diag->msg[0] = '\0';
    if (results)
        memset(results, 0, n_prof * sizeof *results);
    if (!input_path || (!output_dir && !r->cfg.is_compute_only)) {
        const int e = cansim_diag_set(diag, CANSIM_EINVAL, "no input or output path");
        fail_all(r, results, e, diag);
        return e;
    }
    SNDFILE *in;
    SF_INFO info;
    FileOut *outs = NULL;
    double *gains_db = NULL;
    double *pred_db = NULL;
    CansimTrAnalysis *tr = NULL; /* translation */
    char converted[4096 + 64] = "";
    int e = cansim_audio_open_read(input_path, &in, &info, diag);
    if (e) {
        fail_all(r, results, e, diag);
        return e;
    }
    if (info.channels > 2) {
        e = cansim_diag_set(diag, CANSIM_EFORMAT, "%s: %d channels (mono or stereo expected)",
                            input_path, info.channels);
        goto done;
    }
    if (info.frames == 0) {
        e = cansim_diag_set(diag, CANSIM_EDATA, "%s: no audio frames", input_path);
        goto done;
    }
    int sf_format = 0;
    const char *ext = "";
    const int out_rate = r->cfg.rate_hz != 0.0 ? (int)r->cfg.rate_hz : info.samplerate;
    if (!r->cfg.is_compute_only &&
        (e = cansim_audio_output_format(r->cfg.format, info.format, out_rate, &sf_format, &ext,
                                        diag))) {
        char msg[sizeof diag->msg];
        snprintf(msg, sizeof msg, "%s", diag->msg);
        cansim_diag_set(diag, e, "%s: %s", input_path, msg);
        goto done;
    }
    char dir[4096];
    char stem[256];
    cansim_path_stem(input_path, stem, sizeof stem);
    if (!r->cfg.is_compute_only) {
        if (snprintf(dir, sizeof dir, "%s/%s", output_dir, stem) >= (int)sizeof dir) {
            e = cansim_diag_set(diag, CANSIM_EINVAL, "%s: output path too long", output_dir);
            goto done;
        }
        if ((e = make_dirs(dir, diag)))
            goto done;
        cansim_tmp_sweep(dir);
    }
    /* Another rate: the input is converted once, to a float file beside the outputs (in the
     * temporary directory for compute-only renders), which both passes then read. */
    const char *src_path = input_path;
    if (r->cfg.rate_hz != 0.0 && r->cfg.rate_hz != info.samplerate) {
        char conv_final[4096 + 32];
        if (r->cfg.is_compute_only)
            snprintf(conv_final, sizeof conv_final, "%s/cansim-input.w64",
                     getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        else if (snprintf(conv_final, sizeof conv_final, "%s/.input.w64", dir) >=
                 (int)sizeof conv_final) {
            e = cansim_diag_set(diag, CANSIM_EINVAL, "%s: output path too long", dir);
            goto done;
        }
        if ((e = cansim_resample_file(in, &info, input_path, conv_final, converted,
                                      sizeof converted, r->cfg.rate_hz, r->cfg.resampler,
                                      r->cfg.progress, r->cfg.progress_user, diag)))
            goto done;
        cansim_audio_close_read(in);
        in = NULL;
        SF_INFO conv_info;
        if ((e = cansim_audio_open_read(converted, &in, &conv_info, diag)))
            goto done;
        if (conv_info.frames == 0) {
            e = cansim_diag_set(
                diag, CANSIM_EDATA, "%s: %lld frames at %d Hz are less than one frame at %g Hz",
                input_path, (long long)info.frames, info.samplerate, r->cfg.rate_hz);
            goto done;
        }
        info.samplerate = conv_info.samplerate;
        info.frames = conv_info.frames;
        src_path = converted;
    }
    if ((e = stream_begin(r, info.samplerate, diag)))
        goto done;
    if (!r->cfg.is_compute_only) {
        /* The container for the longest output (with its tail), before anything is written. */
        int64_t n_longest = info.frames;
        for (size_t j = 0; r->cfg.has_tail && j < n_prof; j++)
            if (info.frames + (int64_t)r->filters[j].n_taps - 1 > n_longest)
                n_longest = info.frames + (int64_t)r->filters[j].n_taps - 1;
        if ((e = cansim_output_fit(&sf_format, n_longest, 2, input_path, diag)))
            goto done;
    }
    for (size_t j = 0; opt->skip && j < n_prof; j++)
        if (opt->skip[j])
            r->lanes[j].status = LANE_SKIPPED;
    outs = calloc(n_prof, sizeof *outs);
    gains_db = calloc(n_prof, sizeof *gains_db);
    pred_db = calloc(n_prof, sizeof *pred_db);
    if (!outs || !gains_db || !pred_db) {
        e = cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory");
        goto done;
    }
    const bool is_float_out = r->cfg.is_compute_only || cansim_audio_is_float(sf_format);
    /* Level plan: each output's gain from the predicted loudness (loudness.c), applied as the
     * lanes interleave their output; measured and finished after the render. */
    const CansimLevelMode mode = r->cfg.level_mode;
    const bool has_analysis = !fixed_gain_db && (mode != CANSIM_LEVEL_OFF || r->cfg.has_ceiling);
    const bool is_match = mode == CANSIM_LEVEL_MATCH;
    CansimLevelAnalysis la = {
        .input_lufs = (double)NAN, .input_pred_lufs = (double)NAN, .pred_lufs = pred_db};
    if (has_analysis) {
        const float **w = calloc(n_prof, sizeof *w);
        if (!w) {
            e = cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory");
            goto done;
        }
        for (size_t j = 0; j < n_prof; j++)
            w[j] = r->lanes[j].status ? NULL : r->filters[j].level_w;
        /* translation: on the same spectra; without memory for it, none */
        if (!cansim_translation_open(&tr, n_prof, info.samplerate))
            for (size_t j = 0; j < n_prof; j++)
                cansim_translation_use(tr, j, w[j] ? r->filters[j].tr_w : NULL);
        la.tr = tr;
        /* Matching needs only the predicted change (output - input) before the render, so the
         * input's exact meter then runs during the render, beside the lanes. */
        e = cansim_level_analyse(src_path, w, n_prof, r->n_threads, !is_match, &la, diag);
        free((void *)w);
        if (e)
            goto done;
    }
    if ((is_match && has_analysis) || fixed_gain_db) {
        if (!(r->in_meter = cansim_meter_new((unsigned)info.channels,
                                             (unsigned long)info.samplerate, EBUR128_MODE_I))) {
            e = cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory for the meter");
            goto done;
        }
        if (info.channels == 1)
            ebur128_set_channel(r->in_meter, 0, EBUR128_DUAL_MONO);
    }
    /* Below the gate by the prediction now; by the meter once the input has streamed. */
    bool is_below_gate = has_analysis && !((is_match ? la.input_pred_lufs : la.input_lufs) > -70.0);
    /* Near the gate a few blocks decide the gating, and the prediction can miss by more than
     * an LU: float outputs are then measured and corrected like long filters'. */
    const bool is_near_gate =
        has_analysis && !((is_match ? la.input_pred_lufs : la.input_lufs) > NEAR_GATE_LUFS);
    for (size_t j = 0; j < n_prof; j++) {
        /* The prediction's bias cancels in the difference output - input (loudness.c). */
        const double change_db = pred_db[j] - la.input_pred_lufs;
        gains_db[j] = fixed_gain_db ? fixed_gain_db[j]
                                    : planned_gain_db(r, change_db, la.input_lufs, is_below_gate);
        pred_db[j] = change_db;
        r->lanes[j].gain = (float)pow(10.0, gains_db[j] / 20.0);
    }
    /* Files and meters are created serially: libsndfile's open errors are global and
     * ebur128_init writes static tables. Integer outputs are rendered to a float intermediate,
     * measured exactly (libebur128, integrated loudness and true peak) and then written once in
     * their format with the exact gain: no sample is ever clipped, and dither is added once. */
    for (size_t j = 0; j < n_prof && !r->cfg.is_compute_only; j++) {
        char path[4096];
        const char *id = cansim_profile_id(r->profiles[j]);
        Lane *l = &r->lanes[j];
        if (snprintf(path, sizeof path, "%s/%s.%s", dir, id, ext) >= (int)sizeof path) {
            l->status = cansim_diag_set(&l->diag, CANSIM_EINVAL, "%s/%s: path too long", dir, id);
            continue;
        }
        snprintf(outs[j].path, sizeof outs[j].path, "%s", path);
        if (results)
            snprintf(results[j].path, sizeof results[j].path, "%s", path);
        if (l->status)
            continue;
        if ((l->status = cansim_output_check_name(path, &l->diag)))
            continue;
        const bool has_meter =
            !is_float_out || fixed_gain_db ||
            (mode != CANSIM_LEVEL_OFF && (!r->filters[j].is_short || is_near_gate));
        if (has_meter &&
            !(l->meter = cansim_meter_new(2, (unsigned long)info.samplerate, EBUR128_MODE_I))) {
            l->status = cansim_diag_set(&l->diag, CANSIM_ENOMEM, "out of memory for the meter");
            continue;
        }
        /* The ceiling holds every output's true peak, float ones' too. */
        l->has_tp = !is_float_out || r->cfg.has_ceiling;
        l->status = is_float_out ? cansim_audio_create(path, NULL, sf_format, info.samplerate, 2,
                                                       SFM_WRITE, &outs[j].sf, outs[j].part,
                                                       sizeof outs[j].part, &l->diag)
                                 : cansim_audio_create(path, "raw", SF_FORMAT_W64 | SF_FORMAT_FLOAT,
                                                       info.samplerate, 2, SFM_WRITE, &outs[j].sf,
                                                       outs[j].raw, sizeof outs[j].raw, &l->diag);
    }
    FileSource src = {
        .sf = in, .path = src_path, .n_channels = info.channels, .n_frames = info.frames};
    FileSink sink = {
        .outs = outs, .lanes = r->lanes, .is_compute_only = r->cfg.is_compute_only, .r = r};
    r->in_meter_err = 0;
    e = stream_run(r, file_read, &src, info.channels, -1, info.frames, file_write, &sink, diag);
    if (!e && r->in_meter_err)
        e = cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory for the meter");
    if (e)
        fail_all(r, results, e, diag);
    if (r->in_meter) {
        /* Only a meter that saw the whole input says its loudness: when every output failed
         * before the end (none could be created), the input's level is not known. */
        if (src.pos < info.frames)
            la.input_lufs = (double)NAN;
        else if (ebur128_loudness_global(r->in_meter, &la.input_lufs))
            la.input_lufs = -HUGE_VAL;
        ebur128_destroy(&r->in_meter);
        is_below_gate = !fixed_gain_db && la.input_lufs == -HUGE_VAL;
    }
    const double target = mode == CANSIM_LEVEL_MATCH    ? la.input_lufs
                          : mode == CANSIM_LEVEL_TARGET ? r->cfg.level_lufs
                                                        : (double)NAN;
    for (size_t j = 0; j < n_prof; j++)
        pred_db[j] = has_analysis ? la.input_lufs + pred_db[j] : (double)NAN;
    /* Finish: a complete output is renamed to its final name, anything else removed. */
    int first = e;
    for (size_t j = 0; j < n_prof; j++) {
        Lane *l = &r->lanes[j];
        if (outs[j].sf) {
            const int ce =
                cansim_audio_close(outs[j].sf, is_float_out ? outs[j].part : outs[j].raw, &l->diag);
            if (!l->status)
                l->status = ce;
        }
        CansimOutputResult res = {0};
        if (pend && !e && !l->status && !r->cfg.is_compute_only) {
            /* Measured now; finished, with the group's ceiling, by finish_pending(). */
            Pending *pj = &pend[j];
            pj->o = outs[j];
            pj->status = CANSIM_OK;
            pj->sf_format = sf_format;
            pj->rate_hz = info.samplerate;
            pj->is_float_out = is_float_out;
            pj->is_true_peak = l->has_tp;
            pj->gain_db = gains_db[j];
            pj->seed = (DITHER_SEED ^ opt->seed) + 0x9E3779B97F4A7C15ull * (uint64_t)j;
            if (ebur128_loudness_global(l->meter, &pj->lufs))
                pj->lufs = -HUGE_VAL;
            pj->peak_db = lane_peak_db(l);
            outs[j].part[0] = outs[j].raw[0] = '\0'; /* kept for the finish */
            ebur128_destroy(&l->meter);
            if (results) {
                memcpy(res.path, results[j].path, sizeof res.path);
                res.n_frames = l->n_done;
                cansim_audio_format_label(sf_format, res.format, sizeof res.format);
                res.input_lufs = la.input_lufs;
                res.target_lufs = target;
                res.gain_db = gains_db[j];
                results[j] = res;
            }
            continue;
        }
        if (!e && !l->status && !r->cfg.is_compute_only)
            l->status = finish_output(r, j, &outs[j], sf_format, info.samplerate, is_float_out,
                                      target, is_below_gate, gains_db[j], pred_db[j],
                                      DITHER_SEED ^ opt->seed, &res);
        if (!r->cfg.is_compute_only && !e && !l->status)
            l->status = finish_rename(outs[j].part, outs[j].path, &l->diag);
        if ((e || l->status) && outs[j].part[0])
            unlink(outs[j].part);
        if (outs[j].raw[0])
            unlink(outs[j].raw);
        if (l->meter)
            ebur128_destroy(&l->meter);
        if (results && !e) {
            if (r->cfg.is_compute_only) {
                res.gain_db = gains_db[j];
                res.loudness_lufs = pred_db[j] + gains_db[j];
                res.peak_db = (double)NAN;
            }
            res.status = l->status;
            res.n_frames = l->n_done;
            memcpy(res.path, results[j].path, sizeof res.path);
            if (l->status) {
                res.diag = l->diag;
                res.notice = CANSIM_OK;
            }
            if (!r->cfg.is_compute_only)
                cansim_audio_format_label(sf_format, res.format, sizeof res.format);
            /* translation */
            cansim_translation_result(res.status ? NULL : tr, j, res.gain_db, &res.translation);
            res.input_lufs = la.input_lufs;
            res.target_lufs = target;
            res.is_below_gate = is_below_gate;
            results[j] = res;
        }
        if (l->status == LANE_SKIPPED && results && !e) {
            results[j].status = CANSIM_OK;
            results[j].diag.msg[0] = '\0';
            results[j].is_skipped = true;
        }
        if (!first && l->status && l->status != LANE_SKIPPED)
            first = l->status;
    }
    e = first;
done:
    cansim_translation_close(&tr); /* translation */
    if (r->in_meter)
        ebur128_destroy(&r->in_meter);
    free(outs);
    free(gains_db);
    free(pred_db);
    if (in)
        cansim_audio_close_read(in);
    if (converted[0])
        unlink(converted);
    if (e && results && results[0].status == CANSIM_OK && diag->msg[0])
        fail_all(r, results, e, diag);
    return e;
}

/* ------------------------------------------------------------------ gain groups */

/* Finishes a member's output at corr_db on top of its render gain (the group's ceiling):
 * integer and FLAC outputs get their single finishing pass (gain, dither), float outputs are
 * rewritten losslessly when corr_db is not 0; then the output is renamed. */
static int finish_pending(Pending *p, double corr_db, CansimOutputResult *res, CansimDiag *diag)
{
    FileOut *o = &p->o;
    const bool is_dithered =
        !p->is_float_out && (p->sf_format & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_16;
    int e = CANSIM_OK;
    if (!p->is_float_out) {
        e = cansim_level_finish(o->raw, o->path, NULL, o->part, sizeof o->part, p->sf_format,
                                p->rate_hz, pow(10.0, corr_db / 20.0), is_dithered, p->seed, diag);
        unlink(o->raw);
        o->raw[0] = '\0';
    } else if (corr_db != 0.0) {
        e = rewrite_float(o, p->sf_format, p->rate_hz, corr_db, diag);
    }
    if (!e)
        e = finish_rename(o->part, o->path, diag);
    if (e && o->part[0])
        unlink(o->part);
    o->part[0] = '\0';
    res->status = e;
    if (e) {
        res->diag = *diag;
        return e;
    }
    res->is_measured = true;
    res->is_true_peak = p->is_true_peak;
    res->is_dithered = is_dithered;
    res->loudness_lufs = p->lufs + corr_db;
    res->peak_db = p->peak_db + corr_db;
    res->gain_db = p->gain_db + corr_db;
    res->correction_db = corr_db;
    res->is_limited = corr_db < 0.0;
    return CANSIM_OK;
}

static void discard_pending(Pending *p)
{
    if (p->o.part[0])
        unlink(p->o.part);
    if (p->o.raw[0])
        unlink(p->o.raw);
}

/* Adds the input at path (converted to rate_hz first when it is at another rate) into the
 * stereo float file sum (opened read-write), from frame 0. Mono adds to both sides. */
static int add_into_sum(CansimRender *r, SNDFILE *sum, const char *path, double rate_hz,
                        const char *tmp_final, int64_t *n_sum, CansimDiag *diag)
{
    SNDFILE *in;
    SF_INFO info;
    int e = cansim_audio_open_read(path, &in, &info, diag);
    if (e)
        return e;
    const char *src_path = path;
    char tmp_path[4096 + 64] = "";
    if (info.channels > 2) {
        cansim_audio_close_read(in);
        return cansim_diag_set(diag, CANSIM_EFORMAT, "%s: %d channels (mono or stereo expected)",
                               path, info.channels);
    }
    if (info.samplerate != rate_hz) {
        e = cansim_resample_file(in, &info, path, tmp_final, tmp_path, sizeof tmp_path, rate_hz,
                                 r->cfg.resampler, r->cfg.progress, r->cfg.progress_user, diag);
        cansim_audio_close_read(in);
        if (e)
            return e;
        if ((e = cansim_audio_open_read(tmp_path, &in, &info, diag))) {
            unlink(tmp_path);
            return e;
        }
        src_path = tmp_path;
    }
    const size_t chunk = 8192;
    float *x = malloc(chunk * 2 * sizeof *x);
    float *acc = malloc(chunk * 2 * sizeof *acc);
    int64_t pos = 0;
    if (!x || !acc)
        e = cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory");
    while (!e) {
        const sf_count_t k = sf_readf_float(in, x, (sf_count_t)chunk);
        if (k <= 0)
            break;
        const size_t n = (size_t)k * (size_t)info.channels;
        for (size_t i = 0; i < n; i++)
            if (!isfinite(x[i])) {
                e = cansim_diag_set(diag, CANSIM_EDATA, "%s: sample at frame %lld is %s", path,
                                    (long long)(pos + (int64_t)(i / (size_t)info.channels)),
                                    isnan(x[i]) ? "NaN" : "infinite");
                break;
            }
        if (e)
            break;
        sf_count_t have = 0;
        if (pos < *n_sum) {
            sf_seek(sum, pos, SEEK_SET);
            have = sf_readf_float(sum, acc, k);
            if (have < 0)
                have = 0;
        }
        memset(acc + 2 * have, 0, (size_t)(k - have) * 2 * sizeof *acc);
        for (sf_count_t i = 0; i < k; i++) {
            const float lv = x[(size_t)i * (size_t)info.channels];
            const float rv = x[(size_t)i * (size_t)info.channels + (size_t)info.channels - 1];
            acc[2 * i] += lv;
            acc[2 * i + 1] += rv;
        }
        if (sf_seek(sum, pos, SEEK_SET) < 0 || sf_writef_float(sum, acc, k) != k)
            e = cansim_diag_set(diag, CANSIM_EIO, "cannot write the gain group's sum: %s",
                                sf_strerror(sum));
        pos += k;
        if (pos > *n_sum)
            *n_sum = pos;
    }
    if (!e && sf_error(in))
        e = cansim_audio_read_error(in, src_path, pos, info.frames, diag);
    if (!e)
        e = cansim_audio_check_end(src_path, pos, info.frames, diag);
    free(x);
    free(acc);
    cansim_audio_close_read(in);
    if (src_path != path)
        unlink(tmp_path);
    return e;
}

int cansim_render_group(CansimRender *r, const char *const *inputs, const char *const *output_dirs,
                        size_t n, const CansimFileOptions *opts, CansimOutputResult *const *results,
                        CansimGroupResult *g, CansimDiag *diag)
{
    const size_t n_prof = r->cfg.n_profiles;
    CansimDiag local;
    if (!diag)
        diag = &local;
    diag->msg[0] = '\0';
    if (!inputs || !output_dirs || !results || !g || !g->gain_db || n == 0 ||
        r->cfg.is_compute_only)
        return cansim_diag_set(diag, CANSIM_EINVAL, "gain group: bad arguments");
    for (size_t i = 0; i < n; i++) {
        memset(results[i], 0, n_prof * sizeof *results[i]);
        g->member_status[i] = CANSIM_OK;
    }
    g->sum_lufs = (double)NAN;
    g->n_rendered = 0;
    /* The render rate: --rate, else the members' common rate. */
    double rate = r->cfg.rate_hz;
    const char *first = NULL;
    for (size_t i = 0; i < n; i++) {
        SNDFILE *sf;
        SF_INFO info;
        CansimDiag d;
        int e = cansim_audio_open_read(inputs[i], &sf, &info, &d);
        if (!e) {
            cansim_audio_close_read(sf);
            if (info.frames <= 0)
                e = cansim_diag_set(&d, CANSIM_EDATA, "%s: no audio frames", inputs[i]);
            else if (info.channels > 2)
                e = cansim_diag_set(&d, CANSIM_EFORMAT,
                                    "%s: %d channels (mono or stereo "
                                    "expected)",
                                    inputs[i], info.channels);
        }
        if (e) {
            g->member_status[i] = e;
            g->member_diag[i] = d;
            continue;
        }
        if (rate == 0.0) {
            rate = info.samplerate;
            first = inputs[i];
        } else if (r->cfg.rate_hz == 0.0 && info.samplerate != rate) {
            return cansim_diag_set(diag, CANSIM_ERATE,
                                   "%s: %d Hz, but %s is at %g Hz: a gain group's inputs share "
                                   "one rate (give --rate, or --gain-group none)",
                                   inputs[i], info.samplerate, first, rate);
        }
    }
    char sum_final[4200], sum_path[4200 + 64] = "", tmp_final[4200];
    snprintf(sum_final, sizeof sum_final, "%s/.gain-group-sum.w64", output_dirs[0]);
    snprintf(tmp_final, sizeof tmp_final, "%s/.gain-group-member.w64", output_dirs[0]);
    int e = make_dirs(output_dirs[0], diag);
    if (e)
        return e;
    cansim_tmp_sweep(output_dirs[0]);
    double *gains = calloc(n_prof, sizeof *gains);
    double *pred = calloc(n_prof, sizeof *pred);
    Pending *pend = calloc(n * n_prof, sizeof *pend);
    const float **w = calloc(n_prof, sizeof *w);
    SNDFILE *sum = NULL;
    if (!gains || !pred || !pend || !w) {
        e = cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory");
        goto done;
    }
    /* The members' sum, on which the group's loudness is planned. A member that fails here
     * (NaN samples, unreadable) leaves the group, and the sum is made again without it. */
    size_t n_ok = 0;
    for (bool again = true; again;) {
        again = false;
        if (sum)
            sf_close(sum);
        sum = NULL;
        if (sum_path[0])
            unlink(sum_path);
        if ((e = cansim_audio_create(sum_final, NULL, SF_FORMAT_W64 | SF_FORMAT_FLOAT, (int)rate, 2,
                                     SFM_RDWR, &sum, sum_path, sizeof sum_path, diag)))
            goto done;
        int64_t n_sum = 0;
        n_ok = 0;
        for (size_t i = 0; i < n && !again; i++) {
            if (g->member_status[i])
                continue;
            CansimDiag d;
            const int me = add_into_sum(r, sum, inputs[i], rate, tmp_final, &n_sum, &d);
            if (me == CANSIM_ECANCELED) {
                e = cansim_diag_set(diag, me, "canceled");
                goto done;
            }
            if (me) {
                g->member_status[i] = me;
                g->member_diag[i] = d;
                again = true;
            } else {
                n_ok++;
            }
        }
    }
    sf_close(sum);
    sum = NULL;
    if (!n_ok) {
        e = cansim_diag_set(diag, CANSIM_EDATA, "gain group: no member can be rendered");
        goto done;
    }
    /* The gains, as for one input: the sum's predicted change per profile (loudness.c). */
    if ((e = stream_begin(r, rate, diag)))
        goto done;
    const CansimLevelMode mode = r->cfg.level_mode;
    CansimLevelAnalysis la = {
        .input_lufs = (double)NAN, .input_pred_lufs = (double)NAN, .pred_lufs = pred};
    for (size_t j = 0; j < n_prof; j++)
        w[j] = r->lanes[j].status || (opts && opts[0].skip && opts[0].skip[j])
                   ? NULL
                   : r->filters[j].level_w;
    if ((e = cansim_level_analyse(sum_path, w, n_prof, r->n_threads, true, &la, diag)))
        goto done;
    g->sum_lufs = la.input_lufs;
    const bool is_below_gate = !(la.input_lufs > -70.0);
    for (size_t j = 0; j < n_prof; j++)
        gains[j] = planned_gain_db(r, pred[j] - la.input_pred_lufs, la.input_lufs, is_below_gate);
    /* Every member at the group's gains, measured, kept unfinished. */
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n_prof; j++)
            pend[i * n_prof + j].status = CANSIM_EINTERNAL;
        if (g->member_status[i]) {
            for (size_t j = 0; j < n_prof; j++) {
                results[i][j].status = g->member_status[i];
                results[i][j].diag = g->member_diag[i];
            }
            continue;
        }
        CansimDiag d;
        const CansimFileOptions *o = opts ? &opts[i] : NULL;
        const int me =
            render_input(r, inputs[i], output_dirs[i], o, gains, &pend[i * n_prof], results[i], &d);
        g->n_rendered++;
        if (me == CANSIM_ECANCELED) {
            e = cansim_diag_set(diag, me, "canceled");
            goto done;
        }
        if (me && d.msg[0]) {
            g->member_status[i] = me;
            g->member_diag[i] = d;
        }
    }
    /* The ceiling, per profile, over every member: one correction lowers them all. */
    for (size_t j = 0; j < n_prof; j++) {
        double corr = 0.0;
        for (size_t i = 0; i < n; i++) {
            const Pending *p = &pend[i * n_prof + j];
            if (p->status || !isfinite(p->peak_db))
                continue;
            const double ceiling = output_ceiling_db(r, p->is_float_out);
            if (p->peak_db + corr > ceiling)
                corr = ceiling - p->peak_db;
        }
        g->gain_db[j] = gains[j] + corr;
        if (g->is_limited)
            g->is_limited[j] = corr < 0.0;
        for (size_t i = 0; i < n; i++) {
            Pending *p = &pend[i * n_prof + j];
            if (p->status)
                continue;
            CansimDiag d;
            CansimOutputResult *res = &results[i][j];
            if (finish_pending(p, corr, res, &d) && !e)
                e = res->status;
            res->target_lufs = mode == CANSIM_LEVEL_MATCH    ? la.input_lufs
                               : mode == CANSIM_LEVEL_TARGET ? r->cfg.level_lufs
                                                             : (double)NAN;
            /* A member's own loudness is not the group's: the plan on the sum is what failed. */
            if (!res->status && !is_below_gate && mode != CANSIM_LEVEL_OFF &&
                !isfinite(pred[j] - la.input_pred_lufs))
                res->notice = cansim_diag_set(&res->diag, CANSIM_ELEVEL,
                                              "level not matched: through this profile the gain "
                                              "group's sum is below the -70 LUFS gate before "
                                              "gain, so it stays at the filter's own gain");
            else if (!res->status && is_below_gate && mode == CANSIM_LEVEL_TARGET)
                res->notice = cansim_diag_set(&res->diag, CANSIM_ELEVEL,
                                              "level not matched: the gain group's sum is below "
                                              "the -70 LUFS gate, so it stays at the filter's "
                                              "own gain");
            p->status = CANSIM_EINTERNAL; /* finished */
        }
    }
    for (size_t i = 0; i < n && !e; i++)
        if (g->member_status[i])
            e = g->member_status[i];
done:
    if (sum)
        sf_close(sum);
    for (size_t k = 0; pend && k < n * n_prof; k++)
        if (!pend[k].status)
            discard_pending(&pend[k]);
    if (e && pend)
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n_prof; j++)
                if (!results[i][j].status && !results[i][j].is_skipped &&
                    pend[i * n_prof + j].status == CANSIM_OK) {
                    results[i][j].status = e;
                    results[i][j].diag = *diag;
                }
    if (sum_path[0])
        unlink(sum_path);
    free(gains);
    free(pred);
    free(pend);
    free((void *)w);
    return e;
}

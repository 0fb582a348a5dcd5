/* SPDX-License-Identifier: MIT */
/* The renderer object: its config checked, the partition size chosen by the cost model, the
 * engine sized; the stages that use it are engine.c, render_file.c, render_buffer.c and
 * group.c. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "flac_level.h"
#include "kernels.h"

/* Partition size by cost per input frame (documented in docs/engine.md):
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

CansimRenderConfig cansim_render_default_config(void)
{
    return (CansimRenderConfig){
        .engine = {.cpu_mask = ~0u},
        .output = {.format = CANSIM_FORMAT_SAME,
                   .flac_level = CANSIM_FLAC_LEVEL_DEFAULT,
                   .memory_bytes = (size_t)2 << 30},
        .level = {.lufs = -14.0, .ceiling_dbtp = -1.0, .scope = CANSIM_LEVEL_SCOPE_DRAWER}};
}

void cansim_render_close(CansimRender **rp)
{
    if (!rp || !*rp)
        return;
    CansimRender *r = *rp;
    cansim_engine_free(r);
    free(r->lanes);
    free(r->profiles);
    free(r);
    *rp = NULL;
}

int cansim_render_config_check(const CansimRenderConfig *cfg, CansimRenderChoice *choice,
                               CansimDiag *diag)
{
    if (!cfg || !cfg->profiles || cfg->n_profiles == 0)
        return cansim_diag_set(diag, CANSIM_EINVAL, "no profiles to render");
    if (!CANSIM_RESERVED_ZERO(*cfg) || !CANSIM_RESERVED_ZERO(cfg->engine) ||
        !CANSIM_RESERVED_ZERO(cfg->input) || !CANSIM_RESERVED_ZERO(cfg->output) ||
        !CANSIM_RESERVED_ZERO(cfg->level))
        return cansim_diag_set(diag, CANSIM_EINVAL,
                               "the render config sets reserved fields (a newer header than "
                               "library %s?)",
                               cansim_version());
    if (cfg->engine.n_threads < 0)
        return cansim_diag_set(diag, CANSIM_EINVAL, "negative thread count %d",
                               cfg->engine.n_threads);
    const size_t b = cfg->engine.partition_frames;
    if (b && (b < 64 || b > 65536 || (b & (b - 1))))
        return cansim_diag_set(diag, CANSIM_EINVAL,
                               "partition size %zu is not a power of two in 64..65536", b);
    if (cansim_format_name(cfg->output.format)[0] == 'u')
        return cansim_diag_set(diag, CANSIM_EINVAL, "unknown output format %d",
                               (int)cfg->output.format);
    if (!cansim_flac_level_is_valid(cfg->output.flac_level))
        return cansim_diag_set(diag, CANSIM_EINVAL, "FLAC level %d is outside 0..8",
                               cfg->output.flac_level);
    if (cfg->level.mode < CANSIM_LEVEL_OFF || cfg->level.mode > CANSIM_LEVEL_TARGET)
        return cansim_diag_set(diag, CANSIM_EINVAL, "unknown level mode %d", (int)cfg->level.mode);
    if (cfg->level.scope < CANSIM_LEVEL_SCOPE_PROFILE ||
        cfg->level.scope > CANSIM_LEVEL_SCOPE_DRAWER)
        return cansim_diag_set(diag, CANSIM_EINVAL, "unknown level scope %d",
                               (int)cfg->level.scope);
    if (cfg->level.mode == CANSIM_LEVEL_TARGET &&
        !(cfg->level.lufs >= -70.0 && cfg->level.lufs <= 0.0))
        return cansim_diag_set(diag, CANSIM_EINVAL, "level %g LUFS is outside -70..0",
                               cfg->level.lufs);
    if (cfg->input.rate_hz != 0.0 && !cansim_rate_is_valid(cfg->input.rate_hz))
        return cansim_diag_set(diag, CANSIM_ERATE, "rate %g Hz is outside 8000-384000 Hz",
                               cfg->input.rate_hz);
    if ((unsigned)cfg->input.resampler > CANSIM_RESAMPLER_FAST)
        return cansim_diag_set(diag, CANSIM_EINVAL, "unknown resampler %d",
                               (int)cfg->input.resampler);
    if (cfg->level.has_ceiling &&
        !(cfg->level.ceiling_dbtp >= -20.0 && cfg->level.ceiling_dbtp <= 0.0))
        return cansim_diag_set(diag, CANSIM_EINVAL, "ceiling %g dBTP is outside -20..0",
                               cfg->level.ceiling_dbtp);
    for (size_t j = 0; j < cfg->n_profiles; j++) {
        if (!cfg->profiles[j])
            return cansim_diag_set(diag, CANSIM_EINVAL, "profile %zu is NULL", j);
        /* An impulse response too long at the rate asked is refused before anything runs. */
        if (cfg->input.rate_hz != 0.0 &&
            cansim_profile_check_rate(cfg->profiles[j], cfg->input.rate_hz, diag))
            return CANSIM_EPROFILE;
        for (size_t i = 0; i < j; i++)
            if (!strcmp(cansim_profile_id(cfg->profiles[i]), cansim_profile_id(cfg->profiles[j])))
                return cansim_diag_set(diag, CANSIM_EINVAL,
                                       "two profiles are named '%s'; their outputs would collide",
                                       cansim_profile_id(cfg->profiles[j]));
    }

    if (choice) {
        choice->partition_frames = b ? b : choose_partition(cfg);
        choice->cpu_flags = cansim_cpu_detect() & cfg->engine.cpu_mask;
    }
    return CANSIM_OK;
}

int cansim_render_open(CansimRender **out, const CansimRenderConfig *cfg, CansimDiag *diag)
{
    *out = NULL;
    CansimRenderChoice choice;
    const int ce = cansim_render_config_check(cfg, &choice, diag);
    if (ce)
        return ce;
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

    r->cpu_flags = choice.cpu_flags;
    cansim_kernels_init(&r->k, r->cpu_flags);
    r->n_threads = cfg->engine.n_threads ? cfg->engine.n_threads : omp_get_max_threads();

    r->n_part = choice.partition_frames;
    const int e = cansim_engine_init(r);
    if (e == CANSIM_ENOMEM)
        goto nomem;
    if (e) {
        cansim_render_close(&r);
        return cansim_diag_set(diag, e, "cannot plan a %zu-point FFT", 2 * choice.partition_frames);
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

/* SPDX-License-Identifier: MIT */
/* The profile object: 2x2 FIR matrices from taps, at another rate, and what a profile says of
 * itself. Loading is in profile_load.c and profile_ini.c, design in profile_design.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ir_resample.h"
#include "profile_object.h"

bool cansim_floats_are_zero(const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (x[i] != 0.0f)
            return false;
    return true;
}

static int profile_new(CansimProfile **out, const char *id, double rate_hz, size_t n_taps)
{
    CansimProfile *p = calloc(1, sizeof *p);
    if (!p)
        return CANSIM_ENOMEM;
    snprintf(p->id, sizeof p->id, "%s", id);
    p->rate_hz = rate_hz;
    p->n_taps = n_taps;
    *out = p;
    return CANSIM_OK;
}

void cansim_profile_close(CansimProfile **pp)
{
    if (!pp || !*pp)
        return;
    for (int c = 0; c < 4; c++)
        cansim_free((*pp)->cells[c]);
    cansim_curve_free(&(*pp)->curve);
    free(*pp);
    *pp = NULL;
}

int cansim_profile_from_taps(CansimProfile **out, const char *id, double rate_hz, size_t n_taps,
                             const float *const cells[4], CansimDiag *diag)
{
    *out = NULL;
    if (!id || !*id || !cells)
        return cansim_diag_set(diag, CANSIM_EINVAL, "profile: no id or no cells");
    if (n_taps == 0 || n_taps > CANSIM_MAX_TAPS)
        return cansim_diag_set(diag, CANSIM_EINVAL, "%s: %zu taps (1 to %u allowed)", id, n_taps,
                               CANSIM_MAX_TAPS);
    if (!cansim_rate_is_valid(rate_hz))
        return cansim_diag_set(diag, CANSIM_ERATE, "%s: sample rate %g Hz is outside 8000-384000",
                               id, rate_hz);
    bool has_cell = false;
    for (int c = 0; c < 4; c++) {
        if (!cells[c])
            continue;
        has_cell = true;
        for (size_t i = 0; i < n_taps; i++)
            if (!isfinite(cells[c][i]))
                return cansim_diag_set(diag, CANSIM_EPROFILE, "%s: tap %zu of cell %d is %s", id, i,
                                       c, isnan(cells[c][i]) ? "NaN" : "infinite");
    }
    if (!has_cell)
        return cansim_diag_set(diag, CANSIM_EINVAL, "%s: every cell is empty", id);
    CansimProfile *p;
    int e = profile_new(&p, id, rate_hz, n_taps);
    if (e)
        return cansim_diag_set(diag, e, "%s: %s", id, cansim_strerror(e));
    for (int c = 0; c < 4; c++) {
        if (!cells[c] || cansim_floats_are_zero(cells[c], n_taps))
            continue;
        p->cells[c] = cansim_alloc_floats(n_taps);
        if (!p->cells[c]) {
            cansim_profile_close(&p);
            return cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory", id);
        }
        memcpy(p->cells[c], cells[c], n_taps * sizeof(float));
    }
    *out = p;
    return CANSIM_OK;
}

/* An impulse-response profile at another rate (core/ir_resample.c), its length checked first. */
int cansim_profile_resample_with(CansimProfile **out, const CansimProfile *p, double rate_hz,
                                 const CansimKernels *k, CansimDiag *diag)
{
    *out = NULL;
    if (p->is_curve)
        return cansim_diag_set(diag, CANSIM_EINVAL,
                               "%s: a curve profile is designed, not resampled", p->id);
    if (!cansim_rate_is_valid(rate_hz))
        return cansim_diag_set(diag, CANSIM_ERATE, "%s: sample rate %g Hz is outside 8000-384000",
                               p->id, rate_hz);
    if (p->rate_hz == rate_hz)
        return cansim_profile_from_taps(out, p->id, rate_hz, p->n_taps,
                                        (const float *const *)p->cells, diag);
    int e = cansim_profile_check_rate(p, rate_hz, diag);
    if (e)
        return e;
    float *cells[4];
    size_t n;
    e = cansim_ir_resample((const float *const *)p->cells, p->n_taps, p->rate_hz, rate_hz, k, p->id,
                           cells, &n, diag);
    if (e)
        return e;
    e = cansim_profile_from_taps(out, p->id, rate_hz, n, (const float *const *)cells, diag);
    for (int c = 0; c < 4; c++)
        cansim_free(cells[c]);
    return e;
}

int cansim_profile_check_rate(const CansimProfile *p, double rate_hz, CansimDiag *diag)
{
    if (p->is_curve || p->rate_hz == rate_hz)
        return CANSIM_OK;
    const size_t n = cansim_ir_taps_at_rate(p->n_taps, p->rate_hz, rate_hz);
    if (n > CANSIM_MAX_TAPS)
        return cansim_diag_set(diag, CANSIM_EPROFILE,
                               "%s: %zu taps at %g Hz would be %zu at %g Hz (at most %u allowed)",
                               p->id, p->n_taps, p->rate_hz, n, rate_hz, CANSIM_MAX_TAPS);
    return CANSIM_OK;
}

int cansim_profile_resample(CansimProfile **out, const CansimProfile *p, double rate_hz,
                            CansimDiag *diag)
{
    CansimKernels k;
    cansim_kernels_init(&k, cansim_cpu_detect());
    return cansim_profile_resample_with(out, p, rate_hz, &k, diag);
}

void cansim_profile_shape(const CansimProfile *p, size_t *n_taps, unsigned *cell_mask)
{
    *cell_mask = 0;
    if (p->is_curve && p->hrtf.is_set) {
        /* A speaker pair: every cell, the equalisation's length plus the HRIRs' (and a
         * room's tail, at 48 kHz). */
        *n_taps = 8192 + (size_t)(48000.0 * (p->hrtf.room.is_set ? p->hrtf.room.rt60_s : 0.0));
        *cell_mask = 15u;
        return;
    }
    if (p->is_curve) {
        /* Designs are at most a few thousand taps at 48 kHz and diagonal; with crossfeed,
         * symmetric, which the engine runs as two mid/side cells. */
        *n_taps = 4096;
        *cell_mask = 1u << CANSIM_CELL_LL | 1u << CANSIM_CELL_RR;
        return;
    }
    *n_taps = p->n_taps;
    for (int c = 0; c < 4; c++)
        if (p->cells[c])
            *cell_mask |= 1u << c;
}

const char *cansim_profile_id(const CansimProfile *p)
{
    return p->id;
}

double cansim_profile_rate(const CansimProfile *p)
{
    return p->rate_hz;
}

size_t cansim_profile_n_taps(const CansimProfile *p)
{
    return p->n_taps;
}

const float *cansim_profile_taps(const CansimProfile *p, CansimCell cell)
{
    return (unsigned)cell < 4 ? p->cells[cell] : NULL;
}

void cansim_profile_info(const CansimProfile *p, CansimProfileInfo *info)
{
    *info = (CansimProfileInfo){
        .id = p->id,
        .name = p->name[0] ? p->name : p->id,
        .back = p->back[0] ? p->back : "none",
        .form = p->form,
        .rig = p->rig,
        .source = p->source,
        .credit = p->credit,
        .notes = p->notes,
        .is_curve = p->is_curve,
        .crossfeed = p->crossfeed,
        .tags = p->tags,
        .has_hrtf = p->hrtf.is_set,
    };
}

bool cansim_has_suffix(const char *s, const char *suffix)
{
    const size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcasecmp(s + n - m, suffix);
}

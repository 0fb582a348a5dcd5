/* SPDX-License-Identifier: MIT */
/* Filter sets: each profile at the render's rate, cut into partitions and transformed once, and
 * the cache of recent rates. */
#include <stdlib.h>
#include <string.h>

#include "filters.h"
#include "loudness.h"
#include "translation.h"

static void set_free(CansimFilterSet *s, size_t n_profiles)
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

void cansim_filters_free(CansimFilterCache *c, size_t n_profiles)
{
    for (int i = 0; i < CANSIM_N_CACHED_RATES; i++)
        set_free(&c->sets[i], n_profiles);
}

/* Partition spectra of one profile; 1/N of the inverse transform is folded in here. */
static int filter_build(const CansimFilterSpec *sp, CansimFilter *f, const CansimProfile *p,
                        float *scratch)
{
    const size_t b = sp->n_part;
    const size_t nb = sp->n_bins;
    f->n_taps = cansim_profile_n_taps(p);
    f->n_parts = (f->n_taps + b - 1) / b;
    size_t n_h;
    if (!cansim_mul_size(f->n_parts, 8 * nb, &n_h))
        return CANSIM_ENOMEM;
    f->h = cansim_alloc_floats(n_h);
    f->mask = calloc(f->n_parts, 1);
    if (!f->h || !f->mask)
        return CANSIM_ENOMEM;
    const float scale = 1.0f / (float)sp->n_fft;
    f->out_mask = 0;
    /* A symmetric matrix [a b; b a] is diagonal in mid/side: L+R through (a+b)/2 and L-R
     * through (a-b)/2, then L = M + S, R = M - S. Two cells instead of four, so crossfeed costs
     * what a plain profile does. */
    const float *cells[4];
    for (int c = 0; c < 4; c++)
        cells[c] = cansim_profile_taps(p, c);
    const size_t nt = f->n_taps;
    double e_all = 0.0, e_head = 0.0;
    const size_t n_head = (size_t)(CANSIM_SHORT_FILTER_S * cansim_profile_rate(p));
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
            memset(scratch, 0, sp->n_fft * sizeof *scratch);
            for (size_t i = 0; i < len; i++)
                scratch[i] = taps[off + i] * scale;
            float *re = f->h + (q * 8 + 2 * (size_t)c) * nb;
            sp->k->rfft(re, re + nb, scratch, sp->z, sp->tw, sp->n_fft);
            f->mask[q] |= (unsigned char)(1u << c);
            f->out_mask |= 1u << (c & 1);
        }
    }
    cansim_free(ms[0]);
    cansim_free(ms[1]);
    return CANSIM_OK;
}

/* Realises every profile at rate_hz into s. */
static int set_build(const CansimFilterSpec *sp, CansimFilterSet *s, double rate_hz)
{
    s->filters = calloc(sp->n_profiles, sizeof *s->filters);
    float *scratch = cansim_alloc_floats(sp->n_fft);
    int e = (s->filters && scratch) ? CANSIM_OK : CANSIM_ENOMEM;
    s->max_parts = 1;
    for (size_t j = 0; j < sp->n_profiles && !e; j++) {
        CansimFilter *f = &s->filters[j];
        const CansimProfile *p;
        CansimProfile *owned;
        f->status = cansim_profile_at_rate(sp->profiles[j], sp->design, rate_hz, sp->k, &p, &owned,
                                           &f->diag);
        if (f->status == CANSIM_ENOMEM)
            e = CANSIM_ENOMEM;
        if (f->status)
            continue;
        e = filter_build(sp, f, p, scratch);
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

int cansim_filters_get(CansimFilterCache *c, const CansimFilterSpec *sp, double rate_hz,
                       const CansimFilterSet **out, CansimDiag *diag)
{
    *out = NULL;
    CansimFilterSet *s = NULL;
    for (int i = 0; i < CANSIM_N_CACHED_RATES && !s; i++)
        if (c->sets[i].rate_hz == rate_hz)
            s = &c->sets[i];
    if (!s) {
        s = &c->sets[0];
        for (int i = 1; i < CANSIM_N_CACHED_RATES; i++)
            if (c->sets[i].last_used < s->last_used)
                s = &c->sets[i];
        set_free(s, sp->n_profiles);
        if (set_build(sp, s, rate_hz)) {
            set_free(s, sp->n_profiles);
            return cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory for the filters");
        }
    }
    s->last_used = ++c->clock;
    *out = s;
    return CANSIM_OK;
}

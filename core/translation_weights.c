/* SPDX-License-Identifier: MIT */
/* The translation's per-bin weights of one profile at one rate: its |H|^2 terms (the level
 * prediction's weights without the K-weighting), for the whole output and, with cross paths,
 * for mid and side. Made with each filter set (filters.c). */
#include <stdlib.h>
#include <string.h>

#include "loudness.h"
#include "translation.h"

void cansim_translation_weights_free(CansimTrWeights **w)
{
    if (!w || !*w)
        return;
    cansim_free((*w)->w);
    free(*w);
    *w = NULL;
}

/* The level weights of cells (loudness.c) divided by the K-weighting's: |H|^2 terms alone. */
static int unweighted(const float *const cells[4], size_t n_taps, double rate_hz, const float *k,
                      float *dst, size_t nbp)
{
    float *w;
    size_t n;
    const int e = cansim_level_weights(cells, n_taps, rate_hz, &w, &n);
    if (e)
        return e;
    for (int c = 0; c < 4; c++)
        for (size_t i = 0; i < nbp; i++)
            dst[(size_t)c * nbp + i] = k[i] > 0.0f ? w[(size_t)c * n + i] / k[i] : 0.0f;
    cansim_free(w);
    return CANSIM_OK;
}

int cansim_translation_weights(const float *const cells[4], size_t n_taps, double rate_hz,
                               CansimTrWeights **out)
{
    *out = NULL;
    const float *none[4] = {NULL, NULL, NULL, NULL};
    float *k = NULL;
    float *ms = NULL;
    size_t nbp;
    CansimTrWeights *t = calloc(1, sizeof *t);
    int e = t ? cansim_level_weights(none, 1, rate_hz, &k, &nbp) : CANSIM_ENOMEM;
    if (!e && !(t->w = cansim_alloc_floats(8 * nbp)))
        e = CANSIM_ENOMEM;
    if (!e) {
        t->nbp = nbp;
        e = unweighted(cells, n_taps, rate_hz, k, t->w, nbp);
    }
    if (!e)
        t->has_cross = cells[CANSIM_CELL_LR] || cells[CANSIM_CELL_RL];
    if (!e && t->has_cross) {
        /* Y_L + Y_R = X_L (H_LL + H_LR) + X_R (H_RL + H_RR): a one-output matrix. The side
         * needs no weights of its own: |Y_L - Y_R|^2 = 2 (|Y_L|^2 + |Y_R|^2) - |Y_L + Y_R|^2
         * (translation.c). */
        if (!(ms = cansim_alloc_floats(2 * n_taps)))
            e = CANSIM_ENOMEM;
        for (size_t i = 0; i < n_taps && !e; i++) {
            const float ll = cells[0] ? cells[0][i] : 0.0f, lr = cells[1] ? cells[1][i] : 0.0f;
            const float rl = cells[2] ? cells[2][i] : 0.0f, rr = cells[3] ? cells[3][i] : 0.0f;
            ms[i] = ll + lr;
            ms[n_taps + i] = rl + rr;
        }
        const float *one[4] = {ms, NULL, ms + n_taps, NULL};
        if (!e)
            e = unweighted(one, n_taps, rate_hz, k, t->w + 4 * nbp, nbp);
    }
    if (!e) {
        t->is_plain = true;
        for (size_t i = 0; i < nbp && t->is_plain; i++)
            t->is_plain =
                t->w[i] == t->w[nbp + i] && t->w[2 * nbp + i] == 0.0f && t->w[3 * nbp + i] == 0.0f;
    }
    cansim_free(ms);
    cansim_free(k);
    if (e)
        cansim_translation_weights_free(&t);
    *out = t;
    return e;
}

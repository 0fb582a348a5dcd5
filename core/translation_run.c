/* SPDX-License-Identifier: MIT */
/* The translation beside a render: its sets taken from the renderer's filters, and its own read
 * of an input where no level analysis reads it (level off without a ceiling, a gain group's
 * member). */
#include <math.h>
#include <stdlib.h>

#include "engine.h"
#include "loudness.h"
#include "translation_state.h"

int cansim_translation_for(const CansimRender *r, const bool *skip, double rate_hz,
                           CansimTrAnalysis **out)
{
    *out = NULL;
    if (!r->cfg.level.has_translation)
        return CANSIM_OK;
    const int e =
        cansim_translation_open(out, r->cfg.n_profiles, rate_hz, cansim_level_hop(rate_hz), &r->k);
    if (e)
        return e;
    for (size_t k = 0; k < r->cfg.n_profiles; k++)
        cansim_translation_use(*out, k,
                               r->lanes[k].status || (skip && skip[k]) ? NULL : r->filters[k].tr_w);
    return CANSIM_OK;
}

/* The level analysis with no level weights: only the input's own energies (for the gate) and
 * the translation's band energies are computed. */
int cansim_translation_read(CansimTrAnalysis *t, const char *path, size_t n, int n_threads,
                            CansimDiag *diag)
{
    double *pred = calloc(n, sizeof *pred);
    const float **none = calloc(n, sizeof *none);
    CansimLevelAnalysis la = {.input_lufs = (double)NAN,
                              .input_pred_lufs = (double)NAN,
                              .pred_lufs = pred,
                              .tr = t,
                              .wlanes = t->wlanes};
    const int e = pred && none
                      ? cansim_level_analyse(path, none, n, n_threads, false, &la, diag)
                      : cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory for the translation");
    free(pred);
    free((void *)none);
    return e;
}

/* SPDX-License-Identifier: MIT */
/* Rendering an input's profiles in passes, when the open-file limit cannot hold all of its
 * outputs at once (fdlimit.c): each pass renders some profiles (the rest skipped) and reads the
 * input again; the results are those of one call. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "outputs.h"

/* The skip mask of pass [a, e) of the profiles: skip, plus every profile outside it. False when
 * the pass has nothing to render. */
static bool pass_mask(const bool *skip, size_t n, size_t a, size_t e, bool *out)
{
    bool is_any = false;
    for (size_t k = 0; k < n; k++) {
        out[k] = (skip && skip[k]) || k < a || k >= e;
        is_any = is_any || !out[k];
    }
    return is_any;
}

int render_file_passes(CansimRender *r, size_t n, size_t step, const char *path, const char *parent,
                       const CansimFileOptions *fo, CansimOutputResult *res, CansimDiag *d)
{
    if (step >= n)
        return cansim_render_file(r, path, parent, fo, res, d);
    bool *skip = malloc(n * sizeof *skip);
    CansimOutputResult *tmp = calloc(n, sizeof *tmp);
    int first = CANSIM_OK, out_rc = CANSIM_OK;
    d->msg[0] = '\0';
    if (!skip || !tmp) {
        snprintf(d->msg, sizeof d->msg, "%s: out of memory", path);
        first = CANSIM_ENOMEM;
    }
    for (size_t a = 0; !first && a < n; a += step) {
        const size_t e = a + step < n ? a + step : n;
        if (!pass_mask(fo->skip, n, a, e, skip)) {
            for (size_t k = a; k < e; k++)
                res[k] = (CansimOutputResult){.is_skipped = true};
            continue;
        }
        CansimFileOptions po = *fo;
        po.skip = skip;
        CansimDiag pd;
        pd.msg[0] = '\0';
        const int rc = cansim_render_file(r, path, parent, &po, tmp, &pd);
        for (size_t k = a; k < e; k++)
            res[k] = tmp[k];
        if (rc && (rc == CANSIM_ECANCELED || pd.msg[0])) {
            /* Stopped, or the input itself failed: no further pass. */
            first = rc;
            *d = pd;
        } else if (rc && !out_rc) {
            out_rc = rc; /* some outputs failed: theirs are in res; the next pass goes on */
        }
    }
    free(skip);
    free(tmp);
    return first ? first : out_rc;
}

/* Every profile's gain is its own, so a pass of some profiles gives them the gains one call
 * would. */
int render_group_passes(CansimRender *r, size_t n, size_t step, const char *const *paths,
                        const char *const *dirs, size_t m, const CansimFileOptions *fo,
                        CansimOutputResult *const *res, CansimGroupResult *g, CansimDiag *d)
{
    if (step >= n)
        return cansim_render_group(r, paths, dirs, m, fo, res, g, d);
    bool *skip = malloc(n * sizeof *skip);
    CansimFileOptions *po = calloc(m, sizeof *po);
    CansimOutputResult **tmp = calloc(m, sizeof *tmp);
    double *gain = calloc(n, sizeof *gain);
    bool *limited = calloc(n, sizeof *limited);
    int *status = calloc(m, sizeof *status);
    CansimDiag *mdiag = calloc(m, sizeof *mdiag);
    CansimTranslation *tr = g->translation ? calloc(n, sizeof *tr) : NULL;
    int first = CANSIM_OK, out_rc = CANSIM_OK;
    bool is_ok = skip && po && tmp && gain && limited && status && mdiag;
    for (size_t i = 0; is_ok && i < m; i++)
        is_ok = (tmp[i] = calloc(n, sizeof *tmp[i])) != NULL;
    d->msg[0] = '\0';
    g->n_rendered = 0;
    g->sum_lufs = (double)NAN;
    for (size_t i = 0; i < m; i++)
        g->member_status[i] = CANSIM_OK;
    if (!is_ok) {
        snprintf(d->msg, sizeof d->msg, "%s: out of memory", paths[0]);
        first = CANSIM_ENOMEM;
    }
    for (size_t a = 0; !first && a < n; a += step) {
        const size_t e = a + step < n ? a + step : n;
        if (!pass_mask(fo[0].skip, n, a, e, skip)) {
            for (size_t i = 0; i < m; i++)
                for (size_t k = a; k < e; k++)
                    res[i][k] = (CansimOutputResult){.is_skipped = true};
            continue;
        }
        for (size_t i = 0; i < m; i++) {
            po[i] = fo[i];
            po[i].skip = skip;
        }
        CansimGroupResult pg = {.gain_db = gain,
                                .is_limited = limited,
                                .member_status = status,
                                .member_diag = mdiag,
                                .translation = tr};
        CansimDiag pd;
        pd.msg[0] = '\0';
        const int rc =
            cansim_render_group(r, paths, dirs, m, po, (CansimOutputResult *const *)tmp, &pg, &pd);
        for (size_t i = 0; i < m; i++) {
            for (size_t k = a; k < e; k++)
                res[i][k] = tmp[i][k];
            if (status[i] && !g->member_status[i]) {
                g->member_status[i] = status[i];
                g->member_diag[i] = mdiag[i];
            }
        }
        for (size_t k = a; k < e; k++) {
            g->gain_db[k] = gain[k];
            if (g->is_limited)
                g->is_limited[k] = limited[k];
            if (g->translation)
                g->translation[k] = tr ? tr[k] : (CansimTranslation){.is_valid = false};
        }
        if (isfinite(pg.sum_lufs))
            g->sum_lufs = pg.sum_lufs;
        if (pg.n_rendered > g->n_rendered)
            g->n_rendered = pg.n_rendered;
        if (rc && (rc == CANSIM_ECANCELED || !pg.n_rendered)) {
            first = rc; /* stopped, or the group as a whole failed */
            *d = pd;
        } else if (rc && !out_rc) {
            out_rc = rc;
        }
    }
    for (size_t i = 0; tmp && i < m; i++)
        free(tmp[i]);
    free(skip), free(po), free(tmp), free(gain), free(limited), free(status), free(mdiag);
    free(tr);
    return first ? first : out_rc;
}

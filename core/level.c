/* SPDX-License-Identifier: MIT */
/* Each output's level: the gain planned before the render, the ceiling, and the finish after
 * it (exact correction, ceiling, the notice when the level asked is not reached). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "finish_write.h"
#include "level.h"
#include "loudness.h"

/* Integer and FLAC outputs cannot hold full scale after dither: without a ceiling they are held
 * just under it. */
#define FULL_SCALE_GUARD_DBTP (-0.01)
/* An output further than this from its target, with no ceiling to explain it, is reported as
 * not at its level (a prediction is well within it, loudness.c). */
#define LEVEL_NOTICE_LU 0.5
/* A seed per profile position, so dither is the same from run to run at any thread count. */
#define DITHER_SEED 0x63616E73696D2335ull

double cansim_plan_gain_db(const CansimRenderConfig *cfg, double change_db, double input_lufs,
                           bool is_below_gate)
{
    if (is_below_gate || !isfinite(change_db))
        return 0.0;
    if (cfg->level.mode == CANSIM_LEVEL_MATCH)
        return -change_db;
    if (cfg->level.mode == CANSIM_LEVEL_TARGET)
        return cfg->level.lufs - (input_lufs + change_db);
    return 0.0;
}

double cansim_ceiling_db(const CansimRenderConfig *cfg, bool is_float_out)
{
    if (is_float_out)
        return cfg->level.has_ceiling ? cfg->level.ceiling_dbtp : HUGE_VAL;
    return cfg->level.has_ceiling && cfg->level.ceiling_dbtp < FULL_SCALE_GUARD_DBTP
               ? cfg->level.ceiling_dbtp
               : FULL_SCALE_GUARD_DBTP;
}

uint64_t cansim_dither_seed(uint64_t user_seed, const char *profile_id)
{
    return (DITHER_SEED ^ user_seed) + XXH3_64bits(profile_id, strlen(profile_id));
}

/* A complete output not at the level asked gets CANSIM_ELEVEL in its notice, with the reason:
 * an input under the gate with a level target, or an output through this profile still under
 * the gate (or off its target) with nothing else to explain it (the ceiling says is_limited). */
static void level_notice(const CansimRenderConfig *cfg, bool is_below_gate, double target,
                         CansimOutputResult *res)
{
    const CansimLevelMode mode = cfg->level.mode;
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

int cansim_rewrite_float(CansimFileOut *o, int sf_format, int rate_hz, double corr_db,
                         const CansimKernels *k, CansimDiag *diag)
{
    const double gain = pow(10.0, corr_db / 20.0);
    bool is_done;
    int e = cansim_level_rescale(o->part, sf_format, o->n_frames, gain, k, &is_done, diag);
    if (e || is_done)
        return e;
    char fix[sizeof o->part];
    const CansimFinishSrc src = {.path = o->part, .k = k};
    e = cansim_level_finish(&src, o->path, "fix", fix, sizeof fix, sf_format,
                            CANSIM_FLAC_LEVEL_DEFAULT, rate_hz, gain, false, 0, diag);
    if (e)
        return e;
    unlink(o->part);
    snprintf(o->part, sizeof o->part, "%s", fix);
    return CANSIM_OK;
}

void cansim_level_assess(const CansimRenderConfig *cfg, const CansimFinish *f,
                         const CansimFileOut *o, CansimLevelIn *in)
{
    const bool is_on = cfg->level.mode != CANSIM_LEVEL_OFF && !f->is_below_gate;
    in->is_measured = false;
    in->want_db = 0.0;
    if (o->meter) {
        const double lufs = cansim_meter_lufs(o->meter);
        in->is_measured = isfinite(lufs) || !f->is_float_out;
        in->lufs = in->is_measured ? lufs : f->pred_lufs + f->gain_db;
    } else if (f->is_float_out || isfinite(f->pred_lufs)) {
        /* the prediction stands (any format): its gain is already the output's */
        in->lufs = f->pred_lufs + f->gain_db;
    } else {
        in->lufs = -HUGE_VAL;
        in->is_measured = true;
    }
    /* The exact correction: loudness scales with the gain (BS.1770 is quadratic). A float
     * output's within 0.01 LU is left alone, so that it is not rewritten for nothing. */
    if (is_on && in->is_measured && isfinite(in->lufs) && isfinite(f->target) &&
        (!f->is_float_out || fabs(f->target - in->lufs) > 0.01))
        in->want_db = f->target - in->lufs;
    in->is_leveled = is_on && isfinite(f->target) && in->lufs > -70.0 && isfinite(in->lufs);
    in->peak_db = cansim_peak_db(&o->peak);
    in->ceiling_db = cansim_ceiling_db(cfg, f->is_float_out);
}

void cansim_level_correct(const CansimRenderConfig *cfg, const CansimLevelIn *in, size_t n,
                          CansimLevelCorr *out)
{
    double common = HUGE_VAL;
    size_t limiting = n;
    for (size_t k = 0; k < n; k++) {
        out[k] = (CansimLevelCorr){0};
        if (!in[k].is_ok)
            continue;
        out[k].corr_db = in[k].want_db;
        if (isfinite(in[k].peak_db) && in[k].peak_db + out[k].corr_db > in[k].ceiling_db) {
            out[k].corr_db = in[k].ceiling_db - in[k].peak_db;
            out[k].is_limited = true;
            if (in[k].is_leveled && in[k].lufs + out[k].corr_db < common) {
                common = in[k].lufs + out[k].corr_db;
                limiting = k;
            }
        }
    }
    if (cfg->level.scope != CANSIM_LEVEL_SCOPE_DRAWER || limiting == n)
        return;
    /* One level for the drawer: the most limited output's. Every other leveled output is
     * lowered to it, which keeps it under its own ceiling too (its level there is no higher
     * than what its ceiling allows). */
    out[limiting].is_limiting = true;
    for (size_t k = 0; k < n; k++) {
        if (!in[k].is_ok || !in[k].is_leveled)
            continue;
        const double c = common - in[k].lufs;
        if (k != limiting && c < out[k].corr_db) {
            out[k].corr_db = c;
            out[k].is_limited = true;
        }
        const double below = common - (in[k].lufs + in[k].want_db);
        out[k].drawer_db = below < 0.0 ? below : 0.0;
    }
}

int cansim_finish_output(const CansimRenderConfig *cfg, const CansimFinish *f,
                         const CansimLevelIn *in, const CansimLevelCorr *c, CansimFileOut *o,
                         CansimOutputResult *res, CansimDiag *diag)
{
    const double corr_db = c->corr_db;
    res->is_true_peak = o->peak.has_tp;
    res->is_measured = in->is_measured;
    res->is_limited = c->is_limited;
    res->is_limiting = c->is_limiting;
    res->loudness_lufs = in->lufs + corr_db;
    res->peak_db = in->peak_db + corr_db;
    res->correction_db = corr_db;
    res->gain_db = f->gain_db + corr_db;
    res->is_dithered = !f->is_float_out && (f->sf_format & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_16;
    level_notice(cfg, f->is_below_gate, f->target, res);
    if (f->is_float_out && !o->mem)
        return corr_db == 0.0
                   ? CANSIM_OK
                   : cansim_rewrite_float(o, f->sf_format, f->rate_hz, corr_db, f->k, diag);
    /* Written once in its format at its final gain, from memory or its float intermediate:
     * no sample is ever clipped, and dither is added once. */
    const CansimFinishSrc src = {
        .path = o->raw, .frames = o->mem, .n_frames = o->n_frames, .k = f->k};
    return cansim_level_finish(&src, o->path, NULL, o->part, sizeof o->part, f->sf_format,
                               cfg->output.flac_level, f->rate_hz,
                               corr_db == 0.0 ? 1.0 : pow(10.0, corr_db / 20.0), res->is_dithered,
                               f->seed, diag);
}

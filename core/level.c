/* SPDX-License-Identifier: MIT */
/* Each output's level: the gain planned before the render, the ceiling, and the finish after
 * it (exact correction, ceiling, the notice when the level asked is not reached). */
#include <math.h>
#include <stdio.h>
#include <unistd.h>

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

uint64_t cansim_dither_seed(uint64_t user_seed, size_t j)
{
    return (DITHER_SEED ^ user_seed) + 0x9E3779B97F4A7C15ull * (uint64_t)j;
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
                         CansimDiag *diag)
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

/* A float output: its loudness predicted, or measured when it was metered (a long filter's, or
 * near the gate); rewritten only when a correction is due. */
static int finish_float(const CansimRenderConfig *cfg, const CansimFinish *f, CansimFileOut *o,
                        CansimOutputResult *res, CansimDiag *diag)
{
    const bool is_leveled = cfg->level.mode != CANSIM_LEVEL_OFF && !f->is_below_gate;
    const double peak_db = cansim_peak_db(&o->peak);
    const double ceiling = cansim_ceiling_db(cfg, true);
    double corr_db = 0.0;
    res->is_measured = false;
    res->loudness_lufs = f->pred_lufs + f->gain_db;
    double lufs;
    if (o->meter && !ebur128_loudness_global(o->meter, &lufs) && isfinite(lufs)) {
        /* A long filter's output, measured: the exact correction replaces the prediction. */
        res->is_measured = true;
        res->loudness_lufs = lufs;
        if (is_leveled && isfinite(f->target) && fabs(f->target - lufs) > 0.01)
            corr_db = f->target - lufs;
    }
    if (peak_db + corr_db > ceiling) {
        corr_db = ceiling - peak_db;
        res->is_limited = true;
    }
    res->loudness_lufs += corr_db;
    res->peak_db = peak_db + corr_db;
    res->correction_db = corr_db;
    res->gain_db = f->gain_db + corr_db;
    level_notice(cfg, f->is_below_gate, f->target, res);
    return corr_db == 0.0 ? CANSIM_OK
                          : cansim_rewrite_float(o, f->sf_format, f->rate_hz, corr_db, diag);
}

int cansim_finish_output(const CansimRenderConfig *cfg, const CansimFinish *f, CansimFileOut *o,
                         CansimOutputResult *res, CansimDiag *diag)
{
    res->is_true_peak = o->peak.has_tp;
    if (f->is_float_out)
        return finish_float(cfg, f, o, res, diag);
    /* Integer and FLAC outputs: measured exactly on the float intermediate, then written once
     * in their format with the exact gain. */
    const bool is_leveled = cfg->level.mode != CANSIM_LEVEL_OFF && !f->is_below_gate;
    const double peak_db = cansim_peak_db(&o->peak);
    const double ceiling = cansim_ceiling_db(cfg, false);
    double corr_db = 0.0;
    double lufs = -HUGE_VAL;
    if (ebur128_loudness_global(o->meter, &lufs))
        lufs = -HUGE_VAL;
    /* The exact correction: loudness scales with the gain (BS.1770 is quadratic). */
    if (is_leveled && isfinite(lufs) && isfinite(f->target))
        corr_db = f->target - lufs;
    if (isfinite(peak_db) && peak_db + corr_db > ceiling) {
        corr_db = ceiling - peak_db;
        res->is_limited = true;
    }
    res->is_measured = true;
    res->loudness_lufs = lufs + corr_db;
    res->peak_db = peak_db + corr_db;
    res->is_dithered = (f->sf_format & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_16;
    res->correction_db = corr_db;
    res->gain_db = f->gain_db + corr_db;
    level_notice(cfg, f->is_below_gate, f->target, res);
    return cansim_level_finish(o->raw, o->path, NULL, o->part, sizeof o->part, f->sf_format,
                               f->rate_hz, pow(10.0, corr_db / 20.0), res->is_dithered, f->seed,
                               diag);
}

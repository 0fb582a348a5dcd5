/* SPDX-License-Identifier: MIT */
/* Gain groups: a song's stems summed on disk, one gain per profile planned on the sum, every
 * member rendered at it, and the ceiling held over all members before they are finished. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audio_io.h"
#include "finish_write.h"
#include "group_sum.h"
#include "level.h"
#include "loudness.h"
#include "render_file.h"
#include "resample.h"
#include "translation.h"

/* Finishes a member's output at corr_db on top of its render gain (the group's ceiling):
 * integer and FLAC outputs get their single finishing pass (gain, dither), float outputs are
 * rewritten losslessly when corr_db is not 0; then the output is renamed. */
static int finish_pending(CansimPending *p, double corr_db, int flac_level, const CansimKernels *k,
                          CansimOutputResult *res, CansimDiag *diag)
{
    CansimFileOut *o = &p->o;
    const bool is_dithered =
        !p->is_float_out && (p->sf_format & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_16;
    int e = CANSIM_OK;
    if (!p->is_float_out || o->mem) {
        const CansimFinishSrc src = {
            .path = o->raw, .frames = o->mem, .n_frames = o->n_frames, .k = k};
        e = cansim_level_finish(&src, o->path, NULL, o->part, sizeof o->part, p->sf_format,
                                flac_level, p->rate_hz, pow(10.0, corr_db / 20.0), is_dithered,
                                p->seed, diag);
        if (o->raw[0])
            unlink(o->raw);
        o->raw[0] = '\0';
    } else if (corr_db != 0.0) {
        e = cansim_rewrite_float(o, p->sf_format, p->rate_hz, corr_db, k, diag);
    }
    if (!e)
        e = cansim_output_rename(o->part, o->path, diag);
    if (e && o->part[0])
        unlink(o->part);
    o->part[0] = '\0';
    res->status = e;
    if (e) {
        res->diag = *diag;
        return e;
    }
    res->is_measured = p->is_measured;
    res->is_true_peak = p->is_true_peak;
    res->is_dithered = is_dithered;
    res->loudness_lufs = p->lufs + corr_db;
    res->peak_db = p->peak_db + corr_db;
    res->gain_db = p->gain_db + corr_db;
    res->correction_db = corr_db;
    res->is_limited = corr_db < 0.0;
    cansim_translation_regain(&res->translation, corr_db);
    return CANSIM_OK;
}

static void discard_pending(CansimPending *p)
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
                                 r->cfg.input.resampler, r->cfg.progress, r->cfg.progress_user,
                                 diag);
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
        if ((e = cansim_check_finite(x, (size_t)k, info.channels, pos, path, diag)))
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
    if (!inputs || !output_dirs || !results || !g || !g->gain_db || n == 0)
        return cansim_diag_set(diag, CANSIM_EINVAL, "gain group: bad arguments");
    for (size_t i = 0; i < n; i++) {
        memset(results[i], 0, n_prof * sizeof *results[i]);
        g->member_status[i] = CANSIM_OK;
    }
    if (g->song_dir && g->song)
        memset(g->song, 0, n_prof * sizeof *g->song);
    g->sum_lufs = (double)NAN;
    g->n_rendered = 0;
    for (size_t j = 0; g->translation && j < n_prof; j++)
        cansim_translation_result(NULL, j, 0.0, &g->translation[j]);
    /* The render rate: the config's rate_hz, else the members' common rate. */
    double rate = r->cfg.input.rate_hz;
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
        } else if (r->cfg.input.rate_hz == 0.0 && info.samplerate != rate) {
            return cansim_diag_set(diag, CANSIM_ERATE,
                                   "%s: %d Hz, but %s is at %g Hz: a gain group's inputs share "
                                   "one rate (set a render rate, or render them ungrouped)",
                                   inputs[i], info.samplerate, first, rate);
        }
    }
    char sum_final[4200], sum_path[4200 + 64] = "", tmp_final[4200];
    snprintf(sum_final, sizeof sum_final, "%s/.gain-group-sum.w64", output_dirs[0]);
    snprintf(tmp_final, sizeof tmp_final, "%s/.gain-group-member.w64", output_dirs[0]);
    int e = cansim_make_dirs(output_dirs[0], diag);
    if (e)
        return e;
    cansim_tmp_sweep(output_dirs[0]);
    double *gains = calloc(n_prof, sizeof *gains);
    double *pred = calloc(n_prof, sizeof *pred);
    double *song_lufs = calloc(n_prof, sizeof *song_lufs); /* predicted, NaN: to be metered */
    bool *unsure = calloc(n_prof, sizeof *unsure);
    /* Row n: the song renders (group_sum.c), finished with the members. */
    CansimLevelIn *lin = calloc(n_prof, sizeof *lin);
    CansimLevelCorr *lcorr = calloc(n_prof, sizeof *lcorr);
    CansimPending *pend = calloc((n + 1) * n_prof, sizeof *pend);
    size_t n_rows = n;
    const float **w = calloc(n_prof, sizeof *w);
    SNDFILE *sum = NULL;
    CansimTrAnalysis *tr = NULL;
    if (!gains || !pred || !song_lufs || !unsure || !pend || !w || !lin || !lcorr) {
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
    if ((e = cansim_engine_begin(r, rate, diag)))
        goto done;
    const CansimLevelMode mode = r->cfg.level.mode;
    CansimLevelAnalysis la = {.input_lufs = (double)NAN,
                              .input_pred_lufs = (double)NAN,
                              .pred_lufs = pred,
                              .is_unsure = unsure,
                              .wlanes = r->k.wlanes};
    for (size_t j = 0; j < n_prof; j++)
        w[j] = r->lanes[j].status || (opts && opts[0].skip && opts[0].skip[j])
                   ? NULL
                   : r->filters[j].level_w;
    /* The sum's translation (the song's) on the same spectra; without memory for it, none. */
    if (g->translation)
        cansim_translation_for(r, opts ? opts[0].skip : NULL, rate, &tr);
    la.tr = tr;
    if ((e = cansim_level_analyse(sum_path, w, n_prof, r->n_threads, true, &la, diag)))
        goto done;
    g->sum_lufs = la.input_lufs;
    const bool is_below_gate = !(la.input_lufs > -70.0);
    for (size_t j = 0; j < n_prof; j++) {
        gains[j] = cansim_plan_gain_db(&r->cfg, pred[j] - la.input_pred_lufs, la.input_lufs,
                                       is_below_gate);
        /* The song is the render of this sum: its loudness is predicted as an input's outputs
         * are, and metered where that cannot stand (render_file.c). */
        const bool is_sure = r->filters[j].is_short && !unsure[j] &&
                             la.input_lufs > CANSIM_NEAR_GATE_LUFS && mode != CANSIM_LEVEL_OFF;
        song_lufs[j] =
            is_sure ? la.input_lufs + pred[j] - la.input_pred_lufs + gains[j] : (double)NAN;
    }
    /* Every member at the group's gains, its loudness predicted (or measured), kept unfinished. */
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
        const CansimMember m = {.gain_db = gains, .pend = &pend[i * n_prof]};
        const int me = cansim_render_input(r, inputs[i], output_dirs[i], o, &m, results[i], &d);
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
    n_rows +=
        cansim_group_song(r, g, opts ? opts[0].skip : NULL, song_lufs, pend, n, &pend[n * n_prof]);
    /* The ceiling, per profile, over every member and the song: one correction lowers them all.
     * Each profile's render of the sum is planned at the group's level, so the profiles' levels
     * are their corrections, and the drawer's common level is the most limited one's. */
    for (size_t j = 0; j < n_prof; j++) {
        double peak = -HUGE_VAL;
        bool is_ok = false;
        for (size_t i = 0; i < n_rows; i++) {
            const CansimPending *p = &pend[i * n_prof + j];
            if (p->status)
                continue;
            is_ok = true;
            const double ceiling = cansim_ceiling_db(&r->cfg, p->is_float_out);
            if (isfinite(p->peak_db) && p->peak_db - ceiling > peak)
                peak = p->peak_db - ceiling;
        }
        lin[j] = (CansimLevelIn){.is_ok = is_ok,
                                 .is_leveled = !is_below_gate && mode != CANSIM_LEVEL_OFF &&
                                               isfinite(pred[j] - la.input_pred_lufs),
                                 .peak_db = peak};
    }
    cansim_level_correct(&r->cfg, lin, n_prof, lcorr);
    for (size_t j = 0; j < n_prof; j++) {
        const double corr = lcorr[j].corr_db;
        g->gain_db[j] = gains[j] + corr;
        if (g->translation)
            cansim_translation_result(tr, j, g->gain_db[j] - lcorr[j].drawer_db,
                                      &g->translation[j]);
        if (g->is_limited)
            g->is_limited[j] = lcorr[j].is_limited;
        for (size_t i = 0; i < n_rows; i++) {
            CansimPending *p = &pend[i * n_prof + j];
            if (p->status)
                continue;
            CansimDiag d;
            CansimOutputResult *res = i < n ? &results[i][j] : &g->song[j];
            const int fe = finish_pending(p, corr, r->cfg.output.flac_level, &r->k, res, &d);
            if (!fe)
                cansim_translation_regain(&res->translation, -lcorr[j].drawer_db);
            cansim_output_release(&p->o, &r->hold);
            if (fe && !e)
                e = res->status;
            res->is_limited = lcorr[j].is_limited;
            res->is_limiting = lcorr[j].is_limiting;
            res->target_lufs = mode == CANSIM_LEVEL_MATCH    ? la.input_lufs
                               : mode == CANSIM_LEVEL_TARGET ? r->cfg.level.lufs
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
    for (size_t k = 0; pend && k < n_rows * n_prof; k++) {
        if (!pend[k].status)
            discard_pending(&pend[k]);
        cansim_output_release(&pend[k].o, &r->hold);
    }
    if (e && pend)
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n_prof; j++)
                if (!results[i][j].status && !results[i][j].is_skipped &&
                    pend[i * n_prof + j].status == CANSIM_OK) {
                    results[i][j].status = e;
                    results[i][j].diag = *diag;
                }
    for (size_t j = 0; e && g->song_dir && g->song && j < n_prof; j++)
        if (!g->song[j].status && !g->song[j].is_skipped && !g->song[j].is_measured) {
            g->song[j].status = e; /* never finished */
            g->song[j].diag = *diag;
        }
    if (sum_path[0])
        unlink(sum_path);
    cansim_translation_close(&tr);
    free(gains);
    free(pred);
    free(song_lufs);
    free(unsure);
    free(lin);
    free(lcorr);
    free(pend);
    free((void *)w);
    return e;
}

/* SPDX-License-Identifier: MIT */
/* One input file through every profile: open it, convert it to the render's rate, plan each
 * output's level, stream it through the engine into one temporary file per profile, then
 * finish (measure, correct, hold the ceiling) and rename each output. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audio_io.h"
#include "level.h"
#include "loudness.h"
#include "meter.h"
#include "render_file.h"
#include "resample.h"
#include "translation.h"

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
    int e = cansim_check_finite(frames, got, s->n_channels, s->pos, s->path, diag);
    if (e)
        return e;
    s->pos += (int64_t)got;
    if (got < n && (e = cansim_audio_check_end(s->path, s->pos, s->n_frames, diag)))
        return e;
    return (int64_t)got;
}

/* One input's render, step by step. A step's failure is the input's: it fails every output
 * (fail_outputs); an output's own failure stays in its lane's status until it is reported. */
typedef struct Job {
    CansimRender *r;
    const char *input_path;
    const char *output_dir;
    const CansimFileOptions *opt;
    const double *fixed_gain_db; /* a group member's: replaces the level plan */
    CansimPending *pend;         /* a group member's: the finish is deferred */
    CansimOutputResult *results;
    CansimDiag *diag;
    SNDFILE *in;
    SF_INFO info;
    int sf_format;
    const char *ext;
    char dir[4096];            /* output_dir/<input's stem> */
    char converted[4096 + 64]; /* the input at the render's rate, or "" */
    const char *src_path;      /* the input as rendered: input_path or converted */
    CansimFileOut *outs;
    double *gains_db;
    double *pred_db; /* the predicted change (output - input), then the predicted loudness */
    bool *unsure;    /* outputs whose prediction the gating puts in doubt: metered (level_gate.c) */
    CansimLevelIn *lin;     /* each output's level after the render */
    CansimLevelCorr *lcorr; /* and its correction (the drawer's common level) */
    CansimLevelAnalysis la;
    CansimTrAnalysis *tr; /* the translation's band energies (translation.c), or NULL */
    bool is_float_out;
    bool has_analysis;
    bool has_member_pred; /* a group member's own analysis, for its outputs' loudness */
    bool is_match;
    bool is_below_gate; /* by the prediction, then by the meter once the input has streamed */
    bool is_near_gate;
    double target;
} Job;

static int open_input(Job *j)
{
    int e = cansim_audio_open_read(j->input_path, &j->in, &j->info, j->diag);
    if (e) {
        j->in = NULL;
        return e;
    }
    if (j->info.channels > 2)
        return cansim_diag_set(j->diag, CANSIM_EFORMAT, "%s: %d channels (mono or stereo expected)",
                               j->input_path, j->info.channels);
    if (j->info.frames == 0)
        return cansim_diag_set(j->diag, CANSIM_EDATA, "%s: no audio frames", j->input_path);
    return CANSIM_OK;
}

/* The outputs' format, and their directory output_dir/<input's stem>, created. */
static int prepare_outputs(Job *j)
{
    const CansimRenderConfig *cfg = &j->r->cfg;
    const int out_rate = cfg->input.rate_hz != 0.0 ? (int)cfg->input.rate_hz : j->info.samplerate;
    int e = cansim_audio_output_format(cfg->output.format, j->info.format, out_rate, &j->sf_format,
                                       &j->ext, j->diag);
    if (e) {
        char msg[sizeof j->diag->msg];
        snprintf(msg, sizeof msg, "%s", j->diag->msg);
        return cansim_diag_set(j->diag, e, "%s: %s", j->input_path, msg);
    }
    char stem[256];
    cansim_path_stem(j->input_path, stem, sizeof stem);
    if (snprintf(j->dir, sizeof j->dir, "%s/%s", j->output_dir, stem) >= (int)sizeof j->dir)
        return cansim_diag_set(j->diag, CANSIM_EINVAL, "%s: output path too long", j->output_dir);
    if ((e = cansim_make_dirs(j->dir, j->diag)))
        return e;
    cansim_tmp_sweep(j->dir);
    return CANSIM_OK;
}

/* Another rate: the input is converted once, to a float file beside the outputs, which both
 * passes then read. */
static int convert_input(Job *j)
{
    const CansimRenderConfig *cfg = &j->r->cfg;
    j->src_path = j->input_path;
    if (cfg->input.rate_hz == 0.0 || cfg->input.rate_hz == j->info.samplerate)
        return CANSIM_OK;
    const char *dir = j->dir;
    char conv_final[4096 + 32];
    if (snprintf(conv_final, sizeof conv_final, "%s/.input.w64", dir) >= (int)sizeof conv_final)
        return cansim_diag_set(j->diag, CANSIM_EINVAL, "%s: output path too long", dir);
    int e = cansim_resample_file(j->in, &j->info, j->input_path, conv_final, j->converted,
                                 sizeof j->converted, cfg->input.rate_hz, cfg->input.resampler,
                                 cfg->progress, cfg->progress_user, j->diag);
    if (e)
        return e;
    cansim_audio_close_read(j->in);
    j->in = NULL;
    SF_INFO conv_info;
    if ((e = cansim_audio_open_read(j->converted, &j->in, &conv_info, j->diag))) {
        j->in = NULL;
        return e;
    }
    if (conv_info.frames == 0)
        return cansim_diag_set(
            j->diag, CANSIM_EDATA, "%s: %lld frames at %d Hz are less than one frame at %g Hz",
            j->input_path, (long long)j->info.frames, j->info.samplerate, cfg->input.rate_hz);
    j->info.samplerate = conv_info.samplerate;
    j->info.frames = conv_info.frames;
    j->src_path = j->converted;
    return CANSIM_OK;
}

/* The engine at the input's rate, the container for the longest output (with its tail) chosen
 * before anything is written, the skipped lanes marked, the per-output arrays. */
static int begin(Job *j)
{
    CansimRender *r = j->r;
    const size_t n_prof = r->cfg.n_profiles;
    int e = cansim_engine_begin(r, j->info.samplerate, j->diag);
    if (e)
        return e;
    int64_t n_longest = j->info.frames;
    for (size_t k = 0; r->cfg.engine.has_tail && k < n_prof; k++)
        if (j->info.frames + (int64_t)r->filters[k].n_taps - 1 > n_longest)
            n_longest = j->info.frames + (int64_t)r->filters[k].n_taps - 1;
    if ((e = cansim_output_fit(&j->sf_format, n_longest, 2, j->input_path, j->diag)))
        return e;
    for (size_t k = 0; j->opt->skip && k < n_prof; k++)
        if (j->opt->skip[k])
            r->lanes[k].status = CANSIM_LANE_SKIPPED;
    j->outs = calloc(n_prof, sizeof *j->outs);
    j->gains_db = calloc(n_prof, sizeof *j->gains_db);
    j->pred_db = calloc(n_prof, sizeof *j->pred_db);
    j->unsure = calloc(n_prof, sizeof *j->unsure);
    j->lin = calloc(n_prof, sizeof *j->lin);
    j->lcorr = calloc(n_prof, sizeof *j->lcorr);
    if (!j->outs || !j->gains_db || !j->pred_db || !j->unsure || !j->lin || !j->lcorr)
        return cansim_diag_set(j->diag, CANSIM_ENOMEM, "out of memory");
    j->is_float_out = cansim_audio_is_float(j->sf_format);
    return CANSIM_OK;
}

/* Level plan: each output's gain from the predicted loudness (loudness.c), applied as the
 * lanes interleave their output; measured and finished after the render. */
static int plan_levels(Job *j)
{
    CansimRender *r = j->r;
    const size_t n_prof = r->cfg.n_profiles;
    const CansimLevelMode mode = r->cfg.level.mode;
    j->has_analysis = !j->fixed_gain_db && (mode != CANSIM_LEVEL_OFF || r->cfg.level.has_ceiling);
    j->is_match = mode == CANSIM_LEVEL_MATCH;
    j->la = (CansimLevelAnalysis){.input_lufs = (double)NAN,
                                  .input_pred_lufs = (double)NAN,
                                  .pred_lufs = j->pred_db,
                                  .is_unsure = j->unsure,
                                  .tr = NULL,
                                  .wlanes = r->k.wlanes};
    /* A group member's gain is the group's; its own analysis (on which its translation rides)
     * predicts its outputs' loudness, so they need no meter where the prediction stands. */
    j->has_member_pred = j->fixed_gain_db && mode != CANSIM_LEVEL_OFF;
    /* translation: without memory for it, none (the render goes on) */
    cansim_translation_for(r, NULL, j->info.samplerate, &j->tr);
    int e;
    if (!j->has_analysis && !j->has_member_pred && j->tr &&
        (e = cansim_translation_read(j->tr, j->src_path, n_prof, r->n_threads, j->diag)))
        return e;
    if (j->has_analysis || j->has_member_pred) {
        j->la.tr = j->tr;
        const float **w = calloc(n_prof, sizeof *w);
        if (!w)
            return cansim_diag_set(j->diag, CANSIM_ENOMEM, "out of memory");
        for (size_t k = 0; k < n_prof; k++)
            w[k] = r->lanes[k].status ? NULL : r->filters[k].level_w;
        /* Matching needs only the predicted change (output - input) before the render, so the
         * input's exact meter then runs during the render, beside the lanes (a member's too). */
        e = cansim_level_analyse(j->src_path, w, n_prof, r->n_threads,
                                 !j->is_match && !j->fixed_gain_db, &j->la, j->diag);
        free((void *)w);
        if (e)
            return e;
    }
    if ((j->is_match && j->has_analysis) || j->fixed_gain_db) {
        /* mono or stereo (open_input), so only memory can fail it */
        if (!(r->in_meter = cansim_meter_open(j->info.channels, (double)j->info.samplerate)))
            return cansim_diag_set(j->diag, CANSIM_ENOMEM, "out of memory for the meter");
    }
    const double in_lufs =
        j->is_match || j->fixed_gain_db ? j->la.input_pred_lufs : j->la.input_lufs;
    j->is_below_gate = j->has_analysis && !(in_lufs > -70.0);
    j->is_near_gate = (j->has_analysis || j->has_member_pred) && !(in_lufs > CANSIM_NEAR_GATE_LUFS);
    for (size_t k = 0; k < n_prof; k++) {
        /* The prediction's bias cancels in the difference output - input (loudness.c). */
        const double change_db = j->pred_db[k] - j->la.input_pred_lufs;
        j->gains_db[k] = j->fixed_gain_db ? j->fixed_gain_db[k]
                                          : cansim_plan_gain_db(&r->cfg, change_db,
                                                                j->la.input_lufs, j->is_below_gate);
        j->pred_db[k] = change_db;
        r->lanes[k].gain = (float)pow(10.0, j->gains_db[k] / 20.0);
    }
    return CANSIM_OK;
}

/* Files and meters are created serially: libsndfile's open errors are global and
 * the meters are made with them. Integer outputs are rendered to a float intermediate,
 * measured where the prediction is not the answer and then written once in their format with
 * the exact gain: no sample is ever clipped, and dither is added once. The intermediate is held
 * in memory while the budget allows, else it is a float file. A float output is written into
 * its own file as it renders; when the drawer's level or the ceiling changes its gain, its
 * samples are rescaled where they are (cansim_rewrite_float()). A failure here is the output's
 * own (its lane's status). */
static void create_outputs(Job *j)
{
    CansimRender *r = j->r;
    for (size_t k = 0; k < r->cfg.n_profiles; k++) {
        char path[4096];
        const char *id = cansim_profile_id(r->profiles[k]);
        CansimLane *l = &r->lanes[k];
        CansimFileOut *o = &j->outs[k];
        if (snprintf(path, sizeof path, "%s/%s.%s", j->dir, id, j->ext) >= (int)sizeof path) {
            l->status =
                cansim_diag_set(&l->diag, CANSIM_EINVAL, "%s/%s: path too long", j->dir, id);
            continue;
        }
        snprintf(o->path, sizeof o->path, "%s", path);
        if (j->results)
            snprintf(j->results[k].path, sizeof j->results[k].path, "%s", path);
        if (l->status)
            continue;
        if ((l->status = cansim_output_check_name(path, &l->diag)))
            continue;
        /* Metered where the prediction is not the answer, in every format: integer outputs
         * without an analysis (`--level off --ceiling off`: their loudness is reported), a group
         * member without its own analysis, long filters, inputs near the gate and gating in
         * doubt (level_gate.c). At `--level off` the ceiling's analysis predicts the rest, as it
         * does at a level plan. */
        const bool is_predicted = j->fixed_gain_db ? j->has_member_pred : j->has_analysis;
        const bool has_meter = is_predicted
                                   ? !r->filters[k].is_short || j->is_near_gate || j->unsure[k]
                                   : !j->is_float_out || j->fixed_gain_db;
        if (has_meter && !(o->meter = cansim_meter_open(2, (double)j->info.samplerate))) {
            l->status = cansim_diag_set(&l->diag, CANSIM_ENOMEM, "out of memory for the meter");
            continue;
        }
        /* The ceiling holds every output's true peak, float ones' too. */
        o->peak.has_tp = !j->is_float_out || r->cfg.level.has_ceiling;
        const int64_t n_out =
            j->info.frames + (r->cfg.engine.has_tail ? (int64_t)r->filters[k].n_taps - 1 : 0);
        /* a block more: the engine renders whole blocks into it (cansim_file_sink_dest()) */
        if (!j->is_float_out &&
            cansim_output_hold(o, n_out + (int64_t)r->n_part, r->cfg.output.memory_bytes, &r->hold))
            continue;
        l->status = j->is_float_out
                        ? cansim_audio_create(path, NULL, j->sf_format, j->info.samplerate, 2,
                                              SFM_WRITE, &o->sf, o->part, sizeof o->part, &l->diag)
                        : cansim_audio_create(path, "raw", SF_FORMAT_W64 | SF_FORMAT_FLOAT,
                                              j->info.samplerate, 2, SFM_WRITE, &o->sf, o->raw,
                                              sizeof o->raw, &l->diag);
    }
}

/* The input through the engine into the outputs, with the input's meter beside the lanes;
 * then the input's loudness and the level each output aims at. */
static int stream(Job *j)
{
    CansimRender *r = j->r;
    FileSource src = {.sf = j->in,
                      .path = j->src_path,
                      .n_channels = j->info.channels,
                      .n_frames = j->info.frames};
    CansimFileSink sink;
    cansim_file_sink_init(&sink, j->outs, &r->k, j->info.samplerate);
    const CansimStream s = {.read = file_read,
                            .read_ctx = &src,
                            .n_channels = j->info.channels,
                            .n_out = -1,
                            .n_expected = j->info.frames,
                            .write = cansim_file_sink_write,
                            .dest = cansim_file_sink_dest,
                            .write_ctx = &sink};
    r->in_meter_err = 0;
    int e = cansim_engine_run(r, &s, j->diag);
    if (!e && r->in_meter_err)
        e = cansim_diag_set(j->diag, CANSIM_ENOMEM, "out of memory for the meter");
    if (r->in_meter) {
        /* Only a meter that saw the whole input says its loudness: when every output failed
         * before the end (none could be created), the input's level is not known. */
        if (src.pos < j->info.frames)
            j->la.input_lufs = (double)NAN;
        else
            j->la.input_lufs = cansim_meter_lufs(r->in_meter);
        cansim_meter_close(r->in_meter);
        r->in_meter = NULL;
        j->is_below_gate = !j->fixed_gain_db && j->la.input_lufs == -HUGE_VAL;
    }
    const CansimLevelMode mode = r->cfg.level.mode;
    j->target = mode == CANSIM_LEVEL_MATCH    ? j->la.input_lufs
                : mode == CANSIM_LEVEL_TARGET ? r->cfg.level.lufs
                                              : (double)NAN;
    for (size_t k = 0; k < r->cfg.n_profiles; k++)
        j->pred_db[k] =
            j->has_analysis || j->has_member_pred ? j->la.input_lufs + j->pred_db[k] : (double)NAN;
    return e;
}

/* Output k's file closed (a held one is complete as it is); its lane's status updated. */
static void close_one(Job *j, size_t k)
{
    CansimLane *l = &j->r->lanes[k];
    CansimFileOut *o = &j->outs[k];
    if (!o->sf)
        return;
    const int ce = cansim_audio_close(o->sf, j->is_float_out ? o->part : o->raw, &l->diag);
    o->sf = NULL;
    if (!l->status)
        l->status = ce;
}

/* A group member's output, its loudness measured or predicted, kept unfinished for the group's
 * ceiling. */
static void defer(Job *j, size_t k)
{
    CansimRender *r = j->r;
    CansimFileOut *o = &j->outs[k];
    CansimPending *p = &j->pend[k];
    p->status = CANSIM_OK;
    p->sf_format = j->sf_format;
    p->rate_hz = j->info.samplerate;
    p->is_float_out = j->is_float_out;
    p->is_true_peak = o->peak.has_tp;
    p->gain_db = j->gains_db[k];
    p->seed = cansim_dither_seed(j->opt->seed, cansim_profile_id(j->r->profiles[k]));
    p->is_measured = o->meter != NULL;
    if (!o->meter)
        p->lufs = j->pred_db[k] + j->gains_db[k];
    else
        p->lufs = cansim_meter_lufs(o->meter);
    p->peak_db = cansim_peak_db(&o->peak);
    cansim_meter_close(o->meter);
    o->meter = NULL;
    p->o = *o;
    o->part[0] = o->raw[0] = '\0'; /* kept for the finish */
    o->mem = NULL;
    if (j->results) {
        CansimOutputResult res = {0};
        memcpy(res.path, j->results[k].path, sizeof res.path);
        res.n_frames = r->lanes[k].n_done;
        cansim_audio_format_label(j->sf_format, res.format, sizeof res.format);
        res.input_lufs = j->la.input_lufs;
        res.target_lufs = j->target;
        res.gain_db = j->gains_db[k];
        cansim_translation_result(j->tr, k, res.gain_db, &res.translation);
        j->results[k] = res;
    }
}

static CansimFinish finish_of(const Job *j, size_t k)
{
    return (CansimFinish){
        .sf_format = j->sf_format,
        .rate_hz = j->info.samplerate,
        .is_float_out = j->is_float_out,
        .is_below_gate = j->is_below_gate,
        .target = j->target,
        .gain_db = j->gains_db[k],
        .pred_lufs = j->pred_db[k],
        .seed = cansim_dither_seed(j->opt->seed, cansim_profile_id(j->r->profiles[k])),
        .k = &j->r->k};
}

/* Output k after the levels are decided: written and renamed, or removed when it or the input
 * failed; its result written once, from its lane's status. Called for every output at once,
 * one output per call. */
static void finish_one(Job *j, size_t k, int e)
{
    CansimRender *r = j->r;
    CansimLane *l = &r->lanes[k];
    CansimFileOut *o = &j->outs[k];
    CansimOutputResult res = {0};
    if (j->lin[k].is_ok) {
        const CansimFinish f = finish_of(j, k);
        l->status = cansim_finish_output(&r->cfg, &f, &j->lin[k], &j->lcorr[k], o, &res, &l->diag);
        if (!l->status)
            l->status = cansim_output_rename(o->part, o->path, &l->diag);
    }
    if ((e || l->status) && o->part[0])
        unlink(o->part);
    if (o->raw[0])
        unlink(o->raw);
    cansim_meter_close(o->meter);
    o->meter = NULL;
    if (!j->results || e || (j->pend && !l->status))
        return;
    cansim_audio_format_label(j->sf_format, res.format, sizeof res.format);
    res.status = l->status;
    res.n_frames = l->n_done;
    memcpy(res.path, j->results[k].path, sizeof res.path);
    if (l->status) {
        res.diag = l->diag;
        res.notice = CANSIM_OK;
    }
    if (l->status == CANSIM_LANE_SKIPPED) {
        res.status = CANSIM_OK;
        res.diag.msg[0] = '\0';
        res.is_skipped = true;
    }
    /* The drawer's common cut is no change of this profile's own: the translation is of the
     * renders matched to each other. */
    cansim_translation_result(res.status ? NULL : j->tr, k, res.gain_db - j->lcorr[k].drawer_db,
                              &res.translation);
    res.input_lufs = j->la.input_lufs;
    res.target_lufs = j->target;
    res.is_below_gate = j->is_below_gate;
    j->results[k] = res;
}

/* Every output after the render: closed; a group member's deferred; the others' levels
 * decided together (the drawer's common level needs every output's peak), then written in
 * parallel, each by one thread, so the bytes do not depend on the thread count. */
static void finish_all(Job *j, int e)
{
    CansimRender *r = j->r;
    const size_t n = r->cfg.n_profiles;
    for (size_t k = 0; k < n; k++) {
        close_one(j, k);
        const bool is_ok = !e && !r->lanes[k].status;
        if (is_ok && j->pend)
            defer(j, k);
        j->lin[k].is_ok = is_ok && !j->pend;
        if (j->lin[k].is_ok) {
            const CansimFinish f = finish_of(j, k);
            cansim_level_assess(&r->cfg, &f, &j->outs[k], &j->lin[k]);
        }
    }
    cansim_level_correct(&r->cfg, j->lin, n, j->lcorr);
    Job *const jp = j;
    const long n_tasks = (long)n;
#pragma omp parallel for num_threads(r->n_threads) default(none) shared(jp, n_tasks, e)            \
    schedule(dynamic, 1)
    for (long k = 0; k < n_tasks; k++)
        finish_one(jp, (size_t)k, e);
    for (size_t k = 0; k < n; k++)
        cansim_output_release(&j->outs[k], &r->hold);
}

/* The input's failure e fails every output that has no result of its own. */
static void fail_outputs(const Job *j, int e)
{
    for (size_t k = 0; k < j->r->cfg.n_profiles && j->results; k++)
        if (!j->results[k].status) {
            j->results[k].status = e;
            j->results[k].diag = *j->diag;
        }
}

static int run_steps(Job *j)
{
    int e;
    if (!j->input_path || !j->output_dir)
        return cansim_diag_set(j->diag, CANSIM_EINVAL, "no input or output path");
    if (!CANSIM_RESERVED_ZERO(*j->opt))
        return cansim_diag_set(j->diag, CANSIM_EINVAL, "%s: the file options set reserved fields",
                               j->input_path);
    if ((e = open_input(j)) || (e = prepare_outputs(j)) || (e = convert_input(j)) ||
        (e = begin(j)) || (e = plan_levels(j)))
        return e;
    create_outputs(j);
    return stream(j);
}

int cansim_render_input(CansimRender *r, const char *input_path, const char *output_dir,
                        const CansimFileOptions *opt, const CansimMember *m,
                        CansimOutputResult *results, CansimDiag *diag)
{
    const CansimFileOptions no_opt = {0};
    CansimDiag local;
    Job j = {.r = r,
             .input_path = input_path,
             .output_dir = output_dir,
             .opt = opt ? opt : &no_opt,
             .fixed_gain_db = m ? m->gain_db : NULL,
             .pend = m ? m->pend : NULL,
             .results = results,
             .diag = diag ? diag : &local,
             .ext = ""};
    j.diag->msg[0] = '\0';
    if (results)
        memset(results, 0, r->cfg.n_profiles * sizeof *results);
    const int e = run_steps(&j);
    /* Every output is closed and finished, or removed; the first failure is returned. */
    int first = e;
    if (j.outs && j.lin && j.lcorr)
        finish_all(&j, e);
    for (size_t k = 0; j.outs && k < r->cfg.n_profiles; k++) {
        const int s = r->lanes[k].status;
        if (!first && s && s != CANSIM_LANE_SKIPPED)
            first = s;
    }
    cansim_meter_close(r->in_meter);
    r->in_meter = NULL;
    cansim_translation_close(&j.tr);
    free(j.outs);
    free(j.gains_db);
    free(j.pred_db);
    free(j.unsure);
    free(j.lin);
    free(j.lcorr);
    if (j.in)
        cansim_audio_close_read(j.in);
    if (j.converted[0])
        unlink(j.converted);
    if (e)
        fail_outputs(&j, e);
    return first;
}

int cansim_render_file(CansimRender *r, const char *input_path, const char *output_dir,
                       const CansimFileOptions *opt, CansimOutputResult *results, CansimDiag *diag)
{
    return cansim_render_input(r, input_path, output_dir, opt, NULL, results, diag);
}

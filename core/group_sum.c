/* SPDX-License-Identifier: MIT */
/* A gain group's song renders: per profile, the members' outputs, rendered at the group's gain
 * and not yet finished, summed into one more output. Rendering is linear, so the sum is the
 * render of the summed stems, so its loudness is the group's prediction for that profile (metered
 * where the prediction cannot stand), and it waits with them for the group's ceiling, which then
 * holds for the song too. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audio_io.h"
#include "group_sum.h"
#include "loudness.h"

/* The song's dither is its own: a seed apart from every member's. */
#define SONG_SEED 0x736F6E67u

/* Frames summed at a time. */
#define SUM_CHUNK 8192

/* One member's output of a profile, as it waits for its finish: held in memory, or a stereo
 * float file (the intermediate of integer and FLAC outputs, the output itself for float ones). */
typedef struct Source {
    const char *path;
    const float *frames;
    int64_t n_frames;
    SNDFILE *in;
    int64_t pos;
} Source;

/* Up to SUM_CHUNK frames of s into x (a file's) or *at (memory's, in place); how many. */
static sf_count_t next_source(Source *s, float *x, const float **at)
{
    if (!s->frames) {
        *at = x;
        return sf_readf_float(s->in, x, SUM_CHUNK);
    }
    const int64_t left = s->n_frames - s->pos;
    const sf_count_t k = left < SUM_CHUNK ? (sf_count_t)left : SUM_CHUNK;
    *at = s->frames + 2 * s->pos;
    s->pos += k;
    return k;
}

/* The members' outputs of one profile (src[0..n_src-1]) summed through a file sink into song's
 * output (its path set): held in memory within the budget, else a file; metered unless its
 * loudness is predicted (finite song->lufs). Shorter members end in silence. */
static int sum_outputs(CansimRender *r, Source *src, size_t n_src, CansimPending *song,
                       int64_t *n_frames, CansimDiag *diag)
{
    CansimFileOut *o = &song->o;
    float *buf = malloc((CANSIM_SINK_PREFIX + 4 * SUM_CHUNK) * sizeof *buf);
    int e = CANSIM_OK;
    if (!buf ||
        (!isfinite(song->lufs) && !(o->meter = cansim_meter_open(2, (double)song->rate_hz))))
        e = cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory", o->path);
    int64_t n_longest = 0;
    for (size_t i = 0; i < n_src && !e; i++) {
        if (!src[i].frames) {
            SF_INFO info;
            e = cansim_audio_open_read(src[i].path, &src[i].in, &info, diag);
            if (!e && info.channels != 2)
                e = cansim_diag_set(diag, CANSIM_EINTERNAL, "%s: not stereo", src[i].path);
            src[i].n_frames = info.frames;
        }
        if (src[i].n_frames > n_longest)
            n_longest = src[i].n_frames;
    }
    o->peak.has_tp = song->is_true_peak;
    /* Integer and FLAC songs wait in memory (as the stems do, render_file.c); a float one is
     * written into its file and rescaled there if its gain changes. */
    const bool is_held = !e && !song->is_float_out &&
                         cansim_output_hold(o, n_longest, r->cfg.output.memory_bytes, &r->hold);
    if (!e && !is_held)
        e = song->is_float_out
                ? cansim_audio_create(o->path, NULL, song->sf_format, song->rate_hz, 2, SFM_WRITE,
                                      &o->sf, o->part, sizeof o->part, diag)
                : cansim_audio_create(o->path, "raw", SF_FORMAT_W64 | SF_FORMAT_FLOAT,
                                      song->rate_hz, 2, SFM_WRITE, &o->sf, o->raw, sizeof o->raw,
                                      diag);
    CansimFileSink sink;
    cansim_file_sink_init(&sink, o, &r->k, song->rate_hz);
    float *acc = buf ? buf + CANSIM_SINK_PREFIX : NULL;
    float *x = acc ? acc + 2 * SUM_CHUNK : NULL;
    for (bool is_more = true; !e && is_more;) {
        sf_count_t n_max = 0;
        memset(acc, 0, 2 * SUM_CHUNK * sizeof *acc);
        for (size_t i = 0; i < n_src; i++) {
            const float *at;
            const sf_count_t k = next_source(&src[i], x, &at);
            for (sf_count_t t = 0; t < 2 * k; t++)
                acc[t] += at[t];
            if (k > n_max)
                n_max = k;
        }
        is_more = n_max == SUM_CHUNK;
        *n_frames += n_max;
        if (n_max)
            e = cansim_file_sink_write(&sink, 0, acc, (size_t)n_max, diag);
    }
    for (size_t i = 0; i < n_src; i++)
        if (src[i].in)
            cansim_audio_close_read(src[i].in);
    if (o->sf) {
        const int ce = cansim_audio_close(o->sf, song->is_float_out ? o->part : o->raw, diag);
        o->sf = NULL;
        if (!e)
            e = ce;
    }
    if (!e) {
        song->is_measured = o->meter != NULL;
        if (o->meter)
            song->lufs = cansim_meter_lufs(o->meter);
        song->peak_db = cansim_peak_db(&o->peak);
    }
    cansim_meter_close(o->meter);
    o->meter = NULL;
    if (e) {
        if (o->part[0])
            unlink(o->part);
        if (o->raw[0])
            unlink(o->raw);
        o->part[0] = o->raw[0] = '\0';
    }
    free(buf);
    return e;
}

bool cansim_group_song(CansimRender *r, const CansimGroupResult *g, const bool *skip,
                       const double *lufs, const CansimPending *pend, size_t n, CansimPending *song)
{
    const size_t n_prof = r->cfg.n_profiles;
    for (size_t j = 0; j < n_prof; j++)
        song[j].status = CANSIM_EINTERNAL;
    if (!g->song_dir || !g->song)
        return false;
    Source *src = calloc(n ? n : 1, sizeof *src);
    CansimDiag d;
    bool is_any = false;
    const int de = src ? cansim_make_dirs(g->song_dir, &d)
                       : cansim_diag_set(&d, CANSIM_ENOMEM, "%s: out of memory", g->song_dir);
    if (de) {
        for (size_t j = 0; j < n_prof; j++)
            g->song[j] = (skip && skip[j]) ? (CansimOutputResult){.is_skipped = true}
                                           : (CansimOutputResult){.status = de, .diag = d};
        free(src);
        return false;
    }
    for (size_t j = 0; j < n_prof; j++) {
        CansimOutputResult *res = &g->song[j];
        const CansimPending *first = NULL;
        size_t n_src = 0;
        bool is_complete = true;
        int64_t n_frames = 0;
        for (size_t i = 0; i < n; i++) {
            if (g->member_status[i])
                continue; /* left the group: not in its sum either */
            const CansimPending *p = &pend[i * n_prof + j];
            if (p->status) {
                is_complete = false;
                continue;
            }
            first = first ? first : p;
            src[n_src++] = (Source){.path = p->is_float_out ? p->o.part : p->o.raw,
                                    .frames = p->o.mem,
                                    .n_frames = p->o.n_frames};
        }
        if (skip && skip[j]) {
            res->is_skipped = true; /* up to date, as the members' outputs are */
            continue;
        }
        if (!first || !is_complete) {
            res->status = cansim_diag_set(&res->diag, CANSIM_EDATA,
                                          "%s: no song render: a stem's render through %s failed",
                                          g->song_dir, cansim_profile_id(r->profiles[j]));
            continue;
        }
        CansimPending *s = &song[j];
        *s = (CansimPending){.status = CANSIM_EINTERNAL,
                             .sf_format = first->sf_format,
                             .rate_hz = first->rate_hz,
                             .is_float_out = first->is_float_out,
                             .is_true_peak = first->is_true_peak,
                             .gain_db = first->gain_db,
                             .lufs = lufs[j],
                             .seed = first->seed ^ SONG_SEED};
        const char *ext = strrchr(first->o.path, '.');
        if (snprintf(s->o.path, sizeof s->o.path, "%s/%s%s", g->song_dir,
                     cansim_profile_id(r->profiles[j]), ext ? ext : "") >= (int)sizeof s->o.path) {
            res->status =
                cansim_diag_set(&res->diag, CANSIM_EINVAL, "%s: path too long", g->song_dir);
            continue;
        }
        snprintf(res->path, sizeof res->path, "%s", s->o.path);
        int e = cansim_output_check_name(s->o.path, &res->diag);
        if (!e)
            e = sum_outputs(r, src, n_src, s, &n_frames, &res->diag);
        if (e) {
            res->status = e;
            continue;
        }
        s->status = CANSIM_OK;
        res->n_frames = n_frames;
        cansim_audio_format_label(s->sf_format, res->format, sizeof res->format);
        res->input_lufs = g->sum_lufs;
        res->gain_db = s->gain_db;
        is_any = true;
    }
    free(src);
    return is_any;
}

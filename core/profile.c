/* SPDX-License-Identifier: MIT */
/* Profiles as 2x2 FIR matrices: from taps, from impulse-response files, at another rate. */
#include <math.h>
#include <samplerate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio_io.h"

struct CansimProfile {
    char id[256];
    double rate_hz;
    size_t n_taps;
    float *cells[4]; /* NULL for an all-zero cell */
};

bool cansim_rate_is_valid(double rate_hz)
{
    return rate_hz >= 8000.0 && rate_hz <= 384000.0;
}

static bool all_zero(const float *x, size_t n)
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
                return cansim_diag_set(diag, CANSIM_EPROFILE, "%s: tap %zu of cell %d is %s", id,
                                       i, c, isnan(cells[c][i]) ? "NaN" : "infinite");
    }
    if (!has_cell)
        return cansim_diag_set(diag, CANSIM_EINVAL, "%s: every cell is empty", id);
    CansimProfile *p;
    int e = profile_new(&p, id, rate_hz, n_taps);
    if (e)
        return cansim_diag_set(diag, e, "%s: %s", id, cansim_strerror(e));
    for (int c = 0; c < 4; c++) {
        if (!cells[c] || all_zero(cells[c], n_taps))
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

int cansim_profile_load_ir(CansimProfile **out, const char *path, CansimDiag *diag)
{
    *out = NULL;
    SNDFILE *sf;
    SF_INFO info;
    int e = cansim_audio_open_read(path, &sf, &info, diag);
    if (e)
        return e == CANSIM_EFORMAT || e == CANSIM_EIO || e == CANSIM_ERATE ? e : CANSIM_EPROFILE;
    const int n_ch = info.channels;
    float *buf = NULL;
    float *planes[4] = {NULL, NULL, NULL, NULL};
    if (n_ch != 1 && n_ch != 2 && n_ch != 4) {
        e = cansim_diag_set(diag, CANSIM_EPROFILE,
                            "%s: impulse response has %d channels (1, 2 or 4 expected)", path,
                            n_ch);
        goto done;
    }
    if (info.frames < 1 || (uint64_t)info.frames > CANSIM_MAX_TAPS) {
        e = cansim_diag_set(diag, CANSIM_EPROFILE,
                            "%s: impulse response has %lld frames (1 to %u allowed)", path,
                            (long long)info.frames, CANSIM_MAX_TAPS);
        goto done;
    }
    const size_t n = (size_t)info.frames;
    buf = cansim_alloc_floats(n * (size_t)n_ch);
    for (int c = 0; c < n_ch; c++)
        planes[c] = cansim_alloc_floats(n);
    bool has_memory = buf != NULL;
    for (int c = 0; c < n_ch; c++)
        has_memory = has_memory && planes[c];
    if (!has_memory) {
        e = cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    const sf_count_t got = sf_readf_float(sf, buf, (sf_count_t)n);
    if (got != (sf_count_t)n) {
        e = cansim_diag_set(diag, CANSIM_EIO, "%s: read %lld of %zu frames: %s", path,
                            (long long)got, n, sf_strerror(sf));
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < n_ch; c++) {
            const float v = buf[i * (size_t)n_ch + (size_t)c];
            if (!isfinite(v)) {
                e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s: frame %zu channel %d is %s",
                                    path, i, c + 1, isnan(v) ? "NaN" : "infinite");
                goto done;
            }
            planes[c][i] = v;
        }
    const float *cells[4] = {NULL, NULL, NULL, NULL};
    if (n_ch == 1) {
        cells[CANSIM_CELL_LL] = cells[CANSIM_CELL_RR] = planes[0];
    } else if (n_ch == 2) {
        cells[CANSIM_CELL_LL] = planes[0];
        cells[CANSIM_CELL_RR] = planes[1];
    } else {
        for (int c = 0; c < 4; c++)
            cells[c] = planes[c];
    }
    bool is_silent = true;
    for (int c = 0; c < n_ch; c++)
        is_silent = is_silent && all_zero(planes[c], n);
    if (is_silent) {
        e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s: impulse response is silent", path);
        goto done;
    }
    char id[256];
    cansim_path_stem(path, id, sizeof id);
    e = cansim_profile_from_taps(out, id, info.samplerate, n, cells, diag);
done:
    sf_close(sf);
    cansim_free(buf);
    for (int c = 0; c < 4; c++)
        cansim_free(planes[c]);
    return e;
}

int cansim_profile_resample(CansimProfile **out, const CansimProfile *p, double rate_hz,
                            CansimDiag *diag)
{
    *out = NULL;
    if (!cansim_rate_is_valid(rate_hz))
        return cansim_diag_set(diag, CANSIM_ERATE, "%s: sample rate %g Hz is outside 8000-384000",
                               p->id, rate_hz);
    const double ratio = rate_hz / p->rate_hz;
    if (!src_is_valid_ratio(ratio))
        return cansim_diag_set(diag, CANSIM_ERATE, "%s: cannot convert %g Hz to %g Hz", p->id,
                               p->rate_hz, rate_hz);
    int map[4];
    int n_ch = 0;
    for (int c = 0; c < 4; c++)
        if (p->cells[c])
            map[n_ch++] = c;
    /* All cells go through one multichannel conversion so they keep one length. */
    const size_t n_in = p->n_taps;
    const size_t n_out = (size_t)ceil((double)n_in * ratio);
    int e = CANSIM_OK;
    float *in = cansim_alloc_floats(n_in * (size_t)n_ch);
    float *res = cansim_alloc_floats((n_out + 1) * (size_t)n_ch);
    float *planes[4] = {NULL, NULL, NULL, NULL};
    if (!in || !res) {
        e = cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory", p->id);
        goto done;
    }
    for (size_t i = 0; i < n_in; i++)
        for (int k = 0; k < n_ch; k++)
            in[i * (size_t)n_ch + (size_t)k] = p->cells[map[k]][i];
    SRC_DATA d = {
        .data_in = in,
        .data_out = res,
        .input_frames = (long)n_in,
        .output_frames = (long)(n_out + 1),
        .src_ratio = ratio,
    };
    const int se = src_simple(&d, SRC_SINC_BEST_QUALITY, n_ch);
    if (se) {
        e = cansim_diag_set(diag, CANSIM_ERATE, "%s: libsamplerate: %s", p->id, src_strerror(se));
        goto done;
    }
    size_t n_gen = (size_t)d.output_frames_gen;
    if (n_gen == 0)
        n_gen = 1;
    /* An impulse response sampled faster has proportionally more taps under the same curve:
     * scaling by 1/ratio keeps the frequency response's level. */
    const float scale = (float)(1.0 / ratio);
    const float *cells[4] = {NULL, NULL, NULL, NULL};
    for (int k = 0; k < n_ch; k++) {
        planes[k] = cansim_alloc_floats(n_gen);
        if (!planes[k]) {
            e = cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory", p->id);
            goto done;
        }
        for (size_t i = 0; i < (size_t)d.output_frames_gen; i++)
            planes[k][i] = res[i * (size_t)n_ch + (size_t)k] * scale;
        cells[map[k]] = planes[k];
    }
    e = cansim_profile_from_taps(out, p->id, rate_hz, n_gen, cells, diag);
done:
    cansim_free(in);
    cansim_free(res);
    for (int k = 0; k < 4; k++)
        cansim_free(planes[k]);
    return e;
}

int cansim_profile_at_rate(const CansimProfile *p, double rate_hz, const CansimProfile **out,
                           CansimProfile **owned, CansimDiag *diag)
{
    *owned = NULL;
    if (p->rate_hz == rate_hz) {
        *out = p;
        return CANSIM_OK;
    }
    const int e = cansim_profile_resample(owned, p, rate_hz, diag);
    *out = *owned;
    return e;
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

const float *cansim_profile_taps(const CansimProfile *p, int cell)
{
    return (cell >= 0 && cell < 4) ? p->cells[cell] : NULL;
}

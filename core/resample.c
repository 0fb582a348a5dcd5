/* SPDX-License-Identifier: MIT */
/* Inputs: probing an audio file's header, and converting a file to another rate with
 * libsamplerate before it is rendered. */
#include <math.h>
#include <samplerate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audio_io.h"
#include "resample.h"

static const char *const resampler_names[] = {"best", "medium", "fast"};
static const int resampler_types[] = {SRC_SINC_BEST_QUALITY, SRC_SINC_MEDIUM_QUALITY,
                                      SRC_SINC_FASTEST};

int cansim_resampler_from_name(const char *name, CansimResampler *out)
{
    for (int i = 0; name && i < 3; i++)
        if (!strcmp(name, resampler_names[i])) {
            *out = (CansimResampler)i;
            return CANSIM_OK;
        }
    return CANSIM_EINVAL;
}

const char *cansim_resampler_name(CansimResampler r)
{
    return (unsigned)r < 3 ? resampler_names[r] : "unknown";
}

int cansim_input_probe(const char *path, CansimInputInfo *info, CansimDiag *diag)
{
    SNDFILE *sf;
    SF_INFO sfi;
    memset(info, 0, sizeof *info);
    if (!path)
        return cansim_diag_set(diag, CANSIM_EINVAL, "no input path");
    int e = cansim_audio_open_read(path, &sf, &sfi, diag);
    if (e)
        return e;
    cansim_audio_close_read(sf);
    info->rate_hz = sfi.samplerate;
    info->n_channels = sfi.channels;
    info->n_frames = sfi.frames;
    cansim_audio_format_label(sfi.format, info->format, sizeof info->format);
    cansim_audio_format_label(cansim_audio_same_format(sfi.format, sfi.samplerate),
                              info->same_format, sizeof info->same_format);
    if (sfi.frames <= 0)
        return cansim_diag_set(diag, CANSIM_EDATA, "%s: no audio frames", path);
    return CANSIM_OK;
}

#define CONVERT_FRAMES 8192

int cansim_resample_file(SNDFILE *in, const SF_INFO *info, const char *in_path,
                         const char *out_final, char *out_path, size_t out_n, double rate_hz,
                         CansimResampler kind, CansimProgressFn *progress, void *user,
                         CansimDiag *diag)
{
    out_path[0] = '\0';
    const int n_ch = info->channels;
    const double ratio = rate_hz / info->samplerate;
    /* The converted length: the input's duration at the new rate. libsamplerate's output is
     * time-aligned with its input; its last frames are cut or zero-padded to this count. */
    const int64_t n_want = (int64_t)llround((double)info->frames * ratio);
    const size_t n_out_max = (size_t)ceil(CONVERT_FRAMES * ratio) + 64;
    float *buf_in = malloc((size_t)CONVERT_FRAMES * (size_t)n_ch * sizeof *buf_in);
    float *buf_out = calloc(n_out_max * (size_t)n_ch, sizeof *buf_out);
    int src_err = 0;
    SRC_STATE *src = (unsigned)kind < 3 ? src_new(resampler_types[kind], n_ch, &src_err) : NULL;
    SNDFILE *out = NULL;
    int e = CANSIM_OK;
    if (!buf_in || !buf_out || !src) {
        e = cansim_diag_set(diag, CANSIM_ENOMEM, "%s: cannot start the rate conversion: %s",
                            in_path, src_err ? src_strerror(src_err) : "out of memory");
        goto done;
    }
    if ((e = cansim_audio_create(out_final, NULL, SF_FORMAT_W64 | SF_FORMAT_FLOAT, (int)rate_hz,
                                 n_ch, SFM_WRITE, &out, out_path, out_n, diag)))
        goto done;
    int64_t n_in = 0, n_out = 0;
    bool is_eof = false;
    size_t have = 0; /* frames of buf_in not yet consumed */
    while (n_out < n_want) {
        if (!is_eof && have < CONVERT_FRAMES) {
            const sf_count_t k = sf_readf_float(in, buf_in + have * (size_t)n_ch,
                                                (sf_count_t)(CONVERT_FRAMES - have));
            if (sf_error(in)) {
                e = cansim_audio_read_error(in, in_path, n_in + (k > 0 ? k : 0), info->frames,
                                            diag);
                goto done;
            }
            for (size_t i = have * (size_t)n_ch;
                 i < (have + (size_t)(k > 0 ? k : 0)) * (size_t)n_ch; i++)
                if (!isfinite(buf_in[i])) {
                    e = cansim_diag_set(
                        diag, CANSIM_EDATA, "%s: sample at frame %lld is %s", in_path,
                        (long long)(n_in + (int64_t)(i / (size_t)n_ch) - (int64_t)have),
                        isnan(buf_in[i]) ? "NaN" : "infinite");
                    goto done;
                }
            if (k > 0) {
                have += (size_t)k;
                n_in += k;
            }
            is_eof = k <= 0 || n_in >= info->frames;
            if (is_eof && (e = cansim_audio_check_end(in_path, n_in, info->frames, diag)))
                goto done;
        }
        SRC_DATA d = {.data_in = buf_in,
                      .data_out = buf_out,
                      .input_frames = (long)have,
                      .output_frames = (long)n_out_max,
                      .end_of_input = is_eof,
                      .src_ratio = ratio};
        if ((src_err = src_process(src, &d))) {
            e = cansim_diag_set(diag, CANSIM_EINTERNAL, "%s: rate conversion failed: %s", in_path,
                                src_strerror(src_err));
            goto done;
        }
        memmove(buf_in, buf_in + (size_t)d.input_frames_used * (size_t)n_ch,
                (have - (size_t)d.input_frames_used) * (size_t)n_ch * sizeof *buf_in);
        have -= (size_t)d.input_frames_used;
        int64_t k = d.output_frames_gen;
        if (is_eof && k == 0 && have == 0) {
            /* Drained: pad to the duration. */
            k = n_want - n_out < (int64_t)n_out_max ? n_want - n_out : (int64_t)n_out_max;
            memset(buf_out, 0, (size_t)k * (size_t)n_ch * sizeof *buf_out);
        }
        if (k > n_want - n_out)
            k = n_want - n_out;
        if (k > 0 && sf_writef_float(out, buf_out, k) != k) {
            e = cansim_diag_set(diag, CANSIM_EIO, "%s: write failed: %s", out_path,
                                sf_strerror(out));
            goto done;
        }
        n_out += k;
        if (progress && progress(user, 0, info->frames)) {
            e = cansim_diag_set(diag, CANSIM_ECANCELED, "%s: canceled", in_path);
            goto done;
        }
    }
done:
    if (out) {
        const int ce = cansim_audio_close(out, out_path, e ? NULL : diag);
        if (!e)
            e = ce;
    }
    if (e && out_path[0]) {
        unlink(out_path);
        out_path[0] = '\0';
    }
    if (src)
        src_delete(src);
    free(buf_in);
    free(buf_out);
    return e;
}

/* SPDX-License-Identifier: MIT */
/* Output files: directories, the container for the size, the file sink with its peak tracking,
 * and the final rename. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audio_io.h"
#include "engine.h"
#include "hold.h"
#include "loudness.h"
#include "output.h"

/* A 32-bit chunk size holds at most 4 GiB - 1; the headers take the rest of this margin. */
#define LIMIT_32BIT (((int64_t)1 << 32) - 65536)
/* FLAC's STREAMINFO counts samples in 36 bits. */
#define LIMIT_FLAC_FRAMES ((int64_t)1 << 36)

int cansim_output_fit(int *sf_format, int64_t n_frames, int n_channels, const char *label,
                      CansimDiag *diag)
{
    const int major = *sf_format & SF_FORMAT_TYPEMASK;
    const int sub = *sf_format & SF_FORMAT_SUBMASK;
    if (n_frames < 0) {
        if (major == SF_FORMAT_WAV || major == SF_FORMAT_WAVEX)
            *sf_format = SF_FORMAT_RF64 | sub;
        return CANSIM_OK;
    }
    switch (major) {
    case SF_FORMAT_W64:
    case SF_FORMAT_RF64:
    case SF_FORMAT_CAF:
    case SF_FORMAT_OGG:
    case SF_FORMAT_MPEG:
    case SF_FORMAT_RAW:
        return CANSIM_OK;
    case SF_FORMAT_FLAC:
        if (n_frames < LIMIT_FLAC_FRAMES)
            return CANSIM_OK;
        return cansim_diag_set(diag, CANSIM_EFORMAT,
                               "%s: %lld frames are more than a FLAC file can hold (2^36); "
                               "choose a 64-bit container",
                               label, (long long)n_frames);
    default:
        break;
    }
    /* A compressed encoding is taken at 4 bytes a sample, more than any of them needs. */
    const int bytes = cansim_audio_sample_bytes(*sf_format);
    const int64_t frame_bytes = (int64_t)(bytes ? bytes : 4) * n_channels;
    if (n_frames <= LIMIT_32BIT / frame_bytes)
        return CANSIM_OK;
    if (major == SF_FORMAT_WAV || major == SF_FORMAT_WAVEX) {
        *sf_format = SF_FORMAT_RF64 | sub;
        return CANSIM_OK;
    }
    return cansim_diag_set(diag, CANSIM_EFORMAT,
                           "%s: %lld frames (%.2f GiB) are more than this format can hold "
                           "(4 GiB); choose WAV, FLAC or another 64-bit container",
                           label, (long long)n_frames,
                           (double)(n_frames * frame_bytes) / (double)((int64_t)1 << 30));
}

int cansim_make_dirs(const char *path, CansimDiag *diag)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return cansim_diag_set(diag, CANSIM_EINVAL, "%s: path too long", path);
    for (char *p = buf + 1;; p++) {
        const char c = *p;
        if (c != '/' && c != '\0')
            continue;
        *p = '\0';
        struct stat st;
        if (mkdir(buf, 0777) && errno != EEXIST)
            return cansim_diag_set(diag, CANSIM_EIO, "%s: cannot create directory: %s", buf,
                                   strerror(errno));
        if (stat(buf, &st) || !S_ISDIR(st.st_mode))
            return cansim_diag_set(diag, CANSIM_EIO, "%s: not a directory", buf);
        *p = c;
        if (c == '\0')
            break;
    }
    return CANSIM_OK;
}

int cansim_output_rename(const char *tmp, const char *path, CansimDiag *diag)
{
    if (rename(tmp, path))
        return cansim_diag_set(diag, CANSIM_EIO, "%s: cannot rename to %s: %s", tmp, path,
                               strerror(errno));
    return CANSIM_OK;
}

double cansim_peak_db(const CansimPeak *p)
{
    float sp;
    memcpy(&sp, &p->bits, sizeof sp);
    if (p->has_tp)
        return 20.0 * log10((double)(p->tp_max > sp ? p->tp_max : sp));
    return 20.0 * log10((double)sp);
}

/* Frames of a chunk whose interpolated peak is skipped when it cannot raise the peak so far. */
#define TP_BLOCK 256

static float float_of(uint32_t bits)
{
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

/* The sample peak and true peak of a chunk (frames, with CANSIM_SINK_PREFIX floats of room
 * before it), the true peak's history carried over from the chunk before. One pass of the
 * sample peak per block of frames serves both: the true peak is a maximum, and a block whose
 * largest sample, or its predecessor's (the taps' history reaches less than a block back), times
 * the filter's gain bound stays under the peak so far cannot raise it, so only the other blocks
 * are interpolated and the result is the same (most of a render stays a few dB under its
 * peaks). A NaN's bits are above every number's: its block is interpolated. */
static void track_peaks(const CansimFileSink *s, CansimPeak *pk, float *frames, size_t n)
{
    if (!pk->has_tp) {
        pk->bits = s->peak(frames, 2 * n, pk->bits);
        return;
    }
    const size_t h = CANSIM_TP_HISTORY;
    const size_t reach = (size_t)CANSIM_TP_TAPS(s->tp_factor) - 1; /* frames read before one */
    _Static_assert(CANSIM_TP_HISTORY < TP_BLOCK, "a block's history is in the block before");
    memcpy(frames - 2 * h, pk->tp_hist, sizeof pk->tp_hist);
    uint32_t prev = s->peak(frames - 2 * reach, 2 * reach, 0);
    for (size_t off = 0; off < n; off += TP_BLOCK) {
        const size_t m = n - off < TP_BLOCK ? n - off : TP_BLOCK;
        const uint32_t b = s->peak(frames + 2 * off, 2 * m, 0);
        pk->bits = b > pk->bits ? b : pk->bits;
        const float top = float_of(b > prev ? b : prev);
        prev = b;
        if (top * s->tp_bound < pk->tp_max)
            continue;
        const float p = s->truepeak2(frames + 2 * off, m, s->tp_coefs, s->tp_factor);
        if (p > pk->tp_max)
            pk->tp_max = p;
    }
    if (n >= h) {
        memcpy(pk->tp_hist, frames + 2 * (n - h), sizeof pk->tp_hist);
    } else {
        memmove(pk->tp_hist, pk->tp_hist + 2 * n, 2 * (h - n) * sizeof(float));
        memcpy(pk->tp_hist + 2 * (h - n), frames, 2 * n * sizeof(float));
    }
}

void cansim_file_sink_init(CansimFileSink *s, CansimFileOut *outs, const CansimKernels *k,
                           double rate_hz)
{
    _Static_assert(2 * CANSIM_TP_HISTORY <= CANSIM_SINK_PREFIX, "the prefix holds the history");
    s->outs = outs;
    s->truepeak2 = k->truepeak2;
    s->peak = k->peak;
    /* True peak as libebur128 measures it: 4x oversampled below 96 kHz, 2x below 192 kHz. */
    s->tp_factor = rate_hz < 96000.0 ? 4 : rate_hz < 192000.0 ? 2 : 1;
    cansim_truepeak_coefs(s->tp_coefs, s->tp_factor);
    /* |y| <= sum_k |h_pk| max |x| per phase p; with room for the kernel's rounding (within
     * T FLT_EPSILON of that, kernels.h). */
    const int taps = CANSIM_TP_TAPS(s->tp_factor);
    double bound = 0.0;
    for (int p = 0; p < s->tp_factor; p++) {
        double sum = 0.0;
        for (int t = 0; t < taps; t++)
            sum += fabs((double)s->tp_coefs[p * taps + t]);
        bound = sum > bound ? sum : bound;
    }
    s->tp_bound = (float)(bound * (1.0 + 1e-4));
}

float *cansim_file_sink_dest(void *ctx, size_t lane, size_t n_max)
{
    _Static_assert(CANSIM_HOLD_PREFIX == CANSIM_SINK_PREFIX, "a held block's prefix is the sink's");
    const CansimFileSink *s = ctx;
    const CansimFileOut *o = &s->outs[lane];
    if (!o->mem || o->n_frames + (int64_t)n_max > o->cap_mem)
        return NULL;
    float *const d = o->mem + 2 * (size_t)o->n_frames;
    cansim_hold_prefault(d, 2 * n_max);
    return d;
}

int cansim_file_sink_write(void *ctx, size_t lane, float *frames, size_t n, CansimDiag *diag)
{
    const CansimFileSink *s = ctx;
    CansimFileOut *o = &s->outs[lane];
    if (o->meter && cansim_meter_add(o->meter, frames, n))
        return cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory for the meter", o->path);
    track_peaks(s, &o->peak, frames, n);
    if (o->mem) {
        if (o->n_frames + (int64_t)n > o->cap_mem)
            return cansim_diag_set(diag, CANSIM_EINTERNAL, "%s: more frames than planned", o->path);
        float *const at = o->mem + 2 * (size_t)o->n_frames;
        if (frames != at) /* else the engine made them in place (cansim_file_sink_dest()) */
            memcpy(at, frames, 2 * n * sizeof *frames);
        o->n_frames += (int64_t)n;
        return CANSIM_OK;
    }
    const sf_count_t k = sf_writef_float(o->sf, frames, (sf_count_t)n);
    if (k != (sf_count_t)n)
        return cansim_diag_set(diag, CANSIM_EIO, "%s: write failed: %s", o->path,
                               sf_strerror(o->sf));
    o->n_frames += (int64_t)n;
    return CANSIM_OK;
}

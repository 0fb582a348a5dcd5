/* SPDX-License-Identifier: MIT */
/* The finishing write: gain, dither and format, once, from the float intermediate. */
#include <string.h>
#include <unistd.h>

#include "audio_io.h"
#include "finish_write.h"
#include "flac_level.h"

/* splitmix64: a tiny seeded generator; its sequence is the same on every machine. */
static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* The next k <= chunk frames of src into buf: from memory, or read from the file. */
static sf_count_t next_frames(const CansimFinishSrc *src, SNDFILE *in, int64_t pos, float *buf,
                              size_t chunk)
{
    if (!src->frames)
        return sf_readf_float(in, buf, (sf_count_t)chunk);
    const int64_t left = src->n_frames - pos;
    const size_t k = left < (int64_t)chunk ? (size_t)left : chunk;
    memcpy(buf, src->frames + 2 * (size_t)pos, 2 * k * sizeof *buf);
    return (sf_count_t)k;
}

int cansim_level_finish(const CansimFinishSrc *src, const char *dst_final, const char *kind,
                        char *dst, size_t dst_n, int sf_format, int flac_level, int rate_hz,
                        double gain, bool has_dither, uint64_t seed, CansimDiag *diag)
{
    SNDFILE *in = NULL, *out = NULL;
    SF_INFO info = {.frames = src->n_frames};
    const size_t chunk = 16384;
    float *buf = NULL;
    dst[0] = '\0';
    int e = src->frames ? CANSIM_OK : cansim_audio_open_read(src->path, &in, &info, diag);
    if (e)
        return e;
    if ((e = cansim_audio_create(dst_final, kind, sf_format, rate_hz, 2, SFM_WRITE, &out, dst,
                                 dst_n, diag)) ||
        (e = cansim_flac_set_level(out, sf_format, flac_level, dst, diag)))
        goto done;
    if (!(buf = cansim_alloc_floats(2 * chunk))) {
        e = cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory");
        goto done;
    }
    /* TPDF dither: the difference of two independent uniform variables on [0, 1) times one
     * 16-bit LSB (2^-15 of full scale), so triangular on (-1, 1) LSB, added before libsndfile
     * rounds to 16 bits. */
    const double lsb = 1.0 / 32768.0;
    const double u24 = 1.0 / 16777216.0;
    uint64_t state = seed;
    int64_t n_read = 0;
    for (;;) {
        const sf_count_t k = next_frames(src, in, n_read, buf, chunk);
        if (k <= 0)
            break;
        n_read += k;
        const size_t ns = 2 * (size_t)k;
        for (size_t i = 0; i < ns; i++) {
            double v = (double)buf[i] * gain;
            if (has_dither) {
                const uint64_t r = splitmix(&state);
                v += ((double)(r >> 40) - (double)((r >> 16) & 0xFFFFFFu)) * u24 * lsb;
            }
            buf[i] = (float)v;
        }
        if (sf_writef_float(out, buf, k) != k) {
            e = cansim_diag_set(diag, CANSIM_EIO, "%s: write failed: %s", dst, sf_strerror(out));
            goto done;
        }
    }
    if (in && sf_error(in))
        e = cansim_diag_set(diag, CANSIM_EIO, "%s: read failed: %s", src->path, sf_strerror(in));
    else if (in)
        e = cansim_audio_check_end(src->path, n_read, info.frames, diag);
done:
    cansim_free(buf);
    if (in)
        cansim_audio_close_read(in);
    if (out) {
        const int ce = cansim_audio_close(out, dst, e ? NULL : diag);
        if (!e)
            e = ce;
    }
    if (e && dst[0]) {
        unlink(dst);
        dst[0] = '\0';
    }
    return e;
}

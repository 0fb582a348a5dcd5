/* SPDX-License-Identifier: MIT */
/* The finishing write: gain, dither and format, once, from the float intermediate. */
#include <string.h>
#include <unistd.h>

#include "audio_io.h"
#include "finish_write.h"
#include "flac_level.h"

/* The next k <= chunk frames of src: from memory (where they are), or read from the file into
 * buf. */
static sf_count_t next_frames(const CansimFinishSrc *src, SNDFILE *in, int64_t pos, float *buf,
                              size_t chunk, const float **frames)
{
    if (!src->frames) {
        *frames = buf;
        return sf_readf_float(in, buf, (sf_count_t)chunk);
    }
    const int64_t left = src->n_frames - pos;
    const size_t k = left < (int64_t)chunk ? (size_t)left : chunk;
    *frames = src->frames + 2 * (size_t)pos;
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
     * rounds to 16 bits (the gain_dither kernel, bit-exact at every CPU level). */
    cansim_gain_dither_fn *const fn = src->gain_dither ? src->gain_dither : cansim_gain_dither_c;
    uint64_t state = seed;
    int64_t n_read = 0;
    for (;;) {
        const float *frames;
        const sf_count_t k = next_frames(src, in, n_read, buf, chunk, &frames);
        if (k <= 0)
            break;
        n_read += k;
        fn(buf, frames, 2 * (size_t)k, gain, has_dither ? &state : NULL);
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

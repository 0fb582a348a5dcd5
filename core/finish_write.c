/* SPDX-License-Identifier: MIT */
/* The finishing write: gain, dither and format, once, from the float intermediate; or a float
 * output's gain changed where its samples are. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
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

/* Whether sf_format is a WAV or RF64 file of little-endian samples. */
static bool is_le_wav(int sf_format)
{
    const int major = sf_format & SF_FORMAT_TYPEMASK, end = sf_format & SF_FORMAT_ENDMASK;
    return (major == SF_FORMAT_WAV || major == SF_FORMAT_WAVEX || major == SF_FORMAT_RF64) &&
           (end == SF_ENDIAN_FILE || end == SF_ENDIAN_LITTLE);
}

/* The kernel that packs floats into sf_format's bytes as libsndfile would (16- or 24-bit PCM in
 * a little-endian WAV or RF64 file; *n_bytes a sample), else NULL: libsndfile converts. */
static cansim_pack_pcm_fn *raw_packer(const CansimKernels *k, int sf_format, int *n_bytes)
{
    if (!is_le_wav(sf_format))
        return NULL;
    switch (sf_format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_16:
        *n_bytes = 2;
        return k ? k->pack_pcm16 : cansim_pack_pcm16_c;
    case SF_FORMAT_PCM_24:
        *n_bytes = 3;
        return k ? k->pack_pcm24 : cansim_pack_pcm24_c;
    default:
        return NULL;
    }
}

/* k frames of buf into out: packed into raw (pack, n_bytes a sample) and written as they are, or
 * converted by libsndfile. */
static bool write_frames(SNDFILE *out, const float *buf, sf_count_t k, cansim_pack_pcm_fn *pack,
                         int n_bytes, void *raw)
{
    if (!pack)
        return sf_writef_float(out, buf, k) == k;
    const sf_count_t size = 2 * k * n_bytes;
    pack(raw, buf, 2 * (size_t)k);
    return sf_write_raw(out, raw, size) == size;
}

int cansim_level_finish(const CansimFinishSrc *src, const char *dst_final, const char *kind,
                        char *dst, size_t dst_n, int sf_format, int flac_level, int rate_hz,
                        double gain, bool has_dither, uint64_t seed, CansimDiag *diag)
{
    SNDFILE *in = NULL, *out = NULL;
    SF_INFO info = {.frames = src->n_frames};
    const size_t chunk = CANSIM_IO_FRAMES;
    float *buf = NULL, *raw = NULL;
    int n_bytes = 0;
    cansim_pack_pcm_fn *const pack = raw_packer(src->k, sf_format, &n_bytes);
    dst[0] = '\0';
    int e = src->frames ? CANSIM_OK : cansim_audio_open_read(src->path, &in, &info, diag);
    if (e)
        return e;
    if ((e = cansim_audio_create(dst_final, kind, sf_format, rate_hz, 2, SFM_WRITE, &out, dst,
                                 dst_n, diag)) ||
        (e = cansim_flac_set_level(out, sf_format, flac_level, dst, diag)))
        goto done;
    /* raw: the packed samples, at most 4 bytes each */
    if (!(buf = cansim_alloc_floats(2 * chunk)) ||
        (pack && !(raw = cansim_alloc_floats(2 * chunk)))) {
        e = cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory");
        goto done;
    }
    /* TPDF dither: the difference of two independent uniform variables on [0, 1) times one
     * 16-bit LSB (2^-15 of full scale), so triangular on (-1, 1) LSB, added before the rounding
     * to 16 bits (the gain_dither kernel, bit-exact at every CPU level, as the packing is). */
    cansim_gain_dither_fn *const fn = src->k ? src->k->gain_dither : cansim_gain_dither_c;
    uint64_t state = seed;
    int64_t n_read = 0;
    for (;;) {
        const float *frames;
        const sf_count_t k = next_frames(src, in, n_read, buf, chunk, &frames);
        if (k <= 0)
            break;
        n_read += k;
        fn(buf, frames, 2 * (size_t)k, gain, has_dither ? &state : NULL);
        if (!write_frames(out, buf, k, pack, n_bytes, raw)) {
            e = cansim_diag_set(diag, CANSIM_EIO, "%s: write failed: %s", dst, sf_strerror(out));
            goto done;
        }
    }
    if (in && sf_error(in))
        e = cansim_diag_set(diag, CANSIM_EIO, "%s: read failed: %s", src->path, sf_strerror(in));
    else if (in)
        e = cansim_audio_check_end(src->path, n_read, info.frames, diag);
done:
    cansim_free(raw);
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

/* Whether floats in files of sf_format are this machine's floats: WAV and RF64 hold
 * little-endian IEEE floats. */
static bool is_native_wav_float(int sf_format)
{
    const uint16_t one = 1;
    unsigned char low;
    memcpy(&low, &one, 1);
    return is_le_wav(sf_format) && (sf_format & SF_FORMAT_SUBMASK) == SF_FORMAT_FLOAT && low == 1;
}

/* The offset of the data of the WAV or RF64 file fd whose last data_bytes bytes are its samples
 * (libsndfile writes the data chunk last, and cansim adds no chunk after it), or -1 when its data
 * chunk is not found just there. */
static off_t tail_data_offset(int fd, uint64_t data_bytes)
{
    struct stat st;
    unsigned char h[8];
    if (fstat(fd, &st) || (uint64_t)st.st_size < data_bytes + 20)
        return -1;
    const off_t off = st.st_size - (off_t)data_bytes;
    if (pread(fd, h, sizeof h, off - 8) != (ssize_t)sizeof h || memcmp(h, "data", 4))
        return -1;
    const uint32_t size =
        (uint32_t)h[4] | (uint32_t)h[5] << 8 | (uint32_t)h[6] << 16 | (uint32_t)h[7] << 24;
    return size == data_bytes || size == 0xFFFFFFFFu ? off : -1; /* RF64: the size is in ds64 */
}

/* Whole reads and writes at an offset (a short count is retried; 0 from pread is the end). */
static bool pread_all(int fd, void *buf, size_t n, off_t off)
{
    for (size_t done = 0; done < n;) {
        const ssize_t k = pread(fd, (char *)buf + done, n - done, off + (off_t)done);
        if (k <= 0) {
            if (k < 0 && errno == EINTR)
                continue;
            if (k == 0)
                errno = EIO;
            return false;
        }
        done += (size_t)k;
    }
    return true;
}

static bool pwrite_all(int fd, const void *buf, size_t n, off_t off)
{
    for (size_t done = 0; done < n;) {
        const ssize_t k = pwrite(fd, (const char *)buf + done, n - done, off + (off_t)done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        done += (size_t)k;
    }
    return true;
}

int cansim_level_rescale(const char *path, int sf_format, int64_t n_frames, double gain,
                         const CansimKernels *k, bool *is_done, CansimDiag *diag)
{
    *is_done = false;
    if (!is_native_wav_float(sf_format) || n_frames <= 0)
        return CANSIM_OK;
    const int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return cansim_diag_set(diag, CANSIM_EIO, "%s: cannot reopen: %s", path, strerror(errno));
    const size_t chunk = CANSIM_IO_FRAMES;
    const uint64_t bytes = (uint64_t)n_frames * 2 * sizeof(float);
    const off_t data = tail_data_offset(fd, bytes);
    float *buf = data < 0 ? NULL : cansim_alloc_floats(2 * chunk);
    int e = CANSIM_OK;
    if (data >= 0 && !buf)
        e = cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory");
    cansim_gain_dither_fn *const fn = k ? k->gain_dither : cansim_gain_dither_c;
    for (int64_t pos = 0; buf && !e && pos < n_frames; pos += (int64_t)chunk) {
        const size_t m = n_frames - pos < (int64_t)chunk ? (size_t)(n_frames - pos) : chunk;
        const off_t at = data + (off_t)(pos * 2 * (int64_t)sizeof(float));
        const size_t nb = 2 * m * sizeof(float);
        if (!pread_all(fd, buf, nb, at))
            e = cansim_diag_set(diag, CANSIM_EIO, "%s: read failed: %s", path, strerror(errno));
        else if ((fn(buf, buf, 2 * m, gain, NULL), !pwrite_all(fd, buf, nb, at)))
            e = cansim_diag_set(diag, CANSIM_EIO, "%s: write failed: %s", path, strerror(errno));
    }
    cansim_free(buf);
    if (close(fd) && !e)
        e = cansim_diag_set(diag, CANSIM_EIO, "%s: %s", path, strerror(errno));
    *is_done = data >= 0 && !e;
    return e;
}

/* SPDX-License-Identifier: MIT */
/* The finishing write: an output's float intermediate (in memory or on disk) written once in
 * its format at its final gain, with dither for 16-bit PCM. */
#ifndef CANSIM_FINISH_WRITE_H
#define CANSIM_FINISH_WRITE_H

#include "internal.h"
#include "kernels.h"

/* Where an output's float samples are before the finish: n_frames stereo frames in memory
 * (frames), else the float file path. */
typedef struct CansimFinishSrc {
    const char *path;
    const float *frames;
    int64_t n_frames;
    const CansimKernels *k; /* the kernels of the finish (NULL: the C versions) */
} CansimFinishSrc;

/* Writes src into a new temporary file for dst_final (cansim_audio_create() with kind; its path
 * into dst, dst_n bytes) in sf_format (FLAC at flac_level), stereo, rate_hz, scaled by gain; with
 * has_dither, TPDF dither of +-1 LSB of 16-bit PCM from a generator seeded with seed. 16- and
 * 24-bit PCM in little-endian WAV and RF64 files are packed by the pack_pcm kernels and written
 * raw: the bytes libsndfile would write from the same floats. On failure dst is removed (and set
 * to "").
 * @return CANSIM_OK, or CANSIM_EIO / CANSIM_ENOMEM / the open's code, with diag */
int cansim_level_finish(const CansimFinishSrc *src, const char *dst_final, const char *kind,
                        char *dst, size_t dst_n, int sf_format, int flac_level, int rate_hz,
                        double gain, bool has_dither, uint64_t seed, CansimDiag *diag);

/* A float WAV or RF64 output's n_frames stereo frames (the end of the file at path, as
 * libsndfile wrote it) scaled by gain where they are (k's gain_dither kernel, no dither; k NULL:
 * the C version): the same bytes as cansim_level_finish() would write, without a second file.
 * *is_done is false, and nothing is touched, when the file is of another kind (another
 * container, byte order or layout): the caller writes a new file then.
 * @return CANSIM_OK, or CANSIM_EIO / CANSIM_ENOMEM with diag (the file is then incomplete) */
int cansim_level_rescale(const char *path, int sf_format, int64_t n_frames, double gain,
                         const CansimKernels *k, bool *is_done, CansimDiag *diag);

#endif

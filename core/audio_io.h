/* SPDX-License-Identifier: MIT */
/* libsndfile at the boundary: opening with one-line diagnostics, output format choice. */
#ifndef CANSIM_AUDIO_IO_H
#define CANSIM_AUDIO_IO_H

#include <sndfile.h>

#include "internal.h"

/* Opens path for reading. Fails with a diag naming the path for anything but a regular file
 * (checked before the open: a FIFO would block), an unreadable or truncated file ("truncated:
 * N of M frames"), or one with no channels or an invalid rate. A WAV written into a pipe (data
 * size 0, 0x7FFFFFFF or 0xFFFFFFFF) is read to the file's end. */
int cansim_audio_open_read(const char *path, SNDFILE **out, SF_INFO *info, CansimDiag *diag);

/* After a reader met the end at n_read frames: a failure ("truncated: n_read of n_frames
 * frames") when the file announced more (n_frames, libsndfile's SF_INFO.frames). */
int cansim_audio_check_end(const char *path, int64_t n_read, int64_t n_frames, CansimDiag *diag);

/* A read of path that failed (sf_error) after n_read of its n_frames: "truncated or damaged:
 * n_read of n_frames frames read (libsndfile's reason)" while frames were missing. */
int cansim_audio_read_error(SNDFILE *sf, const char *path, int64_t n_read, int64_t n_frames,
                            CansimDiag *diag);

/* Creates a temporary file for final_path (cansim_tmp_create(): unique, O_EXCL, within NAME_MAX;
 * its path into tmp, n bytes) and opens it with libsndfile in mode (SFM_WRITE, or SFM_RDWR to
 * read back what was written) for n_channels at rate_hz in sf_format. On failure nothing is
 * left. */
int cansim_audio_create(const char *final_path, const char *kind, int sf_format, int rate_hz,
                        int n_channels, int mode, SNDFILE **out, char *tmp, size_t n,
                        CansimDiag *diag);

/* A WAV whose data chunk says 0 bytes, opened as the raw audio that follows its header (info
 * then says WAV and the frames present; core/wav_stream.c). The SNDFILE owns everything it
 * uses: sf_close() releases it. Returns 1, and opens nothing, when no audio follows the header
 * (an empty WAV). */
int cansim_wav_open_stream(const char *path, SNDFILE **out, SF_INFO *info, CansimDiag *diag);

/* Closes a file opened by cansim_audio_open_read() (NULL allowed). */
void cansim_audio_close_read(SNDFILE *sf);

/* Bytes per sample of a fixed-size encoding, 0 for others (compressed). */
int cansim_audio_sample_bytes(int sf_format);

/* The libsndfile format of CANSIM_FORMAT_SAME's stereo output at rate_hz from an input of
 * in_format: the input's, but FLAC 24-bit for a lossy input (WAV 24-bit at a rate FLAC cannot
 * hold) and WAV for RF64 (cansim_output_fit() makes it RF64 past 4 GiB). */
int cansim_audio_same_format(int in_format, int rate_hz);

/* The libsndfile format and file extension for an output of format f, from an input of
 * in_format (used by CANSIM_FORMAT_SAME). */
int cansim_audio_output_format(CansimFormat f, int in_format, int rate_hz, int *sf_format,
                               const char **ext, CansimDiag *diag);

/* Closes sf and reports a failure to finish the file (header update on a full disk). */
int cansim_audio_close(SNDFILE *sf, const char *path, CansimDiag *diag);

/* The output's format name ("wav16" ... "aiff24", else the container's extension). */
void cansim_audio_format_label(int sf_format, char *out, size_t n);

/* A float or double encoding (which can hold values past full scale). */
bool cansim_audio_is_float(int sf_format);

#endif

/* SPDX-License-Identifier: MIT */
/* Converting an input to the render's rate (libsamplerate) before it is rendered. */
#ifndef CANSIM_RESAMPLE_H
#define CANSIM_RESAMPLE_H

#include <sndfile.h>

#include "internal.h"

/* Reads the open input (in, info; in_path names it in messages) to its end (a truncated input
 * fails) and writes it at rate_hz as a float W64 file of the same channels, exactly
 * round(frames * rate_hz / rate) frames, time-aligned, into a new temporary file for out_final
 * (cansim_audio_create(); its path into out_path, out_n bytes). progress is polled (n_done 0);
 * nonzero cancels. On failure out_path is removed (and set to ""). */
int cansim_resample_file(SNDFILE *in, const SF_INFO *info, const char *in_path,
                         const char *out_final, char *out_path, size_t out_n, double rate_hz,
                         CansimResampler kind, CansimProgressFn *progress, void *user,
                         CansimDiag *diag);

#endif

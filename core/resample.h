/* SPDX-License-Identifier: MIT */
/* Converting an input to the render's rate (libsamplerate) before it is rendered. */
#ifndef CANSIM_RESAMPLE_H
#define CANSIM_RESAMPLE_H

#include <sndfile.h>

#include "internal.h"

/* Reads the open input (in, info; in_path names it in messages) to its end and writes it to
 * out_path at rate_hz as a float W64 file of the same channels, exactly
 * round(frames * rate_hz / rate) frames, time-aligned. progress is polled (n_done 0); nonzero
 * cancels. On failure out_path is removed. */
int cansim_resample_file(SNDFILE *in, const SF_INFO *info, const char *in_path,
                         const char *out_path, double rate_hz, CansimResampler kind,
                         CansimProgressFn *progress, void *user, CansimDiag *diag);

#endif

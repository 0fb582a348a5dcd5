/* SPDX-License-Identifier: MIT */
/* libsndfile at the boundary: opening with one-line diagnostics, output format choice. */
#ifndef CANSIM_AUDIO_IO_H
#define CANSIM_AUDIO_IO_H

#include <sndfile.h>

#include "internal.h"

/* Opens path for reading. Fails with a diag naming the path for an unreadable or truncated
 * file, or one with no channels or an invalid rate. */
int cansim_audio_open_read(const char *path, SNDFILE **out, SF_INFO *info, CansimDiag *diag);

/* Creates path for writing n_channels at rate_hz in sf_format (clipping on for integer
 * encodings). */
int cansim_audio_open_write(const char *path, int sf_format, int rate_hz, int n_channels,
                            SNDFILE **out, CansimDiag *diag);

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

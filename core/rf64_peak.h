/* SPDX-License-Identifier: MIT */
/* The PEAK chunk libsndfile leaves in a float RF64 file, blanked. */
#ifndef CANSIM_RF64_PEAK_H
#define CANSIM_RF64_PEAK_H

#include "internal.h"

/* libsndfile writes an RF64 file's header, PEAK chunk and all, when it opens the file: before
 * SFC_SET_ADD_PEAK_CHUNK can drop it (it does for WAV, AIFF and CAF), and keeps it when it
 * downgrades the file to WAV at the end (SFC_RF64_AUTO_DOWNGRADE). The chunk would keep the time
 * of opening. In the complete RF64 or WAV file path, a PEAK chunk before the data becomes a JUNK
 * chunk of zeros (the padding RIFF readers skip), so the bytes depend on the samples alone; any
 * other file is left as it is.
 * @return CANSIM_OK or CANSIM_EIO */
int cansim_rf64_blank_peak(const char *path, CansimDiag *diag);

#endif

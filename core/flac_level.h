/* SPDX-License-Identifier: MIT */
/* FLAC outputs' compression level (libFLAC's 0..8), set on a file before its first write. */
#ifndef CANSIM_FLAC_LEVEL_H
#define CANSIM_FLAC_LEVEL_H

#include <sndfile.h>

#include "internal.h"

/* Whether level is one libFLAC has (0..8). */
bool cansim_flac_level_is_valid(int level);

/* Sets sf's FLAC encoder to level before anything is written (libsndfile's
 * SFC_SET_COMPRESSION_LEVEL, level / 8); a file in another format is left as it is. path names
 * the file in diag.
 * @return CANSIM_OK, CANSIM_EINVAL (a level outside 0..8), CANSIM_EIO (libsndfile refused) */
int cansim_flac_set_level(SNDFILE *sf, int sf_format, int level, const char *path,
                          CansimDiag *diag);

#endif

/* SPDX-License-Identifier: MIT */
/* FLAC outputs' compression level. Every level writes the same samples (FLAC is lossless); a
 * higher one searches more predictors for a smaller file, at more time on the render's threads
 * (docs/commands.md has the sizes and speeds measured per level). */
#include "flac_level.h"

bool cansim_flac_level_is_valid(int level)
{
    return level >= 0 && level <= 8;
}

int cansim_flac_set_level(SNDFILE *sf, int sf_format, int level, const char *path, CansimDiag *diag)
{
    if ((sf_format & SF_FORMAT_TYPEMASK) != SF_FORMAT_FLAC)
        return CANSIM_OK;
    if (!cansim_flac_level_is_valid(level))
        return cansim_diag_set(diag, CANSIM_EINVAL, "%s: FLAC level %d is outside 0..8", path,
                               level);
    /* libsndfile takes 0..1 and encodes at lrint(x * 8): level / 8 is exact. */
    double x = (double)level / 8.0;
    if (sf_command(sf, SFC_SET_COMPRESSION_LEVEL, &x, sizeof x) != SF_TRUE)
        return cansim_diag_set(diag, CANSIM_EIO, "%s: cannot set FLAC level %d: %s", path, level,
                               sf_strerror(sf));
    return CANSIM_OK;
}

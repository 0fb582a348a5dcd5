/* SPDX-License-Identifier: MIT */
/* C reference of the finishing kernel: gain in double, TPDF dither, one rounding to float. */
#include "dither.h"
#include "kernels.h"

void cansim_gain_dither_c(float *dst, const float *src, size_t n, double gain, uint64_t *state)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = cansim_dither_one(src[i], gain, state);
}

/* SPDX-License-Identifier: MIT */
/* C reference of the stereo (de)interleave kernels (deinterleave2, interleave2). */
#include "kernels.h"

void cansim_deinterleave2_c(float *restrict l, float *restrict r, const float *restrict src,
                            size_t n)
{
    for (size_t i = 0; i < n; i++) {
        l[i] = src[2 * i];
        r[i] = src[2 * i + 1];
    }
}

void cansim_interleave2_c(float *restrict dst, const float *l, const float *r, float gain, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        dst[2 * i] = l[i] * gain;
        dst[2 * i + 1] = r[i] * gain;
    }
}

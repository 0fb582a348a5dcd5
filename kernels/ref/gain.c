/* SPDX-License-Identifier: MIT */
/* C reference of the gain kernel. */
#include "kernels.h"

void cansim_gain_c(float *dst, const float *src, float gain, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = src[i] * gain;
}

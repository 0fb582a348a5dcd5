/* SPDX-License-Identifier: MIT */
/* C reference of the mid/side kernels (sumdiff, interleave2_ms: symmetric 2x2 filters run as two
 * cells). */
#include <assert.h>
#include <stdint.h>

#include "kernels.h"

void cansim_sumdiff_c(float *restrict sum, float *restrict diff, const float *a, const float *b,
                      size_t n)
{
    assert(n % CANSIM_PAD == 0);
    assert(((uintptr_t)sum | (uintptr_t)diff | (uintptr_t)a | (uintptr_t)b) % CANSIM_ALIGN == 0);
    for (size_t i = 0; i < n; i++) {
        sum[i] = a[i] + b[i];
        diff[i] = a[i] - b[i];
    }
}

void cansim_interleave2_ms_c(float *restrict dst, const float *m, const float *s, float gain,
                             size_t n)
{
    for (size_t i = 0; i < n; i++) {
        dst[2 * i] = (m[i] + s[i]) * gain;
        dst[2 * i + 1] = (m[i] - s[i]) * gain;
    }
}

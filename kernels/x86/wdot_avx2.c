/* SPDX-License-Identifier: MIT */
/* The weighted sum kernel with AVX2: the reference's 16 lanes in two vectors. Built with
 * -ffp-contract=off, so each product is rounded before its sum as in the reference. */
#include <immintrin.h>

#include "kernels.h"
#include "wdot_tail.h"

double cansim_wdot_avx2(const float *w, const float *p, size_t n)
{
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
    size_t i = 0;
    if (w)
        for (; i + CANSIM_WDOT_LANES <= n; i += CANSIM_WDOT_LANES) {
            a0 = _mm256_add_ps(a0, _mm256_mul_ps(_mm256_loadu_ps(w + i), _mm256_loadu_ps(p + i)));
            a1 = _mm256_add_ps(
                a1, _mm256_mul_ps(_mm256_loadu_ps(w + i + 8), _mm256_loadu_ps(p + i + 8)));
        }
    else
        for (; i + CANSIM_WDOT_LANES <= n; i += CANSIM_WDOT_LANES) {
            a0 = _mm256_add_ps(a0, _mm256_loadu_ps(p + i));
            a1 = _mm256_add_ps(a1, _mm256_loadu_ps(p + i + 8));
        }
    float acc[CANSIM_WDOT_LANES];
    _mm256_storeu_ps(acc, a0);
    _mm256_storeu_ps(acc + 8, a1);
    return cansim_wdot_tail(acc, w, p, i, n);
}

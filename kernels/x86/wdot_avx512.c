/* SPDX-License-Identifier: MIT */
/* The weighted sum kernel with AVX-512: the reference's 16 lanes in one vector. Built with
 * -ffp-contract=off, so each product is rounded before its sum as in the reference. */
#include <immintrin.h>

#include "kernels.h"
#include "wdot_tail.h"

double cansim_wdot_avx512(const float *w, const float *p, size_t n)
{
    __m512 a = _mm512_setzero_ps();
    size_t i = 0;
    if (w)
        for (; i + CANSIM_WDOT_LANES <= n; i += CANSIM_WDOT_LANES)
            a = _mm512_add_ps(a, _mm512_mul_ps(_mm512_loadu_ps(w + i), _mm512_loadu_ps(p + i)));
    else
        for (; i + CANSIM_WDOT_LANES <= n; i += CANSIM_WDOT_LANES)
            a = _mm512_add_ps(a, _mm512_loadu_ps(p + i));
    float acc[CANSIM_WDOT_LANES];
    _mm512_storeu_ps(acc, a);
    return cansim_wdot_tail(acc, w, p, i, n);
}

/* SPDX-License-Identifier: MIT */
/* The vector-math kernels (cexp, vlog) with AVX-512F: SLEEF's avx512f u10 functions, 16 values per
 * step, then a masked tail. */
#include <immintrin.h>
#include <sleef.h>

#include "kernels.h"

void cansim_cexp_avx512(float *restrict re, float *restrict im, size_t n)
{
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m512 m = Sleef_expf16_u10avx512f(_mm512_loadu_ps(re + i));
        const Sleef___m512_2 sc = Sleef_sincosf16_u10avx512f(_mm512_loadu_ps(im + i));
        _mm512_storeu_ps(re + i, _mm512_mul_ps(m, sc.y));
        _mm512_storeu_ps(im + i, _mm512_mul_ps(m, sc.x));
    }
    if (i < n) {
        /* Unused lanes hold 1, so they stay finite. */
        const __mmask16 k = (__mmask16)((1u << (n - i)) - 1);
        const __m512 one = _mm512_set1_ps(1.0f);
        const __m512 m = Sleef_expf16_u10avx512f(_mm512_mask_loadu_ps(one, k, re + i));
        const Sleef___m512_2 sc = Sleef_sincosf16_u10avx512f(_mm512_mask_loadu_ps(one, k, im + i));
        _mm512_mask_storeu_ps(re + i, k, _mm512_mul_ps(m, sc.y));
        _mm512_mask_storeu_ps(im + i, k, _mm512_mul_ps(m, sc.x));
    }
}

void cansim_vlog_avx512(float *dst, const float *src, size_t n)
{
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(dst + i, Sleef_logf16_u10avx512f(_mm512_loadu_ps(src + i)));
    if (i < n) {
        const __mmask16 k = (__mmask16)((1u << (n - i)) - 1);
        const __m512 x = _mm512_mask_loadu_ps(_mm512_set1_ps(1.0f), k, src + i);
        _mm512_mask_storeu_ps(dst + i, k, Sleef_logf16_u10avx512f(x));
    }
}

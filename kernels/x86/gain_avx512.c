/* SPDX-License-Identifier: MIT */
/* The gain kernel with AVX-512F: 64 values per step, then single vectors, then a masked tail. */
#include <immintrin.h>

#include "kernels.h"

void cansim_gain_avx512(float *dst, const float *src, float gain, size_t n)
{
    const __m512 g = _mm512_set1_ps(gain);
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        const __m512 a = _mm512_mul_ps(_mm512_loadu_ps(src + i), g);
        const __m512 b = _mm512_mul_ps(_mm512_loadu_ps(src + i + 16), g);
        const __m512 c = _mm512_mul_ps(_mm512_loadu_ps(src + i + 32), g);
        const __m512 d = _mm512_mul_ps(_mm512_loadu_ps(src + i + 48), g);
        _mm512_storeu_ps(dst + i, a);
        _mm512_storeu_ps(dst + i + 16, b);
        _mm512_storeu_ps(dst + i + 32, c);
        _mm512_storeu_ps(dst + i + 48, d);
    }
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(dst + i, _mm512_mul_ps(_mm512_loadu_ps(src + i), g));
    if (i < n) {
        const __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(dst + i, m, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, src + i), g));
    }
}

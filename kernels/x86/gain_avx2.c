/* SPDX-License-Identifier: MIT */
/* The gain kernel with AVX2: 32 values per step, then single vectors, then a scalar tail. */
#include <immintrin.h>

#include "kernels.h"

/* Each step loads before it stores, so dst == src works; one multiply per value. */
void cansim_gain_avx2(float *dst, const float *src, float gain, size_t n)
{
    const __m256 g = _mm256_set1_ps(gain);
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        const __m256 a = _mm256_mul_ps(_mm256_loadu_ps(src + i), g);
        const __m256 b = _mm256_mul_ps(_mm256_loadu_ps(src + i + 8), g);
        const __m256 c = _mm256_mul_ps(_mm256_loadu_ps(src + i + 16), g);
        const __m256 d = _mm256_mul_ps(_mm256_loadu_ps(src + i + 24), g);
        _mm256_storeu_ps(dst + i, a);
        _mm256_storeu_ps(dst + i + 8, b);
        _mm256_storeu_ps(dst + i + 16, c);
        _mm256_storeu_ps(dst + i + 24, d);
    }
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(dst + i, _mm256_mul_ps(_mm256_loadu_ps(src + i), g));
    for (; i < n; i++)
        dst[i] = src[i] * gain;
}

/* SPDX-License-Identifier: MIT */
/* The mid/side kernels (sumdiff, interleave2_ms) with AVX2: whole vectors for sumdiff, a scalar
 * tail for interleave2_ms. */
#include <immintrin.h>

#include "kernels.h"

/* n % 16 == 0 and 64-byte alignment, so aligned accesses and no tail. */
void cansim_sumdiff_avx2(float *restrict sum, float *restrict diff, const float *a, const float *b,
                         size_t n)
{
    for (size_t i = 0; i < n; i += 16) {
        const __m256 a0 = _mm256_load_ps(a + i);
        const __m256 a1 = _mm256_load_ps(a + i + 8);
        const __m256 b0 = _mm256_load_ps(b + i);
        const __m256 b1 = _mm256_load_ps(b + i + 8);
        _mm256_store_ps(sum + i, _mm256_add_ps(a0, b0));
        _mm256_store_ps(sum + i + 8, _mm256_add_ps(a1, b1));
        _mm256_store_ps(diff + i, _mm256_sub_ps(a0, b0));
        _mm256_store_ps(diff + i + 8, _mm256_sub_ps(a1, b1));
    }
}

/* As join8 of interleave_avx2.c: the sum and the difference, each rounded, then the product. */
static inline void join8_ms(float *restrict dst, const float *m, const float *s, __m256 g)
{
    const __m256 mv = _mm256_loadu_ps(m);
    const __m256 sv = _mm256_loadu_ps(s);
    const __m256 lv = _mm256_mul_ps(_mm256_add_ps(mv, sv), g);
    const __m256 rv = _mm256_mul_ps(_mm256_sub_ps(mv, sv), g);
    const __m256 lo = _mm256_unpacklo_ps(lv, rv);
    const __m256 hi = _mm256_unpackhi_ps(lv, rv);
    _mm256_storeu_ps(dst, _mm256_permute2f128_ps(lo, hi, 0x20));
    _mm256_storeu_ps(dst + 8, _mm256_permute2f128_ps(lo, hi, 0x31));
}

void cansim_interleave2_ms_avx2(float *restrict dst, const float *m, const float *s, float gain,
                                size_t n)
{
    const __m256 g = _mm256_set1_ps(gain);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        join8_ms(dst + 2 * i, m + i, s + i, g);
        join8_ms(dst + 2 * i + 16, m + i + 8, s + i + 8, g);
    }
    if (i + 8 <= n) {
        join8_ms(dst + 2 * i, m + i, s + i, g);
        i += 8;
    }
    for (; i < n; i++) {
        dst[2 * i] = (m[i] + s[i]) * gain;
        dst[2 * i + 1] = (m[i] - s[i]) * gain;
    }
}

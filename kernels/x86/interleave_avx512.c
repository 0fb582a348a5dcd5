/* SPDX-License-Identifier: MIT */
/* Stereo (de)interleave kernels (deinterleave2, interleave2) with AVX-512F: 16 frames per step,
 * masked tail. */
#include <immintrin.h>

#include "kernels.h"

static inline __mmask16 mask_first(size_t count)
{
    return count >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << count) - 1);
}

void cansim_deinterleave2_avx512(float *restrict l, float *restrict r, const float *restrict src,
                                 size_t n)
{
    const __m512i even =
        _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odd =
        _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m512 a = _mm512_loadu_ps(src + 2 * i);
        const __m512 b = _mm512_loadu_ps(src + 2 * i + 16);
        _mm512_storeu_ps(l + i, _mm512_permutex2var_ps(a, even, b));
        _mm512_storeu_ps(r + i, _mm512_permutex2var_ps(a, odd, b));
    }
    if (i < n) {
        /* Masked-off lanes are neither read nor written, so nothing past n is touched. */
        const size_t rest = n - i;
        const __m512 a = _mm512_maskz_loadu_ps(mask_first(2 * rest), src + 2 * i);
        const __m512 b =
            _mm512_maskz_loadu_ps(mask_first(rest > 8 ? 2 * rest - 16 : 0), src + 2 * i + 16);
        const __mmask16 m = mask_first(rest);
        _mm512_mask_storeu_ps(l + i, m, _mm512_permutex2var_ps(a, even, b));
        _mm512_mask_storeu_ps(r + i, m, _mm512_permutex2var_ps(a, odd, b));
    }
}

void cansim_interleave2_avx512(float *restrict dst, const float *l, const float *r, float gain,
                               size_t n)
{
    const __m512i lo = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i hi =
        _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    const __m512 g = _mm512_set1_ps(gain);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m512 lv = _mm512_mul_ps(_mm512_loadu_ps(l + i), g);
        const __m512 rv = _mm512_mul_ps(_mm512_loadu_ps(r + i), g);
        _mm512_storeu_ps(dst + 2 * i, _mm512_permutex2var_ps(lv, lo, rv));
        _mm512_storeu_ps(dst + 2 * i + 16, _mm512_permutex2var_ps(lv, hi, rv));
    }
    if (i < n) {
        const size_t rest = n - i;
        const __mmask16 m = mask_first(rest);
        const __m512 lv = _mm512_mul_ps(_mm512_maskz_loadu_ps(m, l + i), g);
        const __m512 rv = _mm512_mul_ps(_mm512_maskz_loadu_ps(m, r + i), g);
        _mm512_mask_storeu_ps(dst + 2 * i, mask_first(2 * rest),
                              _mm512_permutex2var_ps(lv, lo, rv));
        _mm512_mask_storeu_ps(dst + 2 * i + 16, mask_first(rest > 8 ? 2 * rest - 16 : 0),
                              _mm512_permutex2var_ps(lv, hi, rv));
    }
}

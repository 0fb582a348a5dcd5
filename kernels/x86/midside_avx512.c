/* SPDX-License-Identifier: MIT */
/* The mid/side kernels (sumdiff, interleave2_ms) with AVX-512F: 16 values per vector, interleave
 * with a masked tail. */
#include <immintrin.h>

#include "kernels.h"

/* n % 16 == 0 and 64-byte alignment: whole aligned vectors, two per step when there are two. */
void cansim_sumdiff_avx512(float *restrict sum, float *restrict diff, const float *a,
                           const float *b, size_t n)
{
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        const __m512 a0 = _mm512_load_ps(a + i);
        const __m512 a1 = _mm512_load_ps(a + i + 16);
        const __m512 b0 = _mm512_load_ps(b + i);
        const __m512 b1 = _mm512_load_ps(b + i + 16);
        _mm512_store_ps(sum + i, _mm512_add_ps(a0, b0));
        _mm512_store_ps(sum + i + 16, _mm512_add_ps(a1, b1));
        _mm512_store_ps(diff + i, _mm512_sub_ps(a0, b0));
        _mm512_store_ps(diff + i + 16, _mm512_sub_ps(a1, b1));
    }
    if (i < n) {
        const __m512 a0 = _mm512_load_ps(a + i);
        const __m512 b0 = _mm512_load_ps(b + i);
        _mm512_store_ps(sum + i, _mm512_add_ps(a0, b0));
        _mm512_store_ps(diff + i, _mm512_sub_ps(a0, b0));
    }
}

static inline __mmask16 mask_first(size_t count)
{
    return count >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << count) - 1);
}

void cansim_interleave2_ms_avx512(float *restrict dst, const float *m, const float *s, float gain,
                                  size_t n)
{
    const __m512i lo = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i hi =
        _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    const __m512 g = _mm512_set1_ps(gain);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m512 mv = _mm512_loadu_ps(m + i);
        const __m512 sv = _mm512_loadu_ps(s + i);
        const __m512 lv = _mm512_mul_ps(_mm512_add_ps(mv, sv), g);
        const __m512 rv = _mm512_mul_ps(_mm512_sub_ps(mv, sv), g);
        _mm512_storeu_ps(dst + 2 * i, _mm512_permutex2var_ps(lv, lo, rv));
        _mm512_storeu_ps(dst + 2 * i + 16, _mm512_permutex2var_ps(lv, hi, rv));
    }
    if (i < n) {
        /* Masked-off lanes are neither read nor stored, so nothing past n is touched. */
        const size_t rest = n - i;
        const __mmask16 k = mask_first(rest);
        const __m512 mv = _mm512_maskz_loadu_ps(k, m + i);
        const __m512 sv = _mm512_maskz_loadu_ps(k, s + i);
        const __m512 lv = _mm512_mul_ps(_mm512_add_ps(mv, sv), g);
        const __m512 rv = _mm512_mul_ps(_mm512_sub_ps(mv, sv), g);
        _mm512_mask_storeu_ps(dst + 2 * i, mask_first(2 * rest),
                              _mm512_permutex2var_ps(lv, lo, rv));
        _mm512_mask_storeu_ps(dst + 2 * i + 16, mask_first(rest > 8 ? 2 * rest - 16 : 0),
                              _mm512_permutex2var_ps(lv, hi, rv));
    }
}

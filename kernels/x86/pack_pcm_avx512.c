/* SPDX-License-Identifier: MIT */
/* The integer packing with AVX-512 (F and BW): sixteen values a step converted as lrintf does
 * (cvtps2dq rounds as MXCSR says); 16-bit by vpmovdw (truncating: the low halves), 24-bit by a
 * byte shuffle per 128-bit lane and a dword permute; the last values under masks. */
#include <immintrin.h>

#include "kernels.h"
#include "pack_pcm.h"

/* lrintf(src[k] s) for the k < 16 in m (0 elsewhere; nothing outside m is read). */
static inline __m512i scaled16(const float *src, __m512 s, __mmask16 m)
{
    return _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_maskz_loadu_ps(m, src), s));
}

void cansim_pack_pcm16_avx512(void *restrict dst, const float *restrict src, size_t n)
{
    unsigned char *const d = dst;
    const __m512 s = _mm512_set1_ps(CANSIM_PCM16_SCALE);
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm256_storeu_si256((__m256i *)(void *)(d + 2 * i),
                            _mm512_cvtepi32_epi16(scaled16(src + i, s, 0xFFFF)));
    if (i < n) {
        const __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_cvtepi32_storeu_epi16(d + 2 * i, m, scaled16(src + i, s, m));
    }
}

void cansim_pack_pcm24_avx512(void *restrict dst, const float *restrict src, size_t n)
{
    unsigned char *const d = dst;
    const __m512 s = _mm512_set1_ps(CANSIM_PCM24_SCALE);
    /* per 128-bit lane, the low 3 bytes of its 4 values into its bytes 0 .. 11 */
    const __m512i lane = _mm512_broadcast_i32x4(
        _mm_setr_epi8(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1));
    /* the four lanes' 12 bytes side by side: bytes 0 .. 47 */
    const __m512i join = _mm512_setr_epi32(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 15, 15, 15, 15);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m512i v =
            _mm512_permutexvar_epi32(join, _mm512_shuffle_epi8(scaled16(src + i, s, 0xFFFF), lane));
        _mm512_mask_storeu_epi32(d + 3 * i, 0x0FFF, v);
    }
    if (i < n) {
        const __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
        const __m512i v =
            _mm512_permutexvar_epi32(join, _mm512_shuffle_epi8(scaled16(src + i, s, m), lane));
        _mm512_mask_storeu_epi8(d + 3 * i, ((__mmask64)1 << (3 * (n - i))) - 1, v);
    }
}

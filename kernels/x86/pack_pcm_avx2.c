/* SPDX-License-Identifier: MIT */
/* The integer packing with AVX2: eight values a step converted as lrintf does (cvtps2dq rounds
 * as MXCSR says), their low bytes gathered by shuffles; the last few values one at a time. */
#include <immintrin.h>

#include "kernels.h"
#include "pack_pcm.h"

/* lrintf(src[k] s) for k < 8: the product rounded to float, then to an integer. */
static inline __m256i scaled8(const float *src, __m256 s)
{
    return _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(src), s));
}

void cansim_pack_pcm16_avx2(void *restrict dst, const float *restrict src, size_t n)
{
    unsigned char *const d = dst;
    const __m256 s = _mm256_set1_ps(CANSIM_PCM16_SCALE);
    const __m256i low = _mm256_set1_epi32(0xFFFF);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        /* the low halves, 0 .. 65535, pass packus unchanged; it interleaves the two vectors'
         * 128-bit lanes (a0-3 b0-3 a4-7 b4-7), which the permute puts back in order */
        const __m256i a = _mm256_and_si256(scaled8(src + i, s), low);
        const __m256i b = _mm256_and_si256(scaled8(src + i + 8, s), low);
        const __m256i p = _mm256_permute4x64_epi64(_mm256_packus_epi32(a, b), 0xD8);
        _mm256_storeu_si256((__m256i *)(void *)(d + 2 * i), p);
    }
    for (; i < n; i++)
        cansim_pack_one(d + 2 * i, src[i], CANSIM_PCM16_SCALE, 2);
}

void cansim_pack_pcm24_avx2(void *restrict dst, const float *restrict src, size_t n)
{
    unsigned char *const d = dst;
    const __m256 s = _mm256_set1_ps(CANSIM_PCM24_SCALE);
    /* per 128-bit lane, the low 3 bytes of its 4 values into its bytes 0 .. 11 */
    const __m256i lane = _mm256_setr_epi8(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1, 0,
                                          1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1);
    /* the two lanes' 12 bytes side by side: bytes 0 .. 23 */
    const __m256i join = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 7, 7);
    size_t i = 0;
    /* whole 32-byte stores while 3 more values follow: their bytes replace the 8 past these 24 */
    for (; i + 11 <= n; i += 8) {
        const __m256i v =
            _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(scaled8(src + i, s), lane), join);
        _mm256_storeu_si256((__m256i *)(void *)(d + 3 * i), v);
    }
    if (i + 8 <= n) {
        const __m256i v =
            _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(scaled8(src + i, s), lane), join);
        _mm_storeu_si128((__m128i *)(void *)(d + 3 * i), _mm256_castsi256_si128(v));
        _mm_storel_epi64((__m128i *)(void *)(d + 3 * i + 16), _mm256_extracti128_si256(v, 1));
        i += 8;
    }
    for (; i < n; i++)
        cansim_pack_one(d + 3 * i, src[i], CANSIM_PCM24_SCALE, 3);
}

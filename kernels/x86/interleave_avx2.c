/* SPDX-License-Identifier: MIT */
/* Stereo (de)interleave kernels (deinterleave2, interleave2) with AVX2: 8 frames per vector pair,
 * scalar tail. */
#include <immintrin.h>

#include "kernels.h"

/* 16 interleaved floats to 8 left and 8 right: per-lane shuffles give [0 1 4 5 | 2 3 6 7], one
 * 64-bit permute puts the pairs in order. */
static inline void split8(float *restrict l, float *restrict r, const float *restrict src)
{
    const __m256 a = _mm256_loadu_ps(src);
    const __m256 b = _mm256_loadu_ps(src + 8);
    const __m256 ev = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0));
    const __m256 od = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1));
#define PAIRS_IN_ORDER(v)                                                                          \
    _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(v), _MM_SHUFFLE(3, 1, 2, 0)))
    _mm256_storeu_ps(l, PAIRS_IN_ORDER(ev));
    _mm256_storeu_ps(r, PAIRS_IN_ORDER(od));
#undef PAIRS_IN_ORDER
}

void cansim_deinterleave2_avx2(float *restrict l, float *restrict r, const float *restrict src,
                               size_t n)
{
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        split8(l + i, r + i, src + 2 * i);
        split8(l + i + 8, r + i + 8, src + 2 * i + 16);
    }
    if (i + 8 <= n) {
        split8(l + i, r + i, src + 2 * i);
        i += 8;
    }
    for (; i < n; i++) {
        l[i] = src[2 * i];
        r[i] = src[2 * i + 1];
    }
}

/* unpack gives [l0 r0 l1 r1 | l4 r4 l5 r5] and [l2 r2 l3 r3 | l6 r6 l7 r7]; a lane permute
 * restores frame order. One multiply per value, as in the reference. */
static inline void join8(float *restrict dst, const float *l, const float *r, __m256 g)
{
    const __m256 lv = _mm256_mul_ps(_mm256_loadu_ps(l), g);
    const __m256 rv = _mm256_mul_ps(_mm256_loadu_ps(r), g);
    const __m256 lo = _mm256_unpacklo_ps(lv, rv);
    const __m256 hi = _mm256_unpackhi_ps(lv, rv);
    _mm256_storeu_ps(dst, _mm256_permute2f128_ps(lo, hi, 0x20));
    _mm256_storeu_ps(dst + 8, _mm256_permute2f128_ps(lo, hi, 0x31));
}

void cansim_interleave2_avx2(float *restrict dst, const float *l, const float *r, float gain,
                             size_t n)
{
    const __m256 g = _mm256_set1_ps(gain);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        join8(dst + 2 * i, l + i, r + i, g);
        join8(dst + 2 * i + 16, l + i + 8, r + i + 8, g);
    }
    if (i + 8 <= n) {
        join8(dst + 2 * i, l + i, r + i, g);
        i += 8;
    }
    for (; i < n; i++) {
        dst[2 * i] = l[i] * gain;
        dst[2 * i + 1] = r[i] * gain;
    }
}

/* SPDX-License-Identifier: MIT */
/* The true-peak kernel (truepeak2) with AVX2 + FMA: 4 stereo frames per vector, scalar tail;
 * and the sample peak kernel (peak). */
#include <immintrin.h>
#include <math.h>
#include <string.h>

#include "kernels.h"

#define ALWAYS_INLINE inline __attribute__((always_inline))

/* The blocks of 4 frames one step takes: 8 / factor, so that 8 independent accumulators (blocks
 * times phases) cover the FMA latency at two FMAs per cycle. */
#define MAX_BLOCKS 8

/* Frames xn[0 .. 4 * blocks) in every phase: tap k is a broadcast coefficient times the frames
 * k earlier, an unaligned load at xn - 2k. Folds max |y| into peak. */
static ALWAYS_INLINE __m256 step(const float *xn, const float *h, int factor, int taps, int blocks,
                                 __m256 peak)
{
    __m256 acc[MAX_BLOCKS][4];
#pragma GCC unroll 8
    for (int b = 0; b < blocks; b++) {
#pragma GCC unroll 4
        for (int p = 0; p < factor; p++)
            acc[b][p] = _mm256_setzero_ps();
    }
    for (int k = 0; k < taps; k++) {
        __m256 v[MAX_BLOCKS];
#pragma GCC unroll 8
        for (int b = 0; b < blocks; b++) {
            v[b] = _mm256_loadu_ps(xn + 8 * b - 2 * k);
            /* Held in a register: the compilers would otherwise fold the load into each phase's
             * FMA, loading it `factor` times (factor 2 then took 1.5x as long). */
            __asm__("" : "+x"(v[b]));
        }
#pragma GCC unroll 4
        for (int p = 0; p < factor; p++) {
            const __m256 c = _mm256_set1_ps(h[p * taps + k]);
#pragma GCC unroll 8
            for (int b = 0; b < blocks; b++)
                acc[b][p] = _mm256_fmadd_ps(c, v[b], acc[b][p]);
        }
    }
    const __m256 sign = _mm256_set1_ps(-0.0f);
#pragma GCC unroll 8
    for (int b = 0; b < blocks; b++) {
#pragma GCC unroll 4
        for (int p = 0; p < factor; p++) /* max_ps returns peak where y is NaN */
            peak = _mm256_max_ps(_mm256_andnot_ps(sign, acc[b][p]), peak);
    }
    return peak;
}

static float hmax(__m256 v)
{
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    return _mm_cvtss_f32(m);
}

static ALWAYS_INLINE float run(const float *x, size_t n_frames, const float *h, int factor)
{
    const int taps = CANSIM_TP_TAPS(factor);
    const int blocks = MAX_BLOCKS / factor;
    const size_t wide = 4 * (size_t)blocks;
    __m256 vpeak = _mm256_setzero_ps();
    size_t n = 0;
    for (; n + wide <= n_frames; n += wide)
        vpeak = step(x + 2 * n, h, factor, taps, blocks, vpeak);
    for (; n + 4 <= n_frames; n += 4)
        vpeak = step(x + 2 * n, h, factor, taps, 1, vpeak);
    float peak = hmax(vpeak);
    /* The last 0..3 frames as the reference computes them, so nothing past the end is read. */
    for (; n < n_frames; n++) {
        const float *xn = x + 2 * n;
        for (int p = 0; p < factor; p++) {
            const float *hp = h + p * taps;
            float y_l = 0.0f;
            float y_r = 0.0f;
            for (int k = 0; k < taps; k++) {
                y_l += hp[k] * xn[-2 * k];
                y_r += hp[k] * xn[-2 * k + 1];
            }
            const float a_l = fabsf(y_l);
            const float a_r = fabsf(y_r);
            peak = a_l > peak ? a_l : peak;
            peak = a_r > peak ? a_r : peak;
        }
    }
    return peak;
}

/* One specialisation per factor, so taps, phases and blocks are constants. */
float cansim_truepeak2_avx2(const float *x, size_t n_frames, const float *h, int factor)
{
    switch (factor) {
    case 4:
        return run(x, n_frames, h, 4);
    case 2:
        return run(x, n_frames, h, 2);
    default:
        return run(x, n_frames, h, 1);
    }
}

/* The sample peak: four vectors of 8 patterns per step, then single vectors, then a scalar
 * tail; unsigned max is exact in any order. */
uint32_t cansim_peak_avx2(const float *x, size_t n, uint32_t peak)
{
    const __m256i sign = _mm256_set1_epi32(0x7FFFFFFF);
    __m256i m0 = _mm256_setzero_si256(), m1 = m0, m2 = m0, m3 = m0;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        m0 =
            _mm256_max_epu32(m0, _mm256_and_si256(_mm256_loadu_si256((const void *)(x + i)), sign));
        m1 = _mm256_max_epu32(
            m1, _mm256_and_si256(_mm256_loadu_si256((const void *)(x + i + 8)), sign));
        m2 = _mm256_max_epu32(
            m2, _mm256_and_si256(_mm256_loadu_si256((const void *)(x + i + 16)), sign));
        m3 = _mm256_max_epu32(
            m3, _mm256_and_si256(_mm256_loadu_si256((const void *)(x + i + 24)), sign));
    }
    for (; i + 8 <= n; i += 8)
        m0 =
            _mm256_max_epu32(m0, _mm256_and_si256(_mm256_loadu_si256((const void *)(x + i)), sign));
    m0 = _mm256_max_epu32(_mm256_max_epu32(m0, m1), _mm256_max_epu32(m2, m3));
    __m128i h = _mm_max_epu32(_mm256_castsi256_si128(m0), _mm256_extracti128_si256(m0, 1));
    h = _mm_max_epu32(h, _mm_shuffle_epi32(h, _MM_SHUFFLE(1, 0, 3, 2)));
    h = _mm_max_epu32(h, _mm_shuffle_epi32(h, _MM_SHUFFLE(2, 3, 0, 1)));
    const uint32_t v = (uint32_t)_mm_cvtsi128_si32(h);
    peak = v > peak ? v : peak;
    for (; i < n; i++) {
        uint32_t u;
        memcpy(&u, x + i, sizeof u);
        u &= 0x7FFFFFFFu;
        peak = u > peak ? u : peak;
    }
    return peak;
}

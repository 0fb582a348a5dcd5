/* SPDX-License-Identifier: MIT */
/* The true-peak kernel (truepeak2) with AVX-512F: 8 stereo frames per vector, masked tail; and
 * the sample peak kernel (peak). */
#include <immintrin.h>

#include "kernels.h"

#define ALWAYS_INLINE inline __attribute__((always_inline))

/* Independent accumulators per step (blocks times phases): 8 cover the FMA latency, 12 measured
 * 12% faster at factor 4 (16 no better). Blocks of 8 frames per step: CHAINS / factor. */
#define CHAINS     12
#define MAX_BLOCKS CHAINS

/* Frames xn[0 .. 8 * blocks) in every phase, lanes outside `mask` (of the last block) neither
 * read nor counted: tap k is a broadcast coefficient times the frames k earlier, an unaligned
 * load at xn - 2k. Folds max |y| into peak. */
static ALWAYS_INLINE __m512 step(const float *xn, const float *h, int factor, int taps, int blocks,
                                 __mmask16 mask, __m512 peak)
{
    __m512 acc[MAX_BLOCKS][4];
#pragma GCC unroll 16
    for (int b = 0; b < blocks; b++) {
#pragma GCC unroll 4
        for (int p = 0; p < factor; p++)
            acc[b][p] = _mm512_setzero_ps();
    }
    for (int k = 0; k < taps; k++) {
        __m512 v[MAX_BLOCKS];
#pragma GCC unroll 16
        for (int b = 0; b < blocks - 1; b++)
            v[b] = _mm512_loadu_ps(xn + 16 * b - 2 * k);
        v[blocks - 1] = _mm512_maskz_loadu_ps(mask, xn + 16 * (blocks - 1) - 2 * k);
        /* Held in registers: the compilers would otherwise fold the load into each phase's FMA,
         * loading it `factor` times (factor 2 then took 1.8x as long). */
#pragma GCC unroll 16
        for (int b = 0; b < blocks; b++)
            __asm__("" : "+v"(v[b]));
#pragma GCC unroll 4
        for (int p = 0; p < factor; p++) {
            const __m512 c = _mm512_set1_ps(h[p * taps + k]);
#pragma GCC unroll 16
            for (int b = 0; b < blocks; b++)
                acc[b][p] = _mm512_fmadd_ps(c, v[b], acc[b][p]);
        }
    }
    /* Masked-off lanes hold 0 and cannot raise the peak; max_ps returns peak where y is NaN. */
#pragma GCC unroll 16
    for (int b = 0; b < blocks; b++) {
#pragma GCC unroll 4
        for (int p = 0; p < factor; p++)
            peak = _mm512_max_ps(_mm512_abs_ps(acc[b][p]), peak);
    }
    return peak;
}

static ALWAYS_INLINE float run(const float *x, size_t n_frames, const float *h, int factor)
{
    const int taps = CANSIM_TP_TAPS(factor);
    const int blocks = MAX_BLOCKS / factor;
    const size_t wide = 8 * (size_t)blocks;
    const __mmask16 all = 0xffff;
    __m512 peak = _mm512_setzero_ps();
    size_t n = 0;
    for (; n + wide <= n_frames; n += wide)
        peak = step(x + 2 * n, h, factor, taps, blocks, all, peak);
    for (; n + 8 <= n_frames; n += 8)
        peak = step(x + 2 * n, h, factor, taps, 1, all, peak);
    if (n < n_frames) {
        const __mmask16 rest = (__mmask16)((1u << (2 * (n_frames - n))) - 1);
        peak = step(x + 2 * n, h, factor, taps, 1, rest, peak);
    }
    return _mm512_reduce_max_ps(peak);
}

/* One specialisation per factor, so taps, phases and blocks are constants. */
float cansim_truepeak2_avx512(const float *x, size_t n_frames, const float *h, int factor)
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

/* The sample peak: four vectors of 16 patterns per step, then single vectors, then a masked
 * tail; unsigned max is exact in any order. */
uint32_t cansim_peak_avx512(const float *x, size_t n, uint32_t peak)
{
    const __m512i sign = _mm512_set1_epi32(0x7FFFFFFF);
    __m512i m0 = _mm512_setzero_si512(), m1 = m0, m2 = m0, m3 = m0;
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        m0 = _mm512_max_epu32(m0, _mm512_and_si512(_mm512_loadu_si512(x + i), sign));
        m1 = _mm512_max_epu32(m1, _mm512_and_si512(_mm512_loadu_si512(x + i + 16), sign));
        m2 = _mm512_max_epu32(m2, _mm512_and_si512(_mm512_loadu_si512(x + i + 32), sign));
        m3 = _mm512_max_epu32(m3, _mm512_and_si512(_mm512_loadu_si512(x + i + 48), sign));
    }
    for (; i + 16 <= n; i += 16)
        m0 = _mm512_max_epu32(m0, _mm512_and_si512(_mm512_loadu_si512(x + i), sign));
    if (i < n) {
        const __mmask16 k = (__mmask16)((1u << (n - i)) - 1u);
        m1 = _mm512_max_epu32(m1,
                              _mm512_maskz_and_epi32(k, _mm512_maskz_loadu_epi32(k, x + i), sign));
    }
    m0 = _mm512_max_epu32(_mm512_max_epu32(m0, m1), _mm512_max_epu32(m2, m3));
    const uint32_t v = _mm512_reduce_max_epu32(m0);
    return v > peak ? v : peak;
}

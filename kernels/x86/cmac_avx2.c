/* SPDX-License-Identifier: MIT */
/* Complex multiply-accumulate kernels (cmac, cmac2x2) with AVX2 and FMA. */
#include <immintrin.h>

#include "init_x86.h"

/* gcc 12 reads x and h from memory again for their second use (up to 1.5x the loads, ~30% slower
 * in L1); an empty asm pins each loaded vector in a register. clang needs no help. */
static inline __m256 load_once(const float *p)
{
    __m256 v = _mm256_load_ps(p);
    __asm__("" : "+x"(v));
    return v;
}

/* acc += x * h for 8 bins as a chain of two FMAs per part: the order the contract's bound
 * assumes (each result within 2 roundings of exact). */
static inline void cmac8(float *restrict acc_re, float *restrict acc_im, const float *x_re,
                         const float *x_im, const float *h_re, const float *h_im)
{
    const __m256 xr = load_once(x_re);
    const __m256 xi = load_once(x_im);
    const __m256 hr = load_once(h_re);
    const __m256 hi = load_once(h_im);
    __m256 re = _mm256_load_ps(acc_re);
    __m256 im = _mm256_load_ps(acc_im);
    re = _mm256_fmadd_ps(xr, hr, re);
    re = _mm256_fnmadd_ps(xi, hi, re);
    im = _mm256_fmadd_ps(xr, hi, im);
    im = _mm256_fmadd_ps(xi, hr, im);
    _mm256_store_ps(acc_re, re);
    _mm256_store_ps(acc_im, im);
}

/* Two vectors per step: the contract's n % 16 leaves no tail, and bins are independent, so
 * out-of-order execution overlaps steps and hides the FMA latency. */
void cansim_cmac_avx2(float *restrict acc_re, float *restrict acc_im, const float *x_re,
                      const float *x_im, const float *h_re, const float *h_im, size_t n)
{
    for (size_t i = 0; i < n; i += 16) {
        cmac8(acc_re + i, acc_im + i, x_re + i, x_im + i, h_re + i, h_im + i);
        cmac8(acc_re + i + 8, acc_im + i + 8, x_re + i + 8, x_im + i + 8, h_re + i + 8,
              h_im + i + 8);
    }
}

#if defined(CANSIM_BROKEN_KERNEL)
void cansim_cmac_broken_avx2(float *restrict acc_re, float *restrict acc_im, const float *x_re,
                             const float *x_im, const float *h_re, const float *h_im, size_t n)
{
    const size_t end = n >= 32 ? n - 16 : n;
    for (size_t i = 0; i < end; i += 16) {
        cmac8(acc_re + i, acc_im + i, x_re + i, x_im + i, h_re + i, h_im + i);
        cmac8(acc_re + i + 8, acc_im + i + 8, x_re + i + 8, x_im + i + 8, h_re + i + 8,
              h_im + i + 8);
    }
}
#endif

/* y += a * h over one vector of bins, as two chained FMAs per part. */
static inline void mac(__m256 *y_re, __m256 *y_im, __m256 a_re, __m256 a_im, const float *h_re,
                       const float *h_im)
{
    const __m256 hr = load_once(h_re);
    const __m256 hi = load_once(h_im);
    *y_re = _mm256_fnmadd_ps(a_im, hi, _mm256_fmadd_ps(a_re, hr, *y_re));
    *y_im = _mm256_fmadd_ps(a_im, hr, _mm256_fmadd_ps(a_re, hi, *y_im));
}

/* y's part to add to, or +0 for the first partition (gcc unswitches the loop on add). */
static inline __m256 acc_load(const float *p, bool add)
{
    return add ? _mm256_load_ps(p) : _mm256_setzero_ps();
}

/* x is loaded once per 8 bins and feeds both outputs; each output chains four FMAs per part,
 * cell by cell like the reference. */
void cansim_cmac2x2_avx2(float *restrict y, const float *x, const float *h, size_t n, bool add)
{
    for (size_t i = 0; i < n; i += 8) {
        const __m256 a_re = load_once(x + i);
        const __m256 a_im = load_once(x + n + i);
        const __m256 b_re = load_once(x + 2 * n + i);
        const __m256 b_im = load_once(x + 3 * n + i);

        __m256 l_re = acc_load(y + i, add);
        __m256 l_im = acc_load(y + n + i, add);
        mac(&l_re, &l_im, a_re, a_im, h + i, h + n + i);
        mac(&l_re, &l_im, b_re, b_im, h + 4 * n + i, h + 5 * n + i);
        _mm256_store_ps(y + i, l_re);
        _mm256_store_ps(y + n + i, l_im);

        __m256 r_re = acc_load(y + 2 * n + i, add);
        __m256 r_im = acc_load(y + 3 * n + i, add);
        mac(&r_re, &r_im, a_re, a_im, h + 2 * n + i, h + 3 * n + i);
        mac(&r_re, &r_im, b_re, b_im, h + 6 * n + i, h + 7 * n + i);
        _mm256_store_ps(y + 2 * n + i, r_re);
        _mm256_store_ps(y + 3 * n + i, r_im);
    }
}

/* SPDX-License-Identifier: MIT */
/* Complex multiply-accumulate kernels (cmac, cmac2x2) with AVX-512F. */
#include <immintrin.h>

#include "kernels.h"

/* gcc 12 reads x and h from memory again for their second use (up to 1.5x the loads, ~30% slower
 * in L1); an empty asm pins each loaded vector in a register. clang needs no help. */
static inline __m512 load_once(const float *p)
{
    __m512 v = _mm512_load_ps(p);
    __asm__("" : "+v"(v));
    return v;
}

static inline void cmac16(float *restrict acc_re, float *restrict acc_im, const float *x_re,
                          const float *x_im, const float *h_re, const float *h_im)
{
    const __m512 xr = load_once(x_re);
    const __m512 xi = load_once(x_im);
    const __m512 hr = load_once(h_re);
    const __m512 hi = load_once(h_im);
    __m512 re = _mm512_load_ps(acc_re);
    __m512 im = _mm512_load_ps(acc_im);
    re = _mm512_fmadd_ps(xr, hr, re);
    re = _mm512_fnmadd_ps(xi, hi, re);
    im = _mm512_fmadd_ps(xr, hi, im);
    im = _mm512_fmadd_ps(xi, hr, im);
    _mm512_store_ps(acc_re, re);
    _mm512_store_ps(acc_im, im);
}

/* 32 bins per step, then at most one 16-bin step (n % 16 == 0). */
void cansim_cmac_avx512(float *restrict acc_re, float *restrict acc_im, const float *x_re,
                        const float *x_im, const float *h_re, const float *h_im, size_t n)
{
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        cmac16(acc_re + i, acc_im + i, x_re + i, x_im + i, h_re + i, h_im + i);
        cmac16(acc_re + i + 16, acc_im + i + 16, x_re + i + 16, x_im + i + 16, h_re + i + 16,
               h_im + i + 16);
    }
    if (i < n)
        cmac16(acc_re + i, acc_im + i, x_re + i, x_im + i, h_re + i, h_im + i);
}

static inline void mac(__m512 *y_re, __m512 *y_im, __m512 a_re, __m512 a_im, const float *h_re,
                       const float *h_im)
{
    const __m512 hr = load_once(h_re);
    const __m512 hi = load_once(h_im);
    *y_re = _mm512_fnmadd_ps(a_im, hi, _mm512_fmadd_ps(a_re, hr, *y_re));
    *y_im = _mm512_fmadd_ps(a_im, hr, _mm512_fmadd_ps(a_re, hi, *y_im));
}

/* y's part to add to, or +0 for the first partition (gcc unswitches the loop on add). */
static inline __m512 acc_load(const float *p, bool add)
{
    return add ? _mm512_load_ps(p) : _mm512_setzero_ps();
}

/* x is loaded once per 16 bins and feeds both outputs; FMA order as in the AVX2 version. */
void cansim_cmac2x2_avx512(float *restrict y, const float *x, const float *h, size_t n, bool add)
{
    for (size_t i = 0; i < n; i += 16) {
        const __m512 a_re = load_once(x + i);
        const __m512 a_im = load_once(x + n + i);
        const __m512 b_re = load_once(x + 2 * n + i);
        const __m512 b_im = load_once(x + 3 * n + i);

        __m512 l_re = acc_load(y + i, add);
        __m512 l_im = acc_load(y + n + i, add);
        mac(&l_re, &l_im, a_re, a_im, h + i, h + n + i);
        mac(&l_re, &l_im, b_re, b_im, h + 4 * n + i, h + 5 * n + i);
        _mm512_store_ps(y + i, l_re);
        _mm512_store_ps(y + n + i, l_im);

        __m512 r_re = acc_load(y + 2 * n + i, add);
        __m512 r_im = acc_load(y + 3 * n + i, add);
        mac(&r_re, &r_im, a_re, a_im, h + 2 * n + i, h + 3 * n + i);
        mac(&r_re, &r_im, b_re, b_im, h + 6 * n + i, h + 7 * n + i);
        _mm512_store_ps(y + 2 * n + i, r_re);
        _mm512_store_ps(y + 3 * n + i, r_im);
    }
}

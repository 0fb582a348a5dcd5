/* SPDX-License-Identifier: MIT */
/* The lane sums kernel with AVX-512: the reference's 16 lanes in one vector (wlanes_impl.h). */
#include <immintrin.h>

#include "kernels.h"

typedef __m512 V;

static inline V vzero(void)
{
    return _mm512_setzero_ps();
}
static inline V vload(const float *x)
{
    return _mm512_loadu_ps(x);
}
static inline V vadd(V a, V b)
{
    return _mm512_add_ps(a, b);
}
static inline V vmul(V a, V b)
{
    return _mm512_mul_ps(a, b);
}
static inline void vstore(float *x, V a)
{
    _mm512_storeu_ps(x, a);
}

typedef __mmask16 M;

static inline M vmask(size_t r)
{
    return (M)((1u << r) - 1u);
}
static inline V vload_m(const float *x, M m)
{
    return _mm512_maskz_loadu_ps(m, x);
}
static inline V vadd_m(V a, V b, M m)
{
    return _mm512_mask_add_ps(a, m, a, b);
}

#include "wlanes_impl.h"

void cansim_wlanes_avx512(float *const *acc, const float *w, const float *const *p, size_t stride,
                          size_t n_planes, size_t n_sets, size_t n_frames, size_t n)
{
    wl_lanes(acc, w, p, stride, n_planes, n_sets, n_frames, n);
}

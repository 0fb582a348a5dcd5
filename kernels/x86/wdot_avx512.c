/* SPDX-License-Identifier: MIT */
/* The weighted sum kernel with AVX-512: the reference's 16 lanes in one vector (wdot_impl.h). */
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

#include "wdot_impl.h"

double cansim_wdot_avx512(const float *w, const float *p, size_t stride, size_t n_planes, size_t n)
{
    return sums(w, p, stride, n_planes, n);
}

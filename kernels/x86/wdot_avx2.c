/* SPDX-License-Identifier: MIT */
/* The weighted sum kernel with AVX2: the reference's 16 lanes in two vectors (wdot_impl.h). */
#include <immintrin.h>

#include "kernels.h"

typedef struct {
    __m256 lo, hi;
} V;

static inline V vzero(void)
{
    return (V){_mm256_setzero_ps(), _mm256_setzero_ps()};
}
static inline V vload(const float *x)
{
    return (V){_mm256_loadu_ps(x), _mm256_loadu_ps(x + 8)};
}
static inline V vadd(V a, V b)
{
    return (V){_mm256_add_ps(a.lo, b.lo), _mm256_add_ps(a.hi, b.hi)};
}
static inline V vmul(V a, V b)
{
    return (V){_mm256_mul_ps(a.lo, b.lo), _mm256_mul_ps(a.hi, b.hi)};
}
static inline void vstore(float *x, V a)
{
    _mm256_storeu_ps(x, a.lo);
    _mm256_storeu_ps(x + 8, a.hi);
}

#include "wdot_impl.h"

double cansim_wdot_avx2(const float *w, const float *p, size_t stride, size_t n_planes, size_t n)
{
    return sums(w, p, stride, n_planes, n);
}

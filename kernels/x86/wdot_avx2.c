/* SPDX-License-Identifier: MIT */
/* The lane sums kernel with AVX2: the reference's 16 lanes in two vectors (wlanes_impl.h). */
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

/* The first r lanes: all ones there, from a window into a table. */
typedef struct {
    __m256i lo, hi;
} M;

static inline M vmask(size_t r)
{
    static const int32_t ones_then_zeros[32] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                                -1, -1, -1, -1, -1, 0,  0,  0,  0,  0,  0,
                                                0,  0,  0,  0,  0,  0,  0,  0,  0,  0};
    return (M){_mm256_loadu_si256((const __m256i *)(ones_then_zeros + 16 - r)),
               _mm256_loadu_si256((const __m256i *)(ones_then_zeros + 24 - r))};
}
static inline V vload_m(const float *x, M m)
{
    return (V){_mm256_maskload_ps(x, m.lo), _mm256_maskload_ps(x + 8, m.hi)};
}
static inline V vadd_m(V a, V b, M m)
{
    return (V){_mm256_blendv_ps(a.lo, _mm256_add_ps(a.lo, b.lo), _mm256_castsi256_ps(m.lo)),
               _mm256_blendv_ps(a.hi, _mm256_add_ps(a.hi, b.hi), _mm256_castsi256_ps(m.hi))};
}

#include "wlanes_impl.h"

void cansim_wlanes_avx2(float *const *acc, const float *w, const float *const *p, size_t stride,
                        size_t n_planes, size_t n_sets, size_t n_frames, size_t n)
{
    wl_lanes(acc, w, p, stride, n_planes, n_sets, n_frames, n);
}

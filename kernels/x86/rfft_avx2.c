/* SPDX-License-Identifier: MIT */
/* Real FFTs (rfft, irfft) with AVX2 and FMA: rfft_impl.h over 8-float vectors. */
#include <immintrin.h>

#include "kernels.h"
#include "init_x86.h"

typedef __m256 V;
#define RFFT_SPLIT_CARRY 0
#define W                8

static inline V vload(const float *p)
{
    return _mm256_load_ps(p);
}
static inline V vloadu(const float *p)
{
    return _mm256_loadu_ps(p);
}
static inline void vstore(float *p, V v)
{
    _mm256_store_ps(p, v);
}
static inline void vstoreu(float *p, V v)
{
    _mm256_storeu_ps(p, v);
}
static inline V vbroadcast(const float *p)
{
    return _mm256_broadcast_ss(p);
}
static inline V vset1(float v)
{
    return _mm256_set1_ps(v);
}
static inline V vadd(V a, V b)
{
    return _mm256_add_ps(a, b);
}
static inline V vsub(V a, V b)
{
    return _mm256_sub_ps(a, b);
}
static inline V vmul(V a, V b)
{
    return _mm256_mul_ps(a, b);
}
static inline V vfmadd(V a, V b, V c)
{
    return _mm256_fmadd_ps(a, b, c);
}
static inline V vfmsub(V a, V b, V c)
{
    return _mm256_fmsub_ps(a, b, c);
}
static inline V vfnmadd(V a, V b, V c)
{
    return _mm256_fnmadd_ps(a, b, c);
}

static inline V vfnmsub(V a, V b, V c)
{
    return _mm256_fnmsub_ps(a, b, c);
}

static inline void load_deint(const float *x, V *re, V *im)
{
    const V v0 = _mm256_load_ps(x);
    const V v1 = _mm256_load_ps(x + 8);
    *re = _mm256_castpd_ps(_mm256_permute4x64_pd(
        _mm256_castps_pd(_mm256_shuffle_ps(v0, v1, _MM_SHUFFLE(2, 0, 2, 0))), 0xD8));
    *im = _mm256_castpd_ps(_mm256_permute4x64_pd(
        _mm256_castps_pd(_mm256_shuffle_ps(v0, v1, _MM_SHUFFLE(3, 1, 3, 1))), 0xD8));
}

static inline void store_int(float *x, V even, V odd)
{
    const V lo = _mm256_unpacklo_ps(even, odd);
    const V hi = _mm256_unpackhi_ps(even, odd);
    _mm256_store_ps(x, _mm256_permute2f128_ps(lo, hi, 0x20));
    _mm256_store_ps(x + 8, _mm256_permute2f128_ps(lo, hi, 0x31));
}

static inline V vrev(V v)
{
    return _mm256_permutevar8x32_ps(v, _mm256_setr_epi32(7, 6, 5, 4, 3, 2, 1, 0));
}

static inline V vlane0(V v, float x)
{
    return _mm256_blend_ps(v, _mm256_set1_ps(x), 1);
}

/* u[0], v[7], v[6], ..., v[1] */
static inline V vmirror(V v, V u)
{
    return _mm256_blend_ps(_mm256_permutevar8x32_ps(v, _mm256_setr_epi32(0, 7, 6, 5, 4, 3, 2, 1)),
                           u, 1);
}

/* y[4p + k] = ck[p], y unaligned: a 4x4 transpose in each 128-bit lane gives (p, p + 4) per
 * register; the lanes then pair. */
static inline void store_t4(float *y, V c0, V c1, V c2, V c3)
{
    const V t0 = _mm256_unpacklo_ps(c0, c1);
    const V t1 = _mm256_unpacklo_ps(c2, c3);
    const V t2 = _mm256_unpackhi_ps(c0, c1);
    const V t3 = _mm256_unpackhi_ps(c2, c3);
    const V u0 = _mm256_shuffle_ps(t0, t1, 0x44); /* p0 | p4 */
    const V u1 = _mm256_shuffle_ps(t0, t1, 0xEE); /* p1 | p5 */
    const V u2 = _mm256_shuffle_ps(t2, t3, 0x44); /* p2 | p6 */
    const V u3 = _mm256_shuffle_ps(t2, t3, 0xEE); /* p3 | p7 */
    _mm256_storeu_ps(y, _mm256_permute2f128_ps(u0, u1, 0x20));
    _mm256_storeu_ps(y + 8, _mm256_permute2f128_ps(u2, u3, 0x20));
    _mm256_storeu_ps(y + 16, _mm256_permute2f128_ps(u0, u1, 0x31));
    _mm256_storeu_ps(y + 24, _mm256_permute2f128_ps(u2, u3, 0x31));
}

/* The reverse, c[k][p] = y[4p + k]: the lanes paired as (p, p + 4), then the 4x4 transposes. */
static inline void load_t4(const float *y, V c[4])
{
    const V v0 = _mm256_loadu_ps(y);
    const V v1 = _mm256_loadu_ps(y + 8);
    const V v2 = _mm256_loadu_ps(y + 16);
    const V v3 = _mm256_loadu_ps(y + 24);
    const V u0 = _mm256_permute2f128_ps(v0, v2, 0x20); /* p0 | p4 */
    const V u1 = _mm256_permute2f128_ps(v0, v2, 0x31); /* p1 | p5 */
    const V u2 = _mm256_permute2f128_ps(v1, v3, 0x20); /* p2 | p6 */
    const V u3 = _mm256_permute2f128_ps(v1, v3, 0x31); /* p3 | p7 */
    const V t0 = _mm256_unpacklo_ps(u0, u1);
    const V t1 = _mm256_unpacklo_ps(u2, u3);
    const V t2 = _mm256_unpackhi_ps(u0, u1);
    const V t3 = _mm256_unpackhi_ps(u2, u3);
    c[0] = _mm256_shuffle_ps(t0, t1, 0x44);
    c[1] = _mm256_shuffle_ps(t0, t1, 0xEE);
    c[2] = _mm256_shuffle_ps(t2, t3, 0x44);
    c[3] = _mm256_shuffle_ps(t2, t3, 0xEE);
}

/* y[4W - 1 - (4p + k)] = ck[p] */
static inline void store_t4r(float *y, V c0, V c1, V c2, V c3)
{
    store_t4(y, vrev(c3), vrev(c2), vrev(c1), vrev(c0));
}

/* c[k][p] = y[4W - 1 - (4p + k)] */
static inline void load_t4r(const float *y, V c[4])
{
    V t[4];
    load_t4(y, t);
    for (int k = 0; k < 4; k++)
        c[k] = vrev(t[3 - k]);
}

static inline void store_s4(float *y, V c0, V c1, V c2, V c3)
{
    _mm256_store_ps(y, _mm256_permute2f128_ps(c0, c1, 0x20));
    _mm256_store_ps(y + 8, _mm256_permute2f128_ps(c2, c3, 0x20));
    _mm256_store_ps(y + 16, _mm256_permute2f128_ps(c0, c1, 0x31));
    _mm256_store_ps(y + 24, _mm256_permute2f128_ps(c2, c3, 0x31));
}

#include "rfft_impl.h"

void cansim_rfft_avx2(float *restrict re, float *restrict im, const float *restrict x,
                      float *restrict scratch, const float *restrict tw, size_t n)
{
    rfft_fwd(re, im, x, scratch, tw, n);
}

void cansim_irfft_avx2(float *restrict x, const float *restrict re, const float *restrict im,
                       float *restrict scratch, const float *restrict tw, size_t n)
{
    rfft_inv(x, re, im, scratch, tw, n);
}

#if defined(CANSIM_BROKEN_KERNEL)
/* Test only: from 4096 points on, the upper half of the spectrum comes out conjugated (the sign
 * slip of a split step's twiddle), a bug that small sizes never show. */
void cansim_rfft_broken_avx2(float *restrict re, float *restrict im, const float *restrict x,
                             float *restrict scratch, const float *restrict tw, size_t n)
{
    rfft_fwd(re, im, x, scratch, tw, n);
    if (n < 4096)
        return;
    for (size_t k = n / 4; k < n / 2; k++)
        im[k] = -im[k];
}
#endif

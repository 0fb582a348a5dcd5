/* SPDX-License-Identifier: MIT */
/* Real FFTs (rfft, irfft) with AVX-512F: rfft_impl.h over 16-float vectors. */
#include <immintrin.h>

#include "kernels.h"

typedef __m512 V;
#define W 16

static inline V vload(const float *p)
{
    return _mm512_load_ps(p);
}
static inline V vloadu(const float *p)
{
    return _mm512_loadu_ps(p);
}
static inline void vstore(float *p, V v)
{
    _mm512_store_ps(p, v);
}
static inline void vstoreu(float *p, V v)
{
    _mm512_storeu_ps(p, v);
}
static inline V vbroadcast(const float *p)
{
    return _mm512_set1_ps(*p);
}
static inline V vset1(float v)
{
    return _mm512_set1_ps(v);
}
static inline V vadd(V a, V b)
{
    return _mm512_add_ps(a, b);
}
static inline V vsub(V a, V b)
{
    return _mm512_sub_ps(a, b);
}
static inline V vmul(V a, V b)
{
    return _mm512_mul_ps(a, b);
}
static inline V vfmadd(V a, V b, V c)
{
    return _mm512_fmadd_ps(a, b, c);
}
static inline V vfmsub(V a, V b, V c)
{
    return _mm512_fmsub_ps(a, b, c);
}
static inline V vfnmadd(V a, V b, V c)
{
    return _mm512_fnmadd_ps(a, b, c);
}

static inline void load_deint(const float *x, V *re, V *im)
{
    const V v0 = _mm512_load_ps(x);
    const V v1 = _mm512_load_ps(x + 16);
    const __m512i even =
        _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odd =
        _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    *re = _mm512_permutex2var_ps(v0, even, v1);
    *im = _mm512_permutex2var_ps(v0, odd, v1);
}

static inline void store_int(float *x, V even, V odd)
{
    const __m512i lo = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i hi =
        _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    _mm512_store_ps(x, _mm512_permutex2var_ps(even, lo, odd));
    _mm512_store_ps(x + 16, _mm512_permutex2var_ps(even, hi, odd));
}

static inline V vrev(V v)
{
    return _mm512_permutexvar_ps(
        _mm512_setr_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0), v);
}

/* (c0 .. c3) hold one 4-float lane each of four groups; lane j of the outputs is group j's. */
static inline void store_lanes4(float *y, V c0, V c1, V c2, V c3)
{
    const V v0 = _mm512_shuffle_f32x4(c0, c1, 0x44); /* c0.0 c0.1 c1.0 c1.1 */
    const V v1 = _mm512_shuffle_f32x4(c2, c3, 0x44);
    const V v2 = _mm512_shuffle_f32x4(c0, c1, 0xEE); /* c0.2 c0.3 c1.2 c1.3 */
    const V v3 = _mm512_shuffle_f32x4(c2, c3, 0xEE);
    _mm512_store_ps(y, _mm512_shuffle_f32x4(v0, v1, 0x88));
    _mm512_store_ps(y + 16, _mm512_shuffle_f32x4(v0, v1, 0xDD));
    _mm512_store_ps(y + 32, _mm512_shuffle_f32x4(v2, v3, 0x88));
    _mm512_store_ps(y + 48, _mm512_shuffle_f32x4(v2, v3, 0xDD));
}

/* A 4x4 transpose in each 128-bit lane gives p, p + 4, p + 8, p + 12 in u0's lanes (p + 1 ...
 * in u1's); one more 4x4 transpose, of the lanes, puts p .. p + 3 in order. */
static inline void store_t4(float *y, V c0, V c1, V c2, V c3)
{
    const V t0 = _mm512_unpacklo_ps(c0, c1);
    const V t1 = _mm512_unpacklo_ps(c2, c3);
    const V t2 = _mm512_unpackhi_ps(c0, c1);
    const V t3 = _mm512_unpackhi_ps(c2, c3);
    store_lanes4(y, _mm512_shuffle_ps(t0, t1, 0x44), _mm512_shuffle_ps(t0, t1, 0xEE),
                 _mm512_shuffle_ps(t2, t3, 0x44), _mm512_shuffle_ps(t2, t3, 0xEE));
}

static inline void store_s4(float *y, V c0, V c1, V c2, V c3)
{
    store_lanes4(y, c0, c1, c2, c3);
}

#include "rfft_impl.h"

void cansim_rfft_avx512(float *restrict re, float *restrict im, const float *restrict x,
                        float *restrict scratch, const float *restrict tw, size_t n)
{
    rfft_fwd(re, im, x, scratch, tw, n);
}

void cansim_irfft_avx512(float *restrict x, const float *restrict re, const float *restrict im,
                         float *restrict scratch, const float *restrict tw, size_t n)
{
    rfft_inv(x, re, im, scratch, tw, n);
}

/* SPDX-License-Identifier: MIT */
/* Real FFTs (rfft, irfft) with AVX-512F: rfft_impl.h over 16-float vectors. */
#include <immintrin.h>

#include "kernels.h"

typedef __m512 V;
#define RFFT_SPLIT_CARRY 1
#define W                16

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

static inline V vfnmsub(V a, V b, V c)
{
    return _mm512_fnmsub_ps(a, b, c);
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

static inline V vlane0(V v, float x)
{
    return _mm512_mask_mov_ps(v, 1, _mm512_set1_ps(x));
}

/* u[0], v[15], v[14], ..., v[1] */
static inline V vmirror(V v, V u)
{
    return _mm512_permutex2var_ps(
        v, _mm512_setr_epi32(16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1), u);
}

/* c[0 .. 3] hold one 4-float lane each of four groups; lane j of the results is group j's. */
static inline void lanes4(V c[4])
{
    const V v0 = _mm512_shuffle_f32x4(c[0], c[1], 0x44); /* c0.0 c0.1 c1.0 c1.1 */
    const V v1 = _mm512_shuffle_f32x4(c[2], c[3], 0x44);
    const V v2 = _mm512_shuffle_f32x4(c[0], c[1], 0xEE); /* c0.2 c0.3 c1.2 c1.3 */
    const V v3 = _mm512_shuffle_f32x4(c[2], c[3], 0xEE);
    c[0] = _mm512_shuffle_f32x4(v0, v1, 0x88);
    c[1] = _mm512_shuffle_f32x4(v0, v1, 0xDD);
    c[2] = _mm512_shuffle_f32x4(v2, v3, 0x88);
    c[3] = _mm512_shuffle_f32x4(v2, v3, 0xDD);
}

static inline void store_lanes4(float *y, V c0, V c1, V c2, V c3)
{
    V c[4] = {c0, c1, c2, c3};
    lanes4(c);
    for (int j = 0; j < 4; j++)
        _mm512_storeu_ps(y + 16 * j, c[j]);
}

/* y[4p + k] = ck[p], y unaligned: two rounds of two-source permutes, (c0, c1) and (c2, c3)
 * interleaved by lanes, then by lane pairs. */
static inline void store_t4(float *y, V c0, V c1, V c2, V c3)
{
    const __m512i lo = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i hi =
        _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    const __m512i q0 = _mm512_setr_epi32(0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23);
    const __m512i q1 =
        _mm512_setr_epi32(8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31);
    const V a = _mm512_permutex2var_ps(c0, lo, c1); /* p 0 .. 7 of c0, c1 */
    const V b = _mm512_permutex2var_ps(c0, hi, c1);
    const V c = _mm512_permutex2var_ps(c2, lo, c3);
    const V d = _mm512_permutex2var_ps(c2, hi, c3);
    _mm512_storeu_ps(y, _mm512_permutex2var_ps(a, q0, c));
    _mm512_storeu_ps(y + 16, _mm512_permutex2var_ps(a, q1, c));
    _mm512_storeu_ps(y + 32, _mm512_permutex2var_ps(b, q0, d));
    _mm512_storeu_ps(y + 48, _mm512_permutex2var_ps(b, q1, d));
}

/* y[4W - 1 - (4p + k)] = ck[p]: store_t4 of the reversed vectors in reverse order, the
 * reversal in the first round's permutes. */
static inline void store_t4r(float *y, V c0, V c1, V c2, V c3)
{
    const __m512i lo =
        _mm512_setr_epi32(15, 31, 14, 30, 13, 29, 12, 28, 11, 27, 10, 26, 9, 25, 8, 24);
    const __m512i hi = _mm512_setr_epi32(7, 23, 6, 22, 5, 21, 4, 20, 3, 19, 2, 18, 1, 17, 0, 16);
    const __m512i q0 = _mm512_setr_epi32(0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23);
    const __m512i q1 =
        _mm512_setr_epi32(8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31);
    const V a = _mm512_permutex2var_ps(c3, lo, c2);
    const V b = _mm512_permutex2var_ps(c3, hi, c2);
    const V c = _mm512_permutex2var_ps(c1, lo, c0);
    const V d = _mm512_permutex2var_ps(c1, hi, c0);
    _mm512_storeu_ps(y, _mm512_permutex2var_ps(a, q0, c));
    _mm512_storeu_ps(y + 16, _mm512_permutex2var_ps(a, q1, c));
    _mm512_storeu_ps(y + 32, _mm512_permutex2var_ps(b, q0, d));
    _mm512_storeu_ps(y + 48, _mm512_permutex2var_ps(b, q1, d));
}

/* The reverse of store_t4, c[k][p] = y[4p + k]: each pair of loads gathered into (k0, k1) and
 * (k2, k3) of eight p, then their halves paired. */
static inline void load_t4(const float *y, V c[4])
{
    const __m512i e = _mm512_setr_epi32(0, 4, 8, 12, 16, 20, 24, 28, 1, 5, 9, 13, 17, 21, 25, 29);
    const __m512i f = _mm512_setr_epi32(2, 6, 10, 14, 18, 22, 26, 30, 3, 7, 11, 15, 19, 23, 27, 31);
    const V v0 = _mm512_loadu_ps(y), v1 = _mm512_loadu_ps(y + 16);
    const V v2 = _mm512_loadu_ps(y + 32), v3 = _mm512_loadu_ps(y + 48);
    const V e01 = _mm512_permutex2var_ps(v0, e, v1), f01 = _mm512_permutex2var_ps(v0, f, v1);
    const V e23 = _mm512_permutex2var_ps(v2, e, v3), f23 = _mm512_permutex2var_ps(v2, f, v3);
    c[0] = _mm512_shuffle_f32x4(e01, e23, 0x44);
    c[1] = _mm512_shuffle_f32x4(e01, e23, 0xEE);
    c[2] = _mm512_shuffle_f32x4(f01, f23, 0x44);
    c[3] = _mm512_shuffle_f32x4(f01, f23, 0xEE);
}

/* c[k][p] = y[4W - 1 - (4p + k)]: as load_t4, from the far end. */
static inline void load_t4r(const float *y, V c[4])
{
    const __m512i e = _mm512_setr_epi32(31, 27, 23, 19, 15, 11, 7, 3, 30, 26, 22, 18, 14, 10, 6, 2);
    const __m512i f = _mm512_setr_epi32(29, 25, 21, 17, 13, 9, 5, 1, 28, 24, 20, 16, 12, 8, 4, 0);
    const V v0 = _mm512_loadu_ps(y), v1 = _mm512_loadu_ps(y + 16);
    const V v2 = _mm512_loadu_ps(y + 32), v3 = _mm512_loadu_ps(y + 48);
    const V e23 = _mm512_permutex2var_ps(v2, e, v3), f23 = _mm512_permutex2var_ps(v2, f, v3);
    const V e01 = _mm512_permutex2var_ps(v0, e, v1), f01 = _mm512_permutex2var_ps(v0, f, v1);
    c[0] = _mm512_shuffle_f32x4(e23, e01, 0x44);
    c[1] = _mm512_shuffle_f32x4(e23, e01, 0xEE);
    c[2] = _mm512_shuffle_f32x4(f23, f01, 0x44);
    c[3] = _mm512_shuffle_f32x4(f23, f01, 0xEE);
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

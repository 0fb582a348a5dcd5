/* SPDX-License-Identifier: MIT */
/* The finishing kernel with AVX-512: eight values a step (dither_impl.h), the 64-bit multiplies
 * AVX512DQ's. */
#include <immintrin.h>

#include "kernels.h"

#define W 8
typedef __m512i VI;
typedef __m512d VD;

static inline VI vset64(uint64_t x)
{
    return _mm512_set1_epi64((long long)x);
}
static inline VI vadd64(VI a, VI b)
{
    return _mm512_add_epi64(a, b);
}
static inline VI vsub64(VI a, VI b)
{
    return _mm512_sub_epi64(a, b);
}
static inline VI vmul64(VI a, VI b)
{
    return _mm512_mullo_epi64(a, b);
}
static inline VI vxor(VI a, VI b)
{
    return _mm512_xor_si512(a, b);
}
static inline VI vand(VI a, VI b)
{
    return _mm512_and_si512(a, b);
}
#define vsrl(a, k) _mm512_srli_epi64((a), (k))
static inline VI vlanes(void)
{
    return _mm512_set_epi64(8, 7, 6, 5, 4, 3, 2, 1);
}
static inline VD vsmall(VI x)
{
    return _mm512_cvtepi64_pd(x);
}
static inline VD vsetd(double x)
{
    return _mm512_set1_pd(x);
}
static inline VD vaddd(VD a, VD b)
{
    return _mm512_add_pd(a, b);
}
static inline VD vmuld(VD a, VD b)
{
    return _mm512_mul_pd(a, b);
}
static inline VD vloadf(const float *x)
{
    return _mm512_cvtps_pd(_mm256_loadu_ps(x));
}
static inline void vstoref(float *x, VD a)
{
    _mm256_storeu_ps(x, _mm512_cvtpd_ps(a));
}

#include "dither_impl.h"

void cansim_gain_dither_avx512(float *dst, const float *src, size_t n, double gain, uint64_t *state)
{
    gain_dither(dst, src, n, gain, state);
}

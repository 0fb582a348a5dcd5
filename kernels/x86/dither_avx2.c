/* SPDX-License-Identifier: MIT */
/* The finishing kernel with AVX2: four values a step (dither_impl.h), the 64-bit multiplies
 * made of 32-bit ones. */
#include <immintrin.h>

#include "kernels.h"

#define W 4
typedef __m256i VI;
typedef __m256d VD;

static inline VI vset64(uint64_t x)
{
    return _mm256_set1_epi64x((long long)x);
}
static inline VI vadd64(VI a, VI b)
{
    return _mm256_add_epi64(a, b);
}
static inline VI vsub64(VI a, VI b)
{
    return _mm256_sub_epi64(a, b);
}
/* a b mod 2^64 per lane: lo(a) lo(b) + (hi(a) lo(b) + lo(a) hi(b)) 2^32. */
static inline VI vmul64(VI a, VI b)
{
    const VI lo = _mm256_mul_epu32(a, b);
    const VI t = _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(a, 32), b),
                                  _mm256_mul_epu32(a, _mm256_srli_epi64(b, 32)));
    return _mm256_add_epi64(lo, _mm256_slli_epi64(t, 32));
}
static inline VI vxor(VI a, VI b)
{
    return _mm256_xor_si256(a, b);
}
static inline VI vand(VI a, VI b)
{
    return _mm256_and_si256(a, b);
}
#define vsrl(a, k) _mm256_srli_epi64((a), (k))
static inline VI vlanes(void)
{
    return _mm256_setr_epi64x(1, 2, 3, 4);
}
/* The low 32 bits of each lane, a signed integer of magnitude under 2^31 here, as doubles. */
static inline VD vsmall(VI x)
{
    const VI idx = _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6);
    return _mm256_cvtepi32_pd(_mm256_castsi256_si128(_mm256_permutevar8x32_epi32(x, idx)));
}
static inline VD vsetd(double x)
{
    return _mm256_set1_pd(x);
}
static inline VD vaddd(VD a, VD b)
{
    return _mm256_add_pd(a, b);
}
static inline VD vmuld(VD a, VD b)
{
    return _mm256_mul_pd(a, b);
}
static inline VD vloadf(const float *x)
{
    return _mm256_cvtps_pd(_mm_loadu_ps(x));
}
static inline void vstoref(float *x, VD a)
{
    _mm_storeu_ps(x, _mm256_cvtpd_ps(a));
}

#include "dither_impl.h"

void cansim_gain_dither_avx2(float *dst, const float *src, size_t n, double gain, uint64_t *state)
{
    gain_dither(dst, src, n, gain, state);
}

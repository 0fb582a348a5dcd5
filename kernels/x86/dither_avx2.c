/* SPDX-License-Identifier: MIT */
/* The finishing kernel with AVX2: four values a step, their generator outputs computed side by
 * side (state + k gamma for lane k; 64-bit multiplies made of 32-bit ones), the rest as the
 * reference. Built with -ffp-contract=off: the gain's product is rounded before its sum. */
#include <immintrin.h>

#include "dither.h"
#include "kernels.h"

/* a b mod 2^64 per lane. */
static inline __m256i mul64(__m256i a, __m256i b)
{
    const __m256i lo = _mm256_mul_epu32(a, b);
    const __m256i t = _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(a, 32), b),
                                       _mm256_mul_epu32(a, _mm256_srli_epi64(b, 32)));
    return _mm256_add_epi64(lo, _mm256_slli_epi64(t, 32));
}

static inline __m256i mix(__m256i z)
{
    z = mul64(_mm256_xor_si256(z, _mm256_srli_epi64(z, 30)),
              _mm256_set1_epi64x((long long)CANSIM_SPLITMIX_M1));
    z = mul64(_mm256_xor_si256(z, _mm256_srli_epi64(z, 27)),
              _mm256_set1_epi64x((long long)CANSIM_SPLITMIX_M2));
    return _mm256_xor_si256(z, _mm256_srli_epi64(z, 31));
}

/* The low 32 bits of each lane (values under 2^31 here) as doubles. */
static inline __m256d low_pd(__m256i x)
{
    const __m256i idx = _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6);
    return _mm256_cvtepi32_pd(_mm256_castsi256_si128(_mm256_permutevar8x32_epi32(x, idx)));
}

void cansim_gain_dither_avx2(float *dst, const float *src, size_t n, double gain, uint64_t *state)
{
    const __m256d g = _mm256_set1_pd(gain);
    size_t i = 0;
    if (state) {
        const uint64_t s0 = *state;
        const __m256i gamma = _mm256_set1_epi64x((long long)CANSIM_SPLITMIX_GAMMA);
        const __m256i step = _mm256_set1_epi64x((long long)(4 * CANSIM_SPLITMIX_GAMMA));
        __m256i s = _mm256_add_epi64(_mm256_set1_epi64x((long long)s0),
                                     mul64(_mm256_setr_epi64x(1, 2, 3, 4), gamma));
        const __m256i m24 = _mm256_set1_epi64x(0xFFFFFF);
        const __m256d scale = _mm256_set1_pd(0x1p-24), lsb = _mm256_set1_pd(0x1p-15);
        for (; i + 4 <= n; i += 4) {
            const __m256i r = mix(s);
            s = _mm256_add_epi64(s, step);
            const __m256d a = low_pd(_mm256_srli_epi64(r, 40));
            const __m256d b = low_pd(_mm256_and_si256(_mm256_srli_epi64(r, 16), m24));
            const __m256d d = _mm256_mul_pd(_mm256_mul_pd(_mm256_sub_pd(a, b), scale), lsb);
            const __m256d v =
                _mm256_add_pd(_mm256_mul_pd(_mm256_cvtps_pd(_mm_loadu_ps(src + i)), g), d);
            _mm_storeu_ps(dst + i, _mm256_cvtpd_ps(v));
        }
        *state = s0 + (uint64_t)i * CANSIM_SPLITMIX_GAMMA;
    } else {
        for (; i + 4 <= n; i += 4)
            _mm_storeu_ps(
                dst + i, _mm256_cvtpd_ps(_mm256_mul_pd(_mm256_cvtps_pd(_mm_loadu_ps(src + i)), g)));
    }
    for (; i < n; i++)
        dst[i] = cansim_dither_one(src[i], gain, state);
}

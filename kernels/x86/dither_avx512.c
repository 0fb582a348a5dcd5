/* SPDX-License-Identifier: MIT */
/* The finishing kernel with AVX-512: eight values a step, their generator outputs computed
 * side by side (state + k gamma for lane k; 64-bit multiplies of AVX512DQ), the rest as the
 * reference. Built with -ffp-contract=off: the gain's product is rounded before its sum. */
#include <immintrin.h>

#include "dither.h"
#include "kernels.h"

static inline __m512i mix(__m512i z)
{
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 30)),
                           _mm512_set1_epi64((long long)CANSIM_SPLITMIX_M1));
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 27)),
                           _mm512_set1_epi64((long long)CANSIM_SPLITMIX_M2));
    return _mm512_xor_si512(z, _mm512_srli_epi64(z, 31));
}

void cansim_gain_dither_avx512(float *dst, const float *src, size_t n, double gain, uint64_t *state)
{
    const __m512d g = _mm512_set1_pd(gain);
    size_t i = 0;
    if (state) {
        const uint64_t s0 = *state;
        const __m512i k = _mm512_set_epi64(8, 7, 6, 5, 4, 3, 2, 1);
        const __m512i gamma = _mm512_set1_epi64((long long)CANSIM_SPLITMIX_GAMMA);
        const __m512i step = _mm512_set1_epi64((long long)(8 * CANSIM_SPLITMIX_GAMMA));
        __m512i s =
            _mm512_add_epi64(_mm512_set1_epi64((long long)s0), _mm512_mullo_epi64(k, gamma));
        const __m512i m24 = _mm512_set1_epi64(0xFFFFFF);
        const __m512d scale = _mm512_set1_pd(0x1p-24), lsb = _mm512_set1_pd(0x1p-15);
        for (; i + 8 <= n; i += 8) {
            const __m512i r = mix(s);
            s = _mm512_add_epi64(s, step);
            const __m512d a = _mm512_cvtepu64_pd(_mm512_srli_epi64(r, 40));
            const __m512d b = _mm512_cvtepu64_pd(_mm512_and_si512(_mm512_srli_epi64(r, 16), m24));
            const __m512d d = _mm512_mul_pd(_mm512_mul_pd(_mm512_sub_pd(a, b), scale), lsb);
            const __m512d v =
                _mm512_add_pd(_mm512_mul_pd(_mm512_cvtps_pd(_mm256_loadu_ps(src + i)), g), d);
            _mm256_storeu_ps(dst + i, _mm512_cvtpd_ps(v));
        }
        *state = s0 + (uint64_t)i * CANSIM_SPLITMIX_GAMMA;
    } else {
        for (; i + 8 <= n; i += 8)
            _mm256_storeu_ps(dst + i, _mm512_cvtpd_ps(_mm512_mul_pd(
                                          _mm512_cvtps_pd(_mm256_loadu_ps(src + i)), g)));
    }
    for (; i < n; i++)
        dst[i] = cansim_dither_one(src[i], gain, state);
}

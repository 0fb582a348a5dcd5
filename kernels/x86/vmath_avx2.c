/* SPDX-License-Identifier: MIT */
/* The vector-math kernels (cexp, vlog) with AVX2 + FMA: SLEEF's avx2 u10 functions, 8 values per
 * step. */
#include <immintrin.h>
#include <sleef.h>
#include <string.h>

#include "kernels.h"

/* The tail goes through the same vector functions from a padded copy, so every value takes the
 * same algorithm whatever its position; padding with 1 keeps the unused lanes finite. */
static __m256 tail_load(float *buf, const float *src, size_t m)
{
    _mm256_storeu_ps(buf, _mm256_set1_ps(1.0f));
    memcpy(buf, src, m * sizeof *buf);
    return _mm256_loadu_ps(buf);
}

void cansim_cexp_avx2(float *restrict re, float *restrict im, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 m = Sleef_expf8_u10avx2(_mm256_loadu_ps(re + i));
        const Sleef___m256_2 sc = Sleef_sincosf8_u10avx2(_mm256_loadu_ps(im + i));
        _mm256_storeu_ps(re + i, _mm256_mul_ps(m, sc.y));
        _mm256_storeu_ps(im + i, _mm256_mul_ps(m, sc.x));
    }
    if (i < n) {
        float a[8];
        float b[8];
        const size_t m = n - i;
        const __m256 e = Sleef_expf8_u10avx2(tail_load(a, re + i, m));
        const Sleef___m256_2 sc = Sleef_sincosf8_u10avx2(tail_load(b, im + i, m));
        _mm256_storeu_ps(a, _mm256_mul_ps(e, sc.y));
        _mm256_storeu_ps(b, _mm256_mul_ps(e, sc.x));
        memcpy(re + i, a, m * sizeof *a);
        memcpy(im + i, b, m * sizeof *b);
    }
}

void cansim_vlog_avx2(float *dst, const float *src, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(dst + i, Sleef_logf8_u10avx2(_mm256_loadu_ps(src + i)));
    if (i < n) {
        float a[8];
        const size_t m = n - i;
        _mm256_storeu_ps(a, Sleef_logf8_u10avx2(tail_load(a, src + i, m)));
        memcpy(dst + i, a, m * sizeof *a);
    }
}

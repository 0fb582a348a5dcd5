/* SPDX-License-Identifier: MIT */
/* C reference of the vector-math kernels (cexp, vlog): SLEEF's scalar pure-C u10 functions, value
 * by value. */
#include <assert.h>
#include <sleef.h>

#include "kernels.h"

void cansim_cexp_c(float *restrict re, float *restrict im, size_t n)
{
    assert(n == 0 || (re && im));
    for (size_t i = 0; i < n; i++) {
        const float m = Sleef_expf1_u10purec(re[i]);
        const Sleef_float_2 sc = Sleef_sincosf1_u10purec(im[i]); /* x = sin, y = cos */
        re[i] = m * sc.y;
        im[i] = m * sc.x;
    }
}

void cansim_vlog_c(float *dst, const float *src, size_t n)
{
    assert(n == 0 || (dst && src));
    for (size_t i = 0; i < n; i++)
        dst[i] = Sleef_logf1_u10purec(src[i]);
}

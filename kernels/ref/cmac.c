/* SPDX-License-Identifier: MIT */
/* C reference of the complex multiply-accumulate kernels (cmac, cmac2x2). */
#include <assert.h>
#include <stdint.h>

#include "kernels.h"

#define IS_ALIGNED(p) (((uintptr_t)(p) & (CANSIM_ALIGN - 1)) == 0)

void cansim_cmac_c(float *restrict acc_re, float *restrict acc_im, const float *x_re,
                   const float *x_im, const float *h_re, const float *h_im, size_t n)
{
    assert(n % CANSIM_PAD == 0);
    assert(IS_ALIGNED(acc_re) && IS_ALIGNED(acc_im) && IS_ALIGNED(x_re) && IS_ALIGNED(x_im));
    assert(IS_ALIGNED(h_re) && IS_ALIGNED(h_im));

    for (size_t i = 0; i < n; i++) {
        const float xr = x_re[i];
        const float xi = x_im[i];
        const float hr = h_re[i];
        const float hi = h_im[i];
        acc_re[i] += xr * hr - xi * hi;
        acc_im[i] += xr * hi + xi * hr;
    }
}

/* One cell at a time into the output, the same order the SIMD versions chain their FMAs, so each
 * output sees two separately rounded complex MACs. */
void cansim_cmac2x2_c(float *restrict y, const float *x, const float *h, size_t n, bool add)
{
    assert(n % CANSIM_PAD == 0);
    assert(IS_ALIGNED(y) && IS_ALIGNED(x) && IS_ALIGNED(h));

    float *restrict yl_re = y;
    float *restrict yl_im = y + n;
    float *restrict yr_re = y + 2 * n;
    float *restrict yr_im = y + 3 * n;
    const float *xl_re = x;
    const float *xl_im = x + n;
    const float *xr_re = x + 2 * n;
    const float *xr_im = x + 3 * n;
    const float *ll_re = h;
    const float *ll_im = h + n;
    const float *lr_re = h + 2 * n;
    const float *lr_im = h + 3 * n;
    const float *rl_re = h + 4 * n;
    const float *rl_im = h + 5 * n;
    const float *rr_re = h + 6 * n;
    const float *rr_im = h + 7 * n;

    for (size_t i = 0; i < n; i++) {
        const float a_re = xl_re[i];
        const float a_im = xl_im[i];
        const float b_re = xr_re[i];
        const float b_im = xr_im[i];
        float l_re = add ? yl_re[i] : 0.0f;
        float l_im = add ? yl_im[i] : 0.0f;
        float r_re = add ? yr_re[i] : 0.0f;
        float r_im = add ? yr_im[i] : 0.0f;
        l_re += a_re * ll_re[i] - a_im * ll_im[i];
        l_im += a_re * ll_im[i] + a_im * ll_re[i];
        l_re += b_re * rl_re[i] - b_im * rl_im[i];
        l_im += b_re * rl_im[i] + b_im * rl_re[i];
        r_re += a_re * lr_re[i] - a_im * lr_im[i];
        r_im += a_re * lr_im[i] + a_im * lr_re[i];
        r_re += b_re * rr_re[i] - b_im * rr_im[i];
        r_im += b_re * rr_im[i] + b_im * rr_re[i];
        yl_re[i] = l_re;
        yl_im[i] = l_im;
        yr_re[i] = r_re;
        yr_im[i] = r_im;
    }
}

/* SPDX-License-Identifier: MIT */
/* C reference of the weighted sum kernel: the lane order every version keeps. */
#include "kernels.h"
#include "wdot_tail.h"

static double plane(const float *w, const float *p, size_t n)
{
    float acc[CANSIM_WDOT_LANES] = {0};
    size_t i = 0;
    if (w)
        for (; i + CANSIM_WDOT_LANES <= n; i += CANSIM_WDOT_LANES)
            for (size_t q = 0; q < CANSIM_WDOT_LANES; q++)
                acc[q] += w[i + q] * p[i + q];
    else
        for (; i + CANSIM_WDOT_LANES <= n; i += CANSIM_WDOT_LANES)
            for (size_t q = 0; q < CANSIM_WDOT_LANES; q++)
                acc[q] += p[i + q];
    return cansim_wdot_tail(acc, w, p, i, n);
}

double cansim_wdot_c(const float *w, const float *p, size_t stride, size_t n_planes, size_t n)
{
    double s = 0.0;
    for (size_t c = 0; c < n_planes; c++)
        s += plane(w ? w + c * stride : NULL, p + c * stride, n);
    return s;
}

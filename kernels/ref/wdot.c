/* SPDX-License-Identifier: MIT */
/* C reference of the weighted sum kernel: the lane order every version keeps. */
#include "kernels.h"
#include "wdot_tail.h"

double cansim_wdot_c(const float *w, const float *p, size_t n)
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

/* SPDX-License-Identifier: MIT */
/* The end of every version of the weighted sum kernel (ref/wdot.c, x86/wdot_*.c): the tail
 * from i, then the lanes, in double, in the contract's order. */
#ifndef CANSIM_WDOT_TAIL_H
#define CANSIM_WDOT_TAIL_H

#include "kernels.h"

static inline double cansim_wdot_tail(const float acc[CANSIM_WDOT_LANES], const float *w,
                                      const float *p, size_t i, size_t n)
{
    double s = 0.0;
    for (; i < n; i++)
        s += w ? (double)(w[i] * p[i]) : (double)p[i];
    for (size_t q = 0; q < CANSIM_WDOT_LANES; q++)
        s += (double)acc[q];
    return s;
}

#endif

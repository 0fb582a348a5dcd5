/* SPDX-License-Identifier: MIT */
/* C reference of the lane sums kernel (family wdot): the lane order every version keeps. */
#include "kernels.h"

/* One bin's term of a set's planes w (NULL: none) against a frame's p (kernels.h). */
static float term(const float *w, const float *p, size_t stride, size_t n_planes, size_t i)
{
    if (!w)
        return p[i];
    if (n_planes == 1)
        return w[i] * p[i];
    const size_t s1 = stride, s2 = 2 * stride, s3 = 3 * stride;
    return (w[i] * p[i] + w[s1 + i] * p[s1 + i]) + (w[s2 + i] * p[s2 + i] + w[s3 + i] * p[s3 + i]);
}

void cansim_wlanes_c(float *const *acc, const float *w, const float *const *p, size_t stride,
                     size_t n_planes, size_t n_sets, size_t n_frames, size_t n)
{
    for (size_t f = 0; f < n_frames; f++)
        for (size_t s = 0; s < n_sets; s++) {
            const float *ws = w ? w + 4 * s * stride : NULL;
            float *a = acc[f * n_sets + s];
            for (size_t i = 0; i < n; i++)
                a[i % CANSIM_WDOT_LANES] += term(ws, p[f], stride, n_planes, i);
        }
}

/* SPDX-License-Identifier: MIT */
/* The weighted sum kernel's SIMD body, written once over a vector of 16 lanes: wdot_avx2.c and
 * wdot_avx512.c include this after defining V (16 lanes: two __m256, or one __m512), vzero,
 * vload, vadd, vmul and vstore (V into 16 floats). The planes' sums are independent chains,
 * run side by side; each keeps the reference's order (ref/wdot.c). Built with
 * -ffp-contract=off, so each product is rounded before its sum. */
#include "wdot_tail.h"

/* One plane's lanes: a += w p (w NULL: a += p) per whole group of 16; returns where the tail
 * starts. */
static inline size_t plane(V *a, const float *w, const float *p, size_t n)
{
    size_t i = 0;
    if (w)
        for (; i + CANSIM_WDOT_LANES <= n; i += CANSIM_WDOT_LANES)
            *a = vadd(*a, vmul(vload(w + i), vload(p + i)));
    else
        for (; i + CANSIM_WDOT_LANES <= n; i += CANSIM_WDOT_LANES)
            *a = vadd(*a, vload(p + i));
    return i;
}

static double sums(const float *w, const float *p, size_t stride, size_t n_planes, size_t n)
{
    V a[CANSIM_WDOT_MAX_PLANES];
    for (size_t c = 0; c < CANSIM_WDOT_MAX_PLANES; c++)
        a[c] = vzero();
    const size_t s1 = stride, s2 = 2 * stride, s3 = 3 * stride;
    size_t i = 0;
    if (n_planes == 4 && w)
        /* the usual case (a 2x2 profile): four chains at once */
        for (; i + CANSIM_WDOT_LANES <= n; i += CANSIM_WDOT_LANES) {
            a[0] = vadd(a[0], vmul(vload(w + i), vload(p + i)));
            a[1] = vadd(a[1], vmul(vload(w + s1 + i), vload(p + s1 + i)));
            a[2] = vadd(a[2], vmul(vload(w + s2 + i), vload(p + s2 + i)));
            a[3] = vadd(a[3], vmul(vload(w + s3 + i), vload(p + s3 + i)));
        }
    else
        for (size_t c = 0; c < n_planes; c++)
            i = plane(&a[c], w ? w + c * stride : NULL, p + c * stride, n);
    double s = 0.0;
    for (size_t c = 0; c < n_planes; c++) {
        float acc[CANSIM_WDOT_LANES];
        vstore(acc, a[c]);
        s += cansim_wdot_tail(acc, w ? w + c * stride : NULL, p + c * stride, i, n);
    }
    return s;
}

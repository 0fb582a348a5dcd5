/* SPDX-License-Identifier: MIT */
/* The lane sums kernel's SIMD body (kernels.h, cansim_wlanes_fn), written once over a vector of
 * 16 lanes: wdot_avx2.c and wdot_avx512.c include this after defining V (two __m256, or one
 * __m512), vzero, vload, vadd, vmul, vstore (V into 16 floats), M (the first r lanes of a
 * vector), vmask(r) (0 < r < 16), vload_m (those lanes of x, the others 0; nothing else read)
 * and vadd_m (a + b in those lanes, a in the others). The weights of a bin are loaded once for
 * every frame of the call, a frame's spectra once for both sets; each lane adds its terms in
 * the reference's order (ref/wdot.c). Built with -ffp-contract=off, so each product is rounded
 * before its sum. */

#define WL_MAX_ACC (2 * CANSIM_WLANES_MAX_FRAMES)

static inline __attribute__((always_inline)) V wl_load(const float *x, const M *m)
{
    return m ? vload_m(x, *m) : vload(x);
}

/* One group of bins from i: whole (m NULL) or the tail's first lanes. */
static inline __attribute__((always_inline)) void wl_step(V *a, const float *w,
                                                          const float *const *p, size_t st,
                                                          size_t np, size_t ns, size_t nf, size_t i,
                                                          const M *m)
{
    V wv[2][4];
    for (size_t s = 0; s < ns; s++)
        for (size_t c = 0; c < np; c++)
            wv[s][c] = w ? wl_load(w + (4 * s + c) * st + i, m) : vzero();
    for (size_t f = 0; f < nf; f++) {
        V pv[4];
        for (size_t c = 0; c < np; c++)
            pv[c] = wl_load(p[f] + c * st + i, m);
        for (size_t s = 0; s < ns; s++) {
            V t;
            if (!w)
                t = pv[0];
            else if (np == 1)
                t = vmul(wv[s][0], pv[0]);
            else
                t = vadd(vadd(vmul(wv[s][0], pv[0]), vmul(wv[s][1], pv[1])),
                         vadd(vmul(wv[s][2], pv[2]), vmul(wv[s][3], pv[3])));
            a[f * ns + s] = m ? vadd_m(a[f * ns + s], t, *m) : vadd(a[f * ns + s], t);
        }
    }
}

static inline __attribute__((always_inline)) void wl_body(float *const *acc, const float *w,
                                                          const float *const *p, size_t st,
                                                          size_t np, size_t ns, size_t nf, size_t n)
{
    V a[WL_MAX_ACC];
    for (size_t k = 0; k < nf * ns; k++)
        a[k] = vload(acc[k]);
    size_t i = 0;
    for (; i + CANSIM_WDOT_LANES <= n; i += CANSIM_WDOT_LANES)
        wl_step(a, w, p, st, np, ns, nf, i, NULL);
    if (i < n) {
        const M m = vmask(n - i);
        wl_step(a, w, p, st, np, ns, nf, i, &m);
    }
    for (size_t k = 0; k < nf * ns; k++)
        vstore(acc[k], a[k]);
}

/* Each case with its counts as constants, so that its loop is unrolled over them. */
#define WL_FRAMES(w_, np_, ns_)                                                                    \
    switch (nf) {                                                                                  \
    case 1:                                                                                        \
        wl_body(acc, w_, p, st, np_, ns_, 1, n);                                                   \
        break;                                                                                     \
    case 2:                                                                                        \
        wl_body(acc, w_, p, st, np_, ns_, 2, n);                                                   \
        break;                                                                                     \
    case 3:                                                                                        \
        wl_body(acc, w_, p, st, np_, ns_, 3, n);                                                   \
        break;                                                                                     \
    default:                                                                                       \
        wl_body(acc, w_, p, st, np_, ns_, 4, n);                                                   \
        break;                                                                                     \
    }

static void wl_lanes(float *const *acc, const float *w, const float *const *p, size_t st, size_t np,
                     size_t ns, size_t nf, size_t n)
{
    if (!w)
        WL_FRAMES(NULL, 1, 1)
    else if (np == 1 && ns == 1)
        WL_FRAMES(w, 1, 1)
    else if (np == 1)
        WL_FRAMES(w, 1, 2)
    else if (ns == 1)
        WL_FRAMES(w, 4, 1)
    else
        WL_FRAMES(w, 4, 2)
}

/* SPDX-License-Identifier: MIT */
/* The real FFTs' passes written once over a vector of W floats; rfft_avx2.c and rfft_avx512.c
 * include this after defining V, W, the arithmetic and five shuffles:
 *   load_deint(x, &re, &im)     2W interleaved floats into planes (the real input's pairs)
 *   store_int(x, even, odd)     planes into 2W interleaved floats
 *   vrev(v)                     lanes reversed
 *   store_t4(y, c0, c1, c2, c3) y[4p + k] = ck[p] for p < W: the first pass's output
 *   store_s4(y, c0, c1, c2, c3) the second pass's: ck holds (p, q) at lane 4p + q, q < 4, and
 *                               goes to y[16p + 4k + q]
 * The algorithm and the table are the C reference's (ref/rfft.c, rfft_layout.h); only the order
 * of the loops and the FMAs differ. */
#include <string.h>

#include "rfft_layout.h"

/* (r + i im) * (wr + i wi) */
static inline void cmul(V *r, V *i, V wr, V wi)
{
    const V nr = vfmsub(*r, wr, vmul(*i, wi));
    *i = vfmadd(*r, wi, vmul(*i, wr));
    *r = nr;
}

/* The radix-4 butterfly before its twiddles: ck = sum_j aj (-i)^jk. */
static inline void bfly4(V cr[4], V ci[4], const V ar[4], const V ai[4])
{
    const V b0r = vadd(ar[0], ar[2]), b0i = vadd(ai[0], ai[2]);
    const V b1r = vsub(ar[0], ar[2]), b1i = vsub(ai[0], ai[2]);
    const V b2r = vadd(ar[1], ar[3]), b2i = vadd(ai[1], ai[3]);
    const V b3r = vsub(ai[1], ai[3]), b3i = vsub(ar[3], ar[1]);
    cr[0] = vadd(b0r, b2r);
    ci[0] = vadd(b0i, b2i);
    cr[1] = vadd(b1r, b3r);
    ci[1] = vadd(b1i, b3i);
    cr[2] = vsub(b0r, b2r);
    ci[2] = vsub(b0i, b2i);
    cr[3] = vsub(b1r, b3r);
    ci[3] = vsub(b1i, b3i);
}

/* Pass 0: l = m, span 1, W values of p per step; the forward reads the real signal itself
 * (x interleaved: is_real), the inverse its planes. */
static inline void pass_first(float *yr, float *yi, const float *xr, const float *xi, bool is_real,
                              const float *t, size_t m)
{
    const size_t m4 = m / 4;
    for (size_t p = 0; p < m4; p += W) {
        V ar[4], ai[4], cr[4], ci[4];
        for (size_t k = 0; k < 4; k++) {
            if (is_real)
                load_deint(xr + 2 * (p + k * m4), &ar[k], &ai[k]);
            else {
                ar[k] = vload(xr + p + k * m4);
                ai[k] = vload(xi + p + k * m4);
            }
        }
        bfly4(cr, ci, ar, ai);
        for (size_t k = 1; k < 4; k++)
            cmul(&cr[k], &ci[k], vload(t + (2 * k - 2) * m4 + p), vload(t + (2 * k - 1) * m4 + p));
        store_t4(yr + 4 * p, cr[0], cr[1], cr[2], cr[3]);
        store_t4(yi + 4 * p, ci[0], ci[1], ci[2], ci[3]);
    }
}

/* Pass 1: l = m/4, span 4, W/4 values of p per step; twiddles stored per (p, q). */
static inline void pass_second(float *yr, float *yi, const float *xr, const float *xi,
                               const float *t, size_t m)
{
    const size_t a = m / 4;
    const size_t m4 = m / 16;
    for (size_t i = 0; i < 4 * m4; i += W) { /* i = 4p */
        V ar[4], ai[4], cr[4], ci[4];
        for (size_t k = 0; k < 4; k++) {
            ar[k] = vload(xr + i + 4 * k * m4);
            ai[k] = vload(xi + i + 4 * k * m4);
        }
        bfly4(cr, ci, ar, ai);
        for (size_t k = 1; k < 4; k++)
            cmul(&cr[k], &ci[k], vload(t + (2 * k - 2) * a + i), vload(t + (2 * k - 1) * a + i));
        store_s4(yr + 4 * i, cr[0], cr[1], cr[2], cr[3]);
        store_s4(yi + 4 * i, ci[0], ci[1], ci[2], ci[3]);
    }
}

/* Passes j >= 2: span s >= 16, W values of q per step, twiddles broadcast per p. With
 * is_real_out (the inverse's last pass) the result goes out interleaved, swapped back: the
 * imaginary plane to the even samples. */
static inline void pass_span(float *yr, float *yi, const float *xr, const float *xi, const float *t,
                             size_t l, size_t s, bool is_real_out)
{
    const size_t m4 = l / 4;
    for (size_t p = 0; p < m4; p++) {
        V w[6];
        for (size_t k = 0; k < 6; k++)
            w[k] = vbroadcast(t + 6 * p + k);
        for (size_t q = 0; q < s; q += W) {
            V ar[4], ai[4], cr[4], ci[4];
            for (size_t k = 0; k < 4; k++) {
                ar[k] = vload(xr + q + s * (p + k * m4));
                ai[k] = vload(xi + q + s * (p + k * m4));
            }
            bfly4(cr, ci, ar, ai);
            if (m4 > 1)
                for (size_t k = 1; k < 4; k++)
                    cmul(&cr[k], &ci[k], w[2 * k - 2], w[2 * k - 1]);
            for (size_t k = 0; k < 4; k++) {
                const size_t o = q + s * (4 * p + k);
                if (is_real_out)
                    store_int(yr + 2 * o, ci[k], cr[k]);
                else {
                    vstore(yr + o, cr[k]);
                    vstore(yi + o, ci[k]);
                }
            }
        }
    }
}

/* The radix-2 last pass (log2 m odd): span m/2, no twiddles. */
static inline void pass_last2(float *yr, float *yi, const float *xr, const float *xi, size_t m,
                              bool is_real_out)
{
    const size_t s = m / 2;
    for (size_t q = 0; q < s; q += W) {
        const V ar = vload(xr + q), ai = vload(xi + q);
        const V br = vload(xr + q + s), bi = vload(xi + q + s);
        if (is_real_out) {
            store_int(yr + 2 * q, vadd(ai, bi), vadd(ar, br));
            store_int(yr + 2 * (q + s), vsub(ai, bi), vsub(ar, br));
        } else {
            vstore(yr + q, vadd(ar, br));
            vstore(yi + q, vadd(ai, bi));
            vstore(yr + q + s, vsub(ar, br));
            vstore(yi + q + s, vsub(ai, bi));
        }
    }
}

/* As the reference's passes(): pass i writes bufs[(n_passes - 1 - i) % 2], the last one y
 * (interleaved real when is_real_out, y_i unused then). */
static inline void run_passes(const RfftLayout *lay, const float *tw, const float *xr,
                              const float *xi, bool is_real_in, float *const bufs[2][2], float *y_r,
                              float *y_i, bool is_real_out)
{
    const int n_passes = lay->n_r4 + lay->has_r2;
    const size_t m = lay->m;
    for (int i = 0; i < n_passes; i++) {
        const bool is_last = i == n_passes - 1;
        float *outr = is_last ? y_r : bufs[(n_passes - 1 - i) % 2][0];
        float *outi = is_last ? y_i : bufs[(n_passes - 1 - i) % 2][1];
        if (i == 0)
            pass_first(outr, outi, xr, xi, is_real_in, tw + lay->pass[0], m);
        else if (i == 1)
            pass_second(outr, outi, xr, xi, tw + lay->pass[1], m);
        else if (i < lay->n_r4) {
            const size_t s = (size_t)1 << (2 * i);
            if (is_last && is_real_out)
                pass_span(outr, outi, xr, xi, tw + lay->pass[i], m / s, s, true);
            else
                pass_span(outr, outi, xr, xi, tw + lay->pass[i], m / s, s, false);
        } else if (is_real_out)
            pass_last2(outr, outi, xr, xi, m, true);
        else
            pass_last2(outr, outi, xr, xi, m, false);
        xr = outr;
        xi = outi;
    }
}

static void rfft_fwd(float *restrict re, float *restrict im, const float *restrict x,
                     float *restrict scratch, const float *restrict tw, size_t n)
{
    RfftLayout lay;
    if (!rfft_layout(&lay, n))
        return;
    const size_t m = lay.m;
    float *const bufs[2][2] = {{re, im}, {scratch, scratch + CANSIM_RFFT_BINS(n)}};
    run_passes(&lay, tw, x, NULL, true, bufs, re, im, false);

    /* The split into the real spectrum, in place (see the reference): pairs (k, m - k) for
     * k = 1 .. m/2 in blocks of W, each block's mirror read reversed; the blocks' mirrors are
     * disjoint, and the last one's meets it only at m/2, computed alike from both sides. */
    const float *wr = tw + lay.post;
    const float *wi = wr + m / 2;
    const float z0r = re[0], z0i = im[0];
    re[0] = z0r + z0i;
    re[m] = z0r - z0i;
    im[0] = 0.0f;
    im[m] = 0.0f;
    const V half = vset1(0.5f);
    for (size_t i = 0; i < m / 2; i += W) {
        const size_t k = 1 + i;
        const size_t r = m - k - (W - 1);
        const V a = vloadu(re + k), b = vloadu(im + k);
        const V c = vrev(vloadu(re + r)), d = vrev(vloadu(im + r));
        const V er = vmul(half, vadd(a, c));
        const V ei = vmul(half, vsub(b, d));
        V tr = vadd(b, d);
        V ti = vsub(c, a);
        cmul(&tr, &ti, vload(wr + i), vload(wi + i));
        vstoreu(re + k, vadd(er, tr));
        vstoreu(im + k, vadd(ei, ti));
        vstoreu(re + r, vrev(vsub(er, tr)));
        vstoreu(im + r, vrev(vsub(ti, ei)));
    }
    const size_t nb = CANSIM_RFFT_BINS(n);
    memset(re + m + 1, 0, (nb - m - 1) * sizeof *re);
    memset(im + m + 1, 0, (nb - m - 1) * sizeof *im);
}

static void rfft_inv(float *restrict x, const float *restrict re, const float *restrict im,
                     float *restrict scratch, const float *restrict tw, size_t n)
{
    RfftLayout lay;
    if (!rfft_layout(&lay, n))
        return;
    const size_t m = lay.m;
    const int n_passes = lay.n_r4 + lay.has_r2;
    float *const bufs[2][2] = {{x, x + m}, {scratch, scratch + CANSIM_RFFT_BINS(n)}};
    float *zi = bufs[n_passes % 2][0];
    float *zr = bufs[n_passes % 2][1];
    const float *wr = tw + lay.post;
    const float *wi = wr + m / 2;
    zr[0] = re[0] + re[m];
    zi[0] = re[0] - re[m];
    const V two = vset1(2.0f);
    for (size_t i = 0; i < m / 2; i += W) {
        const size_t k = 1 + i;
        const size_t r = m - k - (W - 1);
        const V a = vloadu(re + k), b = vloadu(im + k);
        const V c = vrev(vloadu(re + r)), d = vrev(vloadu(im + r));
        const V fr = vadd(a, c), fi = vsub(b, d);
        V hr = vsub(a, c);
        V hi = vadd(b, d);
        /* G conj(W^k / 2) */
        const V w_r = vload(wr + i), w_i = vload(wi + i);
        const V nr = vfmadd(hr, w_r, vmul(hi, w_i));
        hi = vfmsub(hi, w_r, vmul(hr, w_i));
        hr = nr;
        vstoreu(zr + k, vfnmadd(two, hi, fr));
        vstoreu(zi + k, vfmadd(two, hr, fi));
        vstoreu(zr + r, vrev(vfmadd(two, hi, fr)));
        vstoreu(zi + r, vrev(vfmsub(two, hr, fi)));
    }
    run_passes(&lay, tw, zi, zr, false, bufs, x, NULL, true);
}

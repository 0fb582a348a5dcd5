/* SPDX-License-Identifier: MIT */
/* C reference of the real FFTs (rfft, irfft) and the twiddle table they share with the SIMD
 * versions: radix-4 Stockham passes over the n/2-point complex transform of the even and odd
 * samples (from RFFT_TOP_MIN points on, over four blocks of a quarter of it after a top radix-4
 * pass), then the split into the real spectrum (and its reverse, before the inverse). See
 * rfft_layout.h. */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "kernels.h"
#include "rfft_layout.h"

#define IS_ALIGNED(p) (((uintptr_t)(p) & (CANSIM_ALIGN - 1)) == 0)

size_t cansim_rfft_table_size(size_t n)
{
    RfftLayout lay;
    return rfft_layout(&lay, n) ? lay.size : 0;
}

/* exp(-2 pi i k / l) in double, the angle reduced exactly first. */
static void twiddle(size_t k, size_t l, float *re, float *im)
{
    const double a = 6.283185307179586476925 * (double)(k % l) / (double)l;
    *re = (float)cos(a);
    *im = (float)-sin(a);
}

/* w^p, w^2p, w^3p of a pass of length l as (re, im) pairs, for p < l/4. */
static void pass_table(float *t, size_t l, int j, size_t a)
{
    for (size_t p = 0; p < l / 4; p++)
        for (size_t k = 1; k < 4; k++) {
            float re, im;
            twiddle(k * p, l, &re, &im);
            if (j == 0) {
                t[(2 * k - 2) * a + p] = re;
                t[(2 * k - 1) * a + p] = im;
            } else if (j == 1) {
                for (size_t q = 0; q < 4; q++) {
                    t[(2 * k - 2) * a + 4 * p + q] = re;
                    t[(2 * k - 1) * a + 4 * p + q] = im;
                }
            } else {
                t[6 * p + 2 * k - 2] = re;
                t[6 * p + 2 * k - 1] = im;
            }
        }
    if (j >= 2) /* the padding */
        for (size_t i = 6 * (l / 4); i < rfft_pad(6 * (l / 4)); i++)
            t[i] = 0.0f;
}

void cansim_rfft_table(float *tw, size_t n)
{
    RfftLayout lay;
    if (!rfft_layout(&lay, n))
        return;
    const size_t m = lay.m;
    for (int j = 0; j < lay.n_r4; j++)
        pass_table(tw + lay.pass[j], lay.ms >> (2 * j), j, lay.ms / 4);
    if (!lay.has_top) {
        for (size_t k = 0; k < lay.post_lo - lay.post; k++) {
            const double ang = 6.283185307179586476925 * (double)k / (double)n;
            tw[lay.post + k] = k <= m / 2 ? (float)(0.5 * cos(ang)) : 0.0f;
            tw[lay.post_lo + k] = k <= m / 2 ? (float)(-0.5 * sin(ang)) : 0.0f;
        }
        for (size_t k = 1; k <= m / 2; k++) {
            tw[lay.post_odd + k - 1] = tw[lay.post + k];
            tw[lay.post_odd + m / 2 + k - 1] = tw[lay.post_lo + k];
        }
        return;
    }
    float *t = tw + lay.top;
    for (size_t ph = 0; ph < m / 64; ph++)
        for (size_t k = 1; k < 4; k++)
            twiddle(16 * k * ph, m, &t[6 * ph + 2 * k - 2], &t[6 * ph + 2 * k - 1]);
    for (size_t i = 6 * (m / 64); i < lay.top_lo - lay.top; i++)
        t[i] = 0.0f;
    for (size_t pl = 0; pl < 16; pl++)
        for (size_t k = 1; k < 4; k++)
            twiddle(k * pl, m, &tw[lay.top_lo + (2 * k - 2) * 16 + pl],
                    &tw[lay.top_lo + (2 * k - 1) * 16 + pl]);
    float *post = tw + lay.post;
    for (size_t rh = 0; rh < m / 128; rh++)
        twiddle(64 * rh, n, &post[2 * rh], &post[2 * rh + 1]);
    for (size_t i = 2 * (m / 128); i < lay.post_lo - lay.post; i++)
        post[i] = 0.0f;
    for (size_t b = 0; b < 4; b++)
        for (size_t rl = 0; rl < 16; rl++) {
            const double ang = 6.283185307179586476925 * (double)(4 * rl + b) / (double)n;
            tw[lay.post_lo + 16 * b + rl] = (float)(0.5 * cos(ang));
            tw[lay.post_lo + 64 + 16 * b + rl] = (float)(-0.5 * sin(ang));
        }
}

/* w^p, w^2p, w^3p of pass j as (re, im) pairs. */
static inline void pass_twiddles(const float *t, int j, size_t a, size_t p, float w[6])
{
    for (int k = 0; k < 6; k++)
        w[k] = j == 0 ? t[k * a + p] : j == 1 ? t[k * a + 4 * p] : t[6 * p + k];
}

/* The radix-4 butterfly before its twiddles: ck = sum_j aj (-i)^jk. */
static inline void bfly4(float cr[4], float ci[4], const float ar[4], const float ai[4])
{
    const float b0r = ar[0] + ar[2], b0i = ai[0] + ai[2];
    const float b1r = ar[0] - ar[2], b1i = ai[0] - ai[2];
    const float b2r = ar[1] + ar[3], b2i = ai[1] + ai[3];
    const float b3r = ai[1] - ai[3], b3i = ar[3] - ar[1]; /* (a1 - a3) (-i) */
    cr[0] = b0r + b2r;
    ci[0] = b0i + b2i;
    cr[1] = b1r + b3r;
    ci[1] = b1i + b3i;
    cr[2] = b0r - b2r;
    ci[2] = b0i - b2i;
    cr[3] = b1r - b3r;
    ci[3] = b1i - b3i;
}

/* (r + i im) (wr + i wi) */
static inline void cmul(float *r, float *i, float wr, float wi)
{
    const float nr = *r * wr - *i * wi;
    *i = *r * wi + *i * wr;
    *r = nr;
}

/* One radix-4 pass, l points at span s: for p < l/4, q < s, with a_k = x[q + s (p + k l/4)],
 *   y[q + s (4p + k)] = w^kp sum_j a_j (-i)^jk.
 * x is read at stride is and y written at stride os (2: the interleaved real signal). */
static void pass4(float *yr, float *yi, size_t os, const float *xr, const float *xi, size_t is,
                  size_t l, size_t s, const float *t, int j, size_t a)
{
    const size_t m4 = l / 4;
    for (size_t p = 0; p < m4; p++) {
        float w[6];
        pass_twiddles(t, j, a, p, w);
        for (size_t q = 0; q < s; q++) {
            float ar[4], ai[4], cr[4], ci[4];
            for (size_t k = 0; k < 4; k++) {
                ar[k] = xr[is * (q + s * (p + k * m4))];
                ai[k] = xi[is * (q + s * (p + k * m4))];
            }
            bfly4(cr, ci, ar, ai);
            for (size_t k = 1; k < 4; k++)
                cmul(&cr[k], &ci[k], w[2 * k - 2], w[2 * k - 1]);
            for (size_t k = 0; k < 4; k++) {
                yr[os * (q + s * (4 * p + k))] = cr[k];
                yi[os * (q + s * (4 * p + k))] = ci[k];
            }
        }
    }
}

/* w^kp of the top and bottom passes, w^(16 k ph) w^(k pl) for p = 16 ph + pl. */
static void top_twiddle(const RfftLayout *lay, const float *tw, size_t k, size_t p, float *wr,
                        float *wi)
{
    const float *hi = tw + lay->top + 6 * (p / 16) + 2 * k - 2;
    const float *lo = tw + lay->top_lo + (2 * k - 2) * 16 + p % 16;
    *wr = lo[0];
    *wi = lo[16];
    cmul(wr, wi, hi[0], hi[1]);
}

/* The top pass (forward, decimation in frequency): as pass 0 (l = m, span 1), but the result
 * for k goes to block k, y[k m/4 + p], whose FFT is then Z[4r + k]. x read at stride is. */
static void top4(float *yr, float *yi, const float *xr, const float *xi, size_t is,
                 const RfftLayout *lay, const float *tw)
{
    const size_t m = lay->m;
    const size_t m4 = m / 4;
    for (size_t p = 0; p < m4; p++) {
        float ar[4], ai[4], cr[4], ci[4];
        for (size_t k = 0; k < 4; k++) {
            ar[k] = xr[is * (p + k * m4)];
            ai[k] = xi[is * (p + k * m4)];
        }
        bfly4(cr, ci, ar, ai);
        for (size_t k = 1; k < 4; k++) {
            float wr, wi;
            top_twiddle(lay, tw, k, p, &wr, &wi);
            cmul(&cr[k], &ci[k], wr, wi);
        }
        for (size_t k = 0; k < 4; k++) {
            yr[k * m4 + p] = cr[k];
            yi[k * m4 + p] = ci[k];
        }
    }
}

/* The bottom pass (inverse, decimation in time): block k holds S_k, the FFT of z[4r + k] over
 * r; with a_k = w^kp S_k[p], y[p + j m/4] = sum_k a_k (-i)^jk, written at stride os. */
static void bottom4(float *yr, float *yi, size_t os, const float *xr, const float *xi,
                    const RfftLayout *lay, const float *tw)
{
    const size_t m4 = lay->m / 4;
    for (size_t p = 0; p < m4; p++) {
        float ar[4], ai[4], cr[4], ci[4];
        for (size_t k = 0; k < 4; k++) {
            ar[k] = xr[k * m4 + p];
            ai[k] = xi[k * m4 + p];
            if (k > 0) {
                float wr, wi;
                top_twiddle(lay, tw, k, p, &wr, &wi);
                cmul(&ar[k], &ai[k], wr, wi);
            }
        }
        bfly4(cr, ci, ar, ai);
        for (size_t k = 0; k < 4; k++) {
            yr[os * (p + k * m4)] = cr[k];
            yi[os * (p + k * m4)] = ci[k];
        }
    }
}

/* The last pass when log2 ms is odd: l = 2, no twiddles. */
static void pass2(float *yr, float *yi, size_t os, const float *xr, const float *xi, size_t s)
{
    for (size_t q = 0; q < s; q++) {
        const float ar = xr[q], ai = xi[q], br = xr[q + s], bi = xi[q + s];
        yr[os * q] = ar + br;
        yi[os * q] = ai + bi;
        yr[os * (q + s)] = ar - br;
        yi[os * (q + s)] = ai - bi;
    }
}

/* The Stockham FFT of ms points from (xr, xi, stride is) through the buffers: pass i writes
 * buffer bufs[(n_passes - 1 - i) % 2], the last one (yr, yi, stride os), so the one before the
 * last writes bufs[1] and whatever precedes the first pass writes bufs[n_passes % 2]. */
static void passes(const RfftLayout *lay, const float *tw, const float *xr, const float *xi,
                   size_t is, float *const bufs[2][2], float *yr, float *yi, size_t os)
{
    const int n_passes = lay->n_r4 + lay->has_r2;
    for (int i = 0; i < n_passes; i++) {
        float *outr = i == n_passes - 1 ? yr : bufs[(n_passes - 1 - i) % 2][0];
        float *outi = i == n_passes - 1 ? yi : bufs[(n_passes - 1 - i) % 2][1];
        const size_t ostride = i == n_passes - 1 ? os : 1;
        if (i < lay->n_r4)
            pass4(outr, outi, ostride, xr, xi, is, lay->ms >> (2 * i), (size_t)1 << (2 * i),
                  tw + lay->pass[i], i, lay->ms / 4);
        else
            pass2(outr, outi, ostride, xr, xi, lay->ms / 2);
        xr = outr;
        xi = outi;
        is = 1;
    }
}

/* The four blocks' FFTs with the top pass, each in place in its quarter of the buffers: from
 * (xr, xi) through bufs to (yr, yi), bufs[0] being (yr, yi). */
static void block_passes(const RfftLayout *lay, const float *tw, const float *xr, const float *xi,
                         float *const bufs[2][2])
{
    for (size_t b = 0; b < 4; b++) {
        const size_t o = b * lay->ms;
        float *const sub[2][2] = {{bufs[0][0] + o, bufs[0][1] + o},
                                  {bufs[1][0] + o, bufs[1][1] + o}};
        passes(lay, tw, xr + o, xi + o, 1, sub, sub[0][0], sub[0][1], 1);
    }
}

/* Where Z[k] (0 < k < m) is: k, or with the top pass block k % 4, position k / 4. */
static inline size_t zpos(const RfftLayout *lay, size_t k)
{
    return lay->has_top ? k % 4 * (lay->m / 4) + k / 4 : k;
}

/* W^k / 2 for 1 <= k <= m/2 (see rfft_layout.h; with the top pass W^(64 rh) (W^(4 rl + b) / 2)
 * for k = 4r + b, r = 16 rh + rl, and W^(m/2) / 2 = -i/2). */
static inline void post_twiddle(const RfftLayout *lay, const float *tw, size_t k, float *wr,
                                float *wi)
{
    const size_t h = lay->m / 2;
    if (!lay->has_top) {
        *wr = tw[lay->post + k];
        *wi = tw[lay->post_lo + k];
    } else if (k == h) {
        *wr = 0.0f;
        *wi = -0.5f;
    } else {
        const size_t r = k / 4;
        const float *hi = tw + lay->post + 2 * (r / 16);
        *wr = tw[lay->post_lo + 16 * (k % 4) + r % 16];
        *wi = tw[lay->post_lo + 64 + 16 * (k % 4) + r % 16];
        cmul(wr, wi, hi[0], hi[1]);
    }
}

void cansim_rfft_c(float *restrict re, float *restrict im, const float *restrict x,
                   float *restrict scratch, const float *restrict tw, size_t n)
{
    RfftLayout lay;
    if (!rfft_layout(&lay, n)) {
        assert(!"n is not a power of two in range");
        return;
    }
    assert(IS_ALIGNED(re) && IS_ALIGNED(im) && IS_ALIGNED(x) && IS_ALIGNED(scratch));
    assert(IS_ALIGNED(tw));
    const size_t m = lay.m;
    const size_t nb = CANSIM_RFFT_BINS(n);
    float *const sr = scratch;
    float *const si = scratch + nb;
    const float *zr = re;
    const float *zi = im;
    if (!lay.has_top) {
        float *const bufs[2][2] = {{re, im}, {sr, si}};
        passes(&lay, tw, x, x + 1, 2, bufs, re, im, 1);
    } else {
        /* The top pass into the buffer the blocks' passes start from; they end in scratch. */
        float *const bufs[2][2] = {{sr, si}, {re, im}};
        const int n_passes = lay.n_r4 + lay.has_r2;
        float *const tr = bufs[n_passes % 2][0];
        float *const ti = bufs[n_passes % 2][1];
        top4(tr, ti, x, x + 1, 2, &lay, tw);
        block_passes(&lay, tw, tr, ti, bufs);
        zr = sr;
        zi = si;
    }

    /* Z = FFT(z) at zpos(k) in (zr, zi); with E, O the spectra of the even and odd samples,
     * E = (Z[k] + conj Z[m-k]) / 2, O = (Z[k] - conj Z[m-k]) / 2i, X[k] = E + W^k O and
     * X[m-k] = conj(E - W^k O). In place without the top pass, each pair read before it is
     * written. */
    const float z0r = zr[0], z0i = zi[0];
    for (size_t k = 1; k <= m / 2; k++) {
        const float a = zr[zpos(&lay, k)], b = zi[zpos(&lay, k)];
        const float c = zr[zpos(&lay, m - k)], d = zi[zpos(&lay, m - k)];
        float wr, wi;
        post_twiddle(&lay, tw, k, &wr, &wi);
        const float er = 0.5f * (a + c);
        const float ei = 0.5f * (b - d);
        const float o_r = b + d;
        const float oi = c - a;
        const float tr = o_r * wr - oi * wi;
        const float ti = o_r * wi + oi * wr;
        re[k] = er + tr;
        im[k] = ei + ti;
        re[m - k] = er - tr;
        im[m - k] = ti - ei;
    }
    re[0] = z0r + z0i;
    re[m] = z0r - z0i;
    im[0] = 0.0f;
    im[m] = 0.0f;
    memset(re + m + 1, 0, (nb - m - 1) * sizeof *re);
    memset(im + m + 1, 0, (nb - m - 1) * sizeof *im);
}

void cansim_irfft_c(float *restrict x, const float *restrict re, const float *restrict im,
                    float *restrict scratch, const float *restrict tw, size_t n)
{
    RfftLayout lay;
    if (!rfft_layout(&lay, n)) {
        assert(!"n is not a power of two in range");
        return;
    }
    assert(IS_ALIGNED(re) && IS_ALIGNED(im) && IS_ALIGNED(x) && IS_ALIGNED(scratch));
    assert(IS_ALIGNED(tw));
    const size_t m = lay.m;
    const int n_passes = lay.n_r4 + lay.has_r2;
    float *const sr = scratch;
    float *const si = scratch + CANSIM_RFFT_BINS(n);
    /* Without the top pass the Stockham passes end in x; with it the blocks' end in scratch,
     * and the bottom pass writes x. */
    float *const bufs[2][2] = {{x, x + m}, {sr, si}};
    float *const block_bufs[2][2] = {{sr, si}, {x, x + m}};
    float *const(*const b)[2] = lay.has_top ? block_bufs : bufs;
    /* The inverse is the forward transform of the swapped (im, re) parts, swapped back, so the
     * first buffer gets Z's imaginary parts in its real plane. Z = FFT(z), z[t] = x[2t] +
     * i x[2t+1] (times n), from Z[k] = F + i G conj(W^k), F = X[k] + conj X[m-k],
     * G = X[k] - conj X[m-k]; conj(W^k) = 2 conj(W^k / 2) exactly. Z[k] goes to zpos(k). */
    float *zi = b[n_passes % 2][0];
    float *zr = b[n_passes % 2][1];
    zr[0] = re[0] + re[m];
    zi[0] = re[0] - re[m];
    for (size_t k = 1; k <= m / 2; k++) {
        const float a = re[k], bi = im[k], c = re[m - k], d = im[m - k];
        float wr, wi;
        post_twiddle(&lay, tw, k, &wr, &wi);
        const float fr = a + c, fi = bi - d, gr = a - c, gi = bi + d;
        const float hr = gr * wr + gi * wi;
        const float hi = gi * wr - gr * wi;
        zr[zpos(&lay, k)] = fr - 2.0f * hi;
        zi[zpos(&lay, k)] = fi + 2.0f * hr;
        zr[zpos(&lay, m - k)] = fr + 2.0f * hi;
        zi[zpos(&lay, m - k)] = 2.0f * hr - fi;
    }
    /* Swapped back by the last pass: x[2t] is the real part, the passes' imaginary plane. */
    if (!lay.has_top)
        passes(&lay, tw, zi, zr, 1, bufs, x + 1, x, 2);
    else {
        block_passes(&lay, tw, zi, zr, block_bufs);
        bottom4(x + 1, x, 2, sr, si, &lay, tw);
    }
}

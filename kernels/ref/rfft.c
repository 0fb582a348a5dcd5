/* SPDX-License-Identifier: MIT */
/* C reference of the real FFTs (rfft, irfft) and the twiddle table they share with the SIMD
 * versions: radix-4 Stockham passes over the n/2-point complex transform of the even and odd
 * samples, then the split into the real spectrum (and its reverse, before the inverse). */
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

void cansim_rfft_table(float *tw, size_t n)
{
    RfftLayout lay;
    if (!rfft_layout(&lay, n))
        return;
    const size_t a = lay.m / 4;
    for (int j = 0; j < lay.n_r4; j++) {
        const size_t l = lay.m >> (2 * j);
        float *t = tw + lay.pass[j];
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
    float *post = tw + lay.post;
    for (size_t k = 1; k <= lay.m / 2; k++) {
        const double ang = 6.283185307179586476925 * (double)k / (double)n;
        post[k - 1] = (float)(0.5 * cos(ang));
        post[lay.m / 2 + k - 1] = (float)(-0.5 * sin(ang));
    }
}

/* w^p, w^2p, w^3p of pass j as (re, im) pairs. */
static void pass_twiddles(const float *t, int j, size_t a, size_t p, float w[6])
{
    for (int k = 0; k < 6; k++)
        w[k] = j == 0 ? t[k * a + p] : j == 1 ? t[k * a + 4 * p] : t[6 * p + k];
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
            float ar[4], ai[4];
            for (size_t k = 0; k < 4; k++) {
                ar[k] = xr[is * (q + s * (p + k * m4))];
                ai[k] = xi[is * (q + s * (p + k * m4))];
            }
            const float b0r = ar[0] + ar[2], b0i = ai[0] + ai[2];
            const float b1r = ar[0] - ar[2], b1i = ai[0] - ai[2];
            const float b2r = ar[1] + ar[3], b2i = ai[1] + ai[3];
            const float b3r = ai[1] - ai[3], b3i = ar[3] - ar[1]; /* (a1 - a3) (-i) */
            const float cr[4] = {b0r + b2r, b1r + b3r, b0r - b2r, b1r - b3r};
            const float ci[4] = {b0i + b2i, b1i + b3i, b0i - b2i, b1i - b3i};
            const size_t o = q + s * 4 * p;
            yr[os * o] = cr[0];
            yi[os * o] = ci[0];
            for (size_t k = 1; k < 4; k++) {
                const float wr = w[2 * k - 2];
                const float wi = w[2 * k - 1];
                yr[os * (o + s * k)] = cr[k] * wr - ci[k] * wi;
                yi[os * (o + s * k)] = cr[k] * wi + ci[k] * wr;
            }
        }
    }
}

/* The last pass when log2(n/2) is odd: l = 2, no twiddles. */
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

/* The complex passes from (xr, xi, stride is) through the buffers: pass i writes buffer
 * bufs[(n_passes - 1 - i) % 2], the last one (yr, yi, stride os), so the one before the last
 * writes bufs[1] and whatever precedes the first pass writes bufs[n_passes % 2]. */
static void passes(const RfftLayout *lay, const float *tw, const float *xr, const float *xi,
                   size_t is, float *const bufs[2][2], float *yr, float *yi, size_t os)
{
    const int n_passes = lay->n_r4 + lay->has_r2;
    for (int i = 0; i < n_passes; i++) {
        float *outr = i == n_passes - 1 ? yr : bufs[(n_passes - 1 - i) % 2][0];
        float *outi = i == n_passes - 1 ? yi : bufs[(n_passes - 1 - i) % 2][1];
        const size_t ostride = i == n_passes - 1 ? os : 1;
        if (i < lay->n_r4)
            pass4(outr, outi, ostride, xr, xi, is, lay->m >> (2 * i), (size_t)1 << (2 * i),
                  tw + lay->pass[i], i, lay->m / 4);
        else
            pass2(outr, outi, ostride, xr, xi, lay->m / 2);
        xr = outr;
        xi = outi;
        is = 1;
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
    float *const bufs[2][2] = {{re, im}, {scratch, scratch + CANSIM_RFFT_BINS(n)}};
    passes(&lay, tw, x, x + 1, 2, bufs, re, im, 1);

    /* Z = FFT(z) in re, im; with E, O the spectra of the even and odd samples,
     * E = (Z[k] + conj Z[m-k]) / 2, O = (Z[k] - conj Z[m-k]) / 2i, X[k] = E + W^k O and
     * X[m-k] = conj(E - W^k O). In place, each pair read before it is written. */
    const float *wr = tw + lay.post;
    const float *wi = wr + m / 2;
    const float z0r = re[0], z0i = im[0];
    re[0] = z0r + z0i;
    re[m] = z0r - z0i;
    im[0] = 0.0f;
    im[m] = 0.0f;
    for (size_t k = 1; k <= m / 2; k++) {
        const float a = re[k], b = im[k], c = re[m - k], d = im[m - k];
        const float er = 0.5f * (a + c);
        const float ei = 0.5f * (b - d);
        const float o_r = b + d;
        const float oi = c - a;
        const float tr = o_r * wr[k - 1] - oi * wi[k - 1];
        const float ti = o_r * wi[k - 1] + oi * wr[k - 1];
        re[k] = er + tr;
        im[k] = ei + ti;
        re[m - k] = er - tr;
        im[m - k] = ti - ei;
    }
    const size_t nb = CANSIM_RFFT_BINS(n);
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
    float *const bufs[2][2] = {{x, x + m}, {scratch, scratch + CANSIM_RFFT_BINS(n)}};
    /* The inverse is the forward transform of the swapped (im, re) parts, swapped back, so the
     * first buffer gets Z's imaginary parts in its real plane. Z = FFT(z), z[t] = x[2t] +
     * i x[2t+1] (times n), from Z[k] = F + i G conj(W^k), F = X[k] + conj X[m-k],
     * G = X[k] - conj X[m-k]; conj(W^k) = 2 conj(W^k / 2) exactly. */
    float *zi = bufs[n_passes % 2][0];
    float *zr = bufs[n_passes % 2][1];
    const float *wr = tw + lay.post;
    const float *wi = wr + m / 2;
    zr[0] = re[0] + re[m];
    zi[0] = re[0] - re[m];
    for (size_t k = 1; k <= m / 2; k++) {
        const float a = re[k], b = im[k], c = re[m - k], d = im[m - k];
        const float fr = a + c, fi = b - d, gr = a - c, gi = b + d;
        const float hr = gr * wr[k - 1] + gi * wi[k - 1];
        const float hi = gi * wr[k - 1] - gr * wi[k - 1];
        zr[k] = fr - 2.0f * hi;
        zi[k] = fi + 2.0f * hr;
        zr[m - k] = fr + 2.0f * hi;
        zi[m - k] = 2.0f * hr - fi;
    }
    /* Swapped back by the last pass: x[2t] is the real part, the passes' imaginary plane. */
    passes(&lay, tw, zi, zr, 1, bufs, x + 1, x, 2);
}

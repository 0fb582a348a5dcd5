/* SPDX-License-Identifier: MIT */
/* Where each pass finds its twiddles in the rfft table: shared by the table's filler and every
 * version of the rfft kernels, so they agree on one layout. */
#ifndef CANSIM_RFFT_LAYOUT_H
#define CANSIM_RFFT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "kernels.h"

/* The real transform of n points is a complex one of m = n/2 points (z[t] = x[2t] + i x[2t+1])
 * plus the split into the real spectrum.
 *
 * Below RFFT_TOP_MIN points the complex transform is one Stockham FFT of ms = m points. From
 * RFFT_TOP_MIN on it is cut in four: a top radix-4 pass (decimation in frequency) leaves four
 * independent FFTs of ms = m/4 points in four contiguous blocks, block b holding the sequence
 * whose FFT is Z[4r + b], r < m/4; each block's FFT is then done to completion on a quarter of
 * the data (its passes stay in L1, or in L2, instead of streaming the whole transform), and
 * the split reads Z[k] at block k % 4, position k / 4. Measured on Zen 4 (32 KB L1D, 1 MB L2):
 * 6 to 15 % faster at 16384 points, 20 % at 65536; none at 4096 and 8192, where the passes
 * are bound by the FP and shuffle ports more than by L2 (a pass over 8192 points costs 1 to 1.5
 * times the same pass in L1) and the split's 4-way transposes cost what the blocks save. The
 * inverse is the same in reverse: the unsplit writes block order, the blocks' FFTs, then a bottom
 * radix-4 pass (decimation in time) from the blocks to natural order. These outer passes stream the
 * whole transform through L2, so their twiddles come from small tables, each one the product of two
 * entries: top and bottom (l = m): w^kp for k = 1 .. 3, p < m/4, w = exp(-2 pi i / m), as w^(16 k
 * ph) w^(k pl), p = 16 ph + pl: top, six floats per ph (w^16ph re, im, w^32ph re, im, w^48ph re,
 * im), rounded up to CANSIM_PAD; top_lo, six arrays of 16 floats (w^pl re, im, w^2pl re, im, w^3pl
 * re, im), index pl; the split (k < m/2, k = 4r + b): W^k / 2 as W^(64 rh) (W^(4 rl + b) / 2), r =
 * 16 rh + rl: post, two floats per rh (re, im), rounded up to CANSIM_PAD; post_lo, two arrays of 64
 *     floats (re, im), index 16 b + rl (k = m/2 needs none: W^(m/2) / 2 = -i/2).
 *
 * The Stockham FFT of ms points: radix-4 passes, decimation in frequency, plus a radix-2 pass
 * when log2 ms is odd. Pass j has span s = 4^j and length l = ms / 4^j, and needs w^p, w^2p,
 * w^3p for p < l/4, w = exp(-2 pi i / l):
 *   j = 0: six arrays of ms/4 floats, index p (as the top pass);
 *   j = 1: six arrays of ms/4 floats, index 4p + q for q < 4 (each value four times: the
 *          vector layout of that pass, two or four values of p per vector);
 *   j >= 2: six floats per p, interleaved (broadcast per p), rounded up to CANSIM_PAD.
 * Without the top pass, then post: two arrays of m/2 + 1 floats each rounded up to CANSIM_PAD,
 * re at post and im at post_lo, W^k / 2 at index k for 0 <= k <= m/2, W = exp(-2 pi i / n) (so
 * a 16-float vector of k from a multiple of 16 starts aligned); post_odd: the same values in
 * two arrays of m/2 floats (re, im), W^k / 2 at index k - 1 for 1 <= k <= m/2 (so does an
 * 8-float one of k from 1 + a multiple of 8). */
#define RFFT_MAX_PASSES 9
#define RFFT_TOP_MIN    16384

typedef struct RfftLayout {
    size_t m;
    bool has_top; /* the top (forward) and bottom (inverse) passes, over blocks of ms points */
    size_t ms;    /* the Stockham FFT's size: m, or m/4 with the top pass */
    int n_r4;     /* its radix-4 passes */
    bool has_r2;  /* a last radix-2 pass */
    size_t top;
    size_t top_lo;
    size_t pass[RFFT_MAX_PASSES];
    size_t post;
    size_t post_lo;
    size_t post_odd;
    size_t size;
} RfftLayout;

static inline size_t rfft_pad(size_t v)
{
    return (v + CANSIM_PAD - 1) / CANSIM_PAD * CANSIM_PAD;
}

/* False when n is not a power of two in range. */
static inline bool rfft_layout(RfftLayout *lay, size_t n)
{
    if (n < CANSIM_RFFT_MIN || n > CANSIM_RFFT_MAX || (n & (n - 1)))
        return false;
    lay->m = n / 2;
    lay->has_top = n >= RFFT_TOP_MIN;
    lay->ms = lay->has_top ? lay->m / 4 : lay->m;
    int log2ms = 0;
    while (((size_t)1 << log2ms) < lay->ms)
        log2ms++;
    lay->n_r4 = log2ms / 2;
    lay->has_r2 = log2ms % 2;
    size_t at = 0;
    lay->top = at;
    if (lay->has_top)
        at += rfft_pad(6 * (lay->m / 64));
    lay->top_lo = at;
    if (lay->has_top)
        at += 6 * 16;
    for (int j = 0; j < lay->n_r4; j++) {
        const size_t l = lay->ms >> (2 * j);
        lay->pass[j] = at;
        at += j < 2 ? 6 * (lay->ms / 4) : rfft_pad(6 * (l / 4));
    }
    lay->post = at;
    if (lay->has_top) {
        at += rfft_pad(2 * (lay->m / 128));
        lay->post_lo = at;
        at += 2 * 64;
        lay->post_odd = at;
    } else {
        at += rfft_pad(lay->m / 2 + 1);
        lay->post_lo = at;
        at += rfft_pad(lay->m / 2 + 1);
        lay->post_odd = at;
        at += lay->m;
    }
    lay->size = at;
    return true;
}

#endif

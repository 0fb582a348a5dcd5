/* SPDX-License-Identifier: MIT */
/* Where each pass finds its twiddles in the rfft table: shared by the table's filler and every
 * version of the rfft kernels, so they agree on one layout. */
#ifndef CANSIM_RFFT_LAYOUT_H
#define CANSIM_RFFT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "kernels.h"

/* The real transform of n points is a complex one of m = n/2 points (z[t] = x[2t] + i x[2t+1])
 * by radix-4 Stockham passes, decimation in frequency, plus a radix-2 pass when log2 m is odd,
 * then the split into the real spectrum. Pass j has span s = 4^j and length l = m / 4^j, and
 * needs w^p, w^2p, w^3p for p < l/4, w = exp(-2 pi i / l):
 *   j = 0: six arrays of m/4 floats (w1 re, w1 im, w2 re, w2 im, w3 re, w3 im), index p;
 *   j = 1: six arrays of m/4 floats, index 4p + q for q < 4 (each value four times: the
 *          vector layout of that pass, two or four values of p per vector);
 *   j >= 2: six floats per p, interleaved (broadcast per p), rounded up to CANSIM_PAD.
 * Then post: two arrays of m/2 floats, W^k / 2 at index k - 1 for 1 <= k <= m/2,
 * W = exp(-2 pi i / n). */
#define RFFT_MAX_PASSES 9

typedef struct RfftLayout {
    size_t m;
    int n_r4;    /* radix-4 passes */
    bool has_r2; /* a last radix-2 pass */
    size_t pass[RFFT_MAX_PASSES];
    size_t post;
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
    int log2m = 0;
    while (((size_t)2 << log2m) < n)
        log2m++;
    lay->m = n / 2;
    lay->n_r4 = log2m / 2;
    lay->has_r2 = log2m % 2;
    size_t at = 0;
    for (int j = 0; j < lay->n_r4; j++) {
        const size_t l = lay->m >> (2 * j);
        lay->pass[j] = at;
        at += j < 2 ? 6 * (lay->m / 4) : rfft_pad(6 * (l / 4));
    }
    lay->post = at;
    lay->size = at + lay->m;
    return true;
}

#endif

/* SPDX-License-Identifier: MIT */
/* The finishing kernel's generator (ref/dither.c, x86/dither_*.c): splitmix64, and one TPDF
 * dither value from one of its outputs, in the contract's arithmetic. */
#ifndef CANSIM_DITHER_H
#define CANSIM_DITHER_H

#include <stdint.h>

#define CANSIM_SPLITMIX_GAMMA 0x9E3779B97F4A7C15ull
#define CANSIM_SPLITMIX_M1    0xBF58476D1CE4E5B9ull
#define CANSIM_SPLITMIX_M2    0x94D049BB133111EBull

static inline uint64_t cansim_splitmix(uint64_t *s)
{
    uint64_t z = (*s += CANSIM_SPLITMIX_GAMMA);
    z = (z ^ (z >> 30)) * CANSIM_SPLITMIX_M1;
    z = (z ^ (z >> 27)) * CANSIM_SPLITMIX_M2;
    return z ^ (z >> 31);
}

/* (a - b) 2^-24 2^-15 for a = r >> 40, b = (r >> 16) mod 2^24: each step exact. */
static inline double cansim_tpdf(uint64_t r)
{
    return ((double)(r >> 40) - (double)((r >> 16) & 0xFFFFFFu)) * 0x1p-24 * 0x1p-15;
}

/* One value: (float)((double)x gain + tpdf), the dither drawn when s is not NULL. */
static inline float cansim_dither_one(float x, double gain, uint64_t *s)
{
    double v = (double)x * gain;
    if (s)
        v += cansim_tpdf(cansim_splitmix(s));
    return (float)v;
}

#endif

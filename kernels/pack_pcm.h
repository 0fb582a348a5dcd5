/* SPDX-License-Identifier: MIT */
/* The integer packing's scales and one sample in the contract's arithmetic (ref/pack_pcm.c, and
 * the tails of x86/pack_pcm_*.c). */
#ifndef CANSIM_PACK_PCM_H
#define CANSIM_PACK_PCM_H

#include <math.h>
#include <stdint.h>

/* libsndfile's normalisation factors, 0x7FFF and 0x7FFFFF as floats. */
#define CANSIM_PCM16_SCALE 32767.0f
#define CANSIM_PCM24_SCALE 8388607.0f

/* The low n_bytes bytes of lrintf(x scale), little-endian, at d. */
static inline void cansim_pack_one(unsigned char *d, float x, float scale, int n_bytes)
{
    const uint32_t v = (uint32_t)lrintf(x * scale);
    for (int b = 0; b < n_bytes; b++)
        d[b] = (unsigned char)(v >> (8 * b));
}

#endif

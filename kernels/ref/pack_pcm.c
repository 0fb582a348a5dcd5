/* SPDX-License-Identifier: MIT */
/* C reference of the integer packing: lrintf of the scaled float, its low bytes little-endian,
 * as libsndfile's pcm.c writes normalised floats without clipping. */
#include "kernels.h"
#include "pack_pcm.h"

void cansim_pack_pcm16_c(void *restrict dst, const float *restrict src, size_t n)
{
    unsigned char *d = dst;
    for (size_t i = 0; i < n; i++)
        cansim_pack_one(d + 2 * i, src[i], CANSIM_PCM16_SCALE, 2);
}

void cansim_pack_pcm24_c(void *restrict dst, const float *restrict src, size_t n)
{
    unsigned char *d = dst;
    for (size_t i = 0; i < n; i++)
        cansim_pack_one(d + 3 * i, src[i], CANSIM_PCM24_SCALE, 3);
}

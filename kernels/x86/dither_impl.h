/* SPDX-License-Identifier: MIT */
/* The finishing kernel's SIMD body, written once over W lanes of doubles: dither_avx2.c and
 * dither_avx512.c include this after defining W, VI (W 64-bit integers), VD (W doubles) and
 * their operations: vset64, vadd64, vsub64, vmul64 (mod 2^64), vxor, vand, vsrl, vlanes
 * (1 .. W), vsmall (lanes holding integers of magnitude under 2^31 to doubles), vsetd, vaddd,
 * vmuld, vloadf (W floats to doubles) and vstoref (doubles rounded to W floats). The lanes take
 * the generator's outputs side by side (state + k gamma for lane k); the rest is the
 * reference's arithmetic (ref/dither.c), built with -ffp-contract=off so the gain's product is
 * rounded before its sum. The dither value (a - b) 2^-24 2^-15 is computed as the integer
 * a - b (|a - b| < 2^24) converted once and scaled by 2^-39: every step exact either way, so
 * the same double. */
#include "dither.h"

static inline VI mix(VI z)
{
    z = vmul64(vxor(z, vsrl(z, 30)), vset64(CANSIM_SPLITMIX_M1));
    z = vmul64(vxor(z, vsrl(z, 27)), vset64(CANSIM_SPLITMIX_M2));
    return vxor(z, vsrl(z, 31));
}

static void gain_dither(float *dst, const float *src, size_t n, double gain, uint64_t *state)
{
    const VD g = vsetd(gain);
    size_t i = 0;
    if (state) {
        const uint64_t s0 = *state;
        VI s = vadd64(vset64(s0), vmul64(vlanes(), vset64(CANSIM_SPLITMIX_GAMMA)));
        const VI step = vset64(W * CANSIM_SPLITMIX_GAMMA), m24 = vset64(0xFFFFFF);
        const VD lsb = vsetd(0x1p-39);
        for (; i + W <= n; i += W) {
            const VI r = mix(s);
            s = vadd64(s, step);
            const VD d = vmuld(vsmall(vsub64(vsrl(r, 40), vand(vsrl(r, 16), m24))), lsb);
            vstoref(dst + i, vaddd(vmuld(vloadf(src + i), g), d));
        }
        *state = s0 + (uint64_t)i * CANSIM_SPLITMIX_GAMMA;
    } else {
        for (; i + W <= n; i += W)
            vstoref(dst + i, vmuld(vloadf(src + i), g));
    }
    for (; i < n; i++)
        dst[i] = cansim_dither_one(src[i], gain, state);
}

/* SPDX-License-Identifier: MIT */
/* BS.1770's gating on the loudness prediction's frame energies (loudness.c), and how far the
 * prediction can be trusted.
 *
 * The prediction knows each 200 ms frame's energy E_m, not each 100 ms segment's: a 400 ms
 * gating block is taken as 0.5 E_k + E_k+1 + E_k+2 + E_k+3 + 0.5 E_k+4, the signal's energy
 * under a window that rises over the 200 ms around the block's start and falls over the 200
 * ms around its end. Summed over blocks that is exact, so on material whose every block
 * passes the gates the prediction is as good as its spectra. Where the gates drop blocks it is
 * not: a loud block's energy leaks into a quiet neighbour, which then passes the relative gate
 * (-10 LU) when its exact energy would not, or the gated-out block takes energy from the
 * blocks kept. Measured (a 45 Hz tone gated 0.5 s on, 0.5 s off, with hi-hats 20 dB under
 * it, at -28 LUFS): the input's own prediction is -28.93 LUFS for -28.00, and outputs miss
 * their level by up to 0.94 LU; a quiet bass verse before a loud chorus, 0.34 LU. The
 * spectral resolution (5 Hz bins) and the K-weighting are not the cause: the same frames
 * windowed in time from the exact K-weighted output give the same misses (0.92 of the 0.94).
 *
 * A block's exact energy lies between two bounds the frames give: the three frames inside
 * the block (narrow) and all five that touch it (wide). When the gates keep the same blocks
 * whichever way the blocks are estimated, the prediction stands; when choosing the blocks by
 * the narrow or the wide estimate moves the loudness (of the input or of the output, or the
 * change between them) by more than LEVEL_TRUST_LU, the output is flagged, and the renderer
 * meters it instead (render.c). */
#include <math.h>

#include "loudness.h"

/* Above this the prediction's error budget (spectra 0.02 LU, meter 0.1 LU) is spent. */
#define LEVEL_TRUST_LU 0.05

enum { KERNEL_STD, KERNEL_NARROW, KERNEL_WIDE, N_KERNELS };

/* Each block's weights over its five frames: the standard estimate, the three inner frames
 * and all five, the last two scaled to the same total weight. */
static const double kernels[N_KERNELS][5] = {{0.5, 1.0, 1.0, 1.0, 0.5},
                                             {0.0, 4.0 / 3.0, 4.0 / 3.0, 4.0 / 3.0, 0.0},
                                             {0.8, 0.8, 0.8, 0.8, 0.8}};

static double block_energy(const double *e, size_t k, int kernel, double scale)
{
    const double *w = kernels[kernel];
    return scale *
           (w[0] * e[k] + w[1] * e[k + 1] + w[2] * e[k + 2] + w[3] * e[k + 3] + w[4] * e[k + 4]);
}

/* Integrated loudness from the blocks' energies by kernel ke, the blocks kept being those the
 * gates keep when their energies are estimated by kernel kd. */
static double gated(const double *e, size_t n_e, size_t hop, int ke, int kd)
{
    if (n_e < 5)
        return -HUGE_VAL;
    const size_t n_blocks = n_e - 1 - 3;
    const double z_abs = pow(10.0, (-70.0 + 0.691) / 10.0);
    const double scale = 1.0 / (4.0 * (double)hop);
    double z_rel = 0.0;
    for (int pass = 0; pass < 2; pass++) {
        double sum_d = 0.0, sum_e = 0.0;
        size_t cnt = 0;
        for (size_t k = 0; k < n_blocks; k++) {
            const double zd = block_energy(e, k, kd, scale);
            if (zd >= z_abs && zd >= z_rel) {
                sum_d += zd;
                sum_e += ke == kd ? zd : block_energy(e, k, ke, scale);
                cnt++;
            }
        }
        if (!cnt)
            return -HUGE_VAL;
        if (pass)
            return -0.691 + 10.0 * log10(sum_e / (double)cnt);
        z_rel = 0.1 * sum_d / (double)cnt;
    }
    return -HUGE_VAL; /* not reached */
}

double cansim_level_block(const double *e, size_t k, size_t hop)
{
    return block_energy(e, k, KERNEL_STD, 1.0 / (4.0 * (double)hop));
}

double cansim_level_gate(const double *e, size_t n_e, size_t hop)
{
    if (n_e < 5)
        return HUGE_VAL;
    const double z_abs = pow(10.0, (-70.0 + 0.691) / 10.0);
    double sum = 0.0;
    size_t cnt = 0;
    for (size_t k = 0; k + 4 < n_e; k++) {
        const double z = cansim_level_block(e, k, hop);
        if (z >= z_abs) {
            sum += z;
            cnt++;
        }
    }
    if (!cnt)
        return HUGE_VAL;
    const double z_rel = 0.1 * sum / (double)cnt;
    return z_rel > z_abs ? z_rel : z_abs;
}

double cansim_level_gated(const double *e, size_t n_e, size_t hop)
{
    return gated(e, n_e, hop, KERNEL_STD, KERNEL_STD);
}

/* |a - b| in LU; 0 when both are the same (-inf included), +inf when one only is finite. */
static double lu_diff(double a, double b)
{
    if (a == b)
        return 0.0;
    if (!isfinite(a) || !isfinite(b))
        return HUGE_VAL;
    return fabs(a - b);
}

double cansim_level_gate_doubt(const double *e, size_t n_e, size_t hop)
{
    const double l = gated(e, n_e, hop, KERNEL_STD, KERNEL_STD);
    double d = 0.0;
    for (int k = KERNEL_NARROW; k < N_KERNELS; k++)
        d = fmax(d, lu_diff(gated(e, n_e, hop, KERNEL_STD, k), l));
    return d;
}

bool cansim_level_is_unsure(const double *out, const double *in, size_t n_e, size_t hop,
                            double in_doubt)
{
    const double l_in = gated(in, n_e, hop, KERNEL_STD, KERNEL_STD);
    if (!isfinite(l_in))
        return false; /* an input below the gate: no level plan to doubt (render.c) */
    if (in_doubt + cansim_level_gate_doubt(out, n_e, hop) > LEVEL_TRUST_LU)
        return true;
    /* The change output - input by each kernel, blocks and energies alike. */
    const double change = gated(out, n_e, hop, KERNEL_STD, KERNEL_STD) - l_in;
    for (int k = KERNEL_NARROW; k < N_KERNELS; k++) {
        const double c = gated(out, n_e, hop, k, k) - gated(in, n_e, hop, k, k);
        if (lu_diff(c, change) > LEVEL_TRUST_LU)
            return true;
    }
    return false;
}

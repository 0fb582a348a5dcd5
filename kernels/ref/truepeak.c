/* SPDX-License-Identifier: MIT */
/* C reference of the true-peak kernel (truepeak2), the interpolation filter it runs
 * (libebur128's), and the sample peak kernel (peak). */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "kernels.h"

#define FILTER_TAPS 49
#define PI          3.14159265358979323846

/* BS.1770-4 Annex 2 leaves the interpolation filter open. libebur128's interp_create() evaluates
 * each coefficient in double in this order, with the same libm, so the floats here are its
 * doubles rounded once; the coefficients it drops as zero (|c| <= 1e-6: sin(m pi / factor) at
 * the sinc's zeros, ~1e-17) stay 0. */
void cansim_truepeak_coefs(float *h, int factor)
{
    assert(factor == 1 || factor == 2 || factor == 4);
    const int taps = CANSIM_TP_TAPS(factor);
    memset(h, 0, (size_t)(factor * taps) * sizeof *h);
    if (factor == 1) {
        h[0] = 1.0f;
        return;
    }
    for (int j = 0; j < FILTER_TAPS; j++) {
        const double m = (double)j - (double)(FILTER_TAPS - 1) / 2.0;
        double c = 1.0;
        if (j != (FILTER_TAPS - 1) / 2)
            c = sin(m * PI / factor) / (m * PI / factor);
        c *= 0.5 * (1 - cos(2 * PI * j / (FILTER_TAPS - 1)));
        if (fabs(c) > 1e-6)
            h[(j % factor) * taps + j / factor] = (float)c;
    }
}

float cansim_truepeak2_c(const float *x, size_t n_frames, const float *h, int factor)
{
    assert(factor == 1 || factor == 2 || factor == 4);
    const int taps = CANSIM_TP_TAPS(factor);
    float peak = 0.0f;
    for (size_t n = 0; n < n_frames; n++) {
        const float *xn = x + 2 * n;
        for (int p = 0; p < factor; p++) {
            const float *hp = h + p * taps;
            float y_l = 0.0f;
            float y_r = 0.0f;
            for (int k = 0; k < taps; k++) {
                y_l += hp[k] * xn[-2 * k];
                y_r += hp[k] * xn[-2 * k + 1];
            }
            const float a_l = fabsf(y_l);
            const float a_r = fabsf(y_r);
            peak = a_l > peak ? a_l : peak;
            peak = a_r > peak ? a_r : peak;
        }
    }
    return peak;
}

uint32_t cansim_peak_c(const float *x, size_t n, uint32_t peak)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, x + i, sizeof u);
        u &= 0x7FFFFFFFu;
        peak = u > peak ? u : peak;
    }
    return peak;
}

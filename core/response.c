/* SPDX-License-Identifier: MIT */
/* A profile cell's magnitude response on a frequency grid, fractional-octave smoothed: what a
 * plot of the filter draws (the audition page). */
#include <fftw3.h>
#include <math.h>
#include <string.h>

#include "fft.h"
#include "profile_object.h"

/* The transform's power at fractional bin x (between bins, interpolated). */
static double power_at(const double *pw, double x)
{
    const size_t k = (size_t)x;
    return pw[k] + (pw[k + 1] - pw[k]) * (x - (double)k);
}

int cansim_profile_magnitude_db(const CansimProfile *p, enum CansimCell cell, double smooth_oct,
                                const double *hz, double *db, size_t n, CansimDiag *diag)
{
    if (p->is_curve)
        return cansim_diag_set(diag, CANSIM_EINVAL,
                               "%s: a curve profile has no taps yet (design it first)", p->id);
    if ((int)cell < 0 || (int)cell > 3 || !p->cells[cell])
        return cansim_diag_set(diag, CANSIM_EINVAL, "%s: cell %d is empty", p->id, (int)cell);
    if (!(smooth_oct >= 0.0 && smooth_oct <= 4.0))
        return cansim_diag_set(diag, CANSIM_EINVAL, "%s: smoothing of %g octaves", p->id,
                               smooth_oct);
    for (size_t i = 0; i < n; i++)
        if (!(hz[i] > 0.0 && isfinite(hz[i])))
            return cansim_diag_set(diag, CANSIM_EINVAL, "%s: frequency %g Hz", p->id, hz[i]);
    const double rate_hz = p->rate_hz;
    /* A point per hertz or finer, so the narrowest band of a plot (1/12 octave at 20 Hz)
     * holds one. */
    size_t m = 1;
    while (m < p->n_taps || (double)m < rate_hz)
        m <<= 1;
    float *x = fftwf_malloc(m * sizeof *x);
    fftwf_complex *y = fftwf_malloc((m / 2 + 1) * sizeof *y);
    double *pw = fftwf_malloc((m / 2 + 1) * sizeof *pw);
    fftwf_plan plan = NULL;
    int e = x && y && pw ? CANSIM_OK : CANSIM_ENOMEM;
    if (!e) {
        plan = cansim_fft_plan_r2c((int)m, x, y, 0);
        e = plan ? CANSIM_OK : CANSIM_EINTERNAL;
    }
    if (!e) {
        memset(x, 0, m * sizeof *x);
        memcpy(x, p->cells[cell], p->n_taps * sizeof *x);
        fftwf_execute(plan);
        for (size_t k = 0; k <= m / 2; k++) {
            const double re = (double)y[k][0], im = (double)y[k][1];
            pw[k] = re * re + im * im;
        }
        const double df = rate_hz / (double)m;
        const double half = pow(2.0, smooth_oct / 2);
        for (size_t i = 0; i < n; i++) {
            const double hi = hz[i] * half;
            if (hi >= rate_hz / 2) {
                db[i] = (double)NAN;
                continue;
            }
            const size_t k0 = (size_t)ceil(hz[i] / half / df), k1 = (size_t)floor(hi / df);
            double s = 0.0;
            if (k1 >= k0) {
                for (size_t k = k0; k <= k1; k++)
                    s += pw[k];
                s /= (double)(k1 - k0 + 1);
            } else {
                s = power_at(pw, hz[i] / df);
            }
            db[i] = 10.0 * log10(fmax(s, 1e-12));
        }
    }
    cansim_fft_destroy(plan);
    fftwf_free(x);
    fftwf_free(y);
    fftwf_free(pw);
    if (e == CANSIM_ENOMEM)
        return cansim_diag_set(diag, e, "%s: out of memory for its response", p->id);
    if (e)
        return cansim_diag_set(diag, e, "%s: FFTW could not plan a %zu-point transform", p->id, m);
    return CANSIM_OK;
}

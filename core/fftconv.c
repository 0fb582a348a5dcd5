/* SPDX-License-Identifier: MIT */
/* Linear convolution of two filters by one FFT, for designs whose filters are too long for a
 * direct sum (a room's tail through an equalisation). */
#include <fftw3.h>
#include <string.h>

#include "fftconv.h"

int cansim_fft_convolve(const float *a, size_t na, const float *b, size_t nb, float *out)
{
    const size_t n_out = na + nb - 1;
    size_t n = 64;
    while (n < n_out)
        n *= 2;
    const size_t n_bins = n / 2 + 1;
    float *x = fftwf_malloc(n * sizeof *x);
    fftwf_complex *fa = fftwf_malloc(n_bins * sizeof *fa);
    fftwf_complex *fb = fftwf_malloc(n_bins * sizeof *fb);
    fftwf_plan fwd_a = NULL, fwd_b = NULL, inv = NULL;
    int e = x && fa && fb ? CANSIM_OK : CANSIM_ENOMEM;
    if (!e) {
#pragma omp critical(cansim_fftw_planner)
        {
            fwd_a = fftwf_plan_dft_r2c_1d((int)n, x, fa, FFTW_ESTIMATE);
            fwd_b = fftwf_plan_dft_r2c_1d((int)n, x, fb, FFTW_ESTIMATE);
            inv = fftwf_plan_dft_c2r_1d((int)n, fa, x, FFTW_ESTIMATE | FFTW_DESTROY_INPUT);
        }
        e = fwd_a && fwd_b && inv ? CANSIM_OK : CANSIM_EINTERNAL;
    }
    if (!e) {
        memset(x, 0, n * sizeof *x);
        memcpy(x, a, na * sizeof *x);
        fftwf_execute(fwd_a);
        memset(x, 0, n * sizeof *x);
        memcpy(x, b, nb * sizeof *x);
        fftwf_execute(fwd_b);
        /* The products in double: the product of two spectra, each already rounded once. */
        for (size_t k = 0; k < n_bins; k++) {
            const double ar = (double)fa[k][0], ai = (double)fa[k][1], br = (double)fb[k][0],
                         bi = (double)fb[k][1];
            fa[k][0] = (float)(ar * br - ai * bi);
            fa[k][1] = (float)(ar * bi + ai * br);
        }
        fftwf_execute(inv);
        const float s = 1.0f / (float)n;
        for (size_t i = 0; i < n_out; i++)
            out[i] = x[i] * s;
    }
#pragma omp critical(cansim_fftw_planner)
    {
        if (fwd_a)
            fftwf_destroy_plan(fwd_a);
        if (fwd_b)
            fftwf_destroy_plan(fwd_b);
        if (inv)
            fftwf_destroy_plan(inv);
    }
    fftwf_free(x);
    fftwf_free(fa);
    fftwf_free(fb);
    return e;
}

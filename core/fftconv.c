/* SPDX-License-Identifier: MIT */
/* Linear convolution of two filters by one FFT, for designs whose filters are too long for a
 * direct sum (a room's tail through an equalisation). */
#include <fftw3.h>
#include <string.h>

#include "fft.h"
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
        fwd_a = cansim_fft_plan_r2c((int)n, x, fa, 0);
        fwd_b = cansim_fft_plan_r2c((int)n, x, fb, 0);
        inv = cansim_fft_plan_c2r((int)n, fa, x, FFTW_DESTROY_INPUT);
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
    cansim_fft_destroy(fwd_a);
    cansim_fft_destroy(fwd_b);
    cansim_fft_destroy(inv);
    fftwf_free(x);
    fftwf_free(fa);
    fftwf_free(fb);
    return e;
}

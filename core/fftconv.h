/* SPDX-License-Identifier: MIT */
/* Linear convolution of two filters by one FFT (design time, not the render engine). */
#ifndef CANSIM_FFTCONV_H
#define CANSIM_FFTCONV_H

#include "internal.h"

/* out (na + nb - 1 floats, the caller's) = a * b, through FFTW in single precision with its
 * plans made under the planner lock (fft.c). Returns CANSIM_OK, CANSIM_ENOMEM or
 * CANSIM_EINTERNAL (FFTW could not plan). */
int cansim_fft_convolve(const float *a, size_t na, const float *b, size_t nb, float *out);

#endif

/* SPDX-License-Identifier: MIT */
/* FFTW plans made and destroyed under one planner lock: FFTW's planner is not thread-safe,
 * only its new-array execute calls are. Every plan of the library goes through here. */
#ifndef CANSIM_FFT_H
#define CANSIM_FFT_H

#include <fftw3.h>

/* Plans of n points (FFTW_ESTIMATE with the extra flags given: it leaves the arrays alone and
 * takes microseconds); NULL when FFTW cannot plan. */
fftwf_plan cansim_fft_plan_r2c(int n, float *in, fftwf_complex *out, unsigned flags);
fftwf_plan cansim_fft_plan_c2r(int n, fftwf_complex *in, float *out, unsigned flags);
/* Split spectra: re and im in separate arrays of n / 2 + 1 bins (FFTW's guru interface). */
fftwf_plan cansim_fft_plan_split_r2c(int n, float *in, float *re, float *im, unsigned flags);
fftwf_plan cansim_fft_plan_split_c2r(int n, float *re, float *im, float *out, unsigned flags);

/* Destroys p (NULL allowed). */
void cansim_fft_destroy(fftwf_plan p);

#endif

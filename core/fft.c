/* SPDX-License-Identifier: MIT */
/* FFTW plans under the library's one planner lock. */
#include "fft.h"

fftwf_plan cansim_fft_plan_r2c(int n, float *in, fftwf_complex *out, unsigned flags)
{
    fftwf_plan p;
#pragma omp critical(cansim_fftw_planner)
    p = fftwf_plan_dft_r2c_1d(n, in, out, FFTW_ESTIMATE | flags);
    return p;
}

fftwf_plan cansim_fft_plan_c2r(int n, fftwf_complex *in, float *out, unsigned flags)
{
    fftwf_plan p;
#pragma omp critical(cansim_fftw_planner)
    p = fftwf_plan_dft_c2r_1d(n, in, out, FFTW_ESTIMATE | flags);
    return p;
}

fftwf_plan cansim_fft_plan_split_r2c(int n, float *in, float *re, float *im, unsigned flags)
{
    const fftwf_iodim dim = {.n = n, .is = 1, .os = 1};
    fftwf_plan p;
#pragma omp critical(cansim_fftw_planner)
    p = fftwf_plan_guru_split_dft_r2c(1, &dim, 0, NULL, in, re, im, FFTW_ESTIMATE | flags);
    return p;
}

fftwf_plan cansim_fft_plan_split_c2r(int n, float *re, float *im, float *out, unsigned flags)
{
    const fftwf_iodim dim = {.n = n, .is = 1, .os = 1};
    fftwf_plan p;
#pragma omp critical(cansim_fftw_planner)
    p = fftwf_plan_guru_split_dft_c2r(1, &dim, 0, NULL, re, im, out, FFTW_ESTIMATE | flags);
    return p;
}

void cansim_fft_destroy(fftwf_plan p)
{
    if (!p)
        return;
#pragma omp critical(cansim_fftw_planner)
    fftwf_destroy_plan(p);
}

/* SPDX-License-Identifier: MIT */
/* Internal: the x86 half of cansim_kernels_init(). */
#ifndef CANSIM_INIT_X86_H
#define CANSIM_INIT_X86_H

#include "kernels.h"

/* Climbs AVX2 then AVX-512; the last assignment wins. */
void cansim_kernels_init_x86(CansimKernels *k, unsigned cpu_flags);

#if defined(CANSIM_BROKEN_KERNEL)
/* Test only: drops the last 16 bins whenever n >= 32, an unroll-tail bug the harness must catch. */
cansim_cmac_fn cansim_cmac_broken_avx2;
/* Test only: conjugates the upper half of the spectrum from 4096 points on. */
cansim_rfft_fn cansim_rfft_broken_avx2;
#endif

#endif

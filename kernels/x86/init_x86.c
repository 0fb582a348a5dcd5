/* SPDX-License-Identifier: MIT */
/* The x86 cascade of the kernel table: AVX2 versions, then AVX-512 ones. */
#include "init_x86.h"

void cansim_kernels_init_x86(CansimKernels *k, unsigned cpu_flags)
{
    if (!(cpu_flags & CANSIM_CPU_AVX2))
        return;
#if defined(CANSIM_BROKEN_KERNEL)
    k->cmac = cansim_cmac_broken_avx2;
#else
    k->cmac = cansim_cmac_avx2;
#endif
    k->cmac2x2 = cansim_cmac2x2_avx2;
    k->deinterleave2 = cansim_deinterleave2_avx2;
    k->interleave2 = cansim_interleave2_avx2;
    k->gain = cansim_gain_avx2;
    k->sumdiff = cansim_sumdiff_avx2;
    k->interleave2_ms = cansim_interleave2_ms_avx2;
    k->cexp = cansim_cexp_avx2;
    k->vlog = cansim_vlog_avx2;
    k->truepeak2 = cansim_truepeak2_avx2;
    k->peak = cansim_peak_avx2;
#if defined(CANSIM_BROKEN_KERNEL)
    k->rfft = cansim_rfft_broken_avx2;
#else
    k->rfft = cansim_rfft_avx2;
#endif
    k->irfft = cansim_irfft_avx2;
    k->wlanes = cansim_wlanes_avx2;
    k->gain_dither = cansim_gain_dither_avx2;
    k->pack_pcm16 = cansim_pack_pcm16_avx2;
    k->pack_pcm24 = cansim_pack_pcm24_avx2;

    if (!(cpu_flags & CANSIM_CPU_AVX512))
        return;
    k->cmac = cansim_cmac_avx512;
    k->cmac2x2 = cansim_cmac2x2_avx512;
    k->deinterleave2 = cansim_deinterleave2_avx512;
    k->interleave2 = cansim_interleave2_avx512;
    k->gain = cansim_gain_avx512;
    k->sumdiff = cansim_sumdiff_avx512;
    k->interleave2_ms = cansim_interleave2_ms_avx512;
    k->cexp = cansim_cexp_avx512;
    k->vlog = cansim_vlog_avx512;
    k->truepeak2 = cansim_truepeak2_avx512;
    k->peak = cansim_peak_avx512;
    k->rfft = cansim_rfft_avx512;
    k->irfft = cansim_irfft_avx512;
    k->wlanes = cansim_wlanes_avx512;
    k->gain_dither = cansim_gain_dither_avx512;
    k->pack_pcm16 = cansim_pack_pcm16_avx512;
    k->pack_pcm24 = cansim_pack_pcm24_avx512;
}

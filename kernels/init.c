/* SPDX-License-Identifier: MIT */
/* Fills the kernel table: every C version first, then the per-arch cascade. */
#include "kernels.h"

#if defined(CANSIM_ARCH_X86)
#include "x86/init_x86.h"
#endif

void cansim_kernels_init(CansimKernels *k, unsigned cpu_flags)
{
    k->cmac = cansim_cmac_c;
    k->cmac2x2 = cansim_cmac2x2_c;
    k->deinterleave2 = cansim_deinterleave2_c;
    k->interleave2 = cansim_interleave2_c;
    k->gain = cansim_gain_c;
    k->sumdiff = cansim_sumdiff_c;
    k->interleave2_ms = cansim_interleave2_ms_c;
    k->cexp = cansim_cexp_c;
    k->vlog = cansim_vlog_c;
    k->truepeak2 = cansim_truepeak2_c;
    k->peak = cansim_peak_c;
    k->rfft = cansim_rfft_c;
    k->irfft = cansim_irfft_c;
    k->wlanes = cansim_wlanes_c;
    k->gain_dither = cansim_gain_dither_c;
    k->pack_pcm16 = cansim_pack_pcm16_c;
    k->pack_pcm24 = cansim_pack_pcm24_c;

#if defined(CANSIM_ARCH_X86)
    cansim_kernels_init_x86(k, cpu_flags);
#else
    (void)cpu_flags;
#endif
}

/* SPDX-License-Identifier: MIT */
/* Flush-to-zero and denormals-are-zero through MXCSR, which is per-thread state. */
#include <xmmintrin.h>

#include "kernels.h"

#define MXCSR_DAZ (1u << 6)
#define MXCSR_FTZ (1u << 15)

unsigned cansim_fpu_ftz_enter(void)
{
    const unsigned csr = _mm_getcsr();
    _mm_setcsr(csr | MXCSR_FTZ | MXCSR_DAZ);
    return csr;
}

/* Restores only the two mode bits, so exception flags raised meanwhile survive. */
void cansim_fpu_restore(unsigned state)
{
    const unsigned mask = MXCSR_FTZ | MXCSR_DAZ;
    _mm_setcsr((_mm_getcsr() & ~mask) | (state & mask));
}

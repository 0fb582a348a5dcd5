/* SPDX-License-Identifier: MIT */
/* Denormal control where cansim has no arch code: a no-op, so results may differ in speed only. */
#include "kernels.h"

unsigned cansim_fpu_ftz_enter(void)
{
    return 0;
}

void cansim_fpu_restore(unsigned state)
{
    (void)state;
}

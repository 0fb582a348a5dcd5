/* SPDX-License-Identifier: MIT */
/* The public face of CPU detection and the --cpu names. */
#include <string.h>

#include "internal.h"
#include "kernels.h"

unsigned cansim_cpu_flags(void)
{
    return cansim_cpu_detect();
}

const char *cansim_cpu_name(unsigned flags)
{
    return cansim_cpu_level_name(flags);
}

int cansim_cpu_mask_from_name(const char *name, unsigned *mask)
{
    static const struct {
        const char *name;
        unsigned mask;
    } levels[] = {
        {"auto", ~0u},
        {"c", 0},
        {"avx2", CANSIM_CPU_AVX2},
        {"avx512", CANSIM_CPU_AVX2 | CANSIM_CPU_AVX512},
        {"neon", CANSIM_CPU_NEON},
    };
    for (size_t i = 0; name && i < sizeof levels / sizeof levels[0]; i++)
        if (!strcmp(name, levels[i].name)) {
            *mask = levels[i].mask;
            return CANSIM_OK;
        }
    return CANSIM_EINVAL;
}

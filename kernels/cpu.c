/* SPDX-License-Identifier: MIT */
/* CPU detection into cansim's cumulative flag bits, and their names. */
#include "kernels.h"

unsigned cansim_cpu_detect(void)
{
    unsigned flags = 0;
#if defined(CANSIM_ARCH_X86)
    /* gcc's and clang's runtimes test the XCR0 bits too, so a feature is reported only when the
     * OS saves its register state. Only levels with compiled versions are reported. */
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        flags |= CANSIM_CPU_AVX2;
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
            __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
            __builtin_cpu_supports("avx512vl"))
            flags |= CANSIM_CPU_AVX512;
    }
#elif defined(__aarch64__)
    flags |= CANSIM_CPU_NEON; /* mandatory in AArch64 */
#endif
    return flags;
}

const char *cansim_cpu_level_name(unsigned cpu_flags)
{
    if (cpu_flags & CANSIM_CPU_AVX512)
        return "avx512";
    if (cpu_flags & CANSIM_CPU_AVX2)
        return "avx2";
    if (cpu_flags & CANSIM_CPU_NEON)
        return "neon";
    return "c";
}

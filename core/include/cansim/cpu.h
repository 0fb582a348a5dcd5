/* SPDX-License-Identifier: MIT */
/* cansim's CPU levels: cumulative bits, the one definition shared by the public API
 * (CansimEngineConfig.cpu_mask) and the kernel table (kernels/kernels.h includes this). */
#ifndef CANSIM_CPU_H
#define CANSIM_CPU_H

#define CANSIM_CPU_AVX2   (1u << 0) /**< AVX2 + FMA, OS saves YMM state */
#define CANSIM_CPU_AVX512 (1u << 1) /**< F/CD/BW/DQ/VL, OS saves ZMM + opmask; implies AVX2 */
#define CANSIM_CPU_NEON   (1u << 2) /**< NEON */

#endif

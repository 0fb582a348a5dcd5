/* SPDX-License-Identifier: MIT */
/* cansim's CPU levels: cumulative bits, defined once. The kernel layer owns them (its table is
 * chosen by them: kernels/kernels.h includes this file); the library installs this header beside
 * cansim/cansim.h, which includes it, for CansimEngineConfig.cpu_mask. It includes nothing. */
#ifndef CANSIM_CPU_H
#define CANSIM_CPU_H

#define CANSIM_CPU_AVX2   (1u << 0) /**< AVX2 + FMA, OS saves YMM state */
#define CANSIM_CPU_AVX512 (1u << 1) /**< F/CD/BW/DQ/VL, OS saves ZMM + opmask; implies AVX2 */
#define CANSIM_CPU_NEON   (1u << 2) /**< NEON */

#endif

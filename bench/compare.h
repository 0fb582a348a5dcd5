/* SPDX-License-Identifier: MIT */
/* cansim-bench --compare: two Google Benchmark JSON files judged by their same-run ratios. */
#ifndef CANSIM_BENCH_COMPARE_H
#define CANSIM_BENCH_COMPARE_H

/* The default --threshold: a same-run ratio worse by more than this fraction is a regression.
 * Measured on the project's shared 2-vCPU VM, unchanged code, 8 quick runs on a quiet machine:
 * a kernel's speedup_vs_c moved 2.5% at the median and at most 14% for every kernel but gain.
 * 20% sits above that and below the regressions worth a look (a lost vector width or unroll
 * costs 30% or more). Runs whose machine was busy, and speedups whose own repetitions disagree
 * by more than the threshold, are not judged (compare.c). What remains: gain at 256 and 1024
 * samples, a few ns a call, whose C and SIMD times both jump by 20-30% in episodes on this VM,
 * falsely flagged in 7 of 56 pairs of those runs; re-run before believing a lone flag. */
#define CANSIM_COMPARE_THRESHOLD 0.20

/* Matches the benchmarks of base_path and new_path by name and judges each same-run ratio both
 * carry (speedup_vs_c of a kernel version; ratio_vs_io_floor, speedup_vs_naive and
 * speedup_vs_1_thread of the end-to-end runs): a regression when it got worse by more than
 * threshold (0 < threshold < 1), i.e. new / base < 1 - threshold for a higher-is-better ratio.
 * Not judged, only shown: ratios from a busy machine, kernel speedups whose repetitions disagree
 * by more than threshold, and the renders of --quick runs. Raw time ratios are printed too, for
 * information only. Prints a table on stdout.
 * Returns 0 without regressions, 1 with some, 2 when a file cannot be read or parsed or the two
 * have no benchmark in common. */
int cansim_bench_compare(const char *base_path, const char *new_path, double threshold);

#endif

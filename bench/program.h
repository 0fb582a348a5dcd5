/* SPDX-License-Identifier: MIT */
/* Running another program of the build (cansim-synth, cansim-bench-render) and waiting for it. */
#ifndef CANSIM_BENCH_PROGRAM_H
#define CANSIM_BENCH_PROGRAM_H

/* Runs argv[0] (a path) with argv and this process's environment, after flushing stdio, and
 * waits for it. Returns its exit status, or -1 when it could not be started or died (the reason
 * printed on stderr as "<prog>: ..."). */
int bench_run_program(const char *prog, char *const argv[]);

#endif

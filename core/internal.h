/* SPDX-License-Identifier: MIT */
/* Internal helpers shared by the core's translation units. */
#ifndef CANSIM_INTERNAL_H
#define CANSIM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cansim/cansim.h"
#include "kernels.h"

#if defined(__GNUC__)
#define CANSIM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CANSIM_PRINTF(f, a)
#endif

/* Writes one line into diag (NULL allowed); returns code so callers can `return diag_set(...)`. */
int cansim_diag_set(CansimDiag *diag, int code, const char *fmt, ...) CANSIM_PRINTF(3, 4);

/* 64-byte aligned, zeroed; n_bytes 0 gives a valid pointer. */
void *cansim_alloc(size_t n_bytes);
void cansim_free(void *p);
/* a * b into *out; false on overflow. */
bool cansim_mul_size(size_t a, size_t b, size_t *out);
/* Aligned, zeroed array of n floats (NULL on overflow or no memory). */
float *cansim_alloc_floats(size_t n);

/* Stereo frames per write of an output (and per read and write of a rescale or a finishing
 * pass): 512 KB of float. The page cache's system time per byte falls by about a third from
 * 128 KB to 512 KB a call and little beyond (cansim-bench-render's io_floor, which writes the
 * way the engine does, 2 threads, 16 outputs of 180 s: 0.49 against 0.29-0.36 s). */
#define CANSIM_IO_FRAMES 65536

static inline size_t cansim_round_up(size_t n, size_t m)
{
    return (n + m - 1) / m * m;
}

/* The file name of path without directory and extension, into out (size n). */
void cansim_path_stem(const char *path, char *out, size_t n);

/* Realises a profile at rate_hz: the profile itself (borrowed; *owned stays NULL) when it is an
 * impulse response at that rate, else a converted or designed copy the caller closes (*owned).
 * d may be NULL for the default design; k are the kernels the design runs on. */
int cansim_profile_at_rate(const CansimProfile *p, const CansimDesignConfig *d, double rate_hz,
                           const CansimKernels *k, const CansimProfile **out, CansimProfile **owned,
                           CansimDiag *diag);

/* The filter length and nonzero cells a profile will have (an estimate for curve profiles,
 * whose length depends on the rate), for the partition cost model. */
void cansim_profile_shape(const CansimProfile *p, size_t *n_taps, unsigned *cell_mask);

/* True when the n words of a public struct's reserved space are all zero (cansim.h: ABI). */
bool cansim_reserved_is_zero(const uint64_t *reserved, size_t n);
#define CANSIM_RESERVED_ZERO(x)                                                                    \
    cansim_reserved_is_zero((x).reserved, sizeof(x).reserved / sizeof *(x).reserved)

/* The sample rates cansim reads, designs and writes at: 8 kHz to 384 kHz. */
static inline bool cansim_rate_is_valid(double rate_hz)
{
    return rate_hz >= 8000.0 && rate_hz <= 384000.0;
}

/* CANSIM_EPROFILE, naming it, when impulse-response profile p would pass CANSIM_MAX_TAPS at
 * rate_hz; checked before any conversion. */
int cansim_profile_check_rate(const CansimProfile *p, double rate_hz, CansimDiag *diag);

#endif

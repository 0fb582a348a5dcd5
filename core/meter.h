/* SPDX-License-Identifier: MIT */
/* The input's exact loudness as it streams: BS.1770-4 integrated loudness (K-weighting, 400 ms
 * blocks every 100 ms, the -70 LUFS and -10 LU gates), as libebur128 measures it (its 100 ms is
 * (rate + 5) / 10 frames; a mono input counts twice, as its dual mono). The tests hold it to
 * libebur128 within 1e-6 LU; it takes a fifth of libebur128's time or less. */
#ifndef CANSIM_METER_H
#define CANSIM_METER_H

#include <stddef.h>

typedef struct CansimMeter CansimMeter;

/* A meter of 1 or 2 interleaved channels at rate_hz (> 0), or NULL (out of memory, or another
 * channel count). */
CansimMeter *cansim_meter_open(int n_channels, double rate_hz);

/* Meters the next n frames. @return 0, or -1 out of memory (the meter is then unusable). */
int cansim_meter_add(CansimMeter *m, const float *frames, size_t n);

/* The integrated loudness of the frames so far (LUFS), -HUGE_VAL when no block passes the
 * gates. */
double cansim_meter_lufs(const CansimMeter *m);

void cansim_meter_close(CansimMeter *m);

#endif

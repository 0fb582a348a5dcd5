/* SPDX-License-Identifier: MIT */
/* The independent meter of the level tests: libebur128 directly on the samples read back. */
#ifndef CANSIM_UNIT_METER_H
#define CANSIM_UNIT_METER_H

#include <ebur128.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct Level {
    double lufs;  /* integrated, -inf below the gate */
    double tp_db; /* true peak (dBTP), max over channels */
    double sp_db; /* sample peak (dBFS) */
} Level;

/* libebur128 directly: EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK, mono as dual mono. */
static inline Level meter(const float *x, size_t n_frames, int n_channels, int rate)
{
    Level lv = {-(double)INFINITY, -(double)INFINITY, -(double)INFINITY};
    ebur128_state *st = ebur128_init((unsigned)n_channels, (unsigned long)rate,
                                     EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK);
    if (!st) {
        fprintf(stderr, "ebur128_init failed\n");
        exit(99);
    }
    if (n_channels == 1)
        ebur128_set_channel(st, 0, EBUR128_DUAL_MONO);
    ebur128_add_frames_float(st, x, n_frames);
    double v;
    if (ebur128_loudness_global(st, &v) == EBUR128_SUCCESS)
        lv.lufs = v;
    double tp = 0.0;
    for (unsigned c = 0; c < (unsigned)n_channels; c++)
        if (ebur128_true_peak(st, c, &v) == EBUR128_SUCCESS && v > tp)
            tp = v;
    lv.tp_db = 20.0 * log10(tp);
    float sp = 0.0f;
    for (size_t i = 0; i < n_frames * (size_t)n_channels; i++)
        sp = fabsf(x[i]) > sp ? fabsf(x[i]) : sp;
    lv.sp_db = 20.0 * log10((double)sp);
    ebur128_destroy(&st);
    return lv;
}

#endif

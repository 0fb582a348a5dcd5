/* SPDX-License-Identifier: MIT */
/* Filter design: a measured headphone curve against a reference, to a minimum-phase FIR. */
#ifndef CANSIM_DESIGN_H
#define CANSIM_DESIGN_H

#include <stddef.h>

#include "internal.h"
#include "kernels.h"

/* A response curve: n points, hz strictly increasing and > 0, db finite. */
typedef struct CansimCurve {
    size_t n;
    double *hz;
    double *db;
} CansimCurve;

/* Allocates hz and db for n points (zeroed). c is zeroed first, so on failure it is empty.
 * Returns CANSIM_OK or CANSIM_ENOMEM. */
int cansim_curve_alloc(CansimCurve *c, size_t n);
/* Frees the arrays (c itself is the caller's) and zeroes c; NULL and empty curves are fine. */
void cansim_curve_free(CansimCurve *c);
/* Linear interpolation in log-frequency; the end values hold outside the curve's range (so
 * also at 0 Hz and for NaN). An empty curve is 0 dB everywhere. */
double cansim_curve_eval(const CansimCurve *c, double hz);

/* Every step of the design has its parameter here; the defaults are in brackets, and why they
 * are what they are is written beside cansim_design_default_params() in design.c. */
typedef struct CansimDesignParams {
    double boost_limit_db;  /* no frequency is boosted by more than this [12] */
    double smooth_oct_low;  /* smoothing width in octaves at and below smooth_hz_low [1/6] */
    double smooth_oct_high; /* ... at and above smooth_hz_high, log-interpolated between [1/3] */
    double smooth_hz_low;   /* [1000] */
    double smooth_hz_high;  /* [8000] */
    double flat_below_hz;   /* the response is held flat below this [20] */
    double flat_above_hz;   /* ... and above this [20000] */
    double norm_hz;         /* 0 dB here [1000] */
    double max_error_db;    /* the FIR's magnitude stays within this of the curve, 20 Hz to
                               min(20 kHz, 0.45 rate); sets FFT size and filter length [0.1] */
} CansimDesignParams;

void cansim_design_default_params(CansimDesignParams *p);

/* The simulated response hp - ref: both interpolated on log-frequency onto one grid, smoothed
 * with the fractional-octave width above, flat-extended, boost-limited and normalised at
 * norm_hz. out is a fine log-frequency grid the caller frees with cansim_curve_free().
 * Precisely: out spans flat_below_hz .. flat_above_hz at 1/48 octave, so the flat extension is
 * the hold of cansim_curve_eval(); each point is the mean (in dB) of hp - ref over a rectangular
 * window of the local width in log-frequency, integrated exactly (data beyond the grid, held
 * at each curve's ends, fills the windows at the edges); then the value at norm_hz is
 * subtracted and boosts are clipped at boost_limit_db, so norm_hz stays at 0 dB (unless the curve
 * climbs more than boost_limit_db within one grid step of it, where the clip moves it).
 * Returns CANSIM_OK; CANSIM_EINVAL for a parameter out of range (NaN included) or a NULL out;
 * CANSIM_EPROFILE for a curve with fewer than 2 points, frequencies not positive, finite and
 * strictly increasing, or a level not finite; CANSIM_ENOMEM. On failure out is empty. */
int cansim_design_simulated(const CansimCurve *hp, const CansimCurve *ref,
                            const CansimDesignParams *p, CansimCurve *out, CansimDiag *diag);

/* A minimum-phase FIR (real cepstrum on FFTW, single precision, vector math via k) whose
 * magnitude response follows cansim_curve_eval(sim, f) at rate_hz (8 kHz to 384 kHz). The
 * taps are allocated with cansim_alloc_floats(); *n_taps is the shortest power-of-two length
 * meeting max_error_db. Plans are made under the FFTW planner lock (fft.c).
 * Precisely: the transform has N = the largest power of two <= rate_hz points (1-2 Hz bins);
 * the length, 64 <= n_taps <= the largest power of two <= 0.5 rate, is the shortest whose
 * magnitude is within max_error_db of the curve at every bin from 20 Hz to min(20 kHz,
 * 0.45 rate) and at those edges and the curve's ends; if none is, the longest (best effort).
 * Safe to call from several threads at once. Returns CANSIM_OK; CANSIM_EINVAL (a
 * parameter, or k lacks cexp/vlog); CANSIM_EPROFILE (sim as in cansim_design_simulated);
 * CANSIM_ERATE; CANSIM_ENOMEM; CANSIM_EINTERNAL (FFTW could not plan). On failure *taps is
 * NULL and *n_taps 0. */
int cansim_design_minphase(const CansimCurve *sim, double rate_hz, const CansimDesignParams *p,
                           const CansimKernels *k, float **taps, size_t *n_taps, CansimDiag *diag);

#endif

/* SPDX-License-Identifier: MIT */
/* Impulse responses at another rate, keeping their magnitude response and their alignment. */
#ifndef CANSIM_IR_RESAMPLE_H
#define CANSIM_IR_RESAMPLE_H

#include "design.h"

/* A response is taken as minimum phase when its own minimum-phase counterpart (the same
 * magnitude) holds at most this much more of the energy, as a fraction of the total, before
 * any tap: minimum phase is the one response that leads every partial energy sum. */
#define CANSIM_MINPHASE_LEAD 0.01

/* Rebuilt responses follow the original's magnitude within this (dB), 20 Hz to 20 kHz
 * within 0.45 of either rate. */
#define CANSIM_IR_MAX_ERROR_DB 0.02

/* True when the n taps of h (at rate_hz) are minimum phase in the sense above. */
bool cansim_ir_is_minimum_phase(const float *h, size_t n, double rate_hz, const CansimKernels *k);

/* The taps at to_hz that n taps at from_hz become when converted (a rebuilt response is
 * shorter): checked before any work, so an overlong result is refused at once. */
size_t cansim_ir_taps_at_rate(size_t n, double from_hz, double to_hz);

/* cells (n taps at from_hz, NULL for a zero cell) at to_hz, into out (same NULLs, *n_out
 * taps each, cansim_alloc_floats()). A minimum-phase cell shorter than a quarter second is
 * rebuilt: its magnitude response measured at 1 Hz resolution or finer, then designed again at
 * to_hz as a minimum-phase FIR (cansim_design_minphase(), CANSIM_IR_MAX_ERROR_DB), so its level
 * and its first tap stay where they were; above the original's Nyquist frequency the response
 * holds its value there. Any other cell (a delay, a room, an HRIR) goes through libsamplerate
 * (best quality), time-aligned, with room after its last tap for the converter's ringing,
 * scaled by from/to to keep its level. Cells are zero-padded to one length. who names the
 * profile in messages. */
int cansim_ir_resample(const float *const cells[4], size_t n, double from_hz, double to_hz,
                       const CansimKernels *k, const char *who, float *out[4], size_t *n_out,
                       CansimDiag *diag);

#endif

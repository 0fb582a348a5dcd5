/* SPDX-License-Identifier: MIT */
/* Virtual speakers from a measured head: HRIRs read from a SOFA file (libmysofa), their
 * diffuse-field equalisation, and the 2x2 matrix they make at a rate. */
#ifndef CANSIM_HRTF_H
#define CANSIM_HRTF_H

#include "design.h"
#include "room.h"

/* What a profile's [hrtf] section says: a pair of speakers at +-azimuth_deg (0 ahead,
 * positive to the left), elevation_deg up. */
typedef struct CansimHrtfSpec {
    bool is_set;
    char sofa[4096]; /* the SOFA file, resolved when the profile was read */
    double azimuth_deg;
    double elevation_deg;
    CansimRoomSpec room; /* [room]: the pair in a modelled room, else anechoic */
} CansimHrtfSpec;

/* The four head-related impulse responses of the pair at the set's own rate, and the set's
 * diffuse-field equalisation. */
typedef struct CansimHrtfSet {
    double rate_hz;
    size_t n_taps;
    float *cells[4];        /* CANSIM_CELL_LL: left speaker to left ear, _LR: to right ear, ... */
    double found_deg[2][2]; /* the measured directions used, (azimuth, elevation) per speaker */
    CansimCurve df_eq;      /* dB: -10 log10 of the diffuse-field power average, boosts held at
                               CANSIM_HRTF_MAX_BOOST_DB above its 1 kHz value */
    /* With a room: the cells hold the images too, and room for the tail from tail_start_s. */
    double early_energy; /* the images' energy re the direct sound's */
    double tail_start_s;
    size_t n_images; /* per speaker, the direct sound included */
} CansimHrtfSet;

/* The diffuse-field equalisation boosts no frequency by more than this over its 1 kHz value:
 * MIT's set falls below 140 Hz with its measuring loudspeaker (-23 dB at 30 Hz re the
 * 200-500 Hz plateau), so equalising it whole would ask +34 dB at 30 Hz. */
#define CANSIM_HRTF_MAX_BOOST_DB 24.0
/* ... and stops (holds its value) above this: past it, the set's roll-off is its recorder's. */
#define CANSIM_HRTF_TOP_HZ 18000.0

/* Reads the set named by s (libmysofa), takes the measured directions nearest to the two
 * speakers, and averages the power of every direction and ear, weighted by the solid angle
 * of its elevation ring. who names the profile in messages. Returns CANSIM_OK; CANSIM_EIO
 * (the file cannot be read: the line names it); CANSIM_EPROFILE (not a usable set: no two
 * ears, another coordinate system); CANSIM_ENOMEM; CANSIM_EINTERNAL (FFTW). */
int cansim_hrtf_load(const CansimHrtfSpec *s, const char *who, CansimHrtfSet *out,
                     CansimDiag *diag);
void cansim_hrtf_free(CansimHrtfSet *s);

/* The pair's matrix at rate_hz: each HRIR converted to the rate (libsamplerate, best quality,
 * scaled to keep its level), then convolved with eq (n_eq taps at rate_hz). cells are
 * cansim_alloc_floats() arrays of *n_taps. */
int cansim_hrtf_cells(const CansimHrtfSet *s, double rate_hz, const float *eq, size_t n_eq,
                      float *cells[4], size_t *n_taps, CansimDiag *diag);

/* The whole design of a speaker profile: the set read (cansim_hrtf_load()), sim (the
 * profile's simulated response: flat, or with the listener's headphone undone) plus the
 * diffuse-field equalisation designed as one minimum-phase FIR at rate_hz (dp), and the pair's
 * matrix with it (cansim_hrtf_cells()). */
int cansim_hrtf_design(const CansimHrtfSpec *s, const char *who, const CansimCurve *sim,
                       const CansimDesignParams *dp, double rate_hz, const CansimKernels *k,
                       float *cells[4], size_t *n_taps, CansimDiag *diag);

#endif

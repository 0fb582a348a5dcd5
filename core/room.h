/* SPDX-License-Identifier: MIT */
/* A model of a room around a speaker pair: a shoebox's image sources up to second order and a
 * decaying diffuse tail at Sabine's level. */
#ifndef CANSIM_ROOM_H
#define CANSIM_ROOM_H

#include "design.h"

/* What a profile's [room] section says. The listener's head is the origin, looking along +x
 * (SOFA's axes: y to the left, z up). */
typedef struct CansimRoomSpec {
    bool is_set;
    double walls_m[6]; /* distances from the head to the front, back, left, right walls, the
                          ceiling and the floor */
    double distance_m; /* from the head to each speaker */
    double rt60_s;     /* reverberation time (60 dB), 0.1..2 s */
} CansimRoomSpec;

/* One path from a speaker to the head: the direct sound (order 0) or an image source. */
typedef struct CansimImage {
    double azimuth_deg;
    double elevation_deg;
    double delay_s; /* after the direct sound */
    double gain;    /* re the direct sound: spreading (distance ratio) and wall losses */
    int order;      /* reflections on the way */
} CansimImage;

#define CANSIM_ROOM_MAX_IMAGES 25 /* the direct sound, 6 first-order and 18 second-order images */
#define CANSIM_SPEED_OF_SOUND  343.0

/* The paths of a speaker at (azimuth_deg, elevation_deg, r->distance_m): the direct sound
 * first, then every image up to second order, into out (CANSIM_ROOM_MAX_IMAGES). Returns their
 * count; 0 when the speaker is not inside the room. */
size_t cansim_room_images(const CansimRoomSpec *r, double azimuth_deg, double elevation_deg,
                          CansimImage *out);

/* The walls' energy absorption by Sabine's formula for the room's RT60 (0.01..1). */
double cansim_room_absorption(const CansimRoomSpec *r);

/* The reverberant energy at the head re the direct sound's, (distance / critical distance)^2
 * by Sabine's theory (critical distance 0.057 sqrt(V / RT60) m, an omnidirectional source). */
double cansim_room_reverberant_energy(const CansimRoomSpec *r);

/* Adds the diffuse tail to cells (n_taps each at rate_hz, already holding the direct sound and
 * the images): from start_s on, independent noise per cell (fixed seeds: the same profile
 * gives the same taps), faded in over 10 ms and decaying 60 dB in rt60_s, shaped by shape
 * (n_shape taps: the set's diffuse-field response, so that after the diffuse-field
 * equalisation the tail is flat), with the energy the reverberant field has beyond the
 * images' (early_energy). n_taps must reach start_s + rt60_s. */
int cansim_room_add_tail(const CansimRoomSpec *r, double rate_hz, double start_s,
                         double early_energy, const float *shape, size_t n_shape,
                         float *const cells[4], size_t n_taps);

#endif

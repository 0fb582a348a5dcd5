/* SPDX-License-Identifier: MIT */
/* The profile object as the profile files share it: the model (profile.c), its loaders
 * (profile_load.c, profile_ini.c), its design policy (profile_design.c) and its response
 * (response.c). */
#ifndef CANSIM_PROFILE_OBJECT_H
#define CANSIM_PROFILE_OBJECT_H

#include "crossfeed.h"
#include "design.h"
#include "hrtf.h"

struct CansimProfile {
    char id[256];
    /* An impulse-response profile: */
    double rate_hz;
    size_t n_taps;
    float *cells[4]; /* NULL for an all-zero cell */
    /* A curve profile, designed at the rate it runs at: */
    bool is_curve;
    CansimCurve curve;
    char name[256];
    char back[16];
    char form[16];
    char rig[64];
    char source[512];
    char credit[512];
    char notes[1024];
    CansimCrossfeed crossfeed; /* what the profile carries: ON or OFF */
    char tags[128];            /* selection tags, space-separated */
    CansimHrtfSpec hrtf;       /* [hrtf]: the curve's filter, then a speaker pair's HRIRs */
};

/* True when all n floats of x are zero. */
bool cansim_floats_are_zero(const float *x, size_t n);

/* True when s ends with suffix, ignoring case. */
bool cansim_has_suffix(const char *s, const char *suffix);

/* Impulse-response profile p at rate_hz with the caller's kernels (cansim_profile_resample()). */
int cansim_profile_resample_with(CansimProfile **out, const CansimProfile *p, double rate_hz,
                                 const CansimKernels *k, CansimDiag *diag);

#endif

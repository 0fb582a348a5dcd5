/* SPDX-License-Identifier: MIT */
/* The design policy: each curve profile against its rig's target and the listener's
 * headphone, to a filter at a rate; crossfeed folded in; the digest of all that decides it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "profile_object.h"
#include "profile_format.h"

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The crossfeed a profile runs with: the config's override, else what the profile carries. */
static void crossfeed_of(const CansimProfile *p, const CansimDesignConfig *d, CansimCrossfeed *cf)
{
    if (d && d->crossfeed.mode != CANSIM_CROSSFEED_PROFILE)
        *cf = d->crossfeed;
    else
        *cf = p->crossfeed;
}

CansimDesignConfig cansim_design_default_config(void)
{
    return (CansimDesignConfig){.target = "harman", .boost_limit_db = 12.0};
}

/* The neutral target of a rig: targets_dir/<rig>/<target>.csv, or the target file itself. */
static int load_target(const CansimDesignConfig *d, const char *rig, const char *who,
                       CansimCurve *out, CansimDiag *diag)
{
    memset(out, 0, sizeof *out);
    if (!strcmp(rig, "none")) {
        /* The curve is already a coloration: its target is flat. */
        if (cansim_curve_alloc(out, 2))
            return cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory");
        out->hz[0] = 10.0;
        out->hz[1] = 100000.0;
        return CANSIM_OK;
    }
    const char *t = d->target && *d->target ? d->target : "harman";
    char path[4096];
    const bool is_file = strchr(t, '/') || cansim_has_suffix(t, ".csv");
    /* A missing target is the target's fault, not the profile's: the message starts with the
     * target, and names the profile that asked for it after. */
    int len;
    if (is_file)
        len = snprintf(path, sizeof path, "%s", t);
    else if (!d->targets_dir)
        return cansim_diag_set(diag, CANSIM_EPROFILE,
                               "%s: no targets directory to find this target in (wanted by %s)", t,
                               who);
    else
        len = snprintf(path, sizeof path, "%s/%s/%s.csv", d->targets_dir, rig, t);
    if (len >= (int)sizeof path) /* cut short, it could name another file */
        return cansim_diag_set(diag, CANSIM_EPROFILE, "%.200s...: the target's path is too long",
                               t);
    char *text;
    size_t n;
    CansimDiag why;
    int e = cansim_read_text(path, CANSIM_MAX_TEXT_BYTES, &text, &n, &why);
    if (e == CANSIM_EIO && !is_file)
        return cansim_diag_set(diag, CANSIM_EPROFILE,
                               "%s: no '%s' target for the %s rig (wanted by %s)", path, t, rig,
                               who);
    if (e) {
        const size_t k = strlen(path);
        const bool has_path = !strncmp(why.msg, path, k) && !strncmp(why.msg + k, ": ", 2);
        return cansim_diag_set(diag, e == CANSIM_EIO ? CANSIM_EPROFILE : e,
                               "%s: cannot read this target: %s (wanted by %s)", path,
                               has_path ? why.msg + k + 2 : why.msg, who);
    }
    e = cansim_curve_parse_csv(text, n, path, out, diag);
    free(text);
    return e;
}

/* The curve hp is compared with: its rig's target, plus the listener's headphone's own
 * coloration (on - its target) when there is one, so different rigs still compare. */
static int reference_curve(const CansimProfile *p, const CansimDesignConfig *d, CansimCurve *ref,
                           CansimDiag *diag)
{
    CansimCurve t_p, t_on = {0};
    int e = load_target(d, p->rig[0] ? p->rig : "gras", p->id, &t_p, diag);
    if (e)
        return e;
    const CansimProfile *on = d->on;
    if (!on) {
        *ref = t_p;
        return CANSIM_OK;
    }
    double *all = NULL;
    if (!on->is_curve) {
        e = cansim_diag_set(diag, CANSIM_EPROFILE,
                            "%s: the listener's headphone must be a curve profile", on->id);
        goto done;
    }
    if ((e = load_target(d, on->rig[0] ? on->rig : "gras", on->id, &t_on, diag)))
        goto done;
    /* Sampled on the union of the grids, so no curve loses a point. */
    const size_t n = p->curve.n + on->curve.n + t_p.n + t_on.n;
    all = malloc(n * sizeof *all);
    if (!all || cansim_curve_alloc(ref, n)) {
        e = cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory");
        goto done;
    }
    size_t m = 0;
    const CansimCurve *cs[] = {&p->curve, &on->curve, &t_p, &t_on};
    for (size_t i = 0; i < 4; i++)
        for (size_t k = 0; k < cs[i]->n; k++)
            all[m++] = cs[i]->hz[k];
    qsort(all, m, sizeof *all, cmp_double);
    size_t u = 0;
    for (size_t k = 0; k < m; k++)
        if (!u || all[k] > ref->hz[u - 1]) {
            ref->hz[u] = all[k];
            ref->db[u] = cansim_curve_eval(&t_p, all[k]) + cansim_curve_eval(&on->curve, all[k]) -
                         cansim_curve_eval(&t_on, all[k]);
            u++;
        }
    ref->n = u;
done:
    free(all);
    cansim_curve_free(&t_p);
    cansim_curve_free(&t_on);
    return e;
}

static void design_params(const CansimDesignConfig *d, CansimDesignParams *dp)
{
    cansim_design_default_params(dp);
    if (d->boost_limit_db > 0)
        dp->boost_limit_db = d->boost_limit_db;
}

static int simulated(const CansimProfile *p, const CansimDesignConfig *d, CansimCurve *sim,
                     CansimDiag *diag)
{
    if (!p->is_curve)
        return cansim_diag_set(diag, CANSIM_EINVAL, "%s: not a curve profile", p->id);
    CansimCurve ref;
    int e = reference_curve(p, d, &ref, diag);
    if (e)
        return e;
    CansimDesignParams dp;
    design_params(d, &dp);
    e = cansim_design_simulated(&p->curve, &ref, &dp, sim, diag);
    cansim_curve_free(&ref);
    return e;
}

int cansim_profile_response_db(const CansimProfile *p, const CansimDesignConfig *d,
                               const double *hz, double *db, size_t n, CansimDiag *diag)
{
    const CansimDesignConfig def = cansim_design_default_config();
    CansimCurve sim;
    const int e = simulated(p, d ? d : &def, &sim, diag);
    if (e)
        return e;
    for (size_t i = 0; i < n; i++)
        db[i] = cansim_curve_eval(&sim, hz[i]);
    cansim_curve_free(&sim);
    return CANSIM_OK;
}

/* The design with the caller's kernels (the renderer's, capped by its cpu_mask). */
static int design_with(CansimProfile **out, const CansimProfile *p, const CansimDesignConfig *d,
                       double rate_hz, const CansimKernels *k, CansimDiag *diag)
{
    *out = NULL;
    const CansimDesignConfig def = cansim_design_default_config();
    if (!d)
        d = &def;
    if (!cansim_rate_is_valid(rate_hz))
        return cansim_diag_set(diag, CANSIM_ERATE, "%s: sample rate %g Hz is outside 8000-384000",
                               p->id, rate_hz);
    CansimProfile *fir = NULL;
    int e;
    if (!p->is_curve) {
        e = p->rate_hz == rate_hz ? cansim_profile_from_taps(&fir, p->id, rate_hz, p->n_taps,
                                                             (const float *const *)p->cells, diag)
                                  : cansim_profile_resample_with(&fir, p, rate_hz, k, diag);
    } else {
        CansimCurve sim;
        e = simulated(p, d, &sim, diag);
        if (e)
            return e;
        CansimDesignParams dp;
        design_params(d, &dp);
        if (p->hrtf.is_set) {
            float *cells[4];
            size_t n;
            e = cansim_hrtf_design(&p->hrtf, p->id, &sim, &dp, rate_hz, k, cells, &n, diag);
            cansim_curve_free(&sim);
            if (e)
                return e;
            e = cansim_profile_from_taps(&fir, p->id, rate_hz, n, (const float *const *)cells,
                                         diag);
            for (int c = 0; c < 4; c++)
                cansim_free(cells[c]);
            goto designed;
        }
        float *taps = NULL;
        size_t n_taps = 0;
        e = cansim_design_minphase(&sim, rate_hz, &dp, k, &taps, &n_taps, diag);
        cansim_curve_free(&sim);
        if (!e) {
            const float *cells[4] = {taps, NULL, NULL, taps};
            e = cansim_profile_from_taps(&fir, p->id, rate_hz, n_taps, cells, diag);
        }
        cansim_free(taps);
    }
designed:
    if (e)
        return e;
    CansimCrossfeed cf;
    crossfeed_of(p, d, &cf);
    if (cf.mode != CANSIM_CROSSFEED_ON) {
        *out = fir;
        return CANSIM_OK;
    }
    float *cells[4];
    size_t n;
    e = cansim_crossfeed_apply((const float *const *)fir->cells, fir->n_taps, rate_hz, cf.cut_hz,
                               cf.feed_db, cells, &n);
    if (e) {
        cansim_profile_close(&fir);
        return cansim_diag_set(diag, e, "%s: out of memory for the crossfeed", p->id);
    }
    e = cansim_profile_from_taps(out, p->id, rate_hz, n, (const float *const *)cells, diag);
    for (int c = 0; c < 4; c++)
        cansim_free(cells[c]);
    cansim_profile_close(&fir);
    return e;
}

int cansim_profile_design(CansimProfile **out, const CansimProfile *p, const CansimDesignConfig *d,
                          double rate_hz, CansimDiag *diag)
{
    CansimKernels k;
    cansim_kernels_init(&k, cansim_cpu_detect());
    return design_with(out, p, d, rate_hz, &k, diag);
}

int cansim_profile_at_rate(const CansimProfile *p, const CansimDesignConfig *d, double rate_hz,
                           const CansimKernels *k, const CansimProfile **out, CansimProfile **owned,
                           CansimDiag *diag)
{
    *owned = NULL;
    CansimCrossfeed cf;
    crossfeed_of(p, d, &cf);
    if (!p->is_curve && p->rate_hz == rate_hz && cf.mode != CANSIM_CROSSFEED_ON) {
        *out = p;
        return CANSIM_OK;
    }
    const int e = design_with(owned, p, d, rate_hz, k, diag);
    *out = *owned;
    return e;
}

int cansim_profile_digest(const CansimProfile *p, const CansimDesignConfig *d, char hex[33],
                          CansimDiag *diag)
{
    const CansimDesignConfig def = cansim_design_default_config();
    if (!d)
        d = &def;
    XXH3_state_t *h = XXH3_createState();
    if (!h)
        return cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory");
    XXH3_128bits_reset(h);
    /* The version stands for the design and render algorithms. */
    const char *version = cansim_version();
    XXH3_128bits_update(h, version, strlen(version) + 1);
    XXH3_128bits_update(h, p->id, strlen(p->id) + 1);
    int e = CANSIM_OK;
    if (p->is_curve) {
        CansimCurve sim;
        if ((e = simulated(p, d, &sim, diag)))
            goto done;
        XXH3_128bits_update(h, sim.hz, sim.n * sizeof *sim.hz);
        XXH3_128bits_update(h, sim.db, sim.n * sizeof *sim.db);
        cansim_curve_free(&sim);
        if (p->hrtf.is_set) {
            const CansimRoomSpec *r = &p->hrtf.room;
            const double angles[10] = {
                p->hrtf.azimuth_deg, p->hrtf.elevation_deg, r->is_set ? r->distance_m : 0.0,
                r->rt60_s,           r->walls_m[0],         r->walls_m[1],
                r->walls_m[2],       r->walls_m[3],         r->walls_m[4],
                r->walls_m[5]};
            XXH3_128bits_update(h, p->hrtf.sofa, strlen(p->hrtf.sofa) + 1);
            XXH3_128bits_update(h, angles, sizeof angles);
        }
    } else {
        const double head[2] = {p->rate_hz, (double)p->n_taps};
        XXH3_128bits_update(h, head, sizeof head);
        for (int c = 0; c < 4; c++) {
            const unsigned char has = p->cells[c] != NULL;
            XXH3_128bits_update(h, &has, 1);
            if (has)
                XXH3_128bits_update(h, p->cells[c], p->n_taps * sizeof(float));
        }
    }
    /* Crossfeed is folded into every kind's cells (design_with()); off is off, whatever
     * cut and level an unused setting holds. */
    CansimCrossfeed cf;
    crossfeed_of(p, d, &cf);
    const bool is_cf = cf.mode == CANSIM_CROSSFEED_ON;
    const double cfv[3] = {is_cf, is_cf ? cf.cut_hz : 0.0, is_cf ? cf.feed_db : 0.0};
    XXH3_128bits_update(h, cfv, sizeof cfv);
    const XXH128_hash_t v = XXH3_128bits_digest(h);
    snprintf(hex, 33, "%016llx%016llx", (unsigned long long)v.high64, (unsigned long long)v.low64);
done:
    XXH3_freeState(h);
    return e;
}

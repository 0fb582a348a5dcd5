/* SPDX-License-Identifier: MIT */
/* Profiles as 2x2 FIR matrices: from taps, from impulse-response files, at another rate. */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <xxhash.h>
#include <math.h>
#include <samplerate.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "audio_io.h"
#include "crossfeed.h"
#include "hrtf.h"
#include "ir_resample.h"
#include "profile_format.h"

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

bool cansim_rate_is_valid(double rate_hz)
{
    return rate_hz >= 8000.0 && rate_hz <= 384000.0;
}

static bool all_zero(const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (x[i] != 0.0f)
            return false;
    return true;
}

static int profile_new(CansimProfile **out, const char *id, double rate_hz, size_t n_taps)
{
    CansimProfile *p = calloc(1, sizeof *p);
    if (!p)
        return CANSIM_ENOMEM;
    snprintf(p->id, sizeof p->id, "%s", id);
    p->rate_hz = rate_hz;
    p->n_taps = n_taps;
    *out = p;
    return CANSIM_OK;
}

void cansim_profile_close(CansimProfile **pp)
{
    if (!pp || !*pp)
        return;
    for (int c = 0; c < 4; c++)
        cansim_free((*pp)->cells[c]);
    cansim_curve_free(&(*pp)->curve);
    free(*pp);
    *pp = NULL;
}

int cansim_profile_from_taps(CansimProfile **out, const char *id, double rate_hz, size_t n_taps,
                             const float *const cells[4], CansimDiag *diag)
{
    *out = NULL;
    if (!id || !*id || !cells)
        return cansim_diag_set(diag, CANSIM_EINVAL, "profile: no id or no cells");
    if (n_taps == 0 || n_taps > CANSIM_MAX_TAPS)
        return cansim_diag_set(diag, CANSIM_EINVAL, "%s: %zu taps (1 to %u allowed)", id, n_taps,
                               CANSIM_MAX_TAPS);
    if (!cansim_rate_is_valid(rate_hz))
        return cansim_diag_set(diag, CANSIM_ERATE, "%s: sample rate %g Hz is outside 8000-384000",
                               id, rate_hz);
    bool has_cell = false;
    for (int c = 0; c < 4; c++) {
        if (!cells[c])
            continue;
        has_cell = true;
        for (size_t i = 0; i < n_taps; i++)
            if (!isfinite(cells[c][i]))
                return cansim_diag_set(diag, CANSIM_EPROFILE, "%s: tap %zu of cell %d is %s", id, i,
                                       c, isnan(cells[c][i]) ? "NaN" : "infinite");
    }
    if (!has_cell)
        return cansim_diag_set(diag, CANSIM_EINVAL, "%s: every cell is empty", id);
    CansimProfile *p;
    int e = profile_new(&p, id, rate_hz, n_taps);
    if (e)
        return cansim_diag_set(diag, e, "%s: %s", id, cansim_strerror(e));
    for (int c = 0; c < 4; c++) {
        if (!cells[c] || all_zero(cells[c], n_taps))
            continue;
        p->cells[c] = cansim_alloc_floats(n_taps);
        if (!p->cells[c]) {
            cansim_profile_close(&p);
            return cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory", id);
        }
        memcpy(p->cells[c], cells[c], n_taps * sizeof(float));
    }
    *out = p;
    return CANSIM_OK;
}

int cansim_profile_load_ir(CansimProfile **out, const char *path, CansimDiag *diag)
{
    *out = NULL;
    SNDFILE *sf;
    SF_INFO info;
    int e = cansim_check_regular(path, diag); /* libsndfile would wait on a FIFO */
    if (e)
        return e;
    e = cansim_audio_open_read(path, &sf, &info, diag);
    if (e)
        return e == CANSIM_EFORMAT || e == CANSIM_EIO || e == CANSIM_ERATE ? e : CANSIM_EPROFILE;
    const int n_ch = info.channels;
    float *buf = NULL;
    float *planes[4] = {NULL, NULL, NULL, NULL};
    if (n_ch != 1 && n_ch != 2 && n_ch != 4) {
        e = cansim_diag_set(diag, CANSIM_EPROFILE,
                            "%s: impulse response has %d channels (1, 2 or 4 expected)", path,
                            n_ch);
        goto done;
    }
    if (info.frames < 1 || (uint64_t)info.frames > CANSIM_MAX_TAPS) {
        e = cansim_diag_set(diag, CANSIM_EPROFILE,
                            "%s: impulse response has %lld frames (1 to %u allowed)", path,
                            (long long)info.frames, CANSIM_MAX_TAPS);
        goto done;
    }
    const size_t n = (size_t)info.frames;
    buf = cansim_alloc_floats(n * (size_t)n_ch);
    for (int c = 0; c < n_ch; c++)
        planes[c] = cansim_alloc_floats(n);
    bool has_memory = buf != NULL;
    for (int c = 0; c < n_ch; c++)
        has_memory = has_memory && planes[c];
    if (!has_memory) {
        e = cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    const sf_count_t got = sf_readf_float(sf, buf, (sf_count_t)n);
    if (got != (sf_count_t)n) {
        e = cansim_diag_set(diag, CANSIM_EIO, "%s: read %lld of %zu frames: %s", path,
                            (long long)got, n, sf_strerror(sf));
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < n_ch; c++) {
            const float v = buf[i * (size_t)n_ch + (size_t)c];
            if (!isfinite(v)) {
                e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s: frame %zu channel %d is %s", path,
                                    i, c + 1, isnan(v) ? "NaN" : "infinite");
                goto done;
            }
            planes[c][i] = v;
        }
    const float *cells[4] = {NULL, NULL, NULL, NULL};
    if (n_ch == 1) {
        cells[CANSIM_CELL_LL] = cells[CANSIM_CELL_RR] = planes[0];
    } else if (n_ch == 2) {
        cells[CANSIM_CELL_LL] = planes[0];
        cells[CANSIM_CELL_RR] = planes[1];
    } else {
        for (int c = 0; c < 4; c++)
            cells[c] = planes[c];
    }
    bool is_silent = true;
    for (int c = 0; c < n_ch; c++)
        is_silent = is_silent && all_zero(planes[c], n);
    if (is_silent) {
        e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s: impulse response is silent", path);
        goto done;
    }
    char id[256];
    cansim_path_stem(path, id, sizeof id);
    e = cansim_profile_from_taps(out, id, info.samplerate, n, cells, diag);
done:
    cansim_audio_close_read(sf); /* frees a streamed WAV's reader too */
    cansim_free(buf);
    for (int c = 0; c < 4; c++)
        cansim_free(planes[c]);
    return e;
}

/* An impulse-response profile at another rate (core/ir_resample.c), its length checked first. */
static int resample_with(CansimProfile **out, const CansimProfile *p, double rate_hz,
                         const CansimKernels *k, CansimDiag *diag)
{
    *out = NULL;
    if (p->is_curve)
        return cansim_diag_set(diag, CANSIM_EINVAL,
                               "%s: a curve profile is designed, not resampled", p->id);
    if (!cansim_rate_is_valid(rate_hz))
        return cansim_diag_set(diag, CANSIM_ERATE, "%s: sample rate %g Hz is outside 8000-384000",
                               p->id, rate_hz);
    if (p->rate_hz == rate_hz)
        return cansim_profile_from_taps(out, p->id, rate_hz, p->n_taps,
                                        (const float *const *)p->cells, diag);
    int e = cansim_profile_check_rate(p, rate_hz, diag);
    if (e)
        return e;
    float *cells[4];
    size_t n;
    e = cansim_ir_resample((const float *const *)p->cells, p->n_taps, p->rate_hz, rate_hz, k, p->id,
                           cells, &n, diag);
    if (e)
        return e;
    e = cansim_profile_from_taps(out, p->id, rate_hz, n, (const float *const *)cells, diag);
    for (int c = 0; c < 4; c++)
        cansim_free(cells[c]);
    return e;
}

int cansim_profile_check_rate(const CansimProfile *p, double rate_hz, CansimDiag *diag)
{
    if (p->is_curve || p->rate_hz == rate_hz)
        return CANSIM_OK;
    const size_t n = cansim_ir_taps_at_rate(p->n_taps, p->rate_hz, rate_hz);
    if (n > CANSIM_MAX_TAPS)
        return cansim_diag_set(diag, CANSIM_EPROFILE,
                               "%s: %zu taps at %g Hz would be %zu at %g Hz (at most %u allowed)",
                               p->id, p->n_taps, p->rate_hz, n, rate_hz, CANSIM_MAX_TAPS);
    return CANSIM_OK;
}

int cansim_profile_resample(CansimProfile **out, const CansimProfile *p, double rate_hz,
                            CansimDiag *diag)
{
    CansimKernels k;
    cansim_kernels_init(&k, cansim_cpu_detect());
    return resample_with(out, p, rate_hz, &k, diag);
}

static int design_with(CansimProfile **out, const CansimProfile *p, const CansimDesignConfig *d,
                       double rate_hz, const CansimKernels *k, CansimDiag *diag);

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

void cansim_profile_shape(const CansimProfile *p, size_t *n_taps, unsigned *cell_mask)
{
    *cell_mask = 0;
    if (p->is_curve && p->hrtf.is_set) {
        /* A speaker pair: every cell, the equalisation's length plus the HRIRs' (and a
         * room's tail, at 48 kHz). */
        *n_taps = 8192 + (size_t)(48000.0 * (p->hrtf.room.is_set ? p->hrtf.room.rt60_s : 0.0));
        *cell_mask = 15u;
        return;
    }
    if (p->is_curve) {
        /* Designs are at most a few thousand taps at 48 kHz and diagonal; with crossfeed,
         * symmetric, which the engine runs as two mid/side cells. */
        *n_taps = 4096;
        *cell_mask = 1u << CANSIM_CELL_LL | 1u << CANSIM_CELL_RR;
        return;
    }
    *n_taps = p->n_taps;
    for (int c = 0; c < 4; c++)
        if (p->cells[c])
            *cell_mask |= 1u << c;
}

const char *cansim_profile_id(const CansimProfile *p)
{
    return p->id;
}

double cansim_profile_rate(const CansimProfile *p)
{
    return p->rate_hz;
}

size_t cansim_profile_n_taps(const CansimProfile *p)
{
    return p->n_taps;
}

const float *cansim_profile_taps(const CansimProfile *p, int cell)
{
    return (cell >= 0 && cell < 4) ? p->cells[cell] : NULL;
}

/* ------------------------------------------------------------------ profile files */

void cansim_profile_info(const CansimProfile *p, CansimProfileInfo *info)
{
    *info = (CansimProfileInfo){
        .id = p->id,
        .name = p->name[0] ? p->name : p->id,
        .back = p->back[0] ? p->back : "none",
        .form = p->form,
        .rig = p->rig,
        .source = p->source,
        .credit = p->credit,
        .notes = p->notes,
        .is_curve = p->is_curve,
        .crossfeed = p->crossfeed,
        .tags = p->tags,
        .has_hrtf = p->hrtf.is_set,
    };
}

/* Ids name output files: keep them to a portable file-name alphabet. */
static bool id_is_valid(const char *id)
{
    if (!*id || *id == '.' || strlen(id) > 200)
        return false;
    for (const char *c = id; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_' && *c != '.')
            return false;
    return true;
}

/* Feeds inih one line at a time, so the handler knows the line it is on, and sees what inih
 * alone would not report: an empty unknown section, a line longer than inih's buffer. */
typedef struct IniReader {
    const char *pos;
    const char *end;
    int line;
    int bad_line; /* first line the reader refused, 0 for none */
    char bad[160];
    bool has_profile; /* a [profile] line was read */
} IniReader;

typedef struct IniCtx {
    IniReader rd;
    int err_line; /* line of err[] */
    CansimProfile *p;
    const char *dir;
    const char *name;
    char curve_file[512];
    CansimCurve inline_curve;
    size_t cap;
    unsigned seen; /* bit per key of [profile] */
    bool has_curve_section;
    unsigned cf_keys;   /* [crossfeed]: 1 cut_hz, 2 feed_db, 4 preset */
    unsigned hrtf_keys; /* [hrtf]: 1 sofa, 2 azimuth, 4 elevation */
    unsigned room_keys; /* [room]: 1 walls, 2 distance, 4 rt60 */
    char err[512];      /* the first problem; inih gives its line */
} IniCtx;

static const char *const profile_keys[] = {"id",     "name",   "back",  "form",  "rig",
                                           "source", "credit", "notes", "curve", "tags"};

static int fail(IniCtx *c, const char *fmt, ...) CANSIM_PRINTF(2, 3);
static int fail(IniCtx *c, const char *fmt, ...)
{
    if (!c->err[0]) {
        c->err_line = c->rd.line;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err, sizeof c->err, fmt, ap);
        va_end(ap);
    }
    return 0;
}

static int copy_field(IniCtx *c, char *dst, size_t n, const char *key, const char *value)
{
    if (strlen(value) >= n)
        return fail(c, "'%s' is longer than allowed", key);
    memcpy(dst, value, strlen(value) + 1);
    return 1;
}

static int one_of(IniCtx *c, const char *key, const char *value, const char *const *allowed)
{
    for (const char *const *a = allowed; *a; a++)
        if (!strcmp(value, *a))
            return 1;
    return fail(c, "'%s' cannot be '%s'", key, value);
}

/* "tags = in-ear tws": words of letters, digits and '-', kept one space apart. */
static int ini_tags(IniCtx *c, const char *value)
{
    char *t = c->p->tags;
    size_t n = 0;
    for (const char *v = value; *v;) {
        while (*v == ' ' || *v == ',' || *v == '\t')
            v++;
        const char *w = v;
        while (isalnum((unsigned char)*v) || *v == '-')
            v++;
        if (v == w && *v)
            return fail(c, "tag '%s' may hold only letters, digits and '-'", w);
        if (v == w)
            break;
        if (n + (size_t)(v - w) + 2 > sizeof c->p->tags)
            return fail(c, "'tags' is longer than allowed");
        if (n)
            t[n++] = ' ';
        memcpy(t + n, w, (size_t)(v - w));
        n += (size_t)(v - w);
        t[n] = '\0';
        if (*v && *v != ' ' && *v != ',' && *v != '\t')
            return fail(c, "tag '%s' may hold only letters, digits and '-'", w);
    }
    return 1;
}

static int ini_profile_key(IniCtx *c, const char *key, const char *value)
{
    CansimProfile *p = c->p;
    size_t k = 0;
    while (k < sizeof profile_keys / sizeof *profile_keys && strcmp(key, profile_keys[k]))
        k++;
    if (k == sizeof profile_keys / sizeof *profile_keys)
        return fail(c, "unknown key '%s' in [profile]", key);
    if (c->seen & (1u << k))
        return fail(c, "'%s' is given twice", key);
    c->seen |= 1u << k;
    if (!*value && strcmp(key, "notes"))
        return fail(c, "'%s' is empty", key);
    static const char *const backs[] = {"open", "closed", "none", NULL};
    static const char *const forms[] = {"over-ear", "on-ear", "in-ear", "earbud", NULL};
    static const char *const rigs[] = {"gras", "hms-ii3", "iec-711", "none", NULL};
    switch (k) {
    case 0:
        if (!id_is_valid(value))
            return fail(c, "id '%s' may hold only letters, digits, '-', '_' and '.'", value);
        return copy_field(c, p->id, sizeof p->id, key, value);
    case 1:
        return copy_field(c, p->name, sizeof p->name, key, value);
    case 2:
        return one_of(c, key, value, backs) && copy_field(c, p->back, sizeof p->back, key, value);
    case 3:
        return one_of(c, key, value, forms) && copy_field(c, p->form, sizeof p->form, key, value);
    case 4:
        return one_of(c, key, value, rigs) && copy_field(c, p->rig, sizeof p->rig, key, value);
    case 5:
        return copy_field(c, p->source, sizeof p->source, key, value);
    case 6:
        return copy_field(c, p->credit, sizeof p->credit, key, value);
    case 7:
        return copy_field(c, p->notes, sizeof p->notes, key, value);
    case 9:
        return ini_tags(c, value);
    default:
        return copy_field(c, c->curve_file, sizeof c->curve_file, key, value);
    }
}

/* An inline point of [curve]: "frequency = dB". */
static int ini_curve_point(IniCtx *c, const char *key, const char *value)
{
    char *end;
    errno = 0;
    const double hz = strtod(key, &end);
    if (end == key || *end || errno)
        return fail(c, "'%s' is not a frequency", key);
    const double db = strtod(value, &end);
    if (end == value || *end || errno)
        return fail(c, "'%s' is not a level in dB", value);
    if (!isfinite(hz) || !isfinite(db) || hz < 1e-3 || hz > 1e6 || fabs(db) > 200)
        return fail(c, "point %s = %s is out of range", key, value);
    CansimCurve *cv = &c->inline_curve;
    if (cv->n && hz <= cv->hz[cv->n - 1])
        return fail(c, "frequency %s %s the one before", key,
                    hz == cv->hz[cv->n - 1] ? "repeats" : "is below");
    if (cv->n == c->cap) {
        const size_t cap = c->cap ? 2 * c->cap : 16;
        double *h = realloc(cv->hz, cap * sizeof *h);
        if (h)
            cv->hz = h;
        double *d = h ? realloc(cv->db, cap * sizeof *d) : NULL;
        if (d)
            cv->db = d;
        if (!h || !d || cap > 100000)
            return fail(c, "too many curve points");
        c->cap = cap;
    }
    cv->hz[cv->n] = hz;
    cv->db[cv->n] = db;
    cv->n++;
    return 1;
}

/* [crossfeed]: "preset = bs2b|cmoy|jmeier", or "cut_hz = HZ" with "feed_db = DB". */
static int ini_crossfeed_key(IniCtx *c, const char *key, const char *value)
{
    CansimCrossfeed *cf = &c->p->crossfeed;
    CansimDiag d;
    if (!strcmp(key, "preset")) {
        if (c->cf_keys & 4)
            return fail(c, "'preset' is given twice");
        if (c->cf_keys)
            return fail(c, "give a crossfeed preset or cut_hz and feed_db, not both");
        if (cansim_crossfeed_parse(value, cf, &d) || strchr(value, ':'))
            return fail(c, "crossfeed preset '%s' is not bs2b, cmoy, jmeier or off", value);
        c->cf_keys |= 4;
        return 1;
    }
    const bool is_hz = !strcmp(key, "cut_hz");
    if (!is_hz && strcmp(key, "feed_db"))
        return fail(c, "unknown key '%s' in [crossfeed]", key);
    const unsigned bit = is_hz ? 1u : 2u;
    if (c->cf_keys & (bit | 4u))
        return fail(c, "'%s' is given twice or with a preset", key);
    char *end;
    const double v = strtod(value, &end);
    if (end == value || *end || !isfinite(v))
        return fail(c, "'%s' is not a number", value);
    c->cf_keys |= bit;
    if (is_hz)
        cf->cut_hz = v;
    else
        cf->feed_db = v;
    if (c->cf_keys == 3) {
        char spec[64];
        snprintf(spec, sizeof spec, "%.17g:%.17g", cf->cut_hz, cf->feed_db);
        if (cansim_crossfeed_parse(spec, cf, &d))
            return fail(c, "%s", d.msg);
    }
    return 1;
}

/* [hrtf]: "sofa = FILE" (required), "azimuth = DEG" (0 < DEG <= 90 [30]), "elevation = DEG"
 * (-90..90 [0]). A relative file is looked up beside the profile, then in libmysofa's data
 * folder; it is read only when the profile is designed. */
static int ini_hrtf_key(IniCtx *c, const char *key, const char *value)
{
    CansimHrtfSpec *h = &c->p->hrtf;
    const unsigned bit = !strcmp(key, "sofa")        ? 1u
                         : !strcmp(key, "azimuth")   ? 2u
                         : !strcmp(key, "elevation") ? 4u
                                                     : 0u;
    if (!bit)
        return fail(c, "unknown key '%s' in [hrtf]", key);
    if (c->hrtf_keys & bit)
        return fail(c, "'%s' is given twice", key);
    c->hrtf_keys |= bit;
    if (bit == 1u) {
        if (!*value)
            return fail(c, "'sofa' is empty");
        char path[4096];
        const bool is_abs = value[0] == '/';
        int k = snprintf(path, sizeof path, "%s%s%s", is_abs || !c->dir ? "" : c->dir,
                         is_abs || !c->dir ? "" : "/", value);
        if (!is_abs && c->dir && access(path, F_OK))
            k = snprintf(path, sizeof path, "%s/%s", CANSIM_SOFA_DIR, value);
        if (k < 0 || (size_t)k >= sizeof h->sofa)
            return fail(c, "'sofa' is longer than allowed");
        memcpy(h->sofa, path, (size_t)k + 1);
        return 1;
    }
    char *end;
    const double v = strtod(value, &end);
    if (end == value || *end || !isfinite(v))
        return fail(c, "'%s' is not a number", value);
    if (bit == 2u && !(v > 0 && v <= 90))
        return fail(c, "azimuth %s is not within 0..90 degrees", value);
    if (bit == 4u && !(v >= -90 && v <= 90))
        return fail(c, "elevation %s is not within -90..90 degrees", value);
    if (bit == 2u)
        h->azimuth_deg = v;
    else
        h->elevation_deg = v;
    return 1;
}

/* [room]: "walls = F B L R C F" (metres from the head to the front, back, left and right
 * walls, the ceiling and the floor, each 0.5..50), "distance = M" (to each speaker,
 * 0.3..20), "rt60 = S" (0.1..2); all three, with [hrtf]. */
static int ini_room_key(IniCtx *c, const char *key, const char *value)
{
    CansimRoomSpec *r = &c->p->hrtf.room;
    const unsigned bit = !strcmp(key, "walls")      ? 1u
                         : !strcmp(key, "distance") ? 2u
                         : !strcmp(key, "rt60")     ? 4u
                                                    : 0u;
    if (!bit)
        return fail(c, "unknown key '%s' in [room]", key);
    if (c->room_keys & bit)
        return fail(c, "'%s' is given twice", key);
    c->room_keys |= bit;
    double v[6];
    const int want = bit == 1u ? 6 : 1;
    const char *at = value;
    for (int i = 0; i < want; i++) {
        char *end;
        v[i] = strtod(at, &end);
        if (end == at || !isfinite(v[i]))
            return fail(c, "'%s' needs %d number%s", key, want, want > 1 ? "s" : "");
        at = end;
    }
    while (*at == ' ' || *at == '\t')
        at++;
    if (*at)
        return fail(c, "'%s' needs %d number%s", key, want, want > 1 ? "s" : "");
    const double lo = bit == 1u ? 0.5 : bit == 2u ? 0.3 : 0.1;
    const double hi = bit == 1u ? 50 : bit == 2u ? 20 : 2;
    for (int i = 0; i < want; i++)
        if (!(v[i] >= lo && v[i] <= hi))
            return fail(c, "'%s' %s is outside %g..%g", key, value, lo, hi);
    if (bit == 1u)
        memcpy(r->walls_m, v, sizeof r->walls_m);
    else if (bit == 2u)
        r->distance_m = v[0];
    else
        r->rt60_s = v[0];
    return 1;
}

static bool section_is_known(const char *name, size_t n)
{
    static const char *const known[] = {"profile", "curve", "crossfeed", "hrtf", "room"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strlen(known[i]) == n && !memcmp(known[i], name, n))
            return true;
    return false;
}

static char *ini_read_line(char *str, int num, void *stream)
{
    IniReader *rd = stream;
    if (rd->pos >= rd->end)
        return NULL;
    /* Lines end at LF, CRLF or a lone CR (old Mac editors), as in curve files. */
    const char *line = rd->pos;
    const char *eol = line;
    while (eol < rd->end && *eol != '\n' && *eol != '\r')
        eol++;
    rd->pos = eol == rd->end ? eol : eol + 1;
    if (eol < rd->end && *eol == '\r' && rd->pos < rd->end && *rd->pos == '\n')
        rd->pos++;
    rd->line++;
    if (rd->line == 1 && eol - line >= 3 && !memcmp(line, "\xef\xbb\xbf", 3))
        line += 3; /* a UTF-8 byte order mark */
    /* Indentation means nothing: inih would take an indented line for the continuation of
     * the value before it, and blame it as that key given twice. */
    while (line < eol && (*line == ' ' || *line == '\t'))
        line++;
    const size_t len = (size_t)(eol - line);
    const char *close = len && *line == '[' ? memchr(line, ']', len) : NULL;
    if (!rd->bad_line && len + 1 > (size_t)num - 1) {
        rd->bad_line = rd->line;
        snprintf(rd->bad, sizeof rd->bad, "line longer than %d characters", num - 2);
    } else if (!rd->bad_line && close && !section_is_known(line + 1, (size_t)(close - line - 1))) {
        rd->bad_line = rd->line;
        snprintf(rd->bad, sizeof rd->bad, "unknown section [%.*s]", (int)(close - line - 1),
                 line + 1);
    }
    if (close && close - line == 8 && !memcmp(line, "[profile", 8))
        rd->has_profile = true;
    if (rd->bad_line) {
        /* Nothing more is parsed: the first problem is the one reported. */
        rd->pos = rd->end;
        snprintf(str, (size_t)num, "\n");
        return str;
    }
    memcpy(str, line, len);
    str[len] = '\n';
    str[len + 1] = '\0';
    return str;
}

static int ini_handler_fn(void *user, const char *section, const char *key, const char *value)
{
    IniCtx *c = user;
    if (c->err[0])
        return 0;
    if (!strcmp(section, "profile"))
        return ini_profile_key(c, key, value);
    if (!strcmp(section, "curve")) {
        c->has_curve_section = true;
        return ini_curve_point(c, key, value);
    }
    if (!strcmp(section, "crossfeed"))
        return ini_crossfeed_key(c, key, value);
    if (!strcmp(section, "hrtf"))
        return ini_hrtf_key(c, key, value);
    if (!strcmp(section, "room"))
        return ini_room_key(c, key, value);
    return fail(c, "unknown section [%s]", section);
}

/* The line (from 1) of byte off, counting LF, CRLF and lone CR as the reader does. */
static size_t line_at(const char *text, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < off; i++)
        if (text[i] == '\n' || (text[i] == '\r' && text[i + 1] != '\n'))
            line++;
    return line;
}

int cansim_profile_parse_ini(CansimProfile **out, const char *text, size_t n, const char *name,
                             const char *dir, CansimDiag *diag)
{
    *out = NULL;
    int e = cansim_text_check(text, n, name, diag);
    if (e)
        return e;
    if (strlen(text) != n)
        return cansim_diag_set(diag, CANSIM_EPROFILE, "%s: not a text file", name);
    /* Names and notes reach reports (JSON) and pages: they must be UTF-8. */
    const size_t n_utf8 = cansim_utf8_valid_prefix(text, n);
    if (n_utf8 != n)
        return cansim_diag_set(diag, CANSIM_EPROFILE, "%s:%zu: not UTF-8 text (byte 0x%02x)", name,
                               line_at(text, n_utf8), (unsigned char)text[n_utf8]);
    IniCtx c = {.dir = dir, .name = name};
    c.p = calloc(1, sizeof *c.p);
    if (!c.p)
        return cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory", name);
    c.p->hrtf.azimuth_deg = 30.0;
    c.rd = (IniReader){.pos = text, .end = text + n};
    const int line = ini_parse_stream(ini_read_line, &c.rd, ini_handler_fn, &c);
    if (line == -2) {
        e = cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory", name);
        goto done;
    }
    /* The first problem by line: inih's own (syntax), the handler's, or the reader's. */
    int at = 0;
    const char *why = NULL;
    if (line > 0) {
        at = line;
        why = "not a profile file (expected key = value)";
    }
    if (c.err[0] && (!at || c.err_line <= at)) {
        at = c.err_line;
        why = c.err;
    }
    if (c.rd.bad_line && (!at || c.rd.bad_line <= at)) {
        at = c.rd.bad_line;
        why = c.rd.bad;
    }
    if (at) {
        e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s:%d: %s", name, at, why);
        goto done;
    }
    if (!c.rd.has_profile) {
        e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s: no [profile] section (not a profile file)",
                            name);
        goto done;
    }
    static const char *const required[] = {"id", "name", "back", "rig"};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
        size_t k = 0;
        while (strcmp(profile_keys[k], required[i]))
            k++;
        if (!(c.seen & (1u << k))) {
            e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s: [profile] has no '%s'", name,
                                required[i]);
            goto done;
        }
    }
    if (c.cf_keys == 1 || c.cf_keys == 2) {
        e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s: [crossfeed] needs both cut_hz and feed_db",
                            name);
        goto done;
    }
    if (c.hrtf_keys && !(c.hrtf_keys & 1u)) {
        e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s: [hrtf] has no 'sofa'", name);
        goto done;
    }
    c.p->hrtf.is_set = c.hrtf_keys != 0;
    if (c.room_keys && (c.room_keys != 7u || !c.hrtf_keys)) {
        e = cansim_diag_set(diag, CANSIM_EPROFILE,
                            "%s: [room] needs walls, distance and rt60, "
                            "and an [hrtf] to place them around",
                            name);
        goto done;
    }
    c.p->hrtf.room.is_set = c.room_keys != 0;
    const bool has_file = c.curve_file[0] != '\0';
    if (has_file == c.has_curve_section) {
        e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s: %s", name,
                            has_file ? "give the curve as a file or as [curve], not both"
                                     : "no curve: set 'curve = FILE.csv' or add [curve]");
        goto done;
    }
    if (has_file) {
        if (!dir) {
            e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s: curve files are not allowed here",
                                name);
            goto done;
        }
        char path[4096];
        if (snprintf(path, sizeof path, "%s%s%s", c.curve_file[0] == '/' ? "" : dir,
                     c.curve_file[0] == '/' ? "" : "/", c.curve_file) >= (int)sizeof path) {
            /* Cut short, it could name another file. */
            e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s: the curve file's path is too long",
                                name);
            goto done;
        }
        char *csv;
        size_t n_csv;
        if ((e = cansim_read_text(path, CANSIM_MAX_TEXT_BYTES, &csv, &n_csv, diag)))
            goto done;
        e = cansim_curve_parse_csv(csv, n_csv, path, &c.p->curve, diag);
        free(csv);
        if (e)
            goto done;
    } else {
        if (c.inline_curve.n < 2) {
            e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s: [curve] needs at least two points",
                                name);
            goto done;
        }
        if ((e = cansim_curve_check_band(&c.inline_curve, name, diag)))
            goto done;
        c.p->curve = c.inline_curve;
        memset(&c.inline_curve, 0, sizeof c.inline_curve);
    }
    c.p->is_curve = true;
    *out = c.p;
    c.p = NULL;
done:
    cansim_curve_free(&c.inline_curve);
    cansim_profile_close(&c.p);
    return e;
}

static bool has_suffix(const char *s, const char *suffix)
{
    const size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcasecmp(s + n - m, suffix);
}

int cansim_profile_load(CansimProfile **out, const char *path, CansimDiag *diag)
{
    *out = NULL;
    if (!has_suffix(path, ".ini") && !has_suffix(path, ".csv"))
        return cansim_profile_load_ir(out, path, diag);
    char *text;
    size_t n;
    int e = cansim_read_text(path, CANSIM_MAX_TEXT_BYTES, &text, &n, diag);
    if (e)
        return e;
    if (has_suffix(path, ".ini")) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", path);
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        else
            snprintf(dir, sizeof dir, ".");
        e = cansim_profile_parse_ini(out, text, n, path, dir, diag);
        free(text);
        return e;
    }
    /* A bare measurement: its name is its file's, its rig AutoEq's usual one. */
    CansimProfile *p = calloc(1, sizeof *p);
    if (!p) {
        free(text);
        return cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory", path);
    }
    e = cansim_curve_parse_csv(text, n, path, &p->curve, diag);
    free(text);
    if (e) {
        cansim_profile_close(&p);
        return e;
    }
    cansim_path_stem(path, p->id, sizeof p->id);
    snprintf(p->name, sizeof p->name, "%s", p->id);
    snprintf(p->rig, sizeof p->rig, "gras");
    snprintf(p->source, sizeof p->source, "%s", path);
    p->is_curve = true;
    *out = p;
    return CANSIM_OK;
}

/* ------------------------------------------------------------------ design */

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
    const bool is_file = strchr(t, '/') || has_suffix(t, ".csv");
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
        e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s: --on needs a curve profile", on->id);
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
                                  : resample_with(&fir, p, rate_hz, k, diag);
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

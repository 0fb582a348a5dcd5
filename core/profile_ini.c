/* SPDX-License-Identifier: MIT */
/* Profile files (profiles/README.md): INI text through inih, one line at a time, into a curve
 * profile. */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profile_format.h"
#include "profile_ini_reader.h"
#include "profile_object.h"

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

/* [hrtf] and [room], one table each. [hrtf]: "sofa = FILE" (required), "azimuth = DEG"
 * (0 < DEG <= 90 [30]), "elevation = DEG" (-90..90 [0]); a relative file is looked up beside
 * the profile, then in libmysofa's data folder, and read only when the profile is designed.
 * [room]: "walls = F B L R C F" (metres from the head to the front, back, left and right
 * walls, the ceiling and the floor, each 0.5..50), "distance = M" (to each speaker, 0.3..20),
 * "rt60 = S" (0.1..2); all three, with [hrtf]. */
typedef struct SpecKey {
    const char *key;
    int n_values;    /* numbers the value holds; 0 for the SOFA file */
    double lo, hi;   /* each number's range */
    bool is_lo_open; /* above lo, not at it */
    bool is_angle;   /* degrees, and named so in the messages */
    size_t offset;   /* of the first number in CansimHrtfSpec */
} SpecKey;

static const SpecKey hrtf_keys[] = {
    {"sofa", 0, 0, 0, false, false, 0},
    {"azimuth", 1, 0, 90, true, true, offsetof(CansimHrtfSpec, azimuth_deg)},
    {"elevation", 1, -90, 90, false, true, offsetof(CansimHrtfSpec, elevation_deg)},
};

static const SpecKey room_keys[] = {
    {"walls", 6, 0.5, 50, false, false, offsetof(CansimHrtfSpec, room.walls_m)},
    {"distance", 1, 0.3, 20, false, false, offsetof(CansimHrtfSpec, room.distance_m)},
    {"rt60", 1, 0.1, 2, false, false, offsetof(CansimHrtfSpec, room.rt60_s)},
};

static int ini_sofa(IniCtx *c, const char *value)
{
    CansimHrtfSpec *h = &c->p->hrtf;
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

/* One key of a section of keys[n_keys]; *seen holds a bit per key given. */
static int ini_spec_key(IniCtx *c, const char *section, const SpecKey *keys, size_t n_keys,
                        unsigned *seen, const char *key, const char *value)
{
    size_t i = 0;
    while (i < n_keys && strcmp(key, keys[i].key))
        i++;
    if (i == n_keys)
        return fail(c, "unknown key '%s' in [%s]", key, section);
    const SpecKey *s = &keys[i];
    if (*seen & (1u << i))
        return fail(c, "'%s' is given twice", key);
    *seen |= 1u << i;
    if (!s->n_values)
        return ini_sofa(c, value);
    double v[6];
    const int want = s->n_values;
    const char *at = value;
    bool is_number = true;
    for (int j = 0; j < want && is_number; j++) {
        char *end;
        v[j] = strtod(at, &end);
        is_number = end != at && isfinite(v[j]);
        at = end;
    }
    while (*at == ' ' || *at == '\t')
        at++;
    if (!is_number || *at) {
        if (s->is_angle)
            return fail(c, "'%s' is not a number", value);
        return fail(c, "'%s' needs %d number%s", key, want, want > 1 ? "s" : "");
    }
    for (int j = 0; j < want; j++) {
        const bool is_low = s->is_lo_open ? !(v[j] > s->lo) : !(v[j] >= s->lo);
        if (is_low || !(v[j] <= s->hi)) {
            if (s->is_angle)
                return fail(c, "%s %s is not within %g..%g degrees", key, value, s->lo, s->hi);
            return fail(c, "'%s' %s is outside %g..%g", key, value, s->lo, s->hi);
        }
    }
    memcpy((char *)&c->p->hrtf + s->offset, v, (size_t)want * sizeof *v);
    return 1;
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
        return ini_spec_key(c, section, hrtf_keys, sizeof hrtf_keys / sizeof *hrtf_keys,
                            &c->hrtf_keys, key, value);
    if (!strcmp(section, "room"))
        return ini_spec_key(c, section, room_keys, sizeof room_keys / sizeof *room_keys,
                            &c->room_keys, key, value);
    return fail(c, "unknown section [%s]", section);
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
                               cansim_ini_line_at(text, n_utf8), (unsigned char)text[n_utf8]);
    IniCtx c = {.dir = dir, .name = name};
    c.p = calloc(1, sizeof *c.p);
    if (!c.p)
        return cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory", name);
    c.p->hrtf.azimuth_deg = 30.0;
    c.rd = (IniReader){.pos = text, .end = text + n};
    const int line = ini_parse_stream(cansim_ini_read_line, &c.rd, ini_handler_fn, &c);
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

/* SPDX-License-Identifier: MIT */
/* The audition page: the embedded template (cli/page/) filled with one input's report, its
 * profiles' frequency responses and the links to its renders, written as DIR/index.html. */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "outputs.h"
#include "page.h"

/* The template with its style and script inlined (cli/page/embed.cmake, at build time). */
extern const unsigned char cansim_page_template[];
extern const size_t cansim_page_template_size;

/* The plot's frequencies: 20 Hz to 20 kHz, 24 a octave. */
#define N_HZ 241
/* Responses of filters are smoothed over 1/12 octave (power average, by the library), enough
 * to show a room's or a headphone's coloration without the comb of single bins. */
#define SMOOTH_OCT (1.0 / 12.0)

typedef struct Page {
    const char *dir;
    CansimDiag *diag;
} Page;

/* diag: "DIR/index.html: <what>"; returns -1. */
__attribute__((format(printf, 2, 3))) static int fail(Page *pg, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char what[900];
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(pg->diag->msg, sizeof pg->diag->msg, "%s/index.html: %s", pg->dir, what);
    return -1;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* dB values to 0.01 dB (what a reader can see); NaN and infinities as null. */
static json_t *num2(double v)
{
    return isfinite(v) ? json_real(round(v * 100.0) / 100.0) : json_null();
}

/* A path as a relative URL: every byte but the unreserved ones and '/' percent-encoded
 * (RFC 3986), so '#', '?', '%' and spaces in file names stay part of the path. */
static int url_path(const char *path, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (const unsigned char *c = (const unsigned char *)path; *c; c++) {
        const bool is_plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                              (*c >= '0' && *c <= '9') || strchr("-._~/", *c);
        if (o + 4 > cap)
            return -1;
        if (is_plain) {
            out[o++] = (char)*c;
        } else {
            out[o++] = '%';
            out[o++] = hex[*c >> 4];
            out[o++] = hex[*c & 15];
        }
    }
    out[o] = '\0';
    return 0;
}

/* The path of file relative to directory dir, both absolute and canonical (realpath):
 * "../" for each of dir's components below their common ancestor, then the rest of file. */
static int relative_path(const char *dir, const char *file, char *out, size_t cap)
{
    size_t common = 0;
    for (size_t i = 0; dir[i] && dir[i] == file[i]; i++)
        if (dir[i] == '/')
            common = i + 1;
    /* dir itself is an ancestor of file when it matches up to file's next separator. */
    const size_t nd = strlen(dir);
    if (!strncmp(dir, file, nd) && (file[nd] == '/' || nd == 1))
        common = nd == 1 ? 1 : nd + 1;
    size_t o = 0;
    for (const char *c = dir + (common > nd ? nd : common); *c;) {
        if (o + 3 >= cap)
            return -1;
        memcpy(out + o, "../", 3);
        o += 3;
        const char *next = strchr(c, '/');
        if (!next)
            break;
        c = next + 1;
    }
    const size_t rest = strlen(file + common);
    if (o + rest + 1 > cap)
        return -1;
    memcpy(out + o, file + common, rest + 1);
    return 0;
}

static json_t *db_array(const double *db, double offset_db)
{
    json_t *a = json_array();
    for (size_t i = 0; i < N_HZ; i++)
        json_array_append_new(a, num2(db[i] - offset_db));
    return a;
}

/* The crossfeed a profile is rendered with (the design's choice overrides the profile's). */
static CansimCrossfeed crossfeed_of(const CansimProfileInfo *info, const CansimDesignConfig *d)
{
    if (d && d->crossfeed.mode != CANSIM_CROSSFEED_PROFILE)
        return d->crossfeed;
    return info->crossfeed;
}

/* What the plot draws for one profile: {"db": [...], "cross_db": [...] or null, "basis",
 * "note"}, or null with the reason in *why. A curve profile without crossfeed draws the
 * simulated response its design follows; anything else draws its filter: an impulse response
 * as given (0 dB at 1 kHz, since its gain is arbitrary), a crossfed curve designed at 48 kHz
 * (the crossfeed is part of the filter's level), with the opposite ear's path beside it. */
static json_t *response(const CansimProfile *p, const CansimProfileInfo *info,
                        const CansimDesignConfig *design, const double *hz, char *why,
                        size_t why_cap, bool *is_oom)
{
    double db[N_HZ], cross[N_HZ];
    CansimDiag d = {{0}};
    const CansimCrossfeed cf = crossfeed_of(info, design);
    const bool has_crossfeed = cf.mode == CANSIM_CROSSFEED_ON;
    *is_oom = false;
    if (info->is_curve && !has_crossfeed && !info->has_hrtf) {
        if (cansim_profile_response_db(p, design, hz, db, N_HZ, &d)) {
            snprintf(why, why_cap, "%s", d.msg);
            return NULL;
        }
        json_t *r = json_object();
        json_object_set_new(r, "db", db_array(db, 0.0));
        json_object_set_new(r, "cross_db", json_null());
        json_object_set_new(r, "basis", json_string("curve"));
        json_object_set_new(r, "note",
                            json_string("the simulated response the filter is "
                                        "designed to, 0 dB at 1 kHz"));
        return r;
    }
    CansimProfile *fir = NULL;
    const double rate_hz = info->is_curve ? 48000.0 : cansim_profile_rate(p);
    if (cansim_profile_design(&fir, p, design, rate_hz, &d)) {
        snprintf(why, why_cap, "%s", d.msg);
        return NULL;
    }
    enum CansimCell cell = CANSIM_CELL_LL, cross_cell = CANSIM_CELL_LR;
    const char *side = "left ear (L->L)";
    if (!cansim_profile_taps(fir, CANSIM_CELL_LL)) {
        cell = CANSIM_CELL_RR;
        cross_cell = CANSIM_CELL_RL;
        side = "right ear (R->R)";
    }
    const bool has_opposite = cansim_profile_taps(fir, cross_cell) != NULL;
    json_t *r = NULL;
    if (!cansim_profile_taps(fir, cell)) {
        snprintf(why, why_cap, "%s: no direct path (only L->R and R->L) to draw", info->id);
        goto done;
    }
    int e = cansim_profile_magnitude_db(fir, cell, SMOOTH_OCT, hz, db, N_HZ, &d);
    if (!e && has_opposite)
        e = cansim_profile_magnitude_db(fir, cross_cell, SMOOTH_OCT, hz, cross, N_HZ, &d);
    if (e) {
        *is_oom = e == CANSIM_ENOMEM;
        snprintf(why, why_cap, "%s", d.msg);
        goto done;
    }
    double offset_db = 0.0;
    if (!info->is_curve) { /* 0 dB at 1 kHz, where the designs are normalised */
        size_t k = 0;
        while (k + 1 < N_HZ && hz[k + 1] <= 1000.0)
            k++;
        offset_db = isfinite(db[k]) ? db[k] : 0.0;
    }
    char note[256];
    if (info->has_hrtf)
        snprintf(note, sizeof note,
                 "the designed matrix (head-related responses, diffuse-field equalised%s): the "
                 "left speaker at the left ear (L->L) and the right ear (L->R), 1/12-octave "
                 "smoothed",
                 has_crossfeed ? ", with crossfeed" : "");
    else if (info->is_curve)
        snprintf(note, sizeof note,
                 "the designed filter with crossfeed (%g Hz, %g dB), %s, "
                 "1/12-octave smoothed",
                 cf.cut_hz, cf.feed_db, side);
    else
        snprintf(note, sizeof note,
                 "the impulse response%s, %s, 1/12-octave smoothed, 0 dB at "
                 "1 kHz",
                 has_crossfeed ? " with crossfeed" : "", side);
    r = json_object();
    json_object_set_new(r, "db", db_array(db, offset_db));
    json_object_set_new(r, "cross_db", has_opposite ? db_array(cross, offset_db) : json_null());
    json_object_set_new(r, "basis", json_string(info->is_curve ? "filter" : "impulse-response"));
    json_object_set_new(r, "note", json_string(note));
done:
    cansim_profile_close(&fir);
    return r;
}

/* true for a curve profile whose simulated response is flat (the reference, speakers), false
 * for one that is not, null for an impulse response or a curve that cannot be simulated. */
static json_t *is_flat(const CansimProfile *p, const CansimProfileInfo *info,
                       const CansimDesignConfig *design, const double *hz)
{
    double db[N_HZ];
    CansimDiag d;
    if (!info->is_curve || cansim_profile_response_db(p, design, hz, db, N_HZ, &d))
        return json_null();
    if (info->has_hrtf) /* its curve may be flat; its matrix is a head's */
        return json_false();
    for (size_t i = 0; i < N_HZ; i++)
        if (fabs(db[i]) > 0.05)
            return json_false();
    return json_true();
}

int page_href(const char *dir, const char *path, char *href, size_t cap, CansimDiag *diag)
{
    char dir_real[PATH_MAX], in_real[PATH_MAX], rel[PATH_MAX];
    if (!realpath(dir, dir_real)) {
        snprintf(diag->msg, sizeof diag->msg, "%s/index.html: %s", dir, strerror(errno));
        return -1;
    }
    if (!realpath(path, in_real)) {
        snprintf(diag->msg, sizeof diag->msg, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (relative_path(dir_real, in_real, rel, sizeof rel) || url_path(rel, href, cap)) {
        snprintf(diag->msg, sizeof diag->msg, "%s/index.html: the path to %s is too long", dir,
                 path);
        return -1;
    }
    return 0;
}

/* The page's data: the report's facts with file names only, every profile's description and
 * response, the plot's frequencies, and the links (relative URLs) to the renders (renders:
 * their folder's URL relative to the page's, "" or ending in '/') and the original. */
static json_t *page_data(Page *pg, const char *input_path, const char *renders,
                         const json_t *report, const CansimProfile *const *profiles, size_t n,
                         const CansimDesignConfig *design)
{
    char href[3 * PATH_MAX], name[3 * PATH_MAX];
    if (page_href(pg->dir, input_path, href, sizeof href, pg->diag))
        return NULL;
    const json_t *outputs = json_object_get(report, "outputs");
    if (json_array_size(outputs) != n) {
        fail(pg, "the report has %zu outputs for %zu profiles", json_array_size(outputs), n);
        return NULL;
    }
    double hz[N_HZ];
    json_t *hz_json = json_array();
    for (size_t i = 0; i < N_HZ; i++) {
        hz[i] = 20.0 * pow(1000.0, (double)i / (N_HZ - 1));
        json_array_append_new(hz_json, json_real(round(hz[i] * 100.0) / 100.0));
    }
    json_t *data = json_object();
    json_object_set_new(data, "cansim", json_string(cansim_version()));
    json_object_set_new(data, "hz", hz_json);
    static const char *const facts[] = {"input_lufs", "level",       "target_lufs", "ceiling_dbtp",
                                        "notices",    "translation", "level_scope", "drawer_level"};
    for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++) {
        json_t *v = json_object_get(report, facts[i]);
        json_object_set_new(data, facts[i], v ? json_deep_copy(v) : json_null());
    }
    json_t *original = json_object();
    json_object_set_new(original, "file", json_string(base_name(input_path)));
    json_object_set_new(original, "href", json_string(href));
    json_object_set_new(data, "original", original);
    json_t *list = json_array();
    json_object_set_new(data, "profiles", list);
    for (size_t j = 0; j < n; j++) {
        CansimProfileInfo info;
        cansim_profile_info(profiles[j], &info);
        const json_t *o = json_array_get(outputs, j);
        json_t *out = json_deep_copy(o);
        const char *file = json_string_value(json_object_get(o, "file"));
        if (!out || !file) {
            json_decref(out);
            json_decref(data);
            fail(pg, "output %zu of the report has no file", j);
            return NULL;
        }
        const size_t np = strlen(renders);
        if (np + 1 > sizeof href || url_path(base_name(file), name, sizeof name) ||
            np + strlen(name) + 1 > sizeof href) {
            json_decref(out);
            json_decref(data);
            fail(pg, "the name of %s is too long", file);
            return NULL;
        }
        memcpy(href, renders, np);
        memcpy(href + np, name, strlen(name) + 1);
        json_object_set_new(out, "file", json_string(base_name(file)));
        json_t *p = json_object();
        json_object_set_new(p, "id", json_string(info.id));
        json_object_set_new(p, "name", json_string(info.name));
        json_object_set_new(p, "group", json_string(group_name(profile_group(profiles[j]))));
        /* Its heading in listening order (the profiles come in it): the reference and the --on
         * headphone have their own before the groups'. */
        const int rank = listen_rank(profiles[j], design->on);
        json_object_set_new(p, "listen",
                            json_string(rank == LISTEN_REFERENCE ? "reference"
                                        : rank == LISTEN_ON
                                            ? "on"
                                            : group_name(profile_group(profiles[j]))));
        json_object_set_new(p, "tags", json_string(info.tags));
        json_object_set_new(p, "hrtf", json_boolean(info.has_hrtf));
        json_object_set_new(p, "back", json_string(info.back));
        json_object_set_new(p, "form", json_string(info.form));
        json_object_set_new(p, "rig", json_string(info.rig));
        json_object_set_new(p, "source", json_string(info.source));
        json_object_set_new(p, "credit", json_string(info.credit));
        json_object_set_new(p, "notes", json_string(info.notes));
        json_object_set_new(p, "kind", json_string(info.is_curve ? "curve" : "impulse-response"));
        const CansimCrossfeed cf = crossfeed_of(&info, design);
        json_t *cfj = json_null();
        if (cf.mode == CANSIM_CROSSFEED_ON)
            cfj = json_pack("{s:f,s:f}", "cut_hz", cf.cut_hz, "feed_db", cf.feed_db);
        json_object_set_new(p, "crossfeed", cfj);
        json_object_set_new(p, "flat", is_flat(profiles[j], &info, design, hz));
        json_object_set_new(p, "href", json_string(href));
        json_object_set_new(p, "output", out);
        char why[sizeof(CansimDiag)] = "";
        bool is_oom = false;
        json_t *r = response(profiles[j], &info, design, hz, why, sizeof why, &is_oom);
        if (is_oom) {
            json_decref(p);
            json_decref(data);
            fail(pg, "out of memory for %s's response", info.id);
            return NULL;
        }
        json_object_set_new(p, "response", r ? r : json_null());
        json_object_set_new(p, "response_error", r ? json_null() : json_string(why));
        json_array_append_new(list, p);
    }
    return data;
}

/* JSON inside <script type="application/json">: '<', '>' and '&' occur only inside strings
 * there, and become \u escapes, so no "</script" or "<!--" can end or bend the element. */
static int write_json(FILE *f, const json_t *data)
{
    char *text = json_dumps(data, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(6));
    if (!text)
        return -1;
    for (const char *c = text; *c; c++) {
        if (*c == '<')
            fputs("\\u003c", f);
        else if (*c == '>')
            fputs("\\u003e", f);
        else if (*c == '&')
            fputs("\\u0026", f);
        else
            fputc(*c, f);
    }
    free(text);
    return 0;
}

void page_html_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

int page_template(FILE *f, const char *title, const json_t *data)
{
    const char *t = (const char *)cansim_page_template;
    const char *end = t + cansim_page_template_size;
    while (t < end) {
        const char *m = memchr(t, '@', (size_t)(end - t));
        if (!m) {
            fwrite(t, 1, (size_t)(end - t), f);
            break;
        }
        fwrite(t, 1, (size_t)(m - t), f);
        if (end - m >= 9 && !memcmp(m, "@@TITLE@@", 9)) {
            page_html_text(f, title);
            t = m + 9;
        } else if (end - m >= 8 && !memcmp(m, "@@DATA@@", 8)) {
            if (write_json(f, data))
                return -1;
            t = m + 8;
        } else {
            fputc('@', f);
            t = m + 1;
        }
    }
    return 0;
}

json_t *page_json(const char *dir, const char *input_path, const char *renders,
                  const json_t *report, const CansimProfile *const *profiles, size_t n,
                  const CansimDesignConfig *design, CansimDiag *diag)
{
    Page pg = {.dir = dir, .diag = diag};
    return page_data(&pg, input_path, renders, report, profiles, n, design);
}

typedef struct TemplateBody {
    const char *title;
    const json_t *data;
} TemplateBody;

static int template_body(FILE *f, void *ctx)
{
    const TemplateBody *t = ctx;
    return page_template(f, t->title, t->data);
}

int page_write(const char *dir, const char *input_path, const json_t *report,
               const CansimProfile *const *profiles, size_t n, const CansimDesignConfig *design,
               CansimDiag *diag)
{
    Page pg = {.dir = dir, .diag = diag};
    diag->msg[0] = '\0';
    json_t *data = page_data(&pg, input_path, "", report, profiles, n, design);
    if (!data)
        return -1;
    TemplateBody t = {.title = base_name(input_path), .data = data};
    const int e = page_emit(dir, template_body, &t, diag);
    json_decref(data);
    return e;
}

int page_emit(const char *dir, int (*body)(FILE *f, void *ctx), void *ctx, CansimDiag *diag)
{
    Page pg = {.dir = dir, .diag = diag};
    char path[PATH_MAX + 32], part[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/index.html", dir);
    const int fd = open_unique_part(path, part, sizeof part);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        const int err = errno;
        if (fd >= 0) {
            close(fd);
            unlink(part);
        }
        return fail(&pg, "%s", strerror(err));
    }
    const int e = body(f, ctx);
    const bool is_bad = e || ferror(f);
    const int saved = errno;
    if (fclose(f) || is_bad) {
        const int err = is_bad ? saved : errno;
        unlink(part);
        return e ? fail(&pg, "out of memory") : fail(&pg, "%s", strerror(err ? err : EIO));
    }
    if (rename(part, path)) {
        const int err = errno;
        unlink(part);
        return fail(&pg, "%s", strerror(err));
    }
    return 0;
}

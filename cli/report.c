/* SPDX-License-Identifier: MIT */
/* One input's render report (JSON) and its readable summary on stderr. */
#include <math.h>
#include <stdio.h>

#include "cli.h"
#include "json_out.h"
#include "translation_report.h"

/* Why an input's report has no translation when none of its outputs has one (NULL: it has). */
static const char *why_no_translation(const Options *o, const CansimOutputResult *res, size_t n)
{
    size_t n_rendered = 0;
    for (size_t j = 0; j < n; j++) {
        if (res[j].translation.is_valid)
            return NULL;
        n_rendered += !res[j].status && !res[j].is_skipped;
    }
    if (!o->has_translation)
        return "not computed (--translation off)";
    if (!n_rendered)
        return NULL; /* failed, or kept: the kept entries say */
    return "the input has no active part (it is below the -70 LUFS gate), so no band changes";
}

/* The render report (JSON), one object per input:
 *   input          path of the input
 *   input_lufs     its integrated loudness, LUFS (BS.1770-4; mono counted as dual mono);
 *                  null below the -70 LUFS gate
 *   level          "match", "off" or "target";  target_lufs: the level aimed at, or null
 *   ceiling_dbtp   the true-peak ceiling of integer and FLAC outputs, or null (--ceiling off)
 *   notices        list of sentences (e.g. the input is below the gate)
 *   outputs        one object per profile:
 *     profile, file, format ("wav16" ... "aiff24")
 *     loudness_lufs      integrated loudness of the output, LUFS
 *     loudness_source    "measured" (metered on the output: through long filters, near
 *                        the gate, and where the gating puts the prediction in doubt) or
 *                        "predicted" (from the input's spectra; any format)
 *     true_peak_dbtp     true peak, dBTP (integer and FLAC outputs; else null)
 *     sample_peak_dbfs   sample peak, dBFS (float outputs; else null)
 *     gain_db            gain applied on top of the profile's filter, dB
 *     correction_db      the part of gain_db set after measuring the output, dB
 *     limited_by_ceiling true when the gain was lowered to hold the ceiling
 *     dithered           true for 16-bit outputs (TPDF, +-1 LSB)
 *     status             "ok", "limited" (held by the ceiling, so under the target) or "failed"
 *     error              the failure's message, or null
 *   level_scope    "drawer" or "profile" (--level-scope)
 *   drawer_level   with the drawer scope, when the ceiling set the renders' common level:
 *                  {lufs, limiting_profile, limiting_true_peak_dbtp, original_louder_db}
 *                  (the sentence is also in notices); else null
 *   (per output)   limiting: true for the output whose ceiling set that level
 * Values that are -inf (silence) are null. The whole run (--report FILE, --json) is
 * {"cansim": version, "inputs": [ ... ]}. */
/* The output whose ceiling set every render's level (CANSIM_LEVEL_SCOPE_DRAWER), or NULL; with
 * its sentence in buf ("all renders at -18.7 LUFS: ... the original is 4.4 dB louder"). */
static const CansimOutputResult *limiting_output(const CansimProfile *const *p,
                                                 const CansimOutputResult *res, size_t n, char *buf,
                                                 size_t buf_n)
{
    for (size_t j = 0; j < n; j++) {
        const CansimOutputResult *r = &res[j];
        if (r->status || !r->is_limiting)
            continue;
        snprintf(buf, buf_n,
                 "all renders at %.1f LUFS: %s reaches %.1f dBTP there; the original is %.1f dB "
                 "louder",
                 r->loudness_lufs, cansim_profile_id(p[j]), r->peak_db,
                 r->input_lufs - r->loudness_lufs);
        return r;
    }
    return NULL;
}

json_t *input_report(const Options *o, const char *input, const CansimProfile *const *p,
                     const CansimOutputResult *res, size_t n)
{
    static const char *const modes[] = {"off", "match", "target"};
    json_t *in = json_object();
    json_t *notices = json_array();
    json_t *outs = json_array();
    /* The input's facts come with every rendered output; kept ones carry none. */
    const CansimOutputResult *first = n ? &res[0] : NULL;
    for (size_t j = 0; j < n && first->is_skipped; j++)
        first = &res[j];
    json_object_set_new(in, "input", json_string(input));
    json_object_set_new(in, "input_lufs", json_db(first ? first->input_lufs : (double)NAN));
    json_object_set_new(in, "level", json_string(modes[o->level_mode]));
    json_object_set_new(in, "target_lufs", json_db(first ? first->target_lufs : (double)NAN));
    json_object_set_new(in, "ceiling_dbtp",
                        o->has_ceiling ? json_db(o->ceiling_dbtp) : json_null());
    if (first && first->is_below_gate)
        json_array_append_new(notices, json_string("input is below the -70 LUFS gate: rendered "
                                                   "at the filter's own gain"));
    json_object_set_new(
        in, "level_scope",
        json_string(o->level_scope == CANSIM_LEVEL_SCOPE_PROFILE ? "profile" : "drawer"));
    char sentence[512];
    const CansimOutputResult *lim = limiting_output(p, res, n, sentence, sizeof sentence);
    json_t *dl = json_null();
    if (lim) {
        dl = json_object();
        json_object_set_new(dl, "lufs", json_db(lim->loudness_lufs));
        json_object_set_new(dl, "limiting_profile", json_string(cansim_profile_id(p[lim - res])));
        json_object_set_new(dl, "limiting_true_peak_dbtp", json_db(lim->peak_db));
        json_object_set_new(dl, "original_louder_db",
                            json_db(lim->input_lufs - lim->loudness_lufs));
        json_array_append_new(notices, json_string(sentence));
    }
    json_object_set_new(in, "drawer_level", dl);
    for (size_t j = 0; j < n; j++) {
        const CansimOutputResult *r = &res[j];
        json_t *x = json_object();
        json_object_set_new(x, "profile", json_string(cansim_profile_id(p[j])));
        json_object_set_new(x, "file", json_string(r->path));
        json_object_set_new(x, "format", json_string(r->format));
        json_object_set_new(x, "loudness_lufs",
                            json_db(r->status ? (double)NAN : r->loudness_lufs));
        /* Neither measured nor predicted (--level off on float outputs): no source. */
        json_object_set_new(x, "loudness_source",
                            r->is_measured               ? json_string("measured")
                            : isfinite(r->loudness_lufs) ? json_string("predicted")
                                                         : json_null());
        json_object_set_new(x, "true_peak_dbtp",
                            r->is_true_peak ? json_db(r->peak_db) : json_null());
        json_object_set_new(x, "sample_peak_dbfs",
                            !r->is_true_peak && !r->status ? json_db(r->peak_db) : json_null());
        json_object_set_new(x, "gain_db", json_db(r->gain_db));
        json_object_set_new(x, "correction_db", json_db(r->correction_db));
        json_object_set_new(x, "limited_by_ceiling", json_boolean(r->is_limited));
        json_object_set_new(x, "limiting", json_boolean(r->is_limiting));
        json_object_set_new(x, "dithered", json_boolean(r->is_dithered));
        /* unmatched: complete, but not at the level asked (the notice says why). */
        const bool is_unmatched = !r->status && r->notice == CANSIM_ELEVEL;
        json_object_set_new(x, "status",
                            json_string(r->status       ? "failed"
                                        : is_unmatched  ? "unmatched"
                                        : r->is_limited ? "limited"
                                                        : "ok"));
        json_object_set_new(x, "error", r->status ? json_string(r->diag.msg) : json_null());
        json_object_set_new(x, "notice", is_unmatched ? json_string(r->diag.msg) : json_null());
        json_object_set_new(x, "translation", translation_entry(r));
        json_array_append_new(outs, x);
    }
    json_object_set_new(in, "notices", notices);
    json_object_set_new(in, "outputs", outs);
    translation_section(in, why_no_translation(o, res, n));
    return in;
}

static void print_db(double v, const char *unit)
{
    if (isfinite(v))
        fprintf(stderr, " %7.2f %s", v, unit);
    else
        fprintf(stderr, "    -inf %s", unit);
}

/* A gain as the summary shows it: no "-0.00"; a ceiling's cut under 0.005 dB gets the decimals
 * it needs, so "limited" never stands beside a gain of zero. */
static void print_gain(double gain_db, bool is_limited)
{
    const double r = round(gain_db * 100.0) / 100.0;
    int digits = 2;
    while (is_limited && digits < 9 && gain_db != 0.0 && fabs(gain_db) < 0.5 * pow(10.0, -digits))
        digits++;
    if (digits > 2)
        fprintf(stderr, "  gain %+.*f dB", digits, gain_db);
    else
        fprintf(stderr, "  gain %+6.2f dB", r + 0.0);
}

/* An output kept from an earlier run: what its report entry (from the manifest) says. */
static void print_kept(const CansimProfile *p, const json_t *e)
{
    const char *format = json_string_value(json_object_get(e, "format"));
    fprintf(stderr, "  %-36s %-7s", cansim_profile_id(p), format ? format : "");
    const json_t *lufs = json_object_get(e, "loudness_lufs");
    const json_t *tp = json_object_get(e, "true_peak_dbtp");
    const json_t *sp = json_object_get(e, "sample_peak_dbfs");
    const json_t *gain = json_object_get(e, "gain_db");
    if (!json_is_number(gain)) {
        fputs("  kept (up to date)\n", stderr);
        return;
    }
    print_db(json_is_number(lufs) ? json_number_value(lufs) : -(double)INFINITY, "LUFS");
    if (json_is_number(tp))
        print_db(json_number_value(tp), "dBTP");
    else
        print_db(json_is_number(sp) ? json_number_value(sp) : -(double)INFINITY, "dBFS");
    print_gain(json_number_value(gain), json_is_true(json_object_get(e, "limited_by_ceiling")));
    fputs(" (kept, up to date)\n", stderr);
}

/* The readable summary: one line per output. */
void print_summary(const char *input, const CansimProfile *const *p, const CansimOutputResult *res,
                   size_t n, const json_t *outs, const CansimProfile *on)
{
    if (!n)
        return;
    /* Found among the rendered outputs: kept ones carry no levels. */
    const CansimOutputResult *first = &res[0];
    for (size_t j = 0; j < n && first->is_skipped; j++)
        first = &res[j];
    const bool is_measured_input =
        isfinite(first->input_lufs) || first->is_below_gate || !isnan(first->target_lufs);
    fprintf(stderr, "%s: input", input);
    if (first->is_skipped)
        fputs(" (every output kept)", stderr);
    else if (is_measured_input)
        print_db(first->input_lufs, "LUFS");
    else
        fputs(" loudness not measured (--level off)", stderr);
    fputc('\n', stderr);
    if (first->is_below_gate)
        fprintf(stderr,
                "  note - %s is below the -70 LUFS gate: rendered at the filter's own "
                "gain\n",
                input);
    char sentence[512];
    if (limiting_output(p, res, n, sentence, sizeof sentence))
        fprintf(stderr, "  %s\n", sentence);
    /* In listening order (p's), each heading shown when there is more than one. */
    int first_rank = -1;
    bool has_titles = false;
    for (size_t j = 0; j < n; j++) {
        if (res[j].status)
            continue;
        const int rank = listen_rank(p[j], on);
        has_titles = has_titles || (first_rank >= 0 && rank != first_rank);
        if (first_rank < 0)
            first_rank = rank;
    }
    int shown = -1;
    for (size_t j = 0; j < n; j++) {
        const CansimOutputResult *r = &res[j];
        if (r->status)
            continue;
        const int rank = listen_rank(p[j], on);
        if (has_titles && rank != shown) {
            fprintf(stderr, "  %s:\n", listen_title(rank));
            shown = rank;
        }
        if (r->is_skipped) {
            print_kept(p[j], json_array_get(outs, j));
            continue;
        }
        fprintf(stderr, "  %-36s %-7s", cansim_profile_id(p[j]), r->format);
        const bool has_loudness = r->is_measured || isfinite(r->loudness_lufs);
        if (has_loudness)
            print_db(r->loudness_lufs, "LUFS");
        else
            fputs("       - LUFS", stderr);
        print_db(r->peak_db, r->is_true_peak ? "dBTP" : "dBFS");
        print_gain(r->gain_db, r->is_limited);
        fprintf(stderr, "%s%s\n",
                !has_loudness    ? " (loudness not measured)"
                : r->is_measured ? ""
                                 : " (loudness predicted)",
                r->is_limited ? " (limited by the ceiling)" : "");
        if (r->notice == CANSIM_ELEVEL)
            fprintf(stderr, "  note - %s: %s\n", cansim_profile_id(p[j]), r->diag.msg);
    }
}

/* SPDX-License-Identifier: MIT */
/* The translation report's command side: an input's `translation` section (report.json,
 * --json), its table on stderr, and the run's comparison of inputs (docs/translation.md). */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "translation_report.h"

/* dB to 0.01, as the rest of the report; NaN and infinities are null. */
static json_t *db(double v)
{
    return isfinite(v) ? json_real(round(v * 100.0) / 100.0) : json_null();
}

static json_t *moment_json(const CansimMoment *m)
{
    return json_pack("{s:s, s:o, s:o, s:o}", "band", cansim_band_name(m->band, NULL, NULL),
                     "start_s", db(m->start_s), "end_s", db(m->end_s), "rise_db", db(m->rise_db));
}

json_t *translation_entry(const CansimOutputResult *r)
{
    return r->status || r->is_skipped ? json_null() : translation_json(&r->translation);
}

json_t *translation_json(const CansimTranslation *t)
{
    if (!t->is_valid)
        return json_null();
    json_t *x = json_object();
    json_t *bd = json_object();
    json_t *tops = json_object();
    for (int b = 0; b < CANSIM_N_BANDS; b++) {
        const char *name = cansim_band_name(b, NULL, NULL);
        json_object_set_new(bd, name, db(t->band_db[b]));
        json_object_set_new(tops, name,
                            t->band_top[b].band < 0 ? json_null() : moment_json(&t->band_top[b]));
    }
    json_object_set_new(x, "band_db", bd);
    json_object_set_new(x, "overall_db", db(t->overall_db));
    json_object_set_new(x, "side_db", db(t->side_db));
    json_t *ms = json_array();
    for (int k = 0; k < CANSIM_N_MOMENTS; k++)
        if (t->moments[k].band >= 0)
            json_array_append_new(ms, moment_json(&t->moments[k]));
    json_object_set_new(x, "moments", ms);
    json_object_set_new(x, "band_moments", tops);
    return x;
}

static double num_or_nan(const json_t *v);

/* The band changes of outputs[k]'s translation as the library's struct (invalid: none). */
static CansimTranslation from_entry(const json_t *out)
{
    const json_t *tr = json_object_get(out, "translation");
    CansimTranslation t = {.is_valid = json_is_object(tr)};
    for (int b = 0; b < CANSIM_N_BANDS; b++)
        t.band_db[b] = num_or_nan(
            json_object_get(json_object_get(tr, "band_db"), cansim_band_name(b, NULL, NULL)));
    t.overall_db = num_or_nan(json_object_get(tr, "overall_db"));
    return t;
}

static const char *profile_of(const json_t *outs, size_t k)
{
    return json_string_value(json_object_get(json_array_get(outs, k), "profile"));
}

void translation_section(json_t *rep, const char *why_none)
{
    const json_t *outs = json_object_get(rep, "outputs");
    const size_t n = json_array_size(outs);
    json_t *sec = json_object();
    json_t *note = why_none
                       ? json_string(why_none)
                       : json_incref(json_object_get(json_object_get(rep, "translation"), "note"));
    json_t *bands = json_array();
    for (int b = 0; b < CANSIM_N_BANDS; b++) {
        double lo, hi;
        const char *name = cansim_band_name(b, &lo, &hi);
        json_array_append_new(bands,
                              json_pack("{s:s, s:f, s:f}", "band", name, "lo_hz", lo, "hi_hz", hi));
    }
    json_object_set_new(sec, "bands", bands);
    CansimTranslation *t = calloc(n ? n : 1, sizeof *t);
    size_t *rank = calloc(n ? n : 1, sizeof *rank);
    for (size_t k = 0; t && k < n; k++)
        t[k] = from_entry(json_array_get(outs, k));
    CansimTranslationDrawer d = {.rank = rank};
    json_t *spread = json_object();
    json_t *ranking = json_array();
    if (t && rank && !cansim_translation_drawer(t, n, &d)) {
        for (int b = 0; b < CANSIM_N_BANDS; b++) {
            if (d.lowest[b] == SIZE_MAX)
                continue;
            json_object_set_new(
                spread, cansim_band_name(b, NULL, NULL),
                json_pack("{s:o, s:s, s:o, s:s, s:o}", "spread_db", db(d.spread_db[b]), "lowest",
                          profile_of(outs, d.lowest[b]), "lowest_db", db(t[d.lowest[b]].band_db[b]),
                          "highest", profile_of(outs, d.highest[b]), "highest_db",
                          db(t[d.highest[b]].band_db[b])));
        }
        for (size_t k = 0; k < d.n_ranked; k++)
            json_array_append_new(ranking,
                                  json_pack("{s:s, s:o}", "profile", profile_of(outs, rank[k]),
                                            "overall_db", db(t[rank[k]].overall_db)));
    }
    json_object_set_new(sec, "spread", spread);
    json_object_set_new(sec, "ranking", ranking);
    if (note && !json_array_size(ranking))
        json_object_set_new(sec, "note", json_incref(note));
    json_decref(note);
    json_object_set_new(rep, "translation", sec);
    free(t);
    free(rank);
}

static double num_or_nan(const json_t *v)
{
    return json_is_number(v) ? json_number_value(v) : (double)NAN;
}

/* The stderr table's moments: those rising at least this much, this many at most. */
#define LISTEN_FIRST_DB    0.5
#define LISTEN_FIRST_LINES 5

static double top_rise(const json_t *profs, size_t k)
{
    const json_t *m = json_array_get(json_object_get(json_array_get(profs, k), "moments"), 0);
    return num_or_nan(json_object_get(m, "rise_db"));
}

static void print_cell(const json_t *v)
{
    if (json_is_number(v))
        fprintf(stderr, " %+6.1f", json_number_value(v));
    else
        fputs("      -", stderr);
}

/* The outputs with a translation, as {"profile", ...translation} objects (new references). */
static json_t *profiles_of(const json_t *rep)
{
    json_t *profs = json_array();
    size_t k;
    const json_t *out;
    json_array_foreach(json_object_get(rep, "outputs"), k, out)
    {
        const json_t *tr = json_object_get(out, "translation");
        if (!json_is_object(tr))
            continue;
        json_t *x = json_deep_copy(tr);
        json_object_set(x, "profile", json_object_get(out, "profile"));
        json_array_append_new(profs, x);
    }
    return profs;
}

void translation_print(const json_t *rep)
{
    const json_t *sec = json_object_get(rep, "translation");
    json_t *profs = profiles_of(rep);
    if (!json_array_size(profs)) {
        const char *note = json_string_value(json_object_get(sec, "note"));
        if (note)
            fprintf(stderr, "  translation: %s\n", note);
        json_decref(profs);
        return;
    }
    static const char *const abbrev[CANSIM_N_BANDS] = {"sub",   "bass", "lowmid", "mid",
                                                       "upmid", "pres", "brill",  "air"};
    const char *level = json_string_value(json_object_get(rep, "level"));
    fprintf(stderr, "  translation (dB %s)\n  %-36s",
            level && !strcmp(level, "off") ? "at the filters' own gain" : "after level matching",
            "");
    for (int b = 0; b < CANSIM_N_BANDS; b++)
        fprintf(stderr, " %6s", abbrev[b]);
    fprintf(stderr, " %6s %6s\n", "rms", "side");
    size_t i;
    const json_t *x;
    json_array_foreach(profs, i, x)
    {
        fprintf(stderr, "  %-36s", json_string_value(json_object_get(x, "profile")));
        const json_t *bd = json_object_get(x, "band_db");
        for (int b = 0; b < CANSIM_N_BANDS; b++)
            print_cell(json_object_get(bd, cansim_band_name(b, NULL, NULL)));
        print_cell(json_object_get(x, "overall_db"));
        print_cell(json_object_get(x, "side_db"));
        fputc('\n', stderr);
    }
    const json_t *spread = json_object_get(sec, "spread");
    fprintf(stderr, "  %-36s", "spread");
    for (int b = 0; b < CANSIM_N_BANDS; b++)
        print_cell(
            json_object_get(json_object_get(spread, cansim_band_name(b, NULL, NULL)), "spread_db"));
    fputc('\n', stderr);
    /* The strongest moments of the drawer: each profile's first, by rise, those of at least
     * LISTEN_FIRST_DB, at most LISTEN_FIRST_LINES. */
    const size_t n = json_array_size(profs);
    size_t *order = calloc(n, sizeof *order);
    size_t n_top = 0;
    for (size_t k = 0; order && k < n; k++) {
        const json_t *m = json_array_get(json_object_get(json_array_get(profs, k), "moments"), 0);
        const double rise = num_or_nan(json_object_get(m, "rise_db"));
        if (!(rise >= LISTEN_FIRST_DB))
            continue;
        size_t at = n_top++;
        for (; at > 0 && rise > top_rise(profs, order[at - 1]); at--)
            order[at] = order[at - 1];
        order[at] = k;
    }
    if (n_top)
        fputs("  listen first:\n", stderr);
    for (size_t k = 0; k < n_top && k < LISTEN_FIRST_LINES; k++) {
        const json_t *p = json_array_get(profs, order[k]);
        const json_t *m = json_array_get(json_object_get(p, "moments"), 0);
        fprintf(stderr, "    %-34s %-10s %6.1f-%.1f s  %+.1f dB above its average\n",
                json_string_value(json_object_get(p, "profile")),
                json_string_value(json_object_get(m, "band")),
                num_or_nan(json_object_get(m, "start_s")), num_or_nan(json_object_get(m, "end_s")),
                num_or_nan(json_object_get(m, "rise_db")));
    }
    free(order);
    json_decref(profs);
}

json_t *translation_run_section(const json_t *run_report)
{
    const json_t *inputs = json_object_get(run_report, "inputs");
    const size_t n_in = json_array_size(inputs);
    json_t *sec = json_object();
    json_t *by_prof = json_object();
    json_object_set_new(sec, "departures", by_prof);
    if (n_in < 2)
        return sec;
    /* Every profile some input reports (JSON objects keep insertion order). */
    for (size_t i = 0; i < n_in; i++) {
        size_t k;
        const json_t *x;
        json_array_foreach(json_object_get(json_array_get(inputs, i), "outputs"), k, x)
        {
            const char *id = json_string_value(json_object_get(x, "profile"));
            if (id && json_is_object(json_object_get(x, "translation")) &&
                !json_object_get(by_prof, id))
                json_object_set_new(by_prof, id, json_object());
        }
    }
    CansimTranslation *t = calloc(n_in, sizeof *t);
    const CansimTranslation **tp = calloc(n_in, sizeof *tp);
    const char *id;
    json_t *out;
    json_object_foreach(by_prof, id, out)
    {
        for (size_t i = 0; t && tp && i < n_in; i++) {
            tp[i] = NULL;
            size_t k;
            const json_t *x;
            json_array_foreach(json_object_get(json_array_get(inputs, i), "outputs"), k, x)
            {
                const char *pid = json_string_value(json_object_get(x, "profile"));
                if (!pid || strcmp(pid, id))
                    continue;
                t[i] = from_entry(x);
                tp[i] = t[i].is_valid ? &t[i] : NULL;
            }
        }
        size_t dep[CANSIM_N_BANDS];
        double by[CANSIM_N_BANDS];
        if (!t || !tp || cansim_translation_departure(tp, n_in, dep, by))
            continue;
        for (int b = 0; b < CANSIM_N_BANDS; b++)
            if (dep[b] != SIZE_MAX)
                json_object_set_new(
                    out, cansim_band_name(b, NULL, NULL),
                    json_pack("{s:O, s:o}", "input",
                              json_object_get(json_array_get(inputs, dep[b]), "input"), "by_db",
                              db(by[b])));
    }
    free(t);
    free((void *)tp);
    return sec;
}

void translation_print_run(const json_t *sec)
{
    const json_t *by_prof = json_object_get(sec, "departures");
    bool is_first = true;
    /* Per band, the profile and input of the largest departure (the report has them all). */
    for (int b = 0; b < CANSIM_N_BANDS; b++) {
        const char *band = cansim_band_name(b, NULL, NULL);
        const char *best_id = NULL;
        const json_t *best = NULL;
        const char *id;
        const json_t *bands;
        json_object_foreach((json_t *)by_prof, id, bands)
        {
            const json_t *d = json_object_get(bands, band);
            const double v = num_or_nan(json_object_get(d, "by_db"));
            if (d && isfinite(v) &&
                (!best || fabs(v) > fabs(num_or_nan(json_object_get(best, "by_db"))))) {
                best = d;
                best_id = id;
            }
        }
        if (!best)
            continue;
        if (is_first)
            fputs("translation across inputs (the input that departs most):\n", stderr);
        is_first = false;
        fprintf(stderr, "  %-10s %+6.1f dB  %s on %s\n", band,
                num_or_nan(json_object_get(best, "by_db")),
                json_string_value(json_object_get(best, "input")), best_id);
    }
}

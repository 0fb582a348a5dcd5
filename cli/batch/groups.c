/* SPDX-License-Identifier: MIT */
/* Gain groups: which inputs of a folder share one gain per profile (--gain-group auto: those
 * that look like one song's stems), and the group rendered together when any member is
 * stale. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>

#include "batch.h"

static int cmp_group(const void *a, const void *b)
{
    const Job *x = *(Job *const *)a, *y = *(Job *const *)b;
    const int c = strcmp(x->group, y->group);
    return c ? c : strcmp(x->rel, y->rel);
}

/* by[0..n-1] leave their group: each input is its own, with the reason why. */
static void split_group(Job **by, size_t n, const char *why)
{
    for (size_t k = 0; k < n; k++) {
        char *own = strdup(by[k]->rel);
        if (own) {
            free(by[k]->group);
            by[k]->group = own;
        }
        snprintf(by[k]->grouping, sizeof by[k]->grouping, "%s", why);
    }
}

/* --gain-group auto: a folder's inputs (by[0..n-1]) stay one gain group when they look like one
 * song's stems, as a DAW's stem export writes them: two or more, one rate, one length. Mixes of
 * other lengths are matched each on its own. The decision is printed for every folder of two or
 * more inputs. True when the group was split. */
static bool decide_auto(const Batch *b, Job **by, size_t n)
{
    bool is_one_rate = true, is_one_length = true;
    for (size_t k = 1; k < n; k++) {
        is_one_rate = is_one_rate && by[k]->info.rate_hz == by[0]->info.rate_hz;
        is_one_length = is_one_length && by[k]->info.n_frames == by[0]->info.n_frames;
    }
    const bool is_group = n >= 2 && is_one_rate && is_one_length;
    char why[sizeof by[0]->grouping];
    if (is_group)
        snprintf(why, sizeof why, "%zu stems of equal length, one gain group", n);
    else if (n == 1)
        snprintf(why, sizeof why, "%s",
                 by[0]->is_walked ? "1 file, matched alone" : "matched alone");
    else if (!is_one_rate)
        snprintf(why, sizeof why, "%zu files at different rates, each matched alone", n);
    else
        snprintf(why, sizeof why, "%zu files of different lengths, each matched alone", n);
    if (n >= 2 && b->o->verbosity >= 1 && !b->o->is_json) {
        char folder[PATH_MAX];
        group_folder(by[0], folder, sizeof folder);
        fprintf(stderr, "cansim: note - %s has %s\n", folder, why);
    }
    if (!is_group) {
        split_group(by, n, why);
        return n >= 2;
    }
    for (size_t k = 0; k < n; k++)
        snprintf(by[k]->grouping, sizeof by[k]->grouping, "%s", why);
    return false;
}

/* dir and all: a group of two or more stays one, unless its stems are at different rates and
 * no --rate converts them: then each input is matched on its own, with a notice. True when the
 * group was split. */
static bool decide_fixed(const Batch *b, Job **by, size_t n)
{
    const Options *o = b->o;
    char why[sizeof by[0]->grouping];
    bool is_mixed = false;
    for (size_t k = 1; k < n; k++)
        is_mixed = is_mixed || by[k]->info.rate_hz != by[0]->info.rate_hz;
    if (is_mixed && o->out_rate_hz == 0.0) {
        if (o->verbosity >= 1 && !o->is_json)
            fprintf(stderr,
                    "cansim: note - the inputs of %s/ are at different rates, so "
                    "each is level matched on its own (--rate keeps them one gain "
                    "group)\n",
                    by[0]->group[0] ? by[0]->group : ".");
        snprintf(why, sizeof why, "%zu files at different rates, each matched alone", n);
        split_group(by, n, why);
        return true;
    }
    if (n >= 2)
        snprintf(why, sizeof why, "%zu inputs, one gain group (--gain-group %s)", n,
                 o->gain_group == GAIN_GROUP_ALL ? "all" : "dir");
    else
        snprintf(why, sizeof why, "matched alone%s",
                 o->gain_group == GAIN_GROUP_NONE ? " (--gain-group none)" : "");
    for (size_t k = 0; k < n; k++)
        snprintf(by[k]->grouping, sizeof by[k]->grouping, "%s", why);
    return false;
}

/* The digest of a group's members (by[0..n-1]): their relative paths and content hashes (the
 * manifest's when the identity is unchanged, else hashed now). */
static void group_digest(Job **by, size_t n, char digest[33])
{
    XXH3_state_t *h = XXH3_createState();
    XXH3_128bits_reset(h);
    for (size_t k = 0; k < n; k++) {
        Job *j = by[k];
        const json_t *in = json_object_get(j->manifest, "input");
        if (!j->hash[0]) {
            if (identity_matches(in, &j->st))
                snprintf(j->hash, sizeof j->hash, "%s", str_of(in, "xxh3_128"));
            else if (hash_file(j->path, j->hash))
                snprintf(j->hash, sizeof j->hash, "unreadable");
        }
        XXH3_128bits_update(h, j->rel, strlen(j->rel) + 1);
        XXH3_128bits_update(h, j->hash, strlen(j->hash) + 1);
    }
    hex128_of(XXH3_128bits_digest(h), digest);
    XXH3_freeState(h);
}

/* A group of two or more (by[0..n-1]): its digest (a changed, added or removed stem
 * re-renders the group), and one skip mask (a profile stale for one member is rendered for
 * all, at the group's gain). */
static void plan_group(Batch *b, Job **by, size_t n)
{
    char digest[33];
    group_digest(by, n, digest);
    for (size_t k = 0; k < n; k++) {
        Job *j = by[k];
        snprintf(j->group_digest, sizeof j->group_digest, "%s", digest);
        if (strcmp(str_of(j->manifest, "gain_group"), digest))
            for (size_t q = 0; q < b->n_profiles; q++)
                if (j->skip[q]) {
                    j->skip[q] = false;
                    j->why[q] = "gain group changed";
                }
    }
    for (size_t q = 0; q < b->n_profiles; q++) {
        bool all = true;
        for (size_t k = 0; k < n; k++)
            all = all && by[k]->skip[q];
        for (size_t k = 0; k < n && !all; k++)
            if (by[k]->skip[q]) {
                by[k]->skip[q] = false;
                by[k]->why[q] = "rendered with its gain group";
            }
    }
    plan_song(b, by, n);
    for (size_t k = 0; k < n; k++) {
        by[k]->n_to_render = 0;
        for (size_t q = 0; q < b->n_profiles; q++)
            by[k]->n_to_render += !by[k]->skip[q];
    }
}

/* Rendered in a group before, on its own now (--gain-group none, or the others gone): its
 * gain changes, so every output is rendered again. */
static void plan_alone(const Batch *b, Job *j)
{
    j->n_to_render = 0;
    for (size_t q = 0; q < b->n_profiles; q++) {
        if (j->skip[q]) {
            j->skip[q] = false;
            j->why[q] = "gain group changed";
        }
        j->n_to_render++;
    }
}

/* The planned jobs (probed, not failed) into by, sorted by group; how many. */
static size_t by_group(Batch *b, Job **by)
{
    size_t n = 0;
    for (size_t i = 0; i < b->n_jobs; i++)
        if (b->jobs[i].state == JOB_PLANNED)
            by[n++] = &b->jobs[i];
    qsort(by, n, sizeof *by, cmp_group);
    return n;
}

/* Each group of by[0..n-1] (sorted by group) decided; true when one was split. */
static bool decide_all(const Batch *b, Job **by, size_t n)
{
    bool is_split = false;
    for (size_t i = 0; i < n;) {
        size_t e = i + 1;
        while (e < n && !strcmp(by[e]->group, by[i]->group))
            e++;
        if (b->o->gain_group == GAIN_GROUP_AUTO)
            is_split = decide_auto(b, &by[i], e - i) || is_split;
        else
            is_split = decide_fixed(b, &by[i], e - i) || is_split;
        i = e;
    }
    return is_split;
}

int decide_groups_early(Batch *b)
{
    Job **by = calloc(b->n_jobs ? b->n_jobs : 1, sizeof *by);
    if (!by)
        return -1;
    decide_all(b, by, by_group(b, by));
    free(by);
    b->is_decided = true;
    return 0;
}

Job **plan_groups(Batch *b)
{
    Job **by = calloc(b->n_jobs ? b->n_jobs : 1, sizeof *by);
    if (!by)
        return NULL;
    const size_t n = by_group(b, by);
    if (!b->is_decided && decide_all(b, by, n))
        qsort(by, n, sizeof *by, cmp_group);
    for (size_t i = 0; i < n;) {
        size_t e = i + 1;
        while (e < n && !strcmp(by[e]->group, by[i]->group))
            e++;
        if (e - i >= 2)
            plan_group(b, &by[i], e - i);
        else if (strcmp(str_of(by[i]->manifest, "gain_group"), ""))
            plan_alone(b, by[i]);
        i = e;
    }
    return by;
}

/* SPDX-License-Identifier: MIT */
/* Gain groups: stems of one folder share one gain per profile, so the group is rendered
 * together when any member is stale. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>

#include "batch.h"

static int cmp_group(const void *a, const void *b)
{
    const Job *x = *(Job *const *)a, *y = *(Job *const *)b;
    const int c = strcmp(x->group, y->group);
    return c ? c : strcmp(x->rel, y->rel);
}

/* Stems at different rates cannot be summed as they are: without --rate such a group is
 * split, each input matched on its own, with a notice. True when a group was split. */
static bool split_mixed_rates(const Batch *b, Job **by, size_t n)
{
    bool is_split = false;
    for (size_t i = 0; i < n && b->o->out_rate_hz == 0.0;) {
        size_t e = i + 1;
        bool is_mixed = false;
        while (e < n && !strcmp(by[e]->group, by[i]->group)) {
            is_mixed = is_mixed || by[e]->info.rate_hz != by[i]->info.rate_hz;
            e++;
        }
        if (is_mixed) {
            if (b->o->verbosity >= 1 && !b->o->is_json)
                fprintf(stderr,
                        "cansim: note - the inputs of %s/ are at different rates, so "
                        "each is level matched on its own (--rate keeps them one gain "
                        "group)\n",
                        by[i]->group[0] ? by[i]->group : ".");
            for (size_t k = i; k < e; k++) {
                char *own = strdup(by[k]->rel);
                if (own) {
                    free(by[k]->group);
                    by[k]->group = own;
                }
            }
            is_split = true;
        }
        i = e;
    }
    return is_split;
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
static void plan_group(const Batch *b, Job **by, size_t n)
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

Job **plan_groups(Batch *b)
{
    Job **by = calloc(b->n_jobs ? b->n_jobs : 1, sizeof *by);
    if (!by)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < b->n_jobs; i++)
        if (b->jobs[i].state == JOB_PLANNED)
            by[n++] = &b->jobs[i];
    qsort(by, n, sizeof *by, cmp_group);
    if (split_mixed_rates(b, by, n))
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

/* SPDX-License-Identifier: MIT */
/* The run's report in a fixed order, and an input's report read back from its folder: what
 * lets shards, threads and status agree on one report byte for byte. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *str_at(const json_t *obj, const char *key)
{
    const char *v = json_string_value(json_object_get(obj, key));
    return v ? v : "";
}

static int cmp_inputs(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    const int c = strcmp(str_at(x, "relative_path"), str_at(y, "relative_path"));
    return c ? c : strcmp(str_at(x, "input"), str_at(y, "input"));
}

static int cmp_groups(const void *a, const void *b)
{
    return strcmp(str_at(*(json_t *const *)a, "group"), str_at(*(json_t *const *)b, "group"));
}

static void sort_array(json_t *arr, int (*cmp)(const void *, const void *))
{
    const size_t n = json_array_size(arr);
    json_t **items = malloc((n ? n : 1) * sizeof *items);
    if (!items)
        return;
    for (size_t i = 0; i < n; i++)
        items[i] = json_incref(json_array_get(arr, i));
    qsort(items, n, sizeof *items, cmp);
    json_array_clear(arr);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, items[i]);
    free(items);
}

void run_report_sort(json_t *report)
{
    sort_array(json_object_get(report, "inputs"), cmp_inputs);
    sort_array(json_object_get(report, "groups"), cmp_groups);
}

json_t *kept_report(const char *dir, const CansimProfile *const *p, size_t n, CansimDiag *diag)
{
    char path[4200];
    json_error_t jerr;
    snprintf(path, sizeof path, "%s/" OUTPUT_REPORT, dir);
    json_t *rep = json_load_file(path, 0, &jerr);
    snprintf(path, sizeof path, "%s/" OUTPUT_MANIFEST, dir);
    json_t *man = rep ? json_load_file(path, 0, &jerr) : NULL;
    const json_t *recs = json_object_get(man, "outputs");
    json_t *outs = json_array();
    const char *missing = !json_is_object(rep)    ? OUTPUT_REPORT
                          : !json_is_object(recs) ? OUTPUT_MANIFEST
                                                  : NULL;
    for (size_t k = 0; k < n && !missing && outs; k++) {
        json_t *entry = json_object_get(json_object_get(recs, cansim_profile_id(p[k])), "report");
        if (!entry || json_array_append(outs, entry))
            missing = cansim_profile_id(p[k]);
    }
    if (missing || !outs) {
        snprintf(diag->msg, sizeof diag->msg, "%s/: no %s%s", dir, missing ? missing : "memory",
                 missing && strcmp(missing, OUTPUT_REPORT) && strcmp(missing, OUTPUT_MANIFEST)
                     ? " in the manifest"
                     : "");
        json_decref(rep);
        rep = NULL;
    } else {
        json_object_set(rep, "outputs", outs);
    }
    json_decref(outs);
    json_decref(man);
    return rep;
}

/* SPDX-License-Identifier: MIT */
/* What a folder's manifest announces before its renders are written ("pending"): the files a
 * run is about to write, so that renders a killed run completed stay cansim's own, and what the
 * announcement becomes when the run records its outputs or writes nothing. */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outputs.h"

static const char *file_of(const json_t *rec)
{
    const char *v = json_string_value(json_object_get(rec, "file"));
    return v ? v : "";
}

void pending_carry(const json_t *old, json_t *man, const char *dir)
{
    json_t *keep = json_array();
    size_t i;
    const json_t *p;
    json_array_foreach(json_object_get(old, "pending"), i, p)
    {
        const char *file = json_string_value(p);
        char path[2 * PATH_MAX];
        struct stat st;
        bool is_recorded = false;
        const char *id;
        const json_t *rec;
        json_object_foreach(json_object_get(man, "outputs"), id, rec) is_recorded =
            is_recorded || !strcmp(file_of(rec), file ? file : "");
        if (file && !is_recorded &&
            snprintf(path, sizeof path, "%s/%s", dir, file) < (int)sizeof path && !lstat(path, &st))
            json_array_append_new(keep, json_string(file));
    }
    if (json_array_size(keep))
        json_object_set_new(man, "pending", keep);
    else
        json_decref(keep);
}

void pending_settle(const char *dir, bool had_manifest)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/" MANIFEST_NAME, dir);
    json_t *man = json_load_file(path, 0, NULL);
    json_t *copy = json_is_object(man) ? json_deep_copy(man) : NULL;
    if (copy) {
        json_object_del(copy, "pending");
        pending_carry(man, copy, dir);
        if (!had_manifest && json_object_size(copy) <= 2 &&
            !json_object_size(json_object_get(copy, "outputs")))
            unlink(path);
        else
            write_json_atomic(path, copy);
    }
    json_decref(copy);
    json_decref(man);
}

int pending_announce(const char *dir, const char *const *ids, size_t n_ids, const char *ext,
                     const char *version)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/" MANIFEST_NAME, dir);
    json_t *man = json_load_file(path, 0, NULL);
    if (!json_is_object(man)) {
        json_decref(man);
        man = json_pack("{s:s, s:{}}", "cansim", version, "outputs");
    }
    json_object_del(man, "report_file");
    json_t *pending = json_object_get(man, "pending");
    if (!json_is_array(pending)) {
        pending = json_array();
        json_object_set_new(man, "pending", pending);
    }
    json_t *outs = json_object_get(man, "outputs");
    for (size_t k = 0; k < n_ids; k++) {
        char name[PATH_MAX];
        snprintf(name, sizeof name, "%s.%s", ids[k], ext);
        json_array_append_new(pending, json_string(name));
        /* Replaced now: its record goes until the new one is written (its file, if another
         * format's, stays cansim's as pending). */
        const char *old_file = file_of(json_object_get(outs, ids[k]));
        if (old_file[0] && strcmp(old_file, name))
            json_array_append_new(pending, json_string(old_file));
        json_object_del(outs, ids[k]);
    }
    const int rc = write_json_atomic(path, man);
    json_decref(man);
    return rc;
}

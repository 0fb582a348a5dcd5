/* SPDX-License-Identifier: MIT */
/* A gain group's song renders, OUT/<group folder>/song/<profile>.<ext>: the song on each
 * headphone, its stems' renders summed by the library in the group's pass. The folder is
 * cansim's like an input's: locked while written, its renders announced first, then its report
 * and manifest; a missing or stale song render renders its group again. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "batch.h"

void song_folder(const Batch *b, const Job *j, char *out, size_t n)
{
    const bool is_root = !j->group[0] || !strcmp(j->group, "*");
    snprintf(out, n, "%s/%s%ssong", b->o->output_dir, is_root ? "" : j->group, is_root ? "" : "/");
}

/* The song's manifest as its folder holds it, or NULL. */
static json_t *load_song_manifest(const char *dir, bool *has_file)
{
    char path[PATH_MAX + 64];
    struct stat st;
    snprintf(path, sizeof path, "%s/" MANIFEST_NAME, dir);
    *has_file = !stat(path, &st);
    json_t *m = *has_file ? json_load_file(path, 0, NULL) : NULL;
    if (m && !json_is_object(m)) {
        json_decref(m);
        m = NULL;
    }
    return m;
}

/* Whether the song render of profile q recorded in m is there and made from what this run
 * would make it from. */
static bool is_song_current(const Batch *b, const Job *j, const json_t *m, size_t q, bool is_ok)
{
    const json_t *rec =
        json_object_get(json_object_get(m, "outputs"), cansim_profile_id(b->profiles[q]));
    char dir[PATH_MAX], path[2 * PATH_MAX];
    struct stat st;
    if (!is_ok || !rec || strcmp(str_of(rec, "profile_digest"), b->digests[q]))
        return false;
    song_folder(b, j, dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s", dir, str_of(rec, "file"));
    return !stat(path, &st) && st.st_size == int_of(rec, "size") &&
           mtime_ns(&st) == int_of(rec, "mtime_ns");
}

void plan_song(Batch *b, Job **by, size_t n)
{
    const Options *o = b->o;
    char dir[PATH_MAX], member[PATH_MAX];
    song_folder(b, by[0], dir, sizeof dir);
    for (size_t k = 0; k < n; k++) {
        out_folder(b, by[k], member, sizeof member);
        if (!strcmp(member, dir)) {
            if (o->verbosity >= 1 && !o->is_json)
                fprintf(stderr,
                        "cansim: note - %s is a stem of its gain group: the group's song renders "
                        "would share its folder %s/, so none are written\n",
                        by[k]->path, dir);
            return;
        }
    }
    bool has_file;
    json_t *m = load_song_manifest(dir, &has_file);
    const char *ext = output_ext(b, by[0]);
    char(*names)[256] = calloc(b->n_profiles + 2, sizeof *names);
    size_t n_names = 0;
    for (size_t q = 0; names && q < b->n_profiles; q++)
        snprintf(names[n_names++], sizeof *names, "%s.%s", cansim_profile_id(b->profiles[q]), ext);
    if (names) {
        snprintf(names[n_names++], sizeof *names, "%s", REPORT_NAME);
        snprintf(names[n_names++], sizeof *names, "%s", MANIFEST_NAME);
    }
    char *line = names ? check_folder_outputs(dir, (const char(*)[256])names, n_names, m, has_file,
                                              b->inputs, o->is_force)
                       : NULL;
    if (line || !names) {
        if (o->verbosity >= 1 && !o->is_json)
            fprintf(stderr, "cansim: note - no song renders for %s/: %s\n", dir,
                    line ? line : "out of memory");
        free(line);
        free(names);
        json_decref(m);
        return;
    }
    free(names);
    const bool is_ok = m && !strcmp(str_of(m, "cansim"), cansim_version()) &&
                       !strcmp(str_of(m, "options"), b->options_digest) &&
                       !strcmp(str_of(m, "gain_group"), by[0]->group_digest);
    for (size_t q = 0; q < b->n_profiles; q++) {
        if (is_song_current(b, by[0], m, q, is_ok))
            continue;
        for (size_t k = 0; k < n; k++)
            if (by[k]->skip[q]) {
                by[k]->skip[q] = false;
                by[k]->why[q] = "song render missing or stale";
            }
    }
    for (size_t k = 0; k < n; k++)
        by[k]->has_song = true;
    json_decref(m);
}

bool song_begin(const Batch *b, const Job *j, FolderLock *lock, char *line, size_t n_line)
{
    char dir[PATH_MAX], path[PATH_MAX + 64];
    song_folder(b, j, dir, sizeof dir);
    long pid;
    const int e = folder_lock(lock, dir, &pid);
    if (e) {
        if (e > 0)
            snprintf(line, n_line, "%s: no song renders: another cansim run (pid %ld) writes it",
                     dir, pid);
        else
            snprintf(line, n_line, "%s: no song renders: cannot make or lock the folder: %s", dir,
                     strerror(errno));
        return false;
    }
    remove_stale_parts(dir);
    snprintf(path, sizeof path, "%s/" REPORT_NAME, dir);
    unlink(path);
    const char **ids = malloc((b->n_profiles ? b->n_profiles : 1) * sizeof *ids);
    size_t n_ids = 0;
    for (size_t k = 0; ids && k < b->n_profiles; k++)
        if (!j->skip[k])
            ids[n_ids++] = cansim_profile_id(b->profiles[k]);
    const int rc = ids ? pending_announce(dir, ids, n_ids, output_ext(b, j), cansim_version()) : -1;
    free(ids);
    if (rc) {
        snprintf(line, n_line, "%s: no song renders: cannot write the manifest: %s", dir,
                 strerror(errno));
        folder_unlock(lock);
        return false;
    }
    return true;
}

void song_record(Run *run, const Job *j, const CansimOutputResult *song, bool is_written,
                 const json_t *group)
{
    const Batch *b = run->b;
    char dir[PATH_MAX], path[PATH_MAX + 64], folder[PATH_MAX];
    song_folder(b, j, dir, sizeof dir);
    if (!is_written) {
        pending_settle(dir, true);
        return;
    }
    bool has_file;
    json_t *old = load_song_manifest(dir, &has_file);
    group_folder(j, folder, sizeof folder);
    json_t *rep = input_report(b->o, folder, b->profiles, song, b->n_profiles);
    json_object_set(rep, "gain_group", (json_t *)group);
    json_object_set_new(rep, "song", json_string("the sum of the gain group's stems' renders"));
    json_t *man = json_pack("{s:s, s:s, s:s, s:s, s:{}}", "cansim", cansim_version(), "options",
                            b->options_digest, "gain_group", j->group_digest, "gain_grouping",
                            j->grouping, "outputs");
    json_t *outs = json_object_get(rep, "outputs");
    json_t *man_outs = json_object_get(man, "outputs");
    const json_t *old_outs = json_object_get(old, "outputs");
    /* Song renders of profiles outside this run's selection stay recorded while what they were
     * made from is unchanged (as an input's outputs do, manifest.c). */
    if (!strcmp(str_of(old, "cansim"), cansim_version()) &&
        !strcmp(str_of(old, "options"), b->options_digest) &&
        !strcmp(str_of(old, "gain_group"), j->group_digest)) {
        const char *id;
        json_t *rec;
        json_object_foreach((json_t *)old_outs, id, rec) json_object_set(man_outs, id, rec);
    }
    int n_ok = 0, n_bad = 0;
    for (size_t k = 0; k < b->n_profiles; k++) {
        const char *id = cansim_profile_id(b->profiles[k]);
        if (song[k].is_skipped) {
            json_t *rec = json_object_get(old_outs, id);
            if (rec) {
                json_object_set(man_outs, id, rec);
                if (json_object_get(rec, "report"))
                    json_array_set(outs, k, json_object_get(rec, "report"));
            }
            continue;
        }
        if (song[k].status) {
#pragma omp critical(cansim_run)
            {
                add_failure(run, song[k].diag.msg);
                run->n_failed++;
            }
            n_bad++;
            continue;
        }
        json_t *rec = manifest_record(song[k].path, b->digests[k], json_array_get(outs, k));
        if (rec)
            json_object_set_new(man_outs, id, rec);
        n_ok++;
    }
    snprintf(path, sizeof path, "%s/" REPORT_NAME, dir);
    const bool is_report = !write_json_atomic(path, rep);
    pending_carry(old, man, dir);
    snprintf(path, sizeof path, "%s/" MANIFEST_NAME, dir);
    const bool is_manifest = !write_json_atomic(path, man);
    if (!is_report || !is_manifest) {
        char line[PATH_MAX + 128];
        snprintf(line, sizeof line, "%s/%s: cannot write it: %s", dir,
                 is_report ? MANIFEST_NAME : REPORT_NAME, strerror(errno));
#pragma omp critical(cansim_run)
        {
            add_failure(run, line);
            run->n_failed++;
        }
    }
#pragma omp critical(cansim_run)
    {
        run->songs_written += (size_t)n_ok;
        run->song_groups += n_ok > 0;
    }
    json_decref(old);
    json_decref(man);
    json_decref(rep);
}

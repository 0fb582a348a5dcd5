/* SPDX-License-Identifier: MIT */
/* Per input, what is up to date: its manifest read under its folder's lock, each profile's
 * output kept or rendered (and why), and what it would write checked first. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "batch.h"

/* The extension of the outputs of j (as the library names them: libsndfile's for the format). */
const char *output_ext(const Batch *b, const Job *j)
{
    const char *f =
        b->o->format == CANSIM_FORMAT_SAME ? j->info.same_format : cansim_format_name(b->o->format);
    static const char *const known[] = {"wav", "flac", "aiff"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (!strncmp(f, known[i], strlen(known[i])))
            return known[i];
    return f;
}

/* Before anything is written for j: none of the files it may write is an input, and none that
 * exists is replaced unless cansim's manifest records it as its own (or --force). */
static void check_outputs(Batch *b, Job *j, bool has_manifest_file)
{
    char dir[PATH_MAX];
    out_folder(b, j, dir, sizeof dir);
    const char *ext = output_ext(b, j);
    const size_t n = b->n_profiles;
    char(*names)[256] = calloc(n + 3, sizeof *names);
    if (!names) {
        job_fail(j, "%s: out of memory", j->path);
        return;
    }
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        snprintf(names[m++], sizeof *names, "%s.%s", cansim_profile_id(b->profiles[k]), ext);
    snprintf(names[m++], sizeof *names, "%s", REPORT_NAME);
    snprintf(names[m++], sizeof *names, "%s", MANIFEST_NAME);
    if (b->o->has_page)
        snprintf(names[m++], sizeof *names, "index.html");
    char *line = check_folder_outputs(dir, (const char(*)[256])names, m, j->manifest,
                                      has_manifest_file, b->inputs, b->o->is_force);
    if (line)
        job_fail(j, "%s", line);
    free(line);
    free(names);
}

/* Reads the input's manifest and decides, per profile, whether its output is up to date. */
static void plan_job(Batch *b, Job *j)
{
    const Options *o = b->o;
    const size_t n = b->n_profiles;
    j->skip = calloc(n, sizeof *j->skip);
    j->why = calloc(n, sizeof *j->why);
    if (!j->skip || !j->why) {
        job_fail(j, "%s: out of memory", j->path);
        return;
    }
    char dir[PATH_MAX], path[PATH_MAX + 64];
    out_folder(b, j, dir, sizeof dir);
    snprintf(path, sizeof path, "%s/" MANIFEST_NAME, dir);
    const char *all = NULL;
    json_error_t jerr;
    j->has_man = !stat(path, &j->man_st);
    if (j->has_man) {
        j->manifest = json_load_file(path, 0, &jerr);
        if (!j->manifest || !json_is_object(j->manifest)) {
            json_decref(j->manifest);
            j->manifest = NULL;
            if (o->verbosity >= 1)
                fprintf(stderr,
                        "cansim: note - the manifest %s is unreadable; its outputs "
                        "are rendered again\n",
                        path);
        }
    }
    const json_t *m = j->manifest;
    const json_t *in = json_object_get(m, "input");
    /* The folder's renders are another input's (v1/mix.wav, then v2/mix.wav into one OUT):
     * replaced only with --force, unless the input moved with its content unchanged. */
    const char *other = str_of(in, json_object_get(in, "abs") ? "abs" : "path");
    const bool is_other = other[0] && strcmp(other, json_object_get(in, "abs") ? j->abs : j->path);
    bool has_hash = false;
    if (m && (is_other || !identity_matches(in, &j->st))) {
        /* The identity moved: the content decides (a copy or a touch keeps its renders). */
        if (hash_file(j->path, j->hash)) {
            job_fail(j, "%s: cannot read: %s", j->path, strerror(errno));
            return;
        }
        has_hash = true;
    }
    if (is_other && !o->is_force && strcmp(j->hash, str_of(in, "xxh3_128"))) {
        job_fail(j, "%s: %s/ holds the renders of another input, %s; --force replaces them",
                 j->path, dir, str_of(in, "path"));
        return;
    }
    check_outputs(b, j, j->has_man);
    if (j->state != JOB_PLANNED)
        return;
    if (o->is_force)
        all = "forced";
    else if (!m)
        all = "new";
    else if (strcmp(str_of(m, "cansim"), cansim_version()))
        all = "cansim version changed";
    else if (strcmp(str_of(m, "options"), b->options_digest))
        all = "options changed";
    else if (has_hash && strcmp(j->hash, str_of(in, "xxh3_128")))
        all = "input changed";
    j->is_moved = m && !all && has_hash;
    /* The report is an output too: missing or changed, the input is rendered again. */
    const json_t *rep_rec = json_object_get(m, "report_file");
    struct stat rst;
    snprintf(path, sizeof path, "%s/" REPORT_NAME, dir);
    if (!all && (!rep_rec || stat(path, &rst) || int_of(rep_rec, "size") != (int64_t)rst.st_size ||
                 int_of(rep_rec, "mtime_ns") != mtime_ns(&rst)))
        all = rep_rec && !access(path, F_OK) ? "report changed" : "report missing";
    const json_t *outs = json_object_get(m, "outputs");
    for (size_t k = 0; k < n; k++) {
        const char *id = cansim_profile_id(b->profiles[k]);
        const json_t *rec = json_object_get(outs, id);
        char file[PATH_MAX + 300];
        struct stat ost;
        const char *why = all;
        if (!why && !rec)
            why = "new profile";
        else if (!why && strcmp(str_of(rec, "profile_digest"), b->digests[k]))
            why = "profile changed";
        else if (!why && (snprintf(file, sizeof file, "%s/%s", dir, str_of(rec, "file")) < 0 ||
                          !str_of(rec, "file")[0] || stat(file, &ost)))
            why = "output missing";
        else if (!why && (int_of(rec, "size") != (int64_t)ost.st_size ||
                          int_of(rec, "mtime_ns") != mtime_ns(&ost)))
            why = "output modified";
        j->why[k] = why;
        j->skip[k] = !why;
        j->n_to_render += !j->skip[k];
    }
}

/* The line of an input whose folder another run holds. */
void busy_line(const Batch *b, const Job *j, long pid, char *line, size_t n)
{
    char dir[PATH_MAX];
    out_folder(b, j, dir, sizeof dir);
    if (pid > 0)
        snprintf(line, n,
                 "%s: its folder %s/ is being written by another cansim run (pid %ld); "
                 "run again when it has finished",
                 j->path, dir, pid);
    else
        snprintf(line, n,
                 "%s: its folder %s/ is being written by another cansim run; run "
                 "again when it has finished",
                 j->path, dir);
}

/* ------------------------------------------------------------------ the command */

/* Every input, to keep outputs off them: the audio inputs and the files among -p, --target and
 * --on. */
static int gather_inputs(Batch *b)
{
    const Options *o = b->o;
    if (!(b->inputs = input_set_new()))
        return -1;
    for (size_t i = 0; i < b->n_jobs; i++)
        if (input_set_add(b->inputs, b->jobs[i].path))
            return -1;
    const char *lists[] = {o->profiles, o->target, o->on};
    for (size_t l = 0; l < sizeof lists / sizeof *lists; l++) {
        if (!lists[l])
            continue;
        if (input_set_add(b->inputs, lists[l]))
            return -1;
        const size_t cap = strlen(lists[l]) + 1;
        char *item = malloc(cap);
        if (!item)
            return -1;
        size_t pos = 0;
        while (profile_list_next(lists[l], &pos, item, cap))
            if (input_set_add(b->inputs, item)) {
                free(item);
                return -1;
            }
        free(item);
    }
    /* Sorted now, while one thread runs. */
    input_set_find(b->inputs, "/");
    return 0;
}

/* Plans every input: under its folder's lock (none in a dry run), reads its manifest, decides
 * what is up to date and checks what it would write. An input whose folder another run holds
 * fails, and so does the rest of its gain group. 0, -1 out of memory, or an exit code. */
int plan_all(Batch *b)
{
    const Options *o = b->o;
    if (gather_inputs(b))
        return -1;
    int rc;
    if (o->report && strcmp(o->report, "auto") &&
        (rc = check_report_path(o->report, b->inputs, o->output_dir, o->is_force)))
        return rc;
    /* dry runs and status read the tree, unlocked (manifests change only by rename) */
    const bool is_writing = !o->is_dry_run && !o->is_status;
    if (is_writing && make_dirs(o->output_dir)) {
        fprintf(stderr, "cansim: %s: cannot create the output folder: %s\n", o->output_dir,
                strerror(errno));
        return EXIT_PARTIAL;
    }
    char line[2 * PATH_MAX + 256];
    for (size_t i = 0; i < b->n_jobs; i++) {
        Job *j = &b->jobs[i];
        if (j->state != JOB_PLANNED)
            continue;
        char dir[PATH_MAX];
        out_folder(b, j, dir, sizeof dir);
        long pid = 0;
        const int e = is_writing ? folder_lock(&j->lock, dir, &pid) : 0;
        if (e > 0) {
            busy_line(b, j, pid, line, sizeof line);
            job_fail(j, "%s", line);
            j->is_busy = true;
            continue;
        }
        if (e < 0) {
            job_fail(j, "%s: cannot make or lock the folder: %s", dir, strerror(errno));
            continue;
        }
        plan_job(b, j);
        if (is_writing && j->state == JOB_PLANNED && !j->n_to_render && j->is_moved)
            record_identity(b, j);
        if (is_writing)
            folder_unlock(&j->lock);
    }
    for (size_t i = 0; i < b->n_jobs; i++) {
        if (!b->jobs[i].is_busy)
            continue;
        for (size_t k = 0; k < b->n_jobs; k++) {
            Job *j = &b->jobs[k];
            if (j->state == JOB_PLANNED && !strcmp(j->group, b->jobs[i].group) &&
                strcmp(j->group, j->rel))
                job_fail(j,
                         "%s: not rendered: %s, of its gain group, is being written by another "
                         "cansim run",
                         j->path, b->jobs[i].path);
        }
    }
    return 0;
}

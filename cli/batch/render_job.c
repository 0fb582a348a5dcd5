/* SPDX-License-Identifier: MIT */
/* One input rendered: its folder locked and announced, its outputs written, then recorded. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "batch.h"

/* Read before the render. */
bool prepare_member(Run *run, Job *j, struct stat *st)
{
    if (!stat(j->path, st) && (j->hash[0] || !hash_file(j->path, j->hash)))
        return true;
    char line[PATH_MAX + 1200];
    snprintf(line, sizeof line, "%s: cannot read: %s", j->path, strerror(errno));
#pragma omp critical(cansim_run)
    {
        add_failure(run, line);
        run->n_failed++;
    }
    return false;
}

void mark_interrupted(Worker *w)
{
#pragma omp critical(cansim_run)
    {
        w->run->is_interrupted = true;
        w->run->partial_s[w->index] = 0.0;
    }
}

/* Takes j's folder lock to write it. False (the line in line) when another run holds it or
 * wrote the folder since this run planned it. Then removes what a killed run left there, and
 * announces the renders about to be written in the manifest ("pending"), so that they stay
 * cansim's own if this run is killed before it records them. */
bool begin_write(const Batch *b, Job *j, char *line, size_t n_line)
{
    char dir[PATH_MAX], path[PATH_MAX + 64];
    out_folder(b, j, dir, sizeof dir);
    long pid;
    const int e = folder_lock(&j->lock, dir, &pid);
    if (e) {
        if (e > 0)
            busy_line(b, j, pid, line, n_line);
        else
            snprintf(line, n_line, "%s: cannot make or lock the folder: %s", dir, strerror(errno));
        return false;
    }
    snprintf(path, sizeof path, "%s/" MANIFEST_NAME, dir);
    struct stat st;
    const bool has = !stat(path, &st);
    if (has != j->has_man ||
        (has && (st.st_ino != j->man_st.st_ino || st.st_size != j->man_st.st_size ||
                 mtime_ns(&st) != mtime_ns(&j->man_st)))) {
        snprintf(line, n_line,
                 "%s: its folder %s/ was written by another cansim run while this "
                 "one planned; run again",
                 j->path, dir);
        folder_unlock(&j->lock);
        return false;
    }
    remove_stale_parts(dir);
    /* The report and page describe outputs about to be replaced: gone until rewritten, so a
     * kill meanwhile leaves nothing that claims what the files do not hold. */
    char other[PATH_MAX + 64];
    snprintf(other, sizeof other, "%s/" REPORT_NAME, dir);
    unlink(other);
    if (b->o->has_page) {
        snprintf(other, sizeof other, "%s/index.html", dir);
        unlink(other);
    }
    const char *ext = output_ext(b, j);
    const char **ids = malloc((b->n_profiles ? b->n_profiles : 1) * sizeof *ids);
    size_t n_ids = 0;
    for (size_t k = 0; ids && k < b->n_profiles; k++)
        if (!j->skip[k])
            ids[n_ids++] = cansim_profile_id(b->profiles[k]);
    if (!ids || pending_announce(dir, ids, n_ids, ext, cansim_version())) {
        snprintf(line, n_line, "%s: cannot write the manifest: %s", path,
                 strerror(ids ? errno : ENOMEM));
        free(ids);
        folder_unlock(&j->lock);
        return false;
    }
    free(ids);
    return true;
}

void run_job(Worker *w, CansimRender *r, Job *j)
{
    const size_t n = w->run->b->n_profiles;
    char parent[PATH_MAX];
    out_parent(w->run->b, j, parent, sizeof parent);
    struct stat st;
    char line[2 * PATH_MAX + 256];
    if (!begin_write(w->run->b, j, line, sizeof line)) {
#pragma omp critical(cansim_run)
        {
            add_failure(w->run, line);
            w->run->n_failed++;
        }
        return;
    }
    CansimOutputResult *res = prepare_member(w->run, j, &st) ? calloc(n, sizeof *res) : NULL;
    if (!res) {
        folder_unlock(&j->lock);
        return;
    }
    const CansimFileOptions fo = {.skip = j->skip, .seed = XXH64(j->rel, strlen(j->rel), 0)};
    CansimDiag d;
    w->job = j;
    const int e = render_file_passes(r, w->run->b->n_profiles, w->run->pass_size, j->path, parent,
                                     &fo, res, &d);
    w->job = NULL;
    if (e == CANSIM_ECANCELED || signal_caught()) {
        mark_interrupted(w);
        settle_pending(w->run->b, j);
    } else {
        record_member(w, j, &st, res, e, &d, NULL);
    }
    folder_unlock(&j->lock);
#pragma omp critical(cansim_run)
    w->run->partial_s[w->index] = 0.0;
    free(res);
}

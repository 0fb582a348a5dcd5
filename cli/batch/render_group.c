/* SPDX-License-Identifier: MIT */
/* A gain group rendered: every member's folder or none, one gain per profile, each member
 * recorded with the group's facts. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>

#include "../json_out.h"
#include "../translation_report.h"
#include "batch.h"

/* The members share their skip mask (jobs[0]'s). */
void run_group(Worker *w, CansimRender *r, Job **jobs, size_t n)
{
    Run *run = w->run;
    Batch *b = run->b;
    const size_t np = b->n_profiles;
    struct stat *st = calloc(n, sizeof *st);
    const char **paths = calloc(n, sizeof *paths);
    const char **dirs = calloc(n, sizeof *dirs);
    char(*parents)[PATH_MAX] = calloc(n, sizeof *parents);
    CansimFileOptions *fo = calloc(n, sizeof *fo);
    CansimOutputResult **res = calloc(n, sizeof *res);
    double *gain = calloc(np, sizeof *gain);
    bool *limited = calloc(np, sizeof *limited);
    int *mstatus = calloc(n, sizeof *mstatus);
    CansimDiag *mdiag = calloc(n, sizeof *mdiag);
    CansimTranslation *tr = calloc(np, sizeof *tr); /* the sum's, per profile */
    Job **live = calloc(n, sizeof *live);
    CansimOutputResult *song = calloc(np, sizeof *song);
    bool is_ok = st && paths && dirs && parents && fo && res && gain && limited && mstatus &&
                 mdiag && tr && live && song;
    /* Every member's folder, or none: a group rendered without a member has another gain. */
    char line[2 * PATH_MAX + 256];
    for (size_t i = 0; i < n && is_ok; i++) {
        if (begin_write(b, jobs[i], line, sizeof line))
            continue;
        for (size_t k = 0; k < n; k++) {
            folder_unlock(&jobs[k]->lock);
            char own[2 * PATH_MAX + 256];
            if (k != i)
                snprintf(own, sizeof own,
                         "%s: not rendered: %s, of its gain group, is being written by another "
                         "cansim run",
                         jobs[k]->path, jobs[i]->path);
#pragma omp critical(cansim_run)
            {
                add_failure(run, k == i ? line : own);
                run->n_failed++;
                run->files_done++;
            }
        }
        is_ok = false;
        n = 0;
    }
    /* The song renders: their folder locked and announced, or none (a failure line). */
    FolderLock song_lock = {.fd = -1};
    char song_dir[PATH_MAX];
    bool has_song = is_ok && n && jobs[0]->has_song;
    if (has_song && !song_begin(b, jobs[0], &song_lock, line, sizeof line)) {
#pragma omp critical(cansim_run)
        {
            add_failure(run, line);
            run->n_failed++;
        }
        has_song = false;
    }
    if (has_song)
        song_folder(b, jobs[0], song_dir, sizeof song_dir);
    size_t m = 0;
    for (size_t i = 0; i < n && is_ok; i++) {
        if (!prepare_member(run, jobs[i], &st[m]))
            continue;
        live[m] = jobs[i];
        paths[m] = jobs[i]->path;
        out_parent(b, jobs[i], parents[m], sizeof parents[m]);
        dirs[m] = parents[m];
        fo[m] = (CansimFileOptions){.skip = jobs[0]->skip,
                                    .seed = XXH64(jobs[i]->rel, strlen(jobs[i]->rel), 0)};
        if (!(res[m] = calloc(np, sizeof *res[m])))
            is_ok = false;
        m++;
    }
    if (is_ok && m) {
        CansimGroupResult g = {.gain_db = gain,
                               .is_limited = limited,
                               .member_status = mstatus,
                               .member_diag = mdiag,
                               .song_dir = has_song ? song_dir : NULL,
                               .song = song,
                               .translation = tr};
        CansimDiag d;
        const int e = render_group_passes(r, np, run->pass_size, paths, dirs, m, fo, res, &g, &d);
        if (e == CANSIM_ECANCELED || signal_caught() || (e && !g.n_rendered))
            for (size_t i = 0; i < m; i++)
                settle_pending(b, live[i]);
        if (e == CANSIM_ECANCELED || signal_caught()) {
            mark_interrupted(w);
        } else if (e && !g.n_rendered) {
            /* The group as a whole could not be planned: one line, every member failed. */
            snprintf(line, sizeof line, "gain group %s/%s: %s", b->o->output_dir,
                     live[0]->group[0] ? live[0]->group : ".", d.msg);
#pragma omp critical(cansim_run)
            {
                add_failure(run, line);
                run->n_failed++;
                run->files_done += m;
            }
        } else {
            json_t *members = json_array();
            for (size_t i = 0; i < m; i++)
                json_array_append_new(members, json_string(live[i]->path));
            json_t *gains = json_object();
            for (size_t k = 0; k < np; k++)
                if (!fo[0].skip || !fo[0].skip[k])
                    json_object_set_new(
                        gains, cansim_profile_id(b->profiles[k]),
                        json_pack("{s:f, s:b, s:o}", "gain_db", round(gain[k] * 100.0) / 100.0,
                                  "limited", limited[k], "translation", translation_json(&tr[k])));
            json_t *group = json_pack("{s:s, s:o, s:o, s:o}", "group", live[0]->group, "members",
                                      members, "sum_lufs", json_db(g.sum_lufs), "profiles", gains);
            for (size_t i = 0; i < m; i++)
                record_member(w, live[i], &st[i], res[i], mstatus[i], &mdiag[i], group);
            if (has_song)
                song_record(run, live[0], song, true, group);
            has_song = false;
#pragma omp critical(cansim_run)
            if (run->has_run_report)
                json_array_append(json_object_get(run->reports, "groups"), group);
            json_decref(group);
        }
    }
    if (has_song) /* announced, not written */
        song_record(run, jobs[0], song, false, NULL);
    folder_unlock(&song_lock);
    for (size_t i = 0; i < n; i++)
        folder_unlock(&jobs[i]->lock);
#pragma omp critical(cansim_run)
    run->partial_s[w->index] = 0.0;
    for (size_t i = 0; res && i < n; i++)
        free(res[i]);
    free(st), free(paths), free(dirs), free(parents), free(fo), free(res), free(gain);
    free(limited), free(mstatus), free(mdiag), free(tr), free(live), free(song);
}

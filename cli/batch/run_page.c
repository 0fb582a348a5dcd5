/* SPDX-License-Identifier: MIT */
/* --page for a run of several inputs: OUT/index.html, the run's page (cli/page_run.c), from
 * every input's report as written. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../page.h"
#include "batch.h"

/* true when OUT/index.html is missing or a page cansim wrote (its generator tag): a file of
 * anyone else's is never replaced. */
static bool is_ours(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT;
    char head[1024];
    const size_t got = fread(head, 1, sizeof head - 1, f);
    fclose(f);
    head[got] = '\0';
    return strstr(head, "<meta name=\"generator\" content=\"cansim\">") != NULL;
}

void run_page(Run *run)
{
    const Batch *b = run->b;
    const Options *o = b->o;
    /* A task of a sharded batch sees its shard, not the batch: the run's page is an unsharded
     * run's (a rerun without --shard finds everything up to date and writes it). */
    if (!o->has_page || run->is_interrupted || o->shard_n > 1)
        return;
    size_t n = 0;
    for (size_t i = 0; i < b->n_jobs; i++)
        n += b->jobs[i].state != JOB_NOT_AUDIO;
    if (n < 2)
        return;
    char line[PATH_MAX + 1200], path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/index.html", o->output_dir);
    if (!is_ours(path)) {
        snprintf(line, sizeof line,
                 "%s: not a page cansim wrote: the run's page is not written over it", path);
        add_failure(run, line);
        run->n_failed++;
        return;
    }
    PageInput *v = calloc(n, sizeof *v);
    char(*dirs)[PATH_MAX] = calloc(n, sizeof *dirs);
    size_t k = 0;
    for (size_t i = 0; v && dirs && i < b->n_jobs; i++) {
        const Job *j = &b->jobs[i];
        if (j->state == JOB_NOT_AUDIO)
            continue;
        out_folder(b, j, dirs[k], sizeof dirs[k]);
        CansimDiag d;
        v[k] = (PageInput){.path = j->path, .rel = j->rel, .dir = dirs[k]};
        if (j->state == JOB_PLANNED)
            v[k].report = kept_report(dirs[k], b->profiles, b->n_profiles, &d);
        k++;
    }
    CansimDiag d;
    if (!v || !dirs) {
        add_failure(run, "out of memory for the run's page");
        run->n_failed++;
    } else if (page_write_run(o->output_dir, v, k, b->profiles, b->n_profiles, run->cfg->design,
                              &d)) {
        add_failure(run, d.msg);
        run->n_failed++;
    }
    for (size_t i = 0; v && i < k; i++)
        json_decref((json_t *)v[i].report);
    free(v);
    free(dirs);
}

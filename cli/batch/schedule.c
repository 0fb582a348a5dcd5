/* SPDX-License-Identifier: MIT */
/* The work spread over threads: units (an input, or a gain group) longest first, one
 * renderer per thread, or one renderer whose profiles share the threads. */
#define _POSIX_C_SOURCE 200809L
#include <omp.h>
#include <stdlib.h>

#include "batch.h"

/* Longest first, so the last units to finish are short ones. */
static int cmp_longest(const void *a, const void *b)
{
    const Unit *x = a, *y = b;
    if (x->seconds != y->seconds)
        return x->seconds < y->seconds ? 1 : -1;
    return strcmp(x->jobs[0]->rel, y->jobs[0]->rel);
}

/* Many units: one renderer per thread, each unit on one thread (dynamic schedule). Few: one
 * renderer whose profiles share the threads. */
void run_all(Run *run, const Unit *units, size_t n_units, int n_threads)
{
    const bool is_per_file = n_threads > 1 && n_units >= 2 * (size_t)n_threads;
    run->n_workers = is_per_file ? n_threads : 1;
    /* Folder locks held at once: a renderer's unit (a gain group holds all its members'). */
    size_t n_held = 0;
    for (size_t i = 0; i < n_units; i++)
        n_held = units[i].n > n_held ? units[i].n : n_held;
    run->pass_size = fd_pass_size(run->fd_limit, run->b->n_profiles, run->n_workers,
                                  n_held * (size_t)run->n_workers);
    if (run->pass_size < run->b->n_profiles && run->b->o->verbosity >= 1 && !run->b->o->is_json)
        fprintf(stderr,
                "cansim: note - %zu outputs per input do not fit the open-file limit "
                "(%ld): each input is rendered in passes of %zu profiles%s\n",
                run->b->n_profiles, run->fd_limit, run->pass_size,
                run->cfg->level.scope == CANSIM_LEVEL_SCOPE_DRAWER
                    ? ", each output held under the ceiling on its own (one level for the "
                      "drawer needs every profile in one pass)"
                    : "");
    size_t next = 0;
#pragma omp parallel num_threads(run->n_workers) default(shared)
    {
        CansimRenderConfig cfg = *run->cfg;
        cfg.engine.n_threads = is_per_file ? 1 : n_threads;
        /* --memory is the whole run's: the renderers at work at once share it. */
        cfg.output.memory_bytes /= (size_t)run->n_workers;
        /* In passes, a pass sees only its profiles: the drawer's one level would differ from
         * pass to pass, so each output is held on its own (the note above says so). */
        if (run->pass_size < run->b->n_profiles)
            cfg.level.scope = CANSIM_LEVEL_SCOPE_PROFILE;
        Worker w = {.run = run, .index = omp_get_thread_num()};
        cfg.progress = on_progress;
        cfg.progress_user = &w;
        CansimRender *r = NULL;
        CansimDiag d;
        int e;
#pragma omp critical(cansim_open)
        e = cansim_render_open(&r, &cfg, &d);
        if (e) {
#pragma omp critical(cansim_run)
            {
                add_failure(run, d.msg);
                run->n_failed++;
            }
        }
        for (;;) {
            size_t i;
#pragma omp atomic capture
            i = next++;
            if (e || i >= n_units || signal_caught())
                break;
            if (units[i].n == 1)
                run_job(&w, r, units[i].jobs[0]);
            else
                run_group(&w, r, units[i].jobs, units[i].n);
        }
        cansim_render_close(&r);
    }
}

size_t make_units(Run *run, Job **by_group, size_t n_planned, Unit *units)
{
    size_t n_units = 0;
    for (size_t i = 0; i < n_planned;) {
        size_t e = i + 1;
        while (e < n_planned && !strcmp(by_group[e]->group, by_group[i]->group))
            e++;
        if (by_group[i]->n_to_render) {
            Unit *u = &units[n_units++];
            u->jobs = &by_group[i];
            u->n = e - i;
            for (size_t k = i; k < e; k++) {
                run->files_total++;
                run->outputs_total += by_group[k]->n_to_render;
                run->audio_total_s += by_group[k]->seconds * (double)by_group[k]->n_to_render;
                u->seconds += by_group[k]->seconds;
            }
        }
        i = e;
    }
    qsort(units, n_units, sizeof *units, cmp_longest);
    return n_units;
}

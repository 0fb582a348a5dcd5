/* SPDX-License-Identifier: MIT */
/* --dry-run: the plan, per input, and what the run would do; nothing written. */

#define _POSIX_C_SOURCE 200809L
#include "../json_out.h"
#include "batch.h"

static void print_plan(const Batch *b, const Job *j)
{
    const Options *o = b->o;
    if (o->is_json) {
        json_t *outs = json_array();
        for (size_t k = 0; k < b->n_profiles && j->state == JOB_PLANNED; k++)
            json_array_append_new(
                outs, json_pack("{s:s, s:s, s:s?}", "profile", cansim_profile_id(b->profiles[k]),
                                "action", j->skip[k] ? "keep" : "render", "reason", j->why[k]));
        json_t *ev = json_pack("{s:s, s:s, s:s, s:s, s:o}", "event", "plan", "input", j->path,
                               "relative_path", j->rel, "action",
                               j->state == JOB_FAILED      ? "fail"
                               : j->state == JOB_NOT_AUDIO ? "skip"
                               : j->n_to_render            ? "render"
                                                           : "keep",
                               "outputs", outs);
        if (j->state == JOB_FAILED)
            json_object_set_new(ev, "error", json_string(err_of(j)));
        json_print_line(ev);
        return;
    }
    if (j->state == JOB_FAILED) {
        printf("fail    %s\n", err_of(j));
        return;
    }
    if (j->state == JOB_NOT_AUDIO) {
        printf("skip    %s: not audio\n", j->path);
        return;
    }
    if (!j->n_to_render) {
        printf("keep    %s: %zu output%s up to date\n", j->path, b->n_profiles,
               b->n_profiles == 1 ? "" : "s");
        return;
    }
    /* The reasons, each with its count, in order of first appearance. */
    printf("render  %s -> %s/%s/: %zu output%s (", j->path, o->output_dir, j->rel, j->n_to_render,
           j->n_to_render == 1 ? "" : "s");
    bool is_first = true;
    for (size_t k = 0; k < b->n_profiles; k++) {
        if (j->skip[k])
            continue;
        bool seen = false;
        for (size_t q = 0; q < k && !seen; q++)
            seen = !j->skip[q] && !strcmp(j->why[q], j->why[k]);
        if (seen)
            continue;
        size_t count = 0;
        for (size_t q = k; q < b->n_profiles; q++)
            count += !j->skip[q] && !strcmp(j->why[q], j->why[k]);
        printf("%s%s%s", is_first ? "" : ", ", j->why[k], count == j->n_to_render ? "" : "");
        if (count != j->n_to_render)
            printf(": %zu", count);
        is_first = false;
    }
    printf(")\n");
}

int print_dry_run(const Batch *b, const PlanCounts *c)
{
    for (size_t i = 0; i < b->n_jobs; i++)
        print_plan(b, &b->jobs[i]);
    if (b->o->is_json)
        printf("{\"event\":\"summary\",\"dry_run\":true,\"inputs_to_render\":%zu,"
               "\"outputs_to_render\":%zu,\"inputs_up_to_date\":%zu,\"inputs_failed\":%zu,"
               "\"not_audio\":%zu}\n",
               c->n_work, c->n_outputs, c->n_up_to_date, c->n_failed_inputs, c->n_not_audio);
    else
        fprintf(stderr,
                "cansim: dry run: %zu input%s to render (%zu output%s), %zu up to "
                "date, %zu failed, %zu not audio; nothing written\n",
                c->n_work, c->n_work == 1 ? "" : "s", c->n_outputs, c->n_outputs == 1 ? "" : "s",
                c->n_up_to_date, c->n_failed_inputs, c->n_not_audio);
    return c->n_failed_inputs ? EXIT_PARTIAL : EXIT_OK;
}

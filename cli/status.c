/* SPDX-License-Identifier: MIT */
/* cansim status: whether a batch is complete, from its manifests, without rendering. The plan
 * is render's own (batch/plan.c decides what is up to date and why); this says it per input and
 * profile, names the shards that must run again, and once the batch is complete writes the
 * run's report and the audition pages (the job a scheduler runs after the array). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "page.h"
#include "translation_report.h"

typedef struct Counts {
    size_t complete, incomplete, failed, not_audio;
    size_t outputs, current;
} Counts;

static const char *state_of(const PlanInput *in)
{
    return in->error       ? "failed"
           : !in->is_audio ? "not_audio"
           : in->n_stale   ? "incomplete"
                           : "complete";
}

/* One input's profiles, each up to date or with the reason it is not. */
static json_t *outputs_json(const StatusPlan *p, const PlanInput *in)
{
    json_t *outs = json_array();
    for (size_t k = 0; k < p->n_profiles && !in->error && in->is_audio; k++) {
        const bool is_current = in->is_current && in->is_current[k];
        json_array_append_new(
            outs, json_pack("{s:s, s:b, s:s?}", "profile", cansim_profile_id(p->profiles[k]),
                            "up_to_date", is_current, "reason", is_current ? NULL : in->why[k]));
    }
    return outs;
}

static void print_line(const StatusPlan *p, const PlanInput *in)
{
    const Options *o = p->o;
    char shard[32] = "";
    if (in->shard)
        snprintf(shard, sizeof shard, " [shard %d/%d]", in->shard, o->shard_n);
    if (in->error) {
        printf("failed      %s%s\n", in->error, shard);
        return;
    }
    if (!in->is_audio) {
        if (o->verbosity >= 2)
            printf("not audio   %s\n", in->path);
        return;
    }
    if (!in->n_stale) {
        if (o->verbosity >= 2)
            printf("complete    %s -> %s/%s/: %zu output%s up to date\n", in->path, o->output_dir,
                   in->rel, p->n_profiles, p->n_profiles == 1 ? "" : "s");
        return;
    }
    printf("incomplete  %s -> %s/%s/: %zu of %zu output%s missing or stale (", in->path,
           o->output_dir, in->rel, in->n_stale, p->n_profiles, p->n_profiles == 1 ? "" : "s");
    const char *sep = "";
    for (size_t k = 0; k < p->n_profiles; k++)
        if (!in->is_current || !in->is_current[k]) {
            printf("%s%s: %s", sep, cansim_profile_id(p->profiles[k]),
                   in->why[k] ? in->why[k] : "stale");
            sep = "; ";
        }
    printf(")%s\n", shard);
}

/* Once complete: the run's report from every input's folder, and the pages that are missing.
 * Returns the number of failures (each printed). */
static int finish(const StatusPlan *p, bool has_report)
{
    const Options *o = p->o;
    json_t *report =
        has_report ? json_pack("{s:s, s:[], s:[]}", "cansim", cansim_version(), "inputs", "groups")
                   : NULL;
    json_t *groups = json_object(); /* by name: every member carries its group's object */
    int n_bad = 0;
    for (size_t i = 0; i < p->n_inputs; i++) {
        const PlanInput *in = &p->inputs[i];
        if (!in->is_audio || in->error)
            continue;
        char dir[4200], page[4300];
        snprintf(dir, sizeof dir, "%s/%s", o->output_dir, in->rel);
        snprintf(page, sizeof page, "%s/index.html", dir);
        const bool needs_page = o->has_page && access(page, F_OK);
        if (!report && !needs_page)
            continue;
        CansimDiag d;
        json_t *rep = kept_report(dir, p->profiles, p->n_profiles, &d);
        if (rep && needs_page &&
            page_write(dir, in->path, rep, p->profiles, p->n_profiles, p->design, &d)) {
            json_decref(rep);
            rep = NULL;
        }
        if (!rep) {
            fprintf(stderr, "cansim: %s\n", d.msg);
            n_bad++;
            continue;
        }
        const json_t *group = json_object_get(rep, "gain_group");
        if (report && json_is_object(group))
            json_object_set(groups, json_string_value(json_object_get(group, "group")),
                            (json_t *)group);
        if (report)
            json_array_append(json_object_get(report, "inputs"), rep);
        json_decref(rep);
    }
    if (report && !n_bad) {
        const char *name;
        json_t *group;
        json_object_foreach(groups, name, group)
            json_array_append(json_object_get(report, "groups"), group);
        run_report_sort(report);
        json_object_set_new(report, "translation", translation_run_section(report));
        if (write_json_atomic(o->report, report)) {
            fprintf(stderr, "cansim: %s: cannot write the report: %s\n", o->report,
                    strerror(errno));
            n_bad++;
        }
    }
    json_decref(groups);
    json_decref(report);
    return n_bad;
}

int status_report(const StatusPlan *p)
{
    const Options *o = p->o;
    Counts c = {0};
    int n_shards = o->shard_n;
    bool *redo = n_shards ? calloc((size_t)n_shards + 1, sizeof *redo) : NULL;
    for (size_t i = 0; i < p->n_inputs; i++) {
        const PlanInput *in = &p->inputs[i];
        const bool is_done = !in->error && (!in->is_audio || !in->n_stale);
        c.failed += in->error != NULL;
        c.not_audio += !in->error && !in->is_audio;
        c.incomplete += !in->error && in->is_audio && in->n_stale;
        c.complete += !in->error && in->is_audio && !in->n_stale;
        if (!in->error && in->is_audio) {
            c.outputs += p->n_profiles;
            c.current += p->n_profiles - in->n_stale;
        }
        if (!is_done && redo && in->shard > 0 && in->shard <= n_shards)
            redo[in->shard] = true;
    }
    const bool is_complete = !c.incomplete && !c.failed;
    const bool has_report = o->report && strcmp(o->report, "auto");
    int n_bad = 0;
    if (is_complete && (has_report || o->has_page))
        n_bad = finish(p, has_report);
    else if (has_report && o->verbosity >= 1)
        fprintf(stderr, "cansim: %s: not written: the batch is not complete\n", o->report);

    if (o->is_json) {
        json_t *inputs = json_array();
        json_t *shards = json_array();
        for (int s = 1; redo && s <= n_shards; s++)
            if (redo[s])
                json_array_append_new(shards, json_integer(s));
        for (size_t i = 0; i < p->n_inputs; i++) {
            const PlanInput *in = &p->inputs[i];
            json_t *x = json_pack("{s:s, s:s, s:s, s:o}", "input", in->path, "relative_path",
                                  in->rel, "status", state_of(in), "outputs", outputs_json(p, in));
            json_object_set_new(x, "shard", in->shard ? json_integer(in->shard) : json_null());
            json_object_set_new(x, "error", in->error ? json_string(in->error) : json_null());
            json_array_append_new(inputs, x);
        }
        json_t *doc = json_pack("{s:s, s:b, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o}",
                                "event", "status", "complete", is_complete, "output", o->output_dir,
                                "inputs_complete", (json_int_t)c.complete, "inputs_incomplete",
                                (json_int_t)c.incomplete, "inputs_failed", (json_int_t)c.failed,
                                "not_audio", (json_int_t)c.not_audio, "outputs_total",
                                (json_int_t)c.outputs, "outputs_up_to_date", (json_int_t)c.current,
                                "shards", n_shards ? json_integer(n_shards) : json_null(),
                                "shards_incomplete", shards, "inputs", inputs);
        json_object_set_new(doc, "report",
                            has_report && is_complete && !n_bad ? json_string(o->report)
                                                                : json_null());
        char *text = json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII);
        if (text)
            puts(text);
        free(text);
        json_decref(doc);
    } else {
        for (size_t i = 0; i < p->n_inputs && o->verbosity >= 1; i++)
            print_line(p, &p->inputs[i]);
        if (o->verbosity >= 1) {
            fprintf(stderr,
                    "cansim: status: %s: %zu of %zu input%s complete, %zu of %zu "
                    "outputs up to date",
                    is_complete ? "complete" : "incomplete", c.complete,
                    c.complete + c.incomplete + c.failed,
                    c.complete + c.incomplete + c.failed == 1 ? "" : "s", c.current, c.outputs);
            if (c.incomplete)
                fprintf(stderr, ", %zu to render", c.incomplete);
            if (c.failed)
                fprintf(stderr, ", %zu failed", c.failed);
            if (c.not_audio)
                fprintf(stderr, ", %zu not audio", c.not_audio);
            for (int s = 1, first = 1; redo && s <= n_shards; s++)
                if (redo[s]) {
                    fprintf(stderr, "%s%d", first ? "; shards to run again: " : ", ", s);
                    first = 0;
                }
            fputc('\n', stderr);
        }
    }
    free(redo);
    return is_complete && !n_bad ? EXIT_OK : EXIT_PARTIAL;
}

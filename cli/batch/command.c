/* SPDX-License-Identifier: MIT */
/* cansim render and cansim status: one batch command, step by step (options, profiles,
 * plan, then a dry run, the status, or the run and its summary). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <omp.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "../translation_report.h"
#include "batch.h"

/* The command line of render and status, checked, and the CPU level (--cpu, CANSIM_CPU)
 * into *cpu_mask. An exit code (-1 after --help: done, EXIT_OK). */
static int batch_options(int argc, char **argv, bool is_status, Options *o, unsigned *cpu_mask)
{
    *o = (Options){.is_status = is_status,
                   .format = CANSIM_FORMAT_SAME,
                   .verbosity = 1,
                   .level_mode = CANSIM_LEVEL_MATCH,
                   .has_ceiling = true,
                   .has_translation = true,
                   .ceiling_dbtp = -1.0,
                   .flac_level = CANSIM_FLAC_LEVEL_DEFAULT,
                   .level_scope = CANSIM_LEVEL_SCOPE_DRAWER,
                   .report = "auto"};
    int rc = parse_options(argc, argv, o);
    if (rc)
        return rc;
    if ((rc = scale_options(o)))
        return rc;
    if (o->n_inputs == 0)
        return usage_error("%s", "no input given");
    if (!o->output_dir)
        return usage_error("%s", "no output directory given (-o DIR)");
    if ((rc = check_output_dir(o->output_dir)))
        return rc;
    const char *cpu = o->cpu ? o->cpu : getenv("CANSIM_CPU");
    *cpu_mask = ~0u;
    if (cpu && (rc = parse_cpu_level(cpu, o->cpu ? "--cpu" : "CANSIM_CPU", cpu_mask)))
        return rc;
    return EXIT_OK;
}

/* The renderers' configuration from the options and the selection. */
static CansimRenderConfig render_config(const Options *o, const Drawer *drawer,
                                        const CansimDesignConfig *design, unsigned cpu_mask,
                                        int n_threads)
{
    CansimRenderConfig cfg = cansim_render_default_config();
    cfg.profiles = drawer->selected;
    cfg.n_profiles = drawer->n_selected;
    cfg.design = design;
    cfg.engine.cpu_mask = cpu_mask;
    cfg.engine.partition_frames = o->partition_frames;
    cfg.engine.has_tail = o->has_tail;
    cfg.output.format = o->format;
    cfg.output.flac_level = o->flac_level;
    cfg.level.mode = o->level_mode;
    cfg.level.lufs = o->level_lufs;
    cfg.level.has_ceiling = o->has_ceiling;
    cfg.level.ceiling_dbtp = o->ceiling_dbtp;
    cfg.level.has_translation = o->has_translation;
    cfg.level.scope = o->level_scope;
    cfg.output.memory_bytes = o->memory_bytes;
    cfg.input.rate_hz = o->out_rate_hz;
    cfg.input.resampler = o->resampler;
    cfg.engine.n_threads = n_threads;
    return cfg;
}

/* The configuration checked before any input is read (and, with -v, what a renderer would
 * choose). An exit code. */
static int check_config(const Options *o, const CansimRenderConfig *cfg)
{
    CansimRenderChoice choice;
    CansimDiag d;
    if (cansim_render_config_check(cfg, &choice, &d)) {
        fprintf(stderr, "cansim: %s\n", d.msg);
        return EXIT_USAGE;
    }
    if (o->verbosity >= 2)
        fprintf(stderr, "cansim: %zu profiles, partition %zu frames, kernels %s, %d threads\n",
                cfg->n_profiles, choice.partition_frames, cansim_cpu_name(choice.cpu_flags),
                cfg->engine.n_threads);
    return EXIT_OK;
}

/* What each output depends on besides its input: every profile's digest and the options'. */
static int make_digests(Batch *b, const CansimDesignConfig *design)
{
    b->digests = calloc(b->n_profiles, sizeof *b->digests);
    if (!b->digests) {
        fputs("cansim: out of memory\n", stderr);
        return EXIT_PARTIAL;
    }
    CansimDiag d;
    for (size_t k = 0; k < b->n_profiles; k++)
        if (cansim_profile_digest(b->profiles[k], design, b->digests[k], &d)) {
            /* The renderer reports this profile's failure per output; it is never up to date. */
            snprintf(b->digests[k], sizeof b->digests[k], "none");
        }
    options_digest(b);
    return EXIT_OK;
}

/* The inputs collected and planned, the gain groups formed (*by_group: the planned jobs by
 * group), and what was found counted. An exit code. */
static int plan_batch(Batch *b, Job ***by_group, PlanCounts *c)
{
    int rc;
    if ((rc = collect(b))) {
        if (rc < 0)
            fputs("cansim: out of memory\n", stderr);
        return rc < 0 ? EXIT_PARTIAL : EXIT_USAGE;
    }
    if ((rc = plan_all(b))) {
        if (rc < 0)
            fputs("cansim: out of memory\n", stderr);
        return rc < 0 ? EXIT_PARTIAL : rc;
    }
    if (!(*by_group = plan_groups(b))) {
        fputs("cansim: out of memory\n", stderr);
        return EXIT_PARTIAL;
    }
    *c = (PlanCounts){0};
    for (size_t i = 0; i < b->n_jobs; i++) {
        Job *j = &b->jobs[i];
        c->n_planned += j->state == JOB_PLANNED;
        json_decref(j->manifest); /* planned: the render reads it again */
        j->manifest = NULL;
    }
    for (size_t i = 0; i < b->n_jobs; i++) {
        const Job *j = &b->jobs[i];
        c->n_failed_inputs += j->state == JOB_FAILED;
        c->n_not_audio += j->state == JOB_NOT_AUDIO;
        c->n_up_to_date += j->state == JOB_PLANNED && !j->n_to_render;
        c->n_work += j->state == JOB_PLANNED && j->n_to_render;
        c->n_outputs += j->state == JOB_PLANNED ? j->n_to_render : 0;
    }
    return EXIT_OK;
}

/* The run: every unit rendered over n_threads threads, then the pages of inputs kept
 * (--page), SIGINT and SIGTERM caught meanwhile. Returns the seconds it took. */
static double run_batch(Run *run, const Unit *units, size_t n_units, int n_threads)
{
    const Batch *b = run->b;
    const Options *o = b->o;
    signals_catch();
    run->has_run_report = o->report && strcmp(o->report, "auto");
    run->is_tty = o->verbosity > 0 && !o->is_json && isatty(STDERR_FILENO);
    run->t0 = now_s();
    run_all(run, units, n_units, n_threads);
    for (size_t i = 0; i < b->n_jobs && o->has_page && !signal_caught(); i++)
        if (b->jobs[i].state == JOB_PLANNED && !b->jobs[i].n_to_render)
            page_for_kept(run, &b->jobs[i]);
    signals_restore();
    const double elapsed = now_s() - run->t0;
    if (run->is_tty)
        fputs("\r\033[K", stderr);
    if (o->is_json)
        show_progress(run, true);
    return elapsed;
}

/* --report FILE: the whole run's report, sorted, written (unless the run was stopped). */
static void write_run_report(Run *run)
{
    const Options *o = run->b->o;
    if (!o->report || !strcmp(o->report, "auto") || run->is_interrupted)
        return;
    run_report_sort(run->reports);
    json_t *tr = translation_run_section(run->reports);
    json_object_set_new(run->reports, "translation", tr);
    if (o->verbosity >= 1 && !o->is_json)
        translation_print_run(tr);
    if (write_json_atomic(o->report, run->reports)) {
        char line[PATH_MAX + 64];
        snprintf(line, sizeof line, "%s: cannot write the report: %s", o->report, strerror(errno));
        add_failure(run, line);
        run->n_failed++;
    }
}

/* cansim status: the plan, as status.c reads it. */
static int status_of(const Batch *b, const CansimDesignConfig *design)
{
    PlanInput *v = calloc(b->n_jobs ? b->n_jobs : 1, sizeof *v);
    if (!v) {
        fputs("cansim: out of memory\n", stderr);
        return EXIT_PARTIAL;
    }
    for (size_t i = 0; i < b->n_jobs; i++) {
        const Job *j = &b->jobs[i];
        v[i] = (PlanInput){.path = j->path,
                           .rel = j->rel,
                           .error = j->state == JOB_FAILED ? j->err : NULL,
                           .is_audio = j->state != JOB_NOT_AUDIO,
                           .is_current = j->skip,
                           .why = j->why,
                           .n_stale = j->n_to_render,
                           .shard = j->shard};
    }
    const StatusPlan p = {.o = b->o,
                          .profiles = b->profiles,
                          .n_profiles = b->n_profiles,
                          .design = design,
                          .inputs = v,
                          .n_inputs = b->n_jobs};
    const int rc = status_report(&p);
    free(v);
    return rc;
}

static void free_batch(Batch *b)
{
    for (size_t i = 0; i < b->n_jobs; i++) {
        Job *j = &b->jobs[i];
        free(j->path), free(j->abs), free(j->rel), free(j->group), free(j->err);
        folder_unlock(&j->lock);
        free(j->skip);
        free((void *)j->why);
        json_decref(j->manifest);
    }
    free(b->jobs);
    free(b->digests);
    free(b->seen);
    input_set_free(b->inputs);
}

static void free_run(Run *run)
{
    for (size_t i = 0; i < run->n_failures; i++)
        free(run->failures[i]);
    free(run->failures);
    free(run->partial_s);
    json_decref(run->reports);
}

/* render and status share one batch command; is_status: plan, say, render nothing. */
static int batch_command(int argc, char **argv, bool is_status)
{
    Options o;
    unsigned cpu_mask;
    int rc = batch_options(argc, argv, is_status, &o, &cpu_mask);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;

    Drawer drawer = {0};
    CansimDesignConfig design;
    Batch b = {.o = &o};
    Run run = {.b = &b, .fd_limit = fd_limit_raise()};
    Unit *units = NULL;
    Job **by_group = NULL;
    PlanCounts c = {0};
    if ((rc = open_drawer(&o, &drawer, &design)) ||
        (rc = drawer_select(&drawer, o.profiles ? o.profiles : "all")) ||
        (rc = drawer_listening_order(&drawer, design.on)) || (rc = check_targets(&drawer, &design)))
        goto done;
    b.profiles = drawer.selected;
    b.n_profiles = drawer.n_selected;
    b.on = design.on;
    const int n_threads = o.n_threads ? o.n_threads : omp_get_max_threads();
    const CansimRenderConfig cfg = render_config(&o, &drawer, &design, cpu_mask, n_threads);
    if ((rc = check_config(&o, &cfg)) || (rc = make_digests(&b, &design)) ||
        (rc = plan_batch(&b, &by_group, &c)))
        goto done;
    if (o.is_status) {
        rc = status_of(&b, &design);
        goto done;
    }
    if (o.is_dry_run) {
        rc = print_dry_run(&b, &c);
        goto done;
    }

    report_planned(&run, &b);
    units = calloc(c.n_work ? c.n_work : 1, sizeof *units);
    run.partial_s = calloc((size_t)n_threads, sizeof *run.partial_s);
    run.reports = json_pack("{s:s, s:[], s:[]}", "cansim", cansim_version(), "inputs", "groups");
    if (!units || !run.partial_s || !run.reports) {
        fputs("cansim: out of memory\n", stderr);
        rc = EXIT_PARTIAL;
        goto done;
    }
    const size_t n_units = make_units(&run, by_group, c.n_planned, units);
    if (c.n_up_to_date && o.verbosity >= 1 && !o.is_json)
        fprintf(stderr, "cansim: %zu input%s up to date (--force renders %s again)\n",
                c.n_up_to_date, c.n_up_to_date == 1 ? "" : "s",
                c.n_up_to_date == 1 ? "it" : "them");
    run.cfg = &cfg;
    const double elapsed = run_batch(&run, units, n_units, n_threads);
    write_run_report(&run);
    run_page(&run);
    print_run_summary(&run, &c, elapsed);
    rc = run.is_interrupted ? 128 + (signal_caught() ? signal_caught() : SIGINT)
         : run.n_failed     ? EXIT_PARTIAL
                            : EXIT_OK;
done:
    free_run(&run);
    free(units);
    free(by_group);
    free_batch(&b);
    drawer_close(&drawer);
    return rc;
}

int cmd_render(int argc, char **argv)
{
    return batch_command(argc, argv, false);
}

int cmd_status(int argc, char **argv)
{
    return batch_command(argc, argv, true);
}

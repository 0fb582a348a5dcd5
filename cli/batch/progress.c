/* SPDX-License-Identifier: MIT */
/* What the run says while it works: the progress line or events, failures as they come, and
 * the summary at the end. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

#include "../json_out.h"
#include "batch.h"

double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void add_failure(Run *run, const char *line)
{
    if (!run->b->o->is_json && run->b->o->verbosity >= 0) {
        if (run->is_tty)
            fputs("\r\033[K", stderr);
        fprintf(stderr, "cansim: %s\n", line);
    }
    char **f = realloc(run->failures, (run->n_failures + 1) * sizeof *f);
    if (!f)
        return;
    run->failures = f;
    if ((f[run->n_failures] = strdup(line)))
        run->n_failures++;
}

static void format_hms(double s, char *out, size_t n)
{
    if (!isfinite(s) || s < 0) {
        snprintf(out, n, "--:--");
        return;
    }
    const long t = lround(s);
    if (t >= 3600)
        snprintf(out, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(out, n, "%ld:%02ld", t / 60, t % 60);
}

/* The progress line (terminal) or a progress event (--json), at most every 0.25 s / 1 s. Called
 * inside the critical section. */
void show_progress(Run *run, bool is_final)
{
    const double t = now_s();
    const bool is_json = run->b->o->is_json;
    if (!is_final && t - run->last_shown < (is_json ? 1.0 : 0.25))
        return;
    if (!is_json && !run->is_tty)
        return;
    run->last_shown = t;
    double done = run->audio_done_s;
    for (int w = 0; w < run->n_workers; w++)
        done += run->partial_s[w];
    const double el = t - run->t0;
    const double speed = el > 0 ? done / el : 0.0; /* audio seconds per second */
    const double eta = speed > 0 ? (run->audio_total_s - done) / speed : (double)NAN;
    if (is_json) {
        json_t *ev =
            json_pack("{s:s, s:I, s:I, s:I, s:I, s:f, s:f, s:f}", "event", "progress", "files_done",
                      (json_int_t)run->files_done, "files_total", (json_int_t)run->files_total,
                      "outputs_done", (json_int_t)run->outputs_done, "outputs_total",
                      (json_int_t)run->outputs_total, "audio_hours", done / 3600.0, "elapsed_s", el,
                      "speed_x", speed);
        json_object_set_new(ev, "eta_s", json_finite(eta));
        json_print_line(ev);
        return;
    }
    char eta_s[32];
    format_hms(eta, eta_s, sizeof eta_s);
    fprintf(stderr, "\r\033[Kfiles %zu/%zu  outputs %zu/%zu  %.2f h audio  %.0fx  ETA %s",
            run->files_done, run->files_total, run->outputs_done, run->outputs_total, done / 3600.0,
            speed, eta_s);
}

int on_progress(void *user, int64_t n_done, int64_t n_total)
{
    (void)n_total;
    Worker *w = user;
    if (w->job) {
#pragma omp critical(cansim_run)
        {
            w->run->partial_s[w->index] =
                (double)n_done / w->job->info.rate_hz * (double)w->job->n_to_render;
            show_progress(w->run, false);
        }
    }
    return signal_caught() != 0;
}

void report_planned(Run *run, const Batch *b)
{
    const Options *o = b->o;
    for (size_t i = 0; i < b->n_jobs; i++) {
        const Job *j = &b->jobs[i];
        if (j->state == JOB_FAILED) {
            add_failure(run, err_of(j));
            run->n_failed++;
        }
        if (j->state == JOB_FAILED && o->is_json)
            json_print_line(json_pack("{s:s, s:s, s:s, s:s}", "event", "input", "input", j->path,
                                      "status", "failed", "error", err_of(j)));
        else if (j->state == JOB_NOT_AUDIO && o->verbosity >= 1 && !o->is_json)
            fprintf(stderr, "cansim: note - %s is not audio, skipped\n", j->path);
    }
}

void print_run_summary(const Run *run, const PlanCounts *c, double elapsed)
{
    const Options *o = run->b->o;
    const double hours = run->audio_written_s / 3600.0;
    if (o->is_json) {
        json_t *ev = json_pack(
            "{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:f, s:f, s:[]}", "event", "summary",
            "interrupted", run->is_interrupted, "inputs_rendered", (json_int_t)run->inputs_rendered,
            "outputs_rendered", (json_int_t)run->outputs_written, "inputs_up_to_date",
            (json_int_t)c->n_up_to_date, "not_audio", (json_int_t)c->n_not_audio, "failed",
            (json_int_t)run->n_failed, "audio_hours", hours, "elapsed_s", elapsed, "failures");
        json_object_set_new(ev, "song_renders", json_integer((json_int_t)run->songs_written));
        for (size_t i = 0; i < run->n_failures; i++)
            json_array_append_new(json_object_get(ev, "failures"), json_string(run->failures[i]));
        json_print_line(ev);
    } else if (o->verbosity >= 1) {
        if (run->is_interrupted)
            fprintf(stderr,
                    "cansim: stopped by %s: %zu of %zu inputs done; run the same "
                    "command again to continue\n",
                    signal_caught() == SIGTERM ? "SIGTERM" : "SIGINT", run->files_done,
                    run->files_total);
        fprintf(stderr,
                "cansim: %zu output%s of %zu input%s written (%.2f h of audio) in "
                "%.1f s, %zu up to date, %d failed\n",
                run->outputs_written, run->outputs_written == 1 ? "" : "s", run->inputs_rendered,
                run->inputs_rendered == 1 ? "" : "s", hours, elapsed, c->n_up_to_date,
                run->n_failed);
        if (run->songs_written)
            fprintf(stderr,
                    "cansim: %zu song render%s of %zu gain group%s written (their song/ folders "
                    "under %s/)\n",
                    run->songs_written, run->songs_written == 1 ? "" : "s", run->song_groups,
                    run->song_groups == 1 ? "" : "s", o->output_dir);
        if (run->n_failures > 1 && run->files_total + c->n_failed_inputs > 1) {
            fprintf(stderr, "cansim: the failures again:\n");
            for (size_t i = 0; i < run->n_failures; i++)
                fprintf(stderr, "  %s\n", run->failures[i]);
        }
    }
}

/* SPDX-License-Identifier: MIT */
/* After a render: the input's report, manifest and page written, the run's counters, and its
 * event (--json) or summary. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "../json_out.h"
#include "../page.h"
#include "../translation_report.h"
#include "batch.h"

/* The manifest as it was (read again: plans do not keep them, so memory stays bounded
 * however many inputs a batch has), or NULL. */
static json_t *load_manifest(const char *dir)
{
    char mpath[PATH_MAX + 64];
    snprintf(mpath, sizeof mpath, "%s/" MANIFEST_NAME, dir);
    json_t *old_man = json_load_file(mpath, 0, NULL);
    if (!json_is_object(old_man)) {
        json_decref(old_man);
        old_man = NULL;
    }
    return old_man;
}

/* A failure of one of the input's files, added to the run. */
static void member_failure(Run *run, const char *line)
{
#pragma omp critical(cansim_run)
    add_failure(run, line);
}

/* The input's report, manifest and page written: the report first, then the manifest, so a
 * kill between them only re-renders. Adds its failures (failed outputs among them) to the
 * run and counts them in *n_bad, the outputs written in *n_ok. */
static void write_member(Run *run, const Job *j, const struct stat *st,
                         const CansimOutputResult *res, json_t *rep, int *n_ok, int *n_bad)
{
    const Batch *b = run->b;
    char dir[PATH_MAX], line[PATH_MAX + 1200], path[PATH_MAX + 64];
    out_folder(b, j, dir, sizeof dir);
    json_t *old_man = load_manifest(dir);
    json_t *man = member_manifest(b, j, st, res, old_man, json_object_get(rep, "outputs"));
    translation_section(rep, NULL); /* again, with the kept outputs' entries */
    for (size_t k = 0; k < b->n_profiles; k++) {
        if (res[k].is_skipped)
            continue;
        if (res[k].status) {
            snprintf(line, sizeof line, "%s", res[k].diag.msg);
            (*n_bad)++;
            member_failure(run, line);
            continue;
        }
        (*n_ok)++;
    }
    snprintf(path, sizeof path, "%s/" REPORT_NAME, dir);
    struct stat rst;
    if (write_json_atomic(path, rep)) {
        snprintf(line, sizeof line, "%s: cannot write the report: %s", path, strerror(errno));
        (*n_bad)++;
        member_failure(run, line);
    } else if (!stat(path, &rst)) {
        /* Recorded only once written: a report that failed is missing to the next run. */
        json_object_set_new(man, "report_file",
                            json_pack("{s:s, s:I, s:I}", "file", REPORT_NAME, "size",
                                      (json_int_t)rst.st_size, "mtime_ns",
                                      (json_int_t)mtime_ns(&rst)));
    }
    pending_carry(old_man, man, dir);
    snprintf(path, sizeof path, "%s/" MANIFEST_NAME, dir);
    if (write_json_atomic(path, man)) {
        snprintf(line, sizeof line, "%s: cannot write the manifest: %s", path, strerror(errno));
        (*n_bad)++;
        member_failure(run, line);
    }
    json_decref(old_man);
    json_decref(man);
    if (b->o->has_page) {
        CansimDiag pd;
        int pe;
#pragma omp critical(cansim_page)
        pe = page_write(dir, j->path, rep, b->profiles, b->n_profiles, run->cfg->design, &pd);
        if (pe) {
            (*n_bad)++;
            member_failure(run, pd.msg);
        }
    }
}

/* The run's counters after one input, and its event (--json) or summary. In the critical
 * section. rep: its report, NULL when it failed as a whole (d says why). */
static void count_member(Run *run, const Job *j, const CansimOutputResult *res, const json_t *rep,
                         const CansimDiag *d, int n_ok, int n_bad)
{
    const Batch *b = run->b;
    const Options *o = b->o;
    run->n_failed += n_bad;
    run->outputs_written += (size_t)n_ok;
    run->inputs_rendered += rep && n_ok;
    run->audio_written_s += j->seconds * (double)n_ok;
    run->files_done++;
    run->outputs_done += j->n_to_render;
    run->audio_done_s += j->seconds * (double)j->n_to_render;
    if (rep && run->has_run_report)
        json_array_append(json_object_get(run->reports, "inputs"), (json_t *)rep);
    if (o->is_json) {
        json_t *ev = rep ? json_deep_copy(rep) : json_pack("{s:s}", "input", j->path);
        json_object_set_new(ev, "event", json_string("input"));
        json_object_set_new(ev, "status", json_string(!rep ? "failed" : n_bad ? "partial" : "ok"));
        json_object_set_new(ev, "error", rep ? json_null() : json_string(d->msg));
        json_print_line(ev);
    } else if (rep && (o->verbosity >= 2 || (o->verbosity >= 1 && run->files_total == 1))) {
        if (run->is_tty)
            fputs("\r\033[K", stderr);
        print_summary(j->path, b->profiles, res, b->n_profiles, json_object_get(rep, "outputs"),
                      b->on);
        translation_print(rep);
    }
    show_progress(run, false);
}

void record_member(Worker *w, Job *j, const struct stat *st, const CansimOutputResult *res, int e,
                   const CansimDiag *d, const json_t *group)
{
    Run *run = w->run;
    const Batch *b = run->b;
    json_t *rep = NULL;
    int n_ok = 0, n_bad = 0;
    if (e && d->msg[0]) {
        /* The input itself failed: one line, whatever the number of profiles. */
        settle_pending(b, j);
#pragma omp critical(cansim_run)
        {
            add_failure(run, d->msg);
            run->n_failed++;
        }
    } else {
        rep = input_report(b->o, j->path, b->profiles, res, b->n_profiles);
        json_object_set_new(rep, "relative_path", json_string(j->rel));
        json_object_set(rep, "gain_group", group ? (json_t *)group : json_null());
        static const char *const modes[] = {"auto", "dir", "none", "all"};
        char folder[PATH_MAX];
        group_folder(j, folder, sizeof folder);
        json_object_set_new(rep, "gain_grouping",
                            json_pack("{s:s, s:s, s:s}", "mode", modes[b->o->gain_group], "folder",
                                      folder, "decision", j->grouping));
        write_member(run, j, st, res, rep, &n_ok, &n_bad);
    }
#pragma omp critical(cansim_run)
    count_member(run, j, res, rep, d, n_ok, n_bad);
    json_decref(rep);
}

/* --page for an input already up to date: its page is written when missing, from its report
 * and the manifest's record of each selected output. */
void page_for_kept(Run *run, Job *j)
{
    const Batch *b = run->b;
    char dir[PATH_MAX], path[PATH_MAX + 64];
    out_folder(b, j, dir, sizeof dir);
    snprintf(path, sizeof path, "%s/index.html", dir);
    if (!access(path, F_OK))
        return;
    char line[2 * PATH_MAX + 1200];
    long pid;
    const int le = folder_lock(&j->lock, dir, &pid);
    if (le) {
        if (le > 0)
            busy_line(b, j, pid, line, sizeof line);
        else
            snprintf(line, sizeof line, "%s: cannot make or lock the folder: %s", dir,
                     strerror(errno));
        add_failure(run, line);
        run->n_failed++;
        return;
    }
    CansimDiag d;
    json_t *rep = kept_report(dir, b->profiles, b->n_profiles, &d);
    if (!rep) {
        snprintf(line, sizeof line,
                 "%s/index.html: no report to build the page from (--force "
                 "renders the input again)",
                 dir);
    } else {
        if (!page_write(dir, j->path, rep, b->profiles, b->n_profiles, run->cfg->design, &d))
            line[0] = '\0';
        else
            snprintf(line, sizeof line, "%s", d.msg);
    }
    folder_unlock(&j->lock);
    if (line[0]) {
        add_failure(run, line);
        run->n_failed++;
    }
    json_decref(rep);
}

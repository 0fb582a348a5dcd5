/* SPDX-License-Identifier: MIT */
/* The batch behind render and status, one stage per file:
 *   walk.c          the command line's inputs and the folders' files
 *   collect.c       their relative paths, gain groups, shards and headers
 *   manifest.c      what each output was made from: hashes, identities, records
 *   plan.c          per input, what is up to date (under its folder's lock)
 *   groups.c        gain groups: their digest and one skip mask
 *   schedule.c      units of work over threads
 *   render_job.c    one input rendered;  render_group.c: a gain group rendered
 *   song.c          a gain group's song renders: OUT/<group folder>/song/
 *   record.c        after a render: report, manifest, page, counters
 *   progress.c      progress line and events, failures, the run's summary
 *   dry_run.c       --dry-run's plan
 *   signals.c       SIGINT and SIGTERM: a clean stop
 *   command.c       the render and status commands, step by step
 *
 * Each input has its folder OUT/<relative path without extension>/ holding its renders, its
 * report.json and its manifest.json. The manifest says, for every output written, what it was
 * made from: the input's size, mtime and content hash (XXH3-128), the run's output options, the
 * profile's digest (cansim_profile_digest()) and cansim's version. It is written after the
 * outputs, atomically (written, synced, renamed), so a kill at any moment leaves either the
 * old manifest or the new one, and an output it lists is complete. Inputs go to shards by a
 * hash of their gain group, so machines sharing OUT never write the same folder. */
#ifndef CANSIM_CLI_BATCH_H
#define CANSIM_CLI_BATCH_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <xxhash.h>

#include "../cli.h"
#include "../outputs.h"

typedef enum JobState {
    JOB_PLANNED = 0, /* probed; up to date or work to do */
    JOB_FAILED,      /* cannot be rendered (err) */
    JOB_NOT_AUDIO,   /* skipped with a notice */
} JobState;

typedef struct Job {
    char *path;            /* as found (relative to the working directory, or absolute) */
    char *abs;             /* absolute, symlinks of the folders given resolved */
    char *rel;             /* relative path without extension: the output folder under OUT */
    char *group;           /* the gain group's name: its folder below the root ("" the root), or the
                              input's relative path when it is its own group; also the shard key (a
                              folder of mixed rates is split into own groups after sharding) */
    bool is_walked;        /* found in a folder given as input (not named on its own) */
    bool has_song;         /* its gain group gets song renders (song.c) */
    char group_digest[33]; /* members and their content, for groups of two or more; else "" */
    char grouping[112];    /* the grouping decided for its folder, as printed ("6 stems of equal
                              length, one gain group"), for the report and the manifest */
    JobState state;
    char *err; /* the failure's line (JOB_FAILED), any length */
    CansimInputInfo info;
    struct stat st;
    char hash[33];    /* content hash, "" until computed */
    json_t *manifest; /* loaded, or NULL */
    bool *skip;       /* per profile: up to date */
    const char **why; /* per profile: why it is rendered (dry run, verbose) */
    size_t n_to_render;
    double seconds; /* the input's duration */
    int shard;      /* its shard under --shard (1..N), else 0 */
    bool is_moved;  /* its identity moved since the manifest, its content did not */
    bool is_busy;   /* its folder is locked by another run */
    bool has_man;   /* man_st: the manifest as planned (its identity), when there was one */
    struct stat man_st;
    FolderLock lock;
} Job;

typedef struct Batch {
    const Options *o;
    Job *jobs;
    size_t n_jobs, cap;
    char root[PATH_MAX]; /* common folder of the inputs; rel paths start below it */
    dev_t out_dev;
    ino_t out_ino;
    bool has_out;
    /* The run's selection. */
    const CansimProfile *const *profiles; /* in listening order (drawer_listening_order) */
    size_t n_profiles;
    const CansimProfile *on; /* the --on headphone, or NULL */
    char (*digests)[33];
    char options_digest[33];
    int n_notices;
    struct stat *seen; /* folders walked (device, inode): a symlink loop is walked once */
    size_t n_seen, cap_seen;
    int n_trees_skipped;   /* folders of earlier renders met while walking */
    int n_special_skipped; /* FIFOs, devices, sockets met while walking */
    InputSet *inputs;      /* every input, to keep outputs off them */
    bool is_decided;       /* the gain groups were decided before the shard split */
} Batch;

typedef struct Run {
    Batch *b;
    const CansimRenderConfig *cfg;
    bool is_tty;
    int n_workers;
    /* Shared, under the critical section "cansim_run". */
    size_t files_total, files_done;
    size_t outputs_total, outputs_done, outputs_written;
    double audio_total_s; /* output audio to render, seconds (duration x outputs) */
    double audio_done_s;
    size_t inputs_rendered; /* inputs with at least one output written */
    double audio_written_s; /* output audio written, seconds */
    double *partial_s;      /* per worker: output audio of its current input so far */
    long fd_limit;          /* open files this process may hold */
    size_t pass_size;       /* profiles rendered at once (fewer than all: in passes) */
    double t0, last_shown;
    int n_failed;    /* inputs and outputs */
    char **failures; /* their lines, for the summary */
    size_t n_failures;
    json_t *reports; /* the whole run's report (--report FILE) */
    bool has_run_report;
    bool is_interrupted;
    size_t songs_written; /* song renders written (song.c), and the groups they are of */
    size_t song_groups;
} Run;

typedef struct Worker {
    Run *run;
    int index;
    const Job *job;
} Worker;

/* A unit of work: one input, or a gain group of two or more. */
typedef struct Unit {
    Job **jobs;
    size_t n;
    double seconds; /* audio to render: the members' durations */
} Unit;

/* What the plan found, counted. */
typedef struct PlanCounts {
    size_t n_planned;       /* inputs planned (up to date or work to do) */
    size_t n_failed_inputs; /* inputs that cannot be rendered */
    size_t n_not_audio;     /* files skipped */
    size_t n_up_to_date;    /* inputs with nothing to render */
    size_t n_work;          /* inputs with something to render */
    size_t n_outputs;       /* outputs to render */
} PlanCounts;

static inline void out_folder(const Batch *b, const Job *j, char *out, size_t n)
{
    snprintf(out, n, "%s/%s", b->o->output_dir, j->rel);
}

static inline void out_parent(const Batch *b, const Job *j, char *out, size_t n)
{
    out_folder(b, j, out, n);
    *strrchr(out, '/') = '\0';
}

/* The folder of j as the command line names it ("stems/song1/", "./"): its gain group's, as
 * the decision is printed and reported. */
static inline void group_folder(const Job *j, char *out, size_t n)
{
    const char *slash = strrchr(j->path, '/');
    if (!slash)
        snprintf(out, n, "./");
    else
        snprintf(out, n, "%.*s/", (int)(slash - j->path), j->path);
}

/* ---------------------------------------------------------------- walk.c */

/* A new job for path (abs: its absolute form, NULL: path), or NULL when out of memory. */
Job *add_job(Batch *b, const char *path, const char *abs);
/* j fails with a line of any length (JOB_FAILED). */
void job_fail(Job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* j->err, never NULL. */
const char *err_of(const Job *j);
/* Every input of the command line, and with folders their files (recursively with -r); the
 * inputs' common folder into b->root (*has_root: there is one). 0, -1 out of memory, or 1
 * (an input is the output folder: the message printed). */
int walk_inputs(Batch *b, bool *has_root);

/* ---------------------------------------------------------------- collect.c */

/* Every input of the command line: files, folders' files (recursively with -r), their
 * relative paths below the inputs' common folder, the shard's share, and their headers.
 * 0, -1 out of memory, or 1 (a usage error, printed). */
int collect(Batch *b);

/* ---------------------------------------------------------------- manifest.c */

int64_t mtime_ns(const struct stat *st);
/* A 128-bit hash as 32 hex digits. */
void hex128_of(XXH128_hash_t v, char hex[33]);
/* XXH3-128 of a file's bytes, as 32 hex digits: 0, or -1 (errno). */
int hash_file(const char *path, char hex[33]);
/* The output options every render of this run shares into b->options_digest. */
void options_digest(Batch *b);
/* A manifest's string (never NULL) and integer (-1 when missing) by key. */
const char *str_of(const json_t *obj, const char *key);
int64_t int_of(const json_t *obj, const char *key);
/* Whether the input's identity is the one the manifest's input record in holds. */
bool identity_matches(const json_t *in, const struct stat *st);
/* An input kept whose identity moved with its content unchanged: the manifest records the
 * new identity. Under the lock. */
void record_identity(Batch *b, Job *j);
/* The manifest of j after its render (st: its identity as rendered; res: the outputs; outs:
 * the report's outputs[], whose entries of kept outputs are set from old_man's records).
 * Failed outputs are left out. */
json_t *member_manifest(const Batch *b, const Job *j, const struct stat *st,
                        const CansimOutputResult *res, const json_t *old_man, json_t *outs);
/* One output's record: its file's name, size and mtime, the profile's digest, its report
 * entry. NULL when the file is gone. */
json_t *manifest_record(const char *file, const char *digest, const json_t *report_entry);
/* After an input wrote nothing (it failed as a whole, or the run was stopped): its manifest
 * without the renders it announced and did not write. */
void settle_pending(const Batch *b, const Job *j);

/* ---------------------------------------------------------------- plan.c */

/* The extension of the outputs of j (as the library names them). */
const char *output_ext(const Batch *b, const Job *j);
/* The line of an input whose folder another run (pid, 0 unknown) holds. */
void busy_line(const Batch *b, const Job *j, long pid, char *line, size_t n);
/* Plans every input: 0, -1 out of memory, or an exit code. */
int plan_all(Batch *b);

/* ---------------------------------------------------------------- groups.c */

/* The gain groups decided (--gain-group auto: per folder, printed), and those of two or more
 * inputs: their digest and one skip mask. Returns the planned jobs ordered by group (NULL:
 * out of memory). */
Job **plan_groups(Batch *b);
/* --gain-group auto under --shard: the groups decided before the split, on every input's
 * header, so a folder of mixes matched alone is dealt file by file, and every task of the array
 * decides alike. 0, or -1 out of memory. */
int decide_groups_early(Batch *b);

/* ---------------------------------------------------------------- progress.c */

double now_s(void);
/* A failure: its line now (on a terminal, under the progress line), and in the summary. */
void add_failure(Run *run, const char *line);
/* The progress line (terminal) or a progress event (--json). In the critical section. */
void show_progress(Run *run, bool is_final);
/* The renderer's progress callback (user: the Worker). */
int on_progress(void *user, int64_t n_done, int64_t n_total);
/* The failures and skips found before rendering, reported now. */
void report_planned(Run *run, const Batch *b);
/* The run's last lines (--json: its summary event); elapsed in seconds. */
void print_run_summary(const Run *run, const PlanCounts *c, double elapsed);

/* ---------------------------------------------------------------- dry_run.c */

/* --dry-run: what would be rendered and why, per input, and a summary. The exit code. */
int print_dry_run(const Batch *b, const PlanCounts *c);

/* ---------------------------------------------------------------- record.c */

/* After an input's render: its failures, report, manifest and page, the counters, and its
 * line (--json) or summary. e and d are the render's; group is the gain group or NULL. */
void record_member(Worker *w, Job *j, const struct stat *st, const CansimOutputResult *res, int e,
                   const CansimDiag *d, const json_t *group);
/* --page for an input already up to date: its page written when missing. */
void page_for_kept(Run *run, Job *j);
/* --page with several inputs: OUT/index.html, the run's page (run_page.c). */
void run_page(Run *run);

/* ---------------------------------------------------------------- render_job.c */

/* The input's identity as rendered: false, with the failure recorded, when unreadable. */
bool prepare_member(Run *run, Job *j, struct stat *st);
/* The run was stopped while w rendered. */
void mark_interrupted(Worker *w);
/* Takes j's folder lock to write it and announces its renders: false, the line in line, when
 * it cannot. */
bool begin_write(const Batch *b, Job *j, char *line, size_t n_line);
/* Renders what of one input is not up to date, then records it. */
void run_job(Worker *w, CansimRender *r, Job *j);

/* ---------------------------------------------------------------- render_group.c */

/* Renders a gain group (jobs[0..n-1]) with one gain per profile, then records each member. */
void run_group(Worker *w, CansimRender *r, Job **jobs, size_t n);

/* ---------------------------------------------------------------- song.c */

/* A gain group's song folder: OUT/<group folder>/song (OUT/song for the inputs' common folder
 * and --gain-group all); j is a member. */
void song_folder(const Batch *b, const Job *j, char *out, size_t n);
/* A group of two or more (by[0..n-1], its digest set): whether it gets song renders (has_song:
 * no stem's folder is the song's, and the folder holds no file cansim did not write), and the
 * profiles whose song render is missing or stale made stale for every member. */
void plan_song(Batch *b, Job **by, size_t n);
/* Before the group of j renders: the song folder locked (lock) and its renders announced.
 * False, the line in line, when it cannot be written. */
bool song_begin(const Batch *b, const Job *j, FolderLock *lock, char *line, size_t n_line);
/* After: the song's report and manifest written, its failures and count added to the run
 * (is_written false: the group wrote nothing, its announcement settled). */
void song_record(Run *run, const Job *j, const CansimOutputResult *song, bool is_written,
                 const json_t *group);

/* ---------------------------------------------------------------- schedule.c */

/* The units of the planned jobs by_group[0..n_planned-1] that have work, longest first, and
 * the run's totals. units has room for every input with work; returns how many. */
size_t make_units(Run *run, Job **by_group, size_t n_planned, Unit *units);
/* Runs the units over n_threads threads. */
void run_all(Run *run, const Unit *units, size_t n_units, int n_threads);

/* ---------------------------------------------------------------- signals.c */

/* SIGINT and SIGTERM caught until signals_restore(): the first stops the run, a second one
 * kills (the handler resets). */
void signals_catch(void);
void signals_restore(void);
/* The signal caught, or 0. */
int signal_caught(void);

#endif

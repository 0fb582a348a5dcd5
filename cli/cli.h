/* SPDX-License-Identifier: MIT */
/* What the command's files share: exit codes, messages, the profile drawer. */
#ifndef CANSIM_CLI_H
#define CANSIM_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include <cansim/cansim.h>
#include <jansson.h>

enum { EXIT_OK = 0, EXIT_PARTIAL = 1, EXIT_USAGE = 2 };

/* --gain-group: a folder's inputs share one gain per profile when they look like one song's
 * stems (two or more, one rate, one length; the default), always (dir), never (none), or the
 * whole batch shares one (all). */
enum { GAIN_GROUP_AUTO = 0, GAIN_GROUP_DIR, GAIN_GROUP_NONE, GAIN_GROUP_ALL };

/* Every option of every command (each command checks what it takes). */
typedef struct Options {
    const char *output_dir;
    const char *profiles;
    const char *profiles_dir;
    const char *on;
    const char *target;
    const char *cpu;
    CansimFormat format;
    int n_threads;
    size_t partition_frames;
    bool has_tail;
    bool is_json;
    bool has_page;
    bool is_recursive;
    bool is_force;
    bool is_dry_run;
    int shard_i, shard_n; /* --shard I/N; 0/0: all */
    bool is_shard_auto;   /* --shard auto[/N]: I (and N) from the job array (scale.c) */
    bool is_status;       /* the status command: plan the whole batch, render nothing */
    double out_rate_hz;   /* render --rate: 0 keeps each input's rate */
    CansimResampler resampler;
    int gain_group; /* GAIN_GROUP_* */
    double rate_hz;
    CansimCrossfeed crossfeed;
    int verbosity; /* 0 quiet, 1 normal, 2 verbose */
    CansimLevelMode level_mode;
    double level_lufs;
    bool has_ceiling;
    double ceiling_dbtp;
    int flac_level;       /* --flac-level: FLAC outputs' compression 0..8 */
    bool has_translation; /* --translation: each output's band changes (docs/translation.md) */
    CansimLevelScope level_scope; /* --level-scope */
    size_t memory_bytes; /* --memory when has_memory, else (after scale_options()) the default
                            from what the process may use (cli/memory_budget.c) */
    bool has_memory;
    const char *report;
    char **inputs;
    int n_inputs;
} Options;

/* ---- the commands, each run by main.c with its own arguments (argv[0]: its name) ---- */

/* render and status (batch/command.c): one batch command; status plans, says, renders nothing. */
int cmd_render(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_profiles(int argc, char **argv); /* cmd_profiles.c */
int cmd_design(int argc, char **argv);   /* cmd_design.c */

/* ---- options.c, help.c ---- */

/* "cansim: <message>" and "Try 'cansim --help'." on stderr; returns EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* cansim --help and --version, on stdout. */
void print_help(void);
void print_version(void);

/* The bundled profiles plus any loaded from files, and the selection made of them. */
typedef struct Drawer {
    char dir[4096];         /* the bundled profiles' directory */
    char targets_dir[4096]; /* dir/targets */
    CansimProfile **all;    /* owned: bundled first (sorted by id), then files */
    size_t n_all;
    size_t n_bundled;
    const CansimProfile **selected; /* borrowed from all */
    size_t n_selected;
} Drawer;

/* Finds the bundled profiles: dir if given, else CANSIM_PROFILES_DIR, else next to the
 * installed binary, else the source tree's. Loads every *.ini there. Prints its own error. */
int drawer_open(Drawer *d, const char *dir);
void drawer_close(Drawer *d);

/* Resolves one name: an exact id, a unique part of one ("hd-650"), or a file. Prints its own
 * error (exit code returned, 0 on success). */
int drawer_find(Drawer *d, const char *name, const CansimProfile **out);

/* Selects a comma list of tags, names and files, in order, once each. A tag is all, a back
 * (open, closed), a form (over-ear, in-ear, earbud...) or a word of a profile's tags (tws, iem,
 * loudspeakers); an exact id wins over a tag, a tag over part of an id. */
/* The next item of a comma list of profiles from *pos on, into item (n bytes; n > strlen(list)
 * holds any), or NULL at the end. A run of items that names an existing file ("eq,v2.csv") is
 * one item: a path that exists as given is taken whole. */
const char *profile_list_next(const char *list, size_t *pos, char *item, size_t n);

/* Selects a comma list of tags (all, open, closed), names and files, in order, once each. */
int drawer_select(Drawer *d, const char *list);

/* The groups profiles are listed in, in order (cansim profiles, the summary, the page):
 * open-back and closed-back headphones, in-ears and earbuds, speakers, the rest. */
enum { GROUP_OPEN = 0, GROUP_CLOSED, GROUP_IN_EAR, GROUP_SPEAKERS, GROUP_OTHER, N_GROUPS };
int profile_group(const CansimProfile *p);
/* "open", "closed", "in-ear", "speakers", "other"; and their titles ("Open-back"...). */
const char *group_name(int group);
const char *group_title(int group);

/* Listening order, wherever renders are listed (the summary, the report, the page, status):
 * the original first (the input itself), then the flat reference, the --on headphone, then the
 * groups above, each in name (id) order. A profile's place: LISTEN_GROUPS + its group for the
 * rest; its heading ("Reference", "Your headphone (--on)", or the group's title). */
enum { LISTEN_REFERENCE = 0, LISTEN_ON, LISTEN_GROUPS };
int listen_rank(const CansimProfile *p, const CansimProfile *on);
const char *listen_title(int rank);
/* The selection put in listening order (on: the --on headphone, or NULL). An exit code. */
int drawer_listening_order(Drawer *d, const CansimProfile *on);

/* Parses argv into o (defaults already set): EXIT_OK, -1 after --help, else EXIT_USAGE. */
int parse_options(int argc, char **argv, Options *o);
/* --cpu or CANSIM_CPU (source names which, for the message): a level this machine's
 * architecture has (a cap), else a usage error (printed; EXIT_USAGE returned). */
int parse_cpu_level(const char *name, const char *source, unsigned *mask);
/* The drawer, the selection's design options (--target, --on, --crossfeed), checked
 * (drawer.c). */
int open_drawer(const Options *o, Drawer *d, CansimDesignConfig *design);
/* After drawer_select: --target designed with one GRAS profile, a selected one when there is
 * one (usage error, printed, when it cannot be). */
int check_targets(const Drawer *d, const CansimDesignConfig *design);

/* The render report of one input (see report.c), and its readable summary on stderr. */
json_t *input_report(const Options *o, const char *input, const CansimProfile *const *p,
                     const CansimOutputResult *res, size_t n);
/* outs: the report's outputs[] (kept outputs are shown from their entries), or NULL; p in
 * listening order, on the --on headphone (or NULL) for the headings. */
void print_summary(const char *input, const CansimProfile *const *p, const CansimOutputResult *res,
                   size_t n, const json_t *outs, const CansimProfile *on);

/* ---- scaling out: shards, thread counts, status (scale.c, status.c, run_report.c) ---- */

/* Each input's folder OUT/<relative path>/ holds its manifest and its report. */
#define OUTPUT_MANIFEST ".manifest.json"
#define OUTPUT_REPORT   "report.json"

/* JSON written to path.part, flushed, renamed over path (files.c). 0 or -1 (errno). */
int write_json_atomic(const char *path, const json_t *j);

/* After parsing: --shard auto from the job array's environment, the thread count resolved
 * once into o->n_threads (threads.h), the memory budget into o->memory_bytes
 * (memory_budget.h), status's own checks. Prints its own usage errors;
 * returns an exit code (0: go on). */
int scale_options(Options *o);

/* One input as the batch's plan sees it. */
typedef struct PlanInput {
    const char *path;
    const char *rel;        /* its folder below OUT */
    const char *error;      /* why it cannot be rendered, or NULL */
    bool is_audio;          /* false: not audio, skipped */
    const bool *is_current; /* per profile: an up-to-date render exists (NULL: none) */
    const char *const *why; /* per profile: why it is not */
    size_t n_stale;         /* profiles without an up-to-date render */
    int shard;              /* its shard under --shard N, else 0 */
} PlanInput;

typedef struct StatusPlan {
    const Options *o;
    const CansimProfile *const *profiles;
    size_t n_profiles;
    const CansimDesignConfig *design;
    const PlanInput *inputs; /* the whole batch, every shard's inputs */
    size_t n_inputs;
} StatusPlan;

/* cansim status: says what of the batch is missing or stale, and once the batch is complete
 * writes the run's report (--report FILE) and missing pages (--page). Returns the exit code:
 * 0 complete, 1 not (or a write failed). */
int status_report(const StatusPlan *p);

/* The run's report ({"cansim", "inputs", "groups"}) in a fixed order: inputs by relative
 * path, groups by name, so runs that render in other orders (threads, shards) agree. */
void run_report_sort(json_t *report);
/* An input's report as its folder dir holds it: report.json, its outputs[] the manifest's
 * records for profiles p (in that order). NULL with one line in diag when either file is
 * missing or unreadable, or lacks a profile. */
json_t *kept_report(const char *dir, const CansimProfile *const *p, size_t n, CansimDiag *diag);

#endif

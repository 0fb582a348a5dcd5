/* SPDX-License-Identifier: MIT */
/* What the command's files share: exit codes, messages, the profile drawer. */
#ifndef CANSIM_CLI_H
#define CANSIM_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include <cansim/cansim.h>
#include <jansson.h>

enum { EXIT_OK = 0, EXIT_PARTIAL = 1, EXIT_USAGE = 2 };

/* --gain-group: each folder's inputs share one gain per profile, each input has its own, or
 * all share one. */
enum { GAIN_GROUP_DIR = 0, GAIN_GROUP_NONE, GAIN_GROUP_ALL };

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
    const char *report;
    char **inputs;
    int n_inputs;
} Options;

/* "cansim: <message>" and "Try 'cansim --help'." on stderr; returns EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The bundled profiles plus any loaded from files, and the selection made of them. */
typedef struct Drawer {
    char dir[4096];          /* the bundled profiles' directory */
    char targets_dir[4096];  /* dir/targets */
    CansimProfile **all;     /* owned: bundled first (sorted by id), then files */
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

/* The next item of a comma list of profiles from *pos on, into item (n bytes; n > strlen(list)
 * holds any), or NULL at the end. A run of items that names an existing file ("eq,v2.csv") is
 * one item: a path that exists as given is taken whole. */
const char *profile_list_next(const char *list, size_t *pos, char *item, size_t n);

/* Selects a comma list of tags (all, open, closed), names and files, in order, once each. */
int drawer_select(Drawer *d, const char *list);

/* Parses argv into o (defaults already set): EXIT_OK, -1 after --help, else EXIT_USAGE. */
int parse_options(int argc, char **argv, Options *o);
/* --cpu or CANSIM_CPU: a level this machine's architecture has (a cap), else a usage error
 * (printed; EXIT_USAGE returned). */
int parse_cpu_level(const char *name, unsigned *mask);
/* The drawer, the selection's design options (--target, --on, --crossfeed), checked. */
int open_drawer(const Options *o, Drawer *d, CansimDesignConfig *design);

/* The render report of one input (see cansim.c), and its readable summary on stderr. */
json_t *input_report(const Options *o, const char *input, const CansimProfile *const *p,
                     const CansimOutputResult *res, size_t n);
/* outs: the report's outputs[] (kept outputs are shown from their entries), or NULL. */
void print_summary(const char *input, const CansimProfile *const *p,
                   const CansimOutputResult *res, size_t n, const json_t *outs);
/* The render command (batch.c). */
int cmd_render(int argc, char **argv);

#endif

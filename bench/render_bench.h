/* SPDX-License-Identifier: MIT */
/* cansim-bench-render's shared state: the modes, what one child reports, the repetitions'
 * figures, and the functions of its files (options, material, children, modes, table, JSON). */
#ifndef CANSIM_BENCH_RENDER_BENCH_H
#define CANSIM_BENCH_RENDER_BENCH_H

#include <cansim/cansim.h>
#include <stdbool.h>
#include <stddef.h>

#include "stats.h"

/* The renderer's writes (CANSIM_IO_FRAMES, core/internal.h; it reads 16384 frames at a time): the
 * floor reads and writes in chunks of that size. */
#define FLOOR_CHUNK_FRAMES 65536
#define MAX_MODES          14

#define TARGET_FULL_VS_FLOOR  1.25
#define TARGET_NAIVE_SPEEDUP  1.5
#define TARGET_THREAD_SPEEDUP 1.7
#define TARGET_LONG_RSS_MB    256.0

typedef enum Kind { KIND_RENDER, KIND_FLOOR } Kind;

typedef struct Mode {
    char key[32];  /* --only name */
    char name[96]; /* benchmark name in the JSON */
    Kind kind;
    bool is_compute_only;
    bool is_naive;
    bool is_long;
    int n_threads;
    CansimLevelMode level_mode; /* the level modes: matched, with or without the translation */
    bool has_translation;
} Mode;

/* What a child reports through its pipe; peak RSS comes from wait4(). */
typedef struct Sample {
    int status;
    double wall_s;
    double cpu_s;
    double sys_s;
    double others_s; /* CPU seconds other processes used meanwhile */
    size_t partition_frames;
    unsigned cpu_flags;
    char msg[1024];
} Sample;

typedef struct Stats {
    int n;
    double wall[BENCH_MAX_SAMPLES];
    double cpu[BENCH_MAX_SAMPLES];
    double sys[BENCH_MAX_SAMPLES];
    double bg[BENCH_MAX_SAMPLES]; /* others' share of the machine's CPU during the timed region */
    double rss_mb[BENCH_MAX_SAMPLES];
    size_t partition_frames;
    unsigned cpu_flags;
    bool has_failed;
} Stats;

typedef struct Bench {
    const char *workdir;
    const char *json_path;
    const char *only;
    double seconds;
    double long_seconds;
    double settle_s;
    int n_settle_timeouts;
    int rate_hz;
    int n_profiles;
    int n_taps;
    int n_reps;
    int n_threads;
    int n_cpus;
    unsigned cpu_mask;
    size_t partition_frames;
    bool is_quick;
    bool has_long;
    char mix[4096];
    char mix_long[4096];
    char (*irs)[4096];
    char out_dir[4096];
    Mode modes[MAX_MODES];
    Stats stats[MAX_MODES];
    int n_modes;
    size_t main_partition; /* of the first all-profile renderer measured */
    unsigned main_cpu_flags;
} Bench;

/* The ratios of one run, each from the medians of two of its modes (0 when one is missing). */
typedef struct Derived {
    double full_vs_floor;    /* full / io_floor (T threads) */
    double full_vs_floor_1;  /* full / io_floor (1 thread) */
    double compute_vs_floor; /* compute / io_floor */
    double naive_speedup;    /* naive / compute, T threads */
    double naive_speedup_1;  /* naive / compute, 1 thread */
    double thread_speedup;   /* compute 1 thread / compute 2 threads */
    double tr_full;          /* level_full_tr / level_full: the translation's cost, written */
} Derived;

/* The start of a timed region: wall, own CPU (every thread), own system CPU, machine busy time. */
typedef struct Mark {
    double wall;
    double cpu;
    double sys;
    double busy;
} Mark;

/* render_options.c: fills b (zeroed) with the defaults and the command line; returns -1 to go
 * on, else the exit status. */
int render_parse_args(Bench *b, int argc, char **argv);

/* render_material.c */
int render_mkdir_p(const char *path);
/* The mix(es) and one 4-channel random IR per profile, made with cansim-synth when missing. */
int render_prepare_material(Bench *b);
/* Removes whatever a mode wrote and flushes dirty pages, outside the timed region. */
void render_clean_outputs(const Bench *b);

/* render_child.c: one repetition of one mode in a fresh process; 0, or -1 with s->msg. */
int render_run_child(const Bench *b, const Mode *m, Sample *s, double *rss_mb);
Mark render_mark_now(void);
/* Adds the time since m0 to s. */
void render_sample_add(Sample *s, const Mark *m0);
/* Marks s failed with "what: detail". */
void render_fail(Sample *s, const char *what, const char *detail);

/* render_floor.c: the I/O floor mode, in the child. */
void render_child_floor(const Bench *b, const Mode *m, Sample *s);

/* render_modes.c */
bool render_only_is_valid(const char *only);
/* The modes of one repetition, in their running order, as --only selects them. */
void render_build_modes(Bench *b);
/* The figures of mode key, or NULL when it did not run or failed. */
const Stats *render_stats_of(const Bench *b, const char *key);
/* Median peak RSS of mode key in MB; 0 when it did not run. */
double render_med_rss(const Bench *b, const char *key);
/* The input length mode m renders. */
double render_mode_seconds(const Bench *b, const Mode *m);
Derived render_derive(const Bench *b);

/* render_table.c: the human-readable table, ratios and targets on stdout. */
void render_print_table(const Bench *b, const Derived *d);

/* render_json.c: Google Benchmark's schema to b->json_path; 0, or -1 when it cannot. */
int render_write_json(const Bench *b, const Derived *d, const char *exe);

#endif

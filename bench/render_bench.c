/* SPDX-License-Identifier: MIT */
/* cansim-bench-render: the end-to-end render benchmark, each mode timed in its own forked child
 * against an I/O floor in the same run, medians of R repetitions, Google Benchmark JSON out. */
#define _GNU_SOURCE
#include <errno.h>
#include <jansson.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <sndfile.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cansim/cansim.h>

#include "machine.h"

#ifndef CANSIM_SYNTH_PATH
#define CANSIM_SYNTH_PATH "cansim-synth"
#endif
#ifndef CANSIM_BENCH_WORKDIR
#define CANSIM_BENCH_WORKDIR "render-work"
#endif
#ifndef CANSIM_BUILD_TYPE
#define CANSIM_BUILD_TYPE "unknown"
#endif

/* The renderer's input chunk (core/render.c CHUNK_FRAMES): the floor streams the same way. */
#define FLOOR_CHUNK_FRAMES 16384
#define MAX_MODES          10

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
    double wall[64];
    double cpu[64];
    double sys[64];
    double bg[64]; /* others' share of the machine's CPU during the timed region */
    double rss_mb[64];
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

/* snprintf that reports truncation instead of warning about it at compile time. */
static bool str_printf(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool str_printf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const int k = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return k >= 0 && (size_t)k < n;
}

/* The start of a timed region: wall, own CPU (every thread), own system CPU, machine busy time. */
typedef struct Mark {
    double wall;
    double cpu;
    double sys;
    double busy;
} Mark;

static Mark mark_now(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (Mark){
        .wall = bench_now_s(CLOCK_MONOTONIC),
        .cpu = bench_now_s(CLOCK_PROCESS_CPUTIME_ID),
        .sys = (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec,
        .busy = bench_machine_busy_s(),
    };
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const double *x, int n)
{
    double s[64];
    if (n <= 0)
        return 0.0;
    memcpy(s, x, (size_t)n * sizeof *s);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

static double min_of(const double *x, int n)
{
    double m = n ? x[0] : 0.0;
    for (int i = 1; i < n; i++)
        m = x[i] < m ? x[i] : m;
    return m;
}

static double max_of(const double *x, int n)
{
    double m = n ? x[0] : 0.0;
    for (int i = 1; i < n; i++)
        m = x[i] > m ? x[i] : m;
    return m;
}

static int mkdir_p(const char *path)
{
    char buf[4096];
    if (!str_printf(buf, sizeof buf, "%s", path))
        return -1;
    for (char *p = buf + 1;; p++) {
        const char c = *p;
        if (c != '/' && c != '\0')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) && errno != EEXIST)
            return -1;
        *p = c;
        if (c == '\0')
            return 0;
    }
}

/* ------------------------------------------------------------------ material */

static bool file_matches(const char *path, int64_t n_frames, int n_channels, int rate_hz)
{
    SF_INFO info = {0};
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    if (!sf)
        return false;
    sf_close(sf);
    return info.frames == n_frames && info.channels == n_channels && info.samplerate == rate_hz;
}

/* Runs cansim-synth into path.part, then renames, so an interrupted run is never reused. */
static int synth(const char *path, char *const *args)
{
    char part[4096 + 8];
    char *argv[16];
    int n = 0;
    str_printf(part, sizeof part, "%s.part", path);
    argv[n++] = (char *)CANSIM_SYNTH_PATH;
    argv[n++] = args[0];
    argv[n++] = part;
    for (int i = 1; args[i] && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    fflush(NULL);
    const pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execv(argv[0], argv);
        fprintf(stderr, "cansim-bench-render: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int st = 0;
    if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "cansim-bench-render: %s failed for %s\n", argv[0], path);
        unlink(part);
        return -1;
    }
    return rename(part, path);
}

static int ensure_mix(const char *path, double seconds, int rate_hz)
{
    if (file_matches(path, (int64_t)(seconds * rate_hz), 2, rate_hz))
        return 0;
    char s[32], r[32];
    str_printf(s, sizeof s, "%g", seconds);
    str_printf(r, sizeof r, "%d", rate_hz);
    fprintf(stderr, "cansim-bench-render: generating %s (%g s)\n", path, seconds);
    char *args[] = {"mix", "--seconds", s, "--rate", r, NULL};
    return synth(path, args);
}

static int ensure_ir(const char *path, int n_taps, int seed, int rate_hz)
{
    if (file_matches(path, n_taps, 4, rate_hz))
        return 0;
    char t[32], sd[32], r[32];
    str_printf(t, sizeof t, "%d", n_taps);
    str_printf(sd, sizeof sd, "%d", seed);
    str_printf(r, sizeof r, "%d", rate_hz);
    char *args[] = {"ir", "--kind", "random", "--taps", t, "--channels",
                    "4",  "--seed", sd,       "--rate", r, NULL};
    return synth(path, args);
}

/* The mix(es) and one 4-channel random IR per profile, seeds 1..n, ids p00..; the outputs go to a
 * per-process directory so that concurrent runs sharing a workdir cannot collide. */
static int prepare_material(Bench *b)
{
    char dir[4096];
    bool ok = str_printf(b->mix, sizeof b->mix, "%s/mix-%gs-%d.wav", b->workdir, b->seconds,
                         b->rate_hz) &&
              str_printf(b->mix_long, sizeof b->mix_long, "%s/mix-%gs-%d.wav", b->workdir,
                         b->long_seconds, b->rate_hz) &&
              str_printf(dir, sizeof dir, "%s/ir-%d-%d", b->workdir, b->n_taps, b->rate_hz) &&
              str_printf(b->out_dir, sizeof b->out_dir, "%s/out-%ld", b->workdir, (long)getpid());
    b->irs = calloc((size_t)b->n_profiles, sizeof *b->irs);
    for (int j = 0; ok && b->irs && j < b->n_profiles; j++)
        ok = str_printf(b->irs[j], sizeof b->irs[j], "%s/p%02d.wav", dir, j);
    if (!ok || !b->irs) {
        fprintf(stderr, "cansim-bench-render: %s: path too long\n", b->workdir);
        return -1;
    }
    if (mkdir_p(dir)) {
        fprintf(stderr, "cansim-bench-render: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    if (ensure_mix(b->mix, b->seconds, b->rate_hz) ||
        (b->has_long && ensure_mix(b->mix_long, b->long_seconds, b->rate_hz)))
        return -1;
    for (int j = 0; j < b->n_profiles; j++)
        if (ensure_ir(b->irs[j], b->n_taps, j + 1, b->rate_hz))
            return -1;
    return 0;
}

/* Removes whatever a mode wrote, then flushes other dirty pages, so that every repetition starts
 * from the same page-cache state (outside the timed region). */
static void clean_outputs(const Bench *b)
{
    char path[8400];
    const char *subs[] = {"full", "floor"};
    char stem[256];
    const char *base = strrchr(b->mix, '/');
    str_printf(stem, sizeof stem, "%s", base ? base + 1 : b->mix);
    char *dot = strrchr(stem, '.');
    if (dot)
        *dot = '\0';
    for (int j = 0; j < b->n_profiles; j++) {
        str_printf(path, sizeof path, "%s/full/%s/p%02d.wav", b->out_dir, stem, j);
        unlink(path);
        str_printf(path, sizeof path, "%s/full/%s/p%02d.wav.part", b->out_dir, stem, j);
        unlink(path);
        str_printf(path, sizeof path, "%s/floor/p%02d.wav", b->out_dir, j);
        unlink(path);
    }
    str_printf(path, sizeof path, "%s/full/%s", b->out_dir, stem);
    rmdir(path);
    for (int i = 0; i < 2; i++) {
        str_printf(path, sizeof path, "%s/%s", b->out_dir, subs[i]);
        rmdir(path);
    }
    rmdir(b->out_dir);
    sync();
}

/* ------------------------------------------------------------------ children */

/* A child reports once and exits, so its early failures leave their memory to the exit. */

static void sample_add(Sample *s, const Mark *m0)
{
    const Mark m1 = mark_now();
    s->wall_s += m1.wall - m0->wall;
    s->cpu_s += m1.cpu - m0->cpu;
    s->sys_s += m1.sys - m0->sys;
    const double others = (m1.busy - m0->busy) - (m1.cpu - m0->cpu);
    s->others_s += others > 0.0 ? others : 0.0;
}

static void fail(Sample *s, const char *what, const char *detail)
{
    s->status = -1;
    str_printf(s->msg, sizeof s->msg, "%s: %s", what, detail);
}

/* full, compute and naive: cansim_render_file timed alone; profiles are loaded and renderers
 * opened before the clock starts. */
static void child_render(const Bench *b, const Mode *m, Sample *s)
{
    const size_t n = (size_t)b->n_profiles;
    CansimProfile **owned = calloc(n, sizeof *owned);
    const CansimProfile **prof = calloc(n, sizeof *prof);
    CansimOutputResult *res = calloc(n, sizeof *res);
    CansimDiag diag = {{0}};
    char dir[8200];
    if (!owned || !prof || !res) {
        fail(s, "setup", "out of memory");
        goto done;
    }
    for (size_t j = 0; j < n; j++) {
        const int e = cansim_profile_load_ir(&owned[j], b->irs[j], &diag);
        if (e) {
            fail(s, cansim_strerror(e), diag.msg);
            goto done;
        }
        prof[j] = owned[j];
    }
    str_printf(dir, sizeof dir, "%s/full", b->out_dir);
    const size_t n_groups = m->is_naive ? n : 1;
    const size_t per_group = m->is_naive ? 1 : n;
    for (size_t g = 0; g < n_groups; g++) {
        CansimRenderConfig cfg = cansim_render_default_config();
        cfg.profiles = prof + g * per_group;
        cfg.n_profiles = per_group;
        cfg.n_threads = m->n_threads;
        cfg.partition_frames = b->partition_frames;
        cfg.cpu_mask = b->cpu_mask;
        cfg.is_compute_only = m->is_compute_only;
        cfg.format = CANSIM_FORMAT_WAV32F;
        CansimRender *r = NULL;
        int e = cansim_render_open(&r, &cfg, &diag);
        if (e) {
            fail(s, cansim_strerror(e), diag.msg);
            goto done;
        }
        if (g == 0) {
            s->partition_frames = cansim_render_partition_frames(r);
            s->cpu_flags = cansim_render_cpu_flags(r);
        }
        const Mark m0 = mark_now();
        e = cansim_render_file(r, m->is_long ? b->mix_long : b->mix,
                               m->is_compute_only ? NULL : dir, res, &diag);
        sample_add(s, &m0);
        cansim_render_close(&r);
        if (e) {
            fail(s, cansim_strerror(e), diag.msg[0] ? diag.msg : res[0].diag.msg);
            goto done;
        }
    }
done:
    for (size_t j = 0; owned && j < n; j++)
        cansim_profile_close(&owned[j]);
    free(owned);
    free(prof);
    free(res);
}

/* The I/O floor: the renderer's own structure with nothing computed. The calling thread reads
 * one chunk, then n_threads threads (the caller among them) each write the chunk unchanged to
 * their share of the outputs, then all wait for each other: the renderer's parallel region
 * minus the arithmetic. n_threads = 1 is the plain serial copy. */
typedef struct Floor {
    SNDFILE **outs;
    int n_outs;
    int n_threads;
    const float *buf;
    sf_count_t n_frames;
    bool is_done;
    pthread_barrier_t go;
    pthread_barrier_t done;
} Floor;

typedef struct FloorWorker {
    Floor *f;
    int id;
    bool has_error;
} FloorWorker;

static bool floor_share(const Floor *f, int id)
{
    bool ok = true;
    for (int j = id; j < f->n_outs; j += f->n_threads)
        ok = sf_writef_float(f->outs[j], f->buf, f->n_frames) == f->n_frames && ok;
    return ok;
}

static void *floor_worker(void *arg)
{
    FloorWorker *w = arg;
    const Floor *f = w->f;
    for (;;) {
        pthread_barrier_wait(&w->f->go);
        if (f->is_done)
            return NULL;
        w->has_error |= !floor_share(f, w->id);
        pthread_barrier_wait(&w->f->done);
    }
}

static void child_floor(const Bench *b, const Mode *m, Sample *s)
{
    const int nt = m->n_threads;
    char dir[8200];
    char path[8300];
    str_printf(dir, sizeof dir, "%s/floor", b->out_dir);
    if (mkdir_p(dir)) {
        fail(s, dir, strerror(errno));
        return;
    }
    Floor *f = calloc(1, sizeof *f);
    float *buf = malloc(2 * FLOOR_CHUNK_FRAMES * sizeof *buf);
    pthread_t *th = calloc((size_t)nt, sizeof *th);
    FloorWorker *ws = calloc((size_t)nt, sizeof *ws);
    if (f)
        f->outs = calloc((size_t)b->n_profiles, sizeof *f->outs);
    if (!f || !f->outs || !buf || !th || !ws) {
        fail(s, "setup", "out of memory");
        return;
    }
    f->n_outs = b->n_profiles;
    f->n_threads = nt;
    f->buf = buf;
    pthread_barrier_init(&f->go, NULL, (unsigned)nt);
    pthread_barrier_init(&f->done, NULL, (unsigned)nt);
    for (int i = 1; i < nt; i++) {
        ws[i] = (FloorWorker){.f = f, .id = i};
        if (pthread_create(&th[i], NULL, floor_worker, &ws[i])) {
            /* The started workers wait at a barrier that can never fill; the child exits. */
            fail(s, "floor", "cannot start a thread");
            return;
        }
    }
    const Mark m0 = mark_now();
    SF_INFO info = {0};
    SNDFILE *in = sf_open(b->mix, SFM_READ, &info);
    if (!in)
        fail(s, b->mix, sf_strerror(NULL));
    for (int j = 0; j < f->n_outs && in; j++) {
        SF_INFO oi = {.samplerate = info.samplerate,
                      .channels = info.channels,
                      .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
        str_printf(path, sizeof path, "%s/p%02d.wav", dir, j);
        if (!(f->outs[j] = sf_open(path, SFM_WRITE, &oi))) {
            fail(s, path, sf_strerror(NULL));
            break;
        }
        /* As the renderer writes its outputs: no PEAK chunk. */
        sf_command(f->outs[j], SFC_SET_ADD_PEAK_CHUNK, NULL, SF_FALSE);
    }
    bool ok = true;
    while (!s->status) {
        sf_count_t got = 0;
        while (got < FLOOR_CHUNK_FRAMES) {
            const sf_count_t k =
                sf_readf_float(in, buf + got * info.channels, FLOOR_CHUNK_FRAMES - got);
            if (k <= 0)
                break;
            got += k;
        }
        if (got == 0)
            break;
        f->n_frames = got;
        pthread_barrier_wait(&f->go);
        ok = floor_share(f, 0) && ok;
        pthread_barrier_wait(&f->done);
    }
    f->is_done = true;
    pthread_barrier_wait(&f->go);
    for (int j = 0; j < f->n_outs; j++)
        if (f->outs[j] && sf_close(f->outs[j]))
            ok = false;
    if (in)
        sf_close(in);
    sample_add(s, &m0);
    for (int i = 1; i < nt; i++) {
        pthread_join(th[i], NULL);
        ok = ok && !ws[i].has_error;
    }
    if (!ok && !s->status)
        fail(s, dir, "write failed");
    pthread_barrier_destroy(&f->go);
    pthread_barrier_destroy(&f->done);
    free(f->outs);
    free(f);
    free(buf);
    free(th);
    free(ws);
}

/* One repetition of one mode in a fresh process, so that ru_maxrss is this mode's own peak. */
static int run_child(const Bench *b, const Mode *m, Sample *s, double *rss_mb)
{
    int fd[2];
    memset(s, 0, sizeof *s);
    if (pipe(fd))
        return -1;
    fflush(NULL);
    const pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        close(fd[0]);
        Sample cs = {0};
        if (m->kind == KIND_FLOOR)
            child_floor(b, m, &cs);
        else
            child_render(b, m, &cs);
        const ssize_t w = write(fd[1], &cs, sizeof cs);
        _exit(w == (ssize_t)sizeof cs && cs.status == 0 ? 0 : 1);
    }
    close(fd[1]);
    size_t got = 0;
    while (got < sizeof *s) {
        const ssize_t k = read(fd[0], (char *)s + got, sizeof *s - got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd[0]);
    int st = 0;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) < 0)
        return -1;
    *rss_mb = (double)ru.ru_maxrss / 1024.0; /* Linux reports kilobytes */
    if (got != sizeof *s) {
        str_printf(s->msg, sizeof s->msg, "child died (status 0x%x)", (unsigned)st);
        s->status = -1;
    }
    return s->status;
}

/* ------------------------------------------------------------------ modes and report */

static const char *const mode_keys[] = {"full",    "compute",   "io_floor",  "io_floor_1", "naive",
                                        "naive_1", "compute_1", "compute_2", "long"};

static bool only_is_valid(const char *only)
{
    for (const char *p = only; *p;) {
        const char *end = strchr(p, ',');
        const size_t len = end ? (size_t)(end - p) : strlen(p);
        bool is_known = false;
        for (size_t i = 0; i < sizeof mode_keys / sizeof mode_keys[0]; i++)
            is_known = is_known || (strlen(mode_keys[i]) == len && !strncmp(p, mode_keys[i], len));
        if (!is_known)
            return false;
        if (!end)
            break;
        p = end + 1;
    }
    return true;
}

static bool is_selected(const Bench *b, const char *key)
{
    if (!b->only)
        return true;
    const size_t n = strlen(key);
    for (const char *p = b->only; p && *p;) {
        const char *end = strchr(p, ',');
        const size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && !strncmp(p, key, n))
            return true;
        p = end ? end + 1 : NULL;
    }
    return false;
}

static void add_mode(Bench *b, const char *key, const char *family, const char *suffix, Mode m)
{
    if (!is_selected(b, key) || b->n_modes >= MAX_MODES)
        return;
    str_printf(m.key, sizeof m.key, "%s", key);
    str_printf(m.name, sizeof m.name, "render/%s/%dx%d/%gs%s", family, b->n_profiles, b->n_taps,
               m.is_long ? b->long_seconds : b->seconds, suffix);
    b->modes[b->n_modes++] = m;
}

/* The modes of one repetition, run in this order. The main ones use the renderer's thread count
 * t; the extra 1-thread runs separate the gain of sharing the transform from that of threads. */
static void build_modes(Bench *b)
{
    const int t = b->n_threads;
    add_mode(b, "full", "full", "", (Mode){.kind = KIND_RENDER, .n_threads = t});
    add_mode(b, "compute", "compute", "",
             (Mode){.kind = KIND_RENDER, .is_compute_only = true, .n_threads = t});
    add_mode(b, "io_floor", "io_floor", "", (Mode){.kind = KIND_FLOOR, .n_threads = t});
    add_mode(
        b, "naive", "naive", "",
        (Mode){.kind = KIND_RENDER, .is_compute_only = true, .is_naive = true, .n_threads = t});
    if (t != 1) {
        add_mode(b, "io_floor_1", "io_floor", "/threads:1",
                 (Mode){.kind = KIND_FLOOR, .n_threads = 1});
        add_mode(
            b, "naive_1", "naive", "/threads:1",
            (Mode){.kind = KIND_RENDER, .is_compute_only = true, .is_naive = true, .n_threads = 1});
        add_mode(b, "compute_1", "compute", "/threads:1",
                 (Mode){.kind = KIND_RENDER, .is_compute_only = true, .n_threads = 1});
    }
    if (t != 2)
        add_mode(b, "compute_2", "compute", "/threads:2",
                 (Mode){.kind = KIND_RENDER, .is_compute_only = true, .n_threads = 2});
    if (b->has_long)
        add_mode(
            b, "long", "compute", "",
            (Mode){.kind = KIND_RENDER, .is_compute_only = true, .is_long = true, .n_threads = t});
}

static const Stats *stats_of(const Bench *b, const char *key)
{
    for (int i = 0; i < b->n_modes; i++)
        if (!strcmp(b->modes[i].key, key) && b->stats[i].n > 0 && !b->stats[i].has_failed)
            return &b->stats[i];
    return NULL;
}

static double med_wall(const Bench *b, const char *key)
{
    const Stats *s = stats_of(b, key);
    return s ? median(s->wall, s->n) : 0.0;
}

static double med_rss(const Bench *b, const char *key)
{
    const Stats *s = stats_of(b, key);
    return s ? median(s->rss_mb, s->n) : 0.0;
}

static double ratio(double num, double den)
{
    return num > 0.0 && den > 0.0 ? num / den : 0.0;
}

static double mode_seconds(const Bench *b, const Mode *m)
{
    return m->is_long ? b->long_seconds : b->seconds;
}

typedef struct Derived {
    double full_vs_floor;    /* full / io_floor (T threads) */
    double full_vs_floor_1;  /* full / io_floor (1 thread) */
    double compute_vs_floor; /* compute / io_floor */
    double naive_speedup;    /* naive / compute, T threads */
    double naive_speedup_1;  /* naive / compute, 1 thread */
    double thread_speedup;   /* compute 1 thread / compute 2 threads */
} Derived;

static Derived derive(const Bench *b)
{
    Derived d;
    const double t2 = b->n_threads == 2 ? med_wall(b, "compute") : med_wall(b, "compute_2");
    d.full_vs_floor = ratio(med_wall(b, "full"), med_wall(b, "io_floor"));
    d.full_vs_floor_1 = ratio(med_wall(b, "full"), b->n_threads == 1 ? med_wall(b, "io_floor")
                                                                     : med_wall(b, "io_floor_1"));
    d.compute_vs_floor = ratio(med_wall(b, "compute"), med_wall(b, "io_floor"));
    d.naive_speedup = ratio(med_wall(b, "naive"), med_wall(b, "compute"));
    d.naive_speedup_1 = b->n_threads == 1 ? d.naive_speedup
                                          : ratio(med_wall(b, "naive_1"), med_wall(b, "compute_1"));
    d.thread_speedup =
        ratio(b->n_threads == 1 ? med_wall(b, "compute") : med_wall(b, "compute_1"), t2);
    return d;
}

static const char *verdict(double value, double target, bool is_max)
{
    if (value <= 0.0)
        return "not measured";
    return (is_max ? value <= target : value >= target) ? "met" : "MISSED";
}

static void print_target(const char *what, double value, const char *unit, double target,
                         bool is_max, const char *note)
{
    printf("  %-46s %8.2f %-2s  %-12s %s\n", what, value, unit, verdict(value, target, is_max),
           note);
}

static void print_table(const Bench *b, const Derived *d)
{
    const int t = b->n_threads;
    char what[96], note[96];
    printf("\ncansim-bench-render %s: %d profiles x %d taps (full 2x2), %g s stereo %d Hz float "
           "WAV,\n%d repetitions (medians), %d threads, kernels %s, partition %zu frames\n\n",
           cansim_version(), b->n_profiles, b->n_taps, b->seconds, b->rate_hz, b->n_reps, t,
           cansim_cpu_name(b->main_cpu_flags), b->main_partition);
    printf("%-11s %3s %8s %17s %8s %7s %8s %7s %5s %6s\n", "mode", "thr", "wall s", "(min .. max)",
           "cpu s", "sys s", "RTF", "RSS MB", "bg %", "part");
    double worst_bg = 0.0;
    for (int i = 0; i < b->n_modes; i++) {
        const Mode *m = &b->modes[i];
        const Stats *s = &b->stats[i];
        if (s->n == 0 || s->has_failed) {
            printf("%-11s %3d   failed\n", m->key, m->n_threads);
            continue;
        }
        const double w = median(s->wall, s->n);
        const double bg = 100.0 * median(s->bg, s->n);
        if (w >= 0.5) /* /proc/stat counts 10 ms ticks: shorter runs give no usable share */
            worst_bg = bg > worst_bg ? bg : worst_bg;
        char part[16] = "-";
        if (m->kind == KIND_RENDER)
            str_printf(part, sizeof part, "%zu", s->partition_frames);
        printf("%-11s %3d %8.3f (%6.3f .. %6.3f) %8.3f %7.3f %8.0f %7.1f %5.1f %6s\n", m->key,
               m->n_threads, w, min_of(s->wall, s->n), max_of(s->wall, s->n), median(s->cpu, s->n),
               median(s->sys, s->n), b->n_profiles * mode_seconds(b, m) / w,
               median(s->rss_mb, s->n), bg, part);
    }
    printf("(RTF = profiles x input seconds / wall; bg = other processes' share of the machine's "
           "CPU\n meanwhile, from /proc/stat; part = partition frames)\n");
    if (worst_bg > 10.0)
        printf("warning: other processes used up to %.0f%% of the machine during a mode; its "
               "figures\n         are inflated (see min .. max)\n",
               worst_bg);
    printf("\nratios (same run, medians of wall time)\n");
    const struct {
        const char *what;
        int n_threads;
        double value;
    } rows[] = {
        {"full / io_floor", t, d->full_vs_floor},       {"full / io_floor", 1, d->full_vs_floor_1},
        {"compute / io_floor", t, d->compute_vs_floor}, {"naive / compute", t, d->naive_speedup},
        {"naive / compute", 1, d->naive_speedup_1},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (i > 0 && rows[i].n_threads == rows[i - 1].n_threads &&
            !strcmp(rows[i].what, rows[i - 1].what))
            continue;
        str_printf(what, sizeof what, "%s, %d thread%s", rows[i].what, rows[i].n_threads,
                   rows[i].n_threads == 1 ? "" : "s");
        printf("  %-46s %8.2f\n", what, rows[i].value);
    }
    printf("  %-46s %8.2f\n", "compute, 1 thread / 2 threads", d->thread_speedup);
    printf("\ntargets (reported, never asserted)\n");
    str_printf(what, sizeof what, "full <= %.2f x io floor (%d thread%s)", TARGET_FULL_VS_FLOOR, t,
               t == 1 ? "" : "s");
    print_target(what, d->full_vs_floor, "x", TARGET_FULL_VS_FLOOR, true, "");
    str_printf(what, sizeof what, "compute >= %.1f x faster than naive (1 thread)",
               TARGET_NAIVE_SPEEDUP);
    str_printf(note, sizeof note, "(%.2f x at %d thread%s)", d->naive_speedup, t,
               t == 1 ? "" : "s");
    print_target(what, d->naive_speedup_1, "x", TARGET_NAIVE_SPEEDUP, false, note);
    str_printf(what, sizeof what, "2 threads >= %.1f x faster than 1 (compute)",
               TARGET_THREAD_SPEEDUP);
    print_target(what, d->thread_speedup, "x", TARGET_THREAD_SPEEDUP, false, "");
    str_printf(what, sizeof what, "peak RSS, %g s input < %.0f MB", b->long_seconds,
               TARGET_LONG_RSS_MB);
    str_printf(note, sizeof note, "(%.1f MB at %g s)", med_rss(b, "compute"), b->seconds);
    if (stats_of(b, "long"))
        print_target(what, med_rss(b, "long"), "MB", TARGET_LONG_RSS_MB, true, note);
    else
        printf("  %-46s %11s  not run (--long)\n", what, "");
}

/* ------------------------------------------------------------------ JSON */

static int cpu_mhz(void)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[256];
    double mhz = 0.0;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "cpu MHz", 7) && strchr(line, ':')) {
            mhz = atof(strchr(line, ':') + 1);
            break;
        }
    if (f)
        fclose(f);
    return (int)(mhz + 0.5);
}

static bool cpu_scaling_enabled(void)
{
    FILE *f = fopen("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "r");
    char gov[64] = "";
    if (!f)
        return false;
    const bool has = fgets(gov, sizeof gov, f) != NULL;
    fclose(f);
    return has && strncmp(gov, "performance", 11) != 0;
}

static void counter(json_t *o, const char *key, double v)
{
    json_object_set_new(o, key, json_real(v));
}

/* Google Benchmark's schema, written with jansson. */
static int write_json(const Bench *b, const Derived *d, const char *exe)
{
    char date[64], host[256] = "";
    const time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S%z", &tm);
    const size_t dl = strlen(date); /* +0100 -> +01:00, as Google Benchmark writes it */
    if (dl >= 5 && dl + 2 < sizeof date) {
        memmove(date + dl - 1, date + dl - 2, 3);
        date[dl - 2] = ':';
    }
    gethostname(host, sizeof host - 1);
    double load[3] = {0, 0, 0};
    getloadavg(load, 3);
    json_t *context = json_pack(
        "{s:s, s:s, s:s, s:i, s:i, s:b, s:[f,f,f], s:s, s:s, s:s, s:I, s:i, s:i, s:f, s:i, s:i, "
        "s:b, s:f, s:i}",
        "date", date, "host_name", host, "executable", exe, "num_cpus",
        (int)sysconf(_SC_NPROCESSORS_ONLN), "mhz_per_cpu", cpu_mhz(), "cpu_scaling_enabled",
        cpu_scaling_enabled(), "load_avg", load[0], load[1], load[2], "library_build_type",
        CANSIM_BUILD_TYPE, "cansim_version", cansim_version(), "cansim_cpu",
        cansim_cpu_name(b->main_cpu_flags), "partition_frames", (json_int_t)b->main_partition,
        "n_profiles", b->n_profiles, "n_taps", b->n_taps, "input_seconds", b->seconds, "rate_hz",
        b->rate_hz, "threads", b->n_threads, "quick", b->is_quick, "settle_s", b->settle_s,
        "settle_timeouts", b->n_settle_timeouts);
    json_t *list = json_array();
    for (int i = 0; context && list && i < b->n_modes; i++) {
        const Mode *m = &b->modes[i];
        const Stats *s = &b->stats[i];
        if (s->n == 0 || s->has_failed)
            continue;
        const double w = median(s->wall, s->n);
        const double secs = mode_seconds(b, m);
        json_t *o = json_pack("{s:s, s:i, s:i, s:s, s:s, s:i, s:i, s:i, s:i, s:f, s:f, s:s}",
                              "name", m->name, "family_index", i, "per_family_instance_index", 0,
                              "run_name", m->name, "run_type", "iteration", "repetitions", s->n,
                              "repetition_index", 0, "threads", m->n_threads, "iterations", 1,
                              "real_time", w, "cpu_time", median(s->cpu, s->n), "time_unit", "s");
        if (!o || json_array_append_new(list, o)) {
            json_decref(list);
            list = NULL;
            break;
        }
        counter(o, "real_time_min", min_of(s->wall, s->n));
        counter(o, "real_time_max", max_of(s->wall, s->n));
        counter(o, "sys_time", median(s->sys, s->n));
        counter(o, "rtf", b->n_profiles * secs / w);
        counter(o, "peak_rss_mb", median(s->rss_mb, s->n));
        counter(o, "background_cpu_share", median(s->bg, s->n));
        if (!m->is_compute_only)
            counter(o, "bytes_per_second",
                    b->n_profiles * secs * b->rate_hz * 2.0 * sizeof(float) / w);
        if (m->kind == KIND_RENDER)
            counter(o, "partition_frames", (double)s->partition_frames);
        if (!strcmp(m->key, "full")) {
            counter(o, "ratio_vs_io_floor", d->full_vs_floor);
            counter(o, "ratio_vs_io_floor_serial", d->full_vs_floor_1);
            counter(o, "target_ratio_vs_io_floor", TARGET_FULL_VS_FLOOR);
        } else if (!strcmp(m->key, "compute")) {
            counter(o, "ratio_vs_io_floor", d->compute_vs_floor);
            counter(o, "speedup_vs_naive", d->naive_speedup);
            if (b->n_threads == 2)
                counter(o, "speedup_vs_1_thread", d->thread_speedup);
        } else if (!strcmp(m->key, "compute_1")) {
            counter(o, "speedup_vs_naive", d->naive_speedup_1);
            counter(o, "target_speedup_vs_naive", TARGET_NAIVE_SPEEDUP);
        } else if (!strcmp(m->key, "compute_2")) {
            counter(o, "speedup_vs_1_thread", d->thread_speedup);
        } else if (!strcmp(m->key, "naive")) {
            counter(o, "ratio_vs_compute", d->naive_speedup);
        } else if (!strcmp(m->key, "naive_1")) {
            counter(o, "ratio_vs_compute", d->naive_speedup_1);
        } else if (!strcmp(m->key, "long")) {
            counter(o, "peak_rss_mb_short_input", med_rss(b, "compute"));
            counter(o, "target_peak_rss_mb", TARGET_LONG_RSS_MB);
        }
        if (!strcmp(m->key, b->n_threads == 2 ? "compute" : "compute_2"))
            counter(o, "target_speedup_vs_1_thread", TARGET_THREAD_SPEEDUP);
    }
    json_t *doc =
        context && list ? json_pack("{s:o, s:o}", "context", context, "benchmarks", list) : NULL;
    if (!doc) {
        json_decref(context);
        json_decref(list);
    }
    const int e =
        doc ? json_dump_file(doc, b->json_path, JSON_INDENT(2) | JSON_REAL_PRECISION(9)) : -1;
    json_decref(doc);
    if (e) {
        fprintf(stderr, "cansim-bench-render: %s: cannot write\n", b->json_path);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ main */

static void print_help(void)
{
    printf("cansim-bench-render measures end-to-end renders against their I/O floor, each mode\n"
           "in its own process, and reports medians, same-run ratios and peak RSS.\n"
           "\n"
           "Usage: cansim-bench-render [options]\n"
           "\n"
           "Material (made once with cansim-synth, reused when present):\n"
           "  --workdir DIR      material and scratch outputs\n"
           "                     [default: %s]\n"
           "  --seconds S        mix length                               [default: 180]\n"
           "  --profiles N       4-channel random-IR profiles             [default: 16]\n"
           "  --taps N           taps per filter                          [default: 4096]\n"
           "  --rate HZ          sample rate                              [default: 48000]\n"
           "\n"
           "Runs:\n"
           "  --reps N           repetitions per mode (figures are medians) [default: 5]\n"
           "  --threads N        renderer and io_floor threads            [default: all cores]\n"
           "  --partition N      renderer partition size                  [default: cost model]\n"
           "  --cpu LEVEL        highest kernel level: auto c avx2 avx512 [default: auto]\n"
           "  --only LIST        modes, comma-separated: full compute io_floor io_floor_1 naive\n"
           "                     naive_1 compute_1 compute_2 long         [default: all]\n"
           "  --long             also render a long input, compute only (peak RSS)\n"
           "  --long-seconds S   its length (implies --long)              [default: 3600]\n"
           "  --settle S         wait up to S s before each run for the machine to be quiet\n"
           "                     (other processes below 10%% CPU)          [default: 20]\n"
           "  --quick            CI smoke: 20 s, 4 profiles, 3 reps, --settle 0\n"
           "\n"
           "Output:\n"
           "  --json FILE        Google Benchmark JSON of the medians\n"
           "  -h, --help         this help\n"
           "\n"
           "Targets are printed next to the figures, never asserted: the exit status is 0\n"
           "unless something failed (1), or 2 for a usage error.\n",
           CANSIM_BENCH_WORKDIR);
}

static int usage_error(const char *what, const char *value)
{
    if (what)
        fprintf(stderr, "cansim-bench-render: %s '%s'\n", what, value);
    fputs("Try 'cansim-bench-render --help'.\n", stderr);
    return 2;
}

static bool parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    const long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

static bool parse_seconds(const char *s, double *out)
{
    char *end;
    const double v = strtod(s, &end);
    if (end == s || *end || !(v >= 1.0 && v <= 86400.0))
        return false;
    *out = v;
    return true;
}

/* Fills b from the command line; returns -1 to go on, else the exit status. */
static int parse_args(Bench *b, int argc, char **argv)
{
    enum {
        O_WORKDIR = 256,
        O_SECONDS,
        O_PROFILES,
        O_TAPS,
        O_RATE,
        O_REPS,
        O_THREADS,
        O_PARTITION,
        O_ONLY,
        O_LONG,
        O_LONG_SECONDS,
        O_QUICK,
        O_JSON,
        O_SETTLE,
        O_CPU
    };
    static const struct option opts[] = {
        {"workdir", required_argument, NULL, O_WORKDIR},
        {"seconds", required_argument, NULL, O_SECONDS},
        {"profiles", required_argument, NULL, O_PROFILES},
        {"taps", required_argument, NULL, O_TAPS},
        {"rate", required_argument, NULL, O_RATE},
        {"reps", required_argument, NULL, O_REPS},
        {"threads", required_argument, NULL, O_THREADS},
        {"partition", required_argument, NULL, O_PARTITION},
        {"only", required_argument, NULL, O_ONLY},
        {"long", no_argument, NULL, O_LONG},
        {"long-seconds", required_argument, NULL, O_LONG_SECONDS},
        {"quick", no_argument, NULL, O_QUICK},
        {"json", required_argument, NULL, O_JSON},
        {"settle", required_argument, NULL, O_SETTLE},
        {"cpu", required_argument, NULL, O_CPU},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool has_seconds = false, has_profiles = false, has_reps = false, has_settle = false;
    int part = 0;
    int settle_s = 20;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        bool ok = true;
        switch (c) {
        case O_WORKDIR:
            b->workdir = optarg;
            break;
        case O_SECONDS:
            ok = parse_seconds(optarg, &b->seconds);
            has_seconds = true;
            break;
        case O_PROFILES:
            ok = parse_int(optarg, 1, 999, &b->n_profiles);
            has_profiles = true;
            break;
        case O_TAPS:
            ok = parse_int(optarg, 1, (int)CANSIM_MAX_TAPS, &b->n_taps);
            break;
        case O_RATE:
            ok = parse_int(optarg, 8000, 384000, &b->rate_hz);
            break;
        case O_REPS:
            ok = parse_int(optarg, 1, 64, &b->n_reps);
            has_reps = true;
            break;
        case O_THREADS:
            ok = parse_int(optarg, 1, 1024, &b->n_threads);
            break;
        case O_PARTITION:
            ok = parse_int(optarg, 64, 65536, &part);
            break;
        case O_ONLY:
            b->only = optarg;
            break;
        case O_LONG:
            b->has_long = true;
            break;
        case O_LONG_SECONDS:
            ok = parse_seconds(optarg, &b->long_seconds);
            b->has_long = true;
            break;
        case O_QUICK:
            b->is_quick = true;
            break;
        case O_JSON:
            b->json_path = optarg;
            break;
        case O_SETTLE:
            ok = parse_int(optarg, 0, 3600, &settle_s);
            has_settle = true;
            break;
        case O_CPU:
            ok = cansim_cpu_mask_from_name(optarg, &b->cpu_mask) == 0;
            break;
        case 'h':
            print_help();
            return 0;
        default:
            return usage_error(NULL, NULL);
        }
        if (!ok) {
            char what[64];
            str_printf(what, sizeof what, "bad value for --%s:", opts[c - O_WORKDIR].name);
            return usage_error(what, optarg);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument", argv[optind]);
    if (b->only && !only_is_valid(b->only))
        return usage_error("unknown mode in --only", b->only);
    if (b->is_quick) {
        b->seconds = has_seconds ? b->seconds : 20.0;
        b->n_profiles = has_profiles ? b->n_profiles : 4;
        b->n_reps = has_reps ? b->n_reps : 3;
        settle_s = has_settle ? settle_s : 0;
    }
    b->settle_s = settle_s;
    b->partition_frames = (size_t)part;
    b->n_cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
    b->n_cpus = b->n_cpus > 0 ? b->n_cpus : 1;
    if (!b->n_threads)
        b->n_threads = bench_cpu_count();
    return -1;
}

/* Every repetition runs every mode once, in turn, so that drift on a shared machine reaches all
 * modes alike; returns 1 when some mode failed. */
static int run_all(Bench *b)
{
    int rc = 0;
    for (int rep = 0; rep < b->n_reps; rep++) {
        fprintf(stderr, "rep %d/%d:", rep + 1, b->n_reps);
        for (int i = 0; i < b->n_modes; i++) {
            const Mode *m = &b->modes[i];
            Stats *s = &b->stats[i];
            if (s->has_failed || (m->is_long && rep > 0))
                continue;
            Sample smp;
            double rss = 0.0;
            clean_outputs(b);
            if (b->settle_s > 0.0 && !bench_settle(b->settle_s))
                b->n_settle_timeouts++;
            if (run_child(b, m, &smp, &rss)) {
                fprintf(stderr, "\ncansim-bench-render: %s: %s\n", m->key,
                        smp.msg[0] ? smp.msg : "cannot fork");
                s->has_failed = true;
                rc = 1;
                continue;
            }
            s->wall[s->n] = smp.wall_s;
            s->cpu[s->n] = smp.cpu_s;
            s->sys[s->n] = smp.sys_s;
            s->bg[s->n] = smp.others_s / (smp.wall_s * b->n_cpus);
            s->rss_mb[s->n] = rss;
            s->n++;
            s->partition_frames = smp.partition_frames;
            s->cpu_flags = smp.cpu_flags;
            fprintf(stderr, " %s %.3f s", m->key, smp.wall_s);
        }
        fputc('\n', stderr);
    }
    clean_outputs(b);
    if (b->n_settle_timeouts)
        fprintf(stderr, "cansim-bench-render: %d runs started on a busy machine (--settle %g)\n",
                b->n_settle_timeouts, b->settle_s);
    b->main_cpu_flags = cansim_cpu_flags();
    for (int i = 0; i < b->n_modes; i++)
        if (b->modes[i].kind == KIND_RENDER && !b->modes[i].is_naive && b->stats[i].n) {
            b->main_partition = b->stats[i].partition_frames;
            b->main_cpu_flags = b->stats[i].cpu_flags;
            break;
        }
    return rc;
}

int main(int argc, char **argv)
{
    static Bench b = {
        .workdir = CANSIM_BENCH_WORKDIR,
        .seconds = 180.0,
        .long_seconds = 3600.0,
        .rate_hz = 48000,
        .n_profiles = 16,
        .n_taps = 4096,
        .n_reps = 5,
        .cpu_mask = ~0u,
    };
    const int e = parse_args(&b, argc, argv);
    if (e >= 0)
        return e;
    if (prepare_material(&b))
        return 1;
    build_modes(&b);
    int rc = run_all(&b);
    const Derived d = derive(&b);
    print_table(&b, &d);
    if (b.json_path && write_json(&b, &d, argv[0]))
        rc = 1;
    free(b.irs);
    return rc;
}

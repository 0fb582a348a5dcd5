/* SPDX-License-Identifier: MIT */
/* The render command: inputs (files and folders of stems), what of them is already done (the
 * manifests), the work spread over threads, progress, reports, and a clean stop on a signal.
 *
 * Each input has its folder OUT/<relative path without extension>/ holding its renders, its
 * report.json and its manifest.json. The manifest says, for every output written, what it was
 * made from: the input's size, mtime and content hash (XXH3-128), the run's output options, the
 * profile's digest (cansim_profile_digest()) and cansim's version. It is written after the
 * outputs, atomically (written, synced, renamed), so a kill at any moment leaves either the
 * old manifest or the new one, and an output it lists is complete. Inputs go to shards by a
 * hash of their gain group, so machines sharing OUT never write the same folder. */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <omp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#include "cli.h"
#include "translation_report.h" /* translation */
#include "outputs.h"
#include "page.h"
#include "shard.h"

static volatile sig_atomic_t g_signal;

static void on_signal(int sig)
{
    g_signal = sig;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ------------------------------------------------------------------ files */

static int64_t mtime_ns(const struct stat *st)
{
    return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

static int64_t ctime_ns(const struct stat *st)
{
    return (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
}

/* XXH3-128 of a file's bytes, as 32 hex digits. */
static int hash_file(const char *path, char hex[33])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    XXH3_state_t *h = XXH3_createState();
    char *buf = malloc(1 << 20);
    int rc = -1;
    if (h && buf) {
        XXH3_128bits_reset(h);
        size_t k;
        while ((k = fread(buf, 1, 1 << 20, f)) > 0)
            XXH3_128bits_update(h, buf, k);
        if (!ferror(f)) {
            const XXH128_hash_t v = XXH3_128bits_digest(h);
            snprintf(hex, 33, "%016llx%016llx", (unsigned long long)v.high64,
                     (unsigned long long)v.low64);
            rc = 0;
        }
    }
    free(buf);
    XXH3_freeState(h);
    fclose(f);
    return rc;
}

static void hex128(const void *data, size_t n, char hex[33])
{
    const XXH128_hash_t v = XXH3_128bits(data, n);
    snprintf(hex, 33, "%016llx%016llx", (unsigned long long)v.high64, (unsigned long long)v.low64);
}

/* ------------------------------------------------------------------ inputs */

static int strcasecmp_ascii(const char *a, const char *b)
{
    for (;; a++, b++) {
        const int x = (*a >= 'A' && *a <= 'Z') ? *a + 32 : *a;
        const int y = (*b >= 'A' && *b <= 'Z') ? *b + 32 : *b;
        if (x != y || !x)
            return x - y;
    }
}

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
    char group_digest[33]; /* members and their content, for groups of two or more; else "" */
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
    const CansimProfile *const *profiles;
    size_t n_profiles;
    char (*digests)[33];
    char options_digest[33];
    int n_notices;
    struct stat *seen; /* folders walked (device, inode): a symlink loop is walked once */
    size_t n_seen, cap_seen;
    int n_trees_skipped;   /* folders of earlier renders met while walking */
    int n_special_skipped; /* FIFOs, devices, sockets met while walking */
    InputSet *inputs;      /* every input, to keep outputs off them */
} Batch;

/* libsndfile's extensions: a file by one of these names that does not open is a failure; any
 * other is not audio and is skipped with a notice. */
static bool has_audio_extension(const char *path)
{
    static const char *const exts[] = {
        "wav",  "wave", "aif", "aiff", "aifc", "flac", "ogg",   "oga", "opus", "mp3", "w64",
        "rf64", "caf",  "au",  "snd",  "sd2",  "voc",  "wv",    "paf", "pvf",  "xi",  "htk",
        "sds",  "avr",  "iff", "svx",  "nist", "sph",  "ircam", "sf",  "mat"};
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return false;
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
        if (!strcasecmp_ascii(dot + 1, exts[i]))
            return true;
    return false;
}

/* Why libsndfile cannot read a file named like path, NULL when the name says nothing: formats
 * it does not read at all (MP4 audio, WMA), or Opus and Ogg files it rejects (ffmpeg's). */
static const char *unread_format(const char *path)
{
    static const struct {
        const char *ext, *kind;
    } formats[] = {
        {"m4a", "not a format libsndfile reads (AAC/ALAC in MP4)"},
        {"mp4", "not a format libsndfile reads (AAC/ALAC in MP4)"},
        {"aac", "not a format libsndfile reads (AAC)"},
        {"alac", "not a format libsndfile reads (ALAC)"},
        {"wma", "not a format libsndfile reads (Windows Media Audio)"},
        {"opus", "an Opus file libsndfile cannot decode"},
        {"ogg", "an Ogg file libsndfile cannot decode"},
        {"oga", "an Ogg file libsndfile cannot decode"},
    };
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    for (size_t i = 0; dot && dot != base && i < sizeof formats / sizeof *formats; i++)
        if (!strcasecmp_ascii(dot + 1, formats[i].ext))
            return formats[i].kind;
    return NULL;
}

/* s as one shell word into out (n >= 6): as it is when it needs no quotes, else in single
 * quotes. */
static void shell_quote(const char *s, char *out, size_t n)
{
    static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                "._/+,=:@%-";
    if (!s[strspn(s, plain)]) {
        snprintf(out, n, "%s", s);
        return;
    }
    size_t k = 0;
    out[k++] = '\'';
    for (; *s && k + 5 < n; s++) {
        if (*s == '\'') {
            memcpy(out + k, "'\\''", 4);
            k += 4;
        } else {
            out[k++] = *s;
        }
    }
    out[k++] = '\'';
    out[k] = '\0';
}

static void job_fail(Job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void job_fail(Job *j, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    free(j->err);
    j->err = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (j->err) {
        va_start(ap, fmt);
        vsnprintf(j->err, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    j->state = JOB_FAILED;
}

/* j->err, never NULL. */
static const char *err_of(const Job *j)
{
    return j->err ? j->err : "out of memory";
}

static Job *add_job(Batch *b, const char *path, const char *abs)
{
    if (b->n_jobs == b->cap) {
        const size_t cap = b->cap ? 2 * b->cap : 64;
        Job *j = realloc(b->jobs, cap * sizeof *j);
        if (!j)
            return NULL;
        b->jobs = j;
        b->cap = cap;
    }
    Job *j = &b->jobs[b->n_jobs];
    memset(j, 0, sizeof *j);
    j->lock.fd = -1;
    if (!(j->path = strdup(path)) || !(j->abs = strdup(abs ? abs : path))) {
        free(j->path);
        return NULL;
    }
    b->n_jobs++;
    return j;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* True when the folder st was walked already (a symlink back up the tree); else notes it. */
static bool seen_before(Batch *b, const struct stat *st)
{
    for (size_t i = 0; i < b->n_seen; i++)
        if (b->seen[i].st_dev == st->st_dev && b->seen[i].st_ino == st->st_ino)
            return true;
    if (b->n_seen == b->cap_seen) {
        const size_t cap = b->cap_seen ? 2 * b->cap_seen : 64;
        struct stat *n = realloc(b->seen, cap * sizeof *n);
        if (!n)
            return true;
        b->seen = n;
        b->cap_seen = cap;
    }
    b->seen[b->n_seen++] = *st;
    return false;
}

/* A folder of an earlier render (it holds a manifest of cansim's): its renders are no inputs. */
static bool is_output_folder(const char *dir)
{
    char path[PATH_MAX];
    struct stat st;
    return snprintf(path, sizeof path, "%s/" MANIFEST_NAME, dir) < (int)sizeof path &&
           !lstat(path, &st) && S_ISREG(st.st_mode);
}

/* A notice for the first few things the walk skips (the count goes to the summary). */
static void note_skipped(Batch *b, const char *path, int *count, const char *why)
{
    if (++*count <= 3 && b->o->verbosity >= 1 && !b->o->is_json)
        fprintf(stderr, "cansim: note - %s %s: skipped\n", path, why);
}

/* Adds the files of dir (sorted by name; hidden ones and OUT left out), and with recursion
 * its folders' files. depth guards against symlink loops. */
static int walk(Batch *b, const char *dir, const char *abs_dir, int depth, int *n_subdirs)
{
    DIR *d = opendir(dir);
    if (!d) {
        Job *j = add_job(b, dir, abs_dir);
        if (!j)
            return -1;
        j->state = JOB_FAILED;
        job_fail(j, "%s: cannot read the folder: %s", dir, strerror(errno));
        return 0;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn)
                break;
            names = nn;
        }
        if (!(names[n] = strdup(e->d_name)))
            break;
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_name);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        char path[PATH_MAX], abs[PATH_MAX];
        struct stat st;
        if (snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= (int)sizeof path ||
            snprintf(abs, sizeof abs, "%s/%s", abs_dir, names[i]) >= (int)sizeof abs ||
            stat(path, &st))
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (b->has_out && st.st_dev == b->out_dev && st.st_ino == b->out_ino)
                continue;
            if (is_output_folder(path)) {
                note_skipped(b, path, &b->n_trees_skipped, "holds cansim's renders (a manifest)");
                continue;
            }
            if (!b->o->is_recursive)
                (*n_subdirs)++;
            else if (depth < 256 && !seen_before(b, &st))
                rc = walk(b, path, abs, depth + 1, n_subdirs);
        } else if (S_ISREG(st.st_mode)) {
            Job *j = add_job(b, path, abs);
            if (!j)
                rc = -1;
            else
                j->is_walked = true;
        } else {
            /* A FIFO would block the walk, a device read forever: never opened. */
            note_skipped(b, path, &b->n_special_skipped, "is not a regular file");
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* The longest common folder of a and b (absolute paths), into a. */
static void common_folder(char *a, const char *b)
{
    size_t i = 0, last = 0;
    while (a[i] && a[i] == b[i]) {
        if (a[i] == '/')
            last = i;
        i++;
    }
    if ((!a[i] || a[i] == '/') && (!b[i] || b[i] == '/'))
        last = i;
    a[last ? last : 1] = '\0';
    if (!last)
        a[0] = '/';
}

/* The folder an input counts from, absolute: a folder itself, else the file's folder. */
static bool anchor_of(const char *arg, bool is_dir, char out[PATH_MAX])
{
    if (is_dir)
        return realpath(arg, out) != NULL;
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", arg);
    char *slash = strrchr(tmp, '/');
    if (slash == tmp)
        return snprintf(out, PATH_MAX, "/") > 0;
    if (slash)
        *slash = '\0';
    return realpath(slash ? tmp : ".", out) != NULL;
}

/* Every job's shard: its gain group's (shard.h; a group's name is its path below the
 * inputs' common folder), so a group's stems stay in one shard. */
static int assign_shards(Batch *b)
{
    const char **keys = malloc((b->n_jobs ? b->n_jobs : 1) * sizeof *keys);
    int *shard = malloc((b->n_jobs ? b->n_jobs : 1) * sizeof *shard);
    const bool is_ok = keys && shard;
    for (size_t i = 0; i < b->n_jobs && is_ok; i++)
        keys[i] = b->jobs[i].group;
    const int rc = is_ok ? shard_assign(keys, b->n_jobs, b->o->shard_n, shard) : -1;
    for (size_t i = 0; i < b->n_jobs && !rc; i++)
        b->jobs[i].shard = shard[i];
    free(keys);
    free(shard);
    return rc;
}

static int cmp_rel(const void *a, const void *b)
{
    const Job *x = a, *y = b;
    const int c = strcmp(x->rel ? x->rel : "", y->rel ? y->rel : "");
    return c ? c : strcmp(x->path, y->path);
}

/* Every input of the command line: files, folders' files (recursively with -r), their
 * relative paths below the inputs' common folder, the shard's share, and their headers. */
static int collect(Batch *b)
{
    const Options *o = b->o;
    struct stat out_st;
    if (!stat(o->output_dir, &out_st) && S_ISDIR(out_st.st_mode)) {
        b->has_out = true;
        b->out_dev = out_st.st_dev;
        b->out_ino = out_st.st_ino;
    }
    bool has_root = false;
    for (int i = 0; i < o->n_inputs; i++) {
        const char *arg = o->inputs[i];
        struct stat st;
        char anchor[PATH_MAX];
        if (stat(arg, &st)) {
            Job *j = add_job(b, arg, NULL);
            if (!j)
                return -1;
            job_fail(j, "%s: %s", arg, strerror(errno));
            continue;
        }
        const bool is_dir = S_ISDIR(st.st_mode);
        if (is_dir && b->has_out && st.st_dev == b->out_dev && st.st_ino == b->out_ino) {
            fprintf(stderr,
                    "cansim: %s: is also the output folder (-o): its renders would "
                    "become inputs; give another -o\n",
                    arg);
            return 1;
        }
        if (is_dir && seen_before(b, &st))
            continue;
        if (is_dir && is_output_folder(arg)) {
            note_skipped(b, arg, &b->n_trees_skipped, "holds cansim's renders (a manifest)");
            continue;
        }
        if (!is_dir && !S_ISREG(st.st_mode)) {
            /* A FIFO or device cannot be hashed and read again: refused, never opened. */
            Job *j = add_job(b, arg, NULL);
            if (!j)
                return -1;
            job_fail(j, "%s: not a regular file (a FIFO, device or socket); give a file", arg);
            continue;
        }
        if (!anchor_of(arg, is_dir, anchor)) {
            Job *j = add_job(b, arg, NULL);
            if (!j)
                return -1;
            job_fail(j, "%s: %s", arg, strerror(errno));
            continue;
        }
        if (!has_root)
            snprintf(b->root, sizeof b->root, "%s", anchor);
        else
            common_folder(b->root, anchor);
        has_root = true;
        if (is_dir) {
            int n_subdirs = 0;
            if (walk(b, arg, anchor, 0, &n_subdirs))
                return -1;
            if (n_subdirs && o->verbosity >= 1)
                fprintf(stderr,
                        "cansim: note - %d folder%s in %s not searched (-r searches "
                        "them)\n",
                        n_subdirs, n_subdirs == 1 ? "" : "s", arg);
        } else {
            const char *base = strrchr(arg, '/');
            char abs[2 * PATH_MAX];
            snprintf(abs, sizeof abs, "%s%s%s", anchor, strcmp(anchor, "/") ? "/" : "",
                     base ? base + 1 : arg);
            if (!add_job(b, arg, abs))
                return -1;
        }
    }
    if (o->verbosity >= 1 && !o->is_json) {
        if (b->n_trees_skipped > 3)
            fprintf(stderr, "cansim: note - %d more folders of earlier renders skipped\n",
                    b->n_trees_skipped - 3);
        if (b->n_special_skipped > 3)
            fprintf(stderr, "cansim: note - %d more files that are not regular skipped\n",
                    b->n_special_skipped - 3);
    }
    /* Relative paths, without extension. */
    const size_t nr = strlen(b->root);
    for (size_t i = 0; i < b->n_jobs; i++) {
        Job *j = &b->jobs[i];
        const bool is_below =
            has_root && !strncmp(j->abs, b->root, nr) && (nr == 1 || j->abs[nr] == '/');
        j->rel = strdup(is_below ? j->abs + (nr == 1 ? 1 : nr + 1) : j->path);
        if (!j->rel)
            return -1;
        char *base = strrchr(j->rel, '/');
        base = base ? base + 1 : j->rel;
        char *dot = strrchr(base, '.');
        if (dot && dot != base)
            *dot = '\0';
        /* The gain group: a folder's inputs share one (dir), unless each is its own (none) or
         * all are one (all); an input named on its own is its own group. */
        char group[PATH_MAX];
        if (o->gain_group == GAIN_GROUP_ALL) {
            snprintf(group, sizeof group, "*");
        } else if (o->gain_group == GAIN_GROUP_DIR && j->is_walked) {
            snprintf(group, sizeof group, "%s", j->rel);
            char *slash = strrchr(group, '/');
            if (slash)
                *slash = '\0';
            else
                group[0] = '\0';
        } else {
            snprintf(group, sizeof group, "%s", j->rel);
        }
        if (!(j->group = strdup(group)))
            return -1;
    }
    qsort(b->jobs, b->n_jobs, sizeof *b->jobs, cmp_rel);
    /* Two inputs with one relative path (mix.wav and mix.flac) would share a folder: the
     * second fails. The same file reached twice is one input. */
    size_t n = 0;
    for (size_t i = 0; i < b->n_jobs; i++) {
        Job *j = &b->jobs[i];
        if (n && !strcmp(b->jobs[n - 1].rel, j->rel) && j->state != JOB_FAILED) {
            if (!strcmp(b->jobs[n - 1].abs, j->abs)) {
                free(j->path), free(j->abs), free(j->rel), free(j->group), free(j->err);
                continue;
            }
            job_fail(j, "%s: %s would write to the same folder %s/%s/", j->path,
                     b->jobs[n - 1].path, o->output_dir, j->rel);
        }
        b->jobs[n++] = *j;
    }
    b->n_jobs = n;
    /* This shard's share (status: every shard's, each input labelled with its shard), then
     * the headers of what is left. */
    if (o->shard_n && assign_shards(b))
        return -1;
    n = 0;
    for (size_t i = 0; i < b->n_jobs; i++) {
        Job *j = &b->jobs[i];
        if (o->shard_n && !o->is_status && j->shard != o->shard_i) {
            free(j->path), free(j->abs), free(j->rel), free(j->group), free(j->err);
            continue;
        }
        b->jobs[n++] = *j;
    }
    b->n_jobs = n;
    for (size_t i = 0; i < b->n_jobs; i++) {
        Job *j = &b->jobs[i];
        if (j->state == JOB_FAILED)
            continue;
        CansimDiag d;
        const int e = cansim_input_probe(j->path, &j->info, &d);
        const bool is_unreadable =
            e == CANSIM_EFORMAT && strstr(d.msg, "not a readable audio file");
        /* Found in a folder: skipped. Named on the command line: a failure. */
        if (is_unreadable && j->is_walked && !has_audio_extension(j->path)) {
            j->state = JOB_NOT_AUDIO;
            continue;
        }
        const char *kind = is_unreadable ? unread_format(j->path) : NULL;
        if (kind) {
            char from[2 * PATH_MAX], to[2 * PATH_MAX], flac[PATH_MAX + 8];
            snprintf(flac, sizeof flac, "%.*s.flac", (int)(strrchr(j->path, '.') - j->path),
                     j->path);
            shell_quote(j->path, from, sizeof from);
            shell_quote(flac, to, sizeof to);
            job_fail(j, "%s: %s; convert it first: ffmpeg -i %s %s", j->path, kind, from, to);
            continue;
        }
        if (e) {
            job_fail(j, "%s", d.msg);
            continue;
        }
        if (j->info.n_channels > 2) {
            job_fail(j, "%s: %d channels (mono or stereo expected)", j->path, j->info.n_channels);
            continue;
        }
        if (stat(j->path, &j->st)) {
            job_fail(j, "%s: %s", j->path, strerror(errno));
            continue;
        }
        j->seconds = (double)j->info.n_frames / j->info.rate_hz;
    }
    return 0;
}

/* ------------------------------------------------------------------ what is up to date */

static void out_folder(const Batch *b, const Job *j, char *out, size_t n)
{
    snprintf(out, n, "%s/%s", b->o->output_dir, j->rel);
}

/* The output options every render of this run shares: a change re-renders everything. */
static void options_digest(Batch *b)
{
    const Options *o = b->o;
    char text[1024];
    snprintf(text, sizeof text,
             "format=%s level=%d lufs=%.17g ceiling=%d/%.17g tail=%d rate=%.17g resampler=%s "
             "partition=%zu",
             cansim_format_name(o->format), (int)o->level_mode, o->level_lufs, o->has_ceiling,
             o->ceiling_dbtp, o->has_tail, o->out_rate_hz, cansim_resampler_name(o->resampler),
             o->partition_frames);
    hex128(text, strlen(text), b->options_digest);
}

static const char *str_of(const json_t *obj, const char *key)
{
    const char *v = json_string_value(json_object_get(obj, key));
    return v ? v : "";
}

static int64_t int_of(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
}

/* Whether the input's identity (inode, size, mtime, ctime) is the one the manifest's input
 * record in holds: when it is not, its content decides. */
static bool identity_matches(const json_t *in, const struct stat *st)
{
    return int_of(in, "size") == (int64_t)st->st_size && int_of(in, "mtime_ns") == mtime_ns(st) &&
           int_of(in, "ctime_ns") == ctime_ns(st) && int_of(in, "ino") == (int64_t)st->st_ino &&
           str_of(in, "xxh3_128")[0];
}

/* The extension of the outputs of j (as the library names them: libsndfile's for the format). */
static const char *output_ext(const Batch *b, const Job *j)
{
    const char *f =
        b->o->format == CANSIM_FORMAT_SAME ? j->info.same_format : cansim_format_name(b->o->format);
    static const char *const known[] = {"wav", "flac", "aiff"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (!strncmp(f, known[i], strlen(known[i])))
            return known[i];
    return f;
}

/* Before anything is written for j: none of the files it may write is an input, and none that
 * exists is replaced unless cansim's manifest records it as its own (or --force). */
static void check_outputs(Batch *b, Job *j, bool has_manifest_file)
{
    char dir[PATH_MAX];
    out_folder(b, j, dir, sizeof dir);
    const char *ext = output_ext(b, j);
    const size_t n = b->n_profiles;
    char(*names)[256] = calloc(n + 3, sizeof *names);
    if (!names) {
        job_fail(j, "%s: out of memory", j->path);
        return;
    }
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        snprintf(names[m++], sizeof *names, "%s.%s", cansim_profile_id(b->profiles[k]), ext);
    snprintf(names[m++], sizeof *names, "%s", REPORT_NAME);
    snprintf(names[m++], sizeof *names, "%s", MANIFEST_NAME);
    if (b->o->has_page)
        snprintf(names[m++], sizeof *names, "index.html");
    char *line = check_folder_outputs(dir, (const char(*)[256])names, m, j->manifest,
                                      has_manifest_file, b->inputs, b->o->is_force);
    if (line)
        job_fail(j, "%s", line);
    free(line);
    free(names);
}

/* Reads the input's manifest and decides, per profile, whether its output is up to date. */
static void plan_job(Batch *b, Job *j)
{
    const Options *o = b->o;
    const size_t n = b->n_profiles;
    j->skip = calloc(n, sizeof *j->skip);
    j->why = calloc(n, sizeof *j->why);
    if (!j->skip || !j->why) {
        job_fail(j, "%s: out of memory", j->path);
        return;
    }
    char dir[PATH_MAX], path[PATH_MAX + 64];
    out_folder(b, j, dir, sizeof dir);
    snprintf(path, sizeof path, "%s/" MANIFEST_NAME, dir);
    const char *all = NULL;
    json_error_t jerr;
    j->has_man = !stat(path, &j->man_st);
    if (j->has_man) {
        j->manifest = json_load_file(path, 0, &jerr);
        if (!j->manifest || !json_is_object(j->manifest)) {
            json_decref(j->manifest);
            j->manifest = NULL;
            if (o->verbosity >= 1)
                fprintf(stderr,
                        "cansim: note - the manifest %s is unreadable; its outputs "
                        "are rendered again\n",
                        path);
        }
    }
    const json_t *m = j->manifest;
    const json_t *in = json_object_get(m, "input");
    /* The folder's renders are another input's (v1/mix.wav, then v2/mix.wav into one OUT):
     * replaced only with --force, unless the input moved with its content unchanged. */
    const char *other = str_of(in, json_object_get(in, "abs") ? "abs" : "path");
    const bool is_other = other[0] && strcmp(other, json_object_get(in, "abs") ? j->abs : j->path);
    bool has_hash = false;
    if (m && (is_other || !identity_matches(in, &j->st))) {
        /* The identity moved: the content decides (a copy or a touch keeps its renders). */
        if (hash_file(j->path, j->hash)) {
            job_fail(j, "%s: cannot read: %s", j->path, strerror(errno));
            return;
        }
        has_hash = true;
    }
    if (is_other && !o->is_force && strcmp(j->hash, str_of(in, "xxh3_128"))) {
        job_fail(j, "%s: %s/ holds the renders of another input, %s; --force replaces them",
                 j->path, dir, str_of(in, "path"));
        return;
    }
    check_outputs(b, j, j->has_man);
    if (j->state != JOB_PLANNED)
        return;
    if (o->is_force)
        all = "forced";
    else if (!m)
        all = "new";
    else if (strcmp(str_of(m, "cansim"), cansim_version()))
        all = "cansim version changed";
    else if (strcmp(str_of(m, "options"), b->options_digest))
        all = "options changed";
    else if (has_hash && strcmp(j->hash, str_of(in, "xxh3_128")))
        all = "input changed";
    j->is_moved = m && !all && has_hash;
    /* The report is an output too: missing or changed, the input is rendered again. */
    const json_t *rep_rec = json_object_get(m, "report_file");
    struct stat rst;
    snprintf(path, sizeof path, "%s/" REPORT_NAME, dir);
    if (!all && (!rep_rec || stat(path, &rst) || int_of(rep_rec, "size") != (int64_t)rst.st_size ||
                 int_of(rep_rec, "mtime_ns") != mtime_ns(&rst)))
        all = rep_rec && !access(path, F_OK) ? "report changed" : "report missing";
    const json_t *outs = json_object_get(m, "outputs");
    for (size_t k = 0; k < n; k++) {
        const char *id = cansim_profile_id(b->profiles[k]);
        const json_t *rec = json_object_get(outs, id);
        char file[PATH_MAX + 300];
        struct stat ost;
        const char *why = all;
        if (!why && !rec)
            why = "new profile";
        else if (!why && strcmp(str_of(rec, "profile_digest"), b->digests[k]))
            why = "profile changed";
        else if (!why && (snprintf(file, sizeof file, "%s/%s", dir, str_of(rec, "file")) < 0 ||
                          !str_of(rec, "file")[0] || stat(file, &ost)))
            why = "output missing";
        else if (!why && (int_of(rec, "size") != (int64_t)ost.st_size ||
                          int_of(rec, "mtime_ns") != mtime_ns(&ost)))
            why = "output modified";
        j->why[k] = why;
        j->skip[k] = !why;
        j->n_to_render += !j->skip[k];
    }
}

/* The input's identity as the manifest records it. */
static json_t *identity_record(const Job *j, const struct stat *st)
{
    return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:s}", "path", j->path, "abs", j->abs, "size",
                     (json_int_t)st->st_size, "mtime_ns", (json_int_t)mtime_ns(st), "ctime_ns",
                     (json_int_t)ctime_ns(st), "ino", (json_int_t)st->st_ino, "xxh3_128", j->hash);
}

/* An input kept whose identity moved (touched, copied back) with its content unchanged: the
 * manifest records the new identity, so the next run need not hash it again. Under the lock. */
static void record_identity(Batch *b, Job *j)
{
    char dir[PATH_MAX], path[PATH_MAX + 64];
    out_folder(b, j, dir, sizeof dir);
    snprintf(path, sizeof path, "%s/" MANIFEST_NAME, dir);
    json_t *in = identity_record(j, &j->st);
    if (in && !json_object_set_new(j->manifest, "input", in) &&
        !write_json_atomic(path, j->manifest))
        j->has_man = !stat(path, &j->man_st);
}

/* ------------------------------------------------------------------ the run */

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
} Run;

typedef struct Worker {
    Run *run;
    int index;
    const Job *job;
} Worker;

/* A failure: its line now (on a terminal, under the progress line), and in the summary. */
static void add_failure(Run *run, const char *line)
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
static void show_progress(Run *run, bool is_final)
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
        json_object_set_new(ev, "eta_s", isfinite(eta) ? json_real(eta) : json_null());
        char *text = json_dumps(ev, JSON_COMPACT | JSON_REAL_PRECISION(6));
        if (text)
            printf("%s\n", text);
        fflush(stdout);
        free(text);
        json_decref(ev);
        return;
    }
    char eta_s[32];
    format_hms(eta, eta_s, sizeof eta_s);
    fprintf(stderr, "\r\033[Kfiles %zu/%zu  outputs %zu/%zu  %.2f h audio  %.0fx  ETA %s",
            run->files_done, run->files_total, run->outputs_done, run->outputs_total, done / 3600.0,
            speed, eta_s);
}

static int on_progress(void *user, int64_t n_done, int64_t n_total)
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
    return g_signal != 0;
}

/* After an input wrote nothing (it failed as a whole, or the run was stopped). */
static void settle_pending(const Batch *b, const Job *j)
{
    char dir[PATH_MAX];
    out_folder(b, j, dir, sizeof dir);
    pending_settle(dir, j->has_man);
}

static json_t *manifest_record(const Job *j, const char *file, const char *digest,
                               const json_t *report_entry)
{
    struct stat st;
    if (stat(file, &st))
        return NULL;
    const char *base = strrchr(file, '/');
    return json_pack("{s:s, s:I, s:I, s:s, s:O}", "file", base ? base + 1 : file, "size",
                     (json_int_t)st.st_size, "mtime_ns", (json_int_t)mtime_ns(&st),
                     "profile_digest", digest, "report", report_entry);
    (void)j;
}

/* The input's identity as rendered (read before the render): false, with the failure
 * recorded, when it cannot be read. */
static bool prepare_member(Run *run, Job *j, struct stat *st)
{
    if (!stat(j->path, st) && (j->hash[0] || !hash_file(j->path, j->hash)))
        return true;
    char line[PATH_MAX + 1200];
    snprintf(line, sizeof line, "%s: cannot read: %s", j->path, strerror(errno));
#pragma omp critical(cansim_run)
    {
        add_failure(run, line);
        run->n_failed++;
    }
    return false;
}

/* After an input's render: its failures, report, manifest and page, the counters, and its
 * line (--json) or summary. e and d are the render's; group is the input's gain group (a JSON
 * object) or NULL. */
static void record_member(Worker *w, Job *j, const struct stat *st, const CansimOutputResult *res,
                          int e, const CansimDiag *d, const json_t *group)
{
    Run *run = w->run;
    Batch *b = run->b;
    const Options *o = b->o;
    const size_t n = b->n_profiles;
    char dir[PATH_MAX], line[PATH_MAX + 1200];
    out_folder(b, j, dir, sizeof dir);
    json_t *rep = NULL;
    json_t *man = NULL;
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
        rep = input_report(o, j->path, b->profiles, res, n);
        json_object_set_new(rep, "relative_path", json_string(j->rel));
        json_object_set(rep, "gain_group", group ? (json_t *)group : json_null());
        json_t *outs = json_object_get(rep, "outputs");
        /* The manifest as it was (read again: plans do not keep them, so memory stays
         * bounded however many inputs a batch has). */
        char mpath[PATH_MAX + 64];
        snprintf(mpath, sizeof mpath, "%s/" MANIFEST_NAME, dir);
        json_t *old_man = json_load_file(mpath, 0, NULL);
        if (!json_is_object(old_man)) {
            json_decref(old_man);
            old_man = NULL;
        }
        const json_t *old_outs = json_object_get(old_man, "outputs");
        man = json_pack("{s:s, s:s, s:s, s:o, s:{}}", "cansim", cansim_version(), "options",
                        b->options_digest, "gain_group", j->group_digest, "input",
                        identity_record(j, st), "outputs");
        json_t *man_outs = json_object_get(man, "outputs");
        /* Outputs of profiles outside this run's selection stay recorded while what they
         * were made from is unchanged, so a later run with them selected again keeps them. */
        const json_t *old_in = json_object_get(old_man, "input");
        if (!strcmp(str_of(old_man, "cansim"), cansim_version()) &&
            !strcmp(str_of(old_man, "options"), b->options_digest) &&
            !strcmp(str_of(old_man, "gain_group"), j->group_digest) &&
            !strcmp(str_of(old_in, "xxh3_128"), j->hash)) {
            const char *id;
            json_t *rec;
            json_object_foreach((json_t *)old_outs, id, rec) json_object_set(man_outs, id, rec);
        }
        for (size_t k = 0; k < n; k++) {
            const char *id = cansim_profile_id(b->profiles[k]);
            if (res[k].is_skipped) {
                /* Up to date: its record and report entry stay. */
                json_t *rec = json_object_get(old_outs, id);
                json_object_set(man_outs, id, rec);
                const json_t *entry = json_object_get(rec, "report");
                if (entry)
                    json_array_set(outs, k, (json_t *)entry);
                continue;
            }
            if (res[k].status) {
                snprintf(line, sizeof line, "%s", res[k].diag.msg);
                n_bad++;
#pragma omp critical(cansim_run)
                add_failure(run, line);
                continue;
            }
            json_t *rec = manifest_record(j, res[k].path, b->digests[k], json_array_get(outs, k));
            if (rec)
                json_object_set_new(man_outs, id, rec);
            n_ok++;
        }
        translation_section(rep); /* translation: with the kept outputs' entries */
        /* The report first, then the manifest: a kill between them only re-renders. */
        char path[PATH_MAX + 64];
        snprintf(path, sizeof path, "%s/" REPORT_NAME, dir);
        struct stat rst;
        if (write_json_atomic(path, rep)) {
            snprintf(line, sizeof line, "%s: cannot write the report: %s", path, strerror(errno));
            n_bad++;
#pragma omp critical(cansim_run)
            add_failure(run, line);
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
            n_bad++;
#pragma omp critical(cansim_run)
            add_failure(run, line);
        }
        json_decref(old_man);
        if (o->has_page) {
            CansimDiag pd;
            int pe;
#pragma omp critical(cansim_page)
            pe = page_write(dir, j->path, rep, b->profiles, n, run->cfg->design, &pd);
            if (pe) {
                n_bad++;
#pragma omp critical(cansim_run)
                add_failure(run, pd.msg);
            }
        }
    }
#pragma omp critical(cansim_run)
    {
        run->n_failed += n_bad;
        run->outputs_written += (size_t)n_ok;
        run->inputs_rendered += rep && n_ok;
        run->audio_written_s += j->seconds * (double)n_ok;
        run->files_done++;
        run->outputs_done += j->n_to_render;
        run->audio_done_s += j->seconds * (double)j->n_to_render;
        if (rep && run->has_run_report)
            json_array_append(json_object_get(run->reports, "inputs"), rep);
        if (o->is_json) {
            json_t *ev = rep ? json_deep_copy(rep) : json_pack("{s:s}", "input", j->path);
            json_object_set_new(ev, "event", json_string("input"));
            json_object_set_new(ev, "status",
                                json_string(!rep    ? "failed"
                                            : n_bad ? "partial"
                                                    : "ok"));
            json_object_set_new(ev, "error", rep ? json_null() : json_string(d->msg));
            char *text = json_dumps(ev, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(6));
            if (text)
                printf("%s\n", text);
            fflush(stdout);
            free(text);
            json_decref(ev);
        } else if (rep && (o->verbosity >= 2 || (o->verbosity >= 1 && run->files_total == 1))) {
            if (run->is_tty)
                fputs("\r\033[K", stderr);
            print_summary(j->path, b->profiles, res, n, json_object_get(rep, "outputs"));
            translation_print(rep); /* translation */
        }
        show_progress(run, false);
    }
    json_decref(rep);
    json_decref(man);
}

static void mark_interrupted(Worker *w)
{
#pragma omp critical(cansim_run)
    {
        w->run->is_interrupted = true;
        w->run->partial_s[w->index] = 0.0;
    }
}

static void out_parent(const Batch *b, const Job *j, char *out, size_t n)
{
    out_folder(b, j, out, n);
    *strrchr(out, '/') = '\0';
}

/* The line of an input whose folder another run holds. */
static void busy_line(const Batch *b, const Job *j, long pid, char *line, size_t n)
{
    char dir[PATH_MAX];
    out_folder(b, j, dir, sizeof dir);
    if (pid > 0)
        snprintf(line, n,
                 "%s: its folder %s/ is being written by another cansim run (pid %ld); "
                 "run again when it has finished",
                 j->path, dir, pid);
    else
        snprintf(line, n,
                 "%s: its folder %s/ is being written by another cansim run; run "
                 "again when it has finished",
                 j->path, dir);
}

/* Takes j's folder lock to write it. False (the line in line) when another run holds it or
 * wrote the folder since this run planned it. Then removes what a killed run left there, and
 * announces the renders about to be written in the manifest ("pending"), so that they stay
 * cansim's own if this run is killed before it records them. */
static bool begin_write(const Batch *b, Job *j, char *line, size_t n_line)
{
    char dir[PATH_MAX], path[PATH_MAX + 64];
    out_folder(b, j, dir, sizeof dir);
    long pid;
    const int e = folder_lock(&j->lock, dir, &pid);
    if (e) {
        if (e > 0)
            busy_line(b, j, pid, line, n_line);
        else
            snprintf(line, n_line, "%s: cannot make or lock the folder: %s", dir, strerror(errno));
        return false;
    }
    snprintf(path, sizeof path, "%s/" MANIFEST_NAME, dir);
    struct stat st;
    const bool has = !stat(path, &st);
    if (has != j->has_man ||
        (has && (st.st_ino != j->man_st.st_ino || st.st_size != j->man_st.st_size ||
                 mtime_ns(&st) != mtime_ns(&j->man_st)))) {
        snprintf(line, n_line,
                 "%s: its folder %s/ was written by another cansim run while this "
                 "one planned; run again",
                 j->path, dir);
        folder_unlock(&j->lock);
        return false;
    }
    remove_stale_parts(dir);
    /* The report and page describe outputs about to be replaced: gone until rewritten, so a
     * kill meanwhile leaves nothing that claims what the files do not hold. */
    char other[PATH_MAX + 64];
    snprintf(other, sizeof other, "%s/" REPORT_NAME, dir);
    unlink(other);
    if (b->o->has_page) {
        snprintf(other, sizeof other, "%s/index.html", dir);
        unlink(other);
    }
    const char *ext = output_ext(b, j);
    const char **ids = malloc((b->n_profiles ? b->n_profiles : 1) * sizeof *ids);
    size_t n_ids = 0;
    for (size_t k = 0; ids && k < b->n_profiles; k++)
        if (!j->skip[k])
            ids[n_ids++] = cansim_profile_id(b->profiles[k]);
    if (!ids || pending_announce(dir, ids, n_ids, ext, cansim_version())) {
        snprintf(line, n_line, "%s: cannot write the manifest: %s", path,
                 strerror(ids ? errno : ENOMEM));
        free(ids);
        folder_unlock(&j->lock);
        return false;
    }
    free(ids);
    return true;
}

/* Renders what of one input is not up to date, then records it. */
static void run_job(Worker *w, CansimRender *r, Job *j)
{
    const size_t n = w->run->b->n_profiles;
    char parent[PATH_MAX];
    out_parent(w->run->b, j, parent, sizeof parent);
    struct stat st;
    char line[2 * PATH_MAX + 256];
    if (!begin_write(w->run->b, j, line, sizeof line)) {
#pragma omp critical(cansim_run)
        {
            add_failure(w->run, line);
            w->run->n_failed++;
        }
        return;
    }
    CansimOutputResult *res = prepare_member(w->run, j, &st) ? calloc(n, sizeof *res) : NULL;
    if (!res) {
        folder_unlock(&j->lock);
        return;
    }
    const CansimFileOptions fo = {.skip = j->skip, .seed = XXH64(j->rel, strlen(j->rel), 0)};
    CansimDiag d;
    w->job = j;
    const int e = render_file_passes(r, w->run->b->n_profiles, w->run->pass_size, j->path, parent,
                                     &fo, res, &d);
    w->job = NULL;
    if (e == CANSIM_ECANCELED || g_signal) {
        mark_interrupted(w);
        settle_pending(w->run->b, j);
    } else {
        record_member(w, j, &st, res, e, &d, NULL);
    }
    folder_unlock(&j->lock);
#pragma omp critical(cansim_run)
    w->run->partial_s[w->index] = 0.0;
    free(res);
}

/* Renders a gain group (members jobs[0..n-1], sharing their skip mask) with one gain per
 * profile, then records each member with the group's facts. */
static void run_group(Worker *w, CansimRender *r, Job **jobs, size_t n)
{
    Run *run = w->run;
    Batch *b = run->b;
    const size_t np = b->n_profiles;
    struct stat *st = calloc(n, sizeof *st);
    const char **paths = calloc(n, sizeof *paths);
    const char **dirs = calloc(n, sizeof *dirs);
    char(*parents)[PATH_MAX] = calloc(n, sizeof *parents);
    CansimFileOptions *fo = calloc(n, sizeof *fo);
    CansimOutputResult **res = calloc(n, sizeof *res);
    double *gain = calloc(np, sizeof *gain);
    bool *limited = calloc(np, sizeof *limited);
    int *mstatus = calloc(n, sizeof *mstatus);
    CansimDiag *mdiag = calloc(n, sizeof *mdiag);
    Job **live = calloc(n, sizeof *live);
    bool is_ok =
        st && paths && dirs && parents && fo && res && gain && limited && mstatus && mdiag && live;
    /* Every member's folder, or none: a group rendered without a member has another gain. */
    char line[2 * PATH_MAX + 256];
    for (size_t i = 0; i < n && is_ok; i++) {
        if (begin_write(b, jobs[i], line, sizeof line))
            continue;
        for (size_t k = 0; k < n; k++) {
            folder_unlock(&jobs[k]->lock);
            char own[2 * PATH_MAX + 256];
            if (k != i)
                snprintf(own, sizeof own,
                         "%s: not rendered: %s, of its gain group, is being written by another "
                         "cansim run",
                         jobs[k]->path, jobs[i]->path);
#pragma omp critical(cansim_run)
            {
                add_failure(run, k == i ? line : own);
                run->n_failed++;
                run->files_done++;
            }
        }
        is_ok = false;
        n = 0;
    }
    size_t m = 0;
    for (size_t i = 0; i < n && is_ok; i++) {
        if (!prepare_member(run, jobs[i], &st[m]))
            continue;
        live[m] = jobs[i];
        paths[m] = jobs[i]->path;
        out_parent(b, jobs[i], parents[m], sizeof parents[m]);
        dirs[m] = parents[m];
        fo[m] = (CansimFileOptions){.skip = jobs[0]->skip,
                                    .seed = XXH64(jobs[i]->rel, strlen(jobs[i]->rel), 0)};
        if (!(res[m] = calloc(np, sizeof *res[m])))
            is_ok = false;
        m++;
    }
    if (is_ok && m) {
        CansimGroupResult g = {
            .gain_db = gain, .is_limited = limited, .member_status = mstatus, .member_diag = mdiag};
        CansimDiag d;
        const int e = render_group_passes(r, np, run->pass_size, paths, dirs, m, fo, res, &g, &d);
        if (e == CANSIM_ECANCELED || g_signal || (e && !g.n_rendered))
            for (size_t i = 0; i < m; i++)
                settle_pending(b, live[i]);
        if (e == CANSIM_ECANCELED || g_signal) {
            mark_interrupted(w);
        } else if (e && !g.n_rendered) {
            /* The group as a whole could not be planned: one line, every member failed. */
            snprintf(line, sizeof line, "gain group %s/%s: %s", b->o->output_dir,
                     live[0]->group[0] ? live[0]->group : ".", d.msg);
#pragma omp critical(cansim_run)
            {
                add_failure(run, line);
                run->n_failed++;
                run->files_done += m;
            }
        } else {
            json_t *members = json_array();
            for (size_t i = 0; i < m; i++)
                json_array_append_new(members, json_string(live[i]->path));
            json_t *gains = json_object();
            for (size_t k = 0; k < np; k++)
                if (!fo[0].skip || !fo[0].skip[k])
                    json_object_set_new(gains, cansim_profile_id(b->profiles[k]),
                                        json_pack("{s:f, s:b}", "gain_db",
                                                  round(gain[k] * 100.0) / 100.0, "limited",
                                                  limited[k]));
            json_t *group = json_pack(
                "{s:s, s:o, s:o, s:o}", "group", live[0]->group, "members", members, "sum_lufs",
                isfinite(g.sum_lufs) ? json_real(round(g.sum_lufs * 100.0) / 100.0) : json_null(),
                "profiles", gains);
            for (size_t i = 0; i < m; i++)
                record_member(w, live[i], &st[i], res[i], mstatus[i], &mdiag[i], group);
#pragma omp critical(cansim_run)
            if (run->has_run_report)
                json_array_append(json_object_get(run->reports, "groups"), group);
            json_decref(group);
        }
    }
    for (size_t i = 0; i < n; i++)
        folder_unlock(&jobs[i]->lock);
#pragma omp critical(cansim_run)
    run->partial_s[w->index] = 0.0;
    for (size_t i = 0; res && i < n; i++)
        free(res[i]);
    free(st), free(paths), free(dirs), free(parents), free(fo), free(res), free(gain);
    free(limited), free(mstatus), free(mdiag), free(live);
}

/* --page for an input already up to date: its page is written when missing, from its report
 * and the manifest's record of each selected output. */
static void page_for_kept(Run *run, Job *j)
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

/* A unit of work: one input, or a gain group of two or more. */
typedef struct Unit {
    Job **jobs;
    size_t n;
    double seconds; /* audio to render: the members' durations */
} Unit;

/* Longest first, so the last units to finish are short ones. */
static int cmp_longest(const void *a, const void *b)
{
    const Unit *x = a, *y = b;
    if (x->seconds != y->seconds)
        return x->seconds < y->seconds ? 1 : -1;
    return strcmp(x->jobs[0]->rel, y->jobs[0]->rel);
}

/* Many units: one renderer per thread, each unit on one thread (dynamic schedule). Few: one
 * renderer whose profiles share the threads. */
static void run_all(Run *run, const Unit *units, size_t n_units, int n_threads)
{
    const bool is_per_file = n_threads > 1 && n_units >= 2 * (size_t)n_threads;
    run->n_workers = is_per_file ? n_threads : 1;
    /* Folder locks held at once: a renderer's unit (a gain group holds all its members'). */
    size_t n_held = 0;
    for (size_t i = 0; i < n_units; i++)
        n_held = units[i].n > n_held ? units[i].n : n_held;
    run->pass_size = fd_pass_size(run->fd_limit, run->b->n_profiles, run->n_workers,
                                  n_held * (size_t)run->n_workers);
    if (run->pass_size < run->b->n_profiles && run->b->o->verbosity >= 1 && !run->b->o->is_json)
        fprintf(stderr,
                "cansim: note - %zu outputs per input do not fit the open-file limit "
                "(%ld): each input is rendered in passes of %zu profiles\n",
                run->b->n_profiles, run->fd_limit, run->pass_size);
    size_t next = 0;
#pragma omp parallel num_threads(run->n_workers) default(shared)
    {
        CansimRenderConfig cfg = *run->cfg;
        cfg.n_threads = is_per_file ? 1 : n_threads;
        Worker w = {.run = run, .index = omp_get_thread_num()};
        cfg.progress = on_progress;
        cfg.progress_user = &w;
        CansimRender *r = NULL;
        CansimDiag d;
        int e;
#pragma omp critical(cansim_open)
        e = cansim_render_open(&r, &cfg, &d);
        if (e) {
#pragma omp critical(cansim_run)
            {
                add_failure(run, d.msg);
                run->n_failed++;
            }
        }
        for (;;) {
            size_t i;
#pragma omp atomic capture
            i = next++;
            if (e || i >= n_units || g_signal)
                break;
            if (units[i].n == 1)
                run_job(&w, r, units[i].jobs[0]);
            else
                run_group(&w, r, units[i].jobs, units[i].n);
        }
        cansim_render_close(&r);
    }
}

static int cmp_group(const void *a, const void *b)
{
    const Job *x = *(Job *const *)a, *y = *(Job *const *)b;
    const int c = strcmp(x->group, y->group);
    return c ? c : strcmp(x->rel, y->rel);
}

/* Gain groups of two or more inputs: their digest (members and their content: a changed,
 * added or removed stem re-renders the group), and one skip mask (a profile stale for one
 * member is rendered for all, at the group's gain). Returns the jobs ordered by group. */
static Job **plan_groups(Batch *b)
{
    Job **by = calloc(b->n_jobs ? b->n_jobs : 1, sizeof *by);
    if (!by)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < b->n_jobs; i++)
        if (b->jobs[i].state == JOB_PLANNED)
            by[n++] = &b->jobs[i];
    qsort(by, n, sizeof *by, cmp_group);
    /* Stems at different rates cannot be summed as they are: without --rate such a group is
     * split, each input matched on its own, with a notice. */
    bool is_split = false;
    for (size_t i = 0; i < n && b->o->out_rate_hz == 0.0;) {
        size_t e = i + 1;
        bool is_mixed = false;
        while (e < n && !strcmp(by[e]->group, by[i]->group)) {
            is_mixed = is_mixed || by[e]->info.rate_hz != by[i]->info.rate_hz;
            e++;
        }
        if (is_mixed) {
            if (b->o->verbosity >= 1 && !b->o->is_json)
                fprintf(stderr,
                        "cansim: note - the inputs of %s/ are at different rates, so "
                        "each is level matched on its own (--rate keeps them one gain "
                        "group)\n",
                        by[i]->group[0] ? by[i]->group : ".");
            for (size_t k = i; k < e; k++) {
                char *own = strdup(by[k]->rel);
                if (own) {
                    free(by[k]->group);
                    by[k]->group = own;
                }
            }
            is_split = true;
        }
        i = e;
    }
    if (is_split)
        qsort(by, n, sizeof *by, cmp_group);
    for (size_t i = 0; i < n;) {
        size_t e = i + 1;
        while (e < n && !strcmp(by[e]->group, by[i]->group))
            e++;
        if (e - i >= 2) {
            XXH3_state_t *h = XXH3_createState();
            XXH3_128bits_reset(h);
            for (size_t k = i; k < e; k++) {
                Job *j = by[k];
                const json_t *in = json_object_get(j->manifest, "input");
                if (!j->hash[0]) {
                    if (identity_matches(in, &j->st))
                        snprintf(j->hash, sizeof j->hash, "%s", str_of(in, "xxh3_128"));
                    else if (hash_file(j->path, j->hash))
                        snprintf(j->hash, sizeof j->hash, "unreadable");
                }
                XXH3_128bits_update(h, j->rel, strlen(j->rel) + 1);
                XXH3_128bits_update(h, j->hash, strlen(j->hash) + 1);
            }
            const XXH128_hash_t v = XXH3_128bits_digest(h);
            XXH3_freeState(h);
            char digest[33];
            snprintf(digest, sizeof digest, "%016llx%016llx", (unsigned long long)v.high64,
                     (unsigned long long)v.low64);
            for (size_t k = i; k < e; k++) {
                Job *j = by[k];
                snprintf(j->group_digest, sizeof j->group_digest, "%s", digest);
                if (strcmp(str_of(j->manifest, "gain_group"), digest))
                    for (size_t q = 0; q < b->n_profiles; q++)
                        if (j->skip[q]) {
                            j->skip[q] = false;
                            j->why[q] = "gain group changed";
                        }
            }
            for (size_t q = 0; q < b->n_profiles; q++) {
                bool all = true;
                for (size_t k = i; k < e; k++)
                    all = all && by[k]->skip[q];
                for (size_t k = i; k < e && !all; k++)
                    if (by[k]->skip[q]) {
                        by[k]->skip[q] = false;
                        by[k]->why[q] = "rendered with its gain group";
                    }
            }
            for (size_t k = i; k < e; k++) {
                by[k]->n_to_render = 0;
                for (size_t q = 0; q < b->n_profiles; q++)
                    by[k]->n_to_render += !by[k]->skip[q];
            }
        } else if (strcmp(str_of(by[i]->manifest, "gain_group"), "")) {
            /* Rendered in a group before, on its own now (--gain-group none, or the others
             * gone): its gain changes. */
            Job *j = by[i];
            j->n_to_render = 0;
            for (size_t q = 0; q < b->n_profiles; q++) {
                if (j->skip[q]) {
                    j->skip[q] = false;
                    j->why[q] = "gain group changed";
                }
                j->n_to_render++;
            }
        }
        i = e;
    }
    return by;
}

/* ------------------------------------------------------------------ the command */

/* Every input, to keep outputs off them: the audio inputs and the files among -p, --target and
 * --on. */
static int gather_inputs(Batch *b)
{
    const Options *o = b->o;
    if (!(b->inputs = input_set_new()))
        return -1;
    for (size_t i = 0; i < b->n_jobs; i++)
        if (input_set_add(b->inputs, b->jobs[i].path))
            return -1;
    const char *lists[] = {o->profiles, o->target, o->on};
    for (size_t l = 0; l < sizeof lists / sizeof *lists; l++) {
        if (!lists[l])
            continue;
        if (input_set_add(b->inputs, lists[l]))
            return -1;
        const size_t cap = strlen(lists[l]) + 1;
        char *item = malloc(cap);
        if (!item)
            return -1;
        size_t pos = 0;
        while (profile_list_next(lists[l], &pos, item, cap))
            if (input_set_add(b->inputs, item)) {
                free(item);
                return -1;
            }
        free(item);
    }
    /* Sorted now, while one thread runs. */
    input_set_find(b->inputs, "/");
    return 0;
}

/* Plans every input: under its folder's lock (none in a dry run), reads its manifest, decides
 * what is up to date and checks what it would write. An input whose folder another run holds
 * fails, and so does the rest of its gain group. 0, -1 out of memory, or an exit code. */
static int plan_all(Batch *b)
{
    const Options *o = b->o;
    if (gather_inputs(b))
        return -1;
    int rc;
    if (o->report && strcmp(o->report, "auto") &&
        (rc = check_report_path(o->report, b->inputs, o->output_dir, o->is_force)))
        return rc;
    /* dry runs and status read the tree, unlocked (manifests change only by rename) */
    const bool is_writing = !o->is_dry_run && !o->is_status;
    if (is_writing && make_dirs(o->output_dir)) {
        fprintf(stderr, "cansim: %s: cannot create the output folder: %s\n", o->output_dir,
                strerror(errno));
        return EXIT_PARTIAL;
    }
    char line[2 * PATH_MAX + 256];
    for (size_t i = 0; i < b->n_jobs; i++) {
        Job *j = &b->jobs[i];
        if (j->state != JOB_PLANNED)
            continue;
        char dir[PATH_MAX];
        out_folder(b, j, dir, sizeof dir);
        long pid = 0;
        const int e = is_writing ? folder_lock(&j->lock, dir, &pid) : 0;
        if (e > 0) {
            busy_line(b, j, pid, line, sizeof line);
            job_fail(j, "%s", line);
            j->is_busy = true;
            continue;
        }
        if (e < 0) {
            job_fail(j, "%s: cannot make or lock the folder: %s", dir, strerror(errno));
            continue;
        }
        plan_job(b, j);
        if (is_writing && j->state == JOB_PLANNED && !j->n_to_render && j->is_moved)
            record_identity(b, j);
        if (is_writing)
            folder_unlock(&j->lock);
    }
    for (size_t i = 0; i < b->n_jobs; i++) {
        if (!b->jobs[i].is_busy)
            continue;
        for (size_t k = 0; k < b->n_jobs; k++) {
            Job *j = &b->jobs[k];
            if (j->state == JOB_PLANNED && !strcmp(j->group, b->jobs[i].group) &&
                strcmp(j->group, j->rel))
                job_fail(j,
                         "%s: not rendered: %s, of its gain group, is being written by another "
                         "cansim run",
                         j->path, b->jobs[i].path);
        }
    }
    return 0;
}

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
        char *text = json_dumps(ev, JSON_COMPACT | JSON_ENSURE_ASCII);
        if (text)
            printf("%s\n", text);
        free(text);
        json_decref(ev);
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

int cmd_render(int argc, char **argv)
{
    return batch_command(argc, argv, false);
}

int batch_command(int argc, char **argv, bool is_status)
{
    Options o = {.is_status = is_status,
                 .format = CANSIM_FORMAT_SAME,
                 .verbosity = 1,
                 .level_mode = CANSIM_LEVEL_MATCH,
                 .has_ceiling = true,
                 .ceiling_dbtp = -1.0,
                 .report = "auto"};
    int rc = parse_options(argc, argv, &o);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    if ((rc = scale_options(&o)))
        return rc;
    if (o.n_inputs == 0)
        return usage_error("%s", "no input given");
    if (!o.output_dir)
        return usage_error("%s", "no output directory given (-o DIR)");
    if ((rc = check_output_dir(o.output_dir)))
        return rc;
    const char *cpu = o.cpu ? o.cpu : getenv("CANSIM_CPU");
    unsigned cpu_mask = ~0u;
    if (cpu && (rc = parse_cpu_level(cpu, o.cpu ? "--cpu" : "CANSIM_CPU", &cpu_mask)))
        return rc;

    Drawer drawer = {0};
    CansimDesignConfig design;
    Batch b = {.o = &o};
    Run run = {.b = &b, .fd_limit = fd_limit_raise()};
    Unit *units = NULL;
    Job **by_group = NULL;
    size_t n_planned = 0;
    CansimRender *probe = NULL;
    if ((rc = open_drawer(&o, &drawer, &design)) ||
        (rc = drawer_select(&drawer, o.profiles ? o.profiles : "all")) ||
        (rc = check_targets(&drawer, &design)))
        goto done;
    b.profiles = drawer.selected;
    b.n_profiles = drawer.n_selected;

    CansimRenderConfig cfg = cansim_render_default_config();
    cfg.profiles = drawer.selected;
    cfg.n_profiles = b.n_profiles;
    cfg.design = &design;
    cfg.cpu_mask = cpu_mask;
    cfg.partition_frames = o.partition_frames;
    cfg.has_tail = o.has_tail;
    cfg.format = o.format;
    cfg.level_mode = o.level_mode;
    cfg.level_lufs = o.level_lufs;
    cfg.has_ceiling = o.has_ceiling;
    cfg.ceiling_dbtp = o.ceiling_dbtp;
    cfg.rate_hz = o.out_rate_hz;
    cfg.resampler = o.resampler;
    int n_threads = o.n_threads ? o.n_threads : omp_get_max_threads();
    cfg.n_threads = n_threads;
    CansimDiag d;
    if (cansim_render_open(&probe, &cfg, &d)) {
        fprintf(stderr, "cansim: %s\n", d.msg);
        rc = EXIT_USAGE;
        goto done;
    }
    if (o.verbosity >= 2)
        fprintf(stderr, "cansim: %zu profiles, partition %zu frames, kernels %s, %d threads\n",
                b.n_profiles, cansim_render_partition_frames(probe),
                cansim_cpu_name(cansim_render_cpu_flags(probe)), n_threads);
    cansim_render_close(&probe);

    /* What each output depends on besides its input. */
    b.digests = calloc(b.n_profiles, sizeof *b.digests);
    if (!b.digests) {
        fputs("cansim: out of memory\n", stderr);
        rc = EXIT_PARTIAL;
        goto done;
    }
    for (size_t k = 0; k < b.n_profiles; k++)
        if (cansim_profile_digest(b.profiles[k], &design, b.digests[k], &d)) {
            /* The renderer reports this profile's failure per output; it is never up to date. */
            snprintf(b.digests[k], sizeof b.digests[k], "none");
        }
    options_digest(&b);

    if ((rc = collect(&b))) {
        if (rc < 0)
            fputs("cansim: out of memory\n", stderr);
        rc = rc < 0 ? EXIT_PARTIAL : EXIT_USAGE;
        goto done;
    }
    if ((rc = plan_all(&b))) {
        if (rc < 0)
            fputs("cansim: out of memory\n", stderr);
        rc = rc < 0 ? EXIT_PARTIAL : rc;
        goto done;
    }
    if (!(by_group = plan_groups(&b))) {
        fputs("cansim: out of memory\n", stderr);
        rc = EXIT_PARTIAL;
        goto done;
    }
    for (size_t i = 0; i < b.n_jobs; i++) {
        n_planned += b.jobs[i].state == JOB_PLANNED;
        json_decref(b.jobs[i].manifest); /* planned: the render reads it again */
        b.jobs[i].manifest = NULL;
    }

    size_t n_failed_inputs = 0, n_not_audio = 0, n_up_to_date = 0, n_work = 0, n_outputs = 0;
    for (size_t i = 0; i < b.n_jobs; i++) {
        const Job *j = &b.jobs[i];
        n_failed_inputs += j->state == JOB_FAILED;
        n_not_audio += j->state == JOB_NOT_AUDIO;
        n_up_to_date += j->state == JOB_PLANNED && !j->n_to_render;
        n_work += j->state == JOB_PLANNED && j->n_to_render;
        n_outputs += j->state == JOB_PLANNED ? j->n_to_render : 0;
    }
    if (o.is_status) {
        rc = status_of(&b, &design);
        goto done;
    }
    if (o.is_dry_run) {
        for (size_t i = 0; i < b.n_jobs; i++)
            print_plan(&b, &b.jobs[i]);
        if (o.is_json)
            printf("{\"event\":\"summary\",\"dry_run\":true,\"inputs_to_render\":%zu,"
                   "\"outputs_to_render\":%zu,\"inputs_up_to_date\":%zu,\"inputs_failed\":%zu,"
                   "\"not_audio\":%zu}\n",
                   n_work, n_outputs, n_up_to_date, n_failed_inputs, n_not_audio);
        else
            fprintf(stderr,
                    "cansim: dry run: %zu input%s to render (%zu output%s), %zu up to "
                    "date, %zu failed, %zu not audio; nothing written\n",
                    n_work, n_work == 1 ? "" : "s", n_outputs, n_outputs == 1 ? "" : "s",
                    n_up_to_date, n_failed_inputs, n_not_audio);
        rc = n_failed_inputs ? EXIT_PARTIAL : EXIT_OK;
        goto done;
    }

    /* Failures and skips found before rendering are reported now. */
    for (size_t i = 0; i < b.n_jobs; i++) {
        const Job *j = &b.jobs[i];
        if (j->state == JOB_FAILED) {
            add_failure(&run, err_of(j));
            run.n_failed++;
        }
        if (j->state == JOB_FAILED && o.is_json) {
            json_t *ev = json_pack("{s:s, s:s, s:s, s:s}", "event", "input", "input", j->path,
                                   "status", "failed", "error", err_of(j));
            char *text = json_dumps(ev, JSON_COMPACT | JSON_ENSURE_ASCII);
            if (text)
                printf("%s\n", text);
            free(text);
            json_decref(ev);
        } else if (j->state == JOB_NOT_AUDIO && o.verbosity >= 1 && !o.is_json) {
            fprintf(stderr, "cansim: note - %s is not audio, skipped\n", j->path);
        }
    }

    units = calloc(n_work ? n_work : 1, sizeof *units);
    run.partial_s = calloc((size_t)n_threads, sizeof *run.partial_s);
    run.reports = json_pack("{s:s, s:[], s:[]}", "cansim", cansim_version(), "inputs", "groups");
    if (!units || !run.partial_s || !run.reports) {
        fputs("cansim: out of memory\n", stderr);
        rc = EXIT_PARTIAL;
        goto done;
    }
    size_t n_units = 0;
    for (size_t i = 0; i < n_planned;) {
        size_t e = i + 1;
        while (e < n_planned && !strcmp(by_group[e]->group, by_group[i]->group))
            e++;
        if (by_group[i]->n_to_render) {
            Unit *u = &units[n_units++];
            u->jobs = &by_group[i];
            u->n = e - i;
            for (size_t k = i; k < e; k++) {
                run.files_total++;
                run.outputs_total += by_group[k]->n_to_render;
                run.audio_total_s += by_group[k]->seconds * (double)by_group[k]->n_to_render;
                u->seconds += by_group[k]->seconds;
            }
        }
        i = e;
    }
    qsort(units, n_units, sizeof *units, cmp_longest);
    if (n_up_to_date && o.verbosity >= 1 && !o.is_json)
        fprintf(stderr, "cansim: %zu input%s up to date (--force renders %s again)\n", n_up_to_date,
                n_up_to_date == 1 ? "" : "s", n_up_to_date == 1 ? "it" : "them");

    struct sigaction sa = {.sa_handler = on_signal, .sa_flags = SA_RESETHAND};
    sigemptyset(&sa.sa_mask);
    struct sigaction old_int, old_term;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    run.cfg = &cfg;
    run.has_run_report = o.report && strcmp(o.report, "auto");
    run.is_tty = o.verbosity > 0 && !o.is_json && isatty(STDERR_FILENO);
    run.t0 = now_s();
    run_all(&run, units, n_units, n_threads);
    for (size_t i = 0; i < b.n_jobs && o.has_page && !g_signal; i++)
        if (b.jobs[i].state == JOB_PLANNED && !b.jobs[i].n_to_render)
            page_for_kept(&run, &b.jobs[i]);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    const double elapsed = now_s() - run.t0;
    if (run.is_tty)
        fputs("\r\033[K", stderr);
    if (o.is_json)
        show_progress(&run, true);

    if (o.report && strcmp(o.report, "auto") && !run.is_interrupted) {
        run_report_sort(run.reports);
        json_t *tr = translation_run_section(run.reports); /* translation */
        json_object_set_new(run.reports, "translation", tr);
        if (o.verbosity >= 1 && !o.is_json)
            translation_print_run(tr);
    }
    if (o.report && strcmp(o.report, "auto") && !run.is_interrupted &&
        write_json_atomic(o.report, run.reports)) {
        char line[PATH_MAX + 64];
        snprintf(line, sizeof line, "%s: cannot write the report: %s", o.report, strerror(errno));
        add_failure(&run, line);
        run.n_failed++;
    }
    const double hours = run.audio_written_s / 3600.0;
    if (o.is_json) {
        json_t *ev = json_pack(
            "{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:f, s:f, s:[]}", "event", "summary",
            "interrupted", run.is_interrupted, "inputs_rendered", (json_int_t)run.inputs_rendered,
            "outputs_rendered", (json_int_t)run.outputs_written, "inputs_up_to_date",
            (json_int_t)n_up_to_date, "not_audio", (json_int_t)n_not_audio, "failed",
            (json_int_t)run.n_failed, "audio_hours", hours, "elapsed_s", elapsed, "failures");
        for (size_t i = 0; i < run.n_failures; i++)
            json_array_append_new(json_object_get(ev, "failures"), json_string(run.failures[i]));
        char *text = json_dumps(ev, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(6));
        if (text)
            printf("%s\n", text);
        free(text);
        json_decref(ev);
    } else if (o.verbosity >= 1) {
        if (run.is_interrupted)
            fprintf(stderr,
                    "cansim: stopped by %s: %zu of %zu inputs done; run the same "
                    "command again to continue\n",
                    g_signal == SIGTERM ? "SIGTERM" : "SIGINT", run.files_done, run.files_total);
        fprintf(stderr,
                "cansim: %zu output%s of %zu input%s written (%.2f h of audio) in "
                "%.1f s, %zu up to date, %d failed\n",
                run.outputs_written, run.outputs_written == 1 ? "" : "s", run.inputs_rendered,
                run.inputs_rendered == 1 ? "" : "s", hours, elapsed, n_up_to_date, run.n_failed);
        if (run.n_failures > 1 && run.files_total + n_failed_inputs > 1) {
            fprintf(stderr, "cansim: the failures again:\n");
            for (size_t i = 0; i < run.n_failures; i++)
                fprintf(stderr, "  %s\n", run.failures[i]);
        }
    }
    rc = run.is_interrupted ? 128 + (g_signal ? (int)g_signal : SIGINT)
         : run.n_failed     ? EXIT_PARTIAL
                            : EXIT_OK;
done:
    for (size_t i = 0; i < run.n_failures; i++)
        free(run.failures[i]);
    free(run.failures);
    free(run.partial_s);
    json_decref(run.reports);
    free(units);
    free(by_group);
    free_batch(&b);
    cansim_render_close(&probe);
    drawer_close(&drawer);
    return rc;
}

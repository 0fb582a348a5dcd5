/* SPDX-License-Identifier: MIT */
/* The batch's inputs named and sorted: relative paths, gain groups, one input per folder,
 * the shard's share, and their headers probed. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>

#include "../shard.h"
#include "batch.h"

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

/* Each job's relative path without extension (below the inputs' common folder), and its
 * gain group: a folder's inputs share one (dir), unless each is its own (none) or all are one
 * (all); an input named on its own is its own group. Under auto the files found in a folder
 * start in its group, and groups.c keeps it only when they look like one song's stems; files
 * named one by one are each matched alone, as under dir (two bounces of one session have one
 * length too: only a folder given is taken for a stem export). */
static int name_jobs(Batch *b, bool has_root)
{
    const Options *o = b->o;
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
        char group[PATH_MAX];
        if (o->gain_group == GAIN_GROUP_ALL) {
            snprintf(group, sizeof group, "*");
        } else if ((o->gain_group == GAIN_GROUP_DIR || o->gain_group == GAIN_GROUP_AUTO) &&
                   j->is_walked) {
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
    return 0;
}

/* A job left out of the batch (before planning: only its names are held). */
static void drop_job(Job *j)
{
    free(j->path), free(j->abs), free(j->rel), free(j->group), free(j->err);
}

/* Sorted by relative path. Two inputs with one relative path (mix.wav and mix.flac) would
 * share a folder: the second fails. The same file reached twice is one input. */
static void sort_and_dedupe(Batch *b)
{
    qsort(b->jobs, b->n_jobs, sizeof *b->jobs, cmp_rel);
    size_t n = 0;
    for (size_t i = 0; i < b->n_jobs; i++) {
        Job *j = &b->jobs[i];
        if (n && !strcmp(b->jobs[n - 1].rel, j->rel) && j->state != JOB_FAILED) {
            if (!strcmp(b->jobs[n - 1].abs, j->abs)) {
                drop_job(j);
                continue;
            }
            job_fail(j, "%s: %s would write to the same folder %s/%s/", j->path,
                     b->jobs[n - 1].path, b->o->output_dir, j->rel);
        }
        b->jobs[n++] = *j;
    }
    b->n_jobs = n;
}

/* This shard's share (status: every shard's, each input labelled with its shard). */
static int keep_shard(Batch *b)
{
    const Options *o = b->o;
    if (o->shard_n && assign_shards(b))
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < b->n_jobs; i++) {
        Job *j = &b->jobs[i];
        if (o->shard_n && !o->is_status && j->shard != o->shard_i) {
            drop_job(j);
            continue;
        }
        b->jobs[n++] = *j;
    }
    b->n_jobs = n;
    return 0;
}

/* The header of one input: not audio (found in a folder, skipped), a failure (named on the
 * command line, or unreadable, or more than stereo), or its facts and identity. */
static void probe_job(Job *j)
{
    CansimDiag d;
    const int e = cansim_input_probe(j->path, &j->info, &d);
    const bool is_unreadable = e == CANSIM_EFORMAT && strstr(d.msg, "not a readable audio file");
    /* Found in a folder: skipped. Named on the command line: a failure. */
    if (is_unreadable && j->is_walked && !has_audio_extension(j->path)) {
        j->state = JOB_NOT_AUDIO;
        return;
    }
    const char *kind = is_unreadable ? unread_format(j->path) : NULL;
    if (kind) {
        char from[2 * PATH_MAX], to[2 * PATH_MAX], flac[PATH_MAX + 8];
        snprintf(flac, sizeof flac, "%.*s.flac", (int)(strrchr(j->path, '.') - j->path), j->path);
        shell_quote(j->path, from, sizeof from);
        shell_quote(flac, to, sizeof to);
        job_fail(j, "%s: %s; convert it first: ffmpeg -i %s %s", j->path, kind, from, to);
        return;
    }
    if (e) {
        job_fail(j, "%s", d.msg);
        return;
    }
    if (j->info.n_channels > 2) {
        job_fail(j, "%s: %d channels (mono or stereo expected)", j->path, j->info.n_channels);
        return;
    }
    if (stat(j->path, &j->st)) {
        job_fail(j, "%s: %s", j->path, strerror(errno));
        return;
    }
    j->seconds = (double)j->info.n_frames / j->info.rate_hz;
}

int collect(Batch *b)
{
    bool has_root = false;
    int rc = walk_inputs(b, &has_root);
    if (rc)
        return rc;
    if (name_jobs(b, has_root))
        return -1;
    sort_and_dedupe(b);
    /* Under auto the shard units follow the grouping, which needs the headers: read first. */
    const bool is_early = b->o->gain_group == GAIN_GROUP_AUTO && b->o->shard_n;
    for (size_t i = 0; i < b->n_jobs && is_early; i++)
        if (b->jobs[i].state != JOB_FAILED)
            probe_job(&b->jobs[i]);
    if ((is_early && decide_groups_early(b)) || keep_shard(b))
        return -1;
    for (size_t i = 0; i < b->n_jobs && !is_early; i++)
        if (b->jobs[i].state != JOB_FAILED)
            probe_job(&b->jobs[i]);
    return 0;
}

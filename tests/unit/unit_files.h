/* SPDX-License-Identifier: MIT */
/* Files for the unit tests: a scratch directory, audio fixtures written and outputs read back. */
#ifndef CANSIM_TESTS_UNIT_FILES_H
#define CANSIM_TESTS_UNIT_FILES_H

#include <dirent.h>
#include <stdbool.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

/* A fresh directory $TMPDIR/<prefix>XXXXXX (default /tmp) into buf; a test that cannot make
 * one ends (99). */
static inline void unit_make_tmp_dir(char *buf, size_t n, const char *prefix)
{
    const char *base = getenv("TMPDIR");
    snprintf(buf, n, "%s/%sXXXXXX", base && *base ? base : "/tmp", prefix);
    if (!mkdtemp(buf)) {
        fprintf(stderr, "mkdtemp %s failed\n", buf);
        exit(99);
    }
}

/* Writes text to root/rel, making its folders (the fake /proc and /sys trees of the thread and
 * memory defaults' tests). */
static inline void unit_put(const char *root, const char *rel, const char *text)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    for (char *p = path + strlen(root) + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    FILE *f = fopen(path, "w");
    CHECK(f != NULL, "cannot write %s", path);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* rm -r of a test's own directory (only files and directories it made). */
static inline void unit_remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        unlink(path);
        return;
    }
    const struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char sub[8192];
        if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) < (int)sizeof sub)
            unit_remove_tree(sub);
    }
    closedir(d);
    rmdir(path);
}

/* Writes n_frames interleaved frames; a fixture that cannot be written ends the test (99). */
static inline void unit_write_audio(const char *path, int format, int rate, int n_channels,
                                    const float *data, sf_count_t n_frames)
{
    SF_INFO info = {.samplerate = rate, .channels = n_channels, .format = format};
    SNDFILE *f = sf_open(path, SFM_WRITE, &info);
    if (!f || sf_writef_float(f, data, n_frames) != n_frames) {
        fprintf(stderr, "cannot write %s: %s\n", path, sf_strerror(f));
        exit(99);
    }
    sf_close(f);
}

/* A whole file as floats (libsndfile's scaling); NULL and a failed check when it cannot be
 * read. */
static inline float *unit_read_audio(const char *path, SF_INFO *info)
{
    memset(info, 0, sizeof *info);
    SNDFILE *f = sf_open(path, SFM_READ, info);
    CHECK(f != NULL, "cannot open the output %s: %s", path, sf_strerror(NULL));
    if (!f)
        return NULL;
    float *x = unit_xcalloc((size_t)info->frames * (size_t)info->channels + 1, sizeof(float));
    const sf_count_t got = sf_readf_float(f, x, info->frames);
    sf_close(f);
    CHECK(got == info->frames, "%s: read %lld of %lld frames", path, (long long)got,
          (long long)info->frames);
    return x;
}

/* A whole file's bytes (their number in *n), or NULL and a failed check when it cannot be read;
 * the caller frees them. */
static inline unsigned char *unit_slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL, "cannot open %s", path);
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    const long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = unit_xcalloc((size_t)len + 1, 1);
    *n = fread(b, 1, (size_t)len, f);
    fclose(f);
    return b;
}

/* Whether two files hold the same bytes. */
static inline bool unit_same_bytes(const char *a, const char *b)
{
    size_t na = 0, nb = 0;
    unsigned char *x = unit_slurp(a, &na);
    unsigned char *y = unit_slurp(b, &nb);
    const bool eq = x && y && na == nb && !memcmp(x, y, na);
    free(x);
    free(y);
    return eq;
}

#endif

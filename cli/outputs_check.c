/* SPDX-License-Identifier: MIT */
/* What the run may write, decided before it writes: an output is never one of the inputs
 * (same device and inode, or same resolved path), and a file is replaced only when a
 * manifest of cansim's records it as cansim's own. */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"
#include "outputs.h"

static char *line_of(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *line_of(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *line = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (line) {
        va_start(ap, fmt);
        vsnprintf(line, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return line ? line : strdup("out of memory");
}

typedef struct Entry {
    dev_t dev;
    ino_t ino;
    char *real; /* resolved path */
    char *path; /* as given */
} Entry;

struct InputSet {
    Entry *e;
    size_t n, cap;
    bool is_sorted;
    Entry **by_real; /* the same entries, by resolved path */
};

InputSet *input_set_new(void)
{
    return calloc(1, sizeof(InputSet));
}

void input_set_free(InputSet *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->e[i].real), free(s->e[i].path);
    free(s->e);
    free(s->by_real);
    free(s);
}

bool resolve_path(const char *path, char out[4096])
{
    if (realpath(path, out))
        return true;
    /* Not there (yet): resolve the longest existing folder and append the rest. */
    char head[PATH_MAX];
    if (snprintf(head, sizeof head, "%s", path) >= (int)sizeof head)
        return false;
    char *slash = strrchr(head, '/');
    while (slash && slash > head && slash[1] == '\0') {
        *slash = '\0';
        slash = strrchr(head, '/');
    }
    const char *tail = slash ? path + (slash - head) + 1 : path;
    char base[PATH_MAX];
    if (!slash)
        snprintf(base, sizeof base, ".");
    else if (slash == head)
        snprintf(base, sizeof base, "/");
    else
        *slash = '\0', snprintf(base, sizeof base, "%s", head);
    char real[PATH_MAX];
    if (!resolve_path(base, real))
        return false;
    return snprintf(out, PATH_MAX, "%s%s%s", real, strcmp(real, "/") ? "/" : "", tail) < PATH_MAX;
}

int input_set_add(InputSet *s, const char *path)
{
    struct stat st;
    char real[PATH_MAX];
    if (stat(path, &st) || !realpath(path, real))
        return 0;
    if (s->n == s->cap) {
        const size_t cap = s->cap ? 2 * s->cap : 64;
        Entry *e = realloc(s->e, cap * sizeof *e);
        if (!e)
            return -1;
        s->e = e;
        s->cap = cap;
    }
    Entry *e = &s->e[s->n];
    e->dev = st.st_dev;
    e->ino = st.st_ino;
    e->real = strdup(real);
    e->path = strdup(path);
    if (!e->real || !e->path) {
        free(e->real), free(e->path);
        return -1;
    }
    s->n++;
    s->is_sorted = false;
    return 0;
}

static int cmp_id(const void *a, const void *b)
{
    const Entry *x = a, *y = b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    return x->ino < y->ino ? -1 : x->ino > y->ino;
}

static int cmp_real(const void *a, const void *b)
{
    return strcmp((*(Entry *const *)a)->real, (*(Entry *const *)b)->real);
}

static void sort_set(InputSet *s)
{
    if (s->n)
        qsort(s->e, s->n, sizeof *s->e, cmp_id);
    free(s->by_real);
    s->by_real = malloc((s->n ? s->n : 1) * sizeof *s->by_real);
    if (s->by_real) {
        for (size_t i = 0; i < s->n; i++)
            s->by_real[i] = &s->e[i];
        if (s->n)
            qsort(s->by_real, s->n, sizeof *s->by_real, cmp_real);
    }
    s->is_sorted = true;
}

const char *input_set_find(const InputSet *cs, const char *path)
{
    InputSet *s = (InputSet *)cs; /* sorted on first use */
    if (!s->is_sorted)
        sort_set(s);
    struct stat st;
    if (!s->n)
        return NULL;
    if (!stat(path, &st)) {
        const Entry key = {.dev = st.st_dev, .ino = st.st_ino};
        const Entry *hit = bsearch(&key, s->e, s->n, sizeof *s->e, cmp_id);
        /* Another file: one resolved path is one file, so no input has this path. */
        return hit ? hit->path : NULL;
    }
    char real[PATH_MAX];
    if (!s->by_real || !resolve_path(path, real))
        return NULL;
    Entry key = {.real = real};
    const Entry *pk = &key;
    Entry *const *hit = bsearch(&pk, s->by_real, s->n, sizeof *s->by_real, cmp_real);
    return hit ? (*hit)->path : NULL;
}

bool manifest_owns(const json_t *m, const char *base)
{
    if (!m)
        return false;
    if (!strcmp(base, MANIFEST_NAME))
        return true;
    /* Its report and page: a folder with a manifest of cansim's is cansim's. */
    if (!strcmp(base, REPORT_NAME) || !strcmp(base, "index.html"))
        return true;
    const char *id;
    const json_t *out;
    json_object_foreach((json_t *)json_object_get(m, "outputs"), id, out)
    {
        const char *file = json_string_value(json_object_get(out, "file"));
        if (file && !strcmp(file, base))
            return true;
    }
    size_t i;
    const json_t *p;
    json_array_foreach(json_object_get(m, "pending"), i, p)
    {
        const char *file = json_string_value(p);
        if (file && !strcmp(file, base))
            return true;
    }
    (void)id;
    return false;
}

/* A file that is audio by its name (libsndfile's usual extensions). */
static bool has_audio_name(const char *path)
{
    static const char *const exts[] = {"wav", "wave", "aif", "aiff", "aifc", "flac", "ogg",
                                       "oga", "opus", "mp3", "w64",  "rf64", "caf",  "au"};
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    for (size_t i = 0; dot && i < sizeof exts / sizeof *exts; i++)
        if (!strcasecmp(dot + 1, exts[i]))
            return true;
    return false;
}

int check_report_path(const char *report, const InputSet *inputs, const char *out_dir,
                      bool is_force)
{
    struct stat st;
    const bool exists = !stat(report, &st);
    if (exists && S_ISDIR(st.st_mode))
        return usage_error("--report %s: is a folder; give a file name", report);
    const char *input = input_set_find(inputs, report);
    if (input)
        return usage_error("--report %s: is the input %s", report, input);
    if (has_audio_name(report))
        return usage_error("--report %s: is named as audio; the report is JSON (report.json)",
                           report);
    char real[PATH_MAX], out_real[PATH_MAX];
    if (!resolve_path(report, real))
        return usage_error("--report %s: %s", report, strerror(errno));
    char *slash = strrchr(real, '/');
    struct stat pst;
    if (slash) {
        *slash = '\0';
        const bool has_parent = !stat(real[0] ? real : "/", &pst) && S_ISDIR(pst.st_mode);
        *slash = '/';
        if (!has_parent)
            return usage_error("--report %s: its folder does not exist", report);
    }
    /* Inside an input's output folder it would be taken for, or replace, cansim's files there
     * (OUT itself is fine). */
    if (resolve_path(out_dir, out_real)) {
        const size_t n = strlen(out_real);
        if (!strncmp(real, out_real, n) && real[n] == '/' && strchr(real + n + 1, '/'))
            return usage_error("--report %s: is inside an input's output folder; write it "
                               "elsewhere (or in %s itself)",
                               report, out_dir);
    }
    if (exists && !is_force) {
        json_t *j = json_load_file(report, 0, NULL);
        const bool is_report =
            json_is_object(j) && json_object_get(j, "cansim") && json_object_get(j, "inputs");
        json_decref(j);
        if (!is_report)
            return usage_error("--report %s: exists and is not a cansim report; --force "
                               "replaces it",
                               report);
    }
    return 0;
}

int check_output_dir(const char *out_dir)
{
    struct stat st;
    if (!stat(out_dir, &st) && !S_ISDIR(st.st_mode))
        return usage_error("-o %s: is not a folder", out_dir);
    return 0;
}

char *check_folder_outputs(const char *dir, const char (*names)[256], size_t n, const json_t *m,
                           bool has_manifest_file, const InputSet *inputs, bool is_force)
{
    for (size_t k = 0; k < n; k++) {
        char path[2 * PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        struct stat st;
        if (lstat(path, &st))
            continue;
        const char *input = input_set_find(inputs, path);
        if (input)
            return line_of("%s: is the input %s: cansim would write over it; give another -o", path,
                           input);
        /* A folder in the way fails that output when it is written (nothing is replaced). */
        if (S_ISDIR(st.st_mode) || is_force)
            continue;
        const bool is_ours =
            S_ISREG(st.st_mode) &&
            (manifest_owns(m, names[k]) || (has_manifest_file && !m)); /* unreadable: cansim's */
        if (!is_ours)
            return line_of("%s: exists and was not written by cansim (its manifest does not list "
                           "it); move it away, or --force replaces it",
                           path);
    }
    return NULL;
}

/* SPDX-License-Identifier: MIT */
/* The batch's inputs as the command line gives them: files, and the files of folders (with
 * -r, of their subfolders), never the output folder or an earlier render's. */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>

#include "batch.h"

void job_fail(Job *j, const char *fmt, ...)
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

const char *err_of(const Job *j)
{
    return j->err ? j->err : "out of memory";
}

Job *add_job(Batch *b, const char *path, const char *abs)
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

/* dir/name with one slash between them, however many dir ends with ("stems/" gives
 * "stems/song1", not "stems//song1"). False when it does not fit. */
static bool join_path(char *out, size_t n, const char *dir, const char *name)
{
    size_t k = strlen(dir);
    while (k > 1 && dir[k - 1] == '/')
        k--;
    const bool is_root = k == 1 && dir[0] == '/';
    return snprintf(out, n, "%.*s%s%s", (int)k, dir, is_root ? "" : "/", name) < (int)n;
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
        if (!join_path(path, sizeof path, dir, names[i]) ||
            !join_path(abs, sizeof abs, abs_dir, names[i]) || stat(path, &st))
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

int walk_inputs(Batch *b, bool *has_root_out)
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
    *has_root_out = has_root;
    return 0;
}

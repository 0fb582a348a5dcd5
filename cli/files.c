/* SPDX-License-Identifier: MIT */
/* Files the command writes itself (manifests, reports, pages, designed filters): each under a
 * temporary name no other process or thread uses, renamed when complete. */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outputs.h"

#define JSON_FLAGS (JSON_INDENT(2) | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(6) | JSON_SORT_KEYS)

static atomic_uint g_counter;

int open_unique_part(const char *path, char *part, size_t n_part)
{
    for (int attempt = 0; attempt < 100; attempt++) {
        const unsigned k = atomic_fetch_add(&g_counter, 1u);
        if (snprintf(part, n_part, "%s.%ld-%u.part", path, (long)getpid(), k) >= (int)n_part) {
            errno = ENAMETOOLONG;
            return -1;
        }
        const int fd = open(part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

int write_atomic(const char *path, const char *data, size_t n)
{
    char part[PATH_MAX + 64];
    const int fd = open_unique_part(path, part, sizeof part);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < n) {
        const ssize_t k = write(fd, data + done, n - done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        done += (size_t)k;
    }
    int err = done == n ? 0 : errno ? errno : EIO;
    if (!err && fsync(fd))
        err = errno;
    if (close(fd) && !err)
        err = errno;
    if (!err && rename(part, path))
        err = errno;
    if (err) {
        unlink(part);
        errno = err;
        return -1;
    }
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    const int dfd = open(slash ? (dir[0] ? dir : "/") : ".", O_RDONLY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

int write_json_atomic(const char *path, const json_t *j)
{
    char *text = json_dumps(j, JSON_FLAGS);
    if (!text) {
        errno = ENOMEM;
        return -1;
    }
    const size_t n = strlen(text);
    char *with_nl = realloc(text, n + 2);
    if (!with_nl) {
        free(text);
        errno = ENOMEM;
        return -1;
    }
    with_nl[n] = '\n';
    with_nl[n + 1] = '\0';
    const int rc = write_atomic(path, with_nl, n + 1);
    const int err = errno;
    free(with_nl);
    errno = err;
    return rc;
}

/* True when s[0..n) is one or more of the characters of set. */
static bool all_of(const char *s, size_t n, const char *set)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr(set, s[i]))
            return false;
    return true;
}

bool is_part_name(const char *name)
{
    /* Only the names cansim gives its temporaries: the command's <file>.<pid>-<n>.part
     * (make_part() above) and the library's <file>.<host>-<pid>-<n>[.raw|.fix].part (core's
     * output.c). Anything else ending in .part is somebody else's. */
    size_t n = strlen(name);
    if (n < 5 || strcmp(name + n - 5, ".part"))
        return false;
    n -= 5;
    if (n > 4 && (!strncmp(name + n - 4, ".raw", 4) || !strncmp(name + n - 4, ".fix", 4)))
        n -= 4;
    size_t dot = n;
    while (dot > 0 && name[dot - 1] != '.')
        dot--;
    if (dot == 0 || dot == n)
        return false;
    /* the tag between the last dot and n: [hex-]digits-digits */
    const char *tag = name + dot;
    const size_t len = n - dot;
    const char *d1 = memchr(tag, '-', len);
    if (!d1)
        return false;
    const char *d2 = memchr(d1 + 1, '-', len - (size_t)(d1 + 1 - tag));
    if (!d2)
        return all_of(tag, (size_t)(d1 - tag), "0123456789") &&
               all_of(d1 + 1, len - (size_t)(d1 + 1 - tag), "0123456789");
    return all_of(tag, (size_t)(d1 - tag), "0123456789abcdef") &&
           all_of(d1 + 1, (size_t)(d2 - d1 - 1), "0123456789") &&
           all_of(d2 + 1, len - (size_t)(d2 + 1 - tag), "0123456789");
}

void remove_stale_parts(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    const struct dirent *e;
    while ((e = readdir(d))) {
        char path[PATH_MAX];
        struct stat st;
        if (!is_part_name(e->d_name) ||
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path ||
            lstat(path, &st) || !S_ISREG(st.st_mode))
            continue;
        unlink(path);
    }
    closedir(d);
}

int make_dirs(const char *path)
{
    char p[PATH_MAX];
    if (snprintf(p, sizeof p, "%s", path) >= (int)sizeof p) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) && errno != EEXIST)
            return -1;
        *s = '/';
    }
    if (mkdir(p, 0777) && errno != EEXIST)
        return -1;
    struct stat st;
    if (stat(p, &st))
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

/* SPDX-License-Identifier: MIT */
/* Temporary files: names unique per process and call, the NAME_MAX check, and the sweep of a
 * killed run's leftovers. */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tmp_file.h"

#ifndef NAME_MAX
#define NAME_MAX 255
#endif

/* Names made by this process; with the pid and the host, unique across concurrent runs. */
static atomic_uint_least64_t tmp_counter;

/* 32 bits of FNV-1a over the host name: temporaries of another host sharing the tree are told
 * apart from this host's (whose writers' pids can be checked). */
static unsigned host_id(void)
{
    char name[256] = "";
    gethostname(name, sizeof name - 1);
    uint32_t h = 2166136261u;
    for (const char *c = name; *c; c++)
        h = (h ^ (unsigned char)*c) * 16777619u;
    return h;
}

/* The directory's limit on one name (pathconf, else NAME_MAX). */
static size_t name_max(const char *path, size_t dir_len)
{
    char dir[4096];
    if (dir_len == 0)
        snprintf(dir, sizeof dir, ".");
    else if (dir_len < sizeof dir)
        snprintf(dir, sizeof dir, "%.*s", (int)dir_len, path);
    else
        return NAME_MAX;
    errno = 0;
    const long m = pathconf(dir, _PC_NAME_MAX);
    return m > 0 ? (size_t)m : NAME_MAX;
}

/* The length of the directory part of path, its final '/' included ("" has none). */
static size_t dir_length(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path) + 1 : 0;
}

int cansim_output_check_name(const char *final_path, CansimDiag *diag)
{
    const size_t d = dir_length(final_path);
    const size_t len = strlen(final_path + d);
    const size_t max = name_max(final_path, d ? d - 1 : 0);
    if (len > max)
        return cansim_diag_set(diag, CANSIM_EINVAL,
                               "%s: file name too long (%zu bytes, the limit is %zu)", final_path,
                               len, max);
    return CANSIM_OK;
}

int cansim_tmp_create(const char *final_path, const char *kind, char *tmp, size_t n, int *fd,
                      CansimDiag *diag)
{
    *fd = -1;
    const size_t d = dir_length(final_path);
    const char *base = final_path + d;
    const size_t max = name_max(final_path, d ? d - 1 : 0);
    for (int attempt = 0; attempt < 100; attempt++) {
        char suffix[96];
        const unsigned long long k = (unsigned long long)atomic_fetch_add(&tmp_counter, 1) + 1;
        snprintf(suffix, sizeof suffix, ".%08x-%ld-%llu%s%s.part", host_id(), (long)getpid(), k,
                 kind && *kind ? "." : "", kind ? kind : "");
        const size_t s_len = strlen(suffix);
        size_t b_len = strlen(base);
        if (s_len >= max)
            return cansim_diag_set(diag, CANSIM_EINVAL, "%s: file name too long", final_path);
        if (b_len + s_len > max) {
            /* The temporary's stem is cut, at a character boundary of UTF-8; the final name
             * is never changed. */
            b_len = max - s_len;
            while (b_len > 0 && ((unsigned char)base[b_len] & 0xC0) == 0x80)
                b_len--;
        }
        if (d + b_len + s_len + 1 > n)
            return cansim_diag_set(diag, CANSIM_EINVAL, "%s: path too long", final_path);
        snprintf(tmp, n, "%.*s%.*s%s", (int)d, final_path, (int)b_len, base, suffix);
        *fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (*fd >= 0)
            return CANSIM_OK;
        if (errno != EEXIST) {
            const int e =
                cansim_diag_set(diag, CANSIM_EIO, "%s: cannot create: %s", tmp, strerror(errno));
            tmp[0] = '\0';
            return e;
        }
    }
    cansim_diag_set(diag, CANSIM_EIO, "%s: cannot create a temporary file: %s", tmp,
                    strerror(EEXIST));
    tmp[0] = '\0';
    return CANSIM_EIO;
}

/* The writer of a temporary name of this host, from "<name>.<host>-<pid>-<n>[.<kind>].part";
 * 0 when the name is not one of cansim's temporaries of this host. */
static long tmp_owner(const char *name, unsigned host)
{
    const size_t len = strlen(name);
    if (len < 6 || strcmp(name + len - 5, ".part"))
        return 0;
    char buf[NAME_MAX + 1];
    snprintf(buf, sizeof buf, "%.*s", (int)(len - 5), name);
    char *dot = strrchr(buf, '.');
    if (dot && !strchr(dot, '-')) { /* a kind */
        *dot = '\0';
        dot = strrchr(buf, '.');
    }
    unsigned h;
    long pid;
    unsigned long long k;
    int end = 0;
    if (!dot || sscanf(dot + 1, "%8x-%ld-%llu%n", &h, &pid, &k, &end) != 3 ||
        dot[1 + end] != '\0' || h != host || pid <= 0)
        return 0;
    return pid;
}

void cansim_tmp_sweep(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    const unsigned host = host_id();
    const struct dirent *e;
    while ((e = readdir(d))) {
        const long pid = tmp_owner(e->d_name, host);
        if (!pid || pid == (long)getpid() || !(kill((pid_t)pid, 0) && errno == ESRCH))
            continue;
        char path[4096 + NAME_MAX + 2];
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < (int)sizeof path)
            unlink(path);
    }
    closedir(d);
}

/* SPDX-License-Identifier: MIT */
/* The default of --memory: half of what the process may use when the run starts (the least
 * of MemAvailable and the cgroup's room), never the machine's size, read here once and passed
 * down as a number: the library never reads the system. */
#define _GNU_SOURCE
#include "memory_budget.h"
#include "cgroup.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A limit at or past this is none: v1 writes its unlimited as 2^63 less a page. */
#define NO_LIMIT (1ull << 62)

/* The count of bytes in dir/name, or false: absent, unreadable, "max" or out of range. */
static bool read_bytes(const char *dir, const char *name, unsigned long long *v)
{
    char path[PATH_MAX + 64], word[32];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    const bool is_word = fscanf(f, "%31s", word) == 1;
    fclose(f);
    if (!is_word || word[0] < '0' || word[0] > '9')
        return false;
    char *end;
    errno = 0;
    *v = strtoull(word, &end, 10);
    return !errno && !*end;
}

/* The room under one cgroup folder's memory limit (at least 1), or 0: none set, or
 * unreadable. */
static long long room_in(const char *dir, bool is_v2)
{
    unsigned long long limit, used;
    if (!read_bytes(dir, is_v2 ? "memory.max" : "memory.limit_in_bytes", &limit) ||
        limit >= NO_LIMIT)
        return 0;
    if (!read_bytes(dir, is_v2 ? "memory.current" : "memory.usage_in_bytes", &used))
        used = 0;
    return used < limit ? (long long)(limit - used) : 1;
}

unsigned long long cgroup_memory_room(const char *root)
{
    static const char *const v1_mounts[] = {"memory", NULL};
    return (unsigned long long)cgroup_least(root, "memory", v1_mounts, room_in);
}

/* MemAvailable in root/proc/meminfo, bytes, or 0 (absent before Linux 3.14). */
static unsigned long long meminfo_available(const char *root)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/proc/meminfo", root);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[256];
    unsigned long long kib = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1)
            break;
    fclose(f);
    return kib < NO_LIMIT >> 10 ? kib << 10 : 0;
}

MemoryBudget memory_budget(const char *root)
{
    MemoryBudget m = {.meminfo = meminfo_available(root), .cgroup = cgroup_memory_room(root)};
    m.available = m.cgroup && (!m.meminfo || m.cgroup < m.meminfo) ? m.cgroup : m.meminfo;
    const unsigned long long half = m.available / 2;
    m.bytes = !m.available          ? MEMORY_UNKNOWN
              : half < MEMORY_LEAST ? MEMORY_LEAST
              : half > MEMORY_MOST  ? MEMORY_MOST
                                    : half;
    return m;
}

/* v in GiB, MiB or bytes; "none" for 0 when is_bound. */
static void say_size(char *out, size_t n, unsigned long long v, bool is_bound)
{
    if (is_bound && !v)
        snprintf(out, n, "none");
    else if (v >= 1ull << 30)
        snprintf(out, n, "%.1f GiB", (double)v / (double)(1ull << 30));
    else if (v >= 1ull << 20)
        snprintf(out, n, "%.0f MiB", (double)v / (double)(1ull << 20));
    else
        snprintf(out, n, "%llu bytes", v);
}

size_t memory_resolve(bool has_option, size_t option_bytes, int verbosity)
{
    if (has_option && verbosity < 2)
        return option_bytes;
    const MemoryBudget m = memory_budget("");
    const size_t bytes = has_option ? option_bytes : m.bytes;
    if (verbosity >= 2) {
        char b[32], a[32], c[32];
        say_size(b, sizeof b, bytes, false);
        say_size(a, sizeof a, m.meminfo, true);
        say_size(c, sizeof c, m.cgroup, true);
        fprintf(stderr,
                "cansim: %s of memory for outputs awaiting their gain (%s; MemAvailable %s, "
                "cgroup room %s)\n",
                b,
                has_option    ? "--memory"
                : m.available ? "half the memory available, within 256 MiB to 16 GiB"
                              : "nothing readable: the fixed default",
                a, c);
    }
    return bytes;
}

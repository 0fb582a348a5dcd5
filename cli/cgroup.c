/* SPDX-License-Identifier: MIT */
/* The process's cgroups (/proc/self/cgroup), where their hierarchies are mounted, and the
 * least bound along each path: one walk for every per-folder reader. */
#define _GNU_SOURCE
#include "cgroup.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* The lesser of two bounds, 0 being none. */
static long long least_of(long long a, long long b)
{
    return a > 0 && (b <= 0 || a < b) ? a : b > 0 ? b : 0;
}

/* The least bound from base/rel up to base itself. */
static long long least_along(const char *base, const char *rel, bool is_v2, CgroupBound bound)
{
    char dir[PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s%s", base, rel) >= (int)sizeof dir)
        return 0;
    const size_t n_base = strlen(base);
    long long least = 0;
    for (;;) {
        least = least_of(least, bound(dir, is_v2));
        char *slash = strrchr(dir, '/');
        if (!slash || (size_t)(slash - dir) < n_base)
            break;
        *slash = '\0';
    }
    return least;
}

/* True when the comma list has word. */
static bool has_word(const char *list, size_t n, const char *word)
{
    const size_t len = strlen(word);
    for (const char *p = list; p < list + n;) {
        const char *comma = memchr(p, ',', (size_t)(list + n - p));
        const size_t k = comma ? (size_t)(comma - p) : (size_t)(list + n - p);
        if (k == len && !memcmp(p, word, len))
            return true;
        p += k + 1;
    }
    return false;
}

/* The v2 hierarchy's bound for rel: under the first mount (cgroup.controllers present) that
 * sets one. */
static long long least_v2(const char *root, const char *rel, CgroupBound bound)
{
    static const char *const mounts[] = {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"};
    for (size_t k = 0; k < sizeof mounts / sizeof *mounts; k++) {
        char base[PATH_MAX], probe_path[PATH_MAX + 32];
        snprintf(base, sizeof base, "%s%s", root, mounts[k]);
        snprintf(probe_path, sizeof probe_path, "%s/cgroup.controllers", base);
        FILE *probe = fopen(probe_path, "r");
        if (!probe)
            continue;
        fclose(probe);
        const long long b = least_along(base, rel, true, bound);
        if (b)
            return b;
    }
    return 0;
}

long long cgroup_least(const char *root, const char *controller, const char *const *v1_mounts,
                       CgroupBound bound)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/proc/self/cgroup", root);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    /* Lines "ID:CONTROLLERS:PATH": "0::PATH" is v2's, a controller list v1's. */
    char line[PATH_MAX + 256];
    long long least = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *c1 = strchr(line, ':');
        char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2 || c2[1] != '/')
            continue;
        const char *rel = strcmp(c2 + 1, "/") ? c2 + 1 : "";
        long long b = 0;
        if (c2 == c1 + 1) {
            b = least_v2(root, rel, bound);
        } else if (has_word(c1 + 1, (size_t)(c2 - c1 - 1), controller)) {
            for (size_t k = 0; v1_mounts[k] && !b; k++) {
                char base[PATH_MAX];
                snprintf(base, sizeof base, "%s/sys/fs/cgroup/%s", root, v1_mounts[k]);
                b = least_along(base, rel, false, bound);
            }
        }
        least = least_of(least, b);
    }
    fclose(f);
    return least;
}

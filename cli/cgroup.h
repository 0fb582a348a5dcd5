/* SPDX-License-Identifier: MIT */
/* The process's cgroups and one bound read along each one's path: what the CPU quota
 * (cli/threads.c) and the memory room (cli/memory.c) share. */
#ifndef CANSIM_CLI_CGROUP_H
#define CANSIM_CLI_CGROUP_H

#include <stdbool.h>

/* The bound one cgroup folder sets (positive), or 0 when it sets none or cannot be read.
 * is_v2: dir is in the unified (v2) hierarchy, else in a v1 controller's. */
typedef long long (*CgroupBound)(const char *dir, bool is_v2);

/* The least bound of the cgroups /proc/self/cgroup names, read below root ("" for the real
 * /proc and /sys/fs/cgroup; a test's fake tree otherwise): the v2 line ("0::PATH") under
 * /sys/fs/cgroup or /sys/fs/cgroup/unified, a v1 line whose controllers include controller
 * under the first of v1_mounts (folder names under /sys/fs/cgroup, NULL-terminated) that sets
 * one. Along each path every folder from the process's cgroup up to the mount's root is read
 * (a container that sees its host path but mounts only its own subtree reads the mount's
 * root, its own). Returns 0 when no folder sets one or none can be read. */
long long cgroup_least(const char *root, const char *controller, const char *const *v1_mounts,
                       CgroupBound bound);

#endif

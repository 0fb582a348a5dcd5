/* SPDX-License-Identifier: MIT */
/* How much memory a run holds outputs in while their final gain is not known (--memory): by
 * default from what the process may use when it starts, found once by the command. (Not
 * memory.h: that name is the C library's.) */
#ifndef CANSIM_CLI_MEMORY_BUDGET_H
#define CANSIM_CLI_MEMORY_BUDGET_H

#include <stdbool.h>
#include <stddef.h>

#define MEMORY_LEAST   (256ull << 20) /* the default's floor */
#define MEMORY_MOST    (16ull << 30)  /* the default's ceiling */
#define MEMORY_UNKNOWN (2ull << 30)   /* the default when nothing can be read (the library's) */

/* The memory this process may use and where each bound comes from (0: no such bound). */
typedef struct MemoryBudget {
    unsigned long long meminfo;   /* /proc/meminfo MemAvailable, bytes */
    unsigned long long cgroup;    /* room under the cgroup's limit (cgroup_memory_room()) */
    unsigned long long available; /* the lesser of them; 0 when neither is known */
    size_t bytes; /* the default: half of available within [MEMORY_LEAST, MEMORY_MOST], or
                     MEMORY_UNKNOWN */
} MemoryBudget;

/* The room left under the memory limit of the cgroup that /proc/self/cgroup names, read below
 * root ("" for the real /proc and /sys/fs/cgroup; a test's fake tree otherwise): v2
 * memory.max less memory.current, v1 memory.limit_in_bytes less memory.usage_in_bytes, the
 * least along the path from the process's cgroup to the root; at least 1 byte when a limit is
 * reached. 0 when there is no limit ("max", v1's unlimited) or none can be read. */
unsigned long long cgroup_memory_room(const char *root);

/* The process's memory budget, read below root as for cgroup_memory_room(). */
MemoryBudget memory_budget(const char *root);

/* The run's memory for outputs awaiting their gain, resolved once: option_bytes when
 * has_option (--memory), else the budget's default. With verbosity >= 2 one line says how it
 * was found. */
size_t memory_resolve(bool has_option, size_t option_bytes, int verbosity);

#endif

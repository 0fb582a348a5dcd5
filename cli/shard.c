/* SPDX-License-Identifier: MIT */
/* --shard: I/N or a job array's environment, and the split of a batch's units into shards. */
#define _POSIX_C_SOURCE 200809L
#include "shard.h"
#include "env.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

/* A whole decimal number in lo..hi, nothing else (no sign, no spaces). */
static bool parse_count(const char *s, long lo, long hi, long *out)
{
    if (!s || *s < '0' || *s > '9')
        return false;
    char *end;
    errno = 0;
    const long v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

int shard_parse(const char *arg, int *i, int *n, bool *is_auto)
{
    long vi, vn;
    const char *slash = strchr(arg, '/');
    if (!strncmp(arg, "auto", 4) && (!arg[4] || arg[4] == '/')) {
        vn = 0;
        if (arg[4] && !parse_count(arg + 5, 1, SHARD_MAX, &vn))
            return -1;
        *i = 0;
        *n = (int)vn;
        *is_auto = true;
        return 0;
    }
    if (!slash || slash == arg || (size_t)(slash - arg) > 6)
        return -1;
    char head[8];
    memcpy(head, arg, (size_t)(slash - arg));
    head[slash - arg] = '\0';
    if (!parse_count(head, 1, SHARD_MAX, &vi) || !parse_count(slash + 1, 1, SHARD_MAX, &vn) ||
        vi > vn)
        return -1;
    *i = (int)vi;
    *n = (int)vn;
    *is_auto = false;
    return 0;
}

static int say(char *msg, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int say(char *msg, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, n, fmt, ap);
    va_end(ap);
    return -1;
}

/* The variable name's value as a number in lo..hi into *out; -1 with a message when it is
 * set to anything else or (is_needed) unset; 1 when unset and not needed. */
static int get_count(char *const *envp, const char *name, long lo, long hi, bool is_needed,
                     long *out, char *msg, size_t msg_n)
{
    const char *v = env_get(envp, name);
    if (!v && !is_needed)
        return 1;
    if (!v)
        return say(msg, msg_n, "--shard auto: %s is not set", name);
    if (!parse_count(v, lo, hi, out))
        return say(msg, msg_n, "--shard auto: %s is '%s', not a number from %ld to %ld", name, v,
                   lo, hi);
    return 0;
}

/* SLURM: the task's place in a dense array, whatever its first index (--array=0-7, 1-8 or
 * 100-107 are all shards 1..8). */
static int from_slurm(char *const *envp, int n_given, long *i, long *n, char *msg, size_t msg_n)
{
    const long big = 1L << 30;
    long id, lo, hi, count, step = 1;
    if (get_count(envp, "SLURM_ARRAY_TASK_ID", 0, big, true, &id, msg, msg_n) ||
        get_count(envp, "SLURM_ARRAY_TASK_MIN", 0, big, true, &lo, msg, msg_n) ||
        get_count(envp, "SLURM_ARRAY_TASK_MAX", 0, big, true, &hi, msg, msg_n) ||
        get_count(envp, "SLURM_ARRAY_TASK_STEP", 1, big, false, &step, msg, msg_n) < 0)
        return -1;
    const int has_count =
        get_count(envp, "SLURM_ARRAY_TASK_COUNT", 1, SHARD_MAX, false, &count, msg, msg_n);
    if (has_count < 0)
        return -1;
    if (has_count && !n_given)
        return say(msg, msg_n,
                   "--shard auto: SLURM_ARRAY_TASK_COUNT is not set (SLURM before "
                   "18.08): give the array's size as --shard auto/N");
    if (has_count)
        count = n_given;
    if (id < lo || id > hi)
        return say(msg, msg_n,
                   "--shard auto: SLURM_ARRAY_TASK_ID %ld is outside the array "
                   "%ld-%ld",
                   id, lo, hi);
    if (step != 1 || count != hi - lo + 1)
        return say(msg, msg_n,
                   "--shard auto: the SLURM array %ld-%ld has %ld task%s%s: a "
                   "sparse or stepped array leaves shards unrendered; submit a dense one "
                   "(--array=1-%ld)",
                   lo, hi, count, count == 1 ? "" : "s", step != 1 ? " with a step" : "", count);
    *i = id - lo + 1;
    *n = count;
    return 0;
}

int shard_from_env(char *const *envp, int n_given, int *i, int *n, const char **scheduler,
                   char *msg, size_t msg_n)
{
    long vi = 0, vn = 0;
    int has_count = 0;
    if (env_get(envp, "SLURM_ARRAY_TASK_ID")) {
        *scheduler = "SLURM";
        if (from_slurm(envp, n_given, &vi, &vn, msg, msg_n))
            return -1;
        has_count = 1;
    } else if (env_get(envp, "JOB_COMPLETION_INDEX")) {
        *scheduler = "Kubernetes";
        if (get_count(envp, "JOB_COMPLETION_INDEX", 0, SHARD_MAX - 1, true, &vi, msg, msg_n))
            return -1;
        vi++;
    } else if (env_get(envp, "AWS_BATCH_JOB_ARRAY_INDEX")) {
        *scheduler = "AWS Batch";
        if (get_count(envp, "AWS_BATCH_JOB_ARRAY_INDEX", 0, SHARD_MAX - 1, true, &vi, msg, msg_n))
            return -1;
        vi++;
        has_count =
            get_count(envp, "AWS_BATCH_JOB_ARRAY_SIZE", 1, SHARD_MAX, false, &vn, msg, msg_n);
        if (has_count < 0)
            return -1;
        has_count = !has_count;
    } else if (env_get(envp, "CI_NODE_INDEX")) {
        *scheduler = "GitLab CI";
        if (get_count(envp, "CI_NODE_INDEX", 1, SHARD_MAX, true, &vi, msg, msg_n))
            return -1;
        has_count = get_count(envp, "CI_NODE_TOTAL", 1, SHARD_MAX, false, &vn, msg, msg_n);
        if (has_count < 0)
            return -1;
        has_count = !has_count;
    } else {
        *scheduler = NULL;
        return say(msg, msg_n,
                   "--shard auto: not in a job array (none of SLURM_ARRAY_TASK_ID, "
                   "JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX, CI_NODE_INDEX is set); "
                   "give --shard I/N");
    }
    if (has_count && n_given && vn != n_given)
        return say(msg, msg_n, "--shard auto/%d: the %s array has %ld tasks", n_given, *scheduler,
                   vn);
    if (!has_count && !n_given)
        return say(msg, msg_n,
                   "--shard auto: %s does not tell the number of tasks: give it "
                   "as --shard auto/N",
                   *scheduler);
    if (!has_count)
        vn = n_given;
    if (vi > vn)
        return say(msg, msg_n, "--shard auto: %s task %ld of %ld: the index is past the count",
                   *scheduler, vi, vn);
    *i = (int)vi;
    *n = (int)vn;
    return 0;
}

typedef struct Keyed {
    uint64_t hash;
    const char *key;
    size_t index;
} Keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const Keyed *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return strcmp(x->key, y->key);
}

int shard_assign(const char *const *keys, size_t n, int n_shards, int *shard)
{
    Keyed *k = malloc((n ? n : 1) * sizeof *k);
    if (!k)
        return -1;
    for (size_t i = 0; i < n; i++)
        k[i] = (Keyed){.hash = XXH64(keys[i], strlen(keys[i]), 0), .key = keys[i], .index = i};
    qsort(k, n, sizeof *k, cmp_keyed);
    size_t unit = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && strcmp(k[i].key, k[i - 1].key))
            unit++;
        shard[k[i].index] = (int)(unit % (size_t)n_shards) + 1;
    }
    free(k);
    return 0;
}

/* SPDX-License-Identifier: MIT */
/* --shard: which share of a batch one process renders, given as I/N or found in the job
 * array's environment (auto), and which units of the batch make up each share. */
#ifndef CANSIM_CLI_SHARD_H
#define CANSIM_CLI_SHARD_H

#include <stdbool.h>
#include <stddef.h>

/* The most shards a batch is split into (AWS Batch arrays stop at 10,000; SLURM's
 * MaxArraySize defaults to 1,001). */
#define SHARD_MAX 100000

/* Parses --shard's value: "I/N" (1 <= I <= N), "auto", or "auto/N" (N: the array's size, for
 * schedulers that do not tell it). Sets *i and *n (0 when auto leaves them to the
 * environment) and *is_auto. Returns 0, or -1 for anything else. */
int shard_parse(const char *arg, int *i, int *n, bool *is_auto);

/* --shard auto: the shard from a job array's environment. envp is a NULL-terminated list of
 * "NAME=value" (as environ); n_given is N of auto/N, else 0. The first scheduler found, in
 * this order (an array task submitted from a CI job inherits the CI job's variables, so the
 * innermost scheduler comes first):
 *   SLURM       SLURM_ARRAY_TASK_ID, _MIN, _MAX, _COUNT, _STEP: shard ID - MIN + 1 of COUNT;
 *               sparse (1,4,7) or stepped (1-9:2) arrays are refused: their indices leave gaps
 *   Kubernetes  JOB_COMPLETION_INDEX (from 0) of an Indexed Job; the count is auto/N
 *   AWS Batch   AWS_BATCH_JOB_ARRAY_INDEX (from 0) of AWS_BATCH_JOB_ARRAY_SIZE
 *   GitLab CI   CI_NODE_INDEX (from 1) of CI_NODE_TOTAL (parallel: N)
 * A count given by both the scheduler and auto/N must agree. On success returns 0 with *i
 * (1-based), *n and *scheduler (a static name); else -1 with one line in msg: no scheduler,
 * a bad value, a count missing or disagreeing, a sparse array. */
int shard_from_env(char *const *envp, int n_given, int *i, int *n, const char **scheduler,
                   char *msg, size_t msg_n);

/* Assigns n units, each named by its key (its path relative to the batch's inputs; equal
 * keys are one unit), to shards 1..n_shards: the distinct keys ordered by a stable hash
 * (XXH64, then the key itself) are dealt round-robin, so every machine computes the same
 * split, the shards differ by at most one unit, and each has some when there are at least
 * n_shards units. shard[k] receives key k's shard. Returns 0, or -1 when out of memory. */
int shard_assign(const char *const *keys, size_t n, int n_shards, int *shard);

#endif

/* SPDX-License-Identifier: MIT */
/* The options that come from where the command runs: --shard auto from a job array's
 * environment, and the thread count and the memory budget from what the job was given. They
 * are read here, once, and passed down as plain numbers: the library never reads the
 * environment. */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "memory_budget.h"
#include "shard.h"
#include "threads.h"

extern char **environ;

int scale_options(Options *o)
{
    if (o->is_status && (o->is_force || o->is_dry_run))
        return usage_error("status writes no renders: it takes neither %s",
                           o->is_force ? "--force" : "--dry-run");
    if (o->is_shard_auto) {
        char why[512];
        const char *scheduler = NULL;
        int i = 0, n = 0;
        const int e = shard_from_env(environ, o->shard_n, &i, &n, &scheduler, why, sizeof why);
        if (e && !o->is_status)
            return usage_error("%s", why);
        /* status covers every shard; a count found (or auto/N) labels what each must redo. */
        o->shard_i = e ? 0 : i;
        o->shard_n = e ? o->shard_n : n;
        if (!e && o->verbosity >= 2 && !o->is_status)
            fprintf(stderr, "cansim: shard %d of %d (%s array)\n", i, n, scheduler);
    }
    char why[512];
    const int n_threads =
        threads_resolve(o->n_threads, environ, o->is_status ? 0 : o->verbosity, why, sizeof why);
    if (n_threads < 0)
        return usage_error("%s", why);
    o->n_threads = n_threads;
    o->memory_bytes =
        memory_resolve(o->has_memory, o->memory_bytes, o->is_status ? 0 : o->verbosity);
    return EXIT_OK;
}

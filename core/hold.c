/* SPDX-License-Identifier: MIT */
/* Outputs held in memory until their final gain is known: the render's pool of blocks (hold.h). */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, madvise */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "hold.h"
#include "output.h"

/* Idle block i given back to the system. */
static void unmap_idle(CansimHoldPool *pool, size_t i)
{
    munmap(pool->idle[i].p, pool->idle[i].bytes);
    pool->idle_bytes -= pool->idle[i].bytes;
    pool->idle[i] = pool->idle[--pool->n_idle];
}

/* The smallest idle block of at least bytes, or n_idle. */
static size_t best_fit(const CansimHoldPool *pool, size_t bytes)
{
    size_t best = pool->n_idle;
    for (size_t i = 0; i < pool->n_idle; i++)
        if (pool->idle[i].bytes >= bytes &&
            (best == pool->n_idle || pool->idle[i].bytes < pool->idle[best].bytes))
            best = i;
    return best;
}

bool cansim_output_hold(CansimFileOut *o, int64_t n_frames, size_t budget, CansimHoldPool *pool)
{
    if (n_frames <= 0 || (uint64_t)n_frames > SIZE_MAX / (4 * sizeof(float)))
        return false;
    const size_t bytes = ((size_t)n_frames * 2 + CANSIM_HOLD_PREFIX) * sizeof(float);
    size_t i = best_fit(pool, bytes);
    CansimHoldBlock b = {0};
    if (i < pool->n_idle) {
        b = pool->idle[i];
        pool->idle_bytes -= b.bytes;
        pool->idle[i] = pool->idle[--pool->n_idle];
    } else {
        if (bytes > budget || pool->in_use > budget - bytes)
            return false;
        while (pool->n_idle && pool->in_use + pool->idle_bytes > budget - bytes)
            unmap_idle(pool, pool->n_idle - 1);
        /* Mapped without its pages: they are made a chunk at a time just before the engine
         * writes there (cansim_hold_prefault()), on the lane's own thread, zeroed in cache just
         * before the samples overwrite them. Making them all at once (MAP_POPULATE, or
         * MADV_POPULATE_WRITE in parallel) zeroed the benchmark job's 1.1 GB through memory
         * before the render wrote it again. Alternated wav16 renders of it: 1.20-1.57 s with
         * MAP_POPULATE against 1.11-1.17 s faulting page by page; then 1.02-1.24 s faulting
         * against 0.97-1.11 s a chunk at a time.
         * (Huge pages by madvise were faster on average but stalled on compaction now and then:
         * a run took twice as long.) */
        b.p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (b.p == MAP_FAILED)
            return false;
        b.bytes = bytes;
    }
    memset(b.p, 0, CANSIM_HOLD_PREFIX * sizeof(float));
    o->mem = (float *)b.p + CANSIM_HOLD_PREFIX;
    o->n_frames = 0;
    o->cap_mem = n_frames;
    o->mem_bytes = b.bytes;
    pool->in_use += b.bytes;
    return true;
}

void cansim_output_release(CansimFileOut *o, CansimHoldPool *pool)
{
    if (!o->mem)
        return;
    const CansimHoldBlock b = {o->mem - CANSIM_HOLD_PREFIX, o->mem_bytes};
    o->mem = NULL;
    o->mem_bytes = 0;
    pool->in_use -= b.bytes;
    if (pool->n_idle == pool->cap_idle) {
        const size_t cap = pool->cap_idle ? 2 * pool->cap_idle : 64;
        CansimHoldBlock *p = realloc(pool->idle, cap * sizeof *p);
        if (!p) {
            munmap(b.p, b.bytes);
            return;
        }
        pool->idle = p;
        pool->cap_idle = cap;
    }
    pool->idle[pool->n_idle++] = b;
    pool->idle_bytes += b.bytes;
}

void cansim_hold_pool_free(CansimHoldPool *pool)
{
    while (pool->n_idle)
        unmap_idle(pool, pool->n_idle - 1);
    free(pool->idle);
    *pool = (CansimHoldPool){0};
}

void cansim_hold_prefault(float *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
    const uintptr_t page = 4096;
    const uintptr_t a = (uintptr_t)p & ~(page - 1);
    const uintptr_t e = ((uintptr_t)(p + n) + page - 1) & ~(page - 1);
    /* An older kernel (before 5.14) refuses it: the pages then fault in as they are written. */
    (void)madvise((void *)a, e - a, MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)n;
#endif
}

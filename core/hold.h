/* SPDX-License-Identifier: MIT */
/* Where outputs wait for their final gain in memory: blocks of a render's own, within its
 * budget, kept when an output is done with them and given to the next output that fits (a
 * batch's stems of one length take the same blocks again, instead of new pages the kernel must
 * zero and map; a third of a batch's CPU went there). */
#ifndef CANSIM_HOLD_H
#define CANSIM_HOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct CansimFileOut;

/* Floats before a held output's frames, zero at first (the engine's CANSIM_SINK_PREFIX: the
 * true peak's history before the first frames, where the engine renders into the block). */
#define CANSIM_HOLD_PREFIX 64

typedef struct CansimHoldBlock {
    void *p;
    size_t bytes;
} CansimHoldBlock;

/* A render's held memory: in use by outputs, and idle blocks kept for the next ones. Both count
 * against the budget. Used from one thread at a time. */
typedef struct CansimHoldPool {
    size_t in_use;     /* bytes held by outputs */
    size_t idle_bytes; /* bytes of the idle blocks */
    size_t n_idle, cap_idle;
    CansimHoldBlock *idle;
} CansimHoldPool;

/* Holds output o (room for n_frames stereo float frames, after CANSIM_HOLD_PREFIX floats) in
 * memory instead of a file when the budget has room for it: the smallest idle block that fits, else
 * a new one (idle blocks are given back to the system first when the budget needs their room).
 * @return whether it is held */
bool cansim_output_hold(struct CansimFileOut *o, int64_t n_frames, size_t budget,
                        CansimHoldPool *pool);

/* o's block back to the pool, idle (NULL-safe: nothing when o holds none). */
void cansim_output_release(struct CansimFileOut *o, CansimHoldPool *pool);

/* The pages of the n floats at p, inside a held block, made now (before they are written):
 * one call for a chunk's pages instead of a fault each. Any thread; nothing else changes. */
void cansim_hold_prefault(float *p, size_t n);

/* Every idle block given back to the system (at the render's end). */
void cansim_hold_pool_free(CansimHoldPool *pool);

#endif

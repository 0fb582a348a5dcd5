/* SPDX-License-Identifier: MIT */
/* The render's pool of held memory (core/hold.c): a released block is taken again by the next
 * output it fits (the smallest that fits), idle blocks count against the budget and are given
 * back when a new block needs their room, and nothing is held past the budget. */
#include "hold.h"
#include "output.h"
#include "unit.h"

enum { MB = 1 << 20, FRAMES_MB = MB / 8 };       /* stereo float frames in 1 MiB */
#define PFX (CANSIM_HOLD_PREFIX * sizeof(float)) /* each block's room before its frames */

int main(int argc, char **argv)
{
    unit_init(argc, argv, 11);
    CansimHoldPool pool = {0};
    static CansimFileOut a, b, c, d;
    const size_t budget = 4 * MB + 2 * PFX;
    CHECK(cansim_output_hold(&a, 2 * FRAMES_MB, budget, &pool) && a.mem, "a: not held");
    CHECK(cansim_output_hold(&b, FRAMES_MB, budget, &pool) && b.mem, "b: not held");
    CHECK(pool.in_use == 3 * MB + 2 * PFX, "in use: %zu", pool.in_use);
    CHECK(a.mem[-1] == 0.0f && a.mem[-CANSIM_HOLD_PREFIX] == 0.0f, "a's prefix is not zero");
    CHECK(!cansim_output_hold(&c, 2 * FRAMES_MB, budget, &pool) && !c.mem,
          "c held past the budget");
    float *const a_mem = a.mem, *const b_mem = b.mem;
    a.mem[0] = 1.0f;
    a.mem[-1] = 2.0f; /* the engine's history goes there */
    a.n_frames = 1;
    cansim_output_release(&a, &pool);
    cansim_output_release(&b, &pool);
    CHECK(!a.mem && pool.in_use == 0 && pool.idle_bytes == 3 * MB + 2 * PFX && pool.n_idle == 2,
          "after release: in use %zu, idle %zu in %zu", pool.in_use, pool.idle_bytes, pool.n_idle);
    /* the smallest idle block that fits: b's for 1 MiB, a's for 1.5 MiB */
    CHECK(cansim_output_hold(&c, FRAMES_MB, budget, &pool) && c.mem == b_mem,
          "c did not take b's block");
    CHECK(cansim_output_hold(&d, 3 * FRAMES_MB / 2, budget, &pool) && d.mem == a_mem &&
              d.n_frames == 0 && d.cap_mem == 3 * FRAMES_MB / 2 && d.mem_bytes == 2 * MB + PFX &&
              d.mem[-1] == 0.0f,
          "d did not take a's block as new (its prefix zero again)");
    cansim_output_release(&c, &pool);
    cansim_output_release(&d, &pool);
    /* 3 MiB new: the idle 3 MiB give their room (4 MiB and two prefixes of budget) */
    CHECK(cansim_output_hold(&a, 3 * FRAMES_MB, budget, &pool) && a.mem,
          "a new block past the idle ones' room was refused");
    CHECK(pool.in_use == 3 * MB + PFX && pool.in_use + pool.idle_bytes <= budget,
          "over the budget: in use %zu, idle %zu", pool.in_use, pool.idle_bytes);
    for (size_t i = 0; i < 3 * (size_t)FRAMES_MB * 2; i += 4096)
        a.mem[i] = (float)i; /* the block is writable all through */
    cansim_output_release(&a, &pool);
    CHECK(!cansim_output_hold(&b, 0, budget, &pool), "an empty output held");
    cansim_hold_pool_free(&pool);
    CHECK(pool.n_idle == 0 && pool.idle_bytes == 0 && pool.in_use == 0, "pool not empty");
    CHECK(!cansim_output_hold(&b, 1, 0, &pool), "held with no budget");
    return unit_finish("hold");
}

/* SPDX-License-Identifier: MIT */
/* cansim-bench-render's samples: the clocks a child reads (wall, CPU, system, the machine's busy
 * time), a timed span added to a sample, and a failed sample. Used by the render and floor
 * children alike. */
#define _GNU_SOURCE
#include <sys/resource.h>

#include "machine.h"
#include "options.h"
#include "render_bench.h"

Mark render_mark_now(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (Mark){
        .wall = bench_now_s(CLOCK_MONOTONIC),
        .cpu = bench_now_s(CLOCK_PROCESS_CPUTIME_ID),
        .sys = (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec,
        .busy = bench_machine_busy_s(),
    };
}

/* A child reports once and exits, so its early failures leave their memory to the exit. */

void render_sample_add(Sample *s, const Mark *m0)
{
    const Mark m1 = render_mark_now();
    s->wall_s += m1.wall - m0->wall;
    s->cpu_s += m1.cpu - m0->cpu;
    s->sys_s += m1.sys - m0->sys;
    const double others = (m1.busy - m0->busy) - (m1.cpu - m0->cpu);
    s->others_s += others > 0.0 ? others : 0.0;
}

void render_fail(Sample *s, const char *what, const char *detail)
{
    s->status = -1;
    bench_format(s->msg, sizeof s->msg, "%s: %s", what, detail);
}

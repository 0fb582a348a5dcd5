/* SPDX-License-Identifier: MIT */
/* cansim-bench-render: the end-to-end render benchmark, each mode timed in its own forked child
 * against an I/O floor in the same run, medians of R repetitions, Google Benchmark JSON out. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include <cansim/cansim.h>

#include "machine.h"
#include "render_bench.h"

/* Every repetition runs every mode once, in turn, so that drift on a shared machine reaches all
 * modes alike; returns 1 when some mode failed. */
static int run_all(Bench *b)
{
    int rc = 0;
    for (int rep = 0; rep < b->n_reps; rep++) {
        fprintf(stderr, "rep %d/%d:", rep + 1, b->n_reps);
        for (int i = 0; i < b->n_modes; i++) {
            const Mode *m = &b->modes[i];
            Stats *s = &b->stats[i];
            if (s->has_failed || (m->is_long && rep > 0))
                continue;
            Sample smp;
            double rss = 0.0;
            render_clean_outputs(b);
            if (b->settle_s > 0.0 && !bench_settle(b->settle_s))
                b->n_settle_timeouts++;
            if (render_run_child(b, m, &smp, &rss)) {
                fprintf(stderr, "\ncansim-bench-render: %s: %s\n", m->key,
                        smp.msg[0] ? smp.msg : "cannot fork");
                s->has_failed = true;
                rc = 1;
                continue;
            }
            s->wall[s->n] = smp.wall_s;
            s->cpu[s->n] = smp.cpu_s;
            s->sys[s->n] = smp.sys_s;
            s->bg[s->n] = smp.others_s / (smp.wall_s * b->n_cpus);
            s->rss_mb[s->n] = rss;
            s->n++;
            s->partition_frames = smp.partition_frames;
            s->cpu_flags = smp.cpu_flags;
            fprintf(stderr, " %s %.3f s", m->key, smp.wall_s);
        }
        fputc('\n', stderr);
    }
    render_clean_outputs(b);
    if (b->n_settle_timeouts)
        fprintf(stderr, "cansim-bench-render: %d runs started on a busy machine (--settle %g)\n",
                b->n_settle_timeouts, b->settle_s);
    b->main_cpu_flags = cansim_cpu_flags();
    for (int i = 0; i < b->n_modes; i++)
        if (b->modes[i].kind == KIND_RENDER && !b->modes[i].is_naive && b->stats[i].n) {
            b->main_partition = b->stats[i].partition_frames;
            b->main_cpu_flags = b->stats[i].cpu_flags;
            break;
        }
    return rc;
}

int main(int argc, char **argv)
{
    static Bench b; /* large: not on the stack */
    const int e = render_parse_args(&b, argc, argv);
    if (e >= 0)
        return e;
    if (render_prepare_material(&b))
        return 1;
    render_build_modes(&b);
    int rc = run_all(&b);
    const Derived d = render_derive(&b);
    render_print_table(&b, &d);
    if (b.json_path && render_write_json(&b, &d, argv[0]))
        rc = 1;
    free(b.irs);
    return rc;
}

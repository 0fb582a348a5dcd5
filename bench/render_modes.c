/* SPDX-License-Identifier: MIT */
/* cansim-bench-render's modes (what one repetition runs) and the same-run ratios derived from
 * their medians. */
#include <string.h>

#include "options.h"
#include "render_bench.h"

static const char *const mode_keys[] = {"full",  "compute",    "io_floor",     "io_floor_1",
                                        "naive", "naive_1",    "compute_1",    "compute_2",
                                        "long",  "level_full", "level_full_tr"};

bool render_only_is_valid(const char *only)
{
    for (const char *p = only; *p;) {
        const char *end = strchr(p, ',');
        const size_t len = end ? (size_t)(end - p) : strlen(p);
        bool is_known = false;
        for (size_t i = 0; i < sizeof mode_keys / sizeof mode_keys[0]; i++)
            is_known = is_known || (strlen(mode_keys[i]) == len && !strncmp(p, mode_keys[i], len));
        if (!is_known)
            return false;
        if (!end)
            break;
        p = end + 1;
    }
    return true;
}

static bool is_selected(const Bench *b, const char *key)
{
    if (!b->only)
        return true;
    const size_t n = strlen(key);
    for (const char *p = b->only; p && *p;) {
        const char *end = strchr(p, ',');
        const size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && !strncmp(p, key, n))
            return true;
        p = end ? end + 1 : NULL;
    }
    return false;
}

static void add_mode(Bench *b, const char *key, const char *family, const char *suffix, Mode m)
{
    if (!is_selected(b, key) || b->n_modes >= MAX_MODES)
        return;
    bench_format(m.key, sizeof m.key, "%s", key);
    bench_format(m.name, sizeof m.name, "render/%s/%dx%d/%gs%s", family, b->n_profiles, b->n_taps,
                 m.is_long ? b->long_seconds : b->seconds, suffix);
    b->modes[b->n_modes++] = m;
}

/* The modes of one repetition, run in this order. The main ones use the renderer's thread count
 * t; the extra 1-thread runs separate the gain of sharing the transform from that of threads. */
void render_build_modes(Bench *b)
{
    const int t = b->n_threads;
    add_mode(b, "full", "full", "", (Mode){.kind = KIND_RENDER, .n_threads = t});
    add_mode(b, "compute", "compute", "",
             (Mode){.kind = KIND_RENDER, .is_compute_only = true, .n_threads = t});
    add_mode(b, "io_floor", "io_floor", "", (Mode){.kind = KIND_FLOOR, .n_threads = t});
    add_mode(
        b, "naive", "naive", "",
        (Mode){.kind = KIND_RENDER, .is_compute_only = true, .is_naive = true, .n_threads = t});
    if (t != 1) {
        add_mode(b, "io_floor_1", "io_floor", "/threads:1",
                 (Mode){.kind = KIND_FLOOR, .n_threads = 1});
        add_mode(
            b, "naive_1", "naive", "/threads:1",
            (Mode){.kind = KIND_RENDER, .is_compute_only = true, .is_naive = true, .n_threads = 1});
        add_mode(b, "compute_1", "compute", "/threads:1",
                 (Mode){.kind = KIND_RENDER, .is_compute_only = true, .n_threads = 1});
    }
    if (t != 2)
        add_mode(b, "compute_2", "compute", "/threads:2",
                 (Mode){.kind = KIND_RENDER, .is_compute_only = true, .n_threads = 2});
    /* Level matched, without and with the translation (docs/translation.md): its cost. */
    const CansimLevelMode match = CANSIM_LEVEL_MATCH;
    add_mode(b, "level_full", "level_full", "",
             (Mode){.kind = KIND_RENDER, .n_threads = t, .level_mode = match});
    add_mode(
        b, "level_full_tr", "level_full", "/translation",
        (Mode){.kind = KIND_RENDER, .n_threads = t, .level_mode = match, .has_translation = true});
    if (b->has_long)
        add_mode(
            b, "long", "compute", "",
            (Mode){.kind = KIND_RENDER, .is_compute_only = true, .is_long = true, .n_threads = t});
}

const Stats *render_stats_of(const Bench *b, const char *key)
{
    for (int i = 0; i < b->n_modes; i++)
        if (!strcmp(b->modes[i].key, key) && b->stats[i].n > 0 && !b->stats[i].has_failed)
            return &b->stats[i];
    return NULL;
}

static double med_wall(const Bench *b, const char *key)
{
    const Stats *s = render_stats_of(b, key);
    return s ? bench_median(s->wall, s->n) : 0.0;
}

double render_med_rss(const Bench *b, const char *key)
{
    const Stats *s = render_stats_of(b, key);
    return s ? bench_median(s->rss_mb, s->n) : 0.0;
}

static double ratio(double num, double den)
{
    return num > 0.0 && den > 0.0 ? num / den : 0.0;
}

double render_mode_seconds(const Bench *b, const Mode *m)
{
    return m->is_long ? b->long_seconds : b->seconds;
}

Derived render_derive(const Bench *b)
{
    Derived d;
    const double t2 = b->n_threads == 2 ? med_wall(b, "compute") : med_wall(b, "compute_2");
    d.full_vs_floor = ratio(med_wall(b, "full"), med_wall(b, "io_floor"));
    d.full_vs_floor_1 = ratio(med_wall(b, "full"), b->n_threads == 1 ? med_wall(b, "io_floor")
                                                                     : med_wall(b, "io_floor_1"));
    d.compute_vs_floor = ratio(med_wall(b, "compute"), med_wall(b, "io_floor"));
    d.naive_speedup = ratio(med_wall(b, "naive"), med_wall(b, "compute"));
    d.naive_speedup_1 = b->n_threads == 1 ? d.naive_speedup
                                          : ratio(med_wall(b, "naive_1"), med_wall(b, "compute_1"));
    d.thread_speedup =
        ratio(b->n_threads == 1 ? med_wall(b, "compute") : med_wall(b, "compute_1"), t2);
    d.tr_full = ratio(med_wall(b, "level_full_tr"), med_wall(b, "level_full"));
    return d;
}

/* SPDX-License-Identifier: MIT */
/* cansim-bench-design: the time to design every bundled profile at one rate on one core. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cansim/cansim.h>

#include "json_out.h"
#include "machine.h"
#include "stats.h"

#define MAX_PROFILES 256
#define REPS         15
#define TARGET_MS    50.0

/* Google Benchmark's schema, one record: the median time to design the whole drawer. */
static int write_json(const char *path, double rate, size_t n, size_t n_taps, double med_ms)
{
    char name[64];
    snprintf(name, sizeof name, "design/all/%zu", n);
    json_t *doc =
        json_pack("{s:{s:s, s:s, s:f}, s:[{s:s, s:s, s:s, s:i, s:i, s:i, s:f, s:f, s:s, s:I}]}",
                  "context", "library_build_type", "release", "cansim_version", cansim_version(),
                  "rate_hz", rate, "benchmarks", "name", name, "run_name", name, "run_type",
                  "iteration", "repetitions", REPS, "threads", 1, "iterations", 1, "real_time",
                  med_ms, "cpu_time", med_ms, "time_unit", "ms", "total_taps", (json_int_t)n_taps);
    const int e = doc ? bench_json_write(doc, path, "cansim-bench-design", 6) : -1;
    json_decref(doc);
    return e;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : CANSIM_SOURCE_PROFILES_DIR;
    const double rate = argc > 2 ? atof(argv[2]) : 48000.0;
    const char *json = argc > 3 ? argv[3] : NULL;
    CansimProfile *ps[MAX_PROFILES];
    size_t n = 0;
    DIR *dh = opendir(dir);
    if (!dh) {
        fprintf(stderr, "cansim-bench-design: %s: cannot open\n", dir);
        return 2;
    }
    for (struct dirent *e; (e = readdir(dh)) && n < MAX_PROFILES;) {
        const size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".ini"))
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        CansimDiag d;
        if (cansim_profile_load(&ps[n], path, &d)) {
            fprintf(stderr, "cansim-bench-design: %s\n", d.msg);
            closedir(dh);
            return 1;
        }
        n++;
    }
    closedir(dh);
    char targets[4200];
    snprintf(targets, sizeof targets, "%s/targets", dir);
    CansimDesignConfig cfg = cansim_design_default_config();
    cfg.targets_dir = targets;
    double t[REPS];
    size_t n_taps = 0;
    for (int r = 0; r < REPS; r++) {
        const double t0 = bench_now_s(CLOCK_MONOTONIC);
        n_taps = 0;
        for (size_t i = 0; i < n; i++) {
            CansimProfile *fir;
            CansimDiag d;
            if (cansim_profile_design(&fir, ps[i], &cfg, rate, &d)) {
                fprintf(stderr, "cansim-bench-design: %s\n", d.msg);
                return 1;
            }
            n_taps += cansim_profile_n_taps(fir);
            cansim_profile_close(&fir);
        }
        t[r] = bench_now_s(CLOCK_MONOTONIC) - t0;
    }
    const double med_ms = 1e3 * bench_median(t, REPS);
    printf("designed %zu profiles at %g Hz (%zu taps in all) on one core: median %.2f ms "
           "(min %.2f, max %.2f; %d repetitions); target < %.0f ms: %s\n",
           n, rate, n_taps, med_ms, 1e3 * bench_min(t, REPS), 1e3 * bench_max(t, REPS), REPS,
           TARGET_MS, med_ms < TARGET_MS ? "met" : "MISSED");
    for (size_t i = 0; i < n; i++)
        cansim_profile_close(&ps[i]);
    if (json && write_json(json, rate, n, n_taps, med_ms))
        return 1;
    return 0;
}

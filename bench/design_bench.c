/* SPDX-License-Identifier: MIT */
/* cansim-bench-design: the time to design every bundled profile at one rate on one core. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cansim/cansim.h>

#define MAX_PROFILES 256
#define REPS         15
#define TARGET_MS    50.0

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
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
        const double t0 = now_s();
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
        t[r] = now_s() - t0;
    }
    qsort(t, REPS, sizeof *t, cmp);
    const double med_ms = 1e3 * t[REPS / 2];
    printf("designed %zu profiles at %g Hz (%zu taps in all) on one core: median %.2f ms "
           "(min %.2f, max %.2f; %d repetitions); target < %.0f ms: %s\n",
           n, rate, n_taps, med_ms, 1e3 * t[0], 1e3 * t[REPS - 1], REPS, TARGET_MS,
           med_ms < TARGET_MS ? "met" : "MISSED");
    for (size_t i = 0; i < n; i++)
        cansim_profile_close(&ps[i]);
    if (json) {
        FILE *f = fopen(json, "w");
        if (!f)
            return 1;
        fprintf(f,
                "{\n  \"context\": {\"library_build_type\": \"release\", \"cansim_version\": "
                "\"%s\", \"rate_hz\": %g},\n  \"benchmarks\": [{\"name\": \"design/all/%zu\", "
                "\"run_name\": \"design/all/%zu\", \"run_type\": \"iteration\", \"repetitions\": "
                "%d, \"threads\": 1, \"iterations\": 1, \"real_time\": %.4f, \"cpu_time\": %.4f, "
                "\"time_unit\": \"ms\", \"total_taps\": %zu}]\n}\n",
                cansim_version(), rate, n, n, REPS, med_ms, med_ms, n_taps);
        fclose(f);
    }
    return 0;
}

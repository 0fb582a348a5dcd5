/* SPDX-License-Identifier: MIT */
/* The drawer's one level and the finishing write, measured independently (libebur128 on the
 * files read back):
 *   1. a hot master (0 dBFS peaks, about -10 LUFS) through every bundled profile at wav24:
 *      every render within 0.1 LU of the others, every one at or under the ceiling, one named
 *      as limiting (its true peak at the ceiling), the original louder by what the results say;
 *   2. the per-profile scope keeps each output on its own: the limited ones at the ceiling,
 *      the others untouched at the target, and the results say which;
 *   3. every format at match and at -14 LUFS, the hot master and a quiet bassy mix, through the
 *      first eight profiles in name order (the slowest part of the suite otherwise): loudness
 *      within 0.1 LU of the level, true peak at or under the ceiling, no sample at full scale,
 *      the same bytes at 1 and 2 threads and with the intermediates in memory or on disk. */
#define _POSIX_C_SOURCE 200809L

#include <cansim/cansim.h>

#include <dirent.h>
#include <sndfile.h>
#include <string.h>

#include "unit.h"
#include "unit_files.h"
#include "unit_meter.h"

#ifndef CANSIM_PROFILE_DIR
#error "CANSIM_PROFILE_DIR must name the bundled profiles"
#endif

#define PI       3.14159265358979323846
#define LU_TOL   0.1
#define RATE     48000
#define SECONDS  8
#define CEILING  (-1.0)
#define MAX_PROF 64

static char tmp_dir[4096];
static CansimDesignConfig design;
static CansimProfile *profiles[MAX_PROF];
static size_t n_prof;
static size_t n_use; /* the profiles rendered: every one, or the first few for the formats */

/* Bass-heavy noise driven into tanh, scaled to a 0 dBFS sample peak: a loud, dense master. With
 * drive 0 and a -30 dB scale: a quiet bassy mix instead. */
static void make_mix(const char *path, double drive, double scale)
{
    const size_t n = (size_t)RATE * SECONDS;
    float *x = unit_xcalloc(2 * n, sizeof(float));
    double lp[2] = {0.0, 0.0};
    float peak = 0.0f;
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < 2; c++) {
            lp[c] = 0.995 * lp[c] + 0.005 * (double)unit_rand_float() * 40.0;
            const double t = (double)i / RATE;
            double v = lp[c] + 0.4 * sin(2.0 * PI * 55.0 * t) + 0.1 * (double)unit_rand_float();
            v = drive > 0.0 ? tanh(drive * v) : v;
            x[2 * i + (size_t)c] = (float)v;
            peak = fabsf(x[2 * i + (size_t)c]) > peak ? fabsf(x[2 * i + (size_t)c]) : peak;
        }
    const float g = (float)(scale / (double)peak);
    for (size_t i = 0; i < 2 * n; i++)
        x[i] *= g;
    unit_write_audio(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, RATE, 2, x, (sf_count_t)n);
    free(x);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load_drawer(void)
{
    DIR *d = opendir(CANSIM_PROFILE_DIR);
    if (!d)
        exit(99);
    char *names[MAX_PROF];
    struct dirent *e;
    while ((e = readdir(d)) && n_prof < MAX_PROF) {
        const size_t len = strlen(e->d_name);
        if (len > 4 && !strcmp(e->d_name + len - 4, ".ini"))
            names[n_prof++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n_prof, sizeof *names, by_name);
    for (size_t k = 0; k < n_prof; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", CANSIM_PROFILE_DIR, names[k]);
        CansimDiag diag = {{0}};
        if (cansim_profile_load(&profiles[k], path, &diag)) {
            fprintf(stderr, "%s: %s\n", path, diag.msg);
            exit(99);
        }
        free(names[k]);
    }
}

typedef struct Run {
    CansimFormat format;
    CansimLevelMode mode;
    CansimLevelScope scope;
    int n_threads;
    size_t memory_bytes;
} Run;

/* Renders mix into out as run says; results has n_prof entries. */
static void render(const char *mix, const char *out, const Run *run, CansimOutputResult *results)
{
    CansimRenderConfig cfg = cansim_render_default_config();
    cfg.profiles = (const CansimProfile *const *)profiles;
    cfg.n_profiles = n_use;
    cfg.output.format = run->format;
    cfg.design = &design;
    cfg.level.mode = run->mode;
    cfg.level.lufs = -14.0;
    cfg.level.has_ceiling = true;
    cfg.level.ceiling_dbtp = CEILING;
    cfg.engine.n_threads = run->n_threads;
    cfg.level.scope = run->scope;
    cfg.output.memory_bytes = run->memory_bytes;
    CansimRender *r = NULL;
    CansimDiag diag = {{0}};
    int rc = cansim_render_open(&r, &cfg, &diag);
    CHECK(rc == CANSIM_OK, "cansim_render_open: %s", diag.msg);
    if (rc)
        exit(99);
    rc = cansim_render_file(r, mix, out, NULL, results, &diag);
    CHECK(rc == CANSIM_OK, "render %s: %d %s", mix, rc, diag.msg);
    cansim_render_close(&r);
}

static Level meter_file(const char *path, const char *what)
{
    SF_INFO info;
    float *y = unit_read_audio(path, &info);
    if (!y)
        return (Level){0};
    const Level lv = meter(y, (size_t)info.frames, info.channels, info.samplerate);
    float sp = 0.0f;
    for (size_t i = 0; i < (size_t)info.frames * 2; i++)
        sp = fabsf(y[i]) > sp ? fabsf(y[i]) : sp;
    CHECK(sp < 1.0f, "%s: a sample at full scale", what);
    free(y);
    return lv;
}

static bool same_bytes(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb");
    FILE *fb = fopen(b, "rb");
    bool same = fa && fb;
    while (same) {
        const int ca = fgetc(fa);
        const int cb = fgetc(fb);
        same = ca == cb;
        if (ca == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

/* 1. and 2. */
static void check_hot_master(const char *hot)
{
    CansimOutputResult *res = unit_xcalloc(n_prof, sizeof *res);
    char out[4200];
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    size_t n_limiting = 0;
    const Run drawer = {CANSIM_FORMAT_WAV24, CANSIM_LEVEL_MATCH, CANSIM_LEVEL_SCOPE_DRAWER, 2,
                        (size_t)1 << 30};
    snprintf(out, sizeof out, "%s/drawer", tmp_dir);
    render(hot, out, &drawer, res);
    for (size_t k = 0; k < n_prof; k++) {
        const char *id = cansim_profile_id(profiles[k]);
        const Level lv = meter_file(res[k].path, id);
        lo = lv.lufs < lo ? lv.lufs : lo;
        hi = lv.lufs > hi ? lv.lufs : hi;
        CHECK(lv.tp_db <= CEILING + 1e-3, "drawer %s: true peak %.4f dBTP over the ceiling", id,
              lv.tp_db);
        CHECK(res[k].is_limited, "drawer %s: not lowered with the others", id);
        CHECK(fabs(res[k].loudness_lufs - res[0].loudness_lufs) < 0.01,
              "drawer %s: reported %.3f LUFS, not the common level %.3f", id, res[k].loudness_lufs,
              res[0].loudness_lufs);
        if (res[k].is_limiting) {
            n_limiting++;
            CHECK(fabs(lv.tp_db - CEILING) < 0.02, "drawer %s limits, but peaks at %.3f dBTP", id,
                  lv.tp_db);
            printf("1. all renders at %.2f LUFS: %s reaches %.2f dBTP there; the original is "
                   "%.2f dB louder\n",
                   res[k].loudness_lufs, id, lv.tp_db, res[k].input_lufs - res[k].loudness_lufs);
            CHECK(res[k].input_lufs - res[k].loudness_lufs > 0.5,
                  "the hot master is not louder than its renders");
        }
    }
    printf("1. %zu profiles at wav24: %.3f .. %.3f LUFS by libebur128\n", n_prof, lo, hi);
    CHECK(hi - lo <= LU_TOL, "drawer: renders spread over %.3f LU", hi - lo);
    CHECK(n_limiting == 1, "drawer: %zu outputs named as limiting", n_limiting);

    /* 2. Each on its own. */
    const Run each = {CANSIM_FORMAT_WAV24, CANSIM_LEVEL_MATCH, CANSIM_LEVEL_SCOPE_PROFILE, 2,
                      (size_t)1 << 30};
    snprintf(out, sizeof out, "%s/each", tmp_dir);
    render(hot, out, &each, res);
    size_t n_limited = 0;
    for (size_t k = 0; k < n_prof; k++) {
        const char *id = cansim_profile_id(profiles[k]);
        const Level lv = meter_file(res[k].path, id);
        CHECK(!res[k].is_limiting, "profile scope %s: named as limiting", id);
        CHECK(lv.tp_db <= CEILING + 1e-3, "profile scope %s: true peak %.4f dBTP", id, lv.tp_db);
        if (res[k].is_limited) {
            n_limited++;
            CHECK(fabs(lv.tp_db - CEILING) < 0.02 && lv.lufs < res[k].input_lufs + LU_TOL,
                  "profile scope %s: limited, but at %.3f dBTP, %.3f LUFS", id, lv.tp_db, lv.lufs);
        } else {
            CHECK(fabs(lv.lufs - res[k].input_lufs) <= LU_TOL,
                  "profile scope %s: untouched, but at %.3f LUFS for %.3f", id, lv.lufs,
                  res[k].input_lufs);
        }
    }
    printf("2. profile scope: %zu of %zu limited, the others at the input's level\n", n_limited,
           n_prof);
    CHECK(n_limited > 0 && n_limited < n_prof,
          "profile scope: %zu of %zu limited; the material should limit some only", n_limited,
          n_prof);
    free(res);
}

/* 3. */
static void check_formats(const char *mix, const char *name)
{
    static const CansimFormat formats[] = {CANSIM_FORMAT_WAV16, CANSIM_FORMAT_WAV24,
                                           CANSIM_FORMAT_WAV32F, CANSIM_FORMAT_FLAC16,
                                           CANSIM_FORMAT_FLAC24};
    CansimOutputResult *a = unit_xcalloc(n_prof, sizeof *a);
    CansimOutputResult *b = unit_xcalloc(n_prof, sizeof *b);
    n_use = n_prof < 8 ? n_prof : 8;
    for (size_t fi = 0; fi < sizeof formats / sizeof formats[0]; fi++)
        for (int m = 0; m < 2; m++) {
            const CansimLevelMode mode = m ? CANSIM_LEVEL_TARGET : CANSIM_LEVEL_MATCH;
            const char *fname = cansim_format_name(formats[fi]);
            char out_a[4200], out_b[4200];
            snprintf(out_a, sizeof out_a, "%s/%s-%s-%d-a", tmp_dir, name, fname, m);
            snprintf(out_b, sizeof out_b, "%s/%s-%s-%d-b", tmp_dir, name, fname, m);
            /* In memory with 2 threads, against on disk with 1. */
            const Run ra = {formats[fi], mode, CANSIM_LEVEL_SCOPE_DRAWER, 2, (size_t)1 << 30};
            const Run rb = {formats[fi], mode, CANSIM_LEVEL_SCOPE_DRAWER, 1, 0};
            render(mix, out_a, &ra, a);
            render(mix, out_b, &rb, b);
            double level = HUGE_VAL;
            size_t n_diff = 0;
            double worst = 0.0, top = -HUGE_VAL;
            for (size_t k = 0; k < n_use; k++) {
                const char *id = cansim_profile_id(profiles[k]);
                char what[256];
                snprintf(what, sizeof what, "%s %s %s %s", name, fname, m ? "-14" : "match", id);
                const Level lv = meter_file(a[k].path, what);
                if (k == 0)
                    level = lv.lufs;
                const double want = a[k].is_limited ? level : m ? -14.0 : a[k].input_lufs;
                worst = fabs(lv.lufs - want) > worst ? fabs(lv.lufs - want) : worst;
                top = lv.tp_db > top ? lv.tp_db : top;
                CHECK(fabs(lv.lufs - want) <= LU_TOL, "%s: %.3f LUFS, want %.3f", what, lv.lufs,
                      want);
                CHECK(lv.tp_db <= CEILING + 1e-3, "%s: true peak %.4f dBTP", what, lv.tp_db);
                n_diff += !same_bytes(a[k].path, b[k].path);
            }
            CHECK(n_diff == 0, "%s %s: %zu outputs differ between memory/2 threads and disk/1",
                  name, fname, n_diff);
            printf("3. %s %s %s: worst %.3f LU off, top true peak %.3f dBTP, %zu differ\n", name,
                   fname, m ? "-14" : "match", worst, top, n_diff);
            unit_remove_tree(out_a);
            unit_remove_tree(out_b);
        }
    free(a);
    free(b);
    n_use = n_prof;
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 11);
    unit_make_tmp_dir(tmp_dir, sizeof tmp_dir, "cansim-drawer");
    load_drawer();
    n_use = n_prof;
    char hot[4200], quiet[4200];
    snprintf(hot, sizeof hot, "%s/hot.wav", tmp_dir);
    snprintf(quiet, sizeof quiet, "%s/bassy.wav", tmp_dir);
    design = cansim_design_default_config();
    design.targets_dir = CANSIM_PROFILE_DIR "/targets";
    make_mix(quiet, 0.0, pow(10.0, -20.0 / 20.0));
    /* The drive that brings the master to about -10 LUFS at a 0 dBFS peak. */
    Level in = {.lufs = -HUGE_VAL};
    for (double drive = 0.05; drive < 4.0 && !(in.lufs > -10.5); drive *= 1.25) {
        make_mix(hot, drive, 1.0);
        SF_INFO info;
        float *x = unit_read_audio(hot, &info);
        in = meter(x, (size_t)info.frames, 2, RATE);
        free(x);
    }
    printf("hot master: %.2f LUFS, %.2f dBFS sample peak, %.2f dBTP\n", in.lufs, in.sp_db,
           in.tp_db);
    CHECK(in.lufs > -10.5 && in.lufs < -8.0 && in.sp_db > -0.01, "the hot master is not hot");
    check_hot_master(hot);
    check_formats(hot, "hot");
    check_formats(quiet, "bassy");
    for (size_t k = 0; k < n_prof; k++)
        cansim_profile_close(&profiles[k]);
    unit_remove_tree(tmp_dir);
    return unit_finish("test_level_drawer");
}

/* SPDX-License-Identifier: MIT */
/* The material that defeated the loudness prediction, through every bundled profile, checked
 * by an independent meter: each output is read back with libsndfile and metered here with
 * libebur128 (integrated loudness and true peak), never with the library's numbers.
 *   - gated: a 45 Hz tone gated 0.5 s on, 0.5 s off, with hi-hats 20 dB under it, at -28 LUFS
 *     (the gates drop the hat-only blocks; the prediction's blocks leaked the tone into them
 *     and missed by up to 0.94 LU);
 *   - verse: a quiet, bass-heavy verse before a loud chorus (the verse sits at the relative
 *     gate of some outputs; missed by up to 0.34 LU);
 *   - demo: the demo mix (bench/synth.c's mix), hot enough that the ceiling holds some outputs.
 * At wav32f and wav24, level matched and at -14 LUFS, with the default -1 dBTP ceiling: every
 * output not held by the ceiling is within 0.1 LU of its target; one held by the ceiling is
 * under its target with its true peak at the ceiling; every true peak is at or under the
 * ceiling; the library reports the loudness it wrote (measured: 0.02 LU; predicted: 0.1) and
 * says which it was.
 * Usage: test_level_predict CANSIM-SYNTH [--seed=N] */
#define _POSIX_C_SOURCE 200809L

#include <cansim/cansim.h>

#include <dirent.h>
#include <ebur128.h>
#include <sndfile.h>
#include <stdbool.h>

#include "unit.h"
#include "unit_files.h"

#ifndef CANSIM_PROFILE_DIR
#error "CANSIM_PROFILE_DIR must name the bundled profiles"
#endif

#define PI      3.14159265358979323846
#define RATE    48000
#define LU_TOL  0.1
#define CEILING (-1.0)
/* libebur128's true peak (4x oversampling) and the library's own tracker read a peak a few
 * hundredths of a dB apart. */
#define TP_TOL 0.1

static char tmp_dir[4096];

typedef struct Level {
    double lufs;  /* integrated, -inf below the gate */
    double tp_db; /* true peak, dBTP, max over channels */
} Level;

/* libebur128 on a whole file, streamed. */
static Level meter_file(const char *path)
{
    Level lv = {-(double)INFINITY, -(double)INFINITY};
    SF_INFO info = {0};
    SNDFILE *f = sf_open(path, SFM_READ, &info);
    CHECK(f != NULL, "cannot open %s: %s", path, sf_strerror(NULL));
    if (!f)
        return lv;
    ebur128_state *st = ebur128_init((unsigned)info.channels, (unsigned long)info.samplerate,
                                     EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK);
    if (!st) {
        fprintf(stderr, "ebur128_init failed\n");
        exit(99);
    }
    if (info.channels == 1)
        ebur128_set_channel(st, 0, EBUR128_DUAL_MONO);
    const sf_count_t chunk = 16384;
    float *buf = unit_xcalloc((size_t)chunk * (size_t)info.channels, sizeof(float));
    sf_count_t k;
    while ((k = sf_readf_float(f, buf, chunk)) > 0)
        ebur128_add_frames_float(st, buf, (size_t)k);
    sf_close(f);
    free(buf);
    double v;
    if (ebur128_loudness_global(st, &v) == EBUR128_SUCCESS)
        lv.lufs = v;
    double tp = 0.0;
    for (unsigned c = 0; c < (unsigned)info.channels; c++)
        if (ebur128_true_peak(st, c, &v) == EBUR128_SUCCESS && v > tp)
            tp = v;
    lv.tp_db = 20.0 * log10(tp);
    ebur128_destroy(&st);
    return lv;
}

/* ------------------------------------------------------------------ inputs */

typedef struct Input {
    const char *name;
    char path[4200];
    Level lv;
} Input;

/* Scales x to lufs (libebur128 here), writes it as a float WAV and meters the file. */
static void input_write(Input *in, float *x, size_t n, double lufs)
{
    ebur128_state *st = ebur128_init(2, RATE, EBUR128_MODE_I);
    if (!st)
        exit(99);
    ebur128_add_frames_float(st, x, n);
    double l = 0.0;
    ebur128_loudness_global(st, &l);
    ebur128_destroy(&st);
    const float g = (float)pow(10.0, (lufs - l) / 20.0);
    for (size_t i = 0; i < 2 * n; i++)
        x[i] *= g;
    snprintf(in->path, sizeof in->path, "%s/%s.wav", tmp_dir, in->name);
    unit_write_audio(in->path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, RATE, 2, x, (sf_count_t)n);
    in->lv = meter_file(in->path);
}

/* A 45 Hz tone, on for the first half of every second, and hi-hats (differenced noise, 30 ms
 * decay) every 250 ms, 20 dB under the tone; both channels alike; -28 LUFS. */
static void make_gated(Input *in, double seconds)
{
    const size_t n = (size_t)(seconds * RATE);
    float *x = unit_xcalloc(2 * n, sizeof(float));
    const double hat_gain = pow(10.0, -20.0 / 20.0);
    double prev = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double t = (double)i / RATE;
        const double tone = fmod(t, 1.0) < 0.5 ? 0.5 * sin(2 * PI * 45.0 * t) : 0.0;
        const double r = (double)unit_rand_float();
        const double hat = hat_gain * (r - prev) * exp(-fmod(t, 0.25) / 0.03);
        prev = r;
        x[2 * i] = x[2 * i + 1] = (float)(tone + hat);
    }
    input_write(in, x, n, -28.0);
    free(x);
}

/* A verse of bass (49 and 62 Hz, a note a second) and soft hats, 14 dB under a chorus of the
 * same bass, pumping low-passed noise, a tone and louder hats; halves of the length; -16
 * LUFS. */
static void make_verse(Input *in, double seconds)
{
    const size_t n = (size_t)(seconds * RATE);
    float *x = unit_xcalloc(2 * n, sizeof(float));
    const double verse_gain = pow(10.0, -14.0 / 20.0);
    double lp[2] = {0.0, 0.0};
    for (size_t i = 0; i < n; i++) {
        const double t = (double)i / RATE;
        const bool is_chorus = t >= seconds / 2;
        const double bass_hz = (int)t % 2 ? 49.0 : 62.0;
        const double beat = fmod(t, 0.5);
        const double bass = 0.5 * sin(2 * PI * bass_hz * t) * (0.7 + 0.3 * exp(-beat / 0.2));
        for (int c = 0; c < 2; c++) {
            lp[c] = 0.8 * lp[c] + 0.2 * (double)unit_rand_float();
            const double hat = 0.03 * (double)unit_rand_float() * exp(-fmod(t, 0.25) / 0.02);
            const double v = is_chorus
                                 ? 0.5 * bass + 0.5 * lp[c] * (0.5 + 0.5 * exp(-beat / 0.1)) +
                                       0.1 * sin(2 * PI * (c ? 554.37 : 440.0) * t) + 3.0 * hat
                                 : verse_gain * (bass + hat);
            x[2 * i + (size_t)c] = (float)v;
        }
    }
    input_write(in, x, n, -16.0);
    free(x);
}

/* The demo mix, as scripts/setup.sh makes it (shorter). */
static void make_demo(Input *in, const char *synth, double seconds)
{
    snprintf(in->path, sizeof in->path, "%s/%s.wav", tmp_dir, in->name);
    char cmd[8600];
    snprintf(cmd, sizeof cmd, "'%s' mix '%s' --seconds %g --rate %d", synth, in->path, seconds,
             RATE);
    if (system(cmd) != 0) {
        fprintf(stderr, "%s failed\n", cmd);
        exit(99);
    }
    in->lv = meter_file(in->path);
}

/* ------------------------------------------------------------------ profiles */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every bundled profile (CANSIM_PROFILE_DIR/ *.ini), in name order. */
static size_t load_all(CansimProfile ***out, char ***ids)
{
    DIR *d = opendir(CANSIM_PROFILE_DIR);
    if (!d)
        exit(99);
    char **names = NULL;
    size_t n = 0;
    const struct dirent *e;
    while ((e = readdir(d))) {
        const size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".ini"))
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        names[n++] = strndup(e->d_name, len - 4);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    CansimProfile **p = unit_xcalloc(n, sizeof *p);
    for (size_t j = 0; j < n; j++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.ini", CANSIM_PROFILE_DIR, names[j]);
        CansimDiag diag = {{0}};
        if (cansim_profile_load(&p[j], path, &diag) != CANSIM_OK) {
            fprintf(stderr, "cansim_profile_load(%s): %s\n", path, diag.msg);
            exit(99);
        }
    }
    *out = p;
    *ids = names;
    return n;
}

/* ------------------------------------------------------------------ the check */

#define N_INPUTS 3

typedef struct Tally {
    char (*cells)[12]; /* per profile: its loudness - target, as printed (or NULL) */
    double worst;      /* |loudness - target| over the outputs the ceiling left alone */
    int n_measured;    /* reported as measured */
    int n_predicted;   /* reported as predicted */
    int n_limited;     /* held by the ceiling */
} Tally;

static void check_outputs(const CansimOutputResult *res, char **ids, size_t n_prof, const Input *in,
                          const char *what, double target, const char *ext, const char *out_dir,
                          Tally *t)
{
    for (size_t j = 0; j < n_prof; j++) {
        const CansimOutputResult *o = &res[j];
        CHECK(o->status == CANSIM_OK, "%s %s %s: status %d: %s", what, in->name, ids[j], o->status,
              o->diag.msg);
        if (o->status != CANSIM_OK)
            continue;
        char path[8800];
        snprintf(path, sizeof path, "%s/%s/%s.%s", out_dir, in->name, ids[j], ext);
        const Level lv = meter_file(path);
        const double err = lv.lufs - target;
        if (t->cells)
            snprintf(t->cells[j], sizeof t->cells[j], "%+.3f%c", err,
                     o->is_limited    ? 'L'
                     : o->is_measured ? 'm'
                                      : ' ');
        CHECK(lv.tp_db <= CEILING + TP_TOL, "%s %s %s: true peak %.3f dBTP over the ceiling", what,
              in->name, ids[j], lv.tp_db);
        if (o->is_limited) {
            /* Held by the ceiling: gain only, lowered until the true peak sits at it. */
            t->n_limited++;
            CHECK(err < 0.0 && lv.tp_db >= CEILING - TP_TOL,
                  "%s %s %s: limited, yet at %.3f LUFS for %.3f, true peak %.3f dBTP", what,
                  in->name, ids[j], lv.lufs, target, lv.tp_db);
        } else {
            t->worst = fmax(t->worst, isfinite(err) ? fabs(err) : (double)INFINITY);
            CHECK(fabs(err) <= LU_TOL, "%s %s %s: %.3f LUFS, target %.3f (%+.3f LU, %s)", what,
                  in->name, ids[j], lv.lufs, target, err,
                  o->is_measured ? "measured" : "predicted");
        }
        if (o->is_measured)
            t->n_measured++;
        else
            t->n_predicted++;
        /* The report says what was written, and whether it was measured or predicted. */
        CHECK(fabs(o->loudness_lufs - lv.lufs) <= (o->is_measured ? 0.02 : LU_TOL),
              "%s %s %s: reported %.3f LUFS (%s), measured %.3f", what, in->name, ids[j],
              o->loudness_lufs, o->is_measured ? "measured" : "predicted", lv.lufs);
    }
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 20);
    if (argc < 2 || !strncmp(argv[1], "--", 2)) {
        fprintf(stderr, "usage: test_level_predict CANSIM-SYNTH [--seed=N]\n");
        return 99;
    }
    unit_make_tmp_dir(tmp_dir, sizeof tmp_dir, "cansim-level-predict-");
    CansimDesignConfig design = cansim_design_default_config();
    design.targets_dir = CANSIM_PROFILE_DIR "/targets";

    Input inputs[N_INPUTS] = {{.name = "gated"}, {.name = "verse"}, {.name = "demo"}};
    make_gated(&inputs[0], 8.0);
    make_verse(&inputs[1], 12.0);
    make_demo(&inputs[2], argv[1], 8.0);
    for (int k = 0; k < N_INPUTS; k++)
        printf("input %-6s %7.2f LUFS %6.2f dBTP\n", inputs[k].name, inputs[k].lv.lufs,
               inputs[k].lv.tp_db);

    CansimProfile **profiles;
    char **ids;
    const size_t n_prof = load_all(&profiles, &ids);
    CansimOutputResult *res = unit_xcalloc(n_prof, sizeof *res);
    /* wav32f's outputs, per profile, for the table at the end. */
    char(*cells)[2 * N_INPUTS][12] = unit_xcalloc(n_prof, sizeof *cells);
    char(*column)[12] = unit_xcalloc(n_prof, sizeof *column);

    static const CansimFormat formats[2] = {CANSIM_FORMAT_WAV32F, CANSIM_FORMAT_WAV24};
    printf("%zu profiles; worst |loudness - target| (LU) of the outputs the ceiling left alone, "
           "and how many were measured / predicted / held by the ceiling:\n",
           n_prof);
    for (int fi = 0; fi < 2; fi++)
        for (int mode = 0; mode < 2; mode++) {
            CansimRenderConfig cfg = cansim_render_default_config();
            cfg.profiles = (const CansimProfile *const *)profiles;
            cfg.n_profiles = n_prof;
            cfg.output.format = formats[fi];
            cfg.design = &design;
            cfg.level.mode = mode ? CANSIM_LEVEL_TARGET : CANSIM_LEVEL_MATCH;
            cfg.level.lufs = -14.0;
            cfg.level.has_ceiling = true;
            cfg.level.ceiling_dbtp = CEILING;
            /* Each output's prediction on its own: the drawer's one level would lower the
             * unlimited ones to the most limited one's (test_level_drawer.c checks that). */
            cfg.level.scope = CANSIM_LEVEL_SCOPE_PROFILE;
            CansimRender *r = NULL;
            CansimDiag diag = {{0}};
            const int rc = cansim_render_open(&r, &cfg, &diag);
            CHECK(rc == CANSIM_OK, "cansim_render_open: %d: %s", rc, diag.msg);
            if (rc != CANSIM_OK)
                continue;
            char what[64];
            snprintf(what, sizeof what, "%s %s", cansim_format_name(formats[fi]),
                     mode ? "-14" : "match");
            char out_dir[4200];
            snprintf(out_dir, sizeof out_dir, "%s/%s-%d", tmp_dir, cansim_format_name(formats[fi]),
                     mode);
            for (int k = 0; k < N_INPUTS; k++) {
                const int e = cansim_render_file(r, inputs[k].path, out_dir, NULL, res, &diag);
                CHECK(e == CANSIM_OK, "%s %s: %d: %s", what, inputs[k].name, e, diag.msg);
                Tally t = {.cells = fi == 0 ? column : NULL};
                check_outputs(res, ids, n_prof, &inputs[k], what, mode ? -14.0 : inputs[k].lv.lufs,
                              "wav", out_dir, &t);
                for (size_t j = 0; fi == 0 && j < n_prof; j++)
                    memcpy(cells[j][2 * k + mode], column[j], sizeof column[j]);
                printf("  %-12s %-6s worst %.3f LU  measured %2d predicted %2d limited %2d\n", what,
                       inputs[k].name, t.worst, t.n_measured, t.n_predicted, t.n_limited);
            }
            cansim_render_close(&r);
        }

    printf("wav32f, loudness - target (LU) by libebur128 per profile (m: measured, L: held by "
           "the ceiling, else predicted):\n  %-36s",
           "profile");
    for (int k = 0; k < N_INPUTS; k++)
        printf(" %6s-match %6s-14", inputs[k].name, inputs[k].name);
    printf("\n");
    for (size_t j = 0; j < n_prof; j++) {
        printf("  %-36s", ids[j]);
        for (int c = 0; c < 2 * N_INPUTS; c++)
            printf(" %12s", cells[j][c]);
        printf("\n");
    }
    free(cells);
    free(column);
    for (size_t j = 0; j < n_prof; j++) {
        cansim_profile_close(&profiles[j]);
        free(ids[j]);
    }
    free(profiles);
    free(ids);
    free(res);
    unit_remove_tree(tmp_dir);
    return unit_finish("test_level_predict");
}

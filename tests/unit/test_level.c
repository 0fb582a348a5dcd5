/* SPDX-License-Identifier: MIT */
/* Level matching of cansim_render_file, measured independently: every output is read back with
 * libsndfile and metered here with libebur128 (integrated loudness and true peak); the
 * library's own numbers are only compared with these, never used as the measurement.
 *   1. matched outputs (match and -14 LUFS) are within 0.1 LU of the target, per format/profile;
 *   2. level off is the filter's own gain (equal to cansim_render_buffer; 1 kHz at 0 dB);
 *   3. integer and FLAC outputs never reach full scale and hold the true-peak ceiling;
 *   4. inputs below the -70 LUFS gate are rendered at the filter's gain, with is_below_gate;
 *   5. every format round-trips (rate, channels, length, container and encoding);
 *   6. 16-bit dither is reproducible and has the level its definition gives. */
#define _POSIX_C_SOURCE 200809L

#include <cansim/cansim.h>

#include <ebur128.h>
#include <sndfile.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "unit_files.h"
#include "unit_meter.h"

#ifndef CANSIM_PROFILE_DIR
#error "CANSIM_PROFILE_DIR must name the bundled profiles"
#endif

#define PI     3.14159265358979323846
#define LU_TOL 0.1

static char tmp_dir[4096];
static CansimDesignConfig design;

/* ------------------------------------------------------------------ helpers */

/* The largest |sample| of an integer file in its own units (sf_readf_int gives them shifted
 * into the top of an int: 16 bits << 16, 24 bits << 8). */
static int64_t int_peak(const char *path, int bits)
{
    SF_INFO info = {0};
    SNDFILE *f = sf_open(path, SFM_READ, &info);
    CHECK(f != NULL, "cannot open %s: %s", path, sf_strerror(NULL));
    if (!f)
        return -1;
    const size_t n = (size_t)info.frames * (size_t)info.channels;
    int *x = unit_xcalloc(n + 1, sizeof(int));
    sf_readf_int(f, x, info.frames);
    sf_close(f);
    int64_t peak = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t v = (int64_t)x[i] >> (32 - bits);
        if (v < 0)
            v = -v;
        if (v > peak)
            peak = v;
    }
    free(x);
    return peak;
}

static CansimProfile *load_profile(const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.ini", CANSIM_PROFILE_DIR, name);
    CansimProfile *p = NULL;
    CansimDiag diag = {{0}};
    const int rc = cansim_profile_load(&p, path, &diag);
    if (rc != CANSIM_OK) {
        fprintf(stderr, "cansim_profile_load(%s): %d: %s\n", path, rc, diag.msg);
        exit(99);
    }
    return p;
}

/* A strongly coloured 4-cell impulse response at 48 kHz with a long (0.5 s) decaying,
 * low-passed tail: direct paths with a bass-heavy reverberant tail, cross paths delayed and
 * duller. Deterministic (the test's seeded generator). */
static CansimProfile *make_ir_profile(void)
{
    const size_t n = 24000;
    float *cells[4];
    for (int c = 0; c < 4; c++) {
        cells[c] = unit_xcalloc(n, sizeof(float));
        const bool is_direct = c == CANSIM_CELL_LL || c == CANSIM_CELL_RR;
        const size_t delay = is_direct ? 0 : 14 + (size_t)c;
        double lp = 0.0;
        const double a = is_direct ? 0.9 : 0.97; /* one-pole low-pass of the tail */
        for (size_t i = delay; i < n; i++) {
            const double t = (double)(i - delay) / 48000.0;
            lp = a * lp + (1.0 - a) * (double)unit_rand_float();
            cells[c][i] = (float)((is_direct ? 0.35 : 0.6) * lp * exp(-t / 0.09));
        }
        cells[c][delay] += is_direct ? (c == 0 ? 0.55f : 0.5f) : 0.12f;
    }
    const float *use[4] = {cells[0], cells[1], cells[2], cells[3]};
    CansimProfile *p = NULL;
    CansimDiag diag = {{0}};
    const int rc = cansim_profile_from_taps(&p, "room-ir", 48000, n, use, &diag);
    for (int c = 0; c < 4; c++)
        free(cells[c]);
    if (rc != CANSIM_OK) {
        fprintf(stderr, "cansim_profile_from_taps: %d: %s\n", rc, diag.msg);
        exit(99);
    }
    return p;
}

static CansimRender *open_render(CansimProfile *const *profiles, size_t n, CansimFormat format,
                                 CansimLevelMode mode, double lufs, bool has_ceiling,
                                 double ceiling, int n_threads)
{
    CansimRenderConfig cfg = cansim_render_default_config();
    cfg.profiles = (const CansimProfile *const *)profiles;
    cfg.n_profiles = n;
    cfg.output.format = format;
    cfg.design = &design;
    cfg.level.mode = mode;
    cfg.level.lufs = lufs;
    cfg.level.has_ceiling = has_ceiling;
    cfg.level.ceiling_dbtp = ceiling;
    cfg.engine.n_threads = n_threads;
    /* These checks are of each output on its own; the drawer's one level: test_level_drawer.c. */
    cfg.level.scope = CANSIM_LEVEL_SCOPE_PROFILE;
    CansimRender *r = NULL;
    CansimDiag diag = {{0}};
    const int rc = cansim_render_open(&r, &cfg, &diag);
    CHECK(rc == CANSIM_OK, "cansim_render_open: %d: %s", rc, diag.msg);
    return rc == CANSIM_OK ? r : NULL;
}

/* The render of input (its name) through profile id in out_dir, read (NULL, and a failed check,
 * when it cannot be); its path into path. */
static float *read_output(char *path, size_t n, const char *out_dir, const char *input,
                          const char *id, const char *ext, SF_INFO *info)
{
    snprintf(path, n, "%s/%s/%s.%s", out_dir, input, id, ext);
    return unit_read_audio(path, info);
}

/* Renders in_path into out_dir; false (and a failed check) unless every output completed. */
static bool render(CansimRender *r, const char *in_path, const char *out_dir, size_t n,
                   CansimOutputResult *res)
{
    CansimDiag diag = {{0}};
    const int rc = cansim_render_file(r, in_path, out_dir, NULL, res, &diag);
    CHECK(rc == CANSIM_OK, "cansim_render_file(%s -> %s) = %d: %s", in_path, out_dir, rc, diag.msg);
    for (size_t j = 0; j < n; j++)
        CHECK(res[j].status == CANSIM_OK, "%s: status %d: %s", res[j].path, res[j].status,
              res[j].diag.msg);
    return rc == CANSIM_OK;
}

/* ------------------------------------------------------------------ test signals */

typedef struct Signal {
    const char *name;
    int rate;
    int n_channels;
    size_t n;
    float *x; /* interleaved */
    Level lv; /* measured here */
    char path[4200];
} Signal;

static void signal_scale_peak(Signal *s, double peak)
{
    float m = 0.0f;
    for (size_t i = 0; i < s->n * (size_t)s->n_channels; i++)
        m = fabsf(s->x[i]) > m ? fabsf(s->x[i]) : m;
    const float g = (float)(peak / (double)m);
    for (size_t i = 0; i < s->n * (size_t)s->n_channels; i++)
        s->x[i] *= g;
}

static void signal_write(Signal *s, int format, const char *ext)
{
    snprintf(s->path, sizeof s->path, "%s/%s.%s", tmp_dir, s->name, ext);
    unit_write_audio(s->path, format, s->rate, s->n_channels, s->x, (sf_count_t)s->n);
    /* The input's level, from the file as written (what the renderer reads). */
    SF_INFO info;
    float *y = unit_read_audio(s->path, &info);
    s->lv = meter(y, s->n, s->n_channels, s->rate);
    free(y);
}

/* Music-like: sections of different loudness (dynamics), drum-like filtered noise hits, a bass
 * line and chords, L and R different; peak -3 dBFS. */
static Signal make_music(int rate, double seconds)
{
    Signal s = {"music", rate, 2, (size_t)(seconds * rate), NULL, {0, 0, 0}, {0}};
    s.x = unit_xcalloc(2 * s.n, sizeof(float));
    static const double section_db[] = {0, -3, -6, -1, -10, 0, -4, -2};
    double lp[2] = {0, 0}, hp[2] = {0, 0};
    for (size_t i = 0; i < s.n; i++) {
        const double t = (double)i / rate;
        const int sec = (int)(t / 3.0) % 8;
        const double g = pow(10.0, section_db[sec] / 20.0);
        const double beat = fmod(t, 0.5);
        const double hit = 0.5 + 0.5 * exp(-beat / 0.15);
        const double bass_f = (int)(t / 1.0) % 2 ? 55.0 : 73.4;
        for (int c = 0; c < 2; c++) {
            lp[c] = 0.85 * lp[c] + 0.15 * (double)unit_rand_float();
            hp[c] = (double)unit_rand_float() - 0.7 * hp[c];
            const double noise = (c ? 0.9 : 1.0) * hit * lp[c] * 1.5 +
                                 0.08 * hp[c] * exp(-fmod(t + 0.25 * c, 0.25) / 0.02);
            const double bass = 0.35 * sin(2 * PI * bass_f * t) * (0.6 + 0.4 * hit);
            const double chord =
                c ? 0.12 * sin(2 * PI * 554.37 * t) + 0.08 * sin(2 * PI * 1318.5 * t)
                  : 0.12 * sin(2 * PI * 440.0 * t) + 0.1 * sin(2 * PI * 659.26 * t);
            s.x[2 * i + (size_t)c] = (float)(g * (noise + bass + chord));
        }
    }
    signal_scale_peak(&s, pow(10.0, -3.0 / 20.0));
    return s;
}

/* Quiet and sparse: 0.7 s phrases every 4 s, long gaps of noise at about -85 dBFS in between,
 * so that the gates decide the loudness. */
static Signal make_sparse(int rate, double seconds)
{
    Signal s = {"sparse", rate, 2, (size_t)(seconds * rate), NULL, {0, 0, 0}, {0}};
    s.x = unit_xcalloc(2 * s.n, sizeof(float));
    double lp[2] = {0, 0};
    for (size_t i = 0; i < s.n; i++) {
        const double t = (double)i / rate;
        const double ph = fmod(t, 4.0);
        const double on = ph < 0.7 ? sin(PI * ph / 0.7) : 0.0;
        const int k = (int)(t / 4.0);
        for (int c = 0; c < 2; c++) {
            lp[c] = 0.7 * lp[c] + 0.3 * (double)unit_rand_float();
            const double tone = sin(2 * PI * (c ? 330.0 : 220.0) * (1 + 0.25 * (k % 3)) * t);
            const double v = on * (0.4 * lp[c] + 0.25 * tone) * (k % 2 ? 0.5 : 1.0);
            s.x[2 * i + (size_t)c] = (float)(v + 5e-5 * (double)unit_rand_float());
        }
    }
    signal_scale_peak(&s, pow(10.0, -20.0 / 20.0));
    return s;
}

/* Hot: a bass-heavy mix (40-60 Hz, kick-like hits, a little noise) peaking at exactly 0 dBFS. */
static Signal make_hot(int rate, double seconds)
{
    Signal s = {"hot", rate, 2, (size_t)(seconds * rate), NULL, {0, 0, 0}, {0}};
    s.x = unit_xcalloc(2 * s.n, sizeof(float));
    for (size_t i = 0; i < s.n; i++) {
        const double t = (double)i / rate;
        const double beat = fmod(t, 0.5);
        const double kick =
            exp(-beat / 0.12) * sin(2 * PI * (45.0 + 60.0 * exp(-beat / 0.03)) * beat);
        for (int c = 0; c < 2; c++) {
            const double sub = 0.5 * sin(2 * PI * (c ? 41.2 : 55.0) * t);
            const double hat = 0.1 * (double)unit_rand_float() * exp(-fmod(t + 0.25, 0.25) / 0.01);
            s.x[2 * i + (size_t)c] = (float)(kick + sub + hat + 0.15 * sin(2 * PI * 220 * t));
        }
    }
    signal_scale_peak(&s, 1.0);
    return s;
}

static Signal make_sine(const char *name, int rate, int n_channels, double seconds, double hz,
                        double dbfs)
{
    Signal s = {name, rate, n_channels, (size_t)(seconds * rate), NULL, {0, 0, 0}, {0}};
    s.x = unit_xcalloc((size_t)n_channels * s.n, sizeof(float));
    const double a = pow(10.0, dbfs / 20.0);
    for (size_t i = 0; i < s.n; i++)
        for (int c = 0; c < n_channels; c++)
            s.x[(size_t)n_channels * i + (size_t)c] =
                (float)(a * sin(2 * PI * hz * (double)i / rate));
    return s;
}

/* ------------------------------------------------------------------ 1. accuracy */

#define N_LEVEL_PROFILES 5
static const char *const level_names[N_LEVEL_PROFILES] = {
    "reference", "sony-mdr-7506", "sennheiser-hd-650", "speakers", "room-ir"};

static void test_accuracy(CansimProfile *const *profiles, Signal *inputs, int n_inputs)
{
    static const CansimFormat formats[3] = {CANSIM_FORMAT_WAV16, CANSIM_FORMAT_FLAC24,
                                            CANSIM_FORMAT_WAV32F};
    static const char *const exts[3] = {"wav", "flac", "wav"};
    double worst[3][N_LEVEL_PROFILES] = {{0}};
    double worst_report[3] = {0};
    int n_limited = 0;
    double max_tp[3] = {-(double)INFINITY, -(double)INFINITY, -(double)INFINITY};
    for (int fi = 0; fi < 3; fi++)
        for (int mode = 0; mode < 2; mode++) {
            CansimRender *r =
                open_render(profiles, N_LEVEL_PROFILES, formats[fi],
                            mode ? CANSIM_LEVEL_TARGET : CANSIM_LEVEL_MATCH, -14.0, false, -1.0, 0);
            if (!r)
                continue;
            for (int k = 0; k < n_inputs; k++) {
                const Signal *in = &inputs[k];
                char out_dir[8400];
                snprintf(out_dir, sizeof out_dir, "%s/acc-%s-%d", tmp_dir,
                         cansim_format_name(formats[fi]), mode);
                CansimOutputResult res[N_LEVEL_PROFILES];
                if (!render(r, in->path, out_dir, N_LEVEL_PROFILES, res))
                    continue;
                const double target = mode ? -14.0 : in->lv.lufs;
                for (int j = 0; j < N_LEVEL_PROFILES; j++) {
                    const CansimOutputResult *o = &res[j];
                    char path[8600];
                    SF_INFO info;
                    float *y = read_output(path, sizeof path, out_dir, in->name, level_names[j],
                                           exts[fi], &info);
                    if (!y)
                        continue;
                    const Level lv = meter(y, (size_t)info.frames, info.channels, info.samplerate);
                    free(y);
                    const double err = lv.lufs - target;
                    const char *what = cansim_format_name(formats[fi]);
                    if (lv.tp_db > max_tp[fi])
                        max_tp[fi] = lv.tp_db;
                    /* The curve profiles leave the inputs enough headroom; the reverberant
                     * impulse response may not at -14 LUFS (it raises the crest factor), and a
                     * limited output must then sit at the full-scale guard, under the target. */
                    if (o->is_limited) {
                        n_limited++;
                        CHECK(j == 4,
                              "%s %s %s %s: limited (true peak %.2f dBTP); the curve "
                              "profiles leave headroom",
                              what, mode ? "-14" : "match", in->name, level_names[j], lv.tp_db);
                        CHECK(formats[fi] != CANSIM_FORMAT_WAV32F && lv.tp_db >= -0.2 &&
                                  lv.tp_db <= 0.0 && err < 0.0,
                              "%s %s %s %s: limited at %.3f dBTP, %.3f LUFS for %.3f", what,
                              mode ? "-14" : "match", in->name, level_names[j], lv.tp_db, lv.lufs,
                              target);
                    } else {
                        if (fabs(err) > worst[fi][j] || !isfinite(err))
                            worst[fi][j] = isfinite(err) ? fabs(err) : (double)INFINITY;
                        CHECK(fabs(err) <= LU_TOL,
                              "%s %s %s %s: output %.3f LUFS, target %.3f (error %+.3f LU > %.1f)",
                              what, mode ? "-14" : "match", in->name, level_names[j], lv.lufs,
                              target, err, LU_TOL);
                    }
                    /* The library's numbers agree with the independent measurement. */
                    CHECK(fabs(o->input_lufs - in->lv.lufs) <= 0.01,
                          "%s: reported input %.3f LUFS, measured %.3f", path, o->input_lufs,
                          in->lv.lufs);
                    CHECK(fabs(o->target_lufs - target) <= 0.01,
                          "%s: reported target %.3f, want %.3f", path, o->target_lufs, target);
                    const double rep_err = fabs(o->loudness_lufs - lv.lufs);
                    if (rep_err > worst_report[fi])
                        worst_report[fi] = rep_err;
                    CHECK(rep_err <= (o->is_measured ? 0.02 : LU_TOL),
                          "%s: reported %.3f LUFS, measured %.3f", path, o->loudness_lufs, lv.lufs);
                    const bool is_int = formats[fi] != CANSIM_FORMAT_WAV32F;
                    /* Every format keeps the prediction (integer outputs' true peak is
                     * tracked), but is measured when the filter is long (a room), as room-ir
                     * is, and may be where the gating puts the prediction in doubt, as
                     * sparse's phrases do (level_gate.c). */
                    const bool is_long = j == 4;     /* room-ir */
                    const bool may_measure = k == 1; /* sparse */
                    CHECK((may_measure ? o->is_measured || !is_long : o->is_measured == is_long) &&
                              o->is_true_peak == is_int,
                          "%s: is_measured %d, is_true_peak %d", path, o->is_measured,
                          o->is_true_peak);
                    const double peak = is_int ? lv.tp_db : lv.sp_db;
                    CHECK(fabs(o->peak_db - peak) <= (is_int ? 0.05 : 0.001),
                          "%s: reported peak %.3f dB, measured %.3f", path, o->peak_db, peak);
                    CHECK(!o->is_below_gate, "%s: is_below_gate for a loud input", path);
                    CHECK(o->is_dithered == (formats[fi] == CANSIM_FORMAT_WAV16),
                          "%s: is_dithered %d", path, o->is_dithered);
                }
            }
            cansim_render_close(&r);
        }
    printf("1. worst |loudness - target| (LU) over {match, -14 LUFS} x {music, sparse}, "
           "outputs not limited (%d limited):\n",
           n_limited);
    printf("   %-18s %8s %8s %8s\n", "profile", "wav16", "flac24", "wav32f");
    for (int j = 0; j < N_LEVEL_PROFILES; j++)
        printf("   %-18s %8.4f %8.4f %8.4f\n", level_names[j], worst[0][j], worst[1][j],
               worst[2][j]);
    printf("   max true peak (dBTP): wav16 %.2f flac24 %.2f wav32f %.2f\n", max_tp[0], max_tp[1],
           max_tp[2]);
    printf("   worst |reported - measured| loudness (LU): wav16 %.4f flac24 %.4f wav32f %.4f\n",
           worst_report[0], worst_report[1], worst_report[2]);
}

/* ------------------------------------------------------------------ 2. level off */

static void test_level_off(CansimProfile *const *profiles, const Signal *music)
{
    CansimRender *r = open_render(profiles, N_LEVEL_PROFILES, CANSIM_FORMAT_WAV32F,
                                  CANSIM_LEVEL_OFF, -14.0, false, -1.0, 0);
    if (!r)
        return;
    char out_dir[8400];
    snprintf(out_dir, sizeof out_dir, "%s/off", tmp_dir);
    CansimOutputResult res[N_LEVEL_PROFILES];
    if (render(r, music->path, out_dir, N_LEVEL_PROFILES, res)) {
        float *mem[N_LEVEL_PROFILES];
        for (int j = 0; j < N_LEVEL_PROFILES; j++)
            mem[j] = unit_xcalloc(2 * music->n, sizeof(float));
        CansimDiag diag = {{0}};
        const int rc = cansim_render_buffer(r, music->x, 2, (int64_t)music->n, music->rate, mem,
                                            (int64_t)music->n, &diag);
        CHECK(rc == CANSIM_OK, "cansim_render_buffer: %d: %s", rc, diag.msg);
        printf("2. level off, music (%.2f LUFS): output - input loudness (LU):\n", music->lv.lufs);
        for (int j = 0; j < N_LEVEL_PROFILES && rc == CANSIM_OK; j++) {
            char path[8600];
            SF_INFO info;
            float *y =
                read_output(path, sizeof path, out_dir, music->name, level_names[j], "wav", &info);
            if (!y)
                continue;
            double max_diff = 0.0;
            if (info.frames == (sf_count_t)music->n)
                for (size_t i = 0; i < 2 * music->n; i++) {
                    const double d = fabs((double)y[i] - (double)mem[j][i]);
                    max_diff = d > max_diff ? d : max_diff;
                }
            CHECK(info.frames == (sf_count_t)music->n && max_diff <= 1e-6,
                  "%s: differs from cansim_render_buffer by up to %g (%lld frames)", path, max_diff,
                  (long long)info.frames);
            const Level lf = meter(y, music->n, 2, music->rate);
            const Level lm = meter(mem[j], music->n, 2, music->rate);
            const double dl_file = lf.lufs - music->lv.lufs;
            const double dl_filter = lm.lufs - music->lv.lufs;
            CHECK(fabs(dl_file - dl_filter) <= 0.01,
                  "%s: level off changes loudness by %+.3f LU, the filter by %+.3f", path, dl_file,
                  dl_filter);
            CHECK(res[j].gain_db == 0.0 && res[j].correction_db == 0.0 && isnan(res[j].target_lufs),
                  "%s: level off reports gain %g dB, correction %g, target %g", path,
                  res[j].gain_db, res[j].correction_db, res[j].target_lufs);
            printf("   %-18s file %+7.3f  filter (render_buffer) %+7.3f  max |diff| %g\n",
                   level_names[j], dl_file, dl_filter, max_diff);
            free(y);
        }
        for (int j = 0; j < N_LEVEL_PROFILES; j++)
            free(mem[j]);
    }
    cansim_render_close(&r);

    /* An integer render at level off with the ceiling: the ceiling's analysis predicts the
     * outputs' loudness (no meter on them through short filters), within LU_TOL of the files. */
    r = open_render(profiles, N_LEVEL_PROFILES, CANSIM_FORMAT_WAV24, CANSIM_LEVEL_OFF, -14.0, true,
                    -1.0, 0);
    snprintf(out_dir, sizeof out_dir, "%s/off24", tmp_dir);
    if (r && render(r, music->path, out_dir, N_LEVEL_PROFILES, res)) {
        for (int j = 0; j < N_LEVEL_PROFILES; j++) {
            char path[8600];
            SF_INFO info;
            float *y =
                read_output(path, sizeof path, out_dir, music->name, level_names[j], "wav", &info);
            if (!y)
                continue;
            const Level lf = meter(y, (size_t)info.frames, 2, music->rate);
            CHECK(fabs(res[j].loudness_lufs - lf.lufs) <= LU_TOL,
                  "%s: level off, wav24: reported %.3f LUFS (%s), the file %.3f", path,
                  res[j].loudness_lufs, res[j].is_measured ? "measured" : "predicted", lf.lufs);
            printf("   %-18s wav24 at level off: reported %.3f (%s), file %.3f LUFS\n",
                   level_names[j], res[j].loudness_lufs,
                   res[j].is_measured ? "measured" : "predicted", lf.lufs);
            free(y);
        }
    }
    cansim_render_close(&r);

    /* 1 kHz through the designed curves at level off: 0 dB (the 1 kHz normalisation). */
    Signal sine = make_sine("sine1k", 48000, 2, 3.0, 1000.0, -20.0);
    signal_write(&sine, SF_FORMAT_WAV | SF_FORMAT_FLOAT, "wav");
    r = open_render(profiles, N_LEVEL_PROFILES, CANSIM_FORMAT_WAV32F, CANSIM_LEVEL_OFF, -14.0,
                    false, -1.0, 0);
    snprintf(out_dir, sizeof out_dir, "%s/off1k", tmp_dir);
    if (r && render(r, sine.path, out_dir, N_LEVEL_PROFILES, res)) {
        printf("   1 kHz sine at level off, RMS gain (dB), 1-2.5 s:\n");
        for (int j = 0; j < N_LEVEL_PROFILES; j++) {
            char path[8600];
            SF_INFO info;
            float *y =
                read_output(path, sizeof path, out_dir, "sine1k", level_names[j], "wav", &info);
            if (!y)
                continue;
            double ein = 0.0, eout = 0.0;
            for (size_t i = 48000; i < 120000; i++)
                for (int c = 0; c < 2; c++) {
                    ein += (double)sine.x[2 * i + (size_t)c] * (double)sine.x[2 * i + (size_t)c];
                    eout += (double)y[2 * i + (size_t)c] * (double)y[2 * i + (size_t)c];
                }
            const double g = 10.0 * log10(eout / ein);
            printf("   %-18s %+7.3f dB\n", level_names[j], g);
            /* Curve profiles without crossfeed are normalised to 0 dB at 1 kHz; speakers'
             * crossfeed and the impulse response are not curves normalised there. */
            if (j <= 2)
                CHECK(fabs(g) <= 0.1, "%s: 1 kHz comes out at %+.3f dB at level off", path, g);
            free(y);
        }
    }
    cansim_render_close(&r);
    free(sine.x);
}

/* ------------------------------------------------------------------ 3. ceiling */

static void test_ceiling(const Signal *hot)
{
    CansimProfile *p[2] = {load_profile("sony-mdr-7506"), load_profile("audio-technica-ath-m50x")};
    static const CansimFormat formats[5] = {CANSIM_FORMAT_WAV16, CANSIM_FORMAT_WAV24,
                                            CANSIM_FORMAT_FLAC16, CANSIM_FORMAT_FLAC24,
                                            CANSIM_FORMAT_WAV32F};
    static const char *const exts[5] = {"wav", "wav", "flac", "flac", "wav"};
    static const int bits[5] = {16, 24, 16, 24, 0};
    /* {has_ceiling, ceiling}: none (integer outputs are then held under full scale), -1, -3. */
    static const double ceilings[3] = {0.0, -1.0, -3.0};
    printf("3. hot input (sample peak %.2f dBFS, true peak %.2f dBTP, %.2f LUFS):\n", hot->lv.sp_db,
           hot->lv.tp_db, hot->lv.lufs);
    for (int ci = 0; ci < 3; ci++)
        for (int mode = 0; mode < 2; mode++)
            for (int fi = 0; fi < 5; fi++) {
                const bool has_ceiling = ci > 0;
                const double ceiling = has_ceiling ? ceilings[ci] : 0.0;
                CansimRender *r =
                    open_render(p, 2, formats[fi], mode ? CANSIM_LEVEL_TARGET : CANSIM_LEVEL_MATCH,
                                -8.0, has_ceiling, has_ceiling ? ceiling : -1.0, 0);
                if (!r)
                    continue;
                char out_dir[8400];
                snprintf(out_dir, sizeof out_dir, "%s/ceil-%d-%d-%d", tmp_dir, ci, mode, fi);
                CansimOutputResult res[2];
                const double target = mode ? -8.0 : hot->lv.lufs;
                if (render(r, hot->path, out_dir, 2, res))
                    for (int j = 0; j < 2; j++) {
                        char path[8600];
                        SF_INFO info;
                        float *y = read_output(path, sizeof path, out_dir, "hot",
                                               cansim_profile_id(p[j]), exts[fi], &info);
                        if (!y)
                            continue;
                        const Level lv = meter(y, (size_t)info.frames, 2, info.samplerate);
                        free(y);
                        const char *fname = cansim_format_name(formats[fi]);
                        char tag[256];
                        snprintf(tag, sizeof tag, "%s %s ceiling %s %s", fname,
                                 mode ? "-8 LUFS" : "match",
                                 has_ceiling ? (ci == 1 ? "-1" : "-3") : "none",
                                 cansim_profile_id(p[j]));
                        if (bits[fi]) {
                            const int64_t pk = int_peak(path, bits[fi]);
                            const int64_t fs = ((int64_t)1 << (bits[fi] - 1)) - 1;
                            CHECK(pk >= 0 && pk < fs,
                                  "%s: a sample reaches full scale (%lld of %lld)", tag,
                                  (long long)pk, (long long)fs);
                            const double limit = has_ceiling ? ceiling : 0.0;
                            CHECK(lv.tp_db <= limit + 0.1, "%s: true peak %.3f dBTP > %.1f + 0.1",
                                  tag, lv.tp_db, limit);
                            /* Not at the target: only because the ceiling held it down. */
                            if (lv.lufs < target - LU_TOL) {
                                CHECK(res[j].is_limited,
                                      "%s: %.2f LUFS for %.2f, not reported limited", tag, lv.lufs,
                                      target);
                                CHECK(lv.tp_db >= limit - 0.3,
                                      "%s: limited, but true peak %.2f "
                                      "is well under the ceiling %.1f",
                                      tag, lv.tp_db, limit);
                            }
                            if (!res[j].is_limited)
                                CHECK(fabs(lv.lufs - target) <= LU_TOL,
                                      "%s: %.3f LUFS, target %.3f", tag, lv.lufs, target);
                            CHECK(fabs(res[j].peak_db - lv.tp_db) <= 0.05,
                                  "%s: reported true peak %.3f, measured %.3f", tag, res[j].peak_db,
                                  lv.tp_db);
                            printf("   %-46s %7.2f LUFS  tp %6.2f dBTP  peak %lld/%lld%s\n", tag,
                                   lv.lufs, lv.tp_db, (long long)pk, (long long)fs,
                                   res[j].is_limited ? "  limited" : "");
                        } else {
                            /* Float: held under the same true-peak ceiling (libebur128 on the
                             * written file), and the result says it is a true peak. */
                            if (has_ceiling) {
                                CHECK(lv.tp_db <= ceiling + 0.1,
                                      "%s: true peak %.3f dBTP > %.1f + 0.1", tag, lv.tp_db,
                                      ceiling);
                                CHECK(res[j].is_true_peak &&
                                          fabs(res[j].peak_db - lv.tp_db) <= 0.05,
                                      "%s: reported peak %.3f (true peak %d), measured %.3f dBTP",
                                      tag, res[j].peak_db, res[j].is_true_peak, lv.tp_db);
                                if (lv.lufs < target - LU_TOL)
                                    CHECK(res[j].is_limited,
                                          "%s: %.2f LUFS for %.2f, not reported "
                                          "limited",
                                          tag, lv.lufs, target);
                                if (mode == 1)
                                    CHECK(res[j].is_limited,
                                          "%s: -8 LUFS from a 0 dBFS bass mix "
                                          "not limited",
                                          tag);
                            } else {
                                CHECK(!res[j].is_true_peak &&
                                          fabs(res[j].peak_db - lv.sp_db) <= 0.001,
                                      "%s: reported peak %.3f (true peak %d), sample peak %.3f",
                                      tag, res[j].peak_db, res[j].is_true_peak, lv.sp_db);
                            }
                            CHECK(fabs(res[j].loudness_lufs - lv.lufs) <= LU_TOL,
                                  "%s: reported %.3f LUFS, measured %.3f", tag,
                                  res[j].loudness_lufs, lv.lufs);
                            printf("   %-46s %7.2f LUFS  sp %6.2f dBFS  reported %.2f LUFS%s\n",
                                   tag, lv.lufs, lv.sp_db, res[j].loudness_lufs,
                                   res[j].is_limited ? "  limited" : "");
                        }
                        if (mode == 1 && bits[fi])
                            CHECK(res[j].is_limited,
                                  "%s: -8 LUFS from a 0 dBFS bass mix not limited", tag);
                    }
                cansim_render_close(&r);
            }
    cansim_profile_close(&p[0]);
    cansim_profile_close(&p[1]);
}

/* ------------------------------------------------------------------ 4. silence */

static bool files_equal_samples(const char *a, const char *b, double *max_diff)
{
    SF_INFO ia, ib;
    float *x = unit_read_audio(a, &ia);
    float *y = unit_read_audio(b, &ib);
    bool ok = x && y && ia.frames == ib.frames && ia.channels == ib.channels;
    *max_diff = 0.0;
    for (size_t i = 0; ok && i < (size_t)ia.frames * (size_t)ia.channels; i++) {
        const double d = fabs((double)x[i] - (double)y[i]);
        *max_diff = d > *max_diff ? d : *max_diff;
    }
    free(x);
    free(y);
    return ok && *max_diff == 0.0;
}

static void test_silence(CansimProfile *const *profiles)
{
    Signal zero = make_sine("digital-silence", 48000, 2, 4.0, 1000.0, -400.0);
    memset(zero.x, 0, 2 * zero.n * sizeof(float));
    Signal quiet = make_sine("sine-80dbfs", 48000, 2, 4.0, 1000.0, -80.0);
    signal_write(&zero, SF_FORMAT_WAV | SF_FORMAT_FLOAT, "wav");
    signal_write(&quiet, SF_FORMAT_WAV | SF_FORMAT_FLOAT, "wav");
    printf("4. silence: digital silence %.1f LUFS, -80 dBFS sine %.1f LUFS (measured here)\n",
           zero.lv.lufs, quiet.lv.lufs);
    CHECK(!(quiet.lv.lufs > -70.0), "the -80 dBFS sine meters %.2f LUFS, above the gate",
          quiet.lv.lufs);
    const Signal *ins[2] = {&zero, &quiet};
    static const CansimFormat formats[2] = {CANSIM_FORMAT_WAV32F, CANSIM_FORMAT_WAV16};
    for (int fi = 0; fi < 2; fi++) {
        CansimRender *off = open_render(profiles, N_LEVEL_PROFILES, formats[fi], CANSIM_LEVEL_OFF,
                                        -14.0, false, -1.0, 0);
        for (int mode = 0; mode < 2 && off; mode++) {
            CansimRender *r =
                open_render(profiles, N_LEVEL_PROFILES, formats[fi],
                            mode ? CANSIM_LEVEL_TARGET : CANSIM_LEVEL_MATCH, -14.0, true, -1.0, 0);
            for (int k = 0; k < 2 && r; k++) {
                char dir_off[8400], dir_lv[8400];
                snprintf(dir_off, sizeof dir_off, "%s/sil-off-%d", tmp_dir, fi);
                snprintf(dir_lv, sizeof dir_lv, "%s/sil-%d-%d", tmp_dir, fi, mode);
                CansimOutputResult ro[N_LEVEL_PROFILES], rl[N_LEVEL_PROFILES];
                if (!render(off, ins[k]->path, dir_off, N_LEVEL_PROFILES, ro) ||
                    !render(r, ins[k]->path, dir_lv, N_LEVEL_PROFILES, rl))
                    continue;
                for (int j = 0; j < N_LEVEL_PROFILES; j++) {
                    char tag[256];
                    snprintf(tag, sizeof tag, "%s %s %s %s", ins[k]->name,
                             cansim_format_name(formats[fi]), mode ? "-14" : "match",
                             level_names[j]);
                    CHECK(rl[j].is_below_gate, "%s: is_below_gate not set", tag);
                    CHECK(rl[j].gain_db == 0.0 && rl[j].correction_db == 0.0,
                          "%s: gain %g dB, correction %g dB; want 0", tag, rl[j].gain_db,
                          rl[j].correction_db);
                    CHECK(!rl[j].is_limited, "%s: limited", tag);
                    CHECK(!(rl[j].input_lufs > -70.0), "%s: reported input %.2f LUFS", tag,
                          rl[j].input_lufs);
                    double d;
                    CHECK(files_equal_samples(rl[j].path, ro[j].path, &d),
                          "%s: differs from the level-off output by up to %g", tag, d);
                }
            }
            cansim_render_close(&r);
        }
        cansim_render_close(&off);
    }
    free(zero.x);
    free(quiet.x);
}

/* ------------------------------------------------------------------ 5. formats */

static void test_formats(CansimProfile *const *profiles)
{
    static const struct {
        CansimFormat f;
        const char *ext;
        int sf;
    } fmts[8] = {
        {CANSIM_FORMAT_WAV16, "wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16},
        {CANSIM_FORMAT_WAV24, "wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24},
        {CANSIM_FORMAT_WAV32F, "wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT},
        {CANSIM_FORMAT_FLAC16, "flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16},
        {CANSIM_FORMAT_FLAC24, "flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24},
        {CANSIM_FORMAT_AIFF16, "aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_16},
        {CANSIM_FORMAT_AIFF24, "aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_24},
        {CANSIM_FORMAT_SAME, NULL, 0},
    };
    /* Inputs: mono AIFF 24-bit and stereo FLAC 16-bit, so that "same" is not WAV. */
    static const int rates[2] = {44100, 48000};
    int n_ok = 0;
    double worst_pred = 0.0;
    for (int ri = 0; ri < 2; ri++)
        for (int ch = 1; ch <= 2; ch++) {
            Signal s = make_music(rates[ri], 1.5);
            char name[64];
            snprintf(name, sizeof name, "fmt-%d-%s", rates[ri], ch == 1 ? "mono" : "stereo");
            s.name = name;
            if (ch == 1) {
                for (size_t i = 0; i < s.n; i++)
                    s.x[i] = 0.5f * (s.x[2 * i] + s.x[2 * i + 1]);
                s.n_channels = 1;
            }
            const int in_sf =
                ch == 1 ? SF_FORMAT_AIFF | SF_FORMAT_PCM_24 : SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
            signal_write(&s, in_sf, ch == 1 ? "aiff" : "flac");
            for (int fi = 0; fi < 8; fi++) {
                CansimRender *r = open_render(profiles, N_LEVEL_PROFILES, fmts[fi].f,
                                              CANSIM_LEVEL_MATCH, -14.0, true, -1.0, 0);
                if (!r)
                    continue;
                char out_dir[8400];
                snprintf(out_dir, sizeof out_dir, "%s/fmt-%d", tmp_dir, fi);
                CansimOutputResult res[N_LEVEL_PROFILES];
                const int want_sf = fmts[fi].sf ? fmts[fi].sf : in_sf;
                const char *ext = fmts[fi].ext ? fmts[fi].ext : (ch == 1 ? "aiff" : "flac");
                if (render(r, s.path, out_dir, N_LEVEL_PROFILES, res))
                    for (int j = 0; j < N_LEVEL_PROFILES; j++) {
                        char path[8600];
                        SF_INFO info;
                        float *y = read_output(path, sizeof path, out_dir, name, level_names[j],
                                               ext, &info);
                        if (!y)
                            continue;
                        const bool ok =
                            info.samplerate == rates[ri] && info.channels == 2 &&
                            info.frames == (sf_count_t)s.n &&
                            (info.format & (SF_FORMAT_TYPEMASK | SF_FORMAT_SUBMASK)) == want_sf &&
                            res[j].n_frames == (int64_t)s.n;
                        CHECK(ok,
                              "%s (%s): %d Hz, %d channels, %lld frames (result %lld), format "
                              "%#x; want %d Hz, 2, %zu, %#x",
                              path, cansim_format_name(fmts[fi].f), info.samplerate, info.channels,
                              (long long)info.frames, (long long)res[j].n_frames, info.format,
                              rates[ri], s.n, want_sf);
                        if (fmts[fi].f != CANSIM_FORMAT_SAME)
                            CHECK(!strcmp(res[j].format, cansim_format_name(fmts[fi].f)),
                                  "%s: result format \"%s\", want \"%s\"", path, res[j].format,
                                  cansim_format_name(fmts[fi].f));
                        n_ok += ok;
                        /* A short input (1.5 s) still meets the target. */
                        const Level lv = meter(y, (size_t)info.frames, 2, info.samplerate);
                        /* (Predicted float outputs are held to it in test 1.) */
                        if (res[j].is_measured)
                            CHECK(res[j].is_limited || fabs(lv.lufs - s.lv.lufs) <= LU_TOL,
                                  "%s: %.3f LUFS, input %.3f", path, lv.lufs, s.lv.lufs);
                        else if (fabs(lv.lufs - s.lv.lufs) > worst_pred)
                            worst_pred = fabs(lv.lufs - s.lv.lufs);
                        free(y);
                    }
                cansim_render_close(&r);
            }
            free(s.x);
        }
    printf("5. formats: %d of %d outputs round-trip (8 formats x 5 profiles x {44.1, 48 kHz} x "
           "{mono, stereo}); worst predicted (float) 1.5 s output error %.3f LU\n",
           n_ok, 8 * N_LEVEL_PROFILES * 4, worst_pred);
}

/* ------------------------------------------------------------------ 6. dither */

static void test_dither(CansimProfile *const *profiles, const Signal *music)
{
    /* Reproducible: twice at the default thread count, then at 1 and 2 threads. */
    static const int threads[4] = {0, 0, 1, 2};
    char dirs[4][8400];
    for (int t = 0; t < 4; t++) {
        CansimRender *r = open_render(profiles, N_LEVEL_PROFILES, CANSIM_FORMAT_WAV16,
                                      CANSIM_LEVEL_MATCH, -14.0, true, -1.0, threads[t]);
        snprintf(dirs[t], sizeof dirs[t], "%s/dither-%d", tmp_dir, t);
        CansimOutputResult res[N_LEVEL_PROFILES];
        if (r)
            render(r, music->path, dirs[t], N_LEVEL_PROFILES, res);
        cansim_render_close(&r);
    }
    for (int j = 0; j < N_LEVEL_PROFILES; j++)
        for (int t = 1; t < 4; t++) {
            char a[8600], b[8600];
            snprintf(a, sizeof a, "%s/%s/%s.wav", dirs[0], music->name, level_names[j]);
            snprintf(b, sizeof b, "%s/%s/%s.wav", dirs[t], music->name, level_names[j]);
            CHECK(unit_same_bytes(a, b), "%s and %s (threads %d and %d) differ", a, b, threads[0],
                  threads[t]);
        }

    /* Level: TPDF dither of +-1 LSB (core/loudness.c: the difference of two uniforms on [0, 1)
     * times 2^-15) has variance LSB^2/6, and with it the rounding error is independent of the
     * signal with variance LSB^2/12: the total error out16 - exact has RMS LSB * sqrt(1/6 +
     * 1/12) = LSB / 2, -96.33 dBFS. -90 and -100 dBFS sines (1.04 and 0.33 LSB) through the flat
     * reference; -100 dBFS would round to all zeros without dither. */
    CansimProfile *ref[1] = {profiles[0]};
    static const double levels[2] = {-90.0, -100.0};
    const double lsb = 1.0 / 32768.0;
    for (int k = 0; k < 2; k++) {
        char name[64];
        snprintf(name, sizeof name, "sine%.0f", -levels[k]);
        Signal s = make_sine(name, 48000, 2, 4.0, 997.0, levels[k]);
        s.name = name;
        signal_write(&s, SF_FORMAT_WAV | SF_FORMAT_FLOAT, "wav");
        char d16[8400], d32[8400];
        snprintf(d16, sizeof d16, "%s/dq16-%d", tmp_dir, k);
        snprintf(d32, sizeof d32, "%s/dq32-%d", tmp_dir, k);
        CansimRender *r16 =
            open_render(ref, 1, CANSIM_FORMAT_WAV16, CANSIM_LEVEL_MATCH, -14.0, true, -1.0, 0);
        CansimRender *r32 =
            open_render(ref, 1, CANSIM_FORMAT_WAV32F, CANSIM_LEVEL_OFF, -14.0, false, -1.0, 0);
        CansimOutputResult a, b;
        if (r16 && r32 && render(r16, s.path, d16, 1, &a) && render(r32, s.path, d32, 1, &b)) {
            SF_INFO ia, ib;
            float *x = unit_read_audio(a.path, &ia);
            float *y = unit_read_audio(b.path, &ib);
            if (x && y && ia.frames == ib.frames) {
                const size_t n = 2 * (size_t)ia.frames;
                size_t n_zero = 0;
                double e2 = 0.0, s2 = 0.0, mean = 0.0, emax = 0.0;
                for (size_t i = 0; i < n; i++) {
                    n_zero += x[i] == 0.0f;
                    const double d = (double)x[i] - (double)y[i];
                    e2 += d * d;
                    mean += d;
                    s2 += (double)x[i] * (double)x[i];
                    emax = fabs(d) > emax ? fabs(d) : emax;
                }
                const double err_lsb = sqrt(e2 / (double)n) / lsb;
                const double rms_db = 10.0 * log10(s2 / (double)n);
                const double want_db =
                    10.0 * log10(pow(10.0, levels[k] / 10.0) / 2.0 + lsb * lsb / 4.0);
                printf("6. %.0f dBFS sine to wav16: %zu of %zu samples zero, error RMS %.3f LSB "
                       "(want 0.5), max %.2f LSB, mean %+.4f LSB, output RMS %.2f dBFS (want "
                       "%.2f)\n",
                       levels[k], n_zero, n, err_lsb, emax / lsb, mean / (double)n / lsb, rms_db,
                       want_db);
                CHECK(a.is_dithered && a.is_below_gate, "%s: is_dithered %d, is_below_gate %d",
                      a.path, a.is_dithered, a.is_below_gate);
                /* Without dither a sine this quiet rounds to silence; with TPDF dither about
                 * three quarters of the samples round to zero (|x| < 0.5 LSB), not all. */
                CHECK(n_zero < n - n / 10, "%s: %zu of %zu samples are zero: no dither?", a.path,
                      n_zero, n);
                /* The dither's own level: the error's spread (its mean removed). */
                const double m = mean / (double)n / lsb;
                const double sd = sqrt(err_lsb * err_lsb - m * m);
                CHECK(fabs(sd - 0.5) <= 0.05,
                      "%s: error standard deviation %.3f LSB, want 0.5 "
                      "+- 0.05",
                      a.path, sd);
                /* Rounding to nearest after TPDF dither: zero mean, |error| < 1.5 LSB. */
                CHECK(fabs(m) <= 0.02, "%s: error mean %+.4f LSB, want 0 (rounding to nearest)",
                      a.path, m);
                CHECK(emax <= 1.5 * lsb + 1e-9,
                      "%s: error up to %.2f LSB (dither + rounding "
                      "stay within 1.5)",
                      a.path, emax / lsb);
            } else {
                CHECK(false, "%s / %s: unreadable or lengths differ", a.path, b.path);
            }
            free(x);
            free(y);
        }
        cansim_render_close(&r16);
        cansim_render_close(&r32);
        free(s.x);
    }
}

/* ------------------------------------------------------------------ 6. level not reached */

/* A profile whose filtered signal is under the -70 LUFS gate before gain (a -60 dB filter on a
 * -55 LUFS input) cannot be measured, so it stays at the filter's own gain: its result says so
 * (CANSIM_ELEVEL notice and a diag naming the gate) while the other profile reaches the target;
 * an input under the gate with a target says so too. */
static void test_unmatched(void)
{
    const float unity = 1.0f, quiet = 0.001f;
    const float *c1[4] = {&unity, NULL, NULL, &unity};
    const float *c2[4] = {&quiet, NULL, NULL, &quiet};
    CansimProfile *p[2] = {NULL, NULL};
    CansimDiag diag = {{0}};
    CHECK(cansim_profile_from_taps(&p[0], "unity", 48000, 1, c1, &diag) == CANSIM_OK &&
              cansim_profile_from_taps(&p[1], "minus60", 48000, 1, c2, &diag) == CANSIM_OK,
          "profiles: %s", diag.msg);
    Signal in = make_music(48000, 6.0);
    in.name = "quiet-music";
    signal_write(&in, SF_FORMAT_WAV | SF_FORMAT_FLOAT, "wav");
    const double g = pow(10.0, (-55.0 - in.lv.lufs) / 20.0);
    for (size_t i = 0; i < 2 * in.n; i++)
        in.x[i] = (float)((double)in.x[i] * g);
    signal_write(&in, SF_FORMAT_WAV | SF_FORMAT_FLOAT, "wav");
    Signal low = make_sine("below-gate", 48000, 2, 4.0, 1000.0, -80.0);
    signal_write(&low, SF_FORMAT_WAV | SF_FORMAT_FLOAT, "wav");
    printf("6. level not reached: input %.2f LUFS through unity and -60 dB\n", in.lv.lufs);
    static const CansimFormat formats[2] = {CANSIM_FORMAT_WAV16, CANSIM_FORMAT_WAV32F};
    for (int fi = 0; fi < 2 && p[0] && p[1]; fi++)
        for (int mode = 0; mode < 2; mode++) {
            CansimRender *r =
                open_render(p, 2, formats[fi], mode ? CANSIM_LEVEL_TARGET : CANSIM_LEVEL_MATCH,
                            -14.0, true, -1.0, 0);
            if (!r)
                continue;
            char out_dir[8400], tag[128];
            snprintf(out_dir, sizeof out_dir, "%s/unmatched-%d-%d", tmp_dir, fi, mode);
            snprintf(tag, sizeof tag, "%s %s", cansim_format_name(formats[fi]),
                     mode ? "-14 LUFS" : "match");
            CansimOutputResult res[2];
            if (render(r, in.path, out_dir, 2, res)) {
                const double target = mode ? -14.0 : in.lv.lufs;
                SF_INFO info;
                float *y = unit_read_audio(res[0].path, &info);
                if (y) {
                    const Level lv = meter(y, (size_t)info.frames, 2, info.samplerate);
                    CHECK(fabs(lv.lufs - target) <= LU_TOL && res[0].notice == CANSIM_OK,
                          "%s unity: %.2f LUFS for %.2f, notice %d", tag, lv.lufs, target,
                          res[0].notice);
                    free(y);
                }
                CHECK(res[1].notice == CANSIM_ELEVEL && strstr(res[1].diag.msg, "-70 LUFS gate"),
                      "%s -60 dB: notice %d (%s), diag \"%s\"; want CANSIM_ELEVEL", tag,
                      res[1].notice, cansim_strerror(res[1].notice), res[1].diag.msg);
                CHECK(res[1].status == CANSIM_OK && res[1].n_frames == (int64_t)in.n,
                      "%s -60 dB: status %d, %lld frames", tag, res[1].status,
                      (long long)res[1].n_frames);
            }
            /* An input under the gate: with a target, not reached; matched, nothing to match. */
            char out_low[8400];
            snprintf(out_low, sizeof out_low, "%s/unmatched-low-%d-%d", tmp_dir, fi, mode);
            if (render(r, low.path, out_low, 2, res))
                for (int j = 0; j < 2; j++)
                    CHECK(res[j].is_below_gate &&
                              res[j].notice == (mode ? CANSIM_ELEVEL : CANSIM_OK),
                          "%s below-gate input, profile %d: below gate %d, notice %d (%s)", tag, j,
                          res[j].is_below_gate, res[j].notice, res[j].diag.msg);
            cansim_render_close(&r);
        }
    /* Just above the gate (-68 LUFS) a float output's level is measured, not predicted: it
     * is at the target, and the result reports what the file holds. */
    Signal near = make_music(48000, 6.0);
    near.name = "near-gate";
    signal_write(&near, SF_FORMAT_WAV | SF_FORMAT_FLOAT, "wav");
    const double gn = pow(10.0, (-68.0 - near.lv.lufs) / 20.0);
    for (size_t i = 0; i < 2 * near.n; i++)
        near.x[i] = (float)((double)near.x[i] * gn);
    signal_write(&near, SF_FORMAT_WAV | SF_FORMAT_FLOAT, "wav");
    CansimRender *r =
        p[0] ? open_render(p, 1, CANSIM_FORMAT_WAV32F, CANSIM_LEVEL_TARGET, -14.0, true, -1.0, 0)
             : NULL;
    char out_near[8400];
    snprintf(out_near, sizeof out_near, "%s/unmatched-near", tmp_dir);
    CansimOutputResult rn[1];
    if (r && render(r, near.path, out_near, 1, rn)) {
        SF_INFO info;
        float *y = unit_read_audio(rn[0].path, &info);
        if (y) {
            const Level lv = meter(y, (size_t)info.frames, 2, info.samplerate);
            CHECK((fabs(lv.lufs + 14.0) <= LU_TOL || rn[0].notice == CANSIM_ELEVEL) &&
                      fabs(rn[0].loudness_lufs - lv.lufs) <= LU_TOL,
                  "input at %.2f LUFS to -14: output %.3f LUFS, reported %.3f, notice %d",
                  near.lv.lufs, lv.lufs, rn[0].loudness_lufs, rn[0].notice);
            free(y);
        }
    }
    /* A gain group: the plan on the members' sum fails the same way, for every member. */
    if (r) {
        const char *inputs[2] = {in.path, near.path};
        char gdir[8400];
        snprintf(gdir, sizeof gdir, "%s/unmatched-group", tmp_dir);
        const char *dirs[2] = {gdir, gdir};
        cansim_render_close(&r);
        r = open_render(p, 2, CANSIM_FORMAT_WAV24, CANSIM_LEVEL_TARGET, -14.0, true, -1.0, 0);
        CansimOutputResult ra[2], rb[2];
        CansimOutputResult *res[2] = {ra, rb};
        double gain[2];
        int mstatus[2];
        CansimDiag mdiag[2];
        CansimGroupResult grp = {.gain_db = gain, .member_status = mstatus, .member_diag = mdiag};
        const int rc = r ? cansim_render_group(r, inputs, dirs, 2, NULL, res, &grp, &diag) : -1;
        CHECK(rc == CANSIM_OK, "group: %d: %s", rc, diag.msg);
        for (int i = 0; i < 2 && rc == CANSIM_OK; i++)
            CHECK(res[i][0].notice == CANSIM_OK && res[i][1].notice == CANSIM_ELEVEL &&
                      strstr(res[i][1].diag.msg, "-70 LUFS gate"),
                  "group member %d: notices %d (unity) and %d (-60 dB): \"%s\"", i,
                  res[i][0].notice, res[i][1].notice, res[i][1].diag.msg);
    }
    cansim_render_close(&r);
    free(near.x);
    cansim_profile_close(&p[0]);
    cansim_profile_close(&p[1]);
    free(in.x);
    free(low.x);
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 7);
    unit_make_tmp_dir(tmp_dir, sizeof tmp_dir, "cansim-level-");
    design = cansim_design_default_config();
    design.targets_dir = CANSIM_PROFILE_DIR "/targets";

    CansimProfile *profiles[N_LEVEL_PROFILES];
    for (int j = 0; j < 4; j++)
        profiles[j] = load_profile(level_names[j]);
    profiles[4] = make_ir_profile();

    Signal music = make_music(48000, 24.0);
    Signal sparse = make_sparse(48000, 24.0);
    Signal hot = make_hot(48000, 12.0);
    signal_write(&music, SF_FORMAT_WAV | SF_FORMAT_FLOAT, "wav");
    signal_write(&sparse, SF_FORMAT_WAV | SF_FORMAT_FLOAT, "wav");
    signal_write(&hot, SF_FORMAT_WAV | SF_FORMAT_FLOAT, "wav");
    printf("inputs: music %.2f LUFS tp %.2f dBTP; sparse %.2f LUFS tp %.2f dBTP; hot %.2f LUFS "
           "tp %.2f dBTP\n",
           music.lv.lufs, music.lv.tp_db, sparse.lv.lufs, sparse.lv.tp_db, hot.lv.lufs,
           hot.lv.tp_db);

    Signal inputs[2] = {music, sparse};
    test_accuracy(profiles, inputs, 2);
    test_level_off(profiles, &music);
    test_ceiling(&hot);
    test_silence(profiles);
    test_formats(profiles);
    test_dither(profiles, &music);
    test_unmatched();

    for (int j = 0; j < N_LEVEL_PROFILES; j++)
        cansim_profile_close(&profiles[j]);
    free(music.x);
    free(sparse.x);
    free(hot.x);
    unit_remove_tree(tmp_dir);
    return unit_finish("test_level");
}

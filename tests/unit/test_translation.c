/* SPDX-License-Identifier: MIT */
/* The translation report against the files it describes: band energies measured here from the
 * written outputs (FFTW in double over the whole file, not the library's spectra) agree with
 * the report; a test bell shows where it is; the reference shows nothing; a sibilant burst is
 * found; the report is the same at any thread count; with the level off it is there, at the
 * filters' own gain; a gain group's members and their sum each have theirs. */
#define _POSIX_C_SOURCE 200809L
#include <cansim/cansim.h>
#include <fftw3.h>
#include <math.h>
#include <stdbool.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "unit_files.h"

#define RATE   48000
#define PI     3.14159265358979323846
#define N_FFT  8192
#define N_TAPS 16384

static char g_dir[4096];

/* RBJ peaking equaliser (gain_db at f0, quality q) as an FIR: its impulse response. */
static float *bell_taps(double f0, double gain_db, double q)
{
    const double a = pow(10.0, gain_db / 40.0), w0 = 2.0 * PI * f0 / RATE;
    const double alpha = sin(w0) / (2.0 * q);
    const double a0 = 1.0 + alpha / a;
    const double b0 = (1.0 + alpha * a) / a0, b1 = -2.0 * cos(w0) / a0, b2 = (1.0 - alpha * a) / a0;
    const double a1 = -2.0 * cos(w0) / a0, a2 = (1.0 - alpha / a) / a0;
    float *h = unit_xcalloc(N_TAPS, sizeof *h);
    double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    for (size_t i = 0; i < N_TAPS; i++) {
        const double x = i == 0 ? 1.0 : 0.0;
        const double y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
        x2 = x1, x1 = x, y2 = y1, y1 = y;
        h[i] = (float)y;
    }
    return h;
}

static CansimProfile *bell_profile(const char *id, double f0, double gain_db, double q)
{
    float *h = bell_taps(f0, gain_db, q);
    const float *cells[4] = {h, NULL, NULL, h};
    CansimProfile *p = NULL;
    CansimDiag d;
    const int e = cansim_profile_from_taps(&p, id, RATE, N_TAPS, cells, &d);
    CHECK(!e, "profile %s: %s", id, d.msg);
    free(h);
    return p;
}

static CansimProfile *bundled(const char *id)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.ini", CANSIM_PROFILE_DIR, id);
    CansimProfile *p = NULL;
    CansimDiag d;
    const int e = cansim_profile_load(&p, path, &d);
    CHECK(!e, "load %s: %s", id, d.msg);
    return p;
}

/* A renderer of p with the translation, float outputs, the level mode given, no ceiling. */
static CansimRender *open_render(CansimProfile *const *p, size_t n, int n_threads,
                                 CansimLevelMode mode, bool has_translation)
{
    static CansimDesignConfig design;
    design = cansim_design_default_config();
    design.targets_dir = CANSIM_PROFILE_DIR "/targets";
    CansimRenderConfig cfg = cansim_render_default_config();
    cfg.profiles = (const CansimProfile *const *)p;
    cfg.n_profiles = n;
    cfg.engine.n_threads = n_threads;
    cfg.level.mode = mode;
    cfg.output.format = CANSIM_FORMAT_WAV32F;
    cfg.level.has_translation = has_translation;
    cfg.design = &design;
    CansimRender *r = NULL;
    CansimDiag d;
    const int e = cansim_render_open(&r, &cfg, &d);
    CHECK(!e, "render_open: %s", d.msg);
    if (e)
        exit(1);
    return r;
}

/* Renders mix through p (level mode, float outputs) at n_threads; results has n entries. */
static void render_mode(const char *mix, CansimProfile *const *p, size_t n, int n_threads,
                        CansimLevelMode mode, bool has_translation, CansimOutputResult *res)
{
    CansimRender *r = open_render(p, n, n_threads, mode, has_translation);
    CansimDiag d;
    const int e = cansim_render_file(r, mix, g_dir, NULL, res, &d);
    CHECK(!e, "render %s: %s", mix, d.msg);
    cansim_render_close(&r);
}

/* Level matched, with the translation. */
static void render(const char *mix, CansimProfile *const *p, size_t n, int n_threads,
                   CansimOutputResult *res)
{
    render_mode(mix, p, n, n_threads, CANSIM_LEVEL_MATCH, true, res);
}

/* Energy per band of a file (both channels), Hann-windowed frames with half overlap. */
static void measure_bands(const char *path, double band[CANSIM_N_BANDS])
{
    SF_INFO info;
    float *x = unit_read_audio(path, &info);
    memset(band, 0, CANSIM_N_BANDS * sizeof *band);
    if (!x)
        return;
    double *in = fftw_malloc(N_FFT * sizeof *in);
    fftw_complex *out = fftw_malloc((N_FFT / 2 + 1) * sizeof *out);
    fftw_plan plan = fftw_plan_dft_r2c_1d(N_FFT, in, out, FFTW_ESTIMATE);
    const int64_t n = info.frames;
    for (int ch = 0; ch < info.channels; ch++)
        for (int64_t s = -N_FFT / 2; s < n; s += N_FFT / 2) {
            for (int64_t i = 0; i < N_FFT; i++) {
                const int64_t t = s + i;
                const double w = 0.5 - 0.5 * cos(2.0 * PI * (double)i / N_FFT);
                in[i] = t >= 0 && t < n ? w * (double)x[t * info.channels + ch] : 0.0;
            }
            fftw_execute(plan);
            for (int k = 1; k <= N_FFT / 2; k++) {
                const double f = (double)k * info.samplerate / N_FFT;
                for (int b = 0; b < CANSIM_N_BANDS; b++) {
                    double lo, hi;
                    cansim_band_name(b, &lo, &hi);
                    if (f >= lo && f < hi)
                        band[b] += out[k][0] * out[k][0] + out[k][1] * out[k][1];
                }
            }
        }
    fftw_destroy_plan(plan);
    fftw_free(in);
    fftw_free(out);
    free(x);
}

/* One output's bands: measured change (output / input, with its gain, as written) against the
 * translation t, within 0.5 dB, in at least min_bands bands holding 10^-6 of the input. */
static void check_one(const char *mix, const double in[CANSIM_N_BANDS], const char *out_path,
                      const char *id, const CansimTranslation *t, int min_bands)
{
    double total = 0.0;
    for (int b = 0; b < CANSIM_N_BANDS; b++)
        total += in[b];
    CHECK(t->is_valid, "%s: %s: no translation", mix, id);
    double out[CANSIM_N_BANDS];
    measure_bands(out_path, out);
    int n_bands = 0;
    for (int b = 0; b < CANSIM_N_BANDS; b++) {
        if (in[b] < 1e-6 * total)
            continue;
        const double meas = 10.0 * log10(out[b] / in[b]);
        n_bands++;
        CHECK(fabs(meas - t->band_db[b]) <= 0.5, "%s: %s %s: report %+.2f dB, files %+.2f dB", mix,
              id, cansim_band_name(b, NULL, NULL), t->band_db[b], meas);
    }
    CHECK(n_bands >= min_bands, "%s: only %d bands measured", mix, n_bands);
}

/* Every band of every output against the files. */
static void check_against_files(const char *mix, CansimProfile *const *p, size_t n,
                                const CansimOutputResult *res)
{
    double in[CANSIM_N_BANDS];
    measure_bands(mix, in);
    for (size_t j = 0; j < n; j++)
        check_one(mix, in, res[j].path, cansim_profile_id(p[j]), &res[j].translation, 6);
}

/* The sample-wise sum of two stereo files of RATE (the shorter zero-extended) into out. */
static void sum_files(const char *a, const char *b, const char *out)
{
    SF_INFO ia, ib;
    float *x = unit_read_audio(a, &ia);
    float *y = unit_read_audio(b, &ib);
    const size_t n = (size_t)(ia.frames > ib.frames ? ia.frames : ib.frames);
    float *s = unit_xcalloc(2 * n + 1, sizeof *s);
    for (size_t i = 0; x && i < 2 * (size_t)ia.frames; i++)
        s[i] = x[i];
    for (size_t i = 0; y && i < 2 * (size_t)ib.frames; i++)
        s[i] += y[i];
    unit_write_audio(out, SF_FORMAT_WAV | SF_FORMAT_FLOAT, RATE, 2, s, (sf_count_t)n);
    free(x);
    free(y);
    free(s);
}

/* Bit for bit, field by field (a struct's padding is not its value). */
static bool same_moment(const CansimMoment *a, const CansimMoment *b)
{
    return a->band == b->band && !memcmp(&a->start_s, &b->start_s, sizeof a->start_s) &&
           !memcmp(&a->end_s, &b->end_s, sizeof a->end_s) &&
           !memcmp(&a->rise_db, &b->rise_db, sizeof a->rise_db);
}

static bool same_translation(const CansimTranslation *a, const CansimTranslation *b)
{
    bool is_same = a->is_valid == b->is_valid &&
                   !memcmp(a->band_db, b->band_db, sizeof a->band_db) &&
                   !memcmp(&a->overall_db, &b->overall_db, sizeof a->overall_db) &&
                   !memcmp(&a->side_db, &b->side_db, sizeof a->side_db);
    for (int k = 0; k < CANSIM_N_MOMENTS; k++)
        is_same = is_same && same_moment(&a->moments[k], &b->moments[k]);
    for (int k = 0; k < CANSIM_N_BANDS; k++)
        is_same = is_same && same_moment(&a->band_top[k], &b->band_top[k]);
    return is_same;
}

static void write_stereo(const char *path, const float *x, size_t n_frames)
{
    unit_write_audio(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, RATE, 2, x, (sf_count_t)n_frames);
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 16);
    if (argc < 2 || !strncmp(argv[1], "--", 2)) {
        fprintf(stderr, "usage: test_translation CANSIM_SYNTH [--seed=N]\n");
        return 2;
    }
    unit_make_tmp_dir(g_dir, sizeof g_dir, "cansim-translation-");
    char demo[4200], sparse[4200], tone[4200], sib[4200], cmd[9000];
    snprintf(demo, sizeof demo, "%s/demo.wav", g_dir);
    snprintf(sparse, sizeof sparse, "%s/sparse.wav", g_dir);
    snprintf(tone, sizeof tone, "%s/tone.wav", g_dir);
    snprintf(sib, sizeof sib, "%s/sibilant.wav", g_dir);
    snprintf(cmd, sizeof cmd, "'%s' mix '%s' --seconds 30 --rate %d", argv[1], demo, RATE);
    if (system(cmd)) {
        fprintf(stderr, "cannot run %s\n", cmd);
        return 99;
    }

    enum { REF, BELL, BRIGHT_A, BRIGHT_B, SONY, HD650, SPEAKERS, N_PROF };
    CansimProfile *p[N_PROF] = {
        bundled("reference"),
        bell_profile("bell-100hz", 100.0, 6.0, 3.0),
        bell_profile("bright-7k5", 7500.0, 8.0, 2.0),
        bell_profile("bright-7k4", 7400.0, 6.0, 3.0),
        bundled("sony-mdr-7506"),
        bundled("sennheiser-hd-650"),
        bundled("speakers"),
    };
    CansimOutputResult *res = unit_xcalloc(N_PROF, sizeof *res);
    CansimOutputResult *res2 = unit_xcalloc(N_PROF, sizeof *res2);

    /* The demo mix: files agree with the report; the reference is 0 everywhere. */
    render(demo, p, N_PROF, 2, res);
    check_against_files(demo, p, N_PROF, res);
    for (int b = 0; b < CANSIM_N_BANDS; b++)
        CHECK(fabs(res[REF].translation.band_db[b]) <= 0.1, "reference %s: %+.3f dB",
              cansim_band_name(b, NULL, NULL), res[REF].translation.band_db[b]);
    CHECK(isfinite(res[SPEAKERS].translation.side_db) && res[SPEAKERS].translation.side_db < -1.0,
          "speakers (crossfeed): side %+.2f dB relative to mid", res[SPEAKERS].translation.side_db);
    CHECK(isnan(res[SONY].translation.side_db), "no cross paths: side is not reported");

    /* The same report at 1 thread, byte for byte. */
    render(demo, p, N_PROF, 1, res2);
    for (size_t j = 0; j < N_PROF; j++)
        CHECK(same_translation(&res[j].translation, &res2[j].translation),
              "%s: the translation differs at 1 and 2 threads", cansim_profile_id(p[j]));
    CansimTranslation t[N_PROF];
    for (size_t j = 0; j < N_PROF; j++)
        t[j] = res[j].translation;
    size_t rank[N_PROF];
    CansimTranslationDrawer dr = {.rank = rank};
    CHECK(!cansim_translation_drawer(t, N_PROF, &dr), "drawer");
    CHECK(dr.n_ranked == N_PROF && rank[N_PROF - 1] == REF, "the reference ranks last");
    for (size_t k = 1; k < dr.n_ranked; k++)
        CHECK(t[rank[k - 1]].overall_db >= t[rank[k]].overall_db, "ranking in order");
    for (int b = 0; b < CANSIM_N_BANDS; b++)
        CHECK(fabs(dr.spread_db[b] - (t[dr.highest[b]].band_db[b] - t[dr.lowest[b]].band_db[b])) <
                  1e-12,
              "spread of %s", cansim_band_name(b, NULL, NULL));

    /* The level off without a ceiling (no level analysis): the translation is read on its own,
     * at the filters' own gain: the files agree, and it is the matched one (res2) without the
     * matched gain, its moments the same. Without has_translation, none. */
    {
        CansimOutputResult *off = unit_xcalloc(N_PROF, sizeof *off);
        render_mode(demo, p, N_PROF, 2, CANSIM_LEVEL_OFF, true, off);
        check_against_files(demo, p, N_PROF, off);
        for (size_t j = 0; j < N_PROF; j++) {
            const CansimTranslation *a = &off[j].translation, *m = &res2[j].translation;
            CHECK(off[j].gain_db == 0.0, "level off: %s gain %+.2f dB", cansim_profile_id(p[j]),
                  off[j].gain_db);
            for (int b = 0; b < CANSIM_N_BANDS; b++)
                CHECK(fabs(a->band_db[b] + res2[j].gain_db - m->band_db[b]) < 1e-9,
                      "level off: %s %s %+.4f dB, matched %+.4f dB at gain %+.4f dB",
                      cansim_profile_id(p[j]), cansim_band_name(b, NULL, NULL), a->band_db[b],
                      m->band_db[b], res2[j].gain_db);
            for (int k = 0; k < CANSIM_N_MOMENTS; k++)
                CHECK(same_moment(&a->moments[k], &m->moments[k]), "level off: %s moment %d",
                      cansim_profile_id(p[j]), k);
        }
        render_mode(demo, p, N_PROF, 2, CANSIM_LEVEL_OFF, false, off);
        for (size_t j = 0; j < N_PROF; j++)
            CHECK(!off[j].status && !off[j].translation.is_valid,
                  "without has_translation: %s has one", cansim_profile_id(p[j]));
        free(off);
    }

    /* A sparse mix: the demo in 4 s bursts between 8 s of silence. */
    {
        SF_INFO info;
        float *x = unit_read_audio(demo, &info);
        const size_t n = (size_t)info.frames;
        for (size_t i = 0; x && i < n; i++)
            if ((i / RATE) % 12 >= 4)
                x[2 * i] = x[2 * i + 1] = 0.0f;
        if (x)
            write_stereo(sparse, x, n);
        free(x);
        render(sparse, p, N_PROF, 2, res);
        check_against_files(sparse, p, N_PROF, res);
    }

    /* A 100 Hz tone in white noise through a +6 dB bell at 100 Hz: bass +6 dB over mid, the
     * rest level with mid. */
    {
        const size_t n = 20 * RATE;
        float *x = unit_xcalloc(2 * n, sizeof *x);
        for (size_t i = 0; i < n; i++) {
            const float s = 0.3f * (float)sin(2.0 * PI * 100.0 * (double)i / RATE);
            x[2 * i] = s + 0.05f * unit_rand_float();
            x[2 * i + 1] = s + 0.05f * unit_rand_float();
        }
        write_stereo(tone, x, n);
        free(x);
        render(tone, p, N_PROF, 2, res);
        const CansimTranslation *bt = &res[BELL].translation;
        const double mid = bt->band_db[3];
        CHECK(fabs(bt->band_db[1] - mid - 6.0) <= 0.5, "bell: bass %+.2f dB relative to mid",
              bt->band_db[1] - mid);
        for (int b = 0; b < CANSIM_N_BANDS; b++)
            if (b != 1)
                CHECK(fabs(bt->band_db[b] - mid) <= 0.5, "bell: %s %+.2f dB relative to mid",
                      cansim_band_name(b, NULL, NULL), bt->band_db[b] - mid);
        for (int b = 0; b < CANSIM_N_BANDS; b++)
            CHECK(fabs(res[REF].translation.band_db[b]) <= 0.1, "tone, reference %s: %+.3f dB",
                  cansim_band_name(b, NULL, NULL), res[REF].translation.band_db[b]);
    }

    /* A 3 s sibilant burst (7.2-7.8 kHz) at 20 s in steady noise: the bright profiles' top
     * brilliance moment is the burst, within one window. */
    {
        const size_t n = 40 * RATE;
        const double t0 = 20.0;
        float *x = unit_xcalloc(2 * n, sizeof *x);
        double f[50], ph[50];
        for (int k = 0; k < 50; k++) {
            f[k] = 7200.0 + 600.0 * (0.5 + 0.5 * (double)unit_rand_float());
            ph[k] = PI * (double)unit_rand_float();
        }
        for (size_t i = 0; i < n; i++) {
            const double ts = (double)i / RATE;
            double s = 0.2 * sin(2.0 * PI * 80.0 * ts);
            if (ts >= t0 && ts < t0 + 3.0)
                for (int k = 0; k < 50; k++)
                    s += 0.006 * sin(2.0 * PI * f[k] * ts + ph[k]);
            x[2 * i] = (float)s + 0.05f * unit_rand_float();
            x[2 * i + 1] = (float)s + 0.05f * unit_rand_float();
        }
        write_stereo(sib, x, n);
        free(x);
        render(sib, p, N_PROF, 2, res);
        for (int j = BRIGHT_A; j <= BRIGHT_B; j++) {
            const CansimMoment *m = &res[j].translation.band_top[6];
            CHECK(m->band == 6 && fabs(m->start_s - t0) <= CANSIM_MOMENT_S,
                  "%s: top brilliance moment at %.2f-%.2f s (%+.2f dB), the burst at %.1f s",
                  cansim_profile_id(p[j]), m->start_s, m->end_s, m->rise_db, t0);
            CHECK(m->rise_db > 1.0, "%s: the burst rises %+.2f dB", cansim_profile_id(p[j]),
                  m->rise_db);
        }
    }

    /* A gain group of two stems (the demo and a bass stem: the demo through a one-pole
     * low-pass at 300 Hz), level matched on their sum: each member's translation agrees with
     * its files at the group's gain, and the sum's (the song's) with the sum of the members'
     * outputs against the sum of the inputs. */
    {
        char gdir[4200], bass[4200], sum_in[4200], sum_out[4200];
        snprintf(gdir, sizeof gdir, "%s/group", g_dir);
        snprintf(bass, sizeof bass, "%s/bass.wav", g_dir);
        SF_INFO info;
        float *x = unit_read_audio(demo, &info);
        const double k = 1.0 - exp(-2.0 * PI * 300.0 / RATE);
        double yl = 0.0, yr = 0.0;
        for (size_t i = 0; x && i < (size_t)info.frames; i++) {
            yl += k * ((double)x[2 * i] - yl);
            yr += k * ((double)x[2 * i + 1] - yr);
            x[2 * i] = (float)(2.0 * yl);
            x[2 * i + 1] = (float)(2.0 * yr);
        }
        if (x)
            write_stereo(bass, x, (size_t)info.frames);
        free(x);
        const char *bass_stem = bass;
        snprintf(sum_in, sizeof sum_in, "%s/sum-in.wav", g_dir);
        snprintf(sum_out, sizeof sum_out, "%s/sum-out.wav", g_dir);
        CansimRender *r = open_render(p, N_PROF, 2, CANSIM_LEVEL_MATCH, true);
        const char *inputs[2] = {demo, bass_stem};
        const char *dirs[2] = {gdir, gdir};
        CansimOutputResult *const mres[2] = {res, res2};
        double gain[N_PROF];
        int mstatus[2];
        CansimDiag mdiag[2], d;
        CansimTranslation gt[N_PROF];
        CansimGroupResult g = {
            .gain_db = gain, .member_status = mstatus, .member_diag = mdiag, .translation = gt};
        const int e = cansim_render_group(r, inputs, dirs, 2, NULL, mres, &g, &d);
        CHECK(!e, "gain group: %s", d.msg);
        cansim_render_close(&r);
        double in_a[CANSIM_N_BANDS], in_b[CANSIM_N_BANDS], in_s[CANSIM_N_BANDS];
        measure_bands(demo, in_a);
        measure_bands(bass_stem, in_b);
        sum_files(demo, bass_stem, sum_in);
        measure_bands(sum_in, in_s);
        for (size_t j = 0; j < N_PROF && !e; j++) {
            const char *id = cansim_profile_id(p[j]);
            CHECK(res[j].gain_db == gain[j] && res2[j].gain_db == gain[j],
                  "gain group: %s members at %+.2f and %+.2f dB, the group's %+.2f dB", id,
                  res[j].gain_db, res2[j].gain_db, gain[j]);
            check_one("gain group, member demo", in_a, res[j].path, id, &res[j].translation, 6);
            check_one("gain group, member bass", in_b, res2[j].path, id, &res2[j].translation, 5);
            sum_files(res[j].path, res2[j].path, sum_out);
            check_one("gain group, sum", in_s, sum_out, id, &gt[j], 6);
        }
        /* The members differ from each other and from the sum: each is its own. */
        CHECK(fabs(res[SONY].translation.band_db[6] - res2[SONY].translation.band_db[6]) > 1e-3 &&
                  fabs(gt[SONY].band_db[6] - res[SONY].translation.band_db[6]) > 1e-3,
              "gain group: members' and sum's brilliance %+.3f %+.3f %+.3f dB",
              res[SONY].translation.band_db[6], res2[SONY].translation.band_db[6],
              gt[SONY].band_db[6]);
    }

    for (size_t j = 0; j < N_PROF; j++)
        cansim_profile_close(&p[j]);
    free(res);
    free(res2);
    unit_remove_tree(g_dir);
    return unit_finish("translation");
}

/* SPDX-License-Identifier: MIT */
/* What batches stand on, through the public API: rate conversion before the render (length,
 * alignment, level), the skip mask, cancellation from the progress callback, the dither seed,
 * input probing and profile digests. */
#define _DEFAULT_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cansim/cansim.h>
#include <dirent.h>
#include <ebur128.h>

#include "unit.h"
#include "unit_files.h"

static char g_dir[4096];

static CansimProfile *identity(const char *id, double rate)
{
    float one = 1.0f;
    const float *cells[4] = {&one, NULL, NULL, &one};
    CansimProfile *p = NULL;
    CansimDiag d;
    CHECK(cansim_profile_from_taps(&p, id, rate, 1, cells, &d) == CANSIM_OK, "identity: %s", d.msg);
    return p;
}

static CansimRender *open_render(const CansimProfile *const *p, size_t n, double rate_hz,
                                 CansimFormat f)
{
    CansimRenderConfig cfg = cansim_render_default_config();
    cfg.profiles = p;
    cfg.n_profiles = n;
    cfg.input.rate_hz = rate_hz;
    cfg.output.format = f;
    cfg.engine.n_threads = 2;
    CansimRender *r = NULL;
    CansimDiag d;
    CHECK(cansim_render_open(&r, &cfg, &d) == CANSIM_OK, "open: %s", d.msg);
    return r;
}

static bool exists(const char *path)
{
    struct stat st;
    return !stat(path, &st);
}

/* An impulse and a sine at 44.1 kHz, rendered through identity at 48 kHz: the output has the
 * input's duration at 48 kHz, the impulse lands where its time says (libsamplerate is
 * time-aligned), and a 1 kHz sine keeps its amplitude. */
static void test_rate_conversion(void)
{
    const int rate_in = 44100;
    const size_t n = 44100;
    float *x = unit_xcalloc(2 * n, sizeof *x);
    const size_t at = 10000;
    x[2 * at] = 1.0f;
    for (size_t i = 0; i < n; i++)
        x[2 * i + 1] =
            0.5f * (float)sin(2.0 * 3.14159265358979323846 * 1000.0 * (double)i / rate_in);
    char in[4200], out[4200];
    snprintf(in, sizeof in, "%s/conv.wav", g_dir);
    unit_write_audio(in, SF_FORMAT_WAV | SF_FORMAT_FLOAT, rate_in, 2, x, (sf_count_t)n);
    CansimProfile *p = identity("id", 48000);
    const CansimProfile *list[1] = {p};
    CansimRender *r = open_render(list, 1, 48000, CANSIM_FORMAT_WAV32F);
    CansimOutputResult res[1];
    CansimDiag d;
    const int e = cansim_render_file(r, in, g_dir, NULL, res, &d);
    CHECK(e == CANSIM_OK, "render with --rate: %s", d.msg);
    snprintf(out, sizeof out, "%s/conv/id.wav", g_dir);
    SF_INFO info;
    float *y = e ? NULL : unit_read_audio(out, &info);
    if (y) {
        const int64_t want = llround((double)n * 48000.0 / rate_in);
        CHECK(info.samplerate == 48000, "rate %d, want 48000", info.samplerate);
        CHECK(info.frames == want, "frames %lld, want %lld", (long long)info.frames,
              (long long)want);
        size_t peak_at = 0;
        for (size_t i = 0; i < (size_t)info.frames; i++)
            if (fabsf(y[2 * i]) > fabsf(y[2 * peak_at]))
                peak_at = i;
        const double t_want = (double)at * 48000.0 / rate_in;
        CHECK(fabs((double)peak_at - t_want) <= 1.0, "impulse at frame %zu, want %.1f", peak_at,
              t_want);
        /* The sine's amplitude in the middle (ends excluded): 0.5 within 0.01 dB. */
        float amp = 0.0f;
        for (size_t i = (size_t)info.frames / 4; i < 3 * (size_t)info.frames / 4; i++)
            amp = fmaxf(amp, fabsf(y[2 * i + 1]));
        CHECK(fabs(20.0 * log10((double)amp / 0.5)) < 0.01, "sine amplitude %.5f, want 0.5",
              (double)amp);
        free(y);
    }
    char tmp[4300];
    snprintf(tmp, sizeof tmp, "%s/conv/.input.w64.part", g_dir);
    CHECK(!exists(tmp), "the converted input %s was left behind", tmp);
    cansim_render_close(&r);
    cansim_profile_close(&p);
    free(x);
}

typedef struct Stop {
    int n_calls, stop_at;
} Stop;

static int stop_progress(void *user, int64_t n_done, int64_t n_total)
{
    (void)n_done, (void)n_total;
    Stop *s = user;
    return ++s->n_calls >= s->stop_at;
}

/* Skipped outputs are not touched; the others are rendered. A progress callback that returns
 * nonzero cancels: CANSIM_ECANCELED and no file left (neither final nor .part). */
static void test_skip_and_cancel(void)
{
    const size_t n = 200000;
    float *x = unit_xcalloc(2 * n, sizeof *x);
    unit_fill_random(x, 2 * n, 0.3f);
    char in[4200], path[4300];
    snprintf(in, sizeof in, "%s/skip.wav", g_dir);
    unit_write_audio(in, SF_FORMAT_WAV | SF_FORMAT_PCM_24, 48000, 2, x, (sf_count_t)n);
    CansimProfile *a = identity("a", 48000), *b = identity("b", 48000);
    const CansimProfile *list[2] = {a, b};
    CansimRender *r = open_render(list, 2, 0, CANSIM_FORMAT_SAME);
    const bool skip[2] = {true, false};
    const CansimFileOptions opt = {.skip = skip};
    CansimOutputResult res[2];
    CansimDiag d;
    int e = cansim_render_file(r, in, g_dir, &opt, res, &d);
    CHECK(e == CANSIM_OK, "render with a skip mask: %s", d.msg);
    CHECK(res[0].is_skipped && res[0].status == CANSIM_OK, "output a: skipped %d status %d",
          res[0].is_skipped, res[0].status);
    CHECK(!res[1].is_skipped && res[1].status == CANSIM_OK, "output b: skipped %d status %d",
          res[1].is_skipped, res[1].status);
    snprintf(path, sizeof path, "%s/skip/a.wav", g_dir);
    CHECK(!exists(path), "skipped output %s was written", path);
    snprintf(path, sizeof path, "%s/skip/b.wav", g_dir);
    CHECK(exists(path), "output %s missing", path);
    cansim_render_close(&r);

    /* Cancel at the second progress call. */
    Stop s = {0, 2};
    CansimRenderConfig cfg = cansim_render_default_config();
    cfg.profiles = list;
    cfg.n_profiles = 2;
    cfg.progress = stop_progress;
    cfg.progress_user = &s;
    CHECK(cansim_render_open(&r, &cfg, &d) == CANSIM_OK, "open: %s", d.msg);
    char out2[4200];
    snprintf(out2, sizeof out2, "%s/cancel", g_dir);
    e = cansim_render_file(r, in, out2, NULL, res, &d);
    CHECK(e == CANSIM_ECANCELED, "canceled render returned %d (%s), want CANSIM_ECANCELED", e,
          cansim_strerror(e));
    CHECK(res[0].status == CANSIM_ECANCELED && res[1].status == CANSIM_ECANCELED,
          "canceled outputs: status %d %d", res[0].status, res[1].status);
    for (int k = 0; k < 2; k++) {
        const char *id = k ? "b" : "a";
        snprintf(path, sizeof path, "%s/skip/%s.wav", out2, id);
        CHECK(!exists(path), "canceled output %s exists", path);
        snprintf(path, sizeof path, "%s/skip/%s.wav.part", out2, id);
        CHECK(!exists(path), "canceled output left %s", path);
        snprintf(path, sizeof path, "%s/skip/%s.wav.raw.part", out2, id);
        CHECK(!exists(path), "canceled output left %s", path);
    }
    cansim_render_close(&r);
    cansim_profile_close(&a);
    cansim_profile_close(&b);
    free(x);
}

/* 16-bit outputs: the same seed gives the same bytes, another seed other dither. */
static void test_seed(void)
{
    const size_t n = 48000;
    float *x = unit_xcalloc(2 * n, sizeof *x);
    unit_fill_random(x, 2 * n, 0.2f);
    char in[4200];
    snprintf(in, sizeof in, "%s/seed.wav", g_dir);
    unit_write_audio(in, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 48000, 2, x, (sf_count_t)n);
    CansimProfile *p = identity("p", 48000);
    const CansimProfile *list[1] = {p};
    CansimRender *r = open_render(list, 1, 0, CANSIM_FORMAT_WAV16);
    float *outs[3] = {NULL, NULL, NULL};
    const uint64_t seeds[3] = {1, 1, 2};
    for (int k = 0; k < 3; k++) {
        char dir[4300], path[4400];
        snprintf(dir, sizeof dir, "%s/seed%d", g_dir, k);
        const CansimFileOptions opt = {.seed = seeds[k]};
        CansimDiag d;
        CHECK(cansim_render_file(r, in, dir, &opt, NULL, &d) == CANSIM_OK, "seed %d: %s", k, d.msg);
        snprintf(path, sizeof path, "%s/seed/p.wav", dir);
        SF_INFO info;
        outs[k] = unit_read_audio(path, &info);
    }
    if (outs[0] && outs[1] && outs[2]) {
        CHECK(!memcmp(outs[0], outs[1], 2 * n * sizeof(float)), "one seed, two outputs differ");
        CHECK(memcmp(outs[0], outs[2], 2 * n * sizeof(float)), "two seeds, one dither");
    }
    for (int k = 0; k < 3; k++)
        free(outs[k]);
    cansim_render_close(&r);
    cansim_profile_close(&p);
    free(x);
}

static void test_probe(void)
{
    char path[4200];
    CansimInputInfo info;
    CansimDiag d;
    snprintf(path, sizeof path, "%s/empty.wav", g_dir);
    FILE *f = fopen(path, "wb");
    if (f)
        fclose(f);
    CHECK(cansim_input_probe(path, &info, &d) == CANSIM_EFORMAT, "0-byte file probed");
    CHECK(strstr(d.msg, "empty") && strstr(d.msg, path), "0-byte file: '%s'", d.msg);
    snprintf(path, sizeof path, "%s/mono.flac", g_dir);
    float x[4410] = {0.25f};
    unit_write_audio(path, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 1, x, 4410);
    CHECK(cansim_input_probe(path, &info, &d) == CANSIM_OK, "probe: %s", d.msg);
    CHECK(info.rate_hz == 44100 && info.n_channels == 1 && info.n_frames == 4410 &&
              !strcmp(info.format, "flac16"),
          "probe: %g Hz, %d ch, %lld frames, %s", info.rate_hz, info.n_channels,
          (long long)info.n_frames, info.format);
}

/* The digest stands for the filter: equal for equal inputs, different for another profile,
 * target, listening headphone or crossfeed. */
static void test_digest(void)
{
    CansimProfile *a = NULL, *b = NULL;
    CansimDiag d;
    char pa[4200], pb[4200];
    snprintf(pa, sizeof pa, "%s/sennheiser-hd-650.ini", CANSIM_PROFILE_DIR);
    snprintf(pb, sizeof pb, "%s/sony-mdr-7506.ini", CANSIM_PROFILE_DIR);
    CHECK(cansim_profile_load(&a, pa, &d) == CANSIM_OK, "%s", d.msg);
    CHECK(cansim_profile_load(&b, pb, &d) == CANSIM_OK, "%s", d.msg);
    if (!a || !b)
        return;
    char targets[4200];
    snprintf(targets, sizeof targets, "%s/targets", CANSIM_PROFILE_DIR);
    CansimDesignConfig dc = cansim_design_default_config();
    dc.targets_dir = targets;
    char h[6][33];
    CHECK(!cansim_profile_digest(a, &dc, h[0], &d), "%s", d.msg);
    CHECK(!cansim_profile_digest(a, &dc, h[1], &d), "%s", d.msg);
    CHECK(!cansim_profile_digest(b, &dc, h[2], &d), "%s", d.msg);
    CansimDesignConfig t = dc;
    t.target = "diffuse-field";
    CHECK(!cansim_profile_digest(a, &t, h[3], &d), "%s", d.msg);
    CansimDesignConfig on = dc;
    on.on = b;
    CHECK(!cansim_profile_digest(a, &on, h[4], &d), "%s", d.msg);
    CansimDesignConfig cf = dc;
    CHECK(!cansim_crossfeed_parse("bs2b", &cf.crossfeed, &d), "%s", d.msg);
    CHECK(!cansim_profile_digest(a, &cf, h[5], &d), "%s", d.msg);
    CHECK(strlen(h[0]) == 32, "digest '%s' is not 32 hex digits", h[0]);
    CHECK(!strcmp(h[0], h[1]), "one profile, two digests");
    for (int i = 2; i < 6; i++)
        CHECK(strcmp(h[0], h[i]), "digest %d equals the plain one", i);
    cansim_profile_close(&a);
    cansim_profile_close(&b);
}

/* Every bundled profile, loaded from the source tree. */
static size_t load_drawer(CansimProfile **out, size_t cap)
{
    DIR *d = opendir(CANSIM_PROFILE_DIR);
    size_t n = 0;
    const struct dirent *e;
    while (d && (e = readdir(d)) && n < cap) {
        const size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".ini"))
            continue;
        char path[4200];
        CansimDiag diag;
        snprintf(path, sizeof path, "%s/%s", CANSIM_PROFILE_DIR, e->d_name);
        CHECK(cansim_profile_load(&out[n], path, &diag) == CANSIM_OK, "%s", diag.msg);
        if (out[n])
            n++;
    }
    if (d)
        closedir(d);
    return n;
}

/* Four stems of different spectra (one mono), float: their renders as one gain group sum to
 * the render of their sum (level matched) within -90 dB, through every bundled profile. */
static void test_group_sums(void)
{
    enum { N_STEMS = 4, MAX_P = 64 };
    CansimProfile *ps[MAX_P];
    const size_t np = load_drawer(ps, MAX_P);
    CHECK(np >= 20, "only %zu bundled profiles", np);
    char targets[4200];
    snprintf(targets, sizeof targets, "%s/targets", CANSIM_PROFILE_DIR);
    CansimDesignConfig dc = cansim_design_default_config();
    dc.targets_dir = targets;
    const size_t n = 72000;
    float *mix = unit_xcalloc(2 * n, sizeof *mix);
    char paths[N_STEMS][4200], dirs[N_STEMS][4200], mix_path[4200];
    const char *in[N_STEMS], *od[N_STEMS];
    for (int s = 0; s < N_STEMS; s++) {
        const int ch = s == 2 ? 1 : 2;
        float *x = unit_xcalloc((size_t)ch * n, sizeof *x);
        /* Differently coloured noise: a one-pole low-pass of its own cutoff per stem. */
        const float a = 0.2f + 0.25f * (float)s, gain = 0.04f + 0.02f * (float)s;
        float st[2] = {0, 0};
        for (size_t i = 0; i < n; i++)
            for (int c = 0; c < ch; c++) {
                st[c] += a * (unit_rand_float() - st[c]);
                x[i * (size_t)ch + (size_t)c] = gain * st[c];
            }
        snprintf(paths[s], sizeof paths[s], "%s/song/stem%d.wav", g_dir, s);
        snprintf(dirs[s], sizeof dirs[s], "%s/group/song", g_dir);
        if (s == 0) {
            char d[4300];
            snprintf(d, sizeof d, "%s/song", g_dir);
            mkdir(d, 0777);
        }
        unit_write_audio(paths[s], SF_FORMAT_WAV | SF_FORMAT_FLOAT, 48000, ch, x, (sf_count_t)n);
        for (size_t i = 0; i < n; i++)
            for (int c = 0; c < 2; c++)
                mix[2 * i + (size_t)c] += x[i * (size_t)ch + (size_t)(ch == 1 ? 0 : c)];
        in[s] = paths[s];
        od[s] = dirs[s];
        free(x);
    }
    snprintf(mix_path, sizeof mix_path, "%s/mix.wav", g_dir);
    unit_write_audio(mix_path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 48000, 2, mix, (sf_count_t)n);
    CansimRenderConfig cfg = cansim_render_default_config();
    cfg.profiles = (const CansimProfile *const *)ps;
    cfg.n_profiles = np;
    cfg.design = &dc;
    cfg.level.mode = CANSIM_LEVEL_MATCH;
    cfg.level.has_ceiling = true;
    cfg.output.format = CANSIM_FORMAT_WAV32F;
    CansimRender *r = NULL;
    CansimDiag d;
    CHECK(cansim_render_open(&r, &cfg, &d) == CANSIM_OK, "open: %s", d.msg);
    CansimOutputResult *res[N_STEMS];
    for (int s = 0; s < N_STEMS; s++)
        res[s] = unit_xcalloc(np, sizeof *res[s]);
    double gain[MAX_P];
    bool lim[MAX_P];
    int ms[N_STEMS];
    CansimDiag md[N_STEMS];
    CansimGroupResult g = {
        .gain_db = gain, .is_limited = lim, .member_status = ms, .member_diag = md};
    int e = r ? cansim_render_group(r, in, od, N_STEMS, NULL, res, &g, &d) : -1;
    CHECK(e == CANSIM_OK, "group render: %s", d.msg);
    char mix_dir[4300];
    snprintf(mix_dir, sizeof mix_dir, "%s/mixout", g_dir);
    CansimOutputResult *mres = unit_xcalloc(np, sizeof *mres);
    e = r ? cansim_render_file(r, mix_path, mix_dir, NULL, mres, &d) : -1;
    CHECK(e == CANSIM_OK, "mix render: %s", d.msg);
    double worst = -HUGE_VAL;
    for (size_t j = 0; j < np; j++) {
        const char *id = cansim_profile_id(ps[j]);
        for (int s = 0; s < N_STEMS; s++)
            CHECK(fabs(res[s][j].gain_db - gain[j]) < 1e-12, "%s: stem %d gain %.6f, group %.6f",
                  id, s, res[s][j].gain_db, gain[j]);
        CHECK(fabs(gain[j] - mres[j].gain_db) < 1e-6, "%s: group gain %.6f dB, mix gain %.6f dB",
              id, gain[j], mres[j].gain_db);
        SF_INFO info;
        char p[17000];
        snprintf(p, sizeof p, "%s/mix/%s.wav", mix_dir, id);
        float *ref = unit_read_audio(p, &info);
        if (!ref)
            continue;
        double *acc = unit_xcalloc(2 * n, sizeof *acc);
        for (int s = 0; s < N_STEMS; s++) {
            snprintf(p, sizeof p, "%s/stem%d/%s.wav", dirs[s], s, id);
            float *y = unit_read_audio(p, &info);
            CHECK(y && info.frames == (sf_count_t)n, "%s: stem %d output", id, s);
            for (size_t i = 0; y && i < 2 * n; i++)
                acc[i] += (double)y[i];
            free(y);
        }
        double num = 0, den = 0;
        for (size_t i = 0; i < 2 * n; i++) {
            const double dv = acc[i] - (double)ref[i];
            num += dv * dv;
            den += (double)ref[i] * (double)ref[i];
        }
        const double err_db = 10.0 * log10(num / den);
        if (err_db > worst)
            worst = err_db;
        CHECK(err_db < -90.0, "%s: sum of the stems vs the mix: %.1f dB", id, err_db);
        free(acc);
        free(ref);
    }
    printf("group sums: worst relative error %.1f dB over %zu profiles\n", worst, np);
    for (int s = 0; s < N_STEMS; s++)
        free(res[s]);
    free(mres);
    free(mix);
    cansim_render_close(&r);
    for (size_t j = 0; j < np; j++)
        cansim_profile_close(&ps[j]);
}

static double true_peak_db(const char *path)
{
    SF_INFO info;
    float *y = unit_read_audio(path, &info);
    if (!y)
        return HUGE_VAL;
    ebur128_state *m = ebur128_init((unsigned)info.channels, (unsigned long)info.samplerate,
                                    EBUR128_MODE_TRUE_PEAK);
    ebur128_add_frames_float(m, y, (size_t)info.frames);
    double tp = 0;
    for (unsigned c = 0; c < (unsigned)info.channels; c++) {
        double v;
        ebur128_true_peak(m, c, &v);
        tp = fmax(tp, v);
    }
    ebur128_destroy(&m);
    free(y);
    return 20.0 * log10(tp);
}

/* A loud stem and three quiet ones, 24-bit, level matched: the group's gain hits the -1 dBTP
 * ceiling, and every member is lowered by the same amount (the quiet ones too). */
static void test_group_ceiling(void)
{
    enum { N_STEMS = 4 };
    CansimProfile *p = NULL;
    CansimDiag d;
    char path[4200];
    snprintf(path, sizeof path, "%s/sony-mdr-7506.ini", CANSIM_PROFILE_DIR);
    CHECK(cansim_profile_load(&p, path, &d) == CANSIM_OK, "%s", d.msg);
    char targets[4200];
    snprintf(targets, sizeof targets, "%s/targets", CANSIM_PROFILE_DIR);
    CansimDesignConfig dc = cansim_design_default_config();
    dc.targets_dir = targets;
    const size_t n = 48000;
    char paths[N_STEMS][4200], dir[4200];
    const char *in[N_STEMS], *od[N_STEMS];
    snprintf(dir, sizeof dir, "%s/ceil", g_dir);
    for (int s = 0; s < N_STEMS; s++) {
        float *x = unit_xcalloc(2 * n, sizeof *x);
        /* The loud one: sparse full-scale clicks on quiet noise (a high crest factor, so
         * matching loudness pushes its peaks far over the ceiling). */
        unit_fill_random(x, 2 * n, s == 0 ? 0.02f : 0.01f);
        for (size_t i = 0; s == 0 && i < n; i += 4800)
            x[2 * i] = x[2 * i + 1] = 0.9f;
        snprintf(paths[s], sizeof paths[s], "%s/c%d.wav", g_dir, s);
        unit_write_audio(paths[s], SF_FORMAT_WAV | SF_FORMAT_PCM_24, 48000, 2, x, (sf_count_t)n);
        in[s] = paths[s];
        od[s] = dir;
        free(x);
    }
    const CansimProfile *list[1] = {p};
    CansimRenderConfig cfg = cansim_render_default_config();
    cfg.profiles = list;
    cfg.n_profiles = 1;
    cfg.design = &dc;
    cfg.level.mode = CANSIM_LEVEL_TARGET;
    cfg.level.lufs = -6.0; /* loud enough that the clicks must be held */
    cfg.level.has_ceiling = true;
    cfg.level.ceiling_dbtp = -1.0;
    CansimRender *r = NULL;
    CHECK(cansim_render_open(&r, &cfg, &d) == CANSIM_OK, "open: %s", d.msg);
    CansimOutputResult *res[N_STEMS], store[N_STEMS];
    for (int s = 0; s < N_STEMS; s++)
        res[s] = &store[s];
    double gain[1];
    bool lim[1];
    int ms[N_STEMS];
    CansimDiag md[N_STEMS];
    CansimGroupResult g = {
        .gain_db = gain, .is_limited = lim, .member_status = ms, .member_diag = md};
    const int e = r ? cansim_render_group(r, in, od, N_STEMS, NULL, res, &g, &d) : -1;
    CHECK(e == CANSIM_OK, "group render: %s", d.msg);
    CHECK(lim[0], "the group gain was not limited (gain %.2f dB)", gain[0]);
    double max_tp = -HUGE_VAL;
    for (int s = 0; s < N_STEMS && !e; s++) {
        CHECK(store[s].is_limited, "stem %d not marked limited", s);
        CHECK(fabs(store[s].gain_db - gain[0]) < 1e-12 &&
                  fabs(store[s].correction_db - store[0].correction_db) < 1e-12,
              "stem %d: gain %.4f (correction %.4f), stem 0: %.4f (%.4f)", s, store[s].gain_db,
              store[s].correction_db, store[0].gain_db, store[0].correction_db);
        CHECK(store[s].correction_db < -1.0, "stem %d: correction %.2f dB", s,
              store[s].correction_db);
        char out[4400];
        snprintf(out, sizeof out, "%s/c%d/%s.wav", dir, s, cansim_profile_id(p));
        const double tp = true_peak_db(out);
        max_tp = fmax(max_tp, tp);
        CHECK(tp <= -1.0 + 0.02, "stem %d: true peak %.3f dBTP over the -1 ceiling", s, tp);
    }
    CHECK(max_tp > -1.3, "the loudest member's true peak %.2f dBTP is not at the ceiling", max_tp);
    printf("group ceiling: gain %.2f dB, loudest member at %.2f dBTP\n", gain[0], max_tp);
    cansim_render_close(&r);
    cansim_profile_close(&p);
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 6);
    unit_make_tmp_dir(g_dir, sizeof g_dir, "cansim-batch-");
    test_rate_conversion();
    test_skip_and_cancel();
    test_seed();
    test_probe();
    test_digest();
    test_group_sums();
    test_group_ceiling();
    unit_remove_tree(g_dir);
    return unit_finish("batch");
}

/* SPDX-License-Identifier: MIT */
/* Crossfeed against libbs2b itself: the flat reference profile with each preset must render what
 * bs2b renders, at 44.1, 48 and 96 kHz. */
#include <bs2b/bs2b.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cansim/cansim.h>

static int n_failed;
static int n_passed;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (cond) {                                                                                \
            n_passed++;                                                                            \
        } else {                                                                                   \
            n_failed++;                                                                            \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                                            \
            printf(__VA_ARGS__);                                                                   \
            printf("\n");                                                                          \
        }                                                                                          \
    } while (0)

static uint64_t rng = 0x853c49e6748fea9bull;

static double uniform(void)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(rng >> 11) * (1.0 / 9007199254740992.0) * 2.0 - 1.0;
}

/* Renders in (interleaved stereo, n frames) through the flat reference with crossfeed cf. */
static int render(const CansimProfile *ref, const CansimCrossfeed *cf, const float *in,
                  int n_channels, int64_t n, double rate, float *out)
{
    CansimDesignConfig design = cansim_design_default_config();
    design.targets_dir = CANSIM_PROFILE_DIR "/targets";
    design.crossfeed = *cf;
    CansimRenderConfig cfg = cansim_render_default_config();
    const CansimProfile *ps[1] = {ref};
    cfg.profiles = ps;
    cfg.n_profiles = 1;
    cfg.design = &design;
    CansimRender *r;
    CansimDiag d;
    int e = cansim_render_open(&r, &cfg, &d);
    if (!e) {
        float *outs[1] = {out};
        e = cansim_render_buffer(r, in, n_channels, n, rate, outs, n, &d);
    }
    if (e)
        printf("render: %s\n", d.msg);
    cansim_render_close(&r);
    return e;
}

/* libbs2b's output for the same input (double precision path). */
static void bs2b_render(uint32_t level, unsigned rate, const float *in, int64_t n, double *out)
{
    t_bs2bdp b = bs2b_open();
    bs2b_set_srate(b, rate);
    bs2b_set_level(b, level);
    for (int64_t i = 0; i < 2 * n; i++)
        out[i] = (double)in[i];
    bs2b_cross_feed_d(b, out, (int)n);
    bs2b_close(b);
}

static double rel_err_db(const float *got, const double *want, size_t n)
{
    double e = 0, s = 0;
    for (size_t i = 0; i < n; i++) {
        const double diff = (double)got[i] - want[i];
        e += diff * diff;
        s += want[i] * want[i];
    }
    return 10 * log10(e / s);
}

static double rms_db(const float *x, size_t n, size_t stride)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (double)x[i * stride] * (double)x[i * stride];
    return 10 * log10(s / (double)n);
}

static double rms_db_d(const double *x, size_t n, size_t stride)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i * stride] * x[i * stride];
    return 10 * log10(s / (double)n);
}

int main(void)
{
    CansimProfile *ref;
    CansimDiag d;
    if (cansim_profile_load(&ref, CANSIM_PROFILE_DIR "/reference.ini", &d)) {
        printf("FAIL: %s\n", d.msg);
        return 1;
    }
    static const struct {
        const char *name;
        uint32_t level;
    } presets[] = {{"bs2b", BS2B_DEFAULT_CLEVEL},
                   {"cmoy", BS2B_CMOY_CLEVEL},
                   {"jmeier", BS2B_JMEIER_CLEVEL},
                   {"500:7.2", BS2B_MIDDLE_ECLEVEL}};
    static const unsigned rates[] = {44100, 48000, 96000};
    const int64_t n = 48000;
    float *in = malloc(sizeof *in * 2 * (size_t)n);
    float *mono = malloc(sizeof *mono * (size_t)n);
    float *out = malloc(sizeof *out * 2 * (size_t)n);
    double *want = malloc(sizeof *want * 2 * (size_t)n);
    if (!in || !mono || !out || !want)
        return 1;
    /* Levels well below full scale: libbs2b clips at +-1. */
    for (int64_t i = 0; i < n; i++) {
        in[2 * i] = (float)(0.25 * uniform());
        in[2 * i + 1] = (float)(0.25 * uniform());
        mono[i] = in[2 * i];
    }
    for (size_t p = 0; p < sizeof presets / sizeof *presets; p++) {
        CansimCrossfeed cf;
        CHECK(cansim_crossfeed_parse(presets[p].name, &cf, &d) == CANSIM_OK, "parse %s",
              presets[p].name);
        for (size_t k = 0; k < sizeof rates / sizeof *rates; k++) {
            const unsigned rate = rates[k];
            /* Random stereo. */
            if (render(ref, &cf, in, 2, n, rate, out))
                return 1;
            bs2b_render(presets[p].level, rate, in, n, want);
            const double err = rel_err_db(out, want, 2 * (size_t)n);
            printf("%-8s %6u Hz: %.1f dB relative RMS error against libbs2b\n", presets[p].name,
                   rate, err);
            CHECK(err <= -80.0, "%s at %u Hz: %.1f dB relative RMS error", presets[p].name, rate,
                  err);
            /* Mono (L = R) as dual mono: levels as bs2b's. */
            float *dual = malloc(sizeof *dual * 2 * (size_t)n);
            if (!dual)
                return 1;
            for (int64_t i = 0; i < n; i++)
                dual[2 * i] = dual[2 * i + 1] = mono[i];
            if (render(ref, &cf, mono, 1, n, rate, out))
                return 1;
            bs2b_render(presets[p].level, rate, dual, n, want);
            for (int ch = 0; ch < 2; ch++) {
                const double lv = rms_db(out + ch, (size_t)n, 2);
                const double lw = rms_db_d(want + ch, (size_t)n, 2);
                CHECK(fabs(lv - lw) <= 0.1, "%s mono at %u Hz ch %d: %.3f vs %.3f dB",
                      presets[p].name, rate, ch, lv, lw);
            }
            /* Hard-panned left: the right ear hears only the cross path. */
            for (int64_t i = 0; i < n; i++) {
                dual[2 * i] = mono[i];
                dual[2 * i + 1] = 0.0f;
            }
            if (render(ref, &cf, dual, 2, n, rate, out))
                return 1;
            bs2b_render(presets[p].level, rate, dual, n, want);
            for (int ch = 0; ch < 2; ch++) {
                const double lv = rms_db(out + ch, (size_t)n, 2);
                const double lw = rms_db_d(want + ch, (size_t)n, 2);
                CHECK(fabs(lv - lw) <= 0.1, "%s panned at %u Hz ch %d: %.3f vs %.3f dB",
                      presets[p].name, rate, ch, lv, lw);
            }
            free(dual);
        }
    }
    /* Bad values. */
    static const char *const bad[] = {"5:90",     "abc",     "700",    "700:",  ":4.5",
                                      "2500:4.5", "700:0.5", "700:16", "nan:4", "700:4.5x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CansimCrossfeed cf;
        d.msg[0] = '\0';
        CHECK(cansim_crossfeed_parse(bad[i], &cf, &d) == CANSIM_EINVAL && d.msg[0] &&
                  !strchr(d.msg, '\n'),
              "'%s' must be refused with one line", bad[i]);
    }
    cansim_profile_close(&ref);
    free(in);
    free(mono);
    free(out);
    free(want);
    printf("%d passed, %d failed\n", n_passed, n_failed);
    return n_failed != 0;
}

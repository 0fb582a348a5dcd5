/* SPDX-License-Identifier: MIT */
/* Impulse-response profiles at another rate keep their magnitude response and alignment: a
 * 2048-tap minimum-phase IR at 44.1 kHz, and every bundled profile as `cansim design --rate
 * 44100` exports it, used at 48 and 96 kHz, measured here with FFTW in double; which responses
 * count as minimum phase; and the length limit, checked before any conversion. */
#define _POSIX_C_SOURCE 200809L

#include <cansim/cansim.h>

#include <dirent.h>
#include <fftw3.h>

#include "design.h"
#include "ir_resample.h"
#include "unit.h"

#define TARGETS_DIR CANSIM_PROFILE_DIR "/targets"
/* Transforms of rate / 300 * 2048 points: bins 0.146 Hz apart at every rate used here (all
 * multiples of 300 Hz), so responses at two rates are compared at the same frequencies. */
#define BIN_HZ  (300.0 / 2048.0)
#define TOL_DB  0.1
#define N_CHECK 400

static const double rates[] = {48000, 96000};

/* |H|^2 of n taps at rate at every bin of a transform BIN_HZ apart. */
static double *power_spectrum(const float *h, size_t n, double rate)
{
    const size_t m = (size_t)lround(rate / BIN_HZ);
    if (n > m) {
        fprintf(stderr, "%zu taps do not fit %zu points\n", n, m);
        exit(99);
    }
    double *in = fftw_malloc(m * sizeof *in);
    fftw_complex *out = fftw_malloc((m / 2 + 1) * sizeof *out);
    double *p = unit_xcalloc(m / 2 + 1, sizeof *p);
    fftw_plan plan = fftw_plan_dft_r2c_1d((int)m, in, out, FFTW_ESTIMATE);
    for (size_t i = 0; i < m; i++)
        in[i] = i < n ? (double)h[i] : 0.0;
    fftw_execute(plan);
    for (size_t b = 0; b <= m / 2; b++)
        p[b] = out[b][0] * out[b][0] + out[b][1] * out[b][1];
    fftw_destroy_plan(plan);
    fftw_free(in);
    fftw_free(out);
    return p;
}

/* dB at f, linear between the two nearest bins. */
static double db_at(const double *p, double f)
{
    const double x = f / BIN_HZ;
    const size_t b = (size_t)x;
    const double t = x - (double)b;
    return 10 * log10((1 - t) * p[b] + t * p[b + 1]);
}

/* The largest |dB difference| of b (at rate_b) against a (at rate_a) from 20 Hz to 0.9 of a's
 * Nyquist frequency, N_CHECK log-spaced points. */
static double max_diff_db(const float *a, size_t n_a, double rate_a, const float *b, size_t n_b,
                          double rate_b, double *at)
{
    double *pa = power_spectrum(a, n_a, rate_a);
    double *pb = power_spectrum(b, n_b, rate_b);
    const double hi = 0.9 * 0.5 * rate_a;
    double worst = 0;
    *at = 20;
    for (int i = 0; i < N_CHECK; i++) {
        const double f = 20 * pow(hi / 20, (double)i / (N_CHECK - 1));
        const double d = fabs(db_at(pa, f) - db_at(pb, f));
        if (!(d <= worst)) {
            worst = d;
            *at = f;
        }
    }
    free(pa);
    free(pb);
    return worst;
}

static size_t peak_index(const float *h, size_t n)
{
    size_t at = 0;
    for (size_t i = 1; i < n; i++)
        if (fabs((double)h[i]) > fabs((double)h[at]))
            at = i;
    return at;
}

/* The case: 2048 minimum-phase taps at 44.1 kHz with a bass shelf and a presence
 * peak, designed by the real cepstrum and cut to 2048 (the peak at t = 0). */
static void test_minimum_phase_2048(const CansimKernels *k)
{
    CansimCurve c;
    if (cansim_curve_alloc(&c, 200))
        exit(99);
    for (size_t i = 0; i < c.n; i++) {
        c.hz[i] = 10 * pow(2200.0, (double)i / (double)(c.n - 1));
        const double x = log2(c.hz[i] / 100);
        c.db[i] = 6 / (1 + exp(3 * x)) + 4 * exp(-pow(log2(c.hz[i] / 3000) / 0.3, 2)) -
                  2 * log2(fmax(c.hz[i], 1000) / 1000);
    }
    CansimDesignParams dp;
    cansim_design_default_params(&dp);
    float *taps = NULL;
    size_t n = 0;
    CansimDiag diag = {{0}};
    int rc = cansim_design_minphase(&c, 44100, &dp, k, &taps, &n, &diag);
    cansim_curve_free(&c);
    CHECK(rc == CANSIM_OK, "design: %s", diag.msg);
    if (rc)
        return;
    float *h = unit_xcalloc(2048, sizeof *h);
    memcpy(h, taps, (n < 2048 ? n : 2048) * sizeof *h);
    cansim_free(taps);
    CHECK(peak_index(h, 2048) == 0, "the 2048-tap IR's peak is at %zu", peak_index(h, 2048));
    CHECK(cansim_ir_is_minimum_phase(h, 2048, 44100, k), "the 2048-tap IR is not minimum phase");
    const float *cells[4] = {h, NULL, NULL, h};
    CansimProfile *p = NULL;
    rc = cansim_profile_from_taps(&p, "minphase-2048", 44100, 2048, cells, &diag);
    CHECK(rc == CANSIM_OK, "from_taps: %s", diag.msg);
    for (size_t r = 0; p && r < sizeof rates / sizeof *rates; r++) {
        CansimProfile *q = NULL;
        rc = cansim_profile_resample(&q, p, rates[r], &diag);
        CHECK(rc == CANSIM_OK, "resample to %g: %s", rates[r], diag.msg);
        if (rc)
            continue;
        const float *g = cansim_profile_taps(q, CANSIM_CELL_LL);
        const size_t m = cansim_profile_n_taps(q);
        double at;
        const double err = max_diff_db(h, 2048, 44100, g, m, rates[r], &at);
        printf("2048-tap minimum-phase IR at 44.1 kHz used at %g Hz: %zu taps, peak at tap %zu, "
               "magnitude within %.4f dB (worst at %.1f Hz)\n",
               rates[r], m, peak_index(g, m), err, at);
        CHECK(err <= TOL_DB, "at %g Hz: %.4f dB off at %.1f Hz", rates[r], err, at);
        CHECK(peak_index(g, m) == 0, "at %g Hz: the peak moved to tap %zu", rates[r],
              peak_index(g, m));
        cansim_profile_close(&q);
    }
    cansim_profile_close(&p);
    free(h);
}

/* A delay is not minimum phase: it goes through the converter, keeps its magnitude (flat) and
 * its time (100 taps at 44.1 kHz are 109 at 48 kHz). */
static void test_delay(const CansimKernels *k)
{
    float *h = unit_xcalloc(1024, sizeof *h);
    h[100] = 1.0f;
    CHECK(!cansim_ir_is_minimum_phase(h, 1024, 44100, k), "a delay counts as minimum phase");
    const float *cells[4] = {h, NULL, NULL, NULL};
    CansimProfile *p = NULL;
    CansimProfile *q = NULL;
    CansimDiag diag = {{0}};
    int rc = cansim_profile_from_taps(&p, "delay", 44100, 1024, cells, &diag);
    rc = rc ? rc : cansim_profile_resample(&q, p, 48000, &diag);
    CHECK(rc == CANSIM_OK, "delay: %s", diag.msg);
    if (!rc) {
        const float *g = cansim_profile_taps(q, CANSIM_CELL_LL);
        const size_t m = cansim_profile_n_taps(q);
        double at;
        const double err = max_diff_db(h, 1024, 44100, g, m, 48000, &at);
        printf("a 100-tap delay at 48 kHz: peak at tap %zu, magnitude within %.4f dB\n",
               peak_index(g, m), err);
        CHECK(peak_index(g, m) == 109, "the delay's peak is at tap %zu, want 109",
              peak_index(g, m));
        CHECK(err <= TOL_DB, "the delay: %.4f dB off at %.1f Hz", err, at);
        CHECK(!cansim_profile_taps(q, CANSIM_CELL_RR), "a zero cell came back");
    }
    cansim_profile_close(&q);
    cansim_profile_close(&p);
    free(h);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every bundled profile designed at 44.1 kHz (as `cansim design --rate 44100` writes it),
 * then used at 48 and 96 kHz: every cell within TOL_DB of the 44.1 kHz one. */
static void test_bundled(const CansimKernels *k)
{
    DIR *dh = opendir(CANSIM_PROFILE_DIR);
    if (!dh)
        exit(99);
    char *names[128];
    size_t n_names = 0;
    for (struct dirent *e; (e = readdir(dh)) && n_names < 128;) {
        const size_t len = strlen(e->d_name);
        if (len > 4 && !strcmp(e->d_name + len - 4, ".ini"))
            names[n_names++] = strdup(e->d_name);
    }
    closedir(dh);
    qsort(names, n_names, sizeof *names, cmp_str);
    CansimDesignConfig d = cansim_design_default_config();
    d.targets_dir = TARGETS_DIR;
    double worst = 0;
    char where[256] = "";
    size_t n_min = 0, n_cells = 0;
    for (size_t i = 0; i < n_names; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", CANSIM_PROFILE_DIR, names[i]);
        CansimProfile *p = NULL;
        CansimProfile *ir = NULL;
        CansimDiag diag = {{0}};
        int rc = cansim_profile_load(&p, path, &diag);
        rc = rc ? rc : cansim_profile_design(&ir, p, &d, 44100, &diag);
        CHECK(rc == CANSIM_OK, "%s at 44.1 kHz: %s", names[i], diag.msg);
        for (size_t r = 0; !rc && r < sizeof rates / sizeof *rates; r++) {
            CansimProfile *q = NULL;
            rc = cansim_profile_resample(&q, ir, rates[r], &diag);
            CHECK(rc == CANSIM_OK, "%s to %g Hz: %s", names[i], rates[r], diag.msg);
            for (int c = 0; !rc && c < 4; c++) {
                const float *a = cansim_profile_taps(ir, c);
                const float *b = cansim_profile_taps(q, c);
                CHECK(!a == !b, "%s at %g Hz: cell %d appears or vanishes", names[i], rates[r], c);
                if (!a || !b)
                    continue;
                n_cells++;
                n_min +=
                    r == 0 && cansim_ir_is_minimum_phase(a, cansim_profile_n_taps(ir), 44100, k);
                double at;
                const double err = max_diff_db(a, cansim_profile_n_taps(ir), 44100, b,
                                               cansim_profile_n_taps(q), rates[r], &at);
                CHECK(err <= TOL_DB, "%s at %g Hz, cell %d: %.4f dB off at %.1f Hz", names[i],
                      rates[r], c, err, at);
                if (err > worst) {
                    worst = err;
                    snprintf(where, sizeof where, "%s at %g Hz, cell %d, %.1f Hz", names[i],
                             rates[r], c, at);
                }
            }
            cansim_profile_close(&q);
        }
        cansim_profile_close(&ir);
        cansim_profile_close(&p);
        free(names[i]);
    }
    printf("bundled profiles designed at 44.1 kHz, used at 48 and 96 kHz: %zu cells (%zu of the "
           "%zu at 44.1 kHz minimum phase), magnitude within %.4f dB from 20 Hz to 19.8 kHz "
           "(worst: %s)\n",
           n_cells, n_min, n_cells / 2, worst, where);
    CHECK(n_min >= 70, "only %zu cells count as minimum phase: the headphones' designs are", n_min);
}

/* An IR too long at the new rate fails at once, naming it; so does a renderer asked for that
 * rate. */
static void test_length_limit(void)
{
    const size_t n = CANSIM_MAX_TAPS - 1000;
    float *h = unit_xcalloc(n, sizeof *h);
    h[0] = 1.0f;
    h[n - 1] = 0.5f;
    const float *cells[4] = {h, NULL, NULL, h};
    CansimProfile *p = NULL;
    CansimProfile *q = NULL;
    CansimDiag diag = {{0}};
    int rc = cansim_profile_from_taps(&p, "long-room", 44100, n, cells, &diag);
    CHECK(rc == CANSIM_OK, "from_taps: %s", diag.msg);
    free(h);
    if (rc)
        return;
    rc = cansim_profile_resample(&q, p, 48000, &diag);
    printf("length limit: \"%s\"\n", diag.msg);
    CHECK(rc == CANSIM_EPROFILE && !q && !strncmp(diag.msg, "long-room: ", 11) &&
              !strchr(diag.msg, '\n'),
          "an IR over the limit at 48 kHz: %d \"%s\"", rc, diag.msg);
    const CansimProfile *const ps[1] = {p};
    CansimRenderConfig cfg = cansim_render_default_config();
    cfg.profiles = ps;
    cfg.n_profiles = 1;
    cfg.input.rate_hz = 48000;
    CansimRender *r = NULL;
    rc = cansim_render_open(&r, &cfg, &diag);
    CHECK(rc == CANSIM_EPROFILE && !r && strstr(diag.msg, "long-room"),
          "render_open at 48 kHz with an IR over the limit there: %d \"%s\"", rc, diag.msg);
    cansim_render_close(&r);
    cansim_profile_close(&q);
    cansim_profile_close(&p);
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 20261207);
    CansimKernels k;
    cansim_kernels_init(&k, cansim_cpu_detect());
    test_minimum_phase_2048(&k);
    test_delay(&k);
    test_length_limit();
    test_bundled(&k);
    fftw_cleanup();
    return unit_finish("test_ir_resample");
}

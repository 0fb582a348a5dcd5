/* SPDX-License-Identifier: MIT */
/* speakers-kemar, measured from outside: interaural time and level differences of its paths,
 * left-right symmetry through the renderer, the diffuse-field flatness of the equalised set
 * (the SOFA file read here with libmysofa, weighted here), [hrtf] parsing, and a missing or
 * broken SOFA file. */
#define _POSIX_C_SOURCE 200809L

#include <cansim/cansim.h>

#include <fftw3.h>
#include <mysofa.h>
#include <unistd.h>

#include "profile_format.h"
#include "unit.h"
#include "unit_files.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define KEMAR       CANSIM_PROFILE_DIR "/speakers-kemar.ini"
#define ROOM        CANSIM_PROFILE_DIR "/extra/speakers-room.ini"
#define TARGETS_DIR CANSIM_PROFILE_DIR "/targets"
#define SOFA        CANSIM_SOFA_DIR "/MIT_KEMAR_normal_pinna.sofa"
#define N_FFT       (1 << 17)

static double sq(float x)
{
    return (double)x * (double)x;
}

static CansimProfile *design_file(const char *path, double rate_hz)
{
    CansimProfile *p = NULL;
    CansimProfile *fir = NULL;
    CansimDiag diag = {{0}};
    int rc = cansim_profile_load(&p, path, &diag);
    CHECK(rc == CANSIM_OK, "load %s: %s", path, diag.msg);
    if (rc)
        return NULL;
    CansimDesignConfig d = cansim_design_default_config();
    d.targets_dir = TARGETS_DIR;
    rc = cansim_profile_design(&fir, p, &d, rate_hz, &diag);
    CHECK(rc == CANSIM_OK, "design %s at %g Hz: %s", path, rate_hz, diag.msg);
    cansim_profile_close(&p);
    return fir;
}

static CansimProfile *design(double rate_hz)
{
    return design_file(KEMAR, rate_hz);
}

/* The spectrum of n taps zero-padded to N_FFT points. */
static fftw_complex *spectrum(const float *x, size_t n)
{
    double *in = fftw_malloc(N_FFT * sizeof *in);
    fftw_complex *out = fftw_malloc((N_FFT / 2 + 1) * sizeof *out);
    fftw_plan plan = fftw_plan_dft_r2c_1d(N_FFT, in, out, FFTW_ESTIMATE);
    for (size_t i = 0; i < N_FFT; i++)
        in[i] = i < n ? (double)x[i] : 0.0;
    fftw_execute(plan);
    fftw_destroy_plan(plan);
    fftw_free(in);
    return out;
}

static double pow_at(fftw_complex *s, size_t b)
{
    return s[b][0] * s[b][0] + s[b][1] * s[b][1];
}

/* Power over the 1/3-octave band centred on f, dB. */
static double band_db(fftw_complex *s, double rate_hz, double f)
{
    const double df = rate_hz / N_FFT;
    const size_t lo = (size_t)ceil(f * pow(2.0, -1.0 / 6) / df);
    const size_t hi = (size_t)floor(f * pow(2.0, 1.0 / 6) / df);
    double sum = 0;
    for (size_t b = lo; b <= hi; b++)
        sum += pow_at(s, b);
    return 10 * log10(sum / (double)(hi - lo + 1));
}

/* ITD of the left speaker by cross-correlating its left-ear and right-ear responses below
 * 1.5 kHz; ILD in 1/3-octave bands at 500 Hz and 5 kHz. */
static void test_itd_ild(void)
{
    const double rate = 48000;
    CansimProfile *fir = design(rate);
    if (!fir)
        return;
    const size_t n = cansim_profile_n_taps(fir);
    const float *ll = cansim_profile_taps(fir, CANSIM_CELL_LL);
    const float *lr = cansim_profile_taps(fir, CANSIM_CELL_LR);
    const float *rl = cansim_profile_taps(fir, CANSIM_CELL_RL);
    const float *rr = cansim_profile_taps(fir, CANSIM_CELL_RR);
    CHECK(ll && lr && rl && rr, "speakers-kemar: a zero cell");
    if (!ll || !lr || !rl || !rr) {
        cansim_profile_close(&fir);
        return;
    }
    fftw_complex *a = spectrum(ll, n);
    fftw_complex *b = spectrum(lr, n);
    /* r[t] = sum_n ll[n] lr[n + t]: conj(A) B, band-limited, back to time. */
    fftw_complex *x = fftw_malloc((N_FFT / 2 + 1) * sizeof *x);
    double *r = fftw_malloc(N_FFT * sizeof *r);
    const size_t cut = (size_t)(1500.0 / (rate / N_FFT));
    for (size_t k = 0; k <= N_FFT / 2; k++) {
        const bool keep = k <= cut;
        x[k][0] = keep ? a[k][0] * b[k][0] + a[k][1] * b[k][1] : 0.0;
        x[k][1] = keep ? a[k][0] * b[k][1] - a[k][1] * b[k][0] : 0.0;
    }
    fftw_plan inv = fftw_plan_dft_c2r_1d(N_FFT, x, r, FFTW_ESTIMATE);
    fftw_execute(inv);
    fftw_destroy_plan(inv);
    const long max_lag = (long)(0.001 * rate);
    long best = 0;
    double best_v = -HUGE_VAL;
    for (long t = -max_lag; t <= max_lag; t++) {
        const double v = r[(t + N_FFT) % N_FFT];
        if (v > best_v) {
            best_v = v;
            best = t;
        }
    }
    /* Parabolic interpolation between the neighbouring lags. */
    const double ym = r[(best - 1 + N_FFT) % N_FFT], y0 = best_v, yp = r[(best + 1) % N_FFT];
    const double frac = 0.5 * (ym - yp) / (ym - 2 * y0 + yp);
    const double itd_ms = ((double)best + frac) / rate * 1e3;
    printf("ITD of the left speaker (cross-correlation below 1.5 kHz): %.3f ms\n", itd_ms);
    CHECK(itd_ms >= 0.22 && itd_ms <= 0.32, "ITD %.3f ms, want 0.22-0.32 ms (right ear later)",
          itd_ms);

    const double ild_500 = band_db(a, rate, 500) - band_db(b, rate, 500);
    const double ild_5k = band_db(a, rate, 5000) - band_db(b, rate, 5000);
    printf("ILD of the left speaker: %.2f dB at 500 Hz, %.2f dB at 5 kHz\n", ild_500, ild_5k);
    CHECK(ild_500 > 0 && ild_5k > ild_500,
          "ILD %.2f dB at 500 Hz, %.2f dB at 5 kHz: want the near ear louder, by more at 5 kHz",
          ild_500, ild_5k);
    fftw_free(a);
    fftw_free(b);
    fftw_free(x);
    fftw_free(r);
    cansim_profile_close(&fir);
}

/* A mono impulse through the renderer: left and right outputs within 0.5 dB in 1/3-octave
 * bands from 50 Hz to 16 kHz. */
static void test_symmetry(void)
{
    const double rate = 48000;
    CansimProfile *p = NULL;
    CansimDiag diag = {{0}};
    if (cansim_profile_load(&p, KEMAR, &diag)) {
        CHECK(false, "load: %s", diag.msg);
        return;
    }
    CansimDesignConfig d = cansim_design_default_config();
    d.targets_dir = TARGETS_DIR;
    const CansimProfile *const ps[1] = {p};
    CansimRenderConfig cfg = cansim_render_default_config();
    cfg.profiles = ps;
    cfg.n_profiles = 1;
    cfg.design = &d;
    CansimRender *r = NULL;
    int rc = cansim_render_open(&r, &cfg, &diag);
    CHECK(rc == CANSIM_OK, "render_open: %s", diag.msg);
    const int64_t n_out = 1 << 15;
    float in[1] = {1.0f};
    float *out = unit_xcalloc((size_t)n_out * 2, sizeof *out);
    float *outs[1] = {out};
    if (!rc) {
        rc = cansim_render_buffer(r, in, 1, 1, rate, outs, n_out, &diag);
        CHECK(rc == CANSIM_OK, "render_buffer: %s", diag.msg);
    }
    float *left = unit_xcalloc((size_t)n_out, sizeof *left);
    float *right = unit_xcalloc((size_t)n_out, sizeof *right);
    for (int64_t i = 0; i < n_out; i++) {
        left[i] = out[2 * i];
        right[i] = out[2 * i + 1];
    }
    fftw_complex *sl = spectrum(left, (size_t)n_out);
    fftw_complex *sr = spectrum(right, (size_t)n_out);
    double worst = 0, worst_hz = 0;
    for (double f = 50; f <= 16000; f *= pow(2.0, 1.0 / 3)) {
        const double dd = fabs(band_db(sl, rate, f) - band_db(sr, rate, f));
        /* A silent band (or output) would compare NaN: it fails here instead. */
        CHECK(band_db(sl, rate, f) > -60.0 && isfinite(dd), "mono input: %.0f Hz band at %.1f dB",
              f, band_db(sl, rate, f));
        if (!(dd <= worst)) {
            worst = dd;
            worst_hz = f;
        }
    }
    printf("symmetry: a mono input gives left and right within %.3f dB (1/3 octaves, 50 Hz-16 "
           "kHz; worst at %.0f Hz)\n",
           worst, worst_hz);
    CHECK(!rc && worst <= 0.5, "mono input: left and right differ by %.3f dB at %.0f Hz", worst,
          worst_hz);
    fftw_free(sl);
    fftw_free(sr);
    free(left);
    free(right);
    free(out);
    cansim_render_close(&r);
    cansim_profile_close(&p);
}

/* H(f) of n taps at rate by a direct sum, |H|^2. */
static double power_at(const float *h, size_t n, double rate, double f)
{
    const double w = 2 * M_PI * f / rate;
    double re = 0, im = 0;
    for (size_t i = 0; i < n; i++) {
        re += (double)h[i] * cos(w * (double)i);
        im -= (double)h[i] * sin(w * (double)i);
    }
    return re * re + im * im;
}

/* The set read here: each measurement weighted by cos(elevation) over the count of its
 * elevation ring (the ring's share of the sphere, as the rings are evenly spaced); the
 * equalisation |E|^2 is recovered from the design at the set's own rate as the power of the
 * four cells over the power of the four measured HRIRs they were made from. */
static void test_diffuse_field(void)
{
    int err = 0;
    struct MYSOFA_HRTF *h = mysofa_load(SOFA, &err);
    CHECK(h != NULL, "%s: libmysofa error %d", SOFA, err);
    if (!h)
        return;
    const double rate = (double)h->DataSamplingRate.values[0];
    CansimProfile *fir = design(rate);
    if (!fir) {
        mysofa_free(h);
        return;
    }
    mysofa_tospherical(h);
    const float *pos = h->SourcePosition.values;
    double *w = unit_xcalloc(h->M, sizeof *w);
    unsigned at30 = h->M, at330 = h->M;
    for (unsigned m = 0; m < h->M; m++) {
        unsigned count = 0;
        for (unsigned j = 0; j < h->M; j++)
            count += fabs((double)pos[3 * j + 1] - (double)pos[3 * m + 1]) < 0.01;
        w[m] = cos((double)pos[3 * m + 1] * M_PI / 180) / count;
        if (fabs((double)pos[3 * m + 1]) < 0.01 && fabs((double)pos[3 * m] - 30) < 0.01)
            at30 = m;
        if (fabs((double)pos[3 * m + 1]) < 0.01 && fabs((double)pos[3 * m] - 330) < 0.01)
            at330 = m;
    }
    CHECK(at30 < h->M && at330 < h->M, "no measurement at +-30 degrees");
    const size_t n = cansim_profile_n_taps(fir);
    double dev_max = 0, dev_hz = 0, mean = 0;
    double vals[128];
    double hz[128];
    int n_f = 0;
    for (double f = 200; f <= 10000 * 1.0001 && n_f < 128; f *= pow(2.0, 1.0 / 12)) {
        double p_df = 0, w_sum = 0;
        for (unsigned m = 0; m < h->M; m++) {
            for (unsigned e = 0; e < 2; e++)
                p_df += 0.5 * w[m] *
                        power_at(h->DataIR.values + ((size_t)m * 2 + e) * h->N, h->N, rate, f);
            w_sum += w[m];
        }
        p_df /= w_sum;
        double cells = 0, raw = 0;
        const unsigned from[4][2] = {{at30, 0}, {at30, 1}, {at330, 0}, {at330, 1}};
        for (int c = 0; c < 4; c++) {
            cells += power_at(cansim_profile_taps(fir, c), n, rate, f);
            raw += power_at(h->DataIR.values + ((size_t)from[c][0] * 2 + from[c][1]) * h->N, h->N,
                            rate, f);
        }
        vals[n_f] = 10 * log10(cells / raw * p_df);
        hz[n_f] = f;
        mean += vals[n_f];
        n_f++;
    }
    mean /= n_f;
    for (int i = 0; i < n_f; i++)
        if (fabs(vals[i] - mean) > dev_max) {
            dev_max = fabs(vals[i] - mean);
            dev_hz = hz[i];
        }
    printf("diffuse field: the equalised set's average is %.2f dB, flat within %.2f dB from "
           "200 Hz to 10 kHz (1/12 octaves; worst at %.0f Hz)\n",
           mean, dev_max, dev_hz);
    CHECK(dev_max <= 1.0, "diffuse-field average of the equalised set: %.2f dB off at %.0f Hz",
          dev_max, dev_hz);
    free(w);
    cansim_profile_close(&fir);
    mysofa_free(h);
}

static void expect_design_fails(const char *what, const char *text, const char *dir, int want_rc,
                                const char *want_prefix)
{
    CansimProfile *p = NULL;
    CansimProfile *fir = NULL;
    CansimDiag diag = {{0}};
    int rc = cansim_profile_parse_ini(&p, text, strlen(text), "mem.ini", dir, &diag);
    CHECK(rc == CANSIM_OK, "%s: parse: %s", what, diag.msg);
    if (rc)
        return;
    CansimDesignConfig d = cansim_design_default_config();
    d.targets_dir = TARGETS_DIR;
    rc = cansim_profile_design(&fir, p, &d, 48000, &diag);
    printf("%s: \"%s\"\n", what, diag.msg);
    CHECK(rc == want_rc && !fir, "%s: design returned %d (%s), want %d", what, rc,
          cansim_strerror(rc), want_rc);
    CHECK(!strchr(diag.msg, '\n') && !strncmp(diag.msg, want_prefix, strlen(want_prefix)),
          "%s: diag \"%s\" is not one line starting \"%s\"", what, diag.msg, want_prefix);
    cansim_profile_close(&fir);
    cansim_profile_close(&p);
}

#define HEAD "[profile]\nid = s\nname = S\nback = none\nrig = none\n[curve]\n20 = 0\n20000 = 0\n"

static void test_sofa_errors(void)
{
    char dir[4096];
    unit_make_tmp_dir(dir, sizeof dir, "cansim-test-hrtf.");
    /* Missing: a relative name not beside the profile is looked for in libmysofa's folder. */
    expect_design_fails("missing SOFA file", HEAD "[hrtf]\nsofa = no-such-set.sofa\n", dir,
                        CANSIM_EIO, CANSIM_SOFA_DIR "/no-such-set.sofa: ");
    expect_design_fails("missing SOFA file, absolute", HEAD "[hrtf]\nsofa = /no/such.sofa\n", dir,
                        CANSIM_EIO, "/no/such.sofa: ");
    /* Beside the profile, a file that is not SOFA. */
    char path[8192];
    snprintf(path, sizeof path, "%s/junk.sofa", dir);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs("not an HDF5 file\n", f);
        fclose(f);
    }
    char prefix[8300];
    snprintf(prefix, sizeof prefix, "%s: libmysofa: ", path);
    expect_design_fails("not a SOFA file", HEAD "[hrtf]\nsofa = junk.sofa\n", dir, CANSIM_EIO,
                        prefix);
    /* A speaker 3 m away in a room whose front wall is 2 m away. */
    expect_design_fails("a speaker outside the room",
                        HEAD "[hrtf]\nsofa = " SOFA "\n[room]\nwalls = 2 2 3 3 1 1\ndistance = "
                             "3\nrt60 = 0.3\n",
                        dir, CANSIM_EPROFILE, "s: ");
    unlink(path);
    rmdir(dir);

    /* [hrtf] keys. */
    static const struct {
        const char *text;
        const char *want;
    } bad[] = {
        {HEAD "[hrtf]\nazimuth = 30\n", "no 'sofa'"},
        {HEAD "[hrtf]\nsofa = a.sofa\nazimuth = 95\n", "azimuth"},
        {HEAD "[hrtf]\nsofa = a.sofa\nazimuth = 0\n", "azimuth"},
        {HEAD "[hrtf]\nsofa = a.sofa\nelevation = -91\n", "elevation"},
        {HEAD "[hrtf]\nsofa = a.sofa\ndistance = 2\n", "distance"},
        {HEAD "[hrtf]\nsofa = a.sofa\nsofa = b.sofa\n", "twice"},
        {HEAD "[hrtf]\nsofa = a.sofa\nazimuth = left\n", "left"},
        {HEAD "[room]\nwalls = 2 2 2 2 2 2\ndistance = 1\nrt60 = 0.3\n", "[hrtf]"},
        {HEAD "[hrtf]\nsofa = a.sofa\n[room]\nwalls = 2 2 2 2 2 2\nrt60 = 0.3\n", "distance"},
        {HEAD "[hrtf]\nsofa = a.sofa\n[room]\nwalls = 2 2 2 2 2\n", "6 numbers"},
        {HEAD "[hrtf]\nsofa = a.sofa\n[room]\nwalls = 2 2 2 2 2 2 2\n", "6 numbers"},
        {HEAD "[hrtf]\nsofa = a.sofa\n[room]\nwalls = 2 2 2 2 2 0.1\n", "outside"},
        {HEAD "[hrtf]\nsofa = a.sofa\n[room]\nrt60 = 5\n", "outside"},
        {HEAD "[hrtf]\nsofa = a.sofa\n[room]\nsize = 3\n", "size"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CansimProfile *p = NULL;
        CansimDiag diag = {{0}};
        const int rc =
            cansim_profile_parse_ini(&p, bad[i].text, strlen(bad[i].text), "mem.ini", NULL, &diag);
        CHECK(rc == CANSIM_EPROFILE && !p && !strncmp(diag.msg, "mem.ini", 7) &&
                  strstr(diag.msg, bad[i].want),
              "[hrtf] case %zu: %d \"%s\", want EPROFILE naming mem.ini and '%s'", i, rc, diag.msg,
              bad[i].want);
        cansim_profile_close(&p);
    }
}

/* speakers-room, against its own geometry: before the first reflection (the floor's, from the
 * listed walls: 3.28 ms after the direct sound) its paths are speakers-kemar's; its tail
 * decays at the stated RT60 (Schroeder's backward integration, -5 to -25 dB); the energy after
 * the direct sound is the reverberant field's by Sabine's theory, (distance / critical
 * distance)^2 with the critical distance 0.057 sqrt(V / RT60), within 2 dB. */
static void test_room(void)
{
    const double rate = 48000;
    const double walls[6] = {2.6, 3.4, 2.0, 2.4, 1.5, 1.2}, dist = 2.0, rt60 = 0.3;
    CansimProfile *room = design_file(ROOM, rate);
    CansimProfile *dry = design(rate);
    if (!room || !dry) {
        cansim_profile_close(&room);
        cansim_profile_close(&dry);
        return;
    }
    const size_t n = cansim_profile_n_taps(room), n_dry = cansim_profile_n_taps(dry);
    const double sx = dist * cos(M_PI / 6), sz = 0;
    const double floor_d =
        sqrt(sx * sx + dist * dist * 0.25 + (2 * walls[5] + sz) * (2 * walls[5] + sz));
    const double first_s = (floor_d - dist) / 343.0;
    /* The direct sound's onset in the dry cell, then up to 0.5 ms before the reflection. */
    const float *dll = cansim_profile_taps(dry, CANSIM_CELL_LL);
    double peak = 0;
    for (size_t i = 0; i < n_dry; i++)
        peak = fmax(peak, fabs((double)dll[i]));
    size_t onset = 0;
    while (fabs((double)dll[onset]) < 0.1 * peak)
        onset++;
    const size_t until = onset + (size_t)((first_s - 0.0005) * rate);
    double err = 0, ref = 0;
    for (int c = 0; c < 4; c++) {
        const float *a = cansim_profile_taps(room, c), *b = cansim_profile_taps(dry, c);
        for (size_t i = 0; a && b && i < until && i < n_dry; i++) {
            err += ((double)a[i] - (double)b[i]) * ((double)a[i] - (double)b[i]);
            ref += sq(b[i]);
        }
    }
    const double early_db = 10 * log10(err / ref);
    printf(
        "room: before the first reflection (%.2f ms) the paths are speakers-kemar's to %.1f dB\n",
        first_s * 1e3, early_db);
    CHECK(early_db < -40, "room: the first %.2f ms differ from speakers-kemar by %.1f dB",
          first_s * 1e3, early_db);

    const float *ll = cansim_profile_taps(room, CANSIM_CELL_LL);
    double *edc = unit_xcalloc(n, sizeof *edc);
    double acc = 0;
    for (size_t i = n; i-- > 0;) {
        acc += sq(ll[i]);
        edc[i] = acc;
    }
    size_t i5 = 0, i25 = 0;
    while (i5 < n && 10 * log10(edc[i5] / edc[0]) > -5)
        i5++;
    i25 = i5;
    while (i25 < n && 10 * log10(edc[i25] / edc[0]) > -25)
        i25++;
    const double t60 = 3.0 * (double)(i25 - i5) / rate;
    printf("room: RT60 from the -5..-25 dB decay of L->L: %.3f s (stated %.2f s)\n", t60, rt60);
    CHECK(fabs(t60 - rt60) <= 0.15 * rt60, "room: RT60 %.3f s, stated %.2f s", t60, rt60);

    double e_direct = 0, e_late = 0;
    const size_t split = onset + (size_t)(first_s * rate) - (size_t)(0.0005 * rate);
    for (size_t i = 0; i < n; i++) {
        const double v = sq(ll[i]) + sq(cansim_profile_taps(room, CANSIM_CELL_LR)[i]);
        if (i < split)
            e_direct += v;
        else
            e_late += v;
    }
    const double v = (walls[0] + walls[1]) * (walls[2] + walls[3]) * (walls[4] + walls[5]);
    const double dc = 0.057 * sqrt(v / rt60);
    const double want_db = 20 * log10(dist / dc);
    const double got_db = 10 * log10(e_late / e_direct);
    printf("room: reflected and reverberant energy re the direct sound %.2f dB (Sabine: %.2f dB)\n",
           got_db, want_db);
    CHECK(fabs(got_db - want_db) <= 2.0, "room: %.2f dB of reflections and tail, want %.2f dB",
          got_db, want_db);
    free(edc);
    cansim_profile_close(&room);
    cansim_profile_close(&dry);
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 20261207);
    test_itd_ild();
    test_symmetry();
    test_diffuse_field();
    test_room();
    test_sofa_errors();
    fftw_cleanup();
    return unit_finish("test_hrtf");
}

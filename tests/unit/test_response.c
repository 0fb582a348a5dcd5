/* SPDX-License-Identifier: MIT */
/* cansim_profile_magnitude_db(): a filter's smoothed magnitude response against a direct DFT
 * in double precision, the Nyquist edge, and the arguments it refuses. */
#include <float.h>

#include "cansim/cansim.h"
#include "unit.h"

#define N_TAPS 256
#define PI     3.14159265358979323846

/* The page's grid: 20 Hz to 20 kHz, 24 points an octave. */
#define N_HZ 241

/* Power of the m-point DFT of h at bin k, in double, from an exact twiddle table. */
static double dft_power(const float *h, size_t n, const double *cos_t, const double *sin_t,
                        size_t m, size_t k)
{
    double re = 0.0, im = 0.0;
    for (size_t i = 0; i < n; i++) {
        const size_t j = (k * i) % m;
        re += (double)h[i] * cos_t[j];
        im -= (double)h[i] * sin_t[j];
    }
    return re * re + im * im;
}

/* The band rule of the library's contract: the mean power of the bins within smooth_oct
 * octaves centred on hz, or the power interpolated between the two bins around hz. */
static double band_power(const float *h, size_t n, const double *cos_t, const double *sin_t,
                         size_t m, double rate_hz, double smooth_oct, double hz)
{
    const double df = rate_hz / (double)m;
    const double half = pow(2.0, smooth_oct / 2);
    const size_t k0 = (size_t)ceil(hz / half / df), k1 = (size_t)floor(hz * half / df);
    if (k1 >= k0) {
        double s = 0.0;
        for (size_t k = k0; k <= k1; k++)
            s += dft_power(h, n, cos_t, sin_t, m, k);
        return s / (double)(k1 - k0 + 1);
    }
    const double x = hz / df;
    const size_t k = (size_t)x;
    const double a = dft_power(h, n, cos_t, sin_t, m, k);
    const double b = dft_power(h, n, cos_t, sin_t, m, k + 1);
    return a + (b - a) * (x - (double)k);
}

/* Random taps at 44.1 kHz (a 65536-point transform) against the direct DFT. FFTW's error per
 * bin is at most about 2 eps log2(m) ||h||_2 in amplitude (delta); a band's mean power p then
 * errs by at most 2 delta sqrt(p) + delta^2 (Cauchy-Schwarz over the band), which bounds the
 * error in dB at each frequency. */
static void check_random(void)
{
    const double rate_hz = 44100.0;
    const size_t m = 65536;
    float h[N_TAPS];
    unit_fill_random(h, N_TAPS, 0.5f);
    const float *cells[4] = {h, NULL, NULL, h};
    CansimProfile *p = NULL;
    CansimDiag diag;
    int rc = cansim_profile_from_taps(&p, "random", rate_hz, N_TAPS, cells, &diag);
    CHECK(rc == CANSIM_OK, "from_taps: %d %s", rc, diag.msg);
    if (rc)
        return;
    double *cos_t = malloc(m * sizeof *cos_t), *sin_t = malloc(m * sizeof *sin_t);
    double norm = 0.0;
    for (size_t i = 0; i < N_TAPS; i++)
        norm += (double)h[i] * (double)h[i];
    const double delta = 2.0 * (double)FLT_EPSILON * log2((double)m) * sqrt(norm);
    for (size_t j = 0; j < m; j++) {
        cos_t[j] = cos(2.0 * PI * (double)j / (double)m);
        sin_t[j] = sin(2.0 * PI * (double)j / (double)m);
    }
    double hz[N_HZ], db[N_HZ];
    for (size_t i = 0; i < N_HZ; i++)
        hz[i] = 20.0 * pow(1000.0, (double)i / (N_HZ - 1));
    const double smooths[] = {1.0 / 12.0, 0.0, 1.0 / 3.0};
    for (size_t s = 0; s < sizeof smooths / sizeof *smooths; s++) {
        rc = cansim_profile_magnitude_db(p, CANSIM_CELL_RR, smooths[s], hz, db, N_HZ, &diag);
        CHECK(rc == CANSIM_OK, "smooth %g: %d %s", smooths[s], rc, diag.msg);
        double worst = 0.0;
        for (size_t i = 0; !rc && i < N_HZ; i++) {
            if (hz[i] * pow(2.0, smooths[s] / 2) >= rate_hz / 2) { /* the band passes Nyquist */
                CHECK(isnan(db[i]), "smooth %g at %.2f Hz: %g dB, want NaN", smooths[s], hz[i],
                      db[i]);
                continue;
            }
            const double pw = band_power(h, N_TAPS, cos_t, sin_t, m, rate_hz, smooths[s], hz[i]);
            const double want = 10.0 * log10(pw);
            const double bound = 10.0 * log10(1.0 + (2.0 * delta * sqrt(pw) + delta * delta) / pw);
            CHECK(fabs(db[i] - want) <= bound,
                  "smooth %g at %.2f Hz: %.6f dB, want %.6f (bound %g)", smooths[s], hz[i], db[i],
                  want, bound);
            worst = fmax(worst, fabs(db[i] - want));
        }
        printf("smoothing %.4f oct: worst error %.2e dB\n", smooths[s], worst);
    }
    free(cos_t);
    free(sin_t);
    cansim_profile_close(&p);
}

/* A delayed, scaled impulse is flat at its gain; a band reaching Nyquist is NaN. */
static void check_impulse(void)
{
    float h[64] = {0};
    h[7] = 0.25f;
    const float *cells[4] = {h, NULL, NULL, NULL};
    CansimProfile *p = NULL;
    CansimDiag diag;
    int rc = cansim_profile_from_taps(&p, "delay", 32000.0, 64, cells, &diag);
    CHECK(rc == CANSIM_OK, "from_taps: %d %s", rc, diag.msg);
    if (rc)
        return;
    const double hz[] = {20.0, 1000.0, 15000.0, 15600.0, 16000.0};
    double db[5];
    rc = cansim_profile_magnitude_db(p, CANSIM_CELL_LL, 1.0 / 12.0, hz, db, 5, &diag);
    CHECK(rc == CANSIM_OK, "delay: %d %s", rc, diag.msg);
    /* |H| = 0.25 at every bin; each bin's power within a few eps of it. */
    const double want = 20.0 * log10(0.25), bound = 10.0 * log10(1.0 + 8.0 * (double)FLT_EPSILON);
    for (size_t i = 0; i < 3; i++)
        CHECK(fabs(db[i] - want) <= bound, "delay at %g Hz: %.9f dB, want %.9f", hz[i], db[i],
              want);
    /* 15600 Hz: the band's top, 15600 * 2^(1/24), passes 16 kHz. */
    CHECK(isnan(db[3]) && isnan(db[4]), "past Nyquist: %g %g, want NaN", db[3], db[4]);
    cansim_profile_close(&p);
}

static void check_refusals(void)
{
    float h[16] = {1.0f};
    const float *cells[4] = {h, NULL, NULL, NULL};
    CansimProfile *p = NULL;
    CansimDiag diag;
    int rc = cansim_profile_from_taps(&p, "one", 48000.0, 16, cells, &diag);
    CHECK(rc == CANSIM_OK, "from_taps: %d %s", rc, diag.msg);
    if (rc)
        return;
    double hz[2] = {100.0, 1000.0}, db[2];
    rc = cansim_profile_magnitude_db(p, CANSIM_CELL_LR, 0.0, hz, db, 2, &diag);
    CHECK(rc == CANSIM_EINVAL && strstr(diag.msg, "one"), "empty cell: %d '%s'", rc, diag.msg);
    rc = cansim_profile_magnitude_db(p, (enum CansimCell)4, 0.0, hz, db, 2, &diag);
    CHECK(rc == CANSIM_EINVAL, "cell 4: %d", rc);
    rc = cansim_profile_magnitude_db(p, CANSIM_CELL_LL, -0.1, hz, db, 2, &diag);
    CHECK(rc == CANSIM_EINVAL, "negative smoothing: %d", rc);
    rc = cansim_profile_magnitude_db(p, CANSIM_CELL_LL, (double)NAN, hz, db, 2, &diag);
    CHECK(rc == CANSIM_EINVAL, "NaN smoothing: %d", rc);
    hz[1] = 0.0;
    rc = cansim_profile_magnitude_db(p, CANSIM_CELL_LL, 0.0, hz, db, 2, &diag);
    CHECK(rc == CANSIM_EINVAL, "0 Hz: %d", rc);
    hz[1] = (double)NAN;
    rc = cansim_profile_magnitude_db(p, CANSIM_CELL_LL, 0.0, hz, db, 2, &diag);
    CHECK(rc == CANSIM_EINVAL, "NaN Hz: %d", rc);
    cansim_profile_close(&p);
    /* A curve profile has no taps until it is designed. */
    CansimProfile *curve = NULL;
    rc = cansim_profile_load(&curve, CANSIM_PROFILE_DIR "/sennheiser-hd-650.ini", &diag);
    CHECK(rc == CANSIM_OK, "load: %d %s", rc, diag.msg);
    if (!rc) {
        hz[1] = 1000.0;
        rc = cansim_profile_magnitude_db(curve, CANSIM_CELL_LL, 0.0, hz, db, 2, &diag);
        CHECK(rc == CANSIM_EINVAL, "curve profile: %d", rc);
    }
    cansim_profile_close(&curve);
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 15);
    check_impulse();
    check_refusals();
    check_random();
    return unit_finish("response");
}

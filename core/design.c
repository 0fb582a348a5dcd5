/* SPDX-License-Identifier: MIT */
/* Filter design: the smoothed coloration curve hp - ref, and its minimum-phase FIR by the real
 * cepstrum. */
#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "design.h"
#include "fft.h"

#define GRID_PER_OCTAVE 48   /* the simulated curve's grid: 1/48 octave */
#define MAX_OCTAVES     24.0 /* flat_below_hz .. flat_above_hz at most this wide */
#define MAX_SMOOTH_OCT  4.0
#define CHECK_LO_HZ     20.0 /* the band where the FIR must follow the curve */
#define CHECK_HI_HZ     20000.0
#define CHECK_HI_RATE   0.45 /* ... and below this fraction of the rate */
#define MIN_TAPS        64
#define MAX_SECONDS     0.5 /* the longest filter, rounded down to a power of two */
#define GUESS_TAIL      1e-8
#define PI              3.14159265358979323846
#define NEPER_PER_DB    0.11512925464970228 /* ln(10) / 20 */

/* Why the defaults:
 * - Smoothing 1/6 octave up to 1 kHz, widening to 1/3 octave from 8 kHz. Below 1 kHz a
 *   headphone's response is repeatable (bass shelf, midrange) and 1/6 octave keeps it while
 *   dropping measurement ripple. Above about 8 kHz the curve is dominated by unit-to-unit
 *   variation and by fit and seal: narrow peaks and notches move with each seating on the rig
 *   and differ again on a real ear, so keeping them would simulate one seating, not the
 *   headphone. 1/3 octave is the critical bandwidth there (2.3 kHz at 10 kHz, Zwicker &
 *   Terhardt 1980), so the broad trends that are heard (the HD 650's treble slope, the DT 990's
 *   peaks) stay and the rest goes.
 * - Flat below 20 Hz and above 20 kHz: the measurements stop there (AutoEq's grid is 20 Hz to
 *   19.96 kHz), and ear simulators are least trustworthy at the extremes.
 * - Boosts at most +12 dB: larger ones come from the rig rather than the headphone (near
 *   20 kHz the GRAS Harman target falls steeply, so hp - ref climbs; the DT 990 reaches the
 *   limit there), and they cost headroom in every render.
 * - 0 dB at 1 kHz: AutoEq's convention, so every profile plays at the same level there.
 * - 0.1 dB: a fraction of the smallest audible broadband level change; at 48 kHz it asks 1024
 *   to 8192 taps of the bundled headphones. */
void cansim_design_default_params(CansimDesignParams *p)
{
    *p = (CansimDesignParams){
        .boost_limit_db = 12.0,
        .smooth_oct_low = 1.0 / 6.0,
        .smooth_oct_high = 1.0 / 3.0,
        .smooth_hz_low = 1000.0,
        .smooth_hz_high = 8000.0,
        .flat_below_hz = 20.0,
        .flat_above_hz = 20000.0,
        .norm_hz = 1000.0,
        .max_error_db = 0.1,
    };
}

/* ------------------------------------------------------------------ curves */

int cansim_curve_alloc(CansimCurve *c, size_t n)
{
    memset(c, 0, sizeof *c);
    c->hz = calloc(n ? n : 1, sizeof *c->hz);
    c->db = calloc(n ? n : 1, sizeof *c->db);
    if (!c->hz || !c->db) {
        cansim_curve_free(c);
        return CANSIM_ENOMEM;
    }
    c->n = n;
    return CANSIM_OK;
}

void cansim_curve_free(CansimCurve *c)
{
    if (!c)
        return;
    free(c->hz);
    free(c->db);
    memset(c, 0, sizeof *c);
}

double cansim_curve_eval(const CansimCurve *c, double hz)
{
    if (!c || c->n == 0)
        return 0.0;
    if (!(hz > c->hz[0])) /* also 0 Hz and NaN */
        return c->db[0];
    if (hz >= c->hz[c->n - 1])
        return c->db[c->n - 1];
    size_t lo = 0;
    size_t hi = c->n - 1; /* hz[lo] < hz < hz[hi] */
    while (hi - lo > 1) {
        const size_t mid = lo + (hi - lo) / 2;
        if (c->hz[mid] <= hz)
            lo = mid;
        else
            hi = mid;
    }
    /* Differences of logs, not the log of a ratio: the ratio overflows for extreme points. */
    const double t = (log(hz) - log(c->hz[lo])) / (log(c->hz[hi]) - log(c->hz[lo]));
    return c->db[lo] + t * (c->db[hi] - c->db[lo]);
}

static int check_curve(const CansimCurve *c, const char *what, CansimDiag *diag)
{
    if (!c || c->n < 2 || !c->hz || !c->db)
        return cansim_diag_set(diag, CANSIM_EPROFILE,
                               "%s curve has %zu point(s); at least 2 are needed", what,
                               c ? c->n : 0);
    for (size_t i = 0; i < c->n; i++) {
        if (!isfinite(c->hz[i]) || c->hz[i] <= 0)
            return cansim_diag_set(
                diag, CANSIM_EPROFILE,
                "%s curve, point %zu: frequency %g Hz is not positive and finite", what, i + 1,
                c->hz[i]);
        if (i && c->hz[i] <= c->hz[i - 1])
            return cansim_diag_set(diag, CANSIM_EPROFILE,
                                   "%s curve, point %zu: frequency %g Hz does not increase (after "
                                   "%g Hz)",
                                   what, i + 1, c->hz[i], c->hz[i - 1]);
        if (!isfinite(c->db[i]))
            return cansim_diag_set(diag, CANSIM_EPROFILE,
                                   "%s curve, point %zu (%g Hz): level %g dB is not finite", what,
                                   i + 1, c->hz[i], c->db[i]);
    }
    return CANSIM_OK;
}

static bool in_range(double v, double lo, double hi)
{
    return v >= lo && v <= hi; /* false for NaN */
}

static int check_params(const CansimDesignParams *p, CansimDiag *diag)
{
    if (!p)
        return cansim_diag_set(diag, CANSIM_EINVAL, "no design parameters");
    if (!in_range(p->boost_limit_db, 0, 60))
        return cansim_diag_set(diag, CANSIM_EINVAL, "boost limit %g dB is outside 0..60",
                               p->boost_limit_db);
    if (!in_range(p->smooth_oct_low, 0, MAX_SMOOTH_OCT) ||
        !in_range(p->smooth_oct_high, 0, MAX_SMOOTH_OCT))
        return cansim_diag_set(diag, CANSIM_EINVAL,
                               "smoothing widths %g and %g octaves are not within 0..%g",
                               p->smooth_oct_low, p->smooth_oct_high, MAX_SMOOTH_OCT);
    if (!in_range(p->smooth_hz_low, 1e-3, 1e7) ||
        !in_range(p->smooth_hz_high, p->smooth_hz_low, 1e7))
        return cansim_diag_set(diag, CANSIM_EINVAL,
                               "smoothing corners %g Hz and %g Hz are not increasing and positive",
                               p->smooth_hz_low, p->smooth_hz_high);
    if (!in_range(p->flat_below_hz, 1e-3, 1e7) ||
        !in_range(p->flat_above_hz, 2 * p->flat_below_hz, 1e7) ||
        log2(p->flat_above_hz / p->flat_below_hz) > MAX_OCTAVES)
        return cansim_diag_set(diag, CANSIM_EINVAL,
                               "flat range %g..%g Hz is not 1 to %g octaves wide", p->flat_below_hz,
                               p->flat_above_hz, MAX_OCTAVES);
    if (!in_range(p->norm_hz, 1e-3, 1e7))
        return cansim_diag_set(diag, CANSIM_EINVAL, "normalisation frequency %g Hz is not positive",
                               p->norm_hz);
    if (!in_range(p->max_error_db, 1e-3, 6))
        return cansim_diag_set(diag, CANSIM_EINVAL, "maximum error %g dB is outside 0.001..6",
                               p->max_error_db);
    return CANSIM_OK;
}

/* ------------------------------------------------------------------ the simulated curve */

/* Smoothing width in octaves at log2-frequency x: constant outside the corners, linear in
 * log-frequency between them. */
static double smooth_width(const CansimDesignParams *p, double x)
{
    const double x_lo = log2(p->smooth_hz_low);
    const double x_hi = log2(p->smooth_hz_high);
    if (x <= x_lo)
        return p->smooth_oct_low;
    if (x >= x_hi)
        return p->smooth_oct_high;
    return p->smooth_oct_low +
           (x - x_lo) / (x_hi - x_lo) * (p->smooth_oct_high - p->smooth_oct_low);
}

/* The integral of the piecewise-linear v (n points, spacing h, from 0) from 0 to u (in points,
 * 0 <= u <= n - 1), given the prefix integrals at the points. */
static double integral(const double *v, const double *prefix, size_t n, double h, double u)
{
    size_t j = (size_t)u;
    if (j > n - 2)
        j = n - 2;
    const double a = u - (double)j;
    return prefix[j] + h * a * (v[j] + 0.5 * a * (v[j + 1] - v[j]));
}

int cansim_design_simulated(const CansimCurve *hp, const CansimCurve *ref,
                            const CansimDesignParams *p, CansimCurve *out, CansimDiag *diag)
{
    if (out)
        memset(out, 0, sizeof *out);
    int e = check_params(p, diag);
    if (!e)
        e = check_curve(hp, "headphone", diag);
    if (!e)
        e = check_curve(ref, "reference", diag);
    if (e)
        return e;
    if (!out)
        return cansim_diag_set(diag, CANSIM_EINVAL, "no output curve");

    /* The output grid spans the non-flat range exactly; the flat extension is then the end
     * values cansim_curve_eval() holds. The raw difference extends half the widest window
     * beyond it, so smoothing near the ends sees the data, not the grid's edge. */
    const double x0 = log2(p->flat_below_hz);
    const double x1 = log2(p->flat_above_hz);
    const size_t n_out = (size_t)ceil((x1 - x0) * GRID_PER_OCTAVE) + 1;
    const double h = (x1 - x0) / (double)(n_out - 1);
    const double w_max = fmax(p->smooth_oct_low, p->smooth_oct_high);
    const size_t margin = (size_t)ceil(0.5 * w_max / h) + 1;
    const size_t n_raw = n_out + 2 * margin;
    double *v = calloc(2 * n_raw, sizeof *v);
    if (!v || cansim_curve_alloc(out, n_out)) {
        free(v);
        return cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory");
    }
    double *prefix = v + n_raw;
    const double x_raw0 = x0 - (double)margin * h;
    for (size_t j = 0; j < n_raw; j++) {
        const double f = exp2(x_raw0 + (double)j * h);
        v[j] = cansim_curve_eval(hp, f) - cansim_curve_eval(ref, f);
    }
    prefix[0] = 0;
    for (size_t j = 1; j < n_raw; j++)
        prefix[j] = prefix[j - 1] + 0.5 * h * (v[j - 1] + v[j]);

    /* Fractional-octave smoothing: the mean of the curve (in dB, linear in log-frequency) over
     * a rectangular window of w octaves centred on each point, integrated exactly. Averaging dB
     * treats peaks and notches alike, and smoothing hp - ref is smoothing each. */
    for (size_t i = 0; i < n_out; i++) {
        const double x = x0 + (double)i * h;
        const double w = smooth_width(p, x);
        const double u = (double)(i + margin);
        const double half = 0.5 * w / h;
        if (half < 1e-9) {
            out->db[i] = v[i + margin];
        } else {
            const double a = integral(v, prefix, n_raw, h, u - half);
            const double b = integral(v, prefix, n_raw, h, u + half);
            out->db[i] = (b - a) / w;
        }
        out->hz[i] = exp2(x);
    }
    out->hz[0] = p->flat_below_hz;
    out->hz[n_out - 1] = p->flat_above_hz;
    free(v);

    const double g = cansim_curve_eval(out, p->norm_hz);
    for (size_t i = 0; i < n_out; i++)
        out->db[i] = fmin(out->db[i] - g, p->boost_limit_db);
    return CANSIM_OK;
}

/* ------------------------------------------------------------------ the minimum-phase FIR */

/* Sizes, from the rate alone. The longest filter, L_max, is 0.5 s rounded down to a power of
 * two (16384 taps at 44.1 and 48 kHz); the transform is N = 2 L_max, the largest power of two
 * not above the rate, so bins are 1 to 2 Hz apart (1.46 Hz at 48 kHz): 20 Hz is bin 10 or
 * higher, and the narrowest feature the smoothing lets through (1/6 octave at 20 Hz, 2.3 Hz)
 * spans more than a bin.
 *
 * Cepstral aliasing: the N-point cepstrum is the true one time-aliased. ln|H| stays exact at
 * the bins; the phase errs by up to twice the cepstrum's tail beyond N/2 (0.34 s at 48 kHz),
 * which would show as response left past N/2. On the bundled curves that part is at float
 * rounding noise (L1 norm about 1e-4, under 3 % of a 0.1 dB budget), and N four times larger
 * shortens two filters of sixty by one step. What aliasing remains is caught anyway: the length
 * check measures the truncated filter itself, at every bin (a filter of L <= N/2 taps is sampled
 * at least twice per rate/L) and at the band's edges. */
static size_t max_taps(double rate_hz)
{
    size_t n = MIN_TAPS;
    while (2 * n <= MAX_SECONDS * rate_hz)
        n *= 2;
    return n;
}

typedef struct Work {
    size_t n_fft;  /* N */
    size_t n_half; /* N / 2 + 1 bins */
    float *x;      /* N: time domain (cepstrum, then filters) */
    float *re;     /* bins */
    float *im;
    float *ln_mag; /* bins: the target ln|H| */
    float *h;      /* N: the minimum-phase response */
    fftwf_plan fwd;
    fftwf_plan inv;
} Work;

static void work_free(Work *w)
{
    cansim_fft_destroy(w->fwd);
    cansim_fft_destroy(w->inv);
    cansim_free(w->x);
    cansim_free(w->re);
    cansim_free(w->im);
    cansim_free(w->ln_mag);
    cansim_free(w->h);
}

/* Plans are made (and destroyed) under the planner lock (fft.c). */
static int work_init(Work *w, size_t n_fft)
{
    memset(w, 0, sizeof *w);
    w->n_fft = n_fft;
    w->n_half = n_fft / 2 + 1;
    const size_t nb = cansim_round_up(w->n_half, CANSIM_PAD);
    w->x = cansim_alloc_floats(n_fft);
    w->h = cansim_alloc_floats(n_fft);
    w->re = cansim_alloc_floats(nb);
    w->im = cansim_alloc_floats(nb);
    w->ln_mag = cansim_alloc_floats(nb);
    if (!w->x || !w->h || !w->re || !w->im || !w->ln_mag)
        return CANSIM_ENOMEM;
    w->fwd = cansim_fft_plan_split_r2c((int)n_fft, w->x, w->re, w->im, 0);
    w->inv = cansim_fft_plan_split_c2r((int)n_fft, w->re, w->im, w->x, FFTW_DESTROY_INPUT);
    return w->fwd && w->inv ? CANSIM_OK : CANSIM_EINTERNAL;
}

/* ln|H| of the curve at every bin: log-frequency through the vlog kernel, then one walk along
 * the curve (both ascend), linear in log-frequency like cansim_curve_eval(). */
static int target(Work *w, const CansimCurve *sim, double rate_hz, const CansimKernels *k)
{
    double *ln_hz = calloc(sim->n, sizeof *ln_hz);
    if (!ln_hz)
        return CANSIM_ENOMEM;
    for (size_t i = 0; i < sim->n; i++)
        ln_hz[i] = log(sim->hz[i]);
    const double df = rate_hz / (double)w->n_fft;
    for (size_t b = 0; b < w->n_half; b++)
        w->re[b] = (float)((double)b * df);
    k->vlog(w->re, w->re, w->n_half); /* bin 0 gives -inf: held at the first value */
    size_t i = 0;
    for (size_t b = 0; b < w->n_half; b++) {
        const double lf = (double)w->re[b];
        double db;
        if (!(lf > ln_hz[0])) {
            db = sim->db[0];
        } else if (lf >= ln_hz[sim->n - 1]) {
            db = sim->db[sim->n - 1];
        } else {
            while (lf >= ln_hz[i + 1])
                i++;
            const double t = (lf - ln_hz[i]) / (ln_hz[i + 1] - ln_hz[i]);
            db = sim->db[i] + t * (sim->db[i + 1] - sim->db[i]);
        }
        w->ln_mag[b] = (float)(db * NEPER_PER_DB);
    }
    free(ln_hz);
    return CANSIM_OK;
}

/* The real-cepstrum method (Oppenheim & Schafer, Discrete-Time Signal Processing, 3rd ed.,
 * ch. 13): the cepstrum c = IDFT(ln|H|) is real and even; folding it onto nonnegative
 * quefrencies, (c_0, 2 c_n for 0 < n < N/2, c_N/2, zeros), gives the complex cepstrum of the
 * minimum-phase filter with that magnitude, whose spectrum is then exp(DFT(folded)). FFTW's
 * transforms are unnormalised, so 1/N goes into the fold and into h. */
static void minimum_phase(Work *w, const CansimKernels *k)
{
    const size_t n = w->n_fft;
    const float s = 1.0f / (float)n;
    memcpy(w->re, w->ln_mag, w->n_half * sizeof *w->re);
    memset(w->im, 0, w->n_half * sizeof *w->im);
    fftwf_execute(w->inv);
    w->x[0] *= s;
    for (size_t i = 1; i < n / 2; i++)
        w->x[i] *= 2 * s;
    w->x[n / 2] *= s;
    memset(w->x + n / 2 + 1, 0, (n / 2 - 1) * sizeof *w->x);
    fftwf_execute(w->fwd);
    k->cexp(w->re, w->im, w->n_half);
    fftwf_execute(w->inv);
    for (size_t i = 0; i < n; i++)
        w->h[i] = w->x[i] * s;
}

/* Where the length check looks: every bin touching the band, plus, by a direct DTFT, the
 * band's edges and the curve's ends (the kinks where its flat extension starts), where the
 * error can peak between bins. */
#define MAX_POINTS 4
typedef struct Band {
    size_t lo;
    size_t hi;
    size_t n_points;
    double w[MAX_POINTS];  /* radians per sample */
    double ln[MAX_POINTS]; /* the target there, nepers */
} Band;

static void band_init(Band *band, const CansimCurve *sim, double rate_hz, size_t n_fft)
{
    const double df = rate_hz / (double)n_fft;
    const double f_lo = CHECK_LO_HZ;
    const double f_hi = fmin(CHECK_HI_HZ, CHECK_HI_RATE * rate_hz);
    band->lo = (size_t)floor(f_lo / df);
    band->hi = (size_t)ceil(f_hi / df);
    const double at[MAX_POINTS] = {f_lo, f_hi, sim->hz[0], sim->hz[sim->n - 1]};
    band->n_points = 0;
    for (size_t i = 0; i < MAX_POINTS; i++) {
        if (at[i] < f_lo || at[i] > f_hi)
            continue;
        band->w[band->n_points] = 2 * PI * at[i] / rate_hz;
        band->ln[band->n_points] = cansim_curve_eval(sim, at[i]) * NEPER_PER_DB;
        band->n_points++;
    }
}

/* ln|H(w)| of n taps by a direct DTFT in double, the phasor advanced by rotation. */
static double ln_mag_at(const float *h, size_t n, double w)
{
    const double c = cos(w);
    const double s = sin(w);
    double pr = 1;
    double pi = 0;
    double re = 0;
    double im = 0;
    for (size_t i = 0; i < n; i++) {
        re += (double)h[i] * pr;
        im -= (double)h[i] * pi;
        const double t = pr * c - pi * s;
        pi = pr * s + pi * c;
        pr = t;
    }
    return 0.5 * log(re * re + im * im);
}

/* NaN (from a zero power) counts as infinite. */
static double worse(double err, double d)
{
    return d <= err ? err : isnan(d) ? HUGE_VAL : d;
}

/* The largest |ln|H_L| - ln|H|| (nepers) over the band, for h truncated to n_taps. */
static double truncation_error(Work *w, const CansimKernels *k, size_t n_taps, const Band *band)
{
    memcpy(w->x, w->h, n_taps * sizeof *w->x);
    memset(w->x + n_taps, 0, (w->n_fft - n_taps) * sizeof *w->x);
    fftwf_execute(w->fwd);
    const size_t lo = band->lo;
    const size_t m = band->hi - lo + 1;
    float *p = w->re + lo;
    for (size_t b = 0; b < m; b++)
        p[b] = p[b] * p[b] + w->im[lo + b] * w->im[lo + b];
    k->vlog(p, p, m);
    double err = 0;
    for (size_t b = 0; b < m; b++)
        err = worse(err, fabs(0.5 * (double)p[b] - (double)w->ln_mag[lo + b]));
    for (size_t i = 0; i < band->n_points; i++)
        err = worse(err, fabs(ln_mag_at(w->h, n_taps, band->w[i]) - band->ln[i]));
    return err;
}

/* The shortest power-of-two length within tol, or max_taps when none is. The search starts
 * where the tail past the length holds GUESS_TAIL of the energy (within a step of the answer
 * on the bundled curves, so two or three checks instead of eight) and steps from there,
 * assuming the error falls with the length. */
static size_t choose_length(Work *w, const CansimKernels *k, const Band *band, size_t l_max,
                            double tol)
{
    double total = 0;
    for (size_t i = 0; i < w->n_fft; i++)
        total += (double)w->h[i] * (double)w->h[i];
    double tail = 0;
    for (size_t i = l_max; i < w->n_fft; i++)
        tail += (double)w->h[i] * (double)w->h[i];
    size_t len = l_max;
    for (size_t i = l_max; i-- > MIN_TAPS;) {
        tail += (double)w->h[i] * (double)w->h[i];
        if (tail > GUESS_TAIL * total)
            break;
        if ((i & (i - 1)) == 0)
            len = i;
    }
    if (truncation_error(w, k, len, band) <= tol) {
        while (len > MIN_TAPS && truncation_error(w, k, len / 2, band) <= tol)
            len /= 2;
        return len;
    }
    while (len < l_max) {
        len *= 2;
        if (len == l_max || truncation_error(w, k, len, band) <= tol)
            break;
    }
    return len;
}

int cansim_design_minphase(const CansimCurve *sim, double rate_hz, const CansimDesignParams *p,
                           const CansimKernels *k, float **taps, size_t *n_taps, CansimDiag *diag)
{
    *taps = NULL;
    *n_taps = 0;
    int e = check_params(p, diag);
    if (!e)
        e = check_curve(sim, "simulated", diag);
    if (e)
        return e;
    if (!in_range(rate_hz, 8000, 384000))
        return cansim_diag_set(diag, CANSIM_ERATE, "sample rate %g Hz is outside 8000-384000",
                               rate_hz);
    if (!k || !k->cexp || !k->vlog)
        return cansim_diag_set(diag, CANSIM_EINVAL, "no kernel table");

    const size_t l_max = max_taps(rate_hz);
    const size_t n_fft = 2 * l_max;
    Work w;
    e = work_init(&w, n_fft);
    if (!e)
        e = target(&w, sim, rate_hz, k);
    if (e) {
        work_free(&w);
        return e == CANSIM_ENOMEM ? cansim_diag_set(diag, e, "out of memory")
                                  : cansim_diag_set(diag, e, "cannot plan a %zu-point FFT", n_fft);
    }
    minimum_phase(&w, k);
    Band band;
    band_init(&band, sim, rate_hz, n_fft);
    const size_t len = choose_length(&w, k, &band, l_max, p->max_error_db * NEPER_PER_DB);

    float *out = cansim_alloc_floats(len);
    if (out)
        memcpy(out, w.h, len * sizeof *out);
    work_free(&w);
    if (!out)
        return cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory");
    *taps = out;
    *n_taps = len;
    return CANSIM_OK;
}

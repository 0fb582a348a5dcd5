/* SPDX-License-Identifier: MIT */
/* bs2b crossfeed as two impulse responses (direct and cross path), folded into 2x2 cells. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crossfeed.h"

#define PI 3.14159265358979323846

/* Boris Mikhaylov's bs2b (libbs2b 3.1): the cross path is a one-pole low-pass at cut_hz with
 * gain G_lo, the direct path a one-pole/one-zero high-boost whose corner Fc_hi follows from the
 * feed level, both scaled so the sum of the paths is flat at DC:
 *   GB_lo = -5/6 feed - 3 dB, GB_hi = feed/6 - 3 dB, G_lo = 10^(GB_lo/20),
 *   G_hi = 1 - 10^(GB_hi/20), Fc_hi = Fc_lo 2^((GB_lo - 20 log10 G_hi) / 12),
 *   lo: y = a0_lo x + b1_lo y', hi: y = a0_hi x + a1_hi x' + b1_hi y', gain = 1/(1 - G_hi + G_lo).
 * libbs2b quantises the feed to tenths of a dB; so does this, to match it exactly. */
typedef struct Bs2b {
    double a0_lo, b1_lo, a0_hi, a1_hi, b1_hi, gain;
} Bs2b;

static Bs2b bs2b_coefficients(double rate_hz, double cut_hz, double feed_db)
{
    const double feed = round(feed_db * 10.0) / 10.0;
    const double gb_lo = feed * -5.0 / 6.0 - 3.0;
    const double gb_hi = feed / 6.0 - 3.0;
    const double g_lo = pow(10.0, gb_lo / 20.0);
    const double g_hi = 1.0 - pow(10.0, gb_hi / 20.0);
    const double fc_hi = cut_hz * pow(2.0, (gb_lo - 20.0 * log10(g_hi)) / 12.0);
    Bs2b c;
    double x = exp(-2.0 * PI * cut_hz / rate_hz);
    c.b1_lo = x;
    c.a0_lo = g_lo * (1.0 - x);
    x = exp(-2.0 * PI * fc_hi / rate_hz);
    c.b1_hi = x;
    c.a0_hi = 1.0 - g_hi * (1.0 - x);
    c.a1_hi = -x;
    c.gain = 1.0 / (1.0 - g_hi + g_lo);
    return c;
}

int cansim_crossfeed_irs(double rate_hz, double cut_hz, double feed_db, double **direct,
                         double **cross, size_t *n_taps)
{
    const Bs2b c = bs2b_coefficients(rate_hz, cut_hz, feed_db);
    /* Both paths decay as b1^n; stop where the slower one is below 1e-9 of its start (-180 dB),
     * far under float's resolution. */
    const double slowest = c.b1_lo > c.b1_hi ? c.b1_lo : c.b1_hi;
    size_t n = (size_t)ceil(log(1e-9) / log(slowest)) + 1;
    n = n < 16 ? 16 : n;
    *direct = calloc(n, sizeof **direct);
    *cross = calloc(n, sizeof **cross);
    if (!*direct || !*cross) {
        free(*direct);
        free(*cross);
        *direct = *cross = NULL;
        return CANSIM_ENOMEM;
    }
    double lo = 0.0, hi = 0.0, x_prev = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double x = i == 0 ? 1.0 : 0.0;
        lo = c.a0_lo * x + c.b1_lo * lo;
        hi = c.a0_hi * x + c.a1_hi * x_prev + c.b1_hi * hi;
        x_prev = x;
        (*direct)[i] = hi * c.gain;
        (*cross)[i] = lo * c.gain;
    }
    *n_taps = n;
    return CANSIM_OK;
}

int cansim_crossfeed_parse(const char *text, CansimCrossfeed *out, CansimDiag *diag)
{
    static const struct {
        const char *name;
        double cut_hz, feed_db;
    } presets[] = {{"bs2b", 700.0, 4.5},
                   {"default", 700.0, 4.5},
                   {"cmoy", 700.0, 6.0},
                   {"jmeier", 650.0, 9.5}};
    if (!text)
        return cansim_diag_set(diag, CANSIM_EINVAL, "no crossfeed given");
    if (!strcmp(text, "off")) {
        *out = (CansimCrossfeed){.mode = CANSIM_CROSSFEED_OFF};
        return CANSIM_OK;
    }
    for (size_t i = 0; i < sizeof presets / sizeof *presets; i++)
        if (!strcmp(text, presets[i].name)) {
            *out = (CansimCrossfeed){CANSIM_CROSSFEED_ON, presets[i].cut_hz, presets[i].feed_db};
            return CANSIM_OK;
        }
    char *end;
    const double hz = strtod(text, &end);
    if (end == text || *end != ':')
        return cansim_diag_set(diag, CANSIM_EINVAL,
                               "crossfeed '%s' is not bs2b, cmoy, jmeier, off or HZ:DB", text);
    const char *db_text = end + 1;
    const double db = strtod(db_text, &end);
    if (end == db_text || *end)
        return cansim_diag_set(diag, CANSIM_EINVAL,
                               "crossfeed '%s' is not bs2b, cmoy, jmeier, off or HZ:DB", text);
    if (!(hz >= CANSIM_BS2B_MIN_HZ && hz <= CANSIM_BS2B_MAX_HZ))
        return cansim_diag_set(diag, CANSIM_EINVAL,
                               "crossfeed cut %g Hz is outside bs2b's %d-%d Hz", hz,
                               CANSIM_BS2B_MIN_HZ, CANSIM_BS2B_MAX_HZ);
    if (!(db >= CANSIM_BS2B_MIN_DB && db <= CANSIM_BS2B_MAX_DB))
        return cansim_diag_set(diag, CANSIM_EINVAL,
                               "crossfeed level %g dB is outside bs2b's %d-%d dB", db,
                               CANSIM_BS2B_MIN_DB, CANSIM_BS2B_MAX_DB);
    *out = (CansimCrossfeed){CANSIM_CROSSFEED_ON, hz, db};
    return CANSIM_OK;
}

/* out = a * b (full linear convolution, n_a + n_b - 1 values), accumulated. */
static void convolve_add(double *out, const float *a, size_t n_a, const double *b, size_t n_b)
{
    for (size_t i = 0; i < n_a; i++) {
        const double ai = (double)a[i];
        if (ai == 0.0)
            continue;
        for (size_t k = 0; k < n_b; k++)
            out[i + k] += ai * b[k];
    }
}

int cansim_crossfeed_apply(const float *const cells[4], size_t n_taps, double rate_hz,
                           double cut_hz, double feed_db, float *out[4], size_t *n_out)
{
    double *d, *c;
    size_t n_cf;
    int e = cansim_crossfeed_irs(rate_hz, cut_hz, feed_db, &d, &c, &n_cf);
    if (e)
        return e;
    const size_t n = n_taps + n_cf - 1;
    double *acc = calloc(n, sizeof *acc);
    for (int k = 0; k < 4; k++)
        out[k] = NULL;
    if (!acc) {
        e = CANSIM_ENOMEM;
        goto done;
    }
    /* The crossfeed runs first: input X reaches the headphone's input K through the direct path
     * (K = X) or the cross path, then K reaches output Y through the cell K->Y. */
    for (int x = 0; x < 2; x++)
        for (int y = 0; y < 2; y++) {
            memset(acc, 0, n * sizeof *acc);
            bool is_used = false;
            for (int k = 0; k < 2; k++) {
                const float *h = cells[2 * k + y];
                if (!h)
                    continue;
                convolve_add(acc, h, n_taps, k == x ? d : c, n_cf);
                is_used = true;
            }
            if (!is_used)
                continue;
            out[2 * x + y] = cansim_alloc_floats(n);
            if (!out[2 * x + y]) {
                e = CANSIM_ENOMEM;
                goto done;
            }
            for (size_t i = 0; i < n; i++)
                out[2 * x + y][i] = (float)acc[i];
        }
    *n_out = n;
done:
    if (e)
        for (int k = 0; k < 4; k++) {
            cansim_free(out[k]);
            out[k] = NULL;
        }
    free(acc);
    free(d);
    free(c);
    return e;
}

/* SPDX-License-Identifier: MIT */
/* cansim-synth: writes the project's own demo and benchmark material (a synthetic mix,
 * impulse-response profiles), so nothing third-party is needed to try or measure cansim. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdbool.h>
#include <sndfile.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

#define PI 3.14159265358979323846

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static double rnd(void) /* uniform in [-1, 1) */
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

typedef struct Biquad {
    double b0, b1, b2, a1, a2, z1, z2;
} Biquad;

/* RBJ audio-EQ-cookbook sections. */
static Biquad peaking(double rate, double f0, double q, double gain_db)
{
    const double a = pow(10.0, gain_db / 40.0), w = 2 * PI * f0 / rate;
    const double alpha = sin(w) / (2 * q), a0 = 1 + alpha / a;
    return (Biquad){(1 + alpha * a) / a0,
                    -2 * cos(w) / a0,
                    (1 - alpha * a) / a0,
                    -2 * cos(w) / a0,
                    (1 - alpha / a) / a0,
                    0,
                    0};
}

static Biquad shelf(double rate, double f0, double gain_db, int is_high)
{
    const double a = pow(10.0, gain_db / 40.0), w = 2 * PI * f0 / rate;
    const double alpha = sin(w) / 2 * sqrt(2.0), c = cos(w), s = 2 * sqrt(a) * alpha;
    const double sg = is_high ? -1.0 : 1.0;
    const double a0 = (a + 1) + sg * (a - 1) * c + s;
    return (Biquad){a * ((a + 1) - sg * (a - 1) * c + s) / a0,
                    sg * 2 * a * ((a - 1) - sg * (a + 1) * c) / a0,
                    a * ((a + 1) - sg * (a - 1) * c - s) / a0,
                    -sg * 2 * ((a - 1) + sg * (a + 1) * c) / a0,
                    ((a + 1) + sg * (a - 1) * c - s) / a0,
                    0,
                    0};
}

static Biquad lowpass(double rate, double f0, double q)
{
    const double w = 2 * PI * f0 / rate, alpha = sin(w) / (2 * q), a0 = 1 + alpha;
    return (Biquad){(1 - cos(w)) / 2 / a0,
                    (1 - cos(w)) / a0,
                    (1 - cos(w)) / 2 / a0,
                    -2 * cos(w) / a0,
                    (1 - alpha) / a0,
                    0,
                    0};
}

static double run(Biquad *b, double x)
{
    const double y = b->b0 * x + b->z1;
    b->z1 = b->b1 * x - b->a1 * y + b->z2;
    b->z2 = b->b2 * x - b->a2 * y;
    return y;
}

/* A float or 16-bit WAV for writing; NULL with the reason on stderr. */
static SNDFILE *open_out(const char *path, int ch, int rate, int format)
{
    SF_INFO info = {.samplerate = rate, .channels = ch, .format = format};
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    if (!sf)
        fprintf(stderr, "cansim-synth: %s: %s\n", path, sf_strerror(NULL));
    return sf;
}

static int write_file(const char *path, const float *x, int64_t n, int ch, int rate, int format)
{
    SNDFILE *sf = open_out(path, ch, rate, format);
    if (!sf)
        return 1;
    const sf_count_t w = sf_writef_float(sf, x, n);
    const int e = sf_close(sf);
    if (w != n || e) {
        fprintf(stderr, "cansim-synth: %s: write failed\n", path);
        return 1;
    }
    return 0;
}

/* A short groove: kick, bass, a panned hat, a chord pad spread wide. Streams in blocks so an
 * hour-long benchmark input needs no memory. */
static int make_mix(const char *path, double seconds, int rate, int format)
{
    SNDFILE *sf = open_out(path, 2, rate, format);
    if (!sf)
        return 1;
    const int64_t n = (int64_t)(seconds * rate);
    const double beat = 60.0 / 112.0;
    static const double chord[4][3] = {{220.0, 261.63, 329.63},
                                       {174.61, 220.0, 261.63},
                                       {196.0, 246.94, 293.66},
                                       {164.81, 207.65, 246.94}};
    static const double bass[4] = {55.0, 43.65, 49.0, 41.2};
    Biquad hat = lowpass(rate, 9000, 0.7), pad_l = lowpass(rate, 2500, 0.7),
           pad_r = lowpass(rate, 2500, 0.7);
    enum { BLOCK = 4096 };
    float *buf = malloc(2 * BLOCK * sizeof *buf);
    if (!buf)
        return 1;
    int rc = 0;
    for (int64_t i0 = 0; i0 < n && !rc; i0 += BLOCK) {
        const int64_t m = n - i0 < BLOCK ? n - i0 : BLOCK;
        for (int64_t k = 0; k < m; k++) {
            const double t = (double)(i0 + k) / rate;
            const double tb = fmod(t, beat);
            const int bar = (int)(t / (4 * beat)) % 4;
            const double kick =
                sin(2 * PI * (45 * tb + 60 * (1 - exp(-tb * 30)) / 30)) * exp(-tb * 9);
            const double bass_v =
                0.35 * tanh(2.5 * sin(2 * PI * bass[bar] * t)) * (0.6 + 0.4 * exp(-tb * 4));
            const double th = fmod(t + beat / 2, beat / 2);
            const double hat_v = 0.12 * run(&hat, rnd()) * exp(-th * 60);
            double pl = 0, pr = 0;
            for (int v = 0; v < 3; v++) {
                const double f = chord[bar][v];
                pl += sin(2 * PI * f * 1.003 * t + v) + 0.3 * sin(4 * PI * f * t);
                pr += sin(2 * PI * f * 0.997 * t + 2 * v) + 0.3 * sin(6 * PI * f * t);
            }
            pl = run(&pad_l, 0.06 * pl);
            pr = run(&pad_r, 0.06 * pr);
            const double mid = 0.55 * kick + bass_v;
            buf[2 * k] = (float)(0.7 * (mid + 0.4 * hat_v + pl));
            buf[2 * k + 1] = (float)(0.7 * (mid + hat_v + pr));
        }
        if (sf_writef_float(sf, buf, m) != m) {
            fprintf(stderr, "cansim-synth: %s: %s\n", path, sf_strerror(sf));
            rc = 1;
        }
    }
    free(buf);
    if (sf_close(sf))
        rc = 1;
    return rc;
}

/* Demo headphone-like impulse responses (until real profiles exist): minimum-phase IIR
 * sections truncated to taps; `random` is decaying noise, the benchmark's worst case (every
 * partition nonzero). */
static int make_ir(const char *path, const char *kind, int rate, int taps, int ch)
{
    float *x = calloc((size_t)taps * 4, sizeof *x);
    if (!x)
        return 1;
    if (!strcmp(kind, "random")) {
        for (int c = 0; c < ch; c++)
            for (int i = 0; i < taps; i++)
                x[(size_t)i * ch + c] =
                    (float)(rnd() * exp(-6.0 * i / taps) * (c == 1 || c == 2 ? 0.3 : 1.0));
        const int e = write_file(path, x, taps, ch, rate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
        free(x);
        return e;
    }
    Biquad s[4];
    int n_s = 0;
    if (!strcmp(kind, "closed")) { /* sealed-cup bass bump, bright 3-7 kHz and 11 kHz peaks */
        s[n_s++] = shelf(rate, 120, 5.0, 0);
        s[n_s++] = peaking(rate, 5000, 1.2, 4.0);
        s[n_s++] = peaking(rate, 11000, 4.0, 3.0);
    } else if (!strcmp(kind, "open")) { /* honest bass, gentle treble roll-off */
        s[n_s++] = shelf(rate, 60, -1.5, 0);
        s[n_s++] = shelf(rate, 9000, -3.0, 1);
    } else if (strcmp(kind, "speakers")) {
        fprintf(stderr, "cansim-synth: unknown IR kind '%s'\n", kind);
        free(x);
        return 2;
    }
    if (!strcmp(kind, "speakers")) { /* crossfeed-like: cross path low-passed, delayed, -4.5 dB */
        ch = 4;
        Biquad lp = lowpass(rate, 700, 0.5);
        const int delay = (int)(0.0003 * rate);
        for (int i = 0; i < taps; i++) {
            const double d = i == 0 ? 1.0 : 0.0;
            const double xin = i == delay ? 1.0 : 0.0;
            const double cross = run(&lp, xin) * pow(10.0, -4.5 / 20);
            x[(size_t)i * 4 + 0] = x[(size_t)i * 4 + 3] = (float)d;
            x[(size_t)i * 4 + 1] = x[(size_t)i * 4 + 2] = (float)cross;
        }
    } else {
        ch = 2;
        for (int i = 0; i < taps; i++) {
            double y = i == 0 ? 1.0 : 0.0;
            for (int k = 0; k < n_s; k++)
                y = run(&s[k], y);
            x[(size_t)i * 2] = x[(size_t)i * 2 + 1] = (float)y;
        }
    }
    const int e = write_file(path, x, taps, ch, rate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    free(x);
    return e;
}

static int usage(void)
{
    fputs("usage: cansim-synth mix OUT [--seconds S] [--rate HZ] [--pcm16]\n"
          "       cansim-synth ir OUT [--kind closed|open|speakers|random] [--rate HZ]\n"
          "                           [--taps N] [--channels 1|2|4] [--seed N]\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    double seconds = 20;
    int rate = 48000;
    int taps = 2048;
    int ch = 2;
    int format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
    const char *kind = "closed";
    for (int i = 3; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--pcm16")) {
            format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
            continue;
        }
        if (!v)
            return usage();
        i++;
        unsigned long long seed;
        bool ok = true;
        if (!strcmp(a, "--seconds"))
            ok = bench_parse_real(v, 0.0, 86400.0, &seconds);
        else if (!strcmp(a, "--rate"))
            ok = bench_parse_int(v, 8000, 384000, &rate);
        else if (!strcmp(a, "--taps"))
            ok = bench_parse_int(v, 1, 1 << 20, &taps);
        else if (!strcmp(a, "--channels"))
            ok = bench_parse_int(v, 1, 4, &ch) && ch != 3;
        else if (!strcmp(a, "--kind"))
            kind = v;
        else if (!strcmp(a, "--seed")) {
            ok = bench_parse_uint(v, 0, ~0ull, &seed);
            rng_state = 0x9E3779B97F4A7C15ull ^ (uint64_t)seed * 0x2545F4914F6CDD1Dull;
        } else
            ok = false;
        if (!ok)
            return usage();
    }
    if (!strcmp(argv[1], "mix"))
        return make_mix(argv[2], seconds, rate, format);
    if (!strcmp(argv[1], "ir"))
        return make_ir(argv[2], kind, rate, taps, ch);
    return usage();
}

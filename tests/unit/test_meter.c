/* SPDX-License-Identifier: MIT */
/* The input meter (core/meter.c) against libebur128 (integrated loudness, the oracle): noise at
 * several levels, a gated 45 Hz tone with hi-hats, a quiet verse before a loud chorus, silence
 * with one loud second, everything under the gate, mono (dual mono), rates from 22.05 to 192 kHz,
 * lengths that end mid-segment and chunks of odd sizes: within 1e-6 LU, and -inf together. */
#include <ebur128.h>
#include <math.h>
#include <stdbool.h>

#include "meter.h"
#include "unit.h"

enum { KIND_NOISE, KIND_GATED_BASS, KIND_VERSE_CHORUS, KIND_ONE_SECOND, KIND_SILENT, N_KINDS };

static const char *const kind_names[N_KINDS] = {"noise", "gated 45 Hz + hats", "verse/chorus",
                                                "one loud second", "under the gate"};

static const double TAU = 6.283185307179586;

static float sample(int kind, size_t i, double rate, int c, double level)
{
    const double t = (double)i / rate;
    const double noise = 2.0 * (double)unit_rand_float() - 1.0;
    switch (kind) {
    case KIND_NOISE:
        return (float)(level * noise);
    case KIND_GATED_BASS:
        return (float)(level *
                       ((fmod(t, 1.0) < 0.5 ? sin(TAU * 45.0 * t + c) : 0.0) + 0.1 * noise));
    case KIND_VERSE_CHORUS:
        return (float)(level * (t < 4.0 ? 0.05 * sin(TAU * 80.0 * t) : noise));
    case KIND_ONE_SECOND:
        return (float)(t > 2.0 && t < 3.0 ? level * noise : 0.0);
    default:
        return (float)(1e-5 * noise);
    }
}

static void check_case(int kind, int n_channels, double rate, double seconds, double level)
{
    const size_t n = (size_t)(seconds * rate);
    float *x = malloc(n * (size_t)n_channels * sizeof *x);
    if (!x)
        return;
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < n_channels; c++)
            x[i * (size_t)n_channels + (size_t)c] = sample(kind, i, rate, c, level);
    ebur128_state *ref = ebur128_init((unsigned)n_channels, (unsigned long)rate, EBUR128_MODE_I);
    CansimMeter *m = cansim_meter_open(n_channels, rate);
    CHECK(ref && m, "cannot open the meters");
    if (!ref || !m) {
        free(x);
        return;
    }
    if (n_channels == 1)
        ebur128_set_channel(ref, 0, EBUR128_DUAL_MONO);
    /* chunks of odd sizes, as the engine's reads and ends give them */
    for (size_t i = 0, k = 1; i < n; i += k, k = k * 7 % 9973 + 1) {
        const size_t kk = n - i < k ? n - i : k;
        ebur128_add_frames_float(ref, x + i * (size_t)n_channels, kk);
        CHECK(!cansim_meter_add(m, x + i * (size_t)n_channels, kk), "add failed");
    }
    double want = 0.0;
    if (ebur128_loudness_global(ref, &want))
        want = (double)NAN;
    const double got = cansim_meter_lufs(m);
    const bool same =
        isinf(want) ? isinf(got) && got < 0.0 : isfinite(got) && fabs(got - want) < 1e-6;
    CHECK(same, "%s, %d channel(s), %.0f Hz, %.2f s: %.9f LUFS, libebur128 %.9f", kind_names[kind],
          n_channels, rate, seconds, got, want);
    ebur128_destroy(&ref);
    cansim_meter_close(m);
    free(x);
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 5);
    static const double rates[] = {22050.0, 44100.0, 48000.0, 96000.0, 192000.0};
    for (int kind = 0; kind < N_KINDS; kind++)
        for (size_t r = 0; r < sizeof rates / sizeof rates[0]; r++)
            for (int ch = 1; ch <= 2; ch++)
                check_case(kind, ch, rates[r], rates[r] > 50000.0 ? 4.37 : 7.53, 0.3);
    check_case(KIND_NOISE, 2, 48000.0, 0.35, 0.3); /* shorter than one block */
    check_case(KIND_NOISE, 2, 48000.0, 60.0, 0.01);
    CHECK(!cansim_meter_open(3, 48000.0) && !cansim_meter_open(2, 0.0),
          "a meter of 3 channels or no rate");
    return unit_finish("meter");
}

/* SPDX-License-Identifier: MIT */
/* The finishing write's integer samples (core/finish_write.c): 16- and 24-bit PCM in WAV and RF64
 * files, packed by the pack_pcm kernels and written raw, come out byte for byte as the file
 * libsndfile writes from the same floats with sf_writef_float() (the oracle), header included,
 * at every CPU level, with and without gain and dither; random values, exact ties, values near
 * full scale. Other formats, which libsndfile still converts, are checked alike. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "audio_io.h"
#include "finish_write.h"
#include "unit.h"
#include "unit_files.h"

/* frames: more than two of the finish's chunks, and a part */
enum { N = 2 * CANSIM_IO_FRAMES + 3001 };

static char tmp_dir[256];
static float x[2 * N], y[2 * N];

/* A float x with x s (rounded to float) exactly t = k + 1/2 for a random k in [-s, s), else 0:
 * t / s rounded to float hits it for about a third of the k. */
static float tie(float s)
{
    for (int tries = 0; tries < 100; tries++) {
        const float t = floorf(s * unit_rand_float()) + 0.5f;
        const float v = (float)((double)t / (double)s);
        if (v * s == t)
            return v;
    }
    return 0.0f;
}

/* The input: blocks of random values under full scale, ties at 16 and 24 bits, and values near
 * +-1 (+-1 itself, a few ulp under it, about half an LSB under it at either width). */
static void fill(void)
{
    for (size_t i = 0; i < 2 * N; i++) {
        const float sign = unit_rand_u64() & 1 ? -1.0f : 1.0f;
        switch (i / 1000 % 4) {
        case 0:
            x[i] = 0.999f * unit_rand_float();
            break;
        case 1:
            x[i] = tie(32767.0f);
            break;
        case 2:
            x[i] = tie(8388607.0f);
            break;
        default: {
            const float lsb = unit_rand_u64() & 1 ? 1.0f / 32767.0f : 1.0f / 8388607.0f;
            const uint64_t r = unit_rand_u64() % 3;
            x[i] = sign * (r == 0   ? 1.0f - (float)(unit_rand_u64() % 16) * 0x1p-24f
                           : r == 1 ? 1.0f - 0.5f * lsb * (1.0f + 0x1p-12f * unit_rand_float())
                                    : 1.0f - 0.5f * lsb);
        }
        }
    }
}

/* y (the floats the finish hands over) written by libsndfile as every output is opened: the
 * oracle's file; its path in path. */
static bool write_oracle(int sf_format, const char *final, char *path, size_t n)
{
    SNDFILE *sf = NULL;
    CansimDiag d = {{0}};
    int e = cansim_audio_create(final, "oracle", sf_format, 48000, 2, SFM_WRITE, &sf, path, n, &d);
    CHECK(!e, "%s: create: %s", final, d.msg);
    if (e)
        return false;
    CHECK(sf_writef_float(sf, y, N) == N, "%s: write failed", final);
    e = cansim_audio_close(sf, path, &d);
    CHECK(!e, "%s: close: %s", final, d.msg);
    return !e;
}

/* The finish of x at gain (dithered from seed when has_dither) with the kernels of cpu_flags
 * against the oracle's file of the same floats. */
static void check_one(int sf_format, const char *name, unsigned cpu_flags, double gain,
                      bool has_dither)
{
    CansimKernels k;
    cansim_kernels_init(&k, cpu_flags);
    const uint64_t seed = unit_rand_u64();
    uint64_t state = seed;
    cansim_gain_dither_c(y, x, 2 * N, gain, has_dither ? &state : NULL);
    char final[512], got[600], want[600];
    snprintf(final, sizeof final, "%s/%s", tmp_dir, name);
    if (!write_oracle(sf_format, final, want, sizeof want))
        return;
    const CansimFinishSrc src = {.frames = x, .n_frames = N, .k = &k};
    CansimDiag d = {{0}};
    const int e = cansim_level_finish(&src, final, NULL, got, sizeof got, sf_format,
                                      CANSIM_FLAC_LEVEL_DEFAULT, 48000, gain, has_dither, seed, &d);
    CHECK(!e, "%s: finish: %s", name, d.msg);
    if (!e)
        CHECK(unit_same_bytes(got, want),
              "%s at %s, gain %.17g, %s: not the bytes libsndfile writes from the same floats",
              name, cansim_cpu_level_name(cpu_flags), gain, has_dither ? "dithered" : "no dither");
    unlink(got);
    unlink(want);
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 20);
    unit_make_tmp_dir(tmp_dir, sizeof tmp_dir, "cansim-pack-");
    fill();
    static const struct {
        int sf_format;
        const char *name;
    } formats[] = {
        {SF_FORMAT_WAV | SF_FORMAT_PCM_16, "out16.wav"},
        {SF_FORMAT_WAV | SF_FORMAT_PCM_24, "out24.wav"},
        {SF_FORMAT_WAV | SF_FORMAT_PCM_24 | SF_ENDIAN_LITTLE, "out24-le.wav"},
        /* under 4 GiB an RF64 output is downgraded to WAV when it closes */
        {SF_FORMAT_RF64 | SF_FORMAT_PCM_16, "out16.rf64"},
        {SF_FORMAT_RF64 | SF_FORMAT_PCM_24, "out24.rf64"},
        {SF_FORMAT_WAVEX | SF_FORMAT_PCM_24, "out24x.wav"},
        /* converted by libsndfile */
        {SF_FORMAT_WAV | SF_FORMAT_PCM_32, "out32.wav"},
        {SF_FORMAT_WAV | SF_FORMAT_PCM_24 | SF_ENDIAN_BIG, "out24-be.wav"},
        {SF_FORMAT_AIFF | SF_FORMAT_PCM_24, "out24.aiff"},
    };
    const unsigned cpu = cansim_cpu_detect();
    static const unsigned levels[] = {0, CANSIM_CPU_AVX2, CANSIM_CPU_AVX2 | CANSIM_CPU_AVX512};
    for (size_t l = 0; l < sizeof levels / sizeof levels[0]; l++) {
        if ((levels[l] & cpu) != levels[l])
            continue;
        for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
            check_one(formats[f].sf_format, formats[f].name, levels[l], 1.0, false);
            check_one(formats[f].sf_format, formats[f].name, levels[l], 0.8912509381337456, true);
        }
    }
    unit_remove_tree(tmp_dir);
    return unit_finish("level_pack");
}

/* SPDX-License-Identifier: MIT */
/* cansim-batch-gen: the batch tests' fixtures (any container, encoding, rate and channel count
 * libsndfile writes) and their checks (frames, rate, format of an output). */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sndfile.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static const char usage[] =
    "usage: cansim-batch-gen COMMAND ARGS\n"
    "  audio PATH RATE CHANNELS FRAMES SEED FORMAT   tones and noise, -12 dBFS or so\n"
    "  random PATH BYTES SEED                        random bytes (a corrupt file)\n"
    "  truncated PATH RATE CHANNELS FRAMES           16-bit WAV whose data stops halfway\n"
    "  info PATH           frames=N channels=N rate=N major=wav|flac|aiff|... subtype=...\n"
    "FORMAT: wav16 wav24 wav32f flac16 flac24 aiff16 aiff24 aiff32f\n";

static int die(const char *what, const char *path)
{
    fprintf(stderr, "cansim-batch-gen: %s: %s\n", path, what);
    return 2;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
    char *end = NULL;
    errno = 0;
    const long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return 0;
    *out = v;
    return 1;
}

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static int parse_format(const char *name, int *format)
{
    static const struct {
        const char *name;
        int format;
    } table[] = {
        {"wav16", SF_FORMAT_WAV | SF_FORMAT_PCM_16},
        {"wav24", SF_FORMAT_WAV | SF_FORMAT_PCM_24},
        {"wav32f", SF_FORMAT_WAV | SF_FORMAT_FLOAT},
        {"flac16", SF_FORMAT_FLAC | SF_FORMAT_PCM_16},
        {"flac24", SF_FORMAT_FLAC | SF_FORMAT_PCM_24},
        {"aiff16", SF_FORMAT_AIFF | SF_FORMAT_PCM_16},
        {"aiff24", SF_FORMAT_AIFF | SF_FORMAT_PCM_24},
        {"aiff32f", SF_FORMAT_AIFF | SF_FORMAT_FLOAT},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (!strcmp(name, table[i].name)) {
            *format = table[i].format;
            return 1;
        }
    return 0;
}

static int cmd_audio(int argc, char **argv)
{
    long rate, channels, frames, seed;
    int format;
    if (argc != 8 || !parse_long(argv[3], 1000, 768000, &rate) ||
        !parse_long(argv[4], 1, 8, &channels) || !parse_long(argv[5], 1, 1L << 28, &frames) ||
        !parse_long(argv[6], 0, 1L << 30, &seed) || !parse_format(argv[7], &format)) {
        fputs(usage, stderr);
        return 2;
    }
    SF_INFO info = {.samplerate = (int)rate, .channels = (int)channels, .format = format};
    SNDFILE *f = sf_open(argv[2], SFM_WRITE, &info);
    if (!f)
        return die(sf_strerror(NULL), argv[2]);
    sf_command(f, SFC_SET_ADD_PEAK_CHUNK, NULL, SF_FALSE);
    rng_state = (uint64_t)seed * 0x2545f4914f6cdd1du + 1;
    const double f0 = 110.0 * (1.0 + (double)(seed % 7));
    float buf[4096 * 8];
    for (long done = 0; done < frames;) {
        const long n = frames - done < 4096 ? frames - done : 4096;
        for (long i = 0; i < n; i++)
            for (long c = 0; c < channels; c++) {
                const double t = (double)(done + i) / (double)rate;
                const double noise = (double)((int64_t)(rng_next() >> 40) - (1 << 23)) /
                                     (double)(1 << 23);
                buf[i * channels + c] =
                    (float)(0.2 * sin(2.0 * M_PI * f0 * (1.0 + 0.5 * (double)c) * t) +
                            0.05 * noise);
            }
        if (sf_writef_float(f, buf, n) != n) {
            sf_close(f);
            return die("write failed", argv[2]);
        }
        done += n;
    }
    if (sf_close(f))
        return die("close failed", argv[2]);
    return 0;
}

static int cmd_random(int argc, char **argv)
{
    long bytes, seed;
    if (argc != 5 || !parse_long(argv[3], 0, 1L << 30, &bytes) ||
        !parse_long(argv[4], 0, 1L << 30, &seed)) {
        fputs(usage, stderr);
        return 2;
    }
    FILE *f = fopen(argv[2], "wb");
    if (!f)
        return die(strerror(errno), argv[2]);
    rng_state = (uint64_t)seed + 77;
    for (long i = 0; i < bytes; i++)
        fputc((int)(rng_next() & 0xff), f);
    if (fclose(f))
        return die("close failed", argv[2]);
    return 0;
}

/* A 16-bit WAV whose header promises FRAMES frames and whose data stops at half of them. */
static int cmd_truncated(int argc, char **argv)
{
    long rate, channels, frames;
    if (argc != 6 || !parse_long(argv[3], 1000, 768000, &rate) ||
        !parse_long(argv[4], 1, 8, &channels) || !parse_long(argv[5], 2, 1L << 26, &frames)) {
        fputs(usage, stderr);
        return 2;
    }
    FILE *f = fopen(argv[2], "wb");
    if (!f)
        return die(strerror(errno), argv[2]);
    const uint32_t data_bytes = (uint32_t)(frames * channels * 2);
    unsigned char h[44];
    const uint32_t v[] = {36 + data_bytes, 16, (uint32_t)rate,
                          (uint32_t)(rate * channels * 2), data_bytes};
#define PUT32(p, x) ((p)[0] = (unsigned char)(x), (p)[1] = (unsigned char)((x) >> 8), \
                     (p)[2] = (unsigned char)((x) >> 16), (p)[3] = (unsigned char)((x) >> 24))
#define PUT16(p, x) ((p)[0] = (unsigned char)(x), (p)[1] = (unsigned char)((x) >> 8))
    memcpy(h, "RIFF", 4);
    PUT32(h + 4, v[0]);
    memcpy(h + 8, "WAVEfmt ", 8);
    PUT32(h + 16, v[1]);
    PUT16(h + 20, 1);
    PUT16(h + 22, channels);
    PUT32(h + 24, v[2]);
    PUT32(h + 28, v[3]);
    PUT16(h + 32, channels * 2);
    PUT16(h + 34, 16);
    memcpy(h + 36, "data", 4);
    PUT32(h + 40, v[4]);
    fwrite(h, 1, sizeof h, f);
    rng_state = 5;
    for (long i = 0; i < frames / 2 * channels; i++) {
        const int16_t s = (int16_t)(rng_next() >> 52);
        unsigned char b[2];
        PUT16(b, (uint16_t)s);
        fwrite(b, 1, 2, f);
    }
    if (fclose(f))
        return die("close failed", argv[2]);
    return 0;
}

static int cmd_info(const char *path)
{
    SF_INFO info = {0};
    SNDFILE *f = sf_open(path, SFM_READ, &info);
    if (!f) {
        fprintf(stderr, "cansim-batch-gen: %s: %s\n", path, sf_strerror(NULL));
        return 1;
    }
    sf_close(f);
    const char *major = "other";
    switch (info.format & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_WAV: major = "wav"; break;
    case SF_FORMAT_WAVEX: major = "wavex"; break;
    case SF_FORMAT_FLAC: major = "flac"; break;
    case SF_FORMAT_AIFF: major = "aiff"; break;
    case SF_FORMAT_W64: major = "w64"; break;
    default: break;
    }
    const char *sub = "other";
    switch (info.format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_16: sub = "pcm16"; break;
    case SF_FORMAT_PCM_24: sub = "pcm24"; break;
    case SF_FORMAT_PCM_32: sub = "pcm32"; break;
    case SF_FORMAT_FLOAT: sub = "float"; break;
    case SF_FORMAT_DOUBLE: sub = "double"; break;
    default: break;
    }
    printf("frames=%lld channels=%d rate=%d major=%s subtype=%s\n", (long long)info.frames,
           info.channels, info.samplerate, major, sub);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs(usage, stderr);
        return 2;
    }
    if (!strcmp(argv[1], "audio"))
        return cmd_audio(argc, argv);
    if (!strcmp(argv[1], "random"))
        return cmd_random(argc, argv);
    if (!strcmp(argv[1], "truncated"))
        return cmd_truncated(argc, argv);
    if (!strcmp(argv[1], "info") && argc == 3)
        return cmd_info(argv[2]);
    fputs(usage, stderr);
    return 2;
}

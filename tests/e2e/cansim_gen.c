/* SPDX-License-Identifier: MIT */
/* cansim-gen: writes the end-to-end tests' fixtures and compares audio files. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sndfile.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static const char usage[] =
    "usage: cansim-gen COMMAND ARGS\n"
    "  tone PATH RATE CHANNELS FRAMES [FORMAT]      sines, one frequency per channel\n"
    "  noise PATH RATE CHANNELS FRAMES SEED [FORMAT]\n"
    "  ir PATH RATE CHANNELS TAPS SEED              decaying noise, 32-bit float WAV\n"
    "  impulse PATH RATE CHANNELS TAPS [CH:INDEX:VALUE]...   zeros but the listed taps\n"
    "  nan|inf PATH RATE CHANNELS FRAMES AT          float WAV, NaN/Inf at frame AT\n"
    "  truncated PATH RATE CHANNELS FRAMES [FORMAT] cut in the middle of its data (WAV) or\n"
    "                                               at 60 percent of its bytes (other formats)\n"
    "  streamed PATH RATE CHANNELS FRAMES           16-bit WAV whose RIFF and data sizes read\n"
    "                                               0xFFFFFFFF (written to a pipe)\n"
    "  empty PATH RATE CHANNELS                     a WAV of 0 frames\n"
    "  text PATH                                    a file that is not audio\n"
    "  random PATH BYTES SEED                       random bytes (a corrupt file)\n"
    "  info PATH          prints frames=N channels=N rate=N major=wav|flac|... subtype=...\n"
    "  compare REF OUT [--tol X] [--gain G] [--shift K] [--swap] [--frames N]\n"
    "       OUT must be stereo at REF's rate with N frames (default REF's) and\n"
    "       OUT[n][c] == G * REF[n-K][swap ? 1-c : c] (REF mono: channel 0) within X\n"
    "FORMAT: wav16 wav24 wav32f flac16 flac24 aiff16 aiff24 aiff32f rf64 (16-bit) mp3 vorbis\n"
    "        opus wavulaw [default: wav16]\n";

__attribute__((format(printf, 1, 2))) static int die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "cansim-gen: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 2;
}

static bool parse_long(const char *s, long lo, long hi, long *out)
{
    char *end = NULL;
    errno = 0;
    const long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static bool parse_format(const char *name, int *format)
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
        {"rf64", SF_FORMAT_RF64 | SF_FORMAT_PCM_16},
        {"mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III},
        {"vorbis", SF_FORMAT_OGG | SF_FORMAT_VORBIS},
        {"opus", SF_FORMAT_OGG | SF_FORMAT_OPUS},
        {"wavulaw", SF_FORMAT_WAV | SF_FORMAT_ULAW},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strcmp(name, table[i].name) == 0) {
            *format = table[i].format;
            return true;
        }
    }
    return false;
}

static int write_file(const char *path, int format, long rate, long channels, const float *data,
                      long frames)
{
    SF_INFO info;
    memset(&info, 0, sizeof info);
    info.samplerate = (int)rate;
    info.channels = (int)channels;
    info.format = format;
    SNDFILE *f = sf_open(path, SFM_WRITE, &info);
    if (!f) {
        fprintf(stderr, "cansim-gen: %s: %s\n", path, sf_strerror(NULL));
        return 1;
    }
    /* Float files keep NaN, Inf and values past full scale as they are. */
    sf_command(f, SFC_SET_CLIPPING, NULL, (format & SF_FORMAT_SUBMASK) != SF_FORMAT_FLOAT);
    if (frames > 0 && sf_writef_float(f, data, frames) != frames) {
        fprintf(stderr, "cansim-gen: %s: %s\n", path, sf_strerror(f));
        sf_close(f);
        return 1;
    }
    if (sf_close(f) != 0) {
        fprintf(stderr, "cansim-gen: %s: close failed\n", path);
        return 1;
    }
    return 0;
}

static off_t sample_bytes(int format)
{
    switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_24:
        return 3;
    case SF_FORMAT_FLOAT:
        return 4;
    default:
        return 2;
    }
}

static void put_le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* Rewrites a WAV's RIFF size and data chunk size as 0xFFFFFFFF, as a writer to a pipe leaves
 * them (ffmpeg, arecord): the reader cannot know the length and reads to the end. */
static int mark_streamed(const char *path)
{
    FILE *f = fopen(path, "r+b");
    if (!f)
        return die("cannot open %s", path);
    unsigned char head[12];
    unsigned char unknown[4];
    put_le32(unknown, 0xFFFFFFFFu);
    bool is_done = false;
    if (fread(head, 1, sizeof head, f) != sizeof head || memcmp(head, "RIFF", 4) != 0 ||
        memcmp(head + 8, "WAVE", 4) != 0)
        goto done;
    if (fseek(f, 4, SEEK_SET) != 0 || fwrite(unknown, 1, 4, f) != 4 || fseek(f, 12, SEEK_SET))
        goto done;
    for (;;) {
        unsigned char chunk[8];
        if (fread(chunk, 1, sizeof chunk, f) != sizeof chunk)
            goto done;
        const long size =
            (long)chunk[4] | (long)chunk[5] << 8 | (long)chunk[6] << 16 | (long)chunk[7] << 24;
        if (memcmp(chunk, "data", 4) == 0) {
            if (fseek(f, -4, SEEK_CUR) != 0 || fwrite(unknown, 1, 4, f) != 4)
                goto done;
            is_done = true;
            break;
        }
        if (fseek(f, size + (size & 1), SEEK_CUR) != 0)
            goto done;
    }
done:
    if (fclose(f) != 0 || !is_done)
        return die("%s: cannot mark it streamed (no RIFF data chunk, or a write failed)", path);
    return 0;
}

static uint64_t rng_state;

static float rand_float(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    z ^= z >> 31;
    return (float)((int32_t)(z >> 40) - (1 << 23)) / (float)(1 << 23);
}

static float *alloc_frames(long frames, long channels)
{
    float *p = calloc((size_t)(frames > 0 ? frames : 1) * (size_t)channels, sizeof(float));
    if (!p)
        fprintf(stderr, "cansim-gen: out of memory\n");
    return p;
}

static void fill_tone(float *x, long rate, long channels, long frames)
{
    for (long i = 0; i < frames; i++)
        for (long c = 0; c < channels; c++)
            x[i * channels + c] = (float)(0.5 * sin(2.0 * M_PI * (440.0 + 110.0 * (double)c) *
                                                    (double)i / (double)rate));
}

/* Reads a whole file as float; returns NULL on failure. */
static float *read_file(const char *path, SF_INFO *info)
{
    memset(info, 0, sizeof *info);
    SNDFILE *f = sf_open(path, SFM_READ, info);
    if (!f) {
        fprintf(stderr, "cansim-gen: %s: %s\n", path, sf_strerror(NULL));
        return NULL;
    }
    float *x = alloc_frames((long)info->frames, info->channels);
    if (x && sf_readf_float(f, x, info->frames) != info->frames) {
        fprintf(stderr, "cansim-gen: %s: short read\n", path);
        free(x);
        x = NULL;
    }
    sf_close(f);
    return x;
}

static int cmd_info(const char *path)
{
    SF_INFO info;
    memset(&info, 0, sizeof info);
    SNDFILE *f = sf_open(path, SFM_READ, &info);
    if (!f) {
        fprintf(stderr, "cansim-gen: %s: %s\n", path, sf_strerror(NULL));
        return 1;
    }
    sf_close(f);
    const char *major = "other";
    switch (info.format & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_WAV:
        major = "wav";
        break;
    case SF_FORMAT_WAVEX:
        major = "wavex";
        break;
    case SF_FORMAT_FLAC:
        major = "flac";
        break;
    case SF_FORMAT_RF64:
        major = "rf64";
        break;
    case SF_FORMAT_AIFF:
        major = "aiff";
        break;
    case SF_FORMAT_W64:
        major = "w64";
        break;
    case SF_FORMAT_MPEG:
        major = "mpeg";
        break;
    case SF_FORMAT_OGG:
        major = "ogg";
        break;
    default:
        break;
    }
    const char *sub = "other";
    switch (info.format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_16:
        sub = "pcm16";
        break;
    case SF_FORMAT_PCM_24:
        sub = "pcm24";
        break;
    case SF_FORMAT_PCM_32:
        sub = "pcm32";
        break;
    case SF_FORMAT_FLOAT:
        sub = "float";
        break;
    case SF_FORMAT_DOUBLE:
        sub = "double";
        break;
    case SF_FORMAT_MPEG_LAYER_III:
        sub = "mp3";
        break;
    case SF_FORMAT_VORBIS:
        sub = "vorbis";
        break;
    case SF_FORMAT_OPUS:
        sub = "opus";
        break;
    case SF_FORMAT_ULAW:
        sub = "ulaw";
        break;
    default:
        break;
    }
    printf("frames=%lld channels=%d rate=%d major=%s subtype=%s\n", (long long)info.frames,
           info.channels, info.samplerate, major, sub);
    return 0;
}

static int cmd_compare(int argc, char **argv)
{
    if (argc < 2)
        return die("%s", "compare needs REF and OUT");
    double tol = 0.0;
    double gain = 1.0;
    long shift = 0;
    long want_frames = -1;
    bool is_swap = false;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--swap") == 0) {
            is_swap = true;
        } else if (i + 1 < argc && strcmp(argv[i], "--tol") == 0) {
            tol = atof(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--gain") == 0) {
            gain = atof(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--shift") == 0) {
            if (!parse_long(argv[++i], 0, 1L << 30, &shift))
                return die("bad --shift %s", argv[i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--frames") == 0) {
            if (!parse_long(argv[++i], 0, 1L << 40, &want_frames))
                return die("bad --frames %s", argv[i]);
        } else {
            return die("unknown compare option %s", argv[i]);
        }
    }
    SF_INFO ri;
    SF_INFO oi;
    float *ref = read_file(argv[0], &ri);
    float *out = read_file(argv[1], &oi);
    int rc = 1;
    if (!ref || !out)
        goto done;
    if (want_frames < 0)
        want_frames = (long)ri.frames;
    if (oi.channels != 2 || oi.samplerate != ri.samplerate || oi.frames != want_frames) {
        fprintf(stderr, "cansim-gen: %s: %d channels at %d Hz, %lld frames; want 2 at %d Hz, %ld\n",
                argv[1], oi.channels, oi.samplerate, (long long)oi.frames, ri.samplerate,
                want_frames);
        goto done;
    }
    if (ri.channels > 2) {
        fprintf(stderr, "cansim-gen: %s: reference has %d channels\n", argv[0], ri.channels);
        goto done;
    }
    double max_diff = 0.0;
    long worst = 0;
    int worst_c = 0;
    double energy = 0.0;
    for (long n = 0; n < want_frames; n++) {
        for (int c = 0; c < 2; c++) {
            const int rc_ = ri.channels == 1 ? 0 : (is_swap ? 1 - c : c);
            const long m = n - shift;
            const double want =
                m >= 0 && m < (long)ri.frames ? gain * (double)ref[m * ri.channels + rc_] : 0.0;
            const double got = (double)out[n * 2 + c];
            const double d = fabs(got - want);
            energy += got * got;
            if (!(d <= max_diff)) {
                max_diff = d;
                worst = n;
                worst_c = c;
            }
        }
    }
    printf("max abs diff %.3g at frame %ld channel %d (tolerance %.3g)\n", max_diff, worst, worst_c,
           tol);
    if (!(max_diff <= tol))
        goto done;
    if (want_frames > 0 && energy == 0.0 && gain != 0.0) {
        fprintf(stderr, "cansim-gen: %s: silent output\n", argv[1]);
        goto done;
    }
    rc = 0;
done:
    free(ref);
    free(out);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs(usage, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    const char *path = argv[2];
    long rate = 0;
    long channels = 0;
    long frames = 0;

    if (strcmp(cmd, "info") == 0)
        return cmd_info(path);
    if (strcmp(cmd, "compare") == 0)
        return cmd_compare(argc - 2, argv + 2);
    if (strcmp(cmd, "text") == 0) {
        FILE *f = fopen(path, "w");
        if (!f || fputs("This is a text file, not audio.\n", f) < 0 || fclose(f) != 0)
            return die("cannot write %s", path);
        return 0;
    }
    if (strcmp(cmd, "random") == 0) {
        long bytes = 0, seed = 0;
        if (argc != 5 || !parse_long(argv[3], 0, 1L << 30, &bytes) ||
            !parse_long(argv[4], 0, 1L << 30, &seed))
            return die("%s", "random: bad BYTES or SEED");
        FILE *f = fopen(path, "wb");
        if (!f)
            return die("cannot write %s", path);
        rng_state = (uint64_t)seed + 77;
        for (long i = 0; i < bytes; i++)
            fputc((int)(rand_float() * 127.0f) & 0xff, f);
        return fclose(f) != 0 ? die("cannot write %s", path) : 0;
    }
    if (argc < 5 || !parse_long(argv[3], 1, 1000000, &rate) ||
        !parse_long(argv[4], 1, 64, &channels))
        return die("%s: bad RATE or CHANNELS", cmd);
    if (strcmp(cmd, "empty") == 0)
        return write_file(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, rate, channels, NULL, 0);
    if (argc < 6 || !parse_long(argv[5], 1, 1L << 28, &frames))
        return die("%s: bad FRAMES", cmd);

    float *x = alloc_frames(frames, channels);
    if (!x)
        return 1;
    int rc = 2;
    int format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    if (strcmp(cmd, "tone") == 0) {
        if (argc > 6 && !parse_format(argv[6], &format)) {
            rc = die("bad FORMAT %s", argv[6]);
            goto done;
        }
        fill_tone(x, rate, channels, frames);
        rc = write_file(path, format, rate, channels, x, frames);
    } else if (strcmp(cmd, "noise") == 0) {
        long seed = 0;
        if (argc < 7 || !parse_long(argv[6], 0, 1L << 30, &seed) ||
            (argc > 7 && !parse_format(argv[7], &format))) {
            rc = die("%s", "noise: bad SEED or FORMAT");
            goto done;
        }
        rng_state = (uint64_t)seed;
        for (long i = 0; i < frames * channels; i++)
            x[i] = 0.5f * rand_float();
        rc = write_file(path, format, rate, channels, x, frames);
    } else if (strcmp(cmd, "ir") == 0) {
        long seed = 0;
        if (argc < 7 || !parse_long(argv[6], 0, 1L << 30, &seed)) {
            rc = die("%s", "ir: bad SEED");
            goto done;
        }
        rng_state = (uint64_t)seed;
        for (long i = 0; i < frames; i++)
            for (long c = 0; c < channels; c++)
                x[i * channels + c] =
                    (i == 0 ? 0.5f : 0.0f) +
                    0.3f * rand_float() * (float)exp(-6.0 * (double)i / (double)frames);
        rc = write_file(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, rate, channels, x, frames);
    } else if (strcmp(cmd, "impulse") == 0) {
        for (int i = 6; i < argc; i++) {
            long ch = 0;
            long at = 0;
            double value = 0.0;
            char extra = 0;
            if (sscanf(argv[i], "%ld:%ld:%lf%c", &ch, &at, &value, &extra) != 3 || ch < 0 ||
                ch >= channels || at < 0 || at >= frames) {
                rc = die("bad tap %s", argv[i]);
                goto done;
            }
            x[at * channels + ch] = (float)value;
        }
        rc = write_file(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, rate, channels, x, frames);
    } else if (strcmp(cmd, "nan") == 0 || strcmp(cmd, "inf") == 0) {
        long at = 0;
        if (argc < 7 || !parse_long(argv[6], 0, frames - 1, &at)) {
            rc = die("%s: bad AT", cmd);
            goto done;
        }
        fill_tone(x, rate, channels, frames);
        x[at * channels + channels - 1] = cmd[0] == 'n' ? NAN : INFINITY;
        rc = write_file(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, rate, channels, x, frames);
    } else if (strcmp(cmd, "truncated") == 0) {
        if (argc > 6 && !parse_format(argv[6], &format)) {
            rc = die("bad FORMAT %s", argv[6]);
            goto done;
        }
        fill_tone(x, rate, channels, frames);
        rc = write_file(path, format, rate, channels, x, frames);
        struct stat st;
        if (rc == 0 && stat(path, &st) == 0) {
            /* The header claims every frame. A WAV stops one byte past half of its data, in the
             * middle of a frame; another format (FLAC: its STREAMINFO) at 60 % of its bytes. */
            off_t size = st.st_size * 6 / 10;
            if ((format & SF_FORMAT_TYPEMASK) == SF_FORMAT_WAV)
                size = st.st_size - (off_t)frames * (off_t)channels * sample_bytes(format) / 2 + 1;
            if (truncate(path, size) != 0)
                rc = die("cannot truncate %s", path);
        } else if (rc == 0) {
            rc = die("cannot stat %s", path);
        }
    } else if (strcmp(cmd, "streamed") == 0) {
        fill_tone(x, rate, channels, frames);
        rc = write_file(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, rate, channels, x, frames);
        if (rc == 0)
            rc = mark_streamed(path);
    } else {
        rc = die("unknown command %s", cmd);
    }
done:
    free(x);
    return rc;
}

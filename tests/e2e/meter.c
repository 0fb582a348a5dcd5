/* SPDX-License-Identifier: MIT */
/* cansim-meter: an independent look at audio files for the end-to-end tests (libsndfile and
 * libebur128 only, no cansim code): their loudness and true peak, a weighted mix of files, and
 * how far one file is from a scaled copy of another. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ebur128.h>
#include <sndfile.h>

static const char usage[] =
    "usage: cansim-meter lufs FILE                 'LUFS DBTP': integrated loudness (BS.1770,\n"
    "                                             mono as dual mono) and true peak (max over\n"
    "                                             channels), -inf for silence\n"
    "       cansim-meter mix OUT DB IN [DB IN]...  OUT (stereo 32-bit float WAV) = the sum of\n"
    "                                             each IN at DB dB (mono to both sides; the\n"
    "                                             shorter ones end in silence)\n"
    "       cansim-meter fit REF OUT               'GAIN_DB RESIDUAL_DB': the least-squares gain\n"
    "                                             g of REF onto OUT (same shape), and\n"
    "                                             max|OUT - g REF| relative to max|OUT|, in dB\n";

/* The whole file as interleaved stereo floats (mono duplicated). */
static float *read_stereo(const char *path, SF_INFO *info)
{
    memset(info, 0, sizeof *info);
    SNDFILE *sf = sf_open(path, SFM_READ, info);
    if (!sf || info->channels < 1 || info->channels > 2) {
        fprintf(stderr, "cansim-meter: %s: %s\n", path,
                sf ? "not mono or stereo" : sf_strerror(NULL));
        if (sf)
            sf_close(sf);
        return NULL;
    }
    const size_t n = (size_t)info->frames;
    float *x = malloc((n ? n : 1) * 2 * sizeof *x);
    float *in = malloc((n ? n : 1) * (size_t)info->channels * sizeof *in);
    if (!x || !in || sf_readf_float(sf, in, info->frames) != info->frames) {
        fprintf(stderr, "cansim-meter: %s: cannot read it\n", path);
        free(x), free(in), sf_close(sf);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        x[2 * i] = in[i * (size_t)info->channels];
        x[2 * i + 1] = in[i * (size_t)info->channels + (size_t)info->channels - 1];
    }
    free(in);
    sf_close(sf);
    return x;
}

static int cmd_lufs(const char *path)
{
    SF_INFO info;
    float *x = read_stereo(path, &info);
    if (!x)
        return 1;
    ebur128_state *st =
        ebur128_init(2, (unsigned long)info.samplerate, EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK);
    double lufs = -HUGE_VAL, tp = 0.0;
    if (!st || ebur128_add_frames_float(st, x, (size_t)info.frames) ||
        ebur128_loudness_global(st, &lufs)) {
        fprintf(stderr, "cansim-meter: %s: libebur128 failed\n", path);
        return 1;
    }
    for (unsigned c = 0; c < 2; c++) {
        double p;
        if (!ebur128_true_peak(st, c, &p) && p > tp)
            tp = p;
    }
    printf("%.4f %.4f\n", lufs, 20.0 * log10(tp));
    ebur128_destroy(&st);
    free(x);
    return 0;
}

static int cmd_mix(const char *out, int n, char **args)
{
    float *sum = NULL;
    sf_count_t n_sum = 0;
    int rate = 0;
    for (int k = 0; k + 1 < n; k += 2) {
        SF_INFO info;
        float *x = read_stereo(args[k + 1], &info);
        if (!x)
            return 1;
        if (rate && info.samplerate != rate) {
            fprintf(stderr, "cansim-meter: %s: another rate\n", args[k + 1]);
            return 1;
        }
        rate = info.samplerate;
        if (info.frames > n_sum) {
            float *grown = realloc(sum, (size_t)info.frames * 2 * sizeof *grown);
            if (!grown)
                return 1;
            memset(grown + 2 * n_sum, 0, (size_t)(info.frames - n_sum) * 2 * sizeof *grown);
            sum = grown;
            n_sum = info.frames;
        }
        const double g = pow(10.0, atof(args[k]) / 20.0);
        for (sf_count_t i = 0; i < 2 * info.frames; i++)
            sum[i] += (float)(g * (double)x[i]);
        free(x);
    }
    SF_INFO oi = {.samplerate = rate, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
    SNDFILE *sf = sf_open(out, SFM_WRITE, &oi);
    if (!sf || sf_writef_float(sf, sum, n_sum) != n_sum) {
        fprintf(stderr, "cansim-meter: %s: cannot write it\n", out);
        return 1;
    }
    sf_close(sf);
    free(sum);
    return 0;
}

static int cmd_fit(const char *ref_path, const char *out_path)
{
    SF_INFO ri, oi;
    float *ref = read_stereo(ref_path, &ri);
    float *out = read_stereo(out_path, &oi);
    if (!ref || !out)
        return 1;
    if (ri.frames != oi.frames || ri.samplerate != oi.samplerate) {
        fprintf(stderr, "cansim-meter: %s has %lld frames at %d Hz, %s %lld at %d Hz\n", out_path,
                (long long)oi.frames, oi.samplerate, ref_path, (long long)ri.frames, ri.samplerate);
        return 1;
    }
    double rr = 0.0, ro = 0.0, peak = 0.0, res = 0.0;
    for (sf_count_t i = 0; i < 2 * ri.frames; i++) {
        rr += (double)ref[i] * (double)ref[i];
        ro += (double)ref[i] * (double)out[i];
        peak = fmax(peak, fabs((double)out[i]));
    }
    const double g = rr > 0.0 ? ro / rr : 0.0;
    for (sf_count_t i = 0; i < 2 * ri.frames; i++)
        res = fmax(res, fabs((double)out[i] - g * (double)ref[i]));
    printf("%.6f %.2f\n", 20.0 * log10(g), 20.0 * log10(res / peak));
    free(ref);
    free(out);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "lufs"))
        return cmd_lufs(argv[2]);
    if (argc >= 5 && argc % 2 == 1 && !strcmp(argv[1], "mix"))
        return cmd_mix(argv[2], argc - 3, argv + 3);
    if (argc == 4 && !strcmp(argv[1], "fit"))
        return cmd_fit(argv[2], argv[3]);
    fputs(usage, stderr);
    return 2;
}

/* SPDX-License-Identifier: MIT */
/* Profiles: loading impulse-response files, validating taps, converting rates. */
#define _POSIX_C_SOURCE 200809L

#include <cansim/cansim.h>

#include <sndfile.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "unit_files.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ------------------------------------------------------------------ temp files */

static char tmp_dir[4096];
static char *created[64];
static size_t n_created;

static const char *tmp_path(const char *name)
{
    char buf[8192];
    snprintf(buf, sizeof buf, "%s/%s", tmp_dir, name);
    if (n_created == sizeof created / sizeof created[0]) {
        fprintf(stderr, "too many temp files\n");
        exit(99);
    }
    created[n_created] = unit_xcalloc(strlen(buf) + 1, 1);
    memcpy(created[n_created], buf, strlen(buf) + 1);
    return created[n_created++];
}

static void tmp_cleanup(void)
{
    /* Files and subdirectories, newest first, so that directories are empty when removed. */
    for (size_t i = n_created; i-- > 0;) {
        if (unlink(created[i]) != 0)
            rmdir(created[i]);
        free(created[i]);
    }
    rmdir(tmp_dir);
}

/* Writes frames of interleaved data; format e.g. SF_FORMAT_WAV | SF_FORMAT_FLOAT. */
static void write_audio(const char *path, int format, int rate, int n_channels, const float *data,
                        sf_count_t n_frames)
{
    SF_INFO info = {0};
    info.samplerate = rate;
    info.channels = n_channels;
    info.format = format;
    SNDFILE *f = sf_open(path, SFM_WRITE, &info);
    if (!f) {
        fprintf(stderr, "cannot write %s: %s\n", path, sf_strerror(NULL));
        exit(99);
    }
    /* Float data is written as is: no clipping, no normalisation. */
    sf_command(f, SFC_SET_CLIPPING, NULL, SF_FALSE);
    if (n_frames && sf_writef_float(f, data, n_frames) != n_frames) {
        fprintf(stderr, "cannot write %s: %s\n", path, sf_strerror(f));
        exit(99);
    }
    sf_close(f);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(99);
    }
}

#define WAV_FLOAT (SF_FORMAT_WAV | SF_FORMAT_FLOAT)

/* ------------------------------------------------------------------ helpers */

static bool same_floats(const float *a, const float *b, size_t n)
{
    return a && b && memcmp(a, b, n * sizeof(float)) == 0;
}

/* Channel ch of an interleaved buffer. */
static float *channel_of(const float *inter, int n_channels, int ch, size_t n)
{
    float *out = unit_xcalloc(n, sizeof(float));
    for (size_t i = 0; i < n; i++)
        out[i] = inter[i * (size_t)n_channels + (size_t)ch];
    return out;
}

static bool is_all_zero(const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (x[i] != 0.0f)
            return false;
    return true;
}

static CansimProfile *load_ok(const char *path, const char *what)
{
    CansimProfile *p = NULL;
    CansimDiag diag = {{0}};
    const int rc = cansim_profile_load_ir(&p, path, &diag);
    CHECK(rc == CANSIM_OK && p != NULL, "%s: cansim_profile_load_ir(%s) = %d (%s): %s", what, path,
          rc, cansim_strerror(rc), diag.msg);
    if (rc != CANSIM_OK)
        cansim_profile_close(&p);
    return p;
}

static void load_fails(const char *path, const int *codes, size_t n_codes, const char *what)
{
    CansimProfile *p = NULL;
    CansimDiag diag = {{0}};
    const int rc = cansim_profile_load_ir(&p, path, &diag);
    bool is_expected = false;
    for (size_t i = 0; i < n_codes; i++)
        is_expected = is_expected || rc == codes[i];
    CHECK(is_expected, "%s: cansim_profile_load_ir(%s) = %d (%s), want %s%s", what, path, rc,
          cansim_strerror(rc), cansim_strerror(codes[0]),
          n_codes > 1 ? " (or another listed code)" : "");
    CHECK(p == NULL, "%s: a failed load returned an object", what);
    CHECK(strstr(diag.msg, path) != NULL, "%s: diag \"%s\" does not name %s", what, diag.msg, path);
    CHECK(strchr(diag.msg, '\n') == NULL, "%s: diag \"%s\" is not one line", what, diag.msg);
    cansim_profile_close(&p);
}

/* ------------------------------------------------------------------ loading */

static void test_load_channels(void)
{
    const size_t n = 200;
    float *data = unit_xcalloc(4 * n, sizeof(float));

    /* 1 channel: the same filter on both sides, no cross paths. */
    unit_fill_random(data, n, 0.5f);
    const char *path = tmp_path("mono-ir.wav");
    write_audio(path, WAV_FLOAT, 44100, 1, data, (sf_count_t)n);
    CansimProfile *p = load_ok(path, "1 channel");
    if (p) {
        CHECK(strcmp(cansim_profile_id(p), "mono-ir") == 0, "id \"%s\", want \"mono-ir\"",
              cansim_profile_id(p));
        CHECK(cansim_profile_rate(p) == 44100.0, "rate %g, want 44100", cansim_profile_rate(p));
        CHECK(cansim_profile_n_taps(p) == n, "n_taps %zu, want %zu", cansim_profile_n_taps(p), n);
        CHECK(same_floats(cansim_profile_taps(p, CANSIM_CELL_LL), data, n),
              "1 channel: LL is not the file's taps");
        CHECK(same_floats(cansim_profile_taps(p, CANSIM_CELL_RR), data, n),
              "1 channel: RR is not the file's taps");
        CHECK(cansim_profile_taps(p, CANSIM_CELL_LR) == NULL, "1 channel: LR is not NULL");
        CHECK(cansim_profile_taps(p, CANSIM_CELL_RL) == NULL, "1 channel: RL is not NULL");
        cansim_profile_close(&p);
    }

    /* 2 channels: L->L and R->R. A dot in the name: only the last extension goes. */
    unit_fill_random(data, 2 * n, 0.5f);
    path = tmp_path("stereo.ir.wav");
    write_audio(path, WAV_FLOAT, 48000, 2, data, (sf_count_t)n);
    p = load_ok(path, "2 channels");
    if (p) {
        float *c0 = channel_of(data, 2, 0, n);
        float *c1 = channel_of(data, 2, 1, n);
        CHECK(strcmp(cansim_profile_id(p), "stereo.ir") == 0, "id \"%s\", want \"stereo.ir\"",
              cansim_profile_id(p));
        CHECK(cansim_profile_rate(p) == 48000.0, "rate %g, want 48000", cansim_profile_rate(p));
        CHECK(cansim_profile_n_taps(p) == n, "n_taps %zu, want %zu", cansim_profile_n_taps(p), n);
        CHECK(same_floats(cansim_profile_taps(p, CANSIM_CELL_LL), c0, n),
              "2 channels: LL is not channel 0");
        CHECK(same_floats(cansim_profile_taps(p, CANSIM_CELL_RR), c1, n),
              "2 channels: RR is not channel 1");
        CHECK(cansim_profile_taps(p, CANSIM_CELL_LR) == NULL, "2 channels: LR is not NULL");
        CHECK(cansim_profile_taps(p, CANSIM_CELL_RL) == NULL, "2 channels: RL is not NULL");
        free(c0);
        free(c1);
        cansim_profile_close(&p);
    }

    /* 4 channels: L->L, L->R, R->L, R->R, in a directory whose name has a dot. */
    unit_fill_random(data, 4 * n, 0.5f);
    const char *dir = tmp_path("sub.d");
    if (mkdir(dir, 0700) != 0) {
        fprintf(stderr, "cannot make %s\n", dir);
        exit(99);
    }
    path = tmp_path("sub.d/matrix.wav");
    write_audio(path, WAV_FLOAT, 96000, 4, data, (sf_count_t)n);
    p = load_ok(path, "4 channels");
    if (p) {
        CHECK(strcmp(cansim_profile_id(p), "matrix") == 0, "id \"%s\", want \"matrix\"",
              cansim_profile_id(p));
        CHECK(cansim_profile_rate(p) == 96000.0, "rate %g, want 96000", cansim_profile_rate(p));
        static const int order[4] = {CANSIM_CELL_LL, CANSIM_CELL_LR, CANSIM_CELL_RL,
                                     CANSIM_CELL_RR};
        static const char *const names[4] = {"LL", "LR", "RL", "RR"};
        for (int ch = 0; ch < 4; ch++) {
            float *c = channel_of(data, 4, ch, n);
            CHECK(same_floats(cansim_profile_taps(p, order[ch]), c, n),
                  "4 channels: cell %s is not channel %d", names[ch], ch);
            free(c);
        }
        cansim_profile_close(&p);
    }

    /* Another container: 24-bit FLAC, taps within one quantisation step. */
    unit_fill_random(data, n, 0.5f);
    path = tmp_path("flac-ir.flac");
    write_audio(path, SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 44100, 1, data, (sf_count_t)n);
    p = load_ok(path, "FLAC");
    if (p) {
        CHECK(strcmp(cansim_profile_id(p), "flac-ir") == 0, "id \"%s\", want \"flac-ir\"",
              cansim_profile_id(p));
        const float *ll = cansim_profile_taps(p, CANSIM_CELL_LL);
        CHECK(ll && cansim_profile_n_taps(p) == n, "FLAC: %zu taps, LL %p",
              cansim_profile_n_taps(p), (const void *)ll);
        for (size_t i = 0; ll && i < n && cansim_profile_n_taps(p) == n; i++) {
            if (!(fabsf(ll[i] - data[i]) <= 1.0f / (float)(1 << 23))) {
                CHECK(0, "FLAC: tap %zu is %.9g, want %.9g", i, (double)ll[i], (double)data[i]);
                break;
            }
        }
        cansim_profile_close(&p);
    }

    /* A file name without extension keeps its whole name. */
    unit_fill_random(data, n, 0.5f);
    path = tmp_path("noext");
    write_audio(path, WAV_FLOAT, 44100, 1, data, (sf_count_t)n);
    p = load_ok(path, "no extension");
    if (p)
        CHECK(strcmp(cansim_profile_id(p), "noext") == 0, "id \"%s\", want \"noext\"",
              cansim_profile_id(p));
    cansim_profile_close(&p);
    free(data);
}

static void test_load_errors(void)
{
    const size_t n = 64;
    float *data = unit_xcalloc(5 * n, sizeof(float));
    unit_fill_random(data, 5 * n, 0.5f);

    const int eprofile[] = {CANSIM_EPROFILE};
    const char *path = tmp_path("three.wav");
    write_audio(path, WAV_FLOAT, 48000, 3, data, (sf_count_t)n);
    load_fails(path, eprofile, 1, "3 channels");

    path = tmp_path("five.wav");
    write_audio(path, WAV_FLOAT, 48000, 5, data, (sf_count_t)n);
    load_fails(path, eprofile, 1, "5 channels");

    const int missing[] = {CANSIM_EIO, CANSIM_EFORMAT};
    char missing_path[4200];
    snprintf(missing_path, sizeof missing_path, "%s/does-not-exist.wav", tmp_dir);
    load_fails(missing_path, missing, 2, "missing file");

    const int not_audio[] = {CANSIM_EFORMAT, CANSIM_EIO};
    path = tmp_path("notes.wav");
    write_text(path, "This is a text file, not an impulse response.\n");
    load_fails(path, not_audio, 2, "text file");

    unit_fill_random(data, 2 * n, 0.5f);
    data[2 * 10 + 1] = NAN;
    path = tmp_path("nan.wav");
    write_audio(path, WAV_FLOAT, 48000, 2, data, (sf_count_t)n);
    load_fails(path, eprofile, 1, "NaN tap");

    unit_fill_random(data, n, 0.5f);
    data[n - 1] = INFINITY;
    path = tmp_path("inf.wav");
    write_audio(path, WAV_FLOAT, 48000, 1, data, (sf_count_t)n);
    load_fails(path, eprofile, 1, "Inf tap");

    const int empty[] = {CANSIM_EPROFILE, CANSIM_EFORMAT, CANSIM_EINVAL};
    path = tmp_path("empty.wav");
    write_audio(path, WAV_FLOAT, 48000, 2, data, 0);
    load_fails(path, empty, 3, "0 frames");
    free(data);
}

/* ------------------------------------------------------------------ from_taps */

static void test_from_taps(void)
{
    const size_t n = 50;
    float *a = unit_xcalloc(n, sizeof(float));
    float *b = unit_xcalloc(n, sizeof(float));
    unit_fill_random(a, n, 0.5f);
    unit_fill_random(b, n, 0.5f);
    CansimDiag diag = {{0}};
    CansimProfile *p = NULL;

    const float *cells[4] = {a, NULL, b, NULL};
    static const struct {
        const char *what;
        size_t n_taps;
        double rate;
        int want;
    } bad[] = {
        {"n_taps 0", 0, 48000.0, CANSIM_EINVAL},
        {"rate 0", 50, 0.0, CANSIM_ERATE},
        {"rate -48000", 50, -48000.0, CANSIM_ERATE},
        {"rate NaN", 50, (double)NAN, CANSIM_ERATE},
        {"rate Inf", 50, (double)INFINITY, CANSIM_ERATE},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const int rc = cansim_profile_from_taps(&p, "x", bad[i].rate, bad[i].n_taps, cells, &diag);
        CHECK(rc == bad[i].want && p == NULL, "%s: cansim_profile_from_taps = %d, want %d",
              bad[i].what, rc, bad[i].want);
        cansim_profile_close(&p);
    }
    const float *none[4] = {NULL, NULL, NULL, NULL};
    int rc = cansim_profile_from_taps(&p, "x", 48000.0, n, none, &diag);
    CHECK(rc == CANSIM_EINVAL && p == NULL, "every cell NULL: %d, want CANSIM_EINVAL", rc);
    cansim_profile_close(&p);
    rc = cansim_profile_from_taps(&p, NULL, 48000.0, n, cells, &diag);
    CHECK(rc == CANSIM_EINVAL && p == NULL, "id NULL: %d, want CANSIM_EINVAL", rc);
    cansim_profile_close(&p);

    float *big = unit_xcalloc((size_t)CANSIM_MAX_TAPS + 1, sizeof(float));
    big[0] = 1.0f;
    const float *big_cells[4] = {big, NULL, NULL, NULL};
    rc =
        cansim_profile_from_taps(&p, "big", 48000.0, (size_t)CANSIM_MAX_TAPS + 1, big_cells, &diag);
    CHECK(rc == CANSIM_EINVAL && p == NULL, "CANSIM_MAX_TAPS + 1 taps: %d, want CANSIM_EINVAL", rc);
    cansim_profile_close(&p);
    rc = cansim_profile_from_taps(&p, "big", 48000.0, CANSIM_MAX_TAPS, big_cells, &diag);
    CHECK(rc == CANSIM_OK && p != NULL, "CANSIM_MAX_TAPS taps: %d (%s), want CANSIM_OK", rc,
          diag.msg);
    cansim_profile_close(&p);
    free(big);

    static const float poison[] = {NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < 3; i++) {
        float *c = unit_xcalloc(n, sizeof(float));
        unit_fill_random(c, n, 0.5f);
        c[i == 0 ? n - 1 : i * 7] = poison[i];
        const float *pc[4] = {a, NULL, c, NULL};
        rc = cansim_profile_from_taps(&p, "x", 48000.0, n, pc, &diag);
        CHECK(rc == CANSIM_EPROFILE && p == NULL, "%g in cell RL: %d, want CANSIM_EPROFILE",
              (double)poison[i], rc);
        cansim_profile_close(&p);
        free(c);
    }

    /* Success: taps and id are copied, NULL cells read back as NULL. */
    char id[16] = "copied";
    rc = cansim_profile_from_taps(&p, id, 44100.0, n, cells, NULL);
    CHECK(rc == CANSIM_OK && p != NULL, "valid profile: %d", rc);
    if (p) {
        float *a_copy = unit_xcalloc(n, sizeof(float));
        memcpy(a_copy, a, n * sizeof(float));
        a[0] += 1.0f;
        memcpy(id, "changed", 8);
        CHECK(strcmp(cansim_profile_id(p), "copied") == 0, "id not copied: \"%s\"",
              cansim_profile_id(p));
        CHECK(same_floats(cansim_profile_taps(p, CANSIM_CELL_LL), a_copy, n), "LL not copied");
        CHECK(same_floats(cansim_profile_taps(p, CANSIM_CELL_RL), b, n), "RL not kept");
        CHECK(cansim_profile_taps(p, CANSIM_CELL_LR) == NULL, "LR not NULL");
        CHECK(cansim_profile_taps(p, CANSIM_CELL_RR) == NULL, "RR not NULL");
        CHECK(cansim_profile_n_taps(p) == n, "n_taps %zu", cansim_profile_n_taps(p));
        CHECK(cansim_profile_rate(p) == 44100.0, "rate %g", cansim_profile_rate(p));
        free(a_copy);
    }
    cansim_profile_close(&p);
    CHECK(p == NULL, "cansim_profile_close does not clear the pointer");
    cansim_profile_close(&p);
    free(a);
    free(b);
}

/* ------------------------------------------------------------------ resampling */

/* A decaying resonance h(t) = exp(-t / tau) sin(2 pi f0 t) at rate_hz, 512 taps at 44.1 kHz
 * (the same duration at other rates), down to -120 dB at its end. Its magnitude response is
 * steep around f0, so a filter stretched by a wrong ratio shows at once. */
static float *resonance(double rate_hz, double f0, double gain, size_t *n_taps)
{
    const double duration = 512.0 / 44100.0;
    const double tau = duration / log(1e6);
    const size_t n = (size_t)lround(duration * rate_hz);
    float *h = unit_xcalloc(n, sizeof(float));
    for (size_t i = 0; i < n; i++) {
        const double t = (double)i / rate_hz;
        h[i] = (float)(gain * exp(-t / tau) * sin(2.0 * M_PI * f0 * t) * 44100.0 / rate_hz);
    }
    *n_taps = n;
    return h;
}

/* |H(f)| in dB by a direct DFT, in double. */
static double magnitude_db(const float *h, size_t n, double rate_hz, double f)
{
    double re = 0.0;
    double im = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double w = -2.0 * M_PI * f * (double)i / rate_hz;
        re += (double)h[i] * cos(w);
        im += (double)h[i] * sin(w);
    }
    return 10.0 * log10(re * re + im * im);
}

static void check_same_response(const CansimProfile *a, const CansimProfile *b, const char *what)
{
    static const double freqs[] = {100.0, 1000.0, 3000.0};
    static const char *const names[4] = {"LL", "LR", "RL", "RR"};
    for (int c = 0; c < 4; c++) {
        const float *ha = cansim_profile_taps(a, c);
        const float *hb = cansim_profile_taps(b, c);
        if (!ha) {
            CHECK(!hb || is_all_zero(hb, cansim_profile_n_taps(b)),
                  "%s: cell %s was zero and is not after conversion", what, names[c]);
            continue;
        }
        CHECK(hb != NULL, "%s: cell %s lost in conversion", what, names[c]);
        if (!hb)
            continue;
        for (size_t i = 0; i < sizeof freqs / sizeof freqs[0]; i++) {
            const double ma =
                magnitude_db(ha, cansim_profile_n_taps(a), cansim_profile_rate(a), freqs[i]);
            const double mb =
                magnitude_db(hb, cansim_profile_n_taps(b), cansim_profile_rate(b), freqs[i]);
            CHECK(fabs(ma - mb) <= 0.1,
                  "%s: cell %s at %g Hz: %.3f dB at %g Hz, %.3f dB at %g Hz (%.3f dB apart)", what,
                  names[c], freqs[i], ma, cansim_profile_rate(a), mb, cansim_profile_rate(b),
                  ma - mb);
        }
    }
}

static void test_resample(void)
{
    static const struct {
        double from;
        double to;
    } pairs[] = {{44100.0, 48000.0}, {44100.0, 96000.0}, {96000.0, 44100.0}, {48000.0, 44100.0}};
    for (size_t pi = 0; pi < sizeof pairs / sizeof pairs[0]; pi++) {
        size_t n = 0;
        float *ll = resonance(pairs[pi].from, 1000.0, 1.0, &n);
        float *lr = resonance(pairs[pi].from, 2000.0, 0.5, &n);
        float *rr = resonance(pairs[pi].from, 700.0, 0.8, &n);
        const float *cells[4] = {ll, lr, NULL, rr};
        CansimProfile *p = NULL;
        CansimProfile *q = NULL;
        CansimDiag diag = {{0}};
        int rc = cansim_profile_from_taps(&p, "reso", pairs[pi].from, n, cells, &diag);
        CHECK(rc == CANSIM_OK, "resonance profile: %d: %s", rc, diag.msg);
        if (rc == CANSIM_OK) {
            rc = cansim_profile_resample(&q, p, pairs[pi].to, &diag);
            CHECK(rc == CANSIM_OK && q != NULL, "resample %g -> %g: %d (%s): %s", pairs[pi].from,
                  pairs[pi].to, rc, cansim_strerror(rc), diag.msg);
        }
        if (q) {
            char what[80];
            snprintf(what, sizeof what, "resample %g -> %g", pairs[pi].from, pairs[pi].to);
            CHECK(cansim_profile_rate(q) == pairs[pi].to, "%s: rate %g", what,
                  cansim_profile_rate(q));
            CHECK(cansim_profile_rate(p) == pairs[pi].from, "%s: source rate changed to %g", what,
                  cansim_profile_rate(p));
            CHECK(strcmp(cansim_profile_id(q), "reso") == 0, "%s: id \"%s\"", what,
                  cansim_profile_id(q));
            /* All of the response is kept (a converted cell gains room for the converter's
             * ringing, 256 taps at the old rate; a minimum-phase one is designed again, at
             * most half a second long). */
            const double ratio = pairs[pi].to / pairs[pi].from;
            const double want_taps = (double)n * ratio;
            const double got_taps = (double)cansim_profile_n_taps(q);
            CHECK(got_taps >= 0.98 * want_taps - 2.0 &&
                      got_taps <= fmax(want_taps + 258.0 * ratio, 0.5 * pairs[pi].to),
                  "%s: %zu taps -> %zu, want %.1f or a little more", what, n,
                  cansim_profile_n_taps(q), want_taps);
            check_same_response(p, q, what);
        }
        cansim_profile_close(&q);
        cansim_profile_close(&p);
        free(ll);
        free(lr);
        free(rr);
    }

    /* The same rate, and bad rates. */
    size_t n = 0;
    float *h = resonance(48000.0, 1000.0, 1.0, &n);
    const float *cells[4] = {h, NULL, NULL, h};
    CansimProfile *p = NULL;
    CansimProfile *q = NULL;
    CansimDiag diag = {{0}};
    if (cansim_profile_from_taps(&p, "same", 48000.0, n, cells, &diag) == CANSIM_OK) {
        int rc = cansim_profile_resample(&q, p, 48000.0, &diag);
        CHECK(rc == CANSIM_OK && q && cansim_profile_n_taps(q) == n &&
                  cansim_profile_rate(q) == 48000.0,
              "resample to the same rate: %d, %zu taps", rc, q ? cansim_profile_n_taps(q) : 0);
        if (q)
            check_same_response(p, q, "resample to the same rate");
        cansim_profile_close(&q);
        static const double bad[] = {0.0, -44100.0, (double)NAN, (double)INFINITY};
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            rc = cansim_profile_resample(&q, p, bad[i], &diag);
            CHECK(rc == CANSIM_ERATE && q == NULL, "resample to %g: %d, want CANSIM_ERATE", bad[i],
                  rc);
            cansim_profile_close(&q);
        }
    } else {
        CHECK(0, "profile \"same\": %s", diag.msg);
    }
    cansim_profile_close(&p);
    free(h);
}

/* A 44.1 kHz IR file rendered with a 48 kHz mix is the explicitly converted profile's render. */
static void test_render_converts(void)
{
    size_t n_taps = 0;
    float *ll = resonance(44100.0, 1000.0, 1.0, &n_taps);
    float *rr = resonance(44100.0, 1500.0, 0.7, &n_taps);
    float *inter = unit_xcalloc(2 * n_taps, sizeof(float));
    for (size_t i = 0; i < n_taps; i++) {
        inter[2 * i] = ll[i];
        inter[2 * i + 1] = rr[i];
    }
    const char *path = tmp_path("ir44k.wav");
    write_audio(path, WAV_FLOAT, 44100, 2, inter, (sf_count_t)n_taps);
    CansimProfile *p44 = load_ok(path, "44.1 kHz IR");
    CansimProfile *p48 = NULL;
    CansimProfile *wrong = NULL;
    CansimRender *r44 = NULL;
    CansimRender *r48 = NULL;
    CansimRender *rwrong = NULL;
    float *in = NULL;
    float *out[3] = {NULL, NULL, NULL};
    CansimDiag diag = {{0}};
    if (!p44)
        goto done;
    int rc = cansim_profile_resample(&p48, p44, 48000.0, &diag);
    CHECK(rc == CANSIM_OK, "resample 44100 -> 48000: %d: %s", rc, diag.msg);
    if (rc != CANSIM_OK)
        goto done;
    /* The unconverted taps labelled 48 kHz: what a missing conversion would render. */
    const float *wc[4] = {ll, NULL, NULL, rr};
    rc = cansim_profile_from_taps(&wrong, "wrong", 48000.0, n_taps, wc, &diag);
    CHECK(rc == CANSIM_OK, "unconverted profile: %d: %s", rc, diag.msg);
    if (rc != CANSIM_OK)
        goto done;

    const CansimProfile *l44[1] = {p44};
    const CansimProfile *l48[1] = {p48};
    const CansimProfile *lwrong[1] = {wrong};
    CansimRender **rs[3] = {&r44, &r48, &rwrong};
    const CansimProfile *const *lists[3] = {l44, l48, lwrong};
    for (int i = 0; i < 3; i++) {
        CansimRenderConfig cfg = cansim_render_default_config();
        cfg.profiles = lists[i];
        cfg.n_profiles = 1;
        cfg.engine.partition_frames = 256;
        cfg.engine.has_tail = true;
        rc = cansim_render_open(rs[i], &cfg, &diag);
        CHECK(rc == CANSIM_OK, "cansim_render_open %d: %d: %s", i, rc, diag.msg);
        if (rc != CANSIM_OK)
            goto done;
    }
    const size_t n = 6000;
    const size_t n_out = n + cansim_profile_n_taps(p48) - 1;
    in = unit_xcalloc(2 * n, sizeof(float));
    unit_fill_random(in, 2 * n, 0.5f);
    for (int i = 0; i < 3; i++) {
        out[i] = unit_xcalloc(2 * n_out, sizeof(float));
        for (size_t k = 0; k < 2 * n_out; k++)
            out[i][k] = NAN;
        float *const outs[1] = {out[i]};
        rc = cansim_render_buffer(*rs[i], in, 2, (int64_t)n, 48000.0, outs, (int64_t)n_out, &diag);
        CHECK(rc == CANSIM_OK, "render %d at 48 kHz: %d (%s): %s", i, rc, cansim_strerror(rc),
              diag.msg);
        if (rc != CANSIM_OK)
            goto done;
    }
    const double db = unit_rel_rms_db_f(out[0], out[1], 2 * n_out);
    CHECK(db <= -120.0,
          "44.1 kHz profile rendered at 48 kHz differs from the converted "
          "profile's render by %.1f dB",
          db);
    const double db_wrong = unit_rel_rms_db_f(out[2], out[1], 2 * n_out);
    CHECK(db_wrong > -40.0, "test is blind: unconverted taps differ by only %.1f dB", db_wrong);

    /* The same renderer at 96 kHz, then at 48 kHz again: each rate gets its own conversion,
     * and coming back gives the first render bit for bit. */
    {
        CansimProfile *p96 = NULL;
        rc = cansim_profile_resample(&p96, p44, 96000.0, &diag);
        CHECK(rc == CANSIM_OK, "resample 44100 -> 96000: %d: %s", rc, diag.msg);
        const size_t n96 = p96 ? n + cansim_profile_n_taps(p96) - 1 : 0;
        float *o96 = unit_xcalloc(2 * n96 + 2, sizeof(float));
        float *o96_ref = unit_xcalloc(2 * n96 + 2, sizeof(float));
        float *again = unit_xcalloc(2 * n_out, sizeof(float));
        const CansimProfile *l96[1] = {p96};
        CansimRender *r96 = NULL;
        CansimRenderConfig cfg = cansim_render_default_config();
        cfg.profiles = l96;
        cfg.n_profiles = 1;
        cfg.engine.partition_frames = 256;
        if (p96 && cansim_render_open(&r96, &cfg, &diag) == CANSIM_OK) {
            float *const a96[1] = {o96};
            float *const b96[1] = {o96_ref};
            float *const a48[1] = {again};
            rc = cansim_render_buffer(r44, in, 2, (int64_t)n, 96000.0, a96, (int64_t)n96, &diag);
            CHECK(rc == CANSIM_OK, "44.1 kHz profile at 96 kHz: %d: %s", rc, diag.msg);
            const int rc2 =
                cansim_render_buffer(r96, in, 2, (int64_t)n, 96000.0, b96, (int64_t)n96, &diag);
            CHECK(rc2 == CANSIM_OK, "96 kHz profile at 96 kHz: %d: %s", rc2, diag.msg);
            if (rc == CANSIM_OK && rc2 == CANSIM_OK) {
                const double d96 = unit_rel_rms_db_f(o96, o96_ref, 2 * n96);
                CHECK(d96 <= -120.0,
                      "44.1 kHz profile rendered at 96 kHz after 48 kHz differs "
                      "from the converted profile's render by %.1f dB",
                      d96);
            }
            rc = cansim_render_buffer(r44, in, 2, (int64_t)n, 48000.0, a48, (int64_t)n_out, &diag);
            CHECK(rc == CANSIM_OK && memcmp(again, out[0], 2 * n_out * sizeof(float)) == 0,
                  "48 kHz again after 96 kHz: %d, differs from the first 48 kHz render by "
                  "%.1f dB",
                  rc, unit_rel_rms_db_f(again, out[0], 2 * n_out));
        } else {
            CHECK(0, "96 kHz renderer: %s", diag.msg);
        }
        cansim_render_close(&r96);
        cansim_profile_close(&p96);
        free(again);
        free(o96_ref);
        free(o96);
    }

    /* Profiles at different rates in one renderer: each is converted on its own. (p48 keeps
     * p44's id, and ids must be distinct.) */
    {
        const CansimProfile *both[2] = {wrong, p44};
        CansimRender *rb = NULL;
        CansimRenderConfig cfg = cansim_render_default_config();
        cfg.profiles = both;
        cfg.n_profiles = 2;
        cfg.engine.partition_frames = 256;
        float *ob[2];
        for (int i = 0; i < 2; i++)
            ob[i] = unit_xcalloc(2 * n_out, sizeof(float));
        if (cansim_render_open(&rb, &cfg, &diag) == CANSIM_OK) {
            float *const outs[2] = {ob[0], ob[1]};
            rc = cansim_render_buffer(rb, in, 2, (int64_t)n, 48000.0, outs, (int64_t)n_out, &diag);
            CHECK(rc == CANSIM_OK, "mixed-rate renderer: %d: %s", rc, diag.msg);
            if (rc == CANSIM_OK) {
                static const int from[2] = {2, 0};
                for (int i = 0; i < 2; i++) {
                    const double d = unit_rel_rms_db_f(ob[i], out[from[i]], 2 * n_out);
                    CHECK(d <= -120.0,
                          "mixed-rate renderer: profile %d differs from its own "
                          "render by %.1f dB",
                          i, d);
                }
            }
        } else {
            CHECK(0, "mixed-rate renderer: %s", diag.msg);
        }
        cansim_render_close(&rb);
        for (int i = 0; i < 2; i++)
            free(ob[i]);
    }

done:
    for (int i = 0; i < 3; i++)
        free(out[i]);
    free(in);
    cansim_render_close(&r44);
    cansim_render_close(&r48);
    cansim_render_close(&rwrong);
    cansim_profile_close(&wrong);
    cansim_profile_close(&p48);
    cansim_profile_close(&p44);
    free(inter);
    free(ll);
    free(rr);
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 7);
    unit_make_tmp_dir(tmp_dir, sizeof tmp_dir, "cansim-test-");
    test_load_channels();
    test_load_errors();
    test_from_taps();
    test_resample();
    test_render_converts();
    tmp_cleanup();
    return unit_finish("test_profile_ir");
}

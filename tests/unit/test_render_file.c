/* SPDX-License-Identifier: MIT */
/* cansim_render_file: layout, results, streaming equal to the in-memory render, failures. */
#define _POSIX_C_SOURCE 200809L

#include <cansim/cansim.h>

#include <dirent.h>
#include <math.h>
#include <sndfile.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "unit_files.h"

#define RATE_HZ 48000

static char tmp_dir[4096];

/* The names in dir, sorted, space separated ("" when it does not exist). */
static void list_dir(const char *dir, char *out, size_t size)
{
    out[0] = '\0';
    DIR *d = opendir(dir);
    if (!d)
        return;
    char names[32][256];
    int n = 0;
    const struct dirent *e;
    while ((e = readdir(d)) && n < 32) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(names[n++], sizeof names[0], "%s", e->d_name);
    }
    closedir(d);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char t[256];
            memcpy(t, names[j], sizeof t);
            memcpy(names[j], names[j - 1], sizeof t);
            memcpy(names[j - 1], t, sizeof t);
        }
    for (int i = 0; i < n; i++) {
        const size_t len = strlen(out);
        snprintf(out + len, size - len, "%s%s", i ? " " : "", names[i]);
    }
}

typedef struct Fixture {
    size_t n_taps[2];
    float *cells[2][4];
    CansimProfile *profiles[2];
    size_t n;
    float *in;
} Fixture;

static void fixture_make(Fixture *fx)
{
    static const char *const ids[2] = {"alpha", "beta.v2"};
    static const unsigned masks[2] = {0xf, 0x9};
    fx->n_taps[0] = 100;
    fx->n_taps[1] = 3000;
    for (int i = 0; i < 2; i++) {
        const float *use[4] = {NULL, NULL, NULL, NULL};
        for (int c = 0; c < 4; c++) {
            fx->cells[i][c] = unit_xcalloc(fx->n_taps[i], sizeof(float));
            unit_fill_random(fx->cells[i][c], fx->n_taps[i], 0.2f);
            if ((masks[i] >> c) & 1)
                use[c] = fx->cells[i][c];
        }
        CansimDiag diag = {{0}};
        const int rc =
            cansim_profile_from_taps(&fx->profiles[i], ids[i], RATE_HZ, fx->n_taps[i], use, &diag);
        if (rc != CANSIM_OK) {
            fprintf(stderr, "cansim_profile_from_taps: %d: %s\n", rc, diag.msg);
            exit(1);
        }
    }
    fx->n = 70001;
    fx->in = unit_xcalloc(2 * fx->n, sizeof(float));
    unit_fill_random(fx->in, 2 * fx->n, 0.5f);
}

static void fixture_free(Fixture *fx)
{
    for (int i = 0; i < 2; i++) {
        cansim_profile_close(&fx->profiles[i]);
        for (int c = 0; c < 4; c++)
            free(fx->cells[i][c]);
    }
    free(fx->in);
}

static CansimRender *open_with(const Fixture *fx, CansimFormat format, bool has_tail)
{
    CansimRenderConfig cfg = cansim_render_default_config();
    cfg.profiles = (const CansimProfile *const *)fx->profiles;
    cfg.n_profiles = 2;
    cfg.output.format = format;
    cfg.engine.has_tail = has_tail;
    CansimRender *r = NULL;
    CansimDiag diag = {{0}};
    const int rc = cansim_render_open(&r, &cfg, &diag);
    CHECK(rc == CANSIM_OK, "cansim_render_open: %d: %s", rc, diag.msg);
    return rc == CANSIM_OK ? r : NULL;
}

/* Files in 32-bit float hold exactly what the engine computed: the streamed render must be the
 * in-memory render bit for bit (same input, profiles and CPU level). */
static void test_streaming_equals_buffer(const Fixture *fx, bool has_tail)
{
    char in_path[4200];
    char out_dir[4200];
    snprintf(in_path, sizeof in_path, "%s/song.take1.wav", tmp_dir);
    snprintf(out_dir, sizeof out_dir, "%s/out-%s", tmp_dir, has_tail ? "tail" : "plain");
    unit_write_audio(in_path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, RATE_HZ, 2, fx->in,
                     (sf_count_t)fx->n);

    CansimRender *r = open_with(fx, CANSIM_FORMAT_WAV32F, has_tail);
    if (!r)
        return;
    CansimOutputResult *results = unit_xcalloc(2, sizeof *results);
    CansimDiag diag = {{0}};
    const int rc = cansim_render_file(r, in_path, out_dir, NULL, results, &diag);
    CHECK(rc == CANSIM_OK, "cansim_render_file(%s) = %d: %s", in_path, rc, diag.msg);

    static const char *const ids[2] = {"alpha", "beta.v2"};
    for (int i = 0; i < 2; i++) {
        char want_path[8400];
        snprintf(want_path, sizeof want_path, "%s/song.take1/%s.wav", out_dir, ids[i]);
        const int64_t want_frames = (int64_t)fx->n + (has_tail ? (int64_t)fx->n_taps[i] - 1 : 0);
        CHECK(results[i].status == CANSIM_OK, "result %d: status %d: %s", i, results[i].status,
              results[i].diag.msg);
        CHECK(strcmp(results[i].path, want_path) == 0, "result %d: path \"%s\", want \"%s\"", i,
              results[i].path, want_path);
        CHECK(results[i].n_frames == want_frames, "result %d: %lld frames, want %lld", i,
              (long long)results[i].n_frames, (long long)want_frames);

        SF_INFO info;
        float *got = unit_read_audio(want_path, &info);
        if (!got)
            continue;
        CHECK(info.channels == 2 && info.samplerate == RATE_HZ && info.frames == want_frames &&
                  info.format == (SF_FORMAT_WAV | SF_FORMAT_FLOAT),
              "%s: %d channels, %d Hz, %lld frames, format %#x; want 2, %d, %lld, WAV float",
              want_path, info.channels, info.samplerate, (long long)info.frames, info.format,
              RATE_HZ, (long long)want_frames);
        if (info.frames == want_frames && info.channels == 2) {
            float *mem = unit_xcalloc(2 * (size_t)want_frames, sizeof(float));
            float *other = unit_xcalloc(2 * (size_t)want_frames, sizeof(float));
            float *outs[2] = {mem, other};
            if (i == 1) {
                outs[0] = other;
                outs[1] = mem;
            }
            /* Both profiles at once, so the renderer (and its partition) is the same. */
            const int64_t n_out = want_frames;
            const int rc2 =
                cansim_render_buffer(r, fx->in, 2, (int64_t)fx->n, RATE_HZ, outs, n_out, &diag);
            CHECK(rc2 == CANSIM_OK, "cansim_render_buffer: %d: %s", rc2, diag.msg);
            if (rc2 == CANSIM_OK)
                CHECK(memcmp(got, mem, 2 * (size_t)want_frames * sizeof(float)) == 0,
                      "%s: the streamed render differs from cansim_render_buffer by %.1f dB",
                      want_path, unit_rel_rms_db_f(got, mem, 2 * (size_t)want_frames));
            free(other);
            free(mem);
        }
        free(got);
    }
    char listing[4096];
    char sub[8400];
    snprintf(sub, sizeof sub, "%s/song.take1", out_dir);
    list_dir(sub, listing, sizeof listing);
    CHECK(strcmp(listing, "alpha.wav beta.v2.wav") == 0,
          "%s holds \"%s\", want \"alpha.wav beta.v2.wav\" (no .part left)", sub, listing);
    free(results);
    cansim_render_close(&r);
}

static void test_formats(const Fixture *fx)
{
    char in_path[4200];
    snprintf(in_path, sizeof in_path, "%s/short.flac", tmp_dir);
    unit_write_audio(in_path, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, RATE_HZ, 1, fx->in, 5000);

    static const struct {
        CansimFormat f;
        const char *ext;
        int sf_format;
    } table[] = {
        {CANSIM_FORMAT_SAME, "flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16},
        {CANSIM_FORMAT_WAV16, "wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16},
        {CANSIM_FORMAT_WAV24, "wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24},
        {CANSIM_FORMAT_WAV32F, "wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT},
        {CANSIM_FORMAT_FLAC16, "flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16},
        {CANSIM_FORMAT_FLAC24, "flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24},
    };
    for (size_t k = 0; k < sizeof table / sizeof table[0]; k++) {
        CansimRender *r = open_with(fx, table[k].f, false);
        if (!r)
            continue;
        char out_dir[4300];
        snprintf(out_dir, sizeof out_dir, "%s/fmt-%s", tmp_dir, cansim_format_name(table[k].f));
        CansimOutputResult results[2];
        memset(results, 0, sizeof results);
        CansimDiag diag = {{0}};
        const int rc = cansim_render_file(r, in_path, out_dir, NULL, results, &diag);
        CHECK(rc == CANSIM_OK, "format %s: %d: %s", cansim_format_name(table[k].f), rc, diag.msg);
        char want_path[8400];
        snprintf(want_path, sizeof want_path, "%s/short/alpha.%s", out_dir, table[k].ext);
        CHECK(strcmp(results[0].path, want_path) == 0, "format %s: path \"%s\", want \"%s\"",
              cansim_format_name(table[k].f), results[0].path, want_path);
        SF_INFO info;
        float *got = unit_read_audio(want_path, &info);
        if (got)
            CHECK(info.format == table[k].sf_format && info.channels == 2 && info.frames == 5000,
                  "format %s: file format %#x, %d channels, %lld frames; want %#x, 2, 5000",
                  cansim_format_name(table[k].f), info.format, info.channels,
                  (long long)info.frames, table[k].sf_format);
        free(got);
        cansim_render_close(&r);
    }
}

/* Failures of the input fail every output, name the input, and leave nothing behind. */
static void test_failures(const Fixture *fx)
{
    CansimRender *r = open_with(fx, CANSIM_FORMAT_WAV16, false);
    if (!r)
        return;
    char out_dir[4200];
    snprintf(out_dir, sizeof out_dir, "%s/out-fail", tmp_dir);

    char paths[4][4200];
    snprintf(paths[0], sizeof paths[0], "%s/absent.wav", tmp_dir);
    snprintf(paths[1], sizeof paths[1], "%s/nan.wav", tmp_dir);
    snprintf(paths[2], sizeof paths[2], "%s/three.wav", tmp_dir);
    snprintf(paths[3], sizeof paths[3], "%s/empty.wav", tmp_dir);
    float *x = unit_xcalloc(3 * fx->n, sizeof(float));
    memcpy(x, fx->in, 2 * fx->n * sizeof(float));
    x[2 * 60000 + 1] = NAN;
    unit_write_audio(paths[1], SF_FORMAT_WAV | SF_FORMAT_FLOAT, RATE_HZ, 2, x, (sf_count_t)fx->n);
    unit_write_audio(paths[2], SF_FORMAT_WAV | SF_FORMAT_PCM_16, RATE_HZ, 3, fx->in, 1000);
    unit_write_audio(paths[3], SF_FORMAT_WAV | SF_FORMAT_PCM_16, RATE_HZ, 2, fx->in, 0);
    free(x);
    static const char *const stems[4] = {"absent", "nan", "three", "empty"};
    static const int want[4] = {CANSIM_EIO, CANSIM_EDATA, CANSIM_EFORMAT, CANSIM_EDATA};

    for (int k = 0; k < 4; k++) {
        CansimOutputResult results[2];
        memset(results, 0, sizeof results);
        CansimDiag diag = {{0}};
        const int rc = cansim_render_file(r, paths[k], out_dir, NULL, results, &diag);
        CHECK(rc < 0, "%s: cansim_render_file = %d, want a failure", stems[k], rc);
        /* The codes are the documented families; a missing file may also read as a format
         * problem, and 3 channels as invalid data or an invalid argument. */
        const bool is_family = rc == want[k] || (k == 0 && rc == CANSIM_EFORMAT) ||
                               (k == 2 && (rc == CANSIM_EDATA || rc == CANSIM_EINVAL));
        CHECK(is_family, "%s: cansim_render_file = %d (%s), want %s", stems[k], rc,
              cansim_strerror(rc), cansim_strerror(want[k]));
        CHECK(strstr(diag.msg, paths[k]) != NULL, "%s: diag \"%s\" does not name the input",
              stems[k], diag.msg);
        for (int i = 0; i < 2; i++)
            CHECK(results[i].status < 0, "%s: output %d has status %d after the input failed",
                  stems[k], i, results[i].status);
        char listing[4096];
        char sub[8400];
        snprintf(sub, sizeof sub, "%s/%s", out_dir, stems[k]);
        list_dir(sub, listing, sizeof listing);
        CHECK(listing[0] == '\0', "%s: left \"%s\" in %s", stems[k], listing, sub);
    }

    /* The renderer still renders after the failures. */
    char ok_path[4200];
    snprintf(ok_path, sizeof ok_path, "%s/after.wav", tmp_dir);
    unit_write_audio(ok_path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, RATE_HZ, 2, fx->in, 3000);
    CansimOutputResult results[2];
    memset(results, 0, sizeof results);
    CansimDiag diag = {{0}};
    const int rc = cansim_render_file(r, ok_path, out_dir, NULL, results, &diag);
    CHECK(rc == CANSIM_OK && results[0].n_frames == 3000 && results[1].n_frames == 3000,
          "a good input after failures: %d, %lld and %lld frames: %s", rc,
          (long long)results[0].n_frames, (long long)results[1].n_frames, diag.msg);
    /* results may be NULL. */
    const int rc_null = cansim_render_file(r, ok_path, out_dir, NULL, NULL, &diag);
    CHECK(rc_null == CANSIM_OK, "results NULL: %d: %s", rc_null, diag.msg);
    cansim_render_close(&r);
}

/* The first n bytes of path, kept (a cut file). */
static void cut_file(const char *path, long n)
{
    if (truncate(path, n)) {
        fprintf(stderr, "cannot cut %s\n", path);
        exit(99);
    }
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) ? -1 : (long)st.st_size;
}

/* Renders path with r into out_dir; the call must fail, its diag contain want, and the output
 * folder be left empty. */
static void expect_failure(CansimRender *r, const char *path, const char *out_dir, const char *stem,
                           const char *want)
{
    CansimOutputResult results[2];
    memset(results, 0, sizeof results);
    CansimDiag diag = {{0}};
    const int rc = cansim_render_file(r, path, out_dir, NULL, results, &diag);
    CHECK(rc < 0, "%s: cansim_render_file = %d, want a failure", path, rc);
    CHECK(strstr(diag.msg, want) != NULL, "%s: diag \"%s\", want \"%s\"", path, diag.msg, want);
    CHECK(strstr(diag.msg, path) != NULL, "%s: diag \"%s\" does not name it", path, diag.msg);
    for (int i = 0; i < 2; i++)
        CHECK(results[i].status < 0, "%s: output %d has status %d", path, i, results[i].status);
    char listing[4096], sub[8400];
    snprintf(sub, sizeof sub, "%s/%s", out_dir, stem);
    list_dir(sub, listing, sizeof listing);
    CHECK(listing[0] == '\0', "%s: left \"%s\" in %s", path, listing, sub);
}

/* Cuts one input after the first progress call: it shrinks while it is being rendered. */
typedef struct Cutter {
    const char *path;
    long size;
    int n_calls;
} Cutter;

static int cut_in_progress(void *user, int64_t n_done, int64_t n_total)
{
    (void)n_done, (void)n_total;
    Cutter *c = user;
    if (c->n_calls++ == 0)
        cut_file(c->path, c->size);
    return 0;
}

/* Every input is read to the frame count it announces, or fails as truncated with both
 * counts: a FLAC and a WAV cut to 60 %, and a WAV cut while it is rendered. */
static void test_truncated(const Fixture *fx)
{
    CansimRender *r = open_with(fx, CANSIM_FORMAT_WAV16, false);
    if (!r)
        return;
    char out_dir[4200], flac[4200], wav[4200], want[128];
    snprintf(out_dir, sizeof out_dir, "%s/out-trunc", tmp_dir);
    snprintf(flac, sizeof flac, "%s/cutflac.flac", tmp_dir);
    snprintf(wav, sizeof wav, "%s/cutwav.wav", tmp_dir);
    unit_write_audio(flac, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, RATE_HZ, 2, fx->in,
                     (sf_count_t)fx->n);
    cut_file(flac, file_size(flac) * 6 / 10);
    snprintf(want, sizeof want, "truncated: ");
    expect_failure(r, flac, out_dir, "cutflac", want);
    snprintf(want, sizeof want, " of %zu frames", fx->n);
    expect_failure(r, flac, out_dir, "cutflac", want);

    /* 16-bit stereo: 44 bytes of header, 4 bytes a frame. */
    unit_write_audio(wav, SF_FORMAT_WAV | SF_FORMAT_PCM_16, RATE_HZ, 2, fx->in, 50000);
    cut_file(wav, 44 + 4 * 30000);
    expect_failure(r, wav, out_dir, "cutwav", "truncated: 30000 of 50000 frames");
    cansim_render_close(&r);

    /* Cut to 20000 frames after the first chunk has been rendered. */
    char live[4200];
    snprintf(live, sizeof live, "%s/cutlive.wav", tmp_dir);
    unit_write_audio(live, SF_FORMAT_WAV | SF_FORMAT_PCM_16, RATE_HZ, 2, fx->in, (sf_count_t)fx->n);
    Cutter cutter = {.path = live, .size = 44 + 4 * 20000};
    CansimRenderConfig cfg = cansim_render_default_config();
    cfg.profiles = (const CansimProfile *const *)fx->profiles;
    cfg.n_profiles = 2;
    cfg.output.format = CANSIM_FORMAT_WAV16;
    cfg.engine.partition_frames = 1024;
    cfg.progress = cut_in_progress;
    cfg.progress_user = &cutter;
    CansimDiag diag = {{0}};
    const int rc = cansim_render_open(&r, &cfg, &diag);
    CHECK(rc == CANSIM_OK, "cansim_render_open: %s", diag.msg);
    if (rc)
        return;
    snprintf(want, sizeof want, " of %zu frames", fx->n);
    expect_failure(r, live, out_dir, "cutlive", want);
    CHECK(cutter.n_calls > 0, "the progress callback was never called");
    cansim_render_close(&r);
}

/* Sets the size of a WAV's data chunk (and, when riff, of its RIFF chunk) to size, as a writer
 * into a pipe leaves them. */
static void set_wav_sizes(const char *path, uint32_t size, bool riff)
{
    FILE *f = fopen(path, "r+b");
    unsigned char h[512];
    const size_t n = f ? fread(h, 1, sizeof h, f) : 0;
    size_t at = 12;
    while (at + 8 <= n && memcmp(h + at, "data", 4))
        at += 8 + ((size_t)h[at + 4] | (size_t)h[at + 5] << 8 | (size_t)h[at + 6] << 16);
    if (!f || at + 8 > n) {
        fprintf(stderr, "%s: no data chunk\n", path);
        exit(99);
    }
    const unsigned char le[4] = {(unsigned char)size, (unsigned char)(size >> 8),
                                 (unsigned char)(size >> 16), (unsigned char)(size >> 24)};
    fseek(f, (long)at + 4, SEEK_SET);
    fwrite(le, 1, 4, f);
    if (riff) {
        fseek(f, 4, SEEK_SET);
        fwrite(le, 1, 4, f);
    }
    fclose(f);
}

/* Streamed WAVs (data size 0xFFFFFFFF or 0, as ffmpeg or arecord write into a pipe) are read
 * to their end: the same outputs as the complete file. */
static void test_streamed_wav(const Fixture *fx)
{
    CansimRender *r = open_with(fx, CANSIM_FORMAT_WAV32F, false);
    if (!r)
        return;
    static const struct {
        const char *stem;
        uint32_t size;
        bool riff;
    } cases[] = {{"ffmpeg", 0xFFFFFFFFu, true}, {"zero", 0, false}, {"zeroriff", 0, true}};
    char ref_in[4200], out_ref[4200];
    snprintf(ref_in, sizeof ref_in, "%s/whole.wav", tmp_dir);
    snprintf(out_ref, sizeof out_ref, "%s/out-stream-ref", tmp_dir);
    unit_write_audio(ref_in, SF_FORMAT_WAV | SF_FORMAT_PCM_24, RATE_HZ, 2, fx->in, 30001);
    CansimOutputResult ref[2];
    CansimDiag diag = {{0}};
    int rc = cansim_render_file(r, ref_in, out_ref, NULL, ref, &diag);
    CHECK(rc == CANSIM_OK, "%s: %s", ref_in, diag.msg);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char in[4200], out_dir[4200];
        snprintf(in, sizeof in, "%s/%s.wav", tmp_dir, cases[k].stem);
        snprintf(out_dir, sizeof out_dir, "%s/out-stream", tmp_dir);
        unit_write_audio(in, SF_FORMAT_WAV | SF_FORMAT_PCM_24, RATE_HZ, 2, fx->in, 30001);
        set_wav_sizes(in, cases[k].size, cases[k].riff);
        CansimInputInfo info;
        rc = cansim_input_probe(in, &info, &diag);
        CHECK(rc == CANSIM_OK && info.n_frames == 30001 && info.n_channels == 2 &&
                  !strcmp(info.format, "wav24"),
              "%s: probe %d, %lld frames, %d channels, %s: %s", in, rc, (long long)info.n_frames,
              info.n_channels, info.format, diag.msg);
        CansimOutputResult res[2];
        rc = cansim_render_file(r, in, out_dir, NULL, res, &diag);
        CHECK(rc == CANSIM_OK, "%s: %d: %s", in, rc, diag.msg);
        for (int i = 0; i < 2 && rc == CANSIM_OK; i++) {
            CHECK(res[i].n_frames == 30001, "%s: output %d has %lld frames, want 30001", in, i,
                  (long long)res[i].n_frames);
            SF_INFO a, b;
            float *x = unit_read_audio(ref[i].path, &a);
            float *y = unit_read_audio(res[i].path, &b);
            CHECK(x && y && a.frames == b.frames &&
                      !memcmp(x, y, 2 * (size_t)a.frames * sizeof(float)),
                  "%s: output %d differs from the complete file's", in, i);
            free(x);
            free(y);
        }
    }
    cansim_render_close(&r);
}

/* A FIFO, a device or a directory as the input fails at once (no hang) with one line saying
 * what it is. */
static void test_not_files(const Fixture *fx)
{
    CansimRender *r = open_with(fx, CANSIM_FORMAT_WAV16, false);
    if (!r)
        return;
    char fifo[4200], dir[4200], out_dir[4200];
    snprintf(fifo, sizeof fifo, "%s/pipe.wav", tmp_dir);
    snprintf(dir, sizeof dir, "%s/folder.wav", tmp_dir);
    snprintf(out_dir, sizeof out_dir, "%s/out-types", tmp_dir);
    CHECK(mkfifo(fifo, 0600) == 0, "mkfifo %s failed", fifo);
    CHECK(mkdir(dir, 0700) == 0, "mkdir %s failed", dir);
    expect_failure(r, fifo, out_dir, "pipe", "is a FIFO");
    expect_failure(r, dir, out_dir, "folder", "is a directory");
    expect_failure(r, "/dev/zero", out_dir, "zero", "is a character device");
    CansimInputInfo info;
    CansimDiag diag = {{0}};
    CHECK(cansim_input_probe(fifo, &info, &diag) < 0 && strstr(diag.msg, "FIFO"),
          "cansim_input_probe(FIFO): \"%s\"", diag.msg);
    unlink(fifo);
    cansim_render_close(&r);
}

/* Temporary files: unique per call, within NAME_MAX even for a final name of 254 bytes, never
 * left behind, and a file of the old fixed temporary name (someone else's) is not touched. A
 * final name past NAME_MAX fails that output alone with the reason. */
static void test_names(const Fixture *fx)
{
    char long_id[256], too_long_id[256];
    memset(long_id, 'n', 250);
    long_id[250] = '\0'; /* "<250>.wav": 254 bytes; its temporaries need shortening */
    memset(too_long_id, 'm', 252);
    too_long_id[252] = '\0'; /* "<252>.wav": 256 bytes, past NAME_MAX */
    const float one = 1.0f;
    const float *cells[4] = {&one, NULL, NULL, &one};
    CansimProfile *p[2] = {NULL, NULL};
    CansimDiag diag = {{0}};
    CHECK(cansim_profile_from_taps(&p[0], long_id, RATE_HZ, 1, cells, &diag) == CANSIM_OK &&
              cansim_profile_from_taps(&p[1], too_long_id, RATE_HZ, 1, cells, &diag) == CANSIM_OK,
          "profiles: %s", diag.msg);
    if (!p[0] || !p[1])
        return;
    for (int format = 0; format < 2; format++) {
        CansimRenderConfig cfg = cansim_render_default_config();
        cfg.profiles = (const CansimProfile *const *)p;
        cfg.n_profiles = 2;
        cfg.output.format = format ? CANSIM_FORMAT_WAV32F : CANSIM_FORMAT_WAV16;
        cfg.level.mode = CANSIM_LEVEL_TARGET;
        cfg.level.lufs = -20.0;
        CansimRender *r = NULL;
        CHECK(cansim_render_open(&r, &cfg, &diag) == CANSIM_OK, "open: %s", diag.msg);
        if (!r)
            continue;
        char in[4200], out_dir[4200], sub[4300], theirs[8400];
        snprintf(in, sizeof in, "%s/names.wav", tmp_dir);
        snprintf(out_dir, sizeof out_dir, "%s/out-names-%d", tmp_dir, format);
        snprintf(sub, sizeof sub, "%s/names", out_dir);
        unit_write_audio(in, SF_FORMAT_WAV | SF_FORMAT_PCM_16, RATE_HZ, 2, fx->in, 20000);
        mkdir(out_dir, 0700);
        mkdir(sub, 0700);
        snprintf(theirs, sizeof theirs, "%s/x.wav.part", sub);
        FILE *f = fopen(theirs, "wb");
        fputs("not cansim's", f);
        fclose(f);
        CansimOutputResult res[2];
        const int rc = cansim_render_file(r, in, out_dir, NULL, res, &diag);
        CHECK(rc < 0, "a final name past NAME_MAX: render returned %d", rc);
        CHECK(res[0].status == CANSIM_OK && res[0].n_frames == 20000,
              "a final name of 254 bytes: status %d, %lld frames: %s", res[0].status,
              (long long)res[0].n_frames, res[0].diag.msg);
        CHECK(res[1].status < 0 && strstr(res[1].diag.msg, "file name too long"),
              "a final name of 256 bytes: status %d, diag \"%s\"", res[1].status, res[1].diag.msg);
        /* The input was rendered (one output complete): its level is known, not -inf. */
        CHECK(res[1].input_lufs > -70.0 && !res[1].is_below_gate,
              "the failed output reports input %.2f LUFS, below the gate %d", res[1].input_lufs,
              res[1].is_below_gate);
        char listing[4096], want[1024];
        list_dir(sub, listing, sizeof listing);
        snprintf(want, sizeof want, "%s.wav x.wav.part", long_id);
        CHECK(strcmp(listing, want) == 0, "%s holds \"%s\", want \"<250 n>.wav x.wav.part\"", sub,
              listing);
        f = fopen(theirs, "rb");
        char back[32] = "";
        if (f) {
            CHECK(fgets(back, sizeof back, f) != NULL, "cannot read %s", theirs);
            fclose(f);
        }
        CHECK(!strcmp(back, "not cansim's"), "%s was changed: \"%s\"", theirs, back);
        cansim_render_close(&r);
    }

    /* Every output fails to be created: the reason is the system's, and the input's level is
     * not claimed (it was not metered to its end). */
    CansimProfile *only[1] = {p[1]};
    CansimRenderConfig cfg = cansim_render_default_config();
    cfg.profiles = (const CansimProfile *const *)only;
    cfg.n_profiles = 1;
    cfg.output.format = CANSIM_FORMAT_WAV16;
    cfg.level.mode = CANSIM_LEVEL_MATCH;
    CansimRender *r = NULL;
    CHECK(cansim_render_open(&r, &cfg, &diag) == CANSIM_OK, "open: %s", diag.msg);
    if (r) {
        char in[4200], out_dir[4200];
        snprintf(in, sizeof in, "%s/names.wav", tmp_dir);
        snprintf(out_dir, sizeof out_dir, "%s/out-names-all", tmp_dir);
        CansimOutputResult res[1];
        const int rc = cansim_render_file(r, in, out_dir, NULL, res, &diag);
        CHECK(rc < 0 && strstr(res[0].diag.msg, "file name too long") &&
                  !strstr(res[0].diag.msg, "LUFS"),
              "all outputs failing: %d, \"%s\"", rc, res[0].diag.msg);
        CHECK(!res[0].is_below_gate && !(res[0].input_lufs == -HUGE_VAL),
              "all outputs failing: input %.2f LUFS, below the gate %d", res[0].input_lufs,
              res[0].is_below_gate);
        cansim_render_close(&r);
    }
    cansim_profile_close(&p[0]);
    cansim_profile_close(&p[1]);
}

/* One frame: rendered as one frame; converted to a rate where it is less than one frame, a
 * clean failure rather than an empty output reported complete. */
static void test_one_frame(const Fixture *fx)
{
    char in[4200], out_dir[4200];
    snprintf(in, sizeof in, "%s/oneframe.wav", tmp_dir);
    snprintf(out_dir, sizeof out_dir, "%s/out-one", tmp_dir);
    unit_write_audio(in, SF_FORMAT_WAV | SF_FORMAT_PCM_16, RATE_HZ, 2, fx->in, 1);
    for (int k = 0; k < 2; k++) {
        CansimRenderConfig cfg = cansim_render_default_config();
        cfg.profiles = (const CansimProfile *const *)fx->profiles;
        cfg.n_profiles = 2;
        cfg.level.mode = CANSIM_LEVEL_MATCH;
        cfg.input.rate_hz = k ? 8000.0 : 0.0;
        CansimRender *r = NULL;
        CansimDiag diag = {{0}};
        CHECK(cansim_render_open(&r, &cfg, &diag) == CANSIM_OK, "open: %s", diag.msg);
        if (!r)
            continue;
        CansimOutputResult res[2];
        const int rc = cansim_render_file(r, in, out_dir, NULL, res, &diag);
        if (k == 0)
            CHECK(rc == CANSIM_OK && res[0].n_frames == 1 && res[1].n_frames == 1,
                  "one frame: %d, %lld and %lld frames: %s", rc, (long long)res[0].n_frames,
                  (long long)res[1].n_frames, diag.msg);
        else
            CHECK(rc == CANSIM_EDATA && strstr(diag.msg, "less than one frame at 8000 Hz"),
                  "one frame to 8 kHz: %d, \"%s\"", rc, diag.msg);
        cansim_render_close(&r);
    }
}

/* A diag longer than its line (a long path) keeps its start and the reason at its end. */
static void test_long_path(const Fixture *fx)
{
    CansimRender *r = open_with(fx, CANSIM_FORMAT_WAV16, false);
    if (!r)
        return;
    char path[2400];
    size_t n = (size_t)snprintf(path, sizeof path, "%s", tmp_dir);
    for (int i = 0; i < 9; i++)
        n += (size_t)snprintf(path + n, sizeof path - n, "/%0200d", i);
    snprintf(path + n, sizeof path - n, "/missing.wav");
    CansimOutputResult res[2];
    CansimDiag diag = {{0}};
    const int rc = cansim_render_file(r, path, tmp_dir, NULL, res, &diag);
    const size_t len = strlen(diag.msg);
    const char *reason = "No such file or directory";
    CHECK(rc < 0 && len < sizeof diag.msg && !strncmp(diag.msg, tmp_dir, strlen(tmp_dir)) &&
              len > strlen(reason) && !strcmp(diag.msg + len - strlen(reason), reason),
          "a path of %zu bytes: %d, diag \"%s\"", strlen(path), rc, diag.msg);
    cansim_render_close(&r);
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 11);
    unit_make_tmp_dir(tmp_dir, sizeof tmp_dir, "cansim-test-");
    Fixture fx;
    memset(&fx, 0, sizeof fx);
    fixture_make(&fx);
    test_streaming_equals_buffer(&fx, false);
    test_streaming_equals_buffer(&fx, true);
    test_formats(&fx);
    test_failures(&fx);
    test_truncated(&fx);
    test_streamed_wav(&fx);
    test_not_files(&fx);
    test_names(&fx);
    test_one_frame(&fx);
    test_long_path(&fx);
    fixture_free(&fx);
    unit_remove_tree(tmp_dir);
    return unit_finish("test_render_file");
}

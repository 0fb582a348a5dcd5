/* SPDX-License-Identifier: MIT */
/* cansim_render_file: layout, results, streaming equal to the in-memory render, failures. */
#define _POSIX_C_SOURCE 200809L

#include <cansim/cansim.h>

#include <dirent.h>
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

static CansimRender *open_with(const Fixture *fx, CansimFormat format, bool has_tail,
                               bool is_compute_only)
{
    CansimRenderConfig cfg = cansim_render_default_config();
    cfg.profiles = (const CansimProfile *const *)fx->profiles;
    cfg.n_profiles = 2;
    cfg.format = format;
    cfg.has_tail = has_tail;
    cfg.is_compute_only = is_compute_only;
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

    CansimRender *r = open_with(fx, CANSIM_FORMAT_WAV32F, has_tail, false);
    if (!r)
        return;
    CansimOutputResult *results = unit_xcalloc(2, sizeof *results);
    CansimDiag diag = {{0}};
    const int rc = cansim_render_file(r, in_path, out_dir, results, &diag);
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
        CansimRender *r = open_with(fx, table[k].f, false, false);
        if (!r)
            continue;
        char out_dir[4300];
        snprintf(out_dir, sizeof out_dir, "%s/fmt-%s", tmp_dir, cansim_format_name(table[k].f));
        CansimOutputResult results[2];
        memset(results, 0, sizeof results);
        CansimDiag diag = {{0}};
        const int rc = cansim_render_file(r, in_path, out_dir, results, &diag);
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

static void test_compute_only(const Fixture *fx)
{
    char in_path[4200];
    char out_dir[4200];
    snprintf(in_path, sizeof in_path, "%s/bench.wav", tmp_dir);
    snprintf(out_dir, sizeof out_dir, "%s/out-compute-only", tmp_dir);
    unit_write_audio(in_path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, RATE_HZ, 2, fx->in, 4000);
    CansimRender *r = open_with(fx, CANSIM_FORMAT_SAME, false, true);
    if (!r)
        return;
    CansimOutputResult results[2];
    memset(results, 0, sizeof results);
    CansimDiag diag = {{0}};
    const int rc = cansim_render_file(r, in_path, out_dir, results, &diag);
    CHECK(rc == CANSIM_OK && results[0].status == CANSIM_OK && results[1].status == CANSIM_OK,
          "is_compute_only: %d (%d, %d): %s", rc, results[0].status, results[1].status, diag.msg);
    char listing[4096];
    char sub[4300];
    snprintf(sub, sizeof sub, "%s/bench", out_dir);
    list_dir(sub, listing, sizeof listing);
    CHECK(listing[0] == '\0', "is_compute_only wrote \"%s\" into %s", listing, sub);
    cansim_render_close(&r);
}

/* Failures of the input fail every output, name the input, and leave nothing behind. */
static void test_failures(const Fixture *fx)
{
    CansimRender *r = open_with(fx, CANSIM_FORMAT_WAV16, false, false);
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
        const int rc = cansim_render_file(r, paths[k], out_dir, results, &diag);
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
    const int rc = cansim_render_file(r, ok_path, out_dir, results, &diag);
    CHECK(rc == CANSIM_OK && results[0].n_frames == 3000 && results[1].n_frames == 3000,
          "a good input after failures: %d, %lld and %lld frames: %s", rc,
          (long long)results[0].n_frames, (long long)results[1].n_frames, diag.msg);
    /* results may be NULL. */
    const int rc_null = cansim_render_file(r, ok_path, out_dir, NULL, &diag);
    CHECK(rc_null == CANSIM_OK, "results NULL: %d: %s", rc_null, diag.msg);
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
    test_compute_only(&fx);
    test_failures(&fx);
    fixture_free(&fx);
    unit_remove_tree(tmp_dir);
    return unit_finish("test_render_file");
}

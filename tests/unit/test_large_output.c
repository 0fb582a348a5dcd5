/* SPDX-License-Identifier: MIT */
/* Outputs past 4 GiB: a WAV output becomes RF64 and reads back whole (every frame, the last
 * ones exact); a format whose 32-bit sizes cannot hold the output is refused before anything is
 * rendered. Writes about 4.3 GB (label slow); its files are removed at the end, on failure too. */
#define _POSIX_C_SOURCE 200809L

#include <cansim/cansim.h>

#include <fcntl.h>
#include <sndfile.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "unit_files.h"

#define RATE_HZ 48000
/* 537e6 stereo float frames are 4,296,000,000 bytes of data: past 4 GiB (4,294,967,296). */
#define N_FRAMES 537000000LL
#define N_TAIL   4096

static char tmp_dir[4096];

static void cleanup(void)
{
    if (tmp_dir[0])
        unit_remove_tree(tmp_dir);
}

static void put_le(unsigned char *p, uint32_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* A mono 16-bit WAV of n frames, sparse (zeros cost no disk) but for its last N_TAIL frames,
 * a ramp tail[]. */
static void write_sparse_wav(const char *path, int64_t n, const int16_t *tail)
{
    unsigned char h[44];
    memcpy(h, "RIFF", 4);
    put_le(h + 4, (uint32_t)(36 + 2 * n), 4);
    memcpy(h + 8, "WAVEfmt ", 8);
    put_le(h + 16, 16, 4);
    put_le(h + 20, 1, 2); /* PCM */
    put_le(h + 22, 1, 2); /* mono */
    put_le(h + 24, RATE_HZ, 4);
    put_le(h + 28, 2 * RATE_HZ, 4);
    put_le(h + 32, 2, 2);
    put_le(h + 34, 16, 2);
    memcpy(h + 36, "data", 4);
    put_le(h + 40, (uint32_t)(2 * n), 4);
    const int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    unsigned char t[2 * N_TAIL];
    for (int i = 0; i < N_TAIL; i++)
        put_le(t + 2 * i, (uint32_t)(uint16_t)tail[i], 2);
    const off_t at = (off_t)(44 + 2 * (n - N_TAIL));
    if (fd < 0 || write(fd, h, sizeof h) != (ssize_t)sizeof h ||
        pwrite(fd, t, sizeof t, at) != (ssize_t)sizeof t || close(fd)) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(99);
    }
}

static CansimRender *open_identity(CansimProfile **p, CansimFormat format)
{
    const float one = 1.0f;
    const float *cells[4] = {&one, NULL, NULL, &one};
    CansimDiag diag = {{0}};
    if (cansim_profile_from_taps(p, "identity", RATE_HZ, 1, cells, &diag)) {
        fprintf(stderr, "profile: %s\n", diag.msg);
        exit(99);
    }
    CansimRenderConfig cfg = cansim_render_default_config();
    cfg.profiles = (const CansimProfile *const *)p;
    cfg.n_profiles = 1;
    cfg.output.format = format;
    cfg.level.mode = CANSIM_LEVEL_OFF;
    CansimRender *r = NULL;
    CHECK(cansim_render_open(&r, &cfg, &diag) == CANSIM_OK, "open: %s", diag.msg);
    return r;
}

/* AIFF's sizes are 32-bit: 800e6 frames of 24-bit stereo (4.8 GB) are refused at once, with
 * one line, and nothing is written. */
static void test_refused(void)
{
    char in[4200], out[4200], sub[4300];
    snprintf(in, sizeof in, "%s/long-aiff.wav", tmp_dir);
    snprintf(out, sizeof out, "%s/out-aiff", tmp_dir);
    snprintf(sub, sizeof sub, "%s/long-aiff", out);
    int16_t tail[N_TAIL] = {0};
    write_sparse_wav(in, 800000000LL, tail);
    CansimProfile *p = NULL;
    CansimRender *r = open_identity(&p, CANSIM_FORMAT_AIFF24);
    CansimOutputResult res[1];
    CansimDiag diag = {{0}};
    const int rc = r ? cansim_render_file(r, in, out, NULL, res, &diag) : CANSIM_EINVAL;
    CHECK(rc == CANSIM_EFORMAT && strstr(diag.msg, "more than this format can hold") &&
              strstr(diag.msg, in) && !strchr(diag.msg, '\n'),
          "aiff24 of 800e6 frames: %d, \"%s\"", rc, diag.msg);
    DIR *d = opendir(sub);
    int n = 0;
    for (const struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    CHECK(n == 0, "%d files written into %s for a refused output", n, sub);
    cansim_render_close(&r);
    cansim_profile_close(&p);
    unlink(in);
}

static void test_rf64(void)
{
    char in[4200], out[4200];
    snprintf(in, sizeof in, "%s/long.wav", tmp_dir);
    snprintf(out, sizeof out, "%s/out", tmp_dir);
    int16_t tail[N_TAIL];
    for (int i = 0; i < N_TAIL; i++)
        tail[i] = (int16_t)(i * 7 - 14000);
    write_sparse_wav(in, N_FRAMES, tail);
    CansimProfile *p = NULL;
    CansimRender *r = open_identity(&p, CANSIM_FORMAT_WAV32F);
    CansimOutputResult res[1];
    CansimDiag diag = {{0}};
    const int rc = r ? cansim_render_file(r, in, out, NULL, res, &diag) : CANSIM_EINVAL;
    CHECK(rc == CANSIM_OK && res[0].n_frames == N_FRAMES, "render: %d, %lld frames: %s", rc,
          (long long)res[0].n_frames, diag.msg);
    cansim_render_close(&r);
    cansim_profile_close(&p);
    unlink(in);
    if (rc)
        return;
    struct stat st;
    CHECK(stat(res[0].path, &st) == 0 && st.st_size > 4294967296LL,
          "%s: %lld bytes, want more than 4 GiB", res[0].path, (long long)st.st_size);
    CHECK(!strcmp(res[0].format, "wav32f"), "format label \"%s\"", res[0].format);
    SF_INFO info = {0};
    SNDFILE *f = sf_open(res[0].path, SFM_READ, &info);
    CHECK(f && info.frames == N_FRAMES && info.channels == 2 &&
              info.format == (SF_FORMAT_RF64 | SF_FORMAT_FLOAT),
          "%s: %lld frames, %d channels, format %#x; want %lld, 2, RF64 float: %s", res[0].path,
          (long long)info.frames, info.channels, info.format, (long long)N_FRAMES,
          sf_strerror(NULL));
    if (!f)
        return;
    /* Every frame read back: silence, then the tail, within half a 16-bit step of the input,
     * which tells each value from its neighbours (the identity filter runs through FFTs: float
     * rounding, which also leaks into the silence of the transform blocks the tail is in). */
    const size_t chunk = 1 << 20;
    float *x = unit_xcalloc(2 * chunk, sizeof *x);
    const float tol = 0.5f / 32768.0f;
    int64_t n = 0, n_bad = 0, first_bad = -1;
    for (sf_count_t k; (k = sf_readf_float(f, x, (sf_count_t)chunk)) > 0; n += k)
        for (sf_count_t i = 0; i < k; i++) {
            const int64_t t = n + i - (N_FRAMES - N_TAIL);
            const float want = t >= 0 ? (float)tail[t] / 32768.0f : 0.0f;
            if (!(fabsf(x[2 * i] - want) <= tol && fabsf(x[2 * i + 1] - want) <= tol)) {
                first_bad = first_bad < 0 ? n + i : first_bad;
                n_bad++;
            }
        }
    CHECK(n == N_FRAMES, "read %lld frames back, want %lld", (long long)n, (long long)N_FRAMES);
    CHECK(n_bad == 0, "%lld frames differ from the input, the first at frame %lld",
          (long long)n_bad, (long long)first_bad);
    free(x);
    sf_close(f);
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 1);
    unit_make_tmp_dir(tmp_dir, sizeof tmp_dir, "cansim-large-");
    atexit(cleanup);
    test_refused();
    test_rf64();
    cleanup();
    tmp_dir[0] = '\0';
    return unit_finish("test_large_output");
}

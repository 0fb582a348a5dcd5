/* SPDX-License-Identifier: MIT */
/* A float output's gain changed after its render (core/finish_write.c, core/level.c): in place in
 * WAV and RF64 files, the same samples as the gain kernel gives, the header untouched; other
 * containers, and files whose data chunk is not last, are left alone by the in-place step and
 * rewritten to a new file by cansim_rewrite_float() with the same samples. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "audio_io.h"
#include "finish_write.h"
#include "level.h"
#include "unit.h"
#include "unit_files.h"

/* more than two of the rescale's chunks, and a part */
enum { N = 2 * CANSIM_IO_FRAMES + 3001 };

static char tmp_dir[256];
static float x[2 * N], want[2 * N], got[2 * N];

/* A float file of format written as every output is (cansim_audio_create/close); its path in
 * path. */
static bool write_file(int sf_format, const char *name, char *path, size_t n)
{
    char final[512];
    snprintf(final, sizeof final, "%s/%s", tmp_dir, name);
    SNDFILE *sf = NULL;
    CansimDiag d = {{0}};
    int e = cansim_audio_create(final, NULL, sf_format, 48000, 2, SFM_WRITE, &sf, path, n, &d);
    CHECK(!e, "%s: create: %s", name, d.msg);
    if (e)
        return false;
    CHECK(sf_writef_float(sf, x, N) == N, "%s: write failed", name);
    e = cansim_audio_close(sf, path, &d);
    CHECK(!e, "%s: close: %s", name, d.msg);
    return !e;
}

static bool read_back(const char *path)
{
    SF_INFO info = {0};
    SNDFILE *in = sf_open(path, SFM_READ, &info);
    const bool ok = in && info.frames == N && info.channels == 2 && sf_readf_float(in, got, N) == N;
    if (in)
        sf_close(in);
    return ok;
}

/* In place where the container allows (is_in_place), else untouched; then cansim_rewrite_float()
 * gives the kernel's samples either way. */
static void check_format(int sf_format, const char *name, bool is_in_place)
{
    const double gain = 0.73;
    char path[600];
    if (!write_file(sf_format, name, path, sizeof path))
        return;
    size_t n0 = 0, n1 = 0;
    unsigned char *before = unit_slurp(path, &n0);
    bool is_done = true;
    CansimDiag d = {{0}};
    int e = cansim_level_rescale(path, sf_format, N, gain, NULL, &is_done, &d);
    CHECK(!e, "%s: rescale: %s", name, d.msg);
    CHECK(is_done == is_in_place, "%s: rescaled in place: %d, expected %d", name, is_done,
          is_in_place);
    unsigned char *after = unit_slurp(path, &n1);
    CHECK(before && after && n0 == n1, "%s: the file's size changed", name);
    if (before && after && n0 == n1) {
        const size_t data = n0 - sizeof x;
        if (is_in_place)
            CHECK(!memcmp(before, after, data), "%s: the header changed", name);
        else
            CHECK(!memcmp(before, after, n0), "%s: a file not rescaled in place changed", name);
    }
    free(before);
    free(after);
    if (is_done) {
        CHECK(read_back(path) && !memcmp(got, want, sizeof got),
              "%s: the samples are not the gain kernel's", name);
        unlink(path);
        return;
    }
    CansimFileOut o = {.n_frames = N};
    snprintf(o.path, sizeof o.path, "%s/%s", tmp_dir, name);
    snprintf(o.part, sizeof o.part, "%s", path);
    e = cansim_rewrite_float(&o, sf_format, 48000, 20.0 * log10(gain), NULL, &d);
    CHECK(!e, "%s: rewrite: %s", name, d.msg);
    CHECK(strcmp(o.part, path) && access(path, F_OK), "%s: the rewrite did not replace the file",
          name);
    CHECK(read_back(o.part) && !memcmp(got, want, sizeof got),
          "%s: the rewritten samples are not the gain kernel's", name);
    unlink(o.part);
}

/* A WAV file whose data chunk is not last, or whose frame count is not the one given, is not
 * rescaled in place: its samples would not be where the rescale looks. */
static void check_layout(void)
{
    char path[600];
    if (!write_file(SF_FORMAT_WAV | SF_FORMAT_FLOAT, "tail.wav", path, sizeof path))
        return;
    bool is_done = true;
    CansimDiag d = {{0}};
    int e =
        cansim_level_rescale(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, N - 1, 0.5, NULL, &is_done, &d);
    CHECK(!e && !is_done, "a wrong frame count was rescaled in place (e %d)", e);
    FILE *f = fopen(path, "ab");
    static const unsigned char list[12] = {'L', 'I', 'S', 'T', 4, 0, 0, 0, 'I', 'N', 'F', 'O'};
    CHECK(f && fwrite(list, 1, sizeof list, f) == sizeof list && !fclose(f), "append failed");
    size_t n0 = 0, n1 = 0;
    unsigned char *before = unit_slurp(path, &n0);
    e = cansim_level_rescale(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, N, 0.5, NULL, &is_done, &d);
    unsigned char *after = unit_slurp(path, &n1);
    CHECK(!e && !is_done, "a file with a chunk after its data was rescaled in place");
    CHECK(before && after && n0 == n1 && !memcmp(before, after, n0), "the file was touched");
    free(before);
    free(after);
    unlink(path);
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 7);
    unit_make_tmp_dir(tmp_dir, sizeof tmp_dir, "cansim-rescale-");
    for (size_t i = 0; i < 2 * N; i++)
        x[i] = 1.6f * unit_rand_float() - 0.8f;
    cansim_gain_dither_c(want, x, 2 * N, 0.73, NULL);
    check_format(SF_FORMAT_WAV | SF_FORMAT_FLOAT, "out.wav", true);
    /* under 4 GiB an RF64 output is downgraded to WAV when it closes */
    check_format(SF_FORMAT_RF64 | SF_FORMAT_FLOAT, "out.rf64", true);
    check_format(SF_FORMAT_AIFF | SF_FORMAT_FLOAT, "out.aiff", false);
    check_format(SF_FORMAT_W64 | SF_FORMAT_FLOAT, "out.w64", false);
    check_format(SF_FORMAT_WAV | SF_FORMAT_FLOAT | SF_ENDIAN_BIG, "out-be.wav", false);
    check_layout();
    rmdir(tmp_dir);
    return unit_finish("rescale");
}

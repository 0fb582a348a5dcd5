/* SPDX-License-Identifier: MIT */
/* core/rf64_peak.c through the file writer every output uses (cansim_audio_create() and
 * cansim_audio_close()): a float RF64 file and a float WAV file carry no PEAK chunk (libsndfile
 * would stamp it with the time of writing), and both read back the samples written. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "audio_io.h"
#include "unit.h"
#include "unit_files.h"

static char tmp_dir[256];

/* Whether the file's first 4 KiB (its header) hold the chunk id. */
static bool header_has(const char *path, const char *id)
{
    unsigned char h[4096];
    FILE *f = fopen(path, "rb");
    const size_t n = f ? fread(h, 1, sizeof h, f) : 0;
    if (f)
        fclose(f);
    for (size_t i = 0; i + 4 <= n; i++)
        if (!memcmp(h + i, id, 4))
            return true;
    return false;
}

static void check_format(int sf_format, const char *name, const char *magic)
{
    enum { N = 1000 };
    static float x[2 * N], y[2 * N];
    for (size_t i = 0; i < 2 * N; i++)
        x[i] = 0.5f * unit_rand_float() - 0.25f;
    char final[512], tmp[600];
    snprintf(final, sizeof final, "%s/%s", tmp_dir, name);
    SNDFILE *sf = NULL;
    CansimDiag d = {{0}};
    int e =
        cansim_audio_create(final, NULL, sf_format, 48000, 2, SFM_WRITE, &sf, tmp, sizeof tmp, &d);
    CHECK(!e, "%s: create: %s", name, d.msg);
    if (e)
        return;
    CHECK(sf_writef_float(sf, x, N) == N, "%s: write failed", name);
    e = cansim_audio_close(sf, tmp, &d);
    CHECK(!e, "%s: close: %s", name, d.msg);
    CHECK(header_has(tmp, magic), "%s: not a %s file", name, magic);
    CHECK(!header_has(tmp, "PEAK"), "%s: a PEAK chunk is left in the header", name);
    SF_INFO info = {0};
    SNDFILE *in = sf_open(tmp, SFM_READ, &info);
    CHECK(in && info.frames == N && info.channels == 2, "%s: does not read back as %d frames", name,
          N);
    if (in) {
        CHECK(sf_readf_float(in, y, N) == N && !memcmp(x, y, sizeof x),
              "%s: the samples read back differ", name);
        sf_close(in);
    }
    unlink(tmp);
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 3);
    unit_make_tmp_dir(tmp_dir, sizeof tmp_dir, "cansim-rf64-");
    /* Under 4 GiB the RF64 file is downgraded to WAV when it closes (SFC_RF64_AUTO_DOWNGRADE). */
    check_format(SF_FORMAT_RF64 | SF_FORMAT_FLOAT, "out.rf64", "RIFF");
    check_format(SF_FORMAT_WAV | SF_FORMAT_FLOAT, "out.wav", "RIFF");
    check_format(SF_FORMAT_AIFF | SF_FORMAT_FLOAT, "out.aiff", "FORM");
    rmdir(tmp_dir);
    return unit_finish("rf64_peak");
}

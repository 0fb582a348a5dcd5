/* SPDX-License-Identifier: MIT */
/* cansim design: one profile's designed filter written as an impulse-response file. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sndfile.h>

#include "cli.h"
#include "outputs.h"

/* The container design writes, by the output's extension, always 32-bit float: a filter's taps
 * pass full scale, so FLAC (integers only) and the rest are refused (0). */
static int ir_format(const char *path)
{
    static const struct {
        const char *ext;
        int format;
    } known[] = {
        {"wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT},   {"wave", SF_FORMAT_WAV | SF_FORMAT_FLOAT},
        {"w64", SF_FORMAT_W64 | SF_FORMAT_FLOAT},   {"rf64", SF_FORMAT_RF64 | SF_FORMAT_FLOAT},
        {"caf", SF_FORMAT_CAF | SF_FORMAT_FLOAT},   {"aif", SF_FORMAT_AIFF | SF_FORMAT_FLOAT},
        {"aiff", SF_FORMAT_AIFF | SF_FORMAT_FLOAT},
    };
    const char *base = strrchr(path, '/');
    const char *dot = strrchr(base ? base + 1 : path, '.');
    for (size_t i = 0; dot && i < sizeof known / sizeof *known; i++)
        if (!strcasecmp(dot + 1, known[i].ext))
            return known[i].format;
    return 0;
}

/* Writes a designed profile (see ir_format()): 2 channels (L->L, R->R) without cross paths,
 * else 4 (L->L, L->R, R->L, R->R), the IR-file layout cansim itself reads. */
static int write_ir(const CansimProfile *p, const char *path, int format)
{
    const size_t n = cansim_profile_n_taps(p);
    const float *cells[4];
    for (int c = 0; c < 4; c++)
        cells[c] = cansim_profile_taps(p, c);
    const bool has_cross = cells[CANSIM_CELL_LR] || cells[CANSIM_CELL_RL];
    const int n_ch = has_cross ? 4 : 2;
    const int map2[2] = {CANSIM_CELL_LL, CANSIM_CELL_RR};
    float *buf = calloc(n * (size_t)n_ch, sizeof *buf);
    char part[4200];
    for (size_t i = 0; buf && i < n; i++)
        for (int ch = 0; ch < n_ch; ch++) {
            const float *cell = cells[has_cross ? ch : map2[ch]];
            buf[i * (size_t)n_ch + (size_t)ch] = cell ? cell[i] : 0.0f;
        }
    SF_INFO info = {.samplerate = (int)cansim_profile_rate(p), .channels = n_ch, .format = format};
    const int fd = buf ? open_unique_part(path, part, sizeof part) : -1;
    SNDFILE *sf = fd >= 0 ? sf_open_fd(fd, SFM_WRITE, &info, 1) : NULL;
    /* No PEAK chunk: libsndfile stamps it with the time of writing (as renders, audio_io.c). */
    if (sf)
        sf_command(sf, SFC_SET_ADD_PEAK_CHUNK, NULL, SF_FALSE);
    if (!sf) {
        fprintf(stderr, "cansim: %s: %s\n", path,
                !buf     ? "out of memory"
                : fd < 0 ? strerror(errno)
                         : sf_strerror(NULL));
        if (fd >= 0)
            unlink(part);
        free(buf);
        return EXIT_PARTIAL;
    }
    const bool is_ok = sf_writef_float(sf, buf, (sf_count_t)n) == (sf_count_t)n;
    const int ce = sf_close(sf);
    free(buf);
    if (!is_ok || ce || rename(part, path)) {
        fprintf(stderr, "cansim: %s: cannot write the filter\n", path);
        unlink(part);
        return EXIT_PARTIAL;
    }
    return EXIT_OK;
}

int cmd_design(int argc, char **argv)
{
    Options o = {.verbosity = 1, .rate_hz = 48000};
    int rc = parse_options(argc, argv, &o);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    if (o.n_inputs != 1)
        return usage_error("%s", "design takes one profile");
    if (!o.output_dir)
        return usage_error("%s", "no output file given (-o OUT.wav)");
    const int format = ir_format(o.output_dir);
    if (!format)
        return usage_error("-o %s: design writes 32-bit float .wav, .w64, .rf64, .caf or .aiff "
                           "(chosen by the name; FLAC holds no float taps)",
                           o.output_dir);
    struct stat in_st, out_st;
    if (!stat(o.inputs[0], &in_st) && !stat(o.output_dir, &out_st) &&
        in_st.st_dev == out_st.st_dev && in_st.st_ino == out_st.st_ino)
        return usage_error("-o %s: is the profile %s itself", o.output_dir, o.inputs[0]);
    Drawer d;
    CansimDesignConfig design;
    const CansimProfile *p;
    CansimProfile *fir = NULL;
    CansimDiag diag;
    if ((rc = open_drawer(&o, &d, &design)) || (rc = drawer_find(&d, o.inputs[0], &p)))
        goto done;
    if (cansim_profile_design(&fir, p, &design, o.rate_hz, &diag)) {
        fprintf(stderr, "cansim: %s\n", diag.msg);
        rc = EXIT_PARTIAL;
        goto done;
    }
    rc = write_ir(fir, o.output_dir, format);
    if (!rc && o.verbosity >= 1)
        fprintf(stderr, "cansim: wrote %s (%zu taps at %g Hz)\n", o.output_dir,
                cansim_profile_n_taps(fir), o.rate_hz);
done:
    cansim_profile_close(&fir);
    drawer_close(&d);
    return rc;
}

/* SPDX-License-Identifier: MIT */
/* An impulse-response profile written as the IR file cansim_profile_load_ir() reads back: the
 * channel layout (2 or 4 cells) is the library's own, so it is written here, beside the reader. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "audio_io.h"
#include "output.h"
#include "tmp_file.h"
#include "profile_object.h"

/* The container by path's extension, always 32-bit float: a filter's taps pass full scale, so
 * FLAC (integers only) and the rest are refused (0). */
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

int cansim_profile_write_ir(const CansimProfile *p, const char *path, CansimDiag *diag)
{
    if (!p || !path)
        return cansim_diag_set(diag, CANSIM_EINVAL, "no profile or path to write");
    if (p->is_curve)
        return cansim_diag_set(diag, CANSIM_EINVAL,
                               "%s: profile %s is a curve: design it first (no taps to write)",
                               path, p->id);
    const int format = ir_format(path);
    if (!format)
        return cansim_diag_set(diag, CANSIM_EFORMAT,
                               "%s: impulse responses are written as 32-bit float .wav, .w64, "
                               ".rf64, .caf or .aiff (FLAC holds no float taps)",
                               path);
    const size_t n = p->n_taps;
    const bool has_cross = p->cells[CANSIM_CELL_LR] || p->cells[CANSIM_CELL_RL];
    const int n_ch = has_cross ? 4 : 2;
    static const CansimCell map2[2] = {CANSIM_CELL_LL, CANSIM_CELL_RR};
    float *buf = cansim_alloc_floats(n * (size_t)n_ch);
    if (!buf)
        return cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory", path);
    for (size_t i = 0; i < n; i++)
        for (int ch = 0; ch < n_ch; ch++) {
            const float *cell = p->cells[has_cross ? (CansimCell)ch : map2[ch]];
            buf[i * (size_t)n_ch + (size_t)ch] = cell ? cell[i] : 0.0f;
        }
    /* Opened with libsndfile's own defaults (a PEAK chunk where it adds one, RF64 kept), as
     * cansim design always wrote it, not with the policies of cansim_audio_create(), which
     * renders' outputs use. */
    char part[4096 + 64];
    int fd;
    int e = cansim_tmp_create(path, NULL, part, sizeof part, &fd, diag);
    if (e) {
        cansim_free(buf);
        return e;
    }
    SF_INFO info = {.samplerate = (int)p->rate_hz, .channels = n_ch, .format = format};
    SNDFILE *sf = sf_open_fd(fd, SFM_WRITE, &info, SF_TRUE);
    if (!sf) {
        /* libsndfile closes the descriptor it was given (SF_TRUE) when it cannot open it. */
        e = cansim_diag_set(diag, CANSIM_EIO, "%s: cannot create: %s", part, sf_strerror(NULL));
    } else {
        if (sf_writef_float(sf, buf, (sf_count_t)n) != (sf_count_t)n)
            e = cansim_diag_set(diag, CANSIM_EIO, "%s: write failed: %s", path, sf_strerror(sf));
        const int ce = cansim_audio_close(sf, part, diag);
        if (!e && ce)
            e = ce;
        if (!e)
            e = cansim_output_rename(part, path, diag);
    }
    if (e)
        unlink(part);
    cansim_free(buf);
    return e;
}

/* SPDX-License-Identifier: MIT */
/* libsndfile at the boundary: opening with one-line diagnostics, output format choice. */
#include <stdio.h>
#include <string.h>

#include "audio_io.h"

/* libsndfile's message for a failed open is process-global (sf_strerror(NULL)), so the open and
 * the read of that message form one critical section. */
static SNDFILE *open_locked(const char *path, int mode, SF_INFO *info, char *err, size_t n)
{
    SNDFILE *sf;
#pragma omp critical(cansim_sf_open)
    {
        sf = sf_open(path, mode, info);
        if (!sf)
            snprintf(err, n, "%s", sf_strerror(NULL));
    }
    return sf;
}

/* libsndfile clamps a chunk whose declared size runs past the end of the file and only notes
 * it in its log ("data : 192000 (should be 99956)"): a truncated file would otherwise pass as a
 * shorter one. */
static const char *truncation_note(SNDFILE *sf, char *log, size_t n)
{
    sf_command(sf, SFC_GET_LOG_INFO, log, (int)n);
    for (char *line = log; line && *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        const bool is_data = !strncmp(line, "data", 4) || !strncmp(line, "SSND", 4);
        if (is_data && strstr(line, "should be"))
            return line;
        line = next;
    }
    return NULL;
}

int cansim_audio_open_read(const char *path, SNDFILE **out, SF_INFO *info, CansimDiag *diag)
{
    char err[256];
    memset(info, 0, sizeof *info);
    *out = NULL;
    SNDFILE *sf = open_locked(path, SFM_READ, info, err, sizeof err);
    if (!sf) {
        FILE *f = fopen(path, "rb");
        if (!f)
            return cansim_diag_set(diag, CANSIM_EIO, "%s: %s", path, err);
        const bool is_empty = !fseek(f, 0, SEEK_END) && ftell(f) == 0;
        fclose(f);
        if (is_empty)
            return cansim_diag_set(diag, CANSIM_EFORMAT, "%s: empty file (0 bytes)", path);
        return cansim_diag_set(diag, CANSIM_EFORMAT, "%s: not a readable audio file (%s)", path,
                               err);
    }
    char log[2048];
    const char *trunc = truncation_note(sf, log, sizeof log);
    if (trunc) {
        sf_close(sf);
        return cansim_diag_set(diag, CANSIM_EFORMAT, "%s: truncated file (libsndfile: %s)", path,
                               trunc);
    }
    if (info->channels < 1) {
        sf_close(sf);
        return cansim_diag_set(diag, CANSIM_EFORMAT, "%s: no channels", path);
    }
    if (!cansim_rate_is_valid(info->samplerate)) {
        sf_close(sf);
        return cansim_diag_set(diag, CANSIM_ERATE,
                               "%s: sample rate %d Hz is outside 8000-384000 Hz", path,
                               info->samplerate);
    }
    *out = sf;
    return CANSIM_OK;
}

int cansim_audio_open_write(const char *path, int sf_format, int rate_hz, int n_channels,
                            SNDFILE **out, CansimDiag *diag)
{
    SF_INFO info = {.samplerate = rate_hz, .channels = n_channels, .format = sf_format};
    char err[256];
    *out = open_locked(path, SFM_WRITE, &info, err, sizeof err);
    if (!*out)
        return cansim_diag_set(diag, CANSIM_EIO, "%s: cannot create: %s", path, err);
    /* No SFC_SET_CLIPPING: with it libsndfile 1.2 rounds float to integer downwards (a -0.5 LSB
     * offset); integer outputs are held under full scale before they get here (loudness.c). */
    /* libsndfile's PEAK chunk costs a scan of every sample and stamps the file with the time it
     * was written, so two identical renders would differ; cansim's report carries the levels. */
    sf_command(*out, SFC_SET_ADD_PEAK_CHUNK, NULL, SF_FALSE);
    return CANSIM_OK;
}

int cansim_audio_close(SNDFILE *sf, const char *path, CansimDiag *diag)
{
    if (!sf)
        return CANSIM_OK;
    const int e = sf_close(sf);
    if (e)
        return cansim_diag_set(diag, CANSIM_EIO, "%s: cannot finish the file: %s", path,
                               sf_error_number(e));
    return CANSIM_OK;
}

static const char *major_extension(int major)
{
    int count = 0;
    sf_command(NULL, SFC_GET_FORMAT_MAJOR_COUNT, &count, sizeof count);
    for (int i = 0; i < count; i++) {
        SF_FORMAT_INFO fi = {.format = i};
        if (sf_command(NULL, SFC_GET_FORMAT_MAJOR, &fi, sizeof fi) == 0 && fi.format == major)
            return fi.extension;
    }
    return NULL;
}

int cansim_audio_output_format(CansimFormat f, int in_format, int rate_hz, int *sf_format,
                               const char **ext, CansimDiag *diag)
{
    static const int table[] = {
        [CANSIM_FORMAT_WAV16] = SF_FORMAT_WAV | SF_FORMAT_PCM_16,
        [CANSIM_FORMAT_WAV24] = SF_FORMAT_WAV | SF_FORMAT_PCM_24,
        [CANSIM_FORMAT_WAV32F] = SF_FORMAT_WAV | SF_FORMAT_FLOAT,
        [CANSIM_FORMAT_FLAC16] = SF_FORMAT_FLAC | SF_FORMAT_PCM_16,
        [CANSIM_FORMAT_FLAC24] = SF_FORMAT_FLAC | SF_FORMAT_PCM_24,
        [CANSIM_FORMAT_AIFF16] = SF_FORMAT_AIFF | SF_FORMAT_PCM_16,
        [CANSIM_FORMAT_AIFF24] = SF_FORMAT_AIFF | SF_FORMAT_PCM_24,
    };
    int fmt;
    if (f == CANSIM_FORMAT_SAME)
        fmt = in_format & (SF_FORMAT_TYPEMASK | SF_FORMAT_SUBMASK);
    else if ((int)f > 0 && (size_t)f < sizeof table / sizeof table[0])
        fmt = table[f];
    else
        return cansim_diag_set(diag, CANSIM_EINVAL, "unknown output format %d", (int)f);
    SF_INFO probe = {.samplerate = rate_hz, .channels = 2, .format = fmt};
    const char *e = major_extension(fmt & SF_FORMAT_TYPEMASK);
    if (!sf_format_check(&probe) || !e)
        return cansim_diag_set(diag, CANSIM_EFORMAT,
                               "format '%s' cannot hold a stereo %d Hz output; choose --format",
                               cansim_format_name(f), rate_hz);
    *sf_format = fmt;
    *ext = e;
    return CANSIM_OK;
}

static const char *const format_names[] = {
    [CANSIM_FORMAT_SAME] = "same",     [CANSIM_FORMAT_WAV16] = "wav16",
    [CANSIM_FORMAT_WAV24] = "wav24",   [CANSIM_FORMAT_WAV32F] = "wav32f",
    [CANSIM_FORMAT_FLAC16] = "flac16", [CANSIM_FORMAT_FLAC24] = "flac24",
    [CANSIM_FORMAT_AIFF16] = "aiff16", [CANSIM_FORMAT_AIFF24] = "aiff24",
};

void cansim_audio_format_label(int sf_format, char *out, size_t n)
{
    static const struct {
        int sf;
        CansimFormat f;
    } known[] = {
        {SF_FORMAT_WAV | SF_FORMAT_PCM_16, CANSIM_FORMAT_WAV16},
        {SF_FORMAT_WAV | SF_FORMAT_PCM_24, CANSIM_FORMAT_WAV24},
        {SF_FORMAT_WAV | SF_FORMAT_FLOAT, CANSIM_FORMAT_WAV32F},
        {SF_FORMAT_FLAC | SF_FORMAT_PCM_16, CANSIM_FORMAT_FLAC16},
        {SF_FORMAT_FLAC | SF_FORMAT_PCM_24, CANSIM_FORMAT_FLAC24},
        {SF_FORMAT_AIFF | SF_FORMAT_PCM_16, CANSIM_FORMAT_AIFF16},
        {SF_FORMAT_AIFF | SF_FORMAT_PCM_24, CANSIM_FORMAT_AIFF24},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (known[i].sf == sf_format) {
            snprintf(out, n, "%s", format_names[known[i].f]);
            return;
        }
    const char *ext = major_extension(sf_format & SF_FORMAT_TYPEMASK);
    snprintf(out, n, "%s", ext ? ext : "other");
}

bool cansim_audio_is_float(int sf_format)
{
    const int sub = sf_format & SF_FORMAT_SUBMASK;
    return sub == SF_FORMAT_FLOAT || sub == SF_FORMAT_DOUBLE;
}

int cansim_format_from_name(const char *name, CansimFormat *out)
{
    for (size_t i = 0; name && i < sizeof format_names / sizeof format_names[0]; i++)
        if (!strcmp(name, format_names[i])) {
            *out = (CansimFormat)i;
            return CANSIM_OK;
        }
    return CANSIM_EINVAL;
}

const char *cansim_format_name(CansimFormat f)
{
    if ((int)f < 0 || (size_t)f >= sizeof format_names / sizeof format_names[0])
        return "unknown";
    return format_names[f];
}

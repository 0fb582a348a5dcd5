/* SPDX-License-Identifier: MIT */
/* libsndfile at the boundary: opening with one-line diagnostics, output format choice. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audio_io.h"
#include "rf64_peak.h"
#include "output.h"

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
 * shorter one. Returns the declared and the present sizes of the audio chunk in bytes. */
static bool truncation_note(SNDFILE *sf, int64_t *declared, int64_t *present, bool *is_ssnd)
{
    char log[4096];
    sf_command(sf, SFC_GET_LOG_INFO, log, (int)sizeof log);
    for (char *line = log; line && *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        const bool is_data = !strncmp(line, "data", 4) || !strncmp(line, "SSND", 4);
        long long x, y;
        if (is_data && strstr(line, "should be") &&
            sscanf(line + 4, " : %lld (should be %lld)", &x, &y) == 2) {
            *declared = x;
            *present = y;
            *is_ssnd = line[0] == 'S';
            return true;
        }
        line = next;
    }
    return false;
}

/* Sizes a writer that cannot seek back (ffmpeg or arecord into a pipe) leaves in a WAV's data
 * chunk: the file is read to its end. */
static bool is_stream_size(int64_t declared)
{
    return declared == 0xFFFFFFFF || declared == 0x7FFFFFFF || declared == 0;
}

int cansim_audio_sample_bytes(int sf_format)
{
    switch (sf_format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
    case SF_FORMAT_ULAW:
    case SF_FORMAT_ALAW:
        return 1;
    case SF_FORMAT_PCM_16:
        return 2;
    case SF_FORMAT_PCM_24:
        return 3;
    case SF_FORMAT_PCM_32:
    case SF_FORMAT_FLOAT:
        return 4;
    case SF_FORMAT_DOUBLE:
        return 8;
    default:
        return 0;
    }
}

/* Only regular files are opened: a FIFO would block the open (and the batch) until a writer
 * came, a device could be read forever. */
static int check_type(const char *path, CansimDiag *diag)
{
    struct stat st;
    if (stat(path, &st))
        return cansim_diag_set(diag, CANSIM_EIO, "%s: %s", path, strerror(errno));
    const char *what = S_ISREG(st.st_mode)    ? NULL
                       : S_ISDIR(st.st_mode)  ? "a directory"
                       : S_ISFIFO(st.st_mode) ? "a FIFO (named pipe)"
                       : S_ISCHR(st.st_mode)  ? "a character device"
                       : S_ISBLK(st.st_mode)  ? "a block device"
                       : S_ISSOCK(st.st_mode) ? "a socket"
                                              : "not a regular file";
    if (what)
        return cansim_diag_set(diag, CANSIM_EIO, "%s: is %s, not an audio file", path, what);
    return CANSIM_OK;
}

int cansim_audio_open_read(const char *path, SNDFILE **out, SF_INFO *info, CansimDiag *diag)
{
    char err[256];
    memset(info, 0, sizeof *info);
    *out = NULL;
    int e = check_type(path, diag);
    if (e)
        return e;
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
    int64_t declared, present;
    bool is_ssnd = false;
    const int major = info->format & SF_FORMAT_TYPEMASK;
    const bool is_wav = major == SF_FORMAT_WAV || major == SF_FORMAT_WAVEX;
    if (truncation_note(sf, &declared, &present, &is_ssnd) &&
        !(is_wav && is_stream_size(declared))) {
        const int64_t bpf = (int64_t)cansim_audio_sample_bytes(info->format) * info->channels;
        const int64_t skip = is_ssnd ? 8 : 0; /* SSND's offset and block size fields */
        sf_close(sf);
        if (bpf > 0 && declared >= skip && present >= skip)
            return cansim_diag_set(diag, CANSIM_EFORMAT, "%s: truncated: %lld of %lld frames", path,
                                   (long long)((present - skip) / bpf),
                                   (long long)((declared - skip) / bpf));
        return cansim_diag_set(diag, CANSIM_EFORMAT,
                               "%s: truncated: %lld of %lld bytes of audio data", path,
                               (long long)present, (long long)declared);
    }
    if (is_wav && info->frames == 0) {
        /* A data chunk of size 0 that audio follows: a WAV written into a pipe. */
        SNDFILE *stream;
        SF_INFO stream_info;
        e = cansim_wav_open_stream(path, &stream, &stream_info, diag);
        if (e < 0) {
            sf_close(sf);
            return e;
        }
        if (e == CANSIM_OK) {
            sf_close(sf);
            sf = stream;
            *info = stream_info;
        }
    }
    if (info->channels < 1) {
        cansim_audio_close_read(sf);
        return cansim_diag_set(diag, CANSIM_EFORMAT, "%s: no channels", path);
    }
    if (!cansim_rate_is_valid(info->samplerate)) {
        cansim_audio_close_read(sf);
        return cansim_diag_set(diag, CANSIM_ERATE,
                               "%s: sample rate %d Hz is outside 8000-384000 Hz", path,
                               info->samplerate);
    }
    *out = sf;
    return CANSIM_OK;
}

void cansim_audio_close_read(SNDFILE *sf)
{
    if (sf)
        sf_close(sf);
}

int cansim_audio_check_end(const char *path, int64_t n_read, int64_t n_frames, CansimDiag *diag)
{
    if (n_frames >= 0 && n_frames != SF_COUNT_MAX && n_read < n_frames)
        return cansim_diag_set(diag, CANSIM_EFORMAT, "%s: truncated: %lld of %lld frames", path,
                               (long long)n_read, (long long)n_frames);
    return CANSIM_OK;
}

int cansim_audio_read_error(SNDFILE *sf, const char *path, int64_t n_read, int64_t n_frames,
                            CansimDiag *diag)
{
    if (n_frames >= 0 && n_frames != SF_COUNT_MAX && n_read < n_frames)
        return cansim_diag_set(diag, CANSIM_EFORMAT,
                               "%s: truncated or damaged: %lld of %lld frames read (libsndfile: "
                               "%s)",
                               path, (long long)n_read, (long long)n_frames, sf_strerror(sf));
    return cansim_diag_set(diag, CANSIM_EIO, "%s: read failed at frame %lld: %s", path,
                           (long long)n_read, sf_strerror(sf));
}

int cansim_audio_create(const char *final_path, const char *kind, int sf_format, int rate_hz,
                        int n_channels, int mode, SNDFILE **out, char *tmp, size_t n,
                        CansimDiag *diag)
{
    *out = NULL;
    int fd;
    int e = cansim_tmp_create(final_path, kind, tmp, n, &fd, diag);
    if (e)
        return e;
    SF_INFO info = {.samplerate = rate_hz, .channels = n_channels, .format = sf_format};
    char err[256] = "";
#pragma omp critical(cansim_sf_open)
    {
        *out = sf_open_fd(fd, mode, &info, SF_TRUE);
        if (!*out)
            snprintf(err, sizeof err, "%s", sf_strerror(NULL));
    }
    if (!*out) {
        close(fd);
        unlink(tmp);
        cansim_diag_set(diag, CANSIM_EIO, "%s: cannot create: %s", tmp, err);
        tmp[0] = '\0';
        return CANSIM_EIO;
    }
    /* No SFC_SET_CLIPPING: with it libsndfile 1.2 rounds float to integer downwards (a -0.5 LSB
     * offset); integer outputs are held under full scale before they get here (loudness.c). */
    /* libsndfile's PEAK chunk costs a scan of every sample and stamps the file with the time it
     * was written, so two identical renders would differ; cansim's report carries the levels. */
    sf_command(*out, SFC_SET_ADD_PEAK_CHUNK, NULL, SF_FALSE);
    /* An RF64 output of unknown length stays a plain WAV if it ends under 4 GiB. */
    if ((sf_format & SF_FORMAT_TYPEMASK) == SF_FORMAT_RF64)
        sf_command(*out, SFC_RF64_AUTO_DOWNGRADE, NULL, SF_TRUE);
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
    return cansim_rf64_blank_peak(path, diag);
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

/* An encoding that keeps every sample (integer or float PCM, ALAC, DWVW, DPCM). Any other
 * (MP3, Vorbis, Opus, ADPCM, GSM, u-law...) would encode a render lossy once more. */
static bool is_lossless(int sf_format)
{
    const int major = sf_format & SF_FORMAT_TYPEMASK;
    if (major == SF_FORMAT_MPEG || major == SF_FORMAT_OGG)
        return false;
    switch (sf_format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
    case SF_FORMAT_PCM_16:
    case SF_FORMAT_PCM_24:
    case SF_FORMAT_PCM_32:
    case SF_FORMAT_FLOAT:
    case SF_FORMAT_DOUBLE:
    case SF_FORMAT_ALAC_16:
    case SF_FORMAT_ALAC_20:
    case SF_FORMAT_ALAC_24:
    case SF_FORMAT_ALAC_32:
    case SF_FORMAT_DWVW_12:
    case SF_FORMAT_DWVW_16:
    case SF_FORMAT_DWVW_24:
    case SF_FORMAT_DWVW_N:
    case SF_FORMAT_DPCM_8:
    case SF_FORMAT_DPCM_16:
        return true;
    default:
        return false;
    }
}

/* FLAC's highest sample rate (libFLAC before 1.4; later ones allow more). */
#define FLAC_MAX_RATE 655350

int cansim_audio_same_format(int in_format, int rate_hz)
{
    const int major = in_format & SF_FORMAT_TYPEMASK;
    const int sub = in_format & SF_FORMAT_SUBMASK;
    if (!is_lossless(in_format))
        return rate_hz > 0 && rate_hz <= FLAC_MAX_RATE ? SF_FORMAT_FLAC | SF_FORMAT_PCM_24
                                                       : SF_FORMAT_WAV | SF_FORMAT_PCM_24;
    /* An RF64 input is a WAV one past 4 GiB: its renders are WAV, RF64 only past 4 GiB. */
    if (major == SF_FORMAT_RF64)
        return SF_FORMAT_WAV | sub;
    return major | sub;
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
        fmt = cansim_audio_same_format(in_format, rate_hz);
    else if ((int)f > 0 && (size_t)f < sizeof table / sizeof table[0])
        fmt = table[f];
    else
        return cansim_diag_set(diag, CANSIM_EINVAL, "unknown output format %d", (int)f);
    SF_INFO probe = {.samplerate = rate_hz, .channels = 2, .format = fmt};
    const char *e = major_extension(fmt & SF_FORMAT_TYPEMASK);
    if (!sf_format_check(&probe) || !e)
        return cansim_diag_set(
            diag, CANSIM_EFORMAT,
            "format '%s' cannot hold a stereo %d Hz output; choose another output "
            "format",
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
    /* An RF64 file is the WAV format the output was asked in, past 4 GiB. */
    if ((sf_format & SF_FORMAT_TYPEMASK) == SF_FORMAT_RF64)
        sf_format = SF_FORMAT_WAV | (sf_format & SF_FORMAT_SUBMASK);
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

/* SPDX-License-Identifier: MIT */
/* WAVs written into a pipe: the writer could not seek back to fill in the data chunk's size,
 * so the audio after the header is read to the end of the file. Nothing is kept here: the
 * SNDFILE this returns owns all it uses. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "audio_io.h"

#define WAVE_PCM        1
#define WAVE_FLOAT      3
#define WAVE_EXTENSIBLE 0xFFFE

static unsigned le16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* libsndfile's subformat for a WAVE format tag and sample size, 0 when unsupported here. */
static int subformat(unsigned tag, unsigned bits)
{
    if (tag == WAVE_PCM)
        return bits == 8    ? SF_FORMAT_PCM_U8
               : bits == 16 ? SF_FORMAT_PCM_16
               : bits == 24 ? SF_FORMAT_PCM_24
               : bits == 32 ? SF_FORMAT_PCM_32
                            : 0;
    if (tag == WAVE_FLOAT)
        return bits == 32 ? SF_FORMAT_FLOAT : bits == 64 ? SF_FORMAT_DOUBLE : 0;
    return 0;
}

int cansim_wav_open_stream(const char *path, SNDFILE **out, SF_INFO *info, CansimDiag *diag)
{
    *out = NULL;
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return cansim_diag_set(diag, CANSIM_EIO, "%s: %s", path, strerror(errno));
    unsigned char h[4096];
    const ssize_t n = read(fd, h, sizeof h);
    int sub = 0, channels = 0, bytes = 0;
    long rate = 0;
    off_t data = -1;
    if (n >= 12 && !memcmp(h, "RIFF", 4) && !memcmp(h + 8, "WAVE", 4)) {
        /* The chunks up to "data" are all in the first 4 KiB of any writer's header. */
        for (size_t at = 12; at + 8 <= (size_t)n;) {
            const uint32_t size = le32(h + at + 4);
            if (!memcmp(h + at, "data", 4)) {
                data = (off_t)(at + 8);
                break;
            }
            if (!memcmp(h + at, "fmt ", 4) && size >= 16 && at + 8 + size <= (size_t)n) {
                const unsigned char *f = h + at + 8;
                unsigned tag = le16(f);
                if (tag == WAVE_EXTENSIBLE && size >= 40)
                    tag = le16(f + 24); /* the subformat GUID's first two bytes */
                channels = (int)le16(f + 2);
                rate = (long)le32(f + 4);
                sub = subformat(tag, le16(f + 14));
                bytes = (int)le16(f + 14) / 8;
            }
            if (size > (size_t)n)
                break;
            at += 8 + size + (size & 1);
        }
    }
    if (data < 0 || !sub || channels < 1) {
        close(fd);
        return cansim_diag_set(diag, CANSIM_EFORMAT,
                               "%s: no audio frames (its data chunk is "
                               "empty)",
                               path);
    }
    const off_t end = lseek(fd, 0, SEEK_END);
    const int lseek_errno = errno;
    close(fd);
    if (end < 0)
        return cansim_diag_set(diag, CANSIM_EIO, "%s: %s", path, strerror(lseek_errno));
    if (end <= data)
        return 1;
    /* The audio is opened as raw samples, starting at the data chunk: libsndfile itself then
     * holds the only descriptor, so nothing outlives the SNDFILE and sf_close() frees it all.
     * (It refuses a raw stream embedded at an offset of a descriptor, but takes a raw file's
     * start offset.) */
    SF_INFO raw = {.samplerate = (int)rate,
                   .channels = channels,
                   .format = SF_FORMAT_RAW | sub | SF_ENDIAN_LITTLE};
    SNDFILE *sf;
    char err[256] = "";
#pragma omp critical(cansim_sf_open)
    {
        sf = sf_open(path, SFM_READ, &raw);
        if (!sf)
            snprintf(err, sizeof err, "%s", sf_strerror(NULL));
    }
    if (!sf)
        return cansim_diag_set(diag, CANSIM_EFORMAT, "%s: not a readable audio file (%s)", path,
                               err);
    /* libsndfile skips a seek to the frame it believes it is at, which would leave the first
     * read at byte 0: away and back. */
    sf_count_t start = (sf_count_t)data;
    if (sf_command(sf, SFC_SET_RAW_START_OFFSET, &start, sizeof start) ||
        sf_seek(sf, 1, SEEK_SET) != 1 || sf_seek(sf, 0, SEEK_SET) != 0) {
        sf_close(sf);
        return cansim_diag_set(diag, CANSIM_EFORMAT, "%s: cannot start at its data chunk", path);
    }
    /* libsndfile counted the header's bytes as frames too: the frames are the data's. */
    raw.frames = (sf_count_t)(end - data) / ((sf_count_t)bytes * channels);
    *info = raw;
    info->format = SF_FORMAT_WAV | sub;
    *out = sf;
    return CANSIM_OK;
}

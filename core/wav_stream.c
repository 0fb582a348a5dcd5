/* SPDX-License-Identifier: MIT */
/* WAVs written into a pipe: the writer could not seek back to fill in the data chunk's size,
 * so the audio after the header is read to the end of the file. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
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

/* An open stream: the descriptor and where its audio starts. Kept in a list, so that
 * cansim_audio_close_read() can free it (libsndfile's virtual I/O has no close). */
typedef struct Stream {
    int fd;
    off_t base, len;
    SNDFILE *sf;
    struct Stream *next;
} Stream;

static Stream *streams;

static sf_count_t io_len(void *user)
{
    return (sf_count_t)((Stream *)user)->len;
}

static sf_count_t io_tell(void *user)
{
    const Stream *st = user;
    return (sf_count_t)(lseek(st->fd, 0, SEEK_CUR) - st->base);
}

static sf_count_t io_seek(sf_count_t offset, int whence, void *user)
{
    const Stream *st = user;
    const off_t at = whence == SEEK_SET   ? st->base + (off_t)offset
                     : whence == SEEK_END ? st->base + st->len + (off_t)offset
                                          : lseek(st->fd, 0, SEEK_CUR) + (off_t)offset;
    return (sf_count_t)(lseek(st->fd, at, SEEK_SET) - st->base);
}

static sf_count_t io_read(void *ptr, sf_count_t count, void *user)
{
    const Stream *st = user;
    sf_count_t got = 0;
    while (got < count) {
        const ssize_t k = read(st->fd, (char *)ptr + got, (size_t)(count - got));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += k;
    }
    return got;
}

static sf_count_t io_write(const void *ptr, sf_count_t count, void *user)
{
    (void)ptr, (void)count, (void)user;
    return 0;
}

static SF_VIRTUAL_IO stream_io = {io_len, io_seek, io_read, io_write, io_tell};

void cansim_audio_close_read(SNDFILE *sf)
{
    if (!sf)
        return;
    Stream *found = NULL;
#pragma omp critical(cansim_wav_stream)
    for (Stream **p = &streams; *p; p = &(*p)->next)
        if ((*p)->sf == sf) {
            found = *p;
            *p = found->next;
            break;
        }
    sf_close(sf);
    if (found) {
        close(found->fd);
        free(found);
    }
}

int cansim_wav_open_stream(const char *path, SNDFILE **out, SF_INFO *info, CansimDiag *diag)
{
    *out = NULL;
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return cansim_diag_set(diag, CANSIM_EIO, "%s: %s", path, strerror(errno));
    unsigned char h[4096];
    const ssize_t n = read(fd, h, sizeof h);
    int sub = 0, channels = 0;
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
    if (end >= 0 && end <= data) {
        close(fd);
        return 1;
    }
    if (lseek(fd, data, SEEK_SET) != data) {
        const int e = errno;
        close(fd);
        return cansim_diag_set(diag, CANSIM_EIO, "%s: %s", path, strerror(e));
    }
    /* libsndfile refuses a raw stream embedded at an offset of a descriptor, so it reads
     * through virtual I/O that starts at the data. */
    Stream *st = calloc(1, sizeof *st);
    if (!st) {
        close(fd);
        return cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory");
    }
    st->fd = fd;
    st->base = data;
    st->len = end - data;
    SF_INFO raw = {.samplerate = (int)rate,
                   .channels = channels,
                   .format = SF_FORMAT_RAW | sub | SF_ENDIAN_LITTLE};
    SNDFILE *sf;
    char err[256] = "";
#pragma omp critical(cansim_sf_open)
    {
        sf = sf_open_virtual(&stream_io, SFM_READ, &raw, st);
        if (!sf)
            snprintf(err, sizeof err, "%s", sf_strerror(NULL));
    }
    if (!sf) {
        close(fd);
        free(st);
        return cansim_diag_set(diag, CANSIM_EFORMAT, "%s: not a readable audio file (%s)", path,
                               err);
    }
    st->sf = sf;
#pragma omp critical(cansim_wav_stream)
    {
        st->next = streams;
        streams = st;
    }
    *info = raw;
    info->format = SF_FORMAT_WAV | sub;
    *out = sf;
    return CANSIM_OK;
}

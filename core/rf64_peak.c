/* SPDX-License-Identifier: MIT */
/* The PEAK chunk of a float RF64 file (or of the WAV it was downgraded to) turned into JUNK (see
 * rf64_peak.h). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "rf64_peak.h"

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int cansim_rf64_blank_peak(const char *path, CansimDiag *diag)
{
    /* libsndfile's headers (ds64, fmt, PEAK) end well within this. */
    unsigned char h[4096];
    const int fd = open(path, O_RDWR);
    if (fd < 0)
        return cansim_diag_set(diag, CANSIM_EIO, "%s: cannot reopen: %s", path, strerror(errno));
    const ssize_t n = pread(fd, h, sizeof h, 0);
    int e = CANSIM_OK;
    if (n >= 12 && (!memcmp(h, "RF64", 4) || !memcmp(h, "RIFF", 4)) && !memcmp(h + 8, "WAVE", 4)) {
        for (size_t pos = 12; pos + 8 <= (size_t)n;) {
            const size_t size = le32(h + pos + 4);
            if (!memcmp(h + pos, "data", 4) || pos + 8 + size > (size_t)n)
                break;
            if (!memcmp(h + pos, "PEAK", 4)) {
                memcpy(h + pos, "JUNK", 4);
                memset(h + pos + 8, 0, size);
                if (pwrite(fd, h + pos, 8 + size, (off_t)pos) != (ssize_t)(8 + size))
                    e = cansim_diag_set(diag, CANSIM_EIO, "%s: cannot rewrite the header: %s", path,
                                        strerror(errno));
                break;
            }
            pos += 8 + size + (size & 1);
        }
    }
    if (close(fd) && !e)
        e = cansim_diag_set(diag, CANSIM_EIO, "%s: %s", path, strerror(errno));
    return e;
}

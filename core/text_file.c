/* SPDX-License-Identifier: MIT */
/* Text files for the parsers: read whole, only when regular, and checked for being text. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profile_format.h"

bool cansim_text_is_plain(const char *text, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const unsigned char c = (unsigned char)text[i];
        if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f'))
            return false;
    }
    return true;
}

int cansim_text_check(const char *text, size_t n, const char *name, CansimDiag *diag)
{
    const unsigned char *u = (const unsigned char *)text;
    if (n == 0)
        return cansim_diag_set(diag, CANSIM_EPROFILE, "%s: empty file (0 bytes)", name);
    /* Notepad's "Unicode": every other byte is NUL, which would read as binary. */
    if (n >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff)))
        return cansim_diag_set(diag, CANSIM_EPROFILE, "%s: UTF-16 text (save it as UTF-8)", name);
    if (!cansim_text_is_plain(text, n))
        return cansim_diag_set(diag, CANSIM_EPROFILE, "%s: not a text file", name);
    return CANSIM_OK;
}

size_t cansim_utf8_valid_prefix(const char *text, size_t n)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < n) {
        const unsigned c = s[i];
        size_t len;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            len = 2;
            min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3;
            min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4;
            min = 0x10000;
        } else {
            return i;
        }
        if (n - i < len)
            return i;
        unsigned cp = c & (0x7fu >> len);
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return i;
            cp = cp << 6 | (s[i + k] & 0x3fu);
        }
        /* Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8. */
        if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
            return i;
        i += len;
    }
    return n;
}

int cansim_check_regular(const char *path, CansimDiag *diag)
{
    struct stat st;
    if (stat(path, &st))
        return cansim_diag_set(diag, CANSIM_EIO, "%s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return cansim_diag_set(diag, CANSIM_EIO, "%s: is a directory", path);
    if (!S_ISREG(st.st_mode))
        return cansim_diag_set(diag, CANSIM_EIO, "%s: not a regular file (%s)", path,
                               S_ISFIFO(st.st_mode)   ? "a FIFO"
                               : S_ISCHR(st.st_mode)  ? "a character device"
                               : S_ISBLK(st.st_mode)  ? "a block device"
                               : S_ISSOCK(st.st_mode) ? "a socket"
                                                      : "a special file");
    return CANSIM_OK;
}

int cansim_read_text(const char *path, size_t max_bytes, char **out, size_t *n_out,
                     CansimDiag *diag)
{
    *out = NULL;
    /* Opened without blocking and checked before any read: a FIFO or a device would otherwise
     * wait for a writer, or read forever. */
    const int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return cansim_diag_set(diag, CANSIM_EIO, "%s: %s", path, strerror(errno));
    struct stat st;
    int e = fstat(fd, &st) ? cansim_diag_set(diag, CANSIM_EIO, "%s: %s", path, strerror(errno))
                           : CANSIM_OK;
    if (!e && !S_ISREG(st.st_mode)) {
        e = cansim_check_regular(path, diag);
        if (!e) /* replaced between the open and the stat */
            e = cansim_diag_set(diag, CANSIM_EIO, "%s: not a regular file", path);
    }
    if (!e && (uint64_t)st.st_size > max_bytes)
        e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s: larger than %zu bytes", path, max_bytes);
    char *buf = e ? NULL : malloc(max_bytes + 1);
    if (!e && !buf)
        e = cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory", path);
    size_t n = 0;
    /* Read to the end, not to st_size: a file may grow; past max_bytes it is refused. */
    while (!e && n <= max_bytes) {
        const ssize_t got = read(fd, buf + n, max_bytes + 1 - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            e = cansim_diag_set(diag, CANSIM_EIO, "%s: %s", path, strerror(errno));
        else if (got == 0)
            break;
        else
            n += (size_t)got;
    }
    close(fd);
    if (!e && n > max_bytes)
        e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s: larger than %zu bytes", path, max_bytes);
    if (e) {
        free(buf);
        return e;
    }
    buf[n] = '\0';
    *out = buf;
    *n_out = n;
    return CANSIM_OK;
}

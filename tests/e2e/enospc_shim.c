/* SPDX-License-Identifier: MIT */
/* An LD_PRELOAD shim that simulates a full disk: write(), pwrite() and writev() on a file whose
 * path contains $CANSIM_TEST_ENOSPC fail with ENOSPC once $CANSIM_TEST_ENOSPC_AFTER bytes
 * (default 0) have gone to such files. Test only; never linked into cansim. */
#define _GNU_SOURCE

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define SHIM_EXPORT __attribute__((visibility("default")))

typedef ssize_t write_fn(int, const void *, size_t);
typedef ssize_t pwrite_fn(int, const void *, size_t, off_t);
typedef ssize_t writev_fn(int, const struct iovec *, int);

static unsigned long long n_written; /* bytes that reached matching files, atomically */

/* dlsym returns an object pointer; memcpy converts it without ISO C's cast warning. */
static void *next_symbol(const char *name)
{
    void *sym = dlsym(RTLD_NEXT, name);
    if (!sym) {
        static const char msg[] = "enospc_shim: dlsym failed\n";
        /* Not write(): it is the function being replaced. */
        fputs(msg, stderr);
        abort();
    }
    return sym;
}

/* Whether this write to fd of count bytes must fail. */
static int must_fail(int fd, size_t count)
{
    const char *pattern = getenv("CANSIM_TEST_ENOSPC");
    if (!pattern || !*pattern)
        return 0;
    char link[64];
    char target[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    const ssize_t n = readlink(link, target, sizeof target - 1);
    if (n < 0)
        return 0;
    target[n] = '\0';
    if (!strstr(target, pattern))
        return 0;
    const char *after = getenv("CANSIM_TEST_ENOSPC_AFTER");
    const unsigned long long budget = after ? strtoull(after, NULL, 10) : 0;
    const unsigned long long before =
        __atomic_fetch_add(&n_written, (unsigned long long)count, __ATOMIC_SEQ_CST);
    return before + count > budget;
}

SHIM_EXPORT ssize_t write(int fd, const void *buf, size_t count)
{
    write_fn *real;
    void *sym = next_symbol("write");
    memcpy(&real, &sym, sizeof real);
    if (must_fail(fd, count)) {
        errno = ENOSPC;
        return -1;
    }
    return real(fd, buf, count);
}

SHIM_EXPORT ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)
{
    pwrite_fn *real;
    void *sym = next_symbol("pwrite");
    memcpy(&real, &sym, sizeof real);
    if (must_fail(fd, count)) {
        errno = ENOSPC;
        return -1;
    }
    return real(fd, buf, count, offset);
}

SHIM_EXPORT ssize_t pwrite64(int fd, const void *buf, size_t count, off_t offset);
SHIM_EXPORT ssize_t pwrite64(int fd, const void *buf, size_t count, off_t offset)
{
    pwrite_fn *real;
    void *sym = next_symbol("pwrite64");
    memcpy(&real, &sym, sizeof real);
    if (must_fail(fd, count)) {
        errno = ENOSPC;
        return -1;
    }
    return real(fd, buf, count, offset);
}

SHIM_EXPORT ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
    writev_fn *real;
    void *sym = next_symbol("writev");
    memcpy(&real, &sym, sizeof real);
    size_t count = 0;
    for (int i = 0; i < iovcnt; i++)
        count += iov[i].iov_len;
    if (must_fail(fd, count)) {
        errno = ENOSPC;
        return -1;
    }
    return real(fd, iov, iovcnt);
}

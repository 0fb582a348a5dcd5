/* SPDX-License-Identifier: MIT */
/* One writer per output folder: an advisory lock on the folder itself, so two runs on one tree
 * never interleave in a folder while shards writing other folders of it run side by side, and
 * the tree holds no lock files. flock() rather than fcntl(): an fcntl lock is dropped when any
 * descriptor of the file closes, and a flock lock goes with its process when it dies (SIGKILL
 * included). The holder's pid comes from /proc/locks (Linux), where the kernel lists it. */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "outputs.h"

/* The pid holding a flock on the file st, from /proc/locks ("1: FLOCK ADVISORY WRITE <pid>
 * <major>:<minor>:<inode> 0 EOF"); 0 when unknown. */
static long holder_of(const struct stat *st)
{
    FILE *f = fopen("/proc/locks", "r");
    if (!f)
        return 0;
    char line[256];
    long pid = 0;
    while (!pid && fgets(line, sizeof line, f)) {
        char kind[16], mode[16];
        long p;
        unsigned maj, min;
        unsigned long long ino;
        const char *s = strchr(line, ':');
        if (s &&
            sscanf(s + 1, "%15s %*s %15s %ld %x:%x:%llu", kind, mode, &p, &maj, &min, &ino) == 6 &&
            !strcmp(kind, "FLOCK") && maj == major(st->st_dev) && min == minor(st->st_dev) &&
            ino == (unsigned long long)st->st_ino)
            pid = p;
    }
    fclose(f);
    return pid;
}

int folder_lock(FolderLock *l, const char *dir, long *holder)
{
    l->fd = -1;
    *holder = 0;
    if (make_dirs(dir))
        return -1;
    const int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    /* A holder that lets go between our try and our look at /proc/locks leaves no pid to name:
     * then the folder is likely free, so try again (a few times) before calling it busy. */
    for (int tries = 0; tries < 5; tries++) {
        if (!flock(fd, LOCK_EX | LOCK_NB)) {
            l->fd = fd;
            return 0;
        }
        const int err = errno;
        if (err != EWOULDBLOCK) {
            close(fd);
            errno = err;
            return -1;
        }
        struct stat st;
        if (fstat(fd, &st) || (*holder = holder_of(&st)) > 0)
            break;
    }
    close(fd);
    return 1;
}

void folder_unlock(FolderLock *l)
{
    if (l->fd >= 0) {
        close(l->fd); /* releases the lock */
        l->fd = -1;
    }
}

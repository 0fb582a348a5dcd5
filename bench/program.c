/* SPDX-License-Identifier: MIT */
/* Running another program of the build and waiting for it. */
#define _GNU_SOURCE
#include "program.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

int bench_run_program(const char *prog, char *const argv[])
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid;
    const int e = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);
    if (e) {
        fprintf(stderr, "%s: cannot run %s: %s\n", prog, argv[0], strerror(e));
        return -1;
    }
    int st;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "%s: waitpid: %s\n", prog, strerror(errno));
            return -1;
        }
    }
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    fprintf(stderr, "%s: %s died (status 0x%x)\n", prog, argv[0], (unsigned)st);
    return -1;
}

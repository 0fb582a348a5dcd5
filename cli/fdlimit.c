/* SPDX-License-Identifier: MIT */
/* Open files: every output of a render is an open file while it streams, so a drawer of a
 * thousand profiles meets the default soft limit (ulimit -n 1024). The soft limit is raised to
 * the hard one, and what still does not fit is rendered in passes of fewer profiles. */
#define _POSIX_C_SOURCE 200809L
#include <sys/resource.h>

#include "outputs.h"

long fd_limit_raise(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl))
        return 1024;
    if (rl.rlim_cur < rl.rlim_max) {
        struct rlimit want = {.rlim_cur = rl.rlim_max, .rlim_max = rl.rlim_max};
        if (!setrlimit(RLIMIT_NOFILE, &want))
            rl.rlim_cur = rl.rlim_max;
    }
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (rlim_t)1 << 30)
        return 1L << 30;
    return (long)rl.rlim_cur;
}

size_t fd_pass_size(long limit, size_t n_profiles, int n_renderers, size_t n_held)
{
    /* Measured: one descriptor per streaming output; two counted (an integer output's float
     * intermediate and its final file at the finish). The rest: the input, a converted copy,
     * libraries, the folder locks held (n_held). */
    const long reserve = 64 + (long)n_held;
    const long per_renderer = (limit - reserve) / (n_renderers > 0 ? n_renderers : 1);
    const long pass = per_renderer / 2;
    if (pass < 1)
        return 1;
    return (size_t)pass < n_profiles ? (size_t)pass : n_profiles;
}

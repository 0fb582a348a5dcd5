/* SPDX-License-Identifier: MIT */
/* SIGINT and SIGTERM: the run stops cleanly (outputs in progress settled, the manifest
 * intact) and says how to continue. */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>

#include "batch.h"

static volatile sig_atomic_t g_signal;

static void on_signal(int sig)
{
    g_signal = sig;
}

static struct sigaction g_old_int, g_old_term;

void signals_catch(void)
{
    struct sigaction sa = {.sa_handler = on_signal, .sa_flags = SA_RESETHAND};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &g_old_int);
    sigaction(SIGTERM, &sa, &g_old_term);
}

void signals_restore(void)
{
    sigaction(SIGINT, &g_old_int, NULL);
    sigaction(SIGTERM, &g_old_term, NULL);
}

int signal_caught(void)
{
    return g_signal;
}

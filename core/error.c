/* SPDX-License-Identifier: MIT */
/* Error strings and the one-line diagnostic. */
#include <fftw3.h>
#include <samplerate.h>
#include <sleef.h>
#include <sndfile.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

const char *cansim_strerror(int code)
{
    switch (code) {
    case CANSIM_OK:
        return "no error";
    case CANSIM_ENOMEM:
        return "out of memory";
    case CANSIM_EINVAL:
        return "invalid argument";
    case CANSIM_EIO:
        return "input/output error";
    case CANSIM_EFORMAT:
        return "unsupported or unreadable audio format";
    case CANSIM_EPROFILE:
        return "bad profile";
    case CANSIM_ERATE:
        return "bad or unsupported sample rate";
    case CANSIM_EDATA:
        return "invalid audio data";
    case CANSIM_EINTERNAL:
        return "internal error";
    case CANSIM_ECANCELED:
        return "canceled";
    case CANSIM_ELEVEL:
        return "level not matched";
    default:
        return "unknown error";
    }
}

int cansim_diag_set(CansimDiag *diag, int code, const char *fmt, ...)
{
    if (diag) {
        va_list ap;
        va_start(ap, fmt);
        char *full = NULL;
        va_list ap2;
        va_copy(ap2, ap);
        const int len = vsnprintf(diag->msg, sizeof diag->msg, fmt, ap);
        /* Too long for the line (a long path): its middle goes, so that the reason, which
         * comes last, stays. */
        if (len >= (int)sizeof diag->msg && (full = malloc((size_t)len + 1))) {
            vsnprintf(full, (size_t)len + 1, fmt, ap2);
            const size_t head = sizeof diag->msg / 4;
            const size_t tail = sizeof diag->msg - head - 4;
            snprintf(diag->msg, sizeof diag->msg, "%.*s...%s", (int)head, full,
                     full + (size_t)len - tail);
            free(full);
        }
        va_end(ap2);
        va_end(ap);
        /* One line, always: dependencies' messages sometimes end in a newline. */
        for (char *c = diag->msg; *c; c++)
            if (*c == '\n' || *c == '\r')
                *c = (c[1] == '\0') ? '\0' : ' ';
    }
    return code;
}

const char *cansim_version(void)
{
    return CANSIM_VERSION_STRING;
}

void cansim_dependency_versions(char *buf, size_t n)
{
    snprintf(buf, n, "%s, %s, %s, sleef-%d.%d.%d", sf_version_string(), src_get_version(),
             fftwf_version, SLEEF_VERSION_MAJOR, SLEEF_VERSION_MINOR, SLEEF_VERSION_PATCHLEVEL);
}

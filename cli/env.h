/* SPDX-License-Identifier: MIT */
/* The environment as the command hands it down: a NULL-terminated "NAME=value" list, so that
 * the scheduler and CPU-budget code reads no global and its tests pass their own. */
#ifndef CANSIM_CLI_ENV_H
#define CANSIM_CLI_ENV_H

#include <string.h>

/* The value of name in envp, or NULL. */
static inline const char *env_get(char *const *envp, const char *name)
{
    const size_t len = strlen(name);
    for (; envp && *envp; envp++)
        if (!strncmp(*envp, name, len) && (*envp)[len] == '=')
            return *envp + len + 1;
    return NULL;
}

#endif

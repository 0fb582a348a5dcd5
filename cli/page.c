/* SPDX-License-Identifier: MIT */
/* Placeholder until the audition page lands (issue 8): the option reports that it is missing. */
#include <stdio.h>

#include "page.h"

int page_write(const char *dir, const char *input_path, const json_t *report,
               const CansimProfile *const *profiles, size_t n, const CansimDesignConfig *design,
               CansimDiag *diag)
{
    (void)input_path, (void)report, (void)profiles, (void)n, (void)design;
    snprintf(diag->msg, sizeof diag->msg, "%s/index.html: the audition page is not built yet", dir);
    return -1;
}

/* SPDX-License-Identifier: MIT */
/* The audition page: OUT/<input>/index.html, a static offline page to switch between an
 * input's renders while it plays, with each profile's frequency response beside it. */
#ifndef CANSIM_CLI_PAGE_H
#define CANSIM_CLI_PAGE_H

#include <stddef.h>

#include <jansson.h>

#include "cansim/cansim.h"

/* Writes dir/index.html (as dir/index.html.part, then renamed) for one input's renders.
 *   dir         the input's output folder, OUT/<relative path>, holding the renders and
 *               report.json
 *   input_path  the original mix (the page's "original" entry links to it, relative to dir)
 *   report      the input's report object (see cansim.c: input_report()); its outputs[] are in
 *               the order of profiles[]
 *   profiles    the n rendered profiles (as selected, before design)
 *   design      the design options the renders used (curve profiles' simulated responses)
 * Returns 0, or -1 with one line naming the file and the problem in diag. */
int page_write(const char *dir, const char *input_path, const json_t *report,
               const CansimProfile *const *profiles, size_t n, const CansimDesignConfig *design,
               CansimDiag *diag);

#endif

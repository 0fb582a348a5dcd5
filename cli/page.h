/* SPDX-License-Identifier: MIT */
/* The audition page: OUT/<input>/index.html, a static offline page to switch between an
 * input's renders while it plays, with each profile's frequency response beside it. */
#ifndef CANSIM_CLI_PAGE_H
#define CANSIM_CLI_PAGE_H

#include <stddef.h>
#include <stdio.h>

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

/* The run's page and its parts (page_run.c): */

/* The page's data for one input, as page_write() puts it in dir/index.html, the renders linked
 * through renders ("" for dir itself, else a relative URL ending in '/'). NULL with diag. */
json_t *page_json(const char *dir, const char *input_path, const char *renders,
                  const json_t *report, const CansimProfile *const *profiles, size_t n,
                  const CansimDesignConfig *design, CansimDiag *diag);
/* path as a relative, percent-encoded URL from the folder dir (both exist). -1 with diag. */
int page_href(const char *dir, const char *path, char *href, size_t cap, CansimDiag *diag);
/* The template filled with title and data. */
int page_template(FILE *f, const char *title, const json_t *data);
/* Text with &, <, > and " escaped. */
void page_html_text(FILE *f, const char *s);
/* dir/index.html written by body (a partial file, renamed when body and the writes succeed). */
int page_emit(const char *dir, int (*body)(FILE *f, void *ctx), void *ctx, CansimDiag *diag);

/* One input of a run, for its page: rendered when report is not NULL. */
typedef struct PageInput {
    const char *path; /* the input as given */
    const char *rel;  /* its path in the output folder */
    const char *dir;  /* its output folder, OUT/<rel> */
    const json_t *report;
} PageInput;

/* OUT/index.html for a run of several inputs: a versions page switching between the rendered
 * inputs as mixes (when their renders are few enough to play at once, PAGE_MAX_PLAYERS), else a
 * list of the inputs linking to their pages. 0, or -1 with diag. */
#define PAGE_MAX_PLAYERS 96
int page_write_run(const char *out_dir, const PageInput *inputs, size_t n_inputs,
                   const CansimProfile *const *profiles, size_t n, const CansimDesignConfig *design,
                   CansimDiag *diag);

#endif

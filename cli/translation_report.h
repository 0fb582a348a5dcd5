/* SPDX-License-Identifier: MIT */
/* The translation report's command side (translation_report.c, docs/translation.md). */
#ifndef CANSIM_TRANSLATION_REPORT_H
#define CANSIM_TRANSLATION_REPORT_H

#include <cansim/cansim.h>
#include <jansson.h>

/* An input's `translation` section from its results (profiles p, n of them): bands, per
 * profile its band changes, overall figure, side change and moments, the spread and the
 * ranking. Outputs without a translation (failed, kept, skipped) are left out. */
json_t *translation_json(const CansimProfile *const *p, const CansimOutputResult *res, size_t n);
/* The section as a compact table on stderr: profiles x bands, the spread row, top moments. */
void translation_print(const json_t *section);
/* The run's `translation` section from its report's inputs[] (each with its section): per
 * profile and band the input that departs most from the others. */
json_t *translation_run_section(const json_t *run_report);
/* Its summary on stderr: per band the largest departure. */
void translation_print_run(const json_t *section);

#endif

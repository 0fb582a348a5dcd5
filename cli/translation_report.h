/* SPDX-License-Identifier: MIT */
/* The translation report's command side (translation_report.c, docs/translation.md). */
#ifndef CANSIM_TRANSLATION_REPORT_H
#define CANSIM_TRANSLATION_REPORT_H

#include <cansim/cansim.h>
#include <jansson.h>

/* One output's translation for its report entry (outputs[].translation): band changes,
 * overall figure, side change, moments; null without one (failed, skipped). */
json_t *translation_entry(const CansimOutputResult *r);
/* Sets the input report rep's `translation` section (bands, spread, ranking) from its
 * outputs[] entries: called again once kept outputs' entries are in, so a rerun's report is
 * the one a whole run writes. When no entry has a translation, the section's `note` says
 * why_none (NULL: the note the section had stays). */
void translation_section(json_t *rep, const char *why_none);
/* A translation as its JSON object (band_db, overall_db, side_db, moments, band_moments), or
 * null when it is not valid. */
json_t *translation_json(const CansimTranslation *t);
/* The input report's translation as a compact table on stderr: profiles x bands, the spread
 * row, the strongest moments. */
void translation_print(const json_t *rep);
/* The run's `translation` section from its report's inputs[] (each with its section): per
 * profile and band the input that departs most from the others. */
json_t *translation_run_section(const json_t *run_report);
/* Its summary on stderr: per band the largest departure. */
void translation_print_run(const json_t *section);

#endif

/* SPDX-License-Identifier: MIT */
/* Parsers of the profile text formats: profile files (INI) and response curves (CSV). */
#ifndef CANSIM_PROFILE_FORMAT_H
#define CANSIM_PROFILE_FORMAT_H

#include "design.h"

/* Profile and curve files larger than this are refused before parsing. */
#define CANSIM_MAX_TEXT_BYTES (4u << 20)

/* True when text holds no NUL and no control characters but tab, CR, LF and FF. */
bool cansim_text_is_plain(const char *text, size_t n);

/* Reads a whole text file of at most max_bytes into *out (NUL-terminated, free()). */
int cansim_read_text(const char *path, size_t max_bytes, char **out, size_t *n_out,
                     CansimDiag *diag);

/* Parses AutoEq-style CSV: an optional header naming "frequency" and "raw" columns, then one
 * point a line; frequencies strictly increasing, values finite. name is used in messages. */
int cansim_curve_parse_csv(const char *text, size_t n, const char *name, CansimCurve *out,
                           CansimDiag *diag);

/* Parses a profile file's text (see profiles/README.md): n bytes with text[n] == '\0'. dir
 * resolves a relative curve file; NULL forbids curve files (fuzzing). */
int cansim_profile_parse_ini(CansimProfile **out, const char *text, size_t n, const char *name,
                             const char *dir, CansimDiag *diag);

#endif

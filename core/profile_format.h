/* SPDX-License-Identifier: MIT */
/* Parsers of the profile text formats: profile files (INI) and response curves (CSV). */
#ifndef CANSIM_PROFILE_FORMAT_H
#define CANSIM_PROFILE_FORMAT_H

#include "design.h"

/* Profile and curve files larger than this are refused before parsing. */
#define CANSIM_MAX_TEXT_BYTES (4u << 20)

/* A response curve must span at least this band (profiles/README.md): outside its range a
 * curve's end values are held, so a partial curve would pass as flat where it says nothing. */
#define CANSIM_CURVE_LOW_HZ  100.0
#define CANSIM_CURVE_HIGH_HZ 10000.0

/* True when text holds no NUL and no control characters but tab, CR, LF and FF. */
bool cansim_text_is_plain(const char *text, size_t n);

/* CANSIM_OK for text a parser may read; else CANSIM_EPROFILE, "name: " and why (empty,
 * UTF-16, binary). */
int cansim_text_check(const char *text, size_t n, const char *name, CansimDiag *diag);

/* The length of the longest prefix of text[0..n) that is valid UTF-8 (n when all of it). */
size_t cansim_utf8_valid_prefix(const char *text, size_t n);

/* CANSIM_OK when path is a regular file (after symlinks); else CANSIM_EIO naming what it is
 * (missing, a directory, a FIFO...), so that nothing waits on a FIFO or reads a device. */
int cansim_check_regular(const char *path, CansimDiag *diag);

/* Reads a whole regular text file of at most max_bytes into *out (NUL-terminated, free()).
 * Anything but a regular file fails at once (CANSIM_EIO), never blocks. */
int cansim_read_text(const char *path, size_t max_bytes, char **out, size_t *n_out,
                     CansimDiag *diag);

/* CANSIM_OK when c (two points or more) spans CANSIM_CURVE_LOW_HZ..CANSIM_CURVE_HIGH_HZ;
 * else CANSIM_EPROFILE, "name: " and the range it covers. */
int cansim_curve_check_band(const CansimCurve *c, const char *name, CansimDiag *diag);

/* Parses AutoEq-style CSV (profiles/README.md, "Curve files"): an optional header naming
 * "frequency" and "raw" columns, then one point a line. The separator (comma, semicolon or
 * tab) comes from the first line; with semicolons or tabs a decimal comma is read, used
 * consistently; quoted fields and a UTF-8 byte order mark are read. Frequencies strictly
 * increasing, values finite, the band checked as above. name is used in messages. */
int cansim_curve_parse_csv(const char *text, size_t n, const char *name, CansimCurve *out,
                           CansimDiag *diag);

/* Parses a profile file's text (see profiles/README.md): n bytes with text[n] == '\0'. dir
 * resolves a relative curve file; NULL forbids curve files (fuzzing). */
int cansim_profile_parse_ini(CansimProfile **out, const char *text, size_t n, const char *name,
                             const char *dir, CansimDiag *diag);

#endif

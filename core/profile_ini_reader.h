/* SPDX-License-Identifier: MIT */
/* The line reader under the profile-file parser: inih fed one line at a time. */
#ifndef CANSIM_PROFILE_INI_READER_H
#define CANSIM_PROFILE_INI_READER_H

#include <stdbool.h>
#include <stddef.h>

/* Feeds inih one line at a time, so the handler knows the line it is on, and sees what inih
 * alone would not report: an empty unknown section, a line longer than inih's buffer. */
typedef struct IniReader {
    const char *pos;
    const char *end;
    int line;
    int bad_line; /* first line the reader refused, 0 for none */
    char bad[160];
    bool has_profile; /* a [profile] line was read */
} IniReader;

/* inih's reader (ini_reader): the next line of stream (an IniReader) into str (num bytes).
 * Lines end at LF, CRLF or a lone CR; a first-line UTF-8 byte order mark and indentation are
 * dropped. The first line too long for str or opening an unknown section is recorded in
 * bad_line and bad, and ends the text. */
char *cansim_ini_read_line(char *str, int num, void *stream);

/* The line (from 1) of byte off, counting LF, CRLF and lone CR as the reader does. */
size_t cansim_ini_line_at(const char *text, size_t off);

#endif

/* SPDX-License-Identifier: MIT */
/* The line reader under the profile-file parser: inih fed one line at a time, so the handler
 * knows the line it is on, and the parser sees what inih alone would not report. */
#include <stdio.h>
#include <string.h>

#include "profile_format.h"
#include "profile_ini_reader.h"

static bool section_is_known(const char *name, size_t n)
{
    static const char *const known[] = {"profile", "curve", "crossfeed", "hrtf", "room"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strlen(known[i]) == n && !memcmp(known[i], name, n))
            return true;
    return false;
}

char *cansim_ini_read_line(char *str, int num, void *stream)
{
    IniReader *rd = stream;
    if (rd->pos >= rd->end)
        return NULL;
    /* Lines end at LF, CRLF or a lone CR (old Mac editors), as in curve files. */
    const char *line = rd->pos;
    const char *eol = line;
    while (eol < rd->end && *eol != '\n' && *eol != '\r')
        eol++;
    rd->pos = eol == rd->end ? eol : eol + 1;
    if (eol < rd->end && *eol == '\r' && rd->pos < rd->end && *rd->pos == '\n')
        rd->pos++;
    rd->line++;
    if (rd->line == 1 && eol - line >= 3 && !memcmp(line, "\xef\xbb\xbf", 3))
        line += 3; /* a UTF-8 byte order mark */
    /* Indentation means nothing: inih would take an indented line for the continuation of
     * the value before it, and blame it as that key given twice. */
    while (line < eol && (*line == ' ' || *line == '\t'))
        line++;
    const size_t len = (size_t)(eol - line);
    const char *close = len && *line == '[' ? memchr(line, ']', len) : NULL;
    if (!rd->bad_line && len + 1 > (size_t)num - 1) {
        rd->bad_line = rd->line;
        snprintf(rd->bad, sizeof rd->bad, "line longer than %d characters", num - 2);
    } else if (!rd->bad_line && close && !section_is_known(line + 1, (size_t)(close - line - 1))) {
        rd->bad_line = rd->line;
        /* The name quoted whole, or cut to what fits, never inside a character. */
        const size_t room = sizeof rd->bad - sizeof "unknown section []";
        size_t n = (size_t)(close - line - 1);
        n = cansim_utf8_valid_prefix(line + 1, n < room ? n : room);
        snprintf(rd->bad, sizeof rd->bad, "unknown section [%.*s]", (int)n, line + 1);
    }
    if (close && close - line == 8 && !memcmp(line, "[profile", 8))
        rd->has_profile = true;
    if (rd->bad_line) {
        /* Nothing more is parsed: the first problem is the one reported. */
        rd->pos = rd->end;
        snprintf(str, (size_t)num, "\n");
        return str;
    }
    memcpy(str, line, len);
    str[len] = '\n';
    str[len + 1] = '\0';
    return str;
}

size_t cansim_ini_line_at(const char *text, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < off; i++)
        if (text[i] == '\n' || (text[i] == '\r' && text[i + 1] != '\n'))
            line++;
    return line;
}

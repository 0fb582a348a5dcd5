/* SPDX-License-Identifier: MIT */
/* Response curves from AutoEq-style CSV text: "frequency,raw" (more columns allowed). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "profile_format.h"

/* Enough for any published measurement (AutoEq's grid has 695 points) with room to spare. */
#define MAX_POINTS 100000

bool cansim_text_is_plain(const char *text, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const unsigned char c = (unsigned char)text[i];
        if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f'))
            return false;
    }
    return true;
}

int cansim_read_text(const char *path, size_t max_bytes, char **out, size_t *n_out,
                     CansimDiag *diag)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return cansim_diag_set(diag, CANSIM_EIO, "%s: %s", path, strerror(errno));
    char *buf = malloc(max_bytes + 1);
    if (!buf) {
        fclose(f);
        return cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory", path);
    }
    const size_t n = fread(buf, 1, max_bytes + 1, f);
    const bool is_error = ferror(f);
    fclose(f);
    if (is_error) {
        free(buf);
        return cansim_diag_set(diag, CANSIM_EIO, "%s: read failed", path);
    }
    if (n > max_bytes) {
        free(buf);
        return cansim_diag_set(diag, CANSIM_EPROFILE, "%s: larger than %zu bytes", path,
                               max_bytes);
    }
    buf[n] = '\0';
    *out = buf;
    *n_out = n;
    return CANSIM_OK;
}

/* Splits one line into fields at commas (or semicolons / tabs, as spreadsheets write them). */
static size_t split_fields(char *line, char **fields, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n < max) {
        while (*p == ' ' || *p == '\t')
            p++;
        fields[n++] = p;
        while (*p && *p != ',' && *p != ';' && *p != '\t')
            p++;
        char *end = p;
        while (end > fields[n - 1] && isspace((unsigned char)end[-1]))
            end--;
        const char sep = *p;
        *end = '\0';
        if (!sep)
            break;
        p++;
    }
    return n;
}

static bool parse_number(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return end != s && *end == '\0' && errno != ERANGE;
}

int cansim_curve_parse_csv(const char *text, size_t n, const char *name, CansimCurve *out,
                           CansimDiag *diag)
{
    memset(out, 0, sizeof *out);
    if (!cansim_text_is_plain(text, n))
        return cansim_diag_set(diag, CANSIM_EPROFILE, "%s: not a text file", name);
    char *copy = malloc(n + 1);
    double *hz = malloc(sizeof *hz * 1024);
    double *db = malloc(sizeof *db * 1024);
    size_t cap = 1024, count = 0;
    int e = CANSIM_OK;
    if (!copy || !hz || !db) {
        e = cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory", name);
        goto done;
    }
    memcpy(copy, text, n);
    copy[n] = '\0';
    size_t col_hz = 0, col_db = 1, lineno = 0;
    bool has_header = false;
    char *next = NULL;
    for (char *line = copy; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        line[strcspn(line, "\r")] = '\0';
        const char *t = line;
        while (isspace((unsigned char)*t))
            t++;
        if (*t == '\0' || *t == '#')
            continue;
        char *fields[16];
        const size_t nf = split_fields(line, fields, 16);
        double f, v;
        if (!has_header && count == 0 && !parse_number(fields[0], &f)) {
            /* A header names its columns: AutoEq's are frequency,raw[,error,target,...]. */
            has_header = true;
            bool has_f = false, has_raw = false;
            for (size_t i = 0; i < nf; i++) {
                if (!strcasecmp(fields[i], "frequency") || !strcasecmp(fields[i], "freq") ||
                    !strcasecmp(fields[i], "hz")) {
                    col_hz = i;
                    has_f = true;
                } else if (!strcasecmp(fields[i], "raw") && !has_raw) {
                    col_db = i;
                    has_raw = true;
                }
            }
            if (!has_f || !has_raw) {
                e = cansim_diag_set(diag, CANSIM_EPROFILE,
                                    "%s:%zu: header has no 'frequency' and 'raw' columns", name,
                                    lineno);
                goto done;
            }
            continue;
        }
        if (nf <= col_hz || nf <= col_db) {
            e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s:%zu: expected %zu columns, found %zu",
                                name, lineno, (col_hz > col_db ? col_hz : col_db) + 1, nf);
            goto done;
        }
        if (!parse_number(fields[col_hz], &f) || !parse_number(fields[col_db], &v)) {
            e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s:%zu: not a number: '%s'", name,
                                lineno,
                                parse_number(fields[col_hz], &f) ? fields[col_db]
                                                                 : fields[col_hz]);
            goto done;
        }
        if (!isfinite(f) || !isfinite(v)) {
            e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s:%zu: value is not finite", name,
                                lineno);
            goto done;
        }
        if (f < 1e-3 || f > 1e6 || fabs(v) > 200.0) {
            e = cansim_diag_set(diag, CANSIM_EPROFILE,
                                "%s:%zu: %g Hz, %g dB is out of range (1 mHz-1 MHz, +-200 dB)",
                                name, lineno, f, v);
            goto done;
        }
        if (count && f <= hz[count - 1]) {
            e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s:%zu: frequency %g Hz %s %g Hz",
                                name, lineno, f, f == hz[count - 1] ? "repeats" : "is below",
                                hz[count - 1]);
            goto done;
        }
        if (count == MAX_POINTS) {
            e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s:%zu: more than %d points", name,
                                lineno, MAX_POINTS);
            goto done;
        }
        if (count == cap) {
            cap *= 2;
            double *nh = realloc(hz, sizeof *hz * cap);
            if (nh)
                hz = nh;
            double *nd = nh ? realloc(db, sizeof *db * cap) : NULL;
            if (nd)
                db = nd;
            if (!nh || !nd) {
                e = cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory", name);
                goto done;
            }
        }
        hz[count] = f;
        db[count] = v;
        count++;
    }
    if (count < 2) {
        e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s: %s", name,
                            count ? "a single point is not a curve" : "no data points");
        goto done;
    }
    out->n = count;
    out->hz = hz;
    out->db = db;
    hz = db = NULL;
done:
    free(copy);
    free(hz);
    free(db);
    return e;
}

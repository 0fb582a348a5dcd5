/* SPDX-License-Identifier: MIT */
/* Response curves from AutoEq-style CSV text: "frequency,raw" (more columns allowed), in the
 * dialects spreadsheets write (profiles/README.md, "Curve files"). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "profile_format.h"

/* Enough for any published measurement (AutoEq's grid has 695 points) with room to spare. */
#define MAX_POINTS 100000
/* Columns looked at; AutoEq writes 11. Further ones are counted, never read. */
#define MAX_FIELDS 64

int cansim_curve_check_band(const CansimCurve *c, const char *name, CansimDiag *diag)
{
    if (c->hz[0] <= CANSIM_CURVE_LOW_HZ && c->hz[c->n - 1] >= CANSIM_CURVE_HIGH_HZ)
        return CANSIM_OK;
    return cansim_diag_set(diag, CANSIM_EPROFILE,
                           "%s: the curve covers only %g to %g Hz (it must reach from %g Hz or "
                           "lower to %g Hz or higher)",
                           name, c->hz[0], c->hz[c->n - 1], CANSIM_CURVE_LOW_HZ,
                           CANSIM_CURVE_HIGH_HZ);
}

/* ------------------------------------------------------------------ the CSV dialect */

/* What one file uses, fixed by its first line (header or data) and by its first number with a
 * fraction; every later line must agree. */
typedef struct Dialect {
    char sep;        /* ',', ';' or '\t' */
    size_t sep_line; /* the line that fixed it */
    char decimal;    /* '.' or ','; 0 until a number has a fraction */
    size_t dec_line; /* the line that fixed it */
} Dialect;

static const char *sep_name(char c)
{
    return c == ',' ? "commas" : c == ';' ? "semicolons" : "tabs";
}

static bool is_blank(char c, char sep)
{
    return c == ' ' || c == '\f' || (c == '\t' && sep != '\t');
}

/* The separator of a first line: a semicolon wherever it is; else a tab between two values
 * (a tab next to a comma only pads it); else a comma. Quoted text does not count. */
static char detect_sep(const char *line)
{
    bool has_semi = false;
    bool has_tab = false;
    bool in_quote = false;
    for (const char *p = line; *p; p++) {
        if (*p == '"')
            in_quote = !in_quote;
        if (in_quote)
            continue;
        if (*p == ';')
            has_semi = true;
        if (*p == '\t') {
            const char *a = p;
            while (a > line && (a[-1] == ' ' || a[-1] == '\t'))
                a--;
            const char *b = p;
            while (*b == ' ' || *b == '\t')
                b++;
            if (a > line && *b && a[-1] != ',' && *b != ',')
                has_tab = true;
        }
    }
    return has_semi ? ';' : has_tab ? '\t' : ',';
}

typedef struct Field {
    char *s;
    bool is_quoted;
} Field;

/* Splits line in place at sep outside double quotes; a quoted field loses its quotes and
 * reads "" as one quote; blanks around fields go. Returns the number of fields (fields past
 * max are counted, not stored), or 0 with *why set for a malformed quote. */
static size_t split_fields(char *line, char sep, Field *f, size_t max, const char **why)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        while (is_blank(*p, sep))
            p++;
        char *start = p;
        char *w = p;
        const bool is_quoted = *p == '"';
        if (is_quoted) {
            p++;
            for (;;) {
                if (!*p) {
                    *why = "a quote is not closed";
                    return 0;
                }
                if (*p == '"' && p[1] != '"')
                    break;
                if (*p == '"')
                    p++;
                *w++ = *p++;
            }
            p++;
            while (is_blank(*p, sep))
                p++;
            if (*p && *p != sep) {
                *why = "text after a closing quote";
                return 0;
            }
        } else {
            while (*p && *p != sep)
                p++;
            w = p;
            while (w > start && is_blank(w[-1], sep))
                w--;
        }
        const char c = *p;
        *w = '\0';
        if (n < max)
            f[n] = (Field){start, is_quoted};
        n++;
        if (!c)
            return n;
        p++;
    }
}

typedef enum NumberStatus { NUM_OK, NUM_BAD, NUM_RANGE, NUM_MIXED } NumberStatus;

/* A decimal number ([sign] digits [mark digits] [e [sign] digits]) in the file's decimal
 * mark, fixing the mark at its first use; "inf" and "nan" read as such (and are refused as
 * not finite by the caller). No hexadecimal, no thousands separators. */
static NumberStatus parse_number(const Field *f, Dialect *dl, size_t lineno, double *v)
{
    const char *s = f->s;
    char buf[80];
    const size_t len = strlen(s);
    if (len == 0 || len >= sizeof buf)
        return NUM_BAD;
    memcpy(buf, s, len + 1);
    const char *t = buf + (buf[0] == '+' || buf[0] == '-');
    const bool is_special = !strncasecmp(t, "inf", 3) || !strncasecmp(t, "nan", 3);
    if (!is_special) {
        const char *q = t;
        size_t n_digits = 0;
        for (; *q >= '0' && *q <= '9'; q++)
            n_digits++;
        if (*q == '.' || *q == ',') {
            /* A comma is a decimal mark only where it cannot be the separator. */
            if (*q == ',' && dl->sep == ',')
                return NUM_BAD;
            if (dl->decimal && dl->decimal != *q)
                return NUM_MIXED;
            if (!dl->decimal) {
                dl->decimal = *q;
                dl->dec_line = lineno;
            }
            buf[q - buf] = '.';
            for (q++; *q >= '0' && *q <= '9'; q++)
                n_digits++;
        }
        if (n_digits == 0)
            return NUM_BAD;
        if (*q == 'e' || *q == 'E') {
            q++;
            q += *q == '+' || *q == '-';
            if (!(*q >= '0' && *q <= '9'))
                return NUM_BAD;
            while (*q >= '0' && *q <= '9')
                q++;
        }
        if (*q)
            return NUM_BAD;
    }
    char *end;
    errno = 0;
    *v = strtod(buf, &end);
    if (end == buf || *end)
        return NUM_BAD;
    return errno == ERANGE ? NUM_RANGE : NUM_OK;
}

/* s for a message: at most 40 bytes, anything but printable ASCII shown as '?', so that a
 * diag stays one line of valid UTF-8 whatever the file held. */
static const char *shown(const char *s, char buf[48])
{
    size_t k = 0;
    for (; s[k] && k < 40; k++)
        buf[k] = (s[k] >= 0x20 && s[k] < 0x7f) ? s[k] : '?';
    if (s[k]) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k] = '\0';
    return buf;
}

/* A data field that holds another separator than the file's: the file mixes them. */
static char foreign_sep(const Field *f, char sep)
{
    if (f->is_quoted)
        return 0;
    if (sep != ';' && strchr(f->s, ';'))
        return ';';
    if (sep != '\t' && strchr(f->s, '\t'))
        return '\t';
    if (sep != ',' && strchr(f->s, ',') && strchr(f->s, ',') != strrchr(f->s, ','))
        return ','; /* two commas: not one decimal mark */
    return 0;
}

static bool is_name(const Field *f, const char *const *names)
{
    for (; *names; names++)
        if (!strcasecmp(f->s, *names))
            return true;
    return false;
}

/* The header: which columns hold the frequency and the raw level. */
static int read_header(const Field *fields, size_t nf, const char *name, size_t lineno,
                       size_t *col_hz, size_t *col_db, CansimDiag *diag)
{
    static const char *const hz_names[] = {"frequency", "freq", "hz", NULL};
    static const char *const db_names[] = {"raw", NULL};
    bool has_f = false;
    bool has_raw = false;
    for (size_t i = 0; i < nf && i < MAX_FIELDS; i++) {
        const bool is_f = is_name(&fields[i], hz_names);
        const bool is_raw = is_name(&fields[i], db_names);
        if ((is_f && has_f) || (is_raw && has_raw)) {
            char b[48];
            return cansim_diag_set(diag, CANSIM_EPROFILE,
                                   "%s:%zu: header names a '%s' column twice", name, lineno,
                                   shown(fields[i].s, b));
        }
        if (is_f) {
            *col_hz = i;
            has_f = true;
        }
        if (is_raw) {
            *col_db = i;
            has_raw = true;
        }
    }
    if (!has_f || !has_raw)
        return cansim_diag_set(diag, CANSIM_EPROFILE,
                               "%s:%zu: header has no 'frequency' and 'raw' columns", name, lineno);
    return CANSIM_OK;
}

/* The next line of [*pos, end): ends at LF, CRLF or a lone CR (old Mac spreadsheets). */
static char *next_line(char **pos, char *end)
{
    char *line = *pos;
    if (line >= end)
        return NULL;
    char *p = line;
    while (p < end && *p != '\n' && *p != '\r')
        p++;
    char *after = p < end ? p + 1 : p;
    if (p < end && *p == '\r' && after < end && *after == '\n')
        after++;
    *p = '\0';
    *pos = after;
    return line;
}

typedef struct Points {
    double *hz;
    double *db;
    size_t n;
    size_t cap;
} Points;

static bool points_add(Points *pt, double hz, double db)
{
    if (pt->n == pt->cap) {
        const size_t cap = pt->cap ? 2 * pt->cap : 1024;
        double *h = realloc(pt->hz, sizeof *h * cap);
        if (h)
            pt->hz = h;
        double *d = h ? realloc(pt->db, sizeof *d * cap) : NULL;
        if (d)
            pt->db = d;
        if (!h || !d)
            return false;
        pt->cap = cap;
    }
    pt->hz[pt->n] = hz;
    pt->db[pt->n] = db;
    pt->n++;
    return true;
}

/* One data line: its point, checked, or a diag naming the line. */
static int read_point(Field *fields, size_t nf, size_t col_hz, size_t col_db, Dialect *dl,
                      const char *name, size_t lineno, double *f, double *v, CansimDiag *diag)
{
    char b[48];
    for (size_t i = 0; i < nf && i < MAX_FIELDS; i++) {
        const char other = foreign_sep(&fields[i], dl->sep);
        if (other)
            return cansim_diag_set(diag, CANSIM_EPROFILE,
                                   "%s:%zu: fields separated by %s, but line %zu separates them "
                                   "by %s",
                                   name, lineno, sep_name(other), dl->sep_line, sep_name(dl->sep));
    }
    const size_t need = (col_hz > col_db ? col_hz : col_db) + 1;
    if (nf < need)
        return cansim_diag_set(diag, CANSIM_EPROFILE,
                               "%s:%zu: expected %zu columns separated by %s, found %zu", name,
                               lineno, need, sep_name(dl->sep), nf);
    const Field *cells[2] = {&fields[col_hz], &fields[col_db]};
    double *vals[2] = {f, v};
    for (int k = 0; k < 2; k++) {
        switch (parse_number(cells[k], dl, lineno, vals[k])) {
        case NUM_OK:
            break;
        case NUM_MIXED:
            return cansim_diag_set(diag, CANSIM_EPROFILE,
                                   "%s:%zu: '%s' has a decimal '%c', but line %zu uses '%c'", name,
                                   lineno, shown(cells[k]->s, b), dl->decimal == '.' ? ',' : '.',
                                   dl->dec_line, dl->decimal);
        case NUM_RANGE:
            return cansim_diag_set(diag, CANSIM_EPROFILE, "%s:%zu: '%s' is out of range", name,
                                   lineno, shown(cells[k]->s, b));
        default:
            if (dl->sep == ',' && strchr(cells[k]->s, ','))
                return cansim_diag_set(diag, CANSIM_EPROFILE,
                                       "%s:%zu: '%s' has a decimal comma in a file separated "
                                       "by commas (separate by semicolons)",
                                       name, lineno, shown(cells[k]->s, b));
            return cansim_diag_set(diag, CANSIM_EPROFILE, "%s:%zu: not a number: '%s'", name,
                                   lineno, shown(cells[k]->s, b));
        }
    }
    if (!isfinite(*f) || !isfinite(*v))
        return cansim_diag_set(diag, CANSIM_EPROFILE, "%s:%zu: value is not finite", name, lineno);
    if (*f < 1e-3 || *f > 1e6 || fabs(*v) > 200.0)
        return cansim_diag_set(diag, CANSIM_EPROFILE,
                               "%s:%zu: %g Hz, %g dB is out of range (1 mHz-1 MHz, +-200 dB)", name,
                               lineno, *f, *v);
    return CANSIM_OK;
}

int cansim_curve_parse_csv(const char *text, size_t n, const char *name, CansimCurve *out,
                           CansimDiag *diag)
{
    memset(out, 0, sizeof *out);
    int e = cansim_text_check(text, n, name, diag);
    if (e)
        return e;
    char *copy = malloc(n + 1);
    Field *fields = malloc(sizeof *fields * MAX_FIELDS);
    Points pt = {0};
    if (!copy || !fields) {
        e = cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory", name);
        goto done;
    }
    memcpy(copy, text, n);
    copy[n] = '\0';
    char *pos = copy;
    if (n >= 3 && !memcmp(copy, "\xef\xbb\xbf", 3))
        pos += 3; /* a UTF-8 byte order mark, as Excel writes */
    Dialect dl = {0};
    bool has_line = false; /* a header or a point was read */
    size_t col_hz = 0;
    size_t col_db = 1;
    size_t lineno = 0;
    for (char *line; (line = next_line(&pos, copy + n));) {
        lineno++;
        const char *t = line;
        while (*t == ' ' || *t == '\t' || *t == '\f')
            t++;
        if (*t == '\0' || *t == '#')
            continue;
        const bool is_first = !has_line;
        has_line = true;
        if (dl.sep == 0 && !strncasecmp(t, "sep=", 4) && strchr(",;\t", t[4]) && t[4] &&
            (!t[5] || t[5] == ' ' || t[5] == '\t')) {
            /* Excel's hint line, "sep=;": it names the separator outright. */
            dl.sep = t[4];
            dl.sep_line = lineno;
            has_line = false;
            continue;
        }
        if (dl.sep == 0) {
            dl.sep = detect_sep(line);
            dl.sep_line = lineno;
        }
        const char *why = NULL;
        const size_t nf = split_fields(line, dl.sep, fields, MAX_FIELDS, &why);
        if (why) {
            e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s:%zu: %s", name, lineno, why);
            goto done;
        }
        double f;
        double v;
        Dialect probe = dl;
        if (is_first && parse_number(&fields[0], &probe, lineno, &f) == NUM_BAD) {
            /* A header names its columns: AutoEq's are frequency,raw[,error,target,...]. */
            if ((e = read_header(fields, nf, name, lineno, &col_hz, &col_db, diag)))
                goto done;
            continue;
        }
        if ((e = read_point(fields, nf, col_hz, col_db, &dl, name, lineno, &f, &v, diag)))
            goto done;
        if (pt.n && f <= pt.hz[pt.n - 1]) {
            e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s:%zu: frequency %g Hz %s %g Hz", name,
                                lineno, f, f == pt.hz[pt.n - 1] ? "repeats" : "is below",
                                pt.hz[pt.n - 1]);
            goto done;
        }
        if (pt.n == MAX_POINTS) {
            e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s:%zu: more than %d points", name, lineno,
                                MAX_POINTS);
            goto done;
        }
        if (!points_add(&pt, f, v)) {
            e = cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory", name);
            goto done;
        }
    }
    if (pt.n < 2) {
        e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s: %s", name,
                            pt.n ? "a single point is not a curve" : "no data points");
        goto done;
    }
    const CansimCurve c = {.n = pt.n, .hz = pt.hz, .db = pt.db};
    if ((e = cansim_curve_check_band(&c, name, diag)))
        goto done;
    *out = c;
    pt.hz = pt.db = NULL;
done:
    free(copy);
    free(fields);
    free(pt.hz);
    free(pt.db);
    return e;
}

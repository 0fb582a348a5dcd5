/* SPDX-License-Identifier: MIT */
/* Hostile and foreign profile input: CSV dialects (European decimal commas, quotes, BOM, line
 * ends), the band a curve must cover, FIFOs and other special files, INI text kinds, what a
 * profile's digest covers (crossfeed), and who a missing target blames. */
#define _POSIX_C_SOURCE 200809L

#include <cansim/cansim.h>

#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profile_checks.h"
#include "profile_format.h"
#include "unit.h"
#include "unit_files.h"

#define TARGETS_DIR CANSIM_PROFILE_DIR "/targets"
#define HD650_CSV   CANSIM_PROFILE_DIR "/sennheiser-hd-650.csv"

/* ------------------------------------------------------------------ CSV text in memory */

static int csv_parse(const char *text, size_t n, CansimCurve *c, CansimDiag *diag)
{
    *diag = (CansimDiag){{0}};
    return cansim_curve_parse_csv(text, n, "t.csv", c, diag);
}

static void csv_text_fails(const char *what, const char *text, size_t n, int line, const char *want)
{
    CansimCurve c;
    CansimDiag diag;
    const int rc = csv_parse(text, n, &c, &diag);
    expect_failure(what, rc, c.n ? &c : NULL, &diag, CANSIM_EPROFILE, "t.csv", line, want);
    CHECK(c.n == 0 && !c.hz && !c.db, "%s: a failure left points", what);
    cansim_curve_free(&c);
}

static void csv_fails_str(const char *what, const char *text, int line, const char *want)
{
    csv_text_fails(what, text, strlen(text), line, want);
}

/* Parses text that must give exactly the points of want. */
static void csv_same(const char *what, const char *text, size_t n, const CansimCurve *want)
{
    CansimCurve c;
    CansimDiag diag;
    const int rc = csv_parse(text, n, &c, &diag);
    CHECK(rc == CANSIM_OK, "%s: %d (%s)", what, rc, diag.msg);
    if (rc)
        return;
    bool is_same = c.n == want->n;
    for (size_t i = 0; is_same && i < c.n; i++)
        is_same = c.hz[i] == want->hz[i] && c.db[i] == want->db[i];
    CHECK(is_same, "%s: %zu points, not the %zu of the reference", what, c.n, want->n);
    cansim_curve_free(&c);
}

/* A growing string. */
typedef struct Text {
    char *s;
    size_t n;
    size_t cap;
} Text;

static void text_add(Text *t, const char *s, size_t n)
{
    if (t->n + n + 1 > t->cap) {
        t->cap = 2 * (t->n + n + 1);
        char *p = realloc(t->s, t->cap);
        if (!p) {
            fprintf(stderr, "out of memory\n");
            exit(99);
        }
        t->s = p;
    }
    memcpy(t->s + t->n, s, n);
    t->n += n;
    t->s[t->n] = '\0';
}

static void text_adds(Text *t, const char *s)
{
    text_add(t, s, strlen(s));
}

/* The bundled HD 650 file (AutoEq's grid, "frequency,raw", points as "20.00,-6.91")
 * rewritten: sep between fields, mark as the decimal mark, each field in quote ("" for
 * none), lines ending in eol, after prefix (a BOM, say). */
static Text autoeq_as(const char *prefix, char sep, char mark, const char *quote, const char *eol)
{
    char *src = read_all(HD650_CSV);
    Text t = {0};
    text_adds(&t, prefix);
    for (char *line = src, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *comma = strchr(line, ',');
        if (!comma) {
            fprintf(stderr, "%s: a line without a comma\n", HD650_CSV);
            exit(99);
        }
        *comma = '\0';
        const char *fields[2] = {line, comma + 1};
        for (int k = 0; k < 2; k++) {
            if (k)
                text_add(&t, &sep, 1);
            text_adds(&t, quote);
            for (const char *c = fields[k]; *c; c++)
                text_add(&t, *c == '.' ? &mark : c, 1);
            text_adds(&t, quote);
        }
        text_adds(&t, eol);
    }
    free(src);
    return t;
}

/* AutoEq's grid in the forms spreadsheets write: the same points as the original, exactly. */
static void test_csv_dialects(void)
{
    char *src = read_all(HD650_CSV);
    CansimCurve ref;
    CansimDiag diag;
    int rc = csv_parse(src, strlen(src), &ref, &diag);
    free(src);
    CHECK(rc == CANSIM_OK && ref.n == 695, "the bundled HD 650 CSV: %d, %zu points (%s)", rc, ref.n,
          diag.msg);
    if (rc)
        return;
    static const struct {
        const char *what;
        const char *prefix;
        char sep;
        char mark;
        const char *quote;
        const char *eol;
    } forms[] = {
        {"semicolons, decimal commas", "", ';', ',', "", "\n"},
        {"tabs, decimal commas", "", '\t', ',', "", "\n"},
        {"semicolons, decimal points", "", ';', '.', "", "\n"},
        {"tabs, decimal points", "", '\t', '.', "", "\n"},
        {"quoted, commas", "", ',', '.', "\"", "\n"},
        {"quoted, semicolons, decimal commas", "", ';', ',', "\"", "\n"},
        {"BOM, CRLF, semicolons, decimal commas", "\xef\xbb\xbf", ';', ',', "", "\r\n"},
        {"CR line ends (old Mac)", "", ',', '.', "", "\r"},
        {"BOM, quoted, CR line ends", "\xef\xbb\xbf", ';', ',', "\"", "\r"},
    };
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        Text t =
            autoeq_as(forms[i].prefix, forms[i].sep, forms[i].mark, forms[i].quote, forms[i].eol);
        csv_same(forms[i].what, t.s, t.n, &ref);
        free(t.s);
    }
    cansim_curve_free(&ref);

    /* The line: 31.5 Hz at 9.0 dB, with and without a header. */
    static const char *const european[] = {
        "frequency;raw\n20;0\n31,5;9,0\n20000;0\n",
        "20;0\n31,5;9,0\n20000;0\n",
        "Frequency\tRaw\n20\t0\n31,5\t9,0\n20000\t0\n",
        "sep=;\nfrequency;raw\n20;0\n31,5;9,0\n20000;0\n",
        "\xef\xbb\xbfsep=;\r\n\"frequency\";\"raw\"\r\n20;0\r\n31,5;9,0\r\n20000;0\r\n",
        "\"frequency\";\"raw\"\n20;0\n\"31,5\";\"9,0\"\n20000;0\n",
    };
    for (size_t i = 0; i < sizeof european / sizeof *european; i++) {
        CansimCurve c;
        rc = csv_parse(european[i], strlen(european[i]), &c, &diag);
        CHECK(rc == CANSIM_OK && c.n == 3 && c.hz[1] == 31.5 && c.db[1] == 9.0,
              "European CSV %zu: %d, %zu points, point 2 at %g Hz %g dB (%s)", i, rc, c.n,
              c.n > 1 ? c.hz[1] : 0.0, c.n > 1 ? c.db[1] : 0.0, diag.msg);
        cansim_curve_free(&c);
    }

    /* Quoting: a quote inside, blanks around, header names in any case; a tab that pads a
     * comma does not make a tab-separated file. */
    static const char *const good[] = {
        "\"frequency\" , \"raw\" , \"a \"\"note\"\"\"\n20,0,x\n20000,1,\"y, z\"\n",
        " FREQUENCY , Raw \n20 , 0\n20000 , 1\n",
        "frequency,raw\n20,\t0\n20000,\t1\n",
        "20,\t0\n20000,\t1\n",
        /* Bytes that are not UTF-8, where nothing is read: a comment, an ignored column. */
        "# r\xe9ponse\nfrequency,raw,note\n20,0,\xe9t\xe9\n20000,1,x\n",
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        CansimCurve c;
        rc = csv_parse(good[i], strlen(good[i]), &c, &diag);
        CHECK(rc == CANSIM_OK && c.n == 2 && c.hz[0] == 20 && c.db[1] == 1,
              "CSV form %zu: %d, %zu points (%s)", i, rc, c.n, diag.msg);
        cansim_curve_free(&c);
    }
}

/* A file that mixes separators or decimal marks, or holds what is not a plain number, fails
 * on the line where it happens. */
static void test_csv_mixed(void)
{
    csv_fails_str("comma line in a semicolon file", "frequency;raw\n20;0\n31,5,9,0\n20000;0\n", 3,
                  "fields separated by commas, but line 1 separates them by semicolons");
    csv_fails_str("semicolon line in a comma file", "frequency,raw\n20,0\n31.5;9.0\n20000,0\n", 3,
                  "fields separated by semicolons, but line 1 separates them by commas");
    csv_fails_str("tab line in a comma file", "frequency,raw\n20,0\n31.5\t9.0\n20000,0\n", 3,
                  "separated by tabs");
    csv_fails_str("semicolon line in a tab file", "20\t0\n31,5;9\n20000\t0\n", 2,
                  "separated by semicolons");
    csv_fails_str("one column in a semicolon file", "frequency;raw\n20;0\n31,5\n20000;0\n", 3,
                  "expected 2 columns separated by semicolons, found 1");
    csv_fails_str("decimal point after decimal commas", "frequency;raw\n20;0\n31,5;9\n40.5;1\n", 4,
                  "'40.5' has a decimal '.', but line 3 uses ','");
    csv_fails_str("decimal comma after decimal points", "20;0.5\n31;9,5\n20000;0\n", 2,
                  "'9,5' has a decimal ',', but line 1 uses '.'");
    csv_fails_str("quoted decimal comma in a comma file",
                  "frequency,raw\n20,0\n\"31,5\",9\n20000,0\n", 3, "decimal comma");
    csv_fails_str("thousands separators", "frequency;raw\n20;0\n1.000,5;3\n20000;0\n", 3,
                  "not a number: '1.000,5'");
    csv_fails_str("two decimal commas", "frequency;raw\n20;0\n1,000,5;3\n20000;0\n", 3,
                  "separated by commas");
    csv_fails_str("hexadecimal", "frequency,raw\n20,0\n0x400,1\n20000,0\n", 3, "'0x400'");
    csv_fails_str("empty field", "frequency;raw\n20;\n20000;0\n", 2, "not a number: ''");
    csv_fails_str("quote not closed", "frequency,raw\n\"20,0\n20000,0\n", 2,
                  "a quote is not closed");
    csv_fails_str("text after a quote", "\"frequency\"x,raw\n20,0\n20000,0\n", 1,
                  "text after a closing quote");
    csv_fails_str("a column named twice", "frequency,raw,raw\n20,0,0\n20000,0,0\n", 1,
                  "'raw' column twice");
    csv_fails_str("frequency named twice", "Hz,raw,frequency\n20,0,0\n20000,0,0\n", 1, "twice");
    csv_fails_str("underflow", "frequency,raw\n20,0\n1000,1e-999\n20000,0\n", 3, "out of range");
}

/* Encodings, sizes and line ends. */
static void test_csv_text_kinds(void)
{
    csv_text_fails("0 bytes", "", 0, 0, "empty file (0 bytes)");
    csv_fails_str("blank lines only", "\n\r\n  \n", 0, "no data points");
    static const char utf16le[] = "\xff\xfe"
                                  "f\0r\0e\0q\0,\0r\0a\0w\0\n\0";
    csv_text_fails("UTF-16 LE", utf16le, sizeof utf16le - 1, 0, "UTF-16");
    static const char utf16be[] = "\xfe\xff\0f\0r\0e\0q";
    csv_text_fails("UTF-16 BE", utf16be, sizeof utf16be - 1, 0, "UTF-16");
    static const char nul[] = "frequency,raw\n20,0\n\0\n20000,0\n";
    csv_text_fails("a NUL byte", nul, sizeof nul - 1, 0, "not a text file");
    /* A BOM and a header: not "no 'frequency' column". */
    csv_fails_str("BOM, then a bad line",
                  "\xef\xbb\xbf"
                  "frequency,raw\n20,0\n10,0\n",
                  3, "is below");
    /* Lone CRs count as line ends in line numbers. */
    csv_fails_str("CR line ends, a bad line", "frequency,raw\r20,0\r1000,x\r20000,0\r", 3,
                  "not a number: 'x'");

    /* A 1 MiB line: refused on its line, the message short and one line. */
    Text t = {0};
    text_adds(&t, "frequency,raw\n");
    char *run = unit_xcalloc(1 << 20, 1);
    memset(run, '7', (1 << 20) - 1);
    text_adds(&t, run);
    text_adds(&t, ",0\n20000,0\n");
    CansimCurve c;
    CansimDiag diag;
    int rc = csv_parse(t.s, t.n, &c, &diag);
    expect_failure("1 MiB number", rc, c.n ? &c : NULL, &diag, CANSIM_EPROFILE, "t.csv", 2,
                   "not a number: '7777");
    CHECK(strlen(diag.msg) < 120 && strstr(diag.msg, "...'"),
          "1 MiB number: the message quotes it whole (%zu bytes)", strlen(diag.msg));
    free(t.s);
    t = (Text){0};
    /* A 1 MiB comment line is only a comment. */
    memset(run, 'c', (1 << 20) - 1);
    run[0] = '#';
    text_adds(&t, run);
    text_adds(&t, "\nfrequency,raw\n20,0\n20000,0\n");
    rc = csv_parse(t.s, t.n, &c, &diag);
    CHECK(rc == CANSIM_OK && c.n == 2, "1 MiB comment: %d (%s)", rc, diag.msg);
    cansim_curve_free(&c);
    free(t.s);
    free(run);

    /* What a message quotes from the file is printable ASCII: a diag is one valid line. */
    csv_fails_str("Latin-1 in a number", "frequency,raw\n20,0\n1\xe9,0\n20000,0\n", 3,
                  "not a number: '1?'");
    csv_fails_str("UTF-8 in a number", "frequency,raw\n20,0\n1\xc2\xb0,0\n20000,0\n", 3,
                  "not a number: '1?"
                  "?'");
}

/* ------------------------------------------------------------------ the band */

static void test_band(void)
{
    const char *const why = "it must reach from 100 Hz or lower to 10000 Hz or higher";
    csv_fails_str("21-30 kHz", "frequency,raw\n21000,0\n30000,3\n", 0,
                  "the curve covers only 21000 to 30000 Hz");
    csv_fails_str("150 Hz-20 kHz", "frequency,raw\n150,0\n20000,3\n", 0, why);
    csv_fails_str("20 Hz-9 kHz", "frequency,raw\n20,0\n9000,3\n", 0, "20 to 9000 Hz");
    csv_fails_str("European, 1-2 kHz", "frequency;raw\n1000;0\n1500,5;1,5\n2000;0\n", 0,
                  "1000 to 2000 Hz");
    CansimCurve c;
    CansimDiag diag;
    const char edges[] = "frequency,raw\n100,1\n10000,2\n";
    int rc = csv_parse(edges, sizeof edges - 1, &c, &diag);
    CHECK(rc == CANSIM_OK && c.n == 2, "exactly 100 Hz to 10 kHz: %d (%s)", rc, diag.msg);
    cansim_curve_free(&c);

    /* An inline [curve] and a bare CSV file hold to the same rule, and so does a target. */
    ini_fails("inline [curve] of 1-2 kHz", BASE "[curve]\n1000 = 0\n2000 = 3\n", 0,
              "covers only 1000 to 2000 Hz");
    const char *part = tmp_path("part.csv");
    write_text(part, "frequency,raw\n21000,0\n30000,3\n");
    load_fails("bare partial CSV", part, CANSIM_EPROFILE, part, 0, "covers only");

    CansimProfile *hd650 = load_ok("hd-650", CANSIM_PROFILE_DIR "/sennheiser-hd-650.ini");
    if (!hd650)
        return;
    CansimDesignConfig d = cansim_design_default_config();
    d.targets_dir = TARGETS_DIR;
    d.target = part;
    CansimProfile *fir = NULL;
    rc = cansim_profile_design(&fir, hd650, &d, 48000.0, &diag);
    expect_failure("partial target file", rc, fir, &diag, CANSIM_EPROFILE, part, 0, "covers only");
    cansim_profile_close(&fir);
    cansim_profile_close(&hd650);
}

/* ------------------------------------------------------------------ special files */

/* Nothing but a regular file is read; a FIFO without a writer fails at once (a hang here
 * would be the bug: ctest's timeout reports it). */
static void test_special_files(void)
{
    const char *fifo_csv = tmp_path("fifo.csv");
    const char *fifo_ini = tmp_path("fifo.ini");
    const char *fifo_wav = tmp_path("fifo.wav");
    const char *fifo_ir = tmp_path("fifo-ir");
    const char *const fifos[] = {fifo_csv, fifo_ini, fifo_wav, fifo_ir};
    for (size_t i = 0; i < 4; i++)
        if (mkfifo(fifos[i], 0600)) {
            fprintf(stderr, "mkfifo %s failed\n", fifos[i]);
            exit(99);
        }
    load_fails("FIFO as a CSV profile", fifo_csv, CANSIM_EIO, fifo_csv, 0,
               "not a regular file (a FIFO)");
    load_fails("FIFO as a profile file", fifo_ini, CANSIM_EIO, fifo_ini, 0,
               "not a regular file (a FIFO)");
    load_fails("FIFO as an impulse response", fifo_wav, CANSIM_EIO, fifo_wav, 0,
               "not a regular file (a FIFO)");
    load_fails("FIFO without an extension", fifo_ir, CANSIM_EIO, fifo_ir, 0, "(a FIFO)");
    CansimProfile *p = NULL;
    CansimDiag diag = {{0}};
    int rc = cansim_profile_load_ir(&p, fifo_wav, &diag);
    expect_failure("FIFO to cansim_profile_load_ir", rc, p, &diag, CANSIM_EIO, fifo_wav, 0, "FIFO");

    /* curve = FIFO: the FIFO is named, not the profile file. */
    const char *ini = tmp_path("curve-fifo.ini");
    write_text(ini, BASE "curve = fifo.csv\n");
    load_fails("curve = FIFO", ini, CANSIM_EIO, fifo_csv, 0, "(a FIFO)");

    /* A directory and a character device. */
    const char *dir = tmp_path("dir.csv");
    if (mkdir(dir, 0700)) {
        fprintf(stderr, "mkdir %s failed\n", dir);
        exit(99);
    }
    load_fails("directory as a CSV", dir, CANSIM_EIO, dir, 0, "is a directory");
    const char *dir_ini = tmp_path("curve-dir.ini");
    write_text(dir_ini, BASE "curve = dir.csv\n");
    load_fails("curve = directory", dir_ini, CANSIM_EIO, dir, 0, "is a directory");
    load_fails("/dev/zero as an impulse response", "/dev/zero", CANSIM_EIO, "/dev/zero", 0,
               "(a character device)");
    const char *dev_ini = tmp_path("curve-dev.ini");
    write_text(dev_ini, BASE "curve = /dev/zero\n");
    load_fails("curve = /dev/zero", dev_ini, CANSIM_EIO, "/dev/zero", 0, "character device");

    /* A FIFO as the target: named first, with the profile that wanted it. */
    p = load_ok("hd-650", CANSIM_PROFILE_DIR "/sennheiser-hd-650.ini");
    if (p) {
        CansimDesignConfig d = cansim_design_default_config();
        d.target = fifo_csv;
        CansimProfile *fir = NULL;
        rc = cansim_profile_design(&fir, p, &d, 48000.0, &diag);
        expect_failure("FIFO as the target", rc, fir, &diag, CANSIM_EPROFILE, fifo_csv, 0,
                       "(a FIFO) (wanted by sennheiser-hd-650)");
        cansim_profile_close(&fir);
        cansim_profile_close(&p);
    }

    /* A symlink to a regular file is fine. */
    const char *link = tmp_path("link.csv");
    if (symlink(HD650_CSV, link)) {
        fprintf(stderr, "symlink %s failed\n", link);
        exit(99);
    }
    p = load_ok("symlink to a CSV", link);
    cansim_profile_close(&p);
}

/* ------------------------------------------------------------------ INI text kinds */

static void expect_ini_ok(const char *what, const char *text, const char *name)
{
    CansimDiag diag;
    int rc;
    CansimProfile *p = ini_parse(text, &diag, &rc);
    CHECK(rc == CANSIM_OK && p, "%s: %d (%s)", what, rc, diag.msg);
    if (!p)
        return;
    CansimProfileInfo info;
    cansim_profile_info(p, &info);
    CHECK(!strcmp(info.id, "t-1") && !strcmp(info.name, name) && !strcmp(info.rig, "none"),
          "%s: id '%s', name '%s', rig '%s'", what, info.id, info.name, info.rig);
    cansim_profile_close(&p);
}

static void test_ini_text_kinds(void)
{
    expect_ini_ok("BOM", "\xef\xbb\xbf" BASE L_CURVE, "Test");
    ini_fails("BOM, unknown section on line 1", "\xef\xbb\xbf[eq]\n" BASE L_CURVE, 1, "[eq]");
    expect_ini_ok("CR line ends",
                  "[profile]\rid = t-1\rname = Test\rback = open\rrig = none\r[curve]\r20 = 0\r"
                  "20000 = 0\r",
                  "Test");
    ini_fails("CR line ends, a bad line", "[profile]\rid = t-1\rname = Test\rback = sideways\r", 4,
              "sideways");
    ini_fails("mixed line ends, a bad line", "[profile]\r\nid = t-1\rname = Test\nback = x\r\n", 4,
              "'back' cannot be 'x'");
    /* Indentation is not a continuation: no "given twice" for the key before. */
    expect_ini_ok("indented keys",
                  "[profile]\n  id = t-1\n\tname = Test\n  back = open\n  rig = none\n"
                  "  [curve]\n    20 = 0\n    20000 = 0\n",
                  "Test");
    ini_fails("indented text after a key", BASE "   more words\n" L_CURVE, 6,
              "not a profile file (expected key = value)");
    /* UTF-8 text is fine; other bytes are refused on their line. */
    expect_ini_ok("UTF-8 name",
                  L_PROFILE L_ID
                  "name = Caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x8e\xa7\n" L_BACK L_RIG L_CURVE,
                  "Caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x8e\xa7");
    ini_fails("Latin-1 name", L_PROFILE L_ID "name = Caf\xe9\n" L_BACK L_RIG L_CURVE, 3,
              "not UTF-8 text (byte 0xe9)");
    ini_fails("Latin-1 in a comment", BASE "; r\xe9sum\xe9\n" L_CURVE, 6, "not UTF-8");
    ini_fails("overlong UTF-8", L_PROFILE L_ID "name = \xc0\xaf\n" L_BACK L_RIG L_CURVE, 3,
              "byte 0xc0");
    ini_fails("UTF-8 surrogate", L_PROFILE L_ID "name = \xed\xa0\x80\n" L_BACK L_RIG L_CURVE, 3,
              "byte 0xed");
    ini_fails("truncated UTF-8 at the end", BASE L_CURVE "; \xe2\x80", 9, "byte 0xe2");
    ini_fails("CR-only file, Latin-1 on line 3", "[profile]\rid = t-1\rname = \xe9\r", 3,
              "not UTF-8");
    /* Kinds of not-a-profile, each said as such. */
    ini_fails("0 bytes", "", 0, "empty file (0 bytes)");
    ini_fails("comments only", "; nothing\n\n# here\n", 0, "no [profile] section");
    ini_fails("[curve] only", L_CURVE, 0, "no [profile] section");
    ini_fails("an AutoEq CSV given as a profile file", "frequency,raw\n20,0\n20000,0\n", 1,
              "not a profile file");
    const char utf16[] = "\xff\xfe[\0p\0r\0o\0f\0i\0l\0e\0]\0\n\0";
    CansimProfile *p = NULL;
    CansimDiag diag = {{0}};
    const int rc = cansim_profile_parse_ini(&p, utf16, sizeof utf16 - 1, "mem.ini", NULL, &diag);
    expect_failure("UTF-16 profile", rc, p, &diag, CANSIM_EPROFILE, "mem.ini", 0, "UTF-16");
    /* Duplicates: a key again in a second [profile] section, a second [curve] going down. */
    ini_fails("[profile] twice, a key again", BASE "[profile]\nname = Again\n" L_CURVE, 7,
              "'name' is given twice");
    ini_fails("[curve] twice", BASE L_CURVE "[curve]\n1000 = 0\n", 10, "is below");
    ini_fails("[crossfeed] preset twice",
              BASE L_CURVE "[crossfeed]\npreset = bs2b\npreset = cmoy\n", 11,
              "'preset' is given twice");
    ini_fails("unknown rig", L_PROFILE L_ID L_NAME L_BACK "rig = my-own-rig\n" L_CURVE, 5,
              "'rig' cannot be 'my-own-rig'");
}

/* ------------------------------------------------------------------ digests */

/* Digests of p under each crossfeed setting (NULL: the config's default, what the profile
 * carries). */
#define N_CF 7
static const char *const cf_specs[N_CF] = {NULL,   "off",     "bs2b",   "jmeier",
                                           "cmoy", "700:4.5", "650:9.5"};

static void digests_of(const char *what, const CansimProfile *p, char h[N_CF][33])
{
    for (int i = 0; i < N_CF; i++) {
        CansimDesignConfig d = cansim_design_default_config();
        d.targets_dir = TARGETS_DIR;
        CansimDiag diag = {{0}};
        if (cf_specs[i])
            CHECK(!cansim_crossfeed_parse(cf_specs[i], &d.crossfeed, &diag), "%s", diag.msg);
        const int rc = cansim_profile_digest(p, &d, h[i], &diag);
        CHECK(rc == CANSIM_OK && strlen(h[i]) == 32, "%s, crossfeed %s: digest %d (%s)", what,
              cf_specs[i] ? cf_specs[i] : "default", rc, diag.msg);
    }
}

/* The crossfeed shapes the filter of every kind of profile, so it is in every digest: each
 * setting its own, equal settings (a preset and its values) one, and "off" the same as a
 * profile that carries none. */
static void expect_crossfeed_digests(const char *what, const CansimProfile *p, bool carries_bs2b)
{
    char h[N_CF][33];
    digests_of(what, p, h);
    if (carries_bs2b) {
        CHECK(!strcmp(h[0], h[2]), "%s: carries bs2b, but its digest differs from --crossfeed bs2b",
              what);
        CHECK(strcmp(h[0], h[1]), "%s: carries bs2b, same digest with crossfeed off", what);
    } else {
        CHECK(!strcmp(h[0], h[1]), "%s: no crossfeed, and --crossfeed off changes the digest",
              what);
    }
    /* off, bs2b, jmeier, cmoy: four filters, four digests. */
    for (int i = 1; i < 5; i++)
        for (int j = i + 1; j < 5; j++)
            CHECK(strcmp(h[i], h[j]), "%s: crossfeed %s and %s give one digest", what, cf_specs[i],
                  cf_specs[j]);
    CHECK(!strcmp(h[2], h[5]), "%s: bs2b and 700:4.5 (its values) differ", what);
    CHECK(!strcmp(h[3], h[6]), "%s: jmeier and 650:9.5 (its values) differ", what);
}

static void test_digest_crossfeed(void)
{
    float taps[64] = {0};
    taps[0] = 1.0f;
    taps[5] = -0.25f;
    const float *cells[4] = {taps, NULL, NULL, taps};
    CansimProfile *ir = NULL;
    CansimDiag diag = {{0}};
    CHECK(!cansim_profile_from_taps(&ir, "room", 48000.0, 64, cells, &diag), "%s", diag.msg);
    if (ir)
        expect_crossfeed_digests("impulse response", ir, false);

    /* The same IR from a file, as -p ./room.wav loads it. */
    const char *wav = tmp_path("room.wav");
    float frames[128] = {0};
    frames[0] = frames[1] = 1.0f;
    frames[10] = frames[11] = -0.25f;
    unit_write_audio(wav, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 48000, 2, frames, 64);
    CansimProfile *room = load_ok("room.wav", wav);
    if (room)
        expect_crossfeed_digests("impulse response file", room, false);

    CansimProfile *hd650 = load_ok("hd-650", CANSIM_PROFILE_DIR "/sennheiser-hd-650.ini");
    if (hd650)
        expect_crossfeed_digests("hd-650 (curve)", hd650, false);
    CansimProfile *speakers = load_ok("speakers", CANSIM_PROFILE_DIR "/speakers.ini");
    if (speakers)
        expect_crossfeed_digests("speakers (curve with bs2b)", speakers, true);

    cansim_profile_close(&ir);
    cansim_profile_close(&room);
    cansim_profile_close(&hd650);
    cansim_profile_close(&speakers);
}

/* ------------------------------------------------------------------ missing targets */

/* The missing target is what the message starts with; the profile that wanted it comes after. */
static void test_target_blame(void)
{
    CansimProfile *hd650 = load_ok("hd-650", CANSIM_PROFILE_DIR "/sennheiser-hd-650.ini");
    if (!hd650)
        return;
    CansimDesignConfig d = cansim_design_default_config();
    d.targets_dir = TARGETS_DIR;
    d.target = "nonexistent";
    CansimProfile *fir = NULL;
    CansimDiag diag = {{0}};
    int rc = cansim_profile_design(&fir, hd650, &d, 48000.0, &diag);
    expect_failure("--target nonexistent", rc, fir, &diag, CANSIM_EPROFILE,
                   TARGETS_DIR "/gras/nonexistent.csv", 0,
                   "no 'nonexistent' target for the gras rig (wanted by sennheiser-hd-650)");
    char hex[33];
    rc = cansim_profile_digest(hd650, &d, hex, &diag);
    expect_failure("--target nonexistent, digest", rc, NULL, &diag, CANSIM_EPROFILE,
                   TARGETS_DIR "/gras/nonexistent.csv", 0, "wanted by sennheiser-hd-650");

    const char *missing = tmp_path("missing-target.csv");
    d.target = missing;
    rc = cansim_profile_design(&fir, hd650, &d, 48000.0, &diag);
    expect_failure("--target missing file", rc, fir, &diag, CANSIM_EPROFILE, missing, 0,
                   "cannot read this target: No such file or directory (wanted by "
                   "sennheiser-hd-650)");

    d.target = "harman";
    d.targets_dir = NULL;
    rc = cansim_profile_design(&fir, hd650, &d, 48000.0, &diag);
    expect_failure("no targets directory", rc, fir, &diag, CANSIM_EPROFILE, "harman", 0,
                   "wanted by sennheiser-hd-650");

    /* --on's own target is blamed on --on's profile. */
    CansimProfile *hd280 =
        load_ok("hd-280", CANSIM_PROFILE_DIR "/sennheiser-hd-280-pro-innerfidelity.ini");
    if (hd280) {
        d.targets_dir = TARGETS_DIR;
        d.target = "diffuse-field";
        d.on = hd280;
        rc = cansim_profile_design(&fir, hd650, &d, 48000.0, &diag);
        expect_failure("--on hms-ii3 with diffuse-field", rc, fir, &diag, CANSIM_EPROFILE,
                       TARGETS_DIR "/hms-ii3/diffuse-field.csv", 0,
                       "wanted by sennheiser-hd-280-pro-innerfidelity");
        cansim_profile_close(&hd280);
    }
    cansim_profile_close(&fir);
    cansim_profile_close(&hd650);
}

/* Paths cut short could name other files: refused instead. */
static void test_long_paths(void)
{
    char *dir = unit_xcalloc(4001, 1);
    memset(dir, 'd', 4000);
    dir[0] = '/';
    char text[1024];
    char curve[151]; /* profile lines hold 198 characters */
    memset(curve, 'c', 150);
    curve[150] = '\0';
    snprintf(text, sizeof text, BASE "curve = %s\n", curve);
    CansimProfile *p = NULL;
    CansimDiag diag = {{0}};
    int rc = cansim_profile_parse_ini(&p, text, strlen(text), "mem.ini", dir, &diag);
    expect_failure("curve path past 4 KiB", rc, p, &diag, CANSIM_EPROFILE, "mem.ini", 0,
                   "the curve file's path is too long");
    free(dir);

    p = load_ok("hd-650", CANSIM_PROFILE_DIR "/sennheiser-hd-650.ini");
    if (!p)
        return;
    char *target = unit_xcalloc(5001, 1);
    memset(target, 't', 5000);
    target[0] = '/';
    CansimDesignConfig d = cansim_design_default_config();
    d.target = target;
    CansimProfile *fir = NULL;
    rc = cansim_profile_design(&fir, p, &d, 48000.0, &diag);
    CHECK(rc == CANSIM_EPROFILE && !fir && strstr(diag.msg, "the target's path is too long"),
          "target path past 4 KiB: %d, \"%.80s...\"", rc, diag.msg);
    cansim_profile_close(&fir);
    free(target);
    cansim_profile_close(&p);
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 20261207);
    tmp_init("cansim-test-profile-input.");
    test_csv_dialects();
    test_csv_mixed();
    test_csv_text_kinds();
    test_band();
    test_special_files();
    test_ini_text_kinds();
    test_digest_crossfeed();
    test_target_blame();
    test_long_paths();
    tmp_cleanup();
    return unit_finish("test_profile_input");
}

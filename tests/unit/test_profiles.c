/* SPDX-License-Identifier: MIT */
/* Profile files: the bundled drawer, the INI and CSV parsers' errors, and what designs mean
 * (flat references, --on, targets, the boost limit) through the public API. */
#define _POSIX_C_SOURCE 200809L

#include <cansim/cansim.h>

#include <dirent.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profile_checks.h"
#include "profile_format.h"
#include "unit.h"
#include "unit_files.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define TARGETS_DIR CANSIM_PROFILE_DIR "/targets"
#define RATE        48000.0

/* The bundled drawer: 10 open and 10 closed headphones, 15 in-ears and earbuds (back = none,
 * rig iec-711), and these profiles with back = none, which are not headphones. */
#define N_OPEN   10
#define N_CLOSED 10
#define N_IN_EAR 15
static const char *const non_headphones[] = {"reference", "speakers", "speakers-kemar"};
#define N_NONE (sizeof non_headphones / sizeof *non_headphones)

/* Designs follow their curve within CansimDesignParams.max_error_db (0.1 dB); a design of a
 * flat curve is flat to rounding, so the brief's bound is much tighter. */
#define FLAT_TOL_DB 0.05

/* ------------------------------------------------------------------ the bundled drawer */

static bool has_suffix(const char *s, const char *suffix)
{
    const size_t n = strlen(s);
    const size_t m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* The value of "curve = X" in a profile file's text, or "" (a deliberately simple reader:
 * the bundled files are plain). */
static void curve_file_of(const char *text, char *out, size_t n)
{
    out[0] = '\0';
    for (const char *line = text; line && *line;
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncmp(line, "curve", 5))
            continue;
        const char *v = line + 5;
        while (*v == ' ' || *v == '\t')
            v++;
        if (*v++ != '=')
            continue;
        while (*v == ' ' || *v == '\t')
            v++;
        size_t k = 0;
        while (v[k] && v[k] != '\n' && v[k] != '\r' && v[k] != ' ' && v[k] != '\t' && k + 1 < n)
            k++;
        memcpy(out, v, k);
        out[k] = '\0';
        return;
    }
}

static void test_drawer(void)
{
    DIR *dh = opendir(CANSIM_PROFILE_DIR);
    if (!dh) {
        fprintf(stderr, "cannot open %s\n", CANSIM_PROFILE_DIR);
        exit(99);
    }
    size_t n_ini = 0;
    size_t n_open = 0;
    size_t n_closed = 0;
    size_t n_in_ear = 0;
    bool seen_none[N_NONE] = {false};
    for (struct dirent *e; (e = readdir(dh));) {
        if (!has_suffix(e->d_name, ".ini") || e->d_name[0] == '.')
            continue;
        n_ini++;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", CANSIM_PROFILE_DIR, e->d_name);
        char stem[256];
        snprintf(stem, sizeof stem, "%.*s", (int)(strlen(e->d_name) - 4), e->d_name);
        CansimProfile *p = load_ok("bundled profile", path);
        if (!p)
            continue;
        CansimProfileInfo info;
        cansim_profile_info(p, &info);
        CHECK(!strcmp(info.id, stem), "%s: id '%s' is not the file's name", path, info.id);
        CHECK(info.is_curve, "%s: not a curve profile", path);
        /* The display name is set, not the fallback to the id. */
        CHECK(info.name[0] && strcmp(info.name, info.id), "%s: no display name ('%s')", path,
              info.name);
        CHECK(info.rig[0] && info.source[0] && info.credit[0],
              "%s: rig '%s', source '%s', credit '%s': one is empty", path, info.rig, info.source,
              info.credit);
        CHECK(!strcmp(info.rig, "gras") || !strcmp(info.rig, "hms-ii3") ||
                  !strcmp(info.rig, "iec-711") || !strcmp(info.rig, "none"),
              "%s: rig '%s'", path, info.rig);
        const bool is_in_ear = !strcmp(info.form, "in-ear") || !strcmp(info.form, "earbud");
        /* In-ears are measured on the in-ear simulator and nothing else is. */
        CHECK(is_in_ear == !strcmp(info.rig, "iec-711"), "%s: form '%s' on rig '%s'", path,
              info.form, info.rig);
        if (is_in_ear) {
            n_in_ear++;
            CHECK(!strcmp(info.back, "none"), "%s: an in-ear with back '%s'", path, info.back);
            /* Every in-ear is selected by -p in-ear, and by one of -p tws or -p iem unless it
             * is a wired earbud. */
            char tags[160];
            snprintf(tags, sizeof tags, " %s ", info.tags);
            CHECK(strstr(tags, " in-ear ") && (strstr(tags, " tws ") || strstr(tags, " iem ") ||
                                               !strcmp(info.form, "earbud")),
                  "%s: tags '%s'", path, info.tags);
        } else if (!strcmp(info.back, "open")) {
            n_open++;
        } else if (!strcmp(info.back, "closed")) {
            n_closed++;
        } else {
            CHECK(!strcmp(info.back, "none"), "%s: back '%s'", path, info.back);
            bool is_known = false;
            for (size_t i = 0; i < N_NONE; i++)
                if (!strcmp(info.id, non_headphones[i])) {
                    is_known = true;
                    seen_none[i] = true;
                }
            CHECK(is_known, "%s: back = none, but '%s' is not a known non-headphone", path,
                  info.id);
        }
        /* A curve file is named after the profile and loads on its own, with that id. */
        char *text = read_all(path);
        char curve[512];
        curve_file_of(text, curve, sizeof curve);
        free(text);
        if (curve[0]) {
            char want[300];
            snprintf(want, sizeof want, "%s.csv", info.id);
            CHECK(!strcmp(curve, want), "%s: curve file '%s', want '%s'", path, curve, want);
            char csv[8192];
            snprintf(csv, sizeof csv, "%s/%s", CANSIM_PROFILE_DIR, curve);
            CansimProfile *bare = load_ok("bundled curve CSV", csv);
            if (bare) {
                CHECK(!strcmp(cansim_profile_id(bare), info.id), "%s: bare CSV id '%s'", csv,
                      cansim_profile_id(bare));
                cansim_profile_close(&bare);
            }
        } else {
            CHECK(!strcmp(info.rig, "none"), "%s: an inline curve on rig '%s'", path, info.rig);
        }
        cansim_profile_close(&p);
    }
    closedir(dh);
    CHECK(n_ini == N_OPEN + N_CLOSED + N_IN_EAR + N_NONE, "%zu profile files, want %zu", n_ini,
          (size_t)(N_OPEN + N_CLOSED + N_IN_EAR + N_NONE));
    CHECK(n_in_ear == N_IN_EAR, "%zu in-ear profiles, want %d", n_in_ear, N_IN_EAR);
    CHECK(n_open == N_OPEN, "%zu open-back profiles, want %d", n_open, N_OPEN);
    CHECK(n_closed == N_CLOSED, "%zu closed-back profiles, want %d", n_closed, N_CLOSED);
    for (size_t i = 0; i < N_NONE; i++)
        CHECK(seen_none[i], "no bundled profile '%s'", non_headphones[i]);
}

/* ------------------------------------------------------------------ INI errors */

static void test_ini_good(void)
{
    CansimDiag diag;
    int rc;
    CansimProfile *p = ini_parse(BASE L_CURVE, &diag, &rc);
    CHECK(rc == CANSIM_OK && p, "base profile: %d (%s)", rc, diag.msg);
    if (p) {
        CansimProfileInfo info;
        cansim_profile_info(p, &info);
        CHECK(!strcmp(info.id, "t-1") && !strcmp(info.name, "Test") && !strcmp(info.back, "open") &&
                  !strcmp(info.rig, "none") && info.is_curve,
              "base profile: id '%s' name '%s' back '%s' rig '%s'", info.id, info.name, info.back,
              info.rig);
        cansim_profile_close(&p);
    }
    /* Tags: words separated by spaces or commas, kept one space apart; the in-ear forms and
     * rig. */
    p = ini_parse(BASE "tags = in-ear,  tws ,x-1\nform = earbud\n" L_CURVE, &diag, &rc);
    CHECK(rc == CANSIM_OK && p, "tags: %d (%s)", rc, diag.msg);
    if (p) {
        CansimProfileInfo info;
        cansim_profile_info(p, &info);
        CHECK(!strcmp(info.tags, "in-ear tws x-1") && !strcmp(info.form, "earbud"),
              "tags '%s', form '%s'", info.tags, info.form);
        cansim_profile_close(&p);
    }
    p = ini_parse(L_PROFILE L_ID L_NAME L_BACK "rig = iec-711\n" L_CURVE, &diag, &rc);
    CHECK(rc == CANSIM_OK && p, "rig = iec-711: %d (%s)", rc, diag.msg);
    cansim_profile_close(&p);
    /* CRLF line ends, comments, a BOM-less file with inline comments and every optional key. */
    p = ini_parse("; comment\r\n[profile]\r\nid = t_2.x ; the id\r\nname = Two\r\n"
                  "back = closed\r\nform = in-ear\r\nrig = gras\r\nsource = me; myself\r\n"
                  "credit = c\r\nnotes =\r\n\r\n[curve]\r\n20 = -1.5\r\n1e3 = 0\r\n2e4 = 3\r\n",
                  &diag, &rc);
    CHECK(rc == CANSIM_OK && p, "CRLF profile: %d (%s)", rc, diag.msg);
    if (p) {
        CansimProfileInfo info;
        cansim_profile_info(p, &info);
        CHECK(!strcmp(info.id, "t_2.x") && !strcmp(info.form, "in-ear") &&
                  !strcmp(info.source, "me; myself") && !strcmp(info.notes, ""),
              "CRLF profile: id '%s' form '%s' source '%s' notes '%s'", info.id, info.form,
              info.source, info.notes);
        cansim_profile_close(&p);
    }
}

static void test_ini_errors(void)
{
    /* Required keys: nothing to point at, so no line. */
    ini_fails("no id", L_PROFILE L_NAME L_BACK L_RIG L_CURVE, 0, "'id'");
    ini_fails("no name", L_PROFILE L_ID L_BACK L_RIG L_CURVE, 0, "'name'");
    ini_fails("no back", L_PROFILE L_ID L_NAME L_RIG L_CURVE, 0, "'back'");
    ini_fails("no rig", L_PROFILE L_ID L_NAME L_BACK L_CURVE, 0, "'rig'");

    ini_fails("unknown key", L_PROFILE L_ID L_NAME "colour = red\n" L_BACK L_RIG L_CURVE, 4,
              "colour");
    ini_fails("unknown section", BASE "[eq]\ngain = 3\n" L_CURVE, 6, "[eq]");
    ini_fails("unknown section, empty", BASE "[eq]\n" L_CURVE, 6, "[eq]");
    ini_fails("key twice", L_PROFILE L_ID L_NAME L_BACK "name = Again\n" L_RIG L_CURVE, 5, "twice");
    ini_fails("back = sideways", L_PROFILE L_ID L_NAME "back = sideways\n" L_RIG L_CURVE, 4,
              "sideways");
    ini_fails("rig = kemar", L_PROFILE L_ID L_NAME L_BACK "rig = kemar\n" L_CURVE, 5, "kemar");
    ini_fails("form = on-head", BASE "form = on-head\n" L_CURVE, 6, "on-head");
    ini_fails("tag with '/'", BASE "tags = tws a/b\n" L_CURVE, 6, "a/b");
    ini_fails("tags twice", BASE "tags = tws\ntags = iem\n" L_CURVE, 7, "twice");
    ini_fails("empty value", L_PROFILE L_ID "name =\n" L_BACK L_RIG L_CURVE, 3, "empty");
    ini_fails("empty value, spaces", L_PROFILE L_ID L_NAME "back =   \n" L_RIG L_CURVE, 4, "empty");
    ini_fails("not key = value", L_PROFILE L_ID "just some words\n" L_NAME L_BACK L_RIG L_CURVE, 3,
              NULL);
    ini_fails("key before any section", "id = t-1\n" BASE L_CURVE, 1, NULL);

    ini_fails("curve file and [curve]", BASE "curve = t.csv\n" L_CURVE, 0, "not both");
    ini_fails("no curve", BASE, 0, "no curve");

    /* [curve] points. */
    ini_fails("non-numeric frequency", BASE "[curve]\n20 = 0\n1k = 3\n20000 = 0\n", 8, "1k");
    ini_fails("non-numeric level", BASE "[curve]\n20 = 0\n1000 = loud\n20000 = 0\n", 8, "loud");
    ini_fails("trailing junk", BASE "[curve]\n20 = 0\n1000 = 3 dB\n20000 = 0\n", 8, NULL);
    ini_fails("frequency goes down", BASE "[curve]\n20 = 0\n1000 = 1\n500 = 2\n20000 = 0\n", 9,
              "below");
    ini_fails("frequency repeats", BASE "[curve]\n20 = 0\n1000 = 1\n1000 = 2\n20000 = 0\n", 9,
              "repeats");
    ini_fails("NaN level", BASE "[curve]\n20 = 0\n1000 = nan\n20000 = 0\n", 8, NULL);
    ini_fails("infinite level", BASE "[curve]\n20 = 0\n1000 = -inf\n20000 = 0\n", 8, NULL);
    ini_fails("infinite frequency", BASE "[curve]\n20 = 0\ninf = 1\n", 8, NULL);
    ini_fails("overflowing level", BASE "[curve]\n20 = 0\n1000 = 1e999\n20000 = 0\n", 8, NULL);
    ini_fails("zero frequency", BASE "[curve]\n0 = 0\n20000 = 0\n", 7, NULL);
    ini_fails("negative frequency", BASE "[curve]\n-20 = 0\n20000 = 0\n", 7, NULL);
    ini_fails("a single point", BASE "[curve]\n1000 = 0\n", 0, "two points");
    ini_fails("[curve] without points", BASE "[curve]\n", 0, NULL);

    /* Ids name output files. */
    ini_fails("id with '/'", L_PROFILE "id = ../evil\n" L_NAME L_BACK L_RIG L_CURVE, 2, "evil");
    ini_fails("id with a space", L_PROFILE "id = two words\n" L_NAME L_BACK L_RIG L_CURVE, 2, NULL);
    ini_fails("hidden id", L_PROFILE "id = .hidden\n" L_NAME L_BACK L_RIG L_CURVE, 2, NULL);

    /* Not profiles at all. */
    ini_fails("empty file", "", 0, NULL);
    ini_fails("blank and comments only", "\n; nothing\n\n", 0, NULL);

    /* The first problem is reported, with its own line. */
    ini_fails("two problems", L_PROFILE L_ID "colour = red\nback = sideways\n" L_RIG L_CURVE, 3,
              "colour");
}

/* A syntax error and a later semantic error: the line and the message must be the same one. */
static void test_ini_error_order(void)
{
    CansimDiag diag;
    int rc;
    CansimProfile *p = ini_parse(
        L_PROFILE L_ID "just some words\ncolour = red\n" L_NAME L_BACK L_RIG L_CURVE, &diag, &rc);
    CHECK(rc == CANSIM_EPROFILE && !p, "syntax then key error: %d", rc);
    CHECK(!(starts_with(diag.msg, "mem.ini:3: ") && strstr(diag.msg, "colour")),
          "syntax error on line 3, unknown key on line 4: diag \"%s\" puts line 4's problem "
          "on line 3",
          diag.msg);
    cansim_profile_close(&p);
}

/* Long lines. The fields hold 512 (source) and 1024 (notes) bytes, but inih reads lines of
 * at most INI_MAX_LINE (200 in Debian's build): a longer value must either load whole or fail
 * on its own line, never be cut or blamed on the next line. */
static void test_ini_long_lines(void)
{
    char value[700];
    char text[1024];
    static const struct {
        const char *key;
        size_t len;
        bool is_ok;
    } cases[] = {{"notes", 150, true},
                 {"notes", 250, true},
                 {"notes", 600, true},
                 {"source", 511, true},
                 {"source", 600, false}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        memset(value, 'x', cases[i].len);
        value[cases[i].len] = '\0';
        snprintf(text, sizeof text, BASE "%s = %s\n" L_CURVE, cases[i].key, value);
        char what[64];
        snprintf(what, sizeof what, "%s of %zu characters", cases[i].key, cases[i].len);
        CansimDiag diag;
        int rc;
        CansimProfile *p = ini_parse(text, &diag, &rc);
        if (p) {
            CansimProfileInfo info;
            cansim_profile_info(p, &info);
            const char *got = !strcmp(cases[i].key, "notes") ? info.notes : info.source;
            CHECK(cases[i].is_ok && !strcmp(got, value), "%s: loaded, read back %zu characters",
                  what, strlen(got));
            cansim_profile_close(&p);
        } else {
            expect_failure(what, rc, p, &diag, CANSIM_EPROFILE, "mem.ini", 6, NULL);
        }
    }
}

static void test_ini_binary(void)
{
    unit.rng = unit.seed;
    for (int round = 0; round < 16; round++) {
        const size_t n = 1 + (size_t)(unit_rand_u64() % 8192);
        char *buf = unit_xcalloc(n + 1, 1);
        for (size_t i = 0; i < n; i++)
            buf[i] = (char)(unit_rand_u64() & 0xff);
        buf[unit_rand_u64() % n] = '\0'; /* at least one NUL */
        CansimProfile *p = NULL;
        CansimDiag diag = {{0}};
        const int rc = cansim_profile_parse_ini(&p, buf, n, "mem.ini", NULL, &diag);
        expect_failure("random bytes", rc, p, &diag, CANSIM_EPROFILE, "mem.ini", 0, "text");
        cansim_profile_close(&p);
        free(buf);
    }
    /* A profile followed by a NUL and more: still not text. */
    const char good[] = BASE L_CURVE "\0[curve]\n";
    CansimProfile *p = NULL;
    CansimDiag diag = {{0}};
    const int rc = cansim_profile_parse_ini(&p, good, sizeof good - 1, "mem.ini", NULL, &diag);
    expect_failure("NUL inside", rc, p, &diag, CANSIM_EPROFILE, "mem.ini", 0, "text");
    cansim_profile_close(&p);
}

/* ------------------------------------------------------------------ files and CSV errors */

/* A profile file "<stem>.ini" with curve = <stem>.csv, the CSV holding csv_text. Returns the
 * .ini's path; *csv_path receives the CSV's. */
static const char *profile_with_csv(const char *stem, const char *rig, const char *csv_text,
                                    const char **csv_path)
{
    char name[300];
    snprintf(name, sizeof name, "%s.csv", stem);
    *csv_path = tmp_path(name);
    if (csv_text)
        write_text(*csv_path, csv_text);
    char text[1024];
    snprintf(text, sizeof text,
             "[profile]\nid = %s\nname = %s\nback = closed\nrig = %s\ncurve = %s\n", stem, stem,
             rig, name);
    snprintf(name, sizeof name, "%s.ini", stem);
    const char *ini = tmp_path(name);
    write_text(ini, text);
    return ini;
}

static void csv_fails(const char *what, const char *stem, const char *csv_text, int code, int line,
                      const char *want)
{
    const char *csv;
    const char *ini = profile_with_csv(stem, "gras", csv_text, &csv);
    load_fails(what, ini, code, csv, line, want);
    /* The same CSV as a bare measurement (-p file.csv). */
    if (csv_text) {
        char both[300];
        snprintf(both, sizeof both, "%s (bare CSV)", what);
        load_fails(both, csv, code, csv, line, want);
    }
}

static void test_csv_errors(void)
{
    csv_fails("header without frequency", "h1", "hz_x,raw\n20,0\n20000,0\n", CANSIM_EPROFILE, 1,
              "header");
    csv_fails("header without raw", "h2", "frequency\n20\n20000\n", CANSIM_EPROFILE, 1, "header");
    csv_fails("header without raw, two columns", "h3", "frequency,level\n20,0\n20000,0\n",
              CANSIM_EPROFILE, 1, "header");
    csv_fails("too few columns", "cols", "frequency,raw\n20,0\n1000\n20000,0\n", CANSIM_EPROFILE, 3,
              "columns");
    csv_fails("too few columns, raw third", "cols3",
              "frequency,error,raw\n20,0,0\n1000,1\n20000,0,0\n", CANSIM_EPROFILE, 3, "columns");
    csv_fails("non-numeric", "nonnum", "frequency,raw\n20,0\n1000,loud\n20000,0\n", CANSIM_EPROFILE,
              3, "loud");
    csv_fails("frequency goes down", "down", "frequency,raw\n20,0\n1000,1\n500,2\n20000,0\n",
              CANSIM_EPROFILE, 4, "below");
    csv_fails("frequency repeats", "dup", "frequency,raw\n20,0\n1000,1\n1000,2\n20000,0\n",
              CANSIM_EPROFILE, 4, "repeats");
    csv_fails("NaN", "nan", "frequency,raw\n20,0\n1000,nan\n20000,0\n", CANSIM_EPROFILE, 3,
              "finite");
    csv_fails("infinity", "inf", "frequency,raw\n20,0\ninf,0\n", CANSIM_EPROFILE, 3, "finite");
    csv_fails("overflow", "ovf", "frequency,raw\n20,0\n1000,1e999\n20000,0\n", CANSIM_EPROFILE, 3,
              NULL);
    csv_fails("a single point", "single", "frequency,raw\n1000,0\n", CANSIM_EPROFILE, 0,
              "single point");
    csv_fails("header only", "headonly", "frequency,raw\n", CANSIM_EPROFILE, 0, NULL);
    csv_fails("empty", "empty", "", CANSIM_EPROFILE, 0, NULL);
    /* Blank lines, comments and CR count as lines: the number is the file's. */
    csv_fails("line numbers count blank lines", "blank",
              "frequency,raw\r\n\r\n# a note\r\n20,0\r\n\r\n10,0\r\n", CANSIM_EPROFILE, 6, "below");
    csv_fails("missing CSV", "nocsv", NULL, CANSIM_EIO, 0, NULL);

    /* Binary data, and files past the size limit. */
    const char *csv;
    const char *ini = profile_with_csv("bin", "gras", NULL, &csv);
    const unsigned char bin[] = {'f', 'r', 0, 1, 2, 0xff, '\n', '2', '0', ',', '0', 0};
    write_bytes(csv, bin, sizeof bin);
    load_fails("binary CSV", ini, CANSIM_EPROFILE, csv, 0, "text");
    ini = profile_with_csv("huge", "gras", NULL, &csv);
    write_comments(csv, (size_t)CANSIM_MAX_TEXT_BYTES + 1, '#');
    load_fails("CSV over 4 MiB", ini, CANSIM_EPROFILE, csv, 0, NULL);
    load_fails("CSV over 4 MiB (bare)", csv, CANSIM_EPROFILE, csv, 0, NULL);

    const char *huge = tmp_path("huge-profile.ini");
    write_comments(huge, (size_t)CANSIM_MAX_TEXT_BYTES + 1, ';');
    load_fails("profile over 4 MiB", huge, CANSIM_EPROFILE, huge, 0, NULL);
    /* Exactly at the limit, the size is fine (it fails for what it holds, not its size). */
    write_comments(huge, CANSIM_MAX_TEXT_BYTES, ';');
    CansimProfile *p = NULL;
    CansimDiag diag = {{0}};
    const int rc = cansim_profile_load(&p, huge, &diag);
    CHECK(rc == CANSIM_EPROFILE && strstr(diag.msg, "no [profile] section"),
          "a 4 MiB profile of comments: %d, \"%s\" (want no [profile] section)", rc, diag.msg);
    cansim_profile_close(&p);

    const char *bin_ini = tmp_path("garbage.ini");
    unsigned char garbage[4096];
    for (size_t i = 0; i < sizeof garbage; i++)
        garbage[i] = (unsigned char)(unit_rand_u64() >> 56);
    garbage[100] = 0;
    write_bytes(bin_ini, garbage, sizeof garbage);
    load_fails("binary profile file", bin_ini, CANSIM_EPROFILE, bin_ini, 0, "text");

    const char *missing = tmp_path("no-such-profile.ini");
    load_fails("missing profile file", missing, CANSIM_EIO, missing, 0, NULL);

    /* A bad line in a file: the file's path and the line. */
    const char *bad = tmp_path("bad-back.ini");
    write_text(bad, "; a comment\n" BASE "back = sideways\n" L_CURVE);
    load_fails("profile file, back twice", bad, CANSIM_EPROFILE, bad, 7, "back");

    /* And a good one: the CSV's forms (no header, semicolons, tabs, extra columns). */
    ini = profile_with_csv("good", "gras", "20;0\n1000;1.5\n20000;-2\n", &csv);
    p = load_ok("headerless CSV with semicolons", ini);
    cansim_profile_close(&p);
    ini = profile_with_csv("good2", "gras",
                           "Frequency\tRaw\tError\n20\t0\t9\n1000\t1.5\tx\n20000\t-2\t\n", &csv);
    p = load_ok("tab-separated CSV with a header and more columns", ini);
    cansim_profile_close(&p);
}

/* The CSV parser on its own, and its points. */
static void test_csv_parse(void)
{
    CansimCurve c;
    CansimDiag diag = {{0}};
    const char text[] = "frequency,raw,error\n20,-1,5\n1000, 0 ,7\n20000,2.5,9\n";
    int rc = cansim_curve_parse_csv(text, sizeof text - 1, "t.csv", &c, &diag);
    CHECK(rc == CANSIM_OK && c.n == 3, "parse: %d, %zu points (%s)", rc, c.n, diag.msg);
    if (rc == CANSIM_OK && c.n == 3)
        CHECK(c.hz[0] == 20 && c.db[0] == -1 && c.hz[1] == 1000 && c.db[1] == 0 &&
                  c.hz[2] == 20000 && c.db[2] == 2.5,
              "parse: wrong points");
    cansim_curve_free(&c);
    /* raw need not be the second column. */
    const char swapped[] = "raw,frequency\n-1,20\n2,20000\n";
    rc = cansim_curve_parse_csv(swapped, sizeof swapped - 1, "t.csv", &c, &diag);
    CHECK(rc == CANSIM_OK && c.n == 2 && c.hz[0] == 20 && c.db[1] == 2,
          "raw before frequency: %d (%s)", rc, diag.msg);
    cansim_curve_free(&c);
    /* Not NUL-terminated: the parser reads n bytes only (ASan checks). */
    char *exact = unit_xcalloc(sizeof text - 1, 1);
    memcpy(exact, text, sizeof text - 1);
    rc = cansim_curve_parse_csv(exact, sizeof text - 1, "t.csv", &c, &diag);
    CHECK(rc == CANSIM_OK && c.n == 3, "unterminated text: %d (%s)", rc, diag.msg);
    cansim_curve_free(&c);
    free(exact);
}

/* ------------------------------------------------------------------ designs */

static CansimProfile *bundled(const char *id)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s.ini", CANSIM_PROFILE_DIR, id);
    CansimProfile *p = load_ok("bundled", path);
    if (!p) {
        fprintf(stderr, "cannot go on without %s\n", path);
        exit(99);
    }
    return p;
}

static CansimDesignConfig design_config(void)
{
    CansimDesignConfig d = cansim_design_default_config();
    d.targets_dir = TARGETS_DIR;
    return d;
}

/* |H(f)| in dB of n taps at rate, by a direct DFT in double. */
static double mag_db(const float *h, size_t n, double f, double rate)
{
    const double w = 2.0 * M_PI * f / rate;
    double re = 0.0;
    double im = 0.0;
    for (size_t i = 0; i < n; i++) {
        re += (double)h[i] * cos(w * (double)i);
        im -= (double)h[i] * sin(w * (double)i);
    }
    return 10.0 * log10(re * re + im * im);
}

#define N_FREQS 100

/* 20 Hz to 20 kHz, log-spaced. */
static double freq_at(int k)
{
    return 20.0 * pow(1000.0, (double)k / (N_FREQS - 1));
}

static CansimProfile *design_ok(const char *what, const CansimProfile *p,
                                const CansimDesignConfig *d)
{
    CansimProfile *fir = NULL;
    CansimDiag diag = {{0}};
    const int rc = cansim_profile_design(&fir, p, d, RATE, &diag);
    CHECK(rc == CANSIM_OK && fir, "%s: design %d (%s): %s", what, rc, cansim_strerror(rc),
          diag.msg);
    return rc == CANSIM_OK ? fir : NULL;
}

/* The designed filter is diagonal, the same on both sides, and flat within FLAT_TOL_DB. */
static void expect_flat(const char *what, const CansimProfile *p, const CansimDesignConfig *d)
{
    CansimProfile *fir = design_ok(what, p, d);
    if (!fir)
        return;
    const size_t n = cansim_profile_n_taps(fir);
    const float *ll = cansim_profile_taps(fir, CANSIM_CELL_LL);
    const float *rr = cansim_profile_taps(fir, CANSIM_CELL_RR);
    CHECK(ll && rr && !memcmp(ll, rr, n * sizeof *ll), "%s: LL and RR differ", what);
    CHECK(!cansim_profile_taps(fir, CANSIM_CELL_LR) && !cansim_profile_taps(fir, CANSIM_CELL_RL),
          "%s: cross cells in a design without crossfeed", what);
    double worst = 0.0;
    double worst_hz = 0.0;
    for (int k = 0; ll && k < N_FREQS; k++) {
        const double db = mag_db(ll, n, freq_at(k), RATE);
        if (!(fabs(db) <= worst)) {
            worst = fabs(db);
            worst_hz = freq_at(k);
        }
    }
    CHECK(worst <= FLAT_TOL_DB, "%s: |H| is %.4f dB off flat at %.1f Hz (%zu taps)", what, worst,
          worst_hz, n);
    printf("flat: %s: within %.2g dB (%zu taps)\n", what, worst, n);
    cansim_profile_close(&fir);
}

static void test_flat_designs(void)
{
    CansimDesignConfig d = design_config();
    CansimProfile *ref = bundled("reference");
    expect_flat("reference", ref, &d);
    expect_flat("reference, no design config", ref, NULL);

    static const char *const ons[] = {"sony-mdr-7506", "sennheiser-hd-650",
                                      "sennheiser-hd-280-pro-innerfidelity"};
    for (size_t i = 0; i < sizeof ons / sizeof *ons; i++) {
        CansimProfile *x = bundled(ons[i]);
        d.on = x;
        char what[256];
        snprintf(what, sizeof what, "%s --on itself", ons[i]);
        expect_flat(what, x, &d);
        d.on = NULL;
        cansim_profile_close(&x);
    }

    /* A target file equal to the headphone's own curve: nothing left to simulate. */
    CansimProfile *hd650 = bundled("sennheiser-hd-650");
    d.target = CANSIM_PROFILE_DIR "/sennheiser-hd-650.csv";
    expect_flat("hd-650 against its own curve as --target FILE", hd650, &d);
    cansim_profile_close(&hd650);
    cansim_profile_close(&ref);

    /* A flat curve whose first point is at a frequency so low that the ratio to 20 kHz
     * overflows a double: the parser may refuse it (on its line), or it must design flat. */
    d = design_config();
    CansimDiag diag;
    int rc;
    CansimProfile *tiny = ini_parse(BASE "[curve]\n1e-307 = 0\n20000 = 0\n", &diag, &rc);
    if (tiny)
        expect_flat("flat curve from 1e-307 Hz", tiny, &d);
    else
        expect_failure("flat curve from 1e-307 Hz", rc, tiny, &diag, CANSIM_EPROFILE, "mem.ini", 7,
                       NULL);
    cansim_profile_close(&tiny);
}

/* On the 1/48-octave grid the design uses, plus points between. */
static size_t dense_grid(double *hz, size_t max)
{
    size_t n = 0;
    for (double x = log2(20.0); x <= log2(20000.0) && n < max; x += 1.0 / 97.0)
        hz[n++] = exp2(x);
    return n;
}

#define N_DENSE 1024

/* The simulated response of hp heard on `on` against hp's and on's own responses, with the
 * boost limit at limit_db. */
static void expect_on_is_a_difference(const char *hp_id, const char *on_id, double limit_db)
{
    CansimProfile *hp = bundled(hp_id);
    CansimProfile *on = bundled(on_id);
    CansimDesignConfig d = design_config();
    d.boost_limit_db = limit_db;
    double *hz = unit_xcalloc(N_DENSE, sizeof *hz);
    double *a = unit_xcalloc(N_DENSE, sizeof *a);
    double *b = unit_xcalloc(N_DENSE, sizeof *b);
    double *ab = unit_xcalloc(N_DENSE, sizeof *ab);
    const size_t n = dense_grid(hz, N_DENSE);
    CansimDiag diag = {{0}};
    int rc = cansim_profile_response_db(hp, &d, hz, a, n, &diag);
    rc = rc ? rc : cansim_profile_response_db(on, &d, hz, b, n, &diag);
    d.on = on;
    rc = rc ? rc : cansim_profile_response_db(hp, &d, hz, ab, n, &diag);
    CHECK(rc == CANSIM_OK, "%s on %s: responses %d (%s)", hp_id, on_id, rc, diag.msg);
    /* Each rig's target cancels in (hp - target) - (on - its target), smoothing is linear,
     * and all three are normalised at 1 kHz on one grid: so hp on `on` is hp - on, except
     * where the boost limit (the only non-linear step) clips one of the three. The response
     * interpolates between grid points 1/48 octave apart, two of ours: a point is compared
     * when no curve comes within 0.5 dB of the limit within two points of it. */
    double worst = 0.0;
    double worst_hz = 0.0;
    size_t n_skipped = 0;
    for (size_t i = 0; rc == CANSIM_OK && i < n; i++) {
        bool is_near_limit = false;
        for (size_t j = i < 2 ? 0 : i - 2; j <= i + 2 && j < n; j++)
            is_near_limit = is_near_limit || fmax(fmax(a[j], b[j]), ab[j]) > limit_db - 0.5;
        if (is_near_limit) {
            n_skipped++;
            continue;
        }
        const double e = fabs(ab[i] - (a[i] - b[i]));
        if (!(e <= worst)) {
            worst = e;
            worst_hz = hz[i];
        }
    }
    printf("on: %s on %s, limit %g dB: the difference within %.2g dB (%zu of %zu points near "
           "the limit)\n",
           hp_id, on_id, limit_db, worst, n_skipped, n);
    CHECK(worst <= 0.05, "%s on %s, limit %g dB: %.4f dB from their difference at %.1f Hz", hp_id,
          on_id, limit_db, worst, worst_hz);
    CHECK(n_skipped < n / 10,
          "%s on %s, limit %g dB: %zu of %zu frequencies near the limit: "
          "the comparison says little",
          hp_id, on_id, limit_db, n_skipped, n);
    free(hz);
    free(a);
    free(b);
    free(ab);
    cansim_profile_close(&on);
    cansim_profile_close(&hp);
}

static void test_on_is_a_difference(void)
{
    static const char *const pairs[][2] = {
        {"sennheiser-hd-650", "sony-mdr-7506"},
        /* Across rigs: an HMS II.3 measurement heard on a GRAS one, and the other way. */
        {"sennheiser-hd-280-pro-innerfidelity", "sennheiser-hd-650"},
        {"sony-mdr-7506", "sennheiser-hd-280-pro-innerfidelity"},
        /* An open-back heard on an IEM (in-ear simulator and its target), and the other way;
         * a true-wireless on an over-ear from the HMS II.3. */
        {"sennheiser-hd-650", "shure-se215"},
        {"sony-ier-m9", "sennheiser-hd-600"},
        {"sony-wf-1000xm4", "sennheiser-hd-280-pro-innerfidelity"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        expect_on_is_a_difference(pairs[i][0], pairs[i][1], 12.0); /* the default */
        expect_on_is_a_difference(pairs[i][0], pairs[i][1], 60.0); /* never reached */
    }
}

static void test_targets(void)
{
    CansimProfile *hd650 = bundled("sennheiser-hd-650");
    CansimProfile *hd280 = bundled("sennheiser-hd-280-pro-innerfidelity");
    CansimDesignConfig d = design_config();
    CansimProfile *fir = NULL;
    CansimDiag diag = {{0}};

    d.target = "diffuse-field";
    fir = design_ok("diffuse-field on a gras profile", hd650, &d);
    cansim_profile_close(&fir);
    int rc = cansim_profile_design(&fir, hd280, &d, RATE, &diag);
    /* The missing target is named first, then the profile that wanted it. */
    expect_failure("diffuse-field on the hms-ii3 profile", rc, fir, &diag, CANSIM_EPROFILE,
                   TARGETS_DIR "/hms-ii3/diffuse-field.csv", 0,
                   "for the hms-ii3 rig (wanted by sennheiser-hd-280-pro-innerfidelity)");
    cansim_profile_close(&fir);

    d.target = "nosuch";
    rc = cansim_profile_design(&fir, hd650, &d, RATE, &diag);
    expect_failure("unknown target name", rc, fir, &diag, CANSIM_EPROFILE,
                   TARGETS_DIR "/gras/nosuch.csv", 0,
                   "no 'nosuch' target for the gras rig (wanted by sennheiser-hd-650)");
    cansim_profile_close(&fir);

    d.target = "harman";
    d.targets_dir = NULL;
    rc = cansim_profile_design(&fir, hd650, &d, RATE, &diag);
    CHECK(rc == CANSIM_EPROFILE && !fir, "harman without a targets dir: %d", rc);
    cansim_profile_close(&fir);

    /* A target file is used as is, for every rig: the gras Harman file gives what the gras
     * Harman name gives. */
    d = design_config();
    const char *file = tmp_path("my-target.csv");
    char *text = read_all(TARGETS_DIR "/gras/harman.csv");
    write_text(file, text);
    free(text);
    double hz[N_FREQS];
    double by_name[N_FREQS];
    double by_file[N_FREQS];
    for (int k = 0; k < N_FREQS; k++)
        hz[k] = freq_at(k);
    rc = cansim_profile_response_db(hd650, &d, hz, by_name, N_FREQS, &diag);
    CHECK(rc == CANSIM_OK, "hd-650 response: %d (%s)", rc, diag.msg);
    d.target = file;
    rc = cansim_profile_response_db(hd650, &d, hz, by_file, N_FREQS, &diag);
    CHECK(rc == CANSIM_OK, "hd-650 response, target file: %d (%s)", rc, diag.msg);
    double worst = 0.0;
    for (int k = 0; k < N_FREQS; k++)
        worst = fmax(worst, fabs(by_name[k] - by_file[k]));
    CHECK(worst <= 1e-9, "target file = gras harman.csv differs from 'harman' by %g dB", worst);
    fir = design_ok("target file on the hms-ii3 profile", hd280, &d);
    cansim_profile_close(&fir);

    /* A target file that is not a curve: EPROFILE naming it and its line. */
    const char *bad = tmp_path("bad-target.csv");
    write_text(bad, "frequency,raw\n20,0\n10,0\n");
    d.target = bad;
    rc = cansim_profile_design(&fir, hd650, &d, RATE, &diag);
    expect_failure("bad target file", rc, fir, &diag, CANSIM_EPROFILE, bad, 3, NULL);
    cansim_profile_close(&fir);

    cansim_profile_close(&hd280);
    cansim_profile_close(&hd650);
}

/* A headphone curve: the gras Harman target with dev_db added between lo_hz and hi_hz. */
static const char *curve_profile(const char *stem, double lo_hz, double hi_hz, double dev_db)
{
    char *text = read_all(TARGETS_DIR "/gras/harman.csv");
    CansimCurve t;
    CansimDiag diag = {{0}};
    if (cansim_curve_parse_csv(text, strlen(text), "harman.csv", &t, &diag)) {
        fprintf(stderr, "%s\n", diag.msg);
        exit(99);
    }
    free(text);
    const size_t cap = 64 + 48 * t.n;
    char *csv = unit_xcalloc(cap, 1);
    size_t len = (size_t)snprintf(csv, cap, "frequency,raw\n");
    for (size_t i = 0; i < t.n; i++) {
        const double v = t.db[i] + (t.hz[i] >= lo_hz && t.hz[i] <= hi_hz ? dev_db : 0.0);
        len += (size_t)snprintf(csv + len, cap - len, "%.6g,%.6g\n", t.hz[i], v);
    }
    cansim_curve_free(&t);
    const char *csv_path;
    const char *ini = profile_with_csv(stem, "gras", csv, &csv_path);
    free(csv);
    return ini;
}

/* The largest boost of the response and of the designed filter, relative to 1 kHz. */
static void expect_boost_limited(const char *what, const char *ini, double limit)
{
    CansimProfile *p = load_ok(what, ini);
    if (!p)
        return;
    CansimDesignConfig d = design_config();
    d.boost_limit_db = limit;
    double *hz = unit_xcalloc(N_DENSE, sizeof *hz);
    double *db = unit_xcalloc(N_DENSE, sizeof *db);
    const size_t n = dense_grid(hz, N_DENSE);
    CansimDiag diag = {{0}};
    const int rc = cansim_profile_response_db(p, &d, hz, db, n, &diag);
    CHECK(rc == CANSIM_OK, "%s: response %d (%s)", what, rc, diag.msg);
    double top = -HUGE_VAL;
    for (size_t i = 0; i < n; i++)
        top = fmax(top, db[i]);
    /* The limit holds exactly, and is reached (else the test tests nothing). */
    CHECK(top <= limit + 1e-9 && top >= limit - 0.01, "%s: response peaks at %+.4f dB, want %+g",
          what, top, limit);

    CansimProfile *fir = design_ok(what, p, &d);
    if (fir) {
        const float *h = cansim_profile_taps(fir, CANSIM_CELL_LL);
        const size_t n_taps = cansim_profile_n_taps(fir);
        const double at_1k = mag_db(h, n_taps, 1000.0, RATE);
        double peak = -HUGE_VAL;
        double peak_hz = 0.0;
        for (int k = 0; k < N_FREQS; k++) {
            const double g = mag_db(h, n_taps, freq_at(k), RATE) - at_1k;
            if (g > peak) {
                peak = g;
                peak_hz = freq_at(k);
            }
        }
        /* The design follows the response within max_error_db (0.1 dB) at 1 kHz and at the
         * peak: 0.2 dB in all. */
        printf("boost: %s: response peaks at %+.4f dB, filter at %+.3f dB\n", what, top, peak);
        CHECK(peak <= limit + 0.2, "%s: the filter boosts %+.3f dB at %.1f Hz (limit %+g)", what,
              peak, peak_hz, limit);
        cansim_profile_close(&fir);
    }
    free(hz);
    free(db);
    cansim_profile_close(&p);
}

static void test_boost_limit(void)
{
    /* A 30 dB dip at 1 kHz: normalised there, everything else would rise 30 dB. */
    const char *dip = curve_profile("dip", 700.0, 1400.0, -30.0);
    expect_boost_limited("30 dB dip at 1 kHz", dip, 12.0);
    expect_boost_limited("30 dB dip at 1 kHz, limit 6 dB", dip, 6.0);
    /* A 30 dB peak at 4-6 kHz. */
    const char *peak = curve_profile("peak", 4000.0, 6000.0, 30.0);
    expect_boost_limited("30 dB peak at 5 kHz", peak, 12.0);
}

static void test_minimum_phase(void)
{
    CansimProfile *hd650 = bundled("sennheiser-hd-650");
    CansimDesignConfig d = design_config();
    CansimProfile *fir = design_ok("hd-650", hd650, &d);
    if (fir) {
        const float *h = cansim_profile_taps(fir, CANSIM_CELL_LL);
        const size_t n = cansim_profile_n_taps(fir);
        const size_t n_10ms = (size_t)(0.010 * RATE);
        double head = 0.0;
        double total = 0.0;
        for (size_t i = 0; i < n; i++) {
            total += (double)h[i] * (double)h[i];
            if (i < n_10ms)
                head += (double)h[i] * (double)h[i];
        }
        printf("minimum phase: hd-650: %.6f of the energy in 10 ms\n", head / total);
        CHECK(head >= 0.99 * total, "hd-650: %.4f of the energy in the first 10 ms", head / total);
        cansim_profile_close(&fir);
    }
    cansim_profile_close(&hd650);
}

static void test_api_errors(void)
{
    CansimProfile *hd650 = bundled("sennheiser-hd-650");
    CansimDesignConfig d = design_config();
    const float one = 1.0f;
    const float *cells[4] = {&one, NULL, NULL, &one};
    CansimProfile *ir = NULL;
    CansimDiag diag = {{0}};
    int rc = cansim_profile_from_taps(&ir, "ir", RATE, 1, cells, &diag);
    CHECK(rc == CANSIM_OK, "from_taps: %d", rc);
    double hz = 1000.0;
    double db = 0.0;
    rc = cansim_profile_response_db(ir, &d, &hz, &db, 1, &diag);
    CHECK(rc == CANSIM_EINVAL, "response of an impulse response: %d, want EINVAL", rc);
    d.on = ir;
    CansimProfile *fir = NULL;
    rc = cansim_profile_design(&fir, hd650, &d, RATE, &diag);
    CHECK(rc == CANSIM_EPROFILE && !fir, "--on an impulse response: %d, want EPROFILE", rc);
    cansim_profile_close(&fir);
    d.on = NULL;
    rc = cansim_profile_design(&fir, hd650, &d, 4000.0, &diag);
    CHECK(rc == CANSIM_ERATE && !fir, "design at 4 kHz: %d, want ERATE", rc);
    cansim_profile_close(&fir);
    cansim_profile_close(&ir);
    cansim_profile_close(&hd650);
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 20240611);
    tmp_init("cansim-test-profiles.");
    test_drawer();
    test_ini_good();
    test_ini_errors();
    test_ini_error_order();
    test_ini_long_lines();
    test_ini_binary();
    test_csv_errors();
    test_csv_parse();
    test_flat_designs();
    test_on_is_a_difference();
    test_targets();
    test_boost_limit();
    test_minimum_phase();
    test_api_errors();
    tmp_cleanup();
    return unit_finish("test_profiles");
}

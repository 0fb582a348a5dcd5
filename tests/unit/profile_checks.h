/* SPDX-License-Identifier: MIT */
/* Shared by the profile tests: a scratch directory of named files, and checks of failures
 * (code, no object, one line naming the file and its line). Each test is one TU. */
#ifndef CANSIM_TESTS_PROFILE_CHECKS_H
#define CANSIM_TESTS_PROFILE_CHECKS_H

#include <cansim/cansim.h>

#include <stdbool.h>

#include "profile_format.h"
#include "unit.h"
#include "unit_files.h"

/* The base profile, one line each: */
#define L_PROFILE "[profile]\n"                  /* 1 */
#define L_ID      "id = t-1\n"                   /* 2 */
#define L_NAME    "name = Test\n"                /* 3 */
#define L_BACK    "back = open\n"                /* 4 */
#define L_RIG     "rig = none\n"                 /* 5 */
#define L_CURVE   "[curve]\n20 = 0\n20000 = 0\n" /* 6, 7, 8 */
#define BASE      L_PROFILE L_ID L_NAME L_BACK L_RIG

/* ------------------------------------------------------------------ temp files */

static char tmp_dir[4096];
static char *created[256];
static size_t n_created;

static inline const char *tmp_path(const char *name)
{
    char buf[8192];
    snprintf(buf, sizeof buf, "%s/%s", tmp_dir, name);
    for (size_t i = 0; i < n_created; i++)
        if (!strcmp(created[i], buf))
            return created[i];
    if (n_created == sizeof created / sizeof *created) {
        fprintf(stderr, "too many temp files\n");
        exit(99);
    }
    created[n_created] = unit_xcalloc(strlen(buf) + 1, 1);
    memcpy(created[n_created], buf, strlen(buf) + 1);
    return created[n_created++];
}

static inline void tmp_init(const char *prefix)
{
    unit_make_tmp_dir(tmp_dir, sizeof tmp_dir, prefix);
}

static inline void tmp_cleanup(void)
{
    for (size_t i = 0; i < n_created; i++)
        free(created[i]);
    unit_remove_tree(tmp_dir);
}

static inline void write_bytes(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(99);
    }
}

static inline void write_text(const char *path, const char *text)
{
    write_bytes(path, text, strlen(text));
}

/* A file of n bytes: comment lines, valid text in every format. */
static inline void write_comments(const char *path, size_t n, char comment)
{
    char *buf = unit_xcalloc(n, 1);
    for (size_t i = 0; i < n; i++)
        buf[i] = i % 64 == 63 ? '\n' : i % 64 == 0 ? comment : 'x';
    write_bytes(path, buf, n);
    free(buf);
}

static inline char *read_all(const char *path)
{
    char *text = NULL;
    size_t n = 0;
    CansimDiag diag = {{0}};
    if (cansim_read_text(path, CANSIM_MAX_TEXT_BYTES, &text, &n, &diag)) {
        fprintf(stderr, "cannot read %s: %s\n", path, diag.msg);
        exit(99);
    }
    return text;
}

/* ------------------------------------------------------------------ diag checks */

static inline bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A failure: rc == code, no object, and one line that starts "file:LINE: " (line > 0) or
 * "file: " (line 0: nothing to point at) and contains want. */
static inline void expect_failure(const char *what, int rc, const void *obj, const CansimDiag *diag,
                                  int code, const char *file, int line, const char *want)
{
    CHECK(rc == code, "%s: returned %d (%s), want %d (%s); diag \"%s\"", what, rc,
          cansim_strerror(rc), code, cansim_strerror(code), diag->msg);
    CHECK(obj == NULL, "%s: a failure returned an object", what);
    CHECK(strchr(diag->msg, '\n') == NULL && diag->msg[0] != '\0',
          "%s: diag \"%s\" is not one line", what, diag->msg);
    char prefix[8192];
    if (line > 0)
        snprintf(prefix, sizeof prefix, "%s:%d: ", file, line);
    else
        snprintf(prefix, sizeof prefix, "%s: ", file);
    CHECK(starts_with(diag->msg, prefix), "%s: diag \"%s\" does not start with \"%s\"", what,
          diag->msg, prefix);
    CHECK(!want || strstr(diag->msg, want), "%s: diag \"%s\" does not mention \"%s\"", what,
          diag->msg, want);
}

/* Profile text parsed in memory under the name "mem.ini" (no curve files allowed). */
static inline CansimProfile *ini_parse(const char *text, CansimDiag *diag, int *rc)
{
    CansimProfile *p = NULL;
    *diag = (CansimDiag){{0}};
    *rc = cansim_profile_parse_ini(&p, text, strlen(text), "mem.ini", NULL, diag);
    return p;
}

static inline void ini_fails(const char *what, const char *text, int line, const char *want)
{
    CansimDiag diag;
    int rc;
    CansimProfile *p = ini_parse(text, &diag, &rc);
    expect_failure(what, rc, p, &diag, CANSIM_EPROFILE, "mem.ini", line, want);
    cansim_profile_close(&p);
}

static inline void load_fails(const char *what, const char *path, int code, const char *file,
                              int line, const char *want)
{
    CansimProfile *p = NULL;
    CansimDiag diag = {{0}};
    const int rc = cansim_profile_load(&p, path, &diag);
    expect_failure(what, rc, p, &diag, code, file, line, want);
    cansim_profile_close(&p);
}

static inline CansimProfile *load_ok(const char *what, const char *path)
{
    CansimProfile *p = NULL;
    CansimDiag diag = {{0}};
    const int rc = cansim_profile_load(&p, path, &diag);
    CHECK(rc == CANSIM_OK && p, "%s: cansim_profile_load(%s) = %d (%s): %s", what, path, rc,
          cansim_strerror(rc), diag.msg);
    return p;
}

#endif

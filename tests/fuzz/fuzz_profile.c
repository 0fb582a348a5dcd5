/* SPDX-License-Identifier: MIT */
/* libFuzzer target: profile files (INI) through cansim_profile_parse_ini() with curve files
 * forbidden, then the simulated response and a design of whatever parses. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken promise of the parser: say which, and crash, so that libFuzzer keeps the input. */
#define require(cond) require_at(cond, #cond, __LINE__)
static void require_at(bool ok, const char *what, int line)
{
    if (ok)
        return;
    fprintf(stderr, "%s:%d: broken: %s\n", __FILE__, line, what);
    abort();
}

/* Every failure is one line that names the file. */
static void require_diag(const CansimDiag *diag, const char *name)
{
    require(strncmp(diag->msg, name, strlen(name)) == 0);
    require(strchr(diag->msg, '\n') == NULL);
    /* Messages quote profile text, which is UTF-8 or refused: they stay UTF-8. */
    require(cansim_utf8_valid_prefix(diag->msg, strlen(diag->msg)) == strlen(diag->msg));
}

static bool id_is_plain(const char *id)
{
    if (!*id || *id == '.')
        return false;
    for (const char *c = id; *c; c++)
        if (!(*c >= 'a' && *c <= 'z') && !(*c >= 'A' && *c <= 'Z') && !(*c >= '0' && *c <= '9') &&
            *c != '-' && *c != '_' && *c != '.')
            return false;
    return true;
}

static void exercise(const CansimProfile *p)
{
    CansimProfileInfo info;
    cansim_profile_info(p, &info);
    require(info.is_curve && id_is_plain(info.id));
    /* Everything a report or page shows is UTF-8. */
    const char *const texts[] = {info.name, info.source, info.credit, info.notes};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        require(cansim_utf8_valid_prefix(texts[i], strlen(texts[i])) == strlen(texts[i]));
    require(!strcmp(info.back, "open") || !strcmp(info.back, "closed") ||
            !strcmp(info.back, "none"));

    CansimDesignConfig d = cansim_design_default_config();
    d.targets_dir = CANSIM_FUZZ_TARGETS_DIR;
    static const double hz[] = {0.0, 1.0, 20.0, 1000.0, 5000.0, 20000.0, 96000.0};
    double db[sizeof hz / sizeof *hz];
    CansimDiag diag = {{0}};
    int e = cansim_profile_response_db(p, &d, hz, db, sizeof hz / sizeof *hz, &diag);
    if (e == CANSIM_OK) {
        for (size_t i = 0; i < sizeof hz / sizeof *hz; i++)
            require(isfinite(db[i]) && db[i] <= d.boost_limit_db + 1e-9);
        /* 0 dB at 1 kHz (design.h), unless a clip at the boost limit moved it. */
        double top = -HUGE_VAL;
        for (size_t i = 0; i < sizeof hz / sizeof *hz; i++)
            top = fmax(top, db[i]);
        require(fabs(db[3]) < 1e-6 || top >= d.boost_limit_db - 1e-9);
    } else {
        require(e == CANSIM_EPROFILE && strchr(diag.msg, '\n') == NULL);
    }

    /* The lowest rate keeps the transforms small (8192 points). */
    CansimProfile *fir = NULL;
    e = cansim_profile_design(&fir, p, &d, 8000.0, &diag);
    if (e == CANSIM_OK) {
        const size_t n = cansim_profile_n_taps(fir);
        require(n >= 1 && n <= CANSIM_MAX_TAPS && cansim_profile_rate(fir) == 8000.0);
        require(cansim_profile_taps(fir, CANSIM_CELL_LL) != NULL);
    } else {
        require(fir == NULL && strchr(diag.msg, '\n') == NULL);
    }
    cansim_profile_close(&fir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* cansim_read_text() refuses larger files before any parsing. */
    if (size > CANSIM_MAX_TEXT_BYTES)
        return 0;
    /* The parser takes the text as cansim_read_text() gives it: NUL-terminated at n. */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    CansimProfile *p = NULL;
    CansimDiag diag = {{0}};
    const int e = cansim_profile_parse_ini(&p, text, size, "fuzz.ini", NULL, &diag);
    free(text);
    if (e == CANSIM_OK) {
        require(p != NULL);
        exercise(p);
    } else {
        require((e == CANSIM_EPROFILE || e == CANSIM_ENOMEM) && p == NULL);
        require_diag(&diag, "fuzz.ini");
    }
    cansim_profile_close(&p);
    return 0;
}

/* SPDX-License-Identifier: MIT */
/* libFuzzer target: response curves (AutoEq CSV) through cansim_curve_parse_csv(), on the
 * input's exact bytes (no terminating NUL), then the simulated response of what parses. */
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > CANSIM_MAX_TEXT_BYTES)
        return 0;
    CansimCurve c;
    CansimDiag diag = {{0}};
    const int e = cansim_curve_parse_csv((const char *)data, size, "fuzz.csv", &c, &diag);
    if (e != CANSIM_OK) {
        require(e == CANSIM_EPROFILE || e == CANSIM_ENOMEM);
        require(c.n == 0 && c.hz == NULL && c.db == NULL);
        require(strncmp(diag.msg, "fuzz.csv", 8) == 0 && strchr(diag.msg, '\n') == NULL);
        /* What a message quotes from the file is printable ASCII. */
        for (const char *m = diag.msg; *m; m++)
            require(*m >= 0x20 && *m < 0x7f);
        return 0;
    }
    /* What the parser promises (profiles/README.md). */
    require(c.n >= 2 && c.n <= 100000 && c.hz && c.db);
    for (size_t i = 0; i < c.n; i++) {
        require(isfinite(c.hz[i]) && c.hz[i] > 0.0 && c.hz[i] <= 1e6);
        require(isfinite(c.db[i]) && fabs(c.db[i]) <= 200.0);
        require(i == 0 || c.hz[i] > c.hz[i - 1]);
    }
    require(c.hz[0] <= CANSIM_CURVE_LOW_HZ && c.hz[c.n - 1] >= CANSIM_CURVE_HIGH_HZ);
    /* Any such curve designs against a flat reference. */
    double flat_hz[2] = {10.0, 100000.0};
    double flat_db[2] = {0.0, 0.0};
    const CansimCurve flat = {.n = 2, .hz = flat_hz, .db = flat_db};
    CansimDesignParams params;
    cansim_design_default_params(&params);
    CansimCurve sim;
    require(cansim_design_simulated(&c, &flat, &params, &sim, &diag) == CANSIM_OK);
    bool is_clipped = false;
    for (size_t i = 0; i < sim.n; i++) {
        require(isfinite(sim.db[i]) && sim.db[i] <= params.boost_limit_db);
        is_clipped = is_clipped || sim.db[i] >= params.boost_limit_db;
    }
    /* Normalised: 0 dB at norm_hz (design.h), unless a clip at the boost limit moved it. */
    require(fabs(cansim_curve_eval(&sim, params.norm_hz)) < 1e-6 || is_clipped);
    cansim_curve_free(&sim);
    cansim_curve_free(&c);
    return 0;
}

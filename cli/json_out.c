/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "json_out.h"

json_t *json_finite(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

json_t *json_db(double v)
{
    if (!isfinite(v))
        return json_null();
    return json_real((double)(long long)(v * 100.0 + (v < 0 ? -0.5 : 0.5)) / 100.0);
}

void json_print_line(json_t *ev)
{
    char *text = json_dumps(ev, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(6));
    if (text)
        printf("%s\n", text);
    fflush(stdout);
    free(text);
    json_decref(ev);
}

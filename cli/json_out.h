/* SPDX-License-Identifier: MIT */
/* JSON values and lines as the command writes them: levels to 0.01 dB, what is not finite as
 * null, one event per line. */
#ifndef CANSIM_CLI_JSON_OUT_H
#define CANSIM_CLI_JSON_OUT_H

#include <jansson.h>

/* v as a JSON real, or null when it is NaN or infinite. */
json_t *json_finite(double v);
/* A level in dB (LUFS, dBTP, a gain) to 0.01 dB, halves away from zero; null when not
 * finite (-inf: silence). */
json_t *json_db(double v);
/* ev as one compact line on stdout (ASCII, reals to 6 digits), flushed; takes ev's reference. */
void json_print_line(json_t *ev);

#endif

/* SPDX-License-Identifier: MIT */
/* Profiles from files: impulse-response audio files, bare AutoEq measurements, and profile
 * files (parsed by profile_ini.c), told apart by their names. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio_io.h"
#include "profile_format.h"
#include "profile_object.h"

int cansim_profile_load_ir(CansimProfile **out, const char *path, CansimDiag *diag)
{
    *out = NULL;
    SNDFILE *sf;
    SF_INFO info;
    int e = cansim_check_regular(path, diag); /* libsndfile would wait on a FIFO */
    if (e)
        return e;
    e = cansim_audio_open_read(path, &sf, &info, diag);
    if (e)
        return e == CANSIM_EFORMAT || e == CANSIM_EIO || e == CANSIM_ERATE ? e : CANSIM_EPROFILE;
    const int n_ch = info.channels;
    float *buf = NULL;
    float *planes[4] = {NULL, NULL, NULL, NULL};
    if (n_ch != 1 && n_ch != 2 && n_ch != 4) {
        e = cansim_diag_set(diag, CANSIM_EPROFILE,
                            "%s: impulse response has %d channels (1, 2 or 4 expected)", path,
                            n_ch);
        goto done;
    }
    if (info.frames < 1 || (uint64_t)info.frames > CANSIM_MAX_TAPS) {
        e = cansim_diag_set(diag, CANSIM_EPROFILE,
                            "%s: impulse response has %lld frames (1 to %u allowed)", path,
                            (long long)info.frames, CANSIM_MAX_TAPS);
        goto done;
    }
    const size_t n = (size_t)info.frames;
    buf = cansim_alloc_floats(n * (size_t)n_ch);
    for (int c = 0; c < n_ch; c++)
        planes[c] = cansim_alloc_floats(n);
    bool has_memory = buf != NULL;
    for (int c = 0; c < n_ch; c++)
        has_memory = has_memory && planes[c];
    if (!has_memory) {
        e = cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    const sf_count_t got = sf_readf_float(sf, buf, (sf_count_t)n);
    if (got != (sf_count_t)n) {
        e = cansim_diag_set(diag, CANSIM_EIO, "%s: read %lld of %zu frames: %s", path,
                            (long long)got, n, sf_strerror(sf));
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < n_ch; c++) {
            const float v = buf[i * (size_t)n_ch + (size_t)c];
            if (!isfinite(v)) {
                e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s: frame %zu channel %d is %s", path,
                                    i, c + 1, isnan(v) ? "NaN" : "infinite");
                goto done;
            }
            planes[c][i] = v;
        }
    const float *cells[4] = {NULL, NULL, NULL, NULL};
    if (n_ch == 1) {
        cells[CANSIM_CELL_LL] = cells[CANSIM_CELL_RR] = planes[0];
    } else if (n_ch == 2) {
        cells[CANSIM_CELL_LL] = planes[0];
        cells[CANSIM_CELL_RR] = planes[1];
    } else {
        for (int c = 0; c < 4; c++)
            cells[c] = planes[c];
    }
    bool is_silent = true;
    for (int c = 0; c < n_ch; c++)
        is_silent = is_silent && cansim_floats_are_zero(planes[c], n);
    if (is_silent) {
        e = cansim_diag_set(diag, CANSIM_EPROFILE, "%s: impulse response is silent", path);
        goto done;
    }
    char id[256];
    cansim_path_stem(path, id, sizeof id);
    e = cansim_profile_from_taps(out, id, info.samplerate, n, cells, diag);
done:
    cansim_audio_close_read(sf); /* frees a streamed WAV's reader too */
    cansim_free(buf);
    for (int c = 0; c < 4; c++)
        cansim_free(planes[c]);
    return e;
}

int cansim_profile_load(CansimProfile **out, const char *path, CansimDiag *diag)
{
    *out = NULL;
    if (!cansim_has_suffix(path, ".ini") && !cansim_has_suffix(path, ".csv"))
        return cansim_profile_load_ir(out, path, diag);
    char *text;
    size_t n;
    int e = cansim_read_text(path, CANSIM_MAX_TEXT_BYTES, &text, &n, diag);
    if (e)
        return e;
    if (cansim_has_suffix(path, ".ini")) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", path);
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        else
            snprintf(dir, sizeof dir, ".");
        e = cansim_profile_parse_ini(out, text, n, path, dir, diag);
        free(text);
        return e;
    }
    /* A bare measurement: its name is its file's, its rig AutoEq's usual one. */
    CansimProfile *p = calloc(1, sizeof *p);
    if (!p) {
        free(text);
        return cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory", path);
    }
    e = cansim_curve_parse_csv(text, n, path, &p->curve, diag);
    free(text);
    if (e) {
        cansim_profile_close(&p);
        return e;
    }
    cansim_path_stem(path, p->id, sizeof p->id);
    snprintf(p->name, sizeof p->name, "%s", p->id);
    snprintf(p->rig, sizeof p->rig, "gras");
    snprintf(p->source, sizeof p->source, "%s", path);
    p->is_curve = true;
    *out = p;
    return CANSIM_OK;
}

/* SPDX-License-Identifier: MIT */
/* cansim-profiles-check: checks `cansim profiles --json` output and compares renders by their
 * relative RMS error, for profiles.sh. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sndfile.h>

static const char usage[] =
    "usage: cansim-profiles-check json FILE       one line 'ID BACK RIG' per profile\n"
    "       cansim-profiles-check relrms REF OUT MAX_DB\n"
    "           OUT has REF's rate, channels and length; 20 log10(rms(OUT - REF) / rms(REF))\n"
    "           is printed and must be below MAX_DB\n";

/* The keys every profile object has, all strings. */
static const char *const keys[] = {"id", "name", "back", "form", "rig", "source"};

static int check_json(const char *path)
{
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    if (!root) {
        fprintf(stderr, "%s:%d:%d: not JSON: %s\n", path, err.line, err.column, err.text);
        return 1;
    }
    int rc = 0;
    if (!json_is_array(root)) {
        fprintf(stderr, "%s: not a JSON array\n", path);
        rc = 1;
    }
    for (size_t i = 0; !rc && i < json_array_size(root); i++) {
        const json_t *o = json_array_get(root, i);
        if (!json_is_object(o)) {
            fprintf(stderr, "%s: element %zu is not an object\n", path, i);
            rc = 1;
            break;
        }
        for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
            if (!json_is_string(json_object_get(o, keys[k]))) {
                fprintf(stderr, "%s: element %zu has no string '%s'\n", path, i, keys[k]);
                rc = 1;
            }
        }
        if (rc)
            break;
        const char *id = json_string_value(json_object_get(o, "id"));
        const char *back = json_string_value(json_object_get(o, "back"));
        const char *rig = json_string_value(json_object_get(o, "rig"));
        if (!*id || strchr(id, ' ') || !*rig ||
            (strcmp(back, "open") && strcmp(back, "closed") && strcmp(back, "none"))) {
            fprintf(stderr, "%s: element %zu: id '%s', back '%s', rig '%s'\n", path, i, id, back,
                    rig);
            rc = 1;
            break;
        }
        printf("%s %s %s\n", id, back, rig);
    }
    json_decref(root);
    return rc;
}

static float *read_all(const char *path, SF_INFO *info)
{
    memset(info, 0, sizeof *info);
    SNDFILE *f = sf_open(path, SFM_READ, info);
    if (!f) {
        fprintf(stderr, "%s: %s\n", path, sf_strerror(NULL));
        return NULL;
    }
    const size_t n = (size_t)info->frames * (size_t)info->channels;
    float *x = calloc(n ? n : 1, sizeof *x);
    if (x && sf_readf_float(f, x, info->frames) != info->frames) {
        fprintf(stderr, "%s: short read\n", path);
        free(x);
        x = NULL;
    }
    sf_close(f);
    return x;
}

static int rel_rms(const char *ref_path, const char *out_path, double max_db)
{
    SF_INFO ri;
    SF_INFO oi;
    float *ref = read_all(ref_path, &ri);
    float *out = read_all(out_path, &oi);
    int rc = 1;
    if (!ref || !out)
        goto done;
    if (ri.samplerate != oi.samplerate || ri.channels != oi.channels || ri.frames != oi.frames) {
        fprintf(stderr, "%s: %d Hz, %d channels, %lld frames; %s has %d Hz, %d, %lld\n", out_path,
                oi.samplerate, oi.channels, (long long)oi.frames, ref_path, ri.samplerate,
                ri.channels, (long long)ri.frames);
        goto done;
    }
    double err = 0.0;
    double sum = 0.0;
    const size_t n = (size_t)ri.frames * (size_t)ri.channels;
    for (size_t i = 0; i < n; i++) {
        const double d = (double)out[i] - (double)ref[i];
        err += d * d;
        sum += (double)ref[i] * (double)ref[i];
    }
    if (sum == 0.0) {
        fprintf(stderr, "%s: silent reference\n", ref_path);
        goto done;
    }
    const double db = err == 0.0 ? -HUGE_VAL : 10.0 * log10(err / sum);
    printf("relative RMS error %.1f dB (limit %.1f dB)\n", db, max_db);
    rc = db < max_db ? 0 : 1;
done:
    free(ref);
    free(out);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "json"))
        return check_json(argv[2]);
    if (argc == 5 && !strcmp(argv[1], "relrms"))
        return rel_rms(argv[2], argv[3], atof(argv[4]));
    fputs(usage, stderr);
    return 2;
}

/* SPDX-License-Identifier: MIT */
/* cansim-batch-json: reads what `cansim render --json` and the OUT tree hold, for the batch
 * tests (POSIX sh has no JSON parser, and CI has no jq).
 *
 *   lines FILE              every line a JSON object with a string "event": prints the events,
 *                           one a line; exit 1 (and the line) at the first that is not
 *   get FILE EVENT KEY      KEY of every EVENT line, one a line (strings bare, arrays as their
 *                           length, objects as "{}", true/false/null)
 *   plans FILE              every plan line: ACTION RELATIVE_PATH INPUT, then a line per
 *                           output: "  PROFILE ACTION REASON" (REASON "-" when none)
 *   failures FILE           the summary's failures, one a line
 *   valid FILE...           each file is one JSON object (a manifest, a report)
 *   manifest FILE           a manifest's outputs: "PROFILE FILE SIZE" lines
 *   strip FILE [REF]        FILE without mtimes, ctimes, inodes and pending files (and, with
 *                           REF, only REF's outputs)
 *   at FILE KEY...          the value at FILE's KEY, then KEY... (an array takes an index),
 *                           printed as by get
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static int usage(void)
{
    fputs("usage: cansim-batch-json lines|get|plans|failures|valid|manifest|strip|at FILE ...\n",
          stderr);
    return 2;
}

/* Calls fn on every line of path parsed as JSON; stops with 1 at a line that does not parse. */
static int each_line(const char *path, int (*fn)(json_t *, void *), void *user)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long no = 0;
    int rc = 0;
    while (!rc && (n = getline(&line, &cap, f)) >= 0) {
        no++;
        json_error_t err;
        json_t *j = json_loadb(line, (size_t)n, 0, &err);
        if (!j || !json_is_object(j) || !json_is_string(json_object_get(j, "event"))) {
            fprintf(stderr, "cansim-batch-json: %s:%ld: not a JSON event line (%s): %s", path, no,
                    j ? "no event" : err.text, line);
            rc = 1;
        } else {
            rc = fn(j, user);
        }
        json_decref(j);
    }
    free(line);
    fclose(f);
    return rc;
}

static void print_value(const json_t *v)
{
    if (json_is_string(v))
        printf("%s\n", json_string_value(v));
    else if (json_is_integer(v))
        printf("%lld\n", (long long)json_integer_value(v));
    else if (json_is_real(v))
        printf("%.17g\n", json_real_value(v));
    else if (json_is_true(v))
        puts("true");
    else if (json_is_false(v))
        puts("false");
    else if (json_is_array(v))
        printf("%zu\n", json_array_size(v));
    else if (json_is_object(v))
        puts("{}");
    else if (json_is_null(v))
        puts("null");
    else
        puts("(absent)");
}

static int print_event(json_t *j, void *user)
{
    (void)user;
    printf("%s\n", json_string_value(json_object_get(j, "event")));
    return 0;
}

typedef struct Get {
    const char *event, *key;
} Get;

static int get_key(json_t *j, void *user)
{
    const Get *g = user;
    if (!strcmp(json_string_value(json_object_get(j, "event")), g->event))
        print_value(json_object_get(j, g->key));
    return 0;
}

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "-";
}

static int print_plan(json_t *j, void *user)
{
    (void)user;
    if (strcmp(json_string_value(json_object_get(j, "event")), "plan"))
        return 0;
    printf("%s %s %s\n", str(j, "action"), str(j, "relative_path"), str(j, "input"));
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(j, "outputs"), i, o)
        printf("  %s %s %s\n", str(o, "profile"), str(o, "action"), str(o, "reason"));
    return 0;
}

static int print_failures(json_t *j, void *user)
{
    (void)user;
    if (strcmp(json_string_value(json_object_get(j, "event")), "summary"))
        return 0;
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(j, "failures"), i, o)
        printf("%s\n", json_is_string(o) ? json_string_value(o) : "(not a string)");
    return 0;
}

static json_t *load(const char *path)
{
    json_error_t err;
    json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (!j)
        fprintf(stderr, "cansim-batch-json: %s:%d: %s\n", path, err.line, err.text);
    else if (!json_is_object(j)) {
        fprintf(stderr, "cansim-batch-json: %s: not an object\n", path);
        json_decref(j);
        j = NULL;
    }
    return j;
}

static void strip_mtimes(json_t *j)
{
    if (json_is_object(j)) {
        /* Times and inodes differ run to run, and so does what a run announced. */
        json_object_del(j, "mtime_ns");
        json_object_del(j, "ctime_ns");
        json_object_del(j, "ino");
        json_object_del(j, "pending");
        const char *k;
        json_t *v;
        json_object_foreach(j, k, v) strip_mtimes(v);
    } else if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) strip_mtimes(v);
    }
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    const char *cmd = argv[1];
    if (!strcmp(cmd, "lines") && argc == 3)
        return each_line(argv[2], print_event, NULL);
    if (!strcmp(cmd, "get") && argc == 5) {
        Get g = {argv[3], argv[4]};
        return each_line(argv[2], get_key, &g);
    }
    if (!strcmp(cmd, "plans") && argc == 3)
        return each_line(argv[2], print_plan, NULL);
    if (!strcmp(cmd, "failures") && argc == 3)
        return each_line(argv[2], print_failures, NULL);
    if (!strcmp(cmd, "valid")) {
        int rc = 0;
        for (int i = 2; i < argc; i++) {
            json_t *j = load(argv[i]);
            rc |= !j;
            json_decref(j);
        }
        return rc;
    }
    if (!strcmp(cmd, "manifest") && argc == 3) {
        json_t *j = load(argv[2]);
        if (!j)
            return 1;
        json_t *outs = json_object_get(j, "outputs");
        if (!json_is_object(outs)) {
            fprintf(stderr, "cansim-batch-json: %s: no outputs object\n", argv[2]);
            json_decref(j);
            return 1;
        }
        const char *k;
        json_t *v;
        json_object_foreach(outs, k, v)
            printf("%s %s %lld\n", k, str(v, "file"),
                   (long long)json_integer_value(json_object_get(v, "size")));
        json_decref(j);
        return 0;
    }
    if (!strcmp(cmd, "at") && argc >= 4) {
        json_t *j = load(argv[2]);
        if (!j)
            return 1;
        const json_t *v = j;
        for (int i = 3; i < argc && v; i++)
            v = json_is_array(v) ? json_array_get(v, (size_t)strtoul(argv[i], NULL, 10))
                                 : json_object_get(v, argv[i]);
        print_value(v);
        json_decref(j);
        return 0;
    }
    if (!strcmp(cmd, "strip") && (argc == 3 || argc == 4)) {
        json_t *j = load(argv[2]);
        if (!j)
            return 1;
        strip_mtimes(j);
        /* With REF: only the outputs REF lists (a manifest keeps the records of profiles left
         * out of a later run, while their input and options are unchanged). */
        json_t *ref = argc == 4 ? load(argv[3]) : NULL;
        if (argc == 4 && !ref) {
            json_decref(j);
            return 1;
        }
        json_t *outs = json_object_get(j, "outputs");
        const json_t *ref_outs = json_object_get(ref, "outputs");
        if (ref && json_is_object(outs)) {
            const char *k;
            json_t *v;
            void *tmp;
            json_object_foreach_safe(outs, tmp, k, v) if (!json_object_get(ref_outs, k))
                json_object_del(outs, k);
        }
        json_decref(ref);
        char *s = json_dumps(j, JSON_INDENT(1) | JSON_SORT_KEYS);
        json_decref(j);
        if (!s)
            return 1;
        puts(s);
        free(s);
        return 0;
    }
    return usage();
}

/* SPDX-License-Identifier: MIT */
/* The run's page, OUT/index.html, for a run of several inputs: the versions page (the
 * template, every rendered input a mix of data.mixes, see cli/page/versions.js) when their
 * renders can all play at once, else a list of the inputs linking to their own pages. */
#define _XOPEN_SOURCE 700

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "page.h"

/* The URL of in's folder from out_dir, ending in '/' (so "" never). -1 with diag. */
static int folder_href(const char *out_dir, const PageInput *in, char *href, size_t cap,
                       CansimDiag *diag)
{
    if (page_href(out_dir, in->dir, href, cap - 1, diag))
        return -1;
    strcat(href, "/");
    return 0;
}

/* One mix of the versions page: the input's page data, without what the first mix carries
 * for all (the plot's frequencies, the responses), with its place in the run. */
static json_t *mix_of(const char *out_dir, const PageInput *in,
                      const CansimProfile *const *profiles, size_t n,
                      const CansimDesignConfig *design, bool is_first, CansimDiag *diag)
{
    char folder[3 * PATH_MAX], page[3 * PATH_MAX + 16];
    if (folder_href(out_dir, in, folder, sizeof folder, diag))
        return NULL;
    json_t *d = page_json(out_dir, in->path, folder, in->report, profiles, n, design, diag);
    if (!d)
        return NULL;
    snprintf(page, sizeof page, "%sindex.html", folder);
    json_object_set_new(d, "relative_path", json_string(in->rel));
    json_object_set_new(d, "page", json_string(page));
    if (is_first)
        return d;
    json_object_del(d, "hz");
    json_t *p;
    size_t i;
    json_array_foreach(json_object_get(d, "profiles"), i, p)
    {
        json_object_del(p, "response");
        json_object_del(p, "response_error");
    }
    return d;
}

typedef struct RunBody {
    const char *title;
    const json_t *data; /* the versions page's, or NULL: the list */
    const char *out_dir;
    const PageInput *inputs;
    size_t n_inputs;
} RunBody;

/* The list: every input, its status, a link to its page. */
static int list_body(FILE *f, void *ctx)
{
    const RunBody *r = ctx;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n"
          "<meta name=\"generator\" content=\"cansim\">\n<title>",
          f);
    page_html_text(f, r->title);
    fputs(" - cansim audition</title>\n<style>body{font:14px/1.4 system-ui,sans-serif;"
          "margin:16px}td,th{text-align:left;padding:2px 12px 2px 0}</style>\n</head>\n<body>\n"
          "<h1>",
          f);
    page_html_text(f, r->title);
    fprintf(f,
            "</h1>\n<p>Each input's page plays its renders. Too many renders to play every "
            "input's at once (more than %d): versions are compared on a run of fewer inputs or "
            "profiles.</p>\n<table>\n<tr><th>input</th><th>loudness</th><th>page</th></tr>\n",
            PAGE_MAX_PLAYERS);
    for (size_t i = 0; i < r->n_inputs; i++) {
        const PageInput *in = &r->inputs[i];
        char folder[3 * PATH_MAX];
        CansimDiag d;
        fputs("<tr><td>", f);
        page_html_text(f, in->rel);
        fputs("</td><td>", f);
        const json_t *lufs = in->report ? json_object_get(in->report, "input_lufs") : NULL;
        if (json_is_number(lufs))
            fprintf(f, "%.2f LUFS", json_number_value(lufs));
        fputs("</td><td>", f);
        if (!in->report || folder_href(r->out_dir, in, folder, sizeof folder, &d)) {
            fputs("not rendered", f);
        } else {
            fputs("<a href=\"", f);
            page_html_text(f, folder);
            fputs("index.html\">page</a>", f);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n</body>\n</html>\n", f);
    return 0;
}

static int run_body(FILE *f, void *ctx)
{
    const RunBody *r = ctx;
    return r->data ? page_template(f, r->title, r->data) : list_body(f, ctx);
}

int page_write_run(const char *out_dir, const PageInput *inputs, size_t n_inputs,
                   const CansimProfile *const *profiles, size_t n, const CansimDesignConfig *design,
                   CansimDiag *diag)
{
    diag->msg[0] = '\0';
    size_t n_ok = 0;
    for (size_t i = 0; i < n_inputs; i++)
        n_ok += inputs[i].report != NULL;
    char title[256];
    RunBody r = {.title = title, .out_dir = out_dir, .inputs = inputs, .n_inputs = n_inputs};
    json_t *data = NULL;
    if (n_ok >= 2 && n_ok * (n + 1) <= PAGE_MAX_PLAYERS) {
        json_t *mixes = json_array();
        for (size_t i = 0; i < n_inputs; i++) {
            if (!inputs[i].report)
                continue;
            json_t *m = mix_of(out_dir, &inputs[i], profiles, n, design, !data, diag);
            if (!m) {
                json_decref(mixes);
                json_decref(data);
                return -1;
            }
            if (!data)
                data = json_deep_copy(m);
            json_array_append_new(mixes, m);
        }
        json_object_set_new(data, "mixes", mixes);
        if (n_ok == 2) {
            const json_t *a = json_array_get(mixes, 0), *b = json_array_get(mixes, 1);
            snprintf(title, sizeof title, "%s vs %s",
                     json_string_value(json_object_get(a, "relative_path")),
                     json_string_value(json_object_get(b, "relative_path")));
        } else {
            snprintf(title, sizeof title, "%zu versions", n_ok);
        }
    } else {
        snprintf(title, sizeof title, "%zu inputs", n_inputs);
    }
    r.data = data;
    const int e = page_emit(out_dir, run_body, &r, diag);
    json_decref(data);
    return e;
}

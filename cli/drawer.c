/* SPDX-License-Identifier: MIT */
/* The drawer: bundled profiles found on disk, and selections of them by tag, name or file. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static bool is_dir(const char *path)
{
    struct stat st;
    return !stat(path, &st) && S_ISDIR(st.st_mode);
}

static int cmp_id(const void *a, const void *b)
{
    return strcmp(cansim_profile_id(*(CansimProfile *const *)a),
                  cansim_profile_id(*(CansimProfile *const *)b));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Installed: <prefix>/bin/cansim next to <prefix>/share/cansim/profiles. */
static bool installed_dir(char *out, size_t n)
{
    char exe[4096];
    const ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k <= 0)
        return false;
    exe[k] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return false;
    *slash = '\0';
    if (snprintf(out, n, "%s/../share/cansim/profiles", exe) >= (int)n)
        return false;
    return is_dir(out);
}

static int add(Drawer *d, CansimProfile *p)
{
    CansimProfile **all = realloc(d->all, (d->n_all + 1) * sizeof *all);
    const CansimProfile **sel = realloc(d->selected, (d->n_all + 1) * sizeof *sel);
    if (all)
        d->all = all;
    if (sel)
        d->selected = sel;
    if (!all || !sel) {
        cansim_profile_close(&p);
        fputs("cansim: out of memory\n", stderr);
        return EXIT_PARTIAL;
    }
    d->all[d->n_all++] = p;
    return EXIT_OK;
}

int drawer_open(Drawer *d, const char *dir)
{
    memset(d, 0, sizeof *d);
    const char *env = getenv("CANSIM_PROFILES_DIR");
    if (dir)
        snprintf(d->dir, sizeof d->dir, "%s", dir);
    else if (env && *env)
        snprintf(d->dir, sizeof d->dir, "%s", env);
    else if (!installed_dir(d->dir, sizeof d->dir))
        snprintf(d->dir, sizeof d->dir, "%s", CANSIM_SOURCE_PROFILES_DIR);
    if (snprintf(d->targets_dir, sizeof d->targets_dir, "%s/targets", d->dir) >=
        (int)sizeof d->targets_dir) {
        fprintf(stderr, "cansim: %s: path too long\n", d->dir);
        return EXIT_USAGE;
    }
    DIR *dh = opendir(d->dir);
    if (!dh) {
        fprintf(stderr, "cansim: %s: cannot open the profiles directory\n", d->dir);
        return EXIT_USAGE;
    }
    char **names = NULL;
    size_t n = 0;
    int rc = EXIT_OK;
    for (struct dirent *e; (e = readdir(dh));) {
        const size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".ini") || e->d_name[0] == '.')
            continue;
        char **grown = realloc(names, (n + 1) * sizeof *names);
        if (!grown || !(grown[n] = strdup(e->d_name))) {
            names = grown ? grown : names;
            rc = EXIT_PARTIAL;
            break;
        }
        names = grown;
        n++;
    }
    closedir(dh);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n && !rc; i++) {
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", d->dir, names[i]);
        CansimProfile *p;
        CansimDiag diag;
        if (cansim_profile_load(&p, path, &diag)) {
            fprintf(stderr, "cansim: %s\n", diag.msg);
            rc = EXIT_USAGE;
        } else {
            rc = add(d, p);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (!rc && n == 0) {
        fprintf(stderr, "cansim: %s: no profiles (*.ini) there\n", d->dir);
        rc = EXIT_USAGE;
    }
    if (!rc)
        qsort(d->all, d->n_all, sizeof *d->all, cmp_id);
    d->n_bundled = d->n_all;
    return rc;
}

void drawer_close(Drawer *d)
{
    for (size_t i = 0; i < d->n_all; i++)
        cansim_profile_close(&d->all[i]);
    free(d->all);
    free(d->selected);
    memset(d, 0, sizeof *d);
}

static bool looks_like_file(const char *name)
{
    struct stat st;
    return strchr(name, '/') || strchr(name, '.') || !stat(name, &st);
}

int drawer_find(Drawer *d, const char *name, const CansimProfile **out)
{
    *out = NULL;
    for (size_t i = 0; i < d->n_bundled; i++)
        if (!strcmp(cansim_profile_id(d->all[i]), name)) {
            *out = d->all[i];
            return EXIT_OK;
        }
    if (looks_like_file(name)) {
        CansimProfile *p;
        CansimDiag diag;
        if (cansim_profile_load(&p, name, &diag)) {
            fprintf(stderr, "cansim: %s\n", diag.msg);
            return EXIT_USAGE;
        }
        const int rc = add(d, p);
        if (!rc)
            *out = p;
        return rc;
    }
    size_t n_match = 0;
    for (size_t i = 0; i < d->n_bundled; i++)
        if (strstr(cansim_profile_id(d->all[i]), name)) {
            *out = d->all[i];
            n_match++;
        }
    if (n_match == 1)
        return EXIT_OK;
    *out = NULL;
    if (n_match == 0)
        return usage_error("no profile '%s' (see 'cansim profiles')", name);
    fprintf(stderr, "cansim: '%s' names %zu profiles:", name, n_match);
    for (size_t i = 0; i < d->n_bundled; i++)
        if (strstr(cansim_profile_id(d->all[i]), name))
            fprintf(stderr, " %s", cansim_profile_id(d->all[i]));
    fputs("\nTry 'cansim --help'.\n", stderr);
    return EXIT_USAGE;
}

static void select_one(Drawer *d, const CansimProfile *p)
{
    for (size_t i = 0; i < d->n_selected; i++)
        if (d->selected[i] == p)
            return;
    d->selected[d->n_selected++] = p;
}

/* True when word is one of the space-separated words of list. */
static bool has_word(const char *list, const char *word)
{
    const size_t n = strlen(word);
    for (const char *w = list; (w = strstr(w, word)); w += n)
        if ((w == list || w[-1] == ' ') && (w[n] == ' ' || w[n] == '\0'))
            return true;
    return false;
}

static bool has_tag(const CansimProfile *p, const char *tag)
{
    CansimProfileInfo info;
    cansim_profile_info(p, &info);
    return !strcmp(info.back, tag) || !strcmp(info.form, tag) || has_word(info.tags, tag);
}

int profile_group(const CansimProfile *p)
{
    CansimProfileInfo info;
    cansim_profile_info(p, &info);
    if (!strcmp(info.back, "open"))
        return GROUP_OPEN;
    if (!strcmp(info.back, "closed"))
        return GROUP_CLOSED;
    if (!strcmp(info.form, "in-ear") || !strcmp(info.form, "earbud"))
        return GROUP_IN_EAR;
    if (info.has_hrtf || has_word(info.tags, "loudspeakers"))
        return GROUP_SPEAKERS;
    return GROUP_OTHER;
}

const char *group_name(int group)
{
    static const char *const names[N_GROUPS] = {"open", "closed", "in-ear", "speakers", "other"};
    return group >= 0 && group < N_GROUPS ? names[group] : "other";
}

const char *group_title(int group)
{
    static const char *const titles[N_GROUPS] = {"Open-back", "Closed-back", "In-ear and earbuds",
                                                 "Speakers", "Other"};
    return group >= 0 && group < N_GROUPS ? titles[group] : "Other";
}

const char *profile_list_next(const char *list, size_t *pos, char *item, size_t n)
{
    const char *start = list + *pos;
    while (*start == ',')
        start++;
    if (!*start)
        return NULL;
    /* The longest run of items from here that names an existing file is one item. */
    const char *end = start + strlen(start);
    for (;;) {
        const char *comma = strchr(start, ',');
        if (!comma || comma >= end)
            break;
        const size_t len = (size_t)(end - start);
        struct stat st;
        if (len < n) {
            memcpy(item, start, len);
            item[len] = '\0';
            if (!stat(item, &st))
                break;
        }
        /* Drop the last item and try the shorter run. */
        const char *last = end - 1;
        while (last > start && *last != ',')
            last--;
        if (last == start)
            break;
        end = last;
    }
    const size_t len = (size_t)(end - start);
    snprintf(item, n, "%.*s", (int)(len < n ? len : n - 1), start);
    *pos = (size_t)(end - list);
    return item;
}

int drawer_select(Drawer *d, const char *list)
{
    const size_t cap = strlen(list) + 1;
    char *tok = malloc(cap);
    if (!tok) {
        fputs("cansim: out of memory\n", stderr);
        return EXIT_PARTIAL;
    }
    int rc = EXIT_OK;
    size_t pos = 0;
    while (!rc && profile_list_next(list, &pos, tok, cap)) {
        const bool is_all = !strcmp(tok, "all");
        if (is_all || !strcmp(tok, "open") || !strcmp(tok, "closed")) {
            for (size_t i = 0; i < d->n_bundled; i++) {
                CansimProfileInfo info;
                cansim_profile_info(d->all[i], &info);
                if (is_all || !strcmp(info.back, tok))
                    select_one(d, d->all[i]);
            }
            continue;
        }
        bool is_id = false;
        size_t n_tagged = 0;
        for (size_t i = 0; i < d->n_bundled; i++) {
            is_id = is_id || !strcmp(cansim_profile_id(d->all[i]), tok);
            n_tagged += has_tag(d->all[i], tok);
        }
        if (!is_id && n_tagged) {
            for (size_t i = 0; i < d->n_bundled; i++)
                if (has_tag(d->all[i], tok))
                    select_one(d, d->all[i]);
            continue;
        }
        const CansimProfile *p;
        rc = drawer_find(d, tok, &p);
        if (!rc)
            select_one(d, p);
    }
    free(tok);
    if (!rc && d->n_selected == 0)
        rc = usage_error("'%s' selects no profile", list);
    return rc;
}

/* The drawer, the selection and the design options every command shares. */
int check_targets(const Drawer *d, const CansimDesignConfig *design)
{
    /* A bad --target should stop the run before any rendering: check one profile of the GRAS
     * rig (every target exists for it) now, a selected one when there is one, so the message
     * names a profile the user asked for. A target that only another rig lacks fails those
     * profiles' renders instead. */
    if (!design->target)
        return EXIT_OK;
    const CansimProfile *probe_of = NULL;
    for (size_t pass = 0; pass < 2 && !probe_of; pass++) {
        const CansimProfile *const *list =
            pass ? (const CansimProfile *const *)d->all : d->selected;
        const size_t n = pass ? d->n_bundled : d->n_selected;
        for (size_t i = 0; i < n && !probe_of; i++) {
            CansimProfileInfo info;
            cansim_profile_info(list[i], &info);
            if (info.is_curve && !info.has_hrtf && !strcmp(info.rig, "gras"))
                probe_of = list[i];
        }
    }
    /* Its simulated response at one frequency reads the targets the design would, and makes
     * no filter. */
    const double hz = 1000.0;
    double db;
    CansimDiag diag;
    if (probe_of && cansim_profile_response_db(probe_of, design, &hz, &db, 1, &diag)) {
        fprintf(stderr, "cansim: %s\n", diag.msg);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

int open_drawer(const Options *o, Drawer *d, CansimDesignConfig *design)
{
    int rc = drawer_open(d, o->profiles_dir);
    if (rc)
        return rc;
    *design = cansim_design_default_config();
    design->targets_dir = d->targets_dir;
    design->crossfeed = o->crossfeed;
    if (o->target)
        design->target = o->target;
    if (o->on) {
        rc = drawer_find(d, o->on, &design->on);
        if (rc)
            return rc;
        CansimProfileInfo info;
        cansim_profile_info(design->on, &info);
        if (!info.is_curve) {
            fprintf(stderr,
                    "cansim: %s: --on needs a measured headphone, not an impulse response\n",
                    o->on);
            return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

/* SPDX-License-Identifier: MIT */
/* What the command's files share: exit codes, messages, the profile drawer. */
#ifndef CANSIM_CLI_H
#define CANSIM_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include <cansim/cansim.h>

enum { EXIT_OK = 0, EXIT_PARTIAL = 1, EXIT_USAGE = 2 };

/* "cansim: <message>" and "Try 'cansim --help'." on stderr; returns EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The bundled profiles plus any loaded from files, and the selection made of them. */
typedef struct Drawer {
    char dir[4096];          /* the bundled profiles' directory */
    char targets_dir[4096];  /* dir/targets */
    CansimProfile **all;     /* owned: bundled first (sorted by id), then files */
    size_t n_all;
    size_t n_bundled;
    const CansimProfile **selected; /* borrowed from all */
    size_t n_selected;
} Drawer;

/* Finds the bundled profiles: dir if given, else CANSIM_PROFILES_DIR, else next to the
 * installed binary, else the source tree's. Loads every *.ini there. Prints its own error. */
int drawer_open(Drawer *d, const char *dir);
void drawer_close(Drawer *d);

/* Resolves one name: an exact id, a unique part of one ("hd-650"), or a file. Prints its own
 * error (exit code returned, 0 on success). */
int drawer_find(Drawer *d, const char *name, const CansimProfile **out);

/* Selects a comma list of tags (all, open, closed), names and files, in order, once each. */
int drawer_select(Drawer *d, const char *list);

#endif

/* SPDX-License-Identifier: MIT */
/* The output tree is cansim's alone: files written under unique temporary names and renamed,
 * one writer per output folder (a lock), and the checks made before anything is written
 * (no output is an input; no file cansim did not write is replaced). */
#ifndef CANSIM_CLI_OUTPUTS_H
#define CANSIM_CLI_OUTPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <cansim/cansim.h>
#include <jansson.h>

/* In each input's output folder, beside its renders. */
#define MANIFEST_NAME ".manifest.json"
#define REPORT_NAME   "report.json"

/* ---------------------------------------------------------------- files.c */

/* Creates "<path>.<pid>-<n>.part" with O_EXCL (a name no other process or thread uses) and
 * returns its descriptor, its name in part; -1 with errno on failure. */
int open_unique_part(const char *path, char *part, size_t n_part);

/* data written to a unique temporary name, flushed to disk, renamed over path, and the rename
 * flushed: after a crash path holds the old content or the new, never a mix. 0 or -1 (errno). */
int write_atomic(const char *path, const char *data, size_t n);
/* j as indented JSON with a final newline, through write_atomic(). */
int write_json_atomic(const char *path, const json_t *j);

/* mkdir -p: 0, or -1 with errno (ENOTDIR when a file is in the way). */
int make_dirs(const char *path);

/* True when name is one of cansim's temporary files (see files.c for the forms). */
bool is_part_name(const char *name);
/* Removes the temporary files a killed run left in dir (call under dir's lock). */
void remove_stale_parts(const char *dir);

/* ---------------------------------------------------------------- lock.c */

/* The lock of one output folder OUT/<rel>: flock() on the folder itself (made when missing).
 * Held while a run plans, renders and records that folder, so two runs never interleave in it;
 * other folders of one tree stay free (shards). */
typedef struct FolderLock {
    int fd; /* -1 when not held */
} FolderLock;

/* Takes the lock without waiting: 0 held; 1 another process holds it (its pid in *holder, 0
 * when unknown); -1 with errno when the folder cannot be made or opened. */
int folder_lock(FolderLock *l, const char *dir, long *holder);
void folder_unlock(FolderLock *l);

/* ---------------------------------------------------------------- fdlimit.c */

/* Raises the soft limit of open files to the hard one; returns the soft limit then. */
long fd_limit_raise(void);
/* How many of n_profiles outputs one renderer may stream at once when n_renderers run side by
 * side under limit open files, n_held of them held otherwise: n_profiles, or fewer (the input
 * is then rendered in passes); at least 1. */
size_t fd_pass_size(long limit, size_t n_profiles, int n_renderers, size_t n_held);

/* ---------------------------------------------------------------- pending.c */

/* Announces in dir's manifest (made when missing, version its cansim) the renders of the
 * profiles ids[0..n_ids-1] about to be written, as <id>.<ext>: listed as pending, their records
 * and the report's dropped until rewritten. 0, or -1 with errno. Under dir's lock. */
int pending_announce(const char *dir, const char *const *ids, size_t n_ids, const char *ext,
                     const char *version);
/* Carries into man (a manifest being written) old's pending files that are still there and
 * that man does not record as outputs. */
void pending_carry(const json_t *old, json_t *man, const char *dir);
/* After a run wrote nothing in dir: the manifest without the announced files that are not
 * there; removed when it was made only to announce them (had_manifest false). */
void pending_settle(const char *dir, bool had_manifest);

/* ---------------------------------------------------------------- passes.c */

/* cansim_render_file() over n profiles, step at a time (step >= n: one call). The same
 * results and return as one call: an input that fails stops the passes (diag set); failed
 * outputs do not. */
int render_file_passes(CansimRender *r, size_t n, size_t step, const char *path, const char *parent,
                       const CansimFileOptions *fo, CansimOutputResult *res, CansimDiag *d);
/* cansim_render_group() likewise; g's arrays have n (gains) and m (members) entries. */
int render_group_passes(CansimRender *r, size_t n, size_t step, const char *const *paths,
                        const char *const *dirs, size_t m, const CansimFileOptions *fo,
                        CansimOutputResult *const *res, CansimGroupResult *g, CansimDiag *d);

/* ---------------------------------------------------------------- outputs_check.c */

/* Every input of a run (audio inputs and profile, target and listening-headphone files): by
 * device and inode, and by resolved path. */
typedef struct InputSet InputSet;

InputSet *input_set_new(void);
void input_set_free(InputSet *s);
/* Adds path when it exists (-1 only when out of memory). */
int input_set_add(InputSet *s, const char *path);
/* The input that path is (by device and inode, or resolved path), or NULL. */
const char *input_set_find(const InputSet *s, const char *path);

/* Whether the manifest m (NULL: none) records the file named base in its folder as cansim's:
 * an output it lists, one it announced before writing ("pending"), its report and page. */
bool manifest_owns(const json_t *m, const char *base);

/* The files one input would write in its output folder dir (names[0..n-1]), before anything
 * is written: NULL when none is an input and every one that exists is cansim's own (m, the
 * folder's manifest, lists it; has_manifest_file with m NULL: an unreadable manifest, the
 * folder taken as cansim's) or is_force; else the failure's line (malloc'd). */
char *check_folder_outputs(const char *dir, const char (*names)[256], size_t n, const json_t *m,
                           bool has_manifest_file, const InputSet *inputs, bool is_force);

/* --report FILE before anything is rendered: refused (usage error printed, EXIT_USAGE
 * returned) when it is a folder, an input, named as audio, inside an input's output folder, in a
 * folder that does not exist, or an existing file that is not a cansim report (unless
 * is_force). 0 when fine. */
int check_report_path(const char *report, const InputSet *inputs, const char *out_dir,
                      bool is_force);
/* -o that exists and is not a folder: usage error. */
int check_output_dir(const char *out_dir);

/* The resolved form of path (symlinks of its existing part resolved, the rest appended). */
bool resolve_path(const char *path, char out[4096]);

#endif

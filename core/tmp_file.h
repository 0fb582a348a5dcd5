/* SPDX-License-Identifier: MIT */
/* Temporary files: names unique per process and call, final names checked against the file
 * system's limit, and the sweep of a killed run's leftovers. */
#ifndef CANSIM_TMP_FILE_H
#define CANSIM_TMP_FILE_H

#include "internal.h"

/* Creates (O_EXCL, mode 0644 as libsndfile's own files) a temporary file for final_path in its
 * directory: "<name>.<host>-<pid>-<n>[.<kind>].part", the name shortened (never the suffix) so that
 * it stays within the directory's NAME_MAX. Its path goes into tmp (n bytes) and its descriptor,
 * open for reading and writing, into *fd. kind may be NULL or "".
 * @return CANSIM_OK, or CANSIM_EIO / CANSIM_EINVAL with the system's reason in diag */
int cansim_tmp_create(const char *final_path, const char *kind, char *tmp, size_t n, int *fd,
                      CansimDiag *diag);

/* Removes from dir the temporaries of this host's cansim processes that no longer run (a
 * killed run's): only names of cansim_tmp_create()'s pattern whose writer is gone. */
void cansim_tmp_sweep(const char *dir);

/* Checks that final_path's last component fits its directory's NAME_MAX.
 * @return CANSIM_OK, or CANSIM_EINVAL ("file name too long") */
int cansim_output_check_name(const char *final_path, CansimDiag *diag);

#endif

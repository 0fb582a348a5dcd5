/* SPDX-License-Identifier: MIT */
/* Output files: temporary names unique per process and call, final names checked against the
 * file system's limit, and the container chosen for the output's size (RF64 past 4 GiB). */
#ifndef CANSIM_OUTPUT_H
#define CANSIM_OUTPUT_H

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

/* The container for an output of n_frames x n_channels in *sf_format: a WAV that would pass
 * 4 GiB becomes RF64 (libsndfile's 64-bit WAV; smaller ones stay plain WAV, byte for byte), and
 * an output no container of its kind can hold is refused, before anything is rendered. label
 * names the output in diag. n_frames < 0 is unknown: WAV becomes RF64 with its automatic
 * downgrade, other formats pass.
 * @return CANSIM_OK or CANSIM_EFORMAT */
int cansim_output_fit(int *sf_format, int64_t n_frames, int n_channels, const char *label,
                      CansimDiag *diag);

#endif

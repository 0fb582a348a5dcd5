/* SPDX-License-Identifier: MIT */
/* A gain group's song renders: per profile, the members' rendered outputs summed into one more
 * output, the song on that headphone (group_sum.c). */
#ifndef CANSIM_GROUP_SUM_H
#define CANSIM_GROUP_SUM_H

#include "render_file.h"

/* After the members of a group rendered into pend (n rows of n_prof, member_status[i] != 0: a
 * member that left the group): per profile j whose members' outputs all completed, their sum
 * written to g->song_dir/<profile id>.<ext> (the members' format and extension), its loudness
 * lufs[j] (predicted; NaN: measured) and true peak tracked as a member's output is, and left
 * unfinished in song[j] for the group's ceiling, its result begun in g->song[j]. A profile skipped
 * (skip, may be NULL) is skipped for the song too; one a member failed gets no song (g->song[j]
 * fails). Does nothing without g->song_dir. Returns whether song renders are pending (song holds
 * n_prof entries, their status CANSIM_EINTERNAL when not). */
bool cansim_group_song(CansimRender *r, const CansimGroupResult *g, const bool *skip,
                       const double *lufs, const CansimPending *pend, size_t n,
                       CansimPending *song);

#endif

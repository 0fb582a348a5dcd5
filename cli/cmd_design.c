/* SPDX-License-Identifier: MIT */
/* cansim design: one profile's designed filter written as an impulse-response file. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <sys/stat.h>

#include "cli.h"

int cmd_design(int argc, char **argv)
{
    Options o = {.verbosity = 1, .rate_hz = 48000};
    int rc = parse_options(argc, argv, &o);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    if (o.n_inputs != 1)
        return usage_error("%s", "design takes one profile");
    if (!o.output_dir)
        return usage_error("%s", "no output file given (-o OUT.wav)");
    struct stat in_st, out_st;
    if (!stat(o.inputs[0], &in_st) && !stat(o.output_dir, &out_st) &&
        in_st.st_dev == out_st.st_dev && in_st.st_ino == out_st.st_ino)
        return usage_error("-o %s: is the profile %s itself", o.output_dir, o.inputs[0]);
    Drawer d;
    CansimDesignConfig design;
    const CansimProfile *p;
    CansimProfile *fir = NULL;
    CansimDiag diag;
    if ((rc = open_drawer(&o, &d, &design)) || (rc = drawer_find(&d, o.inputs[0], &p)))
        goto done;
    if (cansim_profile_design(&fir, p, &design, o.rate_hz, &diag)) {
        fprintf(stderr, "cansim: %s\n", diag.msg);
        rc = EXIT_PARTIAL;
        goto done;
    }
    /* The library writes the IR layout it reads; a name no float container has is a usage
     * error (the file is chosen by its extension). */
    const int we = cansim_profile_write_ir(fir, o.output_dir, &diag);
    if (we == CANSIM_EFORMAT)
        rc = usage_error("-o %s", diag.msg);
    else if (we) {
        fprintf(stderr, "cansim: %s\n", diag.msg);
        rc = EXIT_PARTIAL;
    }
    if (!rc && o.verbosity >= 1)
        fprintf(stderr, "cansim: wrote %s (%zu taps at %g Hz)\n", o.output_dir,
                cansim_profile_n_taps(fir), o.rate_hz);
done:
    cansim_profile_close(&fir);
    drawer_close(&d);
    return rc;
}

/* SPDX-License-Identifier: MIT */
/* cansim profiles: the selected profiles, by group, as a table or JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_profiles(int argc, char **argv)
{
    Options o = {.verbosity = 1};
    int rc = parse_options(argc, argv, &o);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    if (o.n_inputs)
        return usage_error("unexpected argument '%s'", o.inputs[0]);
    Drawer d;
    CansimDesignConfig design;
    if ((rc = open_drawer(&o, &d, &design)) ||
        (rc = drawer_select(&d, o.profiles ? o.profiles : "all")) ||
        (rc = check_targets(&d, &design))) {
        drawer_close(&d);
        return rc;
    }
    json_t *list = o.is_json ? json_array() : NULL;
    if (!o.is_json)
        printf("%-36s %-36s %-8s %-7s %-16s %s\n", "ID", "NAME", "GROUP", "RIG", "TAGS", "SOURCE");
    /* By group (open, closed, in-ear, speakers, other), by id within each. */
    for (int g = 0; g < N_GROUPS; g++)
        for (size_t i = 0; i < d.n_selected; i++) {
            if (profile_group(d.selected[i]) != g)
                continue;
            CansimProfileInfo info;
            cansim_profile_info(d.selected[i], &info);
            if (!o.is_json) {
                printf("%-36s %-36s %-8s %-7s %-16s %.*s\n", info.id, info.name, group_name(g),
                       info.rig,
                       info.tags[0]   ? info.tags
                       : info.form[0] ? info.form
                                      : "-",
                       (int)strcspn(info.source, ";"), info.source);
                continue;
            }
            json_array_append_new(
                list,
                json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id", info.id,
                          "name", info.name, "group", group_name(g), "back", info.back, "form",
                          info.form, "rig", info.rig, "tags", info.tags, "source", info.source,
                          "credit", info.credit, "notes", info.notes, "hrtf", info.has_hrtf));
        }
    if (list) {
        char *text = json_dumps(list, JSON_INDENT(2) | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(6));
        if (text)
            puts(text);
        else
            rc = EXIT_PARTIAL;
        free(text);
        json_decref(list);
    }
    drawer_close(&d);
    return rc;
}

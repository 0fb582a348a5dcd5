/* SPDX-License-Identifier: MIT */
/* The cansim command: picks the command named first and runs it (exit codes: 0 all done, 1
 * some inputs failed, 2 usage). The layers point one way: main, then the commands (render and
 * status in batch/, profiles, design), then their helpers. */
#include <string.h>

#include "cli.h"

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("%s", "no command given (render, status, profiles, design)");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        print_help();
        return EXIT_OK;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        print_version();
        return EXIT_OK;
    }
    if (!strcmp(cmd, "render"))
        return cmd_render(argc - 1, argv + 1);
    if (!strcmp(cmd, "status"))
        return cmd_status(argc - 1, argv + 1);
    if (!strcmp(cmd, "profiles"))
        return cmd_profiles(argc - 1, argv + 1);
    if (!strcmp(cmd, "design"))
        return cmd_design(argc - 1, argv + 1);
    return usage_error("unknown command '%s'", cmd);
}

/* SPDX-License-Identifier: MIT */
/* cansim-checkasm: the kernel harness on its own (see checkasm.h for the run's options). */
#include "checkasm.h"

int main(int argc, char **argv)
{
    return checkasm_run(argc, argv);
}

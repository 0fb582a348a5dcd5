# SPDX-License-Identifier: MIT
# The warning set of STYLE.md, as an INTERFACE target linked into every target.
add_library(cansim_warnings INTERFACE)
target_compile_options(cansim_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wundef -Wvla -Wstrict-prototypes
    -Wmissing-prototypes -Wdouble-promotion -Wformat=2
    -Werror=implicit-function-declaration
    -ffp-contract=off)
if(CANSIM_WERROR)
    target_compile_options(cansim_warnings INTERFACE -Werror)
endif()

# SPDX-License-Identifier: MIT
add_library(cansim_sanitize INTERFACE)
if(CANSIM_SANITIZE)
    target_compile_options(cansim_sanitize INTERFACE
        -fsanitize=${CANSIM_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(cansim_sanitize INTERFACE -fsanitize=${CANSIM_SANITIZE})
endif()

# SPDX-License-Identifier: MIT
# The audition page's template (page.html with page.css and page.js inlined) compiled into the
# cansim command as a byte array, so the page needs no file at run time.
set(page_template_c ${CMAKE_CURRENT_BINARY_DIR}/page_template.c)
set(page_dir ${CMAKE_CURRENT_LIST_DIR})
add_custom_command(OUTPUT ${page_template_c}
    COMMAND ${CMAKE_COMMAND} -DDIR=${page_dir} -DOUT=${page_template_c} -P ${page_dir}/embed.cmake
    DEPENDS ${page_dir}/page.html ${page_dir}/page.css ${page_dir}/page.js ${page_dir}/blind.js ${page_dir}/abx.js
            ${page_dir}/versions.js ${page_dir}/map.js
            ${page_dir}/embed.cmake
    COMMENT "Embedding the audition page template"
    VERBATIM)
target_sources(cansim PRIVATE ${page_template_c})

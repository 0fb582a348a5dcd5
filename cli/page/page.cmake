# SPDX-License-Identifier: MIT
# The audition page's template (page.html with page.css and the scripts inlined) compiled into the
# cansim command as a byte array, so the page needs no file at run time.
set(page_template_c ${CMAKE_CURRENT_BINARY_DIR}/page_template.c)
set(page_dir ${CMAKE_CURRENT_LIST_DIR})
# The page's script, in order: page.js opens the function the others share, input.js closes it.
set(page_script page.js entries.js player.js list.js plot.js input.js)
list(TRANSFORM page_script PREPEND ${page_dir}/ OUTPUT_VARIABLE page_script_files)
string(REPLACE ";" "," page_script_arg "${page_script}")
add_custom_command(OUTPUT ${page_template_c}
    COMMAND ${CMAKE_COMMAND} -DDIR=${page_dir} -DOUT=${page_template_c} -DSCRIPTS=${page_script_arg}
            -P ${page_dir}/embed.cmake
    DEPENDS ${page_dir}/page.html ${page_dir}/page.css ${page_script_files} ${page_dir}/blind.js ${page_dir}/abx.js
            ${page_dir}/versions.js ${page_dir}/map.js
            ${page_dir}/embed.cmake
    COMMENT "Embedding the audition page template"
    VERBATIM)
target_sources(cansim PRIVATE ${page_template_c})

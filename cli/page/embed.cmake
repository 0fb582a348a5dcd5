# SPDX-License-Identifier: MIT
# cmake -DDIR=cli/page -DOUT=page_template.c -DSCRIPTS=page.js,entries.js,... -P embed.cmake:
# page.html with page.css, the SCRIPTS files one after the other (page.cmake's list) and
# blind.js + abx.js put in place of @@STYLE@@, @@SCRIPT@@ and @@BLIND@@, versions.js + map.js in place
# of @@VIEWS@@, written as the C array
# cansim_page_template.
file(READ ${DIR}/page.html html)
file(READ ${DIR}/page.css css)
string(REPLACE "," ";" script "${SCRIPTS}")
set(js "")
foreach(f ${script})
    file(READ ${DIR}/${f} part)
    string(APPEND js "${part}\n")
endforeach()
file(READ ${DIR}/blind.js blind)
file(READ ${DIR}/abx.js abx)
string(APPEND blind "\n${abx}")
file(READ ${DIR}/versions.js views)
file(READ ${DIR}/map.js map)
string(APPEND views "\n${map}")
# Inline text must not close its own element early.
if(css MATCHES "</[sS][tT][yY][lL][eE]")
    message(FATAL_ERROR "${DIR}/page.css: contains '</style'")
endif()
foreach(name js blind views)
    if(${name} MATCHES "</[sS][cC][rR][iI][pP][tT]" OR ${name} MATCHES "<!--")
        message(FATAL_ERROR "${DIR}: the page's script, blind.js, abx.js, versions.js or map.js contains '</script' or '<!--'")
    endif()
endforeach()
foreach(marker @@STYLE@@ @@SCRIPT@@ @@BLIND@@ @@VIEWS@@ @@TITLE@@ @@DATA@@)
    string(FIND "${html}" "${marker}" at)
    if(at EQUAL -1)
        message(FATAL_ERROR "${DIR}/page.html: no ${marker}")
    endif()
endforeach()
string(REPLACE "@@STYLE@@" "${css}" html "${html}")
string(REPLACE "@@SCRIPT@@" "${js}" html "${html}")
string(REPLACE "@@BLIND@@" "${blind}" html "${html}")
string(REPLACE "@@VIEWS@@" "${views}" html "${html}")

file(WRITE ${OUT}.html "${html}")
file(READ ${OUT}.html hex HEX)
file(REMOVE ${OUT}.html)
string(LENGTH "${hex}" n)
math(EXPR n "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){24})" "\\1\n" bytes "${bytes}")
file(WRITE ${OUT}.tmp
"/* Generated from cli/page/ by cli/page/embed.cmake; do not edit. */
#include <stddef.h>

extern const unsigned char cansim_page_template[];
extern const size_t cansim_page_template_size;

const unsigned char cansim_page_template[${n}] = {
${bytes}
};
const size_t cansim_page_template_size = ${n};
")
file(RENAME ${OUT}.tmp ${OUT})

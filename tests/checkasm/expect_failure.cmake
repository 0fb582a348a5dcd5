# SPDX-License-Identifier: MIT
# Runs EXE with ARGS ('|'-separated) and passes only when it exits with status 1 and its output
# contains EXPECT: a detected failure, not a crash or a usage error.
# Usage: cmake -DEXE=exe "-DARGS=a|b" "-DEXPECT=text" -P expect_failure.cmake
cmake_minimum_required(VERSION 3.25)
string(REPLACE "|" ";" args "${ARGS}")
execute_process(COMMAND "${EXE}" ${args} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc STREQUAL "1")
    message(FATAL_ERROR "expected exit status 1, got '${rc}'")
endif()
string(FIND "${out}${err}" "${EXPECT}" at)
if(at EQUAL -1)
    message(FATAL_ERROR "the output does not contain '${EXPECT}'")
endif()
message(STATUS "failed as expected (status 1, '${EXPECT}' reported)")

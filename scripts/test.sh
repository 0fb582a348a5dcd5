#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds and runs the whole test suite: the clang-format check, a Release build with warnings
# as errors, its kernel benchmark in check mode (JSON kept in build-test/), a build with a planted kernel bug that the
# harness must catch, the tests again under AddressSanitizer + UndefinedBehaviorSanitizer (but
# those labelled slow, such as the output past 4 GiB, which the Release run keeps), and a clang
# build that runs the parsers' fuzz targets.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/deps.sh --tests
jobs=$(nproc)

# Every C file as clang-format (.clang-format) writes it.
bash scripts/format-check.sh

cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Release -DCANSIM_WERROR=ON >/dev/null
cmake --build build-test -j "$jobs"
ctest --test-dir build-test --output-on-failure -j "$jobs"

# Every kernel version checked against C, then timed, plus a short render: a failed check fails
# CI. The JSON (Google Benchmark's schema) is kept for cansim-bench --compare.
build-test/bench/cansim-bench --quick --json build-test/bench-quick.json

# A wrong AVX2 cmac and rfft (test-only option) must make the harness and cansim-bench fail. Only the two
# harness programs are built; this build's other tests would fail on purpose.
cmake -S . -B build-broken -G Ninja -DCMAKE_BUILD_TYPE=Release -DCANSIM_WERROR=ON \
    -DCANSIM_BROKEN_KERNEL=ON >/dev/null
cmake --build build-broken -j "$jobs" --target cansim-checkasm cansim-bench
ctest --test-dir build-broken --output-on-failure -R '^(kernels|bench)-broken(-rfft)?-detected$'

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCANSIM_WERROR=ON \
    -DCANSIM_SANITIZE=address,undefined -DCANSIM_BUILD_BENCH=OFF >/dev/null
cmake --build build-asan -j "$jobs"
ctest --test-dir build-asan --output-on-failure -j "$jobs" -LE "bench-smoke|slow"

# clang 14 -Werror over the whole tree, and the libFuzzer targets of the profile and CSV parsers,
# run briefly on a seed corpus of the bundled profiles (reproducers land in
# build-fuzz/tests/fuzz/artifacts/).
CC=clang cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCANSIM_WERROR=ON \
    -DCANSIM_FUZZ=ON -DCANSIM_SANITIZE=address,undefined -DCANSIM_BUILD_BENCH=OFF >/dev/null
cmake --build build-fuzz -j "$jobs"
ctest --test-dir build-fuzz --output-on-failure -j "$jobs" -L fuzz

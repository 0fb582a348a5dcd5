#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One command from a fresh Debian 12: install what is needed, build, and render the demo mix
# through every bundled profile into demo-out/demo-mix/, with its audition page.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCANSIM_BUILD_TESTS=OFF >/dev/null
cmake --build build

mkdir -p build/demo
# The demo mix is the project's own: a synthetic groove, no third-party audio.
[ -f build/demo/demo-mix.wav ] ||
    build/bench/cansim-synth mix build/demo/demo-mix.wav --seconds 30 --rate 48000
build/cli/cansim render build/demo/demo-mix.wav -o demo-out --page
echo "cansim: the demo mix through every bundled profile is in demo-out/demo-mix/;"
echo "        open demo-out/demo-mix/index.html in a browser to switch between them"

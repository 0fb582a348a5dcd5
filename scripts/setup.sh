#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One command from a fresh Debian 12: install what is needed, build, install the command and the
# bundled profiles under /usr/local (or CANSIM_PREFIX), and render the demo mix through every
# bundled profile into demo-out/demo-mix/, with its audition page.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCANSIM_BUILD_TESTS=OFF >/dev/null
cmake --build build

# The command on PATH: /usr/local/bin/cansim beside /usr/local/share/cansim/profiles.
prefix=${CANSIM_PREFIX:-/usr/local}
sudo=()
if [ ! -w "$prefix" ] && [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
fi
"${sudo[@]}" cmake --install build --prefix "$prefix" >/dev/null
cansim=$prefix/bin/cansim

mkdir -p build/demo
# The demo mix is the project's own: a synthetic groove, no third-party audio.
[ -f build/demo/demo-mix.wav ] ||
    build/bench/cansim-synth mix build/demo/demo-mix.wav --seconds 30 --rate 48000
"$cansim" render build/demo/demo-mix.wav -o demo-out --page
echo "cansim: installed $cansim ($("$cansim" --version | head -n 1))"
echo "cansim: the demo mix through every bundled profile is in demo-out/demo-mix/;"
echo "        open demo-out/demo-mix/index.html in a browser to switch between them"

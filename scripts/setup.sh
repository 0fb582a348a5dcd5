#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One command from a fresh Debian 12: install what is needed, build, and render the demo mix
# through every demo profile into demo-out/.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCANSIM_BUILD_TESTS=OFF >/dev/null
cmake --build build

demo=build/demo
mkdir -p "$demo"
build/bench/cansim-synth mix "$demo/demo-mix.wav" --seconds 20 --rate 48000
build/bench/cansim-synth ir "$demo/closed-back.wav" --kind closed --rate 48000
build/bench/cansim-synth ir "$demo/open-back.wav" --kind open --rate 48000
build/bench/cansim-synth ir "$demo/speakers.wav" --kind speakers --rate 44100
build/cli/cansim render "$demo/demo-mix.wav" -o demo-out \
    -p "$demo/closed-back.wav,$demo/open-back.wav,$demo/speakers.wav"
echo "cansim: demo renders are in demo-out/demo-mix/"

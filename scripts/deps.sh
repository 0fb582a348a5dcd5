#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian 12 packages cansim builds with (and, with --tests, tests with), when any
# is missing.
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config clang libomp-dev
    libsndfile1-dev libsamplerate0-dev libsleef-dev libfftw3-dev libebur128-dev libinih-dev
    libjansson-dev libxxhash-dev libmysofa-dev
)
# With --tests, what only the test suite needs: the crossfeed reference (libbs2b), GNU
# parallel (shards), SLURM and munge (a one-node cluster for the job-array test), and the
# audition page's browser and HTML checks. Their playwright-core needs Node.js 18 or later: a
# node already on the machine (a newer one than Debian's, say) is kept.
is_tests=false
[ "${1-}" = --tests ] && is_tests=true
if $is_tests; then
    packages+=(libbs2b-dev clang-format parallel chromium fonts-dejavu-core tidy python3-html5lib)
    packages+=(slurmctld slurmd slurm-client munge)
    command -v node >/dev/null || packages+=(nodejs)
    command -v npm >/dev/null || packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -ne 0 ]; then
    echo "cansim: installing ${missing[*]}" >&2
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "cansim: run as root or install sudo" >&2; exit 1; }
        sudo=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if $is_tests; then
    bash "$(dirname "$0")/deps-page.sh" # playwright-core, locked, for tests/page/
fi

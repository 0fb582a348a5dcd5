#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian 12 packages cansim builds and tests with, when any is missing.
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config clang libomp-dev
    libsndfile1-dev libsamplerate0-dev libsleef-dev libfftw3-dev libebur128-dev libinih-dev
    libjansson-dev libbs2b-dev libxxhash-dev parallel
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "cansim: installing ${missing[*]}" >&2
sudo=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "cansim: run as root or install sudo" >&2; exit 1; }
    sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

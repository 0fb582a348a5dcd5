#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fails when a tracked C file differs from what clang-format (the repository's .clang-format)
# makes of it, and names the files. `bash scripts/format-check.sh --fix` rewrites them instead.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.c' '*.h' 2>/dev/null || find core cli kernels bench tests -name '*.[ch]')
if [ "${1-}" = --fix ]; then
    clang-format -i "${files[@]}"
    exit 0
fi
bad=()
for f in "${files[@]}"; do
    clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -ne 0 ]; then
    echo "cansim: not clang-formatted (bash scripts/format-check.sh --fix): ${bad[*]}" >&2
    exit 1
fi

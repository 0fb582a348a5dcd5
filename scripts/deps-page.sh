#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what the audition page's tests (tests/page/) need on Debian 12, when any is missing:
# Debian's chromium, tidy and python3-html5lib (the HTML checks), Node.js and npm unless a node
# is already there, and playwright-core from tests/page/package-lock.json into
# tests/page/node_modules (no browser download: the tests drive /usr/bin/chromium).
# Quick when everything is present: no apt-get, no npm.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(chromium fonts-dejavu-core tidy python3-html5lib)
# The machine's own Node.js (a newer one than Debian's, say) is kept; playwright-core needs 18+.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

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

major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 18 ]; then
    echo "cansim: node $(node --version) is too old for playwright-core (18 or later)" >&2
    exit 1
fi

# npm ci only when the installed playwright-core is not the locked one.
want=$(node -p 'require("./tests/page/package-lock.json").packages["node_modules/playwright-core"].version')
have=$(node -p 'try { require("./tests/page/node_modules/playwright-core/package.json").version } catch (e) { "" }')
if [ "$want" != "$have" ]; then
    echo "cansim: installing playwright-core $want into tests/page/node_modules" >&2
    (cd tests/page && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
fi

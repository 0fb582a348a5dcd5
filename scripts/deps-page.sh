#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs playwright-core from tests/page/package-lock.json into tests/page/node_modules for the
# audition page's tests (no browser download: they drive Debian's /usr/bin/chromium, which
# scripts/deps.sh installs with Node.js, tidy and python3-html5lib). Run by scripts/deps.sh;
# quick when the locked version is there already: no npm.
set -euo pipefail
cd "$(dirname "$0")/.."

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

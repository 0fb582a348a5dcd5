# SPDX-License-Identifier: MIT
# The audition page of `cansim render --page`, one case per ctest test:
#   page.sh CANSIM CANSIM-GEN SCRATCH CASE TESTS-PAGE-DIR
#   html   the page is valid HTML (tidy, html5lib), refers to nothing on the network, carries
#          the right data (links, responses); a page that cannot be written fails alone
#   play   in headless chromium: play, switch, compare, seek (audition.js play); a screenshot
#          lands in SCRATCH/browser/page.png
#   flac   FLAC renders play (audition.js flac)
#   aiff   AIFF renders: a notice, the original still plays (audition.js aiff)
#   blind  the blind test and ABX (blind.js); its screenshot lands in SCRATCH/browser, or in
#          docs/img/page-blind.png with CANSIM_UPDATE_DOCS=1
#   versions  the run's page of two, then three versions (versions.js), of a folder too big
#          to play at once (a list), never over an index.html cansim did not write; its
#          screenshot: SCRATCH/browser or docs/img/page-versions.png (CANSIM_UPDATE_DOCS=1)
#   map    the translation map (map.js) against the input's report.json; its screenshot:
#          SCRATCH/browser or docs/img/page-map.png (CANSIM_UPDATE_DOCS=1)
# Nothing is skipped: scripts/deps-page.sh installs chromium, node, tidy, html5lib and
# playwright-core.
. "$(dirname "$0")/../e2e/lib.sh"
CASE=$1
HERE=$2
CHROMIUM=${CANSIM_CHROMIUM:-/usr/bin/chromium}
export CANSIM_CHROMIUM="$CHROMIUM"

missing=""
command -v node >/dev/null 2>&1 || missing="$missing node"
[ -x "$CHROMIUM" ] || missing="$missing $CHROMIUM"
command -v tidy >/dev/null 2>&1 || missing="$missing tidy"
/usr/bin/python3 -c 'import html5lib' 2>/dev/null || missing="$missing python3-html5lib"
[ -f "$HERE/node_modules/playwright-core/package.json" ] || missing="$missing $HERE/node_modules/playwright-core"
if [ -n "$missing" ]; then
    echo "FAIL: missing:$missing (scripts/deps-page.sh installs them)" >&2
    exit 1
fi

# A mix in a folder two levels down, with a space and a '#' in its name, rendered two other
# levels down: the page's link to the original must climb and be percent-encoded.
mkdir -p in/deep
input="$SCRATCH/in/deep/my mix #1.wav"
gen tone "$input" 48000 2 480000 wav16
gen ir room.wav 48000 4 2400 7
profiles=reference,hd-650,7506,speakers,room.wav
page_dir="$SCRATCH/out/a/b/my mix #1"
page="$page_dir/index.html"

render_page() {
    run render "$input" -p "$profiles" -o "$SCRATCH/out/a/b" --page "$@"
    expect_rc 0 "render --page $*"
    [ -f "$page" ] || fail "render --page $*: no $page"
    expect_no_part "$SCRATCH/out" "render --page $*"
}

browser() {
    if ! node "$HERE/audition.js" "$1" "$page" "$SCRATCH/browser" "$input"; then
        fail "audition.js $1 (above)"
    fi
}

case $CASE in
html)
    render_page
    # tidy (HTML5): 0 is neither warning nor error.
    if ! out=$(tidy -q -e "$page" 2>&1) || [ -n "$out" ]; then
        fail "tidy finds problems in the page: $out"
    fi
    if ! out=$(/usr/bin/python3 - "$page" 2>&1 <<'EOF'
import sys
import html5lib
p = html5lib.HTMLParser(strict=True)
with open(sys.argv[1], "rb") as f:
    p.parse(f)
EOF
    ); then
        fail "html5lib (strict) rejects the page: $out"
    fi
    # Nothing on the network: the only URL is the SVG namespace, and a policy forbids the rest.
    urls=$(grep -oE '(https?|ftp|wss?)://[^"'"'"' )<>]*' "$page" | grep -vx 'http://www.w3.org/2000/svg')
    [ -z "$urls" ] || fail "the page names network addresses: $urls"
    grep -q "Content-Security-Policy\" content=\"default-src 'none'" "$page" ||
        fail "the page has no Content-Security-Policy that forbids loads by default"
    if ! out=$(node "$HERE/check_data.js" "$page" 2>&1); then
        fail "the page's data: $out"
    fi
    # The page can't be written (its name is taken by a folder): one line, exit 1, no .part;
    # the renders are there.
    mkdir -p "$SCRATCH/out2/a/b/my mix #1/index.html"
    run render "$input" -p reference -o "$SCRATCH/out2/a/b" --page
    expect_rc 1 "render --page onto a folder named index.html"
    expect_one_error_naming "index.html" "render --page onto a folder named index.html"
    expect_no_part "$SCRATCH/out2" "render --page onto a folder named index.html"
    [ -f "$SCRATCH/out2/a/b/my mix #1/reference.wav" ] ||
        fail "a page that cannot be written took the render with it"
    ;;
play)
    render_page
    browser play
    ;;
flac)
    render_page -f flac24
    browser flac
    ;;
aiff)
    render_page -f aiff16
    browser aiff
    ;;
blind)
    render_page
    shot="$SCRATCH/browser/page-blind.png"
    [ "${CANSIM_UPDATE_DOCS:-}" = 1 ] && shot="$HERE/../../docs/img/page-blind.png"
    if ! node "$HERE/blind.js" "$page" "$SCRATCH/browser" "$shot"; then
        fail "blind.js (above)"
    fi
    ;;
versions)
    # Two versions of a mix at different loudness (a tone, then noise), a space in their names:
    # the run's page switches between them.
    mkdir -p "$SCRATCH/v"
    gen tone "$SCRATCH/v/mix v1.wav" 48000 2 480000 wav16
    gen noise "$SCRATCH/v/mix v2.wav" 48000 2 480000 7 wav16
    run render "$SCRATCH/v/mix v1.wav" "$SCRATCH/v/mix v2.wav" -p "$profiles" -o "$SCRATCH/vout" --page
    expect_rc 0 "render --page of two versions"
    run_page="$SCRATCH/vout/index.html"
    [ -f "$run_page" ] && [ -f "$SCRATCH/vout/mix v1/index.html" ] && [ -f "$SCRATCH/vout/mix v2/index.html" ] ||
        fail "render --page of two versions: no run page beside the inputs' pages"
    expect_no_part "$SCRATCH/vout" "render --page of two versions"
    if ! out=$(tidy -q -e "$run_page" 2>&1) || [ -n "$out" ]; then
        fail "tidy finds problems in the run's page: $out"
    fi
    shot="$SCRATCH/browser/page-versions.png"
    [ "${CANSIM_UPDATE_DOCS:-}" = 1 ] && shot="$HERE/../../docs/img/page-versions.png"
    node "$HERE/versions.js" "$run_page" "$SCRATCH/browser" 2 "$shot" || fail "versions.js, 2 mixes (above)"
    # Three versions: three mixes.
    gen noise "$SCRATCH/v/mix v3.wav" 48000 2 480000 8 wav16
    run render "$SCRATCH/v/mix v1.wav" "$SCRATCH/v/mix v2.wav" "$SCRATCH/v/mix v3.wav" -p "$profiles" -o "$SCRATCH/vout" --page
    expect_rc 0 "render --page of three versions"
    node "$HERE/versions.js" "$run_page" "$SCRATCH/browser" 3 "$SCRATCH/browser/page-versions-3.png" || fail "versions.js, 3 mixes (above)"
    # A folder of 5 inputs through every profile: more renders than play at once, so the run's
    # page lists the inputs with a link to each one's page, and no script.
    mkdir -p "$SCRATCH/f/sub"
    for k in 1 2 3 4; do gen tone "$SCRATCH/f/song $k.wav" 48000 2 24000 wav16; done
    gen tone "$SCRATCH/f/sub/song 5.wav" 48000 2 24000 wav16
    run render -r "$SCRATCH/f" -o "$SCRATCH/fout" --page
    expect_rc 0 "render --page of a folder"
    list="$SCRATCH/fout/index.html"
    [ -f "$list" ] || fail "render --page of a folder: no run page"
    if ! out=$(tidy -q -e "$list" 2>&1) || [ -n "$out" ]; then
        fail "tidy finds problems in the run's list: $out"
    fi
    ! grep -q '<script' "$list" || fail "the run's list has a script"
    links=$(grep -o 'href="[^"]*"' "$list" | sed 's/^href="//; s/"$//; s/%20/ /g')
    [ "$(printf '%s\n' "$links" | grep -c .)" = 5 ] || fail "the run's list links $(printf '%s\n' "$links" | grep -c .) pages, not 5"
    printf '%s\n' "$links" | while IFS= read -r l; do
        [ -f "$SCRATCH/fout/$l" ] || { echo "FAIL: the run's list links $l, which is missing" >&2; exit 1; }
    done || fail "a link of the run's list is broken"
    # An index.html cansim did not write is never written over: one line, exit 1, untouched.
    mkdir -p "$SCRATCH/mine"
    echo "my own page" >"$SCRATCH/mine/index.html"
    run render "$SCRATCH/v/mix v1.wav" "$SCRATCH/v/mix v2.wav" -p reference -o "$SCRATCH/mine" --page
    expect_rc 1 "render --page over someone else's index.html"
    expect_one_error_naming "mine/index.html" "render --page over someone else's index.html"
    [ "$(cat "$SCRATCH/mine/index.html")" = "my own page" ] || fail "someone else's index.html was written over"
    ;;
map)
    # The translation map from the input's report (the demo mix, 20 s, level matched).
    [ -x "${CANSIM_SYNTH:-}" ] || fail "CANSIM_SYNTH (cansim-test-synth) is not set"
    "$CANSIM_SYNTH" mix "$input" --seconds 20 --pcm16 || fail "cansim-test-synth mix failed"
    render_page
    grep -q '"band_moments"' "$page_dir/report.json" || fail "the report has no translation to map"
    shot="$SCRATCH/browser/page-map.png"
    [ "${CANSIM_UPDATE_DOCS:-}" = 1 ] && shot="$HERE/../../docs/img/page-map.png"
    node "$HERE/map.js" "$page" "$page_dir/report.json" "$SCRATCH/browser" "$shot" || fail "map.js (above)"
    ;;
*)
    echo "unknown case $CASE" >&2
    exit 2
    ;;
esac
finish

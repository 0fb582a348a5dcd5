# SPDX-License-Identifier: MIT
# Resume misses nothing (issue 13, items 7, 12, 14): an input rewritten with its size and mtime
# kept (touch -r), two equal-size inputs swapped, a deleted, changed or unwritten report.json are
# all rendered again; a touched input is re-verified once and its new identity recorded. The
# summary: kept outputs shown as kept, "1 output", no loudness claimed under --level off, a
# failed input not counted as rendered, long error lines whole. A drawer that passes the
# open-file limit renders whole, byte for byte as without the limit.
# Usage: resume.sh CANSIM CANSIM-GEN SCRATCH BATCH-JSON SANITIZE
. "$(dirname "$0")/safety_lib.sh"

gen noise a.wav 48000 2 24000 1 wav16
gen noise b.wav 48000 2 24000 2 wav16
gen noise c.wav 48000 2 24000 3 wav16
# Each output held under the ceiling on its own (the renders are compared with their inputs; the
# drawer's one level would lower the reference with hd-650).
P="reference,hd-650 --level-scope profile"
P2="reference,hd-650,7506 --level-scope profile"
P3="reference,hd-650,ath-m50x --level-scope profile"

# manifest_at DIR KEY...: a value of DIR's manifest.
manifest_at() {
    d=$1
    shift
    "$JSON" at "$d/$MANIFEST" "$@"
}

# ---------------------------------------------------------------- touch -r: same size, mtime
mkdir in
cp a.wav in/song.wav
run render in/song.wav -o out -p $P
expect_rc 0 "first render"
cp out/song/reference.wav first.wav
cp c.wav in/song.wav.new
touch -r in/song.wav in/song.wav.new
cat in/song.wav.new >in/song.wav # same inode, same size
touch -r in/song.wav.new in/song.wav # same mtime
rm in/song.wav.new
run render in/song.wav -o out -p $P
expect_rc 0 "rewritten with touch -r"
expect_contains stderr "2 outputs of 1 input written" "rewritten with touch -r: rendered again"
cmp -s first.wav out/song/reference.wav && fail "rewritten with touch -r: the stale render was kept"
expect_compare c.wav out/song/reference.wav "rewritten with touch -r: the new content" --tol 1e-4

# ---------------------------------------------------------------- two equal-size files swapped
mkdir sw
cp a.wav sw/x.wav
cp b.wav sw/y.wav
run render sw -o swo -p $P --gain-group none
expect_rc 0 "swap: first render"
mv sw/x.wav sw/t.wav && mv sw/y.wav sw/x.wav && mv sw/t.wav sw/y.wav
touch -r sw/y.wav sw/x.wav
run render sw -o swo -p $P --gain-group none
expect_rc 0 "swap: rerun"
expect_contains stderr "4 outputs of 2 inputs written" "swap: both rendered again"
expect_compare b.wav swo/x/reference.wav "swap: x is b now" --tol 1e-4
expect_compare a.wav swo/y/reference.wav "swap: y is a now" --tol 1e-4

# ---------------------------------------------------------------- a touched input
touch in/song.wav
run render in/song.wav -o out -p $P -v
expect_rc 0 "touched input"
expect_contains stderr "1 input up to date" "touched input: kept"
want=$(stat -c %Y%N in/song.wav >/dev/null; find in/song.wav -printf '%T@\n' | tr -d .)
got=$(manifest_at out/song input mtime_ns)
# find prints ns with 10 fractional digits on some systems: compare the leading 19.
[ "$(printf %.19s "$got")" = "$(printf %.19s "$want")" ] ||
    fail "touched input: the manifest's mtime_ns $got is not the file's ($want): it would be hashed every run"
[ "$(manifest_at out/song input ino)" = "$(stat -c %i in/song.wav)" ] ||
    fail "touched input: the manifest does not record the inode"

# ---------------------------------------------------------------- report.json tracked
sums out >sums.out
rm out/song/report.json
run render in/song.wav -o out -p $P
expect_rc 0 "deleted report"
[ -f out/song/report.json ] || fail "deleted report: not written again"
"$JSON" valid out/song/report.json || fail "deleted report: the new one does not parse"
printf '{}\n' >out/song/report.json
run render in/song.wav -o out -p $P --dry-run
expect_contains stdout "report changed" "stale report: the dry run says why"
run render in/song.wav -o out -p $P
expect_rc 0 "stale report"
[ "$("$JSON" at out/song/report.json input)" = "in/song.wav" ] || fail "stale report: not rewritten"
# A report that cannot be written (a folder in its place): the manifest does not claim it, and
# once the way is clear the next run writes it.
rm out/song/report.json && mkdir out/song/report.json
run render in/song.wav -o out -p $P
expect_rc 1 "unwritable report"
expect_one_error_naming "out/song/report.json" "unwritable report"
[ "$(manifest_at out/song report_file)" = "(absent)" ] ||
    fail "unwritable report: the manifest records a report that was not written"
rmdir out/song/report.json
run render in/song.wav -o out -p $P
expect_rc 0 "report written again"
[ -f out/song/report.json ] || fail "report written again: missing"
[ "$(manifest_at out/song report_file size)" = "$(stat -c %s out/song/report.json)" ] ||
    fail "report written again: the manifest does not record it"

# ---------------------------------------------------------------- the summary
run render in/song.wav -o out -p $P2 -v
expect_rc 0 "partial re-render"
n=$(count_containing stderr "(kept, up to date)")
[ "$n" -eq 2 ] || { fail "partial re-render: $n kept lines, want 2"; show_output; }
expect_absent stderr "0.00 LUFS    0.00 dBFS" "partial re-render: kept outputs shown as zeros"
expect_contains stderr "1 output of 1 input written" "partial re-render: the count"
run render in/song.wav -o out -p $P3 --dry-run
expect_contains stderr "(1 output)" "--dry-run: one output"
gen noise f.wav 48000 2 24000 4 wav32f
run render f.wav -o off -p reference --level off --ceiling off -v
expect_rc 0 "--level off -v"
expect_absent stderr "-inf LUFS" "--level off -v"
expect_absent stderr "(loudness predicted)" "--level off -v"
# A flat render held by a ceiling a few thousandths of a dB under its peak: the cut is shown.
gen noise flat.wav 48000 2 24000 5 wav16
run render flat.wav -o flat -p reference --ceiling off
peak=$("$JSON" at flat/flat/report.json outputs 0 true_peak_dbtp)
for d in 0.004 0.003 0.002 0.001 0.000 -0.001 -0.002 -0.003 -0.004; do
    c=$(awk -v p="$peak" -v d="$d" 'BEGIN { c = p + d; if (c > 0) c = 0; printf "%.3f", c }')
    run render flat.wav -o flat -p reference --ceiling "$c" --force -v
    if grep -E -q -e 'gain +-0\.0+ dB' -e 'gain +[-+]0\.0+ dB \(limited' stderr; then
        fail "a flat render, --ceiling $c: a gain of -0 or a limit of 0 shown: $(grep ' gain' stderr)"
    fi
done
gen nan bad.wav 48000 2 24000 100
run render bad.wav -o bad -p $P --json
expect_rc 1 "a failed input"
expect_eq "$(json_get stdout summary inputs_rendered)" 0 "a failed input: inputs_rendered"
expect_eq "$(json_get stdout summary audio_hours)" 0 "a failed input: audio_hours"
long=in
i=0
while [ $i -lt 12 ]; do
    long=$long/$(printf 'a%.0s' $(seq 1 120))
    i=$((i + 1))
done
mkdir -p "$long"
run render "$long/missing.wav" -o lo -p reference
expect_rc 1 "a long path"
line=$(grep '^cansim: ' stderr | head -n 1)
case $line in
*"$long/missing.wav: No such file or directory") ;;
*) fail "a long path: the line lost its reason (${#line} characters)" ;;
esac

# ---------------------------------------------------------------- many profiles, few files
mkdir many
i=1
list=
while [ $i -le 150 ]; do
    cp "$SCRATCH/room.wav" many/p$i.wav 2>/dev/null || gen ir many/p$i.wav 48000 2 64 $i
    list=$list${list:+,}many/p$i.wav
    i=$((i + 1))
done
run render a.wav b.wav -o fd-ref -p "$list" -f wav24 -t 2 -q --level-scope profile
expect_rc 0 "150 profiles, no limit"
# Soft limit only: raised to the hard one.
sh -c 'ulimit -S -n 64 && exec "$@"' sh "$CANSIM" render a.wav b.wav -o fd-soft -p "$list" -f wav24 -t 2 -q --level-scope profile \
    >stdout 2>stderr
rc=$?
expect_rc 0 "150 profiles, soft limit 64"
# Hard limit too: in passes (each output held on its own under the ceiling, as in passes the
# drawer's one level cannot be: --level-scope profile throughout, so the three agree).
sh -c 'ulimit -n 96 && exec "$@"' sh "$CANSIM" render a.wav b.wav -o fd-hard -p "$list" -f wav24 -t 2 --level-scope profile \
    >stdout 2>stderr
rc=$?
expect_rc 0 "150 profiles, hard limit 96"
expect_absent stderr "Too many open files" "150 profiles, hard limit 96"
expect_contains stderr "rendered in passes" "150 profiles, hard limit 96: the notice"
for d in fd-soft fd-hard; do
    n=$(audio_files $d | wc -l)
    [ "$n" -eq 300 ] || fail "$d: $n renders, want 300"
    for f in a/p1.wav a/p77.wav b/p150.wav; do
        cmp -s fd-ref/$f $d/$f || fail "$d/$f differs from the render without a limit"
    done
done

finish

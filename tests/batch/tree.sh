# SPDX-License-Identifier: MIT
# A folder of stems: mixed rates (44.1, 48, 96 kHz), mono and stereo, WAV/FLAC/AIFF in 16-bit,
# 24-bit and float, two levels deep, with a corrupt, a truncated, an empty and a non-audio file.
# The good ones render at the mirrored paths (rate kept, or converted by --rate with the right
# length), the bad ones are named and the run exits 1. Then what a rerun does: keeps what is up
# to date and re-renders exactly what is not, and why (--dry-run, --json).
# Usage: tree.sh CANSIM CANSIM-GEN SCRATCH BATCH-JSON SANITIZE
. "$(dirname "$0")/batch_lib.sh"

# Issue 6's rules for single inputs: each stem level matched on its own (--gain-group none), so
# a stem's renders depend on that stem alone. Gain groups, where a song's stems share one gain
# and re-render together, are tests/e2e/gain_groups.sh's.
run() {
    last_cmd="cansim $*"
    if [ "$1" = render ]; then
        shift
        set -- render --gain-group none "$@"
    fi
    "$CANSIM" "$@" >"$SCRATCH/stdout" 2>"$SCRATCH/stderr"
    rc=$?
}

# name rate channels frames seed format: the good stems. The lengths are not multiples of the
# rate, so a conversion's rounding shows.
cat >good.list <<'EOF'
songA/drums/kick.wav 44100 1 66157 1 wav16
songA/drums/snare.flac 96000 2 144002 2 flac24
songA/bass.aiff 48000 2 72001 3 aiff24
songA/keys.aif 44100 2 88201 4 aiff32f
songB/vox.wav 96000 1 192002 5 wav32f
songB/gtr.flac 44100 1 50000 6 flac16
songB/pad.wav 48000 2 60000 7 wav24
top.wav 48000 2 48000 8 wav16
EOF
mkdir -p stems/songA/drums stems/songB
while read -r name rate ch frames seed fmt; do
    gen noise "stems/$name" "$rate" "$ch" "$frames" "$seed" "$fmt"
done <good.list
gen random stems/songA/broken.wav 6000 1
gen truncated stems/songB/cut.wav 48000 2 96000
: >stems/empty.wav
echo "stems, take 3" >stems/songA/notes.txt
gen noise stems/songB/.hidden.wav 48000 2 4800 9 wav16
echo junk >stems/.DS_Store
n_good=$(count_lines good.list)

# rel ext major subtype of a stem, from good.list.
rel_of() { echo "${1%.*}"; }
major_of() {
    case $1 in
    *.wav) echo wav ;;
    *.flac) echo flac ;;
    *) echo aiff ;;
    esac
}
subtype_of() {
    case $1 in
    *16) echo pcm16 ;;
    *24) echo pcm24 ;;
    *) echo float ;;
    esac
}
ext_of() {
    case $1 in
    *.wav) echo wav ;;
    *.flac) echo flac ;;
    *) echo aiff ;;
    esac
}

# expect_tree OUT RATE WHAT: every good stem's renders at OUT/<rel>/<id>.<ext>, stereo, at RATE
# ("keep": the stem's own) with the matching length; its report.json and .manifest.json parse.
expect_tree() {
    while read -r name rate ch frames seed fmt; do
        rel=$(rel_of "$name")
        if [ "$2" = keep ]; then
            want_rate=$rate
            want_frames=$frames
        else
            want_rate=$2
            want_frames=$(rounded "$frames" "$2" "$rate")
        fi
        for id in $IDS; do
            expect_info "$1/$rel/$id.$(ext_of "$name")" \
                "frames=$want_frames channels=2 rate=$want_rate major=$(major_of "$name") subtype=$(subtype_of "$fmt")" \
                "$3: $name"
        done
        for doc in report.json "$MANIFEST"; do
            if [ ! -f "$1/$rel/$doc" ]; then
                fail "$3: $1/$rel/$doc is missing"
            elif ! "$JSON" valid "$1/$rel/$doc"; then
                fail "$3: $1/$rel/$doc does not parse"
            fi
        done
        if [ -f "$1/$rel/$MANIFEST" ]; then
            n=$("$JSON" manifest "$1/$rel/$MANIFEST" | wc -l)
            [ "$n" -eq 3 ] || fail "$3: $1/$rel/$MANIFEST lists $n outputs, want 3"
        fi
    done <good.list
    # Nothing else: 3 renders and 2 documents per good stem.
    n=$(final_files "$1" | wc -l)
    [ "$n" -eq $((5 * n_good)) ] ||
        fail "$3: $n files under $1, want $((5 * n_good)): $(final_files "$1" | tr '\n' ' ')"
    p=$(parts "$1")
    [ -z "$p" ] || fail "$3: temporary files left: $(echo "$p" | tr '\n' ' ')"
    for bad in songA/broken songB/cut empty songA/notes songB/.hidden .DS_Store; do
        [ ! -e "$1/$bad" ] || fail "$3: $1/$bad exists (a bad, hidden or non-audio input)"
    done
}

# expect_bad_named WHAT: stderr names each bad input in a "cansim: " line, with what is wrong.
expect_bad_named() {
    for x in "stems/songA/broken.wav" "stems/songB/cut.wav:truncated" "stems/empty.wav:empty"; do
        path=${x%%:*}
        word=${x#"$path"}
        word=${word#:}
        n=$(P=$path W=$word awk 'index($0, "cansim: ") == 1 && index($0, ENVIRON["P"]) > 0 &&
                                 index($0, ENVIRON["W"]) > 0 { n++ } END { print n + 0 }' stderr)
        if [ "$n" -eq 0 ]; then
            fail "$1: no stderr line 'cansim: ...' names $path${word:+ as $word}"
            show_output
        fi
    done
    n=$(P=stems/songA/notes.txt awk 'index($0, ENVIRON["P"]) > 0 && index($0, "not audio") > 0 {
                                     n++ } END { print n + 0 }' stderr)
    [ "$n" -eq 1 ] || { fail "$1: $n stderr lines say notes.txt is not audio, want 1"; show_output; }
    expect_absent stderr ".hidden" "$1: a hidden file is mentioned"
    expect_absent stderr ".DS_Store" "$1: a hidden file is mentioned"
    while read -r name rest; do
        if [ "$(count_prefix stderr "cansim: stems/$name")" -ne 0 ]; then
            fail "$1: an error line names the good stem $name"
            show_output
        fi
    done <good.list
}

# ---------------------------------------------------------------- the first renders
R="stems -r -o out --rate 48000 -p $PROFILES -t 2"
run render $R
expect_rc 1 "render stems -r --rate 48000"
expect_bad_named "render stems -r --rate 48000"
expect_tree out 48000 "render stems -r --rate 48000"
cp -R out ref48
# stderr is not a terminal: no progress line.
if grep -q -e "$(printf '\r')" -e 'ETA' stderr; then
    fail "render stems -r: a progress line on stderr, which is not a terminal"
fi

run render stems -r -o keep -p $PROFILES -t 2
expect_rc 1 "render stems -r (rates kept)"
expect_bad_named "render stems -r (rates kept)"
expect_tree keep keep "render stems -r (rates kept)"
# --rate 48000 leaves the 48 kHz stems as they are: the same bytes as without it.
for f in songA/bass/sennheiser-hd-650.aiff songB/pad/reference.wav top/sony-mdr-7506.wav; do
    cmp -s "keep/$f" "out/$f" || fail "$f: --rate 48000 changed a 48 kHz stem's render"
done

# Without -r: the folder's own files only, and a note that its folders were not searched.
run render stems -o flat -p reference
expect_rc 1 "render stems (no -r)"
n=$(final_files flat | grep -c -v -e '^top/' || true)
[ "$n" -eq 0 ] || fail "render stems without -r rendered stems of its folders: $(final_files flat | tr '\n' ' ')"
[ -f flat/top/reference.wav ] || fail "render stems without -r did not render stems/top.wav"

# ---------------------------------------------------------------- resume
# The same command again: everything up to date, nothing written.
snap out >snap.before
run render $R
expect_rc 1 "rerun"
expect_contains stderr "$n_good inputs up to date" "rerun"
expect_bad_named "rerun"
snap out >snap.after
cmp -s snap.before snap.after || fail "rerun: the tree changed: $(diff snap.before snap.after | grep '^[<>]' | head -10 | tr '\n' ' ')"

# Options that do not change the outputs keep them: threads, verbosity, JSON, input spelling.
for variant in "-t 1" "-v" "-q" "--json" "./stems/ -r -o out/ --rate 48000 -p $PROFILES" \
    "$SCRATCH/stems -r -o $SCRATCH/out --rate 48000 -p $PROFILES"; do
    case $variant in
    -*) run render $R $variant ;;
    *) run render $variant ;;
    esac
    expect_rc 1 "rerun with $variant"
    snap out >snap.after
    cmp -s snap.before snap.after ||
        fail "rerun with $variant: the tree changed: $(diff snap.before snap.after | grep '^[<>]' | head -6 | tr '\n' ' ')"
done

# --dry-run: one line per input, nothing written, exit 1 (inputs fail).
run render $R --dry-run
expect_rc 1 "--dry-run, all up to date"
cp stdout dry.out
for name in $(cut -d' ' -f1 good.list); do
    expect_contains dry.out "keep    stems/$name: 3 outputs up to date" "--dry-run, all up to date"
done
expect_contains dry.out "skip    stems/songA/notes.txt: not audio" "--dry-run, all up to date"
for bad in stems/songA/broken.wav stems/songB/cut.wav stems/empty.wav; do
    [ "$(P=$bad awk 'index($0, "fail    ") == 1 && index($0, ENVIRON["P"]) > 0 { n++ }
                     END { print n + 0 }' dry.out)" -eq 1 ] ||
        fail "--dry-run: no 'fail    ...' line names $bad"
done
[ "$(count_lines dry.out)" -eq $((n_good + 4)) ] ||
    fail "--dry-run: $(count_lines dry.out) lines, want $((n_good + 4)) (one per input)"
snap out >snap.after
cmp -s snap.before snap.after || fail "--dry-run wrote into the tree"

# A dry run into a new folder creates nothing.
run render stems -r -o fresh --rate 48000 -p $PROFILES --dry-run
expect_rc 1 "--dry-run into a new folder"
[ ! -e fresh ] || fail "--dry-run created the output folder"
expect_contains stdout "render  stems/songA/drums/kick.wav -> fresh/songA/drums/kick/: 3 outputs (new)" \
    "--dry-run into a new folder"

# touch: the content is the same (its hash), the renders stay.
snap_files out '*.wav' '*.flac' '*.aiff' report.json >snap.before
touch -d '2001-02-03 04:05:06' stems/songA/bass.aiff
run render $R --dry-run
expect_contains stdout "keep    stems/songA/bass.aiff: 3 outputs up to date" "--dry-run after a touch"
run render $R
expect_rc 1 "rerun after a touch"
expect_contains stderr "$n_good inputs up to date" "rerun after a touch"
snap_files out '*.wav' '*.flac' '*.aiff' report.json >snap.after
cmp -s snap.before snap.after || fail "rerun after a touch: renders were written: $(diff snap.before snap.after | grep '^[<>]' | head -6 | tr '\n' ' ')"

# New content (same size): that stem's renders again, and only them.
snap out >snap.before
gen noise stems/songB/pad.wav 48000 2 60000 70 wav24
run render $R --dry-run
expect_contains stdout "render  stems/songB/pad.wav -> out/songB/pad/: 3 outputs (input changed)" \
    "--dry-run after new content"
[ "$(count_prefix stdout "render  ")" -eq 1 ] || fail "--dry-run after new content: other inputs would render: $(cat stdout)"
run render $R
expect_rc 1 "rerun after new content"
expect_contains stderr "$((n_good - 1)) inputs up to date" "rerun after new content"
snap out >snap.after
changed=$(diff snap.before snap.after | grep '^>' | awk '{ print $2 }' | LC_ALL=C sort -u | tr '\n' ' ')
for f in $changed; do
    case $f in
    songB/pad | songB/pad/*) ;;
    *) fail "rerun after new content of songB/pad.wav: $f was written" ;;
    esac
done
for id in $IDS; do
    case " $changed " in
    *" songB/pad/$id.wav "*) ;;
    *) fail "rerun after new content: songB/pad/$id.wav was not rendered again" ;;
    esac
    cmp -s out/songB/pad/$id.wav ref48/songB/pad/$id.wav &&
        fail "rerun after new content: songB/pad/$id.wav is the old render"
done
expect_tree out 48000 "rerun after new content"
rm -rf ref48/songB/pad && cp -R out/songB/pad ref48/songB/pad

# Every output option re-renders everything (dry run: why), and back again.
for opt in "-f wav24" "--level -20" "--level off" "--ceiling -3" "--ceiling off" "--tail" \
    "--rate 44100" "--resampler fast" "--partition 1024"; do
    case $opt in
    --rate*) run render stems -r -o out -p $PROFILES -t 2 $opt --dry-run ;;
    *) run render $R $opt --dry-run ;;
    esac
    expect_rc 1 "--dry-run $opt"
    n=$(count_prefix stdout "render  ")
    m=$(count_containing stdout ": 3 outputs (options changed)")
    if [ "$n" -ne "$n_good" ] || [ "$m" -ne "$n_good" ]; then
        fail "--dry-run $opt: want $n_good lines 'render  ...: 3 outputs (options changed)', got $n render lines, $m with that reason"
        show_output
    fi
done
# The rate is an option too: a run without --rate renders again at each stem's rate.
snap out >snap.before
run render stems -r -o out -p $PROFILES -t 2 --ceiling -3
expect_rc 1 "--ceiling -3"
expect_absent stderr "inputs up to date" "--ceiling -3"
run render $R --ceiling -3 --dry-run
[ "$(count_containing stdout ": 3 outputs (options changed)")" -eq "$n_good" ] ||
    fail "--rate 48000 after a run without: not every input is rendered again"
run render $R
expect_rc 1 "back to the first options"
expect_tree out 48000 "back to the first options"
expect_same_tree ref48 out "back to the first options"
snap out >snap.after
n=$(diff snap.before snap.after | grep -c '^>.* f ' || true)
[ "$n" -eq $((5 * n_good)) ] || fail "back to the first options: $n files written, want $((5 * n_good))"

# A profile more: only its renders; the others are not touched.
snap_files out '*.wav' '*.flac' '*.aiff' >snap.before
run render $R -p $PROFILES,hd-600 --dry-run
[ "$(count_containing stdout ": 1 output (new profile)")" -eq "$n_good" ] ||
    { fail "-p ...,hd-600 --dry-run: want $n_good lines '...: 1 output (new profile)'"; show_output; }
run render $R -p $PROFILES,hd-600
expect_rc 1 "-p ...,hd-600"
snap_files out '*.wav' '*.flac' '*.aiff' >snap.after
n=$(comm -13 snap.before snap.after | grep -c -v 'sennheiser-hd-600\.' || true)
[ "$n" -eq 0 ] || fail "-p ...,hd-600: other renders were written: $(comm -13 snap.before snap.after | tr '\n' ' ')"
n=$(comm -13 snap.before snap.after | grep -c 'sennheiser-hd-600\.' || true)
[ "$n" -eq "$n_good" ] || fail "-p ...,hd-600: $n hd-600 renders, want $n_good"
[ -z "$(comm -23 snap.before snap.after)" ] || fail "-p ...,hd-600: renders were removed or rewritten"
# A smaller selection is up to date; so is the whole one afterwards (the manifest still knows
# every render it lists, selected or not).
run render $R -p reference --dry-run
[ "$(count_containing stdout ": 1 output up to date")" -eq "$n_good" ] ||
    { fail "-p reference after -p ...: want every input up to date"; show_output; }
run render $R -p reference,hd-800
expect_rc 1 "-p reference,hd-800"
snap_files out '*.wav' '*.flac' '*.aiff' >snap.before
run render $R -p $PROFILES,hd-600,hd-800 --dry-run
n=$(count_prefix stdout "keep    ")
[ "$n" -eq "$n_good" ] || {
    fail "-p $PROFILES,hd-600,hd-800 after -p reference,hd-800: $n inputs up to date, want $n_good (a run with fewer profiles forgot the others' renders)"
    show_output
}
run render $R -p $PROFILES,hd-600,hd-800
snap_files out '*.wav' '*.flac' '*.aiff' >snap.after
cmp -s snap.before snap.after || fail "-p $PROFILES,hd-600,hd-800 after -p reference,hd-800: renders were written again: $(comm -13 snap.before snap.after | head -5 | tr '\n' ' ')"
# Back to the first selection: the tree as it was, reports included.
rm -f out/*/*/sennheiser-hd-600.* out/*/*/*/sennheiser-hd-600.* out/*/sennheiser-hd-600.*
rm -f out/*/*/sennheiser-hd-800-s.* out/*/*/*/sennheiser-hd-800-s.* out/*/sennheiser-hd-800-s.*
run render $R --force
expect_rc 1 "--force"
expect_same_tree ref48 out "--force"

# A changed profile (an impulse response file): only its renders again, "profile changed".
gen noise ir.wav 48000 2 64 11 wav32f
run render stems -r --rate 48000 -t 2 -p reference,ir.wav -o irout
expect_rc 1 "-p reference,ir.wav"
snap_files irout '*.wav' '*.flac' '*.aiff' >snap.before
gen noise ir.wav 48000 2 64 12 wav32f
run render stems -r --rate 48000 -t 2 -p reference,ir.wav -o irout --dry-run
n=$(count_containing stdout ": 1 output (profile changed)")
[ "$n" -eq "$n_good" ] || { fail "a changed ir.wav: want $n_good lines '...: 1 output (profile changed)'"; show_output; }
run render stems -r --rate 48000 -t 2 -p reference,ir.wav -o irout
expect_rc 1 "a changed ir.wav"
snap_files irout '*.wav' '*.flac' '*.aiff' >snap.after
n=$(comm -13 snap.before snap.after | grep -c -v '/ir\.' || true)
[ "$n" -eq 0 ] || fail "a changed ir.wav: other renders were written: $(comm -13 snap.before snap.after | tr '\n' ' ')"
n=$(comm -13 snap.before snap.after | grep -c '/ir\.' || true)
[ "$n" -eq "$n_good" ] || fail "a changed ir.wav: $n renders of it again, want $n_good"
# A design option (--target) changes the curve profiles' filters.
run render $R --target diffuse-field --dry-run
n=$(count_containing stdout "profile changed")
[ "$n" -eq "$n_good" ] || { fail "--target diffuse-field: want every input's headphone renders again (profile changed)"; show_output; }

# A render removed, or changed: that one again, the same bytes; nothing else.
snap out >snap.before
rm out/songA/bass/sennheiser-hd-650.aiff
printf 'x' >>out/songB/vox/reference.wav
touch -d '2001-02-03 04:05:06' out/top/sony-mdr-7506.wav
snap out >snap.before
run render $R --dry-run
expect_contains stdout "render  stems/songA/bass.aiff -> out/songA/bass/: 1 output (output missing)" \
    "--dry-run, a render removed"
expect_contains stdout "render  stems/songB/vox.wav -> out/songB/vox/: 1 output (output modified)" \
    "--dry-run, a render changed"
expect_contains stdout "render  stems/top.wav -> out/top/: 1 output (output modified)" \
    "--dry-run, a render touched"
[ "$(count_prefix stdout "render  ")" -eq 3 ] || { fail "--dry-run, renders removed or changed: want 3 inputs to render"; show_output; }
run render $R
expect_rc 1 "rerun, renders removed or changed"
expect_contains stderr "$((n_good - 3)) inputs up to date" "rerun, renders removed or changed"
expect_same_tree ref48 out "rerun, renders removed or changed"
snap out >snap.after
for f in $(diff snap.before snap.after | grep '^>' | awk '$2 == "f" { print $1 }'); do
    case $f in
    songA/bass/sennheiser-hd-650.aiff | songB/vox/reference.wav | top/sony-mdr-7506.wav) ;;
    */"$MANIFEST" | */report.json) ;;
    *) fail "rerun, renders removed or changed: $f was written" ;;
    esac
done

# An unreadable manifest (garbage, cut short): a notice, that stem's renders again.
printf 'not json {' >out/top/$MANIFEST
head -c 100 out/songA/keys/$MANIFEST >m.tmp && mv m.tmp out/songA/keys/$MANIFEST
snap_files out '*.wav' '*.flac' '*.aiff' >snap.before
run render $R
expect_rc 1 "rerun, unreadable manifests"
for m in out/top/$MANIFEST out/songA/keys/$MANIFEST; do
    n=$(P=$m awk 'index($0, ENVIRON["P"]) > 0 { n++ } END { print n + 0 }' stderr)
    [ "$n" -ge 1 ] || { fail "rerun, unreadable manifests: no notice names $m"; show_output; }
done
expect_contains stderr "$((n_good - 2)) inputs up to date" "rerun, unreadable manifests"
expect_same_tree ref48 out "rerun, unreadable manifests"
snap_files out '*.wav' '*.flac' '*.aiff' >snap.after
n=$(comm -13 snap.before snap.after | grep -c -v -e '^top/' -e '^songA/keys/' || true)
[ "$n" -eq 0 ] || fail "rerun, unreadable manifests: other renders written: $(comm -13 snap.before snap.after | tr '\n' ' ')"

# --force: everything again, the same bytes.
snap_files out '*.wav' '*.flac' '*.aiff' >snap.before
run render $R --force --dry-run
[ "$(count_containing stdout ": 3 outputs (forced)")" -eq "$n_good" ] ||
    { fail "--force --dry-run: want $n_good lines '...: 3 outputs (forced)'"; show_output; }
run render $R --force
expect_rc 1 "--force"
expect_absent stderr "inputs up to date" "--force"
snap_files out '*.wav' '*.flac' '*.aiff' >snap.after
n=$(comm -12 snap.before snap.after | wc -l)
[ "$n" -eq 0 ] || fail "--force: $n renders were not written again"
expect_same_tree ref48 out "--force (twice)"

# Another cansim version wrote the manifest: that stem's renders again.
sed 's/"cansim": "[^"]*"/"cansim": "0.0.0-old"/' out/top/$MANIFEST >m.tmp && mv m.tmp out/top/$MANIFEST
grep -q '0.0.0-old' out/top/$MANIFEST || fail "(test) could not change the version in out/top/$MANIFEST"
run render $R --dry-run
expect_contains stdout "render  stems/top.wav -> out/top/: 3 outputs (cansim version changed)" \
    "--dry-run, a manifest of another version"
[ "$(count_prefix stdout "render  ")" -eq 1 ] || { fail "--dry-run, a manifest of another version: other inputs would render"; show_output; }
run render $R
expect_rc 1 "rerun, a manifest of another version"
expect_contains stderr "$((n_good - 1)) inputs up to date" "rerun, a manifest of another version"
expect_same_tree ref48 out "rerun, a manifest of another version"

# ---------------------------------------------------------------- --json
# A real run with some work: events parse, one per input, the summary counts right.
rm -rf out/songA
run render $R --json --report all.json
expect_rc 1 "--json"
cp stdout json.out
# --report FILE: the whole run's report, with the inputs rendered.
if "$JSON" valid all.json; then
    for rel in songA/drums/kick songA/drums/snare songA/bass songA/keys; do
        grep -q -F "\"relative_path\": \"$rel\"" all.json || fail "--report all.json: no input $rel"
    done
else
    fail "--report all.json: not a JSON object"
fi
expect_json_lines json.out "--json"
n=$(grep -c -x input "$SCRATCH/events" || true)
[ "$n" -eq 7 ] || fail "--json: $n input events, want 7 (4 rendered, 3 failed)"
[ "$(grep -c -x summary "$SCRATCH/events" || true)" -eq 1 ] || fail "--json: want one summary event"
[ "$(tail -n 1 "$SCRATCH/events")" = summary ] || fail "--json: the summary is not the last line"
n=$(grep -c -v -x -e input -e summary -e progress "$SCRATCH/events" || true)
[ "$n" -eq 0 ] || fail "--json: unknown events: $(sort -u "$SCRATCH/events" | tr '\n' ' ')"
expect_eq "$(json_get json.out summary inputs_rendered)" 4 "--json summary inputs_rendered"
expect_eq "$(json_get json.out summary outputs_rendered)" 12 "--json summary outputs_rendered"
expect_eq "$(json_get json.out summary inputs_up_to_date)" 4 "--json summary inputs_up_to_date"
expect_eq "$(json_get json.out summary not_audio)" 1 "--json summary not_audio"
expect_eq "$(json_get json.out summary failed)" 3 "--json summary failed"
expect_eq "$(json_get json.out summary failures)" 3 "--json summary failures"
expect_eq "$(json_get json.out summary interrupted)" false "--json summary interrupted"
"$JSON" get json.out input status | LC_ALL=C sort | uniq -c | awk '{ print $2 "=" $1 }' | tr '\n' ' ' >st
expect_eq "$(cat st)" "failed=3 ok=4 " "--json input statuses"
"$JSON" failures json.out >failures
for bad in stems/songA/broken.wav stems/songB/cut.wav stems/empty.wav; do
    grep -q -F "$bad" failures || fail "--json: the summary's failures do not name $bad"
done
"$JSON" get json.out input input | LC_ALL=C sort >inputs
for name in songA/drums/kick.wav songA/drums/snare.flac songA/bass.aiff songA/keys.aif; do
    grep -q -x -F "stems/$name" inputs || fail "--json: no input event for stems/$name"
done
expect_same_tree ref48 out "--json"

# --dry-run --json: a plan per input, a summary; nothing written.
rm -rf out/songB/gtr out/top/reference.wav
snap out >snap.before
run render $R --dry-run --json
expect_rc 1 "--dry-run --json"
cp stdout plan.out
expect_json_lines plan.out "--dry-run --json"
[ "$(grep -c -x plan "$SCRATCH/events" || true)" -eq $((n_good + 4)) ] ||
    fail "--dry-run --json: want $((n_good + 4)) plan events"
[ "$(grep -c -v -x -e plan -e summary "$SCRATCH/events" || true)" -eq 0 ] ||
    fail "--dry-run --json: events other than plan and summary"
expect_eq "$(json_get plan.out summary dry_run)" true "--dry-run --json summary dry_run"
expect_eq "$(json_get plan.out summary inputs_to_render)" 2 "--dry-run --json inputs_to_render"
expect_eq "$(json_get plan.out summary outputs_to_render)" 4 "--dry-run --json outputs_to_render"
expect_eq "$(json_get plan.out summary inputs_up_to_date)" $((n_good - 2)) \
    "--dry-run --json inputs_up_to_date"
expect_eq "$(json_get plan.out summary inputs_failed)" 3 "--dry-run --json inputs_failed"
expect_eq "$(json_get plan.out summary not_audio)" 1 "--dry-run --json not_audio"
"$JSON" plans plan.out >plans
grep -q -x -F "render songB/gtr stems/songB/gtr.flac" plans || fail "--dry-run --json: no render plan for songB/gtr: $(cat plans)"
grep -q -x -F "  sennheiser-hd-650 render new" plans || fail "--dry-run --json: songB/gtr's outputs are not 'render new'"
grep -q -x -F "render top stems/top.wav" plans || fail "--dry-run --json: no render plan for top"
grep -q -x -F "  reference render output missing" plans || fail "--dry-run --json: top/reference is not 'render output missing'"
grep -q -x -F "  sony-mdr-7506 keep -" plans || fail "--dry-run --json: top/sony-mdr-7506 is not 'keep'"
grep -q -x -F "skip songA/notes stems/songA/notes.txt" plans || fail "--dry-run --json: notes.txt is not 'skip'"
[ "$(grep -c '^fail ' plans)" -eq 3 ] || fail "--dry-run --json: want 3 'fail' plans: $(cat plans)"
[ "$(grep -c '^keep ' plans)" -eq $((n_good - 2)) ] || fail "--dry-run --json: want $((n_good - 2)) 'keep' plans"
snap out >snap.after
cmp -s snap.before snap.after || fail "--dry-run --json wrote into the tree"

finish

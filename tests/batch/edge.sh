# SPDX-License-Identifier: MIT
# What else a user of `cansim render` over folders relies on: OUT inside the input folder is not
# an input; two stems of one name in one folder (mix.wav, mix.flac) fail clearly; inputs given
# as files, twice, or missing; names with spaces and non-ASCII letters, upper-case extensions,
# audio under a non-audio name; hidden folders; a symlink loop; the same bytes at any thread
# count and whichever way the inputs are named on the command line.
# Usage: edge.sh CANSIM CANSIM-GEN SCRATCH BATCH-JSON SANITIZE
. "$(dirname "$0")/batch_lib.sh"

mkdir -p stems/song stems/other
gen noise stems/song/kick.wav 44100 1 30011 1 wav16
gen noise stems/song/bass.flac 48000 2 24007 2 flac24
gen noise stems/song/keys.aiff 96000 2 48013 3 aiff16
gen noise stems/other/vox.wav 48000 2 24001 4 wav32f
gen noise stems/other/gtr.wav 44100 2 22051 5 wav16
gen noise stems/top.wav 48000 2 24000 6 wav24

# ---------------------------------------------------------------- OUT inside the input folder
for out in stems/renders stems/renders/ ./stems/renders; do
    rm -rf stems/renders
    run render stems -r -o "$out" -p reference
    expect_rc 0 "-o $out inside the input folder"
    n=$(audio_files stems/renders | wc -l)
    [ "$n" -eq 6 ] || fail "-o $out inside the input folder: $n renders, want 6: $(audio_files stems/renders | tr '\n' ' ')"
    snap stems/renders >snap.before
    run render stems -r -o "$out" -p reference --dry-run
    expect_rc 0 "-o $out inside the input folder, --dry-run"
    expect_absent stdout "renders/" "-o $out inside the input folder: the renders are inputs"
    [ "$(count_prefix stdout "keep    ")" -eq 6 ] || { fail "-o $out inside the input folder: a rerun does not keep all 6"; show_output; }
    run render stems -r -o "$out" -p reference
    expect_rc 0 "-o $out inside the input folder, rerun"
    expect_contains stderr "6 inputs up to date" "-o $out inside the input folder, rerun"
    expect_absent stderr "renders/" "-o $out inside the input folder, rerun"
    snap stems/renders >snap.after
    cmp -s snap.before snap.after || fail "-o $out inside the input folder: the rerun wrote"
done
rm -rf stems/renders
# OUT is the input folder itself: refused (exit 2), or its renders are never inputs.
cp -R stems self
run render self -r -o self -p reference
if [ "$rc" -ne 2 ]; then
    expect_rc 0 "-o self with the input folder self"
    run render self -r -o self -p reference --dry-run
    n=$(awk 'index($0, "/reference.wav") > 0 || index($0, "report.json") > 0 ||
             index($0, "manifest") > 0' stdout | wc -l)
    [ "$n" -eq 0 ] || { fail "-o self with the input folder self: a rerun takes $n renders or reports for inputs"; show_output; }
    [ "$(count_prefix stdout "keep    ")" -eq 6 ] || { fail "-o self with the input folder self: a rerun does not keep all 6"; show_output; }
fi

# ---------------------------------------------------------------- two stems of one name
mkdir -p same
gen noise same/mix.wav 48000 2 12000 7 wav16
gen noise same/mix.flac 48000 2 12000 8 flac16
gen noise same/other.wav 48000 2 12000 9 wav16
run render same -o sameout -p reference,hd-650
expect_rc 1 "mix.wav and mix.flac"
n=$(awk 'index($0, "cansim: ") == 1 && index($0, "same/mix.wav") > 0 &&
         index($0, "same/mix.flac") > 0 { n++ } END { print n + 0 }' stderr)
[ "$n" -ge 1 ] || { fail "mix.wav and mix.flac: no error line names both"; show_output; }
expect_contains stderr "sameout/mix" "mix.wav and mix.flac: the error names the folder"
n=$(audio_files sameout/mix | wc -l)
[ "$n" -eq 2 ] || fail "mix.wav and mix.flac: $n renders in sameout/mix, want the first one's 2"
[ "$(audio_files sameout/mix | sed 's/.*\.//' | sort -u | wc -l)" -eq 1 ] ||
    fail "mix.wav and mix.flac: sameout/mix holds renders of both"
[ -f sameout/other/reference.wav ] || fail "mix.wav and mix.flac: other.wav was not rendered"
# The rerun: the same failure, nothing rewritten, the first still up to date.
snap sameout >snap.before
run render same -o sameout -p reference,hd-650
expect_rc 1 "mix.wav and mix.flac, rerun"
snap sameout >snap.after
cmp -s snap.before snap.after || fail "mix.wav and mix.flac, rerun: the tree changed"

# ---------------------------------------------------------------- inputs named as files
# One file: OUT/<name>/ (its folder is the root).
run render stems/song/kick.wav -o one -p reference
expect_rc 0 "one file"
[ -f one/kick/reference.wav ] || fail "one file: no one/kick/reference.wav: $(final_files one | tr '\n' ' ')"
# Files of two folders: mirrored below their common folder.
run render stems/song/kick.wav stems/other/vox.wav stems/top.wav -o two -p reference
expect_rc 0 "files of two folders"
for f in song/kick/reference.wav other/vox/reference.wav top/reference.wav; do
    [ -f "two/$f" ] || fail "files of two folders: no two/$f: $(final_files two | tr '\n' ' ')"
done
# A folder and a file inside it, a file twice: each input once.
run render stems -r stems/song/kick.wav stems/top.wav stems/top.wav -o dup -p reference --dry-run
expect_rc 0 "a file given twice (--dry-run)"
[ "$(count_lines stdout)" -eq 6 ] || { fail "a file given twice: want 6 plan lines, one per input"; show_output; }
run render stems -r stems/song/kick.wav stems/top.wav stems/top.wav -o dup -p reference
expect_rc 0 "a file given twice"
[ "$(audio_files dup | wc -l)" -eq 6 ] || fail "a file given twice: $(audio_files dup | wc -l) renders, want 6"
# A missing input: named, the rest rendered.
run render stems/song/kick.wav stems/missing.wav -o miss -p reference
expect_rc 1 "a missing input"
expect_one_error_naming stems/missing.wav "a missing input"
[ -f miss/song/kick/reference.wav ] || [ -f miss/kick/reference.wav ] || fail "a missing input: kick.wav was not rendered: $(final_files miss | tr '\n' ' ')"
[ ! -e miss/missing ] || fail "a missing input: miss/missing was created"

# ---------------------------------------------------------------- names
mkdir -p "names/my song" names/.git names/.hidden-dir
gen noise "names/my song/lead vox.wav" 48000 2 12000 10 wav16
gen noise "names/my song/ünïcødé.flac" 48000 2 12000 11 flac16
gen noise names/LOUD.WAV 48000 2 12000 12 wav16
gen noise names/take.bin 48000 2 12000 13 wav16
gen random names/data.bin 4000 14
gen noise names/.git/objects.wav 48000 2 12000 15 wav16
gen noise names/.hidden-dir/x.wav 48000 2 12000 16 wav16
gen noise names/three.wav 48000 3 12000 17 wav16
run render names -r -o nout -p reference --json
expect_rc 1 "names (a 3-channel stem fails)"
expect_json_lines stdout "names --json"
for f in "my song/lead vox/reference.wav" "my song/ünïcødé/reference.flac" LOUD/reference.wav \
    take/reference.wav; do
    [ -f "nout/$f" ] || fail "names: no nout/$f: $(final_files nout | tr '\n' ' ')"
done
[ ! -e nout/data ] || fail "names: data.bin (not audio) has renders"
[ ! -e nout/.git ] && [ ! -e nout/.hidden-dir ] || fail "names: a hidden folder's stems were rendered"
[ ! -e nout/three ] || fail "names: three.wav (3 channels) left files"
expect_eq "$(json_get stdout summary failed)" 1 "names: summary failed (three.wav)"
expect_eq "$(json_get stdout summary not_audio)" 1 "names: summary not_audio (data.bin)"
expect_eq "$(json_get stdout summary inputs_rendered)" 4 "names: summary inputs_rendered"
"$JSON" failures stdout | grep -q 'three.wav' || fail "names: the failure does not name three.wav"
"$JSON" get stdout input input | grep -q -x -F "names/my song/ünïcødé.flac" ||
    fail "names: no input event names 'names/my song/ünïcødé.flac' (JSON escaping)"
run render names -r -o nout -p reference --dry-run
expect_contains stdout "keep    names/my song/lead vox.wav: 1 output up to date" "names, rerun"
expect_contains stdout "keep    names/my song/ünïcødé.flac: 1 output up to date" "names, rerun"

# ---------------------------------------------------------------- a symlink loop
mkdir -p loop/sub
gen noise loop/sub/a.wav 48000 2 4800 18 wav16
gen noise loop/b.wav 48000 2 4800 19 wav16
ln -s .. loop/sub/up
run render loop -r -o lout -p reference --dry-run
n=$(count_prefix stdout "render  ")
[ "$n" -eq 2 ] || fail "a symlink loop (loop/sub/up -> ..): $n inputs planned, want 2 (each file once): $(head -n 4 stdout | tr '\n' ' ')..."

# ---------------------------------------------------------------- progress on a terminal
# script(1) (util-linux, always in Debian) runs the command on a pseudo-terminal.
if command -v script >/dev/null 2>&1; then
    script -q -e -c "'$CANSIM' render stems -r -o tty -p reference -t 1" /dev/null >tty.out 2>&1 ||
        fail "render on a terminal: exit $?"
    grep -q 'files [0-9]*/6 ' tty.out && grep -q 'ETA' tty.out ||
        fail "render on a terminal: no progress line 'files N/6 ... ETA ...': $(tr '\r' '\n' <tty.out | head -5)"
    [ "$(audio_files tty | wc -l)" -eq 6 ] || fail "render on a terminal: $(audio_files tty | wc -l) renders, want 6"
fi

# ---------------------------------------------------------------- the same bytes
# Any thread count, either scheduling (one input per thread, or one input's profiles over the
# threads), the inputs named as a folder or as files: byte for byte the same tree.
run render stems -r -o t1 -p $PROFILES -t 1
expect_rc 0 "-t 1"
mv t1 ref
for t in 2 3; do
    run render stems -r -o t1 -p $PROFILES -t $t
    expect_rc 0 "-t $t"
    expect_same_tree ref t1 "-t $t versus -t 1"
    rm -rf t1
done
# Two inputs at -t 2: the profiles share the threads.
run render stems/song/kick.wav stems/top.wav -o t1 -p $PROFILES -t 2
expect_rc 0 "two files at -t 2"
for id in $IDS; do
    for f in song/kick/$id.wav top/$id.wav; do
        cmp -s "ref/$f" "t1/$f" || fail "two files at -t 2: t1/$f differs from the folder run's"
    done
done
rm -rf t1
# The same stems in 16-bit at other paths get their own dither (seeded by the path), and the
# same path the same dither.
mkdir -p twin/a twin/b
cp stems/song/kick.wav twin/a/kick.wav
cp stems/song/kick.wav twin/b/kick.wav
run render twin -r -o twout -p reference
expect_rc 0 "twin stems"
cmp -s twout/a/kick/reference.wav twout/b/kick/reference.wav &&
    fail "twin stems: the same dither at two paths"

finish

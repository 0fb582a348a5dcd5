# SPDX-License-Identifier: MIT
# The output tree is cansim's alone (issue 13, items 1, 2, 9, 10, 13): no output is ever an input;
# a file cansim did not write is never replaced without --force; another input's renders are not
# replaced silently; --report, -o and the outputs are checked before anything is rendered; an
# earlier render tree or a FIFO met in an input folder is skipped; bad options are refused
# alike. Each refusal: its exit status, one line naming what it must, and every file byte for
# byte as before (sha256 of the whole scratch tree).
# Usage: ownership.sh CANSIM CANSIM-GEN SCRATCH BATCH-JSON SANITIZE
. "$(dirname "$0")/safety_lib.sh"

gen noise mix.wav 48000 2 24000 1 wav16
gen noise other.wav 48000 2 24000 2 wav16

# tree_sums: sums of the scratch tree but the harness's own files.
tree_sums() {
    sums . | grep -v -F -e ' ./stdout' -e ' ./stderr' -e ' ./sums.' -e ' ./help.txt'
}

# refused CODE WHAT ARGS...: cansim exits CODE and no file anywhere changes or appears.
refused() {
    code=$1
    what=$2
    shift 2
    tree_sums >"$SCRATCH/../sums.before.$$"
    run "$@"
    expect_rc "$code" "$what"
    tree_sums >"$SCRATCH/../sums.after.$$"
    expect_same_sums "$SCRATCH/../sums.before.$$" "$SCRATCH/../sums.after.$$" "$what"
    rm -f "$SCRATCH/../sums.before.$$" "$SCRATCH/../sums.after.$$"
}

# ---------------------------------------------------------------- an output that is the input
mkdir reference && cp mix.wav reference/reference.wav
refused 1 "-p reference -o . onto reference/reference.wav" render reference/reference.wav -p reference -o .
expect_error_naming "./reference/reference.wav" "is the input reference/reference.wav" \
    "-p reference -o . onto reference/reference.wav"
# Twice, and with --level -30 and --force: the input stays the input.
refused 1 "the same with --level -30 --force" render reference/reference.wav -p reference -o . --level -30 --force
cmp -s mix.wav reference/reference.wav || fail "reference/reference.wav was changed"
# A hard link to the input in the output's place: the same file by device and inode.
mkdir -p hl/mix && ln mix.wav hl/mix/reference.wav
refused 1 "an output hard-linked to the input" render mix.wav -p reference -o hl
expect_error_naming "hl/mix/reference.wav" "mix.wav" "an output hard-linked to the input"
rm -rf hl
# An IR profile given by path is an input too.
gen ir room.wav 48000 2 64 3
mkdir -p room && cp room.wav room/room.wav
refused 1 "the IR profile as an output" render room.wav -p room/room.wav -o .
expect_error_naming "./room/room.wav" "room/room.wav" "the IR profile as an output"

# ---------------------------------------------------------------- a user's own file in OUT
mkdir -p proj/mix
cp mix.wav proj/mix.wav
printf 'my own notes\n' >proj/mix/reference.wav
refused 1 "proj/mix/reference.wav of the user's" render proj/mix.wav -p reference -o proj
expect_one_error_naming "proj/mix/reference.wav" "proj/mix/reference.wav of the user's"
expect_contains stderr "--force" "proj/mix/reference.wav of the user's: the line says --force"
printf 'my report\n' >proj/mix/report.json
mv proj/mix/reference.wav own.keep
refused 1 "proj/mix/report.json of the user's" render proj/mix.wav -p reference -o proj
expect_one_error_naming "proj/mix/report.json" "proj/mix/report.json of the user's"
rm proj/mix/report.json
mv own.keep proj/mix/reference.wav
run render proj/mix.wav -p reference -o proj --force
expect_rc 0 "--force replaces the user's file"
expect_info proj/mix/reference.wav "frames=24000 channels=2 rate=48000 major=wav subtype=pcm16" \
    "--force replaces the user's file"
# Now it is cansim's: a rerun with other options replaces it without --force.
run render proj/mix.wav -p reference -o proj --level -30
expect_rc 0 "cansim's own render, other options"

# ---------------------------------------------------------------- another input's renders
mkdir v1 v2 v3
cp mix.wav v1/mix.wav
cp other.wav v2/mix.wav
cp mix.wav v3/mix.wav
run render v1/mix.wav -o R -p reference,hd-650
expect_rc 0 "v1/mix.wav into R"
sums R >sums.r
refused 1 "v2/mix.wav into R" render v2/mix.wav -o R -p reference,hd-650
expect_error_naming "v2/mix.wav" "v1/mix.wav" "v2/mix.wav into R"
expect_absent stderr "input changed" "v2/mix.wav into R"
expect_kept sums.r "v2/mix.wav into R: v1's renders"
# The same bytes from another folder are the same input: kept, and no error.
run render v3/mix.wav -o R -p reference,hd-650
expect_rc 0 "v3/mix.wav (v1's bytes) into R"
expect_contains stderr "1 input up to date" "v3/mix.wav (v1's bytes) into R"
run render v2/mix.wav -o R -p reference,hd-650 --force
expect_rc 0 "v2/mix.wav into R --force"
cmp -s R/mix/reference.wav v1.ref 2>/dev/null && fail "--force did not replace v1's renders"

# ---------------------------------------------------------------- --report and -o, up front
mkdir -p out/mix rdir
printf 'notes\n' >notes.txt
refused 2 "--report the input" render --report mix.wav other.wav -o out -p reference
expect_one_error_naming "mix.wav" "--report the input"
refused 2 "--report a render's name" render mix.wav -o out -p reference --report out/x/reference.wav
refused 2 "--report a folder" render mix.wav -o out -p reference --report rdir
expect_one_error_naming "rdir" "--report a folder"
refused 2 "--report in a missing folder" render mix.wav -o out -p reference --report nowhere/r.json
expect_one_error_naming "nowhere/r.json" "--report in a missing folder"
refused 2 "--report an input's output folder" render mix.wav -o out -p reference --report out/mix/r.json
refused 2 "--report a file not cansim's" render mix.wav -o out -p reference --report notes.txt
expect_one_error_naming "notes.txt" "--report a file not cansim's"
run render mix.wav -o out -p reference --report run.json
expect_rc 0 "--report run.json"
run render mix.wav -o out -p reference --report run.json --level -20
expect_rc 0 "--report run.json again (cansim's own report)"
refused 2 "-o a file" render mix.wav -o notes.txt -p reference
refused 2 "-o twice" render mix.wav -o a -o b -p reference
[ -e a ] || [ -e b ] && fail "-o twice: a folder was made"

# ---------------------------------------------------------------- earlier renders, FIFOs
mkdir -p tree/song
cp mix.wav tree/song/a.wav
cp other.wav tree/song/b.wav
run render tree -r -o tree/renders -p reference
expect_rc 0 "tree -r -o tree/renders"
run render tree -r -o tree/song/out -p reference --dry-run
expect_rc 0 "tree -r -o tree/song/out, dry run"
n=$(count_prefix stdout "render  ")
[ "$n" -eq 2 ] || { fail "tree -r -o tree/song/out: $n inputs to render, want 2 (the renders are no inputs)"; show_output; }
expect_absent stdout "renders/" "tree -r -o tree/song/out: an earlier render as input"
expect_contains stderr "holds cansim's renders" "tree -r -o tree/song/out: the notice"
mkfifo tree/song/pipe.wav
timeout 120 "$CANSIM" render tree/song -o fifo-out -p reference >stdout 2>stderr
rc_fifo=$?
run render tree/song -o fifo-out -p reference
expect_rc 0 "a FIFO in the folder"
[ "$rc_fifo" -ne 124 ] || fail "a FIFO in the folder: the walk hung on it"
expect_contains stderr "tree/song/pipe.wav is not a regular file: skipped" "a FIFO in the folder"
timeout 120 "$CANSIM" render tree/song/pipe.wav -o fifo-out2 -p reference >stdout 2>stderr
rc=$?
expect_rc 1 "a FIFO given as input"
expect_one_error_naming "tree/song/pipe.wav" "a FIFO given as input"
rm tree/song/pipe.wav

# ---------------------------------------------------------------- options refused alike
run render mix.wav -o cpu -p reference --cpu neon
expect_rc 2 "--cpu neon on this machine"
line_opt=$(head -n 1 stderr)
CANSIM_CPU=neon run render mix.wav -o cpu -p reference
expect_rc 2 "CANSIM_CPU=neon on this machine"
# The same refusal, each naming where the level came from.
[ "$(echo "$line_opt" | sed 's/^cansim: --cpu: //')" = "$(head -n 1 stderr | sed 's/^cansim: CANSIM_CPU: //')" ] ||
    fail "--cpu neon and CANSIM_CPU=neon are refused differently"
CANSIM_CPU=bogus run render mix.wav -o cpu -p reference
expect_rc 2 "CANSIM_CPU=bogus"
refused 2 "design -o d.flac" design hd-650 -o d.flac
run design hd-650 -o d.aiff
expect_rc 0 "design -o d.aiff"
expect_info d.aiff "frames=8192 channels=2 rate=48000 major=aiff subtype=float" "design -o d.aiff"
"$CANSIM" --help >help.txt
grep -q '^stereo\. design' help.txt && fail "--help: a stray 'stereo.' line"
grep -q 'all: the whole batch one group' help.txt || fail "--help: --gain-group all is not the README's"

# ---------------------------------------------------------------- a profile path with a comma
cp room.wav 'eq,v2.wav'
run render mix.wav -o comma -p 'reference,eq,v2.wav'
expect_rc 0 "-p with a comma in a path"
[ -f comma/mix/eq,v2.wav ] || fail "-p with a comma in a path: no comma/mix/eq,v2.wav"
[ -f comma/mix/reference.wav ] || fail "-p with a comma in a path: no comma/mix/reference.wav"

finish

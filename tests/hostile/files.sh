# SPDX-License-Identifier: MIT
# Hostile names and file systems: odd file names, FIFOs, symlink loops, read-only folders, a
# full disk, files cansim did not write where its outputs go. Inputs and files cansim did not
# write stay byte-identical; one bad file never stops the batch; nothing hangs.
# Usage: files.sh CANSIM GEN SCRATCH BATCH-JSON SANITIZE SHIM
. "$(dirname "$0")/hostile_lib.sh"

AUDIO_WORDS="audio|format|recogni|corrupt"
FIFO_WORDS="regular|fifo|pipe|special"

# expect_audio_files LIST: the renders under out are exactly LIST (relative, sorted, one a line).
expect_audio_files() {
    got=$(audio_files out)
    if [ "$got" != "$1" ]; then
        fails "renders under out: $(echo "$got" | tr '\n' ' '), want $(echo "$1" | tr '\n' ' ')"
    fi
}

# expect_all_errors STRING WORDS: at least one stderr line, and every one is an error line
# "cansim: <path>: <problem>" that contains STRING and says one of WORDS.
expect_all_errors() {
    n=$(count_lines "$SCRATCH/stderr")
    m=$(error_lines "cansim: " "$2" | P=$1 awk 'index($0, ENVIRON["P"]) > 0' |
        awk 'END { print NR }')
    if [ "$n" -eq 0 ] || [ "$m" -ne "$n" ]; then
        fails "want only error lines naming '$1' and saying one of '$2': $m of $n are"
        show
    fi
}

# Names: legal, so rendered, their output folders named after them.
begin name-with-spaces
cp in/good.wav "in/my song  2.wav"
render 0 "in/my song  2.wav" in/good.wav
expect_stderr_lines 0
expect_rendered "my song  2"
expect_rendered good

begin name-unicode
cp in/good.wav "in/Ünïcødé 曲 🎧.wav"
render 0 "in/Ünïcødé 曲 🎧.wav" in/good.wav
expect_stderr_lines 0
expect_rendered "Ünïcødé 曲 🎧"
expect_rendered good

nl='
'
begin name-newline
cp in/good.wav "in/two${nl}lines.wav"
render 0 "in/two${nl}lines.wav" in/good.wav
expect_stderr_lines 0
expect_rendered "two${nl}lines"
expect_rendered good

# A bad file whose name holds a newline: its error is still one line (the name escaped).
begin name-newline-bad
gen text "in/bad${nl}name.wav"
render 1 "in/bad${nl}name.wav" in/good.wav
expect_stderr_lines 1
if [ "$(error_lines "cansim: in/bad" "$AUDIO_WORDS" | count_containing /dev/stdin name.wav)" \
    -ne 1 ]; then
    fails "want one line 'cansim: in/bad<newline, escaped>name.wav: <problem>'"
    show
fi
expect_rendered good
expect_not_rendered "bad${nl}name"

# A path of over 1 KB: its error line still holds all of it, and the problem.
begin long-path-bad
long=in
for i in 1 2 3 4 5 6; do
    long=$long/$(printf 'd%.0s' $(seq 200))$i
done
mkdir -p "$long"
gen text "$long/bad.wav"
render 1 "$long/bad.wav" in/good.wav
expect_error "$long/bad.wav" "$AUDIO_WORDS"
expect_stderr_lines 1
expect_rendered good

# Inputs are given relative to the sandbox: their common folder is the sandbox itself.
begin leading-dash-after-ddash
cp in/good.wav ./-x.wav
hrun 0 render -q -p "$PROFILES" -o out -- -x.wav in/good.wav
expect_stderr_lines 0
expect_rendered -x
expect_rendered in/good

begin leading-dash-dot-slash
cp in/good.wav ./-x.wav
render 0 ./-x.wav in/good.wav
expect_stderr_lines 0
expect_rendered -x
expect_rendered in/good

# Without "--" or "./" it is an option cluster: a usage error naming it, not another argument.
begin leading-dash-as-option
cp in/good.wav ./-x.wav
render 2 -x.wav in/good.wav
expect_usage "-x" "option"

# FIFOs: refused or skipped, never opened and waited on.
begin fifo-input
mkfifo in/pipe.wav
render 1 in/pipe.wav in/good.wav
expect_error in/pipe.wav "$FIFO_WORDS"
expect_stderr_lines 1
expect_rendered good

# In a folder, a FIFO is not an input file (with or without an audio extension).
begin fifo-in-folder
mkfifo in/pipe in/pipe.wav
render 0 in
expect_stderr_lines 0
expect_rendered good

# Symlink loops: the walk ends, every real file rendered once.
begin symlink-loop-dirs
mkdir in/sub
cp in/good.wav in/sub/deep.wav
ln -s . in/loop
ln -s .. in/sub/up
render 0 -r in
expect_stderr_lines 0
expect_audio_files "good/a.wav
good/b.wav
sub/deep/a.wav
sub/deep/b.wav"

begin symlink-loop-file
ln -s self.wav in/self.wav
render 1 in/self.wav in/good.wav
expect_error in/self.wav "symbolic|loop|links"
expect_stderr_lines 1
expect_rendered good

# Read-only: inputs need no write access; an output folder that cannot be written fails its
# inputs in plain words (not a loudness below the gate).
begin readonly-input-folder
chmod a-w in/good.wav
RO=in
render 0 -r in
expect_stderr_lines 0
expect_rendered good

begin readonly-output-folder
mkdir out
RO=out
render 1 in/good.wav
expect_error out "read-only|permission"
expect_stderr_lines 1

begin readonly-output-folder-verbose
mkdir out
RO=out
hrun 1 render -v in/good.wav -p "$PROFILES" -o out
expect_one_error_naming out "$case_name"
for word in gate -inf; do
    if [ "$(count_containing "$SCRATCH/stdout" "$word")" -ne 0 ] ||
        [ "$(count_containing "$SCRATCH/stderr" "$word")" -ne 0 ]; then
        fails "the output says '$word' of renders it could not create"
        show
    fi
done

# A full disk (enospc_shim: writes to matching paths fail with ENOSPC). Under the sanitizers the
# shim comes before their runtimes, which they allow when told so.
ASAN_ORDER=
if [ -n "$SANITIZE" ]; then
    ASAN_ORDER="ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
fi
# shellcheck disable=SC2086 # $ASAN_ORDER: none or one assignment
if env $ASAN_ORDER LD_PRELOAD="$SHIM" CANSIM_TEST_ENOSPC=/probe.wav \
    "$GEN" tone "$SCRATCH/probe.wav" 48000 2 100 2>/dev/null; then
    echo "enospc_shim does not make writes fail here" >&2
    exit 99
fi

begin full-disk-one-output
HENV="$ASAN_ORDER LD_PRELOAD=$SHIM CANSIM_TEST_ENOSPC=/out/good/b.wav"
render 1 in/good.wav
expect_error out/good/b.wav "space|full"
expect_stderr_lines 1
expect_info out/good/a.wav "$GOOD_INFO" "$case_name: the other output"
[ ! -e out/good/b.wav ] || fails "out/good/b.wav was left"

# Every write under out/ fails: nothing final is left but what is complete, and the next run
# (disk freed) renders everything.
begin full-disk-everything
cp in/good.wav in/second.wav
HENV="$ASAN_ORDER LD_PRELOAD=$SHIM CANSIM_TEST_ENOSPC=/out/"
render 1 in/good.wav in/second.wav
expect_all_errors out/ "space|full"
expect_audio_files ""
HENV=
SEAL_SKIP=out
render 0 in/good.wav in/second.wav
expect_stderr_lines 0
expect_rendered good
expect_rendered second

# Files cansim did not write where its outputs go: never replaced (without --force).
begin foreign-file-at-output
mkdir -p out/good
gen random out/good/a.wav 3000 5
render 1 in/good.wav
expect_error out/good/a.wav "exist|force|not written|own"
expect_stderr_lines 1
# The input fails whole, before anything is written for it: its outputs and report are one set.
[ ! -e out/good/b.wav ] || fail "$case_name: out/good/b.wav was written beside a refused output"

# A user's file that merely ends in .part, in an output folder cansim renders into: kept (only
# cansim's own temporaries, <file>.<pid>-<n>.part and <file>.<host>-<pid>-<n>[.raw|.fix].part,
# are cleaned up there).
begin foreign-part-file-in-output
mkdir -p out/good
echo "my notes" >out/good/notes.part
echo "mine too" >out/good/a.wav.1-2.old.part
render 0 in/good.wav
expect_stderr_lines 0
expect_rendered good

begin foreign-report-at-output
mkdir -p out/good
echo '{"mine": true}' >out/good/report.json
render 1 in/good.wav
expect_error out/good/report.json "exist|force|not written|own"
expect_stderr_lines 1

# An input at its own output path (a/a.wav through profile a, -o .): refused, never replaced;
# the line names the output path as cansim writes it (./a/a.wav) and the input.
begin input-at-output-path
mkdir a
cp in/good.wav a/a.wav
OUTS=a
hrun 1 render -q a/a.wav -p "$PROFILES" -o .
expect_error ./a/a.wav "input|same|overwrite|collid"
expect_stderr_lines 1
[ ! -e a/b.wav ] || fail "$case_name: a/b.wav was written beside a refused output"

# An earlier render tree inside an input folder is not taken for inputs.
begin render-tree-in-input
mkdir in/song
cp in/good.wav in/song/mix.wav
OUTS=in/renders
hrun 0 render -q -r in -p "$PROFILES" -o in/renders
OUTS=in/song/out
hrun 0 render -q -r in -p "$PROFILES" -o in/song/out
expect_stderr_lines 0
got=$(audio_files in/song/out)
want="good/a.wav
good/b.wav
song/mix/a.wav
song/mix/b.wav"
[ "$got" = "$want" ] || fails "renders under in/song/out: $(echo "$got" | tr '\n' ' ')"

summary

# SPDX-License-Identifier: MIT
# An input named on the command line that cannot be read fails: exit 1, one line
# "cansim: <path>: <why>" (for MP4 audio, how to convert it), nothing written for it, the input
# untouched. The same file found while walking a folder is skipped with a notice.
# Usage: explicit_input.sh CANSIM GEN SCRATCH
. "$(dirname "$0")/lib.sh"

gen ir a.wav 48000 2 100 1
gen tone good.wav 48000 2 24000 wav16
# A fake .m4a: an MP4 box header and random bytes, as libsndfile sees an AAC or ALAC file.
printf '\000\000\000\040ftypM4A \000\000\000\000' >mix.m4a
"$GEN" random rand.bin 4000 3 && cat rand.bin >>mix.m4a && rm rand.bin
gen random notes.txt 4000 5
cksum mix.m4a notes.txt good.wav >before.sum

# mix.m4a named explicitly: a failure with the ffmpeg hint.
run render mix.m4a -p a.wav -o out
expect_rc 1 "mix.m4a named"
expect_one_error_line "cansim: mix.m4a: " "mix.m4a named"
want="cansim: mix.m4a: not a format libsndfile reads (AAC/ALAC in MP4); convert it first: ffmpeg -i mix.m4a mix.flac"
if [ "$(W=$want awk '$0 == ENVIRON["W"] { n++ } END { print n + 0 }' stderr)" -ne 1 ]; then
    fail "mix.m4a named: no line '$want'"
    show_output
fi
if [ "$(count_containing stderr "not audio, skipped")" -ne 0 ]; then
    fail "mix.m4a named: reported as skipped"
    show_output
fi
expect_no_files out/mix "mix.m4a named"

# An Ogg file libsndfile rejects (as it does some of ffmpeg's Opus files), named: the same hint.
printf 'OggS' >bad.opus
"$GEN" random rand.bin 2000 4 && cat rand.bin >>bad.opus && rm rand.bin
run render bad.opus -p a.wav -o out1
expect_rc 1 "bad.opus named"
expect_one_error_line "cansim: bad.opus: " "bad.opus named"
if [ "$(count_containing stderr "; convert it first: ffmpeg -i bad.opus bad.flac")" -ne 1 ]; then
    fail "bad.opus named: no hint to convert it"
    show_output
fi
expect_no_files out1 "bad.opus named"

# A name with a space and a quote: the hint's command is one the shell runs as it is.
cp mix.m4a "my mix's.m4a"
run render "my mix's.m4a" -p a.wav -o out5
expect_rc 1 "my mix's.m4a named"
expect_one_error_line "cansim: my mix's.m4a: " "my mix's.m4a named"
hint=$(sed -n "s/^cansim: my mix's.m4a: .*; convert it first: //p" stderr)
ffmpeg() { printf '%s|' "$@"; }
got=$(eval "$hint")
if [ "$got" != "-i|my mix's.m4a|my mix's.flac|" ]; then
    fail "my mix's.m4a named: the hint '$hint' runs as '$got'"
fi
expect_no_files out5 "my mix's.m4a named"

# Random bytes named .txt: a failure too.
run render notes.txt -p a.wav -o out2
expect_rc 1 "notes.txt named"
expect_one_error_line "cansim: notes.txt: " "notes.txt named"
expect_no_files out2 "notes.txt named"

# Named beside a good input: that one is rendered, the run still fails.
run render mix.m4a good.wav -p a.wav -o out3
expect_rc 1 "mix.m4a named beside good.wav"
expect_one_error_line "cansim: mix.m4a: " "mix.m4a named beside good.wav"
expect_info out3/good/a.wav "frames=24000 channels=2 rate=48000 major=wav subtype=pcm16" \
    "mix.m4a named beside good.wav"
expect_no_files out3/mix "mix.m4a named beside good.wav"

# Found while walking a folder beside a good WAV: skipped with a notice, exit 0.
mkdir songs
cp mix.m4a good.wav songs/
run render songs -p a.wav -o out4
expect_rc 0 "songs/ with mix.m4a"
if [ "$(count_containing stderr "songs/mix.m4a is not audio, skipped")" -ne 1 ]; then
    fail "songs/ with mix.m4a: no notice that it is skipped"
    show_output
fi
if [ "$(count_errors stderr)" -ne 0 ]; then
    fail "songs/ with mix.m4a: error lines"
    show_output
fi
expect_info out4/good/a.wav "frames=24000 channels=2 rate=48000 major=wav subtype=pcm16" \
    "songs/ with mix.m4a"
expect_no_files out4/mix "songs/ with mix.m4a"
expect_no_part out4 "songs/ with mix.m4a"

# The inputs are byte for byte what they were.
cksum mix.m4a notes.txt good.wav >after.sum
cmp -s before.sum after.sum || fail "an input changed: $(cat before.sum after.sum)"
cmp -s mix.m4a songs/mix.m4a || fail "songs/mix.m4a changed"

finish

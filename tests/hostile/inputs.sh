# SPDX-License-Identifier: MIT
# Hostile inputs by their content, each beside good.wav in one batch: a bad one fails alone with
# one line naming it (exit 1) and good.wav is still rendered; an odd but valid one is rendered
# whole (exit 0). No case may touch a file cansim did not write.
# Usage: inputs.sh CANSIM GEN SCRATCH BATCH-JSON SANITIZE SHIM
. "$(dirname "$0")/hostile_lib.sh"

# bad_input FILE WORDS: FILE (made by the caller, or absent) fails, saying one of WORDS;
# good.wav renders.
bad_input() {
    render 1 "$1" in/good.wav
    expect_error "$1" "$2"
    expect_stderr_lines 1
    expect_rendered good
    stem=$(basename "$1")
    expect_not_rendered "${stem%.*}"
}

begin missing-file
bad_input in/missing.wav "no such|not found|missing|does not exist"

begin empty-file
: >in/empty.wav
bad_input in/empty.wav "empty|0 bytes"

begin zero-frames
gen empty in/zero.wav 48000 2
bad_input in/zero.wav "empty|frames"

begin truncated-wav
gen truncated in/cut.wav 48000 2 48000 wav16
bad_input in/cut.wav "truncat"

# FLAC announces its length in STREAMINFO: a file cut to 60 % of its bytes is short.
begin truncated-flac
gen truncated in/cut.flac 48000 2 48000 flac16
bad_input in/cut.flac "truncat"

begin random-bytes
gen random in/noise.wav 6000 7
bad_input in/noise.wav "audio|format|recogni|corrupt"

begin nan-sample
gen nan in/nan.wav 48000 2 48000 24000
bad_input in/nan.wav "nan|finite"

begin inf-sample
gen inf in/inf.wav 48000 2 48000 47999
bad_input in/inf.wav "inf|finite"

begin six-channels
gen tone in/surround.wav 48000 6 48000 wav16
bad_input in/surround.wav "channel"

# A WAV written to a pipe (ffmpeg, arecord) cannot know its length: RIFF and data sizes read
# 0xFFFFFFFF. Every frame is there and must be read: the renders equal good.wav's (the same
# samples in one gain group).
begin streamed-wav
gen streamed in/streamed.wav 48000 2 48000
render 0 in/streamed.wav in/good.wav
expect_stderr_lines 0
expect_rendered streamed
expect_rendered good
for p in a b; do
    expect_compare "out/good/$p.wav" "out/streamed/$p.wav" "$case_name: through $p" --tol 1e-3
done

begin one-frame
gen tone in/one.wav 48000 2 1 wav16
render 0 in/one.wav in/good.wav
expect_stderr_lines 0
expect_rendered one "frames=1 channels=2 rate=48000 major=wav subtype=pcm16"
expect_rendered good

begin rate-8k
gen tone in/low.wav 8000 2 8000 wav16
render 0 in/low.wav in/good.wav
expect_stderr_lines 0
expect_rendered low "frames=8000 channels=2 rate=8000 major=wav subtype=pcm16"
expect_rendered good

begin rate-384k
gen tone in/high.wav 384000 2 384000 wav16
render 0 in/high.wav in/good.wav
expect_stderr_lines 0
expect_rendered high "frames=384000 channels=2 rate=384000 major=wav subtype=pcm16"
expect_rendered good

summary

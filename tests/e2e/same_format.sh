# SPDX-License-Identifier: MIT
# --format same: a lossy input (MP3, Ogg Vorbis, Ogg Opus, u-law WAV) gives FLAC 24-bit renders
# and an RF64 input WAV ones, under those extensions only; a rerun finds them up to date.
# (happy.sh: a FLAC input stays FLAC.)
# Usage: same_format.sh CANSIM GEN SCRATCH
. "$(dirname "$0")/lib.sh"

gen ir a.wav 48000 2 100 1
gen tone mix_mp3.mp3 48000 2 24000 mp3
gen tone mix_vorbis.ogg 48000 2 24000 vorbis
gen tone mix_opus.opus 48000 2 24000 opus
gen tone mix_rf64.rf64 48000 2 24000 rf64
gen tone mix_ulaw.wav 48000 2 24000 wavulaw
expect_info mix_rf64.rf64 "frames=24000 channels=2 rate=48000 major=rf64 subtype=pcm16" \
    "the RF64 fixture"

# case: input, the output's name under out/<stem>/, its major and subtype.
for c in mix_mp3.mp3:a.flac:flac:pcm24 mix_vorbis.ogg:a.flac:flac:pcm24 \
    mix_opus.opus:a.flac:flac:pcm24 mix_ulaw.wav:a.flac:flac:pcm24 \
    mix_rf64.rf64:a.wav:wav:pcm16; do
    in=${c%%:*}
    rest=${c#*:}
    name=${rest%%:*}
    rest=${rest#*:}
    major=${rest%%:*}
    sub=${rest#*:}
    stem=${in%.*}
    rm -rf out
    run render "$in" -p a.wav -o out --format same
    expect_rc 0 "$in, --format same"
    got=$(cd "out/$stem" 2>/dev/null && ls -A | grep -v -e '^report.json$' -e '^\.manifest.json$')
    if [ "$got" != "$name" ]; then
        fail "$in, --format same: out/$stem holds '$got', want '$name'"
        show_output
    fi
    info=$("$GEN" info "out/$stem/$name" 2>&1)
    case $info in
    *" channels=2 rate=48000 major=$major subtype=$sub") ;;
    *) fail "$in, --format same: out/$stem/$name is '$info', want major=$major subtype=$sub" ;;
    esac
    expect_no_part out "$in"
    # A second run finds the renders up to date (it looks for them under the same names).
    run render "$in" -p a.wav -o out --format same
    expect_rc 0 "$in, --format same, again"
    if [ "$(count_containing stderr "1 input up to date")" -ne 1 ]; then
        fail "$in, --format same, again: not up to date"
        show_output
    fi
done

# The default format is same.
rm -rf out
run render mix_mp3.mp3 -p a.wav -o out
expect_rc 0 "MP3 input, default format"
[ -f out/mix_mp3/a.flac ] || fail "MP3 input, default format: no out/mix_mp3/a.flac"

finish

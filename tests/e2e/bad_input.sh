# SPDX-License-Identifier: MIT
# One bad input among good ones: one error line naming it, exit 1, the good input rendered
# completely, nothing (final or .part) left for the bad one.
# Usage: bad_input.sh CANSIM GEN SCRATCH CASE
. "$(dirname "$0")/lib.sh"
CASE=${1:?case}

gen tone good.wav 48000 2 48000 wav16
gen ir a.wav 48000 2 100 1
gen ir b.wav 48000 1 700 2

# The bad input, named by case. Long enough that a streaming renderer has written part of its
# outputs before it meets the bad sample (NaN, Inf) or the end of the data (truncated).
case $CASE in
missing)   bad=missing.wav ;;
notaudio)  bad=notaudio.wav; gen text "$bad" ;;
truncated) bad=truncated.wav; gen truncated "$bad" 48000 2 200000 ;;
empty)     bad=empty.wav; gen empty "$bad" 48000 2 ;;
nan)       bad=nan.wav; gen nan "$bad" 48000 2 200000 150000 ;;
inf)       bad=inf.wav; gen inf "$bad" 48000 2 200000 199999 ;;
nan-early) bad=nanearly.wav; gen nan "$bad" 48000 1 200000 0 ;;
channels3) bad=three.wav; gen tone "$bad" 48000 3 4800 wav16 ;;
*) echo "unknown case $CASE" >&2; exit 99 ;;
esac
badpath=$SCRATCH/$bad
stem=${bad%.wav}

for order in bad-first good-first; do
    rm -rf out
    if [ "$order" = bad-first ]; then
        run render "$badpath" "$SCRATCH/good.wav" -p a.wav,b.wav -o out
    else
        run render "$SCRATCH/good.wav" "$badpath" -p a.wav,b.wav -o out
    fi
    what="$CASE input ($order)"
    expect_rc 1 "$what"
    expect_one_error_line "cansim: $badpath: " "$what"
    if [ "$(count_prefix stderr "cansim: $SCRATCH/good.wav")" -ne 0 ]; then
        fail "$what: an error line names the good input"
        show_output
    fi
    expect_info out/good/a.wav "frames=48000 channels=2 rate=48000 major=wav subtype=pcm16" \
        "$what: good input, profile a"
    expect_info out/good/b.wav "frames=48000 channels=2 rate=48000 major=wav subtype=pcm16" \
        "$what: good input, profile b"
    expect_no_files "out/$stem" "$what"
    expect_no_part out "$what"
done

finish

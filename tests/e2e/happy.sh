# SPDX-License-Identifier: MIT
# The happy paths of `cansim render`: layout, lengths, formats, channels, exactness.
. "$(dirname "$0")/lib.sh"

gen tone mix.wav 48000 2 48000 wav16
gen ir a.wav 48000 2 100 1
gen ir b.wav 48000 4 1000 2

# Two profiles: out/mix/<id>.wav, stereo, same rate and length, the input's format.
run render mix.wav -p a.wav,b.wav -o out
expect_rc 0 "render mix.wav -p a.wav,b.wav"
if [ "$(count_errors stderr)" -ne 0 ]; then
    fail "a successful render printed an error line"
    show_output
fi
expect_info out/mix/a.wav "frames=48000 channels=2 rate=48000 major=wav subtype=pcm16" "a.wav"
expect_info out/mix/b.wav "frames=48000 channels=2 rate=48000 major=wav subtype=pcm16" "b.wav"
expect_no_part out "render"
n=$(find out -type f ! -name report.json ! -name .manifest.json | wc -l)
[ "$n" -eq 2 ] || fail "render wrote $n audio files, want 2: $(find out -type f | tr '\n' ' ')"
[ -f out/mix/report.json ] || fail "render wrote no out/mix/report.json"

# A trailing slash on -o, and -q: nothing on stderr.
run render -q mix.wav -p a.wav -o out-slash/
expect_rc 0 "render -q with -o DIR/"
expect_info out-slash/mix/a.wav "frames=48000 channels=2 rate=48000 major=wav subtype=pcm16" \
    "-o DIR/"
if [ -s stderr ]; then
    fail "-q: stderr is not empty"
    show_output
fi

# --tail: n + taps - 1 frames per profile.
run render mix.wav -p a.wav,b.wav -o out-tail --tail
expect_rc 0 "render --tail"
expect_info out-tail/mix/a.wav "frames=48099 channels=2 rate=48000 major=wav subtype=pcm16" \
    "--tail, 100 taps"
expect_info out-tail/mix/b.wav "frames=48999 channels=2 rate=48000 major=wav subtype=pcm16" \
    "--tail, 1000 taps"
expect_no_part out-tail "render --tail"

# Exactness in 32-bit float: identity, delay and gain, cross paths, mono input.
gen noise n32.wav 48000 2 30000 7 wav32f
gen noise mono32.wav 48000 1 30000 8 wav32f
gen impulse identity.wav 48000 1 1 0:0:1
gen impulse delay3half.wav 48000 1 8 0:3:0.5
gen impulse swap.wav 48000 4 1 1:0:1 2:0:1
gen impulse ident2.wav 48000 2 1 0:0:1 1:0:1
# The exact-value checks run at the filters' own gain (--level off): level matching would undo
# the 0.5.
run render n32.wav mono32.wav -p identity.wav,delay3half.wav,swap.wav,ident2.wav -o out32 \
    --format wav32f --level off
expect_rc 0 "render wav32f"
tol=0.00001
expect_compare n32.wav out32/n32/identity.wav "identity IR" --tol $tol
expect_compare n32.wav out32/n32/ident2.wav "2-channel identity IR" --tol $tol
expect_compare n32.wav out32/n32/delay3half.wav "tap 3 = 0.5" --tol $tol --shift 3 --gain 0.5
expect_compare n32.wav out32/n32/swap.wav "4-channel IR, LR = RL = 1" --tol $tol --swap
expect_compare mono32.wav out32/mono32/identity.wav "mono input is dual mono" --tol $tol
expect_compare mono32.wav out32/mono32/swap.wav "mono input, swapping IR" --tol $tol
expect_info out32/n32/identity.wav "frames=30000 channels=2 rate=48000 major=wav subtype=float" \
    "--format wav32f"
expect_no_part out32 "render wav32f"

# The same with --tail: the delayed IR's tail holds the last 7 frames.
run render n32.wav -p delay3half.wav -o out32t --format wav32f --tail --level off
expect_rc 0 "render wav32f --tail"
expect_compare n32.wav out32t/n32/delay3half.wav "tap 3 = 0.5, --tail" --tol $tol --shift 3 \
    --gain 0.5 --frames 30007

# Output formats and extensions; `same` keeps a FLAC input FLAC.
for f in wav16:wav:pcm16 wav24:wav:pcm24 wav32f:wav:float flac16:flac:pcm16 flac24:flac:pcm24; do
    name=${f%%:*}
    rest=${f#*:}
    ext=${rest%%:*}
    sub=${rest#*:}
    run render mix.wav -p a.wav -o "out-$name" --format "$name"
    expect_rc 0 "--format $name"
    expect_info "out-$name/mix/a.$ext" \
        "frames=48000 channels=2 rate=48000 major=$ext subtype=$sub" "--format $name"
done
# (a.wav is at 48 kHz: converted to the mix's 44.1 kHz.)
gen tone fmix.flac 44100 2 10000 flac24
run render fmix.flac -p a.wav -o out-flac
expect_rc 0 "FLAC input, --format same"
expect_info out-flac/fmix/a.flac "frames=10000 channels=2 rate=44100 major=flac subtype=pcm24" \
    "FLAC input, --format same"
expect_no_part out-flac "FLAC input"

# An IR at 48 kHz on a 44.1 kHz mix: the output keeps the mix's rate and length.
gen noise n44.wav 44100 2 20000 9 wav32f
run render n44.wav -p identity.wav -o out44 --format wav32f
expect_rc 0 "48 kHz IR on a 44.1 kHz mix"
expect_info out44/n44/identity.wav "frames=20000 channels=2 rate=44100 major=wav subtype=float" \
    "48 kHz IR on a 44.1 kHz mix"

# Options that must be accepted.
for opt in "--cpu c" "--cpu auto" "--cpu avx2" "--cpu avx512" "--threads 1" "--threads 3" \
    "--partition 64" "--partition 1024" "-v" "-q"; do
    # shellcheck disable=SC2086
    run render mix.wav -p a.wav -o "out-opt" $opt
    expect_rc 0 "render $opt"
    expect_info out-opt/mix/a.wav "frames=48000 channels=2 rate=48000 major=wav subtype=pcm16" \
        "render $opt"
    rm -rf out-opt
done

# Two inputs, and a second run over existing outputs replaces them.
gen tone other.wav 48000 1 5000 wav24
run render mix.wav other.wav -p a.wav -o out
expect_rc 0 "two inputs into an existing tree"
expect_info out/mix/a.wav "frames=48000 channels=2 rate=48000 major=wav subtype=pcm16" \
    "re-render"
expect_info out/other/a.wav "frames=5000 channels=2 rate=48000 major=wav subtype=pcm24" \
    "mono wav24 input"
expect_no_part out "two inputs"

finish

# SPDX-License-Identifier: MIT
# The bundled profiles through the command: listing, design, selection by tag, id, part of an
# id and file, --on, --target, and bad profile files.
# Usage: profiles.sh CANSIM GEN SCRATCH PROFILES-DIR CHECKER
. "$(dirname "$0")/lib.sh"
PROFILES=${1:?profiles dir}
CHECK=${2:?cansim-profiles-check}
unset CANSIM_PROFILES_DIR

# The drawer (as in tests/unit/test_profiles.c): 10 open, 10 closed, and the profiles with
# back = none (reference, speakers).
N_OPEN=10
N_CLOSED=10
N_ALL=22

# The ids the drawer must hold: its files' names, in strcmp order.
for f in "$PROFILES"/*.ini; do
    f=${f##*/}
    echo "${f%.ini}"
done | sort >ids.want

# same_lines FILE1 FILE2 WHAT: the two files hold the same lines.
same_lines() {
    if ! cmp -s "$1" "$2"; then
        fail "$3: got $(tr '\n' ' ' <"$1"), want $(tr '\n' ' ' <"$2")"
    fi
}

# outputs DIR: the audio files in DIR (not the render report), one a line, sorted.
outputs() {
    if [ -d "$1" ]; then
        (cd "$1" && find . -type f ! -name report.json ! -name .manifest.json | sed 's|^\./||' | sort)
    fi
}

# --- cansim profiles: a header and one row per profile, sorted by id.
run profiles
expect_rc 0 "profiles"
[ "$(count_lines stdout)" -eq $((N_ALL + 1)) ] ||
    fail "profiles: $(count_lines stdout) lines, want $((N_ALL + 1)) (a header and $N_ALL rows)"
[ "$(head -n 1 stdout | awk '{ print $1 }')" = ID ] || fail "profiles: no header line"
awk 'NR > 1 { print $1 }' stdout >ids.table
same_lines ids.table ids.want "profiles: the ids"
[ -s stderr ] && { fail "profiles: wrote to stderr"; show_output; }

# --- --json: valid JSON, one object per profile with the documented keys.
run profiles --json
expect_rc 0 "profiles --json"
if ! "$CHECK" json stdout >json.rows 2>json.err; then
    fail "profiles --json: $(cat json.err)"
fi
[ "$(count_lines json.rows)" -eq "$N_ALL" ] ||
    fail "profiles --json: $(count_lines json.rows) objects, want $N_ALL"
awk '{ print $1 }' json.rows >ids.json
same_lines ids.json ids.want "profiles --json: the ids"
awk '$2 == "open" { print $1 }' json.rows >ids.open
awk '$2 == "closed" { print $1 }' json.rows >ids.closed
[ "$(count_lines ids.open)" -eq "$N_OPEN" ] ||
    fail "profiles --json: $(count_lines ids.open) open-back profiles, want $N_OPEN"
[ "$(count_lines ids.closed)" -eq "$N_CLOSED" ] ||
    fail "profiles --json: $(count_lines ids.closed) closed-back profiles, want $N_CLOSED"

# --- design: a 2-channel float WAV at the rate asked, nothing left behind.
run design hd-650 --rate 44100 -o x.wav
expect_rc 0 "design hd-650"
info=$("$GEN" info x.wav 2>&1)
want='channels=2 rate=44100 major=wav subtype=float'
taps=$(echo "$info" | sed -n "s/^frames=\([0-9]*\) $want\$/\1/p")
if [ -z "$taps" ]; then
    fail "design hd-650: x.wav is '$info', want 2 channels at 44100 Hz, float WAV"
elif [ "$taps" -lt 64 ] || [ "$taps" -gt 16384 ] || [ $((taps & (taps - 1))) -ne 0 ]; then
    fail "design hd-650: $taps taps, want a power of two in 64..16384"
fi
expect_no_part . "design hd-650"

# An ambiguous part of an id: exit 2, one line naming the candidates, then the hint.
run design hd-6 -o y.wav
expect_rc 2 "design hd-6"
if [ "$(count_lines stderr)" -ne 2 ] || [ "$(tail -n 1 stderr)" != "Try 'cansim --help'." ] ||
    [ "$(count_prefix stderr 'cansim: ')" -ne 1 ] ||
    [ "$(count_containing stderr sennheiser-hd-600)" -ne 1 ] ||
    [ "$(count_containing stderr sennheiser-hd-650)" -ne 1 ]; then
    fail "design hd-6: want one line naming sennheiser-hd-600 and sennheiser-hd-650, then the hint"
    show_output
fi
[ -e y.wav ] && fail "design hd-6: wrote y.wav"

# --- render: the selection decides the outputs, exactly.
gen tone mix.wav 48000 2 4800 wav16

# expect_render WHAT WANT-IDS-FILE ARGS...: exit 0 and exactly WANT's outputs under out/mix.
expect_render() {
    what=$1
    want=$2
    shift 2
    rm -rf out
    run render mix.wav -o out "$@"
    expect_rc 0 "$what"
    sed 's/$/.wav/' "$want" | sort >outputs.want
    outputs out/mix >outputs.got
    same_lines outputs.got outputs.want "$what: the outputs"
    expect_no_part out "$what"
}

expect_render "-p closed" ids.closed -p closed
{ cat ids.open; echo sony-mdr-7506; } | sort >ids.open-sony
expect_render "-p open,sony-mdr-7506" ids.open-sony -p open,sony-mdr-7506
expect_render "-p all" ids.want -p all
expect_render "no -p" ids.want
echo sennheiser-hd-650 >ids.hd650
expect_render "-p hd-650" ids.hd650 -p hd-650
expect_render "-p hd-650,sennheiser-hd-650 (once)" ids.hd650 -p hd-650,sennheiser-hd-650

# A profile on itself changes nothing: the output is the input to float rounding.
gen noise n32.wav 48000 2 24000 7 wav32f
rm -rf out
run render n32.wav -o out --on sony-mdr-7506 -p sony-mdr-7506 --format wav32f
expect_rc 0 "--on sony-mdr-7506 -p sony-mdr-7506"
if [ -f out/n32/sony-mdr-7506.wav ]; then
    if ! result=$("$CHECK" relrms n32.wav out/n32/sony-mdr-7506.wav -100 2>&1); then
        fail "--on X -p X is not the input: $result"
    fi
else
    fail "--on X -p X: out/n32/sony-mdr-7506.wav is missing"
fi

# --- --target: an unknown name stops the run; a missing target fails only its profile.
rm -rf out
run render mix.wav -o out --target nosuch -p hd-650
expect_rc 2 "--target nosuch"
if [ "$(count_lines stderr)" -ne 1 ] || [ "$(count_errors_naming stderr nosuch)" -ne 1 ]; then
    fail "--target nosuch: want one error line naming nosuch"
    show_output
fi
expect_no_files out "--target nosuch"

rm -rf out
run render mix.wav -o out --target diffuse-field -p hd-280
expect_rc 1 "--target diffuse-field -p hd-280"
expect_one_error_naming sennheiser-hd-280-pro-innerfidelity "--target diffuse-field -p hd-280"
[ -z "$(outputs out/mix)" ] || fail "--target diffuse-field -p hd-280: outputs left: $(outputs out/mix)"

# ... and the other profiles are still rendered.
rm -rf out
run render mix.wav -o out --target diffuse-field -p hd-280,hd-650
expect_rc 1 "--target diffuse-field -p hd-280,hd-650"
expect_one_error_naming sennheiser-hd-280-pro-innerfidelity "--target diffuse-field, hms-ii3 rig"
echo sennheiser-hd-650 >ids.want-df
sed 's/$/.wav/' ids.want-df >outputs.want
outputs out/mix >outputs.got
same_lines outputs.got outputs.want "--target diffuse-field: the outputs"
expect_no_part out "--target diffuse-field"

# --- files: a measurement whose name has a space names its output the same way.
cp "$PROFILES/sony-mdr-7506.csv" "Some Headphone.csv"
rm -rf out
run render mix.wav -o out -p "Some Headphone.csv"
expect_rc 0 "-p 'Some Headphone.csv'"
expect_info "out/mix/Some Headphone.wav" \
    "frames=4800 channels=2 rate=48000 major=wav subtype=pcm16" "-p 'Some Headphone.csv'"
[ "$(outputs out/mix | wc -l)" -eq 1 ] ||
    fail "-p 'Some Headphone.csv': $(outputs out/mix | tr '\n' ' ')"

# A bad profile file: exit 2, one line naming file:line, nothing rendered.
cat >bad.ini <<'EOF'
; a profile with one mistake
[profile]
id = bad
name = Bad
back = sideways
rig = none
[curve]
20 = 0
20000 = 0
EOF
for p in bad.ini "$SCRATCH/bad.ini"; do
    rm -rf out
    run render mix.wav -o out -p "hd-650,$p"
    expect_rc 2 "-p $p"
    if [ "$(count_lines stderr)" -ne 1 ]; then
        fail "-p $p: stderr is not one line"
        show_output
    fi
    expect_one_error_line "cansim: $p:5: " "-p $p"
    expect_no_files out "-p $p"
done

# An ambiguous part of an id in -p is a usage error too.
rm -rf out
run render mix.wav -o out -p hd-6
expect_rc 2 "-p hd-6"
expect_no_files out "-p hd-6"

finish

# SPDX-License-Identifier: MIT
# The bundled profiles through the command: listing and its groups, design (speakers-kemar's
# four channels too), selection by tag (open, closed, in-ear, tws, iem), id, part of an id and
# file, --on across rigs, --target, a missing HRTF set, an impulse response too long at the
# rate asked, and bad profile files.
# Usage: profiles.sh CANSIM GEN SCRATCH PROFILES-DIR CHECKER
. "$(dirname "$0")/lib.sh"
PROFILES=${1:?profiles dir}
CHECK=${2:?cansim-profiles-check}
unset CANSIM_PROFILES_DIR

# The drawer (as in tests/unit/test_profiles.c): 10 open, 10 closed, 15 in-ears and earbuds,
# and the profiles that are not headphones (reference, speakers, speakers-kemar).
N_OPEN=10
N_CLOSED=10
N_ALL=38

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

# tagged TAG: the ids of the profile files whose tags hold TAG, sorted.
tagged() {
    for f in "$PROFILES"/*.ini; do
        if T=$1 awk '$1 == "tags" && $2 == "=" {
                for (i = 3; i <= NF; i++) { sub(/,$/, "", $i); if ($i == ENVIRON["T"]) found = 1 }
            } END { exit !found }' "$f"; then
            f=${f##*/}
            echo "${f%.ini}"
        fi
    done | sort
}

# --- cansim profiles: a header and one row per profile, by group (open, closed, in-ear,
# speakers, other), sorted by id within each.
run profiles
expect_rc 0 "profiles"
[ "$(count_lines stdout)" -eq $((N_ALL + 1)) ] ||
    fail "profiles: $(count_lines stdout) lines, want $((N_ALL + 1)) (a header and $N_ALL rows)"
[ "$(head -n 1 stdout | awk '{ print $1 }')" = ID ] || fail "profiles: no header line"
awk 'NR > 1 { print $1 }' stdout | sort >ids.table
same_lines ids.table ids.want "profiles: the ids"
# The GROUP column (after the name, whose words vary): the last word before the rig.
awk 'NR > 1 { for (i = 2; i <= NF; i++) if ($i ~ /^(gras|hms-ii3|iec-711|none)$/) { print $(i - 1), $1; break } }' \
    stdout >groups.table
awk '{ print $1 }' groups.table | uniq >groups.order
printf 'open\nclosed\nin-ear\nspeakers\nother\n' >groups.want
same_lines groups.order groups.want "profiles: the groups, in order, each once"
awk '$1 == "in-ear" { print $2 }' groups.table | sort >ids.in-ear.table
tagged in-ear >ids.in-ear
same_lines ids.in-ear.table ids.in-ear "profiles: the in-ear group"
awk '{ print $2 }' groups.table >ids.grouped
for g in open closed in-ear speakers other; do
    awk -v g="$g" '$1 == g { print $2 }' groups.table >ids.g
    sort ids.g | cmp -s - ids.g || fail "profiles: group $g is not sorted by id"
done
[ -s stderr ] && { fail "profiles: wrote to stderr"; show_output; }

# --- --json: valid JSON, one object per profile with the documented keys.
run profiles --json
expect_rc 0 "profiles --json"
if ! "$CHECK" json stdout >json.rows 2>json.err; then
    fail "profiles --json: $(cat json.err)"
fi
[ "$(count_lines json.rows)" -eq "$N_ALL" ] ||
    fail "profiles --json: $(count_lines json.rows) objects, want $N_ALL"
awk '{ print $1 }' json.rows | sort >ids.json
same_lines ids.json ids.want "profiles --json: the ids"
awk '$2 == "open" { print $1 }' json.rows >ids.open
awk '$2 == "closed" { print $1 }' json.rows >ids.closed
[ "$(count_lines ids.open)" -eq "$N_OPEN" ] ||
    fail "profiles --json: $(count_lines ids.open) open-back profiles, want $N_OPEN"
[ "$(count_lines ids.closed)" -eq "$N_CLOSED" ] ||
    fail "profiles --json: $(count_lines ids.closed) closed-back profiles, want $N_CLOSED"

# --- -p by tag: in-ear, tws (true wireless), iem, earbud; and a form.
[ "$(count_lines ids.in-ear)" -eq 15 ] || fail "$(count_lines ids.in-ear) profiles tagged in-ear, want 15"
tagged tws >ids.tws
tagged iem >ids.iem
[ "$(count_lines ids.tws)" -eq 8 ] || fail "$(count_lines ids.tws) profiles tagged tws, want 8"
[ "$(count_lines ids.iem)" -eq 6 ] || fail "$(count_lines ids.iem) profiles tagged iem, want 6"
for tag in in-ear tws iem; do
    run profiles -p "$tag"
    expect_rc 0 "profiles -p $tag"
    awk 'NR > 1 { print $1 }' stdout | sort >ids.got
    same_lines ids.got "ids.$tag" "profiles -p $tag"
done

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

# speakers-kemar: the four paths of a speaker pair, 4 channels.
run design speakers-kemar --rate 48000 -o k.wav
expect_rc 0 "design speakers-kemar"
info=$("$GEN" info k.wav 2>&1)
case $info in
*" channels=4 rate=48000 major=wav subtype=float") ;;
*) fail "design speakers-kemar: k.wav is '$info', want 4 channels at 48000 Hz, float WAV" ;;
esac

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
expect_render "-p tws" ids.tws -p tws
{ cat ids.iem; echo speakers-kemar; } | sort >ids.iem-kemar
expect_render "-p iem,speakers-kemar" ids.iem-kemar -p iem,speakers-kemar

# The modelled room is not in the drawer (profiles/extra/): given as a file, it renders.
rm -rf out
run render mix.wav -o out -p "$PROFILES/extra/speakers-room.ini"
expect_rc 0 "-p extra/speakers-room.ini"
[ -f out/mix/speakers-room.wav ] || fail "-p extra/speakers-room.ini: no out/mix/speakers-room.wav"

# --on across rigs: an open-back heard on an IEM, an IEM heard on an open-back.
expect_render "--on shure-se215 -p hd-650" ids.hd650 --on shure-se215 -p hd-650
echo sony-ier-m9 >ids.ierm9
expect_render "--on hd-650 -p sony-ier-m9" ids.ierm9 --on sennheiser-hd-650 -p sony-ier-m9

# --- a missing HRTF set: speakers-kemar fails with one line naming the file; the rest render.
mkdir drawer
cp -R "$PROFILES"/. drawer/
sed 's|^sofa = .*|sofa = /nonexistent/MIT_KEMAR_normal_pinna.sofa|' \
    "$PROFILES/speakers-kemar.ini" >drawer/speakers-kemar.ini
rm -rf out
run render mix.wav -o out --profiles-dir drawer -p speakers-kemar,hd-650
expect_rc 1 "a missing SOFA file"
expect_one_error_naming /nonexistent/MIT_KEMAR_normal_pinna.sofa "a missing SOFA file"
[ "$(count_containing stderr /nonexistent/MIT_KEMAR_normal_pinna.sofa)" -eq 1 ] ||
    fail "a missing SOFA file: named $(count_containing stderr /nonexistent/) times"
outputs out/mix >outputs.got
echo sennheiser-hd-650.wav >outputs.want
same_lines outputs.got outputs.want "a missing SOFA file: the outputs"
expect_no_part out "a missing SOFA file"

# --- an impulse response too long at the rate asked: refused before anything runs, exit 2.
gen impulse long.wav 44100 1 1047000 0:0:1
rm -rf out
run render mix.wav -o out -p long.wav --rate 48000
expect_rc 2 "an IR over the length limit at --rate 48000"
expect_one_error_naming long "an IR over the length limit at --rate 48000"
expect_no_files out "an IR over the length limit at --rate 48000"

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

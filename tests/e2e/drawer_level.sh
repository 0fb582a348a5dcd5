# SPDX-License-Identifier: MIT
# One level for the drawer through the command (issue: renders matched to each other): a hot
# master (peaks at 0 dBTP) through every bundled profile at wav24. Measured on the files with
# libebur128 (cansim-meter): every render within 0.1 LU of the others and at or under the
# -1 dBTP ceiling; report.json names the limiting profile (one of the renders, the one at the
# ceiling) and the summary says the common level. With --level-scope profile the renders
# spread again (each lowered on its own), so the default is what matches them.
. "$(dirname "$0")/lib.sh"
METER=$1

lufs() { "$METER" lufs "$1" | awk '{ print $1 }'; }
tp() { "$METER" lufs "$1" | awk '{ print $2 }'; }
report() { python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

# Noise, 6 s, then raised until its true peak is 0 dBTP.
gen noise raw.wav 48000 2 288000 7 wav32f
peak=$(tp raw.wav)
"$METER" mix hot.wav "$(awk -v p="$peak" 'BEGIN { print -p }')" raw.wav ||
    fail "cannot make the hot master"
[ "$(awk -v p="$(tp hot.wav)" 'BEGIN { print (p > -0.05 && p < 0.05) }')" = 1 ] ||
    fail "the hot master's true peak is $(tp hot.wav), not 0 dBTP"

spread() { # DIR: the loudness spread (max - min, LU) of its renders; sets worst_tp
    local lo=1000 hi=-1000 f l
    worst_tp=-1000
    for f in "$1"/hot/*.wav; do
        l=$(lufs "$f")
        lo=$(awk -v a="$lo" -v b="$l" 'BEGIN { print (b < a) ? b : a }')
        hi=$(awk -v a="$hi" -v b="$l" 'BEGIN { print (b > a) ? b : a }')
        worst_tp=$(awk -v a="$worst_tp" -v b="$(tp "$f")" 'BEGIN { print (b > a) ? b : a }')
    done
    awk -v a="$lo" -v b="$hi" 'BEGIN { print b - a }'
}

run render hot.wav -o d -f wav24
expect_rc 0 "the hot master through the drawer"
n=$(ls d/hot/*.wav | wc -l)
[ "$n" -ge 30 ] || fail "only $n renders"
s=$(spread d)
[ "$(awk -v s="$s" 'BEGIN { print (s <= 0.1) }')" = 1 ] ||
    fail "the drawer's renders spread $s LU (want <= 0.1)"
[ "$(awk -v t="$worst_tp" 'BEGIN { print (t <= -1.0 + 0.05) }')" = 1 ] ||
    fail "a render's true peak is $worst_tp dBTP, over the -1 dBTP ceiling"
lim=$(report d/hot/report.json 'r["drawer_level"]["limiting_profile"]')
[ -f "d/hot/$lim.wav" ] || fail "report.json's limiting profile '$lim' is not a render"
[ "$(awk -v t="$(tp "d/hot/$lim.wav")" 'BEGIN { print (t > -1.1 && t <= -0.95) }')" = 1 ] ||
    fail "the limiting render $lim is not at the ceiling ($(tp "d/hot/$lim.wav") dBTP)"
[ "$(count_containing stderr "all renders at")" -ge 1 ] ||
    { fail "the summary does not say the common level"; show_output; }
[ "$(count_containing stderr "$lim reaches")" -ge 1 ] || { fail "the summary does not name $lim"; show_output; }

run render hot.wav -o p -f wav24 --level-scope profile
expect_rc 0 "--level-scope profile"
s=$(spread p)
[ "$(awk -v s="$s" 'BEGIN { print (s > 0.5) }')" = 1 ] ||
    fail "--level-scope profile: the renders spread only $s LU (the scope made no difference)"
[ "$(awk -v t="$worst_tp" 'BEGIN { print (t <= -1.0 + 0.05) }')" = 1 ] ||
    fail "--level-scope profile: a true peak of $worst_tp dBTP"
finish

# SPDX-License-Identifier: MIT
# Level options of `cansim render`: the report, bad values, reproducible dither.
. "$(dirname "$0")/lib.sh"

gen tone mix.wav 48000 2 48000 wav16
gen ir a.wav 48000 2 100 1

for opt in "--level match" "--level off" "--level -14" "--ceiling off" "--ceiling -3" \
    "--format aiff16" "--format aiff24" "--format flac24 --ceiling -1"; do
    # shellcheck disable=SC2086
    run render mix.wav -p a.wav -o out-opt --report auto $opt
    expect_rc 0 "render $opt"
    [ -f out-opt/mix/report.json ] || fail "render $opt: no out-opt/mix/report.json"
    expect_no_part out-opt "render $opt"
    rm -rf out-opt
done

run render mix.wav -p a.wav -o out --level match --ceiling -1 --report auto
expect_rc 0 "render"
for field in '"profile"' '"file"' '"format"' '"loudness_lufs"' '"true_peak_dbtp"' '"gain_db"' \
    '"status"' '"input_lufs"' '"target_lufs"'; do
    [ "$(count_containing out/mix/report.json "$field")" -ge 1 ] ||
        fail "report.json has no $field"
done

run render mix.wav -p a.wav -o out-r --report rep.json
expect_rc 0 "--report FILE"
[ -f rep.json ] || fail "--report rep.json was not written"
run render mix.wav -p a.wav -o out-j --json
expect_rc 0 "--json"
[ "$(count_containing stdout '"outputs"')" -ge 1 ] || fail "--json printed no report"

for bad in "--level loud" "--level 3" "--level -80" "--ceiling 1" "--ceiling x" "--format aiff8"; do
    # shellcheck disable=SC2086
    run render mix.wav -p a.wav -o out-bad $bad
    expect_rc 2 "render $bad"
done

# 16-bit dither is seeded: two renders are byte-identical.
run render mix.wav -p a.wav -o d1 --format wav16
run render mix.wav -p a.wav -o d2 --format wav16 --threads 1
cmp -s d1/mix/a.wav d2/mix/a.wav || fail "two wav16 renders differ"

# A silent input: rendered at the filter's own gain, with a notice.
gen impulse silent.wav 48000 2 48000 0:0:0
run render silent.wav -p a.wav -o out-s --level match
expect_rc 0 "silent input"
[ "$(count_containing stderr "below the -70 LUFS gate")" -ge 1 ] || fail "silent input: no notice"

# A profile whose output is under the gate before gain cannot be matched: the render is
# written whole, its status says "unmatched" with the reason, and the summary says so.
gen impulse quiet.wav 48000 2 64 0:0:0.0001 1:0:0.0001
run render mix.wav -p quiet.wav,a.wav -o out-u --level -14 --format wav32f
expect_rc 0 "unmatched profile"
[ "$(count_containing out-u/mix/report.json '"unmatched"')" -eq 1 ] ||
    fail "unmatched profile: report.json has no single \"unmatched\" status"
[ "$(count_containing out-u/mix/report.json '-70 LUFS gate')" -ge 1 ] ||
    fail "unmatched profile: report.json gives no reason"
[ "$(count_containing stderr "note - quiet: level not matched")" -eq 1 ] ||
    fail "unmatched profile: the summary has no note"
[ -f out-u/mix/quiet.wav ] && [ -f out-u/mix/a.wav ] || fail "unmatched profile: a render is missing"

finish

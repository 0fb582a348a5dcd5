# SPDX-License-Identifier: MIT
# Profiles as users bring them: a European spreadsheet CSV renders exactly as its comma form,
# and a change of crossfeed re-renders an impulse-response profile (it is in the digest).
# Usage: profile_input.sh CANSIM GEN SCRATCH PROFILES
. "$(dirname "$0")/lib.sh"
PROFILES=${1:?profiles dir}

gen noise mix.wav 48000 2 48000 7 wav16
gen ir room.wav 48000 2 256 3

# The bundled HD 650 measurement, and the same as a German-locale spreadsheet saves it:
# "sep=;", a BOM, semicolons, decimal commas, quoted header, CRLF.
cp "$PROFILES/sennheiser-hd-650.csv" comma.csv
{
    printf '\357\273\277sep=;\r\n"frequency";"raw"\r\n'
    sed '1d; s/,/;/; s/\./,/g; s/$/\r/' comma.csv
} >euro.csv
# Float output: 16-bit dither is seeded per profile, so only float files can be equal.
run render mix.wav -p ./comma.csv,./euro.csv -f wav32f -o out
expect_rc 0 "comma and European CSVs"
if ! cmp -s out/mix/comma.wav out/mix/euro.wav; then
    fail "the European CSV renders differently from its comma form"
    show_output
fi

# An IR with crossfeed, then again (up to date), then without: rendered again, differently.
run render mix.wav -p ./room.wav --crossfeed jmeier -o R
expect_rc 0 "room.wav --crossfeed jmeier"
first=$(cksum <R/mix/room.wav)
run render mix.wav -p ./room.wav --crossfeed jmeier -o R
expect_rc 0 "room.wav --crossfeed jmeier, again"
[ "$(count_containing "$SCRATCH/stderr" ", 1 up to date,")" -eq 1 ] ||
    { fail "the same crossfeed again is not up to date"; show_output; }
run render mix.wav -p ./room.wav -o R
expect_rc 0 "room.wav without crossfeed"
[ "$(count_containing "$SCRATCH/stderr" ", 0 up to date,")" -eq 1 ] ||
    { fail "dropping --crossfeed kept the crossfed render as up to date"; show_output; }
[ "$(cksum <R/mix/room.wav)" != "$first" ] ||
    fail "dropping --crossfeed left room.wav as it was"
run render mix.wav -p ./room.wav --crossfeed bs2b -o R
[ "$(count_containing "$SCRATCH/stderr" ", 0 up to date,")" -eq 1 ] ||
    { fail "--crossfeed bs2b after none is taken as up to date"; show_output; }

finish

# SPDX-License-Identifier: MIT
# A bad profile file: one error line naming it, exit 2, nothing rendered.
# Usage: bad_profile.sh CANSIM GEN SCRATCH CASE
. "$(dirname "$0")/lib.sh"
CASE=${1:?case}

gen tone mix.wav 48000 2 4800 wav16
gen ir a.wav 48000 2 100 1

case $CASE in
channels3) bad=three.wav; gen ir "$bad" 48000 3 64 3 ;;
missing)   bad=missing.wav ;;
notaudio)  bad=notaudio.wav; gen text "$bad" ;;
nan)       bad=nan.wav; gen nan "$bad" 48000 1 64 10 ;;
*) echo "unknown case $CASE" >&2; exit 99 ;;
esac
badpath=$SCRATCH/$bad

run render mix.wav -p "a.wav,$badpath" -o out
what="$CASE profile"
expect_rc 2 "$what"
expect_one_error_line "cansim: $badpath: " "$what"
expect_no_files out "$what"

finish

# SPDX-License-Identifier: MIT
# A bad profile file: one error line naming it (or the file it refers to) and saying why,
# exit 2, nothing rendered, the input and the profile files untouched.
# Usage: bad_profile.sh CANSIM GEN SCRATCH CASE
. "$(dirname "$0")/lib.sh"
CASE=${1:?case}

gen tone mix.wav 48000 2 4800 wav16
gen ir a.wav 48000 2 100 1

# A profile file whose curve is FILE.
curve_ini() {
    printf '[profile]\nid = %s\nname = %s\nback = open\nrig = gras\ncurve = %s\n' \
        "$1" "$1" "$2" >"$1.ini"
}

named=          # the file the error names [default: the profile given]
at=             # ":LINE" when the error names a line
want=           # what the message must say
case $CASE in
channels3) bad=three.wav; gen ir "$bad" 48000 3 64 3 ;;
missing)   bad=missing.wav ;;
notaudio)  bad=notaudio.wav; gen text "$bad" ;;
nan)       bad=nan.wav; gen nan "$bad" 48000 1 64 10 ;;
fifo-ir)   bad=fifo.wav; mkfifo "$bad"; want="not a regular file (a FIFO)" ;;
fifo-csv)  bad=fifo.csv; mkfifo "$bad"; want="not a regular file (a FIFO)" ;;
fifo-curve)
    mkfifo fifo.csv; curve_ini fifo-curve fifo.csv; bad=fifo-curve.ini
    named=$SCRATCH/fifo.csv; want="not a regular file (a FIFO)" ;;
dir-curve)
    mkdir dir.csv; curve_ini dir-curve dir.csv; bad=dir-curve.ini
    named=$SCRATCH/dir.csv; want="is a directory" ;;
band)
    bad=part.csv; printf 'frequency,raw\n21000,0\n25000,1.5\n30000,3\n' >"$bad"
    want="the curve covers only 21000 to 30000 Hz" ;;
mixed)
    bad=mixed.csv; printf 'frequency;raw\n20;0\n31,5,9,0\n20000;0\n' >"$bad"; at=:3
    want="fields separated by commas, but line 1 separates them by semicolons" ;;
decimal)
    bad=decimal.csv; printf 'frequency;raw\n20;0,5\n31.5;9\n20000;0\n' >"$bad"; at=:3
    want="'31.5' has a decimal '.', but line 2 uses ','" ;;
utf16)
    bad=utf16.csv; printf '\377\376f\000r\000e\000q\000\n\000' >"$bad"
    want="UTF-16 text (save it as UTF-8)" ;;
latin1)
    bad=latin1.ini
    printf '[profile]\nid = x\nname = Caf\351\nback = open\nrig = none\n[curve]\n20 = 0\n20000 = 0\n' \
        >"$bad"
    at=:3; want="not UTF-8 text (byte 0xe9)" ;;
empty)     bad=empty.csv; : >"$bad"; want="empty file (0 bytes)" ;;
target)
    # A missing target: the message starts with the target's file, not with a profile.
    run render mix.wav --target nonexistent -p a.wav -o out
    expect_rc 2 "--target nonexistent"
    expect_one_error_naming "/targets/gras/nonexistent.csv: no 'nonexistent' target for the gras rig (wanted by " \
        "--target nonexistent"
    if [ "$(count_prefix "$SCRATCH/stderr" "cansim: /")" -ne 1 ]; then
        fail "--target nonexistent: the error does not start with the target's path"
        show_output
    fi
    expect_no_files out "--target nonexistent"
    finish ;;
*) echo "unknown case $CASE" >&2; exit 99 ;;
esac
badpath=$SCRATCH/$bad
named=${named:-$badpath}

# Every file here before the run, with its checksum (FIFOs and folders are left alone).
sums() {
    find . -path ./out -prune -o -type f ! -name stdout ! -name stderr -print |
        LC_ALL=C sort | xargs cksum
}
before=$(sums)

run render mix.wav -p "a.wav,$badpath" -o out
what="$CASE profile"
expect_rc 2 "$what"
expect_one_error_line "cansim: $named$at: " "$what"
if [ -n "$want" ] && [ "$(count_prefix "$SCRATCH/stderr" "cansim: $named$at: $want")" -ne 1 ]; then
    fail "$what: the error does not say '$want'"
    show_output
fi
expect_no_files out "$what"
[ "$(sums)" = "$before" ] || fail "$what: a file that cansim did not write changed"

finish

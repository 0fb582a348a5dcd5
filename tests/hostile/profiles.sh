# SPDX-License-Identifier: MIT
# Hostile profiles: missing names and files, bad INI, bad CSV curves, FIFOs and loops where a
# file is read. A bad profile is a usage error found before anything is rendered: exit 2, one
# line naming it, nothing written, every file as it was, no hang.
# Usage: profiles.sh CANSIM GEN SCRATCH BATCH-JSON SANITIZE SHIM
. "$(dirname "$0")/hostile_lib.sh"

FIFO_WORDS="regular|fifo|pipe|special"

# profile_ini FILE CURVE: a valid profile file whose curve is the file CURVE.
profile_ini() {
    printf '[profile]\nid = hostile\nname = Hostile\nback = open\nrig = none\ncurve = %s\n' \
        "$2" >"$1"
}

# bad_profile NAME NAMED WORDS PROFILE: -p a.wav,PROFILE is refused, naming NAMED.
bad_profile() {
    hrun 2 render -q in/good.wav -p "a.wav,$3" -o out
    expect_usage "$1" "$2"
}

begin missing-name
bad_profile no-such-headphone "no profile|unknown|not found|match" no-such-headphone

begin missing-file
bad_profile nope.ini "no such|not found|missing|exist" ./nope.ini

begin empty-ini
: >empty.ini
bad_profile empty.ini "empty|id" empty.ini

begin bad-ini
printf '[profile\nid = = x\n' >bad.ini
bad_profile bad.ini "expected|section|syntax|not a profile|line" bad.ini

begin binary-ini
gen random bin.ini 2000 3
bad_profile bin.ini "binary|text" bin.ini

begin csv-one-point
printf 'frequency,raw\n1000,0\n' >one.csv
bad_profile one.csv "point" one.csv

begin csv-header-only
printf 'frequency,raw\n' >none.csv
bad_profile none.csv "point|empty|no data" none.csv

begin csv-empty
: >empty.csv
bad_profile empty.csv "empty" empty.csv

begin csv-binary
gen random bin.csv 3000 2
bad_profile bin.csv "binary|text" bin.csv

begin ini-curve-binary
gen random bin.csv 3000 2
profile_ini hostile.ini bin.csv
bad_profile bin.csv "binary|text" hostile.ini

begin ini-curve-missing
profile_ini hostile.ini gone.csv
bad_profile gone.csv "no such|not found|missing|exist" hostile.ini

begin ini-curve-fifo
mkfifo pipe.csv
profile_ini hostile.ini pipe.csv
bad_profile pipe.csv "$FIFO_WORDS" hostile.ini

begin ini-curve-directory
mkdir curves
profile_ini hostile.ini curves
bad_profile curves "directory|regular" hostile.ini

begin ini-curve-symlink-loop
ln -s loop.csv loop.csv
profile_ini hostile.ini loop.csv
bad_profile loop.csv "symbolic|loop|links" hostile.ini

begin fifo-ini
mkfifo pipe.ini
bad_profile pipe.ini "$FIFO_WORDS" pipe.ini

begin fifo-ir
mkfifo pipe.wav
bad_profile pipe.wav "$FIFO_WORDS" pipe.wav

begin empty-ir
: >empty.wav
bad_profile empty.wav "empty|0 bytes" empty.wav

# Targets and --on: the missing one is named, not a profile it was tried with.
begin target-missing
hrun 2 render -q in/good.wav -p sennheiser-hd-650 --target nonexistent -o out
expect_usage nonexistent "no |not found|unknown|missing"
if [ "$(count_containing "$SCRATCH/stderr" akg)" -ne 0 ]; then
    fails "the error names a profile that was not asked for"
    show
fi

begin target-binary
gen random bin.csv 3000 2
hrun 2 render -q in/good.wav -p "$PROFILES" --target bin.csv -o out
expect_usage bin.csv "binary|text"

begin on-missing
hrun 2 render -q in/good.wav -p "$PROFILES" --on no-such-headphone -o out
expect_usage no-such-headphone "no profile|unknown|not found|match"

summary

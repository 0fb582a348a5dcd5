# SPDX-License-Identifier: MIT
# Hostile options: every bad value of every numeric (and enumerated) option, unknown options,
# missing values, -o twice, --report at an input, a foreign file, a render or a folder. Each is a
# usage error before anything is read or written: exit 2, one line "cansim: ..." naming the
# option (and the value) or the path, at most the hint after it, nothing created, every file as
# it was.
# Usage: options.sh CANSIM GEN SCRATCH BATCH-JSON SANITIZE SHIM
. "$(dirname "$0")/hostile_lib.sh"

VALUE_WORDS="takes|must|expect|invalid|not|between|range|outside|number|need|unknown|bad"

# usage_case NAME NAMED WORDS ARGS...: cansim render -q in/good.wav -p a.wav,b.wav -o out ARGS
# is a usage error naming NAMED and saying one of WORDS.
usage_case() {
    begin "$1"
    named=$2
    words=$3
    shift 3
    hrun 2 render -q in/good.wav -p "$PROFILES" -o out "$@"
    expect_usage "$named" "$words"
}

# bad_values OPTION VALUE...: each VALUE of OPTION (as two arguments, and as OPTION=VALUE for a
# long option) is a usage error whose line names the option (its word: "format" for --format,
# "threads" for -t).
bad_values() {
    opt=$1
    shift
    word=${opt#--}
    [ "$opt" != -t ] || word=threads
    for v in "$@"; do
        id=$(printf '%s' "${opt#-}" | tr -d -)-$(printf '%s' "${v:-empty}" | tr -c 'A-Za-z0-9.+-' _)
        usage_case "$id" "$word" "$VALUE_WORDS" "$opt" "$v"
        case $opt in
        --*)
            usage_case "$id-joined" "$word" "$VALUE_WORDS" "$opt=$v"
            ;;
        esac
    done
}

HUGE=99999999999999999999
bad_values --level x "" 5 -71 1e999 -1e999 $HUGE nan inf -14x 0x10
bad_values --ceiling x "" 1 -21 nan inf $HUGE -1dB
bad_values --rate 0 -48000 abc "" 7999 384001 $HUGE 48000.5 48k nan
bad_values --threads 0 -1 abc "" $HUGE 2x 1.5
bad_values -t 0 -1 abc ""
bad_values --shard "" 0/2 3/2 1/0 a/b 1 1/2/3 -1/2 /2 1/ $HUGE/$HUGE
bad_values --partition 0 100 32 131072 "" abc $HUGE -1024
bad_values --format junk "" wav8 flac32f
bad_values --resampler junk ""
bad_values --gain-group junk ""
bad_values --crossfeed junk "" 100:5 700:99 700: :5 nan:5 700:nan
# The other architecture's level is no level of this machine: refused, as CANSIM_CPU refuses it.
case $(uname -m) in
aarch64 | arm64) other_isa=avx2 ;;
*) other_isa=neon ;;
esac
bad_values --cpu junk "" $other_isa AVX3

begin cpu-env-other-arch
HENV="CANSIM_CPU=$other_isa"
hrun 2 render -q in/good.wav -p "$PROFILES" -o out
expect_usage CANSIM_CPU "$VALUE_WORDS"

# Unknown options, wherever they stand (named themselves, not their neighbour).
usage_case unknown-long --bogus option --bogus
usage_case unknown-long-joined --bogus=3 option --bogus=3
usage_case unknown-short -Z option -Z
usage_case unknown-short-in-cluster Z option -qZ

begin unknown-first
hrun 2 render --bogus in/good.wav -p "$PROFILES" -o out
expect_usage --bogus option

# Missing values: the option is last.
for opt in -o --output -p --profiles --level --ceiling --rate -t --threads --shard --cpu \
    --partition --format --report --target --on --crossfeed; do
    begin "missing-value$(printf '%s' "$opt" | tr -c 'A-Za-z0-9' _)"
    if [ "$opt" = -o ] || [ "$opt" = --output ]; then
        hrun 2 render -q in/good.wav -p "$PROFILES" "$opt"
    elif [ "$opt" = -p ] || [ "$opt" = --profiles ]; then
        hrun 2 render -q in/good.wav -o out "$opt"
    else
        hrun 2 render -q in/good.wav -p "$PROFILES" -o out "$opt"
    fi
    expect_usage "$opt" "need|missing|requires|value|argument"
done

# Two output folders: which one was meant? Neither is written.
begin output-twice
OUTS="out out2"
hrun 2 render -q in/good.wav -p "$PROFILES" -o out -o out2
expect_usage -o "twice|once|more than one|again|two"

# --report at a path cansim must not write: refused before anything is rendered.
usage_case report-at-input in/good.wav "input|same|overwrite|collid|exist" \
    --report in/good.wav

begin report-at-foreign-file
cp in/good.wav in/other.wav
hrun 2 render -q in/good.wav -p "$PROFILES" -o out --report in/other.wav
expect_usage in/other.wav "exist|force|overwrite|not written|own|audio"

usage_case report-at-render out/good/a.wav "output|render|same|collid|overwrite|audio" \
    --report out/good/a.wav

begin report-at-folder
mkdir reports
hrun 2 render -q in/good.wav -p "$PROFILES" -o out --report reports
expect_usage reports "directory|folder"

summary

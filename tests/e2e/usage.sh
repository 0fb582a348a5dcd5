# SPDX-License-Identifier: MIT
# --help, --version and usage errors (exit 2, one line, then "Try 'cansim --help'.").
. "$(dirname "$0")/lib.sh"

gen tone mix.wav 48000 2 4800 wav16
gen ir a.wav 48000 2 50 1
ONLY=${1:-}

if [ -z "$ONLY" ]; then
    run --help
    expect_rc 0 "--help"
    if [ ! -s stdout ]; then
        fail "--help prints nothing on stdout"
    fi
    for word in render --threads --format --tail --cpu --partition; do
        if [ "$(count_containing stdout "$word")" -eq 0 ]; then
            fail "--help does not mention $word"
        fi
    done
    if [ -s stderr ]; then
        fail "--help writes to stderr"
        show_output
    fi

    run --version
    expect_rc 0 "--version"
    if ! grep -Eq '[0-9]+\.[0-9]+\.[0-9]+' stdout; then
        fail "--version prints no version number on stdout"
        show_output
    fi
fi

# usage_error WHAT ARGS...: exit 2, stderr is one problem line then the hint, nothing written.
usage_error() {
    what=$1
    shift
    rm -rf out
    run "$@"
    expect_rc 2 "$what"
    n=$(count_lines stderr)
    last=$(tail -n 1 stderr)
    first=$(head -n 1 stderr)
    if [ "$n" -ne 2 ] || [ "$last" != "Try 'cansim --help'." ]; then
        fail "$what: stderr is not one line and \"Try 'cansim --help'.\""
        show_output
    elif [ "$(count_prefix stderr 'cansim: ')" -ne 1 ] || [ "${#first}" -le 8 ]; then
        fail "$what: the problem line does not read 'cansim: <problem>': $first"
    fi
    if [ -e out ]; then
        fail "$what: a usage error created the output directory"
    fi
}

# Two inputs of one folder and name (mix.wav, mix.wave) would write to one folder: the second
# fails with one line naming both, the first is rendered. In different folders they do not
# collide: outputs mirror the folders below the inputs' common one.
if [ "$ONLY" = same-name ]; then
    cp mix.wav mix.wave
    mkdir -p sub
    cp mix.wav sub/mix.wav
    run render mix.wav mix.wave -p a.wav -o out
    expect_rc 1 "two inputs named mix"
    expect_one_error_naming "mix.wave" "two inputs named mix"
    [ -f out/mix/a.wav ] || fail "two inputs named mix: the first was not rendered"
    rm -rf out
    run render mix.wav sub/mix.wav -p a.wav -o out
    expect_rc 0 "mix.wav and sub/mix.wav"
    [ -f out/mix/a.wav ] && [ -f out/sub/mix/a.wav ] ||
        fail "mix.wav and sub/mix.wav: want out/mix/a.wav and out/sub/mix/a.wav: $(find out -type f | tr '\n' ' ')"
    finish
fi

usage_error "bad option" render mix.wav -p a.wav -o out --bogus
usage_error "bad short option" render mix.wav -p a.wav -o out -Z
usage_error "missing -o" render mix.wav -p a.wav
usage_error "-o without its value" render mix.wav -p a.wav -o
usage_error "no input" render -p a.wav -o out
usage_error "--format junk" render mix.wav -p a.wav -o out --format junk
usage_error "--format empty" render mix.wav -p a.wav -o out --format ""
usage_error "--cpu junk" render mix.wav -p a.wav -o out --cpu junk
usage_error "--threads 0" render mix.wav -p a.wav -o out --threads 0
usage_error "--threads -3" render mix.wav -p a.wav -o out --threads -3
usage_error "--threads abc" render mix.wav -p a.wav -o out --threads abc
usage_error "--threads 2x" render mix.wav -p a.wav -o out --threads 2x
usage_error "--partition 100" render mix.wav -p a.wav -o out --partition 100
usage_error "--partition 32" render mix.wav -p a.wav -o out --partition 32
usage_error "--flac-level 9" render mix.wav -p a.wav -o out -f flac24 --flac-level 9
usage_error "--flac-level -1" render mix.wav -p a.wav -o out -f flac24 --flac-level -1
usage_error "--flac-level 1.5" render mix.wav -p a.wav -o out -f flac24 --flac-level 1.5
usage_error "--flac-level empty" render mix.wav -p a.wav -o out -f flac24 --flac-level ""
usage_error "--flac-level fast" render mix.wav -p a.wav -o out -f flac24 --flac-level fast
usage_error "--flac-level without its value" render mix.wav -p a.wav -o out --flac-level
usage_error "no command"
usage_error "unknown command" frobnicate mix.wav -p a.wav -o out

finish

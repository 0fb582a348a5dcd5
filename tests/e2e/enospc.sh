# SPDX-License-Identifier: MIT
# A full disk for one output (simulated by enospc_shim via LD_PRELOAD): exit 1, one error line
# naming that output, the other output complete and correct, nothing left of the failed one.
# Usage: enospc.sh CANSIM GEN SCRATCH SHIM SANITIZERS
. "$(dirname "$0")/lib.sh"
SHIM=${1:?shim}
SANITIZERS=${2:-}

if [ -n "$SANITIZERS" ]; then
    # The sanitizer runtimes must come first in the library list, which LD_PRELOAD breaks.
    echo "SKIP: built with -fsanitize=$SANITIZERS, which conflicts with LD_PRELOAD"
    exit 77
fi

gen tone mix.wav 48000 2 144000 wav16
gen ir a.wav 48000 2 100 1
gen ir b.wav 48000 4 300 2

# The shim must work on this machine, or the test proves nothing.
if LD_PRELOAD=$SHIM CANSIM_TEST_ENOSPC=/probe.wav "$GEN" tone probe.wav 48000 2 100 \
    2>/dev/null; then
    echo "enospc_shim does not make writes fail here" >&2
    exit 99
fi
rm -f probe.wav

# The reference: the same render without the shim.
run render mix.wav -p a.wav,b.wav -o ref
expect_rc 0 "render without the shim"

# Fail at once (the header) and in the middle of the data.
for after in 0 100000; do
    what="ENOSPC on mix/b.wav after $after bytes"
    rm -rf out
    last_cmd="LD_PRELOAD=enospc_shim cansim render mix.wav -p a.wav,b.wav -o out"
    LD_PRELOAD=$SHIM CANSIM_TEST_ENOSPC=/mix/b.wav CANSIM_TEST_ENOSPC_AFTER=$after \
        "$CANSIM" render mix.wav -p a.wav,b.wav -o out >stdout 2>stderr
    rc=$?
    expect_rc 1 "$what"
    expect_one_error_naming out/mix/b.wav "$what"
    if [ -e out/mix/b.wav ] || [ -e out/mix/b.wav.part ]; then
        fail "$what: out/mix/b.wav or its .part was left"
    fi
    if [ ! -f out/mix/a.wav ] || ! cmp -s ref/mix/a.wav out/mix/a.wav; then
        fail "$what: out/mix/a.wav is missing or differs from the render without the shim"
    fi
    expect_no_part out "$what"
done

finish

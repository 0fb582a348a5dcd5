# SPDX-License-Identifier: MIT
# Shared by the safety tests (issue 13: nothing lost): the batch tests' helpers (batch_lib.sh,
# sourced with the same arguments), and checksums of whole trees. POSIX sh.
. "$(dirname "$0")/../batch/batch_lib.sh"

# sums PATH...: "sha256  path" of every regular file under the PATHs, sorted by path.
sums() {
    find "$@" -type f -exec sha256sum {} + 2>/dev/null | LC_ALL=C sort -k 2
}

# expect_same_sums BEFORE AFTER WHAT: no file of BEFORE changed or vanished, and AFTER has no
# file BEFORE lacks (both outputs of sums).
expect_same_sums() {
    if ! cmp -s "$1" "$2"; then
        fail "$3: files changed, vanished or appeared: $(diff "$1" "$2" | grep '^[<>]' | head -8 | tr '\n' ' ')"
    fi
}

# expect_kept BEFORE WHAT: every file BEFORE lists still has its bytes (others may appear).
expect_kept() {
    if ! sha256sum -c --quiet "$1" >"$SCRATCH/sums.err" 2>&1; then
        fail "$2: files changed: $(head -8 "$SCRATCH/sums.err" | tr '\n' ' ')"
    fi
}

# gain_of DB: 10^(DB/20).
gain_of() {
    awk -v g="$1" 'BEGIN { printf "%.9g", 10 ^ (g / 20) }'
}

# expect_error_naming A B WHAT: exactly one error line, naming both A and B.
expect_error_naming() {
    n=$(A=$1 B=$2 awk 'index($0, "cansim: ") == 1 && index($0, ENVIRON["A"]) > 0 &&
                       index($0, ENVIRON["B"]) > 0 { n++ } END { print n + 0 }' "$SCRATCH/stderr")
    if [ "$(count_errors "$SCRATCH/stderr")" -ne 1 ] || [ "$n" -ne 1 ]; then
        fail "$3: want one error line naming $1 and $2"
        show_output
    fi
}

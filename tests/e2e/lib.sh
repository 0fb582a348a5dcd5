# SPDX-License-Identifier: MIT
# Shared by the end-to-end scripts: sourced with CANSIM GEN SCRATCH as $1 $2 $3.
# POSIX sh. Each check counts a failure and goes on; finish reports and sets the exit status.

if [ $# -lt 3 ]; then
    echo "usage: $0 CANSIM CANSIM-GEN SCRATCH-DIR [...]" >&2
    exit 2
fi
CANSIM=$1
GEN=$2
SCRATCH=$3
shift 3

unset CANSIM_CPU
LC_ALL=C
export LC_ALL
n_failures=0

rm -rf "$SCRATCH" && mkdir -p "$SCRATCH" && cd "$SCRATCH" || exit 99
SCRATCH=$(pwd)

fail() {
    echo "FAIL: $*" >&2
    n_failures=$((n_failures + 1))
}

# gen ARGS...: a fixture; a failure here is the harness's, not cansim's.
gen() {
    "$GEN" "$@" || { echo "cansim-gen $* failed" >&2; exit 99; }
}

# run ARGS...: runs cansim with stdout/stderr in $SCRATCH/stdout, $SCRATCH/stderr; sets $rc.
run() {
    last_cmd="cansim $*"
    "$CANSIM" "$@" >"$SCRATCH/stdout" 2>"$SCRATCH/stderr"
    rc=$?
}

show_output() {
    echo "--- $last_cmd: exit $rc; stdout:" >&2
    cat "$SCRATCH/stdout" >&2
    echo "--- stderr:" >&2
    cat "$SCRATCH/stderr" >&2
    echo "---" >&2
}

expect_rc() {
    if [ "$rc" -ne "$1" ]; then
        fail "$2: exit status $rc, want $1"
        show_output
    fi
}

# count_prefix FILE PREFIX: lines of FILE that start with PREFIX (a plain string).
count_prefix() {
    P=$2 awk 'index($0, ENVIRON["P"]) == 1 { n++ } END { print n + 0 }' "$1"
}

# count_containing FILE STRING: lines of FILE that contain STRING (a plain string).
count_containing() {
    P=$2 awk 'index($0, ENVIRON["P"]) > 0 { n++ } END { print n + 0 }' "$1"
}

# count_errors FILE: error lines, "cansim: <path>: <problem>" (a summary such as
# "cansim: 2 outputs written" is not one).
count_errors() {
    awk 'index($0, "cansim: ") == 1 && index(substr($0, 9), ": ") > 0 { n++ }
         END { print n + 0 }' "$1"
}

# count_errors_naming FILE STRING: error lines that contain STRING.
count_errors_naming() {
    P=$2 awk 'index($0, "cansim: ") == 1 && index(substr($0, 9), ": ") > 0 &&
              index($0, ENVIRON["P"]) > 0 { n++ } END { print n + 0 }' "$1"
}

# expect_one_error_naming STRING WHAT: one error line in all, and it names STRING.
expect_one_error_naming() {
    if [ "$(count_errors "$SCRATCH/stderr")" -ne 1 ] ||
        [ "$(count_errors_naming "$SCRATCH/stderr" "$1")" -ne 1 ]; then
        fail "$2: want exactly one error line 'cansim: <path>: <problem>', naming $1"
        show_output
    fi
}

count_lines() {
    awk 'END { print NR }' "$1"
}

# expect_one_error_line PREFIX WHAT: stderr has exactly one error line, it starts with PREFIX and
# says something after it.
expect_one_error_line() {
    n=$(count_prefix "$SCRATCH/stderr" "$1")
    if [ "$n" -ne 1 ]; then
        fail "$2: $n stderr lines start with '$1', want 1"
        show_output
        return
    fi
    n=$(count_errors "$SCRATCH/stderr")
    if [ "$n" -ne 1 ]; then
        fail "$2: $n error lines, want 1"
        show_output
    fi
    line=$(P=$1 awk 'index($0, ENVIRON["P"]) == 1' "$SCRATCH/stderr")
    if [ "${#line}" -le "${#1}" ]; then
        fail "$2: the error line '$line' names no problem"
    fi
}

# expect_info FILE 'frames=.. channels=.. ...' WHAT: cansim-gen info prints exactly that.
expect_info() {
    if [ ! -f "$1" ]; then
        fail "$3: $1 is missing"
        return
    fi
    got=$("$GEN" info "$1" 2>&1)
    if [ "$got" != "$2" ]; then
        fail "$3: $1 is '$got', want '$2'"
    fi
}

# expect_compare REF OUT WHAT [compare options]
expect_compare() {
    ref=$1
    out=$2
    what=$3
    shift 3
    if [ ! -f "$out" ]; then
        fail "$what: $out is missing"
        return
    fi
    if ! result=$("$GEN" compare "$ref" "$out" "$@" 2>&1); then
        fail "$what: $out does not match $ref ($*): $result"
    fi
}

# expect_no_files DIR WHAT: DIR is absent or has no regular file at any depth.
expect_no_files() {
    if [ -e "$1" ]; then
        files=$(find "$1" -type f)
        if [ -n "$files" ]; then
            fail "$2: files left under $1: $(printf "%s " "$files" | tr "\n" " ")"
        fi
    fi
}

expect_no_part() {
    parts=$(find "$1" -name '*.part' 2>/dev/null)
    if [ -n "$parts" ]; then
        fail "$2: temporary files left: $(printf "%s " "$parts" | tr "\n" " ")"
    fi
}

finish() {
    if [ "$n_failures" -ne 0 ]; then
        echo "$n_failures check(s) failed" >&2
        exit 1
    fi
    echo "all checks passed"
    exit 0
}

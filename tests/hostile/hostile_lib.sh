# SPDX-License-Identifier: MIT
# The hostile-input suite's harness (issue 13). Sourced with
#   CANSIM CANSIM-GEN SCRATCH BATCH-JSON SANITIZE ENOSPC-SHIM
# as $1..$6: tests/batch/batch_lib.sh (and through it tests/e2e/lib.sh), then the case harness.
#
# A case is a sandbox folder, $SCRATCH/<case>/, made by `begin NAME` with the shared fixtures:
#   in/good.wav   1 s of a stereo 16-bit tone at 48 kHz, rendered in every batch
#   a.wav, b.wav  two short impulse responses (stereo, mono): the profiles a and b
# The case adds its hostile files. `hrun RC ARGS...` fingerprints every file of the sandbox
# (sha256, mode, symlink target, type: read-only files and files placed where outputs go
# included), runs cansim in it under a timeout (a hang is a failure), and checks the exit
# status, that no sanitizer spoke, that every sealed file is as it was, that nothing appeared
# outside the case's output roots ($OUTS), and that no temporary file was left.
# The case then asserts its error line (expect_error), its renders (expect_rendered), etc.
# A run killed in a read-only case (without root) left folders lib.sh could not remove.
[ ! -d "${3-}" ] || chmod -R u+w "$3" 2>/dev/null
. "$(dirname "$0")/../batch/batch_lib.sh"
SHIM=${1:?enospc shim}
shift

# Generous: the suite must pass on a busy machine and under the sanitizers. Only a hang or a
# runaway reaches it.
CASE_TIMEOUT=120
PROFILES=a.wav,b.wav
GOOD_INFO="frames=48000 channels=2 rate=48000 major=wav subtype=pcm16"

mkdir -p "$SCRATCH/fixtures"
gen tone "$SCRATCH/fixtures/good.wav" 48000 2 48000 wav16
gen ir "$SCRATCH/fixtures/a.wav" 48000 2 64 1
gen ir "$SCRATCH/fixtures/b.wav" 48000 1 64 2

case_name=
failed_cases=
n_cases=0

# end_case: closes the running case: prints its verdict, gives its folders back their write
# permission (so the next run can remove them).
end_case() {
    [ -n "$case_name" ] || return 0
    cd "$SCRATCH" || exit 99
    chmod -R u+w "$SCRATCH/$case_name" 2>/dev/null
    if [ "$n_failures" -eq "$case_failures_before" ]; then
        echo "ok   $case_name"
    else
        echo "FAIL $case_name"
        failed_cases="$failed_cases $case_name"
    fi
    case_name=
}

# begin NAME: starts case NAME in a fresh sandbox holding the shared fixtures.
begin() {
    end_case
    case_name=$1
    case_failures_before=$n_failures
    n_cases=$((n_cases + 1))
    echo "---- case $case_name"
    META=$SCRATCH/.meta/$case_name
    rm -rf "$META"
    mkdir -p "$META" || exit 99
    dir=$SCRATCH/$case_name
    chmod -R u+w "$dir" 2>/dev/null
    rm -rf "$dir"
    mkdir -p "$dir/in" && cd "$dir" || exit 99
    cp "$SCRATCH/fixtures/good.wav" in/good.wav
    cp "$SCRATCH/fixtures/a.wav" "$SCRATCH/fixtures/b.wav" . || exit 99
    # Where cansim may create files in this case (relative to the sandbox, space separated).
    OUTS=out
    # Folders cansim must find read-only (space separated, no spaces in them).
    RO=
    # Environment assignments for cansim (space separated: VAR=value, no spaces in values).
    HENV=
    # A folder the seal leaves out: outputs of an earlier run of this case, which cansim owns.
    SEAL_SKIP=
}

# fails WHAT: a failure of the running case.
fails() {
    fail "$case_name: $*"
}

# show: the last run's output, once per run however many checks fail on it.
show() {
    if [ "$is_shown" -eq 0 ]; then
        show_output
        is_shown=1
    fi
}
is_shown=0

# fingerprint: every entry of the sandbox (but $SEAL_SKIP): its type, mode and symlink target,
# then every regular file's sha256. Sorted; a name with a newline spans lines the same way in
# every fingerprint.
fingerprint() {
    if [ -n "$SEAL_SKIP" ]; then
        find . -mindepth 1 -path "./$SEAL_SKIP" -prune -o -printf '%y %m %p -> %l\n'
        find . -mindepth 1 -path "./$SEAL_SKIP" -prune -o -type f -exec sha256sum -- {} +
    else
        find . -mindepth 1 -printf '%y %m %p -> %l\n'
        find . -mindepth 1 -type f -exec sha256sum -- {} +
    fi | LC_ALL=C sort
}

# paths_outside_outs: every path of the sandbox that is not below one of $OUTS (pruned by find
# itself, so names with newlines split no test).
paths_outside_outs() {
    set --
    for r in $OUTS; do
        [ $# -eq 0 ] || set -- "$@" -o
        set -- "$@" -path "./$r"
    done
    if [ $# -gt 0 ]; then
        find . -mindepth 1 \( "$@" \) -prune -o -print
    else
        find . -mindepth 1 -print
    fi | LC_ALL=C sort
}

# seal: records the sandbox as it is before cansim runs (hrun calls it). Without root, the $RO
# folders lose their write permission first (as root, run_cansim mounts them read-only).
seal() {
    if [ -n "$RO" ] && [ "$(id -u)" -ne 0 ]; then
        for d in $RO; do
            chmod -R a-w "$d" || exit 99
        done
    fi
    fingerprint >"$META/seal" || exit 99
    paths_outside_outs >"$META/paths" || exit 99
    # a user's own *.part files are not temporaries left by cansim (the seal covers them)
    find . -name '*.part*' -print | LC_ALL=C sort >"$META/parts" || exit 99
}

# run_cansim ARGS...: cansim in the sandbox with $HENV, under the timeout, $RO folders read-only
# (as root: a private mount namespace with read-only bind mounts, as root ignores permissions).
run_cansim() {
    if [ -n "$RO" ] && [ "$(id -u)" -eq 0 ]; then
        # shellcheck disable=SC2086,SC2016 # $HENV: assignments; the script expands its own $1
        env $HENV timeout -k 10 "$CASE_TIMEOUT" unshare -m sh -c '
            for d in $1; do
                mount --bind "$d" "$d" && mount -o remount,bind,ro "$d" "$d" || exit 97
            done
            shift
            exec "$@"' sh "$RO" "$CANSIM" "$@"
    else
        # shellcheck disable=SC2086
        env $HENV timeout -k 10 "$CASE_TIMEOUT" "$CANSIM" "$@"
    fi
}

# hrun RC ARGS...: runs cansim ARGS (stdout and stderr in $SCRATCH/stdout, $SCRATCH/stderr) and
# checks the exit status RC, then the seal, new paths outside $OUTS and temporary files.
hrun() {
    want=$1
    shift
    last_cmd="${HENV:+$HENV }cansim $*"
    seal
    run_cansim "$@" >"$SCRATCH/stdout" 2>"$SCRATCH/stderr"
    rc=$?
    is_shown=0
    # HOSTILE_VERBOSE=1: every run's output, to read what cansim says in each case.
    [ -z "${HOSTILE_VERBOSE-}" ] || show
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        fails "cansim hung: killed after $CASE_TIMEOUT s ($last_cmd)"
        show
    elif [ "$rc" -eq 97 ] && [ -n "$RO" ]; then
        fails "the harness cannot make '$RO' read-only here (a mount namespace as root)"
    elif [ "$rc" -ne "$want" ]; then
        fails "exit status $rc, want $want"
        show
    fi
    if grep -q -e 'Sanitizer' -e 'runtime error:' "$SCRATCH/stderr"; then
        fails "a sanitizer reported an error"
        show
    fi
    check_seal
}

# check_seal: every sealed entry is as it was; nothing new outside $OUTS; no temporary file.
check_seal() {
    fingerprint >"$META/after"
    changed=$(LC_ALL=C comm -23 "$META/seal" "$META/after")
    if [ -n "$changed" ]; then
        fails "files cansim did not write were changed or removed: $(echo "$changed" | tr '\n' ' ')"
    fi
    paths_outside_outs >"$META/paths.after"
    new=$(LC_ALL=C comm -13 "$META/paths" "$META/paths.after")
    if [ -n "$new" ]; then
        fails "cansim wrote outside its output ($OUTS): $(echo "$new" | tr '\n' ' ')"
    fi
    tmp=$(find . -name '*.part*' -print | LC_ALL=C sort | LC_ALL=C comm -13 "$META/parts" -)
    if [ -n "$tmp" ]; then
        fails "temporary files left: $(echo "$tmp" | tr '\n' ' ')"
    fi
}

# error_lines PREFIX WORDS: stderr lines that start with PREFIX, go on with "<...>: <problem>"
# (PREFIX may end inside the path), and whose problem holds one of WORDS ('|' separated,
# any case).
error_lines() {
    P=$1 W=$2 awk '
        BEGIN { n = split(tolower(ENVIRON["W"]), words, "|") }
        index($0, ENVIRON["P"]) == 1 {
            rest = substr($0, length(ENVIRON["P"]) + 1)
            at = index(rest, ": ")
            if (at == 0) next
            problem = tolower(substr(rest, at + 2))
            for (i = 1; i <= n; i++)
                if (index(problem, words[i]) > 0) { print; next }
        }' "$SCRATCH/stderr"
}

# expect_error PATH WORDS: exactly one stderr line is "cansim: PATH: <problem>" (or a path
# below PATH), its problem saying one of WORDS.
expect_error() {
    n=$(count_prefix "$SCRATCH/stderr" "cansim: $1")
    m=$(error_lines "cansim: $1" "$2" | awk 'END { print NR }')
    if [ "$n" -ne 1 ] || [ "$m" -ne 1 ]; then
        fails "want one error line 'cansim: $1: <problem>' saying one of '$2'; $n name it, $m say so"
        show
    fi
}

# expect_stderr_lines N: stderr has exactly N lines (cansim -q: its error lines, one each).
expect_stderr_lines() {
    n=$(count_lines "$SCRATCH/stderr")
    if [ "$n" -ne "$1" ]; then
        fails "stderr has $n lines, want $1"
        show
    fi
}

# expect_usage NAME WORDS: a usage error: the first stderr line starts "cansim: ", names NAME
# (an option's word, a profile, a path; any case) and says one of WORDS (any case); at most the
# hint "Try 'cansim --help'." follows; nothing on stdout; nothing of $OUTS created.
expect_usage() {
    first=$(head -n 1 "$SCRATCH/stderr")
    n=$(count_lines "$SCRATCH/stderr")
    second=$(sed -n 2p "$SCRATCH/stderr")
    is_ok=$(N=$1 W=$2 L=$first awk 'BEGIN {
        line = tolower(ENVIRON["L"]); ok = 0
        n = split(tolower(ENVIRON["W"]), w, "|")
        for (i = 1; i <= n; i++) if (index(line, w[i]) > 0) ok = 1
        print (ok && index(line, "cansim: ") == 1 && index(line, tolower(ENVIRON["N"])) > 0) }')
    if [ "$is_ok" -ne 1 ] || [ "$n" -gt 2 ] ||
        { [ "$n" -eq 2 ] && [ "$second" != "Try 'cansim --help'." ]; }; then
        fails "want one line 'cansim: ...' naming '$1' and saying one of '$2' (then at most the hint)"
        show
    fi
    if [ -s "$SCRATCH/stdout" ]; then
        fails "a usage error printed on stdout"
        show
    fi
    for o in $OUTS; do
        if [ -e "$o" ]; then
            fails "a usage error created $o"
        fi
    done
}

# expect_rendered STEM [INFO]: out/STEM/a.wav and b.wav hold INFO (default: good.wav's).
expect_rendered() {
    for p in a b; do
        expect_info "out/$1/$p.wav" "${2:-$GOOD_INFO}" "$case_name: $1 through $p"
    done
}

# expect_not_rendered STEM: no render or report of STEM (hidden bookkeeping files may stay).
expect_not_rendered() {
    if [ -d "out/$1" ]; then
        left=$(find "out/$1" -type f ! -name '.*' -print)
        if [ -n "$left" ]; then
            fails "the failed input $1 left files: $(echo "$left" | tr '\n' ' ')"
        fi
    fi
}

# render ARGS...: the usual batch, quiet: cansim render -q ARGS -p a.wav,b.wav -o out.
render() {
    want=$1
    shift
    hrun "$want" render -q "$@" -p "$PROFILES" -o out
}

# summary: ends the last case, lists the failed ones, and exits as lib.sh's finish.
summary() {
    end_case
    echo "$n_cases cases"
    if [ -n "$failed_cases" ]; then
        echo "failed cases:$failed_cases" >&2
    fi
    finish
}

# SPDX-License-Identifier: MIT
# e2e.golden: every byte cansim writes for a fixed render set, against checksums kept here.
#
# usage: golden.sh CANSIM SCRATCH-DIR SUMS-FILE THREADS [--update]
#
# The set: inputs synthesized by make_input.py (integer arithmetic, no project code), rendered
# through a curve profile (hd-650), a crossfeed one (speakers: flat + bs2b), an in-ear
# (etymotic-er4sr), speakers-kemar (HRTF) and the flat reference, at every output format of
# `cansim render --format` (wav16, wav24, wav32f, flac16, flac24, aiff16, aiff24); then --level
# off, --level -14, --target diffuse-field, --on, --crossfeed, --rate, --tail, --ceiling off, a
# gain group of two stems (--gain-group dir: their lengths differ) with its song renders, and
# `cansim design` IRs in every container it writes. All of it twice: with the C kernels
# (--cpu c) and with the machine's best (--cpu auto). The inputs' own checksums are in the list
# too, so a changed generator shows up as such.
#
# What is compared: the SHA-256 (sha256sum) of every output audio file, byte for byte (cansim
# writes no PEAK chunk, whose time of writing would differ from run to run). report.json and
# pages are not hashed.
#
# The outputs depend on the libraries (libsndfile and libFLAC write their version into files,
# FFTW's and the kernels' rounding follows the CPU): SUMS-FILE's "# env:" line records the
# machine it was made on, and on another one the test skips (exit 77) saying so.
#
# When an output change is intended (or on a new machine), regenerate the list with the build
# that is right and review the diff (which files changed, and why) before committing it:
#   cmake --build build && sh tests/golden/golden.sh build/cli/cansim /tmp/golden \
#       tests/golden/SHA256SUMS 2 --update
#   git diff tests/golden/SHA256SUMS
# The test runs at 1 and at 2 threads (e2e.golden.t1, e2e.golden): one list serves both, since
# outputs must not depend on the thread count.

if [ $# -lt 4 ]; then
    echo "usage: $0 CANSIM SCRATCH-DIR SUMS-FILE THREADS [--update]" >&2
    exit 2
fi
CANSIM=$1
SCRATCH=$2
SUMS=$3
THREADS=$4
UPDATE=${5:-}
HERE=$(cd "$(dirname "$0")" && pwd)
case $CANSIM in /*) ;; *) CANSIM=$(pwd)/$CANSIM ;; esac
case $SUMS in /*) ;; *) SUMS=$(pwd)/$SUMS ;; esac

unset CANSIM_CPU CANSIM_PROFILES_DIR OMP_NUM_THREADS
LC_ALL=C
export LC_ALL

rm -rf "$SCRATCH" && mkdir -p "$SCRATCH" && cd "$SCRATCH" || exit 99

# The machine: what the outputs' bytes depend on besides cansim's code.
env_line() {
    libs=$(for p in sndfile flac samplerate fftw3f sleef libebur128 libmysofa; do
        printf '%s-%s ' "$p" "$(pkg-config --modversion "$p" 2>/dev/null || echo '?')"
    done)
    cpu=$(uname -m)
    for flag in sse4_2 avx avx2 fma avx512f avx512bw avx512dq avx512vl asimd; do
        grep -qw "$flag" /proc/cpuinfo 2>/dev/null && cpu="$cpu $flag"
    done
    echo "${libs}cpu: $cpu"
}
ENV_NOW=$(env_line)
if [ "$UPDATE" != --update ]; then
    [ -f "$SUMS" ] || { echo "FAIL: $SUMS is missing" >&2; exit 1; }
    ENV_KEPT=$(sed -n 's/^# env: //p' "$SUMS")
    if [ "$ENV_KEPT" != "$ENV_NOW" ]; then
        echo "skipped: $SUMS was made on another machine or library set:" >&2
        echo "  kept: $ENV_KEPT" >&2
        echo "  here: $ENV_NOW" >&2
        echo "regenerate it with the right build here (see the header of $0)" >&2
        exit 77
    fi
fi

# --- The inputs.
mkdir -p in/song || exit 99
if ! { python3 "$HERE/make_input.py" in/mix.wav 1 36000 &&
    python3 "$HERE/make_input.py" in/song/a.wav 2 30000 &&
    python3 "$HERE/make_input.py" in/song/b.wav 3 24000; }; then
    echo "make_input.py failed" >&2
    exit 99
fi

# --- The render set. Each run's outputs go under out/<cpu>/<name>/; commands.txt says which
# command made each <name>, for the failure messages.
P5=hd-650,speakers,etymotic-er4sr,speakers-kemar,reference
n_runs_failed=0
# r CPU NAME ARGS...: one cansim command; its outputs under out/CPU/NAME.
r() {
    cpu=$1
    name=$2
    shift 2
    echo "$cpu/$name: cansim $*" >>commands.txt
    if ! "$CANSIM" "$@" --cpu "$cpu" -t "$THREADS" -q >log.txt 2>&1; then
        echo "FAIL: $cpu/$name: cansim $* --cpu $cpu -t $THREADS exited non-zero:" >&2
        cat log.txt >&2
        n_runs_failed=$((n_runs_failed + 1))
    fi
}
for cpu in c auto; do
    o=out/$cpu
    for f in wav16 wav24 wav32f flac16 flac24 aiff16 aiff24; do
        r "$cpu" "$f" render in/mix.wav -o "$o/$f" -p "$P5" -f "$f"
    done
    r "$cpu" level-off render in/mix.wav -o "$o/level-off" -p "$P5" -f wav24 --level off
    r "$cpu" level-14 render in/mix.wav -o "$o/level-14" -p "$P5" -f wav24 --level -14
    r "$cpu" target-df render in/mix.wav -o "$o/target-df" -p "$P5" -f wav24 \
        --target diffuse-field
    r "$cpu" on render in/mix.wav -o "$o/on" -p hd-650,etymotic-er4sr,reference -f wav24 \
        --on sony-mdr-7506
    r "$cpu" crossfeed render in/mix.wav -o "$o/crossfeed" -p hd-650,etymotic-er4sr -f wav24 \
        --crossfeed jmeier
    r "$cpu" rate render in/mix.wav -o "$o/rate" -p "$P5" -f flac24 --rate 44100
    r "$cpu" tail render in/mix.wav -o "$o/tail" -p "$P5" -f wav32f --tail
    r "$cpu" ceiling-off render in/mix.wav -o "$o/ceiling-off" -p "$P5" -f wav32f \
        --ceiling off --level -3
    r "$cpu" group render in/song -o "$o/group" -p "$P5" -f wav24 --gain-group dir
    for ext in wav w64 rf64 caf aiff; do
        mkdir -p "$o/design-$ext"
        r "$cpu" "design-$ext" design hd-650 -o "$o/design-$ext/hd-650.$ext"
    done
    mkdir -p "$o/design-kemar" "$o/design-speakers" "$o/design-options"
    r "$cpu" design-kemar design speakers-kemar -o "$o/design-kemar/speakers-kemar.wav"
    r "$cpu" design-speakers design speakers -o "$o/design-speakers/speakers.wav"
    r "$cpu" design-options design etymotic-er4sr -o "$o/design-options/etymotic-er4sr.wav" \
        --rate 44100 --target diffuse-field --on sony-mdr-7506
done

# --- Hash: every audio file, as written. Paths relative to the scratch dir.
find in out -type f ! -name '*.json' ! -name '*.html' ! -name '.*' | sort >files.txt
# shellcheck disable=SC2046
sha256sum $(cat files.txt) >actual.txt || exit 99

if [ "$UPDATE" = --update ]; then
    if [ "$n_runs_failed" -ne 0 ]; then
        echo "not updating $SUMS: $n_runs_failed command(s) failed" >&2
        exit 1
    fi
    {
        echo "# SHA-256 of every output of tests/golden/golden.sh (as written)."
        echo "# Made with: $("$CANSIM" --version | head -1), -t $THREADS. Regenerate: see golden.sh."
        echo "# env: $ENV_NOW"
        cat actual.txt
    } >"$SUMS.tmp" && mv "$SUMS.tmp" "$SUMS" || exit 99
    echo "wrote $SUMS: $(awk 'END { print NR }' actual.txt) files"
    exit 0
fi

# --- Compare: each file that differs, is missing or is new is named, with its command.
grep -v '^#' "$SUMS" >kept.txt
awk -v cmds=commands.txt -v sums="$SUMS" -v threads="$THREADS" '
    BEGIN {
        while ((getline line < cmds) > 0) {
            i = index(line, ": ")
            cmd[substr(line, 1, i - 1)] = substr(line, i + 2)
        }
    }
    function how(path,   parts, n, key) {
        n = split(path, parts, "/")
        if (parts[1] != "out") return "make_input.py"
        key = parts[2] "/" parts[3]
        return (key in cmd) ? cmd[key] " --cpu " parts[2] " -t " threads : "?"
    }
    FNR == NR { want[$2] = $1; next }
    {
        got[$2] = $1
        if (!($2 in want)) { print "FAIL: " $2 ": not in the list (new output?), made by: " how($2); bad++ }
        else if (want[$2] != $1) {
            print "FAIL: " $2 ": sha256 " $1 ", want " want[$2] "; made by: " how($2); bad++
        }
    }
    END {
        for (f in want) if (!(f in got)) { print "FAIL: " f ": missing (not written)"; bad++ }
        n = 0; for (f in want) n++
        if (bad) { print bad " of " n " files differ from " sums; exit 1 }
        print n " files match"
    }' kept.txt actual.txt >compare.txt
cmp_rc=$?
cat compare.txt >&2
if [ $cmp_rc -ne 0 ] || [ "$n_runs_failed" -ne 0 ]; then
    echo "e2e.golden: outputs changed. If the change is intended, regenerate the list (see the" >&2
    echo "header of tests/golden/golden.sh) and say why in the commit." >&2
    exit 1
fi
echo "all checks passed"
exit 0

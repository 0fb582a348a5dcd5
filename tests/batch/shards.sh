# SPDX-License-Identifier: MIT
# --shard I/N: three shards run at once by GNU parallel into one OUT write exactly the unsharded
# run's tree, byte for byte; each input (bad and non-audio ones too) belongs to exactly one
# shard, in the dry-run plans and in the real runs; the shards' manifests make an unsharded
# rerun up to date. A flat folder of 30 mixes, each its own gain group, spreads over 4 shards
# (each gets some, none twice); as one gain group it stays whole. Bad --shard values are
# usage errors.
# Usage: shards.sh CANSIM CANSIM-GEN SCRATCH BATCH-JSON SANITIZE PARALLEL
. "$(dirname "$0")/batch_lib.sh"
PARALLEL=$1
if [ -z "$PARALLEL" ] || ! "$PARALLEL" --version >/dev/null 2>&1; then
    echo "GNU parallel is not installed (scripts/deps.sh installs it): skipped" >&2
    exit 77
fi

# 16 short stems, most in two shared folders (shards create them concurrently), plus a bad
# and a non-audio file.
mkdir -p stems/x stems/y/z
i=0
for spec in "x/a.wav 48000 2 wav16" "x/b.wav 44100 1 wav24" "x/c.flac 96000 2 flac24" \
    "x/d.aiff 48000 2 aiff16" "x/e.wav 48000 2 wav32f" "x/f.wav 44100 2 wav16" \
    "y/a.wav 48000 1 wav16" "y/b.flac 48000 2 flac16" "y/c.wav 96000 2 wav24" \
    "y/z/a.wav 44100 2 wav16" "y/z/b.wav 48000 2 wav16" "y/z/c.aiff 44100 2 aiff24" \
    "y/z/d.wav 48000 1 wav32f" "top1.wav 48000 2 wav16" "top2.flac 44100 2 flac16" \
    "top3.wav 48000 2 wav24"; do
    set -- $spec
    i=$((i + 1))
    gen noise "stems/$1" "$2" "$3" $(($2 / 2 + 37 * i)) "$i" "$4"
done
gen random stems/y/broken.wav 3000 2
echo "not audio" >stems/x/readme.txt
n_inputs=18
CMD="stems -r -o out --rate 48000 -p $PROFILES -t 1"

run render $CMD
expect_rc 1 "the unsharded run"
n=$(audio_files out | wc -l)
[ "$n" -eq 48 ] || fail "the unsharded run wrote $n renders, want 48"
mv out ref

# The plans: every input in exactly one shard.
run render $CMD --dry-run --json
expect_json_lines stdout "unsharded --dry-run --json"
"$JSON" plans stdout | grep -v '^ ' | awk '{ print $2 }' | LC_ALL=C sort >plan.all
[ "$(count_lines plan.all)" -eq $n_inputs ] || fail "unsharded plan: $(count_lines plan.all) inputs, want $n_inputs"
: >plan.union
for s in 1 2 3; do
    run render $CMD --dry-run --json --shard $s/3
    expect_json_lines stdout "--shard $s/3 --dry-run --json"
    "$JSON" plans stdout | grep -v '^ ' | awk '{ print $2 }' | LC_ALL=C sort >plan.$s
    cat plan.$s >>plan.union
    [ -s plan.$s ] || echo "note: shard $s/3 has no inputs"
done
LC_ALL=C sort plan.union >plan.sorted
dups=$(uniq -d plan.sorted | tr '\n' ' ')
[ -z "$dups" ] || fail "inputs in more than one shard's plan: $dups"
cmp -s plan.all plan.sorted || fail "the shards' plans are not all the inputs: $(diff plan.all plan.sorted | grep '^[<>]' | tr '\n' ' ')"
# The same shards again: the same assignment.
run render $CMD --dry-run --json --shard 2/3
"$JSON" plans stdout | grep -v '^ ' | awk '{ print $2 }' | LC_ALL=C sort >plan.2b
cmp -s plan.2 plan.2b || fail "--shard 2/3 planned other inputs the second time"
# --shard 1/1 is everything.
run render $CMD --dry-run --json --shard 1/1
"$JSON" plans stdout | grep -v '^ ' | awk '{ print $2 }' | LC_ALL=C sort >plan.11
cmp -s plan.all plan.11 || fail "--shard 1/1 did not plan every input"

# Three shards at once into one OUT.
cat >shard.sh <<EOF
"$CANSIM" render $CMD --shard \$1/3 --json >shard\$1.out 2>shard\$1.err
echo \$? >shard\$1.rc
EOF
"$PARALLEL" -j3 sh shard.sh ::: 1 2 3 >/dev/null 2>&1
: >done.union
for s in 1 2 3; do
    src=$(cat shard$s.rc 2>/dev/null)
    want=0
    grep -q -x 'y/broken' plan.$s && want=1
    [ "$src" = "$want" ] || { fail "--shard $s/3: exit ${src:-(none)}, want $want"; cat shard$s.err >&2; }
    expect_json_lines shard$s.out "--shard $s/3 --json"
    "$JSON" get shard$s.out input input | sed 's|^stems/||; s|\.[^./]*$||' | LC_ALL=C sort >done.$s
    grep -v -x 'x/readme' plan.$s >want.$s
    cmp -s want.$s done.$s || fail "--shard $s/3 rendered other inputs than its plan: $(diff want.$s done.$s | grep '^[<>]' | tr '\n' ' ')"
    cat done.$s >>done.union
done
dups=$(LC_ALL=C sort done.union | uniq -d | tr '\n' ' ')
[ -z "$dups" ] || fail "inputs rendered by more than one shard: $dups"
expect_same_tree ref out "three shards at once"

# The shards' manifests serve any later run: unsharded, everything is up to date.
snap out >snap.before
run render $CMD
expect_rc 1 "an unsharded run after the shards"
expect_contains stderr "16 inputs up to date" "an unsharded run after the shards"
snap out >snap.after
cmp -s snap.before snap.after || fail "an unsharded run after the shards wrote into the tree"
run render $CMD --shard 3/3
snap out >snap.after
cmp -s snap.before snap.after || fail "--shard 3/3 again wrote into the tree"

# 30 mixes in one folder: the shard units are files when each is its own gain group.
mkdir mixes
for i in $(seq 1 30); do
    gen noise "mixes/mix$i.wav" 8000 1 800 "$i" wav16
done
: >mixes.union
for s in 1 2 3 4; do
    run render mixes -o m -p reference --gain-group none --shard $s/4 --dry-run --json
    expect_rc 0 "30 mixes, --gain-group none --shard $s/4 --dry-run"
    "$JSON" plans stdout | grep -v '^ ' | awk '{ print $2 }' >mixes.$s
    n=$(count_lines mixes.$s)
    # The units are dealt round-robin in hash order: 7 or 8 each.
    [ "$n" -ge 7 ] && [ "$n" -le 8 ] || fail "30 mixes over 4 shards: shard $s has $n, want 7 or 8"
    cat mixes.$s >>mixes.union
done
[ "$(count_lines mixes.union)" -eq 30 ] || fail "30 mixes over 4 shards: $(count_lines mixes.union) planned in all"
dups=$(LC_ALL=C sort mixes.union | uniq -d | tr '\n' ' ')
[ -z "$dups" ] || fail "30 mixes over 4 shards: in two shards: $dups"
[ "$(LC_ALL=C sort -u mixes.union | wc -l)" -eq 30 ] || fail "30 mixes over 4 shards: not all planned"
# One gain group (--gain-group dir; auto too, the mixes having one length): one shard takes it
# all.
n_holding=0
for s in 1 2 3 4; do
    run render mixes -o m -p reference --gain-group dir --shard $s/4 --dry-run --json
    n=$("$JSON" plans stdout | grep -v '^ ' | wc -l)
    [ "$n" -eq 0 ] || [ "$n" -eq 30 ] || fail "30 mixes as one gain group: shard $s has $n of them"
    [ "$n" -eq 30 ] && n_holding=$((n_holding + 1))
done
[ $n_holding -eq 1 ] || fail "30 mixes as one gain group: $n_holding shards hold it, want 1"
[ ! -e m ] || fail "--dry-run created the output folder"

# Bad values: usage errors (exit 2), one line naming the option.
for bad in 0/3 4/3 3 1/0 /3 1/ a/b 1/3x -1/3 1/-3 2/1 1//3 1/3/3 auto/0 auto/ autox; do
    run render stems -r -o bad -p reference --shard "$bad"
    expect_rc 2 "--shard '$bad'"
    expect_contains stderr "--shard" "--shard '$bad'"
    [ ! -e bad ] || fail "--shard '$bad': the output folder was created"
    rm -rf bad
done
run render stems -r -o bad -p reference --shard
expect_rc 2 "--shard without a value"

finish

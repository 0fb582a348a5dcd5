# SPDX-License-Identifier: MIT
# Gain groups (--gain-group dir|none|all, each named: the default, auto, is gain_auto.sh's)
# through the command: one gain per song and profile, reported with the group; none reproduces per-file renders; a changed stem re-renders its
# whole group; shards keep groups whole; a group of mixed rates needs --rate.
. "$(dirname "$0")/lib.sh"

P=reference,hd-650,7506
mkdir -p songs/one songs/two
gen noise songs/one/bass.wav 48000 2 48000 1 wav24
gen noise songs/one/drums.wav 48000 2 36000 2 wav24
gen tone songs/one/keys.wav 48000 1 48000 wav24
gen noise songs/one/vox.wav 48000 2 48000 4 wav24
gen noise songs/two/a.wav 48000 2 24000 5 wav24
gen tone songs/two/b.wav 48000 2 24000 wav24

# gains FILE...: "profile gain_db" lines of the reports, sorted.
gains() {
    for f in "$@"; do
        python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))
for o in r["outputs"]: print(o["profile"], o["gain_db"])' "$f"
    done | sort -u
}

# --- dir (the default before auto; auto is e2e.gain_auto's): each song one group, reported, one gain per profile.
run render songs -r -o out -p "$P" -f wav24 --gain-group dir
expect_rc 0 "dir groups"
n=$(gains out/one/*/report.json | wc -l)
[ "$n" -eq 3 ] || { fail "song one: $n distinct (profile, gain) pairs over its 4 stems, want 3"; gains out/one/*/report.json >&2; }
python3 - <<'PY' || fail "the reports do not state the group"
import json
for stem in ("bass", "drums", "keys", "vox"):
    g = json.load(open("out/one/%s/report.json" % stem))["gain_group"]
    assert g["group"] == "one", g
    assert sorted(g["members"]) == ["songs/one/bass.wav", "songs/one/drums.wav",
                                   "songs/one/keys.wav", "songs/one/vox.wav"], g
    assert set(g["profiles"]) == {"reference", "sennheiser-hd-650", "sony-mdr-7506"}, g
    assert g["sum_lufs"] is not None
g = json.load(open("out/two/a/report.json"))["gain_group"]
assert g["group"] == "two" and len(g["members"]) == 2, g
PY
[ "$(gains out/one/*/report.json | awk '{print $2}' | sort -u | wc -l)" -ge 2 ] ||
    fail "every profile has the same gain: the groups are not matched per profile"

# --- none: each stem as if rendered on its own (byte for byte).
run render songs/one -o none -p "$P" -f wav24 --gain-group none
expect_rc 0 "--gain-group none"
for stem in bass drums keys vox; do
    run render "songs/one/$stem.wav" -o single -p "$P" -f wav24
    expect_rc 0 "$stem alone"
    for f in single/"$stem"/*.wav; do
        cmp -s "$f" "none/$stem/$(basename "$f")" || fail "--gain-group none: none/$stem/$(basename "$f") differs from the file rendered alone"
    done
done
[ "$(gains none/*/report.json | wc -l)" -gt 3 ] || fail "--gain-group none: the stems share gains"

# --- all: one group over both songs.
run render songs -r -o all -p "$P" -f wav24 --gain-group all
expect_rc 0 "--gain-group all"
n=$(gains all/*/*/report.json | wc -l)
[ "$n" -eq 3 ] || fail "--gain-group all: $n distinct (profile, gain) pairs, want 3"

# --- a changed stem re-renders its whole group, not the other song.
sleep 1
gen noise songs/one/vox.wav 48000 2 48000 9 wav24
run render songs -r -o out -p "$P" -f wav24 --dry-run --gain-group dir
expect_rc 0 "dry run after a change"
[ "$(count_prefix stdout 'render  songs/one/')" -eq 4 ] || { fail "a changed stem: want its 4 group members rendered"; show_output; }
[ "$(count_prefix stdout 'keep    songs/two/')" -eq 2 ] || { fail "a changed stem: want the other song kept"; show_output; }
cp out/two/a/sennheiser-hd-650.wav keep.wav
run render songs -r -o out -p "$P" -f wav24 --gain-group dir
expect_rc 0 "rerun after a change"
cmp -s keep.wav out/two/a/sennheiser-hd-650.wav || fail "the other song was rewritten"
run render songs -r -o out -p "$P" -f wav24 --dry-run --gain-group dir
[ "$(count_prefix stdout 'keep    ')" -eq 6 ] || { fail "after the rerun: want all 6 up to date"; show_output; }

# --- the grouping changed: from groups to none and back, every stem of a group is stale.
run render songs -r -o out -p "$P" -f wav24 --gain-group none --dry-run
[ "$(count_containing stdout 'gain group changed')" -eq 6 ] || { fail "dir -> none: want all 6 stale (gain group changed)"; show_output; }
run render songs -r -o out -p "$P" -f wav24 --gain-group none
expect_rc 0 "dir -> none"
run render songs -r -o out -p "$P" -f wav24 --dry-run --gain-group dir
[ "$(count_containing stdout 'gain group changed')" -eq 6 ] || { fail "none -> dir: want all 6 stale (gain group changed)"; show_output; }

# --- shards render whole groups.
for i in 1 2 3 4 5; do
    run render songs -r -o sh -p "$P" --shard "$i/5" --dry-run --gain-group dir
    a=$(count_prefix stdout 'render  songs/one/')
    b=$(count_prefix stdout 'render  songs/two/')
    { [ "$a" -eq 0 ] || [ "$a" -eq 4 ]; } && { [ "$b" -eq 0 ] || [ "$b" -eq 2 ]; } ||
        fail "shard $i/5 splits a group: $a of song one, $b of song two"
    total=$(( ${total:-0} + a + b ))
done
[ "$total" -eq 6 ] || fail "the shards render $total inputs, want 6"

# --- a folder of mixed rates: without --rate each stem keeps its rate and is matched on its
# own (a notice says so); with --rate it is one group again.
mkdir -p mixed/s
gen noise mixed/s/a.wav 44100 2 22050 1 wav24
gen noise mixed/s/b.wav 48000 2 24000 2 wav24
run render mixed -r -o mo -p "$P" --gain-group dir
expect_rc 0 "a folder of mixed rates"
[ "$(count_containing stderr 'different rates')" -eq 1 ] || { fail "a folder of mixed rates: no notice"; show_output; }
python3 -c 'import json; assert json.load(open("mo/s/a/report.json"))["gain_group"] is None' ||
    fail "a folder of mixed rates: still reported as a group"
run render mixed -r -o mr -p "$P" --rate 48000 --gain-group dir
expect_rc 0 "a folder of mixed rates with --rate"
python3 -c 'import json; assert len(json.load(open("mr/s/a/report.json"))["gain_group"]["members"]) == 2' ||
    fail "a folder of mixed rates with --rate: not one group"

finish

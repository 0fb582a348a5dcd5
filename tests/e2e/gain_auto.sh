# SPDX-License-Identifier: MIT
# --gain-group auto (the default) through the command: a folder of finished mixes of different
# lengths is matched file by file, a folder of equal-length stems is one gain group, the printed
# decision is the report's, and --gain-group dir still groups the mixes; mixes/ and mixes/*.wav
# give the same renders (files named one by one are each matched alone). Song renders: each equals the render of the summed stems (within
# -90 dB, gain aside), at the group's gain, under the ceiling. Listening order in the summary,
# report.json and status; no "//" in printed paths. Levels are measured on the files with
# libebur128 (cansim-meter), never taken from cansim's own report alone.
. "$(dirname "$0")/lib.sh"
METER=$1

P=reference,hd-650,7506

# lufs FILE: its integrated loudness; tp FILE: its true peak (dBTP).
lufs() { "$METER" lufs "$1" | awk '{ print $1 }'; }
tp() { "$METER" lufs "$1" | awk '{ print $2 }'; }
# near A B TOL: |A - B| <= TOL.
near() {
    [ -n "$1" ] && [ -n "$2" ] &&
        awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'
}
# report FILE EXPR: a Python expression over r (the report) printed.
report() { python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

# --- Material: three finished mixes of different lengths and loudness, quiet enough that no
# profile's ceiling touches them; a song's three stems of one length, hot enough together that
# the ceiling holds the song.
mkdir -p raw mixes stems/song1
gen noise raw/n1.wav 48000 2 72000 1 wav24
gen noise raw/n2.wav 48000 2 60000 2 wav24
gen tone raw/t3.wav 48000 2 84000 wav24
"$METER" mix mixes/ballad.wav -34 raw/n1.wav || exit 99
"$METER" mix mixes/rock.wav -18 raw/n2.wav || exit 99
"$METER" mix mixes/pad.wav -26 raw/t3.wav || exit 99
gen noise raw/s1.wav 48000 2 96000 11 wav24
gen noise raw/s2.wav 48000 2 96000 12 wav24
gen tone raw/s3.wav 48000 1 96000 wav24
"$METER" mix stems/song1/bass.wav -6 raw/s1.wav || exit 99
"$METER" mix stems/song1/drums.wav -4 raw/s2.wav || exit 99
"$METER" mix stems/song1/keys.wav -8 raw/s3.wav || exit 99
"$METER" mix song1-sum.wav 0 stems/song1/bass.wav 0 stems/song1/drums.wav 0 stems/song1/keys.wav ||
    exit 99

# --- The default on a folder of mixes: each matched alone, at its own loudness.
run render mixes/ -o out/ -p "$P" -f wav24
expect_rc 0 "mixes/"
[ "$(count_containing stderr 'note - mixes/ has 3 files of different lengths, each matched alone')" -eq 1 ] ||
    { fail "mixes/: the decision is not printed"; show_output; }
for m in ballad rock pad; do
    want=$(lufs "mixes/$m.wav")
    for f in out/"$m"/*.wav; do
        got=$(lufs "$f")
        near "$got" "$want" 0.1 || fail "mixes/: $f is at $got LUFS, its mix at $want (want +-0.1 LU)"
    done
    [ "$(report "out/$m/report.json" 'r["gain_group"]')" = None ] ||
        fail "mixes/: $m is reported in a gain group"
    [ "$(report "out/$m/report.json" 'r["gain_grouping"]["decision"]')" = "3 files of different lengths, each matched alone" ] ||
        fail "mixes/: $m's report does not say the decision printed"
done
[ ! -e out/song ] || fail "mixes/: song renders for files matched alone"

# --- mixes/*.wav: files named one by one are each matched alone (as under dir), so a folder of
# mixes gives the same renders either way.
run render mixes/ballad.wav mixes/pad.wav mixes/rock.wav -o glob -p "$P" -f wav24
expect_rc 0 "mixes/*.wav"
[ "$(report glob/pad/report.json 'r["gain_grouping"]["decision"]')" = "matched alone" ] ||
    fail "mixes/*.wav: pad's report does not say it was matched alone"
for f in out/*/*.wav; do
    cmp -s "$f" "glob/${f#out/}" || fail "mixes/*.wav: glob/${f#out/} differs from the render of mixes/"
done

# --- Under --shard, mixes matched alone are dealt file by file (the decision comes before the
# split), and every task decides alike: the three mixes over three shards, one each.
for i in 1 2 3; do
    run render mixes/ -o out/ -p "$P" -f wav24 --shard "$i/3" --dry-run
    expect_rc 0 "mixes/ --shard $i/3"
    [ "$(count_prefix stdout 'keep    mixes/')" -eq 1 ] ||
        { fail "mixes/ --shard $i/3: want one mix in each shard"; show_output; }
done

# --- --gain-group dir still makes the folder one group: one gain per profile for the three
# (each matched alone, the tone's gains are not the noises').
# gains DIR...: the distinct "profile gain_db" pairs of the reports under DIR/*/.
gains() {
    for d in "$@"; do
        report "$d/report.json" '"\n".join("%s %s" % (o["profile"], o["gain_db"]) for o in r["outputs"])'
    done | sort -u | wc -l
}
run render mixes -o dir -p "$P" -f wav24 --gain-group dir
expect_rc 0 "mixes --gain-group dir"
[ "$(report dir/ballad/report.json 'len(r["gain_group"]["members"])')" = 3 ] ||
    fail "--gain-group dir: the mixes are not one group"
[ "$(gains dir/ballad dir/rock dir/pad)" -eq 3 ] || fail "--gain-group dir: not one gain per profile"
[ "$(gains out/ballad out/rock out/pad)" -gt 3 ] || fail "auto: the mixes share their gains"

# --- A folder of equal-length stems: one gain group, said and reported; the song renders.
run render stems/ -r -o sout/ -p "$P" -f wav24
expect_rc 0 "stems/"
[ "$(count_containing stderr 'note - stems/song1/ has 3 stems of equal length, one gain group')" -eq 1 ] ||
    { fail "stems/: the decision is not printed"; show_output; }
[ "$(count_containing stderr '3 song renders of 1 gain group written')" -eq 1 ] ||
    { fail "the summary does not count the song renders"; show_output; }
for s in bass drums keys; do
    [ "$(report "sout/song1/$s/report.json" 'r["gain_grouping"]["decision"]')" = "3 stems of equal length, one gain group" ] ||
        fail "stems/: $s's report does not say the decision printed"
    [ "$(report "sout/song1/$s/report.json" 'len(r["gain_group"]["members"])')" = 3 ] ||
        fail "stems/: $s is not reported in a group of 3"
done
python3 -c 'import json
assert json.load(open("sout/song1/bass/.manifest.json"))["gain_grouping"] == "3 stems of equal length, one gain group"' ||
    fail "stems/: the manifest does not record the decision"
# Named one by one (stems/song1/*.wav), the stems are each matched alone: only a folder given is
# taken for a stem export (two bounces of one session have one length too).
run render stems/song1/bass.wav stems/song1/drums.wav stems/song1/keys.wav -o named -p "$P" -f wav24
expect_rc 0 "stems/song1/*.wav"
[ "$(report named/bass/report.json 'r["gain_group"]')" = None ] || fail "stems named one by one: grouped"
[ ! -e named/song ] || fail "stems named one by one: song renders"

# No "//" anywhere a path is printed (folders given with a trailing slash, -o out/).
run render stems/ -r -o sout/ -p "$P" -f wav24 --dry-run --force
cat stdout stderr | grep -q '//' && { fail "a printed path holds '//'"; show_output; }
run render stems/ -r -o sout2/ -p "$P" -f wav24 -v
cat stdout stderr | grep -q '//' && { fail "a printed path holds '//' (render -v)"; show_output; }
report sout2/song1/bass/report.json 'r["outputs"][0]["file"]' | grep -q '//' &&
    fail "report.json: a file path holds '//'"

# --- Song renders: the render of the summed stems, at the group's gain, under the ceiling.
run render song1-sum.wav -o sum -p "$P" -f wav24
expect_rc 0 "the summed stems"
for id in reference sennheiser-hd-650 sony-mdr-7506; do
    song=sout/song1/song/$id.wav
    [ -f "$song" ] || { fail "no song render $song"; continue; }
    fit=$("$METER" fit "sum/song1-sum/$id.wav" "$song") || { fail "$song: cannot compare"; continue; }
    residual=$(echo "$fit" | awk '{ print $2 }')
    [ -n "$residual" ] && awk -v r="$residual" 'BEGIN { exit !(r + 0 <= -90) }' ||
        fail "$song differs from the render of the summed stems by $residual dB (want <= -90 dB, gain aside)"
    gain=$(report sout/song1/song/report.json "[o['gain_db'] for o in r['outputs'] if o['profile'] == '$id'][0]")
    group_gain=$(report sout/song1/bass/report.json "r['gain_group']['profiles']['$id']['gain_db']")
    near "$gain" "$group_gain" 0.011 || fail "$song: gain $gain dB, its group's $group_gain dB"
    stem_gain=$(report sout/song1/bass/report.json "[o['gain_db'] for o in r['outputs'] if o['profile'] == '$id'][0]")
    near "$gain" "$stem_gain" 0.011 || fail "$song: gain $gain dB, its stems' $stem_gain dB"
    got=$(lufs "$song")
    said=$(report sout/song1/song/report.json "[o['loudness_lufs'] for o in r['outputs'] if o['profile'] == '$id'][0]")
    near "$got" "$said" 0.1 || fail "$song: at $got LUFS, its report says $said"
    peak=$(tp "$song")
    [ -n "$peak" ] && awk -v p="$peak" 'BEGIN { exit !(p + 0 <= -1.0 + 0.05) }' || fail "$song: true peak $peak dBTP over the -1 dBTP ceiling"
    source=$(report sout/song1/song/report.json "[o['loudness_source'] for o in r['outputs'] if o['profile'] == '$id'][0]")
    [ "$source" = predicted ] || fail "$song: loudness $source, want predicted (a headphone's short filter)"
    for s in bass drums keys; do
        peak=$(tp "sout/song1/$s/$id.wav")
        [ -n "$peak" ] && awk -v p="$peak" 'BEGIN { exit !(p + 0 <= -1.0 + 0.05) }' || fail "sout/song1/$s/$id.wav: true peak $peak dBTP"
        # A stem's loudness is predicted from its own analysis, not metered: libebur128 on the
        # file agrees within 0.1 LU.
        got=$(lufs "sout/song1/$s/$id.wav")
        said=$(report "sout/song1/$s/report.json" "[o['loudness_lufs'] for o in r['outputs'] if o['profile'] == '$id'][0]")
        near "$got" "$said" 0.1 || fail "sout/song1/$s/$id.wav: at $got LUFS, its report says $said"
        source=$(report "sout/song1/$s/report.json" "[o['loudness_source'] for o in r['outputs'] if o['profile'] == '$id'][0]")
        [ "$source" = predicted ] || fail "sout/song1/$s/$id.wav: loudness $source, want predicted"
    done
done
[ "$(report sout/song1/song/report.json 'sum(o["limited_by_ceiling"] for o in r["outputs"])')" -ge 1 ] ||
    fail "the song's ceiling was never reached: the test's stems are too quiet to check it"

# Held in memory (the default budget) or waiting in float files beside the outputs (--memory 0),
# a group's stems and songs are the same bytes.
run render stems/ -r -o sfile/ -p "$P" -f wav24 --memory 0
expect_rc 0 "stems/ with --memory 0"
(cd sout && find . -name '*.wav' | sort | xargs sha256sum) >held.sum
[ "$(wc -l <held.sum)" -ge 12 ] || fail "too few renders to compare: $(wc -l <held.sum)"
(cd sfile && sha256sum --quiet -c ../held.sum) || fail "--memory 0 gives other bytes than renders held in memory"

# A song render gone: the group renders again (dry run says why), and then it is back.
rm sout/song1/song/reference.wav
run render stems/ -r -o sout/ -p "$P" -f wav24 --dry-run
[ "$(count_containing stdout 'song render missing or stale')" -eq 3 ] ||
    { fail "a song render gone: its group is not stale"; show_output; }
run render stems/ -r -o sout/ -p "$P" -f wav24
expect_rc 0 "the song render again"
[ -f sout/song1/song/reference.wav ] || fail "the song render was not written again"
run render stems/ -r -o sout/ -p "$P" -f wav24 --dry-run
[ "$(count_prefix stdout 'keep    ')" -eq 3 ] || { fail "after the song render: not up to date"; show_output; }

# A file cansim did not write in the song folder is never replaced: no song renders then.
mkdir -p own/song1/song
echo mine >own/song1/song/reference.wav
run render stems/ -r -o own/ -p "$P" -f wav24
[ "$(cat own/song1/song/reference.wav)" = mine ] || fail "a file cansim did not write was replaced"
[ "$(count_containing stderr 'no song renders for own/song1/song/')" -eq 1 ] ||
    { fail "a foreign file in the song folder: not said"; show_output; }

# --- Listening order: the original, the reference, the --on headphone, open, closed, in-ear,
# speakers, each by name; in the summary, report.json and status.
L=speakers,etymotic-er4sr,7506,hd-650,reference,hd-600,hd-560s
run render mixes/rock.wav -o lo -p "$L" --on hd-600 -f wav24
expect_rc 0 "listening order"
want='reference,sennheiser-hd-600,sennheiser-hd-560s,sennheiser-hd-650,sony-mdr-7506,etymotic-er4sr,speakers'
got=$(report lo/rock/report.json '",".join(o["profile"] for o in r["outputs"])')
[ "$got" = "$want" ] || fail "report.json's outputs in $got, want $want"
got=$(awk '/^  [A-Z].*:$/ { sub(/^  /, ""); sub(/:$/, ""); printf "%s%s", s, $0; s = "," }' stderr)
[ "$got" = "Reference,Your headphone (--on),Open-back,Closed-back,In-ear and earbuds,Speakers" ] ||
    { fail "the summary's headings are $got"; show_output; }
# (the summary's list ends where the translation's table begins)
got=$(awk '/^  translation/ { exit } /^  [a-z0-9]/ { printf "%s%s", s, $1; s = "," }' stderr)
[ "$got" = "$want" ] || fail "the summary lists $got, want $want"
[ "$(head -1 stderr | cut -d: -f1)" = mixes/rock.wav ] || fail "the summary does not begin with the original"
run status mixes/rock.wav -o lo -p "$L" --on hd-600 -f wav24 --json
got=$(python3 -c 'import json, sys
r = json.loads(open("stdout").read())
print(",".join(o["profile"] for o in r["inputs"][0]["outputs"]))')
[ "$got" = "$want" ] || fail "status lists $got, want $want"

finish

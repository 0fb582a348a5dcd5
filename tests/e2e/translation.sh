# SPDX-License-Identifier: MIT
# The translation report through the command: report.json's `translation` section, the run's
# comparison of inputs, the stderr table and --json; the reports byte for byte the same at 1
# and 2 threads (docs/translation.md).
. "$(dirname "$0")/lib.sh"

gen noise mix.wav 48000 2 480000 7 wav24
gen tone mix2.wav 48000 2 480000 wav24
profiles=reference,sony-mdr-7506,sennheiser-hd-650,speakers

for t in 1 2; do
    run render mix.wav mix2.wav -p "$profiles" -o "t$t" -t "$t" -f wav24 --report "run$t.json"
    expect_rc 0 "--threads $t"
done
# Byte for byte, once the output folder's name is set aside.
for f in mix/report.json mix2/report.json; do
    sed 's#t1/#T/#g' "t1/$f" >a.json
    sed 's#t2/#T/#g' "t2/$f" >b.json
    cmp -s a.json b.json || fail "$f differs between --threads 1 and 2"
done
sed 's#t1/#T/#g' run1.json >a.json
sed 's#t2/#T/#g' run2.json >b.json
cmp -s a.json b.json || fail "the run's report differs between --threads 1 and 2"

# The section's schema and values.
python3 - t1/mix/report.json run1.json <<'PY' || fail "translation section (see above)"
import json, math, sys
rep = json.load(open(sys.argv[1]))
run = json.load(open(sys.argv[2]))
tr = rep["translation"]
bands = [b["band"] for b in tr["bands"]]
assert bands == ["sub", "bass", "low-mid", "mid", "upper-mid", "presence", "brilliance", "air"], bands
profs = {o["profile"]: o["translation"] for o in rep["outputs"]}
assert set(profs) == {"reference", "sony-mdr-7506", "sennheiser-hd-650", "speakers"}, profs.keys()
for b in bands:
    assert profs["reference"]["band_db"][b] == 0.0, ("reference", b)
    s = tr["spread"][b]
    vals = [p["band_db"][b] for p in profs.values()]
    assert abs(s["spread_db"] - (max(vals) - min(vals))) < 0.015, (b, s, vals)
    assert profs[s["highest"]]["band_db"][b] == max(vals) and profs[s["lowest"]]["band_db"][b] == min(vals)
for p in profs.values():
    v = [x for x in p["band_db"].values() if x is not None]
    assert abs(p["overall_db"] - math.sqrt(sum(x * x for x in v) / len(v))) < 0.02, p
    for m in p["moments"]:
        assert m["band"] in bands and m["end_s"] > m["start_s"] and m["rise_db"] > 0, m
assert profs["speakers"]["side_db"] < 0 and profs["sony-mdr-7506"]["side_db"] is None
rank = [r["overall_db"] for r in tr["ranking"]]
assert rank == sorted(rank, reverse=True) and tr["ranking"][-1]["profile"] == "reference", rank
dep = run["translation"]["departures"]
assert set(dep) == set(profs), dep.keys()
assert all(d["input"] in ("mix.wav", "mix2.wav") for p in dep.values() for d in p.values()), dep
assert all(abs(d["by_db"]) < 0.011 for d in dep["reference"].values()), dep["reference"]
assert len(dep["sony-mdr-7506"]) >= 4, dep["sony-mdr-7506"]
PY

# The table on stderr (one input: its summary), and --json's input lines.
run render mix.wav -p "$profiles" -o t3 -f wav24
expect_rc 0 "one input"
grep -q "translation (dB after level matching)" "$SCRATCH/stderr" || fail "no translation table"
grep -q "^  spread " "$SCRATCH/stderr" || fail "no spread row"
[ "$(grep -c '^  sony-mdr-7506 ' "$SCRATCH/stderr")" -eq 2 ] || fail "profile rows"
run render mix.wav -p "$profiles" -o t4 -f wav24 --json
expect_rc 0 "--json"
grep '"event":"input"' "$SCRATCH/stdout" | grep -q '"translation":{"bands"' ||
    fail "--json: no translation in the input line"

# --level off --ceiling off (no level analysis): the translation is read for itself, at the
# filters' own gain (the table says so); --translation off: none, and the report says why; a
# silent input: none, and why.
run render mix.wav -p "$profiles" -o t5 -f wav24 --level off --ceiling off
expect_rc 0 "--level off --ceiling off"
grep -q "translation (dB at the filters' own gain)" "$SCRATCH/stderr" ||
    fail "--level off: no translation table at the filters' own gain"
run render mix.wav -p "$profiles" -o t6 -f wav24 --translation off
expect_rc 0 "--translation off"
gen impulse silent.wav 48000 2 96000
run render silent.wav -p "$profiles" -o t7 -f wav24
expect_rc 0 "a silent input"
# Matched each on its own (--level-scope profile): then only the ceiling's cut separates the
# matched figures from those at the filters' own gain.
run render mix.wav -p "$profiles" -o t1p -f wav24 --level-scope profile
expect_rc 0 "--level-scope profile"
python3 - t1p/mix/report.json t5/mix/report.json t6/mix/report.json t7/silent/report.json <<'PY' ||
import json, sys
match, off, none, silent = (json.load(open(f)) for f in sys.argv[1:])
m = {o["profile"]: o for o in match["outputs"]}
for o in off["outputs"]:
    t, mt = o["translation"], m[o["profile"]]["translation"]
    assert t is not None, o
    for b, v in t["band_db"].items():
        # less their gains (the ceiling's only, here), the same figures as matched (each
        # number rounded to 0.01 dB)
        got = v - o["gain_db"]
        want = mt["band_db"][b] - m[o["profile"]]["gain_db"]
        assert v is not None and abs(got - want) <= 0.021, (o["profile"], b, got, want)
assert off["translation"]["ranking"] and "note" not in off["translation"], off["translation"]
assert all(o["translation"] is None for o in none["outputs"]), none["outputs"]
assert none["translation"]["note"] == "not computed (--translation off)", none["translation"]
assert all(o["translation"] is None for o in silent["outputs"]), silent["outputs"]
assert "below the -70 LUFS gate" in silent["translation"]["note"], silent["translation"]
PY
    fail "--level off, --translation off, silence (see above)"

# A folder of stems is a gain group: every member has its translation, and the group record
# the sum's (the song's) per profile.
mkdir -p song
cp mix.wav song/a.wav
cp mix2.wav song/b.wav
run render song -o t8 -p "$profiles" -f wav24
expect_rc 0 "gain group"
python3 - t8/a/report.json t8/b/report.json <<'PY' || fail "gain group translation (see above)"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
g = a["gain_group"]
assert g is not None and g == b["gain_group"], (g, b["gain_group"])
for rep in (a, b):
    assert rep["translation"]["ranking"], rep["translation"]
    for o in rep["outputs"]:
        assert o["translation"] is not None, o
        assert o["gain_db"] == g["profiles"][o["profile"]]["gain_db"], (o, g)
for pid, x in g["profiles"].items():
    assert x["translation"] is not None and len(x["translation"]["band_db"]) == 8, (pid, x)
ref = g["profiles"]["reference"]["translation"]["band_db"]
assert all(abs(v) <= 0.01 for v in ref.values()), ref
# the song's figures are neither member's
sony = [r["band_db"] for r in (g["profiles"]["sony-mdr-7506"]["translation"],
        *(next(o["translation"] for o in rep["outputs"] if o["profile"] == "sony-mdr-7506")
          for rep in (a, b)))]
assert sony[0] != sony[1] and sony[0] != sony[2], sony
PY
finish

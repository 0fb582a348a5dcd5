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
finish

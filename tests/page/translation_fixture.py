# SPDX-License-Identifier: MIT
# A translation fixture (the schema of docs/translation.md) put into an input's report.json and
# the manifest's record of each output, for the map test while the report does not compute it
# yet. An input whose report already has a translation section is left as it is (exit 0,
# "real"). Values are deterministic: band changes from -4.5 to +4.5 dB, one empty band, one
# band without a moment, moments inside the input's length.
#   python3 translation_fixture.py DIR SECONDS
import json
import math
import os
import sys

BANDS = [("sub", 20, 60), ("bass", 60, 150), ("low-mid", 150, 400), ("mid", 400, 1000),
         ("upper-mid", 1000, 2500), ("presence", 2500, 5000), ("brilliance", 5000, 10000),
         ("air", 10000, 20000)]


def main():
    folder, seconds = sys.argv[1], float(sys.argv[2])
    rpath = os.path.join(folder, "report.json")
    mpath = os.path.join(folder, ".manifest.json")
    with open(rpath) as f:
        rep = json.load(f)
    if rep.get("translation"):
        print("real")
        return
    with open(mpath) as f:
        man = json.load(f)
    per = {}
    for i, o in enumerate(rep["outputs"]):
        band_db, band_moments = {}, {}
        for j, (b, _, _) in enumerate(BANDS):
            v = round(4.5 * math.sin(1.3 * i + 0.7 * j + 0.4), 2)
            band_db[b] = None if (i == 1 and b == "air") else v
            start = round(((3 * i + 2 * j) % int(seconds - 3)) + 0.95, 2)
            band_moments[b] = None if (i == 0 and b == "sub") or band_db[b] is None else {
                "band": b, "start_s": start, "end_s": round(start + 3, 2),
                "rise_db": round(0.5 + ((i + 2 * j) % 5) * 0.37, 2)}
        vals = [v for v in band_db.values() if v is not None]
        moments = sorted([m for m in band_moments.values() if m], key=lambda m: -m["rise_db"])[:3]
        per[o["profile"]] = band_db
        o["translation"] = {
            "band_db": band_db, "overall_db": round(math.sqrt(sum(v * v for v in vals) / len(vals)), 2),
            "side_db": None, "moments": moments, "band_moments": band_moments}
        man["outputs"][o["profile"]]["report"]["translation"] = o["translation"]
    spread = {}
    for b, _, _ in BANDS:
        have = [(p, d[b]) for p, d in per.items() if d[b] is not None]
        lo, hi = min(have, key=lambda x: x[1]), max(have, key=lambda x: x[1])
        spread[b] = {"spread_db": round(hi[1] - lo[1], 2), "lowest": lo[0], "lowest_db": lo[1],
                     "highest": hi[0], "highest_db": hi[1]}
    rep["translation"] = {
        "bands": [{"band": b, "lo_hz": float(lo), "hi_hz": float(hi)} for b, lo, hi in BANDS],
        "spread": spread,
        "ranking": sorted([{"profile": o["profile"], "overall_db": o["translation"]["overall_db"]}
                           for o in rep["outputs"]], key=lambda r: -r["overall_db"])}
    with open(rpath, "w") as f:
        json.dump(rep, f, indent=2)
    st = os.stat(rpath)
    man["report_file"]["size"] = st.st_size
    man["report_file"]["mtime_ns"] = st.st_mtime_ns
    with open(mpath, "w") as f:
        json.dump(man, f)
    print("fixture")


main()

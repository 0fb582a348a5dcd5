#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The rules of docs/architecture.md, checked on the source and the built objects.

1. Layers point one way: bench -> cli? never; cli and bench include only the public header
   (cansim/cansim.h) from core, never a core/ internal header or a cli/ header from bench;
   core never includes from cli/ or bench/; kernels include nothing of core.
2. No call circle between files: from each object file's defined and undefined symbols (nm),
   file A calls file B when A uses a symbol B defines; every strongly connected component of
   that graph must be one file.
3. No C file in core/ or cli/ over 600 lines.

usage: check-layers.py SOURCE-DIR BUILD-DIR
"""
import os
import re
import subprocess
import sys

src, build = sys.argv[1], sys.argv[2]
errors = []


def c_files(top):
    for root, _, files in os.walk(os.path.join(src, top)):
        for f in sorted(files):
            if f.endswith((".c", ".h")):
                yield os.path.relpath(os.path.join(root, f), src)


include_re = re.compile(r'^\s*#\s*include\s+[<"]([^>"]+)[>"]', re.M)
for layer in ("kernels", "core", "cli", "bench"):
    for f in c_files(layer):
        text = open(os.path.join(src, f), encoding="utf-8").read()
        for inc in include_re.findall(text):
            bad = None
            if layer == "kernels" and (inc.startswith("cansim/") or "core/" in inc):
                bad = "kernels include nothing of core"
            if layer == "core" and ("cli/" in inc or "bench/" in inc):
                bad = "core never includes the command or the benchmarks"
            if layer in ("cli", "bench") and ("core/" in inc or inc in (
                    "internal.h", "engine.h", "filters.h", "level.h", "output.h")):
                bad = "only the public header (cansim/cansim.h) of core"
            if layer == "bench" and ("cli/" in inc or inc in ("cli.h", "batch.h", "outputs.h")):
                bad = "bench stands on the public header, never on cli/"
            if bad:
                errors.append(f"{f}: includes {inc}: {bad}")
        if layer in ("core", "cli") and f.endswith(".c"):
            n = text.count("\n")
            if n > 600:
                errors.append(f"{f}: {n} lines (at most 600: split it by stage)")


def objects(top):
    for root, _, files in os.walk(build):
        for f in files:
            if f.endswith(".c.o") and f"/{top}/" in root.replace(build, "") + "/":
                yield os.path.join(root, f)


def symbols_of(paths):
    """{object: (defined, used)}, from one nm call over all of them."""
    table = {p: (set(), set()) for p in paths}
    if not paths:
        return table
    out = subprocess.run(["nm", "-A"] + paths, capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        obj, _, rest = line.partition(":")
        parts = rest.split()
        if obj not in table:
            continue
        if len(parts) >= 2 and parts[-2] == "U":
            table[obj][1].add(parts[-1])
        elif len(parts) == 3 and parts[1] in "TDBR":
            table[obj][0].add(parts[2])
    return table


def circles(paths):
    """Strongly connected components of more than one file (Tarjan)."""
    table = symbols_of(paths)
    owner = {}
    for p, (d, _) in table.items():
        for s in d:
            owner.setdefault(s, p)
    edges = {p: sorted({owner[s] for s in u if s in owner and owner[s] != p})
             for p, (_, u) in table.items()}
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def name(obj):
    rel = obj.replace(build, "").split("CMakeFiles/")
    return re.sub(r"^.*?\.dir/", rel[0].strip("/") + "/", "CMakeFiles/".join(rel[1:]))[:-2]


for layer in ("core", "cli", "bench"):
    paths = sorted(objects(layer))
    if layer == "core":
        paths = [p for p in paths if "cansim_objects.dir" in p]
    if layer == "cli":
        paths = [p for p in paths if "/cansim.dir/" in p]
    for comp in circles(paths):
        errors.append("call circle: " + " <-> ".join(sorted(name(p) for p in comp)))

for e in errors:
    print(f"cansim: {e}", file=sys.stderr)
sys.exit(1 if errors else 0)

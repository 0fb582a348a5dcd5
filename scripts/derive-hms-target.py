#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Derives profiles/targets/hms-ii3/harman.csv: AutoEq's HMS II.3 "Harman over-ear 2018 without
# bass" plus the +6 dB low shelf (105 Hz, Q 0.7) that AutoEq adds by default, the same shelf
# that separates Harman over-ear 2018 from its "without bass" form. Run once; its output is
# committed, so cansim never runs Python.
import math, sys

def low_shelf_db(f, f0=105.0, q=0.7, gain_db=6.0, fs=48000.0):
    """RBJ audio-EQ-cookbook low shelf, magnitude in dB at f."""
    a = 10 ** (gain_db / 40)
    w0 = 2 * math.pi * f0 / fs
    alpha = math.sin(w0) / (2 * q)
    c = math.cos(w0)
    b0 = a * ((a + 1) - (a - 1) * c + 2 * math.sqrt(a) * alpha)
    b1 = 2 * a * ((a - 1) - (a + 1) * c)
    b2 = a * ((a + 1) - (a - 1) * c - 2 * math.sqrt(a) * alpha)
    a0 = (a + 1) + (a - 1) * c + 2 * math.sqrt(a) * alpha
    a1 = -2 * ((a - 1) + (a + 1) * c)
    a2 = (a + 1) + (a - 1) * c - 2 * math.sqrt(a) * alpha
    w = 2 * math.pi * f / fs
    z1 = complex(math.cos(-w), math.sin(-w))
    z2 = z1 * z1
    h = (b0 + b1 * z1 + b2 * z2) / (a0 + a1 * z1 + a2 * z2)
    return 20 * math.log10(abs(h))

src, dst = sys.argv[1], sys.argv[2]
rows = [l.strip().split(",") for l in open(src) if l.strip()]
head, rows = rows[0], rows[1:]
i_f, i_raw = head.index("frequency"), head.index("raw")
ref = low_shelf_db(1000.0)
with open(dst, "w") as out:
    out.write("frequency,raw\n")
    for r in rows:
        f = float(r[i_f])
        out.write("%.2f,%.2f\n" % (f, float(r[i_raw]) + low_shelf_db(f) - ref))

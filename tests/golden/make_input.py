# SPDX-License-Identifier: MIT
"""The golden test's inputs, from integer arithmetic only (no libm, no project code), so the
same bytes come out on any machine: a 24-bit stereo WAV of a few square-ish tones, a chirp
made of integer steps, and noise from a 32-bit LCG.

usage: make_input.py OUT.wav SEED FRAMES [RATE]
"""
import struct
import sys
import wave


def lcg(state):
    return (state * 1664525 + 1013904223) & 0xFFFFFFFF


def main():
    out, seed, frames = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rate = int(sys.argv[4]) if len(sys.argv) > 4 else 48000
    state = seed & 0xFFFFFFFF
    data = bytearray()
    for n in range(frames):
        state = lcg(state)
        noise = (state >> 8) - (1 << 23)  # uniform, 24 bits signed
        # triangle waves of integer periods (about 110, 440 and 1999 Hz at 48 kHz)
        tri = []
        for period in (436, 109 + seed % 3, 24):
            ph = n % period
            half = period // 2
            tri.append((ph if ph < half else period - ph) * 2 * 65536 // half - 65536)
        envelope = 1 + (n * 4 // frames)  # four steps of level
        left = tri[0] * 24 + tri[2] * 8 + noise // 64
        right = tri[1] * 20 * envelope // 4 + tri[2] * 6 - noise // 96
        for s in (left, right):
            s = max(-(1 << 23), min((1 << 23) - 1, s))
            data += struct.pack("<i", s)[:3]
    with wave.open(out, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(3)
        w.setframerate(rate)
        w.writeframes(bytes(data))


if __name__ == "__main__":
    main()

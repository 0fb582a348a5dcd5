# SPDX-License-Identifier: MIT
# The same output at any thread count: samples bit for bit (32-bit float), files byte for byte
# (24-bit WAV).
. "$(dirname "$0")/lib.sh"

gen noise mix.wav 48000 2 96000 3 wav32f
gen tone mix2.wav 44100 1 30000 wav16
gen ir p1.wav 48000 1 1 1
gen ir p2.wav 48000 2 300 2
gen ir p3.wav 48000 4 2000 3
gen ir p4.wav 44100 4 5000 4
gen ir p5.wav 48000 2 9000 5
profiles=p1.wav,p2.wav,p3.wav,p4.wav,p5.wav

for t in 1 2 4; do
    run render mix.wav mix2.wav -p "$profiles" -o "f$t" --threads "$t" --format wav32f
    expect_rc 0 "--threads $t --format wav32f"
    run render mix.wav mix2.wav -p "$profiles" -o "i$t" --threads "$t" --format wav24
    expect_rc 0 "--threads $t --format wav24"
done
for input in mix mix2; do
    for p in p1 p2 p3 p4 p5; do
        for t in 2 4; do
            expect_compare "f1/$input/$p.wav" "f$t/$input/$p.wav" \
                "$input/$p.wav, wav32f, --threads 1 versus $t" --tol 0
            if [ ! -f "i1/$input/$p.wav" ] || ! cmp -s "i1/$input/$p.wav" "i$t/$input/$p.wav"
            then
                fail "$input/$p.wav (wav24) is missing or differs between --threads 1 and $t"
            fi
        done
    done
done

finish

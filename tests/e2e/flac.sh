# SPDX-License-Identifier: MIT
# --flac-level: FLAC is lossless, so every level decodes to the same samples, and level 8 writes
# no larger a file than level 0; at each level the file is the same byte for byte at 1 and 2
# threads; the command's default level is one of them too.
. "$(dirname "$0")/lib.sh"

gen tone mix.wav 48000 2 96000 wav24
gen noise noise.wav 44100 2 44100 5 wav16
gen ir p1.wav 48000 2 300 1
gen ir p2.wav 48000 4 2000 2
profiles=p1.wav,p2.wav

for f in flac24 flac16; do
    for level in 0 8 default; do
        opt="--flac-level $level"
        [ "$level" = default ] && opt=
        for t in 1 2; do
            # shellcheck disable=SC2086
            run render mix.wav noise.wav -p "$profiles" -o "$f-$level-t$t" --threads "$t" \
                --format "$f" $opt
            expect_rc 0 "--format $f $opt --threads $t"
        done
    done
    for input in mix noise; do
        for p in p1 p2; do
            o=$input/$p.flac
            for level in 0 8 default; do
                if [ ! -f "$f-$level-t1/$o" ] ||
                    ! cmp -s "$f-$level-t1/$o" "$f-$level-t2/$o"; then
                    fail "$o ($f, level $level) is missing or differs between --threads 1 and 2"
                fi
            done
            expect_compare "$f-0-t1/$o" "$f-8-t1/$o" "$o ($f): level 8's samples against 0's" \
                --tol 0
            expect_compare "$f-0-t1/$o" "$f-default-t1/$o" \
                "$o ($f): the default level's samples against 0's" --tol 0
            s0=$(wc -c <"$f-0-t1/$o")
            s8=$(wc -c <"$f-8-t1/$o")
            if [ "$s8" -gt "$s0" ]; then
                fail "$o ($f): level 8 wrote $s8 bytes, more than level 0's $s0"
            fi
            if [ "$input" = mix ] && [ $((s8 * 100)) -ge $((s0 * 99)) ]; then
                fail "$o ($f): level 8 ($s8 bytes) saves under 1 % of level 0's $s0 on a tone"
            fi
        done
    done
done

finish

# SPDX-License-Identifier: MIT
# Tests of cansim-bench --compare on synthetic Google Benchmark files written here, the same on
# every run: a base, and copies with one change each.
# Usage: cmake -DBENCH=cansim-bench -DDIR=workdir -DCASE=identical|regression|usage
#              -P compare_test.cmake
cmake_minimum_required(VERSION 3.25)
file(MAKE_DIRECTORY "${DIR}")

# A base in the shape cansim-bench writes: kernel versions with speedup_vs_c, renders with their
# same-run ratios.
set(base [=[
{
  "context": {"date": "2026-01-01T00:00:00+00:00", "host_name": "fixture", "executable": "x",
              "num_cpus": 2, "mhz_per_cpu": 2600, "cpu_scaling_enabled": false,
              "library_build_type": "release", "cansim_cpu": "avx512", "seed": 1},
  "benchmarks": [
    {"name": "cmac_c/1040", "run_name": "cmac_c/1040", "run_type": "iteration",
     "repetitions": 1, "threads": 1, "iterations": 1000, "real_time": 300.0, "cpu_time": 300.0,
     "time_unit": "ns", "c_real_time": 300.0, "speedup_vs_c": 1.0},
    {"name": "cmac_avx2/1040", "run_name": "cmac_avx2/1040", "run_type": "iteration",
     "repetitions": 1, "threads": 1, "iterations": 1000, "real_time": 120.0, "cpu_time": 120.0,
     "time_unit": "ns", "c_real_time": 300.0, "speedup_vs_c": 2.5},
    {"name": "cmac_avx512/1040", "run_name": "cmac_avx512/1040", "run_type": "iteration",
     "repetitions": 1, "threads": 1, "iterations": 1000, "real_time": 62.5, "cpu_time": 62.5,
     "time_unit": "ns", "c_real_time": 300.0, "speedup_vs_c": 4.8},
    {"name": "render/full/16x4096/180s", "run_name": "render/full/16x4096/180s",
     "run_type": "iteration", "repetitions": 5, "threads": 2, "iterations": 1,
     "real_time": 0.665, "cpu_time": 1.265, "time_unit": "s", "rtf": 4332,
     "ratio_vs_io_floor": 2.21},
    {"name": "render/compute/16x4096/180s", "run_name": "render/compute/16x4096/180s",
     "run_type": "iteration", "repetitions": 5, "threads": 2, "iterations": 1,
     "real_time": 0.405, "cpu_time": 0.795, "time_unit": "s", "rtf": 7104,
     "ratio_vs_io_floor": 1.35, "speedup_vs_naive": 4.14, "speedup_vs_1_thread": 1.86},
    {"name": "render/io_floor/16x4096/180s", "run_name": "render/io_floor/16x4096/180s",
     "run_type": "iteration", "repetitions": 5, "threads": 2, "iterations": 1,
     "real_time": 0.301, "cpu_time": 0.534, "time_unit": "s", "rtf": 9580}
  ]
}
]=])
file(WRITE "${DIR}/base.json" "${base}")

# Runs cansim-bench --compare BASE NEW and requires exit status `status` and, when given, output
# matching the regular expression `regex`.
function(expect status regex)
    execute_process(COMMAND "${BENCH}" --compare ${ARGN} RESULT_VARIABLE rc
                    OUTPUT_VARIABLE out ERROR_VARIABLE err)
    string(REPLACE ";" " " cmd "${ARGN}")
    message("$ cansim-bench --compare ${cmd}\n${out}${err}")
    if(NOT rc STREQUAL "${status}")
        message(FATAL_ERROR "cansim-bench --compare ${cmd}: status '${rc}', expected ${status}")
    endif()
    if(regex AND NOT "${out}${err}" MATCHES "${regex}")
        message(FATAL_ERROR "cansim-bench --compare ${cmd}: output does not match '${regex}'")
    endif()
endfunction()

# A copy of the base with one field of one benchmark set to value.
function(variant file index key value)
    string(JSON doc SET "${base}" benchmarks ${index} ${key} "${value}")
    file(WRITE "${DIR}/${file}" "${doc}")
endfunction()

if(CASE STREQUAL "identical")
    expect(0 "no regression past 20%" "${DIR}/base.json" "${DIR}/base.json")
    # Everything twice as slow, every same-run ratio unchanged (a busier or slower machine):
    # no regression, whatever the raw times say.
    set(doc "${base}")
    set(i 0)
    foreach(t 600.0 240.0 125.0 1.33 0.81 0.602)
        string(JSON doc SET "${doc}" benchmarks ${i} real_time ${t})
        string(JSON doc SET "${doc}" benchmarks ${i} cpu_time ${t})
        math(EXPR i "${i} + 1")
    endforeach()
    file(WRITE "${DIR}/slower.json" "${doc}")
    expect(0 "cmac_avx2/1040 +speedup_vs_c +2\\.500 +2\\.500 +\\+0\\.0% +2\\.00\n.*no regression"
           "${DIR}/base.json" "${DIR}/slower.json")
elseif(CASE STREQUAL "regression")
    # cmac_avx2's speedup 30 % lower (2.5 -> 1.75): flagged, named, status 1.
    variant(regress30.json 1 speedup_vs_c 1.75)
    expect(1 "cmac_avx2/1040 +speedup_vs_c +2\\.500 +1\\.750 +-30\\.0% +[0-9.]+  REGRESSION"
           "${DIR}/base.json" "${DIR}/regress30.json")
    # 10 % lower is within the default threshold (20 %), and past a 5 % one.
    variant(regress10.json 1 speedup_vs_c 2.25)
    expect(0 "no regression past 20%" "${DIR}/base.json" "${DIR}/regress10.json")
    expect(1 "REGRESSION" "${DIR}/base.json" "${DIR}/regress10.json" --threshold 0.05)
    # End to end: full / io_floor 2.21 -> 3.2 (lower is better, -31 %): flagged.
    variant(e2e.json 3 ratio_vs_io_floor 3.2)
    expect(1 "render/full/16x4096/180s +ratio_vs_io_floor .*REGRESSION"
           "${DIR}/base.json" "${DIR}/e2e.json")
    # The same from a busy machine (others used half of it) or from a --quick run: the render
    # ratios are shown, not judged; the kernel ratios still are.
    string(JSON doc SET "${base}" benchmarks 3 ratio_vs_io_floor 3.2)
    string(JSON doc SET "${doc}" benchmarks 3 background_cpu_share 0.5)
    file(WRITE "${DIR}/busy.json" "${doc}")
    expect(0 "ratio_vs_io_floor .*not judged: machine busy \\(others 50%\\)"
           "${DIR}/base.json" "${DIR}/busy.json")
    string(JSON doc SET "${base}" benchmarks 3 ratio_vs_io_floor 3.2)
    string(JSON doc SET "${doc}" benchmarks 1 speedup_vs_c 1.75)
    string(JSON doc SET "${doc}" context quick true)
    file(WRITE "${DIR}/quick.json" "${doc}")
    expect(1 "ratio_vs_io_floor .*not judged: --quick run.*1 REGRESSION past 20%"
           "${DIR}/base.json" "${DIR}/quick.json")
    # The 30 % lower speedup again, from a kernel run during which other processes used half the
    # machine: shown, not judged (a busy neighbour moves some C references alone).
    string(JSON doc SET "${base}" benchmarks 1 speedup_vs_c 1.75)
    string(JSON doc SET "${doc}" context kernels_background_cpu_share 0.5)
    file(WRITE "${DIR}/busy-kernels.json" "${doc}")
    expect(0 "cmac_avx2/1040 +speedup_vs_c .*machine busy \\(others 50%\\).*no regression"
           "${DIR}/base.json" "${DIR}/busy-kernels.json")
    # The 30 % lower speedup again, from a run whose own repetitions spread from 1.5 to 2.4: too
    # unstable to judge at 20 %.
    string(JSON doc SET "${base}" benchmarks 1 speedup_vs_c 1.75)
    string(JSON doc SET "${doc}" benchmarks 1 speedup_vs_c_min 1.5)
    string(JSON doc SET "${doc}" benchmarks 1 speedup_vs_c_max 2.4)
    file(WRITE "${DIR}/unstable.json" "${doc}")
    expect(0 "cmac_avx2/1040 .*not judged: unstable \\(repetitions 60% apart\\)"
           "${DIR}/base.json" "${DIR}/unstable.json")
    # An improvement is no regression.
    variant(faster.json 2 speedup_vs_c 6.0)
    expect(0 "\\+25\\.0%" "${DIR}/base.json" "${DIR}/faster.json")
elseif(CASE STREQUAL "usage")
    file(WRITE "${DIR}/broken.json" "{\"benchmarks\": [")
    file(WRITE "${DIR}/other.json" "{\"context\": {}, \"benchmarks\": []}")
    file(WRITE "${DIR}/nobench.json" "{\"context\": {}}")
    expect(2 "broken.json:" "${DIR}/base.json" "${DIR}/broken.json")
    expect(2 "no benchmark in common" "${DIR}/base.json" "${DIR}/other.json")
    expect(2 "no \"benchmarks\" array" "${DIR}/nobench.json" "${DIR}/base.json")
    expect(2 "missing.json" "${DIR}/base.json" "${DIR}/missing.json")
    expect(2 "two files" "${DIR}/base.json")
    expect(2 "threshold" "${DIR}/base.json" "${DIR}/base.json" --threshold 1.5)
else()
    message(FATAL_ERROR "unknown CASE '${CASE}'")
endif()

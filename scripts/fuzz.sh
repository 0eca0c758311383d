#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs one of them.
#   scripts/fuzz.sh TARGET [SECONDS]   fuzz TARGET for SECONDS (default 300)
#   scripts/fuzz.sh all [SECONDS]      every target in turn, SECONDS each
#   scripts/fuzz.sh ci [SECONDS]       CI: build every target, run each SECONDS
#                                      (default 30) from the committed corpus; fails
#                                      if any target crashes, leaks or hangs
#   scripts/fuzz.sh --list             the targets
#   scripts/fuzz.sh --seeds            rewrite fuzz/corpus/ from fuzz/make_seeds.cc
# Built at -O1 with assertions on (Eigen's too): quick to build, and a broken
# invariant stops the fuzzer. One process, one job: the committed seeds
# (fuzz/corpus/TARGET) are read, new inputs go to $BUILD/corpus/TARGET, a
# crash to $BUILD/artifacts/. Reproduce one with $BUILD/bin/TARGET FILE.
# Build directory: $PARLAB_FUZZ_BUILD (default build/fuzz). Needs clang,
# libclang-rt-dev (libFuzzer) and libomp-dev: scripts/setup.sh --fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${PARLAB_FUZZ_BUILD:-build/fuzz}
targets=(wire_fuzzer ring_fuzzer segment_fuzzer task_executor_fuzzer job_flags_fuzzer job_file_fuzzer log_reader_fuzzer)

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[[ $# -ge 1 ]] || usage
case "$1" in
  --list) printf '%s\n' "${targets[@]}"; exit 0 ;;
  -h|--help) usage ;;
esac

ci=false
[[ "$1" == "ci" ]] && ci=true
if $ci; then seconds=${2:-30}; else seconds=${2:-300}; fi
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: SECONDS must be a positive integer, got '$seconds'" >&2; exit 2; }
if [[ "$1" == "all" || "$1" == "ci" ]]; then
  run=("${targets[@]}")
elif [[ "$1" != "--seeds" ]]; then
  [[ " ${targets[*]} " == *" $1 "* ]] || { echo "fuzz.sh: unknown target '$1'; known: ${targets[*]}" >&2; exit 2; }
  run=("$1")
fi

if ! command -v clang++ >/dev/null; then
  echo "fuzz.sh: clang++ not found; scripts/setup.sh --fuzz installs clang, libclang-rt-dev and libomp-dev" >&2
  exit 2
fi
# MPI off on purpose: no fuzzer calls MPI (the mpi transport's frames are
# wire_fuzzer's frames), Open MPI's own allocations would be LeakSanitizer's
# noise in every fuzzer that links it, and so this build is also CI's check
# that everything builds without MPI (job_flags_fuzzer links all of parlab_cli).
if [[ ! -f "$build/build.ninja" ]]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DPARLAB_FUZZ=ON \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1" -DPARLAB_NATIVE=OFF \
    -DPARLAB_BUILD_TESTS=OFF -DPARLAB_BUILD_BENCH=OFF -DPARLAB_WITH_MPI=OFF
fi

if [[ "$1" == "--seeds" ]]; then
  cmake --build "$build" -j2 --target make_seeds
  # log_reader_fuzzer's seeds are real logs and job_file_fuzzer's the
  # examples/jobs/ files, committed as they are.
  find fuzz/corpus -mindepth 1 -maxdepth 1 -type d ! -name log_reader_fuzzer \
    ! -name job_file_fuzzer -exec rm -rf {} +
  "$build/bin/make_seeds" fuzz/corpus
  find fuzz/corpus -type f | sort
  exit 0
fi

cmake --build "$build" -j2 --target "${run[@]}"
# Each target runs in a scratch directory: an input may name a file to
# write (job_flags_fuzzer's --log), and it must not land in the tree.
build=$(realpath "$build")
corpus_root=$(realpath fuzz/corpus)
scratch="$build/scratch"
failed=()
for target in "${run[@]}"; do
  mkdir -p "$build/corpus/$target" "$build/artifacts" "$scratch"
  echo "fuzz.sh: $target for ${seconds}s"
  # A crash, a leak, an input slower than 10 s or above 2 GiB ends the run
  # with a non-zero status and the input in $build/artifacts/. In CI every
  # target still runs, so one report names every broken decoder.
  if ! (cd "$scratch" && "$build/bin/$target" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" \
    "$build/corpus/$target" "$corpus_root/$target"); then
    $ci || exit 1
    failed+=("$target")
  fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz.sh: FAILED: ${failed[*]}; inputs in $build/artifacts/ (reproduce: $build/bin/TARGET FILE)" >&2
  exit 1
fi
$ci && echo "fuzz.sh: ${#run[@]} targets, ${seconds}s each, no failure"
exit 0

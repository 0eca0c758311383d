#!/usr/bin/env bash
# Installs the Debian 12 packages parlab needs to build, test and benchmark.
#   scripts/setup.sh              the build, the tests, the benchmarks
#   scripts/setup.sh --fuzz       and the fuzzers' toolchain (scripts/fuzz.sh):
#                                 clang, libFuzzer (libclang-rt-dev), clang's OpenMP
#   scripts/setup.sh --no-browser without chromium (~100 MB): the test that opens
#                                 `parlab report`'s page in it then skips, saying why
# Idempotent: installs only what is missing and says what it installs.
# Run as root (or with sudo available). Exits non-zero if a package cannot be had.
set -euo pipefail

fuzz=false
browser=true
for arg in "$@"; do
  case "$arg" in
    --fuzz) fuzz=true ;;
    --no-browser) browser=false ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg'; try --fuzz or --no-browser" >&2; exit 2 ;;
  esac
done

packages=(
  build-essential cmake ninja-build pkg-config
  dpkg-dev                                  # cpack -G DEB's Depends (dpkg-shlibdeps)
  clang-format                              # scripts/check-format.sh (CI)
  libboost-dev libboost-system-dev          # Asio, Interprocess (header-only in 1.74)
  libeigen3-dev                             # kernels
  libprotobuf-dev protobuf-compiler         # messages, text format, JSON
  libopenblas-dev                           # the reference in bench/ and the optional Eigen back-end
  libgtest-dev libgmock-dev                 # tests
  libbenchmark-dev                          # micro-benchmarks
  libcli11-dev libfmt-dev                   # CLI and formatting
  gnuplot-nox                               # sweep plots
  libopenmpi-dev openmpi-bin                # --transport mpi (optional in CMake; tests use mpirun)
  python3 python3-numpy python3-threadpoolctl  # the notebook's own experiments, side by side
  parallel                                  # GNU parallel: `parlab bench cmd` compares --cmd with it
)
# tests/coordinator/cli/report_cli_test.cc opens `parlab report`'s page in
# headless Chromium and checks every chart rendered. Part of the suite that
# scripts/test.sh runs, so installed by default.
if $browser; then
  packages+=(chromium)
fi
# Only for scripts/fuzz.sh: the fuzz build compiles with clang, links
# libFuzzer from clang's runtime, and OpenMP for clang is libomp, not libgomp.
if $fuzz; then
  packages+=(clang libclang-rt-dev libomp-dev)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
# An install can fail on a stale package list; update once and retry.
if ! "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
  "${sudo_cmd[@]}" apt-get update
  "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

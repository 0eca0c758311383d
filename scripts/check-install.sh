#!/usr/bin/env bash
# What a user of the installed parlab does, checked from a build tree:
# install it into a scratch prefix, build examples/plugin out of tree against
# that install (find_package(parlab), parlab::kernel), and run the installed
# parlab — which must find its installed worker, not the build tree's — with
# that plugin in procs and threads, both answering the same checksum.
#
#   scripts/check-install.sh [BUILD_DIR]        default build/ci; about 20 s
#   scripts/check-install.sh --deb [BUILD_DIR]  also `cpack -G DEB` there: the
#                                               .deb holds the installed files
#                                               and depends on its libraries
#
# ctest runs the first as install_test; CI (.ci/run) runs the second.
set -euo pipefail
cd "$(dirname "$0")/.."
deb=false
case "${1:-}" in
  -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  --deb) deb=true; shift ;;
esac
build=${1:-build/ci}
[[ -f "$build/CMakeCache.txt" ]] || { echo "check-install: no build in $build" >&2; exit 2; }
build=$(cd "$build" && pwd)

scratch=$(mktemp -d /tmp/parlab-check-install-XXXXXX)
trap 'rm -rf "$scratch"' EXIT
prefix=$scratch/prefix
# Nothing but the install may be found: no test's worker override.
unset PARLAB_WORKER PARLAB_BIN

cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/parlab libexec/parlab/parlab-worker include/parlab/kernel.h share/man/man1/parlab.1; do
  [[ -e "$prefix/$f" ]] || { echo "check-install: $f not installed" >&2; exit 1; }
done
ls "$prefix"/lib*/cmake/parlab/parlabConfig.cmake >/dev/null

# The example exactly as its README builds it, with the compiler and launcher
# of this build (a scratch build tree: ccache still helps).
compiler=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
cmake -S examples/plugin -B "$scratch/plugin" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
  ${compiler:+-DCMAKE_CXX_COMPILER="$compiler"} >/dev/null
cmake --build "$scratch/plugin" >/dev/null
plugin=$scratch/plugin/libmatvec.so

checksum() {  # mode -> the checksum of a run, from its JSON summary
  "$prefix/bin/parlab" run --plugin "$plugin" --kernel matvec --n 300 --mode "$1" \
    --workers 2 --tasks 8 --warmup 0 --trials 2 --json |
    python3 -c 'import json, sys; print(repr(json.load(sys.stdin)["checksum"]))'
}
procs=$(checksum procs)
threads=$(checksum threads)
if [[ "$procs" != "$threads" ]]; then
  echo "check-install: checksums differ: procs $procs, threads $threads" >&2
  exit 1
fi
# The example's own tests: the imported parlab::parlab runs the plugin.
ctest --test-dir "$scratch/plugin" --output-on-failure >/dev/null
echo "check-install: installed to a scratch prefix, built examples/plugin against it," \
  "ran it in procs and threads (checksum $procs)"
$deb || exit 0

# The package: what install() puts, under /usr, and Depends from the
# binaries' libraries (dpkg-shlibdeps).
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/deb" >"$scratch/cpack.log" 2>&1 ||
  { cat "$scratch/cpack.log" >&2; exit 1; }
package=$(ls "$scratch"/deb/parlab_*.deb)
depends=$(dpkg-deb -f "$package" Depends)
contents=$(dpkg-deb -c "$package")
for library in libc6 libstdc++6 libgomp1 libprotobuf libfmt libopenblas; do
  [[ "$depends" == *"$library"* ]] || {
    echo "check-install: Depends lacks $library: $depends" >&2
    exit 1
  }
done
# Built with the mpi transport, parlab links Open MPI's library.
if grep -q '^PARLAB_WITH_MPI:BOOL=ON' "$build/CMakeCache.txt" && [[ "$depends" != *libopenmpi* ]]; then
  echo "check-install: built with MPI, but Depends lacks libopenmpi: $depends" >&2
  exit 1
fi
for f in ./usr/bin/parlab ./usr/libexec/parlab/parlab-worker ./usr/include/parlab/kernel.h \
  ./usr/share/man/man1/parlab.1 cmake/parlab/parlabConfig.cmake; do
  [[ "$contents" == *"$f"* ]] || { echo "check-install: $f not in $package" >&2; exit 1; }
done
echo "check-install: $(basename "$package"), Depends: $depends"

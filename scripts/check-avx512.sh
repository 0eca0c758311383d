#!/usr/bin/env bash
# -Werror holds on AVX-512 whatever this machine has: every object that sees
# x86 intrinsics (its own, Eigen's or another header's) is compiled again for
# x86-64-v4 (the `ci-x86-64-v4` preset), compile only; nothing is linked or
# run. GCC 12 once warned inside its AVX-512 intrinsics on AVX-512 machines
# only, once they were inlined into our code; no other object can.
#   scripts/check-avx512.sh [BUILT]   BUILT: a built tree whose dependency log
#                                     says which objects (default build/ci,
#                                     what scripts/test.sh builds)
# Which objects comes from BUILT's ninja dependency log, so a file that starts
# to include Eigen is checked without this script knowing its name.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
built=${1:-build/ci}
if [[ ! -f "$built/.ninja_deps" ]]; then
  echo "check-avx512.sh: $built is not a built Ninja tree (scripts/test.sh builds build/ci)" >&2
  exit 2
fi

sees_intrinsics='intrin\.h|/eigen3/|shared/intrinsics\.h|shared/kernels/eigen\.h'
mapfile -t objects < <(ninja -C "$built" -t deps |
  awk -v pattern="$sees_intrinsics" '/^[^ \t]/ { object = $1; sub(/:$/, "", object) }
                                     $0 ~ pattern { print object }' | sort -u)
if [[ ${#objects[@]} -eq 0 ]]; then
  echo "check-avx512.sh: no object in $built's dependency log includes intrinsics or Eigen" >&2
  exit 1
fi
cmake --preset ci-x86-64-v4 > /dev/null
cmake --build --preset ci-x86-64-v4 --target "${objects[@]}"
echo "check-avx512.sh: ${#objects[@]} objects that see intrinsics compiled for x86-64-v4, no warning"

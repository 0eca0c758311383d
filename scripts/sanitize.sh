#!/usr/bin/env bash
# The suite under the sanitizers, each in its own build directory:
#   scripts/sanitize.sh [asan]   AddressSanitizer + UndefinedBehaviorSanitizer,
#                                the whole suite (the `asan-ubsan` preset)
#   scripts/sanitize.sh tsan     ThreadSanitizer, the tests that run threads or
#                                processes at once (ctest label `concurrent`)
#   scripts/sanitize.sh all      both
# ASan's build is the long one (about 10 minutes on 2 cores). TSan builds only
# the concurrent tests and what they link: it makes Eigen's kernels slow to
# compile and every test slow to run, and the rest of the suite has no
# concurrency for it to check. Reports involving libgomp are suppressed
# (tests/tsan.supp says why).
set -euo pipefail
cd "$(dirname "$0")/.."

asan() {
  cmake --preset asan-ubsan
  cmake --build --preset asan-ubsan
  ctest --preset asan-ubsan
}

tsan() {
  cmake --preset tsan
  local tests
  mapfile -t tests < <(ctest --preset tsan -N -L concurrent | awk '/Test +#/ {print $3}')
  cmake --build --preset tsan --target parlab parlab-worker "${tests[@]}"
  ctest --preset tsan -L concurrent
}

what=${1:-asan}
case "$what" in
  asan) scripts/setup.sh; asan ;;
  tsan) scripts/setup.sh; tsan ;;
  all) scripts/setup.sh; asan; tsan ;;
  -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "sanitize.sh: unknown suite '$what': asan, tsan or all" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# The tests that run threads or processes at once (ctest label `concurrent`),
# built and run under ThreadSanitizer (the `tsan` preset). Only those targets
# are built: TSan makes Eigen's kernels slow to compile and every test slow to
# run, and the rest of the suite has no concurrency for it to check.
# Reports involving libgomp are suppressed (tests/tsan.supp says why).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset tsan
mapfile -t tests < <(ctest --preset tsan -N -L concurrent | awk '/Test +#/ {print $3}')
cmake --build --preset tsan --target parlab parlab-worker "${tests[@]}"
ctest --preset tsan -L concurrent

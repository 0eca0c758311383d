#!/usr/bin/env bash
# The README's test command, from a fresh clone: install what is missing,
# build with warnings as errors (the `ci` preset: release, -march=native,
# -Werror) and run the whole suite through ctest. About 5 minutes on 2 cores
# from a fresh clone with the packages present (README says what it measured).
#
#   scripts/test.sh              the suite
#   scripts/test.sh --sanitize   then the sanitizer suites too (scripts/sanitize.sh all)
#
# CI (.ci/run) runs this, then the format check, an AVX-512 compile and the
# AddressSanitizer + UndefinedBehaviorSanitizer suite.
set -euo pipefail
cd "$(dirname "$0")/.."

sanitize=false
case "${1:-}" in
  "") ;;
  --sanitize) sanitize=true ;;
  -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "test.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac

scripts/setup.sh
cmake --preset ci
cmake --build --preset ci
ctest --preset ci
if $sanitize; then
  scripts/sanitize.sh all
fi

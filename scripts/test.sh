#!/usr/bin/env bash
# The test suite from a fresh clone: install what is missing, build with
# warnings as errors (the `ci` preset) and run every test through ctest; then
# build the same suite with AddressSanitizer + UndefinedBehaviorSanitizer
# (the `asan-ubsan` preset) and run it again, so a memory error or undefined
# behaviour that happens to pass in release fails CI.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset ci
cmake --build --preset ci
ctest --preset ci
cmake --preset asan-ubsan
cmake --build --preset asan-ubsan
ctest --preset asan-ubsan

#!/usr/bin/env bash
# The test suite from a fresh clone: install what is missing, build with
# warnings as errors (the `ci` preset), run every test through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset ci
cmake --build --preset ci
ctest --preset ci

#!/usr/bin/env bash
# The main job from a fresh clone: install what is missing, build a release,
# then `parlab compare` (every mode on the default workload). Extra arguments
# go to `parlab compare`, e.g. scripts/run.sh sleep --ms 100 --tasks 10 --workers 10.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target parlab
echo
build/release/bin/parlab env | sed -n '/^Warnings/,$p'
echo
exec build/release/bin/parlab compare "$@"

#!/usr/bin/env bash
# How parlab's dispatch grows with the workers, on a machine with many cores:
# the figures issue 13 asks of a 16-core host, in one run of a few minutes.
#   - env (the machine, and its ceiling: what its cores deliver together);
#   - `bench ipc` (round trips against the raw references, throughput rows);
#   - noop throughput at 1, 2, 4, 8 and (cores - 1) workers: procs unbatched
#     (one dispatcher thread, --dispatchers auto, --dispatchers workers/2),
#     procs --chunk auto, procs --chunk 1000, threads unbatched;
#   - `metg` at every usable core, threads and procs.
# Ratios are read within this one run; nothing else should run meanwhile.
#
# Usage: scripts/scaling.sh [OUT_DIR]        (default: scaling-out)
#   PARLAB=path/to/parlab   the binary (default: .device-bundle/bin/parlab when
#                           present, e.g. on a machine without our libraries,
#                           else build/ci/bin/parlab)
#   WORKERS="1 2 4 8 15"    the worker counts (default: 1 2 4 8 and cores - 1)
#   EXTRA_PROCS_FLAGS="..." one more procs row per worker count with these flags
#                           (e.g. a dispatch being tried)
# Writes at most 6 files into OUT_DIR: env.json, bench_ipc.md, throughput.csv,
# throughput.md, metg.txt, log.txt.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-scaling-out}
mkdir -p "$out"
log="$out/log.txt"
: >"$log"

if [ -z "${PARLAB:-}" ]; then
  if [ -x "$root/.device-bundle/bin/parlab" ]; then
    PARLAB="$root/.device-bundle/bin/parlab"
    export LD_LIBRARY_PATH="$root/.device-bundle/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  else
    PARLAB="$root/build/ci/bin/parlab"
  fi
fi
[ -x "$PARLAB" ] || { echo "scaling: no parlab at $PARLAB (build it, or set PARLAB)" >&2; exit 2; }

cores=$(nproc)
if [ -z "${WORKERS:-}" ]; then
  WORKERS="1"
  for w in 2 4 8; do [ "$w" -lt "$cores" ] && WORKERS="$WORKERS $w"; done
  [ "$cores" -gt 2 ] && [ "$((cores - 1))" -ne 8 ] && WORKERS="$WORKERS $((cores - 1))"
fi

note() { echo "scaling: $*" | tee -a "$log" >&2; }
# Each step is bounded, so a hung run cannot eat the machine's whole lease.
bounded() { timeout --signal=INT --kill-after=10 "$@"; }

note "$PARLAB on $cores cores; workers: $WORKERS; out: $out"
bounded 60 "$PARLAB" env --json >"$out/env.json" 2>>"$log" || note "env failed (rc $?)"
bounded 180 "$PARLAB" bench ipc --markdown >"$out/bench_ipc.md" 2>>"$log" || note "bench ipc failed (rc $?)"

# One row: mode, workers, chunk, tasks per second, ns a task (of wall time).
throughput_row() {
  local label=$1 mode=$2 workers=$3 tasks=$4
  shift 4
  local json rate
  if ! json=$(bounded 120 "$PARLAB" run noop --mode "$mode" --workers "$workers" --tasks "$tasks" \
      --trials 3 --json "$@" 2>>"$log"); then
    note "run $label at $workers workers failed"
    return
  fi
  rate=$(printf '%s\n' "$json" | tail -1 | grep -o '"tasks_per_s": *[0-9.e+]*' | grep -o '[0-9.e+]*$')
  [ -n "$rate" ] || { note "no tasks_per_s in $label at $workers workers"; return; }
  # The label is the CSV's first field: a comma in it would split it.
  awk -v l="$label" -v w="$workers" -v r="$rate" \
    'BEGIN { gsub(/,/, ";", l); printf "%s,%d,%.0f,%.1f\n", l, w, r, 1e9 / r }' >>"$out/throughput.csv"
}

echo "row,workers,tasks_per_s,ns_per_task" >"$out/throughput.csv"
for w in $WORKERS; do
  throughput_row "procs unbatched" procs "$w" 400000
  # Dispatch shards (--dispatchers): one per core the workers leave free, and
  # one per two workers whatever the cores.
  throughput_row "procs unbatched (dispatchers auto)" procs "$w" 400000 --dispatchers auto
  if [ "$w" -ge 2 ]; then
    throughput_row "procs unbatched (dispatchers w/2)" procs "$w" 400000 --dispatchers $((w / 2))
  fi
  throughput_row "procs chunk auto" procs "$w" 2000000 --chunk auto
  throughput_row "procs chunk 1000" procs "$w" 4000000 --chunk 1000
  throughput_row "threads unbatched" threads "$w" 4000000
  if [ -n "${EXTRA_PROCS_FLAGS:-}" ]; then
    # shellcheck disable=SC2086  # the flags are words on purpose
    throughput_row "procs $EXTRA_PROCS_FLAGS" procs "$w" 400000 $EXTRA_PROCS_FLAGS
  fi
done
# The same rows as a Markdown table, workers across.
awk -F, 'NR > 1 {
    if (!(($1) in seen)) { seen[$1] = 1; rows[++n] = $1 }
    if (!(($2) in seenw)) { seenw[$2] = 1; ws[++m] = $2 }
    v[$1, $2] = sprintf("%.2f M/s", $3 / 1e6)
  }
  END {
    printf "| tasks per second, by workers |"; for (j = 1; j <= m; ++j) printf " %s |", ws[j]; print ""
    printf "|---|"; for (j = 1; j <= m; ++j) printf "---:|"; print ""
    for (i = 1; i <= n; ++i) {
      printf "| %s |", rows[i]
      for (j = 1; j <= m; ++j) printf " %s |", ((rows[i], ws[j]) in v) ? v[rows[i], ws[j]] : "—"
      print ""
    }
  }' "$out/throughput.csv" >"$out/throughput.md"

bounded 240 "$PARLAB" metg --workers "$cores" >"$out/metg.txt" 2>>"$log" || note "metg failed (rc $?)"
note "done"
cat "$out/throughput.md"

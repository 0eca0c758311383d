#pragma once
// `parlab bench log`: what watching costs. Runs 10 µs `spin` tasks with the
// log off and on — both jobs started first, then their trials alternate, as
// compare does, so a drifting machine shifts both alike — and prints both
// trial walls (mean ± std), their ratio and the target (≤ 1.02). Stamps are
// taken either way; with the log on, each trial's records (plain structs,
// shared/task_record.h, collected in a pre-sized vector) are written from the
// coordinator's loop after the trial, so the ratio shows whether anything of
// the log leaks into the hot path. The writing itself is timed apart.
// A measurement, not a test.

#include "coordinator/command.h"

namespace parlab {

// The ratio the log should not exceed: 2% of a 10 µs task's trial.
inline constexpr double kLogCostTarget = 1.02;

// Registers `log` under `bench`. run() returns 0 when every job ran, 1 when one
// failed, 2 on bad flags.
Command AddBenchLog(CLI::App& bench);

}  // namespace parlab

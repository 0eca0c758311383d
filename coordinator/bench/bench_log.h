#pragma once
// `parlab bench log`: what watching costs. Runs 10 µs `spin` tasks with the
// log off and on — both jobs started first, then their trials alternate, as
// compare does, so a drifting machine shifts both alike — and prints both
// trial walls (mean ± std), their ratio and the target (≤ 1.02). Stamps are
// taken either way; with the log on, each trial's records (plain structs,
// shared/task_record.h, collected in a pre-sized vector) are written from the
// coordinator's loop after the trial, so the ratio shows whether anything of
// the log leaks into the hot path. The writing itself is timed apart.
// No progress line (report/progress.h), on purpose: a redraw inside a trial
// is a write(2) on the coordinator's thread, and the two sides' walls are
// 2 % apart at most — redraws falling unevenly on the sides would move the
// very ratio measured. A measurement, not a test.

#include <cstdint>
#include <string>

#include "shared/status.h"

namespace parlab {

// The ratio the log should not exceed: 2% of a 10 µs task's trial.
inline constexpr double kLogCostTarget = 1.02;

struct LogBenchOptions {
  std::string modes = "procs";
  int workers = 2;
  int64_t us = 10;
  int64_t tasks = 5000;
  int trials = 10;
  int warmup = 1;
  std::string log_path;  // default: a file in the temporary directory, removed after
  bool json = false;
  bool markdown = false;  // the table as Markdown
  bool csv = false;       // the rows as CSV, plain numbers
};

// Measures and prints the rows (or JSON); kInvalidArgument on bad options, the
// job's error when one failed (the rows measured before it are printed).
Status RunBenchLog(const LogBenchOptions& options);

}  // namespace parlab

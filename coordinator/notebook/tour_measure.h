#pragma once
// How the tour's sections measure: jobs through the job runner (taking turns
// trial by trial, as compare does, so a drifting shared VM shifts every mode
// alike), single kernel calls timed in this process, and the rows (pb::TourRow)
// both turn into. The row helpers are pure; the runners block. One thread.

#include <google/protobuf/struct.pb.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "coordinator/report/progress.h"
#include "coordinator/runtime/job_runner.h"
#include "proto/parlab.pb.h"
#include "shared/aligned_buffer.h"
#include "shared/kernels/kernel.h"
#include "shared/status.h"

namespace parlab {

// A row from trial times: mean, std, CI, min over `trial_s` (warmup already
// discarded; `warmup` is only recorded).
pb::TourRow RowFromTimes(std::string label, std::string source, const std::vector<double>& trial_s,
                         int warmup);

// A row from a finished job: its trial wall times, mode, threads, FLOPs.
pb::TourRow RowFromJob(std::string label, const JobOutcome& outcome);

// flops per trial, and gflops = flops / mean_s / 1e9.
void SetRowFlops(pb::TourRow& row, double flops);
// speedup = reference.mean_s / row.mean_s, and the reference's label.
void SetRowSpeedup(pb::TourRow& row, const pb::TourRow& reference);

// Puts each speedup of `section` beside what `ceiling` allows
// (report/ceiling.h): for a row whose reference row (same section, by label)
// runs on fewer parallel units, possible_speedup = PossibleSpeedup(units) /
// PossibleSpeedup(reference's units). A row's units are its parallel_units,
// else its threads; a row or reference with neither gets none, as does every
// row when nothing was probed.
void SetPossibleSpeedups(pb::TourSection& section, const pb::Ceiling& ceiling);

// The same job in several modes: validates every job first, starts them all,
// then runs their trials in turn. Outcomes in the order of `jobs`. With a
// progress line, a new count of all their tasks (warmups too) starts on it
// and advances per task as the modes finish them.
Result<std::vector<JobOutcome>> RunJobsInTurn(const std::vector<pb::JobSpec>& jobs,
                                              Progress* line = nullptr);

// A job of `kernel` (its defaults, then `edit`), `mode`, `workers` workers,
// `threads` per task, `tasks` per trial, warmup and trials.
pb::JobSpec TourJob(const KernelParams& kernel, pb::Mode mode, int workers, int threads,
                    int64_t tasks, int warmup, int trials);

// The kernel's default parameters with n set (for the n×n kernels).
Result<KernelParams> KernelWithN(std::string_view kernel, int64_t n);

// One kernel's inputs and output, made once, for calls timed in this process.
class KernelCall {
 public:
  // Validates params and fills the inputs from the seed.
  static Result<KernelCall> Make(const KernelParams& params);
  // One call with `threads` OpenMP threads (no global lock).
  KernelResult Run(int threads);
  const KernelParams& params() const { return params_; }
  const void* input() const { return input_.const_bytes().data; }
  const void* output() const { return output_.const_bytes().data; }

 private:
  KernelCall(const Kernel* kernel, KernelParams params)
      : kernel_(kernel), params_(std::move(params)) {}
  const Kernel* kernel_;
  KernelParams params_;
  AlignedBuffer input_;
  AlignedBuffer output_;
};

// Runs `call` `warmup` times untimed, then `trials` times; each trial's seconds.
std::vector<double> TimeTrials(int warmup, int trials, const std::function<void()>& call);

// "1.50×" style helpers for conclusions.
std::string Times(double ratio);

}  // namespace parlab

namespace parlab {

// One way to run a job in CompareModes: the row's label and the mode's shape.
struct ModeRun {
  std::string label;
  pb::Mode mode = pb::SEQ;
  int workers = 1;
  int threads = 1;  // inside a task (blas, hybrid)
};

// Runs `kernel` once per ModeRun (taking turns, trial by trial), `tasks` tasks
// per trial; returns one row per run, each with its speedup against the first.
// Counts the tasks on `line` as RunJobsInTurn does.
Result<std::vector<pb::TourRow>> CompareModes(const KernelParams& kernel,
                                              const std::vector<ModeRun>& runs, int64_t tasks,
                                              int warmup, int trials, Progress* line = nullptr);

// Rows from a Python script's answer: one per (key, label), each key a list
// of trial seconds; speedups against the first. Missing keys are skipped.
std::vector<pb::TourRow> PythonRows(const google::protobuf::Struct& answer,
                                    const std::vector<std::pair<std::string, std::string>>& keys);

// How a speedup over `units` parallel units reads: "no gain" (< 1.25×),
// "scales" (>= 0.75 × units), else "partly parallel". Pure.
std::string ScalingWord(double speedup, int units);

}  // namespace parlab

#pragma once
// A study: several planned jobs measured against each other — the one path
// compare, sweep, metg and a job file's grid share, so a command only plans, calls and prints.
//
//   Prepare   sizes the jobs that have no task count (one calibration for
//             all of one workload size, so their walls compare), validates every job (an error
//             names it), checks that each stage's jobs fit the machine
//             together, and opens the progress line. Nothing starts yet.
//   RunStage  starts one stage's jobs, runs their trials in turns (the
//             fairness rule of trial_turns.h) and stops them.
//   Finish    stops the reference and erases the progress line.
//
// With a ceiling to probe (StudyOptions::ceiling), the machine's ceiling
// (ceiling_probe.h) is measured before each stage starts and after the last
// ends, while none of the stage's threads or workers is alive: what the
// machine delivers drifts on a shared VM, so it is measured among the trials,
// not once.
//
// A stage is the set of jobs alive at once: compare runs one stage (every
// mode), sweep one per worker count (all counts at once would hold hundreds
// of idle threads and processes), metg one per task size (so a mode whose
// answer is found can be skipped for the larger sizes).
//
// Called from one thread, the coordinator's: the jobs' modes fork workers.

#include <cstddef>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coordinator/report/progress.h"
#include "coordinator/runtime/ceiling_probe.h"
#include "coordinator/runtime/job_runner.h"
#include "coordinator/runtime/resource_check.h"
#include "proto/parlab.pb.h"
#include "shared/status.h"

namespace parlab {

struct StudyJob {
  pb::JobSpec job;
  std::string label;  // names the job on the progress line and in errors; empty: JobLabel(job)
};

// Jobs started together, run in turns trial by trial, and stopped together.
// They run as many rounds as the longest of them has warmups + trials.
struct StudyStage {
  std::vector<StudyJob> jobs;
};

struct StudyPlan {
  std::vector<StudyStage> stages;
  // A job that takes the first turn of every round of every stage — sweep's
  // seq reference, whose trials then spread over the whole study, so it
  // sees the same machine as every point. Prepare sets its trials to fill
  // those rounds; it starts before the first stage and stops in Finish.
  std::optional<StudyJob> reference;
};

// Sizes the jobs whose tasks are 0 (no --tasks given): the seq time of one
// task is measured once (CalibrateTasks) and the widest job still runs
// about `trial_s_per_unit` per trial. Jobs of the same workload parameters
// get one count, so their walls are comparable; jobs of other parameters (a
// job file's grid of sizes) are sized apart, one probe per parameters.
struct Calibration {
  double trial_s_per_unit = 0.1;
  // Past the usable cores no job runs faster, so oversubscribed jobs need
  // not make every trial longer (sweep caps at the cores, compare does not).
  int max_units = std::numeric_limits<int>::max();
};

struct StudyOptions {
  std::optional<Calibration> calibration;  // none: every job comes with its tasks
  Progress* progress = nullptr;            // not owned; null: Progress::OnStderr
  // What the stages are checked against; none: ReadMachineResources().
  std::optional<MachineResources> machine;
  // Probe the machine's ceiling among the stages; none: no probe.
  std::optional<CeilingOptions> ceiling;
};

// A stage's outcomes, one per planned job, in plan order; empty where skipped.
using StageOutcome = std::vector<std::optional<JobOutcome>>;

class Study {
 public:
  // Errors, before anything starts: a calibration error as it comes; a
  // job's invalid field as "<label>: <what>" (kInvalidArgument); stage
  // memory or /dev/shm beyond the machine (kResourceExhausted, naming the
  // job and the amounts). `options.progress`, if given, must outlive the
  // study; its total grows by the study's tasks.
  static Result<std::unique_ptr<Study>> Prepare(StudyPlan plan, const StudyOptions& options);
  ~Study();
  Study(const Study&) = delete;
  Study& operator=(const Study&) = delete;

  // The plan as it runs: calibrated task counts, the reference's trials.
  const StudyPlan& plan() const { return plan_; }

  // Leaves job `job` of stage `stage` out (metg drops the larger sizes of a
  // mode whose answer is found): it never starts and the progress total no
  // longer counts it. The reference's trials are not shortened. Precondition:
  // the stage has not run; indices in range.
  void Skip(size_t stage, size_t job);

  // Runs stage `stage` (each stage once, any order). A stage whose jobs are
  // all skipped runs nothing. Start, trial and finish errors keep their code
  // and name the job: "procs, 4 workers: <what went wrong>".
  Result<StageOutcome> RunStage(size_t stage);

  // Stops the reference (its outcome; none without one), probes the ceiling
  // a last time and erases the progress line. Call once, after the last stage.
  Result<std::optional<JobOutcome>> Finish();

  // The ceiling's probes so far, in order ("before", "before stage 2", ...,
  // "after"); empty without StudyOptions::ceiling.
  const std::vector<pb::CeilingProbe>& ceiling_probes() const { return ceiling_probes_; }

 private:
  Study(StudyPlan plan, std::unique_ptr<Progress> owned_progress, Progress* progress,
        std::optional<CeilingProbe> ceiling);
  void ProbeCeiling(const std::string& when);

  StudyPlan plan_;
  std::vector<std::vector<bool>> skipped_;  // [stage][job]
  std::vector<bool> ran_;                   // [stage]
  std::unique_ptr<Progress> owned_progress_;
  Progress* progress_;  // owned_progress_ or the caller's
  std::unique_ptr<JobSession> reference_;
  std::optional<CeilingProbe> ceiling_;
  std::vector<pb::CeilingProbe> ceiling_probes_;
};

// Every stage of a study, in order, then its Finish. For commands that
// adapt nothing between stages (compare, sweep).
struct StudyOutcome {
  std::vector<std::vector<JobOutcome>> stages;  // [stage][job], plan order
  std::optional<JobOutcome> reference;
  std::vector<pb::CeilingProbe> ceiling_probes;  // Study::ceiling_probes()
};
Result<StudyOutcome> RunStudy(StudyPlan plan, const StudyOptions& options);

// How many rounds a stage runs: the most warmups + trials of its jobs.
int StageRounds(const StudyStage& stage);

}  // namespace parlab

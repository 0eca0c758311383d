#include "coordinator/runtime/study.h"

#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <utility>

#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/trial_turns.h"
#include "shared/check.h"

namespace parlab {
namespace {

using google::protobuf::util::MessageDifferencer;

Status Named(const std::string& label, const Status& status) {
  return Status(status.code(), label + ": " + status.message());
}

// Every job of the plan, the reference last: what calibration, validation
// and the progress total go over.
std::vector<StudyJob*> AllJobs(StudyPlan& plan) {
  std::vector<StudyJob*> all;
  for (StudyStage& stage : plan.stages) {
    for (StudyJob& job : stage.jobs) all.push_back(&job);
  }
  if (plan.reference.has_value()) all.push_back(&*plan.reference);
  return all;
}

// One task count for every job that has none, so their walls compare: the
// seq time of the first such job's task, scaled to the widest job. The probe
// has the most workers of the plan, since CalibrateTasks rounds the count to
// a multiple of them. Jobs of other workload parameters (a job file's grid
// of sizes) are a group of their own, each sized by its own probe.
Status CalibrateGroup(const std::vector<StudyJob*>& group, const Calibration& calibration) {
  int widest = 1;
  int workers = 1;
  for (const StudyJob* job : group) {
    widest = std::max(widest, ParallelUnits(job->job));
    workers = std::max(workers, job->job.workers());
  }
  pb::JobSpec probe = group.front()->job;
  probe.set_mode(pb::SEQ);
  probe.set_workers(workers);
  Result<int64_t> tasks =
      CalibrateTasks(probe, calibration.trial_s_per_unit * std::min(widest, calibration.max_units));
  if (!tasks.ok()) return tasks.status();
  for (StudyJob* job : group) job->job.set_tasks(*tasks);
  return Status::Ok();
}

Status Calibrate(const std::vector<StudyJob*>& all, const Calibration& calibration) {
  std::vector<std::vector<StudyJob*>> groups;
  for (StudyJob* job : all) {
    if (job->job.tasks() != 0) continue;
    auto same = std::find_if(groups.begin(), groups.end(), [&](const std::vector<StudyJob*>& g) {
      return MessageDifferencer::Equals(g.front()->job.kernel(), job->job.kernel());
    });
    if (same == groups.end()) {
      groups.push_back({job});
    } else {
      same->push_back(job);
    }
  }
  for (const std::vector<StudyJob*>& group : groups) {
    PARLAB_RETURN_IF_ERROR(CalibrateGroup(group, calibration));
  }
  return Status::Ok();
}

// The jobs of a stage are alive at once, with the reference: their memory
// and /dev/shm add up (ValidateJob checks each job alone).
Status CheckStages(const StudyPlan& plan, const MachineResources& machine) {
  for (const StudyStage& stage : plan.stages) {
    std::vector<pb::JobSpec> together;
    for (const StudyJob& job : stage.jobs) together.push_back(job.job);
    if (plan.reference.has_value()) together.push_back(plan.reference->job);
    PARLAB_RETURN_IF_ERROR(CheckResources(together, machine));
  }
  return Status::Ok();
}

}  // namespace

int StageRounds(const StudyStage& stage) {
  int rounds = 0;
  for (const StudyJob& job : stage.jobs) {
    rounds = std::max(rounds, job.job.warmup() + job.job.trials());
  }
  return rounds;
}

Study::Study(StudyPlan plan, std::unique_ptr<Progress> owned_progress, Progress* progress,
             std::optional<CeilingProbe> ceiling)
    : plan_(std::move(plan)),
      ran_(plan_.stages.size(), false),
      owned_progress_(std::move(owned_progress)),
      progress_(progress != nullptr ? progress : owned_progress_.get()),
      ceiling_(std::move(ceiling)) {
  for (const StudyStage& stage : plan_.stages) skipped_.emplace_back(stage.jobs.size(), false);
}

Study::~Study() = default;

Result<std::unique_ptr<Study>> Study::Prepare(StudyPlan plan, const StudyOptions& options) {
  const std::vector<StudyJob*> all = AllJobs(plan);
  for (StudyJob* job : all) {
    if (job->label.empty()) job->label = JobLabel(job->job);
  }
  if (options.calibration.has_value()) {
    PARLAB_RETURN_IF_ERROR(Calibrate(all, *options.calibration));
  }
  if (plan.reference.has_value()) {
    int rounds = 0;
    for (const StudyStage& stage : plan.stages) rounds += StageRounds(stage);
    pb::JobSpec& reference = plan.reference->job;
    reference.set_trials(rounds - reference.warmup());
  }
  // Everything is checked before anything starts: a bad job found after
  // others ran would waste their time and leave a half-printed report.
  int64_t total_tasks = 0;
  for (const StudyJob* job : all) {
    if (Status s = ValidateJob(job->job); !s.ok()) return Named(job->label, s);
    total_tasks += JobTaskCount(job->job);
  }
  PARLAB_RETURN_IF_ERROR(
      CheckStages(plan, options.machine.has_value() ? *options.machine : ReadMachineResources()));

  std::optional<CeilingProbe> ceiling;
  if (options.ceiling.has_value()) {
    PARLAB_ASSIGN_OR_RETURN(CeilingProbe probe, CeilingProbe::Make(*options.ceiling));
    ceiling = probe;
  }
  std::unique_ptr<Progress> owned;
  if (options.progress != nullptr) {
    options.progress->AddTotal(total_tasks);
  } else {
    owned = Progress::OnStderr(total_tasks);
  }
  return std::unique_ptr<Study>(
      new Study(std::move(plan), std::move(owned), options.progress, std::move(ceiling)));
}

void Study::Skip(size_t stage, size_t job) {
  PARLAB_CHECK(stage < plan_.stages.size() && job < plan_.stages[stage].jobs.size())
      << "stage " << stage << ", job " << job;
  PARLAB_CHECK(!ran_[stage]) << "stage " << stage << " has already run";
  if (skipped_[stage][job]) return;
  skipped_[stage][job] = true;
  progress_->AddTotal(-JobTaskCount(plan_.stages[stage].jobs[job].job));
}

Result<StageOutcome> Study::RunStage(size_t stage) {
  PARLAB_CHECK(stage < plan_.stages.size()) << "stage " << stage;
  PARLAB_CHECK(!ran_[stage]) << "stage " << stage << " runs once";
  ran_[stage] = true;
  const StudyStage& planned = plan_.stages[stage];
  StageOutcome outcomes(planned.jobs.size());
  const std::vector<bool>& skipped = skipped_[stage];
  if (std::all_of(skipped.begin(), skipped.end(), [](bool s) { return s; })) return outcomes;

  // Before this stage's jobs start, so that none of their threads or
  // workers competes with the busy loops.
  if (ceiling_.has_value()) {
    ProbeCeiling(ceiling_probes_.empty() ? "before" : "before stage " + std::to_string(stage + 1));
  }
  std::vector<Turn> turns;
  if (plan_.reference.has_value()) {
    const StudyJob& reference = *plan_.reference;
    if (reference_ == nullptr) {
      progress_->SetStage("starting " + reference.label);
      Result<std::unique_ptr<JobSession>> session = JobSession::Start(reference.job, nullptr);
      if (!session.ok()) {
        progress_->Clear();
        return Named(reference.label, session.status());
      }
      reference_ = std::move(session).value();
    }
    turns.push_back({reference_.get(), reference.label, reference.job.tasks()});
  }
  // Every job of the stage is started before any runs, then they take turns
  // trial by trial: on a machine whose speed drifts (a shared VM), running
  // one job's trials after another's would put the drift into their ratios.
  std::vector<std::unique_ptr<JobSession>> sessions(planned.jobs.size());
  for (size_t i = 0; i < planned.jobs.size(); ++i) {
    if (skipped[i]) continue;
    const StudyJob& job = planned.jobs[i];
    progress_->SetStage("starting " + job.label);
    Result<std::unique_ptr<JobSession>> session = JobSession::Start(job.job, nullptr);
    if (!session.ok()) {
      progress_->Clear();
      return Named(job.label, session.status());
    }
    sessions[i] = std::move(session).value();
    turns.push_back({sessions[i].get(), job.label, job.job.tasks()});
  }
  PARLAB_RETURN_IF_ERROR(RunInTurns(turns, StageRounds(planned), progress_));
  for (size_t i = 0; i < planned.jobs.size(); ++i) {
    if (sessions[i] == nullptr) continue;
    Result<JobOutcome> outcome = sessions[i]->Finish();
    if (!outcome.ok()) {
      progress_->Clear();
      return Named(planned.jobs[i].label, outcome.status());
    }
    outcomes[i] = std::move(outcome).value();
  }
  return outcomes;
}

Result<std::optional<JobOutcome>> Study::Finish() {
  std::optional<JobOutcome> reference;
  if (reference_ != nullptr) {
    Result<JobOutcome> outcome = reference_->Finish();
    reference_.reset();
    if (!outcome.ok()) {
      progress_->Clear();
      return Named(plan_.reference->label, outcome.status());
    }
    reference = std::move(outcome).value();
  }
  if (ceiling_.has_value()) ProbeCeiling("after");
  progress_->Clear();
  return reference;
}

void Study::ProbeCeiling(const std::string& when) {
  progress_->SetStage("probing the machine's ceiling");
  ceiling_probes_.push_back(ceiling_->Probe(when));
}

Result<StudyOutcome> RunStudy(StudyPlan plan, const StudyOptions& options) {
  PARLAB_ASSIGN_OR_RETURN(std::unique_ptr<Study> study, Study::Prepare(std::move(plan), options));
  StudyOutcome result;
  for (size_t i = 0; i < (study)->plan().stages.size(); ++i) {
    PARLAB_ASSIGN_OR_RETURN(StageOutcome stage, (study)->RunStage(i));
    std::vector<JobOutcome>& outcomes = result.stages.emplace_back();
    // Nothing was skipped, so every job has its outcome.
    for (std::optional<JobOutcome>& outcome : stage) outcomes.push_back(std::move(*outcome));
  }
  PARLAB_ASSIGN_OR_RETURN(std::optional<JobOutcome> reference, (study)->Finish());
  result.reference = std::move(reference);
  result.ceiling_probes = (study)->ceiling_probes();
  return result;
}

}  // namespace parlab

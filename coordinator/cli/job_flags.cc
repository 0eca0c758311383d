#include "coordinator/cli/job_flags.h"

#include <algorithm>
#include <exception>

#include "coordinator/cli/format_flags.h"
#include "coordinator/runtime/failure_policy.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/mpi_launch.h"
#include "shared/kernels/kernel.h"
#include "shared/shm/wait_policy.h"

namespace parlab {

JobFlags::JobFlags(CLI::App& app, const std::string& json_message, bool with_mode,
                   bool with_workers)
    : kernel_(app, "loop") {
  const char* job_group = "Job";
  if (with_mode) {
    mode_opt_ = app.add_option("--mode", mode_, "seq, threads, gil, procs, blas or hybrid")
                    ->capture_default_str()
                    ->group(job_group);
  }
  if (with_workers) {
    workers_opt_ =
        app.add_option("--workers,-w", workers_, "worker threads (default 2)")->group(job_group);
  }
  threads_opt_ = app.add_option("--threads,-t", threads_,
                                "BLAS/OpenMP threads inside one task (blas; default 1 for run, "
                                "the workers for compare's blas row)")
                     ->group(job_group);
  tasks_opt_ = app.add_option("--tasks", tasks_,
                              "tasks per trial (default: enough for about 0.1 s per trial)")
                   ->group(job_group);
  warmup_opt_ =
      app.add_option("--warmup", warmup_, "trials run and discarded (default 1)")->group(job_group);
  trials_opt_ =
      app.add_option("--trials", trials_, "measured trials (default 5)")->group(job_group);
  inflight_opt_ = app.add_option("--inflight", inflight_, "tasks in flight per worker (default 2)")
                      ->group(job_group);
  switch_opt_ = app.add_option("--switch-interval", switch_interval_ms_,
                               "gil: ms a thread may hold the lock while others wait (default 5)")
                    ->group(job_group);
  chunk_opt_ =
      app.add_option("--chunk", chunk_,
                     "procs/hybrid: tasks per frame; threads/gil: tasks a thread claims at "
                     "once; a number or 'auto' (Pool.map's rule: tasks / (4 × workers)); "
                     "default 1")
          ->group(job_group);
  wait_opt_ = app.add_option("--wait", wait_,
                             "how the two sides wait for each other (threads/gil: between trials): "
                             "spin (never sleeps), block (futex at once) or adaptive (spins while "
                             "answers come within a measured budget, yields when oversubscribed, "
                             "else sleeps)")
                  ->capture_default_str()
                  ->group(job_group);
  transport_opt_ =
      app.add_option("--transport", transport_,
                     "procs/hybrid: shm (shared memory, only offsets travel), uds (Unix sockets, "
                     "the payload is copied through them), mpi (ranks of an mpirun job, on one "
                     "host or several; implies --mode procs) or mpi+shm (as mpi, but the ranks "
                     "on the coordinator's host take the shared-memory path)")
          ->capture_default_str()
          ->group(job_group);
  const std::string failure_group = "When workers fail (procs, hybrid)";
  max_attempts_opt_ =
      app.add_option("--max-attempts", max_attempts_,
                     "a task that kills its worker this many times fails; the job goes on "
                     "(default 3)")
          ->group(failure_group);
  task_timeout_opt_ =
      app.add_option("--task-timeout", task_timeout_ms_,
                     "ms; a task running longer has its worker killed and replaced, and is "
                     "retried (default 0: none)")
          ->group(failure_group);
  heartbeat_timeout_opt_ =
      app.add_option("--heartbeat-timeout", heartbeat_timeout_ms_,
                     "ms; a worker silent this long is treated as hung (default 5000, 0: never)")
          ->group(failure_group);
  if (with_mode) {
    fault_opt_ = app.add_option("--inject-fault", fault_,
                                "TASK:ACTION: the worker running task TASK (index in every trial) "
                                "does ACTION to itself: abort, kill, segv, exit, hang, stop or "
                                "corrupt (answers garbage) — to see the recovery")
                     ->group(failure_group);
  }
  AddFormatFlags(app, FormatFlags::Json(&json_, json_message));
  if (with_mode) {
    app.add_option("--log", log_path_,
                   "write run.jsonl: a header line (job, machine), then one record per task "
                   "with its timestamps");
  }
}

Result<pb::JobSpec> JobFlags::MakeJob() const { return MakeJobOn(DefaultJob(), false); }

Result<pb::JobSpec> JobFlags::MakeJob(const pb::JobSpec& base) const {
  return MakeJobOn(base, true);
}

Result<pb::JobSpec> JobFlags::MakeJobOn(pb::JobSpec job, bool from_file) const {
  if (from_file) {
    PARLAB_ASSIGN_OR_RETURN(KernelParams params, kernel_.MakeParams(job.kernel()));
    *job.mutable_kernel() = params;
    for (KernelParams& task : *job.mutable_task_kernels()) kernel_.ApplyGiven(task);
  } else {
    PARLAB_ASSIGN_OR_RETURN(KernelParams params, kernel_.MakeParams());
    *job.mutable_kernel() = params;
  }
  PARLAB_ASSIGN_OR_RETURN(std::string plugin, kernel_.PluginPath());
  if (!plugin.empty()) job.set_plugin(plugin);

  if (mode_opt_ != nullptr && (!from_file || mode_opt_->count() > 0)) {
    Result<pb::Mode> mode = ParseMode(mode_);
    if (!mode.ok()) return InvalidArgument("--mode: " + mode.status().message());
    job.set_mode(*mode);
  }
  if (workers_opt_ != nullptr && workers_opt_->count() > 0) job.set_workers(workers_);
  if (threads_opt_->count() > 0) job.set_threads(threads_);
  if (tasks_opt_->count() > 0) job.set_tasks(tasks_);
  if (warmup_opt_->count() > 0) job.set_warmup(warmup_);
  if (trials_opt_->count() > 0) job.set_trials(trials_);
  if (inflight_opt_->count() > 0) job.set_inflight(inflight_);
  if (switch_opt_->count() > 0) job.set_switch_interval_ms(switch_interval_ms_);
  if (chunk_opt_->count() > 0) {
    int64_t chunk = 0;
    if (chunk_ == "auto") {
      chunk = 0;
    } else if (!CLI::detail::lexical_cast(chunk_, chunk) || chunk < 1) {
      return InvalidArgument("--chunk must be a positive number or 'auto', got '" + chunk_ + "'");
    }
    job.set_chunk(static_cast<int32_t>(std::min<int64_t>(chunk, 1'000'000)));
  }
  if (max_attempts_opt_->count() > 0) job.set_max_attempts(max_attempts_);
  if (task_timeout_opt_->count() > 0) job.set_task_timeout_ms(task_timeout_ms_);
  if (heartbeat_timeout_opt_->count() > 0) job.set_heartbeat_timeout_ms(heartbeat_timeout_ms_);
  if (fault_opt_ != nullptr && fault_opt_->count() > 0) {
    PARLAB_ASSIGN_OR_RETURN(pb::FaultInjection fault, ParseFault(fault_));
    *job.mutable_fault() = fault;
  }
  if (!from_file || wait_opt_->count() > 0) {
    PARLAB_ASSIGN_OR_RETURN(WaitPolicy wait, ParseWaitPolicy(wait_));
    job.set_wait(ToProto(wait));
  }
  if (!from_file || transport_opt_->count() > 0) {
    if (transport_ == "shm") {
      job.set_transport(pb::SHM);
    } else if (transport_ == "uds") {
      job.set_transport(pb::UDS);
    } else if (transport_ == "mpi" || transport_ == "mpi+shm") {
      job.set_transport(pb::MPI);
      job.set_mpi_shm(transport_ == "mpi+shm");
      if (mode_opt_ != nullptr && mode_opt_->count() == 0) job.set_mode(pb::PROCS);
    } else {
      return InvalidArgument("--transport must be shm, uds, mpi or mpi+shm, got '" + transport_ +
                             "'");
    }
  }
  if (job.transport() == pb::MPI && !workers_given()) {
    // Under mpirun the ranks say how many workers there are: all but rank 0.
    const MpiLaunch launch = DetectMpiLaunch();
    if (launch.under_mpirun && launch.size > 1) job.set_workers(launch.size - 1);
  }
  // Validate everything but the task count now, so a bad flag fails before
  // any calibration runs.
  pb::JobSpec check = job;
  if (check.tasks() == 0 && tasks_opt_->count() == 0) check.set_tasks(1);
  // A job file's task list is its tasks: --tasks cannot also say how many.
  if (from_file && job.task_kernels_size() > 0 && tasks_opt_->count() > 0 &&
      job.tasks() != job.task_kernels_size()) {
    return InvalidArgument("--tasks: the job file lists " +
                           std::to_string(job.task_kernels_size()) +
                           " tasks with their own parameters; leave --tasks out");
  }
  PARLAB_RETURN_IF_ERROR(ValidateJob(check));
  return job;
}

Result<pb::JobSpec> ParseJobArgs(const std::vector<std::string>& args, bool with_mode) {
  CLI::App app{"job flags"};
  JobFlags flags(app, "JobSummary", with_mode);
  // CLI11 takes a vector in reverse order and consumes it.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return InvalidArgument(std::string(e.get_name()) + ": " + e.what());
  }
  return flags.MakeJob();
}

}  // namespace parlab

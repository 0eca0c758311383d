#include "coordinator/cli/chaos_command.h"

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "coordinator/cli/duration_text.h"
#include "coordinator/cli/format_flags.h"
#include "coordinator/observe/chaos.h"
#include "coordinator/report/json_output.h"
#include "coordinator/report/progress.h"
#include "coordinator/runtime/job_spec.h"
#include "proto/report.pb.h"
#include "shared/kernels/kernel.h"

namespace parlab {
namespace {

struct ChaosFlags {
  std::string duration = "60s";
  std::string kill_every = "50ms";
  int workers = 2;
  int64_t tasks = 10000;
  int64_t us = 100;
  uint64_t seed = 1;
  int max_attempts = 3;
  bool json = false;
};

int RunChaosCommand(const ChaosFlags& flags) {
  Result<int64_t> duration = ParseDuration(flags.duration);
  if (!duration.ok())
    return ReportError(InvalidArgument("--duration: " + duration.status().message()));
  Result<int64_t> period = ParseDuration(flags.kill_every);
  if (!period.ok())
    return ReportError(InvalidArgument("--kill-every: " + period.status().message()));
  if (*period < 1'000'000) return ReportError(InvalidArgument("--kill-every must be at least 1ms"));

  ChaosOptions options;
  options.duration_ns = *duration;
  options.kill_every_ns = *period;
  options.seed = flags.seed;
  pb::JobSpec& job = options.job;
  job = DefaultJob();
  *job.mutable_kernel() = FindKernel("spin")->Defaults();
  job.mutable_kernel()->set_us(flags.us);
  job.set_mode(pb::PROCS);
  job.set_workers(flags.workers);
  job.set_tasks(flags.tasks);
  job.set_warmup(0);
  job.set_trials(1);
  job.set_max_attempts(flags.max_attempts);
  if (Status valid = ValidateJob(job); !valid.ok()) return ReportError(valid);

  // With --json stdout holds only the report; the heading goes to stderr.
  std::ostream& say = flags.json ? std::cerr : std::cout;
  say << fmt::format(
      "parlab chaos: {} × spin {} µs per trial on {} workers, a random worker SIGKILLed every "
      "{:.0f} ms, for {:.0f} s\n",
      flags.tasks, flags.us, flags.workers, static_cast<double>(*period) * 1e-6,
      static_cast<double>(*duration) * 1e-9);
  say.flush();
  // Per task, with the time left (the run ends by the clock), on a terminal only.
  std::unique_ptr<Progress> progress = Progress::OnStderr(0);
  options.progress = progress.get();
  Result<ChaosReport> report = RunChaos(options);
  progress.reset();  // erased before the report is printed
  if (!report.ok()) return ReportError(report.status());
  const ChaosReport& r = *report;
  if (flags.json) {
    pb::ChaosReport m;
    m.set_workload(fmt::format("spin {} µs", flags.us));
    m.set_workers(flags.workers);
    m.set_tasks(flags.tasks);
    m.set_kill_every_s(static_cast<double>(*period) * 1e-9);
    m.set_seconds(r.seconds);
    m.set_trials(r.trials);
    m.set_tasks_done(r.tasks_done);
    m.set_workers_killed(r.workers_killed);
    m.set_tasks_retried(r.tasks_retried);
    m.set_tasks_lost(r.tasks_lost);
    m.set_tasks_duplicated(r.tasks_duplicated);
    m.set_segments_left(r.segments_left);
    m.set_workers_left(r.workers_left);
    m.set_clean(r.Clean());
    std::cout << ToJson(m) << "\n";
    return r.Clean() ? kExitOk : kExitFailed;
  }
  std::cout << fmt::format("  {:<18}{:.1f} s, {} trials\n", "ran", r.seconds, r.trials)
            << fmt::format("  {:<18}{}\n", "tasks done", r.tasks_done)
            << fmt::format("  {:<18}{}\n", "workers killed", r.workers_killed)
            << fmt::format("  {:<18}{}\n", "tasks retried", r.tasks_retried)
            << fmt::format("  {:<18}{}  (must be 0)\n", "tasks lost", r.tasks_lost)
            << fmt::format("  {:<18}{}  (must be 0)\n", "tasks duplicated", r.tasks_duplicated)
            << fmt::format("  {:<18}{} segment(s), {} worker(s)  (must be 0)\n", "left behind",
                           r.segments_left, r.workers_left);
  std::cout << (r.Clean() ? "clean: nothing lost, nothing leaked\n" : "NOT CLEAN\n");
  return r.Clean() ? kExitOk : kExitFailed;
}

}  // namespace

Command AddChaosCommand(CLI::App& app) {
  CLI::App* sub = app.add_subcommand(
      "chaos", "Kill random workers during a procs job and check that no task is lost");
  auto flags = std::make_shared<ChaosFlags>();
  sub->add_option("--duration", flags->duration, "how long to run, e.g. 60s, 2min")
      ->capture_default_str();
  sub->add_option("--kill-every", flags->kill_every, "how often a random worker is SIGKILLed")
      ->capture_default_str();
  sub->add_option("--workers,-w", flags->workers, "worker processes")->capture_default_str();
  sub->add_option("--tasks", flags->tasks, "tasks per trial")->capture_default_str();
  sub->add_option("--us", flags->us, "spin: busy time per task, µs")->capture_default_str();
  sub->add_option("--max-attempts", flags->max_attempts,
                  "a task whose worker dies this many times while running it fails")
      ->capture_default_str();
  sub->add_option("--seed", flags->seed, "seed of the victim choice")->capture_default_str();
  AddFormatFlags(*sub, FormatFlags::Json(&flags->json, "ChaosReport"));
  return {sub, [flags]() { return RunChaosCommand(*flags); }};
}

}  // namespace parlab

#include "coordinator/command/command_report.h"

#include <cstdio>
#include <utility>

#include "coordinator/runtime/job_spec.h"
#include "shared/phases.h"
#include "shared/stats.h"

namespace parlab {
namespace {

std::string Micros(double us) {
  char text[32];
  std::snprintf(text, sizeof(text), us < 10 ? "%.1f µs" : "%.0f µs", us);
  return text;
}

// The last line of a stream's tail: what a summary line has room for.
std::string LastLine(std::string tail) {
  while (!tail.empty() && tail.back() == '\n') tail.pop_back();
  const size_t last = tail.rfind('\n');
  return last == std::string::npos ? tail : tail.substr(last + 1);
}

}  // namespace

pb::CommandRunReport SummarizeCommandJob(const CommandJobOutcome& o) {
  pb::CommandRunReport report;
  report.set_command(o.job.command().template_());
  report.set_mode(std::string(ModeName(o.job.mode())));
  report.set_workers(o.job.workers());
  report.set_tasks(o.tasks);
  report.set_settled(o.settled);
  report.set_ok(o.settled - o.failed);
  report.set_failed(o.failed);
  report.set_skipped(o.skipped);
  report.set_not_run(o.tasks > o.settled ? o.tasks - o.settled : 0);
  report.set_halted(o.halt_reason);
  report.set_wall_s(static_cast<double>(o.wall_ns) * 1e-9);
  report.set_startup_s(static_cast<double>(o.startup_ns) * 1e-9);
  if (!o.records.empty()) {
    std::vector<double> series[5];
    double startup = 0, total = 0;
    for (const TaskRecord& r : o.records) {
      const CommandPhases p = SplitCommandPhases(r);
      const int64_t each[5] = {p.spawn_ns, p.exec_ns, p.run_ns, p.exit_ns, p.collection_ns};
      for (int i = 0; i < 5; ++i) series[i].push_back(static_cast<double>(each[i]) * 1e-3);
      startup += static_cast<double>(p.startup_ns());
      total += static_cast<double>(p.startup_ns() + p.run_ns + p.exit_ns);
    }
    const char* names[5] = {"spawn", "exec", "run", "exit", "collection"};
    for (int i = 0; i < 5; ++i) {
      const Summary s = Summarize(series[i]);
      pb::CommandRunReport::Phase& phase = *report.add_phases();
      phase.set_name(names[i]);
      phase.set_median_us(s.median);
      phase.set_mean_us(s.mean);
    }
    if (total > 0) report.set_startup_share(startup / total);
  }
  for (const CommandFailure& f : o.first_failures) {
    pb::CommandRunReport::Failure& failure = *report.add_first_failures();
    failure.set_seq(f.seq);
    failure.set_input(f.input);
    failure.set_why(f.why);
    failure.set_stderr_tail(LastLine(f.stderr_tail));
  }
  report.set_exit_code(CommandExitCode(o));
  for (const std::string& note : o.notes) report.add_notes(note);
  return report;
}

std::vector<std::string> CommandSummaryLines(const pb::CommandRunReport& r) {
  std::vector<std::string> lines;
  char text[256];
  std::snprintf(text, sizeof(text),
                "parlab: %llu task(s) on %d %s in %s: %llu ok, %llu failed, %.3f s (start-up "
                "%.3f s)",
                static_cast<unsigned long long>(r.settled()), r.workers(),
                r.mode() == "procs" ? "worker process(es)" : "thread(s)", r.mode().c_str(),
                static_cast<unsigned long long>(r.ok()),
                static_cast<unsigned long long>(r.failed()), r.wall_s(), r.startup_s());
  lines.emplace_back(text);
  if (r.skipped() > 0) {
    lines.push_back("  " + std::to_string(r.skipped()) +
                    " input(s) skipped: done in the --resume log");
  }
  if (r.not_run() > 0) lines.push_back("  " + std::to_string(r.not_run()) + " input(s) not run");
  if (!r.halted().empty()) lines.push_back("  halted: " + r.halted());
  if (r.phases_size() > 0) {
    std::string line = "  per task, median:";
    for (const pb::CommandRunReport::Phase& phase : r.phases()) {
      line += (line.back() == ':' ? " " : ", ") + phase.name() + " " + Micros(phase.median_us());
    }
    lines.push_back(std::move(line));
    if (r.startup_share() > 0) {
      std::snprintf(text, sizeof(text),
                    "  process start-up (spawn + exec) was %.0f%% of the tasks' time in "
                    "their workers",
                    100.0 * r.startup_share());
      lines.emplace_back(text);
    }
  }
  if (r.first_failures_size() > 0) {
    lines.push_back("  first failures:");
    for (const pb::CommandRunReport::Failure& f : r.first_failures()) {
      std::string line = "    #" + std::to_string(f.seq()) + " " + f.input() + ": " + f.why();
      if (!f.stderr_tail().empty()) line += "; stderr: " + f.stderr_tail();
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

}  // namespace parlab

#include "coordinator/observe/analysis_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstring>
#include <string>
#include <string_view>

#include "coordinator/report/report_format.h"
#include "coordinator/runtime/job_spec.h"
#include "shared/shm/wait_policy.h"

namespace parlab {
namespace {

// Names the reports give the phases (the JSON keeps the short ones).
std::string PhaseTitle(std::string_view phase) {
  if (phase == "wake") return "wake-up";
  if (phase == "queue") return "queued";
  return std::string(phase);
}

std::string Us(double us) { return FormatSeconds(us * 1e-6); }

// A histogram edge of the 1-2-5 series: "500 ns", "1 µs", "20 µs", "5 ms", "1 s".
std::string EdgeLabel(double us) {
  if (us == 0) return "0";
  if (us < 1) return fmt::format("{:g} ns", us * 1e3);
  if (us < 1e3) return fmt::format("{:g} µs", us);
  if (us < 1e6) return fmt::format("{:g} ms", us * 1e-3);
  return fmt::format("{:g} s", us * 1e-6);
}

std::string Percent(double share) { return fmt::format("{:.1f}%", share * 100); }

const pb::PhaseStats* FindPhase(const google::protobuf::RepeatedPtrField<pb::PhaseStats>& phases,
                                const char* name) {
  for (const pb::PhaseStats& p : phases) {
    if (p.phase() == name) return &p;
  }
  return nullptr;
}

std::string StatusName(const pb::TaskIssue& issue) {
  std::string text;
  switch (issue.status()) {
    case pb::TASK_OK:
      text = "ok";
      break;
    case pb::TASK_FAILED:
      text = "failed";
      break;
    case pb::TASK_WORKER_DIED:
      text = "worker died";
      break;
    case pb::TASK_TIMED_OUT:
      text = "timed out";
      break;
    case pb::TASK_CORRUPT_ANSWER:
      text = "corrupt answer";
      break;
    default:
      text = "status " + std::to_string(issue.status());
      break;
  }
  if (issue.signal() > 0) {
    const char* name = sigabbrev_np(issue.signal());
    text += name != nullptr ? fmt::format(" (SIG{})", name)
                            : fmt::format(" (signal {})", issue.signal());
  }
  return text;
}

// seq and blas run on one worker whatever --workers said (as `parlab run` reports them).
int Workers(const pb::JobSpec& job) {
  return job.mode() == pb::SEQ || job.mode() == pb::BLAS ? 1 : job.workers();
}

std::string JobLine(const pb::LogAnalysis& a) {
  if (a.version() == 0) return "job unknown (no header)";
  const pb::JobSpec& job = a.job();
  const std::string what =
      job.has_command() ? "--cmd '" + job.command().template_() + "'" : job.kernel().kernel();
  std::string line = fmt::format("{}, mode {}, {} worker{}", what, a.mode(), Workers(job),
                                 Workers(job) == 1 ? "" : "s");
  if (job.threads() > 1) line += fmt::format(" × {} threads", job.threads());
  if (job.has_command()) {
    line += ", a task per input";  // job.tasks() is not their count: they came as they were read
  } else {
    line += fmt::format(", {} tasks × {} trial{} (warmup {})", job.tasks(), job.trials(),
                        job.trials() == 1 ? "" : "s", job.warmup());
  }
  if (job.mode() == pb::PROCS || job.mode() == pb::HYBRID) {
    line += fmt::format(", wait {}, inflight {}, chunk {}", WaitPolicyName(FromProto(job.wait())),
                        job.inflight(),
                        job.chunk() == 0 ? std::string("auto") : std::to_string(job.chunk()));
  }
  return line;
}

void PrintPhaseTable(const google::protobuf::RepeatedPtrField<pb::PhaseStats>& phases,
                     std::ostream& out) {
  out << fmt::format("  {:<18}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}\n", "per task", "p50", "p90",
                     "p99", "max", "mean", "total");
  for (const pb::PhaseStats& p : phases) {
    out << fmt::format("  {:<18}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}\n", PhaseTitle(p.phase()),
                       Us(p.p50_us()), Us(p.p90_us()), Us(p.p99_us()), Us(p.max_us()),
                       Us(p.mean_us()), FormatSeconds(p.total_s()));
  }
}

void PrintWorkers(const pb::LogAnalysis& a, std::ostream& out) {
  if (a.workers_size() == 0) return;
  // A worker stands out when its median overhead is well above the others'.
  std::vector<double> medians;
  for (const pb::WorkerAnalysis& w : a.workers()) {
    medians.push_back(FindPhase(w.phases(), "overhead")->p50_us());
  }
  std::vector<double> sorted = medians;
  std::sort(sorted.begin(), sorted.end());
  const double typical = sorted[(sorted.size() - 1) / 2];  // the lower median: of 2, the faster
  out << fmt::format("  {:<10}{:>8}{:>11}{:>11}{:>8}  {:>9}{:>9}{:>9}{:>9}  {:>9}\n", "worker",
                     "tasks", "compute", "IPC", "IPC %", "ovh p50", "ovh p90", "ovh p99", "ovh max",
                     "comp p50");
  for (int i = 0; i < a.workers_size(); ++i) {
    const pb::WorkerAnalysis& w = a.workers(i);
    const pb::PhaseStats& o = *FindPhase(w.phases(), "overhead");
    const pb::PhaseStats& c = *FindPhase(w.phases(), "compute");
    const bool slow = a.workers_size() > 1 && o.p50_us() > 1.5 * typical && typical > 0;
    // mpi: "1 r2@host", the worker, its rank and its host.
    const std::string name = w.host().empty()
                                 ? std::to_string(w.worker())
                                 : fmt::format("{} r{}@{}", w.worker(), w.rank(), w.host());
    out << fmt::format("  {:<10}{:>8}{:>11}{:>11}{:>8}  {:>9}{:>9}{:>9}{:>9}  {:>9}{}\n", name,
                       w.tasks(), FormatSeconds(w.compute_s()), FormatSeconds(w.ipc_s()),
                       Percent(w.ipc_share()), Us(o.p50_us()), Us(o.p90_us()), Us(o.p99_us()),
                       Us(o.max_us()), Us(c.p50_us()),
                       slow ? "  ← stands out: overhead p50 > 1.5× a typical worker's" : "");
  }
}

// mpi: the hosts, and each rank's clock against the coordinator's, before
// and after the job (the stamps above are already on the coordinator's clock).
void PrintPlaces(const pb::LogAnalysis& a, std::ostream& out) {
  if (a.hosts_size() > 0) {
    out << fmt::format("  {:<24}{:>8}{:>8}{:>11}{:>11}{:>8}\n", "host", "workers", "tasks",
                       "compute", "IPC", "IPC %");
    for (const pb::HostAnalysis& h : a.hosts()) {
      out << fmt::format("  {:<24}{:>8}{:>8}{:>11}{:>11}{:>8}\n", h.host(), h.workers(), h.tasks(),
                         FormatSeconds(h.compute_s()), FormatSeconds(h.ipc_s()),
                         Percent(h.ipc_share()));
    }
  }
  if (a.places_size() == 0) return;
  out << "  clocks, worker − coordinator (offset ± bound, shortest round trip):\n";
  for (const pb::WorkerPlace& p : a.places()) {
    auto text = [](const pb::ClockEstimate& c) {
      return fmt::format(
          "{:+.1f} ± {:.1f} µs (rtt {:.1f} µs)", static_cast<double>(c.offset_ns()) * 1e-3,
          static_cast<double>(c.bound_ns()) * 1e-3, static_cast<double>(c.round_trip_ns()) * 1e-3);
    };
    out << fmt::format("    rank {} on {} (pid {}, {}): before {}, after {}\n", p.rank(), p.host(),
                       p.pid(), p.path(), p.has_clock_before() ? text(p.clock_before()) : "-",
                       p.has_clock_after() ? text(p.clock_after()) : "- (the job ended early)");
  }
}

void PrintHistogram(const pb::LogAnalysis& a, const ReportStyle& style, std::ostream& out) {
  if (a.overhead_histogram_size() == 0) return;
  int64_t most = 1;
  for (const pb::HistogramBin& bin : a.overhead_histogram()) most = std::max(most, bin.count());
  const double total = static_cast<double>(a.measured_tasks() - a.failed_count());
  out << "  overhead per task (log-scale bins):\n";
  for (const pb::HistogramBin& bin : a.overhead_histogram()) {
    out << fmt::format("  {:>7} – {:<7} {:<{}} {:>9} {:>6}\n", EdgeLabel(bin.low_us()),
                       EdgeLabel(bin.high_us()),
                       Bar(static_cast<double>(bin.count()) / static_cast<double>(most),
                           style.bar_width, style.unicode),
                       style.bar_width, bin.count(),
                       total > 0 ? Percent(static_cast<double>(bin.count()) / total) : "");
  }
}

void PrintIssues(const char* title, int64_t count,
                 const google::protobuf::RepeatedPtrField<pb::TaskIssue>& issues,
                 std::ostream& out) {
  if (count == 0) {
    out << fmt::format("  {}: none\n", title);
    return;
  }
  out << fmt::format(
      "  {}: {}{}\n", title, count,
      count > issues.size() ? fmt::format(" (the first {} listed)", issues.size()) : "");
  for (const pb::TaskIssue& issue : issues) {
    out << fmt::format("    task {} (trial {}, worker {}): attempt {}, {}{}\n", issue.id(),
                       issue.trial(), issue.worker(), issue.attempt(), StatusName(issue),
                       issue.error().empty() ? "" : ": " + issue.error());
  }
}

}  // namespace

std::string Bar(double fraction, int width, bool unicode) {
  fraction = std::clamp(fraction, 0.0, 1.0);
  if (!unicode) return std::string(static_cast<size_t>(std::lround(fraction * width)), '#');
  // U+2588 full block, then U+2589..U+258F: seven eighths down to one eighth.
  static const char* const kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  const long eighths = std::lround(fraction * width * 8);
  std::string bar;
  for (long i = 0; i < eighths / 8; ++i) bar += "█";
  bar += kEighths[eighths % 8];
  // fmt pads by code points, but a bar of 0 eighths in a non-empty bin shows a sliver.
  if (bar.empty() && fraction > 0) bar = "▏";
  return bar;
}

void PrintProblems(const pb::LogAnalysis& a, std::ostream& out) {
  for (const pb::LogProblem& p : a.problems()) {
    if (p.line() > 0) {
      out << fmt::format("warning: {}:{}: {}\n", a.path(), p.line(), p.message());
    } else {
      out << fmt::format("warning: {}: {}\n", a.path(), p.message());
    }
  }
  if (a.problems_count() > a.problems_size()) {
    out << fmt::format("warning: {}: {} more lines could not be used\n", a.path(),
                       a.problems_count() - a.problems_size());
  }
}

void PrintAnalysis(const pb::LogAnalysis& a, const ReportStyle& style, std::ostream& out) {
  out << fmt::format("parlab analyse {}: {}\n", a.path(), JobLine(a));
  if (!a.cpu_model().empty()) {
    out << fmt::format("  machine: {}, {} usable cores, {} build\n", a.cpu_model(),
                       a.usable_cores(), a.build_type());
  }
  out << fmt::format(
      "  {} records: {} tasks of {} measured trial{} analysed, {} warmup records "
      "skipped\n",
      a.records(), a.measured_tasks(), a.trials(), a.trials() == 1 ? "" : "s", a.warmup_skipped());
  out << fmt::format(
      "  {:<18}{:>10}   (each trial from its first submit to its last answer, "
      "summed)\n",
      "wall", FormatSeconds(a.wall_s()));
  out << fmt::format("  {:<18}{:>10}  {:>6}   (summed over tasks; {} of the workers' time)\n",
                     "compute", FormatSeconds(a.compute_s()), Percent(a.compute_share()),
                     Percent(a.utilisation()));
  out << fmt::format("  {:<18}{:>10}  {:>6}   (encode + wake-up + decode + return)\n", "IPC",
                     FormatSeconds(a.ipc_s()), Percent(a.ipc_share()));
  out << fmt::format(
      "  {:<18}{:>10}           (waiting behind the same worker's earlier tasks: "
      "scheduling, not IPC)\n",
      "queued", FormatSeconds(a.queue_s()));
  PrintPhaseTable(a.phases(), out);
  if (a.command_phases_size() > 0) {
    const pb::PhaseStats* startup = FindPhase(a.command_phases(), "start-up");
    const double startup_share = a.compute_s() > 0 ? startup->total_s() / a.compute_s() : 0;
    out << fmt::format(
        "command tasks: their compute split (spawn: pipes and argv; exec: posix_spawn, clone to "
        "exec'd; run: the program; exit: reaping, gathering output; collection: answer back, "
        "output written); start-up (spawn + exec) was {} of the compute\n",
        Percent(startup_share));
    PrintPhaseTable(a.command_phases(), out);
  }
  PrintWorkers(a, out);
  PrintPlaces(a, out);
  PrintHistogram(a, style, out);
  PrintIssues("retried (attempt > 1)", a.retried_count(), a.retried(), out);
  PrintIssues("failed", a.failed_count(), a.failed(), out);
}

void PrintAnalysisColumns(const std::vector<pb::LogAnalysis>& logs, std::ostream& out) {
  constexpr int kLabel = 22;
  constexpr int kColumn = 16;
  auto row = [&](const std::string& label, auto cell) {
    std::string line = fmt::format("{:<{}}", label, kLabel);
    for (const pb::LogAnalysis& a : logs) line += fmt::format("{:>{}}", cell(a), kColumn);
    out << line << "\n";
  };
  auto phase = [](const pb::LogAnalysis& a, const char* name) -> const pb::PhaseStats& {
    static const pb::PhaseStats kNone;
    const pb::PhaseStats* p = FindPhase(a.phases(), name);
    return p != nullptr ? *p : kNone;
  };
  out << "parlab analyse: " << logs.size() << " logs side by side\n";
  for (size_t i = 0; i < logs.size(); ++i) {
    out << fmt::format("  [{}] {}: {}\n", i + 1, logs[i].path(), JobLine(logs[i]));
  }
  row("", [&](const pb::LogAnalysis& a) {
    const size_t i = static_cast<size_t>(&a - logs.data());
    return fmt::format("[{}]", i + 1);
  });
  row("mode", [](const pb::LogAnalysis& a) { return a.mode(); });
  row("workers", [](const pb::LogAnalysis& a) { return std::to_string(Workers(a.job())); });
  row("tasks analysed",
      [](const pb::LogAnalysis& a) { return std::to_string(a.measured_tasks()); });
  row("wall", [](const pb::LogAnalysis& a) { return FormatSeconds(a.wall_s()); });
  row("compute", [](const pb::LogAnalysis& a) { return FormatSeconds(a.compute_s()); });
  row("IPC", [](const pb::LogAnalysis& a) { return FormatSeconds(a.ipc_s()); });
  row("IPC share", [](const pb::LogAnalysis& a) { return Percent(a.ipc_share()); });
  row("utilisation", [](const pb::LogAnalysis& a) { return Percent(a.utilisation()); });
  for (const char* name : {"encode", "queue", "wake", "decode", "compute", "return"}) {
    row(fmt::format("{} p50", PhaseTitle(name)),
        [&](const pb::LogAnalysis& a) { return Us(phase(a, name).p50_us()); });
  }
  for (const char* q : {"p50", "p90", "p99", "max"}) {
    row(fmt::format("overhead {}", q), [&](const pb::LogAnalysis& a) {
      const pb::PhaseStats& o = phase(a, "overhead");
      const double v = std::strcmp(q, "p50") == 0   ? o.p50_us()
                       : std::strcmp(q, "p90") == 0 ? o.p90_us()
                       : std::strcmp(q, "p99") == 0 ? o.p99_us()
                                                    : o.max_us();
      return Us(v);
    });
  }
  row("retried", [](const pb::LogAnalysis& a) { return std::to_string(a.retried_count()); });
  row("failed", [](const pb::LogAnalysis& a) { return std::to_string(a.failed_count()); });
}

Table AnalysisCsvTable(const std::vector<pb::LogAnalysis>& logs) {
  Table table;
  table.columns = {"log",    "worker", "tasks",  "phase",   "p50_us",
                   "p90_us", "p99_us", "max_us", "mean_us", "total_s"};
  auto add = [&table](const std::string& log, const std::string& worker, int64_t tasks,
                      const pb::PhaseStats& phase) {
    auto g = [](double v) { return fmt::format("{:.9g}", v); };
    table.rows.push_back({log, worker, std::to_string(tasks), phase.phase(), g(phase.p50_us()),
                          g(phase.p90_us()), g(phase.p99_us()), g(phase.max_us()),
                          g(phase.mean_us()), g(phase.total_s())});
  };
  for (const pb::LogAnalysis& log : logs) {
    for (const pb::PhaseStats& phase : log.phases()) {
      add(log.path(), "all", log.measured_tasks(), phase);
    }
    for (const pb::PhaseStats& phase : log.command_phases()) {
      add(log.path(), "all", log.measured_tasks(), phase);
    }
    for (const pb::WorkerAnalysis& worker : log.workers()) {
      for (const pb::PhaseStats& phase : worker.phases()) {
        add(log.path(), std::to_string(worker.worker()), worker.tasks(), phase);
      }
    }
  }
  return table;
}

}  // namespace parlab

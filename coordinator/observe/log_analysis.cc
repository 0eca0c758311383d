#include "coordinator/observe/log_analysis.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "coordinator/runtime/job_spec.h"
#include "proto/report.pb.h"
#include "shared/phases.h"
#include "shared/stats.h"

namespace parlab {
namespace {

constexpr double kSmallestBinUs = 0.01;  // 10 ns: below the clock's useful resolution

// The seven series as a PhaseStats list, in the order reports print them.
void AddPhaseStats(PhaseSamples& samples, google::protobuf::RepeatedPtrField<pb::PhaseStats>& out) {
  *out.Add() = PhaseStatsOf("encode", samples.encode);
  *out.Add() = PhaseStatsOf("queue", samples.queue);
  *out.Add() = PhaseStatsOf("wake", samples.wake);
  *out.Add() = PhaseStatsOf("decode", samples.decode);
  *out.Add() = PhaseStatsOf("compute", samples.compute);
  *out.Add() = PhaseStatsOf("return", samples.ret);
  *out.Add() = PhaseStatsOf("overhead", samples.overhead);
}

// The header's env_json is `parlab env --json`, a pb::EnvReport. Logs written
// before it was a message (hand-made JSON with null for the unknown) read the
// same: the parser takes null as unset and numbers for 64-bit fields; a field
// it does not know (a newer log) is skipped.
void FillMachine(const pb::LogHeader& header, pb::LogAnalysis& analysis) {
  if (JsonNestingDepth(header.env_json()) > kMaxJsonDepth) return;
  pb::EnvReport env;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(header.env_json(), &env, options).ok()) return;
  analysis.set_cpu_model(env.cpu().model());
  analysis.set_usable_cores(env.limits().usable_cores());
  analysis.set_build_type(env.build().type());
}

std::string ModeLabel(const pb::JobSpec& job) {
  std::string label(ModeName(job.mode()));
  if (job.mode() == pb::PROCS || job.mode() == pb::HYBRID) {
    label += job.transport() == pb::UDS   ? "/uds"
             : job.transport() != pb::MPI ? "/shm"
             : job.mpi_shm()              ? "/mpi+shm"
                                          : "/mpi";
  }
  return label;
}

// mpi: each worker's rank and host from the header's places, and the
// workers of each host together.
void AddPlaces(const LogContents& log, pb::LogAnalysis& analysis) {
  if (!log.header || log.header->places_size() == 0) return;
  std::map<int32_t, const pb::WorkerPlace*> place_of;
  for (const pb::WorkerPlace& place : log.header->places()) place_of[place.worker()] = &place;
  *analysis.mutable_places() = log.header->places();
  std::map<std::string, pb::HostAnalysis> hosts;
  for (const pb::WorkerPlace& place : log.header->places()) {
    pb::HostAnalysis& host = hosts[place.host()];
    host.set_host(place.host());
    host.set_workers(host.workers() + 1);
  }
  for (pb::WorkerAnalysis& w : *analysis.mutable_workers()) {
    const auto found = place_of.find(w.worker());
    if (found == place_of.end()) continue;
    w.set_rank(found->second->rank());
    w.set_host(found->second->host());
    pb::HostAnalysis& host = hosts[w.host()];
    host.set_tasks(host.tasks() + w.tasks());
    host.set_compute_s(host.compute_s() + w.compute_s());
    host.set_ipc_s(host.ipc_s() + w.ipc_s());
  }
  for (auto& [name, host] : hosts) {
    if (host.compute_s() + host.ipc_s() > 0) {
      host.set_ipc_share(host.ipc_s() / (host.compute_s() + host.ipc_s()));
    }
    *analysis.add_hosts() = std::move(host);
  }
}

pb::TaskIssue IssueOf(const TaskRecord& r, const LogContents& log) {
  pb::TaskIssue issue;
  issue.set_id(r.id);
  issue.set_trial(r.trial);
  issue.set_worker(r.worker);
  issue.set_attempt(r.attempt);
  issue.set_status(static_cast<pb::TaskStatus>(r.outcome));
  issue.set_signal(r.signal);
  for (const auto& [id, error] : log.errors) {
    if (id == r.id) issue.set_error(error);
  }
  return issue;
}

// Command tasks (--cmd): how much of each task's compute was starting its process.
void AddCommandPhases(const std::vector<TaskRecord>& ok, pb::LogAnalysis& analysis) {
  std::vector<double> spawn, exec, run, exit, collection, startup;
  for (const TaskRecord& r : ok) {
    if (r.t.spawn_ns == 0) continue;
    const CommandPhases p = SplitCommandPhases(r);
    spawn.push_back(static_cast<double>(p.spawn_ns));
    exec.push_back(static_cast<double>(p.exec_ns));
    run.push_back(static_cast<double>(p.run_ns));
    exit.push_back(static_cast<double>(p.exit_ns));
    collection.push_back(static_cast<double>(p.collection_ns));
    startup.push_back(static_cast<double>(p.startup_ns()));
  }
  if (spawn.empty()) return;
  *analysis.add_command_phases() = PhaseStatsOf("spawn", spawn);
  *analysis.add_command_phases() = PhaseStatsOf("exec", exec);
  *analysis.add_command_phases() = PhaseStatsOf("run", run);
  *analysis.add_command_phases() = PhaseStatsOf("exit", exit);
  *analysis.add_command_phases() = PhaseStatsOf("collection", collection);
  *analysis.add_command_phases() = PhaseStatsOf("start-up", startup);
}

}  // namespace

std::vector<TaskRecord> SelectRecords(const std::vector<TaskRecord>& records,
                                      const AnalysisOptions& options) {
  std::vector<TaskRecord> selected;
  selected.reserve(records.size());
  for (const TaskRecord& r : records) {
    if (r.trial >= 0 || options.include_warmup) selected.push_back(r);
  }
  return selected;
}

pb::PhaseStats PhaseStatsOf(const char* phase, std::vector<double>& values_ns) {
  pb::PhaseStats stats;
  stats.set_phase(phase);
  if (values_ns.empty()) return stats;
  std::sort(values_ns.begin(), values_ns.end());
  double total = 0;
  for (double v : values_ns) total += v;
  stats.set_p50_us(Percentile(values_ns, 50) * 1e-3);
  stats.set_p90_us(Percentile(values_ns, 90) * 1e-3);
  stats.set_p99_us(Percentile(values_ns, 99) * 1e-3);
  stats.set_max_us(values_ns.back() * 1e-3);
  stats.set_mean_us(total / static_cast<double>(values_ns.size()) * 1e-3);
  stats.set_total_s(total * 1e-9);
  return stats;
}

std::vector<pb::HistogramBin> LogHistogram(const std::vector<double>& values_us) {
  std::vector<pb::HistogramBin> bins;
  if (values_us.empty()) return bins;
  const auto [min_it, max_it] = std::minmax_element(values_us.begin(), values_us.end());
  const double smallest = std::max(*min_it, kSmallestBinUs);
  const double largest = std::max(*max_it, kSmallestBinUs);
  // Edges 1, 2, 5 × 10^k: the k and step of the edge at or below `smallest`.
  static constexpr double kSteps[] = {1, 2, 5};
  auto edge = [](int decade, int step) { return kSteps[step] * std::pow(10.0, decade); };
  int decade = static_cast<int>(std::floor(std::log10(smallest)));
  int step = 0;
  while (step < 2 && edge(decade, step + 1) <= smallest) ++step;
  std::vector<double> edges = {edge(decade, step)};
  while (edges.back() <= largest) {
    if (++step == 3) {
      step = 0;
      ++decade;
    }
    edges.push_back(edge(decade, step));
  }
  for (size_t i = 0; i + 1 < edges.size(); ++i) {
    pb::HistogramBin bin;
    bin.set_low_us(edges[i]);
    bin.set_high_us(edges[i + 1]);
    bins.push_back(bin);
  }
  if (*min_it <= kSmallestBinUs) bins.front().set_low_us(0);
  for (double v : values_us) {
    // upper_bound: the first edge above v; its bin is the one before it.
    const auto above = std::upper_bound(edges.begin(), edges.end(), v);
    size_t index = above == edges.begin() ? 0 : static_cast<size_t>(above - edges.begin()) - 1;
    index = std::min(index, bins.size() - 1);
    bins[index].set_count(bins[index].count() + 1);
  }
  return bins;
}

pb::LogAnalysis AnalyseLog(const LogContents& log, const AnalysisOptions& options) {
  pb::LogAnalysis analysis;
  analysis.set_path(log.path);
  if (log.header) {
    analysis.set_version(log.header->version());
    *analysis.mutable_job() = log.header->job();
    analysis.set_mode(ModeLabel(log.header->job()));
    FillMachine(*log.header, analysis);
  }
  for (const LogLineProblem& problem : log.problems) {
    pb::LogProblem& p = *analysis.add_problems();
    p.set_line(problem.line);
    p.set_message(problem.message);
  }
  analysis.set_problems_count(log.problem_count);
  analysis.set_records(static_cast<int64_t>(log.records.size()));

  const std::vector<TaskRecord> all = SelectRecords(log.records, options);
  analysis.set_warmup_skipped(static_cast<int64_t>(log.records.size() - all.size()));
  // Phases only mean something for tasks that ran to the end.
  std::vector<TaskRecord> ok;
  ok.reserve(all.size());
  for (const TaskRecord& r : all) {
    if (r.outcome == TaskOutcome::kOk) {
      ok.push_back(r);
    } else {
      analysis.set_failed_count(analysis.failed_count() + 1);
      if (analysis.failed_size() < kMaxIssuesListed) *analysis.add_failed() = IssueOf(r, log);
    }
    if (r.attempt > 1) {
      analysis.set_retried_count(analysis.retried_count() + 1);
      if (analysis.retried_size() < kMaxIssuesListed) *analysis.add_retried() = IssueOf(r, log);
    }
  }
  analysis.set_measured_tasks(static_cast<int64_t>(all.size()));

  // Wall: each trial from its first submit to its last answer taken.
  std::map<int32_t, std::pair<int64_t, int64_t>> trial_span;
  for (const TaskRecord& r : all) {
    auto [it, inserted] = trial_span.try_emplace(r.trial, r.t.submit_ns, r.t.result_dequeued_ns);
    if (!inserted) {
      it->second.first = std::min(it->second.first, r.t.submit_ns);
      it->second.second = std::max(it->second.second, r.t.result_dequeued_ns);
    }
  }
  double wall_ns = 0;
  for (const auto& [trial, span] : trial_span) {
    wall_ns += static_cast<double>(std::max<int64_t>(0, span.second - span.first));
  }
  analysis.set_trials(static_cast<int32_t>(trial_span.size()));
  analysis.set_wall_s(wall_ns * 1e-9);

  const std::vector<TaskPhases> phases = SplitPhases(ok);
  PhaseSamples series;
  std::map<int32_t, PhaseSamples> by_worker;
  double compute_ns = 0, ipc_ns = 0, queue_ns = 0;
  std::vector<double> overhead_us;
  overhead_us.reserve(phases.size());
  for (size_t i = 0; i < phases.size(); ++i) {
    const TaskPhases& p = phases[i];
    series.Add(p);
    by_worker[ok[i].worker].Add(p);
    compute_ns += static_cast<double>(p.compute_ns);
    ipc_ns += static_cast<double>(p.overhead_ns());
    queue_ns += static_cast<double>(p.queue_ns);
    overhead_us.push_back(static_cast<double>(p.overhead_ns()) * 1e-3);
  }
  analysis.set_compute_s(compute_ns * 1e-9);
  analysis.set_ipc_s(ipc_ns * 1e-9);
  analysis.set_queue_s(queue_ns * 1e-9);
  if (compute_ns + ipc_ns > 0) {
    analysis.set_compute_share(compute_ns / (compute_ns + ipc_ns));
    analysis.set_ipc_share(ipc_ns / (compute_ns + ipc_ns));
  }
  const int units = log.header ? ParallelUnits(log.header->job())
                               : static_cast<int>(std::max<size_t>(1, by_worker.size()));
  if (wall_ns > 0) analysis.set_utilisation(compute_ns / (wall_ns * std::max(1, units)));
  AddPhaseStats(series, *analysis.mutable_phases());
  for (auto& [worker, worker_series] : by_worker) {
    pb::WorkerAnalysis& w = *analysis.add_workers();
    w.set_worker(worker);
    w.set_tasks(static_cast<int64_t>(worker_series.size()));
    AddPhaseStats(worker_series, *w.mutable_phases());
    const double compute = w.phases(4).total_s();
    const double ipc = w.phases(6).total_s();
    w.set_compute_s(compute);
    w.set_ipc_s(ipc);
    if (compute + ipc > 0) w.set_ipc_share(ipc / (compute + ipc));
  }
  AddPlaces(log, analysis);
  for (pb::HistogramBin& bin : LogHistogram(overhead_us)) {
    *analysis.add_overhead_histogram() = std::move(bin);
  }
  AddCommandPhases(ok, analysis);
  return analysis;
}

}  // namespace parlab

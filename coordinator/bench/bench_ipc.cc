#include "coordinator/bench/bench_ipc.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "coordinator/bench/bench_ipc_report.h"
#include "coordinator/bench/ipc_references.h"
#include "coordinator/bench/python_pool.h"
#include "coordinator/bench/sized_job.h"
#include "coordinator/report/progress.h"
#include "coordinator/runtime/job_runner.h"
#include "coordinator/runtime/job_spec.h"
#include "coordinator/runtime/job_summary.h"
#include "coordinator/runtime/mpi_launch.h"
#ifdef PARLAB_HAVE_MPI
#include "shared/mpi/mpi_clock.h"
#include "shared/mpi/mpi_world.h"
#endif
#include "shared/clock.h"
#include "shared/kernels/kernel.h"
#include "shared/platform/affinity.h"
#include "shared/stats.h"

namespace parlab {
namespace {

// How much time each part may take. A job gets job_s for its warmup and its
// measured trial together, sized from a probe (sized_job.h); ~20 jobs and 5
// references make the ~60 s default (~10 s quick).
struct Budget {
  double reference_s;
  double job_s;
  int max_tasks;
  int max_chunked_tasks;  // chunked rows: tasks cost tens of ns there
  double python_s;        // each measured Pool.map
};
constexpr Budget kDefaultBudget = {1.5, 2.2, 20'000, 400'000, 1.0};
constexpr Budget kQuickBudget = {0.25, 0.35, 5'000, 50'000, 0.2};

// The payload sizes: sum of an n×n double matrix, n² × 8 bytes ≈ 64 B,
// 64 KB, 800 KB, 8 MB.
constexpr int64_t kPayloadOrders[] = {3, 90, 316, 1024};

pb::JobSpec IpcJob(const char* kernel, int64_t n, pb::Transport transport, pb::WaitPolicy wait,
                   int workers, int inflight, int chunk = 1) {
  pb::JobSpec job = DefaultJob();
  *job.mutable_kernel() = FindKernel(kernel)->Defaults();
  if (n > 0) job.mutable_kernel()->set_n(n);
  job.set_mode(pb::PROCS);
  job.set_transport(transport);
  job.set_wait(wait);
  job.set_workers(workers);
  job.set_threads(1);
  job.set_inflight(inflight);
  job.set_chunk(chunk);
  return job;
}

LatencyRow Latency(std::string name, std::string what, std::vector<double> samples_ns) {
  std::sort(samples_ns.begin(), samples_ns.end());
  LatencyRow row;
  row.name = std::move(name);
  row.what = std::move(what);
  row.count = static_cast<int64_t>(samples_ns.size());
  row.median_us = Percentile(samples_ns, 50) * 1e-3;
  row.p99_us = Percentile(samples_ns, 99) * 1e-3;
  return row;
}

// Per task: result taken by the coordinator − the coordinator decided to send it.
LatencyRow EndToEnd(std::string name, std::string what, const JobOutcome& outcome) {
  std::vector<double> samples;
  samples.reserve(outcome.records.size());
  for (const TaskRecord& r : outcome.records) {
    samples.push_back(static_cast<double>(r.t.result_dequeued_ns - r.t.submit_ns));
  }
  return Latency(std::move(name), std::move(what), std::move(samples));
}

// The bench's progress line, on a terminal only: "[7/27] payload n=1024 uds"
// and, within a step, each of its jobs' tasks as the mode reports them, with
// their rate and ETA (a step's task count is known once its probe has run).
// A task is counted on the coordinator's thread between taking a result and
// sending the next task (runtime/mode.h TaskDoneListener), so a redraw falls
// outside every task's round trip: the latency rows' stamps never include it.
// A throughput row's wall does include its redraws: at most ten a second
// (report/progress.h), one short write(2) each, against the row's tens of
// thousands of tasks a second.
class StepLine {
 public:
  explicit StepLine(int steps) : line_(Progress::OnStderr(0)), steps_(steps) {}
  // The next step: a count of its own on the line, named.
  Progress* Next(const std::string& what) {
    step_ = std::min(step_ + 1, steps_);
    line_->StartCount(0);
    line_->SetStage(fmt::format("bench ipc [{}/{}]: {}", step_, steps_, what));
    return line_.get();
  }
  // Erases the line for good, before the tables are printed.
  void Close() { line_.reset(); }

 private:
  std::unique_ptr<Progress> line_;
  const int steps_;
  int step_ = 0;
};

// The sum kernel's input of an n×n matrix.
uint64_t PayloadBytes(int64_t n) {
  const Kernel* sum = FindKernel("sum");
  pb::KernelParams params = sum->Defaults();
  params.set_n(n);
  return sum->InputBytes(params);
}

// Also starts the payload rows: each row's raw floor, a spin round trip whose
// peer streams that row's bytes, is measured here with the other references
// (they fork, before any job's pool exists); MeasurePayloads fills the rest.
Status MeasureReferences(const Budget& budget, IpcReport& report, StepLine& line) {
  line.Next("raw references");
  IpcReferenceOptions options;
  options.max_round_trips = budget.max_tasks;
  options.max_seconds = budget.reference_s;
  for (int64_t n : kPayloadOrders) options.streamed_bytes.push_back(PayloadBytes(n));
  PARLAB_ASSIGN_OR_RETURN(IpcReferences refs, MeasureIpcReferences(options));
  report.pinning = refs.cpus.empty()
                       ? "not pinned (fewer than 2 usable CPUs)"
                       : fmt::format(
                             "the two processes of each round trip pinned to CPUs {} and "
                             "{} (sched_setaffinity)",
                             refs.cpus[0], refs.cpus[1]);
  report.fork_note = fmt::format(
      "reference peers are forked without exec and run only async-signal-safe code (this "
      "process ran {} thread(s) then); parlab's own rows fork+exec parlab-worker, unpinned",
      refs.threads);
  for (IpcReference& ref : refs.references) {
    report.references.push_back(
        Latency(std::move(ref.name), std::move(ref.what), std::move(ref.round_trip_ns)));
  }
  for (size_t i = 0; i < refs.streamed.size(); ++i) {
    PayloadRow row;
    row.n = kPayloadOrders[i];
    row.bytes = refs.streamed[i].bytes;
    row.raw_spin_us = Latency("", "", std::move(refs.streamed[i].round_trip_ns)).median_us;
    report.payloads.push_back(row);
  }
  return Status::Ok();
}

// The raw reference with the same kind of wait as a parlab round trip.
const LatencyRow* ReferenceFor(const IpcReport& report, const std::string& name) {
  for (const LatencyRow& row : report.references) {
    if (row.name == name) return &row;
  }
  return nullptr;
}

RoundTripRow RoundTrip(const char* name, const JobOutcome& outcome, int cores) {
  const pb::JobSummary summary = SummarizeJob(outcome, cores);
  RoundTripRow row;
  row.latency = EndToEnd(name, "noop task, result taken − submitted", outcome);
  row.encode_us = summary.encode_median_us();
  row.queue_us = summary.queue_median_us();
  row.wake_us = summary.wake_median_us();
  row.decode_us = summary.decode_median_us();
  row.compute_us = summary.compute_median_us();
  row.return_us = summary.return_median_us();
  row.overhead_us = summary.overhead_median_us();
  return row;
}

struct RoundTripConfig {
  const char* name;
  pb::Transport transport;
  pb::WaitPolicy wait;
  const char* reference;
};
constexpr RoundTripConfig kRoundTrips[] = {
    {"shm spin", pb::SHM, pb::SPIN, "spin"},
    {"shm block", pb::SHM, pb::BLOCK, "futex"},
    // the default: issue 13 holds it to 1.5× spin (1.2× block when oversubscribed)
    {"shm adaptive", pb::SHM, pb::ADAPTIVE, "spin"},
    {"uds", pb::UDS, pb::BLOCK, "socketpair"}};

// What parlab's own stamps add to a round trip, measured here and now: a
// noop's reads the stamp clock six times between its submit and its answer
// taken (ordered: the worker's dequeue, the coordinator's answer found;
// unordered: submit, enqueued, compute start and end — decoded and result
// enqueued are the compute's own), where a raw reference reads it at its
// two ends (and Open MPI's rank 1 once more). That much of each ratio's
// excess is the measurement.
std::string StampCostNote() {
  constexpr int kReads = 1 << 20;
  volatile int64_t sink = 0;  // keeps every read
  const int64_t start_ns = NowNs();
  for (int i = 0; i < kReads; ++i) sink = NowNs();
  const int64_t ordered_end_ns = NowNs();
  for (int i = 0; i < kReads; ++i) sink = NowNsUnordered();
  const int64_t end_ns = NowNs();
  static_cast<void>(sink);
  const double ordered_ns = static_cast<double>(ordered_end_ns - start_ns) / kReads;
  const double unordered_ns = static_cast<double>(end_ns - ordered_end_ns) / kReads;
  return fmt::format(
      "parlab's stamps: a noop round trip on shm or mpi reads the stamp clock 6 times, 2 ordered "
      "({:.1f} ns a read here, now) and 4 unordered ({:.1f} ns): {:.2f} µs of its median, where a "
      "raw reference reads it at its two ends (Open MPI's once more, on rank 1)",
      ordered_ns, unordered_ns, (2 * ordered_ns + 4 * unordered_ns) / 1000);
}

Status MeasureRoundTrips(const Budget& budget, IpcReport& report, StepLine& line) {
  for (const RoundTripConfig& config : kRoundTrips) {
    Progress* progress = line.Next(std::string("round trip ") + config.name);
    PARLAB_ASSIGN_OR_RETURN(JobOutcome outcome,
                            RunSizedJob(IpcJob("noop", 0, config.transport, config.wait, 1, 1),
                                        budget.max_tasks, budget.job_s, progress));
    RoundTripRow row = RoundTrip(config.name, outcome, report.cores);
    row.reference = config.reference;
    if (const LatencyRow* ref = ReferenceFor(report, config.reference); ref && ref->median_us > 0) {
      row.reference_ratio = row.latency.median_us / ref->median_us;
    }
    report.round_trips.push_back(row);
  }
  return Status::Ok();
}

// The rows MeasureReferences started, one per payload order.
Status MeasurePayloads(const Budget& budget, IpcReport& report, StepLine& line) {
  for (PayloadRow& row : report.payloads) {
    const int64_t n = row.n;
    for (pb::Transport transport : {pb::SHM, pb::UDS}) {
      const bool uds = transport == pb::UDS;
      Progress* progress = line.Next(fmt::format("payload n={} {}", n, uds ? "uds" : "shm"));
      // shm waits adaptively, as a user's job would by default; uds always
      // sleeps in epoll.
      Result<JobOutcome> outcome = RunSizedJob(IpcJob("sum", n, transport, pb::ADAPTIVE, 1, 1),
                                               budget.max_tasks, budget.job_s, progress);
      if (!outcome.ok()) return outcome.status();
      const LatencyRow latency = EndToEnd("", "", *outcome);
      const double gbps =
          latency.median_us > 0 ? static_cast<double>(row.bytes) / (latency.median_us * 1e3) : 0;
      row.tasks = static_cast<int64_t>(outcome->records.size());
      (uds ? row.uds_us : row.shm_us) = latency.median_us;
      (uds ? row.uds_p99_us : row.shm_p99_us) = latency.p99_us;
      (uds ? row.uds_gbps : row.shm_gbps) = gbps;
    }
    // What the input's size adds to the round trip itself: shm spinning, as
    // its raw floor spins, and the task's overhead (end to end − compute).
    Progress* progress = line.Next(fmt::format("payload n={} shm spin", n));
    PARLAB_ASSIGN_OR_RETURN(JobOutcome spun, RunSizedJob(IpcJob("sum", n, pb::SHM, pb::SPIN, 1, 1),
                                                         budget.max_tasks, budget.job_s, progress));
    row.shm_spin_overhead_us = SummarizeJob(spun, report.cores).overhead_median_us();
  }
  return Status::Ok();
}

// 1, 2 and every usable core, ascending, without repeats.
std::vector<int> ThroughputWorkers(int cores) {
  std::vector<int> workers = {1, 2};
  if (cores > 2) workers.push_back(cores);
  return workers;
}

constexpr const char* kPythonOne = "python Pool.map, chunksize 1";
constexpr const char* kPythonBatched = "python Pool.map, default chunksize";

// chunk 0 is --chunk auto (Pool.map's own rule); the unbatched rows are read
// against Python's one task a message, the chunked ones against its default
// chunksize.
struct ThroughputConfig {
  const char* name;
  pb::Transport transport;
  pb::WaitPolicy wait;
  int chunk;
  const char* reference;
};
constexpr ThroughputConfig kThroughputs[] = {
    {"shm adaptive, chunk 1 (the defaults)", pb::SHM, pb::ADAPTIVE, 1, kPythonOne},
    {"shm spin, chunk 1", pb::SHM, pb::SPIN, 1, kPythonOne},
    {"uds, chunk 1", pb::UDS, pb::BLOCK, 1, kPythonOne},
    {"shm adaptive, chunk auto", pb::SHM, pb::ADAPTIVE, 0, kPythonBatched},
    {"shm spin, chunk 1000", pb::SHM, pb::SPIN, 1000, kPythonBatched}};

Status MeasureThroughput(const Budget& budget, IpcReport& report, StepLine& line) {
  for (const ThroughputConfig& config : kThroughputs) {
    ThroughputRow row;
    row.name = config.name;
    row.reference = config.reference;
    for (int workers : report.throughput_workers) {
      Progress* progress =
          line.Next(fmt::format("throughput {}, {} worker(s)", config.name, workers));
      // A chunked row is capped at tens of ms a trial (its tasks cost tens of
      // ns), where one pause of a VM (~50 ms here) was the figure: three
      // trials, and the median one counts (1 worker, chunk auto: 3.5 to 26
      // M/s across runs with one).
      const bool chunked = config.chunk != 1;
      Result<JobOutcome> outcome =
          RunSizedJob(IpcJob("noop", 0, config.transport, config.wait, workers, 2, config.chunk),
                      chunked ? budget.max_chunked_tasks : budget.max_tasks, budget.job_s, progress,
                      chunked ? 3 : 1);
      if (!outcome.ok()) return outcome.status();
      const pb::JobSummary summary = SummarizeJob(*outcome, report.cores);
      row.tasks_per_s.push_back(summary.wall_median_s() > 0
                                    ? static_cast<double>(outcome->job.tasks()) /
                                          summary.wall_median_s()
                                    : 0);
    }
    report.throughput.push_back(std::move(row));
  }
  // The raw spin round trip as a rate: one message each way, one in flight.
  if (const LatencyRow* spin = ReferenceFor(report, "spin"); spin && spin->median_us > 0) {
    ThroughputRow raw;
    raw.name = "raw spin ping-pong (1 in flight)";
    raw.tasks_per_s.assign(report.throughput_workers.size(), 0);
    raw.tasks_per_s[0] = 1e6 / spin->median_us;
    report.throughput.insert(report.throughput.begin(), std::move(raw));
  }
  return Status::Ok();
}

// Python's Pool.map, the peer, at the same worker counts; skipped with the
// reason when there is no python3.
Status MeasurePoolMapRows(const Budget& budget, IpcReport& report, StepLine& line) {
  ThroughputRow one, batched;
  one.name = kPythonOne;
  batched.name = kPythonBatched;
  const std::string python = PoolMapPython();
  std::string version;
  for (int workers : report.throughput_workers) {
    line.Next(fmt::format("throughput python Pool.map, {} worker(s)", workers));
    Result<PoolMapRates> rates = MeasurePoolMap(python, workers, budget.python_s);
    if (!rates.ok()) {
      report.notes.push_back("Python's Pool.map rows skipped: " + rates.status().message());
      return Status::Ok();
    }
    version = rates->python;
    one.tasks_per_s.push_back(rates->one_per_message);
    batched.tasks_per_s.push_back(rates->batched);
  }
  report.throughput.push_back(std::move(one));
  report.throughput.push_back(std::move(batched));
  report.notes.push_back(fmt::format(
      "Pool.map rows: {} (Python {}), multiprocessing's fork context, map of a function that "
      "returns its argument; default chunksize = ceil(tasks / (4 × workers)), as --chunk auto",
      python, version));
  return Status::Ok();
}

// Under `mpirun -n 2 parlab bench ipc`: Open MPI's own ping-pong between
// rank 0 and rank 1, and parlab's noop round trip over the mpi transport to
// the same rank, on the same path (shared memory on one host, the network
// across two), measured last: MPI_Init comes after every fork of the rows
// above.
// The MPI rows' steps on the progress line: none unless they run.
int MpiSteps() {
  const MpiLaunch launch = DetectMpiLaunch();
  return MpiTransportBuilt() && launch.under_mpirun && launch.size == 2 ? 5 : 0;
}

Status MeasureMpi([[maybe_unused]] const Budget& budget, IpcReport& report,
                  [[maybe_unused]] StepLine& line) {
  const MpiLaunch launch = DetectMpiLaunch();
  if (!MpiTransportBuilt()) {
    report.notes.push_back("no MPI rows: " + HowToEnableMpi());
    return Status::Ok();
  }
  if (!launch.under_mpirun || launch.size != 2) {
    report.notes.push_back(
        "no MPI rows: run `mpirun --bind-to none -n 2 parlab bench ipc` (add --host a,b for two "
        "hosts) for Open MPI's ping-pong and the mpi transport, rank 1 answering");
    return Status::Ok();
  }
#ifdef PARLAB_HAVE_MPI
  line.Next("mpi ping-pong");
  PARLAB_RETURN_IF_ERROR(MpiWorld::Get().status());  // MPI_Init, once for the process
  // The same exchange as the clock estimate: MPI_Send 0 B, MPI_Recv 8 B, the
  // worker's loop answering from its posted receive (MPI_Test, MPI_Send):
  // MPI's cheapest exchange, and no parlab work in it.
  const int64_t timeout_ns = 5'000'000'000;
  PARLAB_RETURN_IF_ERROR(ExchangePings(1, 100, timeout_ns).status());  // warm-up
  const int64_t pings = std::max<int64_t>(1000, budget.max_tasks);
  const int64_t start_ns = NowNs();
  std::vector<double> round_trips;
  while (static_cast<int64_t>(round_trips.size()) < pings &&
         NowNs() - start_ns < static_cast<int64_t>(budget.reference_s * 1e9)) {
    PARLAB_ASSIGN_OR_RETURN(std::vector<ClockSample> samples, ExchangePings(1, 100, timeout_ns));
    for (const ClockSample& s : samples) {
      round_trips.push_back(static_cast<double>(s.received_ns - s.sent_ns));
    }
  }
  report.references.push_back(Latency("mpi (Open MPI)",
                                      "ping-pong rank 0 ↔ rank 1: MPI_Send 0 B, MPI_Recv 8 B",
                                      std::move(round_trips)));
  const double raw_us = report.references.back().median_us;
  for (pb::WaitPolicy wait : {pb::SPIN, pb::ADAPTIVE}) {
    const char* name = wait == pb::SPIN ? "mpi spin" : "mpi adaptive";
    Progress* progress = line.Next(std::string("round trip ") + name);
    PARLAB_ASSIGN_OR_RETURN(JobOutcome outcome,
                            RunSizedJob(IpcJob("noop", 0, pb::MPI, wait, 1, 1), budget.max_tasks,
                                        budget.job_s, progress));
    report.round_trips.push_back(RoundTrip(name, outcome, report.cores));
  }
  const double transport_us = report.round_trips[report.round_trips.size() - 2].latency.median_us;
  if (raw_us > 0) {
    report.notes.push_back(
        fmt::format("mpi spin round trip / Open MPI ping-pong = {:.2f}× (target ≤ 1.5×: {})",
                    transport_us / raw_us, transport_us <= 1.5 * raw_us ? "met" : "not met"));
  }
  Progress* progress = line.Next("throughput mpi spin");
  PARLAB_ASSIGN_OR_RETURN(JobOutcome outcome,
                          RunSizedJob(IpcJob("noop", 0, pb::MPI, pb::SPIN, 1, 2), budget.max_tasks,
                                      budget.job_s, progress));
  ThroughputRow row;
  row.name = "mpi spin";
  // One worker only (a rank each): the other worker counts stay 0, not measured.
  for (int workers : report.throughput_workers) {
    row.tasks_per_s.push_back(workers == 1 ? SummarizeJob(outcome, report.cores).tasks_per_s() : 0);
  }
  report.throughput.push_back(std::move(row));
  // mpi+shm: the same rank over the shm transport's rings when it shares
  // this host (MPI_COMM_TYPE_SHARED); on another host it is the mpi row again.
  progress = line.Next("round trip mpi+shm spin");
  pb::JobSpec shm_path = IpcJob("noop", 0, pb::MPI, pb::SPIN, 1, 1);
  shm_path.set_mpi_shm(true);
  PARLAB_ASSIGN_OR_RETURN(outcome, RunSizedJob(shm_path, budget.max_tasks, budget.job_s, progress));
  report.round_trips.push_back(RoundTrip("mpi+shm spin", outcome, report.cores));
  const bool on_shm = !outcome.places.empty() && outcome.places.front().path() == "shm";
  report.notes.push_back(on_shm
                             ? "mpi+shm spin: rank 1 shares this host, so its frames took the "
                               "shm transport's rings (mpirun started it, parlab did not fork it)"
                             : "mpi+shm spin: rank 1 is on another host, so its frames took "
                               "MPI messages, as the mpi rows");
#endif
  return Status::Ok();
}

}  // namespace

Status RunBenchIpc(const IpcOptions& options) {
  const int64_t start_ns = NowNs();
  const Budget budget = options.quick ? kQuickBudget : kDefaultBudget;
  IpcReport report;
  report.quick = options.quick;
  Result<std::vector<int>> cpus = AllowedCpus();
  report.cores = cpus.ok() ? static_cast<int>(cpus->size()) : 0;
  double load[1] = {0};
  if (getloadavg(load, 1) == 1) report.load = load[0];

  report.throughput_workers = ThroughputWorkers(report.cores);
  const auto worker_counts = static_cast<int>(report.throughput_workers.size());
  StepLine line(1 + static_cast<int>(std::size(kRoundTrips)) +
                3 * static_cast<int>(std::size(kPayloadOrders)) +
                (static_cast<int>(std::size(kThroughputs)) + 1) * worker_counts + MpiSteps());
  // The references first: they fork, and must do so before any job's pool
  // (and its SIGCHLD signal_set) exists.
  Status status = MeasureReferences(budget, report, line);
  if (status.ok()) status = MeasureRoundTrips(budget, report, line);
  if (status.ok()) status = MeasurePayloads(budget, report, line);
  if (status.ok()) status = MeasureThroughput(budget, report, line);
  if (status.ok()) status = MeasurePoolMapRows(budget, report, line);
  if (status.ok()) status = MeasureMpi(budget, report, line);
  line.Close();
  if (!status.ok()) return status;
  if (report.cores < 3) {
    report.notes.push_back(fmt::format(
        "{} usable cores: with 2 workers, spinning sides share cores with each other and with "
        "anything else running",
        report.cores));
  }
  report.notes.push_back("uds has no spin policy: its rows always sleep in epoll");
  report.notes.push_back(StampCostNote());
  report.seconds = static_cast<double>(NowNs() - start_ns) * 1e-9;
  if (options.json) {
    std::cout << IpcReportJson(report) << "\n";
  } else if (options.markdown) {
    std::cout << IpcReportMarkdown(report);
  } else if (options.csv) {
    std::cout << IpcReportCsv(report);
  } else {
    std::cout << IpcReportText(report);
  }
  std::cout << std::flush;
  return std::cout ? Status::Ok() : Internal("cannot write the report to stdout");
}

}  // namespace parlab

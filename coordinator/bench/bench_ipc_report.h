#pragma once
// The figures of `parlab bench ipc` and their renderings: the tables, the
// --json object, Markdown and CSV. Pure: no measurement here (bench_ipc.cc measures,
// ipc_references.cc times the raw primitives). Thread-safe.

#include <cstdint>
#include <string>
#include <vector>

namespace parlab {

struct LatencyRow {
  std::string name;   // "pipe", "shm spin", "uds", ...
  std::string what;   // how it was measured
  int64_t count = 0;  // round trips or tasks measured
  double median_us = 0;
  double p99_us = 0;
};

// parlab's noop round trip, with the phase medians of SummarizeJob.
struct RoundTripRow {
  LatencyRow latency;
  double encode_us = 0, queue_us = 0, wake_us = 0, decode_us = 0, compute_us = 0, return_us = 0;
  double overhead_us = 0;
  std::string reference;  // the raw reference with the same kind of wait ("spin", "futex", ...)
  double reference_ratio = 0;  // median / the reference's median; 0: no reference measured
};

struct PayloadRow {
  int64_t n = 0;       // sum of an n×n matrix
  uint64_t bytes = 0;  // the task's input, as the kernel sizes it
  int64_t tasks = 0;
  double shm_us = 0, shm_p99_us = 0, shm_gbps = 0;
  double uds_us = 0, uds_p99_us = 0, uds_gbps = 0;
  // What the size adds to the trip: shm --wait spin's overhead per task (end
  // to end − compute, median), beside its floor, a raw spin round trip whose
  // peer streamed the same bytes (less the streaming). 0: not measured.
  double shm_spin_overhead_us = 0;
  double raw_spin_us = 0;
};

// Noop tasks per second at each of IpcReport::throughput_workers.
struct ThroughputRow {
  std::string name;                 // "shm adaptive, chunk 1", "python Pool.map, chunksize 1", ...
  std::string reference;            // the row this one's ratios are against ("": none)
  std::vector<double> tasks_per_s;  // one per throughput_workers entry; 0: not measured
};

struct IpcReport {
  int cores = 0;          // usable CPUs
  double load = 0;        // 1-minute load average when the bench started
  std::string pinning;    // "peers pinned to CPUs 0 and 1" or why not
  std::string fork_note;  // how the reference peers were started
  bool quick = false;
  double seconds = 0;  // how long the bench took
  std::vector<LatencyRow> references;
  std::vector<RoundTripRow> round_trips;
  std::vector<PayloadRow> payloads;
  std::vector<int> throughput_workers;  // 1, 2 and all usable cores
  std::vector<ThroughputRow> throughput;
  std::vector<std::string> notes;
};

std::string IpcReportText(const IpcReport& report);
// One JSON object on one line, no trailing newline.
std::string IpcReportJson(const IpcReport& report);
// The five tables as Markdown, each under a "### " heading (report/table.h).
std::string IpcReportMarkdown(const IpcReport& report);
// The five tables as one long CSV, a row per value (report/message_table.h):
// table,row,name,field,value — the --json message's rows, flattened.
std::string IpcReportCsv(const IpcReport& report);

}  // namespace parlab

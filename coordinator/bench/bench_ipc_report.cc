#include "coordinator/bench/bench_ipc_report.h"

#include <fmt/format.h>

#include <cmath>

#include "coordinator/report/json_output.h"
#include "coordinator/report/message_table.h"
#include "coordinator/report/table.h"
#include "proto/report.pb.h"

namespace parlab {
namespace {

std::string Bytes(uint64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  if (bytes < (1u << 20)) return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
  return fmt::format("{:.2f} MiB", static_cast<double>(bytes) / (1u << 20));
}

// "1.23 M/s", "456 k/s", "789/s".
std::string Rate(double per_s) {
  if (per_s >= 1e6) return fmt::format("{:.2f} M/s", per_s * 1e-6);
  if (per_s >= 1e3) return fmt::format("{:.1f} k/s", per_s * 1e-3);
  return fmt::format("{:.0f}/s", per_s);
}

const ThroughputRow* FindRow(const std::vector<ThroughputRow>& rows, const std::string& name) {
  if (name.empty()) return nullptr;
  for (const ThroughputRow& row : rows) {
    if (row.name == name) return &row;
  }
  return nullptr;
}

// `value` as a multiple of `base` ("1.35×"), or "—" where either is missing.
std::string Times(double value, double base) {
  return value > 0 && base > 0 ? fmt::format("{:.2f}×", value / base) : std::string("—");
}

// The payload rows' growth is against the smallest input's row: the first.
const PayloadRow* SmallestPayload(const IpcReport& r) {
  return r.payloads.empty() ? nullptr : &r.payloads.front();
}

void CopyLatency(const LatencyRow& row, pb::BenchIpcReport::Latency& out) {
  out.set_name(row.name);
  out.set_what(row.what);
  out.set_count(row.count);
  out.set_median_us(row.median_us);
  out.set_p99_us(row.p99_us);
}

}  // namespace

std::string IpcReportText(const IpcReport& r) {
  std::string out = fmt::format(
      "parlab bench ipc{} — {} usable cores, load {:.2f} at start; figures are noisy on a shared "
      "machine (run it idle, compare medians, not single digits)\n",
      r.quick ? " --quick" : "", r.cores, r.load);
  out += fmt::format("{}; {}\n\n", r.pinning, r.fork_note);

  out +=
      "Raw round trip between two processes                                 median µs     "
      "p99 µs   round trips\n";
  for (const LatencyRow& row : r.references) {
    out += fmt::format("  {:<11} {:<55} {:>9.2f} {:>10.2f} {:>13}\n", row.name, row.what,
                       row.median_us, row.p99_us, row.count);
  }

  out +=
      "\nparlab round trip of a noop task (1 worker, inflight 1, chunk 1; µs, end to end = "
      "result taken − submitted; × ref = median / the raw reference's with the same wait)\n";
  out +=
      "                    median      p99 |  encode    wake  decode  compute  return  "
      "overhead | × ref (phase medians)\n";
  for (const RoundTripRow& row : r.round_trips) {
    const std::string ratio = row.reference_ratio > 0
                                  ? fmt::format("{:.2f}× {}", row.reference_ratio, row.reference)
                                  : std::string("—");
    out += fmt::format(
        "  {:<14} {:>9.2f} {:>9.2f} | {:>7.2f} {:>7.2f} {:>7.2f} {:>8.2f} {:>7.2f} "
        "{:>9.2f} | {}   ({} tasks)\n",
        row.latency.name, row.latency.median_us, row.latency.p99_us, row.encode_us, row.wake_us,
        row.decode_us, row.compute_us, row.return_us, row.overhead_us, ratio, row.latency.count);
  }

  out +=
      "\nPayload: sum of an n×n matrix per task, 1 worker, inflight 1 (µs per task end to end, "
      "median; GB/s = input bytes / that time)\n";
  out +=
      "      n      input |  shm µs   p99 µs  shm GB/s |  uds µs   p99 µs  uds GB/s | "
      "uds/shm\n";
  for (const PayloadRow& row : r.payloads) {
    out += fmt::format(
        "  {:>5} {:>10} | {:>7.1f} {:>8.1f} {:>9.2f} | {:>7.1f} {:>8.1f} {:>9.2f} | "
        "{:>6.2f}×\n",
        row.n, Bytes(row.bytes), row.shm_us, row.shm_p99_us, row.shm_gbps, row.uds_us,
        row.uds_p99_us, row.uds_gbps, row.shm_us > 0 ? row.uds_us / row.shm_us : 0.0);
  }
  if (const PayloadRow* smallest = SmallestPayload(r)) {
    out +=
        "\nPayload overhead: what the input's size adds to the round trip (µs, median; shm "
        "--wait spin: end to end − compute; raw: a spin round trip whose peer streams the same "
        "bytes, less the streaming — the floor; × = / the smallest input's)\n";
    out += "      n      input |  shm overhead       × |  raw spin       × | shm/raw\n";
    for (const PayloadRow& row : r.payloads) {
      out += fmt::format("  {:>5} {:>10} | {:>13.2f} {:>7} | {:>9.2f} {:>7} | {:>7}\n", row.n,
                         Bytes(row.bytes), row.shm_spin_overhead_us,
                         Times(row.shm_spin_overhead_us, smallest->shm_spin_overhead_us),
                         row.raw_spin_us, Times(row.raw_spin_us, smallest->raw_spin_us),
                         Times(row.shm_spin_overhead_us, row.raw_spin_us));
    }
  }

  if (!r.throughput.empty()) {
    out +=
        "\nThroughput: noop tasks per second, inflight 2 (× = this rate / the rate of the row "
        "named after it, same workers)\n";
    out += fmt::format("  {:<36}", "");
    for (int w : r.throughput_workers) {
      out += fmt::format(" {:>14} worker{}", w, w == 1 ? " " : "s");
    }
    out += "\n";
    for (const ThroughputRow& row : r.throughput) {
      const ThroughputRow* reference = FindRow(r.throughput, row.reference);
      out += fmt::format("  {:<36}", row.name);
      for (size_t i = 0; i < r.throughput_workers.size(); ++i) {
        const double rate = i < row.tasks_per_s.size() ? row.tasks_per_s[i] : 0;
        const double base = reference != nullptr && i < reference->tasks_per_s.size()
                                ? reference->tasks_per_s[i]
                                : 0;
        std::string cell = rate > 0 ? Rate(rate) : std::string("—");
        if (rate > 0 && base > 0) cell += fmt::format(" ({:.1f}×)", rate / base);
        out += fmt::format(" {:>22}", cell);
      }
      if (reference != nullptr) out += "  × " + reference->name;
      out += "\n";
    }
  }
  for (const std::string& note : r.notes) out += "note: " + note + "\n";
  out += fmt::format("\n(bench took {:.1f} s)\n", r.seconds);
  return out;
}

std::string IpcReportMarkdown(const IpcReport& r) {
  auto f = [](double v, int decimals) { return fmt::format("{:.{}f}", v, decimals); };
  std::string out;
  Table references;
  references.columns = {"primitive", "how", "median µs", "p99 µs", "round trips"};
  references.right_aligned = {false, false, true, true, true};
  for (const LatencyRow& row : r.references) {
    references.rows.push_back(
        {row.name, row.what, f(row.median_us, 2), f(row.p99_us, 2), std::to_string(row.count)});
  }
  out += "### Raw round trip between two processes\n\n" + MarkdownTable(references);
  Table trips;
  trips.columns = {"transport", "median µs", "p99 µs",   "encode", "wake", "decode",
                   "compute",   "return",    "overhead", "× ref",  "tasks"};
  trips.right_aligned = {false, true, true, true, true, true, true, true, true, true, true};
  for (const RoundTripRow& row : r.round_trips) {
    trips.rows.push_back({row.latency.name, f(row.latency.median_us, 2), f(row.latency.p99_us, 2),
                          f(row.encode_us, 2), f(row.wake_us, 2), f(row.decode_us, 2),
                          f(row.compute_us, 2), f(row.return_us, 2), f(row.overhead_us, 2),
                          row.reference_ratio > 0 ? f(row.reference_ratio, 2) + "× " + row.reference
                                                  : std::string("—"),
                          std::to_string(row.latency.count)});
  }
  out += "\n### parlab round trip of a noop task (µs)\n\n" + MarkdownTable(trips);
  Table payloads;
  payloads.columns = {"n",      "input",      "shm µs",   "shm p99 µs", "shm GB/s",
                      "uds µs", "uds p99 µs", "uds GB/s", "uds/shm"};
  payloads.right_aligned.assign(payloads.columns.size(), true);
  for (const PayloadRow& row : r.payloads) {
    payloads.rows.push_back({std::to_string(row.n), Bytes(row.bytes), f(row.shm_us, 1),
                             f(row.shm_p99_us, 1), f(row.shm_gbps, 2), f(row.uds_us, 1),
                             f(row.uds_p99_us, 1), f(row.uds_gbps, 2),
                             f(row.shm_us > 0 ? row.uds_us / row.shm_us : 0.0, 2) + "×"});
  }
  out += "\n### Payload: sum of an n×n matrix per task\n\n" + MarkdownTable(payloads);
  if (const PayloadRow* smallest = SmallestPayload(r)) {
    Table growth;
    growth.columns = {"n",          "input",  "shm spin overhead µs", "× smallest", "raw spin µs",
                      "× smallest", "shm/raw"};
    growth.right_aligned.assign(growth.columns.size(), true);
    for (const PayloadRow& row : r.payloads) {
      growth.rows.push_back({std::to_string(row.n), Bytes(row.bytes),
                             f(row.shm_spin_overhead_us, 2),
                             Times(row.shm_spin_overhead_us, smallest->shm_spin_overhead_us),
                             f(row.raw_spin_us, 2), Times(row.raw_spin_us, smallest->raw_spin_us),
                             Times(row.shm_spin_overhead_us, row.raw_spin_us)});
    }
    out += "\n### Payload overhead: what the input's size adds to the round trip\n\n" +
           MarkdownTable(growth);
  }
  if (!r.throughput.empty()) {
    Table throughput;
    throughput.columns = {"tasks/s"};
    for (int w : r.throughput_workers) {
      throughput.columns.push_back(fmt::format("{} worker{}", w, w == 1 ? "" : "s"));
    }
    throughput.right_aligned.assign(throughput.columns.size(), true);
    throughput.right_aligned[0] = false;
    for (const ThroughputRow& row : r.throughput) {
      std::vector<std::string> cells = {row.name};
      for (double rate : row.tasks_per_s) cells.push_back(f(rate, 0));
      throughput.rows.push_back(std::move(cells));
    }
    out += "\n### Throughput: noop tasks per second\n\n" + MarkdownTable(throughput);
  }
  return out;
}

namespace {

// The --json message: what --json prints and --csv walks.
pb::BenchIpcReport IpcReportMessage(const IpcReport& r) {
  pb::BenchIpcReport m;
  m.set_cores(r.cores);
  m.set_load(r.load);
  m.set_pinning(r.pinning);
  m.set_fork_note(r.fork_note);
  m.set_quick(r.quick);
  m.set_seconds(r.seconds);
  for (const LatencyRow& row : r.references) CopyLatency(row, *m.add_references());
  for (const RoundTripRow& row : r.round_trips) {
    pb::BenchIpcReport::RoundTrip& out = *m.add_round_trips();
    CopyLatency(row.latency, *out.mutable_latency());
    out.set_encode_us(row.encode_us);
    out.set_queue_us(row.queue_us);
    out.set_wake_us(row.wake_us);
    out.set_decode_us(row.decode_us);
    out.set_compute_us(row.compute_us);
    out.set_return_us(row.return_us);
    out.set_overhead_us(row.overhead_us);
    out.set_reference(row.reference);
    out.set_reference_ratio(row.reference_ratio);
  }
  for (const PayloadRow& row : r.payloads) {
    pb::BenchIpcReport::Payload& out = *m.add_payloads();
    out.set_n(row.n);
    out.set_bytes(row.bytes);
    out.set_tasks(row.tasks);
    out.set_shm_us(row.shm_us);
    out.set_shm_p99_us(row.shm_p99_us);
    out.set_shm_gbps(row.shm_gbps);
    out.set_uds_us(row.uds_us);
    out.set_uds_p99_us(row.uds_p99_us);
    out.set_uds_gbps(row.uds_gbps);
    out.set_shm_spin_overhead_us(row.shm_spin_overhead_us);
    out.set_raw_spin_us(row.raw_spin_us);
  }
  for (const ThroughputRow& row : r.throughput) {
    pb::BenchIpcReport::Throughput& out = *m.add_throughput();
    out.set_name(row.name);
    out.set_reference(row.reference);
    for (int w : r.throughput_workers) out.add_workers(w);
    for (double rate : row.tasks_per_s) out.add_tasks_per_s(rate);
  }
  for (const std::string& note : r.notes) m.add_notes(note);
  return m;
}

}  // namespace

std::string IpcReportJson(const IpcReport& r) { return ToJson(IpcReportMessage(r)); }

std::string IpcReportCsv(const IpcReport& r) { return CsvTable(LongTable(IpcReportMessage(r))); }

}  // namespace parlab

#include "coordinator/bench/bench_ipc_report.h"

#include <fmt/format.h>

#include <cmath>

#include "coordinator/report/json_text.h"

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

std::string LatencyJson(const LatencyRow& row) {
  return fmt::format(R"({{"name":{},"what":{},"count":{},"median_us":{},"p99_us":{}}})",
                     JsonQuote(row.name), JsonQuote(row.what), row.count,
                     JsonNumber(row.median_us, 3), JsonNumber(row.p99_us, 3));
}

template <typename T, typename F>
std::string JsonArray(const std::vector<T>& items, F&& one) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ",";
    out += one(items[i]);
  }
  return out + "]";
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

std::string IpcReportJson(const IpcReport& r) {
  const std::string references = JsonArray(r.references, LatencyJson);
  const std::string round_trips = JsonArray(r.round_trips, [](const RoundTripRow& row) {
    return fmt::format(R"({{"latency":{},"encode_us":{},"queue_us":{},"wake_us":{},"decode_us":{},)"
                       R"("compute_us":{},"return_us":{},"overhead_us":{},"reference":{},)"
                       R"("reference_ratio":{}}})",
                       LatencyJson(row.latency), JsonNumber(row.encode_us, 3),
                       JsonNumber(row.queue_us, 3), JsonNumber(row.wake_us, 3),
                       JsonNumber(row.decode_us, 3), JsonNumber(row.compute_us, 3),
                       JsonNumber(row.return_us, 3), JsonNumber(row.overhead_us, 3),
                       JsonQuote(row.reference), JsonNumber(row.reference_ratio, 3));
  });
  const std::string payloads = JsonArray(r.payloads, [](const PayloadRow& row) {
    return fmt::format(
        R"({{"n":{},"bytes":{},"tasks":{},"shm_us":{},"shm_p99_us":{},"shm_gbps":{},)"
        R"("uds_us":{},"uds_p99_us":{},"uds_gbps":{}}})",
        row.n, row.bytes, row.tasks, JsonNumber(row.shm_us, 3), JsonNumber(row.shm_p99_us, 3),
        JsonNumber(row.shm_gbps, 4), JsonNumber(row.uds_us, 3), JsonNumber(row.uds_p99_us, 3),
        JsonNumber(row.uds_gbps, 4));
  });
  const std::string throughput = JsonArray(r.throughput, [](const ThroughputRow& row) {
    return fmt::format(R"({{"name":{},"reference":{},"tasks_per_s":{}}})", JsonQuote(row.name),
                       JsonQuote(row.reference),
                       JsonArray(row.tasks_per_s, [](double v) { return JsonNumber(v, 1); }));
  });
  const std::string throughput_workers =
      JsonArray(r.throughput_workers, [](int w) { return std::to_string(w); });
  const std::string notes =
      JsonArray(r.notes, [](const std::string& note) { return JsonQuote(note); });
  return fmt::format(
      R"({{"cores":{},"load":{},"pinning":{},"fork_note":{},"quick":{},"seconds":{},)"
      R"("references":{},"round_trips":{},"payloads":{},"throughput_workers":{},)"
      R"("throughput":{},"notes":{}}})",
      r.cores, JsonNumber(r.load, 2), JsonQuote(r.pinning), JsonQuote(r.fork_note),
      r.quick ? "true" : "false", JsonNumber(r.seconds, 2), references, round_trips, payloads,
      throughput_workers, throughput, notes);
}

}  // namespace parlab

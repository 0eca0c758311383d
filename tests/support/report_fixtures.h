#pragma once
// Inputs for the tests of `parlab report` (observe/report_*.h): a log's text,
// the summaries of a compare and a sweep, built from our own messages and
// printed with Protobuf's JSON printer, as parlab writes them. Header-only test
// support, not a unit of its own.

#include <google/protobuf/util/json_util.h>

#include <string>
#include <vector>

#include "proto/parlab.pb.h"

namespace parlab {

inline std::string JsonOf(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

// A log of `tasks` tasks spread over `workers` workers, one measured trial,
// each task 100 µs of compute; task 1 failed with `error` when it is not empty.
inline std::string LogText(pb::Mode mode, int workers, int tasks, const std::string& workload,
                           const std::string& error = "") {
  pb::LogHeader header;
  header.set_version(1);
  header.mutable_job()->mutable_kernel()->set_kernel(workload);
  header.mutable_job()->set_mode(mode);
  header.mutable_job()->set_workers(workers);
  header.mutable_job()->set_threads(1);
  header.mutable_job()->set_tasks(tasks);
  header.mutable_job()->set_trials(1);
  header.set_env_json(
      R"json({"cpu":{"model":"Test CPU"},"blas":{"gemm_backend":"OpenBLAS (test)",)json"
      R"json("openblas_corename":"Haswell","openblas_core_choice":"OpenBLAS's own choice"}})json");
  std::string text = JsonOf(header) + "\n";
  const int64_t base = 1'000'000'000;
  for (int i = 0; i < tasks; ++i) {
    const int worker = i % workers;
    const int64_t slot = base + (i / workers) * 120'000;
    pb::TaskRecord r;
    r.set_id(static_cast<uint64_t>(i));
    r.set_trial(0);
    r.set_worker(worker);
    r.set_attempt(1);
    r.set_t_submit_ns(slot);
    r.set_t_enqueued_ns(slot + 2'000);
    r.set_t_dequeued_ns(slot + 5'000);
    r.set_t_decoded_ns(slot + 6'000);
    r.set_t_compute_start_ns(slot + 6'500);
    r.set_t_compute_end_ns(slot + 106'500);
    r.set_t_result_enqueued_ns(slot + 108'000);
    r.set_t_result_dequeued_ns(slot + 110'000 + i * 100);
    if (i == 1 && !error.empty()) {
      r.set_status(pb::TASK_FAILED);
      r.set_error(error);
    }
    text += JsonOf(r) + "\n";
  }
  return text;
}

inline pb::JobSummary Summary(const std::string& workload, const std::string& mode, int workers,
                              double wall_s, double speedup) {
  pb::JobSummary s;
  s.set_workload(workload);
  s.set_mode(mode);
  s.set_workers(workers);
  s.set_threads(1);
  s.set_tasks(100);
  s.set_trials(3);
  s.set_wall_mean_s(wall_s);
  s.set_wall_std_s(wall_s / 50);
  s.set_speedup(speedup);
  s.set_efficiency(speedup / workers);
  s.set_encode_median_us(1.5);
  s.set_wake_median_us(4);
  s.set_decode_median_us(0.5);
  s.set_return_median_us(3);
  s.set_overhead_median_us(9);
  return s;
}

// `parlab compare --json`: an array of JobSummary, one a line.
inline std::string CompareJson(const std::string& workload) {
  std::string json = "[";
  json += JsonOf(Summary(workload, "seq", 1, 0.4, 1)) + ",\n";
  json += JsonOf(Summary(workload, "threads", 4, 0.12, 3.3)) + ",\n";
  json += JsonOf(Summary(workload, "procs", 4, 0.11, 3.6)) + "]";
  return json;
}

inline pb::SweepReport Sweep(const std::string& workload) {
  pb::SweepReport sweep;
  sweep.set_workload(workload);
  sweep.set_tasks(100);
  sweep.set_trials(3);
  sweep.set_usable_cores(8);
  *sweep.mutable_reference() = Summary(workload, "seq", 1, 0.4, 1);
  for (const char* mode : {"threads", "procs"}) {
    pb::SweepSeries* series = sweep.add_series();
    series->set_mode(mode);
    for (int workers : {1, 2, 4, 8}) {
      pb::SweepPoint* point = series->add_points();
      point->set_workers(workers);
      point->set_parallel_units(workers);
      point->set_speedup(workers / (1 + 0.05 * (workers - 1)));
      point->set_efficiency(point->speedup() / workers);
      point->set_wall_mean_s(0.4 / point->speedup());
      *point->mutable_summary() =
          Summary(workload, mode, workers, point->wall_mean_s(), point->speedup());
    }
    series->mutable_amdahl()->set_fitted(true);
    series->mutable_amdahl()->set_serial_fraction(0.05);
    series->mutable_amdahl()->set_points(4);
  }
  return sweep;
}

}  // namespace parlab

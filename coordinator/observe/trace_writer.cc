#include "coordinator/observe/trace_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <map>
#include <memory>
#include <tuple>

#include "coordinator/report/json_output.h"
#include "proto/report.pb.h"
#include "shared/phases.h"

namespace parlab {
namespace {

constexpr int kCoordinatorPid = 1;
// Thread ids far from the process ids, so no lane passes for a process's main thread.
constexpr int64_t kFirstTid = 1'000'000;
// Beyond this many lanes a track's slices go to its last lane even if they do
// not nest (Perfetto then notes an import error): only a pathological
// inflight × chunk gets there.
constexpr size_t kMaxLanes = 256;
constexpr size_t kFlushBytes = 1 << 20;

enum Phase : uint8_t { kEncode, kQueue, kWake, kDecode, kCompute, kReturn, kPhaseCount };
constexpr const char* kPhaseNames[kPhaseCount] = {"encode", "queued",  "wake-up",
                                                  "decode", "compute", "return"};

// Where a phase is drawn: encode and return on the coordinator (it sends and
// notices), the rest on the worker.
enum Kind : uint8_t { kSend, kReceive, kWait, kRun };
constexpr const char* kKindNames[] = {"encode", "return", "queued · wake-up", "decode · compute"};
constexpr Kind KindOf(Phase phase) {
  switch (phase) {
    case kEncode:
      return kSend;
    case kReturn:
      return kReceive;
    case kQueue:
    case kWake:
      return kWait;
    default:
      return kRun;
  }
}

struct Slice {
  int64_t start_ns;
  int64_t end_ns;
  uint32_t task;  // index into the traced records
  Phase phase;
  int32_t pid;
  int64_t tid = 0;
};

struct TrackKey {
  int32_t pid;
  Kind kind;
  bool operator<(const TrackKey& o) const { return std::tie(pid, kind) < std::tie(o.pid, o.kind); }
};

struct Lane {
  std::vector<int64_t> open_ends;  // ends of the slices still open, innermost last
  int64_t tid;
};

// Buffered output: events are formatted into one buffer, written in 1 MB pieces.
class TraceFile {
 public:
  explicit TraceFile(std::FILE* file) : file_(file) {}
  fmt::memory_buffer& buffer() { return buffer_; }
  bool MaybeFlush() { return buffer_.size() < kFlushBytes || Flush(); }
  bool Flush() {
    const bool ok = std::fwrite(buffer_.data(), 1, buffer_.size(), file_) == buffer_.size();
    buffer_.clear();
    return ok;
  }

 private:
  std::FILE* file_;
  fmt::memory_buffer buffer_;
};

// Microseconds with the nanoseconds as fraction, exactly ("12.345").
void AppendUs(fmt::memory_buffer& out, int64_t ns) {
  if (ns < 0) {
    out.push_back('-');
    ns = -ns;
  }
  fmt::format_to(std::back_inserter(out), "{}.{:03}", ns / 1000, ns % 1000);
}

// Every slice gets a lane of its track in which it nests: lanes are filled
// greedily in start order (longest first for equal starts, so an enclosing
// slice comes before the slices it encloses).
void AssignLanes(std::vector<Slice>& slices, std::map<TrackKey, std::vector<Lane>>& tracks,
                 int64_t& next_tid) {
  std::vector<uint32_t> order(slices.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const Slice& x = slices[a];
    const Slice& y = slices[b];
    return std::make_tuple(x.start_ns, -x.end_ns, x.phase, x.task) <
           std::make_tuple(y.start_ns, -y.end_ns, y.phase, y.task);
  });
  for (uint32_t index : order) {
    Slice& s = slices[index];
    std::vector<Lane>& lanes = tracks[{s.pid, KindOf(s.phase)}];
    Lane* chosen = nullptr;
    for (Lane& lane : lanes) {
      while (!lane.open_ends.empty() && lane.open_ends.back() <= s.start_ns)
        lane.open_ends.pop_back();
      if (lane.open_ends.empty() || s.end_ns <= lane.open_ends.back()) {
        chosen = &lane;
        break;
      }
    }
    if (chosen == nullptr) {
      if (lanes.size() < kMaxLanes) {
        lanes.push_back({{}, next_tid++});
      }
      chosen = &lanes.back();
    }
    chosen->open_ends.push_back(s.end_ns);
    s.tid = chosen->tid;
  }
}

void AppendMetadataEvents(const std::map<TrackKey, std::vector<Lane>>& tracks, TraceFile& file) {
  auto& out = file.buffer();
  int32_t last_pid = -1;
  for (const auto& [key, lanes] : tracks) {
    if (key.pid != last_pid) {
      last_pid = key.pid;
      const std::string name = key.pid == kCoordinatorPid
                                   ? std::string("coordinator")
                                   : fmt::format("worker {}", key.pid - kCoordinatorPid - 1);
      fmt::format_to(std::back_inserter(out),
                     "{{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":{},\"tid\":0,"
                     "\"args\":{{\"name\":\"{}\"}}}},\n"
                     "{{\"ph\":\"M\",\"name\":\"process_sort_index\",\"pid\":{},\"tid\":0,"
                     "\"args\":{{\"sort_index\":{}}}}},\n",
                     key.pid, name, key.pid, key.pid);
    }
    for (size_t lane = 0; lane < lanes.size(); ++lane) {
      const std::string name = lane == 0 ? std::string(kKindNames[key.kind])
                                         : fmt::format("{} #{}", kKindNames[key.kind], lane + 1);
      fmt::format_to(std::back_inserter(out),
                     "{{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":{},\"tid\":{},"
                     "\"args\":{{\"name\":\"{}\"}}}},\n"
                     "{{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":{},\"tid\":{},"
                     "\"args\":{{\"sort_index\":{}}}}},\n",
                     key.pid, lanes[lane].tid, name, key.pid, lanes[lane].tid,
                     static_cast<int>(key.kind) * 1000 + static_cast<int>(lane));
    }
  }
}

}  // namespace

Status WriteTrace(const std::string& path, const pb::JobSpec& job,
                  const std::vector<TaskRecord>& all_records, const TraceOptions& options) {
  // The traced tasks: the first max_tasks that ran to the end (a failed
  // task's stamps stop where it failed).
  std::vector<TaskRecord> records;
  const size_t limit =
      options.max_tasks > 0 ? static_cast<size_t>(options.max_tasks) : all_records.size();
  records.reserve(std::min(limit, all_records.size()));
  for (const TaskRecord& r : all_records) {
    if (records.size() >= limit) break;
    if (r.outcome == TaskOutcome::kOk) records.push_back(r);
  }
  const std::vector<TaskPhases> phases = SplitPhases(records);
  int64_t t0_ns = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    t0_ns = i == 0 ? records[i].t.submit_ns : std::min(t0_ns, records[i].t.submit_ns);
  }

  std::vector<Slice> slices;
  slices.reserve(records.size() * kPhaseCount);
  for (uint32_t i = 0; i < records.size(); ++i) {
    const TaskStamps& t = records[i].t;
    const int32_t worker_pid = kCoordinatorPid + 1 + records[i].worker;
    const int64_t ready_ns = t.enqueued_ns + phases[i].queue_ns;
    const int64_t bounds[kPhaseCount + 1] = {
        t.submit_ns,      t.enqueued_ns,       ready_ns, t.dequeued_ns, t.compute_start_ns,
        t.compute_end_ns, t.result_dequeued_ns};
    int64_t start = bounds[0];
    for (int p = 0; p < kPhaseCount; ++p) {
      // Stamps read on different cores may tie or cross by a few ns: never a
      // negative duration.
      const int64_t end = std::max(start, bounds[p + 1]);
      const auto phase = static_cast<Phase>(p);
      slices.push_back(
          {start, end, i, phase,
           KindOf(phase) == kSend || KindOf(phase) == kReceive ? kCoordinatorPid : worker_pid,
           /*tid=*/0});
      start = end;
    }
  }
  std::map<TrackKey, std::vector<Lane>> tracks;
  int64_t next_tid = kFirstTid;
  AssignLanes(slices, tracks, next_tid);

  std::unique_ptr<std::FILE, int (*)(std::FILE*)> handle(std::fopen(path.c_str(), "w"),
                                                         &std::fclose);
  if (handle == nullptr) {
    return InvalidArgument("cannot write the trace " + path + ": " + std::strerror(errno));
  }
  TraceFile file(handle.get());
  auto& out = file.buffer();
  out.append(std::string_view("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n"));
  AppendMetadataEvents(tracks, file);
  bool ok = true;
  for (uint32_t i = 0; i < records.size() && ok; ++i) {
    const TaskRecord& r = records[i];
    const Slice* task_slices = &slices[static_cast<size_t>(i) * kPhaseCount];
    for (int p = 0; p < kPhaseCount; ++p) {
      const Slice& s = task_slices[p];
      fmt::format_to(
          std::back_inserter(out),
          "{{\"ph\":\"X\",\"cat\":\"task\",\"name\":\"{}\",\"pid\":{},\"tid\":{},\"ts\":",
          kPhaseNames[p], s.pid, s.tid);
      AppendUs(out, s.start_ns - t0_ns);
      out.append(std::string_view(",\"dur\":"));
      AppendUs(out, s.end_ns - s.start_ns);
      fmt::format_to(std::back_inserter(out),
                     ",\"args\":{{\"task\":{},\"trial\":{},\"worker\":{},\"attempt\":{}}}}},\n",
                     r.id, r.trial, r.worker, r.attempt);
    }
    // One flow per task: submit (encode) → compute → result (return). Each
    // flow event sits inside its slice, so it binds to that slice.
    const Slice* flow_slices[] = {&task_slices[kEncode], &task_slices[kCompute],
                                  &task_slices[kReturn]};
    const char* flow_phases[] = {"s", "t", "f"};
    for (int k = 0; k < 3; ++k) {
      const Slice& s = *flow_slices[k];
      fmt::format_to(std::back_inserter(out),
                     "{{\"ph\":\"{}\",\"cat\":\"flow\",\"name\":\"task\",\"id\":{},\"pid\":{},"
                     "\"tid\":{},\"ts\":",
                     flow_phases[k], r.id, s.pid, s.tid);
      AppendUs(out, (s.start_ns + s.end_ns) / 2 - t0_ns);
      out.append(k == 2 ? std::string_view(",\"bp\":\"e\"},\n") : std::string_view("},\n"));
    }
    ok = file.MaybeFlush();
  }
  // The last event has no comma after it: a process_name repeated closes the list.
  fmt::format_to(std::back_inserter(out),
                 "{{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":{},\"tid\":0,"
                 "\"args\":{{\"name\":\"coordinator\"}}}}\n],\n",
                 kCoordinatorPid);
  pb::TraceMetadata metadata;
  metadata.set_generator("parlab");
  metadata.set_source(options.source);
  *metadata.mutable_job() = job;
  metadata.set_tasks_traced(static_cast<int64_t>(records.size()));
  metadata.set_tasks_given(static_cast<int64_t>(all_records.size()));
  metadata.set_t0_ns(t0_ns);
  metadata.set_clock(
      "the run's stamp clock (ns on CLOCK_MONOTONIC's axis; `parlab env`: stamp clock); ts in "
      "µs since the first submit");
  fmt::format_to(std::back_inserter(out), "\"metadata\":{}}}\n", ToJson(metadata));
  ok = ok && file.Flush();
  const int closed = std::fclose(handle.release());
  if (!ok || closed != 0) {
    return Unavailable("cannot write the trace " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace parlab

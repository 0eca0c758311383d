// What the task wire costs in one thread, with no other process and no
// waiting: the CPU each side spends per task (proto/parlab.proto's
// JobConstants / TaskFrame / ResultFrame, docs/architecture.md).
//
//   encode_task_frame/N    the coordinator fills a reused TaskFrame of N ids,
//                          sizes it once and serializes it into a ring slot
//   encode_task_specs/N    the same N tasks as whole TaskSpecs, one per task
//                          (the wire before issue 13), for comparison
//   decode_task_frame/N    the worker parses a frame from the ring into its
//                          reused arena
//   encode_result_frame/N  the worker runs N noop tasks (stamps and all) and
//                          serializes their ResultFrame into a ring slot
//   parse_result_frame/N   the coordinator parses a noop's answer to a frame
//                          of N tasks into its reused arena
//   decode_result_frame/N  the same, then checks it and settles every answer
//                          in a TaskLedger (the ledger is made anew, untimed,
//                          per frame: at N=1 pausing the timer costs more
//                          than the work; read /1000)
//   serialize_task_frame/tasks:N/writer:W, serialize_result_frame/...
//                          the serialization alone of those frames (a noop's
//                          answers): W=1 FrameWriter, as the transports
//                          serialize, W=0 protobuf's generic serializer
//   ring_push_pop/B        reserve + write + commit, then peek + consume, of
//                          a B-byte frame
//   dispatch/N             the whole loop of a trial, both sides in turn:
//                          ledger → TaskFrame → ring → worker → noop →
//                          ResultFrame → ring → ledger, N tasks a frame
//   answer_after_streaming_kib/K  the worker's path between two tasks right
//                          after a kernel streamed K KiB (shm's payload cost);
//                          its median_ns counter is robust to preemption
//
// Items per second are tasks (frames for ring_push_pop). Time per task of
// dispatch/1000 is the floor of a chunked noop's cost per task here; the
// round trip between processes adds what bench/ring_bench.cc measures.
//
//   wire_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coordinator/runtime/task_ledger.h"
#include "proto/parlab.pb.h"
#include "shared/aligned_buffer.h"
#include "shared/check.h"
#include "shared/clock.h"
#include "shared/frame_writer.h"
#include "shared/kernels/kernel.h"
#include "shared/shm/ring.h"
#include "shared/task_frame.h"
#include "shared/wire.h"
#include "worker/task_executor.h"

namespace parlab {
namespace {

constexpr uint64_t kRingCapacity = uint64_t{1} << 20;

// A ring in this process's memory: the producer and the consumer side.
class LocalRing {
 public:
  LocalRing()
      : bytes_(Ring::RegionBytes(kRingCapacity)),
        memory_(static_cast<std::byte*>(std::aligned_alloc(64, bytes_)), &std::free) {
    static_cast<void>(Ring::Format(memory_.get(), bytes_, kRingCapacity));
    producer_.emplace(Ring::Attach(memory_.get(), bytes_).value());
    consumer_.emplace(Ring::Attach(memory_.get(), bytes_).value());
  }
  Ring& producer() { return *producer_; }
  Ring& consumer() { return *consumer_; }

 private:
  size_t bytes_;
  std::unique_ptr<std::byte, decltype(&std::free)> memory_;
  std::optional<Ring> producer_;
  std::optional<Ring> consumer_;
};

// Serializes `frame` straight into a slot of `ring` (sized once), as the
// transports do.
void Publish(const pb::Frame& frame, Ring& ring) {
  FrameWriter writer;
  const std::string_view bytes = writer.Write(frame);
  std::byte* slot = ring.TryReserve(bytes.size());
  std::memcpy(slot, bytes.data(), bytes.size());
  ring.Commit();
}

void FillTaskFrame(pb::Frame& frame, uint64_t first_id, int tasks) {
  pb::TaskFrame& tasks_frame = *frame.mutable_task_frame();
  tasks_frame.mutable_ids()->Clear();
  tasks_frame.set_constants(1);
  for (int k = 0; k < tasks; ++k) tasks_frame.add_ids(first_id + static_cast<uint64_t>(k));
}

pb::JobConstants NoopConstants() {
  pb::JobConstants constants;
  constants.set_version(1);
  *constants.mutable_kernel() = FindKernel("noop")->Defaults();
  constants.mutable_payload()->set_input_bytes(1);
  constants.mutable_payload()->set_output_bytes(1);
  constants.mutable_payload()->set_output_offset(64);
  constants.set_threads(1);
  return constants;
}

// A worker's executor with the noop job's constants prepared, on an arena
// of its own.
class NoopExecutor {
 public:
  NoopExecutor() : arena_(4096), executor_(ArenaView(arena_.data(), arena_.size()), 0) {
    static_cast<void>(executor_.Prepare(NoopConstants()));
  }
  TaskExecutor& get() { return executor_; }

 private:
  AlignedBuffer arena_;
  TaskExecutor executor_;
};

// The worker's side of one frame, as worker/worker.cc answers it: its
// dequeue stamp, every task run and stamped.
void AnswerFrame(const pb::TaskFrame& tasks, TaskExecutor& executor, pb::Frame& response) {
  pb::ResultFrame& answers = *response.mutable_result_frame();
  const Status ran = executor.RunFrame(tasks, NowNs(), answers);
  PARLAB_CHECK(ran.ok()) << ran.ToString();  // the bench's own frames always fit
}

// The answers to a frame of `tasks` noop tasks, ids from `first_id`.
pb::Frame NoopAnswers(uint64_t first_id, int tasks) {
  NoopExecutor executor;
  pb::Frame request;
  FillTaskFrame(request, first_id, tasks);
  pb::Frame response;
  AnswerFrame(request.task_frame(), executor.get(), response);
  return response;
}

void BM_EncodeTaskFrame(benchmark::State& state) {
  const int tasks = static_cast<int>(state.range(0));
  LocalRing ring;
  pb::Frame frame;
  for (auto _ : state) {
    FillTaskFrame(frame, 1'000'000, tasks);
    Publish(frame, ring.producer());
    benchmark::DoNotOptimize(ring.consumer().TryPeek());
    ring.consumer().Consume();
  }
  state.SetItemsProcessed(state.iterations() * tasks);
}

void BM_EncodeTaskSpecs(benchmark::State& state) {
  const int tasks = static_cast<int>(state.range(0));
  const pb::JobConstants constants = NoopConstants();
  std::vector<pb::TaskSpec> specs(static_cast<size_t>(tasks));
  std::string encoded;
  for (auto _ : state) {
    encoded.clear();
    for (int k = 0; k < tasks; ++k) {
      pb::TaskSpec& task = specs[static_cast<size_t>(k)];
      task.set_id(1'000'000 + static_cast<uint64_t>(k));
      *task.mutable_kernel() = constants.kernel();
      *task.mutable_payload() = constants.payload();
      task.set_threads(1);
      task.set_attempt(1);
      task.AppendToString(&encoded);
    }
    benchmark::DoNotOptimize(encoded.data());
  }
  state.SetItemsProcessed(state.iterations() * tasks);
}

// Parses `bytes` again and again into one reused parser, as a ring's
// reader does.
void ParseAgain(benchmark::State& state, const std::string& bytes, int tasks) {
  FrameParser parser(1 << 20);
  for (auto _ : state) {
    const pb::Frame* parsed = parser.Parse(bytes.data(), bytes.size(), "bench").value();
    benchmark::DoNotOptimize(parsed);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * tasks);
}

void BM_DecodeTaskFrame(benchmark::State& state) {
  const int tasks = static_cast<int>(state.range(0));
  pb::Frame frame;
  FillTaskFrame(frame, 1'000'000, tasks);
  ParseAgain(state, frame.SerializeAsString(), tasks);
}

void BM_EncodeResultFrame(benchmark::State& state) {
  const int tasks = static_cast<int>(state.range(0));
  NoopExecutor executor;
  pb::Frame request;
  FillTaskFrame(request, 1'000'000, tasks);
  pb::Frame response;
  LocalRing ring;
  for (auto _ : state) {
    AnswerFrame(request.task_frame(), executor.get(), response);
    Publish(response, ring.producer());
    benchmark::DoNotOptimize(ring.consumer().TryPeek());
    ring.consumer().Consume();
  }
  state.SetItemsProcessed(state.iterations() * tasks);
}

void BM_ParseResultFrame(benchmark::State& state) {
  const int tasks = static_cast<int>(state.range(0));
  ParseAgain(state, NoopAnswers(0, tasks).SerializeAsString(), tasks);
}

void BM_DecodeResultFrame(benchmark::State& state) {
  const int tasks = static_cast<int>(state.range(0));
  const std::string bytes = NoopAnswers(0, tasks).SerializeAsString();
  FrameParser parser(1 << 20);
  TaskAnswer answer;
  for (auto _ : state) {
    state.PauseTiming();
    TaskLedger ledger(0, 0, static_cast<uint64_t>(tasks), 1, 1);
    for (int k = 0; k < tasks; ++k) ledger.Take(0, 1, 0);
    state.ResumeTiming();
    const pb::Frame* parsed = parser.Parse(bytes.data(), bytes.size(), "bench").value();
    const pb::ResultFrame& answers = parsed->result_frame();
    if (!CheckResultFrame(answers).ok()) state.SkipWithError("bad frame");
    ResultFrameReader reader(answers);
    while (reader.Next(answer)) static_cast<void>(ledger.Answer(0, answer, 4));
    benchmark::DoNotOptimize(ledger.Complete());
  }
  state.SetItemsProcessed(state.iterations() * tasks);
}

// Serializes `frame` again and again, as the transports do (writer 1:
// FrameWriter, into its own buffer) or as protobuf's generic serializer does
// (writer 0: ByteSizeLong, then SerializeWithCachedSizesToArray into `out`).
void SerializeAgain(benchmark::State& state, const pb::Frame& frame, int tasks) {
  std::vector<uint8_t> out(frame.ByteSizeLong());
  FrameWriter writer;
  const bool own = state.range(1) == 1;
  for (auto _ : state) {
    if (own) {
      benchmark::DoNotOptimize(writer.Write(frame).data());
    } else {
      frame.ByteSizeLong();
      frame.SerializeWithCachedSizesToArray(out.data());
    }
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * tasks);
}

void BM_SerializeTaskFrame(benchmark::State& state) {
  const int tasks = static_cast<int>(state.range(0));
  pb::Frame frame;
  FillTaskFrame(frame, 1'000'000, tasks);
  SerializeAgain(state, frame, tasks);
}

void BM_SerializeResultFrame(benchmark::State& state) {
  const int tasks = static_cast<int>(state.range(0));
  SerializeAgain(state, NoopAnswers(1'000'000, tasks), tasks);
}

void BM_RingPushPop(benchmark::State& state) {
  const auto bytes = static_cast<size_t>(state.range(0));
  const std::string frame(bytes, 'x');
  LocalRing ring;
  for (auto _ : state) {
    std::byte* slot = ring.producer().TryReserve(bytes);
    std::memcpy(slot, frame.data(), bytes);
    ring.producer().Commit();
    const FrameView got = *ring.consumer().TryPeek().value();
    benchmark::DoNotOptimize(got.data);
    ring.consumer().Consume();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes));
}

// A whole trial of `tasks` noop tasks, both sides in this thread in turn.
void BM_Dispatch(benchmark::State& state) {
  const int chunk = static_cast<int>(state.range(0));
  constexpr uint64_t kTasks = 20'000;
  NoopExecutor executor;
  LocalRing requests, responses;
  FrameParser worker_parser(1 << 20), coordinator_parser(1 << 20);
  pb::Frame request, response;
  std::vector<uint64_t> slots;
  TaskAnswer answer;
  for (auto _ : state) {
    TaskLedger ledger(0, 0, kTasks, 1, 1);
    uint64_t frame_number = 0;
    while (!ledger.Complete()) {
      // The coordinator: take tasks, stamp, encode into the ring.
      pb::TaskFrame& tasks = *request.mutable_task_frame();
      tasks.mutable_ids()->Clear();
      tasks.set_constants(1);
      slots.clear();
      for (int k = 0; k < chunk && ledger.HasWork(); ++k) {
        const uint64_t slot = ledger.Take(0, 1, frame_number);
        slots.push_back(slot);
        tasks.add_ids(ledger.id(slot));
      }
      for (uint64_t slot : slots) ledger.record(slot).t.enqueued_ns = 2;
      Publish(request, requests.producer());
      ++frame_number;
      // The worker: take, parse, run, answer.
      const FrameView view = *requests.consumer().TryPeek().value();
      const pb::Frame* got = worker_parser.Parse(view.data, view.size, "bench").value();
      requests.consumer().Consume();
      AnswerFrame(got->task_frame(), executor.get(), response);
      Publish(response, responses.producer());
      // The coordinator: take the answer, settle every task.
      const FrameView back = *responses.consumer().TryPeek().value();
      const pb::Frame* answers = coordinator_parser.Parse(back.data, back.size, "bench").value();
      responses.consumer().Consume();
      ResultFrameReader reader(answers->result_frame());
      while (reader.Next(answer)) static_cast<void>(ledger.Answer(0, answer, 5));
    }
    benchmark::DoNotOptimize(ledger.TakeRecords().data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kTasks));
}

// The worker's path from one task's end to the next one's start — answer,
// serialize into the response ring, take and parse the next frame, which
// waits already (inflight 2) — right after a kernel streamed `KiB` through
// this core's caches, as `sum --n 1024` streams 8 MiB. Timed by hand around
// that path only. What grows with the payload here grows from the cache and
// TLB misses the kernel left behind, not from anything the wire copies.
void BM_AnswerAfterStreaming(benchmark::State& state) {
  const auto doubles = static_cast<size_t>(state.range(0)) * 1024 / sizeof(double);
  std::vector<double> payload(std::max<size_t>(doubles, 1), 1.0);
  NoopExecutor executor;
  LocalRing requests, responses;
  FrameParser parser(1 << 20);
  pb::Frame request, response;
  FillTaskFrame(request, 0, 1);
  Publish(request, requests.producer());
  const FrameView first = *requests.consumer().TryPeek().value();
  const pb::Frame* taken = parser.Parse(first.data, first.size, "bench").value();
  requests.consumer().Consume();
  std::vector<int64_t> path_ns;  // each iteration's, for the median
  path_ns.reserve(static_cast<size_t>(state.max_iterations));
  for (auto _ : state) {
    Publish(request, requests.producer());  // the next frame, sent while the task ran
    double sum = 0;
    if (doubles > 0) {
      for (double d : payload) sum += d;  // the kernel
    }
    benchmark::DoNotOptimize(sum);
    const int64_t start_ns = NowNs();
    AnswerFrame(taken->task_frame(), executor.get(), response);
    Publish(response, responses.producer());
    const FrameView next = *requests.consumer().TryPeek().value();
    taken = parser.Parse(next.data, next.size, "bench").value();
    requests.consumer().Consume();
    const int64_t took_ns = NowNs() - start_ns;
    state.SetIterationTime(static_cast<double>(took_ns) * 1e-9);
    path_ns.push_back(took_ns);
    static_cast<void>(responses.consumer().TryPeek());  // the coordinator takes the answer
    responses.consumer().Consume();
  }
  // The mean (the time column) takes in every preemption of a busy machine;
  // the median does not.
  if (!path_ns.empty()) {
    std::nth_element(path_ns.begin(), path_ns.begin() + path_ns.size() / 2, path_ns.end());
    state.counters["median_ns"] = static_cast<double>(path_ns[path_ns.size() / 2]);
  }
}

BENCHMARK(BM_EncodeTaskFrame)->Name("encode_task_frame")->Arg(1)->Arg(1000);
BENCHMARK(BM_EncodeTaskSpecs)->Name("encode_task_specs")->Arg(1)->Arg(1000);
BENCHMARK(BM_DecodeTaskFrame)->Name("decode_task_frame")->Arg(1)->Arg(1000);
BENCHMARK(BM_EncodeResultFrame)->Name("encode_result_frame")->Arg(1)->Arg(1000);
BENCHMARK(BM_ParseResultFrame)->Name("parse_result_frame")->Arg(1)->Arg(1000);
BENCHMARK(BM_DecodeResultFrame)->Name("decode_result_frame")->Arg(1)->Arg(1000);
BENCHMARK(BM_SerializeTaskFrame)
    ->Name("serialize_task_frame")
    ->ArgNames({"tasks", "writer"})
    ->ArgsProduct({{1, 1000}, {0, 1}});
BENCHMARK(BM_SerializeResultFrame)
    ->Name("serialize_result_frame")
    ->ArgNames({"tasks", "writer"})
    ->ArgsProduct({{1, 1000}, {0, 1}});
BENCHMARK(BM_RingPushPop)->Name("ring_push_pop")->Arg(64)->Arg(8192);
BENCHMARK(BM_Dispatch)->Name("dispatch")->Arg(1)->Arg(16)->Arg(1000);
BENCHMARK(BM_AnswerAfterStreaming)
    ->Name("answer_after_streaming_kib")
    ->Arg(0)
    ->Arg(1024)
    ->Arg(8192)
    // Fixed: the hand-timed path is ~1 µs and the streaming ~1 ms, so
    // Google Benchmark's default (0.5 s of timed path) ran 20+ minutes.
    ->Iterations(2000)
    ->UseManualTime();

}  // namespace
}  // namespace parlab

BENCHMARK_MAIN();

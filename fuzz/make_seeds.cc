// Writes the seed corpus of every fuzz target (fuzz/corpus/<target>/): small,
// valid inputs that take each target past its first checks, so the fuzzer
// mutates from real frames, rings, segments, tasks and flags rather than from
// nothing. Usage: make_seeds <corpus dir>. scripts/fuzz.sh --seeds runs it;
// the output is committed, so fuzzing needs no generation step.

#include <sys/stat.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "proto/parlab.pb.h"
#include "shared/aligned_buffer.h"
#include "shared/kernels/kernel.h"
#include "shared/shm/layout.h"
#include "shared/shm/ring.h"
#include "shared/wire.h"

namespace parlab {
namespace {

void Write(const std::string& dir, const std::string& name, const std::string& bytes) {
  mkdir(dir.c_str(), 0755);
  std::ofstream out(dir + "/" + name, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

pb::TaskSpec Task(const std::string& kernel_name, uint64_t id) {
  const Kernel& kernel = *FindKernel(kernel_name);
  pb::TaskSpec task;
  task.set_id(id);
  *task.mutable_kernel() = kernel.Defaults();
  if (kernel_name == "matmul" || kernel_name == "sum" || kernel_name == "elementwise" ||
      kernel_name == "svd" || kernel_name == "inv" || kernel_name == "eig") {
    task.mutable_kernel()->set_n(8);
  }
  if (kernel_name == "pca") {
    task.mutable_kernel()->set_rows(16);
    task.mutable_kernel()->set_cols(4);
    task.mutable_kernel()->set_k(2);
  }
  if (kernel_name == "conv") {
    task.mutable_kernel()->set_batch(1);
    task.mutable_kernel()->set_channels(1);
    task.mutable_kernel()->set_height(8);
    task.mutable_kernel()->set_width(8);
    task.mutable_kernel()->set_layers("c2,p2");
  }
  if (kernel_name == "loop") task.mutable_kernel()->set_n(100);
  if (kernel_name == "spin") task.mutable_kernel()->set_us(1);
  if (kernel_name == "sleep") task.mutable_kernel()->set_ms(0);
  pb::Payload& payload = *task.mutable_payload();
  payload.set_input_offset(0);
  payload.set_input_bytes(kernel.InputBytes(task.kernel()));
  payload.set_output_offset(512 * 1024);
  payload.set_output_bytes(kernel.OutputBytes(task.kernel()));
  task.set_threads(1);
  return task;
}

std::string Framed(const pb::Frame& frame) {
  std::string out;
  AppendFrame(frame, out);
  return out;
}

void WireSeeds(const std::string& dir) {
  pb::Frame constants;
  const pb::TaskSpec matmul = Task("matmul", 1);
  constants.mutable_constants()->set_version(1);
  *constants.mutable_constants()->mutable_kernel() = matmul.kernel();
  *constants.mutable_constants()->mutable_payload() = matmul.payload();
  constants.mutable_constants()->set_threads(1);
  pb::Frame tasks;
  tasks.mutable_task_frame()->set_constants(1);
  for (uint64_t id = 1; id <= 3; ++id) tasks.mutable_task_frame()->add_ids(id);
  pb::Frame results;
  pb::ResultFrame& answers = *results.mutable_result_frame();
  answers.set_worker(1);
  answers.set_t_dequeued_ns(900);
  answers.set_decoded_after_ns(50);
  answers.set_result_enqueued_after_ns(1'200);
  answers.add_ids(1);
  answers.add_ids(2);
  answers.add_statuses(pb::TASK_OK);  // task 2 was refused before it ran
  answers.add_statuses(pb::TASK_FAILED);
  answers.add_failures()->set_index(1);
  answers.mutable_failures(0)->set_message("payload too small");
  answers.add_checksums(42.5);
  answers.add_checksums(0);
  answers.add_compute_start_after_ns(100);
  answers.add_compute_start_after_ns(-1);
  answers.add_compute_ns(1'000);
  answers.add_compute_ns(0);
  pb::Frame hello;
  hello.mutable_hello()->set_worker(1);
  hello.mutable_hello()->set_pid(1234);
  pb::Frame error;
  error.mutable_error()->set_worker(0);
  error.mutable_error()->set_message("ring is corrupt");
  pb::Frame heartbeat;
  heartbeat.mutable_heartbeat()->set_worker(1);
  heartbeat.mutable_heartbeat()->set_tasks_done(10);
  pb::Frame shutdown;
  shutdown.mutable_shutdown();
  Write(dir, "tasks", Framed(constants) + Framed(tasks));
  Write(dir, "results", Framed(results));
  Write(dir, "hello_then_error", Framed(hello) + Framed(error));
  Write(dir, "heartbeat_shutdown", Framed(heartbeat) + Framed(shutdown));
  Write(dir, "oversized_length", std::string("\xff\xff\xff\x7f", 4) + "x");
}

// ring_fuzzer's layout: capacity byte, flags, head, tail, closed, data, tail updates.
void RingSeeds(const std::string& dir) {
  for (const int frames : {1, 3, 12}) {
    const uint64_t capacity = 256;
    AlignedBuffer region(Ring::RegionBytes(capacity));
    if (!Ring::Format(region.data(), region.size(), capacity).ok()) std::abort();
    Result<Ring> producer = Ring::Attach(region.data(), region.size());
    std::string payload = "frame";
    int pushed = 0;
    for (int i = 0; i < frames; ++i) {
      if (!producer->TryPush(payload.data(), payload.size())) break;
      ++pushed;
      payload += "+";
    }
    const auto* header = reinterpret_cast<const RingHeader*>(region.data());
    std::string seed;
    seed += static_cast<char>(2);  // 64 << 2 = 256
    seed += static_cast<char>(0);
    uint64_t fields[3] = {header->head.load(), header->tail.load(), 0};
    seed.append(reinterpret_cast<const char*>(fields), sizeof(fields));
    seed.append(reinterpret_cast<const char*>(region.data() + sizeof(RingHeader)), capacity);
    Write(dir, "frames_" + std::to_string(pushed), seed);
  }
}

void SegmentSeeds(const std::string& dir) {
  for (const uint32_t workers : {1u, 2u}) {
    LayoutSpec spec;
    spec.worker_count = workers;
    spec.ring_capacity_bytes = 64;
    spec.arena_bytes = 128;
    Result<Layout> layout = PlanLayout(spec);
    if (!layout.ok()) std::abort();
    const size_t bytes = layout->header.total_bytes;
    auto* base = static_cast<std::byte*>(std::aligned_alloc(kRegionAlignment, bytes));
    std::memset(base, 0, bytes);
    Result<SegmentView> view = SegmentView::Format(base, bytes, *layout);
    if (!view.ok()) std::abort();
    Result<Ring> ring = view->AttachRequestRing(0);
    ring->TryPush("task", 4);
    Write(dir, "workers_" + std::to_string(workers),
          std::string(reinterpret_cast<const char*>(base), bytes));
    std::free(base);
  }
}

void TaskExecutorSeeds(const std::string& dir) {
  for (const Kernel* kernel : AllKernels()) {
    const std::string name(kernel->name());
    Write(dir, name, Task(name, 7).SerializeAsString());
  }
}

void JobFlagsSeeds(const std::string& dir) {
  // First byte: even = run's flags (with --mode), odd = compare's.
  const std::vector<std::pair<std::string, std::string>> seeds = {
      {"run_loop", "r\nloop\n--n\n1000\n--mode\nseq"},
      {"run_matmul_procs", "r\nmatmul\n--n\n64\n--mode\nprocs\n--workers\n2\n--chunk\nauto"},
      {"run_spin_hybrid", "r\nspin\n--us\n100\n--mode\nhybrid\n--threads\n2\n--wait\nblock"},
      {"run_conv",
       "r\nconv\n--batch\n2\n--channels\n3\n--height\n16\n--width\n16\n--layers\n"
       "c8,p2,c16"},
      {"run_pca_uds", "r\npca\n--rows\n100\n--cols\n10\n--k\n3\n--mode\nprocs\n--transport\nuds"},
      {"run_gil", "r\nsleep\n--ms\n1\n--mode\ngil\n--switch-interval\n0.5\n--tasks\n10"},
      {"compare_sum", "c\nsum\n--n\n128\n--workers\n3\n--inflight\n4\n--trials\n2\n--warmup\n0"},
      {"compare_json", "c\nelementwise\n--n\n32\n--json\n--seed\n7"},
  };
  for (const auto& [name, text] : seeds) Write(dir, name, text);
}

}  // namespace
}  // namespace parlab

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_seeds <corpus dir>\n";
    return 2;
  }
  const std::string root = argv[1];
  mkdir(root.c_str(), 0755);
  parlab::WireSeeds(root + "/wire_fuzzer");
  parlab::RingSeeds(root + "/ring_fuzzer");
  parlab::SegmentSeeds(root + "/segment_fuzzer");
  parlab::TaskExecutorSeeds(root + "/task_executor_fuzzer");
  parlab::JobFlagsSeeds(root + "/job_flags_fuzzer");
  return 0;
}

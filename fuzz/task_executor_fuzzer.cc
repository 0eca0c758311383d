// Fuzzes the worker's task validation (worker/task_executor.h) through its
// public API: the input is a serialized pb::TaskSpec, as it would arrive in a
// request ring from a buggy or hostile coordinator, executed against a 1 MiB
// arena. Kernel names and parameters, payload offsets, sizes and alignment
// are all the fuzzer's; the executor must answer TASK_FAILED for anything
// that does not fit the arena, never touch memory outside it.
//
// The harness bounds the work, not the validation: a task that validates
// would otherwise spin or sleep for up to an hour (spin --us, sleep --ms) or
// run a 10^12 loop, which the worker rightly allows. So durations and loop
// counts are clamped, and threads is set to 1 — see the report on task
// threads below — after parsing; everything that decides memory is left as
// the fuzzer wrote it.

#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>

#include "proto/parlab.pb.h"
#include "shared/aligned_buffer.h"
#include "worker/task_executor.h"

namespace {

constexpr size_t kArenaBytes = 1 << 20;

// The kernels whose cost is not bounded by the arena's size.
void BoundTheWork(parlab::pb::TaskSpec& task) {
  parlab::pb::KernelParams& k = *task.mutable_kernel();
  const std::string& name = k.kernel();
  if (name == "spin" && k.us() > 10) k.set_us(10);
  if (name == "sleep" && k.ms() > 0) k.set_ms(0);
  if (name == "loop" && k.n() > 10000) k.set_n(10000);
  // conv's layers multiply channels without growing its input: keep the
  // network small, the buffers are still the fuzzer's.
  if (name == "conv" && k.layers().size() > 12) k.set_layers(k.layers().substr(0, 12));
  // task.threads() reaches omp_set_num_threads(): unbounded, it asks libgomp
  // for that many threads (a separate finding, reported to the worker's owner).
  task.set_threads(1);
  // A fault injection is an order to die (abort, SIGKILL, SIGSEGV, hang): the
  // worker obeys it on purpose, to test the coordinator's recovery. It is
  // not a parser's bug, and obeyed here it stops the fuzzer.
  task.clear_fault();
}

}  // namespace

// Protobuf logs every string field with invalid UTF-8 it parses (and then
// refuses the message, which is what is tested): silence it, or the fuzzer
// spends its time writing to stderr.
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static parlab::AlignedBuffer* arena = new parlab::AlignedBuffer(kArenaBytes);
  parlab::pb::TaskSpec task;
  if (!task.ParseFromArray(data, static_cast<int>(size))) return 0;
  BoundTheWork(task);
  parlab::TaskExecutor executor(parlab::ArenaView(arena->data(), kArenaBytes), 0);
  parlab::pb::TaskResult result;
  executor.Execute(task, result);
  if (result.status() != parlab::pb::TASK_OK && result.status() != parlab::pb::TASK_FAILED) {
    __builtin_trap();  // the executor answers one of the two, nothing else
  }
  return 0;
}

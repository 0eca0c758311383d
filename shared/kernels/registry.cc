// The built-in kernels: one immutable instance of each, made on first use and
// never destroyed (so that no thread can see one die at exit). Thread-safe.
//
// Kernels added from plugins live in a fixed array of slots with a count.
// Protocol: AddKernel (one writer at a time, under a mutex) writes slot
// `count` and then stores count + 1 with release (A1); a reader loads count
// with acquire (R1, pairs with A1) and reads only the slots below it, which
// were written before that store. So a lookup never locks — it runs once per
// task in a worker — and never sees a half-written slot.

#include <array>
#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "shared/kernels/conv.h"
#include "shared/kernels/eig.h"
#include "shared/kernels/elementwise.h"
#include "shared/kernels/inv.h"
#include "shared/kernels/kernel.h"
#include "shared/kernels/loop.h"
#include "shared/kernels/matmul.h"
#include "shared/kernels/noop.h"
#include "shared/kernels/pca.h"
#include "shared/kernels/sleep.h"
#include "shared/kernels/spin.h"
#include "shared/kernels/sum.h"
#include "shared/kernels/svd.h"

namespace parlab {
namespace {

struct AddedKernels {
  std::mutex writer;
  std::array<const Kernel*, kMaxPluginKernels> slots{};
  std::atomic<size_t> count{0};
};

AddedKernels& Added() {
  static auto* const added = new AddedKernels();  // never destroyed, like the built-ins
  return *added;
}

const Kernel* FindBuiltIn(std::string_view name) {
  for (const Kernel* kernel : AllKernels()) {
    if (kernel->name() == name) return kernel;
  }
  return nullptr;
}

const Kernel* FindAdded(std::string_view name) {
  const AddedKernels& added = Added();
  const size_t count = added.count.load(std::memory_order_acquire);  // R1
  for (size_t i = 0; i < count; ++i) {
    if (added.slots[i]->name() == name) return added.slots[i];
  }
  return nullptr;
}

}  // namespace

const std::vector<const Kernel*>& AllKernels() {
  // By kind, as `parlab --help` lists them: overhead, CPU-bound under the
  // lock, BLAS-like, I/O-like.
  static const auto* const kernels = new std::vector<const Kernel*>{
      new NoopKernel(),        new SpinKernel(), new LoopKernel(), new MatmulKernel(),
      new ElementwiseKernel(), new SumKernel(),  new SvdKernel(),  new InvKernel(),
      new EigKernel(),         new PcaKernel(),  new ConvKernel(), new SleepKernel(),
  };
  return *kernels;
}

const Kernel* FindKernel(std::string_view name) {
  if (const Kernel* kernel = FindBuiltIn(name); kernel != nullptr) return kernel;
  return FindAdded(name);
}

Status AddKernel(std::unique_ptr<const Kernel> kernel) {
  AddedKernels& added = Added();
  std::lock_guard<std::mutex> lock(added.writer);
  const std::string name(kernel->name());
  if (FindKernel(name) != nullptr) {
    return InvalidArgument("a kernel named '" + name + "' exists already");
  }
  const size_t count = added.count.load(std::memory_order_relaxed);  // only writers change it
  if (count == kMaxPluginKernels) {
    return InvalidArgument("cannot add kernel '" + name +
                           "': " + std::to_string(kMaxPluginKernels) + " plugin kernels at most");
  }
  added.slots[count] = kernel.release();                    // lives as long as the process
  added.count.store(count + 1, std::memory_order_release);  // A1
  return Status::Ok();
}

std::string KernelNames() {
  std::string names;
  for (const Kernel* kernel : AllKernels()) {
    if (!names.empty()) names += ", ";
    names += kernel->name();
  }
  const AddedKernels& added = Added();
  const size_t count = added.count.load(std::memory_order_acquire);  // R1
  for (size_t i = 0; i < count; ++i) names += ", " + std::string(added.slots[i]->name());
  return names;
}

}  // namespace parlab

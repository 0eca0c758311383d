// The built-in kernels: one immutable instance of each, made on first use and
// never destroyed (so that no thread can see one die at exit). Thread-safe.

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
  for (const Kernel* kernel : AllKernels()) {
    if (kernel->name() == name) return kernel;
  }
  return nullptr;
}

std::string KernelNames() {
  std::string names;
  for (const Kernel* kernel : AllKernels()) {
    if (!names.empty()) names += ", ";
    names += kernel->name();
  }
  return names;
}

}  // namespace parlab

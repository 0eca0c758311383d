#include <gtest/gtest.h>

#include <set>
#include <string>

#include "shared/kernels/kernel.h"

namespace parlab {
namespace {

constexpr const char* kNames[] = {"noop", "spin", "loop", "matmul", "elementwise", "sum",
                                  "svd",  "inv",  "eig",  "pca",    "conv",        "sleep"};

TEST(RegistryTest, FindsEveryBuiltInKernelByName) {
  for (const char* name : kNames) {
    const Kernel* kernel = FindKernel(name);
    ASSERT_NE(kernel, nullptr) << name;
    EXPECT_EQ(kernel->name(), name);
    EXPECT_FALSE(kernel->description().empty()) << name;
  }
}

TEST(RegistryTest, RejectsUnknownNames) {
  EXPECT_EQ(FindKernel(""), nullptr);
  EXPECT_EQ(FindKernel("gemm"), nullptr);
  EXPECT_EQ(FindKernel("Matmul"), nullptr);
  EXPECT_EQ(FindKernel("matmul "), nullptr);
}

TEST(RegistryTest, AllKernelsListsEachOnceInDesignOrder) {
  const std::vector<const Kernel*>& kernels = AllKernels();
  ASSERT_EQ(kernels.size(), std::size(kNames));
  for (size_t i = 0; i < kernels.size(); ++i) EXPECT_EQ(kernels[i]->name(), kNames[i]);
  EXPECT_EQ(&AllKernels(), &kernels);  // one list, not rebuilt per call
}

TEST(RegistryTest, KernelNamesJoinsWithCommas) {
  EXPECT_EQ(KernelNames(),
            "noop, spin, loop, matmul, elementwise, sum, svd, inv, eig, pca, conv, sleep");
}

TEST(RegistryTest, DefaultsNameTheKernelUseSeedOneAndValidate) {
  for (const Kernel* kernel : AllKernels()) {
    const KernelParams params = kernel->Defaults();
    EXPECT_EQ(params.kernel(), kernel->name());
    EXPECT_EQ(params.seed(), 1u) << kernel->name();
    const Status status = kernel->Validate(params);
    EXPECT_TRUE(status.ok()) << kernel->name() << ": " << status.ToString();
  }
}

TEST(RegistryTest, LockAndThreadTraitsMatchTheNotebook) {
  // Pure-Python-like kernels hold the lock; NumPy-like calls and I/O release it.
  const std::set<std::string> holders = {"noop", "spin", "loop"};
  // Only BLAS/LAPACK-like kernels gain from threads inside one call;
  // NumPy's elementwise ops and reductions are single-threaded.
  const std::set<std::string> threaded = {"matmul", "svd", "inv", "eig", "pca", "conv"};
  for (const Kernel* kernel : AllKernels()) {
    const std::string name(kernel->name());
    EXPECT_EQ(kernel->ReleasesGlobalLock(), holders.count(name) == 0) << name;
    EXPECT_EQ(kernel->UsesThreads(), threaded.count(name) == 1) << name;
  }
}

}  // namespace
}  // namespace parlab

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <utility>

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
  // A prefix: AddKernel's tests below may have added theirs after them.
  EXPECT_EQ(KernelNames().rfind(
                "noop, spin, loop, matmul, elementwise, sum, svd, inv, eig, pca, conv, sleep", 0),
            0u)
      << KernelNames();
}

// A kernel as a plugin's would be (shared/kernels/plugin_kernel.h adapts those).
class NamedKernel final : public Kernel {
 public:
  explicit NamedKernel(std::string name) : name_(std::move(name)) {}
  std::string_view name() const override { return name_; }
  std::string_view description() const override { return "added by a test"; }
  KernelParams Defaults() const override {
    KernelParams params;
    params.set_kernel(name_);
    return params;
  }
  Status Validate(const KernelParams& /*params*/) const override { return Status::Ok(); }
  KernelResult Run(const KernelParams& /*params*/, ConstBytes /*input*/, MutableBytes /*output*/,
                   const KernelContext& /*context*/) const override {
    return {};
  }

 private:
  std::string name_;
};

TEST(RegistryTest, AddedKernelsAreFoundAndNamedButNotAmongTheBuiltIns) {
  ASSERT_EQ(FindKernel("added_one"), nullptr);
  ASSERT_TRUE(AddKernel(std::make_unique<NamedKernel>("added_one")).ok());
  const Kernel* added = FindKernel("added_one");
  ASSERT_NE(added, nullptr);
  EXPECT_EQ(added->description(), "added by a test");
  EXPECT_NE(KernelNames().find(", sleep, added_one"), std::string::npos) << KernelNames();
  EXPECT_EQ(AllKernels().size(), std::size(kNames));
}

TEST(RegistryTest, AddKernelRefusesATakenName) {
  const Status builtin = AddKernel(std::make_unique<NamedKernel>("matmul"));
  EXPECT_EQ(builtin.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(builtin.message().find("'matmul' exists already"), std::string::npos)
      << builtin.message();
  EXPECT_NE(FindKernel("matmul")->description(), "added by a test");  // still the built-in
  ASSERT_TRUE(AddKernel(std::make_unique<NamedKernel>("added_twice")).ok());
  EXPECT_FALSE(AddKernel(std::make_unique<NamedKernel>("added_twice")).ok());
}

TEST(RegistryTest, AddKernelStopsAtTheLimit) {
  Status status;
  size_t added = 0;
  for (size_t i = 0; i <= kMaxPluginKernels && status.ok(); ++i) {
    status = AddKernel(std::make_unique<NamedKernel>("limit_" + std::to_string(i)));
    if (status.ok()) ++added;
  }
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("64 plugin kernels at most"), std::string::npos)
      << status.message();
  EXPECT_LE(added, kMaxPluginKernels);
  EXPECT_NE(FindKernel("limit_0"), nullptr);
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

#pragma once
// The workload and its parameters as command-line flags, without the job's
// shape: what timeit, profile and advise take (they run the kernel
// themselves, so --workers, --tasks or --trials would mean nothing there).
// The same flag names as JobFlags, so `parlab run matmul --n 500` and
// `parlab timeit matmul --n 500` read alike. Not copyable: the options point
// at the members.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "shared/kernels/kernel.h"
#include "shared/status.h"

namespace parlab {

class KernelFlags {
 public:
  // Registers the workload (positional, or --kernel NAME; default
  // `default_workload`), --plugin and the kernel parameter flags on `app`.
  KernelFlags(CLI::App& app, std::string default_workload);
  KernelFlags(const KernelFlags&) = delete;
  KernelFlags& operator=(const KernelFlags&) = delete;

  // The workload's Defaults() with the given flags on top, validated; the
  // error names the workload or the field. With --plugin it loads the plugin
  // first (so its kernels are known in this process), and the workload is
  // one of its kernels: --kernel's, else the plugin's first.
  Result<KernelParams> MakeParams() const;
  // The same on top of `base` (a job file's parameters): the flags given
  // override its fields; a workload given that is not base's starts from
  // that workload's Defaults() instead.
  Result<KernelParams> MakeParams(const KernelParams& base) const;
  // Sets on `params` the parameter flags the user gave, and nothing else.
  void ApplyGiven(KernelParams& params) const;

  bool workload_given() const { return workload_opt_->count() > 0; }
  // Whether the flag `name` ("--n", "--us", ...) was given.
  bool given(const std::string& name) const;

  // Loads --plugin, if given, into this process (again: a no-op) and returns
  // its kernels' names; before a job file that names one of them is read.
  Result<std::vector<std::string>> LoadGivenPlugin() const;

  // --plugin as an absolute path (workers start in another directory), or
  // "" without it. Errors name --plugin: no such file.
  Result<std::string> PluginPath() const;

  // The flags as the user gave them, to re-run this command in a child
  // ("--n", "500", ...), workload first (but for a plugin's default kernel).
  std::vector<std::string> Args() const;

  // Whether the user gave the size that makes a loop-like task longer (--n
  // or --us): then it is theirs, and a comparison only warns about it.
  bool size_given() const { return n_opt_->count() > 0 || us_opt_->count() > 0; }

 private:
  std::string workload_;
  int64_t n_ = 0, us_ = 0, ms_ = 0, rows_ = 0, cols_ = 0, k_ = 0;
  int64_t batch_ = 0, channels_ = 0, height_ = 0, width_ = 0;
  std::string layers_;
  uint64_t seed_ = 1;
  std::string plugin_;
  std::vector<CLI::Option*> options_;  // every kernel flag, for Args()
  CLI::Option* workload_opt_;
  CLI::Option* n_opt_;
  CLI::Option* us_opt_;
  CLI::Option* ms_opt_;
  CLI::Option* rows_opt_;
  CLI::Option* cols_opt_;
  CLI::Option* k_opt_;
  CLI::Option* batch_opt_;
  CLI::Option* channels_opt_;
  CLI::Option* height_opt_;
  CLI::Option* width_opt_;
  CLI::Option* layers_opt_;
  CLI::Option* seed_opt_;
  CLI::Option* plugin_opt_;
};

}  // namespace parlab

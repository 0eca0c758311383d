#include "coordinator/cli/timeit_command.h"

#include <iostream>
#include <memory>

#include "coordinator/cli/format_flags.h"
#include "coordinator/cli/kernel_flags.h"
#include "coordinator/notebook/timeit_format.h"
#include "coordinator/notebook/timeit_runner.h"
#include "coordinator/report/json_output.h"
#include "coordinator/report/progress.h"

namespace parlab {
namespace {

struct TimeitFlags {
  explicit TimeitFlags(CLI::App& app) : kernel(app, "matmul") {}
  KernelFlags kernel;
  TimeitOptions options;
  bool json = false;
  bool csv = false;
};

}  // namespace

Command AddTimeitCommand(CLI::App& app) {
  CLI::App* sub = app.add_subcommand(
      "timeit",
      "Time one workload as IPython's %timeit: loops calibrated to >= 0.2 s per repeat "
      "(1, 2, 5, 10, 20, 50, ...), best and mean ± std per loop over the repeats");
  auto flags = std::make_shared<TimeitFlags>(*sub);
  sub->add_option("--repeats,-r", flags->options.repeats, "repeats (IPython's -r)")
      ->capture_default_str();
  sub->add_option("--loops", flags->options.loops, "calls per repeat (IPython's -n); 0 calibrates")
      ->capture_default_str();
  sub->add_option("--threads,-t", flags->options.threads, "OpenMP/BLAS threads inside each call")
      ->capture_default_str();
  AddFormatFlags(*sub, FormatFlags::Json(&flags->json, "TimeitReport")
                           .Csv(&flags->csv, "a row per repeat (seconds per loop)"));
  return {sub, [flags]() {
            Result<KernelParams> params = flags->kernel.MakeParams();
            if (!params.ok()) return ReportError(params.status());
            TimeitOptions options = flags->options;
            options.params = *params;
            // The repeats' calls, on a terminal only; erased before the result.
            std::unique_ptr<Progress> progress = Progress::OnStderr(0);
            options.progress = progress.get();
            Result<pb::TimeitReport> result = Timeit(options);
            progress.reset();
            if (!result.ok()) return ReportError(result.status());
            if (flags->json) {
              std::cout << ToJson(*result) << "\n";
            } else if (flags->csv) {
              std::cout << CsvTable(TimeitCsvTable(*result));
            } else {
              PrintTimeit(*result, std::cout);
            }
            return kExitOk;
          }};
}

}  // namespace parlab

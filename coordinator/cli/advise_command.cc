#include "coordinator/cli/advise_command.h"

#include <iostream>
#include <memory>

#include "coordinator/cli/format_flags.h"
#include "coordinator/cli/kernel_flags.h"
#include "coordinator/notebook/advise_runner.h"
#include "coordinator/notebook/notebook_messages.h"
#include "coordinator/report/env_report.h"
#include "coordinator/report/json_output.h"
#include "coordinator/report/load_report.h"
#include "coordinator/report/progress.h"

namespace parlab {
namespace {

struct AdviseFlags {
  explicit AdviseFlags(CLI::App& app) : kernel(app, "loop") {}
  KernelFlags kernel;
  AdviseOptions options;
  bool json = false;
};

}  // namespace

Command AddAdviseCommand(CLI::App& app) {
  CLI::App* sub = app.add_subcommand(
      "advise",
      "Which mode suits a workload here: short probes of every mode, then a recommendation "
      "(mode, workers, threads) with the evidence, as the notebook's decision guide");
  auto flags = std::make_shared<AdviseFlags>(*sub);
  sub->add_option("--workers,-w", flags->options.workers,
                  "workers of the parallel probes (default: the usable cores, at least 2)");
  sub->add_option("--trials", flags->options.trials, "measured trials per mode")
      ->capture_default_str();
  sub->add_option("--target", flags->options.target_s, "seconds of one sequential trial")
      ->capture_default_str();
  AddFormatFlags(*sub, FormatFlags::Json(&flags->json, "AdviseReport"));
  return {sub, [flags]() {
            Result<KernelParams> params = flags->kernel.MakeParams();
            if (!params.ok()) return ReportError(params.status());
            AdviseOptions options = flags->options;
            options.params = *params;
            options.size_given = flags->kernel.size_given();
            // Per task, with rate and ETA, on a terminal only (report/progress.h).
            std::unique_ptr<Progress> progress = Progress::OnStderr(0);
            options.progress = progress.get();
            const LoadWatch load;
            Result<AdviceReport> report = Advise(options);
            progress.reset();  // erases the line before anything is printed
            if (!report.ok()) return ReportError(report.status());
            const pb::LoadProbe probe = load.Finish(UsableCores());
            if (flags->json) {
              pb::AdviseReport message = AdviseMessage(*report);
              *message.mutable_load() = probe;
              std::cout << ToJson(message) << "\n";
              return kExitOk;
            }
            PrintAdvice(*report, std::cout);
            const std::string line = LoadLine(probe);
            if (!line.empty()) std::cout << line << "\n";
            return kExitOk;
          }};
}

}  // namespace parlab

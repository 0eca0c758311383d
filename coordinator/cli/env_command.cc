#include "coordinator/cli/env_command.h"

#include <iostream>
#include <memory>

#include "coordinator/cli/format_flags.h"
#include "coordinator/report/ceiling.h"
#include "coordinator/report/env_report.h"
#include "coordinator/report/env_report_text.h"
#include "coordinator/report/json_output.h"
#include "coordinator/runtime/ceiling_probe.h"

namespace parlab {

Command AddEnvCommand(CLI::App& app) {
  CLI::App* env =
      app.add_subcommand("env", "Show the machine, build and environment that timings depend on");
  env->footer(
      "CPU and SIMD, Eigen/OpenMP, OpenBLAS and the kernels it chose, the thread\n"
      "environment variables and which of them this build obeys, the build, affinity,\n"
      "cgroup CPU quota, /dev/shm and memory; then warnings for what would hurt a\n"
      "parallel run. Last, the machine's ceiling: one busy loop alone, then one on\n"
      "every usable core at once — what the cores deliver together.");
  auto json = std::make_shared<bool>(false);
  AddFormatFlags(*env, FormatFlags::Json(json.get(), "EnvReport"));
  Command command;
  command.app = env;
  command.run = [json] {
    pb::EnvReport report = CollectEnvReport();
    Result<CeilingProbe> probe = CeilingProbe::Make(CeilingOptions{});
    if (!probe.ok()) return ReportError(probe.status());
    const pb::Ceiling ceiling = SummarizeCeiling(probe->cores(), {probe->Probe("env")});
    if (*json) {
      *report.mutable_ceiling() = ceiling;
      std::cout << ToJson(report) << "\n";
    } else {
      std::cout << EnvReportText(report) << CeilingLine(ceiling) << "\n";
    }
    std::cout << std::flush;
    return std::cout ? kExitOk : kExitFailed;  // e.g. stdout closed under a pipe
  };
  return command;
}

}  // namespace parlab

#include "coordinator/cli/env_command.h"

#include <iostream>
#include <memory>

#include "coordinator/report/env_report.h"
#include "coordinator/report/env_report_json.h"
#include "coordinator/report/env_report_text.h"

namespace parlab {

Command AddEnvCommand(CLI::App& app) {
  CLI::App* env =
      app.add_subcommand("env", "Show the machine, build and environment that timings depend on");
  env->footer(
      "CPU and SIMD, Eigen/OpenMP, OpenBLAS and the kernels it chose, the thread\n"
      "environment variables and which of them this build obeys, the build, affinity,\n"
      "cgroup CPU quota, /dev/shm and memory; then warnings for what would hurt a\n"
      "parallel run.");
  auto json = std::make_shared<bool>(false);
  env->add_flag("--json", *json, "One JSON object instead of text (what log headers embed)");
  Command command;
  command.app = env;
  command.run = [json] {
    const EnvReport report = CollectEnvReport();
    std::cout << (*json ? EnvReportJson(report) + "\n" : EnvReportText(report)) << std::flush;
    return std::cout ? kExitOk : kExitFailed;  // e.g. stdout closed under a pipe
  };
  return command;
}

}  // namespace parlab
